/* radlab: the extraction driver.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "util/error.h"
#include "util/pool.h"

/* What makes the ROI degenerate, for the warning about undefined features:
 * "one voxel", "one slice", "constant intensity", "one grey level" (those
 * that apply, comma-separated), or a pointer to the manual when none does
 * (e.g. a mean intensity of 0 leaves the coefficient of variation undefined). */
static void degenerate_why(const RadRoi *roi, char *buf, size_t size)
{
    const size_t *d = roi->geom.dim;
    size_t at = 0;
    float lo = 0, hi = 0;
    int seen = 0;
    /* the intensity mask lies in the box of the morphological one */
    for (size_t z = roi->box.lo[2]; z <= roi->box.hi[2]; z++)
        for (size_t y = roi->box.lo[1]; y <= roi->box.hi[1]; y++)
            for (size_t v = roi->box.lo[0] + d[0] * (y + d[1] * z), e = v + roi->box.hi[0] - roi->box.lo[0];
                 v <= e; v++)
                if (roi->mask[v]) {
                    if (!seen || roi->image[v] < lo)
                        lo = roi->image[v];
                    if (!seen || roi->image[v] > hi)
                        hi = roi->image[v];
                    seen = 1;
                }
    buf[0] = '\0';
    if (roi->n_mask == 1)
        at += (size_t)snprintf(buf + at, size - at, "%sone voxel", at ? ", " : "");
    else if (roi->box.lo[2] == roi->box.hi[2] && roi->geom.dim[2] > 1)
        at += (size_t)snprintf(buf + at, size - at, "%sone slice", at ? ", " : "");
    if (roi->n_mask > 1 && lo == hi)
        at += (size_t)snprintf(buf + at, size - at, "%sconstant intensity", at ? ", " : "");
    if (roi->ng == 1)
        at += (size_t)snprintf(buf + at, size - at, "%sone grey level", at ? ", " : "");
    if (at == 0)
        snprintf(buf, size, "see radlab-features(7), UNDEFINED FEATURES");
}

/* The families of one case as pool jobs: each job computes one family into
 * its own feature set (its own scratch memory: families share only the
 * read-only ROI), and the sets are appended in registry order afterwards, so
 * the table and its values are the same whatever the thread count. */
#define MAX_JOBS 64

typedef struct FamilyJobs {
    const RadRoi *roi;
    const RadSettings *s;
    const RadFamily *fam[MAX_JOBS];
    int part[MAX_JOBS];       /* -1: the whole family, else this part of it */
    RadFeatureSet *out[MAX_JOBS];
    char err[MAX_JOBS][512];  /* a failed job's message (messages are per thread) */
    int failed[MAX_JOBS];
} FamilyJobs;

static int family_job(size_t i, void *ctx)
{
    FamilyJobs *j = ctx;
    const RadFamily *f = j->fam[i];
    if (rad_interrupt_check() != 0 || !(j->out[i] = rad_featureset_new()) ||
        (j->part[i] < 0 ? f->compute(j->roi, j->s, j->out[i]) : f->part(j->roi, j->s, j->out[i], j->part[i])) != 0) {
        snprintf(j->err[i], sizeof j->err[i], "%s", rad_error_message());
        j->failed[i] = 1;
        return 1;
    }
    return 0;
}

/* The IBSI families of the prepared roi as pool jobs, appended to fs in
 * registry order.  0 or -1. */
static int extract_families(const RadRoi *roi, const RadSettings *s, int threads, RadFeatureSet *fs)
{
    const RadFamily *const *fam;
    FamilyJobs *jobs = calloc(1, sizeof *jobs);
    size_t nj = 0;
    int rc = -1;
    if (!jobs)
        return rad_error_set("out of memory (feature family jobs)");
    jobs->roi = roi;
    jobs->s = s;
    /* registry order, a family that splits as its parts; jobs are taken in
     * this order, and morphology, the longest, comes first */
    for (fam = rad_families(); *fam; fam++) {
        int np = (*fam)->nparts > 1 && (*fam)->part ? (*fam)->nparts : 1;
        if (!(*fam)->compute || !(s->families & (*fam)->bit))
            continue;
        for (int p = 0; p < np; p++) {
            if (nj == MAX_JOBS) { /* the registry has 11 families: never */
                rad_error_set("internal error: more than %d feature family jobs", MAX_JOBS);
                goto done;
            }
            jobs->fam[nj] = *fam;
            jobs->part[nj++] = np > 1 ? p : -1;
        }
    }
    rad_pool_run(nj, threads, family_job, jobs, 1, NULL);
    /* the first failure in registry order, whatever the scheduling; a job
     * not run (stopped by another's failure or an interrupt) has no set */
    for (size_t i = 0; i < nj; i++) {
        if (jobs->failed[i] || !jobs->out[i]) {
            /* jobs are taken in index order, so a job that did not run was
             * stopped by an interrupt or by an earlier family's failure
             * (reported first) */
            if (jobs->failed[i])
                rad_error_set("%s", jobs->err[i]);
            else if (rad_interrupt_check() == 0)
                rad_error_set("not computed (internal error: the job did not run)");
            rad_error_prefix("%s features", jobs->fam[i]->prefix);
            goto done;
        }
        for (size_t r = 0; r < jobs->out[i]->n; r++)
            if (rad_featureset_add(fs, jobs->out[i]->tags[r], jobs->out[i]->values[r]) != 0)
                goto done;
    }
    rc = 0;
done:
    for (size_t i = 0; i < nj; i++)
        rad_featureset_free(jobs->out[i]);
    free(jobs);
    return rc;
}

/* compat = "pyradiomics" (pyrad.c): the original image's classes (without
 * the Original image type only shape, which PyRadiomics computes from the
 * mask whatever the image types), then the image types; the featureClass
 * lists are checked over both. */
static int extract_pyrad(const RadRoi *roi, const RadSettings *s, int threads, RadFeatureSet *fs, size_t first)
{
    RadSettings so;
    const RadSettings *o = s;
    if (!s->pyr.original) {
        so = *s;
        so.families &= (unsigned)(RAD_FAM_MORPH | RAD_FAM_DIAG);
        o = &so;
    }
    if (rad_pyrad_compute_threads(roi, o, fs, threads) != 0)
        return -1;
    if (s->n_filters > 0 && rad_extract_filtered_pyrad(roi, s, threads, fs) != 0)
        return -1;
    return rad_pyrad_select_check(fs, first, s);
}

RadFeatureSet *rad_extract(const RadImage *img, const RadMask *mask, const RadSettings *s)
{
    return rad_extract_threads(img, mask, s, 0);
}

RadFeatureSet *rad_extract_threads(const RadImage *img, const RadMask *mask, const RadSettings *s, int threads)
{
    RadFeatureSet *fs;
    RadRoi roi;
    size_t first;
    int rc;
    char why[96];

    if (rad_settings_check(s) != 0)
        return NULL;
    fs = rad_featureset_new();
    if (!fs)
        return NULL;
    rad_settings_digest(s, fs->digest);
    if (rad_roi_prepare_threads(img, mask, s, &roi, (s->families & RAD_FAM_DIAG) ? fs : NULL, threads) != 0) {
        rad_featureset_free(fs);
        return NULL;
    }
    /* 2.5D merges the matrices of several slices: a 2D image has one, so
     * its _2_5D rows would repeat _2D under a name that claims more */
    if (roi.is_2d && (s->aggr & RAD_AGGR_2_5D) &&
        (s->families & (RAD_FAM_CM | RAD_FAM_RLM | RAD_FAM_SZM | RAD_FAM_DZM | RAD_FAM_NGT | RAD_FAM_NGL))) {
        rad_error_set("texture aggregation 2.5D merges the slices of a 3D image, but the image is 2D (%zux%zu): "
                      "set settings.texture.aggregation = {\"2D\"}", roi.geom.dim[0], roi.geom.dim[1]);
        goto fail;
    }
    first = fs->n; /* the diagnostic rows are always defined */
    if (s->compat == RAD_COMPAT_PYRADIOMICS) /* PyRadiomics' definitions and names (pyrad.c) */
        rc = extract_pyrad(&roi, s, threads, fs, first) != 0;
    else
        rc = extract_families(&roi, s, threads, fs) != 0 ||
             (s->n_filters > 0 && rad_extract_filtered(&roi, s, threads, fs) != 0);
    if (rc)
        goto fail;
    degenerate_why(&roi, why, sizeof why);
    rad_roi_free(&roi);
    if (rad_featureset_note_undefined(fs, first, why) != 0) {
        rad_featureset_free(fs);
        return NULL;
    }
    return fs;
fail:
    rad_roi_free(&roi);
    rad_featureset_free(fs);
    return NULL;
}
