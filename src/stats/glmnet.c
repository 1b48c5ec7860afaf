/* radlab: penalised (lasso / elastic-net) logistic regression by coordinate
 * descent, with k-fold cross-validation.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Following the conventions of R's glmnet (Friedman, Hastie & Tibshirani 2010,
 * "Regularization paths for generalized linear models via coordinate
 * descent", J Stat Softw 33(1)):
 *
 *   minimise  -loglik(a0, b) / n + lambda (alpha |b|_1 + (1 - alpha) / 2 |b|_2^2)
 *
 * with an unpenalised intercept.  x is centred and (standardize) scaled by
 * its population SD (divisor n); the coefficients are returned on the scale
 * of x.  A constant column keeps a zero coefficient.  The default lambda
 * sequence has nlambda values log-spaced from lambda_max (section 2.5 of the
 * paper: the smallest lambda with every coefficient 0,
 * max_j |<x_j, y - ybar>| / (n alpha), alpha floored at 1e-3 as glmnet does)
 * down to lambda_max * (n > p ? 1e-4 : 1e-2).
 *
 * For each lambda (warm start from the previous one) an outer loop forms the
 * quadratic approximation of the log-likelihood at the current fit (section
 * 3: weights w_i = mu_i (1 - mu_i) / n, working response
 * z_i = eta_i + (y_i - mu_i) / (mu_i (1 - mu_i)), mu clamped to [1e-5, 1 - 1e-5]
 * as glmnet's pmin) and solves the penalised weighted least squares problem
 * with rad_enet_wls: cyclic coordinate descent with the soft-threshold update
 *   b_j <- S(sum_i w_i x_ij r_i + xv_j b_j, lambda alpha) / (xv_j + lambda (1 - alpha)),
 * full passes alternating with passes over the active set until a full pass
 * changes nothing (section 2.6).  Columns are screened with the sequential
 * strong rule (Tibshirani et al. 2012) and the KKT conditions checked after.  Both loops stop when the largest
 * max_j xv_j (delta b_j)^2 falls below thresh (default 1e-7, glmnet's thresh).
 * As glmnet, a default path stops early (after at least 5 values) when the
 * deviance ratio exceeds 0.999 or its relative gain falls below 1e-5.
 *
 * Cross-validation follows cv.glmnet (type.measure = "deviance", grouped):
 * per-fold mean binomial deviance (probabilities clamped to [1e-5, 1 - 1e-5]),
 * cvm = fold-size-weighted mean, cvsd = sqrt(weighted variance / (k - 1));
 * lambda_min minimises cvm, lambda_1se is the largest lambda whose cvm is
 * within one cvsd of that minimum.  Folds are a random permutation of
 * (1..k, 1..k, ...) drawn with splitmix64 from the seed.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "stats/models.h"

#define PMIN 1e-5
#define OUTER_MAXIT 100

uint64_t rad_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rad_glmnet_options_default(RadGlmnetOptions *o)
{
    memset(o, 0, sizeof *o);
    o->alpha = 1;
    o->nlambda = 100;
    o->standardize = 1;
    o->thresh = 1e-7;
    o->maxit = 100000;
}

/* ---- the elastic-net weighted least-squares core -------------------------------- */

/* One coordinate update of b_j; returns xv_j * change^2. */
static double cd_update(const double *xj, size_t n, const double *w, double xv, double l1, double l2,
                        double *bj, double *r)
{
    double g, u, nb, d;
    if (xv <= 0)
        return 0;
    g = rad_vec_dot3(w, xj, r, n);
    u = g + xv * *bj;
    if (u > l1)
        nb = (u - l1) / (xv + l2);
    else if (u < -l1)
        nb = (u + l1) / (xv + l2);
    else
        nb = 0;
    d = nb - *bj;
    if (d == 0)
        return 0;
    *bj = nb;
    rad_vec_axpy(r, xj, -d, n);
    return xv * d * d;
}

static double intercept_update(size_t n, const double *w, double sw, double *a0, double *r)
{
    double d = 0;
    for (size_t i = 0; i < n; i++)
        d += w[i] * r[i];
    d /= sw;
    if (d == 0)
        return 0;
    *a0 += d;
    for (size_t i = 0; i < n; i++)
        r[i] -= d;
    return sw * d * d;
}

int rad_enet_wls(const double *x, size_t n, size_t p, const double *w, const double *z,
                 double lambda, double alpha, const double *pf, double *b, double *a0,
                 double *r, double thresh, int maxit)
{
    double sw = 0, *xv;
    int passes = 0;

    xv = rad_malloc((p ? p : 1) * sizeof *xv, "coordinate descent");
    if (!xv)
        return -1;
    for (size_t i = 0; i < n; i++) {
        sw += w[i];
        r[i] = z[i] - (a0 ? *a0 : 0);
    }
    for (size_t j = 0; j < p; j++) {
        const double *xj = x + j * n;
        double s = 0;
        if (pf && isinf(pf[j])) {
            xv[j] = 0;
            continue;
        }
        s = rad_vec_dot3(w, xj, xj, n);
        xv[j] = s;
        if (b[j] != 0)
            rad_vec_axpy(r, xj, -b[j], n);
    }
    for (;;) {
        /* A full pass over every coordinate. */
        double dlx = a0 ? intercept_update(n, w, sw, a0, r) : 0;
        for (size_t j = 0; j < p; j++) {
            double f = pf ? pf[j] : 1;
            if (isinf(f))
                continue;
            double c = cd_update(x + j * n, n, w, xv[j], lambda * alpha * f, lambda * (1 - alpha) * f, b + j, r);
            if (c > dlx)
                dlx = c;
        }
        if (++passes > maxit)
            break;
        if (dlx < thresh) {
            free(xv);
            return passes;
        }
        /* Passes over the active set until it settles. */
        for (;;) {
            dlx = a0 ? intercept_update(n, w, sw, a0, r) : 0;
            for (size_t j = 0; j < p; j++) {
                if (b[j] == 0)
                    continue;
                double f = pf ? pf[j] : 1;
                double c = cd_update(x + j * n, n, w, xv[j], lambda * alpha * f, lambda * (1 - alpha) * f, b + j, r);
                if (c > dlx)
                    dlx = c;
            }
            if (++passes > maxit || dlx < thresh)
                break;
        }
        if (passes > maxit)
            break;
    }
    free(xv);
    return rad_error_set("coordinate descent: no convergence in %d passes at lambda = %g; "
                         "raise maxit or use a larger lambda", maxit, lambda);
}

/* ---- the logistic path ---------------------------------------------------------- */

void rad_glmnet_path_free(RadGlmnetPath *path)
{
    if (!path)
        return;
    free(path->lambda);
    free(path->a0);
    free(path->beta);
    free(path->df);
    free(path->dev_ratio);
    memset(path, 0, sizeof *path);
}

static double binom_dev(const double *y, const double *eta, size_t n)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double mu = 1 / (1 + exp(-eta[i]));
        mu = fmin(fmax(mu, PMIN), 1 - PMIN);
        d -= 2 * (y[i] > 0.5 ? log(mu) : log1p(-mu));
    }
    return d;
}

/* grad_j = 1/n sum_i x_ij (y_i - mu_i): the score of the log-likelihood / n. */
static void gradient(const double *xs, size_t n, size_t p, const double *y, const double *eta, double *grad,
                     double *res)
{
    for (size_t i = 0; i < n; i++)
        res[i] = y[i] - 1 / (1 + exp(-eta[i]));
    for (size_t j = 0; j < p; j++) {
        const double *xj = xs + j * n;
        double g = 0;
        for (size_t i = 0; i < n; i++)
            g += xj[i] * res[i];
        grad[j] = g / (double)n;
    }
}

static int check_input(const double *x, size_t n, size_t p, const double *y, const RadGlmnetOptions *o)
{
    size_t n1 = 0;
    if (n < 2)
        return rad_error_set("glmnet_logistic: need at least 2 rows, got %zu", n);
    if (p == 0)
        return rad_error_set("glmnet_logistic: need at least one predictor (x)");
    if (!(o->alpha >= 0 && o->alpha <= 1))
        return rad_error_set("glmnet_logistic: alpha must be in [0, 1], got %g", o->alpha);
    if (!o->lambda && o->nlambda < 1)
        return rad_error_set("glmnet_logistic: nlambda must be at least 1");
    if (!(o->thresh > 0))
        return rad_error_set("glmnet_logistic: thresh must be positive, got %g", o->thresh);
    if (o->lambda) {
        if (o->nuser == 0)
            return rad_error_set("glmnet_logistic: the lambda sequence is empty");
        for (size_t k = 0; k < o->nuser; k++)
            if (!(o->lambda[k] >= 0) || !isfinite(o->lambda[k]))
                return rad_error_set("glmnet_logistic: lambda[%zu] = %g; lambdas must be finite and >= 0",
                                     k + 1, o->lambda[k]);
    }
    for (size_t i = 0; i < n; i++) {
        if (y[i] != 0 && y[i] != 1) {
            if (isnan(y[i]))
                return rad_error_set("glmnet_logistic: the outcome is missing in row %zu; drop incomplete rows first", i + 1);
            return rad_error_set("glmnet_logistic: the outcome must be 0 or 1, but row %zu has %g", i + 1, y[i]);
        }
        n1 += y[i] == 1;
    }
    if (n1 < 1 || n1 == n)
        return rad_error_set("glmnet_logistic: the outcome is %g in all %zu rows; it needs both 0s and 1s", y[0], n);
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < n; i++)
            if (!isfinite(x[j * n + i]))
                return rad_error_set("glmnet_logistic: column %zu of x is missing or not finite in row %zu", j + 1, i + 1);
    return 0;
}

int rad_cmp_desc(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u < v) - (u > v);
}

int rad_glmnet_logistic(const double *x, size_t n, size_t p, const double *y,
                        const RadGlmnetOptions *opt, RadGlmnetPath *path)
{
    RadGlmnetOptions o;
    double *xs = NULL, *mean = NULL, *sd = NULL, *b = NULL, *bold = NULL, *eta = NULL, *w = NULL, *z = NULL,
           *r = NULL, *xvw = NULL, *pfv = NULL, *grad = NULL;
    double ybar = 0, a0, nulldev, alpha_lm;
    size_t nlam, k;
    int rc = -1;

    memset(path, 0, sizeof *path);
    if (opt)
        o = *opt;
    else
        rad_glmnet_options_default(&o);
    if (o.maxit <= 0)
        o.maxit = 100000;
    if (check_input(x, n, p, y, &o) < 0)
        return -1;
    nlam = o.lambda ? o.nuser : o.nlambda;

    xs = rad_malloc(n * p * sizeof *xs, "glmnet standardised x");
    mean = rad_calloc(7 * p + 4 * n, sizeof *mean, "glmnet work space");
    pfv = rad_calloc(2 * p, sizeof *pfv, "glmnet work space");
    path->lambda = rad_calloc(nlam, sizeof(double), "glmnet path");
    path->a0 = rad_calloc(nlam, sizeof(double), "glmnet path");
    path->beta = rad_calloc(nlam * p, sizeof(double), "glmnet path");
    path->df = rad_calloc(nlam, sizeof(size_t), "glmnet path");
    path->dev_ratio = rad_calloc(nlam, sizeof(double), "glmnet path");
    if (!xs || !mean || !pfv || !path->lambda || !path->a0 || !path->beta || !path->df || !path->dev_ratio)
        goto done;
    sd = mean + p;
    b = sd + p;
    bold = b + p;
    xvw = bold + p;
    eta = xvw + p;
    w = eta + n;
    z = w + n;
    r = z + n;
    grad = pfv + p;

    for (size_t i = 0; i < n; i++)
        ybar += y[i];
    ybar /= (double)n;
    for (size_t j = 0; j < p; j++) {
        const double *xj = x + j * n;
        double m = 0, v = 0;
        for (size_t i = 0; i < n; i++)
            m += xj[i];
        m /= (double)n;
        for (size_t i = 0; i < n; i++)
            v += (xj[i] - m) * (xj[i] - m);
        v = sqrt(v / (double)n);
        mean[j] = m;
        sd[j] = v > 0 ? (o.standardize ? v : 1) : 0;
        for (size_t i = 0; i < n; i++)
            xs[j * n + i] = sd[j] > 0 ? (xj[i] - m) / sd[j] : 0;
    }

    /* The lambda sequence. */
    alpha_lm = fmax(o.alpha, 1e-3);
    if (o.lambda) {
        memcpy(path->lambda, o.lambda, nlam * sizeof(double));
        qsort(path->lambda, nlam, sizeof(double), rad_cmp_desc);
    } else {
        double lmax = 0, ratio = n > p ? 1e-4 : 1e-2;
        for (size_t j = 0; j < p; j++) {
            double g = 0;
            for (size_t i = 0; i < n; i++)
                g += xs[j * n + i] * (y[i] - ybar);
            lmax = fmax(lmax, fabs(g) / ((double)n * alpha_lm));
        }
        if (!(lmax > 0)) {
            rc = rad_error_set("glmnet_logistic: every predictor is constant; nothing to fit");
            goto done;
        }
        for (k = 0; k < nlam; k++)
            path->lambda[k] = nlam == 1 ? lmax : lmax * pow(ratio, (double)k / (double)(nlam - 1));
    }

    a0 = log(ybar / (1 - ybar));
    for (size_t i = 0; i < n; i++)
        eta[i] = a0;
    nulldev = binom_dev(y, eta, n);
    path->null_dev = nulldev;

    for (k = 0; k < nlam; k++) {
        double lam = path->lambda[k], lprev = k ? path->lambda[k - 1] : lam;
        int outer = 0, kkt_ok = 0;
        /* Sequential strong rule (Tibshirani et al. 2012, JRSS B 74:245): leave
         * out zero coefficients whose gradient at the previous solution is
         * below alpha (2 lambda_k - lambda_k-1); check the KKT conditions
         * afterwards and bring back any violator. */
        gradient(xs, n, p, y, eta, grad, r);
        for (size_t j = 0; j < p; j++)
            pfv[j] = (b[j] != 0 || fabs(grad[j]) >= o.alpha * (2 * lam - lprev)) ? 1 : INFINITY;
      again:
        for (outer = 0; outer < OUTER_MAXIT; outer++) {
            double a0old = a0, dlx, sw = 0;
            for (size_t i = 0; i < n; i++) {
                double mu = 1 / (1 + exp(-eta[i]));
                mu = fmin(fmax(mu, PMIN), 1 - PMIN);
                double v = mu * (1 - mu);
                w[i] = v / (double)n;
                z[i] = eta[i] + (y[i] - mu) / v;
                sw += w[i];
            }
            memcpy(bold, b, p * sizeof *b);
            if (rad_enet_wls(xs, n, p, w, z, lam, o.alpha, pfv, b, &a0, r, o.thresh, o.maxit) < 0) {
                rad_error_prefix("glmnet_logistic");
                goto done;
            }
            for (size_t i = 0; i < n; i++)
                eta[i] = z[i] - r[i];
            dlx = sw * (a0 - a0old) * (a0 - a0old);
            for (size_t j = 0; j < p; j++) {
                double s = 0, d = b[j] - bold[j];
                if (d == 0)
                    continue;
                for (size_t i = 0; i < n; i++)
                    s += w[i] * xs[j * n + i] * xs[j * n + i];
                dlx = fmax(dlx, s * d * d);
            }
            if (dlx < o.thresh)
                break;
        }
        if (outer < OUTER_MAXIT && !kkt_ok) {
            size_t added = 0;
            gradient(xs, n, p, y, eta, grad, r);
            for (size_t j = 0; j < p; j++)
                if (isinf(pfv[j]) && sd[j] > 0 && fabs(grad[j]) > lam * o.alpha) {
                    pfv[j] = 1;
                    added++;
                }
            if (added)
                goto again;
            kkt_ok = 1;
        }
        if (outer == OUTER_MAXIT) {
            rc = rad_error_set("glmnet_logistic: the IRLS loop did not converge at lambda = %g (index %zu); "
                               "the data may be separable: use a larger lambda or alpha < 1", lam, k + 1);
            goto done;
        }
        /* Store on the original scale. */
        {
            double a = a0;
            size_t df = 0;
            for (size_t j = 0; j < p; j++) {
                double bj = sd[j] > 0 ? b[j] / sd[j] : 0;
                path->beta[k * p + j] = bj;
                a -= bj * mean[j];
                df += bj != 0;
            }
            path->a0[k] = a;
            path->df[k] = df;
            path->dev_ratio[k] = 1 - binom_dev(y, eta, n) / nulldev;
        }
        if (!o.lambda && k + 1 >= 5) {
            double dr = path->dev_ratio[k], prev = path->dev_ratio[k - 1];
            if (dr > 0.999 || dr - prev < 1e-5 * dr) {
                k++;
                break;
            }
        }
    }
    path->nlambda = k;
    path->p = p;
    rc = 0;
done:
    free(xs);
    free(mean);
    free(pfv);
    if (rc < 0)
        rad_glmnet_path_free(path);
    return rc;
}

void rad_glmnet_predict(const RadGlmnetPath *path, size_t k, const double *x, size_t m,
                        int response, double *out)
{
    const double *bk = path->beta + k * path->p;
    for (size_t i = 0; i < m; i++) {
        double e = path->a0[k];
        for (size_t j = 0; j < path->p; j++)
            if (bk[j] != 0)
                e += x[j * m + i] * bk[j];
        out[i] = response ? 1 / (1 + exp(-e)) : e;
    }
}

/* ---- cross-validation --------------------------------------------------------------- */

void rad_glmnet_cv_free(RadGlmnetCV *cv)
{
    if (!cv)
        return;
    free(cv->lambda);
    rad_glmnet_path_free(&cv->fit);
    memset(cv, 0, sizeof *cv);
}

int rad_glmnet_logistic_cv(const double *x, size_t n, size_t p, const double *y,
                           const RadGlmnetOptions *opt, int nfolds, uint64_t seed, RadGlmnetCV *cv)
{
    RadGlmnetOptions o, of;
    size_t *fold = NULL, nlam;
    double *xtr = NULL, *ytr = NULL, *xte = NULL, *yte = NULL, *eta = NULL, *raw = NULL;
    size_t *fsize = NULL;
    int rc = -1;

    memset(cv, 0, sizeof *cv);
    if (opt)
        o = *opt;
    else
        rad_glmnet_options_default(&o);
    if (nfolds < 3 || (size_t)nfolds > n)
        return rad_error_set("glmnet_logistic_cv: folds must be between 3 and the number of rows (%zu), got %d",
                             n, nfolds);
    if (rad_glmnet_logistic(x, n, p, y, &o, &cv->fit) < 0)
        return -1;
    nlam = cv->fit.nlambda;

    fold = rad_malloc(n * sizeof *fold, "cv folds");
    fsize = rad_calloc((size_t)nfolds, sizeof *fsize, "cv folds");
    xtr = rad_malloc(n * p * sizeof *xtr, "cv training x");
    xte = rad_malloc(n * p * sizeof *xte, "cv test x");
    ytr = rad_malloc(3 * n * sizeof *ytr, "cv work space");
    raw = rad_calloc((size_t)nfolds * nlam, sizeof *raw, "cv deviances");
    cv->lambda = rad_malloc(3 * nlam * sizeof(double), "cv results");
    if (!fold || !fsize || !xtr || !xte || !ytr || !raw || !cv->lambda)
        goto done;
    yte = ytr + n;
    eta = yte + n;
    cv->cvm = cv->lambda + nlam;
    cv->cvsd = cv->cvm + nlam;
    memcpy(cv->lambda, cv->fit.lambda, nlam * sizeof(double));

    /* Folds: a shuffled (0, 1, ..., k-1, 0, 1, ...). */
    {
        uint64_t st = seed;
        for (size_t i = 0; i < n; i++)
            fold[i] = i % (size_t)nfolds;
        for (size_t i = n - 1; i > 0; i--) {
            size_t jj = (size_t)((double)(rad_splitmix64(&st) >> 11) * 0x1.0p-53 * (double)(i + 1));
            size_t t = fold[i];
            if (jj > i)
                jj = i;
            fold[i] = fold[jj];
            fold[jj] = t;
        }
    }

    of = o;
    of.lambda = cv->fit.lambda;
    of.nuser = nlam;
    for (int f = 0; f < nfolds; f++) {
        RadGlmnetPath pf;
        size_t ntr = 0, nte = 0;
        for (size_t i = 0; i < n; i++)
            if (fold[i] == (size_t)f)
                yte[nte++] = y[i];
            else
                ytr[ntr++] = y[i];
        for (size_t j = 0; j < p; j++) {
            size_t a = 0, c = 0;
            for (size_t i = 0; i < n; i++)
                if (fold[i] == (size_t)f)
                    xte[j * nte + c++] = x[j * n + i];
                else
                    xtr[j * ntr + a++] = x[j * n + i];
        }
        fsize[f] = nte;
        if (rad_glmnet_logistic(xtr, ntr, p, ytr, &of, &pf) < 0) {
            rad_error_prefix("glmnet_logistic_cv: fold %d of %d", f + 1, nfolds);
            goto done;
        }
        for (size_t k = 0; k < nlam; k++) {
            rad_glmnet_predict(&pf, k, xte, nte, 0, eta);
            raw[(size_t)f * nlam + k] = binom_dev(yte, eta, nte) / (double)nte;
        }
        rad_glmnet_path_free(&pf);
    }

    for (size_t k = 0; k < nlam; k++) {
        double m = 0, v = 0;
        for (int f = 0; f < nfolds; f++)
            m += (double)fsize[f] * raw[(size_t)f * nlam + k];
        m /= (double)n;
        for (int f = 0; f < nfolds; f++) {
            double d = raw[(size_t)f * nlam + k] - m;
            v += (double)fsize[f] * d * d;
        }
        cv->cvm[k] = m;
        cv->cvsd[k] = sqrt(v / (double)n / (double)(nfolds - 1));
    }
    cv->index_min = 0;
    for (size_t k = 1; k < nlam; k++)
        if (cv->cvm[k] < cv->cvm[cv->index_min])
            cv->index_min = k;
    {
        double lim = cv->cvm[cv->index_min] + cv->cvsd[cv->index_min];
        cv->index_1se = cv->index_min;
        for (size_t k = 0; k < cv->index_min; k++)
            if (cv->cvm[k] <= lim) {
                cv->index_1se = k;
                break;
            }
    }
    cv->lambda_min = cv->lambda[cv->index_min];
    cv->lambda_1se = cv->lambda[cv->index_1se];
    cv->nlambda = nlam;
    rc = 0;
done:
    free(fold);
    free(fsize);
    free(xtr);
    free(xte);
    free(ytr);
    free(raw);
    if (rc < 0)
        rad_glmnet_cv_free(cv);
    return rc;
}
