/* radlab: figures and axes, their display lists.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The building half of plot.h: colours, styles, and the figure / axes
 * objects with their copied data items.  Layout and drawing live in
 * render.c, which reads the structures of plotint.h.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "plot/plotint.h"

/* ---- colours ------------------------------------------------------------------- */

RadColor rad_rgb(double r, double g, double b)
{
    RadColor c = {r, g, b, 1};
    return c;
}

RadColor rad_rgba(double r, double g, double b, double a)
{
    RadColor c = {r, g, b, a};
    return c;
}

RadColor rad_grey(double v)
{
    return rad_rgb(v, v, v);
}

/* Okabe & Ito (2008), "Color universal design", in an order that keeps the
 * first colours far apart and puts the low-contrast yellow late. */
static const unsigned char okabe_ito[8][3] = {
    {0, 114, 178},   /* blue */
    {213, 94, 0},    /* vermillion */
    {0, 158, 115},   /* bluish green */
    {230, 159, 0},   /* orange */
    {204, 121, 167}, /* reddish purple */
    {86, 180, 233},  /* sky blue */
    {240, 228, 66},  /* yellow */
    {0, 0, 0},       /* black */
};

RadColor rad_palette(size_t i)
{
    const unsigned char *c = okabe_ito[i % 8];
    return rad_rgb(c[0] / 255.0, c[1] / 255.0, c[2] / 255.0);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

int rad_color_parse(const char *s, RadColor *c)
{
    static const struct {
        const char *name;
        int index; /* palette index, or -1 with rgb */
        double r, g, b;
    } names[] = {
        {"blue", 0, 0, 0, 0},   {"vermillion", 1, 0, 0, 0}, {"green", 2, 0, 0, 0},
        {"orange", 3, 0, 0, 0}, {"purple", 4, 0, 0, 0},     {"skyblue", 5, 0, 0, 0},
        {"yellow", 6, 0, 0, 0}, {"black", 7, 0, 0, 0},      {"grey", -1, 0.6, 0.6, 0.6},
        {"gray", -1, 0.6, 0.6, 0.6}, {"white", -1, 1, 1, 1}, {"red", 1, 0, 0, 0},
    };
    if (!s)
        return rad_error_set("colour: expected \"#rrggbb\" or a name, got nothing");
    if (s[0] == '#') {
        size_t len = strlen(s + 1);
        int v[8];
        if (len != 6 && len != 8)
            goto bad;
        for (size_t i = 0; i < len; i++)
            if ((v[i] = hexval((unsigned char)s[1 + i])) < 0)
                goto bad;
        c->r = (v[0] * 16 + v[1]) / 255.0;
        c->g = (v[2] * 16 + v[3]) / 255.0;
        c->b = (v[4] * 16 + v[5]) / 255.0;
        c->a = len == 8 ? (v[6] * 16 + v[7]) / 255.0 : 1;
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0) {
            *c = names[i].index >= 0 ? rad_palette((size_t)names[i].index)
                                     : rad_rgb(names[i].r, names[i].g, names[i].b);
            return 0;
        }
bad:
    return rad_error_set("colour '%s': give \"#rrggbb\", \"#rrggbbaa\" or one of blue, vermillion, "
                         "green, orange, purple, skyblue, yellow, black, grey, white, red", s);
}

/* viridis (van der Walt & Smith, matplotlib 2015) sampled at 9 points and
 * interpolated linearly in sRGB: visually indistinguishable at plot sizes. */
static const double viridis[9][3] = {
    {0.267, 0.005, 0.329}, {0.278, 0.175, 0.483}, {0.230, 0.322, 0.546},
    {0.173, 0.449, 0.558}, {0.128, 0.567, 0.551}, {0.153, 0.683, 0.502},
    {0.369, 0.789, 0.383}, {0.678, 0.864, 0.190}, {0.993, 0.906, 0.144},
};
static const double diverging[5][3] = {
    {0.129, 0.400, 0.675}, {0.573, 0.773, 0.871}, {0.969, 0.969, 0.969},
    {0.957, 0.647, 0.510}, {0.698, 0.094, 0.169},
};
static const double hot[4][3] = {{0, 0, 0}, {0.85, 0.1, 0}, {1, 0.85, 0}, {1, 1, 1}};

static RadColor ramp(const double (*pts)[3], size_t n, double t)
{
    double u = t * (double)(n - 1);
    size_t i = (size_t)floor(u);
    if (i >= n - 1)
        i = n - 2;
    double f = u - (double)i;
    return rad_rgb(pts[i][0] + f * (pts[i + 1][0] - pts[i][0]), pts[i][1] + f * (pts[i + 1][1] - pts[i][1]),
                   pts[i][2] + f * (pts[i + 1][2] - pts[i][2]));
}

RadColor rad_colormap(RadColormap map, double t)
{
    if (isnan(t))
        return rad_rgba(0, 0, 0, 0);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    switch (map) {
    case RAD_CMAP_GREY:
        return rad_grey(t);
    case RAD_CMAP_DIVERGING:
        return ramp(diverging, 5, t);
    case RAD_CMAP_HOT:
        return ramp(hot, 4, t);
    case RAD_CMAP_VIRIDIS:
    default:
        return ramp(viridis, 9, t);
    }
}

int rad_colormap_parse(const char *s, RadColormap *map)
{
    static const char *names[] = {"viridis", "grey", "diverging", "hot"};
    for (int i = 0; i < 4; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *map = (RadColormap)i;
            return 0;
        }
    if (s && strcmp(s, "gray") == 0) {
        *map = RAD_CMAP_GREY;
        return 0;
    }
    return rad_error_set("colour map '%s': use viridis, grey, diverging or hot", s ? s : "(none)");
}

RadStyle rad_style_default(void)
{
    RadStyle st;
    memset(&st, 0, sizeof st);
    st.color = rad_rgb(0, 0, 0);
    st.fill = rad_rgba(0, 0, 0, 0);
    st.line_width = 1;
    st.marker_size = 4;
    st.font_size = 8;
    return st;
}

RadStyle rad_style_line(size_t i, double width)
{
    RadStyle st = rad_style_default();
    st.color = rad_palette(i);
    st.line_width = width;
    return st;
}

int rad_legend_parse(const char *s, RadLegendPos *pos)
{
    static const char *names[] = {"auto", "none", "topright", "topleft", "bottomleft", "bottomright", "right", "below"};
    for (int i = 0; i < 8; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *pos = (RadLegendPos)i;
            return 0;
        }
    return rad_error_set("legend position '%s': use auto, none, topright, topleft, bottomleft, bottomright, "
                         "right or below", s ? s : "(none)");
}

/* ---- figures --------------------------------------------------------------------- */

static int check_size(double w, double h)
{
    if (!(w >= 10 && w <= 2000 && h >= 10 && h <= 2000))
        return rad_error_set("figure size %g x %g mm: each side must be 10 to 2000 mm", w, h);
    return 0;
}

RadFigure *rad_figure_new(double width_mm, double height_mm)
{
    if (check_size(width_mm, height_mm) != 0)
        return NULL;
    RadFigure *f = rad_calloc(1, sizeof *f, "figure");
    if (!f)
        return NULL;
    f->width = width_mm;
    f->height = height_mm;
    f->title_size = 12;
    return f;
}

static void item_free(PlotItem *it)
{
    free(it->x);
    free(it->y);
    free(it->x2);
    free(it->y2);
    free(it->text);
    free(it->rgba);
}

static void side_clear(RadAxes *ax)
{
    for (size_t i = 0; i < ax->side_ncol; i++)
        free(ax->side_heads[i]);
    for (size_t i = 0; i < ax->side_nrow * ax->side_ncol; i++)
        free(ax->side_cells[i]);
    free(ax->side_heads);
    free(ax->side_cells);
    free(ax->side_y);
    free(ax->side_colors);
    ax->side_heads = ax->side_cells = NULL;
    ax->side_y = NULL;
    ax->side_colors = NULL;
    ax->side_nrow = ax->side_ncol = 0;
}

static void axes_free(RadAxes *ax)
{
    if (!ax)
        return;
    for (size_t i = 0; i < ax->nitems; i++)
        item_free(&ax->items[i]);
    free(ax->items);
    free(ax->title);
    free(ax->xlabel);
    free(ax->ylabel);
    for (int k = 0; k < 2; k++) {
        free(ax->ticks[k].at);
        for (size_t i = 0; i < ax->ticks[k].n; i++)
            free(ax->ticks[k].labels[i]);
        free(ax->ticks[k].labels);
    }
    for (size_t i = 0; i < ax->nlegend; i++)
        free(ax->legend[i].label);
    free(ax->legend);
    free(ax->cbar_label);
    free(ax->tab_heading);
    for (size_t i = 0; i < ax->tab_nrow; i++)
        free(ax->tab_rows[i]);
    free(ax->tab_rows);
    free(ax->tab_colors);
    free(ax->tab_x);
    for (size_t i = 0; i < ax->tab_nrow * ax->tab_ncol; i++)
        free(ax->tab_cells[i]);
    free(ax->tab_cells);
    side_clear(ax);
    free(ax);
}

void rad_figure_free(RadFigure *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->naxes; i++)
        axes_free(f->axes[i]);
    free(f->axes);
    for (size_t i = 0; i < f->nchild; i++)
        rad_figure_free(f->child[i].fig);
    free(f->child);
    for (size_t i = 0; i < f->npage; i++)
        item_free(&f->page[i]);
    free(f->page);
    free(f->title);
    free(f->subtitle);
    free(f->description);
    free(f->digest);
    for (size_t i = 0; i < f->nnotes; i++)
        free(f->notes[i]);
    free(f->notes);
    free(f);
}

double rad_figure_width(const RadFigure *f)
{
    return f->width;
}

double rad_figure_height(const RadFigure *f)
{
    return f->height;
}

int rad_figure_set_size(RadFigure *f, double w, double h)
{
    if (check_size(w, h) != 0)
        return -1;
    f->width = w;
    f->height = h;
    return 0;
}

/* Replace *dst by a copy of s (NULL clears). */
static int set_str(char **dst, const char *s)
{
    char *c = NULL;
    if (s && !(c = rad_strdup(s)))
        return -1;
    free(*dst);
    *dst = c;
    return 0;
}

int rad_figure_set_title(RadFigure *f, const char *title, double font_size)
{
    f->title_size = font_size > 0 ? font_size : 12;
    return set_str(&f->title, title);
}

int rad_figure_set_subtitle(RadFigure *f, const char *s)
{
    return set_str(&f->subtitle, s);
}

const char *rad_figure_title(const RadFigure *f)
{
    return f->title;
}

int rad_figure_set_description(RadFigure *f, const char *text)
{
    return set_str(&f->description, text);
}

const char *rad_figure_description(const RadFigure *f)
{
    return f->description;
}

int rad_figure_set_digest(RadFigure *f, const char *digest)
{
    return set_str(&f->digest, digest);
}

int rad_figure_add_note(RadFigure *f, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **n = realloc(f->notes, (f->nnotes + 1) * sizeof *n);
    if (!n)
        return rad_error_set("out of memory (figure note)");
    f->notes = n;
    if (!(n[f->nnotes] = rad_strdup(buf)))
        return -1;
    f->nnotes++;
    return 0;
}

size_t rad_figure_nnotes(const RadFigure *f)
{
    return f->nnotes;
}

const char *rad_figure_note(const RadFigure *f, size_t i)
{
    return i < f->nnotes ? f->notes[i] : NULL;
}

static int check_cell(double x0, double y0, double x1, double y1)
{
    if (!(x0 >= 0 && y0 >= 0 && x1 <= 1 && y1 <= 1 && x0 < x1 && y0 < y1))
        return rad_error_set("panel cell [%g, %g] x [%g, %g]: give fractions 0 <= x0 < x1 <= 1, "
                             "0 <= y0 < y1 <= 1 of the figure", x0, x1, y0, y1);
    return 0;
}

RadAxes *rad_figure_add_axes(RadFigure *f, double x0, double y0, double x1, double y1)
{
    if (check_cell(x0, y0, x1, y1) != 0)
        return NULL;
    RadAxes **a = realloc(f->axes, (f->naxes + 1) * sizeof *a);
    if (!a) {
        rad_error_set("out of memory (axes)");
        return NULL;
    }
    f->axes = a;
    RadAxes *ax = rad_calloc(1, sizeof *ax, "axes");
    if (!ax)
        return NULL;
    ax->cell[0] = x0;
    ax->cell[1] = y0;
    ax->cell[2] = x1;
    ax->cell[3] = y1;
    ax->lim[0] = ax->lim[1] = ax->lim[2] = ax->lim[3] = NAN;
    ax->frame = 1;
    ax->font_ticks = 8;
    ax->font_labels = 9;
    ax->font_title = 10;
    a[f->naxes++] = ax;
    return ax;
}

size_t rad_figure_naxes(const RadFigure *f)
{
    return f->naxes;
}

RadAxes *rad_figure_axes(RadFigure *f, size_t i)
{
    return i < f->naxes ? f->axes[i] : NULL;
}

/* ---- deep copies ---------------------------------------------------------------- */

static void *dup_mem(const void *p, size_t bytes, int *fail)
{
    if (!p || bytes == 0)
        return NULL;
    void *q = malloc(bytes);
    if (!q) {
        *fail = 1;
        return NULL;
    }
    memcpy(q, p, bytes);
    return q;
}

static char *dup_str(const char *s, int *fail)
{
    return s ? dup_mem(s, strlen(s) + 1, fail) : NULL;
}

static RadAxes *axes_copy(const RadAxes *a)
{
    int fail = 0;
    RadAxes *b = rad_calloc(1, sizeof *b, "axes");
    if (!b)
        return NULL;
    *b = *a;
    b->items = NULL;
    b->nitems = b->cap = 0;
    b->title = dup_str(a->title, &fail);
    b->xlabel = dup_str(a->xlabel, &fail);
    b->ylabel = dup_str(a->ylabel, &fail);
    for (int k = 0; k < 2; k++) {
        b->ticks[k].at = dup_mem(a->ticks[k].at, a->ticks[k].n * sizeof(double), &fail);
        b->ticks[k].labels = a->ticks[k].n ? calloc(a->ticks[k].n, sizeof(char *)) : NULL;
        if (a->ticks[k].n && !b->ticks[k].labels) {
            fail = 1;
            b->ticks[k].n = 0;
        }
        for (size_t i = 0; b->ticks[k].labels && i < a->ticks[k].n; i++)
            b->ticks[k].labels[i] = dup_str(a->ticks[k].labels[i], &fail);
    }
    b->legend = a->nlegend ? calloc(a->nlegend, sizeof *b->legend) : NULL;
    if (a->nlegend && !b->legend) {
        fail = 1;
        b->nlegend = 0;
    }
    for (size_t i = 0; b->legend && i < a->nlegend; i++) {
        b->legend[i] = a->legend[i];
        b->legend[i].label = dup_str(a->legend[i].label, &fail);
    }
    b->cbar_label = dup_str(a->cbar_label, &fail);
    b->tab_heading = dup_str(a->tab_heading, &fail);
    b->tab_rows = NULL;
    b->tab_cells = NULL;
    b->tab_x = NULL;
    b->tab_colors = NULL;
    b->tab_nrow = b->tab_ncol = 0;
    if (a->tab_nrow) {
        b->tab_rows = calloc(a->tab_nrow, sizeof(char *));
        b->tab_cells = calloc(a->tab_nrow * a->tab_ncol + 1, sizeof(char *));
        b->tab_colors = dup_mem(a->tab_colors, a->tab_nrow * sizeof(RadColor), &fail);
        b->tab_x = dup_mem(a->tab_x, a->tab_ncol * sizeof(double), &fail);
        if (!b->tab_rows || !b->tab_cells)
            fail = 1;
        else {
            b->tab_nrow = a->tab_nrow;
            b->tab_ncol = a->tab_ncol;
            for (size_t i = 0; i < a->tab_nrow; i++)
                b->tab_rows[i] = dup_str(a->tab_rows[i], &fail);
            for (size_t i = 0; i < a->tab_nrow * a->tab_ncol; i++)
                b->tab_cells[i] = dup_str(a->tab_cells[i], &fail);
        }
    }
    b->side_heads = b->side_cells = NULL;
    b->side_y = NULL;
    b->side_colors = NULL;
    b->side_nrow = b->side_ncol = 0;
    if (a->side_colors)
        b->side_colors = dup_mem(a->side_colors, a->side_nrow * sizeof(RadColor), &fail);
    if (a->side_ncol) {
        b->side_heads = calloc(a->side_ncol, sizeof(char *));
        b->side_cells = calloc(a->side_nrow * a->side_ncol + 1, sizeof(char *));
        b->side_y = dup_mem(a->side_y, a->side_nrow * sizeof(double), &fail);
        if (!b->side_heads || !b->side_cells)
            fail = 1;
        else {
            b->side_ncol = a->side_ncol;
            b->side_nrow = a->side_nrow;
            for (size_t i = 0; i < a->side_ncol; i++)
                b->side_heads[i] = dup_str(a->side_heads[i], &fail);
            for (size_t i = 0; i < a->side_nrow * a->side_ncol; i++)
                b->side_cells[i] = dup_str(a->side_cells[i], &fail);
        }
    }
    if (a->nitems) {
        b->items = calloc(a->nitems, sizeof *b->items);
        if (!b->items)
            fail = 1;
        for (size_t i = 0; b->items && i < a->nitems; i++) {
            const PlotItem *s = &a->items[i];
            PlotItem *d = &b->items[i];
            *d = *s;
            d->x = dup_mem(s->x, s->n * sizeof(double), &fail);
            d->y = dup_mem(s->y, s->n * sizeof(double), &fail);
            d->x2 = dup_mem(s->x2, s->n * sizeof(double), &fail);
            d->y2 = dup_mem(s->y2, s->n * sizeof(double), &fail);
            d->text = dup_str(s->text, &fail);
            d->rgba = dup_mem(s->rgba, s->w * s->h * 4, &fail);
            b->nitems = b->cap = i + 1;
        }
    }
    if (fail) {
        axes_free(b);
        rad_error_set("out of memory copying a figure");
        return NULL;
    }
    return b;
}

RadFigure *rad_figure_copy(const RadFigure *f)
{
    int fail = 0;
    RadFigure *g = rad_figure_new(f->width, f->height);
    if (!g)
        return NULL;
    g->title_size = f->title_size;
    g->title = dup_str(f->title, &fail);
    g->subtitle = dup_str(f->subtitle, &fail);
    g->description = dup_str(f->description, &fail);
    g->digest = dup_str(f->digest, &fail);
    for (size_t i = 0; i < f->nnotes && !fail; i++)
        if (rad_figure_add_note(g, "%s", f->notes[i]) != 0)
            fail = 1;
    for (size_t i = 0; i < f->naxes && !fail; i++) {
        RadAxes **a = realloc(g->axes, (g->naxes + 1) * sizeof *a);
        if (!a) {
            fail = 1;
            break;
        }
        g->axes = a;
        if (!(a[g->naxes] = axes_copy(f->axes[i])))
            fail = 1;
        else
            g->naxes++;
    }
    for (size_t i = 0; i < f->nchild && !fail; i++)
        if (rad_figure_add_figure(g, f->child[i].fig, f->child[i].cell[0], f->child[i].cell[1],
                                  f->child[i].cell[2], f->child[i].cell[3]) != 0)
            fail = 1;
    for (size_t i = 0; i < f->npage && !fail; i++) {
        const PlotItem *it = &f->page[i];
        if (it->kind == PLOT_TEXT)
            fail = rad_figure_text(g, it->x[0], it->y[0], it->text, &it->style) != 0;
        else
            fail = rad_figure_rule(g, it->x[0], it->y[0], it->x2[0], it->y2[0], &it->style) != 0;
    }
    if (fail) {
        rad_figure_free(g);
        rad_error_set("out of memory copying a figure");
        return NULL;
    }
    return g;
}

int rad_figure_add_figure(RadFigure *f, const RadFigure *child, double x0, double y0, double x1, double y1)
{
    if (check_cell(x0, y0, x1, y1) != 0)
        return -1;
    if (child == f)
        return rad_error_set("a figure cannot contain itself");
    PlotChild *c = realloc(f->child, (f->nchild + 1) * sizeof *c);
    if (!c)
        return rad_error_set("out of memory (page)");
    f->child = c;
    RadFigure *copy = rad_figure_copy(child);
    if (!copy)
        return -1;
    c[f->nchild].fig = copy;
    c[f->nchild].cell[0] = x0;
    c[f->nchild].cell[1] = y0;
    c[f->nchild].cell[2] = x1;
    c[f->nchild].cell[3] = y1;
    f->nchild++;
    return 0;
}

/* ---- axes settings ---------------------------------------------------------------- */

int rad_axes_set_title(RadAxes *ax, const char *s)
{
    return set_str(&ax->title, s);
}

int rad_axes_set_xlabel(RadAxes *ax, const char *s)
{
    return set_str(&ax->xlabel, s);
}

int rad_axes_set_ylabel(RadAxes *ax, const char *s)
{
    return set_str(&ax->ylabel, s);
}

void rad_axes_set_xscale(RadAxes *ax, RadScale s)
{
    ax->scale[0] = s;
}

void rad_axes_set_yscale(RadAxes *ax, RadScale s)
{
    ax->scale[1] = s;
}

void rad_axes_set_xlim(RadAxes *ax, double lo, double hi)
{
    ax->lim[0] = lo;
    ax->lim[1] = hi;
}

void rad_axes_set_ylim(RadAxes *ax, double lo, double hi)
{
    ax->lim[2] = lo;
    ax->lim[3] = hi;
}

void rad_axes_set_tight(RadAxes *ax, int tight)
{
    ax->tight = tight;
}

void rad_axes_set_yreverse(RadAxes *ax, int r)
{
    ax->yreverse = r;
}

void rad_axes_set_equal(RadAxes *ax, int e)
{
    ax->equal = e;
}

void rad_axes_set_grid(RadAxes *ax, int g)
{
    ax->grid = g;
}

void rad_axes_set_frame(RadAxes *ax, int f)
{
    ax->frame = f;
}

void rad_axes_set_font_size(RadAxes *ax, double ticks, double labels, double title)
{
    if (ticks > 0)
        ax->font_ticks = ticks;
    if (labels > 0)
        ax->font_labels = labels;
    if (title > 0)
        ax->font_title = title;
}

int rad_axes_set_xtick_rotation(RadAxes *ax, double degrees)
{
    if (!(degrees >= 0 && degrees <= 90))
        return rad_error_set("tick label rotation %g: use 0 to 90 degrees", degrees);
    ax->xtick_rot = degrees;
    return 0;
}

void rad_axes_set_legend(RadAxes *ax, RadLegendPos pos)
{
    ax->legend_pos = pos;
}

static int set_ticks(PlotTicks *t, const double *at, const char *const *labels, size_t n)
{
    PlotTicks nt = {NULL, NULL, 0};
    if (n > 0) {
        nt.at = malloc(n * sizeof *nt.at);
        nt.labels = calloc(n, sizeof *nt.labels);
        if (!nt.at || !nt.labels)
            goto oom;
        nt.n = n;
        for (size_t i = 0; i < n; i++) {
            nt.at[i] = at[i];
            if (labels && labels[i] && !(nt.labels[i] = rad_strdup(labels[i])))
                goto oom;
        }
    }
    free(t->at);
    for (size_t i = 0; i < t->n; i++)
        free(t->labels[i]);
    free(t->labels);
    *t = nt;
    return 0;
oom:
    free(nt.at);
    for (size_t i = 0; nt.labels && i < n; i++)
        free(nt.labels[i]);
    free(nt.labels);
    return rad_error_set("out of memory (ticks)");
}

int rad_axes_set_xticks(RadAxes *ax, const double *at, const char *const *labels, size_t n)
{
    return set_ticks(&ax->ticks[0], at, labels, n);
}

int rad_axes_set_yticks(RadAxes *ax, const double *at, const char *const *labels, size_t n)
{
    return set_ticks(&ax->ticks[1], at, labels, n);
}

int rad_axes_add_legend(RadAxes *ax, const char *label, const RadStyle *st, RadLegendKey key)
{
    PlotLegend *l = realloc(ax->legend, (ax->nlegend + 1) * sizeof *l);
    if (!l)
        return rad_error_set("out of memory (legend)");
    ax->legend = l;
    if (!(l[ax->nlegend].label = rad_strdup(label ? label : "")))
        return -1;
    l[ax->nlegend].style = st ? *st : rad_style_default();
    l[ax->nlegend].key = key;
    ax->nlegend++;
    return 0;
}

/* ---- data items ------------------------------------------------------------------ */

static PlotItem *new_item(RadAxes *ax, PlotKind kind, const RadStyle *st)
{
    if (ax->nitems == ax->cap) {
        size_t cap = ax->cap ? 2 * ax->cap : 8;
        PlotItem *it = realloc(ax->items, cap * sizeof *it);
        if (!it) {
            rad_error_set("out of memory (plot items)");
            return NULL;
        }
        ax->items = it;
        ax->cap = cap;
    }
    PlotItem *it = &ax->items[ax->nitems];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->style = st ? *st : rad_style_default();
    return it;
}

static double *copy_arr(const double *v, size_t n)
{
    double *c = rad_malloc(n * sizeof *c, "plot data");
    if (c)
        memcpy(c, v, n * sizeof *c);
    return c;
}

/* An item with up to four arrays of n values. */
static int add_arrays(RadAxes *ax, PlotKind kind, const double *x, const double *y, const double *x2,
                      const double *y2, size_t n, const RadStyle *st)
{
    if (n == 0)
        return 0; /* nothing to draw is not an error */
    PlotItem *it = new_item(ax, kind, st);
    if (!it)
        return -1;
    it->n = n;
    if ((x && !(it->x = copy_arr(x, n))) || (y && !(it->y = copy_arr(y, n))) ||
        (x2 && !(it->x2 = copy_arr(x2, n))) || (y2 && !(it->y2 = copy_arr(y2, n)))) {
        item_free(it);
        return -1;
    }
    ax->nitems++;
    return 0;
}

int rad_axes_line(RadAxes *ax, const double *x, const double *y, size_t n, const RadStyle *st)
{
    return add_arrays(ax, PLOT_LINE, x, y, NULL, NULL, n, st);
}

int rad_axes_step(RadAxes *ax, const double *x, const double *y, size_t n, const RadStyle *st)
{
    return add_arrays(ax, PLOT_STEP, x, y, NULL, NULL, n, st);
}

int rad_axes_points(RadAxes *ax, const double *x, const double *y, size_t n, const RadStyle *st)
{
    return add_arrays(ax, PLOT_POINTS, x, y, NULL, NULL, n, st);
}

int rad_axes_band(RadAxes *ax, const double *x, const double *lo, const double *hi, size_t n, int step,
                  const RadStyle *st)
{
    return add_arrays(ax, step ? PLOT_BAND_STEP : PLOT_BAND, x, lo, NULL, hi, n, st);
}

int rad_axes_polygon(RadAxes *ax, const double *x, const double *y, size_t n, const RadStyle *st)
{
    return add_arrays(ax, PLOT_POLYGON, x, y, NULL, NULL, n, st);
}

int rad_axes_rect(RadAxes *ax, double x0, double y0, double x1, double y1, const RadStyle *st)
{
    return add_arrays(ax, PLOT_RECT, &x0, &y0, &x1, &y1, 1, st);
}

int rad_axes_segments(RadAxes *ax, const double *x0, const double *y0, const double *x1, const double *y1,
                      size_t n, const RadStyle *st)
{
    return add_arrays(ax, PLOT_SEGMENTS, x0, y0, x1, y1, n, st);
}

int rad_axes_vline(RadAxes *ax, double v, const RadStyle *st)
{
    return add_arrays(ax, PLOT_VLINE, &v, NULL, NULL, NULL, 1, st);
}

int rad_axes_hline(RadAxes *ax, double v, const RadStyle *st)
{
    return add_arrays(ax, PLOT_HLINE, NULL, &v, NULL, NULL, 1, st);
}

static int add_text(RadAxes *ax, PlotKind kind, double x, double y, const char *text, const RadStyle *st)
{
    if (!text || !*text)
        return 0;
    if (add_arrays(ax, kind, &x, &y, NULL, NULL, 1, st) != 0)
        return -1;
    PlotItem *it = &ax->items[ax->nitems - 1];
    if (!(it->text = rad_strdup(text))) {
        item_free(it);
        ax->nitems--;
        return -1;
    }
    return 0;
}

int rad_axes_text(RadAxes *ax, double x, double y, const char *text, const RadStyle *st)
{
    return add_text(ax, PLOT_TEXT, x, y, text, st);
}

int rad_axes_note(RadAxes *ax, double fx, double fy, const char *text, const RadStyle *st)
{
    return add_text(ax, PLOT_NOTE, fx, fy, text, st);
}

/* ---- page items ------------------------------------------------------------------- */

/* One item of the page list (x, y and x2, y2 one value each). */
static int add_page_item(RadFigure *f, PlotKind kind, double x, double y, double x2, double y2, const char *text,
                         const RadStyle *st)
{
    if (!(isfinite(x) && isfinite(y) && isfinite(x2) && isfinite(y2)))
        return rad_error_set("page item at (%g, %g) mm: positions must be finite numbers", x, y);
    PlotItem *p = realloc(f->page, (f->npage + 1) * sizeof *p);
    if (!p)
        return rad_error_set("out of memory (page items)");
    f->page = p;
    PlotItem *it = &p[f->npage];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->style = st ? *st : rad_style_default();
    it->n = 1;
    if (!(it->x = copy_arr(&x, 1)) || !(it->y = copy_arr(&y, 1)) || !(it->x2 = copy_arr(&x2, 1)) ||
        !(it->y2 = copy_arr(&y2, 1)) || (text && !(it->text = rad_strdup(text)))) {
        item_free(it);
        return -1;
    }
    f->npage++;
    return 0;
}

int rad_figure_text(RadFigure *f, double x, double y, const char *text, const RadStyle *st)
{
    if (!text || !*text)
        return 0;
    return add_page_item(f, PLOT_TEXT, x, y, x, y, text, st);
}

int rad_figure_rule(RadFigure *f, double x0, double y0, double x1, double y1, const RadStyle *st)
{
    return add_page_item(f, PLOT_SEGMENTS, x0, y0, x1, y1, NULL, st);
}


int rad_axes_image(RadAxes *ax, const uint8_t *rgba, size_t w, size_t h, double x0, double y0, double x1,
                   double y1)
{
    if (w == 0 || h == 0 || w > 32767 || h > 32767)
        return rad_error_set("plot image of %zu x %zu pixels: each side must be 1 to 32767", w, h);
    if (add_arrays(ax, PLOT_IMAGE, &x0, &y0, &x1, &y1, 1, NULL) != 0)
        return -1;
    PlotItem *it = &ax->items[ax->nitems - 1];
    it->w = w;
    it->h = h;
    if (!(it->rgba = rad_malloc(w * h * 4, "plot image"))) {
        item_free(it);
        ax->nitems--;
        return -1;
    }
    memcpy(it->rgba, rgba, w * h * 4);
    return 0;
}

int rad_axes_colorbar(RadAxes *ax, RadColormap map, double lo, double hi, const char *label)
{
    if (!(isfinite(lo) && isfinite(hi) && lo < hi))
        return rad_error_set("colour bar range [%g, %g]: give finite lo < hi", lo, hi);
    if (set_str(&ax->cbar_label, label) != 0)
        return -1;
    ax->cbar = 1;
    ax->cbar_map = map;
    ax->cbar_lo = lo;
    ax->cbar_hi = hi;
    return 0;
}

int rad_axes_table(RadAxes *ax, const char *heading, const char *const *row_labels, const RadColor *row_colors,
                   size_t nrow, const double *x, size_t ncol, const char *const *cells)
{
    /* clear the old table first */
    for (size_t i = 0; i < ax->tab_nrow; i++)
        free(ax->tab_rows[i]);
    for (size_t i = 0; i < ax->tab_nrow * ax->tab_ncol; i++)
        free(ax->tab_cells[i]);
    free(ax->tab_rows);
    free(ax->tab_cells);
    free(ax->tab_colors);
    free(ax->tab_x);
    ax->tab_rows = ax->tab_cells = NULL;
    ax->tab_colors = NULL;
    ax->tab_x = NULL;
    ax->tab_nrow = ax->tab_ncol = 0;
    if (set_str(&ax->tab_heading, heading) != 0)
        return -1;
    if (nrow == 0 || ncol == 0)
        return 0;
    ax->tab_rows = calloc(nrow, sizeof(char *));
    ax->tab_cells = calloc(nrow * ncol, sizeof(char *));
    ax->tab_colors = malloc(nrow * sizeof(RadColor));
    ax->tab_x = malloc(ncol * sizeof(double));
    if (!ax->tab_rows || !ax->tab_cells || !ax->tab_colors || !ax->tab_x)
        goto oom;
    ax->tab_nrow = nrow;
    ax->tab_ncol = ncol;
    memcpy(ax->tab_x, x, ncol * sizeof(double));
    for (size_t i = 0; i < nrow; i++) {
        ax->tab_colors[i] = row_colors ? row_colors[i] : rad_rgb(0, 0, 0);
        if (!(ax->tab_rows[i] = rad_strdup(row_labels && row_labels[i] ? row_labels[i] : "")))
            goto oom;
    }
    for (size_t i = 0; i < nrow * ncol; i++)
        if (!(ax->tab_cells[i] = rad_strdup(cells[i] ? cells[i] : "")))
            goto oom;
    return 0;
oom:
    rad_error_set("out of memory (table under the axes)");
    return -1; /* partial table freed with the axes */
}

int rad_axes_side_table(RadAxes *ax, const char *const *headings, size_t ncol, double heading_y, const double *y,
                        size_t nrow, const char *const *cells)
{
    side_clear(ax);
    if (ncol == 0)
        return 0;
    ax->side_heads = calloc(ncol, sizeof(char *));
    ax->side_cells = calloc(nrow * ncol + 1, sizeof(char *));
    ax->side_y = malloc((nrow ? nrow : 1) * sizeof(double));
    if (!ax->side_heads || !ax->side_cells || !ax->side_y) {
        free(ax->side_heads);
        free(ax->side_cells);
        free(ax->side_y);
        ax->side_heads = ax->side_cells = NULL;
        ax->side_y = NULL;
        return rad_error_set("out of memory (text columns)");
    }
    ax->side_ncol = ncol;
    ax->side_nrow = nrow;
    ax->side_head_y = heading_y;
    if (nrow)
        memcpy(ax->side_y, y, nrow * sizeof(double));
    int fail = 0;
    for (size_t i = 0; i < ncol; i++)
        ax->side_heads[i] = headings && headings[i] ? dup_str(headings[i], &fail) : NULL;
    for (size_t i = 0; i < nrow * ncol; i++)
        ax->side_cells[i] = dup_str(cells[i] ? cells[i] : "", &fail);
    if (fail) {
        side_clear(ax);
        return rad_error_set("out of memory (text columns)");
    }
    return 0;
}

int rad_axes_side_colors(RadAxes *ax, const RadColor *colors, size_t nrow)
{
    if (nrow != ax->side_nrow || ax->side_ncol == 0)
        return rad_error_set("text column colours: %zu given for %zu rows (set the columns first)", nrow,
                             ax->side_nrow);
    RadColor *c = malloc((nrow ? nrow : 1) * sizeof *c);
    if (!c)
        return rad_error_set("out of memory (text columns)");
    if (nrow)
        memcpy(c, colors, nrow * sizeof *c);
    free(ax->side_colors);
    ax->side_colors = c;
    return 0;
}

/* ---- number formatting -------------------------------------------------------------- */

size_t rad_nice_ticks(double lo, double hi, int target, double *ticks, size_t max)
{
    if (!(isfinite(lo) && isfinite(hi)) || max == 0)
        return 0;
    if (hi < lo) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (hi == lo) {
        ticks[0] = lo;
        return 1;
    }
    if (target < 2)
        target = 2;
    double raw = (hi - lo) / target;
    double mag = pow(10, floor(log10(raw)));
    static const double mult[] = {1, 2, 2.5, 5, 10};
    double step = 10 * mag;
    for (int i = 0; i < 5; i++)
        if (mult[i] * mag >= raw * 0.999) {
            step = mult[i] * mag;
            break;
        }
    double first = ceil(lo / step - 1e-9) * step;
    size_t n = 0;
    for (double v = first; v <= hi + step * 1e-9 && n < max; v = first + (double)n * step) {
        ticks[n++] = fabs(v) < step * 1e-9 ? 0 : v;
    }
    return n;
}

void rad_format_tick(double v, double step, char *buf, size_t size)
{
    if (!(step > 0) || !isfinite(step)) {
        snprintf(buf, size, "%.3g", v);
        return;
    }
    int dec = 0;
    double s = step;
    while (dec < 10 && fabs(s - round(s)) > 1e-9 * fmax(1, fabs(s))) {
        s *= 10;
        dec++;
    }
    if (fabs(v) >= 1e6 || (fabs(v) > 0 && fabs(v) < 1e-4 && dec > 6))
        snprintf(buf, size, "%.3g", v);
    else
        snprintf(buf, size, "%.*f", dec, v);
    if (strcmp(buf, "-0") == 0 || (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1)))
        memmove(buf, buf + 1, strlen(buf));
}

void rad_format_p(double p, char *buf, size_t size)
{
    if (isnan(p))
        snprintf(buf, size, "p = NA");
    else if (p < 0.001)
        snprintf(buf, size, "p < 0.001");
    else if (p < 0.1)
        snprintf(buf, size, "p = %.3f", p);
    else if (p < 0.995)
        snprintf(buf, size, "p = %.2f", p);
    else
        snprintf(buf, size, "p > 0.99");
}

/* ---- charts ------------------------------------------------------------------------- */

void rad_chart_options_default(RadChartOptions *o)
{
    memset(o, 0, sizeof *o);
    o->legend = RAD_LEGEND_AUTO;
}

RadFigure *rad_chart_begin(const RadChartOptions *o, double default_w, double default_h, const char *xlabel,
                           const char *ylabel, RadAxes **pax)
{
    RadChartOptions d;
    if (!o) {
        rad_chart_options_default(&d);
        o = &d;
    }
    RadFigure *f = rad_figure_new(o->width > 0 ? o->width : default_w, o->height > 0 ? o->height : default_h);
    if (!f)
        return NULL;
    RadAxes *ax = rad_figure_add_axes(f, 0, 0, 1, 1);
    if (!ax || (o->title && rad_figure_set_title(f, o->title, 0) != 0) ||
        (o->subtitle && rad_figure_set_subtitle(f, o->subtitle) != 0) ||
        rad_axes_set_xlabel(ax, o->xlabel ? o->xlabel : xlabel) != 0 ||
        rad_axes_set_ylabel(ax, o->ylabel ? o->ylabel : ylabel) != 0) {
        rad_figure_free(f);
        return NULL;
    }
    rad_axes_set_legend(ax, o->legend);
    rad_axes_set_grid(ax, o->grid);
    *pax = ax;
    return f;
}
