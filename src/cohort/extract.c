/* radlab: case-parallel extraction over a cohort.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cohort/cache.h"
#include "cohort/cohort.h"
#include "io/io.h"
#include "util/error.h"
#include "util/pool.h"

typedef struct Job {
    const RadCohortCase *cases;
    const RadSettings *s;
    const RadCohortOptions *opt;
    RadCohortResult *out;
    char digest[65];          /* of the settings */
    RadCache *cache;          /* NULL: none (or given up on) */
    pthread_mutex_t lock;     /* guards the fields below and progress calls */
    int cache_off;            /* a write failed: no more cache writes */
    RadCohortProgress prog;
    struct timespec t0;
} Job;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* Extraction of one case without the cache: read, select the label (or
 * rasterise the RTSTRUCT contour / SEG segment the roi names), extract,
 * free the images. */
static RadFeatureSet *compute(const RadCohortCase *c, const RadSettings *s)
{
    RadImage *img = NULL;
    RadMask *mask = NULL;
    RadFeatureSet *fs = NULL;
    char modality[17], for_uid[65];
    int dicom = rad_mask_is_dicom(c->mask, modality);
    if ((img = rad_image_read_for(c->image, for_uid)) != NULL) {
        /* an RTSTRUCT contour or SEG segment (named by roi) is rasterised on
         * the image's grid (in its frame of reference when the image is
         * DICOM): its mask is that region (label 1) */
        mask = dicom ? rad_dicom_mask_read(c->mask, c->roi, &img->geom, for_uid[0] ? for_uid : NULL)
                     : rad_mask_read(c->mask);
        if (mask) {
            if (!dicom)
                mask->label = c->label;
            fs = rad_extract(img, mask, s);
        }
    }
    rad_mask_free(mask);
    rad_image_free(img);
    return fs;
}

/* The cache's part of a case: look up (*key set, *fs on a hit). */
static void cache_lookup(Job *j, const RadCohortCase *c, char key[65], RadFeatureSet **fs, int *have_key)
{
    int corrupt = 0;
    *have_key = 0;
    if (rad_cache_key(c->image, c->mask, c->label, c->roi, j->digest, key) != 0) {
        rad_error_clear(); /* an unreadable file: the reader names it below */
        return;
    }
    *have_key = 1;
    *fs = rad_cache_get(j->cache, key, j->digest, &corrupt);
    if (corrupt) {
        pthread_mutex_lock(&j->lock);
        j->out->ncorrupt++;
        pthread_mutex_unlock(&j->lock);
    }
}

static void cache_store(Job *j, const char key[65], const RadFeatureSet *fs)
{
    int off;
    pthread_mutex_lock(&j->lock);
    off = j->cache_off;
    pthread_mutex_unlock(&j->lock);
    if (off || rad_cache_put(j->cache, key, fs) == 0)
        return;
    pthread_mutex_lock(&j->lock);
    if (!j->cache_off) { /* warn once, then go on without writing */
        j->cache_off = 1;
        free(j->out->cache_warning);
        j->out->cache_warning = rad_strdup(rad_error_message());
    }
    pthread_mutex_unlock(&j->lock);
    rad_error_clear();
}

/* One case. */
static int run_case(size_t i, void *ctx)
{
    Job *j = ctx;
    const RadCohortCase *c = &j->cases[i];
    RadFeatureSet *fs = NULL;
    char key[65];
    int have_key = 0, hit = 0, failed = 0;

    rad_error_clear();
    if (c->label < 0 || c->label > 255)
        rad_error_set("label must be 0..255 (0 = every non-zero voxel), got %d", c->label);
    else {
        if (j->cache)
            cache_lookup(j, c, key, &fs, &have_key);
        hit = fs != NULL;
        if (!fs && (fs = compute(c, j->s)) != NULL && have_key)
            cache_store(j, key, fs);
    }
    if (fs) {
        j->out->fs[i] = fs;
        j->out->cached[i] = (unsigned char)hit;
    } else if (rad_interrupted()) {
        return -1; /* stopped, not failed: the case did not run to its end */
    } else {
        /* the message is this thread's; keep a copy (out of memory: a fixed one) */
        j->out->error[i] = strdup(rad_error_message()[0] ? rad_error_message() : "failed (no message)");
        if (!j->out->error[i])
            j->out->error[i] = strdup("out of memory");
        failed = 1;
    }
    pthread_mutex_lock(&j->lock);
    j->prog.done++;
    j->prog.failed += (size_t)failed;
    j->prog.cached += (size_t)hit;
    if (j->opt->progress) {
        j->prog.seconds = since(&j->t0);
        j->opt->progress(&j->prog, j->opt->progress_ctx);
    }
    pthread_mutex_unlock(&j->lock);
    return failed ? -1 : 0;
}

int rad_cohort_extract(const RadCohortCase *cases, size_t n, const RadSettings *s, const RadCohortOptions *opt,
                       RadCohortResult *out)
{
    static const RadCohortOptions defaults = {0, 0, NULL, NULL, NULL};
    Job job;
    size_t done, i;
    int rc;

    memset(out, 0, sizeof *out);
    if (!opt)
        opt = &defaults;
    if (rad_settings_check(s) != 0)
        return -1;
    out->fs = rad_calloc(n ? n : 1, sizeof *out->fs, "cohort feature sets");
    out->error = rad_calloc(n ? n : 1, sizeof *out->error, "cohort messages");
    out->cached = rad_calloc(n ? n : 1, 1, "cohort cache flags");
    if (!out->fs || !out->error || !out->cached) {
        rad_cohort_result_free(out);
        return -1;
    }
    out->n = n;
    memset(&job, 0, sizeof job);
    job.cases = cases;
    job.s = s;
    job.opt = opt;
    job.out = out;
    job.prog.total = n;
    rad_settings_digest(s, job.digest);
    if (opt->cache && !(job.cache = rad_cache_open(opt->cache))) {
        out->cache_warning = rad_strdup(rad_error_message());
        rad_error_clear();
    }
    pthread_mutex_init(&job.lock, NULL);
    clock_gettime(CLOCK_MONOTONIC, &job.t0);
    rc = rad_pool_run(n, opt->threads, run_case, &job, opt->strict, &done);
    pthread_mutex_destroy(&job.lock);
    rad_cache_close(job.cache);
    for (i = 0; i < n; i++) {
        if (out->fs[i]) {
            out->nok++;
            out->ncached += out->cached[i];
        } else if (out->error[i])
            out->nfailed++;
    }
    if (opt->strict && out->nfailed) {
        /* jobs are taken in index order, so the lowest failed index is the
         * first failing case of the cohort whatever the thread count */
        for (i = 0; !out->error[i]; i++)
            ;
        if (cases[i].id)
            return rad_error_set("case '%s' (row %zu): %s", cases[i].id, i + 1, out->error[i]);
        return rad_error_set("row %zu: %s", i + 1, out->error[i]);
    }
    if (rc != 0 || out->nok + out->nfailed < n) {
        out->interrupted = 1;
        return rad_error_set("interrupted");
    }
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
    free(r->cached);
    free(r->cache_warning);
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
        status[i] = r->fs[i] ? "ok" : r->error[i] ? "failed" : "interrupted";
        err[i] = r->fs[i] ? NULL : r->error[i] ? r->error[i] : "not run: the run was interrupted";
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
