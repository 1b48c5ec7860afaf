/* radlab: cohorts: case-parallel extraction.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A cohort is a list of cases (image, mask, label).  rad_cohort_extract runs
 * rad_extract on each case on a thread pool (util/pool.h); each worker reads
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
} RadCohortCase;

typedef struct RadCohortResult {
    size_t n;             /* cases */
    RadFeatureSet **fs;   /* n entries: the features, or NULL when the case failed or did not run */
    char **error;         /* n entries: the case's message when it failed, else NULL */
    size_t nok, nfailed;  /* cases that succeeded / failed (nok + nfailed < n when stopped early) */
} RadCohortResult;

/* Extract every case with settings s on `threads` threads (<= 0: one per
 * processor).  Returns 0 when every case ran (some may have failed: see
 * out->error); -1 when the run stopped: interrupted ("interrupted"), or with
 * strict at the first failing case in case order, the message then naming
 * it: "case 'p012' (row 3): <message>".  On -1 *out is filled as far as it
 * got and must still be freed.  Bad settings fail before any case runs. */
int rad_cohort_extract(const RadCohortCase *cases, size_t n, const RadSettings *s, int threads, int strict,
                       RadCohortResult *out);
void rad_cohort_result_free(RadCohortResult *r);

/* The result table: the columns of `keys` (n rows, copied; NULL: none), then
 * status ("ok"/"failed"), error (the message or missing), then one column per
 * feature tag in the order of the feature sets (the registry's order),
 * missing for failed cases and undefined features.  NULL on failure (a key
 * column named status, error or like a feature is an error). */
RadTable *rad_cohort_table(const RadTable *keys, const RadCohortResult *r);

#endif
