/* radlab: rad.logistic, rad.glmnet_logistic(_cv), rad.roc, rad.roc_test.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The models are plain Lua tables with a metatable (rad.Logistic,
 * rad.GlmnetPath, rad.ROC): their numbers are ordinary fields a user can
 * read and print, and the methods (predict, coef, at, youden) recompute what
 * they need from those fields.  Engine results live in a "guard" userdata
 * created before the engine call, whose __gc frees them, so a Lua error at any
 * point leaves nothing to leak.
 *
 * Rows with a missing value in the outcome or any predictor are dropped (the
 * model's `dropped` says how many); string columns become indicator terms
 * "name:level" (rad_table_design, reference level = first in sorted order).
 * Prediction rebuilds the terms from the named columns of the new table; a
 * missing input gives rad.NA, a level not seen when fitting is an error.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"

#define RADL_LOGISTIC "rad.Logistic"
#define RADL_GLMNET "rad.GlmnetPath"
#define RADL_ROC "rad.ROC"
#define GUARD "rad.models.guard"

/* luaL_error with full printf formats (%g, %zu): Lua's own formatter knows fewer. */

/* ---- the guard ------------------------------------------------------------------- */

typedef struct Guard {
    RadDesign d;
    RadLogistic fit;
    RadGlmnetPath path;
    RadGlmnetCV cv;
    RadRoc r1, r2;
    double *buf[4];
    const char **names;
} Guard;

static int guard_gc(lua_State *L)
{
    Guard *g = luaL_checkudata(L, 1, GUARD);
    rad_design_free(&g->d);
    rad_logistic_free(&g->fit);
    rad_glmnet_path_free(&g->path);
    rad_glmnet_cv_free(&g->cv);
    rad_roc_free(&g->r1);
    rad_roc_free(&g->r2);
    for (int i = 0; i < 4; i++) {
        free(g->buf[i]);
        g->buf[i] = NULL;
    }
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

/* ---- small helpers -------------------------------------------------------------- */

static void set_number(lua_State *L, const char *key, double v)
{
    if (isnan(v))
        radl_push_na(L);
    else
        lua_pushnumber(L, v);
    lua_setfield(L, -2, key);
}


/* {y = "col", x = {"a", "b"}} at idx: checks keys, the columns' existence,
 * builds the design (y first, then x; rows with missing values dropped) into
 * g->d, and checks y is 0/1 (naming the table row).  Pushes the array of x
 * names.  Returns the number of x variables. */
static size_t model_design(lua_State *L, int idx, const char *fname, const char *const *allowed,
                           const RadTable *t, Guard *g, const char **yname)
{
    size_t nx;
    idx = lua_absindex(L, idx);
    luaL_checktype(L, idx, LUA_TTABLE);
    radl_check_keys(L, idx, fname, allowed);
    if (t->nrow == 0)
        radl_fail(L, "%s: the table has no rows (was the CSV file only a header?)", fname);
    if (lua_getfield(L, idx, "y") != LUA_TSTRING)
        radl_fail(L, "%s: option y must name the outcome column (a string), got %s", fname, luaL_typename(L, -1));
    *yname = lua_tostring(L, -1);
    lua_pop(L, 1); /* the string stays alive in the options table */
    if (lua_getfield(L, idx, "x") != LUA_TTABLE)
        radl_fail(L, "%s: option x must be an array of predictor column names, got %s", fname, luaL_typename(L, -1));
    nx = (size_t)lua_rawlen(L, -1);
    if (nx == 0)
        radl_fail(L, "%s: option x is empty; name at least one predictor column", fname);
    g->names = calloc(nx + 1, sizeof *g->names);
    if (!g->names)
        radl_fail(L, "%s: out of memory", fname);
    g->names[0] = *yname;
    if (!rad_table_get_num(t, *yname))
        radl_fail(L, "%s: outcome: %s", fname, rad_error_message());
    for (size_t j = 1; j <= nx; j++) {
        if (lua_rawgeti(L, -1, (lua_Integer)j) != LUA_TSTRING)
            radl_fail(L, "%s: x[%d] must be a column name (a string), got %s", fname, (int)j, luaL_typename(L, -1));
        g->names[j] = lua_tostring(L, -1);
        lua_pop(L, 1);
        if (!rad_table_get(t, g->names[j]))
            radl_fail(L, "%s: %s", fname, rad_error_message());
        if (strcmp(g->names[j], *yname) == 0)
            radl_fail(L, "%s: the outcome '%s' is also listed as a predictor in x", fname, *yname);
    }
    {
        int xi = lua_gettop(L);
        const char **refs = radl_scratch(L, (nx + 2) * sizeof *refs);
        memset(refs, 0, (nx + 2) * sizeof *refs);
        radl_check_refs(L, idx, fname, g->names + 1, nx, refs + 1);
        radl_warn_numeric_factors(L, t, g->names + 1, nx, fname);
        if (rad_table_design_ref(t, g->names, nx + 1, 1, refs, &g->d) < 0)
            radl_fail(L, "%s: %s", fname, rad_error_message());
        lua_settop(L, xi);
    }
    if (g->d.n == 0)
        radl_fail(L, "%s: no complete rows (every row has a missing value in '%s' or a predictor)", fname, *yname);
    for (size_t i = 0; i < g->d.n; i++) {
        double v = g->d.x[i];
        if (v != 0 && v != 1)
            radl_fail(L, "%s: the outcome '%s' must be 0 or 1, but row %d has %g; recode it to 0/1", fname, *yname,
                       (int)g->d.rows[i] + 1, v);
    }
    return nx; /* the x array stays on the stack */
}

/* levels = {var = {level = true, ...}} of the string predictors over the rows used. */
static void push_levels(lua_State *L, const RadTable *t, const Guard *g, size_t nx)
{
    lua_newtable(L);
    for (size_t j = 1; j <= nx; j++) {
        const RadColumn *c = rad_table_get(t, g->names[j]);
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
        lua_setfield(L, -2, g->names[j]);
    }
}

/* Common fields: y, x (copy of the array at xidx), terms, levels, n, dropped. */
static void set_common(lua_State *L, const RadTable *t, const Guard *g, size_t nx, const char *yname, int xidx)
{
    lua_pushstring(L, yname);
    lua_setfield(L, -2, "y");
    lua_createtable(L, (int)nx, 0);
    for (size_t j = 1; j <= nx; j++) {
        lua_pushstring(L, g->names[j]);
        lua_rawseti(L, -2, (lua_Integer)j);
    }
    lua_setfield(L, -2, "x");
    lua_createtable(L, (int)g->d.p, 0);
    lua_pushliteral(L, "(Intercept)");
    lua_rawseti(L, -2, 1);
    for (size_t j = 1; j < g->d.p; j++) {
        lua_pushstring(L, g->d.names[j]);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, -2, "terms");
    push_levels(L, t, g, nx);
    lua_setfield(L, -2, "levels");
    lua_pushinteger(L, (lua_Integer)g->d.n);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, (lua_Integer)(t->nrow - g->d.n));
    lua_setfield(L, -2, "dropped");
    (void)xidx;
}

/* Predict from the model table at midx for the Table at tidx with the
 * coefficient table at cidx (missing term = 0) and intercept a0; pushes a
 * Lua array. */
static void predict_rows(lua_State *L, int midx, int tidx, int cidx, double a0, int response, const char *fname)
{
    const RadTable *t = radl_check_table(L, tidx);
    size_t nx;
    midx = lua_absindex(L, midx);
    cidx = lua_absindex(L, cidx);
    lua_getfield(L, midx, "x");
    lua_getfield(L, midx, "levels");
    int xi = lua_gettop(L) - 1, li = xi + 1;
    nx = (size_t)lua_rawlen(L, xi);
    const RadColumn **cols = lua_newuserdatauv(L, (nx ? nx : 1) * (sizeof(RadColumn *) + sizeof(double)), 0);
    double *cnum = (double *)(cols + nx);
    for (size_t j = 0; j < nx; j++) {
        lua_rawgeti(L, xi, (lua_Integer)j + 1);
        const char *name = lua_tostring(L, -1);
        cols[j] = name ? rad_table_get(t, name) : NULL;
        if (!cols[j])
            radl_fail(L, "%s: %s", fname, rad_error_message());
        cnum[j] = lua_getfield(L, cidx, name) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
        lua_pop(L, 2);
    }
    lua_createtable(L, (int)t->nrow, 0);
    for (size_t i = 0; i < t->nrow; i++) {
        double eta = a0;
        int na = 0;
        for (size_t j = 0; j < nx && !na; j++) {
            const RadColumn *c = cols[j];
            if (c->type == RAD_COL_NUM) {
                if (isnan(c->num[i]))
                    na = 1;
                else
                    eta += cnum[j] * c->num[i];
            } else {
                const char *s = c->str[i];
                if (!s) {
                    na = 1;
                    continue;
                }
                lua_pushfstring(L, "%s:%s", c->name, s);
                if (lua_rawget(L, cidx) == LUA_TNUMBER) {
                    eta += lua_tonumber(L, -1);
                } else {
                    lua_getfield(L, li, c->name);
                    int known = lua_istable(L, -1) && lua_getfield(L, -1, s) != LUA_TNIL;
                    if (!known)
                        radl_fail(L, "%s: level '%s' of column '%s' (row %d) was not in the data the model was "
                                   "fitted on", fname, s, c->name, (int)i + 1);
                    lua_pop(L, 2);
                }
                lua_pop(L, 1);
            }
        }
        if (na)
            radl_push_na(L);
        else
            lua_pushnumber(L, response ? 1 / (1 + exp(-eta)) : eta);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_replace(L, xi);
    lua_settop(L, xi);
}

static int check_type_opt(lua_State *L, int idx, const char *fname)
{
    static const char *const keys[] = {"type", NULL};
    const char *type;
    if (lua_isnoneornil(L, idx))
        return 0;
    radl_check_keys(L, idx, fname, keys);
    type = radl_opt_string(L, idx, "type", "link");
    if (strcmp(type, "link") == 0)
        return 0;
    if (strcmp(type, "response") == 0)
        return 1;
    return radl_fail(L, "%s: type must be \"link\" or \"response\", got \"%s\"", fname, type);
}

/* ---- rad.logistic ------------------------------------------------------------------ */

static int l_logistic(lua_State *L)
{
    static const char *const keys[] = {"y", "x", "strict", "ref", NULL};
    static const char *fname = "rad.logistic";
    const RadTable *t = radl_check_table(L, 1);
    const char *yname;
    Guard *g = guard_push(L);  /* 3 */
    size_t nx = model_design(L, 2, fname, keys, t, g, &yname);
    int xidx = lua_gettop(L);
    const char *const *xn = (const char *const *)g->d.names + 1;
    size_t q, n = g->d.n, p = g->d.p - 1;
    if (g->d.n <= g->d.p)
        return radl_fail(L, "%s: only %zu complete row%s for %zu coefficients (the intercept and %zu term%s); the model needs "
                  "more rows than coefficients", fname, g->d.n, g->d.n == 1 ? "" : "s", g->d.p, g->d.p - 1,
                  g->d.p == 2 ? "" : "s");
    if (lua_getfield(L, 2, "strict") != LUA_TNIL && !lua_isboolean(L, -1))
        return radl_fail(L, "%s: option strict must be true or false, got %s", fname, luaL_typename(L, -1));
    int strict = lua_toboolean(L, -1);
    lua_pop(L, 1);
    /* terms that cannot be estimated are left out and reported as NA;
     * kidx is shifted by one for the intercept (kidx[0] = 0) */
    int *kidx = radl_scratch(L, (p + 1) * sizeof *kidx);
    size_t pk = radl_alias_terms(L, g->d.x + n, n, p, NULL, xn, strict, fname, kidx + 1);
    double *kx = radl_scratch(L, (n * pk > 0 ? n * pk : 1) * sizeof *kx);
    const char **knames = radl_scratch(L, (pk ? pk : 1) * sizeof *knames);
    kidx[0] = 0;
    for (size_t j = 1; j <= p; j++)
        if (kidx[j] >= 0) {
            memcpy(kx + (size_t)kidx[j] * n, g->d.x + j * n, n * sizeof *kx);
            knames[kidx[j]] = xn[j - 1];
            kidx[j]++;
        }

    if (rad_logistic_fit(kx, n, pk, g->d.x, knames, &g->fit) < 0)
        return radl_error(L);
    q = g->d.p;
    lua_newtable(L);
    {
        static const char *const fields[] = {"coef", "se", "z", "p", "or", "or_lower", "or_upper"};
        const double *arr[] = {g->fit.coef, g->fit.se, g->fit.z, g->fit.pval, g->fit.or_, g->fit.or_lower,
                               g->fit.or_upper};
        for (int f = 0; f < 7; f++) {
            lua_createtable(L, 0, (int)q);
            for (size_t j = 0; j < q; j++)
                set_number(L, j ? g->d.names[j] : "(Intercept)", kidx[j] >= 0 ? arr[f][kidx[j]] : NAN);
            lua_setfield(L, -2, fields[f]);
        }
    }
    set_common(L, t, g, nx, yname, xidx);
    if (pk < p) {
        lua_createtable(L, 0, (int)(p - pk));
        for (size_t j = 1; j <= p; j++)
            if (kidx[j] < 0) {
                lua_pushstring(L, kidx[j] == -1 ? "constant" : "aliased");
                lua_setfield(L, -2, xn[j - 1]);
            }
        lua_setfield(L, -2, "aliased");
    }
    lua_pushnumber(L, g->fit.deviance);
    lua_setfield(L, -2, "deviance");
    lua_pushnumber(L, g->fit.null_deviance);
    lua_setfield(L, -2, "null_deviance");
    lua_pushnumber(L, g->fit.aic);
    lua_setfield(L, -2, "aic");
    lua_pushinteger(L, g->fit.iterations);
    lua_setfield(L, -2, "iterations");
    luaL_setmetatable(L, RADL_LOGISTIC);
    return 1;
}

static int m_logistic_predict(lua_State *L)
{
    int response;
    double a0;
    luaL_checktype(L, 1, LUA_TTABLE);
    response = check_type_opt(L, 3, "Logistic:predict");
    lua_settop(L, 2);
    if (lua_getfield(L, 1, "coef") != LUA_TTABLE)
        return radl_fail(L, "Logistic:predict: not a fitted logistic model");
    lua_getfield(L, 3, "(Intercept)");
    a0 = lua_tonumber(L, -1);
    lua_pop(L, 1);
    predict_rows(L, 1, 2, 3, a0, response, "Logistic:predict");
    return 1;
}

static double field_num(lua_State *L, int idx, const char *tbl, const char *key)
{
    double v = NAN;
    if (lua_getfield(L, idx, tbl) == LUA_TTABLE) {
        if (lua_getfield(L, -1, key) == LUA_TNUMBER)
            v = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return v;
}

/* A printed model is built line by line into the table at stack slot 2, not
 * in a luaL_Buffer: the fields read between the lines would sit on top of
 * the buffer's box, and once the buffer grows (a fit with many terms) it
 * would write through a stale pointer. */
static int m_logistic_tostring(lua_State *L)
{
    char line[512];
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_newtable(L); /* 2: the lines, joined at the end */
    lua_getfield(L, 1, "y");
    lua_getfield(L, 1, "n");
    lua_getfield(L, 1, "dropped");
    snprintf(line, sizeof line, "Logistic regression of %s (n = %d, %d rows with missing values dropped)\n",
             lua_tostring(L, -3) ? lua_tostring(L, -3) : "?", (int)lua_tointeger(L, -2), (int)lua_tointeger(L, -1));
    lua_pop(L, 3);
    radl_lines_add(L, 2, line);
    snprintf(line, sizeof line, "%-20s %12s %10s %8s %10s %10s %23s\n", "term", "estimate", "SE", "z", "p", "OR",
             "95% CI");
    radl_lines_add(L, 2, line);
    lua_getfield(L, 1, "terms");
    int ti = lua_gettop(L);
    for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, ti); k++) {
        lua_rawgeti(L, ti, k);
        const char *term = lua_tostring(L, -1);
        if (term && radl_dropped_row(L, 1, term, line, sizeof line)) {
            lua_settop(L, ti + 1);
            radl_lines_add(L, 2, line);
        } else if (term) {
            snprintf(line, sizeof line, "%-20s %12.5g %10.4g %8.3f %10.3g %10.4g  [%9.4g, %9.4g]\n", term,
                     field_num(L, 1, "coef", term), field_num(L, 1, "se", term), field_num(L, 1, "z", term),
                     field_num(L, 1, "p", term), field_num(L, 1, "or", term), field_num(L, 1, "or_lower", term),
                     field_num(L, 1, "or_upper", term));
            radl_lines_add(L, 2, line);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_getfield(L, 1, "deviance");
    lua_getfield(L, 1, "null_deviance");
    lua_getfield(L, 1, "aic");
    lua_getfield(L, 1, "iterations");
    snprintf(line, sizeof line, "deviance %.6g (null %.6g), AIC %.6g, %d IRLS iterations",
             lua_tonumber(L, -4), lua_tonumber(L, -3), lua_tonumber(L, -2), (int)lua_tointeger(L, -1));
    lua_pop(L, 4);
    radl_lines_add(L, 2, line);
    lua_settop(L, 2);
    return radl_lines_join(L, 2);
}

/* ---- rad.glmnet_logistic(_cv) ----------------------------------------------------------- */

static void glmnet_opts(lua_State *L, int idx, const char *fname, RadGlmnetOptions *o, Guard *g)
{
    lua_Integer nl;
    rad_glmnet_options_default(o);
    o->alpha = radl_opt_number(L, idx, "alpha", 1);
    if (!(o->alpha >= 0 && o->alpha <= 1))
        radl_fail(L, "%s: alpha must be between 0 (ridge) and 1 (lasso), got %g", fname, o->alpha);
    nl = radl_opt_integer(L, idx, "nlambda", 100);
    if (nl < 1 || nl > 100000)
        radl_fail(L, "%s: nlambda must be 1..100000, got %d", fname, (int)nl);
    o->nlambda = (size_t)nl;
    o->thresh = radl_opt_number(L, idx, "thresh", 1e-7);
    if (!(o->thresh > 0))
        radl_fail(L, "%s: thresh must be positive, got %g", fname, o->thresh);
    int t = lua_getfield(L, idx, "standardize");
    if (t != LUA_TNIL && t != LUA_TBOOLEAN)
        radl_fail(L, "%s: standardize must be true or false, got %s", fname, luaL_typename(L, -1));
    o->standardize = t == LUA_TNIL ? 1 : lua_toboolean(L, -1);
    lua_pop(L, 1);
    t = lua_getfield(L, idx, "lambda");
    if (t != LUA_TNIL) {
        size_t n;
        if (t != LUA_TTABLE)
            radl_fail(L, "%s: lambda must be an array of numbers, got %s", fname, luaL_typename(L, -1));
        g->buf[0] = radl_check_numbers(L, -1, &n);
        if (n == 0)
            radl_fail(L, "%s: lambda is an empty array", fname);
        for (size_t k = 0; k < n; k++)
            if (!(g->buf[0][k] >= 0) || !isfinite(g->buf[0][k]))
                radl_fail(L, "%s: lambda[%d] must be a finite number >= 0", fname, (int)k + 1);
        o->lambda = g->buf[0];
        o->nuser = n;
    }
    lua_pop(L, 1);
}

/* Push the path object (model_design's fields + path). */
static void push_path(lua_State *L, const RadTable *t, Guard *g, const RadGlmnetPath *path, size_t nx,
                      const char *yname, int xidx, double alpha)
{
    size_t p = path->p;
    lua_newtable(L);
    set_common(L, t, g, nx, yname, xidx);
    radl_push_numbers(L, path->a0, (int)path->nlambda);
    lua_setfield(L, -2, "a0");
    radl_set_path_fields(L, path->nlambda, p, path->lambda, path->dev_ratio, path->df, path->beta, g->d.names + 1);
    lua_pushnumber(L, alpha);
    lua_setfield(L, -2, "alpha");
    lua_pushnumber(L, path->null_dev);
    lua_setfield(L, -2, "null_deviance");
    luaL_setmetatable(L, RADL_GLMNET);
}

static const char *const glmnet_keys[] = {"y", "x", "alpha", "nlambda", "lambda", "standardize", "thresh", "ref",
                                          NULL};
static const char *const glmnet_cv_keys[] = {"y", "x", "alpha", "nlambda", "lambda", "standardize", "thresh",
                                             "folds", "seed", "ref", NULL};

static int l_glmnet_logistic(lua_State *L)
{
    const RadTable *t = radl_check_table(L, 1);
    const char *yname;
    RadGlmnetOptions o;
    Guard *g = guard_push(L);
    size_t nx = model_design(L, 2, "rad.glmnet_logistic", glmnet_keys, t, g, &yname);
    int xidx = lua_gettop(L);
    glmnet_opts(L, 2, "rad.glmnet_logistic", &o, g);
    if (rad_glmnet_logistic(g->d.x + g->d.n, g->d.n, g->d.p - 1, g->d.x, &o, &g->path) < 0)
        return radl_error(L);
    push_path(L, t, g, &g->path, nx, yname, xidx, o.alpha);
    return 1;
}

static int l_glmnet_logistic_cv(lua_State *L)
{
    const RadTable *t = radl_check_table(L, 1);
    const char *yname;
    RadGlmnetOptions o;
    Guard *g = guard_push(L);
    size_t nx = model_design(L, 2, "rad.glmnet_logistic_cv", glmnet_cv_keys, t, g, &yname);
    int xidx = lua_gettop(L);
    glmnet_opts(L, 2, "rad.glmnet_logistic_cv", &o, g);
    lua_Integer folds = radl_opt_integer(L, 2, "folds", 10);
    lua_Integer seed = radl_opt_integer(L, 2, "seed", 1);
    if (folds < 3 || (size_t)folds > g->d.n)
        return radl_fail(L, "rad.glmnet_logistic_cv: folds must be 3..%d (the number of complete rows), got %d",
                          (int)g->d.n, (int)folds);
    if (rad_glmnet_logistic_cv(g->d.x + g->d.n, g->d.n, g->d.p - 1, g->d.x, &o, (int)folds, (uint64_t)seed, &g->cv) < 0)
        return radl_error(L);
    lua_newtable(L);
    radl_set_cv_fields(L, g->cv.nlambda, g->cv.lambda, g->cv.cvm, g->cv.cvsd, g->cv.lambda_min, g->cv.lambda_1se,
                       g->cv.index_min, g->cv.index_1se, folds);
    push_path(L, t, g, &g->cv.fit, nx, yname, xidx, o.alpha);
    lua_setfield(L, -2, "fit");
    return 1;
}

static lua_Integer check_index(lua_State *L, int midx, int kidx, const char *fname)
{
    lua_Integer k = luaL_checkinteger(L, kidx), n;
    lua_getfield(L, midx, "lambda");
    n = (lua_Integer)lua_rawlen(L, -1);
    lua_pop(L, 1);
    if (k < 1 || k > n)
        radl_fail(L, "%s: index %d is outside the path (1..%d)", fname, (int)k, (int)n);
    return k;
}

static int m_glmnet_coef(lua_State *L)
{
    lua_Integer k;
    luaL_checktype(L, 1, LUA_TTABLE);
    k = check_index(L, 1, 2, "GlmnetPath:coef");
    lua_newtable(L);
    lua_getfield(L, 1, "a0");
    lua_rawgeti(L, -1, k);
    lua_setfield(L, -3, "(Intercept)");
    lua_pop(L, 1);
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

static int m_glmnet_predict(lua_State *L)
{
    lua_Integer k;
    int response;
    double a0;
    luaL_checktype(L, 1, LUA_TTABLE);
    radl_check_table(L, 2);
    k = check_index(L, 1, 3, "GlmnetPath:predict");
    response = check_type_opt(L, 4, "GlmnetPath:predict");
    lua_settop(L, 2);
    lua_getfield(L, 1, "a0");
    lua_rawgeti(L, -1, k);
    a0 = lua_tonumber(L, -1);
    lua_pop(L, 2);
    lua_getfield(L, 1, "beta");
    lua_rawgeti(L, -1, k);
    lua_replace(L, 3);
    lua_settop(L, 3);
    predict_rows(L, 1, 2, 3, a0, response, "GlmnetPath:predict");
    return 1;
}

static int m_glmnet_tostring(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "lambda");
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -2, n);
    lua_getfield(L, 1, "alpha");
    lua_getfield(L, 1, "y");
    lua_pushfstring(L, "penalised logistic path of %s (alpha = %f): %d lambdas from %f to %f",
                    lua_tostring(L, -1) ? lua_tostring(L, -1) : "?", lua_tonumber(L, -2), (int)n,
                    lua_tonumber(L, -4), lua_tonumber(L, -3));
    return 1;
}

/* ---- ROC ----------------------------------------------------------------------------- */

/* The RadRoc of the ROC table at idx (recomputed from its y and score). */
static void roc_from_table(lua_State *L, int idx, Guard *g, RadRoc *r, int slot, const char *fname)
{
    size_t n, m;
    idx = lua_absindex(L, idx);
    luaL_checktype(L, idx, LUA_TTABLE);
    if (!lua_getmetatable(L, idx))
        lua_pushnil(L);
    luaL_getmetatable(L, RADL_ROC);
    if (!lua_rawequal(L, -1, -2))
        radl_fail(L, "%s: argument is not a ROC object (use rad.roc(y, score))", fname);
    lua_pop(L, 2);
    lua_getfield(L, idx, "y");
    g->buf[slot] = radl_check_numbers(L, -1, &n);
    lua_getfield(L, idx, "score");
    g->buf[slot + 1] = radl_check_numbers(L, -1, &m);
    lua_pop(L, 2);
    if (n != m || rad_roc(g->buf[slot], g->buf[slot + 1], n, r) < 0)
        radl_fail(L, "%s: a damaged ROC object (y and score disagree)", fname);
}

static int l_roc(lua_State *L)
{
    size_t n, m;
    Guard *g = guard_push(L); /* 3 */
    RadRoc *r = &g->r1;
    g->buf[0] = radl_check_numbers(L, 1, &n);
    g->buf[1] = radl_check_numbers(L, 2, &m);
    if (n != m)
        return radl_fail(L, "rad.roc: y has %d values but score has %d; they must pair up", (int)n, (int)m);
    if (rad_roc(g->buf[0], g->buf[1], n, r) < 0)
        return radl_fail(L, "rad.%s", rad_error_message());
    lua_newtable(L);
    lua_pushnumber(L, r->auc);
    lua_setfield(L, -2, "auc");
    set_number(L, "se", r->se);
    lua_createtable(L, 2, 2);
    set_number(L, "lower", r->ci_lower);
    set_number(L, "upper", r->ci_upper);
    lua_getfield(L, -1, "lower");
    lua_rawseti(L, -2, 1);
    lua_getfield(L, -1, "upper");
    lua_rawseti(L, -2, 2);
    lua_setfield(L, -2, "ci");
    lua_pushinteger(L, (lua_Integer)r->n_pos);
    lua_setfield(L, -2, "n_pos");
    lua_pushinteger(L, (lua_Integer)r->n_neg);
    lua_setfield(L, -2, "n_neg");
    lua_newtable(L);
    radl_push_numbers(L, r->fpr, (int)r->npoints);
    lua_setfield(L, -2, "fpr");
    radl_push_numbers(L, r->tpr, (int)r->npoints);
    lua_setfield(L, -2, "tpr");
    radl_push_numbers(L, r->threshold, (int)r->npoints);
    lua_setfield(L, -2, "thresholds");
    lua_setfield(L, -2, "points");
    radl_push_numbers_na(L, g->buf[0], n);
    lua_setfield(L, -2, "y");
    radl_push_numbers_na(L, g->buf[1], n);
    lua_setfield(L, -2, "score");
    luaL_setmetatable(L, RADL_ROC);
    return 1;
}

static void push_at(lua_State *L, const RadRocAt *at)
{
    lua_newtable(L);
    set_number(L, "cutoff", at->cutoff);
    set_number(L, "sensitivity", at->sensitivity);
    set_number(L, "specificity", at->specificity);
    set_number(L, "accuracy", at->accuracy);
    set_number(L, "ppv", at->ppv);
    set_number(L, "npv", at->npv);
    set_number(L, "j", at->j);
    lua_pushinteger(L, (lua_Integer)at->tp);
    lua_setfield(L, -2, "tp");
    lua_pushinteger(L, (lua_Integer)at->fp);
    lua_setfield(L, -2, "fp");
    lua_pushinteger(L, (lua_Integer)at->tn);
    lua_setfield(L, -2, "tn");
    lua_pushinteger(L, (lua_Integer)at->fn);
    lua_setfield(L, -2, "fn");
}

static int m_roc_at(lua_State *L)
{
    RadRocAt at;
    double c = luaL_checknumber(L, 2);
    Guard *g = guard_push(L);
    if (isnan(c))
        return radl_fail(L, "ROC:at: the cut-off is NaN");
    roc_from_table(L, 1, g, &g->r1, 0, "ROC:at");
    rad_roc_at(&g->r1, c, &at);
    push_at(L, &at);
    return 1;
}

static int m_roc_youden(lua_State *L)
{
    RadRocAt at;
    Guard *g = guard_push(L);
    roc_from_table(L, 1, g, &g->r1, 0, "ROC:youden");
    rad_roc_youden(&g->r1, &at);
    push_at(L, &at);
    return 1;
}

static int l_roc_test(lua_State *L)
{
    RadRocTest t;
    Guard *g = guard_push(L); /* 3 */
    roc_from_table(L, 1, g, &g->r1, 0, "rad.roc_test");
    roc_from_table(L, 2, g, &g->r2, 2, "rad.roc_test");
    {
        /* the same outcome on the same cases */
        lua_getfield(L, 1, "y");
        size_t n1 = (size_t)lua_rawlen(L, -1);
        lua_getfield(L, 2, "y");
        size_t n2 = (size_t)lua_rawlen(L, -1);
        lua_pop(L, 2);
        if (n1 != n2)
            return radl_fail(L, "rad.roc_test: the two ROC curves have %d and %d cases; a paired test needs the "
                              "same cases", (int)n1, (int)n2);
        for (size_t i = 0; i < n1; i++) {
            double a = g->buf[0][i], b = g->buf[2][i];
            if (!(a == b || (isnan(a) && isnan(b))))
                return radl_fail(L, "rad.roc_test: the outcomes differ at case %d (%g vs %g); a paired test "
                                  "needs the same outcome", (int)i + 1, a, b);
        }
    }
    if (rad_roc_test(&g->r1, &g->r2, &t) < 0)
        return radl_fail(L, "rad.%s", rad_error_message());
    lua_newtable(L);
    lua_pushnumber(L, t.z);
    lua_setfield(L, -2, "z");
    lua_pushnumber(L, t.p);
    lua_setfield(L, -2, "p");
    lua_pushnumber(L, t.diff);
    lua_setfield(L, -2, "diff");
    lua_pushnumber(L, sqrt(t.var));
    lua_setfield(L, -2, "se");
    return 1;
}

static int m_roc_tostring(lua_State *L)
{
    char buf[256];
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "auc");
    lua_getfield(L, 1, "ci");
    lua_getfield(L, -1, "lower");
    lua_getfield(L, -2, "upper");
    lua_getfield(L, 1, "n_pos");
    lua_getfield(L, 1, "n_neg");
    if (lua_isnumber(L, -4) && lua_isnumber(L, -3))
        snprintf(buf, sizeof buf, "ROC: AUC %.4f (95%% CI %.4f-%.4f, DeLong), %d positive, %d negative",
                 lua_tonumber(L, -6), lua_tonumber(L, -4), lua_tonumber(L, -3), (int)lua_tointeger(L, -2),
                 (int)lua_tointeger(L, -1));
    else
        snprintf(buf, sizeof buf, "ROC: AUC %.4f (no CI: fewer than 2 cases in a class), %d positive, %d negative",
                 lua_tonumber(L, -6), (int)lua_tointeger(L, -2), (int)lua_tointeger(L, -1));
    lua_pushstring(L, buf);
    return 1;
}

/* ---- registration ---------------------------------------------------------------------- */

void radl_open_models(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"logistic", l_logistic,
         "rad.logistic(t, {y = col, x = {cols}, ref = {col = level}, strict = false}) -> Logistic: maximum-likelihood "
         "logistic regression (IRLS, as R glm); coef, se, z, p, or, or_lower, or_upper by term, deviance, aic; rows "
         "with missing values dropped. Text columns become terms \"col:level\" against the reference level (ref, "
         "default the first in sorted order); a constant or aliased term is dropped with a warning and reported as "
         "NA (strict = true: an error). help(fit) lists the fields"},
        {"glmnet_logistic", l_glmnet_logistic,
         "rad.glmnet_logistic(t, {y =, x =, ref = {col = level}, alpha = 1, nlambda = 100, lambda =, standardize = true}) -> "
         "GlmnetPath: "
         "lasso / elastic-net logistic path by coordinate descent (glmnet's conventions)"},
        {"glmnet_logistic_cv", l_glmnet_logistic_cv,
         "rad.glmnet_logistic_cv(t, {y =, x =, ..., folds = 10, seed = 1}) -> {lambda, cvm, cvsd, lambda_min, "
         "lambda_1se, index_min, index_1se, fit}: k-fold CV of the penalised path (deviance, as cv.glmnet)"},
        {"roc", l_roc,
         "rad.roc(y, score) -> ROC: curve points, AUC with DeLong SE and 95% CI (higher score = positive; NA pairs "
         "dropped)"},
        {"roc_test", l_roc_test,
         "rad.roc_test(a, b) -> {z, p, diff, se}: paired DeLong test of two ROC curves on the same cases"},
        {NULL, NULL, NULL}};
    static const RadlReg logistic_methods[] = {
        {"predict", m_logistic_predict,
         "Logistic:predict(t [, {type = \"link\"|\"response\"}]) -> array: linear predictor or probability per row "
         "(rad.NA where an input is missing)"},
        {NULL, NULL, NULL}};
    static const RadlReg glmnet_methods[] = {
        {"coef", m_glmnet_coef,
         "GlmnetPath:coef(k) -> {term = value}: the intercept and non-zero coefficients at the k-th lambda"},
        {"predict", m_glmnet_predict,
         "GlmnetPath:predict(t, k [, {type = \"link\"|\"response\"}]) -> array: predictions at the k-th lambda"},
        {NULL, NULL, NULL}};
    static const RadlReg roc_methods[] = {
        {"at", m_roc_at,
         "ROC:at(cutoff) -> {sensitivity, specificity, accuracy, ppv, npv, j, tp, fp, tn, fn}: score >= cutoff is "
         "positive"},
        {"youden", m_roc_youden,
         "ROC:youden() -> {cutoff, sensitivity, specificity, j, ...}: the cut-off maximising Youden's J"},
        {NULL, NULL, NULL}};

    radl_register(L, funcs, "rad.");

    radl_guard_class(L, GUARD, guard_gc);

    radl_document_class(L, RADL_LOGISTIC,
        "Logistic: a fitted logistic regression (rad.logistic), a Lua table whose fields are plain values.\n"
        "Per-term fields are keyed by term name: \"(Intercept)\", a numeric column, or \"column:level\";\n"
        "a term left out as constant or aliased has rad.NA in each of them.\n"
        "  terms       {names}: \"(Intercept)\" then the model terms in order\n"
        "  coef        {term = b}: log odds ratios (the intercept: log odds)\n"
        "  se, z, p    {term = x}: standard errors, Wald z, two-sided p\n"
        "  or          {term = x}: odds ratios exp(coef); or_lower, or_upper: 95% Wald CI\n"
        "  aliased     {term = \"constant\"|\"aliased\"} or nil: terms dropped from the fit\n"
        "  y           the outcome column; x {columns}: the predictors; levels {column = {level = true}}\n"
        "  n           rows used; dropped: rows left out for missing values\n"
        "  deviance, null_deviance, aic, iterations (IRLS)\n"
        "methods: predict(t [, {type = \"link\"|\"response\"}]); print(fit) shows the coefficient table");
    luaL_newmetatable(L, RADL_LOGISTIC);
    lua_newtable(L);
    radl_register(L, logistic_methods, "Logistic:");
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, m_logistic_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    radl_document_class(L, RADL_GLMNET,
        "GlmnetPath: a penalised logistic path (rad.glmnet_logistic), a Lua table.\n"
        "  lambda      {values}: the penalties, largest first\n"
        "  a0          {values}: the intercept per lambda\n"
        "  beta        {per lambda: {term = value}}: the non-zero coefficients\n"
        "  df          {counts}: non-zero coefficients per lambda; dev_ratio: fraction of null deviance explained\n"
        "  alpha       elastic-net mixing (1 = lasso); null_deviance\n"
        "  terms, x, y, levels, n, dropped: as in a Logistic fit\n"
        "methods: coef(k), predict(t, k [, {type}])");
    luaL_newmetatable(L, RADL_GLMNET);
    lua_newtable(L);
    radl_register(L, glmnet_methods, "GlmnetPath:");
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, m_glmnet_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    radl_document_class(L, RADL_ROC,
        "ROC: a receiver operating characteristic curve (rad.roc), a Lua table.\n"
        "  auc         area under the curve; se: its DeLong standard error\n"
        "  ci          {lower, upper}: 95% DeLong CI (nil with fewer than 2 cases in a class)\n"
        "  n_pos, n_neg  cases and controls\n"
        "  points      the curve: {thresholds, tpr, fpr} (arrays, one entry per cut-off)\n"
        "  y, score    the data used (NA pairs dropped)\n"
        "methods: at(cutoff), youden()");
    luaL_newmetatable(L, RADL_ROC);
    lua_newtable(L);
    radl_register(L, roc_methods, "ROC:");
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, m_roc_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
}
