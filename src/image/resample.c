/* radlab: interpolation onto a new grid (IBSI 1 2.4, VTM2).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What this file computes (IBSI 1, docs/02_Image_processing.rst, section
 * "Interpolation", and docs/05_Reference_data_sets.rst, "Notes on
 * interpolation"):
 *
 *   - the interpolation grid: "align grid centres" (3WE3), grid dimensions
 *     n_b = ceil(n_a s_a / s_b) (026Q) and grid position (QCY4)
 *         x_b = x_a + (s_a (n_a - 1) - s_b (n_b - 1)) / 2   (world units),
 *     per axis along the image's own direction;
 *   - image values on that grid by nearest neighbour, (bi/tri)linear or cubic
 *     B-spline interpolation (IBSI "tricubic spline");
 *   - the ROI mask interpolated as a 0/1 float field and binarised with the
 *     partial-volume threshold delta: R = 1 where R_interp >= delta (E8H9).
 *
 * Extrapolation.  The new grid may extend past the original one (the ceiling
 * in 026Q).  IBSI recommends padding with the nearest boundary intensity; we
 * clamp each grid coordinate into [0, n - 1] before interpolating, which for
 * every interpolator gives the value at the nearest point of the original
 * grid's box (for nearest and linear exactly the padded boundary value).
 *
 * Separability.  All three interpolators are tensor products of 1D kernels,
 * so the volume is resampled one axis at a time (the axis that shrinks most
 * first, to keep the intermediate volumes small).  Each axis has a plan: for
 * every output index the input taps and their weights.  The cubic B-spline
 * first turns samples into spline coefficients with the recursive filter of
 * Unser, Aldroubi & Eden (IEEE TSP 1993), "B-spline signal processing",
 * with mirror (whole-sample symmetric) boundaries; the coefficient
 * prefilter of one axis commutes with the resampling of the others, so axis
 * by axis gives the full tensor-product spline.  Work is in double precision
 * (IBSI asks for at least 32-bit floats, to avoid spurious 0.4999 masks).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "util/error.h"

/* n_b from n_a s_a / s_b.  The tiny relative slack keeps an exact ratio such
 * as 60 * 3 / 2 = 90 at 90 when floating point gives 90.000000000000014. */
static int grid_size(size_t n_a, double s_a, double s_b, size_t *n_b)
{
    double x = (double)n_a * s_a / s_b;
    double c = ceil(x - 1e-9 * x);
    if (!(c <= 2147483648.0))
        return rad_error_set("resampling %zu voxels of %g mm to %g mm gives %g voxels, too many", n_a, s_a, s_b, c);
    *n_b = c < 1 ? 1 : (size_t)c;
    return 0;
}

/* IBSI 3WE3 / 026Q / QCY4: the interpolation grid for new spacing. */
int rad_resample_grid(const RadGeometry *in, const double spacing[3], int in_plane, RadGeometry *out)
{
    double off[3] = {0, 0, 0};
    int naxes = (in_plane || in->ndim == 2) ? 2 : 3;
    RadGeometry g;

    if (rad_geometry_check(in) != 0)
        return -1;
    g = *in;
    for (int c = 0; c < naxes; c++) {
        if (!(spacing[c] > 0) || !isfinite(spacing[c]))
            return rad_error_set("resampling spacing must be positive and finite, axis %c has %g", "xyz"[c], spacing[c]);
        if (grid_size(in->dim[c], in->spacing[c], spacing[c], &g.dim[c]) != 0)
            return -1;
        g.spacing[c] = spacing[c];
        /* QCY4 in grid units of the original axis: origin at
         * (n_a - 1 - (s_b / s_a)(n_b - 1)) / 2 */
        off[c] = 0.5 * ((double)in->dim[c] - 1.0 - spacing[c] / in->spacing[c] * ((double)g.dim[c] - 1.0));
    }
    rad_geometry_index_to_point(in, off, g.origin);
    if (rad_geometry_check(&g) != 0)
        return rad_error_prefix("interpolation grid");
    *out = g;
    return 0;
}

/* ---- 1D plans ----------------------------------------------------------------- */

typedef struct AxisPlan {
    size_t n_out;
    int taps;
    size_t *idx; /* n_out * taps input indices */
    double *w;   /* n_out * taps weights */
} AxisPlan;

/* Cubic B-spline kernel beta^3(t). */
static double bspline3(double t)
{
    t = fabs(t);
    if (t < 1)
        return 2.0 / 3.0 - t * t + 0.5 * t * t * t;
    if (t < 2) {
        double u = 2 - t;
        return u * u * u / 6.0;
    }
    return 0;
}

/* Whole-sample mirror of index k into 0..n-1 (period 2n - 2). */
static size_t mirror(long k, size_t n)
{
    long p = 2 * (long)n - 2;
    if (n == 1)
        return 0;
    if (k < 0)
        k = -k;
    k %= p;
    if (k >= (long)n)
        k = p - k;
    return (size_t)k;
}

static int plan_axis(size_t n_in, size_t n_out, double off, double step, RadInterp interp, AxisPlan *p)
{
    int taps = interp == RAD_INTERP_NEAREST ? 1 : interp == RAD_INTERP_LINEAR ? 2 : 4;
    double hi = (double)n_in - 1;
    p->n_out = n_out;
    p->taps = taps;
    p->idx = rad_malloc(n_out * (size_t)taps * sizeof *p->idx, "interpolation plan");
    p->w = rad_malloc(n_out * (size_t)taps * sizeof *p->w, "interpolation plan");
    if (!p->idx || !p->w) {
        free(p->idx);
        free(p->w);
        return -1;
    }
    for (size_t j = 0; j < n_out; j++) {
        double x = off + (double)j * step;
        size_t *ix = p->idx + j * (size_t)taps;
        double *w = p->w + j * (size_t)taps;
        /* nearest boundary value outside the original grid */
        if (x < 0)
            x = 0;
        if (x > hi)
            x = hi;
        if (interp == RAD_INTERP_NEAREST) {
            double r = floor(x + 0.5);
            ix[0] = r > hi ? n_in - 1 : (size_t)r;
            w[0] = 1;
        } else if (interp == RAD_INTERP_LINEAR) {
            double f = floor(x), t = x - f;
            size_t i0 = (size_t)f;
            if (i0 >= n_in - 1) {
                i0 = n_in - 1;
                t = 0;
            }
            ix[0] = i0;
            ix[1] = i0 + 1 < n_in ? i0 + 1 : i0;
            w[0] = 1 - t;
            w[1] = t;
        } else {
            long i = (long)floor(x);
            for (int t = 0; t < 4; t++) {
                long k = i - 1 + t;
                ix[t] = mirror(k, n_in);
                w[t] = bspline3(x - (double)k);
            }
        }
    }
    return 0;
}

static void plan_free(AxisPlan *p)
{
    free(p->idx);
    free(p->w);
}

/* ---- separable passes ------------------------------------------------------------ */

/* The volume as (inner, n, outer) around `axis`. */
static void split(const size_t dim[3], int axis, size_t *inner, size_t *outer)
{
    *inner = 1;
    *outer = 1;
    for (int c = 0; c < axis; c++)
        *inner *= dim[c];
    for (int c = axis + 1; c < 3; c++)
        *outer *= dim[c];
}

/* out[o][j][i] = sum_t w[j][t] in[o][idx[j][t]][i]. */
static int resample_pass(const double *in, const size_t dim[3], int axis, const AxisPlan *p, double *out)
{
    size_t inner, outer, n_in = dim[axis];
    split(dim, axis, &inner, &outer);
    for (size_t o = 0; o < outer; o++) {
        if ((o & 63) == 0 && rad_interrupt_check() != 0)
            return -1;
        for (size_t j = 0; j < p->n_out; j++) {
            double *dst = out + (o * p->n_out + j) * inner;
            const size_t *ix = p->idx + j * (size_t)p->taps;
            const double *w = p->w + j * (size_t)p->taps;
            if (inner == 1) {
                double s = 0;
                for (int t = 0; t < p->taps; t++)
                    if (w[t] != 0)
                        s += w[t] * in[o * n_in + ix[t]];
                *dst = s;
                continue;
            }
            memset(dst, 0, inner * sizeof *dst);
            for (int t = 0; t < p->taps; t++) {
                const double *src = in + (o * n_in + ix[t]) * inner;
                double wt = w[t];
                /* zero weights are skipped so that a NaN voxel does not
                 * leak into neighbours it has no weight in */
                if (wt == 0)
                    continue;
                for (size_t i = 0; i < inner; i++)
                    dst[i] += wt * src[i];
            }
        }
    }
    return 0;
}

/* Cubic B-spline coefficients along `axis`, in place (Unser et al. 1993):
 * gain 6, causal then anti-causal first-order recursions with the pole
 * z = sqrt(3) - 2, initialised for whole-sample mirror boundaries. */
static int prefilter_axis(double *buf, const size_t dim[3], int axis)
{
    const double z = sqrt(3.0) - 2.0;
    const double gain = (1 - z) * (1 - 1 / z);
    /* z^H < 1e-17: beyond H samples the causal sum's terms vanish */
    const size_t horizon = (size_t)ceil(log(1e-17) / log(fabs(z)));
    size_t inner, outer, n = dim[axis];
    double *acc;

    if (n < 2)
        return 0;
    split(dim, axis, &inner, &outer);
    acc = rad_malloc(inner * sizeof *acc, "spline prefilter");
    if (!acc)
        return -1;
    for (size_t o = 0; o < outer; o++) {
        double *b = buf + o * n * inner;
        if ((o & 63) == 0 && rad_interrupt_check() != 0) {
            free(acc);
            return -1;
        }
        for (size_t k = 0; k < n * inner; k++)
            b[k] *= gain;
        /* causal initialisation c+(0) */
        memset(acc, 0, inner * sizeof *acc);
        if (n <= horizon) {
            /* exact mirror sum:
             * (c0 + z^(n-1) c(n-1) + sum_{k=1}^{n-2} (z^k + z^(2n-2-k)) c(k)) / (1 - z^(2n-2)) */
            double zn = pow(z, (double)(n - 1)), z2n = zn * zn;
            for (size_t k = 0; k < n; k++) {
                double wk;
                if (k == 0)
                    wk = 1;
                else if (k == n - 1)
                    wk = zn;
                else
                    wk = pow(z, (double)k) + pow(z, (double)(2 * n - 2 - k));
                for (size_t i = 0; i < inner; i++)
                    acc[i] += wk * b[k * inner + i];
            }
            for (size_t i = 0; i < inner; i++)
                acc[i] /= 1 - z2n;
        } else {
            double zk = 1;
            for (size_t k = 0; k < horizon; k++, zk *= z)
                for (size_t i = 0; i < inner; i++)
                    acc[i] += zk * b[k * inner + i];
        }
        memcpy(b, acc, inner * sizeof *acc);
        for (size_t k = 1; k < n; k++)
            for (size_t i = 0; i < inner; i++)
                b[k * inner + i] += z * b[(k - 1) * inner + i];
        /* anti-causal initialisation c-(n-1) = z / (z^2 - 1) (c+(n-1) + z c+(n-2)) */
        for (size_t i = 0; i < inner; i++)
            b[(n - 1) * inner + i] = z / (z * z - 1) * (b[(n - 1) * inner + i] + z * b[(n - 2) * inner + i]);
        for (size_t k = n - 1; k-- > 0;)
            for (size_t i = 0; i < inner; i++)
                b[k * inner + i] = z * (b[(k + 1) * inner + i] - b[k * inner + i]);
    }
    free(acc);
    return 0;
}

/* Resample the double volume *buf (owned, dims dim) onto grid `g` whose
 * axes map to input coordinates off[c] + j * step[c].  *buf is replaced. */
static int resample_volume(double **buf, const size_t dim_in[3], const RadGeometry *g, const double off[3],
                           const double step[3], RadInterp interp)
{
    size_t dim[3] = {dim_in[0], dim_in[1], dim_in[2]};
    int order[3] = {0, 1, 2};

    /* axes that shrink most first: smaller intermediate volumes */
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++) {
            double ra = (double)g->dim[order[a]] / (double)dim[order[a]];
            double rb = (double)g->dim[order[b]] / (double)dim[order[b]];
            if (rb < ra) {
                int t = order[a];
                order[a] = order[b];
                order[b] = t;
            }
        }
    for (int a = 0; a < 3; a++) {
        int c = order[a];
        AxisPlan p;
        double *next;
        size_t nd[3] = {dim[0], dim[1], dim[2]};

        /* the identity along this axis: nothing to do (exact) */
        if (g->dim[c] == dim[c] && fabs(off[c]) < 1e-9 && fabs(step[c] - 1) < 1e-12)
            continue;
        if (interp == RAD_INTERP_CUBIC && prefilter_axis(*buf, dim, c) != 0)
            return -1;
        if (plan_axis(dim[c], g->dim[c], off[c], step[c], interp, &p) != 0)
            return -1;
        nd[c] = g->dim[c];
        next = rad_malloc(nd[0] * nd[1] * nd[2] * sizeof *next, "interpolated volume");
        if (!next || resample_pass(*buf, dim, c, &p, next) != 0) {
            free(next);
            plan_free(&p);
            return -1;
        }
        plan_free(&p);
        free(*buf);
        *buf = next;
        dim[c] = nd[c];
    }
    return 0;
}

/* Where the grid's axes fall on the source grid: grid index j on axis c is
 * source coordinate off[c] + j * step[c].  Only grids with the source's
 * direction are supported (the IBSI grids of rad_resample_grid are). */
static int grid_mapping(const RadGeometry *src, const RadGeometry *g, double off[3], double step[3])
{
    if (rad_geometry_check(g) != 0)
        return rad_error_prefix("interpolation grid");
    for (int i = 0; i < 9; i++)
        if (fabs(src->direction[i] - g->direction[i]) > 1e-6)
            return rad_error_set("the interpolation grid is rotated against the image (direction matrices differ); "
                                 "make the grid with rad_resample_grid, which keeps the image's direction");
    if (rad_geometry_point_to_index(src, g->origin, off) != 0)
        return -1;
    for (int c = 0; c < 3; c++)
        step[c] = g->spacing[c] / src->spacing[c];
    return 0;
}

static int check_interp(RadInterp interp)
{
    if (interp != RAD_INTERP_NEAREST && interp != RAD_INTERP_LINEAR && interp != RAD_INTERP_CUBIC)
        return rad_error_set("unknown interpolator %d (nearest, linear or cubic)", (int)interp);
    return 0;
}

/* Image values on `grid` (same direction); see the file comment. */
RadImage *rad_image_resample(const RadImage *img, const RadGeometry *grid, RadInterp interp)
{
    double off[3], step[3], *buf;
    size_t n = rad_image_nvox(img), m;
    RadImage *out;

    if (check_interp(interp) != 0 || grid_mapping(&img->geom, grid, off, step) != 0)
        return NULL;
    buf = rad_malloc(n * sizeof *buf, "interpolation buffer");
    if (!buf)
        return NULL;
    for (size_t v = 0; v < n; v++)
        buf[v] = img->data[v];
    if (resample_volume(&buf, img->geom.dim, grid, off, step, interp) != 0) {
        free(buf);
        return NULL;
    }
    out = rad_image_new(grid);
    if (!out) {
        free(buf);
        return NULL;
    }
    m = rad_image_nvox(out);
    for (size_t v = 0; v < m; v++)
        out->data[v] = (float)buf[v];
    free(buf);
    return out;
}

/* The selected label as a 0/1 field on `grid`, binarised at delta (E8H9).
 * The comparison allows 1e-9 of slack: IBSI's "Notes on interpolation" warn
 * that 0.4999... for an exact 0.5 must not drop a voxel. */
RadMask *rad_mask_resample(const RadMask *m, const RadGeometry *grid, RadInterp interp, double delta)
{
    double off[3], step[3], *buf;
    size_t n = rad_mask_nvox(m), nn;
    RadMask *out;

    if (check_interp(interp) != 0 || grid_mapping(&m->geom, grid, off, step) != 0)
        return NULL;
    if (!(delta > 0 && delta <= 1)) {
        rad_error_set("mask partial-volume threshold must be in (0, 1], got %g", delta);
        return NULL;
    }
    buf = rad_malloc(n * sizeof *buf, "interpolation buffer");
    if (!buf)
        return NULL;
    for (size_t v = 0; v < n; v++)
        buf[v] = rad_mask_in(m, v) ? 1.0 : 0.0;
    if (resample_volume(&buf, m->geom.dim, grid, off, step, interp) != 0) {
        free(buf);
        return NULL;
    }
    out = rad_mask_new(grid);
    if (!out) {
        free(buf);
        return NULL;
    }
    nn = rad_mask_nvox(out);
    for (size_t v = 0; v < nn; v++)
        out->data[v] = buf[v] >= delta - 1e-9;
    out->label = 1;
    free(buf);
    return out;
}
