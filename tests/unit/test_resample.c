/* radlab: unit tests of interpolation (IBSI VTM2).  SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Grid sizes and positions (IBSI 026Q, QCY4, "align grid centres" 3WE3) on
 * the CT phantom's numbers, exactness of nearest and linear interpolation on
 * ramps, the cubic B-spline's reproduction of constants, ramps and sample
 * values, the mask's partial-volume threshold (E8H9), in-plane resampling,
 * boundary padding and errors.
 */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "rad.h"
#include "tap.h"

static double ramp(double i, double j, double k)
{
    return 3.0 + 2.0 * i - 1.5 * j + 0.75 * k;
}

static RadImage *ramp_image(int ndim, size_t nx, size_t ny, size_t nz, const double sp[3])
{
    RadGeometry g;
    RadImage *img;
    rad_geometry_init(&g, ndim, nx, ny, nz);
    for (int c = 0; c < 3; c++)
        g.spacing[c] = sp[c];
    g.origin[0] = -10;
    g.origin[1] = 5;
    g.origin[2] = 2;
    img = rad_image_new(&g);
    for (size_t k = 0; k < g.dim[2]; k++)
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++)
                img->data[i + nx * (j + ny * k)] = (float)ramp((double)i, (double)j, (double)k);
    return img;
}

static double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* the source index coordinate of output voxel (i, j, k) */
static void src_index(const RadGeometry *src, const RadGeometry *g, size_t i, size_t j, size_t k, double idx[3])
{
    double p[3], q[3] = {(double)i, (double)j, (double)k};
    rad_geometry_index_to_point(g, q, p);
    rad_geometry_point_to_index(src, p, idx);
}

static void test_grid(void)
{
    RadGeometry in, out;
    double sp2[3] = {2, 2, 2}, off;

    /* the CT phantom: 204 x 201 x 60 at 0.977 x 0.977 x 3 mm */
    rad_geometry_init(&in, 3, 204, 201, 60);
    in.spacing[0] = in.spacing[1] = 0.977;
    in.spacing[2] = 3;
    in.origin[0] = -100;
    in.origin[1] = -50;
    in.origin[2] = 7;
    tap_ok(rad_resample_grid(&in, sp2, 0, &out) == 0, "grid of the CT phantom at 2 mm");
    tap_ok(out.dim[0] == 100 && out.dim[1] == 99 && out.dim[2] == 90,
           "204x0.977/2 -> 100, 201x0.977/2 -> 99, 60x3/2 -> 90 (exact ratio stays 90), got %zux%zux%zu",
           out.dim[0], out.dim[1], out.dim[2]);
    tap_ok(out.spacing[0] == 2 && out.spacing[1] == 2 && out.spacing[2] == 2, "new spacing 2 mm");
    /* QCY4: x_b = x_a + (s_a (n_a - 1) - s_b (n_b - 1)) / 2 */
    off = (0.977 * 203 - 2 * 99) / 2;
    tap_near(out.origin[0], -100 + off, 1e-9, "x origin centred (QCY4)");
    off = (0.977 * 200 - 2 * 98) / 2;
    tap_near(out.origin[1], -50 + off, 1e-9, "y origin centred (QCY4)");
    off = (3.0 * 59 - 2 * 89) / 2;
    tap_near(out.origin[2], 7 + off, 1e-9, "z origin centred (QCY4): -0.5 mm");
    /* the centres coincide */
    tap_near(out.origin[0] + 2 * 99 / 2.0, in.origin[0] + 0.977 * 203 / 2.0, 1e-9, "grid centres aligned (3WE3)");

    /* in-plane (2D configurations): z keeps size, spacing and origin */
    tap_ok(rad_resample_grid(&in, sp2, 1, &out) == 0 && out.dim[0] == 100 && out.dim[1] == 99 && out.dim[2] == 60
           && out.spacing[2] == 3 && out.origin[2] == 7, "in-plane grid keeps z: 100x99x60, 3 mm");

    /* IBSI's own example: 4 x 4 at 3 mm -> 6 x 6 at 2 mm, origin -0.5 mm */
    rad_geometry_init(&in, 2, 4, 4, 1);
    in.spacing[0] = in.spacing[1] = 3;
    tap_ok(rad_resample_grid(&in, sp2, 0, &out) == 0 && out.dim[0] == 6 && out.dim[1] == 6 && out.dim[2] == 1
           && out.ndim == 2, "IBSI example: 4x4 at 3 mm -> 6x6 at 2 mm (2D: nz stays 1)");
    tap_near(out.origin[0], -0.5, 1e-12, "IBSI example: origin at -0.5 mm");

    /* ceiling: a tiny image still gets a grid */
    rad_geometry_init(&in, 3, 1, 1, 1);
    tap_ok(rad_resample_grid(&in, (double[3]){5, 5, 5}, 0, &out) == 0 && out.dim[0] == 1 && out.dim[2] == 1,
           "a 1-voxel image at 1 mm -> 1 voxel at 5 mm (ceiling)");

    /* the origin moves along the image's own axes */
    rad_geometry_init(&in, 3, 10, 10, 10);
    in.direction[0] = 0;
    in.direction[1] = -1;
    in.direction[3] = 1;
    in.direction[4] = 0; /* index x runs along world y, index y along world -x */
    tap_ok(rad_resample_grid(&in, (double[3]){2.5, 1, 1}, 0, &out) == 0 && out.dim[0] == 4,
           "rotated: 10 at 1 mm -> 4 at 2.5 mm");
    tap_near(out.origin[1], (9 - 2.5 * 3) / 2, 1e-12, "rotated: origin shifts 0.75 mm along world y");
    tap_near(out.origin[0], 0, 1e-12, "rotated: world x unchanged");

    /* errors */
    rad_geometry_init(&in, 3, 10, 10, 10);
    tap_ok(rad_resample_grid(&in, (double[3]){0, 1, 1}, 0, &out) == -1, "zero spacing refused");
    tap_contains(rad_error_message(), "spacing", "message names the spacing");
    tap_ok(rad_resample_grid(&in, (double[3]){1e-9, 1, 1}, 0, &out) == -1, "absurd grid size refused");
}

static void test_linear_nearest(void)
{
    double sp[3] = {1.0, 1.25, 2.0}, idx[3], maxerr = 0, maxerr_n = 0;
    RadImage *img = ramp_image(3, 9, 8, 6, sp), *lin, *nn;
    RadGeometry g;
    int ok_n = 1;

    rad_resample_grid(&img->geom, (double[3]){0.7, 0.9, 1.3}, 0, &g);
    lin = rad_image_resample(img, &g, RAD_INTERP_LINEAR);
    nn = rad_image_resample(img, &g, RAD_INTERP_NEAREST);
    tap_ok(lin && nn, "linear and nearest resampling succeed");
    if (!lin || !nn)
        return;
    tap_ok(lin->geom.dim[0] == 13 && lin->geom.dim[1] == 12 && lin->geom.dim[2] == 10, "grid 13x12x10 (got %zux%zux%zu)",
           lin->geom.dim[0], lin->geom.dim[1], lin->geom.dim[2]);
    for (size_t k = 0; k < g.dim[2]; k++)
        for (size_t j = 0; j < g.dim[1]; j++)
            for (size_t i = 0; i < g.dim[0]; i++) {
                size_t v = i + g.dim[0] * (j + g.dim[1] * k);
                double e, c[3];
                src_index(&img->geom, &g, i, j, k, idx);
                /* outside: the nearest boundary value = the ramp at the clamped index */
                for (int a = 0; a < 3; a++)
                    c[a] = clampd(idx[a], 0, (double)img->geom.dim[a] - 1);
                e = fabs(lin->data[v] - ramp(c[0], c[1], c[2]));
                if (e > maxerr)
                    maxerr = e;
                e = fabs(nn->data[v] - ramp(floor(c[0] + 0.5), floor(c[1] + 0.5), floor(c[2] + 0.5)));
                if (e > maxerr_n)
                    maxerr_n = e;
                if (nn->data[v] != nn->data[v])
                    ok_n = 0;
            }
    tap_ok(maxerr < 1e-4, "trilinear reproduces a linear ramp exactly, clamped outside (max error %g)", maxerr);
    tap_ok(maxerr_n < 1e-4 && ok_n, "nearest picks the nearest voxel (max error %g)", maxerr_n);
    rad_image_free(lin);
    rad_image_free(nn);

    /* the same grid: an exact copy */
    lin = rad_image_resample(img, &img->geom, RAD_INTERP_CUBIC);
    {
        int same = lin != NULL;
        for (size_t v = 0; same && v < rad_image_nvox(img); v++)
            same = lin->data[v] == img->data[v];
        tap_ok(same, "resampling onto the image's own grid copies it exactly (cubic)");
    }
    rad_image_free(lin);

    /* a shifted grid: linear halfway between two voxels is their mean */
    g = img->geom;
    g.origin[0] += 0.5 * sp[0];
    g.dim[0] -= 1;
    lin = rad_image_resample(img, &g, RAD_INTERP_LINEAR);
    tap_ok(lin && fabs(lin->data[0] - 0.5 * (img->data[0] + img->data[1])) < 1e-6, "halfway -> mean of neighbours");
    rad_image_free(lin);
    rad_image_free(img);
}

static double beta3(double t)
{
    t = fabs(t);
    return t < 1 ? 2.0 / 3 - t * t + t * t * t / 2 : t < 2 ? (2 - t) * (2 - t) * (2 - t) / 6 : 0;
}

/* An independent cubic B-spline: the coefficients solve the banded system
 * (c[k-1] + 4 c[k] + c[k+1]) / 6 = s[k] with mirror ends c[-1] = c[1],
 * c[n] = c[n-2], by plain Gaussian elimination; then compare the
 * resampler's values along x (spacing 0.6, points outside clamped). */
static double spline_check(size_t n)
{
    double *a = calloc(n * n, sizeof *a), *c = calloc(n, sizeof *c), err = 0;
    RadGeometry g;
    RadImage *img, *r;
    rad_geometry_init(&g, 3, n, 1, 1);
    img = rad_image_new(&g);
    for (size_t k = 0; k < n; k++) {
        img->data[k] = (float)((k * 37 + 11) % 23) - 7.0f;
        c[k] = 6 * img->data[k];
        a[k * n + k] = 4;
        if (k > 0)
            a[k * n + k - 1] += 1;
        if (k + 1 < n)
            a[k * n + k + 1] += 1;
    }
    a[1] += 1;                   /* c[-1] = c[1] */
    a[(n - 1) * n + n - 2] += 1; /* c[n] = c[n-2] */
    for (size_t p = 0; p < n; p++)
        for (size_t q = p + 1; q < n; q++) {
            double f = a[q * n + p] / a[p * n + p];
            for (size_t t = p; t < n; t++)
                a[q * n + t] -= f * a[p * n + t];
            c[q] -= f * c[p];
        }
    for (size_t p = n; p-- > 0;) {
        for (size_t t = p + 1; t < n; t++)
            c[p] -= a[p * n + t] * c[t];
        c[p] /= a[p * n + p];
    }
    rad_resample_grid(&img->geom, (double[3]){0.6, 1, 1}, 0, &g);
    r = rad_image_resample(img, &g, RAD_INTERP_CUBIC);
    for (size_t j = 0; r && j < g.dim[0]; j++) {
        double x = clampd(g.origin[0] + 0.6 * (double)j, 0, (double)n - 1), v = 0, e;
        for (long k = (long)floor(x) - 1; k <= (long)floor(x) + 2; k++) {
            long m = k < 0 ? -k : k >= (long)n ? 2 * (long)n - 2 - k : k;
            v += c[m] * beta3(x - (double)k);
        }
        e = fabs(v - r->data[j]);
        if (e > err)
            err = e;
    }
    if (!r)
        err = INFINITY;
    rad_image_free(r);
    rad_image_free(img);
    free(a);
    free(c);
    return err;
}

static void test_cubic(void)
{
    double sp[3] = {1, 1, 1}, idx[3], err_c = 0, err_r = 0, err_s = 0;
    RadImage *img = ramp_image(3, 24, 22, 20, sp), *c1, *konst;
    RadGeometry g;

    err_c = spline_check(7);
    tap_ok(err_c < 1e-4, "cubic B-spline of 7 samples = direct solution of the mirror-boundary system (max error %g)",
           err_c);
    err_c = spline_check(61);
    tap_ok(err_c < 1e-4, "and of 61 samples (truncated causal initialisation) (max error %g)", err_c);
    err_c = 0;

    /* constants */
    konst = rad_image_copy(img);
    for (size_t v = 0; v < rad_image_nvox(konst); v++)
        konst->data[v] = -123.5f;
    rad_resample_grid(&img->geom, (double[3]){0.7, 1.3, 0.45}, 0, &g);
    c1 = rad_image_resample(konst, &g, RAD_INTERP_CUBIC);
    for (size_t v = 0; c1 && v < rad_image_nvox(c1); v++)
        if (fabs(c1->data[v] + 123.5) > err_c)
            err_c = fabs(c1->data[v] + 123.5);
    tap_ok(c1 && err_c < 1e-4, "cubic B-spline reproduces a constant everywhere (max error %g)", err_c);
    rad_image_free(c1);
    rad_image_free(konst);

    /* linear ramps, away from the borders (the mirror boundary bends the
     * spline near the edges; its effect decays as 0.268^d) */
    c1 = rad_image_resample(img, &g, RAD_INTERP_CUBIC);
    tap_ok(c1 != NULL, "cubic resampling succeeds");
    for (size_t k = 0; c1 && k < g.dim[2]; k++)
        for (size_t j = 0; j < g.dim[1]; j++)
            for (size_t i = 0; i < g.dim[0]; i++) {
                int inside = 1;
                src_index(&img->geom, &g, i, j, k, idx);
                for (int a = 0; a < 3; a++)
                    if (idx[a] < 8 || idx[a] > (double)img->geom.dim[a] - 9)
                        inside = 0;
                if (inside) {
                    double e = fabs(c1->data[i + g.dim[0] * (j + g.dim[1] * k)] - ramp(idx[0], idx[1], idx[2]));
                    if (e > err_r)
                        err_r = e;
                }
            }
    tap_ok(err_r < 1e-3, "cubic B-spline reproduces a linear ramp away from borders (max error %g)", err_r);
    rad_image_free(c1);

    /* interpolation: at sample points the spline takes the sample values
     * (a grid of half spacing from the same origin hits every sample) */
    srand(7);
    for (size_t v = 0; v < rad_image_nvox(img); v++)
        img->data[v] = (float)(rand() % 2000 - 1000);
    g = img->geom;
    for (int a = 0; a < 3; a++) {
        g.spacing[a] = 0.5;
        g.dim[a] = 2 * img->geom.dim[a] - 1;
    }
    c1 = rad_image_resample(img, &g, RAD_INTERP_CUBIC);
    for (size_t k = 0; c1 && k < img->geom.dim[2]; k++)
        for (size_t j = 0; j < img->geom.dim[1]; j++)
            for (size_t i = 0; i < img->geom.dim[0]; i++) {
                double a = c1->data[2 * i + g.dim[0] * (2 * j + g.dim[1] * 2 * k)];
                double b = img->data[i + img->geom.dim[0] * (j + img->geom.dim[1] * k)];
                if (fabs(a - b) > err_s)
                    err_s = fabs(a - b);
            }
    tap_ok(c1 && err_s < 1e-3, "cubic B-spline interpolates: sample points keep their values (max error %g)", err_s);
    /* and in between it is smooth, not linear: a random image's midpoints differ from linear */
    {
        RadImage *l1 = rad_image_resample(img, &g, RAD_INTERP_LINEAR);
        double d = 0;
        for (size_t v = 0; l1 && c1 && v < rad_image_nvox(l1); v++)
            d += fabs(l1->data[v] - c1->data[v]);
        tap_ok(l1 && d > 1000, "cubic differs from linear between samples");
        rad_image_free(l1);
    }
    rad_image_free(c1);

    /* a single-voxel axis (n = 1) is constant along it */
    {
        RadImage *one = ramp_image(3, 5, 1, 4, sp), *r;
        rad_resample_grid(&one->geom, (double[3]){0.5, 0.5, 0.5}, 0, &g);
        r = rad_image_resample(one, &g, RAD_INTERP_CUBIC);
        tap_ok(r && r->geom.dim[1] == 2 && fabs(r->data[0] - r->data[g.dim[0]]) < 1e-5,
               "a 1-voxel axis is extended by its value (cubic)");
        rad_image_free(r);
        rad_image_free(one);
    }
    rad_image_free(img);
}

static void test_mask(void)
{
    /* 4 x 2 x 1 plane; label 2 in the two left columns, label 1 elsewhere */
    RadGeometry g, h;
    RadMask *m, *r;
    rad_geometry_init(&g, 2, 4, 2, 1);
    m = rad_mask_new(&g);
    for (size_t j = 0; j < 2; j++)
        for (size_t i = 0; i < 4; i++)
            m->data[i + 4 * j] = i < 2 ? 2 : 1;
    m->label = 2;
    /* grid points at x = 0.5, 1.5, 2.5 (between the voxel centres) */
    h = g;
    h.origin[0] = 0.5;
    h.dim[0] = 3;
    r = rad_mask_resample(m, &h, RAD_INTERP_LINEAR, 0.5);
    tap_ok(r && r->label == 1 && r->data[0] == 1 && r->data[1] == 1 && r->data[2] == 0,
           "fraction 0.5 at the label edge is kept at delta 0.5 (R >= delta, E8H9)");
    rad_mask_free(r);
    r = rad_mask_resample(m, &h, RAD_INTERP_LINEAR, 0.51);
    tap_ok(r && r->data[0] == 1 && r->data[1] == 0 && r->data[2] == 0, "and dropped at delta 0.51");
    rad_mask_free(r);
    /* grid points at 1.25: fraction 0.75 */
    h.origin[0] = 1.25;
    h.dim[0] = 1;
    r = rad_mask_resample(m, &h, RAD_INTERP_LINEAR, 0.75);
    tap_ok(r && r->data[0] == 1, "fraction 0.75 kept at delta 0.75");
    rad_mask_free(r);
    r = rad_mask_resample(m, &h, RAD_INTERP_NEAREST, 0.99);
    tap_ok(r && r->data[0] == 1, "nearest: 1.25 -> voxel 1 (in the label)");
    rad_mask_free(r);
    m->label = 0; /* any non-zero: everything */
    r = rad_mask_resample(m, &h, RAD_INTERP_LINEAR, 1.0);
    tap_ok(r && r->data[0] == 1 && r->data[1] == 1, "label 0 selects every non-zero voxel");
    rad_mask_free(r);
    tap_ok(rad_mask_resample(m, &h, RAD_INTERP_LINEAR, 0) == NULL, "delta 0 refused");
    tap_contains(rad_error_message(), "threshold", "message names the threshold");
    rad_mask_free(m);
}

static void test_in_plane(void)
{
    double sp[3] = {1, 1, 3};
    RadImage *img = ramp_image(3, 6, 6, 3, sp), *r;
    RadGeometry g;
    double err = 0;
    tap_ok(rad_resample_grid(&img->geom, (double[3]){0.5, 0.5, 99}, 1, &g) == 0 && g.dim[0] == 12 && g.dim[2] == 3,
           "in-plane grid 12x12x3");
    r = rad_image_resample(img, &g, RAD_INTERP_LINEAR);
    for (size_t k = 0; r && k < 3; k++)
        for (size_t j = 0; j < 12; j++)
            for (size_t i = 0; i < 12; i++) {
                double idx[3], e;
                src_index(&img->geom, &g, i, j, k, idx);
                e = fabs(r->data[i + 12 * (j + 12 * k)] -
                         ramp(clampd(idx[0], 0, 5), clampd(idx[1], 0, 5), (double)k));
                if (e > err)
                    err = e;
            }
    tap_ok(r && err < 1e-4, "in-plane: each slice resampled on its own, z untouched (max error %g)", err);
    rad_image_free(r);
    rad_image_free(img);

    /* a 2D image */
    img = ramp_image(2, 5, 4, 1, sp);
    rad_resample_grid(&img->geom, (double[3]){2, 2, 2}, 0, &g);
    r = rad_image_resample(img, &g, RAD_INTERP_CUBIC);
    tap_ok(r && r->geom.ndim == 2 && r->geom.dim[0] == 3 && r->geom.dim[1] == 2 && r->geom.dim[2] == 1,
           "a 2D image stays 2D (3x2)");
    rad_image_free(r);

    /* a rotated grid is refused */
    g = img->geom;
    g.direction[0] = 0;
    g.direction[1] = 1;
    g.direction[3] = 1;
    g.direction[4] = 0;
    tap_ok(rad_image_resample(img, &g, RAD_INTERP_LINEAR) == NULL, "a grid rotated against the image is refused");
    tap_contains(rad_error_message(), "rotated", "message says the grid is rotated");
    tap_ok(rad_image_resample(img, &img->geom, (RadInterp)7) == NULL, "unknown interpolator refused");
    rad_image_free(img);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void test_ct(void)
{
    const char *dir = tap_data_dir();
    char path[4096];
    RadImage *img, *r, *lin;
    RadMask *m, *rm;
    RadGeometry g;
    double t0, t1, t2, t3;

    if (!dir) {
        tap_skip(3, "RADLAB_DATA not set: no CT phantom");
        return;
    }
    snprintf(path, sizeof path, "%s/ibsi1/ct_phantom/image.nii.gz", dir);
    img = rad_image_read(path);
    snprintf(path, sizeof path, "%s/ibsi1/ct_phantom/mask.nii.gz", dir);
    m = rad_mask_read(path);
    if (!img || !m) {
        tap_ok(0, "read the CT phantom: %s", rad_error_message());
        tap_skip(2, "no CT phantom");
        rad_image_free(img);
        rad_mask_free(m);
        return;
    }
    rad_resample_grid(&img->geom, (double[3]){2, 2, 2}, 0, &g);
    t0 = now();
    lin = rad_image_resample(img, &g, RAD_INTERP_LINEAR);
    t1 = now();
    rm = rad_mask_resample(m, &g, RAD_INTERP_LINEAR, 0.5);
    t2 = now();
    r = rad_image_resample(img, &g, RAD_INTERP_CUBIC);
    t3 = now();
    tap_ok(r && r->geom.dim[0] == 100 && r->geom.dim[1] == 99 && r->geom.dim[2] == 90, "CT phantom -> 100x99x90");
    /* IBSI config C: 45985 +/- 100 voxels in the interpolated ROI */
    tap_ok(rm && fabs((double)rad_mask_count(rm) - 45985) <= 100, "interpolated CT ROI has %zu voxels (IBSI 45985 +/- 100)",
           rm ? rad_mask_count(rm) : 0);
    {
        /* one trilinear value worked here: new voxel (50, 49, 45) mapped to
         * a continuous index of the original grid, the 8 surrounding voxels
         * weighted by the distances along each axis */
        const size_t ijk[3] = {50, 49, 45};
        const size_t *d = img->geom.dim;
        double idx[3] = {(double)ijk[0], (double)ijk[1], (double)ijk[2]}, p[3], q[3], want = 0;
        size_t lo[3];
        rad_geometry_index_to_point(&g, idx, p);
        rad_geometry_point_to_index(&img->geom, p, q);
        for (int c = 0; c < 3; c++)
            lo[c] = (size_t)floor(q[c]);
        for (int corner = 0; corner < 8; corner++) {
            double w = 1;
            size_t v[3];
            for (int c = 0; c < 3; c++) {
                double f = q[c] - (double)lo[c];
                int up = (corner >> c) & 1;
                v[c] = lo[c] + (size_t)up;
                w *= up ? f : 1 - f;
            }
            want += w * img->data[v[0] + d[0] * (v[1] + d[1] * v[2])];
        }
        tap_ok(lin && fabs(lin->data[ijk[0] + 100 * (ijk[1] + 99 * ijk[2])] - want) <= 1e-5 * (1 + fabs(want)), /* float32 voxels */
               "trilinear value at new voxel (50, 49, 45) = %.4f, worked from the 8 neighbours at (%.3f, %.3f, %.3f)",
               want, q[0], q[1], q[2]);
    }
    tap_diag("CT phantom 204x201x60 -> 100x99x90: trilinear %.1f ms, mask %.1f ms, cubic B-spline %.1f ms",
             1e3 * (t1 - t0), 1e3 * (t2 - t1), 1e3 * (t3 - t2));
    rad_image_free(r);
    rad_image_free(lin);
    rad_mask_free(rm);
    rad_image_free(img);
    rad_mask_free(m);
}

int main(void)
{
    test_grid();
    test_linear_nearest();
    test_cubic();
    test_mask();
    test_in_plane();
    test_ct();
    return tap_done();
}
