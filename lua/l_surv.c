/* radlab: rad.km, rad.logrank, rad.concordance, rad.compare_c, rad.td_auc, rad.brier (and the integrated Brier score).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lua face of src/stats/surv.c and compare.c (Kaplan-Meier as R survfit,
 * log-rank as R survdiff, Harrell's and Uno's C as R survival::concordance;
 * two scores' C compared as Hmisc rcorr.cens / rcorrp.cens; AUC(t) with
 * SEs and contrasts as riskRegression Score).
 *
 * rad.compare_c: delta = C_b - C_a is computed from the two C's; its SE
 * is the U-statistic S.D. (Hmisc's formula) of the per-pair differences of
 * the two scores' Dxy contributions, halved (Dxy = 2 C - 1); CI delta -/+ z
 * SE and p = 2 (1 - Phi(|delta| / SE)).  rcorrp.cens's own Dxy (dxy,
 * dxy_sd, dxy_p) is returned beside it: it counts the pairs in which one
 * score's difference exceeds the other's, which depends on the scales of
 * the scores and is not the difference in C.  Columns are
 * named in an options table; time and event must be numeric with no missing
 * values (the error names the row; t:drop_na fixes it), event coded 0/1.  A
 * group column may be numeric or text; its levels are sorted (numbers
 * ascending, text by byte order) and that order is the order of the curves,
 * of observed/expected and of the trend scores.
 *
 * A KM object is a Lua table (metatable rad.KM) whose fields are plain
 * numbers and arrays; the engine curves stay in a userdata field `_curves`
 * (freed by its __gc) for :at().
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"

#define RADL_KM "rad.KM"
#define KMBOX "rad.KM.curves"
#define SGUARD "rad.surv.guard"


/* ---- boxes ------------------------------------------------------------------------ */

typedef struct KmBox {
    size_t ncurve;
    RadKm *curves;
} KmBox;

static int kmbox_gc(lua_State *L)
{
    KmBox *b = luaL_checkudata(L, 1, KMBOX);
    for (size_t i = 0; i < b->ncurve; i++)
        rad_km_free(&b->curves[i]);
    free(b->curves);
    b->curves = NULL;
    b->ncurve = 0;
    return 0;
}

/* Scratch memory freed by __gc whatever happens. */
typedef struct SGuard {
    double *buf[8];
    int *ibuf;
    RadLogrank lr;
} SGuard;

static int sguard_gc(lua_State *L)
{
    SGuard *g = luaL_checkudata(L, 1, SGUARD);
    for (int i = 0; i < 8; i++) {
        free(g->buf[i]);
        g->buf[i] = NULL;
    }
    free(g->ibuf);
    g->ibuf = NULL;
    rad_logrank_free(&g->lr);
    return 0;
}

static SGuard *sguard_push(lua_State *L)
{
    SGuard *g = lua_newuserdatauv(L, sizeof *g, 0);
    memset(g, 0, sizeof *g);
    luaL_setmetatable(L, SGUARD);
    return g;
}

static double *gbuf(lua_State *L, SGuard *g, int slot, size_t n)
{
    g->buf[slot] = malloc((n ? n : 1) * sizeof(double));
    if (!g->buf[slot])
        radl_fail(L, "out of memory");
    return g->buf[slot];
}

/* ---- helpers --------------------------------------------------------------------- */

static void set_num(lua_State *L, const char *key, double v)
{
    if (isnan(v))
        radl_push_na(L);
    else
        lua_pushnumber(L, v);
    lua_setfield(L, -2, key);
}

/* The numeric column named by option `key` (required), with no missing values. */
static const RadColumn *num_column(lua_State *L, int oidx, const RadTable *t, const char *fname, const char *key)
{
    if (lua_getfield(L, oidx, key) != LUA_TSTRING)
        radl_fail(L, "%s: option %s must name a column (a string), got %s", fname, key, luaL_typename(L, -1));
    const char *name = lua_tostring(L, -1);
    lua_pop(L, 1);
    const RadColumn *c = rad_table_get_num(t, name);
    if (!c)
        radl_fail(L, "%s: %s: %s", fname, key, rad_error_message());
    for (size_t i = 0; i < t->nrow; i++)
        if (isnan(c->num[i]))
            radl_fail(L, "%s: %s column '%s' is missing in row %zu; drop incomplete rows first with t:drop_na({\"%s\"})",
                 fname, key, name, i + 1, name);
    return c;
}

/* Survival columns time/event into g->buf[0], g->buf[1] (checked). */
static void surv_columns(lua_State *L, int oidx, const RadTable *t, const char *fname, SGuard *g, double **tm,
                         double **ev)
{
    const RadColumn *ct = num_column(L, oidx, t, fname, "time");
    const RadColumn *ce = num_column(L, oidx, t, fname, "event");
    if (t->nrow == 0)
        radl_fail(L, "%s: the table has no rows", fname);
    *tm = gbuf(L, g, 0, t->nrow);
    *ev = gbuf(L, g, 1, t->nrow);
    memcpy(*tm, ct->num, t->nrow * sizeof(double));
    memcpy(*ev, ce->num, t->nrow * sizeof(double));
    for (size_t i = 0; i < t->nrow; i++) {
        if ((*tm)[i] < 0 || !isfinite((*tm)[i]))
            radl_fail(L, "%s: time column '%s' is %g in row %zu; survival times must be finite and >= 0", fname,
                 ct->name, (*tm)[i], i + 1);
        if ((*ev)[i] != 0 && (*ev)[i] != 1)
            radl_fail(L, "%s: event column '%s' is %g in row %zu; code events as 1 (event) and 0 (censored)", fname,
                 ce->name, (*ev)[i], i + 1);
    }
}

/* Group codes (0-based, sorted levels) into g->ibuf; pushes the array of
 * level values (numbers or strings).  Returns the number of levels. */
static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t group_codes(lua_State *L, int oidx, const RadTable *t, const char *fname, SGuard *g)
{
    if (lua_getfield(L, oidx, "group") != LUA_TSTRING)
        radl_fail(L, "%s: option group must name a column (a string), got %s", fname, luaL_typename(L, -1));
    const char *name = lua_tostring(L, -1);
    lua_pop(L, 1);
    const RadColumn *c = rad_table_get(t, name);
    size_t n = t->nrow, k = 0;
    if (!c)
        radl_fail(L, "%s: group: %s", fname, rad_error_message());
    g->ibuf = malloc((n ? n : 1) * sizeof(int));
    if (!g->ibuf)
        radl_fail(L, "%s: out of memory", fname);
    lua_newtable(L);
    if (c->type == RAD_COL_NUM) {
        double *lv = gbuf(L, g, 5, n);
        for (size_t i = 0; i < n; i++) {
            if (isnan(c->num[i]))
                radl_fail(L, "%s: group column '%s' is missing in row %zu; drop such rows first with t:drop_na", fname,
                     name, i + 1);
            lv[i] = c->num[i];
        }
        qsort(lv, n, sizeof *lv, cmp_dbl);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || lv[i] != lv[k - 1])
                lv[k++] = lv[i];
        for (size_t i = 0; i < n; i++) {
            size_t lo = 0, hi = k - 1;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (lv[mid] < c->num[i])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            g->ibuf[i] = (int)lo;
        }
        for (size_t j = 0; j < k; j++) {
            lua_pushnumber(L, lv[j]);
            lua_rawseti(L, -2, (lua_Integer)j + 1);
        }
    } else {
        const char **lv = lua_newuserdatauv(L, (n ? n : 1) * sizeof(char *), 0);
        for (size_t i = 0; i < n; i++) {
            if (!c->str[i])
                radl_fail(L, "%s: group column '%s' is missing in row %zu; drop such rows first with t:drop_na", fname,
                     name, i + 1);
            lv[i] = c->str[i];
        }
        qsort(lv, n, sizeof *lv, cmp_str);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || strcmp(lv[i], lv[k - 1]) != 0)
                lv[k++] = lv[i];
        for (size_t i = 0; i < n; i++) {
            size_t lo = 0, hi = k - 1;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (strcmp(lv[mid], c->str[i]) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            g->ibuf[i] = (int)lo;
        }
        lua_pop(L, 1);
        /* levels: first row of each code */
        for (size_t j = 0; j < k; j++)
            for (size_t i = 0; i < n; i++)
                if ((size_t)g->ibuf[i] == j) {
                    lua_pushstring(L, c->str[i]);
                    lua_rawseti(L, -2, (lua_Integer)j + 1);
                    break;
                }
    }
    return k;
}

/* ---- rad.km ------------------------------------------------------------------------- */

static void push_curve(lua_State *L, const RadKm *km)
{
    lua_newtable(L);
    lua_pushinteger(L, (lua_Integer)km->n);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, (lua_Integer)km->events);
    lua_setfield(L, -2, "events");
    radl_push_numbers_na(L, km->time, km->m);
    lua_setfield(L, -2, "time");
    radl_push_numbers_na(L, km->n_risk, km->m);
    lua_setfield(L, -2, "n_risk");
    radl_push_numbers_na(L, km->n_event, km->m);
    lua_setfield(L, -2, "n_event");
    radl_push_numbers_na(L, km->n_censor, km->m);
    lua_setfield(L, -2, "n_censor");
    radl_push_numbers_na(L, km->surv, km->m);
    lua_setfield(L, -2, "surv");
    radl_push_numbers_na(L, km->se, km->m);
    lua_setfield(L, -2, "se");
    radl_push_numbers_na(L, km->lower, km->m);
    lua_setfield(L, -2, "lower");
    radl_push_numbers_na(L, km->upper, km->m);
    lua_setfield(L, -2, "upper");
    set_num(L, "median", km->median);
    set_num(L, "median_lower", km->median_lower);
    set_num(L, "median_upper", km->median_upper);
}

static int l_km(lua_State *L)
{
    static const char *const keys[] = {"time", "event", "group", "conf", NULL};
    const RadTable *t = radl_check_table(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    radl_check_keys(L, 2, "rad.km", keys);
    double conf = radl_opt_number(L, 2, "conf", 0.95);
    if (!(conf > 0 && conf < 1))
        radl_fail(L, "rad.km: option conf must be between 0 and 1 (e.g. 0.95), got %g", conf);
    SGuard *g = sguard_push(L);
    double *tm, *ev;
    surv_columns(L, 2, t, "rad.km", g, &tm, &ev);
    size_t n = t->nrow, k = 1;
    int grouped = 0;
    lua_getfield(L, 2, "group");
    grouped = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (grouped)
        k = group_codes(L, 2, t, "rad.km", g); /* pushes levels */
    else
        lua_pushnil(L);
    int lvidx = lua_gettop(L);
    KmBox *box = lua_newuserdatauv(L, sizeof *box, 0);
    box->ncurve = 0;
    box->curves = NULL;
    luaL_setmetatable(L, KMBOX);
    int boxidx = lua_gettop(L);
    box->curves = calloc(k, sizeof *box->curves);
    if (!box->curves)
        radl_fail(L, "rad.km: out of memory");
    double *st = gbuf(L, g, 2, n), *se = gbuf(L, g, 3, n);
    for (size_t j = 0; j < k; j++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!grouped || (size_t)g->ibuf[i] == j) {
                st[m] = tm[i];
                se[m] = ev[i];
                m++;
            }
        int rc = rad_km_fit(st, se, m, conf, &box->curves[j]);
        box->ncurve = j + 1;
        if (rc < 0)
            radl_fail(L, "rad.km: %s", rad_error_message());
    }
    lua_newtable(L); /* the KM object */
    lua_pushvalue(L, boxidx);
    lua_setfield(L, -2, "_curves");
    lua_pushnumber(L, conf);
    lua_setfield(L, -2, "conf");
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -2, "n");
    if (!grouped) {
        push_curve(L, &box->curves[0]);
        lua_pushnil(L);
        while (lua_next(L, -2)) { /* copy the curve's fields onto the object */
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_settable(L, -5);
        }
        lua_createtable(L, 1, 0);
        lua_insert(L, -2);
        lua_rawseti(L, -2, 1);
        lua_setfield(L, -2, "curves");
    } else {
        lua_pushvalue(L, lvidx);
        lua_setfield(L, -2, "groups");
        lua_createtable(L, (int)k, 0);
        for (size_t j = 0; j < k; j++) {
            push_curve(L, &box->curves[j]);
            lua_rawgeti(L, lvidx, (lua_Integer)j + 1);
            lua_setfield(L, -2, "group");
            lua_rawseti(L, -2, (lua_Integer)j + 1);
        }
        lua_setfield(L, -2, "curves");
    }
    luaL_setmetatable(L, RADL_KM);
    return 1;
}

/* Push {surv, se, lower, upper, n_risk} of one curve at the times. */
static void push_at(lua_State *L, const RadKm *km, const double *times, size_t nt, int scalar)
{
    static const char *const names[] = {"surv", "se", "lower", "upper", "n_risk"};
    lua_newtable(L);
    if (scalar) {
        RadKmPoint p;
        rad_km_at(km, times[0], &p);
        set_num(L, "time", times[0]);
        set_num(L, "surv", p.surv);
        set_num(L, "se", p.se);
        set_num(L, "lower", p.lower);
        set_num(L, "upper", p.upper);
        set_num(L, "n_risk", p.n_risk);
        return;
    }
    radl_push_numbers_na(L, times, nt);
    lua_setfield(L, -2, "time");
    for (int f = 0; f < 5; f++) {
        lua_createtable(L, (int)nt, 0);
        for (size_t i = 0; i < nt; i++) {
            RadKmPoint p;
            rad_km_at(km, times[i], &p);
            double v = f == 0 ? p.surv : f == 1 ? p.se : f == 2 ? p.lower : f == 3 ? p.upper : p.n_risk;
            if (isnan(v))
                radl_push_na(L);
            else
                lua_pushnumber(L, v);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, -2, names[f]);
    }
}

static int m_km_at(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "_curves");
    KmBox *box = luaL_testudata(L, -1, KMBOX);
    if (!box || !box->curves)
        radl_fail(L, "KM:at: not a KM object made by rad.km");
    int scalar = lua_type(L, 2) == LUA_TNUMBER;
    SGuard *g = sguard_push(L);
    double *times;
    size_t nt;
    if (scalar) {
        times = gbuf(L, g, 0, 1);
        times[0] = lua_tonumber(L, 2);
        nt = 1;
    } else if (lua_istable(L, 2)) {
        g->buf[0] = radl_check_numbers(L, 2, &nt);
        times = g->buf[0];
    } else {
        return radl_fail(L, "KM:at(times): times must be a number or an array of numbers, got %s", luaL_typename(L, 2));
    }
    for (size_t i = 0; i < nt; i++)
        if (isnan(times[i]))
            radl_fail(L, "KM:at: time %zu is missing; give numbers", i + 1);
    lua_getfield(L, 1, "groups");
    if (lua_isnil(L, -1)) {
        push_at(L, &box->curves[0], times, nt, scalar);
        return 1;
    }
    int lv = lua_gettop(L);
    lua_newtable(L);
    for (size_t j = 0; j < box->ncurve; j++) {
        lua_rawgeti(L, lv, (lua_Integer)j + 1);
        push_at(L, &box->curves[j], times, nt, scalar);
        lua_settable(L, -3);
    }
    return 1;
}

static int m_km_tostring(lua_State *L)
{
    luaL_Buffer b;
    char line[256];
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "_curves");
    KmBox *box = luaL_testudata(L, -1, KMBOX);
    if (!box || !box->curves) {
        lua_pushliteral(L, "KM (empty)");
        return 1;
    }
    lua_getfield(L, 1, "groups");
    int lv = lua_gettop(L);
    luaL_buffinit(L, &b);
    snprintf(line, sizeof line, "Kaplan-Meier: %zu curve%s\n%-12s %6s %7s %9s %9s %9s\n", box->ncurve,
             box->ncurve == 1 ? "" : "s", "group", "n", "events", "median", "lower", "upper");
    luaL_addstring(&b, line);
    for (size_t j = 0; j < box->ncurve; j++) {
        const RadKm *k = &box->curves[j];
        const char *name = "all";
        if (!lua_isnil(L, lv)) {
            lua_rawgeti(L, lv, (lua_Integer)j + 1);
            if (lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) == floor(lua_tonumber(L, -1))
                && fabs(lua_tonumber(L, -1)) < 1e15)
                lua_pushfstring(L, "%I", (LUA_INTEGER)lua_tonumber(L, -1)); /* group 1, not 1.0 */
            else
                luaL_tolstring(L, -1, NULL);
            name = lua_tostring(L, -1); /* stays on the stack until popped below */
        }
        char med[3][32];
        const double mv[3] = {k->median, k->median_lower, k->median_upper};
        for (int q = 0; q < 3; q++) {
            if (isnan(mv[q]))
                snprintf(med[q], sizeof med[q], "NA");
            else
                snprintf(med[q], sizeof med[q], "%.4g", mv[q]);
        }
        snprintf(line, sizeof line, "%-12.12s %6zu %7zu %9s %9s %9s\n", name, k->n, k->events, med[0], med[1],
                 med[2]);
        if (!lua_isnil(L, lv))
            lua_pop(L, 2);
        luaL_addstring(&b, line);
    }
    luaL_pushresult(&b);
    return 1;
}

/* ---- rad.logrank ------------------------------------------------------------------- */

static int l_logrank(lua_State *L)
{
    static const char *const keys[] = {"time", "event", "group", "trend", "scores", NULL};
    const RadTable *t = radl_check_table(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    radl_check_keys(L, 2, "rad.logrank", keys);
    SGuard *g = sguard_push(L);
    double *tm, *ev, *scores = NULL;
    surv_columns(L, 2, t, "rad.logrank", g, &tm, &ev);
    lua_getfield(L, 2, "group");
    if (lua_isnil(L, -1))
        radl_fail(L, "rad.logrank: option group is required (the column whose levels are compared)");
    lua_pop(L, 1);
    size_t k = group_codes(L, 2, t, "rad.logrank", g);
    int lv = lua_gettop(L);
    if (k < 2)
        radl_fail(L, "rad.logrank: the group column has only %zu level; the test compares 2 or more", k);
    lua_getfield(L, 2, "trend");
    int trend = lua_toboolean(L, -1);
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
        radl_fail(L, "rad.logrank: option trend must be true or false, got %s", luaL_typename(L, -1));
    lua_pop(L, 1);
    lua_getfield(L, 2, "scores");
    if (!lua_isnil(L, -1)) {
        size_t ns;
        if (!lua_istable(L, -1))
            radl_fail(L, "rad.logrank: option scores must be an array of %zu numbers (one per sorted group level)", k);
        g->buf[4] = radl_check_numbers(L, -1, &ns);
        if (ns != k)
            radl_fail(L, "rad.logrank: option scores has %zu values but the group has %zu levels", ns, k);
        scores = g->buf[4];
        trend = 1;
    } else if (trend) {
        scores = gbuf(L, g, 4, k);
        for (size_t j = 0; j < k; j++) {
            lua_rawgeti(L, lv, (lua_Integer)j + 1);
            scores[j] = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : (double)(j + 1);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    if (rad_logrank(tm, ev, g->ibuf, t->nrow, k, scores, &g->lr) < 0)
        radl_fail(L, "rad.logrank: %s", rad_error_message());
    lua_newtable(L);
    set_num(L, "chisq", g->lr.chisq);
    set_num(L, "df", g->lr.df);
    set_num(L, "p", g->lr.p);
    lua_pushboolean(L, trend);
    lua_setfield(L, -2, "trend");
    lua_pushvalue(L, lv);
    lua_setfield(L, -2, "groups");
    radl_push_numbers_na(L, g->lr.n, k);
    lua_setfield(L, -2, "n");
    radl_push_numbers_na(L, g->lr.observed, k);
    lua_setfield(L, -2, "observed");
    radl_push_numbers_na(L, g->lr.expected, k);
    lua_setfield(L, -2, "expected");
    if (scores) {
        radl_push_numbers_na(L, scores, k);
        lua_setfield(L, -2, "scores");
    }
    return 1;
}

/* ---- rad.concordance ---------------------------------------------------------------- */

static int l_concordance(lua_State *L)
{
    static const char *const keys[] = {"time", "event", "score", "tau", NULL};
    const RadTable *t = radl_check_table(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    radl_check_keys(L, 2, "rad.concordance", keys);
    double tau = radl_opt_number(L, 2, "tau", 0);
    if (isnan(tau) || tau < 0)
        radl_fail(L, "rad.concordance: option tau (truncation time) must be a positive number");
    SGuard *g = sguard_push(L);
    double *tm, *ev, *sc;
    surv_columns(L, 2, t, "rad.concordance", g, &tm, &ev);
    int ty = lua_getfield(L, 2, "score");
    if (ty == LUA_TSTRING) {
        const char *name = lua_tostring(L, -1);
        const RadColumn *c = rad_table_get_num(t, name);
        if (!c)
            radl_fail(L, "rad.concordance: score: %s", rad_error_message());
        sc = gbuf(L, g, 2, t->nrow);
        memcpy(sc, c->num, t->nrow * sizeof(double));
    } else if (ty == LUA_TTABLE) {
        size_t ns;
        g->buf[2] = radl_check_numbers(L, -1, &ns);
        sc = g->buf[2];
        if (ns != t->nrow)
            radl_fail(L, "rad.concordance: the score array has %zu values but the table has %zu rows", ns, t->nrow);
    } else {
        return radl_fail(L, "rad.concordance: option score must be a column name or an array of numbers (higher = "
                       "higher risk), got %s",
                    luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    for (size_t i = 0; i < t->nrow; i++)
        if (!isfinite(sc[i]))
            radl_fail(L, "rad.concordance: the score is %s in row %zu; drop such rows first", isnan(sc[i]) ? "missing" :
                 "infinite", i + 1);
    RadConcordance c;
    if (rad_concordance(tm, ev, sc, t->nrow, tau, &c) < 0)
        radl_fail(L, "rad.concordance: %s", rad_error_message());
    lua_newtable(L);
    set_num(L, "harrell", c.harrell);
    set_num(L, "harrell_se", c.harrell_se);
    set_num(L, "uno", c.uno);
    set_num(L, "uno_se", c.uno_se);
    set_num(L, "concordant", c.concordant);
    set_num(L, "discordant", c.discordant);
    set_num(L, "tied_score", c.tied_score);
    set_num(L, "tied_time", c.tied_time);
    set_num(L, "comparable", c.comparable);
    lua_pushinteger(L, (lua_Integer)c.n);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, (lua_Integer)c.events);
    lua_setfield(L, -2, "events");
    if (isfinite(c.tau))
        set_num(L, "tau", c.tau);
    return 1;
}

/* ---- rad.td_auc, rad.brier --------------------------------------------------------- */

/* The numeric column or array of option `key` (one value per row) into g->buf[slot]. */
static double *row_values(lua_State *L, int oidx, const RadTable *t, const char *fname, const char *key, SGuard *g,
                          int slot)
{
    int ty = lua_getfield(L, oidx, key);
    double *v;
    if (ty == LUA_TSTRING) {
        const RadColumn *c = rad_table_get_num(t, lua_tostring(L, -1));
        if (!c)
            radl_fail(L, "%s: %s: %s", fname, key, rad_error_message());
        v = gbuf(L, g, slot, t->nrow);
        memcpy(v, c->num, t->nrow * sizeof(double));
    } else if (ty == LUA_TTABLE) {
        size_t nv;
        g->buf[slot] = radl_check_numbers(L, -1, &nv);
        v = g->buf[slot];
        if (nv != t->nrow)
            radl_fail(L, "%s: the %s array has %zu values but the table has %zu rows", fname, key, nv, t->nrow);
    } else {
        radl_fail(L, "%s: option %s must be a column name or an array of numbers (one per row), got %s", fname, key,
             luaL_typename(L, -1));
        return NULL;
    }
    lua_pop(L, 1);
    for (size_t i = 0; i < t->nrow; i++)
        if (isnan(v[i]))
            radl_fail(L, "%s: %s is missing in row %zu; drop such rows first", fname, key, i + 1);
    return v;
}

static int l_td_auc(lua_State *L)
{
    static const char *const keys[] = {"time", "event", "score", "times", "score2", "conf", NULL};
    const RadTable *t = radl_check_table(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    radl_check_keys(L, 2, "rad.td_auc", keys);
    double conf = radl_opt_number(L, 2, "conf", 0.95);
    if (!(conf > 0 && conf < 1))
        radl_fail(L, "rad.td_auc: option conf (confidence level) must be between 0 and 1, e.g. 0.95; got %g", conf);
    SGuard *g = sguard_push(L);
    double *tm, *ev, *times, *sc2 = NULL;
    size_t nt;
    surv_columns(L, 2, t, "rad.td_auc", g, &tm, &ev);
    double *sc = row_values(L, 2, t, "rad.td_auc", "score", g, 2);
    int ty2 = lua_getfield(L, 2, "score2");
    lua_pop(L, 1);
    if (ty2 != LUA_TNIL)
        sc2 = row_values(L, 2, t, "rad.td_auc", "score2", g, 6);
    int ty = lua_getfield(L, 2, "times");
    if (ty == LUA_TNUMBER) {
        times = gbuf(L, g, 3, 1);
        times[0] = lua_tonumber(L, -1);
        nt = 1;
    } else if (ty == LUA_TTABLE) {
        g->buf[3] = radl_check_numbers(L, -1, &nt);
        times = g->buf[3];
        if (nt == 0)
            radl_fail(L, "rad.td_auc: option times is empty; give at least one time point");
    } else {
        return radl_fail(L, "rad.td_auc: option times must be a number or an array of time points, got %s",
                    luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    for (size_t k = 0; k < nt; k++)
        if (!isfinite(times[k]) || times[k] < 0)
            radl_fail(L, "rad.td_auc: times[%zu] is %g; time points must be finite numbers >= 0 within the follow-up",
                      k + 1, times[k]);
    /* one array per result field, filled time by time */
    static const char *const f1[] = {"auc", "se", "lower", "upper", "cases", "controls"};
    static const char *const f2[] = {"auc2", "se2", "lower2", "upper2", "delta", "se_delta", "delta_lower",
                                     "delta_upper", "p"};
    size_t nf = sc2 ? 15 : 6;
    lua_newtable(L);
    int res = lua_gettop(L);
    for (size_t f = 0; f < nf; f++)
        lua_createtable(L, (int)nt, 0);
    for (size_t k = 0; k < nt; k++) {
        RadTdAucCompare r;
        if (rad_td_auc_compare(tm, ev, sc, sc2, t->nrow, times[k], conf, &r) < 0)
            radl_fail(L, "rad.td_auc: %s", rad_error_message());
        double v[15] = {r.auc1, r.se1, r.lower1, r.upper1, (double)r.cases, (double)r.controls, r.auc2, r.se2,
                        r.lower2, r.upper2, r.delta, r.se_delta, r.lower, r.upper, r.p};
        for (size_t f = 0; f < nf; f++) {
            if (f == 4 || f == 5)
                lua_pushinteger(L, (lua_Integer)v[f]);
            else
                lua_pushnumber(L, v[f]);
            lua_rawseti(L, res + 1 + (int)f, (lua_Integer)k + 1);
        }
    }
    for (size_t f = nf; f-- > 0;)
        lua_setfield(L, res, f < 6 ? f1[f] : f2[f - 6]);
    radl_push_numbers_na(L, times, nt);
    lua_setfield(L, -2, "times");
    set_num(L, "conf", conf);
    return 1;
}

/* ---- rad.compare_c ------------------------------------------------------------------- */

/* Option `key` of rad.compare_c: a column of the optional table t or an
 * array of numbers, into g->buf[slot]; *n is set by the first vector read
 * and checked against by the others. */
static double *cc_vector(lua_State *L, const char *fname, const RadTable *t, const char *key, SGuard *g, int slot,
                         size_t *n, const char *first)
{
    int ty = lua_getfield(L, 1, key);
    double *v;
    size_t nv;
    if (ty == LUA_TSTRING) {
        if (!t)
            radl_fail(L, "%s: %s = '%s' names a column, but no table was given; pass data = t or an "
                         "array of numbers", fname, key, lua_tostring(L, -1));
        const RadColumn *c = rad_table_get_num(t, lua_tostring(L, -1));
        if (!c)
            radl_fail(L, "%s: %s: %s", fname, key, rad_error_message());
        nv = t->nrow;
        v = gbuf(L, g, slot, nv);
        memcpy(v, c->num, nv * sizeof(double));
    } else if (ty == LUA_TTABLE) {
        nv = (size_t)lua_rawlen(L, -1);
        v = gbuf(L, g, slot, nv);
        for (size_t i = 0; i < nv; i++) {
            int et = lua_rawgeti(L, -1, (lua_Integer)i + 1);
            if (et == LUA_TNUMBER)
                v[i] = lua_tonumber(L, -1);
            else if (et == LUA_TNIL || radl_is_na(L, -1))
                v[i] = NAN;
            else
                radl_fail(L, "%s: %s[%zu] is %s; give numbers (rad.NA for missing)", fname, key, i + 1,
                          luaL_typename(L, -1));
            lua_pop(L, 1);
        }
    } else if (ty == LUA_TNIL) {
        radl_fail(L, "%s: option %s is required (%s)", fname, key,
                         strcmp(key, "time") == 0    ? "follow-up times: a column name or an array"
                         : strcmp(key, "event") == 0 ? "1 = event, 0 = censored: a column name or an array"
                                                     : "a risk score, higher = higher risk: a column name or an "
                                                       "array");
        return NULL;
    } else {
        radl_fail(L, "%s: option %s must be a column name or an array of numbers, got %s", fname, key,
                  luaL_typename(L, -1));
        return NULL;
    }
    lua_pop(L, 1);
    if (*n == (size_t)-1)
        *n = nv;
    else if (nv != *n)
        radl_fail(L, "%s: %s has %zu values but %s has %zu; give one value per patient in each", fname, key, nv,
                  first, *n);
    return v;
}

/* The data option and the vectors named by vk[0..nv-1] (time, event, then
 * the predictions) of the options table at 1, with no missing value. */
static size_t cc_inputs(lua_State *L, const char *fname, const char *const *vk, int nv, SGuard *g, double **v)
{
    const RadTable *t = NULL;
    if (lua_getfield(L, 1, "data") != LUA_TNIL) {
        if (!luaL_testudata(L, -1, RADL_TABLE))
            radl_fail(L, "%s: option data must be a Table (rad.read_csv, rad.table.new), got %s", fname,
                      luaL_typename(L, -1));
        t = radl_check_table(L, -1);
    }
    lua_pop(L, 1);
    size_t n = (size_t)-1;
    for (int k = 0; k < nv; k++)
        v[k] = cc_vector(L, fname, t, vk[k], g, k, &n, vk[0]);
    if (n == 0)
        radl_fail(L, "%s: no patients (the arrays are empty)", fname);
    size_t nmiss = 0, first = 0;
    int firstk = 0;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < nv; k++)
            if (isnan(v[k][i])) {
                if (nmiss++ == 0) {
                    first = i;
                    firstk = k;
                }
                break;
            }
    if (nmiss)
        radl_fail(L, "%s: %zu of %zu patients %s a missing value in %s, %s, %s or %s (the first: %s in row %zu); both "
                     "predictions must be compared on the same patients, so drop those rows first (t:drop_na{...})",
                  fname, nmiss, n, nmiss == 1 ? "has" : "have", vk[0], vk[1], vk[2], vk[3], vk[firstk], first + 1);
    return n;
}

static int l_compare_c(lua_State *L)
{
    static const char *const keys[] = {"data", "time", "event", "a", "b", "conf", NULL};
    static const char *const vk[] = {"time", "event", "a", "b"};
    luaL_checktype(L, 1, LUA_TTABLE);
    radl_check_keys(L, 1, "rad.compare_c", keys);
    double conf = radl_opt_number(L, 1, "conf", 0.95);
    if (!(conf > 0 && conf < 1))
        radl_fail(L, "rad.compare_c: option conf (confidence level) must be between 0 and 1, e.g. 0.95; got %g",
                  conf);
    SGuard *g = sguard_push(L);
    double *v[4];
    size_t n = cc_inputs(L, "rad.compare_c", vk, 4, g, v);
    RadCCompare r;
    if (rad_concordance_compare(v[0], v[1], v[2], v[3], n, conf, &r) < 0)
        radl_fail(L, "rad.compare_c: %s", rad_error_message());
    lua_newtable(L);
    set_num(L, "c_a", r.c_a);
    set_num(L, "se_a", r.sd_dxy_a / 2);
    set_num(L, "lower_a", r.lower_a);
    set_num(L, "upper_a", r.upper_a);
    set_num(L, "c_b", r.c_b);
    set_num(L, "se_b", r.sd_dxy_b / 2);
    set_num(L, "lower_b", r.lower_b);
    set_num(L, "upper_b", r.upper_b);
    set_num(L, "delta", r.delta);
    set_num(L, "se_delta", r.se_delta);
    set_num(L, "lower", r.lower);
    set_num(L, "upper", r.upper);
    set_num(L, "p", r.p);
    set_num(L, "dxy", r.dxy);
    set_num(L, "dxy_sd", r.dxy_sd);
    set_num(L, "dxy_p", r.dxy_p);
    set_num(L, "a_more", r.a_more);
    set_num(L, "b_more", r.b_more);
    set_num(L, "pairs", r.pairs);
    set_num(L, "conf", conf);
    lua_pushinteger(L, (lua_Integer)r.n);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, (lua_Integer)r.events);
    lua_setfield(L, -2, "events");
    lua_pushliteral(L, "U-statistic (Hmisc rcorr.cens / rcorrp.cens)");
    lua_setfield(L, -2, "method");
    return 1;
}

/* ---- rad.nri ------------------------------------------------------------------------- */

static int l_nri(lua_State *L)
{
    static const char *const keys[] = {"data", "time", "event", "a", "b", "at", "cuts", "boot", "seed", "conf", NULL};
    static const char *const vk[] = {"time", "event", "a", "b"};
    luaL_checktype(L, 1, LUA_TTABLE);
    radl_check_keys(L, 1, "rad.nri", keys);
    if (lua_getfield(L, 1, "at") != LUA_TNUMBER)
        radl_fail(L, "rad.nri: option at (the time point of the reclassification) must be a number, got %s",
                  luaL_typename(L, -1));
    double at = lua_tonumber(L, -1);
    lua_pop(L, 1);
    double conf = radl_opt_number(L, 1, "conf", 0.95);
    if (!(conf > 0 && conf < 1))
        radl_fail(L, "rad.nri: option conf (confidence level) must be between 0 and 1, e.g. 0.95; got %g", conf);
    lua_Integer boot = radl_opt_integer(L, 1, "boot", 0), seed = radl_opt_integer(L, 1, "seed", 1);
    if (boot < 0 || boot == 1 || boot > 100000)
        radl_fail(L, "rad.nri: option boot (bootstrap resamples) must be 0 (none) or 2 to 100000, e.g. 1000; got "
                     "%lld", (long long)boot);
    if (seed < 0)
        radl_fail(L, "rad.nri: option seed must be a non-negative integer, got %lld", (long long)seed);
    SGuard *g = sguard_push(L);
    double *v[4], *cuts = NULL;
    size_t ncut = 0;
    int ty = lua_getfield(L, 1, "cuts");
    if (ty == LUA_TTABLE) {
        ncut = (size_t)lua_rawlen(L, -1);
        if (ncut == 0)
            radl_fail(L, "rad.nri: option cuts is empty; give the risk cut points, e.g. {0.1, 0.2}, or leave cuts "
                         "out for the continuous NRI");
        cuts = gbuf(L, g, 4, ncut);
        for (size_t k = 0; k < ncut; k++) {
            if (lua_rawgeti(L, -1, (lua_Integer)k + 1) != LUA_TNUMBER)
                radl_fail(L, "rad.nri: cuts[%zu] is %s; cut points are numbers (predicted risks)", k + 1,
                          luaL_typename(L, -1));
            cuts[k] = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
    } else if (ty != LUA_TNIL) {
        radl_fail(L, "rad.nri: option cuts must be an array of increasing risk cut points, got %s",
                  luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    size_t n = cc_inputs(L, "rad.nri", vk, 4, g, v);
    RadNri r;
    if (rad_nri(v[0], v[1], v[2], v[3], n, at, cuts, ncut, (size_t)boot, (unsigned long)seed, conf, &r) < 0)
        radl_fail(L, "rad.nri: %s", rad_error_message());
    lua_newtable(L);
    set_num(L, "nri", r.nri);
    set_num(L, "nri_events", r.nri_events);
    set_num(L, "nri_nonevents", r.nri_nonevents);
    set_num(L, "se", r.se);
    set_num(L, "lower", r.lower);
    set_num(L, "upper", r.upper);
    set_num(L, "p_event", r.p_event);
    set_num(L, "p_event_up", r.p_event_up);
    set_num(L, "p_event_down", r.p_event_down);
    set_num(L, "at", at);
    set_num(L, "conf", conf);
    lua_pushinteger(L, (lua_Integer)r.n);
    lua_setfield(L, -2, "n");
    lua_pushinteger(L, (lua_Integer)r.up);
    lua_setfield(L, -2, "up");
    lua_pushinteger(L, (lua_Integer)r.down);
    lua_setfield(L, -2, "down");
    lua_pushinteger(L, (lua_Integer)r.boot_ok);
    lua_setfield(L, -2, "boot");
    lua_pushstring(L, ncut ? "categorical" : "continuous");
    lua_setfield(L, -2, "type");
    return 1;
}

/* Predicted survival at k times as an n x k column-major matrix in g->buf[slot],
 * from option prob (an array of k column names, or an array of n rows of k
 * numbers: prob[i][j] = S(times[j] | row i)) or, without prob, from
 * model:predict(t, {type = "survival", times = times}) of a fitted model. */
static double *prob_matrix(lua_State *L, int oidx, const RadTable *t, const double *times, size_t k, SGuard *g,
                           int slot)
{
    size_t n = t->nrow;
    double *m = gbuf(L, g, slot, n * k);
    int top = lua_gettop(L), pidx;
    if (lua_getfield(L, oidx, "prob") == LUA_TNIL) {
        lua_pop(L, 1);
        if (lua_getfield(L, oidx, "model") != LUA_TTABLE)
            radl_fail(L, "rad.brier: give prob (predicted survival per row and time) or model (a fitted Cox model), "
                         "got neither");
        if (lua_getfield(L, -1, "predict") != LUA_TFUNCTION)
            radl_fail(L, "rad.brier: option model has no predict method; pass a fitted model such as rad.cox(...)");
        lua_pushvalue(L, -2);
        lua_pushvalue(L, 1);
        lua_createtable(L, 0, 2);
        lua_pushliteral(L, "survival");
        lua_setfield(L, -2, "type");
        lua_createtable(L, (int)k, 0);
        for (size_t j = 0; j < k; j++) {
            lua_pushnumber(L, times[j]);
            lua_rawseti(L, -2, (lua_Integer)j + 1);
        }
        lua_setfield(L, -2, "times");
        lua_call(L, 3, 1);
        if (!lua_istable(L, -1))
            radl_fail(L, "rad.brier: model:predict did not return an array of rows");
    } else if (!lua_istable(L, -1)) {
        radl_fail(L, "rad.brier: with times, option prob must be an array of %zu column names or an array of "
                     "rows, each an array of %zu survival probabilities (one per time), got %s", k, k,
                  luaL_typename(L, -1));
    }
    pidx = lua_gettop(L);
    lua_geti(L, pidx, 1);
    int names = lua_type(L, -1) == LUA_TSTRING;
    lua_pop(L, 1);
    if (names) {
        if (lua_rawlen(L, pidx) != k)
            radl_fail(L, "rad.brier: prob names %zu columns but there are %zu times; give one column per time",
                      (size_t)lua_rawlen(L, pidx), k);
        for (size_t j = 0; j < k; j++) {
            lua_geti(L, pidx, (lua_Integer)j + 1);
            const char *name = lua_tostring(L, -1);
            const RadColumn *c = name ? rad_table_get_num(t, name) : NULL;
            if (!c)
                radl_fail(L, "rad.brier: prob[%zu]: %s", j + 1, name ? rad_error_message() : "not a column name");
            memcpy(m + j * n, c->num, n * sizeof(double));
            lua_pop(L, 1);
        }
    } else {
        if (lua_rawlen(L, pidx) != n)
            radl_fail(L, "rad.brier: prob has %zu rows but the table has %zu; give one row of %zu probabilities "
                         "per table row", (size_t)lua_rawlen(L, pidx), n, k);
        for (size_t i = 0; i < n; i++) {
            if (lua_geti(L, pidx, (lua_Integer)i + 1) != LUA_TTABLE || lua_rawlen(L, -1) != k)
                radl_fail(L, "rad.brier: prob row %zu must be an array of %zu probabilities (one per time)", i + 1,
                          k);
            for (size_t j = 0; j < k; j++) {
                int isnum = 1;
                lua_geti(L, -1, (lua_Integer)j + 1);
                m[j * n + i] = radl_is_na(L, -1) ? NAN : lua_tonumberx(L, -1, &isnum);
                if (!isnum && !radl_is_na(L, -1))
                    radl_fail(L, "rad.brier: prob row %zu, time %zu is not a number", i + 1, j + 1);
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
    }
    for (size_t q = 0; q < n * k; q++)
        if (isnan(m[q]))
            radl_fail(L, "rad.brier: the predicted survival of row %zu at time %zu is missing; drop such rows first",
                      q % n + 1, q / n + 1);
    lua_settop(L, top);
    return m;
}

static int l_brier(lua_State *L)
{
    static const char *const keys[] = {"time", "event", "prob", "at", "times", "model", NULL};
    const RadTable *t = radl_check_table(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    radl_check_keys(L, 2, "rad.brier", keys);
    int tty = lua_getfield(L, 2, "times");
    lua_pop(L, 1);
    SGuard *g = sguard_push(L);
    double *tm, *ev;
    if (tty == LUA_TNIL) {
        if (lua_getfield(L, 2, "at") != LUA_TNUMBER)
            radl_fail(L, "rad.brier: option at (the time of the predicted survival) must be a number, got %s; or "
                         "give times = {t1, ...} for the integrated score", luaL_typename(L, -1));
        double at = lua_tonumber(L, -1), bs;
        lua_pop(L, 1);
        surv_columns(L, 2, t, "rad.brier", g, &tm, &ev);
        double *pr;
        int noprob = lua_getfield(L, 2, "prob") == LUA_TNIL, model = lua_getfield(L, 2, "model") != LUA_TNIL;
        lua_pop(L, 2);
        if (noprob && model)
            pr = prob_matrix(L, 2, t, &at, 1, g, 2);
        else
            pr = row_values(L, 2, t, "rad.brier", "prob", g, 2);
        if (rad_brier(tm, ev, pr, t->nrow, at, &bs) < 0)
            radl_fail(L, "rad.brier: %s", rad_error_message());
        lua_newtable(L);
        set_num(L, "brier", bs);
        set_num(L, "at", at);
        return 1;
    }
    if (tty != LUA_TTABLE)
        radl_fail(L, "rad.brier: option times must be an array of increasing time points, got %s",
                  lua_typename(L, tty));
    if (lua_getfield(L, 2, "at") != LUA_TNIL)
        radl_fail(L, "rad.brier: give either at (one time) or times (the integrated score), not both");
    lua_pop(L, 1);
    size_t k;
    lua_getfield(L, 2, "times");
    g->buf[3] = radl_check_numbers(L, -1, &k);
    lua_pop(L, 1);
    double *times = g->buf[3], ibs;
    if (k == 0)
        radl_fail(L, "rad.brier: option times is empty; give at least one time point");
    surv_columns(L, 2, t, "rad.brier", g, &tm, &ev);
    double *pr = prob_matrix(L, 2, t, times, k, g, 2);
    double *bs = gbuf(L, g, 4, k);
    if (rad_brier_times(tm, ev, pr, t->nrow, times, k, bs, &ibs) < 0)
        radl_fail(L, "rad.brier: %s", rad_error_message());
    lua_newtable(L);
    radl_push_numbers_na(L, times, k);
    lua_setfield(L, -2, "times");
    radl_push_numbers_na(L, bs, k);
    lua_setfield(L, -2, "brier");
    set_num(L, "ibs", ibs);
    set_num(L, "tmax", times[k - 1]);
    return 1;
}

/* ---- registration ------------------------------------------------------------------- */

void radl_open_surv(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"km", l_km,
         "rad.km(t, {time =, event =, group =, conf = 0.95}) -> KM: Kaplan-Meier curves (R survfit): time, n_risk, "
         "n_event, n_censor, surv, Greenwood se, log-CI lower/upper, median with CI; per group in curves"},
        {"logrank", l_logrank,
         "rad.logrank(t, {time =, event =, group =, trend = false, scores =}) -> {chisq, df, p, observed, "
         "expected, groups}: k-group log-rank test (R survdiff) or 1-df trend test (scores: numeric levels or 1..k)"},
        {"concordance", l_concordance,
         "rad.concordance(t, {time =, event =, score = col or array, tau =}) -> {harrell, harrell_se, uno, uno_se, "
         "comparable, ...}: Harrell's and Uno's C (R concordance, timewt n and n/G2); higher score = higher risk"},
        {"td_auc", l_td_auc,
         "rad.td_auc(t, {time =, event =, score = col or array, times = {...}, score2 =, conf = 0.95}) -> {times, "
         "auc, se, lower, upper, cases, controls}: cumulative/dynamic AUC(t) with IPCW (as timeROC) and its "
         "influence-function SE and CI (as riskRegression Score, cens.model \"km\"); with score2 also auc2, se2, "
         "lower2, upper2 and the paired difference delta = AUC2 - AUC1, se_delta, delta_lower, delta_upper, p; "
         "higher score = higher risk"},
        {"compare_c", l_compare_c,
         "rad.compare_c{data = t, time =, event =, a = col or array, b = col or array, conf = 0.95} -> {c_a, se_a, "
         "lower_a, upper_a, c_b, se_b, lower_b, upper_b, delta, se_delta, lower, upper, p, dxy, dxy_sd, dxy_p, "
         "a_more, b_more, pairs, n, events, method}: Harrell's C of two risk scores on the same patients with "
         "U-statistic SEs (Hmisc rcorr.cens: SE = S.D.(Dxy) / 2) and the paired difference delta = C_b - C_a, "
         "its SE from the same U-statistic, Wald CI and normal p; dxy, dxy_sd, a_more, b_more: Hmisc rcorrp.cens "
         "(x1 = -a, x2 = -b); higher score = higher risk"},
        {"nri", l_nri,
         "rad.nri{data = t, time =, event =, a = col or array, b = col or array, at =, cuts = {...}, boot = 0, seed "
         "= 1, conf = 0.95} -> {nri, nri_events, nri_nonevents, se, lower, upper, up, down, p_event, p_event_up, "
         "p_event_down, n, boot, type}: net reclassification improvement of b over a at time at (Pencina 2011, "
         "Kaplan-Meier form); with cuts (risk cut points) categorical, else continuous (up when b > a); a and b "
         "on the same scale (predicted risk by at); boot > 0: seeded percentile bootstrap CI and SE"},
        {"brier", l_brier,
         "rad.brier(t, {time =, event =, prob = col or array | model = cox fit, at = t | times = {t1 < ... < tk}}) -> "
         "{brier, at} | {times, brier, ibs, tmax}: IPCW Brier score (Graf 1999) of predicted survival at t; with "
         "times, prob = array of k columns or n rows of k values and ibs = sum (t_j - t_j-1) BS(t_j) / tk, t0 = 0 "
         "(step rule over [0, tk])"},
        {NULL, NULL, NULL}};
    static const RadlReg km_methods[] = {
        {"at", m_km_at,
         "KM:at(times) -> {surv, se, lower, upper, n_risk}: the curve(s) at a time or array of times (per group "
         "level when grouped); n_risk = subjects with time >= t"},
        {NULL, NULL, NULL}};

    radl_register(L, funcs, "rad.");

    luaL_newmetatable(L, SGUARD);
    lua_pushcfunction(L, sguard_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);

    luaL_newmetatable(L, KMBOX);
    lua_pushcfunction(L, kmbox_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);

    radl_document_class(L, RADL_KM,
        "KM: Kaplan-Meier curves (rad.km), a Lua table.\n"
        "  time, n_risk, n_event, n_censor, surv, se, lower, upper: the curve, one entry per distinct time\n"
        "  n, events   subjects and events; conf: the confidence level\n"
        "  median, median_lower, median_upper: median survival with its CI (rad.NA when not reached)\n"
        "  groups      {levels}: with group =, the levels in curve order\n"
        "  curves      with group =: one table per level with the fields above, in level order\n"
        "methods: at(times); print(km) shows n, events and median per curve");
    luaL_newmetatable(L, RADL_KM);
    lua_newtable(L);
    radl_register(L, km_methods, "KM:");
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, m_km_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
}
