/* radlab: Kaplan-Meier, log-rank, concordance, time-dependent AUC and Brier score.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Right-censored survival data: time[i] >= 0 (finite) and event[i] 1 for an
 * event, 0 for censoring.  Functions check their input, record a message
 * naming the offending subject (1-based) and return -1 on bad data.
 *
 *  - rad_km_fit: Kaplan-Meier estimate with Greenwood's variance and the
 *    log-transformed confidence interval, as R survival::survfit
 *    (conf.type = "log"); median survival with its CI as print.survfit.
 *  - rad_logrank: the k-group log-rank test (R survdiff, rho = 0) and the
 *    1-df test for trend over ordered group scores.
 *  - rad_concordance: Harrell's C (R survival::concordance, timewt "n") and
 *    Uno's C (timewt "n/G2"), with infinitesimal-jackknife standard errors.
 *  - rad_td_auc, rad_brier, rad_brier_times: cumulative/dynamic AUC(t), the
 *    Brier score at t and the integrated Brier score with
 *    inverse-probability-of-censoring weights.
 */
#ifndef RAD_STATS_SURV_H
#define RAD_STATS_SURV_H

#include <stddef.h>

/* ---- Kaplan-Meier ------------------------------------------------------------ */

typedef struct RadKm {
    size_t n;          /* subjects */
    size_t events;     /* total events */
    size_t m;          /* distinct times (event or censoring) */
    double *time;      /* m distinct times, ascending */
    double *n_risk;    /* at risk just before time[k] */
    double *n_event, *n_censor;
    double *surv;      /* S(time[k]) */
    double *se;        /* Greenwood standard error of S (0 where S = 0) */
    double *lower, *upper; /* CI of S, log transform; NaN where S = 0 */
    double conf;       /* confidence level, e.g. 0.95 */
    double median, median_lower, median_upper; /* NaN when not reached */
} RadKm;

/* Fit one curve; conf in (0, 1).  km is zeroed first; free with rad_km_free. */
int rad_km_fit(const double *time, const double *event, size_t n, double conf, RadKm *km);
void rad_km_free(RadKm *km);

/* The curve at time t (right-continuous step function): survival, SE and CI
 * of the last step at or before t (1, 0, 1, 1 before the first), and the
 * number still at risk at t (time >= t). */
typedef struct RadKmPoint {
    double surv, se, lower, upper, n_risk;
} RadKmPoint;
void rad_km_at(const RadKm *km, double t, RadKmPoint *p);

/* ---- log-rank ------------------------------------------------------------------ */

typedef struct RadLogrank {
    size_t k;             /* groups */
    double chisq, df, p;
    double *n;            /* k subjects per group */
    double *observed;     /* k observed events */
    double *expected;     /* k expected events */
    double *var;          /* k x k variance of O - E (row-major) */
} RadLogrank;

/* group[i] in 0..k-1.  scores NULL: the k-group test (df = rank of the
 * variance, as survdiff's generalised inverse); scores[k] given: the test
 * for trend, U = sum scores (O - E), chisq = U^2 / var(U), 1 df.
 * No events is an error. */
int rad_logrank(const double *time, const double *event, const int *group, size_t n, size_t k,
                const double *scores, RadLogrank *r);
void rad_logrank_free(RadLogrank *r);

/* ---- concordance --------------------------------------------------------------- */

typedef struct RadConcordance {
    size_t n, events;
    double harrell, harrell_se; /* timewt "n" */
    double uno, uno_se;         /* timewt "n/G2" */
    /* unweighted pair counts (higher score = higher risk = concordant) */
    double concordant, discordant, tied_score, tied_time, comparable;
    double tau;                 /* truncation time used (Inf = none) */
} RadConcordance;

/* A higher score means a higher risk (shorter survival).  A pair (i, j) is
 * comparable when i has an event and j is known to live longer: time[j] >
 * time[i], or time[j] == time[i] with j censored.  Pairs tied in score count
 * 1/2; pairs with tied event times are not comparable.  Pairs whose event
 * time exceeds tau (tau <= 0 or NaN: no truncation) are left out.  O(n log n).
 * Fewer than one comparable pair is an error. */
int rad_concordance(const double *time, const double *event, const double *score, size_t n, double tau,
                    RadConcordance *c);

/* ---- time-dependent accuracy (IPCW) ------------------------------------------------ */

/* Cumulative/dynamic AUC at time t (Heagerty 2000; IPCW estimator of Uno 2007
 * and Blanche 2013, R timeROC with the marginal Kaplan-Meier weights): cases
 * have an event at or before t (weight 1 / G(T_i-)), controls are still event
 * free after t (weight 1 / G(t), constant); AUC = weighted share of
 * case-control pairs with a higher case score (ties 1/2).  G is the
 * Kaplan-Meier of the censoring distribution, deaths before censorings at
 * a tied time (prodlim's reverse KM, as timeROC and riskRegression Score).
 * Computed by rad_td_auc_compare (compare.c).  No case or no control at t is
 * an error.  *ncases / *ncontrols may be NULL. */
int rad_td_auc(const double *time, const double *event, const double *score, size_t n, double t, double *auc,
               size_t *ncases, size_t *ncontrols);

/* Brier score at t with IPCW (Graf et al. 1999): prob[i] is the predicted
 * probability of surviving past t; (1/n) sum [ (0 - p)^2 / G(T_i-) for events
 * at or before t, (1 - p)^2 / G(t) for subjects still at risk after t ];
 * subjects censored before t contribute 0.  Probabilities must be in [0, 1]. */
int rad_brier(const double *time, const double *event, const double *prob, size_t n, double t, double *bs);

/* Brier scores at k time points and the integrated Brier score (Graf et al.
 * 1999): times[0..k-1] finite, > 0 and strictly increasing; prob is n x k
 * column-major, prob[j * n + i] = predicted probability that subject i
 * survives past times[j].  bs[j] = rad_brier at times[j] (same IPCW weights);
 * ibs = (1 / t_k) * integral over [0, t_k] of BS(t), with BS taken as the
 * left-continuous step function on the grid, BS(t) = BS(t_j) for t in
 * (t_{j-1}, t_j] and t_0 = 0:
 *     ibs = sum_j (t_j - t_{j-1}) BS(t_j) / t_k.
 * Why this rule: it covers the whole [0, t_k] of the definition without
 * inventing a value at t = 0 (which the trapezoid rule from 0 would need)
 * and without dropping [0, t_1] (which the trapezoid rule from t_1, as
 * scikit-survival, does); a single time gives ibs = BS(t_1); on a fine grid
 * it converges to the same integral as pec/riskRegression (whose rules
 * differ only on coarse grids).  Errors
 * name the offending time point or subject. */
int rad_brier_times(const double *time, const double *event, const double *prob, size_t n, const double *times,
                    size_t k, double *bs, double *ibs);

/* Check survival data (shared by the survival functions): n > 0, finite
 * non-negative times, events 0/1.  "what" prefixes the message. */
int rad_surv_check(const double *time, const double *event, size_t n, const char *what);

/* ---- comparing two scores (compare.c) ------------------------------------------------ */

/* Harrell's C of two risk scores a and b on the same subjects, as Hmisc
 * (Harrell 2001; the Fortran cidxcn / cidxcp of rcorr.cens and rcorrp.cens,
 * method 1).  Comparable pairs as rad_concordance (tied event times are not
 * comparable; a tied score counts 1/2).  The S.D.s are Quade's U-statistic
 * formula for a ratio of sums over subjects.
 *   c_a, c_b            Harrell's C (higher score = higher risk)
 *   sd_dxy_a, sd_dxy_b  S.D. of Somers' Dxy = 2 C - 1 (rcorr.cens "S.D."; SE of C = half)
 *   dxy, dxy_sd         rcorrp.cens "Dxy" and "S.D.": over comparable pairs, the share
 *                       where a separates the pair more in the right direction than b
 *                       (a's score difference exceeds b's) minus the share where b does.
 *                       Note: it compares raw score differences, so it depends on the
 *                       scales of a and b, and it is not C_a - C_b.
 *   a_more, b_more      rcorrp.cens "x1 more concordant" / "x2 more concordant"
 *   delta, se_delta     C_b - C_a and its SE: the per-pair contributions
 *                       (Dxy_b - Dxy_a) form the same ratio of U-statistics, so the same
 *                       formula gives the S.D. of 2 (C_b - C_a); se_delta is half of it.
 * Confidence intervals at level conf are Wald intervals (estimate -/+ z se; those of
 * C clipped to [0, 1]); p (of delta) and dxy_p (of rcorrp's Dxy) are two-sided normal
 * p-values of estimate / se.  O(n^2).  No comparable pair is an error. */
typedef struct RadCCompare {
    size_t n, events;
    double pairs;        /* comparable pairs */
    double c_a, c_b, sd_dxy_a, sd_dxy_b;
    double lower_a, upper_a, lower_b, upper_b;
    double dxy, dxy_sd, dxy_p, a_more, b_more;
    double delta, se_delta, lower, upper, p;
} RadCCompare;
int rad_concordance_compare(const double *time, const double *event, const double *a, const double *b, size_t n,
                            double conf, RadCCompare *r);

/* AUC(t) of rad_td_auc with its standard error, and with a second score
 * (s2 != NULL) the paired difference auc2 - auc1 with its SE, as
 * riskRegression::Score(metrics = "auc", cens.model = "km", conf.int = TRUE,
 * contrasts = TRUE): the SEs are sd(IF) / sqrt(n) (n - 1 in sd) of the
 * influence function of the IPCW estimator with a Kaplan-Meier censoring
 * model (Blanche et al. 2013), the difference's from IF2 - IF1.  CIs at
 * level conf: AUC -/+ z se clipped to [0, 1], delta -/+ z se_delta; p is the
 * two-sided normal p of delta / se_delta.  Without s2 the fields of score 2
 * and of the difference are NaN.  No case or no control is an error. */
typedef struct RadTdAucCompare {
    size_t cases, controls;
    double auc1, se1, lower1, upper1, auc2, se2, lower2, upper2;
    double delta, se_delta, lower, upper, p;
} RadTdAucCompare;
int rad_td_auc_compare(const double *time, const double *event, const double *s1, const double *s2, size_t n,
                       double t, double conf, RadTdAucCompare *r);

/* The likelihood-ratio test of nested models: chisq = 2 (loglik_big -
 * loglik_small) on df = the difference in the number of estimated
 * coefficients (>= 1), p = its chi-square upper tail.  A bigger model that
 * fits clearly worse (chisq < -1e-6 (1 + |loglik_big|)) is an error: the
 * models are not nested or a fit did not converge; a smaller negative value
 * is taken as 0. */
int rad_lr_test(double loglik_small, double loglik_big, double df, double *chisq, double *p);

/* Net reclassification improvement at time t of predictions b over a
 * (Pencina, D'Agostino & Steyerberg 2011, Stat Med 30:11, Kaplan-Meier form
 * for censored data).  A patient moves up when b puts them higher than a:
 * with cuts (ncut ascending risk cut points, categories [.., c1), [c1, c2),
 * ..., [ck, ..)) when b's category is higher, without cuts (continuous NRI)
 * when b > a.  With S(t) the Kaplan-Meier survival of everyone, S_up and
 * S_down that of those moved up / down, P(up) = n_up / n:
 *   P(up | event) = (1 - S_up(t)) P(up) / (1 - S(t)),  P(up | no event) = S_up(t) P(up) / S(t),
 *   nri_events = P(up | event) - P(down | event), nri_nonevents = P(down | no event) - P(up | no event),
 *   nri = nri_events + nri_nonevents.
 * a and b must be on the same scale (for cuts: predicted risks of an event by t).
 * nboot > 0: percentile bootstrap CI at level conf and the bootstrap SE
 * over nboot resamples of patients (GSL Mersenne twister seeded with seed;
 * resamples without events by t are skipped, boot_ok counts the rest);
 * otherwise se, lower, upper are NaN.  t beyond the last follow-up, no event
 * by t, or every patient failed by t are errors. */
typedef struct RadNri {
    size_t n, up, down, categories, boot_ok;
    double p_event, p_event_up, p_event_down;  /* 1 - S(t) of all, up, down (NaN for an empty group) */
    double nri_events, nri_nonevents, nri;
    double se, lower, upper;
} RadNri;
int rad_nri(const double *time, const double *event, const double *a, const double *b, size_t n, double t,
            const double *cuts, size_t ncut, size_t nboot, unsigned long seed, double conf, RadNri *r);

#endif
