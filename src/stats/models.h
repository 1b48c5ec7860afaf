/* radlab: logistic regression, penalised (elastic-net) logistic regression
 * with cross-validation, and ROC analysis with DeLong's method.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inputs are a column-major design matrix x (n rows, p columns, x[j * n + i],
 * no intercept column: every model here adds its own) and an outcome y of 0/1
 * values, as produced by rad_table_design (table.h).  Every function records
 * a message (rad_error_set) and returns -1 on bad input; results never hold a
 * NaN the caller did not ask for.
 *
 *   logistic.c  maximum likelihood by IRLS, as R glm(family = binomial)
 *   glmnet.c    elastic-net path by coordinate descent, as R glmnet / cv.glmnet
 *               (Friedman, Hastie & Tibshirani 2010, J Stat Softw 33(1))
 *   roc.c       ROC curve, AUC, DeLong (1988) variance and paired test, as pROC
 */
#ifndef RAD_STATS_MODELS_H
#define RAD_STATS_MODELS_H

#include <stddef.h>
#include <stdint.h>

#include "util/vec.h"

/* ---- logistic regression (logistic.c) ------------------------------------------ */

/* Every array has p + 1 entries: [0] is the intercept, [j + 1] column j of x. */
typedef struct RadLogistic {
    size_t n, p;
    double *coef, *se, *z, *pval;       /* Wald z and two-sided p */
    double *or_, *or_lower, *or_upper;  /* exp(coef), exp(coef -/+ 1.959964 se) */
    double deviance, null_deviance, aic;
    int iterations;
} RadLogistic;

/* Fit logit P(y = 1) = b0 + x b by IRLS as R glm: start from mu = (y + 0.5) / 2,
 * stop when |dev - dev_old| / (|dev| + 0.1) < 1e-8, at most 25 iterations;
 * standard errors from the information matrix of the last iteration.
 * `names` (p column names, may be NULL) are used in error messages.
 * Errors: y not 0/1 (names the value and the 1-based row), a constant or
 * collinear column, more predictors than events (or non-events), complete or
 * quasi-complete separation (names the separating variable(s)), no
 * convergence. */
int rad_logistic_fit(const double *x, size_t n, size_t p, const double *y,
                     const char *const *names, RadLogistic *fit);
void rad_logistic_free(RadLogistic *fit);
/* Linear predictor b0 + x b of m new rows (x column-major, m x fit->p);
 * response = 1 gives probabilities.  A row with a NaN input gives NaN. */
void rad_logistic_predict(const RadLogistic *fit, const double *x, size_t m, int response, double *out);

/* ---- elastic-net core (glmnet.c) -------------------------------------------------- */

/* Weighted least squares with the elastic-net penalty by cyclic coordinate
 * descent, the inner loop of every penalised model:
 *   minimise 1/2 sum_i w_i (z_i - a0 - x_i b)^2
 *            + lambda sum_j pf_j (alpha |b_j| + (1 - alpha) / 2 b_j^2)
 * w sums to 1 (observation weights divided by their total) and is > 0 where
 * used; pf may be NULL (all 1), pf_j = INFINITY leaves column j out (its b_j
 * must be 0: screening); a0 may be NULL (no intercept).  b (and *a0)
 * hold the warm start on entry and the solution on return.  r (n) is work
 * space for the residuals.  Stops when max_j xv_j (delta b_j)^2 < thresh, with
 * xv_j = sum_i w_i x_ij^2 (glmnet's criterion).  Returns the number of passes
 * or -1 (no convergence in maxit passes: message set). */
int rad_enet_wls(const double *x, size_t n, size_t p, const double *w, const double *z,
                 double lambda, double alpha, const double *pf, double *b, double *a0,
                 double *r, double thresh, int maxit);

typedef struct RadGlmnetOptions {
    double alpha;          /* 1 = lasso (default), 0 = ridge; in [0, 1] */
    size_t nlambda;        /* default 100 */
    const double *lambda;  /* user sequence (decreasing) or NULL */
    size_t nuser;          /* its length */
    int standardize;       /* default 1 */
    double thresh;         /* default 1e-7 */
    int maxit;             /* coordinate-descent passes, default 100000 */
} RadGlmnetOptions;
void rad_glmnet_options_default(RadGlmnetOptions *o);

typedef struct RadGlmnetPath {
    size_t p, nlambda;
    double *lambda;     /* nlambda */
    double *a0;         /* intercepts, nlambda */
    double *beta;       /* p x nlambda, beta[k * p + j], original scale of x */
    size_t *df;         /* non-zero coefficients per lambda */
    double *dev_ratio;  /* 1 - deviance / null deviance */
    double null_dev;
} RadGlmnetPath;

/* The penalised logistic path.  With the default sequence lambda runs from
 * lambda_max = max_j |<x_j, y - ybar>| / (n max(alpha, 1e-3)) (standardised
 * x), where every coefficient is 0, down to lambda_max * (n > p ? 1e-4 : 1e-2),
 * log-spaced.  Like glmnet the path stops early when the deviance ratio
 * exceeds 0.999 or gains less than 1e-5 per step (so nlambda may be smaller
 * than asked). */
int rad_glmnet_logistic(const double *x, size_t n, size_t p, const double *y,
                        const RadGlmnetOptions *opt, RadGlmnetPath *path);
void rad_glmnet_path_free(RadGlmnetPath *path);
/* Linear predictor (or probability) at path index k for m rows. */
void rad_glmnet_predict(const RadGlmnetPath *path, size_t k, const double *x, size_t m,
                        int response, double *out);

typedef struct RadGlmnetCV {
    size_t nlambda;
    double *lambda, *cvm, *cvsd;   /* binomial deviance: mean and its SE over folds */
    size_t index_min, index_1se;   /* 0-based */
    double lambda_min, lambda_1se;
    RadGlmnetPath fit;             /* the path on all data */
} RadGlmnetCV;
/* k-fold cross-validation as cv.glmnet(type.measure = "deviance"): folds are a
 * seeded random permutation of 1..k repeated (splitmix64); each fold is fitted
 * on the full-data lambda sequence; cvm is the fold-size-weighted mean of the
 * per-fold mean deviance, cvsd its SE; lambda_1se is the largest lambda with
 * cvm <= min cvm + its cvsd. */
int rad_glmnet_logistic_cv(const double *x, size_t n, size_t p, const double *y,
                           const RadGlmnetOptions *opt, int nfolds, uint64_t seed, RadGlmnetCV *cv);
void rad_glmnet_cv_free(RadGlmnetCV *cv);

/* splitmix64 (Steele, Lea & Flood 2014): the small seeded generator of the fold assignment. */
uint64_t rad_splitmix64(uint64_t *state);

/* The vector kernels of the penalised models (rad_vec_dot, rad_vec_dot3,
 * rad_vec_axpy, RAD_HOT) live in util/vec.h; a qsort comparator for
 * decreasing doubles: */
int rad_cmp_desc(const void *a, const void *b);

/* ---- ROC (roc.c) -------------------------------------------------------------------- */

/* A higher score means the positive class (y = 1); unlike pROC's default the
 * direction is never flipped, so an AUC below 0.5 is reported as such. */
typedef struct RadRoc {
    size_t n_pos, n_neg;
    double auc, var, se;        /* DeLong variance, se = sqrt(var) */
    double ci_lower, ci_upper;  /* auc -/+ qnorm(0.975) se, clipped to [0, 1] */
    size_t npoints;             /* thresholds: +Inf then the unique scores, decreasing */
    double *threshold, *fpr, *tpr;
    double *v10, *v01;          /* DeLong placement values of positives / negatives */
    double *score;              /* the scores of the positives then the negatives */
    size_t *case_of;            /* original index of each of them */
} RadRoc;
/* y 0/1 and score of n cases; pairs with a NaN in either are dropped.  Needs at
 * least one case of each class; DeLong's variance needs two of each. */
int rad_roc(const double *y, const double *score, size_t n, RadRoc *roc);
void rad_roc_free(RadRoc *roc);

typedef struct RadRocAt {
    double cutoff, sensitivity, specificity, accuracy, ppv, npv, j;  /* ppv/npv NaN when undefined */
    size_t tp, fp, tn, fn;
} RadRocAt;
/* Classification with score >= cutoff as positive. */
void rad_roc_at(const RadRoc *roc, double cutoff, RadRocAt *at);
/* The cut-off maximising Youden's J = sensitivity + specificity - 1 (the
 * highest such threshold on ties). */
void rad_roc_youden(const RadRoc *roc, RadRocAt *at);

typedef struct RadRocTest {
    double diff, var, z, p;   /* auc_a - auc_b, its DeLong variance, z, two-sided p */
} RadRocTest;
/* Paired DeLong test of two ROC curves computed on the same cases (same y,
 * same kept cases): as pROC roc.test(method = "delong", paired = TRUE). */
int rad_roc_test(const RadRoc *a, const RadRoc *b, RadRocTest *t);

#endif
