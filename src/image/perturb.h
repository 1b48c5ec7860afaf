/* radlab: image and mask perturbations for feature robustness.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feature robustness by perturbation (Zwanenburg et al., Sci Rep 9:614,
 * 2019, "Assessing robustness of radiomic features by image perturbation",
 * the approach of MIRP): the image and its ROI are changed a little, as a
 * second scan or a second delineation would change them, the features are
 * extracted again, and the ICC over the perturbations says which features
 * are stable.  This file makes the perturbations; src/stats/icc.c computes
 * the ICC.  Each function leaves its inputs untouched and returns new
 * objects (masks: binary, label 1, made from the selected label).
 */
#ifndef RAD_IMAGE_PERTURB_H
#define RAD_IMAGE_PERTURB_H

#include <stdint.h>

#include "image/image.h"

/* Noise SD of an image by Immerkaer's fast estimator (J. Immerkaer, "Fast
 * noise variance estimation", CVIU 64(2):300-302, 1996), slice by slice:
 *     sigma = sqrt(pi / 2) / (6 n) * sum |(I * N)(x, y)|,
 *     N = [1 -2 1; -2 4 -2; 1 -2 1]  (difference of two Laplacians),
 * over the n in-plane positions whose 3x3 neighbourhood lies in the slice
 * (and, with a mask, whose centre is in the ROI), then the median over the
 * slices that have such positions.  N annihilates any slice of the form
 * f(x) + g(y) (every plane, every separable smooth trend), so smooth
 * anatomy contributes little and edges bias the estimate upwards.  Returns
 * 0 and *sd, or -1 (no slice with a 3x3 neighbourhood: name the sizes). */
int rad_image_noise_estimate(const RadImage *img, const RadMask *mask, double *sd);

/* A copy of img with independent Gaussian noise of SD `sd` added to every
 * voxel.  The numbers come from xoshiro256** (Blackman & Vigna 2018)
 * seeded through splitmix64, turned into normal deviates by Marsaglia's
 * polar method with a logarithm written here from + - * / and frexp only
 * (libm's log may differ in the last bit between platforms; sqrt is
 * correctly rounded by IEEE 754), so the same seed gives the same bytes
 * everywhere.  sd must be >= 0 and finite. */
RadImage *rad_image_add_noise(const RadImage *img, double sd, uint64_t seed);

/* Rigid in-plane perturbation: rotation by `degrees` about the world z
 * axis through the ROI centre (the mean world position of the ROI voxels),
 * then translation by shift[c] voxels along index axis c, applied to the
 * image (trilinear interpolation; points outside take the nearest boundary
 * value, as rad_image_resample does) and to the mask (the 0/1 ROI
 * interpolated trilinearly, zero outside the grid, kept where >= 0.5, as
 * rad_mask_resample with delta 0.5).  The results stay on the input grid.
 * Sampling positions within 1e-6 voxel of a grid point snap to it, so
 * angle 0 with shift 0 is the identity and quarter turns about a voxel
 * centre move voxels exactly.  Image and mask must share a geometry; the
 * ROI must not be empty. */
int rad_perturb_rigid(const RadImage *img, const RadMask *m, double degrees, const double shift[3], RadImage **img_out,
                      RadMask **mask_out);

/* Morphological erosion / dilation of the ROI by one voxel with a 6- or
 * 26-connected neighbourhood (4 or 8 in-plane when the image has one
 * slice).  Erosion keeps a voxel when its whole neighbourhood is in the ROI;
 * outside the image counts as background, so an ROI touching the border
 * loses that face.  Dilation adds the background voxels with a neighbour
 * in the ROI (within the image).  Erosion that leaves nothing is an error. */
RadMask *rad_mask_erode(const RadMask *m, int connectivity);
RadMask *rad_mask_dilate(const RadMask *m, int connectivity);

/* Volume adaptation (after MIRP's roi_adapt_size by fraction): grow
 * (fraction > 0) or shrink (fraction < 0) the ROI to round(V (1 +
 * fraction)) voxels exactly by one-voxel layers (6-connected; 4 in-plane in
 * a one-slice image).  Whole layers are added or peeled while the target is
 * not passed; the last, partial layer takes the voxels most exposed first:
 * shrinking removes the boundary voxels with the most background voxels
 * among their 26 neighbours, growing adds the background voxels with the
 * most ROI neighbours; ties go to the lower voxel index (x fastest), so
 * the result is deterministic.  Errors: fraction <= -1 or not finite, a
 * target of 0 voxels, or growth that finds no room in the image. */
RadMask *rad_mask_change_volume(const RadMask *m, double fraction);

#endif
