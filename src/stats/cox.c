/* radlab: the Cox proportional-hazards model.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Partial likelihood (Cox 1972) over risk sets processed from the latest time
 * backwards, so that the risk-set sums S0 = sum w r, S1 = sum w r x and
 * S2 = sum w r x x' (r = exp(eta)) grow as time decreases.  At an event time
 * with d tied events (weights w_e, mean weight m = sum w_e / d):
 *   Breslow: l -= sum w_e * log S0,  U -= sum w_e S1/S0,
 *            I += sum w_e (S2/S0 - a a'), a = S1/S0;
 *   Efron:   for k = 0..d-1, f = k/d, with D0 = S0 - f S0e, D1 = S1 - f S1e,
 *            D2 = S2 - f S2e (the e-sums over the tied events):
 *            l -= m log D0,  U -= m D1/D0,  I += m (D2/D0 - a a'), a = D1/D0;
 * plus l += sum w_e eta_e, U += sum w_e x_e for the events themselves
 * (Therneau & Grambsch 2000, sect. 3.3; R survival's coxph with its
 * documented defaults).  Covariates are centred at their weighted means first,
 * which leaves the likelihood unchanged and keeps exp() in range.
 *
 * Newton-Raphson starts at beta = 0, as coxph: a step that lowers the
 * log-likelihood is halved (towards the previous estimate); iteration stops
 * when |1 - l_old / l_new| <= eps (1e-9) without halving, or after max_iter
 * (20) iterations.  The information matrix is factored with a Cholesky
 * decomposition that sets near-zero pivots to zero (as coxph's cholesky2).
 *
 * Tests: Wald beta' I beta, score U(0)' I(0)^-1 U(0), likelihood ratio
 * 2 (l - l0), each chi-square with p df (gsl_cdf_chisq_Q).  Monotone
 * likelihood: coxph's check that the final Newton step |V U| is not
 * negligible against |beta| (tolerance sqrt(eps)); it is reported as a
 * warning naming the variable.
 *
 * Baseline hazard (survfit.coxph, Breslow/Nelson-Aalen type): at each event
 * time dH = sum w_e / S0 (Breslow) or sum_k m / (S0 - f S0e) (Efron), with
 * r = exp(beta'(x - means)).
 *
 * Proportional hazards (survival 3.x cox.zph, Grambsch & Therneau 1994,
 * Biometrika 81:515): the score test, at (beta, 0), of adding x * g(t) with
 * g = 1 - KM(t-) centred over the events; per covariate 1 df, global p df.
 * For plotting, cox.zph's x (= g, uncentred), time and y: the Schoenfeld
 * residual of each death, x_e - xbar(t_e) (Efron: xbar averaged over the d
 * Efron steps, as residuals.coxph), scaled as y = coef + d var r
 * (Grambsch & Therneau 1994, eq. 2 with var(r) ~ I / d).
 *
 * Harrell's C: Harrell et al. (1996, Stat Med 15:361), with survival::concordance's
 * handling of ties, counted with a Fenwick tree over score ranks.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "stats/cox.h"
#include "stats/models.h"
#include "util/error.h"

void rad_cox_options_default(RadCoxOptions *o)
{
    o->ties = RAD_COX_EFRON;
    o->max_iter = 20;
    o->eps = 1e-9;
    o->robust = -1;
}

void rad_cox_free(RadCoxFit *f)
{
    if (!f)
        return;
    free(f->coef);
    free(f->se);
    free(f->z);
    free(f->pval);
    free(f->hr);
    free(f->hr_lower);
    free(f->hr_upper);
    free(f->var);
    free(f->naive_var);
    free(f->means);
    free(f->base_stratum);
    free(f->base_time);
    free(f->base_cumhaz);
    free(f->zph_chisq);
    free(f->zph_p);
    free(f->zph_time);
    free(f->zph_x);
    free(f->zph_resid);
    free(f->zph_y);
    memset(f, 0, sizeof *f);
}

/* ---- ordering ------------------------------------------------------------------------ */

/* Sorting by LSD radix sort on 64-bit keys (8-bit digits, stable, digits
 * shared by every key skipped): O(n) per digit where a comparison sort of
 * 1e5 rows spends most of a Cox fit's set-up in its comparator. */

/* An unsigned key with the order of the double v (-0 and +0 equal). */
static uint64_t key_of(double v)
{
    uint64_t u;
    if (v == 0)
        v = 0;
    memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : (u | 0x8000000000000000ULL);
}

/* Stable sort of idx[0..n) by key[idx] ascending; tmp and ktmp are n-long work. */
static void radix_sort(uint64_t *key, size_t *idx, uint64_t *ktmp, size_t *tmp, size_t n)
{
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[257];
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[((key[i] >> shift) & 0xff) + 1]++;
        int trivial = 0;
        for (int d = 1; d <= 256; d++)
            trivial |= count[d] == n;
        if (trivial)
            continue;
        for (int d = 1; d <= 256; d++)
            count[d] += count[d - 1];
        for (size_t i = 0; i < n; i++) {
            size_t pos = count[(key[i] >> shift) & 0xff]++;
            ktmp[pos] = key[i];
            tmp[pos] = idx[i];
        }
        memcpy(key, ktmp, n * sizeof *key);
        memcpy(idx, tmp, n * sizeof *idx);
    }
}

/* Row indices in the order stratum ascending, then time descending, then
 * index (a stable order); NULL when out of memory.  With score set, by score
 * ascending instead (time and strata unused). */
static size_t *order_rows(const double *time, const int *strata, const double *score, size_t n)
{
    size_t m = n ? n : 1;
    size_t *ord = rad_malloc(m * sizeof *ord, "Cox ordering");
    size_t *tmp = rad_malloc(m * sizeof *tmp, "Cox ordering");
    uint64_t *key = rad_malloc(2 * m * sizeof *key, "Cox ordering");
    if (!ord || !tmp || !key) {
        free(ord);
        free(tmp);
        free(key);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        ord[i] = i;
        key[i] = score ? key_of(score[i]) : ~key_of(time[i]);
    }
    radix_sort(key, ord, key + m, tmp, n);
    if (strata && !score) {
        for (size_t i = 0; i < n; i++)
            key[i] = (uint64_t)((uint32_t)strata[ord[i]] ^ 0x80000000u);
        radix_sort(key, ord, key + m, tmp, n);
    }
    free(tmp);
    free(key);
    return ord;
}

static size_t *order_desc(const double *time, const int *strata, size_t n)
{
    return order_rows(time, strata, NULL, n);
}

/* ---- Cholesky with zeroed near-singular pivots ----------------------------------------- */

/* a (p x p, symmetric, row-major) is overwritten by L (lower) with unit
 * diagonal and the pivots D in the diagonal (LDL').  Returns the rank. */
static int chol2(double *a, size_t p, double toler)
{
    double eps = 0;
    int rank = 0;
    for (size_t i = 0; i < p; i++)
        if (fabs(a[i * p + i]) > eps)
            eps = fabs(a[i * p + i]);
    eps *= toler;
    for (size_t i = 0; i < p; i++) {
        double piv = a[i * p + i];
        if (!(piv > eps)) {
            for (size_t j = i; j < p; j++)
                a[j * p + i] = 0;
            continue;
        }
        rank++;
        for (size_t j = i + 1; j < p; j++) {
            double t = a[j * p + i] / piv;
            a[j * p + j] -= t * t * piv;
            for (size_t k = j + 1; k < p; k++)
                a[k * p + j] -= t * a[k * p + i];
            a[j * p + i] = t;
        }
    }
    return rank;
}

/* Solve (L D L') y = b in place; zero pivots give zero components. */
static void chol2_solve(const double *a, size_t p, double *b)
{
    for (size_t i = 0; i < p; i++)
        for (size_t k = 0; k < i; k++)
            b[i] -= a[i * p + k] * b[k];
    for (size_t i = 0; i < p; i++)
        b[i] = a[i * p + i] == 0 ? 0 : b[i] / a[i * p + i];
    for (size_t i = p; i-- > 0;)
        for (size_t k = i + 1; k < p; k++)
            b[i] -= a[k * p + i] * b[k];
}

/* Inverse from the factor (columns of zero pivots stay zero). */
static void chol2_inverse(const double *a, size_t p, double *inv, double *work)
{
    for (size_t j = 0; j < p; j++) {
        memset(work, 0, p * sizeof *work);
        work[j] = 1;
        chol2_solve(a, p, work);
        for (size_t i = 0; i < p; i++)
            inv[i * p + j] = work[i];
    }
}

/* ---- one pass over the risk sets -------------------------------------------------------- */

typedef struct Work {
    size_t n, p;
    const size_t *ord;
    const double *xs;      /* n x p row-major, sorted, centred */
    const double *ts, *ds, *ws;
    const int *ss;         /* sorted strata or NULL */
    int efron;
    double *eta, *r;
    double *s1, *s2, *e1, *e2, *a, *rx;
} Work;

/* pass() is one of the RAD_HOT loops (stats/models.h). */

/* Log-likelihood, score u and information imat (row-major) at beta: one
 * sweep over the rows sorted by decreasing time, the risk-set sums S0, S1,
 * S2 growing as it goes (no allocation: wk holds the work space). */
RAD_HOT static double pass(Work *wk, const double *beta, double *u, double *imat)
{
    const size_t n = wk->n, p = wk->p;
    const double *restrict xs = wk->xs, *restrict ts = wk->ts, *restrict ds = wk->ds, *restrict ws = wk->ws;
    const int *ss = wk->ss;
    double *restrict eta = wk->eta, *restrict r = wk->r, *restrict s1 = wk->s1, *restrict s2 = wk->s2,
           *restrict e1 = wk->e1, *restrict e2 = wk->e2, *restrict a = wk->a, *restrict rx = wk->rx;
    const int efron = wk->efron;
    double ll = 0;
    for (size_t i = 0; i < n; i++) {
        double e = 0;
        for (size_t j = 0; j < p; j++)
            e += beta[j] * xs[i * p + j];
        eta[i] = e;
        r[i] = ws[i] * exp(e);
    }
    memset(u, 0, p * sizeof *u);
    memset(imat, 0, p * p * sizeof *imat);
    double s0 = 0;
    for (size_t i = 0; i < n;) {
        if (i == 0 || (ss && ss[i] != ss[i - 1])) {
            s0 = 0;
            memset(s1, 0, p * sizeof(double));
            memset(s2, 0, p * p * sizeof(double));
        }
        size_t k = i;
        double t = ts[i], e0 = 0, wd = 0;
        int d = 0;
        memset(e1, 0, p * sizeof(double));
        memset(e2, 0, p * p * sizeof(double));
        while (k < n && ts[k] == t && (!ss || ss[k] == ss[i])) {
            const double *restrict xk = xs + k * p;
            double rk = r[k];
            s0 += rk;
            for (size_t j = 0; j < p; j++)
                rx[j] = rk * xk[j];
            for (size_t j = 0; j < p; j++) {
                double *restrict s2j = s2 + j * p, rxj = rx[j];
                s1[j] += rxj;
                for (size_t l = 0; l <= j; l++)
                    s2j[l] += rxj * xk[l];
            }
            if (ds[k] != 0) {
                d++;
                wd += ws[k];
                ll += ws[k] * eta[k];
                e0 += rk;
                for (size_t j = 0; j < p; j++) {
                    double *restrict e2j = e2 + j * p, rxj = rx[j];
                    u[j] += ws[k] * xk[j];
                    e1[j] += rxj;
                    for (size_t l = 0; l <= j; l++)
                        e2j[l] += rxj * xk[l];
                }
            }
            k++;
        }
        if (d > 0) {
            int steps = efron ? d : 1;
            double m = efron ? wd / d : wd;
            for (int q = 0; q < steps; q++) {
                double f = efron ? (double)q / d : 0;
                double den = s0 - f * e0;
                ll -= m * log(den);
                for (size_t j = 0; j < p; j++) {
                    a[j] = (s1[j] - f * e1[j]) / den;
                    u[j] -= m * a[j];
                }
                for (size_t j = 0; j < p; j++) {
                    const double *restrict s2j = s2 + j * p, *restrict e2j = e2 + j * p;
                    double *restrict ij = imat + j * p, aj = a[j];
                    for (size_t l = 0; l <= j; l++)
                        ij[l] += m * ((s2j[l] - f * e2j[l]) / den - aj * a[l]);
                }
            }
        }
        i = k;
    }
    for (size_t j = 0; j < p; j++)
        for (size_t l = 0; l < j; l++)
            imat[l * p + j] = imat[j * p + l];
    return ll;
}

/* ---- proportional-hazards test (cox.zph) ------------------------------------------------- */

/* Score test of adding x * g(t) to the model at (beta, 0) (Grambsch & Therneau
 * 1994; survival 3.x cox.zph): per event-time group k with risk-set score
 * contribution u_k and information I_k (Efron-adjusted as in pass()), at the
 * estimate: U_g = sum g_k u_k, I_xg = sum g_k I_k, I_gg = sum g_k^2 I_k.
 * Uses wk->r from the last pass.  g is indexed in the sorted order. */
static int zph_pass(Work *wk, const double *g, double *ug, double *ixg, double *igg, double *res, const size_t *posn,
                    size_t nev)
{
    size_t ne = 0;
    size_t n = wk->n, p = wk->p;
    double *uk = rad_malloc((p + p * p) * sizeof(double), "cox.zph");
    if (!uk)
        return -1;
    double *ik = uk + p;
    memset(ug, 0, p * sizeof *ug);
    memset(ixg, 0, p * p * sizeof *ixg);
    memset(igg, 0, p * p * sizeof *igg);
    double s0 = 0;
    for (size_t i = 0; i < n;) {
        if (i == 0 || (wk->ss && wk->ss[i] != wk->ss[i - 1])) {
            s0 = 0;
            memset(wk->s1, 0, p * sizeof(double));
            memset(wk->s2, 0, p * p * sizeof(double));
        }
        size_t k = i;
        double t = wk->ts[i], e0 = 0, wd = 0;
        int d = 0;
        memset(wk->e1, 0, p * sizeof(double));
        memset(wk->e2, 0, p * p * sizeof(double));
        memset(uk, 0, (p + p * p) * sizeof(double));
        while (k < n && wk->ts[k] == t && (!wk->ss || wk->ss[k] == wk->ss[i])) {
            const double *xk = wk->xs + k * p;
            double rk = wk->r[k];
            s0 += rk;
            for (size_t j = 0; j < p; j++) {
                wk->s1[j] += rk * xk[j];
                for (size_t l = 0; l <= j; l++)
                    wk->s2[j * p + l] += rk * xk[j] * xk[l];
            }
            if (wk->ds[k] != 0) {
                d++;
                wd += wk->ws[k];
                e0 += rk;
                for (size_t j = 0; j < p; j++) {
                    uk[j] += wk->ws[k] * xk[j];
                    wk->e1[j] += rk * xk[j];
                    for (size_t l = 0; l <= j; l++)
                        wk->e2[j * p + l] += rk * xk[j] * xk[l];
                }
            }
            k++;
        }
        if (d > 0) {
            int steps = wk->efron ? d : 1;
            double m = wk->efron ? wd / d : wd, gk = g[i];
            for (int q = 0; q < steps; q++) {
                double f = wk->efron ? (double)q / d : 0;
                double den = s0 - f * e0;
                for (size_t j = 0; j < p; j++) {
                    wk->a[j] = (wk->s1[j] - f * wk->e1[j]) / den;
                    uk[j] -= m * wk->a[j];
                }
                for (size_t j = 0; j < p; j++)
                    for (size_t l = 0; l <= j; l++)
                        ik[j * p + l] += m * ((wk->s2[j * p + l] - f * wk->e2[j * p + l]) / den - wk->a[j] * wk->a[l]);
            }
            if (res) {
                /* Schoenfeld residual of each death: x - the mean of the d Efron-step
                 * risk-set means (Breslow: the one mean), as residuals.coxph.  The
                 * mean is the same for every death of the group: computed once
                 * (into wk->a), which keeps tied groups O(d p). */
                for (size_t j = 0; j < p; j++) {
                    double abar = 0;
                    for (int q = 0; q < steps; q++) {
                        double f = wk->efron ? (double)q / d : 0;
                        abar += (wk->s1[j] - f * wk->e1[j]) / (s0 - f * e0);
                    }
                    wk->a[j] = abar / steps;
                }
                for (size_t kk = i; kk < k; kk++) {
                    if (wk->ds[kk] == 0)
                        continue;
                    for (size_t j = 0; j < p; j++)
                        res[j * nev + posn[ne]] = wk->xs[kk * p + j] - wk->a[j];
                    ne++;
                }
            }
            for (size_t j = 0; j < p; j++) {
                ug[j] += gk * uk[j];
                for (size_t l = 0; l <= j; l++) {
                    ixg[j * p + l] += gk * ik[j * p + l];
                    igg[j * p + l] += gk * gk * ik[j * p + l];
                }
            }
        }
        i = k;
    }
    for (size_t j = 0; j < p; j++)
        for (size_t l = 0; l < j; l++) {
            ixg[l * p + j] = ixg[j * p + l];
            igg[l * p + j] = igg[j * p + l];
        }
    free(uk);
    return 0;
}

/* cox.zph's x, time and y, rows by ascending event time (ties in the sorted
 * order): zph_order (before zph_pass) allocates them and gives each death,
 * numbered in the sorted order, its row posn (so zph_pass writes the raw
 * Schoenfeld residuals in place); zph_finish fills time, x = g and the scaled
 * residual y = coef + nev * var r (Grambsch & Therneau 1994, eq. 2;
 * cox.zph's "y").  perm[o] = the death at row o. */
static int zph_order(Work *wk, RadCoxFit *fit, size_t nev, size_t **perm_out, size_t **posn_out)
{
    size_t p = wk->p, ne = 0;
    double *tev = rad_malloc((nev + 1) * sizeof(double), "cox.zph residuals");
    size_t *posn = rad_malloc((nev + 1) * sizeof(size_t), "cox.zph residuals");
    size_t *perm = NULL;
    fit->zph_n = nev;
    fit->zph_time = rad_malloc((nev + 1) * sizeof(double), "cox.zph residuals");
    fit->zph_x = rad_malloc((nev + 1) * sizeof(double), "cox.zph residuals");
    fit->zph_resid = rad_malloc((nev * p + 1) * sizeof(double), "cox.zph residuals");
    fit->zph_y = rad_malloc((nev * p + 1) * sizeof(double), "cox.zph residuals");
    if (tev && posn && fit->zph_time && fit->zph_x && fit->zph_resid && fit->zph_y) {
        for (size_t i = 0; i < wk->n; i++)
            if (wk->ds[i] != 0)
                tev[ne++] = wk->ts[i];
        perm = order_rows(NULL, NULL, tev, nev); /* ascending, stable */
    }
    if (!perm) {
        free(tev);
        free(posn);
        return -1;
    }
    for (size_t o = 0; o < nev; o++) {
        posn[perm[o]] = o;
        fit->zph_time[o] = tev[perm[o]];
    }
    free(tev);
    *perm_out = perm;
    *posn_out = posn;
    return 0;
}

static void zph_finish(Work *wk, RadCoxFit *fit, const double *g, const size_t *ord, size_t nev, const size_t *perm)
{
    size_t p = wk->p, e = 0;
    const double *var = fit->var, *res = fit->zph_resid;
    /* the sorted row of each death, in death order */
    size_t *evrow = (size_t *)wk->eta; /* n doubles, free once the fit is done */
    for (size_t i = 0; i < wk->n; i++)
        if (wk->ds[i] != 0)
            evrow[e++] = i;
    for (size_t o = 0; o < nev; o++) {
        fit->zph_x[o] = g[ord[evrow[perm[o]]]];
        for (size_t j = 0; j < p; j++) {
            double v = 0;
            for (size_t l = 0; l < p; l++)
                v += var[j * p + l] * res[l * nev + o];
            fit->zph_y[j * nev + o] = fit->coef[j] + (double)nev * v;
        }
    }
}

/* g(t) = 1 - KM(t-) (left-continuous Kaplan-Meier of all rows, unweighted,
 * ignoring strata: cox.zph's transform "km"), centred at its mean over the
 * events; then the per-covariate (1 df) and global (p df) score tests. */
static int zph_tests(Work *wk, const double *imat, const double *time, const double *status, size_t n, const size_t *ord,
                     RadCoxFit *fit)
{
    size_t p = wk->p, q = 2 * p;
    size_t *asc = order_desc(time, NULL, n);
    double *gorig = rad_malloc((2 * n + 2 * p * p + p + 2 * q * q + 4 * q) * sizeof(double), "cox.zph");
    int rc = -1;
    if (!asc || !gorig)
        goto done;
    double *gs = gorig + n, *ug = gs + n, *ixg = ug + p, *igg = ixg + p * p, *m = igg + p * p, *u = m + q * q,
           *sub = u + q, *b = sub + q * q;
    double surv = 1, gsum = 0;
    size_t remaining = n, nev = 0;
    for (size_t i = n; i > 0;) { /* asc is descending: walk it backwards */
        size_t k = i;
        double t = time[asc[i - 1]];
        size_t d = 0;
        while (k > 0 && time[asc[k - 1]] == t) {
            gorig[asc[k - 1]] = 1 - surv;
            d += status[asc[k - 1]] != 0;
            k--;
        }
        surv *= 1 - (double)d / (double)remaining;
        remaining -= i - k;
        i = k;
    }
    for (size_t i = 0; i < n; i++)
        if (status[i] != 0) {
            gsum += gorig[i];
            nev++;
        }
    for (size_t i = 0; i < n; i++)
        gs[i] = gorig[ord[i]] - gsum / (double)nev;
    size_t *perm = NULL, *posn = NULL;
    if (zph_order(wk, fit, nev, &perm, &posn) < 0 ||
        zph_pass(wk, gs, ug, ixg, igg, fit->zph_resid, posn, nev) < 0) {
        free(perm);
        free(posn);
        goto done;
    }
    zph_finish(wk, fit, gorig, ord, nev, perm);
    free(perm);
    free(posn);
    /* the full information of (x, x g) and U = (0, U_g) */
    for (size_t j = 0; j < p; j++) {
        u[j] = 0;
        u[p + j] = ug[j];
        for (size_t l = 0; l < p; l++) {
            m[j * q + l] = imat[j * p + l];
            m[j * q + p + l] = ixg[j * p + l];
            m[(p + j) * q + l] = ixg[l * p + j];
            m[(p + j) * q + p + l] = igg[j * p + l];
        }
    }
    for (size_t c = 0; c <= p; c++) { /* c < p: covariate c; c == p: global */
        size_t dim = c < p ? p + 1 : q;
        for (size_t r1 = 0; r1 < dim; r1++) {
            size_t i1 = r1 < p ? r1 : (c < p ? p + c : r1);
            b[r1] = u[i1];
            for (size_t r2 = 0; r2 < dim; r2++) {
                size_t i2 = r2 < p ? r2 : (c < p ? p + c : r2);
                sub[r1 * dim + r2] = m[i1 * q + i2];
            }
        }
        double *rhs = b + q, stat = 0;
        memcpy(rhs, b, dim * sizeof(double));
        chol2(sub, dim, 1e-9);
        chol2_solve(sub, dim, rhs);
        for (size_t r1 = 0; r1 < dim; r1++)
            stat += b[r1] * rhs[r1];
        fit->zph_chisq[c] = stat;
        fit->zph_p[c] = gsl_cdf_chisq_Q(stat > 0 ? stat : 0, c < p ? 1.0 : (double)p);
    }
    rc = 0;
done:
    free(asc);
    free(gorig);
    return rc;
}

/* ---- concordance (Fenwick tree over score ranks) -------------------------------------------- */

static void bit_add(double *bit, size_t m, size_t pos, double v)
{
    for (size_t i = pos + 1; i <= m; i += i & (~i + 1))
        bit[i - 1] += v;
}

/* Sum over ranks 0..pos-1. */
static double bit_sum(const double *bit, size_t pos)
{
    double s = 0;
    for (size_t i = pos; i > 0; i -= i & (~i + 1))
        s += bit[i - 1];
    return s;
}

double rad_cox_concordance(const double *time, const double *status, const double *score, size_t n,
                           const double *w, const int *strata)
{
    size_t *ord = order_desc(time, strata, n);
    size_t *byscore = order_rows(NULL, NULL, score, n);
    size_t *rank = rad_malloc((n ? n : 1) * sizeof *rank, "concordance");
    double *bit = rad_calloc(n ? n : 1, sizeof *bit, "concordance");
    double conc = 0, tied = 0, total = 0;
    size_t m = 0;
    if (!ord || !byscore || !rank || !bit) {
        free(ord);
        free(byscore);
        free(rank);
        free(bit);
        return NAN;
    }
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && score[byscore[i]] != score[byscore[i - 1]])
            m++;
        rank[byscore[i]] = m;
    }
    m = n ? m + 1 : 0;
    double inserted = 0;
    size_t sstart = 0;
    for (size_t i = 0; i < n;) {
        if (i > 0 && strata && strata[ord[i]] != strata[ord[i - 1]]) {
            for (size_t q = sstart; q < i; q++) /* empty the tree for the next stratum */
                bit_add(bit, m, rank[ord[q]], -(w ? w[ord[q]] : 1));
            inserted = 0;
            sstart = i;
        }
        size_t k = i;
        double t = time[ord[i]];
        while (k < n && time[ord[k]] == t && (!strata || strata[ord[k]] == strata[ord[i]]))
            k++;
        /* censored rows at t are "later" than the events at t */
        for (size_t q = i; q < k; q++)
            if (status[ord[q]] == 0) {
                bit_add(bit, m, rank[ord[q]], w ? w[ord[q]] : 1);
                inserted += w ? w[ord[q]] : 1;
            }
        for (size_t q = i; q < k; q++) {
            size_t e = ord[q];
            if (status[e] == 0)
                continue;
            double we = w ? w[e] : 1;
            double below = bit_sum(bit, rank[e]);
            double upto = bit_sum(bit, rank[e] + 1);
            conc += we * below;
            tied += we * (upto - below);
            total += we * inserted;
        }
        for (size_t q = i; q < k; q++)
            if (status[ord[q]] != 0) {
                bit_add(bit, m, rank[ord[q]], w ? w[ord[q]] : 1);
                inserted += w ? w[ord[q]] : 1;
            }
        i = k;
    }
    free(ord);
    free(byscore);
    free(rank);
    free(bit);
    if (!(total > 0)) {
        rad_error_set("concordance: no comparable pair (an event followed by a later time in the same stratum)");
        return NAN;
    }
    return (conc + 0.5 * tied) / total;
}

/* ---- input checks ------------------------------------------------------------------------ */

static int check_input(const double *time, const double *status, const double *x, size_t n, size_t p,
                       const double *w, const int *strata, const char *const *names, size_t *nevent)
{
    size_t ne = 0;
    if (n == 0)
        return rad_error_set("cox: no rows to fit");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(time[i]))
            return rad_error_set("cox: time in row %zu is missing or not finite; drop the row or fix the time", i + 1);
        if (time[i] < 0)
            return rad_error_set("cox: time in row %zu is negative (%g); survival times must be >= 0", i + 1,
                                 time[i]);
        if (status[i] != 0 && status[i] != 1)
            return rad_error_set("cox: event in row %zu is %g; code events as 1 (event) or 0 (censored)", i + 1,
                                 status[i]);
        if (w && !(w[i] > 0 && isfinite(w[i])))
            return rad_error_set("cox: weight in row %zu is %g; case weights must be positive and finite", i + 1,
                                 w[i]);
        if (strata && strata[i] < 0)
            return rad_error_set("cox: stratum code in row %zu is negative", i + 1);
        ne += status[i] == 1;
        for (size_t j = 0; j < p; j++)
            if (!isfinite(x[j * n + i]))
                return rad_error_set("cox: covariate '%s' is missing or not finite in row %zu", names[j], i + 1);
    }
    if (ne == 0)
        return rad_error_set("cox: no events (every row is censored); the model needs at least one event");
    *nevent = ne;
    return 0;
}

/* Constant and collinear covariates, from the centred weighted cross-products. */
static int check_rank(const double *x, size_t n, size_t p, const double *w, const double *means,
                      const char *const *names)
{
    double *c = rad_calloc(p ? p * p : 1, sizeof *c, "Cox collinearity check");
    double *diag = rad_malloc((p ? p : 1) * sizeof *diag, "Cox collinearity check");
    int rc = 0;
    if (!c || !diag) {
        free(c);
        free(diag);
        return -1;
    }
    /* all the sums advance together, row by row (each in the same order as a
     * sum of its own, but independent of the others, so they overlap) */
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        for (size_t j = 0; j < p; j++) {
            double a = wi * (x[j * n + i] - means[j]);
            for (size_t l = 0; l <= j; l++)
                c[j * p + l] += a * (x[l * n + i] - means[l]);
        }
    }
    for (size_t j = 0; j < p; j++)
        for (size_t l = 0; l < j; l++)
            c[l * p + j] = c[j * p + l];
    for (size_t j = 0; j < p; j++) {
        double scale = fabs(means[j]) + 1;
        diag[j] = c[j * p + j];
        if (!(diag[j] > 1e-24 * scale * scale * (double)n)) {
            rc = rad_error_set("cox: covariate '%s' is constant; remove it from x", names[j]);
            goto done;
        }
    }
    /* Gram-Schmidt in the cross-product metric: a column whose residual after
     * the earlier ones is tiny is a linear combination of them. */
    for (size_t i = 0; i < p; i++) {
        double piv = c[i * p + i];
        if (piv <= 1e-9 * diag[i]) {
            char buf[400];
            size_t len = 0;
            buf[0] = 0;
            for (size_t k = 0; k < i && len + 8 < sizeof buf; k++)
                len += (size_t)snprintf(buf + len, sizeof buf - len, "%s'%s'", k ? ", " : "", names[k]);
            rc = rad_error_set("cox: covariate '%s' is a linear combination of %s (perfectly collinear); "
                               "remove one of them", names[i], buf);
            goto done;
        }
        for (size_t j = i + 1; j < p; j++) {
            double t = c[j * p + i] / piv;
            for (size_t k = i + 1; k < p; k++)
                c[j * p + k] -= t * c[i * p + k];
        }
        for (size_t j = i + 1; j < p; j++)
            c[j * p + i] = c[i * p + j] = 0;
    }
done:
    free(c);
    free(diag);
    return rc;
}

/* ---- robust variance ------------------------------------------------------------------- */

/* The robust (sandwich) variance of Lin & Wei (1989), as survival::coxph
 * reports it for robust = TRUE: V (sum_i w_i^2 U_i U_i') V with V the inverse
 * information and U_i the score residual of row i (Therneau & Grambsch 2000,
 * sec. 7.2; it is w_i times residuals(fit, "dfbeta") crossed with itself).
 * U_i = delta_i (x_i - xbar(t_i)) - sum over event times t <= t_i of
 * exp(eta_i) dLambda(t) (x_i - xbar(t)).  With Efron's ties the d deaths at a
 * time take d steps q = 0..d-1 with risk-set sums less q/d of the dying rows'
 * share: a dying row is at risk with weight 1 - q/d in step q, and its own
 * term uses the mean of the d step means.  One forward pass collects each
 * event time's increments, one backward pass accumulates them per row:
 * O(n p^2).  wk->eta must hold the linear predictor at the estimate. */
static int robust_var(const Work *wk, const double *var, double *out)
{
    size_t n = wk->n, p = wk->p, ng = 0;
    /* per group of tied rows: H, Hd (2), B, Bd, XM (3p) */
    size_t gsz = 2 + 3 * p;
    double *g = rad_calloc(n * gsz + 3 * p, sizeof(double), "Cox robust variance");
    size_t *gstart = rad_malloc((n + 1) * sizeof *gstart, "Cox robust variance");
    if (!g || !gstart) {
        free(g);
        free(gstart);
        return -1;
    }
    double *s1 = g + n * gsz, *e1 = s1 + p, *u = e1 + p;
    double s0 = 0;
    for (size_t i = 0; i < n;) {
        if (i == 0 || (wk->ss && wk->ss[i] != wk->ss[i - 1])) {
            s0 = 0;
            memset(s1, 0, p * sizeof *s1);
        }
        size_t k = i;
        double e0 = 0, wd = 0;
        int d = 0;
        memset(e1, 0, p * sizeof *e1);
        while (k < n && wk->ts[k] == wk->ts[i] && (!wk->ss || wk->ss[k] == wk->ss[i])) {
            const double *xk = wk->xs + k * p;
            double rk = wk->ws[k] * exp(wk->eta[k]);
            s0 += rk;
            for (size_t j = 0; j < p; j++)
                s1[j] += rk * xk[j];
            if (wk->ds[k] != 0) {
                d++;
                wd += wk->ws[k];
                e0 += rk;
                for (size_t j = 0; j < p; j++)
                    e1[j] += rk * xk[j];
            }
            k++;
        }
        double *gr = g + ng * gsz, *B = gr + 2, *Bd = B + p, *XM = Bd + p;
        if (d > 0) {
            int steps = wk->efron ? d : 1;
            double m = wk->efron ? wd / d : wd;
            for (int q = 0; q < steps; q++) {
                double f = wk->efron ? (double)q / d : 0, den = s0 - f * e0, h = m / den;
                gr[0] += h;
                gr[1] += h * (1 - f);
                for (size_t j = 0; j < p; j++) {
                    double xbar = (s1[j] - f * e1[j]) / den;
                    B[j] += h * xbar;
                    Bd[j] += h * (1 - f) * xbar;
                    XM[j] += xbar / steps;
                }
            }
        }
        gstart[ng++] = i;
        i = k;
    }
    gstart[ng] = n;
    /* ascending time: cumulative hazard CH and sum CB of h xbar below each group */
    double ch = 0, *cb = s1;
    memset(out, 0, p * p * sizeof *out);
    for (size_t gi = ng; gi-- > 0;) {
        size_t a = gstart[gi], b = gstart[gi + 1];
        const double *gr = g + gi * gsz, *B = gr + 2, *Bd = B + p, *XM = Bd + p;
        if (gi + 1 == ng || (wk->ss && wk->ss[a] != wk->ss[b])) {
            ch = 0;
            memset(cb, 0, p * sizeof *cb);
        }
        for (size_t i = a; i < b; i++) {
            const double *xi = wk->xs + i * p;
            double ri = exp(wk->eta[i]), wi = wk->ws[i];
            int dead = wk->ds[i] != 0;
            for (size_t j = 0; j < p; j++) {
                double hz = ch + (dead ? gr[1] : gr[0]), bz = cb[j] + (dead ? Bd[j] : B[j]);
                u[j] = (dead ? xi[j] - XM[j] : 0) - ri * (xi[j] * hz - bz);
            }
            /* dfbeta = V u; out += w^2 dfbeta dfbeta' */
            for (size_t j = 0; j < p; j++) {
                double dj = 0;
                for (size_t l = 0; l < p; l++)
                    dj += var[j * p + l] * u[l];
                e1[j] = wi * dj;
            }
            for (size_t j = 0; j < p; j++)
                for (size_t l = 0; l < p; l++)
                    out[j * p + l] += e1[j] * e1[l];
        }
        ch += gr[0];
        for (size_t j = 0; j < p; j++)
            cb[j] += B[j];
    }
    free(g);
    free(gstart);
    return 0;
}

/* ---- the fit ------------------------------------------------------------------------------- */

/* The sorted copies pass() works on: rows in order_desc order, x centred at
 * `means` (n x p row-major in *xs_out), then in *blk_out the sorted times,
 * statuses and weights, eta, r, the score and information work space, the
 * score u (p, after rx) and the information (p x p, after e2) and the sorted
 * strata (after it).  wk->efron is left to the caller. */
static int work_init(Work *wk, const double *time, const double *status, const double *x, size_t n, size_t p,
                     const double *w, const int *strata, const double *means, size_t **ord_out, double **xs_out,
                     double **blk_out)
{
    size_t npp = p * p;
    size_t *ord = order_desc(time, strata, n);
    double *xs = rad_malloc(n * p * sizeof(double), "Cox work");
    double *blk = rad_malloc((5 * n + 5 * p + 3 * npp) * sizeof(double) + n * sizeof(int), "Cox work");
    size_t *pos = rad_malloc(n * sizeof *pos, "Cox work");
    *ord_out = ord;
    *xs_out = xs;
    *blk_out = blk;
    if (!ord || !xs || !blk || !pos) {
        free(pos);
        return -1;
    }
    double *ts = blk, *ds = ts + n, *ws = ds + n;
    wk->eta = ws + n;
    wk->r = wk->eta + n;
    wk->s1 = wk->r + n;
    wk->e1 = wk->s1 + p;
    wk->a = wk->e1 + p;
    wk->rx = wk->a + p;
    double *ubuf = wk->rx + p;
    wk->s2 = ubuf + p;
    wk->e2 = wk->s2 + npp;
    double *imat = wk->e2 + npp;
    int *ss = (int *)(imat + npp);
    for (size_t i = 0; i < n; i++) {
        size_t r = ord[i];
        ts[i] = time[r];
        ds[i] = status[r];
        ws[i] = w ? w[r] : 1;
        ss[i] = strata ? strata[r] : 0;
    }
    /* scattered row by row: x is read in order and each row of xs written
     * whole (a gather would read p scattered values per row) */
    for (size_t i = 0; i < n; i++)
        pos[ord[i]] = i;
    for (size_t r = 0; r < n; r++) {
        double *row = xs + pos[r] * p;
        for (size_t j = 0; j < p; j++)
            row[j] = x[j * n + r] - means[j];
    }
    free(pos);
    wk->n = n;
    wk->p = p;
    wk->ord = ord;
    wk->xs = xs;
    wk->ts = ts;
    wk->ds = ds;
    wk->ws = ws;
    wk->ss = strata ? ss : NULL;
    return 0;
}

int rad_cox_fit(const double *time, const double *status, const double *x, size_t n, size_t p,
                const double *w, const int *strata, const char *const *names, const RadCoxOptions *opt,
                RadCoxFit *fit)
{
    RadCoxOptions o;
    Work wk;
    size_t *ord = NULL;
    double *xs = NULL, *blk = NULL;
    size_t nevent = 0;
    int rc = -1;

    memset(fit, 0, sizeof *fit);
    if (opt)
        o = *opt;
    else
        rad_cox_options_default(&o);
    if (o.max_iter < 1)
        o.max_iter = 1;
    if (p == 0)
        return rad_error_set("cox: no covariates; name at least one in x");
    if (check_input(time, status, x, n, p, w, strata, names, &nevent) < 0)
        return -1;

    fit->n = n;
    fit->p = p;
    fit->ties = o.ties;
    fit->nevent = nevent;
    size_t np = p, npp = p * p;
    fit->coef = rad_calloc(np, sizeof(double), "Cox fit");
    fit->se = rad_calloc(np, sizeof(double), "Cox fit");
    fit->z = rad_calloc(np, sizeof(double), "Cox fit");
    fit->pval = rad_calloc(np, sizeof(double), "Cox fit");
    fit->hr = rad_calloc(np, sizeof(double), "Cox fit");
    fit->hr_lower = rad_calloc(np, sizeof(double), "Cox fit");
    fit->hr_upper = rad_calloc(np, sizeof(double), "Cox fit");
    fit->var = rad_calloc(npp, sizeof(double), "Cox fit");
    fit->means = rad_calloc(np, sizeof(double), "Cox fit");
    if (!fit->coef || !fit->se || !fit->z || !fit->pval || !fit->hr || !fit->hr_lower || !fit->hr_upper ||
        !fit->var || !fit->means)
        goto fail;

    double sw = 0;
    for (size_t i = 0; i < n; i++)
        sw += w ? w[i] : 1;
    for (size_t j = 0; j < p; j++) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += (w ? w[i] : 1) * x[j * n + i];
        fit->means[j] = s / sw;
    }
    if (check_rank(x, n, p, w, fit->means, names) < 0)
        goto fail;

    if (work_init(&wk, time, status, x, n, p, w, strata, fit->means, &ord, &xs, &blk) < 0)
        goto fail;
    double *ts = blk, *ds = ts + n, *ws = ds + n;
    double *ubuf = wk.rx + p;
    double *imat = wk.e2 + npp;
    int *ss = (int *)(imat + npp);
    fit->nstrata = n ? (size_t)ss[n - 1] + 1 : 0;
    if (strata) { /* count distinct codes present */
        size_t k = 1;
        for (size_t i = 1; i < n; i++)
            k += ss[i] != ss[i - 1];
        fit->nstrata = k;
    }
    wk.efron = o.ties == RAD_COX_EFRON;

    double *beta = rad_calloc(3 * np + npp, sizeof(double), "Cox work");
    if (!beta)
        goto fail;
    double *newbeta = beta + p, *step = newbeta + p, *fac = step + p;

    /* beta = 0: null log-likelihood and the score test */
    double ll = pass(&wk, beta, ubuf, imat);
    fit->loglik0 = ll;
    memcpy(fac, imat, npp * sizeof(double));
    chol2(fac, p, 1e-9);
    memcpy(step, ubuf, np * sizeof(double));
    chol2_solve(fac, p, step);
    fit->score = 0;
    for (size_t j = 0; j < p; j++)
        fit->score += ubuf[j] * step[j];
    for (size_t j = 0; j < p; j++)
        newbeta[j] = step[j];

    int halving = 0, iter, converged = 0;
    double newll = ll;
    for (iter = 1; iter <= o.max_iter; iter++) {
        if (rad_interrupt_check() < 0) {
            free(beta);
            goto fail;
        }
        newll = pass(&wk, newbeta, ubuf, imat);
        if (!isfinite(newll)) { /* overflow on a wild step: treat as a decrease */
            newll = -INFINITY;
        }
        if (isfinite(newll) && fabs(1 - ll / newll) <= o.eps && halving == 0) {
            converged = 1;
            break;
        }
        if (iter == o.max_iter)
            break;
        if (!(newll >= ll)) {
            halving++;
            for (size_t j = 0; j < p; j++)
                newbeta[j] = (newbeta[j] + halving * beta[j]) / (halving + 1.0);
        } else {
            halving = 0;
            ll = newll;
            memcpy(beta, newbeta, np * sizeof(double));
            memcpy(fac, imat, npp * sizeof(double));
            chol2(fac, p, 1e-9);
            memcpy(step, ubuf, np * sizeof(double));
            chol2_solve(fac, p, step);
            for (size_t j = 0; j < p; j++)
                newbeta[j] = beta[j] + step[j];
        }
    }
    if (iter > o.max_iter)
        iter = o.max_iter;
    if (!converged && !(newll >= ll)) {
        /* the last trial was worse: keep the best estimate, recompute its derivatives */
        memcpy(newbeta, beta, np * sizeof(double));
        newll = pass(&wk, newbeta, ubuf, imat);
    }
    fit->iterations = iter;
    fit->loglik = newll;
    memcpy(fit->coef, newbeta, np * sizeof(double));
    memcpy(fac, imat, npp * sizeof(double));
    int rank = chol2(fac, p, 1e-9);
    chol2_inverse(fac, p, fit->var, step);

    /* monotone likelihood: the remaining Newton step V U is not negligible */
    {
        double tol_inf = sqrt(o.eps);
        size_t len = 0;
        for (size_t j = 0; j < p; j++) {
            double s = 0;
            for (size_t l = 0; l < p; l++)
                s += fit->var[j * p + l] * ubuf[l];
            if (fabs(s) > o.eps && fabs(s) > tol_inf * fabs(fit->coef[j]) && len + 80 < sizeof fit->warning)
                len += (size_t)snprintf(fit->warning + len, sizeof fit->warning - len,
                                        "%sloglik converged before variable '%s'; its coefficient may be "
                                        "infinite (monotone likelihood)",
                                        len ? "; " : "", names[j]);
        }
        if (!converged && len == 0)
            snprintf(fit->warning, sizeof fit->warning,
                     "Newton-Raphson did not converge in %d iterations; the estimates may be inaccurate",
                     o.max_iter);
    }
    if (rank < (int)p) {
        for (size_t j = 0; j < p; j++)
            if (fac[j * p + j] == 0) {
                rad_error_set("cox: the information matrix is singular for covariate '%s' (it has no effect on "
                              "the risk sets, e.g. constant within every stratum); remove it", names[j]);
                free(beta);
                goto fail;
            }
    }

    /* robust variance: on request, or by default for non-integer case weights */
    fit->robust = o.robust > 0;
    if (o.robust < 0 && w)
        for (size_t i = 0; i < n && !fit->robust; i++)
            fit->robust = w[i] != floor(w[i]);
    if (fit->robust) {
        fit->naive_var = rad_malloc(npp * sizeof(double), "Cox fit");
        if (!fit->naive_var) {
            free(beta);
            goto fail;
        }
        memcpy(fit->naive_var, fit->var, npp * sizeof(double));
        pass(&wk, fit->coef, ubuf, imat); /* eta at the estimate */
        if (robust_var(&wk, fit->naive_var, fit->var) < 0) {
            free(beta);
            goto fail;
        }
    }

    /* Wald test: coef' var^-1 coef (var^-1 is the information unless robust) */
    fit->wald = 0;
    if (fit->robust) {
        memcpy(fac, fit->var, npp * sizeof(double));
        memcpy(step, fit->coef, np * sizeof(double));
        chol2(fac, p, 1e-9);
        chol2_solve(fac, p, step);
        for (size_t j = 0; j < p; j++)
            fit->wald += fit->coef[j] * step[j];
    } else {
        for (size_t j = 0; j < p; j++)
            for (size_t l = 0; l < p; l++)
                fit->wald += fit->coef[j] * imat[j * p + l] * fit->coef[l];
    }
    fit->lr = 2 * (fit->loglik - fit->loglik0);
    fit->wald_p = gsl_cdf_chisq_Q(fit->wald, (double)p);
    fit->score_p = gsl_cdf_chisq_Q(fit->score, (double)p);
    fit->lr_p = gsl_cdf_chisq_Q(fit->lr > 0 ? fit->lr : 0, (double)p);
    for (size_t j = 0; j < p; j++) {
        double b = fit->coef[j], se = sqrt(fit->var[j * p + j]);
        fit->se[j] = se;
        fit->z[j] = b / se;
        fit->pval[j] = 2 * gsl_cdf_ugaussian_Q(fabs(b / se));
        fit->hr[j] = exp(b);
        fit->hr_lower[j] = exp(b - 1.959963984540054 * se);
        fit->hr_upper[j] = exp(b + 1.959963984540054 * se);
    }

    /* baseline cumulative hazard at the means; the last pass was at the
     * estimate (the final Newton trial, or the recomputation at the best
     * estimate above), so wk.r, ubuf and imat already hold its values */
    {
        size_t ntimes = 0;
        for (size_t i = 0; i < n;) { /* distinct (stratum, time) groups holding an event */
            size_t k = i;
            int ev = 0;
            while (k < n && ts[k] == ts[i] && ss[k] == ss[i])
                ev |= ds[k++] != 0;
            ntimes += (size_t)ev;
            i = k;
        }
        fit->base_stratum = rad_malloc((ntimes ? ntimes : 1) * sizeof(int), "Cox baseline hazard");
        fit->base_time = rad_malloc((ntimes ? ntimes : 1) * sizeof(double), "Cox baseline hazard");
        fit->base_cumhaz = rad_malloc((ntimes ? ntimes : 1) * sizeof(double), "Cox baseline hazard");
        if (!fit->base_stratum || !fit->base_time || !fit->base_cumhaz) {
            free(beta);
            goto fail;
        }
        /* Increments are written from the end: times come out ascending within a
         * stratum, the strata in descending order (fixed below). */
        size_t slot = ntimes;
        double s0 = 0;
        for (size_t i = 0; i < n;) {
            if (i == 0 || ss[i] != ss[i - 1])
                s0 = 0;
            size_t k = i;
            double e0 = 0, wd = 0;
            int d = 0;
            while (k < n && ts[k] == ts[i] && ss[k] == ss[i]) {
                s0 += wk.r[k];
                if (ds[k] != 0) {
                    d++;
                    wd += ws[k];
                    e0 += wk.r[k];
                }
                k++;
            }
            if (d > 0) {
                double dh = 0;
                if (wk.efron)
                    for (int q = 0; q < d; q++)
                        dh += (wd / d) / (s0 - (double)q / d * e0);
                else
                    dh = wd / s0;
                slot--;
                fit->base_stratum[slot] = ss[i];
                fit->base_time[slot] = ts[i];
                fit->base_cumhaz[slot] = dh;
            }
            i = k;
        }
        fit->nbase = ntimes;
        /* Reverse the order of the stratum blocks, keeping each block as it is. */
        if (strata && ntimes > 1) {
            int *bs = rad_malloc(ntimes * sizeof(int), "Cox baseline hazard");
            double *bt = rad_malloc(ntimes * sizeof(double), "Cox baseline hazard");
            double *bh = rad_malloc(ntimes * sizeof(double), "Cox baseline hazard");
            if (!bs || !bt || !bh) {
                free(bs);
                free(bt);
                free(bh);
                free(beta);
                goto fail;
            }
            size_t out = 0;
            size_t end = ntimes;
            while (end > 0) {
                size_t start = end;
                while (start > 0 && fit->base_stratum[start - 1] == fit->base_stratum[end - 1])
                    start--;
                for (size_t q = start; q < end; q++) {
                    bs[out] = fit->base_stratum[q];
                    bt[out] = fit->base_time[q];
                    bh[out] = fit->base_cumhaz[q];
                    out++;
                }
                end = start;
            }
            memcpy(fit->base_stratum, bs, ntimes * sizeof(int));
            memcpy(fit->base_time, bt, ntimes * sizeof(double));
            memcpy(fit->base_cumhaz, bh, ntimes * sizeof(double));
            free(bs);
            free(bt);
            free(bh);
        }
        for (size_t q = 1; q < ntimes; q++)
            if (fit->base_stratum[q] == fit->base_stratum[q - 1])
                fit->base_cumhaz[q] += fit->base_cumhaz[q - 1];
    }
    free(beta);
    /* concordance of the linear predictor */
    {
        double *lp = rad_malloc(n * sizeof(double), "Cox concordance");
        if (!lp)
            goto fail;
        for (size_t i = 0; i < n; i++) {
            double e = 0;
            for (size_t j = 0; j < p; j++)
                e += fit->coef[j] * (x[j * n + i] - fit->means[j]);
            lp[i] = e;
        }
        fit->concordance = rad_cox_concordance(time, status, lp, n, w, strata);
        free(lp);
        if (isnan(fit->concordance))
            rad_error_clear(); /* a single event time: C is undefined, reported as NA */
    }
    rc = 0;
fail:
    free(ord);
    free(xs);
    free(blk);
    if (rc < 0) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", rad_error_message());
        rad_cox_free(fit);
        rad_error_set("%s", msg);
    }
    return rc;
}

int rad_cox_zph(const double *time, const double *status, const double *x, size_t n, size_t p, const double *w,
                const int *strata, RadCoxFit *fit)
{
    Work wk;
    size_t *ord = NULL;
    double *xs = NULL, *blk = NULL;
    int rc = -1;
    if (fit->zph_chisq)
        return 0;
    if (!fit->coef || fit->n != n || fit->p != p)
        return rad_error_set("cox.zph: the data are not those of the fit (%zu rows x %zu terms, the fit has %zu x %zu)",
                             n, p, fit->n, fit->p);
    if (work_init(&wk, time, status, x, n, p, w, strata, fit->means, &ord, &xs, &blk) < 0)
        goto done;
    wk.efron = fit->ties == RAD_COX_EFRON;
    /* the risk scores and the information at the estimate: the same pass,
     * on the same sorted data, as the fit's last one */
    double *ubuf = wk.rx + p, *imat = wk.e2 + p * p;
    pass(&wk, fit->coef, ubuf, imat);
    fit->zph_chisq = rad_calloc(p + 1, sizeof(double), "cox.zph");
    fit->zph_p = rad_calloc(p + 1, sizeof(double), "cox.zph");
    if (!fit->zph_chisq || !fit->zph_p || zph_tests(&wk, imat, time, status, n, ord, fit) < 0)
        goto done;
    rc = 0;
done:
    if (rc < 0) {
        free(fit->zph_chisq);
        free(fit->zph_p);
        free(fit->zph_time);
        free(fit->zph_x);
        free(fit->zph_resid);
        free(fit->zph_y);
        fit->zph_chisq = fit->zph_p = fit->zph_time = fit->zph_x = fit->zph_resid = fit->zph_y = NULL;
        fit->zph_n = 0;
    }
    free(ord);
    free(xs);
    free(blk);
    return rc;
}

double rad_cox_cumhaz(const RadCoxFit *fit, int s, double t)
{
    double h = 0;
    for (size_t q = 0; q < fit->nbase; q++) {
        if (fit->base_stratum[q] != s)
            continue;
        if (fit->base_time[q] > t)
            break;
        h = fit->base_cumhaz[q];
    }
    return h;
}
