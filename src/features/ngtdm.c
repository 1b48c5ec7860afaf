/* radlab: Neighbourhood grey tone difference matrix (NGTDM) features (IBSI IPET).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What this computes (IBSI 1, docs/03_Image_features.rst, "Neighbourhood grey
 * tone difference based features"): for each voxel k of the intensity mask,
 * the mean grey level of its neighbours within Chebyshev distance delta
 * (s->distance), the centre excluded and only neighbours inside the intensity
 * mask counted (W_k of them); in 2D the neighbourhood stays within the slice.
 * A voxel with W_k = 0 has no valid neighbourhood and is left out.  Then, per
 * grey level i,
 *     n_i = number of voxels of level i with W_k > 0,
 *     s_i = sum over those voxels of |i - mean_k|,
 *     N_vc = sum n_i,  p_i = n_i / N_vc,  N_gp = number of levels with p_i > 0,
 * and the five features coarseness (QCDE), contrast (65HE), busyness (NQ30),
 * complexity (HDEZ) and strength (1X9X) follow the IBSI formulas, the double
 * sums running over the levels present (p_i > 0) only.
 *
 * Aggregation (section "Aggregating features"):
 *   _2D   (8QNN) one NGTDM per slice, features averaged over the slices;
 *   _2_5D (62GR) n_i and s_i summed over the slices, then features;
 *   _3D   (KOBO) one NGTDM from 3D neighbourhoods.
 *
 * Conventions for degenerate input (IBSI where it says, NaN where the value
 * is undefined for the ROI; rad_extract's warning names the NaN features):
 *   - coarseness is 1 / sum p_i s_i, capped at 10^6 (IBSI QCDE); sum p_i s_i
 *     = 0 (a single grey level) makes it undefined: NaN, not IBSI's
 *     arbitrary 10^6, which would flow into a model as a real value;
 *   - N_gp = 1 gives contrast 0 and busyness 0 (IBSI 65HE, NQ30);
 *   - sum s_i = 0 gives strength 0 (IBSI 1X9X);
 *   - busyness whose denominator sum |i1 p_i1 - i2 p_i2| is 0 although
 *     N_gp > 1 (e.g. levels 1 and 2 with p = 2/3 and 1/3) is 0/0: NaN;
 *   - no voxel with a valid neighbourhood (N_vc = 0, e.g. a single-voxel ROI):
 *     all five features are NaN;
 *   - in 2D, each feature is averaged over the slices in which it is defined
 *     (slices without a voxel with a valid neighbourhood have none); NaN
 *     when no slice defines it.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "features/texture.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {
    {"ngt_coarseness", "QCDE", "Coarseness", ""},
    {"ngt_contrast", "65HE", "Contrast", ""},
    {"ngt_busyness", "NQ30", "Busyness", ""},
    {"ngt_complexity", "HDEZ", "Complexity", ""},
    {"ngt_strength", "1X9X", "Strength", ""},
    {NULL, NULL, NULL, NULL}};

#define NFEAT 5
#define COARSENESS_MAX 1e6

/* ---- features of one NGTDM ------------------------------------------------------------ */

/* Features from n[i], s[i] for levels 1..gmax (index 0 unused).  The double
 * sums run over the N_gp levels present, gathered first, so the cost is
 * O(gmax + N_gp^2) whatever the number of bins. */
static int ngtdm_features(const double *n, const double *s, int gmax, double f[NFEAT])
{
    double nvc = 0, ps = 0, ssum = 0, c1 = 0, bden = 0, cplx = 0, str = 0;
    double *lv = NULL, *pv = NULL, *sv = NULL;
    size_t ngp = 0;

    f[0] = f[1] = f[2] = f[3] = f[4] = NAN;
    for (int i = 1; i <= gmax; i++)
        if (n[i] > 0) {
            nvc += n[i];
            ngp++;
        }
    if (nvc <= 0)
        return 0; /* no valid neighbourhood: the empty NGTDM */
    lv = rad_malloc(ngp * sizeof *lv, "NGTDM levels");
    pv = rad_malloc(ngp * sizeof *pv, "NGTDM levels");
    sv = rad_malloc(ngp * sizeof *sv, "NGTDM levels");
    if (!lv || !pv || !sv) {
        free(lv);
        free(pv);
        free(sv);
        return -1;
    }
    ngp = 0;
    for (int i = 1; i <= gmax; i++)
        if (n[i] > 0) {
            lv[ngp] = i;
            pv[ngp] = n[i] / nvc;
            sv[ngp] = s[i];
            ps += pv[ngp] * s[i];
            ssum += s[i];
            ngp++;
        }
    for (size_t a = 0; a < ngp; a++) {
        if ((a & 1023) == 0 && rad_interrupt_check() != 0) {
            free(lv);
            free(pv);
            free(sv);
            return -1;
        }
        for (size_t b = 0; b < ngp; b++) {
            double di = lv[a] - lv[b];
            c1 += pv[a] * pv[b] * di * di;                                     /* 65HE */
            bden += fabs(lv[a] * pv[a] - lv[b] * pv[b]);                       /* NQ30 */
            cplx += fabs(di) * (pv[a] * sv[a] + pv[b] * sv[b]) / (pv[a] + pv[b]); /* HDEZ */
            str += (pv[a] + pv[b]) * di * di;                                  /* 1X9X */
        }
    }
    /* QCDE: 1 / sum p_i s_i, at most 10^6; undefined when the sum is 0 */
    f[0] = ps > 0 ? (ps * COARSENESS_MAX > 1 ? 1 / ps : COARSENESS_MAX) : NAN;
    /* 65HE: [sum p1 p2 (i1-i2)^2 / (N_gp (N_gp-1))] [sum s_i / N_vc]; 0 when N_gp = 1 */
    f[1] = ngp > 1 ? c1 / ((double)ngp * (double)(ngp - 1)) * ssum / nvc : 0;
    /* NQ30: sum p_i s_i / sum |i1 p1 - i2 p2|; 0 when N_gp = 1, 0/0 (NaN) when
     * only the denominator vanishes */
    f[2] = ngp == 1 ? 0 : bden > 0 ? ps / bden : NAN;
    /* HDEZ: (1/N_vc) sum |i1-i2| (p1 s1 + p2 s2) / (p1 + p2) */
    f[3] = cplx / nvc;
    /* 1X9X: sum (p1 + p2)(i1-i2)^2 / sum s_i; 0 when sum s_i = 0 */
    f[4] = ssum > 0 ? str / ssum : 0;
    free(lv);
    free(pv);
    free(sv);
    return 0;
}

/* ---- neighbourhoods ------------------------------------------------------------------- */

/* The ROI's bounding box is copied into a grid padded by delta voxels of
 * background on every side, so that neighbour offsets never leave it, and
 * the offsets of the neighbours within Chebyshev distance delta (centre
 * excluded, in the slice only in 2D) are listed once: both shared with the
 * other zone families (texture.c). */

/* Add the NGTDM contributions of padded slice z to n[], s[]; returns the
 * number of voxels with a valid neighbourhood. */
static size_t slice_ngtdm(const RadTexGrid *g, size_t z, const ptrdiff_t *off, int noff, double *n, double *s)
{
    size_t valid = 0;
    for (size_t y = g->pad; y + g->pad < g->ny; y++) {
        size_t p = g->pad + g->nx * (y + g->ny * z);
        for (size_t x = g->pad; x + g->pad < g->nx; x++, p++) {
            int gl = g->grey[p], w = 0;
            long sum = 0;
            if (!gl)
                continue;
            for (int k = 0; k < noff; k++) {
                int q = g->grey[(size_t)((ptrdiff_t)p + off[k])];
                if (q) {
                    sum += q;
                    w++;
                }
            }
            if (!w)
                continue; /* no neighbour in the ROI: no valid neighbourhood */
            n[gl] += 1;
            s[gl] += fabs(gl - (double)sum / w);
            valid++;
        }
    }
    return valid;
}

/* ---- the family ---------------------------------------------------------------------- */

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    int delta = s->distance >= 1 ? s->distance : 1;
    double f2d[NFEAT] = {COARSENESS_MAX}, f25[NFEAT] = {COARSENESS_MAX}, f3d[NFEAT] = {COARSENESS_MAX};
    double *n = NULL, *sd = NULL, *nt = NULL, *st = NULL, f[NFEAT];
    ptrdiff_t *off = NULL;
    size_t gl1;
    RadTexGrid g;
    int noff, rc = -1;

    if (rad_texture_grid_build(roi, (size_t)delta, 0, "NGTDM", &g) != 0)
        return -1;
    gl1 = (size_t)g.gmax + 1;
    n = rad_calloc(gl1, sizeof *n, "NGTDM");
    sd = rad_calloc(gl1, sizeof *sd, "NGTDM");
    nt = rad_calloc(gl1, sizeof *nt, "NGTDM");
    st = rad_calloc(gl1, sizeof *st, "NGTDM");
    off = rad_malloc((size_t)(2 * delta + 1) * (2 * delta + 1) * (2 * delta + 1) * sizeof *off, "NGTDM offsets");
    if (!n || !sd || !nt || !st || !off)
        goto done;

    if (s->aggr & (RAD_AGGR_2D | RAD_AGGR_2_5D)) {
        RadTexMean m2d;
        memset(&m2d, 0, sizeof m2d);
        noff = rad_texture_offsets(&g, delta, 1, off);
        for (size_t z = g.pad; z + g.pad < g.nz; z++) {
            if (rad_interrupt_check() != 0)
                goto done;
            memset(n, 0, gl1 * sizeof *n);
            memset(sd, 0, gl1 * sizeof *sd);
            if (slice_ngtdm(&g, z, off, noff, n, sd) == 0)
                continue; /* no valid neighbourhood in this slice */
            if (ngtdm_features(n, sd, g.gmax, f) != 0)
                goto done;
            rad_tex_mean_add(&m2d, f, NFEAT);
            for (size_t i = 0; i < gl1; i++) {
                nt[i] += n[i];
                st[i] += sd[i];
            }
        }
        for (int k = 0; k < NFEAT; k++)
            f2d[k] = rad_tex_mean_value(&m2d, k);
        if (ngtdm_features(nt, st, g.gmax, f25) != 0)
            goto done;
    }
    if (s->aggr & RAD_AGGR_3D) {
        noff = rad_texture_offsets(&g, delta, 0, off);
        memset(n, 0, gl1 * sizeof *n);
        memset(sd, 0, gl1 * sizeof *sd);
        for (size_t z = g.pad; z + g.pad < g.nz; z++) {
            if (rad_interrupt_check() != 0)
                goto done;
            slice_ngtdm(&g, z, off, noff, n, sd);
        }
        if (ngtdm_features(n, sd, g.gmax, f3d) != 0)
            goto done;
    }
    if (rad_texture_zone_emit(f2d, f25, f3d, defs, NFEAT, s->aggr, fs) != 0)
        goto done;
    rc = 0;
done:
    free(n);
    free(sd);
    free(nt);
    free(st);
    free(off);
    rad_texture_grid_free(&g);
    return rc;
}

const RadFamily rad_family_ngt = {"ngt", "Neighbourhood grey tone difference matrix (NGTDM)", "IPET", RAD_FAM_NGT, RAD_AGGR_KIND_ZONE, defs, compute, 0, NULL};
