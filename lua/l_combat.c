/* radlab: Lua binding of ComBat harmonisation.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fit, adjusted = rad.combat(t, {batch = "col", features = {...}, covariates = {...},
 *                                  parametric = true, mean_only = false})
 *   fit:apply(t2) -> Table
 *
 * The engine is src/stats/combat.c (Johnson et al. 2007 in sva::ComBat's
 * order).  A fit is a userdata box holding the engine object (so :apply uses
 * exactly the fitted numbers, whatever a script does to the fields) whose
 * user value is a Lua table of its fields: batches, features, covariates,
 * gamma and delta ({[batch] = {[feature] = value}}: the empirical-Bayes
 * estimates used), gamma_hat, delta_hat, priors, n, grand_mean, var_pooled.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"

#define RADL_COMBAT "rad.Combat"

static const char *const combat_keys[] = {"batch", "features", "covariates", "parametric", "mean_only", NULL};

/* Option `key` at idx as a boolean (nil: def). */
static int opt_bool(lua_State *L, int idx, const char *key, int def, const char *fname)
{
    int ty = lua_getfield(L, idx, key), v = def;
    if (ty == LUA_TBOOLEAN)
        v = lua_toboolean(L, -1);
    else if (ty != LUA_TNIL)
        radl_fail(L, "%s: option %s must be true or false, got %s", fname, key, luaL_typename(L, -1));
    lua_pop(L, 1);
    return v;
}

/* Option `key` at idx as a list of column names, pushed as a userdata array
 * of pointers into the option strings (which stay alive in the options
 * table); *n its length; NULL when the option is absent.  A single string is
 * taken as a list of one. */
static const char **opt_names(lua_State *L, int idx, const char *key, size_t *n, const char *fname)
{
    int ty = lua_getfield(L, idx, key);
    const char **v;
    *n = 0;
    if (ty == LUA_TNIL) {
        lua_pop(L, 1);
        return NULL;
    }
    if (ty == LUA_TSTRING) {
        v = radl_scratch(L, sizeof *v);
        v[0] = lua_tostring(L, -2);
        *n = 1;
        lua_remove(L, -2);
        return v;
    }
    if (ty != LUA_TTABLE)
        radl_fail(L, "%s: option %s must be a list of column names, got %s", fname, key, luaL_typename(L, -1));
    size_t len = lua_rawlen(L, -1);
    v = radl_scratch(L, (len + 1) * sizeof *v);
    for (size_t i = 0; i < len; i++) {
        if (lua_rawgeti(L, -2, (lua_Integer)i + 1) != LUA_TSTRING)
            radl_fail(L, "%s: %s[%zu] must be a column name (a string), got %s", fname, key, i + 1,
                      luaL_typename(L, -1));
        v[i] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    lua_remove(L, -2);
    *n = len;
    return v;
}

static int combat_gc(lua_State *L)
{
    void **box = luaL_checkudata(L, 1, RADL_COMBAT);
    rad_combat_free(*box);
    *box = NULL;
    return 0;
}

static void push_names(lua_State *L, char *const *names, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* {[batch] = {[feature] = v[b * p + j]}} */
static void push_by_batch(lua_State *L, const RadCombat *c, const double *v)
{
    lua_createtable(L, 0, (int)c->nb);
    for (size_t b = 0; b < c->nb; b++) {
        lua_createtable(L, 0, (int)c->p);
        for (size_t j = 0; j < c->p; j++) {
            lua_pushnumber(L, v[b * c->p + j]);
            lua_setfield(L, -2, c->features[j]);
        }
        lua_setfield(L, -2, c->batches[b]);
    }
}

static void push_by_feature(lua_State *L, const RadCombat *c, const double *v)
{
    lua_createtable(L, 0, (int)c->p);
    for (size_t j = 0; j < c->p; j++) {
        lua_pushnumber(L, v[j]);
        lua_setfield(L, -2, c->features[j]);
    }
}

/* The fields table of fit c. */
static void push_fields(lua_State *L, const RadCombat *c)
{
    lua_newtable(L);
    lua_pushstring(L, c->batch);
    lua_setfield(L, -2, "batch");
    push_names(L, c->batches, c->nb);
    lua_setfield(L, -2, "batches");
    push_names(L, c->features, c->p);
    lua_setfield(L, -2, "features");
    push_names(L, c->covariates, c->ncov);
    lua_setfield(L, -2, "covariates");
    lua_pushboolean(L, c->opt.parametric);
    lua_setfield(L, -2, "parametric");
    lua_pushboolean(L, c->opt.mean_only);
    lua_setfield(L, -2, "mean_only");
    push_by_batch(L, c, c->gamma_star);
    lua_setfield(L, -2, "gamma");
    push_by_batch(L, c, c->delta_star);
    lua_setfield(L, -2, "delta");
    push_by_batch(L, c, c->gamma_hat);
    lua_setfield(L, -2, "gamma_hat");
    push_by_batch(L, c, c->delta_hat);
    lua_setfield(L, -2, "delta_hat");
    push_by_feature(L, c, c->grand_mean);
    lua_setfield(L, -2, "grand_mean");
    push_by_feature(L, c, c->var_pooled);
    lua_setfield(L, -2, "var_pooled");
    lua_createtable(L, 0, (int)c->nb);
    for (size_t b = 0; b < c->nb; b++) {
        lua_pushinteger(L, (lua_Integer)c->batch_n[b]);
        lua_setfield(L, -2, c->batches[b]);
    }
    lua_setfield(L, -2, "n");
    lua_createtable(L, 0, (int)c->nb);
    for (size_t b = 0; b < c->nb; b++) {
        lua_createtable(L, 0, 5);
        lua_pushnumber(L, c->gamma_bar[b]);
        lua_setfield(L, -2, "gamma_bar");
        lua_pushnumber(L, c->t2[b]);
        lua_setfield(L, -2, "t2");
        if (!isnan(c->a_prior[b])) {
            lua_pushnumber(L, c->a_prior[b]);
            lua_setfield(L, -2, "a");
            lua_pushnumber(L, c->b_prior[b]);
            lua_setfield(L, -2, "b");
        }
        lua_pushinteger(L, c->iterations[b]);
        lua_setfield(L, -2, "iterations");
        lua_setfield(L, -2, c->batches[b]);
    }
    lua_setfield(L, -2, "priors");
}

static int l_combat(lua_State *L)
{
    const char *F = "rad.combat";
    const RadTable *t = radl_check_table(L, 1);
    RadCombatOptions o;
    size_t p = 0, ncov = 0;
    const char **features, **cov;
    const char *batch;
    if (!lua_istable(L, 2))
        return radl_fail(L, "%s: expected an options table {batch = \"column\", ...} as second argument, got %s", F,
                         luaL_typename(L, 2));
    radl_check_keys(L, 2, F, combat_keys);
    if (lua_getfield(L, 2, "batch") != LUA_TSTRING)
        return radl_fail(L, "%s: option batch must name the batch column (a string), got %s", F,
                         luaL_typename(L, -1));
    batch = lua_tostring(L, -1);
    lua_pop(L, 1); /* the string stays alive in the options table */
    o.parametric = opt_bool(L, 2, "parametric", 1, F);
    o.mean_only = opt_bool(L, 2, "mean_only", 0, F);
    cov = opt_names(L, 2, "covariates", &ncov, F);
    if (!cov)
        lua_pushnil(L);
    features = opt_names(L, 2, "features", &p, F);
    if (!features) { /* every numeric column but batch and covariates */
        features = radl_scratch(L, (t->ncol + 1) * sizeof *features);
        for (size_t k = 0; k < t->ncol; k++) {
            const char *name = t->cols[k].name;
            int skip = t->cols[k].type != RAD_COL_NUM || strcmp(name, batch) == 0;
            for (size_t m = 0; m < ncov && !skip; m++)
                skip = strcmp(name, cov[m]) == 0;
            if (!skip)
                features[p++] = name;
        }
    } else {
        for (size_t j = 0; j < p; j++) {
            const RadColumn *col = rad_table_get(t, features[j]);
            if (!col)
                return radl_fail(L, "%s: feature: %s", F, rad_error_message());
            if (col->type != RAD_COL_NUM)
                return radl_fail(L, "%s: feature '%s' holds text, not numbers; ComBat adjusts numeric features: "
                                 "leave it out of features (or convert it)",
                                 F, features[j]);
        }
    }
    void **box = lua_newuserdatauv(L, sizeof *box, 1); /* user value 1: the fields */
    *box = NULL;                                       /* safe to collect before it is filled */
    luaL_setmetatable(L, RADL_COMBAT);
    RadCombat *c = *box = rad_combat_fit(t, batch, features, p, cov, ncov, &o);
    if (!c)
        return radl_fail(L, "rad.%s", rad_error_message());
    push_fields(L, c);
    lua_setiuservalue(L, -2, 1);
    RadTable **tb = radl_table_push(L);
    if (!(*tb = rad_combat_apply(c, t)))
        return radl_fail(L, "rad.%s", rad_error_message());
    return 2;
}

static int m_apply(lua_State *L)
{
    const RadCombat *c = radl_box_check(L, 1, RADL_COMBAT);
    const RadTable *t = radl_check_table(L, 2);
    RadTable **tb = radl_table_push(L);
    if (!(*tb = rad_combat_apply(c, t))) {
        const char *msg = rad_error_message();
        if (strncmp(msg, "combat apply: ", 14) == 0)
            return radl_fail(L, "Combat:apply: %s", msg + 14);
        return radl_fail(L, "Combat:apply: %s", msg);
    }
    return 1;
}

/* __index: methods first (upvalue 1), then the fields (user value 1). */
static int m_index(lua_State *L)
{
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (lua_getiuservalue(L, 1, 1) != LUA_TTABLE)
        return 0;
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

static int m_tostring(lua_State *L)
{
    void **box = luaL_checkudata(L, 1, RADL_COMBAT);
    const RadCombat *c = *box;
    luaL_Buffer b;
    char buf[256];
    if (!c) {
        lua_pushliteral(L, "Combat (closed)");
        return 1;
    }
    luaL_buffinit(L, &b);
    snprintf(buf, sizeof buf, "ComBat harmonisation (%s%s) of %zu features by '%s', %zu batches:",
             c->opt.parametric ? "parametric" : "non-parametric", c->opt.mean_only ? ", mean only" : "", c->p,
             c->batch, c->nb);
    luaL_addstring(&b, buf);
    for (size_t k = 0; k < c->nb; k++) {
        snprintf(buf, sizeof buf, "%s %s (n = %zu)", k ? "," : "", c->batches[k], c->batch_n[k]);
        luaL_addstring(&b, buf);
    }
    luaL_addstring(&b, "; covariates protected: ");
    for (size_t k = 0; k < c->ncov; k++) {
        luaL_addstring(&b, k ? ", " : "");
        luaL_addstring(&b, c->covariates[k]);
    }
    if (c->ncov == 0)
        luaL_addstring(&b, "none");
    luaL_pushresult(&b);
    return 1;
}

void radl_open_combat(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"combat", l_combat,
         "rad.combat(t, {batch = \"col\", features = {cols} (default: every numeric column but batch and "
         "covariates), covariates = {cols}, parametric = true, mean_only = false}) -> fit, adjusted Table: ComBat "
         "batch harmonisation (Johnson et al. 2007, as sva::ComBat) protecting the covariates (text columns enter "
         "as indicators, first sorted level the reference); fit:apply(t2) adjusts new data"},
        {NULL, NULL, NULL}};
    static const RadlReg methods[] = {
        {"apply", m_apply,
         "Combat:apply(t) -> Table: t with its features adjusted by the fitted harmonisation, unchanged (a batch "
         "or covariate level not seen at fit time is an error)"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.");
    radl_new_class(L, RADL_COMBAT, methods, "Combat:", combat_gc, m_tostring);
    lua_getfield(L, -1, "__index");
    lua_pushcclosure(L, m_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    radl_document_class(L, RADL_COMBAT,
        "Combat: a fitted ComBat harmonisation (rad.combat).\n"
        "  apply(t)     t with its features adjusted by the fit (new data: a test set)\n"
        "  batch        the batch column; batches: its levels (sorted; a numeric batch as text keys); n: {[batch] = samples}\n"
        "  features     the adjusted columns; covariates: the protected columns\n"
        "  gamma, delta {[batch] = {[feature] = v}}: the empirical-Bayes location and scale used (gamma*, delta*)\n"
        "  gamma_hat, delta_hat  the same before shrinkage (per-batch mean and variance of the standardised data)\n"
        "  priors       {[batch] = {gamma_bar, t2, a, b, iterations}}: the priors (a, b absent when mean_only)\n"
        "  grand_mean, var_pooled  {[feature] = v}: the standardisation\n"
        "  parametric, mean_only   the options used");
}
