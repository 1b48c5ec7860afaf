/* radlab: image filters (IBSI 2), the parts every filter family shares.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file per family in src/image/filters/ (mean.c, log.c, laws.c, gabor.c,
 * wavelet.c, simoncelli.c, ...); each returns a new float image on the input's
 * grid (the response map) or NULL with a message (rad_error_set).
 *
 * Boundary conditions (IBSI 2 reference manual, "Boundary conditions"): how a
 * filter sees the image outside its n voxels along an axis.  Index i (0-based,
 * may be outside 0..n-1) maps to
 *   constant  (zero padding)   outside: the value 0
 *   nearest   (edge)           clamp(i, 0, n - 1)
 *   periodic  (wrap)           i mod n
 *   mirror    (reflect)        the image reflected about its edges, the edge
 *                              voxel repeated: ... 2 1 0 | 0 1 2 ... n-1 | n-1 n-2 ...
 *                              (period 2n; numpy's "symmetric", scipy.ndimage's
 *                              "reflect", the IBSI's "mirror")
 *
 * Dimensionality: "3D" filters the volume; "2D" filters each axial slice (the
 * first two index axes, z untouched) on its own.
 */
#ifndef RAD_IMAGE_FILTERS_FILTER_H
#define RAD_IMAGE_FILTERS_FILTER_H

#include <stddef.h>
#include <sys/types.h>

#include "image/image.h"

typedef enum RadBoundary {
    RAD_BOUNDARY_CONSTANT = 0,
    RAD_BOUNDARY_NEAREST,
    RAD_BOUNDARY_PERIODIC,
    RAD_BOUNDARY_MIRROR
} RadBoundary;

/* "constant" (also "zero"), "nearest" (also "edge"), "periodic" (also
 * "wrap"), "mirror" (also "reflect", "symmetric"); -1 when unknown. */
int rad_boundary_parse(const char *name);
/* The canonical name of a boundary condition. */
const char *rad_boundary_name(RadBoundary b);

/* Index i of an axis of n voxels under boundary b: an index in 0..n-1, or
 * -1 when the value there is the constant 0 (RAD_BOUNDARY_CONSTANT). */
ssize_t rad_boundary_index(ssize_t i, size_t n, RadBoundary b);

/* Correlate every line of `data` (dims nx, ny, nz, x fastest) along `axis`
 * (0, 1 or 2) with the 1-D kernel k of length m, centred at index c
 * (out[i] = sum_t k[t] in[i + t - c]), in place, under boundary b.  For a
 * convolution pass the reversed kernel (symmetric kernels are the same).
 * Lines run on the thread pool (threads 0: one per processor); the result
 * does not depend on the thread count.  -1 with a message when out of
 * memory. */
int rad_filter_axis(float *data, const size_t dim[3], int axis, const double *k, size_t m, size_t c, RadBoundary b,
                    int threads);

/* The same in double precision (for filters that sum several responses). */
int rad_filter_axis_d(double *data, const size_t dim[3], int axis, const double *k, size_t m, size_t c, RadBoundary b,
                      int threads);

#endif
