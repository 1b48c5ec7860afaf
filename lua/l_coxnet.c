/* radlab: Lua binding of the penalised Cox path.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   rad.coxnet(t, {time =, event =, x = {...}, alpha = 1, standardize = true,
 *                  lambda = {...}, nlambda = 100, thresh = 1e-7}) -> Coxnet
 *   rad.coxnet_cv(t, {..., folds = 10, seed = 1}) -> {lambda, cvm, cvsd, ...}
 *
 * The engine is src/stats/coxnet.c (glmnet's family = "cox": Simon et al.
 * 2011, J Stat Softw 39(5); cv.glmnet's grouped partial-likelihood deviance).
 * The path object is a Lua table (metatable rad.Coxnet) holding lambda, df,
 * dev_ratio and beta (one {term = value} table of the non-zero coefficients
 * per lambda); x and levels let :predict rebuild the linear predictor from
 * another table, string predictors entering as "name:level" indicators as in
 * rad_table_design.  Engine results live in a guard userdata created before
 * the engine call, so an error anywhere leaves nothing to leak.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"

#define RADL_COXNET "rad.Coxnet"
#define GUARD "rad.coxnet.guard"


typedef struct Guard {
    RadDesign d;
    RadCoxnetPath path;
    RadCoxnetCV cv;
    double *lambda;
    const char **names;
} Guard;

static int guard_gc(lua_State *L)
{
    Guard *g = luaL_checkudata(L, 1, GUARD);
    rad_design_free(&g->d);
    rad_coxnet_free(&g->path);
    rad_coxnet_cv_free(&g->cv);
    free(g->lambda);
    g->lambda = NULL;
    free(g->names);
    g->names = NULL;
    return 0;
}

static Guard *guard_push(lua_State *L)
{
    Guard *g = lua_newuserdatauv(L, sizeof *g, 0);
    memset(g, 0, sizeof *g);
    luaL_setmetatable(L, GUARD);
    return g;
}

static const char *const path_keys[] = {"time", "event", "x", "alpha", "nlambda", "lambda", "standardize",
                                        "thresh", "ref", NULL};
static const char *const cv_keys[] = {"time", "event", "x", "alpha", "nlambda", "lambda", "standardize",
                                      "thresh", "folds", "seed", "ref", "threads", NULL};

static const char *opt_column(lua_State *L, int idx, const char *key, const char *fname, const RadTable *t)
{
    const char *s;
    if (lua_getfield(L, idx, key) != LUA_TSTRING)
        radl_fail(L, "%s: option %s must name a numeric column (a string), got %s", fname, key, luaL_typename(L, -1));
    s = lua_tostring(L, -1);
    lua_pop(L, 1); /* the string stays alive in the options table */
    if (!rad_table_get_num(t, s))
        radl_fail(L, "%s: %s: %s", fname, key, rad_error_message());
    return s;
}

/* Checks the options at idx, builds the design (time, event, x...; rows with
 * a missing value dropped) into g->d and reads the numeric options into o.
 * Returns the number of x variables; g->names[2..] are their names. */
static size_t design(lua_State *L, int idx, const char *fname, const char *const *keys, const RadTable *t, Guard *g,
                     RadCoxnetOptions *o)
{
    size_t nx;
    lua_Integer nl;
    int ty;
    luaL_checktype(L, idx, LUA_TTABLE);
    radl_check_keys(L, idx, fname, keys);
    const char *tname = opt_column(L, idx, "time", fname, t);
    const char *ename = opt_column(L, idx, "event", fname, t);
    if (strcmp(tname, ename) == 0)
        radl_fail(L, "%s: time and event name the same column '%s'", fname, tname);
    if (lua_getfield(L, idx, "x") != LUA_TTABLE)
        radl_fail(L, "%s: option x must be an array of predictor column names, got %s", fname, luaL_typename(L, -1));
    nx = (size_t)lua_rawlen(L, -1);
    if (nx == 0)
        radl_fail(L, "%s: option x is empty; name at least one predictor column", fname);
    g->names = calloc(nx + 2, sizeof *g->names);
    if (!g->names)
        radl_fail(L, "%s: out of memory", fname);
    g->names[0] = tname;
    g->names[1] = ename;
    for (size_t j = 1; j <= nx; j++) {
        if (lua_rawgeti(L, -1, (lua_Integer)j) != LUA_TSTRING)
            radl_fail(L, "%s: x[%d] must be a column name (a string), got %s", fname, (int)j, luaL_typename(L, -1));
        g->names[j + 1] = lua_tostring(L, -1);
        lua_pop(L, 1);
        if (!rad_table_get(t, g->names[j + 1]))
            radl_fail(L, "%s: x: %s", fname, rad_error_message());
        if (strcmp(g->names[j + 1], tname) == 0 || strcmp(g->names[j + 1], ename) == 0)
            radl_fail(L, "%s: '%s' is the time or event column and cannot also be a predictor in x", fname,
                 g->names[j + 1]);
    }
    lua_pop(L, 1);
    radl_warn_numeric_factors(L, t, g->names + 2, nx, fname);
    {
        int top = lua_gettop(L);
        const char **refs = radl_scratch(L, (nx + 2) * sizeof *refs);
        memset(refs, 0, (nx + 2) * sizeof *refs);
        radl_check_refs(L, idx, fname, g->names + 2, nx, refs + 2);
        if (rad_table_design_ref(t, g->names, nx + 2, 1, refs, &g->d) < 0)
            radl_fail(L, "%s: %s", fname, rad_error_message());
        lua_settop(L, top);
    }
    if (g->d.n == 0)
        radl_fail(L, "%s: no complete rows (every row has a missing time, event or predictor)", fname);
    for (size_t i = 0; i < g->d.n; i++) {
        double e = g->d.x[g->d.n + i];
        if (e != 0 && e != 1)
            radl_fail(L, "%s: the event column '%s' must be 0 (censored) or 1 (event), but row %d has %g; recode it",
                 fname, ename, (int)g->d.rows[i] + 1, e);
    }

    rad_coxnet_options_default(o);
    o->alpha = radl_opt_number(L, idx, "alpha", 1);
    if (!(o->alpha >= 0 && o->alpha <= 1))
        radl_fail(L, "%s: alpha must be between 0 (ridge) and 1 (lasso), got %g", fname, o->alpha);
    nl = radl_opt_integer(L, idx, "nlambda", 100);
    if (nl < 1 || nl > 100000)
        radl_fail(L, "%s: nlambda must be 1..100000, got %d", fname, (int)nl);
    o->nlambda = (size_t)nl;
    o->thresh = radl_opt_number(L, idx, "thresh", 1e-7);
    if (!(o->thresh > 0) || !isfinite(o->thresh))
        radl_fail(L, "%s: thresh must be a positive number, got %g", fname, o->thresh);
    ty = lua_getfield(L, idx, "standardize");
    if (ty != LUA_TNIL && ty != LUA_TBOOLEAN)
        radl_fail(L, "%s: standardize must be true or false, got %s", fname, luaL_typename(L, -1));
    o->standardize = ty == LUA_TNIL ? 1 : lua_toboolean(L, -1);
    lua_pop(L, 1);
    ty = lua_getfield(L, idx, "lambda");
    if (ty != LUA_TNIL) {
        size_t n;
        if (ty != LUA_TTABLE)
            radl_fail(L, "%s: lambda must be an array of numbers, got %s", fname, luaL_typename(L, -1));
        g->lambda = radl_check_numbers(L, -1, &n);
        if (n == 0)
            radl_fail(L, "%s: lambda is an empty array", fname);
        for (size_t k = 0; k < n; k++)
            if (!(g->lambda[k] >= 0) || !isfinite(g->lambda[k]))
                radl_fail(L, "%s: lambda[%d] must be a finite number >= 0", fname, (int)k + 1);
        o->lambda = g->lambda;
        o->nuser = n;
    }
    lua_pop(L, 1);
    return nx;
}

/* Push the path object. */
static void push_path(lua_State *L, const RadTable *t, const Guard *g, const RadCoxnetPath *path, size_t nx,
                      double alpha)
{
    size_t p = path->p;
    lua_newtable(L);
    lua_pushstring(L, g->names[0]);
    lua_setfield(L, -2, "time");
    lua_pushstring(L, g->names[1]);
    lua_setfield(L, -2, "event");
    lua_createtable(L, (int)nx, 0);
    for (size_t j = 0; j < nx; j++) {
        lua_pushstring(L, g->names[j + 2]);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, -2, "x");
    lua_createtable(L, (int)p, 0);
    for (size_t j = 0; j < p; j++) {
        lua_pushstring(L, g->d.names[j + 2]);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, -2, "terms");
    /* levels = {var = {level = true}} of the string predictors over the rows used */
    lua_newtable(L);
    for (size_t j = 0; j < nx; j++) {
        const RadColumn *c = rad_table_get(t, g->names[j + 2]);
        if (!c || c->type != RAD_COL_STR)
            continue;
        lua_newtable(L);
        for (size_t i = 0; i < g->d.n; i++) {
            const char *s = c->str[g->d.rows[i]];
            if (s) {
                lua_pushboolean(L, 1);
                lua_setfield(L, -2, s);
            }
        }
        lua_setfield(L, -2, g->names[j + 2]);
    }
    lua_setfield(L, -2, "levels");
    lua_pushinteger(L, (lua_Integer)g->d.n);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, (lua_Integer)(t->nrow - g->d.n));
    lua_setfield(L, -2, "dropped");
    radl_set_path_fields(L, path->nlambda, p, path->lambda, path->dev_ratio, path->df, path->beta, g->d.names + 2);
    lua_pushnumber(L, alpha);
    lua_setfield(L, -2, "alpha");
    lua_pushnumber(L, path->null_dev);
    lua_setfield(L, -2, "null_deviance");
    lua_pushinteger(L, (lua_Integer)path->passes);
    lua_setfield(L, -2, "npasses");
    if (path->stopped_at) {
        char msg[200];
        snprintf(msg, sizeof msg, "no convergence at lambda index %zu; the path holds the solutions for the "
                 "larger lambdas (as glmnet)", path->stopped_at);
        lua_pushstring(L, msg);
        lua_setfield(L, -2, "warning");
    }
    luaL_setmetatable(L, RADL_COXNET);
}

static int l_coxnet(lua_State *L)
{
    const RadTable *t = radl_check_table(L, 1);
    RadCoxnetOptions o;
    Guard *g = guard_push(L);
    size_t nx = design(L, 2, "rad.coxnet", path_keys, t, g, &o);
    size_t n = g->d.n;
    if (rad_coxnet(g->d.x + 2 * n, n, g->d.p - 2, g->d.x, g->d.x + n, &o, &g->path) < 0)
        return radl_fail(L, "rad.%s", rad_error_message());
    push_path(L, t, g, &g->path, nx, o.alpha);
    return 1;
}

static int l_coxnet_cv(lua_State *L)
{
    const RadTable *t = radl_check_table(L, 1);
    RadCoxnetOptions o;
    Guard *g = guard_push(L);
    size_t nx = design(L, 2, "rad.coxnet_cv", cv_keys, t, g, &o);
    size_t n = g->d.n;
    lua_Integer folds = radl_opt_integer(L, 2, "folds", 10);
    lua_Integer seed = radl_opt_integer(L, 2, "seed", 1);
    lua_Integer threads = radl_opt_integer(L, 2, "threads", 0);
    if (folds < 3 || (size_t)folds > n)
        return radl_fail(L, "rad.coxnet_cv: folds must be 3..%d (the number of complete rows), got %d", (int)n,
                    (int)folds);
    if (threads < 0 || threads > 1024)
        return radl_fail(L, "rad.coxnet_cv: threads must be 0 (every processor) .. 1024, got %d", (int)threads);
    o.threads = (int)threads;
    if (rad_coxnet_cv(g->d.x + 2 * n, n, g->d.p - 2, g->d.x, g->d.x + n, &o, (int)folds, (uint64_t)seed, &g->cv) < 0)
        return radl_fail(L, "rad.%s", rad_error_message());
    lua_newtable(L);
    radl_set_cv_fields(L, g->cv.nlambda, g->cv.lambda, g->cv.cvm, g->cv.cvsd, g->cv.lambda_min, g->cv.lambda_1se,
                       g->cv.index_min, g->cv.index_1se, folds);
    push_path(L, t, g, &g->cv.fit, nx, o.alpha);
    lua_setfield(L, -2, "fit");
    return 1;
}

/* ---- methods ---------------------------------------------------------------------- */

static lua_Integer check_index(lua_State *L, int kidx, const char *fname)
{
    lua_Integer k = luaL_checkinteger(L, kidx), n;
    lua_getfield(L, 1, "lambda");
    n = (lua_Integer)lua_rawlen(L, -1);
    lua_pop(L, 1);
    if (k < 1 || k > n)
        radl_fail(L, "%s: index %d is outside the path (1..%d)", fname, (int)k, (int)n);
    return k;
}

static int m_coef(lua_State *L)
{
    lua_Integer k;
    luaL_checktype(L, 1, LUA_TTABLE);
    k = check_index(L, 2, "Coxnet:coef");
    lua_newtable(L);
    lua_getfield(L, 1, "beta");
    lua_rawgeti(L, -1, k);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, -6);
    }
    lua_pop(L, 2);
    return 1;
}

static int m_predict(lua_State *L)
{
    const RadTable *t;
    lua_Integer k;
    size_t nx;
    luaL_checktype(L, 1, LUA_TTABLE);
    t = radl_check_table(L, 2);
    k = check_index(L, 3, "Coxnet:predict");
    lua_settop(L, 3);
    lua_getfield(L, 1, "beta");
    lua_rawgeti(L, -1, k); /* 5: coefficients */
    lua_getfield(L, 1, "x");      /* 6 */
    lua_getfield(L, 1, "levels"); /* 7 */
    if (!lua_istable(L, 5) || !lua_istable(L, 6) || !lua_istable(L, 7))
        return radl_fail(L, "Coxnet:predict: the first argument is not a coxnet path");
    nx = (size_t)lua_rawlen(L, 6);
    const RadColumn **cols = lua_newuserdatauv(L, (nx ? nx : 1) * (sizeof(RadColumn *) + sizeof(double)), 0);
    double *cnum = (double *)(cols + (nx ? nx : 1));
    for (size_t j = 0; j < nx; j++) {
        lua_rawgeti(L, 6, (lua_Integer)j + 1);
        const char *name = lua_tostring(L, -1);
        cols[j] = name ? rad_table_get(t, name) : NULL;
        if (!cols[j])
            return radl_fail(L, "Coxnet:predict: %s", rad_error_message());
        cnum[j] = lua_getfield(L, 5, name) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
        lua_pop(L, 2);
    }
    lua_createtable(L, (int)t->nrow, 0);
    for (size_t i = 0; i < t->nrow; i++) {
        double eta = 0;
        int na = 0;
        for (size_t j = 0; j < nx && !na; j++) {
            const RadColumn *c = cols[j];
            if (c->type == RAD_COL_NUM) {
                if (isnan(c->num[i]))
                    na = 1;
                else
                    eta += cnum[j] * c->num[i];
                continue;
            }
            const char *s = c->str[i];
            if (!s) {
                na = 1;
                continue;
            }
            lua_pushfstring(L, "%s:%s", c->name, s);
            if (lua_rawget(L, 5) == LUA_TNUMBER) {
                eta += lua_tonumber(L, -1);
            } else {
                lua_getfield(L, 7, c->name);
                int known = lua_istable(L, -1) && lua_getfield(L, -1, s) != LUA_TNIL;
                if (!known)
                    return radl_fail(L, "Coxnet:predict: level '%s' of column '%s' (row %d) was not in the data the "
                                   "model was fitted on", s, c->name, (int)i + 1);
                lua_pop(L, 2);
            }
            lua_pop(L, 1);
        }
        if (na)
            radl_push_na(L);
        else
            lua_pushnumber(L, eta);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int m_tostring(lua_State *L)
{
    char buf[256];
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "lambda");
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -2, n);
    lua_getfield(L, 1, "alpha");
    lua_getfield(L, 1, "time");
    lua_getfield(L, 1, "event");
    snprintf(buf, sizeof buf, "penalised Cox path of (%s, %s) (alpha = %g): %d lambdas from %.6g to %.6g",
             lua_tostring(L, -2) ? lua_tostring(L, -2) : "?", lua_tostring(L, -1) ? lua_tostring(L, -1) : "?",
             lua_tonumber(L, -3), (int)n, lua_tonumber(L, -5), lua_tonumber(L, -4));
    lua_pushstring(L, buf);
    return 1;
}

void radl_open_coxnet(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"coxnet", l_coxnet,
         "rad.coxnet(t, {time =, event =, x = {cols}, ref = {col = level}, alpha = 1, standardize = true, lambda =, "
         "nlambda = 100, thresh = 1e-7}) -> Coxnet: lasso / elastic-net Cox path (Breslow partial likelihood, glmnet's "
         "family = \"cox\"); lambda, df, dev_ratio, beta"},
        {"coxnet_cv", l_coxnet_cv,
         "rad.coxnet_cv(t, {time =, event =, x =, ..., folds = 10, seed = 1, threads = 0}) -> {lambda, cvm, cvsd, "
         "lambda_min, lambda_1se, index_min, index_1se, fit}: k-fold CV of the penalised Cox path (partial-likelihood "
         "deviance, as cv.glmnet); the folds run on `threads` threads (0 = every processor), with the same result "
         "whatever the number"},
        {NULL, NULL, NULL}};
    static const RadlReg methods[] = {
        {"coef", m_coef, "Coxnet:coef(k) -> {term = value}: the non-zero coefficients at the k-th lambda"},
        {"predict", m_predict,
         "Coxnet:predict(t, k) -> array: linear predictor x b at the k-th lambda per row (rad.NA where an "
         "input is missing)"},
        {NULL, NULL, NULL}};

    radl_register(L, funcs, "rad.");

    radl_guard_class(L, GUARD, guard_gc);

    radl_document_class(L, RADL_COXNET,
        "Coxnet: a penalised Cox path (rad.coxnet), a Lua table.\n"
        "  lambda      {values}: the penalties, largest first\n"
        "  beta        {per lambda: {term = value}}: the non-zero coefficients\n"
        "  df          {counts}: non-zero coefficients per lambda; dev_ratio: fraction of null deviance explained\n"
        "  alpha       elastic-net mixing (1 = lasso); null_deviance\n"
        "  npasses     coordinate-descent passes over the whole path (as glmnet's npasses)\n"
        "  terms, x, levels, time, event, n, dropped: as in a Cox fit\n"
        "methods: coef(k), predict(t, k)");
    luaL_newmetatable(L, RADL_COXNET);
    lua_newtable(L);
    radl_register(L, methods, "Coxnet:");
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, m_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
}
