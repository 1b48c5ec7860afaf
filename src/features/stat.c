/* radlab: intensity-based statistical features (IBSI UHIW).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The 18 features of IBSI 1 section "Intensity-based statistical features"
 * (docs/03_Image_features.rst, family UHIW), computed on the set X_gl of the
 * intensities of the voxels in the ROI intensity mask (roi->image over
 * roi->mask), in 3D over the whole volume (DHQ4): no discretisation, no
 * aggregation suffix.
 *
 * Percentiles.  IBSI names P10, P25, P75 and P90 without fixing an estimator;
 * the reference values (e.g. the digital phantom's P90 = 4, where "some
 * implementations were found to produce 4.2") follow the linear interpolation
 * between order statistics (Hyndman and Fan type 7, the default of R's
 * quantile() and of numpy.percentile):
 *     h = (N_v - 1) p,  P = x_(floor h) + (h - floor h) (x_(floor h + 1) - x_(floor h))
 * with x_(0) <= ... <= x_(N_v - 1) the sorted intensities.  The median is P50.
 *
 * Degenerate input (conventions):
 *   - constant ROI (variance 0): skewness and kurtosis are 0, as IBSI KE2A and
 *     IPH6 prescribe;
 *   - mean 0: the coefficient of variation (7TET) is undefined: NaN;
 *   - P75 + P25 = 0: the quartile coefficient of dispersion (9S40) is
 *     undefined: NaN;
 *   - a single voxel is a constant ROI: every dispersion feature is 0;
 *   - two distinct voxels: no intensity lies within [P10, P90], so the robust
 *     mean absolute deviation (1128) averages over an empty set: NaN;
 *   (NaN is "undefined for this ROI"; rad_extract's warning names it);
 *   - a non-finite intensity inside the ROI is an error (it would make every
 *     feature NaN).
 *
 * Cost: one pass to gather the intensities, an O(N) radix sort of the float
 * keys and two passes for the moments (about 2 ms for the 125,256 voxels of
 * the IBSI CT phantom).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {
    {"stat_mean", "Q4LE", "Mean intensity", ""},
    {"stat_var", "ECT3", "Intensity variance", ""},
    {"stat_skew", "KE2A", "Intensity skewness", ""},
    {"stat_kurt", "IPH6", "(Excess) intensity kurtosis", ""},
    {"stat_median", "Y12H", "Median intensity", ""},
    {"stat_min", "1GSF", "Minimum intensity", ""},
    {"stat_p10", "QG58", "10th intensity percentile", ""},
    {"stat_p90", "8DWT", "90th intensity percentile", ""},
    {"stat_max", "84IY", "Maximum intensity", ""},
    {"stat_iqr", "SALO", "Intensity interquartile range", ""},
    {"stat_range", "2OJQ", "Intensity range", ""},
    {"stat_mad", "4FUA", "Intensity-based mean absolute deviation", ""},
    {"stat_rmad", "1128", "Intensity-based robust mean absolute deviation", ""},
    {"stat_medad", "N72L", "Intensity-based median absolute deviation", ""},
    {"stat_cov", "7TET", "Intensity-based coefficient of variation", ""},
    {"stat_qcod", "9S40", "Intensity-based quartile coefficient of dispersion", ""},
    {"stat_energy", "N8CA", "Intensity-based energy", ""},
    {"stat_rms", "5ZWQ", "Root mean square intensity", ""},
    {NULL, NULL, NULL, NULL}};

/* The intensities of the ROI intensity mask, in *out (malloc'd), count in *n.
 * Walks the bounding box; should the box not hold all n_mask voxels (a
 * hand-made RadRoi), walks the whole grid instead. */
static int gather(const RadRoi *roi, float **out, size_t *n)
{
    const RadGeometry *g = &roi->geom;
    size_t nx = g->dim[0], ny = g->dim[1], nz = g->dim[2];
    size_t nvox = nx * ny * nz, k = 0;
    float *x;
    int boxok = roi->box.hi[0] < nx && roi->box.hi[1] < ny && roi->box.hi[2] < nz &&
                roi->box.lo[0] <= roi->box.hi[0] && roi->box.lo[1] <= roi->box.hi[1] &&
                roi->box.lo[2] <= roi->box.hi[2];

    if (!roi->image || !roi->mask || nvox == 0)
        return rad_error_set("intensity statistics: the ROI has no image or mask");
    x = rad_malloc((roi->n_mask ? roi->n_mask : 1) * sizeof *x, "ROI intensities");
    if (!x)
        return -1;
    if (boxok) {
        for (size_t c = roi->box.lo[2]; c <= roi->box.hi[2]; c++)
            for (size_t b = roi->box.lo[1]; b <= roi->box.hi[1]; b++) {
                size_t v = roi->box.lo[0] + nx * (b + ny * c);
                for (size_t a = roi->box.lo[0]; a <= roi->box.hi[0]; a++, v++)
                    if (roi->mask[v]) {
                        if (k == roi->n_mask)
                            goto whole; /* n_mask is wrong: count properly */
                        x[k++] = roi->image[v];
                    }
            }
        if (k == roi->n_mask)
            goto done;
    }
whole:
    k = 0;
    for (size_t v = 0; v < nvox; v++)
        k += roi->mask[v] != 0;
    if (k != roi->n_mask) {
        free(x);
        x = rad_malloc((k ? k : 1) * sizeof *x, "ROI intensities");
        if (!x)
            return -1;
    }
    k = 0;
    for (size_t v = 0; v < nvox; v++)
        if (roi->mask[v])
            x[k++] = roi->image[v];
done:
    if (k == 0) {
        free(x);
        return rad_error_set("intensity statistics: the ROI intensity mask is empty");
    }
    for (size_t i = 0; i < k; i++)
        if (!isfinite(x[i])) {
            free(x);
            return rad_error_set("intensity statistics: the ROI holds a non-finite intensity "
                                 "(NaN or infinity); mask it out or fix the image");
        }
    *out = x;
    *n = k;
    return 0;
}

/* Order-preserving map of a float to an unsigned key (and back): negative
 * numbers have all bits flipped, positive ones only the sign bit. */
static inline uint32_t float_key(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

static inline float key_float(uint32_t u)
{
    float f;
    u = (u & 0x80000000u) ? (u & 0x7fffffffu) : ~u;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Sort x[0..n-1] ascending: LSD radix sort, 4 passes of 8 bits over the keys
 * (a pass is skipped when every key has the same byte there). */
static int sort_floats(float *x, size_t n)
{
    uint32_t *a = rad_malloc(n * sizeof *a, "sort keys");
    uint32_t *b = rad_malloc(n * sizeof *b, "sort keys");
    if (!a || !b) {
        free(a);
        free(b);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        a[i] = float_key(x[i]);
    for (int shift = 0; shift < 32; shift += 8) {
        size_t count[256] = {0}, pos = 0;
        uint32_t *t;
        for (size_t i = 0; i < n; i++)
            count[(a[i] >> shift) & 0xffu]++;
        if (count[(a[0] >> shift) & 0xffu] == n)
            continue;
        for (int d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[(a[i] >> shift) & 0xffu]++] = a[i];
        t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = key_float(a[i]);
    free(a);
    free(b);
    return 0;
}

/* Percentile p (0..1) of sorted x: linear interpolation between order
 * statistics (Hyndman-Fan type 7; see the head of this file). */
static double percentile(const float *x, size_t n, double p)
{
    double h = (double)(n - 1) * p, f = floor(h);
    size_t lo = (size_t)f;
    if (lo >= n - 1)
        return x[n - 1];
    return (double)x[lo] + (h - f) * ((double)x[lo + 1] - (double)x[lo]);
}

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    float *x = NULL;
    size_t n = 0;
    double sum = 0, mean, m2 = 0, m3 = 0, m4 = 0, mad = 0, energy = 0;
    double var, skew, kurt, p10, p25, p50, p75, p90, medad = 0, rmad = 0, cov, qcod;
    double vals[18];
    (void)s;

    if (gather(roi, &x, &n) != 0)
        return -1;
    if (sort_floats(x, n) != 0) {
        free(x);
        return -1;
    }
    if (rad_interrupt_check() != 0) {
        free(x);
        return -1;
    }

    /* Q4LE mean and N8CA energy; summing the sorted values (small magnitudes
     * first for positive data) keeps the rounding error low. */
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        sum += v;
        energy += v * v;
    }
    mean = sum / (double)n;

    /* Central moments about the mean (second pass, numerically stable):
     * ECT3 variance (no bias correction), KE2A, IPH6, 4FUA. */
    for (size_t i = 0; i < n; i++) {
        double d = (double)x[i] - mean, d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
        mad += fabs(d);
    }
    m2 /= (double)n;
    m3 /= (double)n;
    m4 /= (double)n;
    var = m2;
    /* KE2A and IPH6: 0 when the variance is 0 (IBSI).  A variance that is
     * pure rounding noise of a constant ROI is treated as 0 too. */
    if (var > 0 && var > 1e-24 * (mean * mean)) {
        skew = m3 / pow(var, 1.5);
        kurt = m4 / (var * var) - 3.0;
    } else {
        var = var > 0 ? var : 0;
        skew = 0;
        kurt = 0;
    }
    mad /= (double)n;

    p10 = percentile(x, n, 0.10);
    p25 = percentile(x, n, 0.25);
    p50 = percentile(x, n, 0.50); /* Y12H: the sample median */
    p75 = percentile(x, n, 0.75);
    p90 = percentile(x, n, 0.90);

    /* N72L: mean absolute deviation from the median. */
    for (size_t i = 0; i < n; i++)
        medad += fabs((double)x[i] - p50);
    medad /= (double)n;

    /* 1128: the intensities within [P10, P90] form a contiguous run of the
     * sorted array; their mean absolute deviation from their own mean. */
    {
        size_t lo = 0, hi = n, m;
        double s10 = 0, mean10;
        while (lo < n && (double)x[lo] < p10)
            lo++;
        while (hi > lo && (double)x[hi - 1] > p90)
            hi--;
        /* The run is empty only for two distinct voxels (P10 and P90 then
         * both lie strictly between them): rmad is a mean over no voxel,
         * undefined (NaN). */
        m = hi - lo;
        if (m > 0) {
            for (size_t i = lo; i < hi; i++)
                s10 += x[i];
            mean10 = s10 / (double)m;
            for (size_t i = lo; i < hi; i++)
                rmad += fabs((double)x[i] - mean10);
            rmad /= (double)m;
        } else {
            rmad = NAN;
        }
    }

    /* 7TET sigma/mu: undefined (NaN) for mu = 0 (see the head). */
    cov = mean != 0 ? sqrt(var) / mean : NAN;
    /* 9S40: undefined (NaN) when P75 + P25 = 0. */
    qcod = (p75 + p25) != 0 ? (p75 - p25) / (p75 + p25) : NAN;

    vals[0] = mean;
    vals[1] = var;
    vals[2] = skew;
    vals[3] = kurt;
    vals[4] = p50;
    vals[5] = x[0];          /* 1GSF */
    vals[6] = p10;           /* QG58 */
    vals[7] = p90;           /* 8DWT */
    vals[8] = x[n - 1];      /* 84IY */
    vals[9] = p75 - p25;     /* SALO */
    vals[10] = (double)x[n - 1] - (double)x[0]; /* 2OJQ */
    vals[11] = mad;
    vals[12] = rmad;
    vals[13] = medad;
    vals[14] = cov;
    vals[15] = qcod;
    vals[16] = energy;       /* N8CA */
    vals[17] = sqrt(energy / (double)n); /* 5ZWQ */
    free(x);

    for (int i = 0; defs[i].tag; i++) {
        const char *suf[6];
        int ns = rad_aggr_suffixes(RAD_AGGR_KIND_NONE, 0, suf);
        for (int j = 0; j < ns; j++)
            if (rad_featureset_add2(fs, defs[i].tag, suf[j], isfinite(vals[i]) ? vals[i] : NAN) != 0)
                return -1;
    }
    return 0;
}

const RadFamily rad_family_stat = {"stat", "Intensity-based statistics", "UHIW", RAD_FAM_STAT,
                                   RAD_AGGR_KIND_NONE, defs, compute, 0, NULL};
