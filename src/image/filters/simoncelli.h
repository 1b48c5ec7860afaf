/* radlab: the Simoncelli non-separable (isotropic) wavelet, IBSI 2 reference
 * manual, "Simoncelli wavelets".  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Defined in the frequency domain by its radial profile (Portilla and
 * Simoncelli, Int J Comput Vis 40:49-70, 2000):
 *     h(w) = cos(pi/2 log2(2 |w| / pi))   for pi/4 < |w| <= pi, else 0,
 * |w| the norm of the frequency vector, each component in radians per voxel
 * (sampled as the consensus maps were made: n points from -pi to pi, both
 * included; see simoncelli.c).  Level l is the
 * profile dilated by 2^(l-1): h(2^(l-1) w), the band pi/2^(l+1) .. pi/2^(l-1).
 * The response is the inverse transform of the image's transform times h:
 * the response is real; the boundary is periodic by nature of the DFT.
 * Consensus maps 8.a.2 and 8.a.3 are matched to 1e-5, 8.a.1 to 0.4 % of
 * its range (its consensus comes from implementations that differ at the
 * finest band; the 1 % criterion holds).  dims 2: each axial slice on its own with the 2D norm.
 */
#ifndef RAD_IMAGE_FILTERS_SIMONCELLI_H
#define RAD_IMAGE_FILTERS_SIMONCELLI_H

#include "image/image.h"

/* The profile h at level `level` for a frequency norm w (radians per voxel). */
double rad_simoncelli_profile(double w, int level);

/* The response map (a new float image on the input's grid) or NULL with a
 * message: level >= 1 and the image at least 2^level voxels along each
 * filtered axis; dims 2 or 3; threads: the slices (and in 3D the columns
 * along z) in parallel (0: one per processor). */
RadImage *rad_filter_simoncelli(const RadImage *img, int level, int dims, int threads);

#endif
