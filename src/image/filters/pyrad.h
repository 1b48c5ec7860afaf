/* radlab: PyRadiomics' image types as filters (pyrad.c: the definitions).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RAD_IMAGE_FILTERS_PYRAD_H
#define RAD_IMAGE_FILTERS_PYRAD_H

#include "image/filters/filter.h"

/* scikit-image's local_binary_pattern methods offered by lbp2d */
typedef enum RadLbpMethod { RAD_LBP_DEFAULT = 0, RAD_LBP_UNIFORM, RAD_LBP_ROR } RadLbpMethod;

/* "default", "uniform", "ror"; -1 when unknown. */
int rad_lbp_method_parse(const char *name);
const char *rad_lbp_method_name(int method);

/* kind: RAD_FILTER_SQUARE, _SQUAREROOT, _LOGARITHM or _EXPONENTIAL. */
RadImage *rad_filter_pointwise(const RadImage *img, RadFilterKind kind);
/* ITK's gradient magnitude over dims axes (2: in-plane). */
RadImage *rad_filter_gradient(const RadImage *img, int use_spacing, int dims, int threads);
/* PyRadiomics' wavelet sub-band (PyWavelets' swtn, see pyrad.c): family
 * as rad_wavelet_filter knows it, band one L/H per filtered axis (x first),
 * level >= 1, dims 3 or 2 (each axial slice). */
RadImage *rad_filter_pywavelet(const RadImage *img, const char *family, const char *band, int level, int dims);
/* scikit-image's local binary patterns of each axial slice. */
RadImage *rad_filter_lbp2d(const RadImage *img, int points, double radius, int method, int threads);
/* PyRadiomics' LoG: ITK's LaplacianRecursiveGaussianImageFilter, normalised
 * across scale, sigma in mm, over dims axes (2: each axial slice; pylog.c). */
RadImage *rad_filter_pylog(const RadImage *img, double sigma, int dims, int threads);
/* PyRadiomics' 3D local binary patterns (lbp3d.c): output 0 the kurtosis
 * image (lbp-3D-k), j in 1..levels the image lbp-3D-m<j>. */
RadImage *rad_filter_lbp3d(const RadImage *img, int levels, double radius, int subdivision, int output,
                           int threads);

#endif
