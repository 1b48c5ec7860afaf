/* radlab: model and cohort charts.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What they draw, and the conventions followed:
 *  - forest: one row per model term, top to bottom in model order; a filled
 *    square at the ratio and a horizontal 95 % CI segment on a log x axis,
 *    a dashed reference line at 1 (no effect), and a text column
 *    "HR (95 % CI)  p" aligned with the rows, as in the forest plots of
 *    Lewis & Clarke (BMJ 2001) and of survminer's ggforest.  The text column
 *    lives inside the plot area to the right of the data (x ticks only
 *    under the data), so the layout engine never clips it.
 *  - lasso: glmnet's plot.glmnet(xvar = "lambda") and plot.cv.glmnet
 *    (Friedman, Hastie & Tibshirani 2010): one line per coefficient against
 *    log(lambda), the CV mean with +- 1 SE bars (cvsd, the standard error as glmnet), dashed lines at lambda_min
 *    and lambda_1se, the number of non-zero coefficients along the top.  The
 *    x axis runs from the largest lambda to the smallest, so the path grows
 *    to the right and the largest coefficients are labelled at the right.
 *  - heatmap: correlation matrix on a blue-white-red scale fixed to -1..1
 *    (diverging, so 0 is white), rows and columns in the leaf order of an
 *    average-linkage (UPGMA) clustering on 1 - |r|, diagonal top-left to
 *    bottom-right.
 *  - nomogram: rms::nomogram's layout (Harrell, Regression Modeling
 *    Strategies, 2nd ed., sec. 20.4 / Iasonos et al., JCO 2008): a Points
 *    scale 0-100 on top, one scale per covariate, the Total points scale
 *    and the predicted survival at t underneath.
 *  - box: Tukey's box plot (median, quartiles with R's type-7 quantiles,
 *    whiskers to the furthest point within 1.5 IQR, points beyond drawn
 *    individually); violin: Gaussian kernel density with Silverman's rule
 *    of thumb bandwidth 0.9 min(sd, IQR / 1.34) n^(-1/5) (Hintze & Nelson
 *    1998), scaled to a common maximum width, with the median and quartiles
 *    inside; strip: points with a deterministic jitter (van der Corput
 *    sequence).  n per group is written under the group labels and the
 *    Mann-Whitney (2 groups) or Kruskal-Wallis (more) p on the plot.
 *  - waterfall: one bar per patient of the score minus the cut-off (the
 *    median by default), sorted descending, coloured by outcome, as the
 *    waterfall plots of RECIST response in oncology trials.
 * Colours: the Okabe-Ito palette (rad_palette).  Sizes in mm, journal
 * column widths: 85 mm single, 120 mm 1.5, 175 mm double.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "stats/stats.h"
#include "plot/charts.h"

#define MM_PER_PT (25.4 / 72.0)

/* ---- helpers ---------------------------------------------------------------------- */

/* Characters (UTF-8 code points) of s. */
static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* The width of s in mm at font size pt, as the plot layer will draw it. */
static double text_mm(const char *s, double pt)
{
    double w = 0, h;
    if (rad_text_size(s ? s : "", pt, 0, &w, &h) != 0)
        return 0;
    return w * MM_PER_PT;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R type-7 quantile of sorted v[n]. */
static double quantile_sorted(const double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

static RadFigure *fail_free(RadFigure *f)
{
    rad_figure_free(f);
    return NULL;
}

static RadStyle text_style(double size, RadHAlign ha, RadVAlign va)
{
    RadStyle s = rad_style_default();
    s.font_size = size;
    s.halign = ha;
    s.valign = va;
    return s;
}

/* ---- forest plot ---------------------------------------------------------------------- */

static void fmt_ratio(double v, char *buf, size_t size)
{
    if (!isfinite(v))
        snprintf(buf, size, v > 0 ? "Inf" : "NA");
    else if (v >= 100)
        snprintf(buf, size, "%.0f", v);
    else if (v >= 10)
        snprintf(buf, size, "%.1f", v);
    else
        snprintf(buf, size, "%.2f", v);
}

RadFigure *rad_chart_forest(const char *const *labels, const double *est, const double *lo, const double *hi,
                            const double *p, size_t n, const char *measure, const RadChartOptions *o)
{
    if (n == 0)
        return rad_error_set("forest: no terms to draw (give at least one estimate)"), NULL;
    if (!labels || !est || !lo || !hi)
        return rad_error_set("forest: labels, estimates and CI bounds are required"), NULL;
    if (!measure)
        measure = "HR";
    int is_or = strcmp(measure, "OR") == 0;
    const char *xlabel = is_or ? "Odds ratio (95 % CI, log scale)" : strcmp(measure, "HR") == 0
                                                                        ? "Hazard ratio (95 % CI, log scale)"
                                                                        : "Ratio (95 % CI, log scale)";
    /* data range in log10, always including 1 */
    double L = 0, H = 0;
    size_t nbad = 0, nclamp = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(est[i] > 0 && isfinite(est[i]))) {
            nbad++;
            continue;
        }
        double a = lo[i] > 0 && isfinite(lo[i]) ? lo[i] : est[i];
        double b = hi[i] > 0 && isfinite(hi[i]) ? hi[i] : est[i];
        L = fmin(L, log10(fmin(a, est[i])));
        H = fmax(H, log10(fmax(b, est[i])));
    }
    if (nbad == n)
        return rad_error_set("forest: no term has a finite positive estimate (are these ratios, not log "
                             "coefficients?)"), NULL;
    /* very wide CIs (separation) are cut at 1/1000 .. 1000 with arrows */
    if (L < -3)
        L = -3;
    if (H > 3)
        H = 3;
    if (H - L < 0.2) {
        double m = (H + L) / 2;
        L = m - 0.1;
        H = m + 0.1;
    }
    double pad = (H - L) * 0.05;
    L -= pad;
    H += pad;

    char (*ci)[64] = calloc(n, sizeof *ci);
    char (*pt)[32] = calloc(n, sizeof *pt);
    if (!ci || !pt) {
        free(ci);
        free(pt);
        return rad_error_set("forest: out of memory"), NULL;
    }
    char head[48];
    snprintf(head, sizeof head, "%s (95 %% CI)", measure);
    for (size_t i = 0; i < n; i++) {
        char a[16], b[16], c[16];
        if (!(est[i] > 0 && isfinite(est[i]))) {
            snprintf(ci[i], sizeof ci[i], "NA");
        } else if (est[i] == 1 && isnan(lo[i]) && isnan(hi[i])) {
            /* a factor's reference level: a row at 1 without an interval */
            snprintf(ci[i], sizeof ci[i], "1 (reference)");
        } else {
            fmt_ratio(est[i], a, sizeof a);
            fmt_ratio(lo[i], b, sizeof b);
            fmt_ratio(hi[i], c, sizeof c);
            snprintf(ci[i], sizeof ci[i], "%s (%s\xe2\x80\x93%s)", a, b, c);
        }
        char pf[32] = "";
        if (p && isfinite(p[i]))
            rad_format_p(p[i], pf, sizeof pf);
        /* "p = 0.012" -> "0.012", "p < 0.001" -> "< 0.001" */
        const char *ps = pf;
        if (strncmp(pf, "p = ", 4) == 0)
            ps = pf + 4;
        else if (strncmp(pf, "p ", 2) == 0)
            ps = pf + 2;
        snprintf(pt[i], sizeof pt[i], "%s", ps);
    }
    double dh = 22 + 6.5 * (double)n;
    RadAxes *ax;
    RadFigure *f = rad_chart_begin(o, 120, fmin(fmax(dh, 45), 250), xlabel, NULL, &ax);
    if (!f) {
        free(ci);
        free(pt);
        return NULL;
    }
    /* the estimates and p values go in text columns right of the plot area
     * (rad_axes_side_table): the layer measures them and reserves the
     * margin, so the data keep the whole plot width at any figure size */
    rad_axes_set_xscale(ax, RAD_SCALE_LOG);
    rad_axes_set_xlim(ax, pow(10, L), pow(10, H));
    rad_axes_set_ylim(ax, -0.8, (double)n + 0.6);
    rad_axes_set_yreverse(ax, 1);

    /* x ticks only under the data */
    static const double cand[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1,
                                  2,     5,     10,    20,   50,   100,  200, 500, 1000};
    double tk[32];
    size_t ntk = 0;
    for (size_t k = 0; k < sizeof cand / sizeof cand[0]; k++)
        if (log10(cand[k]) >= L && log10(cand[k]) <= H)
            tk[ntk++] = cand[k];
    if (ntk < 3) {
        double t2[16];
        size_t m = rad_nice_ticks(pow(10, L), pow(10, H), 4, t2, 16);
        ntk = 0;
        for (size_t k = 0; k < m; k++)
            if (t2[k] > 0 && log10(t2[k]) >= L - 1e-9 && log10(t2[k]) <= H + 1e-9)
                tk[ntk++] = t2[k];
    }
    char tl[32][16];
    const char *tlp[32];
    for (size_t k = 0; k < ntk; k++) {
        snprintf(tl[k], sizeof tl[k], "%g", tk[k]);
        tlp[k] = tl[k];
    }
    int rc = rad_axes_set_xticks(ax, tk, tlp, ntk);
    /* y ticks: the term names */
    double *yat = malloc((n + 1) * sizeof *yat);
    if (!yat || rc != 0) {
        free(yat);
        free(ci);
        free(pt);
        return fail_free(f);
    }
    for (size_t i = 0; i < n; i++)
        yat[i] = (double)i + 1;
    rc = rad_axes_set_yticks(ax, yat, labels, n);

    RadStyle ref = rad_style_default();
    ref.color = rad_grey(0.5);
    ref.dash = RAD_DASH_DASHED;
    ref.line_width = 0.8;
    rc |= rad_axes_line(ax, (double[]){1, 1}, (double[]){0.5, (double)n + 0.6}, 2, &ref);

    RadStyle seg = rad_style_default();
    seg.line_width = 1.2;
    RadStyle sq = rad_style_default();
    sq.marker = RAD_MARKER_SQUARE;
    sq.marker_size = 6;
    sq.fill = rad_rgb(0, 0, 0);
    sq.line_width = 0;
    double cl = pow(10, L + pad * 0.2), ch = pow(10, H - pad * 0.2);
    for (size_t i = 0; i < n && rc == 0; i++) {
        double y = (double)i + 1;
        if (est[i] > 0 && isfinite(est[i])) {
            double a = lo[i] > 0 && isfinite(lo[i]) ? lo[i] : est[i];
            double b = hi[i] > 0 && isfinite(hi[i]) ? hi[i] : est[i];
            int cut = 0;
            if (a < cl) {
                a = cl;
                cut = 1;
            }
            if (b > ch) {
                b = ch;
                cut = 1;
            }
            nclamp += (size_t)cut;
            rc |= rad_axes_line(ax, (double[]){a, b}, (double[]){y, y}, 2, &seg);
            double e = fmin(fmax(est[i], cl), ch);
            rc |= rad_axes_points(ax, &e, &y, 1, &sq);
        }
    }
    {
        const char *heads[2] = {head, "p"};
        size_t nc = p ? 2 : 1;
        const char **cells = malloc(nc * (n ? n : 1) * sizeof *cells);
        if (!cells)
            rc = -1;
        else {
            for (size_t i = 0; i < n; i++) {
                cells[nc * i] = ci[i];
                if (p)
                    cells[nc * i + 1] = pt[i];
            }
            rc |= rad_axes_side_table(ax, heads, nc, 0, yat, n, cells);
            free(cells);
        }
    }
    free(yat);
    free(ci);
    free(pt);
    if (rc != 0)
        return fail_free(f);
    if (nbad)
        rad_figure_add_note(f, "%zu term%s without a finite estimate listed as NA", nbad, nbad == 1 ? "" : "s");
    if (nclamp)
        rad_figure_add_note(f, "%zu confidence interval%s cut at the axis limits (very wide: check for "
                            "separation)", nclamp, nclamp == 1 ? "" : "s");
    char desc[128];
    size_t nref = 0;
    for (size_t i = 0; i < n; i++)
        nref += est[i] == 1 && isnan(lo[i]) && isnan(hi[i]);
    char refs[48] = "";
    if (nref)
        snprintf(refs, sizeof refs, " and %zu reference level%s", nref, nref == 1 ? "" : "s");
    snprintf(desc, sizeof desc, "forest plot, %zu term%s%s, %s with 95 %% CI", n - nref, n - nref == 1 ? "" : "s",
             refs, is_or ? "odds ratios" : strcmp(measure, "HR") == 0 ? "hazard ratios" : "ratios");
    rad_figure_set_description(f, desc);
    return f;
}

/* ---- lasso paths ------------------------------------------------------------------------ */

typedef struct {
    double y;
    size_t j;
} LabelPos;

static int cmp_label(const void *a, const void *b)
{
    double x = ((const LabelPos *)a)->y, y = ((const LabelPos *)b)->y;
    return (x < y) - (x > y); /* descending: top first */
}

/* Nice y ticks on [lo, hi] formatted into lab; returns the count. */
static size_t fmt_yticks(double lo, double hi, double *at, char (*lab)[32])
{
    double v[16];
    size_t m = rad_nice_ticks(lo, hi, 5, v, 16), k = 0;
    double step = m > 1 ? v[1] - v[0] : 0;
    for (size_t i = 0; i < m; i++)
        if (v[i] >= lo && v[i] <= hi) {
            at[k] = v[i];
            rad_format_tick(v[i], step, lab[k], 24);
            k++;
        }
    return k;
}

/* Pad labels on the left with figure spaces (U+2007, digit wide) to
 * `width` characters, so stacked panels get the same left margin. */
static int set_padded_yticks(RadAxes *ax, const double *at, char (*lab)[32], size_t n, size_t width)
{
    const char *lp[16];
    for (size_t i = 0; i < n; i++) {
        char buf[32];
        size_t len = utf8_len(lab[i]), o = 0;
        for (; len < width && o + 3 < sizeof buf - 8; len++, o += 3)
            memcpy(buf + o, "\xe2\x80\x87", 3);
        snprintf(buf + o, sizeof buf - o, "%s", lab[i]);
        memcpy(lab[i], buf, sizeof buf);
        lp[i] = lab[i];
    }
    return rad_axes_set_yticks(ax, at, lp, n);
}

/* Ticks of log(lambda) on the reversed axis (data = -log(lambda)). */
static int lasso_ticks(RadAxes *ax, double llo, double lhi)
{
    double v[32];
    size_t m = rad_nice_ticks(llo, lhi, 6, v, 32);
    double at[32];
    char lab[32][24];
    const char *lp[32];
    size_t k = 0;
    double step = m > 1 ? v[1] - v[0] : 0;
    for (size_t i = 0; i < m; i++) {
        if (v[i] < llo - 1e-9 || v[i] > lhi + 1e-9)
            continue;
        at[k] = -v[i];
        rad_format_tick(v[i], step, lab[k], sizeof lab[k]);
        lp[k] = lab[k];
        k++;
    }
    return rad_axes_set_xticks(ax, at, lp, k);
}

RadFigure *rad_chart_lasso(const double *lambda, size_t nlambda, const double *beta, size_t p,
                           const char *const *names, const size_t *df, const RadLassoCv *cv,
                           const RadChartOptions *o)
{
    if (nlambda == 0 || !lambda || !beta)
        return rad_error_set("lasso: the path is empty (no lambda values)"), NULL;
    if (p == 0)
        return rad_error_set("lasso: the path has no features"), NULL;
    for (size_t k = 0; k < nlambda; k++)
        if (!(lambda[k] > 0 && isfinite(lambda[k])))
            return rad_error_set("lasso: lambda[%zu] = %g; lambdas must be positive", k + 1, lambda[k]), NULL;
    if (cv) {
        if (cv->n == 0 || !cv->lambda || !cv->cvm || !cv->cvsd)
            return rad_error_set("lasso: the cross-validation result is empty"), NULL;
        for (size_t k = 0; k < cv->n; k++)
            if (!(cv->lambda[k] > 0))
                return rad_error_set("lasso: cv lambda[%zu] = %g; lambdas must be positive", k + 1, cv->lambda[k]),
                       NULL;
    }
    /* x range of log(lambda) */
    double llo = INFINITY, lhi = -INFINITY;
    for (size_t k = 0; k < nlambda; k++) {
        llo = fmin(llo, log(lambda[k]));
        lhi = fmax(lhi, log(lambda[k]));
    }
    if (cv)
        for (size_t k = 0; k < cv->n; k++) {
            llo = fmin(llo, log(cv->lambda[k]));
            lhi = fmax(lhi, log(cv->lambda[k]));
        }
    if (lhi - llo < 1e-6) {
        llo -= 0.5;
        lhi += 0.5;
    }
    /* the last (smallest-lambda) coefficients, for labels */
    size_t klast = 0;
    for (size_t k = 1; k < nlambda; k++)
        if (lambda[k] < lambda[klast])
            klast = k;
    LabelPos lab[6];
    size_t nlab = 0;
    {
        /* the 5 largest |beta| at the fullest model */
        for (size_t j = 0; j < p; j++) {
            double b = beta[klast * p + j];
            if (!(b != 0) || !isfinite(b))
                continue;
            size_t pos = nlab;
            while (pos > 0 && fabs(beta[klast * p + lab[pos - 1].j]) < fabs(b))
                pos--;
            if (pos >= 5)
                continue;
            if (nlab < 5)
                nlab++;
            memmove(lab + pos + 1, lab + pos, (nlab - 1 - pos) * sizeof *lab);
            lab[pos].j = j;
            lab[pos].y = b;
        }
    }

    double W = o && o->width > 0 ? o->width : 120;
    double H = o && o->height > 0 ? o->height : (cv ? 150 : 85);
    RadChartOptions oo;
    if (o)
        oo = *o;
    else
        rad_chart_options_default(&oo);
    oo.width = W;
    oo.height = H;
    const char *xl = o && o->xlabel ? o->xlabel : "log(\xce\xbb)";
    RadAxes *ax;
    RadFigure *f = rad_chart_begin(&oo, W, H, cv ? NULL : xl, "Coefficient", &ax);
    if (!f)
        return NULL;
    if (cv) {
        /* rad_chart_begin's axes is the whole figure: rebuild as two panels */
        rad_figure_free(f);
        f = rad_figure_new(W, H);
        if (!f)
            return NULL;
        if ((oo.title && rad_figure_set_title(f, oo.title, 0) != 0) ||
            (oo.subtitle && rad_figure_set_subtitle(f, oo.subtitle) != 0))
            return fail_free(f);
        ax = rad_figure_add_axes(f, 0, 0, 1, 0.55);
        if (!ax || rad_axes_set_ylabel(ax, o && o->ylabel ? o->ylabel : "Coefficient") != 0 ||
            rad_axes_set_xlabel(ax, xl) != 0)
            return fail_free(f);
        rad_axes_set_grid(ax, oo.grid);
    }
    rad_axes_set_legend(ax, RAD_LEGEND_NONE);
    /* x: -log(lambda) so the axis runs from large lambda to small; room on
     * the right for the labels */
    double span = lhi - llo;
    /* the labels go in a text column right of the plot area (a side
     * table), so the x range is the data's in both panels: no empty strip
     * kept for long feature names */
    double extra = span * 0.02;
    rad_axes_set_xlim(ax, -lhi - span * 0.02, -llo + extra);
    int rc = lasso_ticks(ax, llo, lhi);

    double *xs = malloc(nlambda * sizeof *xs), *ys = malloc(nlambda * sizeof *ys);
    if (!xs || !ys) {
        free(xs);
        free(ys);
        rad_error_set("lasso: out of memory");
        return fail_free(f);
    }
    for (size_t k = 0; k < nlambda; k++)
        xs[k] = -log(lambda[k]);
    double bmin = 0, bmax = 0;
    size_t nnz_any = 0;
    for (size_t j = 0; j < p && rc == 0; j++) {
        int any = 0;
        for (size_t k = 0; k < nlambda; k++) {
            ys[k] = beta[k * p + j];
            if (ys[k] != 0)
                any = 1;
            if (isfinite(ys[k])) {
                bmin = fmin(bmin, ys[k]);
                bmax = fmax(bmax, ys[k]);
            }
        }
        nnz_any += (size_t)any;
        if (!any)
            continue;
        RadStyle st = rad_style_line(j, 0.8);
        rc |= rad_axes_line(ax, xs, ys, nlambda, &st);
    }
    RadStyle zero = rad_style_default();
    zero.color = rad_grey(0.6);
    zero.line_width = 0.5;
    rc |= rad_axes_hline(ax, 0, &zero);
    if (bmax - bmin <= 0) {
        bmin = -1;
        bmax = 1;
    }
    /* room at the top for the non-zero counts */
    double yspan = bmax - bmin;
    double ytop = bmax + yspan * 0.14;
    rad_axes_set_ylim(ax, bmin - yspan * 0.04, ytop);
    double at1[16], at2[16];
    char lab1[16][32], lab2[16][32];
    size_t n1 = fmt_yticks(bmin - yspan * 0.04, ytop, at1, lab1), n2 = 0;
    RadAxes *bx = NULL;
    /* labels of the largest coefficients at the right edge, spread apart */
    double plot_h = (cv ? H * 0.55 : H) - 30;
    double min_gap = yspan * 1.18 * (7 * 1.25 * MM_PER_PT) / fmax(plot_h, 10);
    qsort(lab, nlab, sizeof *lab, cmp_label);
    for (size_t i = 1; i < nlab; i++)
        if (lab[i - 1].y - lab[i].y < min_gap)
            lab[i].y = lab[i - 1].y - min_gap;
    /* in their lines' colours (darkened for text); crowded ones are left
     * out when drawn in a small page cell */
    const char *lcell[6];
    double ly[6];
    RadColor lcol[6];
    for (size_t i = 0; i < nlab; i++) {
        lcell[i] = names && names[lab[i].j] ? names[lab[i].j] : "?";
        ly[i] = lab[i].y;
        lcol[i] = rad_palette(lab[i].j);
    }
    if (nlab && rc == 0) {
        rc |= rad_axes_side_table(ax, NULL, 1, NAN, ly, nlab, lcell);
        rc |= rad_axes_side_colors(ax, lcol, nlab);
    }
    /* non-zero counts along the top at about 6 positions */
    {
        double v[16];
        size_t m = rad_nice_ticks(llo, lhi, 6, v, 16);
        for (size_t i = 0; i < m && rc == 0; i++) {
            if (v[i] < llo || v[i] > lhi)
                continue;
            /* the path lambda nearest to exp(v) */
            size_t best = 0;
            for (size_t k = 1; k < nlambda; k++)
                if (fabs(log(lambda[k]) - v[i]) < fabs(log(lambda[best]) - v[i]))
                    best = k;
            size_t d = 0;
            if (df)
                d = df[best];
            else
                for (size_t j = 0; j < p; j++)
                    d += beta[best * p + j] != 0;
            char buf[24];
            snprintf(buf, sizeof buf, "%zu", d);
            RadStyle t = text_style(7, RAD_HALIGN_CENTER, RAD_VALIGN_TOP);
            t.color = rad_grey(0.3);
            rc |= rad_axes_text(ax, -v[i], ytop - yspan * 0.01, buf, &t);
        }
    }
    rc |= rad_axes_set_title(ax, "Coefficient paths (top: non-zero coefficients)");
    free(ys);
    free(xs);
    if (rc != 0)
        return fail_free(f);

    if (cv) {
        bx = rad_figure_add_axes(f, 0, 0.55, 1, 1);
        if (!bx || rad_axes_set_xlabel(bx, xl) != 0 ||
            rad_axes_set_ylabel(bx, cv->ylabel ? cv->ylabel : "CV error") != 0)
            return fail_free(f);
        rad_axes_set_grid(bx, oo.grid);
        rad_axes_set_legend(bx, RAD_LEGEND_NONE);
        rad_axes_set_xlim(bx, -lhi - span * 0.02, -llo + extra);
        if (lasso_ticks(bx, llo, lhi) != 0)
            return fail_free(f);
        /* the same labels, never drawn (no y of theirs is in range), give
         * this panel the path panel's right margin: the two x axes align */
        if (nlab) {
            double none[6] = {NAN, NAN, NAN, NAN, NAN, NAN};
            if (rad_axes_side_table(bx, NULL, 1, NAN, none, nlab, lcell) != 0)
                return fail_free(f);
        }
        size_t m = cv->n;
        double *cx = malloc(m * sizeof *cx), *cy = malloc(m * sizeof *cy), *c0 = malloc(m * sizeof *c0),
               *c1 = malloc(m * sizeof *c1);
        if (!cx || !cy || !c0 || !c1) {
            free(cx);
            free(cy);
            free(c0);
            free(c1);
            rad_error_set("lasso: out of memory");
            return fail_free(f);
        }
        double ylo = INFINITY, yhi = -INFINITY;
        for (size_t k = 0; k < m; k++) {
            cx[k] = -log(cv->lambda[k]);
            cy[k] = cv->cvm[k];
            double sd = isfinite(cv->cvsd[k]) ? cv->cvsd[k] : 0;
            c0[k] = cy[k] - sd;
            c1[k] = cy[k] + sd;
            if (isfinite(cy[k])) {
                ylo = fmin(ylo, c0[k]);
                yhi = fmax(yhi, c1[k]);
            }
        }
        RadStyle bar = rad_style_default();
        bar.color = rad_grey(0.55);
        bar.line_width = 0.6;
        rc = rad_axes_segments(bx, cx, c0, cx, c1, m, &bar);
        RadStyle pts = rad_style_default();
        pts.marker = RAD_MARKER_CIRCLE;
        pts.marker_size = 3.5;
        pts.line_width = 0;
        pts.fill = rad_palette(1);
        pts.color = rad_palette(1);
        rc |= rad_axes_points(bx, cx, cy, m, &pts);
        free(cx);
        free(cy);
        free(c0);
        free(c1);
        if (isfinite(ylo) && yhi > ylo) {
            double ys2 = yhi - ylo;
            rad_axes_set_ylim(bx, ylo - ys2 * 0.04, yhi + ys2 * 0.24);
            n2 = fmt_yticks(ylo - ys2 * 0.04, yhi + ys2 * 0.24, at2, lab2);
            RadStyle vl = rad_style_default();
            vl.dash = RAD_DASH_DASHED;
            vl.line_width = 0.8;
            vl.color = rad_grey(0.25);
            char buf[64];
            if (cv->lambda_min > 0) {
                rc |= rad_axes_vline(bx, -log(cv->lambda_min), &vl);
                RadStyle t = text_style(7, RAD_HALIGN_LEFT, RAD_VALIGN_TOP);
                snprintf(buf, sizeof buf, " \xce\xbb min");
                rc |= rad_axes_text(bx, -log(cv->lambda_min), yhi + ys2 * 0.12, buf, &t);
            }
            if (cv->lambda_1se > 0) {
                rc |= rad_axes_vline(bx, -log(cv->lambda_1se), &vl);
                /* a row above the lambda_min label, also right of its line: never
                 * cut at the left edge, never over the other label */
                RadStyle t = text_style(7, RAD_HALIGN_LEFT, RAD_VALIGN_TOP);
                snprintf(buf, sizeof buf, " \xce\xbb 1se");
                rc |= rad_axes_text(bx, -log(cv->lambda_1se), yhi + ys2 * 0.23, buf, &t);
            }
        }
        rc |= rad_axes_set_title(bx, "Cross-validation (mean \xc2\xb1 SE)");
        if (rc != 0)
            return fail_free(f);
    }
    if (bx && n1 && n2) {
        /* equal tick label widths: the two plot areas line up */
        size_t wmax = 0;
        for (size_t i = 0; i < n1; i++)
            wmax = wmax > utf8_len(lab1[i]) ? wmax : utf8_len(lab1[i]);
        for (size_t i = 0; i < n2; i++)
            wmax = wmax > utf8_len(lab2[i]) ? wmax : utf8_len(lab2[i]);
        if (set_padded_yticks(ax, at1, lab1, n1, wmax) != 0 || set_padded_yticks(bx, at2, lab2, n2, wmax) != 0)
            return fail_free(f);
    }
    if (nnz_any == 0)
        rad_figure_add_note(f, "every coefficient is 0 along the path (lambda too large?)");
    char desc[160];
    if (cv)
        snprintf(desc, sizeof desc, "lasso path, %zu features, %zu lambdas, CV lambda_min = %.4g, lambda_1se = %.4g",
                 p, nlambda, cv->lambda_min, cv->lambda_1se);
    else
        snprintf(desc, sizeof desc, "lasso path, %zu features, %zu lambdas", p, nlambda);
    rad_figure_set_description(f, desc);
    return f;
}

/* ---- clustering and the heatmap ------------------------------------------------------- */

int rad_cluster_order(const double *d, size_t p, size_t *order)
{
    if (p == 0)
        return 0;
    if (p == 1) {
        order[0] = 0;
        return 0;
    }
    /* UPGMA with the Lance-Williams update; nodes 0..p-1 are leaves,
     * p..2p-2 merges; active[i] maps the working slot to its node */
    double *D = malloc(p * p * sizeof *D);
    size_t *node = malloc(p * sizeof *node), *size = malloc(p * sizeof *size);
    size_t *left = malloc((p - 1) * sizeof *left), *right = malloc((p - 1) * sizeof *right);
    char *alive = malloc(p);
    size_t *stack = malloc((2 * p) * sizeof *stack);
    if (!D || !node || !size || !left || !right || !alive || !stack) {
        free(D);
        free(node);
        free(size);
        free(left);
        free(right);
        free(alive);
        free(stack);
        return rad_error_set("cluster: out of memory");
    }
    double dmax = 0;
    for (size_t i = 0; i < p * p; i++)
        if (isfinite(d[i]))
            dmax = fmax(dmax, d[i]);
    for (size_t i = 0; i < p * p; i++)
        D[i] = isfinite(d[i]) ? d[i] : dmax + 1;
    for (size_t i = 0; i < p; i++) {
        node[i] = i;
        size[i] = 1;
        alive[i] = 1;
    }
    for (size_t m = 0; m < p - 1; m++) {
        size_t bi = 0, bj = 0;
        double best = INFINITY;
        for (size_t i = 0; i < p; i++) {
            if (!alive[i])
                continue;
            for (size_t j = i + 1; j < p; j++)
                if (alive[j] && D[i * p + j] < best) {
                    best = D[i * p + j];
                    bi = i;
                    bj = j;
                }
        }
        if (!isfinite(best)) { /* cannot happen: NaN mapped to finite */
            for (size_t j = 0; j < p; j++)
                if (alive[j] && j != bi) {
                    bj = j;
                    break;
                }
        }
        left[m] = node[bi];
        right[m] = node[bj];
        double ni = (double)size[bi], nj = (double)size[bj];
        for (size_t k = 0; k < p; k++) {
            if (!alive[k] || k == bi || k == bj)
                continue;
            double v = (ni * D[bi * p + k] + nj * D[bj * p + k]) / (ni + nj);
            D[bi * p + k] = D[k * p + bi] = v;
        }
        size[bi] += size[bj];
        node[bi] = p + m;
        alive[bj] = 0;
    }
    /* leaves left to right, iteratively */
    size_t top = 0, out = 0;
    stack[top++] = 2 * p - 2;
    while (top > 0) {
        size_t v = stack[--top];
        if (v < p) {
            order[out++] = v;
        } else {
            stack[top++] = right[v - p];
            stack[top++] = left[v - p];
        }
    }
    free(D);
    free(node);
    free(size);
    free(left);
    free(right);
    free(alive);
    free(stack);
    return 0;
}

RadFigure *rad_chart_heatmap(const double *x, size_t n, size_t p, const char *const *names, int method,
                             int cluster, size_t *order_out, const RadChartOptions *o)
{
    if (p == 0)
        return rad_error_set("heatmap: no columns to correlate"), NULL;
    if (p > 500)
        return rad_error_set("heatmap: %zu columns; at most 500 can be drawn (select fewer)", p), NULL;
    if (n < 3)
        return rad_error_set("heatmap: %zu rows; correlations need at least 3", n), NULL;
    double *r = malloc(p * p * sizeof *r), *d = malloc(p * p * sizeof *d);
    size_t *ord = malloc(p * sizeof *ord);
    uint8_t *rgba = malloc(p * p * 4);
    if (!r || !d || !ord || !rgba) {
        free(r);
        free(d);
        free(ord);
        free(rgba);
        return rad_error_set("heatmap: out of memory"), NULL;
    }
    RadFigure *f = NULL;
    if (rad_cor_matrix(x, n, p, method == 1 ? RAD_COR_SPEARMAN : RAD_COR_PEARSON, r) != 0)
        goto done;
    size_t nundef = 0;
    for (size_t j = 0; j < p; j++) {
        int bad = 1;
        for (size_t k = 0; k < p; k++)
            if (k != j && isfinite(r[j * p + k]))
                bad = 0;
        if (p > 1 && bad)
            nundef++;
    }
    for (size_t i = 0; i < p * p; i++)
        d[i] = isfinite(r[i]) ? 1 - fabs(r[i]) : NAN;
    for (size_t i = 0; i < p; i++) {
        d[i * p + i] = 0;
        ord[i] = i;
    }
    if (cluster && rad_cluster_order(d, p, ord) != 0)
        goto done;
    for (size_t a = 0; a < p; a++)
        for (size_t b = 0; b < p; b++) {
            double v = r[ord[a] * p + ord[b]];
            uint8_t *px = rgba + (a * p + b) * 4;
            if (isfinite(v)) {
                RadColor c = rad_colormap(RAD_CMAP_DIVERGING, (v + 1) / 2);
                px[0] = (uint8_t)lrint(c.r * 255);
                px[1] = (uint8_t)lrint(c.g * 255);
                px[2] = (uint8_t)lrint(c.b * 255);
                px[3] = 255;
            } else { /* undefined: light grey */
                px[0] = px[1] = px[2] = 200;
                px[3] = 255;
            }
        }
    const char *mname = method == 1 ? "Spearman" : "Pearson";
    RadAxes *ax;
    double W = 120, Hh = 105;
    f = rad_chart_begin(o, W, Hh, NULL, NULL, &ax);
    if (!f)
        goto done;
    W = rad_figure_width(f);
    Hh = rad_figure_height(f);
    rad_axes_set_tight(ax, 1);
    rad_axes_set_equal(ax, 1);
    rad_axes_set_yreverse(ax, 1);
    rad_axes_set_legend(ax, RAD_LEGEND_NONE);
    rad_axes_set_xlim(ax, 0.5, (double)p + 0.5);
    rad_axes_set_ylim(ax, 0.5, (double)p + 0.5);
    char cbl[48];
    snprintf(cbl, sizeof cbl, "%s r", mname);
    int rc = rad_axes_image(ax, rgba, p, p, 0.5, 0.5, (double)p + 0.5, (double)p + 0.5);
    rc |= rad_axes_colorbar(ax, RAD_CMAP_DIVERGING, -1, 1, cbl);
    if (p <= 10) {
        /* few variables: the coefficients written in the cells */
        for (size_t a = 0; a < p && rc == 0; a++)
            for (size_t b = 0; b < p && rc == 0; b++) {
                double v = r[ord[a] * p + ord[b]];
                char buf[16];
                if (!isfinite(v))
                    snprintf(buf, sizeof buf, "NA");
                else
                    snprintf(buf, sizeof buf, "%.2f", v);
                RadStyle t = text_style(p <= 6 ? 7 : 6, RAD_HALIGN_CENTER, RAD_VALIGN_MIDDLE);
                t.color = isfinite(v) && fabs(v) > 0.6 ? rad_rgb(1, 1, 1) : rad_grey(0.1);
                rc |= rad_axes_text(ax, (double)b + 1, (double)a + 1, buf, &t);
            }
    }
    /* labels: names on y, one per row when they fit (line height 1.15 x
     * the font), else every k-th; x: names when they fit side by side,
     * upright (rotated 90 degrees) when one per row fits, else positions */
    double fs = 7, name_w = 0, cell = 0;
    size_t ky = 1;
    for (; fs >= 6; fs -= 1) {
        name_w = 0;
        for (size_t j = 0; j < p; j++)
            name_w = fmax(name_w, text_mm(names && names[j] ? names[j] : "", fs));
        double side = fmin(W - name_w - 30, Hh - 16 - (o && o->title ? 8 : 0));
        cell = side / (double)p;
        ky = (size_t)ceil(fs * MM_PER_PT * 1.1 / fmax(cell, 1e-6));
        if (ky < 1)
            ky = 1;
        if (ky == 1)
            break;
    }
    if (fs < 6)
        fs = 6;
    double *at = malloc(p * sizeof *at);
    const char **lab = malloc(p * sizeof *lab);
    char (*num)[24] = malloc(p * sizeof *num);
    if (!at || !lab || !num) {
        free(at);
        free(lab);
        free(num);
        rad_figure_free(f);
        f = NULL;
        rad_error_set("heatmap: out of memory");
        goto done;
    }
    size_t m = 0;
    for (size_t a = 0; a < p; a += ky) {
        at[m] = (double)a + 1;
        lab[m] = names && names[ord[a]] ? names[ord[a]] : "";
        m++;
    }
    rc |= rad_axes_set_yticks(ax, at, lab, m);
    int xnames = name_w + 1.5 <= cell, xrot = 0;
    if (!xnames && ky == 1) {
        /* one name per row fits: the same names, turned upright, fit the
         * columns */
        xnames = 1;
        xrot = 1;
    }
    size_t kx = 1;
    m = 0;
    if (xnames) {
        for (size_t a = 0; a < p; a++) {
            at[m] = (double)a + 1;
            lab[m] = names && names[ord[a]] ? names[ord[a]] : "";
            m++;
        }
    } else {
        /* positions 1..p, spaced so numbers do not touch */
        double numw = text_mm("000", fs) + 1.5;
        kx = (size_t)ceil(numw / fmax(cell, 1e-6));
        static const size_t steps[] = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500};
        for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++)
            if (steps[s] >= kx) {
                kx = steps[s];
                break;
            }
        for (size_t a = kx > 1 ? kx - 1 : 0; a < p; a += kx) {
            at[m] = (double)a + 1;
            snprintf(num[m], sizeof num[m], "%zu", a + 1);
            lab[m] = num[m];
            m++;
        }
    }
    rc |= rad_axes_set_xticks(ax, at, lab, m);
    if (xrot)
        rc |= rad_axes_set_xtick_rotation(ax, 90);
    rad_axes_set_font_size(ax, fs, 8, 9);
    if (!xnames)
        rc |= rad_axes_set_xlabel(ax, o && o->xlabel ? o->xlabel : "Variable (position in the order of the rows)");
    free(at);
    free(lab);
    free(num);
    if (rc != 0) {
        rad_figure_free(f);
        f = NULL;
        goto done;
    }
    if (ky > 1)
        rad_figure_add_note(f, "%zu variables: every %zu%s name shown on the y axis (too many to read)", p, ky,
                            ky == 2 ? "nd" : ky == 3 ? "rd" : "th");
    if (nundef)
        rad_figure_add_note(f, "%zu column%s constant or without overlap: correlation undefined (grey)", nundef,
                            nundef == 1 ? "" : "s");
    char desc[160];
    snprintf(desc, sizeof desc, "correlation heatmap, %zu variables, %s, n = %zu, %s", p, mname, n,
             cluster ? "average-linkage clustering order on 1 - |r|" : "input order");
    rad_figure_set_description(f, desc);
    if (order_out)
        memcpy(order_out, ord, p * sizeof *ord);
done:
    free(r);
    free(d);
    free(ord);
    free(rgba);
    return f;
}

/* ---- nomogram ------------------------------------------------------------------------------ */

/* Draw one scale on row y: a line from the smallest to the largest
 * position, ticks and labels above; labels closer than min_gap (data
 * units) alternate below the line.  The labels avoid each other when drawn
 * (RadStyle.avoid): in a smaller page cell the crowded ones are left out
 * rather than overlap, and the end ones move inside the plot width. */
static int nomo_scale(RadAxes *ax, double y, const double *x, const char *const *labels, size_t n, double fs,
                      double mm_per_unit, double tick_h)
{
    if (n == 0)
        return 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < n; k++)
        if (isfinite(x[k])) {
            lo = fmin(lo, x[k]);
            hi = fmax(hi, x[k]);
        }
    if (!isfinite(lo))
        return 0;
    RadStyle ln = rad_style_default();
    ln.line_width = 0.8;
    int rc = 0;
    if (hi > lo)
        rc |= rad_axes_line(ax, (double[]){lo, hi}, (double[]){y, y}, 2, &ln);
    /* label positions in increasing x: alternate above / below when crowded,
     * skip when still crowded */
    size_t *idx = malloc(n * sizeof *idx);
    if (!idx)
        return rad_error_set("nomogram: out of memory");
    for (size_t k = 0; k < n; k++)
        idx[k] = k;
    for (size_t a = 1; a < n; a++) /* insertion sort by x (n small) */
        for (size_t b = a; b > 0 && x[idx[b]] < x[idx[b - 1]]; b--) {
            size_t t = idx[b];
            idx[b] = idx[b - 1];
            idx[b - 1] = t;
        }
    double last_end[2] = {-INFINITY, -INFINITY};
    for (size_t a = 0; a < n; a++) {
        size_t k = idx[a];
        if (!isfinite(x[k]))
            continue;
        const char *s = labels[k] ? labels[k] : "";
        if (!*s)
            continue; /* an unlabelled end of the range */
        double half = text_mm(s, fs) / 2 / mm_per_unit + 0.6 / mm_per_unit;
        int side = -1;
        if (x[k] - half >= last_end[0])
            side = 0;
        else if (x[k] - half >= last_end[1])
            side = 1;
        RadStyle tk = rad_style_default();
        tk.line_width = 0.6;
        rc |= rad_axes_line(ax, (double[]){x[k], x[k]},
                            (double[]){y - (side == 1 ? 0 : tick_h), y + (side == 1 ? tick_h : 0)}, 2, &tk);
        if (side < 0)
            continue;
        last_end[side] = x[k] + half;
        RadStyle t = text_style(fs, RAD_HALIGN_CENTER, side == 0 ? RAD_VALIGN_BOTTOM : RAD_VALIGN_TOP);
        t.avoid = 1;
        rc |= rad_axes_text(ax, x[k], side == 0 ? y - tick_h * 1.3 : y + tick_h * 1.3, s, &t);
    }
    free(idx);
    return rc;
}

/* The scale on which a nomogram's bottom axis is linear in total points:
 * log(-log S) for survival of a Cox model, logit p for a logistic one. */
static double nomo_link(double v, int logistic)
{
    return logistic ? log(v / (1 - v)) : log(-log(v));
}

RadFigure *rad_chart_nomogram(const RadNomoTerm *terms, size_t nterms, const double *total, size_t ntot,
                              double max_total, const double *survival, size_t nstrata,
                              const char *const *strata, double at, const char *at_label,
                              const char *scale_label, const RadChartOptions *o)
{
    int logistic = scale_label != NULL;
    if (nterms == 0)
        return rad_error_set("nomogram: no terms to draw"), NULL;
    if (ntot < 2 || !total || !(max_total > 0))
        return rad_error_set("nomogram: the total points scale needs at least 2 values and a positive maximum"),
               NULL;
    for (size_t i = 0; i < nterms; i++)
        if (terms[i].n == 0)
            return rad_error_set("nomogram: term '%s' has no points", terms[i].name ? terms[i].name : "?"), NULL;
    size_t nrow = 2 + nterms + (survival ? nstrata : 0);
    double fs = 7;
    /* row labels */
    char **rl = calloc(nrow, sizeof *rl);
    if (!rl)
        return rad_error_set("nomogram: out of memory"), NULL;
    char atbuf[64];
    if (at_label)
        snprintf(atbuf, sizeof atbuf, "%s", at_label);
    else
        snprintf(atbuf, sizeof atbuf, "%g", at);
    int oom = 0;
    double lab_w = 0;
    for (size_t r = 0; r < nrow; r++) {
        char buf[256];
        if (r == 0)
            snprintf(buf, sizeof buf, "Points");
        else if (r <= nterms)
            snprintf(buf, sizeof buf, "%s", terms[r - 1].name ? terms[r - 1].name : "?");
        else if (r == nterms + 1)
            snprintf(buf, sizeof buf, "Total points");
        else if (logistic)
            snprintf(buf, sizeof buf, "%s", scale_label);
        else if (strata && strata[r - nterms - 2])
            snprintf(buf, sizeof buf, "Survival at %s\n(%s)", atbuf, strata[r - nterms - 2]);
        else
            snprintf(buf, sizeof buf, "Survival at %s", atbuf);
        rl[r] = strdup(buf);
        if (!rl[r])
            oom = 1;
        else {
            char *nl = strchr(buf, '\n');
            if (nl) {
                *nl = 0;
                lab_w = fmax(lab_w, fmax(text_mm(buf, fs + 1), text_mm(nl + 1, fs + 1)));
            } else {
                lab_w = fmax(lab_w, text_mm(buf, fs + 1));
            }
        }
    }
    RadFigure *f = NULL;
    RadAxes *ax;
    double W = 175, H = 16 + 11 * (double)nrow;
    if (oom) {
        rad_error_set("nomogram: out of memory");
        goto done;
    }
    RadChartOptions oo;
    if (o)
        oo = *o;
    else
        rad_chart_options_default(&oo);
    f = rad_chart_begin(&oo, W, H, NULL, NULL, &ax);
    if (!f)
        goto done;
    W = rad_figure_width(f);
    /* the row names are y tick labels: the layer measures them into the
     * left margin, so no cell size cuts them off */
    rad_axes_set_frame(ax, 2);
    rad_axes_set_font_size(ax, fs + 1, 9, 10);
    rad_axes_set_yreverse(ax, 1);
    rad_axes_set_legend(ax, RAD_LEGEND_NONE);
    /* x: the points scale 0..100, labels left of -pad; room estimated in mm */
    double plot_w = W - 10;
    double edge = text_mm("0.999", fs) / 2 + 1.5; /* half a label past each end */
    double units = 100.0 / fmax(plot_w - lab_w - 4 - 2 * edge, 20);
    double mm_per_unit = 1 / units;
    double xl0 = -edge * units, xr = 100 + edge * units;
    rad_axes_set_xlim(ax, xl0, xr);
    rad_axes_set_ylim(ax, 0.45, (double)nrow + 0.55);
    double tick_h = 0.12;
    int rc = 0;
    {
        double *ry = malloc(nrow * sizeof *ry);
        if (!ry)
            rc = rad_error_set("nomogram: out of memory");
        for (size_t r = 0; ry && r < nrow; r++)
            ry[r] = (double)r + 1;
        if (ry)
            rc |= rad_axes_set_yticks(ax, ry, (const char *const *)rl, nrow);
        free(ry);
    }
    for (size_t r = 0; r < nrow && rc == 0; r++) {
        double y = (double)r + 1;
        if (r == 0) {
            double px[11];
            char pl[11][8];
            const char *pp[11];
            for (int k = 0; k <= 10; k++) {
                px[k] = 10.0 * k;
                snprintf(pl[k], sizeof pl[k], "%d", 10 * k);
                pp[k] = pl[k];
            }
            rc |= nomo_scale(ax, y, px, pp, 11, fs, mm_per_unit, tick_h);
            /* minor ticks every 2 points */
            RadStyle mt = rad_style_default();
            mt.line_width = 0.4;
            for (int k = 1; k < 50 && rc == 0; k++)
                if (k % 5)
                    rc |= rad_axes_line(ax, (double[]){2.0 * k, 2.0 * k}, (double[]){y - tick_h * 0.5, y}, 2, &mt);
        } else if (r <= nterms) {
            const RadNomoTerm *tm = &terms[r - 1];
            rc |= nomo_scale(ax, y, tm->points, tm->labels, tm->n, fs, mm_per_unit, tick_h);
        } else if (r == nterms + 1) {
            double v[64], xs[64];
            char tl[64][16];
            const char *tp[64];
            size_t m = rad_nice_ticks(0, max_total, (int)fmin(12, fmax(3, plot_w / 14)), v, 64);
            double step = m > 1 ? v[1] - v[0] : 0;
            size_t q = 0;
            for (size_t k = 0; k < m; k++)
                if (v[k] >= -1e-9 && v[k] <= max_total + 1e-9) {
                    xs[q] = v[k] * 100 / max_total;
                    rad_format_tick(v[k], step, tl[q], sizeof tl[q]);
                    tp[q] = tl[q];
                    q++;
                }
            rc |= nomo_scale(ax, y, xs, tp, q, fs, mm_per_unit, tick_h);
        } else {
            /* survival: log(-log S) is linear in total points (logistic:
             * logit p), so invert exactly from the two ends of the grid */
            const double *sv = survival + (r - nterms - 2) * ntot;
            double c0 = NAN, c1 = NAN, P0 = total[0], P1 = total[ntot - 1];
            if (sv[0] > 0 && sv[0] < 1 && sv[ntot - 1] > 0 && sv[ntot - 1] < 1) {
                c0 = nomo_link(sv[0], logistic);
                c1 = nomo_link(sv[ntot - 1], logistic);
            }
            static const double cand[] = {0.999, 0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5,
                                          0.4,   0.3,  0.2,  0.1, 0.05, 0.01, 0.001};
            double xs[32];
            char tl[32][16];
            const char *tp[32];
            size_t q = 0;
            double fine[19];
            for (int k = 0; k < 19; k++)
                fine[k] = 0.95 - 0.05 * k;
            for (int pass = 0; pass < 2 && q < 5 && isfinite(c0) && isfinite(c1) && fabs(c1 - c0) > 1e-12; pass++) {
                /* the coarse list first; the 0.05 grid when it gives few ticks */
                const double *cl = pass == 0 ? cand : fine;
                size_t nc = pass == 0 ? sizeof cand / sizeof cand[0] : 19;
                q = 0;
                for (size_t k = 0; k < nc; k++) {
                    double c = nomo_link(cl[k], logistic);
                    double P = P0 + (c - c0) / (c1 - c0) * (P1 - P0);
                    if (P < P0 - 1e-9 || P > P1 + 1e-9)
                        continue;
                    xs[q] = P * 100 / max_total;
                    snprintf(tl[q], sizeof tl[q], "%g", cl[k]);
                    tp[q] = tl[q];
                    q++;
                }
            }
            if (q < 3 && isfinite(c0) && isfinite(c1) && fabs(c1 - c0) > 1e-12) {
                /* survival hardly changes over the points (an early time):
                 * nice steps over its own narrow range, so the scale is
                 * drawn (compressed) rather than left empty */
                double slo = fmin(sv[0], sv[ntot - 1]), shi = fmax(sv[0], sv[ntot - 1]), v[32];
                size_t nv = rad_nice_ticks(slo, shi, 5, v, 32);
                double step = nv > 1 ? v[1] - v[0] : 0;
                q = 0;
                for (size_t k = 0; k < nv && q < 32; k++) {
                    if (!(v[k] > 0 && v[k] < 1))
                        continue;
                    double P = P0 + (nomo_link(v[k], logistic) - c0) / (c1 - c0) * (P1 - P0);
                    if (P < P0 - 1e-9 || P > P1 + 1e-9)
                        continue;
                    xs[q] = P * 100 / max_total;
                    rad_format_tick(v[k], step, tl[q], sizeof tl[q]);
                    tp[q] = tl[q];
                    q++;
                }
            }
            if (q == 0) {
                rad_figure_add_note(f, "%s %s is %.3g to %.3g over the total points: no readable scale",
                                    logistic ? "the probability" : "survival at", logistic ? "" : atbuf, sv[0],
                                    sv[ntot - 1]);
            } else {
                rc |= nomo_scale(ax, y, xs, tp, q, fs, mm_per_unit, tick_h);
            }
        }
    }
    if (rc != 0) {
        rad_figure_free(f);
        f = NULL;
        goto done;
    }
    char desc[160];
    if (logistic)
        snprintf(desc, sizeof desc, "nomogram, %zu term%s, %s", nterms, nterms == 1 ? "" : "s", scale_label);
    else
        snprintf(desc, sizeof desc, "nomogram, %zu term%s, survival at %s%s", nterms, nterms == 1 ? "" : "s", atbuf,
                 nstrata > 1 ? " per stratum" : "");
    rad_figure_set_description(f, desc);
done:
    for (size_t r = 0; r < nrow; r++)
        free(rl[r]);
    free(rl);
    return f;
}

/* ---- box, violin, strip ------------------------------------------------------------------- */

/* Upper tail of the chi-square distribution: Q(df/2, x/2), the regularised
 * upper incomplete gamma by its series (x < a + 1) or continued fraction
 * (Numerical Recipes' construction, written here from the formulas). */
static double chisq_upper(double x, double df)
{
    double a = df / 2, z = x / 2;
    if (!(z > 0))
        return 1;
    double lg = lgamma(a);
    if (z < a + 1) {
        double sum = 1 / a, term = sum;
        for (int n = 1; n < 1000; n++) {
            term *= z / (a + n);
            sum += term;
            if (fabs(term) < fabs(sum) * 1e-15)
                break;
        }
        return 1 - sum * exp(-z + a * log(z) - lg);
    }
    double b = z + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
    for (int i = 1; i < 1000; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (fabs(d) < 1e-300)
            d = 1e-300;
        c = b + an / c;
        if (fabs(c) < 1e-300)
            c = 1e-300;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15)
            break;
    }
    return exp(-z + a * log(z) - lg) * h;
}

int rad_kruskal_test(const double *y, const int *group, size_t n, size_t k, double *stat, double *df, double *p)
{
    double *v = malloc((n ? n : 1) * sizeof *v), *rk = malloc((n ? n : 1) * sizeof *rk);
    int *g = malloc((n ? n : 1) * sizeof *g);
    double *rs = calloc(k ? k : 1, sizeof *rs), *cnt = calloc(k ? k : 1, sizeof *cnt);
    if (!v || !rk || !g || !rs || !cnt) {
        free(v);
        free(rk);
        free(g);
        free(rs);
        free(cnt);
        return rad_error_set("kruskal: out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(y[i]) && group[i] >= 0 && (size_t)group[i] < k) {
            v[m] = y[i];
            g[m] = group[i];
            m++;
        }
    int ret = 0;
    if (rad_rank(v, m, rk) < 0) {
        ret = rad_error_set("kruskal: out of memory");
        goto out;
    }
    size_t kk = 0;
    for (size_t i = 0; i < m; i++) {
        rs[g[i]] += rk[i];
        cnt[g[i]] += 1;
    }
    for (size_t j = 0; j < k; j++)
        kk += cnt[j] > 0;
    if (kk < 2 || m < 3) {
        ret = rad_error_set("kruskal: needs at least 2 non-empty groups and 3 values");
        goto out;
    }
    double N = (double)m, h = 0;
    for (size_t j = 0; j < k; j++)
        if (cnt[j] > 0)
            h += rs[j] * rs[j] / cnt[j];
    h = 12 / (N * (N + 1)) * h - 3 * (N + 1);
    /* ties: divide by 1 - sum(t^3 - t) / (N^3 - N) */
    qsort(v, m, sizeof *v, cmp_double);
    double tie = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && v[j] == v[i])
            j++;
        double t = (double)(j - i);
        tie += t * t * t - t;
        i = j;
    }
    double corr = 1 - tie / (N * N * N - N);
    if (corr <= 0) {
        ret = rad_error_set("kruskal: all values are equal");
        goto out;
    }
    h /= corr;
    *stat = h;
    *df = (double)(kk - 1);
    *p = chisq_upper(h, *df);
out:
    free(v);
    free(rk);
    free(g);
    free(rs);
    free(cnt);
    return ret;
}

/* The violin's kernel bandwidth for sorted g[c]: Silverman's rule of
 * thumb, 0.9 min(sd, IQR / 1.34) c^(-1/5). */
static double violin_bw(const double *g, size_t c)
{
    double mean = 0, ss = 0;
    for (size_t i = 0; i < c; i++)
        mean += g[i];
    mean /= (double)c;
    for (size_t i = 0; i < c; i++)
        ss += (g[i] - mean) * (g[i] - mean);
    double sd = c > 1 ? sqrt(ss / (double)(c - 1)) : 0;
    double iqr = quantile_sorted(g, c, 0.75) - quantile_sorted(g, c, 0.25);
    double s = fmin(sd, iqr / 1.34);
    if (!(s > 0))
        s = sd > 0 ? sd : (fabs(mean) > 0 ? fabs(mean) * 0.1 : 1);
    return 0.9 * s * pow((double)c, -0.2);
}

/* Van der Corput radical inverse in base 2: a deterministic jitter. */
static double vdc(size_t i)
{
    double r = 0, f = 0.5;
    for (size_t k = i + 1; k; k >>= 1, f /= 2)
        if (k & 1)
            r += f;
    return r;
}

RadFigure *rad_chart_box(const double *y, const int *group, size_t n, const char *const *names, size_t ngroups,
                         RadBoxKind kind, const RadChartOptions *o)
{
    if (n == 0)
        return rad_error_set("box: no values to draw"), NULL;
    if (ngroups == 0)
        return rad_error_set("box: no groups"), NULL;
    if (ngroups > 50)
        return rad_error_set("box: %zu groups; at most 50 can be drawn (is the group column numeric?)", ngroups),
               NULL;
    size_t *cnt = calloc(ngroups, sizeof *cnt), *off = calloc(ngroups + 1, sizeof *off);
    double *v = malloc(n * sizeof *v);
    if (!cnt || !off || !v) {
        free(cnt);
        free(off);
        free(v);
        return rad_error_set("box: out of memory"), NULL;
    }
    size_t dropped = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(y[i]) || group[i] < 0 || (size_t)group[i] >= ngroups) {
            dropped++;
            continue;
        }
        cnt[group[i]]++;
        m++;
    }
    RadFigure *f = NULL;
    if (m == 0) {
        rad_error_set("box: every value is missing (%zu rows dropped)", dropped);
        goto done;
    }
    for (size_t j = 0; j < ngroups; j++)
        off[j + 1] = off[j] + cnt[j];
    {
        size_t *pos = calloc(ngroups, sizeof *pos);
        if (!pos) {
            rad_error_set("box: out of memory");
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            if (isfinite(y[i]) && group[i] >= 0 && (size_t)group[i] < ngroups)
                v[off[group[i]] + pos[group[i]]++] = y[i];
        free(pos);
    }
    /* the test */
    double pval = NAN;
    const char *test = NULL;
    size_t nonempty = 0;
    for (size_t j = 0; j < ngroups; j++)
        nonempty += cnt[j] > 0;
    if (nonempty == 2) {
        size_t a = 0, b = 0;
        while (cnt[a] == 0)
            a++;
        b = a + 1;
        while (cnt[b] == 0)
            b++;
        RadWilcox w;
        if (rad_wilcox_test(v + off[a], cnt[a], v + off[b], cnt[b], &w) == 0) {
            pval = w.p;
            test = "Mann-Whitney";
        }
    } else if (nonempty > 2) {
        double st, df;
        if (rad_kruskal_test(y, group, n, ngroups, &st, &df, &pval) == 0)
            test = "Kruskal-Wallis";
        else
            pval = NAN;
    }
    double ylo = INFINITY, yhi = -INFINITY;
    for (size_t i = 0; i < m; i++) {
        ylo = fmin(ylo, v[i]);
        yhi = fmax(yhi, v[i]);
    }
    /* violins reach 3 bandwidths past their data: the axis covers them
     * whole (a group of one is drawn as a point, no violin) */
    double vlo = ylo, vhi = yhi;
    for (size_t j = 0; j < ngroups && kind == RAD_BOX_VIOLIN; j++)
        if (cnt[j] > 1) {
            double *g = v + off[j];
            qsort(g, cnt[j], sizeof *g, cmp_double);
            double bw = violin_bw(g, cnt[j]);
            vlo = fmin(vlo, g[0] - 3 * bw);
            vhi = fmax(vhi, g[cnt[j] - 1] + 3 * bw);
        }
    RadAxes *ax;
    double W = fmin(175, fmax(60, 30 + 22 * (double)ngroups));
    f = rad_chart_begin(o, W, 75, NULL, NULL, &ax);
    if (!f)
        goto done;
    rad_axes_set_legend(ax, RAD_LEGEND_NONE);
    rad_axes_set_xlim(ax, 0.4, (double)ngroups + 0.6);
    double span = yhi - ylo;
    if (!(span > 0))
        span = fabs(yhi) > 0 ? fabs(yhi) * 0.2 : 1;
    double yl0 = vlo - span * 0.06, yl1 = vhi + span * 0.06;
    rad_axes_set_ylim(ax, yl0, yl1);
    /* x tick labels: "name\nn = 12" */
    double *at = malloc(ngroups * sizeof *at);
    char **lab = calloc(ngroups, sizeof *lab);
    int rc = !at || !lab;
    for (size_t j = 0; j < ngroups && !rc; j++) {
        at[j] = (double)j + 1;
        char buf[256];
        snprintf(buf, sizeof buf, "%s\nn = %zu", names && names[j] ? names[j] : "?", cnt[j]);
        lab[j] = strdup(buf);
        rc = !lab[j];
    }
    if (!rc)
        rc = rad_axes_set_xticks(ax, at, (const char *const *)lab, ngroups);
    for (size_t j = 0; lab && j < ngroups; j++)
        free(lab[j]);
    free(lab);
    free(at);
    for (size_t j = 0; j < ngroups && rc == 0; j++) {
        size_t c = cnt[j];
        if (c == 0)
            continue;
        double *g = v + off[j];
        qsort(g, c, sizeof *g, cmp_double);
        double x = (double)j + 1;
        RadColor col = rad_palette(j);
        double q1 = quantile_sorted(g, c, 0.25), med = quantile_sorted(g, c, 0.5), q3 = quantile_sorted(g, c, 0.75);
        double iqr = q3 - q1;
        if (c == 1) {
            /* a group of one: its value, as a point */
            RadStyle ps = rad_style_default();
            ps.marker = RAD_MARKER_CIRCLE;
            ps.marker_size = 5;
            ps.color = rad_grey(0.1);
            ps.fill = col;
            ps.line_width = 0.8;
            rc |= rad_axes_points(ax, &x, &g[0], 1, &ps);
        } else if (kind == RAD_BOX_BOX) {
            double wl = q1, wh = q3;
            for (size_t i = 0; i < c; i++)
                if (g[i] >= q1 - 1.5 * iqr) {
                    wl = g[i];
                    break;
                }
            for (size_t i = c; i-- > 0;)
                if (g[i] <= q3 + 1.5 * iqr) {
                    wh = g[i];
                    break;
                }
            RadStyle bs = rad_style_default();
            bs.fill = col;
            bs.fill.a = 0.35;
            bs.color = rad_grey(0.1);
            bs.line_width = 0.8;
            double hw = 0.3;
            if (iqr > 0)
                rc |= rad_axes_rect(ax, x - hw, q1, x + hw, q3, &bs);
            RadStyle ls = rad_style_default();
            ls.line_width = 0.8;
            rc |= rad_axes_segments(ax, (double[]){x, x, x - hw / 2, x - hw / 2},
                                    (double[]){q3, q1, wh, wl},
                                    (double[]){x, x, x + hw / 2, x + hw / 2}, (double[]){wh, wl, wh, wl}, 4, &ls);
            RadStyle ms = rad_style_default();
            ms.line_width = 1.8;
            rc |= rad_axes_line(ax, (double[]){x - hw, x + hw}, (double[]){med, med}, 2, &ms);
            RadStyle os = rad_style_default();
            os.marker = RAD_MARKER_CIRCLE;
            os.marker_size = 3.5;
            os.line_width = 0.6;
            os.color = rad_grey(0.15);
            for (size_t i = 0; i < c && rc == 0; i++)
                if (g[i] < wl || g[i] > wh)
                    rc |= rad_axes_points(ax, &x, &g[i], 1, &os);
        } else if (kind == RAD_BOX_VIOLIN) {
            double bw = violin_bw(g, c);
            enum { NK = 96 };
            double ky[NK], kd[NK], px[2 * NK], py[2 * NK], dmax = 0;
            double a = g[0] - 3 * bw, b = g[c - 1] + 3 * bw;
            for (int k = 0; k < NK; k++) {
                ky[k] = a + (b - a) * k / (NK - 1);
                double dsum = 0;
                for (size_t i = 0; i < c; i++) {
                    double z = (ky[k] - g[i]) / bw;
                    dsum += exp(-0.5 * z * z);
                }
                kd[k] = dsum;
                dmax = fmax(dmax, dsum);
            }
            for (int k = 0; k < NK; k++) {
                double w = 0.4 * kd[k] / dmax;
                px[k] = x - w;
                py[k] = ky[k];
                px[2 * NK - 1 - k] = x + w;
                py[2 * NK - 1 - k] = ky[k];
            }
            RadStyle vs = rad_style_default();
            vs.fill = col;
            vs.fill.a = 0.45;
            vs.color = rad_grey(0.2);
            vs.line_width = 0.6;
            rc |= rad_axes_polygon(ax, px, py, 2 * NK, &vs);
            RadStyle is = rad_style_default();
            is.line_width = 3;
            rc |= rad_axes_line(ax, (double[]){x, x}, (double[]){q1, q3}, 2, &is);
            RadStyle md = rad_style_default();
            md.marker = RAD_MARKER_CIRCLE;
            md.marker_size = 4;
            md.fill = rad_rgb(1, 1, 1);
            md.line_width = 0.8;
            rc |= rad_axes_points(ax, &x, &med, 1, &md);
        } else {
            double *jx = malloc(c * sizeof *jx);
            if (!jx) {
                rc = rad_error_set("box: out of memory");
                break;
            }
            for (size_t i = 0; i < c; i++)
                jx[i] = x + (vdc(i) - 0.5) * 0.5;
            RadStyle ps = rad_style_default();
            ps.marker = RAD_MARKER_CIRCLE;
            ps.marker_size = 3.5;
            ps.color = col;
            ps.fill = col;
            ps.fill.a = 0.5;
            ps.line_width = 0.5;
            rc |= rad_axes_points(ax, jx, g, c, &ps);
            free(jx);
            RadStyle ms = rad_style_default();
            ms.line_width = 1.6;
            rc |= rad_axes_line(ax, (double[]){x - 0.3, x + 0.3}, (double[]){med, med}, 2, &ms);
        }
    }
    if (test && rc == 0) {
        char pb[48], buf[96];
        rad_format_p(pval, pb, sizeof pb);
        snprintf(buf, sizeof buf, "%s %s", test, pb);
        /* above the plot area (the axes title), so it never covers data */
        rc |= rad_axes_set_title(ax, buf);
    }
    if (rc != 0) {
        rad_figure_free(f);
        f = NULL;
        goto done;
    }
    if (dropped)
        rad_figure_add_note(f, "%zu row%s with a missing value or group dropped", dropped, dropped == 1 ? "" : "s");
    if (nonempty < 2)
        rad_figure_add_note(f, "one group only: no test");
    if (!test && nonempty >= 2)
        rad_figure_add_note(f, "no test: %s", rad_error_message());
    char desc[160];
    const char *kn = kind == RAD_BOX_BOX ? "box plot" : kind == RAD_BOX_VIOLIN ? "violin plot" : "strip plot";
    if (test) {
        char pb[48];
        rad_format_p(pval, pb, sizeof pb);
        snprintf(desc, sizeof desc, "%s, %zu groups, n = %zu, %s %s", kn, ngroups, m, test, pb);
    } else {
        snprintf(desc, sizeof desc, "%s, %zu group%s, n = %zu", kn, ngroups, ngroups == 1 ? "" : "s", m);
    }
    rad_figure_set_description(f, desc);
done:
    free(cnt);
    free(off);
    free(v);
    return f;
}

/* ---- waterfall ------------------------------------------------------------------------------- */

typedef struct {
    double s;
    int out;
} WfBar;

static int cmp_bar(const void *a, const void *b)
{
    double x = ((const WfBar *)a)->s, y = ((const WfBar *)b)->s;
    return (x < y) - (x > y);
}

RadFigure *rad_chart_waterfall(const double *score, const int *outcome, size_t n, double centre,
                               const char *const *labels, const char *score_name, const RadChartOptions *o)
{
    if (n == 0)
        return rad_error_set("waterfall: no scores to draw"), NULL;
    WfBar *b = malloc(n * sizeof *b);
    double *tmp = malloc(n * sizeof *tmp);
    if (!b || !tmp) {
        free(b);
        free(tmp);
        return rad_error_set("waterfall: out of memory"), NULL;
    }
    size_t m = 0, dropped = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(score[i])) {
            dropped++;
            continue;
        }
        b[m].s = score[i];
        b[m].out = outcome ? outcome[i] : -1;
        tmp[m] = score[i];
        m++;
    }
    RadFigure *f = NULL;
    if (m == 0) {
        rad_error_set("waterfall: every score is missing (%zu dropped)", dropped);
        goto done;
    }
    int med = !isfinite(centre);
    if (med) {
        qsort(tmp, m, sizeof *tmp, cmp_double);
        centre = quantile_sorted(tmp, m, 0.5);
    }
    for (size_t i = 0; i < m; i++)
        b[i].s -= centre;
    qsort(b, m, sizeof *b, cmp_bar);
    RadAxes *ax;
    char yl[96];
    snprintf(yl, sizeof yl, "%s \xe2\x88\x92 %s (%.3g)", score_name ? score_name : "Score", med ? "median" : "cut-off",
             centre);
    f = rad_chart_begin(o, 120, 75, "Patients (sorted by score)", yl, &ax);
    if (!f)
        goto done;
    double lo = fmin(0, b[m - 1].s), hi = fmax(0, b[0].s);
    if (!(hi > lo))
        hi = lo + 1;
    rad_axes_set_xlim(ax, 0, (double)m + 1);
    rad_axes_set_ylim(ax, lo - (hi - lo) * 0.04, hi + (hi - lo) * 0.04);
    const char *l0 = labels && labels[0] ? labels[0] : "No event";
    const char *l1 = labels && labels[1] ? labels[1] : "Event";
    RadStyle st[3];
    for (int k = 0; k < 3; k++) {
        st[k] = rad_style_default();
        st[k].line_width = 0;
        st[k].fill = k == 2 ? rad_grey(0.65) : rad_palette(k == 0 ? 0 : 1);
    }
    double gap = m > 150 ? 0 : 0.12;
    int rc = 0;
    size_t cnt[3] = {0, 0, 0};
    for (size_t i = 0; i < m && rc == 0; i++) {
        int k = b[i].out == 0 ? 0 : b[i].out == 1 ? 1 : 2;
        cnt[k]++;
        double x = (double)i + 1;
        rc |= rad_axes_rect(ax, x - 0.5 + gap, 0, x + 0.5 - gap, b[i].s, &st[k]);
    }
    RadStyle zl = rad_style_default();
    zl.line_width = 0.6;
    rc |= rad_axes_hline(ax, 0, &zl);
    if (cnt[0])
        rc |= rad_axes_add_legend(ax, l0, &st[0], RAD_LEGEND_KEY_PATCH);
    if (cnt[1])
        rc |= rad_axes_add_legend(ax, l1, &st[1], RAD_LEGEND_KEY_PATCH);
    if (cnt[2] && outcome)
        rc |= rad_axes_add_legend(ax, "Unknown", &st[2], RAD_LEGEND_KEY_PATCH);
    if (rc != 0) {
        rad_figure_free(f);
        f = NULL;
        goto done;
    }
    if (dropped)
        rad_figure_add_note(f, "%zu patient%s with a missing score dropped", dropped, dropped == 1 ? "" : "s");
    char desc[160];
    if (outcome)
        snprintf(desc, sizeof desc, "waterfall, n = %zu, %zu %s, %zu %s, centred at the %s %.3g", m, cnt[1], l1,
                 cnt[0], l0, med ? "median" : "cut-off", centre);
    else
        snprintf(desc, sizeof desc, "waterfall, n = %zu, centred at the %s %.3g", m, med ? "median" : "cut-off",
                 centre);
    rad_figure_set_description(f, desc);
done:
    free(b);
    free(tmp);
    return f;
}
