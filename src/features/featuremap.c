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
 *
 * The GLCM fast path (method 0) keeps the co-occurrence matrices of the
 * window while it slides along x over a row of centres: a step removes the
 * voxels of the leaving row ends and adds those of the entering ones, each
 * with its pairs to the voxels in the window at that moment, so every pair
 * of the window is counted exactly once.  The matrices are dense over the
 * compact grey levels with a list of their non-zero cells, from which the
 * 25 features (IBSI LFYI) are computed; 3D and 2.5D aggregations only (2D
 * ones need one matrix per slice and direction: the family function does
 * them).  Its values agree with the family function to rounding
 * (tests/unit/test_featuremap.c: relative 1e-9 on random images).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/featuremap.h"
#include "features/pyrad_map.h"
#include "features/texture.h"
#include "util/error.h"
#include "util/pool.h"
#include "util/str.h"

/* the highest grey level and the bin slack of preprocess.c (discretise) */
#define MAX_GREY 65535
#define BIN_SLACK 1e-9

void rad_fmap_options_default(RadFmapOptions *o)
{
    memset(o, 0, sizeof *o);
    o->radius = 2;
    o->shape = RAD_FMAP_CUBE;
    o->masked = 1;
    o->fill = NAN;
}

void rad_feature_maps_free(RadFeatureMaps *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->tags ? m->tags[i] : NULL);
        rad_image_free(m->maps ? m->maps[i] : NULL);
        free(m->values ? m->values[i] : NULL);
    }
    free(m->values);
    free(m->tags);
    free(m->maps);
    free(m);
}

/* ---- feature names ------------------------------------------------------------- */

/* A feature a map can be asked for: its tag and its family. */
typedef struct Cand {
    char tag[96];
    char base[96];  /* the tag without its aggregation suffix */
    const RadFamily *fam;
    int cls;        /* compatibility mode: the PyRadiomics class (pyr_classes), else unused */
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
                snprintf(c[k].base, sizeof c[k].base, "%s", d->tag);
                c[k++].fam = *f;
            }
    }
    *n = k;
    return c;
}

/* The three closest names seen so far, closest first. */
typedef struct Near {
    size_t d[3];
    const char *name[3];
} Near;

static void near_add(Near *n, const char *name, size_t d)
{
    int k = 2;
    if (d >= n->d[2])
        return;
    while (k > 0 && d < n->d[k - 1]) {
        n->d[k] = n->d[k - 1];
        n->name[k] = n->name[k - 1];
        k--;
    }
    n->d[k] = d;
    n->name[k] = name;
}

static int unknown_name(const char *name, const Cand *c, size_t nc, int compat);

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
        /* a tag, or a tag without its suffix: every aggregation of it */
        for (size_t i = 0; i < nc && !found; i++)
            if (strcmp(c[i].tag, name) == 0 || strcmp(c[i].base, name) == 0) {
                if (!(c[i].fam->bit & RAD_FAM_ON_MAP))
                    return refused_family(c[i].fam);
                for (size_t j = i; j < nc; j++)
                    if (strcmp(c[j].tag, name) == 0 || strcmp(c[j].base, name) == 0)
                        sel[j] = 1;
                found = 1;
            }
        if (!found)
            return unknown_name(name, c, nc, 0);
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
    double **dout;      /* keep_values: the double values of map t, else NULL */
    int fast_cm;        /* the GLCM family runs on the fast path (index in fam[]), -1: not */
    int nl;             /* fast path: compact grey levels */
    int *lindex;        /* fast path: grey level -> compact index (ng + 1 entries) */
    int *llevel;        /* fast path: compact index -> grey level */
    double *lg;         /* fast path: lg[n] = log2(n), n = 0 .. the largest matrix sum */
    double *dtab;       /* fast path: per grey level difference d = 0 .. ng - 1: 1/(1+d),
                         * 1/(1+d/Ng), 1/(1+d^2), 1/(1+d^2/Ng^2), 1/d^2 (0 for d = 0) */
    int *cm_sel;        /* fast path: cm_sel[a * CM_NFEAT + f] = the selected map of feature f
                         * of aggregation a (FA_*), or -1 */
    /* PyRadiomics compatibility (pyr_*) */
    int compat;
    unsigned pyr_fams;  /* RAD_FAM_* bits of the classes asked for */
    int pyr_nlev;       /* distinct bins of the binning domain */
    unsigned *cm_empty; /* per voxel: the GLCM directions empty in its kernel, or NULL */
    double fill;        /* the value of non-centre voxels */
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

/* Store a value of map t at voxel v. */
static void store(Plan *p, size_t t, size_t v, double x)
{
    p->out[t][v] = (float)x;
    if (p->dout)
        p->dout[t][v] = x;
}

/* Run family f on the gathered neighbourhood and store its selected rows
 * at voxel v. */
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
            store(p, (size_t)w->row_to_sel[f][i], v, fs->values[i]);
    return 0;
}

/* ---- the GLCM fast path ------------------------------------------------------------ */

/* The 25 GLCM features in the order of rad_family_cm.defs (checked when
 * the plan is made), and the aggregations the fast path computes. */
enum {
    CM_JOINT_MAX, CM_JOINT_AVG, CM_JOINT_VAR, CM_JOINT_ENTR, CM_DIFF_AVG, CM_DIFF_VAR, CM_DIFF_ENTR,
    CM_SUM_AVG, CM_SUM_VAR, CM_SUM_ENTR, CM_ENERGY, CM_CONTRAST, CM_DISSIMILARITY, CM_INV_DIFF,
    CM_INV_DIFF_NORM, CM_INV_DIFF_MOM, CM_INV_DIFF_MOM_NORM, CM_INV_VAR, CM_CORR, CM_AUTO_CORR,
    CM_CLUST_TEND, CM_CLUST_SHADE, CM_CLUST_PROM, CM_INFO_CORR1, CM_INFO_CORR2, CM_NFEAT
};
static const char *const cm_names[CM_NFEAT] = {
    "cm_joint_max", "cm_joint_avg", "cm_joint_var", "cm_joint_entr", "cm_diff_avg", "cm_diff_var",
    "cm_diff_entr", "cm_sum_avg", "cm_sum_var", "cm_sum_entr", "cm_energy", "cm_contrast", "cm_dissimilarity",
    "cm_inv_diff", "cm_inv_diff_norm", "cm_inv_diff_mom", "cm_inv_diff_mom_norm", "cm_inv_var", "cm_corr",
    "cm_auto_corr", "cm_clust_tend", "cm_clust_shade", "cm_clust_prom", "cm_info_corr1", "cm_info_corr2"};
enum { FA_25D_AVG, FA_25D_COMB, FA_3D_AVG, FA_3D_COMB, FA_N };
static const char *const fa_suffix[FA_N] = {"_2_5D_avg", "_2_5D_comb", "_3D_avg", "_3D_comb"};

/* The fast path's matrices: dense over nl x nl compact levels (cells a <= b
 * used, as in glcm.c: an off-diagonal cell holds the count of each of its
 * two elements, a diagonal one of its element), with the list of non-zero
 * cells. */
#define FAST_NL_MAX 256

typedef struct CmMat {
    int *n;      /* nl * nl counts */
    int *pos;    /* nl * nl: index of the cell in keys[], -1 when zero */
    int *keys;   /* the non-zero cells */
    int nkeys;
} CmMat;

/* 13 directional matrices, then the 3D merge and the 2.5D merge. */
#define CM_NMAT (RAD_TEX_NDIR_3D + 2)
#define CM_COMB3 RAD_TEX_NDIR_3D
#define CM_COMB25 (RAD_TEX_NDIR_3D + 1)

typedef struct CmFast {
    CmMat m[CM_NMAT];
    uint8_t *in;    /* membership of the slab of slices cz - rz .. cz + rz */
    long *pc;       /* nl: marginal counts */
    long *pdc, *psc;/* ng and 2 ng + 1: diagonal and cross-diagonal counts */
    int *kd, *ks;
} CmFast;

static void cm_fast_free(CmFast *c)
{
    for (int k = 0; k < CM_NMAT; k++) {
        free(c->m[k].n);
        free(c->m[k].pos);
        free(c->m[k].keys);
    }
    free(c->in);
    free(c->pc);
    free(c->pdc);
    free(c->psc);
    free(c->kd);
    free(c->ks);
    memset(c, 0, sizeof *c);
}

static int cm_fast_init(CmFast *c, const Plan *p)
{
    size_t nn = (size_t)p->nl * (size_t)p->nl;
    memset(c, 0, sizeof *c);
    for (int k = 0; k < CM_NMAT; k++) {
        c->m[k].n = rad_calloc(nn, sizeof *c->m[k].n, "GLCM map matrices");
        c->m[k].pos = rad_malloc(nn * sizeof *c->m[k].pos, "GLCM map matrices");
        c->m[k].keys = rad_malloc(nn * sizeof *c->m[k].keys, "GLCM map matrices");
        if (!c->m[k].n || !c->m[k].pos || !c->m[k].keys)
            goto fail;
        for (size_t i = 0; i < nn; i++)
            c->m[k].pos[i] = -1;
    }
    c->in = rad_calloc(p->nx * p->ny * (2 * (size_t)p->rz + 1), 1, "GLCM map window");
    c->pc = rad_calloc((size_t)(p->nl ? p->nl : 1), sizeof *c->pc, "GLCM map marginals");
    c->pdc = rad_calloc((size_t)p->ng + 1, sizeof *c->pdc, "GLCM map work");
    c->psc = rad_calloc(2 * (size_t)p->ng + 2, sizeof *c->psc, "GLCM map work");
    c->kd = rad_malloc(((size_t)p->ng + 1) * sizeof *c->kd, "GLCM map work");
    c->ks = rad_malloc((2 * (size_t)p->ng + 2) * sizeof *c->ks, "GLCM map work");
    if (c->in && c->pc && c->pdc && c->psc && c->kd && c->ks)
        return 0;
fail:
    cm_fast_free(c);
    return -1;
}

static void mat_add(CmMat *m, int key, int w)
{
    if (m->n[key] == 0) {
        m->pos[key] = m->nkeys;
        m->keys[m->nkeys++] = key;
    }
    m->n[key] += w;
    if (m->n[key] == 0) {
        int at = m->pos[key], last = m->keys[--m->nkeys];
        m->keys[at] = last;
        m->pos[last] = at;
        m->pos[key] = -1;
    }
}

/* Add (sign +1) or remove (-1) voxel (x, y, z) of the slab around slice cz
 * with its pairs to the voxels in the window now.  Removal takes the voxel
 * out first, addition puts it in last, so a pair is counted while both of
 * its voxels are in. */
static void cm_fast_voxel(const Plan *p, CmFast *c, long x, long y, long z, long cz, int sign)
{
    const long nx = (long)p->nx, ny = (long)p->ny, rz = p->rz, dist = p->s->distance;
    const int nl = p->nl;
    size_t v = (size_t)x + p->nx * ((size_t)y + p->ny * (size_t)z);
    size_t u = (size_t)x + p->nx * ((size_t)y + p->ny * (size_t)(z - cz + rz));
    int a = p->lindex[p->grey[v]];
    if (sign < 0)
        c->in[u] = 0;
    for (int d = 0; d < RAD_TEX_NDIR_3D; d++)
        for (int e = -1; e <= 1; e += 2) {
            long qx = x + e * rad_tex_dirs[d][0] * dist, qy = y + e * rad_tex_dirs[d][1] * dist;
            long qz = z + e * rad_tex_dirs[d][2] * dist;
            int b, lo, hi, key, w;
            if (qx < 0 || qx >= nx || qy < 0 || qy >= ny || qz < cz - rz || qz > cz + rz)
                continue;
            if (!c->in[(size_t)qx + p->nx * ((size_t)qy + p->ny * (size_t)(qz - cz + rz))])
                continue;
            b = p->lindex[p->grey[(size_t)qx + p->nx * ((size_t)qy + p->ny * (size_t)qz)]];
            lo = a < b ? a : b;
            hi = a < b ? b : a;
            key = lo * nl + hi;
            w = sign * (a == b ? 2 : 1);
            mat_add(&c->m[d], key, w);
            mat_add(&c->m[CM_COMB3], key, w);
            if (d < RAD_TEX_NDIR_2D)
                mat_add(&c->m[CM_COMB25], key, w);
        }
    if (sign > 0)
        c->in[u] = 1;
}

/* Whether voxel (x, y, z) counts in a neighbourhood. */
static int counts(const Plan *p, size_t x, size_t y, size_t z)
{
    size_t v = x + p->nx * (y + p->ny * z);
    return p->o.masked ? p->roi.mask[v] != 0 : p->inrange[v] != 0;
}

/* Add or remove the voxels of the window around (cx, cy, cz) whose x is
 * cx + h or cx - h in each row of half-width h: side +1 the right ends,
 * -1 the left ends, 0 the whole window. */
static void cm_fast_window(const Plan *p, CmFast *c, long cx, long cy, long cz, int side, int sign)
{
    for (long dz = -p->rz; dz <= p->rz; dz++) {
        long z = cz + dz;
        if (z < 0 || z >= (long)p->nz)
            continue;
        for (long dy = -p->r; dy <= p->r; dy++) {
            long y = cy + dy, h = row_half(p, (int)dy, (int)dz), xa, xb;
            if (y < 0 || y >= (long)p->ny || h < 0)
                continue;
            xa = side > 0 ? cx + h : cx - h;
            xb = side < 0 ? cx - h : cx + h;
            for (long x = xa; x <= xb; x++)
                if (x >= 0 && x < (long)p->nx && counts(p, (size_t)x, (size_t)y, (size_t)z))
                    cm_fast_voxel(p, c, x, y, z, cz, sign);
        }
    }
}

/* The 25 features of matrix m (IBSI LFYI; the formulas as glcm.c states
 * them, HXY2 = 2 HX) into f; 0 when it has no counts.  Every probability
 * is an integer count over S = the sum of the elements, so each log2 is a
 * table look-up (log2(n / S) = lg[n] - log2 S) and each function of the
 * grey level difference d another: no transcendental function per cell. */
static int cm_fast_features(const Plan *p, CmFast *c, const CmMat *m, double *f)
{
    const int nl = p->nl;
    const double *lg = p->lg, *tb = p->dtab;
    long S = 0, jmax = 0;
    double hxy = 0, hx = 0, hxy1 = 0, mu = 0, var = 0, cov = 0, energy = 0, contrast = 0, diss = 0;
    double idf = 0, idn = 0, idm = 0, idmn = 0, ivar = 0, acorr = 0, tend = 0, shade = 0, prom = 0;
    double davg = 0, dvar = 0, dentr = 0, savg = 0, svar = 0, sentr = 0, g, iS, LS;
    long *pc = c->pc, *pd = c->pdc, *ps = c->psc;
    int nkd = 0, nks = 0;

    for (int k = 0; k < m->nkeys; k++) {
        int key = m->keys[k];
        S += (key / nl == key % nl ? 1 : 2) * (long)m->n[key];
    }
    if (S <= 0)
        return 0;
    iS = 1.0 / (double)S;
    LS = lg[S];
    memset(pc, 0, (size_t)nl * sizeof *pc);
    for (int k = 0; k < m->nkeys; k++) {
        int key = m->keys[k], a = key / nl, b = key % nl, i = p->llevel[a], j = p->llevel[b];
        int d = i > j ? i - j : j - i, mult = a == b ? 1 : 2;
        long n = m->n[key];
        double q = (double)(mult * n); /* in units of 1/S */
        const double *t = tb + 5 * (size_t)d;
        pc[a] += n;
        if (a != b)
            pc[b] += n;
        if (n > jmax)
            jmax = n;                          /* GYBY */
        hxy += q * lg[n];                      /* TU9B: LS - sum q lg / S */
        energy += q * (double)n;               /* 8ZQL */
        contrast += q * d * d;                 /* ACUI */
        diss += q * d;                         /* 8S9J */
        idf += q * t[0];                       /* IB1Z */
        idn += q * t[1];                       /* NDRX */
        idm += q * t[2];                       /* WF0Z */
        idmn += q * t[3];                      /* 1QCO */
        ivar += q * t[4];                      /* E8JP (0 on the diagonal) */
        acorr += q * i * j;                    /* QWB0 */
        if (pd[d] == 0)
            c->kd[nkd++] = d;
        pd[d] += mult * n;
        if (ps[i + j] == 0)
            c->ks[nks++] = i + j;
        ps[i + j] += mult * n;
    }
    for (int a = 0; a < nl; a++)
        mu += p->llevel[a] * (double)pc[a];
    mu *= iS;                                  /* 60VM */
    for (int a = 0; a < nl; a++) {
        double e = p->llevel[a] - mu;
        var += e * e * (double)pc[a];          /* UR99 */
        if (pc[a] > 0)
            hx += (double)pc[a] * lg[pc[a]];
    }
    var *= iS;
    hx = LS - hx * iS;
    for (int k = 0; k < m->nkeys; k++) {
        int key = m->keys[k], a = key / nl, b = key % nl;
        double q = (double)((a == b ? 1 : 2) * (long)m->n[key]);
        double i = p->llevel[a], j = p->llevel[b], e = i + j - 2 * mu, e2 = e * e;
        cov += q * (i - mu) * (j - mu);        /* NI2N */
        tend += q * e2;                        /* DG8W */
        shade += q * e2 * e;                   /* 7NFM */
        prom += q * e2 * e2;                   /* AE86 */
        hxy1 += q * (lg[pc[a]] + lg[pc[b]]);   /* R8DG: HXY1 */
    }
    for (int t = 0; t < nkd; t++)
        davg += c->kd[t] * (double)pd[c->kd[t]];
    davg *= iS;                                /* TF7R */
    for (int t = 0; t < nkd; t++) {
        long n = pd[c->kd[t]];
        double e = c->kd[t] - davg;
        dvar += e * e * (double)n;             /* D3YU */
        dentr += (double)n * lg[n];            /* NTRS */
        pd[c->kd[t]] = 0;
    }
    for (int t = 0; t < nks; t++)
        savg += c->ks[t] * (double)ps[c->ks[t]];
    savg *= iS;                                /* ZGXS */
    for (int t = 0; t < nks; t++) {
        long n = ps[c->ks[t]];
        double e = c->ks[t] - savg;
        svar += e * e * (double)n;             /* OEEB */
        sentr += (double)n * lg[n];            /* P6QZ */
        ps[c->ks[t]] = 0;
    }
    hxy = LS - hxy * iS;
    hxy1 = 2 * LS - hxy1 * iS;
    f[CM_JOINT_MAX] = (double)jmax * iS;
    f[CM_JOINT_AVG] = mu;
    f[CM_JOINT_VAR] = var;
    f[CM_JOINT_ENTR] = hxy;
    f[CM_DIFF_AVG] = davg;
    f[CM_DIFF_VAR] = dvar * iS;
    f[CM_DIFF_ENTR] = LS - dentr * iS;
    f[CM_SUM_AVG] = savg;
    f[CM_SUM_VAR] = svar * iS;
    f[CM_SUM_ENTR] = LS - sentr * iS;
    f[CM_ENERGY] = energy * iS * iS;
    f[CM_CONTRAST] = contrast * iS;
    f[CM_DISSIMILARITY] = diss * iS;
    f[CM_INV_DIFF] = idf * iS;
    f[CM_INV_DIFF_NORM] = idn * iS;
    f[CM_INV_DIFF_MOM] = idm * iS;
    f[CM_INV_DIFF_MOM_NORM] = idmn * iS;
    f[CM_INV_VAR] = ivar * iS;
    f[CM_CORR] = var > 0 ? cov * iS / var : NAN;    /* one grey level: 0/0 */
    f[CM_AUTO_CORR] = acorr * iS;
    f[CM_CLUST_TEND] = tend * iS;
    f[CM_CLUST_SHADE] = shade * iS;
    f[CM_CLUST_PROM] = prom * iS;
    f[CM_INFO_CORR1] = hx > 0 ? (hxy - hxy1) / hx : NAN;
    g = 2 * hx - hxy;                          /* JN9H: HXY2 - HXY, clamped at 0 */
    f[CM_INFO_CORR2] = sqrt(1.0 - exp(-2.0 * (g < 0 ? 0 : g)));
    return 1;
}

/* The features of the window's matrices into the selected maps at v. */
static void cm_fast_emit(Plan *p, CmFast *c, size_t v)
{
    RadTexMean mean[FA_N];
    double f[CM_NFEAT];
    int w25 = (p->s->aggr & RAD_AGGR_2_5D) != 0, w3 = (p->s->aggr & RAD_AGGR_3D) != 0;
    int ndir = !w3 ? RAD_TEX_NDIR_2D : p->roi.is_2d ? RAD_TEX_NDIR_2D : RAD_TEX_NDIR_3D;
    memset(mean, 0, sizeof mean);
    /* each aggregation adds its matrices in direction order, as texture.c */
    for (int d = 0; d < ndir; d++)
        if (cm_fast_features(p, c, &c->m[d], f)) {
            if (w25 && d < RAD_TEX_NDIR_2D)
                rad_tex_mean_add(&mean[FA_25D_AVG], f, CM_NFEAT);
            if (w3)
                rad_tex_mean_add(&mean[FA_3D_AVG], f, CM_NFEAT);
        }
    if (w25 && cm_fast_features(p, c, &c->m[CM_COMB25], f))
        rad_tex_mean_add(&mean[FA_25D_COMB], f, CM_NFEAT);
    if (w3 && cm_fast_features(p, c, &c->m[CM_COMB3], f))
        rad_tex_mean_add(&mean[FA_3D_COMB], f, CM_NFEAT);
    for (int a = 0; a < FA_N; a++)
        for (int k = 0; k < CM_NFEAT; k++) {
            int t = p->cm_sel[a * CM_NFEAT + k];
            if (t >= 0)
                store(p, (size_t)t, v, rad_tex_mean_value(&mean[a], k));
        }
}

/* The GLCM maps of the centres of slice z by the sliding window. */
static int cm_fast_slice(Plan *p, CmFast *c, size_t z)
{
    for (size_t y = p->cbox.lo[1]; y <= p->cbox.hi[1]; y++) {
        long xa = -1, xb = -1;
        if (rad_interrupt_check() != 0)
            return -1;
        for (size_t x = p->cbox.lo[0]; x <= p->cbox.hi[0]; x++)
            if (p->roi.mask[x + p->nx * (y + p->ny * z)]) {
                if (xa < 0)
                    xa = (long)x;
                xb = (long)x;
            }
        if (xa < 0)
            continue;
        cm_fast_window(p, c, xa, (long)y, (long)z, 0, +1);
        for (long x = xa;; x++) {
            size_t v = (size_t)x + p->nx * (y + p->ny * z);
            if (p->roi.mask[v])
                cm_fast_emit(p, c, v);
            if (x == xb)
                break;
            /* slide: the left ends leave, then the right ends of x + 1 enter */
            cm_fast_window(p, c, x, (long)y, (long)z, -1, -1);
            cm_fast_window(p, c, x + 1, (long)y, (long)z, +1, +1);
        }
        cm_fast_window(p, c, xb, (long)y, (long)z, 0, -1);
    }
    return 0;
}

/* One job: the centres of slice cbox.lo[2] + i. */
static int slice_job(size_t i, void *ctx)
{
    Plan *p = ctx;
    size_t z = p->cbox.lo[2] + i;
    Scratch w;
    CmFast c;
    int rc = -1, generic = 0;
    memset(&c, 0, sizeof c);
    for (int f = 0; f < p->nfam; f++)
        generic |= f != p->fast_cm;
    if (scratch_init(&w, p) != 0 || (p->fast_cm >= 0 && cm_fast_init(&c, p) != 0))
        goto done;
    if (p->fast_cm >= 0 && cm_fast_slice(p, &c, z) != 0)
        goto done;
    for (size_t y = p->cbox.lo[1]; generic && y <= p->cbox.hi[1]; y++) {
        if (rad_interrupt_check() != 0)
            goto done;
        for (size_t x = p->cbox.lo[0]; x <= p->cbox.hi[0]; x++) {
            size_t v = x + p->nx * (y + p->ny * z);
            if (!p->roi.mask[v])
                continue;
            gather(p, &w, x, y, z);
            for (int f = 0; f < p->nfam; f++)
                if (f != p->fast_cm && run_family(p, &w, f, v) != 0) {
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
    cm_fast_free(&c);
    return rc;
}

/* Set up the GLCM fast path when it applies (method 0, GLCM asked for, no
 * 2D aggregation, the registry's GLCM features in the order above, at most
 * FAST_NL_MAX grey levels); p->fast_cm stays -1 otherwise.  0 or -1. */
static int cm_fast_plan(Plan *p)
{
    int f = -1, k = 0;
    size_t nvox = p->nx * p->ny * p->nz;
    p->fast_cm = -1;
    for (int i = 0; i < p->nfam; i++)
        if (p->fam[i] == &rad_family_cm)
            f = i;
    if (f < 0 || p->o.method != 0 || (p->s->aggr & RAD_AGGR_2D) || p->s->distance < 1)
        return 0;
    for (const RadFeatureDef *d = rad_family_cm.defs; d->tag; d++, k++)
        if (k >= CM_NFEAT || strcmp(d->tag, cm_names[k]) != 0)
            return 0;
    if (k != CM_NFEAT)
        return 0;
    p->lindex = rad_malloc(((size_t)p->ng + 1) * sizeof *p->lindex, "GLCM map levels");
    p->cm_sel = rad_malloc(FA_N * CM_NFEAT * sizeof *p->cm_sel, "GLCM map features");
    if (!p->lindex || !p->cm_sel)
        return -1;
    for (int g = 0; g <= p->ng; g++)
        p->lindex[g] = -1;
    for (size_t v = 0; v < nvox; v++)
        if (p->o.masked ? p->roi.mask[v] != 0 : p->inrange && p->inrange[v])
            p->lindex[p->grey[v]] = 0;
    p->nl = 0;
    for (int g = 1; g <= p->ng; g++)
        if (p->lindex[g] == 0)
            p->nl++;
    if (p->nl > FAST_NL_MAX)
        return 0;
    p->llevel = rad_malloc((size_t)(p->nl ? p->nl : 1) * sizeof *p->llevel, "GLCM map levels");
    if (!p->llevel)
        return -1;
    p->nl = 0;
    for (int g = 1; g <= p->ng; g++)
        if (p->lindex[g] == 0) {
            p->llevel[p->nl] = g;
            p->lindex[g] = p->nl++;
        }
    for (int i = 0; i < FA_N * CM_NFEAT; i++)
        p->cm_sel[i] = -1;
    for (size_t t = 0; t < p->nsel; t++)
        for (int a = 0; a < FA_N; a++)
            for (int j = 0; j < CM_NFEAT; j++) {
                size_t n = strlen(cm_names[j]);
                if (p->sel_fam[t] == f && strncmp(p->sel[t].tag, cm_names[j], n) == 0 &&
                    strcmp(p->sel[t].tag + n, fa_suffix[a]) == 0)
                    p->cm_sel[a * CM_NFEAT + j] = (int)t;
            }
    {
        /* a matrix sums at most 2 elements per pair, 13 pairs per voxel */
        size_t nwin = (2 * (size_t)p->r + 1) * (2 * (size_t)p->r + 1) * (2 * (size_t)p->rz + 1);
        size_t nlg = 2 * RAD_TEX_NDIR_3D * nwin + 2;
        double Ng = p->ng;
        p->lg = rad_malloc(nlg * sizeof *p->lg, "GLCM map tables");
        p->dtab = rad_malloc(5 * ((size_t)p->ng + 1) * sizeof *p->dtab, "GLCM map tables");
        if (!p->lg || !p->dtab)
            return -1;
        p->lg[0] = 0;
        for (size_t n = 1; n < nlg; n++)
            p->lg[n] = log2((double)n);
        for (int d = 0; d <= p->ng; d++) {
            double *t = p->dtab + 5 * (size_t)d;
            t[0] = 1.0 / (1.0 + d);
            t[1] = 1.0 / (1.0 + d / Ng);
            t[2] = 1.0 / (1.0 + (double)d * d);
            t[3] = 1.0 / (1.0 + (double)d * d / (Ng * Ng));
            t[4] = d > 0 ? 1.0 / ((double)d * d) : 0;
        }
    }
    p->fast_cm = f;
    return 0;
}

/* ---- PyRadiomics compatibility ------------------------------------------------------ */

/* PyRadiomics' classes with a voxel-based path, and the families that
 * select them in pyrad_map.h (shape has none: it describes a region). */
static const struct {
    const char *name;
    unsigned fam;
} pyr_classes[] = {{"firstorder", RAD_FAM_STAT}, {"glcm", RAD_FAM_CM},  {"glrlm", RAD_FAM_RLM},
                   {"glszm", RAD_FAM_SZM},       {"gldm", RAD_FAM_NGL}, {"ngtdm", RAD_FAM_NGT}};
#define PYR_NCLASS ((int)(sizeof pyr_classes / sizeof *pyr_classes))
#define PYR_ALL (RAD_FAM_STAT | RAD_FAM_CM | RAD_FAM_RLM | RAD_FAM_SZM | RAD_FAM_NGL | RAD_FAM_NGT)

/* The class index of tag "original_<class>_<Feature>", or -1. */
static int pyr_class_of(const char *tag)
{
    const char *c = tag + 9, *u = strchr(c, '_');
    if (strncmp(tag, "original_", 9) != 0 || !u)
        return -1;
    for (int k = 0; k < PYR_NCLASS; k++)
        if (strlen(pyr_classes[k].name) == (size_t)(u - c) && strncmp(c, pyr_classes[k].name, (size_t)(u - c)) == 0)
            return k;
    return -1;
}

/* Every tag of the classes, in pyrad.c's order: the rows of a small
 * synthetic kernel (3 x 3 x 3 voxels of two grey levels).  NULL when out
 * of memory. */
static Cand *pyr_candidates(const RadSettings *s, size_t *n)
{
    float image[27];
    uint8_t in[27];
    int grey[27], idx[3], lev[3];
    unsigned empty;
    RadPyrKernel k;
    RadFeatureSet *fs = rad_featureset_new();
    Cand *c = NULL;
    if (!fs)
        return NULL;
    memset(&k, 0, sizeof k);
    for (int v = 0; v < 27; v++) {
        grey[v] = 1 + v % 2;
        image[v] = (float)(10 * grey[v]);
        in[v] = 1;
    }
    k.geom.ndim = 3;
    for (int d = 0; d < 3; d++) {
        k.geom.dim[d] = 3;
        k.geom.spacing[d] = 1;
    }
    k.image = image;
    k.in = in;
    k.grey = grey;
    k.ng = 2;
    k.ng_domain_levels = 2;
    k.scratch_idx = idx;
    k.scratch_lev = lev;
    if (rad_pyrad_kernel(&k, s, PYR_ALL, fs, &empty) == 0 &&
        (c = rad_calloc(fs->n ? fs->n : 1, sizeof *c, "feature map names"))) {
        for (size_t i = 0; i < fs->n; i++) {
            snprintf(c[i].tag, sizeof c[i].tag, "%s", fs->tags[i]);
            snprintf(c[i].base, sizeof c[i].base, "%s", fs->tags[i] + 9);
            c[i].cls = pyr_class_of(fs->tags[i]);
        }
        *n = fs->n;
    }
    rad_featureset_free(fs);
    return c;
}

/* The error for an unknown name: the (up to 3) closest names when they are
 * close (a third of the name's length, at least 2 edits; a candidate also
 * counts as close when its name without the aggregation suffix is), else
 * where the names are listed.  IBSI: family prefixes and tags; compatibility
 * mode: PyRadiomics' classes and <class>_<Feature> names. */
static int unknown_name(const char *name, const Cand *c, size_t nc, int compat)
{
    Near n = {{(size_t)-1, (size_t)-1, (size_t)-1}, {NULL, NULL, NULL}};
    size_t limit = strlen(name) / 3 > 2 ? strlen(name) / 3 : 2, at = 0;
    char buf[400];
    if (compat)
        for (int k = 0; k < PYR_NCLASS; k++)
            near_add(&n, pyr_classes[k].name, rad_edit_distance(name, pyr_classes[k].name, 0));
    else
        for (const RadFamily *const *f = rad_families(); *f; f++)
            if ((*f)->bit != RAD_FAM_DIAG)
                near_add(&n, (*f)->prefix, rad_edit_distance(name, (*f)->prefix, 0));
    for (size_t i = 0; i < nc; i++) {
        size_t d = rad_edit_distance(name, c[i].tag, 0), db = rad_edit_distance(name, c[i].base, 0);
        near_add(&n, compat ? c[i].base : c[i].tag, db < d ? db : d);
    }
    buf[0] = '\0';
    for (int k = 0; k < 3; k++)
        if (n.name[k] && n.d[k] <= limit)
            at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s", at ? ", " : "", n.name[k]);
    if (compat && at)
        return rad_error_set("feature map: unknown PyRadiomics feature '%s' (did you mean %s? names: "
                             "radlab-features(7), PYRADIOMICS COMPATIBILITY)", name, buf);
    if (compat)
        return rad_error_set("feature map: unknown PyRadiomics feature '%s': give a class (firstorder, glcm, glrlm, "
                             "glszm, gldm, ngtdm), <class>_<Feature> (glcm_Contrast) or original_<class>_<Feature>",
                             name);
    if (at)
        return rad_error_set("feature map: unknown feature '%s' (did you mean %s? every tag: radlab features)", name, buf);
    return rad_error_set("feature map: unknown feature '%s': give a family (stat, ih, cm, rlm, szm, dzm, ngt, ngl) "
                         "or a tag of one (radlab features lists them, with their aggregations)", name);
}

/* Resolve the requested names in compatibility mode (sel[i] = 1). */
static int pyr_resolve(const char *const *want, size_t n_want, const Cand *c, size_t nc, unsigned char *sel)
{
    if (n_want == 0)
        return rad_error_set("feature map: no features asked for: give PyRadiomics classes (e.g. \"glcm\") or "
                             "features (e.g. \"glcm_Contrast\")");
    for (size_t w = 0; w < n_want; w++) {
        const char *name = want[w], *bare;
        int found = 0;
        if (!name || !*name)
            return rad_error_set("feature map: feature %zu is an empty name", w + 1);
        bare = strncmp(name, "original_", 9) == 0 ? name + 9 : name;
        if (strncmp(bare, "shape", 5) == 0)
            return rad_error_set("feature map: '%s': PyRadiomics' shape class describes a whole region and has no "
                                 "voxel-based extraction; maps hold firstorder, glcm, glrlm, glszm, gldm or ngtdm",
                                 name);
        for (int k = 0; k < PYR_NCLASS; k++)
            if (strcmp(pyr_classes[k].name, name) == 0) {
                for (size_t i = 0; i < nc; i++)
                    if (c[i].cls == k)
                        sel[i] = 1;
                found = 1;
            }
        for (size_t i = 0; i < nc && !found; i++)
            if (strcmp(c[i].tag, name) == 0 || strcmp(c[i].base, name) == 0)
                sel[i] = found = 1;
        if (!found)
            return unknown_name(name, c, nc, 1);
    }
    return 0;
}

/* The grey levels: PyRadiomics' bins over the ROI (masked) or over the
 * ROI's box grown by r on every axis (its crop, where maskedKernel =
 * false counts every voxel). */
static int pyr_bins(Plan *p)
{
    size_t nvox = p->nx * p->ny * p->nz;
    const uint8_t *dom = p->roi.mask;
    int *seen;
    p->greyall = rad_calloc(nvox, sizeof *p->greyall, "feature map grey levels");
    if (!p->greyall)
        return -1;
    if (!p->o.masked) {
        RadBox h;
        p->inrange = rad_calloc(nvox, 1, "feature map window mask");
        if (!p->inrange)
            return -1;
        for (int c = 0; c < 3; c++) {
            size_t r = (size_t)p->r;
            h.lo[c] = p->cbox.lo[c] >= r ? p->cbox.lo[c] - r : 0;
            h.hi[c] = p->cbox.hi[c] + r < p->roi.geom.dim[c] ? p->cbox.hi[c] + r : p->roi.geom.dim[c] - 1;
        }
        for (size_t z = h.lo[2]; z <= h.hi[2]; z++)
            for (size_t y = h.lo[1]; y <= h.hi[1]; y++)
                for (size_t x = h.lo[0]; x <= h.hi[0]; x++) {
                    size_t v = x + p->nx * (y + p->ny * z);
                    if (!isfinite(p->roi.image[v]))
                        return rad_error_set("feature map: voxel (%zu, %zu, %zu) (1-based) near the ROI is not "
                                             "finite: maskedKernel = false counts every voxel of the kernel; use "
                                             "masked = true", x + 1, y + 1, z + 1);
                    p->inrange[v] = 1;
                }
        dom = p->inrange;
    }
    if (rad_pyrad_map_bins(&p->roi, dom, p->s, p->greyall, &p->ng) != 0)
        return rad_error_prefix("feature map");
    p->grey = p->greyall;
    if (!(seen = rad_calloc((size_t)p->ng + 1, sizeof *seen, "feature map grey levels")))
        return -1;
    for (size_t v = 0; v < nvox; v++)
        if (dom[v] && !seen[p->greyall[v]]) {
            seen[p->greyall[v]] = 1;
            p->pyr_nlev++;
        }
    free(seen);
    return 0;
}

/* The centres of slice i, each kernel measured by pyrad.c's class code. */
static int pyr_slice_job(size_t i, void *ctx)
{
    Plan *p = ctx;
    size_t z = p->cbox.lo[2] + i, rows = 0;
    Scratch w;
    RadFeatureSet *fs = rad_featureset_new();
    int *row = NULL, rc = -1;
    int *idx = rad_malloc(((size_t)p->ng + 1) * sizeof *idx, "feature map levels");
    int *lev = rad_malloc(((size_t)p->ng + 1) * sizeof *lev, "feature map levels");
    RadPyrKernel k;
    memset(&w, 0, sizeof w);
    if (!fs || !idx || !lev || scratch_init(&w, p) != 0)
        goto done;
    memset(&k, 0, sizeof k);
    k.ng = p->ng;
    k.ng_domain_levels = p->pyr_nlev;
    k.scratch_idx = idx;
    k.scratch_lev = lev;
    for (size_t y = p->cbox.lo[1]; y <= p->cbox.hi[1]; y++) {
        if (rad_interrupt_check() != 0)
            goto done;
        for (size_t x = p->cbox.lo[0]; x <= p->cbox.hi[0]; x++) {
            size_t v = x + p->nx * (y + p->ny * z);
            unsigned empty;
            if (!p->roi.mask[v])
                continue;
            gather(p, &w, x, y, z);
            k.geom = w.roi.geom;
            k.image = w.roi.image;
            k.in = w.roi.mask;
            k.grey = w.roi.grey;
            featureset_clear(fs);
            if (rad_pyrad_kernel(&k, p->s, p->pyr_fams, fs, &empty) != 0) {
                rad_error_prefix("voxel (%zu, %zu, %zu) (1-based)", x + 1, y + 1, z + 1);
                goto done;
            }
            if (p->cm_empty)
                p->cm_empty[v] = empty;
            if (!row) {
                rows = fs->n;
                if (!(row = rad_malloc((rows ? rows : 1) * sizeof *row, "feature map rows")))
                    goto done;
                for (size_t r = 0; r < rows; r++) {
                    row[r] = -1;
                    for (size_t t = 0; t < p->nsel; t++)
                        if (strcmp(p->sel[t].tag, fs->tags[r]) == 0)
                            row[r] = (int)t;
                }
            } else if (fs->n != rows) {
                rad_error_set("internal error: a PyRadiomics kernel gave %zu rows, then %zu", rows, fs->n);
                goto done;
            }
            for (size_t r = 0; r < rows; r++)
                if (row[r] >= 0)
                    store(p, (size_t)row[r], v, fs->values[r]);
        }
    }
    rc = 0;
done:
    if (rc != 0) {
        snprintf(p->err[i], sizeof p->err[i], "%s", rad_error_message());
        p->failed[i] = 1;
    }
    scratch_free(&w);
    rad_featureset_free(fs);
    free(row);
    free(idx);
    free(lev);
    return rc;
}

/* PyRadiomics (one voxel batch): a GLCM direction empty in some kernel
 * but not in all is kept for every kernel; the kernels lacking it get NaN
 * matrices there, so their JointAverage (a plain mean over directions) is
 * NaN and numpy's eigvals refuses the MCC of the batch: PyRadiomics
 * stores no MCC value, leaving its initValue at every centre. */
static void pyr_glcm_quirks(Plan *p)
{
    size_t nvox = p->nx * p->ny * p->nz;
    unsigned some = 0;
    long ja = -1, mcc = -1;
    int hit = 0;
    if (!p->cm_empty)
        return;
    for (size_t t = 0; t < p->nsel; t++) {
        if (strcmp(p->sel[t].tag, "original_glcm_JointAverage") == 0)
            ja = (long)t;
        if (strcmp(p->sel[t].tag, "original_glcm_MCC") == 0)
            mcc = (long)t;
    }
    for (size_t v = 0; v < nvox; v++)
        if (p->roi.mask[v])
            some |= ~p->cm_empty[v];
    for (size_t v = 0; v < nvox; v++)
        if (p->roi.mask[v] && (p->cm_empty[v] & some)) {
            hit = 1;
            if (ja >= 0)
                store(p, (size_t)ja, v, NAN);
        }
    if (hit && mcc >= 0)
        for (size_t v = 0; v < nvox; v++)
            if (p->roi.mask[v])
                store(p, (size_t)mcc, v, p->fill);
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
    if (s->compat == RAD_COMPAT_PYRADIOMICS) {
        if (o->shape != RAD_FMAP_CUBE)
            return rad_error_set("feature map: PyRadiomics' kernels are cubes (kernelRadius): shape = \"sphere\" has "
                                 "no equivalent in compatibility mode; use shape = \"cube\"");
        if (o->in_plane && !s->pyr.force2d)
            return rad_error_set("feature map: in_plane has no PyRadiomics equivalent of its own: set "
                                 "settings.pyradiomics.force2D = true (in-plane matrices and kernels) instead");
        if (s->pyr.force2d && s->pyr.force2d_dim != 0)
            return rad_error_set("feature map: pyradiomics.force2Ddimension = %d: maps take in-plane kernels along z "
                                 "only (force2Ddimension = 0)", s->pyr.force2d_dim);
    }
    for (int c = 0; s->compat != RAD_COMPAT_PYRADIOMICS && c < (in_plane ? 2 : 3); c++)
        if ((size_t)o->radius >= dim[c])
            return rad_error_set("feature map: radius %d is not smaller than the image along %c (%zu voxels): "
                                 "a window of %d voxels would hold the whole image; use a radius of at most %zu",
                                 o->radius, "xyz"[c], dim[c], 2 * o->radius + 1, dim[c] > 1 ? dim[c] - 1 : 0);
    if (s->resample && s->compat == RAD_COMPAT_PYRADIOMICS)
        return rad_error_set("feature map: a map lives on the image's own grid, but the settings interpolate "
                             "(pyradiomics.resampledPixelSpacing): remove it and map on the native grid (resample "
                             "image and mask beforehand when another spacing is needed)");
    if (s->resample)
        return rad_error_set("feature map: a map lives on the image's own grid, but the settings interpolate "
                             "(settings.resample): remove settings.resample and map on the native grid (resample "
                             "image and mask beforehand when another spacing is needed)");
    if (s->n_filters > 0 && s->compat != RAD_COMPAT_PYRADIOMICS)
        return rad_error_set("feature map: the settings apply filters (settings.filters): filter the image first "
                             "(rad.filter) and map the response without settings.filters");
    if (!o->masked && s->outlier_sigma > 0 && s->compat != RAD_COMPAT_PYRADIOMICS)
        return rad_error_set("feature map: masked = false with outlier re-segmentation (settings.resegment.outliers) "
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
                                         "(%s): masked = false counts every voxel of the window; use masked = true",
                                         x + 1, y + 1, z + 1, isnan(xv) ? "NaN" : xv > 0 ? "+infinity" : "-infinity");
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
    free(p->lindex);
    free(p->llevel);
    free(p->lg);
    free(p->dtab);
    free(p->cm_sel);
    free(p->out);
    free(p->dout);
    free(p->cm_empty);
    free(p->err);
    free(p->failed);
}

/* compat = "pyradiomics" with image types (settings.filters), as
 * PyRadiomics' voxel-based extraction: the image is prepared once (its
 * loading: rounding, normalisation, re-segmentation), then the original
 * image (unless pyradiomics.original = false) and each image type's
 * response are mapped on the re-segmented mask, each type with its own
 * settings (rad_pyrad_type_settings), maps named <image type>_<class>_<Feature>
 * in the order of the types.  A requested name that starts with a type's
 * name ("log-sigma-1-0-mm-3D_glcm", "original_glcm_Contrast") asks for that
 * type only; any other ("glcm", "glcm_Contrast") for every type. */
/* The first pre bytes of w: an image type's name without a '-'? */
static int pyr_type_word(const char *w, size_t pre)
{
    static const char *const words[] = {"original", "square", "squareroot", "logarithm", "exponential", "gradient"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == pre && strncmp(w, words[i], pre) == 0)
            return 1;
    return 0;
}

static RadFeatureMaps *pyr_type_maps(const RadImage *img, const RadMask *mask, const RadSettings *s,
                                     const char *const *want, size_t n_want, const RadFmapOptions *o)
{
    char name[RAD_MAX_FILTERS + 1][64];
    const char **w = NULL;
    unsigned char *used = NULL;
    RadFeatureMaps *all = NULL, *one = NULL;
    RadImage *resp = NULL;
    RadRoi roi;
    int nt = s->n_filters + 1, rc = -1, prepared = 0;

    memset(&roi, 0, sizeof roi);
    snprintf(name[0], sizeof name[0], "original");
    for (int t = 1; t < nt; t++)
        if (rad_pyrad_image_type(&s->filters[t - 1], name[t], sizeof name[t]) != 0)
            return rad_error_prefix("feature map: filters[%d]", t), NULL;
    if (!(w = rad_calloc(n_want ? n_want : 1, sizeof *w, "feature map names")) ||
        !(used = rad_calloc(n_want ? n_want : 1, 1, "feature map names")) ||
        !(all = rad_calloc(1, sizeof *all, "feature maps")))
        goto done;
    if (rad_roi_prepare_threads(img, mask, s, &roi, NULL, o->threads) != 0)
        goto done;
    prepared = 1;
    for (int t = s->pyr.original ? 0 : 1; t < nt; t++) {
        RadSettings st;
        RadImage ti;
        RadMask tm;
        size_t nw = 0, nt_len = strlen(name[t]);
        for (size_t j = 0; j < n_want; j++) {
            size_t pre = strcspn(want[j], "_");
            int typed = -1;
            for (int u = 0; u < nt && typed < 0; u++)
                if (strlen(name[u]) == pre && strncmp(want[j], name[u], pre) == 0)
                    typed = u;
            if (typed < 0 && pre < strlen(want[j]) && (memchr(want[j], '-', pre) || pyr_type_word(want[j], pre))) {
                rad_error_set("feature map: '%s' names image type '%.*s', which the settings do not measure (%s%s)",
                              want[j], (int)pre, want[j], s->pyr.original ? "original" : name[1],
                              nt > 2 || (s->pyr.original && nt > 1) ? ", ..." : "");
                goto done;
            }
            if (typed < 0) /* every type */
                w[nw++] = want[j];
            else if (typed == t && want[j][nt_len] == '_')
                w[nw++] = want[j] + nt_len + 1;
            else
                continue;
            used[j] = 1;
        }
        if (nw == 0)
            continue;
        if (t == 0) {
            st = *s;
            st.n_filters = 0;
        } else {
            rad_pyrad_type_settings(s, t - 1, &st);
        }
        /* done once above, on the original image */
        st.norm = RAD_NORM_NONE;
        st.round_input = 0;
        st.round_intensities = 0;
        st.reseg_range = 0;
        st.outlier_sigma = 0;
        ti.geom = roi.geom;
        ti.data = roi.image;
        if (t > 0) {
            RadFilterSpec spec = s->filters[t - 1];
            if (spec.threads == 0 && o->threads > 0)
                spec.threads = o->threads;
            if (!(resp = rad_filter_apply(&ti, &spec))) {
                rad_error_prefix("feature map: filters[%d] (image type %s)", t, name[t]);
                goto done;
            }
            ti.data = resp->data;
        }
        tm.geom = roi.geom;
        tm.data = roi.mask;
        tm.label = 0;
        if (!(one = rad_feature_maps(&ti, &tm, &st, w, nw, o))) {
            if (t > 0)
                rad_error_prefix("image type %s", name[t]);
            goto done;
        }
        rad_image_free(resp);
        resp = NULL;
        /* append, original_<class>_<Feature> -> <image type>_<class>_<Feature> */
        {
            size_t n = all->n + one->n;
            char **tags = realloc(all->tags, n * sizeof *tags);
            RadImage **maps = NULL;
            double **vals = NULL;
            if (tags) {
                all->tags = tags;
                if ((maps = realloc(all->maps, n * sizeof *maps)))
                    all->maps = maps;
            }
            if (maps && one->values && (vals = realloc(all->values, n * sizeof *vals)))
                all->values = vals;
            if (!tags || !maps || (one->values && !vals)) {
                rad_error_set("out of memory (feature maps)");
                goto done;
            }
            for (size_t k = 0; k < one->n; k++) {
                const char *tag = one->tags[k];
                char *nt_tag = NULL;
                if (t > 0 && strncmp(tag, "original_", 9) == 0) {
                    size_t len = nt_len + 1 + strlen(tag + 9) + 1;
                    if ((nt_tag = malloc(len)))
                        snprintf(nt_tag, len, "%s_%s", name[t], tag + 9);
                    if (!nt_tag) {
                        rad_error_set("out of memory (feature maps)");
                        goto done;
                    }
                    free(one->tags[k]);
                    one->tags[k] = nt_tag;
                }
                all->tags[all->n] = one->tags[k];
                all->maps[all->n] = one->maps[k];
                if (one->values)
                    all->values[all->n] = one->values[k];
                all->n++;
                one->tags[k] = NULL;
                one->maps[k] = NULL;
                if (one->values)
                    one->values[k] = NULL;
            }
        }
        rad_feature_maps_free(one);
        one = NULL;
    }
    for (size_t j = 0; j < n_want; j++)
        if (!used[j]) {
            size_t pre = strcspn(want[j], "_");
            rad_error_set("feature map: '%s' names image type '%.*s', which the settings do not measure (%s%s)",
                          want[j], (int)pre, want[j], s->pyr.original ? "original" : name[1],
                          nt > 2 || (s->pyr.original && nt > 1) ? ", ..." : "");
            goto done;
        }
    if (all->n == 0) {
        rad_error_set("feature map: no feature requested");
        goto done;
    }
    rc = 0;
done:
    rad_image_free(resp);
    rad_feature_maps_free(one);
    if (prepared)
        rad_roi_free(&roi);
    free(w);
    free(used);
    if (rc != 0) {
        rad_feature_maps_free(all);
        return NULL;
    }
    return all;
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
    p.fast_cm = -1;
    if (opt)
        o = *opt;
    else
        rad_fmap_options_default(&o);
    if (!img || !mask || !s)
        return rad_error_set("feature map: no image, mask or settings"), NULL;
    if (rad_settings_check(s) != 0)
        return NULL;
    p.compat = s->compat == RAD_COMPAT_PYRADIOMICS;
    in_plane = o.in_plane || img->geom.ndim == 2 || img->geom.dim[2] == 1 || (p.compat && s->pyr.force2d);
    if (check_options(img, s, &o, in_plane) != 0)
        return NULL;
    if (p.compat && s->n_filters > 0)
        return pyr_type_maps(img, mask, s, want, n_want, &o);

    /* the features */
    if (!(c = p.compat ? pyr_candidates(s, &nc) : candidates(s->aggr, &nc)) ||
        !(sel = rad_calloc(nc ? nc : 1, 1, "feature map names")))
        goto fail;
    if ((p.compat ? pyr_resolve(want, n_want, c, nc, sel) : resolve(want, n_want, c, nc, sel)) != 0)
        goto fail;
    rs = *s;
    rs.families = 0;
    for (size_t i = 0; i < nc; i++)
        if (sel[i]) {
            p.nsel++;
            if (p.compat)
                p.pyr_fams |= pyr_classes[c[i].cls].fam;
            else
                rs.families |= c[i].fam->bit;
        }
    if (p.compat)
        rs.families = p.pyr_fams;
    p.sel = rad_calloc(p.nsel, sizeof *p.sel, "feature map names");
    p.sel_fam = rad_calloc(p.nsel, sizeof *p.sel_fam, "feature map names");
    if (!p.sel || !p.sel_fam)
        goto fail;
    for (const RadFamily *const *f = rad_families(); *f && !p.compat; f++)
        if ((*f)->bit & rs.families && (*f)->bit != RAD_FAM_DIAG)
            p.fam[p.nfam++] = *f;
    p.nsel = 0;
    for (size_t i = 0; i < nc; i++)
        if (sel[i]) {
            p.sel[p.nsel] = c[i];
            if (p.compat)
                p.sel_fam[p.nsel] = c[i].cls;
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
    if (!p.compat && p.roi.is_2d && (rs.aggr & RAD_AGGR_2_5D) &&
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
    if (p.compat ? pyr_bins(&p) != 0 : !o.masked && grey_all(&p) != 0)
        goto fail;
    if (p.compat && (p.pyr_fams & RAD_FAM_CM) && s->pyr.weighting == RAD_PYR_WEIGHT_NONE &&
        !(p.cm_empty = rad_calloc(nvox, sizeof *p.cm_empty, "feature map GLCM directions")))
        goto fail;
    p.fill = o.has_fill ? o.fill : p.compat ? 0 : NAN;
    if (cm_fast_plan(&p) != 0)
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
    if (o.keep_values) {
        m->values = rad_calloc(p.nsel, sizeof *m->values, "feature maps");
        p.dout = rad_calloc(p.nsel, sizeof *p.dout, "feature maps");
        if (!m->values || !p.dout)
            goto fail;
    }
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
            p.out[t][v] = (float)p.fill;
        if (o.keep_values) {
            if (!(m->values[t] = rad_malloc(nvox * sizeof *m->values[t], "feature map values")))
                goto fail;
            p.dout[t] = m->values[t];
            for (size_t v = 0; v < nvox; v++)
                p.dout[t][v] = p.fill;
        }
    }

    /* the slices of centres as pool jobs */
    nz = p.cbox.hi[2] - p.cbox.lo[2] + 1;
    p.err = rad_calloc(nz, sizeof *p.err, "feature map jobs");
    p.failed = rad_calloc(nz, sizeof *p.failed, "feature map jobs");
    if (!p.err || !p.failed)
        goto fail;
    rad_pool_run(nz, o.threads, p.compat ? pyr_slice_job : slice_job, &p, 1, NULL);
    for (size_t i = 0; i < nz; i++)
        if (p.failed[i]) {
            rad_error_set("feature map: %s", p.err[i]);
            goto fail;
        }
    if (rad_interrupt_check() != 0)
        goto fail;
    pyr_glcm_quirks(&p);
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
