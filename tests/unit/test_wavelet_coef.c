/* radlab: unit tests of the orthogonal wavelet filters (wavelet_coef.c):
 * every family member by its defining properties, and dbN against a
 * spectral factorisation of the Daubechies polynomial computed here with
 * GSL's polynomial solver.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_poly.h>
#include <gsl/gsl_sf_gamma.h>

#include "image/filters/wavelet.h"
#include "image/filters/wavelet_coef.h"
#include "util/error.h"
#include "tap.h"

/* family letter ('h'aar, 'd'b, 's'ym, 'c'oif) and order N of a name */
static int parse(const char *name, char *fam)
{
    static const struct {
        const char *prefix;
        char fam;
    } p[] = {{"haar", 'h'}, {"db", 'd'}, {"sym", 's'}, {"coif", 'c'}};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        size_t n = strlen(p[i].prefix);
        if (strncmp(name, p[i].prefix, n) == 0) {
            *fam = p[i].fam;
            return p[i].fam == 'h' ? 1 : atoi(name + n);
        }
    }
    *fam = '?';
    return 0;
}

/* sum_k h_k h_{k+s} */
static double autocorr(const double *h, int m, int s)
{
    double d = 0;
    for (int k = 0; k + s < m; k++)
        d += h[k] * h[k + s];
    return d;
}

/* The properties every orthogonal filter of the table must have. */
static void test_properties(const RadWaveletCoef *w)
{
    char fam;
    int N = parse(w->name, &fam), m = w->m;
    const double *h = w->h;
    int want_m = fam == 'c' ? 6 * N : 2 * N, want_mom = fam == 'c' ? 2 * N : N;
    tap_ok(N > 0 && m == want_m && w->moments == want_mom, "%s: %d taps (want %d), %d vanishing moments (want %d)",
           w->name, m, want_m, w->moments, want_mom);
    if (N <= 0 || m != want_m || m > RAD_WAVELET_MAXLEN)
        return;

    double sum = 0, sq = 0, orth = 0;
    for (int k = 0; k < m; k++) {
        sum += h[k];
        sq += h[k] * h[k];
    }
    for (int s = 1; 2 * s < m; s++)
        orth = fmax(orth, fabs(autocorr(h, m, 2 * s)));
    tap_ok(fabs(sum - sqrt(2.0)) < 1e-12 && fabs(sq - 1) < 1e-12,
           "%s: sum h = sqrt 2 (off by %.2g), sum h^2 = 1 (off by %.2g)", w->name, sum - sqrt(2.0), sq - 1);
    tap_ok(orth < 1e-12, "%s: orthogonal to its even shifts (worst %.2g)", w->name, orth);

    /* Vanishing moments of the wavelet: g_k = (-1)^k h_{m-1-k}, sum_k k^p g_k
     * = 0 for p < moments.  Taken about the energy centre c = sum k g_k^2
     * (the same condition, since the lower moments vanish; the terms are
     * smallest there) and relative to sum |(k - c)^p g_k|: rounding the
     * taps to doubles perturbs each term by 1e-16 of itself, at most
     * m 1.1e-16 < 1.2e-14 of the scale in all, so 1e-13; a digit wrong at
     * 1e-12 in any tap fails it. */
    double c = 0, worst = 0;
    int worst_p = 0;
    for (int k = 0; k < m; k++)
        c += k * h[m - 1 - k] * h[m - 1 - k];
    for (int p = 0; p < w->moments; p++) {
        double s = 0, scale = 0;
        for (int k = 0; k < m; k++) {
            double t = pow(k - c, p) * ((k % 2) ? -h[m - 1 - k] : h[m - 1 - k]);
            s += t;
            scale += fabs(t);
        }
        if (fabs(s) / scale > worst) {
            worst = fabs(s) / scale;
            worst_p = p;
        }
    }
    tap_ok(worst < 1e-13, "%s: the wavelet's moments 0..%d vanish (worst relative %.2g at p = %d)", w->name,
           w->moments - 1, worst, worst_p);
    /* ... and moment number `moments` does not (relative to the same
     * scale, well above that rounding): the order is exact */
    double s = 0, scale = 0;
    for (int k = 0; k < m; k++) {
        double t = pow(k - c, w->moments) * ((k % 2) ? -h[m - 1 - k] : h[m - 1 - k]);
        s += t;
        scale += fabs(t);
    }
    tap_ok(fabs(s) / scale > 1e-12, "%s: moment %d of the wavelet does not vanish (relative %.2g)", w->name, w->moments,
           fabs(s) / scale);

    if (fam == 'c') {
        /* Coiflets (Daubechies 1992, section 8.2): the scaling function's
         * moments 1..2N-1 vanish too, sum_k (k - t)^p h_k = 0, about the tap
         * t = sum_k k h_k / sqrt 2, which is 2N in this orientation (the
         * origin of Daubechies' indices -2N..4N-1 in table 8.1). */
        double t = 0;
        for (int k = 0; k < m; k++)
            t += k * h[k];
        t /= sqrt(2.0);
        worst = 0;
        for (int p = 1; p < 2 * N; p++) {
            double sp = 0, sc = 0;
            for (int k = 0; k < m; k++) {
                sp += pow(k - 2 * N, p) * h[k];
                sc += fabs(pow(k - 2 * N, p) * h[k]);
            }
            worst = fmax(worst, fabs(sp) / sc);
        }
        tap_ok(fabs(t - 2 * N) < 1e-12 && worst < 1e-12,
               "%s: centre of the scaling filter at tap %d (%.14g), its moments 1..%d vanish (worst relative %.2g)",
               w->name, 2 * N, t, 2 * N - 1, worst);
    }

    if (fam == 's') {
        /* symN differs from dbN only in the choice of zeros (inside or
         * outside the unit circle): |H(w)|^2, the autocorrelation, is the
         * same */
        char db[16];
        snprintf(db, sizeof db, "db%d", N);
        const RadWaveletCoef *d = rad_wavelet_coef(db);
        double dif = d ? 0 : 1;
        for (int s2 = 0; d && s2 < m; s2++)
            dif = fmax(dif, fabs(autocorr(h, m, s2) - autocorr(d->h, m, s2)));
        tap_ok(dif < 1e-10, "%s: the autocorrelation of %s (worst %.2g)", w->name, db, dif);
        /* and it is not dbN itself from N = 4 on */
        double same = 0;
        for (int k = 0; d && k < m; k++)
            same = fmax(same, fabs(h[k] - d->h[k]));
        if (N >= 4)
            tap_ok(same > 1e-3, "%s: not %s (differs by %.2g)", w->name, db, same);
    }
}

/* c (*len coefficients, highest power first) times (z - r) */
static void mult(double complex *c, int *len, double complex r)
{
    c[*len] = 0;
    for (int i = *len; i > 0; i--)
        c[i] -= r * c[i - 1];
    (*len)++;
}

/* dbN by spectral factorisation: H(z) = sqrt 2 ((1 + z^-1)/2)^N Q(z) with
 * |Q|^2 = P(sin^2(w/2)), P(y) = sum_{k<N} C(N-1+k, k) y^k (Daubechies 1992,
 * (6.1.11)); each root y_i of P gives the zero pair z, 1/z of
 * z^2 - (2 - 4 y_i) z + 1; the extremal phase filter keeps the zeros inside
 * the unit circle.  Coefficients of prod (z - zeros), highest power first,
 * normalised to sum sqrt 2.  Returns the largest difference from the table. */
static double spectral_db(int N, const double *table)
{
    int m = 2 * N;
    double a[40], roots[80];
    double complex c[41];
    for (int k = 0; k < N; k++)
        a[k] = gsl_sf_choose((unsigned)(N - 1 + k), (unsigned)k);
    c[0] = 1;
    int len = 1;
    for (int i = 0; i < N; i++)
        mult(c, &len, -1.0);
    if (N > 1) {
        gsl_poly_complex_workspace *ws = gsl_poly_complex_workspace_alloc((size_t)N);
        int rc = ws ? gsl_poly_complex_solve(a, (size_t)N, ws, roots) : -1;
        gsl_poly_complex_workspace_free(ws);
        if (rc != 0)
            return INFINITY;
        for (int j = 0; j < N - 1; j++) {
            double complex y = roots[2 * j] + I * roots[2 * j + 1], b = 2 - 4 * y;
            double complex z = (b + csqrt(b * b - 4)) / 2;
            if (cabs(z) > 1)
                z = 1 / z;
            mult(c, &len, z);
        }
    }
    double sum = 0, worst = 0;
    for (int i = 0; i < m; i++)
        sum += creal(c[i]);
    for (int i = 0; i < m; i++)
        worst = fmax(worst, fabs(creal(c[i]) * sqrt(2.0) / sum - table[i]));
    return worst;
}

static void test_spectral(void)
{
    /* Root finding loses digits as N grows (the roots of P cluster), yet
     * GSL's companion-matrix solver keeps 12 up to N = 20 */
    for (int N = 1; N <= 20; N++) {
        char name[16];
        snprintf(name, sizeof name, "db%d", N);
        const RadWaveletCoef *w = rad_wavelet_coef(name);
        double d = w ? spectral_db(N, w->h) : INFINITY;
        tap_ok(d < 1e-9, "%s: the spectral factorisation of the Daubechies polynomial (off by %.2g)", name, d);
    }
}

/* The least asymmetric choice of zeros is PyWavelets' (and so
 * PyRadiomics'): sym8's rec_lo as PyWavelets 1.x tabulates it, a table
 * good to about 12 digits (1e-11 leaves room for that, a different
 * choice of zeros differs by 0.1). */
static void test_sym8(void)
{
    static const double pywt[16] = {
        0.0018899503327594609, -0.0003029205147213668, -0.014952258337048231, 0.0038087520138906151,
        0.049137179673607506,  -0.027219029917056003,  -0.051945838107709037, 0.3644418948353314,
        0.77718575170052351,   0.48135965125837221,    -0.061273359067658524, -0.14329423835080971,
        0.0076074873249176054, 0.031695087811492981,   -0.00054213233179114812, -0.0033824159510061256};
    const RadWaveletCoef *w = rad_wavelet_coef("sym8");
    double d = w && w->m == 16 ? 0 : INFINITY;
    for (int k = 0; k < 16 && w && w->m == 16; k++)
        d = fmax(d, fabs(w->h[k] - pywt[k]));
    tap_ok(d < 1e-11, "sym8: PyWavelets' table (off by %.2g)", d);
}

static void test_names(void)
{
    static const char *ok[] = {"haar", "HAAR", "db1", "DB20", "Sym2", "sym20", "coif1", "COIF17"};
    static const char *bad[] = {"db0", "db21", "sym1", "sym21", "coif0", "coif18", "daubechies3", "bior1.3", "", "db"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        tap_ok(rad_wavelet_coef(ok[i]) != NULL, "\"%s\" is a family", ok[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        tap_ok(rad_wavelet_coef(bad[i]) == NULL, "\"%s\" is not a family", bad[i]);
    tap_ok(rad_wavelet_coef(NULL) == NULL, "NULL is not a family");
    tap_ok(rad_wavelet_filter("db21", NULL) < 0, "rad_wavelet_filter of db21: -1");
    tap_contains(rad_error_message(), RAD_WAVELET_FAMILIES, "the message lists the families compactly");
    /* rad_wavelet_filter gives the decomposition filter: h reversed */
    double k[RAD_WAVELET_MAXLEN];
    const RadWaveletCoef *c17 = rad_wavelet_coef("coif17");
    int m = rad_wavelet_filter("coif17", k);
    int rev = c17 && m == c17->m;
    for (int i = 0; rev && i < m; i++)
        rev = k[i] == c17->h[m - 1 - i];
    tap_ok(rev, "rad_wavelet_filter(\"coif17\"): the 102 taps reversed");
}

int main(void)
{
    size_t n = 0;
    for (const RadWaveletCoef *w; (w = rad_wavelet_coef_at(n)) != NULL; n++)
        test_properties(w);
    tap_ok(n == 1 + 20 + 19 + 17, "%zu filters: haar, db1-db20, sym2-sym20, coif1-coif17", n);
    test_spectral();
    test_sym8();
    test_names();
    return tap_done();
}
