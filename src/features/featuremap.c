/* radlab: voxel-wise feature maps.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Definitions: featuremap.h (centres, window, neighbourhood, discretisation).
 *
 * The reference path gathers each centre's neighbourhood into a small
 * RadRoi of its own (the window's grid, with the whole ROI's grey levels
 * and Ng) and runs the family functions of the registry on it, so that a
 * map value is the family's value for that neighbourhood by construction.
 * The centres of one slice form one job of the thread pool; each job has
 * its own scratch ROI and writes only its own voxels, so the maps do not
 * depend on the thread count.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/featuremap.h"
#include "util/error.h"
#include "util/pool.h"

/* the highest grey level and the bin slack of preprocess.c (discretise) */
#define MAX_GREY 65535
#define BIN_SLACK 1e-9

void rad_fmap_options_default(RadFmapOptions *o)
{
    memset(o, 0, sizeof *o);
    o->radius = 2;
    o->shape = RAD_FMAP_CUBE;
    o->masked = 1;
}

void rad_feature_maps_free(RadFeatureMaps *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->tags ? m->tags[i] : NULL);
        rad_image_free(m->maps ? m->maps[i] : NULL);
    }
    free(m->tags);
    free(m->maps);
    free(m);
}

/* ---- feature names ------------------------------------------------------------- */

/* A feature a map can be asked for: its tag and its family. */
typedef struct Cand {
    char tag[96];
    const RadFamily *fam;
} Cand;

/* Every tag of every family (but the diagnostic rows) for the aggregations
 * in aggr, in registry order.  *n receives the count; NULL when out of
 * memory. */
static Cand *candidates(unsigned aggr, size_t *n)
{
    size_t cap = 0, k = 0;
    Cand *c;
    for (const RadFamily *const *f = rad_families(); *f; f++) {
        const char *suf[6];
        int ns = rad_aggr_suffixes((*f)->aggr_kind, aggr, suf);
        for (const RadFeatureDef *d = (*f)->defs; d->tag; d++)
            cap += (size_t)ns;
    }
    c = rad_calloc(cap ? cap : 1, sizeof *c, "feature map names");
    if (!c)
        return NULL;
    for (const RadFamily *const *f = rad_families(); *f; f++) {
        const char *suf[6];
        int ns;
        if ((*f)->bit == RAD_FAM_DIAG)
            continue;
        ns = rad_aggr_suffixes((*f)->aggr_kind, aggr, suf);
        for (const RadFeatureDef *d = (*f)->defs; d->tag; d++)
            for (int i = 0; i < ns; i++) {
                snprintf(c[k].tag, sizeof c[k].tag, "%s%s", d->tag, suf[i]);
                c[k++].fam = *f;
            }
    }
    *n = k;
    return c;
}

/* Levenshtein distance of a and b (short strings; b at most 95 chars). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[128];
    if (lb >= 128)
        lb = 127;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The error for an unknown name: the (up to 3) closest tags or family
 * prefixes when they are close (a third of the name's length, at least 2
 * edits), else where the names are listed. */
static int unknown_name(const char *name, const Cand *c, size_t nc)
{
    size_t best[3] = {(size_t)-1, (size_t)-1, (size_t)-1}, d;
    const char *who[3] = {NULL, NULL, NULL};
    size_t limit = strlen(name) / 3 > 2 ? strlen(name) / 3 : 2;
    char buf[400];
    size_t at = 0;
    for (size_t i = 0; i <= nc; i++) {
        const char *t = i < nc ? c[i].tag : NULL;
        const RadFamily *const *f;
        if (!t) /* the family prefixes */
            for (f = rad_families(); *f; f++)
                if ((*f)->bit != RAD_FAM_DIAG && (d = edit_distance(name, (*f)->prefix)) < best[2]) {
                    best[2] = d;
                    who[2] = (*f)->prefix;
                    for (int k = 2; k > 0 && best[k] < best[k - 1]; k--) {
                        size_t tb = best[k]; const char *tw = who[k];
                        best[k] = best[k - 1]; who[k] = who[k - 1];
                        best[k - 1] = tb; who[k - 1] = tw;
                    }
                }
        if (!t)
            break;
        if ((d = edit_distance(name, t)) < best[2]) {
            best[2] = d;
            who[2] = t;
            for (int k = 2; k > 0 && best[k] < best[k - 1]; k--) {
                size_t tb = best[k]; const char *tw = who[k];
                best[k] = best[k - 1]; who[k] = who[k - 1];
                best[k - 1] = tb; who[k - 1] = tw;
            }
        }
    }
    buf[0] = '\0';
    for (int k = 0; k < 3; k++)
        if (who[k] && best[k] <= limit)
            at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", at ? ", " : "", who[k]);
    if (at)
        return rad_error_set("feature map: unknown feature '%s' (did you mean %s? every tag: radlab features)", name, buf);
    return rad_error_set("feature map: unknown feature '%s': give a family (stat, ih, cm, rlm, szm, dzm, ngt, ngl) "
                         "or a tag of one (radlab features lists them, with their aggregations)", name);
}

/* Why a family has no map. */
static int refused_family(const RadFamily *f)
{
    return rad_error_set("feature map: the %s family (%s) describes a whole region, not a voxel's neighbourhood: "
                         "maps hold stat, ih, cm, rlm, szm, dzm, ngt or ngl features", f->prefix, f->name);
}

/* Resolve the requested names into the selected candidates (sel[i] = 1). */
static int resolve(const char *const *want, size_t n_want, const Cand *c, size_t nc, unsigned char *sel)
{
    if (n_want == 0)
        return rad_error_set("feature map: no features asked for: give families (e.g. \"cm\") or tags "
                             "(e.g. \"cm_contrast_3D_avg\")");
    for (size_t w = 0; w < n_want; w++) {
        const char *name = want[w];
        int found = 0;
        if (!name || !*name)
            return rad_error_set("feature map: feature %zu is an empty name", w + 1);
        for (const RadFamily *const *f = rad_families(); *f; f++)
            if ((*f)->bit != RAD_FAM_DIAG && strcmp((*f)->prefix, name) == 0) {
                if (!((*f)->bit & RAD_FAM_ON_MAP))
                    return refused_family(*f);
                for (size_t i = 0; i < nc; i++)
                    if (c[i].fam == *f)
                        sel[i] = 1;
                found = 1;
            }
        for (size_t i = 0; i < nc && !found; i++)
            if (strcmp(c[i].tag, name) == 0) {
                if (!(c[i].fam->bit & RAD_FAM_ON_MAP))
                    return refused_family(c[i].fam);
                sel[i] = 1;
                found = 1;
            }
        if (!found)
            return unknown_name(name, c, nc);
    }
    return 0;
}

/* ---- the plan shared by the jobs ----------------------------------------------- */

#define MAX_FAM 16

typedef struct Plan {
    const RadImage *img;
    const RadSettings *s;
    RadRoi roi;
    RadFmapOptions o;
    size_t nx, ny, nz;
    int r, rz;          /* radius in x and y, and in z (0 for in-plane windows) */
    int *half;          /* half[(dy + r) + (2r + 1) (dz + rz)]: the window's x half-width
                         * in row (dy, dz), -1 when the row is empty */
    const int *grey;    /* grey levels on the image grid (roi.grey, or greyall) */
    int *greyall;       /* masked = 0: levels of every voxel near the ROI */
    uint8_t *inrange;   /* masked = 0: the voxel counts (finite, in the re-segmentation range) */
    int ng;             /* Ng of the neighbourhoods */
    RadBox cbox;        /* box of the centres */
    int nfam;
    const RadFamily *fam[MAX_FAM];
    size_t nsel;
    Cand *sel;          /* the selected features, registry order */
    int *sel_fam;       /* family index (in fam[]) of each */
    float **out;        /* out[t]: the data of map t */
    /* per slice job */
    char (*err)[512];
    int *failed;
} Plan;

/* The x half-width of the window in row (dy, dz), or -1. */
static int row_half(const Plan *p, int dy, int dz)
{
    return p->half[(dy + p->r) + (2 * p->r + 1) * (dz + p->rz)];
}

/* Scratch memory of one job: a RadRoi on the window's grid. */
typedef struct Scratch {
    RadRoi roi;
    size_t cap;
    RadFeatureSet *fs[MAX_FAM];
    int *row_to_sel[MAX_FAM]; /* fs row -> index in p->sel, or -1 */
    size_t rows[MAX_FAM];     /* the rows the family gave at its first voxel */
} Scratch;

static void scratch_free(Scratch *w)
{
    free(w->roi.image);
    free(w->roi.morph);
    free(w->roi.mask);
    free(w->roi.grey);
    for (int f = 0; f < MAX_FAM; f++) {
        rad_featureset_free(w->fs[f]);
        free(w->row_to_sel[f]);
    }
    memset(w, 0, sizeof *w);
}

static int scratch_init(Scratch *w, const Plan *p)
{
    size_t side = 2 * (size_t)p->r + 1, n = side * side * (2 * (size_t)p->rz + 1);
    memset(w, 0, sizeof *w);
    w->cap = n;
    w->roi.image = rad_malloc(n * sizeof *w->roi.image, "feature map window");
    w->roi.morph = rad_malloc(n, "feature map window");
    w->roi.mask = rad_malloc(n, "feature map window");
    w->roi.grey = rad_malloc(n * sizeof *w->roi.grey, "feature map window");
    if (!w->roi.image || !w->roi.morph || !w->roi.mask || !w->roi.grey)
        goto fail;
    for (int f = 0; f < p->nfam; f++)
        if (!(w->fs[f] = rad_featureset_new()))
            goto fail;
    w->roi.geom = p->roi.geom;
    w->roi.ng = p->ng;
    w->roi.disc_min = p->roi.disc_min;
    w->roi.disc_width = p->roi.disc_width;
    w->roi.is_2d = p->roi.is_2d;
    return 0;
fail:
    scratch_free(w);
    return -1;
}

/* Empty a feature set for the next voxel (keeps its arrays). */
static void featureset_clear(RadFeatureSet *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        free(fs->tags[i]);
    fs->n = 0;
    free(fs->warning);
    fs->warning = NULL;
}

/* Gather the neighbourhood of centre (cx, cy, cz) into w->roi. */
static void gather(const Plan *p, Scratch *w, size_t cx, size_t cy, size_t cz)
{
    RadRoi *q = &w->roi;
    const RadRoi *roi = &p->roi;
    long r = p->r, rz = p->rz;
    size_t x0 = cx >= (size_t)r ? cx - (size_t)r : 0, y0 = cy >= (size_t)r ? cy - (size_t)r : 0;
    size_t z0 = cz >= (size_t)rz ? cz - (size_t)rz : 0;
    size_t x1 = cx + (size_t)r < p->nx ? cx + (size_t)r : p->nx - 1;
    size_t y1 = cy + (size_t)r < p->ny ? cy + (size_t)r : p->ny - 1;
    size_t z1 = cz + (size_t)rz < p->nz ? cz + (size_t)rz : p->nz - 1;
    size_t wx = x1 - x0 + 1, wy = y1 - y0 + 1, wz = z1 - z0 + 1, n = wx * wy * wz;
    RadBox b = {{(size_t)-1, (size_t)-1, (size_t)-1}, {0, 0, 0}};

    q->geom.dim[0] = wx;
    q->geom.dim[1] = wy;
    q->geom.dim[2] = wz;
    memset(q->morph, 0, n);
    memset(q->mask, 0, n);
    memset(q->grey, 0, n * sizeof *q->grey);
    q->n_morph = q->n_mask = 0;
    for (size_t z = z0; z <= z1; z++)
        for (size_t y = y0; y <= y1; y++) {
            int h = row_half(p, (int)((long)y - (long)cy), (int)((long)z - (long)cz));
            size_t xa, xb;
            if (h < 0)
                continue;
            xa = cx >= (size_t)h ? cx - (size_t)h : 0;
            xb = cx + (size_t)h < p->nx ? cx + (size_t)h : p->nx - 1;
            for (size_t x = xa; x <= xb; x++) {
                size_t v = x + p->nx * (y + p->ny * z);
                size_t u = (x - x0) + wx * ((y - y0) + wy * (z - z0));
                int morph, mask;
                if (p->o.masked) {
                    morph = roi->morph[v] != 0;
                    mask = roi->mask[v] != 0;
                } else {
                    morph = 1;
                    mask = p->inrange[v] != 0;
                }
                q->image[u] = roi->image[v];
                if (!morph)
                    continue;
                q->morph[u] = 1;
                q->n_morph++;
                if (x - x0 < b.lo[0]) b.lo[0] = x - x0;
                if (x - x0 > b.hi[0]) b.hi[0] = x - x0;
                if (y - y0 < b.lo[1]) b.lo[1] = y - y0;
                if (y - y0 > b.hi[1]) b.hi[1] = y - y0;
                if (z - z0 < b.lo[2]) b.lo[2] = z - z0;
                if (z - z0 > b.hi[2]) b.hi[2] = z - z0;
                if (mask) {
                    q->mask[u] = 1;
                    q->grey[u] = p->grey[v];
                    q->n_mask++;
                }
            }
        }
    q->box = b;
}

/* Run family f on the gathered neighbourhood and store its selected rows
 * at centre k (voxel v). */
static int run_family(Plan *p, Scratch *w, int f, size_t v)
{
    RadFeatureSet *fs = w->fs[f];
    featureset_clear(fs);
    if (p->fam[f]->compute(&w->roi, p->s, fs) != 0)
        return -1;
    if (!w->row_to_sel[f]) {
        /* the family's rows, matched to the selection once */
        w->row_to_sel[f] = rad_malloc((fs->n ? fs->n : 1) * sizeof *w->row_to_sel[f], "feature map rows");
        if (!w->row_to_sel[f])
            return -1;
        w->rows[f] = fs->n;
        for (size_t i = 0; i < fs->n; i++) {
            w->row_to_sel[f][i] = -1;
            for (size_t t = 0; t < p->nsel; t++)
                if (p->sel_fam[t] == f && strcmp(p->sel[t].tag, fs->tags[i]) == 0)
                    w->row_to_sel[f][i] = (int)t;
        }
    } else if (fs->n != w->rows[f]) {
        return rad_error_set("internal error: the %s family gave %zu rows, then %zu", p->fam[f]->prefix, w->rows[f],
                             fs->n);
    }
    for (size_t i = 0; i < fs->n; i++)
        if (w->row_to_sel[f][i] >= 0)
            p->out[w->row_to_sel[f][i]][v] = (float)fs->values[i];
    return 0;
}

/* One job: the centres of slice cbox.lo[2] + i. */
static int slice_job(size_t i, void *ctx)
{
    Plan *p = ctx;
    size_t z = p->cbox.lo[2] + i;
    Scratch w;
    int rc = -1;
    if (scratch_init(&w, p) != 0)
        goto done;
    for (size_t y = p->cbox.lo[1]; y <= p->cbox.hi[1]; y++) {
        if (rad_interrupt_check() != 0)
            goto done;
        for (size_t x = p->cbox.lo[0]; x <= p->cbox.hi[0]; x++) {
            size_t v = x + p->nx * (y + p->ny * z);
            if (!p->roi.mask[v])
                continue;
            gather(p, &w, x, y, z);
            for (int f = 0; f < p->nfam; f++)
                if (run_family(p, &w, f, v) != 0) {
                    rad_error_prefix("voxel (%zu, %zu, %zu) (1-based)", x + 1, y + 1, z + 1);
                    goto done;
                }
        }
    }
    rc = 0;
done:
    if (rc != 0) {
        snprintf(p->err[i], sizeof p->err[i], "%s", rad_error_message());
        p->failed[i] = 1;
    }
    scratch_free(&w);
    return rc;
}

/* ---- set-up ---------------------------------------------------------------------- */

static int check_options(const RadImage *img, const RadSettings *s, const RadFmapOptions *o, int in_plane)
{
    const size_t *dim = img->geom.dim;
    if (o->radius < 1)
        return rad_error_set("feature map: radius must be >= 1 voxel, got %d", o->radius);
    if (o->shape != RAD_FMAP_CUBE && o->shape != RAD_FMAP_SPHERE)
        return rad_error_set("feature map: shape must be cube or sphere, got %d", (int)o->shape);
    if (o->method < 0 || o->method > 1)
        return rad_error_set("feature map: method must be 0 (fast paths) or 1 (family functions), got %d", o->method);
    for (int c = 0; c < (in_plane ? 2 : 3); c++)
        if ((size_t)o->radius >= dim[c])
            return rad_error_set("feature map: radius %d is not smaller than the image along %c (%zu voxels): "
                                 "a window of %d voxels would hold the whole image; use a radius of at most %zu",
                                 o->radius, "xyz"[c], dim[c], 2 * o->radius + 1, dim[c] > 1 ? dim[c] - 1 : 0);
    if (s->resample)
        return rad_error_set("feature map: a map lives on the image's own grid, but the settings interpolate "
                             "(settings.interpolation): resample the image and mask first (Image:resample), then "
                             "map without interpolation");
    if (s->n_filters > 0)
        return rad_error_set("feature map: the settings apply filters (settings.filters): filter the image first "
                             "(rad.filter) and map the response");
    if (!o->masked && s->outlier_sigma > 0)
        return rad_error_set("feature map: masked = false with outlier re-segmentation (settings.resegmentation.sigma) "
                             "is not defined: the outlier range belongs to the ROI; use masked = true or a "
                             "re-segmentation range");
    return 0;
}

/* masked = 0: the grey level of every voxel within reach of a centre, with
 * the ROI's bins (featuremap.h), and which of them count. */
static int grey_all(Plan *p)
{
    const RadRoi *roi = &p->roi;
    const RadSettings *s = p->s;
    size_t nvox = p->nx * p->ny * p->nz;
    double xmin = INFINITY, xmax = -INFINITY, lo = -INFINITY, hi = INFINITY;
    RadBox h;
    int ng = roi->ng;

    for (size_t v = 0; v < nvox; v++)
        if (roi->mask[v]) {
            if (roi->image[v] < xmin) xmin = roi->image[v];
            if (roi->image[v] > xmax) xmax = roi->image[v];
        }
    if (s->reseg_range) {
        lo = s->reseg_lo;
        hi = s->reseg_hi;
    }
    p->greyall = rad_calloc(nvox, sizeof *p->greyall, "feature map grey levels");
    p->inrange = rad_calloc(nvox, 1, "feature map window mask");
    if (!p->greyall || !p->inrange)
        return -1;
    for (int c = 0; c < 3; c++) {
        long reach = c == 2 ? p->rz : p->r;
        h.lo[c] = p->cbox.lo[c] >= (size_t)reach ? p->cbox.lo[c] - (size_t)reach : 0;
        h.hi[c] = p->cbox.hi[c] + (size_t)reach < p->roi.geom.dim[c] ? p->cbox.hi[c] + (size_t)reach
                                                                     : p->roi.geom.dim[c] - 1;
    }
    for (size_t z = h.lo[2]; z <= h.hi[2]; z++)
        for (size_t y = h.lo[1]; y <= h.hi[1]; y++)
            for (size_t x = h.lo[0]; x <= h.hi[0]; x++) {
                size_t v = x + p->nx * (y + p->ny * z);
                double xv = roi->image[v];
                int g;
                if (roi->mask[v]) {
                    p->greyall[v] = roi->grey[v];
                    p->inrange[v] = 1;
                    continue;
                }
                if (!isfinite(xv))
                    return rad_error_set("feature map: voxel (%zu, %zu, %zu) (1-based) near the ROI is not finite "
                                         "(%g): masked = false counts every voxel of the window; use masked = true",
                                         x + 1, y + 1, z + 1, xv);
                if (xv < lo || xv > hi)
                    continue;
                if (s->disc == RAD_DISC_NONE) {
                    if (xv != floor(xv) || xv < 1 || xv > MAX_GREY)
                        return rad_error_set("feature map: without discretisation the intensities are the grey "
                                             "levels, but voxel (%zu, %zu, %zu) (1-based) in a window has %g: use "
                                             "fixed bin number or fixed bin size", x + 1, y + 1, z + 1, xv);
                    g = (int)xv;
                } else if (s->disc == RAD_DISC_FBN) {
                    double range = xmax - xmin, q;
                    if (!(range > 0))
                        g = 1;
                    else {
                        q = floor((double)roi->ng * (xv - xmin) / range + BIN_SLACK);
                        g = q >= roi->ng ? roi->ng : q < 0 ? 1 : (int)q + 1;
                    }
                } else {
                    double q = floor((xv - roi->disc_min) / roi->disc_width + BIN_SLACK) + 1;
                    if (q > MAX_GREY)
                        return rad_error_set("feature map: voxel (%zu, %zu, %zu) (1-based) in a window has %g, grey "
                                             "level %.0f with the ROI's bins (more than %d): use a larger bin width",
                                             x + 1, y + 1, z + 1, xv, q, MAX_GREY);
                    g = q < 1 ? 1 : (int)q;
                }
                p->greyall[v] = g;
                p->inrange[v] = 1;
                if (g > ng)
                    ng = g;
            }
    p->ng = ng;
    p->grey = p->greyall;
    return 0;
}

static void plan_free(Plan *p)
{
    rad_roi_free(&p->roi);
    free(p->half);
    free(p->greyall);
    free(p->inrange);
    free(p->sel);
    free(p->sel_fam);
    free(p->out);
    free(p->err);
    free(p->failed);
}

RadFeatureMaps *rad_feature_maps(const RadImage *img, const RadMask *mask, const RadSettings *s,
                                 const char *const *want, size_t n_want, const RadFmapOptions *opt)
{
    RadFmapOptions o;
    RadSettings rs;
    Plan p;
    RadFeatureMaps *m = NULL;
    Cand *c = NULL;
    unsigned char *sel = NULL;
    size_t nc = 0, nvox, nz;
    int in_plane;

    memset(&p, 0, sizeof p);
    if (opt)
        o = *opt;
    else
        rad_fmap_options_default(&o);
    if (!img || !mask || !s)
        return rad_error_set("feature map: no image, mask or settings"), NULL;
    if (rad_settings_check(s) != 0)
        return NULL;
    in_plane = o.in_plane || img->geom.ndim == 2 || img->geom.dim[2] == 1;
    if (check_options(img, s, &o, in_plane) != 0)
        return NULL;

    /* the features */
    if (!(c = candidates(s->aggr, &nc)) || !(sel = rad_calloc(nc ? nc : 1, 1, "feature map names")))
        goto fail;
    if (resolve(want, n_want, c, nc, sel) != 0)
        goto fail;
    rs = *s;
    rs.families = 0;
    for (size_t i = 0; i < nc; i++)
        if (sel[i]) {
            p.nsel++;
            rs.families |= c[i].fam->bit;
        }
    p.sel = rad_calloc(p.nsel, sizeof *p.sel, "feature map names");
    p.sel_fam = rad_calloc(p.nsel, sizeof *p.sel_fam, "feature map names");
    if (!p.sel || !p.sel_fam)
        goto fail;
    for (const RadFamily *const *f = rad_families(); *f; f++)
        if ((*f)->bit & rs.families && (*f)->bit != RAD_FAM_DIAG)
            p.fam[p.nfam++] = *f;
    p.nsel = 0;
    for (size_t i = 0; i < nc; i++)
        if (sel[i]) {
            p.sel[p.nsel] = c[i];
            for (int f = 0; f < p.nfam; f++)
                if (p.fam[f] == c[i].fam)
                    p.sel_fam[p.nsel] = f;
            p.nsel++;
        }

    /* the ROI, once: the families see only the prepared arrays */
    p.img = img;
    p.s = &rs;
    p.o = o;
    if (rad_roi_prepare_threads(img, mask, &rs, &p.roi, NULL, o.threads) != 0) {
        rad_error_prefix("feature map");
        goto fail;
    }
    if (p.roi.is_2d && (rs.aggr & RAD_AGGR_2_5D) &&
        (rs.families & (RAD_FAM_CM | RAD_FAM_RLM | RAD_FAM_SZM | RAD_FAM_DZM | RAD_FAM_NGT | RAD_FAM_NGL))) {
        rad_error_set("feature map: texture aggregation 2.5D merges the slices of a 3D image, but the image is 2D: "
                      "set settings.texture.aggregation = {\"2D\"}");
        goto fail;
    }
    p.nx = img->geom.dim[0];
    p.ny = img->geom.dim[1];
    p.nz = img->geom.dim[2];
    nvox = p.nx * p.ny * p.nz;
    p.r = o.radius;
    p.rz = in_plane ? 0 : o.radius;
    p.half = rad_malloc((size_t)(2 * p.r + 1) * (size_t)(2 * p.rz + 1) * sizeof *p.half, "feature map window");
    if (!p.half)
        goto fail;
    for (int dz = -p.rz; dz <= p.rz; dz++)
        for (int dy = -p.r; dy <= p.r; dy++) {
            int h = p.r;
            if (o.shape == RAD_FMAP_SPHERE) {
                int left = p.r * p.r - dy * dy - dz * dz;
                h = -1;
                while (left >= 0 && (h + 1) * (h + 1) <= left)
                    h++;
            }
            p.half[(dy + p.r) + (2 * p.r + 1) * (dz + p.rz)] = h;
        }

    /* the centres' box: the intensity mask's */
    p.cbox.lo[0] = p.cbox.lo[1] = p.cbox.lo[2] = (size_t)-1;
    for (size_t v = 0; v < nvox; v++)
        if (p.roi.mask[v]) {
            size_t xyz[3] = {v % p.nx, v / p.nx % p.ny, v / (p.nx * p.ny)};
            for (int k = 0; k < 3; k++) {
                if (xyz[k] < p.cbox.lo[k]) p.cbox.lo[k] = xyz[k];
                if (xyz[k] > p.cbox.hi[k]) p.cbox.hi[k] = xyz[k];
            }
        }
    p.grey = p.roi.grey;
    p.ng = p.roi.ng;
    if (!o.masked && grey_all(&p) != 0)
        goto fail;

    /* the maps, NaN outside the centres */
    m = rad_calloc(1, sizeof *m, "feature maps");
    if (!m)
        goto fail;
    m->tags = rad_calloc(p.nsel, sizeof *m->tags, "feature maps");
    m->maps = rad_calloc(p.nsel, sizeof *m->maps, "feature maps");
    p.out = rad_calloc(p.nsel, sizeof *p.out, "feature maps");
    if (!m->tags || !m->maps || !p.out)
        goto fail;
    m->n = p.nsel;
    for (size_t t = 0; t < p.nsel; t++) {
        if (!(m->tags[t] = strdup(p.sel[t].tag))) {
            rad_error_set("out of memory (feature map names)");
            goto fail;
        }
        if (!(m->maps[t] = rad_image_alloc(&img->geom)))
            goto fail;
        p.out[t] = m->maps[t]->data;
        for (size_t v = 0; v < nvox; v++)
            p.out[t][v] = NAN;
    }

    /* the slices of centres as pool jobs */
    nz = p.cbox.hi[2] - p.cbox.lo[2] + 1;
    p.err = rad_calloc(nz, sizeof *p.err, "feature map jobs");
    p.failed = rad_calloc(nz, sizeof *p.failed, "feature map jobs");
    if (!p.err || !p.failed)
        goto fail;
    rad_pool_run(nz, o.threads, slice_job, &p, 1, NULL);
    for (size_t i = 0; i < nz; i++)
        if (p.failed[i]) {
            rad_error_set("feature map: %s", p.err[i]);
            goto fail;
        }
    if (rad_interrupt_check() != 0)
        goto fail;
    plan_free(&p);
    free(c);
    free(sel);
    return m;
fail:
    plan_free(&p);
    free(c);
    free(sel);
    rad_feature_maps_free(m);
    return NULL;
}
