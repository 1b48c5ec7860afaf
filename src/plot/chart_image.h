/* radlab: image views for teaching and QA.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A slice of an image through a CT window with the mask's contour or a
 * translucent fill, a montage of slices through the ROI, a feature map over
 * the grey slice with a colour bar, and the ROI intensity histogram with
 * the discretisation bin edges.  Conventions are described in chart_image.c.
 */
#ifndef RAD_CHART_IMAGE_H
#define RAD_CHART_IMAGE_H

#include "plot/plot.h"
#include "image/image.h"
#include "features/features.h"

typedef enum { RAD_VIEW_AXIAL = 0, RAD_VIEW_CORONAL, RAD_VIEW_SAGITTAL } RadView;
typedef enum { RAD_OVERLAY_CONTOUR = 0, RAD_OVERLAY_FILL, RAD_OVERLAY_NONE } RadOverlay;

/* "axial" | "coronal" | "sagittal"; -1 with a message otherwise. */
int rad_view_parse(const char *s, RadView *v);
/* "contour" | "fill" | "none". */
int rad_overlay_parse(const char *s, RadOverlay *ov);
/* CT window presets (level, width in HU): "soft" L40/W400, "lung" L-600/W1500,
 * "bone" L400/W1800, "brain" L40/W80.  -1 with a message for other names. */
int rad_window_preset(const char *name, double *level, double *width);

/* How a slice is shown. */
typedef struct RadSliceOptions {
    RadView view;
    long index;           /* 0-based slice along the view's normal; -1: through the
                             mask's centre, else the middle */
    double level, width;  /* window; width <= 0: automatic (1st-99th percentile of
                             the ROI in the slice, else of the slice) */
    RadOverlay overlay;
    RadColor color;       /* overlay colour; a = 0: Okabe-Ito vermillion */
    double alpha;         /* fill opacity, 0..1 (default 0.35) */
} RadSliceOptions;
void rad_slice_options_default(RadSliceOptions *so);

/* One slice of img (mask may be NULL; its geometry must match img's). */
RadFigure *rad_chart_slice(const RadImage *img, const RadMask *mask, const RadSliceOptions *so,
                           const RadChartOptions *o);

typedef struct RadMontageOptions {
    RadSliceOptions slice; /* view, window, overlay, colour (index ignored); an
                              automatic window spans the whole ROI */
    size_t count;          /* panels; 0: every ROI slice up to 60 */
    size_t columns;        /* 0: automatic */
    int crop;              /* 1: crop to the ROI's bounding box + 10 mm */
} RadMontageOptions;
void rad_montage_options_default(RadMontageOptions *mo);

/* A grid of slices through the ROI of mask (required), numbered 1-based in
 * each panel's corner. */
RadFigure *rad_chart_montage(const RadImage *img, const RadMask *mask, const RadMontageOptions *mo,
                             const RadChartOptions *o);

typedef struct RadMapOptions {
    RadSliceOptions slice;  /* overlay default none for maps */
    RadColormap cmap;       /* default viridis */
    double lo, hi;          /* colour range; NaN: the map's range in the ROI */
    double alpha;           /* map opacity (default 0.8) */
    const char *label;      /* colour bar label (NULL: "Feature value") */
} RadMapOptions;
void rad_map_options_default(RadMapOptions *mp);

/* A feature map (an image on img's geometry) over the grey slice, coloured
 * inside the mask (everywhere when mask is NULL), with a colour bar. */
RadFigure *rad_chart_feature_map(const RadImage *img, const RadImage *map, const RadMask *mask,
                                 const RadMapOptions *mp, const RadChartOptions *o);

/* The ROI intensity histogram after the settings' preprocessing
 * (resampling and re-segmentation, as rad_extract) with the discretisation
 * bin edges as thin vertical lines.  s may be NULL (defaults); unit names
 * the intensity unit for the x label (NULL: "HU" when the image holds air
 * below -900, else none). */
RadFigure *rad_chart_roi_histogram(const RadImage *img, const RadMask *mask, const RadSettings *s, const char *unit,
                                   const RadChartOptions *o);

#endif
