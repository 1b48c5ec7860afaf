/* radlab: unit tests of the GLCM family (IBSI LFYI).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 1. The IBSI example grid (03_Image_features.rst, GLCM section): its four
 *    rows, separated by rows outside the mask so that only the horizontal
 *    direction has pairs; every feature against values derived by hand from
 *    the matrix IBSI prints, and the skipping of empty matrices in every
 *    aggregation.
 * 2. Distance 2, degenerate ROIs (one voxel, one grey level), emission of
 *    the requested aggregations only, interrupts.
 * 3. Many grey levels (the sorting path of the sparse matrices) against
 *    sums over the voxel pairs computed here directly.
 * 4. The IBSI digital phantom: all 150 cm_ values of dig_phantom.csv to 3
 *    significant figures.
 * 5. IBSI configuration A (CT phantom) with a RadRoi built here (rounding,
 *    re-segmentation [-500, 400], FBS 25 from -500): the 100 cm_ values of
 *    config_a.csv within tolerance, and the time taken.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rad.h"
#include "tap.h"
#include "feature_test.h"

/* ---- 1. the IBSI example grid --------------------------------------------------------- */

/* IBSI's 4x4 example (rows y = 0..3):
 *     1 2 2 3
 *     1 2 3 3
 *     4 2 4 1
 *     4 1 2 3
 * placed on rows 0, 2, 4, 6 of a 4x7 grid whose rows 1, 3, 5 are outside
 * the mask: at distance 1 no vertical or diagonal pair exists, so the only
 * matrix with counts is the horizontal one, which IBSI prints:
 *         j=1 2 3 4
 *   i=1 (  0 3 0 2 )   sum 24, row margins p_i. = (5, 10, 5, 4) / 24
 *   i=2 (  3 2 3 2 )
 *   i=3 (  0 3 2 0 )
 *   i=4 (  2 2 0 0 )
 * Hand derivation (p = M / 24):
 *   joint max 3/24; joint average mu = (5 + 20 + 15 + 16) / 24 = 7/3;
 *   joint variance sum (i - 7/3)^2 p_i. = (80 + 10 + 20 + 100) / 9 / 24 = 35/36;
 *   joint entropy: four cells 3/24 (0.375 bit each) and six cells 2/24
 *     ((1/12) log2 12 each): 1.5 + 0.5 log2 12 = 3.2924812504;
 *   p_{i-j}: k=0 4/24, k=1 12/24, k=2 4/24, k=3 4/24 -> difference average
 *     32/24, variance (64 + 12 + 16 + 100) / 9 / 24 = 8/9, entropy
 *     0.5 + 0.5 log2 6 = 1.7924812504; contrast (12 + 16 + 36) / 24 = 8/3;
 *     dissimilarity 4/3; inverse difference 1/6 + 1/4 + 1/18 + 1/24 =
 *     0.5138888889; normalised (Ng = 4) 1/6 + 0.4 + 1/9 + 2/21 = 0.7730158730;
 *     moment 1/6 + 1/4 + 1/30 + 1/60 = 7/15; normalised moment
 *     1/6 + 8/17 + 2/15 + 8/75 = 0.8772549020; inverse variance
 *     1/2 + 1/24 + 1/54 = 0.5601851852;
 *   p_{i+j}: k=3 6/24, k=4 2/24, k=5 10/24, k=6 6/24 -> sum average 14/3,
 *     variance (150 + 8 + 10 + 96) / 9 / 24 = 11/9 (= cluster tendency),
 *     entropy 1 + (1/12) log2 12 + (5/12) log2 (12/5) = 1.8250112108;
 *   energy (4*9 + 6*4) / 576 = 60/576; autocorrelation 122/24;
 *   correlation (122/24 - 49/9) / (35/36) = -13/35;
 *   cluster shade sum (k - 14/3)^3 p_{i+j,k} = -31/54, prominence 74/27;
 *   HX = 1.9000224, HXY1 = HXY2 = 2 HX, so information correlation 1 =
 *     (3.2924813 - 3.8000448) / 1.9000224 = -0.2671355807 and 2 =
 *     sqrt(1 - exp(-2 * 0.5075635)) = 0.7985259293. */
static const struct {
    const char *tag;
    double want;
} example[] = {
    {"cm_joint_max", 0.125}, {"cm_joint_avg", 7.0 / 3}, {"cm_joint_var", 35.0 / 36},
    {"cm_joint_entr", 3.2924812504}, {"cm_diff_avg", 4.0 / 3}, {"cm_diff_var", 8.0 / 9},
    {"cm_diff_entr", 1.7924812504}, {"cm_sum_avg", 14.0 / 3}, {"cm_sum_var", 11.0 / 9},
    {"cm_sum_entr", 1.8250112108}, {"cm_energy", 60.0 / 576}, {"cm_contrast", 8.0 / 3},
    {"cm_dissimilarity", 4.0 / 3}, {"cm_inv_diff", 0.5138888889}, {"cm_inv_diff_norm", 0.7730158730},
    {"cm_inv_diff_mom", 7.0 / 15}, {"cm_inv_diff_mom_norm", 0.8772549020}, {"cm_inv_var", 0.5601851852},
    {"cm_corr", -13.0 / 35}, {"cm_auto_corr", 122.0 / 24}, {"cm_clust_tend", 11.0 / 9},
    {"cm_clust_shade", -31.0 / 54}, {"cm_clust_prom", 74.0 / 27}, {"cm_info_corr1", -0.2671355807},
    {"cm_info_corr2", 0.7985259293}};

static void test_example(void)
{
    static const int rows[4][4] = {{1, 2, 2, 3}, {1, 2, 3, 3}, {4, 2, 4, 1}, {4, 1, 2, 3}};
    static const char *const sfx[6] = {"_2D_avg", "_2D_comb", "_2_5D_avg", "_2_5D_comb", "_3D_avg", "_3D_comb"};
    int grey[4 * 7] = {0};
    RadRoi roi;
    RadFeatureSet *fs;
    char tag[96];
    int n = (int)(sizeof example / sizeof example[0]);

    for (int r = 0; r < 4; r++)
        for (int x = 0; x < 4; x++)
            grey[x + 4 * (2 * r)] = rows[r][x];
    ft_roi_levels(&roi, 4, 7, 1, grey, 4);
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D, 1);
    tap_ok(fs && fs->n == 150, "example: 25 features x 6 aggregations");
    if (fs) {
        tap_ok(n == 25, "the example table lists 25 features");
        for (int i = 0; i < n; i++) {
            snprintf(tag, sizeof tag, "%s_2D_avg", example[i].tag);
            tap_near(ft_get(fs, tag), example[i].want, 1e-9, tag);
        }
        /* one non-empty matrix: every aggregation gives the same values */
        for (int a = 1; a < 6; a++) {
            int same = 1;
            for (int i = 0; i < n; i++) {
                snprintf(tag, sizeof tag, "%s%s", example[i].tag, sfx[a]);
                if (fabs(ft_get(fs, tag) - example[i].want) > 1e-9) {
                    tap_diag("%s = %.12g, want %.12g", tag, ft_get(fs, tag), example[i].want);
                    same = 0;
                }
            }
            tap_ok(same, "example: empty matrices skipped in %s", sfx[a]);
        }
        tap_ok(ft_all_finite(fs), "example: all values finite");
    }
    rad_featureset_free(fs);

    /* a 2D image: the 3D aggregations use the in-plane directions */
    roi.is_2d = 1;
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_3D, 1);
    tap_ok(fs && fs->n == 50, "2D image: 3D aggregations emitted");
    tap_near(ft_get(fs, "cm_contrast_3D_comb"), 8.0 / 3, 1e-12, "2D image: 3D merged contrast");
    rad_featureset_free(fs);
    rad_roi_free(&roi);
}

/* ---- 2. distance, degenerate ROIs, emission, interrupts ------------------------------ */

static void test_distance(void)
{
    /* one row 1 2 2 3 at distance 2: pairs (1,2) and (2,3), each counted both
     * ways: p = 1/4 at (1,2), (2,1), (2,3), (3,2).  Joint average 2, contrast 1,
     * joint entropy 2, energy 1/4, correlation (sum ij p - 4) / var:
     * sum ij p = (2 + 2 + 6 + 6) / 4 = 4, var = (1 + 0 + 0 + 1) / 4 = 1/2 -> 0 */
    int grey[4] = {1, 2, 2, 3};
    RadRoi roi;
    RadFeatureSet *fs;
    ft_roi_levels(&roi, 4, 1, 1, grey, 3);
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_2D, 2);
    tap_near(ft_get(fs, "cm_joint_avg_2D_avg"), 2.0, 1e-12, "distance 2: joint average");
    tap_near(ft_get(fs, "cm_contrast_2D_avg"), 1.0, 1e-12, "distance 2: contrast");
    tap_near(ft_get(fs, "cm_joint_entr_2D_avg"), 2.0, 1e-12, "distance 2: joint entropy");
    tap_near(ft_get(fs, "cm_energy_2D_comb"), 0.25, 1e-12, "distance 2: energy");
    tap_near(ft_get(fs, "cm_corr_2D_comb"), 0.0, 1e-12, "distance 2: correlation");
    rad_featureset_free(fs);
    /* distance 4 reaches past the row: no pair at all */
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_2D, 4);
    tap_ok(fs && fs->n == 50 && ft_count_nan(fs) == 50,
           "distance beyond the ROI: no pair, so all 50 values undefined (NaN, got %ld)", ft_count_nan(fs));
    rad_featureset_free(fs);
    rad_roi_free(&roi);
}

static void test_degenerate(void)
{
    int one[27] = {0}, flat[27], two[8];
    RadRoi roi;
    RadFeatureSet *fs;

    /* a single voxel in the middle of a 3x3x3 grid: no pair anywhere */
    one[13] = 5;
    ft_roi_levels(&roi, 3, 3, 3, one, 8);
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D, 1);
    tap_ok(fs && fs->n == 150 && ft_count_nan(fs) == 150,
           "single voxel: no matrix, so all 150 values undefined (NaN, got %ld)", ft_count_nan(fs));
    rad_featureset_free(fs);
    rad_roi_free(&roi);

    /* one grey level filling the whole grid (ROI touches every border) */
    for (int v = 0; v < 27; v++)
        flat[v] = 3;
    ft_roi_levels(&roi, 3, 3, 3, flat, 3);
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D, 1);
    /* correlation and information correlation 1 are 0/0 in every matrix:
     * undefined in all six aggregations, every other feature defined */
    ft_nan_is(fs, "cm_corr_2D_avg,cm_info_corr1_2D_avg,cm_corr_2D_comb,cm_info_corr1_2D_comb,"
              "cm_corr_2_5D_avg,cm_info_corr1_2_5D_avg,cm_corr_2_5D_comb,cm_info_corr1_2_5D_comb,"
              "cm_corr_3D_avg,cm_info_corr1_3D_avg,cm_corr_3D_comb,cm_info_corr1_3D_comb",
              "one grey level: exactly correlation and information correlation 1 undefined");
    tap_near(ft_get(fs, "cm_joint_max_3D_avg"), 1.0, 1e-12, "one grey level: joint maximum 1");
    tap_near(ft_get(fs, "cm_joint_avg_2D_comb"), 3.0, 1e-12, "one grey level: joint average 3");
    tap_near(ft_get(fs, "cm_joint_entr_3D_comb"), 0.0, 1e-12, "one grey level: joint entropy 0");
    tap_near(ft_get(fs, "cm_info_corr2_2_5D_comb"), 0.0, 0, "one grey level: information correlation 2 is 0");
    tap_near(ft_get(fs, "cm_inv_diff_norm_2D_avg"), 1.0, 1e-12, "one grey level: normalised inverse difference 1");
    rad_featureset_free(fs);
    rad_roi_free(&roi);

    /* 2x2x2 with a slice of each grey level: 2D slices have one level each,
     * the out-of-plane directions see only (1,2) pairs */
    for (int v = 0; v < 8; v++)
        two[v] = v < 4 ? 1 : 2;
    ft_roi_levels(&roi, 2, 2, 2, two, 2);
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_2D | RAD_AGGR_3D, 1);
    tap_near(ft_get(fs, "cm_contrast_2D_avg"), 0.0, 1e-12, "slices of one level: 2D contrast 0");
    tap_near(ft_get(fs, "cm_joint_avg_2D_comb"), 1.5, 1e-12, "slices of one level: 2D joint average 1.5");
    /* 3D: (0,0,1) 4 pairs (1,2); (1,0,1),(-1,0,1),(0,1,1),(0,-1,1) 2 each;
     * the 4 diagonals 1 each: every one across levels; in-plane: 4 matrices of
     * (1,1) and (2,2) pairs.  Merged contrast = 2*(4 + 4*2 + 4*1) / (2 * 28) */
    tap_near(ft_get(fs, "cm_contrast_3D_comb"), 16.0 / 28, 1e-12, "2x2x2: merged 3D contrast");
    /* correlation: each slice has one level (0/0), so 2D is undefined; the
     * 9 out-of-plane matrices hold only (1,2) pairs: p12 = p21 = 1/2, mu 1.5,
     * sigma^2 1/4, cov -1/4, correlation -1; the 4 in-plane 3D matrices hold
     * (1,1) and (2,2) pairs of both slices: correlation +1; the 3D average is
     * (4 - 9) / 13; merged: p11 = p22 = 12/56, p12 = p21 = 16/56,
     * cov = (24 - 32) / (4 * 56), correlation -1/7 */
    tap_ok(isnan(ft_get(fs, "cm_corr_2D_avg")) && isnan(ft_get(fs, "cm_corr_2D_comb")),
           "slices of one level: 2D correlation undefined (NaN)");
    tap_near(ft_get(fs, "cm_corr_3D_avg"), -5.0 / 13.0, 1e-12, "2x2x2: 3D correlation (4 - 9) / 13");
    tap_near(ft_get(fs, "cm_corr_3D_comb"), -1.0 / 7.0, 1e-12, "2x2x2: merged 3D correlation -1/7");
    rad_featureset_free(fs);
    rad_roi_free(&roi);

    /* slice 0 all level 1 (its matrices: correlation 0/0, left out of the
     * averages), slice 1 columns of levels 1 | 2: along x (1,2) pairs,
     * correlation -1; along y (1,1) and (2,2), +1; both diagonals one (1,2)
     * pair, -1.  2D_avg: (-1 + 1 - 1 - 1) / 4 over the 4 defined matrices;
     * 2D_comb: slice 1 merged has p11 = p22 = 1/6, p12 = p21 = 1/3, cov -1/12,
     * sigma^2 1/4: -1/3, the only defined slice */
    for (int v = 0; v < 8; v++)
        two[v] = v < 4 ? 1 : (v % 2 ? 2 : 1);
    ft_roi_levels(&roi, 2, 2, 2, two, 2);
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_2D, 1);
    tap_near(ft_get(fs, "cm_corr_2D_avg"), -0.5, 1e-12, "one-level slice left out: 2D correlation -1/2 over 4 matrices");
    tap_near(ft_get(fs, "cm_corr_2D_comb"), -1.0 / 3.0, 1e-12, "one-level slice left out: merged 2D correlation -1/3");
    tap_near(ft_get(fs, "cm_contrast_2D_avg"), 3.0 / 8.0, 1e-12,
             "contrast is defined in every matrix: (0 * 4 + 1 + 0 + 1 + 1) / 8");
    rad_featureset_free(fs);
    rad_roi_free(&roi);
}

static void test_emission(void)
{
    int grey[9] = {1, 2, 1, 2, 1, 2, 1, 2, 1};
    RadRoi roi;
    RadFeatureSet *fs;
    ft_roi_levels(&roi, 3, 3, 1, grey, 2);
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_2_5D, 1);
    tap_ok(fs && fs->n == 50, "2.5D only: 50 values");
    tap_ok(fs && rad_featureset_find(fs, "cm_joint_max_2_5D_avg") == 0, "first tag cm_joint_max_2_5D_avg");
    tap_ok(fs && rad_featureset_find(fs, "cm_info_corr2_2_5D_comb") == 49, "last tag cm_info_corr2_2_5D_comb");
    tap_ok(fs && rad_featureset_find(fs, "cm_joint_max_2D_avg") < 0 && rad_featureset_find(fs, "cm_joint_max_3D_comb") < 0,
           "no other aggregation");
    rad_featureset_free(fs);

    rad_interrupt_set();
    fs = rad_featureset_new();
    {
        RadSettings s;
        rad_settings_default(&s);
        tap_ok(rad_family_cm.compute(&roi, &s, fs) == -1, "interrupt: compute fails");
        tap_contains(rad_error_message(), "interrupted", "interrupt: message");
    }
    rad_interrupt_clear();
    rad_featureset_free(fs);
    rad_roi_free(&roi);

    tap_ok(rad_family_cm.defs[25].tag == NULL && strcmp(rad_family_cm.defs[18].ibsi_id, "NI2N") == 0,
           "definition table: 25 features, correlation NI2N");
}

/* ---- 3. many grey levels: the sorting path ----------------------------------------- */

static void test_many_levels(void)
{
    /* 24x24x4 with grey levels scattered over 1..60000 (about 2300 distinct,
     * so 2300^2 matrix elements: the counter sorts instead of a dense array).
     * Merged 3D matrix: joint average = mean of (i + j) / 2 over the pairs,
     * contrast = mean of (i - j)^2, autocorrelation = mean of i j. */
    const size_t nx = 24, ny = 24, nz = 4, n = nx * ny * nz;
    int *grey = malloc(n * sizeof *grey);
    uint32_t st = 12345;
    double sa = 0, sc = 0, sij = 0, np = 0;
    RadRoi roi;
    RadFeatureSet *fs;
    for (size_t v = 0; v < n; v++) {
        st = st * 1103515245u + 12345u;
        grey[v] = 1 + (int)((st >> 8) % 60000u);
    }
    for (int d = 0; d < 13; d++) {
        static const int dir[13][3] = {{1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {-1, 1, 0}, {0, 0, 1}, {1, 0, 1}, {-1, 0, 1},
                                       {0, 1, 1}, {0, -1, 1}, {1, 1, 1}, {-1, 1, 1}, {1, -1, 1}, {-1, -1, 1}};
        for (long z = 0; z < (long)nz; z++)
            for (long y = 0; y < (long)ny; y++)
                for (long x = 0; x < (long)nx; x++) {
                    long a = x + dir[d][0], b = y + dir[d][1], c = z + dir[d][2];
                    double i, j;
                    if (a < 0 || b < 0 || a >= (long)nx || b >= (long)ny || c >= (long)nz)
                        continue;
                    i = grey[x + (long)nx * (y + (long)ny * z)];
                    j = grey[a + (long)nx * (b + (long)ny * c)];
                    sa += i + j;
                    sc += (i - j) * (i - j);
                    sij += i * j;
                    np++;
                }
    }
    ft_roi_levels(&roi, nx, ny, nz, grey, 60000);
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_3D, 1);
    tap_near(ft_get(fs, "cm_joint_avg_3D_comb") / (sa / (2 * np)), 1.0, 1e-12, "many levels: merged joint average");
    tap_near(ft_get(fs, "cm_contrast_3D_comb") / (sc / np), 1.0, 1e-12, "many levels: merged contrast");
    tap_near(ft_get(fs, "cm_auto_corr_3D_comb") / (sij / np), 1.0, 1e-12, "many levels: merged autocorrelation");
    tap_ok(fs && ft_all_finite(fs), "many levels: all finite");
    rad_featureset_free(fs);
    rad_roi_free(&roi);
    free(grey);
}

/* ---- 4. the digital phantom ------------------------------------------------------------ */

static void test_phantom(const char *data)
{
    RadRoi roi;
    RadFeatureSet *fs;
    char csv[4096];
    int total, ok;
    /* no interpolation, no re-segmentation: grey level = intensity (1..6) */
    if (ft_roi_read(&roi, data, "digital_phantom", 0, 0, 0, 0) != 0) {
        tap_ok(0, "digital phantom ROI");
        return;
    }
    roi.ng = 6;
    tap_ok(roi.n_mask == 74, "digital phantom: 74 voxels");
    fs = ft_run_texture(&rad_family_cm, &roi, RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D, 1);
    snprintf(csv, sizeof csv, "%s/ibsi1/reference/dig_phantom.csv", data);
    if (fs) {
        ok = ft_compare_csv(fs, csv, "cm_", &total);
        tap_ok(total == 150, "digital phantom: 150 reference values compared");
        tap_diag("digital phantom GLCM: %d/%d matched (3 significant figures)", ok, total);
    } else {
        tap_ok(0, "digital phantom: compute");
    }
    rad_featureset_free(fs);
    rad_roi_free(&roi);
}

/* ---- 5. configuration A --------------------------------------------------------------- */

static void test_config_a(const char *data)
{
    char csv[4096];
    RadRoi roi;
    RadSettings s;
    RadFeatureSet *fs;
    int total, ok, maxg;
    double t0, t1;

    /* IBSI configuration A: intensities rounded; intensity mask = ROI and
     * [-500, 400] HU; grey = floor((x + 500) / 25) + 1; Ng = 36 bins */
    if (ft_roi_read(&roi, data, "ct_phantom", 1, -500, 400, 25) != 0) {
        tap_ok(0, "read the CT phantom: %s", rad_error_message());
        return;
    }
    maxg = roi.ng;
    roi.ng = 36;
    tap_ok(roi.n_mask == 114596, "config A: 114596 voxels after re-segmentation");
    tap_diag("config A: highest grey level present %d, Ng = %d", maxg, roi.ng);

    rad_settings_default(&s);
    s.aggr = RAD_AGGR_2D | RAD_AGGR_2_5D;
    fs = rad_featureset_new();
    t0 = ft_seconds();
    tap_ok(rad_family_cm.compute(&roi, &s, fs) == 0, "config A: compute");
    t1 = ft_seconds();
    tap_diag("config A GLCM (2D + 2.5D, %zu voxels): %.1f ms", roi.n_mask, (t1 - t0) * 1e3);
    snprintf(csv, sizeof csv, "%s/ibsi1/reference/config_a.csv", data);
    ok = ft_compare_csv(fs, csv, "cm_", &total);
    tap_ok(total == 100, "config A: 100 reference values compared");
    tap_diag("config A GLCM: %d/%d within tolerance", ok, total);
    rad_featureset_free(fs);

    /* 3D aggregations on the same ROI: timing only (no reference) */
    s.aggr = RAD_AGGR_3D;
    fs = rad_featureset_new();
    t0 = ft_seconds();
    tap_ok(rad_family_cm.compute(&roi, &s, fs) == 0 && ft_all_finite(fs), "config A ROI, 3D: compute");
    tap_diag("CT phantom GLCM 3D (13 directions): %.1f ms", (ft_seconds() - t0) * 1e3);
    rad_featureset_free(fs);

    rad_roi_free(&roi);
}

int main(void)
{
    const char *data = tap_data_dir();
    test_example();
    test_distance();
    test_degenerate();
    test_emission();
    test_many_levels();
    if (data) {
        test_phantom(data);
        test_config_a(data);
    } else {
        tap_skip(1, "RADLAB_DATA not set or without README.md: IBSI digital phantom and configuration A skipped");
    }
    return tap_done();
}
