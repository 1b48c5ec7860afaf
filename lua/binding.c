/* radlab: helpers shared by the binding files.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is declared in binding.h.  The per-object binding files
 * (l_image.c, l_table.c, ...) call these and the engine, never each other:
 * the boxes of the core objects, options and key checks, number arrays and
 * rad.NA, geometry tables and the extraction settings table.  (The Figure
 * helpers and chart options are in rad_plot.c, with the plotting module.)
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "image/filters/gabor.h"
#include "image/filters/pyrad.h"
#include "image/filters/wavelet_coef.h"
#include "image/filters/riesz.h"

const char *const radl_interp_names[] = {"nearest", "linear", "cubic", NULL};
const char *const radl_disc_names[] = {"none", "fbn", "fbs", NULL};
const char *const radl_ivh_names[] = {"discrete", "fbs", "fbn", NULL};

/* ---- boxes: a userdata holding one engine pointer ------------------------------ */

void **radl_box_push(lua_State *L, const char *tname)
{
    void **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL; /* safe to collect before it is filled */
    luaL_setmetatable(L, tname);
    return box;
}

void *radl_box_check(lua_State *L, int idx, const char *tname)
{
    void **box = luaL_checkudata(L, idx, tname);
    if (!*box) {
        const char *dot = strrchr(tname, '.');
        luaL_error(L, "attempt to use a closed %s", dot ? dot + 1 : tname);
    }
    return *box;
}

RadImage **radl_image_push(lua_State *L)
{
    return (RadImage **)radl_box_push(L, RADL_IMAGE);
}

RadImage *radl_check_image(lua_State *L, int idx)
{
    return radl_box_check(L, idx, RADL_IMAGE);
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
    return (RadMask **)radl_box_push(L, RADL_MASK);
}

RadMask *radl_check_mask(lua_State *L, int idx)
{
    return radl_box_check(L, idx, RADL_MASK);
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

/* A number as %.4g text (lua_pushfstring has no %g). */
static void push_number_text(lua_State *L, double v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.4g", v);
    lua_pushstring(L, buf);
}

/* print(cv): the size and the two chosen penalties */
static int cv_tostring(lua_State *L)
{
    lua_Integer n, folds, imin, i1se;
    double lmin, l1se;
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "lambda");
    n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
    lua_getfield(L, 1, "folds");
    lua_getfield(L, 1, "index_min");
    lua_getfield(L, 1, "index_1se");
    lua_getfield(L, 1, "lambda_min");
    lua_getfield(L, 1, "lambda_1se");
    folds = lua_tointeger(L, -5);
    imin = lua_tointeger(L, -4);
    i1se = lua_tointeger(L, -3);
    lmin = lua_tonumber(L, -2);
    l1se = lua_tonumber(L, -1);
    lua_pushfstring(L, "CV: %I lambdas, %I folds; lambda_min = ", n, folds);
    push_number_text(L, lmin);
    lua_pushfstring(L, " (index %I), lambda_1se = ", imin);
    push_number_text(L, l1se);
    lua_pushfstring(L, " (index %I)", i1se);
    lua_concat(L, 5);
    return 1;
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
    if (luaL_newmetatable(L, RADL_CV)) {
        lua_pushcfunction(L, cv_tostring);
        lua_setfield(L, -2, "__tostring");
        radl_document_class(L, RADL_CV,
            "CV: a cross-validated penalised path (rad.coxnet_cv, rad.glmnet_logistic_cv), a Lua table.\n"
            "  lambda      {values}: the penalties, largest first\n"
            "  cvm, cvsd   {values}: mean cross-validated deviance per lambda and its standard error\n"
            "  lambda_min  the lambda of the smallest cvm; index_min its 1-based position\n"
            "  lambda_1se  the largest lambda with cvm within one cvsd of the minimum; index_1se\n"
            "  folds       the number of folds (assigned with the seed option)\n"
            "  fit         the path fitted on all rows (Coxnet or GlmnetPath): fit:coef(cv.index_1se)");
    }
    lua_setmetatable(L, -2);
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
    va_list ap, ap2;
    int len;
    char *msg;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    msg = radl_scratch(L, (size_t)(len > 0 ? len : 0) + 1); /* a long list of feature names fits */
    vsnprintf(msg, (size_t)(len > 0 ? len : 0) + 1, fmt, ap2);
    va_end(ap2);
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
    /* rad.quiet(true): recorded only (a resampling loop reports a summary) */
    lua_getfield(L, LUA_REGISTRYINDEX, RADL_QUIET_KEY);
    if (!lua_toboolean(L, -1))
        lua_warning(L, msg, 0);
    lua_pop(L, 2); /* the flag and the scratch buffer */
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
    return (RadTable **)radl_box_push(L, RADL_TABLE);
}

RadTable *radl_check_table(lua_State *L, int idx)
{
    return radl_box_check(L, idx, RADL_TABLE);
}

/* ---- filter option tables (rad.filter and settings.filters) ----------------------- */

static const char *const filter_common_keys[] = {"dims", "boundary", "threads"};

typedef struct RadlFilterKind {
    const char *name;
    RadFilterKind kind;
    const char *const keys[10]; /* its own options, NULL-terminated */
} RadlFilterKind;

static const RadlFilterKind filter_kinds[] = {
    {"mean", RAD_FILTER_MEAN, {"support", NULL}},
    {"log", RAD_FILTER_LOG, {"sigma", "truncate", "riesz", NULL}},
    {"laws", RAD_FILTER_LAWS, {"kernel", "energy", "rotation_invariant", "pooling", NULL}},
    {"gabor", RAD_FILTER_GABOR, {"sigma", "gamma", "lambda", "theta", "theta_step", "response", "pooling", NULL}},
    {"wavelet", RAD_FILTER_WAVELET, {"family", "band", "level", "decimated", "rotation_invariant", NULL}},
    {"simoncelli", RAD_FILTER_SIMONCELLI, {"level", "riesz", NULL}},
    {"square", RAD_FILTER_SQUARE, {NULL}},
    {"squareroot", RAD_FILTER_SQUAREROOT, {NULL}},
    {"logarithm", RAD_FILTER_LOGARITHM, {NULL}},
    {"exponential", RAD_FILTER_EXPONENTIAL, {NULL}},
    {"gradient", RAD_FILTER_GRADIENT, {"use_spacing", NULL}},
    {"lbp2d", RAD_FILTER_LBP2D, {"points", "radius", "method", NULL}},
    {"pywavelet", RAD_FILTER_PYWAVELET, {"family", "band", "level", "start_level", NULL}},
    {"pylog", RAD_FILTER_PYLOG, {"sigma", NULL}},
    {"lbp3d", RAD_FILTER_LBP3D, {"levels", "radius", "subdivision", "output", NULL}},
};
#define FILTER_NAMES "mean, log, laws, gabor, wavelet, simoncelli, square, squareroot, logarithm, exponential, " \
                     "gradient, lbp2d, pywavelet, pylog, lbp3d"
#define N_FILTER_KINDS (sizeof filter_kinds / sizeof filter_kinds[0])

/* error for any key of the table at idx that is not 1, a common key or one of fk's */
static void fspec_check_keys(lua_State *L, int idx, const RadlFilterKind *fk, const char *fname)
{
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int ok = 0;
        if (lua_type(L, -2) == LUA_TNUMBER)
            ok = lua_tointeger(L, -2) == 1;
        else if (lua_type(L, -2) == LUA_TSTRING) {
            const char *k = lua_tostring(L, -2);
            for (size_t i = 0; i < sizeof filter_common_keys / sizeof filter_common_keys[0]; i++)
                ok |= strcmp(k, filter_common_keys[i]) == 0;
            for (size_t i = 0; fk->keys[i]; i++)
                ok |= strcmp(k, fk->keys[i]) == 0;
        }
        if (!ok) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (size_t i = 0; fk->keys[i]; i++) {
                luaL_addstring(&b, fk->keys[i]);
                luaL_addstring(&b, ", ");
            }
            luaL_addstring(&b, "dims, boundary, threads");
            luaL_pushresult(&b);
            if (lua_type(L, -3) == LUA_TSTRING)
                lua_pushvalue(L, -3);
            else if (lua_isinteger(L, -3)) /* a positional value: [2] */
                lua_pushfstring(L, "[%I]", (LUAI_UACINT)lua_tointeger(L, -3));
            else
                lua_pushfstring(L, "a %s key", luaL_typename(L, -3));
            radl_fail(L, "%s: unknown option '%s' for the %s filter (its options: %s%s)", fname, lua_tostring(L, -1),
                      fk->name, lua_tostring(L, -2),
                      lua_type(L, -4) == LUA_TSTRING ? "" : "; only the filter's name goes first, unnamed");
        }
        lua_pop(L, 1);
    }
}

static lua_Integer fspec_int_field(lua_State *L, int idx, const char *fname, const char *key, lua_Integer def)
{
    lua_Integer v = def;
    int t = lua_getfield(L, idx, key);
    if (t != LUA_TNIL) {
        int isint;
        v = lua_tointegerx(L, -1, &isint);
        if (t != LUA_TNUMBER || !isint)
            radl_fail(L, "%s: option '%s' must be an integer, got %s", fname, key,
                      t == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return v;
}

static double fspec_num_field(lua_State *L, int idx, const char *fname, const char *key, double def)
{
    double v = def;
    int t = lua_getfield(L, idx, key);
    if (t != LUA_TNIL) {
        if (t != LUA_TNUMBER)
            radl_fail(L, "%s: option '%s' must be a number, got %s", fname, key, luaL_typename(L, -1));
        v = lua_tonumber(L, -1);
        if (!isfinite(v))
            radl_fail(L, "%s: option '%s' must be finite, got %g", fname, key, v);
    }
    lua_pop(L, 1);
    return v;
}

static const char *fspec_str_field(lua_State *L, int idx, const char *fname, const char *key, const char *def)
{
    const char *v = def;
    int t = lua_getfield(L, idx, key);
    if (t != LUA_TNIL) {
        if (t != LUA_TSTRING)
            radl_fail(L, "%s: option '%s' must be a string, got %s", fname, key, luaL_typename(L, -1));
        v = lua_tostring(L, -1);
    }
    lua_pop(L, 1); /* the string stays alive: the options table holds it */
    return v;
}

/* riesz = {lx, ly, lz} (3D) or {lx, ly} (2D): the Riesz transform order
 * on top of the response (all zero or absent: none) */
static void fspec_riesz_field(lua_State *L, int idx, const char *fname, RadFilterSpec *spec)
{
    int t = lua_getfield(L, idx, "riesz"), total = 0;
    lua_Integer n;
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (t != LUA_TTABLE)
        radl_fail(L, "%s: option 'riesz' must be a table of %d orders, x first, e.g. riesz = %s; got %s", fname,
                  spec->dims, spec->dims == 3 ? "{1, 0, 0}" : "{1, 0}", luaL_typename(L, -1));
    n = (lua_Integer)lua_rawlen(L, -1);
    if (n != spec->dims)
        radl_fail(L, "%s: option 'riesz' needs %d orders for a %dD filter (one per axis, x first, e.g. %s), got %lld",
                  fname, spec->dims, spec->dims, spec->dims == 3 ? "{1, 0, 0}" : "{1, 0}", (long long)n);
    for (int a = 0; a < spec->dims; a++) {
        int isint;
        lua_Integer v;
        t = lua_rawgeti(L, -1, a + 1);
        v = lua_tointegerx(L, -1, &isint);
        if (t != LUA_TNUMBER || !isint)
            radl_fail(L, "%s: option 'riesz': entry %d must be an integer order, got %s", fname, a + 1,
                      t == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1));
        if (v < 0 || v > RAD_RIESZ_MAX_ORDER)
            radl_fail(L, "%s: option 'riesz': entry %d is %lld; each entry is an order 0..%d along its axis", fname,
                      a + 1, (long long)v, RAD_RIESZ_MAX_ORDER);
        spec->riesz[a] = (int)v;
        total += (int)v;
        lua_pop(L, 1);
    }
    if (total > RAD_RIESZ_MAX_ORDER)
        radl_fail(L, "%s: option 'riesz': the total order (sum of the entries) must be at most %d, got %d", fname,
                  RAD_RIESZ_MAX_ORDER, total);
    lua_pop(L, 1);
}

/* family (PyWavelets' names, any case; stored as the table spells them, so
 * the tags are canonical), band and level of the wavelet and pywavelet
 * filters; def_family NULL: family is required */
static void fspec_wavelet_fields(lua_State *L, int idx, const char *fname, const char *filter, const char *def_family,
                                 char family[16], char band[4], int *level)
{
    const RadWaveletCoef *w;
    const char *s = fspec_str_field(L, idx, fname, "family", def_family);
    lua_Integer v;
    if (!s)
        radl_fail(L, "%s: the %s filter needs family, e.g. {\"%s\", family = \"db3\", band = \"LLH\"}", fname, filter,
                  filter);
    if (!(w = rad_wavelet_coef(s)))
        radl_fail(L, "%s: unknown wavelet family '%s' (families: " RAD_WAVELET_FAMILIES ")", fname, s);
    snprintf(family, 16, "%s", w->name);
    s = fspec_str_field(L, idx, fname, "band", NULL);
    if (!s)
        radl_fail(L, "%s: the %s filter needs band: one L or H per filtered axis, x first (\"LLH\" in 3D, \"LH\" in "
                     "2D)",
                  fname, filter);
    if (strlen(s) >= 4)
        radl_fail(L, "%s: wavelet band '%s' is too long: one L or H per filtered axis (2 or 3 letters)", fname, s);
    strcpy(band, s);
    v = fspec_int_field(L, idx, fname, "level", 1);
    if (v < 1 || v > 16)
        radl_fail(L, "%s: option 'level' of the %s filter must be 1..16, got %lld", fname, filter, (long long)v);
    *level = (int)v;
}

void radl_filter_spec_read(lua_State *L, int idx, const char *fname, int default_dims, RadFilterSpec *spec)
{
    const RadlFilterKind *fk = NULL;
    const char *name, *s;
    lua_Integer v;
    int t;

    luaL_checktype(L, idx, LUA_TTABLE);
    if (lua_rawgeti(L, idx, 1) != LUA_TSTRING)
        radl_fail(L, "%s: the options table needs the filter's name first, e.g. {\"log\", sigma = 1.5}; filters: "
                     FILTER_NAMES,
                  fname);
    name = lua_tostring(L, -1);
    for (size_t i = 0; i < N_FILTER_KINDS; i++)
        if (strcmp(name, filter_kinds[i].name) == 0)
            fk = &filter_kinds[i];
    if (!fk)
        radl_fail(L, "%s: unknown filter '%s' (filters: " FILTER_NAMES ")", fname, name);
    lua_pop(L, 1);
    if (fk->kind != RAD_FILTER_LOG && fk->kind != RAD_FILTER_SIMONCELLI) {
        if (lua_getfield(L, idx, "riesz") != LUA_TNIL)
            radl_fail(L, "%s: option 'riesz' is available for the log and simoncelli filters only, not %s", fname,
                      fk->name);
        lua_pop(L, 1);
    }
    fspec_check_keys(L, idx, fk, fname);
    rad_filter_spec_init(spec, fk->kind);

    v = fspec_int_field(L, idx, fname, "dims", default_dims);
    if (v != 2 && v != 3)
        radl_fail(L, "%s: option 'dims' must be 2 (each axial slice on its own) or 3 (the volume), got %lld", fname,
                  (long long)v);
    spec->dims = (int)v;
    s = fspec_str_field(L, idx, fname, "boundary", "mirror");
    if ((t = rad_boundary_parse(s)) < 0)
        radl_fail(L, "%s: unknown boundary '%s' (constant or zero, nearest or edge, periodic or wrap, mirror or "
                     "reflect or symmetric)",
                  fname, s);
    spec->boundary = (RadBoundary)t;
    v = fspec_int_field(L, idx, fname, "threads", 0);
    if (v < 0 || v > 1024)
        radl_fail(L, "%s: option 'threads' must be 0 (one per processor) .. 1024, got %lld", fname, (long long)v);
    spec->threads = (int)v;

    switch (fk->kind) {
    case RAD_FILTER_MEAN:
        v = fspec_int_field(L, idx, fname, "support", spec->mean.support);
        if (v < 1 || v % 2 == 0 || v > 100001)
            radl_fail(L, "%s: option 'support' of the mean filter must be an odd number of voxels >= 1, got %lld",
                      fname, (long long)v);
        spec->mean.support = (int)v;
        break;
    case RAD_FILTER_LOG:
        lua_getfield(L, idx, "sigma");
        if (lua_isnil(L, -1))
            radl_fail(L, "%s: the log filter needs sigma (mm), e.g. {\"log\", sigma = 1.5}", fname);
        lua_pop(L, 1);
        spec->log.sigma = fspec_num_field(L, idx, fname, "sigma", spec->log.sigma);
        if (!(spec->log.sigma > 0))
            radl_fail(L, "%s: option 'sigma' of the log filter must be > 0 mm, got %g", fname, spec->log.sigma);
        spec->log.truncate = fspec_num_field(L, idx, fname, "truncate", spec->log.truncate);
        if (!(spec->log.truncate > 0))
            radl_fail(L, "%s: option 'truncate' of the log filter (kernel radius in sigmas) must be > 0, got %g",
                      fname, spec->log.truncate);
        break;
    case RAD_FILTER_LAWS:
        s = fspec_str_field(L, idx, fname, "kernel", NULL);
        if (!s)
            radl_fail(L, "%s: the laws filter needs kernel, e.g. {\"laws\", kernel = \"L5E5E5\"}", fname);
        if (strlen(s) >= sizeof spec->laws.kernel)
            radl_fail(L, "%s: Laws kernel '%s' is too long (one 1-D kernel per axis, e.g. \"L5E5E5\")", fname, s);
        strcpy(spec->laws.kernel, s);
        v = fspec_int_field(L, idx, fname, "energy", 0);
        if (v < 0 || v > 100000)
            radl_fail(L, "%s: option 'energy' (the energy map distance delta, voxels; 0 = none) must be >= 0, got %lld",
                      fname, (long long)v);
        spec->laws.energy = (int)v;
        t = lua_getfield(L, idx, "rotation_invariant");
        if (t != LUA_TNIL && t != LUA_TBOOLEAN)
            radl_fail(L, "%s: option 'rotation_invariant' must be true or false, got %s", fname, luaL_typename(L, -1));
        spec->laws.rotation_invariant = lua_toboolean(L, -1);
        lua_pop(L, 1);
        s = fspec_str_field(L, idx, fname, "pooling", "max");
        if ((t = rad_filter_pooling_parse(s)) < 0)
            radl_fail(L, "%s: unknown pooling '%s' (max, mean or min)", fname, s);
        spec->laws.pooling = (RadFilterPooling)t;
        break;
    case RAD_FILTER_GABOR: {
        static const char *const need[] = {"sigma", "lambda"};
        for (int q = 0; q < 2; q++) {
            lua_getfield(L, idx, need[q]);
            if (lua_isnil(L, -1))
                radl_fail(L, "%s: the gabor filter needs sigma and lambda (mm), e.g. {\"gabor\", sigma = 5, lambda = 2, "
                             "gamma = 1.5}", fname);
            lua_pop(L, 1);
        }
        spec->gabor.sigma = fspec_num_field(L, idx, fname, "sigma", spec->gabor.sigma);
        spec->gabor.lambda = fspec_num_field(L, idx, fname, "lambda", spec->gabor.lambda);
        spec->gabor.gamma = fspec_num_field(L, idx, fname, "gamma", spec->gabor.gamma);
        /* angles in degrees in Lua (22.5, 45), radians in the engine */
        spec->gabor.theta = fspec_num_field(L, idx, fname, "theta", 0) * M_PI / 180;
        spec->gabor.theta_step = fspec_num_field(L, idx, fname, "theta_step", 0) * M_PI / 180;
        s = fspec_str_field(L, idx, fname, "response", "modulus");
        if ((t = rad_gabor_response_parse(s)) < 0)
            radl_fail(L, "%s: unknown gabor response '%s' (modulus, real or imaginary)", fname, s);
        spec->gabor.response = t;
        s = fspec_str_field(L, idx, fname, "pooling", "mean");
        if ((t = rad_gabor_pooling_parse(s)) < 0)
            radl_fail(L, "%s: unknown gabor pooling '%s' (mean or max)", fname, s);
        spec->gabor.pooling = t;
        break;
    }
    case RAD_FILTER_WAVELET:
        fspec_wavelet_fields(L, idx, fname, "wavelet", NULL, spec->wavelet.family, spec->wavelet.band,
                             &spec->wavelet.level);
        for (int q = 0; q < 2; q++) {
            const char *key = q ? "rotation_invariant" : "decimated";
            t = lua_getfield(L, idx, key);
            if (t != LUA_TNIL && t != LUA_TBOOLEAN)
                radl_fail(L, "%s: option '%s' must be true or false, got %s", fname, key, luaL_typename(L, -1));
            *(q ? &spec->wavelet.rotation_invariant : &spec->wavelet.decimated) = lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
        break;
    case RAD_FILTER_SIMONCELLI:
        v = fspec_int_field(L, idx, fname, "level", 1);
        if (v < 1 || v > 16)
            radl_fail(L, "%s: option 'level' of the simoncelli filter must be 1..16, got %lld", fname, (long long)v);
        spec->simoncelli.level = (int)v;
        break;
    case RAD_FILTER_SQUARE:
    case RAD_FILTER_SQUAREROOT:
    case RAD_FILTER_LOGARITHM:
    case RAD_FILTER_EXPONENTIAL:
        break;
    case RAD_FILTER_GRADIENT:
        t = lua_getfield(L, idx, "use_spacing");
        if (t != LUA_TNIL && t != LUA_TBOOLEAN)
            radl_fail(L, "%s: option 'use_spacing' must be true or false, got %s", fname, luaL_typename(L, -1));
        spec->gradient.use_spacing = t == LUA_TNIL || lua_toboolean(L, -1);
        lua_pop(L, 1);
        break;
    case RAD_FILTER_LBP2D:
        /* slice by slice always: dims defaults to 2, 3 is refused */
        t = lua_getfield(L, idx, "dims");
        lua_pop(L, 1);
        if (t != LUA_TNIL && spec->dims != 2)
            radl_fail(L, "%s: the lbp2d filter works on each axial slice: dims must be 2", fname);
        spec->dims = 2;
        v = fspec_int_field(L, idx, fname, "points", spec->lbp2d.points);
        if (v < 1 || v > 32)
            radl_fail(L, "%s: option 'points' of the lbp2d filter must be 1..32, got %lld", fname, (long long)v);
        spec->lbp2d.points = (int)v;
        spec->lbp2d.radius = fspec_num_field(L, idx, fname, "radius", spec->lbp2d.radius);
        if (!(spec->lbp2d.radius > 0))
            radl_fail(L, "%s: option 'radius' of the lbp2d filter must be > 0 voxels, got %g", fname,
                      spec->lbp2d.radius);
        s = fspec_str_field(L, idx, fname, "method", "uniform");
        if ((t = rad_lbp_method_parse(s)) < 0)
            radl_fail(L, "%s: unknown lbp2d method '%s' (default, uniform or ror)", fname, s);
        spec->lbp2d.method = t;
        break;
    case RAD_FILTER_PYWAVELET:
        fspec_wavelet_fields(L, idx, fname, "pywavelet", "coif1", spec->pywavelet.family, spec->pywavelet.band,
                             &spec->pywavelet.level);
        v = fspec_int_field(L, idx, fname, "start_level", 0);
        if (v < 0 || v + spec->pywavelet.level > 16)
            radl_fail(L, "%s: option 'start_level' of the pywavelet filter must be 0..%d (start_level + level at most "
                         "16), got %lld", fname, 16 - spec->pywavelet.level, (long long)v);
        spec->pywavelet.start_level = (int)v;
        break;
    case RAD_FILTER_PYLOG:
        t = lua_getfield(L, idx, "boundary");
        lua_pop(L, 1);
        if (t != LUA_TNIL)
            radl_fail(L, "%s: the pylog filter has no boundary option: it extends the edge voxel, as ITK does", fname);
        lua_getfield(L, idx, "sigma");
        if (lua_isnil(L, -1))
            radl_fail(L, "%s: the pylog filter needs sigma (mm), e.g. {\"pylog\", sigma = 2}", fname);
        lua_pop(L, 1);
        spec->pylog.sigma = fspec_num_field(L, idx, fname, "sigma", spec->pylog.sigma);
        if (!(spec->pylog.sigma > 0))
            radl_fail(L, "%s: option 'sigma' of the pylog filter must be > 0 mm, got %g", fname, spec->pylog.sigma);
        break;
    case RAD_FILTER_LBP3D:
        t = lua_getfield(L, idx, "dims");
        lua_pop(L, 1);
        if (t != LUA_TNIL && spec->dims != 3)
            radl_fail(L, "%s: the lbp3d filter samples a sphere in the volume: dims must be 3", fname);
        spec->dims = 3;
        t = lua_getfield(L, idx, "boundary");
        lua_pop(L, 1);
        if (t != LUA_TNIL)
            radl_fail(L, "%s: the lbp3d filter has no boundary option: samples outside the image are 0, as "
                         "PyRadiomics' map_coordinates gives", fname);
        v = fspec_int_field(L, idx, fname, "levels", spec->lbp3d.levels);
        if (v < 1 || v > 10)
            radl_fail(L, "%s: option 'levels' of the lbp3d filter must be 1..10, got %lld", fname, (long long)v);
        spec->lbp3d.levels = (int)v;
        spec->lbp3d.radius = fspec_num_field(L, idx, fname, "radius", spec->lbp3d.radius);
        if (!(spec->lbp3d.radius > 0))
            radl_fail(L, "%s: option 'radius' of the lbp3d filter must be > 0 voxels, got %g", fname,
                      spec->lbp3d.radius);
        v = fspec_int_field(L, idx, fname, "subdivision", spec->lbp3d.subdivision);
        if (v < 0 || v > 4)
            radl_fail(L, "%s: option 'subdivision' of the lbp3d filter must be 0..4, got %lld", fname, (long long)v);
        spec->lbp3d.subdivision = (int)v;
        s = fspec_str_field(L, idx, fname, "output", "m1");
        {
            char *end = NULL;
            long j = -1;
            if (strcmp(s, "k") == 0)
                j = 0;
            else if (s[0] == 'm' && s[1] >= '1' && s[1] <= '9')
                j = strtol(s + 1, &end, 10);
            if (j < 0 || (end && *end) || j > spec->lbp3d.levels)
                radl_fail(L, "%s: option 'output' of the lbp3d filter must be \"m1\" .. \"m%d\" (one per level) or "
                             "\"k\" (kurtosis), got '%s'", fname, spec->lbp3d.levels, s);
            spec->lbp3d.output = (int)j;
        }
        break;
    }
    if (fk->kind == RAD_FILTER_LOG || fk->kind == RAD_FILTER_SIMONCELLI)
        fspec_riesz_field(L, idx, fname, spec);
}

/* one field of the table on top of the stack */
static void fset_int(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}
static void fset_num(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}
static void fset_str(lua_State *L, const char *k, const char *v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}
static void fset_bool(lua_State *L, const char *k, int v)
{
    lua_pushboolean(L, v);
    lua_setfield(L, -2, k);
}

/* The filter table of a spec, as radl_filter_spec_read reads it back
 * (angles in degrees). */
void radl_push_filter_spec(lua_State *L, const RadFilterSpec *f)
{
    static const char *const pool[] = {"max", "mean", "min"};
    static const char *const gresp[] = {"modulus", "real", "imaginary"};
    lua_newtable(L);
    lua_pushstring(L, filter_kinds[f->kind - 1].name);
    lua_rawseti(L, -2, 1);
    fset_int(L, "dims", f->dims);
    if (f->kind != RAD_FILTER_PYLOG && f->kind != RAD_FILTER_LBP3D) /* no boundary option: fixed by definition */
        fset_str(L, "boundary", rad_boundary_name(f->boundary));
    switch (f->kind) {
    case RAD_FILTER_MEAN:
        fset_int(L, "support", f->mean.support);
        break;
    case RAD_FILTER_LOG:
        fset_num(L, "sigma", f->log.sigma);
        fset_num(L, "truncate", f->log.truncate);
        break;
    case RAD_FILTER_LAWS:
        fset_str(L, "kernel", f->laws.kernel);
        fset_int(L, "energy", f->laws.energy);
        fset_bool(L, "rotation_invariant", f->laws.rotation_invariant);
        fset_str(L, "pooling", pool[f->laws.pooling % 3]);
        break;
    case RAD_FILTER_GABOR:
        fset_num(L, "sigma", f->gabor.sigma);
        fset_num(L, "gamma", f->gabor.gamma);
        fset_num(L, "lambda", f->gabor.lambda);
        fset_num(L, "theta", f->gabor.theta * 180 / M_PI);
        fset_num(L, "theta_step", f->gabor.theta_step * 180 / M_PI);
        fset_str(L, "response", gresp[f->gabor.response % 3]);
        fset_str(L, "pooling", f->gabor.pooling == RAD_GABOR_POOL_MAX ? "max" : "mean");
        break;
    case RAD_FILTER_WAVELET:
        fset_str(L, "family", f->wavelet.family);
        fset_str(L, "band", f->wavelet.band);
        fset_int(L, "level", f->wavelet.level);
        fset_bool(L, "decimated", f->wavelet.decimated);
        fset_bool(L, "rotation_invariant", f->wavelet.rotation_invariant);
        break;
    case RAD_FILTER_SIMONCELLI:
        fset_int(L, "level", f->simoncelli.level);
        break;
    case RAD_FILTER_GRADIENT:
        fset_bool(L, "use_spacing", f->gradient.use_spacing);
        break;
    case RAD_FILTER_LBP2D:
        fset_int(L, "points", f->lbp2d.points);
        fset_num(L, "radius", f->lbp2d.radius);
        fset_str(L, "method", rad_lbp_method_name(f->lbp2d.method));
        break;
    case RAD_FILTER_PYWAVELET:
        fset_str(L, "family", f->pywavelet.family);
        fset_str(L, "band", f->pywavelet.band);
        fset_int(L, "level", f->pywavelet.level);
        fset_int(L, "start_level", f->pywavelet.start_level);
        break;
    case RAD_FILTER_PYLOG:
        fset_num(L, "sigma", f->pylog.sigma);
        break;
    case RAD_FILTER_LBP3D:
        fset_int(L, "levels", f->lbp3d.levels);
        fset_num(L, "radius", f->lbp3d.radius);
        fset_int(L, "subdivision", f->lbp3d.subdivision);
        if (f->lbp3d.output == 0)
            lua_pushliteral(L, "k");
        else
            lua_pushfstring(L, "m%d", f->lbp3d.output);
        lua_setfield(L, -2, "output");
        break;
    default:
        break;
    }
    if (rad_riesz_wanted(f)) {
        lua_createtable(L, f->dims, 0);
        for (int a = 0; a < f->dims; a++) {
            lua_pushinteger(L, f->riesz[a]);
            lua_rawseti(L, -2, a + 1);
        }
        lua_setfield(L, -2, "riesz");
    }
}

/* The pyradiomics table of an image type's own settings (what
 * filter_pyr_override reads), set into the table on top; nothing when none. */
void radl_push_pyr_override(lua_State *L, const RadPyrOverride *o)
{
    if (!o->set)
        return;
    lua_newtable(L);
    if (o->set & RAD_PYR_OV_BIN_WIDTH)
        fset_num(L, "binWidth", o->bin_width);
    if (o->set & RAD_PYR_OV_BIN_COUNT)
        fset_int(L, "binCount", o->bin_count);
    if (o->set & RAD_PYR_OV_SHIFT)
        fset_num(L, "voxelArrayShift", o->shift);
    if (o->set & RAD_PYR_OV_FORCE2D)
        fset_bool(L, "force2D", o->force2d);
    if (o->set & RAD_PYR_OV_FORCE2D_DIM)
        fset_int(L, "force2Ddimension", o->force2d_dim);
    if ((o->set & RAD_PYR_OV_WEIGHTING) && o->weighting > RAD_PYR_WEIGHT_NONE)
        fset_str(L, "weightingNorm", radl_pyr_weight_names[o->weighting - 1]);
    if (o->set & RAD_PYR_OV_SYMMETRIC)
        fset_bool(L, "symmetricalGLCM", o->symmetric);
    if (o->set & RAD_PYR_OV_DISTANCE) {
        lua_createtable(L, 1, 0);
        lua_pushinteger(L, o->distance);
        lua_rawseti(L, -2, 1);
        lua_setfield(L, -2, "distances");
    }
    if (o->set & RAD_PYR_OV_GLDM_A)
        fset_int(L, "gldm_a", o->gldm_a);
    lua_setfield(L, -2, "pyradiomics");
}

/* ---- the extraction settings table ----------------------------------------------
 *
 * One row per key: the checker below reads its type, default and range from
 * here, and rad.settings.keys(), help(rad.extract) and the SETTINGS section of
 * radlab-lua(7) print the same rows, so the documentation cannot drift from
 * what is accepted.  A section row ("resample") lists the keys under it. */
static const char *const aggr_names[] = {"2D", "2.5D", "3D", NULL};

const RadlSetting radl_settings[] = {
    {"families", RADL_SET_FAMILIES, "all", 0, 0, NULL,
     "feature families to compute, e.g. {\"stat\", \"cm\"} (rad.features.families())"},
    {"diagnostics", RADL_SET_BOOL, "false", 0, 0, NULL,
     "add the IBSI diagnostic rows (sizes, voxel counts and intensities after each step; tags diag_...)"},
    {"round", RADL_SET_BOOL, "false", 0, 0, NULL, "round input intensities to integers (CT in HU)"},
    {"normalise", RADL_SET_SECTION, "off", 0, 0, NULL,
     "normalise intensities on the image's grid before interpolation (image post-acquisition processing); "
     "radlab-features(7) NORMALISATION"},
    {"normalise.method", RADL_SET_ENUM, "required", 0, 0, radl_norm_names,
     "\"zscore\": s (x - mean) / sd; \"percentile\": percentiles to range; \"reference\": against a reference region"},
    {"normalise.scope", RADL_SET_ENUM, "roi", 0, 0, radl_norm_scope_names,
     "zscore, percentile: statistics over the ROI or every voxel of the image (PyRadiomics normalize: image)"},
    {"normalise.sd", RADL_SET_ENUM, "population", 0, 0, radl_norm_sd_names,
     "zscore, reference zscore: standard deviation dividing by N (population) or N - 1 (sample)"},
    {"normalise.scale", RADL_SET_NUMBER, "1", 0, 0, NULL, "zscore: multiply the z-scores by s > 0 (PyRadiomics normalizeScale)"},
    {"normalise.remove_outliers", RADL_SET_NUMBER, "off", 0, 0, NULL,
     "zscore: k > 0 clips z-scores to [-k, k] before scaling (PyRadiomics removeOutliers)"},
    {"normalise.percentiles", RADL_SET_NUMBERS, "required", 2, 2, NULL,
     "percentile: {p_lo, p_hi} in percent, 0 <= p_lo < p_hi <= 100 (type 7, R and numpy's default)"},
    {"normalise.range", RADL_SET_NUMBERS, "{0, 1}", 2, 2, NULL, "percentile: the values that p_lo and p_hi map to (no clipping)"},
    {"normalise.statistic", RADL_SET_ENUM, "mean", 0, 0, radl_norm_stat_names,
     "reference: x / mean of the region, or (x - mean) / sd of the region"},
    {"normalise.label", RADL_SET_INTEGER, "none", 1, 255, NULL,
     "reference: the region's label, in the ROI's mask or else in normalise.mask"},
    {"normalise.mask", RADL_SET_PATH, "none", 0, 0, NULL,
     "reference: a mask file on the image's grid (e.g. muscle, fat); every non-zero voxel unless label is given"},
    {"resample", RADL_SET_SECTION, "off", 0, 0, NULL, "interpolate to a new voxel spacing (IBSI 2.4)"},
    {"resample.spacing", RADL_SET_NUMBERS, "required", 2, 3, NULL,
     "new spacing in mm, {x, y, z} ({x, y} with in_plane)"},
    {"resample.in_plane", RADL_SET_BOOL, "false", 0, 0, NULL, "resample x and y only; z keeps its grid"},
    {"resample.interpolator", RADL_SET_ENUM, "linear", 0, 0, radl_interp_names, "image interpolator"},
    {"resample.mask_interpolator", RADL_SET_ENUM, "linear", 0, 0, radl_interp_names, "mask interpolator"},
    {"resample.mask_threshold", RADL_SET_NUMBER, "0.5", 0, 1, NULL,
     "keep interpolated mask voxels reaching this fraction (0 excluded)"},
    {"resample.round", RADL_SET_BOOL, "false", 0, 0, NULL, "round intensities after interpolation"},
    {"resegment", RADL_SET_SECTION, "off", 0, 0, NULL, "re-segment the intensity mask (IBSI 2.5)"},
    {"resegment.range", RADL_SET_NUMBERS, "none", 2, 2, NULL,
     "{lo, hi}: keep voxels with lo <= value <= hi (-math.huge, math.huge: open)"},
    {"resegment.outliers", RADL_SET_NUMBER, "0", 0, HUGE_VAL, NULL,
     "k: keep voxels within mean +/- k sd (0: off)"},
    {"discretise", RADL_SET_SECTION, "fbn", 0, 0, NULL, "grey levels for the histogram and textures (IBSI 2.7)"},
    {"discretise.method", RADL_SET_ENUM, "fbn", 0, 0, radl_disc_names,
     "fixed bin number, fixed bin size, or the intensities themselves"},
    {"discretise.bins", RADL_SET_INTEGER, "32", 1, 65535, NULL, "number of bins (method \"fbn\" only)"},
    {"discretise.width", RADL_SET_NUMBER, "25", 0, 0, NULL,
     "bin width, e.g. 25 HU (method \"fbs\": required, > 0)"},
    {"discretise.min", RADL_SET_NUMBER, "auto", 0, 0, NULL,
     "first bin edge (method \"fbs\"; default resegment.range lo, else the ROI minimum)"},
    {"ivh", RADL_SET_SECTION, "discrete", 0, 0, NULL, "intensity-volume histogram (IBSI 4.5)"},
    {"ivh.method", RADL_SET_ENUM, "discrete", 0, 0, radl_ivh_names, "how IVH intensities are binned"},
    {"ivh.bins", RADL_SET_INTEGER, "1000", 1, 65535, NULL, "number of bins (method \"fbn\")"},
    {"ivh.width", RADL_SET_NUMBER, "1", 0, 0, NULL, "bin width (method \"fbs\", > 0)"},
    {"ivh.range", RADL_SET_NUMBERS, "auto", 2, 2, NULL,
     "{lo, hi} of the IVH (default resegment.range, else the ROI range)"},
    {"texture", RADL_SET_SECTION, "3D", 0, 0, NULL, "texture matrices"},
    {"texture.aggregation", RADL_SET_AGGREGATION, "{\"3D\"}", 0, 0, aggr_names,
     "aggregations to compute: any of \"2D\", \"2.5D\", \"3D\""},
    {"texture.distance", RADL_SET_INTEGER, "1", 1, 16, NULL, "neighbourhood distance (Chebyshev) of GLCM, NGTDM, NGLDM"},
    {"texture.ngldm_alpha", RADL_SET_INTEGER, "0", 0, 26, NULL, "NGLDM coarseness"},
    {"filters", RADL_SET_FILTERS, "none", 0, RAD_MAX_FILTERS, NULL,
     "IBSI 2 filters, e.g. {{\"log\", sigma = 1.5}, {\"wavelet\", family = \"db3\", band = \"LLH\"}}: each "
     "filter table as rad.filter takes it (dims = 3 unless given); the response of the whole (interpolated) image "
     "is sampled in the ROI and filter_families computed on it, tags prefixed (log_s1.5mm_3D_stat_mean); "
     "radlab-features(7) FILTERS; with compat = \"pyradiomics\" a filter may add pyradiomics = {binWidth = 5}, "
     "its image type's own settings (binWidth, binCount, voxelArrayShift, force2D, force2Ddimension, weightingNorm, "
     "symmetricalGLCM, distances, gldm_a)"},
    {"filter_families", RADL_SET_FAMILIES, "{\"stat\"}", 0, 0, NULL,
     "families computed on each filter response: only \"stat\" (IBSI 2 phase 2; texture of responses is refused)"},
    {"compat", RADL_SET_ENUM, "ibsi", 0, 0, radl_compat_names,
     "conventions and feature names: \"ibsi\" (IBSI tags, stat_mean) or \"pyradiomics\" (PyRadiomics' "
     "discretisation, definitions and names, original_firstorder_Mean; options in settings.pyradiomics; "
     "its image types as settings.filters of kinds pylog, pywavelet, square, squareroot, logarithm, exponential, "
     "gradient, lbp2d, lbp3d: log-sigma-1-0-mm-3D_glcm_Contrast); "
     "radlab-features(7) PYRADIOMICS COMPATIBILITY"},
    {"pyradiomics", RADL_SET_SECTION, "off", 0, 0, NULL,
     "PyRadiomics' own options, by their names in its parameter files (compat = \"pyradiomics\" only)"},
    {"pyradiomics.binWidth", RADL_SET_NUMBER, "25", 0, 0, NULL,
     "bin width; edges at multiples of it: bin = floor(x / w) - floor(min / w) + 1"},
    {"pyradiomics.binCount", RADL_SET_INTEGER, "none", 1, 65535, NULL,
     "fixed bin count over the ROI range (numpy.histogram edges); replaces binWidth"},
    {"pyradiomics.voxelArrayShift", RADL_SET_NUMBER, "0", 0, 0, NULL,
     "added to intensities for Energy, TotalEnergy and RootMeanSquared"},
    {"pyradiomics.force2D", RADL_SET_BOOL, "false", 0, 0, NULL,
     "texture matrices in-plane only (directions within the slices), one matrix over all slices"},
    {"pyradiomics.force2Ddimension", RADL_SET_INTEGER, "0", 0, 2, NULL,
     "force2D: the axis across the slices in numpy order: 0 = z (axial), 1 = y, 2 = x"},
    {"pyradiomics.normalize", RADL_SET_BOOL, "false", 0, 0, NULL,
     "z-score the whole image (sample sd, as SimpleITK Normalize) before anything else"},
    {"pyradiomics.normalizeScale", RADL_SET_NUMBER, "1", 0, 0, NULL, "normalize: multiply the z-scores by s > 0"},
    {"pyradiomics.removeOutliers", RADL_SET_NUMBER, "none", 0, 0, NULL,
     "normalize: clip z-scores to [-k, k] before scaling"},
    {"pyradiomics.resegmentRange", RADL_SET_NUMBERS, "none", 1, 2, NULL,
     "{lo} or {lo, hi}: keep ROI voxels in range (mode absolute) or within mean + lo sd .. mean + hi sd (sigma)"},
    {"pyradiomics.resegmentMode", RADL_SET_ENUM, "absolute", 0, 0, radl_pyr_reseg_names,
     "how resegmentRange is read (relative is not supported: an error)"},
    {"pyradiomics.resampledPixelSpacing", RADL_SET_NUMBERS, "none", 3, 3, NULL,
     "{x, y, z} mm: resample image (interpolator) and mask (nearest neighbour) on PyRadiomics' grid: the ROI's "
     "bounding box + padDistance"},
    {"pyradiomics.interpolator", RADL_SET_ENUM, "sitkBSpline", 0, 0, radl_pyr_interp_names,
     "resampledPixelSpacing: the image interpolator (sitkBSpline = cubic B-spline)"},
    {"pyradiomics.padDistance", RADL_SET_INTEGER, "5", 0, 1000, NULL,
     "voxels of margin kept around the ROI when resampling (no effect on features otherwise)"},
    {"pyradiomics.preCrop", RADL_SET_BOOL, "false", 0, 0, NULL, "crop before resampling (no effect on features)"},
    {"pyradiomics.additionalInfo", RADL_SET_BOOL, "true", 0, 0, NULL,
     "PyRadiomics' diagnostics (no effect here: see settings.diagnostics)"},
    {"pyradiomics.minimumROIDimensions", RADL_SET_INTEGER, "2", 1, 3, NULL,
     "refuse an ROI spanning fewer dimensions"},
    {"pyradiomics.minimumROISize", RADL_SET_INTEGER, "none", 1, 1000000000, NULL, "refuse an ROI of fewer voxels"},
    {"pyradiomics.label", RADL_SET_INTEGER, "1", 1, 255, NULL,
     "1 only: select another label when reading the mask (rad.read_mask(path, {label = k}), radlab extract --label k)"},
    {"pyradiomics.distances", RADL_SET_NUMBERS, "{1}", 1, 1, NULL,
     "neighbourhood distance of GLCM, GLDM and NGTDM: one distance (Chebyshev)"},
    {"pyradiomics.symmetricalGLCM", RADL_SET_BOOL, "true", 0, 0, NULL, "count each GLCM pair both ways"},
    {"pyradiomics.weightingNorm", RADL_SET_ENUM, "none", 0, 0, radl_pyr_weight_names,
     "GLCM, GLRLM: sum the per-direction matrices weighted by this norm into one (default: average the features)"},
    {"pyradiomics.gldm_a", RADL_SET_INTEGER, "0", 0, 26, NULL, "GLDM: grey levels within a are dependent"},
    {"pyradiomics.original", RADL_SET_BOOL, "true", 0, 0, NULL,
     "measure the original image (imageType Original); false: only the image types of settings.filters, and shape "
     "(original_shape_*, from the mask, as PyRadiomics does)"},
    {"pyradiomics.featureClass", RADL_SET_CLASSES, "all", 0, 0, NULL,
     "the classes to compute and, per class, rad.NA or {} (every feature) or a list of its feature names, as in "
     "PyRadiomics' featureClass: {glcm = {\"Contrast\", \"Idm\"}, shape = rad.NA}; replaces settings.families"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const char *const radl_compat_names[] = {"ibsi", "pyradiomics", NULL};
const char *const radl_pyr_weight_names[] = {"no_weighting", "manhattan", "euclidean", "infinity", NULL};
const char *const radl_pyr_interp_names[] = {"sitkNearestNeighbor", "sitkLinear", "sitkBSpline", NULL};
const char *const radl_pyr_reseg_names[] = {"absolute", "relative", "sigma", NULL};

const char *const radl_setting_type_names[] = {"table", "boolean", "number", "integer", "string", "numbers",
                                               "families", "aggregations", "path", "filters", "classes"};
const char *const radl_norm_names[] = {"zscore", "percentile", "reference", NULL};
const char *const radl_norm_scope_names[] = {"roi", "image", NULL};
const char *const radl_norm_sd_names[] = {"population", "sample", NULL};
const char *const radl_norm_stat_names[] = {"mean", "zscore", NULL};

/* The row of `path`; a missing row is a bug in this file, not bad input. */
static const RadlSetting *setting(lua_State *L, const char *path)
{
    for (const RadlSetting *e = radl_settings; e->path; e++)
        if (strcmp(e->path, path) == 0)
            return e;
    luaL_error(L, "internal error: no settings row '%s'", path);
    return NULL;
}

/* The key of a row: the part of its path after the section. */
static const char *key_of(const RadlSetting *e)
{
    const char *dot = strrchr(e->path, '.');
    return dot ? dot + 1 : e->path;
}

/* Is row e directly inside `section` ("" = the top level)? */
static int in_section(const RadlSetting *e, const char *section)
{
    size_t n = strlen(section);
    if (n == 0)
        return strchr(e->path, '.') == NULL;
    return strncmp(e->path, section, n) == 0 && e->path[n] == '.' && !strchr(e->path + n + 1, '.');
}

/* Every key of the table at idx is a row of `section`. */
static void check_section_keys(lua_State *L, int idx, const char *section)
{
    const char *allowed[32];
    char fname[96];
    int n = 0;
    for (const RadlSetting *e = radl_settings; e->path && n < 31; e++)
        if (in_section(e, section))
            allowed[n++] = key_of(e);
    allowed[n] = NULL;
    snprintf(fname, sizeof fname, "settings%s%s", *section ? "." : "", section);
    radl_check_keys(L, idx, fname, allowed);
}

/* Push field `key` of the table at idx; returns its type (nil when absent). */
static int field(lua_State *L, int idx, const char *key)
{
    return lua_getfield(L, idx, key);
}

/* "lo..hi" for a message (hi infinite: ">= lo"). */
static const char *range_text(lua_State *L, const RadlSetting *e)
{
    if (isinf(e->hi))
        return lua_pushfstring(L, ">= %s", lua_pushfstring(L, "%d", (int)e->lo));
    return lua_pushfstring(L, "%d..%d", (int)e->lo, (int)e->hi);
}

static double num_field(lua_State *L, int idx, const char *path)
{
    const RadlSetting *e = setting(L, path);
    int t = field(L, idx, key_of(e));
    double v = strtod(e->def, NULL);
    if (t != LUA_TNIL) {
        if (t != LUA_TNUMBER)
            luaL_error(L, "settings.%s must be a number, got %s", path, luaL_typename(L, -1));
        v = lua_tonumber(L, -1);
        if (e->lo < e->hi && !(v >= e->lo && v <= e->hi))
            radl_fail(L, "settings.%s must be %s, got %g", path, range_text(L, e), v);
    }
    lua_pop(L, 1);
    return v;
}

static int int_field(lua_State *L, int idx, const char *path)
{
    const RadlSetting *e = setting(L, path);
    int t = field(L, idx, key_of(e));
    lua_Integer v = (lua_Integer)strtol(e->def, NULL, 10);
    if (t != LUA_TNIL) {
        int isint = 0;
        if (t == LUA_TNUMBER)
            v = lua_tointegerx(L, -1, &isint);
        if (!isint)
            luaL_error(L, "settings.%s must be an integer, got %s", path,
                       t == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1));
        if (v < (lua_Integer)e->lo || v > (lua_Integer)e->hi)
            luaL_error(L, "settings.%s must be %d..%d, got %I", path, (int)e->lo, (int)e->hi, v);
    }
    lua_pop(L, 1);
    return (int)v;
}

static int bool_field(lua_State *L, int idx, const char *path)
{
    const RadlSetting *e = setting(L, path);
    int t = field(L, idx, key_of(e)), v = strcmp(e->def, "true") == 0;
    if (t != LUA_TNIL) {
        if (t != LUA_TBOOLEAN)
            luaL_error(L, "settings.%s must be true or false, got %s", path, luaL_typename(L, -1));
        v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

/* ", "-separated quoted names, pushed. */
static const char *push_choices(lua_State *L, const char *const *names)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 0; names[i]; i++) {
        luaL_addstring(&b, i ? ", " : "");
        luaL_addchar(&b, '"');
        luaL_addstring(&b, names[i]);
        luaL_addchar(&b, '"');
    }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

/* One of the row's names; returns its index (the default's when absent). */
static int enum_field(lua_State *L, int idx, const char *path)
{
    const RadlSetting *e = setting(L, path);
    int t = field(L, idx, key_of(e)), v = 0;
    const char *s = t == LUA_TNIL ? e->def : t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    for (int i = 0; s && e->names[i]; i++)
        if (strcmp(s, e->names[i]) == 0) {
            lua_pop(L, 1);
            return i;
        }
    if (t == LUA_TNIL)
        luaL_error(L, "internal error: default of settings.%s is not a choice", path);
    {
        /* the type name before push_choices moves the value down the stack */
        const char *got = s ? s : luaL_typename(L, -1);
        luaL_error(L, "settings.%s must be one of %s, got %s", path, push_choices(L, e->names), got);
    }
    return v;
}

/* An array of lo..hi numbers. Returns the count (0 if absent). */
static int vec_field(lua_State *L, int idx, const char *path, double *v)
{
    const RadlSetting *e = setting(L, path);
    int t = field(L, idx, key_of(e)), len, nmin = (int)e->lo, n = (int)e->hi;
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TTABLE)
        luaL_error(L, "settings.%s must be an array of %d numbers, got %s", path, n, luaL_typename(L, -1));
    len = (int)luaL_len(L, -1);
    if (len < nmin || len > n)
        luaL_error(L, "settings.%s must have %s%d numbers, it has %d", path, nmin < n ? "up to " : "", n, len);
    for (int i = 0; i < len; i++) {
        if (lua_rawgeti(L, -1, i + 1) != LUA_TNUMBER)
            luaL_error(L, "settings.%s[%d] must be a number", path, i + 1);
        v[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return len;
}

/* Section `key` of the settings at idx pushed (its keys checked), or 0 when absent. */
static int sub_table(lua_State *L, int idx, const char *key)
{
    int t = field(L, idx, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TTABLE)
        luaL_error(L, "settings.%s must be a table, got %s (see help(rad.extract))", key, luaL_typename(L, -1));
    check_section_keys(L, lua_gettop(L), key);
    return lua_gettop(L);
}

static unsigned family_bits(lua_State *L, int idx, const char *path)
{
    unsigned bits = 0;
    int n = (int)luaL_len(L, idx);
    for (int i = 1; i <= n; i++) {
        const char *name;
        const RadFamily *const *f;
        if (lua_rawgeti(L, idx, i) != LUA_TSTRING)
            luaL_error(L, "settings.%s[%d] must be a family name such as \"cm\"", path, i);
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
            luaL_error(L, "settings.%s: unknown family '%s' (families: %s)", path, name, lua_tostring(L, -1));
        }
        bits |= (*f)->bit;
        lua_pop(L, 1);
    }
    return bits;
}

static unsigned aggregation_bits(lua_State *L, int idx, const char *path)
{
    static const unsigned bits[] = {RAD_AGGR_2D, RAD_AGGR_2_5D, RAD_AGGR_3D};
    const RadlSetting *e = setting(L, path);
    unsigned aggr = 0;
    int n, a;
    if (field(L, idx, key_of(e)) == LUA_TNIL) {
        lua_pop(L, 1);
        return RAD_AGGR_3D;
    }
    a = lua_gettop(L);
    if (!lua_istable(L, a))
        luaL_error(L, "settings.%s must be an array such as {\"2D\", \"2.5D\"} or {\"3D\"}", path);
    n = (int)luaL_len(L, a);
    for (int i = 1; i <= n; i++) {
        const char *name;
        int k;
        lua_rawgeti(L, a, i);
        name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        for (k = 0; e->names[k] && !(name && strcmp(name, e->names[k]) == 0); k++)
            ;
        if (!e->names[k])
            luaL_error(L, "settings.%s[%d] must be \"2D\", \"2.5D\" or \"3D\"", path, i);
        aggr |= bits[k];
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return aggr;
}

/* The normalise section at t: the method is required, and a key given for
 * another method is an error (it would be silently ignored). */
static void normalise_section(lua_State *L, int t, RadSettings *s)
{
    /* which methods each key applies to: bit m = RadNorm m */
    static const struct {
        const char *key;
        unsigned methods;
        const char *which;
    } applies[] = {{"scope", 1u << RAD_NORM_ZSCORE | 1u << RAD_NORM_PERCENTILE, "\"zscore\" and \"percentile\""},
                   {"sd", 1u << RAD_NORM_ZSCORE | 1u << RAD_NORM_REFERENCE, "\"zscore\" and \"reference\""},
                   {"scale", 1u << RAD_NORM_ZSCORE, "\"zscore\""},
                   {"remove_outliers", 1u << RAD_NORM_ZSCORE, "\"zscore\""},
                   {"percentiles", 1u << RAD_NORM_PERCENTILE, "\"percentile\""},
                   {"range", 1u << RAD_NORM_PERCENTILE, "\"percentile\""},
                   {"statistic", 1u << RAD_NORM_REFERENCE, "\"reference\""},
                   {"label", 1u << RAD_NORM_REFERENCE, "\"reference\""},
                   {"mask", 1u << RAD_NORM_REFERENCE, "\"reference\""}};
    double r[2];
    if (field(L, t, "method") == LUA_TNIL)
        luaL_error(L, "settings.normalise.method is required: \"zscore\", \"percentile\" or \"reference\" "
                      "(see help(rad.extract))");
    lua_pop(L, 1);
    s->norm = (RadNorm)(enum_field(L, t, "normalise.method") + 1);
    for (size_t i = 0; i < sizeof applies / sizeof applies[0]; i++) {
        int given = field(L, t, applies[i].key) != LUA_TNIL;
        lua_pop(L, 1);
        if (given && !(applies[i].methods & (1u << s->norm)))
            luaL_error(L, "settings.normalise.%s applies to method %s only, not \"%s\"", applies[i].key,
                       applies[i].which, radl_norm_names[s->norm - 1]);
    }
    s->norm_scope = (RadNormScope)enum_field(L, t, "normalise.scope");
    s->norm_sd = (RadNormSd)enum_field(L, t, "normalise.sd");
    s->norm_scale = num_field(L, t, "normalise.scale");
    if (field(L, t, "remove_outliers") != LUA_TNIL) {
        double k = num_field(L, t, "normalise.remove_outliers");
        if (!(k > 0) || !isfinite(k))
            luaL_error(L, "settings.normalise.remove_outliers must be a number k > 0 (z-scores are clipped to [-k, k]; "
                          "leave it out for no clipping), got %f", k);
        s->norm_outliers = k;
    }
    lua_pop(L, 1);
    if (s->norm == RAD_NORM_PERCENTILE) {
        if (vec_field(L, t, "normalise.percentiles", r) == 0)
            luaL_error(L, "settings.normalise.percentiles is required for method \"percentile\", e.g. {1, 99} (percent)");
        s->norm_p_lo = r[0];
        s->norm_p_hi = r[1];
        if (vec_field(L, t, "normalise.range", r)) {
            s->norm_to_lo = r[0];
            s->norm_to_hi = r[1];
        }
    }
    if (s->norm == RAD_NORM_REFERENCE) {
        int ty;
        s->norm_ref_stat = (RadNormStat)enum_field(L, t, "normalise.statistic");
        if (field(L, t, "sd") != LUA_TNIL && s->norm_ref_stat == RAD_NORM_STAT_MEAN)
            luaL_error(L, "settings.normalise.sd applies to statistic \"zscore\" only, not \"mean\"");
        lua_pop(L, 1);
        if (field(L, t, "label") != LUA_TNIL)
            s->norm_ref_label = int_field(L, t, "normalise.label");
        lua_pop(L, 1);
        ty = field(L, t, "mask");
        if (ty != LUA_TNIL) {
            size_t len;
            const char *path;
            if (ty != LUA_TSTRING)
                luaL_error(L, "settings.normalise.mask must be the path of a mask file (a string), got %s",
                           luaL_typename(L, -1));
            path = lua_tolstring(L, -1, &len);
            if (len == 0 || len >= sizeof s->norm_ref_mask || strlen(path) != len)
                luaL_error(L, "settings.normalise.mask must be a file path of 1..%d bytes without NUL, got %d bytes",
                           (int)sizeof s->norm_ref_mask - 1, (int)len);
            memcpy(s->norm_ref_mask, path, len + 1);
        }
        lua_pop(L, 1);
        if (!s->norm_ref_label && !s->norm_ref_mask[0])
            luaL_error(L, "settings.normalise: method \"reference\" needs the reference region: label = k (another "
                          "label of the ROI's mask) and/or mask = \"file\" (a mask file on the image's grid)");
    }
    lua_pop(L, 1);
}

/* What one image type may change of settings.pyradiomics: the settings
 * PyRadiomics reads in the image type's filter and its feature classes
 * (featureextractor.py passes them per image type; imageoperations.py and
 * the classes read them). */
static const struct {
    const char *key;
    unsigned bit;
} pyr_override_keys[] = {
    {"binWidth", RAD_PYR_OV_BIN_WIDTH},   {"binCount", RAD_PYR_OV_BIN_COUNT},
    {"voxelArrayShift", RAD_PYR_OV_SHIFT}, {"force2D", RAD_PYR_OV_FORCE2D},
    {"force2Ddimension", RAD_PYR_OV_FORCE2D_DIM}, {"weightingNorm", RAD_PYR_OV_WEIGHTING},
    {"symmetricalGLCM", RAD_PYR_OV_SYMMETRIC}, {"distances", RAD_PYR_OV_DISTANCE},
    {"gldm_a", RAD_PYR_OV_GLDM_A}};
#define N_PYR_OVERRIDE (sizeof pyr_override_keys / sizeof pyr_override_keys[0])

/* Case-insensitive edit distance of two short names (capped at 9). */
static int name_distance(const char *a, const char *b)
{
    int prev[40], cur[40];
    size_t na = strlen(a), nb = strlen(b);
    if (na >= 40 || nb >= 40)
        return 9;
    for (size_t j = 0; j <= nb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= nb; j++) {
            int sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (nb + 1) * sizeof *prev);
    }
    return prev[nb] < 9 ? prev[nb] : 9;
}

/* Read fname.pyradiomics of the filter table at idx into o (an image type's
 * own settings), then remove it from view: the table at idx is replaced by
 * a copy without it, for radl_filter_spec_read.  A general setting that
 * PyRadiomics applies once (loading, resampling, normalisation,
 * re-segmentation, mask checks) is refused: per image type it has no
 * effect there. */
static void filter_pyr_override(lua_State *L, int idx, const char *fname, const RadSettings *s, RadPyrOverride *o)
{
    int ot;
    memset(o, 0, sizeof *o);
    if (lua_getfield(L, idx, "pyradiomics") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    ot = lua_gettop(L);
    if (s->compat != RAD_COMPAT_PYRADIOMICS)
        luaL_error(L, "%s.pyradiomics (an image type's own PyRadiomics settings) needs compat = \"pyradiomics\"",
                   fname);
    if (!lua_istable(L, ot))
        luaL_error(L, "%s.pyradiomics must be a table of PyRadiomics settings for this image type, e.g. "
                      "{binWidth = 5}, got %s", fname, luaL_typename(L, ot));
    lua_pushnil(L);
    while (lua_next(L, ot)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        const char *const *names = radl_pyr_weight_names;
        size_t q = N_PYR_OVERRIDE;
        int ty = lua_type(L, -1), isint = 0;
        lua_Integer iv = lua_tointegerx(L, -1, &isint);
        double dv = lua_tonumber(L, -1);
        if (!k)
            luaL_error(L, "%s.pyradiomics: keys are PyRadiomics setting names (binWidth, ...), got a %s key", fname,
                       luaL_typename(L, -2));
        for (size_t j = 0; j < N_PYR_OVERRIDE; j++)
            if (strcmp(k, pyr_override_keys[j].key) == 0)
                q = j;
        if (q == N_PYR_OVERRIDE) {
            char path[80];
            const char *best = NULL;
            int bd = 3;
            snprintf(path, sizeof path, "pyradiomics.%s", k);
            if (strcmp(k, "label") == 0)
                luaL_error(L, "%s.pyradiomics.label: radlab selects the label when it reads the mask, once for every "
                              "image type (rad.read_mask(path, {label = k}), radlab extract --label k); remove it",
                           fname);
            if (strcmp(k, "featureClass") == 0 || strcmp(k, "original") == 0)
                luaL_error(L, "%s.pyradiomics.%s is not a setting of one image type; give it in settings.pyradiomics",
                           fname, k);
            for (const RadlSetting *e = radl_settings; e->path; e++)
                if (strcmp(e->path, path) == 0)
                    luaL_error(L, "%s.pyradiomics.%s: PyRadiomics applies %s once, with the general settings, before "
                                  "any image type (loading, resampling, normalisation, re-segmentation, mask "
                                  "checks): per image type it has no effect; set it in settings.pyradiomics",
                               fname, k, k);
            for (size_t j = 0; j < N_PYR_OVERRIDE; j++) {
                int d = name_distance(k, pyr_override_keys[j].key);
                if (d < bd)
                    best = pyr_override_keys[j].key, bd = d;
            }
            luaL_error(L, "%s.pyradiomics: unknown setting '%s'%s%s%s (an image type may change binWidth, binCount, "
                          "voxelArrayShift, force2D, force2Ddimension, weightingNorm, symmetricalGLCM, distances, "
                          "gldm_a)", fname, k, best ? " (did you mean " : "", best ? best : "", best ? "?)" : "");
        }
        o->set |= pyr_override_keys[q].bit;
        switch (pyr_override_keys[q].bit) {
        case RAD_PYR_OV_BIN_WIDTH:
        case RAD_PYR_OV_SHIFT:
            if (ty != LUA_TNUMBER || !isfinite(dv))
                luaL_error(L, "%s.pyradiomics.%s must be a finite number, got %s", fname, k,
                           ty == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1));
            *(pyr_override_keys[q].bit == RAD_PYR_OV_BIN_WIDTH ? &o->bin_width : &o->shift) = dv;
            break;
        case RAD_PYR_OV_BIN_COUNT:
        case RAD_PYR_OV_FORCE2D_DIM:
        case RAD_PYR_OV_GLDM_A: {
            int bit = (int)pyr_override_keys[q].bit;
            lua_Integer hi = bit == RAD_PYR_OV_BIN_COUNT ? 65535 : bit == RAD_PYR_OV_GLDM_A ? 26 : 2;
            lua_Integer lo = bit == RAD_PYR_OV_BIN_COUNT;
            if (ty != LUA_TNUMBER || !isint || iv < lo || iv > hi)
                luaL_error(L, "%s.pyradiomics.%s must be an integer %d..%d, got %s", fname, k, (int)lo, (int)hi,
                           ty == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1));
            *(bit == RAD_PYR_OV_BIN_COUNT ? &o->bin_count : bit == RAD_PYR_OV_GLDM_A ? &o->gldm_a : &o->force2d_dim) =
                (int)iv;
            break;
        }
        case RAD_PYR_OV_FORCE2D:
        case RAD_PYR_OV_SYMMETRIC:
            if (ty != LUA_TBOOLEAN)
                luaL_error(L, "%s.pyradiomics.%s must be true or false, got %s", fname, k, luaL_typename(L, -1));
            *(pyr_override_keys[q].bit == RAD_PYR_OV_FORCE2D ? &o->force2d : &o->symmetric) = lua_toboolean(L, -1);
            break;
        case RAD_PYR_OV_WEIGHTING: {
            const char *w = ty == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            int j = 0;
            while (w && names[j] && strcmp(w, names[j]) != 0)
                j++;
            if (!w || !names[j])
                luaL_error(L, "%s.pyradiomics.weightingNorm must be one of %s, got %s", fname,
                           "no_weighting, manhattan, euclidean, infinity", w ? w : luaL_typename(L, -1));
            o->weighting = (RadPyrWeight)(j + 1);
            break;
        }
        default: /* distances: {d} */
            isint = 0;
            if (ty == LUA_TTABLE && lua_rawlen(L, -1) == 1) {
                lua_rawgeti(L, -1, 1);
                iv = lua_tointegerx(L, -1, &isint);
                lua_pop(L, 1);
            }
            if (!isint || iv < 1 || iv > 16)
                luaL_error(L, "%s.pyradiomics.distances must be {d} with an integer d in 1..16 (one distance)",
                           fname);
            o->distance = (int)iv;
            break;
        }
        lua_pop(L, 1);
    }
    /* the filter's own options: a copy of the table without pyradiomics */
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (!(lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "pyradiomics") == 0)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        } else
            lua_pop(L, 1);
    }
    lua_replace(L, idx);
    lua_pop(L, 1); /* the pyradiomics table */
}

/* settings.filters (a list of rad.filter option tables) and
 * settings.filter_families. */
static void filters_setting(lua_State *L, int idx, RadSettings *s)
{
    if (field(L, idx, "filters") != LUA_TNIL) {
        int ft = lua_gettop(L), n;
        if (!lua_istable(L, ft))
            luaL_error(L, "settings.filters must be a list of filter tables, e.g. {{\"log\", sigma = 1.5}, "
                          "{\"mean\", support = 5}}, got %s", luaL_typename(L, ft));
        n = (int)luaL_len(L, ft);
        if (n > RAD_MAX_FILTERS)
            luaL_error(L, "settings.filters: at most %d filters, got %d", RAD_MAX_FILTERS, n);
        lua_pushnil(L);
        while (lua_next(L, ft)) {
            lua_Integer k;
            int isint;
            k = lua_tointegerx(L, -2, &isint);
            if (lua_type(L, -2) != LUA_TNUMBER || !isint || k < 1 || k > n)
                luaL_error(L, "settings.filters must be a list (keys 1..n) of filter tables, e.g. {{\"log\", sigma "
                              "= 1.5}}, not a table with key %s", lua_tostring(L, -2) ? lua_tostring(L, -2)
                                                                                      : luaL_typename(L, -2));
            lua_pop(L, 1);
        }
        for (int i = 1; i <= n; i++) {
            char fname[40];
            snprintf(fname, sizeof fname, "settings.filters[%d]", i);
            if (lua_rawgeti(L, ft, i) != LUA_TTABLE)
                luaL_error(L, "%s must be a filter table such as {\"log\", sigma = 1.5} (filters: " FILTER_NAMES
                              "), got %s", fname, luaL_typename(L, -1));
            filter_pyr_override(L, lua_gettop(L), fname, s, &s->filter_pyr[i - 1]);
            radl_filter_spec_read(L, lua_gettop(L), fname, 3, &s->filters[i - 1]);
            lua_pop(L, 1);
        }
        s->n_filters = n;
    }
    lua_pop(L, 1);
    if (field(L, idx, "filter_families") != LUA_TNIL) {
        if (!lua_istable(L, -1))
            luaL_error(L, "settings.filter_families must be an array of family names, e.g. {\"stat\"}");
        s->filter_families = family_bits(L, lua_gettop(L), "filter_families");
        if (s->filter_families & ~(unsigned)RAD_FAM_ON_RESPONSE)
            luaL_error(L, "settings.filter_families: only \"stat\" is allowed on filter response maps (IBSI 2 "
                          "phase 2 computes intensity statistics; texture and histogram families of responses need a "
                          "discretisation IBSI 2 does not standardise: radlab-features(7), FILTERS)");
    }
    lua_pop(L, 1);
}

/* settings.pyradiomics.featureClass at idx: PyRadiomics' class names ->
 * families; a class with a list of feature names is restricted to them */
static const struct {
    const char *name;
    unsigned bits;
} pyr_classes[] = {{"shape", RAD_FAM_MORPH},      {"firstorder", RAD_FAM_STAT | RAD_FAM_IH},
                   {"glcm", RAD_FAM_CM},          {"glrlm", RAD_FAM_RLM},
                   {"glszm", RAD_FAM_SZM},        {"gldm", RAD_FAM_NGL},
                   {"ngtdm", RAD_FAM_NGT}};

static void feature_class(lua_State *L, int idx, RadSettings *s)
{
    RadPyrSettings *p = &s->pyr;
    size_t nc = 0, ns = 0;
    unsigned bits = 0;
    if (!lua_istable(L, idx))
        luaL_error(L, "settings.pyradiomics.featureClass must be a table {class = rad.NA or {names}}, got %s",
                   luaL_typename(L, idx));
    p->select_classes[0] = p->select[0] = '\0';
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *cls = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        size_t c = 0, n;
        while (cls && c < sizeof pyr_classes / sizeof pyr_classes[0] && strcmp(cls, pyr_classes[c].name) != 0)
            c++;
        if (!cls || c == sizeof pyr_classes / sizeof pyr_classes[0])
            luaL_error(L, "settings.pyradiomics.featureClass: unknown class %s%s%s (classes: shape, firstorder, glcm, "
                          "glrlm, glszm, gldm, ngtdm%s)",
                       cls ? "'" : "", cls ? cls : luaL_typename(L, -2), cls ? "'" : "",
                       cls && strcmp(cls, "shape2D") == 0 ? "; radlab has no shape2D" : "");
        bits |= pyr_classes[c].bits;
        if (lua_istable(L, -1) && (n = lua_rawlen(L, -1)) > 0) {
            int w = snprintf(p->select_classes + nc, sizeof p->select_classes - nc, "%s%s;", nc ? "" : ";", cls);
            if (w < 0 || (size_t)w >= sizeof p->select_classes - nc)
                luaL_error(L, "settings.pyradiomics.featureClass: too many classes with lists");
            nc += (size_t)w;
            for (size_t i = 1; i <= n; i++) {
                const char *f;
                if (lua_rawgeti(L, -1, (lua_Integer)i) != LUA_TSTRING)
                    luaL_error(L, "settings.pyradiomics.featureClass.%s[%d] must be a feature name such as "
                                  "\"Contrast\", got %s",
                               cls, (int)i, luaL_typename(L, -1));
                f = lua_tostring(L, -1);
                if (strspn(f, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(f) || !*f)
                    luaL_error(L, "settings.pyradiomics.featureClass.%s[%d]: '%s' is not a feature name", cls, (int)i,
                               f);
                w = snprintf(p->select + ns, sizeof p->select - ns, "%s%s_%s;", ns ? "" : ";", cls, f);
                if (w < 0 || (size_t)w >= sizeof p->select - ns)
                    luaL_error(L, "settings.pyradiomics.featureClass: the feature lists are too long (%zu bytes at "
                                  "most)", sizeof p->select - 1);
                ns += (size_t)w;
                lua_pop(L, 1);
            }
        } else if (!lua_istable(L, -1) && !radl_is_na(L, -1) && !(lua_isboolean(L, -1) && lua_toboolean(L, -1))) {
            luaL_error(L, "settings.pyradiomics.featureClass.%s must be rad.NA, {} or a list of feature names, got %s",
                       cls, luaL_typename(L, -1));
        }
        lua_pop(L, 1);
    }
    if (!bits)
        luaL_error(L, "settings.pyradiomics.featureClass names no class (classes: shape, firstorder, glcm, glrlm, "
                      "glszm, gldm, ngtdm)");
    s->families = bits | (s->families & RAD_FAM_DIAG);
}

/* settings.pyradiomics at t (compat = "pyradiomics"): PyRadiomics' options,
 * mapped onto radlab's settings where radlab has the step (normalisation,
 * re-segmentation, interpolation) and onto s->pyr where it has not. */
static void pyradiomics_section(lua_State *L, int t, RadSettings *s)
{
    double v[3];
    int n, given;
    given = field(L, t, "binCount") != LUA_TNIL;
    lua_pop(L, 1);
    if (given) {
        if (field(L, t, "binWidth") != LUA_TNIL)
            luaL_error(L, "settings.pyradiomics: give binWidth or binCount, not both (binCount wins in PyRadiomics; "
                          "say which is meant)");
        lua_pop(L, 1);
        s->pyr.bin_count = int_field(L, t, "pyradiomics.binCount");
    }
    s->pyr.bin_width = num_field(L, t, "pyradiomics.binWidth");
    if (!(s->pyr.bin_width > 0))
        radl_fail(L, "settings.pyradiomics.binWidth must be > 0, got %g", s->pyr.bin_width);
    s->pyr.shift = num_field(L, t, "pyradiomics.voxelArrayShift");
    s->pyr.force2d = bool_field(L, t, "pyradiomics.force2D");
    s->pyr.force2d_dim = int_field(L, t, "pyradiomics.force2Ddimension");
    if (bool_field(L, t, "pyradiomics.normalize")) {
        s->norm = RAD_NORM_ZSCORE;
        s->norm_scope = RAD_NORM_SCOPE_IMAGE;
        s->norm_sd = RAD_NORM_SD_SAMPLE;
        s->norm_scale = num_field(L, t, "pyradiomics.normalizeScale");
        if (!(s->norm_scale > 0))
            radl_fail(L, "settings.pyradiomics.normalizeScale must be > 0, got %g", s->norm_scale);
        if (field(L, t, "removeOutliers") != LUA_TNIL) {
            s->norm_outliers = num_field(L, t, "pyradiomics.removeOutliers");
            if (!(s->norm_outliers > 0))
                radl_fail(L, "settings.pyradiomics.removeOutliers must be > 0 (k sd), got %g", s->norm_outliers);
        }
        lua_pop(L, 1);
    } else {
        int out = field(L, t, "removeOutliers") != LUA_TNIL;
        lua_pop(L, 1);
        if (out || num_field(L, t, "pyradiomics.normalizeScale") != 1)
            luaL_error(L, "settings.pyradiomics.normalizeScale and removeOutliers apply with normalize = true only");
    }
    n = vec_field(L, t, "pyradiomics.resegmentRange", v);
    switch (enum_field(L, t, "pyradiomics.resegmentMode")) {
    case 0: /* absolute: {lo} keeps everything above lo */
        if (n) {
            s->reseg_range = 1;
            s->reseg_lo = v[0];
            s->reseg_hi = n == 2 ? v[1] : INFINITY;
            if (!(s->reseg_lo <= s->reseg_hi))
                radl_fail(L, "settings.pyradiomics.resegmentRange {%g, %g} is empty", v[0], v[1]);
        }
        break;
    case 1:
        luaL_error(L, "settings.pyradiomics.resegmentMode \"relative\" (a fraction of the ROI maximum) is not "
                      "supported: use \"absolute\" with the intensities, or \"sigma\"");
        break;
    default: /* sigma: mean +/- k sd, symmetric only */
        if (n != 2 || v[0] != -v[1] || !(v[1] > 0))
            luaL_error(L, "settings.pyradiomics.resegmentRange with resegmentMode \"sigma\" must be {-k, k} with "
                          "k > 0 (radlab re-segments at mean +/- k sd); got %s",
                       n == 1 ? "one number" : n ? lua_pushfstring(L, "{%f, %f}", v[0], v[1]) : "none");
        s->outlier_sigma = v[1];
        break;
    }
    if (vec_field(L, t, "pyradiomics.resampledPixelSpacing", v)) {
        for (int c = 0; c < 3; c++)
            if (!(v[c] > 0))
                luaL_error(L, "settings.pyradiomics.resampledPixelSpacing must be 3 spacings > 0 (mm); a 0 (keep "
                              "that axis' spacing) is not supported: give the spacing itself");
        s->resample = 1;
        memcpy(s->spacing, v, sizeof v);
        s->interp = (RadInterp)enum_field(L, t, "pyradiomics.interpolator");
        s->mask_interp = RAD_INTERP_NEAREST;
    } else {
        (void)enum_field(L, t, "pyradiomics.interpolator"); /* checked, no effect */
    }
    s->pyr.pad = int_field(L, t, "pyradiomics.padDistance");
    s->pyr.pre_crop = bool_field(L, t, "pyradiomics.preCrop");
    (void)bool_field(L, t, "pyradiomics.additionalInfo");
    s->pyr.min_dims = int_field(L, t, "pyradiomics.minimumROIDimensions");
    given = field(L, t, "minimumROISize") != LUA_TNIL;
    lua_pop(L, 1);
    if (given)
        s->pyr.min_size = int_field(L, t, "pyradiomics.minimumROISize");
    if (int_field(L, t, "pyradiomics.label") != 1)
        luaL_error(L, "settings.pyradiomics.label: radlab takes the label when reading the mask; select it there "
                      "(rad.read_mask(path, {label = k}) or radlab extract --label k) and leave label out");
    if (vec_field(L, t, "pyradiomics.distances", v)) {
        if (v[0] != floor(v[0]) || v[0] < 1 || v[0] > 16)
            radl_fail(L, "settings.pyradiomics.distances must be {d} with an integer d in 1..16, got {%g}", v[0]);
        s->distance = (int)v[0];
    }
    s->pyr.symmetric = bool_field(L, t, "pyradiomics.symmetricalGLCM");
    if (field(L, t, "weightingNorm") != LUA_TNIL) {
        lua_pop(L, 1);
        s->pyr.weighting = (RadPyrWeight)(enum_field(L, t, "pyradiomics.weightingNorm") + 1);
    } else
        lua_pop(L, 1);
    s->ngldm_alpha = int_field(L, t, "pyradiomics.gldm_a");
    s->pyr.original = bool_field(L, t, "pyradiomics.original");
    if (field(L, t, "featureClass") != LUA_TNIL)
        feature_class(L, lua_gettop(L), s);
    lua_pop(L, 1);
}

void radl_settings_from_table(lua_State *L, int idx, RadSettings *s)
{
    int t;

    rad_settings_default(s);
    if (lua_isnoneornil(L, idx))
        return;
    if (!lua_istable(L, idx))
        luaL_error(L, "settings must be a table such as {discretise = {method = \"fbs\", width = 25}}, got %s "
                      "(see help(rad.extract))", luaL_typename(L, idx));
    idx = lua_absindex(L, idx);
    check_section_keys(L, idx, "");
    s->compat = (RadCompat)enum_field(L, idx, "compat");
    if (s->compat == RAD_COMPAT_PYRADIOMICS) {
        /* IBSI settings would be silently overridden by PyRadiomics' */
        static const char *const ibsi_only[][2] = {
            {"normalise", "normalize, normalizeScale, removeOutliers"},
            {"resample", "resampledPixelSpacing, interpolator"},
            {"resegment", "resegmentRange, resegmentMode"},
            {"discretise", "binWidth or binCount"},
            {"texture", "distances, gldm_a, force2D"},
            {"ivh", "(no intensity-volume histogram in PyRadiomics)"},
            {"round", "(PyRadiomics does not round)"},
            {"filter_families", "(compat mode measures an image type with every enabled class but shape)"}};
        for (size_t i = 0; i < sizeof ibsi_only / sizeof ibsi_only[0]; i++) {
            int given = field(L, idx, ibsi_only[i][0]) != LUA_TNIL;
            lua_pop(L, 1);
            if (given)
                luaL_error(L, "settings.%s is an IBSI setting; with compat = \"pyradiomics\" use "
                              "settings.pyradiomics: %s", ibsi_only[i][0], ibsi_only[i][1]);
        }
        s->families = RAD_FAM_PYRADIOMICS;
    } else {
        int given = field(L, idx, "pyradiomics") != LUA_TNIL;
        lua_pop(L, 1);
        if (given)
            luaL_error(L, "settings.pyradiomics (PyRadiomics' options) needs compat = \"pyradiomics\"; in IBSI "
                          "mode use the IBSI settings (discretise, resegment, resample, normalise, texture)");
    }

    if (field(L, idx, "families") != LUA_TNIL) {
        if (!lua_istable(L, -1))
            luaL_error(L, "settings.families must be an array of family names, e.g. {\"stat\", \"cm\"}");
        s->families = family_bits(L, lua_gettop(L), "families");
    }
    lua_pop(L, 1);
    /* the IBSI diagnostic rows (diag_...) only on request */
    if (bool_field(L, idx, "diagnostics"))
        s->families |= RAD_FAM_DIAG;
    s->round_input = bool_field(L, idx, "round");

    if ((t = sub_table(L, idx, "normalise")))
        normalise_section(L, t, s);
    if ((t = sub_table(L, idx, "resample"))) {
        double sp[3] = {0, 0, 0};
        s->resample = 1;
        s->resample_2d = bool_field(L, t, "resample.in_plane");
        if (vec_field(L, t, "resample.spacing", sp) == 0)
            luaL_error(L, "settings.resample.spacing is required, e.g. {2, 2, 2} (mm)");
        if (!s->resample_2d && sp[2] == 0)
            luaL_error(L, "settings.resample.spacing needs 3 numbers {x, y, z} (or in_plane = true for {x, y})");
        memcpy(s->spacing, sp, sizeof sp);
        s->interp = (RadInterp)enum_field(L, t, "resample.interpolator");
        s->mask_interp = (RadInterp)enum_field(L, t, "resample.mask_interpolator");
        s->mask_threshold = num_field(L, t, "resample.mask_threshold");
        s->round_intensities = bool_field(L, t, "resample.round");
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "resegment"))) {
        double r[2];
        if (vec_field(L, t, "resegment.range", r)) {
            s->reseg_range = 1;
            s->reseg_lo = r[0];
            s->reseg_hi = r[1];
        }
        s->outlier_sigma = num_field(L, t, "resegment.outliers");
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "discretise"))) {
        int has_width, has_bins, has_min;
        s->disc = (RadDisc)enum_field(L, t, "discretise.method");
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
        s->bins = int_field(L, t, "discretise.bins");
        s->bin_width = num_field(L, t, "discretise.width");
        s->has_disc_min = has_min;
        s->disc_min = has_min ? num_field(L, t, "discretise.min") : 0;
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "ivh"))) {
        double r[2];
        s->ivh = (RadIvhMode)enum_field(L, t, "ivh.method");
        s->ivh_bins = int_field(L, t, "ivh.bins");
        s->ivh_width = num_field(L, t, "ivh.width");
        if (vec_field(L, t, "ivh.range", r)) {
            s->has_ivh_range = 1;
            s->ivh_min = r[0];
            s->ivh_max = r[1];
        }
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "texture"))) {
        s->aggr = aggregation_bits(L, t, "texture.aggregation");
        s->distance = int_field(L, t, "texture.distance");
        s->ngldm_alpha = int_field(L, t, "texture.ngldm_alpha");
        lua_pop(L, 1);
    }
    filters_setting(L, idx, s);
    if (s->compat == RAD_COMPAT_PYRADIOMICS && (t = sub_table(L, idx, "pyradiomics"))) {
        pyradiomics_section(L, t, s);
        lua_pop(L, 1);
    }
    if (rad_settings_check(s) != 0)
        luaL_error(L, "settings: %s", rad_error_message());
}

/* "  path   default   help (range)" for every row, one per line. */
void radl_push_settings_help(lua_State *L)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "settings (every key optional; rad.settings.defaults() returns them as a table):");
    for (const RadlSetting *e = radl_settings; e->path; e++) {
        char line[320], range[48] = "";
        if (e->type == RADL_SET_INTEGER || (e->type == RADL_SET_NUMBER && e->lo < e->hi))
            snprintf(range, sizeof range, isinf(e->hi) ? " (>= %g)" : " (%g..%g)", e->lo, e->hi);
        else if (e->type == RADL_SET_ENUM) {
            size_t n = strlen(" (");
            strcpy(range, " (");
            for (int i = 0; e->names[i] && n + strlen(e->names[i]) + 3 < sizeof range; i++)
                n += (size_t)snprintf(range + n, sizeof range - n, "%s%s", i ? "|" : "", e->names[i]);
            snprintf(range + n, sizeof range - n, ")");
        }
        snprintf(line, sizeof line, "\n  %-27s %-9s %s%s", e->path, e->def, e->help, range);
        luaL_addstring(&b, line);
    }
    luaL_pushresult(&b);
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

/* ---- text built line by line ----------------------------------------------------- */

void radl_lines_add(lua_State *L, int lines, const char *line)
{
    lua_pushstring(L, line);
    lua_rawseti(L, lines, (lua_Integer)lua_rawlen(L, lines) + 1);
}

int radl_lines_join(lua_State *L, int lines)
{
    luaL_Buffer b;
    lines = lua_absindex(L, lines);
    luaL_buffinit(L, &b);
    for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, lines); k++) {
        lua_rawgeti(L, lines, k);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    return 1;
}

int radl_dropped_row(lua_State *L, int fit, const char *term, char *line, size_t size)
{
    const char *why = "dropped";
    int top = lua_gettop(L), dropped;
    fit = lua_absindex(L, fit);
    /* not a number (rad.NA, NaN or absent): not estimated */
    dropped = !(lua_getfield(L, fit, "coef") == LUA_TTABLE && lua_getfield(L, -1, term) == LUA_TNUMBER &&
                !isnan(lua_tonumber(L, -1)));
    lua_settop(L, top);
    if (!dropped)
        return 0;
    if (lua_getfield(L, fit, "aliased") == LUA_TTABLE && lua_getfield(L, -1, term) == LUA_TSTRING)
        why = lua_tostring(L, -1);
    snprintf(line, size, "%-20s %12s %10s %10s %8s %10s  (%s: not estimated)\n", term, "NA", "NA", "NA", "NA", "NA",
             why);
    lua_settop(L, top);
    return 1;
}

void radl_guard_class(lua_State *L, const char *tname, lua_CFunction gc)
{
    luaL_newmetatable(L, tname);
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
}
