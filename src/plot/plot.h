/* radlab: figures, axes and their PNG output.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A RadFigure is a resolution-independent description of a picture: a page
 * of a given size in millimetres holding axes (panels), each with a display
 * list of data items (lines, steps, points, bands, rectangles, segments,
 * texts, images), axis labels, ticks, a legend, optional rows of text under
 * the x axis (a number-at-risk table) and an optional colour bar.  Nothing is
 * drawn until the figure is rendered, so the same figure saves at 100 or 600
 * dpi and composes into a report page (rad_figure_add_figure).
 *
 * Units: figure geometry in mm; line widths, marker and font sizes in
 * points (1/72 inch); data items in data coordinates of their axes.
 * Rendering uses cairo (anti-aliased shapes, DejaVu Sans text) and writes
 * RGB PNG through libpng with text chunks, or vector PDF / SVG through
 * cairo's own surfaces (rad_figure_save picks by extension).
 *
 * Layout: margins are measured from the rendered text (tick labels, axis
 * labels, titles, table rows), so no label is clipped; a legend goes into
 * the inside corner that covers the fewest data points, or outside (on the
 * right, or below when wide) when every corner would cover data.
 * Tick labels that would touch are thinned,
 * named x ticks turn upright, long row names and labels wrap.
 * rad_figure_layout reports the boxes the renderer used, every piece of
 * text on its own, for tests.
 *
 * Errors follow librad's rule: -1 / NULL and rad_error_message().
 */
#ifndef RAD_PLOT_H
#define RAD_PLOT_H

#include <stddef.h>
#include <stdint.h>

typedef struct RadFigure RadFigure;
typedef struct RadAxes RadAxes;

typedef struct RadColor {
    double r, g, b, a; /* 0..1 */
} RadColor;

/* The Okabe-Ito colour-blind-safe palette in series order: blue, vermillion,
 * bluish green, orange, reddish purple, sky blue, yellow, black; i wraps. */
RadColor rad_palette(size_t i);
RadColor rad_rgb(double r, double g, double b);
RadColor rad_rgba(double r, double g, double b, double a);
RadColor rad_grey(double v);
/* "#rrggbb" or "#rrggbbaa" or a palette name ("blue", "vermillion",
 * "green", "orange", "purple", "skyblue", "yellow", "black", "grey",
 * "white", "red").  -1 with a message for anything else. */
int rad_color_parse(const char *s, RadColor *c);

/* Colour maps for heatmaps and feature maps, t in [0, 1] (clamped; NaN is
 * transparent). */
typedef enum {
    RAD_CMAP_VIRIDIS = 0, /* perceptually uniform, colour-blind safe */
    RAD_CMAP_GREY,        /* black -> white */
    RAD_CMAP_DIVERGING,   /* blue -> white -> red (correlations) */
    RAD_CMAP_HOT          /* black -> red -> yellow -> white (overlays) */
} RadColormap;
RadColor rad_colormap(RadColormap map, double t);
int rad_colormap_parse(const char *s, RadColormap *map);

typedef enum { RAD_DASH_SOLID = 0, RAD_DASH_DASHED, RAD_DASH_DOTTED, RAD_DASH_DOTDASH } RadDash;

typedef enum {
    RAD_MARKER_NONE = 0,
    RAD_MARKER_CIRCLE,
    RAD_MARKER_SQUARE,
    RAD_MARKER_TRIANGLE,
    RAD_MARKER_DIAMOND,
    RAD_MARKER_PLUS,
    RAD_MARKER_CROSS,
    RAD_MARKER_VTICK, /* a short vertical bar (censoring marks) */
    RAD_MARKER_HTICK
} RadMarker;

/* Text anchor: which point of the text box sits at (x, y). */
typedef enum { RAD_HALIGN_LEFT = 0, RAD_HALIGN_CENTER, RAD_HALIGN_RIGHT } RadHAlign;
typedef enum { RAD_VALIGN_BASELINE = 0, RAD_VALIGN_TOP, RAD_VALIGN_MIDDLE, RAD_VALIGN_BOTTOM } RadVAlign;

/* How an item looks.  rad_style_default gives: black, 1 pt line, solid, no
 * fill, no marker, 4 pt markers, 8 pt text, left/baseline, clipped. */
typedef struct RadStyle {
    RadColor color;      /* lines, markers' outline, text */
    RadColor fill;       /* areas and markers' inside; a = 0: none */
    double line_width;   /* pt; 0 = no stroke */
    RadDash dash;
    RadMarker marker;
    double marker_size;  /* pt, the marker's full width */
    double font_size;    /* pt */
    int bold;
    RadHAlign halign;
    RadVAlign valign;
    double rotate;       /* text rotation, degrees counter-clockwise */
    int noclip;          /* 1: may draw outside the plot area (annotations) */
    int avoid;           /* text: 1 = a label that is moved inside the plot area's width and
                            left out when it would overlap an avoiding label drawn before it
                            in the same axes (scale labels of a nomogram in any cell size) */
} RadStyle;
RadStyle rad_style_default(void);
/* A line style in palette colour i. */
RadStyle rad_style_line(size_t i, double width);

/* ---- figures -------------------------------------------------------------- */

/* An empty figure of width x height mm (each 10..2000). */
RadFigure *rad_figure_new(double width_mm, double height_mm);
void rad_figure_free(RadFigure *fig);
double rad_figure_width(const RadFigure *fig);  /* mm */
double rad_figure_height(const RadFigure *fig); /* mm */
int rad_figure_set_size(RadFigure *fig, double width_mm, double height_mm);
/* A title across the top (NULL removes it); font size in pt (0: 12). */
int rad_figure_set_title(RadFigure *fig, const char *title, double font_size);
int rad_figure_set_subtitle(RadFigure *fig, const char *subtitle);
const char *rad_figure_title(const RadFigure *fig);
/* A short description of the figure ("Kaplan-Meier, 2 groups, n = 228"),
 * shown by tostring and written to the PNG "Description" chunk. */
int rad_figure_set_description(RadFigure *fig, const char *text);
const char *rad_figure_description(const RadFigure *fig);
/* The settings digest written to the PNG (NULL: none). */
int rad_figure_set_digest(RadFigure *fig, const char *digest);
/* Notes collected while building (e.g. "3 rows with missing time dropped"),
 * listed when the figure is printed. */
int rad_figure_add_note(RadFigure *fig, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
size_t rad_figure_nnotes(const RadFigure *fig);
const char *rad_figure_note(const RadFigure *fig, size_t i);

/* A new axes (panel) occupying the cell [x0, x1] x [y0, y1] of the figure,
 * in fractions of the area below the title (0,0 = top-left).  The figure
 * owns it. */
RadAxes *rad_figure_add_axes(RadFigure *fig, double x0, double y0, double x1, double y1);
size_t rad_figure_naxes(const RadFigure *fig);
RadAxes *rad_figure_axes(RadFigure *fig, size_t i);
/* Place a copy of `child` in the cell [x0, x1] x [y0, y1] (fractions of the
 * area below the title): report pages.  The child keeps its own title and
 * is laid out afresh in the cell (text keeps its size in points). */
int rad_figure_add_figure(RadFigure *fig, const RadFigure *child, double x0, double y0, double x1, double y1);
/* A deep copy. */
RadFigure *rad_figure_copy(const RadFigure *fig);
/* Text and rules on the page itself, outside any axes (text pages of a
 * report): text anchored at (x, y) mm from the figure's top-left as st's
 * halign/valign say (font_size, bold, color; "\n" starts a new line), a
 * line from (x0, y0) to (x1, y1) mm of st's line_width and color.  Drawn
 * after the axes; each text is a "text" box of the layout.  Copies. */
int rad_figure_text(RadFigure *fig, double x, double y, const char *text, const RadStyle *st);
int rad_figure_rule(RadFigure *fig, double x0, double y0, double x1, double y1, const RadStyle *st);

/* ---- axes ------------------------------------------------------------------- */

typedef enum { RAD_SCALE_LINEAR = 0, RAD_SCALE_LOG } RadScale;

typedef enum {
    RAD_LEGEND_AUTO = 0, /* best inside corner, else outside (right, or below when wide) */
    RAD_LEGEND_NONE,
    RAD_LEGEND_TOPRIGHT,
    RAD_LEGEND_TOPLEFT,
    RAD_LEGEND_BOTTOMLEFT,
    RAD_LEGEND_BOTTOMRIGHT,
    RAD_LEGEND_RIGHT,   /* outside, right of the plot area */
    RAD_LEGEND_BELOW    /* outside, under the x axis label, in columns */
} RadLegendPos;

typedef enum { RAD_LEGEND_KEY_LINE = 0, RAD_LEGEND_KEY_PATCH, RAD_LEGEND_KEY_MARKER } RadLegendKey;

int rad_axes_set_title(RadAxes *ax, const char *title);
int rad_axes_set_xlabel(RadAxes *ax, const char *label);
int rad_axes_set_ylabel(RadAxes *ax, const char *label);
/* A scale may be set before or after adding data; log needs positive limits. */
void rad_axes_set_xscale(RadAxes *ax, RadScale s);
void rad_axes_set_yscale(RadAxes *ax, RadScale s);
/* Fixed limits (lo < hi); NaN for a side means automatic.  Automatic limits
 * cover the data with 4 % padding, rounded out to ticks unless tight. */
void rad_axes_set_xlim(RadAxes *ax, double lo, double hi);
void rad_axes_set_ylim(RadAxes *ax, double lo, double hi);
/* 1: automatic limits are exactly the data range (images, heatmaps). */
void rad_axes_set_tight(RadAxes *ax, int tight);
/* Reverse the y axis (top = low): image rows, forest plot rows. */
void rad_axes_set_yreverse(RadAxes *ax, int reverse);
/* 1: one data unit is the same length on both axes (images). */
void rad_axes_set_equal(RadAxes *ax, int equal);
void rad_axes_set_grid(RadAxes *ax, int grid);
/* 0: no axis lines, ticks or tick labels (images); 2: no axis lines or
 * ticks, only the y tick labels (row names of a nomogram, measured into the
 * left margin like any tick labels). */
void rad_axes_set_frame(RadAxes *ax, int frame);
/* Custom ticks: n positions with labels (labels may be NULL: formatted
 * numbers).  n = 0 returns to automatic ticks.  Copies. */
int rad_axes_set_xticks(RadAxes *ax, const double *at, const char *const *labels, size_t n);
int rad_axes_set_yticks(RadAxes *ax, const double *at, const char *const *labels, size_t n);
/* Rotate the x tick labels by 0 to 90 degrees (counter-clockwise; each
 * label ends at its tick): long category names side by side. */
int rad_axes_set_xtick_rotation(RadAxes *ax, double degrees);
/* Tick label font size (pt), default 8; axis labels 9; axes title 10. */
void rad_axes_set_font_size(RadAxes *ax, double ticks, double labels, double title);
void rad_axes_set_legend(RadAxes *ax, RadLegendPos pos);
int rad_legend_parse(const char *s, RadLegendPos *pos);
int rad_axes_add_legend(RadAxes *ax, const char *label, const RadStyle *st, RadLegendKey key);

/* Data items.  Arrays are copied.  NaN in x or y breaks lines and is
 * skipped for points; the item's bounds enter the automatic limits unless
 * the style has noclip set (annotations). */
int rad_axes_line(RadAxes *ax, const double *x, const double *y, size_t n, const RadStyle *st);
/* A right-continuous step function: y[i] holds on [x[i], x[i+1]). */
int rad_axes_step(RadAxes *ax, const double *x, const double *y, size_t n, const RadStyle *st);
int rad_axes_points(RadAxes *ax, const double *x, const double *y, size_t n, const RadStyle *st);
/* A filled band between lo and hi over x (step: as rad_axes_step). */
int rad_axes_band(RadAxes *ax, const double *x, const double *lo, const double *hi, size_t n, int step,
                  const RadStyle *st);
/* A closed polygon (fill and/or outline). */
int rad_axes_polygon(RadAxes *ax, const double *x, const double *y, size_t n, const RadStyle *st);
int rad_axes_rect(RadAxes *ax, double x0, double y0, double x1, double y1, const RadStyle *st);
/* n segments (x0[i], y0[i]) - (x1[i], y1[i]). */
int rad_axes_segments(RadAxes *ax, const double *x0, const double *y0, const double *x1, const double *y1,
                      size_t n, const RadStyle *st);
/* A line across the whole plot area at x = v (vertical) or y = v. */
int rad_axes_vline(RadAxes *ax, double v, const RadStyle *st);
int rad_axes_hline(RadAxes *ax, double v, const RadStyle *st);
/* Text at data (x, y); with st->noclip it may sit outside the plot area.
 * "\n" starts a new line.  A style with a fill (fill.a > 0) draws a box
 * of that colour behind the text. */
int rad_axes_text(RadAxes *ax, double x, double y, const char *text, const RadStyle *st);
/* Text at a position in fractions of the plot area (0,0 top-left, 1,1
 * bottom-right): annotations such as "log-rank p = 0.003". */
int rad_axes_note(RadAxes *ax, double fx, double fy, const char *text, const RadStyle *st);
/* An RGBA image (w x h, row 0 at the top, 4 bytes per pixel, straight
 * alpha) filling the data rectangle [x0, x1] x [y0, y1]; drawn with nearest
 * neighbour sampling so voxels stay square. */
int rad_axes_image(RadAxes *ax, const uint8_t *rgba, size_t w, size_t h, double x0, double y0, double x1,
                   double y1);
/* A colour bar on the right of the plot area for map over [lo, hi]. */
int rad_axes_colorbar(RadAxes *ax, RadColormap map, double lo, double hi, const char *label);
/* Rows of text under the x axis, aligned with x positions (the number at
 * risk under a Kaplan-Meier plot): a heading, nrow row labels with colours,
 * and nrow x ncol cells at x[0..ncol-1] (row-major).  Replaces any earlier
 * table. */
int rad_axes_table(RadAxes *ax, const char *heading, const char *const *row_labels, const RadColor *row_colors,
                   size_t nrow, const double *x, size_t ncol, const char *const *cells);

/* Columns of text right of the plot area, each row at a data y (the
 * estimate and p columns of a forest plot): ncol headings (bold, at data y
 * heading_y; NULL entries for none) and nrow x ncol cells (row-major) at
 * y[0..nrow-1].  The right margin grows to fit them, so they are never
 * clipped and never squeezed into the data.  Replaces any earlier one. */
int rad_axes_side_table(RadAxes *ax, const char *const *headings, size_t ncol, double heading_y, const double *y,
                        size_t nrow, const char *const *cells);

/* Colours of the side table's rows (nrow = the table's rows; text is drawn
 * darkened where a colour is too light to read on white): the labels of
 * lasso paths in their lines' colours.  Cells that would overlap the cell
 * above them in a column are left out when drawn. */
int rad_axes_side_colors(RadAxes *ax, const RadColor *colors, size_t nrow);

/* ---- rendering ---------------------------------------------------------------- */

/* Pixel size of the figure at dpi. */
void rad_figure_pixels(const RadFigure *fig, double dpi, int *width, int *height);

/* A box of the layout, in pixels of the rendered image (0,0 top-left). */
typedef struct RadLayoutBox {
    char kind[16]; /* "title", "plot", "xlabel", "ylabel", "xticks", "yticks", "legend",
                      "table", "sidetable", "colorbar", "axtitle", "note", "figure", "cell";
                      single pieces of text: "xtick", "ytick", "legendtext", "tablecell",
                      "sidecell", "cbartick", "cbarlabel", "text" */
    int axes;      /* index of the axes (in render order), -1 for figure items */
    int text;      /* 1: the box of one piece of drawn text (the group boxes "xticks",
                      "legend", "table", ... are 0) */
    int cell;      /* the page cell (rad_figure_add_figure, in render order) the item is
                      drawn in, -1 for the page itself; a "cell" box has its own index */
    double x0, y0, x1, y1;
} RadLayoutBox;

/* Render at dpi and report the layout boxes (malloc'd array in *boxes, its
 * length in *n; free with free()). */
int rad_figure_layout(const RadFigure *fig, double dpi, RadLayoutBox **boxes, size_t *n);

/* Render to 8-bit RGB pixels (malloc'd, 3 bytes per pixel, rows top-down). */
int rad_figure_render_rgb(const RadFigure *fig, double dpi, uint8_t **rgb, int *width, int *height);

/* Provenance written to the PNG as text chunks.  All fields optional. */
typedef struct RadPngMeta {
    const char *source;   /* "Source": the command or script that made it */
    const char *digest;   /* "radlab settings digest" (overrides the figure's) */
    const char *title;    /* "Title" (default: the figure title) */
    int reproducible;     /* 1: no "Creation Time" chunk */
} RadPngMeta;

/* Write the figure atomically (temporary name, then rename) in the format
 * its extension names (any case):
 *   .png  rendered at dpi (30..1200), RGB, pHYs for the dpi and text
 *         chunks: Title, Software ("radlab <version>"), Source,
 *         Description, "radlab settings digest", Creation Time (RFC 3339
 *         UTC; when the environment sets SOURCE_DATE_EPOCH that time is
 *         written, otherwise the chunk is left out in reproducible mode);
 *   .pdf  vector (cairo), the same provenance in the document information
 *         (Title, Creator, Subject = description, Keywords = source and
 *         digest, CreationDate);
 *   .svg  vector (SVG 1.1), the provenance as <title> and a <metadata>
 *         element.
 * Any other extension is an error; dpi is still checked for vector output
 * (text and lines are laid out the same at every dpi). */
int rad_figure_save(const RadFigure *fig, const char *path, double dpi, const RadPngMeta *meta);

/* Write n >= 1 figures as one PDF document (atomically), one page per
 * figure, each page its figure's size; the document information as
 * rad_figure_save writes for one figure (Title: meta->title, else the first
 * figure title; Subject: the first figure's description).  path must end in
 * .pdf (any case). */
int rad_figures_save_pdf(const RadFigure *const *figs, size_t n, const char *path, const RadPngMeta *meta);

/* ---- helpers for charts ---------------------------------------------------------- */

/* "Nice" tick positions covering [lo, hi] (about `target` ticks):
 * multiples of 1, 2, 2.5 or 5 x 10^k.  Returns the count (<= max). */
size_t rad_nice_ticks(double lo, double hi, int target, double *ticks, size_t max);
/* Format a number for a label: the fewest decimals that tell ticks of step
 * `step` apart (step 0: %.3g). */
void rad_format_tick(double v, double step, char *buf, size_t size);
/* Width and height (pt) of text ("\n" separates lines) in DejaVu Sans at
 * font_size pt, as the renderer will draw it (unhinted metrics). */
int rad_text_size(const char *text, double font_size, int bold, double *width, double *height);
/* Format a p value as journals do: "p < 0.001", "p = 0.012", "p = 0.43". */
void rad_format_p(double p, char *buf, size_t size);

/* Options every chart takes.  Zero / NULL fields mean "the chart's default". */
typedef struct RadChartOptions {
    double width, height;       /* mm */
    const char *title, *subtitle;
    const char *xlabel, *ylabel;
    RadLegendPos legend;        /* RAD_LEGEND_AUTO by default */
    int grid;                   /* 1: grid lines at the ticks */
} RadChartOptions;
void rad_chart_options_default(RadChartOptions *o);
/* A new figure of o's size (or default_w x default_h mm) with the title and
 * subtitle set and one axes filling it, given o's axis labels (or the
 * defaults xlabel / ylabel, which may be NULL), legend position and grid. */
RadFigure *rad_chart_begin(const RadChartOptions *o, double default_w, double default_h, const char *xlabel,
                           const char *ylabel, RadAxes **ax);

#endif
