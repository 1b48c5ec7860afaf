/* radlab: intensity-volume histogram features (IBSI P88C).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The features of IBSI 1 section "Intensity-volume histogram features"
 * (docs/03_Image_features.rst, family P88C) on the intensities X_gl of the
 * ROI intensity mask (roi->image over roi->mask), in 3D (DHQ4):
 *     ivh_v10, ivh_v90 (BC2M), ivh_i10, ivh_i90 (GBPN),
 *     ivh_diff_v10_v90 (DDTU), ivh_diff_i10_i90 (CNV2).
 * The area under the IVH curve (9CMM) is left out: IBSI gives no reference
 * value for it and its integration variable differs between implementations.
 *
 * The IVH has its own discretisation (s->ivh), giving the discretised set
 * X_d,gl, the total range G and the interval w_d (IBSI P88C, "Discrete
 * calibrated", "Continuous calibrated", "Arbitrary intensity units"):
 *   RAD_IVH_DISCRETE  X_d,gl = X_gl, w_d = 1.  G = [ivh_min, ivh_max] when
 *                     given, else the re-segmentation range (an open side is
 *                     replaced by the ROI's min or max), else [min X, max X].
 *   RAD_IVH_FBS       fixed bin size w_b = ivh_width from X_min:
 *                     X_d = floor((X - X_min) / w_b) + 1 and the bin centres
 *                     X_d,gl = X_min + (X_d - 0.5) w_b; G = [X_min + w_b/2,
 *                     X_max - w_b/2], w_d = w_b.  [X_min, X_max] is the IVH
 *                     range when given, else the re-segmentation range (open
 *                     sides -> ROI min/max), else the ROI range.
 *   RAD_IVH_FBN       fixed bin number N_b = ivh_bins over [X_min, X_max] =
 *                     the ROI range (the re-segmentation range is not used,
 *                     as IBSI says; an explicit IVH range is honoured, values
 *                     outside it going to bins 1 and N_b):
 *                     X_d = floor(N_b (X - X_min) / (X_max - X_min)) + 1,
 *                     X_max -> N_b; X_d,gl = X_d, w_d = 1, G = [1, N_b].
 *
 * The IVH is evaluated at i = min(G) + k w_d, k = 0, 1, ..., with
 *     nu_i    = 1 - (1/N_v) sum_k [X_d,gl,k < i]              (fractional volume)
 *     gamma_i = (i - min G) / (max G - min G)                  (intensity fraction)
 *   V_x (BC2M): the largest nu with gamma >= x; nu falls with i, so it is nu
 *               at the smallest grid i with gamma_i >= x;
 *   I_x (GBPN): the smallest grid i with nu_i <= x.
 * Neither needs the histogram itself: V_x counts the voxels at or above one
 * intensity, I_x is one order statistic of X_d,gl (found by selection), so
 * the cost is O(N_v) whatever the size of G.
 *
 * Conventions for degenerate input:
 *   - I_x may lie beyond max(G): when the voxels at max(G) hold more than x
 *     of the volume, nu first drops to <= x at the next grid intensity
 *     (e.g. a constant ROI of intensity c with G = [c, c] gives
 *     I10 = I90 = c + w_d);
 *   - max(G) = min(G) (a single intensity and no range): gamma is 0/0, so
 *     V10, V90 and V10 - V90 are undefined (NaN; rad_extract's warning
 *     names them); I_x needs nu only and stays defined;
 *   - when (max G - min G) is not a multiple of w_d no grid point may reach
 *     gamma >= x at the top; V_x then uses the last grid point inside G;
 *   - a non-finite intensity inside the ROI is an error.
 */
#include <math.h>
#include <stdlib.h>

#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {
    {"ivh_v10", "BC2M", "Volume at intensity fraction 10%", ""},
    {"ivh_v90", "BC2M", "Volume at intensity fraction 90%", ""},
    {"ivh_i10", "GBPN", "Intensity at volume fraction 10%", ""},
    {"ivh_i90", "GBPN", "Intensity at volume fraction 90%", ""},
    {"ivh_diff_v10_v90", "DDTU", "Volume fraction difference between intensity fractions", ""},
    {"ivh_diff_i10_i90", "CNV2", "Intensity fraction difference between volume fractions", ""},
    {NULL, NULL, NULL, NULL}};

/* The intensities of the intensity mask as doubles (malloc'd).  Walks the
 * bounding box; if the box does not hold all n_mask voxels (a hand-made
 * RadRoi), walks the whole grid instead. */
static int gather(const RadRoi *roi, double **out, size_t *n)
{
    const RadGeometry *g = &roi->geom;
    size_t nx = g->dim[0], ny = g->dim[1], nz = g->dim[2], nvox = nx * ny * nz, k = 0, cap;
    const RadBox *b = &roi->box;
    double *x;
    int boxok = b->hi[0] < nx && b->hi[1] < ny && b->hi[2] < nz && b->lo[0] <= b->hi[0] &&
                b->lo[1] <= b->hi[1] && b->lo[2] <= b->hi[2];

    if (!roi->image || !roi->mask || nvox == 0)
        return rad_error_set("intensity-volume histogram: the ROI has no image or mask");
    cap = roi->n_mask;
    if (!boxok || cap == 0) {
        cap = 0;
        for (size_t v = 0; v < nvox; v++)
            cap += roi->mask[v] != 0;
        boxok = 0;
    }
    if (cap == 0)
        return rad_error_set("intensity-volume histogram: the ROI intensity mask is empty");
    x = rad_malloc(cap * sizeof *x, "ROI intensities");
    if (!x)
        return -1;
    if (boxok) {
        for (size_t c = b->lo[2]; c <= b->hi[2] && k <= cap; c++)
            for (size_t y = b->lo[1]; y <= b->hi[1] && k <= cap; y++) {
                size_t v = b->lo[0] + nx * (y + ny * c);
                for (size_t a = b->lo[0]; a <= b->hi[0]; a++, v++)
                    if (roi->mask[v]) {
                        if (k == cap) {
                            k = cap + 1; /* n_mask too small: recount below */
                            break;
                        }
                        x[k++] = roi->image[v];
                    }
            }
    }
    if (!boxok || k != cap) {
        /* the box missed voxels or n_mask is wrong: take the whole grid */
        size_t cnt = 0;
        for (size_t v = 0; v < nvox; v++)
            cnt += roi->mask[v] != 0;
        if (cnt != cap) {
            double *t = realloc(x, (cnt ? cnt : 1) * sizeof *x);
            if (!t) {
                free(x);
                return rad_error_set("out of memory (ROI intensities)");
            }
            x = t;
        }
        k = 0;
        for (size_t v = 0; v < nvox; v++)
            if (roi->mask[v])
                x[k++] = roi->image[v];
    }
    if (k == 0) {
        free(x);
        return rad_error_set("intensity-volume histogram: the ROI intensity mask is empty");
    }
    for (size_t i = 0; i < k; i++)
        if (!isfinite(x[i])) {
            free(x);
            return rad_error_set("intensity-volume histogram: the ROI holds a non-finite "
                                 "intensity (NaN or infinity); mask it out or fix the image");
        }
    *out = x;
    *n = k;
    return 0;
}

/* The k-th smallest (0-based) of a[0..n-1]; reorders a.  Quickselect with a
 * median-of-three pivot and three-way partitioning, so runs of equal values
 * (integer CT intensities) cost nothing extra. */
static double kth_smallest(double *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* the answer lies in a[lo..hi-1] */
    while (hi - lo > 1) {
        double p, x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
        size_t lt = lo, i = lo, gt = hi;
        /* median of three */
        p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        /* a[lo..lt-1] < p, a[lt..i-1] == p, a[gt..hi-1] > p */
        while (i < gt) {
            double v = a[i];
            if (v < p) {
                a[i++] = a[lt];
                a[lt++] = v;
            } else if (v > p) {
                a[i] = a[--gt];
                a[gt] = v;
            } else {
                i++;
            }
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return p;
    }
    return a[lo];
}

/* Tolerance for comparisons on the grid scale (grid units). */
#define GRID_EPS 1e-9

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    double *t = NULL, xmin, xmax, gmin, gmax, w, span, vals[6];
    double vfrac[2], ival[2];
    const int pct[2] = {10, 90};
    size_t n = 0;
    long kmax;

    if (gather(roi, &t, &n) != 0)
        return -1;
    xmin = xmax = t[0];
    for (size_t i = 1; i < n; i++) {
        if (t[i] < xmin)
            xmin = t[i];
        if (t[i] > xmax)
            xmax = t[i];
    }

    /* Discretise: t becomes each voxel's position on the IVH grid,
     * (X_d,gl - min G) / w_d, so that grid point k is intensity gmin + k w. */
    if (s->ivh == RAD_IVH_FBN) {
        int nb = s->ivh_bins;
        double lo = s->has_ivh_range ? s->ivh_min : xmin;
        double hi = s->has_ivh_range ? s->ivh_max : xmax;
        if (nb < 1) {
            free(t);
            return rad_error_set("intensity-volume histogram: bin number must be >= 1, got %d", nb);
        }
        for (size_t i = 0; i < n; i++) {
            double d = hi > lo ? floor(nb * (t[i] - lo) / (hi - lo)) + 1 : 1;
            if (d > nb) /* X_max itself goes to the last bin */
                d = nb;
            if (d < 1)
                d = 1;
            t[i] = d - 1;
        }
        gmin = 1;
        gmax = nb;
        w = 1;
    } else {
        /* calibrated intensities: the range [X_min, X_max] */
        double lo, hi;
        if (s->has_ivh_range) {
            lo = s->ivh_min;
            hi = s->ivh_max;
        } else if (s->reseg_range) {
            lo = isfinite(s->reseg_lo) ? s->reseg_lo : xmin;
            hi = isfinite(s->reseg_hi) ? s->reseg_hi : xmax;
        } else {
            lo = xmin;
            hi = xmax;
        }
        if (!(lo <= hi) || !isfinite(lo) || !isfinite(hi)) {
            free(t);
            return rad_error_set("intensity-volume histogram: the intensity range [%g, %g] is "
                                 "empty; check the IVH or re-segmentation range", lo, hi);
        }
        if (s->ivh == RAD_IVH_FBS) {
            w = s->ivh_width;
            if (!(w > 0) || !isfinite(w)) {
                free(t);
                return rad_error_set("intensity-volume histogram: bin width must be > 0, got %g", w);
            }
            /* bin X_d - 1 = floor((X - X_min) / w_b); its centre is grid point X_d - 1 */
            for (size_t i = 0; i < n; i++)
                t[i] = floor((t[i] - lo) / w);
            gmin = lo + 0.5 * w;
            gmax = hi - 0.5 * w;
            if (gmax < gmin) /* range narrower than one bin */
                gmax = gmin;
        } else {
            w = 1;
            for (size_t i = 0; i < n; i++)
                t[i] -= lo;
            gmin = lo;
            gmax = hi;
        }
    }
    span = gmax - gmin;
    kmax = (long)floor(span / w + GRID_EPS);

    /* BC2M: V_x = nu at the first grid point with gamma >= x. */
    for (int j = 0; j < 2; j++) {
        long k = 0;
        size_t cnt = 0;
        if (span > 0) {
            k = (long)ceil(pct[j] / 100.0 * span / w - GRID_EPS);
            if (k > kmax)
                k = kmax;
            if (k < 0)
                k = 0;
        }
        for (size_t i = 0; i < n; i++)
            cnt += t[i] >= (double)k - GRID_EPS;
        vfrac[j] = (double)cnt / (double)n;
    }
    if (rad_interrupt_check() != 0) {
        free(t);
        return -1;
    }

    /* GBPN: I_x = the smallest grid point i with nu_i <= x, i.e. with at most
     * m = floor(x N_v) voxels at or above it: the first grid point above the
     * (N_v - m)-th smallest voxel. */
    for (int j = 0; j < 2; j++) {
        size_t m = (n * (size_t)pct[j]) / 100;
        double k = 0;
        if (m < n) {
            double v = kth_smallest(t, n, n - m - 1);
            k = floor(v + GRID_EPS) + 1;
            if (k < 0)
                k = 0;
        }
        ival[j] = gmin + k * w;
    }
    free(t);

    vals[0] = span > 0 ? vfrac[0] : NAN;
    vals[1] = span > 0 ? vfrac[1] : NAN;
    vals[2] = ival[0];
    vals[3] = ival[1];
    vals[4] = vals[0] - vals[1]; /* DDTU: V10 - V90 */
    vals[5] = ival[0] - ival[1];   /* CNV2: I10 - I90 */

    for (int i = 0; defs[i].tag; i++) {
        const char *suf[6];
        int ns = rad_aggr_suffixes(RAD_AGGR_KIND_NONE, 0, suf);
        for (int j = 0; j < ns; j++)
            if (rad_featureset_add2(fs, defs[i].tag, suf[j], isfinite(vals[i]) ? vals[i] : NAN) != 0)
                return -1;
    }
    return 0;
}

const RadFamily rad_family_ivh = {"ivh", "Intensity-volume histogram", "P88C", RAD_FAM_IVH,
                                  RAD_AGGR_KIND_NONE, defs, compute, 0, NULL};
