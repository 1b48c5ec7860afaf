/* radlab: one lock for FFTW's planner.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FFTW executes plans on any thread, but its planner (fftw_plan_*,
 * fftw_destroy_plan) is not thread-safe: every engine file that plans (Moran's
 * I and Geary's C, the image filters) takes this one process-wide lock around
 * planning, so that features and filters running at once on the thread pool
 * never plan together. */
#ifndef RAD_UTIL_FFT_H
#define RAD_UTIL_FFT_H

#include <stddef.h>

void rad_fft_plan_lock(void);
void rad_fft_plan_unlock(void);

/* A Fourier-domain filter: multiply c, the value of the r2c half spectrum at
 * frequency indices (x, y, z) (x = 0 .. nx/2), in place. */
typedef void (*RadFftMultiplier)(void *ctx, size_t x, size_t y, size_t z, float c[2]);

/* out = the inverse real transform of mul x the transform of in, a volume of
 * d[0] x d[1] x d[2] voxels (x fastest, d[2] >= 2), normalised (a multiplier
 * of 1 gives in back).  Single precision, in three stages on the thread pool:
 * slice transforms, blocks of columns along z (transform, multiply, inverse),
 * inverse slice transforms; the result does not depend on the thread count.
 * in and out may be the same array.  -1 with a message naming `what`. */
int rad_fft_filter3(const float *in, float *out, const size_t d[3], RadFftMultiplier mul, void *ctx, int threads,
                    const char *what);

#endif
