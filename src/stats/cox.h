/* radlab: the Cox proportional-hazards model.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Maximum partial likelihood (Cox 1972) with Efron's (1977) or Breslow's
 * (1974) handling of tied event times, optional strata (a separate risk set
 * per stratum) and case weights, fitted by Newton-Raphson from beta = 0 with
 * step halving, as R's survival::coxph (Therneau & Grambsch 2000, ch. 3).
 * The results carry the Wald, score and likelihood-ratio tests, Harrell's
 * concordance of the linear predictor (as survival::concordance reports it
 * for a coxph fit) and the Breslow baseline cumulative hazard (Efron-adjusted
 * for ties = Efron, as survfit.coxph) for predicted survival, and the
 * proportional-hazards test of cox.zph (Grambsch & Therneau 1994, rad_cox_zph).
 *
 * Data are plain arrays: n rows, p covariates in column-major x (x[j * n + i]),
 * as produced by rad_table_design (table.h).  Errors: rad_error_set, -1.
 */
#ifndef RAD_STATS_COX_H
#define RAD_STATS_COX_H

#include <stddef.h>

typedef enum RadCoxTies { RAD_COX_EFRON = 0, RAD_COX_BRESLOW } RadCoxTies;

typedef struct RadCoxOptions {
    RadCoxTies ties;   /* default Efron */
    int max_iter;      /* default 20 */
    double eps;        /* relative change of the log-likelihood; default 1e-9 */
    int robust;        /* 1: robust (sandwich) variance, 0: model-based, -1 (default): robust
                        * when a case weight is not an integer, as survival::coxph */
} RadCoxOptions;
void rad_cox_options_default(RadCoxOptions *o);

typedef struct RadCoxFit {
    size_t n, p, nevent, nstrata;
    double *coef, *se, *z, *pval, *hr, *hr_lower, *hr_upper;   /* p each */
    double *var;        /* p x p variance of coef: the inverse information, or the robust
                         * (sandwich) variance when `robust`; se, z, p, CIs and the Wald
                         * test use it */
    int robust;         /* var is the robust variance (Lin & Wei 1989) */
    double *naive_var;  /* p x p inverse information when robust, else NULL */
    double *means;      /* weighted column means (the centre of the linear predictor) */
    double loglik0, loglik;
    double wald, wald_p, score, score_p, lr, lr_p;   /* each with p degrees of freedom */
    double concordance;
    int iterations;
    char warning[512];  /* "" or e.g. a monotone-likelihood warning naming the variable */
    /* Baseline cumulative hazard at the centre `means`: nbase steps in order of
     * stratum, then time ascending. */
    size_t nbase;
    int *base_stratum;
    double *base_time, *base_cumhaz;
    /* Filled by rad_cox_zph (NULL until then).
     * Proportional-hazards test as survival 3.x cox.zph(transform = "km"): score
     * tests of x * g(t), g = 1 - KM(t-), at the estimate; p + 1 entries: one per
     * covariate (1 df), then the global test (p df). */
    double *zph_chisq, *zph_p;
    /* What cox.zph returns for plotting (Grambsch & Therneau 1994; R survival
     * 3.x cox.zph $time, $x, $y), one row per event (a death; tied deaths give
     * one row each), ordered by ascending event time:
     *   zph_time[e]  the event time;
     *   zph_x[e]     the transformed time g(t) = 1 - KM(t-) (pooled
     *                Kaplan-Meier, left-continuous: transform "km");
     *   zph_resid    zph_n x p column-major raw Schoenfeld residuals
     *                x_e - xbar(t_e) (for Efron ties xbar is the mean of the
     *                d Efron-step risk-set means, as residuals.coxph);
     *   zph_y        zph_n x p column-major scaled residuals
     *                y_e = coef + zph_n * var r_e  (cox.zph's $y: "scaled
     *                Schoenfeld residuals"; beta(t) is estimated by a smooth
     *                of y on x).
     * At the estimate the residuals sum to the score, 0 (unit weights), so the
     * column means of y are coef.  For one covariate, with c_e = x_e - mean(x)
     * and I_e the information of the e-th event set, the cox.zph statistic is
     * (sum c_e r_e)^2 / (sum c_e^2 I_e - (sum c_e I_e)^2 / I); with
     * I_e ~ I / zph_n (the approximation of Grambsch & Therneau) it becomes
     * (sum c_e (y_e - coef))^2 / (zph_n var sum c_e^2). */
    size_t zph_n;
    double *zph_time, *zph_x, *zph_resid, *zph_y;
    RadCoxTies ties;
} RadCoxFit;

/* time: n survival times (finite, >= 0); status: n values 0/1 (1 = event);
 * w: n positive case weights or NULL; strata: n stratum codes 0..k-1 or NULL;
 * names: p covariate names (for messages); opt NULL = defaults.
 * Constant or collinear covariates, zero events, bad times or statuses are
 * errors naming the covariate or row (1-based). */
int rad_cox_fit(const double *time, const double *status, const double *x, size_t n, size_t p,
                const double *w, const int *strata, const char *const *names, const RadCoxOptions *opt,
                RadCoxFit *fit);
void rad_cox_free(RadCoxFit *fit);

/* The proportional-hazards test of a fit (the zph_ fields), on the same data
 * as rad_cox_fit was given: computed on request, not with every fit (it costs
 * about as much as the fit).  A second call does nothing. */
int rad_cox_zph(const double *time, const double *status, const double *x, size_t n, size_t p, const double *w,
                const int *strata, RadCoxFit *fit);

/* Baseline cumulative hazard of stratum s at time t (0 before the first event). */
double rad_cox_cumhaz(const RadCoxFit *fit, int s, double t);

/* Harrell's C of `score` (higher = higher risk): comparable pairs are an
 * event and a later time (or a censoring at the same time) in the same
 * stratum; tied event times are not comparable; score ties count 1/2; pairs
 * weighted w_i * w_j.  O(n log n).  Returns NaN with a message when there is no
 * comparable pair. */
double rad_cox_concordance(const double *time, const double *status, const double *score, size_t n,
                           const double *w, const int *strata);

#endif
