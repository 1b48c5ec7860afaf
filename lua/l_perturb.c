/* radlab: rad.perturb and rad.image.noise_sd (feature robustness).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine is src/image/perturb.c.  rad.perturb applies, in this order
 * (as MIRP does): additive noise to the image, the rigid transform
 * (rotation about the ROI centre, translation) to image and mask, then the
 * ROI change (erosion, dilation or volume fraction) to the moved mask.
 */
#include <math.h>
#include <string.h>

#include "binding.h"
#include "image/perturb.h"

#define FNAME "rad.perturb"

static int l_noise_sd(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1);
    RadMask *m = lua_isnoneornil(L, 2) ? NULL : radl_check_mask(L, 2);
    double sd;
    if (rad_image_noise_estimate(img, m, &sd) != 0)
        return radl_fail(L, "rad.image.noise_sd: %s", rad_error_message());
    lua_pushnumber(L, sd);
    return 1;
}

/* options of rad.perturb, read into plain C before any engine call */
typedef struct Opts {
    int noise;        /* 0 none, 1 estimated, 2 given sd */
    double sd;
    double rotate;
    double shift[3];
    int volume;       /* 0 none, 1 fraction, 2 erode, 3 dilate */
    double fraction;
    int connectivity;
    lua_Integer seed;
} Opts;

static double num_field(lua_State *L, int idx, const char *key, double def)
{
    double v = def;
    int t = lua_getfield(L, idx, key);
    if (t != LUA_TNIL) {
        if (t != LUA_TNUMBER)
            radl_fail(L, "%s: option '%s' must be a number, got %s", FNAME, key, luaL_typename(L, -1));
        v = lua_tonumber(L, -1);
        if (!isfinite(v))
            radl_fail(L, "%s: option '%s' must be finite, got %g", FNAME, key, v);
    }
    lua_pop(L, 1);
    return v;
}

static void read_opts(lua_State *L, int idx, Opts *o)
{
    static const char *const keys[] = {"noise", "rotate", "translate", "volume", "connectivity", "seed", NULL};
    int t;
    memset(o, 0, sizeof *o);
    o->connectivity = 6;
    o->seed = 1;
    radl_check_keys(L, idx, FNAME, keys);
    if (lua_isnoneornil(L, idx))
        return;
    t = lua_getfield(L, idx, "noise");
    if (t == LUA_TBOOLEAN)
        o->noise = lua_toboolean(L, -1);
    else if (t == LUA_TNUMBER) {
        o->noise = 2;
        o->sd = lua_tonumber(L, -1);
        if (!(o->sd >= 0) || !isfinite(o->sd))
            radl_fail(L, "%s: option 'noise' (an SD in image units) must be >= 0 and finite, got %g", FNAME, o->sd);
    } else if (t != LUA_TNIL)
        radl_fail(L, "%s: option 'noise' must be true (the image's own noise level) or an SD, got %s", FNAME,
                  luaL_typename(L, -1));
    lua_pop(L, 1);
    o->rotate = num_field(L, idx, "rotate", 0);
    t = lua_getfield(L, idx, "translate");
    if (t == LUA_TTABLE) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        if (n != 2 && n != 3)
            radl_fail(L, "%s: option 'translate' must be {dx, dy, dz} in voxels, got %d numbers", FNAME, (int)n);
        for (lua_Integer c = 1; c <= n; c++) {
            if (lua_rawgeti(L, -1, c) != LUA_TNUMBER || !isfinite(lua_tonumber(L, -1)))
                radl_fail(L, "%s: option 'translate' must be {dx, dy, dz} in voxels; element %d is %s", FNAME,
                          (int)c, lua_isnumber(L, -1) ? "not finite" : luaL_typename(L, -1));
            o->shift[c - 1] = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
    } else if (t != LUA_TNIL)
        radl_fail(L, "%s: option 'translate' must be {dx, dy, dz} in voxels, got %s", FNAME, luaL_typename(L, -1));
    lua_pop(L, 1);
    t = lua_getfield(L, idx, "volume");
    if (t == LUA_TNUMBER) {
        o->volume = 1;
        o->fraction = lua_tonumber(L, -1);
    } else if (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "erode") == 0)
        o->volume = 2;
    else if (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "dilate") == 0)
        o->volume = 3;
    else if (t != LUA_TNIL)
        radl_fail(L, "%s: option 'volume' must be a fraction (e.g. -0.1 or 0.1), \"erode\" or \"dilate\", got %s%s%s",
                  FNAME, t == LUA_TSTRING ? "\"" : "", t == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1),
                  t == LUA_TSTRING ? "\"" : "");
    lua_pop(L, 1);
    t = lua_getfield(L, idx, "connectivity");
    if (t != LUA_TNIL) {
        if (!lua_isinteger(L, -1) || (lua_tointeger(L, -1) != 6 && lua_tointeger(L, -1) != 26))
            radl_fail(L, "%s: option 'connectivity' must be 6 or 26, got %s", FNAME, luaL_tolstring(L, -1, NULL));
        o->connectivity = (int)lua_tointeger(L, -1);
    }
    lua_pop(L, 1);
    t = lua_getfield(L, idx, "seed");
    if (t != LUA_TNIL) {
        if (!lua_isinteger(L, -1))
            radl_fail(L, "%s: option 'seed' must be an integer, got %s", FNAME, luaL_tolstring(L, -1, NULL));
        o->seed = lua_tointeger(L, -1);
    }
    lua_pop(L, 1);
}

static int l_perturb(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1), **ibox, *noisy = NULL, *moved_img = NULL;
    RadMask *m = radl_check_mask(L, 2), **mbox, *moved = NULL;
    Opts o;
    read_opts(L, 3, &o);
    lua_settop(L, 3);
    if (rad_check_same_geometry(img, m, RAD_GEOMETRY_TOL) != 0)
        return radl_fail(L, "%s: %s", FNAME, rad_error_message());
    if (rad_mask_count(m) == 0)
        return radl_fail(L, "%s: the mask selects no voxels; perturbations are made about the ROI", FNAME);
    /* boxes first, so that nothing leaks if a later step fails */
    ibox = radl_image_push(L);
    mbox = radl_mask_push(L);
    if (o.noise == 1) {
        if (rad_image_noise_estimate(img, NULL, &o.sd) != 0)
            return radl_fail(L, "%s: noise = true: %s", FNAME, rad_error_message());
        if (!(o.sd > 0))
            return radl_fail(L, "%s: noise = true, but the image's estimated noise level is 0 (a constant image, or "
                             "slices without noise); give the SD to add, e.g. noise = 10 (image units)", FNAME);
    }
    if (o.noise) {
        if (!(noisy = rad_image_add_noise(img, o.sd, (uint64_t)o.seed)))
            return radl_fail(L, "%s: %s", FNAME, rad_error_message());
        *ibox = noisy; /* owned by the box from here */
    }
    if (rad_perturb_rigid(noisy ? noisy : img, m, o.rotate, o.shift, &moved_img, &moved) != 0)
        return radl_fail(L, "%s: %s", FNAME, rad_error_message());
    rad_image_free(*ibox);
    *ibox = moved_img;
    *mbox = moved;
    if (o.volume) {
        RadMask *changed = o.volume == 1 ? rad_mask_change_volume(moved, o.fraction)
                           : o.volume == 2 ? rad_mask_erode(moved, o.connectivity)
                                           : rad_mask_dilate(moved, o.connectivity);
        if (!changed)
            return radl_fail(L, "%s: %s", FNAME, rad_error_message());
        rad_mask_free(*mbox);
        *mbox = changed;
    }
    return 2;
}

void radl_open_perturb(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"perturb", l_perturb,
         "rad.perturb(img, mask [, {noise = true | sd, rotate = degrees, translate = {dx, dy, dz}, volume = fraction | "
         "\"erode\" | \"dilate\", connectivity = 6 | 26, seed = 1}]) -> Image, Mask: a perturbed copy for feature "
         "robustness (MIRP's approach): Gaussian noise at the image's own level (true: rad.image.noise_sd of the whole "
         "image) or of SD sd (seeded, the same bytes on every platform), then rotation about the world z axis through the ROI centre (degrees, +x "
         "towards +y) and translation in voxels (trilinear; mask kept where >= 0.5), then the ROI eroded or dilated "
         "by one voxel or grown/shrunk to round(V (1 + fraction)) voxels by one-voxel layers; the mask comes back "
         "binary (label 1)"},
        {NULL, NULL, NULL}};
    static const RadlReg image_funcs[] = {
        {"noise_sd", l_noise_sd,
         "rad.image.noise_sd(img [, mask]) -> sd: noise SD by Immerkaer's fast estimator (1996), per slice over the "
         "3x3 neighbourhoods (centred in the ROI with a mask), median over slices"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.");
    lua_getfield(L, -1, "image");
    radl_register(L, image_funcs, "rad.image.");
    lua_pop(L, 1);
}
