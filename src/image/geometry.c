/* radlab: image geometry (size, spacing, origin, direction).  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "image/image.h"
#include "util/error.h"

void rad_geometry_init(RadGeometry *g, int ndim, size_t nx, size_t ny, size_t nz)
{
    memset(g, 0, sizeof *g);
    g->ndim = ndim;
    g->dim[0] = nx;
    g->dim[1] = ny;
    g->dim[2] = ndim == 2 ? 1 : nz;
    for (int c = 0; c < 3; c++) {
        g->spacing[c] = 1.0;
        g->direction[c * 3 + c] = 1.0;
    }
}

size_t rad_geometry_nvox(const RadGeometry *g)
{
    return g->dim[0] * g->dim[1] * g->dim[2];
}

static double det3(const double *m)
{
    return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
         + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

int rad_geometry_check(const RadGeometry *g)
{
    /* 2^31 voxels: far beyond any CT volume, and keeps index arithmetic safe. */
    const size_t maxvox = (size_t)1 << 31;
    if (g->ndim != 2 && g->ndim != 3)
        return rad_error_set("an image must have 2 or 3 dimensions, not %d", g->ndim);
    if (g->ndim == 2 && g->dim[2] != 1)
        return rad_error_set("a 2D image has nz = 1, not %zu", g->dim[2]);
    for (int c = 0; c < 3; c++) {
        if (g->dim[c] == 0)
            return rad_error_set("image size %zux%zux%zu has an empty axis", g->dim[0], g->dim[1], g->dim[2]);
        if (!(g->spacing[c] > 0) || !isfinite(g->spacing[c]))
            return rad_error_set("voxel spacing must be positive and finite, axis %c has %g", "xyz"[c], g->spacing[c]);
        if (!isfinite(g->origin[c]))
            return rad_error_set("image origin must be finite, axis %c has %g", "xyz"[c], g->origin[c]);
    }
    if (g->dim[0] > maxvox / g->dim[1] || g->dim[0] * g->dim[1] > maxvox / g->dim[2])
        return rad_error_set("image size %zux%zux%zu exceeds 2^31 voxels", g->dim[0], g->dim[1], g->dim[2]);
    if (!(fabs(det3(g->direction)) > 1e-6))
        return rad_error_set("image direction matrix is singular (its axes are not independent)");
    return 0;
}

void rad_geometry_index_to_point(const RadGeometry *g, const double idx[3], double p[3])
{
    for (int r = 0; r < 3; r++) {
        double s = g->origin[r];
        for (int c = 0; c < 3; c++)
            s += g->direction[r * 3 + c] * g->spacing[c] * idx[c];
        p[r] = s;
    }
}

int rad_geometry_point_to_index(const RadGeometry *g, const double p[3], double idx[3])
{
    /* Solve (D diag(s)) idx = p - origin by Cramer's rule: 3x3, exact enough. */
    double a[9], b[3], d;
    for (int r = 0; r < 3; r++) {
        b[r] = p[r] - g->origin[r];
        for (int c = 0; c < 3; c++)
            a[r * 3 + c] = g->direction[r * 3 + c] * g->spacing[c];
    }
    d = det3(a);
    if (d == 0)
        return rad_error_set("image direction matrix is singular");
    for (int c = 0; c < 3; c++) {
        double t[9];
        memcpy(t, a, sizeof t);
        for (int r = 0; r < 3; r++)
            t[r * 3 + c] = b[r];
        idx[c] = det3(t) / d;
    }
    return 0;
}

int rad_geometry_same(const RadGeometry *a, const RadGeometry *b, double tol)
{
    double far_a[3], far_b[3], idx[3];
    for (int c = 0; c < 3; c++)
        if (a->dim[c] != b->dim[c])
            return 0;
    for (int c = 0; c < 3; c++) {
        if (fabs(a->origin[c] - b->origin[c]) > tol)
            return 0;
        /* spacing relative to the grid extent: a tiny spacing difference
         * over hundreds of voxels moves the far corner. */
        if (fabs(a->spacing[c] - b->spacing[c]) * (double)a->dim[c] > tol)
            return 0;
        idx[c] = (double)(a->dim[c] - 1);
    }
    rad_geometry_index_to_point(a, idx, far_a);
    rad_geometry_index_to_point(b, idx, far_b);
    for (int c = 0; c < 3; c++)
        if (fabs(far_a[c] - far_b[c]) > tol)
            return 0;
    /* directions: the unit axes agree to within tol mm over 1 m */
    for (int i = 0; i < 9; i++)
        if (fabs(a->direction[i] - b->direction[i]) > 1e-3 * tol + 1e-6)
            return 0;
    return 1;
}

static int is_identity(const double *d)
{
    for (int i = 0; i < 9; i++)
        if (d[i] != ((i % 4) == 0 ? 1.0 : 0.0))
            return 0;
    return 1;
}

void rad_geometry_describe(const RadGeometry *g, char *buf, size_t n)
{
    int len;
    if (g->ndim == 2)
        len = snprintf(buf, n, "%zux%zu at %.6gx%.6g mm, origin (%.6g, %.6g)", g->dim[0], g->dim[1],
                       g->spacing[0], g->spacing[1], g->origin[0], g->origin[1]);
    else
        len = snprintf(buf, n, "%zux%zux%zu at %.6gx%.6gx%.6g mm, origin (%.6g, %.6g, %.6g)",
                       g->dim[0], g->dim[1], g->dim[2], g->spacing[0], g->spacing[1], g->spacing[2],
                       g->origin[0], g->origin[1], g->origin[2]);
    if (len > 0 && (size_t)len < n && !is_identity(g->direction)) {
        const double *d = g->direction;
        snprintf(buf + len, n - (size_t)len, ", direction (%.4g %.4g %.4g; %.4g %.4g %.4g; %.4g %.4g %.4g)",
                 d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8]);
    }
}

void rad_geometry_crop(const RadGeometry *g, const RadBox *b, RadGeometry *out)
{
    double lo[3];
    *out = *g;
    for (int c = 0; c < 3; c++) {
        out->dim[c] = b->hi[c] - b->lo[c] + 1;
        lo[c] = (double)b->lo[c];
    }
    rad_geometry_index_to_point(g, lo, out->origin);
}
