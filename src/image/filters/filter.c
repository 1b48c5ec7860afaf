/* radlab: what the image filters share (see filter.h).  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image/filters/filter.h"
#include "util/error.h"
#include "util/pool.h"

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

/* One axis: the lines of the volume along `axis`, each gathered into a
 * padded buffer (boundary applied once per line), correlated, scattered
 * back.  Lines are split into jobs of whole planes. */
typedef struct AxisJob {
    void *data;
    int dbl;
    size_t dim[3];
    int axis;
    const double *k;
    size_t m, c;
    RadBoundary b;
    size_t nlines, per_job;
} AxisJob;

/* line number q -> its first voxel and the stride along the axis */
static void line_start(const AxisJob *j, size_t q, size_t *start, size_t *stride)
{
    size_t nx = j->dim[0], ny = j->dim[1];
    if (j->axis == 0) {
        *start = q * nx;
        *stride = 1;
    } else if (j->axis == 1) {
        size_t z = q / nx, x = q % nx;
        *start = z * nx * ny + x;
        *stride = nx;
    } else {
        *start = q;
        *stride = nx * ny;
    }
}

static int axis_job(size_t jb, void *ctx)
{
    const AxisJob *j = ctx;
    size_t n = j->dim[j->axis], m = j->m, c = j->c;
    size_t q0 = jb * j->per_job, q1 = q0 + j->per_job < j->nlines ? q0 + j->per_job : j->nlines;
    double *pad = malloc((n + m) * sizeof *pad), *out = malloc((n ? n : 1) * sizeof *out);
    if (!pad || !out) {
        free(pad);
        free(out);
        return rad_error_set("out of memory filtering a line of %zu voxels", n);
    }
    for (size_t q = q0; q < q1; q++) {
        size_t start, stride;
        line_start(j, q, &start, &stride);
        /* pad[t] holds the value at index t - c */
        for (size_t t = 0; t < n + m - 1; t++) {
            ssize_t src = rad_boundary_index((ssize_t)t - (ssize_t)c, n, j->b);
            if (src < 0)
                pad[t] = 0;
            else if (j->dbl)
                pad[t] = ((const double *)j->data)[start + (size_t)src * stride];
            else
                pad[t] = ((const float *)j->data)[start + (size_t)src * stride];
        }
        for (size_t i = 0; i < n; i++) {
            double s = 0;
            for (size_t t = 0; t < m; t++)
                s += j->k[t] * pad[i + t];
            out[i] = s;
        }
        for (size_t i = 0; i < n; i++) {
            if (j->dbl)
                ((double *)j->data)[start + i * stride] = out[i];
            else
                ((float *)j->data)[start + i * stride] = (float)out[i];
        }
    }
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
    j.nlines = dim[0] * dim[1] * dim[2] / dim[axis];
    j.per_job = j.nlines / 64 + 1;
    njobs = (j.nlines + j.per_job - 1) / j.per_job;
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
