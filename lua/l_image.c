/* radlab: Image userdata and rad.read, rad.image.new.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "binding.h"
#include "io/dicom.h"

/* ---- boxes ------------------------------------------------------------------ */

/* ---- geometry methods (Image and Mask) ----------------------------------------- */

/* ---- Image functions ---------------------------------------------------------- */

static int l_read(lua_State *L)
{
    static const char *const keys[] = {NULL};
    const char *path = luaL_checkstring(L, 1);
    RadImage **box;
    struct stat st;
    radl_check_keys(L, 2, "rad.read", keys);
    box = radl_image_push(L);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) { /* a DICOM series, its warnings as Lua warnings */
        RadDicomInfo info;
        if (rad_dicom_read_series(path, NULL, box, &info) != 0)
            return radl_error(L);
        for (size_t i = 0; i < info.nwarnings; i++)
            radl_warn(L, "%s", info.warnings[i]);
        rad_dicom_info_free(&info);
        return 1;
    }
    *box = rad_image_read(path);
    if (!*box)
        return radl_error(L);
    return 1;
}

static int l_image_new(lua_State *L)
{
    static const char *const keys[] = {"size", "spacing", "origin", "direction", "value", NULL};
    RadGeometry g;
    RadImage **box;
    float value;
    radl_check_keys(L, 1, "rad.image.new", keys);
    radl_geometry_from_table(L, 1, "rad.image.new", &g);
    value = (float)radl_opt_number(L, 1, "value", 0);
    box = radl_image_push(L);
    *box = rad_image_new(&g);
    if (!*box)
        return radl_error(L);
    if (value != 0)
        for (size_t v = 0, n = rad_image_nvox(*box); v < n; v++)
            (*box)->data[v] = value;
    return 1;
}

/* ---- Image methods ---------------------------------------------------------------- */

static int m_write(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1);
    if (rad_image_write(img, luaL_checkstring(L, 2)) != 0)
        return radl_error(L);
    lua_settop(L, 1);
    return 1;
}

static int m_write_slice(lua_State *L)
{
    static const char *const keys[] = {"slice", "level", "width", NULL};
    RadImage *img = radl_check_image(L, 1);
    const char *path = luaL_checkstring(L, 2);
    RadStats st;
    lua_Integer k;
    double level, width;
    radl_check_keys(L, 3, "Image:write_slice", keys);
    k = radl_opt_integer(L, 3, "slice", (lua_Integer)(img->geom.dim[2] + 1) / 2);
    if (k < 1 || (lua_Unsigned)k > img->geom.dim[2])
        return luaL_error(L, "Image:write_slice: slice %d is outside 1..%d", (int)k, (int)img->geom.dim[2]);
    rad_image_stats(img, NULL, &st);
    level = radl_opt_number(L, 3, "level", st.n ? (st.min + st.max) / 2 : 0);
    width = radl_opt_number(L, 3, "width", st.n && st.max > st.min ? st.max - st.min : 1);
    if (rad_png_write_slice(img, (size_t)(k - 1), level, width, path) != 0)
        return radl_error(L);
    lua_settop(L, 1);
    return 1;
}

static int m_get(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1);
    size_t ijk[3];
    float v;
    radl_check_ijk(L, 2, lua_gettop(L) == 3 ? 2 : 3, &img->geom, ijk);
    rad_image_get(img, ijk[0], ijk[1], ijk[2], &v);
    lua_pushnumber(L, v);
    return 1;
}

static int m_set(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1);
    size_t ijk[3];
    int nidx = lua_gettop(L) == 4 ? 2 : 3;
    radl_check_ijk(L, 2, nidx, &img->geom, ijk);
    rad_image_set(img, ijk[0], ijk[1], ijk[2], (float)luaL_checknumber(L, 2 + nidx));
    lua_settop(L, 1);
    return 1;
}

static void push_stats(lua_State *L, const RadStats *st)
{
    lua_createtable(L, 0, 5);
    lua_pushinteger(L, (lua_Integer)st->n);
    lua_setfield(L, -2, "n");
    lua_pushnumber(L, st->min);
    lua_setfield(L, -2, "min");
    lua_pushnumber(L, st->max);
    lua_setfield(L, -2, "max");
    lua_pushnumber(L, st->mean);
    lua_setfield(L, -2, "mean");
    lua_pushnumber(L, st->sd);
    lua_setfield(L, -2, "sd");
}

static int m_stats(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1);
    RadMask *m = lua_isnoneornil(L, 2) ? NULL : radl_check_mask(L, 2);
    RadStats st;
    if (rad_image_stats(img, m, &st) != 0)
        return radl_error(L);
    push_stats(L, &st);
    return 1;
}

static int m_crop(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1);
    RadMask *m = radl_check_mask(L, 2);
    lua_Integer pad = luaL_optinteger(L, 3, 0);
    RadBox b;
    RadImage **ibox;
    RadMask **mbox;
    if (pad < 0)
        return luaL_error(L, "Image:crop: pad must be >= 0, got %d", (int)pad);
    if (rad_check_same_geometry(img, m, RAD_GEOMETRY_TOL) != 0 || rad_mask_bbox(m, &b) != 0)
        return radl_error(L);
    for (int c = 0; c < 3; c++) {
        size_t p = (size_t)pad;
        b.lo[c] = b.lo[c] > p ? b.lo[c] - p : 0;
        b.hi[c] = b.hi[c] + p < img->geom.dim[c] ? b.hi[c] + p : img->geom.dim[c] - 1;
    }
    ibox = radl_image_push(L);
    *ibox = rad_image_crop(img, &b);
    if (!*ibox)
        return radl_error(L);
    mbox = radl_mask_push(L);
    *mbox = rad_mask_crop(m, &b);
    if (!*mbox)
        return radl_error(L);
    return 2;
}

static int m_copy(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1);
    RadImage **box = radl_image_push(L);
    *box = rad_image_copy(img);
    return *box ? 1 : radl_error(L);
}

static int m_close(lua_State *L)
{
    RadImage **box = luaL_checkudata(L, 1, RADL_IMAGE);
    rad_image_free(*box);
    *box = NULL;
    return 0;
}

static int m_tostring(lua_State *L)
{
    RadImage **box = luaL_checkudata(L, 1, RADL_IMAGE);
    RadStats st;
    char geo[512], out[800];
    if (!*box) {
        lua_pushstring(L, "Image (closed)");
        return 1;
    }
    rad_geometry_describe(&(*box)->geom, geo, sizeof geo);
    rad_image_stats(*box, NULL, &st);
    if (st.n)
        snprintf(out, sizeof out, "Image %s, float32, values %.6g .. %.6g, mean %.6g", geo, st.min, st.max, st.mean);
    else
        snprintf(out, sizeof out, "Image %s, float32, no finite values", geo);
    lua_pushstring(L, out);
    return 1;
}

void radl_open_image(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"read", l_read, "rad.read(path) -> Image: read a NIfTI (.nii, .nii.gz), NRRD (.nrrd, .nhdr) or PNG image as float32, a single DICOM file (.dcm), or the DICOM image series in a folder (the only one; see rad.read_dicom)"},
        {NULL, NULL, NULL}};
    static const RadlReg image_funcs[] = {
        {"new", l_image_new, "rad.image.new{size = {nx, ny[, nz]}, spacing =, origin =, direction =, value = 0} -> Image"},
        {NULL, NULL, NULL}};
    static const RadlReg methods[] = {
        {"write", m_write, "Image:write(path) -> Image: write .nii/.nii.gz (float32), .nrrd/.nhdr, or .png (2D, full range)"},
        {"write_slice", m_write_slice, "Image:write_slice(path.png [, {slice =, level =, width =}]): 8-bit PNG of one axial slice through a window"},
        {"get", m_get, "Image:get(i, j[, k]) -> value: voxel at 1-based index"},
        {"set", m_set, "Image:set(i, j[, k], value) -> Image: set one voxel (1-based index)"},
        {"stats", m_stats, "Image:stats([mask]) -> {n, min, max, mean, sd}: of all voxels or the mask's (sd: population)"},
        {"crop", m_crop, "Image:crop(mask [, pad]) -> Image, Mask: both cut to the mask's bounding box plus pad voxels"},
        {"copy", m_copy, "Image:copy() -> Image: an independent copy"},
        {"close", m_close, "Image:close(): free the voxels now (also done by the garbage collector)"},
        {NULL, NULL, NULL}};

    /* rad.read */
    radl_register(L, funcs, "rad.");
    /* rad.image = { new = ... } */
    lua_newtable(L);
    radl_register(L, image_funcs, "rad.image.");
    lua_setfield(L, -2, "image");
    /* metatable with a method table as __index */
    radl_new_class(L, RADL_IMAGE, methods, "Image:", m_close, m_tostring);
    lua_getfield(L, -1, "__index");
    radl_register_geometry(L, "Image:");
    lua_pop(L, 2);
}
