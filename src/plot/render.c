/* radlab: figure layout, drawing (cairo) and PNG output.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All layout is done in points (1/72 inch) with cairo scaled to the output
 * resolution, so a figure looks the same at every dpi.  An axes is laid out
 * inside its cell by measuring the text it will draw: the widest y tick
 * label and the y label set the left margin, the x tick labels, x label,
 * the rows of a table under the axis and a legend below set the bottom
 * margin, the axes title the top, and a colour bar or an outside legend the
 * right; half of the outermost tick labels is kept inside the cell too.  So
 * nothing is clipped, at any size the caller chooses.
 *
 * Legends (RAD_LEGEND_AUTO) go into the inside corner of the plot area that
 * covers the fewest data points (points sampled along lines, steps, bands,
 * segments and rectangles, reference lines where they cross, notes' text;
 * images count as covering their whole rectangle); when every corner covers
 * some, the legend moves outside: right of the plot area when it is narrow,
 * else in rows under the x axis.
 *
 * The PNG is written by libpng (io.h rad_png_write_pixels) as 8-bit RGB
 * with pHYs = the dpi and text chunks carrying the provenance; PDF and SVG
 * are drawn by the same code on cairo's vector surfaces (1 unit = 1 pt),
 * collected in memory and written atomically with the same provenance; a
 * list of figures becomes the pages of one PDF, each page its figure's size.
 */
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/version.h"
#include "util/error.h"
#include "util/file.h"
#include "io/io.h"
#include "plot/plotint.h"

#define FONT_FACE "DejaVu Sans"
#define PAD 3.0     /* pt between layout elements */
#define TICK_LEN 3.0
#define MAX_TICKS 64
#define MAX_PIXELS 20000

typedef struct Rect {
    double x0, y0, x1, y1;
} Rect;

typedef struct Ctx {
    cairo_t *cr;
    double scale; /* pixels per pt */
    RadLayoutBox *boxes;
    size_t nbox, cap;
    int oom;
    int axes_index;
    int cell, ncell; /* the page cell being drawn (-1: none), cells so far */
    Rect avoid[256];  /* the avoiding labels drawn in the current axes */
    size_t navoid;
} Ctx;


static void add_box_text(Ctx *c, const char *kind, int axes, Rect r, int text)
{
    if (c->nbox == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        RadLayoutBox *b = realloc(c->boxes, cap * sizeof *b);
        if (!b) {
            c->oom = 1;
            return;
        }
        c->boxes = b;
        c->cap = cap;
    }
    RadLayoutBox *b = &c->boxes[c->nbox++];
    snprintf(b->kind, sizeof b->kind, "%s", kind);
    b->axes = axes;
    b->text = text;
    b->cell = c->cell;
    b->x0 = r.x0 * c->scale;
    b->y0 = r.y0 * c->scale;
    b->x1 = r.x1 * c->scale;
    b->y1 = r.y1 * c->scale;
}

static void add_box(Ctx *c, const char *kind, int axes, Rect r)
{
    add_box_text(c, kind, axes, r, 0);
}

static Rect rect_union(Rect a, Rect b)
{
    if (a.x1 <= a.x0 && a.y1 <= a.y0)
        return b;
    Rect r = {fmin(a.x0, b.x0), fmin(a.y0, b.y0), fmax(a.x1, b.x1), fmax(a.y1, b.y1)};
    return r;
}

static const Rect EMPTY = {0, 0, 0, 0};

/* ---- text ------------------------------------------------------------------------ */

static void set_font(Ctx *c, double size, int bold)
{
    cairo_select_font_face(c->cr, FONT_FACE, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(c->cr, size);
}

/* Width and height (pt) of possibly multi-line text, unrotated. */
static void text_size(Ctx *c, const char *s, double size, int bold, double *w, double *h)
{
    cairo_font_extents_t fe;
    char line[1024];
    int lines = 0;
    set_font(c, size, bold);
    cairo_font_extents(c->cr, &fe);
    *w = 0;
    while (s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (len >= sizeof line)
            len = sizeof line - 1;
        memcpy(line, s, len);
        line[len] = 0;
        cairo_text_extents_t te;
        cairo_text_extents(c->cr, line, &te);
        if (te.x_advance > *w)
            *w = te.x_advance;
        lines++;
        s = nl ? nl + 1 : NULL;
    }
    *h = (fe.ascent + fe.descent) + (lines - 1) * fe.height;
}

/* Draw text anchored at (x, y) (pt); returns its box (pt). */
static Rect draw_text(Ctx *c, double x, double y, const char *s, double size, int bold, RadHAlign ha,
                      RadVAlign va, double rotate, RadColor col)
{
    double w, h;
    cairo_font_extents_t fe;
    text_size(c, s, size, bold, &w, &h);
    cairo_font_extents(c->cr, &fe);
    /* offsets of the box's top-left from the anchor, in the text frame */
    double dx = ha == RAD_HALIGN_LEFT ? 0 : ha == RAD_HALIGN_CENTER ? -w / 2 : -w;
    double dy = va == RAD_VALIGN_TOP      ? 0
                : va == RAD_VALIGN_MIDDLE ? -h / 2
                : va == RAD_VALIGN_BOTTOM ? -h
                                          : -fe.ascent;
    cairo_save(c->cr);
    cairo_translate(c->cr, x, y);
    cairo_rotate(c->cr, -rotate * M_PI / 180);
    cairo_set_source_rgba(c->cr, col.r, col.g, col.b, col.a);
    char line[1024];
    double ly = dy + fe.ascent;
    const char *p = s;
    while (p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len >= sizeof line)
            len = sizeof line - 1;
        memcpy(line, p, len);
        line[len] = 0;
        cairo_text_extents_t te;
        cairo_text_extents(c->cr, line, &te);
        double lx = ha == RAD_HALIGN_LEFT ? dx : ha == RAD_HALIGN_CENTER ? -te.x_advance / 2 : -te.x_advance;
        cairo_move_to(c->cr, lx, ly);
        cairo_show_text(c->cr, line);
        ly += fe.height;
        p = nl ? nl + 1 : NULL;
    }
    cairo_restore(c->cr);
    /* the box in page coordinates: rotate the four corners */
    double a = -rotate * M_PI / 180, ca = cos(a), sa = sin(a);
    double xs[4] = {dx, dx + w, dx, dx + w}, ys[4] = {dy, dy, dy + h, dy + h};
    Rect r = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (int i = 0; i < 4; i++) {
        double px = x + xs[i] * ca - ys[i] * sa, py = y + xs[i] * sa + ys[i] * ca;
        r.x0 = fmin(r.x0, px);
        r.x1 = fmax(r.x1, px);
        r.y0 = fmin(r.y0, py);
        r.y1 = fmax(r.y1, py);
    }
    return r;
}

/* Draw text as draw_text does and record its box as one piece of text of
 * the layout (an empty string records nothing). */
static Rect put_text(Ctx *c, const char *kind, double x, double y, const char *s, double size, int bold,
                     RadHAlign ha, RadVAlign va, double rotate, RadColor col)
{
    Rect r = draw_text(c, x, y, s, size, bold, ha, va, rotate, col);
    if (s && *s)
        add_box_text(c, kind, c->axes_index, r, 1);
    return r;
}

static double line_height(Ctx *c, double size)
{
    double w, h;
    text_size(c, "Mg", size, 0, &w, &h);
    return h;
}

/* ---- scales and ticks ---------------------------------------------------------------- */

typedef struct Map {
    double lo, hi;
    int log;
    double p0, p1; /* pt at lo and at hi */
} Map;

static double fwd(const Map *m, double v)
{
    double t;
    if (m->log)
        t = (log10(v) - log10(m->lo)) / (log10(m->hi) - log10(m->lo));
    else
        t = (v - m->lo) / (m->hi - m->lo);
    return m->p0 + t * (m->p1 - m->p0);
}

static int usable(const RadAxes *ax, int axis, double v)
{
    return isfinite(v) && (ax->scale[axis] != RAD_SCALE_LOG || v > 0);
}

static void widen(const RadAxes *ax, int axis, const double *v, size_t n, double *lo, double *hi)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        if (usable(ax, axis, v[i])) {
            *lo = fmin(*lo, v[i]);
            *hi = fmax(*hi, v[i]);
        }
}

/* The limits of one axis (0 = x, 1 = y). */
static void axis_limits(const RadAxes *ax, int axis, double *plo, double *phi)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < ax->nitems; i++) {
        const PlotItem *it = &ax->items[i];
        if (it->style.noclip || it->kind == PLOT_NOTE)
            continue;
        if (it->kind == PLOT_VLINE && axis == 1)
            continue;
        if (it->kind == PLOT_HLINE && axis == 0)
            continue;
        widen(ax, axis, axis == 0 ? it->x : it->y, it->n, &lo, &hi);
        widen(ax, axis, axis == 0 ? it->x2 : it->y2, it->n, &lo, &hi);
    }
    widen(ax, axis, ax->ticks[axis].at, ax->ticks[axis].n, &lo, &hi);
    int log = ax->scale[axis] == RAD_SCALE_LOG;
    if (!(lo <= hi)) {
        lo = log ? 1 : 0;
        hi = log ? 10 : 1;
    }
    if (lo == hi) {
        if (log) {
            lo /= 2;
            hi *= 2;
        } else {
            double d = lo == 0 ? 1 : fabs(lo) * 0.1;
            lo -= d;
            hi += d;
        }
    } else if (!ax->tight) {
        if (log) {
            double f = pow(hi / lo, 0.04);
            lo /= f;
            hi *= f;
        } else {
            double d = (hi - lo) * 0.04;
            lo -= d;
            hi += d;
        }
    }
    double flo = ax->lim[2 * axis], fhi = ax->lim[2 * axis + 1];
    if (usable(ax, axis, flo))
        lo = flo;
    if (usable(ax, axis, fhi))
        hi = fhi;
    if (!(lo < hi)) { /* a fixed side crossed the data: keep a unit range */
        if (usable(ax, axis, flo))
            hi = log ? lo * 10 : lo + 1;
        else
            lo = log ? hi / 10 : hi - 1;
    }
    *plo = lo;
    *phi = hi;
}

typedef struct Ticks {
    double at[MAX_TICKS];
    char label[MAX_TICKS][128];
    size_t n;
} Ticks;

/* Break a label at the space nearest its middle (long row names). */
static void break_middle(char *buf)
{
    size_t len = strlen(buf), best = 0;
    if (strchr(buf, '\n'))
        return;
    for (size_t i = 1; i + 1 < len; i++)
        if (buf[i] == ' ' && (best == 0 || labs((long)(2 * i) - (long)len) < labs((long)(2 * best) - (long)len)))
            best = i;
    if (best)
        buf[best] = '\n';
}

/* Drop tick labels (and their ticks) that would touch a neighbour: keep
 * every k-th for the smallest k that leaves `gap` pt between labels,
 * counted from the tick at `pin` (1 on a log axis, 0 on a linear one) when
 * there is one, so the reference value keeps its label.  pos: the ticks'
 * positions along the axis (pt); ext: each label's extent along it. */
static void thin_ticks(Ticks *t, const double *pos, const double *ext, double gap, double pin)
{
    if (t->n < 2)
        return;
    double dir = pos[t->n - 1] >= pos[0] ? 1 : -1;
    size_t first = 0;
    for (size_t i = 0; i < t->n; i++)
        if (fabs(t->at[i] - pin) < 1e-12 * fmax(1, fabs(pin)))
            first = i;
    for (size_t k = 1; k <= t->n; k++) {
        size_t r = first % k;
        int ok = 1;
        double last_end = -INFINITY;
        size_t prev = t->n;
        for (size_t i = r; i < t->n && ok; i += k) {
            double a = dir * pos[i] - ext[i] / 2;
            if (prev < t->n && a < last_end + gap)
                ok = 0;
            last_end = dir * pos[i] + ext[i] / 2;
            prev = i;
        }
        if (!ok)
            continue;
        if (k == 1)
            return;
        size_t m = 0;
        for (size_t i = r; i < t->n; i += k) {
            t->at[m] = t->at[i];
            memmove(t->label[m], t->label[i], sizeof t->label[0]);
            m++;
        }
        t->n = m;
        return;
    }
}

/* Ticks in ascending order (insertion sort: a handful of them). */
static void sort_ticks(Ticks *t)
{
    for (size_t i = 1; i < t->n; i++)
        for (size_t j = i; j > 0 && t->at[j - 1] > t->at[j]; j--) {
            double a = t->at[j];
            char tmp[sizeof t->label[0]];
            t->at[j] = t->at[j - 1];
            t->at[j - 1] = a;
            memcpy(tmp, t->label[j], sizeof tmp);
            memcpy(t->label[j], t->label[j - 1], sizeof tmp);
            memcpy(t->label[j - 1], tmp, sizeof tmp);
        }
}

static void make_ticks(const RadAxes *ax, int axis, double lo, double hi, double len_pt, Ticks *t)
{
    const PlotTicks *ct = &ax->ticks[axis];
    double tol = (hi - lo) * 1e-9;
    t->n = 0;
    if (ct->n > 0) {
        double step = 0;
        for (size_t i = 1; i < ct->n; i++)
            if (step == 0 || fabs(ct->at[i] - ct->at[i - 1]) < step)
                step = fabs(ct->at[i] - ct->at[i - 1]);
        for (size_t i = 0; i < ct->n && t->n < MAX_TICKS; i++) {
            double v = ct->at[i];
            if (!(v >= lo - tol && v <= hi + tol))
                continue;
            t->at[t->n] = v;
            if (ct->labels[i])
                snprintf(t->label[t->n], sizeof t->label[0], "%s", ct->labels[i]);
            else
                rad_format_tick(v, step, t->label[t->n], sizeof t->label[0]);
            t->n++;
        }
        return;
    }
    int target = (int)(len_pt / (axis == 0 ? 55.0 : 35.0));
    target = target < 3 ? 3 : target > 8 ? 8 : target;
    if (ax->scale[axis] == RAD_SCALE_LOG) {
        int k0 = (int)ceil(log10(lo) - 1e-9), k1 = (int)floor(log10(hi) + 1e-9);
        int nd = k1 - k0 + 1;
        if (nd >= 2) {
            int every = nd > 8 ? (nd + 7) / 8 : 1;
            for (int k = k0; k <= k1 && t->n < MAX_TICKS; k += every) {
                t->at[t->n] = pow(10, k);
                snprintf(t->label[t->n], sizeof t->label[0], "%g", t->at[t->n]);
                t->n++;
            }
            if (nd <= 2) /* add 2 and 5 between decades */
                for (int k = k0 - 1; k <= k1; k++)
                    for (int m = 2; m <= 5; m += 3) {
                        double v = m * pow(10, k);
                        if (v >= lo && v <= hi && t->n < MAX_TICKS) {
                            t->at[t->n] = v;
                            snprintf(t->label[t->n], sizeof t->label[0], "%g", v);
                            t->n++;
                        }
                    }
            sort_ticks(t); /* the 2s and 5s came after the decades; thinning needs axis order */
            return;
        }
        /* less than two decades: linear ticks on the log axis */
    }
    double v[MAX_TICKS];
    size_t n = rad_nice_ticks(lo, hi, target, v, MAX_TICKS);
    double step = n > 1 ? v[1] - v[0] : 0;
    for (size_t i = 0; i < n; i++) {
        if (ax->scale[axis] == RAD_SCALE_LOG && !(v[i] > 0))
            continue;
        t->at[t->n] = v[i];
        rad_format_tick(v[i], step, t->label[t->n], sizeof t->label[0]);
        t->n++;
    }
}

/* ---- drawing primitives ------------------------------------------------------------------ */

/* A colour dark enough for text on white (relative luminance at most
 * 0.4): coloured row labels of a yellow or sky-blue series stay readable. */
static RadColor text_color(RadColor col)
{
    double lum = 0.2126 * col.r + 0.7152 * col.g + 0.0722 * col.b;
    if (lum > 0.4) {
        col.r *= 0.4 / lum;
        col.g *= 0.4 / lum;
        col.b *= 0.4 / lum;
    }
    return col;
}

static void set_color(Ctx *c, RadColor col)
{
    cairo_set_source_rgba(c->cr, col.r, col.g, col.b, col.a);
}

static void set_line(Ctx *c, const RadStyle *st)
{
    double w = st->line_width, u = fmax(w, 0.6);
    cairo_set_line_width(c->cr, w);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
    double d[4];
    switch (st->dash) {
    case RAD_DASH_DASHED:
        d[0] = 4 * u;
        d[1] = 2.5 * u;
        cairo_set_dash(c->cr, d, 2, 0);
        cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_BUTT);
        break;
    case RAD_DASH_DOTTED:
        d[0] = 0;
        d[1] = 2 * u;
        cairo_set_dash(c->cr, d, 2, 0);
        cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_ROUND);
        break;
    case RAD_DASH_DOTDASH:
        d[0] = 4 * u;
        d[1] = 2 * u;
        d[2] = 0;
        d[3] = 2 * u;
        cairo_set_dash(c->cr, d, 4, 0);
        cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_ROUND);
        break;
    default:
        cairo_set_dash(c->cr, NULL, 0, 0);
        cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_BUTT);
    }
    set_color(c, st->color);
}

static void draw_marker(Ctx *c, double x, double y, const RadStyle *st)
{
    cairo_t *cr = c->cr;
    double r = st->marker_size / 2;
    int fillable = 1;
    cairo_new_path(cr);
    switch (st->marker) {
    case RAD_MARKER_CIRCLE:
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        break;
    case RAD_MARKER_SQUARE:
        cairo_rectangle(cr, x - r * 0.88, y - r * 0.88, 1.76 * r, 1.76 * r);
        break;
    case RAD_MARKER_TRIANGLE:
        cairo_move_to(cr, x, y - r * 1.1);
        cairo_line_to(cr, x + r, y + r * 0.75);
        cairo_line_to(cr, x - r, y + r * 0.75);
        cairo_close_path(cr);
        break;
    case RAD_MARKER_DIAMOND:
        cairo_move_to(cr, x, y - r * 1.15);
        cairo_line_to(cr, x + r * 0.85, y);
        cairo_line_to(cr, x, y + r * 1.15);
        cairo_line_to(cr, x - r * 0.85, y);
        cairo_close_path(cr);
        break;
    case RAD_MARKER_PLUS:
        cairo_move_to(cr, x - r, y);
        cairo_line_to(cr, x + r, y);
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x, y + r);
        fillable = 0;
        break;
    case RAD_MARKER_CROSS:
        cairo_move_to(cr, x - r * 0.75, y - r * 0.75);
        cairo_line_to(cr, x + r * 0.75, y + r * 0.75);
        cairo_move_to(cr, x - r * 0.75, y + r * 0.75);
        cairo_line_to(cr, x + r * 0.75, y - r * 0.75);
        fillable = 0;
        break;
    case RAD_MARKER_VTICK:
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x, y + r);
        fillable = 0;
        break;
    case RAD_MARKER_HTICK:
        cairo_move_to(cr, x - r, y);
        cairo_line_to(cr, x + r, y);
        fillable = 0;
        break;
    default:
        return;
    }
    if (fillable && st->fill.a > 0) {
        set_color(c, st->fill);
        cairo_fill_preserve(cr);
    }
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_width(cr, fmax(st->line_width, 0.75));
    set_color(c, st->color);
    cairo_stroke(cr);
}

/* Mapped points of an item; NaN where a value is unusable. */
typedef struct Frame {
    Map mx, my;
    Rect plot;
} Frame;

static int map_pt(const RadAxes *ax, const Frame *f, double x, double y, double *px, double *py)
{
    if (!usable(ax, 0, x) || !usable(ax, 1, y))
        return 0;
    *px = fwd(&f->mx, x);
    *py = fwd(&f->my, y);
    return 1;
}

static void path_polyline(Ctx *c, const RadAxes *ax, const Frame *f, const PlotItem *it, int step)
{
    int pen = 0;
    double lastx = 0, lasty = 0;
    cairo_new_path(c->cr);
    for (size_t i = 0; i < it->n; i++) {
        double px, py;
        if (!map_pt(ax, f, it->x[i], it->y[i], &px, &py)) {
            pen = 0;
            continue;
        }
        if (!pen)
            cairo_move_to(c->cr, px, py);
        else if (step) {
            cairo_line_to(c->cr, px, lasty);
            cairo_line_to(c->cr, px, py);
        } else
            cairo_line_to(c->cr, px, py);
        pen = 1;
        lastx = px;
        lasty = py;
    }
    (void)lastx;
}

static void draw_band(Ctx *c, const RadAxes *ax, const Frame *f, const PlotItem *it, int step)
{
    size_t i = 0;
    while (i < it->n) {
        /* one run of usable points */
        size_t a = i;
        double px, py;
        while (a < it->n && !(map_pt(ax, f, it->x[a], it->y[a], &px, &py) &&
                              map_pt(ax, f, it->x[a], it->y2[a], &px, &py)))
            a++;
        size_t b = a;
        while (b < it->n && map_pt(ax, f, it->x[b], it->y[b], &px, &py) &&
               map_pt(ax, f, it->x[b], it->y2[b], &px, &py))
            b++;
        if (b > a) {
            cairo_new_path(c->cr);
            for (size_t k = a; k < b; k++) {
                double x = fwd(&f->mx, it->x[k]), y = fwd(&f->my, it->y2[k]);
                if (k == a)
                    cairo_move_to(c->cr, x, y);
                else {
                    if (step)
                        cairo_line_to(c->cr, x, fwd(&f->my, it->y2[k - 1]));
                    cairo_line_to(c->cr, x, y);
                }
            }
            for (size_t k = b; k-- > a;) {
                double x = fwd(&f->mx, it->x[k]), y = fwd(&f->my, it->y[k]);
                if (step && k + 1 < b)
                    cairo_line_to(c->cr, fwd(&f->mx, it->x[k + 1]), y);
                cairo_line_to(c->cr, x, y);
            }
            cairo_close_path(c->cr);
            RadColor fill = it->style.fill.a > 0 ? it->style.fill : rad_rgba(it->style.color.r, it->style.color.g,
                                                                             it->style.color.b, 0.2);
            set_color(c, fill);
            cairo_fill(c->cr);
        }
        i = b > a ? b : a + 1;
    }
}

static void draw_image(Ctx *c, const RadAxes *ax, const Frame *f, const PlotItem *it)
{
    double xa, ya, xb, yb;
    if (!map_pt(ax, f, it->x[0], it->y[0], &xa, &ya) || !map_pt(ax, f, it->x2[0], it->y2[0], &xb, &yb))
        return;
    int w = (int)it->w, h = (int)it->h;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        c->oom = 1;
        return;
    }
    cairo_surface_flush(s);
    unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int j = 0; j < h; j++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)j * (size_t)stride);
        for (int i = 0; i < w; i++) {
            const uint8_t *p = it->rgba + ((size_t)j * it->w + (size_t)i) * 4;
            unsigned a = p[3];
            unsigned r = (p[0] * a + 127) / 255, g = (p[1] * a + 127) / 255, b = (p[2] * a + 127) / 255;
            row[i] = (uint32_t)a << 24 | (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
        }
    }
    cairo_surface_mark_dirty(s);
    double x0 = fmin(xa, xb), y0 = fmin(ya, yb), rw = fabs(xb - xa), rh = fabs(yb - ya);
    if (rw > 0 && rh > 0) {
        cairo_save(c->cr);
        cairo_translate(c->cr, x0, y0);
        cairo_scale(c->cr, rw / w, rh / h);
        cairo_set_source_surface(c->cr, s, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(c->cr), CAIRO_FILTER_NEAREST);
        cairo_pattern_set_extend(cairo_get_source(c->cr), CAIRO_EXTEND_PAD);
        cairo_rectangle(c->cr, 0, 0, w, h);
        cairo_fill(c->cr);
        cairo_restore(c->cr);
    }
    cairo_surface_destroy(s);
}

/* A text item; a style with a fill draws a box behind the text first
 * (labels on images: slice numbers, scale bars). */
static Rect draw_text_item(Ctx *c, double x, double y, const char *text, const RadStyle *st)
{
    if (st->fill.a > 0) {
        /* measure by drawing invisibly, then box, then draw */
        RadColor none = rad_rgba(0, 0, 0, 0);
        Rect r = draw_text(c, x, y, text, st->font_size, st->bold, st->halign, st->valign, st->rotate, none);
        double m = st->font_size * 0.25;
        cairo_rectangle(c->cr, r.x0 - m, r.y0 - m, r.x1 - r.x0 + 2 * m, r.y1 - r.y0 + 2 * m);
        set_color(c, st->fill);
        cairo_fill(c->cr);
    }
    return draw_text(c, x, y, text, st->font_size, st->bold, st->halign, st->valign, st->rotate, st->color);
}

/* Fill (when the style has a fill) and outline (when it has a line
 * width) the current path, then clear it. */
static void fill_stroke(Ctx *c, const RadStyle *st)
{
    if (st->fill.a > 0) {
        set_color(c, st->fill);
        cairo_fill_preserve(c->cr);
    }
    if (st->line_width > 0) {
        set_line(c, st);
        cairo_stroke(c->cr);
    }
    cairo_new_path(c->cr);
}

static void draw_item(Ctx *c, const RadAxes *ax, const Frame *f, const PlotItem *it)
{
    const RadStyle *st = &it->style;
    cairo_t *cr = c->cr;
    double px, py, qx, qy;
    switch (it->kind) {
    case PLOT_LINE:
    case PLOT_STEP:
        if (st->line_width > 0) {
            path_polyline(c, ax, f, it, it->kind == PLOT_STEP);
            set_line(c, st);
            cairo_stroke(cr);
        }
        if (st->marker != RAD_MARKER_NONE)
            for (size_t i = 0; i < it->n; i++)
                if (map_pt(ax, f, it->x[i], it->y[i], &px, &py))
                    draw_marker(c, px, py, st);
        break;
    case PLOT_POINTS: {
        RadStyle m = *st;
        if (m.marker == RAD_MARKER_NONE)
            m.marker = RAD_MARKER_CIRCLE;
        for (size_t i = 0; i < it->n; i++)
            if (map_pt(ax, f, it->x[i], it->y[i], &px, &py))
                draw_marker(c, px, py, &m);
        break;
    }
    case PLOT_BAND:
    case PLOT_BAND_STEP:
        draw_band(c, ax, f, it, it->kind == PLOT_BAND_STEP);
        break;
    case PLOT_POLYGON: {
        int pen = 0;
        cairo_new_path(cr);
        for (size_t i = 0; i < it->n; i++)
            if (map_pt(ax, f, it->x[i], it->y[i], &px, &py)) {
                if (pen)
                    cairo_line_to(cr, px, py);
                else
                    cairo_move_to(cr, px, py);
                pen = 1;
            }
        cairo_close_path(cr);
        fill_stroke(c, st);
        break;
    }
    case PLOT_RECT:
        if (!map_pt(ax, f, it->x[0], it->y[0], &px, &py) || !map_pt(ax, f, it->x2[0], it->y2[0], &qx, &qy))
            break;
        cairo_new_path(cr);
        cairo_rectangle(cr, fmin(px, qx), fmin(py, qy), fabs(qx - px), fabs(qy - py));
        fill_stroke(c, st);
        break;
    case PLOT_SEGMENTS:
        cairo_new_path(cr);
        for (size_t i = 0; i < it->n; i++)
            if (map_pt(ax, f, it->x[i], it->y[i], &px, &py) && map_pt(ax, f, it->x2[i], it->y2[i], &qx, &qy)) {
                cairo_move_to(cr, px, py);
                cairo_line_to(cr, qx, qy);
            }
        set_line(c, st);
        cairo_stroke(cr);
        break;
    case PLOT_VLINE:
        if (usable(ax, 0, it->x[0])) {
            px = fwd(&f->mx, it->x[0]);
            cairo_move_to(cr, px, f->plot.y0);
            cairo_line_to(cr, px, f->plot.y1);
            set_line(c, st);
            cairo_stroke(cr);
        }
        break;
    case PLOT_HLINE:
        if (usable(ax, 1, it->y[0])) {
            py = fwd(&f->my, it->y[0]);
            cairo_move_to(cr, f->plot.x0, py);
            cairo_line_to(cr, f->plot.x1, py);
            set_line(c, st);
            cairo_stroke(cr);
        }
        break;
    case PLOT_TEXT:
        if (st->avoid && map_pt(ax, f, it->x[0], it->y[0], &px, &py)) {
            /* measure, move inside the plot's width, skip if it would
             * touch a label already drawn */
            RadColor none = rad_rgba(0, 0, 0, 0);
            Rect r = draw_text(c, px, py, it->text, st->font_size, st->bold, st->halign, st->valign, 0, none);
            if (r.x0 < f->plot.x0)
                px += f->plot.x0 - r.x0;
            else if (r.x1 > f->plot.x1)
                px -= r.x1 - f->plot.x1;
            double dx = px - fwd(&f->mx, it->x[0]);
            Rect q = {r.x0 + dx - 1, r.y0, r.x1 + dx + 1, r.y1};
            int clear = 1;
            for (size_t k = 0; k < c->navoid && clear; k++)
                if (q.x0 < c->avoid[k].x1 && c->avoid[k].x0 < q.x1 && q.y0 < c->avoid[k].y1 && c->avoid[k].y0 < q.y1)
                    clear = 0;
            if (!clear)
                break;
            if (c->navoid < sizeof c->avoid / sizeof c->avoid[0])
                c->avoid[c->navoid++] = q;
            r = draw_text(c, px, py, it->text, st->font_size, st->bold, st->halign, st->valign, 0, st->color);
            if (it->text[0])
                add_box_text(c, "text", c->axes_index, r, 1);
        } else if (map_pt(ax, f, it->x[0], it->y[0], &px, &py)) {
            Rect r = draw_text_item(c, px, py, it->text, st);
            if (it->text[0])
                add_box_text(c, "text", c->axes_index, r, 1);
        }
        break;
    case PLOT_NOTE: {
        px = f->plot.x0 + it->x[0] * (f->plot.x1 - f->plot.x0);
        py = f->plot.y0 + it->y[0] * (f->plot.y1 - f->plot.y0);
        Rect r = draw_text_item(c, px, py, it->text, st);
        add_box_text(c, "note", c->axes_index, r, 1);
        break;
    }
    case PLOT_IMAGE:
        draw_image(c, ax, f, it);
        break;
    }
}

/* ---- legends ------------------------------------------------------------------------------ */

typedef struct LegendDims {
    double w, h, row, key, label_w[256];
    size_t n;
} LegendDims;

static void legend_dims(Ctx *c, const RadAxes *ax, LegendDims *d)
{
    double fs = ax->font_ticks;
    d->n = ax->nlegend < 256 ? ax->nlegend : 256;
    d->row = line_height(c, fs) * 1.25;
    d->key = 16;
    double maxw = 0;
    for (size_t i = 0; i < d->n; i++) {
        double w, h;
        text_size(c, ax->legend[i].label, fs, 0, &w, &h);
        d->label_w[i] = w;
        maxw = fmax(maxw, w);
    }
    d->w = 4 + d->key + 4 + maxw + 5;
    d->h = 3 + (double)d->n * d->row + 3;
}

static void draw_legend_key(Ctx *c, const PlotLegend *l, double x, double y, double key)
{
    const RadStyle *st = &l->style;
    switch (l->key) {
    case RAD_LEGEND_KEY_PATCH: {
        RadColor fill = st->fill.a > 0 ? st->fill : st->color;
        cairo_rectangle(c->cr, x + 2, y - 3.5, key - 4, 7);
        set_color(c, fill);
        cairo_fill_preserve(c->cr);
        if (st->line_width > 0) {
            set_line(c, st);
            cairo_set_dash(c->cr, NULL, 0, 0);
            cairo_stroke(c->cr);
        }
        cairo_new_path(c->cr);
        break;
    }
    case RAD_LEGEND_KEY_MARKER: {
        RadStyle m = *st;
        if (m.marker == RAD_MARKER_NONE)
            m.marker = RAD_MARKER_CIRCLE;
        draw_marker(c, x + key / 2, y, &m);
        break;
    }
    default:
        cairo_move_to(c->cr, x, y);
        cairo_line_to(c->cr, x + key, y);
        set_line(c, st);
        cairo_set_line_width(c->cr, fmax(st->line_width, 1));
        cairo_stroke(c->cr);
        if (st->marker != RAD_MARKER_NONE)
            draw_marker(c, x + key / 2, y, st);
    }
}

static Rect draw_legend(Ctx *c, const RadAxes *ax, const LegendDims *d, double x, double y)
{
    Rect r = {x, y, x + d->w, y + d->h};
    cairo_rectangle(c->cr, r.x0, r.y0, d->w, d->h);
    cairo_set_source_rgba(c->cr, 1, 1, 1, 0.9);
    cairo_fill_preserve(c->cr);
    cairo_set_source_rgb(c->cr, 0.75, 0.75, 0.75);
    cairo_set_line_width(c->cr, 0.5);
    cairo_set_dash(c->cr, NULL, 0, 0);
    cairo_stroke(c->cr);
    for (size_t i = 0; i < d->n; i++) {
        double cy = y + 3 + ((double)i + 0.5) * d->row;
        draw_legend_key(c, &ax->legend[i], x + 4, cy, d->key);
        put_text(c, "legendtext", x + 4 + d->key + 4, cy, ax->legend[i].label, ax->font_ticks, 0, RAD_HALIGN_LEFT,
                  RAD_VALIGN_MIDDLE, 0, rad_rgb(0, 0, 0));
    }
    return r;
}

/* How many sampled data points fall inside r. */
static long covered(Ctx *c, const RadAxes *ax, const Frame *f, Rect r)
{
    long n = 0;
#define IN(px, py) ((px) >= r.x0 - 2 && (px) <= r.x1 + 2 && (py) >= r.y0 - 2 && (py) <= r.y1 + 2)
    for (size_t i = 0; i < ax->nitems; i++) {
        const PlotItem *it = &ax->items[i];
        double px, py, qx, qy;
        switch (it->kind) {
        case PLOT_IMAGE:
            if (map_pt(ax, f, it->x[0], it->y[0], &px, &py) && map_pt(ax, f, it->x2[0], it->y2[0], &qx, &qy) &&
                fmax(px, qx) > r.x0 && fmin(px, qx) < r.x1 && fmax(py, qy) > r.y0 && fmin(py, qy) < r.y1)
                n += 1000;
            break;
        case PLOT_LINE:
        case PLOT_STEP:
        case PLOT_BAND:
        case PLOT_BAND_STEP:
        case PLOT_POLYGON:
        case PLOT_POINTS:
            for (int pass = 0; pass < 2; pass++) {
                const double *yy = pass == 0 ? it->y : it->y2;
                if (!yy)
                    continue;
                int have = 0;
                double lx = 0, ly = 0;
                for (size_t k = 0; k < it->n; k++) {
                    if (!map_pt(ax, f, it->x[k], yy[k], &px, &py)) {
                        have = 0;
                        continue;
                    }
                    if (IN(px, py))
                        n++;
                    if (have && it->kind != PLOT_POINTS) {
                        int step = it->kind == PLOT_STEP || it->kind == PLOT_BAND_STEP;
                        for (int s = 1; s < 8; s++) {
                            double t = s / 8.0;
                            double sx = lx + t * (px - lx), sy = step ? ly : ly + t * (py - ly);
                            if (IN(sx, sy))
                                n++;
                            if (step && IN(px, ly + t * (py - ly)))
                                n++;
                        }
                    }
                    have = 1;
                    lx = px;
                    ly = py;
                }
            }
            break;
        case PLOT_RECT:
            /* a grid over the whole rectangle (filled bars count inside) */
            if (map_pt(ax, f, it->x[0], it->y[0], &px, &py) && map_pt(ax, f, it->x2[0], it->y2[0], &qx, &qy))
                for (int a = 0; a <= 8; a++)
                    for (int b2 = 0; b2 <= 8; b2++)
                        if (IN(px + a / 8.0 * (qx - px), py + b2 / 8.0 * (qy - py)))
                            n++;
            break;
        case PLOT_SEGMENTS:
            for (size_t k = 0; k < it->n; k++)
                if (map_pt(ax, f, it->x[k], it->y[k], &px, &py) && map_pt(ax, f, it->x2[k], it->y2[k], &qx, &qy))
                    for (int s = 0; s <= 8; s++) {
                        double t = s / 8.0;
                        if (IN(px + t * (qx - px), py + t * (qy - py)))
                            n++;
                    }
            break;
        case PLOT_VLINE:
            /* reference lines across the plot count where they cross */
            if (usable(ax, 0, it->x[0])) {
                px = fwd(&f->mx, it->x[0]);
                if (px >= r.x0 - 2 && px <= r.x1 + 2)
                    n += 2;
            }
            break;
        case PLOT_HLINE:
            if (usable(ax, 1, it->y[0])) {
                py = fwd(&f->my, it->y[0]);
                if (py >= r.y0 - 2 && py <= r.y1 + 2)
                    n += 2;
            }
            break;
        case PLOT_TEXT:
            if (map_pt(ax, f, it->x[0], it->y[0], &px, &py) && IN(px, py))
                n += 5;
            break;
        case PLOT_NOTE: {
            /* the note's whole text box, as draw_text will place it */
            double tw, th;
            const RadStyle *st = &it->style;
            text_size(c, it->text, st->font_size, st->bold, &tw, &th);
            px = f->plot.x0 + it->x[0] * (f->plot.x1 - f->plot.x0);
            py = f->plot.y0 + it->y[0] * (f->plot.y1 - f->plot.y0);
            double bx0 = st->halign == RAD_HALIGN_LEFT ? px : st->halign == RAD_HALIGN_CENTER ? px - tw / 2 : px - tw;
            double by0 = st->valign == RAD_VALIGN_TOP      ? py
                         : st->valign == RAD_VALIGN_MIDDLE ? py - th / 2
                         : st->valign == RAD_VALIGN_BOTTOM ? py - th
                                                           : py - th * 0.8;
            if (bx0 < r.x1 && bx0 + tw > r.x0 && by0 < r.y1 && by0 + th > r.y0)
                n += 50;
            break;
        }
        default:
            break;
        }
    }
#undef IN
    return n;
}

/* ---- one axes ---------------------------------------------------------------------------- */

static void max_label(Ctx *c, const Ticks *t, double fs, double *w, double *h)
{
    *w = 0;
    *h = line_height(c, fs);
    for (size_t i = 0; i < t->n; i++) {
        double tw, th;
        text_size(c, t->label[i], fs, 0, &tw, &th);
        *w = fmax(*w, tw);
        *h = fmax(*h, th);
    }
}

static void render_axes(Ctx *c, const RadAxes *ax, Rect cell)
{
    cairo_t *cr = c->cr;
    c->navoid = 0;
    int ai = c->axes_index;
    double fl = ax->font_labels, ft = ax->font_ticks;
    double xlo, xhi, ylo, yhi;
    axis_limits(ax, 0, &xlo, &xhi);
    axis_limits(ax, 1, &ylo, &yhi);
    Ticks tx, ty;
    make_ticks(ax, 0, xlo, xhi, cell.x1 - cell.x0, &tx);
    make_ticks(ax, 1, ylo, yhi, cell.y1 - cell.y0, &ty);
    if (ax->frame == 2) /* row names only */
        tx.n = 0;

    double xtw = 0, xth = 0, ytw = 0, yth = 0, lab_h = line_height(c, fl);
    max_label(c, &tx, ft, &xtw, &xth);
    max_label(c, &ty, ft, &ytw, &yth);
    if (ytw > 0.3 * (cell.x1 - cell.x0)) {
        /* long row names (forest plots) go on two lines rather than take
         * the plot's width */
        for (size_t i = 0; i < ty.n; i++) {
            double w, h;
            text_size(c, ty.label[i], ft, 0, &w, &h);
            if (w > 0.3 * (cell.x1 - cell.x0))
                break_middle(ty.label[i]);
        }
        max_label(c, &ty, ft, &ytw, &yth);
    }
    double xrot = ax->xtick_rot;
    if (xrot == 0 && tx.n >= 2 && ax->ticks[0].n > 0 && ax->scale[0] == RAD_SCALE_LINEAR && xhi > xlo) {
        /* named x ticks (groups) that would touch side by side are turned
         * upright (90 degrees: unlike 45 their boxes stay apart, so a
         * layout check sees what a reader sees) */
        double avail = (cell.x1 - cell.x0) - (2 * PAD + 2 + ytw + TICK_LEN + 2 + (ax->ylabel ? 2 * lab_h + PAD : 0));
        int touch = 0;
        for (size_t i = 0; i + 1 < tx.n; i++) {
            double w0, w1, h;
            text_size(c, tx.label[i], ft, 0, &w0, &h);
            text_size(c, tx.label[i + 1], ft, 0, &w1, &h);
            double sp = avail * fabs(tx.at[i + 1] - tx.at[i]) / (xhi - xlo);
            if (w0 / 2 + w1 / 2 + 4 > sp)
                touch = 1;
        }
        if (touch)
            xrot = 90;
    }
    double first_half = 0, last_half = 0;
    double rot = xrot * M_PI / 180;
    if (tx.n > 0 && xrot > 0) {
        /* rotated labels end at their tick and hang down-left of it */
        xth = 0;
        for (size_t i = 0; i < tx.n; i++) {
            double w, h;
            text_size(c, tx.label[i], ft, 0, &w, &h);
            xth = fmax(xth, w * sin(rot) + h * cos(rot));
            if (i == 0)
                first_half = w * cos(rot) + h * sin(rot) / 2;
        }
        last_half = line_height(c, ft) / 2;
    } else if (tx.n > 0) {
        double w, h;
        text_size(c, tx.label[0], ft, 0, &w, &h);
        first_half = w / 2;
        text_size(c, tx.label[tx.n - 1], ft, 0, &w, &h);
        last_half = w / 2;
    }

    double top = PAD, left = PAD, bottom = PAD, right = PAD + 2;
    double title_h = 0, title_fs = ax->font_title;
    char atitle[256] = "";
    if (ax->title) {
        /* a title wider than the cell (a panel in a page cell) shrinks to
         * at most 80 %, then breaks at the space nearest its middle */
        double w, avail = cell.x1 - cell.x0 - 2 * PAD;
        snprintf(atitle, sizeof atitle, "%s", ax->title);
        text_size(c, atitle, title_fs, 1, &w, &title_h);
        if (w > avail && avail > 0) {
            title_fs = fmax(title_fs * avail / w, title_fs * 0.8);
            text_size(c, atitle, title_fs, 1, &w, &title_h);
            if (w > avail) {
                break_middle(atitle);
                text_size(c, atitle, title_fs, 1, &w, &title_h);
            }
        }
        top += title_h + PAD;
    }
    char ylab[256] = "";
    double ylab_h = lab_h, ylab_fs = fl;
    if (ax->ylabel)
        snprintf(ylab, sizeof ylab, "%s", ax->ylabel);
    if (ax->frame)
        top = fmax(top, PAD + yth / 2);
    if (ax->ylabel)
        left += ylab_h + PAD;
    if (ax->frame)
        left += ytw + TICK_LEN + 2;
    double tick_band = ax->frame == 1 ? TICK_LEN + 2 + xth : 0;
    bottom += tick_band;
    double xlabel_h = 0;
    if (ax->xlabel) {
        double w;
        text_size(c, ax->xlabel, fl, 0, &w, &xlabel_h);
        bottom += xlabel_h + PAD;
    }
    double tab_row = line_height(c, ft) * 1.3, tab_h = 0, tab_label_w = 0, tab_cell_half = 0;
    if (ax->tab_nrow > 0) {
        tab_h = ((double)ax->tab_nrow + (ax->tab_heading ? 1 : 0)) * tab_row + 2 * PAD;
        bottom += tab_h;
        for (size_t i = 0; i < ax->tab_nrow; i++) {
            double w, h;
            text_size(c, ax->tab_rows[i], ft, 0, &w, &h);
            tab_label_w = fmax(tab_label_w, w);
            /* cells centred at the left end of the axis reach left of it */
            for (size_t k = 0; k < ax->tab_ncol; k++)
                if (fabs(ax->tab_x[k] - xlo) <= (xhi - xlo) * 0.02) {
                    text_size(c, ax->tab_cells[i * ax->tab_ncol + k], ft, 0, &w, &h);
                    tab_cell_half = fmax(tab_cell_half, w / 2);
                }
        }
        left = fmax(left, tab_label_w + tab_cell_half + 8 + PAD);
    }
    /* a y label longer than the plot is high goes on two lines, and
     * shrinks (to 6 pt) when even that is too long */
    if (ax->ylabel) {
        double w, h, avail = 0.95 * (cell.y1 - cell.y0 - top - bottom);
        text_size(c, ylab, fl, 0, &w, &h);
        if (w > avail) {
            break_middle(ylab);
            text_size(c, ylab, fl, 0, &w, &ylab_h);
            left += ylab_h - lab_h;
        }
        if (w > avail && avail > 0) {
            ylab_fs = fmax(6, fl * avail / w);
            double h2;
            text_size(c, ylab, ylab_fs, 0, &w, &h2);
            left -= ylab_h - h2;
            ylab_h = h2;
        }
    }
    if (ax->frame) {
        left = fmax(left, first_half + PAD);
        right = fmax(right, last_half + PAD);
    }
    double cbar_w = 0;
    Ticks tc;
    tc.n = 0;
    if (ax->cbar) {
        double v[MAX_TICKS];
        size_t n = rad_nice_ticks(ax->cbar_lo, ax->cbar_hi, 5, v, MAX_TICKS);
        double step = n > 1 ? v[1] - v[0] : 0;
        for (size_t i = 0; i < n; i++) {
            tc.at[tc.n] = v[i];
            rad_format_tick(v[i], step, tc.label[tc.n], sizeof tc.label[0]);
            tc.n++;
        }
        double w, h;
        max_label(c, &tc, ft, &w, &h);
        cbar_w = 8 + 9 + TICK_LEN + 2 + w + (ax->cbar_label ? PAD + lab_h : 0);
        right += cbar_w;
        /* the end labels are centred on the bar's ends */
        top = fmax(top, PAD + h / 2);
        bottom = fmax(bottom, PAD + h / 2);
    }

    /* text columns right of the plot area */
    double side_w[16] = {0}, side_total = 0;
    size_t side_ncol = ax->side_ncol < 16 ? ax->side_ncol : 16;
    for (size_t k = 0; k < side_ncol; k++) {
        double w, h;
        if (ax->side_heads[k]) {
            text_size(c, ax->side_heads[k], ft, 1, &w, &h);
            side_w[k] = w;
        }
        for (size_t i = 0; i < ax->side_nrow; i++) {
            text_size(c, ax->side_cells[i * ax->side_ncol + k], ft, 0, &w, &h);
            side_w[k] = fmax(side_w[k], w);
        }
        side_total += side_w[k] + 10;
    }
    if (side_ncol) {
        right = fmax(right, PAD) + side_total;
        top = fmax(top, PAD + yth / 2);
    }

    LegendDims ld;
    legend_dims(c, ax, &ld);
    RadLegendPos lp = ax->nlegend ? ax->legend_pos : RAD_LEGEND_NONE;
    double below_h = 0;
    /* legend below: entries side by side, wrapped to the cell width */
    size_t below_per_row = 1;
    double below_item_w = 0;
    if (ld.n > 0) {
        for (size_t i = 0; i < ld.n; i++)
            below_item_w = fmax(below_item_w, ld.key + 4 + ld.label_w[i] + 10);
        below_per_row = (size_t)fmax(1, floor((cell.x1 - cell.x0 - 2 * PAD) / below_item_w));
        size_t rows = (ld.n + below_per_row - 1) / below_per_row;
        below_h = (double)rows * ld.row + PAD;
    }
    if (lp == RAD_LEGEND_BELOW)
        bottom += below_h;

    Frame f;
    for (int pass = 0; pass < 2; pass++) {
        double r = right + (lp == RAD_LEGEND_RIGHT ? ld.w + 6 : 0);
        f.plot.x0 = cell.x0 + left;
        f.plot.y0 = cell.y0 + top;
        f.plot.x1 = fmax(f.plot.x0 + 10, cell.x1 - r);
        f.plot.y1 = fmax(f.plot.y0 + 10, cell.y1 - bottom);
        if (ax->equal) {
            double dx = ax->scale[0] == RAD_SCALE_LOG ? log10(xhi / xlo) : xhi - xlo;
            double dy = ax->scale[1] == RAD_SCALE_LOG ? log10(yhi / ylo) : yhi - ylo;
            double w = f.plot.x1 - f.plot.x0, h = f.plot.y1 - f.plot.y0;
            if (w / h > dx / dy) {
                double nw = h * dx / dy;
                f.plot.x0 += (w - nw) / 2;
                f.plot.x1 = f.plot.x0 + nw;
            } else {
                double nh = w * dy / dx;
                f.plot.y0 += (h - nh) / 2;
                f.plot.y1 = f.plot.y0 + nh;
            }
        }
        f.mx.lo = xlo;
        f.mx.hi = xhi;
        f.mx.log = ax->scale[0] == RAD_SCALE_LOG;
        f.mx.p0 = f.plot.x0;
        f.mx.p1 = f.plot.x1;
        f.my.lo = ylo;
        f.my.hi = yhi;
        f.my.log = ax->scale[1] == RAD_SCALE_LOG;
        f.my.p0 = ax->yreverse ? f.plot.y0 : f.plot.y1;
        f.my.p1 = ax->yreverse ? f.plot.y1 : f.plot.y0;
        int inside = lp == RAD_LEGEND_TOPRIGHT || lp == RAD_LEGEND_TOPLEFT || lp == RAD_LEGEND_BOTTOMRIGHT ||
                     lp == RAD_LEGEND_BOTTOMLEFT;
        if (inside && pass == 0 &&
            (ld.w + 8 > f.plot.x1 - f.plot.x0 || ld.h + 8 > f.plot.y1 - f.plot.y0)) {
            /* a legend asked inside that does not fit the plot area (a
             * small page cell) goes under the axis instead */
            lp = RAD_LEGEND_BELOW;
            bottom += below_h;
            continue;
        }
        if (lp != RAD_LEGEND_AUTO || pass == 1)
            break;
        /* choose the emptiest inside corner */
        RadLegendPos order[4] = {RAD_LEGEND_TOPRIGHT, RAD_LEGEND_TOPLEFT, RAD_LEGEND_BOTTOMRIGHT,
                                 RAD_LEGEND_BOTTOMLEFT};
        long best = -1;
        RadLegendPos bestpos = RAD_LEGEND_TOPRIGHT;
        for (int k = 0; k < 4; k++) {
            Rect r2;
            int rightside = order[k] == RAD_LEGEND_TOPRIGHT || order[k] == RAD_LEGEND_BOTTOMRIGHT;
            int topside = order[k] == RAD_LEGEND_TOPRIGHT || order[k] == RAD_LEGEND_TOPLEFT;
            r2.x0 = rightside ? f.plot.x1 - 4 - ld.w : f.plot.x0 + 4;
            r2.y0 = topside ? f.plot.y0 + 4 : f.plot.y1 - 4 - ld.h;
            r2.x1 = r2.x0 + ld.w;
            r2.y1 = r2.y0 + ld.h;
            if (ld.w + 8 > f.plot.x1 - f.plot.x0 || ld.h + 8 > f.plot.y1 - f.plot.y0)
                continue;
            long n = covered(c, ax, &f, r2);
            if (best < 0 || n < best) {
                best = n;
                bestpos = order[k];
            }
        }
        /* no free corner: outside, on the right when the legend is narrow
         * (under a third of the cell), else in rows under the axis */
        if (best == 0)
            lp = bestpos;
        else if (ld.w < (cell.x1 - cell.x0) / 3)
            lp = RAD_LEGEND_RIGHT;
        else {
            lp = RAD_LEGEND_BELOW;
            bottom += below_h;
        }
        if (best == 0)
            break;
    }

    /* tick labels that would touch their neighbours are thinned out */
    if (ax->frame) {
        double pos[MAX_TICKS], ext[MAX_TICKS], lh = line_height(c, ft);
        for (size_t i = 0; i < tx.n; i++) {
            double w, h;
            text_size(c, tx.label[i], ft, 0, &w, &h);
            pos[i] = fwd(&f.mx, tx.at[i]);
            ext[i] = xrot > 0 ? h / sin(xrot * M_PI / 180) : w;
        }
        thin_ticks(&tx, pos, ext, xrot > 0 ? 1 : 4, f.mx.log ? 1 : 0);
        for (size_t i = 0; i < ty.n; i++) {
            double w, h;
            text_size(c, ty.label[i], ft, 0, &w, &h);
            pos[i] = fwd(&f.my, ty.at[i]);
            ext[i] = fmax(h, lh);
        }
        thin_ticks(&ty, pos, ext, 1, f.my.log ? 1 : 0);
    }

    /* grid, behind the data */
    if (ax->grid) {
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_set_line_width(cr, 0.5);
        cairo_set_dash(cr, NULL, 0, 0);
        for (size_t i = 0; i < tx.n; i++) {
            double px = fwd(&f.mx, tx.at[i]);
            cairo_move_to(cr, px, f.plot.y0);
            cairo_line_to(cr, px, f.plot.y1);
        }
        for (size_t i = 0; i < ty.n; i++) {
            double py = fwd(&f.my, ty.at[i]);
            cairo_move_to(cr, f.plot.x0, py);
            cairo_line_to(cr, f.plot.x1, py);
        }
        cairo_stroke(cr);
    }
    add_box(c, "plot", ai, f.plot);


    for (size_t i = 0; i < ax->nitems; i++) {
        const PlotItem *it = &ax->items[i];
        cairo_save(cr);
        if (!it->style.noclip) {
            cairo_rectangle(cr, f.plot.x0, f.plot.y0, f.plot.x1 - f.plot.x0, f.plot.y1 - f.plot.y0);
            cairo_clip(cr);
        }
        draw_item(c, ax, &f, it);
        cairo_restore(cr);
    }

    /* frame: left and bottom axis lines with outward ticks */
    RadColor black = rad_rgb(0, 0, 0);
    if (ax->frame) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 0.8);
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
        if (ax->frame == 1) {
            cairo_move_to(cr, f.plot.x0, f.plot.y0);
            cairo_line_to(cr, f.plot.x0, f.plot.y1);
            cairo_line_to(cr, f.plot.x1, f.plot.y1);
            cairo_stroke(cr);
        }
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        Rect bx = EMPTY, by = EMPTY;
        for (size_t i = 0; i < tx.n; i++) {
            double px = fwd(&f.mx, tx.at[i]);
            cairo_move_to(cr, px, f.plot.y1);
            cairo_line_to(cr, px, f.plot.y1 + TICK_LEN);
            cairo_stroke(cr);
            if (xrot > 0)
                bx = rect_union(bx, put_text(c, "xtick", px, f.plot.y1 + TICK_LEN + 2, tx.label[i], ft, 0, RAD_HALIGN_RIGHT,
                                              xrot >= 60 ? RAD_VALIGN_MIDDLE : RAD_VALIGN_TOP,
                                              xrot, black));
            else
                bx = rect_union(bx, put_text(c, "xtick", px, f.plot.y1 + TICK_LEN + 2, tx.label[i], ft, 0, RAD_HALIGN_CENTER,
                                              RAD_VALIGN_TOP, 0, black));
        }
        for (size_t i = 0; i < ty.n; i++) {
            double py = fwd(&f.my, ty.at[i]);
            cairo_set_source_rgb(cr, 0, 0, 0);
            if (ax->frame == 1) {
                cairo_move_to(cr, f.plot.x0, py);
                cairo_line_to(cr, f.plot.x0 - TICK_LEN, py);
                cairo_stroke(cr);
            }
            by = rect_union(by, put_text(c, "ytick", f.plot.x0 - TICK_LEN - 2, py, ty.label[i], ft, 0, RAD_HALIGN_RIGHT,
                                          RAD_VALIGN_MIDDLE, 0, black));
        }
        if (tx.n)
            add_box(c, "xticks", ai, bx);
        if (ty.n)
            add_box(c, "yticks", ai, by);
    }
    double ybase = f.plot.y1 + tick_band;
    if (ax->xlabel) {
        Rect r = draw_text(c, (f.plot.x0 + f.plot.x1) / 2, ybase + PAD, ax->xlabel, fl, 0, RAD_HALIGN_CENTER,
                           RAD_VALIGN_TOP, 0, black);
        add_box_text(c, "xlabel", ai, r, 1);
        ybase += PAD + xlabel_h;
    }
    if (ax->ylabel) {
        double yx = ax->frame ? f.plot.x0 - TICK_LEN - 2 - ytw - PAD - ylab_h / 2 : f.plot.x0 - PAD - ylab_h / 2;
        Rect r = draw_text(c, fmax(cell.x0 + PAD + ylab_h / 2, yx), (f.plot.y0 + f.plot.y1) / 2, ylab, ylab_fs, 0,
                           RAD_HALIGN_CENTER, RAD_VALIGN_MIDDLE, 90, black);
        add_box_text(c, "ylabel", ai, r, 1);
    }
    if (ax->title) {
        /* centred on the plot area, but never past the cell */
        double tw, th, tx0 = (f.plot.x0 + f.plot.x1) / 2;
        text_size(c, atitle, title_fs, 1, &tw, &th);
        tx0 = fmin(fmax(tx0, cell.x0 + PAD + tw / 2), cell.x1 - PAD - tw / 2);
        Rect r = draw_text(c, tx0, cell.y0 + PAD, atitle, title_fs, 1,
                           RAD_HALIGN_CENTER, RAD_VALIGN_TOP, 0, black);
        add_box_text(c, "axtitle", ai, r, 1);
    }
    /* the table under the axis */
    if (ax->tab_nrow > 0) {
        Rect tb = EMPTY;
        double y = ybase + PAD + tab_row / 2;
        if (ax->tab_heading) {
            tb = rect_union(tb, put_text(c, "tablecell", cell.x0 + PAD, y, ax->tab_heading, ft, 1, RAD_HALIGN_LEFT,
                                          RAD_VALIGN_MIDDLE, 0, black));
            y += tab_row;
        }
        double tol = (xhi - xlo) * 1e-9;
        /* columns whose cells would touch their neighbours' (a narrow
         * figure) are thinned: every k-th kept, from the first */
        size_t colstep = 1;
        for (; colstep < ax->tab_ncol; colstep++) {
            int ok = 1;
            double last = -INFINITY;
            for (size_t k = 0; k < ax->tab_ncol && ok; k += colstep) {
                double v = ax->tab_x[k];
                if (!(v >= xlo - tol && v <= xhi + tol) || !usable(ax, 0, v))
                    continue;
                double half = 0, w, h;
                for (size_t r = 0; r < ax->tab_nrow; r++) {
                    text_size(c, ax->tab_cells[r * ax->tab_ncol + k], ft, 0, &w, &h);
                    half = fmax(half, w / 2);
                }
                double px = fwd(&f.mx, v);
                if (px - half < last + 4)
                    ok = 0;
                last = px + half;
            }
            if (ok)
                break;
        }
        for (size_t r = 0; r < ax->tab_nrow; r++) {
            tb = rect_union(tb, put_text(c, "tablecell", f.plot.x0 - 8 - tab_cell_half, y, ax->tab_rows[r], ft, 0, RAD_HALIGN_RIGHT,
                                          RAD_VALIGN_MIDDLE, 0, text_color(ax->tab_colors[r])));
            for (size_t k = 0; k < ax->tab_ncol; k += colstep) {
                double v = ax->tab_x[k];
                if (!(v >= xlo - tol && v <= xhi + tol) || !usable(ax, 0, v))
                    continue;
                tb = rect_union(tb, put_text(c, "tablecell", fwd(&f.mx, v), y, ax->tab_cells[r * ax->tab_ncol + k], ft, 0,
                                              RAD_HALIGN_CENTER, RAD_VALIGN_MIDDLE, 0, black));
            }
            y += tab_row;
        }
        add_box(c, "table", ai, tb);
        ybase += tab_h;
    }
    /* text columns */
    if (side_ncol) {
        Rect sb = EMPTY;
        double x = f.plot.x1 + 10;
        double tol = 1e-9 * fmax(1, fabs(yhi - ylo));
        for (size_t k = 0; k < side_ncol; k++) {
            if (ax->side_heads[k] && ax->side_head_y >= fmin(ylo, yhi) - tol && ax->side_head_y <= fmax(ylo, yhi) + tol)
                sb = rect_union(sb, put_text(c, "sidecell", x, fwd(&f.my, ax->side_head_y), ax->side_heads[k], ft, 1,
                                              RAD_HALIGN_LEFT, RAD_VALIGN_MIDDLE, 0, black));
            Rect last = EMPTY;
            for (size_t i = 0; i < ax->side_nrow; i++) {
                double v = ax->side_y[i];
                if (!(v >= fmin(ylo, yhi) - tol && v <= fmax(ylo, yhi) + tol))
                    continue;
                const char *cell_text = ax->side_cells[i * ax->side_ncol + k];
                /* measure first: a cell that would overlap the one drawn
                 * above it in this column is left out */
                Rect r = draw_text(c, x, fwd(&f.my, v), cell_text, ft, 0, RAD_HALIGN_LEFT, RAD_VALIGN_MIDDLE, 0,
                                   rad_rgba(0, 0, 0, 0));
                if (cell_text[0] && last.y1 > last.y0 && r.y0 < last.y1 - 0.25 && last.y0 < r.y1 - 0.25)
                    continue;
                RadColor col = ax->side_colors ? text_color(ax->side_colors[i]) : black;
                sb = rect_union(sb, put_text(c, "sidecell", x, fwd(&f.my, v), cell_text, ft, 0, RAD_HALIGN_LEFT,
                                              RAD_VALIGN_MIDDLE, 0, col));
                if (cell_text[0])
                    last = r;
            }
            x += side_w[k] + 10;
        }
        add_box(c, "sidetable", ai, sb);
    }
    /* colour bar */
    if (ax->cbar) {
        double bx0 = f.plot.x1 + 8, bw = 9, by0 = f.plot.y0, bh = f.plot.y1 - f.plot.y0;
        int steps = 128;
        for (int s = 0; s < steps; s++) {
            RadColor col = rad_colormap(ax->cbar_map, (s + 0.5) / steps);
            cairo_set_source_rgb(cr, col.r, col.g, col.b);
            double y0 = by0 + bh - (s + 1) * bh / steps;
            cairo_rectangle(cr, bx0, y0 - 0.05, bw, bh / steps + 0.1);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 0.5);
        cairo_rectangle(cr, bx0, by0, bw, bh);
        cairo_stroke(cr);
        Rect cb = {bx0, by0, bx0 + bw, by0 + bh};
        double maxw = 0;
        for (size_t i = 0; i < tc.n; i++) {
            double py = by0 + bh - (tc.at[i] - ax->cbar_lo) / (ax->cbar_hi - ax->cbar_lo) * bh;
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_move_to(cr, bx0 + bw, py);
            cairo_line_to(cr, bx0 + bw + TICK_LEN, py);
            cairo_stroke(cr);
            Rect r = put_text(c, "cbartick", bx0 + bw + TICK_LEN + 2, py, tc.label[i], ft, 0, RAD_HALIGN_LEFT,
                               RAD_VALIGN_MIDDLE, 0, black);
            maxw = fmax(maxw, r.x1 - r.x0);
            cb = rect_union(cb, r);
        }
        if (ax->cbar_label)
            cb = rect_union(cb, put_text(c, "cbarlabel", bx0 + bw + TICK_LEN + 2 + maxw + PAD + lab_h / 2, by0 + bh / 2,
                                          ax->cbar_label, fl, 0, RAD_HALIGN_CENTER, RAD_VALIGN_MIDDLE, -90, black));
        add_box(c, "colorbar", ai, cb);
    }
    /* legend */
    if (lp != RAD_LEGEND_NONE && ld.n > 0) {
        Rect r;
        if (lp == RAD_LEGEND_BELOW) {
            double y = ybase + PAD;
            r = EMPTY;
            for (size_t i = 0; i < ld.n; i++) {
                double x = cell.x0 + PAD + (double)(i % below_per_row) * below_item_w;
                double cy = y + ((double)(i / below_per_row) + 0.5) * ld.row;
                draw_legend_key(c, &ax->legend[i], x, cy, ld.key);
                Rect t = put_text(c, "legendtext", x + ld.key + 4, cy, ax->legend[i].label, ft, 0, RAD_HALIGN_LEFT,
                                   RAD_VALIGN_MIDDLE, 0, black);
                Rect k = {x, cy - ld.row / 2, x + ld.key, cy + ld.row / 2};
                r = rect_union(r, rect_union(k, t));
            }
        } else {
            double x, y;
            switch (lp) {
            case RAD_LEGEND_TOPLEFT:
                x = f.plot.x0 + 4;
                y = f.plot.y0 + 4;
                break;
            case RAD_LEGEND_BOTTOMLEFT:
                x = f.plot.x0 + 4;
                y = f.plot.y1 - 4 - ld.h;
                break;
            case RAD_LEGEND_BOTTOMRIGHT:
                x = f.plot.x1 - 4 - ld.w;
                y = f.plot.y1 - 4 - ld.h;
                break;
            case RAD_LEGEND_RIGHT:
                x = f.plot.x1 + 6 + (ax->cbar ? cbar_w : 0) + side_total;
                y = f.plot.y0;
                break;
            default:
                x = f.plot.x1 - 4 - ld.w;
                y = f.plot.y0 + 4;
            }
            r = draw_legend(c, ax, &ld, x, y);
        }
        add_box(c, "legend", ai, r);
    }
}

/* ---- figures ---------------------------------------------------------------------------------- */

#define MM_PT (72.0 / 25.4)

static void render_figure(Ctx *c, const RadFigure *fig, Rect area)
{
    cairo_t *cr = c->cr;
    RadColor black = rad_rgb(0, 0, 0);
    double top = area.y0 + PAD;
    if (fig->title) {
        /* a title wider than its area (a figure placed in a page cell)
         * shrinks to at most 70 %, then breaks at the space nearest its
         * middle */
        double size = fig->title_size, tw, th, avail = area.x1 - area.x0 - 2 * PAD;
        char buf[512];
        snprintf(buf, sizeof buf, "%s", fig->title);
        text_size(c, buf, size, 1, &tw, &th);
        if (tw > avail && avail > 0) {
            size = fmax(size * avail / tw, size * 0.7);
            text_size(c, buf, size, 1, &tw, &th);
            if (tw > avail && !strchr(buf, '\n')) {
                size_t len = strlen(buf), best = 0;
                for (size_t i = 1; i + 1 < len; i++)
                    if (buf[i] == ' ' && (best == 0 || labs((long)(2 * i) - (long)len) < labs((long)(2 * best) - (long)len)))
                        best = i;
                if (best)
                    buf[best] = '\n';
            }
        }
        Rect r = draw_text(c, (area.x0 + area.x1) / 2, top + 2, buf, size, 1, RAD_HALIGN_CENTER, RAD_VALIGN_TOP, 0,
                           black);
        add_box_text(c, "title", -1, r, 1);
        top = r.y1 + PAD;
    }
    if (fig->subtitle) {
        /* as the title: shrink to at most 70 %, then break in the middle */
        double size = 9, tw, th, avail = area.x1 - area.x0 - 2 * PAD;
        char buf[512];
        snprintf(buf, sizeof buf, "%s", fig->subtitle);
        text_size(c, buf, size, 0, &tw, &th);
        if (tw > avail && avail > 0) {
            size = fmax(size * avail / tw, size * 0.7);
            text_size(c, buf, size, 0, &tw, &th);
            if (tw > avail)
                break_middle(buf);
        }
        Rect r = draw_text(c, (area.x0 + area.x1) / 2, top, buf, size, 0, RAD_HALIGN_CENTER, RAD_VALIGN_TOP, 0,
                           rad_grey(0.3));
        add_box_text(c, "title", -1, r, 1);
        top = r.y1 + PAD;
    }
    if (!fig->title && !fig->subtitle)
        top = area.y0;
    Rect body = {area.x0, top, area.x1, area.y1};
    double bw = body.x1 - body.x0, bh = body.y1 - body.y0;
    for (size_t i = 0; i < fig->nchild; i++) {
        const PlotChild *ch = &fig->child[i];
        Rect cell = {body.x0 + ch->cell[0] * bw, body.y0 + ch->cell[1] * bh, body.x0 + ch->cell[2] * bw,
                     body.y0 + ch->cell[3] * bh};
        cairo_save(cr);
        cairo_rectangle(cr, cell.x0, cell.y0, cell.x1 - cell.x0, cell.y1 - cell.y0);
        cairo_clip(cr);
        /* the cell clips what is drawn in it: its box lets a test see
         * that nothing of the child was cut off */
        int outer = c->cell;
        c->cell = c->ncell++;
        add_box(c, "cell", -1, cell);
        render_figure(c, ch->fig, cell);
        c->cell = outer;
        cairo_restore(cr);
    }
    for (size_t i = 0; i < fig->naxes; i++) {
        const RadAxes *ax = fig->axes[i];
        Rect cell = {body.x0 + ax->cell[0] * bw, body.y0 + ax->cell[1] * bh, body.x0 + ax->cell[2] * bw,
                     body.y0 + ax->cell[3] * bh};
        render_axes(c, ax, cell);
        c->axes_index++;
    }
    /* text and rules on the page itself (text pages), in mm from the
     * area's top-left */
    for (size_t i = 0; i < fig->npage; i++) {
        const PlotItem *it = &fig->page[i];
        const RadStyle *st = &it->style;
        double x = area.x0 + it->x[0] * MM_PT, y = area.y0 + it->y[0] * MM_PT;
        if (it->kind == PLOT_TEXT) {
            Rect r = draw_text(c, x, y, it->text, st->font_size, st->bold, st->halign, st->valign, st->rotate,
                               st->color);
            add_box_text(c, "text", -1, r, 1);
        } else if (st->line_width > 0) {
            cairo_move_to(cr, x, y);
            cairo_line_to(cr, area.x0 + it->x2[0] * MM_PT, area.y0 + it->y2[0] * MM_PT);
            set_line(c, st);
            cairo_stroke(cr);
        }
    }
}

void rad_figure_pixels(const RadFigure *fig, double dpi, int *width, int *height)
{
    *width = (int)lround(fig->width / 25.4 * dpi);
    *height = (int)lround(fig->height / 25.4 * dpi);
}

/* The figure's size in pixels at dpi, checked. */
static int check_pixels(const RadFigure *fig, double dpi, int *w, int *h)
{
    if (!(dpi >= 30 && dpi <= 1200))
        return rad_error_set("dpi %g: use 30 to 1200 (300 for journals)", dpi);
    rad_figure_pixels(fig, dpi, w, h);
    if (*w < 1 || *h < 1 || *w > MAX_PIXELS || *h > MAX_PIXELS)
        return rad_error_set("a %.0f x %.0f mm figure at %g dpi is %d x %d pixels; the limit is %d on a side: "
                             "lower the dpi or the size", fig->width, fig->height, dpi, *w, *h, MAX_PIXELS);
    return 0;
}

/* Draw the figure with cr, whose user space is `scale` device units per
 * pt; `whole` is the page in pt (the pixel grid, rounded, for images).
 * Boxes recorded in c.  0 or -1 with a message. */
static int draw_figure(cairo_t *cr, const RadFigure *fig, double scale, Rect whole, Ctx *c)
{
    c->cr = cr;
    /* unhinted metrics: text measures the same at every dpi, so a figure
     * lays out identically at 150 and 600 dpi (and in PDF and SVG) */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    c->scale = scale;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, c->scale, c->scale);
    Rect area = {0, 0, fig->width * MM_PT, fig->height * MM_PT};
    c->cell = -1;
    add_box(c, "figure", -1, whole);
    render_figure(c, fig, area);
    cairo_status_t st = cairo_status(cr);
    c->cr = NULL;
    if (st != CAIRO_STATUS_SUCCESS || c->oom)
        return rad_error_set("drawing the figure failed (%s)",
                             st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : "out of memory");
    return 0;
}

/* Render to a new cairo image surface; boxes recorded in c. */
static cairo_surface_t *render(const RadFigure *fig, double dpi, Ctx *c)
{
    int w, h;
    if (check_pixels(fig, dpi, &w, &h) != 0)
        return NULL;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        rad_error_set("cannot create a %d x %d drawing surface (out of memory?)", w, h);
        return NULL;
    }
    cairo_t *cr = cairo_create(s);
    double scale = dpi / 72.0;
    Rect whole = {0, 0, w / scale, h / scale}; /* the pixel grid, rounded */
    int rc = draw_figure(cr, fig, scale, whole, c);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (rc != 0) {
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

int rad_figure_layout(const RadFigure *fig, double dpi, RadLayoutBox **boxes, size_t *n)
{
    Ctx c;
    memset(&c, 0, sizeof c);
    cairo_surface_t *s = render(fig, dpi, &c);
    if (!s) {
        free(c.boxes);
        return -1;
    }
    cairo_surface_destroy(s);
    *boxes = c.boxes;
    *n = c.nbox;
    return 0;
}

int rad_figure_render_rgb(const RadFigure *fig, double dpi, uint8_t **rgb, int *width, int *height)
{
    Ctx c;
    memset(&c, 0, sizeof c);
    cairo_surface_t *s = render(fig, dpi, &c);
    free(c.boxes);
    if (!s)
        return -1;
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    uint8_t *out = rad_malloc((size_t)w * (size_t)h * 3, "figure pixels");
    if (!out) {
        cairo_surface_destroy(s);
        return -1;
    }
    for (int j = 0; j < h; j++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)j * (size_t)stride);
        uint8_t *o = out + (size_t)j * (size_t)w * 3;
        for (int i = 0; i < w; i++) {
            o[3 * i] = (uint8_t)(row[i] >> 16);
            o[3 * i + 1] = (uint8_t)(row[i] >> 8);
            o[3 * i + 2] = (uint8_t)row[i];
        }
    }
    cairo_surface_destroy(s);
    *rgb = out;
    *width = w;
    *height = h;
    return 0;
}

/* The creation time to record (RFC 3339 UTC) into when[]; 0 when none
 * is to be written.  Reproducible builds convention: SOURCE_DATE_EPOCH
 * fixes the time. */
static int creation_time(int reproducible, char *when, size_t size)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t now = 0;
    int have_time = 0;
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == 0 && v >= 0) {
            now = (time_t)v;
            have_time = 1;
        }
    } else if (!reproducible) {
        now = time(NULL);
        have_time = 1;
    }
    if (have_time) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(when, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    return have_time;
}

static int save_png(const RadFigure *fig, const char *path, double dpi, const RadPngMeta *m)
{
    uint8_t *rgb;
    int w, h;
    if (rad_figure_render_rgb(fig, dpi, &rgb, &w, &h) != 0)
        return -1;
    RadPngText text[8];
    size_t nt = 0;
    const char *title = m->title ? m->title : fig->title;
    if (title)
        text[nt++] = (RadPngText){"Title", title};
    text[nt++] = (RadPngText){"Software", "radlab " RAD_VERSION};
    if (m->source)
        text[nt++] = (RadPngText){"Source", m->source};
    if (fig->description)
        text[nt++] = (RadPngText){"Description", fig->description};
    const char *digest = m->digest ? m->digest : fig->digest;
    if (digest)
        text[nt++] = (RadPngText){"radlab settings digest", digest};
    char when[40];
    if (creation_time(m->reproducible, when, sizeof when))
        text[nt++] = (RadPngText){"Creation Time", when};
    double ppm = dpi / 0.0254;
    int rc = rad_png_write_pixels(path, rgb, (size_t)w, (size_t)h, 3, ppm, ppm, text, nt);
    free(rgb);
    return rc;
}

/* ---- vector output (PDF, SVG) ------------------------------------------------------------------ */

/* cairo writes the document into memory; it is written to disk (atomically)
 * only once complete. */
typedef struct VecBuf {
    char *data;
    size_t len, cap;
} VecBuf;

static int vec_append(VecBuf *b, const char *data, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p)
            return -1;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
    return 0;
}

static cairo_status_t vec_write(void *closure, const unsigned char *data, unsigned int length)
{
    return vec_append(closure, (const char *)data, length) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_NO_MEMORY;
}

/* s with &, <, > and " escaped for XML text and attributes. */
static int xml_append(VecBuf *b, const char *s)
{
    for (; *s; s++) {
        const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
        if (vec_append(b, e ? e : s, e ? strlen(e) : 1) != 0)
            return -1;
    }
    return 0;
}

/* The SVG document with the provenance as <title> and <metadata> right
 * after the opening <svg> tag (cairo has no metadata call for SVG). */
static int svg_with_meta(const VecBuf *in, VecBuf *out, const char *title, const char *source,
                         const char *description, const char *digest, const char *when)
{
    const char *svg = strstr(in->data, "<svg");
    const char *gt = svg ? strchr(svg, '>') : NULL;
    if (!gt)
        return rad_error_set("cairo wrote no <svg> element");
    size_t head = (size_t)(gt + 1 - in->data);
    int rc = vec_append(out, in->data, head);
    if (title)
        rc |= vec_append(out, "\n<title>", 8) | xml_append(out, title) | vec_append(out, "</title>", 8);
    static const char open[] = "\n<metadata><radlab software=\"radlab " RAD_VERSION "\"";
    rc |= vec_append(out, open, strlen(open));
    const char *keys[4] = {" source=\"", " description=\"", " digest=\"", " created=\""};
    const char *vals[4] = {source, description, digest, when};
    for (int i = 0; i < 4; i++)
        if (vals[i])
            rc |= vec_append(out, keys[i], strlen(keys[i])) | xml_append(out, vals[i]) | vec_append(out, "\"", 1);
    rc |= vec_append(out, "/></metadata>", 13);
    rc |= vec_append(out, in->data + head, in->len - head);
    return rc == 0 ? 0 : rad_error_set("out of memory writing the SVG");
}

/* Write figs[0..n-1] as one vector document: PDF pages (each its
 * figure's size; a page break between figures) or, with n = 1, SVG.  The
 * provenance of m, and of the first figure, goes into the document
 * information; the whole document is collected in memory and written
 * atomically, so a failure leaves nothing behind. */
static int save_vector(const RadFigure *const *figs, size_t n, const char *path, int pdf, const RadPngMeta *m)
{
    const RadFigure *fig = figs[0];
    double wpt = fig->width * MM_PT, hpt = fig->height * MM_PT;
    VecBuf buf = {0}, out = {0};
    cairo_surface_t *s = pdf ? cairo_pdf_surface_create_for_stream(vec_write, &buf, wpt, hpt)
                             : cairo_svg_surface_create_for_stream(vec_write, &buf, wpt, hpt);
    const char *title = m->title ? m->title : fig->title;
    for (size_t k = 1; k < n && !title; k++)
        title = figs[k]->title;
    const char *digest = m->digest ? m->digest : fig->digest;
    char when[40];
    int have_time = creation_time(m->reproducible, when, sizeof when);
    if (pdf) {
        /* the PNG's text chunks in the PDF's document information */
        char kw[1024];
        snprintf(kw, sizeof kw, "%s%s%s%s", m->source ? "source: " : "", m->source ? m->source : "",
                 digest ? (m->source ? "; radlab settings digest: " : "radlab settings digest: ") : "",
                 digest ? digest : "");
        if (title)
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "radlab " RAD_VERSION);
        if (fig->description)
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, fig->description);
        if (kw[0])
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS, kw);
        /* cairo writes the current time unless told otherwise; an empty
         * date leaves CreationDate out (reproducible mode, as the PNG) */
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, have_time ? when : "");
    } else
        cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        const RadFigure *f = figs[k];
        double w = f->width * MM_PT, h = f->height * MM_PT;
        if (k > 0) {
            /* finish the page before, then size the next one before
             * anything is drawn on it */
            cairo_surface_show_page(s);
            cairo_pdf_surface_set_size(s, w, h);
        }
        Ctx c;
        memset(&c, 0, sizeof c);
        cairo_t *cr = cairo_create(s);
        Rect whole = {0, 0, w, h};
        rc = draw_figure(cr, f, 1.0, whole, &c);
        cairo_destroy(cr);
        free(c.boxes);
    }
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (rc == 0 && st != CAIRO_STATUS_SUCCESS)
        rc = rad_error_set("cannot write '%s': cairo: %s", path, cairo_status_to_string(st));
    if (rc == 0 && !pdf)
        rc = svg_with_meta(&buf, &out, title, m->source, fig->description, digest, have_time ? when : NULL);
    if (rc == 0) {
        const VecBuf *w = pdf ? &buf : &out;
        RadAtomicFile af;
        if (rad_atomic_open(&af, path) != 0)
            rc = -1;
        else if (fwrite(w->data, 1, w->len, af.fp) != w->len) {
            rad_atomic_abort(&af);
            rc = rad_error_set("cannot write '%s' (disk full?)", path);
        } else
            rc = rad_atomic_commit(&af);
    }
    free(buf.data);
    free(out.data);
    return rc;
}

/* The extension of path's file name in lower case ("" when none or too
 * long); 1 when the file name has a dot at all. */
static int file_ext(const char *path, char *ext, size_t size)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    ext[0] = 0;
    if (!dot || (slash && dot < slash))
        return 0;
    if (strlen(dot) < size) {
        size_t i = 0;
        for (; dot[i]; i++)
            ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] - 'A' + 'a' : dot[i]);
        ext[i] = 0;
    }
    return 1;
}

int rad_figure_save(const RadFigure *fig, const char *path, double dpi, const RadPngMeta *meta)
{
    RadPngMeta m;
    if (meta)
        m = *meta;
    else
        memset(&m, 0, sizeof m);
    /* the format follows the extension (any case) */
    char ext[8];
    int has_dot = file_ext(path, ext, sizeof ext);
    if (strcmp(ext, ".png") == 0)
        return save_png(fig, path, dpi, &m);
    if (strcmp(ext, ".pdf") == 0 || strcmp(ext, ".svg") == 0) {
        /* vector output has no pixels; the dpi is still checked, as for PNG */
        if (!(dpi >= 30 && dpi <= 1200))
            return rad_error_set("dpi %g: use 30 to 1200 (300 for journals)", dpi);
        return save_vector(&fig, 1, path, strcmp(ext, ".pdf") == 0, &m);
    }
    return rad_error_set("cannot save '%s': the file name must end in .png, .pdf or .svg (the format follows "
                         "the extension)%s", path, has_dot ? "" : "; it has no extension");
}

int rad_figures_save_pdf(const RadFigure *const *figs, size_t n, const char *path, const RadPngMeta *meta)
{
    RadPngMeta m;
    if (meta)
        m = *meta;
    else
        memset(&m, 0, sizeof m);
    if (n == 0)
        return rad_error_set("cannot save '%s': no figures to write; give at least one Figure (one page each)", path);
    for (size_t k = 0; k < n; k++)
        if (!figs[k])
            return rad_error_set("cannot save '%s': figure %zu is missing", path, k + 1);
    char ext[8];
    int has_dot = file_ext(path, ext, sizeof ext);
    if (strcmp(ext, ".pdf") != 0)
        return rad_error_set("cannot save '%s': a multi-page document is a PDF; end the file name in .pdf%s", path,
                             has_dot ? "" : " (it has no extension)");
    return save_vector(figs, n, path, 1, &m);
}

int rad_text_size(const char *text, double font_size, int bold, double *width, double *height)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *cr = cairo_create(s);
    Ctx c;
    memset(&c, 0, sizeof c);
    c.cr = cr;
    c.scale = 1;
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    text_size(&c, text ? text : "", font_size, bold, width, height);
    int ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return ok ? 0 : rad_error_set("cannot measure text (cairo failed)");
}
