/* radlab: interpolation onto a new grid (IBSI VTM2).  SPDX-License-Identifier: GPL-3.0-or-later */
/*
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
 * so the volume is resampled one axis at a time: x, then y within each
 * slice, then z across the resampled slices.  Each axis has a plan: for
 * every output index the input taps and their weights.  The cubic B-spline
 * first turns samples into spline coefficients with the recursive filter of
 * Unser, Aldroubi & Eden (IEEE TSP 1993), "B-spline signal processing",
 * with mirror (whole-sample symmetric) boundaries; the coefficient
 * prefilter of one axis commutes with the resampling of the others, so axis
 * by axis gives the full tensor-product spline.  Arithmetic is in double
 * precision (IBSI asks for at least 32-bit floats, to avoid spurious 0.4999
 * masks); results are stored as float32 images and 0/1 masks.
 *
 * Speed.  The CT phantom (204x201x60 -> 100x99x90) takes a few milliseconds
 * for trilinear and a few tens for the cubic spline.  Scratch memory is kept
 * to a few slices (plus one stack of resampled slices for the cubic spline),
 * because first-touch page faults on fresh memory cost more than the
 * arithmetic.
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

/* What a pass reads: one of doubles, floats or mask labels (as 0/1). */
typedef struct Src {
    const double *d;
    const float *f;
    const uint8_t *u;
    int label; /* with u: 0 = any non-zero voxel */
} Src;

/* What a pass writes: doubles, floats, or a 0/1 mask thresholded at delta. */
typedef struct Dst {
    double *d;
    float *f;
    uint8_t *u;
    double delta;
} Dst;

/* Columns processed together when the axis is not the fastest one. */
#define BLOCK 256

/* tmp[k * bw + i] = src[base + k * stride + i], k < n, i < bw */
static void gather(const Src *s, size_t base, size_t stride, size_t n, size_t bw, double *tmp)
{
    for (size_t k = 0; k < n; k++) {
        size_t at = base + k * stride;
        double *t = tmp + k * bw;
        if (s->d)
            for (size_t i = 0; i < bw; i++)
                t[i] = s->d[at + i];
        else if (s->f)
            for (size_t i = 0; i < bw; i++)
                t[i] = s->f[at + i];
        else if (s->label)
            for (size_t i = 0; i < bw; i++)
                t[i] = s->u[at + i] == s->label;
        else
            for (size_t i = 0; i < bw; i++)
                t[i] = s->u[at + i] != 0;
    }
}

static void store(const Dst *d, size_t at, const double *row, size_t bw)
{
    if (d->d)
        memcpy(d->d + at, row, bw * sizeof *row);
    else if (d->f)
        for (size_t i = 0; i < bw; i++)
            d->f[at + i] = (float)row[i];
    else
        /* E8H9: R = 1 where R_interp >= delta.  1e-9 of slack: IBSI's "Notes
         * on interpolation" warn that 0.4999... for an exact 0.5 must not
         * drop a voxel. */
        for (size_t i = 0; i < bw; i++)
            d->u[at + i] = row[i] >= d->delta - 1e-9;
}

/* Cubic B-spline coefficients of the bw columns of the n x bw block b, in
 * place (Unser, Aldroubi & Eden 1993): gain 6, then causal and anti-causal
 * first-order recursions with the pole z = sqrt(3) - 2, initialised for
 * whole-sample mirror boundaries.  acc holds bw doubles. */
static void prefilter_block(double *b, size_t n, size_t bw, double *acc)
{
    const double z = sqrt(3.0) - 2.0;
    const double gain = (1 - z) * (1 - 1 / z);
    /* |z|^30 < 1e-17: beyond 30 samples the causal sum's terms vanish */
    const size_t horizon = 30;

    if (n < 2)
        return;
    for (size_t k = 0; k < n * bw; k++)
        b[k] *= gain;
    /* causal initialisation c+(0) */
    memset(acc, 0, bw * sizeof *acc);
    if (n <= horizon) {
        /* exact for the mirror extension:
         * (c0 + z^(n-1) c(n-1) + sum_{k=1}^{n-2} (z^k + z^(2n-2-k)) c(k)) / (1 - z^(2n-2)) */
        double zn = pow(z, (double)(n - 1));
        for (size_t k = 0; k < n; k++) {
            double wk;
            if (k == 0)
                wk = 1;
            else if (k == n - 1)
                wk = zn;
            else
                wk = pow(z, (double)k) + pow(z, (double)(2 * n - 2 - k));
            for (size_t i = 0; i < bw; i++)
                acc[i] += wk * b[k * bw + i];
        }
        for (size_t i = 0; i < bw; i++)
            acc[i] /= 1 - zn * zn;
    } else {
        double zk = 1;
        for (size_t k = 0; k < horizon; k++, zk *= z)
            for (size_t i = 0; i < bw; i++)
                acc[i] += zk * b[k * bw + i];
    }
    memcpy(b, acc, bw * sizeof *acc);
    for (size_t k = 1; k < n; k++)
        for (size_t i = 0; i < bw; i++)
            b[k * bw + i] += z * b[(k - 1) * bw + i];
    /* anti-causal initialisation c-(n-1) = z / (z^2 - 1) (c+(n-1) + z c+(n-2)) */
    for (size_t i = 0; i < bw; i++)
        b[(n - 1) * bw + i] = z / (z * z - 1) * (b[(n - 1) * bw + i] + z * b[(n - 2) * bw + i]);
    for (size_t k = n - 1; k-- > 0;)
        for (size_t i = 0; i < bw; i++)
            b[k * bw + i] = z * (b[(k + 1) * bw + i] - b[k * bw + i]);
}

/* Scratch space shared by the passes of one resampling (allocated once:
 * fresh memory is costly, and the blocks are reused for every plane). */
typedef struct Work {
    double *tmp; /* n x BLOCK input block */
    double *row; /* one output row */
    double *acc; /* BLOCK prefilter sums */
} Work;

static Src src_at(const Src *s, size_t off)
{
    Src r = *s;
    if (r.d)
        r.d += off;
    else if (r.f)
        r.f += off;
    else
        r.u += off;
    return r;
}

static Dst dst_at(const Dst *d, size_t off)
{
    Dst r = *d;
    if (r.d)
        r.d += off;
    else if (r.f)
        r.f += off;
    else
        r.u += off;
    return r;
}

/* One axis: out[o][j][i] = sum_t w[j][t] c[o][idx[j][t]][i], where c is the
 * input (or, for the cubic spline, its coefficients along this axis).  The
 * volume is (inner, n, outer) around `axis`; columns are processed in
 * blocks of BLOCK so that the block (n x BLOCK doubles) stays in cache. */
static int resample_pass(const Src *src, const size_t dim[3], int axis, const AxisPlan *p, int cubic,
                         const Dst *dst, Work *wk)
{
    size_t inner = 1, outer = 1, n = dim[axis], bmax;
    double *tmp = wk->tmp, *row = wk->row;

    for (int c = 0; c < axis; c++)
        inner *= dim[c];
    for (int c = axis + 1; c < 3; c++)
        outer *= dim[c];
    bmax = inner < BLOCK ? inner : BLOCK;
    for (size_t o = 0; o < outer; o++) {
        if ((o & 63) == 63 && rad_interrupt_check() != 0)
            return -1;
        if (inner == 1) {
            /* the x axis: one whole output line at a time */
            gather(src, o * n, 1, n, 1, tmp);
            if (cubic)
                prefilter_block(tmp, n, 1, wk->acc);
            for (size_t j = 0; j < p->n_out; j++) {
                const size_t *ix = p->idx + j * (size_t)p->taps;
                const double *w = p->w + j * (size_t)p->taps;
                double s = 0;
                for (int t = 0; t < p->taps; t++)
                    if (w[t] != 0) /* see below */
                        s += w[t] * tmp[ix[t]];
                row[j] = s;
            }
            store(dst, o * p->n_out, row, p->n_out);
            continue;
        }
        for (size_t i0 = 0; i0 < inner; i0 += bmax) {
            size_t bw = inner - i0 < bmax ? inner - i0 : bmax;
            gather(src, o * n * inner + i0, inner, n, bw, tmp);
            if (cubic)
                prefilter_block(tmp, n, bw, wk->acc);
            for (size_t j = 0; j < p->n_out; j++) {
                const size_t *ix = p->idx + j * (size_t)p->taps;
                const double *w = p->w + j * (size_t)p->taps;
                memset(row, 0, bw * sizeof *row);
                for (int t = 0; t < p->taps; t++) {
                    const double *c = tmp + ix[t] * bw;
                    double wt = w[t];
                    /* zero weights are skipped, so that a NaN voxel does
                     * not leak into neighbours it has no weight in */
                    if (wt == 0)
                        continue;
                    for (size_t i = 0; i < bw; i++)
                        row[i] += wt * c[i];
                }
                store(dst, (o * p->n_out + j) * inner + i0, row, bw);
            }
        }
    }
    return 0;
}

static size_t zmax(size_t a, size_t b)
{
    return a > b ? a : b;
}

/* Input plane k resampled in-plane (x, then y) into d (mx x my). */
static int resample_plane(const Src *src, const size_t dim_in[3], size_t k, const AxisPlan p[3], const int ident[3],
                          int cubic, double *plane, const Dst *d, Work *wk)
{
    const size_t nx = dim_in[0], ny = dim_in[1];
    Src s = src_at(src, k * nx * ny);
    size_t pd[3] = {nx, ny, 1};

    if (ident[0] && ident[1]) {
        /* the plane as it is */
        for (size_t j = 0; j < ny; j++) {
            gather(&s, j * nx, 0, 1, nx, wk->tmp);
            store(d, j * nx, wk->tmp, nx);
        }
        return 0;
    }
    if (ident[0] || ident[1])
        return resample_pass(&s, pd, ident[0] ? 1 : 0, &p[ident[0] ? 1 : 0], cubic, d, wk);
    {
        Dst dp = {plane, NULL, NULL, 0};
        Src sp = {plane, NULL, NULL, 0};
        if (resample_pass(&s, pd, 0, &p[0], cubic, &dp, wk) != 0)
            return -1;
        pd[0] = p[0].n_out;
        return resample_pass(&sp, pd, 1, &p[1], cubic, d, wk);
    }
}

/* Planes kept by the z pass of nearest and linear interpolation: output
 * plane j reads at most 2 consecutive input planes, and j runs forward. */
#define RING 4

/* Resample src (dims dim_in) onto grid g, whose index j on axis c is the
 * source coordinate off[c] + j * step[c], writing the result to out.
 *
 * Each input plane is resampled in-plane (x, then y), then the planes are
 * combined along z.  Nearest and linear interpolation keep only a ring of
 * the in-plane results they need (computed on demand: input planes no
 * output plane reads are never resampled); the cubic spline needs whole z
 * columns for its prefilter, so it stacks every in-plane result first.
 * Scratch memory is thus a few planes (the stack for the cubic spline):
 * fresh memory is costly, and nothing volume-sized is needed otherwise. */
static int resample_volume(const Src *src, const size_t dim_in[3], const RadGeometry *g, const double off[3],
                           const double step[3], RadInterp interp, const Dst *out)
{
    const size_t nx = dim_in[0], ny = dim_in[1], nz = dim_in[2];
    const size_t mx = g->dim[0], my = g->dim[1], np = mx * my;
    int ident[3], cubic = interp == RAD_INTERP_CUBIC, rc = -1;
    AxisPlan p[3];
    Work wk = {NULL, NULL, NULL};
    double *plane = NULL, *stack = NULL;
    size_t ring_k[RING];

    memset(p, 0, sizeof p);
    for (int c = 0; c < 3; c++) {
        /* an axis where the grid is the source grid needs no pass (exact) */
        ident[c] = g->dim[c] == dim_in[c] && fabs(off[c]) < 1e-9 && fabs(step[c] - 1) < 1e-12;
        if (!ident[c] && plan_axis(dim_in[c], g->dim[c], off[c], step[c], interp, &p[c]) != 0)
            goto done;
    }
    wk.tmp = rad_malloc(zmax(nx, zmax(ny, nz) * BLOCK) * sizeof *wk.tmp, "interpolation block");
    wk.row = rad_malloc(zmax(mx, BLOCK) * sizeof *wk.row, "interpolation block");
    wk.acc = rad_malloc(BLOCK * sizeof *wk.acc, "interpolation block");
    if (!wk.tmp || !wk.row || !wk.acc)
        goto done;
    if (!ident[0] && !ident[1]) {
        plane = rad_malloc(mx * ny * sizeof *plane, "interpolation plane");
        if (!plane)
            goto done;
    }

    if (ident[2]) {
        /* z unchanged (2D images, in-plane resampling): planes straight out */
        for (size_t k = 0; k < nz; k++) {
            Dst d = dst_at(out, k * np);
            if (rad_interrupt_check() != 0 || resample_plane(src, dim_in, k, p, ident, cubic, plane, &d, &wk) != 0)
                goto done;
        }
    } else if (cubic) {
        Src s;
        size_t sd[3] = {mx, my, nz};
        stack = rad_malloc(np * nz * sizeof *stack, "interpolation stack");
        if (!stack)
            goto done;
        for (size_t k = 0; k < nz; k++) {
            Dst d = {stack + k * np, NULL, NULL, 0};
            if (rad_interrupt_check() != 0 || resample_plane(src, dim_in, k, p, ident, cubic, plane, &d, &wk) != 0)
                goto done;
        }
        s = (Src){stack, NULL, NULL, 0};
        if (resample_pass(&s, sd, 2, &p[2], 1, out, &wk) != 0)
            goto done;
    } else {
        stack = rad_malloc(np * RING * sizeof *stack, "interpolation planes");
        if (!stack)
            goto done;
        for (int r = 0; r < RING; r++)
            ring_k[r] = (size_t)-1;
        for (size_t j = 0; j < p[2].n_out; j++) {
            const size_t *ix = p[2].idx + j * (size_t)p[2].taps;
            const double *w = p[2].w + j * (size_t)p[2].taps;
            if (rad_interrupt_check() != 0)
                goto done;
            for (int t = 0; t < p[2].taps; t++) {
                size_t k = ix[t], r = k % RING;
                Dst d = {stack + r * np, NULL, NULL, 0};
                if (w[t] == 0 || ring_k[r] == k)
                    continue;
                if (resample_plane(src, dim_in, k, p, ident, 0, plane, &d, &wk) != 0)
                    goto done;
                ring_k[r] = k;
            }
            for (size_t i0 = 0; i0 < np; i0 += BLOCK) {
                size_t bw = np - i0 < BLOCK ? np - i0 : BLOCK;
                memset(wk.row, 0, bw * sizeof *wk.row);
                for (int t = 0; t < p[2].taps; t++) {
                    const double *c = stack + (ix[t] % RING) * np + i0;
                    if (w[t] == 0)
                        continue;
                    for (size_t i = 0; i < bw; i++)
                        wk.row[i] += w[t] * c[i];
                }
                store(out, j * np + i0, wk.row, bw);
            }
        }
    }
    rc = 0;
done:
    for (int c = 0; c < 3; c++)
        plan_free(&p[c]);
    free(wk.tmp);
    free(wk.row);
    free(wk.acc);
    free(plane);
    free(stack);
    return rc;
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
    double off[3], step[3];
    RadImage *out;
    Src s = {NULL, img->data, NULL, 0};
    Dst d = {NULL, NULL, NULL, 0};

    if (check_interp(interp) != 0 || grid_mapping(&img->geom, grid, off, step) != 0)
        return NULL;
    out = rad_image_alloc(grid); /* every voxel is written below */
    if (!out)
        return NULL;
    d.f = out->data;
    if (resample_volume(&s, img->geom.dim, grid, off, step, interp, &d) != 0) {
        rad_image_free(out);
        return NULL;
    }
    return out;
}

/* The selected label as a 0/1 field on `grid`, binarised at delta (E8H9). */
RadMask *rad_mask_resample(const RadMask *m, const RadGeometry *grid, RadInterp interp, double delta)
{
    double off[3], step[3];
    RadMask *out;
    Src s = {NULL, NULL, m->data, m->label};
    Dst d = {NULL, NULL, NULL, delta};

    if (check_interp(interp) != 0 || grid_mapping(&m->geom, grid, off, step) != 0)
        return NULL;
    if (!(delta > 0 && delta <= 1)) {
        rad_error_set("mask partial-volume threshold must be in (0, 1], got %g", delta);
        return NULL;
    }
    out = rad_mask_new(grid);
    if (!out)
        return NULL;
    out->label = 1;
    d.u = out->data;
    if (resample_volume(&s, m->geom.dim, grid, off, step, interp, &d) != 0) {
        rad_mask_free(out);
        return NULL;
    }
    return out;
}

/* The mask's labels on `grid` by nearest neighbour: each grid voxel takes the
 * label of the mask voxel whose centre is nearest to its centre (ties go to
 * the higher index), 0 where that falls outside the mask.  Any direction
 * matrix is allowed: the mapping is the affine map grid index -> world ->
 * mask index.  The selected label is kept.  This is Mask:resample_to(img),
 * the fix a geometry-mismatch message proposes. */
RadMask *rad_mask_resample_to(const RadMask *m, const RadGeometry *grid)
{
    double zero[3] = {0, 0, 0}, p[3], b[3], a[3][3];
    size_t nx = m->geom.dim[0], ny = m->geom.dim[1], nz = m->geom.dim[2];
    RadMask *out;

    if (rad_geometry_check(grid) != 0) {
        rad_error_prefix("target grid");
        return NULL;
    }
    /* column c of a: the mask-index step of one grid step along axis c */
    rad_geometry_index_to_point(grid, zero, p);
    if (rad_geometry_point_to_index(&m->geom, p, b) != 0)
        return NULL;
    for (int c = 0; c < 3; c++) {
        double e[3] = {0, 0, 0}, q[3];
        e[c] = 1;
        rad_geometry_index_to_point(grid, e, p);
        if (rad_geometry_point_to_index(&m->geom, p, q) != 0)
            return NULL;
        for (int r = 0; r < 3; r++)
            a[r][c] = q[r] - b[r];
    }
    out = rad_mask_new(grid);
    if (!out)
        return NULL;
    out->label = m->label;
    for (size_t k = 0; k < grid->dim[2]; k++)
        for (size_t j = 0; j < grid->dim[1]; j++)
            for (size_t i = 0; i < grid->dim[0]; i++) {
                double x[3];
                long s[3];
                int inside = 1;
                for (int r = 0; r < 3; r++) {
                    x[r] = b[r] + a[r][0] * (double)i + a[r][1] * (double)j + a[r][2] * (double)k;
                    /* 1e-9 voxel: a centre that maps onto a half-way point
                     * through rounding error still picks the same side */
                    s[r] = (long)floor(x[r] + 0.5 + 1e-9);
                }
                if (s[0] < 0 || s[1] < 0 || s[2] < 0 || (size_t)s[0] >= nx || (size_t)s[1] >= ny ||
                    (size_t)s[2] >= nz)
                    inside = 0;
                out->data[(k * grid->dim[1] + j) * grid->dim[0] + i] =
                    inside ? m->data[((size_t)s[2] * ny + (size_t)s[1]) * nx + (size_t)s[0]] : 0;
            }
    return out;
}
