/* radlab: unit tests of the penalised Cox path.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On seeded synthetic survival data (with tied times): lambda_max gives all
 * zeros and the next lambda exactly one non-zero coefficient; with a tiny
 * lambda the lasso approaches the unpenalised Breslow Cox fit, computed here
 * by a small Newton iteration on the Breslow partial likelihood (Breslow
 * 1974; the score and information as in Therneau & Grambsch 2000, ch. 3);
 * cross-validation is reproducible with a seed; bad input gives messages.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/error.h"
#include "stats/models.h"
#include "stats/coxnet.h"

#define N 300
#define P 4

static double unif(uint64_t *s)
{
    return ((double)(rad_splitmix64(s) >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(uint64_t *s)
{
    double u1 = unif(s), u2 = unif(s);
    return sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Unpenalised Breslow Cox fit by Newton-Raphson (p <= P). */
static int cox_newton(const double *x, size_t n, size_t p, const double *time, const double *event, double *b)
{
    memset(b, 0, p * sizeof *b);
    for (int it = 0; it < 50; it++) {
        double g[P] = {0}, h[P][P] = {{0}}, a[P][P + 1], step = 0;
        for (size_t i = 0; i < n; i++) {
            double s0 = 0, s1[P] = {0}, s2[P][P] = {{0}}, dk = 0;
            if (event[i] != 1)
                continue;
            /* each event at time t_i: risk set time >= t_i (Breslow) */
            for (size_t l = 0; l < n; l++) {
                double eta = 0, e;
                if (time[l] < time[i])
                    continue;
                for (size_t j = 0; j < p; j++)
                    eta += x[j * n + l] * b[j];
                e = exp(eta);
                s0 += e;
                for (size_t j = 0; j < p; j++) {
                    s1[j] += e * x[j * n + l];
                    for (size_t m = 0; m < p; m++)
                        s2[j][m] += e * x[j * n + l] * x[m * n + l];
                }
            }
            dk = 1;
            for (size_t j = 0; j < p; j++) {
                g[j] += dk * (x[j * n + i] - s1[j] / s0);
                for (size_t m = 0; m < p; m++)
                    h[j][m] += dk * (s2[j][m] / s0 - s1[j] * s1[m] / (s0 * s0));
            }
        }
        /* solve h d = g by Gaussian elimination with partial pivoting */
        for (size_t j = 0; j < p; j++) {
            for (size_t m = 0; m < p; m++)
                a[j][m] = h[j][m];
            a[j][p] = g[j];
        }
        for (size_t c = 0; c < p; c++) {
            size_t piv = c;
            for (size_t r = c + 1; r < p; r++)
                if (fabs(a[r][c]) > fabs(a[piv][c]))
                    piv = r;
            for (size_t m = 0; m <= p; m++) {
                double t = a[c][m];
                a[c][m] = a[piv][m];
                a[piv][m] = t;
            }
            if (a[c][c] == 0)
                return -1;
            for (size_t r = c + 1; r < p; r++) {
                double f = a[r][c] / a[c][c];
                for (size_t m = c; m <= p; m++)
                    a[r][m] -= f * a[c][m];
            }
        }
        for (size_t c = p; c-- > 0;) {
            double s = a[c][p];
            for (size_t m = c + 1; m < p; m++)
                s -= a[c][m] * a[m][p];
            a[c][p] = s / a[c][c];
        }
        for (size_t j = 0; j < p; j++) {
            b[j] += a[j][p];
            step = fmax(step, fabs(a[j][p]));
        }
        if (step < 1e-12)
            return it;
    }
    return -1;
}

int main(void)
{
    static double x[N * P], time[N], event[N];
    static const double beta[P] = {0.8, -0.5, 0.3, 0};
    uint64_t s = 42;
    RadCoxnetOptions o;
    RadCoxnetPath path, p2;
    RadCoxnetCV cv1, cv2;
    double bn[P], lam;

    for (size_t i = 0; i < N; i++) {
        double eta = 0, t, c;
        for (size_t j = 0; j < P; j++) {
            x[j * N + i] = gauss(&s) * (j + 1);
            eta += beta[j] * x[j * N + i] / (double)(j + 1);
        }
        t = -log(unif(&s)) / exp(eta);
        c = -log(unif(&s)) * 1.5;
        time[i] = ceil(fmin(t, c) * 20) / 20; /* rounded: tied times */
        event[i] = t <= c;
    }

    rad_coxnet_options_default(&o);
    tap_ok(rad_coxnet(x, N, P, time, event, &o, &path) == 0, "default path fits: %s", rad_error_message());
    tap_ok(path.nlambda >= 5 && path.nlambda <= 100, "path length %zu in 5..100", path.nlambda);
    tap_ok(path.df[0] == 0, "all coefficients zero at lambda_max");
    tap_ok(path.df[1] == 1, "exactly one non-zero at the next lambda (df %zu)", path.df[1]);
    tap_ok(path.beta[1 * P + 0] != 0, "and it is the strongest predictor");
    tap_near(rad_coxnet_deviance(time, event, (double[N]){0}, N), path.null_dev, 1e-9 * path.null_dev,
             "null deviance = deviance at eta = 0");
    {
        int mono = 1;
        for (size_t k = 1; k < path.nlambda; k++)
            mono = mono && path.dev_ratio[k] >= path.dev_ratio[k - 1] - 1e-10 && path.lambda[k] < path.lambda[k - 1];
        tap_ok(mono, "lambda decreases and the deviance ratio grows along the path");
    }
    lam = path.lambda[0] * 1.0001;
    o.lambda = &lam;
    o.nuser = 1;
    tap_ok(rad_coxnet(x, N, P, time, event, &o, &p2) == 0 && p2.df[0] == 0, "all zero just above lambda_max");
    rad_coxnet_free(&p2);
    lam = path.lambda[0] * 0.98;
    tap_ok(rad_coxnet(x, N, P, time, event, &o, &p2) == 0 && p2.df[0] == 1, "one non-zero just below lambda_max");
    rad_coxnet_free(&p2);

    /* tiny lambda vs the unpenalised Breslow fit */
    tap_ok(cox_newton(x, N, P, time, event, bn) >= 0, "Newton Cox fit converges");
    lam = 1e-9;
    o.thresh = 1e-14;
    tap_ok(rad_coxnet(x, N, P, time, event, &o, &p2) == 0, "lambda = 1e-9 fits");
    {
        double maxd = 0;
        for (size_t j = 0; j < P; j++)
            maxd = fmax(maxd, fabs(p2.beta[j] - bn[j]) / fmax(fabs(bn[j]), 1e-3));
        tap_diag("lambda = 1e-9 vs Newton: max relative difference %.2e (b1 %.6f vs %.6f)", maxd, p2.beta[0], bn[0]);
        tap_ok(maxd < 1e-5, "tiny lambda approaches the unpenalised Breslow fit");
    }
    rad_coxnet_free(&p2);
    o.standardize = 0;
    tap_ok(rad_coxnet(x, N, P, time, event, &o, &p2) == 0 && fabs(p2.beta[1] - bn[1]) < 1e-5 * fabs(bn[1]),
           "and without standardisation");
    rad_coxnet_free(&p2);

    /* prediction */
    {
        double row[P] = {1, 2, 3, 4}, out[2], xx[2 * P];
        size_t k = path.nlambda - 1;
        for (size_t j = 0; j < P; j++) {
            xx[j * 2] = row[j];
            xx[j * 2 + 1] = j == 2 ? NAN : row[j];
        }
        rad_coxnet_predict(&path, k, xx, 2, out);
        double want = 0;
        for (size_t j = 0; j < P; j++)
            want += path.beta[k * P + j] * row[j];
        tap_near(out[0], want, 1e-12, "predict = x b");
        tap_ok(isnan(out[1]), "a missing input gives NaN");
    }

    /* cross-validation */
    rad_coxnet_options_default(&o);
    o.nlambda = 40;
    tap_ok(rad_coxnet_cv(x, N, P, time, event, &o, 5, 3, &cv1) == 0, "CV runs: %s", rad_error_message());
    tap_ok(rad_coxnet_cv(x, N, P, time, event, &o, 5, 3, &cv2) == 0, "CV runs again");
    {
        int same = cv1.nlambda == cv2.nlambda;
        for (size_t k = 0; same && k < cv1.nlambda; k++)
            same = cv1.cvm[k] == cv2.cvm[k] && cv1.cvsd[k] == cv2.cvsd[k];
        tap_ok(same, "CV reproducible with the same seed");
        tap_ok(cv1.lambda_1se >= cv1.lambda_min, "lambda_1se >= lambda_min");
        tap_ok(cv1.cvm[cv1.index_1se] <= cv1.cvm[cv1.index_min] + cv1.cvsd[cv1.index_min], "lambda_1se within 1 SE");
        tap_ok(cv1.index_min > 0 && cv1.cvm[cv1.index_min] < cv1.cvm[0], "the CV minimum beats the null model");
    }
    rad_coxnet_cv_free(&cv2);
    tap_ok(rad_coxnet_cv(x, N, P, time, event, &o, 5, 4, &cv2) == 0, "CV with another seed");
    tap_ok(cv2.cvm[1] != cv1.cvm[1], "another seed gives other folds");
    rad_coxnet_cv_free(&cv1);
    rad_coxnet_cv_free(&cv2);

    /* bad input */
    event[7] = 2;
    tap_ok(rad_coxnet(x, N, P, time, event, &o, &p2) < 0, "event 2 rejected");
    tap_contains(rad_error_message(), "row 8", "the message names the row");
    event[7] = 1;
    x[1 * N + 4] = NAN;
    tap_ok(rad_coxnet(x, N, P, time, event, &o, &p2) < 0, "NaN in x rejected");
    tap_contains(rad_error_message(), "column 2 of x", "the message names the column");
    x[1 * N + 4] = 0;
    o.alpha = 1.5;
    tap_ok(rad_coxnet(x, N, P, time, event, &o, &p2) < 0, "alpha 1.5 rejected");
    tap_contains(rad_error_message(), "alpha", "the message names alpha");
    o.alpha = 1;
    tap_ok(rad_coxnet_cv(x, N, P, time, event, &o, 2, 1, &cv1) < 0, "2 folds rejected");
    tap_contains(rad_error_message(), "folds", "the message names folds");
    {
        double ev0[N] = {0};
        ev0[3] = 1;
        tap_ok(rad_coxnet(x, N, P, time, ev0, &o, &p2) < 0, "one event rejected");
        tap_contains(rad_error_message(), "at least 2 events", "the message says why");
    }
    rad_coxnet_free(&path);
    return tap_done();
}
