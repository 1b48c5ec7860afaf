/* radlab: PyRadiomics' LoG image type: ITK's recursive-Gaussian Laplacian.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PyRadiomics (getLoGImage) runs SimpleITK's
 * LaplacianRecursiveGaussianImageFilter with NormalizeAcrossScale on and
 * sigma in mm.  ITK sums, over the filtered axes d, the second derivative of
 * a Gaussian along d times the Gaussian along each other axis, divided by
 * spacing[d]^2; each 1-D Gaussian (or derivative) is Deriche's recursive
 * approximation (R. Deriche, "Recursively implementing the Gaussian and its
 * derivatives", INRIA RR-1893, 1993; ITK's RecursiveGaussianImageFilter):
 * with s = sigma / spacing (voxels) and, per order, the weights (a1, b1),
 * (a2, b2) of two damped cosines of frequencies w1, w2 and decays l1, l2,
 *   causal       y[i] = sum_{k=0..3} N_k x[i-k] - sum_{k=1..4} D_k y[i-k]
 *   anti-causal  z[i] = sum_{k=1..4} M_k x[i+k] - sum_{k=1..4} D_k z[i+k]
 *   output       y[i] + z[i]
 * The D_k come from the poles exp((l + i w) / s); N_k from the weights;
 * M_k = N_k - D_k N_0 (k = 1..3), M_4 = -D_4 N_0 for the even orders used
 * here.  The N are normalised so that the kernel sums to 1 (order 0) or
 * its second moment is 2 (order 2, a second derivative), times sigma^2 (mm)
 * for order 2 (normalisation across scale).  Outside the line the edge
 * voxel is taken to extend forever: the recursion starts from the steady
 * state of a constant input (ITK's boundary coefficients BN_k = D_k SN / SD,
 * BM_k = D_k SM / SD).  ITK needs at least 4 voxels along a filtered axis.
 * radlab works in double precision throughout (ITK keeps float images
 * between the passes).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image/filters/filter.h"
#include "image/filters/pyrad.h"
#include "util/error.h"
#include "util/pool.h"

/* the coefficients of one 1-D recursive Gaussian; index 0 of d, m, bn, bm unused */
typedef struct RecGauss {
    double n[4], d[5], m[5], bn[5], bm[5];
} RecGauss;

/* Deriche's fit: weights per order (0, 1, 2), shared frequencies and decays */
static const double A1[3] = {1.3530, -0.6724, -1.3563}, B1[3] = {1.8151, -3.4327, 5.2318};
static const double A2[3] = {-0.3531, 0.6724, 0.3446}, B2[3] = {0.0902, 0.6100, -2.2355};
static const double W1 = 0.6681, L1 = -1.3932, W2 = 2.0787, L2 = -1.3732;

/* numerator coefficients of order o at s voxels, and their sum, first and second moments */
static void coef_n(double s, int o, double n[4], double *sn, double *dn, double *en)
{
    double c1 = cos(W1 / s), c2 = cos(W2 / s), s1 = sin(W1 / s), s2 = sin(W2 / s);
    double e1 = exp(L1 / s), e2 = exp(L2 / s);
    double a1 = A1[o], b1 = B1[o], a2 = A2[o], b2 = B2[o];
    n[0] = a1 + a2;
    n[1] = e2 * (b2 * s2 - (a2 + 2 * a1) * c2) + e1 * (b1 * s1 - (a1 + 2 * a2) * c1);
    n[2] = 2 * e1 * e2 * ((a1 + a2) * c2 * c1 - b1 * c2 * s1 - b2 * c1 * s2) + a2 * e1 * e1 + a1 * e2 * e2;
    n[3] = e2 * e1 * e1 * (b2 * s2 - a2 * c2) + e1 * e2 * e2 * (b1 * s1 - a1 * c1);
    *sn = n[0] + n[1] + n[2] + n[3];
    *dn = n[1] + 2 * n[2] + 3 * n[3];
    *en = n[1] + 4 * n[2] + 9 * n[3];
}

/* order 0 (Gaussian) or 2 (second derivative, times sigma^2) of sigma mm on an axis of spacing mm */
static void recgauss_setup(RecGauss *g, double sigma, double spacing, int order)
{
    const double s = sigma / spacing;
    double c1 = cos(W1 / s), c2 = cos(W2 / s), e1 = exp(L1 / s), e2 = exp(L2 / s);
    double sd, dd, ed, sn, dn, en, sm, scale;
    g->d[4] = e1 * e1 * e2 * e2;
    g->d[3] = -2 * c1 * e1 * e2 * e2 - 2 * c2 * e2 * e1 * e1;
    g->d[2] = 4 * c2 * c1 * e1 * e2 + e1 * e1 + e2 * e2;
    g->d[1] = -2 * (e2 * c2 + e1 * c1);
    sd = 1 + g->d[1] + g->d[2] + g->d[3] + g->d[4];
    dd = g->d[1] + 2 * g->d[2] + 3 * g->d[3] + 4 * g->d[4];
    ed = g->d[1] + 4 * g->d[2] + 9 * g->d[3] + 16 * g->d[4];
    if (order == 0) {
        coef_n(s, 0, g->n, &sn, &dn, &en);
        scale = 1 / (2 * sn / sd - g->n[0]); /* the kernel sums to 1 */
    } else {
        /* the order-2 fit plus beta times the order-0 one, beta making the kernel sum to 0 */
        double n0[4], sn0, dn0, en0, beta, alpha;
        coef_n(s, 0, n0, &sn0, &dn0, &en0);
        coef_n(s, 2, g->n, &sn, &dn, &en);
        beta = -(2 * sn - sd * g->n[0]) / (2 * sn0 - sd * n0[0]);
        for (int k = 0; k < 4; k++)
            g->n[k] += beta * n0[k];
        sn += beta * sn0;
        dn += beta * dn0;
        en += beta * en0;
        alpha = (en * sd * sd - ed * sn * sd - 2 * dn * dd * sd + 2 * dd * dd * sn) / (sd * sd * sd);
        scale = sigma * sigma / alpha;
    }
    for (int k = 0; k < 4; k++)
        g->n[k] *= scale;
    for (int k = 1; k <= 3; k++)
        g->m[k] = g->n[k] - g->d[k] * g->n[0];
    g->m[4] = -g->d[4] * g->n[0];
    sn = g->n[0] + g->n[1] + g->n[2] + g->n[3];
    sm = g->m[1] + g->m[2] + g->m[3] + g->m[4];
    for (int k = 1; k <= 4; k++) {
        g->bn[k] = g->d[k] * sn / sd;
        g->bm[k] = g->d[k] * sm / sd;
    }
}

/* out = the filtered line x of n voxels; z: n doubles of scratch */
static void recgauss_line(const RecGauss *g, const double *x, double *out, double *z, size_t n)
{
    const double x0 = x[0], xl = x[n - 1];
    for (size_t i = 0; i < n; i++) {
        double y = 0;
        for (size_t k = 0; k < 4; k++)
            y += g->n[k] * x[i >= k ? i - k : 0];
        for (size_t k = 1; k <= 4; k++)
            y -= i >= k ? g->d[k] * out[i - k] : g->bn[k] * x0;
        out[i] = y;
    }
    for (size_t i = n; i-- > 0;) {
        double y = 0;
        for (size_t k = 1; k <= 4; k++)
            y += g->m[k] * x[i + k < n ? i + k : n - 1];
        for (size_t k = 1; k <= 4; k++)
            y -= i + k < n ? g->d[k] * z[i + k] : g->bm[k] * xl;
        z[i] = y;
    }
    for (size_t i = 0; i < n; i++)
        out[i] += z[i];
}

typedef struct PylogJob {
    double *data;
    size_t dim[3];
    int axis;
    size_t nlines, per_job;
    RecGauss g;
} PylogJob;

static int pylog_job(size_t jb, void *ctx)
{
    const PylogJob *j = ctx;
    const size_t nx = j->dim[0], ny = j->dim[1], n = j->dim[j->axis];
    const size_t stride = j->axis == 0 ? 1 : j->axis == 1 ? nx : nx * ny;
    size_t q1 = (jb + 1) * j->per_job < j->nlines ? (jb + 1) * j->per_job : j->nlines;
    double *buf = malloc(3 * n * sizeof *buf);
    if (!buf)
        return rad_error_set("pylog filter: out of memory filtering a line of %zu voxels", n);
    for (size_t q = jb * j->per_job; q < q1; q++) {
        size_t start;
        if (j->axis == 0)
            start = q * nx;
        else if (j->axis == 1)
            start = (q / nx) * nx * ny + q % nx;
        else
            start = q;
        for (size_t i = 0; i < n; i++)
            buf[i] = j->data[start + i * stride];
        recgauss_line(&j->g, buf, buf + n, buf + 2 * n, n);
        for (size_t i = 0; i < n; i++)
            j->data[start + i * stride] = buf[n + i];
    }
    free(buf);
    return 0;
}

/* one recursive Gaussian of `order` along `axis` of data, in place */
static int pylog_axis(double *data, const size_t dim[3], int axis, double sigma, double spacing, int order,
                      int threads)
{
    PylogJob j;
    size_t njobs;
    memset(&j, 0, sizeof j);
    j.data = data;
    memcpy(j.dim, dim, sizeof j.dim);
    j.axis = axis;
    j.nlines = dim[0] * dim[1] * dim[2] / dim[axis];
    j.per_job = j.nlines / 64 + 1;
    recgauss_setup(&j.g, sigma, spacing, order);
    njobs = (j.nlines + j.per_job - 1) / j.per_job;
    if (rad_pool_run(njobs, threads, pylog_job, &j, 1, NULL) != 0)
        return rad_interrupted() ? rad_error_set("pylog filter: interrupted")
                                 : rad_error_set("pylog filter: out of memory filtering lines of %zu voxels",
                                                 dim[axis]);
    return 0;
}

RadImage *rad_filter_pylog(const RadImage *img, double sigma, int dims, int threads)
{
    static const char axname[3] = {'x', 'y', 'z'};
    size_t dim[3], n;
    double *in = NULL, *acc = NULL, *tmp = NULL;
    RadImage *out = NULL;
    if (!(sigma > 0) || !isfinite(sigma)) {
        rad_error_set("pylog filter: sigma must be > 0 mm, got %g", sigma);
        return NULL;
    }
    if (rad_filter_check_image(img, dims, 0, "pylog filter") != 0)
        return NULL;
    for (int a = 0; a < 3; a++)
        dim[a] = a < img->geom.ndim ? img->geom.dim[a] : 1;
    for (int a = 0; a < dims; a++) {
        double h = img->geom.spacing[a];
        if (!(h > 1e-8)) {
            rad_error_set("pylog filter: the spacing along %c is %g mm; ITK's recursive Gaussian needs a spacing "
                          "> 1e-8 mm",
                          axname[a], h);
            return NULL;
        }
        if (dim[a] < 4) {
            rad_error_set("pylog filter: axis %c has %zu voxels; ITK's recursive Gaussian needs at least 4 along "
                          "each filtered axis%s",
                          axname[a], dim[a], a == 2 ? " (use dims = 2 for a thin volume)" : "");
            return NULL;
        }
        if ((double)dim[a] < ceil(sigma / h) + 1) {
            rad_error_set("pylog filter: sigma %g mm is too large for the image: axis %c has %zu voxels of %g mm, "
                          "PyRadiomics needs at least ceil(sigma / spacing) + 1 = %g (it skips such a sigma); use "
                          "a smaller sigma",
                          sigma, axname[a], dim[a], h, ceil(sigma / h) + 1);
            return NULL;
        }
    }
    n = dim[0] * dim[1] * dim[2];
    if (!(in = rad_filter_to_double(img)))
        return NULL;
    acc = calloc(n, sizeof *acc);
    tmp = malloc(n * sizeof *tmp);
    if (!acc || !tmp) {
        rad_error_set("pylog filter: out of memory (%zu MB)", (2 * n * sizeof *acc) >> 20);
        goto done;
    }
    for (int d = 0; d < dims; d++) {
        double h = img->geom.spacing[d];
        memcpy(tmp, in, n * sizeof *tmp);
        if (pylog_axis(tmp, dim, d, sigma, h, 2, threads) != 0)
            goto done;
        for (int a = 0; a < dims; a++)
            if (a != d && pylog_axis(tmp, dim, a, sigma, img->geom.spacing[a], 0, threads) != 0)
                goto done;
        for (size_t i = 0; i < n; i++)
            acc[i] += tmp[i] / (h * h);
    }
    out = rad_filter_from_double(img, acc);
done:
    free(in);
    free(acc);
    free(tmp);
    return out;
}
