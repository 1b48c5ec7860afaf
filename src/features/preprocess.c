/* radlab: preprocessing: interpolation, re-segmentation, discretisation, diagnostics (IBSI 4R0B).  SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What this file computes (IBSI 1, docs/02_Image_processing.rst; the
 * diagnostic features of docs/05_Reference_data_sets.rst):
 *
 *   1. rounding of input intensities to integers, when asked (IBSI 05, "Lung
 *      cancer CT image": NIfTI converted to float and rounded);
 *   1b. intensity normalisation, when asked: z-score, percentile map or a
 *      reference region (see "intensity normalisation" below).  IBSI 1
 *      chapter 2 orders the steps data conversion (23XZ), image
 *      post-acquisition processing (PCDE), segmentation (OQYT),
 *      interpolation (VTM2), re-segmentation; normalisation is
 *      post-acquisition processing, so it acts on the whole image on its own
 *      grid, its ROI statistics come from the segmentation on that grid, and
 *      interpolation, re-segmentation and discretisation see the normalised
 *      intensities (PyRadiomics' normalize also runs before resampling).
 *      The diagnostic rows of the initial image and ROI describe the
 *      normalised image, the one that enters interpolation;
 *   2. interpolation (VTM2) of the image onto the "align grid centres" grid
 *      (3WE3, 026Q, QCY4), of the mask with its own interpolator and the
 *      partial-volume threshold (E8H9), then rounding of intensities (68QD)
 *      - the arithmetic is in src/image/resample.c;
 *   3. the morphological mask (G5KJ) = the (interpolated) mask, and the
 *      intensity mask (SEFI) = the morphological mask re-segmented (IF9H) by
 *      the closed range [a, b] (USB3) and by outlier filtering mu +/- k sigma
 *      (7ACA); when both are set the voxel must pass both (IF9H: "the
 *      intersection of the intensity ranges");
 *   4. discretisation (4R0B) into grey levels 1..Ng: none, fixed bin number
 *      (K15C) or fixed bin size (Q3RU);
 *   5. the diagnostic features (IBSI 05 "Diagnostic features"), with the tags
 *      of the IBSI reference tables.
 *
 * Conventions chosen here (IBSI leaves them open):
 *   - Outlier filtering uses the mean and the population standard deviation
 *     (divide by N, as every IBSI dispersion statistic) of the intensities in
 *     the morphological mask, i.e. of the ROI before any re-segmentation, so
 *     that range and outlier filter are two independent intensity ranges
 *     whose intersection is applied (IF9H).  On the CT phantom this gives
 *     the IBSI configuration D reference exactly (44465 voxels, -724..521 HU).
 *   - FBS: Ng is the highest grey level occupied in the intensity mask, the
 *     choice that matches the IBSI configurations A and C best (normalised
 *     inverse differences: Ng = 36 gives 0.9611 for the reference 0.961,
 *     the 37 bins spanned by [-500, 400] would give 0.9621); the
 *     bin origin is the given minimum, else the lower bound of a finite
 *     re-segmentation range (Q3RU, table_discretisation note 3), else the
 *     ROI minimum.  An intensity below a given minimum is an error.
 *   - FBN: Ng is the requested number of bins even when some are empty; a
 *     constant ROI (X_max = X_min) puts every voxel in grey level 1.
 *   - No discretisation: intensities must be integers >= 1; Ng is the
 *     highest one (the digital phantom: Ng = 6, levels 2 and 5 empty).
 *   - Floor in FBN/FBS is taken with 1e-9 of slack in bin units, so that an
 *     intensity lying exactly on a bin edge (0.5 from -0.1 in bins of 0.1:
 *     the double quotient is 5.999...) is not moved down a bin by binary
 *     rounding.
 *   - Rounding is half away from zero (round()), independent of the FPU
 *     rounding mode.
 *   - Non-finite intensities (NaN, Inf) inside the ROI are an error that
 *     names their count; outside the ROI they are ignored (and left out of
 *     the image diagnostics).  Interpolation can carry a NaN from outside
 *     into the ROI; that is then reported the same way.
 *   - More than 65535 grey levels is an error (texture matrices are Ng x Ng).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "io/io.h"
#include "util/error.h"
#include "util/pool.h"

#define MAX_GREY 65535

/* ---- the diagnostic rows (IBSI 05 "Diagnostic features"), in reference-table order ---- */

#define IMG_ROWS(stage, what)                                                                   \
    {"diag_img_dim_x_" stage, "", "Image dimension x (" what ")", "voxels"},                         \
    {"diag_img_dim_y_" stage, "", "Image dimension y (" what ")", "voxels"},                         \
    {"diag_img_dim_z_" stage, "", "Image dimension z (" what ")", "voxels"},                         \
    {"diag_vox_dim_x_" stage, "", "Voxel dimension x (" what ")", "mm"},                             \
    {"diag_vox_dim_y_" stage, "", "Voxel dimension y (" what ")", "mm"},                             \
    {"diag_vox_dim_z_" stage, "", "Voxel dimension z (" what ")", "mm"},                             \
    {"diag_mean_int_" stage, "", "Mean intensity (" what ")", ""},                                   \
    {"diag_min_int_" stage, "", "Minimum intensity (" what ")", ""},                                 \
    {"diag_max_int_" stage, "", "Maximum intensity (" what ")", ""}

#define ROI_ROWS(stage, what)                                                                   \
    {"diag_int_mask_dim_x_" stage, "", "Intensity mask dimension x (" what ")", "voxels"},           \
    {"diag_int_mask_dim_y_" stage, "", "Intensity mask dimension y (" what ")", "voxels"},           \
    {"diag_int_mask_dim_z_" stage, "", "Intensity mask dimension z (" what ")", "voxels"},           \
    {"diag_int_mask_bb_dim_x_" stage, "", "Intensity mask bounding box dimension x (" what ")", "voxels"}, \
    {"diag_int_mask_bb_dim_y_" stage, "", "Intensity mask bounding box dimension y (" what ")", "voxels"}, \
    {"diag_int_mask_bb_dim_z_" stage, "", "Intensity mask bounding box dimension z (" what ")", "voxels"}, \
    {"diag_morph_mask_bb_dim_x_" stage, "", "Morphological mask bounding box dimension x (" what ")", "voxels"}, \
    {"diag_morph_mask_bb_dim_y_" stage, "", "Morphological mask bounding box dimension y (" what ")", "voxels"}, \
    {"diag_morph_mask_bb_dim_z_" stage, "", "Morphological mask bounding box dimension z (" what ")", "voxels"}, \
    {"diag_int_mask_vox_count_" stage, "", "Intensity mask voxel count (" what ")", "voxels"},       \
    {"diag_morph_mask_vox_count_" stage, "", "Morphological mask voxel count (" what ")", "voxels"}, \
    {"diag_int_mask_mean_int_" stage, "", "Intensity mask mean intensity (" what ")", ""},           \
    {"diag_int_mask_min_int_" stage, "", "Intensity mask minimum intensity (" what ")", ""},         \
    {"diag_int_mask_max_int_" stage, "", "Intensity mask maximum intensity (" what ")", ""}

static const RadFeatureDef defs[] = {
    IMG_ROWS("init_img", "initial image"),
    IMG_ROWS("interp_img", "interpolated image"),
    ROI_ROWS("init_roi", "initial ROI"),
    ROI_ROWS("interp_roi", "interpolated ROI"),
    ROI_ROWS("reseg_roi", "re-segmented ROI"),
    {NULL, NULL, NULL, NULL}};

#define N_IMG_ROWS 9
#define N_ROI_ROWS 14
#define N_DIAG (2 * N_IMG_ROWS + 3 * N_ROI_ROWS)

const RadFamily rad_family_diag = {"diag", "Diagnostic features (image processing)", "", RAD_FAM_DIAG,
                                   RAD_AGGR_KIND_DIAG, defs, NULL, 0, NULL};

/* ---- helpers ------------------------------------------------------------------ */

/* First and last non-zero byte of row r[0..n-1] (0/1 values), or 0 when
 * the row is empty.  Eight bytes at a time: the masks are mostly empty. */
static int row_span(const uint8_t *r, size_t n, size_t *first, size_t *last)
{
    size_t i = 0, j = n;
    uint64_t w;
    while (i + 8 <= n) {
        memcpy(&w, r + i, 8);
        if (w)
            break;
        i += 8;
    }
    while (i < n && !r[i])
        i++;
    if (i == n)
        return 0;
    while (j >= i + 8) {
        memcpy(&w, r + j - 8, 8);
        if (w)
            break;
        j -= 8;
    }
    while (!r[j - 1])
        j--;
    *first = i;
    *last = j - 1;
    return 1;
}

/* Bounding box of a 0/1 mask; returns 0 (box lo > hi) when it is empty. */
static int mask_box(const uint8_t *m, const size_t dim[3], RadBox *b)
{
    int found = 0;
    for (int c = 0; c < 3; c++) {
        b->lo[c] = dim[c];
        b->hi[c] = 0;
    }
    for (size_t k = 0; k < dim[2]; k++)
        for (size_t j = 0; j < dim[1]; j++) {
            size_t first, last;
            if (!row_span(m + (k * dim[1] + j) * dim[0], dim[0], &first, &last))
                continue;
            found = 1;
            if (first < b->lo[0]) b->lo[0] = first;
            if (last > b->hi[0]) b->hi[0] = last;
            if (j < b->lo[1]) b->lo[1] = j;
            if (j > b->hi[1]) b->hi[1] = j;
            if (k < b->lo[2]) b->lo[2] = k;
            if (k > b->hi[2]) b->hi[2] = k;
        }
    return found;
}

/* Mean, min and max of the finite values of x (inside m when m != NULL). */
static size_t value_stats(const float *x, const uint8_t *m, size_t n, double *mean, double *lo, double *hi)
{
    double s = 0, a = INFINITY, b = -INFINITY;
    size_t cnt = 0;
    for (size_t v = 0; v < n; v++) {
        double y = x[v];
        if ((m && !m[v]) || !isfinite(y))
            continue;
        s += y;
        cnt++;
        if (y < a) a = y;
        if (y > b) b = y;
    }
    /* empty: 0 rather than NaN in the diagnostics (the pipeline fails first) */
    *mean = cnt ? s / (double)cnt : 0;
    *lo = cnt ? a : 0;
    *hi = cnt ? b : 0;
    return cnt;
}

static void img_diag(const float *x, const RadGeometry *g, double out[N_IMG_ROWS])
{
    for (int c = 0; c < 3; c++) {
        out[c] = (double)g->dim[c];
        out[3 + c] = g->spacing[c];
    }
    value_stats(x, NULL, rad_geometry_nvox(g), &out[6], &out[7], &out[8]);
}

/* The 14 ROI rows of one stage; ni and nm are the voxel counts of the
 * intensity and the morphological mask. */
static void roi_diag(const float *x, const uint8_t *imask, size_t ni, const uint8_t *mmask, size_t nm,
                     const RadGeometry *g, double out[N_ROI_ROWS])
{
    RadBox bi, bm;
    int fi = mask_box(imask, g->dim, &bi), fm = fi;
    if (mmask != imask)
        fm = mask_box(mmask, g->dim, &bm);
    else
        bm = bi;
    for (int c = 0; c < 3; c++) {
        out[c] = (double)g->dim[c];
        out[3 + c] = fi ? (double)(bi.hi[c] - bi.lo[c] + 1) : 0;
        out[6 + c] = fm ? (double)(bm.hi[c] - bm.lo[c] + 1) : 0;
    }
    out[9] = (double)ni;
    out[10] = (double)nm;
    value_stats(x, imask, rad_geometry_nvox(g), &out[11], &out[12], &out[13]);
}

/* Count of non-finite intensities inside the mask; the first one's index. */
static size_t count_nonfinite(const float *x, const uint8_t *m, size_t n, size_t *first)
{
    size_t cnt = 0;
    for (size_t v = 0; v < n; v++)
        if (m[v] && !isfinite(x[v])) {
            if (!cnt)
                *first = v;
            cnt++;
        }
    return cnt;
}

static int nonfinite_error(const float *x, const uint8_t *m, const RadGeometry *g, const char *when)
{
    size_t first = 0, cnt = count_nonfinite(x, m, rad_geometry_nvox(g), &first);
    size_t nx = g->dim[0], ny = g->dim[1];
    if (!cnt)
        return 0;
    return rad_error_set("the image has %zu non-finite (NaN or infinite) voxel%s inside the ROI%s, the first at "
                         "(%zu, %zu, %zu) (1-based, as img:get takes it): replace them in the image or remove them from the mask",
                         cnt, cnt == 1 ? "" : "s", when, first % nx + 1, first / nx % ny + 1, first / (nx * ny) + 1);
}

static void describe_range(double lo, double hi, char *buf, size_t n)
{
    snprintf(buf, n, "[%g, %g]", lo, hi);
}

/* ---- discretisation (4R0B) ------------------------------------------------------- */

/* 1e-9 of a bin: see the file comment */
#define BIN_SLACK 1e-9

static int discretise(RadRoi *roi, const RadSettings *s, double xmin, double xmax)
{
    size_t n = rad_geometry_nvox(&roi->geom);
    int ng = 0;

    if (s->disc == RAD_DISC_NONE) {
        /* grey level = intensity: integers 1..65535 */
        for (size_t v = 0; v < n; v++) {
            double x;
            if (!roi->mask[v])
                continue;
            x = roi->image[v];
            if (x != floor(x) || x < 1 || x > MAX_GREY) {
                size_t nx = roi->geom.dim[0], ny = roi->geom.dim[1];
                return rad_error_set("without discretisation the intensities are the grey levels and must be "
                                     "integers in 1..%d, but voxel (%zu, %zu, %zu) (1-based) has %g: use fixed bin number "
                                     "or fixed bin size discretisation", MAX_GREY, v % nx + 1, v / nx % ny + 1,
                                     v / (nx * ny) + 1, x);
            }
            roi->grey[v] = (int)x;
            if (roi->grey[v] > ng)
                ng = roi->grey[v];
        }
        roi->ng = ng;
        roi->disc_min = 1;
        roi->disc_width = 1;
        return 0;
    }

    if (s->disc == RAD_DISC_FBN) {
        /* K15C: floor(Ng (X - Xmin) / (Xmax - Xmin)) + 1, and Ng at X = Xmax */
        double range = xmax - xmin;
        ng = s->bins;
        if (ng < 1 || ng > MAX_GREY)
            return rad_error_set("bin number must be 1..%d, got %d", MAX_GREY, ng);
        for (size_t v = 0; v < n; v++) {
            double q;
            int g;
            if (!roi->mask[v])
                continue;
            if (!(range > 0)) {
                roi->grey[v] = 1; /* constant ROI: one grey level */
                continue;
            }
            q = floor((double)ng * ((double)roi->image[v] - xmin) / range + BIN_SLACK);
            g = q >= ng ? ng : (int)q + 1;
            roi->grey[v] = g < 1 ? 1 : g;
        }
        roi->ng = ng;
        roi->disc_min = xmin;
        roi->disc_width = range / ng;
        return 0;
    }

    if (s->disc == RAD_DISC_FBS) {
        /* Q3RU: floor((X - Xmin) / w) + 1 */
        double w = s->bin_width, origin, top;
        if (!(w > 0) || !isfinite(w))
            return rad_error_set("bin width must be > 0, got %g", w);
        if (s->has_disc_min)
            origin = s->disc_min;
        else if (s->reseg_range && isfinite(s->reseg_lo))
            origin = s->reseg_lo;
        else
            origin = xmin;
        if (!isfinite(origin))
            return rad_error_set("the fixed-bin-size minimum must be finite, got %g", origin);
        if (xmin < origin)
            return rad_error_set("the ROI has intensities down to %g, below the fixed-bin-size minimum %g: lower "
                                 "the minimum or re-segment the ROI to [%g, ...]", xmin, origin, origin);
        top = floor((xmax - origin) / w + BIN_SLACK) + 1;
        if (!(top <= MAX_GREY))
            return rad_error_set("fixed bin size %g over the ROI intensities [%g, %g] from %g gives %.0f grey levels, "
                                 "more than %d: use a larger bin width", w, xmin, xmax, origin, top, MAX_GREY);
        for (size_t v = 0; v < n; v++) {
            int g;
            if (!roi->mask[v])
                continue;
            g = (int)floor(((double)roi->image[v] - origin) / w + BIN_SLACK) + 1;
            roi->grey[v] = g < 1 ? 1 : g;
            if (roi->grey[v] > ng)
                ng = roi->grey[v];
        }
        roi->ng = ng;
        roi->disc_min = origin;
        roi->disc_width = w;
        return 0;
    }
    return rad_error_set("unknown discretisation method %d (none, fixed bin number or fixed bin size)", (int)s->disc);
}


/* ---- intensity normalisation (image post-acquisition processing, PCDE) ----------
 *
 *   zscore      y = s (x - mu) / sigma, mu and sigma over the ROI (scope "roi")
 *               or over every finite voxel of the image (scope "image", as
 *               PyRadiomics' normalize); sigma is the population SD (divide
 *               by N, as every IBSI dispersion statistic) or the sample SD
 *               (N - 1).  remove_outliers = k clips (x - mu) / sigma to
 *               [-k, k] before the scale s is applied: PyRadiomics'
 *               removeOutliers ("values above mu + n sigma are set to
 *               mu + n sigma", after normalising, before scaling).
 *   percentile  y = a + (b - a) (x - q_lo) / (q_hi - q_lo): the percentile
 *               p_lo goes to a, p_hi to b (default 0 and 1); values beyond
 *               the percentiles map linearly beyond [a, b] (no clipping).
 *               Percentiles are Hyndman and Fan type 7 (R's default
 *               quantile, numpy's "linear"): of the sorted values
 *               v_1..v_N, h = (N - 1) p + 1, q = v_floor(h) + (h - floor(h))
 *               (v_floor(h)+1 - v_floor(h)).
 *   reference   statistic "mean": y = x / mu_ref; "zscore": y = (x - mu_ref) /
 *               sigma_ref, over a reference region: another label of the
 *               ROI's mask, or a mask file on the image's grid (every
 *               non-zero voxel, or one label of it).
 *
 * Statistics are over the finite voxels of the region (inside the ROI every
 * voxel must be finite anyway); every voxel of the image is transformed
 * (NaN stays NaN).  Arithmetic is in double, the result stored as float32.
 */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Type 7 quantile of sorted v[0..n-1] (n >= 1), p in [0, 1]. */
static double quantile7(const double *v, size_t n, double p)
{
    double h = p * (double)(n - 1);
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* The labels present in data[0..n-1] other than 0, as "1, 2" ("none"). */
static void labels_present(const uint8_t *data, size_t n, char *buf, size_t size)
{
    unsigned char seen[256] = {0};
    size_t at = 0;
    for (size_t v = 0; v < n; v++)
        seen[data[v]] = 1;
    buf[0] = '\0';
    for (int l = 1; l < 256 && at + 8 < size; l++)
        if (seen[l])
            at += (size_t)snprintf(buf + at, size - at, "%s%d", at ? ", " : "", l);
    if (!at)
        snprintf(buf, size, "none");
}

/* The reference region as a 0/1 array (malloc'd), with its description
 * ("label 2 of the ROI's mask", "mask 'fat.nii.gz'"); NULL with a message. */
static uint8_t *reference_region(const RadImage *img, const RadMask *mask, const RadSettings *s, char *what,
                                 size_t wsize)
{
    size_t n = rad_image_nvox(img), count = 0;
    RadMask *file = NULL;
    const uint8_t *data = mask->data;
    uint8_t *r;
    int label = s->norm_ref_label;
    char present[800];

    if (s->norm_ref_mask[0]) {
        file = rad_mask_read(s->norm_ref_mask);
        if (!file) {
            rad_error_prefix("normalisation (settings.normalise.mask = '%s')", s->norm_ref_mask);
            return NULL;
        }
        if (rad_check_same_geometry(img, file, RAD_GEOMETRY_TOL) != 0) {
            rad_error_prefix("normalisation: the reference mask '%s' (settings.normalise.mask) is not on the image's "
                             "grid; resample it onto the image first", s->norm_ref_mask);
            rad_mask_free(file);
            return NULL;
        }
        data = file->data;
        if (label)
            snprintf(what, wsize, "label %d of the reference mask '%s'", label, s->norm_ref_mask);
        else
            snprintf(what, wsize, "the reference mask '%s' (every non-zero voxel)", s->norm_ref_mask);
    } else {
        snprintf(what, wsize, "label %d of the ROI's mask", label);
        if (label == mask->label) {
            rad_error_set("normalisation: settings.normalise.label = %d is the ROI's own label: the reference region "
                          "must be another label of the mask (or give normalise.mask = \"file\")", label);
            return NULL;
        }
        if (mask->label == 0) {
            rad_error_set("normalisation: the ROI is every non-zero voxel of the mask, which includes the reference "
                          "label %d (settings.normalise.label): select the ROI's own label when reading the mask "
                          "(rad.read_mask(path, {label = k}))", label);
            return NULL;
        }
    }
    r = rad_malloc(n ? n : 1, "reference region");
    if (!r) {
        rad_mask_free(file);
        return NULL;
    }
    for (size_t v = 0; v < n; v++) {
        r[v] = label ? data[v] == label : data[v] != 0;
        count += r[v];
    }
    if (!count) {
        labels_present(data, n, present, sizeof present);
        if (file && label)
            rad_error_set("normalisation: settings.normalise.label = %d: no voxel of the reference mask '%s' has label "
                          "%d (labels present: %s); name a label the mask has", label, s->norm_ref_mask, label, present);
        else if (file)
            rad_error_set("normalisation: the reference region is empty: every voxel of the reference mask '%s' "
                          "(settings.normalise.mask) is 0", s->norm_ref_mask);
        else
            rad_error_set("normalisation: settings.normalise.label = %d: no voxel of the ROI's mask has label %d "
                          "(labels present: %s); name a label the mask has", label, label, present);
        free(r);
        rad_mask_free(file);
        return NULL;
    }
    rad_mask_free(file);
    return r;
}

/* Normalise x[0..n-1] in place (see above); roi is the 0/1 ROI on the
 * image's grid.  0, or -1 with a message naming settings.normalise. */
static int normalise(float *x, const uint8_t *roi, const RadImage *img, const RadMask *mask, const RadSettings *s)
{
    static const char *const methods[] = {"", "zscore", "percentile", "reference"};
    size_t n = rad_image_nvox(img), cnt = 0;
    const uint8_t *reg = NULL;
    uint8_t *ref = NULL;
    double *vals = NULL, sum = 0, mu = 0, sd = 0, a = 0, b = 1, k = s->norm_outliers;
    char what[RAD_NORM_PATH_MAX + 96];
    int ret = -1;

    if (s->norm == RAD_NORM_REFERENCE) {
        if (!(ref = reference_region(img, mask, s, what, sizeof what)))
            return -1;
        reg = ref;
    } else if (s->norm_scope == RAD_NORM_SCOPE_ROI) {
        reg = roi;
        snprintf(what, sizeof what, "the ROI");
    } else
        snprintf(what, sizeof what, "the image");

    /* mean (and the values, for percentiles) over the finite voxels of the region */
    if (s->norm == RAD_NORM_PERCENTILE && !(vals = rad_malloc((n ? n : 1) * sizeof *vals, "normalisation values")))
        goto done;
    for (size_t v = 0; v < n; v++)
        if ((!reg || reg[v]) && isfinite(x[v])) {
            sum += x[v];
            if (vals)
                vals[cnt] = x[v];
            cnt++;
        }
    if (!cnt) {
        rad_error_set("normalisation (settings.normalise, method \"%s\"): %s has no finite intensities", methods[s->norm],
                      what);
        goto done;
    }
    mu = sum / (double)cnt;

    if (s->norm == RAD_NORM_PERCENTILE) {
        double qlo, qhi;
        qsort(vals, cnt, sizeof *vals, cmp_double);
        qlo = quantile7(vals, cnt, s->norm_p_lo / 100);
        qhi = quantile7(vals, cnt, s->norm_p_hi / 100);
        if (!(qhi > qlo)) {
            rad_error_set("normalisation (settings.normalise, method \"percentile\"): percentiles %g and %g of %s (%zu "
                          "voxels) are both %g, so the map is undefined: widen normalise.percentiles%s",
                          s->norm_p_lo, s->norm_p_hi, what, cnt, qlo,
                          s->norm_scope == RAD_NORM_SCOPE_ROI ? " or use scope = \"image\"" : "");
            goto done;
        }
        /* y = to_lo + (x - qlo) * scale */
        b = (s->norm_to_hi - s->norm_to_lo) / (qhi - qlo);
        a = s->norm_to_lo - qlo * b;
        for (size_t v = 0; v < n; v++)
            x[v] = (float)(a + b * (double)x[v]);
        ret = 0;
        goto done;
    }

    if (s->norm == RAD_NORM_REFERENCE && s->norm_ref_stat == RAD_NORM_STAT_MEAN) {
        if (mu == 0) {
            rad_error_set("normalisation (settings.normalise, statistic \"mean\"): the mean intensity of %s is 0, so x / "
                          "mean is undefined: use statistic = \"zscore\" or another reference region", what);
            goto done;
        }
        for (size_t v = 0; v < n; v++)
            x[v] = (float)((double)x[v] / mu);
        ret = 0;
        goto done;
    }

    /* z-score: the SD about mu, second pass (no cancellation) */
    {
        double ss = 0, div;
        for (size_t v = 0; v < n; v++)
            if ((!reg || reg[v]) && isfinite(x[v])) {
                double e = x[v] - mu;
                ss += e * e;
            }
        div = s->norm_sd == RAD_NORM_SD_SAMPLE ? (double)cnt - 1 : (double)cnt;
        if (div < 1) {
            rad_error_set("normalisation (settings.normalise, sd = \"sample\"): %s has one voxel, and the sample "
                          "standard deviation needs two: use sd = \"population\" or a larger region", what);
            goto done;
        }
        sd = sqrt(ss / div);
        if (!(sd > 0)) {
            rad_error_set("normalisation (settings.normalise, method \"%s\"): the standard deviation of %s (%zu voxel%s) "
                          "is 0, every intensity is %g, so z-scores are undefined: %s", methods[s->norm], what, cnt,
                          cnt == 1 ? "" : "s", mu,
                          s->norm == RAD_NORM_REFERENCE ? "use statistic = \"mean\" or another reference region"
                          : s->norm_scope == RAD_NORM_SCOPE_ROI ? "use scope = \"image\" or another method"
                                                                : "use another method");
            goto done;
        }
    }
    for (size_t v = 0; v < n; v++) {
        double z = ((double)x[v] - mu) / sd;
        if (s->norm == RAD_NORM_ZSCORE) {
            if (k > 0)
                z = z > k ? k : z < -k ? -k : z;
            z *= s->norm_scale;
        }
        x[v] = (float)z;
    }
    ret = 0;
done:
    free(vals);
    free(ref);
    return ret;
}

/* ---- the pipeline ------------------------------------------------------------------- */

/* Whether rounding would leave every value as it is. */
static int all_integral(const float *x, size_t n)
{
    for (size_t v = 0; v < n; v++)
        if (isfinite(x[v]) && x[v] != floorf(x[v]))
            return 0;
    return 1;
}

static void round_values(float *x, size_t n)
{
    for (size_t v = 0; v < n; v++)
        x[v] = roundf(x[v]);
}

/* The two interpolations of rad_roi_prepare as pool jobs (0: image, 1: mask);
 * each keeps its own message (messages are per thread). */
typedef struct Resampling {
    const RadImage *src;
    const RadMask *mask;
    const RadGeometry *grid;
    const RadSettings *s;
    RadImage *image;
    RadMask *mask_out;
    char err[2][512];
} Resampling;

static int resample_job(size_t i, void *ctx)
{
    Resampling *r = ctx;
    if (i == 0)
        r->image = rad_image_resample(r->src, r->grid, r->s->interp);
    else
        r->mask_out = rad_mask_resample(r->mask, r->grid, r->s->mask_interp, r->s->mask_threshold);
    if (i == 0 ? !r->image : !r->mask_out) {
        snprintf(r->err[i], sizeof r->err[i], "%s", rad_error_message());
        return 1;
    }
    return 0;
}

int rad_roi_prepare(const RadImage *img, const RadMask *mask, const RadSettings *s, RadRoi *roi, RadFeatureSet *diag)
{
    return rad_roi_prepare_threads(img, mask, s, roi, diag, 0);
}

int rad_roi_prepare_threads(const RadImage *img, const RadMask *mask, const RadSettings *s, RadRoi *roi,
                            RadFeatureSet *diag, int threads)
{
    size_t n0, n, count0;
    uint8_t *m0 = NULL;
    int m0_borrowed = 0;
    float *x0 = NULL;
    const float *xin;
    double d[N_DIAG], mean, xmin, xmax, lo, hi;
    char rng[96];
    const RadGeometry *g0 = &img->geom;

    memset(roi, 0, sizeof *roi);
    if (rad_settings_check(s) != 0 || rad_check_same_geometry(img, mask, RAD_GEOMETRY_TOL) != 0)
        return -1;

    /* (a) the initial image, rounded on request, and the selected label.
     * The image is copied only when rounding changes a value (fresh memory
     * is not free: each new page costs a fault); without interpolation and
     * rounding the ROI reads the input image itself. */
    n0 = rad_image_nvox(img);
    xin = img->data;
    if (s->round_input && !all_integral(img->data, n0)) {
        x0 = rad_malloc(n0 * sizeof *x0, "ROI image");
        if (!x0)
            goto fail;
        memcpy(x0, img->data, n0 * sizeof *x0);
        if (s->round_input && !all_integral(x0, n0))
            round_values(x0, n0);
        xin = x0;
    }
    /* a mask of labels 0 and 1 selecting the 1s (or every non-zero
     * voxel) already is the 0/1 ROI: read it in place (no fresh memory) */
    count0 = 0;
    if (mask->label == 0 || mask->label == 1) {
        size_t v = 0;
        while (v < n0 && mask->data[v] <= 1)
            count0 += mask->data[v++];
        if (v == n0)
            m0 = mask->data, m0_borrowed = 1;
        count0 = m0_borrowed ? count0 : 0;
    }
    if (!m0_borrowed) {
        m0 = rad_calloc(n0, 1, "ROI mask");
        if (!m0)
            goto fail;
        for (size_t v = 0; v < n0; v++)
            if (rad_mask_in(mask, v)) {
                m0[v] = 1;
                count0++;
            }
    }
    if (!count0) {
        if (mask->label)
            rad_error_set("the mask selects no voxels: no voxel has label %d (check the label)", mask->label);
        else
            rad_error_set("the mask selects no voxels: every voxel is 0");
        goto fail;
    }
    if (nonfinite_error(xin, m0, g0, "") != 0)
        goto fail;
    /* (a') intensity normalisation (PCDE): on the image's own grid, before
     * interpolation, on a copy (the input image is never written) */
    if (s->norm != RAD_NORM_NONE) {
        if (!x0) {
            x0 = rad_malloc(n0 * sizeof *x0, "normalised image");
            if (!x0)
                goto fail;
            memcpy(x0, img->data, n0 * sizeof *x0);
            xin = x0;
        }
        if (normalise(x0, m0, img, mask, s) != 0)
            goto fail;
    }
    img_diag(xin, g0, d);
    roi_diag(xin, m0, count0, m0, count0, g0, d + 2 * N_IMG_ROWS);

    /* (b) interpolation (VTM2) */
    if (s->resample) {
        RadGeometry grid;
        RadImage src = {*g0, (float *)xin}, *ri; /* read only */
        RadMask *rm;
        char gd[256];
        /* PyRadiomics keeps an integer image's pixel type: interpolated
         * values are cast back (SimpleITK truncates toward zero) */
        int pyr = s->compat == RAD_COMPAT_PYRADIOMICS, cast = pyr && all_integral(xin, n0);
        if ((pyr ? rad_pyrad_resample_grid(g0, m0, s->spacing, s->pyr.pad, &grid)
                 : rad_resample_grid(g0, s->spacing, s->resample_2d, &grid)) != 0)
            goto fail;
        {
            /* image and mask are interpolated independently: side by side */
            Resampling rs = {&src, mask, &grid, s, NULL, NULL, {"", ""}};
            rad_pool_run(2, threads, resample_job, &rs, 0, NULL);
            ri = rs.image;
            rm = rs.mask_out;
            if (!ri || !rm) {
                /* the image's message first, as when run one after the other;
                 * a job the pool did not start was stopped by the interrupt */
                const char *e = rs.err[ri ? 1 : 0];
                if (e[0])
                    rad_error_set("%s", e);
                else if (rad_interrupt_check() == 0)
                    rad_error_set("interpolation not run (internal error)");
                rad_image_free(ri);
                rad_mask_free(rm);
                goto fail;
            }
        }
        roi->image = ri->data;
        ri->data = NULL;
        rad_image_free(ri);
        if (s->round_intensities) /* 68QD */
            round_values(roi->image, rad_geometry_nvox(&grid));
        if (cast)
            for (size_t v = 0; v < rad_geometry_nvox(&grid); v++)
                roi->image[v] = truncf(roi->image[v]);
        roi->morph = rm->data;
        rm->data = NULL;
        rad_mask_free(rm);
        roi->geom = grid;
        free(x0);
        if (!m0_borrowed)
            free(m0);
        x0 = NULL;
        m0 = NULL;
        n = rad_geometry_nvox(&grid);
        for (size_t v = 0; v < n; v++)
            roi->n_morph += roi->morph[v];
        if (!roi->n_morph) {
            rad_geometry_describe(&grid, gd, sizeof gd);
            rad_error_set("the ROI is empty after interpolation to %s: none of its %zu voxels keeps a partial-volume "
                          "fraction >= %g; lower the mask threshold or use a finer spacing", gd, count0,
                          s->mask_threshold);
            goto fail;
        }
        if (nonfinite_error(roi->image, roi->morph, &grid, " after interpolation") != 0)
            goto fail;
    } else {
        roi->geom = *g0;
        roi->image = x0 ? x0 : img->data;
        roi->image_borrowed = x0 == NULL;
        roi->morph = m0;
        roi->morph_borrowed = m0_borrowed;
        roi->n_morph = count0;
        x0 = NULL;
        m0 = NULL;
        n = n0;
    }
    if (s->resample) {
        img_diag(roi->image, &roi->geom, d + N_IMG_ROWS);
        roi_diag(roi->image, roi->morph, roi->n_morph, roi->morph, roi->n_morph, &roi->geom,
                 d + 2 * N_IMG_ROWS + N_ROI_ROWS);
    } else {
        /* no interpolation: the interpolated image and ROI are the initial ones */
        memcpy(d + N_IMG_ROWS, d, N_IMG_ROWS * sizeof *d);
        memcpy(d + 2 * N_IMG_ROWS + N_ROI_ROWS, d + 2 * N_IMG_ROWS, N_ROI_ROWS * sizeof *d);
    }

    /* (c) re-segmentation (IF9H): range (USB3) and outliers (7ACA), intersected */
    lo = -INFINITY;
    hi = INFINITY;
    if (s->reseg_range) {
        lo = s->reseg_lo;
        hi = s->reseg_hi;
    }
    if (s->outlier_sigma > 0) {
        /* mu and population sigma of the ROI before re-segmentation */
        double sum = 0, ss = 0, mu, sd;
        for (size_t v = 0; v < n; v++)
            if (roi->morph[v])
                sum += roi->image[v];
        mu = sum / (double)roi->n_morph;
        for (size_t v = 0; v < n; v++)
            if (roi->morph[v]) {
                double e = roi->image[v] - mu;
                ss += e * e;
            }
        sd = sqrt(ss / (double)roi->n_morph);
        if (mu - s->outlier_sigma * sd > lo)
            lo = mu - s->outlier_sigma * sd;
        if (mu + s->outlier_sigma * sd < hi)
            hi = mu + s->outlier_sigma * sd;
    }
    /* calloc: only the pages the ROI touches get written */
    roi->grey = rad_calloc(n, sizeof *roi->grey, "grey levels");
    if (!roi->grey)
        goto fail;
    if (lo == -INFINITY && hi == INFINITY) {
        /* no re-segmentation: every voxel of the ROI is finite (checked
         * above), so the intensity mask is the morphological one */
        roi->mask = roi->morph;
        roi->mask_is_morph = 1;
        roi->n_mask = roi->n_morph;
    } else {
        roi->mask = rad_calloc(n, 1, "ROI intensity mask");
        if (!roi->mask)
            goto fail;
        roi->n_mask = 0;
        for (size_t v = 0; v < n; v++)
            if (roi->morph[v] && roi->image[v] >= lo && roi->image[v] <= hi) {
                roi->mask[v] = 1;
                roi->n_mask++;
            }
    }
    if (!roi->n_mask) {
        value_stats(roi->image, roi->morph, n, &mean, &xmin, &xmax);
        describe_range(lo, hi, rng, sizeof rng);
        rad_error_set("the ROI is empty after re-segmentation to %s%s: its %zu voxels have intensities from %g to %g; "
                      "widen the re-segmentation range%s", rng,
                      s->outlier_sigma > 0 ? " (range and outlier filter combined)" : "", roi->n_morph, xmin, xmax,
                      s->outlier_sigma > 0 ? " or the outlier filter" : "");
        goto fail;
    }
    roi_diag(roi->image, roi->mask, roi->n_mask, roi->morph, roi->n_morph, &roi->geom,
             d + 2 * N_IMG_ROWS + 2 * N_ROI_ROWS);

    /* (d) discretisation (4R0B) over the intensity mask */
    value_stats(roi->image, roi->mask, n, &mean, &xmin, &xmax);
    if (rad_interrupt_check() != 0 || discretise(roi, s, xmin, xmax) != 0)
        goto fail;

    /* (e) the box of the morphological mask, which contains the intensity mask */
    mask_box(roi->morph, roi->geom.dim, &roi->box);
    roi->is_2d = roi->geom.ndim == 2;

    /* (f) the diagnostic rows, in the order of the IBSI reference tables */
    if (diag)
        for (int i = 0; i < N_DIAG; i++)
            if (rad_featureset_add(diag, defs[i].tag, d[i]) != 0)
                goto fail;
    return 0;

fail:
    free(x0);
    if (!m0_borrowed)
        free(m0);
    rad_roi_free(roi);
    return -1;
}

void rad_roi_free(RadRoi *roi)
{
    if (!roi)
        return;
    if (!roi->image_borrowed)
        free(roi->image);
    if (!roi->mask_is_morph)
        free(roi->mask);
    if (!roi->morph_borrowed)
        free(roi->morph);
    free(roi->grey);
    memset(roi, 0, sizeof *roi);
}
