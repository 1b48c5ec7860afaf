/* radlab: unit tests of the GLRLM family (IBSI TP0I).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 1. A 3x2 image whose four directional run length matrices are derived by
 *    hand below: every feature of every aggregation (averaged, slice-merged,
 *    2.5D, 3D with the nine out-of-plane directions, 2D image).
 * 2. Degenerate ROIs (one voxel, empty slices inside the box), emission of
 *    the requested aggregations only, interrupts.
 * 3. Many grey levels and long runs (the sorting path of the sparse
 *    matrices) against closed-form values.
 * 4. The IBSI digital phantom: all 96 rlm_ values of dig_phantom.csv to 3
 *    significant figures.
 * 5. IBSI configuration A (CT phantom) with a RadRoi built here: the 64
 *    rlm_ values of config_a.csv within tolerance, and the time taken.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rad.h"
#include "tap.h"
#include "feature_test.h"

/* ---- 1. a 3x2 image derived by hand ---------------------------------------------- */

/* The image (rows y = 0, 1), all voxels in the mask:
 *     1 1 2
 *     1 2 2
 * Runs (grey, length) per 2D direction:
 *   (1,0,0):  row 0: (1,2) (2,1); row 1: (1,1) (2,2)
 *   (0,1,0):  column 0: (1,2); column 1: (1,1) (2,1); column 2: (2,2)
 *   (1,1,0):  every diagonal step changes level or leaves the image: six runs
 *             of length 1, three of each level
 *   (-1,1,0): (1,1) at (0,0); (1,2) from (1,0) to (0,1); (2,2) from (2,0) to
 *             (1,1); (2,1) at (2,1)
 * So three matrices A = {(1,1):1, (1,2):1, (2,1):1, (2,2):1} (N_s = 4,
 * N_v = 6) and one B = {(1,1):3, (2,1):3} (N_s = 6, N_v = 6).
 *   A: SRE (2 + 2/4)/4 = 0.625, LRE (2 + 8)/4 = 2.5, LGRE 0.625, HGRE 2.5,
 *      SRLGE (1 + 1/4 + 1/4 + 1/16)/4 = 0.390625, SRHGE (1 + 1/4 + 4 + 1)/4
 *      = 1.5625, LRLGE 1.5625, LRHGE (1 + 4 + 4 + 16)/4 = 6.25, GLNU 8/4 = 2,
 *      GLNU_norm 0.5, RLNU 2, RLNU_norm 0.5, RP 4/6, GL var 0.25, RL var
 *      0.25, entropy 2.
 *   B: SRE 1, LRE 1, LGRE (3 + 3/4)/6 = 0.625, HGRE (3 + 12)/6 = 2.5, SRLGE
 *      0.625, SRHGE 2.5, LRLGE 0.625, LRHGE 2.5, GLNU 18/6 = 3, GLNU_norm
 *      0.5, RLNU 36/6 = 6, RLNU_norm 1, RP 1, GL var 0.25, RL var 0,
 *      entropy 1.
 * 2D averaged = (3 A + B) / 4.  Slice-merged: {(1,1):6, (1,2):3, (2,1):6,
 * (2,2):3}, N_s = 18, N_v = 4 * 6 = 24: SRE (12 + 6/4)/18 = 0.75, LRE
 * (12 + 24)/18 = 2, SRLGE (6 + 3/4 + 6/4 + 3/16)/18 = 0.46875, GLNU
 * (81 + 81)/18 = 9, RLNU (144 + 36)/18 = 10, RLNU_norm 180/324, RP 18/24,
 * RL var: mean 4/3, (12/9 + 24/9)/18 = 2/9, entropy 2 (1/3) log2 3 +
 * 2 (1/6) log2 6 = 1.9182958341.  One slice: 2.5D equals 2D.
 * 3D (a volume of one slice): the nine out-of-plane directions give B each
 * (every voxel a run of length 1): 3D averaged = (3 A + 10 B) / 13, merged
 * {(1,1):33, (1,2):3, (2,1):33, (2,2):3}, N_s = 72, N_v = 13 * 6 = 78. */
static const struct {
    const char *tag;
    double avg2d, comb2d, avg3d, comb3d;
} example[] = {
    {"rlm_sre", 0.71875, 0.75, 0.913461538462, 0.9375},
    {"rlm_lre", 2.125, 2, 1.34615384615, 1.25},
    {"rlm_lgre", 0.625, 0.625, 0.625, 0.625},
    {"rlm_hgre", 2.5, 2.5, 2.5, 2.5},
    {"rlm_srlge", 0.44921875, 0.46875, 0.570913461538, 0.5859375},
    {"rlm_srhge", 1.796875, 1.875, 2.28365384615, 2.34375},
    {"rlm_lrlge", 1.328125, 1.25, 0.841346153846, 0.78125},
    {"rlm_lrhge", 5.3125, 5, 3.36538461538, 3.125},
    {"rlm_glnu", 2.25, 9, 2.76923076923, 36},
    {"rlm_glnu_norm", 0.5, 0.5, 0.5, 0.5},
    {"rlm_rlnu", 3, 10, 5.07692307692, 61},
    {"rlm_rlnu_norm", 0.625, 0.555555555556, 0.884615384615, 0.847222222222},
    {"rlm_r_perc", 0.75, 0.75, 0.923076923077, 0.923076923077},
    {"rlm_gl_var", 0.25, 0.25, 0.25, 0.25},
    {"rlm_rl_var", 0.1875, 0.222222222222, 0.0576923076923, 0.0763888888889},
    {"rlm_rl_entr", 1.75, 1.91829583405, 1.23076923077, 1.4138168503}};

static void test_example(void)
{
    int grey[6] = {1, 1, 2, 1, 2, 2};
    RadRoi roi;
    RadFeatureSet *fs;
    char tag[96];
    int n = (int)(sizeof example / sizeof example[0]);

    ft_roi_levels(&roi, 3, 2, 1, grey, 2);
    fs = ft_run_texture(&rad_family_rlm, &roi, RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D, 1);
    tap_ok(fs && fs->n == 96, "example: 16 features x 6 aggregations");
    tap_ok(n == 16, "the example table lists 16 features");
    for (int i = 0; i < n && fs; i++) {
        snprintf(tag, sizeof tag, "%s_2D_avg", example[i].tag);
        tap_near(ft_get(fs, tag), example[i].avg2d, 1e-10, tag);
        snprintf(tag, sizeof tag, "%s_2D_comb", example[i].tag);
        tap_near(ft_get(fs, tag), example[i].comb2d, 1e-10, tag);
        snprintf(tag, sizeof tag, "%s_2_5D_avg", example[i].tag);
        tap_near(ft_get(fs, tag), example[i].avg2d, 1e-10, tag);
        snprintf(tag, sizeof tag, "%s_2_5D_comb", example[i].tag);
        tap_near(ft_get(fs, tag), example[i].comb2d, 1e-10, tag);
        snprintf(tag, sizeof tag, "%s_3D_avg", example[i].tag);
        tap_near(ft_get(fs, tag), example[i].avg3d, 1e-10, tag);
        snprintf(tag, sizeof tag, "%s_3D_comb", example[i].tag);
        tap_near(ft_get(fs, tag), example[i].comb3d, 1e-10, tag);
    }
    rad_featureset_free(fs);

    /* a 2D image has no z neighbours: 3D = the in-plane directions */
    roi.is_2d = 1;
    fs = ft_run_texture(&rad_family_rlm, &roi, RAD_AGGR_3D, 1);
    tap_near(ft_get(fs, "rlm_sre_3D_avg"), 0.71875, 1e-12, "2D image: 3D averaged = 2D averaged");
    tap_near(ft_get(fs, "rlm_r_perc_3D_comb"), 0.75, 1e-12, "2D image: 3D merged run percentage 18/24");
    rad_featureset_free(fs);
    rad_roi_free(&roi);
}

/* ---- 2. degenerate ROIs, emission, interrupts ----------------------------------------- */

static void test_degenerate(void)
{
    int one[27] = {0}, gaps[27] = {0};
    RadRoi roi;
    RadFeatureSet *fs;

    /* one voxel (grey 5 of 8): one run of length 1 in every direction */
    one[13] = 5;
    ft_roi_levels(&roi, 3, 3, 3, one, 8);
    fs = ft_run_texture(&rad_family_rlm, &roi, RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D, 1);
    tap_ok(fs && fs->n == 96 && ft_all_finite(fs), "single voxel: 96 finite values");
    tap_near(ft_get(fs, "rlm_sre_3D_comb"), 1.0, 0, "single voxel: SRE 1");
    tap_near(ft_get(fs, "rlm_lre_2D_avg"), 1.0, 0, "single voxel: LRE 1");
    tap_near(ft_get(fs, "rlm_lgre_2_5D_avg"), 1.0 / 25, 1e-15, "single voxel: LGRE 1/25");
    tap_near(ft_get(fs, "rlm_hgre_2_5D_comb"), 25.0, 0, "single voxel: HGRE 25");
    tap_near(ft_get(fs, "rlm_r_perc_3D_avg"), 1.0, 0, "single voxel: run percentage 1");
    tap_near(ft_get(fs, "rlm_glnu_3D_avg"), 1.0, 0, "single voxel: GLNU 1");
    tap_near(ft_get(fs, "rlm_gl_var_2D_comb"), 0.0, 0, "single voxel: grey level variance 0");
    tap_near(ft_get(fs, "rlm_rl_entr_3D_comb"), 0.0, 0, "single voxel: run entropy 0");
    rad_featureset_free(fs);
    rad_roi_free(&roi);

    /* voxels in slices 0 and 2 only: the empty slice 1 does not count.
     * Slice 0: a row (1 1 1) -> (1,0,0) one run of 3, other three
     * directions three runs of 1; slice 2: one voxel of grey 2. */
    gaps[0] = gaps[1] = gaps[2] = 1;
    gaps[18 + 4] = 2;
    ft_roi_levels(&roi, 3, 3, 3, gaps, 2);
    fs = ft_run_texture(&rad_family_rlm, &roi, RAD_AGGR_2D | RAD_AGGR_2_5D, 1);
    /* 2D averaged RP: slice 0 (1/3 + 3 * 1)/4 = 5/6, slice 2: 1 -> 11/12 */
    tap_near(ft_get(fs, "rlm_r_perc_2D_avg"), 11.0 / 12, 1e-12, "empty slice skipped: 2D averaged run percentage");
    /* slice-merged: slice 0 N_s 10 / N_v 12, slice 2: 1 -> (5/6 + 1)/2 */
    tap_near(ft_get(fs, "rlm_r_perc_2D_comb"), 11.0 / 12, 1e-12, "empty slice skipped: 2D merged run percentage");
    /* 2.5D merged: N_s 10 + 4, N_v 12 + 4 */
    tap_near(ft_get(fs, "rlm_r_perc_2_5D_comb"), 14.0 / 16, 1e-12, "2.5D merged run percentage: voxels summed");
    tap_ok(fs && ft_all_finite(fs), "empty slice: all finite");
    rad_featureset_free(fs);
    rad_roi_free(&roi);
}

static void test_emission(void)
{
    int grey[4] = {1, 2, 2, 1};
    RadRoi roi;
    RadFeatureSet *fs;
    RadSettings s;
    ft_roi_levels(&roi, 2, 2, 1, grey, 2);
    fs = ft_run_texture(&rad_family_rlm, &roi, RAD_AGGR_3D, 1);
    tap_ok(fs && fs->n == 32, "3D only: 32 values");
    tap_ok(fs && rad_featureset_find(fs, "rlm_sre_3D_avg") == 0, "first tag rlm_sre_3D_avg");
    tap_ok(fs && rad_featureset_find(fs, "rlm_rl_entr_3D_comb") == 31, "last tag rlm_rl_entr_3D_comb");
    tap_ok(fs && rad_featureset_find(fs, "rlm_sre_2D_avg") < 0, "no 2D tags");
    rad_featureset_free(fs);

    rad_settings_default(&s);
    rad_interrupt_set();
    fs = rad_featureset_new();
    tap_ok(rad_family_rlm.compute(&roi, &s, fs) == -1, "interrupt: compute fails");
    tap_contains(rad_error_message(), "interrupted", "interrupt: message");
    rad_interrupt_clear();
    rad_featureset_free(fs);
    rad_roi_free(&roi);

    tap_ok(rad_family_rlm.defs[16].tag == NULL && strcmp(rad_family_rlm.defs[12].ibsi_id, "9ZK5") == 0,
           "definition table: 16 features, run percentage 9ZK5");
}

/* ---- 3. many grey levels, long runs: the sorting path -------------------------------- */

static void test_many_levels(void)
{
    /* A 3000x1x1 line, grey = 1 + v / 3: levels 1..1000, each a run of 3
     * along x; 1000 levels x 3000 run lengths exceed the dense counter.
     * 3D merged: along x 1000 runs of 3, the 12 other directions 3000 runs of
     * 1 each: N_s = 37000, N_v = 13 * 3000 = 39000; every level has 37 runs. */
    const size_t n = 3000;
    int *grey = malloc(n * sizeof *grey);
    RadRoi roi;
    RadFeatureSet *fs;
    for (size_t v = 0; v < n; v++)
        grey[v] = 1 + (int)(v / 3);
    ft_roi_levels(&roi, n, 1, 1, grey, 1000);
    fs = ft_run_texture(&rad_family_rlm, &roi, RAD_AGGR_3D, 1);
    tap_near(ft_get(fs, "rlm_r_perc_3D_comb"), 37.0 / 39, 1e-12, "many levels: run percentage 37/39");
    tap_near(ft_get(fs, "rlm_sre_3D_comb"), (36000 + 1000.0 / 9) / 37000, 1e-12, "many levels: SRE");
    tap_near(ft_get(fs, "rlm_lre_3D_comb"), 45.0 / 37, 1e-12, "many levels: LRE 45/37");
    tap_near(ft_get(fs, "rlm_hgre_3D_comb"), 333833.5, 1e-6, "many levels: HGRE = mean i^2");
    tap_near(ft_get(fs, "rlm_glnu_3D_comb"), 37.0, 1e-9, "many levels: GLNU 37");
    /* along x alone: SRE 1/9, LRE 9, RP 1/3; the 12 others 1, 1, 1 */
    tap_near(ft_get(fs, "rlm_lre_3D_avg"), (9 + 12) / 13.0, 1e-12, "many levels: averaged LRE");
    tap_near(ft_get(fs, "rlm_r_perc_3D_avg"), (1.0 / 3 + 12) / 13, 1e-12, "many levels: averaged run percentage");
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
    fs = ft_run_texture(&rad_family_rlm, &roi, RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D, 1);
    snprintf(csv, sizeof csv, "%s/ibsi1/reference/dig_phantom.csv", data);
    if (fs) {
        ok = ft_compare_csv(fs, csv, "rlm_", &total);
        tap_ok(total == 96, "digital phantom: 96 reference values compared");
        tap_diag("digital phantom GLRLM: %d/%d matched (3 significant figures)", ok, total);
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
    int total, ok;
    double t0;

    /* IBSI configuration A: intensities rounded; intensity mask = ROI and
     * [-500, 400] HU; grey = floor((x + 500) / 25) + 1; Ng = 36 */
    if (ft_roi_read(&roi, data, "ct_phantom", 1, -500, 400, 25) != 0) {
        tap_ok(0, "read the CT phantom: %s", rad_error_message());
        return;
    }
    roi.ng = 36;

    rad_settings_default(&s);
    s.aggr = RAD_AGGR_2D | RAD_AGGR_2_5D;
    fs = rad_featureset_new();
    t0 = ft_seconds();
    tap_ok(rad_family_rlm.compute(&roi, &s, fs) == 0, "config A: compute");
    tap_diag("config A GLRLM (2D + 2.5D, %zu voxels): %.1f ms", roi.n_mask, (ft_seconds() - t0) * 1e3);
    snprintf(csv, sizeof csv, "%s/ibsi1/reference/config_a.csv", data);
    ok = ft_compare_csv(fs, csv, "rlm_", &total);
    tap_ok(total == 64, "config A: 64 reference values compared");
    tap_diag("config A GLRLM: %d/%d within tolerance", ok, total);
    rad_featureset_free(fs);

    s.aggr = RAD_AGGR_3D;
    fs = rad_featureset_new();
    t0 = ft_seconds();
    tap_ok(rad_family_rlm.compute(&roi, &s, fs) == 0 && ft_all_finite(fs), "config A ROI, 3D: compute");
    tap_diag("CT phantom GLRLM 3D (13 directions): %.1f ms", (ft_seconds() - t0) * 1e3);
    rad_featureset_free(fs);

    rad_roi_free(&roi);
}

int main(void)
{
    const char *data = tap_data_dir();
    test_example();
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
