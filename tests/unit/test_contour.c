/* radlab: unit tests of the contour rasteriser (src/image/contour.c), without
 * DICOM.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/contour.h"
#include "util/error.h"
#include "tap.h"

/* Points of an index-space polygon (i, j on slice k) mapped to world. */
static double *to_world(const RadGeometry *g, const double *ij, size_t n, double k)
{
    double *w = malloc(n * 3 * sizeof *w);
    for (size_t p = 0; p < n; p++) {
        double idx[3] = {ij[2 * p], ij[2 * p + 1], k};
        rad_geometry_index_to_point(g, idx, w + 3 * p);
    }
    return w;
}

static size_t count(const RadMask *m)
{
    return m ? rad_mask_count(m) : (size_t)-1;
}

/* Independent point-in-polygon test (crossing number, the same half-open
 * convention as contour.h): a check on the scanline fill. */
static int pnpoly(const double *ij, size_t n, double x, double y)
{
    int in = 0;
    for (size_t a = 0, b = n - 1; a < n; b = a++) {
        double xa = ij[2 * a], ya = ij[2 * a + 1], xb = ij[2 * b], yb = ij[2 * b + 1];
        if ((ya > y) != (yb > y) && x < xa + (y - ya) * (xb - xa) / (yb - ya))
            in = !in;
    }
    return in;
}

int main(void)
{
    RadGeometry g;
    rad_geometry_init(&g, 3, 10, 8, 5);
    g.spacing[0] = 0.5;
    g.spacing[1] = 0.75;
    g.spacing[2] = 3;
    g.origin[0] = -10;
    g.origin[1] = 20;
    g.origin[2] = 7;

    /* a square whose corners fall between voxel centres: 3 x 3 voxels */
    double sq[] = {1.5, 1.5, 4.5, 1.5, 4.5, 4.5, 1.5, 4.5};
    double *w = to_world(&g, sq, 4, 2);
    RadContour c = {4, w};
    RadMask *m = rad_contours_rasterise(&g, &c, 1, "square");
    tap_ok(m && count(m) == 9, "square 1.5..4.5 on slice 2: 9 voxels (got %zu)", count(m));
    tap_ok(m && m->data[2 + 10 * (2 + 8 * 2)] == 1 && m->data[4 + 10 * (4 + 8 * 2)] == 1 &&
               m->data[5 + 10 * (4 + 8 * 2)] == 0 && m->data[2 + 10 * (2 + 8 * 1)] == 0,
           "the right voxels, on slice 2 only");
    rad_mask_free(m);
    free(w);

    /* edges through voxel centres: left and lower edges inside, right and upper outside */
    double sq2[] = {1, 1, 4, 1, 4, 4, 1, 4};
    w = to_world(&g, sq2, 4, 0);
    c.points = w;
    m = rad_contours_rasterise(&g, &c, 1, "edges");
    tap_ok(m && count(m) == 9, "square 1..4 through centres: i, j in [1, 4) -> 9 voxels (got %zu)", count(m));
    tap_ok(m && m->data[1 + 10 * 1] == 1 && m->data[4 + 10 * 1] == 0 && m->data[1 + 10 * 4] == 0,
           "centre on the left/lower edge inside, on the right/upper edge outside");
    rad_mask_free(m);
    /* the same square traversed the other way round: same voxels */
    double sq2r[] = {1, 1, 1, 4, 4, 4, 4, 1};
    double *wr = to_world(&g, sq2r, 4, 0);
    c.points = wr;
    m = rad_contours_rasterise(&g, &c, 1, "edges");
    tap_ok(m && count(m) == 9, "clockwise or counter-clockwise: the same 9 voxels (got %zu)", count(m));
    rad_mask_free(m);
    free(wr);
    free(w);

    /* even-odd: a hole, and a second polygon on the same slice */
    double outer[] = {-0.5, -0.5, 6.5, -0.5, 6.5, 6.5, -0.5, 6.5};
    double hole[] = {1.5, 1.5, 3.5, 1.5, 3.5, 3.5, 1.5, 3.5};
    double other[] = {7.5, 0.5, 9.7, 0.5, 9.7, 1.5, 7.5, 1.5};
    double *w1 = to_world(&g, outer, 4, 1), *w2 = to_world(&g, hole, 4, 1), *w3 = to_world(&g, other, 4, 1);
    RadContour cs[3] = {{4, w1}, {4, w2}, {4, w3}};
    m = rad_contours_rasterise(&g, cs, 3, "holes");
    tap_ok(m && count(m) == 49 - 4 + 2, "7x7 minus a 2x2 hole plus a 2-voxel island: 47 (got %zu)", count(m));
    tap_ok(m && m->data[2 + 10 * (2 + 8)] == 0 && m->data[0 + 10 * (0 + 8)] == 1, "the hole is empty");
    rad_mask_free(m);
    /* overlapping polygons cancel where they overlap (even-odd) */
    double over[] = {4.5, 4.5, 8.5, 4.5, 8.5, 7.5, 4.5, 7.5};
    double *w4 = to_world(&g, over, 4, 1);
    RadContour co[2] = {{4, w1}, {4, w4}};
    m = rad_contours_rasterise(&g, co, 2, "overlap");
    tap_ok(m && count(m) == 49 + 12 - 2 * 4, "two overlapping squares: the overlap (2x2) is out (got %zu)", count(m));
    rad_mask_free(m);
    free(w4);

    /* polygons partly outside the grid are clipped */
    double big[] = {-5, -5, 20, -5, 20, 20, -5, 20};
    double *w5 = to_world(&g, big, 4, 4);
    c.points = w5;
    m = rad_contours_rasterise(&g, &c, 1, "big");
    tap_ok(m && count(m) == 80, "a polygon larger than the slice fills it: 80 (got %zu)", count(m));
    rad_mask_free(m);
    free(w5);

    /* a contour between slices: an error naming the ROI and the z position */
    double zoff[] = {1.5, 1.5, 4.5, 1.5, 4.5, 4.5};
    double *w6 = to_world(&g, zoff, 3, 2.5);
    c.npoints = 3;
    c.points = w6;
    m = rad_contours_rasterise(&g, &c, 1, "GTV");
    tap_ok(m == NULL, "a contour half-way between slices is an error");
    tap_contains(rad_error_message(), "ROI 'GTV': contour 1 at z = 14.500 mm is not on a slice",
                 "the message names the ROI, the contour and z");
    tap_contains(rad_error_message(), "between the slices at z = 13.000 and 16.000 mm", "and the slices around it");
    free(w6);
    /* within the tolerance (1/20 of the slice spacing): accepted */
    w6 = to_world(&g, zoff, 3, 2.049);
    c.points = w6;
    m = rad_contours_rasterise(&g, &c, 1, "GTV");
    tap_ok(m != NULL, "4.9%% of a slice spacing off: on the slice");
    rad_mask_free(m);
    free(w6);
    w6 = to_world(&g, zoff, 3, 2.051);
    c.points = w6;
    m = rad_contours_rasterise(&g, &c, 1, "GTV");
    tap_ok(m == NULL, "5.1%% off: an error");
    free(w6);
    w6 = to_world(&g, zoff, 3, 7);
    c.points = w6;
    m = rad_contours_rasterise(&g, &c, 1, "GTV");
    tap_ok(m == NULL, "a contour beyond the last slice is an error");
    tap_contains(rad_error_message(), "lies outside the image, whose slices go from z = 7.000 to 19.000 mm",
                 "the message gives the image's slice range");
    free(w6);
    /* a contour not parallel to the slices */
    double tilt[] = {1, 1, 2, 4, 1, 2, 4, 4, 3};
    double *w7 = malloc(sizeof tilt);
    for (int p = 0; p < 3; p++)
        rad_geometry_index_to_point(&g, tilt + 3 * p, w7 + 3 * p);
    c.points = w7;
    m = rad_contours_rasterise(&g, &c, 1, "tilted");
    tap_ok(m == NULL, "a contour across slices is an error");
    tap_contains(rad_error_message(), "is not in one slice of the image", "and says so");
    w7[5] = NAN;
    m = rad_contours_rasterise(&g, &c, 1, "nan");
    tap_ok(m == NULL && strstr(rad_error_message(), "not a finite number"), "a NaN coordinate is an error");
    free(w7);

    /* an oblique grid: rotated in-plane and tilted; work in index space */
    RadGeometry o = g;
    double a = 0.5, b = 0.3; /* rotation about z by a, then about x by b */
    double rz[9] = {cos(a), -sin(a), 0, sin(a), cos(a), 0, 0, 0, 1};
    double rx[9] = {1, 0, 0, 0, cos(b), -sin(b), 0, sin(b), cos(b)};
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 3; k++) {
            double s = 0;
            for (int t = 0; t < 3; t++)
                s += rx[r * 3 + t] * rz[t * 3 + k];
            o.direction[r * 3 + k] = s;
        }
    o.dim[0] = 40;
    o.dim[1] = 30;
    /* a random-ish star polygon: compare the fill with the point-in-polygon test */
    enum { NP = 37 };
    double star[2 * NP];
    for (int p = 0; p < NP; p++) {
        double t = 2 * M_PI * p / NP, r = (p % 2 ? 6 : 13) + 3 * sin(5.0 * p);
        star[2 * p] = 20 + r * cos(t);
        star[2 * p + 1] = 15 + r * sin(t);
    }
    double *w8 = to_world(&o, star, NP, 3);
    c.npoints = NP;
    c.points = w8;
    m = rad_contours_rasterise(&o, &c, 1, "star");
    size_t agree = 0, inside = 0;
    for (size_t j = 0; j < 30; j++)
        for (size_t i = 0; i < 40; i++) {
            int want = pnpoly(star, NP, (double)i, (double)j);
            inside += (size_t)want;
            agree += m && m->data[i + 40 * (j + 30 * 3)] == want;
        }
    tap_ok(m && agree == 1200 && count(m) == inside && inside > 100,
           "oblique grid, star polygon: every voxel as the point-in-polygon test (%zu of 1200 agree, %zu inside)",
           agree, inside);
    rad_mask_free(m);
    free(w8);

    /* fewer than 3 points enclose nothing; no contour: an empty mask */
    c.npoints = 2;
    c.points = w1;
    m = rad_contours_rasterise(&g, &c, 1, "line");
    tap_ok(m && count(m) == 0, "a 2-point contour encloses nothing");
    rad_mask_free(m);
    m = rad_contours_rasterise(&g, NULL, 0, "none");
    tap_ok(m && count(m) == 0, "no contours: an empty mask");
    rad_mask_free(m);
    free(w1);
    free(w2);
    free(w3);
    return tap_done();
}
