/* radlab: rad.plot km, roc, td_roc, calibration, dca.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lua face of src/plot/chart_surv.c.  The inputs are the objects the
 * survival and model bindings return, read through their public Lua fields
 * only (never their C structs):
 *   - a KM object of rad.km: curves[j].time, n_event, n_censor (from which
 *     the subjects are rebuilt exactly, so the log-rank p is rad.logrank's),
 *     curves[j].group and conf;
 *   - a ROC object of rad.roc: points.fpr / points.tpr, auc, ci.lower/upper;
 *   - validate.calibration's result: groups[i].predicted / observed / lower /
 *     upper, slope, intercept, at;
 *   - validate.dca's result: threshold, net_benefit, treat_all.
 * A Table (rad.read_csv) gives columns by name; missing values (rad.NA) in
 * time, event or group are dropped and the figure notes how many.
 * Scratch memory lives in a guard userdata freed by the collector, so a Lua
 * error in the middle leaks nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"

#define PGUARD "rad.plot.surv.guard"
#define PG_SLOTS 40

typedef struct PGuard {
    void *p[PG_SLOTS];
    int n;
} PGuard;

static int pguard_gc(lua_State *L)
{
    PGuard *g = luaL_checkudata(L, 1, PGUARD);
    for (int i = 0; i < g->n; i++) {
        free(g->p[i]);
        g->p[i] = NULL;
    }
    g->n = 0;
    return 0;
}

static PGuard *pguard_push(lua_State *L)
{
    PGuard *g = lua_newuserdatauv(L, sizeof *g, 0);
    memset(g, 0, sizeof *g);
    luaL_setmetatable(L, PGUARD);
    return g;
}

static void *galloc(lua_State *L, PGuard *g, size_t size)
{
    if (g->n >= PG_SLOTS)
        radl_fail(L, "rad.plot: too many inputs");
    void *p = calloc(1, size ? size : 1);
    if (!p)
        radl_fail(L, "rad.plot: out of memory");
    g->p[g->n++] = p;
    return p;
}

/* A Lua array of numbers (rad.NA / nil -> NaN) at idx into guarded memory
 * (the stack stays as it was: callers index relative to the top). */
static double *numbers(lua_State *L, PGuard *g, int idx, const char *fname, const char *what, size_t *n)
{
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx))
        radl_fail(L, "%s: %s must be an array of numbers, got %s", fname, what, luaL_typename(L, idx));
    size_t len = (size_t)lua_rawlen(L, idx);
    double *v = galloc(L, g, len * sizeof *v);
    radl_numbers_into(L, idx, fname, what, v, len);
    *n = len;
    return v;
}

/* Optional boolean option. */
static int opt_bool(lua_State *L, int idx, const char *fname, const char *key, int def)
{
    if (lua_isnoneornil(L, idx))
        return def;
    lua_getfield(L, idx, key);
    int v = def;
    if (!lua_isnil(L, -1)) {
        if (!lua_isboolean(L, -1))
            radl_fail(L, "%s: option %s must be true or false, got %s", fname, key, luaL_typename(L, -1));
        v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

/* Optional {lo, hi} option into lim (NaN when absent). */
static void opt_range(lua_State *L, int idx, const char *fname, const char *key, double lim[2])
{
    lim[0] = lim[1] = NAN;
    if (lua_isnoneornil(L, idx))
        return;
    lua_getfield(L, idx, key);
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1) || lua_rawlen(L, -1) != 2)
            radl_fail(L, "%s: option %s must be {lower, upper}, got %s", fname, key, luaL_typename(L, -1));
        for (int i = 0; i < 2; i++) {
            lua_rawgeti(L, -1, i + 1);
            if (!lua_isnumber(L, -1))
                radl_fail(L, "%s: option %s[%d] must be a number", fname, key, i + 1);
            lim[i] = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
        if (!(lim[0] < lim[1]))
            radl_fail(L, "%s: option %s must have lower < upper, got {%g, %g}", fname, key, lim[0], lim[1]);
    }
    lua_pop(L, 1);
}

/* Optional array of label strings (option `labels`) into guarded memory;
 * the strings stay valid while the options table is on the stack. */
static const char **opt_labels(lua_State *L, PGuard *g, int idx, const char *fname, size_t k)
{
    if (lua_isnoneornil(L, idx))
        return NULL;
    lua_getfield(L, idx, "labels");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return NULL;
    }
    if (!lua_istable(L, -1))
        radl_fail(L, "%s: option labels must be an array of strings, got %s", fname, luaL_typename(L, -1));
    if ((size_t)lua_rawlen(L, -1) != k)
        radl_fail(L, "%s: option labels has %zu names for %zu curves; give one per curve", fname,
                  (size_t)lua_rawlen(L, -1), k);
    const char **lab = galloc(L, g, k * sizeof *lab);
    for (size_t j = 0; j < k; j++) {
        if (lua_rawgeti(L, -1, (lua_Integer)j + 1) != LUA_TSTRING)
            radl_fail(L, "%s: labels[%zu] must be a string", fname, j + 1);
        lab[j] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1); /* the strings stay reachable through the options table */
    return lab;
}

/* A numeric column of a Table named by option `key` (required). */
static const RadColumn *table_num(lua_State *L, int oidx, const RadTable *t, const char *fname, const char *key)
{
    if (lua_getfield(L, oidx, key) != LUA_TSTRING)
        radl_fail(L, "%s: option %s must name a column (a string), got %s", fname, key, luaL_typename(L, -1));
    const RadColumn *c = rad_table_get_num(t, lua_tostring(L, -1));
    if (!c)
        radl_fail(L, "%s: %s: %s", fname, key, rad_error_message());
    lua_pop(L, 1);
    return c;
}

/* ---- rad.plot.km ------------------------------------------------------------------------- */

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Group codes of a Table column (levels sorted as rad.km sorts them); pushes
 * an array of level names; missing -> -1. */
static size_t table_groups(lua_State *L, PGuard *g, int oidx, const RadTable *t, const char *fname, int *code)
{
    lua_getfield(L, oidx, "group");
    const char *name = lua_tostring(L, -1);
    lua_pop(L, 1);
    const RadColumn *c = rad_table_get(t, name);
    if (!c)
        radl_fail(L, "%s: group: %s", fname, rad_error_message());
    size_t n = t->nrow, k = 0;
    lua_newtable(L);
    if (c->type == RAD_COL_NUM) {
        double *lv = galloc(L, g, n * sizeof *lv);
        for (size_t i = 0; i < n; i++)
            if (!isnan(c->num[i]))
                lv[k++] = c->num[i];
        qsort(lv, k, sizeof *lv, cmp_dbl);
        size_t u = 0;
        for (size_t i = 0; i < k; i++)
            if (i == 0 || lv[i] != lv[u - 1])
                lv[u++] = lv[i];
        k = u;
        for (size_t i = 0; i < n; i++) {
            code[i] = -1;
            if (isnan(c->num[i]))
                continue;
            size_t lo = 0, hi = k - 1;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (lv[mid] < c->num[i])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            code[i] = (int)lo;
        }
        for (size_t j = 0; j < k; j++) { /* "sex = 1": a bare code tells a reader nothing */
            if (lv[j] == floor(lv[j]) && fabs(lv[j]) < 1e15)
                lua_pushfstring(L, "%s = %I", name, (lua_Integer)lv[j]);
            else {
                char b[64];
                snprintf(b, sizeof b, "%s = %g", name, lv[j]);
                lua_pushstring(L, b);
            }
            lua_rawseti(L, -2, (lua_Integer)j + 1);
        }
    } else {
        const char **lv = galloc(L, g, n * sizeof *lv);
        for (size_t i = 0; i < n; i++)
            if (c->str[i])
                lv[k++] = c->str[i];
        qsort(lv, k, sizeof *lv, cmp_strp);
        size_t u = 0;
        for (size_t i = 0; i < k; i++)
            if (i == 0 || strcmp(lv[i], lv[u - 1]) != 0)
                lv[u++] = lv[i];
        k = u;
        for (size_t i = 0; i < n; i++) {
            code[i] = -1;
            if (!c->str[i])
                continue;
            const char **hit = bsearch(&c->str[i], lv, k, sizeof *lv, cmp_strp);
            code[i] = (int)(hit - lv);
        }
        for (size_t j = 0; j < k; j++) {
            lua_pushstring(L, lv[j]);
            lua_rawseti(L, -2, (lua_Integer)j + 1);
        }
    }
    if (k > 64)
        radl_fail(L, "%s: group column '%s' has %zu levels; a Kaplan-Meier plot shows at most 64 (use fewer groups)",
                  fname, name, k);
    return k;
}

static const char *const km_keys[] = {RADL_CHART_KEYS, "time", "event", "group", "times", "conf", "censor",
                                      "risk_table", "pvalue", "xlim", "ylim", NULL};
static const char *const km_obj_keys[] = {RADL_CHART_KEYS, "times", "conf", "censor", "risk_table", "pvalue",
                                          "xlim", "ylim", NULL};

static int l_km(lua_State *L)
{
    const char *F = "rad.plot.km";
    RadKmChartOptions k;
    RadChartOptions o;
    rad_km_chart_options_default(&k);
    lua_settop(L, 2);
    PGuard *g = pguard_push(L); /* 3 */
    const int IN = 1, OP = 2;
    double *tm = NULL, *ev = NULL;
    int *grp = NULL;
    size_t n = 0, ng = 1;
    const char **names = NULL;
    char tlabel[128] = "Time";
    if (luaL_testudata(L, IN, RADL_TABLE)) {
        const RadTable *t = radl_check_table(L, IN);
        if (!lua_istable(L, OP))
            radl_fail(L, "%s(t, opts): opts must be a table {time =, event =, group =}, got %s", F,
                      luaL_typename(L, OP));
        radl_check_keys(L, OP, F, km_keys);
        const RadColumn *ct = table_num(L, OP, t, F, "time");
        const RadColumn *ce = table_num(L, OP, t, F, "event");
        n = t->nrow;
        if (n == 0)
            radl_fail(L, "%s: the table has no rows", F);
        tm = ct->num;
        ev = ce->num;
        if (strcmp(ct->name, "time") != 0)
            snprintf(tlabel, sizeof tlabel, "%s", ct->name);
        int gt = lua_getfield(L, OP, "group");
        lua_pop(L, 1);
        if (gt != LUA_TNIL) {
            if (gt != LUA_TSTRING)
                radl_fail(L, "%s: option group must name a column (a string), got %s", F, lua_typename(L, gt));
            grp = galloc(L, g, n * sizeof *grp);
            ng = table_groups(L, g, OP, t, F, grp); /* pushes names at 4 */
            names = galloc(L, g, ng * sizeof *names);
            for (size_t j = 0; j < ng; j++) {
                lua_rawgeti(L, 4, (lua_Integer)j + 1);
                names[j] = lua_tostring(L, -1);
                lua_pop(L, 1);
            }
        }
    } else if (lua_istable(L, IN)) {
        /* a KM object: rebuild the subjects from its curves */
        if (lua_getfield(L, IN, "curves") != LUA_TTABLE)
            radl_fail(L, "%s: the first argument must be a Table or a KM object from rad.km, got a table without "
                      "curves", F);
        int cv = lua_gettop(L);
        lua_newtable(L); /* the curve names, kept on the stack */
        int nmidx = lua_gettop(L);
        if (!lua_isnoneornil(L, OP)) {
            luaL_checktype(L, OP, LUA_TTABLE);
            radl_check_keys(L, OP, F, km_obj_keys);
        }
        ng = (size_t)lua_rawlen(L, cv);
        if (ng == 0 || ng > 64)
            radl_fail(L, "%s: the KM object has %zu curves; 1 to 64 can be drawn", F, ng);
        lua_getfield(L, IN, "conf");
        if (lua_isnumber(L, -1))
            k.conf_level = lua_tonumber(L, -1);
        lua_pop(L, 1);
        lua_getfield(L, IN, "groups");
        int grouped = !lua_isnil(L, -1);
        lua_pop(L, 1);
        names = galloc(L, g, ng * sizeof *names);
        size_t *cnt = galloc(L, g, ng * sizeof *cnt);
        double **ct = galloc(L, g, ng * sizeof *ct), **ce = galloc(L, g, ng * sizeof *ce),
               **cc = galloc(L, g, ng * sizeof *cc);
        size_t *cm = galloc(L, g, ng * sizeof *cm);
        for (size_t j = 0; j < ng; j++) {
            if (lua_rawgeti(L, cv, (lua_Integer)j + 1) != LUA_TTABLE)
                radl_fail(L, "%s: curves[%zu] of the KM object is not a table", F, j + 1);
            size_t m1, m2, m3;
            lua_getfield(L, -1, "time");
            ct[j] = numbers(L, g, -1, F, "curve time", &m1);
            lua_getfield(L, -2, "n_event");
            ce[j] = numbers(L, g, -1, F, "curve n_event", &m2);
            lua_getfield(L, -3, "n_censor");
            cc[j] = numbers(L, g, -1, F, "curve n_censor", &m3);
            lua_pop(L, 3);
            if (m1 != m2 || m1 != m3)
                radl_fail(L, "%s: curves[%zu] has time, n_event and n_censor of different lengths", F, j + 1);
            cm[j] = m1;
            cnt[j] = 0;
            for (size_t i = 0; i < m1; i++) {
                if (!(ce[j][i] >= 0 && cc[j][i] >= 0 && ce[j][i] < 1e9 && cc[j][i] < 1e9))
                    radl_fail(L, "%s: curves[%zu] has invalid counts at time %g", F, j + 1, ct[j][i]);
                cnt[j] += (size_t)ce[j][i] + (size_t)cc[j][i];
            }
            n += cnt[j];
            if (grouped && lua_getfield(L, -1, "group") != LUA_TNIL) {
                if (lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) == floor(lua_tonumber(L, -1)))
                    lua_pushfstring(L, "%I", (lua_Integer)lua_tonumber(L, -1));
                else
                    luaL_tolstring(L, -1, NULL);
                names[j] = lua_tostring(L, -1);
                lua_rawseti(L, nmidx, (lua_Integer)j + 1); /* the table keeps the string alive */
                lua_pop(L, 1);
            } else {
                if (grouped)
                    lua_pop(L, 1);
                names[j] = NULL;
            }
            lua_pop(L, 1);
        }
        if (n == 0)
            radl_fail(L, "%s: the KM object has no subjects", F);
        tm = galloc(L, g, n * sizeof *tm);
        ev = galloc(L, g, n * sizeof *ev);
        grp = galloc(L, g, n * sizeof *grp);
        size_t q = 0;
        for (size_t j = 0; j < ng; j++)
            for (size_t i = 0; i < cm[j]; i++) {
                for (size_t r = 0; r < (size_t)ce[j][i]; r++, q++) {
                    tm[q] = ct[j][i];
                    ev[q] = 1;
                    grp[q] = (int)j;
                }
                for (size_t r = 0; r < (size_t)cc[j][i]; r++, q++) {
                    tm[q] = ct[j][i];
                    ev[q] = 0;
                    grp[q] = (int)j;
                }
            }
        if (!grouped)
            grp = NULL;
    } else {
        return radl_fail(L, "%s: the first argument must be a Table (rad.read_csv) or a KM object (rad.km), got %s",
                         F, luaL_typename(L, IN));
    }
    radl_chart_options(L, OP, F, &o);
    k.conf = opt_bool(L, OP, F, "conf", -1);
    if (!lua_isnoneornil(L, OP)) {
        lua_getfield(L, OP, "conf");
        if (lua_isnil(L, -1))
            k.conf = -1;
        lua_pop(L, 1);
    }
    k.censor = opt_bool(L, OP, F, "censor", 1);
    k.risk_table = opt_bool(L, OP, F, "risk_table", 1);
    k.pvalue = opt_bool(L, OP, F, "pvalue", 1);
    opt_range(L, OP, F, "xlim", k.xlim);
    opt_range(L, OP, F, "ylim", k.ylim);
    if (!lua_isnoneornil(L, OP)) {
        lua_getfield(L, OP, "times");
        if (!lua_isnil(L, -1)) {
            k.times = numbers(L, g, -1, F, "option times", &k.ntimes);
            if (k.ntimes == 0)
                radl_fail(L, "%s: option times is empty; give the times of the number-at-risk table", F);
            for (size_t i = 0; i < k.ntimes; i++)
                if (!isfinite(k.times[i]) || k.times[i] < 0 || (i && k.times[i] <= k.times[i - 1]))
                    radl_fail(L, "%s: option times must be increasing numbers >= 0 (times[%zu] = %g)", F, i + 1,
                              k.times[i]);
        }
        lua_pop(L, 1);
    }
    k.time_label = tlabel;
    RadFigure **box = radl_figure_push(L);
    RadFigure *f = rad_chart_km(tm, ev, grp, n, names, ng, &k, &o);
    return radl_figure_return(L, box, f, F);
}

/* ---- rad.plot.roc ----------------------------------------------------------------------- */

/* Fill c from the ROC object at idx. */
static void roc_object(lua_State *L, PGuard *g, int idx, const char *F, size_t j, RadRocCurve *c)
{
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx) || lua_getfield(L, idx, "points") != LUA_TTABLE)
        radl_fail(L, "%s: ROC %zu is not a ROC object from rad.roc (no points)", F, j + 1);
    size_t n1, n2;
    lua_getfield(L, -1, "fpr");
    c->fpr = numbers(L, g, -1, F, "points.fpr", &n1);
    lua_getfield(L, -2, "tpr");
    c->tpr = numbers(L, g, -1, F, "points.tpr", &n2);
    lua_pop(L, 3);
    if (n1 != n2 || n1 == 0)
        radl_fail(L, "%s: ROC %zu has %zu fpr and %zu tpr points; they must pair up", F, j + 1, n1, n2);
    c->n = n1;
    lua_getfield(L, idx, "auc");
    if (!lua_isnumber(L, -1))
        radl_fail(L, "%s: ROC %zu has no auc", F, j + 1);
    c->auc = lua_tonumber(L, -1);
    lua_pop(L, 1);
    c->lower = c->upper = NAN;
    if (lua_getfield(L, idx, "ci") == LUA_TTABLE) {
        lua_getfield(L, -1, "lower");
        lua_getfield(L, -2, "upper");
        if (lua_isnumber(L, -2) && lua_isnumber(L, -1)) {
            c->lower = lua_tonumber(L, -2);
            c->upper = lua_tonumber(L, -1);
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
}

static int l_roc(lua_State *L)
{
    const char *F = "rad.plot.roc";
    static const char *const keys[] = {RADL_CHART_KEYS, "labels", NULL};
    lua_settop(L, 2);
    PGuard *g = pguard_push(L); /* 3 */
    radl_check_keys(L, 2, F, keys);
    if (!lua_istable(L, 1))
        return radl_fail(L, "%s: give a ROC object from rad.roc or an array of them, got %s", F, luaL_typename(L, 1));
    lua_getfield(L, 1, "points");
    int single = !lua_isnil(L, -1);
    lua_pop(L, 1);
    size_t k = single ? 1 : (size_t)lua_rawlen(L, 1);
    if (k == 0)
        return radl_fail(L, "%s: the array of ROC objects is empty", F);
    if (k > 16)
        return radl_fail(L, "%s: %zu ROC curves; at most 16 can be told apart", F, k);
    RadRocCurve *c = galloc(L, g, k * sizeof *c);
    const char **lab = opt_labels(L, g, 2, F, k);
    for (size_t j = 0; j < k; j++) {
        if (single)
            lua_pushvalue(L, 1);
        else
            lua_rawgeti(L, 1, (lua_Integer)j + 1);
        roc_object(L, g, -1, F, j, &c[j]);
        lua_pop(L, 1);
        c[j].label = lab ? lab[j] : NULL;
        if (!lab && k > 1) {
            char b[32];
            snprintf(b, sizeof b, "Model %zu", j + 1);
            char *s = galloc(L, g, strlen(b) + 1);
            memcpy(s, b, strlen(b) + 1);
            c[j].label = s;
        }
    }
    RadChartOptions o;
    radl_chart_options(L, 2, F, &o);
    RadFigure **box = radl_figure_push(L);
    RadFigure *f = rad_chart_roc(c, k, &o);
    return radl_figure_return(L, box, f, F);
}

/* ---- rad.plot.td_roc ----------------------------------------------------------------------- */

static int l_td_roc(lua_State *L)
{
    const char *F = "rad.plot.td_roc";
    static const char *const keys[] = {RADL_CHART_KEYS, "time", "event", "score", "at", "labels", "unit", "boot",
                                       "seed", NULL};
    lua_settop(L, 2);
    PGuard *g = pguard_push(L); /* 3 */
    const RadTable *t = radl_check_table(L, 1);
    if (!lua_istable(L, 2))
        return radl_fail(L, "%s(t, opts): opts must be a table {time =, event =, score =, at =}, got %s", F,
                         luaL_typename(L, 2));
    radl_check_keys(L, 2, F, keys);
    const RadColumn *ct = table_num(L, 2, t, F, "time");
    const RadColumn *ce = table_num(L, 2, t, F, "event");
    size_t n = t->nrow, ns;
    const double *sc;
    int ty = lua_getfield(L, 2, "score");
    if (ty == LUA_TSTRING) {
        const RadColumn *c = rad_table_get_num(t, lua_tostring(L, -1));
        if (!c)
            return radl_fail(L, "%s: score: %s", F, rad_error_message());
        sc = c->num;
        ns = n;
    } else if (ty == LUA_TTABLE) {
        sc = numbers(L, g, -1, F, "option score", &ns);
    } else {
        return radl_fail(L, "%s: option score must be a column name or an array of numbers (higher = higher "
                         "risk), got %s", F, lua_typename(L, ty));
    }
    lua_pop(L, 1);
    if (ns != n)
        return radl_fail(L, "%s: the score array has %zu values but the table has %zu rows", F, ns, n);
    double *at;
    size_t nat;
    ty = lua_getfield(L, 2, "at");
    if (ty == LUA_TNUMBER) {
        at = galloc(L, g, sizeof *at);
        at[0] = lua_tonumber(L, -1);
        nat = 1;
    } else if (ty == LUA_TTABLE) {
        at = numbers(L, g, -1, F, "option at", &nat);
    } else {
        return radl_fail(L, "%s: option at must be a time or an array of times, got %s", F, lua_typename(L, ty));
    }
    lua_pop(L, 1);
    if (nat == 0 || nat > 16)
        return radl_fail(L, "%s: option at has %zu times; give 1 to 16", F, nat);
    /* complete rows only */
    double *tm = galloc(L, g, n * sizeof *tm), *ev = galloc(L, g, n * sizeof *ev),
           *s2 = galloc(L, g, n * sizeof *s2);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(ct->num[i]) || isnan(ce->num[i]) || isnan(sc[i]))
            continue;
        tm[m] = ct->num[i];
        ev[m] = ce->num[i];
        s2[m] = sc[i];
        m++;
    }
    if (m == 0)
        return radl_fail(L, "%s: no row has time, event and score all present", F);
    const char **lab = opt_labels(L, g, 2, F, nat);
    RadChartOptions o;
    radl_chart_options(L, 2, F, &o);
    RadFigure **box = radl_figure_push(L);
    const char *unit = radl_opt_string(L, 2, "unit", NULL);
    lua_Integer nboot = radl_opt_integer(L, 2, "boot", 200), seed = radl_opt_integer(L, 2, "seed", 1);
    if (nboot != 0 && (nboot < 50 || nboot > 100000))
        return radl_fail(L, "%s: option boot = %lld: give 0 (no CI) or 50 to 100000 bootstrap resamples", F,
                         (long long)nboot);
    if (seed < 0)
        return radl_fail(L, "%s: option seed = %lld: give a seed >= 0", F, (long long)seed);
    RadFigure *f = rad_chart_td_roc(tm, ev, s2, m, at, nat, lab, unit, (size_t)nboot, (unsigned long)seed, &o);
    if (!f)
        return radl_fail(L, "%s: %s", F, rad_error_message());
    if (m < n)
        rad_figure_add_note(f, "%zu row%s with a missing time, event or score dropped", n - m, n - m == 1 ? "" : "s");
    if (!unit && !lab)
        rad_figure_add_note(f, "the legend shows times without a unit: give unit = \"days\" (or the data's unit)");
    return radl_figure_return(L, box, f, F);
}

/* ---- rad.plot.calibration ------------------------------------------------------------------ */

static double field_num(lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    double v = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN;
    lua_pop(L, 1);
    return v;
}

static int l_calibration(lua_State *L)
{
    const char *F = "rad.plot.calibration";
    static const char *const keys[] = {RADL_CHART_KEYS, "line", NULL};
    lua_settop(L, 2);
    PGuard *g = pguard_push(L); /* 3 */
    radl_check_keys(L, 2, F, keys);
    if (!lua_istable(L, 1))
        return radl_fail(L, "%s: give validate.calibration's result or {predicted =, observed =, lower =, upper =}, "
                         "got %s", F, luaL_typename(L, 1));
    double *pr, *ob, *lo = NULL, *hi = NULL;
    size_t n;
    if (lua_getfield(L, 1, "groups") == LUA_TTABLE) {
        n = (size_t)lua_rawlen(L, -1);
        pr = galloc(L, g, n * sizeof *pr);
        ob = galloc(L, g, n * sizeof *ob);
        lo = galloc(L, g, n * sizeof *lo);
        hi = galloc(L, g, n * sizeof *hi);
        for (size_t i = 0; i < n; i++) {
            if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TTABLE)
                return radl_fail(L, "%s: groups[%zu] is not a table", F, i + 1);
            pr[i] = field_num(L, -1, "predicted");
            ob[i] = field_num(L, -1, "observed");
            lo[i] = field_num(L, -1, "lower");
            hi[i] = field_num(L, -1, "upper");
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
        size_t n2, n3;
        if (lua_getfield(L, 1, "predicted") != LUA_TTABLE || lua_getfield(L, 1, "observed") != LUA_TTABLE)
            return radl_fail(L, "%s: the table needs groups (validate.calibration) or predicted and observed arrays",
                             F);
        pr = numbers(L, g, -2, F, "predicted", &n);
        ob = numbers(L, g, -1, F, "observed", &n2);
        lua_pop(L, 2);
        if (n != n2)
            return radl_fail(L, "%s: predicted has %zu values and observed %zu; they must pair up", F, n, n2);
        int tl = lua_getfield(L, 1, "lower"), tu = lua_getfield(L, 1, "upper");
        if (tl != LUA_TNIL && tu != LUA_TNIL) {
            lo = numbers(L, g, -2, F, "lower", &n2);
            hi = numbers(L, g, -1, F, "upper", &n3);
            if (n2 != n || n3 != n)
                return radl_fail(L, "%s: lower and upper must have one value per group (%zu)", F, n);
        } else if (tl != LUA_TNIL || tu != LUA_TNIL) {
            return radl_fail(L, "%s: give both lower and upper, or neither", F);
        }
        lua_pop(L, 2);
    }
    for (size_t i = 0; i < n; i++)
        if ((isfinite(pr[i]) && (pr[i] < 0 || pr[i] > 1)) || (isfinite(ob[i]) && (ob[i] < 0 || ob[i] > 1)))
            return radl_fail(L, "%s: group %zu has predicted %g, observed %g; both must be probabilities in [0, 1]",
                             F, i + 1, pr[i], ob[i]);
    double slope = field_num(L, 1, "slope"), icpt = field_num(L, 1, "intercept"), at = field_num(L, 1, "at");
    int line = opt_bool(L, 2, F, "line", 1);
    RadChartOptions o;
    radl_chart_options(L, 2, F, &o);
    RadFigure **box = radl_figure_push(L);
    RadFigure *f = rad_chart_calibration(pr, ob, lo, hi, n, slope, icpt, isfinite(at) ? at : 0, line, &o);
    return radl_figure_return(L, box, f, F);
}

/* ---- rad.plot.dca -------------------------------------------------------------------------- */

static int l_dca(lua_State *L)
{
    const char *F = "rad.plot.dca";
    static const char *const keys[] = {RADL_CHART_KEYS, "labels", NULL};
    lua_settop(L, 2);
    PGuard *g = pguard_push(L); /* 3 */
    radl_check_keys(L, 2, F, keys);
    if (!lua_istable(L, 1))
        return radl_fail(L, "%s: give validate.dca's result or an array of them, got %s", F, luaL_typename(L, 1));
    lua_getfield(L, 1, "threshold");
    int single = !lua_isnil(L, -1);
    lua_pop(L, 1);
    size_t k = single ? 1 : (size_t)lua_rawlen(L, 1);
    if (k == 0)
        return radl_fail(L, "%s: the array of decision curves is empty", F);
    if (k > 16)
        return radl_fail(L, "%s: %zu decision curves; at most 16 can be told apart", F, k);
    RadDcaCurve *c = galloc(L, g, k * sizeof *c);
    const char **lab = opt_labels(L, g, 2, F, k);
    double *ta = NULL;
    int differ = 0;
    for (size_t j = 0; j < k; j++) {
        if (single)
            lua_pushvalue(L, 1);
        else
            lua_rawgeti(L, 1, (lua_Integer)j + 1);
        if (!lua_istable(L, -1) || lua_getfield(L, -1, "threshold") != LUA_TTABLE)
            return radl_fail(L, "%s: curve %zu is not a result of validate.dca (no threshold array)", F, j + 1);
        size_t n1, n2;
        c[j].threshold = numbers(L, g, -1, F, "threshold", &n1);
        lua_getfield(L, -2, "net_benefit");
        c[j].net_benefit = numbers(L, g, -1, F, "net_benefit", &n2);
        lua_pop(L, 2);
        if (n1 != n2 || n1 == 0)
            return radl_fail(L, "%s: curve %zu has %zu thresholds and %zu net benefits; they must pair up", F, j + 1,
                             n1, n2);
        c[j].n = n1;
        if (j == 0 && lua_getfield(L, -1, "treat_all") == LUA_TTABLE) {
            size_t n3;
            ta = numbers(L, g, -1, F, "treat_all", &n3);
            if (n3 != n1)
                return radl_fail(L, "%s: treat_all has %zu values for %zu thresholds", F, n3, n1);
        }
        if (j == 0) {
            lua_pop(L, 1);
        } else if (ta && lua_getfield(L, -1, "treat_all") == LUA_TTABLE) {
            size_t n3;
            const double *o2 = numbers(L, g, -1, F, "treat_all", &n3);
            for (size_t i = 0; i < n3 && i < c[0].n && !differ; i++)
                differ = !(o2[i] == ta[i] || (isnan(o2[i]) && isnan(ta[i])));
            differ |= n3 != c[0].n;
            lua_pop(L, 1);
        } else if (ta) {
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        c[j].label = lab ? lab[j] : NULL;
    }
    RadChartOptions o;
    radl_chart_options(L, 2, F, &o);
    RadFigure **box = radl_figure_push(L);
    RadFigure *f = rad_chart_dca(c, k, ta, &o);
    if (!f)
        return radl_fail(L, "%s: %s", F, rad_error_message());
    if (differ)
        rad_figure_add_note(f, "the curves have different treat-all references (different time or data); the "
                               "first one's is drawn");
    return radl_figure_return(L, box, f, F);
}

/* ---- registration -------------------------------------------------------------------------- */

void radl_open_plot_surv(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"km", l_km,
         "rad.plot.km(t, {time =, event =, group =, times =, conf =, censor = true, risk_table = true, pvalue = true, "
         "xlim =, ylim =} | km [, opts]) -> Figure: Kaplan-Meier curves with censor ticks, CI bands, log-rank p and "
         "the number at risk"},
        {"roc", l_roc,
         "rad.plot.roc(roc | {roc, ...} [, {labels =}]) -> Figure: ROC curves of rad.roc objects with AUC (95% CI) "
         "in the legend and the chance diagonal"},
        {"td_roc", l_td_roc,
         "rad.plot.td_roc(t, {time =, event =, score = col or array, at = t | {t1, ...}, unit = \"days\", labels =, "
         "boot = 200, seed = 1}) -> Figure: cumulative/dynamic IPCW ROC curves at time(s) t, the legend giving t "
         "with its unit and AUC(t) (as rad.td_auc) with a 95 % percentile bootstrap CI (boot resamples, 0: none)"},
        {"calibration", l_calibration,
         "rad.plot.calibration(cal | {predicted =, observed =, lower =, upper =} [, {line = true}]) -> Figure: "
         "calibration plot of validate.calibration with CI bars, ideal line, slope and intercept"},
        {"dca", l_dca,
         "rad.plot.dca(dca | {dca, ...} [, {labels =}]) -> Figure: decision curves of validate.dca (net benefit vs "
         "threshold) with treat-all and treat-none"},
        {NULL, NULL, NULL}};
    luaL_newmetatable(L, PGUARD);
    lua_pushcfunction(L, pguard_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    radl_register(L, funcs, "rad.plot.");
}
