/* radlab: ComBat batch harmonisation.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Empirical-Bayes location/scale adjustment of features measured in several
 * batches (scanners, centres), Johnson, Li & Rabinovic (2007), Biostatistics
 * 8(1):118-127, computed in the order of sva::ComBat (sva 3.x) so that the
 * results agree with it: a least-squares fit of every feature on batch
 * indicators and the protected covariates standardises the data; per batch
 * the location gamma.hat and scale delta.hat of the standardised data get
 * empirical-Bayes shrinkage (parametric: normal / inverse-gamma priors,
 * solved by sva's it.sol iteration; non-parametric: sva's int.eprior, the
 * other features' estimates weighted by their likelihood), and the data are
 * adjusted with gamma* and delta*, then put back on the feature's scale with
 * the covariate effects added back.
 *
 * The fitted object keeps everything the adjustment needs, so that new data
 * (a test set) are adjusted unchanged: rad_combat_apply on the training
 * table reproduces the training adjustment bit for bit.
 */
#ifndef RAD_STATS_COMBAT_H
#define RAD_STATS_COMBAT_H

#include <stddef.h>

#include "table/table.h"

typedef struct RadCombatOptions {
    int parametric; /* 1: parametric priors (default); 0: non-parametric (sva par.prior = FALSE) */
    int mean_only;  /* 1: adjust the location only (delta* = 1; sva mean.only = TRUE) */
} RadCombatOptions;

typedef struct RadCombat {
    size_t p, nb;          /* features, batches */
    char **features;       /* p feature (column) names */
    char *batch;           /* the batch column's name */
    char **batches;        /* nb batch labels, sorted (numbers in numeric order, as %.15g text) */
    size_t *batch_n;       /* samples per batch at fit time */
    int batch_numeric;     /* the batch column was numeric */
    size_t ncov;           /* protected covariates (columns) */
    char **covariates;     /* ncov names */
    size_t *nlevels;       /* per covariate: 0 numeric, else its levels (sorted; the first is the reference) */
    char ***levels;
    size_t nc;             /* covariate design columns (numeric: 1, factor: nlevels - 1) */
    double *beta;          /* nc x p (row c = design column c): the covariate coefficients B.hat */
    double *grand_mean;    /* p: batch coefficients weighted by batch size */
    double *var_pooled;    /* p: residual variance of the design fit, divided by n */
    double *gamma_hat, *delta_hat;   /* nb x p: per-batch mean and variance of the standardised data */
    double *gamma_star, *delta_star; /* nb x p: the empirical-Bayes estimates used to adjust */
    double *gamma_bar, *t2;          /* nb: normal prior of gamma (mean, variance over features) */
    double *a_prior, *b_prior;       /* nb: inverse-gamma prior of delta (NaN when mean_only) */
    int *iterations;                 /* nb: it.sol iterations (0 when not iterated) */
    RadCombatOptions opt;
} RadCombat;

/* Fit ComBat on table t: the numeric feature columns features[0..p-1]
 * (p >= 2: the priors pool over features), the batch column `batch`
 * (string or numeric; at least 2 batches of at least 2 samples each) and
 * the protected covariates covariates[0..ncov-1] (numeric columns enter as
 * they are, string columns as treatment indicators with the first level in
 * sorted order as reference).  Missing cells, a feature constant within a
 * batch and a covariate confounded with batch are errors naming the row,
 * column or batch.  opt NULL: parametric, not mean-only.  NULL on error. */
RadCombat *rad_combat_fit(const RadTable *t, const char *batch, const char *const *features, size_t p,
                          const char *const *covariates, size_t ncov, const RadCombatOptions *opt);

/* A copy of t with the feature columns adjusted by the fitted c (the
 * batch, covariate and feature columns must be present and complete; a
 * batch or covariate level unseen at fit time is an error naming it).
 * NULL on error. */
RadTable *rad_combat_apply(const RadCombat *c, const RadTable *t);

void rad_combat_free(RadCombat *c);

#endif
