/* radlab: rad.plot forest, lasso, nomogram, box, waterfall, heatmap.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Lua face of src/plot/chart_model.c.  Each function converts its Lua
 * input (a model object read through its public fields, a Table, plain
 * arrays) into C arrays and calls the chart.  Scratch memory is Lua
 * userdata on the stack, so an error raised half-way leaks nothing.
 * Conventions of the charts themselves are described in chart_model.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"

/* ---- helpers ----------------------------------------------------------------------------------- */

/* A column of the Table t by name, with a suggestion when misspelt. */
static const RadColumn *table_col(lua_State *L, const RadTable *t, const char *name, const char *fname,
                                  const char *opt)
{
    const RadColumn *c = rad_table_get(t, name);
    if (!c) {
        char sug[128];
        if (rad_table_suggest(t, name, sug, sizeof sug) > 0)
            radl_fail(L, "%s: option %s: no column '%s' (did you mean %s?)", fname, opt, name, sug);
        radl_fail(L, "%s: option %s: no column '%s' in the table", fname, opt, name);
    }
    return c;
}

static const char *field_string(lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return s;
}

/* ---- forest ---------------------------------------------------------------------------------- */

/* The label of a factor's reference level ("ecog:ECOG 0 (reference)")
 * when `term` is the first term of a factor not yet shown, else NULL.  The
 * fit does not list the reference: it is the level of levels[variable]
 * that no term "variable:level" names (the first in byte order if
 * several).  The label is anchored in the table at iref. */
static const char *forest_reference(lua_State *L, const char *term, int ia, int il, int iref, int iterms)
{
    if (!lua_istable(L, ia) || !lua_istable(L, il))
        return NULL;
    if (lua_getfield(L, ia, term) != LUA_TSTRING) {
        lua_pop(L, 1);
        return NULL;
    }
    const char *var = lua_tostring(L, -1);
    size_t vl = strlen(var);
    int shown = lua_getfield(L, iref, var) != LUA_TNIL;
    lua_pop(L, 1);
    if (shown || strncmp(term, var, vl) != 0 || term[vl] != ':' || lua_getfield(L, il, var) != LUA_TTABLE) {
        lua_pop(L, shown || strncmp(term, var, vl) != 0 || term[vl] != ':' ? 1 : 2);
        return NULL;
    }
    int lv = lua_gettop(L);
    const char *best = NULL;
    size_t nterms = (size_t)lua_rawlen(L, iterms);
    lua_pushnil(L);
    while (lua_next(L, lv)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            continue;
        const char *level = lua_tostring(L, -1);
        int named = 0;
        for (size_t j = 1; j <= nterms && !named; j++) {
            lua_rawgeti(L, iterms, (lua_Integer)j);
            const char *t = lua_tostring(L, -1);
            named = t && strncmp(t, var, vl) == 0 && t[vl] == ':' && strcmp(t + vl + 1, level) == 0;
            lua_pop(L, 1);
        }
        if (!named && (!best || strcmp(level, best) < 0))
            best = level; /* a key of the levels table: anchored while it is on the stack */
    }
    const char *label = NULL;
    if (best) {
        lua_pushfstring(L, "%s:%s (reference)", var, best);
        label = lua_tostring(L, -1);
        lua_pushboolean(L, 1);
        lua_setfield(L, iref, var);
        lua_rawseti(L, iref, (lua_Integer)lua_rawlen(L, iref) + 1); /* the label, anchored */
    } else {
        lua_pushboolean(L, 1);
        lua_setfield(L, iref, var);
    }
    lua_pop(L, 2); /* levels table, variable name */
    return label;
}

static int l_forest(lua_State *L)
{
    static const char *const F = "rad.plot.forest";
    static const char *const keys[] = {RADL_CHART_KEYS, "measure", NULL};
    if (!lua_istable(L, 1))
        return radl_fail(L, "%s: give a rad.cox or rad.logistic fit, or {labels =, estimate =, lower =, upper =, "
                            "p =}; got %s", F, luaL_typename(L, 1));
    radl_check_keys(L, 2, F, keys);
    lua_settop(L, 2);
    RadChartOptions o;
    radl_chart_options(L, 2, F, &o);
    const char *measure = lua_istable(L, 2) ? radl_opt_string(L, 2, "measure", NULL) : NULL;
    size_t n = 0;
    const char **labels;
    double *est, *lo, *hi, *p;
    lua_getfield(L, 1, "estimate");
    int plain = lua_istable(L, -1);
    lua_pop(L, 1);
    if (plain) {
        size_t n2, n3, n4, n5 = 0;
        lua_getfield(L, 1, "estimate");
        est = radl_numbers_scratch(L, -1, F, "estimate", &n);
        lua_getfield(L, 1, "lower");
        lo = radl_numbers_scratch(L, -1, F, "lower", &n2);
        lua_getfield(L, 1, "upper");
        hi = radl_numbers_scratch(L, -1, F, "upper", &n3);
        lua_getfield(L, 1, "p");
        p = lua_isnil(L, -1) ? NULL : radl_numbers_scratch(L, -1, F, "p", &n5);
        if (!p)
            n5 = n;
        if (lua_getfield(L, 1, "labels") != LUA_TTABLE)
            return radl_fail(L, "%s: give labels = {names} with estimate, lower and upper", F);
        int li = lua_gettop(L);
        n4 = (size_t)lua_rawlen(L, li);
        if (n2 != n || n3 != n || n4 != n || n5 != n)
            return radl_fail(L, "%s: labels, estimate, lower, upper (and p) must have the same length (got %zu, %zu, "
                                "%zu, %zu, %zu)", F, n4, n, n2, n3, n5);
        labels = radl_scratch(L, n * sizeof *labels);
        for (size_t i = 0; i < n; i++) {
            lua_rawgeti(L, li, (lua_Integer)i + 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                return radl_fail(L, "%s: labels[%zu] must be a string", F, i + 1);
            labels[i] = lua_tostring(L, -1); /* anchored in the labels table */
            lua_pop(L, 1);
        }
        if (!measure)
            measure = "ratio";
    } else {
        /* a fitted model: hr / hr_lower / hr_upper (rad.cox) or or / or_lower / or_upper (rad.logistic) */
        const char *k_est = "hr", *k_lo = "hr_lower", *k_hi = "hr_upper";
        lua_getfield(L, 1, "hr");
        int cox = lua_istable(L, -1);
        lua_pop(L, 1);
        if (!cox) {
            lua_getfield(L, 1, "or");
            int lg = lua_istable(L, -1);
            lua_pop(L, 1);
            if (!lg)
                return radl_fail(L, "%s: the model has neither hr (rad.cox) nor or (rad.logistic) fields; for other "
                                    "estimates give {labels =, estimate =, lower =, upper =, p =}", F);
            k_est = "or";
            k_lo = "or_lower";
            k_hi = "or_upper";
        }
        if (!measure)
            measure = cox ? "HR" : "OR";
        if (lua_getfield(L, 1, "terms") != LUA_TTABLE)
            return radl_fail(L, "%s: the model has no terms list", F);
        int ti = lua_gettop(L);
        size_t nt = (size_t)lua_rawlen(L, ti);
        /* room for a reference row before each factor's first term */
        size_t cap = 2 * nt + 1;
        labels = radl_scratch(L, cap * sizeof *labels);
        est = radl_scratch(L, cap * sizeof *est);
        lo = radl_scratch(L, cap * sizeof *lo);
        hi = radl_scratch(L, cap * sizeof *hi);
        p = radl_scratch(L, cap * sizeof *p);
        /* the fit's factor bookkeeping: assign[term] = variable and
         * levels[variable] = {level = true, ...} (reference included) */
        lua_getfield(L, 1, "assign");
        int ia = lua_gettop(L);
        lua_getfield(L, 1, "levels");
        int il = lua_gettop(L);
        lua_newtable(L); /* anchors the reference labels; [variable] = true once shown */
        int iref = lua_gettop(L);
        lua_getfield(L, 1, k_est);
        int ie = lua_gettop(L);
        lua_getfield(L, 1, k_lo);
        lua_getfield(L, 1, k_hi);
        lua_getfield(L, 1, "p");
        int ip = lua_gettop(L);
        for (size_t j = 0; j < nt; j++) {
            lua_rawgeti(L, ti, (lua_Integer)j + 1);
            const char *name = lua_tostring(L, -1);
            lua_pop(L, 1);
            if (!name || strcmp(name, "(Intercept)") == 0)
                continue;
            const char *ref = forest_reference(L, name, ia, il, iref, ti);
            if (ref) {
                labels[n] = ref;
                est[n] = 1;
                lo[n] = hi[n] = p[n] = NAN;
                n++;
            }
            double *dst[4] = {est, lo, hi, p};
            for (int k = 0; k < 4; k++) {
                double v = NAN;
                if (lua_istable(L, ie + k) || lua_isuserdata(L, ie + k)) {
                    if (lua_getfield(L, ie + k, name) == LUA_TNUMBER)
                        v = lua_tonumber(L, -1);
                    lua_pop(L, 1);
                }
                dst[k][n] = v;
            }
            (void)ip;
            labels[n++] = name; /* anchored in the terms table */
        }
    }
    RadFigure **box = radl_figure_push(L);
    RadFigure *fig = rad_chart_forest(labels, est, lo, hi, p, n, measure, &o);
    return radl_figure_return(L, box, fig, F);
}

/* ---- lasso ----------------------------------------------------------------------------------- */

static int is_cv(lua_State *L, int idx)
{
    if (!lua_istable(L, idx))
        return 0;
    lua_getfield(L, idx, "cvm");
    int r = lua_istable(L, -1);
    lua_pop(L, 1);
    return r;
}

static int l_lasso(lua_State *L)
{
    static const char *const F = "rad.plot.lasso";
    static const char *const keys[] = {RADL_CHART_KEYS, "cv_label", NULL};
    lua_settop(L, 3);
    int ipath = 1, icv = 0, iopt = 0;
    if (is_cv(L, 1)) {
        /* a CV result alone: its path is the fit field */
        icv = 1;
        lua_getfield(L, 1, "fit");
        if (!lua_istable(L, -1))
            return radl_fail(L, "%s: the CV result has no fit (path); give rad.plot.lasso(path, cv)", F);
        lua_replace(L, 3); /* the path in slot 3 */
        iopt = lua_istable(L, 2) ? 2 : 0;
        ipath = 3;
    } else {
        if (is_cv(L, 2)) {
            icv = 2;
            iopt = lua_istable(L, 3) ? 3 : 0;
        } else if (!lua_isnil(L, 2)) {
            iopt = 2;
        }
    }
    if (!lua_istable(L, ipath))
        return radl_fail(L, "%s: give a penalised path (rad.coxnet or rad.glmnet_logistic), got %s", F,
                         luaL_typename(L, ipath));
    if (iopt) {
        luaL_checktype(L, iopt, LUA_TTABLE);
        radl_check_keys(L, iopt, F, keys);
    }
    RadChartOptions o;
    if (!iopt) {
        lua_pushnil(L);
        radl_chart_options(L, lua_gettop(L), F, &o);
        lua_pop(L, 1);
    } else {
        radl_chart_options(L, iopt, F, &o);
    }
    size_t nl;
    if (lua_getfield(L, ipath, "lambda") != LUA_TTABLE)
        return radl_fail(L, "%s: the path has no lambda field (is it from rad.coxnet or rad.glmnet_logistic?)", F);
    double *lambda = radl_numbers_scratch(L, -1, F, "path.lambda", &nl);
    if (lua_getfield(L, ipath, "terms") != LUA_TTABLE)
        return radl_fail(L, "%s: the path has no terms field (is it from rad.coxnet or rad.glmnet_logistic?)", F);
    int iterms = lua_gettop(L);
    size_t nterm = (size_t)lua_rawlen(L, iterms), p = 0;
    const char **names = radl_scratch(L, (nterm ? nterm : 1) * sizeof *names);
    for (size_t j = 0; j < nterm; j++) {
        lua_rawgeti(L, iterms, (lua_Integer)j + 1);
        const char *nm = lua_tostring(L, -1);
        lua_pop(L, 1);
        if (!nm)
            return radl_fail(L, "%s: path.terms[%zu] is not a string", F, j + 1);
        if (strcmp(nm, "(Intercept)") != 0) /* glmnet's intercept is not penalised: not a path */
            names[p++] = nm;
    }
    if (lua_getfield(L, ipath, "beta") != LUA_TTABLE)
        return radl_fail(L, "%s: the path has no beta field", F);
    int ibeta = lua_gettop(L);
    if ((size_t)lua_rawlen(L, ibeta) != nl)
        return radl_fail(L, "%s: path.beta has %zu entries for %zu lambdas", F, (size_t)lua_rawlen(L, ibeta), nl);
    double *beta = radl_scratch(L, nl * p * sizeof *beta);
    for (size_t k = 0; k < nl; k++) {
        lua_rawgeti(L, ibeta, (lua_Integer)k + 1);
        for (size_t j = 0; j < p; j++) {
            double v = 0;
            if (lua_istable(L, -1)) {
                if (lua_getfield(L, -1, names[j]) == LUA_TNUMBER)
                    v = lua_tonumber(L, -1);
                lua_pop(L, 1);
            }
            beta[k * p + j] = v;
        }
        lua_pop(L, 1);
    }
    size_t *df = NULL;
    if (lua_getfield(L, ipath, "df") == LUA_TTABLE && (size_t)lua_rawlen(L, -1) == nl) {
        df = radl_scratch(L, (nl ? nl : 1) * sizeof *df);
        for (size_t k = 0; k < nl; k++) {
            lua_rawgeti(L, -2, (lua_Integer)k + 1);
            df[k] = (size_t)lua_tointeger(L, -1);
            lua_pop(L, 1);
        }
    }
    RadLassoCv cv;
    memset(&cv, 0, sizeof cv);
    if (icv) {
        size_t n1, n2, n3;
        lua_getfield(L, icv, "lambda");
        cv.lambda = radl_numbers_scratch(L, -1, F, "cv.lambda", &n1);
        lua_getfield(L, icv, "cvm");
        cv.cvm = radl_numbers_scratch(L, -1, F, "cv.cvm", &n2);
        lua_getfield(L, icv, "cvsd");
        cv.cvsd = radl_numbers_scratch(L, -1, F, "cv.cvsd", &n3);
        if (n1 != n2 || n1 != n3)
            return radl_fail(L, "%s: cv.lambda, cv.cvm and cv.cvsd differ in length (%zu, %zu, %zu)", F, n1, n2, n3);
        cv.n = n1;
        lua_getfield(L, icv, "lambda_min");
        cv.lambda_min = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN;
        lua_getfield(L, icv, "lambda_1se");
        cv.lambda_1se = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN;
        lua_pop(L, 2);
        /* what cvm measures: Cox partial-likelihood deviance or binomial deviance */
        lua_getfield(L, ipath, "time");
        int coxnet = !lua_isnil(L, -1);
        lua_pop(L, 1);
        cv.ylabel = coxnet ? "Partial likelihood deviance" : "Binomial deviance";
        const char *cl = iopt ? radl_opt_string(L, iopt, "cv_label", NULL) : NULL;
        if (cl)
            cv.ylabel = cl;
    }
    RadFigure **box = radl_figure_push(L);
    RadFigure *fig = rad_chart_lasso(lambda, nl, beta, p, names, df, icv ? &cv : NULL, &o);
    return radl_figure_return(L, box, fig, F);
}

/* ---- heatmap ----------------------------------------------------------------------------------- */

static int l_heatmap(lua_State *L)
{
    static const char *const F = "rad.plot.heatmap";
    static const char *const keys[] = {RADL_CHART_KEYS, "columns", "method", "order", "names", NULL};
    lua_settop(L, 2);
    radl_check_keys(L, 2, F, keys);
    RadChartOptions o;
    radl_chart_options(L, 2, F, &o);
    const char *ms = lua_istable(L, 2) ? radl_opt_string(L, 2, "method", "spearman") : "spearman";
    int method = rad_cor_method(ms);
    if (method < 0)
        return radl_fail(L, "%s: option method must be \"spearman\" or \"pearson\", got \"%s\"", F, ms);
    const char *os = lua_istable(L, 2) ? radl_opt_string(L, 2, "order", "cluster") : "cluster";
    int cluster;
    if (strcmp(os, "cluster") == 0)
        cluster = 1;
    else if (strcmp(os, "none") == 0)
        cluster = 0;
    else
        return radl_fail(L, "%s: option order must be \"cluster\" or \"none\", got \"%s\"", F, os);
    size_t n = 0, p = 0;
    double *x;
    const char **names;
    if (luaL_testudata(L, 1, RADL_TABLE)) {
        RadTable *t = radl_check_table(L, 1);
        n = t->nrow;
        int icols = 0;
        if (lua_istable(L, 2)) {
            lua_getfield(L, 2, "columns");
            if (!lua_isnil(L, -1)) {
                if (!lua_istable(L, -1))
                    return radl_fail(L, "%s: option columns must be an array of column names", F);
                icols = lua_gettop(L);
            }
        }
        const RadColumn **cols;
        if (icols) {
            p = (size_t)lua_rawlen(L, icols);
            cols = radl_scratch(L, (p ? p : 1) * sizeof *cols);
            for (size_t j = 0; j < p; j++) {
                lua_rawgeti(L, icols, (lua_Integer)j + 1);
                const char *nm = lua_tostring(L, -1);
                if (!nm)
                    return radl_fail(L, "%s: option columns[%zu] must be a column name", F, j + 1);
                cols[j] = table_col(L, t, nm, F, "columns");
                if (cols[j]->type != RAD_COL_NUM)
                    return radl_fail(L, "%s: option columns: column '%s' is not numeric", F, nm);
                lua_pop(L, 1);
            }
        } else {
            cols = radl_scratch(L, (t->ncol ? t->ncol : 1) * sizeof *cols);
            for (size_t j = 0; j < t->ncol; j++)
                if (t->cols[j].type == RAD_COL_NUM)
                    cols[p++] = &t->cols[j];
        }
        if (p == 0)
            return radl_fail(L, "%s: no numeric columns to correlate (give columns = {names})", F);
        x = radl_scratch(L, n * p * sizeof *x);
        names = radl_scratch(L, p * sizeof *names);
        for (size_t j = 0; j < p; j++) {
            memcpy(x + j * n, cols[j]->num, n * sizeof *x);
            names[j] = cols[j]->name;
        }
    } else if (lua_istable(L, 1)) {
        /* a matrix: array of rows */
        n = (size_t)lua_rawlen(L, 1);
        if (n == 0)
            return radl_fail(L, "%s: the matrix is empty; give an array of rows (arrays of numbers) or a Table", F);
        lua_rawgeti(L, 1, 1);
        if (!lua_istable(L, -1))
            return radl_fail(L, "%s: give a Table or a matrix (an array of rows, each an array of numbers)", F);
        p = (size_t)lua_rawlen(L, -1);
        lua_pop(L, 1);
        if (p == 0)
            return radl_fail(L, "%s: the matrix has no columns", F);
        x = radl_scratch(L, n * p * sizeof *x);
        for (size_t i = 0; i < n; i++) {
            size_t m;
            lua_rawgeti(L, 1, (lua_Integer)i + 1);
            char what[32];
            snprintf(what, sizeof what, "row %zu", i + 1);
            double *row = radl_numbers_scratch(L, -1, F, what, &m);
            if (m != p)
                return radl_fail(L, "%s: row %zu has %zu values, row 1 has %zu", F, i + 1, m, p);
            for (size_t j = 0; j < p; j++)
                x[j * n + i] = row[j];
            lua_pop(L, 2);
        }
        names = radl_scratch(L, p * sizeof *names);
        int inames = 0;
        if (lua_istable(L, 2)) {
            lua_getfield(L, 2, "names");
            if (lua_istable(L, -1)) {
                inames = lua_gettop(L);
                if ((size_t)lua_rawlen(L, inames) != p)
                    return radl_fail(L, "%s: option names has %zu entries for %zu columns", F,
                                     (size_t)lua_rawlen(L, inames), p);
            } else {
                lua_pop(L, 1);
            }
        }
        for (size_t j = 0; j < p; j++) {
            if (inames) {
                lua_rawgeti(L, inames, (lua_Integer)j + 1);
                names[j] = lua_tostring(L, -1);
                lua_pop(L, 1); /* anchored in the names table */
                if (!names[j])
                    return radl_fail(L, "%s: option names[%zu] must be a string", F, j + 1);
            } else {
                lua_pushfstring(L, "V%d", (int)j + 1);
                names[j] = lua_tostring(L, -1); /* stays on the stack */
            }
        }
    } else {
        return radl_fail(L, "%s: give a Table or a matrix (array of rows), got %s", F, luaL_typename(L, 1));
    }
    RadFigure **box = radl_figure_push(L);
    RadFigure *fig = rad_chart_heatmap(x, n, p, names, method, cluster, NULL, &o);
    return radl_figure_return(L, box, fig, F);
}

/* ---- nomogram ---------------------------------------------------------------------------------- */

static int l_nomogram(lua_State *L)
{
    static const char *const F = "rad.plot.nomogram";
    static const char *const keys[] = {RADL_CHART_KEYS, "at_label", "at", "data", "ranges", "points", "totals", NULL};
    static const char *const nomo_keys[] = {"at", "data", "ranges", "points", "totals"};
    lua_settop(L, 2);
    int is_cox = 0, is_logistic = 0;
    if (lua_getmetatable(L, 1)) { /* a fit is a table with the rad.Cox or rad.Logistic metatable */
        luaL_getmetatable(L, "rad.Cox");
        is_cox = lua_rawequal(L, -1, -2);
        lua_pop(L, 1);
        luaL_getmetatable(L, "rad.Logistic");
        is_logistic = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    if (is_cox || is_logistic) {
        /* a fitted model: build its nomogram first (validate.nomogram) */
        if (!lua_istable(L, 2))
            return radl_fail(L, "%s: with a %s give {%sdata = table or ranges = {...}}", F,
                             is_cox ? "Cox model" : "logistic model", is_cox ? "at = time, " : "");
        lua_getglobal(L, "require");
        lua_pushliteral(L, "rad.validate");
        lua_call(L, 1, 1);
        lua_getfield(L, -1, "nomogram");
        lua_pushvalue(L, 1);
        lua_createtable(L, 0, 5);
        for (size_t k = 0; k < sizeof nomo_keys / sizeof nomo_keys[0]; k++) {
            lua_getfield(L, 2, nomo_keys[k]);
            lua_setfield(L, -2, nomo_keys[k]);
        }
        lua_call(L, 2, 1);
        lua_replace(L, 1);
        lua_settop(L, 2);
    }
    if (!lua_istable(L, 1))
        return radl_fail(L, "%s: give the result of validate.nomogram(coxmodel, {at =, data =}), got %s", F,
                         luaL_typename(L, 1));
    radl_check_keys(L, 2, F, keys);
    RadChartOptions o;
    radl_chart_options(L, 2, F, &o);
    const char *at_label = lua_istable(L, 2) ? radl_opt_string(L, 2, "at_label", NULL) : NULL;
    if (lua_getfield(L, 1, "terms") != LUA_TTABLE || lua_getfield(L, 1, "total") != LUA_TTABLE)
        return radl_fail(L, "%s: the first argument has no terms / total: give the result of validate.nomogram", F);
    int iterms = lua_gettop(L) - 1;
    size_t ntot;
    double *total = radl_numbers_scratch(L, iterms + 1, F, "nomo.total", &ntot);
    lua_getfield(L, 1, "max_total");
    double max_total = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : (ntot ? total[ntot - 1] : NAN);
    lua_getfield(L, 1, "at");
    double at = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN;
    lua_pop(L, 2);
    size_t nt = (size_t)lua_rawlen(L, iterms);
    RadNomoTerm *terms = radl_scratch(L, (nt ? nt : 1) * sizeof *terms);
    for (size_t i = 0; i < nt; i++) {
        lua_rawgeti(L, iterms, (lua_Integer)i + 1);
        int it = lua_gettop(L);
        if (!lua_istable(L, it))
            return radl_fail(L, "%s: nomo.terms[%zu] is not a table", F, i + 1);
        terms[i].name = field_string(L, it, "term");
        const char *type = field_string(L, it, "type");
        size_t np;
        lua_getfield(L, it, "points");
        terms[i].points = radl_numbers_scratch(L, -1, F, "term points", &np);
        terms[i].n = np;
        lua_getfield(L, it, "values");
        int iv = lua_gettop(L);
        if (!lua_istable(L, iv) || (size_t)lua_rawlen(L, iv) != np)
            return radl_fail(L, "%s: nomo.terms[%zu] needs values and points of the same length", F, i + 1);
        int factor = type && strcmp(type, "factor") == 0;
        if (!factor && np >= 2) {
            /* numeric: points are linear in the value; put the ticks at nice
             * values inside the range instead of validate's even grid */
            lua_rawgeti(L, iv, 1);
            lua_rawgeti(L, iv, (lua_Integer)np);
            double v0 = lua_tonumber(L, -2), v1 = lua_tonumber(L, -1);
            lua_pop(L, 2);
            const double *pp = terms[i].points;
            if (isfinite(v0) && isfinite(v1) && v1 != v0 && isfinite(pp[0]) && isfinite(pp[np - 1])) {
                double span = fabs(pp[np - 1] - pp[0]);
                int target = (int)fmin(10, fmax(3, span / 5));
                double tk[32];
                size_t m = rad_nice_ticks(fmin(v0, v1), fmax(v0, v1), target, tk, 32);
                double step = m > 1 ? tk[1] - tk[0] : 0;
                double *npt = radl_scratch(L, 34 * sizeof *npt);
                const char **nl = radl_scratch(L, 34 * sizeof *nl);
                /* the ends of the range, unlabelled, so the line covers it */
                npt[0] = pp[0];
                npt[1] = pp[np - 1];
                nl[0] = nl[1] = "";
                size_t q = 2;
                double eps = fabs(v1 - v0) * 1e-9;
                for (size_t k = 0; k < m; k++) {
                    if (tk[k] < fmin(v0, v1) - eps || tk[k] > fmax(v0, v1) + eps)
                        continue;
                    npt[q] = pp[0] + (tk[k] - v0) / (v1 - v0) * (pp[np - 1] - pp[0]);
                    char buf[32];
                    rad_format_tick(tk[k], step, buf, sizeof buf);
                    lua_pushstring(L, buf);
                    nl[q] = lua_tostring(L, -1); /* stays on the stack */
                    q++;
                }
                if (q >= 4) {
                    terms[i].points = npt;
                    terms[i].labels = nl;
                    terms[i].n = q;
                    continue;
                }
            }
        }
        const char **lab = radl_scratch(L, (np ? np : 1) * sizeof *lab);
        double step = 0;
        if (!factor && np > 1) {
            lua_rawgeti(L, iv, 1);
            lua_rawgeti(L, iv, 2);
            step = fabs(lua_tonumber(L, -1) - lua_tonumber(L, -2));
            lua_pop(L, 2);
        }
        lua_createtable(L, (int)np, 0); /* anchors the label strings */
        int ia = lua_gettop(L);
        for (size_t k = 0; k < np; k++) {
            lua_rawgeti(L, iv, (lua_Integer)k + 1);
            if (lua_type(L, -1) == LUA_TNUMBER) {
                char buf[32];
                rad_format_tick(lua_tonumber(L, -1), step, buf, sizeof buf);
                lua_pop(L, 1);
                lua_pushstring(L, buf);
            } else if (!lua_isstring(L, -1)) {
                return radl_fail(L, "%s: nomo.terms[%zu].values[%zu] is a %s", F, i + 1, k + 1, luaL_typename(L, -1));
            } else {
                lua_pushstring(L, lua_tostring(L, -1));
                lua_remove(L, -2);
            }
            lab[k] = lua_tostring(L, -1);
            lua_rawseti(L, ia, (lua_Integer)k + 1);
        }
        terms[i].labels = lab; /* scratch and label strings stay on the stack */
    }
    /* survival: one scale, or one per stratum */
    size_t nstrata = 0;
    double *surv = NULL;
    const char **slabels = NULL;
    if (lua_getfield(L, 1, "strata") == LUA_TTABLE) {
        int is = lua_gettop(L);
        nstrata = (size_t)lua_rawlen(L, is);
        surv = radl_scratch(L, nstrata * ntot * sizeof *surv);
        slabels = radl_scratch(L, (nstrata ? nstrata : 1) * sizeof *slabels);
        for (size_t s = 0; s < nstrata; s++) {
            lua_rawgeti(L, is, (lua_Integer)s + 1);
            int ie = lua_gettop(L);
            if (!lua_istable(L, ie))
                return radl_fail(L, "%s: nomo.strata[%zu] is not a table", F, s + 1);
            lua_getfield(L, ie, "level");
            luaL_tolstring(L, -1, NULL);
            lua_remove(L, -2);
            slabels[s] = lua_tostring(L, -1); /* stays on the stack */
            size_t m;
            lua_getfield(L, ie, "survival");
            double *sv = radl_numbers_scratch(L, -1, F, "strata survival", &m);
            if (m != ntot)
                return radl_fail(L, "%s: strata[%zu].survival has %zu values for %zu totals", F, s + 1, m, ntot);
            memcpy(surv + s * ntot, sv, ntot * sizeof *sv);
            lua_pop(L, 2);
            lua_remove(L, ie); /* the entry table; the level string above it stays */
        }
    } else {
        lua_pop(L, 1);
        if (lua_getfield(L, 1, "survival") == LUA_TTABLE) {
            size_t m;
            surv = radl_numbers_scratch(L, -1, F, "nomo.survival", &m);
            if (m != ntot)
                return radl_fail(L, "%s: survival has %zu values for %zu totals", F, m, ntot);
            nstrata = 1;
        }
    }
    /* a logistic model's nomogram: the probability scale */
    const char *scale_label = NULL;
    if (!surv && lua_getfield(L, 1, "probability") == LUA_TTABLE) {
        size_t m;
        surv = radl_numbers_scratch(L, -1, F, "nomo.probability", &m);
        if (m != ntot)
            return radl_fail(L, "%s: probability has %zu values for %zu totals", F, m, ntot);
        nstrata = 1;
        lua_getfield(L, 1, "outcome");
        scale_label = lua_pushfstring(L, "Probability of %s", at_label ? at_label
                                                                       : lua_isstring(L, -1) ? lua_tostring(L, -1) : "the outcome");
    }
    RadFigure **box = radl_figure_push(L);
    RadFigure *fig = rad_chart_nomogram(terms, nt, total, ntot, max_total, surv, nstrata, slabels, at, at_label,
                                        scale_label, &o);
    return radl_figure_return(L, box, fig, F);
}

/* ---- groups from a column ---------------------------------------------------------------------- */

typedef struct {
    int *code;          /* n codes, -1 missing */
    const char **names; /* k level names */
    size_t k;
} Groups;

static int cmp_num(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Levels of a column, sorted (numbers numerically), as codes 0..k-1. */
static void groups_from_column(lua_State *L, const RadColumn *c, size_t n, Groups *g, const char *F)
{
    g->code = radl_scratch(L, n * sizeof *g->code);
    if (c->type == RAD_COL_NUM) {
        double *u = radl_scratch(L, n * sizeof *u);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (c->num[i] == c->num[i])
                u[m++] = c->num[i];
        qsort(u, m, sizeof *u, cmp_num);
        size_t k = 0;
        for (size_t i = 0; i < m; i++)
            if (k == 0 || u[i] != u[k - 1])
                u[k++] = u[i];
        if (k > 50)
            radl_fail(L, "%s: option group: column '%s' has %zu distinct values; group by a categorical column", F,
                      c->name, k);
        g->k = k;
        g->names = radl_scratch(L, (k ? k : 1) * sizeof *g->names);
        lua_createtable(L, (int)k, 0);
        for (size_t j = 0; j < k; j++) {
            char buf[64];
            snprintf(buf, sizeof buf, "%s = %g", c->name, u[j]);
            lua_pushstring(L, buf);
            g->names[j] = lua_tostring(L, -1);
            lua_rawseti(L, -2, (lua_Integer)j + 1);
        }
        for (size_t i = 0; i < n; i++) {
            g->code[i] = -1;
            if (c->num[i] == c->num[i]) {
                double *hit = bsearch(&c->num[i], u, k, sizeof *u, cmp_num);
                g->code[i] = hit ? (int)(hit - u) : -1;
            }
        }
    } else {
        const char **u = radl_scratch(L, n * sizeof *u);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (c->str[i])
                u[m++] = c->str[i];
        qsort(u, m, sizeof *u, cmp_str);
        size_t k = 0;
        for (size_t i = 0; i < m; i++)
            if (k == 0 || strcmp(u[i], u[k - 1]) != 0)
                u[k++] = u[i];
        if (k > 50)
            radl_fail(L, "%s: option group: column '%s' has %zu distinct values; group by a categorical column", F,
                      c->name, k);
        g->k = k;
        g->names = u;
        for (size_t i = 0; i < n; i++) {
            g->code[i] = -1;
            if (c->str[i]) {
                const char **hit = bsearch(&c->str[i], u, k, sizeof *u, cmp_str);
                g->code[i] = hit ? (int)(hit - u) : -1;
            }
        }
    }
}

/* ---- box ----------------------------------------------------------------------------------------- */

static int l_box(lua_State *L)
{
    static const char *const F = "rad.plot.box";
    static const char *const keys[] = {RADL_CHART_KEYS, "y", "group", "kind", NULL};
    lua_settop(L, 2);
    RadTable *t = luaL_testudata(L, 1, RADL_TABLE) ? radl_check_table(L, 1) : NULL;
    if (!t)
        return radl_fail(L, "%s: give a Table and {y = column, group = column}, got %s", F, luaL_typename(L, 1));
    if (!lua_istable(L, 2))
        return radl_fail(L, "%s: give the options {y = column [, group = column, kind = \"box\"]}", F);
    radl_check_keys(L, 2, F, keys);
    RadChartOptions o;
    radl_chart_options(L, 2, F, &o);
    const char *yn = radl_opt_string(L, 2, "y", NULL);
    if (!yn)
        return radl_fail(L, "%s: option y (the numeric column to draw) is required", F);
    const char *gn = radl_opt_string(L, 2, "group", NULL);
    const char *kn = radl_opt_string(L, 2, "kind", "box");
    RadBoxKind kind;
    if (strcmp(kn, "box") == 0)
        kind = RAD_BOX_BOX;
    else if (strcmp(kn, "violin") == 0)
        kind = RAD_BOX_VIOLIN;
    else if (strcmp(kn, "strip") == 0)
        kind = RAD_BOX_STRIP;
    else
        return radl_fail(L, "%s: option kind must be \"box\", \"violin\" or \"strip\", got \"%s\"", F, kn);
    const RadColumn *yc = table_col(L, t, yn, F, "y");
    if (yc->type != RAD_COL_NUM)
        return radl_fail(L, "%s: option y: column '%s' is not numeric", F, yn);
    size_t n = t->nrow;
    Groups g;
    if (gn) {
        groups_from_column(L, table_col(L, t, gn, F, "group"), n, &g, F);
        if (g.k == 0)
            return radl_fail(L, "%s: option group: column '%s' has only missing values", F, gn);
    } else {
        g.code = radl_scratch(L, (n ? n : 1) * sizeof *g.code);
        for (size_t i = 0; i < n; i++)
            g.code[i] = 0;
        g.names = radl_scratch(L, sizeof *g.names);
        g.names[0] = "All";
        g.k = 1;
    }
    RadChartOptions oo = o;
    if (!oo.ylabel)
        oo.ylabel = yn;
    if (!oo.xlabel && gn)
        oo.xlabel = gn;
    RadFigure **box = radl_figure_push(L);
    RadFigure *fig = rad_chart_box(yc->num, g.code, n, g.names, g.k, kind, &oo);
    return radl_figure_return(L, box, fig, F);
}

/* ---- waterfall ------------------------------------------------------------------------------------ */

/* Outcome codes from numbers: two distinct values -> 0 (lower) / 1. */
static void outcome_codes(lua_State *L, const double *v, size_t n, int *code, double *levels, const char *F)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] != v[i])
            continue;
        if (k == 0 || (k == 1 && v[i] != levels[0])) {
            levels[k++] = v[i];
        } else if (v[i] != levels[0] && v[i] != levels[1]) {
            radl_fail(L, "%s: option outcome must have two values (e.g. 0 / 1), found %g, %g and %g", F, levels[0],
                      levels[1], v[i]);
        }
    }
    if (k == 2 && levels[0] > levels[1]) {
        double t = levels[0];
        levels[0] = levels[1];
        levels[1] = t;
    }
    if (k == 1) /* one value seen: 0 or "no" means no event, anything else an event */
        levels[1] = levels[0] == 0 ? 1 : levels[0], levels[0] = levels[0] == 0 ? 0 : -INFINITY;
    for (size_t i = 0; i < n; i++)
        code[i] = v[i] != v[i] ? -1 : v[i] == levels[1] ? 1 : 0;
}

static int l_waterfall(lua_State *L)
{
    static const char *const F = "rad.plot.waterfall";
    static const char *const keys[] = {RADL_CHART_KEYS, "score", "outcome", "centre", "labels", NULL};
    lua_settop(L, 2);
    radl_check_keys(L, 2, F, keys);
    RadChartOptions o;
    radl_chart_options(L, 2, F, &o);
    size_t n = 0;
    const double *score;
    int *code = NULL;
    const char *lab[2] = {NULL, NULL};
    double levels[2] = {0, 1};
    const char *oname = NULL;
    int have_out = 0;
    const char *sname = NULL;
    if (luaL_testudata(L, 1, RADL_TABLE)) {
        RadTable *t = radl_check_table(L, 1);
        const char *sn = lua_istable(L, 2) ? radl_opt_string(L, 2, "score", NULL) : NULL;
        if (!sn)
            return radl_fail(L, "%s: with a Table give {score = column, outcome = column}", F);
        const RadColumn *sc = table_col(L, t, sn, F, "score");
        if (sc->type != RAD_COL_NUM)
            return radl_fail(L, "%s: option score: column '%s' is not numeric", F, sn);
        n = t->nrow;
        score = sc->num;
        sname = sn;
        lua_getfield(L, 2, "outcome");
        if (lua_type(L, -1) == LUA_TSTRING) {
            oname = lua_tostring(L, -1);
            const RadColumn *oc = table_col(L, t, oname, F, "outcome");
            code = radl_scratch(L, (n ? n : 1) * sizeof *code);
            if (oc->type == RAD_COL_NUM) {
                outcome_codes(L, oc->num, n, code, levels, F);
            } else {
                Groups g;
                groups_from_column(L, oc, n, &g, F);
                if (g.k > 2)
                    return radl_fail(L, "%s: option outcome: column '%s' has %zu levels; two are needed", F, oname,
                                     g.k);
                memcpy(code, g.code, n * sizeof *code);
                lab[0] = g.k > 0 ? g.names[0] : NULL;
                lab[1] = g.k > 1 ? g.names[1] : NULL;
                if (g.k == 1) { /* a single level: colour as the first */
                    lab[1] = NULL;
                }
            }
            have_out = 1;
        } else if (!lua_isnil(L, -1)) {
            return radl_fail(L, "%s: option outcome must be a column name with a Table", F);
        }
    } else if (lua_istable(L, 1)) {
        score = radl_numbers_scratch(L, 1, F, "scores", &n);
        if (lua_istable(L, 2)) {
            lua_getfield(L, 2, "outcome");
            if (lua_istable(L, -1)) {
                size_t m;
                double *ov = radl_numbers_scratch(L, -1, F, "outcome", &m);
                if (m != n)
                    return radl_fail(L, "%s: option outcome has %zu values for %zu scores", F, m, n);
                code = radl_scratch(L, (n ? n : 1) * sizeof *code);
                outcome_codes(L, ov, n, code, levels, F);
                have_out = 1;
            } else if (!lua_isnil(L, -1)) {
                return radl_fail(L, "%s: option outcome must be an array of 0 / 1 with an array of scores", F);
            }
        }
    } else {
        return radl_fail(L, "%s: give a Table with {score =, outcome =} or an array of scores, got %s", F,
                         luaL_typename(L, 1));
    }
    if (have_out && !lab[0] && !lab[1] && !(levels[0] == 0 && levels[1] == 1) && isfinite(levels[0]) && oname) {
        /* numeric levels other than 0 / 1: say which */
        char b0[64], b1[64];
        snprintf(b0, sizeof b0, "%s = %g", oname, levels[0]);
        snprintf(b1, sizeof b1, "%s = %g", oname, levels[1]);
        lua_pushstring(L, b0);
        lab[0] = lua_tostring(L, -1);
        lua_pushstring(L, b1);
        lab[1] = lua_tostring(L, -1);
    }
    double centre = NAN;
    if (lua_istable(L, 2)) {
        centre = radl_opt_number(L, 2, "centre", NAN);
        lua_getfield(L, 2, "labels");
        if (lua_istable(L, -1)) {
            if (lua_rawlen(L, -1) != 2)
                return radl_fail(L, "%s: option labels must be {\"no event\", \"event\"} (two strings)", F);
            lua_rawgeti(L, -1, 1);
            lab[0] = lua_tostring(L, -1);
            lua_rawgeti(L, -2, 2);
            lab[1] = lua_tostring(L, -1);
            if (!lab[0] || !lab[1])
                return radl_fail(L, "%s: option labels must be two strings", F);
        } else if (!lua_isnil(L, -1)) {
            return radl_fail(L, "%s: option labels must be {\"no event\", \"event\"}", F);
        }
    }
    RadFigure **box = radl_figure_push(L);
    RadFigure *fig = rad_chart_waterfall(score, have_out ? code : NULL, n, centre, lab, sname, &o);
    return radl_figure_return(L, box, fig, F);
}

void radl_open_plot_model(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"forest", l_forest,
         "rad.plot.forest(model or {labels =, estimate =, lower =, upper =, p =} [, {measure =, ...}]) -> Figure: "
         "forest plot of hazard (rad.cox) or odds (rad.logistic) ratios with 95 % CI and p per term, log x axis; "
         "each factor's reference level is a row at 1"},
        {"lasso", l_lasso,
         "rad.plot.lasso(path [, cv] [, opts]) -> Figure: coefficient paths vs log(lambda) of a rad.coxnet / "
         "rad.glmnet_logistic path, with the CV curve and lambda_min / lambda_1se when a CV result is given"},
        {"heatmap", l_heatmap,
         "rad.plot.heatmap(t or matrix [, {columns =, method = \"spearman\", order = \"cluster\", names =}]) -> "
         "Figure: correlation heatmap (-1..1 colour bar) ordered by average-linkage clustering on 1 - |r|"},
        {"nomogram", l_nomogram,
         "rad.plot.nomogram(nomo or fit [, {at =, data = or ranges =, at_label =, ...}]) -> Figure: a nomogram "
         "(Points, one scale per covariate, Total points, predicted survival at t, per stratum; for a logistic model "
         "the probability of the outcome, at_label naming it) from validate.nomogram's result or built from a Cox "
         "or logistic fit"},
        {"box", l_box,
         "rad.plot.box(t, {y =, group =, kind = \"box\" | \"violin\" | \"strip\"}) -> Figure: a numeric column by "
         "group with n per group and the Mann-Whitney / Kruskal-Wallis p above the plot; a group of one is drawn as "
         "a point"},
        {"waterfall", l_waterfall,
         "rad.plot.waterfall(t, {score =, outcome =, centre = median, labels =}) or (scores, {outcome =}) -> "
         "Figure: one bar per patient of score - centre, sorted, coloured by outcome"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.plot.");
}
