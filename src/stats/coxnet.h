/* radlab: penalised (lasso / elastic-net) Cox regression.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The path and its cross-validation.
 * The elastic-net Cox path as R glmnet(family = "cox") (Simon, Friedman,
 * Hastie & Tibshirani 2011, "Regularization paths for Cox's proportional
 * hazards model via coordinate descent", J Stat Softw 39(5)), with Breslow's
 * handling of tied event times, and its k-fold cross-validation as
 * cv.glmnet(family = "cox", type.measure = "deviance", grouped = TRUE).
 *
 * Inputs: a column-major design x (n rows, p columns, x[j * n + i], no
 * intercept), follow-up times and 0/1 event indicators, as produced by
 * rad_table_design (table.h).  Every function records a message
 * (rad_error_set) and returns -1 on bad input.
 */
#ifndef RAD_STATS_COXNET_H
#define RAD_STATS_COXNET_H

#include <stddef.h>
#include <stdint.h>

typedef struct RadCoxnetOptions {
    double alpha;          /* 1 = lasso (default), 0 = ridge; in [0, 1] */
    size_t nlambda;        /* default 100 */
    const double *lambda;  /* user sequence (sorted decreasing; no early stop) or NULL */
    size_t nuser;          /* its length */
    int standardize;       /* scale x by its population SD (default 1) */
    double thresh;         /* default 1e-7, relative to the null deviance as glmnet */
    int maxit;             /* coordinate-descent passes per lambda, default 100000 */
    int threads;           /* CV: folds run on this many threads; 0 (default) = every processor.
                              The results do not depend on it. */
} RadCoxnetOptions;
void rad_coxnet_options_default(RadCoxnetOptions *o);

typedef struct RadCoxnetPath {
    size_t p, nlambda;
    double *lambda;     /* nlambda */
    double *beta;       /* p x nlambda, beta[k * p + j], on the scale of x */
    size_t *df;         /* non-zero coefficients per lambda */
    double *dev_ratio;  /* 1 - deviance / null deviance */
    double null_dev;    /* 2 (loglik_saturated - loglik(0)) */
    size_t passes;      /* coordinate-descent passes over the whole path (glmnet's npasses) */
    size_t stopped_at;  /* 0, or the 1-based lambda index whose fit did not converge
                           (the path ends before it, as glmnet's) */
} RadCoxnetPath;

/* The penalised Cox path: minimise -loglik(b) / n + lambda (alpha |b|_1 +
 * (1 - alpha) / 2 |b|_2^2), loglik the Breslow partial log-likelihood.  The
 * default sequence runs log-spaced from lambda_max (every coefficient 0) down
 * to lambda_max * (n > p ? 1e-4 : 1e-2) and stops early as glmnet's coxnet
 * (after at least 5 values, when the deviance ratio exceeds 0.99 or grew by
 * less than 0.1 % over the last 4 steps).  When the fit at a lambda after the
 * first does not converge in maxit coordinate passes the
 * path ends before it and stopped_at says so, as glmnet.  Errors: event not 0/1, a missing
 * or non-finite time or x value (named by row and column), fewer than 2
 * events, bad options. */
int rad_coxnet(const double *x, size_t n, size_t p, const double *time, const double *event,
               const RadCoxnetOptions *opt, RadCoxnetPath *path);
void rad_coxnet_free(RadCoxnetPath *path);
/* Linear predictor x b at path index k (0-based) for m rows (column-major
 * m x path->p); a row with a NaN input gives NaN. */
void rad_coxnet_predict(const RadCoxnetPath *path, size_t k, const double *x, size_t m, double *out);
/* Cox partial-likelihood deviance 2 (loglik_sat - loglik(eta)) with Breslow
 * ties, loglik_sat = -sum_k d_k log d_k over event times (as glmnet's
 * coxnet.deviance).  Rows must be complete (no check). */
double rad_coxnet_deviance(const double *time, const double *event, const double *eta, size_t n);

typedef struct RadCoxnetCV {
    size_t nlambda;
    double *lambda, *cvm, *cvsd;   /* per-event deviance: mean and its SE over folds */
    size_t index_min, index_1se;   /* 0-based */
    double lambda_min, lambda_1se;
    RadCoxnetPath fit;             /* the path on all data */
} RadCoxnetCV;
/* k-fold CV as cv.glmnet for cox (grouped): folds are a seeded random
 * permutation of 1..k repeated (rad_splitmix64); each fold's training fit uses
 * the full-data lambda sequence; the fold's value is (deviance on all rows -
 * deviance on the training rows, both with the training fit) / events in the
 * fold; cvm is their event-weighted mean, cvsd = sqrt(weighted variance /
 * (k - 1)); lambda_1se is the largest lambda with cvm <= min cvm + its cvsd.
 * The folds run on opt->threads threads (0 = every processor); the results
 * do not depend on the number.  A fold path that stopped early (no convergence) is missing at the smaller
 * lambdas, as cv.glmnet's NA; the curve ends where fewer than 2 folds remain
 * (then cv->nlambda < cv->fit.nlambda). */
int rad_coxnet_cv(const double *x, size_t n, size_t p, const double *time, const double *event,
                  const RadCoxnetOptions *opt, int nfolds, uint64_t seed, RadCoxnetCV *cv);
void rad_coxnet_cv_free(RadCoxnetCV *cv);

#endif
