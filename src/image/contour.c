/* radlab: planar contours rasterised onto an image grid (see contour.h).  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image/contour.h"
#include "util/error.h"

/* Index coordinates this close to a whole number are that number (contour.h). */
#define SNAP 1e-6

static double snap(double v)
{
    double r = nearbyint(v);
    return fabs(v - r) <= SNAP ? r : v;
}

/* One crossing of a row by an edge: row j (slice-local) and position x. */
typedef struct Crossing {
    size_t row;
    double x;
} Crossing;

static int cmp_crossing(const void *a, const void *b)
{
    const Crossing *p = a, *q = b;
    if (p->row != q->row)
        return p->row < q->row ? -1 : 1;
    return (p->x > q->x) - (p->x < q->x);
}

/* Slice number and index-space points of each contour. */
typedef struct Mapped {
    size_t slice;
    size_t npoints;
    double *ij; /* i, j of each point */
} Mapped;

static int cmp_mapped(const void *a, const void *b)
{
    const Mapped *p = a, *q = b;
    return (p->slice > q->slice) - (p->slice < q->slice);
}

/* The world position of slice k's plane through a point (for messages). */
static void slice_z(const RadGeometry *g, double k, double *z)
{
    double idx[3] = {0, 0, k}, p[3];
    rad_geometry_index_to_point(g, idx, p);
    *z = p[2];
}

/* Map contour c (number `num`, 1-based) into index space: m->slice, m->ij. */
static int map_contour(const RadGeometry *g, const RadContour *c, size_t num, const char *roi, Mapped *m)
{
    double idx[3], kfirst = 0;
    long k0 = 0;
    m->npoints = c->npoints;
    m->ij = rad_malloc((c->npoints ? c->npoints : 1) * 2 * sizeof(double), "contour points");
    if (!m->ij)
        return -1;
    for (size_t p = 0; p < c->npoints; p++) {
        const double *w = c->points + 3 * p;
        if (!isfinite(w[0]) || !isfinite(w[1]) || !isfinite(w[2]))
            return rad_error_set("ROI '%s': contour %zu, point %zu has a coordinate that is not a finite number", roi,
                                 num, p + 1);
        if (rad_geometry_point_to_index(g, w, idx) < 0)
            return rad_error_prefix("ROI '%s'", roi);
        if (!(fabs(idx[0]) < 1e12 && fabs(idx[1]) < 1e12 && fabs(idx[2]) < 1e12))
            return rad_error_set("ROI '%s': contour %zu, point %zu at (%g, %g, %g) mm is absurdly far from the image "
                                 "(more than 10^12 voxels); the file is damaged or not in millimetres",
                                 roi, num, p + 1, w[0], w[1], w[2]);
        if (p == 0) {
            double zk, zk1;
            kfirst = idx[2];
            k0 = lround(idx[2]);
            if (fabs(idx[2] - (double)k0) > RAD_CONTOUR_SLICE_TOL) {
                double kl = floor(idx[2]);
                slice_z(g, kl, &zk);
                slice_z(g, kl + 1, &zk1);
                return rad_error_set("ROI '%s': contour %zu at z = %.3f mm is not on a slice of the image: it lies "
                                     "between the slices at z = %.3f and %.3f mm (%.1f%% of the slice spacing from "
                                     "the nearest; tolerance %g%%); the contours were drawn on another series or the "
                                     "image was resampled: rasterise on the image they were drawn on",
                                     roi, num, w[2], zk, zk1, 100 * fabs(idx[2] - (double)k0),
                                     100 * RAD_CONTOUR_SLICE_TOL);
            }
            if (k0 < 0 || (size_t)k0 >= g->dim[2]) {
                slice_z(g, 0, &zk);
                slice_z(g, (double)g->dim[2] - 1, &zk1);
                return rad_error_set("ROI '%s': contour %zu at z = %.3f mm lies outside the image, whose slices go "
                                     "from z = %.3f to %.3f mm; rasterise on the image the contours were drawn on "
                                     "(or one that covers the whole ROI)",
                                     roi, num, w[2], zk, zk1);
            }
        } else if (fabs(idx[2] - (double)k0) > RAD_CONTOUR_SLICE_TOL) {
            return rad_error_set("ROI '%s': contour %zu is not in one slice of the image: its first point is at "
                                 "z = %.3f mm (slice %ld), point %zu at (%.3f, %.3f, %.3f) mm is %.3f slice spacings "
                                 "off that slice (tolerance %g); the contours must be planar and parallel to the "
                                 "image's slices",
                                 roi, num, c->points[2], k0 + 1, p + 1, w[0], w[1], w[2], fabs(idx[2] - kfirst),
                                 RAD_CONTOUR_SLICE_TOL);
        }
        m->ij[2 * p] = snap(idx[0]);
        m->ij[2 * p + 1] = snap(idx[1]);
    }
    m->slice = (size_t)k0;
    return 0;
}

/* Crossings of the rows of one slice by the edges of polygons ms[0..n-1],
 * appended to *xs (capacity *cap, count *nx). */
static int add_crossings(const Mapped *m, size_t ny, Crossing **xs, size_t *nx, size_t *cap)
{
    size_t np = m->npoints;
    if (np < 3)
        return 0;
    for (size_t p = 0; p < np; p++) {
        const double *a = m->ij + 2 * p, *b = m->ij + 2 * ((p + 1) % np);
        double ylo = a[1] < b[1] ? a[1] : b[1], yhi = a[1] < b[1] ? b[1] : a[1];
        double first, last;
        if (ylo == yhi || yhi <= 0 || ylo > (double)(ny - 1))
            continue;
        /* rows j with ylo <= j < yhi */
        first = ceil(ylo);
        if (first < 0)
            first = 0;
        last = ceil(yhi) - 1;
        if (last > (double)(ny - 1))
            last = (double)(ny - 1);
        for (double j = first; j <= last; j++) {
            if (*nx == *cap) {
                size_t nc = *cap ? 2 * *cap : 1024;
                Crossing *t = realloc(*xs, nc * sizeof *t);
                if (!t)
                    return rad_error_set("out of memory (%zu contour crossings)", nc);
                *xs = t;
                *cap = nc;
            }
            (*xs)[*nx].row = (size_t)j;
            (*xs)[*nx].x = snap(a[0] + (j - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
            (*nx)++;
        }
    }
    return 0;
}

/* Fill the voxels of one slice between pairs of sorted crossings. */
static void fill_slice(RadMask *mask, size_t k, Crossing *xs, size_t nx)
{
    size_t nxv = mask->geom.dim[0], nyv = mask->geom.dim[1];
    uint8_t *slice = mask->data + k * nxv * nyv;
    if (!nx)
        return;
    qsort(xs, nx, sizeof *xs, cmp_crossing);
    for (size_t a = 0; a < nx;) {
        size_t b = a;
        while (b < nx && xs[b].row == xs[a].row)
            b++;
        /* crossings a..b-1 of one row: even-odd pairs [x0, x1) */
        for (size_t c = a; c + 1 < b; c += 2) {
            double lo = ceil(xs[c].x), hi = ceil(xs[c + 1].x) - 1;
            if (lo < 0)
                lo = 0;
            if (hi > (double)(nxv - 1))
                hi = (double)(nxv - 1);
            if (lo <= hi)
                memset(slice + xs[a].row * nxv + (size_t)lo, 1, (size_t)(hi - lo) + 1);
        }
        a = b;
    }
}

RadMask *rad_contours_rasterise(const RadGeometry *grid, const RadContour *contours, size_t n, const char *roi)
{
    Mapped *ms = NULL;
    Crossing *xs = NULL;
    size_t nx = 0, cap = 0, done = 0;
    RadMask *mask = NULL;
    if (!roi)
        roi = "(unnamed)";
    if (rad_geometry_check(grid) < 0)
        return NULL;
    ms = rad_calloc(n ? n : 1, sizeof *ms, "contours");
    if (!ms)
        return NULL;
    for (; done < n; done++)
        if (map_contour(grid, &contours[done], done + 1, roi, &ms[done]) < 0) {
            done++;
            goto fail;
        }
    mask = rad_mask_new(grid);
    if (!mask)
        goto fail;
    mask->label = 1;
    qsort(ms, n, sizeof *ms, cmp_mapped);
    for (size_t a = 0; a < n;) {
        size_t b = a;
        nx = 0;
        while (b < n && ms[b].slice == ms[a].slice) {
            if (add_crossings(&ms[b], grid->dim[1], &xs, &nx, &cap) < 0)
                goto fail;
            b++;
        }
        fill_slice(mask, ms[a].slice, xs, nx);
        a = b;
    }
    for (size_t c = 0; c < n; c++)
        free(ms[c].ij);
    free(ms);
    free(xs);
    return mask;
fail:
    for (size_t c = 0; c < done; c++)
        free(ms[c].ij);
    free(ms);
    free(xs);
    rad_mask_free(mask);
    return NULL;
}
