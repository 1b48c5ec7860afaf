/* radlab: IBSI 2 filters inside extraction: tag prefixes and the features
 * of response maps.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pipeline follows IBSI 2 phase 2 (arXiv:2006.05470): the ROI is
 * prepared as for the unfiltered features (interpolation, rounding,
 * re-segmentation of the ORIGINAL intensities, so the range [-1000, 400] HU
 * defines the ROI); each filter is then applied to the whole (interpolated)
 * image, without cropping, and the families of filter_families are
 * computed from the response sampled in that same ROI.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "image/filters/gabor.h"
#include "image/filters/pyrad.h"
#include "util/error.h"
#include "util/pool.h"

/* Append printf text at *at; -1 when out of room. */
static int put(char *out, size_t size, size_t *at, const char *fmt, ...) RAD_PRINTF(4, 5);
static int put(char *out, size_t size, size_t *at, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (*at >= size)
        return -1;
    va_start(ap, fmt);
    n = vsnprintf(out + *at, size - *at, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size - *at)
        return -1;
    *at += (size_t)n;
    return 0;
}

/* degrees for a tag: 22.5, not 22.499999999999996 */
static double deg(double rad)
{
    return round(rad * 180 / M_PI * 1e6) / 1e6;
}

int rad_filter_prefix(const RadFilterSpec *f, char *out, size_t size)
{
    static const char *const pool[] = {"max", "mean", "min"};
    size_t at = 0;
    int rc = 0;
    if (size)
        out[0] = '\0';
    switch (f->kind) {
    case RAD_FILTER_MEAN:
        rc |= put(out, size, &at, "mean_%d", f->mean.support);
        break;
    case RAD_FILTER_LOG:
        rc |= put(out, size, &at, "log_s%gmm", f->log.sigma);
        if (f->log.truncate != 4)
            rc |= put(out, size, &at, "_t%g", f->log.truncate);
        break;
    case RAD_FILTER_LAWS:
        rc |= put(out, size, &at, "laws_%s", f->laws.kernel);
        if (f->laws.energy > 0)
            rc |= put(out, size, &at, "_e%d", f->laws.energy);
        if (f->laws.rotation_invariant)
            rc |= put(out, size, &at, "_inv%s",
                      f->laws.pooling == RAD_FILTER_POOL_MAX ? "" : pool[f->laws.pooling % 3]);
        break;
    case RAD_FILTER_GABOR:
        rc |= put(out, size, &at, "gabor_s%g_g%g_l%g_t%g", f->gabor.sigma, f->gabor.gamma, f->gabor.lambda,
                  deg(f->gabor.theta));
        if (f->gabor.theta_step > 0)
            rc |= put(out, size, &at, "_%g", deg(f->gabor.theta_step));
        if (f->gabor.response == RAD_GABOR_REAL)
            rc |= put(out, size, &at, "_real");
        else if (f->gabor.response == RAD_GABOR_IMAGINARY)
            rc |= put(out, size, &at, "_imag");
        if (f->gabor.pooling == RAD_GABOR_POOL_MAX)
            rc |= put(out, size, &at, "_max");
        break;
    case RAD_FILTER_WAVELET:
        rc |= put(out, size, &at, "wav_%s_%s_L%d", f->wavelet.family, f->wavelet.band, f->wavelet.level);
        if (f->wavelet.rotation_invariant)
            rc |= put(out, size, &at, "_inv");
        if (f->wavelet.decimated)
            rc |= put(out, size, &at, "_dec");
        break;
    case RAD_FILTER_SIMONCELLI:
        rc |= put(out, size, &at, "simoncelli_L%d", f->simoncelli.level);
        break;
    case RAD_FILTER_SQUARE:
        rc |= put(out, size, &at, "square");
        break;
    case RAD_FILTER_SQUAREROOT:
        rc |= put(out, size, &at, "squareroot");
        break;
    case RAD_FILTER_LOGARITHM:
        rc |= put(out, size, &at, "logarithm");
        break;
    case RAD_FILTER_EXPONENTIAL:
        rc |= put(out, size, &at, "exponential");
        break;
    case RAD_FILTER_GRADIENT:
        rc |= put(out, size, &at, "gradient%s", f->gradient.use_spacing ? "" : "_vox");
        break;
    case RAD_FILTER_LBP2D:
        rc |= put(out, size, &at, "lbp2d_P%d_R%g_%s", f->lbp2d.points, f->lbp2d.radius,
                  rad_lbp_method_name(f->lbp2d.method));
        break;
    case RAD_FILTER_PYWAVELET:
        rc |= put(out, size, &at, "pywav_%s_%s_L%d", f->pywavelet.family, f->pywavelet.band, f->pywavelet.level);
        if (f->pywavelet.start_level > 0) /* absent at 0: digests stay */
            rc |= put(out, size, &at, "_start%d", f->pywavelet.start_level);
        break;
    case RAD_FILTER_PYLOG:
        rc |= put(out, size, &at, "pylog_s%gmm", f->pylog.sigma);
        break;
    case RAD_FILTER_LBP3D:
        /* levels only bounds output: m<j> and k do not depend on it */
        if (f->lbp3d.output == 0)
            rc |= put(out, size, &at, "lbp3d_R%g_S%d_k", f->lbp3d.radius, f->lbp3d.subdivision);
        else
            rc |= put(out, size, &at, "lbp3d_R%g_S%d_m%d", f->lbp3d.radius, f->lbp3d.subdivision, f->lbp3d.output);
        break;
    default:
        return rad_error_set("unknown filter kind %d", (int)f->kind);
    }
    /* the Riesz order, x first: log_s3mm_riesz100_3D (2D: riesz10) */
    if (f->riesz[0] || f->riesz[1] || f->riesz[2]) {
        rc |= put(out, size, &at, "_riesz%d%d", f->riesz[0], f->riesz[1]);
        if (f->dims == 3)
            rc |= put(out, size, &at, "%d", f->riesz[2]);
    }
    if (f->boundary != RAD_BOUNDARY_MIRROR)
        rc |= put(out, size, &at, "_b%s", rad_boundary_name(f->boundary));
    rc |= put(out, size, &at, "_%dD", f->dims);
    if (rc)
        return rad_error_set("filter tag prefix longer than %zu bytes", size ? size - 1 : 0);
    return 0;
}

int rad_extract_filtered(const RadRoi *roi, const RadSettings *s, int threads, RadFeatureSet *fs)
{
    RadImage view;
    view.geom = roi->geom;
    view.data = roi->image;
    for (int i = 0; i < s->n_filters; i++) {
        RadFilterSpec spec = s->filters[i];
        RadImage *resp;
        RadRoi r;
        char prefix[128];
        if (rad_filter_prefix(&spec, prefix, sizeof prefix) != 0)
            return -1;
        if (spec.threads == 0 && threads > 0)
            spec.threads = threads;
        if (!(resp = rad_filter_apply(&view, &spec))) {
            rad_error_prefix("filters[%d] (%s)", i + 1, prefix);
            return -1;
        }
        r = *roi;
        r.image = resp->data;
        for (const RadFamily *const *fam = rad_families(); *fam; fam++) {
            RadFeatureSet *one;
            int rc;
            if (!(*fam)->compute || !(s->filter_families & (*fam)->bit))
                continue;
            if (!(one = rad_featureset_new())) {
                rad_image_free(resp);
                return -1;
            }
            rc = (*fam)->compute(&r, s, one);
            for (size_t k = 0; rc == 0 && k < one->n; k++) {
                char tag[256];
                snprintf(tag, sizeof tag, "%s_%s", prefix, one->tags[k]);
                rc = rad_featureset_add(fs, tag, one->values[k]);
            }
            rad_featureset_free(one);
            if (rc != 0) {
                rad_error_prefix("filters[%d] (%s), %s features", i + 1, prefix, (*fam)->prefix);
                rad_image_free(resp);
                return -1;
            }
        }
        rad_image_free(resp);
        if (rad_interrupt_check() != 0)
            return -1;
    }
    return 0;
}

/* ---- compat = "pyradiomics": filters as PyRadiomics' image types ------------------ */

/* Python's str() of a float: the shortest digits that read back, with ".0"
 * when they have no point or exponent (1.0, 2.5, 0.75) */
static void python_float(double v, char *out, size_t size)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, size, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            break;
    }
    if (!strpbrk(out, ".eninf") && strlen(out) + 2 < size)
        strcat(out, ".0");
}

int rad_pyrad_image_type(const RadFilterSpec *f, char *out, size_t size)
{
    char num[32];
    int n;
    switch (f->kind) {
    case RAD_FILTER_PYLOG:
        /* log-sigma-<str(sigma) with '.' -> '-'>-mm-3D, whatever the dims */
        python_float(f->pylog.sigma, num, sizeof num);
        for (char *c = num; *c; c++)
            if (*c == '.')
                *c = '-';
        n = snprintf(out, size, "log-sigma-%s-mm-3D", num);
        break;
    case RAD_FILTER_PYWAVELET:
        if (f->pywavelet.level == 1)
            n = snprintf(out, size, "wavelet-%s", f->pywavelet.band);
        else
            n = snprintf(out, size, "wavelet%d-%s", f->pywavelet.level, f->pywavelet.band);
        break;
    case RAD_FILTER_SQUARE:
        n = snprintf(out, size, "square");
        break;
    case RAD_FILTER_SQUAREROOT:
        n = snprintf(out, size, "squareroot");
        break;
    case RAD_FILTER_LOGARITHM:
        n = snprintf(out, size, "logarithm");
        break;
    case RAD_FILTER_EXPONENTIAL:
        n = snprintf(out, size, "exponential");
        break;
    case RAD_FILTER_GRADIENT:
        n = snprintf(out, size, "gradient");
        break;
    case RAD_FILTER_LBP2D:
        n = snprintf(out, size, "lbp-2D");
        break;
    case RAD_FILTER_LBP3D:
        if (f->lbp3d.output == 0)
            n = snprintf(out, size, "lbp-3D-k");
        else
            n = snprintf(out, size, "lbp-3D-m%d", f->lbp3d.output);
        break;
    default: {
        char prefix[128];
        if (rad_filter_prefix(f, prefix, sizeof prefix) != 0)
            return -1;
        return rad_error_set("%s is an IBSI filter; compat = \"pyradiomics\" takes PyRadiomics' image types: pylog "
                             "(LoG), pywavelet (Wavelet), square, squareroot, logarithm, exponential, gradient, lbp2d, "
                             "lbp3d",
                             prefix);
    }
    }
    if (n < 0 || (size_t)n >= size)
        return rad_error_set("image type name longer than %zu bytes", size ? size - 1 : 0);
    return 0;
}

/* The image types as pool jobs: each job filters the image and measures
 * the response into its own feature set, and the sets are appended in the
 * order of s->filters afterwards, so names and values do not depend on the
 * thread count.  A job's filter and classes run on the pool too (nested
 * runs: on the processors the other jobs leave idle). */
typedef struct TypeJobs {
    const RadRoi *roi;
    const RadSettings *s;  /* the extraction's settings (each type's own: rad_pyrad_type_settings) */
    const RadFilterSpec *filters;
    char (*name)[64];      /* the image types' names */
    int threads;
    RadFeatureSet **out;
    char (*err)[512];      /* a failed job's message (messages are per thread) */
} TypeJobs;

static int type_job(size_t i, void *ctx)
{
    TypeJobs *j = ctx;
    RadFilterSpec spec = j->filters[i];
    RadFeatureSet *one = NULL;
    RadImage view, *resp = NULL;
    RadRoi r;
    RadSettings s2;
    const char *name = j->name[i];
    int rc = -1;
    rad_pyrad_type_settings(j->s, (int)i, &s2);
    view.geom = j->roi->geom;
    view.data = j->roi->image;
    if (rad_interrupt_check() != 0)
        goto done;
    if (spec.threads == 0 && j->threads > 0)
        spec.threads = j->threads;
    if (!(resp = rad_filter_apply(&view, &spec))) {
        rad_error_prefix("filters[%zu] (image type %s)", i + 1, name);
        goto done;
    }
    if (!(one = rad_featureset_new()) || !(j->out[i] = rad_featureset_new()))
        goto done;
    r = *j->roi;
    r.image = resp->data;
    if (rad_pyrad_compute_threads(&r, &s2, one, j->threads) != 0) {
        rad_error_prefix("image type %s", name);
        goto done;
    }
    /* original_<class>_<Feature> -> <image type>_<class>_<Feature> */
    rc = 0;
    for (size_t k = 0; rc == 0 && k < one->n; k++) {
        const char *t = one->tags[k];
        char tag[256];
        if (strncmp(t, "original_", 9) == 0)
            t += 9;
        snprintf(tag, sizeof tag, "%s_%s", name, t);
        rc = rad_featureset_add(j->out[i], tag, one->values[k]);
    }
done:
    if (rc != 0)
        snprintf(j->err[i], sizeof j->err[i], "%s", rad_error_message());
    rad_featureset_free(one);
    rad_image_free(resp);
    return rc;
}

int rad_extract_filtered_pyrad(const RadRoi *roi, const RadSettings *s, int threads, RadFeatureSet *fs)
{
    TypeJobs j;
    size_t n = (size_t)s->n_filters;
    int rc = 0;
    j.roi = roi;
    j.s = s;
    j.filters = s->filters;
    j.threads = threads;
    j.name = rad_calloc(n ? n : 1, sizeof *j.name, "image type jobs");
    j.out = rad_calloc(n ? n : 1, sizeof *j.out, "image type jobs");
    j.err = rad_calloc(n ? n : 1, sizeof *j.err, "image type jobs");
    if (!j.name || !j.out || !j.err)
        rc = -1;
    /* every name first: an IBSI filter fails before any work */
    for (size_t i = 0; i < n && rc == 0; i++)
        if (rad_pyrad_image_type(&s->filters[i], j.name[i], sizeof j.name[i]) != 0)
            rc = rad_error_prefix("filters[%zu]", i + 1);
    if (rc != 0) {
        free(j.name);
        free(j.out);
        free(j.err);
        return -1;
    }
    rad_pool_run(n, threads, type_job, &j, 1, NULL);
    /* the first failure in filter order, whatever the scheduling; a job not
     * run (stopped by another's failure or an interrupt) has no set */
    for (size_t i = 0; i < n && rc == 0; i++)
        if (j.err[i][0])
            rc = rad_error_set("%s", j.err[i]);
    for (size_t i = 0; i < n && rc == 0; i++)
        if (!j.out[i] && (rc = rad_interrupt_check()) == 0)
            rc = rad_error_set("image type %zu not computed (internal error: the job did not run)", i + 1);
    for (size_t i = 0; i < n && rc == 0; i++)
        for (size_t k = 0; k < j.out[i]->n && rc == 0; k++)
            rc = rad_featureset_add(fs, j.out[i]->tags[k], j.out[i]->values[k]);
    for (size_t i = 0; i < n; i++)
        rad_featureset_free(j.out[i]);
    free(j.name);
    free(j.out);
    free(j.err);
    return rc;
}
