/* radlab: Neighbouring grey level dependence matrix (NGLDM) features (IBSI REK0).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What this computes (IBSI 1, docs/03_Image_features.rst, "Neighbouring grey
 * level dependence based features"): for every voxel k of the intensity mask
 * its dependence
 *     j_k = 1 + #{ neighbours m within Chebyshev distance delta (s->distance),
 *                  inside the intensity mask, with |X_d(k) - X_d(m)| <= alpha }
 * (alpha = s->ngldm_alpha; in 2D the neighbourhood stays within the slice).
 * The "1 +" is IBSI's convention that counts start at 1 (a voxel with no
 * dependent neighbour is in column 1), equivalent to counting the centre.
 * s_ij counts the voxels of grey level i and dependence j; every voxel has a
 * neighbourhood, so N_s = N_v and the dependence count percentage is 1.
 *
 * Aggregation (section "Aggregating features"):
 *   _2D   (8QNN) one NGLDM per slice, features averaged over the slices;
 *   _2_5D (62GR) the per-slice matrices summed into one (N_v, N_s summed);
 *   _3D   (KOBO) one NGLDM from 3D neighbourhoods.
 *
 * As for the zone matrices, features are computed from the list of
 * (grey level, dependence) items without a dense matrix.
 *
 * Conventions for degenerate input:
 *   - slices without intensity-mask voxels are left out of the 2D average;
 *   - a single voxel, or one grey level, are ordinary matrices (dependence 1,
 *     variances 0, entropy 0, ...); every denominator (N_s, i, j) is >= 1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {
    {"ngl_lde", "SODN", "Low dependence emphasis", ""},
    {"ngl_hde", "IMOQ", "High dependence emphasis", ""},
    {"ngl_lgce", "TL9H", "Low grey level count emphasis", ""},
    {"ngl_hgce", "OAE7", "High grey level count emphasis", ""},
    {"ngl_ldlge", "EQ3F", "Low dependence low grey level emphasis", ""},
    {"ngl_ldhge", "JA6D", "Low dependence high grey level emphasis", ""},
    {"ngl_hdlge", "NBZI", "High dependence low grey level emphasis", ""},
    {"ngl_hdhge", "9QMG", "High dependence high grey level emphasis", ""},
    {"ngl_glnu", "FP8K", "Grey level non-uniformity", ""},
    {"ngl_glnu_norm", "5SPA", "Normalised grey level non-uniformity", ""},
    {"ngl_dcnu", "Z87G", "Dependence count non-uniformity", ""},
    {"ngl_dcnu_norm", "OKJI", "Normalised dependence count non-uniformity", ""},
    {"ngl_dc_perc", "6XV8", "Dependence count percentage", ""},
    {"ngl_gl_var", "1PFV", "Grey level variance", ""},
    {"ngl_dc_var", "DNX2", "Dependence count variance", ""},
    {"ngl_dc_entr", "FCBV", "Dependence count entropy", ""},
    {"ngl_dc_energy", "CAS9", "Dependence count energy", ""},
    {NULL, NULL, NULL, NULL}};

#define NFEAT 17

/* ---- the sparse matrix and its features ----------------------------------------- */

/* Features of the matrix whose entries are the n items (gi[k], jj[k]), each
 * counting 1 (one voxel of grey level gi[k] and dependence jj[k]); nv voxels.
 * Every feature is a sum over matrix entries, so most are sums over items;
 * only the entropy needs the joint counts s_ij, obtained by bucketing the
 * items by grey level and counting dependences within each bucket (O(n +
 * levels + largest dependence), no sort, no dense matrix). */
static int matrix_features(const int *gi, const long *jj, size_t n, double nv, double f[NFEAT])
{
    int gmax = 0;
    long jmax = 0;
    double ns = (double)n, *sg = NULL, *sj = NULL;
    double lde = 0, hde = 0, lg = 0, hg = 0, slg = 0, shg = 0, llg = 0, lhg = 0;
    double glnu = 0, jnu = 0, mui = 0, muj = 0, vari = 0, varj = 0, entr = 0, energy = 0;
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
    sg = rad_calloc((size_t)gmax + 1, sizeof *sg, "NGLDM grey level marginal");
    sj = rad_calloc((size_t)jmax + 1, sizeof *sj, "NGLDM dependence marginal");
    start = rad_calloc((size_t)gmax + 2, sizeof *start, "NGLDM buckets");
    fill = rad_malloc(((size_t)gmax + 1) * sizeof *fill, "NGLDM buckets");
    order = rad_malloc(n * sizeof *order, "NGLDM buckets");
    cnt = rad_calloc((size_t)jmax + 1, sizeof *cnt, "NGLDM joint counts");
    if (!sg || !sj || !start || !fill || !order || !cnt)
        goto out;

    for (size_t k = 0; k < n; k++) {
        double i = gi[k], j = (double)jj[k], i2 = i * i, j2 = j * j;
        sg[gi[k]] += 1;
        sj[jj[k]] += 1;
        slg += 1.0 / (i2 * j2); /* EQ3F */
        shg += i2 / j2;         /* JA6D */
        llg += j2 / i2;         /* NBZI */
        lhg += i2 * j2;         /* 9QMG */
        mui += i;
        muj += j;
        start[gi[k] + 1]++;
    }
    mui /= ns;
    muj /= ns;
    for (size_t k = 0; k < n; k++) {
        double di = gi[k] - mui, dj = (double)jj[k] - muj;
        vari += di * di; /* 1PFV */
        varj += dj * dj; /* DNX2 */
    }
    for (int i = 1; i <= gmax; i++) {
        double i2 = (double)i * i;
        lg += sg[i] / i2;   /* TL9H */
        hg += sg[i] * i2;   /* OAE7 */
        glnu += sg[i] * sg[i]; /* FP8K */
    }
    for (long j = 1; j <= jmax; j++) {
        double j2 = (double)j * j;
        lde += sj[j] / j2;   /* SODN */
        hde += sj[j] * j2;   /* IMOQ */
        jnu += sj[j] * sj[j]; /* Z87G */
    }

    /* dependence count entropy (FCBV), -sum p_ij log2 p_ij, and energy (CAS9),
     * sum p_ij^2, over the entries present */
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
                energy += p * p;
                cnt[j] = 0;
            }
        }
    }

    f[0] = lde / ns;
    f[1] = hde / ns;
    f[2] = lg / ns;
    f[3] = hg / ns;
    f[4] = slg / ns;
    f[5] = shg / ns;
    f[6] = llg / ns;
    f[7] = lhg / ns;
    f[8] = glnu / ns;
    f[9] = glnu / (ns * ns);   /* 5SPA */
    f[10] = jnu / ns;
    f[11] = jnu / (ns * ns);   /* OKJI */
    f[12] = nv > 0 ? ns / nv : 0; /* 6XV8 */
    f[13] = vari / ns;
    f[14] = varj / ns;
    f[15] = entr;
    f[16] = energy;
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

/* ---- dependences ---------------------------------------------------------------------- */

/* The ROI's bounding box copied into a grid padded by delta voxels of
 * background on every side, so that neighbour offsets never leave it. */
typedef struct Grid {
    size_t nx, ny, nz, n, pad;
    size_t nvox; /* intensity-mask voxels */
    int *grey;   /* grey level, 0 outside the intensity mask */
} Grid;

static int grid_build(const RadRoi *roi, size_t pad, Grid *g)
{
    const RadBox *b = &roi->box;
    const size_t *dim = roi->geom.dim;
    memset(g, 0, sizeof *g);
    for (int c = 0; c < 3; c++)
        if (b->lo[c] > b->hi[c] || b->hi[c] >= dim[c])
            return rad_error_set("NGLDM: the ROI bounding box lies outside the %zux%zux%zu grid",
                                 dim[0], dim[1], dim[2]);
    g->pad = pad;
    g->nx = b->hi[0] - b->lo[0] + 1 + 2 * pad;
    g->ny = b->hi[1] - b->lo[1] + 1 + 2 * pad;
    g->nz = b->hi[2] - b->lo[2] + 1 + 2 * pad;
    g->n = g->nx * g->ny * g->nz;
    g->grey = rad_calloc(g->n, sizeof *g->grey, "NGLDM grid");
    if (!g->grey)
        return -1;
    for (size_t z = b->lo[2]; z <= b->hi[2]; z++)
        for (size_t y = b->lo[1]; y <= b->hi[1]; y++) {
            size_t v = b->lo[0] + dim[0] * (y + dim[1] * z);
            size_t p = pad + g->nx * ((y - b->lo[1] + pad) + g->ny * (z - b->lo[2] + pad));
            for (size_t x = b->lo[0]; x <= b->hi[0]; x++, v++, p++) {
                int gl;
                if (!roi->mask[v])
                    continue;
                gl = roi->grey[v];
                if (gl < 1 || (roi->ng > 0 && gl > roi->ng)) {
                    free(g->grey);
                    g->grey = NULL;
                    return rad_error_set("NGLDM: grey level %d at voxel (%zu, %zu, %zu) is outside 1..%d",
                                         gl, x, y, z, roi->ng);
                }
                g->grey[p] = gl;
                g->nvox++;
            }
        }
    return 0;
}

/* Dependence of every intensity-mask voxel, in raster order with z
 * outermost (so each slice's items are contiguous: zfirst[z] is the first
 * item of padded slice z, nz + 1 entries).  Neighbours within Chebyshev
 * distance delta, in the slice only when in_plane. */
static int dependences(const Grid *g, int delta, int alpha, int in_plane, int *gi, long *jj, size_t *zfirst)
{
    ptrdiff_t sx = (ptrdiff_t)g->nx, sxy = (ptrdiff_t)(g->nx * g->ny), *off;
    int noff = 0, dzr = in_plane ? 0 : delta;
    size_t m = 0;

    off = rad_malloc((size_t)(2 * delta + 1) * (2 * delta + 1) * (2 * delta + 1) * sizeof *off, "NGLDM offsets");
    if (!off)
        return -1;
    for (int dz = -dzr; dz <= dzr; dz++)
        for (int dy = -delta; dy <= delta; dy++)
            for (int dx = -delta; dx <= delta; dx++)
                if (dx || dy || dz)
                    off[noff++] = dx + dy * sx + dz * sxy;
    for (size_t z = 0; z < g->nz; z++) {
        zfirst[z] = m;
        if (z < g->pad || z + g->pad >= g->nz)
            continue;
        for (size_t y = g->pad; y + g->pad < g->ny; y++) {
            size_t p = g->pad + g->nx * (y + g->ny * z);
            if (rad_interrupt_check() != 0) {
                free(off);
                return -1;
            }
            for (size_t x = g->pad; x + g->pad < g->nx; x++, p++) {
                int gl = g->grey[p];
                long j = 1; /* REK0: dependence counts start at 1 */
                if (!gl)
                    continue;
                for (int k = 0; k < noff; k++) {
                    int q = g->grey[(size_t)((ptrdiff_t)p + off[k])];
                    if (q && abs(q - gl) <= alpha)
                        j++;
                }
                gi[m] = gl;
                jj[m] = j;
                m++;
            }
        }
    }
    zfirst[g->nz] = m;
    free(off);
    return 0;
}

/* ---- the family ---------------------------------------------------------------------- */

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    const char *suf[6];
    int nsuf = rad_aggr_suffixes(RAD_AGGR_KIND_ZONE, s->aggr, suf);
    int delta = s->distance >= 1 ? s->distance : 1, alpha = s->ngldm_alpha >= 0 ? s->ngldm_alpha : 0;
    double f2d[NFEAT] = {0}, f25[NFEAT] = {0}, f3d[NFEAT] = {0}, f[NFEAT];
    int *gi = NULL;
    long *jj = NULL;
    size_t *zfirst = NULL;
    Grid g;
    int rc = -1;

    if (grid_build(roi, (size_t)delta, &g) != 0)
        return -1;
    gi = rad_malloc((g.nvox ? g.nvox : 1) * sizeof *gi, "NGLDM");
    jj = rad_malloc((g.nvox ? g.nvox : 1) * sizeof *jj, "NGLDM");
    zfirst = rad_calloc(g.nz + 1, sizeof *zfirst, "NGLDM");
    if (!gi || !jj || !zfirst)
        goto done;

    if (s->aggr & (RAD_AGGR_2D | RAD_AGGR_2_5D)) {
        size_t nslices = 0;
        if (dependences(&g, delta, alpha, 1, gi, jj, zfirst) != 0)
            goto done;
        /* 8QNN: average over the slices that have voxels */
        for (size_t z = 0; z < g.nz; z++) {
            size_t a = zfirst[z], b = zfirst[z + 1];
            if (a == b)
                continue;
            if (matrix_features(gi + a, jj + a, b - a, (double)(b - a), f) != 0)
                goto done;
            for (int k = 0; k < NFEAT; k++)
                f2d[k] += f[k];
            nslices++;
        }
        for (int k = 0; k < NFEAT && nslices; k++)
            f2d[k] /= (double)nslices;
        /* 62GR: all slices' items form the merged matrix */
        if (matrix_features(gi, jj, g.nvox, (double)g.nvox, f25) != 0)
            goto done;
    }
    if (s->aggr & RAD_AGGR_3D) {
        if (dependences(&g, delta, alpha, 0, gi, jj, zfirst) != 0)
            goto done;
        if (matrix_features(gi, jj, g.nvox, (double)g.nvox, f3d) != 0)
            goto done;
    }
    for (int a = 0; a < nsuf; a++) {
        const double *fa = strcmp(suf[a], "_2D") == 0 ? f2d : strcmp(suf[a], "_2_5D") == 0 ? f25 : f3d;
        for (int k = 0; k < NFEAT; k++)
            if (rad_featureset_add2(fs, defs[k].tag, suf[a], fa[k]) != 0)
                goto done;
    }
    rc = 0;
done:
    free(gi);
    free(jj);
    free(zfirst);
    free(g.grey);
    return rc;
}

const RadFamily rad_family_ngl = {"ngl", "Neighbouring grey level dependence matrix (NGLDM)", "REK0", RAD_FAM_NGL, RAD_AGGR_KIND_ZONE, defs, compute};
