/* radlab: voxel-wise feature maps.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A feature map holds, at every voxel of the ROI, a feature of the small
 * region around that voxel: its neighbourhood.  Definitions (featuremap.c
 * says the same next to the code):
 *
 * - Centres.  The ROI is prepared once as rad_extract would (rounding,
 *   normalisation, re-segmentation, discretisation; interpolation and
 *   filters are refused: a map lives on the image's own grid).  Every voxel
 *   of the intensity mask is a centre; every other voxel of a map is NaN.
 * - Window.  The voxels (x+dx, y+dy, z+dz) inside the image with
 *   |dx|, |dy|, |dz| <= r (cube) or dx^2 + dy^2 + dz^2 <= r^2 (sphere, in
 *   voxel units, whatever the spacing); with in_plane (and always for a 2D
 *   image) dz = 0.  The window is clipped at the image border.
 * - Neighbourhood.  masked = 1: the window's voxels of the ROI (morphological
 *   mask = window and ROI morphological mask, intensity mask = window and
 *   ROI intensity mask).  masked = 0: every voxel of the window (both masks
 *   = the window, less the voxels outside a re-segmentation range).
 * - Discretisation.  The grey levels are those of the whole ROI (computed
 *   once) and Ng is the ROI's number of grey levels.  For masked = 0 the
 *   window voxels outside the ROI are discretised with the ROI's bins: fixed
 *   bin number on the ROI's range, clamped to 1..Ng; fixed bin size from the
 *   ROI's origin, clamped below at 1, Ng raised to the highest level seen.
 * - PyRadiomics compatibility (settings compat = pyradiomics): the classes
 *   firstorder, glcm, glrlm, glszm, gldm and ngtdm of PyRadiomics'
 *   voxel-based extraction (extractor.execute(..., voxelBased=True)), named
 *   as it names them (original_glcm_Contrast).  The kernel is the cube of
 *   kernelRadius r clipped to the image (in-plane with pyradiomics.force2D
 *   along z); maskedKernel (masked) keeps its ROI voxels, else every voxel.
 *   The grey levels are binned once as PyRadiomics bins (binWidth/binCount):
 *   over the ROI when masked, else over the ROI's bounding box grown by r
 *   (PyRadiomics' crop); Ng is that domain's highest bin.  Non-centre
 *   voxels hold the fill value, 0 by default (initValue).  Two quirks of
 *   PyRadiomics (default voxelBatch, one batch) are kept: when some kernel
 *   lacks a GLCM direction that another kernel has, that kernel's
 *   JointAverage is NaN and the whole MCC map holds the fill value (numpy's
 *   eigvals refuses the NaN matrices, so PyRadiomics stores nothing).
 * So a map value equals the family's value on a RadRoi holding exactly the
 * neighbourhood with those grey levels and that Ng, and equals a direct
 * rad_extract of the neighbourhood (as a mask) whenever that extraction
 * discretises the neighbourhood the same way: no outlier filter, grey levels
 * that do not depend on the region's range (fixed bin size with a fixed
 * minimum, or no discretisation) and the top grey level Ng present in the
 * neighbourhood.
 */
#ifndef RAD_FEATURES_FEATUREMAP_H
#define RAD_FEATURES_FEATUREMAP_H

#include <stddef.h>

#include "features/features.h"
#include "image/image.h"

typedef enum RadFmapShape {
    RAD_FMAP_CUBE = 0,  /* (2r+1)^3 voxels, (2r+1)^2 in the plane */
    RAD_FMAP_SPHERE     /* dx^2 + dy^2 + dz^2 <= r^2 (a disc in the plane) */
} RadFmapShape;

/* The families a map may hold: morphology, local intensity and the IVH
 * describe a whole region (its shape, its peak, its volume fractions). */
#define RAD_FAM_ON_MAP (RAD_FAM_STAT | RAD_FAM_IH | RAD_FAM_CM | RAD_FAM_RLM | RAD_FAM_SZM | RAD_FAM_DZM | \
                        RAD_FAM_NGT | RAD_FAM_NGL)

typedef struct RadFmapOptions {
    int radius;        /* r >= 1 voxels, smaller than the image along each axis the window spans */
    RadFmapShape shape;
    int in_plane;      /* 2D windows (dz = 0) in a 3D image */
    int masked;        /* 1 (default): only ROI voxels of the window count */
    int threads;       /* <= 0: one per processor */
    int method;        /* 0 (default): the GLCM fast path where it applies (2.5D and 3D
                        * aggregations); 1: always the family functions on each
                        * neighbourhood (the reference the tests compare with) */
    int keep_values;   /* also keep the double values (RadFeatureMaps.values) */
    int has_fill;      /* fill is given; else non-centre voxels hold NaN, or 0 in
                        * PyRadiomics compatibility mode (its initValue) */
    double fill;       /* the value of every voxel that is not a centre */
} RadFmapOptions;

/* radius 2, cube, 3D, masked, all processors, fast paths, default fill. */
void rad_fmap_options_default(RadFmapOptions *o);

typedef struct RadFeatureMaps {
    size_t n;
    char **tags;       /* owned */
    RadImage **maps;   /* owned: one image per tag on the input image's grid */
    double **values;   /* keep_values: the same in double precision (NaN outside
                        * the centres), else NULL */
} RadFeatureMaps;

/* The maps of `want` (n_want names): a family prefix ("cm": every feature
 * of the family for the aggregations of s->aggr), a full tag
 * ("cm_contrast_3D_avg") or a tag without its aggregation ("cm_contrast":
 * every aggregation of s->aggr).  An unknown name is an error that suggests close
 * tags.  Maps come in registry order of the features.  NULL with a message
 * on failure. */
RadFeatureMaps *rad_feature_maps(const RadImage *img, const RadMask *mask, const RadSettings *s,
                                 const char *const *want, size_t n_want, const RadFmapOptions *o);
void rad_feature_maps_free(RadFeatureMaps *m);

#endif
