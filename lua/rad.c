/* radlab: the `rad` Lua module: luaopen_rad and rad.help.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "binding.h"
#include "util/hash.h"

/* ---- rad.plot, loaded on first use ------------------------------------------------ */

/* The plots are the module rad_plot.so (rad_plot.c), so that a run that draws
 * nothing never loads cairo and its libraries.  The rad table's metatable
 * has __modules = {plot = "rad_plot"} (radlab adds the stdlib modules,
 * demo = "rad.demo", ...; the REPL's completion and listing read it) and an
 * __index that requires the module of a name found there.  rad.plot is then
 * stored in rad, so that it is a plain field from the first use on. */
#define RADL_PLOT_MODULE "rad_plot"

static int l_rad_index(lua_State *L)
{
    const char *mod;
    if (lua_type(L, 2) != LUA_TSTRING || !lua_getmetatable(L, 1))
        return 0;
    lua_pushliteral(L, "__modules");
    if (lua_rawget(L, -2) != LUA_TTABLE)
        return 0;
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TSTRING)
        return 0;
    mod = lua_tostring(L, -1); /* stays on the stack */
    if (lua_getglobal(L, "require") != LUA_TFUNCTION)
        return luaL_error(L, "rad.%s: cannot load the module %s: the global require is missing", lua_tostring(L, 2),
                          mod);
    lua_pushvalue(L, -2);
    if (strcmp(mod, RADL_PLOT_MODULE) != 0) { /* a stdlib module: its errors as require raises them */
        lua_call(L, 1, 1);
        return 1;
    }
    if (lua_pcall(L, 1, 1, 0) != LUA_OK)
        return luaL_error(L, "rad.plot: cannot load the plotting module %s.so (it is installed beside rad.so; "
                             "reinstall radlab or add its folder to package.cpath): %s",
                          RADL_PLOT_MODULE, lua_tostring(L, -1));
    if (!lua_istable(L, -1))
        return luaL_error(L, "rad.plot: the module %s gave a %s, not the rad.plot table", RADL_PLOT_MODULE,
                          luaL_typename(L, -1));
    lua_pushvalue(L, -1);
    lua_setfield(L, 1, "plot"); /* no __newindex: a raw field from now on */
    return 1;
}

/* Load rad.plot (so that its help is registered): rad is package.loaded.rad. */
static void load_plot(lua_State *L)
{
    int top = lua_gettop(L);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, "rad") == LUA_TTABLE)
        lua_getfield(L, -1, "plot");
    lua_settop(L, top);
}

/* ---- rad.help ---------------------------------------------------------------- */

static int l_help(lua_State *L)
{
    luaL_checkany(L, 1);
    radl_push_help_table(L);
    lua_pushvalue(L, 1);
    lua_rawget(L, -2);
    if (lua_isnil(L, -1) && lua_type(L, 1) == LUA_TSTRING &&
        (strncmp(lua_tostring(L, 1), "rad.plot", 8) == 0 || strncmp(lua_tostring(L, 1), "Figure", 6) == 0)) {
        /* the help of rad.plot is registered when the module loads */
        lua_pop(L, 1);
        load_plot(L);
        lua_pushvalue(L, 1);
        lua_rawget(L, -2);
    }
    return 1;
}

static int l_help_names(lua_State *L)
{
    /* every documented name, sorted by the caller if it cares; with rad.plot's */
    int n = 0;
    load_plot(L);
    radl_push_help_table(L);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, -3, ++n);
        }
    }
    return 1;
}

/* rad.document(f, name, text): register help for a function written in Lua
 * (the stdlib modules), so help() and the manual cover them too. */
static int l_document(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    luaL_checkstring(L, 2);
    luaL_checkstring(L, 3);
    radl_push_help_table(L);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 3);
    lua_rawset(L, -3);
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, lua_tostring(L, 2));
    lua_settop(L, 1);
    return 1;
}

/* ---- rad.file_digest ---------------------------------------------------------- */

static int l_file_digest(lua_State *L)
{
    char hex[65];
    const char *path = luaL_checkstring(L, 1);
    if (rad_sha256_file(path, hex) != 0)
        return radl_fail(L, "rad.file_digest: %s", rad_error_message());
    lua_pushstring(L, hex);
    return 1;
}

static const RadlReg rad_funcs[] = {
    {"document", l_document, "rad.document(f, name, text) -> f: register the one-line help of a Lua function (used by the stdlib modules)"},
    {"help", l_help, "rad.help(f or name) -> string: the one-line help of a radlab function (nil if none)"},
    {"file_digest", l_file_digest, "rad.file_digest(path) -> string: the SHA-256 (64 hex digits) of the file's bytes, e.g. to record which manifest or image a result came from"},
    {"help_names", l_help_names, "rad.help_names() -> {names}: every documented function name"},
    {NULL, NULL, NULL}};

int luaopen_rad(lua_State *L)
{
    lua_newtable(L);
    radl_register(L, rad_funcs, "rad.");
    lua_pushstring(L, RAD_VERSION);
    lua_setfield(L, -2, "version");
    radl_open_image(L);
    radl_open_mask(L);
    radl_open_features(L);
    radl_open_table(L);
    radl_open_stats(L);
    radl_open_models(L);
    radl_open_cox(L);
    radl_open_surv(L);
    radl_open_coxnet(L);
    radl_open_cohort(L);
    radl_open_json(L);
    radl_open_yaml(L);
    radl_open_combat(L);
    radl_open_synth(L);
    radl_open_dicom(L);
    radl_open_perturb(L);
    radl_open_dicom_rt(L);
    radl_open_filter(L);
    radl_open_featuremap(L);
    radl_open_markdown(L);
    /* rad.plot: loaded on first use (l_rad_index) */
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, l_rad_index);
    lua_setfield(L, -2, "__index");
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, RADL_PLOT_MODULE);
    lua_setfield(L, -2, "plot");
    lua_setfield(L, -2, "__modules");
    lua_setmetatable(L, -2);
    return 1;
}
