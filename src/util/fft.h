/* radlab: one lock for FFTW's planner.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FFTW executes plans on any thread, but its planner (fftw_plan_*,
 * fftw_destroy_plan) is not thread-safe: every engine file that plans (Moran's
 * I and Geary's C, the image filters) takes this one process-wide lock around
 * planning, so that features and filters running at once on the thread pool
 * never plan together. */
#ifndef RAD_UTIL_FFT_H
#define RAD_UTIL_FFT_H

void rad_fft_plan_lock(void);
void rad_fft_plan_unlock(void);

#endif
