/* radlab: unit tests of the GLSZM, GLDZM, NGTDM and NGLDM families.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hand-built ROIs with hand-derived matrices (the 4x4 example grid of IBSI 1
 * docs/03_Image_features.rst, a 3x3x3 cube, degenerate ROIs), whose features
 * are recomputed here from dense matrices straight from the IBSI formulas,
 * independently of the sparse computation in the library; then every szm_,
 * dzm_, ngt_ and ngl_ reference value of the digital phantom (rounded to 3
 * significant figures), and of CT configuration A (within tolerance) when
 * the data folder is present.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rad.h"
#include "tap.h"
#include "feature_test.h"

/* ---- settings and values (ROIs are built with feature_test.h) ------------------------- */

static RadSettings settings_all(void)
{
    RadSettings s;
    rad_settings_default(&s);
    s.disc = RAD_DISC_NONE;
    s.aggr = RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D;
    return s;
}

/* The value of "<base><suffix>" in fs; NaN when absent. */
static double get(const RadFeatureSet *fs, const char *base, const char *suffix)
{
    char tag[160];
    snprintf(tag, sizeof tag, "%s%s", base, suffix);
    return ft_get(fs, tag);
}

/* got equals want within 1e-9 relative; NaN (undefined) equals only NaN. */
static int near(double got, double want)
{
    if (isnan(want))
        return isnan(got);
    return fabs(got - want) <= 1e-9 * (1 + fabs(want));
}

/* ---- reference computations from dense matrices (the IBSI formulas as printed) ---------- */

/* The 16 GLSZM/GLDZM features, plus dependence count energy (17th) for the
 * NGLDM, of the ng x nj matrix M (M[(i-1)*nj + (j-1)] = count of grey level i,
 * size/distance/dependence j); nv voxels. */
static void dense_features(const double *M, int ng, int nj, double nv, double f[17])
{
    double ns = 0, mi = 0, mj = 0;
    memset(f, 0, 17 * sizeof *f);
    for (int i = 1; i <= ng; i++)
        for (int j = 1; j <= nj; j++) {
            double m = M[(i - 1) * nj + (j - 1)];
            ns += m;
            mi += i * m;
            mj += j * m;
        }
    mi /= ns;
    mj /= ns;
    for (int i = 1; i <= ng; i++) {
        double si = 0;
        for (int j = 1; j <= nj; j++) {
            double m = M[(i - 1) * nj + (j - 1)], p = m / ns;
            si += m;
            f[4] += m / ((double)i * i * j * j);
            f[5] += (double)i * i * m / ((double)j * j);
            f[6] += (double)j * j * m / ((double)i * i);
            f[7] += (double)i * i * j * j * m;
            f[13] += (i - mi) * (i - mi) * p;
            f[14] += (j - mj) * (j - mj) * p;
            if (p > 0)
                f[15] -= p * log2(p);
            f[16] += p * p;
        }
        f[2] += si / ((double)i * i);
        f[3] += si * i * i;
        f[8] += si * si;
    }
    for (int j = 1; j <= nj; j++) {
        double sj = 0;
        for (int i = 1; i <= ng; i++)
            sj += M[(i - 1) * nj + (j - 1)];
        f[0] += sj / ((double)j * j);
        f[1] += sj * j * j;
        f[10] += sj * sj;
    }
    for (int k = 0; k <= 8; k++)
        f[k] /= ns;
    f[9] = f[8] / ns;
    f[10] /= ns;
    f[11] = f[10] / ns;
    f[12] = ns / nv;
}

/* NGTDM features from n_i, s_i (levels 1..ng), the double sums written as in
 * the IBSI formulas with the p != 0 conditions. */
static void dense_ngtdm(const double *n, const double *s, int ng, double f[5])
{
    double nvc = 0, ps = 0, ssum = 0, a = 0, bd = 0, cx = 0, st = 0;
    int ngp = 0;
    for (int i = 1; i <= ng; i++) {
        nvc += n[i];
        ngp += n[i] > 0;
        ssum += s[i];
    }
    for (int i = 1; i <= ng; i++)
        ps += n[i] / nvc * s[i];
    for (int i1 = 1; i1 <= ng; i1++)
        for (int i2 = 1; i2 <= ng; i2++) {
            double p1 = n[i1] / nvc, p2 = n[i2] / nvc;
            if (p1 == 0 || p2 == 0)
                continue;
            a += p1 * p2 * (i1 - i2) * (i1 - i2);
            bd += fabs(i1 * p1 - i2 * p2);
            cx += abs(i1 - i2) * (p1 * s[i1] + p2 * s[i2]) / (p1 + p2);
            st += (p1 + p2) * (i1 - i2) * (i1 - i2);
        }
    /* IBSI's conventions (contrast and busyness 0 for one level, strength 0
     * for sum s = 0); undefined otherwise: coarseness with sum p s = 0,
     * busyness 0/0, everything without a valid neighbourhood (nvc = 0) */
    f[0] = ps > 0 ? 1 / ps : NAN;
    f[1] = ngp > 1 ? a / (ngp * (ngp - 1.0)) * ssum / nvc : 0;
    f[2] = ngp > 1 ? (bd > 0 ? ps / bd : NAN) : 0;
    f[3] = cx / nvc;
    f[4] = ssum > 0 ? st / ssum : 0;
    if (!(nvc > 0))
        f[0] = f[1] = f[2] = f[3] = f[4] = NAN;
}

static const char *const szm_tags[16] = {"szm_sze", "szm_lze", "szm_lgze", "szm_hgze", "szm_szlge", "szm_szhge",
    "szm_lzlge", "szm_lzhge", "szm_glnu", "szm_glnu_norm", "szm_zsnu", "szm_zsnu_norm", "szm_z_perc",
    "szm_gl_var", "szm_zs_var", "szm_zs_entr"};
static const char *const dzm_tags[16] = {"dzm_sde", "dzm_lde", "dzm_lgze", "dzm_hgze", "dzm_sdlge", "dzm_sdhge",
    "dzm_ldlge", "dzm_ldhge", "dzm_glnu", "dzm_glnu_norm", "dzm_zdnu", "dzm_zdnu_norm", "dzm_z_perc",
    "dzm_gl_var", "dzm_zd_var", "dzm_zd_entr"};
static const char *const ngl_tags[17] = {"ngl_lde", "ngl_hde", "ngl_lgce", "ngl_hgce", "ngl_ldlge", "ngl_ldhge",
    "ngl_hdlge", "ngl_hdhge", "ngl_glnu", "ngl_glnu_norm", "ngl_dcnu", "ngl_dcnu_norm", "ngl_dc_perc",
    "ngl_gl_var", "ngl_dc_var", "ngl_dc_entr", "ngl_dc_energy"};
static const char *const ngt_tags[5] = {"ngt_coarseness", "ngt_contrast", "ngt_busyness", "ngt_complexity",
    "ngt_strength"};

/* All nf features of fs with `suffix` equal to want[]; one TAP line. */
static void check_all(const RadFeatureSet *fs, const char *const *tags, int nf, const char *suffix,
                      const double *want, const char *what)
{
    int bad = -1;
    for (int k = 0; k < nf && bad < 0; k++)
        if (!near(get(fs, tags[k], suffix), want[k]))
            bad = k;
    tap_ok(bad < 0, "%s (%d features%s)", what, nf, suffix);
    if (bad >= 0)
        tap_diag("%s%s: got %.17g, want %.17g", tags[bad], suffix, get(fs, tags[bad], suffix), want[bad]);
}

/* ---- the 4x4 example grid of IBSI 1 (GLSZM, GLDZM, NGTDM, NGLDM sections) ---------------- */

/* Grey levels, row y = 0 on top, x to the right; the whole grid is the ROI:
 *     1 2 2 3
 *     1 2 3 3
 *     4 2 4 1
 *     4 1 2 3                                                                       */
static const int example[16] = {1, 2, 2, 3, 1, 2, 3, 3, 4, 2, 4, 1, 4, 1, 2, 3};

static void test_example(void)
{
    RadRoi roi;
    RadSettings s = settings_all();
    RadFeatureSet *fs;
    double f[17];
    const char *aggr[3] = {"_2D", "_2_5D", "_3D"};

    ft_roi_grey(&roi, 2, 4, 4, 1, example, NULL);

    /* GLSZM, 8-connected zones (the doc's matrix): grey 1: sizes 2, 1, 1;
     * grey 2: one zone of 5 (the diagonal (1,2)-(2,3) links it); grey 3:
     * sizes 3 and 1; grey 4: sizes 2 and 1.  N_s = 8, N_v = 16. */
    {
        static const double M[4 * 5] = {
            2, 1, 0, 0, 0,
            0, 0, 0, 0, 1,
            1, 0, 1, 0, 0,
            1, 1, 0, 0, 0};
        fs = ft_run(&rad_family_szm, &roi, &s);
        dense_features(M, 4, 5, 16, f);
        for (int a = 0; a < 3; a++)
            check_all(fs, szm_tags, 16, aggr[a], f, "GLSZM of the IBSI example grid");
        /* a few by hand: s.j = (4, 2, 1, 0, 1), s_i. = (3, 1, 2, 2) */
        tap_near(get(fs, "szm_sze", "_3D"), (4 + 2 / 4. + 1 / 9. + 1 / 25.) / 8, 1e-12, "sze = (4 + 2/4 + 1/9 + 1/25) / 8");
        tap_near(get(fs, "szm_lze", "_3D"), 46 / 8., 1e-12, "lze = (4 + 2*4 + 9 + 25) / 8");
        tap_near(get(fs, "szm_hgze", "_3D"), 57 / 8., 1e-12, "hgze = (3 + 4 + 2*9 + 2*16) / 8");
        tap_near(get(fs, "szm_lzhge", "_3D"), 276 / 8., 1e-12, "lzhge = (2 + 4 + 100 + 9 + 81 + 16 + 64) / 8");
        tap_near(get(fs, "szm_zsnu", "_3D"), 22 / 8., 1e-12, "zsnu = (16 + 4 + 1 + 1) / 8");
        tap_near(get(fs, "szm_z_perc", "_3D"), 0.5, 1e-12, "z_perc = 8 / 16");
        tap_near(get(fs, "szm_zs_var", "_3D"), 14 / 8., 1e-12, "zs_var: mean size 2, (4*1 + 1 + 9) / 8");
        tap_near(get(fs, "szm_zs_entr", "_3D"), 2.75, 1e-12, "zs_entr = -(1/4 log2 1/4 + 6/8 log2 1/8)");
        rad_featureset_free(fs);
    }

    /* GLDZM.  Distance map (4-connected, edge = 1): the border is 1, the
     * centre 2x2 is 2.  Zones as above; only the lone 4 at (2,2) lies wholly
     * inside, so d = (1,1):3, (2,1):1, (3,1):2, (4,1):1, (4,2):1.  (The
     * doc's example matrix, with 2 zones of grey 2, was drawn with 4-connected
     * zones; IBSI's definition, and ours, link zones 8-connected in 2D.) */
    {
        static const double M[4 * 2] = {3, 0, 1, 0, 2, 0, 1, 1};
        fs = ft_run(&rad_family_dzm, &roi, &s);
        dense_features(M, 4, 2, 16, f);
        for (int a = 0; a < 3; a++)
            check_all(fs, dzm_tags, 16, aggr[a], f, "GLDZM of the IBSI example grid");
        tap_near(get(fs, "dzm_sde", "_2D"), (7 + 1 / 4.) / 8, 1e-12, "sde = (7 + 1/4) / 8");
        tap_near(get(fs, "dzm_lde", "_2D"), 11 / 8., 1e-12, "lde = (7 + 4) / 8");
        tap_near(get(fs, "dzm_zd_var", "_2D"), 56 / 512., 1e-12, "zd_var: mean 9/8, (7/64 + 49/64) / 8");
        rad_featureset_free(fs);
    }

    /* NGTDM, delta 1, every voxel has neighbours.  |i - mean of neighbours|:
     *   1: (0,0) 2/3, (0,1) 6/5, (3,2) 2, (1,3) 11/5          -> s_1 = 91/15, n_1 = 4
     *   2: (1,0) 1/5, (2,0) 3/5, (1,1) 3/8, (1,2) 5/8, (2,3) 1/5 -> s_2 = 2,   n_2 = 5
     *   3: (3,0) 1/3, (2,1) 5/8, (3,1) 2/5, (3,3) 2/3          -> s_3 = 81/40, n_3 = 4
     *   4: (0,2) 2, (2,2) 15/8, (0,3) 5/3                      -> s_4 = 133/24, n_4 = 3
     * (the centre four are the doc's 3/8, 5/8, 5/8 and 15/8). */
    {
        double n[5] = {0, 4, 5, 4, 3}, sv[5] = {0, 91 / 15., 2, 81 / 40., 133 / 24.};
        fs = ft_run(&rad_family_ngt, &roi, &s);
        dense_ngtdm(n, sv, 4, f);
        for (int a = 0; a < 3; a++)
            check_all(fs, ngt_tags, 5, aggr[a], f, "NGTDM of the IBSI example grid");
        tap_near(get(fs, "ngt_coarseness", "_3D"),
                 1 / ((4 * 91 / 15. + 5 * 2 + 4 * 81 / 40. + 3 * 133 / 24.) / 16), 1e-12,
                 "coarseness = 1 / sum p_i s_i");
        rad_featureset_free(fs);
    }

    /* NGLDM, delta 1, alpha 0: dependence 1 + equal neighbours,
     *     2 3 3 3
     *     2 4 3 3
     *     2 3 1 1
     *     2 1 2 1
     * -> grey 1: j 2,2,1,1; grey 2: 3,3,4,3,2; grey 3: 3,3,3,1; grey 4: 2,1,2. */
    {
        static const double M[4 * 4] = {
            2, 2, 0, 0,
            0, 1, 3, 1,
            1, 0, 3, 0,
            1, 2, 0, 0};
        fs = ft_run(&rad_family_ngl, &roi, &s);
        dense_features(M, 4, 4, 16, f);
        for (int a = 0; a < 3; a++)
            check_all(fs, ngl_tags, 17, aggr[a], f, "NGLDM of the IBSI example grid");
        tap_near(get(fs, "ngl_dc_perc", "_3D"), 1, 0, "dependence count percentage is 1");
        tap_near(get(fs, "ngl_hde", "_3D"), (4 * 1 + 5 * 4 + 6 * 9 + 1 * 16) / 16., 1e-12,
                 "hde = (4*1 + 5*4 + 6*9 + 1*16) / 16");
        rad_featureset_free(fs);
    }
    rad_roi_free(&roi);
}

/* ---- a 3x3x3 cube of grey 1 around a centre of grey 2 ------------------------------------- */

static void test_cube(void)
{
    int grey[27];
    RadRoi roi;
    RadSettings s = settings_all();
    RadFeatureSet *fs;
    double f[17], f0[17], f1[17];

    for (int v = 0; v < 27; v++)
        grey[v] = v == 13 ? 2 : 1;
    ft_roi_grey(&roi, 3, 3, 3, 3, grey, NULL);

    /* GLSZM 3D: (1,26), (2,1).  2D: slices 0 and 2 hold one zone (1,9); slice
     * 1 holds the ring (1,8) and the centre (2,1).  2.5D: (1,8), 2x(1,9), (2,1). */
    {
        double M3[2 * 26] = {0}, Ma[1 * 9] = {0}, Mb[2 * 8] = {0}, M25[2 * 9] = {0};
        M3[25] = 1;
        M3[26 + 0] = 1;
        Ma[8] = 1;
        Mb[7] = 1;
        Mb[8 + 0] = 1;
        M25[7] = 1;
        M25[8] = 2;
        M25[9 + 0] = 1;
        fs = ft_run(&rad_family_szm, &roi, &s);
        dense_features(M3, 2, 26, 27, f);
        check_all(fs, szm_tags, 16, "_3D", f, "GLSZM of the cube");
        dense_features(Ma, 1, 9, 9, f0);
        dense_features(Mb, 2, 8, 9, f1);
        for (int k = 0; k < 16; k++)
            f[k] = (2 * f0[k] + f1[k]) / 3;
        check_all(fs, szm_tags, 16, "_2D", f, "GLSZM of the cube, averaged over 3 slices");
        dense_features(M25, 2, 9, 27, f);
        check_all(fs, szm_tags, 16, "_2_5D", f, "GLSZM of the cube, slices merged");
        rad_featureset_free(fs);
    }

    /* GLDZM 3D: the centre is 2 steps from the outside (6-connected), the rest
     * 1: (1,1), (2,2).  2D: slices 0 and 2: (1,1); slice 1: (1,1), (2,2). */
    {
        double M3[2 * 2] = {1, 0, 0, 1}, Ma[1] = {1};
        fs = ft_run(&rad_family_dzm, &roi, &s);
        dense_features(M3, 2, 2, 27, f);
        check_all(fs, dzm_tags, 16, "_3D", f, "GLDZM of the cube");
        dense_features(Ma, 1, 1, 9, f0);
        dense_features(M3, 2, 2, 9, f1);
        for (int k = 0; k < 16; k++)
            f[k] = (2 * f0[k] + f1[k]) / 3;
        check_all(fs, dzm_tags, 16, "_2D", f, "GLDZM of the cube, averaged over 3 slices");
        {
            double M25[2 * 2] = {3, 0, 0, 1};
            dense_features(M25, 2, 2, 27, f);
            check_all(fs, dzm_tags, 16, "_2_5D", f, "GLDZM of the cube, slices merged");
        }
        rad_featureset_free(fs);
    }

    /* NGTDM 3D: every voxel neighbours the centre.  A corner has 7 neighbours
     * (mean 8/7), an edge voxel 11 (12/11), a face centre 17 (18/17); the
     * centre has 26 of grey 1.  s_1 = 8/7 + 12/11 + 6/17, n_1 = 26; s_2 = 1. */
    {
        double n[3] = {0, 26, 1}, sv[3] = {0, 8 / 7. + 12 / 11. + 6 / 17., 1};
        fs = ft_run(&rad_family_ngt, &roi, &s);
        dense_ngtdm(n, sv, 2, f);
        check_all(fs, ngt_tags, 5, "_3D", f, "NGTDM of the cube");
        /* 2D: slices 0, 2 are all grey 1 (s = 0: coarseness undefined, the
         * others 0); slice 1: corners mean 4/3 (1/3), edges 6/5 (1/5), centre
         * |2-1| = 1.  Each feature is averaged over the slices defining it. */
        {
            double n1[3] = {0, 8, 1}, s1[3] = {0, 4 / 3. + 4 / 5., 1}, g0[5], g1[5];
            double n25[3] = {0, 26, 1}, s25[3] = {0, 4 / 3. + 4 / 5., 1};
            dense_ngtdm((double[3]){0, 9, 0}, (double[3]){0, 0, 0}, 2, g0);
            dense_ngtdm(n1, s1, 2, g1);
            for (int k = 0; k < 5; k++)
                f[k] = k == 0 ? g1[0] : (2 * g0[k] + g1[k]) / 3;
            tap_ok(isnan(g0[0]) && g0[1] == 0 && g0[2] == 0 && g0[3] == 0 && g0[4] == 0,
                   "one grey level: NGTDM (NaN, 0, 0, 0, 0)");
            check_all(fs, ngt_tags, 5, "_2D", f, "NGTDM of the cube, averaged over 3 slices");
            dense_ngtdm(n25, s25, 2, f);
            check_all(fs, ngt_tags, 5, "_2_5D", f, "NGTDM of the cube, slices merged");
        }
        rad_featureset_free(fs);
    }

    /* NGLDM 3D: the centre has no equal neighbour (j = 1); a corner has 6
     * (j = 7), an edge voxel 10 (11), a face centre 16 (17). */
    {
        double M[2 * 17] = {0};
        M[6] = 8;
        M[10] = 12;
        M[16] = 6;
        M[17 + 0] = 1;
        fs = ft_run(&rad_family_ngl, &roi, &s);
        dense_features(M, 2, 17, 27, f);
        check_all(fs, ngl_tags, 17, "_3D", f, "NGLDM of the cube");
        rad_featureset_free(fs);
    }

    /* distance 2: every voxel sees the other 26. NGLDM: (1,26) x 26, (2,1).
     * NGTDM: each grey-1 voxel |1 - 27/26| = 1/26, s_1 = 1; s_2 = 1. */
    s.distance = 2;
    {
        double M[2 * 26] = {0};
        double n[3] = {0, 26, 1}, sv[3] = {0, 1, 1};
        M[25] = 26;
        M[26 + 0] = 1;
        fs = ft_run(&rad_family_ngl, &roi, &s);
        dense_features(M, 2, 26, 27, f);
        check_all(fs, ngl_tags, 17, "_3D", f, "NGLDM of the cube at distance 2");
        rad_featureset_free(fs);
        fs = ft_run(&rad_family_ngt, &roi, &s);
        dense_ngtdm(n, sv, 2, f);
        check_all(fs, ngt_tags, 5, "_3D", f, "NGTDM of the cube at distance 2");
        rad_featureset_free(fs);
    }
    /* alpha 1: grey 1 and 2 become dependent: every voxel j = 27. */
    s.distance = 1;
    s.ngldm_alpha = 1;
    {
        fs = ft_run(&rad_family_ngl, &roi, &s);
        tap_near(get(fs, "ngl_hde", "_3D"), (8 * 64 + 12 * 144 + 6 * 324 + 27 * 27) / 27., 1e-9,
                 "NGLDM alpha 1: corners 8, edges 12, face centres 18, centre 27");
        rad_featureset_free(fs);
    }
    rad_roi_free(&roi);
}

/* ---- 2D and 3D linkage; morphological vs intensity mask ---------------------------------- */

static void test_linkage(void)
{
    /* 2x2x2 grid: (0,0,0) and (1,1,1) of grey 1 touch only by a corner */
    int grey[8] = {1, 0, 0, 0, 0, 0, 0, 1};
    RadRoi roi;
    RadSettings s = settings_all();
    RadFeatureSet *fs;

    ft_roi_grey(&roi, 3, 2, 2, 2, grey, NULL);
    fs = ft_run(&rad_family_szm, &roi, &s);
    tap_near(get(fs, "szm_lze", "_3D"), 4, 0, "corner-touching voxels form one 26-connected zone of 2");
    tap_near(get(fs, "szm_lze", "_2D"), 1, 0, "... and two zones of 1 slice by slice");
    tap_near(get(fs, "szm_z_perc", "_2_5D"), 1, 0, "... 2.5D: 2 zones for 2 voxels");
    rad_featureset_free(fs);
    fs = ft_run(&rad_family_ngt, &roi, &s);
    tap_ok(isnan(get(fs, "ngt_coarseness", "_3D")) && get(fs, "ngt_contrast", "_3D") == 0 &&
               get(fs, "ngt_strength", "_3D") == 0,
           "NGTDM of one grey level: coarseness undefined (NaN, not 10^6), contrast and strength 0 (IBSI)");
    tap_ok(isnan(get(fs, "ngt_coarseness", "_2D")) && isnan(get(fs, "ngt_strength", "_2D")),
           "NGTDM 2D: no slice has a valid neighbourhood -> every feature undefined (NaN)");
    rad_featureset_free(fs);
    rad_roi_free(&roi);

    /* GLDZM distances come from the morphological mask: a 5x5 slice, all of
     * it morphological; the centre is re-segmented out of the intensity mask;
     * the 3x3 ring around it is grey 2, the border grey 1.  On the
     * morphological mask the ring is 2 steps from the outside; on the
     * intensity mask it would be 1. */
    {
        int g5[25], m5[25];
        double M[2 * 2] = {1, 0, 0, 1}, f[17];
        for (int v = 0; v < 25; v++) {
            int x = v % 5, y = v / 5;
            int border = x == 0 || y == 0 || x == 4 || y == 4;
            m5[v] = 1;
            g5[v] = v == 12 ? 0 : border ? 1 : 2;
        }
        ft_roi_grey(&roi, 2, 5, 5, 1, g5, m5);
        fs = ft_run(&rad_family_dzm, &roi, &s);
        dense_features(M, 2, 2, 24, f);
        check_all(fs, dzm_tags, 16, "_2D", f, "GLDZM: ring zone at distance 2 from the morphological edge");
        check_all(fs, dzm_tags, 16, "_3D", f, "GLDZM: same in 3D for a 2D image (in-plane distances)");
        rad_featureset_free(fs);
        /* the same slice as one slice of a 3D image: in 3D every voxel is on
         * the z edge, so both zones are at distance 1 */
        roi.is_2d = 0;
        roi.geom.ndim = 3;
        fs = ft_run(&rad_family_dzm, &roi, &s);
        dense_features((double[2]){1, 1}, 2, 1, 24, f);
        check_all(fs, dzm_tags, 16, "_3D", f, "GLDZM: a one-slice ROI of a 3D image is all edge in 3D");
        rad_featureset_free(fs);
        rad_roi_free(&roi);
    }
}

/* ---- degenerate ROIs ------------------------------------------------------------------------ */

static void test_degenerate(void)
{
    const RadFamily *fams[4] = {&rad_family_szm, &rad_family_dzm, &rad_family_ngt, &rad_family_ngl};
    const int nfeat[4] = {16, 16, 5, 17};
    RadRoi roi;
    RadSettings s = settings_all();
    RadFeatureSet *fs;

    /* a single voxel in the middle of a 3x3x3 grid, grey 3 */
    {
        int grey[27] = {0};
        grey[13] = 3;
        ft_roi_grey(&roi, 3, 3, 3, 3, grey, NULL);
        for (int k = 0; k < 4; k++) {
            fs = ft_run(fams[k], &roi, &s);
            /* NGTDM: no voxel has a valid neighbourhood, all undefined */
            tap_ok(fs && fs->n == (size_t)(3 * nfeat[k]) && ft_count_nan(fs) == (k == 2 ? 15 : 0),
                   "single voxel: %s gives %d values, %s", fams[k]->prefix, 3 * nfeat[k],
                   k == 2 ? "all NaN" : "all finite");
            if (k == 0) {
                tap_near(get(fs, "szm_sze", "_3D"), 1, 0, "single voxel: sze 1");
                tap_near(get(fs, "szm_lgze", "_2D"), 1 / 9., 1e-15, "single voxel: lgze 1/9");
                tap_near(get(fs, "szm_zs_entr", "_2_5D"), 0, 0, "single voxel: entropy 0");
            } else if (k == 1) {
                tap_near(get(fs, "dzm_lde", "_3D"), 1, 0, "single voxel: distance 1");
            } else if (k == 2) {
                tap_ok(isnan(get(fs, "ngt_coarseness", "_3D")) && isnan(get(fs, "ngt_contrast", "_3D")) &&
                           isnan(get(fs, "ngt_busyness", "_2D")) && isnan(get(fs, "ngt_complexity", "_2_5D")) &&
                           isnan(get(fs, "ngt_strength", "_3D")),
                       "single voxel: no valid neighbourhood -> every NGTDM feature undefined (NaN)");
            } else {
                tap_near(get(fs, "ngl_lde", "_3D"), 1, 0, "single voxel: dependence 1");
            }
            rad_featureset_free(fs);
        }
        rad_roi_free(&roi);
    }

    /* slices 0 and 2 hold ROI voxels, slice 1 none: the 2D average is over
     * the two slices.  Slice 0: one voxel of grey 1; slice 2: grey 1 and 2
     * side by side. */
    {
        int grey[2 * 1 * 3] = {1, 0, 0, 0, 1, 2};
        double f[17], fa[17], fb[17];
        ft_roi_grey(&roi, 3, 2, 1, 3, grey, NULL);
        fs = ft_run(&rad_family_szm, &roi, &s);
        dense_features((double[1]){1}, 1, 1, 1, fa);
        dense_features((double[2]){1, 1}, 2, 1, 2, fb);
        for (int k = 0; k < 16; k++)
            f[k] = (fa[k] + fb[k]) / 2;
        check_all(fs, szm_tags, 16, "_2D", f, "empty slice left out of the 2D GLSZM average");
        tap_ok(ft_all_finite(fs), "GLSZM with an empty slice: all finite");
        rad_featureset_free(fs);
        fs = ft_run(&rad_family_ngl, &roi, &s);
        for (int k = 0; k < 17; k++)
            f[k] = (fa[k] + fb[k]) / 2; /* NGLDM j = 1 everywhere: same matrices */
        f[12] = 1;
        check_all(fs, ngl_tags, 17, "_2D", f, "empty slice left out of the 2D NGLDM average");
        rad_featureset_free(fs);
        /* NGTDM: slice 0 has no valid neighbourhood and is left out; slice 2:
         * n = (1, 1), s = (1, 1). */
        fs = ft_run(&rad_family_ngt, &roi, &s);
        dense_ngtdm((double[3]){0, 1, 1}, (double[3]){0, 1, 1}, 2, f);
        check_all(fs, ngt_tags, 5, "_2D", f, "slices without valid neighbourhoods left out of the 2D NGTDM");
        tap_ok(ft_all_finite(fs), "NGTDM with an empty slice: all finite");
        rad_featureset_free(fs);
        for (int k = 1; k < 4; k += 2) {
            fs = ft_run(fams[k], &roi, &s);
            tap_ok(ft_all_finite(fs), "%s with an empty slice: all finite", fams[k]->prefix);
            rad_featureset_free(fs);
        }
        rad_roi_free(&roi);
    }

    /* busyness with a zero denominator: levels 1 and 2 with p = 2/3, 1/3
     * (1 * 2/3 = 2 * 1/3) -> busyness 0/0, undefined; the rest defined */
    {
        int grey[3] = {1, 1, 2};
        ft_roi_grey(&roi, 2, 3, 1, 1, grey, NULL);
        fs = ft_run(&rad_family_ngt, &roi, &s);
        tap_ok(fs && isnan(get(fs, "ngt_busyness", "_3D")) && ft_count_nan(fs) == 3,
               "busyness with zero denominator is undefined (NaN in its 3 aggregations, nothing else)");
        rad_featureset_free(fs);
        rad_roi_free(&roi);
    }

    /* out-of-contract grey levels are an error, not a crash */
    {
        int grey[2] = {1, 1};
        ft_roi_grey(&roi, 2, 2, 1, 1, grey, NULL);
        roi.grey[1] = 0;
        for (int k = 0; k < 4; k++) {
            fs = rad_featureset_new();
            tap_ok(fams[k]->compute(&roi, &s, fs) == -1, "%s: grey level 0 inside the mask is an error", fams[k]->prefix);
            tap_contains(rad_error_message(), "outside 1..", "... with a message naming the range");
            rad_featureset_free(fs);
        }
        rad_roi_free(&roi);
    }

    /* the interrupt flag stops the computation with "interrupted" */
    {
        int grey[4] = {1, 2, 2, 1};
        ft_roi_grey(&roi, 2, 2, 2, 1, grey, NULL);
        rad_interrupt_set();
        for (int k = 0; k < 4; k++) {
            fs = rad_featureset_new();
            tap_ok(fams[k]->compute(&roi, &s, fs) == -1 && strstr(rad_error_message(), "interrupted"),
                   "%s: interrupted", fams[k]->prefix);
            rad_featureset_free(fs);
        }
        rad_interrupt_clear();
        rad_roi_free(&roi);
    }
}

/* ---- the registry tables ------------------------------------------------------------------- */

static void test_defs(void)
{
    const RadFamily *fams[4] = {&rad_family_szm, &rad_family_dzm, &rad_family_ngt, &rad_family_ngl};
    const char *const *tags[4] = {szm_tags, dzm_tags, ngt_tags, ngl_tags};
    const int nfeat[4] = {16, 16, 5, 17};
    for (int k = 0; k < 4; k++) {
        int n = 0, ok = 1;
        for (; fams[k]->defs[n].tag; n++)
            ok = ok && n < nfeat[k] && strcmp(fams[k]->defs[n].tag, tags[k][n]) == 0 && fams[k]->defs[n].name &&
                 fams[k]->defs[n].ibsi_id && fams[k]->defs[n].unit;
        tap_ok(ok && n == nfeat[k] && fams[k]->aggr_kind == RAD_AGGR_KIND_ZONE,
               "%s: %d definitions in TAGS.md order", fams[k]->prefix, nfeat[k]);
    }
}

/* ---- reference values ------------------------------------------------------------------------- */

static double round3(double x)
{
    double e, scale;
    if (x == 0 || !isfinite(x))
        return x;
    e = floor(log10(fabs(x)));
    scale = pow(10, 2 - e);
    return round(x * scale) / scale;
}

/* Compare every row of `csv` whose tag starts with one of the four family
 * prefixes to fs; sig3: round to 3 significant figures first.  Prints one TAP
 * line per family with matched/total and a diagnostic per miss. */
static void compare_csv(const char *csv, const RadFeatureSet *fs, int sig3, const char *what)
{
    const char *pre[4] = {"szm_", "dzm_", "ngt_", "ngl_"};
    int matched[4] = {0}, total[4] = {0};
    char line[512];
    FILE *fp = fopen(csv, "r");
    if (!fp) {
        tap_ok(0, "%s: cannot open %s", what, csv);
        return;
    }
    while (fgets(line, sizeof line, fp)) {
        char *v = strtok(line, ";\r\n"), *tol = strtok(NULL, ";\r\n"), *tag = strtok(NULL, ";\r\n");
        int fam = -1;
        double ref, t, got, cmp;
        if (!v || !tol || !tag)
            continue;
        for (int k = 0; k < 4; k++)
            if (strncmp(tag, pre[k], 4) == 0)
                fam = k;
        if (fam < 0 || !*v)
            continue;
        ref = strtod(v, NULL);
        t = strtod(tol, NULL);
        total[fam]++;
        got = get(fs, tag, "");
        cmp = sig3 ? round3(got) : got;
        if (isfinite(got) && fabs(cmp - ref) <= t + 1e-9 * fabs(ref))
            matched[fam]++;
        else
            tap_diag("%s miss: %s = %.6g (compared %.6g), reference %g +/- %g", what, tag, got, cmp, ref, t);
    }
    fclose(fp);
    for (int k = 0; k < 4; k++)
        tap_ok(total[k] > 0 && matched[k] == total[k], "%s: %s matched %d/%d", what, pre[k], matched[k],
               total[k]);
}

/* The four families of this file, in registry order. */
static const RadFamily *const zone_families[4] = {&rad_family_szm, &rad_family_dzm, &rad_family_ngt, &rad_family_ngl};

static void test_digital_phantom(const char *data)
{
    char path[4096];
    RadRoi roi;
    RadSettings s = settings_all();
    RadFeatureSet *fs;

    /* the IBSI processing of the phantom: no interpolation, no
     * re-segmentation, grey level = intensity (1..6), distance 1 */
    if (ft_roi_read(&roi, data, "digital_phantom", 0, 0, 0, 0) != 0) {
        tap_ok(0, "digital phantom readable: %s", rad_error_message());
        return;
    }
    roi.ng = 6;
    tap_ok(roi.n_mask == 74, "digital phantom ROI has 74 voxels");
    fs = ft_run_families(zone_families, 4, &roi, &s, NULL, 1);
    snprintf(path, sizeof path, "%s/ibsi1/reference/dig_phantom.csv", data);
    if (fs)
        compare_csv(path, fs, 1, "digital phantom (3 significant figures)");
    else
        tap_ok(0, "digital phantom features computed");
    rad_featureset_free(fs);
    rad_roi_free(&roi);
}

/* Configuration A: native grid, CT intensities rounded, intensity mask =
 * mask & [-500, 400], FBS 25 HU from -500: grey = floor((x + 500) / 25) + 1;
 * 2D and 2.5D.  The four families never use N_g beyond checking the range
 * (the NGTDM contrast uses N_gp, the levels present), so the number of grey
 * levels (highest present, or the 37 bins spanned by [-500, 400]) cannot
 * change any value; both are run to show it. */
static void test_config_a(const char *data)
{
    char path[4096];
    RadRoi roi;
    RadSettings s;
    RadFeatureSet *fs, *fs37;
    double ms[4];
    int gmax;

    if (ft_roi_read(&roi, data, "ct_phantom", 1, -500, 400, 25) != 0) {
        tap_ok(0, "CT phantom readable: %s", rad_error_message());
        return;
    }
    gmax = roi.ng;
    tap_ok(roi.n_morph == 125256 && roi.n_mask == 114596, "config A: 125256 ROI voxels, 114596 after re-segmentation");
    rad_settings_default(&s);
    s.disc = RAD_DISC_FBS;
    s.aggr = RAD_AGGR_2D | RAD_AGGR_2_5D;
    roi.ng = gmax;
    fs = ft_run_families(zone_families, 4, &roi, &s, ms, 1);
    tap_diag("config A timings (2D + 2.5D, %zu voxels): szm %.1f ms, dzm %.1f ms, ngt %.1f ms, ngl %.1f ms",
             roi.n_mask, ms[0], ms[1], ms[2], ms[3]);
    snprintf(path, sizeof path, "%s/ibsi1/reference/config_a.csv", data);
    if (fs)
        compare_csv(path, fs, 0, "config A, ng = highest grey present");
    else
        tap_ok(0, "config A features computed");
    roi.ng = 37;
    fs37 = ft_run_families(zone_families, 4, &roi, &s, NULL, 1);
    {
        int same = fs && fs37 && fs->n == fs37->n;
        for (size_t k = 0; same && k < fs->n; k++)
            same = fs->values[k] == fs37->values[k];
        tap_ok(same, "config A: ng = %d (highest present) and 37 (bins of [-500, 400]) give identical values", gmax);
    }
    /* 3D on the native grid, for timing only (no reference: config C resamples) */
    s.aggr = RAD_AGGR_3D;
    rad_featureset_free(ft_run_families(zone_families, 4, &roi, &s, ms, 1));
    tap_diag("native grid 3D timings: szm %.1f ms, dzm %.1f ms, ngt %.1f ms, ngl %.1f ms", ms[0], ms[1], ms[2],
             ms[3]);
    rad_featureset_free(fs);
    rad_featureset_free(fs37);
    rad_roi_free(&roi);
}

int main(void)
{
    const char *data = tap_data_dir();

    test_defs();
    test_example();
    test_cube();
    test_linkage();
    test_degenerate();
    if (data) {
        test_digital_phantom(data);
        test_config_a(data);
    } else {
        tap_skip(5, "RADLAB_DATA not set or without README.md: digital phantom reference values not checked");
        tap_skip(6, "RADLAB_DATA not set: CT phantom configuration A not checked");
    }
    return tap_done();
}
