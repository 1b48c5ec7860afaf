/* radlab: unit tests of the Cox model.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hand-worked cases:
 * - two groups, no ties: the score test at beta = 0 equals the log-rank
 *   statistic (U = sum (x_e - mean of x in the risk set), I = sum of the
 *   risk-set variances; 4 events, x = 1,0,1,0: U = 2/3, I = 13/18, 8/13);
 * - three rows, times 1,1,2 all events, x = 1,0,0: Breslow l(b) = b - 2 log(e^b + 2)
 *   is maximal at e^b = 2; Efron l(b) = b - log(e^b + 2) - log(e^b / 2 + 3 / 2)
 *   at e^b = sqrt 6; null log-likelihoods -2 log 3 and -log 6;
 * - a single event among four rows: 1.5 = (1.5 a + 2.5 c) / (a + c + 1), with
 *   a = e^(1.5 b), c = e^(2.5 b), gives c = 1.5; its concordance is 1/2;
 * - Harrell's C on five rows with tied times and scores, counted by hand;
 * - duplicated data in two strata: the same estimate, twice the log-likelihood;
 * - errors: all censored, negative time, bad event code, constant and
 *   collinear covariates (named), and the monotone-likelihood warning;
 * - cox.zph's plot data on 12 tie-free rows: the raw Schoenfeld residuals
 *   sum to 0 per term at the MLE (the score equation), the scaled residuals
 *   average to coef, x = 1 - KM(t-) re-computed here, and for one covariate
 *   the chisq re-computed from x and y.  Derivation: with c_e = x_e - mean x,
 *   r_e = (y_e - b) / (d var) the raw residual (d events) and I_e the
 *   risk-set variance of the covariate at event e (at the estimate), the
 *   score test of adding x * g(t) at (b, 0) is
 *       U = sum c_e r_e,  V = sum c_e^2 I_e - (sum c_e I_e)^2 / sum I_e,
 *       chisq = U^2 / V  (Grambsch & Therneau 1994; cox.zph in survival 3.x),
 *   and with I_e replaced by its average I / d (the approximation of
 *   survival 2.x) chisq ~ (sum c_e (y_e - b))^2 / (d var sum c_e^2).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rad.h"
#include "tap.h"

static void test_logrank(void)
{
    double time[] = {1, 2, 3, 4, 5, 6, 7, 8}, status[] = {1, 1, 1, 1, 0, 1, 0, 1};
    double x[] = {1, 0, 1, 0, 1, 1, 0, 0};
    const char *names[] = {"group"};
    RadCoxFit f;
    tap_ok(rad_cox_fit(time, status, x, 8, 1, NULL, NULL, names, NULL, &f) == 0, "two-group fit: %s",
           rad_error_message());
    /* log-rank by hand-style sums, no ties: O - E and hypergeometric variance */
    double oe = 0, v = 0;
    for (int i = 0; i < 8; i++) {
        if (!status[i])
            continue;
        double n = 0, n1 = 0;
        for (int j = i; j < 8; j++) {
            n++;
            n1 += x[j];
        }
        oe += x[i] - n1 / n;
        v += n1 / n * (1 - n1 / n);
    }
    tap_near(f.score, oe * oe / v, 1e-12, "score test = log-rank chi-square");
    tap_ok(f.nevent == 6 && f.n == 8, "n = 8, 6 events");
    tap_near(f.lr, 2 * (f.loglik - f.loglik0), 1e-12, "LR = 2 (l - l0)");
    tap_near(f.wald, f.coef[0] * f.coef[0] / (f.se[0] * f.se[0]), 1e-9, "Wald = z^2 for one covariate");
    tap_near(f.hr[0], exp(f.coef[0]), 1e-12, "HR = exp(coef)");
    rad_cox_free(&f);

    double t4[] = {1, 2, 3, 4}, s4[] = {1, 1, 1, 1}, x4[] = {1, 0, 1, 0};
    tap_ok(rad_cox_fit(t4, s4, x4, 4, 1, NULL, NULL, names, NULL, &f) == 0, "four-row fit");
    tap_near(f.score, 8.0 / 13.0, 1e-12, "score test 8/13 by hand");
    rad_cox_free(&f);
}

static void test_ties(void)
{
    double time[] = {1, 1, 2}, status[] = {1, 1, 1}, x[] = {1, 0, 0};
    const char *names[] = {"x"};
    RadCoxOptions o;
    RadCoxFit f;
    rad_cox_options_default(&o);
    o.ties = RAD_COX_BRESLOW;
    tap_ok(rad_cox_fit(time, status, x, 3, 1, NULL, NULL, names, &o, &f) == 0, "Breslow fit");
    tap_near(f.coef[0], log(2.0), 1e-7, "Breslow: beta = log 2");
    tap_near(f.loglik0, -2 * log(3.0), 1e-12, "Breslow: l0 = -2 log 3");
    tap_near(f.loglik, log(2.0) - 2 * log(4.0), 1e-12, "Breslow: l = log 2 - 2 log 4");
    /* baseline at the mean 1/3: t = 1: 2 / (e^(2b/3) + 2 e^(-b/3)); t = 2: 1 / e^(-b/3) */
    double b = f.coef[0], h1 = 2 / (exp(2 * b / 3) + 2 * exp(-b / 3)), h2 = h1 + 1 / exp(-b / 3);
    tap_near(rad_cox_cumhaz(&f, 0, 1.5), h1, 1e-9, "Breslow baseline cumulative hazard at t = 1");
    tap_near(rad_cox_cumhaz(&f, 0, 2), h2, 1e-9, "Breslow baseline cumulative hazard at t = 2");
    tap_near(rad_cox_cumhaz(&f, 0, 0.5), 0, 0, "no hazard before the first event");
    rad_cox_free(&f);

    o.ties = RAD_COX_EFRON;
    tap_ok(rad_cox_fit(time, status, x, 3, 1, NULL, NULL, names, &o, &f) == 0, "Efron fit");
    tap_near(f.coef[0], 0.5 * log(6.0), 1e-7, "Efron: beta = log sqrt 6");
    tap_near(f.loglik0, -log(6.0), 1e-12, "Efron: l0 = -log 6");
    double u = sqrt(6.0);
    tap_near(f.loglik, log(u) - log(u + 2) - log(u / 2 + 1.5), 1e-12, "Efron: l at the maximum");
    /* Efron baseline at t = 1: 1 / S0 + 1 / (S0 - S0e / 2) with r = e^(b(x - 1/3)) */
    b = f.coef[0];
    double r1 = exp(2 * b / 3), r0 = exp(-b / 3), s0 = r1 + 2 * r0, s0e = r1 + r0;
    tap_near(rad_cox_cumhaz(&f, 0, 1), 1 / s0 + 1 / (s0 - s0e / 2), 1e-9, "Efron baseline at t = 1");
    /* Harrell's C at beta > 0 (row 1, x = 1, has the highest risk): the two
     * events at t = 1 are not comparable (tied times); row 1 vs row 3
     * (t = 2) concordant; row 2 vs row 3 tied risk (1/2): (1 + 1/2) / 2 */
    tap_near(f.concordance, 0.75, 1e-12, "concordance (1 + 1/2) / 2 by hand");
    rad_cox_free(&f);
}

static void test_single_event(void)
{
    double time[] = {1, 2, 3, 4}, status[] = {0, 1, 0, 0}, x[] = {0.5, 1.5, 2.5, 0};
    const char *names[] = {"x"};
    RadCoxFit f;
    tap_ok(rad_cox_fit(time, status, x, 4, 1, NULL, NULL, names, NULL, &f) == 0, "single event fit: %s",
           rad_error_message());
    tap_near(f.coef[0], log(1.5) / 2.5, 1e-7, "single event: beta = log(1.5) / 2.5");
    tap_ok(f.nevent == 1, "one event");
    tap_near(f.concordance, 0.5, 1e-12, "single event: one concordant and one discordant pair");
    rad_cox_free(&f);
}

static void test_concordance(void)
{
    /* event at 1 (score 4): 4 later rows, all lower: 4 concordant; event at 2
     * (score 2): the censoring at 2 counts as later (tie: 1/2), time 3 has a
     * higher score (discordant), the other event at 2 is not comparable;
     * event at 2 (score 0): two discordant.  (4 + 0.5) / 8. */
    double time[] = {1, 2, 2, 3, 2}, status[] = {1, 1, 0, 1, 1}, score[] = {4, 2, 2, 3, 0};
    tap_near(rad_cox_concordance(time, status, score, 5, NULL, NULL), 4.5 / 8, 1e-12,
             "Harrell's C with tied times and tied scores");
    double t2[] = {1, 1, 2}, s2[] = {0, 1, 1}, x2[] = {0, 1, 0};
    const char *names[] = {"x"};
    RadCoxFit f;
    /* censored row first in the time order at a tied time: one event time per group */
    tap_ok(rad_cox_fit(t2, s2, x2, 3, 1, NULL, NULL, names, NULL, &f) == 0, "censoring tied with an event");
    tap_ok(f.nbase == 2, "two event times in the baseline hazard");
    rad_cox_free(&f);
}

static void test_strata_weights(void)
{
    double time[] = {1, 2, 3, 4, 5, 6, 7, 8}, status[] = {1, 1, 1, 1, 0, 1, 0, 1};
    double x[] = {1, 0, 1, 0, 1, 1, 0, 0};
    double t2[16], s2[16], x2[16], w[8];
    int strata[16];
    const char *names[] = {"group"};
    RadCoxFit a, b, c;
    for (int i = 0; i < 16; i++) {
        t2[i] = time[i % 8] + (i >= 8 ? 0.5 : 0); /* interleaved times across strata */
        s2[i] = status[i % 8];
        x2[i] = x[i % 8];
        strata[i] = i >= 8;
    }
    for (int i = 0; i < 8; i++)
        w[i] = 2;
    tap_ok(rad_cox_fit(time, status, x, 8, 1, NULL, NULL, names, NULL, &a) == 0, "plain fit");
    tap_ok(rad_cox_fit(t2, s2, x2, 16, 1, NULL, strata, names, NULL, &b) == 0, "stratified fit");
    tap_near(b.coef[0], a.coef[0], 1e-7, "two identical strata: same coefficient");
    tap_near(b.loglik, 2 * a.loglik, 1e-9, "two identical strata: twice the log-likelihood");
    tap_near(b.concordance, a.concordance, 1e-12, "two identical strata: same concordance");
    tap_ok(b.nstrata == 2, "two strata");
    tap_near(rad_cox_cumhaz(&b, 1, 100), rad_cox_cumhaz(&a, 0, 100), 1e-9, "baseline of stratum 2 = plain one");
    tap_ok(rad_cox_fit(time, status, x, 8, 1, w, NULL, names, NULL, &c) == 0, "weighted fit");
    tap_near(c.coef[0], a.coef[0], 1e-7, "weights 2: same coefficient");
    /* every log S0 gains log 2 and is counted with weight 2 */
    tap_near(c.loglik, 2 * a.loglik - 2 * (double)a.nevent * log(2.0), 1e-9, "weights 2: l = 2 l1 - 2 d log 2");
    tap_near(c.se[0], a.se[0] / sqrt(2.0), 1e-7, "weights 2: SE / sqrt 2");
    rad_cox_free(&a);
    rad_cox_free(&b);
    rad_cox_free(&c);
}

static void test_errors(void)
{
    double time[] = {1, 2, 3, 4}, x[] = {1, 2, 3, 4, 2, 4, 6, 8}, cst[] = {3, 3, 3, 3};
    double none[] = {0, 0, 0, 0}, some[] = {1, 0, 1, 1}, bad[] = {1, 2, 0, 1};
    double neg[] = {1, -2, 3, 4};
    const char *names[] = {"size", "double_size"};
    const char *cname[] = {"flat"};
    RadCoxFit f;
    tap_ok(rad_cox_fit(time, none, x, 4, 1, NULL, NULL, names, NULL, &f) < 0, "all censored is an error");
    tap_contains(rad_error_message(), "no events", "message says there are no events");
    tap_ok(rad_cox_fit(neg, some, x, 4, 1, NULL, NULL, names, NULL, &f) < 0, "negative time is an error");
    tap_contains(rad_error_message(), "row 2", "message names the row");
    tap_ok(rad_cox_fit(time, bad, x, 4, 1, NULL, NULL, names, NULL, &f) < 0, "event 2 is an error");
    tap_contains(rad_error_message(), "0 (censored)", "message says how to code events");
    tap_ok(rad_cox_fit(time, some, cst, 4, 1, NULL, NULL, cname, NULL, &f) < 0, "constant covariate is an error");
    tap_contains(rad_error_message(), "'flat' is constant", "message names the constant covariate");
    tap_ok(rad_cox_fit(time, some, x, 4, 2, NULL, NULL, names, NULL, &f) < 0, "collinear covariates are an error");
    tap_contains(rad_error_message(), "'double_size' is a linear combination of 'size'",
                 "message names the collinear covariates");
    double all[] = {1, 1, 1, 1}, sep[] = {4, 3, 2, 1};
    tap_ok(rad_cox_fit(time, all, sep, 4, 1, NULL, NULL, names, NULL, &f) == 0, "separated data still fit");
    tap_contains(f.warning, "monotone likelihood", "monotone likelihood is warned about");
    tap_contains(f.warning, "'size'", "the warning names the variable");
    rad_cox_free(&f);
}

static void test_zph(void)
{
    double time[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    double status[] = {1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1};
    double x[] = {2.1, 0.5, 1.7, 1.2, 3.0, 0.3, 0.9, 1.5, 0.2, 1.1, 0.4, 0.8, /* x1 */
                  0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0};                       /* x2 */
    const char *names[] = {"x1", "x2"};
    size_t n = 12, d = 9;
    RadCoxFit f;
    tap_ok(rad_cox_fit(time, status, x, n, 2, NULL, NULL, names, NULL, &f) == 0, "two-covariate fit for zph");
    tap_ok(f.zph_chisq == NULL && f.zph_n == 0, "the fit alone computes no zph");
    tap_ok(rad_cox_zph(time, status, x, n - 1, 2, NULL, NULL, &f) < 0, "zph on other data is an error");
    tap_ok(rad_cox_zph(time, status, x, n, 2, NULL, NULL, &f) == 0, "zph on the fit's data: %s", rad_error_message());
    tap_ok(f.zph_n == d, "one zph row per event (%zu)", f.zph_n);
    for (size_t j = 0; j < 2; j++) {
        double sr = 0, sy = 0, scale = 0;
        for (size_t e = 0; e < d; e++) {
            sr += f.zph_resid[j * d + e];
            sy += f.zph_y[j * d + e];
            scale += fabs(f.zph_resid[j * d + e]);
        }
        char what[96];
        snprintf(what, sizeof what, "Schoenfeld residuals of %s sum to 0 at the MLE", names[j]);
        tap_near(sr / scale, 0, 1e-7, what);
        snprintf(what, sizeof what, "scaled residuals of %s average to coef", names[j]);
        tap_near(sy / (double)d, f.coef[j], 1e-7 * (1 + fabs(f.coef[j])), what);
    }
    /* time ascending, x = 1 - KM(t-): KM by hand over the 12 rows */
    int ok = 1;
    size_t e = 0;
    double surv = 1;
    for (size_t i = 0; i < n; i++) {
        if (status[i]) {
            ok &= f.zph_time[e] == time[i] && fabs(f.zph_x[e] - (1 - surv)) < 1e-15;
            e++;
            surv *= 1 - 1.0 / (double)(n - i);
        }
    }
    tap_ok(ok, "zph time is the event times ascending, x = 1 - KM(t-)");
    /* the raw residual of the first event by hand: x - risk-weighted mean over all 12 */
    double num = 0, den = 0;
    for (size_t i = 0; i < n; i++) {
        double r = exp(f.coef[0] * x[i] + f.coef[1] * x[n + i]);
        num += r * x[i];
        den += r;
    }
    tap_near(f.zph_resid[0], x[0] - num / den, 1e-12, "first Schoenfeld residual by hand");
    rad_cox_free(&f);

    /* one covariate: chisq from x and y (plus the risk-set variances) */
    tap_ok(rad_cox_fit(time, status, x, n, 1, NULL, NULL, names, NULL, &f) == 0 &&
           rad_cox_zph(time, status, x, n, 1, NULL, NULL, &f) == 0, "one-covariate fit and its zph");
    double b = f.coef[0], var = f.var[0], xbar = 0;
    for (e = 0; e < d; e++)
        xbar += f.zph_x[e] / (double)d;
    double u = 0, scc = 0, sci = 0, si = 0, approx = 0;
    e = 0;
    for (size_t i = 0; i < n; i++) {
        if (!status[i])
            continue;
        double s0 = 0, s1 = 0, s2 = 0;
        for (size_t j = i; j < n; j++) { /* risk set: time >= time[i] (no ties) */
            double r = exp(b * x[j]);
            s0 += r;
            s1 += r * x[j];
            s2 += r * x[j] * x[j];
        }
        double ie = s2 / s0 - (s1 / s0) * (s1 / s0), c = f.zph_x[e] - xbar;
        double r = (f.zph_y[e] - b) / ((double)d * var);
        u += c * r;
        scc += c * c * ie;
        sci += c * ie;
        si += ie;
        approx += c * (f.zph_y[e] - b);
        e++;
    }
    double chisq = u * u / (scc - sci * sci / si), cc = 0;
    for (e = 0; e < d; e++)
        cc += (f.zph_x[e] - xbar) * (f.zph_x[e] - xbar);
    approx = approx * approx / ((double)d * var * cc);
    printf("# zph chisq %.10g, from x and y %.10g, survival 2.x approximation %.10g\n", f.zph_chisq[0], chisq,
           approx);
    tap_near(chisq, f.zph_chisq[0], 1e-9 * (1 + f.zph_chisq[0]), "zph chisq re-computed from x and y");
    tap_ok(fabs(approx - f.zph_chisq[0]) < 0.5 * f.zph_chisq[0] + 0.05,
           "the I_e = I / d approximation is close to the exact test");
    rad_cox_free(&f);
}

int main(void)
{
    test_logrank();
    test_ties();
    test_single_event();
    test_concordance();
    test_strata_weights();
    test_errors();
    test_zph();
    return tap_done();
}
