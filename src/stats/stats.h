/* radlab: statistical tests, correlation, ICC and mutual information.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain double arrays in, small result structs out.  A missing value is NaN:
 * the two-sample tests drop missing values of each sample (listwise), the
 * correlations use the pairwise complete observations, the ICC needs complete
 * ratings.  Every function records a message (rad_error_set) and returns -1
 * on bad input: too few observations, constant data, negative counts, ...;
 * no result is ever a NaN that the caller did not ask for.
 *
 * The definitions follow R (stats::t.test, wilcox.test, chisq.test,
 * fisher.test, p.adjust, cor) and Shrout & Fleiss (1979) / McGraw & Wong
 * (1996) for the ICC; see the comments in tests.c, corr.c and icc.c.
 */
#ifndef RAD_STATS_STATS_H
#define RAD_STATS_STATS_H

#include <stddef.h>

/* ---- two-sample tests (tests.c) ------------------------------------------------ */

typedef struct RadTTest {
    double t, df, p;       /* Welch t, Welch-Satterthwaite df, two-sided p */
    double mean1, mean2;   /* sample means */
    size_t n1, n2;         /* non-missing sizes */
} RadTTest;
/* Welch two-sample t test, as R t.test(a, b, var.equal = FALSE).  Needs at
 * least 2 non-missing values per sample and not both samples constant. */
int rad_ttest_welch(const double *a, size_t na, const double *b, size_t nb, RadTTest *r);

typedef struct RadWilcox {
    double w;     /* R's W: rank sum of a minus n1 (n1 + 1) / 2 (= Mann-Whitney U of a) */
    double p;     /* two-sided p */
    int exact;    /* 1: exact distribution (n1, n2 < 50, no ties); 0: normal approximation
                   * with tie and continuity correction */
    size_t n1, n2;
} RadWilcox;
/* Wilcoxon rank-sum / Mann-Whitney U test, as R wilcox.test(a, b). */
int rad_wilcox_test(const double *a, size_t na, const double *b, size_t nb, RadWilcox *r);

/* ---- count tables (tests.c) ------------------------------------------------------- */

typedef struct RadChisq {
    double stat, df, p;
    double min_expected;   /* smallest expected count (callers warn when < 5) */
    int yates;             /* 1 when the continuity correction was applied */
} RadChisq;
/* Pearson chi-square test of independence of an nr x nc table of counts
 * (row-major: counts[i * nc + j]), as R chisq.test(x); `correct` applies
 * Yates' continuity correction to a 2x2 table (R's default is 1).  Counts
 * must be finite and >= 0; a row or column summing to 0 is an error. */
int rad_chisq_test(const double *counts, size_t nr, size_t nc, int correct, RadChisq *r);

typedef struct RadFisher {
    double p;            /* two-sided p (probabilities <= observed, rel. tol. 1e-7) */
    double odds_ratio;   /* conditional maximum likelihood estimate (0 or INFINITY at the edges) */
} RadFisher;
/* Fisher's exact test of a 2x2 table {{a, b}, {c, d}} given row-major as
 * counts[4] (non-negative integers), as R fisher.test. */
int rad_fisher_test(const double counts[4], RadFisher *r);

/* ---- multiple testing (tests.c) --------------------------------------------------- */

typedef enum RadPAdjust {
    RAD_PADJ_BONFERRONI = 0,
    RAD_PADJ_HOLM,
    RAD_PADJ_BH
} RadPAdjust;
/* Adjusted p-values as R p.adjust: n counts the non-missing p-values; a
 * missing p stays missing.  out may equal p.  A p outside [0, 1] is an error. */
int rad_p_adjust(const double *p, size_t n, RadPAdjust method, double *out);
/* "bonferroni", "holm", "BH" (also "fdr") -> method; -1 with a message otherwise. */
int rad_p_adjust_method(const char *name);

/* ---- correlation and ranks (corr.c) ----------------------------------------------- */

typedef enum RadCorMethod {
    RAD_COR_PEARSON = 0,
    RAD_COR_SPEARMAN
} RadCorMethod;
/* "pearson" / "spearman" -> method; -1 with a message otherwise. */
int rad_cor_method(const char *name);

/* Average ranks (1-based; ties get the mean of their ranks) of the
 * non-missing values; a missing value keeps rank NaN.  Returns the number of
 * non-missing values, or -1 (out of memory). */
long rad_rank(const double *x, size_t n, double *ranks);

/* Correlation of x and y over the pairs where both are present (Spearman:
 * Pearson correlation of the average ranks within those pairs).  Needs 2
 * complete pairs; a constant variable is an error. */
int rad_cor(const double *x, const double *y, size_t n, RadCorMethod method, double *r);

/* Correlation matrix of the p columns of x (column-major n x p: x[j * n + i])
 * into out (p x p, symmetric, diagonal 1), pairwise complete observations.
 * A pair without 2 complete observations or with a constant variable gets NaN
 * (documented missing); columns without missing values share one pass. */
int rad_cor_matrix(const double *x, size_t n, size_t p, RadCorMethod method, double *out);

/* ---- intraclass correlation (icc.c) ------------------------------------------------ */

typedef enum RadIccType {
    RAD_ICC_1_1 = 0,   /* one-way random effects, single rater, absolute agreement */
    RAD_ICC_2_1,       /* two-way random effects, single rater, absolute agreement */
    RAD_ICC_3_1        /* two-way mixed effects, single rater, consistency */
} RadIccType;

typedef struct RadIcc {
    double icc, lower, upper;   /* estimate and confidence interval */
    double f, df1, df2, p;      /* F test of icc = 0 */
} RadIcc;
/* "1,1", "2,1", "3,1" (also "ICC1", "ICC2", "ICC3") -> type; -1 with a message otherwise. */
int rad_icc_type(const char *name);
/* ICC of an n x k matrix of ratings (row-major: x[i * k + j], cases x
 * raters), complete (a missing rating is an error naming case and rater),
 * n >= 2, k >= 2.  conf is the confidence level (0.95). */
int rad_icc(const double *x, size_t n, size_t k, RadIccType type, double conf, RadIcc *r);

/* ---- mutual information (corr.c) -------------------------------------------------- */

/* Default number of bins for n complete pairs: clamp(floor(sqrt(n / 5)), 2, 10). */
int rad_mi_default_bins(size_t n);
/* Plug-in (maximum likelihood) estimate of the mutual information, in nats,
 * between x and y over the complete pairs.  A variable with at most `bins`
 * distinct values is taken as categorical (its values are the categories);
 * otherwise it is discretised into `bins` equal-frequency bins by average rank
 * (ties share a bin).  bins <= 0 selects rad_mi_default_bins(n). */
int rad_mutual_info(const double *x, const double *y, size_t n, int bins, double *mi);
/* The same, with xcat / ycat set forcing a variable to be taken as
 * categorical (its values are category codes) whatever its number of levels. */
int rad_mutual_info_cat(const double *x, const double *y, size_t n, int bins, int xcat, int ycat, double *mi);

#endif
