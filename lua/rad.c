/* radlab: the `rad` Lua module: registration, help texts, shared helpers.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "binding.h"

/* Registry key of the help table: { [function] = text, [name] = text }. */
static const char *const HELP_KEY = "rad.help";

static void push_help_table(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, HELP_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, HELP_KEY);
    }
}

void radl_register(lua_State *L, const RadlReg *regs, const char *prefix)
{
    push_help_table(L);
    for (; regs->name; regs++) {
        char full[128];
        snprintf(full, sizeof full, "%s%s", prefix, regs->name);
        lua_pushcfunction(L, regs->func);
        lua_pushvalue(L, -1);
        lua_setfield(L, -4, regs->name); /* table[name] = f */
        lua_pushstring(L, regs->help);
        lua_rawset(L, -3);               /* help[f] = text */
        lua_pushstring(L, regs->help);
        lua_setfield(L, -2, full);       /* help[full name] = text */
    }
    lua_pop(L, 1);
}

void radl_new_class(lua_State *L, const char *tname, const RadlReg *methods, const char *prefix,
                    lua_CFunction close, lua_CFunction tostring)
{
    luaL_newmetatable(L, tname);
    lua_newtable(L);
    radl_register(L, methods, prefix);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, tostring);
    lua_setfield(L, -2, "__tostring");
}

void radl_set_path_fields(lua_State *L, size_t nlambda, size_t p, const double *lambda, const double *dev_ratio,
                          const size_t *df, const double *beta, char *const *names)
{
    radl_push_numbers(L, lambda, (int)nlambda);
    lua_setfield(L, -2, "lambda");
    radl_push_numbers(L, dev_ratio, (int)nlambda);
    lua_setfield(L, -2, "dev_ratio");
    lua_createtable(L, (int)nlambda, 0);
    for (size_t k = 0; k < nlambda; k++) {
        lua_pushinteger(L, (lua_Integer)df[k]);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "df");
    lua_createtable(L, (int)nlambda, 0);
    for (size_t k = 0; k < nlambda; k++) {
        lua_newtable(L);
        for (size_t j = 0; j < p; j++)
            if (beta[k * p + j] != 0) {
                lua_pushnumber(L, beta[k * p + j]);
                lua_setfield(L, -2, names[j]);
            }
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "beta");
}

void radl_set_cv_fields(lua_State *L, size_t nlambda, const double *lambda, const double *cvm, const double *cvsd,
                        double lambda_min, double lambda_1se, size_t index_min, size_t index_1se, lua_Integer folds)
{
    radl_push_numbers(L, lambda, (int)nlambda);
    lua_setfield(L, -2, "lambda");
    radl_push_numbers(L, cvm, (int)nlambda);
    lua_setfield(L, -2, "cvm");
    radl_push_numbers(L, cvsd, (int)nlambda);
    lua_setfield(L, -2, "cvsd");
    lua_pushnumber(L, lambda_min);
    lua_setfield(L, -2, "lambda_min");
    lua_pushnumber(L, lambda_1se);
    lua_setfield(L, -2, "lambda_1se");
    lua_pushinteger(L, (lua_Integer)index_min + 1);
    lua_setfield(L, -2, "index_min");
    lua_pushinteger(L, (lua_Integer)index_1se + 1);
    lua_setfield(L, -2, "index_1se");
    lua_pushinteger(L, folds);
    lua_setfield(L, -2, "folds");
}

int radl_fail(lua_State *L, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return luaL_error(L, "%s", msg);
}

int radl_error(lua_State *L)
{
    const char *msg = rad_error_message();
    return luaL_error(L, "%s", *msg ? msg : "unknown error in the radlab engine");
}

/* ---- options tables ------------------------------------------------------ */

static int opt_field(lua_State *L, int idx, const char *key)
{
    if (lua_isnoneornil(L, idx))
        return LUA_TNIL;
    luaL_checktype(L, idx, LUA_TTABLE);
    return lua_getfield(L, idx, key);
}

lua_Integer radl_opt_integer(lua_State *L, int idx, const char *key, lua_Integer def)
{
    int t = opt_field(L, idx, key);
    lua_Integer v = def;
    if (t != LUA_TNIL) {
        int isint = 0;
        if (t == LUA_TNUMBER)
            v = lua_tointegerx(L, -1, &isint);
        if (!isint)
            luaL_error(L, "option '%s' must be an integer, got %s", key, luaL_typename(L, -1));
    }
    if (!lua_isnoneornil(L, idx))
        lua_pop(L, 1);
    return v;
}

lua_Number radl_opt_number(lua_State *L, int idx, const char *key, lua_Number def)
{
    int t = opt_field(L, idx, key);
    lua_Number v = def;
    if (t != LUA_TNIL) {
        if (t != LUA_TNUMBER)
            luaL_error(L, "option '%s' must be a number, got %s", key, luaL_typename(L, -1));
        v = lua_tonumber(L, -1);
    }
    if (!lua_isnoneornil(L, idx))
        lua_pop(L, 1);
    return v;
}

const char *radl_opt_string(lua_State *L, int idx, const char *key, const char *def)
{
    int t = opt_field(L, idx, key);
    const char *v = def;
    if (t != LUA_TNIL) {
        if (t != LUA_TSTRING)
            luaL_error(L, "option '%s' must be a string, got %s", key, luaL_typename(L, -1));
        v = lua_tostring(L, -1); /* stays valid: the options table holds it */
    }
    if (!lua_isnoneornil(L, idx))
        lua_pop(L, 1);
    return v;
}

void radl_check_keys(lua_State *L, int idx, const char *fname, const char *const *allowed)
{
    if (lua_isnoneornil(L, idx))
        return;
    if (!lua_istable(L, idx))
        luaL_error(L, "%s: the options must be a table, got %s", fname, luaL_typename(L, idx));
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int ok = 0;
        if (lua_type(L, -2) == LUA_TSTRING) {
            const char *k = lua_tostring(L, -2);
            for (const char *const *a = allowed; *a; a++)
                if (strcmp(*a, k) == 0)
                    ok = 1;
        }
        if (!ok) {
            luaL_Buffer b;
            const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : luaL_typename(L, -2);
            luaL_buffinit(L, &b);
            for (const char *const *a = allowed; *a; a++) {
                luaL_addstring(&b, a == allowed ? "" : ", ");
                luaL_addstring(&b, *a);
            }
            luaL_pushresult(&b);
            luaL_error(L, "%s: unknown option '%s' (allowed: %s)", fname, k,
                       *allowed ? lua_tostring(L, -1) : "none");
        }
        lua_pop(L, 1);
    }
}

/* ---- rad.help ---------------------------------------------------------------- */

static int l_help(lua_State *L)
{
    luaL_checkany(L, 1);
    push_help_table(L);
    lua_pushvalue(L, 1);
    lua_rawget(L, -2);
    return 1;
}

static int l_help_names(lua_State *L)
{
    /* every documented name, sorted by the caller if it cares */
    int n = 0;
    push_help_table(L);
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
    push_help_table(L);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 3);
    lua_rawset(L, -3);
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, lua_tostring(L, 2));
    lua_settop(L, 1);
    return 1;
}

static const RadlReg rad_funcs[] = {
    {"document", l_document, "rad.document(f, name, text) -> f: register the one-line help of a Lua function (used by the stdlib modules)"},
    {"help", l_help, "rad.help(f or name) -> string: the one-line help of a radlab function (nil if none)"},
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
    radl_open_plot(L);
    return 1;
}
