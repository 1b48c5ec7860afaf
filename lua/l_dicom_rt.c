/* radlab: RTSTRUCT masks from Lua: rad.dicom.rois, rad.read_rtstruct.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "io/dicom.h"

/* The ROI list of `path` in scratch memory pushed on the stack; raises on error. */
static RadDicomRoi *rois_scratch(lua_State *L, const char *path, const char *fname, size_t *n)
{
    RadDicomRoi *r, *copy;
    if (rad_dicom_rois(path, &r, n) < 0)
        return radl_fail(L, "%s: %s", fname, rad_error_message()), NULL;
    copy = radl_scratch(L, (*n ? *n : 1) * sizeof *copy);
    if (*n)
        memcpy(copy, r, *n * sizeof *copy);
    free(r);
    return copy;
}

static int l_rois(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    size_t n;
    RadDicomRoi *r = rois_scratch(L, path, "rad.dicom.rois", &n);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 4);
        lua_pushinteger(L, r[i].number);
        lua_setfield(L, -2, "number");
        lua_pushstring(L, r[i].name);
        lua_setfield(L, -2, "name");
        lua_pushinteger(L, (lua_Integer)r[i].contours);
        lua_setfield(L, -2, "contours");
        lua_pushstring(L, r[i].frame_of_reference);
        lua_setfield(L, -2, "frame_of_reference");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int l_read_rtstruct(lua_State *L)
{
    static const char *const keys[] = {"roi", "frame_of_reference", NULL};
    const char *path = luaL_checkstring(L, 1);
    const RadGeometry *grid = radl_check_geometry(L, 2);
    const char *name = NULL, *uid;
    int number = 0;
    RadRtstructInfo info;
    RadMask **box;
    radl_check_keys(L, 3, "rad.read_rtstruct", keys);
    uid = radl_opt_string(L, 3, "frame_of_reference", NULL);
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "roi");
        if (lua_type(L, -1) == LUA_TSTRING)
            name = lua_tostring(L, -1); /* stays on the stack */
        else if (lua_isinteger(L, -1))
            number = (int)lua_tointeger(L, -1);
        else if (!lua_isnil(L, -1))
            return radl_fail(L, "rad.read_rtstruct: roi must be an ROI name (string) or number (integer), got a %s",
                             luaL_typename(L, -1));
        else
            lua_pop(L, 1);
    }
    if (!name && !number) {
        /* no roi given: the only ROI of the file, or an error listing them */
        size_t n;
        RadDicomRoi *r = rois_scratch(L, path, "rad.read_rtstruct", &n);
        if (n != 1) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (size_t i = 0; i < n; i++) {
                lua_pushfstring(L, "%s%d '%s'", i ? ", " : "", r[i].number, r[i].name);
                luaL_addvalue(&b);
            }
            luaL_pushresult(&b);
            return radl_fail(L, "rad.read_rtstruct: '%s' has %zu ROIs (%s); choose one with {roi = name or number}",
                             path, n, n ? lua_tostring(L, -1) : "none");
        }
        number = r[0].number;
    }
    box = radl_mask_push(L);
    if (rad_rtstruct_read(path, name, number, grid, uid, box, &info) < 0)
        return radl_fail(L, "rad.read_rtstruct: %s", rad_error_message());
    if (info.open || info.point || info.other)
        radl_warn(L, "rad.read_rtstruct: '%s', ROI '%s': %zu OPEN_PLANAR, %zu POINT and %zu other contours ignored "
                     "(they enclose no volume); %zu closed contours rasterised",
                  path, info.roi.name, info.open, info.point, info.other, info.closed);
    return 1;
}

void radl_open_dicom_rt(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"read_rtstruct", l_read_rtstruct, "rad.read_rtstruct(path, image [, {roi = name or number, frame_of_reference = uid}]) -> Mask: an RTSTRUCT ROI rasterised on the image's grid (label 1): a voxel is in when its centre is inside the ROI's closed contours of its slice by the even-odd rule (holes; a centre on a left/lower edge is in, on a right/upper edge out); each contour must lie on a slice (within 1/20 of the spacing); roi may be left out when the file has one ROI; frame_of_reference, when given, must be the ROI's"},
        {NULL, NULL, NULL}};
    static const RadlReg dicom_funcs[] = {
        {"rois", l_rois, "rad.dicom.rois(path) -> {{number =, name =, contours =, frame_of_reference =}, ...}: the ROIs of an RTSTRUCT file, in file order (contours: how many the ROI has)"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.");
    /* rad.dicom is shared with the DICOM series functions: get or create it */
    lua_pushliteral(L, "dicom");
    if (lua_rawget(L, -2) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushliteral(L, "dicom");
        lua_pushvalue(L, -2);
        lua_rawset(L, -4);
    }
    radl_register(L, dicom_funcs, "rad.dicom.");
    lua_pop(L, 1);
}
