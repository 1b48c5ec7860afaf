/* radlab: rad.cox, the Cox proportional-hazards model.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rad.cox(t, {time =, event =, x = {...}, ties =, strata =, weights =})
 * fits src/stats/cox.c (R's survival::coxph conventions) and returns a plain
 * Lua table with the metatable rad.Cox: its numbers are ordinary fields, and
 * :predict recomputes from them (coef, means, the baseline hazard), so a model
 * can be inspected, printed and kept without any C object behind it.  Engine
 * results live in a guard userdata created before the engine call, whose __gc
 * frees them, so a Lua error at any point leaves nothing to leak.
 *
 * Rows with a missing value in time, event, a covariate, the weights or the
 * strata are dropped (the model's `dropped` says how many).  String covariates
 * become indicator terms "name:level" (rad_table_design; the reference level is
 * the first in sorted order).  predict's "lp" is centred as R's
 * predict.coxph(type = "lp", reference = "sample"): beta'(x - means of the
 * fitting data); "risk" = exp(lp); "survival" = exp(-H0(t) exp(lp)) with H0 the
 * Breslow (Efron-adjusted) baseline of survfit.coxph.  :zph() returns the
 * proportional-hazards test, computed on its first use (it costs about as
 * much as the fit; until then a weak-keyed registry table keeps the guard
 * and the fitting arrays for it) (R's cox.zph, transform
 * "km", one test per model term plus the global test) and its plot data:
 * per event the time, x = 1 - KM(t-) and the scaled Schoenfeld residuals y.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"

#define RADL_COX "rad.Cox"
#define GUARD "rad.cox.guard"


typedef struct Guard {
    RadTable *t;      /* the complete rows */
    RadDesign d;
    RadCoxFit fit;
    const char **names;
    int *strata;
    double *buf;
} Guard;

static int guard_gc(lua_State *L)
{
    Guard *g = luaL_checkudata(L, 1, GUARD);
    rad_table_free(g->t);
    g->t = NULL;
    rad_design_free(&g->d);
    rad_cox_free(&g->fit);
    free(g->names);
    free(g->strata);
    free(g->buf);
    g->names = NULL;
    g->strata = NULL;
    g->buf = NULL;
    return 0;
}

static Guard *guard_push(lua_State *L)
{
    Guard *g = lua_newuserdatauv(L, sizeof *g, 0);
    memset(g, 0, sizeof *g);
    luaL_setmetatable(L, GUARD);
    return g;
}

/* Fits whose proportional-hazards test has not been asked for yet: a table
 * with weak keys (the fit) whose values hold what rad_cox_zph needs
 * {guard, kx, kidx, nfixed, pk}, so the data live exactly as long as the fit
 * or until the test is computed. */
#define PENDING "rad.cox.zph_pending"
static void pending_table(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, PENDING) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, PENDING);
}

static lua_Integer field_int(lua_State *L, int t, lua_Integer i)
{
    lua_rawgeti(L, t, i);
    lua_Integer v = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

static void set_number(lua_State *L, const char *key, double v)
{
    if (isnan(v))
        radl_push_na(L);
    else
        lua_pushnumber(L, v);
    lua_setfield(L, -2, key);
}

static void set_test(lua_State *L, const char *key, double chisq, size_t df, double p)
{
    lua_createtable(L, 0, 3);
    set_number(L, "chisq", chisq);
    lua_pushinteger(L, (lua_Integer)df);
    lua_setfield(L, -2, "df");
    set_number(L, "p", p);
    lua_setfield(L, -2, key);
}

/* The stratum key of row i of column c ("" for missing -> caller checks). */
static const char *stratum_key(const RadColumn *c, size_t i, char *buf, size_t size)
{
    if (c->type == RAD_COL_STR)
        return c->str[i];
    if (isnan(c->num[i]))
        return NULL;
    snprintf(buf, size, "%.17g", c->num[i]);
    return buf;
}

static const char *opt_column(lua_State *L, int idx, const char *key, const char *fname, int required)
{
    int ty = lua_getfield(L, idx, key);
    const char *s = NULL;
    if (ty == LUA_TSTRING)
        s = lua_tostring(L, -1); /* kept alive by the options table */
    else if (ty != LUA_TNIL || required)
        radl_fail(L, "%s: option %s must name a column (a string), got %s", fname, key, luaL_typename(L, -1));
    lua_pop(L, 1);
    return s;
}

static int l_cox(lua_State *L)
{
    static const char *const keys[] = {"time", "event", "x", "ties", "strata", "weights", "strict", "ref", "robust", NULL};
    static const char *fname = "rad.cox";
    const RadTable *t0 = radl_check_table(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    radl_check_keys(L, 2, fname, keys);
    if (t0->nrow == 0)
        return radl_fail(L, "%s: the table has no rows (was the CSV file only a header?)", fname);
    Guard *g = guard_push(L); /* 3 */
    RadCoxOptions o;
    rad_cox_options_default(&o);

    const char *tname = opt_column(L, 2, "time", fname, 1);
    const char *ename = opt_column(L, 2, "event", fname, 1);
    const char *sname = opt_column(L, 2, "strata", fname, 0);
    const char *wname = opt_column(L, 2, "weights", fname, 0);
    const char *ties = radl_opt_string(L, 2, "ties", "efron");
    if (strcmp(ties, "efron") == 0)
        o.ties = RAD_COX_EFRON;
    else if (strcmp(ties, "breslow") == 0)
        o.ties = RAD_COX_BRESLOW;
    else
        return radl_fail(L, "%s: ties must be \"efron\" or \"breslow\", got \"%s\"", fname, ties);

    if (lua_getfield(L, 2, "x") != LUA_TTABLE)
        return radl_fail(L, "%s: option x must be an array of covariate column names, got %s", fname,
                    luaL_typename(L, -1));
    int xidx = lua_gettop(L);
    size_t nx = (size_t)lua_rawlen(L, xidx);
    if (nx == 0)
        return radl_fail(L, "%s: option x is empty; name at least one covariate column", fname);
    g->names = calloc(nx + 4, sizeof *g->names);
    if (!g->names)
        return radl_fail(L, "%s: out of memory", fname);
    size_t nn = 0;
    g->names[nn++] = tname;
    g->names[nn++] = ename;
    if (wname)
        g->names[nn++] = wname;
    size_t nfixed = nn;
    for (size_t j = 1; j <= nx; j++) {
        if (lua_rawgeti(L, xidx, (lua_Integer)j) != LUA_TSTRING)
            return radl_fail(L, "%s: x[%d] must be a column name (a string), got %s", fname, (int)j, luaL_typename(L, -1));
        const char *nm = lua_tostring(L, -1);
        lua_pop(L, 1);
        for (size_t k = 0; k < nn; k++)
            if (strcmp(nm, g->names[k]) == 0)
                return radl_fail(L, "%s: column '%s' is listed twice (as %s and in x)", fname, nm,
                            k == 0 ? "time" : k == 1 ? "event" : k < nfixed ? "weights" : "another x entry");
        if (sname && strcmp(nm, sname) == 0)
            return radl_fail(L, "%s: column '%s' is both a stratum and a covariate", fname, nm);
        g->names[nn++] = nm;
    }
    for (size_t k = 0; k < nn; k++) {
        const RadColumn *c = k < nfixed ? rad_table_get_num(t0, g->names[k]) : rad_table_get(t0, g->names[k]);
        if (!c)
            return radl_fail(L, "%s: %s: %s", fname, k == 0 ? "time" : k == 1 ? "event" : k < nfixed ? "weights" : "x",
                        rad_error_message());
    }
    if (sname) {
        if (!rad_table_get(t0, sname))
            return radl_fail(L, "%s: strata: %s", fname, rad_error_message());
        g->names[nn] = sname;
    }
    g->t = rad_table_drop_na(t0, g->names, nn + (sname ? 1 : 0));
    if (!g->t)
        return radl_error(L);
    if (g->t->nrow == 0)
        return radl_fail(L, "%s: no complete rows (every row has a missing value in time, event, x%s)", fname,
                    sname || wname ? ", strata or weights" : "");
    if (lua_getfield(L, 2, "robust") != LUA_TNIL) {
        if (!lua_isboolean(L, -1))
            return radl_fail(L, "%s: option robust must be true or false, got %s", fname, luaL_typename(L, -1));
        o.robust = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    int strict = 0;
    if (lua_getfield(L, 2, "strict") != LUA_TNIL && !lua_isboolean(L, -1))
        return radl_fail(L, "%s: option strict must be true or false, got %s", fname, luaL_typename(L, -1));
    strict = lua_toboolean(L, -1);
    lua_pop(L, 1);
    const char **refs = radl_scratch(L, (nn + 1) * sizeof *refs);
    memset(refs, 0, (nn + 1) * sizeof *refs);
    radl_check_refs(L, 2, fname, g->names + nfixed, nn - nfixed, refs + nfixed);
    radl_warn_numeric_factors(L, t0, g->names + nfixed, nn - nfixed, fname);
    if (rad_table_design_ref(g->t, g->names, nn, 0, refs, &g->d) < 0)
        return radl_fail(L, "%s: %s", fname, rad_error_message());
    size_t n = g->d.n, p = g->d.p - nfixed;
    const double *time = g->d.x, *event = g->d.x + n, *w = wname ? g->d.x + 2 * n : NULL;
    for (size_t i = 0; i < n; i++) {
        size_t row = g->d.rows[i];
        if (time[i] < 0)
            return radl_fail(L, "%s: time '%s' is negative (%g) in row %zu of the complete rows; survival times must "
                        "be >= 0", fname, tname, time[i], row + 1);
        if (event[i] != 0 && event[i] != 1)
            return radl_fail(L, "%s: event '%s' must be 0 (censored) or 1 (event), but row %zu has %g; recode it",
                             fname, ename, row + 1, event[i]);
    }

    /* strata codes: distinct keys in sorted order */
    lua_newtable(L); /* levels array */
    int lvidx = lua_gettop(L);
    if (sname) {
        const RadColumn *sc = rad_table_get(g->t, sname);
        char kb[64];
        g->strata = malloc(n * sizeof *g->strata);
        if (!g->strata)
            return radl_fail(L, "%s: out of memory", fname);
        lua_newtable(L); /* key -> true */
        int setidx = lua_gettop(L);
        for (size_t i = 0; i < n; i++) {
            const char *k = stratum_key(sc, g->d.rows[i], kb, sizeof kb);
            lua_pushboolean(L, 1);
            lua_setfield(L, setidx, k ? k : "");
        }
        lua_getglobal(L, "table");
        lua_getfield(L, -1, "sort");
        lua_remove(L, -2);
        lua_pushvalue(L, lvidx);
        lua_pushnil(L);
        lua_Integer nl = 0;
        while (lua_next(L, setidx)) {
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            lua_rawseti(L, lvidx, ++nl);
        }
        lua_call(L, 1, 0);
        lua_pop(L, 1); /* the set */
        lua_newtable(L); /* key -> code */
        int codeidx = lua_gettop(L);
        for (lua_Integer k = 1; k <= nl; k++) {
            lua_rawgeti(L, lvidx, k);
            lua_pushinteger(L, k - 1);
            lua_settable(L, codeidx);
        }
        for (size_t i = 0; i < n; i++) {
            const char *k = stratum_key(sc, g->d.rows[i], kb, sizeof kb);
            lua_getfield(L, codeidx, k ? k : "");
            g->strata[i] = (int)lua_tointeger(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }

    const char *const *terms = (const char *const *)g->d.names + nfixed;
    if (n <= p)
        return radl_fail(L, "%s: only %zu complete row%s for %zu term%s; a Cox model needs more rows than terms (and "
                         "some events)", fname, n, n == 1 ? "" : "s", p, p == 1 ? "" : "s");
    /* terms that cannot be estimated are left out of the fit and reported as NA */
    int *kidx = radl_scratch(L, (p ? p : 1) * sizeof *kidx);
    int kidx_slot = lua_gettop(L);
    size_t pk = radl_alias_terms(L, g->d.x + nfixed * n, n, p, g->strata, terms, strict, fname, kidx);
    double *kx = radl_scratch(L, (n * pk > 0 ? n * pk : 1) * sizeof *kx);
    int kx_slot = lua_gettop(L);
    const char **knames = radl_scratch(L, (pk ? pk : 1) * sizeof *knames);
    for (size_t j = 0; j < p; j++)
        if (kidx[j] >= 0) {
            memcpy(kx + (size_t)kidx[j] * n, g->d.x + (nfixed + j) * n, n * sizeof *kx);
            knames[kidx[j]] = terms[j];
        }
    if (rad_cox_fit(time, event, kx, n, pk, w, g->strata, knames, &o, &g->fit) < 0)
        return radl_fail(L, "rad.%s", rad_error_message()); /* the engine's messages start "cox: " */
#define KV(a, j) (kidx[j] >= 0 ? (a)[kidx[j]] : NAN)

    RadCoxFit *f = &g->fit;
    lua_createtable(L, 0, 32);
    int m = lua_gettop(L);
    {
        static const char *const fields[] = {"coef", "se", "z", "p", "hr", "hr_lower", "hr_upper", "means"};
        const double *arr[] = {f->coef, f->se, f->z, f->pval, f->hr, f->hr_lower, f->hr_upper, f->means};
        for (int k = 0; k < 8; k++) {
            lua_createtable(L, 0, (int)p);
            for (size_t j = 0; j < p; j++)
                set_number(L, terms[j], KV(arr[k], j));
            lua_setfield(L, m, fields[k]);
        }
    }
    lua_pushboolean(L, f->robust);
    lua_setfield(L, m, "robust");
    if (f->robust) { /* the model-based se beside the robust one */
        lua_createtable(L, 0, (int)p);
        for (size_t j = 0; j < p; j++)
            set_number(L, terms[j], kidx[j] >= 0 ? sqrt(f->naive_var[(size_t)kidx[j] * (pk + 1)]) : NAN);
        lua_setfield(L, m, "naive_se");
    }
    lua_createtable(L, (int)p, 0);
    for (size_t j = 0; j < p; j++) {
        lua_pushstring(L, terms[j]);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, m, "terms");
    /* the covariates, and which terms each one made */
    lua_createtable(L, (int)nx, 0);
    lua_newtable(L); /* assign: term -> variable */
    lua_newtable(L); /* levels: variable -> {level = true} */
    for (size_t j = 0; j < nx; j++) {
        const char *v = g->names[nfixed + j];
        const RadColumn *c = rad_table_get(g->t, v);
        lua_pushstring(L, v);
        lua_rawseti(L, -4, (lua_Integer)j + 1);
        if (c && c->type == RAD_COL_STR) {
            lua_newtable(L);
            for (size_t i = 0; i < n; i++) {
                const char *s = c->str[g->d.rows[i]];
                if (s) {
                    lua_pushboolean(L, 1);
                    lua_setfield(L, -2, s);
                }
            }
            lua_setfield(L, -2, v);
        }
    }
    {
        /* walk the terms: a numeric variable makes one, a string variable its indicators */
        size_t tj = 0;
        for (size_t j = 0; j < nx && tj < p; j++) {
            const char *v = g->names[nfixed + j];
            const RadColumn *c = rad_table_get(g->t, v);
            size_t lv = strlen(v);
            if (c && c->type == RAD_COL_NUM) {
                lua_pushstring(L, v);
                lua_setfield(L, -3, terms[tj++]);
            } else {
                while (tj < p && strncmp(terms[tj], v, lv) == 0 && terms[tj][lv] == ':') {
                    lua_pushstring(L, v);
                    lua_setfield(L, -3, terms[tj++]);
                }
            }
        }
    }
    lua_setfield(L, m, "levels");
    lua_setfield(L, m, "assign");
    lua_setfield(L, m, "x");
    lua_pushstring(L, tname);
    lua_setfield(L, m, "time");
    lua_pushstring(L, ename);
    lua_setfield(L, m, "event");
    lua_pushstring(L, ties);
    lua_setfield(L, m, "ties");
    if (sname) {
        lua_pushstring(L, sname);
        lua_setfield(L, m, "strata");
        lua_pushvalue(L, lvidx);
        lua_setfield(L, m, "strata_levels");
    }
    if (wname) {
        lua_pushstring(L, wname);
        lua_setfield(L, m, "weights");
    }
    set_number(L, "loglik", f->loglik);
    set_number(L, "loglik0", f->loglik0);
    set_test(L, "wald", f->wald, pk, f->wald_p);
    set_test(L, "score", f->score, pk, f->score_p);
    set_test(L, "lr", f->lr, pk, f->lr_p);
    if (pk < p) {
        lua_createtable(L, 0, (int)(p - pk));
        for (size_t j = 0; j < p; j++)
            if (kidx[j] < 0) {
                lua_pushstring(L, kidx[j] == -1 ? "constant" : "aliased");
                lua_setfield(L, -2, terms[j]);
            }
        lua_setfield(L, m, "aliased");
    }
    set_number(L, "concordance", f->concordance);
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, m, "n");
    lua_pushinteger(L, (lua_Integer)f->nevent);
    lua_setfield(L, m, "nevent");
    lua_pushinteger(L, (lua_Integer)(t0->nrow - n));
    lua_setfield(L, m, "dropped");
    lua_pushinteger(L, f->iterations);
    lua_setfield(L, m, "iterations");
    /* baseline cumulative hazard at the means */
    lua_createtable(L, 0, 3);
    {
        lua_createtable(L, (int)f->nbase, 0);
        lua_createtable(L, (int)f->nbase, 0);
        lua_createtable(L, (int)f->nbase, 0);
        for (size_t q = 0; q < f->nbase; q++) {
            lua_pushnumber(L, f->base_time[q]);
            lua_rawseti(L, -4, (lua_Integer)q + 1);
            lua_pushnumber(L, f->base_cumhaz[q]);
            lua_rawseti(L, -3, (lua_Integer)q + 1);
            lua_pushinteger(L, f->base_stratum[q] + 1);
            lua_rawseti(L, -2, (lua_Integer)q + 1);
        }
        lua_setfield(L, -4, "stratum");
        lua_setfield(L, -3, "cumhaz");
        lua_setfield(L, -2, "time");
    }
    lua_setfield(L, m, "basehaz");
#undef KV
    /* the proportional-hazards test waits for its first use (ph_test below) */
    lua_createtable(L, 0, 5);
    lua_pushvalue(L, 3); /* the guard: the fit and the design */
    lua_rawseti(L, -2, 1);
    lua_pushvalue(L, kx_slot);
    lua_rawseti(L, -2, 2);
    lua_pushvalue(L, kidx_slot);
    lua_rawseti(L, -2, 3);
    lua_pushinteger(L, (lua_Integer)nfixed);
    lua_rawseti(L, -2, 4);
    lua_pushinteger(L, (lua_Integer)pk);
    lua_rawseti(L, -2, 5);
    pending_table(L);
    lua_pushvalue(L, m);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 2);
    if (f->warning[0]) {
        lua_pushstring(L, f->warning);
        lua_setfield(L, m, "warning");
        radl_warn(L, "rad.cox: %s", f->warning);
    }
    luaL_setmetatable(L, RADL_COX);
    return 1;
}

/* Pushes the fit's ph_test (cox.zph), computing it on the first call and
 * keeping it as the field ph_test; pushes nil for a table that rad.cox did
 * not make. */
static void push_ph_test(lua_State *L, int fit)
{
    fit = lua_absindex(L, fit);
    lua_pushliteral(L, "ph_test");
    if (lua_rawget(L, fit) != LUA_TNIL)
        return;
    lua_pop(L, 1);
    pending_table(L);
    int pend = lua_gettop(L);
    lua_pushvalue(L, fit);
    if (lua_rawget(L, pend) != LUA_TTABLE) {
        lua_settop(L, pend);
        lua_pushnil(L);
        lua_replace(L, pend);
        return;
    }
    int st = lua_gettop(L);
    lua_rawgeti(L, st, 1);
    Guard *g = luaL_checkudata(L, -1, GUARD);
    lua_pop(L, 1);
    lua_rawgeti(L, st, 2);
    const double *kx = lua_touserdata(L, -1);
    lua_pop(L, 1);
    lua_rawgeti(L, st, 3);
    const int *kidx = lua_touserdata(L, -1);
    lua_pop(L, 1);
    size_t nfixed = (size_t)field_int(L, st, 4), pk = (size_t)field_int(L, st, 5);
    size_t n = g->d.n, p = g->d.p - nfixed;
    const double *time = g->d.x, *event = g->d.x + n, *w = nfixed > 2 ? g->d.x + 2 * n : NULL;
    const char *const *terms = (const char *const *)g->d.names + nfixed;
    RadCoxFit *f = &g->fit;
    if (rad_cox_zph(time, event, kx, n, pk, w, g->strata, f) < 0)
        radl_fail(L, "Cox:zph: %s", rad_error_message());
#define KV(a, j) (kidx[j] >= 0 ? (a)[kidx[j]] : NAN)
    lua_createtable(L, 0, 4);
    lua_createtable(L, 0, (int)p);
    lua_createtable(L, 0, (int)p);
    for (size_t j = 0; j < p; j++) {
        set_number(L, terms[j], KV(f->zph_chisq, j));
        lua_insert(L, -2);
        set_number(L, terms[j], KV(f->zph_p, j));
        lua_insert(L, -2);
    }
    lua_setfield(L, -3, "chisq");
    lua_setfield(L, -2, "p");
    set_test(L, "global", f->zph_chisq[pk], pk, f->zph_p[pk]);
    lua_pushliteral(L, "km");
    lua_setfield(L, -2, "transform");
    /* per-event plotting data of cox.zph: time, x = 1 - KM(t-), y = {term = scaled residuals} */
    radl_push_numbers(L, f->zph_time, (int)f->zph_n);
    lua_setfield(L, -2, "time");
    radl_push_numbers(L, f->zph_x, (int)f->zph_n);
    lua_setfield(L, -2, "x");
    lua_createtable(L, 0, (int)p);
    for (size_t j = 0; j < p; j++) {
        if (kidx[j] < 0)
            continue;
        radl_push_numbers(L, f->zph_y + (size_t)kidx[j] * f->zph_n, (int)f->zph_n);
        lua_setfield(L, -2, terms[j]);
    }
#undef KV
    lua_setfield(L, -2, "y");
    lua_pushliteral(L, "ph_test");
    lua_pushvalue(L, -2);
    lua_rawset(L, fit);
    /* computed: the fit no longer needs its data */
    lua_pushvalue(L, fit);
    lua_pushnil(L);
    lua_rawset(L, pend);
    lua_replace(L, pend);
    lua_settop(L, pend);
}

/* __index: ph_test on its first use, else the methods (upvalue 1). */
static int m_index(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), "ph_test") == 0) {
        push_ph_test(L, 1);
        return 1;
    }
    lua_pushvalue(L, 2);
    lua_rawget(L, lua_upvalueindex(1));
    return 1;
}


/* ---- predict ------------------------------------------------------------------------- */

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

/* Linear predictor of row i of t (NaN when an input is missing). */
static double row_lp(lua_State *L, int m, const RadColumn **cols, const double *coef, const double *offset,
                     size_t nx, size_t i, const char *fname)
{
    double lp = 0;
    for (size_t j = 0; j < nx; j++) {
        const RadColumn *c = cols[j];
        if (c->type == RAD_COL_NUM) {
            if (isnan(c->num[i]))
                return NAN;
            lp += coef[j] * (c->num[i] - offset[j]);
        } else {
            const char *s = c->str[i];
            if (!s)
                return NAN;
            lp -= offset[j];
            lua_pushfstring(L, "%s:%s", c->name, s);
            double b = field_num(L, m, "coef", lua_tostring(L, -1));
            lua_pop(L, 1);
            if (!isnan(b)) {
                lp += b;
            } else {
                lua_getfield(L, m, "levels");
                lua_getfield(L, -1, c->name);
                int known = lua_istable(L, -1) && lua_getfield(L, -1, s) != LUA_TNIL;
                if (!known)
                    radl_fail(L, "%s: level '%s' of column '%s' (row %zu) was not in the data the model was fitted on",
                         fname, s, c->name, i + 1);
                lua_pop(L, 3);
            }
        }
    }
    return lp;
}

static int m_predict(lua_State *L)
{
    static const char *const keys[] = {"type", "times", NULL};
    static const char *fname = "Cox:predict";
    luaL_checktype(L, 1, LUA_TTABLE);
    const RadTable *t = radl_check_table(L, 2);
    const char *type = "lp";
    double *times = NULL;
    size_t ntimes = 0;
    lua_settop(L, 3);
    if (!lua_isnil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        radl_check_keys(L, 3, fname, keys);
        type = radl_opt_string(L, 3, "type", "lp");
    }
    int kind = strcmp(type, "lp") == 0 ? 0 : strcmp(type, "risk") == 0 ? 1 : strcmp(type, "survival") == 0 ? 2 : -1;
    if (kind < 0)
        return radl_fail(L, "%s: type must be \"lp\", \"risk\" or \"survival\", got \"%s\"", fname, type);
    if (lua_getfield(L, 1, "coef") != LUA_TTABLE)
        return radl_fail(L, "%s: not a fitted Cox model", fname);
    lua_pop(L, 1);
    lua_getfield(L, 1, "x");
    int xidx = lua_gettop(L);
    size_t nx = (size_t)lua_rawlen(L, xidx);
    /* per variable: column, coefficient (numeric) and centring offset */
    void *mem = lua_newuserdatauv(L, (nx ? nx : 1) * (sizeof(RadColumn *) + 2 * sizeof(double)), 0);
    const RadColumn **cols = mem;
    double *coef = (double *)(cols + nx), *offset = coef + nx;
    for (size_t j = 0; j < nx; j++) {
        lua_rawgeti(L, xidx, (lua_Integer)j + 1);
        const char *v = lua_tostring(L, -1);
        cols[j] = v ? rad_table_get(t, v) : NULL;
        if (!cols[j])
            return radl_fail(L, "%s: %s", fname, rad_error_message());
        coef[j] = offset[j] = 0;
        if (cols[j]->type == RAD_COL_NUM) {
            coef[j] = field_num(L, 1, "coef", v);
            offset[j] = field_num(L, 1, "means", v);
            if (isnan(coef[j]) && lua_getfield(L, 1, "aliased") == LUA_TTABLE &&
                lua_getfield(L, -1, v) == LUA_TSTRING) {
                coef[j] = offset[j] = 0; /* dropped from the fit: no effect, as R's predict.coxph */
            } else if (isnan(coef[j]) || isnan(offset[j])) {
                if (lua_getfield(L, 1, "levels") == LUA_TTABLE && lua_getfield(L, -1, v) == LUA_TTABLE)
                    return radl_fail(L, "%s: column '%s' is numeric here but was a string column when fitting", fname, v);
                return radl_fail(L, "%s: column '%s' has no fitted coefficient", fname, v);
            }
        } else {
            /* offset = sum over this variable's indicator terms of coef * mean */
            lua_getfield(L, 1, "assign");
            lua_pushnil(L);
            int found = 0;
            while (lua_next(L, -2)) {
                if (strcmp(lua_tostring(L, -1), v) == 0) {
                    const char *term = lua_tostring(L, -2);
                    double b = field_num(L, 1, "coef", term);
                    if (!isnan(b)) /* an aliased indicator (NA) has no effect */
                        offset[j] += b * field_num(L, 1, "means", term);
                    found = 1;
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
            lua_getfield(L, 1, "levels");
            if (!found && !(lua_getfield(L, -1, v) == LUA_TTABLE))
                return radl_fail(L, "%s: column '%s' is a string column here but was numeric when fitting", fname, v);
            lua_settop(L, xidx + 1);
        }
        lua_settop(L, xidx + 1);
    }
    const RadColumn *sc = NULL;
    if (kind == 2) {
        if (lua_getfield(L, 3, "times") != LUA_TTABLE)
            return radl_fail(L, "%s: type \"survival\" needs times = {t1, t2, ...}", fname);
        Guard *g = guard_push(L); /* owns times */
        g->buf = radl_check_numbers(L, -2, &ntimes);
        times = g->buf;
        if (ntimes == 0)
            return radl_fail(L, "%s: times is empty", fname);
        for (size_t k = 0; k < ntimes; k++)
            if (!isfinite(times[k]))
                return radl_fail(L, "%s: times[%zu] is missing or not finite", fname, k + 1);
        if (lua_getfield(L, 1, "strata") == LUA_TSTRING) {
            sc = rad_table_get(t, lua_tostring(L, -1));
            if (!sc)
                return radl_fail(L, "%s: the model is stratified: %s", fname, rad_error_message());
        }
        lua_pop(L, 1);
    }
    lua_createtable(L, (int)t->nrow, 0);
    int out = lua_gettop(L);
    if (kind == 2) {
        lua_getfield(L, 1, "basehaz");
        lua_getfield(L, -1, "time");
        lua_getfield(L, -2, "cumhaz");
        lua_getfield(L, -3, "stratum");
    }
    int bt = out + 2, bh = out + 3, bs = out + 4;
    lua_Integer nb = kind == 2 ? (lua_Integer)lua_rawlen(L, bt) : 0;
    for (size_t i = 0; i < t->nrow; i++) {
        double lp = row_lp(L, 1, cols, coef, offset, nx, i, fname);
        if (kind < 2) {
            if (isnan(lp))
                radl_push_na(L);
            else
                lua_pushnumber(L, kind == 0 ? lp : exp(lp));
        } else {
            lua_Integer s = 1;
            if (sc) {
                char kb[64];
                const char *k = stratum_key(sc, i, kb, sizeof kb);
                s = 0;
                if (k) {
                    lua_getfield(L, 1, "strata_levels");
                    for (lua_Integer q = 1; q <= (lua_Integer)lua_rawlen(L, -1) && !s; q++) {
                        lua_rawgeti(L, -1, q);
                        if (strcmp(lua_tostring(L, -1), k) == 0)
                            s = q;
                        lua_pop(L, 1);
                    }
                    lua_pop(L, 1);
                    if (!s)
                        return radl_fail(L, "%s: stratum '%s' (row %zu) was not in the data the model was fitted on",
                                    fname, k, i + 1);
                }
            }
            lua_createtable(L, (int)ntimes, 0);
            for (size_t k = 0; k < ntimes; k++) {
                if (isnan(lp) || s == 0) {
                    radl_push_na(L);
                } else {
                    double h = 0;
                    for (lua_Integer q = 1; q <= nb; q++) {
                        lua_rawgeti(L, bs, q);
                        lua_Integer qs = lua_tointeger(L, -1);
                        lua_rawgeti(L, bt, q);
                        double tq = lua_tonumber(L, -1);
                        lua_pop(L, 2);
                        if (qs != s)
                            continue;
                        if (tq > times[k])
                            break;
                        lua_rawgeti(L, bh, q);
                        h = lua_tonumber(L, -1);
                        lua_pop(L, 1);
                    }
                    lua_pushnumber(L, exp(-h * exp(lp)));
                }
                lua_rawseti(L, -2, (lua_Integer)k + 1);
            }
        }
        lua_rawseti(L, out, (lua_Integer)i + 1);
    }
    lua_settop(L, out);
    return 1;
}

static int m_zph(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    push_ph_test(L, 1);
    if (!lua_istable(L, -1))
        return radl_fail(L, "Cox:zph: not a Cox model fitted by rad.cox in this session (the test is computed from "
                         "the fitting data on first use; refit with rad.cox)");
    return 1;
}

/* A printed model is built line by line into the table at stack slot 2, not
 * in a luaL_Buffer: the fields read between the lines would sit on top of
 * the buffer's box, and once the buffer grows (a fit with many terms) it
 * would write through a stale pointer. */
static int m_tostring(lua_State *L)
{
    char line[512];
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_newtable(L); /* 2: the lines, joined at the end */
    lua_getfield(L, 1, "n");
    lua_getfield(L, 1, "nevent");
    lua_getfield(L, 1, "dropped");
    lua_getfield(L, 1, "ties");
    snprintf(line, sizeof line, "Cox proportional hazards (n = %d, events = %d, %d rows with missing values dropped, "
             "ties = %s)\n", (int)lua_tointeger(L, -4), (int)lua_tointeger(L, -3), (int)lua_tointeger(L, -2),
             lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
    lua_pop(L, 4);
    radl_lines_add(L, 2, line);
    lua_getfield(L, 1, "robust");
    snprintf(line, sizeof line, "%-20s %12s %10s %10s %8s %10s %23s\n", "term", "coef", "HR",
             lua_toboolean(L, -1) ? "robust SE" : "SE", "z", "p", "HR 95% CI");
    lua_pop(L, 1);
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
            snprintf(line, sizeof line, "%-20s %12.5g %10.4g %10.4g %8.3f %10.3g  [%9.4g, %9.4g]\n", term,
                     field_num(L, 1, "coef", term), field_num(L, 1, "hr", term), field_num(L, 1, "se", term),
                     field_num(L, 1, "z", term), field_num(L, 1, "p", term), field_num(L, 1, "hr_lower", term),
                     field_num(L, 1, "hr_upper", term));
            radl_lines_add(L, 2, line);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_getfield(L, 1, "concordance");
    lua_getfield(L, 1, "loglik");
    lua_getfield(L, 1, "loglik0");
    snprintf(line, sizeof line, "Concordance %.4f; log-likelihood %.6g (null %.6g)\n", lua_tonumber(L, -3),
             lua_tonumber(L, -2), lua_tonumber(L, -1));
    lua_pop(L, 3);
    radl_lines_add(L, 2, line);
    static const char *const tests[] = {"lr", "wald", "score"};
    static const char *const labels[] = {"Likelihood ratio test", "Wald test", "Score (logrank) test"};
    for (int k = 0; k < 3; k++) {
        snprintf(line, sizeof line, "%-22s = %.4g on %d df, p = %.3g%s", labels[k], field_num(L, 1, tests[k], "chisq"),
                 (int)field_num(L, 1, tests[k], "df"), field_num(L, 1, tests[k], "p"), k < 2 ? "\n" : "");
        radl_lines_add(L, 2, line);
    }
    if (lua_getfield(L, 1, "warning") == LUA_TSTRING) {
        snprintf(line, sizeof line, "\nwarning: %s", lua_tostring(L, -1));
        lua_pop(L, 1);
        radl_lines_add(L, 2, line);
    } else {
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    return radl_lines_join(L, 2);
}

/* ---- rad.cox_lrt ------------------------------------------------------------------- */

/* Field `key` of the fit at idx as a string ("" when absent). */
static const char *fit_string(lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    const char *v = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
    lua_pop(L, 1); /* the fit keeps the string alive */
    return v;
}

static double fit_number(lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    double v = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN;
    lua_pop(L, 1);
    return v;
}

/* Number of coefficients estimated (lr.df: terms left out as constant or aliased do not count). */
static double fit_df(lua_State *L, int idx)
{
    int top = lua_gettop(L);
    double v = NAN;
    if (lua_getfield(L, idx, "lr") == LUA_TTABLE && lua_getfield(L, -1, "df") == LUA_TNUMBER)
        v = lua_tonumber(L, -1);
    lua_settop(L, top);
    return v;
}

/* Is the value at idx a fit made by rad.cox (a table with the Cox metatable)? */
static int is_cox_fit(lua_State *L, int idx)
{
    if (!lua_istable(L, idx) || !lua_getmetatable(L, idx))
        return 0;
    luaL_getmetatable(L, RADL_COX);
    int yes = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return yes;
}

static int l_cox_lrt(lua_State *L)
{
    static const char *const role[] = {"small", "big"};
    for (int k = 1; k <= 2; k++)
        if (!is_cox_fit(L, k))
            radl_fail(L, "rad.cox_lrt: argument %d (%s model) must be a Cox fit from rad.cox, got %s", k, role[k - 1],
                      luaL_typename(L, k));
    lua_settop(L, 2);
    static const char *const same[] = {"time", "event", "strata", "weights", "ties"};
    for (int q = 0; q < 5; q++) {
        const char *a = fit_string(L, 1, same[q]), *b = fit_string(L, 2, same[q]);
        if (strcmp(a, b) != 0)
            radl_fail(L, "rad.cox_lrt: the fits differ in %s ('%s' vs '%s'); fit both models with the same time, "
                         "event, strata, weights and ties", same[q], a, b);
    }
    double n1 = fit_number(L, 1, "n"), n2 = fit_number(L, 2, "n");
    double e1 = fit_number(L, 1, "nevent"), e2 = fit_number(L, 2, "nevent");
    if (n1 != n2 || e1 != e2)
        radl_fail(L, "rad.cox_lrt: the fits are on different data: the small model used %g rows with %g events, the "
                     "big one %g rows with %g events (rows with a missing covariate are dropped); fit both on the "
                     "same rows, e.g. t:drop_na{...} with every covariate of the big model first", n1, e1, n2, e2);
    /* the log partial likelihood at beta = 0 depends only on the times,
     * events, strata and weights: a fingerprint of the data */
    double z1 = fit_number(L, 1, "loglik0"), z2 = fit_number(L, 2, "loglik0");
    if (fabs(z1 - z2) > 1e-9 * (1 + fabs(z1)))
        radl_fail(L, "rad.cox_lrt: the fits are on different data: the same number of rows and events but different "
                     "times or events (log partial likelihood at 0: %.10g vs %.10g); fit both on the same rows", z1,
                  z2);
    /* nested: every term of the small model is a term of the big one */
    lua_getfield(L, 1, "terms");
    lua_getfield(L, 2, "terms");
    size_t p1 = lua_istable(L, 3) ? (size_t)lua_rawlen(L, 3) : 0, p2 = lua_istable(L, 4) ? (size_t)lua_rawlen(L, 4) : 0;
    for (size_t i = 1; i <= p1; i++) {
        lua_rawgeti(L, 3, (lua_Integer)i);
        const char *term = lua_tostring(L, -1);
        int found = 0;
        for (size_t j = 1; j <= p2 && !found; j++) {
            lua_rawgeti(L, 4, (lua_Integer)j);
            found = term && lua_isstring(L, -1) && strcmp(term, lua_tostring(L, -1)) == 0;
            lua_pop(L, 1);
        }
        if (!found)
            radl_fail(L, "rad.cox_lrt: the models are not nested: term '%s' of the small model (argument 1) is not "
                         "in the big model (argument 2); the test compares a model with one that adds terms to it%s",
                      term ? term : "?", p1 > p2 ? " (give the smaller model first)" : "");
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    double df1 = fit_df(L, 1), df2 = fit_df(L, 2);
    lua_settop(L, 2);
    if (!(df2 > df1))
        radl_fail(L, "rad.cox_lrt: the big model estimates %g coefficient(s) and the small one %g; the big model "
                     "must add at least one estimated term", df2, df1);
    double ll1 = fit_number(L, 1, "loglik"), ll2 = fit_number(L, 2, "loglik"), chisq, p;
    if (rad_lr_test(ll1, ll2, df2 - df1, &chisq, &p) < 0)
        radl_fail(L, "rad.cox_lrt: %s", rad_error_message());
    lua_createtable(L, 0, 6);
    set_number(L, "chisq", chisq);
    lua_pushinteger(L, (lua_Integer)(df2 - df1));
    lua_setfield(L, -2, "df");
    set_number(L, "p", p);
    set_number(L, "loglik_small", ll1);
    set_number(L, "loglik_big", ll2);
    lua_pushinteger(L, (lua_Integer)n1);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, (lua_Integer)e1);
    lua_setfield(L, -2, "nevent");
    return 1;
}

void radl_open_cox(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"cox", l_cox,
         "cox(t, {time =, event =, x = {...}, ties = \"efron\"|\"breslow\", strata =, weights =, ref = {col = "
         "level}, strict = false, robust =}) -> Cox: Cox proportional-hazards model (as R's coxph; robust = true: "
         "sandwich variance, the default for non-integer weights as in R). Text columns in x become "
         "terms \"col:level\" against the reference level (ref, default the first in sorted order); a constant or "
         "aliased term is dropped with a warning and reported as NA (strict = true: an error). help(fit) lists the "
         "fields"},
        {"cox_lrt", l_cox_lrt,
         "rad.cox_lrt(small, big) -> {chisq, df, p, loglik_small, loglik_big, n, nevent}: likelihood-ratio test of "
         "nested Cox fits on the same rows: chisq = 2 (loglik_big - loglik_small), df = difference in estimated "
         "coefficients; refuses fits on different data or with a term of small missing from big"},
        {NULL, NULL, NULL}};
    static const RadlReg methods[] = {
        {"predict", m_predict,
         "predict(t [, {type = \"lp\"|\"risk\"|\"survival\", times = {...}}]) -> array: linear predictor "
         "centred at the fitting means, relative risk, or per-row survival at the times"},
        {"zph", m_zph,
         "zph() -> {chisq = {term = x}, p = {term = x}, global = {chisq, df, p}, time, x, y = {term = {...}}}: "
         "proportional-hazards test as R's cox.zph (transform \"km\"; 1 df per term) with its plot data, one row "
         "per event by time: time, x = 1 - KM(t-), y = scaled Schoenfeld residuals (coef + nevent * var * r). "
         "Computed on the first call (or the first read of fit.ph_test) and kept; until then the model holds its "
         "fitting data"},
        {NULL, NULL, NULL}};
    radl_guard_class(L, GUARD, guard_gc);
    luaL_newmetatable(L, RADL_COX);
    lua_newtable(L);
    radl_register(L, methods, "Cox:");
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "methods");
    lua_pushcclosure(L, m_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, m_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    radl_document_class(L, RADL_COX,
        "Cox: a fitted Cox proportional-hazards model (rad.cox), a Lua table whose fields are plain values.\n"
        "Per-term fields are keyed by term name (a numeric covariate, or \"column:level\" for a text one);\n"
        "a term left out as constant or aliased has rad.NA in each of them.\n"
        "  terms       {names}: the model terms in order\n"
        "  coef        {term = b}: log hazard ratios\n"
        "  se          {term = x}: standard errors (inverse information; robust sandwich when robust)\n"
        "  robust      true when se, z, p, CIs and the Wald test use the robust (Lin-Wei) variance\n"
        "              (option robust, default for non-integer weights); naive_se: the model-based se\n"
        "  z, p        {term = x}: Wald z and two-sided p\n"
        "  hr          {term = x}: hazard ratios exp(coef); hr_lower, hr_upper: 95% CI\n"
        "  means       {term = x}: column means of the fitting data (centre of the linear predictor)\n"
        "  aliased     {term = \"constant\"|\"aliased\"} or nil: terms dropped from the fit\n"
        "  x           {columns}: the covariates as given; assign {term = column}; levels {column = {level = true}}\n"
        "  time, event, ties, strata, strata_levels, weights: the options used\n"
        "  n, nevent   rows used and events; dropped: rows left out for missing values\n"
        "  loglik, loglik0   log partial likelihood at the estimate and at 0\n"
        "  wald, score, lr   {chisq, df, p}: the global tests (df = terms estimated)\n"
        "  concordance Harrell's C of the linear predictor; iterations: Newton-Raphson steps\n"
        "  basehaz     {time, cumhaz, stratum}: Breslow baseline cumulative hazard at the means\n"
        "  ph_test     cox.zph: {chisq = {term}, p = {term}, global, transform, time, x, y}; computed\n"
        "              on first use (fit.ph_test or fit:zph()), the model keeping its data until then\n"
        "  warning     text or nil: e.g. monotone likelihood\n"
        "methods: predict(t [, {type = \"lp\"|\"risk\"|\"survival\", times}]), zph(); print(fit) shows the coefficient table");
    radl_register(L, funcs, "rad.");
}
