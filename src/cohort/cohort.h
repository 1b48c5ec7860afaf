/* radlab: cohorts: case-parallel extraction.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A cohort is a list of cases (image, mask, label).  rad_cohort_extract runs
 * rad_extract on each case on a thread pool (util/pool.h), optionally
 * through a cache of results (cohort/cache.h); each worker reads
 * its case's files, extracts and frees the images at once, so memory does not
 * grow with the cohort.  Results are stored by case index: the outcome never
 * depends on the thread count.
 */
#ifndef RAD_COHORT_COHORT_H
#define RAD_COHORT_COHORT_H

#include <stddef.h>

#include "features/features.h"
#include "table/table.h"

typedef struct RadCohortCase {
    const char *id;     /* names the case in messages (NULL: "row N") */
    const char *image;  /* image path */
    const char *mask;   /* mask path */
    int label;          /* 0 = every non-zero voxel, else 1..255 */
    const char *roi;    /* the region's name or NULL; when the mask is a DICOM RTSTRUCT or SEG it names the
                         * contour (ROI name) or segment (label or number) to use */
} RadCohortCase;

typedef struct RadCohortResult {
    size_t n;             /* cases */
    RadFeatureSet **fs;   /* n entries: the features, or NULL when the case failed or did not run */
    char **error;         /* n entries: the case's message when it failed, else NULL */
    unsigned char *cached;/* n entries: 1 when the features came from the cache */
    size_t nok, nfailed;  /* cases that succeeded / failed (nok + nfailed < n when stopped early) */
    size_t ncached;       /* of nok, how many came from the cache */
    size_t ncorrupt;      /* cache entries found invalid (recomputed and rewritten) */
    int interrupted;      /* the run was stopped by the interrupt flag */
    char *cache_warning;  /* NULL, or why the cache was not (or no longer) used: the run went on without it */
} RadCohortResult;

/* Progress, reported after each case (calls are serialised, from whichever
 * thread finished the case). */
typedef struct RadCohortProgress {
    size_t done, total;   /* cases finished (ok or failed) / in the run */
    size_t failed, cached;
    double seconds;       /* since the run started */
} RadCohortProgress;
typedef void (*RadCohortProgressFn)(const RadCohortProgress *p, void *ctx);

typedef struct RadCohortOptions {
    int threads;          /* <= 0: one per processor */
    int strict;           /* stop at the first failing case */
    const char *cache;    /* cache folder (cohort/cache.h), or NULL for none */
    RadCohortProgressFn progress; /* or NULL */
    void *progress_ctx;
} RadCohortOptions;

/* Extract every case with settings s (opt may be NULL: defaults).  Returns 0
 * when every case ran (some may have failed: see out->error); -1 when the
 * run stopped: interrupted (out->interrupted, message "interrupted"; cases
 * running then are not recorded as failed, and every finished case is in the
 * cache), or with strict at the first failing case in case order, the
 * message then naming it: "case 'p012' (row 3): <message>".  On -1 *out is
 * filled as far as it got and must still be freed.  Bad settings fail before
 * any case runs.  A cache folder that cannot be created or written, or a
 * cache write that fails mid-run, does not fail the run: out->cache_warning
 * says why and the run goes on without the cache. */
int rad_cohort_extract(const RadCohortCase *cases, size_t n, const RadSettings *s, const RadCohortOptions *opt,
                       RadCohortResult *out);
void rad_cohort_result_free(RadCohortResult *r);

/* The result table: the columns of `keys` (n rows, copied; NULL: none), then
 * status ("ok"/"failed"), error (the message or missing), then one column per
 * feature tag in the order of the feature sets (the registry's order),
 * missing for failed cases and undefined features.  A case that did not run
 * (an interrupted run) has status "interrupted".  NULL on failure (a key
 * column named status, error or like a feature is an error). */
RadTable *rad_cohort_table(const RadTable *keys, const RadCohortResult *r);

#endif
