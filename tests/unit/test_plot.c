/* radlab: tests of the plot layer (figure.c, render.c).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout boxes inside the image and apart from each other, data drawn at the
 * pixels the scales say, legends placed away from the data, tick and p-value
 * formatting, colours, and the PNG's chunks (IHDR size and depth, pHYs = dpi,
 * the provenance text) read back from the file byte by byte.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rad.h"
#include "tap.h"
#include "util/file.h"

static const RadLayoutBox *find_box(const RadLayoutBox *b, size_t n, const char *kind, int axes)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(b[i].kind, kind) == 0 && b[i].axes == axes)
            return &b[i];
    return NULL;
}

static int overlap(const RadLayoutBox *a, const RadLayoutBox *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Pixel (x, y) of an RGB buffer. */
static const uint8_t *px(const uint8_t *rgb, int w, int x, int y)
{
    return rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
}

static int is_white(const uint8_t *p)
{
    return p[0] > 245 && p[1] > 245 && p[2] > 245;
}

/* A figure like a KM plot: two steps, a legend, labels, a table. */
static RadFigure *km_like(void)
{
    RadFigure *f = rad_figure_new(120, 90);
    RadAxes *ax = rad_figure_add_axes(f, 0, 0, 1, 1);
    double x[5] = {0, 10, 20, 30, 40}, a[5] = {1, 0.9, 0.8, 0.7, 0.7}, b[5] = {1, 0.7, 0.5, 0.35, 0.3};
    RadStyle s0 = rad_style_line(0, 1.5), s1 = rad_style_line(1, 1.5);
    rad_figure_set_title(f, "A title", 0);
    rad_axes_step(ax, x, a, 5, &s0);
    rad_axes_step(ax, x, b, 5, &s1);
    rad_axes_set_xlim(ax, 0, 40);
    rad_axes_set_ylim(ax, 0, 1);
    rad_axes_set_xlabel(ax, "Time (months)");
    rad_axes_set_ylabel(ax, "Survival probability");
    rad_axes_add_legend(ax, "group A with a long name", &s0, RAD_LEGEND_KEY_LINE);
    rad_axes_add_legend(ax, "group B", &s1, RAD_LEGEND_KEY_LINE);
    const char *rows[2] = {"group A", "group B"};
    RadColor col[2] = {rad_palette(0), rad_palette(1)};
    double at[5] = {0, 10, 20, 30, 40};
    const char *cells[10] = {"100", "90", "80", "70", "60", "100", "70", "50", "35", "30"};
    rad_axes_table(ax, "Number at risk", rows, col, 2, at, 5, cells);
    return f;
}

static void test_layout(void)
{
    RadFigure *f = km_like();
    RadLayoutBox *b;
    size_t n;
    int W, H;
    tap_ok(rad_figure_layout(f, 150, &b, &n) == 0, "layout renders");
    rad_figure_pixels(f, 150, &W, &H);
    tap_ok(W == 709 && H == 531, "120 x 90 mm at 150 dpi is 709 x 531 px (got %d x %d)", W, H);
    int inside = 1;
    for (size_t i = 0; i < n; i++)
        if (b[i].x0 < 0 || b[i].y0 < 0 || b[i].x1 > W + 1e-9 || b[i].y1 > H + 1e-9) {
            inside = 0;
            tap_diag("box %s (%g %g %g %g) outside %d x %d", b[i].kind, b[i].x0, b[i].y0, b[i].x1, b[i].y1, W, H);
        }
    tap_ok(inside, "every layout box lies inside the image");
    const char *kinds[] = {"title", "plot", "xticks", "yticks", "xlabel", "ylabel", "legend", "table"};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        tap_ok(find_box(b, n, kinds[k], strcmp(kinds[k], "title") == 0 ? -1 : 0) != NULL, "layout has a %s box",
               kinds[k]);
    const RadLayoutBox *plot = find_box(b, n, "plot", 0), *leg = find_box(b, n, "legend", 0),
                       *xt = find_box(b, n, "xticks", 0), *yt = find_box(b, n, "yticks", 0),
                       *xl = find_box(b, n, "xlabel", 0), *yl = find_box(b, n, "ylabel", 0),
                       *tb = find_box(b, n, "table", 0), *ti = find_box(b, n, "title", -1);
    if (plot && leg && xt && yt && xl && yl && tb && ti) {
        tap_ok(!overlap(leg, xt) && !overlap(leg, yt), "legend clear of the tick labels");
        tap_ok(!overlap(xl, xt) && !overlap(xl, tb), "x label clear of the ticks and the table");
        tap_ok(!overlap(yl, yt), "y label clear of the y tick labels");
        tap_ok(!overlap(ti, plot), "title above the plot area");
        tap_ok(xt->y0 >= plot->y1 && tb->y0 >= xl->y1, "ticks under the plot, table under the x label");
        /* the curves pass through the top-right corner (0.8 at 20-30) and
         * leave the bottom-right empty (the lower curve ends at 0.3): the
         * legend goes there */
        tap_ok(leg->x1 <= plot->x1 && leg->y1 <= plot->y1 && leg->x0 > (plot->x0 + plot->x1) / 2 &&
                   leg->y0 > (plot->y0 + plot->y1) / 2,
               "legend placed in the empty bottom-right corner of the plot area");
    } else
        tap_skip(6, "boxes missing");
    free(b);

    /* pixel checks: the first step starts at the top-left corner of the plot */
    uint8_t *rgb;
    int w, h;
    tap_ok(rad_figure_render_rgb(f, 150, &rgb, &w, &h) == 0 && w == W && h == H, "renders RGB");
    rad_figure_layout(f, 150, &b, &n);
    plot = find_box(b, n, "plot", 0);
    int x0 = (int)ceil(plot->x0) + 2, y0 = (int)lround(plot->y0);
    const uint8_t *p = px(rgb, w, x0, y0);
    tap_ok(!is_white(p), "curve drawn at the top-left of the plot area (pixel %d,%d = %d,%d,%d)", x0, y0, p[0], p[1],
           p[2]);
    /* group B holds 0.35 on [30, 40): pixel at x = 35 in vermillion */
    double yy = plot->y1 - 0.35 * (plot->y1 - plot->y0), xx = plot->x0 + 35.0 / 40 * (plot->x1 - plot->x0);
    p = px(rgb, w, (int)lround(xx), (int)lround(yy));
    tap_ok(p[0] > 150 && p[2] < 100, "group B at (35, 0.35) drawn in vermillion (%d,%d,%d)", p[0], p[1], p[2]);
    /* the middle of the plot area under both curves is empty */
    p = px(rgb, w, (int)lround(xx), (int)lround(plot->y1 - 0.1 * (plot->y1 - plot->y0)));
    tap_ok(is_white(p), "empty plot area stays white");
    long dark = 0;
    for (int i = 0; i < w * h; i++)
        dark += rgb[3 * i] < 128;
    tap_ok(dark > 2000, "figure is not blank (%ld dark pixels)", dark);
    free(rgb);
    free(b);

    /* the same figure at 300 dpi: same layout, scaled */
    RadLayoutBox *b2;
    size_t n2;
    rad_figure_layout(f, 150, &b, &n);
    rad_figure_layout(f, 300, &b2, &n2);
    const RadLayoutBox *p1 = find_box(b, n, "plot", 0), *p2 = find_box(b2, n2, "plot", 0);
    tap_ok(n == n2 && p1 && p2 && fabs(p2->x0 - 2 * p1->x0) < 1e-6 && fabs(p2->y1 - 2 * p1->y1) < 1e-6,
           "300 dpi lays out exactly as 150 dpi, doubled");
    free(b);
    free(b2);
    rad_figure_free(f);
}

static void test_legend_outside(void)
{
    /* data everywhere: no inside corner is free, the legend moves right */
    RadFigure *f = rad_figure_new(100, 80);
    RadAxes *ax = rad_figure_add_axes(f, 0, 0, 1, 1);
    double x[400], y[400];
    for (int i = 0; i < 400; i++) {
        x[i] = (i % 20) / 19.0;
        y[i] = (i / 20) / 19.0;
    }
    RadStyle st = rad_style_line(0, 0);
    st.marker = RAD_MARKER_CIRCLE;
    rad_axes_points(ax, x, y, 400, &st);
    rad_axes_add_legend(ax, "points", &st, RAD_LEGEND_KEY_MARKER);
    RadLayoutBox *b;
    size_t n;
    rad_figure_layout(f, 100, &b, &n);
    const RadLayoutBox *plot = find_box(b, n, "plot", 0), *leg = find_box(b, n, "legend", 0);
    int W, H;
    rad_figure_pixels(f, 100, &W, &H);
    tap_ok(plot && leg && leg->x0 >= plot->x1 && leg->x1 <= W, "legend moved outside, right of a full plot area");
    free(b);
    rad_figure_free(f);
}

static void test_log_and_ticks(void)
{
    double t[64];
    size_t n = rad_nice_ticks(0, 1, 5, t, 64);
    tap_ok(n == 6 && t[0] == 0 && fabs(t[5] - 1) < 1e-12 && fabs(t[1] - 0.2) < 1e-12, "ticks 0..1: 0, 0.2, ..., 1");
    n = rad_nice_ticks(-3.7, 112, 6, t, 64);
    tap_ok(n == 6 && t[0] == 0 && t[5] == 100, "ticks -3.7..112: 0, 20, ..., 100 (n = %zu, %g..%g)", n, t[0],
           t[n - 1]);
    n = rad_nice_ticks(0, 7, 3, t, 64);
    tap_ok(n == 3 && t[1] == 2.5, "ticks 0..7 at 2.5 steps");
    char buf[32];
    rad_format_tick(0.2, 0.2, buf, sizeof buf);
    tap_ok(strcmp(buf, "0.2") == 0, "tick 0.2 prints as 0.2 (%s)", buf);
    rad_format_tick(100, 20, buf, sizeof buf);
    tap_ok(strcmp(buf, "100") == 0, "tick 100 prints as 100 (%s)", buf);
    rad_format_tick(-0.0, 0.5, buf, sizeof buf);
    tap_ok(strcmp(buf, "0.0") == 0, "negative zero prints unsigned (%s)", buf);
    rad_format_p(0.0004, buf, sizeof buf);
    tap_ok(strcmp(buf, "p < 0.001") == 0, "p < 0.001");
    rad_format_p(0.0123, buf, sizeof buf);
    tap_ok(strcmp(buf, "p = 0.012") == 0, "p = 0.012 (%s)", buf);
    rad_format_p(0.4321, buf, sizeof buf);
    tap_ok(strcmp(buf, "p = 0.43") == 0, "p = 0.43 (%s)", buf);

    /* log scale: a forest-like axis from 0.25 to 4 */
    RadFigure *f = rad_figure_new(100, 60);
    RadAxes *ax = rad_figure_add_axes(f, 0, 0, 1, 1);
    rad_axes_set_xscale(ax, RAD_SCALE_LOG);
    rad_axes_set_xlim(ax, 0.25, 4);
    RadStyle st = rad_style_line(7, 1);
    double x[2] = {1, 1}, y[2] = {0, 1};
    rad_axes_line(ax, x, y, 2, &st);
    rad_axes_set_frame(ax, 1);
    uint8_t *rgb;
    int w, h;
    RadLayoutBox *b;
    size_t n2;
    rad_figure_render_rgb(f, 150, &rgb, &w, &h);
    rad_figure_layout(f, 150, &b, &n2);
    const RadLayoutBox *plot = find_box(b, n2, "plot", 0);
    /* x = 1 is the geometric middle of [0.25, 4] */
    int xm = (int)lround((plot->x0 + plot->x1) / 2), ym = (int)lround((plot->y0 + plot->y1) / 2);
    const uint8_t *p = px(rgb, w, xm, ym);
    tap_ok(p[0] < 100 && p[1] < 100 && p[2] < 100, "log axis: x = 1 drawn at the middle of [0.25, 4] (%d,%d,%d)", p[0],
           p[1], p[2]);
    free(rgb);
    free(b);
    rad_axes_set_xlim(ax, -1, 4); /* non-positive fixed limit on a log axis: ignored, still renders */
    tap_ok(rad_figure_render_rgb(f, 72, &rgb, &w, &h) == 0, "log axis with a negative limit still renders");
    free(rgb);
    rad_figure_free(f);
}

static void test_rotated_ticks(void)
{
    RadFigure *f = rad_figure_new(80, 70);
    RadAxes *ax = rad_figure_add_axes(f, 0, 0, 1, 1);
    double at[4] = {1, 2, 3, 4}, y[4] = {1, 2, 3, 4};
    const char *lab[4] = {"first long name", "second long name", "third", "fourth long name"};
    RadStyle st = rad_style_line(0, 1);
    rad_axes_line(ax, at, y, 4, &st);
    rad_axes_set_xticks(ax, at, lab, 4);
    tap_ok(rad_axes_set_xtick_rotation(ax, 120) == -1 && strstr(rad_error_message(), "0 to 90"), "rotation 120 refused");
    tap_ok(rad_axes_set_xtick_rotation(ax, 90) == 0, "rotation 90 accepted");
    RadLayoutBox *b;
    size_t n;
    int W, H;
    rad_figure_layout(f, 150, &b, &n);
    rad_figure_pixels(f, 150, &W, &H);
    const RadLayoutBox *xt = find_box(b, n, "xticks", 0), *plot = find_box(b, n, "plot", 0);
    double tw, th;
    rad_text_size("second long name", 8, 0, &tw, &th);
    tap_ok(xt && plot && xt->y1 - xt->y0 >= tw * 150 / 72 && xt->y0 >= plot->y1,
           "upright labels hang under the axis as tall as the longest label (%g px)", tw * 150 / 72);
    tap_ok(xt && xt->x0 >= 0 && xt->y1 <= H, "upright labels inside the image");
    free(b);
    rad_figure_free(f);
}

static void test_colors(void)
{
    RadColor c;
    tap_ok(rad_color_parse("#0072B2", &c) == 0 && fabs(c.b - 178 / 255.0) < 1e-12 && c.a == 1, "hex colour");
    tap_ok(rad_color_parse("#ff000080", &c) == 0 && fabs(c.a - 128 / 255.0) < 1e-12, "hex colour with alpha");
    tap_ok(rad_color_parse("vermillion", &c) == 0 && fabs(c.r - 213 / 255.0) < 1e-12, "palette name");
    tap_ok(rad_color_parse("#12345", &c) == -1 && strstr(rad_error_message(), "#rrggbb"), "bad colour: %s",
           rad_error_message());
    RadColor v0 = rad_colormap(RAD_CMAP_VIRIDIS, 0), v1 = rad_colormap(RAD_CMAP_VIRIDIS, 1);
    tap_ok(v0.b > v0.g && v1.r > 0.9 && v1.b < 0.2, "viridis runs purple to yellow");
    RadColor d = rad_colormap(RAD_CMAP_DIVERGING, 0.5);
    tap_ok(d.r > 0.95 && d.g > 0.95 && d.b > 0.95, "diverging map is white at the centre");
    tap_ok(rad_colormap(RAD_CMAP_GREY, NAN).a == 0, "NaN maps to transparent");
    RadColormap m;
    tap_ok(rad_colormap_parse("jet", &m) == -1 && strstr(rad_error_message(), "viridis"), "unknown map named");
}

/* Read a PNG's chunks: IHDR size/depth/colour type, pHYs, tEXt key=value. */
typedef struct PngInfo {
    unsigned w, h, depth, ctype, ppm;
    char text[16][2][256];
    int ntext;
} PngInfo;

static unsigned be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* s occurs in the len bytes at p (which may hold NULs: a PDF). */
static int has_bytes(const char *p, size_t len, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(p + i, s, n) == 0)
            return 1;
    return 0;
}

static int read_png_info(const char *path, PngInfo *info)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    unsigned char sig[8], hdr[8];
    memset(info, 0, sizeof *info);
    if (fread(sig, 1, 8, fp) != 8 || memcmp(sig, "\x89PNG\r\n\x1a\n", 8) != 0) {
        fclose(fp);
        return -1;
    }
    while (fread(hdr, 1, 8, fp) == 8) {
        unsigned len = be32(hdr);
        unsigned char *d = malloc(len + 4);
        if (!d || fread(d, 1, len + 4, fp) != len + 4) {
            free(d);
            break;
        }
        if (memcmp(hdr + 4, "IHDR", 4) == 0) {
            info->w = be32(d);
            info->h = be32(d + 4);
            info->depth = d[8];
            info->ctype = d[9];
        } else if (memcmp(hdr + 4, "pHYs", 4) == 0)
            info->ppm = be32(d);
        else if (memcmp(hdr + 4, "tEXt", 4) == 0 && info->ntext < 16) {
            size_t k = strnlen((char *)d, len);
            snprintf(info->text[info->ntext][0], 256, "%.*s", (int)k, (char *)d);
            snprintf(info->text[info->ntext][1], 256, "%.*s", (int)(len - k - 1), (char *)d + k + 1);
            info->ntext++;
        }
        free(d);
        if (memcmp(hdr + 4, "IEND", 4) == 0)
            break;
    }
    fclose(fp);
    return 0;
}

static const char *png_text(const PngInfo *info, const char *key)
{
    for (int i = 0; i < info->ntext; i++)
        if (strcmp(info->text[i][0], key) == 0)
            return info->text[i][1];
    return NULL;
}

static void test_png(void)
{
    char dir[] = "/tmp/radlab-plot-XXXXXX";
    if (!mkdtemp(dir)) {
        tap_skip(12, "no temporary directory");
        return;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/km.png", dir);
    RadFigure *f = km_like();
    rad_figure_set_description(f, "test figure");
    rad_figure_set_digest(f, "0123abcd");
    RadPngMeta meta = {"radlab study.lua", NULL, NULL, 1};
    tap_ok(rad_figure_save(f, path, 300, &meta) == 0, "saved at 300 dpi");
    PngInfo info;
    tap_ok(read_png_info(path, &info) == 0, "PNG reads back");
    tap_ok(info.w == 1417 && info.h == 1063, "size 120 x 90 mm at 300 dpi = 1417 x 1063 (got %u x %u)", info.w, info.h);
    tap_ok(info.depth == 8 && info.ctype == 2, "8-bit RGB (depth %u, colour type %u)", info.depth, info.ctype);
    tap_ok(info.ppm == 11811, "pHYs 11811 px/m = 300 dpi (got %u)", info.ppm);
    const char *v;
    tap_ok((v = png_text(&info, "Title")) && strcmp(v, "A title") == 0, "Title chunk");
    tap_ok((v = png_text(&info, "Software")) && strcmp(v, "radlab " RAD_VERSION) == 0, "Software chunk");
    tap_ok((v = png_text(&info, "Source")) && strcmp(v, "radlab study.lua") == 0, "Source chunk");
    tap_ok((v = png_text(&info, "Description")) && strcmp(v, "test figure") == 0, "Description chunk");
    tap_ok((v = png_text(&info, "radlab settings digest")) && strcmp(v, "0123abcd") == 0, "digest chunk");
    tap_ok(png_text(&info, "Creation Time") == NULL || getenv("SOURCE_DATE_EPOCH"),
           "reproducible mode: no Creation Time chunk");
    meta.reproducible = 0;
    rad_figure_save(f, path, 100, &meta);
    read_png_info(path, &info);
    v = png_text(&info, "Creation Time");
    tap_ok(v && strlen(v) == 20 && v[4] == '-' && v[10] == 'T' && v[19] == 'Z', "Creation Time is RFC 3339 UTC (%s)",
           v ? v : "none");

    /* errors: dpi, size, unwritable path; nothing left behind */
    tap_ok(rad_figure_save(f, path, 5000, NULL) == -1 && strstr(rad_error_message(), "dpi"), "dpi 5000: %s",
           rad_error_message());
    char bad[600];
    snprintf(bad, sizeof bad, "%s/no/such/dir/x.png", dir);
    tap_ok(rad_figure_save(f, bad, 100, NULL) == -1, "unwritable path fails: %s", rad_error_message());
    tap_ok(rad_figure_new(5, 50) == NULL && strstr(rad_error_message(), "10 to 2000"), "too small a figure: %s",
           rad_error_message());

    /* vector output by extension, with the provenance; other extensions refused */
    char vec[600];
    size_t len;
    char *doc;
    meta.reproducible = 1;
    snprintf(vec, sizeof vec, "%s/km.pdf", dir);
    tap_ok(rad_figure_save(f, vec, 300, &meta) == 0, "saved as PDF");
    doc = rad_file_slurp(vec, &len);
    tap_ok(doc && len > 4 && memcmp(doc, "%PDF", 4) == 0, "a .pdf file is a PDF (%zu bytes)", doc ? len : 0);
    tap_ok(doc && has_bytes(doc, len, "/Creator (radlab " RAD_VERSION ")") && has_bytes(doc, len, "/Title (A title)") &&
               has_bytes(doc, len, "/Subject (test figure)") &&
               has_bytes(doc, len, "/Keywords (source: radlab study.lua; radlab settings digest: 0123abcd)"),
           "PDF document information: Creator, Title, Subject, source and digest");
    tap_ok(doc && (!has_bytes(doc, len, "/CreationDate") || getenv("SOURCE_DATE_EPOCH")),
           "reproducible PDF: no CreationDate");
    free(doc);
    remove(vec);
    snprintf(vec, sizeof vec, "%s/km.Svg", dir);
    tap_ok(rad_figure_save(f, vec, 300, &meta) == 0, "saved as SVG (extension in any case)");
    doc = rad_file_slurp(vec, &len);
    tap_ok(doc && strstr(doc, "<svg") && strstr(doc, "<title>A title</title>") &&
               strstr(doc, "<metadata><radlab software=\"radlab " RAD_VERSION "\" source=\"radlab study.lua\" "
                           "description=\"test figure\" digest=\"0123abcd\"/></metadata>") &&
               !strstr(doc, "created="),
           "SVG with <title> and <metadata> (no time in reproducible mode)");
    free(doc);
    remove(vec);
    snprintf(vec, sizeof vec, "%s/km.jpg", dir);
    tap_ok(rad_figure_save(f, vec, 300, &meta) == -1 && strstr(rad_error_message(), "must end in .png, .pdf or .svg") &&
               access(vec, F_OK) != 0,
           "unknown extension refused, nothing written: %s", rad_error_message());
    snprintf(vec, sizeof vec, "%s/km", dir);
    tap_ok(rad_figure_save(f, vec, 300, &meta) == -1 && strstr(rad_error_message(), "no extension"),
           "no extension refused: %s", rad_error_message());
    RadAxes *ax = rad_figure_axes(f, 0);
    tap_ok(rad_axes_colorbar(ax, RAD_CMAP_VIRIDIS, 1, 1, NULL) == -1, "empty colour bar range refused");
    remove(path);
    rmdir(dir);
    rad_figure_free(f);
}

static void test_page_and_copy(void)
{
    RadFigure *a = km_like(), *page = rad_figure_new(180, 80);
    rad_figure_set_title(page, "Report", 14);
    tap_ok(rad_figure_add_figure(page, a, 0, 0, 0.5, 1) == 0 && rad_figure_add_figure(page, a, 0.5, 0, 1, 1) == 0,
           "two figures on a page");
    rad_figure_free(a); /* the page holds copies */
    RadLayoutBox *b;
    size_t n;
    tap_ok(rad_figure_layout(page, 150, &b, &n) == 0, "page renders after its children were freed");
    const RadLayoutBox *p0 = find_box(b, n, "plot", 0), *p1 = find_box(b, n, "plot", 1);
    tap_ok(p0 && p1 && p0->x1 < p1->x0, "the two plots sit side by side");
    free(b);
    tap_ok(rad_figure_add_figure(page, page, 0, 0, 1, 1) == -1, "a page cannot contain itself");
    tap_ok(rad_figure_add_figure(page, page, 0.5, 0, 0.2, 1) == -1 && strstr(rad_error_message(), "fractions"),
           "bad cell named");
    RadFigure *c = rad_figure_copy(page);
    tap_ok(c && rad_figure_layout(c, 100, &b, &n) == 0, "a deep copy renders");
    free(b);
    rad_figure_free(c);
    rad_figure_free(page);

    /* an empty figure and empty axes render without data */
    RadFigure *e = rad_figure_new(50, 40);
    rad_figure_add_axes(e, 0, 0, 1, 1);
    uint8_t *rgb;
    int w, h;
    tap_ok(rad_figure_render_rgb(e, 100, &rgb, &w, &h) == 0, "empty axes render");
    free(rgb);
    rad_figure_free(e);
}

int main(void)
{
    test_layout();
    test_legend_outside();
    test_log_and_ticks();
    test_rotated_ticks();
    test_colors();
    test_png();
    test_page_and_copy();
    return tap_done();
}
