/* radlab: ComBat batch harmonisation.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Johnson, Li & Rabinovic (2007), "Adjusting batch effects in microarray
 * expression data using empirical Bayes methods", Biostatistics 8(1), in
 * the order of operations of sva::ComBat (Leek et al., sva 3.x), for n
 * samples (rows), p features, batches b = 1..B with n_b samples and a design
 * X = [batch indicators | covariate columns]:
 *
 *   B.hat      = (X'X)^-1 X'Y                     least squares, every feature
 *   grand_mean = sum_b (n_b / n) B.hat[b]         batch coefficients weighted by size
 *   var_pooled = sum_i (Y - X B.hat)^2 / n        (divided by n, as sva)
 *   stand_mean = grand_mean + X_cov B.hat[cov]    the covariates are protected
 *   s          = (Y - stand_mean) / sqrt(var_pooled)
 *   gamma.hat  = per-batch mean of s, delta.hat = per-batch variance (n_b - 1)
 *
 * Priors per batch over the features: gamma ~ N(gamma.bar, t2) (mean and
 * variance of gamma.hat), delta ~ InvGamma(a, b) by the method of moments of
 * delta.hat (m, s2: a = (2 s2 + m^2) / s2, b = (m s2 + m^3) / s2).  The
 * parametric posterior is sva's it.sol: start from delta.hat and alternate
 *   gamma* = (t2 n_b gamma.hat + delta* gamma.bar) / (t2 n_b + delta*)
 *   delta* = (sum_i (s - gamma*)^2 / 2 + b) / (n_b / 2 + a - 1)
 * until max(|change| / old) < 1e-4; the change is divided by the signed old
 * value exactly as sva does, so the number of iterations, hence the result,
 * is the same as R's.  The non-parametric estimate is sva's int.eprior: for
 * feature j, the other features' (gamma.hat, delta.hat) weighted by the
 * normal likelihood of feature j's standardised data in the batch (computed
 * on the log scale here; the weights' ratios, and so the estimate, are the
 * same).  mean_only sets delta = 1 (parametric: gamma* = (t2 gamma.hat +
 * gamma.bar) / (t2 + 1), sva's postmean with n = 1, d = 1).  The adjusted
 * data are (s - gamma*) / sqrt(delta*) * sqrt(var_pooled) + stand_mean.
 *
 * Unlike sva, a batch of one sample, a feature constant within a batch and
 * missing cells are errors (sva switches to mean-only, drops the feature or
 * fits around missing values): a harmonisation fitted on training data is
 * applied to test data unchanged, and silently different behaviour would
 * not be visible there.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/combat.h"
#include "util/error.h"

#define CONV 1e-4       /* sva it.sol: conv = .0001 */
#define MAXIT 100000    /* it.sol has no limit; a runaway iteration is an error here */
#define RANK_TOL 1e-7   /* relative, as R's qr() (LINPACK dqrdc2) */

void rad_combat_free(RadCombat *c)
{
    if (!c)
        return;
    for (size_t j = 0; c->features && j < c->p; j++)
        free(c->features[j]);
    free(c->features);
    free(c->batch);
    for (size_t b = 0; c->batches && b < c->nb; b++)
        free(c->batches[b]);
    free(c->batches);
    free(c->batch_n);
    for (size_t k = 0; c->covariates && k < c->ncov; k++) {
        free(c->covariates[k]);
        for (size_t l = 0; c->levels && c->levels[k] && l < c->nlevels[k]; l++)
            free(c->levels[k][l]);
        if (c->levels)
            free(c->levels[k]);
    }
    free(c->covariates);
    free(c->levels);
    free(c->nlevels);
    free(c->beta);
    free(c->grand_mean);
    free(c->var_pooled);
    free(c->gamma_hat);
    free(c->delta_hat);
    free(c->gamma_star);
    free(c->delta_star);
    free(c->gamma_bar);
    free(c->t2);
    free(c->a_prior);
    free(c->b_prior);
    free(c->iterations);
    free(c);
}

/* The text of a batch cell (a number as %.15g); NULL when missing. */
static const char *cell_label(const RadColumn *col, size_t i, char *buf, size_t size)
{
    if (col->type == RAD_COL_STR)
        return col->str[i];
    if (rad_na_num(col->num[i]))
        return NULL;
    snprintf(buf, size, "%.15g", col->num[i]);
    return buf;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* "'A', 'B' and 'C'" into buf. */
static void list_names(char *const *names, size_t n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n && len < size; k++) {
        const char *sep = k == 0 ? "" : k + 1 == n ? " and " : ", ";
        int w = snprintf(buf + len, size - len, "%s'%s'", sep, names[k]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

/* Batch code of every row of t (0..nb-1, the position among c->batches);
 * -1 with a message naming the row for a missing or unseen batch. */
static int batch_codes(const RadCombat *c, const RadTable *t, const RadColumn *col, int *code, const char *fname)
{
    char buf[64], known[512];
    for (size_t i = 0; i < t->nrow; i++) {
        const char *s = cell_label(col, i, buf, sizeof buf);
        if (!s)
            return rad_error_set("%s: the batch column '%s' is missing in row %zu; every sample needs its batch: "
                                 "fill it in or drop the row",
                                 fname, c->batch, i + 1);
        size_t b = 0;
        while (b < c->nb && strcmp(c->batches[b], s) != 0)
            b++;
        if (b == c->nb) {
            list_names(c->batches, c->nb, known, sizeof known);
            return rad_error_set("%s: batch '%s' (row %zu, column '%s') was not seen when the harmonisation was "
                                 "fitted (known batches: %s); fit ComBat on data that include this batch",
                                 fname, s, i + 1, c->batch, known);
        }
        code[i] = (int)b;
    }
    return 0;
}

/* The covariate design (n x nc, column-major) of t from the fitted levels;
 * -1 naming the row and column for a missing cell or an unseen level. */
static int cov_design(const RadCombat *c, const RadTable *t, double *x, const char *fname)
{
    size_t n = t->nrow, j = 0;
    char known[512];
    for (size_t k = 0; k < c->ncov; k++) {
        const RadColumn *col = rad_table_get(t, c->covariates[k]);
        if (!col)
            return rad_error_prefix("%s: covariate '%s' of the harmonisation is not in this table", fname,
                                    c->covariates[k]);
        if (c->nlevels[k] == 0) {
            if (col->type != RAD_COL_NUM)
                return rad_error_set("%s: covariate '%s' holds text here but was numeric when the harmonisation "
                                     "was fitted; give it as numbers",
                                     fname, c->covariates[k]);
            for (size_t i = 0; i < n; i++) {
                if (rad_na_num(col->num[i]))
                    return rad_error_set("%s: covariate '%s' is missing in row %zu; ComBat needs complete data: "
                                         "impute it (cohort.impute) or drop the row (t:drop_na)",
                                         fname, c->covariates[k], i + 1);
                if (isinf(col->num[i]))
                    return rad_error_set("%s: covariate '%s' is infinite in row %zu; fix or drop the row", fname,
                                         c->covariates[k], i + 1);
                x[j * n + i] = col->num[i];
            }
            j++;
            continue;
        }
        size_t nl = c->nlevels[k];
        for (size_t i = 0; i < n; i++) {
            char buf[64];
            const char *s = cell_label(col, i, buf, sizeof buf);
            if (!s)
                return rad_error_set("%s: covariate '%s' is missing in row %zu; ComBat needs complete data: "
                                     "impute it (cohort.impute) or drop the row (t:drop_na)",
                                     fname, c->covariates[k], i + 1);
            size_t l = 0;
            while (l < nl && strcmp(c->levels[k][l], s) != 0)
                l++;
            if (l == nl) {
                list_names(c->levels[k], nl, known, sizeof known);
                return rad_error_set("%s: covariate '%s' has the level '%s' in row %zu, not seen when the "
                                     "harmonisation was fitted (its levels: %s)",
                                     fname, c->covariates[k], s, i + 1, known);
            }
            for (size_t m = 1; m < nl; m++)
                x[(j + m - 1) * n + i] = l == m ? 1.0 : 0.0;
        }
        j += nl - 1;
    }
    return 0;
}

/* The feature columns of t (n x p, column-major) into y; -1 naming the
 * column (absent, text) or the row of a missing cell. */
static int feature_matrix(const RadCombat *c, const RadTable *t, double *y, const char *fname)
{
    size_t n = t->nrow;
    for (size_t j = 0; j < c->p; j++) {
        const RadColumn *col = rad_table_get(t, c->features[j]);
        if (!col)
            return rad_error_prefix("%s: feature '%s' of the harmonisation is not in this table", fname,
                                    c->features[j]);
        if (col->type != RAD_COL_NUM)
            return rad_error_set("%s: feature '%s' holds text, not numbers; ComBat adjusts numeric features: "
                                 "leave it out of features (or convert it)",
                                 fname, c->features[j]);
        for (size_t i = 0; i < n; i++) {
            if (rad_na_num(col->num[i]))
                return rad_error_set("%s: feature '%s' is missing in row %zu; ComBat needs complete data: impute it "
                                     "(cohort.impute) or drop the row (t:drop_na)",
                                     fname, c->features[j], i + 1);
            if (isinf(col->num[i]))
                return rad_error_set("%s: feature '%s' is infinite in row %zu; ComBat needs finite values: fix or "
                                     "drop the row",
                                     fname, c->features[j], i + 1);
            y[j * n + i] = col->num[i];
        }
    }
    return 0;
}

/* stand_mean (n x p) of rows with covariate design xc (n x nc). */
static void stand_mean(const RadCombat *c, size_t n, const double *xc, double *sm)
{
    for (size_t j = 0; j < c->p; j++)
        for (size_t i = 0; i < n; i++) {
            double v = c->grand_mean[j];
            for (size_t k = 0; k < c->nc; k++)
                v += xc[k * n + i] * c->beta[k * c->p + j];
            sm[j * n + i] = v;
        }
}

/* ---- fit ------------------------------------------------------------------------- */

/* Solve (X'X) B = X'Y for B (k x p, row-major: B[r * p + j]) with X n x k
 * and Y n x p column-major, by Cholesky of X'X (full rank checked before). */
static int least_squares(const double *x, size_t n, size_t k, const double *y, size_t p, double *bhat)
{
    double *a = rad_calloc(k * k + k, sizeof *a, "ComBat design");
    if (!a)
        return -1;
    double *z = a + k * k;
    for (size_t r = 0; r < k; r++)
        for (size_t s = 0; s <= r; s++) {
            double v = 0;
            for (size_t i = 0; i < n; i++)
                v += x[r * n + i] * x[s * n + i];
            a[r * k + s] = a[s * k + r] = v;
        }
    /* in-place Cholesky, lower triangle: a = L L' */
    for (size_t r = 0; r < k; r++) {
        for (size_t s = 0; s <= r; s++) {
            double v = a[r * k + s];
            for (size_t q = 0; q < s; q++)
                v -= a[r * k + q] * a[s * k + q];
            if (r == s) {
                if (!(v > 0)) {
                    free(a);
                    return rad_error_set("combat: the design of batch and covariates is singular");
                }
                a[r * k + r] = sqrt(v);
            } else {
                a[r * k + s] = v / a[s * k + s];
            }
        }
    }
    for (size_t j = 0; j < p; j++) {
        for (size_t r = 0; r < k; r++) {
            double v = 0;
            for (size_t i = 0; i < n; i++)
                v += x[r * n + i] * y[j * n + i];
            z[r] = v;
        }
        for (size_t r = 0; r < k; r++) { /* L w = z */
            double v = z[r];
            for (size_t q = 0; q < r; q++)
                v -= a[r * k + q] * z[q];
            z[r] = v / a[r * k + r];
        }
        for (size_t r = k; r-- > 0;) { /* L' b = w */
            double v = z[r];
            for (size_t q = r + 1; q < k; q++)
                v -= a[q * k + r] * z[q];
            z[r] = v / a[r * k + r];
        }
        for (size_t r = 0; r < k; r++)
            bhat[r * p + j] = z[r];
    }
    free(a);
    return 0;
}

/* The first design column (n x k, column-major) that is a linear combination
 * of the earlier ones (Gram-Schmidt, tolerance relative to its norm), or k. */
static size_t first_dependent(const double *x, size_t n, size_t k)
{
    double *q = rad_malloc(n * k * sizeof *q, "ComBat rank check");
    size_t kept = 0, bad = k;
    if (!q)
        return (size_t)-1;
    for (size_t j = 0; j < k && bad == k; j++) {
        double *v = q + kept * n, norm0 = 0, norm = 0;
        memcpy(v, x + j * n, n * sizeof *v);
        for (size_t i = 0; i < n; i++)
            norm0 += v[i] * v[i];
        for (int pass = 0; pass < 2; pass++)
            for (size_t m = 0; m < kept; m++) {
                double d = 0;
                for (size_t i = 0; i < n; i++)
                    d += q[m * n + i] * v[i];
                for (size_t i = 0; i < n; i++)
                    v[i] -= d * q[m * n + i];
            }
        for (size_t i = 0; i < n; i++)
            norm += v[i] * v[i];
        if (!(norm0 > 0) || sqrt(norm) <= RANK_TOL * sqrt(norm0)) {
            bad = j;
            break;
        }
        norm = sqrt(norm);
        for (size_t i = 0; i < n; i++)
            v[i] /= norm;
        kept++;
    }
    free(q);
    return bad;
}

static int alloc_fit(RadCombat *c)
{
    size_t nb = c->nb, p = c->p;
    c->beta = rad_calloc(c->nc * p + 1, sizeof *c->beta, "ComBat fit");
    c->grand_mean = rad_calloc(p, sizeof(double), "ComBat fit");
    c->var_pooled = rad_calloc(p, sizeof(double), "ComBat fit");
    c->gamma_hat = rad_calloc(nb * p, sizeof(double), "ComBat fit");
    c->delta_hat = rad_calloc(nb * p, sizeof(double), "ComBat fit");
    c->gamma_star = rad_calloc(nb * p, sizeof(double), "ComBat fit");
    c->delta_star = rad_calloc(nb * p, sizeof(double), "ComBat fit");
    c->gamma_bar = rad_calloc(nb, sizeof(double), "ComBat fit");
    c->t2 = rad_calloc(nb, sizeof(double), "ComBat fit");
    c->a_prior = rad_calloc(nb, sizeof(double), "ComBat fit");
    c->b_prior = rad_calloc(nb, sizeof(double), "ComBat fit");
    c->iterations = rad_calloc(nb, sizeof(int), "ComBat fit");
    if (!c->beta || !c->grand_mean || !c->var_pooled || !c->gamma_hat || !c->delta_hat || !c->gamma_star ||
        !c->delta_star || !c->gamma_bar || !c->t2 || !c->a_prior || !c->b_prior || !c->iterations)
        return -1;
    return 0;
}

/* Names, batches and covariate levels of the fit; checks the columns. */
static int setup(RadCombat *c, const RadTable *t, const char *batch, const char *const *features, size_t p,
                 const char *const *covariates, size_t ncov)
{
    const char *F = "combat";
    size_t n = t->nrow;
    const RadColumn *bcol = rad_table_get(t, batch);
    if (!bcol)
        return rad_error_prefix("%s: batch", F);
    if (!(c->batch = rad_strdup(batch)))
        return -1;
    c->batch_numeric = bcol->type == RAD_COL_NUM;
    if (p < 2)
        return rad_error_set("%s: %zu feature%s given; ComBat needs at least 2 features, because its priors pool "
                             "the batch effects over features: list more columns in features",
                             F, p, p == 1 ? "" : "s");
    c->p = p;
    if (!(c->features = rad_calloc(p, sizeof *c->features, "ComBat names")))
        return -1;
    for (size_t j = 0; j < p; j++) {
        if (!rad_table_get(t, features[j]))
            return rad_error_prefix("%s: feature", F);
        if (strcmp(features[j], batch) == 0)
            return rad_error_set("%s: column '%s' is both the batch and a feature; leave it out of features", F,
                                 batch);
        for (size_t k = 0; k < ncov; k++)
            if (strcmp(features[j], covariates[k]) == 0)
                return rad_error_set("%s: column '%s' is both a covariate and a feature; a protected covariate "
                                     "is not adjusted: leave it out of features",
                                     F, covariates[k]);
        for (size_t m = 0; m < j; m++)
            if (strcmp(features[j], features[m]) == 0)
                return rad_error_set("%s: feature '%s' is listed twice in features", F, features[j]);
        if (!(c->features[j] = rad_strdup(features[j])))
            return -1;
    }
    /* batches: sorted distinct labels (numbers in numeric order) */
    if (n == 0)
        return rad_error_set("%s: the table has no rows", F);
    char **lab = rad_calloc(n, sizeof *lab, "ComBat batches");
    double *num = rad_calloc(n, sizeof *num, "ComBat batches");
    size_t nl = 0;
    if (!lab || !num) {
        free(lab);
        free(num);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char buf[64];
        const char *s = cell_label(bcol, i, buf, sizeof buf);
        if (!s) {
            free(lab);
            free(num);
            return rad_error_set("%s: the batch column '%s' is missing in row %zu; every sample needs its batch: "
                                 "fill it in or drop the row",
                                 F, batch, i + 1);
        }
        if (c->batch_numeric)
            num[i] = bcol->num[i];
        else
            lab[i] = (char *)s;
    }
    if (c->batch_numeric) {
        qsort(num, n, sizeof *num, cmp_double);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || num[i] != num[i - 1])
                num[nl++] = num[i];
    } else {
        qsort(lab, n, sizeof *lab, cmp_str);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || strcmp(lab[i], lab[nl - 1]) != 0)
                lab[nl++] = lab[i];
    }
    c->nb = nl;
    c->batches = rad_calloc(nl, sizeof *c->batches, "ComBat batches");
    for (size_t b = 0; c->batches && b < nl; b++) {
        char buf[64];
        if (c->batch_numeric)
            snprintf(buf, sizeof buf, "%.15g", num[b]);
        if (!(c->batches[b] = rad_strdup(c->batch_numeric ? buf : lab[b])))
            break;
    }
    free(lab);
    free(num);
    if (!c->batches || (nl > 0 && !c->batches[nl - 1]))
        return -1;
    if (nl < 2)
        return rad_error_set("%s: the batch column '%s' has a single batch ('%s'); there is nothing to harmonise "
                             "(ComBat needs at least 2 batches)",
                             F, batch, c->batches[0]);
    /* covariates */
    c->ncov = ncov;
    c->covariates = rad_calloc(ncov + 1, sizeof *c->covariates, "ComBat covariates");
    c->nlevels = rad_calloc(ncov + 1, sizeof *c->nlevels, "ComBat covariates");
    c->levels = rad_calloc(ncov + 1, sizeof *c->levels, "ComBat covariates");
    if (!c->covariates || !c->nlevels || !c->levels)
        return -1;
    for (size_t k = 0; k < ncov; k++) {
        const RadColumn *col = rad_table_get(t, covariates[k]);
        if (!col)
            return rad_error_prefix("%s: covariate", F);
        if (strcmp(covariates[k], batch) == 0)
            return rad_error_set("%s: column '%s' is both the batch and a covariate; leave it out of covariates", F,
                                 batch);
        for (size_t m = 0; m < k; m++)
            if (strcmp(covariates[k], covariates[m]) == 0)
                return rad_error_set("%s: covariate '%s' is listed twice in covariates", F, covariates[k]);
        if (!(c->covariates[k] = rad_strdup(covariates[k])))
            return -1;
        if (col->type == RAD_COL_NUM) {
            c->nc++;
            continue;
        }
        char **lv = rad_calloc(n + 1, sizeof *lv, "ComBat levels");
        if (!lv)
            return -1;
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (!col->str[i]) {
                free(lv);
                return rad_error_set("%s: covariate '%s' is missing in row %zu; ComBat needs complete data: "
                                     "impute it (cohort.impute) or drop the row (t:drop_na)",
                                     F, covariates[k], i + 1);
            }
            lv[m++] = col->str[i];
        }
        qsort(lv, m, sizeof *lv, cmp_str);
        size_t d = 0;
        for (size_t i = 0; i < m; i++)
            if (i == 0 || strcmp(lv[i], lv[d - 1]) != 0)
                lv[d++] = lv[i];
        if (d < 2) {
            free(lv);
            return rad_error_set("%s: covariate '%s' has a single level ('%s'); a constant covariate cannot be "
                                 "told apart from the batches: leave it out of covariates",
                                 F, covariates[k], m ? col->str[0] : "");
        }
        c->levels[k] = rad_calloc(d, sizeof **c->levels, "ComBat levels");
        if (!c->levels[k]) {
            free(lv);
            return -1;
        }
        c->nlevels[k] = d;
        for (size_t l = 0; l < d; l++)
            if (!(c->levels[k][l] = rad_strdup(lv[l]))) {
                free(lv);
                return -1;
            }
        free(lv);
        c->nc += d - 1;
    }
    return 0;
}

/* The name of design column j >= nb ("grp", or "stage:III" for a level). */
static void cov_column_name(const RadCombat *c, size_t col, char *buf, size_t size)
{
    size_t j = 0;
    for (size_t k = 0; k < c->ncov; k++) {
        size_t w = c->nlevels[k] ? c->nlevels[k] - 1 : 1;
        if (col < j + w) {
            if (c->nlevels[k])
                snprintf(buf, size, "'%s' (its level '%s')", c->covariates[k], c->levels[k][col - j + 1]);
            else
                snprintf(buf, size, "'%s'", c->covariates[k]);
            return;
        }
        j += w;
    }
    snprintf(buf, size, "?");
}

/* sva's it.sol for batch b: s (n x p) rows `rows` (nbr of them). */
static int it_sol(RadCombat *c, size_t b, const double *s, size_t n, const size_t *rows, size_t nbr)
{
    size_t p = c->p;
    const double *ghat = c->gamma_hat + b * p, *dhat = c->delta_hat + b * p;
    double *gs = c->gamma_star + b * p, *ds = c->delta_star + b * p;
    double gbar = c->gamma_bar[b], t2 = c->t2[b], a = c->a_prior[b], bb = c->b_prior[b];
    double *gold = rad_malloc(2 * p * sizeof *gold, "ComBat iteration"), *dold;
    if (!gold)
        return -1;
    dold = gold + p;
    memcpy(gold, ghat, p * sizeof *gold);
    memcpy(dold, dhat, p * sizeof *dold);
    double nn = (double)nbr, change = 1;
    int count = 0;
    while (change > CONV) {
        if (++count > MAXIT || rad_interrupted()) {
            free(gold);
            if (rad_interrupted())
                return rad_interrupt_check();
            return rad_error_set("combat: the parametric estimates of batch '%s' did not converge in %d "
                                 "iterations; try parametric = false",
                                 c->batches[b], MAXIT);
        }
        change = 0;
        for (size_t j = 0; j < p; j++) {
            double g = (t2 * nn * ghat[j] + dold[j] * gbar) / (t2 * nn + dold[j]);
            double sum2 = 0;
            for (size_t r = 0; r < nbr; r++) {
                double e = s[j * n + rows[r]] - g;
                sum2 += e * e;
            }
            double d = (0.5 * sum2 + bb) / (nn / 2 + a - 1);
            /* sva: max(abs(g.new - g.old) / g.old, abs(d.new - d.old) / d.old),
             * divided by the signed old values */
            double cg = fabs(g - gold[j]) / gold[j], cd = fabs(d - dold[j]) / dold[j];
            if (cg > change)
                change = cg;
            if (cd > change)
                change = cd;
            gs[j] = g;
            ds[j] = d;
        }
        memcpy(gold, gs, p * sizeof *gold);
        memcpy(dold, ds, p * sizeof *dold);
    }
    c->iterations[b] = count;
    free(gold);
    return 0;
}

/* sva's int.eprior for batch b (deterministic, no Monte Carlo). */
static void int_eprior(RadCombat *c, size_t b, const double *s, size_t n, const size_t *rows, size_t nbr,
                       double *loglh)
{
    size_t p = c->p;
    const double *ghat = c->gamma_hat + b * p, *dhat = c->delta_hat + b * p;
    double one = 1.0;
    for (size_t j = 0; j < p; j++) {
        double best = -INFINITY, sw = 0, sg = 0, sd = 0;
        for (size_t k = 0; k < p; k++) {
            if (k == j)
                continue;
            double d = c->opt.mean_only ? one : dhat[k], sum2 = 0;
            for (size_t r = 0; r < nbr; r++) {
                double e = s[j * n + rows[r]] - ghat[k];
                sum2 += e * e;
            }
            loglh[k] = -0.5 * (double)nbr * log(2 * M_PI * d) - sum2 / (2 * d);
            if (loglh[k] > best)
                best = loglh[k];
        }
        for (size_t k = 0; k < p; k++) {
            if (k == j)
                continue;
            double d = c->opt.mean_only ? one : dhat[k];
            double w = exp(loglh[k] - best);
            sw += w;
            sg += w * ghat[k];
            sd += w * d;
        }
        c->gamma_star[b * p + j] = sg / sw;
        c->delta_star[b * p + j] = sd / sw;
    }
}

static double mean_of(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s / (double)n;
}

static double var_of(const double *v, size_t n)
{
    double m = mean_of(v, n), s = 0;
    for (size_t i = 0; i < n; i++)
        s += (v[i] - m) * (v[i] - m);
    return s / (double)(n - 1);
}

/* Everything after setup: the estimates from the data of t. */
static int estimate(RadCombat *c, const RadTable *t)
{
    const char *F = "combat";
    size_t n = t->nrow, p = c->p, nb = c->nb, k = nb + c->nc;
    int rc = -1;
    int *code = rad_calloc(n, sizeof *code, "ComBat data");
    size_t *rows = rad_calloc(n, sizeof *rows, "ComBat data");
    double *x = rad_calloc(n * k + 1, sizeof *x, "ComBat data");
    double *y = rad_calloc(n * p, sizeof *y, "ComBat data");
    double *sm = rad_calloc(n * p, sizeof *sm, "ComBat data");
    double *bhat = rad_calloc(k * p, sizeof *bhat, "ComBat data");
    double *work = rad_calloc(p + 1, sizeof *work, "ComBat data");
    size_t *start = rad_calloc(nb + 1, sizeof *start, "ComBat data");
    if (!code || !rows || !x || !y || !sm || !bhat || !work || !start || alloc_fit(c) < 0)
        goto done;
    if (!(c->batch_n = rad_calloc(nb, sizeof *c->batch_n, "ComBat data")))
        goto done;
    if (batch_codes(c, t, rad_table_get(t, c->batch), code, F) < 0 || feature_matrix(c, t, y, F) < 0 ||
        cov_design(c, t, x + nb * n, F) < 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        c->batch_n[code[i]]++;
        x[(size_t)code[i] * n + i] = 1.0;
    }
    for (size_t b = 0; b < nb; b++) {
        start[b + 1] = start[b] + c->batch_n[b];
        if (c->batch_n[b] < 2) {
            size_t i = 0;
            while ((size_t)code[i] != b)
                i++;
            rad_error_set("%s: batch '%s' has only one sample (row %zu); ComBat needs at least 2 samples per batch "
                          "to estimate the batch's scale: merge it with a similar batch or drop its row",
                          F, c->batches[b], i + 1);
            goto done;
        }
    }
    { /* rows grouped by batch, in table order within a batch */
        size_t *fill = rad_calloc(nb, sizeof *fill, "ComBat data");
        if (!fill)
            goto done;
        for (size_t i = 0; i < n; i++)
            rows[start[code[i]] + fill[code[i]]++] = i;
        free(fill);
    }
    /* a feature constant within a batch has no batch scale */
    for (size_t j = 0; j < p; j++)
        for (size_t b = 0; b < nb; b++) {
            const size_t *r = rows + start[b];
            size_t m = 1;
            while (m < c->batch_n[b] && y[j * n + r[m]] == y[j * n + r[0]])
                m++;
            if (m == c->batch_n[b]) {
                rad_error_set("%s: feature '%s' is constant within batch '%s' (every one of its %zu samples is "
                              "%.10g), so its batch scale is 0; leave the feature out of features",
                              F, c->features[j], c->batches[b], c->batch_n[b], y[j * n + r[0]]);
                goto done;
            }
        }
    /* the design must have full rank: name the first covariate column that breaks it */
    {
        size_t bad = first_dependent(x, n, k);
        if (bad == (size_t)-1)
            goto done;
        if (bad < k) {
            char name[256];
            cov_column_name(c, bad - nb, name, sizeof name);
            rad_error_set("%s: covariate %s is confounded with batch '%s': it is a linear combination of the batch "
                          "indicators%s, so the design is singular and its effect cannot be told from the batch "
                          "effects; leave it out of covariates",
                          F, name, c->batch, bad > nb ? " and the covariates before it" : "");
            goto done;
        }
    }
    if (least_squares(x, n, k, y, p, bhat) < 0)
        goto done;
    for (size_t j = 0; j < p; j++) {
        double g = 0, v = 0;
        for (size_t b = 0; b < nb; b++)
            g += (double)c->batch_n[b] / (double)n * bhat[b * p + j];
        for (size_t i = 0; i < n; i++) {
            double fit = 0;
            for (size_t r = 0; r < k; r++)
                fit += x[r * n + i] * bhat[r * p + j];
            v += (y[j * n + i] - fit) * (y[j * n + i] - fit);
        }
        c->grand_mean[j] = g;
        c->var_pooled[j] = v / (double)n;
        for (size_t r = 0; r < c->nc; r++)
            c->beta[r * p + j] = bhat[(nb + r) * p + j];
        if (!(c->var_pooled[j] > 0)) {
            rad_error_set("%s: feature '%s' is fitted exactly by batch and covariates (no residual variance); "
                          "leave it out of features",
                          F, c->features[j]);
            goto done;
        }
    }
    /* standardise (y becomes s) */
    stand_mean(c, n, x + nb * n, sm);
    for (size_t j = 0; j < p; j++) {
        double sd = sqrt(c->var_pooled[j]);
        for (size_t i = 0; i < n; i++)
            y[j * n + i] = (y[j * n + i] - sm[j * n + i]) / sd;
    }
    for (size_t b = 0; b < nb; b++) {
        const size_t *r = rows + start[b];
        size_t m = c->batch_n[b];
        for (size_t j = 0; j < p; j++) {
            double s = 0, ss = 0, g;
            for (size_t q = 0; q < m; q++)
                s += y[j * n + r[q]];
            g = s / (double)m;
            for (size_t q = 0; q < m; q++)
                ss += (y[j * n + r[q]] - g) * (y[j * n + r[q]] - g);
            c->gamma_hat[b * p + j] = g;
            c->delta_hat[b * p + j] = c->opt.mean_only ? 1.0 : ss / (double)(m - 1);
            if (!c->opt.mean_only && !(c->delta_hat[b * p + j] > 0)) {
                rad_error_set("%s: feature '%s' has no variance within batch '%s' once the covariates are "
                              "accounted for; leave the feature out of features",
                              F, c->features[j], c->batches[b]);
                goto done;
            }
        }
        c->gamma_bar[b] = mean_of(c->gamma_hat + b * p, p);
        c->t2[b] = var_of(c->gamma_hat + b * p, p);
        if (c->opt.mean_only) {
            c->a_prior[b] = c->b_prior[b] = NAN;
        } else {
            double dm = mean_of(c->delta_hat + b * p, p), s2 = var_of(c->delta_hat + b * p, p);
            if (c->opt.parametric && !(s2 > 0)) {
                rad_error_set("%s: the variances of batch '%s' are the same for every feature, so the inverse-gamma "
                              "prior of the scale cannot be estimated; use parametric = false",
                              F, c->batches[b]);
                goto done;
            }
            c->a_prior[b] = (2 * s2 + dm * dm) / s2;
            c->b_prior[b] = (dm * s2 + dm * dm * dm) / s2;
        }
    }
    for (size_t b = 0; b < nb; b++) {
        const size_t *r = rows + start[b];
        if (!c->opt.parametric) {
            int_eprior(c, b, y, n, r, c->batch_n[b], work);
        } else if (c->opt.mean_only) {
            for (size_t j = 0; j < p; j++) {
                c->gamma_star[b * p + j] =
                    (c->t2[b] * c->gamma_hat[b * p + j] + c->gamma_bar[b]) / (c->t2[b] + 1.0);
                c->delta_star[b * p + j] = 1.0;
            }
        } else if (it_sol(c, b, y, n, r, c->batch_n[b]) < 0) {
            goto done;
        }
    }
    rc = 0;
done:
    free(code);
    free(rows);
    free(x);
    free(y);
    free(sm);
    free(bhat);
    free(work);
    free(start);
    return rc;
}

RadCombat *rad_combat_fit(const RadTable *t, const char *batch, const char *const *features, size_t p,
                          const char *const *covariates, size_t ncov, const RadCombatOptions *opt)
{
    RadCombat *c;
    if (!t || !batch || (p && !features) || (ncov && !covariates)) {
        rad_error_set("combat: missing argument");
        return NULL;
    }
    if (!(c = rad_calloc(1, sizeof *c, "ComBat fit")))
        return NULL;
    c->opt.parametric = opt ? opt->parametric : 1;
    c->opt.mean_only = opt ? opt->mean_only : 0;
    if (setup(c, t, batch, features, p, covariates, ncov) < 0 || estimate(c, t) < 0) {
        rad_combat_free(c);
        return NULL;
    }
    return c;
}

/* ---- apply --------------------------------------------------------------------------- */

RadTable *rad_combat_apply(const RadCombat *c, const RadTable *t)
{
    const char *F = "combat apply";
    size_t n = t->nrow, p = c->p;
    RadTable *out = NULL;
    const RadColumn *bcol = rad_table_get(t, c->batch);
    if (!bcol) {
        rad_error_prefix("%s: the batch column of the harmonisation is not in this table", F);
        return NULL;
    }
    int *code = rad_calloc(n + 1, sizeof *code, "ComBat apply");
    double *xc = rad_calloc(n * c->nc + 1, sizeof *xc, "ComBat apply");
    double *y = rad_calloc(n * p + 1, sizeof *y, "ComBat apply");
    double *sm = rad_calloc(n * p + 1, sizeof *sm, "ComBat apply");
    if (!code || !xc || !y || !sm)
        goto done;
    if (feature_matrix(c, t, y, F) < 0 || batch_codes(c, t, bcol, code, F) < 0 || cov_design(c, t, xc, F) < 0)
        goto done;
    stand_mean(c, n, xc, sm);
    if (!(out = rad_table_copy(t)))
        goto done;
    for (size_t j = 0; j < p; j++) {
        double sd = sqrt(c->var_pooled[j]);
        double *v = out->cols[rad_table_find(out, c->features[j])].num;
        for (size_t i = 0; i < n; i++) {
            size_t b = (size_t)code[i];
            double s = (y[j * n + i] - sm[j * n + i]) / sd;
            v[i] = (s - c->gamma_star[b * p + j]) / sqrt(c->delta_star[b * p + j]) * sd + sm[j * n + i];
        }
    }
done:
    free(code);
    free(xc);
    free(y);
    free(sm);
    return out;
}
