/* radlab: the plot layer's private structures.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by figure.c (building) and render.c (layout and drawing); chart
 * files use only plot.h.
 */
#ifndef RAD_PLOTINT_H
#define RAD_PLOTINT_H

#include "plot/plot.h"

typedef enum {
    PLOT_LINE,
    PLOT_STEP,
    PLOT_POINTS,
    PLOT_BAND,      /* x, y = lo, y2 = hi */
    PLOT_BAND_STEP,
    PLOT_POLYGON,
    PLOT_RECT,      /* (x, y) - (x2, y2), n = 1 */
    PLOT_SEGMENTS,  /* (x, y) - (x2, y2) */
    PLOT_VLINE,     /* x[0] */
    PLOT_HLINE,     /* y[0] */
    PLOT_TEXT,      /* text at (x, y) in data units */
    PLOT_NOTE,      /* text at (x, y) in fractions of the plot area */
    PLOT_IMAGE      /* rgba w x h over (x, y) - (x2, y2) */
} PlotKind;

typedef struct PlotItem {
    PlotKind kind;
    RadStyle style;
    size_t n;
    double *x, *y, *x2, *y2;
    char *text;
    uint8_t *rgba;
    size_t w, h;
} PlotItem;

typedef struct PlotTicks {
    double *at;
    char **labels; /* entries may be NULL: formatted numbers */
    size_t n;      /* 0: automatic */
} PlotTicks;

typedef struct PlotLegend {
    char *label;
    RadStyle style;
    RadLegendKey key;
} PlotLegend;

struct RadAxes {
    double cell[4]; /* x0, y0, x1, y1 fractions of the figure body */
    char *title, *xlabel, *ylabel;
    RadScale scale[2];
    double lim[4]; /* xlo, xhi, ylo, yhi; NaN = automatic */
    int tight, yreverse, equal, grid, frame;
    double font_ticks, font_labels, font_title;
    double xtick_rot; /* degrees, 0..90 */
    PlotTicks ticks[2];
    RadLegendPos legend_pos;
    PlotLegend *legend;
    size_t nlegend;
    PlotItem *items;
    size_t nitems, cap;
    int cbar;
    RadColormap cbar_map;
    double cbar_lo, cbar_hi;
    char *cbar_label;
    char *tab_heading;
    char **tab_rows;
    RadColor *tab_colors;
    double *tab_x;
    char **tab_cells;
    size_t tab_nrow, tab_ncol;
    /* the text columns right of the plot area (forest plots) */
    char **side_heads;
    char **side_cells;
    double *side_y;
    RadColor *side_colors; /* per row, or NULL: black */
    double side_head_y;
    size_t side_nrow, side_ncol;
};

typedef struct PlotChild {
    RadFigure *fig;
    double cell[4];
} PlotChild;

struct RadFigure {
    double width, height; /* mm */
    char *title, *subtitle, *description, *digest;
    double title_size;
    char **notes;
    size_t nnotes;
    RadAxes **axes;
    size_t naxes;
    PlotChild *child;
    size_t nchild;
    /* text and rules placed on the page itself (PLOT_TEXT, PLOT_SEGMENTS),
     * in mm from the figure's top-left: text pages of a report */
    PlotItem *page;
    size_t npage;
};

#endif
