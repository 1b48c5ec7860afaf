/* radlab: PyRadiomics compatibility for feature maps (internal to src/features).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PyRadiomics' voxel-based extraction (base.py _calculateVoxels, the
 * kernelRadius / voxelCoordinates path of _cmatrices.c) measures each
 * centre's kernel with the class code of pyrad.c: the kernel is the cube
 * clipped to the image, the grey levels are those binned once over the
 * binning domain (the ROI when maskedKernel, else the whole cropped image)
 * and Ng is the domain's highest bin.  featuremap.c gathers the kernels;
 * pyrad.c measures them.
 */
#ifndef RAD_FEATURES_PYRAD_MAP_H
#define RAD_FEATURES_PYRAD_MAP_H

#include <stdint.h>

#include "features/features.h"

/* Bin the intensities of roi->image inside `domain` (a 0/1 array on
 * roi's grid) as PyRadiomics' binImage does: grey[v] = bin 1..ng inside
 * the domain, 0 outside; *ng = the highest bin.  0, or -1 with a message. */
int rad_pyrad_map_bins(const RadRoi *roi, const uint8_t *domain, const RadSettings *s, int *grey, int *ng);

/* One kernel: a window of dim[0] x dim[1] x dim[2] voxels (x fastest). */
typedef struct RadPyrKernel {
    RadGeometry geom;     /* the window's grid (dim, spacing) */
    const float *image;   /* intensities */
    const uint8_t *in;    /* the kernel's voxels (PyRadiomics' mask within the kernel) */
    const int *grey;      /* bins of the voxels in `in` */
    int ng;               /* the domain's Ng */
    int ng_domain_levels; /* the number of distinct bins in the domain */
    int *scratch_idx;     /* ng + 1 ints of scratch */
    int *scratch_lev;     /* ng + 1 ints of scratch */
} RadPyrKernel;

/* The features of the classes in `families` (RAD_FAM_STAT: firstorder,
 * RAD_FAM_CM: glcm, RAD_FAM_RLM: glrlm, RAD_FAM_SZM: glszm, RAD_FAM_NGL:
 * gldm, RAD_FAM_NGT: ngtdm) of one kernel, appended to fs as
 * original_<class>_<Feature>.  *cm_empty receives the bits of the GLCM
 * directions without a pair in the kernel (bit a: the a-th direction of
 * imageoperations.generateAngles' half set).  0, or -1 with a message. */
int rad_pyrad_kernel(const RadPyrKernel *k, const RadSettings *s, unsigned families, RadFeatureSet *fs,
                     unsigned *cm_empty);

#endif
