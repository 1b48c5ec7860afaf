/* radlab: image views.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Views of an image and its mask for teaching and quality assurance: a
 * slice through a window with the mask's contour or fill, a montage of the
 * slices through the ROI, a feature map with a colour bar, and the ROI
 * intensity histogram with the discretisation bin edges.
 *
 * Orientation.  Views follow the radiological display convention (as in
 * DICOM PS3.3 C.7.6.2.1.1 and every PACS): the viewer faces the patient.
 *   axial:    patient left on image right, anterior up (seen from the feet);
 *   coronal:  patient left on image right, superior up;
 *   sagittal: anterior on image left, superior up.
 * The image axis that points most nearly along each world (LPS) axis is
 * chosen and flipped as needed, so an oblique acquisition is shown in its
 * nearest standard orientation; a 2D image is shown as stored (row 1 at
 * the top, as a PNG).  Slice numbers are 1-based voxel indices along the
 * image axis that is the view's normal, "k/n".
 *
 * Geometry.  Each panel's data coordinates are millimetres from the image
 * corner, the voxel rectangle spanning its physical size, with equal axis
 * scales, so anisotropic voxels are not stretched.  There is no axis frame;
 * a scale bar (a round length near a fifth of the panel width) sits in the
 * bottom-right corner on a dark translucent box, readable on any tissue.
 *
 * Window.  Grey = (value - (L - W/2)) / W, clamped to black and white.
 * CT presets (level/width, HU) as tabulated by Radiopaedia, "Windowing
 * (CT)": soft tissue L40/W400, lung L-600/W1500, bone L400/W1800, brain
 * L40/W80.  The automatic window spans the 1st to 99th percentile of the ROI
 * voxels in the slice (whole ROI for a montage), else of the slice, so a few
 * extreme voxels (metal, air) do not wash out the tissue.
 *
 * Mask.  The contour is drawn on the voxel edges between ROI and non-ROI
 * voxels (so it is exact and crisp at any dpi); the fill blends the colour
 * into the voxels with opacity alpha.  Non-finite voxels are left blank
 * (white) and counted in a note.
 *
 * Histogram.  rad_roi_prepare runs the same preprocessing as rad_extract,
 * so the histogram shows the intensity mask (after resampling and
 * re-segmentation) and the bin edges are disc_min + k * disc_width, k = 0..Ng
 * (IBSI 2.7: FBN K15C, FBS Q3RU, as in src/features/preprocess.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "plot/charts.h"

#define MM_PER_PT (25.4 / 72.0)
#define MONTAGE_MAX 60

/* ---- option parsing --------------------------------------------------------- */

int rad_view_parse(const char *s, RadView *v)
{
    if (s && strcmp(s, "axial") == 0)
        *v = RAD_VIEW_AXIAL;
    else if (s && strcmp(s, "coronal") == 0)
        *v = RAD_VIEW_CORONAL;
    else if (s && strcmp(s, "sagittal") == 0)
        *v = RAD_VIEW_SAGITTAL;
    else
        return rad_error_set("axis must be \"axial\", \"coronal\" or \"sagittal\", got \"%s\"", s ? s : "(null)");
    return 0;
}

int rad_overlay_parse(const char *s, RadOverlay *ov)
{
    if (s && strcmp(s, "contour") == 0)
        *ov = RAD_OVERLAY_CONTOUR;
    else if (s && strcmp(s, "fill") == 0)
        *ov = RAD_OVERLAY_FILL;
    else if (s && strcmp(s, "none") == 0)
        *ov = RAD_OVERLAY_NONE;
    else
        return rad_error_set("overlay must be \"contour\", \"fill\" or \"none\", got \"%s\"", s ? s : "(null)");
    return 0;
}

int rad_window_preset(const char *name, double *level, double *width)
{
    static const struct {
        const char *name;
        double level, width;
    } presets[] = {{"soft", 40, 400}, {"lung", -600, 1500}, {"bone", 400, 1800}, {"brain", 40, 80}};
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (name && strcmp(name, presets[i].name) == 0) {
            *level = presets[i].level;
            *width = presets[i].width;
            return 0;
        }
    return rad_error_set("window must be {level, width} or one of \"soft\" (L40/W400), \"lung\" (L-600/W1500), "
                         "\"bone\" (L400/W1800), \"brain\" (L40/W80), \"auto\"; got \"%s\"",
                         name ? name : "(null)");
}

void rad_slice_options_default(RadSliceOptions *so)
{
    memset(so, 0, sizeof *so);
    so->view = RAD_VIEW_AXIAL;
    so->index = -1;
    so->width = 0;
    so->overlay = RAD_OVERLAY_CONTOUR;
    so->color = rad_rgba(0, 0, 0, 0);
    so->alpha = 0.35;
}

void rad_montage_options_default(RadMontageOptions *mo)
{
    memset(mo, 0, sizeof *mo);
    rad_slice_options_default(&mo->slice);
    mo->crop = 1;
}

void rad_map_options_default(RadMapOptions *mp)
{
    memset(mp, 0, sizeof *mp);
    rad_slice_options_default(&mp->slice);
    mp->slice.overlay = RAD_OVERLAY_NONE;
    mp->cmap = RAD_CMAP_VIRIDIS;
    mp->lo = NAN;
    mp->hi = NAN;
    mp->alpha = 0.8;
}

static const char *view_name(RadView v)
{
    return v == RAD_VIEW_CORONAL ? "coronal" : v == RAD_VIEW_SAGITTAL ? "sagittal" : "axial";
}

/* ---- the view: display pixel (u, v) of slice s -> voxel ------------------------ */

typedef struct View {
    int axu, axv, axn;     /* index axes shown left-right, top-down, and the normal */
    int flipu, flipv;
    size_t nu, nv, ns;     /* sizes along them */
    double su, sv;         /* pixel spacing, mm */
    size_t stride[3];      /* voxel strides of index axes */
} View;

static int view_make(const RadGeometry *g, RadView which, View *vw)
{
    int axu = 0, axv = 1, axn = 2, flipu = 0, flipv = 0;
    if (g->ndim == 2) {
        if (which != RAD_VIEW_AXIAL)
            return rad_error_set("a 2D image has a single plane: leave axis out (or use \"axial\"), not \"%s\"",
                                 view_name(which));
    } else {
        /* dominant world axis and sign of each index axis */
        int sgn[3], inv[3] = {-1, -1, -1}, perm = 1;
        for (int c = 0; c < 3; c++) {
            int best = 0;
            for (int w = 1; w < 3; w++)
                if (fabs(g->direction[w * 3 + c]) > fabs(g->direction[best * 3 + c]))
                    best = w;
            sgn[c] = g->direction[best * 3 + c] < 0 ? -1 : 1;
            if (inv[best] >= 0)
                perm = 0;
            inv[best] = c;
        }
        if (!perm)
            for (int c = 0; c < 3; c++) {
                sgn[c] = 1;
                inv[c] = c;
            }
        /* world axis (LPS) and wanted sign for right and down, per view */
        int wu, su, wv, sv, wn;
        if (which == RAD_VIEW_AXIAL) {
            wu = 0, su = 1, wv = 1, sv = 1, wn = 2; /* left to the right, posterior down */
        } else if (which == RAD_VIEW_CORONAL) {
            wu = 0, su = 1, wv = 2, sv = -1, wn = 1; /* left to the right, superior up */
        } else {
            wu = 1, su = 1, wv = 2, sv = -1, wn = 0; /* posterior to the right, superior up */
        }
        axu = inv[wu];
        axv = inv[wv];
        axn = inv[wn];
        flipu = sgn[axu] != su;
        flipv = sgn[axv] != sv;
    }
    vw->axu = axu;
    vw->axv = axv;
    vw->axn = axn;
    vw->flipu = flipu;
    vw->flipv = flipv;
    vw->nu = g->dim[axu];
    vw->nv = g->dim[axv];
    vw->ns = g->dim[axn];
    vw->su = g->spacing[axu];
    vw->sv = g->spacing[axv];
    vw->stride[0] = 1;
    vw->stride[1] = g->dim[0];
    vw->stride[2] = g->dim[0] * g->dim[1];
    return 0;
}

static inline size_t view_voxel(const View *vw, size_t u, size_t v, size_t s)
{
    size_t iu = vw->flipu ? vw->nu - 1 - u : u, iv = vw->flipv ? vw->nv - 1 - v : v;
    return iu * vw->stride[vw->axu] + iv * vw->stride[vw->axv] + s * vw->stride[vw->axn];
}

/* ---- helpers --------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* 1st and 99th percentiles of v[0..n-1] (sorted in place); n >= 1. */
static void percentiles(double *v, size_t n, double *lo, double *hi)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t a = (size_t)floor(0.01 * (double)(n - 1) + 0.5), b = (size_t)floor(0.99 * (double)(n - 1) + 0.5);
    *lo = v[a];
    *hi = v[b];
    if (!(*hi > *lo)) {
        double d = *lo == 0 ? 1 : fabs(*lo) * 0.05;
        *lo -= d;
        *hi += d;
    }
}

/* An automatic window over the finite voxels of the slices [s0, s1] (ROI
 * voxels when the mask has any there). */
static int auto_window(const RadImage *img, const RadMask *mask, const View *vw, size_t s0, size_t s1,
                       double *level, double *width)
{
    size_t per = vw->nu * vw->nv, cap = per * (s1 - s0 + 1), n = 0;
    double *v = rad_malloc((cap ? cap : 1) * sizeof *v, "window percentiles");
    if (!v)
        return -1;
    for (int pass = 0; pass < 2 && n == 0; pass++) {
        int roi = pass == 0 && mask;
        if (pass == 0 && !mask)
            continue;
        for (size_t s = s0; s <= s1; s++)
            for (size_t q = 0; q < per; q++) {
                size_t vox = view_voxel(vw, q % vw->nu, q / vw->nu, s);
                double x = img->data[vox];
                if (isfinite(x) && (!roi || rad_mask_in(mask, vox)))
                    v[n++] = x;
            }
    }
    double lo = 0, hi = 1;
    if (n > 0)
        percentiles(v, n, &lo, &hi);
    free(v);
    *level = (lo + hi) / 2;
    *width = hi - lo;
    return 0;
}

static uint8_t to_byte(double t)
{
    return (uint8_t)(t <= 0 ? 0 : t >= 1 ? 255 : floor(t * 255 + 0.5));
}

/* The windowed grey RGBA of slice s over the display window [u0, u1) x [v0, v1);
 * non-finite voxels transparent (counted in *nonfinite). */
static uint8_t *slice_rgba(const RadImage *img, const View *vw, size_t s, size_t u0, size_t u1, size_t v0, size_t v1,
                           double level, double width, size_t *nonfinite)
{
    size_t w = u1 - u0, h = v1 - v0;
    uint8_t *px = rad_malloc(w * h * 4, "slice pixels");
    if (!px)
        return NULL;
    double lo = level - width / 2;
    for (size_t v = v0; v < v1; v++)
        for (size_t u = u0; u < u1; u++) {
            double x = img->data[view_voxel(vw, u, v, s)];
            uint8_t *p = px + ((v - v0) * w + (u - u0)) * 4;
            if (!isfinite(x)) {
                p[0] = p[1] = p[2] = 255;
                p[3] = 0;
                (*nonfinite)++;
                continue;
            }
            p[0] = p[1] = p[2] = to_byte((x - lo) / width);
            p[3] = 255;
        }
    return px;
}

static void blend(uint8_t *p, RadColor c, double a)
{
    p[0] = to_byte((1 - a) * p[0] / 255.0 + a * c.r);
    p[1] = to_byte((1 - a) * p[1] / 255.0 + a * c.g);
    p[2] = to_byte((1 - a) * p[2] / 255.0 + a * c.b);
    p[3] = 255;
}

static int in_roi(const RadMask *m, const View *vw, size_t u, size_t v, size_t s, size_t u0, size_t u1, size_t v0,
                  size_t v1)
{
    if (u < u0 || u >= u1 || v < v0 || v >= v1)
        return 0;
    return rad_mask_in(m, view_voxel(vw, u, v, s));
}

/* Contour of the ROI in slice s within the window: voxel edges between ROI
 * and non-ROI voxels, collinear runs merged into one segment.  Coordinates
 * in mm from the window's corner.  Returns the number of ROI voxels seen. */
static long draw_contour(RadAxes *ax, const RadMask *m, const View *vw, size_t s, size_t u0, size_t u1, size_t v0,
                         size_t v1, const RadStyle *st)
{
    size_t w = u1 - u0, h = v1 - v0, cap = 64, n = 0;
    double *seg = rad_malloc(cap * 4 * sizeof *seg, "contour");
    long count = 0;
    if (!seg)
        return -1;
#define PUSH(a, b, c, d)                                                                  \
    do {                                                                                  \
        if (n == cap) {                                                                   \
            double *t = realloc(seg, cap * 2 * 4 * sizeof *seg);                          \
            if (!t) {                                                                     \
                free(seg);                                                                \
                return rad_error_set("out of memory (contour segments)");                 \
            }                                                                             \
            seg = t;                                                                      \
            cap *= 2;                                                                     \
        }                                                                                 \
        seg[4 * n] = (a), seg[4 * n + 1] = (b), seg[4 * n + 2] = (c), seg[4 * n + 3] = (d); \
        n++;                                                                              \
    } while (0)
    for (size_t v = v0; v < v1; v++)
        for (size_t u = u0; u < u1; u++)
            count += in_roi(m, vw, u, v, s, u0, u1, v0, v1);
    /* vertical edges at x = k (k = 0..w), runs along v */
    for (size_t k = 0; k <= w; k++) {
        long start = -1;
        for (size_t j = 0; j <= h; j++) {
            int edge = 0;
            if (j < h) {
                size_t u = u0 + k, v = v0 + j;
                int a = k > 0 && in_roi(m, vw, u - 1, v, s, u0, u1, v0, v1);
                int b = in_roi(m, vw, u, v, s, u0, u1, v0, v1);
                edge = a != b;
            }
            if (edge && start < 0)
                start = (long)j;
            if (!edge && start >= 0) {
                PUSH((double)k * vw->su, (double)start * vw->sv, (double)k * vw->su, (double)j * vw->sv);
                start = -1;
            }
        }
    }
    /* horizontal edges at y = k (k = 0..h), runs along u */
    for (size_t k = 0; k <= h; k++) {
        long start = -1;
        for (size_t i = 0; i <= w; i++) {
            int edge = 0;
            if (i < w) {
                size_t u = u0 + i, v = v0 + k;
                int a = k > 0 && in_roi(m, vw, u, v - 1, s, u0, u1, v0, v1);
                int b = in_roi(m, vw, u, v, s, u0, u1, v0, v1);
                edge = a != b;
            }
            if (edge && start < 0)
                start = (long)i;
            if (!edge && start >= 0) {
                PUSH((double)start * vw->su, (double)k * vw->sv, (double)i * vw->su, (double)k * vw->sv);
                start = -1;
            }
        }
    }
#undef PUSH
    int rc = 0;
    if (n > 0) {
        double *x0 = rad_malloc(n * 4 * sizeof *x0, "contour");
        if (!x0) {
            free(seg);
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            x0[i] = seg[4 * i];
            x0[n + i] = seg[4 * i + 1];
            x0[2 * n + i] = seg[4 * i + 2];
            x0[3 * n + i] = seg[4 * i + 3];
        }
        rc = rad_axes_segments(ax, x0, x0 + n, x0 + 2 * n, x0 + 3 * n, n, st);
        free(x0);
    }
    free(seg);
    return rc != 0 ? -1 : count;
}

/* A round length near a fifth of `extent` mm: 1, 2 or 5 x 10^k. */
static double scale_length(double extent)
{
    double target = extent / 5, p = pow(10, floor(log10(target))), best = p;
    static const double m[] = {1, 2, 5, 10};
    for (int i = 0; i < 4; i++)
        if (m[i] * p <= target * 1.5)
            best = m[i] * p;
    return best;
}

/* A scale bar in the bottom-right corner of an image W x H mm drawn at
 * `k` data mm per paper mm: white bar and label on a dark translucent box. */
static int draw_scale_bar(RadAxes *ax, double W, double H, double k)
{
    double len = scale_length(W), fs = 6.5;
    char label[32];
    snprintf(label, sizeof label, "%g mm", len);
    double tw, th;
    if (rad_text_size(label, fs, 0, &tw, &th) != 0)
        return -1;
    tw *= MM_PER_PT * k;
    th *= MM_PER_PT * k;
    double pad = 1.0 * k, bar = 0.6 * k;
    double boxw = fmax(len, tw) + 2 * pad, boxh = th + bar + 3 * pad;
    if (boxw > W * 0.9 || boxh > H * 0.5)
        return 0; /* too small a panel for a readable bar */
    double x1 = W - pad, y1 = H - pad, x0 = x1 - boxw, y0 = y1 - boxh;
    RadStyle bg = rad_style_default();
    bg.line_width = 0;
    bg.fill = rad_rgba(0, 0, 0, 0.55);
    RadStyle br = bg;
    br.fill = rad_rgb(1, 1, 1);
    RadStyle tx = rad_style_default();
    tx.color = rad_rgb(1, 1, 1);
    tx.font_size = fs;
    tx.halign = RAD_HALIGN_CENTER;
    tx.valign = RAD_VALIGN_TOP;
    double cx = (x0 + x1) / 2;
    if (rad_axes_rect(ax, x0, y0, x1, y1, &bg) != 0 ||
        rad_axes_rect(ax, cx - len / 2, y1 - pad - bar, cx + len / 2, y1 - pad, &br) != 0 ||
        rad_axes_text(ax, cx, y0 + pad, label, &tx) != 0)
        return -1;
    return 0;
}

/* Set up an image panel: W x H mm, equal, tight, no frame, y down. */
static void panel_setup(RadAxes *ax, double W, double H)
{
    rad_axes_set_frame(ax, 0);
    rad_axes_set_equal(ax, 1);
    rad_axes_set_tight(ax, 1);
    rad_axes_set_yreverse(ax, 1);
    rad_axes_set_xlim(ax, 0, W);
    rad_axes_set_ylim(ax, 0, H);
    rad_axes_set_legend(ax, RAD_LEGEND_NONE);
}

static RadColor overlay_color(const RadSliceOptions *so)
{
    return so->color.a > 0 ? so->color : rad_palette(1);
}

static int check_window(double level, double width)
{
    if (!isfinite(level) || !(width > 0) || !isfinite(width))
        return rad_error_set("window needs a finite level and a width > 0, got level %g, width %g", level, width);
    return 0;
}

/* Slice index: given, else the ROI's centre slice, else the middle. */
static int pick_slice(const RadMask *mask, const View *vw, long index, size_t *s)
{
    if (index >= 0) {
        if ((size_t)index >= vw->ns)
            return rad_error_set("slice index %ld is outside 1..%zu", index + 1, vw->ns);
        *s = (size_t)index;
        return 0;
    }
    *s = vw->ns / 2;
    if (mask) {
        double sum = 0;
        size_t n = 0, nvox = rad_mask_nvox(mask);
        size_t stn = vw->stride[vw->axn];
        for (size_t v = 0; v < nvox; v++)
            if (rad_mask_in(mask, v)) {
                sum += (double)(v / stn % vw->ns);
                n++;
            }
        if (n > 0)
            *s = (size_t)floor(sum / (double)n + 0.5);
    }
    return 0;
}

/* ---- rad_chart_slice ------------------------------------------------------------- */

/* The grey slice, overlay and scale bar into ax over window [u0,u1) x [v0,v1).
 * Returns the number of ROI voxels in it, or -1. */
static long draw_slice(RadAxes *ax, const RadImage *img, const RadMask *mask, const View *vw, size_t s, size_t u0,
                       size_t u1, size_t v0, size_t v1, const RadSliceOptions *so, double level, double width,
                       double k, int scalebar, size_t *nonfinite)
{
    size_t w = u1 - u0, h = v1 - v0;
    double W = (double)w * vw->su, H = (double)h * vw->sv;
    uint8_t *px = slice_rgba(img, vw, s, u0, u1, v0, v1, level, width, nonfinite);
    if (!px)
        return -1;
    long nroi = 0;
    RadColor col = overlay_color(so);
    if (mask && so->overlay == RAD_OVERLAY_FILL)
        for (size_t v = v0; v < v1; v++)
            for (size_t u = u0; u < u1; u++)
                if (rad_mask_in(mask, view_voxel(vw, u, v, s))) {
                    blend(px + ((v - v0) * w + (u - u0)) * 4, col, so->alpha);
                    nroi++;
                }
    int rc = rad_axes_image(ax, px, w, h, 0, 0, W, H);
    free(px);
    if (rc != 0)
        return -1;
    panel_setup(ax, W, H);
    if (mask && so->overlay == RAD_OVERLAY_CONTOUR) {
        RadStyle st = rad_style_default();
        st.color = col;
        st.line_width = 1.0;
        nroi = draw_contour(ax, mask, vw, s, u0, u1, v0, v1, &st);
        if (nroi < 0)
            return -1;
    } else if (mask && so->overlay == RAD_OVERLAY_NONE) {
        for (size_t v = v0; v < v1; v++)
            for (size_t u = u0; u < u1; u++)
                nroi += rad_mask_in(mask, view_voxel(vw, u, v, s));
    }
    if (scalebar && draw_scale_bar(ax, W, H, k) != 0)
        return -1;
    return nroi;
}

static void window_text(double level, double width, char *buf, size_t n)
{
    snprintf(buf, n, "window L%g/W%g", level, width);
}

/* Sizes of a single-image figure of data W x H mm at width fw: the height
 * that fits the image without waste (title band included). */
static double fit_height(double fw, double W, double H, double extra_w, int has_title, int has_subtitle)
{
    double head = (has_title ? 8 : 0) + (has_subtitle ? 5 : 0) + 3;
    double h = (fw - extra_w - 4) * H / W + head;
    return fmin(fmax(h, 30), 3 * fw);
}

RadFigure *rad_chart_slice(const RadImage *img, const RadMask *mask, const RadSliceOptions *so,
                           const RadChartOptions *o)
{
    RadSliceOptions dso;
    RadChartOptions dopt;
    if (!so) {
        rad_slice_options_default(&dso);
        so = &dso;
    }
    if (!o) {
        rad_chart_options_default(&dopt);
        o = &dopt;
    }
    if (!img || rad_image_nvox(img) == 0)
        return rad_error_set("no image given"), NULL;
    if (mask && rad_check_same_geometry(img, mask, RAD_GEOMETRY_TOL) != 0)
        return NULL;
    View vw;
    size_t s;
    if (view_make(&img->geom, so->view, &vw) != 0 || pick_slice(mask, &vw, so->index, &s) != 0)
        return NULL;
    double level = so->level, width = so->width;
    int autow = !(width > 0);
    if (autow && auto_window(img, mask, &vw, s, s, &level, &width) != 0)
        return NULL;
    if (check_window(level, width) != 0)
        return NULL;

    char title[96];
    snprintf(title, sizeof title, "%s slice %zu/%zu", view_name(so->view), s + 1, vw.ns);
    double W = (double)vw.nu * vw.su, H = (double)vw.nv * vw.sv;
    double fw = o->width > 0 ? o->width : 85;
    RadChartOptions oo = *o;
    oo.title = o->title ? o->title : title;
    oo.width = fw;
    oo.height = o->height > 0 ? o->height : fit_height(fw, W, H, 0, 1, o->subtitle != NULL);
    RadAxes *ax;
    RadFigure *fig = rad_chart_begin(&oo, fw, oo.height, NULL, NULL, &ax);
    if (!fig)
        return NULL;
    double pw = fw - 4, ph = oo.height - 11 - (o->subtitle ? 5 : 0);
    double k = fmax(W / pw, H / fmax(ph, 5));
    size_t nonfinite = 0;
    long nroi = draw_slice(ax, img, mask, &vw, s, 0, vw.nu, 0, vw.nv, so, level, width, k, 1, &nonfinite);
    if (nroi < 0) {
        rad_figure_free(fig);
        return NULL;
    }
    char win[64], desc[256];
    window_text(level, width, win, sizeof win);
    if (mask)
        snprintf(desc, sizeof desc, "%s slice %zu/%zu of %zux%zu at %gx%g mm, %s%s, ROI %ld voxels in slice",
                 view_name(so->view), s + 1, vw.ns, vw.nu, vw.nv, vw.su, vw.sv, win, autow ? " (auto)" : "", nroi);
    else
        snprintf(desc, sizeof desc, "%s slice %zu/%zu of %zux%zu at %gx%g mm, %s%s", view_name(so->view), s + 1,
                 vw.ns, vw.nu, vw.nv, vw.su, vw.sv, win, autow ? " (auto)" : "");
    rad_figure_set_description(fig, desc);
    if (nonfinite)
        rad_figure_add_note(fig, "%zu non-finite voxels in the slice left blank", nonfinite);
    if (mask && nroi == 0)
        rad_figure_add_note(fig, "the mask has no voxels in slice %zu (its ROI lies in other slices)", s + 1);
    return fig;
}

/* ---- rad_chart_montage ------------------------------------------------------------- */

RadFigure *rad_chart_montage(const RadImage *img, const RadMask *mask, const RadMontageOptions *mo,
                             const RadChartOptions *o)
{
    RadMontageOptions dmo;
    RadChartOptions dopt;
    if (!mo) {
        rad_montage_options_default(&dmo);
        mo = &dmo;
    }
    if (!o) {
        rad_chart_options_default(&dopt);
        o = &dopt;
    }
    if (!img || !mask)
        return rad_error_set("give an image and a mask (the montage shows the slices through the ROI)"),
               NULL;
    if (rad_check_same_geometry(img, mask, RAD_GEOMETRY_TOL) != 0)
        return NULL;
    View vw;
    if (view_make(&img->geom, mo->slice.view, &vw) != 0)
        return NULL;
    RadBox b;
    if (rad_mask_bbox(mask, &b) != 0)
        return NULL;
    /* ROI extent in display coordinates */
    size_t s0 = b.lo[vw.axn], s1 = b.hi[vw.axn];
    size_t bu0 = vw.flipu ? vw.nu - 1 - b.hi[vw.axu] : b.lo[vw.axu];
    size_t bu1 = vw.flipu ? vw.nu - 1 - b.lo[vw.axu] : b.hi[vw.axu];
    size_t bv0 = vw.flipv ? vw.nv - 1 - b.hi[vw.axv] : b.lo[vw.axv];
    size_t bv1 = vw.flipv ? vw.nv - 1 - b.lo[vw.axv] : b.hi[vw.axv];
    size_t u0 = 0, u1 = vw.nu, v0 = 0, v1 = vw.nv;
    if (mo->crop) {
        size_t mu = (size_t)ceil(10.0 / vw.su), mv = (size_t)ceil(10.0 / vw.sv);
        u0 = bu0 > mu ? bu0 - mu : 0;
        u1 = bu1 + 1 + mu < vw.nu ? bu1 + 1 + mu : vw.nu;
        v0 = bv0 > mv ? bv0 - mv : 0;
        v1 = bv1 + 1 + mv < vw.nv ? bv1 + 1 + mv : vw.nv;
    }
    size_t nroi_slices = s1 - s0 + 1;
    size_t count = mo->count ? mo->count : (nroi_slices < MONTAGE_MAX ? nroi_slices : MONTAGE_MAX);
    if (count > MONTAGE_MAX)
        return rad_error_set("count %zu is more than %d panels; ask for fewer slices", count, MONTAGE_MAX),
               NULL;
    int fewer = 0;
    if (count > nroi_slices) {
        count = nroi_slices;
        fewer = 1;
    }
    size_t *slices = rad_malloc(count * sizeof *slices, "montage slices");
    if (!slices)
        return NULL;
    for (size_t i = 0; i < count; i++)
        slices[i] = count == 1 ? (s0 + s1) / 2
                               : s0 + (size_t)floor((double)i * (double)(nroi_slices - 1) / (double)(count - 1) + 0.5);

    double level = mo->slice.level, width = mo->slice.width;
    int autow = !(width > 0);
    if ((autow && auto_window(img, mask, &vw, s0, s1, &level, &width) != 0) || check_window(level, width) != 0) {
        free(slices);
        return NULL;
    }
    double W = (double)(u1 - u0) * vw.su, H = (double)(v1 - v0) * vw.sv;
    size_t cols = mo->columns;
    if (cols == 0) {
        /* near-square page for square panels */
        cols = (size_t)ceil(sqrt((double)count * H / W));
        if (cols < 1)
            cols = 1;
    }
    if (cols > count)
        cols = count;
    size_t rows = (count + cols - 1) / cols;
    double fw = o->width > 0 ? o->width : fmin(175, fmax(85, 45 * (double)cols));
    double head = 8 + (o->subtitle ? 5 : 0) + 2;
    double cellw = fw / (double)cols;
    double fh = o->height > 0 ? o->height : head + (double)rows * cellw * H / W;
    if (fh > 2000)
        fh = 2000;
    if (fh < 20)
        fh = 20;
    char title[128];
    if (count == 1)
        snprintf(title, sizeof title, "%s slice %zu of %zu", view_name(mo->slice.view), slices[0] + 1, vw.ns);
    else if (count == nroi_slices)
        snprintf(title, sizeof title, "%s slices %zu-%zu of %zu", view_name(mo->slice.view), s0 + 1, s1 + 1, vw.ns);
    else
        snprintf(title, sizeof title, "%zu of the %s slices %zu-%zu (of %zu)", count, view_name(mo->slice.view),
                 s0 + 1, s1 + 1, vw.ns);
    RadFigure *fig = rad_figure_new(fw, fh);
    if (!fig || rad_figure_set_title(fig, o->title ? o->title : title, 0) != 0 ||
        (o->subtitle && rad_figure_set_subtitle(fig, o->subtitle) != 0)) {
        rad_figure_free(fig);
        free(slices);
        return NULL;
    }
    double k = fmax(W / (cellw - 1.5), H / (((fh - head) / (double)rows) - 1.5));
    size_t nonfinite = 0;
    for (size_t i = 0; i < count; i++) {
        size_t r = i / cols, c = i % cols;
        RadAxes *ax = rad_figure_add_axes(fig, (double)c / (double)cols, (double)r / (double)rows,
                                          (double)(c + 1) / (double)cols, (double)(r + 1) / (double)rows);
        if (!ax || draw_slice(ax, img, mask, &vw, slices[i], u0, u1, v0, v1, &mo->slice, level, width, k,
                              i == count - 1, &nonfinite) < 0)
            goto fail;
        /* the slice number in the top-left corner, white on a dark box */
        char num[24];
        snprintf(num, sizeof num, "%zu", slices[i] + 1);
        double fs = 7, pad = 0.6 * k, tw, th;
        if (rad_text_size(num, fs, 1, &tw, &th) != 0)
            goto fail;
        tw *= MM_PER_PT * k;
        th *= MM_PER_PT * k;
        RadStyle bg = rad_style_default();
        bg.line_width = 0;
        bg.fill = rad_rgba(0, 0, 0, 0.55);
        RadStyle tx = rad_style_default();
        tx.color = rad_rgb(1, 1, 1);
        tx.font_size = fs;
        tx.bold = 1;
        tx.halign = RAD_HALIGN_LEFT;
        tx.valign = RAD_VALIGN_TOP;
        if (rad_axes_rect(ax, 0, 0, tw + 2 * pad, th + 2 * pad, &bg) != 0 || rad_axes_text(ax, pad, pad, num, &tx) != 0)
            goto fail;
    }
    char win[64], desc[256];
    window_text(level, width, win, sizeof win);
    snprintf(desc, sizeof desc, "montage of %zu %s slices (%zu-%zu of %zu) in %zu x %zu, %s%s%s", count,
             view_name(mo->slice.view), slices[0] + 1, slices[count - 1] + 1, vw.ns, rows, cols, win,
             autow ? " (auto, ROI)" : "", mo->crop ? ", cropped to the ROI + 10 mm" : "");
    rad_figure_set_description(fig, desc);
    if (fewer)
        rad_figure_add_note(fig, "%zu slices asked for, the ROI spans %zu: all shown", mo->count, nroi_slices);
    if (nonfinite)
        rad_figure_add_note(fig, "%zu non-finite voxels left blank", nonfinite);
    free(slices);
    return fig;
fail:
    free(slices);
    rad_figure_free(fig);
    return NULL;
}

/* ---- rad_chart_feature_map ------------------------------------------------------------ */

RadFigure *rad_chart_feature_map(const RadImage *img, const RadImage *map, const RadMask *mask,
                                 const RadMapOptions *mp, const RadChartOptions *o)
{
    RadMapOptions dmp;
    RadChartOptions dopt;
    if (!mp) {
        rad_map_options_default(&dmp);
        mp = &dmp;
    }
    if (!o) {
        rad_chart_options_default(&dopt);
        o = &dopt;
    }
    if (!img || !map)
        return rad_error_set("give the image and the feature map"), NULL;
    if (!rad_geometry_same(&img->geom, &map->geom, RAD_GEOMETRY_TOL)) {
        char a[160], b[160];
        rad_geometry_describe(&img->geom, a, sizeof a);
        rad_geometry_describe(&map->geom, b, sizeof b);
        return rad_error_set("the map (%s) is not on the image's grid (%s): compute the map on the image or "
                             "resample it first", b, a),
               NULL;
    }
    if (mask && rad_check_same_geometry(img, mask, RAD_GEOMETRY_TOL) != 0)
        return NULL;
    View vw;
    size_t s;
    if (view_make(&img->geom, mp->slice.view, &vw) != 0 || pick_slice(mask, &vw, mp->slice.index, &s) != 0)
        return NULL;
    double level = mp->slice.level, width = mp->slice.width;
    int autow = !(width > 0);
    if ((autow && auto_window(img, mask, &vw, s, s, &level, &width) != 0) || check_window(level, width) != 0)
        return NULL;
    /* colour range: the map's finite values in the ROI (all slices) */
    double lo = mp->lo, hi = mp->hi;
    size_t nmap = 0, nnan = 0, nvox = rad_image_nvox(map);
    if (isnan(lo) || isnan(hi)) {
        double a = INFINITY, z = -INFINITY;
        for (size_t v = 0; v < nvox; v++)
            if ((!mask || rad_mask_in(mask, v)) && isfinite(map->data[v])) {
                a = fmin(a, map->data[v]);
                z = fmax(z, map->data[v]);
            }
        if (!(a <= z))
            return rad_error_set("the map has no finite value%s", mask ? " inside the mask" : ""), NULL;
        if (a == z) {
            a -= a == 0 ? 1 : fabs(a) * 0.05;
            z += z == 0 ? 1 : fabs(z) * 0.05;
        }
        if (isnan(lo))
            lo = a;
        if (isnan(hi))
            hi = z;
    }
    if (!(lo < hi) || !isfinite(lo) || !isfinite(hi))
        return rad_error_set("the colour range must have lo < hi, got [%g, %g]", lo, hi), NULL;

    double W = (double)vw.nu * vw.su, H = (double)vw.nv * vw.sv;
    double fw = o->width > 0 ? o->width : 100;
    RadChartOptions oo = *o;
    char title[96];
    snprintf(title, sizeof title, "%s slice %zu/%zu", view_name(mp->slice.view), s + 1, vw.ns);
    oo.title = o->title ? o->title : title;
    oo.height = o->height > 0 ? o->height : fit_height(fw, W, H, 20, 1, o->subtitle != NULL);
    RadAxes *ax;
    RadFigure *fig = rad_chart_begin(&oo, fw, oo.height, NULL, NULL, &ax);
    if (!fig)
        return NULL;
    size_t nonfinite = 0;
    uint8_t *px = slice_rgba(img, &vw, s, 0, vw.nu, 0, vw.nv, level, width, &nonfinite);
    if (!px)
        goto fail;
    for (size_t v = 0; v < vw.nv; v++)
        for (size_t u = 0; u < vw.nu; u++) {
            size_t vox = view_voxel(&vw, u, v, s);
            if (mask && !rad_mask_in(mask, vox))
                continue;
            double x = map->data[vox];
            if (!isfinite(x)) {
                nnan++;
                continue;
            }
            blend(px + (v * vw.nu + u) * 4, rad_colormap(mp->cmap, (x - lo) / (hi - lo)), mp->alpha);
            nmap++;
        }
    int rc = rad_axes_image(ax, px, vw.nu, vw.nv, 0, 0, W, H);
    free(px);
    if (rc != 0)
        goto fail;
    panel_setup(ax, W, H);
    if (mask && mp->slice.overlay == RAD_OVERLAY_CONTOUR) {
        RadStyle st = rad_style_default();
        st.color = overlay_color(&mp->slice);
        st.line_width = 1.0;
        if (draw_contour(ax, mask, &vw, s, 0, vw.nu, 0, vw.nv, &st) < 0)
            goto fail;
    }
    if (rad_axes_colorbar(ax, mp->cmap, lo, hi, mp->label ? mp->label : "Feature value") != 0)
        goto fail;
    double pw = fw - 24, ph = oo.height - 11 - (o->subtitle ? 5 : 0);
    if (draw_scale_bar(ax, W, H, fmax(W / pw, H / fmax(ph, 5))) != 0)
        goto fail;
    char win[64], desc[256];
    window_text(level, width, win, sizeof win);
    snprintf(desc, sizeof desc, "feature map on %s slice %zu/%zu, %zu voxels coloured over [%g, %g], %s%s",
             view_name(mp->slice.view), s + 1, vw.ns, nmap, lo, hi, win, autow ? " (auto)" : "");
    rad_figure_set_description(fig, desc);
    if (nnan)
        rad_figure_add_note(fig, "%zu non-finite map values in the slice left uncoloured", nnan);
    if (nonfinite)
        rad_figure_add_note(fig, "%zu non-finite voxels in the slice left blank", nonfinite);
    if (nmap == 0)
        rad_figure_add_note(fig, "no map value coloured in slice %zu (the ROI lies in other slices)", s + 1);
    return fig;
fail:
    rad_figure_free(fig);
    return NULL;
}

/* ---- rad_chart_roi_histogram ---------------------------------------------------------- */

RadFigure *rad_chart_roi_histogram(const RadImage *img, const RadMask *mask, const RadSettings *s, const char *unit,
                                   const RadChartOptions *o)
{
    RadSettings ds;
    RadChartOptions dopt;
    if (!s) {
        rad_settings_default(&ds);
        s = &ds;
    }
    if (!o) {
        rad_chart_options_default(&dopt);
        o = &dopt;
    }
    if (!img || !mask)
        return rad_error_set("give an image and a mask"), NULL;
    if (rad_check_same_geometry(img, mask, RAD_GEOMETRY_TOL) != 0 || rad_settings_check(s) != 0)
        return NULL;
    RadRoi roi;
    memset(&roi, 0, sizeof roi);
    if (rad_roi_prepare(img, mask, s, &roi, NULL) != 0)
        return NULL;
    RadFigure *fig = NULL;
    size_t nvox = rad_geometry_nvox(&roi.geom), n = 0;
    double *v = rad_malloc(roi.n_mask * sizeof *v, "histogram values");
    double *cnt = NULL;
    if (!v)
        goto done;
    for (size_t i = 0; i < nvox; i++)
        if (roi.mask[i])
            v[n++] = roi.image[i];
    double xmin = INFINITY, xmax = -INFINITY;
    int integers = 1;
    for (size_t i = 0; i < n; i++) {
        xmin = fmin(xmin, v[i]);
        xmax = fmax(xmax, v[i]);
        if (v[i] != floor(v[i]))
            integers = 0;
    }
    /* display bins: unit width for integer data of a short range, else ~80 bins */
    double range = xmax - xmin, bw;
    if (integers && range <= 120)
        bw = 1;
    else {
        double t[16];
        size_t nt = rad_nice_ticks(0, range > 0 ? range : 1, 80, t, 16);
        bw = nt > 1 ? t[1] - t[0] : (range > 0 ? range / 80 : 1);
        if (integers && bw < 1)
            bw = 1;
    }
    double b0 = integers && bw == 1 ? xmin - 0.5 : floor(xmin / bw) * bw;
    size_t nb = (size_t)floor((xmax - b0) / bw) + 1;
    if (nb > 100000)
        nb = 100000;
    cnt = rad_calloc(nb, sizeof *cnt, "histogram");
    if (!cnt)
        goto done;
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)floor((v[i] - b0) / bw);
        cnt[k < nb ? k : nb - 1]++;
    }

    /* the x label: the unit, guessed as HU for CT (air below -900) */
    RadStats st;
    const char *u = unit;
    if (!u && rad_image_stats(img, NULL, &st) == 0 && st.min <= -900)
        u = "HU";
    char xlabel[64];
    if (u && *u)
        snprintf(xlabel, sizeof xlabel, "Intensity (%s)", u);
    else
        snprintf(xlabel, sizeof xlabel, "Intensity");
    char sub[160];
    const char *uu = u && *u ? u : "";
    if (s->disc == RAD_DISC_FBN && !(roi.disc_width > 0))
        snprintf(sub, sizeof sub, "fixed bin number %d: constant ROI, every voxel in grey level 1", roi.ng);
    else if (s->disc == RAD_DISC_FBN)
        snprintf(sub, sizeof sub, "fixed bin number %d (bin width %.4g%s%s from %.4g)", roi.ng, roi.disc_width,
                 *uu ? " " : "", uu, roi.disc_min);
    else if (s->disc == RAD_DISC_FBS)
        snprintf(sub, sizeof sub, "fixed bin size %.4g%s%s from %.4g: %d bins", roi.disc_width, *uu ? " " : "", uu,
                 roi.disc_min, roi.ng);
    else
        snprintf(sub, sizeof sub, "no discretisation: %d grey levels", roi.ng);
    RadChartOptions oo = *o;
    oo.title = o->title ? o->title : "ROI intensity histogram";
    oo.subtitle = o->subtitle ? o->subtitle : sub;
    oo.legend = o->legend;
    RadAxes *ax;
    fig = rad_chart_begin(&oo, 120, 80, xlabel, "Voxels", &ax);
    if (!fig)
        goto done;
    RadStyle bar = rad_style_default();
    bar.line_width = 0;
    bar.fill = rad_palette(0);
    for (size_t k = 0; k < nb; k++)
        if (cnt[k] > 0 && rad_axes_rect(ax, b0 + (double)k * bw, 0, b0 + (double)(k + 1) * bw, cnt[k], &bar) != 0)
            goto fail;
    rad_axes_set_ylim(ax, 0, NAN);
    /* x range: the data (after re-segmentation) with 3 % room, not the
     * whole re-segmentation range or every bin edge: the bins of a fixed
     * bin size from the range's lower end may start far below the data */
    double xa = b0, xb = b0 + (double)nb * bw;
    if (!(xb > xa))
        xb = xa + 1;
    double pad = 0.03 * (xb - xa);
    xa -= pad;
    xb += pad;
    rad_axes_set_xlim(ax, xa, xb);
    /* bin edges in view: every edge up to 200 of them, else every k-th */
    size_t ne = (size_t)roi.ng + 1, step = 1, nview = 0;
    RadStyle el = rad_style_default();
    el.color = rad_palette(1);
    el.color.a = 0.85;
    el.line_width = 0.5;
    /* without discretisation grey level g is the bin [g - 1/2, g + 1/2) */
    double e0 = s->disc == RAD_DISC_NONE ? roi.disc_min - 0.5 : roi.disc_min;
    for (size_t e = 0; e < ne; e++) {
        double x = e0 + (double)e * roi.disc_width;
        nview += x >= xa && x <= xb;
    }
    while (nview / step > 200)
        step++;
    size_t k = 0;
    for (size_t e = 0; e < ne; e++) {
        double x = e0 + (double)e * roi.disc_width;
        if (!(x >= xa && x <= xb))
            continue;
        if (k++ % step == 0 && rad_axes_vline(ax, x, &el) != 0)
            goto fail;
    }
    /* the re-segmentation limits, where they are in view */
    if (s->reseg_range) {
        RadStyle rl = rad_style_default();
        rl.dash = RAD_DASH_DASHED;
        rl.line_width = 0.8;
        int shown = 0;
        double lim[2] = {s->reseg_lo, s->reseg_hi};
        for (int j = 0; j < 2; j++)
            if (isfinite(lim[j]) && lim[j] >= xa && lim[j] <= xb) {
                if (rad_axes_vline(ax, lim[j], &rl) != 0)
                    goto fail;
                shown = 1;
            }
        if (shown && rad_axes_add_legend(ax, "re-segmentation range", &rl, RAD_LEGEND_KEY_LINE) != 0)
            goto fail;
    }
    if (rad_axes_add_legend(ax, "ROI voxels", &bar, RAD_LEGEND_KEY_PATCH) != 0 ||
        (nview > 0 && rad_axes_add_legend(ax, "bin edges", &el, RAD_LEGEND_KEY_LINE) != 0))
        goto fail;
    if (step > 1)
        rad_figure_add_note(fig, "%d bins: every %zu-th of the %zu bin edges in view drawn", roi.ng, step, nview);
    if (roi.n_mask < roi.n_morph)
        rad_figure_add_note(fig, "re-segmentation removed %zu of %zu ROI voxels", roi.n_morph - roi.n_mask,
                            roi.n_morph);
    char desc[256];
    snprintf(desc, sizeof desc, "ROI intensity histogram, %zu voxels in [%g, %g], %s", n, xmin, xmax, sub);
    rad_figure_set_description(fig, desc);
    goto done;
fail:
    rad_figure_free(fig);
    fig = NULL;
done:
    free(v);
    free(cnt);
    rad_roi_free(&roi);
    return fig;
}
