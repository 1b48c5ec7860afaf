/* radlab: unit tests of preprocessing (IBSI IF9H, 4R0B).  SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Re-segmentation by range and outliers, discretisation (none, FBN K15C,
 * FBS Q3RU) on hand-made images, rounding, errors (empty ROI, too many bins,
 * geometry mismatch, NaN), the digital phantom, and - with RADLAB_DATA -
 * every diagnostic row of the IBSI CT configurations A and C.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rad.h"
#include "tap.h"

/* 5 x 4 2D image with values 0..19 (x fastest), mask = all but voxel 0. */
static void ramp_case(RadImage **img, RadMask **m)
{
    RadGeometry g;
    rad_geometry_init(&g, 2, 5, 4, 1);
    *img = rad_image_new(&g);
    *m = rad_mask_new(&g);
    for (size_t v = 0; v < 20; v++) {
        (*img)->data[v] = (float)v;
        (*m)->data[v] = v > 0;
    }
}

static void base_settings(RadSettings *s)
{
    rad_settings_default(s);
    s->disc = RAD_DISC_FBS;
    s->bin_width = 5;
}

/* The diagnostic row of IBSI tag `tag` (radlab names it diag_<tag>). */
static double diag_value(const RadFeatureSet *fs, const char *tag)
{
    char name[128];
    long i;
    snprintf(name, sizeof name, "diag_%s", tag);
    i = rad_featureset_find(fs, name);
    return i < 0 ? NAN : fs->values[i];
}

/* A 0/1 mask is read in place and, without re-segmentation, is the
 * intensity mask too; the same ROI given as label 2 of a 0/2 mask is copied.
 * Both give the same ROI and the same features, bit for bit. */
static void test_borrowed_masks(void)
{
    RadImage *img;
    RadMask *m, *m2;
    RadSettings s;
    RadRoi a, b;
    RadFeatureSet *fa, *fb;
    size_t diff = 0;
    ramp_case(&img, &m);
    m2 = rad_mask_copy(m);
    for (size_t v = 0; v < 20; v++)
        m2->data[v] = (uint8_t)(2 * m->data[v]);
    m2->label = 2;
    base_settings(&s);
    tap_ok(rad_roi_prepare(img, m, &s, &a, NULL) == 0 && a.morph_borrowed && a.image_borrowed && a.mask_is_morph &&
               a.morph == m->data && a.image == img->data && a.mask == a.morph,
           "0/1 mask, no rounding, interpolation or re-segmentation: the ROI reads image and mask in place");
    tap_ok(rad_roi_prepare(img, m2, &s, &b, NULL) == 0 && !b.morph_borrowed && b.mask_is_morph && b.n_mask == 19 &&
               memcmp(a.morph, b.morph, 20) == 0, "label 2 of a 0/2 mask: copied as 0/1, the same 19 voxels");
    rad_roi_free(&a);
    rad_roi_free(&b);
    tap_ok(m->data[1] == 1 && img->data[19] == 19.0f, "freeing the ROI leaves the input image and mask alone");
    fa = rad_extract(img, m, &s);
    fb = rad_extract(img, m2, &s);
    for (size_t i = 0; fa && fb && i < fa->n && i < fb->n; i++)
        diff += memcmp(&fa->values[i], &fb->values[i], sizeof(double)) != 0;
    tap_ok(fa && fb && fa->n == fb->n && diff == 0, "the same features from both masks (%zu rows, %zu differ)",
           fa ? fa->n : 0, diff);
    rad_featureset_free(fa);
    rad_featureset_free(fb);
    rad_mask_free(m2);
    rad_mask_free(m);
    rad_image_free(img);
}

static void test_reseg(void)
{
    RadImage *img;
    RadMask *m;
    RadSettings s;
    RadRoi roi;
    RadFeatureSet *fs = rad_featureset_new();

    ramp_case(&img, &m);
    base_settings(&s);
    s.reseg_range = 1;
    s.reseg_lo = 5;
    s.reseg_hi = 12;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, fs) == 0, "re-segmentation [5, 12]");
    tap_ok(roi.n_morph == 19 && roi.n_mask == 8, "closed range keeps 5..12: 8 of 19 voxels (got %zu of %zu)", roi.n_mask,
           roi.n_morph);
    tap_ok(roi.morph[3] == 1 && roi.mask[3] == 0 && roi.mask[5] == 1 && roi.mask[12] == 1 && roi.mask[13] == 0,
           "morphological mask keeps the shape (G5KJ), intensity mask only the range (SEFI)");
    tap_ok(roi.box.lo[0] == 0 && roi.box.hi[0] == 4 && roi.box.lo[1] == 0 && roi.box.hi[1] == 3,
           "box is the morphological mask's");
    tap_ok(roi.is_2d == 1, "a 2D image is flagged 2D");
    tap_ok(diag_value(fs, "int_mask_vox_count_reseg_roi") == 8 && diag_value(fs, "morph_mask_vox_count_reseg_roi") == 19
           && diag_value(fs, "int_mask_vox_count_init_roi") == 19, "diagnostic voxel counts 19 / 8");
    tap_ok(diag_value(fs, "int_mask_min_int_reseg_roi") == 5 && diag_value(fs, "int_mask_max_int_reseg_roi") == 12
           && diag_value(fs, "int_mask_mean_int_reseg_roi") == 8.5, "diagnostic ROI intensities 5 / 12 / mean 8.5");
    tap_ok(diag_value(fs, "int_mask_bb_dim_x_reseg_roi") == 5 && diag_value(fs, "int_mask_bb_dim_y_reseg_roi") == 2
           && diag_value(fs, "morph_mask_bb_dim_y_reseg_roi") == 4 && diag_value(fs, "int_mask_bb_dim_y_init_roi") == 4,
           "diagnostic bounding boxes: intensity 5x2 after re-segmentation, morphological 5x4");
    tap_ok(diag_value(fs, "mean_int_init_img") == 9.5 && diag_value(fs, "min_int_interp_img") == 0
           && diag_value(fs, "img_dim_z_init_img") == 1, "diagnostic image rows (mean 9.5, min 0, nz 1)");
    tap_ok(fs->n == 60, "60 diagnostic rows (got %zu)", fs->n);
    {
        /* the rows are those of the registry, in its order */
        const RadFeatureDef *d = rad_family_diag.defs;
        int same = 1;
        size_t i = 0;
        for (; d[i].tag && i < fs->n; i++)
            same = same && strcmp(d[i].tag, fs->tags[i]) == 0;
        tap_ok(same && i == 60 && !d[i].tag, "diagnostic rows follow rad_family_diag.defs");
    }
    rad_roi_free(&roi);

    /* half-open range [15, inf) */
    s.reseg_lo = 15;
    s.reseg_hi = INFINITY;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.n_mask == 5, "range [15, inf) keeps 5 voxels");
    rad_roi_free(&roi);

    /* empty after re-segmentation */
    s.reseg_lo = -500;
    s.reseg_hi = -400;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == -1, "empty after re-segmentation fails");
    tap_contains(rad_error_message(), "the ROI is empty after re-segmentation to [-500, -400]", "message names the range");
    tap_contains(rad_error_message(), "from 1 to 19", "message gives the ROI's intensities");
    tap_ok(roi.image == NULL && roi.grey == NULL, "a failed prepare leaves an empty RadRoi");

    rad_featureset_free(fs);
    rad_image_free(img);
    rad_mask_free(m);
}

static void test_outliers(void)
{
    /* 10 voxels: nine 0 and one 100; mean 10, population sd 30, sample sd 31.6 */
    RadGeometry g;
    RadImage *img;
    RadMask *m;
    RadSettings s;
    RadRoi roi;
    rad_geometry_init(&g, 3, 10, 1, 1);
    img = rad_image_new(&g);
    m = rad_mask_new(&g);
    for (size_t v = 0; v < 10; v++) {
        img->data[v] = v == 9 ? 100.0f : 0.0f;
        m->data[v] = 1;
    }
    base_settings(&s);
    s.outlier_sigma = 3;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.n_mask == 10, "mean + 3 sd = 100 keeps 100 (closed)");
    rad_roi_free(&roi);
    s.outlier_sigma = 2.9;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.n_mask == 9 && roi.mask[9] == 0,
           "mean + 2.9 sd = 97 drops 100: the population sd (sample sd would keep it)");
    rad_roi_free(&roi);
    /* with a range: the intersection (IF9H) */
    s.reseg_range = 1;
    s.reseg_lo = -1;
    s.reseg_hi = 200;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.n_mask == 9, "range [-1, 200] and outliers: 9 voxels");
    rad_roi_free(&roi);
    s.reseg_lo = 50;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == -1, "range [50, 200] and outliers [-77, 97]: empty");
    tap_contains(rad_error_message(), "outlier", "message mentions the outlier filter");
    rad_image_free(img);
    rad_mask_free(m);
}

static void test_discretise(void)
{
    RadImage *img;
    RadMask *m;
    RadSettings s;
    RadRoi roi;

    ramp_case(&img, &m);
    /* FBN, 4 bins over [1, 19]: floor(4 (x - 1) / 18) + 1, 19 -> 4 */
    rad_settings_default(&s);
    s.disc = RAD_DISC_FBN;
    s.bins = 4;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0, "FBN 4");
    tap_ok(roi.grey[0] == 0 && roi.grey[1] == 1 && roi.grey[5] == 1 && roi.grey[10] == 3 && roi.grey[14] == 3
           && roi.grey[18] == 4 && roi.grey[19] == 4 && roi.ng == 4,
           "FBN grey levels: 1->1, 5->1, 10->3 (exact bin edge), 14->3, 18->4, 19 (max)->4; Ng 4");
    tap_ok(roi.disc_min == 1 && fabs(roi.disc_width - 4.5) < 1e-12, "FBN: disc_min 1, width 4.5");
    rad_roi_free(&roi);
    s.bins = 100;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.ng == 100 && roi.grey[19] == 100 && roi.grey[1] == 1,
           "FBN: Ng is the bin number even with empty bins");
    rad_roi_free(&roi);

    /* FBN on a constant ROI: every voxel grey level 1 */
    for (size_t v = 0; v < 20; v++)
        img->data[v] = 7;
    s.bins = 8;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.grey[1] == 1 && roi.grey[19] == 1 && roi.ng == 8,
           "FBN on a constant ROI: all grey level 1");
    rad_roi_free(&roi);
    for (size_t v = 0; v < 20; v++)
        img->data[v] = (float)v;

    /* FBS 5 from the ROI minimum 1 */
    base_settings(&s);
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0, "FBS 5, no range");
    tap_ok(roi.grey[1] == 1 && roi.grey[5] == 1 && roi.grey[6] == 2 && roi.grey[19] == 4 && roi.ng == 4
           && roi.disc_min == 1 && roi.disc_width == 5,
           "FBS from the ROI minimum: 1->1, 5->1, 6->2, 19->4; Ng 4, origin 1");
    rad_roi_free(&roi);
    /* FBS from the lower bound of the range (Q3RU) */
    s.reseg_range = 1;
    s.reseg_lo = 3;
    s.reseg_hi = 1000;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.grey[3] == 1 && roi.grey[7] == 1 && roi.grey[8] == 2
           && roi.grey[19] == 4 && roi.ng == 4 && roi.disc_min == 3 && roi.n_mask == 17,
           "FBS from the range's lower bound 3: 3->1, 7->1, 8->2, 19->4; Ng = highest occupied bin 4");
    rad_roi_free(&roi);
    /* a given minimum wins */
    s.has_disc_min = 1;
    s.disc_min = 0;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.grey[4] == 1 && roi.grey[5] == 2 && roi.grey[19] == 4
           && roi.disc_min == 0, "FBS from the given minimum 0: 4->1, 5->2, 19->4");
    rad_roi_free(&roi);
    s.reseg_range = 0;
    s.disc_min = 2;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == -1, "FBS minimum above the ROI minimum fails");
    tap_contains(rad_error_message(), "below the fixed-bin-size minimum 2", "message names the minimum");
    /* bin edges that are not binary fractions: intensity 0.5 v from -0.1 in
     * bins of 0.1 lies exactly on the edge of bin 5 v + 2, but the double
     * quotient is 5 v + 0.999999... for most v */
    for (size_t v = 0; v < 20; v++)
        img->data[v] = (float)(0.5 * (double)v);
    s.has_disc_min = 1;
    s.disc_min = -0.1;
    s.bin_width = 0.1;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0, "FBS 0.1 from -0.1");
    {
        int ok = 1;
        for (size_t v = 1; v < 20; v++)
            ok = ok && roi.grey[v] == 5 * (int)v + 2;
        tap_ok(ok && roi.ng == 97, "FBS 0.1: intensity 0.5 v is grey level 5 v + 2 (no loss at decimal bin edges)");
    }
    rad_roi_free(&roi);

    /* too many bins */
    for (size_t v = 0; v < 20; v++)
        img->data[v] = (float)(v * 50);
    s.bin_width = 0.001;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == -1, "FBS 0.001 over 1000 HU fails");
    tap_contains(rad_error_message(), "more than 65535", "message says too many grey levels");
    tap_contains(rad_error_message(), "larger bin width", "and how to fix it");

    /* no discretisation: integers >= 1 */
    for (size_t v = 0; v < 20; v++)
        img->data[v] = (float)v;
    s.disc = RAD_DISC_NONE;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.ng == 19 && roi.grey[7] == 7,
           "no discretisation: grey = intensity, Ng = 19");
    rad_roi_free(&roi);
    m->data[0] = 1; /* intensity 0 joins the ROI */
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == -1, "no discretisation with intensity 0 fails");
    tap_contains(rad_error_message(), "integers in 1..65535", "message says what grey levels must be");
    m->data[0] = 0;
    img->data[3] = 2.5f;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == -1, "no discretisation with intensity 2.5 fails");
    tap_contains(rad_error_message(), "(4, 1, 1) (1-based) has 2.5", "message names the voxel (1-based)");

    rad_image_free(img);
    rad_mask_free(m);
}

static void test_rounding_and_errors(void)
{
    RadImage *img;
    RadMask *m, *m2;
    RadSettings s;
    RadRoi roi;
    RadFeatureSet *fs;

    ramp_case(&img, &m);
    base_settings(&s);
    img->data[1] = 1.4f;
    img->data[2] = 1.5f;
    img->data[3] = 2.5f;
    img->data[4] = -1.5f;
    s.round_input = 1;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.image[1] == 1 && roi.image[2] == 2 && roi.image[3] == 3
           && roi.image[4] == -2, "input rounding: 1.4->1, 1.5->2, 2.5->3, -1.5->-2 (half away from zero)");
    tap_ok(img->data[2] == 1.5f, "the caller's image is untouched");
    rad_roi_free(&roi);
    s.round_input = 0;

    /* NaN inside the ROI is an error; outside it is ignored */
    img->data[7] = NAN;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == -1, "NaN inside the ROI fails");
    tap_contains(rad_error_message(), "1 non-finite (NaN or infinite) voxel inside the ROI, the first at (3, 2, 1) (1-based",
                 "message counts and locates the NaN");
    m->data[7] = 0;
    fs = rad_featureset_new();
    tap_ok(rad_roi_prepare(img, m, &s, &roi, fs) == 0 && roi.n_mask == 18, "NaN outside the ROI is ignored");
    tap_ok(isfinite(diag_value(fs, "mean_int_init_img")), "image diagnostics skip the NaN");
    rad_roi_free(&roi);
    rad_featureset_free(fs);
    img->data[7] = 7;

    /* empty mask */
    m2 = rad_mask_copy(m);
    m2->label = 3;
    tap_ok(rad_roi_prepare(img, m2, &s, &roi, NULL) == -1, "a label absent from the mask fails");
    tap_contains(rad_error_message(), "no voxel has label 3", "message names the label");
    rad_mask_free(m2);

    /* geometry mismatch */
    {
        RadGeometry g = m->geom;
        g.spacing[0] = 2;
        m2 = rad_mask_new(&g);
        m2->data[5] = 1;
        tap_ok(rad_roi_prepare(img, m2, &s, &roi, NULL) == -1, "image and mask on different grids fail");
        tap_contains(rad_error_message(), "geometries differ", "message says the geometries differ");
        rad_mask_free(m2);
    }

    /* bad settings are caught */
    s.bin_width = 0;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == -1, "bin width 0 fails");
    tap_contains(rad_error_message(), "bin width", "message names the bin width");
    base_settings(&s);

    /* interpolation that leaves nothing: one voxel, a coarse grid, a high threshold */
    memset(m->data, 0, 20);
    m->data[6] = 1;
    s.resample = 1;
    s.spacing[0] = s.spacing[1] = s.spacing[2] = 3;
    s.mask_threshold = 0.9;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == -1, "a ROI lost by interpolation fails");
    tap_contains(rad_error_message(), "empty after interpolation", "message says interpolation emptied it");
    rad_image_free(img);
    rad_mask_free(m);
}

static void test_resampled(void)
{
    /* 3D 8 x 8 x 4 at 1 x 1 x 2 mm, ROI a 4 x 4 x 2 block; to 0.5 x 0.5 x 1 mm */
    RadGeometry g;
    RadImage *img;
    RadMask *m;
    RadSettings s;
    RadRoi roi;
    RadFeatureSet *fs = rad_featureset_new();
    rad_geometry_init(&g, 3, 8, 8, 4);
    g.spacing[2] = 2;
    img = rad_image_new(&g);
    m = rad_mask_new(&g);
    for (size_t k = 0; k < 4; k++)
        for (size_t j = 0; j < 8; j++)
            for (size_t i = 0; i < 8; i++) {
                size_t v = i + 8 * (j + 8 * k);
                img->data[v] = (float)(10 * i + j);
                m->data[v] = (i >= 2 && i < 6 && j >= 2 && j < 6 && k >= 1 && k < 3) ? 1 : 0;
            }
    base_settings(&s);
    s.resample = 1;
    s.spacing[0] = s.spacing[1] = 0.5;
    s.spacing[2] = 1;
    s.interp = RAD_INTERP_LINEAR;
    s.mask_interp = RAD_INTERP_LINEAR;
    s.round_intensities = 1;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, fs) == 0, "prepare with interpolation to 0.5 x 0.5 x 1 mm");
    tap_ok(roi.geom.dim[0] == 16 && roi.geom.dim[1] == 16 && roi.geom.dim[2] == 8 && roi.geom.spacing[2] == 1,
           "ROI grid 16x16x8 at 0.5x0.5x1 mm");
    /* new grid coordinates -0.25 + 0.5 i (x, y) and -0.25 + 0.5 k (z).  Along
     * one axis the block's fraction is 0.75 at its edge points (x = 1.75,
     * 5.25; z = 0.75, 2.25) and 1 inside: i = 4..11, k = 2..5.  Trilinear
     * fractions multiply: the 8 corners have 0.75^3 = 0.42 < 0.5 and drop
     * out, edges keep 0.75^2 = 0.56: 8 x 8 x 4 - 8 = 248 voxels. */
    tap_ok(roi.n_morph == 248 && roi.box.lo[0] == 4 && roi.box.hi[0] == 11 && roi.box.lo[2] == 2 && roi.box.hi[2] == 5,
           "interpolated ROI: 8x8x4 block minus its 8 corners (0.75^3 < 0.5) = 248 voxels, box x 4..11, z 2..5 "
           "(got %zu)", roi.n_morph);
    tap_ok(roi.morph[4 + 16 * (4 + 16 * 2)] == 0 && roi.morph[5 + 16 * (4 + 16 * 2)] == 1,
           "a corner (0.42) is out, an edge (0.56) is in");
    tap_ok(diag_value(fs, "img_dim_x_interp_img") == 16 && diag_value(fs, "vox_dim_z_interp_img") == 1
           && diag_value(fs, "int_mask_vox_count_interp_roi") == 248 && diag_value(fs, "int_mask_vox_count_init_roi") == 32
           && diag_value(fs, "int_mask_bb_dim_x_interp_roi") == 8, "diagnostics of the interpolated image and ROI");
    {
        /* intensities: 10 x + y at the new points, rounded */
        size_t v = 4 + 16 * (5 + 16 * 3);
        double x = -0.25 + 0.5 * 4, y = -0.25 + 0.5 * 5;
        tap_ok(roi.image[v] == (float)round(10 * x + y), "interpolated and rounded intensity %g (want %g)", roi.image[v],
               round(10 * x + y));
    }
    rad_roi_free(&roi);
    rad_featureset_free(fs);

    /* in-plane only: z keeps 4 slices of 2 mm */
    s.resample_2d = 1;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.geom.dim[2] == 4 && roi.geom.spacing[2] == 2
           && roi.n_morph == 8 * 8 * 2, "in-plane interpolation keeps z: 8x8x2 ROI voxels");
    rad_roi_free(&roi);
    rad_image_free(img);
    rad_mask_free(m);
}

static void test_phantom(const char *dir)
{
    char path[4096];
    RadImage *img;
    RadMask *m;
    RadSettings s;
    RadRoi roi;
    int same = 1;

    if (!dir) {
        tap_skip(3, "RADLAB_DATA not set: no digital phantom");
        return;
    }
    snprintf(path, sizeof path, "%s/ibsi1/digital_phantom/image.nii.gz", dir);
    img = rad_image_read(path);
    snprintf(path, sizeof path, "%s/ibsi1/digital_phantom/mask.nii.gz", dir);
    m = rad_mask_read(path);
    rad_settings_default(&s);
    s.disc = RAD_DISC_NONE;
    s.aggr = RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D;
    if (!img || !m || rad_roi_prepare(img, m, &s, &roi, NULL) != 0) {
        tap_ok(0, "digital phantom: %s", rad_error_message());
        tap_skip(2, "digital phantom failed");
        rad_image_free(img);
        rad_mask_free(m);
        return;
    }
    tap_ok(roi.n_mask == 74 && roi.n_morph == 74, "digital phantom: 74 ROI voxels in both masks");
    for (size_t v = 0; v < rad_image_nvox(img); v++)
        same = same && roi.grey[v] == (roi.mask[v] ? (int)img->data[v] : 0);
    tap_ok(same && roi.ng == 6, "digital phantom: grey level = intensity, Ng = 6 (levels 2 and 5 empty)");
    tap_ok(roi.box.hi[0] - roi.box.lo[0] == 4 && roi.box.hi[1] - roi.box.lo[1] == 3 && roi.box.hi[2] - roi.box.lo[2] == 3,
           "digital phantom: box 5x4x4");
    rad_roi_free(&roi);
    rad_image_free(img);
    rad_mask_free(m);
}

/* ---- the IBSI CT configurations' diagnostic rows --------------------------- */

/* significant figures written in a reference value ("0.977", "-1000", "45985") */
static int sig_figs(const char *s)
{
    int n = 0, dot = strchr(s, '.') != NULL, lead = 1, trail = 0;
    for (const char *p = s; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p < '0' || *p > '9')
            continue;
        if (lead && *p == '0')
            continue;
        lead = 0;
        n++;
        trail = *p == '0' ? trail + 1 : 0;
    }
    if (!dot)
        n -= trail;
    return n < 1 ? 1 : n;
}

static double round_sig(double x, int sig)
{
    double e, f;
    if (x == 0 || !isfinite(x))
        return x;
    e = floor(log10(fabs(x))) + 1;
    f = pow(10, sig - e);
    return floor(x * f + 0.5) / f;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A reference tag of a feature family (the other rows are diagnostics). */
static int is_feature_tag(const char *tag)
{
    static const char *const prefix[] = {"morph_", "loc_", "stat_", "ih_", "ivh_", "cm_", "rlm_", "szm_",
                                         "dzm_", "ngt_", "ngl_", NULL};
    if (strncmp(tag, "morph_mask_", 11) == 0)
        return 0;
    for (int k = 0; prefix[k]; k++)
        if (strncmp(tag, prefix[k], strlen(prefix[k])) == 0)
            return 1;
    return 0;
}

/* Compare one reference row "value;tolerance;tag" with the diagnostics in fs.
 * Returns 1 when the tag is a diagnostic row (compared; a row that radlab
 * does not produce is a failing line), else 0 (a feature row or the header). */
static int compare_row(const RadFeatureSet *fs, const char *config, const char *row, int *matched)
{
    char line[512], name[160];
    char *a, *b, *tag;
    long i;
    double ref, tol, got;
    int sig;

    snprintf(line, sizeof line, "%s", row);
    a = strtok(line, ";");
    b = strtok(NULL, ";");
    tag = strtok(NULL, ";\r\n");
    if (!a || !b || !tag || !*a || strcmp(a, "reference value") == 0 || is_feature_tag(tag))
        return 0;
    snprintf(name, sizeof name, "diag_%s", tag);
    if ((i = rad_featureset_find(fs, name)) < 0) {
        tap_ok(0, "%s %s: reference diagnostic row not produced by radlab (no %s)", config, tag, name);
        return 1;
    }
    ref = atof(a);
    tol = atof(b);
    got = fs->values[i];
    /* as IBSI's own test: rounded to the reference's significant figures (>= 3) */
    sig = sig_figs(a) > 3 ? sig_figs(a) : 3;
    if (tap_ok(fabs(round_sig(got, sig) - ref) <= tol + 1e-12 * fabs(ref), "%s %s = %.6g (reference %s, tolerance %s)",
               config, tag, got, a, b))
        (*matched)++;
    return 1;
}

/* Every diagnostic row of reference/<config>.csv. */
static void check_config(const char *dir, const char *config, const RadSettings *s, const RadImage *img,
                         const RadMask *m)
{
    char path[4096], line[512];
    FILE *fp;
    RadFeatureSet *fs = rad_featureset_new();
    RadRoi roi;
    int matched = 0, total = 0;
    double t0 = now(), t1;

    if (rad_roi_prepare(img, m, s, &roi, fs) != 0) {
        tap_ok(0, "%s: prepare the CT phantom: %s", config, rad_error_message());
        rad_featureset_free(fs);
        return;
    }
    t1 = now();
    snprintf(path, sizeof path, "%s/ibsi1/reference/%s.csv", dir, config);
    fp = fopen(path, "r");
    tap_ok(fp != NULL, "%s: read %s", config, path);
    while (fp && fgets(line, sizeof line, fp))
        total += compare_row(fs, config, line, &matched);
    if (fp)
        fclose(fp);
    tap_ok(total == 60, "%s: all 60 diagnostic rows compared (got %d)", config, total);
    tap_diag("%s: %d of %d diagnostic rows agree; preprocessing took %.1f ms", config, matched, total, 1e3 * (t1 - t0));
    rad_roi_free(&roi);
    rad_featureset_free(fs);
}

/* Selected rows of configurations B (in-plane interpolation) and D (outlier
 * filtering), whose reference tables are not staged: IBSI reference values
 * (IBSI 1 compliance data, as in oncoray/mirp's ibsi_1_chest_config_{b,d}.csv). */
static const char *const config_b_rows[] = {
    "100;1;img_dim_x_interp_img", "99;0.8;img_dim_y_interp_img", "60;0;img_dim_z_interp_img",
    "3;0;vox_dim_z_interp_img", "-270;3;mean_int_interp_img", "2257;30;max_int_interp_img",
    "26;0;int_mask_bb_dim_z_interp_roi", "29842;100;int_mask_vox_count_interp_roi",
    "-47;0.1;int_mask_mean_int_interp_roi", "-956;1;int_mask_min_int_interp_roi", "525;6;int_mask_max_int_interp_roi",
    "27359;300;int_mask_vox_count_reseg_roi", "29842;400;morph_mask_vox_count_reseg_roi",
    "11.5;1.1;int_mask_mean_int_reseg_roi", "-500;0;int_mask_min_int_reseg_roi", "391;9;int_mask_max_int_reseg_roi",
    NULL};
static const char *const config_d_rows[] = {
    "45985;100;int_mask_vox_count_interp_roi", "44465;800;int_mask_vox_count_reseg_roi",
    "45985;700;morph_mask_vox_count_reseg_roi", "-23.5;3.9;int_mask_mean_int_reseg_roi",
    "-724;12;int_mask_min_int_reseg_roi", "521;22;int_mask_max_int_reseg_roi", NULL};

static void check_rows(const char *config, const char *const *rows, int nrows, const RadSettings *s,
                       const RadImage *img, const RadMask *m)
{
    RadFeatureSet *fs = rad_featureset_new();
    RadRoi roi;
    int matched = 0, total = 0, listed = 0;
    if (rad_roi_prepare(img, m, s, &roi, fs) != 0) {
        tap_ok(0, "%s: prepare the CT phantom: %s", config, rad_error_message());
        rad_featureset_free(fs);
        return;
    }
    for (; *rows; rows++) {
        total += compare_row(fs, config, *rows, &matched);
        listed++;
    }
    /* the hand-copied rows: all there (none lost in an edit), all compared */
    tap_ok(listed == nrows && total == nrows, "%s: all %d hand-copied reference rows compared (listed %d, compared %d)",
           config, nrows, listed, total);
    tap_diag("%s: %d of %d selected diagnostic rows agree", config, matched, total);
    rad_roi_free(&roi);
    rad_featureset_free(fs);
}

static void test_ct(const char *dir)
{
    char path[4096];
    RadImage *img;
    RadMask *m;
    RadSettings s;

    if (!dir) {
        tap_skip(151, "RADLAB_DATA not set: no CT phantom reference values");
        return;
    }
    snprintf(path, sizeof path, "%s/ibsi1/ct_phantom/image.nii.gz", dir);
    img = rad_image_read(path);
    snprintf(path, sizeof path, "%s/ibsi1/ct_phantom/mask.nii.gz", dir);
    m = rad_mask_read(path);
    if (!img || !m) {
        tap_ok(0, "read the CT phantom: %s", rad_error_message());
        rad_image_free(img);
        rad_mask_free(m);
        return;
    }
    /* configuration A: 2D, no interpolation, [-500, 400], FBS 25 from -500 */
    rad_settings_default(&s);
    s.round_input = 1;
    s.reseg_range = 1;
    s.reseg_lo = -500;
    s.reseg_hi = 400;
    s.disc = RAD_DISC_FBS;
    s.bin_width = 25;
    s.has_disc_min = 1;
    s.disc_min = -500;
    s.ivh = RAD_IVH_DISCRETE;
    s.aggr = RAD_AGGR_2D | RAD_AGGR_2_5D;
    check_config(dir, "config_a", &s, img, m);

    /* configuration C: 3D, trilinear to 2 mm, mask trilinear at 0.5, rounded,
     * [-1000, 400], FBS 25, IVH FBS 2.5 over [-1000, 400] */
    rad_settings_default(&s);
    s.round_input = 1;
    s.resample = 1;
    s.spacing[0] = s.spacing[1] = s.spacing[2] = 2;
    s.interp = RAD_INTERP_LINEAR;
    s.mask_interp = RAD_INTERP_LINEAR;
    s.mask_threshold = 0.5;
    s.round_intensities = 1;
    s.reseg_range = 1;
    s.reseg_lo = -1000;
    s.reseg_hi = 400;
    s.disc = RAD_DISC_FBS;
    s.bin_width = 25;
    s.ivh = RAD_IVH_FBS;
    s.ivh_width = 2.5;
    s.has_ivh_range = 1;
    s.ivh_min = -1000;
    s.ivh_max = 400;
    s.aggr = RAD_AGGR_3D;
    check_config(dir, "config_c", &s, img, m);
    {
        /* the texture grey levels of C: Ng = highest occupied FBS bin (393 HU -> 56) */
        RadRoi roi;
        tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0 && roi.ng == 56 && roi.disc_min == -1000,
               "config C: Ng 56 from -1000 in bins of 25 (got %d)", roi.ng);
        rad_roi_free(&roi);
    }
    {
        /* every family and the diagnostic rows of C on 1 and on 4 threads:
         * the same tags in the same order and the same bits */
        RadFeatureSet *f1, *f4;
        size_t diff = 0;
        s.families = RAD_FAM_ALL;
        f1 = rad_extract_threads(img, m, &s, 1);
        f4 = rad_extract_threads(img, m, &s, 4);
        for (size_t i = 0; f1 && f4 && i < f1->n && i < f4->n; i++)
            diff += strcmp(f1->tags[i], f4->tags[i]) != 0 || memcmp(&f1->values[i], &f4->values[i], sizeof(double)) != 0;
        tap_ok(f1 && f4 && f1->n == f4->n && f1->n > 200 && diff == 0,
               "config C on 1 and 4 threads: %zu rows, %zu differ", f1 ? f1->n : 0, diff);
        rad_featureset_free(f1);
        rad_featureset_free(f4);
        /* the interrupt flag stops the case on any thread count */
        rad_interrupt_set();
        f4 = rad_extract_threads(img, m, &s, 4);
        rad_interrupt_clear();
        tap_ok(!f4 && strstr(rad_error_message(), "interrupted"), "config C on 4 threads, interrupted: %s",
               rad_error_message());
        rad_featureset_free(f4);
        s.families = RAD_FAM_FEATURES;
    }

    /* configuration B: A's settings, bilinear in-plane to 2 x 2 mm, FBN 32 */
    rad_settings_default(&s);
    s.round_input = 1;
    s.resample = 1;
    s.resample_2d = 1;
    s.spacing[0] = s.spacing[1] = 2;
    s.round_intensities = 1;
    s.reseg_range = 1;
    s.reseg_lo = -500;
    s.reseg_hi = 400;
    s.disc = RAD_DISC_FBN;
    s.bins = 32;
    s.aggr = RAD_AGGR_2D | RAD_AGGR_2_5D;
    check_rows("config_b", config_b_rows, 16, &s, img, m);

    /* configuration D: C's interpolation, no range, outliers at 3 sigma, FBN 32 */
    s.resample_2d = 0;
    s.spacing[2] = 2;
    s.reseg_range = 0;
    s.reseg_lo = -INFINITY;
    s.reseg_hi = INFINITY;
    s.outlier_sigma = 3;
    s.aggr = RAD_AGGR_3D;
    check_rows("config_d", config_d_rows, 6, &s, img, m);

    rad_image_free(img);
    rad_mask_free(m);
}

/* Intensity normalisation (settings.normalise) on the 5 x 4 ramp 0..19
 * whose ROI is 1..19: mean 10, population variance (19^2 - 1) / 12 = 30.
 * The whole image is transformed, the ROI statistics set the map. */
static void test_normalise(void)
{
    RadImage *img;
    RadMask *m;
    RadSettings s;
    RadRoi roi;
    char d0[65], d1[65];
    ramp_case(&img, &m);

    rad_settings_default(&s);
    s.norm = RAD_NORM_ZSCORE;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0, "zscore: prepared");
    tap_near(roi.image[19], 9 / sqrt(30.0), 1e-6, "zscore roi: 19 -> (19 - 10) / sqrt(30)");
    tap_near(roi.image[0], -10 / sqrt(30.0), 1e-6, "zscore roi: voxel outside the ROI transformed too");
    tap_ok(img->data[19] == 19, "the input image is left as it is");
    rad_roi_free(&roi);

    s.norm_sd = RAD_NORM_SD_SAMPLE; /* variance 570 / 18 */
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0, "zscore sample: prepared");
    tap_near(roi.image[19], 9 / sqrt(570.0 / 18), 1e-6, "zscore sd sample: 19 -> 9 / sqrt(570/18)");
    rad_roi_free(&roi);

    rad_settings_default(&s);
    s.norm = RAD_NORM_PERCENTILE;
    s.norm_scope = RAD_NORM_SCOPE_IMAGE;
    s.norm_p_lo = 0;
    s.norm_p_hi = 100;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0, "percentile image 0/100: prepared");
    tap_near(roi.image[19], 1, 1e-6, "percentile image 0/100: max 19 -> 1");
    tap_near(roi.image[1], 1 / 19.0, 1e-6, "percentile image 0/100: 1 -> 1/19");
    rad_roi_free(&roi);

    /* type 7 over the ROI 1..19: 10% -> h = 1.8 -> 2.8; 90% -> h = 16.2 -> 17.2 */
    s.norm_scope = RAD_NORM_SCOPE_ROI;
    s.norm_p_lo = 10;
    s.norm_p_hi = 90;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0, "percentile roi 10/90: prepared");
    tap_near(roi.image[1], (1 - 2.8) / 14.4, 1e-6, "percentile roi 10/90: 1 -> (1 - 2.8) / 14.4");
    rad_roi_free(&roi);

    s.norm_p_hi = 101;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) != 0 &&
               tap_contains(rad_error_message(), "normalise.percentiles {lo, hi} must satisfy 0 <= lo < hi <= 100",
                            "percentile 101"),
           "percentile above 100 is an error naming normalise.percentiles");

    /* reference: label 2 under voxels 0 and 1 (values 0, 1: mean 0.5), ROI = label 1 */
    m->data[0] = 2;
    m->data[1] = 2;
    m->label = 1;
    rad_settings_default(&s);
    s.norm = RAD_NORM_REFERENCE;
    s.norm_ref_label = 2;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) == 0, "reference label 2: prepared");
    tap_near(roi.image[19], 38, 1e-5, "reference label 2, mean: 19 / 0.5");
    tap_ok(roi.n_morph == 18, "reference label 2: the ROI stays label 1 (18 voxels)");
    rad_roi_free(&roi);
    s.norm_ref_label = 3;
    tap_ok(rad_roi_prepare(img, m, &s, &roi, NULL) != 0 &&
               tap_contains(rad_error_message(), "settings.normalise.label = 3: no voxel of the ROI's mask has label 3 "
                                                 "(labels present: 1, 2)", "absent label"),
           "reference label absent: an error naming it and the labels present");

    /* the digest: unchanged while normalisation is off, whatever its other fields */
    rad_settings_default(&s);
    rad_settings_digest(&s, d0);
    s.norm_scale = 5;
    s.norm_p_hi = 50;
    rad_settings_digest(&s, d1);
    tap_ok(strcmp(d0, d1) == 0, "digest: normalisation fields do not count while it is off");
    s.norm = RAD_NORM_ZSCORE;
    s.norm_p_hi = 0;
    rad_settings_digest(&s, d1);
    tap_ok(strcmp(d0, d1) != 0, "digest: normalisation on changes it");

    rad_image_free(img);
    rad_mask_free(m);
}

int main(void)
{
    const char *dir = tap_data_dir();
    test_borrowed_masks();
    test_reseg();
    test_outliers();
    test_discretise();
    test_rounding_and_errors();
    test_resampled();
    test_normalise();
    test_phantom(dir);
    test_ct(dir);
    return tap_done();
}
