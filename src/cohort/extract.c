/* radlab: case-parallel extraction over a cohort.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cohort/cohort.h"
#include "io/io.h"
#include "util/error.h"
#include "util/pool.h"

typedef struct Job {
    const RadCohortCase *cases;
    const RadSettings *s;
    RadCohortResult *out;
} Job;

/* One case: read, select the label, extract, free the images. */
static int run_case(size_t i, void *ctx)
{
    Job *j = ctx;
    const RadCohortCase *c = &j->cases[i];
    RadImage *img = NULL;
    RadMask *mask = NULL;
    RadFeatureSet *fs = NULL;

    rad_error_clear();
    if (c->label < 0 || c->label > 255)
        rad_error_set("label must be 0..255 (0 = every non-zero voxel), got %d", c->label);
    else if ((img = rad_image_read(c->image)) != NULL && (mask = rad_mask_read(c->mask)) != NULL) {
        mask->label = c->label;
        fs = rad_extract(img, mask, j->s);
    }
    rad_mask_free(mask);
    rad_image_free(img);
    if (fs) {
        j->out->fs[i] = fs;
        return 0;
    }
    /* the message is this thread's; keep a copy (out of memory: a fixed one) */
    j->out->error[i] = strdup(rad_error_message()[0] ? rad_error_message() : "failed (no message)");
    if (!j->out->error[i])
        j->out->error[i] = strdup("out of memory");
    return -1;
}

int rad_cohort_extract(const RadCohortCase *cases, size_t n, const RadSettings *s, int threads, int strict,
                       RadCohortResult *out)
{
    Job job;
    size_t done, i;
    int rc;

    memset(out, 0, sizeof *out);
    if (rad_settings_check(s) != 0)
        return -1;
    out->fs = rad_calloc(n ? n : 1, sizeof *out->fs, "cohort feature sets");
    out->error = rad_calloc(n ? n : 1, sizeof *out->error, "cohort messages");
    if (!out->fs || !out->error) {
        rad_cohort_result_free(out);
        return -1;
    }
    out->n = n;
    job.cases = cases;
    job.s = s;
    job.out = out;
    rc = rad_pool_run(n, threads, run_case, &job, strict, &done);
    for (i = 0; i < n; i++) {
        if (out->fs[i])
            out->nok++;
        else if (out->error[i])
            out->nfailed++;
    }
    if (strict && out->nfailed) {
        /* jobs are taken in index order, so the lowest failed index is the
         * first failing case of the cohort whatever the thread count */
        for (i = 0; !out->error[i]; i++)
            ;
        if (cases[i].id)
            return rad_error_set("case '%s' (row %zu): %s", cases[i].id, i + 1, out->error[i]);
        return rad_error_set("row %zu: %s", i + 1, out->error[i]);
    }
    if (rc != 0 || out->nok + out->nfailed < n)
        return rad_error_set("interrupted");
    return 0;
}

void rad_cohort_result_free(RadCohortResult *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        if (r->fs)
            rad_featureset_free(r->fs[i]);
        if (r->error)
            free(r->error[i]);
    }
    free(r->fs);
    free(r->error);
    memset(r, 0, sizeof *r);
}

/* Position of tag in tags[0..*ntags-1], appending it when new (hint: the
 * position it usually has, as every case has the same tags in order). */
static long tag_index(char ***tags, size_t *ntags, size_t *cap, const char *tag, size_t hint)
{
    size_t k;
    if (hint < *ntags && strcmp((*tags)[hint], tag) == 0)
        return (long)hint;
    for (k = 0; k < *ntags; k++)
        if (strcmp((*tags)[k], tag) == 0)
            return (long)k;
    if (*ntags == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        char **t = realloc(*tags, nc * sizeof *t);
        if (!t)
            return rad_error_set("out of memory (cohort feature names)");
        *tags = t;
        *cap = nc;
    }
    (*tags)[*ntags] = (char *)tag; /* borrowed from the feature set */
    return (long)(*ntags)++;
}

RadTable *rad_cohort_table(const RadTable *keys, const RadCohortResult *r)
{
    RadTable *t;
    char **tags = NULL, **status = NULL, **err = NULL;
    size_t ntags = 0, cap = 0, i, k;
    double *vals = NULL;

    if (keys && keys->nrow != r->n) {
        rad_error_set("cohort table: %zu key rows for %zu cases", keys->nrow, r->n);
        return NULL;
    }
    t = keys ? rad_table_copy(keys) : rad_table_new(r->n);
    if (!t)
        return NULL;
    status = rad_calloc(r->n ? r->n : 1, sizeof *status, "cohort status");
    err = rad_calloc(r->n ? r->n : 1, sizeof *err, "cohort errors");
    if (!status || !err)
        goto fail;
    for (i = 0; i < r->n; i++) {
        status[i] = r->fs[i] ? "ok" : "failed";
        err[i] = r->fs[i] ? NULL : r->error[i];
    }
    if (rad_table_add_str(t, "status", (const char *const *)status) != 0 ||
        rad_table_add_str(t, "error", (const char *const *)err) != 0)
        goto fail;
    /* the union of the tags, in order of first appearance */
    for (i = 0; i < r->n; i++)
        if (r->fs[i])
            for (k = 0; k < r->fs[i]->n; k++)
                if (tag_index(&tags, &ntags, &cap, r->fs[i]->tags[k], k) < 0)
                    goto fail;
    vals = rad_malloc((r->n ? r->n : 1) * sizeof *vals, "cohort feature column");
    if (!vals)
        goto fail;
    for (k = 0; k < ntags; k++) {
        for (i = 0; i < r->n; i++) {
            long at = r->fs[i] ? (k < r->fs[i]->n && strcmp(r->fs[i]->tags[k], tags[k]) == 0
                                      ? (long)k
                                      : rad_featureset_find(r->fs[i], tags[k]))
                               : -1;
            vals[i] = at < 0 ? NAN : r->fs[i]->values[at];
        }
        if (rad_table_add_num(t, tags[k], vals) != 0) {
            rad_error_prefix("cohort table");
            goto fail;
        }
    }
    free(vals);
    free(tags);
    free(status);
    free(err);
    return t;
fail:
    free(vals);
    free(tags);
    free(status);
    free(err);
    rad_table_free(t);
    return NULL;
}
