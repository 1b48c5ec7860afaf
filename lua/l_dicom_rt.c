/* radlab: RTSTRUCT and SEG masks from Lua: rad.dicom.rois, rad.read_rtstruct, rad.dicom.segments, rad.read_dicom_seg.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "binding.h"
#include "io/dicom.h"

/* A list the engine malloc'd (rc its status, n items of `size` bytes)
 * moved into scratch memory pushed on the stack, so that a Lua error later
 * cannot leak it; raises with the engine's message when rc < 0. */
static void *list_scratch(lua_State *L, int rc, void *list, size_t n, size_t size, const char *fname)
{
    void *copy;
    if (rc < 0)
        return radl_fail(L, "%s: %s", fname, rad_error_message()), NULL;
    copy = radl_scratch(L, (n ? n : 1) * size);
    if (n)
        memcpy(copy, list, n * size);
    free(list);
    return copy;
}

/* The ROI list of `path` in scratch memory pushed on the stack; raises on error. */
static RadDicomRoi *rois_scratch(lua_State *L, const char *path, const char *fname, size_t *n)
{
    RadDicomRoi *r = NULL;
    int rc = rad_dicom_rois(path, &r, n);
    return list_scratch(L, rc, r, *n, sizeof *r, fname);
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

/* The option `key` of the options table at 3: a name (string) -> *name,
 * or a number (integer) -> *number; returns 1 when given, 0 when absent.
 * A string stays on the stack. */
static int name_or_number(lua_State *L, const char *fname, const char *key, const char *what, const char **name,
                          int *number)
{
    if (!lua_istable(L, 3))
        return 0;
    lua_getfield(L, 3, key);
    if (lua_type(L, -1) == LUA_TSTRING) {
        *name = lua_tostring(L, -1);
        return 1;
    }
    if (lua_isinteger(L, -1)) {
        lua_Integer v = lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (v < 0 || v > 65535)
            return radl_fail(L, "%s: %s number %lld is not a DICOM %s number (0..65535)", fname, key, (long long)v, what);
        *number = (int)v;
        return 1;
    }
    if (!lua_isnil(L, -1)) {
        const char *got = lua_type(L, -1) == LUA_TNUMBER ? lua_pushfstring(L, "the number %f", lua_tonumber(L, -1))
                                                         : lua_pushfstring(L, "a %s", luaL_typename(L, -1));
        return radl_fail(L, "%s: %s must be the %s's name (a string) or number (an integer), got %s", fname, key,
                         what, got);
    }
    lua_pop(L, 1);
    return 0;
}

/* The number of the only item of a list of ROIs or segments (n items of
 * `stride` bytes, an int number and a name at the offsets given), or an error
 * listing them ("has 3 ROIs (1 'GTV', 2 'CTV', ...); choose one with {...}"). */
static int only_one(lua_State *L, const char *fname, const char *path, const void *items, size_t n, size_t stride,
                    size_t number_at, size_t name_at, const char *what, const char *choose)
{
    const char *base = items;
    luaL_Buffer b;
    if (n == 1)
        return *(const int *)(base + number_at);
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < n; i++) {
        lua_pushfstring(L, "%s%d '%s'", i ? ", " : "", *(const int *)(base + i * stride + number_at),
                        base + i * stride + name_at);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    return radl_fail(L, "%s: '%s' has %d %s (%s); choose one with {%s}", fname, path, (int)n, what,
                     n ? lua_tostring(L, -1) : "none", choose);
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
    if (!name_or_number(L, "rad.read_rtstruct", "roi", "ROI", &name, &number)) {
        /* no roi given: the only ROI of the file, or an error listing them */
        size_t n;
        RadDicomRoi *r = rois_scratch(L, path, "rad.read_rtstruct", &n);
        number = only_one(L, "rad.read_rtstruct", path, r, n, sizeof *r, offsetof(RadDicomRoi, number),
                          offsetof(RadDicomRoi, name), "ROIs", "roi = name or number");
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

/* ---- DICOM SEG ------------------------------------------------------------------- */

static RadDicomSegment *segments_scratch(lua_State *L, const char *path, const char *fname, size_t *n)
{
    RadDicomSegment *r = NULL;
    int rc = rad_dicom_segments(path, &r, n);
    return list_scratch(L, rc, r, *n, sizeof *r, fname);
}

static int l_segments(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    size_t n;
    RadDicomSegment *r = segments_scratch(L, path, "rad.dicom.segments", &n);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 3);
        lua_pushinteger(L, r[i].number);
        lua_setfield(L, -2, "number");
        lua_pushstring(L, r[i].label);
        lua_setfield(L, -2, "label");
        lua_pushstring(L, r[i].description);
        lua_setfield(L, -2, "description");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int l_read_dicom_seg(lua_State *L)
{
    static const char *const keys[] = {"segment", "frame_of_reference", NULL};
    const char *path = luaL_checkstring(L, 1);
    const RadGeometry *grid = radl_check_geometry(L, 2);
    const char *label = NULL, *uid;
    int number = 0;
    RadSegInfo info;
    RadMask **box;
    radl_check_keys(L, 3, "rad.read_dicom_seg", keys);
    uid = radl_opt_string(L, 3, "frame_of_reference", NULL);
    if (!name_or_number(L, "rad.read_dicom_seg", "segment", "segment", &label, &number)) {
        size_t n;
        RadDicomSegment *r = segments_scratch(L, path, "rad.read_dicom_seg", &n);
        number = only_one(L, "rad.read_dicom_seg", path, r, n, sizeof *r, offsetof(RadDicomSegment, number),
                          offsetof(RadDicomSegment, label), "segments", "segment = label or number");
    }
    box = radl_mask_push(L);
    if (rad_dicom_seg_read(path, label, number, grid, uid, box, &info) < 0)
        return radl_fail(L, "rad.read_dicom_seg: %s", rad_error_message());
    if (info.resampled)
        radl_warn(L, "rad.read_dicom_seg: '%s', segment %d '%s': the segmentation's grid is not the image's; its %zu "
                     "frames were resampled onto the image's grid by nearest neighbour",
                  path, info.segment.number, info.segment.label, info.frames);
    if (info.outside)
        radl_warn(L, "rad.read_dicom_seg: '%s', segment %d '%s': %zu of its pixels lie outside the image and were left "
                     "out",
                  path, info.segment.number, info.segment.label, info.outside);
    return 1;
}

void radl_open_dicom_rt(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"read_dicom_seg", l_read_dicom_seg, "rad.read_dicom_seg(path, image [, {segment = label or number, frame_of_reference = uid}]) -> Mask: one segment of a DICOM SEG (binary, or fractional: in where the value >= half the MaximumFractionalValue) on the image's grid (label 1); frames placed by their plane positions; a SEG on another grid is resampled by nearest neighbour, with a warning; segment may be left out when the file has one"},
        {"read_rtstruct", l_read_rtstruct, "rad.read_rtstruct(path, image [, {roi = name or number, frame_of_reference = uid}]) -> Mask: an RTSTRUCT ROI rasterised on the image's grid (label 1): a voxel is in when its centre is inside the ROI's closed contours of its slice by the even-odd rule (holes; a centre on a left/lower edge is in, on a right/upper edge out); each contour must lie on a slice (within 1/20 of the spacing); roi may be left out when the file has one ROI; frame_of_reference, when given, must be the ROI's"},
        {NULL, NULL, NULL}};
    static const RadlReg dicom_funcs[] = {
        {"segments", l_segments, "rad.dicom.segments(path) -> {{number =, label =, description =}, ...}: the segments of a DICOM SEG file, in file order"},
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
