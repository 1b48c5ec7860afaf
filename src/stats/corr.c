/* radlab: ranks, Pearson and Spearman correlation, mutual information.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * - Ranks are average ranks (ties share the mean of their positions), as R
 *   rank(ties.method = "average").
 * - Pearson r = sum (x - mx)(y - my) / sqrt(sum (x - mx)^2 sum (y - my)^2),
 *   computed with centred sums; Spearman rho is Pearson r of the average
 *   ranks (R cor(method = "spearman")), both over pairwise complete
 *   observations (R use = "pairwise.complete.obs"; the ranks of a pair are
 *   taken within that pair's complete observations).
 * - Mutual information (Cover & Thomas, Elements of Information Theory, ch. 2)
 *   by the plug-in estimator I = sum p(x,y) log(p(x,y) / (p(x) p(y))) in
 *   nats over a contingency table.  Continuous variables are discretised
 *   into equal-frequency bins by average rank, which is the estimator used by
 *   many mRMR implementations (Peng, Long & Ding 2005 discretise before
 *   counting); it is biased upwards by about (bx - 1)(by - 1) / (2n), the
 *   same for every feature of a given bin count, so rankings stay fair.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/vec.h"
#include "stats/stats.h"

typedef struct VIdx {
    double v;
    size_t i;
} VIdx;

static int cmp_vidx(const void *p, const void *q)
{
    const VIdx *u = p, *v = q;
    if (u->v != v->v)
        return u->v < v->v ? -1 : 1;
    return u->i < v->i ? -1 : u->i > v->i;
}

long rad_rank(const double *x, size_t n, double *ranks)
{
    VIdx *s = rad_malloc(n * sizeof *s + 1, "ranks");
    size_t m = 0;
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            ranks[i] = NAN;
        else {
            s[m].v = x[i];
            s[m++].i = i;
        }
    }
    qsort(s, m, sizeof *s, cmp_vidx);
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        double avg;
        while (j < m && s[j].v == s[i].v)
            j++;
        avg = ((double)(i + 1) + (double)j) / 2; /* mean of positions i+1..j */
        for (size_t k = i; k < j; k++)
            ranks[s[k].i] = avg;
        i = j;
    }
    free(s);
    return (long)m;
}

int rad_cor_method(const char *name)
{
    if (name && strcmp(name, "pearson") == 0)
        return RAD_COR_PEARSON;
    if (name && strcmp(name, "spearman") == 0)
        return RAD_COR_SPEARMAN;
    return rad_error_set("unknown correlation method '%s'; use \"pearson\" or \"spearman\"", name ? name : "(null)");
}

/* Pearson r of complete vectors of length m; returns 0, or 1 when x is
 * constant, 2 when y is constant. */
static int pearson(const double *x, const double *y, size_t m, double *r)
{
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0, v;
    for (size_t i = 0; i < m; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)m;
    my /= (double)m;
    for (size_t i = 0; i < m; i++) {
        double dx = x[i] - mx, dy = y[i] - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if (!(sxx > 0))
        return 1;
    if (!(syy > 0))
        return 2;
    v = sxy / sqrt(sxx * syy);
    *r = v > 1 ? 1 : v < -1 ? -1 : v;
    return 0;
}

/* Correlation over the complete pairs, without recording errors: returns
 * 0 ok, 1/2 constant x/y, 3 fewer than 2 pairs, -1 out of memory. */
static int cor_pairs(const double *x, const double *y, size_t n, RadCorMethod method, double *r, size_t *npairs)
{
    double *buf = rad_malloc(4 * n * sizeof *buf + 1, "correlation");
    double *cx, *cy, *rx, *ry;
    size_t m = 0;
    int rc;
    if (!buf)
        return -1;
    cx = buf;
    cy = buf + n;
    rx = buf + 2 * n;
    ry = buf + 3 * n;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            cx[m] = x[i];
            cy[m++] = y[i];
        }
    *npairs = m;
    if (m < 2) {
        free(buf);
        return 3;
    }
    if (method == RAD_COR_SPEARMAN) {
        if (rad_rank(cx, m, rx) < 0 || rad_rank(cy, m, ry) < 0) {
            free(buf);
            return -1;
        }
        cx = rx;
        cy = ry;
    }
    rc = pearson(cx, cy, m, r);
    free(buf);
    return rc;
}

int rad_cor(const double *x, const double *y, size_t n, RadCorMethod method, double *r)
{
    size_t m = 0;
    int rc;
    *r = NAN;
    for (size_t i = 0; i < n; i++)
        if (isinf(x[i]) || isinf(y[i]))
            return rad_error_set("correlation: value %zu is infinite; remove or replace it", i + 1);
    if (method != RAD_COR_PEARSON && method != RAD_COR_SPEARMAN)
        return rad_error_set("correlation: unknown method %d", (int)method);
    rc = cor_pairs(x, y, n, method, r, &m);
    if (rc == 3)
        return rad_error_set("correlation: needs at least 2 complete pairs, got %zu", m);
    if (rc == 1 || rc == 2)
        return rad_error_set("correlation: %s is constant over the %zu complete pairs; the correlation is undefined",
                             rc == 1 ? "x" : "y", m);
    return rc;
}

/* Four dot products of a with b0..b3 in one pass over a (same summation
 * order as rad_vec_dot). */
static void dot4(const double *a, const double *b0, const double *b1, const double *b2, const double *b3, size_t n,
                 double r[4])
{
    double s[4][4] = {{0}};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int t = 0; t < 4; t++) {
            double av = a[i + (size_t)t];
            s[0][t] += av * b0[i + (size_t)t];
            s[1][t] += av * b1[i + (size_t)t];
            s[2][t] += av * b2[i + (size_t)t];
            s[3][t] += av * b3[i + (size_t)t];
        }
    for (; i < n; i++) {
        s[0][0] += a[i] * b0[i];
        s[1][0] += a[i] * b1[i];
        s[2][0] += a[i] * b2[i];
        s[3][0] += a[i] * b3[i];
    }
    for (int c = 0; c < 4; c++)
        r[c] = (s[c][0] + s[c][1]) + (s[c][2] + s[c][3]);
}

/* Average ranks, within the rows where `other` is present, of the column
 * whose present rows in ascending order of value are ord[0..m-1]. */
static void subset_ranks(const double *v, const size_t *ord, size_t m, const double *other, double *rk)
{
    size_t pos = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i, cnt = 0;
        double avg;
        while (j < m && v[ord[j]] == v[ord[i]]) {
            if (!isnan(other[ord[j]]))
                cnt++;
            j++;
        }
        avg = (double)pos + ((double)cnt + 1) / 2;
        for (size_t t = i; t < j; t++)
            rk[ord[t]] = avg;
        pos += cnt;
        i = j;
    }
}

/* Correlation of columns a and b with missing values over their complete
 * rows; ra, rb are n-sized work arrays.  NaN when undefined. */
static double pair_cor(const double *a, const double *b, size_t n, RadCorMethod method, const size_t *oa, size_t ma,
                       const size_t *ob, size_t mb, double *ra, double *rb)
{
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0, v;
    const double *a0 = a, *b0 = b; /* completeness is read from the data, not the work arrays */
    size_t m = 0;
    if (method == RAD_COR_SPEARMAN) {
        subset_ranks(a, oa, ma, b, ra);
        subset_ranks(b, ob, mb, a, rb);
        a = ra;
        b = rb;
    }
    for (size_t i = 0; i < n; i++)
        if (!isnan(a0[i]) && !isnan(b0[i])) {
            mx += a[i];
            my += b[i];
            m++;
        }
    if (m < 2)
        return NAN;
    mx /= (double)m;
    my /= (double)m;
    for (size_t i = 0; i < n; i++)
        if (!isnan(a0[i]) && !isnan(b0[i])) {
            double dx = a[i] - mx, dy = b[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
    if (!(sxx > 0) || !(syy > 0))
        return NAN;
    v = sxy / sqrt(sxx * syy);
    return v > 1 ? 1 : v < -1 ? -1 : v;
}

int rad_cor_matrix(const double *x, size_t n, size_t p, RadCorMethod method, double *out)
{
    double *z = NULL, *ra = NULL;
    size_t *ord = NULL, *cnt = NULL;
    unsigned char *state = NULL; /* 0 complete and variable, 1 has missing, 2 constant */
    int rc = -1;
    if (method != RAD_COR_PEARSON && method != RAD_COR_SPEARMAN)
        return rad_error_set("correlation matrix: unknown method %d", (int)method);
    for (size_t i = 0; i < n * p; i++)
        if (isinf(x[i]))
            return rad_error_set("correlation matrix: value %zu of column %zu is infinite; remove or replace it",
                                 i % n + 1, i / n + 1);
    z = rad_malloc(n * p * sizeof *z + 1, "correlation matrix");
    ord = rad_malloc(n * p * sizeof *ord + 1, "correlation matrix");
    cnt = rad_calloc(p + 1, sizeof *cnt, "correlation matrix");
    ra = rad_malloc(2 * n * sizeof *ra + 1, "correlation matrix");
    state = rad_calloc(p + 1, 1, "correlation matrix");
    if (!z || !ord || !cnt || !ra || !state)
        goto done;
    for (size_t j = 0; j < p; j++) {
        const double *c = x + j * n;
        double *zj = z + j * n, mu = 0, ss = 0;
        for (size_t i = 0; i < n; i++)
            if (isnan(c[i]))
                state[j] = 1;
        if (state[j]) {
            /* present rows in ascending order of value, for subset ranks */
            VIdx *s = rad_malloc(n * sizeof *s + 1, "correlation matrix");
            size_t m = 0, distinct = 0;
            if (!s)
                goto done;
            for (size_t i = 0; i < n; i++)
                if (!isnan(c[i])) {
                    s[m].v = c[i];
                    s[m++].i = i;
                }
            qsort(s, m, sizeof *s, cmp_vidx);
            for (size_t i = 0; i < m; i++) {
                ord[j * n + i] = s[i].i;
                if (i == 0 || s[i].v != s[i - 1].v)
                    distinct++;
            }
            cnt[j] = m;
            free(s);
            if (distinct < 2)
                state[j] = 2;
            continue;
        }
        /* complete columns: standardise once, r is then a dot product */
        if (method == RAD_COR_SPEARMAN) {
            if (rad_rank(c, n, zj) < 0)
                goto done;
        } else
            memcpy(zj, c, n * sizeof *zj);
        for (size_t i = 0; i < n; i++)
            mu += zj[i];
        mu /= (double)(n ? n : 1);
        for (size_t i = 0; i < n; i++) {
            zj[i] -= mu;
            ss += zj[i] * zj[i];
        }
        if (!(ss > 0) || n < 2) {
            state[j] = 2;
            continue;
        }
        ss = 1 / sqrt(ss);
        for (size_t i = 0; i < n; i++)
            zj[i] *= ss;
    }
    /* order of complete columns too, when they pair with incomplete ones */
    for (size_t j = 0; j < p; j++)
        if (state[j] == 0) {
            VIdx *s = rad_malloc(n * sizeof *s + 1, "correlation matrix");
            if (!s)
                goto done;
            for (size_t i = 0; i < n; i++) {
                s[i].v = x[j * n + i];
                s[i].i = i;
            }
            qsort(s, n, sizeof *s, cmp_vidx);
            for (size_t i = 0; i < n; i++)
                ord[j * n + i] = s[i].i;
            cnt[j] = n;
            free(s);
        }
    for (size_t j = 0; j < p; j++) {
        out[j * p + j] = state[j] == 2 ? NAN : 1;
        for (size_t k = j + 1; k < p; k++) {
            double r = NAN;
            if (state[j] == 0 && k + 4 <= p && !state[k] && !state[k + 1] && !state[k + 2] && !state[k + 3]) {
                double r4[4];
                dot4(z + j * n, z + k * n, z + (k + 1) * n, z + (k + 2) * n, z + (k + 3) * n, n, r4);
                for (int c = 0; c < 4; c++) {
                    double v = r4[c] > 1 ? 1 : r4[c] < -1 ? -1 : r4[c];
                    out[j * p + k + (size_t)c] = out[(k + (size_t)c) * p + j] = v;
                }
                k += 3;
                continue;
            }
            if (state[j] == 0 && state[k] == 0) {
                r = rad_vec_dot(z + j * n, z + k * n, n);
                r = r > 1 ? 1 : r < -1 ? -1 : r;
            } else if (state[j] != 2 && state[k] != 2)
                r = pair_cor(x + j * n, x + k * n, n, method, ord + j * n, cnt[j], ord + k * n, cnt[k], ra, ra + n);
            out[j * p + k] = out[k * p + j] = r;
        }
        if (j % 64 == 0 && rad_interrupt_check() < 0)
            goto done;
    }
    rc = 0;
done:
    free(z);
    free(ord);
    free(cnt);
    free(ra);
    free(state);
    return rc;
}

/* ---- mutual information ----------------------------------------------------------------- */

int rad_mi_default_bins(size_t n)
{
    int b = (int)floor(sqrt((double)n / 5));
    return b < 2 ? 2 : b > 10 ? 10 : b;
}

/* Codes 0..*k-1 of the m values v (complete): categories when at most bins
 * distinct values, else equal-frequency bins. */
static int mi_codes(const double *v, size_t m, int bins, int cat, int *code, int *k)
{
    VIdx *s = rad_malloc(m * sizeof *s + 1, "mutual information");
    size_t distinct = 0;
    if (!s)
        return -1;
    for (size_t i = 0; i < m; i++) {
        s[i].v = v[i];
        s[i].i = i;
    }
    qsort(s, m, sizeof *s, cmp_vidx);
    for (size_t i = 0; i < m; i++)
        if (i == 0 || s[i].v != s[i - 1].v)
            distinct++;
    if (cat || distinct <= (size_t)bins) {
        int c = -1;
        for (size_t i = 0; i < m; i++) {
            if (i == 0 || s[i].v != s[i - 1].v)
                c++;
            code[s[i].i] = c;
        }
        *k = (int)distinct;
    } else {
        for (size_t i = 0; i < m;) {
            size_t j = i + 1;
            double avg;
            int c;
            while (j < m && s[j].v == s[i].v)
                j++;
            avg = ((double)(i + 1) + (double)j) / 2;
            c = (int)floor((avg - 0.5) * bins / (double)m);
            if (c >= bins)
                c = bins - 1;
            for (size_t t = i; t < j; t++)
                code[s[t].i] = c;
            i = j;
        }
        *k = bins;
    }
    free(s);
    return 0;
}

int rad_mutual_info(const double *x, const double *y, size_t n, int bins, double *mi)
{
    return rad_mutual_info_cat(x, y, n, bins, 0, 0, mi);
}

int rad_mutual_info_cat(const double *x, const double *y, size_t n, int bins, int xcat, int ycat, double *mi)
{
    double *cx = NULL, *cy = NULL, *joint = NULL, *px, *py, sum = 0;
    int *codes = NULL, kx, ky, rc = -1;
    size_t m = 0;
    *mi = NAN;
    for (size_t i = 0; i < n; i++)
        if (isinf(x[i]) || isinf(y[i]))
            return rad_error_set("mutual information: value %zu is infinite; remove or replace it", i + 1);
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i]))
            m++;
    if (m < 2)
        return rad_error_set("mutual information: needs at least 2 complete pairs, got %zu", m);
    if (bins <= 0)
        bins = rad_mi_default_bins(m);
    if (bins < 2 || bins > 1000)
        return rad_error_set("mutual information: bins must be 2..1000, got %d", bins);
    cx = rad_malloc(2 * m * sizeof *cx, "mutual information");
    codes = rad_malloc(2 * m * sizeof *codes, "mutual information");
    if (!cx || !codes)
        goto done;
    cy = cx + m;
    m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            cx[m] = x[i];
            cy[m++] = y[i];
        }
    if (mi_codes(cx, m, bins, xcat, codes, &kx) < 0 || mi_codes(cy, m, bins, ycat, codes + m, &ky) < 0)
        goto done;
    joint = rad_calloc((size_t)kx * (size_t)ky + (size_t)kx + (size_t)ky, sizeof *joint, "mutual information");
    if (!joint)
        goto done;
    px = joint + (size_t)kx * (size_t)ky;
    py = px + kx;
    for (size_t i = 0; i < m; i++) {
        joint[(size_t)codes[i] * (size_t)ky + (size_t)codes[m + i]] += 1;
        px[codes[i]] += 1;
        py[codes[m + i]] += 1;
    }
    for (int a = 0; a < kx; a++)
        for (int b = 0; b < ky; b++) {
            double c = joint[(size_t)a * (size_t)ky + (size_t)b];
            if (c > 0)
                sum += c / (double)m * log(c * (double)m / (px[a] * py[b]));
        }
    *mi = sum < 0 ? 0 : sum;
    rc = 0;
done:
    free(cx);
    free(codes);
    free(joint);
    return rc;
}
