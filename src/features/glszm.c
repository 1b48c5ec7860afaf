/* radlab: Grey level size zone matrix (GLSZM) features (IBSI 9SAK).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What this computes (IBSI 1, docs/03_Image_features.rst, "Grey level size
 * zone based features"): a zone is a group of linked voxels of the intensity
 * mask that share one discretised grey level; linkage is Chebyshev distance 1,
 * i.e. 26-connected in 3D and 8-connected within a slice in 2D (section
 * "Distances").  s_ij counts the zones of grey level i and size j; N_s is the
 * number of zones and N_v the number of voxels of the intensity mask.
 *
 * Aggregation (section "Aggregating features"):
 *   _2D   (8QNN) one matrix per slice, features averaged over the slices;
 *   _2_5D (62GR) the per-slice matrices summed into one (N_v summed too);
 *   _3D   (KOBO) one matrix from 3D zones.
 *
 * The matrix is never stored densely: zone sizes can reach N_v, so the
 * features are computed from the list of zones (grey level, size), which is
 * all a sum over the present matrix entries needs (see matrix_features).
 *
 * Conventions for degenerate input:
 *   - slices without intensity-mask voxels have no zones and are left out of
 *     the 2D average (the average is over the slices that have zones);
 *   - one grey level, one voxel or one zone are ordinary matrices (variances
 *     0, entropy 0, ...); every denominator (N_s, N_v, i, j) is >= 1 then;
 *   - an empty matrix (impossible when n_mask >= 1) would give 0 everywhere.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {
    /* the rst prints no identifier under "Small zone emphasis" (TAGS.md) */
    {"szm_sze", "", "Small zone emphasis", ""},
    {"szm_lze", "48P8", "Large zone emphasis", ""},
    {"szm_lgze", "XMSY", "Low grey level zone emphasis", ""},
    {"szm_hgze", "5GN9", "High grey level zone emphasis", ""},
    {"szm_szlge", "5RAI", "Small zone low grey level emphasis", ""},
    {"szm_szhge", "HW1V", "Small zone high grey level emphasis", ""},
    {"szm_lzlge", "YH51", "Large zone low grey level emphasis", ""},
    {"szm_lzhge", "J17V", "Large zone high grey level emphasis", ""},
    {"szm_glnu", "JNSA", "Grey level non-uniformity", ""},
    {"szm_glnu_norm", "Y1RO", "Normalised grey level non-uniformity", ""},
    {"szm_zsnu", "4JP3", "Zone size non-uniformity", ""},
    {"szm_zsnu_norm", "VB3A", "Normalised zone size non-uniformity", ""},
    {"szm_z_perc", "P30P", "Zone percentage", ""},
    {"szm_gl_var", "BYLV", "Grey level variance", ""},
    {"szm_zs_var", "3NSA", "Zone size variance", ""},
    {"szm_zs_entr", "GU8N", "Zone size entropy", ""},
    {NULL, NULL, NULL, NULL}};

#define NFEAT 16

/* ---- the sparse matrix and its features ----------------------------------------- */

/* Features of the matrix whose entries are the n items (gi[k], jj[k]), each
 * counting 1 (one zone of grey level gi[k] and size jj[k]); nv voxels.
 * Every feature is a sum over matrix entries, so most are sums over items;
 * only the entropy needs the joint counts s_ij, obtained by bucketing the
 * items by grey level and counting sizes within each bucket (O(n + levels +
 * largest size), no sort, no dense matrix). */
static int matrix_features(const int *gi, const long *jj, size_t n, double nv, double f[NFEAT])
{
    int gmax = 0;
    long jmax = 0;
    double ns = (double)n, *sg = NULL, *sj = NULL;
    double sze = 0, lze = 0, lg = 0, hg = 0, slg = 0, shg = 0, llg = 0, lhg = 0;
    double glnu = 0, jnu = 0, mui = 0, muj = 0, vari = 0, varj = 0, entr = 0;
    size_t *start = NULL, *fill = NULL, *order = NULL;
    long *cnt = NULL;
    int rc = -1;

    memset(f, 0, NFEAT * sizeof *f);
    if (n == 0)
        return 0;
    for (size_t k = 0; k < n; k++) {
        if (gi[k] > gmax)
            gmax = gi[k];
        if (jj[k] > jmax)
            jmax = jj[k];
    }
    sg = rad_calloc((size_t)gmax + 1, sizeof *sg, "GLSZM grey level marginal");
    sj = rad_calloc((size_t)jmax + 1, sizeof *sj, "GLSZM zone size marginal");
    start = rad_calloc((size_t)gmax + 2, sizeof *start, "GLSZM buckets");
    fill = rad_malloc(((size_t)gmax + 1) * sizeof *fill, "GLSZM buckets");
    order = rad_malloc(n * sizeof *order, "GLSZM buckets");
    cnt = rad_calloc((size_t)jmax + 1, sizeof *cnt, "GLSZM joint counts");
    if (!sg || !sj || !start || !fill || !order || !cnt)
        goto out;

    for (size_t k = 0; k < n; k++) {
        double i = gi[k], j = (double)jj[k], i2 = i * i, j2 = j * j;
        sg[gi[k]] += 1;
        sj[jj[k]] += 1;
        slg += 1.0 / (i2 * j2); /* 5RAI */
        shg += i2 / j2;         /* HW1V */
        llg += j2 / i2;         /* YH51 */
        lhg += i2 * j2;         /* J17V */
        mui += i;
        muj += j;
        start[gi[k] + 1]++;
    }
    mui /= ns;
    muj /= ns;
    for (size_t k = 0; k < n; k++) {
        double di = gi[k] - mui, dj = (double)jj[k] - muj;
        vari += di * di; /* BYLV */
        varj += dj * dj; /* 3NSA */
    }
    for (int i = 1; i <= gmax; i++) {
        double i2 = (double)i * i;
        lg += sg[i] / i2;   /* XMSY */
        hg += sg[i] * i2;   /* 5GN9 */
        glnu += sg[i] * sg[i]; /* JNSA */
    }
    for (long j = 1; j <= jmax; j++) {
        double j2 = (double)j * j;
        sze += sj[j] / j2;   /* small zone emphasis */
        lze += sj[j] * j2;   /* 48P8 */
        jnu += sj[j] * sj[j]; /* 4JP3 */
    }

    /* zone size entropy (GU8N): -sum p_ij log2 p_ij over the entries present */
    for (int i = 1; i <= gmax + 1; i++)
        start[i] += start[i - 1];
    memcpy(fill, start, ((size_t)gmax + 1) * sizeof *fill);
    for (size_t k = 0; k < n; k++)
        order[fill[gi[k]]++] = k;
    for (int i = 1; i <= gmax; i++) {
        for (size_t b = start[i]; b < start[i + 1]; b++)
            cnt[jj[order[b]]]++;
        for (size_t b = start[i]; b < start[i + 1]; b++) {
            long j = jj[order[b]];
            if (cnt[j] > 0) {
                double p = (double)cnt[j] / ns;
                entr -= p * log2(p);
                cnt[j] = 0;
            }
        }
    }

    f[0] = sze / ns;
    f[1] = lze / ns;
    f[2] = lg / ns;
    f[3] = hg / ns;
    f[4] = slg / ns;
    f[5] = shg / ns;
    f[6] = llg / ns;
    f[7] = lhg / ns;
    f[8] = glnu / ns;
    f[9] = glnu / (ns * ns);   /* Y1RO */
    f[10] = jnu / ns;
    f[11] = jnu / (ns * ns);   /* VB3A */
    f[12] = nv > 0 ? ns / nv : 0; /* P30P */
    f[13] = vari / ns;
    f[14] = varj / ns;
    f[15] = entr;
    rc = 0;
out:
    free(sg);
    free(sj);
    free(start);
    free(fill);
    free(order);
    free(cnt);
    return rc;
}

/* ---- zones ---------------------------------------------------------------------------- */

/* The ROI's bounding box copied into a grid padded by one voxel of
 * background on every side, so that neighbour offsets never leave it. */
typedef struct Grid {
    size_t nx, ny, nz, n; /* padded size */
    size_t nvox;          /* intensity-mask voxels */
    int *grey;            /* grey level, 0 outside the intensity mask */
} Grid;

static int grid_build(const RadRoi *roi, Grid *g)
{
    const RadBox *b = &roi->box;
    const size_t *dim = roi->geom.dim;
    memset(g, 0, sizeof *g);
    for (int c = 0; c < 3; c++)
        if (b->lo[c] > b->hi[c] || b->hi[c] >= dim[c])
            return rad_error_set("GLSZM: the ROI bounding box lies outside the %zux%zux%zu grid",
                                 dim[0], dim[1], dim[2]);
    g->nx = b->hi[0] - b->lo[0] + 3;
    g->ny = b->hi[1] - b->lo[1] + 3;
    g->nz = b->hi[2] - b->lo[2] + 3;
    g->n = g->nx * g->ny * g->nz;
    g->grey = rad_calloc(g->n, sizeof *g->grey, "GLSZM grid");
    if (!g->grey)
        return -1;
    for (size_t z = b->lo[2]; z <= b->hi[2]; z++)
        for (size_t y = b->lo[1]; y <= b->hi[1]; y++) {
            size_t v = b->lo[0] + dim[0] * (y + dim[1] * z);
            size_t p = 1 + g->nx * ((y - b->lo[1] + 1) + g->ny * (z - b->lo[2] + 1));
            for (size_t x = b->lo[0]; x <= b->hi[0]; x++, v++, p++) {
                int gl;
                if (!roi->mask[v])
                    continue;
                gl = roi->grey[v];
                if (gl < 1 || (roi->ng > 0 && gl > roi->ng)) {
                    free(g->grey);
                    g->grey = NULL;
                    return rad_error_set("GLSZM: grey level %d at voxel (%zu, %zu, %zu) is outside 1..%d",
                                         gl, x, y, z, roi->ng);
                }
                g->grey[p] = gl;
                g->nvox++;
            }
        }
    return 0;
}

typedef struct Zones {
    size_t n;       /* number of zones */
    int *grey;      /* grey level of each zone */
    long *size;     /* voxel count of each zone */
    size_t *zfirst; /* zfirst[z]: first zone of padded slice z; nz + 1 entries */
} Zones;

static void zones_free(Zones *zs)
{
    free(zs->grey);
    free(zs->size);
    free(zs->zfirst);
    memset(zs, 0, sizeof *zs);
}

/* Label the zones (9SAK) by flood fill with an explicit stack: 26-connected,
 * or 8-connected within each slice when in_plane.  Zones are found in raster
 * order with z outermost, so the zones of one slice are contiguous. */
static int zones_label(const Grid *g, int in_plane, Zones *zs)
{
    ptrdiff_t off[26];
    int noff = 0;
    ptrdiff_t sx = (ptrdiff_t)g->nx, sxy = (ptrdiff_t)(g->nx * g->ny);
    uint8_t *seen = NULL;
    size_t *stack = NULL;

    memset(zs, 0, sizeof *zs);
    for (int dz = in_plane ? 0 : -1; dz <= (in_plane ? 0 : 1); dz++)
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
                if (dx || dy || dz)
                    off[noff++] = dx + dy * sx + dz * sxy;
    seen = rad_calloc(g->n, 1, "GLSZM zone labels");
    stack = rad_malloc((g->nvox ? g->nvox : 1) * sizeof *stack, "GLSZM flood fill");
    zs->grey = rad_malloc((g->nvox ? g->nvox : 1) * sizeof *zs->grey, "GLSZM zones");
    zs->size = rad_malloc((g->nvox ? g->nvox : 1) * sizeof *zs->size, "GLSZM zones");
    zs->zfirst = rad_calloc(g->nz + 1, sizeof *zs->zfirst, "GLSZM zones");
    if (!seen || !stack || !zs->grey || !zs->size || !zs->zfirst)
        goto fail;
    for (size_t z = 0; z < g->nz; z++) {
        zs->zfirst[z] = zs->n;
        if (z == 0 || z == g->nz - 1)
            continue;
        for (size_t y = 1; y + 1 < g->ny; y++) {
            size_t p = 1 + g->nx * (y + g->ny * z);
            if (rad_interrupt_check() != 0)
                goto fail;
            for (size_t x = 1; x + 1 < g->nx; x++, p++) {
                int gl = g->grey[p];
                size_t top = 0;
                long size = 0;
                if (!gl || seen[p])
                    continue;
                seen[p] = 1;
                stack[top++] = p;
                while (top) {
                    size_t q = stack[--top];
                    size++;
                    for (int k = 0; k < noff; k++) {
                        size_t r = (size_t)((ptrdiff_t)q + off[k]);
                        if (!seen[r] && g->grey[r] == gl) {
                            seen[r] = 1;
                            stack[top++] = r;
                        }
                    }
                }
                zs->grey[zs->n] = gl;
                zs->size[zs->n] = size;
                zs->n++;
            }
        }
    }
    zs->zfirst[g->nz] = zs->n;
    free(seen);
    free(stack);
    return 0;
fail:
    free(seen);
    free(stack);
    zones_free(zs);
    return -1;
}

/* ---- the family ---------------------------------------------------------------------- */

static int emit(RadFeatureSet *fs, const char *suffix, const double f[NFEAT])
{
    for (int k = 0; k < NFEAT; k++)
        if (rad_featureset_add2(fs, defs[k].tag, suffix, f[k]) != 0)
            return -1;
    return 0;
}

/* 2D (8QNN): features of each slice's matrix, averaged over the slices that
 * have zones.  (2.5D, 62GR, is the matrix of all slices' zones together.) */
static int aggregate_2d(const Zones *zs, size_t nz, double f2d[NFEAT])
{
    double f[NFEAT];
    size_t nslices = 0;
    memset(f2d, 0, NFEAT * sizeof *f2d);
    for (size_t z = 0; z < nz; z++) {
        size_t a = zs->zfirst[z], b = zs->zfirst[z + 1];
        double nv = 0;
        if (a == b)
            continue; /* no intensity-mask voxel in this slice */
        for (size_t k = a; k < b; k++)
            nv += (double)zs->size[k]; /* the zones tile the slice's voxels */
        if (matrix_features(zs->grey + a, zs->size + a, b - a, nv, f) != 0)
            return -1;
        for (int k = 0; k < NFEAT; k++)
            f2d[k] += f[k];
        nslices++;
    }
    for (int k = 0; k < NFEAT && nslices; k++)
        f2d[k] /= (double)nslices;
    return 0;
}

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    const char *suf[6];
    int nsuf = rad_aggr_suffixes(RAD_AGGR_KIND_ZONE, s->aggr, suf);
    double f2d[NFEAT] = {0}, f25[NFEAT] = {0}, f3d[NFEAT] = {0};
    Grid g;
    Zones zs;
    int rc = -1;

    if (grid_build(roi, &g) != 0)
        return -1;
    if (s->aggr & (RAD_AGGR_2D | RAD_AGGR_2_5D)) {
        if (zones_label(&g, 1, &zs) != 0)
            goto done;
        rc = aggregate_2d(&zs, g.nz, f2d);
        if (rc == 0)
            rc = matrix_features(zs.grey, zs.size, zs.n, (double)g.nvox, f25);
        zones_free(&zs);
        if (rc != 0)
            goto done;
        rc = -1;
    }
    if (s->aggr & RAD_AGGR_3D) {
        if (zones_label(&g, 0, &zs) != 0)
            goto done;
        rc = matrix_features(zs.grey, zs.size, zs.n, (double)g.nvox, f3d);
        zones_free(&zs);
        if (rc != 0)
            goto done;
        rc = -1;
    }
    for (int k = 0; k < nsuf; k++) {
        const double *f = strcmp(suf[k], "_2D") == 0 ? f2d : strcmp(suf[k], "_2_5D") == 0 ? f25 : f3d;
        if (emit(fs, suf[k], f) != 0)
            goto done;
    }
    rc = 0;
done:
    free(g.grey);
    return rc;
}

const RadFamily rad_family_szm = {"szm", "Grey level size zone matrix (GLSZM)", "9SAK", RAD_FAM_SZM, RAD_AGGR_KIND_ZONE, defs, compute};
