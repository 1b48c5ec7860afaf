/* radlab: Grey level run length matrix (GLRLM) features (IBSI TP0I).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The 16 GLRLM features of IBSI 1 (docs/03_Image_features.rst, "Grey level
 * run length based features", TP0I) for the six aggregation methods of its
 * "Aggregating features" section (the same as the GLCM, glcm.c):
 *   _2D_avg (BTW3), _2D_comb (SUJT), _2_5D_avg (JJUI), _2_5D_comb (ZW7Z),
 *   _3D_avg (ITBB), _3D_comb (IAZD).
 * Merging sums the run counts element by element.
 *
 * Matrix: element (i, j) counts the runs of grey level i and length j
 * along direction m (texture.h; unit vectors, the GLRLM has no distance
 * setting): maximal sequences of consecutive intensity-mask voxels
 * (roi->grey > 0) with the same grey level.  2D matrices follow runs within
 * one slice (z) along the four in-plane directions.  Stored sparse over the
 * grey levels present (texture.h); formulas use the true grey levels.
 *
 * N_v (run percentage, 9ZK5) is the number of voxels that the runs of the
 * matrix cover, i.e. sum_j j r_.j: the voxels of the slice (2D) or of the
 * ROI (3D) for a directional matrix, and for a merged matrix the sum over
 * the merged matrices, as IBSI requires ("when matrices are merged, N_v
 * should likewise be summed").
 *
 * Degenerate cases (conventions):
 * - Slices without intensity-mask voxels have no runs and do not contribute
 *   to the 2D averages.  Every voxel lies on a run, so any non-empty region
 *   gives a matrix with counts; an aggregation with no matrix at all gives 0
 *   for every feature (cannot happen with n_mask >= 1, kept for safety).
 * - One voxel, or one grey level: all formulas stay defined (N_s >= 1);
 *   the variances are 0.
 * - For a 2D image (roi->is_2d) the 3D aggregations use the 4 in-plane
 *   directions only (a 2D image has no z neighbours).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "features/texture.h"
#include "util/error.h"

enum {
    RLM_SRE, RLM_LRE, RLM_LGRE, RLM_HGRE, RLM_SRLGE, RLM_SRHGE, RLM_LRLGE, RLM_LRHGE, RLM_GLNU,
    RLM_GLNU_NORM, RLM_RLNU, RLM_RLNU_NORM, RLM_R_PERC, RLM_GL_VAR, RLM_RL_VAR, RLM_RL_ENTR, RLM_NFEAT
};

/* In the order of the enum above (TAGS.md, IBSI 1 section TP0I). */
static const RadFeatureDef defs[] = {
    {"rlm_sre", "22OV", "Short runs emphasis", ""},
    {"rlm_lre", "W4KF", "Long runs emphasis", ""},
    {"rlm_lgre", "V3SW", "Low grey level run emphasis", ""},
    {"rlm_hgre", "G3QZ", "High grey level run emphasis", ""},
    {"rlm_srlge", "HTZT", "Short run low grey level emphasis", ""},
    {"rlm_srhge", "GD3A", "Short run high grey level emphasis", ""},
    {"rlm_lrlge", "IVPO", "Long run low grey level emphasis", ""},
    {"rlm_lrhge", "3KUM", "Long run high grey level emphasis", ""},
    {"rlm_glnu", "R5YN", "Grey level non-uniformity", ""},
    {"rlm_glnu_norm", "OVBL", "Normalised grey level non-uniformity", ""},
    {"rlm_rlnu", "W92Y", "Run length non-uniformity", ""},
    {"rlm_rlnu_norm", "IC23", "Normalised run length non-uniformity", ""},
    {"rlm_r_perc", "9ZK5", "Run percentage", ""},
    {"rlm_gl_var", "8CE5", "Grey level variance", ""},
    {"rlm_rl_var", "SXLW", "Run length variance", ""},
    {"rlm_rl_entr", "HJ9O", "Run entropy", ""},
    {NULL, NULL, NULL, NULL}};

/* Cells of a GLRLM: key = a * nr + (j - 1), a the compact grey level index,
 * j the run length (1..nr), n the number of runs. */

typedef struct RlmWork {
    int nl;
    uint64_t nr;      /* longest possible run */
    const int *level;
    double *ri;       /* nl: r_i. */
    double *rj;       /* nr: r_.j (index j - 1) */
} RlmWork;

static void rlm_work_free(RlmWork *w)
{
    free(w->ri);
    free(w->rj);
}

static int rlm_work_init(RlmWork *w, const RadTexLevels *L, uint64_t nr)
{
    memset(w, 0, sizeof *w);
    w->nl = L->nl;
    w->nr = nr;
    w->level = L->level;
    w->ri = rad_calloc((size_t)(L->nl > 0 ? L->nl : 1), sizeof *w->ri, "GLRLM marginals");
    w->rj = rad_calloc((size_t)nr, sizeof *w->rj, "GLRLM marginals");
    if (!w->ri || !w->rj) {
        rlm_work_free(w);
        return -1;
    }
    return 0;
}

/* The 16 features of one matrix into f (enum order).  Returns 0 when the
 * matrix has no runs (f untouched), 1 otherwise. */
static int rlm_features(const RadTexCells *m, void *ctx, double *f)
{
    RlmWork *w = ctx;
    const uint64_t nr = w->nr;
    double ns = 0, nv = 0, sre = 0, lre = 0, lgre = 0, hgre = 0, srlge = 0, srhge = 0, lrlge = 0, lrhge = 0;
    double glnu = 0, rlnu = 0, mui = 0, muj = 0, vari = 0, varj = 0, entr = 0;

    for (size_t c = 0; c < m->n; c++)
        ns += m->c[c].n;
    if (!(ns > 0))
        return 0;
    memset(w->ri, 0, (size_t)w->nl * sizeof *w->ri);
    memset(w->rj, 0, (size_t)nr * sizeof *w->rj);

    for (size_t c = 0; c < m->n; c++) {
        uint64_t a = m->c[c].key / nr, jj = m->c[c].key % nr;
        double r = m->c[c].n, i = w->level[a], j = (double)(jj + 1), p = r / ns;
        double i2 = i * i, j2 = j * j;
        w->ri[a] += r;
        w->rj[jj] += r;
        srlge += r / (i2 * j2);                /* HTZT */
        srhge += r * i2 / j2;                  /* GD3A */
        lrlge += r * j2 / i2;                  /* IVPO */
        lrhge += r * i2 * j2;                  /* 3KUM */
        entr -= p * log2(p);                   /* HJ9O */
    }
    for (int a = 0; a < w->nl; a++) {
        double r = w->ri[a], i = w->level[a];
        if (r == 0)
            continue;
        lgre += r / (i * i);                   /* V3SW */
        hgre += r * i * i;                     /* G3QZ */
        glnu += r * r;                         /* R5YN */
        mui += i * r / ns;
    }
    for (int a = 0; a < w->nl; a++) {
        double e = w->level[a] - mui;
        vari += e * e * w->ri[a] / ns;         /* 8CE5 */
    }
    for (uint64_t jj = 0; jj < nr; jj++) {
        double r = w->rj[jj], j = (double)(jj + 1);
        if (r == 0)
            continue;
        sre += r / (j * j);                    /* 22OV */
        lre += r * j * j;                      /* W4KF */
        rlnu += r * r;                         /* W92Y */
        nv += j * r;                           /* voxels covered by the runs */
        muj += j * r / ns;
    }
    for (uint64_t jj = 0; jj < nr; jj++) {
        double e = (double)(jj + 1) - muj;
        varj += e * e * w->rj[jj] / ns;        /* SXLW */
    }

    f[RLM_SRE] = sre / ns;
    f[RLM_LRE] = lre / ns;
    f[RLM_LGRE] = lgre / ns;
    f[RLM_HGRE] = hgre / ns;
    f[RLM_SRLGE] = srlge / ns;
    f[RLM_SRHGE] = srhge / ns;
    f[RLM_LRLGE] = lrlge / ns;
    f[RLM_LRHGE] = lrhge / ns;
    f[RLM_GLNU] = glnu / ns;
    f[RLM_GLNU_NORM] = glnu / (ns * ns);      /* OVBL */
    f[RLM_RLNU] = rlnu / ns;
    f[RLM_RLNU_NORM] = rlnu / (ns * ns);      /* IC23 */
    f[RLM_R_PERC] = ns / nv;                  /* 9ZK5: nv >= ns > 0 */
    f[RLM_GL_VAR] = vari;
    f[RLM_RL_VAR] = varj;
    f[RLM_RL_ENTR] = entr;
    return 1;
}

/* Count the runs along direction `dir` within slices z0..z1 of the box
 * (runs do not leave that slab) into the counter. */
static int rlm_count(const RadRoi *roi, const RadTexLevels *L, int dir, size_t z0, size_t z1, void *ctx,
                     RadTexCounter *cnt)
{
    const uint64_t nr = ((const RlmWork *)ctx)->nr;
    const RadBox *b = &roi->box;
    const long dx = rad_tex_dirs[dir][0], dy = rad_tex_dirs[dir][1], dz = rad_tex_dirs[dir][2];
    const long nx = (long)roi->geom.dim[0], ny = (long)roi->geom.dim[1];
    const long off = dx + nx * (dy + ny * dz);
    const long xlo = (long)b->lo[0], xhi = (long)b->hi[0], ylo = (long)b->lo[1], yhi = (long)b->hi[1];
    const long zlo = (long)z0, zhi = (long)z1;

    for (long z = zlo; z <= zhi; z++)
        for (long y = ylo; y <= yhi; y++) {
            size_t v = rad_tex_vox(roi, (size_t)xlo, (size_t)y, (size_t)z);
            for (long x = xlo; x <= xhi; x++, v++) {
                int g = roi->grey[v];
                long px = x - dx, py = y - dy, pz = z - dz, len = 0, qx = x, qy = y, qz = z;
                size_t q = v;
                if (!g)
                    continue;
                /* not a run start when the previous voxel along m continues it */
                if (px >= xlo && px <= xhi && py >= ylo && py <= yhi && pz >= zlo && pz <= zhi &&
                    roi->grey[(size_t)((long)v - off)] == g)
                    continue;
                while (qx >= xlo && qx <= xhi && qy >= ylo && qy <= yhi && qz >= zlo && qz <= zhi &&
                       roi->grey[q] == g) {
                    len++;
                    qx += dx;
                    qy += dy;
                    qz += dz;
                    q = (size_t)((long)q + off);
                }
                if (rad_tex_counter_add(cnt, (uint64_t)L->index[g] * nr + (uint64_t)(len - 1), 1.0) != 0)
                    return -1;
            }
        }
    return 0;
}

/* The six aggregations (BTW3, SUJT, JJUI, ZW7Z, ITBB, IAZD) are the shared
 * driver of texture.c, with the counting and feature functions above. */
static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    int rc = -1;
    uint64_t nr = 1;
    RadTexLevels L;
    RadTexCounter cnt;
    RlmWork w;
    RadTexMatrixFamily fam = {RLM_NFEAT, rlm_count, rlm_features, &w, defs};

    memset(&cnt, 0, sizeof cnt);
    memset(&w, 0, sizeof w);
    /* the longest possible run: the largest extent of the box */
    for (int c = 0; c < 3; c++)
        if (roi->box.hi[c] - roi->box.lo[c] + 1 > nr)
            nr = roi->box.hi[c] - roi->box.lo[c] + 1;
    if (rad_tex_levels_init(roi, &L) != 0)
        return -1;
    if (rad_tex_counter_init(&cnt, (uint64_t)L.nl * nr) != 0 || rlm_work_init(&w, &L, nr) != 0)
        goto done;
    rc = rad_texture_matrix_compute(roi, s, &L, &cnt, &fam, fs);

done:
    rad_tex_counter_free(&cnt);
    rlm_work_free(&w);
    rad_tex_levels_free(&L);
    return rc;
}

const RadFamily rad_family_rlm = {"rlm", "Grey level run length matrix (GLRLM)", "TP0I", RAD_FAM_RLM, RAD_AGGR_KIND_MATRIX, defs, compute, 0, NULL};
