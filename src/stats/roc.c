/* radlab: ROC curves, AUC with DeLong's variance, the paired DeLong test and
 * cut-off statistics.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Direction: a higher score means the positive class (y = 1), always; pROC's
 * default direction = "auto" would flip a curve below the diagonal, we don't.
 *
 * AUC is the Mann-Whitney statistic
 *   AUC = 1 / (m n) sum_i sum_j psi(X_i, Y_j),  psi = 1 if X > Y, 1/2 if X = Y, 0 else,
 * over the m positive scores X and the n negative scores Y.
 *
 * DeLong, DeLong & Clarke-Pearson (1988), Biometrics 44:837-845: the placement
 * values V10_i = 1/n sum_j psi(X_i, Y_j) and V01_j = 1/m sum_i psi(X_i, Y_j)
 * give var(AUC) = S10 / m + S01 / n with S10, S01 their sample variances
 * (divisor m - 1, n - 1).  They are computed by sorting, in O(N log N), as in
 * Sun & Xu (2014), IEEE Signal Process Lett 21:1389-1393: V10_i counts the
 * negatives below X_i plus half those equal to it (binary search in the
 * sorted negatives), and symmetrically for V01.
 *
 * The 95 % CI is AUC -/+ qnorm(0.975) se clipped to [0, 1], as pROC
 * ci.auc(method = "delong").  The paired test of two curves A, B on the same
 * cases (pROC roc.test(method = "delong")) uses the covariance
 *   cov(A, B) = cov(V10^A, V10^B) / m + cov(V01^A, V01^B) / n,
 *   z = (AUC_A - AUC_B) / sqrt(var A + var B - 2 cov(A, B)),  p = 2 Phi(-|z|).
 *
 * At a cut-off c, score >= c is called positive: sensitivity = TP / m,
 * specificity = TN / n, accuracy, PPV = TP / (TP + FP), NPV = TN / (TN + FN)
 * (NaN when the denominator is 0).  Youden's J = sensitivity + specificity - 1
 * is maximised over the observed scores.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "util/error.h"
#include "stats/models.h"

void rad_roc_free(RadRoc *roc)
{
    if (!roc)
        return;
    free(roc->threshold);
    free(roc->v10);
    free(roc->score);
    free(roc->case_of);
    memset(roc, 0, sizeof *roc);
}

static int cmp_asc(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* Number of values of sorted s[0..n) below v and equal to v. */
static void count_below(const double *s, size_t n, double v, size_t *below, size_t *equal)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    *below = lo;
    hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    *equal = lo - *below;
}

static double sample_var(const double *v, size_t n)
{
    double m = 0, s = 0;
    for (size_t i = 0; i < n; i++)
        m += v[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        s += (v[i] - m) * (v[i] - m);
    return s / (double)(n - 1);
}

static double sample_cov(const double *a, const double *b, size_t n)
{
    double ma = 0, mb = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= (double)n;
    mb /= (double)n;
    for (size_t i = 0; i < n; i++)
        s += (a[i] - ma) * (b[i] - mb);
    return s / (double)(n - 1);
}

int rad_roc(const double *y, const double *score, size_t n, RadRoc *roc)
{
    size_t m = 0, nn = 0, npos, nneg, N;
    double *sp = NULL, *sn = NULL, *all = NULL;
    int rc = -1;

    memset(roc, 0, sizeof *roc);
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i]) || isnan(score[i]))
            continue;
        if (y[i] != 0 && y[i] != 1)
            return rad_error_set("roc: the outcome must be 0 or 1, but case %zu has %g; recode it to 0/1", i + 1, y[i]);
        if (!isfinite(score[i]))
            return rad_error_set("roc: the score of case %zu is infinite", i + 1);
        if (y[i] == 1)
            m++;
        else
            nn++;
    }
    if (m == 0 || nn == 0)
        return rad_error_set("roc: need cases of both classes, got %zu positive (y = 1) and %zu negative (y = 0) "
                             "with a score", m, nn);
    npos = m;
    nneg = nn;
    N = npos + nneg;

    roc->score = rad_malloc(N * sizeof(double), "roc scores");
    roc->case_of = rad_malloc(N * sizeof(size_t), "roc cases");
    roc->v10 = rad_malloc(N * sizeof(double), "roc placements");
    roc->threshold = rad_malloc(3 * (N + 1) * sizeof(double), "roc curve");
    sp = rad_malloc(2 * N * sizeof(double), "roc sorted scores");
    if (!roc->score || !roc->case_of || !roc->v10 || !roc->threshold || !sp)
        goto done;
    roc->v01 = roc->v10 + npos;
    roc->fpr = roc->threshold + (N + 1);
    roc->tpr = roc->fpr + (N + 1);
    sn = sp + npos;
    all = sp + N;

    m = 0;
    nn = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i]) || isnan(score[i]))
            continue;
        if (y[i] == 1) {
            roc->score[m] = score[i];
            roc->case_of[m++] = i;
        } else {
            roc->score[npos + nn] = score[i];
            roc->case_of[npos + nn++] = i;
        }
    }
    memcpy(sp, roc->score, N * sizeof(double));
    qsort(sp, npos, sizeof(double), cmp_asc);
    qsort(sn, nneg, sizeof(double), cmp_asc);

    /* Placement values and the AUC. */
    {
        double auc = 0;
        for (size_t i = 0; i < npos; i++) {
            size_t below, eq;
            count_below(sn, nneg, roc->score[i], &below, &eq);
            roc->v10[i] = ((double)below + 0.5 * (double)eq) / (double)nneg;
            auc += roc->v10[i];
        }
        auc /= (double)npos;
        for (size_t j = 0; j < nneg; j++) {
            size_t below, eq;
            count_below(sp, npos, roc->score[npos + j], &below, &eq);
            /* positives above Y_j plus half the ties */
            roc->v01[j] = ((double)(npos - below - eq) + 0.5 * (double)eq) / (double)npos;
        }
        roc->auc = auc;
    }
    roc->n_pos = npos;
    roc->n_neg = nneg;
    if (npos >= 2 && nneg >= 2) {
        double zc = gsl_cdf_ugaussian_Pinv(0.975);
        roc->var = sample_var(roc->v10, npos) / (double)npos + sample_var(roc->v01, nneg) / (double)nneg;
        roc->se = sqrt(roc->var);
        roc->ci_lower = fmax(0, roc->auc - zc * roc->se);
        roc->ci_upper = fmin(1, roc->auc + zc * roc->se);
    } else {
        roc->var = roc->se = NAN;
        roc->ci_lower = roc->ci_upper = NAN;
    }

    /* Curve: +Inf, then each unique score in decreasing order. */
    {
        size_t k = 0, ip = npos, in = nneg;  /* counts of positives / negatives below the current threshold */
        memcpy(all, roc->score, N * sizeof(double));
        qsort(all, N, sizeof(double), cmp_asc);
        roc->threshold[0] = INFINITY;
        roc->fpr[0] = roc->tpr[0] = 0;
        k = 1;
        for (size_t a = N; a > 0;) {
            double t = all[a - 1];
            while (a > 0 && all[a - 1] == t)
                a--;
            while (ip > 0 && sp[ip - 1] >= t)
                ip--;
            while (in > 0 && sn[in - 1] >= t)
                in--;
            roc->threshold[k] = t;
            roc->tpr[k] = (double)(npos - ip) / (double)npos;
            roc->fpr[k] = (double)(nneg - in) / (double)nneg;
            k++;
        }
        roc->npoints = k;
    }
    rc = 0;
done:
    free(sp);
    if (rc < 0)
        rad_roc_free(roc);
    return rc;
}

void rad_roc_at(const RadRoc *roc, double cutoff, RadRocAt *at)
{
    size_t tp = 0, fp = 0;
    for (size_t i = 0; i < roc->n_pos; i++)
        tp += roc->score[i] >= cutoff;
    for (size_t j = 0; j < roc->n_neg; j++)
        fp += roc->score[roc->n_pos + j] >= cutoff;
    memset(at, 0, sizeof *at);
    at->cutoff = cutoff;
    at->tp = tp;
    at->fp = fp;
    at->fn = roc->n_pos - tp;
    at->tn = roc->n_neg - fp;
    at->sensitivity = (double)tp / (double)roc->n_pos;
    at->specificity = (double)at->tn / (double)roc->n_neg;
    at->accuracy = (double)(tp + at->tn) / (double)(roc->n_pos + roc->n_neg);
    at->ppv = tp + fp ? (double)tp / (double)(tp + fp) : NAN;
    at->npv = at->tn + at->fn ? (double)at->tn / (double)(at->tn + at->fn) : NAN;
    at->j = at->sensitivity + at->specificity - 1;
}

void rad_roc_youden(const RadRoc *roc, RadRocAt *at)
{
    double best = -INFINITY, cut = roc->threshold[roc->npoints - 1];
    for (size_t k = 1; k < roc->npoints; k++) {
        double j = roc->tpr[k] - roc->fpr[k];
        if (j > best) {
            best = j;
            cut = roc->threshold[k];
        }
    }
    rad_roc_at(roc, cut, at);
}

int rad_roc_test(const RadRoc *a, const RadRoc *b, RadRocTest *t)
{
    size_t m = a->n_pos, n = a->n_neg;
    double cov, var;
    memset(t, 0, sizeof *t);
    if (a->n_pos != b->n_pos || a->n_neg != b->n_neg ||
        memcmp(a->case_of, b->case_of, (m + n) * sizeof *a->case_of) != 0)
        return rad_error_set("roc_test: the two ROC curves are not on the same cases (%zu/%zu vs %zu/%zu "
                             "positives/negatives); compute both from the same outcome with no missing scores",
                             a->n_pos, a->n_neg, b->n_pos, b->n_neg);
    if (m < 2 || n < 2)
        return rad_error_set("roc_test: DeLong's test needs at least 2 positives and 2 negatives, got %zu and %zu", m, n);
    cov = sample_cov(a->v10, b->v10, m) / (double)m + sample_cov(a->v01, b->v01, n) / (double)n;
    var = a->var + b->var - 2 * cov;
    t->diff = a->auc - b->auc;
    t->var = var;
    if (!(var > 0)) {
        if (t->diff == 0)
            return rad_error_set("roc_test: the two ROC curves are identical (variance of the difference is 0)");
        return rad_error_set("roc_test: the variance of the AUC difference is %g; the test is undefined", var);
    }
    t->z = t->diff / sqrt(var);
    t->p = 2 * gsl_cdf_ugaussian_P(-fabs(t->z));
    return 0;
}
