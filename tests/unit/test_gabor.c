/* radlab: unit tests of the IBSI 2 Gabor filter: the kernel by hand, a
 * constant image, bad parameters, and the IBSI 2 consensus response maps
 * 4.a.1, 4.a.2, 4.b.1 and 4.b.2 (RADLAB_DATA/ibsi2).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "image/filters/gabor.h"
#include "io/io.h"
#include "util/error.h"
#include "tap.h"

static void test_kernel(void)
{
    /* sigma 2 mm, gamma 1, lambda 8 mm on a 1 mm grid out to 10 mm: the sum of
     * the real part approximates the integral of the envelope times
     * cos(2 pi x / lambda), 2 pi sigma^2 / gamma exp(-2 pi^2 sigma^2 / lambda^2)
     * (the Gaussian's Fourier transform at 1 / lambda); the imaginary part
     * is odd and sums to 0. */
    RadGaborOptions o;
    size_t r = 10, m = 2 * r + 1;
    double re[21 * 21], im[21 * 21], sre = 0, sim = 0, want;
    int sym = 1;
    rad_gabor_options_init(&o);
    o.sigma = 2;
    o.lambda = 8;
    rad_gabor_kernel(&o, 0.3, 1, 1, r, r, re, im);
    for (size_t t = 0; t < m * m; t++) {
        sre += re[t];
        sim += im[t];
        /* offset (u, v) and (-u, -v): re even, im odd */
        sym &= fabs(re[t] - re[m * m - 1 - t]) < 1e-12 && fabs(im[t] + im[m * m - 1 - t]) < 1e-12;
    }
    want = 2 * M_PI * 4 * exp(-2 * M_PI * M_PI * 4 / 64);
    tap_near(sre, want, 1e-6 * want, "kernel sum (real part) = 2 pi sigma^2 exp(-2 pi^2 sigma^2 / lambda^2)");
    tap_diag("kernel sum %.9g, analytic %.9g", sre, want);
    tap_near(sim, 0, 1e-9, "kernel sum (imaginary part) = 0");
    tap_ok(sym, "kernel: real part even, imaginary part odd about the centre");
    tap_ok(re[r + m * r] == 1 && im[r + m * r] == 0, "kernel: 1 at the centre (no normalisation)");

    /* gamma scales y': with theta 0 and gamma 2, the envelope at (0, 1) mm
     * equals the envelope at (2, 0) mm (without the carrier: lambda huge) */
    o.gamma = 2;
    o.lambda = 1e12;
    rad_gabor_kernel(&o, 0, 1, 1, r, r, re, im);
    tap_near(re[r + m * (r + 1)], re[(r + 2) + m * r], 1e-12, "kernel: gamma scales the y' axis");
    /* theta turns x' counter-clockwise from the first index axis towards the
     * second: at theta = pi/2 the envelope of (0, 2) is that of (2, 0) at 0 */
    rad_gabor_kernel(&o, M_PI / 2, 1, 1, r, r, re, im);
    tap_near(re[r + m * (r + 2)], exp(-4.0 / 8), 1e-12, "kernel: theta = pi/2 puts x' along the second axis");
}

static double kernel_sum_real(const RadGaborOptions *o, double theta, size_t r)
{
    size_t m = 2 * r + 1;
    double *re = malloc(m * m * sizeof *re), *im = malloc(m * m * sizeof *im), s = 0;
    rad_gabor_kernel(o, theta, 1, 1, r, r, re, im);
    for (size_t t = 0; t < m * m; t++)
        s += re[t];
    free(re);
    free(im);
    return s;
}

static void test_constant(void)
{
    /* A constant image under the mirror boundary looks constant to every
     * voxel: the response is c times the kernel's sum (real part; the
     * imaginary part sums to 0), the same everywhere, in 2D and 3D. */
    RadGeometry g;
    RadImage *img, *res;
    RadGaborOptions o;
    double want;
    float lo = INFINITY, hi = -INFINITY;
    rad_geometry_init(&g, 3, 20, 17, 6);
    img = rad_image_new(&g);
    for (size_t v = 0; v < rad_image_nvox(img); v++)
        img->data[v] = 10;
    rad_gabor_options_init(&o);
    o.sigma = 2;
    o.lambda = 8;
    o.theta = 0.3;
    o.response = RAD_GABOR_REAL;
    res = rad_filter_gabor(img, &o);
    tap_ok(res != NULL, "constant image, mirror, real response: runs (%s)", res ? "" : rad_error_message());
    /* half-width ceil(4 sigma / spacing) = 8 voxels */
    want = 10 * kernel_sum_real(&o, 0.3, 8);
    for (size_t v = 0; res && v < rad_image_nvox(res); v++) {
        lo = res->data[v] < lo ? res->data[v] : lo;
        hi = res->data[v] > hi ? res->data[v] : hi;
    }
    tap_ok(res && fabs(lo - want) < 1e-4 * want && fabs(hi - want) < 1e-4 * want,
           "constant 10, mirror: every voxel is 10 x kernel sum = %g (got %g..%g)", want, lo, hi);
    rad_image_free(res);
    o.response = RAD_GABOR_IMAGINARY;
    res = rad_filter_gabor(img, &o);
    lo = INFINITY, hi = -INFINITY;
    for (size_t v = 0; res && v < rad_image_nvox(res); v++) {
        lo = res->data[v] < lo ? res->data[v] : lo;
        hi = res->data[v] > hi ? res->data[v] : hi;
    }
    tap_ok(res && fabs(lo) < 1e-4 && fabs(hi) < 1e-4, "constant, mirror: imaginary response 0 (got %g..%g)", lo, hi);
    rad_image_free(res);
    /* 3D, modulus, 4 orientations: every plane, every orientation the same
     * |sum| by symmetry of a square grid under quarter turns */
    o.response = RAD_GABOR_MODULUS;
    o.theta = 0;
    o.theta_step = M_PI / 2;
    o.dims = 3;
    o.threads = 3;
    res = rad_filter_gabor(img, &o);
    want = 10 * fabs(kernel_sum_real(&o, 0, 8));
    lo = INFINITY, hi = -INFINITY;
    for (size_t v = 0; res && v < rad_image_nvox(res); v++) {
        lo = res->data[v] < lo ? res->data[v] : lo;
        hi = res->data[v] > hi ? res->data[v] : hi;
    }
    tap_ok(res && fabs(lo - want) < 1e-4 * want && fabs(hi - want) < 1e-4 * want,
           "constant, mirror, 3D modulus over 4 orientations: %g everywhere (got %g..%g)", want, lo, hi);
    rad_image_free(res);
    rad_image_free(img);
}

static RadImage *run(const RadImage *img, const RadGaborOptions *o)
{
    RadImage *r = rad_filter_gabor(img, o);
    if (!r)
        tap_diag("rad_filter_gabor: %s", rad_error_message());
    return r;
}

static double max_diff(const RadImage *a, const RadImage *b)
{
    double w = 0;
    if (!a || !b)
        return INFINITY;
    for (size_t v = 0; v < rad_image_nvox(a); v++) {
        double d = fabs((double)a->data[v] - b->data[v]);
        w = d > w ? d : w;
    }
    return w;
}

static void test_impulse(void)
{
    /* The convolution of an impulse h at x0 is h g(x - x0): the real and the
     * imaginary response of a 21 x 21 slice (constant boundary) against the
     * kernel itself, which fixes the sign of the carrier (convolution, not
     * correlation). */
    RadGeometry g;
    RadImage *img, *re, *im;
    RadGaborOptions o;
    double kre[21 * 21], kim[21 * 21], wr = 0, wi = 0;
    rad_geometry_init(&g, 3, 21, 21, 1);
    img = rad_image_new(&g);
    img->data[10 + 21 * 10] = 2;
    rad_gabor_options_init(&o);
    o.sigma = 2;
    o.gamma = 1.5;
    o.lambda = 5;
    o.theta = 0.4;
    o.boundary = RAD_BOUNDARY_CONSTANT;
    o.response = RAD_GABOR_REAL;
    re = run(img, &o);
    o.response = RAD_GABOR_IMAGINARY;
    im = run(img, &o);
    /* the support: ceil(4 max(sigma, sigma / gamma) / spacing) = 8 voxels */
    rad_gabor_kernel(&o, 0.4, 1, 1, 8, 8, kre, kim);
    for (int j = 0; re && im && j < 21; j++)
        for (int i = 0; i < 21; i++) {
            int in = abs(i - 10) <= 8 && abs(j - 10) <= 8;
            double wre = in ? 2 * kre[(i - 2) + 17 * (j - 2)] : 0, wim = in ? 2 * kim[(i - 2) + 17 * (j - 2)] : 0;
            wr = fmax(wr, fabs(re->data[i + 21 * j] - wre));
            wi = fmax(wi, fabs(im->data[i + 21 * j] - wim));
        }
    tap_ok(re && im && wr < 1e-6 && wi < 1e-6,
           "impulse 2: real and imaginary responses are 2 g(x - x0) on the kernel's support, 0 beyond (worst %g, %g)",
           wr, wi);
    rad_image_free(re);
    rad_image_free(im);
    rad_image_free(img);
}

static void test_pooling(void)
{
    /* pooled over theta0 + k step = the mean / max of single orientations;
     * an odd count (3) and an even one (4: theta and theta + pi share one
     * transform); the imaginary part of theta + pi is the negative, so its
     * mean over the whole circle is 0; thread count does not matter */
    RadGeometry g;
    RadImage *img, *one[4] = {NULL, NULL, NULL, NULL}, *pooled;
    RadGaborOptions o;
    int n[2] = {3, 4};
    rad_geometry_init(&g, 3, 23, 19, 5);
    g.spacing[0] = 1.5;
    g.spacing[1] = 1.2;
    g.spacing[2] = 2;
    img = rad_image_new(&g);
    for (size_t v = 0; v < rad_image_nvox(img); v++)
        img->data[v] = (float)((v * 7919) % 101) - 50;
    for (int c = 0; c < 2; c++) {
        for (int resp = RAD_GABOR_MODULUS; resp <= RAD_GABOR_IMAGINARY; resp++) {
            for (int pool = RAD_GABOR_POOL_MEAN; pool <= RAD_GABOR_POOL_MAX; pool++) {
                RadImage *want = rad_image_new(&g);
                rad_gabor_options_init(&o);
                o.sigma = 3;
                o.gamma = 0.7;
                o.lambda = 4;
                o.response = resp;
                o.boundary = RAD_BOUNDARY_PERIODIC;
                for (int k = 0; k < n[c]; k++) {
                    o.theta = 0.2 + k * 2 * M_PI / n[c];
                    one[k] = run(img, &o);
                }
                for (size_t v = 0; v < rad_image_nvox(img); v++) {
                    double m = pool == RAD_GABOR_POOL_MAX ? -INFINITY : 0;
                    for (int k = 0; k < n[c] && one[k]; k++)
                        m = pool == RAD_GABOR_POOL_MAX ? fmax(m, one[k]->data[v]) : m + one[k]->data[v] / n[c];
                    want->data[v] = (float)m;
                }
                o.theta = 0.2;
                o.theta_step = 2 * M_PI / n[c];
                o.pooling = pool;
                o.threads = 1 + c;
                pooled = run(img, &o);
                tap_ok(max_diff(pooled, want) < 1e-3, "%d orientations, %s, %s pooling: the pool of single ones (%g)",
                       n[c], rad_gabor_response_name(resp), pool == RAD_GABOR_POOL_MAX ? "max" : "mean",
                       max_diff(pooled, want));
                if (c == 1 && resp == RAD_GABOR_IMAGINARY && pool == RAD_GABOR_POOL_MEAN) {
                    float w = 0;
                    for (size_t v = 0; pooled && v < rad_image_nvox(pooled); v++)
                        w = fmaxf(w, fabsf(pooled->data[v]));
                    tap_ok(pooled && w == 0, "imaginary part, mean over the whole circle: 0 (got %g)", w);
                }
                rad_image_free(pooled);
                rad_image_free(want);
                for (int k = 0; k < 4; k++) {
                    rad_image_free(one[k]);
                    one[k] = NULL;
                }
            }
        }
    }
    /* 3D: thread count does not change a bit */
    rad_gabor_options_init(&o);
    o.sigma = 3;
    o.lambda = 4;
    o.theta_step = M_PI / 4;
    o.dims = 3;
    o.threads = 1;
    one[0] = run(img, &o);
    o.threads = 4;
    one[1] = run(img, &o);
    tap_ok(one[0] && one[1] && max_diff(one[0], one[1]) == 0, "3D: 1 and 4 threads give the same bits");
    rad_image_free(one[0]);
    rad_image_free(one[1]);
    rad_image_free(img);
}

static void test_bad(void)
{
    RadGeometry g;
    RadImage *img;
    RadGaborOptions o, ok;
    rad_geometry_init(&g, 3, 8, 8, 1);
    img = rad_image_new(&g);
    rad_gabor_options_init(&ok);
    ok.sigma = 2;
    ok.lambda = 4;
#define BAD(field, value, text, what)                                                                                 \
    do {                                                                                                              \
        o = ok;                                                                                                       \
        o.field = value;                                                                                              \
        rad_error_clear();                                                                                            \
        tap_ok(rad_filter_gabor(img, &o) == NULL, "%s: no result", what);                                            \
        tap_contains(rad_error_message(), text, what);                                                                \
    } while (0)
    BAD(sigma, 0, "sigma must be a positive", "sigma 0");
    BAD(sigma, -1, "sigma must be a positive", "sigma -1");
    BAD(sigma, 0.2, "below half a voxel", "sigma below half a voxel");
    BAD(gamma, 0, "gamma", "gamma 0");
    BAD(lambda, 0, "lambda", "lambda 0");
    BAD(lambda, NAN, "lambda", "lambda NaN");
    BAD(theta_step, 1.0, "does not divide the circle", "theta_step 1 rad");
    BAD(theta_step, -M_PI / 4, "does not divide the circle", "negative theta_step");
    BAD(response, 7, "unknown response", "response 7");
    BAD(dims, 4, "dims must be 2", "dims 4");
    BAD(dims, 3, "needs a volume", "dims 3 on one slice");
    BAD(pooling, 5, "unknown pooling", "pooling 5");
    BAD(boundary, (RadBoundary)9, "unknown boundary", "boundary 9");
#undef BAD
    img->data[5] = NAN;
    rad_error_clear();
    tap_ok(rad_filter_gabor(img, &ok) == NULL, "a NaN voxel: no result");
    tap_contains(rad_error_message(), "non-finite value", "a NaN voxel: the message says so");
    tap_ok(rad_gabor_response_parse("modulus") == RAD_GABOR_MODULUS &&
               rad_gabor_response_parse("Imaginary") == RAD_GABOR_IMAGINARY &&
               rad_gabor_response_parse("real") == RAD_GABOR_REAL && rad_gabor_response_parse("phase") == -1 &&
               rad_gabor_pooling_parse("max") == RAD_GABOR_POOL_MAX && rad_gabor_pooling_parse("median") == -1,
           "response and pooling names; unknown ones are -1");
    rad_image_free(img);
}

/* IBSI 2 phase 1 Gabor configurations.  The parameters are those of the
 * IBSI 2 reference manual, chapter "Reference filter response maps"; the
 * table in RADLAB_DATA/ibsi2/README.md does not say 2D or 3D: per the manual
 * 4.a.1 and 4.b.1 are 2D (axial plane), 4.a.2 and 4.b.2 rotation-invariant
 * and averaged over the three orthogonal planes (3D); the manual wins where
 * the two differ.  The maps agree: 4.a.2 is non-zero in the three orthogonal
 * planes through the impulse (12097 voxels), a 2D filter would fill one. */
typedef struct GaborCase {
    const char *map, *phantom;
    double sigma, gamma, lambda, theta, step;
    RadBoundary boundary;
    int dims;
} GaborCase;

static void test_reference(const char *root)
{
    static const GaborCase cases[] = {
        {"4_a_1", "impulse", 10, 0.5, 4, M_PI / 3, 0, RAD_BOUNDARY_CONSTANT, 2},
        {"4_a_2", "impulse", 10, 0.5, 4, 0, M_PI / 4, RAD_BOUNDARY_CONSTANT, 3},
        {"4_b_1", "sphere", 20, 2.5, 8, 5 * M_PI / 4, 0, RAD_BOUNDARY_MIRROR, 2},
        {"4_b_2", "sphere", 20, 2.5, 8, 0, M_PI / 8, RAD_BOUNDARY_MIRROR, 3},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const GaborCase *k = &cases[c];
        char ip[4096], mp[4096];
        RadImage *img, *ref, *res = NULL;
        RadGaborOptions o;
        struct timespec t0, t1;
        double lo = INFINITY, hi = -INFINITY, worst = 0, ms;
        size_t at = 0;
        snprintf(ip, sizeof ip, "%s/ibsi2/phantoms/%s/image.nii.gz", root, k->phantom);
        snprintf(mp, sizeof mp, "%s/ibsi2/response_maps/%s-ValidCRM.nii.gz", root, k->map);
        img = rad_image_read(ip);
        ref = rad_image_read(mp);
        if (!tap_ok(img && ref, "%s: read %s and %s", k->map, ip, mp)) {
            tap_diag("%s", rad_error_message());
            rad_image_free(img);
            rad_image_free(ref);
            continue;
        }
        rad_gabor_options_init(&o);
        o.sigma = k->sigma;
        o.gamma = k->gamma;
        o.lambda = k->lambda;
        o.theta = k->theta;
        o.theta_step = k->step;
        o.boundary = k->boundary;
        o.dims = k->dims;
        o.response = RAD_GABOR_MODULUS;
        o.pooling = RAD_GABOR_POOL_MEAN;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        res = rad_filter_gabor(img, &o);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (!tap_ok(res && rad_image_nvox(res) == rad_image_nvox(ref), "%s: filtered (%s)", k->map,
                    res ? "same size as the map" : rad_error_message())) {
            rad_image_free(img);
            rad_image_free(ref);
            rad_image_free(res);
            continue;
        }
        for (size_t v = 0; v < rad_image_nvox(ref); v++) {
            double d = fabs((double)res->data[v] - ref->data[v]);
            lo = ref->data[v] < lo ? ref->data[v] : lo;
            hi = ref->data[v] > hi ? ref->data[v] : hi;
            if (d > worst) {
                worst = d;
                at = v;
            }
        }
        tap_ok(worst <= 0.01 * (hi - lo), "%s: every voxel within 1 %% of the map's range %g", k->map, hi - lo);
        tap_diag("%s (%s, sigma %g, gamma %g, lambda %g, theta %g, step %g, %dD, %s): worst |diff| %.6g = %.4f %% of "
                 "the range at voxel %zu (got %g, map %g); %.1f ms",
                 k->map, k->phantom, k->sigma, k->gamma, k->lambda, k->theta, k->step, k->dims,
                 rad_boundary_name(k->boundary), worst, 100 * worst / (hi - lo), at, res->data[at], ref->data[at], ms);
        rad_image_free(img);
        rad_image_free(ref);
        rad_image_free(res);
    }
}

int main(void)
{
    const char *root = getenv("RADLAB_DATA");
    char probe[4096];
    FILE *f;
    test_kernel();
    test_constant();
    test_impulse();
    test_pooling();
    test_bad();
    if (!root || !*root) {
        tap_skip(12, "RADLAB_DATA not set: IBSI 2 Gabor response maps 4.a.1, 4.a.2, 4.b.1, 4.b.2 not compared");
    } else {
        snprintf(probe, sizeof probe, "%s/ibsi2/README.md", root);
        f = fopen(probe, "r");
        if (!f) {
            tap_skip(12, "RADLAB_DATA has no ibsi2/README.md: IBSI 2 Gabor response maps not compared");
        } else {
            fclose(f);
            test_reference(root);
        }
    }
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}
