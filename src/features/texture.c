/* radlab: shared code of the texture families (IBSI LFYI, TP0I, 9SAK, VMDZ, IPET, REK0).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the families have in common (texture.h describes each piece):
 *   - the aggregation driver of the directional matrices (GLCM, GLRLM),
 *     IBSI 1 docs/03_Image_features.rst, "Aggregating features";
 *   - padded grids, neighbour offsets and zone labelling (GLSZM, GLDZM,
 *     NGTDM, NGLDM);
 *   - the features of the matrices kept as lists of (grey level, column)
 *     items (GLSZM, GLDZM, NGLDM) and their 2D, 2.5D and 3D aggregation.
 * Internal to librad: the declarations are in texture.h, not in rad.h.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "features/texture.h"
#include "util/error.h"

/* ---- directional matrices: aggregation (GLCM, GLRLM) ------------------------------------- */

enum { AG_2D_AVG, AG_2D_COMB, AG_25D_AVG, AG_25D_COMB, AG_3D_AVG, AG_3D_COMB };

/* acc := acc + add (element-wise), using the counter and tmp as scratch. */
static int cells_merge(RadTexCounter *cnt, RadTexCells *acc, const RadTexCells *add, RadTexCells *tmp)
{
    RadTexCells t;
    if (rad_tex_counter_add_cells(cnt, acc) != 0 || rad_tex_counter_add_cells(cnt, add) != 0 ||
        rad_tex_counter_flush(cnt, tmp) != 0)
        return -1;
    t = *acc;
    *acc = *tmp;
    *tmp = t;
    return 0;
}

/* Append "<tag><suffix>" for the requested aggregations: mean[] holds them
 * in the order of the enum above. */
static int matrix_emit(const RadTexMean mean[6], const RadFeatureDef *defs, int nf, unsigned aggr, RadFeatureSet *fs)
{
    static const char *const names[6] = {"_2D_avg", "_2D_comb", "_2_5D_avg", "_2_5D_comb", "_3D_avg", "_3D_comb"};
    const char *suf[6];
    int nsuf = rad_aggr_suffixes(RAD_AGGR_KIND_MATRIX, aggr, suf);
    for (int k = 0; k < nsuf; k++)
        for (int a = 0; a < 6; a++)
            if (strcmp(suf[k], names[a]) == 0 && rad_tex_mean_emit(&mean[a], defs, nf, suf[k], fs) != 0)
                return -1;
    return 0;
}

int rad_texture_matrix_compute(const RadRoi *roi, const RadSettings *s, const RadTexLevels *L, RadTexCounter *cnt,
                               const RadTexMatrixFamily *fam, RadFeatureSet *fs)
{
    int want2d = (s->aggr & RAD_AGGR_2D) != 0, want25 = (s->aggr & RAD_AGGR_2_5D) != 0;
    int want3d = (s->aggr & RAD_AGGR_3D) != 0;
    int nf = fam->nf, rc = -1;
    RadTexMean mean[6];
    RadTexCells cur = {0}, slice = {0}, tmp = {0}, all = {0}, dir25[RAD_TEX_NDIR_2D];
    double f[32];

    if (nf < 1 || nf > 32)
        return rad_error_set("texture matrix: %d features per matrix, at most 32 supported", nf);
    memset(mean, 0, sizeof mean);
    memset(dir25, 0, sizeof dir25);

    if (want2d || want25) {
        for (size_t z = roi->box.lo[2]; z <= roi->box.hi[2]; z++) {
            if (rad_interrupt_check() != 0)
                goto done;
            slice.n = 0;
            for (int d = 0; d < RAD_TEX_NDIR_2D; d++) {
                if (fam->count(roi, L, d, z, z, fam->ctx, cnt) != 0 || rad_tex_counter_flush(cnt, &cur) != 0)
                    goto done;
                if (cur.n == 0)
                    continue; /* no count in this slice and direction: skipped */
                if (want2d) {
                    if (fam->features(&cur, fam->ctx, f))
                        rad_tex_mean_add(&mean[AG_2D_AVG], f, nf);
                    if (cells_merge(cnt, &slice, &cur, &tmp) != 0)
                        goto done;
                }
                if (want25 && cells_merge(cnt, &dir25[d], &cur, &tmp) != 0)
                    goto done;
            }
            if (want2d && fam->features(&slice, fam->ctx, f))
                rad_tex_mean_add(&mean[AG_2D_COMB], f, nf);
        }
        if (want25) {
            all.n = 0;
            for (int d = 0; d < RAD_TEX_NDIR_2D; d++) {
                if (fam->features(&dir25[d], fam->ctx, f))
                    rad_tex_mean_add(&mean[AG_25D_AVG], f, nf);
                if (cells_merge(cnt, &all, &dir25[d], &tmp) != 0)
                    goto done;
            }
            if (fam->features(&all, fam->ctx, f))
                rad_tex_mean_add(&mean[AG_25D_COMB], f, nf);
        }
    }

    if (want3d) {
        int ndir = roi->is_2d ? RAD_TEX_NDIR_2D : RAD_TEX_NDIR_3D;
        all.n = 0;
        for (int d = 0; d < ndir; d++) {
            if (rad_interrupt_check() != 0)
                goto done;
            if (fam->count(roi, L, d, roi->box.lo[2], roi->box.hi[2], fam->ctx, cnt) != 0 ||
                rad_tex_counter_flush(cnt, &cur) != 0)
                goto done;
            if (fam->features(&cur, fam->ctx, f))
                rad_tex_mean_add(&mean[AG_3D_AVG], f, nf);
            if (cells_merge(cnt, &all, &cur, &tmp) != 0)
                goto done;
        }
        if (fam->features(&all, fam->ctx, f))
            rad_tex_mean_add(&mean[AG_3D_COMB], f, nf);
    }

    if (matrix_emit(mean, fam->defs, nf, s->aggr, fs) != 0)
        goto done;
    rc = 0;

done:
    for (int d = 0; d < RAD_TEX_NDIR_2D; d++)
        rad_tex_cells_free(&dir25[d]);
    rad_tex_cells_free(&cur);
    rad_tex_cells_free(&slice);
    rad_tex_cells_free(&tmp);
    rad_tex_cells_free(&all);
    return rc;
}

/* ---- padded grids ----------------------------------------------------------------------------- */

void rad_texture_grid_free(RadTexGrid *g)
{
    free(g->grey);
    free(g->morph);
    memset(g, 0, sizeof *g);
}

int rad_texture_grid_build(const RadRoi *roi, size_t pad, int with_morph, const char *family, RadTexGrid *g)
{
    const RadBox *b = &roi->box;
    const size_t *dim = roi->geom.dim;
    char what[64];
    memset(g, 0, sizeof *g);
    for (int c = 0; c < 3; c++)
        if (b->lo[c] > b->hi[c] || b->hi[c] >= dim[c])
            return rad_error_set("%s: the ROI bounding box lies outside the %zux%zux%zu grid", family, dim[0],
                                 dim[1], dim[2]);
    g->pad = pad;
    g->nx = b->hi[0] - b->lo[0] + 1 + 2 * pad;
    g->ny = b->hi[1] - b->lo[1] + 1 + 2 * pad;
    g->nz = b->hi[2] - b->lo[2] + 1 + 2 * pad;
    g->n = g->nx * g->ny * g->nz;
    snprintf(what, sizeof what, "%s grid", family);
    g->grey = rad_calloc(g->n, sizeof *g->grey, what);
    if (with_morph)
        g->morph = rad_calloc(g->n, 1, what);
    if (!g->grey || (with_morph && !g->morph)) {
        rad_texture_grid_free(g);
        return -1;
    }
    for (size_t z = b->lo[2]; z <= b->hi[2]; z++)
        for (size_t y = b->lo[1]; y <= b->hi[1]; y++) {
            size_t v = b->lo[0] + dim[0] * (y + dim[1] * z);
            size_t p = pad + g->nx * ((y - b->lo[1] + pad) + g->ny * (z - b->lo[2] + pad));
            for (size_t x = b->lo[0]; x <= b->hi[0]; x++, v++, p++) {
                int gl;
                if (g->morph)
                    g->morph[p] = roi->morph[v] || roi->mask[v];
                if (!roi->mask[v])
                    continue;
                gl = roi->grey[v];
                if (gl < 1 || (roi->ng > 0 && gl > roi->ng)) {
                    rad_texture_grid_free(g);
                    return rad_error_set("%s: grey level %d at voxel (%zu, %zu, %zu) (1-based) is outside 1..%d",
                                         family, gl, x + 1, y + 1, z + 1, roi->ng);
                }
                g->grey[p] = gl;
                g->nvox++;
                if (gl > g->gmax)
                    g->gmax = gl;
            }
        }
    return 0;
}

int rad_texture_offsets(const RadTexGrid *g, int delta, int in_plane, ptrdiff_t *off)
{
    int n = 0, dzr = in_plane ? 0 : delta;
    ptrdiff_t sx = (ptrdiff_t)g->nx, sxy = (ptrdiff_t)(g->nx * g->ny);
    for (int dz = -dzr; dz <= dzr; dz++)
        for (int dy = -delta; dy <= delta; dy++)
            for (int dx = -delta; dx <= delta; dx++)
                if (dx || dy || dz)
                    off[n++] = dx + dy * sx + dz * sxy;
    return n;
}

/* ---- zones (9SAK) ------------------------------------------------------------------------------- */

void rad_texture_zones_free(RadTexZones *zs)
{
    free(zs->grey);
    free(zs->size);
    free(zs->dist);
    free(zs->zfirst);
    memset(zs, 0, sizeof *zs);
}

int rad_texture_zones_label(const RadTexGrid *g, int in_plane, const int *d, const char *family, RadTexZones *zs)
{
    ptrdiff_t off[26];
    int noff;
    size_t cap = g->nvox ? g->nvox : 1;
    uint8_t *seen = NULL;
    size_t *stack = NULL;
    char wlab[64], wfill[64], wzone[64];

    memset(zs, 0, sizeof *zs);
    if (g->pad < 1)
        return rad_error_set("%s: zone labelling needs a grid padded by at least one voxel", family);
    noff = rad_texture_offsets(g, 1, in_plane, off);
    snprintf(wlab, sizeof wlab, "%s zone labels", family);
    snprintf(wfill, sizeof wfill, "%s flood fill", family);
    snprintf(wzone, sizeof wzone, "%s zones", family);
    seen = rad_calloc(g->n, 1, wlab);
    stack = rad_malloc(cap * sizeof *stack, wfill);
    zs->grey = rad_malloc(cap * sizeof *zs->grey, wzone);
    zs->size = rad_malloc(cap * sizeof *zs->size, wzone);
    if (d)
        zs->dist = rad_malloc(cap * sizeof *zs->dist, wzone);
    zs->zfirst = rad_calloc(g->nz + 1, sizeof *zs->zfirst, wzone);
    if (!seen || !stack || !zs->grey || !zs->size || (d && !zs->dist) || !zs->zfirst)
        goto fail;
    for (size_t z = 0; z < g->nz; z++) {
        zs->zfirst[z] = zs->n;
        if (z < g->pad || z + g->pad >= g->nz)
            continue;
        for (size_t y = g->pad; y + g->pad < g->ny; y++) {
            size_t p = g->pad + g->nx * (y + g->ny * z);
            if (rad_interrupt_check() != 0)
                goto fail;
            for (size_t x = g->pad; x + g->pad < g->nx; x++, p++) {
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
                    if (d && d[q] < dmin)
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
                if (d)
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
    rad_texture_zones_free(zs);
    return -1;
}

/* ---- matrices as lists of items (GLSZM, GLDZM, NGLDM) -------------------------------------- */

/* Every feature is a sum over matrix entries, so most are sums over items;
 * only the entropy and the energy need the joint counts s_ij, obtained by
 * bucketing the items by grey level and counting the column values within
 * each bucket (O(n + levels + largest column value), no sort, no dense
 * matrix).  The IBSI identifiers are given in the order GLSZM (9SAK), GLDZM
 * (VMDZ), NGLDM (REK0). */
int rad_texture_list_features(const int *gi, const long *jj, size_t n, double nv, const char *family,
                              double f[RAD_TEX_LIST_NFEAT])
{
    int gmax = 0;
    long jmax = 0;
    double ns = (double)n, *sg = NULL, *sj = NULL;
    double small = 0, large = 0, lg = 0, hg = 0, slg = 0, shg = 0, llg = 0, lhg = 0;
    double glnu = 0, jnu = 0, mui = 0, muj = 0, vari = 0, varj = 0, entr = 0, energy = 0;
    size_t *start = NULL, *fill = NULL, *order = NULL;
    long *cnt = NULL;
    char wmarg[64], wbuck[64], wjoint[64];
    int rc = -1;

    memset(f, 0, RAD_TEX_LIST_NFEAT * sizeof *f);
    if (n == 0)
        return 0;
    for (size_t k = 0; k < n; k++) {
        if (gi[k] > gmax)
            gmax = gi[k];
        if (jj[k] > jmax)
            jmax = jj[k];
    }
    snprintf(wmarg, sizeof wmarg, "%s marginals", family);
    snprintf(wbuck, sizeof wbuck, "%s buckets", family);
    snprintf(wjoint, sizeof wjoint, "%s joint counts", family);
    sg = rad_calloc((size_t)gmax + 1, sizeof *sg, wmarg);
    sj = rad_calloc((size_t)jmax + 1, sizeof *sj, wmarg);
    start = rad_calloc((size_t)gmax + 2, sizeof *start, wbuck);
    fill = rad_malloc(((size_t)gmax + 1) * sizeof *fill, wbuck);
    order = rad_malloc(n * sizeof *order, wbuck);
    cnt = rad_calloc((size_t)jmax + 1, sizeof *cnt, wjoint);
    if (!sg || !sj || !start || !fill || !order || !cnt)
        goto out;

    for (size_t k = 0; k < n; k++) {
        double i = gi[k], j = (double)jj[k], i2 = i * i, j2 = j * j;
        sg[gi[k]] += 1;
        sj[jj[k]] += 1;
        slg += 1.0 / (i2 * j2); /* 5RAI, RUVG, EQ3F */
        shg += i2 / j2;         /* HW1V, DKNJ, JA6D */
        llg += j2 / i2;         /* YH51, A7WM, NBZI */
        lhg += i2 * j2;         /* J17V, KLTH, 9QMG */
        mui += i;
        muj += j;
        start[gi[k] + 1]++;
    }
    mui /= ns;
    muj /= ns;
    for (size_t k = 0; k < n; k++) {
        double di = gi[k] - mui, dj = (double)jj[k] - muj;
        vari += di * di; /* BYLV, QK93, 1PFV */
        varj += dj * dj; /* 3NSA, 7WT1, DNX2 */
    }
    for (int i = 1; i <= gmax; i++) {
        double i2 = (double)i * i;
        lg += sg[i] / i2;      /* XMSY, S1RA, TL9H */
        hg += sg[i] * i2;      /* 5GN9, K26C, OAE7 */
        glnu += sg[i] * sg[i]; /* JNSA, VFT7, FP8K */
    }
    for (long j = 1; j <= jmax; j++) {
        double j2 = (double)j * j;
        small += sj[j] / j2;   /* small zone emphasis (no identifier printed), 0GBI, SODN */
        large += sj[j] * j2;   /* 48P8, MB4I, IMOQ */
        jnu += sj[j] * sj[j];  /* 4JP3, V294, Z87G */
    }

    /* entropy (GU8N, GBDU, FCBV), -sum p_ij log2 p_ij, and energy (NGLDM
     * CAS9), sum p_ij^2, over the entries present */
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

    f[0] = small / ns;
    f[1] = large / ns;
    f[2] = lg / ns;
    f[3] = hg / ns;
    f[4] = slg / ns;
    f[5] = shg / ns;
    f[6] = llg / ns;
    f[7] = lhg / ns;
    f[8] = glnu / ns;
    f[9] = glnu / (ns * ns);      /* Y1RO, 7HP3, 5SPA */
    f[10] = jnu / ns;
    f[11] = jnu / (ns * ns);      /* VB3A, IATH, OKJI */
    f[12] = nv > 0 ? ns / nv : 0; /* P30P, VIWW, 6XV8 */
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

int rad_texture_list_aggregate(const int *gi, const long *jj, const long *size, const size_t *zfirst, size_t nz,
                               size_t n, double nv, const char *family, double f2d[RAD_TEX_LIST_NFEAT],
                               double fall[RAD_TEX_LIST_NFEAT])
{
    if (f2d) {
        double f[RAD_TEX_LIST_NFEAT];
        size_t nslices = 0;
        memset(f2d, 0, RAD_TEX_LIST_NFEAT * sizeof *f2d);
        for (size_t z = 0; z < nz; z++) {
            size_t a = zfirst[z], b = zfirst[z + 1];
            double nvz = 0;
            if (a == b)
                continue; /* no intensity-mask voxel in this slice */
            if (size)
                for (size_t k = a; k < b; k++)
                    nvz += (double)size[k]; /* the zones tile the slice's voxels */
            else
                nvz = (double)(b - a); /* one item per voxel */
            if (rad_texture_list_features(gi + a, jj + a, b - a, nvz, family, f) != 0)
                return -1;
            for (int k = 0; k < RAD_TEX_LIST_NFEAT; k++)
                f2d[k] += f[k];
            nslices++;
        }
        for (int k = 0; k < RAD_TEX_LIST_NFEAT && nslices; k++)
            f2d[k] /= (double)nslices;
    }
    return rad_texture_list_features(gi, jj, n, nv, family, fall);
}

/* ---- zone families (GLSZM, GLDZM) ------------------------------------------------------------ */

int rad_texture_zone_emit(const double *f2d, const double *f25, const double *f3d, const RadFeatureDef *defs, int nf,
                          unsigned aggr, RadFeatureSet *fs)
{
    const char *suf[6];
    int nsuf = rad_aggr_suffixes(RAD_AGGR_KIND_ZONE, aggr, suf);
    for (int a = 0; a < nsuf; a++) {
        const double *f = strcmp(suf[a], "_2D") == 0 ? f2d : strcmp(suf[a], "_2_5D") == 0 ? f25 : f3d;
        for (int k = 0; k < nf; k++)
            if (rad_featureset_add2(fs, defs[k].tag, suf[a], f[k]) != 0)
                return -1;
    }
    return 0;
}

int rad_texture_zone_compute(const RadRoi *roi, const RadSettings *s, const RadFeatureDef *defs, int nf,
                             const char *family, RadTexDistanceFn distance, RadFeatureSet *fs)
{
    double f2d[RAD_TEX_LIST_NFEAT] = {0}, f25[RAD_TEX_LIST_NFEAT] = {0}, f3d[RAD_TEX_LIST_NFEAT] = {0};
    char what[64];
    RadTexGrid g;
    RadTexZones zs;
    int *d = NULL, rc = -1;

    if (nf < 1 || nf > RAD_TEX_LIST_NFEAT)
        return rad_error_set("%s: %d features, at most %d supported", family, nf, RAD_TEX_LIST_NFEAT);
    if (rad_texture_grid_build(roi, 1, distance != NULL, family, &g) != 0)
        return -1;
    if (distance) {
        snprintf(what, sizeof what, "%s distance map", family);
        d = rad_malloc(g.n * sizeof *d, what);
        if (!d)
            goto done;
    }
    if (s->aggr & (RAD_AGGR_2D | RAD_AGGR_2_5D)) {
        if (distance)
            distance(&g, 1, d);
        if (rad_texture_zones_label(&g, 1, d, family, &zs) != 0)
            goto done;
        rc = rad_texture_list_aggregate(zs.grey, d ? zs.dist : zs.size, zs.size, zs.zfirst, g.nz, zs.n,
                                        (double)g.nvox, family, f2d, f25);
        rad_texture_zones_free(&zs);
        if (rc != 0)
            goto done;
        rc = -1;
    }
    if (s->aggr & RAD_AGGR_3D) {
        /* GLDZM: a 2D image has no third axis whose edge could be near: in-plane */
        if (distance)
            distance(&g, roi->is_2d, d);
        if (rad_texture_zones_label(&g, 0, d, family, &zs) != 0)
            goto done;
        rc = rad_texture_list_features(zs.grey, d ? zs.dist : zs.size, zs.n, (double)g.nvox, family, f3d);
        rad_texture_zones_free(&zs);
        if (rc != 0)
            goto done;
        rc = -1;
    }
    if (rad_texture_zone_emit(f2d, f25, f3d, defs, nf, s->aggr, fs) != 0)
        goto done;
    rc = 0;
done:
    free(d);
    rad_texture_grid_free(&g);
    return rc;
}
