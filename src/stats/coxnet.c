/* radlab: penalised (lasso / elastic-net) Cox regression.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The path by coordinate descent, with k-fold cross-validation.
 * Following R's glmnet(family = "cox") (Simon, Friedman, Hastie & Tibshirani
 * 2011, "Regularization paths for Cox's proportional hazards model via
 * coordinate descent", J Stat Softw 39(5)):
 *
 *   minimise  -l(b) / n + lambda (alpha |b|_1 + (1 - alpha) / 2 |b|_2^2)
 *
 * where l is the Breslow partial log-likelihood
 *   l(b) = sum_i d_i eta_i - sum_k D_k log S_k,   eta = x b,
 * D_k the number of events at the k-th distinct event time t_k and
 * S_k = sum_{j: t_j >= t_k} exp(eta_j) its risk-set total.  There is no
 * intercept.  x is centred (which does not change l) and, with standardize,
 * scaled by its population SD; coefficients are returned on the scale of x;
 * a constant column keeps a zero coefficient.
 *
 * Outer loop (section 2 of the paper): at the current eta the partial
 * likelihood is replaced by its quadratic approximation with the diagonal of
 * the Hessian,
 *   w_i = e_i B_i - e_i^2 C_i,  B_i = sum_{k: t_k <= t_i} D_k / S_k,
 *   C_i = sum_{k: t_k <= t_i} D_k / S_k^2,  e_i = exp(eta_i),
 * and the working response z_i = eta_i + (d_i - e_i B_i) / w_i; the penalised
 * weighted least-squares problem with weights w_i / n is solved by the
 * coordinate-descent core rad_enet_wls (models.h).  Rows with w_i = 0 (no
 * event at or before their time) drop out of the approximation.  Columns are
 * screened with the sequential strong rule (Tibshirani et al. 2012) and the
 * KKT conditions checked after convergence.  As glmnet's coxnet the
 * convergence threshold is thresh times the null deviance / (2 n) (glmnet's
 * weights sum to 1), applied to max_j v_j (delta b_j)^2 with
 * v_j = sum_i w_i x_ij^2 / n, in both loops.
 *
 * Lambda: lambda_max = max_j |x_j' (d - e B)| / (n max(alpha, 1e-3)) at b = 0
 * (the score of l / n), and lambda_k = lambda_max * ratio^((k - 1) / (nlambda
 * - 1)), ratio = 1e-4 when n > p else 1e-2.  glmnet's coxnet stops a default
 * path early, from the 5th value on, when the deviance ratio exceeds 0.99 or
 * (dev_ratio_k - dev_ratio_{k-4}) / dev_ratio_k < 1e-3 (its internal
 * thresholds 0.999 and 1e-5 rescaled for the Cox family).
 *
 * Deviance: 2 (l_sat - l(b)) with l_sat = -sum_k D_k log D_k (glmnet's
 * coxnet.deviance; 0 without tied events); dev_ratio = 1 - dev / null dev.
 *
 * Cross-validation follows cv.glmnet for cox with grouped = TRUE (Verweij &
 * van Houwelingen 1993): for fold f, fit on the other folds, and take
 * (deviance of all rows - deviance of the training rows) at the training
 * fit, divided by the events in fold f; cvm is the event-weighted mean over
 * folds, cvsd = sqrt(weighted variance / (k - 1)).  A fold whose path ended
 * early (no convergence) is missing at the smaller lambdas, as cv.glmnet's NA:
 * those use the remaining folds (k - 1 becoming their number - 1).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "stats/models.h"
#include "stats/coxnet.h"

#define OUTER_MAXIT 100
#define MIN_PATH 5
#define DEV_MAX 0.99
#define DEV_STEP 1e-3

void rad_coxnet_options_default(RadCoxnetOptions *o)
{
    memset(o, 0, sizeof *o);
    o->alpha = 1;
    o->nlambda = 100;
    o->standardize = 1;
    o->thresh = 1e-7;
    o->maxit = 100000;
}

void rad_coxnet_free(RadCoxnetPath *path)
{
    if (!path)
        return;
    free(path->lambda);
    free(path->beta);
    free(path->df);
    free(path->dev_ratio);
    memset(path, 0, sizeof *path);
}

void rad_coxnet_cv_free(RadCoxnetCV *cv)
{
    if (!cv)
        return;
    free(cv->lambda);
    free(cv->cvm);
    free(cv->cvsd);
    rad_coxnet_free(&cv->fit);
    memset(cv, 0, sizeof *cv);
}

/* ---- risk sets ------------------------------------------------------------------- */

/* Rows sorted by time, grouped into blocks of equal time. */
typedef struct CoxData {
    size_t n, nb;
    size_t *ord;       /* n row indices by increasing time */
    size_t *bstart;    /* nb + 1 block starts in ord */
    double *bdeath;    /* events per block */
    double *bsum;      /* work: risk-set totals per block */
    const double *event;
    double lsat;       /* -sum D_k log D_k */
    double nevent;
} CoxData;

typedef struct SortKey {
    double t;
    size_t i;
} SortKey;

static int cmp_key(const void *a, const void *b)
{
    const SortKey *u = a, *v = b;
    if (u->t != v->t)
        return u->t < v->t ? -1 : 1;
    return (u->i > v->i) - (u->i < v->i);
}

static void coxdata_free(CoxData *cd)
{
    free(cd->ord);
    free(cd->bstart);
    free(cd->bdeath);
    free(cd->bsum);
    memset(cd, 0, sizeof *cd);
}

static int coxdata_init(CoxData *cd, const double *time, const double *event, size_t n)
{
    SortKey *key;
    memset(cd, 0, sizeof *cd);
    key = rad_malloc(n * sizeof *key, "coxnet sort");
    cd->ord = rad_malloc(n * sizeof *cd->ord, "coxnet risk sets");
    cd->bstart = rad_malloc((n + 1) * sizeof *cd->bstart, "coxnet risk sets");
    cd->bdeath = rad_calloc(n, sizeof *cd->bdeath, "coxnet risk sets");
    cd->bsum = rad_calloc(n, sizeof *cd->bsum, "coxnet risk sets");
    if (!key || !cd->ord || !cd->bstart || !cd->bdeath || !cd->bsum) {
        free(key);
        coxdata_free(cd);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        key[i].t = time[i];
        key[i].i = i;
    }
    qsort(key, n, sizeof *key, cmp_key);
    cd->n = n;
    cd->event = event;
    for (size_t a = 0; a < n; a++) {
        cd->ord[a] = key[a].i;
        if (a == 0 || key[a].t != key[a - 1].t)
            cd->bstart[cd->nb++] = a;
        cd->bdeath[cd->nb - 1] += event[key[a].i];
    }
    cd->bstart[cd->nb] = n;
    for (size_t b = 0; b < cd->nb; b++)
        if (cd->bdeath[b] > 0) {
            cd->lsat -= cd->bdeath[b] * log(cd->bdeath[b]);
            cd->nevent += cd->bdeath[b];
        }
    free(key);
    return 0;
}

static double safe_exp(double v)
{
    static const double fmax = 700;
    return exp(v > fmax ? fmax : (v < -fmax ? -fmax : v));
}

/* The partial log-likelihood at eta; with w and wr also the Hessian diagonal
 * w_i and the score residual wr_i = d_i - e_i B_i. */
static double cox_stats(CoxData *cd, const double *eta, double *w, double *wr)
{
    double s = 0, bb = 0, cc = 0, ll = 0;
    for (size_t b = cd->nb; b-- > 0;) {
        for (size_t a = cd->bstart[b]; a < cd->bstart[b + 1]; a++)
            s += safe_exp(eta[cd->ord[a]]);
        cd->bsum[b] = s;
    }
    for (size_t b = 0; b < cd->nb; b++) {
        double dk = cd->bdeath[b];
        if (dk > 0) {
            bb += dk / cd->bsum[b];
            cc += dk / (cd->bsum[b] * cd->bsum[b]);
            ll -= dk * log(cd->bsum[b]);
        }
        for (size_t a = cd->bstart[b]; a < cd->bstart[b + 1]; a++) {
            size_t i = cd->ord[a];
            if (cd->event[i] > 0)
                ll += cd->event[i] * eta[i];
            if (w) {
                double e = safe_exp(eta[i]);
                double v = e * (bb - e * cc);
                w[i] = v > 0 ? v : 0;
                wr[i] = cd->event[i] - e * bb;
            }
        }
    }
    return ll;
}

double rad_coxnet_deviance(const double *time, const double *event, const double *eta, size_t n)
{
    CoxData cd;
    double ll;
    if (coxdata_init(&cd, time, event, n) < 0)
        return NAN;
    ll = cox_stats(&cd, eta, NULL, NULL);
    ll = 2 * (cd.lsat - ll);
    coxdata_free(&cd);
    return ll;
}

/* ---- input checks -------------------------------------------------------------------- */

static int check_input(const double *x, size_t n, size_t p, const double *time, const double *event,
                       const RadCoxnetOptions *o)
{
    size_t nev = 0;
    if (n < 2)
        return rad_error_set("coxnet: need at least 2 rows, got %zu", n);
    if (p == 0)
        return rad_error_set("coxnet: need at least one predictor (x)");
    if (!(o->alpha >= 0 && o->alpha <= 1))
        return rad_error_set("coxnet: alpha must be in [0, 1], got %g", o->alpha);
    if (!o->lambda && o->nlambda < 1)
        return rad_error_set("coxnet: nlambda must be at least 1");
    if (!(o->thresh > 0) || !isfinite(o->thresh))
        return rad_error_set("coxnet: thresh must be a positive number, got %g", o->thresh);
    if (o->lambda) {
        if (o->nuser == 0)
            return rad_error_set("coxnet: the lambda sequence is empty");
        for (size_t k = 0; k < o->nuser; k++)
            if (!(o->lambda[k] >= 0) || !isfinite(o->lambda[k]))
                return rad_error_set("coxnet: lambda[%zu] = %g; lambdas must be finite and >= 0", k + 1,
                                     o->lambda[k]);
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(time[i]))
            return rad_error_set("coxnet: the time is missing or not finite in row %zu; drop incomplete rows first",
                                 i + 1);
        if (event[i] != 0 && event[i] != 1) {
            if (isnan(event[i]))
                return rad_error_set("coxnet: the event is missing in row %zu; drop incomplete rows first", i + 1);
            return rad_error_set("coxnet: the event must be 0 (censored) or 1 (event), but row %zu has %g", i + 1,
                                 event[i]);
        }
        nev += event[i] == 1;
    }
    if (nev < 2)
        return rad_error_set("coxnet: %zu event(s) in %zu rows; a Cox model needs at least 2 events", nev, n);
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < n; i++)
            if (!isfinite(x[j * n + i]))
                return rad_error_set("coxnet: column %zu of x is missing or not finite in row %zu", j + 1, i + 1);
    return 0;
}


/* ---- the path ------------------------------------------------------------------------ */

static void score(const double *xs, size_t n, size_t p, const double *wr, const double *sd, double *grad)
{
    for (size_t j = 0; j < p; j++)
        grad[j] = sd[j] > 0 ? rad_vec_dot(xs + j * n, wr, n) / (double)n : 0;
}

/* The path; with truncate set a lambda (after the first) whose fit does not
 * converge ends the path there instead of failing, as glmnet returns the
 * solutions for the larger lambdas (with a warning): stopped_at records it. */
static int coxnet_path(const double *x, size_t n, size_t p, const double *time, const double *event,
                       const RadCoxnetOptions *opt, int truncate, RadCoxnetPath *path)
{
    RadCoxnetOptions o;
    CoxData cd;
    double *xs = NULL, *work = NULL, *pfv = NULL;
    double *sd, *b, *bold, *grad, *eta, *w, *wr, *wq, *z, *r;
    double ll0, rr, cthr, dn = (double)n;
    size_t nlam, k;
    int rc = -1, user;

    memset(path, 0, sizeof *path);
    memset(&cd, 0, sizeof cd);
    if (opt)
        o = *opt;
    else
        rad_coxnet_options_default(&o);
    if (o.maxit <= 0)
        o.maxit = 100000;
    if (check_input(x, n, p, time, event, &o) < 0)
        return -1;
    user = o.lambda != NULL;
    nlam = user ? o.nuser : o.nlambda;

    xs = rad_malloc(n * p * sizeof *xs, "coxnet standardised x");
    work = rad_calloc(4 * p + 6 * n, sizeof *work, "coxnet work space");
    pfv = rad_calloc(p, sizeof *pfv, "coxnet work space");
    path->lambda = rad_calloc(nlam, sizeof(double), "coxnet path");
    path->beta = rad_calloc(nlam * p, sizeof(double), "coxnet path");
    path->df = rad_calloc(nlam, sizeof(size_t), "coxnet path");
    path->dev_ratio = rad_calloc(nlam, sizeof(double), "coxnet path");
    if (!xs || !work || !pfv || !path->lambda || !path->beta || !path->df || !path->dev_ratio)
        goto done;
    if (coxdata_init(&cd, time, event, n) < 0)
        goto done;
    sd = work;
    b = sd + p;
    bold = b + p;
    grad = bold + p;
    eta = grad + p;
    w = eta + n;
    wr = w + n;
    wq = wr + n;
    z = wq + n;
    r = z + n;
    path->p = p;

    for (size_t j = 0; j < p; j++) {
        const double *xj = x + j * n;
        double m = 0, v = 0;
        for (size_t i = 0; i < n; i++)
            m += xj[i];
        m /= dn;
        for (size_t i = 0; i < n; i++)
            v += (xj[i] - m) * (xj[i] - m);
        v = sqrt(v / dn);
        sd[j] = v > 0 ? (o.standardize ? v : 1) : 0;
        for (size_t i = 0; i < n; i++)
            xs[j * n + i] = sd[j] > 0 ? (xj[i] - m) / sd[j] : 0;
    }

    ll0 = cox_stats(&cd, eta, w, wr);
    rr = cd.lsat - ll0;
    path->null_dev = 2 * rr;
    if (!(rr > 0)) {
        rc = rad_error_set("coxnet: the null model already fits perfectly (every risk set at an event holds only "
                           "the events); nothing to fit");
        goto done;
    }
    cthr = o.thresh * rr / dn;

    if (user) {
        memcpy(path->lambda, o.lambda, nlam * sizeof(double));
        qsort(path->lambda, nlam, sizeof(double), rad_cmp_desc);
    } else {
        double lmax = 0, ratio = n > p ? 1e-4 : 1e-2;
        score(xs, n, p, wr, sd, grad);
        for (size_t j = 0; j < p; j++)
            lmax = fmax(lmax, fabs(grad[j]) / fmax(o.alpha, 1e-3));
        if (!(lmax > 0)) {
            rc = rad_error_set("coxnet: every predictor is constant or unrelated to the risk sets; nothing to fit");
            goto done;
        }
        for (k = 0; k < nlam; k++)
            path->lambda[k] = nlam == 1 ? lmax : lmax * pow(ratio, (double)k / (double)(nlam - 1));
    }

    for (k = 0; k < nlam; k++) {
        double lam = path->lambda[k], lprev = k ? path->lambda[k - 1] : lam, ll, change = 0;
        int outer;
        size_t df = 0;
        if (!user && k == 0) {
            /* lambda_max: every coefficient is 0 by construction (glmnet fits
             * its first value with an infinite lambda). */
            path->dev_ratio[0] = 0;
            path->df[0] = 0;
            continue;
        }
        ll = cox_stats(&cd, eta, w, wr);
        score(xs, n, p, wr, sd, grad);
        for (size_t j = 0; j < p; j++)
            pfv[j] = sd[j] > 0 && (b[j] != 0 || fabs(grad[j]) >= o.alpha * (2 * lam - lprev)) ? 1 : INFINITY;
        for (outer = 0;; outer++) {
            if (outer > 0) {
                ll = cox_stats(&cd, eta, w, wr);
                if (change < cthr) {
                    size_t added = 0;
                    score(xs, n, p, wr, sd, grad);
                    for (size_t j = 0; j < p; j++)
                        if (isinf(pfv[j]) && sd[j] > 0 && fabs(grad[j]) > lam * o.alpha) {
                            pfv[j] = 1;
                            added++;
                        }
                    if (!added)
                        break;
                }
            }
            if (outer >= OUTER_MAXIT) {
                if (truncate && k > 0) {
                    path->stopped_at = k + 1;
                    goto truncated;
                }
                rc = rad_error_set("coxnet: the outer (Newton) loop did not converge at lambda = %g (index %zu); "
                                   "use a larger lambda or alpha < 1", lam, k + 1);
                goto done;
            }
            for (size_t i = 0; i < n; i++) {
                wq[i] = w[i] / dn;
                z[i] = w[i] > 0 ? eta[i] + wr[i] / w[i] : eta[i];
            }
            memcpy(bold, b, p * sizeof *b);
            if (rad_enet_wls(xs, n, p, wq, z, lam, o.alpha, pfv, b, NULL, r, cthr, o.maxit) < 0) {
                if (truncate && k > 0) {
                    path->stopped_at = k + 1;
                    goto truncated;
                }
                rad_error_prefix("coxnet");
                goto done;
            }
            memset(eta, 0, n * sizeof *eta);
            change = 0;
            for (size_t j = 0; j < p; j++) {
                const double *xj = xs + j * n;
                double d = b[j] - bold[j];
                if (b[j] != 0)
                    rad_vec_axpy(eta, xj, b[j], n);
                if (d != 0) {
                    double v = rad_vec_dot3(wq, xj, xj, n);
                    change = fmax(change, v * d * d);
                }
            }
        }
        for (size_t j = 0; j < p; j++) {
            double c = sd[j] > 0 ? b[j] / sd[j] : 0;
            path->beta[k * p + j] = c;
            df += c != 0;
        }
        path->df[k] = df;
        path->dev_ratio[k] = (ll - ll0) / rr;
        if (!user && k + 1 >= MIN_PATH) {
            double dr = path->dev_ratio[k];
            if ((dr - path->dev_ratio[k - (MIN_PATH - 1)]) / dr < DEV_STEP || dr > DEV_MAX) {
                k++;
                break;
            }
        }
    }
truncated:
    path->nlambda = k;
    rc = 0;
done:
    free(xs);
    free(work);
    free(pfv);
    coxdata_free(&cd);
    if (rc < 0)
        rad_coxnet_free(path);
    return rc;
}

int rad_coxnet(const double *x, size_t n, size_t p, const double *time, const double *event,
               const RadCoxnetOptions *opt, RadCoxnetPath *path)
{
    return coxnet_path(x, n, p, time, event, opt, 1, path);
}

void rad_coxnet_predict(const RadCoxnetPath *path, size_t k, const double *x, size_t m, double *out)
{
    size_t p = path->p;
    const double *bk = path->beta + k * p;
    for (size_t i = 0; i < m; i++) {
        double eta = 0;
        for (size_t j = 0; j < p; j++) {
            double v = x[j * m + i];
            if (isnan(v)) {
                eta = NAN;
                break;
            }
            if (bk[j] != 0)
                eta += bk[j] * v;
        }
        out[i] = eta;
    }
}

/* ---- cross-validation ---------------------------------------------------------------- */

int rad_coxnet_cv(const double *x, size_t n, size_t p, const double *time, const double *event,
                  const RadCoxnetOptions *opt, int nfolds, uint64_t seed, RadCoxnetCV *cv)
{
    RadCoxnetOptions o;
    RadCoxnetPath pf;
    CoxData full, tr;
    size_t *fold = NULL, *rows = NULL, nlam;
    double *xtr = NULL, *ttr = NULL, *etr = NULL, *raw = NULL, *fev = NULL, *eta = NULL, *etatr = NULL;
    uint64_t state = seed;
    int rc = -1;

    memset(cv, 0, sizeof *cv);
    memset(&pf, 0, sizeof pf);
    memset(&full, 0, sizeof full);
    memset(&tr, 0, sizeof tr);
    if (opt)
        o = *opt;
    else
        rad_coxnet_options_default(&o);
    if (nfolds < 3 || (size_t)nfolds > n)
        return rad_error_set("coxnet_cv: folds must be between 3 and the number of rows (%zu), got %d", n, nfolds);
    if (rad_coxnet(x, n, p, time, event, &o, &cv->fit) < 0) {
        rad_error_prefix("coxnet_cv");
        return -1;
    }
    nlam = cv->fit.nlambda;
    fold = rad_malloc(n * sizeof *fold, "cv folds");
    rows = rad_malloc(n * sizeof *rows, "cv folds");
    xtr = rad_malloc(n * p * sizeof *xtr, "cv training x");
    ttr = rad_malloc(2 * n * sizeof *ttr, "cv training rows");
    eta = rad_malloc(2 * n * sizeof *eta, "cv predictions");
    raw = rad_calloc((size_t)nfolds * nlam, sizeof *raw, "cv deviances");
    fev = rad_calloc((size_t)nfolds, sizeof *fev, "cv folds");
    cv->lambda = rad_calloc(nlam, sizeof(double), "cv results");
    cv->cvm = rad_calloc(nlam, sizeof(double), "cv results");
    cv->cvsd = rad_calloc(nlam, sizeof(double), "cv results");
    if (!fold || !rows || !xtr || !ttr || !eta || !raw || !fev || !cv->lambda || !cv->cvm || !cv->cvsd)
        goto done;
    etr = ttr + n;
    etatr = eta + n;
    if (coxdata_init(&full, time, event, n) < 0)
        goto done;

    for (size_t i = 0; i < n; i++)
        fold[i] = i % (size_t)nfolds;
    for (size_t i = n; i-- > 1;) {
        size_t jj = (size_t)(rad_splitmix64(&state) % (uint64_t)(i + 1)), t = fold[i];
        fold[i] = fold[jj];
        fold[jj] = t;
    }
    for (size_t i = 0; i < n; i++)
        fev[fold[i]] += event[i];
    for (int f = 0; f < nfolds; f++)
        if (fev[f] <= 0) {
            rc = rad_error_set("coxnet_cv: fold %d of %d holds no event; use fewer folds (or another seed)", f + 1,
                               nfolds);
            goto done;
        }

    o.lambda = cv->fit.lambda;
    o.nuser = nlam;
    for (int f = 0; f < nfolds; f++) {
        size_t ntr = 0;
        for (size_t i = 0; i < n; i++)
            if (fold[i] != (size_t)f)
                rows[ntr++] = i;
        for (size_t a = 0; a < ntr; a++) {
            ttr[a] = time[rows[a]];
            etr[a] = event[rows[a]];
        }
        for (size_t j = 0; j < p; j++)
            for (size_t a = 0; a < ntr; a++)
                xtr[j * ntr + a] = x[j * n + rows[a]];
        if (coxnet_path(xtr, ntr, p, ttr, etr, &o, 1, &pf) < 0) {
            rad_error_prefix("coxnet_cv: fold %d of %d", f + 1, nfolds);
            goto done;
        }
        if (coxdata_init(&tr, ttr, etr, ntr) < 0)
            goto done;
        for (size_t k = 0; k < nlam; k++) {
            double dfull, dtr;
            if (k >= pf.nlambda) {
                /* past a truncated fold path: missing, as cv.glmnet's NA */
                raw[(size_t)f * nlam + k] = NAN;
                continue;
            }
            rad_coxnet_predict(&pf, k, x, n, eta);
            for (size_t a = 0; a < ntr; a++)
                etatr[a] = eta[rows[a]];
            dfull = 2 * (full.lsat - cox_stats(&full, eta, NULL, NULL));
            dtr = 2 * (tr.lsat - cox_stats(&tr, etatr, NULL, NULL));
            raw[(size_t)f * nlam + k] = (dfull - dtr) / fev[f];
        }
        coxdata_free(&tr);
        rad_coxnet_free(&pf);
    }

    {
        double best = INFINITY;
        cv->nlambda = nlam;
        for (size_t k = 0; k < nlam; k++) {
            double m = 0, v = 0, swk = 0;
            int nk = 0;
            for (int f = 0; f < nfolds; f++)
                if (!isnan(raw[(size_t)f * nlam + k])) {
                    m += fev[f] * raw[(size_t)f * nlam + k];
                    swk += fev[f];
                    nk++;
                }
            if (nk < 2) {
                /* fewer than 2 folds reached this lambda: the CV curve ends here */
                cv->nlambda = k;
                break;
            }
            m /= swk;
            for (int f = 0; f < nfolds; f++) {
                double d = raw[(size_t)f * nlam + k] - m;
                if (!isnan(d))
                    v += fev[f] * d * d;
            }
            cv->cvm[k] = m;
            cv->cvsd[k] = sqrt(v / swk / (nk - 1));
            cv->lambda[k] = cv->fit.lambda[k];
            if (m < best) {
                best = m;
                cv->index_min = k;
            }
        }
        if (!isfinite(best)) {
            rc = rad_error_set("coxnet_cv: the cross-validated deviance is not finite; the fits diverged");
            goto done;
        }
        best += cv->cvsd[cv->index_min];
        for (size_t k = 0; k < cv->nlambda; k++)
            if (cv->cvm[k] <= best) {
                cv->index_1se = k;
                break;
            }
        cv->lambda_min = cv->lambda[cv->index_min];
        cv->lambda_1se = cv->lambda[cv->index_1se];
    }
    rc = 0;
done:
    free(fold);
    free(rows);
    free(xtr);
    free(ttr);
    free(eta);
    free(raw);
    free(fev);
    coxdata_free(&full);
    coxdata_free(&tr);
    rad_coxnet_free(&pf);
    if (rc < 0)
        rad_coxnet_cv_free(cv);
    return rc;
}
