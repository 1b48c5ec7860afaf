/* radlab: a small thread pool for independent jobs.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rad_pool_run runs job(i, ctx) for i = 0..n-1 on up to `threads` threads
 * (the calling thread is one of them) and returns when all have finished.
 * Jobs are taken in index order; each job writes only its own output slot,
 * so results never depend on the thread count.  Workers stop taking new
 * jobs when the interrupt flag (util/error.h) is set or a job returns
 * non-zero and `stop_on_error` is set; *done then tells how many ran.
 *
 * Runs may nest (a cohort runs cases on the pool, each case runs its feature
 * families on the pool).  A top-level run starts the threads it asks for; a
 * run inside a job starts only the threads the process has spare (processors
 * minus the threads already started), often none, and then runs its jobs on
 * the calling thread.  So a single case uses every processor, and a cohort
 * on every processor does not start more threads than processors.  No job
 * is ever moved between runs (no work stealing).
 */
#ifndef RAD_UTIL_POOL_H
#define RAD_UTIL_POOL_H

#include <stddef.h>

/* A job: 0 on success, non-zero on failure (its message is the job's to keep:
 * rad_error_message() is per thread). */
typedef int (*RadPoolJob)(size_t i, void *ctx);

/* The number of online processors (at least 1). */
int rad_pool_cpus(void);

/* Run n jobs on min(threads, n) threads (threads <= 0: rad_pool_cpus()).
 * Returns 0 when every job ran; 1 when the run stopped early (interrupt, or
 * a failed job with stop_on_error).  A thread that cannot be started leaves
 * its share to the others (the calling thread always works).  *done (may be
 * NULL) = how many jobs ran. */
int rad_pool_run(size_t n, int threads, RadPoolJob job, void *ctx, int stop_on_error, size_t *done);

/* 1 when the calling thread is running a job of a pool (a run started now
 * would be nested), else 0. */
int rad_pool_nested(void);

#endif
