/* radlab: rad.feature_map, voxel-wise feature maps.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "binding.h"

/* The names of opts.features: a string or an array of strings, pushed as
 * userdata-free C pointers into the Lua strings (kept alive on the stack
 * by the options table). */
static size_t feature_names(lua_State *L, int opts, const char ***out)
{
    size_t n;
    const char **names;
    lua_getfield(L, opts, "features");
    if (lua_type(L, -1) == LUA_TSTRING) {
        names = lua_newuserdatauv(L, sizeof *names, 0);
        names[0] = lua_tostring(L, -2);
        *out = names;
        return 1;
    }
    if (!lua_istable(L, -1))
        return (size_t)radl_fail(L, "rad.feature_map: features must be a family (\"cm\"), a tag "
                                    "(\"cm_contrast_3D_avg\") or an array of them, got %s", luaL_typename(L, -1));
    n = lua_rawlen(L, -1);
    if (n == 0)
        return (size_t)radl_fail(L, "rad.feature_map: features is an empty array: give families (\"cm\") or tags "
                                    "(\"cm_contrast_3D_avg\")");
    names = lua_newuserdatauv(L, n * sizeof *names, 0);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, -2, (lua_Integer)i + 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            return (size_t)radl_fail(L, "rad.feature_map: features[%zu] must be a string, got %s", i + 1,
                                     luaL_typename(L, -1));
        names[i] = lua_tostring(L, -1); /* the array in the options table keeps it */
        lua_pop(L, 1);
    }
    *out = names;
    return n;
}

static int l_feature_map(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1);
    RadMask *mask = radl_check_mask(L, 2);
    static const char *const keys[] = {"features", "radius", "shape", "masked", "in_plane", "threads", "method", "fill",
                                       NULL};
    RadSettings s;
    RadFmapOptions o;
    RadFeatureMaps *m;
    const char **names = NULL;
    const char *shape;
    size_t n;
    lua_Integer v;

    lua_settop(L, 4);
    if (!lua_istable(L, 4))
        return radl_fail(L, "rad.feature_map: give the options table {features = {...}, radius = 2, ...} as the "
                            "fourth argument");
    radl_check_keys(L, 4, "rad.feature_map", keys);
    rad_fmap_options_default(&o);
    v = radl_opt_integer(L, 4, "radius", o.radius);
    if (v < 1 || v > 1000)
        return radl_fail(L, "rad.feature_map: radius must be 1..1000 voxels, got %lld", (long long)v);
    o.radius = (int)v;
    shape = radl_opt_string(L, 4, "shape", "cube");
    if (strcmp(shape, "cube") == 0)
        o.shape = RAD_FMAP_CUBE;
    else if (strcmp(shape, "sphere") == 0)
        o.shape = RAD_FMAP_SPHERE;
    else
        return radl_fail(L, "rad.feature_map: shape must be \"cube\" or \"sphere\", got \"%s\"", shape);
    lua_getfield(L, 4, "masked");
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
        return radl_fail(L, "rad.feature_map: masked must be true or false, got %s", luaL_typename(L, -1));
    o.masked = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
    lua_getfield(L, 4, "in_plane");
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
        return radl_fail(L, "rad.feature_map: in_plane must be true or false, got %s", luaL_typename(L, -1));
    o.in_plane = lua_toboolean(L, -1);
    lua_pop(L, 2);
    v = radl_opt_integer(L, 4, "threads", 0);
    if (v < 0 || v > 1024)
        return radl_fail(L, "rad.feature_map: threads must be 0 (every processor) .. 1024, got %lld", (long long)v);
    o.threads = (int)v;
    shape = radl_opt_string(L, 4, "method", "fast");
    if (strcmp(shape, "fast") == 0)
        o.method = 0;
    else if (strcmp(shape, "direct") == 0)
        o.method = 1;
    else
        return radl_fail(L, "rad.feature_map: method must be \"fast\" or \"direct\", got \"%s\"", shape);
    lua_getfield(L, 4, "fill");
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER)
            return radl_fail(L, "rad.feature_map: fill must be a number (0/0 for NaN), got %s", luaL_typename(L, -1));
        o.has_fill = 1;
        o.fill = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    radl_settings_from_table(L, 3, &s);
    n = feature_names(L, 4, &names);
    m = rad_feature_maps(img, mask, &s, names, n, &o);
    if (!m)
        return radl_error(L);
    /* tag -> Image; each image moves into its box as it is pushed */
    lua_createtable(L, 0, (int)m->n);
    for (size_t t = 0; t < m->n; t++) {
        RadImage **box = radl_image_push(L);
        *box = m->maps[t];
        m->maps[t] = NULL;
        lua_setfield(L, -2, m->tags[t]);
    }
    rad_feature_maps_free(m);
    return 1;
}

void radl_open_featuremap(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"feature_map", l_feature_map,
         "rad.feature_map(img, mask, settings, {features = {...}, radius = 2, shape = \"cube\", masked = true, "
         "in_plane = false, threads = 0, method = \"fast\", fill = NaN}) -> {[tag] = Image}: voxel-wise feature maps: at every "
         "voxel of the ROI (its intensity mask) the features of the voxels around it (shape \"cube\": "
         "|dx|,|dy|,|dz| <= radius; \"sphere\": dx^2+dy^2+dz^2 <= radius^2, in voxels; in_plane: dz = 0), with "
         "the whole ROI's grey levels; masked = true counts only the ROI's voxels of the window, false every "
         "voxel of it; fill (NaN) at every other voxel.  features: families (stat, ih, cm, rlm, szm, dzm, ngt, ngl) or tags; "
         "threads 0: every processor; method \"direct\" runs the family functions on every neighbourhood "
         "(\"fast\", the default, slides the GLCM matrices of the 2.5D and 3D aggregations along x; the same values "
         "to rounding).  Each map is a whole image (4 bytes a voxel).  "
         "Settings without interpolation or filters; images write with img:write(\"x.nii.gz\").  With settings "
         "compat = \"pyradiomics\": PyRadiomics' voxel-based extraction (kernelRadius = radius, maskedKernel = masked, "
         "initValue = fill, default 0; cube kernels only, in-plane through pyradiomics.force2D); features are its "
         "classes (firstorder, glcm, glrlm, glszm, gldm, ngtdm), glcm_Contrast or original_glcm_Contrast, and the "
         "maps are named as it names them (original_glcm_Contrast); rad.settings.from_pyradiomics returns a "
         "parameter file's voxelSetting as these options"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.");
}
