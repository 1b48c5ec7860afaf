/* radlab: model and cohort charts.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forest plot, lasso coefficient paths with the cross-validation curve,
 * correlation heatmap with clustering order, nomogram, box / violin / strip
 * plots by group and the waterfall of a score.  Each takes plain C data and
 * the common chart options, and returns a new RadFigure or NULL with
 * rad_error_message().
 */
#ifndef RAD_CHART_MODEL_H
#define RAD_CHART_MODEL_H

#include <stddef.h>

#include "plot/plot.h"

/* Forest plot of ratios (hazard or odds) with their 95 % CIs: one row per
 * term (labels[i]), estimate est[i], CI [lo[i], hi[i]] (all ratios, > 0),
 * p[i] (may be NULL or NaN entries); measure "HR" or "OR" (heads the text
 * column and names the x axis).  Rows with a missing estimate are listed
 * as "NA" with a note; a row with estimate 1 and both CI bounds NaN is a
 * factor's reference level ("1 (reference)", no interval). */
RadFigure *rad_chart_forest(const char *const *labels, const double *est, const double *lo, const double *hi,
                            const double *p, size_t n, const char *measure, const RadChartOptions *o);

/* A cross-validation curve over the lambdas of a penalised path. */
typedef struct RadLassoCv {
    const double *lambda, *cvm, *cvsd; /* n each */
    size_t n;
    double lambda_min, lambda_1se;
    const char *ylabel;                /* "Partial likelihood deviance", ... (NULL: "CV error") */
} RadLassoCv;

/* Coefficient paths: beta is nlambda x p row-major (row k = lambda k),
 * names[p] the features; df[nlambda] the non-zero counts (NULL: counted
 * from beta).  With cv a second panel below holds the CV curve (mean +- SD)
 * and dashed lines at lambda_min and lambda_1se.  The x axis is log(lambda)
 * running from the largest lambda (left) to the smallest (right), so the
 * fullest model and the labels of the largest coefficients sit at the
 * right edge. */
RadFigure *rad_chart_lasso(const double *lambda, size_t nlambda, const double *beta, size_t p,
                           const char *const *names, const size_t *df, const RadLassoCv *cv,
                           const RadChartOptions *o);

/* Correlation heatmap of the p columns of x (column-major n x p, NaN
 * missing; pairwise complete), method 0 Pearson / 1 Spearman (stats.h
 * RadCorMethod), ordered by average-linkage clustering on 1 - |r| when
 * cluster is 1.  order (p, may be NULL) receives the 0-based column order
 * drawn top to bottom. */
RadFigure *rad_chart_heatmap(const double *x, size_t n, size_t p, const char *const *names, int method,
                             int cluster, size_t *order, const RadChartOptions *o);

/* Hierarchical clustering (average linkage) of p items with the symmetric
 * distance matrix d (p x p; NaN counts as the largest distance); writes the
 * dendrogram's leaf order into order[p].  0 or -1 (out of memory). */
int rad_cluster_order(const double *d, size_t p, size_t *order);

/* One covariate scale of a nomogram: n ticks at points[k] (0..100) labelled
 * labels[k]; an empty label only extends the scale's line (no tick). */
typedef struct RadNomoTerm {
    const char *name;
    size_t n;
    const double *points;
    const char *const *labels;
} RadNomoTerm;

/* A nomogram: the Points scale (0..100), one scale per term, the Total
 * points scale (0..max_total) and one predicted-survival scale per stratum
 * (survival[s * ntot + k] at total[k], k = 0..ntot-1; strata labels may be
 * NULL for an unstratified model).  at is the time of the prediction,
 * at_label its text ("5 years"; NULL: the number).  A logistic model's
 * nomogram: scale_label names the bottom scale ("Probability of MYCN") and
 * survival[] holds the probability at each total (logit-linear); NULL for a
 * Cox model. */
RadFigure *rad_chart_nomogram(const RadNomoTerm *terms, size_t nterms, const double *total, size_t ntot,
                              double max_total, const double *survival, size_t nstrata,
                              const char *const *strata, double at, const char *at_label,
                              const char *scale_label, const RadChartOptions *o);

typedef enum { RAD_BOX_BOX = 0, RAD_BOX_VIOLIN, RAD_BOX_STRIP } RadBoxKind;

/* y by group: y[n] (NaN dropped with a note), group[n] in 0..ngroups-1
 * (negative: missing, dropped), group names names[ngroups].  Draws a Tukey
 * box plot, a violin (Gaussian kernel, Silverman's bandwidth) or a
 * jittered strip, with n under each group and the Mann-Whitney (2 groups)
 * or Kruskal-Wallis (3 or more) p value. */
RadFigure *rad_chart_box(const double *y, const int *group, size_t n, const char *const *names, size_t ngroups,
                         RadBoxKind kind, const RadChartOptions *o);

/* Kruskal-Wallis rank-sum test (chi-square with tie correction, as R
 * kruskal.test) of y by group (0..k-1; negative or NaN skipped). */
int rad_kruskal_test(const double *y, const int *group, size_t n, size_t k, double *stat, double *df, double *p);

/* Waterfall: one bar per patient of score - centre (centre NaN: the
 * median), sorted descending, coloured by outcome[i] (0 / 1; negative:
 * unknown, grey; outcome may be NULL) with labels[2] for the legend
 * (NULL: "No event", "Event"); score_name names the y axis (NULL:
 * "Score"). */
RadFigure *rad_chart_waterfall(const double *score, const int *outcome, size_t n, double centre,
                               const char *const *labels, const char *score_name, const RadChartOptions *o);

#endif
