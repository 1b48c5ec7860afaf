/* radlab: comparing two survival scores on the same patients.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 *  - rad_concordance_compare: Harrell's C of two scores with the U-statistic
 *    standard errors of Hmisc's rcorr.cens, the paired statistic of
 *    rcorrp.cens (method 1) and the difference in C with its U-statistic SE.
 *  - rad_td_auc_se, rad_td_auc_compare: cumulative/dynamic AUC(t) with the
 *    influence-function standard error of riskRegression's Score
 *    (cens.model = "km") and the paired difference of two scores' AUC.
 *
 * Scores follow the rest of radlab: a higher score means a higher risk.
 * Hmisc's x is "higher = longer survival", so x = -score; every comparison
 * below is written for the risk score and is the mirror image of Hmisc's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>

#include "util/error.h"
#include "stats/surv.h"

static double sgn(double d)
{
    return d > 0 ? 1 : d < 0 ? -1 : 0;
}

/* The S.D. of a ratio of U-statistics sum(w) / sum(r) from the per-subject
 * sums (Quade's formula as Hmisc's cidxcn/cidxcp, "see SAS PROC MATPAR"):
 * 2 sqrt(R2 W^2 - 2 R W RW + W2 R^2) / R^2 with R = sum r_i, W = sum w_i,
 * R2 = sum r_i^2, W2 = sum w_i^2, RW = sum r_i w_i. */
static double quade_sd(double R, double R2, double W, double W2, double RW)
{
    double v = R2 * W * W - 2 * R * W * RW + W2 * R * R;
    return 2 * sqrt(v > 0 ? v : 0) / R / R;
}

/* Sums of one Quade statistic. */
typedef struct Quade {
    double W, W2, RW;
} Quade;

static void quade_add(Quade *q, double r, double w)
{
    q->W += w;
    q->W2 += w * w;
    q->RW += r * w;
}

static double clip01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* Two-sided normal p of z (NaN when z is not a number: se 0 with delta 0). */
static double p_two(double est, double se)
{
    if (!(se > 0))
        return est == 0 ? 1 : 0;
    return 2 * gsl_cdf_ugaussian_Q(fabs(est / se));
}

static int check_conf(double conf, const char *what)
{
    if (!(conf > 0 && conf < 1))
        return rad_error_set("%s: the confidence level must be between 0 and 1 (e.g. 0.95), got %g", what, conf);
    return 0;
}

int rad_concordance_compare(const double *time, const double *event, const double *a, const double *b, size_t n,
                            double conf, RadCCompare *r)
{
    memset(r, 0, sizeof *r);
    if (check_conf(conf, "C comparison") < 0)
        return -1;
    if (rad_surv_check(time, event, n, "C comparison") < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(a[i]) || !isfinite(b[i]))
            return rad_error_set("C comparison: score %s of subject %zu is %s; drop such rows first",
                                 isfinite(a[i]) ? "b" : "a", i + 1,
                                 isnan(isfinite(a[i]) ? b[i] : a[i]) ? "missing" : "infinite");
        r->events += event[i] == 1;
    }
    r->n = n;
    /* Every comparable pair is visited twice, once from each member (as the
     * Fortran does): r_i counts the comparable pairs of subject i, w_i sums
     * their signed contributions (+1 concordant, -1 discordant, 0 tie). */
    double R = 0, R2 = 0, conc_a = 0, conc_b = 0, more_a = 0;
    Quade qa = {0, 0, 0}, qb = {0, 0, 0}, qp = {0, 0, 0}, qd = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (rad_interrupt_check() < 0)
            return -1;
        double ri = 0, wa = 0, wb = 0, wp = 0;
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            double s; /* +1: i failed first (i should have the higher score), -1: j did */
            if (event[i] == 1 && (time[i] < time[j] || (time[i] == time[j] && event[j] == 0)))
                s = 1;
            else if (event[j] == 1 && (time[j] < time[i] || (time[j] == time[i] && event[i] == 0)))
                s = -1;
            else
                continue;
            double da = a[i] - a[j], db = b[i] - b[j];
            double va = s * sgn(da), vb = s * sgn(db);
            ri += 1;
            conc_a += va > 0 ? 1 : va == 0 ? 0.5 : 0;
            conc_b += vb > 0 ? 1 : vb == 0 ? 0.5 : 0;
            wa += va;
            wb += vb;
            /* rcorrp.cens method 1: a is "more concordant" when the earlier
             * failure's score exceeds the later one's by more under a than
             * under b (a raw difference of the two scores' differences). */
            double more = s > 0 ? (da > db) : (da < db), less = s > 0 ? (da < db) : (da > db);
            wp += more - less;
            more_a += more;
        }
        R += ri;
        R2 += ri * ri;
        quade_add(&qa, ri, wa);
        quade_add(&qb, ri, wb);
        quade_add(&qp, ri, wp);
        quade_add(&qd, ri, wb - wa);
    }
    if (!(R > 0))
        return rad_error_set("C comparison: no comparable pairs (a pair needs an event and a subject known to live "
                             "longer; there are %zu events in %zu subjects); more follow-up or events are needed",
                             r->events, n);
    r->pairs = R / 2;
    r->c_a = conc_a / R;
    r->c_b = conc_b / R;
    r->sd_dxy_a = quade_sd(R, R2, qa.W, qa.W2, qa.RW);
    r->sd_dxy_b = quade_sd(R, R2, qb.W, qb.W2, qb.RW);
    r->dxy = qp.W / R;
    r->dxy_sd = quade_sd(R, R2, qp.W, qp.W2, qp.RW);
    r->a_more = more_a / R;
    r->b_more = r->a_more - r->dxy;
    /* Dxy_b - Dxy_a = sum(w_b - w_a) / R = 2 (C_b - C_a): the same ratio of
     * U-statistics, so the same formula gives its S.D.; that of C is half. */
    r->delta = r->c_b - r->c_a;
    r->se_delta = quade_sd(R, R2, qd.W, qd.W2, qd.RW) / 2;
    double z = gsl_cdf_ugaussian_Pinv(0.5 + conf / 2);
    r->lower_a = clip01(r->c_a - z * r->sd_dxy_a / 2);
    r->upper_a = clip01(r->c_a + z * r->sd_dxy_a / 2);
    r->lower_b = clip01(r->c_b - z * r->sd_dxy_b / 2);
    r->upper_b = clip01(r->c_b + z * r->sd_dxy_b / 2);
    r->lower = r->delta - z * r->se_delta;
    r->upper = r->delta + z * r->se_delta;
    r->p = p_two(r->delta, r->se_delta);
    r->dxy_p = p_two(r->dxy, r->dxy_sd);
    return 0;
}

/* ---- time-dependent AUC with its influence function ------------------------------ */

typedef struct ByTime {
    double t;
    size_t i;
} ByTime;

static int cmp_bytime(const void *x, const void *y)
{
    const ByTime *p = x, *q = y;
    return p->t < q->t ? -1 : p->t > q->t ? 1 : (p->i > q->i) - (p->i < q->i);
}

/* Number of entries of the ascending array v[0..m-1] that are <= x. */
static size_t count_le(const double *v, size_t m, double x)
{
    size_t lo = 0, hi = m;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The censoring distribution on the distinct times u_0 < ... < u_{m-1}:
 * Y_k at risk (time >= u_k), G_k = Kaplan-Meier of the censoring at u_k
 * (right-continuous), MC_k = sum_{l <= k} n dNc_l / Y_l^2 (the compensator
 * part of the influence function of the censoring cumulative hazard, as
 * riskRegression's getInfluenceFunctionKM).  pos[i] = k with u_k = time[i].
 * At a time with both deaths and censorings the deaths come first, so G's
 * risk set there is Y_k - deaths_k: prodlim's reverse Kaplan-Meier, which
 * Score and timeROC use for the weights (checked: with Y_k the lung AUC(365)
 * differs from Score's in the 5th digit).  The influence function keeps Y_k
 * in MC and in its jump term, as riskRegression does. */
typedef struct CensKm {
    size_t m;
    double *u, *Y, *G, *MC;
    size_t *pos;
} CensKm;

static void cens_free(CensKm *c)
{
    free(c->u);
    free(c->Y);
    free(c->G);
    free(c->MC);
    free(c->pos);
}

static int cens_fit(const double *time, const double *event, size_t n, CensKm *c)
{
    memset(c, 0, sizeof *c);
    ByTime *o = rad_malloc(n * sizeof *o, "censoring distribution");
    c->u = rad_malloc(n * sizeof *c->u, "censoring distribution");
    c->Y = rad_malloc(n * sizeof *c->Y, "censoring distribution");
    c->G = rad_malloc(n * sizeof *c->G, "censoring distribution");
    c->MC = rad_malloc(n * sizeof *c->MC, "censoring distribution");
    c->pos = rad_malloc(n * sizeof *c->pos, "censoring distribution");
    if (!o || !c->u || !c->Y || !c->G || !c->MC || !c->pos) {
        free(o);
        cens_free(c);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        o[i].t = time[i];
        o[i].i = i;
    }
    qsort(o, n, sizeof *o, cmp_bytime);
    double G = 1, MC = 0;
    size_t m = 0;
    for (size_t q = 0; q < n;) {
        size_t e = q;
        double cens = 0, deaths = 0;
        while (e < n && o[e].t == o[q].t) {
            cens += event[o[e].i] == 0;
            deaths += event[o[e].i] == 1;
            c->pos[o[e].i] = m;
            e++;
        }
        double Y = (double)(n - q);
        if (cens > 0)
            G *= 1 - cens / (Y - deaths);
        MC += (double)n * cens / (Y * Y);
        c->u[m] = o[q].t;
        c->Y[m] = Y;
        c->G[m] = G;
        c->MC[m] = MC;
        m++;
        q = e;
    }
    c->m = m;
    free(o);
    return 0;
}

/* AUC(t) and its influence function iid[0..n-1] (Blanche, Dartigues &
 * Jacqmin-Gadda 2013; riskRegression's getIC0AUC plus the Kaplan-Meier
 * censoring term).  AUC = nu / mu with, over cases i (event at or before t,
 * w_i = 1 / G(T_i-)) and controls j (time > t, w_j = 1 / G(t)),
 *   nu = n^-2 sum_i sum_j w_i w_j h_ij,  h_ij = 1{s_i > s_j} + 1/2 1{s_i = s_j},
 *   mu = n^-2 sum_i w_i sum_j w_j.
 * With the weights fixed, the influence of subject k is
 *   ic0_k = (A_k mu - B_k nu) / mu^2,  A_k = n^-1 w_k sum_l w_l h (over the
 *   opposite group), B_k = n^-1 w_k sum_l w_l (opposite group).
 * Estimating G by Kaplan-Meier adds, through d(1/G(s)) = (1/G(s)) dLambda_C(s)
 * and the influence of the Nelson-Aalen censoring hazard
 *   f_k(s) = 1{T_k <= s, censored} n / Y(T_k) - sum_{u <= min(s, T_k)} n dNc(u) / Y(u)^2,
 * the term (Cnu_k mu - Cmu_k nu) / mu^2 with Cnu_k = n^-2 sum_cases w_i (sum_j
 * w_j h_ij) f_k(T_i-) and Cmu_k = n^-2 sum_cases w_i (sum_j w_j) f_k(T_i-);
 * the controls' common factor f_k(t) cancels between nu and mu. */
static int td_auc_iid(const double *time, const double *event, const double *score, size_t n, double t,
                      const CensKm *c, double *auc, size_t *ncase, size_t *ncontrol, double *iid)
{
    size_t nca = 0, nco = 0;
    for (size_t i = 0; i < n; i++) {
        nca += event[i] == 1 && time[i] <= t;
        nco += time[i] > t;
    }
    *ncase = nca;
    *ncontrol = nco;
    if (nca == 0)
        return rad_error_set("time-dependent AUC at t = %g: no events at or before t (no cases); choose a later "
                             "time (the first event is later)", t);
    if (nco == 0)
        return rad_error_set("time-dependent AUC at t = %g: nobody is followed beyond t (no controls); choose an "
                             "earlier time, before the last follow-up time", t);
    size_t kt = count_le(c->u, c->m, t);
    double Gt = kt ? c->G[kt - 1] : 1, wt = 1 / Gt;
    double *w = rad_malloc(n * sizeof *w, "time-dependent AUC"), *hs = rad_malloc(n * sizeof *hs, "time-dependent AUC");
    size_t *ci = rad_malloc(nca * sizeof *ci, "time-dependent AUC");
    double *ct = rad_malloc(nca * sizeof *ct, "time-dependent AUC");
    double *pa = rad_malloc((nca + 1) * 4 * sizeof *pa, "time-dependent AUC");
    int rc = -1;
    if (!w || !hs || !ci || !ct || !pa)
        goto done;
    double mucase = 0, mucontrol = nco * wt;
    for (size_t i = 0; i < n; i++) {
        w[i] = 0;
        if (event[i] == 1 && time[i] <= t) {
            size_t k = c->pos[i];
            w[i] = 1 / (k ? c->G[k - 1] : 1);
            mucase += w[i];
        } else if (time[i] > t) {
            w[i] = wt;
        }
    }
    /* hs[i]: for a case sum over controls of w_j h_ij; for a control sum over cases of w_i h_ij. */
    for (size_t i = 0; i < n; i++)
        hs[i] = 0;
    double num = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(event[i] == 1 && time[i] <= t))
            continue;
        if (rad_interrupt_check() < 0)
            goto done;
        for (size_t j = 0; j < n; j++) {
            if (!(time[j] > t))
                continue;
            double h = score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
            hs[i] += w[j] * h;
            hs[j] += w[i] * h;
        }
        num += w[i] * hs[i];
    }
    double dn = (double)n, nu = num / (dn * dn), mu = mucase * mucontrol / (dn * dn);
    *auc = nu / mu;
    if (!iid) {
        rc = 0;
        goto done;
    }
    /* cases in time order with prefix sums of a_i = w_i hs_i, b_i = w_i mucontrol and
     * of a_i MC(T_i-), b_i MC(T_i-) */
    {
        ByTime *o = rad_malloc(nca * sizeof *o, "time-dependent AUC");
        if (!o)
            goto done;
        size_t q = 0;
        for (size_t i = 0; i < n; i++)
            if (event[i] == 1 && time[i] <= t) {
                o[q].t = time[i];
                o[q].i = i;
                q++;
            }
        qsort(o, nca, sizeof *o, cmp_bytime);
        for (q = 0; q < nca; q++) {
            ci[q] = o[q].i;
            ct[q] = o[q].t;
        }
        free(o);
    }
    double *PA = pa, *PB = pa + (nca + 1), *PAM = pa + 2 * (nca + 1), *PBM = pa + 3 * (nca + 1);
    PA[0] = PB[0] = PAM[0] = PBM[0] = 0;
    for (size_t q = 0; q < nca; q++) {
        size_t i = ci[q], k = c->pos[i];
        double ai = w[i] * hs[i], bi = w[i] * mucontrol, mcm = k ? c->MC[k - 1] : 0;
        PA[q + 1] = PA[q] + ai;
        PB[q + 1] = PB[q] + bi;
        PAM[q + 1] = PAM[q] + ai * mcm;
        PBM[q + 1] = PBM[q] + bi * mcm;
    }
    double mean = 0;
    for (size_t k = 0; k < n; k++) {
        double A = 0, B = 0;
        if (event[k] == 1 && time[k] <= t) {
            A = w[k] * hs[k] / dn;
            B = w[k] * mucontrol / dn;
        } else if (time[k] > t) {
            A = w[k] * hs[k] / dn;
            B = w[k] * mucase / dn;
        }
        /* f_k(T_i-) = jump_k - MC(T_k) for cases with T_i > T_k, -MC(T_i-) otherwise */
        size_t pk = c->pos[k], le = count_le(ct, nca, time[k]);
        double jump = event[k] == 0 ? dn / c->Y[pk] : 0, f = jump - c->MC[pk];
        double cnu = (f * (PA[nca] - PA[le]) - PAM[le]) / (dn * dn);
        double cmu = (f * (PB[nca] - PB[le]) - PBM[le]) / (dn * dn);
        iid[k] = (A * mu - B * nu) / (mu * mu) + (cnu * mu - cmu * nu) / (mu * mu);
        mean += iid[k];
    }
    mean /= dn;
    for (size_t k = 0; k < n; k++)
        iid[k] -= mean; /* the terms sum to 0 in exact arithmetic */
    rc = 0;
done:
    free(w);
    free(hs);
    free(ci);
    free(ct);
    free(pa);
    return rc;
}

/* sd(v) / sqrt(n) with the n - 1 denominator, as R's sd() in Score. */
static double iid_se(const double *v, const double *v0, size_t n)
{
    double m = 0, s = 0;
    for (size_t i = 0; i < n; i++)
        m += v[i] - (v0 ? v0[i] : 0);
    m /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = v[i] - (v0 ? v0[i] : 0) - m;
        s += d * d;
    }
    return n > 1 ? sqrt(s / (double)(n - 1)) / sqrt((double)n) : NAN;
}

static int td_check(const double *time, const double *event, const double *score, size_t n, double t)
{
    if (rad_surv_check(time, event, n, "time-dependent AUC") < 0)
        return -1;
    if (!isfinite(t) || t < 0)
        return rad_error_set("time-dependent AUC: the time point must be a finite number >= 0, got %g", t);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(score[i]))
            return rad_error_set("time-dependent AUC: the score of subject %zu is %s; scores must be finite", i + 1,
                                 isnan(score[i]) ? "missing" : "infinite");
    return 0;
}

int rad_td_auc_compare(const double *time, const double *event, const double *s1, const double *s2, size_t n,
                       double t, double conf, RadTdAucCompare *r)
{
    CensKm c;
    memset(r, 0, sizeof *r);
    r->auc1 = r->se1 = r->lower1 = r->upper1 = NAN;
    r->auc2 = r->se2 = r->lower2 = r->upper2 = NAN;
    r->delta = r->se_delta = r->lower = r->upper = r->p = NAN;
    if (check_conf(conf, "time-dependent AUC") < 0)
        return -1;
    double z = gsl_cdf_ugaussian_Pinv(0.5 + conf / 2);
    if (td_check(time, event, s1, n, t) < 0 || (s2 && td_check(time, event, s2, n, t) < 0))
        return -1;
    if (cens_fit(time, event, n, &c) < 0)
        return -1;
    double *f1 = rad_malloc(n * sizeof *f1, "time-dependent AUC");
    double *f2 = s2 ? rad_malloc(n * sizeof *f2, "time-dependent AUC") : NULL;
    int rc = -1;
    if (!f1 || (s2 && !f2))
        goto done;
    if (td_auc_iid(time, event, s1, n, t, &c, &r->auc1, &r->cases, &r->controls, f1) < 0)
        goto done;
    r->se1 = iid_se(f1, NULL, n);
    r->lower1 = clip01(r->auc1 - z * r->se1);
    r->upper1 = clip01(r->auc1 + z * r->se1);
    if (s2) {
        if (td_auc_iid(time, event, s2, n, t, &c, &r->auc2, &r->cases, &r->controls, f2) < 0)
            goto done;
        r->se2 = iid_se(f2, NULL, n);
        r->delta = r->auc2 - r->auc1;
        r->se_delta = iid_se(f2, f1, n);
        r->lower2 = clip01(r->auc2 - z * r->se2);
        r->upper2 = clip01(r->auc2 + z * r->se2);
        r->lower = r->delta - z * r->se_delta;
        r->upper = r->delta + z * r->se_delta;
        r->p = p_two(r->delta, r->se_delta);
    }
    rc = 0;
done:
    free(f1);
    free(f2);
    cens_free(&c);
    return rc;
}

/* ---- likelihood-ratio test of nested models -------------------------------------- */

int rad_lr_test(double loglik_small, double loglik_big, double df, double *chisq, double *p)
{
    *chisq = *p = NAN;
    if (!isfinite(loglik_small) || !isfinite(loglik_big))
        return rad_error_set("likelihood-ratio test: a log-likelihood is not finite (%g, %g); did both fits converge?",
                             loglik_small, loglik_big);
    if (!(df >= 1))
        return rad_error_set("likelihood-ratio test: the bigger model must have more coefficients than the smaller "
                             "one (difference %g)", df);
    double x = 2 * (loglik_big - loglik_small);
    /* At the maximum a model cannot fit worse than a model nested in it; a
     * tiny negative value is the fits' convergence tolerance. */
    if (x < -1e-6 * (1 + fabs(loglik_big)))
        return rad_error_set("likelihood-ratio test: the bigger model fits worse (log-likelihood %.10g < %.10g), so "
                             "the models are not nested or a fit did not converge", loglik_big, loglik_small);
    if (x < 0)
        x = 0;
    *chisq = x;
    *p = gsl_cdf_chisq_Q(x, df);
    return 0;
}

/* ---- net reclassification improvement at a time point ------------------------------- */

/* Category of a predicted risk among the ascending cut points: the number of
 * cut points <= x (so x < c_1 is 0, c_1 <= x < c_2 is 1, ...). */
static size_t risk_category(double x, const double *cuts, size_t ncut)
{
    size_t k = 0;
    while (k < ncut && cuts[k] <= x)
        k++;
    return k;
}

/* NRI(t) of one sample given the moves (+1 up, -1 down, 0 same) and the
 * subjects sorted by time (o[].t their times, o[].i indices into event and
 * move).  Kaplan-Meier S(t) of everyone, of those moved
 * up and of those moved down in one pass over the distinct times <= t. */
static int nri_point(const double *event, const int *move, const ByTime *o, size_t n, double t, RadNri *r)
{
    double Y[3] = {0, 0, 0}, S[3] = {1, 1, 1}; /* all, up, down */
    for (size_t i = 0; i < n; i++) {
        Y[0] += 1;
        Y[1] += move[i] > 0;
        Y[2] += move[i] < 0;
    }
    r->up = (size_t)Y[1];
    r->down = (size_t)Y[2];
    for (size_t q = 0; q < n && o[q].t <= t;) {
        size_t e = q;
        double d[3] = {0, 0, 0}, out[3] = {0, 0, 0};
        while (e < n && o[e].t == o[q].t) {
            size_t i = o[e].i;
            int g = move[i] > 0 ? 1 : move[i] < 0 ? 2 : -1;
            d[0] += event[i] == 1;
            out[0] += 1;
            if (g > 0) {
                d[g] += event[i] == 1;
                out[g] += 1;
            }
            e++;
        }
        for (int g = 0; g < 3; g++) {
            if (Y[g] > 0)
                S[g] *= 1 - d[g] / Y[g];
            Y[g] -= out[g];
        }
        q = e;
    }
    double pe = 1 - S[0], pup = (double)r->up / (double)n, pdown = (double)r->down / (double)n;
    r->p_event = pe;
    r->p_event_up = r->up ? 1 - S[1] : NAN;
    r->p_event_down = r->down ? 1 - S[2] : NAN;
    if (!(pe > 0))
        return rad_error_set("NRI at t = %g: no events at or before t (the Kaplan-Meier risk is 0); choose a later "
                             "time", t);
    if (!(pe < 1))
        return rad_error_set("NRI at t = %g: every patient has had the event by t (the Kaplan-Meier survival is 0); "
                             "choose an earlier time", t);
    /* Pencina, Steyerberg & D'Agostino 2011 (Stat Med 30:11), by Bayes' rule:
     * P(up | event) = P(event | up) P(up) / P(event), P(event | up) = 1 - S_up(t), ... */
    double ue = r->up ? (1 - S[1]) * pup / pe : 0, de = r->down ? (1 - S[2]) * pdown / pe : 0;
    double un = r->up ? S[1] * pup / (1 - pe) : 0, dn = r->down ? S[2] * pdown / (1 - pe) : 0;
    r->nri_events = ue - de;
    r->nri_nonevents = dn - un;
    r->nri = r->nri_events + r->nri_nonevents;
    return 0;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Type-7 quantile of the ascending v[0..m-1]. */
static double quantile7(const double *v, size_t m, double p)
{
    double h = (double)(m - 1) * p;
    size_t i = (size_t)floor(h);
    return i + 1 < m ? v[i] + (h - (double)i) * (v[i + 1] - v[i]) : v[m - 1];
}

int rad_nri(const double *time, const double *event, const double *a, const double *b, size_t n, double t,
            const double *cuts, size_t ncut, size_t nboot, unsigned long seed, double conf, RadNri *r)
{
    memset(r, 0, sizeof *r);
    r->se = r->lower = r->upper = NAN;
    if (check_conf(conf, "NRI") < 0 || rad_surv_check(time, event, n, "NRI") < 0)
        return -1;
    double tmax = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(a[i]) || !isfinite(b[i]))
            return rad_error_set("NRI: prediction %s of subject %zu is %s; drop such rows first",
                                 isfinite(a[i]) ? "b" : "a", i + 1,
                                 isnan(isfinite(a[i]) ? b[i] : a[i]) ? "missing" : "infinite");
        if (time[i] > tmax)
            tmax = time[i];
    }
    if (!isfinite(t) || t < 0)
        return rad_error_set("NRI: the time point must be a finite number >= 0, got %g", t);
    if (t > tmax)
        return rad_error_set("NRI at t = %g: t is beyond the last follow-up time (%g), where the Kaplan-Meier "
                             "estimate is not defined; choose a time within the follow-up", t, tmax);
    for (size_t k = 0; k < ncut; k++)
        if (!isfinite(cuts[k]) || (k > 0 && !(cuts[k] > cuts[k - 1])))
            return rad_error_set("NRI: the risk cut points must be finite and strictly increasing (cut point %zu "
                                 "is %g)", k + 1, cuts[k]);
    r->n = n;
    r->categories = ncut ? ncut + 1 : 0;
    int *move = rad_malloc(n * sizeof *move, "NRI");
    ByTime *o = rad_malloc(n * sizeof *o, "NRI");
    double *bt = nboot ? rad_malloc(n * sizeof *bt, "NRI bootstrap") : NULL;
    int *bm = nboot ? rad_malloc(n * sizeof *bm, "NRI bootstrap") : NULL;
    double *rep = nboot ? rad_malloc(nboot * sizeof *rep, "NRI bootstrap") : NULL;
    gsl_rng *rng = nboot ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
    int rc = -1;
    if (!move || !o || (nboot && (!bt || !bm || !rep || !rng))) {
        if (nboot && !rng)
            rad_error_set("NRI bootstrap: out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (ncut) {
            size_t ca = risk_category(a[i], cuts, ncut), cb = risk_category(b[i], cuts, ncut);
            move[i] = cb > ca ? 1 : cb < ca ? -1 : 0;
        } else {
            move[i] = b[i] > a[i] ? 1 : b[i] < a[i] ? -1 : 0;
        }
        o[i].t = time[i];
        o[i].i = i;
    }
    qsort(o, n, sizeof *o, cmp_bytime);
    if (nri_point(event, move, o, n, t, r) < 0)
        goto done;
    if (nboot) {
        /* percentile bootstrap over patients (seeded Mersenne twister);
         * resamples without an event by t (or with everyone failed) are skipped */
        gsl_rng_set(rng, seed);
        size_t ok = 0;
        for (size_t rb = 0; rb < nboot; rb++) {
            if (rad_interrupt_check() < 0)
                goto done;
            for (size_t i = 0; i < n; i++) {
                size_t k = (size_t)gsl_rng_uniform_int(rng, n);
                bt[i] = event[k];
                bm[i] = move[k];
                o[i].t = time[k];
                o[i].i = i;
            }
            qsort(o, n, sizeof *o, cmp_bytime);
            RadNri rr;
            memset(&rr, 0, sizeof rr);
            if (nri_point(bt, bm, o, n, t, &rr) == 0)
                rep[ok++] = rr.nri;
        }
        rad_error_clear();
        r->boot_ok = ok;
        if (ok < 2 || ok < nboot / 2) {
            rad_error_set("NRI at t = %g: only %zu of %zu bootstrap resamples had events both before and after t; "
                          "the bootstrap CI needs more events, or choose another time", t, ok, nboot);
            goto done;
        }
        double m = 0, s = 0;
        for (size_t k = 0; k < ok; k++)
            m += rep[k];
        m /= (double)ok;
        for (size_t k = 0; k < ok; k++)
            s += (rep[k] - m) * (rep[k] - m);
        r->se = sqrt(s / (double)(ok - 1));
        qsort(rep, ok, sizeof *rep, cmp_double);
        r->lower = quantile7(rep, ok, (1 - conf) / 2);
        r->upper = quantile7(rep, ok, (1 + conf) / 2);
    }
    rc = 0;
done:
    free(move);
    free(o);
    free(bt);
    free(bm);
    free(rep);
    if (rng)
        gsl_rng_free(rng);
    return rc;
}
