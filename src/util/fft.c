/* radlab: one lock for FFTW's planner (see fft.h).  SPDX-License-Identifier: GPL-3.0-or-later */
#include <pthread.h>

#include "util/fft.h"

static pthread_mutex_t fft_planner_lock = PTHREAD_MUTEX_INITIALIZER;

void rad_fft_plan_lock(void) { pthread_mutex_lock(&fft_planner_lock); }

void rad_fft_plan_unlock(void) { pthread_mutex_unlock(&fft_planner_lock); }
