/* radlab: what the image filters share (see filter.h).  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image/filters/filter.h"
#include "util/error.h"
#include "util/pool.h"
#include "util/vec.h"

int rad_boundary_parse(const char *name)
{
    static const struct {
        const char *name;
        RadBoundary b;
    } names[] = {{"constant", RAD_BOUNDARY_CONSTANT}, {"zero", RAD_BOUNDARY_CONSTANT},
                 {"nearest", RAD_BOUNDARY_NEAREST},   {"edge", RAD_BOUNDARY_NEAREST},
                 {"periodic", RAD_BOUNDARY_PERIODIC}, {"wrap", RAD_BOUNDARY_PERIODIC},
                 {"mirror", RAD_BOUNDARY_MIRROR},     {"reflect", RAD_BOUNDARY_MIRROR},
                 {"symmetric", RAD_BOUNDARY_MIRROR}};
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0)
            return (int)names[i].b;
    return -1;
}

const char *rad_boundary_name(RadBoundary b)
{
    switch (b) {
    case RAD_BOUNDARY_CONSTANT:
        return "constant";
    case RAD_BOUNDARY_NEAREST:
        return "nearest";
    case RAD_BOUNDARY_PERIODIC:
        return "periodic";
    case RAD_BOUNDARY_MIRROR:
        return "mirror";
    }
    return "?";
}

ssize_t rad_boundary_index(ssize_t i, size_t n, RadBoundary b)
{
    ssize_t sn = (ssize_t)n;
    if (i >= 0 && i < sn)
        return i;
    switch (b) {
    case RAD_BOUNDARY_CONSTANT:
        return -1;
    case RAD_BOUNDARY_NEAREST:
        return i < 0 ? 0 : sn - 1;
    case RAD_BOUNDARY_PERIODIC: {
        ssize_t r = i % sn;
        return r < 0 ? r + sn : r;
    }
    case RAD_BOUNDARY_MIRROR: {
        ssize_t p = 2 * sn, r = i % p;
        if (r < 0)
            r += p;
        return r < sn ? r : p - 1 - r;
    }
    }
    return -1;
}

/* One axis.  Every line is gathered once into a buffer of doubles padded by
 * the boundary condition (the boundary index is computed for the m - 1
 * padding voxels only), correlated by a branch-free loop, scattered back.
 * Along x a line is contiguous; along y and z a block of up to AXIS_BLOCK
 * lines neighbouring in x is gathered at once, interleaved (pad[t B + l]:
 * voxel t of line l), so that memory is read and written in contiguous runs
 * and the inner loop runs over the lines of the block.  Every output is
 * still s = 0, s += k[0] p[i], s += k[1] p[i + 1], ... in that order: the
 * result is the same to the bit as one line at a time.  Jobs are whole
 * runs of lines (rows along x; x blocks of one row of the other axis). */
#define AXIS_BLOCK 16

typedef struct AxisJob {
    void *data;
    int dbl;
    size_t dim[3];
    int axis;
    const double *k;
    size_t m, c;
    RadBoundary b;
    size_t nunits, per_job; /* x: lines; y, z: (row, x block) units */
    size_t nblk;            /* x blocks per row (y, z) */
} AxisJob;

/* out[v] = sum_t k[t] pad[v + t step], v < len: one line (step 1) or a
 * block of lines interleaved (step AXIS_BLOCK); taps outer, voxels inner,
 * so the inner loop is a vector loop and each sum still runs in tap order */
RAD_HOT static void correlate(double *restrict out, const double *restrict pad, const double *restrict k, size_t len,
                              size_t m, size_t step)
{
    for (size_t v = 0; v < len; v++)
        out[v] = 0;
    for (size_t t = 0; t < m; t++) {
        double kt = k[t];
        const double *p = pad + t * step;
        for (size_t v = 0; v < len; v++)
            out[v] += kt * p[v];
    }
}

/* the source index of padded position t (image index t - c); -1: zero */
static ssize_t pad_source(const AxisJob *j, size_t t, size_t n)
{
    return rad_boundary_index((ssize_t)t - (ssize_t)j->c, n, j->b);
}

static void axis_x(const AxisJob *j, size_t q0, size_t q1, double *pad, double *out)
{
    size_t n = j->dim[0], m = j->m, c = j->c;
    for (size_t q = q0; q < q1; q++) {
        size_t start = q * n;
        /* pad[t] holds the value at index t - c */
        for (size_t t = 0; t < n + m - 1; t++) {
            if (t >= c && t - c < n) { /* the line itself: a straight copy */
                if (j->dbl)
                    memcpy(pad + t, (const double *)j->data + start, n * sizeof *pad);
                else
                    for (size_t i = 0; i < n; i++)
                        pad[t + i] = ((const float *)j->data)[start + i];
                t += n - 1;
                continue;
            }
            ssize_t src = pad_source(j, t, n);
            pad[t] = src < 0 ? 0
                     : j->dbl ? ((const double *)j->data)[start + (size_t)src]
                              : ((const float *)j->data)[start + (size_t)src];
        }
        correlate(out, pad, j->k, n, m, 1);
        if (j->dbl)
            memcpy((double *)j->data + start, out, n * sizeof *out);
        else
            for (size_t i = 0; i < n; i++)
                ((float *)j->data)[start + i] = (float)out[i];
    }
}

static void axis_yz(const AxisJob *j, size_t u0, size_t u1, double *pad, double *out)
{
    size_t nx = j->dim[0], ny = j->dim[1], n = j->dim[j->axis], m = j->m;
    size_t stride = j->axis == 1 ? nx : nx * ny, rowstep = j->axis == 1 ? nx * ny : nx;
    for (size_t u = u0; u < u1; u++) {
        size_t row = u / j->nblk, x0 = (u % j->nblk) * AXIS_BLOCK;
        size_t nl = nx - x0 < AXIS_BLOCK ? nx - x0 : AXIS_BLOCK, base = row * rowstep + x0;
        for (size_t t = 0; t < n + m - 1; t++) {
            ssize_t src = pad_source(j, t, n);
            double *p = pad + t * AXIS_BLOCK;
            size_t l = 0;
            if (src >= 0) {
                size_t at = base + (size_t)src * stride;
                if (j->dbl)
                    for (; l < nl; l++)
                        p[l] = ((const double *)j->data)[at + l];
                else
                    for (; l < nl; l++)
                        p[l] = ((const float *)j->data)[at + l];
            }
            for (; l < AXIS_BLOCK; l++)
                p[l] = 0;
        }
        correlate(out, pad, j->k, n * AXIS_BLOCK, m, AXIS_BLOCK); /* the unused lanes of a last block are dropped */
        for (size_t i = 0; i < n; i++) {
            size_t at = base + i * stride;
            const double *o = out + i * AXIS_BLOCK;
            if (j->dbl)
                memcpy((double *)j->data + at, o, nl * sizeof *o);
            else
                for (size_t l = 0; l < nl; l++)
                    ((float *)j->data)[at + l] = (float)o[l];
        }
    }
}

static int axis_job(size_t jb, void *ctx)
{
    const AxisJob *j = ctx;
    size_t n = j->dim[j->axis], m = j->m, w = j->axis == 0 ? 1 : AXIS_BLOCK;
    size_t u0 = jb * j->per_job, u1 = u0 + j->per_job < j->nunits ? u0 + j->per_job : j->nunits;
    double *pad = malloc((n + m) * w * sizeof *pad), *out = malloc(n * w * sizeof *out);
    if (!pad || !out) {
        free(pad);
        free(out);
        return rad_error_set("out of memory filtering a line of %zu voxels", n);
    }
    if (j->axis == 0)
        axis_x(j, u0, u1, pad, out);
    else
        axis_yz(j, u0, u1, pad, out);
    free(pad);
    free(out);
    return 0;
}

static int filter_axis(void *data, int dbl, const size_t dim[3], int axis, const double *k, size_t m, size_t c,
                       RadBoundary b, int threads)
{
    AxisJob j;
    size_t njobs;
    if (axis < 0 || axis > 2 || m == 0 || c >= m)
        return rad_error_set("filter: bad kernel (axis %d, length %zu, centre %zu)", axis, m, c);
    if (dim[0] == 0 || dim[1] == 0 || dim[2] == 0)
        return 0;
    memset(&j, 0, sizeof j);
    j.data = data;
    j.dbl = dbl;
    memcpy(j.dim, dim, sizeof j.dim);
    j.axis = axis;
    j.k = k;
    j.m = m;
    j.c = c;
    j.b = b;
    if (axis == 0) {
        j.nunits = dim[1] * dim[2];
    } else {
        j.nblk = (dim[0] + AXIS_BLOCK - 1) / AXIS_BLOCK;
        j.nunits = j.nblk * (dim[0] * dim[1] * dim[2] / dim[axis] / dim[0]);
    }
    j.per_job = j.nunits / 64 + 1;
    njobs = (j.nunits + j.per_job - 1) / j.per_job;
    if (rad_pool_run(njobs, threads, axis_job, &j, 1, NULL) != 0) /* a job's message stays in its thread */
        return rad_interrupted() ? rad_error_set("interrupted")
                                 : rad_error_set("out of memory filtering lines of %zu voxels", dim[axis]);
    return 0;
}

int rad_filter_axis(float *data, const size_t dim[3], int axis, const double *k, size_t m, size_t c, RadBoundary b,
                    int threads)
{
    return filter_axis(data, 0, dim, axis, k, m, c, b, threads);
}

int rad_filter_axis_d(double *data, const size_t dim[3], int axis, const double *k, size_t m, size_t c, RadBoundary b,
                      int threads)
{
    return filter_axis(data, 1, dim, axis, k, m, c, b, threads);
}
