/* radlab: unit tests of Kaplan-Meier, log-rank, concordance, td AUC and Brier.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every expected value is worked out by hand in the comments: a 6-subject
 * Kaplan-Meier curve with tied and censored times (Greenwood by hand, the
 * median on a flat 0.5 segment), a two-group log-rank test on 4 subjects,
 * Harrell's and Uno's C on 5 subjects, all-censored data and a single event,
 * time-dependent AUC and Brier score on the same 5 subjects, and the
 * messages for bad input.  The integrated Brier score (rad_brier_times):
 * 4 uncensored subjects (all weights 1, so BS(t) is a plain mean of squared
 * errors, worked out below) and 7 censored subjects checked against the Graf
 * (1999) formula re-coded here with its own reverse Kaplan-Meier.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rad.h"
#include "tap.h"

static void test_km(void)
{
    /* t:  1  2  2  2  4  5
     * e:  1  1  1  0  0  1
     * t=1: n 6, d 1 -> S = 5/6, greenwood 1/(6*5) = 1/30
     * t=2: n 5, d 2, c 1 -> S = 5/6 * 3/5 = 1/2, greenwood += 2/(5*3) -> 1/6
     * t=4: n 2, c 1 -> S = 1/2
     * t=5: n 1, d 1 -> S = 0 */
    double t[] = {2, 1, 2, 5, 4, 2}, e[] = {1, 1, 0, 1, 0, 1};
    RadKm km;
    RadKmPoint p;
    double z = 1.959963984540054;
    tap_ok(rad_km_fit(t, e, 6, 0.95, &km) == 0, "KM fits 6 subjects");
    tap_ok(km.m == 4, "4 distinct times (got %zu)", km.m);
    tap_ok(km.events == 4, "4 events");
    tap_near(km.time[1], 2, 0, "second time is 2");
    tap_near(km.n_risk[1], 5, 0, "5 at risk at t = 2");
    tap_near(km.n_event[1], 2, 0, "2 events at t = 2");
    tap_near(km.n_censor[1], 1, 0, "1 censored at t = 2");
    tap_near(km.surv[0], 5.0 / 6, 1e-15, "S(1) = 5/6");
    tap_near(km.se[0], 5.0 / 6 * sqrt(1.0 / 30), 1e-15, "se(1) = S sqrt(1/30)");
    tap_near(km.surv[1], 0.5, 1e-15, "S(2) = 1/2");
    tap_near(km.se[1], 0.5 * sqrt(1.0 / 6), 1e-15, "Greenwood se(2) = 0.5 sqrt(1/6)");
    tap_near(km.lower[1], 0.5 * exp(-z * sqrt(1.0 / 6)), 1e-12, "log-CI lower at 2");
    tap_near(km.upper[1], fmin(1, 0.5 * exp(z * sqrt(1.0 / 6))), 1e-12, "log-CI upper at 2 (capped at 1)");
    tap_near(km.surv[2], 0.5, 1e-15, "S(4) = 1/2 (censoring only)");
    tap_near(km.surv[3], 0, 0, "S(5) = 0");
    tap_ok(km.se[3] == 0 && isnan(km.lower[3]) && isnan(km.upper[3]), "S = 0: se 0, no CI");
    tap_near(km.median, 3.5, 1e-12, "median: flat at 0.5 from 2 to 5 -> midpoint 3.5");
    rad_km_at(&km, 0.5, &p);
    tap_ok(p.surv == 1 && p.se == 0 && p.n_risk == 6, "at(0.5): before the first time S = 1, 6 at risk");
    rad_km_at(&km, 2, &p);
    tap_ok(p.surv == 0.5 && p.n_risk == 5, "at(2): right-continuous S = 0.5, 5 at risk");
    rad_km_at(&km, 3, &p);
    tap_ok(p.surv == 0.5 && p.n_risk == 2, "at(3): S = 0.5, 2 at risk");
    rad_km_at(&km, 9, &p);
    tap_ok(p.surv == 0 && p.n_risk == 0, "at(9): S = 0, none at risk");
    rad_km_free(&km);

    /* single event: t 1 2 3, e 0 1 0: S(2) = 1/2, greenwood 1/(2*1) */
    double t1[] = {1, 2, 3}, e1[] = {0, 1, 0};
    tap_ok(rad_km_fit(t1, e1, 3, 0.95, &km) == 0, "KM with a single event");
    tap_near(km.surv[1], 0.5, 1e-15, "single event: S(2) = 1/2");
    tap_near(km.se[1], 0.5 * sqrt(0.5), 1e-15, "single event: se = 0.5 sqrt(1/2)");
    rad_km_free(&km);

    /* all censored: flat at 1 */
    double e0[] = {0, 0, 0};
    tap_ok(rad_km_fit(t1, e0, 3, 0.95, &km) == 0, "KM with no events");
    tap_ok(km.events == 0 && km.surv[2] == 1 && isnan(km.median), "all censored: S = 1, median not reached");
    rad_km_free(&km);

    /* bad input */
    double tb[] = {1, -2, 3}, eb[] = {1, 2, 0};
    tap_ok(rad_km_fit(tb, e1, 3, 0.95, &km) < 0, "negative time is an error");
    tap_contains(rad_error_message(), "subject 2", "the message names the subject");
    tap_ok(rad_km_fit(t1, eb, 3, 0.95, &km) < 0, "event 2 is an error");
    tap_contains(rad_error_message(), "1 (event) and 0 (censored)", "the message says how to code events");
    tap_ok(rad_km_fit(t1, e1, 0, 0.95, &km) < 0, "no subjects is an error");
}

static void test_logrank(void)
{
    /* A: 1 (event), 3 (event); B: 2 (event), 4 (censored)
     * t=1: n 4 (2, 2), d 1: E_A = 1/2, V = 1 * 3/3 * 1/2 * 1/2 = 1/4
     * t=2: n 3 (1, 2), d 1: E_A += 1/3, V += 1 * 2/2 * 1/3 * 2/3 = 2/9
     * t=3: n 2 (1, 1), d 1: E_A += 1/2, V += 1/4
     * O_A - E_A = 2 - 4/3 = 2/3; V = 13/18; chisq = (4/9) / (13/18) = 8/13 */
    double t[] = {1, 3, 2, 4}, e[] = {1, 1, 1, 0};
    int g[] = {0, 0, 1, 1};
    RadLogrank r;
    tap_ok(rad_logrank(t, e, g, 4, 2, NULL, &r) == 0, "log-rank on two tiny groups");
    tap_near(r.observed[0], 2, 0, "O_A = 2");
    tap_near(r.expected[0], 4.0 / 3, 1e-14, "E_A = 4/3");
    tap_near(r.expected[1], 5.0 / 3, 1e-14, "E_B = 5/3");
    tap_near(r.var[0], 13.0 / 18, 1e-14, "V_AA = 13/18");
    tap_near(r.chisq, 8.0 / 13, 1e-12, "chisq = 8/13");
    tap_near(r.df, 1, 0, "df = 1");
    tap_near(r.p, 0.43276758, 1e-7, "p = P(chi2_1 > 8/13)");
    rad_logrank_free(&r);
    /* trend with scores (0, 1) over 2 groups is the same test */
    double sc[] = {0, 1};
    tap_ok(rad_logrank(t, e, g, 4, 2, sc, &r) == 0, "trend test on two groups");
    tap_near(r.chisq, 8.0 / 13, 1e-12, "trend over 2 groups = the 2-group test");
    rad_logrank_free(&r);
    double e0[] = {0, 0, 0, 0};
    tap_ok(rad_logrank(t, e0, g, 4, 2, NULL, &r) < 0, "all censored: log-rank error");
    tap_contains(rad_error_message(), "no events", "the message says there are no events");
    int gb[] = {0, 0, 3, 1};
    tap_ok(rad_logrank(t, e, gb, 4, 2, NULL, &r) < 0, "group code out of range is an error");
}

static void test_concordance(void)
{
    /* time 1..5, event 1 0 1 1 0, score 5 3 4 4 1
     * i=1: vs 2,3,4,5: 5>3,4,4,1 -> 4 concordant
     * i=3: vs 4 (tie 4=4), 5 (4>1) -> 1 tied, 1 concordant
     * i=4: vs 5 (4>1) -> 1 concordant
     * Harrell = (6 + 1/2) / 7.
     * Uno: censoring KM G(t-) = 1 at 1, 0.75 at 3 and 4 (one censored of 4 at 2):
     * (4 + (1.5 + 1) / 0.5625) / (4 + 3 / 0.5625) = 76/84 */
    double t[] = {1, 2, 3, 4, 5}, e[] = {1, 0, 1, 1, 0}, s[] = {5, 3, 4, 4, 1};
    RadConcordance c;
    tap_ok(rad_concordance(t, e, s, 5, 0, &c) == 0, "concordance on 5 subjects");
    tap_near(c.comparable, 7, 0, "7 comparable pairs");
    tap_near(c.concordant, 6, 0, "6 concordant");
    tap_near(c.tied_score, 1, 0, "1 tied in score");
    tap_near(c.harrell, 6.5 / 7, 1e-14, "Harrell's C = 6.5/7");
    tap_near(c.uno, 76.0 / 84, 1e-14, "Uno's C = 76/84");
    tap_ok(c.harrell_se > 0 && isfinite(c.harrell_se), "Harrell SE finite and positive");
    /* truncation at 2: only the pairs of the event at 1 */
    tap_ok(rad_concordance(t, e, s, 5, 2, &c) == 0, "concordance truncated at tau = 2");
    tap_near(c.harrell, 1, 1e-14, "tau = 2: all 4 remaining pairs concordant");
    /* tied event times are not comparable; censored at an event time is */
    double t2[] = {1, 1, 1, 2}, e2[] = {1, 1, 0, 0}, s2[] = {2, 1, 0, 3};
    tap_ok(rad_concordance(t2, e2, s2, 4, 0, &c) == 0, "concordance with tied times");
    tap_near(c.tied_time, 1, 0, "one pair tied in event time");
    tap_near(c.comparable, 4, 0, "4 comparable pairs (each event vs the censored at 1 and at 2)");
    tap_near(c.concordant, 2, 0, "2 concordant");
    double e0[] = {0, 0, 0, 0, 0};
    tap_ok(rad_concordance(t, e0, s, 5, 0, &c) < 0, "all censored: error");
    tap_contains(rad_error_message(), "all censored", "the message says all are censored");
    double e1[] = {0, 0, 0, 0, 1};
    tap_ok(rad_concordance(t, e1, s, 5, 0, &c) < 0, "single event at the last time: no comparable pair");
    double s3[] = {1, NAN, 2, 3, 4};
    tap_ok(rad_concordance(t, e, s3, 5, 0, &c) < 0, "missing score is an error");
    tap_contains(rad_error_message(), "subject 2", "the message names the subject");
}

static void test_td(void)
{
    /* time 1..5, event 1 0 1 1 0, score 5 3 4 4 1, t = 3.5.
     * Censoring KM: G = 1 before 2, 0.75 from 2 (1 censored of 4).
     * Cases: 1 (weight 1/G(1-) = 1), 3 (weight 1/G(3-) = 4/3); controls 4, 5.
     * Case 1: 5 > 4, 5 > 1 -> 2; case 3: 4 = 4 (1/2), 4 > 1 -> 1.5.
     * AUC = (2 + 4/3 * 1.5) / ((1 + 4/3) * 2) = 4 / (14/3) = 6/7.
     * Brier with p = .2 .6 .3 .7 .9: (.04/1 + 0 + .09/.75 + .09/.75 + .01/.75) / 5 */
    double t[] = {1, 2, 3, 4, 5}, e[] = {1, 0, 1, 1, 0}, s[] = {5, 3, 4, 4, 1}, p[] = {.2, .6, .3, .7, .9};
    double auc, bs;
    size_t a, b;
    tap_ok(rad_td_auc(t, e, s, 5, 3.5, &auc, &a, &b) == 0, "td AUC at 3.5");
    tap_ok(a == 2 && b == 2, "2 cases, 2 controls");
    tap_near(auc, 6.0 / 7, 1e-14, "AUC(3.5) = 6/7");
    tap_ok(rad_td_auc(t, e, s, 5, 0.5, &auc, NULL, NULL) < 0, "no case before 0.5: error");
    tap_contains(rad_error_message(), "no cases", "the message says there are no cases");
    tap_ok(rad_td_auc(t, e, s, 5, 5, &auc, NULL, NULL) < 0, "no control after 5: error");
    tap_ok(rad_brier(t, e, p, 5, 3.5, &bs) == 0, "Brier at 3.5");
    tap_near(bs, (0.04 + 0.09 / 0.75 + 0.09 / 0.75 + 0.01 / 0.75) / 5, 1e-14, "Brier(3.5) by hand");
    double pb[] = {.2, 1.5, .3, .7, .9};
    tap_ok(rad_brier(t, e, pb, 5, 3.5, &bs) < 0, "probability 1.5 is an error");
    tap_contains(rad_error_message(), "subject 2", "the message names the subject");
}

static void test_ibs_uncensored(void)
{
    /* times 1 2 3 4, all events; grid 1.5 2.5 3.5 (G = 1 throughout).
     * t = 1.5: subject 1 dead (target 0), others alive (1); p = .5 .8 .9 .9:
     *          (.25 + .04 + .01 + .01) / 4 = .0775
     * t = 2.5: 1, 2 dead; p = .2 .4 .7 .8: (.04 + .16 + .09 + .04) / 4 = .0825
     * t = 3.5: 1, 2, 3 dead; p = .1 .2 .3 .6: (.01 + .04 + .09 + .16) / 4 = .075
     * IBS (step rule, t0 = 0): (1.5 * .0775 + 1 * .0825 + 1 * .075) / 3.5 */
    double t[] = {1, 2, 3, 4}, e[] = {1, 1, 1, 1}, g[] = {1.5, 2.5, 3.5};
    double p[] = {.5, .8, .9, .9, /* column t = 1.5 */
                  .2, .4, .7, .8, /* t = 2.5 */
                  .1, .2, .3, .6}; /* t = 3.5 */
    double bs[3], ibs;
    tap_ok(rad_brier_times(t, e, p, 4, g, 3, bs, &ibs) == 0, "integrated Brier, no censoring");
    tap_near(bs[0], .0775, 1e-15, "BS(1.5) = .0775 by hand");
    tap_near(bs[1], .0825, 1e-15, "BS(2.5) = .0825 by hand");
    tap_near(bs[2], .075, 1e-15, "BS(3.5) = .075 by hand");
    tap_near(ibs, (1.5 * .0775 + .0825 + .075) / 3.5, 1e-15, "IBS = step-rule integral / 3.5 by hand");
    double one;
    tap_ok(rad_brier_times(t, e, p, 4, g, 1, bs, &one) == 0 && fabs(one - .0775) < 1e-15,
           "one time point: IBS = BS(t1)");
    double bad[] = {1.5, 1.5, 3.5};
    tap_ok(rad_brier_times(t, e, p, 4, bad, 3, bs, &ibs) < 0, "repeated time point is an error");
    tap_contains(rad_error_message(), "strictly increasing", "the message says the times must increase");
    double neg[] = {-1, 2.5, 3.5};
    tap_ok(rad_brier_times(t, e, p, 4, neg, 3, bs, &ibs) < 0, "negative time point is an error");
    tap_contains(rad_error_message(), "time point 1", "the message names the time point");
    double pq[12];
    memcpy(pq, p, sizeof pq);
    pq[6] = -0.5;
    tap_ok(rad_brier_times(t, e, pq, 4, g, 3, bs, &ibs) < 0, "probability -0.5 is an error");
    tap_contains(rad_error_message(), "subject 3", "the message names the subject");
    tap_contains(rad_error_message(), "time point 2", "and the time point");
}

/* Reverse Kaplan-Meier G(u) (left = 0) or G(u-) (left = 1), coded directly:
 * product over censoring times c <= u (< u) of 1 - censored(c) / at risk(c),
 * at risk = time >= c (events at c still count as at risk, as survfit). */
static double revkm(const double *t, const double *e, size_t n, double u, int left)
{
    double G = 1;
    for (size_t i = 0; i < n; i++) {
        double c = t[i];
        int first = 1;
        for (size_t j = 0; j < i; j++)
            if (t[j] == c)
                first = 0;
        if (!first || (left ? !(c < u) : !(c <= u)))
            continue;
        double nc = 0, nr = 0;
        for (size_t j = 0; j < n; j++) {
            nc += t[j] == c && e[j] == 0;
            nr += t[j] >= c;
        }
        G *= 1 - nc / nr;
    }
    return G;
}

static void test_ibs_censored(void)
{
    double t[] = {1, 2, 2, 3, 4, 5, 6}, e[] = {1, 0, 1, 1, 0, 1, 0}, g[] = {1.5, 2.5, 4.5, 5.5};
    size_t n = 7, k = 4;
    double p[28], bs[4], ibs, ref[4], integral = 0, prev = 0;
    for (size_t j = 0; j < k; j++)
        for (size_t i = 0; i < n; i++)
            p[j * n + i] = exp(-(0.1 + 0.05 * (double)i) * g[j]); /* decreasing in time */
    tap_ok(rad_brier_times(t, e, p, n, g, k, bs, &ibs) == 0, "integrated Brier with censoring");
    for (size_t j = 0; j < k; j++) {
        double s = 0;
        for (size_t i = 0; i < n; i++) {
            double q = p[j * n + i];
            if (e[i] == 1 && t[i] <= g[j])
                s += q * q / revkm(t, e, n, t[i], 1);
            else if (t[i] > g[j])
                s += (1 - q) * (1 - q) / revkm(t, e, n, g[j], 0);
        }
        ref[j] = s / (double)n;
        char what[96];
        snprintf(what, sizeof what, "BS(%g) = Graf formula with independent IPCW weights", g[j]);
        tap_near(bs[j], ref[j], 1e-14, what);
        integral += (g[j] - prev) * ref[j];
        prev = g[j];
    }
    tap_near(ibs, integral / g[k - 1], 1e-14, "IBS = step-rule integral of the re-computed BS");
    tap_near(revkm(t, e, n, 2.5, 0), 5.0 / 6, 1e-15, "the test's reverse KM: G(2.5) = 5/6");
    double single;
    tap_ok(rad_brier(t, e, p + 2 * n, n, g[2], &single) == 0 && single == bs[2],
           "bs[j] is rad_brier at times[j]");
}

/* rad_concordance_compare on the 5-patient case worked by hand in
 * tests/lua/compare_models.lua, and rad_lr_test. */
static void test_compare(void)
{
    const double t[] = {1, 2, 3, 4, 5}, e[] = {1, 1, 0, 1, 0}, a[] = {3, 1, 2, 2, 0}, b[] = {2, 3, 1, 2, 1};
    RadCCompare r;
    tap_ok(rad_concordance_compare(t, e, a, b, 5, 0.95, &r) == 0, "compare: 5 patients");
    tap_near(r.pairs, 8, 0, "compare: 8 comparable pairs");
    tap_near(r.c_a, 0.75, 1e-15, "compare: C_a = 6/8");
    tap_near(r.c_b, 0.8125, 1e-15, "compare: C_b = 6.5/8");
    tap_near(r.sd_dxy_a, sqrt(46) / 16, 1e-15, "compare: S.D.(Dxy_a) = sqrt(46)/16");
    tap_near(r.se_delta, sqrt(4632) / 256, 1e-15, "compare: SE(C_b - C_a) = sqrt(4632)/256");
    tap_near(r.dxy, 0.125, 1e-15, "compare: rcorrp Dxy = 1/8");
    tap_near(r.dxy_sd, 2 * sqrt(3800) / 256, 1e-15, "compare: rcorrp S.D. = 2 sqrt(3800)/256");
    const double none[] = {0, 0, 0, 0, 0};
    tap_ok(rad_concordance_compare(t, none, a, b, 5, 0.95, &r) < 0 &&
               strstr(rad_error_message(), "no comparable pairs") != NULL,
           "compare: no events -> no comparable pairs");
    double x, p;
    tap_ok(rad_lr_test(-10, -8, 1, &x, &p) == 0, "lr test");
    tap_near(x, 4, 0, "lr test: chisq = 2 (-8 - -10) = 4");
    tap_near(p, 0.04550026389635847, 1e-15, "lr test: p = P(chi2_1 > 4) = 0.0455002638964 (R pchisq)");
    tap_ok(rad_lr_test(-8, -10, 1, &x, &p) < 0 && strstr(rad_error_message(), "fits worse") != NULL,
           "lr test: a bigger model that fits worse is refused");
}

int main(void)
{
    test_km();
    test_logrank();
    test_concordance();
    test_td();
    test_ibs_uncensored();
    test_ibs_censored();
    test_compare();
    return tap_done();
}
