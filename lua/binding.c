/* radlab: helpers shared by the binding files.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is declared in binding.h.  The per-object binding files
 * (l_image.c, l_table.c, ...) call these and the engine, never each other:
 * the boxes of the core objects, options and key checks, number arrays and
 * rad.NA, geometry tables, chart options and the extraction settings table.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"

const char *const radl_interp_names[] = {"nearest", "linear", "cubic", NULL};
const char *const radl_disc_names[] = {"none", "fbn", "fbs", NULL};
const char *const radl_ivh_names[] = {"discrete", "fbs", "fbn", NULL};

RadImage **radl_image_push(lua_State *L)
{
    RadImage **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL; /* safe to collect before it is filled */
    luaL_setmetatable(L, RADL_IMAGE);
    return box;
}

RadImage *radl_check_image(lua_State *L, int idx)
{
    RadImage **box = luaL_checkudata(L, idx, RADL_IMAGE);
    if (!*box)
        luaL_error(L, "attempt to use a closed Image");
    return *box;
}

const RadGeometry *radl_check_geometry(lua_State *L, int idx)
{
    void *p = luaL_testudata(L, idx, RADL_IMAGE);
    if (p)
        return &radl_check_image(L, idx)->geom;
    p = luaL_testudata(L, idx, RADL_MASK);
    if (p)
        return &radl_check_mask(L, idx)->geom;
    luaL_typeerror(L, idx, "Image or Mask");
    return NULL;
}

void radl_push_numbers(lua_State *L, const double *v, int n)
{
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushnumber(L, v[i]);
        lua_rawseti(L, -2, i + 1);
    }
}

void radl_check_ijk(lua_State *L, int idx, int n, const RadGeometry *g, size_t ijk[3])
{
    if (n == 2 && g->ndim != 2)
        luaL_error(L, "a 3D image needs three indices i, j, k");
    ijk[2] = 0;
    for (int c = 0; c < n; c++) {
        lua_Integer v = luaL_checkinteger(L, idx + c);
        if (v < 1 || (lua_Unsigned)v > g->dim[c])
            luaL_error(L, "index %c = %d is outside 1..%d", "ijk"[c], (int)v, (int)g->dim[c]);
        ijk[c] = (size_t)(v - 1);
    }
}

static int g_size(lua_State *L)
{
    const RadGeometry *g = radl_check_geometry(L, 1);
    for (int c = 0; c < 3; c++)
        lua_pushinteger(L, (lua_Integer)g->dim[c]);
    return 3;
}

static int g_ndim(lua_State *L)
{
    lua_pushinteger(L, radl_check_geometry(L, 1)->ndim);
    return 1;
}

static int g_spacing(lua_State *L)
{
    const RadGeometry *g = radl_check_geometry(L, 1);
    for (int c = 0; c < 3; c++)
        lua_pushnumber(L, g->spacing[c]);
    return 3;
}

static int g_origin(lua_State *L)
{
    const RadGeometry *g = radl_check_geometry(L, 1);
    for (int c = 0; c < 3; c++)
        lua_pushnumber(L, g->origin[c]);
    return 3;
}

static int g_direction(lua_State *L)
{
    radl_push_numbers(L, radl_check_geometry(L, 1)->direction, 9);
    return 1;
}

static int g_to_point(lua_State *L)
{
    const RadGeometry *g = radl_check_geometry(L, 1);
    double idx[3], p[3];
    for (int c = 0; c < 3; c++)
        idx[c] = (c == 2 && lua_isnoneornil(L, 4) ? 1 : luaL_checknumber(L, 2 + c)) - 1;
    rad_geometry_index_to_point(g, idx, p);
    for (int c = 0; c < 3; c++)
        lua_pushnumber(L, p[c]);
    return 3;
}

static int g_to_index(lua_State *L)
{
    const RadGeometry *g = radl_check_geometry(L, 1);
    double idx[3], p[3];
    for (int c = 0; c < 3; c++)
        p[c] = luaL_checknumber(L, 2 + c);
    if (rad_geometry_point_to_index(g, p, idx) != 0)
        return radl_error(L);
    for (int c = 0; c < 3; c++)
        lua_pushnumber(L, idx[c] + 1);
    return 3;
}

void radl_register_geometry(lua_State *L, const char *prefix)
{
    /* One C function serves both types, so one text names both. */
    static const RadlReg geom[] = {
        {"size", g_size, "Image:size() or Mask:size() -> nx, ny, nz: voxels along each axis (nz = 1 in 2D)"},
        {"ndim", g_ndim, "Image:ndim() or Mask:ndim() -> 2 or 3: number of dimensions"},
        {"spacing", g_spacing, "Image:spacing() or Mask:spacing() -> sx, sy, sz: voxel size in mm"},
        {"origin", g_origin, "Image:origin() or Mask:origin() -> x, y, z: LPS position (mm) of voxel (1,1,1)"},
        {"direction", g_direction, "Image:direction() or Mask:direction() -> {9 numbers}: row-major 3x3, column c = world direction of axis c"},
        {"to_point", g_to_point, "Image:to_point(i, j, k) or Mask:to_point(...) -> x, y, z: 1-based (fractional) index to LPS mm"},
        {"to_index", g_to_index, "Image:to_index(x, y, z) or Mask:to_index(...) -> i, j, k: LPS mm to 1-based fractional index"},
        {NULL, NULL, NULL}};
    radl_register(L, geom, prefix);
}

/* Fill a double[n] from the array field `key` of the table at idx. */
static int opt_vector(lua_State *L, int idx, const char *key, double *v, int nmin, int nmax)
{
    int n;
    if (lua_getfield(L, idx, key) == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_istable(L, -1))
        return luaL_error(L, "option '%s' must be an array of %d to %d numbers", key, nmin, nmax);
    n = (int)luaL_len(L, -1);
    if (n < nmin || n > nmax)
        return luaL_error(L, "option '%s' must have %d to %d numbers, it has %d", key, nmin, nmax, n);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, -1, i + 1);
        if (!lua_isnumber(L, -1))
            return luaL_error(L, "option '%s'[%d] must be a number", key, i + 1);
        v[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return n;
}

/* Geometry from {size =, spacing =, origin =, direction =} (rad.image.new, rad.mask.new). */
void radl_geometry_from_table(lua_State *L, int idx, const char *fname, RadGeometry *g)
{
    double size[3] = {1, 1, 1}, sp[3] = {1, 1, 1}, org[3] = {0, 0, 0}, dir[9];
    int n, ns, no;
    luaL_checktype(L, idx, LUA_TTABLE);
    n = opt_vector(L, idx, "size", size, 2, 3);
    if (n == 0)
        luaL_error(L, "%s: option 'size' is required, e.g. {size = {64, 64, 16}}", fname);
    for (int c = 0; c < n; c++)
        if (size[c] < 1 || size[c] != floor(size[c]) || size[c] > 1e9)
            luaL_error(L, "%s: size[%d] = %f must be a positive integer", fname, c + 1, size[c]);
    rad_geometry_init(g, n, (size_t)size[0], (size_t)size[1], (size_t)size[2]);
    ns = opt_vector(L, idx, "spacing", sp, n, n);
    if (ns)
        memcpy(g->spacing, sp, (size_t)ns * sizeof sp[0]);
    no = opt_vector(L, idx, "origin", org, n, n);
    if (no)
        memcpy(g->origin, org, (size_t)no * sizeof org[0]);
    if (opt_vector(L, idx, "direction", dir, 9, 9))
        memcpy(g->direction, dir, sizeof dir);
    if (rad_geometry_check(g) != 0)
        luaL_error(L, "%s: %s", fname, rad_error_message());
}

RadMask **radl_mask_push(lua_State *L)
{
    RadMask **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, RADL_MASK);
    return box;
}

RadMask *radl_check_mask(lua_State *L, int idx)
{
    RadMask **box = luaL_checkudata(L, idx, RADL_MASK);
    if (!*box)
        luaL_error(L, "attempt to use a closed Mask");
    return *box;
}

RadFigure **radl_figure_push(lua_State *L)
{
    RadFigure **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, RADL_FIGURE);
    return box;
}

RadFigure *radl_check_figure(lua_State *L, int idx)
{
    RadFigure **box = luaL_checkudata(L, idx, RADL_FIGURE);
    if (!*box)
        luaL_error(L, "attempt to use a closed Figure");
    return *box;
}

int radl_figure_return(lua_State *L, RadFigure **box, RadFigure *fig, const char *fname)
{
    if (!fig) {
        const char *msg = rad_error_message(), *dot = strrchr(fname, '.');
        const char *shortname = dot ? dot + 1 : fname;
        size_t k = strlen(shortname);
        if (strncmp(msg, shortname, k) == 0 && msg[k] == ':')
            msg += k + (msg[k + 1] == ' ' ? 2 : 1);
        return radl_fail(L, "%s: %s", fname, msg);
    }
    *box = fig;
    return 1;
}

void *radl_scratch(lua_State *L, size_t bytes)
{
    luaL_checkstack(L, 4, "rad.plot");
    return lua_newuserdatauv(L, bytes ? bytes : 1, 0);
}

void radl_numbers_into(lua_State *L, int idx, const char *fname, const char *what, double *v, size_t len)
{
    idx = lua_absindex(L, idx);
    for (size_t i = 0; i < len; i++) {
        int t = lua_rawgeti(L, idx, (lua_Integer)i + 1);
        if (t == LUA_TNUMBER)
            v[i] = lua_tonumber(L, -1);
        else if (t == LUA_TNIL || radl_is_na(L, -1))
            v[i] = NAN;
        else
            radl_fail(L, "%s: %s[%zu] is a %s; give numbers (rad.NA for missing)", fname, what, i + 1,
                      luaL_typename(L, -1));
        lua_pop(L, 1);
    }
}

double *radl_numbers_scratch(lua_State *L, int idx, const char *fname, const char *what, size_t *n)
{
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx))
        radl_fail(L, "%s: %s must be an array of numbers, got %s", fname, what, luaL_typename(L, idx));
    size_t len = (size_t)lua_rawlen(L, idx);
    double *v = radl_scratch(L, len * sizeof *v);
    radl_numbers_into(L, idx, fname, what, v, len);
    *n = len;
    return v;
}

void radl_chart_options(lua_State *L, int idx, const char *fname, RadChartOptions *o)
{
    rad_chart_options_default(o);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    o->width = radl_opt_number(L, idx, "width", 0);
    o->height = radl_opt_number(L, idx, "height", 0);
    if ((o->width != 0 && !(o->width >= 10 && o->width <= 2000)) ||
        (o->height != 0 && !(o->height >= 10 && o->height <= 2000)))
        radl_fail(L, "%s: width and height are in mm, 10 to 2000 (got %g x %g)", fname, o->width, o->height);
    o->title = radl_opt_string(L, idx, "title", NULL);
    o->subtitle = radl_opt_string(L, idx, "subtitle", NULL);
    o->xlabel = radl_opt_string(L, idx, "xlabel", NULL);
    o->ylabel = radl_opt_string(L, idx, "ylabel", NULL);
    const char *lg = radl_opt_string(L, idx, "legend", NULL);
    if (lg && rad_legend_parse(lg, &o->legend) != 0)
        radl_fail(L, "%s: %s", fname, rad_error_message());
    lua_getfield(L, idx, "grid");
    if (!lua_isnil(L, -1)) {
        if (!lua_isboolean(L, -1))
            radl_fail(L, "%s: option grid must be true or false, got %s", fname, luaL_typename(L, -1));
        o->grid = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
}

void radl_push_help_table(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, RADL_HELP_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, RADL_HELP_KEY);
    }
}

void radl_register(lua_State *L, const RadlReg *regs, const char *prefix)
{
    radl_push_help_table(L);
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

void radl_warn(lua_State *L, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (lua_getfield(L, LUA_REGISTRYINDEX, RADL_WARNINGS_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, RADL_WARNINGS_KEY);
    }
    if (lua_rawlen(L, -1) < RADL_WARNINGS_MAX) { /* a long resampling loop must not grow it without bound */
        lua_pushstring(L, msg);
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    }
    lua_pop(L, 1);
    lua_warning(L, msg, 0);
}

int radl_error(lua_State *L)
{
    const char *msg = rad_error_message();
    return luaL_error(L, "%s", *msg ? msg : "unknown error in the radlab engine");
}

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

void radl_push_numbers_na(lua_State *L, const double *v, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            radl_push_na(L);
        else
            lua_pushnumber(L, v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

void radl_push_na(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, RADL_NA_KEY);
}

int radl_is_na(lua_State *L, int idx)
{
    int r;
    idx = lua_absindex(L, idx);
    radl_push_na(L);
    r = lua_rawequal(L, idx, -1);
    lua_pop(L, 1);
    return r;
}

double *radl_check_numbers(lua_State *L, int idx, size_t *n)
{
    size_t len;
    double *v;
    idx = lua_absindex(L, idx);
    luaL_checktype(L, idx, LUA_TTABLE);
    len = (size_t)lua_rawlen(L, idx);
    for (size_t i = 1; i <= len; i++) {
        int t = lua_rawgeti(L, idx, (lua_Integer)i);
        if (t != LUA_TNUMBER && t != LUA_TNIL && !radl_is_na(L, -1))
            luaL_error(L, "element %d of the array is %s, a number or rad.NA is needed", (int)i,
                       t == LUA_TSTRING ? "a string" : luaL_typename(L, -1));
        lua_pop(L, 1);
    }
    v = malloc((len ? len : 1) * sizeof *v);
    if (!v)
        luaL_error(L, "out of memory (%d numbers)", (int)len);
    for (size_t i = 1; i <= len; i++) {
        v[i - 1] = lua_rawgeti(L, idx, (lua_Integer)i) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
        lua_pop(L, 1);
    }
    *n = len;
    return v;
}

RadTable **radl_table_push(lua_State *L)
{
    RadTable **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL; /* safe to collect before it is filled */
    luaL_setmetatable(L, RADL_TABLE);
    return box;
}

RadTable *radl_check_table(lua_State *L, int idx)
{
    RadTable **box = luaL_checkudata(L, idx, RADL_TABLE);
    if (!*box)
        luaL_error(L, "attempt to use a closed Table");
    return *box;
}

/* Check that every key of the table at idx is in `allowed`; `path` names it. */
static void check_table_keys(lua_State *L, int idx, const char *path, const char *const *allowed)
{
    char fname[96];
    snprintf(fname, sizeof fname, "settings%s%s", *path ? "." : "", path);
    radl_check_keys(L, idx, fname, allowed);
}

/* Push field `key` of the table at idx; returns its type (nil when absent). */
static int field(lua_State *L, int idx, const char *key)
{
    return lua_getfield(L, idx, key);
}

static double num_field(lua_State *L, int idx, const char *path, const char *key, double def)
{
    int t = field(L, idx, key);
    double v = def;
    if (t != LUA_TNIL) {
        if (t != LUA_TNUMBER)
            luaL_error(L, "settings.%s.%s must be a number, got %s", path, key, luaL_typename(L, -1));
        v = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

static int int_field(lua_State *L, int idx, const char *path, const char *key, int def, int lo, int hi)
{
    int t = field(L, idx, key);
    lua_Integer v = def;
    if (t != LUA_TNIL) {
        int isint = 0;
        if (t == LUA_TNUMBER)
            v = lua_tointegerx(L, -1, &isint);
        if (!isint)
            luaL_error(L, "settings.%s.%s must be an integer, got %s", path, key, luaL_typename(L, -1));
        if (v < lo || v > hi)
            luaL_error(L, "settings.%s.%s must be %d..%d, got %d", path, key, lo, hi, (int)v);
    }
    lua_pop(L, 1);
    return (int)v;
}

static int bool_field(lua_State *L, int idx, const char *path, const char *key, int def)
{
    int t = field(L, idx, key), v = def;
    if (t != LUA_TNIL) {
        if (t != LUA_TBOOLEAN)
            luaL_error(L, "settings.%s%s%s must be true or false, got %s", path, *path ? "." : "", key,
                       luaL_typename(L, -1));
        v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

/* One of `names` (NULL-terminated); returns its index or def when absent. */
static int enum_field(lua_State *L, int idx, const char *path, const char *key, const char *const *names, int def)
{
    int t = field(L, idx, key), v = def;
    if (t != LUA_TNIL) {
        const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        luaL_Buffer b;
        for (int i = 0; s && names[i]; i++)
            if (strcmp(s, names[i]) == 0) {
                lua_pop(L, 1);
                return i;
            }
        luaL_buffinit(L, &b);
        for (int i = 0; names[i]; i++) {
            luaL_addstring(&b, i ? ", " : "");
            luaL_addchar(&b, '"');
            luaL_addstring(&b, names[i]);
            luaL_addchar(&b, '"');
        }
        luaL_pushresult(&b);
        luaL_error(L, "settings.%s.%s must be one of %s, got %s", path, key, lua_tostring(L, -1),
                   s ? s : luaL_typename(L, -2));
    }
    lua_pop(L, 1);
    return v;
}

/* An array of n numbers (exactly n, or nmin..n). Returns the count (0 if absent). */
static int vec_field(lua_State *L, int idx, const char *path, const char *key, double *v, int nmin, int n)
{
    int t = field(L, idx, key), len;
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TTABLE)
        luaL_error(L, "settings.%s.%s must be an array of %d numbers", path, key, n);
    len = (int)luaL_len(L, -1);
    if (len < nmin || len > n)
        luaL_error(L, "settings.%s.%s must have %s%d numbers, it has %d", path, key, nmin < n ? "up to " : "", n, len);
    for (int i = 0; i < len; i++) {
        if (lua_rawgeti(L, -1, i + 1) != LUA_TNUMBER)
            luaL_error(L, "settings.%s.%s[%d] must be a number", path, key, i + 1);
        v[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return len;
}

/* Sub-table `key` of the settings at idx pushed, or 0 when absent. */
static int sub_table(lua_State *L, int idx, const char *key)
{
    int t = field(L, idx, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TTABLE)
        luaL_error(L, "settings.%s must be a table, got %s", key, luaL_typename(L, -1));
    return lua_gettop(L);
}

static unsigned family_bits(lua_State *L, int idx)
{
    unsigned bits = 0;
    int n = (int)luaL_len(L, idx);
    for (int i = 1; i <= n; i++) {
        const char *name;
        const RadFamily *const *f;
        if (lua_rawgeti(L, idx, i) != LUA_TSTRING)
            luaL_error(L, "settings.families[%d] must be a family name such as \"cm\"", i);
        name = lua_tostring(L, -1);
        for (f = rad_families(); *f; f++)
            if (strcmp((*f)->prefix, name) == 0)
                break;
        if (!*f) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (f = rad_families(); *f; f++) {
                luaL_addstring(&b, f == rad_families() ? "" : ", ");
                luaL_addstring(&b, (*f)->prefix);
            }
            luaL_pushresult(&b);
            luaL_error(L, "settings.families: unknown family '%s' (families: %s)", name, lua_tostring(L, -1));
        }
        bits |= (*f)->bit;
        lua_pop(L, 1);
    }
    return bits;
}

void radl_settings_from_table(lua_State *L, int idx, RadSettings *s)
{
    static const char *const top_keys[] = {"families", "round", "resample", "resegment", "discretise",
                                           "ivh", "texture", NULL};
    static const char *const resample_keys[] = {"spacing", "in_plane", "interpolator", "mask_interpolator",
                                                "mask_threshold", "round", NULL};
    static const char *const reseg_keys[] = {"range", "outliers", NULL};
    static const char *const disc_keys[] = {"method", "bins", "width", "min", NULL};
    static const char *const ivh_keys[] = {"method", "bins", "width", "range", NULL};
    static const char *const tex_keys[] = {"aggregation", "distance", "ngldm_alpha", NULL};
    int t;

    rad_settings_default(s);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    idx = lua_absindex(L, idx);
    check_table_keys(L, idx, "", top_keys);

    if (field(L, idx, "families") != LUA_TNIL) {
        if (!lua_istable(L, -1))
            luaL_error(L, "settings.families must be an array of family names, e.g. {\"stat\", \"cm\"}");
        s->families = family_bits(L, lua_gettop(L)) | RAD_FAM_DIAG;
    }
    lua_pop(L, 1);
    s->round_input = bool_field(L, idx, "", "round", 0);

    if ((t = sub_table(L, idx, "resample"))) {
        double sp[3] = {0, 0, 0};
        int n;
        check_table_keys(L, t, "resample", resample_keys);
        s->resample = 1;
        s->resample_2d = bool_field(L, t, "resample", "in_plane", 0);
        n = vec_field(L, t, "resample", "spacing", sp, s->resample_2d ? 2 : 3, 3);
        if (n == 0)
            luaL_error(L, "settings.resample.spacing is required, e.g. {2, 2, 2} (mm)");
        memcpy(s->spacing, sp, sizeof sp);
        s->interp = (RadInterp)enum_field(L, t, "resample", "interpolator", radl_interp_names, RAD_INTERP_LINEAR);
        s->mask_interp = (RadInterp)enum_field(L, t, "resample", "mask_interpolator", radl_interp_names, RAD_INTERP_LINEAR);
        s->mask_threshold = num_field(L, t, "resample", "mask_threshold", 0.5);
        s->round_intensities = bool_field(L, t, "resample", "round", 0);
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "resegment"))) {
        double r[2];
        check_table_keys(L, t, "resegment", reseg_keys);
        if (vec_field(L, t, "resegment", "range", r, 2, 2)) {
            s->reseg_range = 1;
            s->reseg_lo = r[0];
            s->reseg_hi = r[1];
        }
        s->outlier_sigma = num_field(L, t, "resegment", "outliers", 0);
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "discretise"))) {
        check_table_keys(L, t, "discretise", disc_keys);
        int has_width, has_bins, has_min;
        s->disc = (RadDisc)enum_field(L, t, "discretise", "method", radl_disc_names, RAD_DISC_FBN);
        has_width = field(L, t, "width") != LUA_TNIL;
        has_bins = field(L, t, "bins") != LUA_TNIL;
        has_min = field(L, t, "min") != LUA_TNIL;
        lua_pop(L, 3);
        if (s->disc == RAD_DISC_FBS && !has_width)
            luaL_error(L, "settings.discretise.width is required for method \"fbs\" (bin width, e.g. 25 HU)");
        if (s->disc != RAD_DISC_FBS && (has_width || has_min))
            luaL_error(L, "settings.discretise.width and .min apply to method \"fbs\" only");
        if (s->disc != RAD_DISC_FBN && has_bins)
            luaL_error(L, "settings.discretise.bins applies to method \"fbn\" only");
        s->bins = int_field(L, t, "discretise", "bins", 32, 1, 65535);
        s->bin_width = num_field(L, t, "discretise", "width", 25);
        s->has_disc_min = has_min;
        s->disc_min = num_field(L, t, "discretise", "min", 0);
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "ivh"))) {
        double r[2];
        check_table_keys(L, t, "ivh", ivh_keys);
        s->ivh = (RadIvhMode)enum_field(L, t, "ivh", "method", radl_ivh_names, RAD_IVH_DISCRETE);
        s->ivh_bins = int_field(L, t, "ivh", "bins", 1000, 1, 65535);
        s->ivh_width = num_field(L, t, "ivh", "width", 1);
        if (vec_field(L, t, "ivh", "range", r, 2, 2)) {
            s->has_ivh_range = 1;
            s->ivh_min = r[0];
            s->ivh_max = r[1];
        }
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "texture"))) {
        check_table_keys(L, t, "texture", tex_keys);
        if (field(L, t, "aggregation") != LUA_TNIL) {
            static const char *const aggr_names[] = {"2D", "2.5D", "3D", NULL};
            static const unsigned aggr_bits[] = {RAD_AGGR_2D, RAD_AGGR_2_5D, RAD_AGGR_3D};
            int n, a = lua_gettop(L);
            if (!lua_istable(L, a))
                luaL_error(L, "settings.texture.aggregation must be an array such as {\"2D\", \"2.5D\"} or {\"3D\"}");
            n = (int)luaL_len(L, a);
            s->aggr = 0;
            for (int i = 1; i <= n; i++) {
                const char *name;
                int k;
                lua_rawgeti(L, a, i);
                name = lua_tostring(L, -1);
                for (k = 0; aggr_names[k] && !(name && strcmp(name, aggr_names[k]) == 0); k++)
                    ;
                if (!aggr_names[k])
                    luaL_error(L, "settings.texture.aggregation[%d] must be \"2D\", \"2.5D\" or \"3D\"", i);
                s->aggr |= aggr_bits[k];
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
        s->distance = int_field(L, t, "texture", "distance", 1, 1, 16);
        s->ngldm_alpha = int_field(L, t, "texture", "ngldm_alpha", 0, 0, 26);
        lua_pop(L, 1);
    }
    if (rad_settings_check(s) != 0)
        luaL_error(L, "settings: %s", rad_error_message());
}

void radl_document_class(lua_State *L, const char *tname, const char *text)
{
    radl_push_help_table(L);
    lua_pushstring(L, text);
    lua_setfield(L, -2, tname);
    lua_pop(L, 1);
}

/* ---- model helpers (rad.cox, rad.logistic) ------------------------------------------ */

/* ref = {column = "level"} at idx: each key must be one of the n x names
 * and a string level; refs[k] gets the level of names[k] (or stays NULL). */
void radl_check_refs(lua_State *L, int idx, const char *fname, const char *const *names, size_t n, const char **refs)
{
    int ty = lua_getfield(L, idx, "ref");
    if (ty == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (ty != LUA_TTABLE)
        radl_fail(L, "%s: option ref must be a table {column = \"reference level\"}, got %s", fname,
                  luaL_typename(L, -1));
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        size_t k = n;
        if (lua_type(L, -2) == LUA_TSTRING)
            for (k = 0; k < n && strcmp(names[k], lua_tostring(L, -2)) != 0; k++)
                ;
        if (k == n)
            radl_fail(L, "%s: ref names column '%s', which is not in x; ref = {column = \"level\"} sets the "
                      "reference level of a text covariate in x", fname, lua_type(L, -2) == LUA_TSTRING ?
                      lua_tostring(L, -2) : luaL_typename(L, -2));
        if (lua_type(L, -1) != LUA_TSTRING)
            radl_fail(L, "%s: ref.%s must be a level (a string), got %s", fname, names[k], luaL_typename(L, -1));
        refs[k] = lua_tostring(L, -1); /* kept alive by the options table */
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* A text covariate whose cells are mostly numbers becomes a factor only
 * with a warning naming the first cell that is not a number. */
void radl_warn_numeric_factors(lua_State *L, const RadTable *t, const char *const *names, size_t n, const char *fname)
{
    for (size_t k = 0; k < n; k++) {
        const RadColumn *c = rad_table_get(t, names[k]);
        size_t first, ntext, nnum;
        if (!c || c->type != RAD_COL_STR)
            continue;
        nnum = rad_column_numbers(c, t->nrow, &first, &ntext);
        if (ntext > 0 && nnum >= ntext) {
            radl_warn(L, "%s: column '%s' is used as a factor (one term per level) because row %zu holds '%s' (%zu of "
                      "its cells are numbers, %zu %s not); fix or blank that cell to use the column as a number",
                      fname, names[k], first + 1, c->str[first], nnum, ntext, ntext == 1 ? "is" : "are");
        } else if (ntext > 0) {
            /* numbers written with a decimal comma, read without decimal = "," */
            size_t ncomma = 0;
            double v;
            for (size_t i = 0; i < t->nrow; i++)
                ncomma += c->str[i] && strchr(c->str[i], ',') && rad_csv_number(c->str[i], ',', &v) == 0;
            if (ncomma == ntext) /* every cell that is not a plain number is one with a comma */
                radl_warn(L, "%s: column '%s' is used as a factor (one term per level), but its cells look like "
                          "numbers with a decimal comma (row %zu holds '%s'); read the file with {decimal = \",\"} "
                          "to use it as a number", fname, names[k], first + 1, c->str[first]);
        }
    }
}

/* Mark the terms that cannot be estimated (rad_design_alias): kidx[j] = the
 * term's column in the reduced fit, -1 constant, -2 aliased.  strict: an
 * error naming the first such term; else a warning per term.  Returns the
 * number of terms kept (an error when none is left). */
size_t radl_alias_terms(lua_State *L, const double *x, size_t n, size_t p, const int *group, const char *const *terms,
                        int strict, const char *fname, int *kidx)
{
    int *why = radl_scratch(L, (p ? p : 1) * sizeof *why);
    size_t pk = 0;
    if (rad_design_alias(x, n, p, group, why) == (size_t)-1)
        radl_error(L);
    for (size_t j = 0; j < p; j++) {
        if (!why[j]) {
            kidx[j] = (int)pk++;
            continue;
        }
        kidx[j] = why[j] == 1 ? -1 : -2;
        if (strict && why[j] == 1)
            radl_fail(L, "%s: term '%s' is constant %sin the %zu complete rows (no variation), so it has no "
                      "coefficient; leave it out of x (strict = true makes this an error)", fname, terms[j],
                      group ? "within every stratum " : "", n);
        if (strict)
            radl_fail(L, "%s: term '%s' is a linear combination of the terms before it (aliased), so it has no "
                      "coefficient of its own; leave it or one of them out of x (strict = true makes this an "
                      "error)", fname, terms[j]);
        radl_warn(L, "%s: term '%s' is %s; dropped from the fit and reported as NA (strict = true makes this an "
                  "error)", fname, terms[j], why[j] == 1 ? (group ? "constant within every stratum (no variation "
                  "left by the stratified baseline)" : "constant (no variation in the complete rows)")
                  : "a linear combination of the terms before it (aliased)");
    }
    if (pk == 0)
        radl_fail(L, "%s: no term can be estimated: every term in x is constant or aliased", fname);
    return pk;
}
