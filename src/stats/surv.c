/* radlab: Kaplan-Meier, log-rank, concordance, time-dependent AUC and Brier score.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kaplan-Meier (Kaplan & Meier 1958): S(t) = prod_{t_k <= t} (1 - d_k / n_k)
 * with Greenwood's variance var(log S) = sum d_k / (n_k (n_k - d_k)); the SE
 * of S is S sqrt(var(log S)) and the CI is S exp(-+ z sqrt(var(log S))),
 * upper capped at 1 (R survival::survfit, conf.type = "log").  The median
 * (and its CI: the same for the lower and the upper curve) is the first time the curve
 * drops to <= 0.5; a curve exactly at 0.5 over an interval gives the midpoint
 * to the next drop (R quantile.survfit).
 *
 * Log-rank (Mantel 1966; R survdiff, rho = 0): at each distinct event time,
 * with n at risk (n_g per group) and d events, E_g += d n_g / n and
 * V_gh += d (n - d) / (n - 1) (n_g / n) (delta_gh - n_h / n);
 * chisq = (O - E)' V^- (O - E) with a generalised inverse (eigenvalues below
 * 1e-10 of the largest dropped), df = the rank of V.  The trend test uses
 * U = w'(O - E), var(U) = w' V w.
 *
 * Concordance (Harrell et al. 1982; Uno et al. 2011, Stat Med 30:1105), as
 * R survival::concordance (Therneau): each comparable pair with event time
 * t_i has weight 1 (Harrell, timewt "n") or 1 / G(t_i-)^2 (Uno, timewt
 * "n/G2"), G the Kaplan-Meier of the censoring distribution taken at the
 * previous distinct time, censorings at a time counted after the deaths at
 * that time (risk set n - d: this reproduces R's values exactly).  C = (concordant + tied/2) / (all comparable).
 * The standard error is the infinitesimal jackknife of Somers' d as in
 * concordancefit: dfbeta_i = (C_i - D_i)/N - d/N (C_i + D_i + T_i), with
 * C_i, D_i, T_i the weighted pairs subject i belongs to, var(C) =
 * sum dfbeta_i^2 / 4.  With fewer than 2 events R uses weight 1 for Uno too.
 *
 * Time-dependent AUC (Heagerty, Lumley & Pepe 2000, cumulative cases /
 * dynamic controls) with inverse-probability-of-censoring weights (Uno et al.
 * 2007; Blanche, Dartigues & Jacqmin-Gadda 2013, R timeROC) and the Brier
 * score with IPCW (Graf, Schmoor, Sauerbrei & Schumacher 1999): G is the
 * ordinary Kaplan-Meier of the censoring times (R survfit(Surv(time,
 * 1 - status) ~ 1)), taken just before an event time and at t for controls.
 * The integrated Brier score (Graf et al. 1999, sec. 4) averages BS(t) over
 * [0, t_k] on the caller's grid with the left-continuous step rule
 * sum_j (t_j - t_{j-1}) BS(t_j) / t_k, t_0 = 0 (see surv.h for why).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>

#include "util/error.h"
#include "stats/surv.h"

int rad_surv_check(const double *time, const double *event, size_t n, const char *what)
{
    if (n == 0)
        return rad_error_set("%s: no subjects", what);
    for (size_t i = 0; i < n; i++) {
        if (isnan(time[i]))
            return rad_error_set("%s: the time of subject %zu is missing; drop such rows first (t:drop_na)", what,
                                 i + 1);
        if (!isfinite(time[i]) || time[i] < 0)
            return rad_error_set("%s: the time of subject %zu is %g; times must be finite and >= 0", what, i + 1,
                                 time[i]);
        if (isnan(event[i]))
            return rad_error_set("%s: the event of subject %zu is missing; drop such rows first (t:drop_na)", what,
                                 i + 1);
        if (event[i] != 0 && event[i] != 1)
            return rad_error_set("%s: the event of subject %zu is %g; code events as 1 (event) and 0 (censored)",
                                 what, i + 1, event[i]);
    }
    return 0;
}

/* Subject indices sorted by time, ascending (no global state: thread-safe). */
typedef struct TimeIdx {
    double t;
    size_t i;
} TimeIdx;

static int cmp_time(const void *a, const void *b)
{
    const TimeIdx *x = a, *y = b;
    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    return (x->i > y->i) - (x->i < y->i);
}

static size_t *order_by_time(const double *time, size_t n)
{
    size_t *o = rad_malloc(n * sizeof *o, "survival order");
    TimeIdx *p = rad_malloc(n * sizeof *p, "survival order");
    if (!o || !p) {
        free(o);
        free(p);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        p[i].t = time[i];
        p[i].i = i;
    }
    qsort(p, n, sizeof *p, cmp_time);
    for (size_t i = 0; i < n; i++)
        o[i] = p[i].i;
    free(p);
    return o;
}

/* ---- Kaplan-Meier ------------------------------------------------------------ */

void rad_km_free(RadKm *km)
{
    if (!km)
        return;
    free(km->time);
    free(km->n_risk);
    free(km->n_event);
    free(km->n_censor);
    free(km->surv);
    free(km->se);
    free(km->lower);
    free(km->upper);
    memset(km, 0, sizeof *km);
}

/* First time the step curve v drops to <= 0.5 (midpoint rule for a flat 0.5). */
static double km_quantile(const RadKm *km, const double *v)
{
    const double eps = sqrt(DBL_EPSILON);
    for (size_t k = 0; k < km->m; k++) {
        if (isnan(v[k]) || v[k] > 0.5 + eps)
            continue;
        if (fabs(v[k] - 0.5) < eps) {
            for (size_t j = k + 1; j < km->m; j++)
                if (!isnan(v[j]) && v[j] < v[k] - eps)
                    return (km->time[k] + km->time[j]) / 2;
        }
        return km->time[k];
    }
    return NAN;
}

int rad_km_fit(const double *time, const double *event, size_t n, double conf, RadKm *km)
{
    size_t *o, m = 0;
    double z, S = 1, gw = 0;
    memset(km, 0, sizeof *km);
    if (!(conf > 0 && conf < 1))
        return rad_error_set("rad_km_fit: conf must be between 0 and 1 (e.g. 0.95), got %g", conf);
    if (rad_surv_check(time, event, n, "Kaplan-Meier") < 0)
        return -1;
    if (!(o = order_by_time(time, n)))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || time[o[i]] != time[o[i - 1]])
            m++;
    double **arrs[] = {&km->time, &km->n_risk, &km->n_event, &km->n_censor,
                       &km->surv, &km->se,     &km->lower,   &km->upper};
    for (size_t a = 0; a < sizeof arrs / sizeof arrs[0]; a++) {
        if (!(*arrs[a] = rad_calloc(m, sizeof(double), "Kaplan-Meier curve"))) {
            free(o);
            rad_km_free(km);
            return -1;
        }
    }
    km->n = n;
    km->m = m;
    km->conf = conf;
    z = gsl_cdf_ugaussian_Pinv(0.5 + conf / 2);
    size_t i = 0, k = 0;
    while (i < n) {
        double t = time[o[i]], d = 0, c = 0, nr = (double)(n - i);
        for (; i < n && time[o[i]] == t; i++) {
            if (event[o[i]] == 1)
                d++;
            else
                c++;
        }
        km->time[k] = t;
        km->n_risk[k] = nr;
        km->n_event[k] = d;
        km->n_censor[k] = c;
        km->events += (size_t)d;
        if (d > 0) {
            S *= 1 - d / nr;
            gw = d < nr ? gw + d / (nr * (nr - d)) : INFINITY;
        }
        km->surv[k] = S;
        if (S > 0) {
            double s = sqrt(gw);
            km->se[k] = S * s;
            km->lower[k] = S * exp(-z * s);
            km->upper[k] = fmin(1.0, S * exp(z * s));
        } else {
            km->se[k] = 0;
            km->lower[k] = km->upper[k] = NAN;
        }
        k++;
    }
    free(o);
    km->median = km_quantile(km, km->surv);
    km->median_lower = km_quantile(km, km->lower);
    km->median_upper = km_quantile(km, km->upper);
    return 0;
}

void rad_km_at(const RadKm *km, double t, RadKmPoint *p)
{
    size_t lo = 0, hi = km->m; /* first index with time > t */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (km->time[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) {
        p->surv = 1;
        p->se = 0;
        p->lower = p->upper = 1;
    } else {
        p->surv = km->surv[lo - 1];
        p->se = km->se[lo - 1];
        p->lower = km->lower[lo - 1];
        p->upper = km->upper[lo - 1];
    }
    /* at risk at t: subjects with time >= t */
    if (lo > 0 && km->time[lo - 1] == t)
        p->n_risk = km->n_risk[lo - 1];
    else if (lo < km->m)
        p->n_risk = km->n_risk[lo];
    else
        p->n_risk = 0;
    if (isnan(t))
        p->surv = p->se = p->lower = p->upper = p->n_risk = NAN;
}

/* ---- log-rank ------------------------------------------------------------------ */

void rad_logrank_free(RadLogrank *r)
{
    if (!r)
        return;
    free(r->n);
    free(r->observed);
    free(r->expected);
    free(r->var);
    memset(r, 0, sizeof *r);
}

/* z' V^- z with the Moore-Penrose inverse of symmetric V (k x k); *rank out. */
static int quad_ginv(const double *V, const double *zv, size_t k, double *q, size_t *rank)
{
    gsl_matrix *A = gsl_matrix_alloc(k, k), *U = gsl_matrix_alloc(k, k);
    gsl_vector *ev = gsl_vector_alloc(k);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(k);
    int rc = 0;
    if (!A || !U || !ev || !w) {
        rc = rad_error_set("log-rank: out of memory");
        goto done;
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++)
            gsl_matrix_set(A, a, b, V[a * k + b]);
    gsl_eigen_symmv(A, ev, U, w);
    double lmax = 0;
    for (size_t a = 0; a < k; a++)
        lmax = fmax(lmax, gsl_vector_get(ev, a));
    *q = 0;
    *rank = 0;
    for (size_t a = 0; a < k; a++) {
        double l = gsl_vector_get(ev, a), u = 0;
        if (!(l > 1e-10 * lmax) || l <= 0)
            continue;
        for (size_t b = 0; b < k; b++)
            u += gsl_matrix_get(U, b, a) * zv[b];
        *q += u * u / l;
        (*rank)++;
    }
done:
    gsl_eigen_symmv_free(w);
    gsl_vector_free(ev);
    gsl_matrix_free(U);
    gsl_matrix_free(A);
    return rc;
}

int rad_logrank(const double *time, const double *event, const int *group, size_t n, size_t k,
                const double *scores, RadLogrank *r)
{
    size_t *o = NULL;
    double *nrisk = NULL, *dg = NULL, *zv = NULL;
    int rc = -1;
    memset(r, 0, sizeof *r);
    if (rad_surv_check(time, event, n, "log-rank") < 0)
        return -1;
    if (k < 2)
        return rad_error_set("log-rank: needs at least 2 groups, got %zu", k);
    for (size_t i = 0; i < n; i++)
        if (group[i] < 0 || (size_t)group[i] >= k)
            return rad_error_set("log-rank: the group of subject %zu is %d, outside 0..%zu", i + 1, group[i], k - 1);
    r->k = k;
    r->n = rad_calloc(k, sizeof(double), "log-rank");
    r->observed = rad_calloc(k, sizeof(double), "log-rank");
    r->expected = rad_calloc(k, sizeof(double), "log-rank");
    r->var = rad_calloc(k * k, sizeof(double), "log-rank");
    nrisk = rad_calloc(k, sizeof(double), "log-rank");
    dg = rad_calloc(k, sizeof(double), "log-rank");
    zv = rad_calloc(k, sizeof(double), "log-rank");
    if (!r->n || !r->observed || !r->expected || !r->var || !nrisk || !dg || !zv || !(o = order_by_time(time, n)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        r->n[group[i]]++;
        nrisk[group[i]]++;
    }
    double total_events = 0;
    size_t i = 0;
    while (i < n) {
        double t = time[o[i]], d = 0, nr = (double)(n - i);
        size_t start = i;
        memset(dg, 0, k * sizeof *dg);
        for (; i < n && time[o[i]] == t; i++) {
            if (event[o[i]] == 1) {
                d++;
                dg[group[o[i]]]++;
            }
        }
        if (d > 0) {
            total_events += d;
            for (size_t g = 0; g < k; g++) {
                r->observed[g] += dg[g];
                r->expected[g] += d * nrisk[g] / nr;
            }
            if (nr > 1) {
                double f = d * (nr - d) / (nr - 1);
                for (size_t g = 0; g < k; g++)
                    for (size_t h = 0; h < k; h++)
                        r->var[g * k + h] += f * (nrisk[g] / nr) * ((g == h) - nrisk[h] / nr);
            }
        }
        for (size_t j = start; j < i; j++)
            nrisk[group[o[j]]]--;
    }
    if (total_events == 0) {
        rad_error_set("log-rank: there are no events (every subject is censored); the test needs at least one");
        goto out;
    }
    for (size_t g = 0; g < k; g++)
        zv[g] = r->observed[g] - r->expected[g];
    if (scores) {
        double u = 0, v = 0;
        for (size_t g = 0; g < k; g++) {
            if (!isfinite(scores[g])) {
                rad_error_set("log-rank trend: the score of group %zu is not a finite number", g + 1);
                goto out;
            }
            u += scores[g] * zv[g];
            for (size_t h = 0; h < k; h++)
                v += scores[g] * r->var[g * k + h] * scores[h];
        }
        if (!(v > 0)) {
            rad_error_set("log-rank trend: the variance of the trend statistic is 0 (all events in one group at "
                          "each time, or equal scores); the test is undefined");
            goto out;
        }
        r->chisq = u * u / v;
        r->df = 1;
    } else {
        size_t rank = 0;
        if (quad_ginv(r->var, zv, k, &r->chisq, &rank) < 0)
            goto out;
        if (rank == 0) {
            rad_error_set("log-rank: the variance is 0 (no event time with 2 or more subjects at risk); the test "
                          "is undefined");
            goto out;
        }
        r->df = (double)rank;
    }
    r->p = gsl_cdf_chisq_Q(r->chisq, r->df);
    rc = 0;
out:
    free(o);
    free(nrisk);
    free(dg);
    free(zv);
    if (rc < 0)
        rad_logrank_free(r);
    return rc;
}

/* ---- concordance --------------------------------------------------------------- */

/* A Fenwick (binary indexed) tree over the score ranks 1..m: point add and
 * prefix sum in O(log m), so the pair counts take O(n log n) instead of
 * comparing all pairs. */
static void fen_add(double *tree, size_t m, size_t r, double v)
{
    for (; r <= m; r += r & (~r + 1))
        tree[r] += v;
}

static double fen_sum(const double *tree, size_t r)
{
    double s = 0;
    for (; r > 0; r -= r & (~r + 1))
        s += tree[r];
    return s;
}

/* One weighted concordance with its infinitesimal-jackknife SE.  w[i] is the
 * weight of pairs whose event is subject i; o orders the subjects by time,
 * rank[i] in 1..m is the rank of score[i] among the distinct scores; tree is
 * m + 1 doubles of work space.  With counts set the (w-weighted) totals of
 * concordant, discordant and score-tied pairs are returned there.
 *
 * Pass 1 (times decreasing) gives each event i its pairs: the subjects
 * already in the tree when i is queried are exactly those comparable with it
 * (later times, and censorings at its own time, inserted before its query).
 * Pass 2 (times increasing) gives each subject j the weights of the events i
 * it is comparable with (earlier events, and for a censored j the events at
 * its own time). */
static void concord_pass(const double *time, const double *event, const size_t *rank, size_t m, const size_t *o,
                         size_t n, const double *w, double *tree, double *infl, double *cstat, double *se,
                         double *counts)
{
    double C = 0, D = 0, Tt = 0, tot = 0;
    memset(infl, 0, 3 * n * sizeof *infl); /* per subject: concordant, discordant, tied */
    memset(tree, 0, (m + 1) * sizeof *tree);
    for (size_t e = n; e > 0;) {
        size_t s = e;
        double t = time[o[e - 1]];
        while (s > 0 && time[o[s - 1]] == t)
            s--;
        for (size_t a = s; a < e; a++)
            if (event[o[a]] != 1) {
                fen_add(tree, m, rank[o[a]], 1);
                tot += 1;
            }
        for (size_t a = s; a < e; a++) {
            size_t i = o[a];
            if (event[i] != 1 || w[i] == 0)
                continue;
            double lo = fen_sum(tree, rank[i] - 1), le = fen_sum(tree, rank[i]);
            double nc = lo, nt = le - lo, nd = tot - le;
            infl[3 * i] += w[i] * nc;
            infl[3 * i + 1] += w[i] * nd;
            infl[3 * i + 2] += w[i] * nt;
            C += w[i] * nc;
            D += w[i] * nd;
            Tt += w[i] * nt;
        }
        for (size_t a = s; a < e; a++)
            if (event[o[a]] == 1) {
                fen_add(tree, m, rank[o[a]], 1);
                tot += 1;
            }
        e = s;
    }
    if (counts) {
        counts[0] = C;
        counts[1] = D;
        counts[2] = Tt;
    }
    double N = C + D + Tt;
    if (!(N > 0)) {
        *cstat = *se = NAN;
        return;
    }
    memset(tree, 0, (m + 1) * sizeof *tree);
    tot = 0;
    for (size_t s = 0; s < n;) {
        size_t e = s;
        double t = time[o[s]];
        while (e < n && time[o[e]] == t)
            e++;
        for (int pass = 0; pass < 2; pass++) {
            /* events first (before this time's events enter), then censorings */
            for (size_t a = s; a < e; a++) {
                size_t j = o[a];
                if ((event[j] == 1) != (pass == 0))
                    continue;
                double lo = fen_sum(tree, rank[j] - 1), le = fen_sum(tree, rank[j]);
                infl[3 * j] += tot - le;  /* events with a higher score */
                infl[3 * j + 1] += lo;    /* events with a lower score */
                infl[3 * j + 2] += le - lo;
            }
            if (pass == 0)
                for (size_t a = s; a < e; a++) {
                    size_t i = o[a];
                    if (event[i] == 1 && w[i] != 0) {
                        fen_add(tree, m, rank[i], w[i]);
                        tot += w[i];
                    }
                }
        }
        s = e;
    }
    double somer = (C - D) / N, v = 0;
    for (size_t i = 0; i < n; i++) {
        double f = (infl[3 * i] - infl[3 * i + 1]) / N
                   - (somer / N) * (infl[3 * i] + infl[3 * i + 1] + infl[3 * i + 2]);
        v += f * f;
    }
    *cstat = (somer + 1) / 2;
    *se = sqrt(v / 4);
}

int rad_concordance(const double *time, const double *event, const double *score, size_t n, double tau,
                    RadConcordance *c)
{
    size_t *o = NULL, *so = NULL, *rank = NULL, m = 0;
    double *w = NULL, *infl = NULL, *tree = NULL, counts[3];
    int rc = -1;
    memset(c, 0, sizeof *c);
    if (rad_surv_check(time, event, n, "concordance") < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(score[i]))
            return rad_error_set("concordance: the score of subject %zu is %s; scores must be finite numbers",
                                 i + 1, isnan(score[i]) ? "missing" : "infinite");
    if (isnan(tau) || tau <= 0)
        tau = INFINITY;
    c->n = n;
    c->tau = tau;
    for (size_t i = 0; i < n; i++)
        c->events += event[i] == 1;
    w = rad_malloc(n * sizeof *w, "concordance");
    infl = rad_malloc(3 * n * sizeof *infl, "concordance");
    rank = rad_malloc(n * sizeof *rank, "concordance");
    tree = rad_malloc((n + 1) * sizeof *tree, "concordance");
    if (!w || !infl || !rank || !tree || !(o = order_by_time(time, n)) || !(so = order_by_time(score, n)))
        goto out;
    for (size_t a = 0; a < n; a++) {
        if (a == 0 || score[so[a]] != score[so[a - 1]])
            m++;
        rank[so[a]] = m;
    }
    /* pairs of events at the same time (within tau): not comparable */
    for (size_t s = 0; s < n;) {
        size_t e = s;
        double d = 0;
        while (e < n && time[o[e]] == time[o[s]])
            d += event[o[e++]] == 1;
        if (time[o[s]] <= tau)
            c->tied_time += d * (d - 1) / 2;
        s = e;
    }
    for (size_t i = 0; i < n; i++)
        w[i] = time[i] > tau ? 0 : 1;
    concord_pass(time, event, rank, m, o, n, w, tree, infl, &c->harrell, &c->harrell_se, counts);
    /* with unit weights the totals are the unweighted pair counts */
    c->concordant = counts[0];
    c->discordant = counts[1];
    c->tied_score = counts[2];
    c->comparable = c->concordant + c->discordant + c->tied_score;
    if (c->comparable == 0) {
        rad_error_set("concordance: no comparable pairs (%zu events of %zu subjects%s); needs an event followed "
                      "by a longer time",
                      c->events, n, c->events == 0 ? ": all censored" : "");
        goto out;
    }
    /* censoring Kaplan-Meier G, taken just before each distinct time */
    if (c->events >= 2) {
        double G = 1;
        size_t i = 0;
        while (i < n) {
            double t = time[o[i]], cens = 0, dead = 0, nr = (double)(n - i);
            size_t start = i;
            for (; i < n && time[o[i]] == t; i++) {
                cens += event[o[i]] == 0;
                dead += event[o[i]] == 1;
            }
            for (size_t j = start; j < i; j++) {
                size_t s = o[j];
                double wt = G > 0 ? 1 / (G * G) : 0;
                w[s] = time[s] > tau || !isfinite(wt) ? 0 : wt;
            }
            /* censorings at t follow the deaths at t: risk set n - d */
            if (cens > 0)
                G *= 1 - cens / (nr - dead);
        }
    }
    concord_pass(time, event, rank, m, o, n, w, tree, infl, &c->uno, &c->uno_se, NULL);
    rc = 0;
out:
    free(o);
    free(so);
    free(rank);
    free(tree);
    free(w);
    free(infl);
    return rc;
}

/* ---- time-dependent accuracy ----------------------------------------------------- */

/* G(u) (left = 0) or G(u-) (left = 1) of a censoring Kaplan-Meier. */
static double km_value(const RadKm *g, double u, int left)
{
    size_t lo = 0, hi = g->m; /* first index with time > u (>= u when left) */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (left ? g->time[mid] < u : g->time[mid] <= u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? 1 : g->surv[lo - 1];
}

/* The censoring Kaplan-Meier (events and censorings swapped). */
static int censoring_km(const double *time, const double *event, size_t n, RadKm *g)
{
    double *flip = rad_malloc(n * sizeof *flip, "censoring distribution");
    if (!flip)
        return -1;
    for (size_t i = 0; i < n; i++)
        flip[i] = 1 - event[i];
    int rc = rad_km_fit(time, flip, n, 0.95, g);
    free(flip);
    return rc;
}

static int check_time_point(double t, const char *what)
{
    if (!isfinite(t) || t < 0)
        return rad_error_set("%s: the time point must be a finite number >= 0, got %g", what, t);
    return 0;
}

int rad_td_auc(const double *time, const double *event, const double *score, size_t n, double t, double *auc,
               size_t *ncases, size_t *ncontrols)
{
    /* One definition of the estimator (compare.c), with its weights as R's
     * timeROC / riskRegression Score. */
    RadTdAucCompare r;
    int rc = rad_td_auc_compare(time, event, score, NULL, n, t, 0.95, &r);
    *auc = rc < 0 ? NAN : r.auc1;
    if (ncases)
        *ncases = r.cases;
    if (ncontrols)
        *ncontrols = r.controls;
    return rc;
}

int rad_brier(const double *time, const double *event, const double *prob, size_t n, double t, double *bs)
{
    RadKm g;
    *bs = NAN;
    if (rad_surv_check(time, event, n, "Brier score") < 0 || check_time_point(t, "Brier score") < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!(prob[i] >= 0 && prob[i] <= 1))
            return rad_error_set("Brier score: the predicted survival of subject %zu is %g; it must be a "
                                 "probability in [0, 1]", i + 1, prob[i]);
    if (censoring_km(time, event, n, &g) < 0)
        return -1;
    double Gt = km_value(&g, t, 0), sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (event[i] == 1 && time[i] <= t) {
            double G = km_value(&g, time[i], 1);
            if (G > 0)
                sum += prob[i] * prob[i] / G;
        } else if (time[i] > t) {
            if (!(Gt > 0)) {
                rad_km_free(&g);
                return rad_error_set("Brier score at t = %g: the censoring survival is 0 at t", t);
            }
            sum += (1 - prob[i]) * (1 - prob[i]) / Gt;
        }
    }
    rad_km_free(&g);
    *bs = sum / (double)n;
    return 0;
}

int rad_brier_times(const double *time, const double *event, const double *prob, size_t n, const double *times,
                    size_t k, double *bs, double *ibs)
{
    *ibs = NAN;
    if (k == 0)
        return rad_error_set("integrated Brier score: no time points; give at least one time");
    for (size_t j = 0; j < k; j++) {
        if (!(isfinite(times[j]) && times[j] > 0))
            return rad_error_set("integrated Brier score: time point %zu is %g; the times must be finite and > 0",
                                 j + 1, times[j]);
        if (j > 0 && !(times[j] > times[j - 1]))
            return rad_error_set("integrated Brier score: time point %zu (%g) is not after time point %zu (%g); "
                                 "the times must be strictly increasing", j + 1, times[j], j, times[j - 1]);
    }
    double sum = 0, prev = 0;
    for (size_t j = 0; j < k; j++) {
        if (rad_brier(time, event, prob + j * n, n, times[j], &bs[j]) < 0) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", rad_error_message());
            return rad_error_set("%s (time point %zu, t = %g)", msg, j + 1, times[j]);
        }
        /* left-continuous step: BS(t_j) on (t_{j-1}, t_j], t_0 = 0 */
        sum += (times[j] - prev) * bs[j];
        prev = times[j];
    }
    *ibs = sum / times[k - 1];
    return 0;
}
