/* radlab: survival and diagnostic charts.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What they draw and the conventions followed:
 *
 *  - rad_chart_km: Kaplan-Meier step curves (rad_km_fit, as R survfit) with
 *    vertical tick marks at censoring times, optional stepped bands for the
 *    log-transformed pointwise CI, the log-rank p (rad_logrank, as R
 *    survdiff) written as journals do (rad_format_p), and the number at risk
 *    under the time axis at the x ticks, rows labelled in the curve colours,
 *    as recommended by Pocock, Clayton & Altman (Lancet 2002; 359:1686) and
 *    the ggsurvplot / survminer layout.  y is "Survival probability" 0..1,
 *    x starts at 0 and ends on a tick at or after the last follow-up, so the
 *    table's columns fall under labelled ticks.
 *  - rad_chart_roc: ROC curves (1 - specificity against sensitivity) on a
 *    square unit plot with the chance diagonal dashed grey; the legend holds
 *    the AUC with its DeLong 95 % CI as in pROC's print.
 *  - rad_chart_td_roc: cumulative/dynamic ROC curves at time t (Heagerty,
 *    Lumley & Pepe 2000) with the IPCW estimator of Uno et al. 2007 and
 *    Blanche et al. 2013 (R timeROC): the same weights as rad_td_auc, so the
 *    area under the drawn curve is the AUC(t) in the legend.
 *  - rad_chart_calibration: grouped calibration (predicted against
 *    Kaplan-Meier observed with its CI), the ideal diagonal and the
 *    calibration slope / intercept, as in Steyerberg, Clinical Prediction
 *    Models (2nd ed., ch. 15) and rms::calibrate plots.
 *  - rad_chart_dca: decision curves (Vickers & Elkin, Med Decis Making
 *    2006; survival version Vickers et al. 2008): net benefit against the
 *    threshold probability with treat-all (grey) and treat-none (black at 0);
 *    the y range runs from a little below 0 to just above the best net
 *    benefit, so the treat-all curve's dive below 0 is clipped rather than
 *    squashing the useful part.
 *
 * Colours follow the Okabe-Ito palette (rad_palette); sizes default to a
 * 1.5 column (~120 mm) figure for Kaplan-Meier and a single column (~85-90
 * mm) square for the others.
 */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "stats/surv.h"
#include "plot/charts.h"

/* ---- small helpers ------------------------------------------------------------------ */

static RadColor light(RadColor c, double a)
{
    c.a = a;
    return c;
}

/* Ticks from 0 covering [0, hi] exactly: the last tick is at or after hi. */
static size_t time_ticks(double lo, double hi, double *ticks, size_t max)
{
    if (!(hi > lo))
        hi = lo + 1;
    size_t n = rad_nice_ticks(lo, hi, 6, ticks, max - 2);
    if (n >= 2 && ticks[n - 1] < hi - 1e-9 * (hi - lo)) {
        ticks[n] = ticks[n - 1] + (ticks[1] - ticks[0]);
        n++;
    }
    if (n >= 2 && ticks[0] > lo + 1e-9 * (hi - lo)) {
        memmove(ticks + 1, ticks, n * sizeof *ticks);
        ticks[0] = ticks[1] - (ticks[2] - ticks[1]);
        n++;
    }
    return n;
}

/* ---- Kaplan-Meier ----------------------------------------------------------------------- */

void rad_km_chart_options_default(RadKmChartOptions *k)
{
    memset(k, 0, sizeof *k);
    k->conf = -1;
    k->conf_level = 0.95;
    k->censor = 1;
    k->risk_table = 1;
    k->pvalue = 1;
    k->xlim[0] = k->xlim[1] = NAN;
    k->ylim[0] = k->ylim[1] = NAN;
}

typedef struct KmWork {
    double *t, *e;  /* kept subjects, grouped contiguously */
    int *g;
    size_t *start, *count; /* per kept group */
    RadKm *km;
    size_t nkm;
    double *x, *y, *lo, *hi; /* curve scratch */
    char *cells;
    const char **cellp, **rowlab;
    RadColor *rowcol;
    RadLogrank lr;
} KmWork;

static void km_work_free(KmWork *w)
{
    free(w->t);
    free(w->e);
    free(w->g);
    free(w->start);
    free(w->count);
    for (size_t j = 0; j < w->nkm; j++)
        rad_km_free(&w->km[j]);
    free(w->km);
    free(w->x);
    free(w->y);
    free(w->lo);
    free(w->hi);
    free(w->cells);
    free(w->cellp);
    free(w->rowlab);
    free(w->rowcol);
    rad_logrank_free(&w->lr);
}

RadFigure *rad_chart_km(const double *time, const double *event, const int *group, size_t n,
                        const char *const *names, size_t ngroups, const RadKmChartOptions *k,
                        const RadChartOptions *o)
{
    RadKmChartOptions kd;
    KmWork w;
    memset(&w, 0, sizeof w);
    if (!k) {
        rad_km_chart_options_default(&kd);
        k = &kd;
    }
    if (!group)
        ngroups = 1;
    if (n == 0) {
        rad_error_set("Kaplan-Meier plot: no subjects; give at least one (time, event) pair");
        return NULL;
    }
    if (ngroups == 0 || ngroups > 64) {
        rad_error_set("Kaplan-Meier plot: %zu groups; give 1 to 64", ngroups);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isnan(time[i]) && (!isfinite(time[i]) || time[i] < 0)) {
            rad_error_set("Kaplan-Meier plot: time of subject %zu is %g; times must be finite and >= 0", i + 1,
                          time[i]);
            return NULL;
        }
        if (!isnan(event[i]) && event[i] != 0 && event[i] != 1) {
            rad_error_set("Kaplan-Meier plot: event of subject %zu is %g; code events 1 (event) and 0 (censored)",
                          i + 1, event[i]);
            return NULL;
        }
        if (group && group[i] >= (int)ngroups) {
            rad_error_set("Kaplan-Meier plot: group of subject %zu is %d; codes run 0..%zu", i + 1, group[i],
                          ngroups - 1);
            return NULL;
        }
    }
    double conf_level = k->conf_level > 0 && k->conf_level < 1 ? k->conf_level : 0.95;
    w.t = rad_malloc(n * sizeof *w.t, "Kaplan-Meier plot");
    w.e = rad_malloc(n * sizeof *w.e, "Kaplan-Meier plot");
    w.g = rad_malloc(n * sizeof *w.g, "Kaplan-Meier plot");
    w.start = rad_calloc(ngroups, sizeof *w.start, "Kaplan-Meier plot");
    w.count = rad_calloc(ngroups, sizeof *w.count, "Kaplan-Meier plot");
    w.km = rad_calloc(ngroups, sizeof *w.km, "Kaplan-Meier plot");
    w.rowlab = rad_calloc(ngroups, sizeof *w.rowlab, "Kaplan-Meier plot");
    w.rowcol = rad_calloc(ngroups, sizeof *w.rowcol, "Kaplan-Meier plot");
    RadFigure *f = NULL;
    if (!w.t || !w.e || !w.g || !w.start || !w.count || !w.km || !w.rowlab || !w.rowcol)
        goto fail;

    /* keep complete subjects, grouped contiguously (stable within a group) */
    size_t nmiss = 0, ngmiss = 0, m = 0;
    size_t *gcount = w.count;
    for (size_t i = 0; i < n; i++) {
        if (isnan(time[i]) || isnan(event[i]))
            nmiss++;
        else if (group && group[i] < 0)
            ngmiss++;
        else
            gcount[group ? group[i] : 0]++;
    }
    for (size_t j = 0, s = 0; j < ngroups; j++) {
        w.start[j] = s;
        s += gcount[j];
    }
    {
        size_t *fill = rad_calloc(ngroups, sizeof *fill, "Kaplan-Meier plot");
        if (!fill)
            goto fail;
        for (size_t i = 0; i < n; i++) {
            if (isnan(time[i]) || isnan(event[i]) || (group && group[i] < 0))
                continue;
            size_t j = group ? (size_t)group[i] : 0;
            size_t at = w.start[j] + fill[j]++;
            w.t[at] = time[i];
            w.e[at] = event[i];
            m++;
        }
        free(fill);
    }
    if (m == 0) {
        rad_error_set("Kaplan-Meier plot: no subject has both a time and an event (%zu of %zu missing)", nmiss, n);
        goto fail;
    }
    /* fit the non-empty groups */
    size_t kept = 0, nev = 0, nempty = 0;
    double tmax = 0;
    for (size_t j = 0; j < ngroups; j++) {
        if (gcount[j] == 0) {
            nempty++;
            continue;
        }
        if (rad_km_fit(w.t + w.start[j], w.e + w.start[j], gcount[j], conf_level, &w.km[kept]) < 0)
            goto fail;
        w.nkm = kept + 1;
        for (size_t i = w.start[j]; i < w.start[j] + gcount[j]; i++) {
            w.g[i] = (int)kept;
            nev += w.e[i] == 1;
            if (w.t[i] > tmax)
                tmax = w.t[i];
        }
        w.rowlab[kept] = names && names[j] ? names[j] : NULL;
        kept++;
    }

    /* taller with more groups: each adds a risk-table row and a legend row */
    f = rad_chart_begin(o, 120, ngroups > 1 || k->risk_table ? fmin(250, 100 + 9 * (double)(ngroups > 2 ? ngroups - 2 : 0)) : 85, k->time_label ? k->time_label : "Time",
                        "Survival probability", &(RadAxes *){NULL});
    if (!f)
        goto fail;
    RadAxes *ax = rad_figure_axes(f, 0);

    /* x range and ticks: from 0 to a tick at or after the last follow-up */
    double xlo = isnan(k->xlim[0]) ? 0 : k->xlim[0];
    double xhi = isnan(k->xlim[1]) ? tmax : k->xlim[1];
    if (!(xhi > xlo))
        xhi = xlo + (xlo > 0 ? xlo : 1);
    double ticks[64];
    size_t nt;
    if (isnan(k->xlim[0]) && isnan(k->xlim[1])) {
        /* ticks inside the follow-up, the axis just past the last time, so
         * no empty tick (and no column of zeros) follows the data */
        nt = rad_nice_ticks(xlo, xhi, 6, ticks, 60);
        if (nt < 2)
            nt = time_ticks(xlo, xhi, ticks, 60);
        xhi = fmax(xhi + 0.02 * (xhi - xlo), ticks[nt - 1]);
    } else {
        nt = time_ticks(xlo, xhi, ticks, 60);
        if (nt >= 2 && isnan(k->xlim[1]))
            xhi = ticks[nt - 1];
        while (nt > 0 && ticks[nt - 1] > xhi * (1 + 1e-12))
            nt--;
        if (nt > 0 && ticks[0] < xlo)
            memmove(ticks, ticks + 1, --nt * sizeof *ticks);
    }
    rad_axes_set_xlim(ax, xlo, xhi);
    if (nt >= 2 && rad_axes_set_xticks(ax, ticks, NULL, nt) != 0)
        goto fail;
    double ylo = isnan(k->ylim[0]) ? 0 : k->ylim[0], yhi = isnan(k->ylim[1]) ? 1 : k->ylim[1];
    if (!(yhi > ylo)) {
        rad_error_set("Kaplan-Meier plot: ylim must have lower < upper, got %g and %g", ylo, yhi);
        goto fail;
    }
    if (isnan(k->ylim[1]) && yhi == 1) {
        /* 2 % headroom so a curve at S = 1 is not cut in half by the frame;
         * the ticks stay 0..1 */
        double yt[6] = {0, 0.2, 0.4, 0.6, 0.8, 1};
        size_t ny = 0;
        for (size_t i = 0; i < 6; i++)
            if (yt[i] >= ylo - 1e-12)
                yt[ny++] = yt[i];
        if (ny >= 2 && rad_axes_set_yticks(ax, yt, NULL, ny) != 0)
            goto fail;
        yhi = 1.02;
    }
    rad_axes_set_ylim(ax, ylo, yhi);

    int conf = k->conf < 0 ? kept <= 2 : k->conf;
    size_t mx = 2;
    for (size_t j = 0; j < kept; j++)
        if (w.km[j].m + 2 > mx)
            mx = w.km[j].m + 2;
    w.x = rad_malloc(mx * sizeof *w.x, "Kaplan-Meier plot");
    w.y = rad_malloc(mx * sizeof *w.y, "Kaplan-Meier plot");
    w.lo = rad_malloc(mx * sizeof *w.lo, "Kaplan-Meier plot");
    w.hi = rad_malloc(mx * sizeof *w.hi, "Kaplan-Meier plot");
    if (!w.x || !w.y || !w.lo || !w.hi)
        goto fail;

    /* bands first (behind every curve), then curves and censoring marks */
    if (conf) {
        for (size_t j = 0; j < kept; j++) {
            const RadKm *km = &w.km[j];
            size_t q = 0;
            w.x[q] = 0;
            w.lo[q] = w.hi[q] = 1;
            q++;
            for (size_t i = 0; i < km->m; i++, q++) {
                w.x[q] = km->time[i];
                w.lo[q] = isnan(km->lower[i]) ? 0 : km->lower[i];
                w.hi[q] = isnan(km->upper[i]) ? 0 : km->upper[i];
            }
            RadStyle b = rad_style_default();
            b.line_width = 0;
            b.fill = light(rad_palette(j), kept > 1 ? 0.15 : 0.2);
            if (rad_axes_band(ax, w.x, w.lo, w.hi, q, 1, &b) != 0)
                goto fail;
        }
    }
    char label[256];
    for (size_t j = 0; j < kept; j++) {
        const RadKm *km = &w.km[j];
        size_t q = 0;
        w.x[q] = 0;
        w.y[q] = 1;
        q++;
        for (size_t i = 0; i < km->m; i++, q++) {
            w.x[q] = km->time[i];
            w.y[q] = km->surv[i];
        }
        RadStyle s = rad_style_line(j, 1.25);
        if (rad_axes_step(ax, w.x, w.y, q, &s) != 0)
            goto fail;
        if (k->censor) {
            size_t c = 0;
            for (size_t i = 0; i < km->m; i++)
                if (km->n_censor[i] > 0) {
                    w.x[c] = km->time[i];
                    w.y[c] = km->surv[i];
                    c++;
                }
            RadStyle ct = rad_style_line(j, 0.8);
            ct.marker = RAD_MARKER_VTICK;
            ct.marker_size = 4.5;
            if (c && rad_axes_points(ax, w.x, w.y, c, &ct) != 0)
                goto fail;
        }
        if (kept > 1) {
            char dflt[32];
            snprintf(dflt, sizeof dflt, "Group %zu", j + 1);
            snprintf(label, sizeof label, "%s (n = %zu)", w.rowlab[j] ? w.rowlab[j] : dflt, km->n);
            if (rad_axes_add_legend(ax, label, &s, RAD_LEGEND_KEY_LINE) != 0)
                goto fail;
        }
    }
    if (kept == 1 && conf && (!o || o->legend != RAD_LEGEND_NONE)) {
        RadStyle s = rad_style_line(0, 1.25);
        RadStyle b = rad_style_default();
        b.line_width = 0;
        b.fill = light(rad_palette(0), 0.2);
        snprintf(label, sizeof label, "%.0f%% CI", 100 * conf_level);
        if (rad_axes_add_legend(ax, "Kaplan-Meier estimate", &s, RAD_LEGEND_KEY_LINE) != 0 ||
            rad_axes_add_legend(ax, label, &b, RAD_LEGEND_KEY_PATCH) != 0)
            goto fail;
    }

    /* log-rank p */
    char ptxt[64] = "";
    if (kept >= 2 && nev > 0 && k->pvalue) {
        if (rad_logrank(w.t, w.e, w.g, m, kept, NULL, &w.lr) < 0)
            goto fail;
        char pb[48];
        rad_format_p(w.lr.p, pb, sizeof pb);
        snprintf(ptxt, sizeof ptxt, "Log-rank %s", pb);
        RadStyle nt_st = rad_style_default();
        nt_st.font_size = 8;
        nt_st.valign = RAD_VALIGN_BOTTOM;
        if (rad_axes_note(ax, 0.03, 0.97, ptxt, &nt_st) != 0)
            goto fail;
    }

    /* number at risk */
    if (k->risk_table) {
        const double *tt = k->times ? k->times : ticks;
        size_t ntt = k->times ? k->ntimes : nt, skip = 0;
        if (k->times) { /* only the times on the axis have a column */
            while (skip < ntt && tt[skip] < xlo - 1e-9 * (xhi - xlo))
                skip++;
            tt += skip;
            ntt -= skip;
            size_t before = ntt;
            while (ntt > 0 && tt[ntt - 1] > xhi + 1e-9 * (xhi - xlo))
                ntt--;
            skip += before - ntt;
            if (skip)
                rad_figure_add_note(f, "%zu number-at-risk time%s outside the time axis left out", skip,
                                    skip == 1 ? "" : "s");
            /* the table's columns sit under labelled ticks */
            if (ntt >= 2 && rad_axes_set_xticks(ax, tt, NULL, ntt) != 0)
                goto fail;
        }
        if (ntt > 0) {
            w.cells = rad_malloc(kept * ntt * 16, "Kaplan-Meier plot");
            w.cellp = rad_malloc(kept * ntt * sizeof *w.cellp, "Kaplan-Meier plot");
            if (!w.cells || !w.cellp)
                goto fail;
            for (size_t j = 0; j < kept; j++) {
                for (size_t c = 0; c < ntt; c++) {
                    RadKmPoint p;
                    rad_km_at(&w.km[j], tt[c], &p);
                    char *cell = w.cells + (j * ntt + c) * 16;
                    snprintf(cell, 16, "%.0f", p.n_risk);
                    w.cellp[j * ntt + c] = cell;
                }
                w.rowcol[j] = kept > 1 ? rad_palette(j) : rad_grey(0);
                if (!w.rowlab[j])
                    w.rowlab[j] = kept > 1 ? "" : "All";
            }
            if (kept > 1)
                for (size_t j = 0; j < kept; j++)
                    if (!w.rowlab[j][0]) {
                        rad_error_set("Kaplan-Meier plot: group %zu has no name", j + 1);
                        goto fail;
                    }
            if (rad_axes_table(ax, "Number at risk", w.rowlab, w.rowcol, kept, tt, ntt, w.cellp) != 0)
                goto fail;
        }
    }

    if (nmiss)
        rad_figure_add_note(f, "%zu subject%s with a missing time or event dropped", nmiss, nmiss == 1 ? "" : "s");
    if (ngmiss)
        rad_figure_add_note(f, "%zu subject%s with a missing group dropped", ngmiss, ngmiss == 1 ? "" : "s");
    if (nempty)
        rad_figure_add_note(f, "%zu empty group%s left out", nempty, nempty == 1 ? "" : "s");
    if (nev == 0)
        rad_figure_add_note(f, "no events: every curve stays at 1");
    char desc[256];
    snprintf(desc, sizeof desc, "Kaplan-Meier, %zu group%s, n = %zu, %zu event%s%s%s", kept, kept == 1 ? "" : "s", m,
             nev, nev == 1 ? "" : "s", ptxt[0] ? ", " : "", ptxt);
    if (rad_figure_set_description(f, desc) != 0)
        goto fail;
    km_work_free(&w);
    return f;
fail:
    rad_figure_free(f);
    km_work_free(&w);
    return NULL;
}

/* ---- ROC ------------------------------------------------------------------------------ */

static void auc_label(char *buf, size_t size, const char *label, const char *what, double auc, double lo, double hi)
{
    char ci[64] = "";
    if (isfinite(lo) && isfinite(hi))
        snprintf(ci, sizeof ci, " (%.2f\xe2\x80\x93%.2f)", lo, hi);
    snprintf(buf, size, "%s%s%s %.2f%s", label ? label : "", label && label[0] ? ", " : "", what, auc, ci);
}

/* The square unit frame shared by ROC charts. */
static RadFigure *roc_begin(const RadChartOptions *o, RadAxes **ax)
{
    RadFigure *f = rad_chart_begin(o, 90, 90, "1 \xe2\x80\x93 Specificity", "Sensitivity", ax);
    if (!f)
        return NULL;
    rad_axes_set_xlim(*ax, 0, 1);
    rad_axes_set_ylim(*ax, 0, 1);
    rad_axes_set_equal(*ax, 1);
    static const double at[6] = {0, 0.2, 0.4, 0.6, 0.8, 1};
    RadStyle d = rad_style_default();
    d.color = rad_grey(0.6);
    d.line_width = 0.8;
    d.dash = RAD_DASH_DASHED;
    double dx[2] = {0, 1};
    if (rad_axes_set_xticks(*ax, at, NULL, 6) != 0 || rad_axes_set_yticks(*ax, at, NULL, 6) != 0 ||
        rad_axes_line(*ax, dx, dx, 2, &d) != 0) {
        rad_figure_free(f);
        return NULL;
    }
    if (!o || o->legend == RAD_LEGEND_AUTO)
        rad_axes_set_legend(*ax, RAD_LEGEND_BOTTOMRIGHT); /* below the curves of any useful marker */
    return f;
}

RadFigure *rad_chart_roc(const RadRocCurve *c, size_t k, const RadChartOptions *o)
{
    if (k == 0) {
        rad_error_set("ROC plot: no curves; give at least one ROC");
        return NULL;
    }
    for (size_t j = 0; j < k; j++)
        if (c[j].n == 0 || !c[j].fpr || !c[j].tpr) {
            rad_error_set("ROC plot: curve %zu has no points", j + 1);
            return NULL;
        }
    RadAxes *ax;
    RadFigure *f = roc_begin(o, &ax);
    if (!f)
        return NULL;
    char label[256], desc[512];
    size_t dl = (size_t)snprintf(desc, sizeof desc, "ROC, %zu curve%s", k, k == 1 ? "" : "s");
    size_t longest = 0;
    double widest = 0; /* pt, the widest legend entry at the legend's 8 pt */
    for (size_t j = 0; j < k; j++) {
        double w, h;
        if (c[j].label && strlen(c[j].label) > longest)
            longest = strlen(c[j].label);
        auc_label(label, sizeof label, c[j].label, "AUC", c[j].auc, c[j].lower, c[j].upper);
        if (rad_text_size(label, 8, 0, &w, &h) == 0 && w > widest)
            widest = w;
    }
    /* a long label would cover the curves in the corner: list it under the axes */
    if ((!o || o->legend == RAD_LEGEND_AUTO) && (longest > 14 || k > 4)) {
        rad_axes_set_legend(ax, RAD_LEGEND_BELOW);
        /* an entry is not wrapped: widen the page for the widest one (key,
         * gaps and margins around the measured text) */
        double need = (3 + 16 + 4 + widest + 10 + 3) * 25.4 / 72;
        if ((!o || !(o->width > 0)) && need > rad_figure_width(f))
            rad_figure_set_size(f, need, rad_figure_height(f) + 5 * (double)k);
    }
    for (size_t j = 0; j < k; j++) {
        RadStyle s = rad_style_line(j, 1.25);
        if (k > 1)
            s.dash = (RadDash)(j % 4 == 0 ? RAD_DASH_SOLID : j % 4);
        if (rad_axes_line(ax, c[j].fpr, c[j].tpr, c[j].n, &s) != 0)
            goto fail;
        auc_label(label, sizeof label, c[j].label, "AUC", c[j].auc, c[j].lower, c[j].upper);
        if (rad_axes_add_legend(ax, label, &s, RAD_LEGEND_KEY_LINE) != 0)
            goto fail;
        if (dl < sizeof desc)
            dl += (size_t)snprintf(desc + dl, sizeof desc - dl, "%s AUC %.3f", j ? "," : ":", c[j].auc);
    }
    if (rad_figure_set_description(f, desc) != 0)
        goto fail;
    return f;
fail:
    rad_figure_free(f);
    return NULL;
}

/* ---- time-dependent ROC ---------------------------------------------------------------- */

typedef struct ScoreW {
    double s, wcase, wctrl;
} ScoreW;

static int cmp_score_desc(const void *a, const void *b)
{
    double x = ((const ScoreW *)a)->s, y = ((const ScoreW *)b)->s;
    return (x < y) - (x > y);
}

/* S of the censoring curve just before u (left limit). */
static double km_left(const RadKm *g, double u)
{
    size_t lo = 0, hi = g->m;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (g->time[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? 1 : g->surv[lo - 1];
}

int rad_td_roc_curve(const double *time, const double *event, const double *score, size_t n, double t,
                     double **fpr, double **tpr, size_t *np, double *auc)
{
    *fpr = *tpr = NULL;
    *np = 0;
    if (rad_td_auc(time, event, score, n, t, auc, NULL, NULL) < 0)
        return -1;
    RadKm g;
    double *flip = rad_malloc(n * sizeof *flip, "time-dependent ROC");
    ScoreW *sw = rad_malloc(n * sizeof *sw, "time-dependent ROC");
    double *x = rad_malloc((n + 1) * sizeof *x, "time-dependent ROC");
    double *y = rad_malloc((n + 1) * sizeof *y, "time-dependent ROC");
    if (!flip || !sw || !x || !y)
        goto fail;
    for (size_t i = 0; i < n; i++)
        flip[i] = 1 - event[i];
    if (rad_km_fit(time, flip, n, 0.95, &g) < 0)
        goto fail;
    double wcase = 0, wctrl = 0;
    for (size_t i = 0; i < n; i++) {
        sw[i].s = score[i];
        sw[i].wcase = sw[i].wctrl = 0;
        if (event[i] == 1 && time[i] <= t) {
            double G = km_left(&g, time[i]);
            sw[i].wcase = G > 0 ? 1 / G : 0;
        } else if (time[i] > t) {
            sw[i].wctrl = 1;
        }
        wcase += sw[i].wcase;
        wctrl += sw[i].wctrl;
    }
    rad_km_free(&g);
    qsort(sw, n, sizeof *sw, cmp_score_desc);
    size_t q = 0;
    double ca = 0, co = 0;
    x[q] = 0;
    y[q] = 0;
    q++;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && sw[j].s == sw[i].s) {
            ca += sw[j].wcase;
            co += sw[j].wctrl;
            j++;
        }
        x[q] = co / wctrl;
        y[q] = ca / wcase;
        if (!(q >= 1 && x[q] == x[q - 1] && y[q] == y[q - 1]))
            q++;
        i = j;
    }
    x[q - 1] = 1; /* exact end despite rounding */
    y[q - 1] = 1;
    free(flip);
    free(sw);
    *fpr = x;
    *tpr = y;
    *np = q;
    return 0;
fail:
    free(flip);
    free(sw);
    free(x);
    free(y);
    return -1;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Percentile bootstrap 95 % CI of AUC(t) (Efron): nboot resamples of the n
 * subjects with replacement; a resample without a case or a control at t
 * has no AUC and is skipped (the CI is NaN when fewer than 20 % remain). */
static int td_auc_ci(const double *time, const double *event, const double *score, size_t n, double t,
                     size_t nboot, unsigned long seed, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (nboot == 0)
        return 0;
    double *bt = rad_malloc(3 * n * sizeof *bt, "AUC bootstrap"), *a = rad_malloc(nboot * sizeof *a, "AUC bootstrap");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!bt || !a || !r) {
        free(bt);
        free(a);
        if (r)
            gsl_rng_free(r);
        return bt && a ? rad_error_set("AUC bootstrap: out of memory") : -1;
    }
    gsl_rng_set(r, seed);
    size_t ok = 0;
    for (size_t b = 0; b < nboot; b++) {
        for (size_t i = 0; i < n; i++) {
            size_t k = (size_t)gsl_rng_uniform_int(r, n);
            bt[i] = time[k];
            bt[n + i] = event[k];
            bt[2 * n + i] = score[k];
        }
        double v;
        if (rad_td_auc(bt, bt + n, bt + 2 * n, n, t, &v, NULL, NULL) == 0 && isfinite(v))
            a[ok++] = v;
    }
    gsl_rng_free(r);
    free(bt);
    if (ok >= nboot / 5 && ok >= 2) {
        qsort(a, ok, sizeof *a, cmp_dbl);
        /* type-7 quantiles at 2.5 % and 97.5 % */
        double q[2] = {0.025, 0.975}, *out[2] = {lo, hi};
        for (int j = 0; j < 2; j++) {
            double h = (double)(ok - 1) * q[j];
            size_t i = (size_t)floor(h);
            *out[j] = i + 1 < ok ? a[i] + (h - (double)i) * (a[i + 1] - a[i]) : a[ok - 1];
        }
    }
    free(a);
    return 0;
}

RadFigure *rad_chart_td_roc(const double *time, const double *event, const double *score, size_t n,
                            const double *at, size_t nat, const char *const *labels, const char *unit, size_t nboot,
                            unsigned long seed, const RadChartOptions *o)
{
    if (n == 0) {
        rad_error_set("time-dependent ROC plot: no subjects");
        return NULL;
    }
    if (nat == 0 || nat > 16) {
        rad_error_set("time-dependent ROC plot: give 1 to 16 time points, got %zu", nat);
        return NULL;
    }
    RadAxes *ax;
    RadFigure *f = roc_begin(o, &ax);
    if (!f)
        return NULL;
    char label[256], desc[512], tl[64];
    size_t dl = (size_t)snprintf(desc, sizeof desc, "Time-dependent ROC (cumulative/dynamic, IPCW), n = %zu", n);
    for (size_t j = 0; j < nat; j++) {
        double *x, *y, auc;
        size_t np;
        /* (auc, rad_td_auc's value, labels the legend; the description gives
         * the area of the drawn curve so the two can be checked) */
        if (rad_td_roc_curve(time, event, score, n, at[j], &x, &y, &np, &auc) < 0) {
            rad_error_prefix("time-dependent ROC plot");
            goto fail;
        }
        /* the area under the drawn curve (trapezoids; tied scores give the
         * diagonal steps that count ties 1/2) is rad_td_auc's value */
        double area = 0;
        for (size_t i = 1; i < np; i++)
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        RadStyle s = rad_style_line(j, 1.25);
        if (nat > 1)
            s.dash = (RadDash)(j % 4);
        int rc = rad_axes_line(ax, x, y, np, &s);
        free(x);
        free(y);
        if (rc != 0)
            goto fail;
        snprintf(tl, sizeof tl, "t = %g%s%s", at[j], unit && *unit ? " " : "", unit && *unit ? unit : "");
        double lo, hi;
        if (td_auc_ci(time, event, score, n, at[j], nboot, seed, &lo, &hi) != 0)
            goto fail;
        auc_label(label, sizeof label, labels && labels[j] ? labels[j] : tl, "AUC", auc, lo, hi);
        if (rad_axes_add_legend(ax, label, &s, RAD_LEGEND_KEY_LINE) != 0)
            goto fail;
        if (dl < sizeof desc)
            dl += (size_t)snprintf(desc + dl, sizeof desc - dl, ", AUC(%g%s%s) %.4f", at[j], unit && *unit ? " " : "",
                                   unit && *unit ? unit : "", area);
        if (dl < sizeof desc && isfinite(lo))
            dl += (size_t)snprintf(desc + dl, sizeof desc - dl, " (95%% CI %.3f to %.3f)", lo, hi);
    }
    if (rad_figure_set_description(f, desc) != 0)
        goto fail;
    return f;
fail:
    rad_figure_free(f);
    return NULL;
}

/* ---- calibration ------------------------------------------------------------------------ */

RadFigure *rad_chart_calibration(const double *predicted, const double *observed, const double *lower,
                                 const double *upper, size_t n, double slope, double intercept, double at,
                                 int line, const RadChartOptions *o)
{
    if (n == 0) {
        rad_error_set("calibration plot: no groups; give predicted and observed values");
        return NULL;
    }
    char xl[96];
    if (at > 0)
        snprintf(xl, sizeof xl, "Predicted survival at t = %g", at);
    else
        snprintf(xl, sizeof xl, "Predicted survival probability");
    RadAxes *ax;
    RadFigure *f = rad_chart_begin(o, 90, 90, xl, "Observed (Kaplan\xe2\x80\x93Meier)", &ax);
    if (!f)
        return NULL;
    double *px = rad_malloc(n * sizeof *px, "calibration plot"), *py = rad_malloc(n * sizeof *py, "calibration plot");
    double *y0 = rad_malloc(n * sizeof *y0, "calibration plot"), *y1 = rad_malloc(n * sizeof *y1, "calibration plot");
    if (!px || !py || !y0 || !y1)
        goto fail;
    size_t m = 0, nbar = 0, ndrop = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(predicted[i]) || !isfinite(observed[i])) {
            ndrop++;
            continue;
        }
        px[m] = predicted[i];
        py[m] = observed[i];
        m++;
    }
    if (m == 0) {
        rad_error_set("calibration plot: no group has both a predicted and an observed value");
        goto fail;
    }
    /* 4 % room past 0 and 1: a group predicted at 0 or 1 keeps its whole
     * marker and CI bar inside the axes */
    rad_axes_set_xlim(ax, -0.04, 1.04);
    rad_axes_set_ylim(ax, -0.04, 1.04);
    rad_axes_set_equal(ax, 1);
    static const double tk[6] = {0, 0.2, 0.4, 0.6, 0.8, 1};
    if (rad_axes_set_xticks(ax, tk, NULL, 6) != 0 || rad_axes_set_yticks(ax, tk, NULL, 6) != 0)
        goto fail;
    RadStyle d = rad_style_default();
    d.color = rad_grey(0.6);
    d.line_width = 0.8;
    d.dash = RAD_DASH_DASHED;
    double dx[2] = {0, 1};
    if (rad_axes_line(ax, dx, dx, 2, &d) != 0)
        goto fail;
    /* CI bars */
    RadStyle bar = rad_style_line(0, 0.8);
    if (lower && upper) {
        double *bx = rad_malloc(n * sizeof *bx, "calibration plot");
        if (!bx)
            goto fail;
        for (size_t i = 0; i < n; i++)
            if (isfinite(predicted[i]) && isfinite(observed[i]) && isfinite(lower[i]) && isfinite(upper[i])) {
                bx[nbar] = predicted[i];
                y0[nbar] = lower[i];
                y1[nbar] = upper[i];
                nbar++;
            }
        int rc = nbar ? rad_axes_segments(ax, bx, y0, bx, y1, nbar, &bar) : 0;
        free(bx);
        if (rc != 0)
            goto fail;
    }
    if (line && m > 1) {
        RadStyle ls = rad_style_line(0, 0.8);
        ls.color = light(ls.color, 0.7);
        if (rad_axes_line(ax, px, py, m, &ls) != 0)
            goto fail;
    }
    RadStyle pt = rad_style_line(0, 0.8);
    pt.marker = RAD_MARKER_CIRCLE;
    pt.marker_size = 5;
    pt.fill = rad_palette(0);
    if (rad_axes_points(ax, px, py, m, &pt) != 0)
        goto fail;
    if (rad_axes_add_legend(ax, nbar ? "Observed (95% CI)" : "Observed", &pt, RAD_LEGEND_KEY_MARKER) != 0 ||
        rad_axes_add_legend(ax, "Ideal", &d, RAD_LEGEND_KEY_LINE) != 0)
        goto fail;
    if (!o || o->legend == RAD_LEGEND_AUTO)
        rad_axes_set_legend(ax, RAD_LEGEND_BOTTOMRIGHT);
    char txt[128] = "";
    if (isfinite(slope) && isfinite(intercept)) {
        snprintf(txt, sizeof txt, "Slope %.2f\nIntercept %.2f", slope, intercept);
        RadStyle ns = rad_style_default();
        ns.font_size = 8;
        ns.valign = RAD_VALIGN_TOP;
        if (rad_axes_note(ax, 0.04, 0.04, txt, &ns) != 0)
            goto fail;
    }
    if (ndrop)
        rad_figure_add_note(f, "%zu group%s without a predicted or observed value left out", ndrop,
                            ndrop == 1 ? "" : "s");
    char desc[256];
    if (txt[0])
        snprintf(desc, sizeof desc, "Calibration, %zu groups, slope %.3f, intercept %.3f", m, slope, intercept);
    else
        snprintf(desc, sizeof desc, "Calibration, %zu group%s", m, m == 1 ? "" : "s");
    if (rad_figure_set_description(f, desc) != 0)
        goto fail;
    free(px);
    free(py);
    free(y0);
    free(y1);
    return f;
fail:
    free(px);
    free(py);
    free(y0);
    free(y1);
    rad_figure_free(f);
    return NULL;
}

/* ---- decision curves ----------------------------------------------------------------------- */

RadFigure *rad_chart_dca(const RadDcaCurve *c, size_t k, const double *treat_all, const RadChartOptions *o)
{
    if (k == 0 || c[0].n == 0) {
        rad_error_set("decision curve: no curves; give at least one decision curve with thresholds");
        return NULL;
    }
    double xmax = 0, ymax = 0;
    size_t nfin = 0;
    for (size_t j = 0; j < k; j++)
        for (size_t i = 0; i < c[j].n; i++) {
            if (!(c[j].threshold[i] > 0 && c[j].threshold[i] < 1)) {
                rad_error_set("decision curve %zu: threshold %zu is %g; thresholds lie in (0, 1)", j + 1, i + 1,
                              c[j].threshold[i]);
                return NULL;
            }
            if (c[j].threshold[i] > xmax)
                xmax = c[j].threshold[i];
            if (isfinite(c[j].net_benefit[i])) {
                nfin++;
                if (c[j].net_benefit[i] > ymax)
                    ymax = c[j].net_benefit[i];
            }
        }
    if (nfin == 0) {
        rad_error_set("decision curve: no finite net benefit to draw");
        return NULL;
    }
    if (treat_all)
        for (size_t i = 0; i < c[0].n; i++)
            if (isfinite(treat_all[i]) && treat_all[i] > ymax)
                ymax = treat_all[i];
    if (!(ymax > 0))
        ymax = 0.05;
    RadAxes *ax;
    RadFigure *f = rad_chart_begin(o, 100, 85, "Threshold probability", "Net benefit", &ax);
    if (!f)
        return NULL;
    double tk[32];
    size_t nt = time_ticks(0, xmax, tk, 30);
    rad_axes_set_xlim(ax, 0, nt >= 2 ? tk[nt - 1] : 1);
    if (nt >= 2 && rad_axes_set_xticks(ax, tk, NULL, nt) != 0)
        goto fail;
    rad_axes_set_ylim(ax, -0.1 * ymax, 1.08 * ymax);
    RadStyle none = rad_style_default();
    none.line_width = 1;
    if (rad_axes_hline(ax, 0, &none) != 0)
        goto fail;
    RadStyle all = rad_style_default();
    all.color = rad_grey(0.6);
    all.line_width = 1;
    if (treat_all && rad_axes_line(ax, c[0].threshold, treat_all, c[0].n, &all) != 0)
        goto fail;
    char desc[512];
    size_t dl = (size_t)snprintf(desc, sizeof desc, "Decision curve, %zu model%s, thresholds %g-%g", k,
                                 k == 1 ? "" : "s", c[0].threshold[0], c[0].threshold[c[0].n - 1]);
    for (size_t j = 0; j < k; j++) {
        RadStyle s = rad_style_line(j, 1.25);
        if (rad_axes_line(ax, c[j].threshold, c[j].net_benefit, c[j].n, &s) != 0)
            goto fail;
        char dflt[32];
        snprintf(dflt, sizeof dflt, k == 1 ? "Model" : "Model %zu", j + 1);
        if (rad_axes_add_legend(ax, c[j].label ? c[j].label : dflt, &s, RAD_LEGEND_KEY_LINE) != 0)
            goto fail;
        if (dl < sizeof desc && c[j].label)
            dl += (size_t)snprintf(desc + dl, sizeof desc - dl, ", %s", c[j].label);
    }
    if ((treat_all && rad_axes_add_legend(ax, "Treat all", &all, RAD_LEGEND_KEY_LINE) != 0) ||
        rad_axes_add_legend(ax, "Treat none", &none, RAD_LEGEND_KEY_LINE) != 0)
        goto fail;
    if (rad_figure_set_description(f, desc) != 0)
        goto fail;
    return f;
fail:
    rad_figure_free(f);
    return NULL;
}
