/* radlab: Grey level distance zone matrix (GLDZM) features (IBSI VMDZ).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What this computes (IBSI 1, docs/03_Image_features.rst, "Grey level
 * distance zone based features"): the zones are those of the GLSZM (9SAK):
 * voxels of the intensity mask linked at Chebyshev distance 1 that share one
 * discretised grey level (26-connected in 3D, 8-connected within a slice in
 * 2D).  Each zone's distance is the smallest distance-to-edge of its voxels,
 * where the distance map is computed on the MORPHOLOGICAL mask (section
 * "Morphological and intensity masks") with 6-connectivity in 3D and
 * 4-connectivity within the slice in 2D: a voxel's distance is the number of
 * 6/4-steps to the nearest voxel outside the mask, so voxels on the ROI edge
 * have distance 1 (never 0).  Voxels outside the image grid count as outside
 * the mask.  d_ij counts the zones of grey level i and distance j; N_s is the
 * number of zones and N_v the number of intensity-mask voxels.
 *
 * Aggregation (section "Aggregating features"):
 *   _2D   (8QNN) one matrix per slice (2D zones, 2D distance map), features
 *         averaged over the slices;
 *   _2_5D (62GR) the per-slice matrices summed into one (N_v summed too);
 *   _3D   (KOBO) one matrix from 3D zones and the 3D distance map (for a
 *         2D image, roi->is_2d, the in-plane map: it has no z edge).
 *
 * The distance map comes from two raster passes of the city-block distance
 * transform, which is exactly the iterated 6/4-connected erosion the IBSI
 * describes (k erosions by the cross remove what lies within L1 distance k
 * of the outside), in O(n).
 *
 * Conventions for degenerate input:
 *   - slices without intensity-mask voxels have no zones and are left out of
 *     the 2D average (the average is over the slices that have zones);
 *   - by contract the intensity mask lies inside the morphological mask; a
 *     voxel of the intensity mask outside it is counted as part of it, so
 *     that every distance is >= 1 and no feature divides by 0;
 *   - one grey level, one voxel or one zone are ordinary matrices (variances
 *     0, entropy 0, ...); an empty matrix (impossible when n_mask >= 1) would
 *     give 0 everywhere.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {
    {"dzm_sde", "0GBI", "Small distance emphasis", ""},
    {"dzm_lde", "MB4I", "Large distance emphasis", ""},
    {"dzm_lgze", "S1RA", "Low grey level zone emphasis", ""},
    {"dzm_hgze", "K26C", "High grey level zone emphasis", ""},
    {"dzm_sdlge", "RUVG", "Small distance low grey level emphasis", ""},
    {"dzm_sdhge", "DKNJ", "Small distance high grey level emphasis", ""},
    {"dzm_ldlge", "A7WM", "Large distance low grey level emphasis", ""},
    {"dzm_ldhge", "KLTH", "Large distance high grey level emphasis", ""},
    {"dzm_glnu", "VFT7", "Grey level non-uniformity", ""},
    {"dzm_glnu_norm", "7HP3", "Normalised grey level non-uniformity", ""},
    {"dzm_zdnu", "V294", "Zone distance non-uniformity", ""},
    {"dzm_zdnu_norm", "IATH", "Normalised zone distance non-uniformity", ""},
    {"dzm_z_perc", "VIWW", "Zone percentage", ""},
    {"dzm_gl_var", "QK93", "Grey level variance", ""},
    {"dzm_zd_var", "7WT1", "Zone distance variance", ""},
    {"dzm_zd_entr", "GBDU", "Zone distance entropy", ""},
    {NULL, NULL, NULL, NULL}};

#define NFEAT 16

/* ---- the sparse matrix and its features ----------------------------------------- */

/* Features of the matrix whose entries are the n items (gi[k], jj[k]), each
 * counting 1 (one zone of grey level gi[k] and distance jj[k]); nv voxels.
 * Every feature is a sum over matrix entries, so most are sums over items;
 * only the entropy needs the joint counts s_ij, obtained by bucketing the
 * items by grey level and counting distances within each bucket (O(n + levels +
 * largest distance), no sort, no dense matrix). */
static int matrix_features(const int *gi, const long *jj, size_t n, double nv, double f[NFEAT])
{
    int gmax = 0;
    long jmax = 0;
    double ns = (double)n, *sg = NULL, *sj = NULL;
    double sde = 0, lde = 0, lg = 0, hg = 0, slg = 0, shg = 0, llg = 0, lhg = 0;
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
    sg = rad_calloc((size_t)gmax + 1, sizeof *sg, "GLDZM grey level marginal");
    sj = rad_calloc((size_t)jmax + 1, sizeof *sj, "GLDZM zone distance marginal");
    start = rad_calloc((size_t)gmax + 2, sizeof *start, "GLDZM buckets");
    fill = rad_malloc(((size_t)gmax + 1) * sizeof *fill, "GLDZM buckets");
    order = rad_malloc(n * sizeof *order, "GLDZM buckets");
    cnt = rad_calloc((size_t)jmax + 1, sizeof *cnt, "GLDZM joint counts");
    if (!sg || !sj || !start || !fill || !order || !cnt)
        goto out;

    for (size_t k = 0; k < n; k++) {
        double i = gi[k], j = (double)jj[k], i2 = i * i, j2 = j * j;
        sg[gi[k]] += 1;
        sj[jj[k]] += 1;
        slg += 1.0 / (i2 * j2); /* RUVG */
        shg += i2 / j2;         /* DKNJ */
        llg += j2 / i2;         /* A7WM */
        lhg += i2 * j2;         /* KLTH */
        mui += i;
        muj += j;
        start[gi[k] + 1]++;
    }
    mui /= ns;
    muj /= ns;
    for (size_t k = 0; k < n; k++) {
        double di = gi[k] - mui, dj = (double)jj[k] - muj;
        vari += di * di; /* QK93 */
        varj += dj * dj; /* 7WT1 */
    }
    for (int i = 1; i <= gmax; i++) {
        double i2 = (double)i * i;
        lg += sg[i] / i2;   /* S1RA */
        hg += sg[i] * i2;   /* K26C */
        glnu += sg[i] * sg[i]; /* VFT7 */
    }
    for (long j = 1; j <= jmax; j++) {
        double j2 = (double)j * j;
        sde += sj[j] / j2;   /* 0GBI */
        lde += sj[j] * j2;   /* MB4I */
        jnu += sj[j] * sj[j]; /* V294 */
    }

    /* zone distance entropy (GBDU): -sum p_ij log2 p_ij over the entries present */
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

    f[0] = sde / ns;
    f[1] = lde / ns;
    f[2] = lg / ns;
    f[3] = hg / ns;
    f[4] = slg / ns;
    f[5] = shg / ns;
    f[6] = llg / ns;
    f[7] = lhg / ns;
    f[8] = glnu / ns;
    f[9] = glnu / (ns * ns);   /* 7HP3 */
    f[10] = jnu / ns;
    f[11] = jnu / (ns * ns);   /* IATH */
    f[12] = nv > 0 ? ns / nv : 0; /* VIWW */
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

/* ---- zones and distances ------------------------------------------------------------ */

/* The ROI's bounding box copied into a grid padded by one voxel of
 * background on every side, so that neighbour offsets never leave it and the
 * padding counts as outside the ROI. */
typedef struct Grid {
    size_t nx, ny, nz, n; /* padded size */
    size_t nvox;          /* intensity-mask voxels */
    int *grey;            /* grey level, 0 outside the intensity mask */
    uint8_t *morph;       /* morphological mask (with the intensity mask) */
} Grid;

static void grid_free(Grid *g)
{
    free(g->grey);
    free(g->morph);
    memset(g, 0, sizeof *g);
}

static int grid_build(const RadRoi *roi, Grid *g)
{
    const RadBox *b = &roi->box;
    const size_t *dim = roi->geom.dim;
    memset(g, 0, sizeof *g);
    for (int c = 0; c < 3; c++)
        if (b->lo[c] > b->hi[c] || b->hi[c] >= dim[c])
            return rad_error_set("GLDZM: the ROI bounding box lies outside the %zux%zux%zu grid",
                                 dim[0], dim[1], dim[2]);
    g->nx = b->hi[0] - b->lo[0] + 3;
    g->ny = b->hi[1] - b->lo[1] + 3;
    g->nz = b->hi[2] - b->lo[2] + 3;
    g->n = g->nx * g->ny * g->nz;
    g->grey = rad_calloc(g->n, sizeof *g->grey, "GLDZM grid");
    g->morph = rad_calloc(g->n, 1, "GLDZM grid");
    if (!g->grey || !g->morph) {
        grid_free(g);
        return -1;
    }
    for (size_t z = b->lo[2]; z <= b->hi[2]; z++)
        for (size_t y = b->lo[1]; y <= b->hi[1]; y++) {
            size_t v = b->lo[0] + dim[0] * (y + dim[1] * z);
            size_t p = 1 + g->nx * ((y - b->lo[1] + 1) + g->ny * (z - b->lo[2] + 1));
            for (size_t x = b->lo[0]; x <= b->hi[0]; x++, v++, p++) {
                int gl;
                g->morph[p] = roi->morph[v] || roi->mask[v];
                if (!roi->mask[v])
                    continue;
                gl = roi->grey[v];
                if (gl < 1 || (roi->ng > 0 && gl > roi->ng)) {
                    grid_free(g);
                    return rad_error_set("GLDZM: grey level %d at voxel (%zu, %zu, %zu) is outside 1..%d",
                                         gl, x, y, z, roi->ng);
                }
                g->grey[p] = gl;
                g->nvox++;
            }
        }
    return 0;
}

/* Distance to the ROI edge (VMDZ) for every voxel of the morphological mask:
 * the city-block (L1) distance to the nearest voxel outside it, over 6
 * neighbours, or over the 4 in-plane neighbours when in_plane.  Forward pass
 * from the lower neighbours, backward pass from the upper ones; outside
 * voxels (and the padding, i.e. beyond the image grid) hold 0, so the ROI
 * edge gets 1. */
static void distance_map(const Grid *g, int in_plane, int *d)
{
    const size_t sx = g->nx, sxy = g->nx * g->ny;
    for (size_t p = 0; p < g->n; p++)
        d[p] = g->morph[p] ? INT_MAX / 2 : 0;
    for (size_t z = 1; z + 1 < g->nz; z++)
        for (size_t y = 1; y + 1 < g->ny; y++) {
            size_t p = 1 + sx * y + sxy * z;
            for (size_t x = 1; x + 1 < g->nx; x++, p++) {
                int m;
                if (!d[p])
                    continue;
                m = d[p - 1] + 1;
                if (d[p - sx] + 1 < m)
                    m = d[p - sx] + 1;
                if (!in_plane && d[p - sxy] + 1 < m)
                    m = d[p - sxy] + 1;
                if (m < d[p])
                    d[p] = m;
            }
        }
    for (size_t z = g->nz - 2; z >= 1; z--)
        for (size_t y = g->ny - 2; y >= 1; y--) {
            size_t p = (g->nx - 2) + sx * y + sxy * z;
            for (size_t x = g->nx - 2; x >= 1; x--, p--) {
                int m;
                if (!d[p])
                    continue;
                m = d[p + 1] + 1;
                if (d[p + sx] + 1 < m)
                    m = d[p + sx] + 1;
                if (!in_plane && d[p + sxy] + 1 < m)
                    m = d[p + sxy] + 1;
                if (m < d[p])
                    d[p] = m;
            }
        }
}

typedef struct Zones {
    size_t n;       /* number of zones */
    int *grey;      /* grey level of each zone */
    long *size;     /* voxel count of each zone */
    long *dist;     /* distance of each zone: the minimum over its voxels */
    size_t *zfirst; /* zfirst[z]: first zone of padded slice z; nz + 1 entries */
} Zones;

static void zones_free(Zones *zs)
{
    free(zs->grey);
    free(zs->size);
    free(zs->dist);
    free(zs->zfirst);
    memset(zs, 0, sizeof *zs);
}

/* Label the zones (9SAK) by flood fill with an explicit stack: 26-connected,
 * or 8-connected within each slice when in_plane, and give each its distance
 * from the map d.  Zones are found in raster order with z outermost, so the
 * zones of one slice are contiguous. */
static int zones_label(const Grid *g, int in_plane, const int *d, Zones *zs)
{
    ptrdiff_t off[26];
    int noff = 0;
    ptrdiff_t sx = (ptrdiff_t)g->nx, sxy = (ptrdiff_t)(g->nx * g->ny);
    size_t cap = g->nvox ? g->nvox : 1;
    uint8_t *seen = NULL;
    size_t *stack = NULL;

    memset(zs, 0, sizeof *zs);
    for (int dz = in_plane ? 0 : -1; dz <= (in_plane ? 0 : 1); dz++)
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
                if (dx || dy || dz)
                    off[noff++] = dx + dy * sx + dz * sxy;
    seen = rad_calloc(g->n, 1, "GLDZM zone labels");
    stack = rad_malloc(cap * sizeof *stack, "GLDZM flood fill");
    zs->grey = rad_malloc(cap * sizeof *zs->grey, "GLDZM zones");
    zs->size = rad_malloc(cap * sizeof *zs->size, "GLDZM zones");
    zs->dist = rad_malloc(cap * sizeof *zs->dist, "GLDZM zones");
    zs->zfirst = rad_calloc(g->nz + 1, sizeof *zs->zfirst, "GLDZM zones");
    if (!seen || !stack || !zs->grey || !zs->size || !zs->dist || !zs->zfirst)
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
                int gl = g->grey[p], dmin = INT_MAX;
                size_t top = 0;
                long size = 0;
                if (!gl || seen[p])
                    continue;
                seen[p] = 1;
                stack[top++] = p;
                while (top) {
                    size_t q = stack[--top];
                    size++;
                    if (d[q] < dmin)
                        dmin = d[q];
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
                zs->dist[zs->n] = dmin;
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
        if (matrix_features(zs->grey + a, zs->dist + a, b - a, nv, f) != 0)
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
    int *d = NULL, rc = -1;

    if (grid_build(roi, &g) != 0)
        return -1;
    d = rad_malloc(g.n * sizeof *d, "GLDZM distance map");
    if (!d)
        goto done;
    if (s->aggr & (RAD_AGGR_2D | RAD_AGGR_2_5D)) {
        distance_map(&g, 1, d);
        if (zones_label(&g, 1, d, &zs) != 0)
            goto done;
        rc = aggregate_2d(&zs, g.nz, f2d);
        if (rc == 0)
            rc = matrix_features(zs.grey, zs.dist, zs.n, (double)g.nvox, f25);
        zones_free(&zs);
        if (rc != 0)
            goto done;
        rc = -1;
    }
    if (s->aggr & RAD_AGGR_3D) {
        /* a 2D image has no third axis whose edge could be near: in-plane */
        distance_map(&g, roi->is_2d, d);
        if (zones_label(&g, 0, d, &zs) != 0)
            goto done;
        rc = matrix_features(zs.grey, zs.dist, zs.n, (double)g.nvox, f3d);
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
    free(d);
    grid_free(&g);
    return rc;
}

const RadFamily rad_family_dzm = {"dzm", "Grey level distance zone matrix (GLDZM)", "VMDZ", RAD_FAM_DZM, RAD_AGGR_KIND_ZONE, defs, compute};
