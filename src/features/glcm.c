/* radlab: Grey level co-occurrence matrix (GLCM) features (IBSI LFYI).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The 25 GLCM features of IBSI 1 (docs/03_Image_features.rst, "Grey level
 * co-occurrence based features", LFYI) for the six aggregation methods of
 * its "Aggregating features" section:
 *   _2D_avg    (BTW3) features of every 2D directional matrix of every slice, averaged;
 *   _2D_comb   (SUJT) per slice the 4 directional matrices merged, features averaged over slices;
 *   _2_5D_avg  (JJUI) per direction the matrices of all slices merged, features averaged over directions;
 *   _2_5D_comb (ZW7Z) one matrix merged over all slices and directions;
 *   _3D_avg    (ITBB) features of the 13 3D directional matrices, averaged;
 *   _3D_comb   (IAZD) one matrix merged over the 13 directions.
 * Merging sums the counts element by element.
 *
 * Matrix: grey levels from roi->grey (1..roi->ng; 0 = outside the intensity
 * mask).  For direction m (texture.h) scaled by the Chebyshev distance
 * s->distance, every pair of intensity-mask voxels (k, k + m) counts once
 * at (i, j) and once at (j, i): the symmetric M_m = M_m+ + M_m+^T.  2D
 * matrices pair voxels of the same slice (z) along the four in-plane
 * directions.  The matrix is stored sparse over the grey levels present
 * (texture.h); formulas use the true grey levels i, j, and Ng = roi->ng
 * where IBSI writes Ng explicitly (normalised inverse difference and
 * normalised inverse difference moment).
 *
 * Degenerate cases (conventions, documented here once):
 * - A matrix without counts (a slice with one voxel, a direction without
 *   any pair in the mask, a 2D image along z) does not contribute to an
 *   average: it is skipped, as IBSI only aggregates matrices that exist.
 * - An aggregation in which no matrix has counts (e.g. a single-voxel ROI)
 *   has no probabilities p_ij to take features of: every feature is NaN
 *   (undefined for the ROI; rad_extract's warning names them).
 * - One grey level in a matrix: the marginal variance is 0, so correlation
 *   (NI2N) is 0/0, and HX is 0, so information correlation 1 (R8DG) is
 *   0/0: both are NaN for that matrix and left out of the averages; they
 *   are NaN for the ROI when no matrix defines them.  Information
 *   correlation 2 (JN9H) is defined (HXY2 = HXY = 0 gives 0).
 * - For a 2D image (roi->is_2d) the 3D aggregations use the 4 in-plane
 *   directions (the others have no pairs).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "features/texture.h"
#include "util/error.h"

enum {
    CM_JOINT_MAX, CM_JOINT_AVG, CM_JOINT_VAR, CM_JOINT_ENTR, CM_DIFF_AVG, CM_DIFF_VAR, CM_DIFF_ENTR,
    CM_SUM_AVG, CM_SUM_VAR, CM_SUM_ENTR, CM_ENERGY, CM_CONTRAST, CM_DISSIMILARITY, CM_INV_DIFF,
    CM_INV_DIFF_NORM, CM_INV_DIFF_MOM, CM_INV_DIFF_MOM_NORM, CM_INV_VAR, CM_CORR, CM_AUTO_CORR,
    CM_CLUST_TEND, CM_CLUST_SHADE, CM_CLUST_PROM, CM_INFO_CORR1, CM_INFO_CORR2, CM_NFEAT
};

/* In the order of the enum above (TAGS.md, IBSI 1 section LFYI). */
static const RadFeatureDef defs[] = {
    {"cm_joint_max", "GYBY", "Joint maximum", ""},
    {"cm_joint_avg", "60VM", "Joint average", ""},
    {"cm_joint_var", "UR99", "Joint variance", ""},
    {"cm_joint_entr", "TU9B", "Joint entropy", ""},
    {"cm_diff_avg", "TF7R", "Difference average", ""},
    {"cm_diff_var", "D3YU", "Difference variance", ""},
    {"cm_diff_entr", "NTRS", "Difference entropy", ""},
    {"cm_sum_avg", "ZGXS", "Sum average", ""},
    {"cm_sum_var", "OEEB", "Sum variance", ""},
    {"cm_sum_entr", "P6QZ", "Sum entropy", ""},
    {"cm_energy", "8ZQL", "Angular second moment", ""},
    {"cm_contrast", "ACUI", "Contrast", ""},
    {"cm_dissimilarity", "8S9J", "Dissimilarity", ""},
    {"cm_inv_diff", "IB1Z", "Inverse difference", ""},
    {"cm_inv_diff_norm", "NDRX", "Normalised inverse difference", ""},
    {"cm_inv_diff_mom", "WF0Z", "Inverse difference moment", ""},
    {"cm_inv_diff_mom_norm", "1QCO", "Normalised inverse difference moment", ""},
    {"cm_inv_var", "E8JP", "Inverse variance", ""},
    {"cm_corr", "NI2N", "Correlation", ""},
    {"cm_auto_corr", "QWB0", "Autocorrelation", ""},
    {"cm_clust_tend", "DG8W", "Cluster tendency", ""},
    {"cm_clust_shade", "7NFM", "Cluster shade", ""},
    {"cm_clust_prom", "AE86", "Cluster prominence", ""},
    {"cm_info_corr1", "R8DG", "Information correlation 1", ""},
    {"cm_info_corr2", "JN9H", "Information correlation 2", ""},
    {NULL, NULL, NULL, NULL}};

/* Cells of a GLCM: key = a * nl + b with compact indices a <= b.  The
 * matrix is symmetric, so one cell holds both (a, b) and (b, a): n is the
 * count of each of the two elements (for a == b, of the one diagonal
 * element).  A pair (k, k + m) adds 1 to an off-diagonal cell and 2 to a
 * diagonal one. */

/* Work arrays of the feature computation, allocated once per call. */
typedef struct CmWork {
    int nl, ng;
    int dist;     /* s->distance: the Chebyshev distance of the pairs */
    const int *level;
    double *px;   /* nl: row marginal p_i. */
    double *pd;   /* ng: diagonal probabilities p_{i-j,k}, k = 0..ng-1 */
    double *ps;   /* 2 ng + 1: cross-diagonal probabilities p_{i+j,k}, k = 2..2 ng */
    int *kd, *ks; /* the k with a non-zero pd / ps */
} CmWork;

static void cm_work_free(CmWork *w)
{
    free(w->px);
    free(w->pd);
    free(w->ps);
    free(w->kd);
    free(w->ks);
}

static int cm_work_init(CmWork *w, const RadTexLevels *L, int ng)
{
    memset(w, 0, sizeof *w);
    w->nl = L->nl;
    w->ng = ng;
    w->level = L->level;
    w->px = rad_calloc((size_t)(L->nl > 0 ? L->nl : 1), sizeof *w->px, "GLCM marginals");
    w->pd = rad_calloc((size_t)ng, sizeof *w->pd, "GLCM diagonal probabilities");
    w->ps = rad_calloc((size_t)(2 * ng + 1), sizeof *w->ps, "GLCM cross-diagonal probabilities");
    w->kd = rad_malloc((size_t)ng * sizeof *w->kd, "GLCM work");
    w->ks = rad_malloc((size_t)(2 * ng + 1) * sizeof *w->ks, "GLCM work");
    if (!w->px || !w->pd || !w->ps || !w->kd || !w->ks) {
        cm_work_free(w);
        return -1;
    }
    return 0;
}

/* The 25 features of one matrix into f (enum order).  Returns 0 when the
 * matrix has no counts (f untouched), 1 otherwise. */
static int cm_features(const RadTexCells *m, void *ctx, double *f)
{
    CmWork *w = ctx;
    const uint64_t nl = (uint64_t)w->nl;
    const double Ng = w->ng;
    double S = 0, mu = 0, var = 0, hx = 0, hxy = 0, hxy1 = 0, cov = 0;
    double jmax = 0, energy = 0, contrast = 0, diss = 0, idf = 0, idn = 0, idm = 0, idmn = 0, ivar = 0, acorr = 0;
    double tend = 0, shade = 0, prom = 0;
    double davg = 0, dvar = 0, dentr = 0, savg = 0, svar = 0, sentr = 0;
    int nkd = 0, nks = 0;

    for (size_t c = 0; c < m->n; c++) {
        uint64_t a = m->c[c].key / nl, b = m->c[c].key % nl;
        S += (a == b ? 1.0 : 2.0) * m->c[c].n;
    }
    if (!(S > 0))
        return 0;
    memset(w->px, 0, (size_t)w->nl * sizeof *w->px);

    /* first pass: everything that needs p_ij only */
    for (size_t c = 0; c < m->n; c++) {
        uint64_t a = m->c[c].key / nl, b = m->c[c].key % nl;
        double t = m->c[c].n / S;            /* p_ij = p_ji */
        double mult = a == b ? 1.0 : 2.0;    /* elements (i,j) and (j,i) */
        double i = w->level[a], j = w->level[b];
        double d = fabs(i - j), q = mult * t;
        int kd = (int)d, ks = (int)(i + j);
        w->px[a] += t;
        if (a != b)
            w->px[b] += t;
        if (t > jmax)
            jmax = t;                          /* GYBY */
        hxy -= q * log2(t);                    /* TU9B */
        energy += q * t;                       /* 8ZQL */
        contrast += q * d * d;                 /* ACUI */
        diss += q * d;                         /* 8S9J */
        idf += q / (1.0 + d);                  /* IB1Z */
        idn += q / (1.0 + d / Ng);             /* NDRX */
        idm += q / (1.0 + d * d);              /* WF0Z */
        idmn += q / (1.0 + d * d / (Ng * Ng)); /* 1QCO */
        if (d > 0)
            ivar += q / (d * d);               /* E8JP: sum over j > i, times 2 */
        acorr += q * i * j;                    /* QWB0 */
        if (w->pd[kd] == 0)
            w->kd[nkd++] = kd;
        w->pd[kd] += q;
        if (w->ps[ks] == 0)
            w->ks[nks++] = ks;
        w->ps[ks] += q;
    }

    /* marginals: mu_i. = mu_.j (symmetric), sigma^2 = joint variance, HX */
    for (int a = 0; a < w->nl; a++)
        mu += w->level[a] * w->px[a];          /* 60VM */
    for (int a = 0; a < w->nl; a++) {
        double p = w->px[a], e = w->level[a] - mu;
        var += e * e * p;                      /* UR99 */
        if (p > 0)
            hx -= p * log2(p);
    }

    /* second pass: terms centred on mu and HXY1 */
    for (size_t c = 0; c < m->n; c++) {
        uint64_t a = m->c[c].key / nl, b = m->c[c].key % nl;
        double t = m->c[c].n / S, q = (a == b ? 1.0 : 2.0) * t;
        double i = w->level[a], j = w->level[b], e = i + j - 2 * mu;
        cov += q * (i - mu) * (j - mu);        /* NI2N */
        tend += q * e * e;                     /* DG8W */
        shade += q * e * e * e;                /* 7NFM */
        prom += q * e * e * e * e;             /* AE86 */
        hxy1 -= q * log2(w->px[a] * w->px[b]); /* R8DG: HXY1 */
    }

    /* diagonal (i-j) and cross-diagonal (i+j) probabilities; clear as we go */
    for (int t = 0; t < nkd; t++)
        davg += w->kd[t] * w->pd[w->kd[t]];    /* TF7R */
    for (int t = 0; t < nkd; t++) {
        double p = w->pd[w->kd[t]], e = w->kd[t] - davg;
        dvar += e * e * p;                     /* D3YU */
        dentr -= p * log2(p);                  /* NTRS */
        w->pd[w->kd[t]] = 0;
    }
    for (int t = 0; t < nks; t++)
        savg += w->ks[t] * w->ps[w->ks[t]];    /* ZGXS */
    for (int t = 0; t < nks; t++) {
        double p = w->ps[w->ks[t]], e = w->ks[t] - savg;
        svar += e * e * p;                     /* OEEB */
        sentr -= p * log2(p);                  /* P6QZ */
        w->ps[w->ks[t]] = 0;
    }

    f[CM_JOINT_MAX] = jmax;
    f[CM_JOINT_AVG] = mu;
    f[CM_JOINT_VAR] = var;
    f[CM_JOINT_ENTR] = hxy;
    f[CM_DIFF_AVG] = davg;
    f[CM_DIFF_VAR] = dvar;
    f[CM_DIFF_ENTR] = dentr;
    f[CM_SUM_AVG] = savg;
    f[CM_SUM_VAR] = svar;
    f[CM_SUM_ENTR] = sentr;
    f[CM_ENERGY] = energy;
    f[CM_CONTRAST] = contrast;
    f[CM_DISSIMILARITY] = diss;
    f[CM_INV_DIFF] = idf;
    f[CM_INV_DIFF_NORM] = idn;
    f[CM_INV_DIFF_MOM] = idm;
    f[CM_INV_DIFF_MOM_NORM] = idmn;
    f[CM_INV_VAR] = ivar;
    /* NI2N: cov / sigma^2; one grey level (sigma = 0): 0/0, see the top */
    f[CM_CORR] = var > 0 ? cov / var : NAN;
    f[CM_AUTO_CORR] = acorr;
    f[CM_CLUST_TEND] = tend;
    f[CM_CLUST_SHADE] = shade;
    f[CM_CLUST_PROM] = prom;
    /* R8DG: (HXY - HXY1) / HX; HX = 0 (one grey level): 0/0, see the top */
    f[CM_INFO_CORR1] = hx > 0 ? (hxy - hxy1) / hx : NAN;
    /* JN9H: sqrt(1 - exp(-2 (HXY2 - HXY))).  HXY2 = -sum_ij p_i. p_.j
     * log2(p_i. p_.j) = 2 HX exactly (the marginals sum to 1), which avoids
     * an Ng x Ng loop.  HXY2 >= HXY in exact arithmetic; clamp rounding. */
    {
        double g = 2 * hx - hxy;
        if (g < 0)
            g = 0;
        f[CM_INFO_CORR2] = sqrt(1.0 - exp(-2.0 * g));
    }
    return 1;
}

/* Count the pairs of direction `dir` (scaled by the distance w->dist)
 * between intensity mask voxels of slices z0..z1 (the partner may lie in any
 * slice of the box) into the counter. */
static int cm_count(const RadRoi *roi, const RadTexLevels *L, int dir, size_t z0, size_t z1, void *ctx,
                    RadTexCounter *cnt)
{
    const int dist = ((const CmWork *)ctx)->dist;
    const RadBox *b = &roi->box;
    const long dx = rad_tex_dirs[dir][0] * dist, dy = rad_tex_dirs[dir][1] * dist, dz = rad_tex_dirs[dir][2] * dist;
    const long nx = (long)roi->geom.dim[0], ny = (long)roi->geom.dim[1];
    const long off = dx + nx * (dy + ny * dz);
    const uint64_t nl = (uint64_t)L->nl;
    long xlo = (long)b->lo[0], xhi = (long)b->hi[0], ylo = (long)b->lo[1], yhi = (long)b->hi[1];
    long zlo = (long)z0, zhi = (long)z1;
    /* restrict (x, y, z) so that the partner stays in the box */
    if (dx > 0) xhi -= dx; else xlo -= dx;
    if (dy > 0) yhi -= dy; else ylo -= dy;
    if (dz > 0) { if (zhi > (long)b->hi[2] - dz) zhi = (long)b->hi[2] - dz; }
    else if (dz < 0) { if (zlo < (long)b->lo[2] - dz) zlo = (long)b->lo[2] - dz; }
    for (long z = zlo; z <= zhi; z++)
        for (long y = ylo; y <= yhi; y++) {
            size_t v = rad_tex_vox(roi, (size_t)xlo, (size_t)y, (size_t)z);
            for (long x = xlo; x <= xhi; x++, v++) {
                int g1 = roi->grey[v], g2;
                uint64_t a, c;
                if (!g1)
                    continue;
                g2 = roi->grey[(size_t)((long)v + off)];
                if (!g2)
                    continue;
                a = (uint64_t)L->index[g1];
                c = (uint64_t)L->index[g2];
                if (a > c) {
                    uint64_t t = a;
                    a = c;
                    c = t;
                }
                if (rad_tex_counter_add(cnt, a * nl + c, a == c ? 2.0 : 1.0) != 0)
                    return -1;
            }
        }
    return 0;
}

/* The six aggregations (BTW3, SUJT, JJUI, ZW7Z, ITBB, IAZD) are the shared
 * driver of texture.c, with the counting and feature functions above. */
static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    int dist = s->distance, rc = -1;
    RadTexLevels L;
    RadTexCounter cnt;
    CmWork w;
    RadTexMatrixFamily fam = {CM_NFEAT, cm_count, cm_features, &w, defs};

    memset(&cnt, 0, sizeof cnt);
    memset(&w, 0, sizeof w);
    if (dist < 1)
        return rad_error_set("GLCM distance must be >= 1, got %d", dist);
    if (rad_tex_levels_init(roi, &L) != 0)
        return -1;
    if (rad_tex_counter_init(&cnt, (uint64_t)L.nl * (uint64_t)L.nl) != 0 || cm_work_init(&w, &L, roi->ng) != 0)
        goto done;
    w.dist = dist;
    rc = rad_texture_matrix_compute(roi, s, &L, &cnt, &fam, fs);

done:
    rad_tex_counter_free(&cnt);
    cm_work_free(&w);
    rad_tex_levels_free(&L);
    return rc;
}

const RadFamily rad_family_cm = {"cm", "Grey level co-occurrence matrix (GLCM)", "LFYI", RAD_FAM_CM, RAD_AGGR_KIND_MATRIX, defs, compute, 0, NULL};
