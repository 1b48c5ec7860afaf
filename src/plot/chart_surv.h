/* radlab: survival and diagnostic charts.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kaplan-Meier curves with a number-at-risk table, ROC curves, time-dependent
 * ROC curves, calibration plots and decision curves.  Each chart takes plain
 * C arrays and the options every chart shares (RadChartOptions, plot.h) and
 * returns a new RadFigure, or NULL with rad_error_message() set.
 */
#ifndef RAD_CHART_SURV_H
#define RAD_CHART_SURV_H

#include "plot/plot.h"

/* ---- Kaplan-Meier ------------------------------------------------------------- */

typedef struct RadKmChartOptions {
    const double *times;   /* times of the number-at-risk table (NULL: the x ticks) */
    size_t ntimes;
    int conf;              /* CI bands: 1 on, 0 off, -1 automatic (on for <= 2 groups) */
    double conf_level;     /* 0.95 */
    int censor;            /* 1: censoring tick marks */
    int risk_table;        /* 1: number at risk under the time axis */
    int pvalue;            /* 1: log-rank p on the plot (2 or more groups) */
    double xlim[2], ylim[2]; /* NaN: automatic (x from 0, y 0..1) */
    const char *time_label;  /* x axis label (NULL: "Time") */
} RadKmChartOptions;
void rad_km_chart_options_default(RadKmChartOptions *k);

/* Kaplan-Meier curves of n subjects: time >= 0, event 0/1, group[i] in
 * 0..ngroups-1 (group NULL: one curve; a negative code or a NaN time or
 * event drops the subject with a note).  names[j] labels group j (may be
 * NULL: "Group j+1").  Empty groups are left out with a note. */
RadFigure *rad_chart_km(const double *time, const double *event, const int *group, size_t n,
                        const char *const *names, size_t ngroups, const RadKmChartOptions *k,
                        const RadChartOptions *o);

/* ---- ROC ---------------------------------------------------------------------- */

typedef struct RadRocCurve {
    const double *fpr, *tpr; /* n points of the curve (1 - specificity, sensitivity) */
    size_t n;
    double auc, lower, upper; /* AUC and its CI (NaN: no CI shown) */
    const char *label;        /* legend label (NULL: none) */
} RadRocCurve;

/* k ROC curves on a square 0..1 plot with the chance diagonal; legend
 * "label, AUC 0.78 (0.71-0.85)". */
RadFigure *rad_chart_roc(const RadRocCurve *c, size_t k, const RadChartOptions *o);

/* The cumulative/dynamic ROC curve at time t with inverse-probability-of-
 * censoring weights, as rad_td_auc (surv.h): cases have an event at or
 * before t and weight 1 / G(T-), controls are event free after t.  *fpr and
 * *tpr (malloc'd, *np points from (0, 0) to (1, 1)) and *auc (rad_td_auc's
 * value). */
int rad_td_roc_curve(const double *time, const double *event, const double *score, size_t n, double t,
                     double **fpr, double **tpr, size_t *np, double *auc);

/* Time-dependent ROC curves at nat times; labels[j] may be NULL ("t = 365
 * days" with unit "days"; unit may be NULL).  The legend gives AUC(t) with
 * a 95 % percentile bootstrap CI (nboot resamples of the subjects, GSL's
 * MT19937 seeded with seed, so the figure is reproducible; 0: no CI). */
RadFigure *rad_chart_td_roc(const double *time, const double *event, const double *score, size_t n,
                            const double *at, size_t nat, const char *const *labels, const char *unit, size_t nboot,
                            unsigned long seed, const RadChartOptions *o);

/* ---- calibration ----------------------------------------------------------------- */

/* n groups: predicted vs observed probability with the observed CI (lower /
 * upper may be NULL or NaN), the ideal diagonal, an optional connecting line
 * and the calibration slope / intercept (NaN: not shown).  at > 0 names the
 * time in the default x label "Predicted survival at t = at". */
RadFigure *rad_chart_calibration(const double *predicted, const double *observed, const double *lower,
                                 const double *upper, size_t n, double slope, double intercept, double at,
                                 int line, const RadChartOptions *o);

/* ---- decision curves ------------------------------------------------------------- */

typedef struct RadDcaCurve {
    const double *threshold, *net_benefit; /* n points, NaN breaks the line */
    size_t n;
    const char *label;
} RadDcaCurve;

/* Net benefit against threshold probability for k models, with treat-all
 * (grey; treat_all[i] at c[0].threshold[i], may be NULL) and treat-none
 * (black, 0) references. */
RadFigure *rad_chart_dca(const RadDcaCurve *c, size_t k, const double *treat_all, const RadChartOptions *o);

#endif
