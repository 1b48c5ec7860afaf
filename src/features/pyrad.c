/* radlab: PyRadiomics compatibility: its discretisation, definitions and names.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With settings.compat = "pyradiomics" the prepared ROI (normalisation,
 * re-segmentation and interpolation done by preprocess.c) is discretised
 * and measured as PyRadiomics does, and every feature is named as in its
 * output: original_<class>_<Feature>.  The conventions, read from
 * PyRadiomics' documentation and sources (imageoperations.py, firstorder.py,
 * shape.py, glcm.py, glrlm.py, glszm.py, gldm.py, ngtdm.py, cmatrices.c)
 * and tabled in radlab-features(7), PYRADIOMICS COMPATIBILITY:
 *   - fixed bin width: edges at multiples of the width, bin =
 *     floor(x / w) - floor(min / w) + 1; bin count: numpy.histogram edges
 *     over [min, max], the last edge moved up by one;
 *   - first order on the intensities, Energy / TotalEnergy / RootMeanSquared
 *     after adding voxelArrayShift, Kurtosis not excess, percentiles with
 *     linear interpolation (numpy), Entropy / Uniformity on the bins, log2
 *     with eps = 2^-52 inside the logarithm;
 *   - GLCM and GLRLM: one matrix per direction (13 in 3D, 4 with force2D),
 *     grey levels absent from the ROI dropped, features per direction and
 *     averaged over the non-empty directions; weightingNorm sums the
 *     weighted matrices into one;
 *   - GLSZM zones 26-connected (8 in-plane with force2D); GLDM dependence
 *     counts the centre; NGTDM counts every voxel, with s_i += 0 where no
 *     neighbour is in the ROI;
 *   - shape: mesh volume and area of the marching-cubes mesh (morph.c),
 *     diameters over the mesh vertices, PCA with covariance / N.
 */
#include <float.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>

#include "features/features.h"
#include "util/error.h"
#include "util/pool.h"
#include "util/str.h"

#define EPS DBL_EPSILON /* numpy.spacing(1) */

/* The discretised ROI, cropped to the bounding box of the morphological
 * mask (which holds the intensity mask) widened by `pad` voxels of no ROI
 * on every side: bins 1..ng inside the intensity mask.  Outside the box
 * every voxel is outside the ROI, so a neighbour off the grid counts as one
 * outside the ROI, as in PyRadiomics; with the margin, a neighbour up to
 * pad voxels away of a voxel in the ROI is on the grid, one index step
 * away (Dirs.step), with no bounds to check.  The box keeps the voxels in
 * grid order, so sums over them are the same sums. */
typedef struct Bins {
    size_t dim[3], n;   /* the widened box */
    size_t pad;
    uint8_t *in;        /* the intensity mask */
    float *x;           /* the intensities */
    int *g;             /* bin or 0 */
    int ng;             /* the highest bin present (PyRadiomics' Ng) */
    int nlev;           /* bins present */
    int *lev;           /* lev[k]: the k-th bin present (ascending) */
    int *idx;           /* idx[bin]: its index in lev, -1 when absent */
    size_t nvox;
} Bins;

static int add(RadFeatureSet *fs, const char *cls, const char *name, double v)
{
    char tag[96];
    snprintf(tag, sizeof tag, "original_%s_%s", cls, name);
    return rad_featureset_add(fs, tag, v);
}

/* ---- discretisation (imageoperations.getBinEdges / binImage) ---------------------- */

/* numpy.digitize: the number of edges <= x (edges ascending). */
static int digitize(double x, const double *e, int ne)
{
    int lo = 0, hi = ne;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (e[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int bins_make(const RadRoi *roi, const RadSettings *s, Bins *b)
{
    double mn = INFINITY, mx = -INFINITY, *edges = NULL;
    int ne;
    const size_t *gd = roi->geom.dim;
    size_t v = 0;
    memset(b, 0, sizeof *b);
    b->pad = (size_t)(s->distance > 1 ? s->distance : 1); /* the farthest neighbour of any class */
    for (int c = 0; c < 3; c++)
        b->dim[c] = roi->box.hi[c] - roi->box.lo[c] + 1 + 2 * b->pad;
    b->n = b->dim[0] * b->dim[1] * b->dim[2];
    b->in = rad_calloc(b->n, 1, "ROI box");
    b->x = rad_calloc(b->n, sizeof *b->x, "ROI box");
    if (!b->in || !b->x)
        return -1;
    for (size_t z = roi->box.lo[2]; z <= roi->box.hi[2]; z++)
        for (size_t y = roi->box.lo[1]; y <= roi->box.hi[1]; y++) {
            size_t row = roi->box.lo[0] + gd[0] * (y + gd[1] * z);
            v = b->pad + b->dim[0] * (y - roi->box.lo[1] + b->pad + b->dim[1] * (z - roi->box.lo[2] + b->pad));
            memcpy(b->in + v, roi->mask + row, b->dim[0] - 2 * b->pad);
            memcpy(b->x + v, roi->image + row, (b->dim[0] - 2 * b->pad) * sizeof *b->x);
        }
    for (v = 0; v < b->n; v++)
        if (b->in[v]) {
            if (b->x[v] < mn)
                mn = b->x[v];
            if (b->x[v] > mx)
                mx = b->x[v];
            b->nvox++;
        }
    if (s->pyr.bin_count > 0) {
        int k = s->pyr.bin_count;
        double lo = mn, hi = mx;
        if (lo == hi) { /* numpy.histogram of a constant */
            lo -= 0.5;
            hi += 0.5;
        }
        ne = k + 1;
        edges = rad_malloc((size_t)ne * sizeof *edges, "bin edges");
        if (!edges)
            return -1;
        for (int i = 0; i < ne; i++) /* numpy.linspace */
            edges[i] = lo + i * ((hi - lo) / k);
        edges[k] = hi + 1; /* the maximum falls in the last bin */
    } else {
        double w = s->pyr.bin_width, low = mn - (mn - w * floor(mn / w)), high = mx + 2 * w;
        double cnt = ceil((high - low) / w);
        if (!(cnt < 1e7))
            return rad_error_set("pyradiomics.binWidth %g gives %.0f bins over the ROI's intensities [%g, %g]: "
                                 "use a larger binWidth or binCount", w, cnt, mn, mx);
        ne = (int)cnt;
        edges = rad_malloc((size_t)ne * sizeof *edges, "bin edges");
        if (!edges)
            return -1;
        for (int i = 0; i < ne; i++) /* numpy.arange */
            edges[i] = low + i * w;
    }
    b->g = rad_calloc(b->n, sizeof *b->g, "grey levels");
    if (!b->g) {
        free(edges);
        return -1;
    }
    for (v = 0; v < b->n; v++)
        if (b->in[v]) {
            b->g[v] = digitize(b->x[v], edges, ne);
            if (b->g[v] < 1) /* cannot happen: the first edge is <= min */
                b->g[v] = 1;
            if (b->g[v] > b->ng)
                b->ng = b->g[v];
        }
    free(edges);
    b->idx = rad_malloc(((size_t)b->ng + 1) * sizeof *b->idx, "grey level index");
    b->lev = rad_malloc(((size_t)b->ng + 1) * sizeof *b->lev, "grey levels");
    if (!b->idx || !b->lev)
        return -1;
    for (int i = 0; i <= b->ng; i++)
        b->idx[i] = -1;
    for (v = 0; v < b->n; v++)
        if (b->in[v])
            b->idx[b->g[v]] = 0;
    for (int i = 1; i <= b->ng; i++)
        if (b->idx[i] == 0) {
            b->idx[i] = b->nlev;
            b->lev[b->nlev++] = i;
        }
    return 0;
}

static void bins_free(Bins *b)
{
    free(b->in);
    free(b->x);
    free(b->g);
    free(b->idx);
    free(b->lev);
}

/* ---- directions (imageoperations.generateAngles) ------------------------------------ */

/* The offsets (x, y, z) at Chebyshev distance d, and their index steps on
 * the grid of the bins. */
typedef struct Dirs {
    int n;
    int (*off)[3];
    ptrdiff_t *step;
} Dirs;

static void dirs_free(Dirs *dr)
{
    free(dr->off);
    free(dr->step);
}

/* Offsets at Chebyshev distance d (<= b->pad); half: one of each pair
 * +a/-a (the first non-zero of z, y, x positive); with force2D none that
 * moves along the numpy axis force2d_dim (0 = z, 1 = y, 2 = x).  0 or -1. */
static int directions(const RadSettings *s, const Bins *b, int d, int half, Dirs *dr)
{
    size_t most = (size_t)(2 * d + 1) * (size_t)(2 * d + 1) * (size_t)(2 * d + 1);
    dr->n = 0;
    dr->off = rad_malloc(most * sizeof *dr->off, "texture directions");
    dr->step = rad_malloc(most * sizeof *dr->step, "texture directions");
    if (!dr->off || !dr->step) {
        dirs_free(dr);
        return -1;
    }
    for (int z = -d; z <= d; z++)
        for (int y = -d; y <= d; y++)
            for (int x = -d; x <= d; x++) {
                int m = abs(x) > abs(y) ? abs(x) : abs(y);
                int c[3] = {z, y, x}; /* numpy order */
                if ((abs(z) > m ? abs(z) : m) != d)
                    continue;
                if (s->pyr.force2d && c[s->pyr.force2d_dim] != 0)
                    continue;
                if (half) {
                    int first = z ? z : y ? y : x;
                    if (first < 0)
                        continue;
                }
                dr->off[dr->n][0] = x;
                dr->off[dr->n][1] = y;
                dr->off[dr->n][2] = z;
                dr->step[dr->n++] = x + (ptrdiff_t)b->dim[0] * (y + (ptrdiff_t)b->dim[1] * z);
            }
    return 0;
}

/* The voxel `step` away from v: on the grid when v is in the ROI and the
 * step is at most b->pad voxels along each axis. */
static size_t nb(size_t v, ptrdiff_t step)
{
    return (size_t)((ptrdiff_t)v + step);
}

/* The weight of a direction for weightingNorm (GLCM: exp(-norm^2), GLRLM: the norm). */
static double dir_weight(const RadSettings *s, const RadRoi *roi, const int off[3], int glcm)
{
    double a[3], nm = 0;
    for (int c = 0; c < 3; c++)
        a[c] = fabs(off[c] * roi->geom.spacing[c]);
    switch (s->pyr.weighting) {
    case RAD_PYR_WEIGHT_MANHATTAN:
        nm = a[0] + a[1] + a[2];
        break;
    case RAD_PYR_WEIGHT_EUCLIDEAN:
        nm = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        break;
    case RAD_PYR_WEIGHT_INFINITY:
        nm = fmax(a[0], fmax(a[1], a[2]));
        break;
    default:
        return 1;
    }
    return glcm ? exp(-nm * nm) : nm;
}

/* ---- first order (firstorder.py) ------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy.percentile, linear interpolation, of sorted x[0..n-1]. */
static double percentile(const double *x, size_t n, double p)
{
    double pos = p / 100 * (double)(n - 1), f = floor(pos);
    size_t i = (size_t)f;
    if (i + 1 >= n)
        return x[n - 1];
    return x[i] + (pos - f) * (x[i + 1] - x[i]);
}

static int firstorder(const RadRoi *roi, const RadSettings *s, const Bins *b, RadFeatureSet *fs)
{
    size_t n = b->nvox, k = 0, nr = 0;
    double *x = rad_malloc(n * sizeof *x, "first-order values"), *hist;
    double sum = 0, mean, m2 = 0, m3 = 0, m4 = 0, mad = 0, energy = 0, p10, p90, rsum = 0, rmad = 0, ent = 0, uni = 0;
    double vv = roi->geom.spacing[0] * roi->geom.spacing[1] * roi->geom.spacing[2];
    const char *c = "firstorder";
    int rc;
    if (!x)
        return -1;
    hist = rad_calloc((size_t)b->ng + 1, sizeof *hist, "first-order histogram");
    if (!hist) {
        free(x);
        return -1;
    }
    for (size_t v = 0; v < b->n; v++)
        if (b->in[v]) {
            x[k++] = b->x[v];
            hist[b->g[v]]++;
        }
    qsort(x, n, sizeof *x, cmp_double);
    for (size_t i = 0; i < n; i++) {
        double e = x[i] + s->pyr.shift;
        sum += x[i];
        energy += e * e;
    }
    mean = sum / (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - mean;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
        mad += fabs(d);
    }
    m2 /= (double)n;
    m3 /= (double)n;
    m4 /= (double)n;
    p10 = percentile(x, n, 10);
    p90 = percentile(x, n, 90);
    for (size_t i = 0; i < n; i++)
        if (x[i] >= p10 && x[i] <= p90) {
            rsum += x[i];
            nr++;
        }
    for (size_t i = 0; i < n; i++)
        if (x[i] >= p10 && x[i] <= p90)
            rmad += fabs(x[i] - rsum / (double)nr);
    for (int i = 1; i <= b->ng; i++) {
        double p = hist[i] / (double)n;
        ent -= p * log2(p + EPS);
        uni += p * p;
    }
    rc = add(fs, c, "Energy", energy) || add(fs, c, "TotalEnergy", energy * vv) || add(fs, c, "Entropy", ent) ||
         add(fs, c, "Minimum", x[0]) || add(fs, c, "10Percentile", p10) || add(fs, c, "90Percentile", p90) ||
         add(fs, c, "Maximum", x[n - 1]) || add(fs, c, "Mean", mean) || add(fs, c, "Median", percentile(x, n, 50)) ||
         add(fs, c, "InterquartileRange", percentile(x, n, 75) - percentile(x, n, 25)) ||
         add(fs, c, "Range", x[n - 1] - x[0]) || add(fs, c, "MeanAbsoluteDeviation", mad / (double)n) ||
         add(fs, c, "RobustMeanAbsoluteDeviation", rmad / (double)nr) ||
         add(fs, c, "RootMeanSquared", sqrt(energy / (double)n)) ||
         add(fs, c, "Skewness", m2 > 0 ? m3 / pow(m2, 1.5) : 0) || add(fs, c, "Kurtosis", m2 > 0 ? m4 / (m2 * m2) : 0) ||
         add(fs, c, "Variance", m2) || add(fs, c, "Uniformity", uni);
    free(x);
    free(hist);
    return rc ? -1 : 0;
}

/* ---- GLCM (glcm.py) ------------------------------------------------------------------------ */

#define N_CM 24
static const char *const cm_names[N_CM] = {
    "Autocorrelation", "JointAverage", "ClusterProminence", "ClusterShade", "ClusterTendency", "Contrast",
    "Correlation", "DifferenceAverage", "DifferenceEntropy", "DifferenceVariance", "JointEnergy", "JointEntropy",
    "Imc1", "Imc2", "Idm", "MCC", "Idmn", "Id", "Idn", "InverseVariance", "MaximumProbability", "SumAverage",
    "SumEntropy", "SumSquares"};

/* MCC: the square root of the second largest eigenvalue of
 * Q(i, j) = sum_k p(i, k) p(j, k) / (px(i) py(k)), through the symmetric
 * matrix D^1/2 Q D^-1/2 (D = diag(px)) that has Q's eigenvalues. */
static double cm_mcc(const double *p, const double *px, const double *py, int m)
{
    gsl_matrix *a;
    gsl_vector *ev;
    gsl_eigen_symm_workspace *w;
    double l1 = -INFINITY, l2 = -INFINITY;
    if (m < 2)
        return 1; /* flat region */
    a = gsl_matrix_calloc((size_t)m, (size_t)m);
    ev = gsl_vector_alloc((size_t)m);
    w = gsl_eigen_symm_alloc((size_t)m);
    if (!a || !ev || !w) {
        gsl_matrix_free(a);
        gsl_vector_free(ev);
        gsl_eigen_symm_free(w);
        return NAN;
    }
    for (int i = 0; i < m; i++)
        for (int j = i; j < m; j++) {
            double q = 0;
            if (px[i] > 0 && px[j] > 0)
                for (int k = 0; k < m; k++)
                    if (py[k] > 0)
                        q += p[i * m + k] * p[j * m + k] / py[k];
            q = px[i] > 0 && px[j] > 0 ? q / sqrt(px[i] * px[j]) : 0;
            gsl_matrix_set(a, (size_t)i, (size_t)j, q);
            gsl_matrix_set(a, (size_t)j, (size_t)i, q);
        }
    gsl_eigen_symm(a, ev, w);
    for (int i = 0; i < m; i++) {
        double l = gsl_vector_get(ev, (size_t)i);
        if (l > l1) {
            l2 = l1;
            l1 = l;
        } else if (l > l2)
            l2 = l;
    }
    gsl_matrix_free(a);
    gsl_vector_free(ev);
    gsl_eigen_symm_free(w);
    return sqrt(l2 > 0 ? l2 : 0);
}

/* The 24 features of one normalised matrix p (m x m over the levels present). */
static void cm_features(const double *p, const Bins *b, double *px, double *py, double *padd, double *psub, double f[N_CM])
{
    int m = b->nlev, ng = b->ng;
    double ux = 0, uy = 0, hxy = 0, hx = 0, hy = 0, hxy1 = 0, hxy2 = 0, sx = 0, sy = 0, cor = 0;
    double ac = 0, cp = 0, cs = 0, ct = 0, con = 0, da = 0, de = 0, dv = 0, je = 0, idm = 0, idmn = 0, id = 0;
    double idn = 0, iv = 0, mp = 0, sa = 0, se = 0, ss = 0;
    memset(px, 0, (size_t)m * sizeof *px);
    memset(py, 0, (size_t)m * sizeof *py);
    memset(padd, 0, (2 * (size_t)ng + 1) * sizeof *padd);
    memset(psub, 0, ((size_t)ng + 1) * sizeof *psub);
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++) {
            double v = p[i * m + j];
            int li = b->lev[i], lj = b->lev[j];
            px[i] += v;
            py[j] += v;
            ux += li * v;
            uy += lj * v;
            padd[li + lj] += v;
            psub[abs(li - lj)] += v;
            hxy -= v * log2(v + EPS);
            ac += v * li * lj;
            con += v * (li - lj) * (li - lj);
            je += v * v;
            if (v > mp)
                mp = v;
        }
    for (int i = 0; i < m; i++) {
        hx -= px[i] * log2(px[i] + EPS);
        hy -= py[i] * log2(py[i] + EPS);
    }
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++) {
            double v = p[i * m + j], di = b->lev[i] - ux, dj = b->lev[j] - uy, t = b->lev[i] + b->lev[j] - ux - uy;
            double q = px[i] * py[j];
            sx += v * di * di;
            sy += v * dj * dj;
            cor += v * di * dj;
            cp += v * t * t * t * t;
            cs += v * t * t * t;
            ct += v * t * t;
            hxy1 -= v * log2(q + EPS);
            hxy2 -= q * log2(q + EPS);
        }
    ss = sx;
    for (int k = 0; k < ng; k++) {
        da += k * psub[k];
        de -= psub[k] * log2(psub[k] + EPS);
        idm += psub[k] / (1.0 + (double)k * k);
        idmn += psub[k] / (1.0 + (double)k * k / ((double)ng * ng));
        id += psub[k] / (1.0 + k);
        idn += psub[k] / (1.0 + (double)k / ng);
        if (k > 0)
            iv += psub[k] / ((double)k * k);
    }
    for (int k = 0; k < ng; k++)
        dv += psub[k] * (k - da) * (k - da);
    for (int k = 2; k <= 2 * ng; k++) {
        sa += k * padd[k];
        se -= padd[k] * log2(padd[k] + EPS);
    }
    sx = sqrt(sx);
    sy = sqrt(sy);
    f[0] = ac;
    f[1] = ux;
    f[2] = cp;
    f[3] = cs;
    f[4] = ct;
    f[5] = con;
    f[6] = sx * sy == 0 ? 1 : cor / (sx * sy + EPS);
    f[7] = da;
    f[8] = de;
    f[9] = dv;
    f[10] = je;
    f[11] = hxy;
    f[12] = fmax(hx, hy) != 0 ? (hxy - hxy1) / fmax(hx, hy) : 0;
    f[13] = hxy2 == hxy ? 0 : sqrt(1 - exp(-2 * (hxy2 - hxy)));
    f[14] = idm;
    f[15] = cm_mcc(p, px, py, m);
    f[16] = idmn;
    f[17] = id;
    f[18] = idn;
    f[19] = iv;
    f[20] = mp;
    f[21] = sa;
    f[22] = se;
    f[23] = ss;
}

static int glcm(const RadRoi *roi, const RadSettings *s, const Bins *b, RadFeatureSet *fs)
{
    Dirs dr;
    int m = b->nlev, na = 0, rc = -1, nd;
    int comb = s->pyr.weighting != RAD_PYR_WEIGHT_NONE;
    size_t mm = (size_t)m * (size_t)m;
    double *P = NULL, *px = NULL, *py = NULL, *padd = NULL, *psub = NULL, acc[N_CM] = {0}, f[N_CM];
    if (directions(s, b, s->distance, 1, &dr) != 0)
        return -1;
    nd = dr.n;
    if (m > 8192) {
        dirs_free(&dr);
        return rad_error_set("glcm: %d grey levels in the ROI make %d matrices of %d x %d: use a larger "
                             "pyradiomics.binWidth or a binCount", m, nd, m, m);
    }
    P = rad_calloc(mm * (size_t)(nd + 1), sizeof *P, "GLCM matrices");
    px = rad_malloc((size_t)m * sizeof *px, "GLCM");
    py = rad_malloc((size_t)m * sizeof *py, "GLCM");
    padd = rad_malloc((2 * (size_t)b->ng + 1) * sizeof *padd, "GLCM");
    psub = rad_malloc(((size_t)b->ng + 1) * sizeof *psub, "GLCM");
    if (!P || !px || !py || !padd || !psub)
        goto done;
    /* slot 0: the weighted sum (weightingNorm); slots 1..nd: the directions */
    for (int a = 0; a < nd; a++) {
        double *Pa = P + (size_t)(a + 1) * mm;
        for (size_t v = 0; v < b->n; v++) {
            size_t u;
            if (!b->in[v] || !b->in[u = nb(v, dr.step[a])])
                continue;
            Pa[(size_t)b->idx[b->g[v]] * (size_t)m + (size_t)b->idx[b->g[u]]] += 1;
        }
        if (s->pyr.symmetric)
            for (int i = 0; i < m; i++)
                for (int j = i; j < m; j++) {
                    double t = Pa[i * m + j] + Pa[j * m + i];
                    Pa[i * m + j] = Pa[j * m + i] = t;
                }
        if (comb)
            for (size_t k = 0; k < mm; k++)
                P[k] += dir_weight(s, roi, dr.off[a], 1) * Pa[k];
    }
    if (comb)
        nd = 0; /* only slot 0 */
    for (int a = comb ? -1 : 0; a < nd; a++) {
        double *Pa = P + (size_t)(a + 1) * mm, tot = 0;
        for (size_t k = 0; k < mm; k++)
            tot += Pa[k];
        if (tot == 0)
            continue; /* an empty direction is left out of the average */
        for (size_t k = 0; k < mm; k++)
            Pa[k] /= tot;
        cm_features(Pa, b, px, py, padd, psub, f);
        for (int i = 0; i < N_CM; i++)
            acc[i] += f[i];
        na++;
    }
    rc = 0;
    for (int i = 0; i < N_CM && rc == 0; i++)
        rc = add(fs, "glcm", cm_names[i], na ? acc[i] / na : NAN);
done:
    dirs_free(&dr);
    free(P);
    free(px);
    free(py);
    free(padd);
    free(psub);
    return rc;
}

/* ---- run, zone and dependence matrices: the shared emphasis features -------------------- */

enum { E_SE, E_LE, E_GLN, E_GLNN, E_JN, E_JNN, E_PCT, E_GLV, E_JV, E_ENT, E_LGLE, E_HGLE, E_SLGLE, E_SHGLE,
       E_LLGLE, E_LHGLE, N_E };

static const char *const rlm_names[N_E] = {
    "ShortRunEmphasis", "LongRunEmphasis", "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized",
    "RunLengthNonUniformity", "RunLengthNonUniformityNormalized", "RunPercentage", "GrayLevelVariance",
    "RunVariance", "RunEntropy", "LowGrayLevelRunEmphasis", "HighGrayLevelRunEmphasis",
    "ShortRunLowGrayLevelEmphasis", "ShortRunHighGrayLevelEmphasis", "LongRunLowGrayLevelEmphasis",
    "LongRunHighGrayLevelEmphasis"};
static const char *const szm_names[N_E] = {
    "SmallAreaEmphasis", "LargeAreaEmphasis", "GrayLevelNonUniformity", "GrayLevelNonUniformityNormalized",
    "SizeZoneNonUniformity", "SizeZoneNonUniformityNormalized", "ZonePercentage", "GrayLevelVariance",
    "ZoneVariance", "ZoneEntropy", "LowGrayLevelZoneEmphasis", "HighGrayLevelZoneEmphasis",
    "SmallAreaLowGrayLevelEmphasis", "SmallAreaHighGrayLevelEmphasis", "LargeAreaLowGrayLevelEmphasis",
    "LargeAreaHighGrayLevelEmphasis"};
/* GLDM has no normalised grey-level non-uniformity nor percentage */
static const char *const dm_names[N_E] = {
    "SmallDependenceEmphasis", "LargeDependenceEmphasis", "GrayLevelNonUniformity", NULL,
    "DependenceNonUniformity", "DependenceNonUniformityNormalized", NULL, "GrayLevelVariance",
    "DependenceVariance", "DependenceEntropy", "LowGrayLevelEmphasis", "HighGrayLevelEmphasis",
    "SmallDependenceLowGrayLevelEmphasis", "SmallDependenceHighGrayLevelEmphasis",
    "LargeDependenceLowGrayLevelEmphasis", "LargeDependenceHighGrayLevelEmphasis"};

/* The features of counts P (m levels x nj, column j = length/size/dependence
 * jv[j], or j + 1 when jv is NULL); f[E_*] = NaN when P is empty.  colsum:
 * nj scratch. */
static void emph_features(const double *P, const Bins *b, int nj, const double *jv, double *colsum, double f[N_E])
{
    int m = b->nlev;
    double nz = 0, np = 0, ui = 0, uj = 0;
    for (int k = 0; k < N_E; k++)
        f[k] = 0;
    memset(colsum, 0, (size_t)nj * sizeof *colsum);
    for (int i = 0; i < m; i++) {
        double li = b->lev[i], row = 0;
        for (int j = 0; j < nj; j++) {
            double v = P[(size_t)i * nj + j], jj = jv ? jv[j] : j + 1.0;
            if (v == 0)
                continue;
            row += v;
            colsum[j] += v;
            nz += v;
            np += v * jj;
            f[E_SE] += v / (jj * jj);
            f[E_LE] += v * jj * jj;
            f[E_LGLE] += v / (li * li);
            f[E_HGLE] += v * li * li;
            f[E_SLGLE] += v / (li * li * jj * jj);
            f[E_SHGLE] += v * li * li / (jj * jj);
            f[E_LLGLE] += v * jj * jj / (li * li);
            f[E_LHGLE] += v * li * li * jj * jj;
            ui += v * li;
            uj += v * jj;
        }
        f[E_GLN] += row * row;
    }
    if (nz == 0) {
        for (int k = 0; k < N_E; k++)
            f[k] = NAN;
        return;
    }
    ui /= nz;
    uj /= nz;
    for (int j = 0; j < nj; j++)
        f[E_JN] += colsum[j] * colsum[j];
    for (int i = 0; i < m; i++)
        for (int j = 0; j < nj; j++) {
            double v = P[(size_t)i * nj + j] / nz, jj = jv ? jv[j] : j + 1.0;
            if (v == 0)
                continue;
            f[E_GLV] += v * (b->lev[i] - ui) * (b->lev[i] - ui);
            f[E_JV] += v * (jj - uj) * (jj - uj);
            f[E_ENT] -= v * log2(v + EPS);
        }
    f[E_GLNN] = f[E_GLN] / (nz * nz);
    f[E_JNN] = f[E_JN] / (nz * nz);
    f[E_GLN] /= nz;
    f[E_JN] /= nz;
    f[E_PCT] = nz / np;
    for (int k = E_SE; k <= E_LHGLE; k++)
        if (k == E_SE || k == E_LE || k >= E_LGLE)
            f[k] /= nz;
}

static int emph_add(RadFeatureSet *fs, const char *cls, const char *const *names, const double f[N_E])
{
    for (int k = 0; k < N_E; k++)
        if (names[k] && add(fs, cls, names[k], f[k]) != 0)
            return -1;
    return 0;
}

/* ---- GLRLM (glrlm.py) ------------------------------------------------------------------------ */

/* Whether some line of the grid along off holds two voxels of the mask
 * (not necessarily adjacent).  cmatrices.c drops a direction without one
 * ("segmentation is 2D for this angle"): its runs all have length 1. */
static int line_has_two(const Bins *b, const int off[3])
{
    for (size_t v = 0; v < b->n; v++) {
        long c[3];
        if (!b->in[v])
            continue;
        c[0] = (long)(v % b->dim[0]);
        c[1] = (long)(v / b->dim[0] % b->dim[1]);
        c[2] = (long)(v / (b->dim[0] * b->dim[1]));
        for (;;) {
            for (int k = 0; k < 3; k++)
                c[k] += off[k];
            if (c[0] < 0 || c[1] < 0 || c[2] < 0 || c[0] >= (long)b->dim[0] || c[1] >= (long)b->dim[1] ||
                c[2] >= (long)b->dim[2])
                break;
            if (b->in[(size_t)c[0] + b->dim[0] * ((size_t)c[1] + b->dim[1] * (size_t)c[2])])
                return 1;
        }
    }
    return 0;
}

static int glrlm(const RadRoi *roi, const RadSettings *s, const Bins *b, RadFeatureSet *fs)
{
    Dirs dr;
    int m = b->nlev, na = 0, rc = -1, nd;
    int nj = (int)fmax((double)b->dim[0], fmax((double)b->dim[1], (double)b->dim[2]));
    size_t msz = (size_t)m * (size_t)nj;
    double *P = NULL, *col = NULL, acc[N_E] = {0}, f[N_E];
    if (directions(s, b, 1, 1, &dr) != 0)
        return -1;
    nd = dr.n;
    P = rad_calloc(msz * (size_t)(nd + 1), sizeof *P, "GLRLM matrices");
    col = rad_malloc((size_t)nj * sizeof *col, "GLRLM");
    if (!P || !col)
        goto done;
    for (int a = 0; a < nd; a++) {
        double *Pa = P + (size_t)(a + 1) * msz;
        ptrdiff_t step = dr.step[a];
        for (size_t v = 0; v < b->n; v++) {
            size_t u = v, p;
            int len = 0;
            if (!b->in[v])
                continue;
            p = nb(v, -step);
            if (b->in[p] && b->g[p] == b->g[v])
                continue; /* not the start of a run */
            while (b->in[u] && b->g[u] == b->g[v]) { /* the margin ends every run */
                len++;
                u = nb(u, step);
            }
            Pa[(size_t)b->idx[b->g[v]] * nj + (len - 1)] += 1;
        }
        if (!line_has_two(b, dr.off[a]))
            memset(Pa, 0, msz * sizeof *Pa);
    }
    if (s->pyr.weighting != RAD_PYR_WEIGHT_NONE) {
        for (int a = 0; a < nd; a++)
            for (size_t k = 0; k < msz; k++)
                P[k] += dir_weight(s, roi, dr.off[a], 0) * P[(size_t)(a + 1) * msz + k];
        emph_features(P, b, nj, NULL, col, acc);
        na = 1;
    } else
        for (int a = 0; a < nd; a++) {
            emph_features(P + (size_t)(a + 1) * msz, b, nj, NULL, col, f);
            if (isnan(f[0]))
                continue;
            for (int k = 0; k < N_E; k++)
                acc[k] += f[k];
            na++;
        }
    for (int k = 0; k < N_E; k++)
        acc[k] = na ? acc[k] / na : NAN;
    rc = emph_add(fs, "glrlm", rlm_names, acc);
done:
    dirs_free(&dr);
    free(P);
    free(col);
    return rc;
}

/* ---- GLSZM (glszm.py) --------------------------------------------------------------------- */

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Zones are listed first (level, size); the matrix has one column per
 * distinct size, so its width stays near sqrt(2 N) however large a zone. */
static int glszm(const RadSettings *s, const Bins *b, RadFeatureSet *fs)
{
    Dirs dr;
    int m = b->nlev, rc = -1, nj = 0;
    uint8_t *seen = NULL;
    size_t *stack = NULL, nz = 0, *zsize = NULL, *sizes = NULL;
    int *zlev = NULL;
    double *P = NULL, *col = NULL, *jv = NULL, f[N_E];
    if (directions(s, b, 1, 0, &dr) != 0)
        return -1;
    seen = rad_calloc(b->n, 1, "GLSZM");
    stack = rad_malloc(b->nvox * sizeof *stack, "GLSZM");
    zsize = rad_malloc(b->nvox * sizeof *zsize, "GLSZM zones");
    zlev = rad_malloc(b->nvox * sizeof *zlev, "GLSZM zones");
    if (!seen || !stack || !zsize || !zlev)
        goto done;
    for (size_t v = 0; v < b->n; v++) {
        size_t top = 0, size = 0;
        if (!b->in[v] || seen[v])
            continue;
        seen[v] = 1;
        stack[top++] = v;
        while (top) {
            size_t w = stack[--top];
            size++;
            for (int a = 0; a < dr.n; a++) {
                size_t u = nb(w, dr.step[a]);
                if (b->in[u] && !seen[u] && b->g[u] == b->g[v]) {
                    seen[u] = 1;
                    stack[top++] = u;
                }
            }
        }
        zlev[nz] = b->idx[b->g[v]];
        zsize[nz++] = size;
    }
    /* the distinct sizes, ascending (stack reused as scratch) */
    memcpy(stack, zsize, nz * sizeof *stack);
    qsort(stack, nz, sizeof *stack, cmp_size);
    sizes = stack;
    for (size_t i = 0; i < nz; i++)
        if (i == 0 || stack[i] != stack[i - 1])
            sizes[nj++] = stack[i];
    P = rad_calloc((size_t)m * (size_t)nj, sizeof *P, "GLSZM matrix");
    col = rad_malloc((size_t)nj * sizeof *col, "GLSZM");
    jv = rad_malloc((size_t)nj * sizeof *jv, "GLSZM");
    if (!P || !col || !jv)
        goto done;
    for (int j = 0; j < nj; j++)
        jv[j] = (double)sizes[j];
    for (size_t z = 0; z < nz; z++) {
        size_t lo = 0, hi = (size_t)nj - 1;
        while (lo < hi) { /* the column of this size */
            size_t mid = (lo + hi) / 2;
            if (sizes[mid] < zsize[z])
                lo = mid + 1;
            else
                hi = mid;
        }
        P[(size_t)zlev[z] * (size_t)nj + lo] += 1;
    }
    emph_features(P, b, nj, jv, col, f);
    rc = emph_add(fs, "glszm", szm_names, f);
done:
    dirs_free(&dr);
    free(seen);
    free(stack);
    free(zsize);
    free(zlev);
    free(P);
    free(col);
    free(jv);
    return rc;
}

/* ---- GLDM (gldm.py) ------------------------------------------------------------------------ */

static int gldm(const RadSettings *s, const Bins *b, RadFeatureSet *fs)
{
    Dirs dr;
    int m = b->nlev, rc = -1, nj;
    double *P = NULL, *col = NULL, f[N_E];
    if (directions(s, b, s->distance, 0, &dr) != 0)
        return -1;
    nj = dr.n + 1;
    P = rad_calloc((size_t)m * (size_t)nj, sizeof *P, "GLDM matrix");
    col = rad_malloc((size_t)nj * sizeof *col, "GLDM");
    if (!P || !col)
        goto done;
    for (size_t v = 0; v < b->n; v++) {
        int dep = 0; /* the centre counts: column 0 is dependence 1 */
        if (!b->in[v])
            continue;
        for (int a = 0; a < dr.n; a++) {
            size_t u = nb(v, dr.step[a]);
            if (b->in[u] && abs(b->g[u] - b->g[v]) <= s->ngldm_alpha)
                dep++;
        }
        P[(size_t)b->idx[b->g[v]] * nj + dep] += 1;
    }
    emph_features(P, b, nj, NULL, col, f);
    rc = emph_add(fs, "gldm", dm_names, f);
done:
    dirs_free(&dr);
    free(P);
    free(col);
    return rc;
}

/* ---- NGTDM (ngtdm.py, cmatrices.c) ------------------------------------------------------------ */

static int ngtdm(const RadSettings *s, const Bins *b, RadFeatureSet *fs)
{
    Dirs dr;
    int m = b->nlev, ngp = 0;
    double *n = NULL, *si = NULL;
    double nvp = 0, psi = 0, ssum = 0, con = 0, bden = 0, cpx = 0, str = 0;
    int rc = -1;
    if (directions(s, b, s->distance, 0, &dr) != 0)
        return -1;
    n = rad_calloc((size_t)m, sizeof *n, "NGTDM");
    si = rad_calloc((size_t)m, sizeof *si, "NGTDM");
    if (!n || !si)
        goto done;
    for (size_t v = 0; v < b->n; v++) {
        double sum = 0, cnt = 0, d = 0;
        if (!b->in[v])
            continue;
        for (int a = 0; a < dr.n; a++) {
            size_t u = nb(v, dr.step[a]);
            if (b->in[u]) {
                sum += b->g[u];
                cnt++;
            }
        }
        if (cnt > 0)
            d = fabs(b->g[v] - sum / cnt);
        n[b->idx[b->g[v]]] += 1;
        si[b->idx[b->g[v]]] += d;
    }
    for (int i = 0; i < m; i++) {
        nvp += n[i];
        ngp += n[i] > 0;
        ssum += si[i];
    }
    for (int i = 0; i < m; i++)
        psi += n[i] / nvp * si[i];
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++) {
            double pi = n[i] / nvp, pj = n[j] / nvp, li = b->lev[i], lj = b->lev[j];
            if (pi == 0 || pj == 0)
                continue;
            con += pi * pj * (li - lj) * (li - lj);
            bden += fabs(li * pi - lj * pj);
            cpx += fabs(li - lj) * (pi * si[i] + pj * si[j]) / (pi + pj);
            str += (pi + pj) * (li - lj) * (li - lj);
        }
    con = ngp > 1 ? con * ssum / nvp / (ngp * (ngp - 1.0)) : 0;
    rc = add(fs, "ngtdm", "Coarseness", psi != 0 ? 1 / psi : 1e6) || add(fs, "ngtdm", "Contrast", con) ||
         add(fs, "ngtdm", "Busyness", bden != 0 ? psi / bden : 0) || add(fs, "ngtdm", "Complexity", cpx / nvp) ||
         add(fs, "ngtdm", "Strength", ssum != 0 ? str / ssum : 0) ? -1 : 0;
done:
    dirs_free(&dr);
    free(n);
    free(si);
    return rc;
}

/* ---- shape (shape.py, cshape.c) ---------------------------------------------------------- */

/* Eigenvalues of a symmetric 3x3 matrix, ascending. */
static void eig3(const double a[3][3], double w[3])
{
    gsl_matrix_view m;
    double c[9];
    gsl_vector_view ev = gsl_vector_view_array(w, 3);
    gsl_eigen_symm_workspace *ws = gsl_eigen_symm_alloc(3);
    memcpy(c, a, sizeof c);
    m = gsl_matrix_view_array(c, 3, 3);
    if (!ws) {
        w[0] = w[1] = w[2] = NAN;
        return;
    }
    gsl_eigen_symm(&m.matrix, &ev.vector, ws);
    gsl_eigen_symm_free(ws);
    qsort(w, 3, sizeof *w, cmp_double);
}

typedef struct LinePt {
    double k1, k2, t; /* the line (the other two coordinates), the place on it */
    size_t i;
} LinePt;

static int cmp_linept(const void *a, const void *b)
{
    const LinePt *x = a, *y = b;
    if (x->k1 != y->k1)
        return x->k1 < y->k1 ? -1 : 1;
    if (x->k2 != y->k2)
        return x->k2 < y->k2 ? -1 : 1;
    return (x->t > y->t) - (x->t < y->t);
}

/* ext[i] |= 1 << c when vertex i is an end of its line along axis c (the
 * vertices with its other two coordinates).  0 or -1. */
static int line_ends(const double *pts, size_t np, uint8_t *ext)
{
    LinePt *l = rad_malloc((np ? np : 1) * sizeof *l, "mesh vertex lines");
    if (!l)
        return -1;
    for (int c = 0; c < 3; c++) {
        for (size_t i = 0; i < np; i++) {
            l[i].k1 = pts[3 * i + (c + 1) % 3];
            l[i].k2 = pts[3 * i + (c + 2) % 3];
            l[i].t = pts[3 * i + c];
            l[i].i = i;
        }
        qsort(l, np, sizeof *l, cmp_linept);
        for (size_t i = 0; i < np; i++) {
            int first = i == 0 || l[i].k1 != l[i - 1].k1 || l[i].k2 != l[i - 1].k2;
            int last = i + 1 == np || l[i].k1 != l[i + 1].k1 || l[i].k2 != l[i + 1].k2;
            if (first || last)
                ext[l[i].i] |= (uint8_t)(1u << c);
        }
    }
    free(l);
    return 0;
}

/* The largest squared distance (mm) between two of the n vertices c[] of
 * pts (coordinates doubled); 0 for fewer than two.  work: n scratch.  The
 * vertices are taken by distance r from their centroid, farthest first: a
 * pair is at most r_a + r_b apart, so a row stops when that bound falls
 * below the largest distance found (with a margin of 1e-9 for the rounding
 * of the bound: no pair that could be the largest is skipped, and the
 * distance of each pair is computed as for every pair). */
static double pairs_max(const double *pts, const double *sp, const size_t *c, size_t n, LinePt *work)
{
    double m = 0, mid[3] = {0, 0, 0};
    if (n < 2)
        return 0;
    for (size_t k = 0; k < n; k++)
        for (int a = 0; a < 3; a++)
            mid[a] += pts[3 * c[k] + a] * sp[a];
    for (int a = 0; a < 3; a++)
        mid[a] /= (double)n;
    for (size_t k = 0; k < n; k++) {
        double r2 = 0;
        for (int a = 0; a < 3; a++) {
            double d = pts[3 * c[k] + a] * sp[a] - mid[a];
            r2 += d * d;
        }
        work[k].k1 = -sqrt(r2); /* farthest first */
        work[k].k2 = 0;
        work[k].t = (double)c[k];
        work[k].i = c[k];
    }
    qsort(work, n, sizeof *work, cmp_linept);
    for (size_t ii = 0; ii < n; ii++) {
        double ri = -work[ii].k1;
        if (4 * ri * ri * (1 + 1e-9) < m)
            break; /* no later pair is farther apart than 2 r_i */
        for (size_t jj = ii + 1; jj < n; jj++) {
            const double *a = pts + 3 * work[ii].i, *b = pts + 3 * work[jj].i;
            double bound = ri - work[jj].k1, dx, dy, dz, dd;
            if (bound * bound * (1 + 1e-9) < m)
                break;
            dx = (a[0] - b[0]) * sp[0];
            dy = (a[1] - b[1]) * sp[1];
            dz = (a[2] - b[2]) * sp[2];
            dd = dx * dx + dy * dy + dz * dz;
            if (dd > m)
                m = dd;
        }
    }
    return m;
}

static int shape(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    const size_t *d = roi->geom.dim;
    const double *sp = roi->geom.spacing;
    const RadBox *bx = &roi->box;
    RadFeatureSet *m = rad_featureset_new();
    double V, A, mean[3] = {0, 0, 0}, cov[3][3] = {{0}}, w[3], dm[4] = {0, 0, 0, 0}, vv = sp[0] * sp[1] * sp[2];
    double *pts = NULL;
    uint8_t *ext = NULL;
    LinePt *line = NULL, *work = NULL;
    size_t np = 0, cap = 0, n = 0, nc = 0, *cand = NULL;
    long iv, ia;
    int rc = -1;
    const char *c = "shape";
    if (!m)
        return -1;
    if (rad_family_morph.part(roi, s, m, 0) != 0)
        goto done;
    iv = rad_featureset_find(m, "morph_volume");
    ia = rad_featureset_find(m, "morph_area_mesh");
    if (iv < 0 || ia < 0) {
        rad_error_set("internal error: the morphology family has no mesh volume or area");
        goto done;
    }
    V = m->values[iv];
    A = m->values[ia];
    /* the mesh vertices: midpoints between 6-neighbours (the grid padded by
     * one voxel) of which one is in the ROI; in voxel units times two.  A
     * pair with a voxel in the ROI starts inside the box or one voxel before
     * it, so the scan covers only those, in grid order. */
    for (long z = (long)bx->lo[2] - 1; z <= (long)bx->hi[2]; z++)
        for (long y = (long)bx->lo[1] - 1; y <= (long)bx->hi[1]; y++)
            for (long x = (long)bx->lo[0] - 1; x <= (long)bx->hi[0]; x++) {
                long q[3] = {x, y, z};
                int in0 = x >= 0 && y >= 0 && z >= 0 && roi->morph[(size_t)x + d[0] * ((size_t)y + d[1] * (size_t)z)];
                for (int ax = 0; ax < 3; ax++) {
                    long r[3] = {x, y, z};
                    int in1;
                    r[ax]++;
                    in1 = r[0] >= 0 && r[1] >= 0 && r[2] >= 0 && r[0] < (long)d[0] && r[1] < (long)d[1] &&
                          r[2] < (long)d[2] && roi->morph[(size_t)r[0] + d[0] * ((size_t)r[1] + d[1] * (size_t)r[2])];
                    if (in0 == in1)
                        continue;
                    if (np == cap) {
                        double *t;
                        cap = cap ? 2 * cap : 4096;
                        t = realloc(pts, 3 * cap * sizeof *pts);
                        if (!t) {
                            rad_error_set("out of memory (mesh vertices)");
                            goto done;
                        }
                        pts = t;
                    }
                    for (int k = 0; k < 3; k++)
                        pts[3 * np + k] = 2.0 * q[k] + (k == ax);
                    np++;
                }
            }
    /* largest distances: 3D, and between vertices sharing z (Slice), y
     * (Column) or x (Row).  A vertex between two others on an axis-parallel
     * line is no farther from any point than one of them (distance is
     * convex), so only the ends of each line are candidates: ext bit c
     * marks the ends along axis c; 3D needs all three bits, a plane the two
     * of its axes. */
    ext = rad_calloc(np ? np : 1, 1, "mesh vertex flags");
    cand = rad_malloc((np ? np : 1) * sizeof *cand, "mesh vertex candidates");
    if (!ext || !cand || line_ends(pts, np, ext) != 0)
        goto done;
    line = rad_malloc((np ? np : 1) * sizeof *line, "mesh vertex planes");
    work = rad_malloc((np ? np : 1) * sizeof *work, "mesh vertex pairs");
    if (!line || !work)
        goto done;
    /* 3D: the vertices that end a line along every axis */
    for (size_t i = 0; i < np; i++)
        if (ext[i] == 7)
            cand[nc++] = i;
    dm[3] = pairs_max(pts, sp, cand, nc, work);
    /* a plane: the vertices that end lines along its two axes, grouped by
     * the third coordinate, pairs within a group */
    for (int k = 0; k < 3; k++) {
        static const int fixed[3] = {2, 1, 0}, bits[3] = {3, 5, 6}; /* Slice, Column, Row */
        size_t g = 0;
        nc = 0;
        for (size_t i = 0; i < np; i++)
            if ((ext[i] & bits[k]) == bits[k]) {
                line[nc].k1 = pts[3 * i + fixed[k]];
                line[nc].k2 = 0;
                line[nc].t = (double)i;
                line[nc++].i = i;
            }
        qsort(line, nc, sizeof *line, cmp_linept);
        for (size_t i = 0; i < nc; i++)
            cand[i] = line[i].i;
        for (size_t i = 1; i <= nc; i++)
            if (i == nc || line[i].k1 != line[g].k1) {
                double dd = pairs_max(pts, sp, cand + g, i - g, work);
                if (dd > dm[k])
                    dm[k] = dd;
                g = i;
            }
    }
    for (int k = 0; k < 4; k++)
        dm[k] = sqrt(dm[k]) / 2; /* coordinates were doubled */
    /* PCA of the voxel centres (grid coordinates, in grid order over the
     * box), covariance / N */
    for (size_t z = bx->lo[2]; z <= bx->hi[2]; z++)
        for (size_t y = bx->lo[1]; y <= bx->hi[1]; y++)
            for (size_t x = bx->lo[0]; x <= bx->hi[0]; x++)
                if (roi->morph[x + d[0] * (y + d[1] * z)]) {
                    double p[3] = {(double)x * sp[0], (double)y * sp[1], (double)z * sp[2]};
                    for (int k = 0; k < 3; k++)
                        mean[k] += p[k];
                    n++;
                }
    for (int k = 0; k < 3; k++)
        mean[k] /= (double)n;
    for (size_t z = bx->lo[2]; z <= bx->hi[2]; z++)
        for (size_t y = bx->lo[1]; y <= bx->hi[1]; y++)
            for (size_t x = bx->lo[0]; x <= bx->hi[0]; x++)
                if (roi->morph[x + d[0] * (y + d[1] * z)]) {
                    double p[3] = {(double)x * sp[0] - mean[0], (double)y * sp[1] - mean[1],
                                   (double)z * sp[2] - mean[2]};
                    for (int r = 0; r < 3; r++)
                        for (int k = 0; k < 3; k++)
                            cov[r][k] += p[r] * p[k] / (double)n;
                }
    eig3(cov, w);
    for (int k = 0; k < 3; k++)
        if (w[k] < 0 && w[k] > -1e-10)
            w[k] = 0;
    rc = add(fs, c, "Elongation", sqrt(w[1] / w[2])) || add(fs, c, "Flatness", sqrt(w[0] / w[2])) ||
         add(fs, c, "LeastAxisLength", 4 * sqrt(w[0])) || add(fs, c, "MajorAxisLength", 4 * sqrt(w[2])) ||
         add(fs, c, "Maximum2DDiameterColumn", dm[1]) || add(fs, c, "Maximum2DDiameterRow", dm[2]) ||
         add(fs, c, "Maximum2DDiameterSlice", dm[0]) || add(fs, c, "Maximum3DDiameter", dm[3]) ||
         add(fs, c, "MeshVolume", V) || add(fs, c, "MinorAxisLength", 4 * sqrt(w[1])) ||
         add(fs, c, "Sphericity", cbrt(36 * M_PI * V * V) / A) || add(fs, c, "SurfaceArea", A) ||
         add(fs, c, "SurfaceVolumeRatio", A / V) || add(fs, c, "VoxelVolume", (double)n * vv) ||
         add(fs, c, "Compactness1", V / (sqrt(M_PI) * pow(A, 1.5))) ||
         add(fs, c, "Compactness2", 36 * M_PI * V * V / (A * A * A)) ||
         add(fs, c, "SphericalDisproportion", A / cbrt(36 * M_PI * V * V)) ? -1 : 0;
done:
    free(pts);
    free(ext);
    free(cand);
    free(line);
    free(work);
    rad_featureset_free(m);
    return rc;
}

/* ---- resampling grid (imageoperations.resampleImage) ------------------------------------ */

int rad_pyrad_resample_grid(const RadGeometry *g0, const uint8_t *m0, const double spacing[3], int pad,
                            RadGeometry *out)
{
    size_t lo[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX}, hi[3] = {0, 0, 0};
    double idx[3];
    RadGeometry g = *g0;
    for (size_t v = 0; v < g0->dim[0] * g0->dim[1] * g0->dim[2]; v++)
        if (m0[v]) {
            size_t q[3] = {v % g0->dim[0], (v / g0->dim[0]) % g0->dim[1], v / (g0->dim[0] * g0->dim[1])};
            for (int c = 0; c < 3; c++) {
                if (q[c] < lo[c])
                    lo[c] = q[c];
                if (q[c] > hi[c])
                    hi[c] = q[c];
            }
        }
    if (lo[0] == SIZE_MAX)
        return rad_error_set("the mask selects no voxels: nothing to resample");
    for (int c = 0; c < 3; c++) {
        /* an axis the ROI spans one voxel of keeps its spacing */
        double sp = lo[c] == hi[c] ? g0->spacing[c] : spacing[c], r = g0->spacing[c] / sp;
        double l = floor(((double)lo[c] - 0.5) * r - pad), u = ceil(((double)hi[c] + 0.5) * r + pad);
        double umax = ceil((double)g0->dim[c] * r) - 1;
        if (l < 0)
            l = 0;
        if (u > umax)
            u = umax;
        if (!(u >= l && u - l < 2147483647.0))
            return rad_error_set("resampling to %g mm along %c gives an empty or huge grid", sp, "xyz"[c]);
        g.dim[c] = (size_t)(u - l + 1);
        g.spacing[c] = sp;
        /* the new grid's first centre, in the old grid's index units */
        idx[c] = l / r + 0.5 * (sp - g0->spacing[c]) / g0->spacing[c];
    }
    rad_geometry_index_to_point(g0, idx, g.origin);
    if (rad_geometry_check(&g) != 0)
        return rad_error_prefix("PyRadiomics resampling grid");
    *out = g;
    return 0;
}

/* ---- the driver ------------------------------------------------------------------------------ */

/* ";<class>;" and ";<class>_<Feature>;" of tag "<image type>_<class>_<Feature>" */
static int select_keys(const char *tag, char *cls, size_t ncls, char *feat, size_t nfeat)
{
    const char *a = strchr(tag, '_'), *b = a ? strchr(a + 1, '_') : NULL;
    if (!a || !b || (size_t)(b - a + 2) > ncls)
        return -1;
    snprintf(cls, ncls, ";%.*s;", (int)(b - a - 1), a + 1);
    snprintf(feat, nfeat, ";%s;", a + 1);
    return 0;
}

/* featureClass lists: drop the features of a restricted class that its list
 * does not name (fs entries from index start) */
static void select_drop(RadFeatureSet *fs, size_t start, const RadPyrSettings *p)
{
    size_t w = start;
    for (size_t r = start; r < fs->n; r++) {
        char cls[64], feat[160];
        int keep = select_keys(fs->tags[r], cls, sizeof cls, feat, sizeof feat) != 0 ||
                   !strstr(p->select_classes, cls) || strstr(p->select, feat);
        if (keep) {
            fs->tags[w] = fs->tags[r];
            fs->values[w++] = fs->values[r];
        } else {
            free(fs->tags[r]);
        }
    }
    fs->n = w;
}

int rad_pyrad_select_check(const RadFeatureSet *fs, size_t first, const RadSettings *s)
{
    const char *p = s->pyr.select;
    while (p && *p) {
        const char *q;
        char tag[160];
        int found = 0;
        p += *p == ';';
        if (!*p)
            break;
        q = strchr(p, ';');
        snprintf(tag, sizeof tag, "original_%.*s", (int)(q ? q - p : (ptrdiff_t)strlen(p)), p);
        /* <image type>_<class>_<Feature>: image type names have no '_', so
         * the part after the first one is the class and feature of any
         * image type (pyradiomics.original = false measures only filters) */
        for (size_t i = first; i < fs->n && !found; i++) {
            const char *u = strchr(fs->tags[i], '_');
            found = u && strcmp(u + 1, tag + 9) == 0;
        }
        if (!found) {
            /* the closest name of the same class, one or two edits away */
            const RadPyrFeatureDef *best = NULL;
            size_t bd = 3, cl = strcspn(tag + 9, "_");
            for (const RadPyrFeatureDef *d = rad_pyrad_features(); tag[9 + cl] == '_' && d->cls; d++) {
                size_t dd;
                if (strlen(d->cls) != cl || strncmp(d->cls, tag + 9, cl) != 0)
                    continue;
                dd = rad_edit_distance(d->name, tag + 10 + cl, 1);
                if (dd < bd) {
                    bd = dd;
                    best = d;
                }
            }
            if (best)
                return rad_error_set("pyradiomics.featureClass names %s, which PyRadiomics compatibility mode does "
                                     "not compute (did you mean %s?)",
                                     tag + 9, best->name);
            return rad_error_set("pyradiomics.featureClass names %s, which PyRadiomics compatibility mode does not "
                                 "compute (its names: radlab features --pyradiomics %.*s)",
                                 tag + 9, (int)cl, tag + 9);
        }
        p = q;
    }
    return 0;
}

/* The classes as pool jobs (as extract.c runs the IBSI families): each job
 * computes one class into its own feature set, reading only the ROI and the
 * shared bins, and the sets are appended in PyRadiomics' class order
 * afterwards, so names and values do not depend on the thread count. */
enum { CL_SHAPE, CL_FIRSTORDER, CL_GLCM, CL_GLRLM, CL_GLSZM, CL_GLDM, CL_NGTDM, N_CLASSES };

typedef struct ClassJobs {
    const RadRoi *roi;
    const RadSettings *s;
    const Bins *b;
    int cls[N_CLASSES];          /* job -> class */
    RadFeatureSet *out[N_CLASSES];
    char err[N_CLASSES][512];    /* a failed job's message (messages are per thread) */
    int failed[N_CLASSES];
} ClassJobs;

static int class_job(size_t i, void *ctx)
{
    ClassJobs *j = ctx;
    const Bins *b = j->b;
    int rc = -1;
    if (rad_interrupt_check() == 0 && (j->out[i] = rad_featureset_new()) != NULL)
        switch (j->cls[i]) {
        case CL_SHAPE:
            rc = shape(j->roi, j->s, j->out[i]) != 0 ? rad_error_prefix("shape features") : 0;
            break;
        case CL_FIRSTORDER:
            rc = firstorder(j->roi, j->s, b, j->out[i]);
            break;
        case CL_GLCM:
            rc = glcm(j->roi, j->s, b, j->out[i]);
            break;
        case CL_GLRLM:
            rc = glrlm(j->roi, j->s, b, j->out[i]);
            break;
        case CL_GLSZM:
            rc = glszm(j->s, b, j->out[i]);
            break;
        case CL_GLDM:
            rc = gldm(j->s, b, j->out[i]);
            break;
        default:
            rc = ngtdm(j->s, b, j->out[i]);
            break;
        }
    if (rc != 0) {
        snprintf(j->err[i], sizeof j->err[i], "%s", rad_error_message());
        j->failed[i] = 1;
    }
    return rc;
}

int rad_pyrad_compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    return rad_pyrad_compute_threads(roi, s, fs, 0);
}

int rad_pyrad_compute_threads(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs, int threads)
{
    static const unsigned bit[N_CLASSES] = {RAD_FAM_MORPH, RAD_FAM_STAT | RAD_FAM_IH, RAD_FAM_CM, RAD_FAM_RLM,
                                            RAD_FAM_SZM, RAD_FAM_NGL, RAD_FAM_NGT};
    /* the order jobs are taken in: the longest first (GLCM's 13 matrices and
     * their features, GLRLM's runs, shape's mesh), so that the last job to
     * start is a short one */
    static const int order[N_CLASSES] = {CL_GLCM, CL_GLRLM, CL_SHAPE, CL_GLSZM, CL_NGTDM, CL_GLDM, CL_FIRSTORDER};
    Bins b;
    ClassJobs *jobs;
    int rc = -1, ndims = 0, job_of[N_CLASSES];
    size_t start = fs->n, nj = 0;
    for (int c = 0; c < 3; c++)
        ndims += roi->box.hi[c] > roi->box.lo[c];
    if (ndims < s->pyr.min_dims)
        return rad_error_set("the ROI spans %d dimension%s (bounding box %zux%zux%zu voxels), below "
                             "pyradiomics.minimumROIDimensions = %d: lower it, or check the mask and label",
                             ndims, ndims == 1 ? "" : "s", roi->box.hi[0] - roi->box.lo[0] + 1,
                             roi->box.hi[1] - roi->box.lo[1] + 1, roi->box.hi[2] - roi->box.lo[2] + 1,
                             s->pyr.min_dims);
    if (s->pyr.min_size > 0 && roi->n_morph < (size_t)s->pyr.min_size)
        return rad_error_set("the ROI has %zu voxels, below pyradiomics.minimumROISize = %d", roi->n_morph,
                             s->pyr.min_size);
    /* shape alone (pyradiomics.original = false) bins no grey levels */
    memset(&b, 0, sizeof b);
    if ((s->families & RAD_FAM_PYRADIOMICS & ~(unsigned)RAD_FAM_MORPH) && bins_make(roi, s, &b) != 0) {
        bins_free(&b);
        return -1;
    }
    jobs = rad_calloc(1, sizeof *jobs, "feature class jobs");
    if (!jobs) {
        bins_free(&b);
        return -1;
    }
    jobs->roi = roi;
    jobs->s = s;
    jobs->b = &b;
    for (int k = 0; k < N_CLASSES; k++) {
        job_of[order[k]] = -1;
        if (s->families & bit[order[k]]) {
            job_of[order[k]] = (int)nj;
            jobs->cls[nj++] = order[k];
        }
    }
    rad_pool_run(nj, threads, class_job, jobs, 1, NULL);
    /* the first failure in class order, whatever the scheduling; else a
     * job that did not run was stopped by an interrupt */
    rc = 0;
    for (int c = 0; c < N_CLASSES && rc == 0; c++)
        if (job_of[c] >= 0 && jobs->failed[job_of[c]])
            rc = rad_error_set("%s", jobs->err[job_of[c]]);
    for (size_t i = 0; i < nj && rc == 0; i++)
        if (!jobs->out[i] && (rc = rad_interrupt_check()) == 0)
            rc = rad_error_set("not computed (internal error: the job did not run)");
    for (int c = 0; c < N_CLASSES && rc == 0; c++)
        for (size_t r = 0; job_of[c] >= 0 && r < jobs->out[job_of[c]]->n && rc == 0; r++)
            rc = rad_featureset_add(fs, jobs->out[job_of[c]]->tags[r], jobs->out[job_of[c]]->values[r]);
    for (size_t i = 0; i < nj; i++)
        rad_featureset_free(jobs->out[i]);
    free(jobs);
    bins_free(&b);
    if (rc == 0 && s->pyr.select_classes[0])
        select_drop(fs, start, &s->pyr);
    return rc;
}

/* ---- voxel-based extraction (feature maps; pyrad_map.h) ------------------------------------
 *
 * featuremap.c gathers each centre's kernel; the class functions above
 * measure it through a Bins whose levels are those present in the kernel
 * (a level of the domain absent from the kernel has an empty row and
 * column in every matrix, so it adds nothing to any feature) while Ng
 * stays the domain's, as in PyRadiomics' per-kernel matrices. */

#include "features/pyrad_map.h"

int rad_pyrad_map_bins(const RadRoi *roi, const uint8_t *domain, const RadSettings *s, int *grey, int *ng)
{
    RadRoi view = *roi;
    const size_t *d = roi->geom.dim;
    size_t nv = d[0] * d[1] * d[2], any = 0;
    Bins b;
    /* bins_make lays out the box of view.mask: the domain's */
    for (int c = 0; c < 3; c++) {
        view.box.lo[c] = d[c] - 1;
        view.box.hi[c] = 0;
    }
    for (size_t v = 0; v < nv; v++)
        if (domain[v]) {
            size_t c[3] = {v % d[0], v / d[0] % d[1], v / (d[0] * d[1])};
            for (int k = 0; k < 3; k++) {
                if (c[k] < view.box.lo[k])
                    view.box.lo[k] = c[k];
                if (c[k] > view.box.hi[k])
                    view.box.hi[k] = c[k];
            }
            any = 1;
        }
    if (!any)
        return rad_error_set("internal error: an empty binning domain");
    view.mask = (uint8_t *)domain; /* bins_make only reads it */
    if (bins_make(&view, s, &b) != 0) {
        bins_free(&b);
        return -1;
    }
    memset(grey, 0, nv * sizeof *grey);
    for (size_t z = view.box.lo[2]; z <= view.box.hi[2]; z++)
        for (size_t y = view.box.lo[1]; y <= view.box.hi[1]; y++) {
            size_t row = view.box.lo[0] + d[0] * (y + d[1] * z);
            size_t v = b.pad + b.dim[0] * (y - view.box.lo[1] + b.pad + b.dim[1] * (z - view.box.lo[2] + b.pad));
            memcpy(grey + row, b.g + v, (b.dim[0] - 2 * b.pad) * sizeof *grey);
        }
    *ng = b.ng;
    bins_free(&b);
    return 0;
}

int rad_pyrad_kernel(const RadPyrKernel *k, const RadSettings *s, unsigned families, RadFeatureSet *fs,
                     unsigned *cm_empty)
{
    RadRoi roi;
    Bins b;
    size_t kd[3];
    int rc = -1;
    memset(&roi, 0, sizeof roi);
    memset(&b, 0, sizeof b);
    roi.geom = k->geom;
    /* the window inside a margin of no kernel voxels, as bins_make lays a
     * box out: neighbours one index step away, no bounds */
    memcpy(kd, k->geom.dim, sizeof kd);
    b.pad = (size_t)(s->distance > 1 ? s->distance : 1);
    for (int c = 0; c < 3; c++)
        b.dim[c] = kd[c] + 2 * b.pad;
    b.n = b.dim[0] * b.dim[1] * b.dim[2];
    b.in = rad_calloc(b.n, sizeof *b.in, "PyRadiomics kernel");
    b.x = rad_calloc(b.n, sizeof *b.x, "PyRadiomics kernel");
    b.g = rad_calloc(b.n, sizeof *b.g, "PyRadiomics kernel");
    if (!b.in || !b.x || !b.g)
        goto done;
    for (size_t z = 0; z < kd[2]; z++)
        for (size_t y = 0; y < kd[1]; y++) {
            size_t src = kd[0] * (y + kd[1] * z);
            size_t dst = b.pad + b.dim[0] * (y + b.pad + b.dim[1] * (z + b.pad));
            memcpy(b.in + dst, k->in + src, kd[0] * sizeof *b.in);
            memcpy(b.x + dst, k->image + src, kd[0] * sizeof *b.x);
            memcpy(b.g + dst, k->grey + src, kd[0] * sizeof *b.g);
        }
    b.ng = k->ng;
    b.idx = k->scratch_idx;
    b.lev = k->scratch_lev;
    for (int i = 0; i <= b.ng; i++)
        b.idx[i] = -1;
    for (size_t v = 0; v < b.n; v++)
        if (b.in[v]) {
            b.idx[b.g[v]] = 0;
            b.nvox++;
        }
    for (int i = 1; i <= b.ng; i++)
        if (b.idx[i] == 0) {
            b.idx[i] = b.nlev;
            b.lev[b.nlev++] = i;
        }
    *cm_empty = 0;
    if (b.nvox == 0) {
        rad_error_set("internal error: an empty PyRadiomics kernel");
        goto done;
    }
    if ((families & (RAD_FAM_STAT | RAD_FAM_IH)) && firstorder(&roi, s, &b, fs) != 0)
        goto done;
    if (families & RAD_FAM_CM) {
        Dirs dr;
        size_t first = fs->n;
        if (directions(s, &b, s->distance, 1, &dr) != 0)
            goto done;
        for (int a = 0; a < dr.n; a++) {
            int any = 0;
            for (size_t v = 0; v < b.n && !any; v++)
                any = b.in[v] && b.in[nb(v, dr.step[a])];
            if (!any)
                *cm_empty |= 1u << a;
        }
        dirs_free(&dr);
        if (glcm(&roi, s, &b, fs) != 0)
            goto done;
        /* one level in the kernel but several in the domain: PyRadiomics'
         * Q has the domain's size, its second eigenvalue is 0 (cm_mcc's
         * flat-region 1 is for a domain of one level) */
        if (b.nlev == 1 && k->ng_domain_levels > 1)
            for (size_t i = first; i < fs->n; i++)
                if (strcmp(fs->tags[i], "original_glcm_MCC") == 0 && !isnan(fs->values[i]))
                    fs->values[i] = 0;
    }
    if ((families & RAD_FAM_RLM) && glrlm(&roi, s, &b, fs) != 0)
        goto done;
    if ((families & RAD_FAM_SZM) && glszm(s, &b, fs) != 0)
        goto done;
    if ((families & RAD_FAM_NGL) && gldm(s, &b, fs) != 0)
        goto done;
    if ((families & RAD_FAM_NGT) && ngtdm(s, &b, fs) != 0)
        goto done;
    rc = 0;
done:
    free(b.in);
    free(b.x);
    free(b.g);
    return rc;
}
