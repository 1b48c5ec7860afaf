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
 * weighted least-squares problem with weights w_i / n is solved by cyclic
 * coordinate descent (see coxnet_path below: strong set, active-set passes,
 * KKT checks, warm starts, no cap on the outer steps other than maxit
 * passes).  Rows with w_i = 0 (no event at or before their time) drop out of
 * the approximation.  As glmnet's coxnet the
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
 * fit, divided by the events in fold f (the folds run in parallel on the
 * thread pool, each writing only its own results, so the numbers do not
 * depend on the thread count); cvm is the event-weighted mean over
 * folds, cvsd = sqrt(weighted variance / (k - 1)).  A fold whose path ended
 * early (no convergence) is missing at the smaller lambdas, as cv.glmnet's NA:
 * those use the remaining folds (k - 1 becoming their number - 1).
 */
#include <float.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/pool.h"
#include "stats/models.h"
#include "stats/coxnet.h"

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
    o->threads = 0;
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

/* The partial log-likelihood at eta (rows in their original order).  Reads
 * cd only, so threads may share it. */
static double cox_loglik(const CoxData *cd, const double *eta)
{
    double s = 0, ll = 0;
    for (size_t b = cd->nb; b-- > 0;) {
        for (size_t a = cd->bstart[b]; a < cd->bstart[b + 1]; a++) {
            size_t i = cd->ord[a];
            s += safe_exp(eta[i]);
            if (cd->event[i] > 0)
                ll += cd->event[i] * eta[i];
        }
        if (cd->bdeath[b] > 0)
            ll -= cd->bdeath[b] * log(s);
    }
    return ll;
}

double rad_coxnet_deviance(const double *time, const double *event, const double *eta, size_t n)
{
    CoxData cd;
    double ll;
    if (coxdata_init(&cd, time, event, n) < 0)
        return NAN;
    ll = cox_loglik(&cd, eta);
    ll = 2 * (cd.lsat - ll);
    coxdata_free(&cd);
    return ll;
}

/* ---- input checks -------------------------------------------------------------------- */

static int check_input(const double *x, size_t ldx, const size_t *rows, size_t n, size_t p, const double *time,
                       const double *event,
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
            if (!isfinite(x[j * ldx + (rows ? rows[i] : i)]))
                return rad_error_set("coxnet: column %zu of x is missing or not finite in row %zu", j + 1, i + 1);
    return 0;
}


/* ---- the path ------------------------------------------------------------------------ */

/* Risk-set pass over rows already in ascending time order (blocks of equal
 * time in cd): e = exp(eta), the Hessian diagonal w and the score residual wr,
 * both divided by n (glmnet's weights 1/n), and the log-likelihood.  Rows
 * before the first event get w = wr = 0. */
static double risk_pass(const CoxData *cd, const double *ds, const double *eta, double *e, double *w, double *wr,
                        double *bsum, double dn)
{
    size_t nb = cd->nb;
    double s = 0, bb = 0, cc = 0, ll = 0;
    for (size_t a = 0; a < cd->n; a++)
        e[a] = safe_exp(eta[a]);
    for (size_t b = nb; b-- > 0;) {
        for (size_t a = cd->bstart[b]; a < cd->bstart[b + 1]; a++)
            s += e[a];
        bsum[b] = s;
    }
    for (size_t b = 0; b < nb; b++) {
        double dk = cd->bdeath[b];
        if (dk > 0) {
            bb += dk / bsum[b];
            cc += dk / (bsum[b] * bsum[b]);
            ll -= dk * log(bsum[b]);
        }
        for (size_t a = cd->bstart[b]; a < cd->bstart[b + 1]; a++) {
            double v = e[a] * (bb - e[a] * cc);
            if (ds[a] > 0)
                ll += ds[a] * eta[a];
            w[a] = v > 0 ? v / dn : 0;
            wr[a] = (ds[a] - e[a] * bb) / dn;
        }
    }
    return ll;
}

/* The coordinate steps are RAD_HOT loops (stats/models.h), as are the
 * column weights (rad_vec_dot3) and x b (rad_vec_axpy). */

/* One coordinate update of b_j against the gradient-form residual wr
 * (wr_i = (d_i - e_i B_i) / n - w_i (x b - eta)_i): the soft-threshold step
 * b_j <- S(v_j b_j + x_j'wr, sa) / (v_j + omal).  Returns v_j (change)^2.
 *
 * The residual update of a step that moved b_j, wr -= change w x_j, is not
 * done at once but left pending in *pd and done in the loop that forms the
 * next step's product x_k'wr (one pass over wr instead of two; the same
 * operations on the same values, so the same numbers).  cd_flush does what
 * is still pending before anything else reads wr. */
typedef struct Pending {
    double del;          /* 0: nothing pending */
    const double *x;
} Pending;

RAD_HOT static void cd_flush(Pending *pd, size_t n, const double *restrict w, double *restrict wr)
{
    const double *restrict px = pd->x;
    double del = pd->del;
    if (del == 0)
        return;
    for (size_t i = 0; i < n; i++)
        wr[i] -= del * w[i] * px[i];
    pd->del = 0;
}

RAD_HOT static double cd_step(const double *restrict xj, size_t n, const double *restrict w, double *restrict wr,
                          Pending *pd, double vj, double sa, double omal, double *bj)
{
    /* 16 running sums: independent chains of additions keep the adder busy */
    double s0[4] = {0}, s1[4] = {0}, s2[4] = {0}, s3[4] = {0}, u, at, del;
    double pdel = pd->del;
    size_t i = 0;
    if (pdel != 0) {
        const double *restrict px = pd->x;
        for (; i + 16 <= n; i += 16)
            for (int k = 0; k < 4; k++) {
                double r0 = wr[i + k] - pdel * w[i + k] * px[i + k];
                double r1 = wr[i + 4 + k] - pdel * w[i + 4 + k] * px[i + 4 + k];
                double r2 = wr[i + 8 + k] - pdel * w[i + 8 + k] * px[i + 8 + k];
                double r3 = wr[i + 12 + k] - pdel * w[i + 12 + k] * px[i + 12 + k];
                wr[i + k] = r0;
                wr[i + 4 + k] = r1;
                wr[i + 8 + k] = r2;
                wr[i + 12 + k] = r3;
                s0[k] += r0 * xj[i + k];
                s1[k] += r1 * xj[i + 4 + k];
                s2[k] += r2 * xj[i + 8 + k];
                s3[k] += r3 * xj[i + 12 + k];
            }
        for (; i < n; i++) {
            double r = wr[i] - pdel * w[i] * px[i];
            wr[i] = r;
            s0[0] += r * xj[i];
        }
        pd->del = 0;
    } else {
        for (; i + 16 <= n; i += 16)
            for (int k = 0; k < 4; k++) {
                s0[k] += wr[i + k] * xj[i + k];
                s1[k] += wr[i + 4 + k] * xj[i + 4 + k];
                s2[k] += wr[i + 8 + k] * xj[i + 8 + k];
                s3[k] += wr[i + 12 + k] * xj[i + 12 + k];
            }
        for (; i < n; i++)
            s0[0] += wr[i] * xj[i];
    }
    /* the tree of the 16 sums: lanes k and k + 8, then k and k + 4, ... */
    for (int k = 0; k < 4; k++) {
        s0[k] += s2[k];
        s1[k] += s3[k];
    }
    for (int k = 0; k < 4; k++)
        s0[k] += s1[k];
    s0[0] += s0[2];
    s0[1] += s0[3];
    s0[0] += s0[1];
    u = *bj * vj + s0[0];
    if (fabs(u) <= sa)
        at = 0;
    else
        at = copysign(fabs(u) - sa, u) / (vj + omal);
    if (at == *bj)
        return 0;
    del = at - *bj;
    *bj = at;
    pd->del = del;
    pd->x = xj;
    return vj * del * del;
}

/* The path on rows `rows` of x (column-major with leading dimension ldx;
 * rows NULL = the first n), time and event given per used row.  With
 * truncate set a lambda (after the first) whose fit does not converge in maxit
 * passes ends the path there instead of failing, as glmnet returns the
 * solutions for the larger lambdas (with a warning): stopped_at records it.
 *
 * As glmnet's coxnet1: rows are put in time order once (risk-set sums are
 * then running sums); the strong set (sequential strong rule, Tibshirani et
 * al. 2012) only grows along the path; each outer (Newton) step solves the
 * quadratic problem by a full pass over the strong set followed by passes
 * over the active set (every coefficient ever non-zero) until they settle,
 * and ends when a full pass changes nothing by more than the threshold; the
 * outer loop ends when no active coefficient moved by more than the
 * threshold over the step, and then the KKT conditions of the coefficients
 * outside the strong set are checked, violators joining it.  The outer loop
 * has no iteration limit of its own: only the passes are counted against
 * maxit (a fixed cap of 100 outer steps ended well-conditioned paths early
 * where the step converges slowly but steadily near the end of the path). */
static int coxnet_path(const double *x, size_t ldx, const size_t *rows, size_t n, size_t p, const double *time,
                       const double *event, const RadCoxnetOptions *opt, int truncate, RadCoxnetPath *path)
{
    RadCoxnetOptions o;
    CoxData cd;
    double *xs = NULL, *work = NULL;
    size_t *act = NULL;
    unsigned char *flag = NULL;
    double *sd, *b, *bs, *ga, *v, *eta, *e, *w, *wr, *ds;
    double ll0, ll, rr, cthr, dn = (double)n;
    size_t nlam, k, nin = 0;
    long passes = 0;
    int rc = -1, user;

    memset(path, 0, sizeof *path);
    memset(&cd, 0, sizeof cd);
    if (opt)
        o = *opt;
    else
        rad_coxnet_options_default(&o);
    if (o.maxit <= 0)
        o.maxit = 100000;
    if (check_input(x, ldx, rows, n, p, time, event, &o) < 0)
        return -1;
    user = o.lambda != NULL;
    nlam = user ? o.nuser : o.nlambda;

    xs = rad_malloc(n * p * sizeof *xs, "coxnet standardised x");
    work = rad_calloc(5 * p + 5 * n, sizeof *work, "coxnet work space");
    act = rad_malloc(p * sizeof *act, "coxnet work space");
    flag = rad_calloc(2 * p, 1, "coxnet work space");
    path->lambda = rad_calloc(nlam, sizeof(double), "coxnet path");
    path->beta = rad_calloc(nlam * p, sizeof(double), "coxnet path");
    path->df = rad_calloc(nlam, sizeof(size_t), "coxnet path");
    path->dev_ratio = rad_calloc(nlam, sizeof(double), "coxnet path");
    if (!xs || !work || !act || !flag || !path->lambda || !path->beta || !path->df || !path->dev_ratio)
        goto done;
    if (coxdata_init(&cd, time, event, n) < 0)
        goto done;
    unsigned char *strong = flag, *active = flag + p;
    sd = work;
    b = sd + p;
    bs = b + p;
    ga = bs + p;
    v = ga + p;
    eta = v + p;
    e = eta + n;
    w = e + n;
    wr = w + n;
    ds = wr + n;
    path->p = p;

    /* standardise, rows in time order */
    for (size_t a = 0; a < n; a++)
        ds[a] = event[cd.ord[a]];
    for (size_t j = 0; j < p; j++) {
        const double *xj = x + j * ldx;
        double *out = xs + j * n, m = 0, s = 0;
        for (size_t a = 0; a < n; a++) {
            size_t i = cd.ord[a];
            out[a] = xj[rows ? rows[i] : i];
        }
        for (size_t a = 0; a < n; a++)
            m += out[a];
        m /= dn;
        for (size_t a = 0; a < n; a++)
            s += (out[a] - m) * (out[a] - m);
        s = sqrt(s / dn);
        sd[j] = s > 0 ? (o.standardize ? s : 1) : 0;
        for (size_t a = 0; a < n; a++)
            out[a] = sd[j] > 0 ? (out[a] - m) / sd[j] : 0;
    }

    ll0 = ll = risk_pass(&cd, ds, eta, e, w, wr, cd.bsum, dn);
    rr = cd.lsat - ll0;
    path->null_dev = 2 * rr;
    if (!(rr > 0)) {
        rc = rad_error_set("coxnet: the null model already fits perfectly (every risk set at an event holds only "
                           "the events); nothing to fit");
        goto done;
    }
    cthr = o.thresh * rr / dn;
    for (size_t j = 0; j < p; j++)
        ga[j] = sd[j] > 0 ? fabs(rad_vec_dot(xs + j * n, wr, n)) : 0;

    if (user) {
        memcpy(path->lambda, o.lambda, nlam * sizeof(double));
        qsort(path->lambda, nlam, sizeof(double), rad_cmp_desc);
    } else {
        double lmax = 0, ratio = n > p ? 1e-4 : 1e-2;
        for (size_t j = 0; j < p; j++)
            lmax = fmax(lmax, ga[j] / fmax(o.alpha, 1e-3));
        if (!(lmax > 0)) {
            rc = rad_error_set("coxnet: every predictor is constant or unrelated to the risk sets; nothing to fit");
            goto done;
        }
        for (k = 0; k < nlam; k++)
            path->lambda[k] = nlam == 1 ? lmax : lmax * pow(ratio, (double)k / (double)(nlam - 1));
    }

    for (k = 0; k < nlam; k++) {
        double lam = path->lambda[k], lprev = k ? path->lambda[k - 1] : lam;
        double sa = o.alpha * lam, omal = (1 - o.alpha) * lam, tlam = o.alpha * (2 * lam - lprev);
        long lpasses = 0;
        size_t df = 0;
        if (!user && k == 0) {
            /* lambda_max: every coefficient is 0 by construction (glmnet fits
             * its first value with an infinite lambda). */
            path->dev_ratio[0] = 0;
            path->df[0] = 0;
            continue;
        }
        for (size_t j = 0; j < p; j++)
            if (!strong[j] && sd[j] > 0 && ga[j] > tlam)
                strong[j] = 1;
        for (;;) { /* outer (Newton) steps */
            int moved = 0;
            if (rad_interrupt_check() < 0)
                goto done;
            for (size_t l = 0; l < nin; l++)
                bs[act[l]] = b[act[l]];
            for (size_t j = 0; j < p; j++)
                if (strong[j])
                    v[j] = rad_vec_dot3(w, xs + j * n, xs + j * n, n);
            Pending pd = {0, NULL};
            for (;;) { /* a full pass over the strong set, then the active set until it settles */
                double dli = 0;
                lpasses++;
                for (size_t j = 0; j < p; j++) {
                    if (!strong[j] || !(v[j] > 0))
                        continue;
                    double c = cd_step(xs + j * n, n, w, wr, &pd, v[j], sa, omal, b + j);
                    if (c > 0) {
                        dli = fmax(dli, c);
                        if (!active[j]) {
                            active[j] = 1;
                            act[nin++] = j;
                        }
                    }
                }
                if (dli < cthr || lpasses > o.maxit)
                    break;
                do {
                    lpasses++;
                    dli = 0;
                    for (size_t l = 0; l < nin; l++) {
                        size_t j = act[l];
                        double c = cd_step(xs + j * n, n, w, wr, &pd, v[j], sa, omal, b + j);
                        dli = fmax(dli, c);
                    }
                } while (dli >= cthr && lpasses <= o.maxit);
                if (lpasses > o.maxit)
                    break;
            }
            cd_flush(&pd, n, w, wr);
            if (lpasses > o.maxit) {
                passes += lpasses;
                if (truncate && k > 0) {
                    path->stopped_at = k + 1;
                    goto truncated;
                }
                rc = rad_error_set("coxnet: no convergence in %d coordinate passes at lambda = %g (index %zu); "
                                   "use a larger lambda, alpha < 1 or a larger maxit", o.maxit, lam, k + 1);
                goto done;
            }
            /* the new quadratic approximation at eta = x b */
            memset(eta, 0, n * sizeof *eta);
            for (size_t l = 0; l < nin; l++)
                if (b[act[l]] != 0)
                    rad_vec_axpy(eta, xs + act[l] * n, b[act[l]], n);
            ll = risk_pass(&cd, ds, eta, e, w, wr, cd.bsum, dn);
            for (size_t l = 0; l < nin && !moved; l++) {
                double d = b[act[l]] - bs[act[l]];
                moved = v[act[l]] * d * d >= cthr;
            }
            if (moved)
                continue;
            /* KKT conditions outside the strong set */
            for (size_t j = 0; j < p; j++) {
                if (strong[j] || !(sd[j] > 0))
                    continue;
                ga[j] = fabs(rad_vec_dot(xs + j * n, wr, n));
                if (ga[j] > sa) {
                    strong[j] = 1;
                    moved = 1;
                }
            }
            if (!moved)
                break;
        }
        passes += lpasses;
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
    path->passes = (size_t)passes;
    rc = 0;
done:
    free(xs);
    free(work);
    free(act);
    free(flag);
    coxdata_free(&cd);
    if (rc < 0)
        rad_coxnet_free(path);
    return rc;
}

int rad_coxnet(const double *x, size_t n, size_t p, const double *time, const double *event,
               const RadCoxnetOptions *opt, RadCoxnetPath *path)
{
    return coxnet_path(x, n, NULL, n, p, time, event, opt, 1, path);
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

/* One fold's job: the training path on the other folds (full-data lambdas)
 * and its deviance differences, written to the fold's own row of raw, so
 * the result does not depend on which thread ran it or when. */
typedef struct FoldCtx {
    const double *x, *time, *event;
    size_t n, p, nlam;
    int nfolds;
    const size_t *fold;
    const double *fev;
    const RadCoxnetOptions *o;
    const CoxData *full;
    double *raw;
    char (*msg)[512];
} FoldCtx;

static int fold_job(size_t f, void *arg)
{
    FoldCtx *c = arg;
    size_t n = c->n, ntr = 0, nlam = c->nlam;
    size_t *rows = rad_malloc(n * sizeof *rows, "cv folds");
    double *ttr = rad_malloc(2 * n * sizeof *ttr, "cv training rows");
    double *eta = rad_malloc(2 * n * sizeof *eta, "cv predictions");
    double *raw = c->raw + f * nlam;
    RadCoxnetPath pf;
    CoxData tr;
    int rc = -1;
    memset(&pf, 0, sizeof pf);
    memset(&tr, 0, sizeof tr);
    if (!rows || !ttr || !eta)
        goto done;
    double *etr = ttr + n, *etatr = eta + n;
    for (size_t i = 0; i < n; i++)
        if (c->fold[i] != f) {
            ttr[ntr] = c->time[i];
            etr[ntr] = c->event[i];
            rows[ntr++] = i;
        }
    if (coxnet_path(c->x, n, rows, ntr, c->p, ttr, etr, c->o, 1, &pf) < 0) {
        rad_error_prefix("coxnet_cv: fold %d of %d", (int)f + 1, c->nfolds);
        goto done;
    }
    if (coxdata_init(&tr, ttr, etr, ntr) < 0)
        goto done;
    for (size_t k = 0; k < nlam; k++) {
        double dfull, dtr;
        if (k >= pf.nlambda) {
            /* past a truncated fold path: missing, as cv.glmnet's NA */
            raw[k] = NAN;
            continue;
        }
        rad_coxnet_predict(&pf, k, c->x, n, eta);
        for (size_t a = 0; a < ntr; a++)
            etatr[a] = eta[rows[a]];
        dfull = 2 * (c->full->lsat - cox_loglik(c->full, eta));
        dtr = 2 * (tr.lsat - cox_loglik(&tr, etatr));
        raw[k] = (dfull - dtr) / c->fev[f];
    }
    rc = 0;
done:
    if (rc < 0)
        snprintf(c->msg[f], sizeof c->msg[f], "%s", rad_error_message());
    free(rows);
    free(ttr);
    free(eta);
    coxdata_free(&tr);
    rad_coxnet_free(&pf);
    return rc;
}

int rad_coxnet_cv(const double *x, size_t n, size_t p, const double *time, const double *event,
                  const RadCoxnetOptions *opt, int nfolds, uint64_t seed, RadCoxnetCV *cv)
{
    RadCoxnetOptions o;
    CoxData full;
    size_t *fold = NULL, nlam;
    double *raw = NULL, *fev = NULL;
    char (*msg)[512] = NULL;
    uint64_t state = seed;
    int rc = -1;

    memset(cv, 0, sizeof *cv);
    memset(&full, 0, sizeof full);
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
    raw = rad_calloc((size_t)nfolds * nlam, sizeof *raw, "cv deviances");
    fev = rad_calloc((size_t)nfolds, sizeof *fev, "cv folds");
    msg = rad_calloc((size_t)nfolds, sizeof *msg, "cv folds");
    cv->lambda = rad_calloc(nlam, sizeof(double), "cv results");
    cv->cvm = rad_calloc(nlam, sizeof(double), "cv results");
    cv->cvsd = rad_calloc(nlam, sizeof(double), "cv results");
    if (!fold || !raw || !fev || !msg || !cv->lambda || !cv->cvm || !cv->cvsd)
        goto done;
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
    {
        /* the folds run in parallel; each writes only its own row of raw */
        FoldCtx ctx = {x, time, event, n, p, nlam, nfolds, fold, fev, &o, &full, raw, msg};
        size_t ran = 0;
        int stopped = rad_pool_run((size_t)nfolds, o.threads, fold_job, &ctx, 1, &ran);
        for (int f = 0; f < nfolds; f++)
            if (msg[f][0]) {
                rad_error_set("%s", msg[f]);
                goto done;
            }
        if (stopped || ran < (size_t)nfolds) {
            rad_error_set("interrupted");
            goto done;
        }
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
    free(raw);
    free(fev);
    free(msg);
    coxdata_free(&full);
    if (rc < 0)
        rad_coxnet_cv_free(cv);
    return rc;
}
