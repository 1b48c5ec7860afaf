/* radlab: logistic regression by iteratively reweighted least squares.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Maximum likelihood for logit P(y = 1 | x) = b0 + x b, following R's
 * glm.fit with family = binomial (McCullagh & Nelder 1989, ch. 4.4):
 *
 *   start      mu = (y + 0.5) / 2, eta = logit(mu)
 *   iterate    w = mu (1 - mu), z = eta + (y - mu) / w,
 *              b = (X'WX)^-1 X'Wz   (Newton = Fisher scoring for the logit),
 *              eta = X b, mu = 1 / (1 + exp(-eta)), dev = -2 loglik
 *   stop       |dev - dev_old| / (|dev| + 0.1) < 1e-8, at most 25 iterations.
 *
 * The covariance is (X'WX)^-1 with the weights of the last iteration, as
 * summary.glm does (it reuses the last QR); z = b / se, p = 2 Phi(-|z|),
 * odds ratios exp(b) with Wald limits exp(b -/+ qnorm(0.975) se).
 * AIC = deviance + 2 (p + 1) for 0/1 data.
 *
 * Before fitting, the design is checked: y must be 0/1, no column constant,
 * no column a linear combination of the intercept and earlier columns
 * (modified Gram-Schmidt on the centred columns), and at least as many
 * events and non-events as predictors.  After fitting, fitted probabilities
 * within 10 * DBL_EPSILON of 0 or 1 (R's warning threshold) or a failure to
 * converge mean complete or quasi-complete separation (Albert & Anderson
 * 1984): the message names the variables that separate on their own, or
 * else those whose standardised coefficients run away.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#include "util/error.h"
#include "stats/models.h"

#define LOGIT_EPS 1e-8
#define LOGIT_MAXIT 25
#define MU_EPS (10 * DBL_EPSILON)

static const char *col_name(const char *const *names, size_t j, char *buf, size_t len)
{
    if (names && names[j])
        return names[j];
    snprintf(buf, len, "x%zu", j + 1);
    return buf;
}

/* Inverse logit clamped as R's binomial()$linkinv. */
static double inv_logit(double eta)
{
    if (eta < -30)
        return DBL_EPSILON;
    if (eta > 30)
        return 1 - DBL_EPSILON;
    return 1 / (1 + exp(-eta));
}

static double deviance(const double *y, const double *mu, size_t n)
{
    double d = 0;
    for (size_t i = 0; i < n; i++)
        d -= 2 * (y[i] > 0.5 ? log(mu[i]) : log1p(-mu[i]));
    return d;
}

void rad_logistic_free(RadLogistic *fit)
{
    if (!fit)
        return;
    free(fit->coef);
    memset(fit, 0, sizeof *fit);
}

/* Checks on y and the columns of x before any fitting. */
static int check_design(const double *x, size_t n, size_t p, const double *y, const char *const *names)
{
    char buf[32];
    size_t n1 = 0;
    int rc = 0;
    double *q = NULL;

    for (size_t i = 0; i < n; i++) {
        if (y[i] != 0 && y[i] != 1) {
            if (isnan(y[i]))
                return rad_error_set("logistic: the outcome is missing in row %zu; drop incomplete rows first", i + 1);
            return rad_error_set("logistic: the outcome must be 0 or 1, but row %zu has %g; recode it to 0/1", i + 1, y[i]);
        }
        n1 += y[i] == 1;
    }
    if (n1 == 0 || n1 == n)
        return rad_error_set("logistic: the outcome is %g in all %zu rows; it needs both 0s and 1s", y[0], n);
    if (p > 0 && (p > n1 || p > n - n1))
        return rad_error_set("logistic: %zu predictors but only %zu events (y = 1) and %zu non-events (y = 0); "
                             "use fewer predictors or a penalised model (rad.glmnet_logistic)",
                             p, n1, n - n1);
    if (p + 1 > n)
        return rad_error_set("logistic: %zu coefficients but only %zu rows", p + 1, n);

    for (size_t j = 0; j < p; j++) {
        for (size_t i = 0; i < n; i++)
            if (!isfinite(x[j * n + i]))
                return rad_error_set("logistic: predictor '%s' is missing or not finite in row %zu",
                                     col_name(names, j, buf, sizeof buf), i + 1);
        int constant = 1;
        for (size_t i = 1; i < n && constant; i++)
            constant = x[j * n + i] == x[j * n];
        if (constant)
            return rad_error_set("logistic: predictor '%s' is constant (%g in every row); remove it",
                                 col_name(names, j, buf, sizeof buf), x[j * n]);
    }

    /* Collinearity: modified Gram-Schmidt on centred columns (the centring
     * takes out the intercept). */
    q = rad_malloc(n * (p ? p : 1) * sizeof *q, "logistic collinearity check");
    if (!q)
        return -1;
    for (size_t j = 0; j < p && rc == 0; j++) {
        double *v = q + j * n, mean = 0, norm0 = 0, norm = 0;
        for (size_t i = 0; i < n; i++)
            mean += x[j * n + i];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++) {
            v[i] = x[j * n + i] - mean;
            norm0 += v[i] * v[i];
        }
        for (size_t k = 0; k < j; k++) {
            double *u = q + k * n, d = 0;
            for (size_t i = 0; i < n; i++)
                d += u[i] * v[i];
            for (size_t i = 0; i < n; i++)
                v[i] -= d * u[i];
        }
        for (size_t i = 0; i < n; i++)
            norm += v[i] * v[i];
        if (norm <= 1e-14 * norm0) {
            char list[512] = "the intercept";
            size_t len = strlen(list);
            for (size_t k = 0; k < j && len < sizeof list - 64; k++)
                len += (size_t)snprintf(list + len, sizeof list - len, ", '%s'", col_name(names, k, buf, sizeof buf));
            rc = rad_error_set("logistic: predictor '%s' is collinear with (a linear combination of) %s; remove it",
                               col_name(names, j, buf, sizeof buf), list);
            break;
        }
        norm = sqrt(norm);
        for (size_t i = 0; i < n; i++)
            v[i] /= norm;
    }
    free(q);
    return rc;
}

/* Name the separating variables: first those that separate y on their own;
 * otherwise the ones with the largest standardised coefficients. */
static int separation_error(const double *x, size_t n, size_t p, const double *y,
                            const char *const *names, const double *b, const char *why)
{
    char list[1024] = "", buf[32];
    size_t len = 0, found = 0;
    for (size_t j = 0; j < p; j++) {
        double max0 = -INFINITY, min0 = INFINITY, max1 = -INFINITY, min1 = INFINITY;
        for (size_t i = 0; i < n; i++) {
            double v = x[j * n + i];
            if (y[i] > 0.5) {
                max1 = fmax(max1, v);
                min1 = fmin(min1, v);
            } else {
                max0 = fmax(max0, v);
                min0 = fmin(min0, v);
            }
        }
        if ((max0 <= min1 || max1 <= min0) && len < sizeof list - 64) {
            len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'", found ? ", " : "",
                                    col_name(names, j, buf, sizeof buf));
            found++;
        }
    }
    if (!found) {
        double big = 0, *s = rad_calloc(p ? p : 1, sizeof *s, "logistic separation");
        if (!s)
            return -1;
        for (size_t j = 0; j < p; j++) {
            double m = 0, v = 0;
            for (size_t i = 0; i < n; i++)
                m += x[j * n + i];
            m /= (double)n;
            for (size_t i = 0; i < n; i++)
                v += (x[j * n + i] - m) * (x[j * n + i] - m);
            s[j] = fabs(b[j + 1]) * sqrt(v / (double)n);
            big = fmax(big, s[j]);
        }
        for (size_t j = 0; j < p; j++)
            if (s[j] >= 0.5 * big && len < sizeof list - 64) {
                len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'", found ? ", " : "",
                                        col_name(names, j, buf, sizeof buf));
                found++;
            }
        free(s);
    }
    return rad_error_set("logistic: %s: the outcome is (quasi-)completely separated by %s%s; "
                         "the maximum-likelihood estimates do not exist (remove or merge the variable, "
                         "or use a penalised model such as rad.glmnet_logistic)",
                         why, found == 1 ? "" : "a combination of ", found ? list : "the predictors");
}

int rad_logistic_fit(const double *x, size_t n, size_t p, const double *y,
                     const char *const *names, RadLogistic *fit)
{
    size_t q = p + 1;
    double *mu = NULL, *eta = NULL, *b = NULL, *xtz = NULL, *mem = NULL;
    gsl_matrix *A = NULL;
    double dev, devold, ybar = 0;
    int conv = 0, iter = 0, rc = -1;

    memset(fit, 0, sizeof *fit);
    if (!x && p > 0)
        return rad_error_set("logistic: no design matrix");
    if (n == 0)
        return rad_error_set("logistic: no rows to fit");
    if (check_design(x, n, p, y, names) < 0)
        return -1;

    mem = rad_calloc(2 * n + 2 * q, sizeof *mem, "logistic work space");
    A = gsl_matrix_alloc(q, q);
    if (!mem || !A) {
        if (!A)
            rad_error_set("logistic: out of memory");
        goto done;
    }
    mu = mem;
    eta = mu + n;
    b = eta + n;
    xtz = b + q;

    for (size_t i = 0; i < n; i++) {
        mu[i] = (y[i] + 0.5) / 2;
        eta[i] = log(mu[i] / (1 - mu[i]));
        ybar += y[i];
    }
    ybar /= (double)n;
    devold = deviance(y, mu, n);
    dev = devold;

    for (iter = 1; iter <= LOGIT_MAXIT; iter++) {
        /* X'WX and X'Wz, column 0 being the intercept. */
        gsl_matrix_set_zero(A);
        memset(xtz, 0, q * sizeof *xtz);
        for (size_t i = 0; i < n; i++) {
            double w = fmax(mu[i] * (1 - mu[i]), DBL_EPSILON);
            double z = eta[i] + (y[i] - mu[i]) / w;
            for (size_t j = 0; j < q; j++) {
                double xj = j ? x[(j - 1) * n + i] : 1;
                xtz[j] += w * xj * z;
                for (size_t k = 0; k <= j; k++) {
                    double xk = k ? x[(k - 1) * n + i] : 1;
                    *gsl_matrix_ptr(A, j, k) += w * xj * xk;
                }
            }
        }
        gsl_error_handler_t *old = gsl_set_error_handler_off();
        int st = gsl_linalg_cholesky_decomp1(A);
        gsl_set_error_handler(old);
        if (st) {
            rc = rad_error_set("logistic: the information matrix is singular at iteration %d: the predictors are "
                               "nearly collinear or the outcome is separated; remove redundant predictors or use "
                               "a penalised model (rad.glmnet_logistic)", iter);
            goto done;
        }
        {
            gsl_vector_view bv = gsl_vector_view_array(b, q);
            gsl_vector_const_view zv = gsl_vector_const_view_array(xtz, q);
            gsl_linalg_cholesky_solve(A, &zv.vector, &bv.vector);
        }
        for (size_t i = 0; i < n; i++) {
            double e = b[0];
            for (size_t j = 0; j < p; j++)
                e += x[j * n + i] * b[j + 1];
            eta[i] = e;
            mu[i] = inv_logit(e);
        }
        dev = deviance(y, mu, n);
        if (fabs(dev - devold) / (fabs(dev) + 0.1) < LOGIT_EPS) {
            conv = 1;
            break;
        }
        devold = dev;
    }
    if (!conv) {
        rc = separation_error(x, n, p, y, names, b, "no convergence in 25 iterations");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (mu[i] <= MU_EPS || mu[i] >= 1 - MU_EPS) {
            rc = separation_error(x, n, p, y, names, b, "fitted probabilities of 0 or 1");
            goto done;
        }
    for (size_t j = 0; j < q; j++)
        if (!isfinite(b[j])) {
            rc = separation_error(x, n, p, y, names, b, "coefficients diverged");
            goto done;
        }

    /* (X'WX)^-1 from the factor of the last iteration (as summary.glm). */
    gsl_linalg_cholesky_invert(A);

    fit->coef = rad_malloc(7 * q * sizeof(double), "logistic results");
    if (!fit->coef)
        goto done;
    fit->se = fit->coef + q;
    fit->z = fit->se + q;
    fit->pval = fit->z + q;
    fit->or_ = fit->pval + q;
    fit->or_lower = fit->or_ + q;
    fit->or_upper = fit->or_lower + q;
    {
        double zc = gsl_cdf_ugaussian_Pinv(0.975);
        for (size_t j = 0; j < q; j++) {
            double v = gsl_matrix_get(A, j, j);
            fit->coef[j] = b[j];
            fit->se[j] = sqrt(v > 0 ? v : 0);
            fit->z[j] = b[j] / fit->se[j];
            fit->pval[j] = 2 * gsl_cdf_ugaussian_P(-fabs(fit->z[j]));
            fit->or_[j] = exp(b[j]);
            fit->or_lower[j] = exp(b[j] - zc * fit->se[j]);
            fit->or_upper[j] = exp(b[j] + zc * fit->se[j]);
        }
    }
    fit->n = n;
    fit->p = p;
    fit->deviance = dev;
    fit->null_deviance = -2 * (double)n * (ybar * log(ybar) + (1 - ybar) * log1p(-ybar));
    fit->aic = dev + 2 * (double)q;
    fit->iterations = iter;
    rc = 0;
done:
    free(mem);
    if (A)
        gsl_matrix_free(A);
    if (rc < 0)
        rad_logistic_free(fit);
    return rc;
}

void rad_logistic_predict(const RadLogistic *fit, const double *x, size_t m, int response, double *out)
{
    for (size_t i = 0; i < m; i++) {
        double e = fit->coef[0];
        for (size_t j = 0; j < fit->p; j++)
            e += x[j * m + i] * fit->coef[j + 1];
        out[i] = response ? 1 / (1 + exp(-e)) : e;
    }
}
