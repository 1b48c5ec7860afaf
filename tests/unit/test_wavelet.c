/* radlab: unit tests of the separable wavelets and the Simoncelli wavelet
 * (IBSI 2): filter coefficients by their defining properties, hand-checked
 * cases, energy identities, errors, and the IBSI 2 consensus response maps
 * 5.a.1 - 8.a.3 ($RADLAB_DATA/ibsi2).  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "image/filters/simoncelli.h"
#include "image/filters/wavelet.h"
#include "io/io.h"
#include "util/error.h"
#include "tap.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Orthonormal wavelet filters: the low-pass filter sums to sqrt(2), is
 * orthonormal to its even shifts, and the high-pass filter built from it
 * has the family's vanishing moments.  The published tables are accurate to
 * about 12 digits (PyWavelets' db2 differs from its closed form by 3e-13,
 * db3's even-shift products by 5e-12), hence 1e-10: a mistyped digit among
 * the first ten fails these. */
static void test_coefficients(void)
{
    static const struct {
        const char *name;
        int m, moments;
    } fam[] = {{"haar", 2, 1}, {"db1", 2, 1}, {"db2", 4, 2}, {"db3", 6, 3}, {"db4", 8, 4},
               {"sym2", 4, 2}, {"sym3", 6, 3}, {"sym4", 8, 4}, {"coif1", 6, 2}};
    for (size_t f = 0; f < sizeof fam / sizeof fam[0]; f++) {
        double k[16], g[16];
        int m = rad_wavelet_filter(fam[f].name, k);
        tap_ok(m == fam[f].m, "%s: %d taps", fam[f].name, m);
        if (m != fam[f].m)
            continue;
        double sum = 0, orth = 0, mom = 0;
        for (int i = 0; i < m; i++)
            sum += k[i];
        for (int s = 0; 2 * s < m; s++) {
            double d = 0;
            for (int i = 0; i + 2 * s < m; i++)
                d += k[i] * k[i + 2 * s];
            orth = fmax(orth, fabs(d - (s == 0)));
        }
        /* high-pass (decomposition) from the low-pass: the alternating flip */
        for (int i = 0; i < m; i++)
            g[i] = (i % 2 ? -1.0 : 1.0) * k[m - 1 - i];
        for (int p = 0; p < fam[f].moments; p++) {
            double s = 0, scale = 0;
            for (int i = 0; i < m; i++) {
                s += pow(i, p) * g[i];
                scale += pow(i, p) * fabs(g[i]);
            }
            mom = fmax(mom, fabs(s) / scale);
        }
        tap_ok(fabs(sum - sqrt(2.0)) < 1e-10, "%s: taps sum to sqrt(2) (off by %.2g)", fam[f].name, sum - sqrt(2.0));
        tap_ok(orth < 1e-10, "%s: orthonormal to even shifts (worst %.2g)", fam[f].name, orth);
        tap_ok(mom < 1e-10, "%s: %d vanishing moments (worst relative %.2g)", fam[f].name, fam[f].moments, mom);
    }
    double k[16];
    rad_wavelet_filter("db2", k);
    /* PyWavelets' db2 dec_lo starts with (1 - sqrt 3) / (4 sqrt 2) */
    double db2[4] = {1 - sqrt(3.0), 3 - sqrt(3.0), 3 + sqrt(3.0), 1 + sqrt(3.0)}, worst = 0;
    for (int i = 0; i < 4; i++)
        worst = fmax(worst, fabs(k[i] - db2[i] / (4 * sqrt(2.0))));
    tap_ok(worst < 1e-10, "db2: the closed form ((1, 3) -+ sqrt 3)/(4 sqrt 2), decomposition order (off by %.2g)", worst);
    /* db3 (Daubechies 1988): with a = sqrt 10, b = sqrt(5 + 2 sqrt 10), h =
     * (1 + a + b, 5 + a + 3b, 10 - 2a + 2b, 10 - 2a - 2b, 5 + a - 3b, 1 + a - b) / (16 sqrt 2) */
    double a = sqrt(10.0), b = sqrt(5 + 2 * sqrt(10.0));
    double db3[6] = {1 + a + b, 5 + a + 3 * b, 10 - 2 * a + 2 * b, 10 - 2 * a - 2 * b, 5 + a - 3 * b, 1 + a - b};
    rad_wavelet_filter("db3", k);
    worst = 0;
    for (int i = 0; i < 6; i++)
        worst = fmax(worst, fabs(k[5 - i] - db3[i] / (16 * sqrt(2.0))));
    tap_ok(worst < 1e-10, "db3: the closed form of Daubechies 1988 (off by %.2g)", worst);
}

static RadImage *image_of(size_t nx, size_t ny, size_t nz)
{
    RadGeometry g;
    rad_geometry_init(&g, nz > 1 ? 3 : 2, nx, ny, nz);
    return rad_image_new(&g);
}

static RadWaveletOptions opts(const char *fam, const char *band, int level, int dims, RadBoundary b)
{
    RadWaveletOptions o;
    memset(&o, 0, sizeof o);
    snprintf(o.family, sizeof o.family, "%s", fam);
    snprintf(o.band, sizeof o.band, "%s", band);
    o.level = level;
    o.dims = dims;
    o.boundary = b;
    o.threads = 2;
    return o;
}

static double energy(const RadImage *im)
{
    double e = 0;
    for (size_t v = 0; v < rad_image_nvox(im); v++)
        e += (double)im->data[v] * im->data[v];
    return e;
}

static void test_hand(void)
{
    /* Haar on a step along x (0 for x < 4, 1 from x = 4), 2D "HL", mirror:
     * out[i] = (x[i] - x[i+1]) / sqrt 2 along x, times sqrt 2 (the low-pass
     * of a constant column): -1 at x = 3, 0 elsewhere */
    RadImage *im = image_of(8, 2, 1);
    for (size_t y = 0; y < 2; y++)
        for (size_t x = 4; x < 8; x++)
            im->data[x + 8 * y] = 1;
    RadWaveletOptions o = opts("haar", "HL", 1, 2, RAD_BOUNDARY_MIRROR);
    RadImage *r = rad_filter_wavelet(im, &o);
    int ok = r != NULL;
    for (size_t y = 0; ok && y < 2; y++)
        for (size_t x = 0; x < 8; x++)
            ok &= fabs(r->data[x + 8 * y] - (x == 3 ? -1.0 : 0.0)) < 1e-6;
    tap_ok(ok, "Haar HL of a step: -1 at the step, 0 elsewhere");
    rad_image_free(r);
    o = opts("haar", "LL", 1, 2, RAD_BOUNDARY_MIRROR);
    r = rad_filter_wavelet(im, &o);
    /* LL: (x[i] + x[i+1]) / sqrt 2 * sqrt 2 = x[i] + x[i+1] */
    ok = r && fabs(r->data[2] - 0) < 1e-6 && fabs(r->data[3] - 1) < 1e-6 && fabs(r->data[4] - 2) < 1e-6 &&
         fabs(r->data[7] - 2) < 1e-6;
    tap_ok(ok, "Haar LL of a step: 0, 1 at the step, 2");
    rad_image_free(r);
    /* decimated Haar HL of the step: pairs (0,1) (2,3) (4,5) (6,7) are flat: 0 */
    o = opts("haar", "HL", 1, 2, RAD_BOUNDARY_MIRROR);
    o.decimated = 1;
    r = rad_filter_wavelet(im, &o);
    ok = r && r->geom.dim[0] == 4 && r->geom.dim[1] == 1 && fabs(r->geom.spacing[0] - 2) < 1e-12 &&
         fabs(r->geom.origin[0] - 0.5) < 1e-12;
    for (size_t v = 0; ok && v < 4; v++)
        ok &= fabs(r->data[v]) < 1e-6;
    tap_ok(ok, "decimated Haar HL of a step on pairs: 4 x 1 voxels at 2 mm from 0.5 mm, all 0");
    rad_image_free(r);
    rad_image_free(im);
}

static RadImage *random_image(size_t nx, size_t ny, size_t nz, unsigned seed)
{
    RadImage *im = image_of(nx, ny, nz);
    for (size_t v = 0; v < rad_image_nvox(im); v++) {
        seed = seed * 1103515245u + 12345u;
        im->data[v] = (float)((seed >> 8) % 1000) / 10.0f - 50.0f;
    }
    return im;
}

/* Orthonormal filters with a periodic boundary: the decimated transform
 * keeps the energy (sum over the 2^d sub-bands), the undecimated one
 * multiplies it by 2^d (|L|^2 + |H|^2 = 2 at every frequency). */
static void test_energy(void)
{
    static const char *b3[8] = {"LLL", "LLH", "LHL", "LHH", "HLL", "HLH", "HHL", "HHH"};
    static const char *b2[4] = {"LL", "LH", "HL", "HH"};
    static const char *fams[3] = {"haar", "db3", "coif1"};
    RadImage *im3 = random_image(12, 10, 8, 7), *im2 = random_image(16, 12, 3, 9);
    double e3 = energy(im3), e2 = energy(im2);
    for (int f = 0; f < 3; f++)
        for (int dec = 0; dec < 2; dec++) {
            double s3 = 0, s2 = 0;
            for (int b = 0; b < 8; b++) {
                RadWaveletOptions o = opts(fams[f], b3[b], 1, 3, RAD_BOUNDARY_PERIODIC);
                o.decimated = dec;
                RadImage *r = rad_filter_wavelet(im3, &o);
                s3 += r ? energy(r) : NAN;
                rad_image_free(r);
            }
            for (int b = 0; b < 4; b++) {
                RadWaveletOptions o = opts(fams[f], b2[b], 1, 2, RAD_BOUNDARY_PERIODIC);
                o.decimated = dec;
                RadImage *r = rad_filter_wavelet(im2, &o);
                s2 += r ? energy(r) : NAN;
                rad_image_free(r);
            }
            double w3 = dec ? e3 : 8 * e3, w2 = dec ? e2 : 4 * e2;
            tap_ok(fabs(s3 / w3 - 1) < 1e-5, "%s %s 3D, periodic: sub-band energies sum to %s the image's (ratio %.8f)",
                   fams[f], dec ? "decimated" : "undecimated", dec ? "" : "8 x", s3 / w3);
            tap_ok(fabs(s2 / w2 - 1) < 1e-5, "%s %s 2D, periodic: sub-band energies sum to %s the image's (ratio %.8f)",
                   fams[f], dec ? "decimated" : "undecimated", dec ? "" : "4 x", s2 / w2);
        }
    rad_image_free(im3);
    rad_image_free(im2);
}

/* 90 degrees about z on a cube: out(x, y, z) = in(y, n - 1 - x, z) */
static RadImage *rot90z(const RadImage *im)
{
    size_t n = im->geom.dim[0];
    RadImage *o = rad_image_copy(im);
    for (size_t z = 0; z < im->geom.dim[2]; z++)
        for (size_t y = 0; y < n; y++)
            for (size_t x = 0; x < n; x++)
                o->data[x + n * (y + n * z)] = im->data[y + n * ((n - 1 - x) + n * z)];
    return o;
}

/* Rotation invariance: the pooled response of a rotated image is the
 * rotated pooled response (both transforms). */
static void test_rotation(void)
{
    RadImage *im = random_image(8, 8, 8, 3), *rim = rot90z(im);
    for (int dims = 3; dims >= 2; dims--) {
        for (int dec = 0; dec < 2; dec++)
            for (int b = 0; b < 4; b++) {
                static const RadBoundary bs[4] = {RAD_BOUNDARY_CONSTANT, RAD_BOUNDARY_NEAREST, RAD_BOUNDARY_PERIODIC,
                                                  RAD_BOUNDARY_MIRROR};
                RadWaveletOptions o = opts("db2", dims == 3 ? "LHH" : "LH", dec ? 1 : 2, dims, bs[b]);
                o.rotation_invariant = 1;
                o.decimated = dec;
                RadImage *r1 = rad_filter_wavelet(im, &o), *r2 = rad_filter_wavelet(rim, &o), *r1r = r1 ? rot90z(r1) : NULL;
                double worst = r1 && r2 ? 0 : INFINITY, range = 0;
                for (size_t v = 0; r1r && r2 && v < rad_image_nvox(r2); v++) {
                    worst = fmax(worst, fabs(r1r->data[v] - r2->data[v]));
                    range = fmax(range, fabs(r2->data[v]));
                }
                tap_ok(worst <= 1e-5 * range, "rotation invariant db2 %s %s, %s: rotating commutes (worst %.3g of %.3g)",
                       o.band, dec ? "decimated level 1" : "undecimated level 2", rad_boundary_name(bs[b]), worst, range);
                rad_image_free(r1);
                rad_image_free(r2);
                rad_image_free(r1r);
            }
    }
    rad_image_free(im);
    rad_image_free(rim);
}

/* out(p) = in(q), q[perm[a]] = p[a] or n - 1 - p[a] when flip[a] */
static RadImage *rotate_literal(const RadImage *im, const int perm[3], const int flip[3])
{
    RadGeometry g = im->geom;
    const size_t *d = im->geom.dim;
    size_t st[3] = {1, d[0], d[0] * d[1]};
    for (int a = 0; a < 3; a++)
        g.dim[a] = d[perm[a]];
    RadImage *o = rad_image_new(&g);
    size_t v = 0;
    for (size_t z = 0; z < g.dim[2]; z++)
        for (size_t y = 0; y < g.dim[1]; y++)
            for (size_t x = 0; x < g.dim[0]; x++, v++) {
                size_t p[3] = {x, y, z}, q = 0;
                for (int a = 0; a < 3; a++)
                    q += (flip[a] ? g.dim[a] - 1 - p[a] : p[a]) * st[perm[a]];
                o->data[v] = im->data[q];
            }
    return o;
}

/* The pooled response against its definition: rotate the image by each
 * right-angle rotation (24 in 3D, 4 in-plane in 2D), filter, rotate back,
 * average; on a box of unequal sides, every boundary, levels 1 and 2. */
static void test_rotation_literal(void)
{
    static const int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    static const int psign[6] = {1, -1, -1, 1, 1, -1};
    RadImage *im = random_image(9, 8, 10, 11);
    static const struct {
        const char *fam, *band;
        int level, dims;
        RadBoundary b;
    } cfg[] = {{"db2", "LLH", 1, 3, RAD_BOUNDARY_MIRROR},   {"coif1", "HLH", 2, 3, RAD_BOUNDARY_CONSTANT},
               {"db3", "HHH", 2, 3, RAD_BOUNDARY_NEAREST},  {"haar", "LHL", 2, 3, RAD_BOUNDARY_PERIODIC},
               {"db2", "LH", 1, 2, RAD_BOUNDARY_MIRROR},    {"sym4", "HL", 2, 2, RAD_BOUNDARY_CONSTANT},
               {"haar", "HH", 2, 2, RAD_BOUNDARY_NEAREST}};
    for (size_t c = 0; c < sizeof cfg / sizeof cfg[0]; c++) {
        RadWaveletOptions o = opts(cfg[c].fam, cfg[c].band, cfg[c].level, cfg[c].dims, cfg[c].b);
        size_t n = rad_image_nvox(im);
        double *acc = calloc(n, sizeof *acc);
        int nrot = 0, ok = 1;
        for (int p = 0; p < 6; p++) {
            if (cfg[c].dims == 2 && perms[p][2] != 2)
                continue;
            for (int s = 0; s < 8; s++) {
                int flip[3] = {s & 1, s >> 1 & 1, s >> 2 & 1}, det = psign[p];
                if (cfg[c].dims == 2 && flip[2])
                    continue;
                for (int a = 0; a < 3; a++)
                    if (flip[a])
                        det = -det;
                if (det != 1)
                    continue;
                int inv[3], iflip[3];
                for (int a = 0; a < 3; a++) {
                    inv[perms[p][a]] = a;
                    iflip[perms[p][a]] = flip[a];
                }
                RadImage *ri = rotate_literal(im, perms[p], flip), *rr = rad_filter_wavelet(ri, &o);
                RadImage *back = rr ? rotate_literal(rr, inv, iflip) : NULL;
                ok &= back != NULL;
                for (size_t v = 0; back && v < n; v++)
                    acc[v] += back->data[v];
                nrot++;
                rad_image_free(ri);
                rad_image_free(rr);
                rad_image_free(back);
            }
        }
        o.rotation_invariant = 1;
        RadImage *fast = rad_filter_wavelet(im, &o);
        double worst = fast && ok ? 0 : INFINITY, range = 0;
        for (size_t v = 0; fast && v < n; v++) {
            worst = fmax(worst, fabs(fast->data[v] - acc[v] / nrot));
            range = fmax(range, fabs(acc[v] / nrot));
        }
        tap_ok(nrot == (cfg[c].dims == 3 ? 24 : 4) && worst <= 1e-5 * range,
               "%s %s level %d %dD %s: pooled response = mean over the %d rotated filterings (worst %.3g of %.3g)",
               cfg[c].fam, cfg[c].band, cfg[c].level, cfg[c].dims, rad_boundary_name(cfg[c].b), nrot, worst, range);
        rad_image_free(fast);
        free(acc);
    }
    rad_image_free(im);
}

static void test_simoncelli_props(void)
{
    tap_ok(fabs(rad_simoncelli_profile(M_PI / 2, 1) - 1) < 1e-15 && rad_simoncelli_profile(M_PI / 4, 1) == 0 &&
               fabs(rad_simoncelli_profile(M_PI, 1)) < 1e-15 && rad_simoncelli_profile(1.1 * M_PI, 1) == 0 &&
               fabs(rad_simoncelli_profile(M_PI / 4, 2) - 1) < 1e-15,
           "Simoncelli profile: 1 at pi/2 (level 1) and pi/4 (level 2), 0 at the band edges");
    double worst = 0;
    /* levels 1..6 cover (pi/128, pi]; below pi/2 (where level 0 would start)
     * and above pi/32 two adjacent levels share every frequency */
    for (double w = M_PI / 32 + 1e-3; w <= M_PI / 2; w += 0.001) {
        double s = 0;
        for (int l = 1; l <= 6; l++)
            s += pow(rad_simoncelli_profile(w, l), 2);
        worst = fmax(worst, fabs(s - 1));
    }
    tap_ok(worst < 1e-12, "Simoncelli levels 1..6 are a partition of unity in energy on (pi/32, pi/2] (worst %.2g)", worst);
    RadImage *im = random_image(16, 12, 10, 5);
    double mean = 0;
    RadImage *r = rad_filter_simoncelli(im, 1, 3, 2);
    for (size_t v = 0; r && v < rad_image_nvox(r); v++)
        mean += r->data[v];
    tap_ok(r && fabs(mean / (double)rad_image_nvox(r)) < 1e-4, "Simoncelli response has mean 0 (band-pass)");
    rad_image_free(r);
    /* 2D: each slice alone equals the 3D filter of that single slice */
    RadGeometry g;
    rad_geometry_init(&g, 2, 16, 12, 1);
    RadImage *sl = rad_image_new(&g);
    memcpy(sl->data, im->data + 16 * 12 * 4, 16 * 12 * sizeof(float));
    RadImage *r2 = rad_filter_simoncelli(im, 2, 2, 2), *rs = rad_filter_simoncelli(sl, 2, 2, 1);
    double d = r2 && rs ? 0 : INFINITY;
    for (size_t v = 0; r2 && rs && v < 16 * 12; v++)
        d = fmax(d, fabs(r2->data[16 * 12 * 4 + v] - rs->data[v]));
    tap_ok(d < 1e-4, "Simoncelli 2D filters each slice on its own (worst %.2g)", d);
    rad_image_free(r2);
    rad_image_free(rs);
    rad_image_free(sl);
    rad_image_free(im);
}

static void test_errors(void)
{
    RadImage *im = image_of(8, 8, 8);
    RadWaveletOptions o = opts("db21", "LHL", 1, 3, RAD_BOUNDARY_MIRROR);
    tap_ok(rad_filter_wavelet(im, &o) == NULL, "unknown family: an error");
    tap_contains(rad_error_message(), "unknown family \"db21\" (known: haar", "... naming it and the known families");
    o = opts("db2", "LXL", 1, 3, RAD_BOUNDARY_MIRROR);
    tap_ok(rad_filter_wavelet(im, &o) == NULL, "sub-band LXL: an error");
    tap_contains(rad_error_message(), "is not 3 letters L or H", "... saying what a sub-band is");
    o = opts("db2", "LH", 1, 3, RAD_BOUNDARY_MIRROR);
    tap_ok(rad_filter_wavelet(im, &o) == NULL, "a 2-letter sub-band in 3D: an error");
    o = opts("db2", "LHL", 1, 2, RAD_BOUNDARY_MIRROR);
    tap_ok(rad_filter_wavelet(im, &o) == NULL, "a 3-letter sub-band in 2D: an error");
    o = opts("db2", "LHL", 0, 3, RAD_BOUNDARY_MIRROR);
    tap_ok(rad_filter_wavelet(im, &o) == NULL, "level 0: an error");
    tap_contains(rad_error_message(), "level 0 is outside 1..10", "... naming the level");
    o = opts("db2", "LHL", 4, 3, RAD_BOUNDARY_MIRROR);
    tap_ok(rad_filter_wavelet(im, &o) == NULL, "level 4 of 8 voxels: an error");
    tap_contains(rad_error_message(), "too few for level 4 (needs 16): lower the level to 3 or less",
                 "... naming the largest level");
    o = opts("db2", "LHL", 1, 4, RAD_BOUNDARY_MIRROR);
    tap_ok(rad_filter_wavelet(im, &o) == NULL, "dims 4: an error");
    tap_ok(rad_filter_simoncelli(im, 0, 3, 1) == NULL, "Simoncelli level 0: an error");
    tap_contains(rad_error_message(), "level 0 is outside", "... naming the level");
    tap_ok(rad_filter_simoncelli(im, 4, 3, 1) == NULL, "Simoncelli level 4 of 8 voxels: an error");
    tap_contains(rad_error_message(), "too few for level 4", "... naming the size");
    tap_ok(rad_filter_simoncelli(im, 1, 1, 1) == NULL, "Simoncelli dims 1: an error");
    tap_ok(rad_wavelet_filter("bior1.3", NULL) < 0, "rad_wavelet_filter of an unknown family: -1");
    rad_image_free(im);
}

/* ---- IBSI 2 consensus response maps -------------------------------------- */

typedef struct MapCase {
    const char *map, *phantom, *what;
    const char *family, *band; /* family NULL: Simoncelli */
    int level, rotinv;
    RadBoundary b;
} MapCase;

/* The configurations as listed in $RADLAB_DATA/ibsi2/README.md (read from
 * the IBSI 2 test descriptions; the IBSI 2 reference manual, arXiv:2006.05470,
 * chapter "Reference filter response maps", is normative where they differ).
 * Every map below is reproduced to within 0.4 % of its range (most to
 * 1e-7), so no disagreement between the table and the manual surfaced.
 * All 3D, undecimated. */
static const MapCase cases[] = {
    {"5_a_1", "impulse", "db2 LHL level 1, constant", "db2", "LHL", 1, 0, RAD_BOUNDARY_CONSTANT},
    {"5_a_2", "impulse", "db2 LHL level 1, rotation invariant, constant", "db2", "LHL", 1, 1, RAD_BOUNDARY_CONSTANT},
    {"6_a_1", "sphere", "coif1 HHL level 1, periodic", "coif1", "HHL", 1, 0, RAD_BOUNDARY_PERIODIC},
    {"6_a_2", "sphere", "coif1 HHL level 1, rotation invariant, periodic", "coif1", "HHL", 1, 1, RAD_BOUNDARY_PERIODIC},
    {"7_a_1", "checkerboard", "haar LLL level 2, rotation invariant, mirror", "haar", "LLL", 2, 1, RAD_BOUNDARY_MIRROR},
    {"7_a_2", "checkerboard", "haar HHH level 2, rotation invariant, mirror", "haar", "HHH", 2, 1, RAD_BOUNDARY_MIRROR},
    {"8_a_1", "checkerboard", "Simoncelli level 1 (periodic)", NULL, NULL, 1, 0, RAD_BOUNDARY_PERIODIC},
    {"8_a_2", "checkerboard", "Simoncelli level 2 (periodic)", NULL, NULL, 2, 0, RAD_BOUNDARY_PERIODIC},
    {"8_a_3", "checkerboard", "Simoncelli level 3 (periodic)", NULL, NULL, 3, 0, RAD_BOUNDARY_PERIODIC},
};
#define NCASES (sizeof cases / sizeof cases[0])

static void test_maps(const char *data)
{
    char path[4096];
    for (size_t c = 0; c < NCASES; c++) {
        const MapCase *mc = &cases[c];
        snprintf(path, sizeof path, "%s/ibsi2/phantoms/%s/image.nii.gz", data, mc->phantom);
        RadImage *im = rad_image_read(path);
        snprintf(path, sizeof path, "%s/ibsi2/response_maps/%s-ValidCRM.nii.gz", data, mc->map);
        RadImage *ref = rad_image_read(path);
        if (!im || !ref) {
            tap_ok(0, "%s: phantom %s and map read (%s)", mc->map, mc->phantom, rad_error_message());
            rad_image_free(im);
            rad_image_free(ref);
            continue;
        }
        double t0 = now();
        RadImage *r;
        if (mc->family) {
            RadWaveletOptions o = opts(mc->family, mc->band, mc->level, 3, mc->b);
            o.rotation_invariant = mc->rotinv;
            r = rad_filter_wavelet(im, &o);
        } else {
            r = rad_filter_simoncelli(im, mc->level, 3, 2);
        }
        double t = now() - t0;
        if (!r || rad_image_nvox(r) != rad_image_nvox(ref)) {
            tap_ok(0, "%s: %s runs on the map's grid (%s)", mc->map, mc->what, r ? "size differs" : rad_error_message());
        } else {
            double lo = INFINITY, hi = -INFINITY, worst = 0;
            size_t at = 0;
            for (size_t v = 0; v < rad_image_nvox(ref); v++) {
                lo = fmin(lo, ref->data[v]);
                hi = fmax(hi, ref->data[v]);
            }
            for (size_t v = 0; v < rad_image_nvox(ref); v++)
                if (fabs(r->data[v] - ref->data[v]) > worst) {
                    worst = fabs(r->data[v] - ref->data[v]);
                    at = v;
                }
            size_t nx = ref->geom.dim[0], ny = ref->geom.dim[1];
            tap_ok(worst <= 0.01 * (hi - lo),
                   "IBSI 2 map %s (%s on %s): worst voxel difference %.3g = %.4f %% of the range %.5g..%.5g "
                   "(at %zu,%zu,%zu: %.5g vs %.5g), %.3f s",
                   mc->map, mc->what, mc->phantom, worst, 100 * worst / (hi - lo), lo, hi, at % nx, at / nx % ny,
                   at / (nx * ny), r->data[at], ref->data[at], t);
        }
        rad_image_free(r);
        rad_image_free(im);
        rad_image_free(ref);
    }
}

/* Timing on the IBSI CT phantom (reported, not pass/fail). */
static void test_ct_timing(const char *data)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/ibsi1/ct_phantom/image.nii.gz", data);
    RadImage *im = rad_image_read(path);
    if (!im) {
        tap_ok(0, "CT phantom read (%s)", rad_error_message());
        return;
    }
    static const struct {
        const char *band;
        int level, dims;
    } cfg[] = {{"LLH", 1, 3}, {"HHH", 2, 3}, {"LH", 1, 2}, {"HH", 2, 2}};
    for (size_t i = 0; i < 4; i++) {
        RadWaveletOptions o = opts("db3", cfg[i].band, cfg[i].level, cfg[i].dims, RAD_BOUNDARY_MIRROR);
        o.rotation_invariant = 1;
        o.threads = 0;
        double t0 = now();
        RadImage *r = rad_filter_wavelet(im, &o);
        tap_ok(r != NULL, "CT phantom %zux%zux%zu, db3 %s level %d %dD rotation invariant: %.3f s", im->geom.dim[0],
               im->geom.dim[1], im->geom.dim[2], cfg[i].band, cfg[i].level, cfg[i].dims, now() - t0);
        rad_image_free(r);
    }
    for (int l = 1; l <= 2; l++)
        for (int d = 3; d >= 2; d--) {
            double t0 = now();
            RadImage *r = rad_filter_simoncelli(im, l, d, 0);
            tap_ok(r != NULL, "CT phantom, Simoncelli level %d %dD: %.3f s", l, d, now() - t0);
            rad_image_free(r);
        }
    rad_image_free(im);
}

int main(void)
{
    test_coefficients();
    test_hand();
    test_energy();
    test_rotation();
    test_rotation_literal();
    test_simoncelli_props();
    test_errors();
    const char *data = getenv("RADLAB_DATA");
    char probe[4096];
    FILE *f = NULL;
    if (data) {
        snprintf(probe, sizeof probe, "%s/ibsi2/README.md", data);
        f = fopen(probe, "r");
    }
    if (!f) {
        tap_skip(NCASES + 8, "RADLAB_DATA not set or without ibsi2/README.md: IBSI 2 response maps 5.a.1-8.a.3 and "
                             "the CT phantom timing skipped");
    } else {
        fclose(f);
        test_maps(data);
        test_ct_timing(data);
    }
    return tap_done();
}
