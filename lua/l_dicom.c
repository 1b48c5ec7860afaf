/* radlab: DICOM image series from Lua: rad.read_dicom, rad.dicom.series,
 * rad.dicom.write_series.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "io/dicom.h"

/* An optional boolean field (nil: def); other types are an error naming it. */
static int opt_bool(lua_State *L, int idx, const char *fname, const char *key, int def)
{
    int t, v;
    if (lua_type(L, idx) != LUA_TTABLE)
        return def;
    t = lua_getfield(L, idx, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return def;
    }
    if (t != LUA_TBOOLEAN)
        radl_fail(L, "%s: option '%s' must be true or false, not a %s", fname, key, luaL_typename(L, -1));
    v = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

static void push_warnings(lua_State *L, RadDicomInfo *info)
{
    for (size_t i = 0; i < info->nwarnings; i++)
        radl_warn(L, "%s", info->warnings[i]);
}

static void set_series_fields(lua_State *L, const RadDicomSeries *s)
{
    lua_pushstring(L, s->uid);
    lua_setfield(L, -2, "uid");
    lua_pushstring(L, s->modality);
    lua_setfield(L, -2, "modality");
    lua_pushstring(L, s->description);
    lua_setfield(L, -2, "description");
    lua_pushstring(L, s->frame_of_reference);
    lua_setfield(L, -2, "frame_of_reference");
    lua_pushinteger(L, (lua_Integer)s->files);
    lua_setfield(L, -2, "files");
    lua_createtable(L, 3, 0);
    lua_pushinteger(L, (lua_Integer)s->nx);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, (lua_Integer)s->ny);
    lua_rawseti(L, -2, 2);
    lua_pushinteger(L, (lua_Integer)s->nz);
    lua_rawseti(L, -2, 3);
    lua_setfield(L, -2, "size");
    lua_pushstring(L, s->first);
    lua_setfield(L, -2, "path");
}

static int l_read_dicom(lua_State *L)
{
    static const char *const keys[] = {"series", "allow_uneven", "suv", NULL};
    const char *dir = luaL_checkstring(L, 1);
    RadDicomReadOptions o;
    RadDicomInfo info;
    RadImage **box;
    radl_check_keys(L, 2, "rad.read_dicom", keys);
    memset(&o, 0, sizeof o);
    if (lua_type(L, 2) == LUA_TTABLE) {
        int t = lua_getfield(L, 2, "series");
        if (t == LUA_TNUMBER && lua_isinteger(L, -1)) {
            lua_pushfstring(L, "%d", (int)lua_tointeger(L, -1));
            lua_replace(L, -2);
        } else if (t != LUA_TNIL && t != LUA_TSTRING)
            return radl_fail(L, "rad.read_dicom: option 'series' must be a series UID (or a unique prefix of one) or "
                                "its number in rad.dicom.series(dir), not a %s", luaL_typename(L, -1));
        o.series = lua_tostring(L, -1); /* kept on the stack */
    }
    o.allow_uneven = opt_bool(L, 2, "rad.read_dicom", "allow_uneven", 0);
    o.suv = opt_bool(L, 2, "rad.read_dicom", "suv", -1);
    box = radl_image_push(L);
    if (rad_dicom_read_series(dir, &o, box, &info) != 0)
        return radl_error(L);
    push_warnings(L, &info);
    /* second result: what was read */
    lua_newtable(L);
    set_series_fields(L, &info.series);
    lua_pushboolean(L, info.suv);
    lua_setfield(L, -2, "suv");
    if (info.suv) {
        lua_pushnumber(L, info.suv_factor);
        lua_setfield(L, -2, "suv_factor");
    }
    if (info.units[0]) {
        lua_pushstring(L, info.units);
        lua_setfield(L, -2, "units");
    }
    rad_dicom_info_free(&info);
    return 2;
}

static int l_series(lua_State *L)
{
    const char *dir = luaL_checkstring(L, 1);
    RadDicomSeries *list;
    RadDicomInfo info;
    size_t n;
    if (rad_dicom_list_series(dir, &list, &n, &info) != 0)
        return radl_error(L);
    push_warnings(L, &info);
    rad_dicom_info_free(&info);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_newtable(L);
        set_series_fields(L, &list[i]);
        lua_pushinteger(L, (lua_Integer)i + 1);
        lua_setfield(L, -2, "number");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    free(list);
    return 1;
}

static int l_write_series(lua_State *L)
{
    static const char *const keys[] = {"modality", "slope", "intercept", "transfer_syntax", "description",
                                       "patient_id", "units", "weight", "dose", "half_life", "injection_time",
                                       "series_time", "decay_correction", "enhanced", NULL};
    RadImage *img = radl_check_image(L, 1);
    const char *dir = luaL_checkstring(L, 2);
    RadDicomWriteOptions o;
    radl_check_keys(L, 3, "rad.dicom.write_series", keys);
    memset(&o, 0, sizeof o);
    o.modality = radl_opt_string(L, 3, "modality", "CT");
    o.slope = radl_opt_number(L, 3, "slope", 1);
    o.intercept = radl_opt_number(L, 3, "intercept", 0);
    o.transfer_syntax = radl_opt_string(L, 3, "transfer_syntax", "explicit");
    o.description = radl_opt_string(L, 3, "description", NULL);
    o.patient_id = radl_opt_string(L, 3, "patient_id", NULL);
    o.units = radl_opt_string(L, 3, "units", NULL);
    o.weight_kg = radl_opt_number(L, 3, "weight", 0);
    o.dose_bq = radl_opt_number(L, 3, "dose", 0);
    o.half_life_s = radl_opt_number(L, 3, "half_life", 0);
    o.injection_time = radl_opt_string(L, 3, "injection_time", NULL);
    o.series_time = radl_opt_string(L, 3, "series_time", NULL);
    o.decay_correction = radl_opt_string(L, 3, "decay_correction", NULL);
    o.enhanced = opt_bool(L, 3, "rad.dicom.write_series", "enhanced", 0);
    if (o.slope == 0)
        return radl_fail(L, "rad.dicom.write_series: slope must not be 0");
    if (rad_dicom_write_series(img, dir, &o) != 0)
        return radl_error(L);
    return 0;
}

void radl_open_dicom(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"read_dicom", l_read_dicom,
         "rad.read_dicom(dir [, {series =, allow_uneven = false, suv =}]) -> Image, info: read a DICOM image series "
         "from a folder (searched recursively); slices placed by ImagePositionPatient along the slice normal; values "
         "rescaled (CT: HU), PET in SUV body weight unless suv = false; series = UID, unique UID prefix or number "
         "in rad.dicom.series(dir) when the folder holds several; allow_uneven = true resamples uneven slice gaps "
         "linearly (with a warning); info = {uid, modality, description, frame_of_reference, files, size, path, suv, suv_factor, units} (pass info.frame_of_reference to rad.read_rtstruct to check the contours belong to this scan)"},
        {NULL, NULL, NULL}};
    static const RadlReg dicom_funcs[] = {
        {"series", l_series,
         "rad.dicom.series(dir) -> {{number, uid, modality, description, frame_of_reference, files, size = {nx, ny, nz}, path}, ...}: "
         "the DICOM series in a folder and its sub-folders (files that are not DICOM are skipped with a warning)"},
        {"write_series", l_write_series,
         "rad.dicom.write_series(img, dir [, {modality = \"CT\"|\"MR\"|\"PT\", slope = 1, intercept = 0, "
         "transfer_syntax = \"explicit\"|\"implicit\"|\"big\"|\"rle\"|\"jpeg-ls\"|\"jpeg-lossless\", description =, "
         "patient_id =, PET: units, weight (kg), dose (Bq), half_life (s), injection_time, series_time (HHMMSS), "
         "decay_correction, enhanced = false}]): write the image as a DICOM series of 16-bit slices IMG_00001.dcm... "
         "(enhanced = true: one Enhanced CT/MR multi-frame file) into a new or empty folder (new UIDs; stored = "
         "round((value - intercept) / slope), lossless)"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.");
    if (lua_getfield(L, -1, "dicom") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, "dicom");
    }
    radl_register(L, dicom_funcs, "rad.dicom.");
    lua_pop(L, 1);
}
