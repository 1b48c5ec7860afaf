/* radlab: two-sample tests, count-table tests and p-value adjustment.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * - Welch t test (Welch 1947; R stats::t.test with var.equal = FALSE):
 *   t = (m1 - m2) / sqrt(v1/n1 + v2/n2), df by Welch-Satterthwaite
 *   (v1/n1 + v2/n2)^2 / ((v1/n1)^2/(n1-1) + (v2/n2)^2/(n2-1)).
 * - Wilcoxon rank-sum / Mann-Whitney U (R stats::wilcox.test): W = rank sum
 *   of the first sample minus n1(n1+1)/2.  Exact null distribution when both
 *   samples have fewer than 50 values and there are no ties: the counts of U
 *   are the coefficients of the Gaussian binomial [n1+n2 choose n1]_q
 *   (Mann & Whitney 1947), built here as a product of polynomial ratios.
 *   Otherwise the normal approximation with the tie-corrected variance
 *   n1 n2 / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))) and a continuity
 *   correction of 0.5 towards the mean.
 * - Pearson chi-square test of independence (R stats::chisq.test), with
 *   Yates' correction min(0.5, |O - E|) for a 2x2 table.
 * - Fisher's exact test for 2x2 (R stats::fisher.test): hypergeometric
 *   probabilities of the first cell given the margins; the two-sided p sums
 *   the probabilities not above the observed one times (1 + 1e-7).  The odds
 *   ratio is the conditional maximum likelihood estimate: the non-centrality
 *   of Fisher's noncentral hypergeometric distribution whose mean is the
 *   observed cell (solved by bisection on its logarithm).
 * - p-value adjustment (R stats::p.adjust): Bonferroni, Holm (1979),
 *   Benjamini & Hochberg (1995).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "util/error.h"
#include "stats/stats.h"

/* ---- Welch t test ---------------------------------------------------------------------- */

/* Mean and variance (n - 1 denominator) of the non-missing values. */
static size_t mean_var(const double *x, size_t n, double *mean, double *var)
{
    size_t m = 0;
    double s = 0, ss = 0, mu;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            s += x[i];
            m++;
        }
    mu = m ? s / (double)m : NAN;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            ss += (x[i] - mu) * (x[i] - mu);
    *mean = mu;
    *var = m > 1 ? ss / (double)(m - 1) : NAN;
    return m;
}

static int cmp_double(const void *p, const void *q)
{
    double u = *(const double *)p, v = *(const double *)q;
    return u < v ? -1 : u > v;
}

int rad_ttest_welch(const double *a, size_t na, const double *b, size_t nb, RadTTest *r)
{
    double m1, v1, m2, v2, s1, s2, se;
    size_t n1, n2;
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < na; i++)
        if (isinf(a[i]))
            return rad_error_set("t test: value %zu of the first sample is infinite", i + 1);
    for (size_t i = 0; i < nb; i++)
        if (isinf(b[i]))
            return rad_error_set("t test: value %zu of the second sample is infinite", i + 1);
    n1 = mean_var(a, na, &m1, &v1);
    n2 = mean_var(b, nb, &m2, &v2);
    if (n1 < 2 || n2 < 2)
        return rad_error_set("t test: each sample needs at least 2 non-missing values (got %zu and %zu)", n1, n2);
    s1 = v1 / (double)n1;
    s2 = v2 / (double)n2;
    se = sqrt(s1 + s2);
    if (!(se > 10 * 2.220446e-16 * fmax(fabs(m1), fabs(m2))))
        return rad_error_set("t test: the data are essentially constant (both samples have no spread)");
    r->n1 = n1;
    r->n2 = n2;
    r->mean1 = m1;
    r->mean2 = m2;
    r->t = (m1 - m2) / se;
    r->df = (s1 + s2) * (s1 + s2) / (s1 * s1 / (double)(n1 - 1) + s2 * s2 / (double)(n2 - 1));
    r->p = 2 * gsl_cdf_tdist_Q(fabs(r->t), r->df);
    if (r->p > 1)
        r->p = 1;
    return 0;
}

/* ---- Wilcoxon rank-sum ------------------------------------------------------------------- */

/* P(U <= q) under the null for sample sizes m and n.  With f(i, j, u) the
 * number of arrangements of i first-sample and j second-sample values giving
 * U = u, the largest value is either from the first sample (it exceeds all j
 * others: f(i-1, j, u-j)) or from the second (f(i, j-1, u)); only sums, so
 * the counts stay accurate in floating point, and only u <= q is needed.
 * Returns -1 (out of memory) or 0. */
static int wilcox_cdf(size_t m, size_t n, size_t q, double *p)
{
    size_t w = q + 1;
    double *f = rad_calloc((m + 1) * w, sizeof *f, "Wilcoxon distribution"), cum = 0;
    if (!f)
        return -1;
    for (size_t i = 0; i <= m; i++)
        f[i * w] = 1; /* j = 0: only u = 0 */
    for (size_t j = 1; j <= n; j++)
        for (size_t i = 1; i <= m; i++) { /* row i - 1 already holds j */
            size_t top = i * j < q ? i * j : q;
            for (size_t u = j; u <= top; u++)
                f[i * w + u] += f[(i - 1) * w + u - j];
        }
    for (size_t u = 0; u <= q; u++)
        cum += f[m * w + u];
    free(f);
    /* divide by the number of arrangements, choose(m + n, m) */
    *p = exp(log(cum) - gsl_sf_lnchoose((unsigned)(m + n), (unsigned)m));
    return 0;
}

int rad_wilcox_test(const double *a, size_t na, const double *b, size_t nb, RadWilcox *r)
{
    size_t n1 = 0, n2 = 0, N;
    double *x, *rk, rsum = 0, ties = 0;
    int has_ties = 0;
    long got;
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < na; i++)
        if (!isnan(a[i]))
            n1++;
    for (size_t i = 0; i < nb; i++)
        if (!isnan(b[i]))
            n2++;
    if (n1 < 1 || n2 < 1)
        return rad_error_set("Wilcoxon test: each sample needs at least 1 non-missing value (got %zu and %zu)",
                             n1, n2);
    N = n1 + n2;
    x = rad_malloc(2 * N * sizeof *x, "Wilcoxon test");
    if (!x)
        return -1;
    rk = x + N;
    N = 0;
    for (size_t i = 0; i < na; i++)
        if (!isnan(a[i]))
            x[N++] = a[i];
    for (size_t i = 0; i < nb; i++)
        if (!isnan(b[i]))
            x[N++] = b[i];
    got = rad_rank(x, N, rk);
    if (got < 0) {
        free(x);
        return -1;
    }
    for (size_t i = 0; i < n1; i++)
        rsum += rk[i];
    /* tie correction: sum over groups of equal values of t^3 - t */
    qsort(x, N, sizeof *x, cmp_double);
    for (size_t i = 0; i < N;) {
        size_t j = i + 1;
        while (j < N && x[j] == x[i])
            j++;
        if (j - i > 1) {
            double t = (double)(j - i);
            has_ties = 1;
            ties += t * t * t - t;
        }
        i = j;
    }
    free(x);
    r->n1 = n1;
    r->n2 = n2;
    r->w = rsum - (double)n1 * (double)(n1 + 1) / 2;
    if (n1 < 50 && n2 < 50 && !has_ties) {
        double p;
        size_t deg = n1 * n2, q = (size_t)llround(r->w);
        /* P(U >= w) = P(U <= deg - w) by symmetry */
        if (wilcox_cdf(n1, n2, r->w > (double)deg / 2 ? deg - q : q, &p) < 0)
            return -1;
        p = 2 * p;
        r->p = p > 1 ? 1 : p;
        r->exact = 1;
    } else {
        double z = r->w - (double)n1 * (double)n2 / 2, sigma, corr;
        sigma = sqrt((double)n1 * (double)n2 / 12 *
                     ((double)(N + 1) - ties / ((double)N * (double)(N - 1))));
        if (!(sigma > 0))
            return rad_error_set("Wilcoxon test: all %zu values are tied; the test is undefined", N);
        corr = z > 0 ? 0.5 : z < 0 ? -0.5 : 0;
        z = (z - corr) / sigma;
        r->p = 2 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
        if (r->p > 1)
            r->p = 1;
        r->exact = 0;
    }
    return 0;
}

/* ---- chi-square test of independence ------------------------------------------------------- */

int rad_chisq_test(const double *counts, size_t nr, size_t nc, int correct, RadChisq *r)
{
    double *rs, *cs, tot = 0, stat = 0, emin = INFINITY;
    memset(r, 0, sizeof *r);
    if (nr < 2 || nc < 2)
        return rad_error_set("chi-square test: the table needs at least 2 rows and 2 columns (got %zu x %zu); "
                             "a variable with one category cannot be tested", nr, nc);
    for (size_t i = 0; i < nr * nc; i++)
        if (!isfinite(counts[i]) || counts[i] < 0)
            return rad_error_set("chi-square test: count at row %zu, column %zu is %g; counts must be finite and >= 0",
                                 i / nc + 1, i % nc + 1, counts[i]);
    rs = rad_calloc(nr + nc, sizeof *rs, "chi-square test");
    if (!rs)
        return -1;
    cs = rs + nr;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            rs[i] += counts[i * nc + j];
            cs[j] += counts[i * nc + j];
            tot += counts[i * nc + j];
        }
    for (size_t i = 0; i < nr; i++)
        if (rs[i] == 0) {
            free(rs);
            return rad_error_set("chi-square test: row %zu of the count table sums to 0; drop empty categories", i + 1);
        }
    for (size_t j = 0; j < nc; j++)
        if (cs[j] == 0) {
            free(rs);
            return rad_error_set("chi-square test: column %zu of the count table sums to 0; drop empty categories",
                                 j + 1);
        }
    r->yates = correct && nr == 2 && nc == 2;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            double e = rs[i] * cs[j] / tot, d = fabs(counts[i * nc + j] - e);
            if (r->yates)
                d -= fmin(0.5, d);
            stat += d * d / e;
            if (e < emin)
                emin = e;
        }
    free(rs);
    r->stat = stat;
    r->df = (double)((nr - 1) * (nc - 1));
    r->p = gsl_cdf_chisq_Q(stat, r->df);
    r->min_expected = emin;
    return 0;
}

/* ---- Fisher's exact test (2x2) ------------------------------------------------------------- */

/* Mean of the noncentral hypergeometric with log odds ratio lt over the
 * support lo..hi with central log probabilities ld[]. */
static double nc_mean(const double *ld, long lo, long hi, double lt)
{
    double mx = -INFINITY, s = 0, sx = 0;
    for (long x = lo; x <= hi; x++)
        mx = fmax(mx, ld[x - lo] + (double)x * lt);
    for (long x = lo; x <= hi; x++) {
        double w = exp(ld[x - lo] + (double)x * lt - mx);
        s += w;
        sx += w * (double)x;
    }
    return sx / s;
}

int rad_fisher_test(const double counts[4], RadFisher *r)
{
    long a, m, n, k, lo, hi;
    double *ld, mx = -INFINITY, tot = 0, pobs, p = 0;
    memset(r, 0, sizeof *r);
    for (int i = 0; i < 4; i++)
        if (!(counts[i] >= 0 && counts[i] <= 1e9 && counts[i] == floor(counts[i])))
            return rad_error_set("Fisher test: count %d (row %d, column %d) is %g; counts must be non-negative integers",
                                 i + 1, i / 2 + 1, i % 2 + 1, counts[i]);
    a = (long)counts[0];
    m = (long)(counts[0] + counts[2]); /* first column */
    n = (long)(counts[1] + counts[3]); /* second column */
    k = (long)(counts[0] + counts[1]); /* first row */
    if (m == 0 || n == 0 || k == 0 || k == m + n)
        return rad_error_set("Fisher test: a row or column of the 2x2 table sums to 0; both variables need two "
                             "observed categories");
    lo = k - n > 0 ? k - n : 0;
    hi = k < m ? k : m;
    ld = rad_malloc((size_t)(hi - lo + 1) * sizeof *ld, "Fisher test");
    if (!ld)
        return -1;
    for (long x = lo; x <= hi; x++) {
        ld[x - lo] = gsl_sf_lnchoose((unsigned)m, (unsigned)x) + gsl_sf_lnchoose((unsigned)n, (unsigned)(k - x));
        mx = fmax(mx, ld[x - lo]);
    }
    for (long x = lo; x <= hi; x++)
        tot += exp(ld[x - lo] - mx);
    pobs = exp(ld[a - lo] - mx) / tot;
    for (long x = lo; x <= hi; x++) {
        double d = exp(ld[x - lo] - mx) / tot;
        if (d <= pobs * (1 + 1e-7))
            p += d;
    }
    r->p = p > 1 ? 1 : p;
    if (a == lo)
        r->odds_ratio = 0;
    else if (a == hi)
        r->odds_ratio = INFINITY;
    else {
        double tl = -1, th = 1;
        while (nc_mean(ld, lo, hi, tl) > (double)a && tl > -700)
            tl *= 2;
        while (nc_mean(ld, lo, hi, th) < (double)a && th < 700)
            th *= 2;
        for (int it = 0; it < 200 && th - tl > 1e-13; it++) {
            double mid = (tl + th) / 2;
            if (nc_mean(ld, lo, hi, mid) < (double)a)
                tl = mid;
            else
                th = mid;
        }
        r->odds_ratio = exp((tl + th) / 2);
    }
    free(ld);
    return 0;
}

/* ---- p-value adjustment ------------------------------------------------------------------ */

int rad_p_adjust_method(const char *name)
{
    if (name && strcmp(name, "bonferroni") == 0)
        return RAD_PADJ_BONFERRONI;
    if (name && strcmp(name, "holm") == 0)
        return RAD_PADJ_HOLM;
    if (name && (strcmp(name, "BH") == 0 || strcmp(name, "fdr") == 0))
        return RAD_PADJ_BH;
    return rad_error_set("unknown p-value adjustment '%s'; use \"BH\", \"bonferroni\" or \"holm\"",
                         name ? name : "(null)");
}

typedef struct PIdx {
    double v;
    size_t i;
} PIdx;

static int cmp_pidx(const void *p, const void *q)
{
    const PIdx *u = p, *v = q;
    if (u->v != v->v)
        return u->v < v->v ? -1 : 1;
    return u->i < v->i ? -1 : u->i > v->i; /* stable: input order */
}

int rad_p_adjust(const double *p, size_t n, RadPAdjust method, double *out)
{
    size_t m = 0;
    PIdx *o;
    double *q, acc;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i]))
            continue;
        if (p[i] < 0 || p[i] > 1)
            return rad_error_set("p-value adjustment: p-value %zu is %g; p-values must lie in [0, 1]", i + 1, p[i]);
        m++;
    }
    if (method != RAD_PADJ_BONFERRONI && method != RAD_PADJ_HOLM && method != RAD_PADJ_BH)
        return rad_error_set("p-value adjustment: unknown method %d", (int)method);
    o = rad_malloc(m * sizeof *o + 1, "p-value adjustment");
    q = rad_malloc(m * sizeof *q + 1, "p-value adjustment");
    if (!o || !q) {
        free(o);
        free(q);
        return -1;
    }
    m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i])) {
            o[m].v = p[i];
            o[m++].i = i;
        }
    qsort(o, m, sizeof *o, cmp_pidx); /* ascending p, ties in input order */
    for (size_t r = 0; r < m; r++)
        q[r] = o[r].v;
    if (method == RAD_PADJ_BONFERRONI) {
        for (size_t r = 0; r < m; r++)
            q[r] = fmin(1, (double)m * q[r]);
    } else if (method == RAD_PADJ_HOLM) {
        acc = 0;
        for (size_t r = 0; r < m; r++) {
            acc = fmax(acc, (double)(m - r) * q[r]);
            q[r] = fmin(1, acc);
        }
    } else {
        acc = INFINITY;
        for (size_t r = m; r-- > 0;) {
            acc = fmin(acc, (double)m / (double)(r + 1) * q[r]);
            q[r] = fmin(1, acc);
        }
    }
    for (size_t i = 0; i < n; i++)
        if (isnan(p[i]))
            out[i] = NAN;
    for (size_t r = 0; r < m; r++)
        out[o[r].i] = q[r];
    free(o);
    free(q);
    return 0;
}
