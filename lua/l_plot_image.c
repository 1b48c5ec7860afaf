/* radlab: rad.plot slice, montage, histogram, feature map.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Lua face of src/plot/chart_image.c: Images and Masks come in as
 * their userdata (radl_check_image / radl_check_mask), options as one
 * trailing table checked against the chart's key list (the common chart
 * keys first), settings for the histogram as rad.extract takes them
 * (radl_settings_from_table).  Every error names the function and the
 * option.  Drawing conventions (radiological orientation, CT window
 * presets, scale bar) are described in chart_image.c.
 */
#include <math.h>
#include <string.h>

#include "binding.h"

/* The slice options shared by slice, montage and map from the table at idx. */
static void slice_options(lua_State *L, int idx, const char *fname, RadSliceOptions *so)
{
    if (!lua_istable(L, idx))
        return;
    const char *axis = radl_opt_string(L, idx, "axis", NULL);
    if (axis && rad_view_parse(axis, &so->view) != 0)
        radl_fail(L, "%s: option %s", fname, rad_error_message());
    lua_Integer index = radl_opt_integer(L, idx, "index", 0);
    if (index < 0)
        radl_fail(L, "%s: option index is a 1-based slice number, got %lld", fname, (long long)index);
    so->index = index > 0 ? (long)index - 1 : -1;
    int t = lua_getfield(L, idx, "window");
    if (t == LUA_TSTRING) {
        const char *w = lua_tostring(L, -1);
        if (strcmp(w, "auto") == 0)
            so->width = 0;
        else if (rad_window_preset(w, &so->level, &so->width) != 0)
            radl_fail(L, "%s: option %s", fname, rad_error_message());
    } else if (t == LUA_TTABLE) {
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        int ok = lua_isnumber(L, -2) && lua_isnumber(L, -1);
        double level = lua_tonumber(L, -2), width = lua_tonumber(L, -1);
        lua_pop(L, 2);
        if (!ok || !isfinite(level) || !(width > 0) || !isfinite(width))
            radl_fail(L, "%s: option window = {level, width} needs two numbers with width > 0 (e.g. {40, 400}), "
                         "or a preset \"soft\", \"lung\", \"bone\", \"brain\", \"auto\"", fname);
        so->level = level;
        so->width = width;
    } else if (t != LUA_TNIL) {
        radl_fail(L, "%s: option window must be {level, width} or a preset name, got %s", fname,
                  luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    const char *ov = radl_opt_string(L, idx, "overlay", NULL);
    if (ov && rad_overlay_parse(ov, &so->overlay) != 0)
        radl_fail(L, "%s: option %s", fname, rad_error_message());
    const char *col = radl_opt_string(L, idx, "color", NULL);
    if (col && rad_color_parse(col, &so->color) != 0)
        radl_fail(L, "%s: option color: %s", fname, rad_error_message());
    so->alpha = radl_opt_number(L, idx, "alpha", so->alpha);
    if (!(so->alpha >= 0 && so->alpha <= 1))
        radl_fail(L, "%s: option alpha is an opacity from 0 to 1, got %g", fname, so->alpha);
}

/* An optional Mask at idx (nil: none). */
static RadMask *opt_mask_field(lua_State *L, int idx, const char *fname)
{
    RadMask *m = NULL;
    if (!lua_istable(L, idx))
        return NULL;
    lua_getfield(L, idx, "mask");
    if (!lua_isnil(L, -1)) {
        if (!luaL_testudata(L, -1, RADL_MASK))
            radl_fail(L, "%s: option mask must be a Mask (rad.read_mask), got %s", fname, luaL_typename(L, -1));
        m = radl_check_mask(L, -1);
    }
    lua_pop(L, 1); /* the options table keeps the Mask alive */
    return m;
}

static RadImage *check_image_arg(lua_State *L, int idx, const char *fname, const char *what)
{
    if (!luaL_testudata(L, idx, RADL_IMAGE))
        radl_fail(L, "%s: argument %d (%s) must be an Image (rad.read), got %s", fname, idx, what,
                  luaL_typename(L, idx));
    return radl_check_image(L, idx);
}

static RadMask *check_mask_arg(lua_State *L, int idx, const char *fname)
{
    if (!luaL_testudata(L, idx, RADL_MASK))
        radl_fail(L, "%s: argument %d must be a Mask (rad.read_mask), got %s", fname, idx, luaL_typename(L, idx));
    return radl_check_mask(L, idx);
}

/* rad.plot.slice(img, opts) */
static int l_slice(lua_State *L)
{
    static const char *const keys[] = {RADL_CHART_KEYS, "mask", "axis", "index", "window", "overlay", "color",
                                       "alpha", NULL};
    const char *fname = "rad.plot.slice";
    RadImage *img = check_image_arg(L, 1, fname, "the image");
    radl_check_keys(L, 2, fname, keys);
    RadChartOptions o;
    radl_chart_options(L, 2, fname, &o);
    RadSliceOptions so;
    rad_slice_options_default(&so);
    slice_options(L, 2, fname, &so);
    RadMask *m = opt_mask_field(L, 2, fname);
    RadFigure **box = radl_figure_push(L);
    return radl_figure_return(L, box, rad_chart_slice(img, m, &so, &o), fname);
}

/* rad.plot.montage(img, mask, opts) */
static int l_montage(lua_State *L)
{
    static const char *const keys[] = {RADL_CHART_KEYS, "axis", "count", "columns", "window", "overlay", "color",
                                       "alpha", "crop", NULL};
    const char *fname = "rad.plot.montage";
    RadImage *img = check_image_arg(L, 1, fname, "the image");
    RadMask *m = check_mask_arg(L, 2, fname);
    radl_check_keys(L, 3, fname, keys);
    RadChartOptions o;
    radl_chart_options(L, 3, fname, &o);
    RadMontageOptions mo;
    rad_montage_options_default(&mo);
    slice_options(L, 3, fname, &mo.slice);
    if (lua_istable(L, 3)) {
        lua_Integer count = radl_opt_integer(L, 3, "count", 0);
        lua_Integer cols = radl_opt_integer(L, 3, "columns", 0);
        if (count < 0 || count > 60)
            return radl_fail(L, "%s: option count must be 1 to 60 panels, got %lld", fname, (long long)count);
        if (cols < 0 || cols > 60)
            return radl_fail(L, "%s: option columns must be 1 to 60, got %lld", fname, (long long)cols);
        mo.count = (size_t)count;
        mo.columns = (size_t)cols;
        lua_getfield(L, 3, "crop");
        if (!lua_isnil(L, -1)) {
            if (!lua_isboolean(L, -1))
                return radl_fail(L, "%s: option crop must be true or false, got %s", fname, luaL_typename(L, -1));
            mo.crop = lua_toboolean(L, -1);
        }
        lua_pop(L, 1);
    }
    RadFigure **box = radl_figure_push(L);
    return radl_figure_return(L, box, rad_chart_montage(img, m, &mo, &o), fname);
}

/* rad.plot.map(img, map, opts) */
static int l_map(lua_State *L)
{
    static const char *const keys[] = {RADL_CHART_KEYS, "mask", "axis", "index", "window", "overlay", "color",
                                       "alpha", "range", "cmap", "label", NULL};
    const char *fname = "rad.plot.map";
    RadImage *img = check_image_arg(L, 1, fname, "the grey image");
    RadImage *map = check_image_arg(L, 2, fname, "the feature map");
    radl_check_keys(L, 3, fname, keys);
    RadChartOptions o;
    radl_chart_options(L, 3, fname, &o);
    RadMapOptions mp;
    rad_map_options_default(&mp);
    double alpha = mp.alpha;
    mp.slice.alpha = alpha;
    slice_options(L, 3, fname, &mp.slice);
    mp.alpha = mp.slice.alpha;
    RadMask *m = opt_mask_field(L, 3, fname);
    if (lua_istable(L, 3)) {
        const char *cm = radl_opt_string(L, 3, "cmap", NULL);
        if (cm && rad_colormap_parse(cm, &mp.cmap) != 0)
            return radl_fail(L, "%s: option cmap: %s", fname, rad_error_message());
        mp.label = radl_opt_string(L, 3, "label", NULL);
        int t = lua_getfield(L, 3, "range");
        if (t == LUA_TTABLE) {
            lua_rawgeti(L, -1, 1);
            lua_rawgeti(L, -2, 2);
            int ok = lua_isnumber(L, -2) && lua_isnumber(L, -1);
            mp.lo = lua_tonumber(L, -2);
            mp.hi = lua_tonumber(L, -1);
            lua_pop(L, 2);
            if (!ok || !(mp.lo < mp.hi))
                return radl_fail(L, "%s: option range = {lo, hi} needs two numbers with lo < hi", fname);
        } else if (t != LUA_TNIL) {
            return radl_fail(L, "%s: option range must be {lo, hi}, got %s", fname, luaL_typename(L, -1));
        }
        lua_pop(L, 1);
    }
    RadFigure **box = radl_figure_push(L);
    return radl_figure_return(L, box, rad_chart_feature_map(img, map, m, &mp, &o), fname);
}

/* rad.plot.histogram(img, mask [, settings [, opts]]) */
static int l_histogram(lua_State *L)
{
    static const char *const keys[] = {RADL_CHART_KEYS, "unit", NULL};
    const char *fname = "rad.plot.histogram";
    RadImage *img = check_image_arg(L, 1, fname, "the image");
    RadMask *m = check_mask_arg(L, 2, fname);
    RadSettings s;
    if (!lua_isnoneornil(L, 3) && !lua_istable(L, 3))
        return radl_fail(L, "%s: argument 3 must be a settings table (as for rad.extract), got %s", fname,
                         luaL_typename(L, 3));
    radl_settings_from_table(L, 3, &s);
    radl_check_keys(L, 4, fname, keys);
    RadChartOptions o;
    radl_chart_options(L, 4, fname, &o);
    const char *unit = lua_istable(L, 4) ? radl_opt_string(L, 4, "unit", NULL) : NULL;
    RadFigure **box = radl_figure_push(L);
    return radl_figure_return(L, box, rad_chart_roi_histogram(img, m, &s, unit, &o), fname);
}

void radl_open_plot_image(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"slice", l_slice,
         "rad.plot.slice(img [, {mask =, axis = \"axial\", index =, window = {level, width} or \"soft\"|\"lung\"|"
         "\"bone\"|\"brain\"|\"auto\", overlay = \"contour\"|\"fill\"|\"none\", color =, alpha = 0.35, ...}]) -> "
         "Figure: one slice in radiological orientation with the mask's contour or fill and a scale bar"},
        {"montage", l_montage,
         "rad.plot.montage(img, mask [, {axis =, count = (ROI slices, up to 60), columns =, window =, overlay =, "
         "color =, alpha =, crop = true, ...}]) -> Figure: a grid of slices through the ROI, numbered in the corner"},
        {"map", l_map,
         "rad.plot.map(img, map [, {mask =, axis =, index =, window =, range = {lo, hi}, cmap = \"viridis\", "
         "alpha = 0.8, label =, overlay = \"none\", ...}]) -> Figure: a feature map over the grey slice with a "
         "colour bar, transparent outside the mask"},
        {"histogram", l_histogram,
         "rad.plot.histogram(img, mask [, settings [, {unit =, ...}]]) -> Figure: the ROI intensity histogram "
         "after the settings' preprocessing with the discretisation bin edges (FBN / FBS) drawn on it; the x range "
         "follows the ROI's values, the re-segmentation limits are marked where they are in view"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.plot.");
}
