/* radlab: intensity histogram features (IBSI ZVCW).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The 23 features of IBSI 1 section "Intensity histogram features"
 * (docs/03_Image_features.rst, family ZVCW), computed on the discretised
 * intensities X_d of the ROI intensity mask (roi->grey, levels 1..roi->ng,
 * over roi->mask; the discretisation itself is IBSI 1 section 2.7, done by
 * preprocess.c), in 3D over the whole volume (DHQ4): no aggregation suffix.
 *
 * Everything is computed from the histogram H = {n_1, ..., n_Ng} with
 * p_i = n_i / N_v, so the cost is one pass over the ROI plus O(N_g).
 *
 * Percentiles are those of stat.c (linear interpolation between order
 * statistics, Hyndman-Fan type 7, which reproduces the digital phantom's
 * P90 = 4); the order statistics are read off the cumulative histogram.
 *
 * Conventions:
 *   - mode (AMMC): the most frequent level; on a tie, the level closest to
 *     the mean; between two equidistant levels, the lower one (IBSI);
 *   - histogram gradient (12CE, 8E6O, VQB3, RHQZ): over the non-sparse
 *     histogram i = 1..N_g (empty bins included), one-sided at both ends as
 *     IBSI defines it; with N_g = 1 there is no n_2, so H' and the four
 *     gradient features are undefined (NaN).  When
 *     the maximum (minimum) gradient occurs at several levels, the lowest
 *     such level is reported (IBSI does not say);
 *   - one grey level in the ROI (variance 0): skewness and kurtosis are 0
 *     (IBSI 88K1, C3I7); every dispersion feature is 0, entropy 0,
 *     uniformity 1;
 *   - P10..P90 of two distinct levels enclose no level: the robust mean
 *     absolute deviation (WRZB) averages over nothing: NaN;
 *   - a grey level outside 1..N_g inside the intensity mask is an error of
 *     the preprocessing, reported as such.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {
    {"ih_mean", "X6K6", "Mean discretised intensity", ""},
    {"ih_var", "CH89", "Discretised intensity variance", ""},
    {"ih_skew", "88K1", "Discretised intensity skewness", ""},
    {"ih_kurt", "C3I7", "(Excess) discretised intensity kurtosis", ""},
    {"ih_median", "WIFQ", "Median discretised intensity", ""},
    {"ih_min", "1PR8", "Minimum discretised intensity", ""},
    /* P10 and P90: the ibsi-doc .rst prints 1PR8 (the minimum's identifier)
     * for P10 and GPMT for P90; the IBSI feature list gives GPMT for P10 and
     * OZ0C for P90, which is unique, and is used here. */
    {"ih_p10", "GPMT", "10th discretised intensity percentile", ""},
    {"ih_p90", "OZ0C", "90th discretised intensity percentile", ""},
    {"ih_max", "3NCY", "Maximum discretised intensity", ""},
    {"ih_mode", "AMMC", "Intensity histogram mode", ""},
    {"ih_iqr", "WR0O", "Discretised intensity interquartile range", ""},
    {"ih_range", "5Z3W", "Discretised intensity range", ""},
    {"ih_mad", "D2ZX", "Intensity histogram mean absolute deviation", ""},
    {"ih_rmad", "WRZB", "Intensity histogram robust mean absolute deviation", ""},
    {"ih_medad", "4RNL", "Intensity histogram median absolute deviation", ""},
    {"ih_cov", "CWYJ", "Intensity histogram coefficient of variation", ""},
    {"ih_qcod", "SLWD", "Intensity histogram quartile coefficient of dispersion", ""},
    {"ih_entropy", "TLU2", "Discretised intensity entropy", ""},
    {"ih_uniformity", "BJ5W", "Discretised intensity uniformity", ""},
    {"ih_max_grad", "12CE", "Maximum histogram gradient", ""},
    {"ih_max_grad_g", "8E6O", "Maximum histogram gradient intensity", ""},
    {"ih_min_grad", "VQB3", "Minimum histogram gradient", ""},
    {"ih_min_grad_g", "RHQZ", "Minimum histogram gradient intensity", ""},
    {NULL, NULL, NULL, NULL}};

/* Count grey level g of voxel v into h[1..ng]; -1 on a level out of range. */
static inline int count_voxel(const RadRoi *roi, size_t v, size_t *h, size_t *n)
{
    int g = roi->grey[v];
    if (g < 1 || g > roi->ng)
        return rad_error_set("intensity histogram: grey level %d inside the ROI is outside "
                             "1..%d (discretisation produced an invalid level)", g, roi->ng);
    h[g]++;
    (*n)++;
    return 0;
}

/* The histogram h[0..ng+1] (h[0] and h[ng+1] stay 0) of the intensity mask.
 * Walks the bounding box; if the box does not hold all n_mask voxels (a
 * hand-made RadRoi), walks the whole grid instead. */
static int histogram(const RadRoi *roi, size_t *h, size_t *nv)
{
    const RadGeometry *g = &roi->geom;
    size_t nx = g->dim[0], ny = g->dim[1], nz = g->dim[2], nvox = nx * ny * nz, n = 0;
    const RadBox *b = &roi->box;
    int boxok = b->hi[0] < nx && b->hi[1] < ny && b->hi[2] < nz && b->lo[0] <= b->hi[0] &&
                b->lo[1] <= b->hi[1] && b->lo[2] <= b->hi[2];

    if (boxok) {
        for (size_t c = b->lo[2]; c <= b->hi[2]; c++)
            for (size_t y = b->lo[1]; y <= b->hi[1]; y++) {
                size_t v = b->lo[0] + nx * (y + ny * c);
                for (size_t a = b->lo[0]; a <= b->hi[0]; a++, v++)
                    if (roi->mask[v] && count_voxel(roi, v, h, &n) != 0)
                        return -1;
            }
        if (n == roi->n_mask && n > 0) {
            *nv = n;
            return 0;
        }
        for (int i = 0; i <= roi->ng + 1; i++)
            h[i] = 0;
        n = 0;
    }
    for (size_t v = 0; v < nvox; v++)
        if (roi->mask[v] && count_voxel(roi, v, h, &n) != 0)
            return -1;
    if (n == 0)
        return rad_error_set("intensity histogram: the ROI intensity mask is empty");
    *nv = n;
    return 0;
}

/* The order statistic x_(k) (0-based) of the sample described by h. */
static int order_stat(const size_t *h, int ng, size_t k)
{
    size_t cum = 0;
    for (int i = 1; i <= ng; i++) {
        cum += h[i];
        if (cum > k)
            return i;
    }
    return ng;
}

/* Percentile p (0..1), type 7 (see the head of this file). */
static double percentile(const size_t *h, int ng, size_t n, double p)
{
    double hh = (double)(n - 1) * p, f = floor(hh);
    size_t lo = (size_t)f;
    int a, b;
    if (lo >= n - 1)
        return order_stat(h, ng, n - 1);
    a = order_stat(h, ng, lo);
    b = order_stat(h, ng, lo + 1);
    return a + (hh - f) * (double)(b - a);
}

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    int ng = roi->ng, gmin = 0, gmax = 0, mode = 1, gmaxg = 1, gming = 1;
    size_t *h, n = 0, best = 0;
    double N, mean = 0, m2 = 0, m3 = 0, m4 = 0, mad = 0, medad = 0, rmad = 0;
    double var, skew, kurt, p10, p25, p50, p75, p90, cov, qcod, entropy = 0, unif = 0;
    double gradmax = -INFINITY, gradmin = INFINITY, vals[23];
    (void)s;

    if (!roi->grey || !roi->mask)
        return rad_error_set("intensity histogram: the ROI has no grey levels");
    if (ng < 1)
        return rad_error_set("intensity histogram: the ROI has %d grey levels (need >= 1)", ng);
    h = rad_calloc((size_t)ng + 2, sizeof *h, "intensity histogram");
    if (!h)
        return -1;
    if (histogram(roi, h, &n) != 0 || rad_interrupt_check() != 0) {
        free(h);
        return -1;
    }
    N = (double)n;

    /* X6K6 mean = sum_i i p_i */
    for (int i = 1; i <= ng; i++)
        mean += i * (double)h[i];
    mean /= N;
    /* CH89, 88K1, C3I7 central moments; D2ZX; TLU2 entropy (log2); BJ5W */
    for (int i = 1; i <= ng; i++) {
        double p, d, d2;
        if (!h[i])
            continue;
        p = (double)h[i] / N;
        d = i - mean;
        d2 = d * d;
        m2 += p * d2;
        m3 += p * d2 * d;
        m4 += p * d2 * d2;
        mad += p * fabs(d);
        entropy -= p * log2(p);
        unif += p * p;
        if (!gmin)
            gmin = i;
        gmax = i;
    }
    var = m2;
    if (var > 1e-24 * mean * mean) { /* IBSI: 0 when the variance is 0 */
        skew = m3 / pow(var, 1.5);
        kurt = m4 / (var * var) - 3.0;
    } else {
        var = 0;
        skew = kurt = 0;
    }

    p10 = percentile(h, ng, n, 0.10);
    p25 = percentile(h, ng, n, 0.25);
    p50 = percentile(h, ng, n, 0.50); /* WIFQ: the sample median */
    p75 = percentile(h, ng, n, 0.75);
    p90 = percentile(h, ng, n, 0.90);

    /* AMMC: highest count; ties -> closest to the mean, then the lower level
     * (ascending scan, replaced only when strictly closer). */
    for (int i = 1; i <= ng; i++) {
        if (h[i] > best || (h[i] == best && best > 0 && fabs(i - mean) < fabs(mode - mean))) {
            best = h[i];
            mode = i;
        }
    }

    /* 4RNL: mean absolute deviation from the median. */
    for (int i = 1; i <= ng; i++)
        if (h[i])
            medad += (double)h[i] * fabs(i - p50);
    medad /= N;

    /* WRZB: the levels within [P10, P90], their own mean, and the mean
     * absolute deviation from it. */
    {
        size_t m = 0;
        double s10 = 0, mean10;
        for (int i = 1; i <= ng; i++)
            if (h[i] && i >= p10 && i <= p90) {
                m += h[i];
                s10 += (double)h[i] * i;
            }
        if (m > 0) {
            mean10 = s10 / (double)m;
            for (int i = 1; i <= ng; i++)
                if (h[i] && i >= p10 && i <= p90)
                    rmad += (double)h[i] * fabs(i - mean10);
            rmad /= (double)m;
        } else {
            rmad = NAN;
        }
    }

    /* CWYJ sigma/mu (mu >= 1 since levels start at 1); SLWD (P25 >= 1). */
    cov = sqrt(var) / mean;
    qcod = (p75 - p25) / (p75 + p25);

    /* 12CE, 8E6O, VQB3, RHQZ: H'_1 = n_2 - n_1, H'_i = (n_{i+1} - n_{i-1})/2,
     * H'_Ng = n_Ng - n_{Ng-1}; the first level wins a tie. */
    for (int i = 1; i <= ng; i++) {
        double gr;
        if (ng == 1)
            break; /* no n_2: undefined, see the head */
        if (i == 1)
            gr = (double)h[2] - (double)h[1];
        else if (i == ng)
            gr = (double)h[ng] - (double)h[ng - 1];
        else
            gr = ((double)h[i + 1] - (double)h[i - 1]) / 2.0;
        if (gr > gradmax) {
            gradmax = gr;
            gmaxg = i;
        }
        if (gr < gradmin) {
            gradmin = gr;
            gming = i;
        }
    }
    free(h);

    vals[0] = mean;
    vals[1] = var;
    vals[2] = skew;
    vals[3] = kurt;
    vals[4] = p50;
    vals[5] = gmin;          /* 1PR8 */
    vals[6] = p10;           /* GPMT */
    vals[7] = p90;           /* OZ0C */
    vals[8] = gmax;          /* 3NCY */
    vals[9] = mode;
    vals[10] = p75 - p25;    /* WR0O */
    vals[11] = gmax - gmin;  /* 5Z3W */
    vals[12] = mad;
    vals[13] = rmad;
    vals[14] = medad;
    vals[15] = cov;
    vals[16] = qcod;
    vals[17] = entropy > 0 ? entropy : 0; /* -0 for one level */
    vals[18] = unif;
    vals[19] = ng > 1 ? gradmax : NAN;
    vals[20] = ng > 1 ? gmaxg : NAN;
    vals[21] = ng > 1 ? gradmin : NAN;
    vals[22] = ng > 1 ? gming : NAN;

    for (int i = 0; defs[i].tag; i++) {
        const char *suf[6];
        int ns = rad_aggr_suffixes(RAD_AGGR_KIND_NONE, 0, suf);
        for (int j = 0; j < ns; j++)
            if (rad_featureset_add2(fs, defs[i].tag, suf[j], isfinite(vals[i]) ? vals[i] : NAN) != 0)
                return -1;
    }
    return 0;
}

const RadFamily rad_family_ih = {"ih", "Intensity histogram", "ZVCW", RAD_FAM_IH,
                                 RAD_AGGR_KIND_NONE, defs, compute, 0, NULL};
