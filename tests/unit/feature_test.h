/* radlab: helpers shared by the unit tests of the feature families.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Building a RadRoi by hand or from the IBSI phantoms without the
 * preprocessing code (so that a family is tested on its own), running
 * families, reading feature values, and comparing with the IBSI reference
 * tables (the rows "value;tolerance;tag" of the CSV files in
 * ibsi1/reference).  Every function is static and marked RAD_TAP_UNUSED
 * (tap.h): a test includes this header after tap.h and uses what it needs.
 * A ROI built here owns its four arrays and is released with rad_roi_free.
 */
#ifndef RAD_FEATURE_TEST_H
#define RAD_FEATURE_TEST_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rad.h"
#include "tap.h"

/* ---- time, values ---------------------------------------------------------------------- */

/* Monotonic clock, seconds. */
static RAD_TAP_UNUSED double ft_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The value of tag in fs; NaN when fs is NULL or has no such tag. */
static RAD_TAP_UNUSED double ft_get(const RadFeatureSet *fs, const char *tag)
{
    long i = fs ? rad_featureset_find(fs, tag) : -1;
    return i < 0 ? NAN : fs->values[i];
}

/* fs exists and every value in it is finite. */
static RAD_TAP_UNUSED int ft_all_finite(const RadFeatureSet *fs)
{
    for (size_t k = 0; fs && k < fs->n; k++)
        if (!isfinite(fs->values[k]))
            return 0;
    return fs != NULL;
}

/* The tags of fs whose value is NaN (undefined for the ROI), comma-separated
 * in fs order, into buf ("" when none): a test compares it with the exact
 * list of features that are undefined, so a new NaN or a lost one fails. */
static RAD_TAP_UNUSED const char *ft_nan_tags(const RadFeatureSet *fs, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t k = 0; fs && k < fs->n; k++)
        if (isnan(fs->values[k]) && at < size)
            at += (size_t)snprintf(buf + at, size - at, "%s%s", at ? "," : "", fs->tags[k]);
    return buf;
}

/* Number of NaN values in fs (-1 when fs is NULL). */
static RAD_TAP_UNUSED long ft_count_nan(const RadFeatureSet *fs)
{
    long n = 0;
    if (!fs)
        return -1;
    for (size_t k = 0; k < fs->n; k++)
        n += isnan(fs->values[k]) != 0;
    return n;
}

/* fs's NaN tags are exactly `want` (comma-separated, in fs order). */
static RAD_TAP_UNUSED int ft_nan_is(const RadFeatureSet *fs, const char *want, const char *what)
{
    char got[4096];
    ft_nan_tags(fs, got, sizeof got);
    if (!tap_ok(fs && strcmp(got, want) == 0, "%s", what))
        tap_diag("  NaN tags: got '%s', want '%s'", got, want);
    return fs && strcmp(got, want) == 0;
}

/* ---- running families ------------------------------------------------------------------- */

/* Run one family with settings s (NULL: the defaults); NULL on failure
 * (with a diagnostic naming the family). */
static RAD_TAP_UNUSED RadFeatureSet *ft_run(const RadFamily *fam, const RadRoi *roi, const RadSettings *s)
{
    RadSettings defaults;
    RadFeatureSet *fs = rad_featureset_new();
    if (!s) {
        rad_settings_default(&defaults);
        s = &defaults;
    }
    if (fam->compute(roi, s, fs) != 0) {
        tap_diag("%s failed: %s", fam->prefix, rad_error_message());
        rad_featureset_free(fs);
        return NULL;
    }
    return fs;
}

/* Run one family with the default settings but for the texture aggregations
 * and distance. */
static RAD_TAP_UNUSED RadFeatureSet *ft_run_texture(const RadFamily *fam, const RadRoi *roi, unsigned aggr,
                                                    int distance)
{
    RadSettings s;
    rad_settings_default(&s);
    s.aggr = aggr;
    s.distance = distance;
    return ft_run(fam, roi, &s);
}

/* Run n families into one feature set; ms[k] (ms may be NULL) the
 * milliseconds of family k.  A failing family prints a diagnostic; then the
 * result is NULL when stop, else the other families go on. */
static RAD_TAP_UNUSED RadFeatureSet *ft_run_families(const RadFamily *const *fams, int n, const RadRoi *roi,
                                                     const RadSettings *s, double *ms, int stop)
{
    RadFeatureSet *fs = rad_featureset_new();
    for (int k = 0; k < n; k++) {
        double t0 = ft_seconds();
        if (fams[k]->compute(roi, s, fs) != 0) {
            tap_diag("%s failed: %s", fams[k]->prefix, rad_error_message());
            if (stop) {
                rad_featureset_free(fs);
                return NULL;
            }
        }
        if (ms)
            ms[k] = (ft_seconds() - t0) * 1e3;
    }
    return fs;
}

/* ---- building ROIs ---------------------------------------------------------------------- */

/* An empty nx*ny*nz RadRoi (x fastest): geometry of ndim dimensions with
 * unit spacing, its four arrays zeroed.  0, or -1 when out of memory. */
static RAD_TAP_UNUSED int ft_roi_alloc(RadRoi *r, int ndim, size_t nx, size_t ny, size_t nz)
{
    size_t n = nx * ny * nz;
    memset(r, 0, sizeof *r);
    rad_geometry_init(&r->geom, ndim, nx, ny, nz);
    r->image = calloc(n, sizeof *r->image);
    r->morph = calloc(n, 1);
    r->mask = calloc(n, 1);
    r->grey = calloc(n, sizeof *r->grey);
    return r->image && r->morph && r->mask && r->grey ? 0 : -1;
}

/* After the arrays are filled: the voxel counts of both masks and the
 * bounding box of the morphological mask (all 0 when it is empty). */
static RAD_TAP_UNUSED void ft_roi_finish(RadRoi *r)
{
    const size_t *dim = r->geom.dim;
    size_t v = 0;
    r->n_morph = r->n_mask = 0;
    memset(&r->box, 0, sizeof r->box);
    for (size_t z = 0; z < dim[2]; z++)
        for (size_t y = 0; y < dim[1]; y++)
            for (size_t x = 0; x < dim[0]; x++, v++) {
                size_t c[3] = {x, y, z};
                r->n_mask += r->mask[v] != 0;
                if (!r->morph[v])
                    continue;
                for (int a = 0; a < 3; a++) {
                    if (r->n_morph == 0 || c[a] < r->box.lo[a])
                        r->box.lo[a] = c[a];
                    if (r->n_morph == 0 || c[a] > r->box.hi[a])
                        r->box.hi[a] = c[a];
                }
                r->n_morph++;
            }
}

/* A RadRoi of ndim dimensions on an nx*ny*nz grid with grey levels `grey`
 * (0 = outside the intensity mask; also the image) and morphological mask
 * `morph` (NULL: the intensity mask); ng = the highest grey level; a 2D
 * image (is_2d) when ndim is 2. */
static RAD_TAP_UNUSED void ft_roi_grey(RadRoi *r, int ndim, size_t nx, size_t ny, size_t nz, const int *grey,
                                       const int *morph)
{
    size_t n = nx * ny * nz;
    ft_roi_alloc(r, ndim, nx, ny, nz);
    for (size_t v = 0; v < n; v++) {
        r->image[v] = (float)grey[v];
        r->grey[v] = grey[v];
        r->mask[v] = grey[v] > 0;
        r->morph[v] = morph ? morph[v] != 0 : grey[v] > 0;
        if (grey[v] > r->ng)
            r->ng = grey[v];
    }
    ft_roi_finish(r);
    r->is_2d = ndim == 2;
}

/* The same with ng grey levels, 3D when nz > 1, and never flagged as a 2D
 * image (a test sets is_2d itself). */
static RAD_TAP_UNUSED void ft_roi_levels(RadRoi *r, size_t nx, size_t ny, size_t nz, const int *grey, int ng)
{
    ft_roi_grey(r, nz > 1 ? 3 : 2, nx, ny, nz, grey, NULL);
    r->ng = ng;
    r->is_2d = 0;
}

/* The RadRoi of <data>/ibsi1/<name>/image.nii.gz and mask.nii.gz as IBSI
 * processes the phantoms, without the preprocessing code: intensities
 * rounded; morphological mask = the mask; intensity mask = the mask, and
 * [lo, hi] when reseg; grey levels by fixed bin size (width from lo) or, with
 * width 0, the rounded intensities themselves; ng = the highest grey level.
 * 0, or -1 with a diagnostic. */
static RAD_TAP_UNUSED int ft_roi_read(RadRoi *r, const char *data, const char *name, int reseg, double lo,
                                      double hi, double width)
{
    char ip[4096], mp[4096];
    RadImage *img;
    RadMask *m;
    size_t n;
    snprintf(ip, sizeof ip, "%s/ibsi1/%s/image.nii.gz", data, name);
    snprintf(mp, sizeof mp, "%s/ibsi1/%s/mask.nii.gz", data, name);
    img = rad_image_read(ip);
    m = rad_mask_read(mp);
    if (!img || !m) {
        tap_diag("cannot read %s: %s", name, rad_error_message());
        rad_image_free(img);
        rad_mask_free(m);
        return -1;
    }
    n = rad_image_nvox(img);
    memset(r, 0, sizeof *r);
    r->geom = img->geom;
    r->image = malloc(n * sizeof *r->image);
    r->morph = calloc(n, 1);
    r->mask = calloc(n, 1);
    r->grey = calloc(n, sizeof *r->grey);
    for (size_t v = 0; v < n; v++) {
        float x = nearbyintf(img->data[v]);
        r->image[v] = x;
        if (!rad_mask_in(m, v))
            continue;
        r->morph[v] = 1;
        if (reseg && (x < lo || x > hi))
            continue;
        r->mask[v] = 1;
        r->grey[v] = width > 0 ? (int)floor((x - lo) / width) + 1 : (int)x;
        if (r->grey[v] > r->ng)
            r->ng = r->grey[v];
    }
    ft_roi_finish(r);
    rad_image_free(img);
    rad_mask_free(m);
    return 0;
}

/* ---- reference values ----------------------------------------------------------------------- */

/* x rounded to 3 significant figures (as printed). */
static RAD_TAP_UNUSED double ft_sig3(double x)
{
    char b[64];
    snprintf(b, sizeof b, "%.2e", x);
    return strtod(b, NULL);
}

/* Compare every reference row of `csv` whose tag starts with `prefix`:
 * rounded to 3 significant figures when tol is 0 (digital phantom), else
 * |x - ref| <= tol.  One TAP line per value; returns matched count, *total
 * the number of rows compared. */
static RAD_TAP_UNUSED int ft_compare_csv(const RadFeatureSet *fs, const char *csv, const char *prefix, int *total)
{
    FILE *fp = fopen(csv, "r");
    char line[512];
    int ok = 0;
    *total = 0;
    if (!fp) {
        tap_ok(0, "open %s", csv);
        return 0;
    }
    while (fgets(line, sizeof line, fp)) {
        char *v = strtok(line, ";\r\n"), *t = strtok(NULL, ";\r\n"), *tag = strtok(NULL, ";\r\n");
        double ref, tol, x;
        int good;
        if (!v || !t || !tag || strncmp(tag, prefix, strlen(prefix)) != 0)
            continue;
        ref = strtod(v, NULL);
        tol = strtod(t, NULL);
        x = ft_get(fs, tag);
        good = tol == 0 ? ft_sig3(x) == ref : fabs(x - ref) <= tol * (1 + 1e-9);
        (*total)++;
        ok += good;
        tap_ok(good, "%s = %.6g (reference %g, tolerance %g)", tag, x, ref, tol);
    }
    fclose(fp);
    return ok;
}

/* One row of a reference table. */
typedef struct FtRef {
    char tag[64];
    double value, tol;
} FtRef;

/* The rows of `path` that have a value and whose tag `want` accepts (the
 * header is skipped), at most cap; their count, or -1 when the file cannot
 * be opened. */
static RAD_TAP_UNUSED int ft_refs_read(const char *path, int (*want)(const char *tag), FtRef *refs, int cap)
{
    FILE *fp = fopen(path, "r");
    char line[256];
    int n = 0;
    if (!fp)
        return -1;
    while (fgets(line, sizeof line, fp) && n < cap) {
        char *a = line, *b = strchr(a, ';'), *c;
        if (!b)
            continue;
        *b++ = 0;
        c = strchr(b, ';');
        if (!c)
            continue;
        *c++ = 0;
        c[strcspn(c, "\r\n")] = 0;
        if (!want(c))
            continue;
        if (!*a)
            continue; /* no reference value (e.g. ivh_auc, morph_vol_dens_ombb) */
        if (!strchr("-0123456789.", a[0]))
            continue; /* the header */
        refs[n].value = strtod(a, NULL);
        refs[n].tol = strtod(b, NULL);
        snprintf(refs[n].tag, sizeof refs[n].tag, "%s", c);
        n++;
    }
    fclose(fp);
    return n;
}

#endif
