/* radlab: rad.stats: statistical tests, correlation, ICC, mutual information.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thin wrappers over src/stats/stats.h.  Arrays come in as Lua arrays of
 * numbers with rad.NA (or nil) for missing values, categories as strings or
 * numbers; results go out as small Lua tables or a Table.  Every scratch
 * array lives in a Lua userdata, so an error raised half-way leaks nothing.
 * The formulas and their references are in src/stats/tests.c, corr.c, icc.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "binding.h"

/* Scratch memory owned by the Lua stack (left there until the function returns). */
static void *scratch(lua_State *L, size_t size)
{
    return lua_newuserdatauv(L, size ? size : 1, 0);
}

/* A Lua array of numbers at idx (rad.NA / nil = NaN) into scratch memory;
 * `what` names the argument in errors. */
static double *check_array(lua_State *L, int idx, const char *fname, const char *what, size_t *n)
{
    size_t len;
    double *v;
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: %s must be an array of numbers, got %s", fname, what, luaL_typename(L, idx));
    len = (size_t)lua_rawlen(L, idx);
    v = scratch(L, len * sizeof *v);
    for (size_t i = 1; i <= len; i++) {
        int t = lua_rawgeti(L, idx, (lua_Integer)i);
        if (t == LUA_TNUMBER)
            v[i - 1] = lua_tonumber(L, -1);
        else if (t == LUA_TNIL || radl_is_na(L, -1))
            v[i - 1] = NAN;
        else
            luaL_error(L, "%s: element %d of %s is %s; a number or rad.NA is needed", fname, (int)i, what,
                       t == LUA_TSTRING ? "a string" : luaL_typename(L, -1));
        lua_pop(L, 1);
    }
    *n = len;
    return v;
}

/* Set t[key] = number at the top-of-stack table. */
static void set_num(lua_State *L, const char *key, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, key);
}

static void set_int(lua_State *L, const char *key, size_t v)
{
    lua_pushinteger(L, (lua_Integer)v);
    lua_setfield(L, -2, key);
}

/* ---- categories ------------------------------------------------------------------------ */

typedef struct Level {
    int isstr;
    double v;
    const char *s;
} Level;

static int cmp_level(const void *p, const void *q)
{
    const Level *a = p, *b = q;
    if (a->isstr != b->isstr)
        return a->isstr - b->isstr; /* numbers before strings */
    if (a->isstr)
        return strcmp(a->s, b->s);
    return a->v < b->v ? -1 : a->v > b->v;
}

/* Category codes (0-based, levels in sorted order; -1 = missing) of the Lua
 * array at idx, into scratch memory.  Returns the number of levels; *n is the
 * length.  *allnum tells whether every present value is a number. */
static int check_categories(lua_State *L, int idx, const char *fname, const char *what, size_t *n, int **codes,
                            int *allnum)
{
    size_t len, nl = 0;
    Level *lv;
    int *c, map;
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: %s must be an array of categories, got %s", fname, what, luaL_typename(L, idx));
    len = (size_t)lua_rawlen(L, idx);
    lv = scratch(L, len * sizeof *lv);
    c = scratch(L, len * sizeof *c);
    lua_newtable(L); /* value -> level index */
    map = lua_gettop(L);
    *allnum = 1;
    for (size_t i = 1; i <= len; i++) {
        int t = lua_rawgeti(L, idx, (lua_Integer)i);
        if (t == LUA_TNIL || radl_is_na(L, -1) || (t == LUA_TNUMBER && isnan(lua_tonumber(L, -1)))) {
            c[i - 1] = -1;
            lua_pop(L, 1);
            continue;
        }
        if (t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN)
            luaL_error(L, "%s: element %d of %s is a %s; categories are strings, numbers or booleans", fname, (int)i,
                       what, luaL_typename(L, -1));
        c[i - 1] = 0; /* present: coded below (the scratch memory is not zeroed) */
        if (t == LUA_TBOOLEAN) { /* false < true, as 0 and 1 */
            int b = lua_toboolean(L, -1);
            lua_pop(L, 1);
            lua_pushnumber(L, b);
        }
        lua_pushvalue(L, -1);
        if (lua_rawget(L, map) == LUA_TNIL) {
            lua_pop(L, 1);
            lv[nl].isstr = lua_type(L, -1) == LUA_TSTRING;
            lv[nl].v = lv[nl].isstr ? 0 : lua_tonumber(L, -1);
            lv[nl].s = lv[nl].isstr ? lua_tostring(L, -1) : NULL; /* anchored by the input array */
            if (lv[nl].isstr)
                *allnum = 0;
            lua_pushinteger(L, (lua_Integer)nl);
            lua_rawset(L, map);
            nl++;
        } else
            lua_pop(L, 2);
    }
    qsort(lv, nl, sizeof *lv, cmp_level);
    /* re-map to sorted positions */
    for (size_t l = 0; l < nl; l++) {
        if (lv[l].isstr)
            lua_pushstring(L, lv[l].s);
        else
            lua_pushnumber(L, lv[l].v);
        lua_pushinteger(L, (lua_Integer)l);
        lua_rawset(L, map);
    }
    for (size_t i = 1; i <= len; i++) {
        if (c[i - 1] == -1)
            continue;
        if (lua_rawgeti(L, idx, (lua_Integer)i) == LUA_TBOOLEAN) {
            int b = lua_toboolean(L, -1);
            lua_pop(L, 1);
            lua_pushnumber(L, b);
        }
        lua_rawget(L, map);
        c[i - 1] = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1); /* map */
    *n = len;
    *codes = c;
    return (int)nl;
}

/* Count matrix at idx ({{a, b}, {c, d}, ...}) into scratch memory, row-major. */
static double *check_matrix(lua_State *L, int idx, const char *fname, size_t *nr, size_t *nc)
{
    size_t r = (size_t)lua_rawlen(L, idx), c = 0;
    double *m;
    if (r == 0)
        luaL_error(L, "%s: the count matrix is empty; pass {{a, b}, {c, d}} or two arrays of categories", fname);
    for (size_t i = 1; i <= r; i++) {
        size_t len;
        if (lua_rawgeti(L, idx, (lua_Integer)i) != LUA_TTABLE)
            luaL_error(L, "%s: row %d of the count matrix is %s, an array of counts is needed", fname, (int)i,
                       luaL_typename(L, -1));
        len = (size_t)lua_rawlen(L, -1);
        if (i == 1)
            c = len;
        else if (len != c)
            luaL_error(L, "%s: row %d of the count matrix has %d counts, row 1 has %d; rows must be equally long",
                       fname, (int)i, (int)len, (int)c);
        lua_pop(L, 1);
    }
    m = scratch(L, r * c * sizeof *m);
    for (size_t i = 1; i <= r; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i);
        for (size_t j = 1; j <= c; j++) {
            if (lua_rawgeti(L, -1, (lua_Integer)j) != LUA_TNUMBER)
                luaL_error(L, "%s: count at row %d, column %d is %s, a number is needed", fname, (int)i, (int)j,
                           luaL_typename(L, -1));
            m[(i - 1) * c + (j - 1)] = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    *nr = r;
    *nc = c;
    return m;
}

/* Cross-tabulate two arrays of categories at idx and idx + 1 (pairs with a
 * missing value are left out). */
static double *crosstab(lua_State *L, int idx, const char *fname, size_t *nr, size_t *nc)
{
    size_t nx, ny;
    int *cx, *cy, kx, ky, an;
    double *m;
    kx = check_categories(L, idx, fname, "x", &nx, &cx, &an);
    ky = check_categories(L, idx + 1, fname, "y", &ny, &cy, &an);
    if (nx != ny)
        luaL_error(L, "%s: x has %d values and y has %d; they must be equally long", fname, (int)nx, (int)ny);
    m = scratch(L, (size_t)kx * (size_t)ky * sizeof *m);
    for (size_t i = 0; i < (size_t)kx * (size_t)ky; i++)
        m[i] = 0;
    for (size_t i = 0; i < nx; i++)
        if (cx[i] >= 0 && cy[i] >= 0)
            m[(size_t)cx[i] * (size_t)ky + (size_t)cy[i]] += 1;
    *nr = (size_t)kx;
    *nc = (size_t)ky;
    return m;
}

/* ---- tests -------------------------------------------------------------------------------- */

static int l_ttest(lua_State *L)
{
    size_t na, nb;
    lua_settop(L, 2); /* optional arguments stay below the scratch space */
    double *a = check_array(L, 1, "rad.stats.ttest", "a", &na);
    double *b = check_array(L, 2, "rad.stats.ttest", "b", &nb);
    RadTTest r;
    if (rad_ttest_welch(a, na, b, nb, &r) < 0)
        return radl_error(L);
    lua_createtable(L, 0, 7);
    set_num(L, "t", r.t);
    set_num(L, "df", r.df);
    set_num(L, "p", r.p);
    set_num(L, "mean1", r.mean1);
    set_num(L, "mean2", r.mean2);
    set_int(L, "n1", r.n1);
    set_int(L, "n2", r.n2);
    return 1;
}

static int l_wilcox(lua_State *L)
{
    size_t na, nb;
    lua_settop(L, 2); /* optional arguments stay below the scratch space */
    double *a = check_array(L, 1, "rad.stats.wilcox", "a", &na);
    double *b = check_array(L, 2, "rad.stats.wilcox", "b", &nb);
    RadWilcox r;
    if (rad_wilcox_test(a, na, b, nb, &r) < 0)
        return radl_error(L);
    lua_createtable(L, 0, 5);
    set_num(L, "w", r.w);
    set_num(L, "p", r.p);
    lua_pushboolean(L, r.exact);
    lua_setfield(L, -2, "exact");
    set_int(L, "n1", r.n1);
    set_int(L, "n2", r.n2);
    return 1;
}

/* Is the argument at idx a matrix (its first element a table)? */
static int is_matrix(lua_State *L, int idx)
{
    int t = lua_rawgeti(L, idx, 1);
    lua_pop(L, 1);
    return t == LUA_TTABLE;
}

static int l_chisq(lua_State *L)
{
    static const char *const keys[] = {"correct", NULL};
    const char *fname = "rad.stats.chisq";
    size_t nr, nc;
    double *m;
    int opt, correct = 1;
    RadChisq r;
    lua_settop(L, 3); /* optional arguments stay below the scratch space */
    luaL_checktype(L, 1, LUA_TTABLE);
    if (is_matrix(L, 1)) {
        opt = 2;
        m = check_matrix(L, 1, fname, &nr, &nc);
    } else {
        if (lua_type(L, 2) != LUA_TTABLE)
            luaL_error(L, "%s: pass a count matrix {{a, b}, {c, d}} or two arrays of categories x, y", fname);
        opt = 3;
        m = crosstab(L, 1, fname, &nr, &nc);
    }
    radl_check_keys(L, opt, fname, keys);
    if (!lua_isnoneornil(L, opt)) {
        int t = lua_getfield(L, opt, "correct");
        if (t != LUA_TNIL && t != LUA_TBOOLEAN)
            luaL_error(L, "%s: option 'correct' must be true or false, got %s", fname, luaL_typename(L, -1));
        if (t == LUA_TBOOLEAN)
            correct = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    if (rad_chisq_test(m, nr, nc, correct, &r) < 0)
        return radl_error(L);
    lua_createtable(L, 0, 5);
    set_num(L, "chisq", r.stat);
    set_num(L, "df", r.df);
    set_num(L, "p", r.p);
    set_num(L, "min_expected", r.min_expected);
    lua_pushboolean(L, r.yates);
    lua_setfield(L, -2, "yates");
    return 1;
}

static int l_fisher(lua_State *L)
{
    const char *fname = "rad.stats.fisher";
    size_t nr, nc;
    double *m;
    RadFisher r;
    lua_settop(L, 2); /* optional arguments stay below the scratch space */
    luaL_checktype(L, 1, LUA_TTABLE);
    if (is_matrix(L, 1))
        m = check_matrix(L, 1, fname, &nr, &nc);
    else {
        if (lua_type(L, 2) != LUA_TTABLE)
            luaL_error(L, "%s: pass a 2x2 count matrix {{a, b}, {c, d}} or two arrays of categories x, y", fname);
        m = crosstab(L, 1, fname, &nr, &nc);
    }
    if (nr != 2 || nc != 2)
        luaL_error(L, "%s: Fisher's exact test here needs a 2x2 table, got %d x %d (use rad.stats.chisq for larger "
                   "tables)", fname, (int)nr, (int)nc);
    if (rad_fisher_test(m, &r) < 0)
        return radl_error(L);
    lua_createtable(L, 0, 2);
    set_num(L, "p", r.p);
    set_num(L, "odds_ratio", r.odds_ratio);
    return 1;
}


static int l_p_adjust(lua_State *L)
{
    size_t n;
    lua_settop(L, 2); /* optional arguments stay below the scratch space */
    double *p = check_array(L, 1, "rad.stats.p_adjust", "p", &n);
    const char *name = luaL_optstring(L, 2, "BH");
    int m = rad_p_adjust_method(name);
    if (m < 0 || rad_p_adjust(p, n, (RadPAdjust)m, p) < 0)
        return radl_error(L);
    radl_push_numbers_na(L, p, n);
    return 1;
}

static int l_cor(lua_State *L)
{
    size_t nx, ny;
    lua_settop(L, 3); /* optional arguments stay below the scratch space */
    double *x = check_array(L, 1, "rad.stats.cor", "x", &nx);
    double *y = check_array(L, 2, "rad.stats.cor", "y", &ny);
    int m = rad_cor_method(luaL_optstring(L, 3, "pearson"));
    double r;
    if (m < 0)
        return radl_error(L);
    if (nx != ny)
        luaL_error(L, "rad.stats.cor: x has %d values and y has %d; they must be equally long", (int)nx, (int)ny);
    if (rad_cor(x, y, nx, (RadCorMethod)m, &r) < 0)
        return radl_error(L);
    lua_pushnumber(L, r);
    return 1;
}

/* Names of the `cols` option at idx (or all numeric columns of t) as a Lua
 * array left on the stack; returns its length. */
static size_t column_list(lua_State *L, int opt, const RadTable *t, const char *fname)
{
    size_t n = 0;
    int tp = lua_isnoneornil(L, opt) ? LUA_TNIL : lua_getfield(L, opt, "cols");
    if (tp == LUA_TNIL) {
        if (!lua_isnoneornil(L, opt))
            lua_pop(L, 1);
        lua_newtable(L);
        for (size_t j = 0; j < t->ncol; j++)
            if (t->cols[j].type == RAD_COL_NUM) {
                lua_pushstring(L, t->cols[j].name);
                lua_rawseti(L, -2, (lua_Integer)++n);
            }
        return n;
    }
    if (tp != LUA_TTABLE)
        luaL_error(L, "%s: option 'cols' must be an array of column names, got %s", fname, luaL_typename(L, -1));
    n = (size_t)lua_rawlen(L, -1);
    for (size_t i = 1; i <= n; i++) {
        if (lua_rawgeti(L, -1, (lua_Integer)i) != LUA_TSTRING)
            luaL_error(L, "%s: cols[%d] must be a column name, got %s", fname, (int)i, luaL_typename(L, -1));
        lua_pop(L, 1);
    }
    return n;
}

static int l_cor_matrix(lua_State *L)
{
    static const char *const keys[] = {"method", "cols", NULL};
    const char *fname = "rad.stats.cor_matrix";
    lua_settop(L, 2); /* optional arguments stay below the scratch space */
    RadTable *t = radl_check_table(L, 1), **box;
    int m, list;
    size_t p, n = t->nrow;
    double *x, *out;
    const char **names;
    radl_check_keys(L, 2, fname, keys);
    m = rad_cor_method(radl_opt_string(L, 2, "method", "pearson"));
    if (m < 0)
        return radl_error(L);
    p = column_list(L, 2, t, fname);
    list = lua_gettop(L);
    if (p == 0)
        luaL_error(L, "%s: no numeric columns to correlate; name them with {cols = {...}}", fname);
    x = scratch(L, n * p * sizeof *x);
    out = scratch(L, p * p * sizeof *out);
    names = scratch(L, p * sizeof *names);
    for (size_t j = 0; j < p; j++) {
        const RadColumn *c;
        lua_rawgeti(L, list, (lua_Integer)j + 1);
        names[j] = lua_tostring(L, -1); /* anchored by the list */
        lua_pop(L, 1);
        c = rad_table_get_num(t, names[j]);
        if (!c) {
            rad_error_prefix("%s", fname);
            return radl_error(L);
        }
        memcpy(x + j * n, c->num, n * sizeof *x);
    }
    if (rad_cor_matrix(x, n, p, (RadCorMethod)m, out) < 0)
        return radl_error(L);
    box = radl_table_push(L);
    *box = rad_table_new(p);
    if (!*box || rad_table_add_str(*box, "feature", names) < 0)
        return radl_error(L);
    for (size_t j = 0; j < p; j++)
        if (rad_table_add_num(*box, names[j], out + j * p) < 0)
            return radl_error(L);
    return 1;
}

/* ---- ICC ----------------------------------------------------------------------------------- */

/* Key of row i of a case / rater column as a string pushed on the stack. */
static void push_key(lua_State *L, const RadColumn *c, size_t i, const char *fname, const char *role)
{
    if (c->type == RAD_COL_NUM) {
        if (isnan(c->num[i]))
            luaL_error(L, "%s: row %d has a missing %s (column '%s'); drop it first", fname, (int)i + 1, role,
                       c->name);
        lua_pushfstring(L, "%f", c->num[i]);
    } else {
        if (!c->str[i])
            luaL_error(L, "%s: row %d has a missing %s (column '%s'); drop it first", fname, (int)i + 1, role,
                       c->name);
        lua_pushstring(L, c->str[i]);
    }
}

/* Index of the key on top of the stack in the map at `map` (new keys get the
 * next index; the label is kept in `labels`).  Pops the key. */
static size_t key_index(lua_State *L, int map, int labels, size_t *count)
{
    size_t r;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, map) == LUA_TNUMBER) {
        r = (size_t)lua_tointeger(L, -1);
        lua_pop(L, 2);
        return r;
    }
    lua_pop(L, 1);
    r = (*count)++;
    lua_pushvalue(L, -1);
    lua_rawseti(L, labels, (lua_Integer)r + 1);
    lua_pushinteger(L, (lua_Integer)r);
    lua_rawset(L, map);
    return r;
}

/* Long Table -> n x k ratings matrix (scratch). */
static double *ratings_from_table(lua_State *L, int opt, size_t *pn, size_t *pk)
{
    const char *fname = "rad.stats.icc";
    RadTable *t = radl_check_table(L, 1);
    const char *cname = radl_opt_string(L, opt, "case", "case");
    const char *rname = radl_opt_string(L, opt, "rater", "rater");
    const char *vname = radl_opt_string(L, opt, "value", "value");
    const RadColumn *cc, *rc, *vc;
    size_t n = 0, k = 0, *ci, *ri;
    int cmap, cl, rmap, rl;
    double *x;
    if (!(cc = rad_table_get(t, cname))) {
        rad_error_prefix("%s: case column (option 'case')", fname);
        radl_error(L);
    }
    if (!(rc = rad_table_get(t, rname))) {
        rad_error_prefix("%s: rater column (option 'rater')", fname);
        radl_error(L);
    }
    if (!(vc = rad_table_get_num(t, vname))) {
        rad_error_prefix("%s: value column (option 'value')", fname);
        radl_error(L);
    }
    ci = scratch(L, t->nrow * sizeof *ci);
    ri = scratch(L, t->nrow * sizeof *ri);
    lua_newtable(L);
    cmap = lua_gettop(L);
    lua_newtable(L);
    cl = lua_gettop(L);
    lua_newtable(L);
    rmap = lua_gettop(L);
    lua_newtable(L);
    rl = lua_gettop(L);
    for (size_t i = 0; i < t->nrow; i++) {
        push_key(L, cc, i, fname, "case");
        ci[i] = key_index(L, cmap, cl, &n);
        push_key(L, rc, i, fname, "rater");
        ri[i] = key_index(L, rmap, rl, &k);
        if (isnan(vc->num[i]))
            luaL_error(L, "%s: row %d has a missing value in column '%s'; the ICC needs complete ratings "
                       "(drop incomplete cases first)", fname, (int)i + 1, vname);
    }
    if (n < 2 || k < 2)
        luaL_error(L, "%s: needs at least 2 cases and 2 raters, the table has %d cases (column '%s') and %d raters "
                   "(column '%s')", fname, (int)n, cname, (int)k, rname);
    x = scratch(L, n * k * sizeof *x);
    for (size_t i = 0; i < n * k; i++)
        x[i] = NAN;
    for (size_t i = 0; i < t->nrow; i++) {
        double *cell = &x[ci[i] * k + ri[i]];
        if (!isnan(*cell)) {
            lua_rawgeti(L, cl, (lua_Integer)ci[i] + 1);
            lua_rawgeti(L, rl, (lua_Integer)ri[i] + 1);
            luaL_error(L, "%s: case %s has two ratings by rater %s (row %d); each case needs one rating per rater",
                       fname, lua_tostring(L, -2), lua_tostring(L, -1), (int)i + 1);
        }
        *cell = vc->num[i];
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++)
            if (isnan(x[i * k + j])) {
                lua_rawgeti(L, cl, (lua_Integer)i + 1);
                lua_rawgeti(L, rl, (lua_Integer)j + 1);
                luaL_error(L, "%s: case %s has no rating by rater %s; the ICC needs complete ratings (drop the case)",
                           fname, lua_tostring(L, -2), lua_tostring(L, -1));
            }
    *pn = n;
    *pk = k;
    return x;
}

/* Array of rows {{r11, r12, ...}, ...} -> n x k matrix (scratch). */
static double *ratings_from_rows(lua_State *L, size_t *pn, size_t *pk)
{
    const char *fname = "rad.stats.icc";
    size_t n = (size_t)lua_rawlen(L, 1), k = 0;
    double *x;
    for (size_t i = 1; i <= n; i++) {
        if (lua_rawgeti(L, 1, (lua_Integer)i) != LUA_TTABLE)
            luaL_error(L, "%s: row %d of the ratings is %s; pass an array of rows (one array of ratings per case) "
                       "or a long Table", fname, (int)i, luaL_typename(L, -1));
        if (i == 1)
            k = (size_t)lua_rawlen(L, -1);
        else if ((size_t)lua_rawlen(L, -1) != k)
            luaL_error(L, "%s: row %d has %d ratings, row 1 has %d; every case needs one rating per rater", fname,
                       (int)i, (int)lua_rawlen(L, -1), (int)k);
        lua_pop(L, 1);
    }
    x = scratch(L, n * k * sizeof *x);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, (lua_Integer)i);
        for (size_t j = 1; j <= k; j++) {
            int t = lua_rawgeti(L, -1, (lua_Integer)j);
            if (t == LUA_TNUMBER)
                x[(i - 1) * k + j - 1] = lua_tonumber(L, -1);
            else if (radl_is_na(L, -1))
                x[(i - 1) * k + j - 1] = NAN; /* the engine names case and rater */
            else
                luaL_error(L, "%s: rating %d of row %d is %s, a number is needed", fname, (int)j, (int)i,
                           luaL_typename(L, -1));
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    *pn = n;
    *pk = k;
    return x;
}

static void push_icc(lua_State *L, const RadIcc *r)
{
    lua_createtable(L, 0, 7);
    set_num(L, "icc", r->icc);
    set_num(L, "lower", r->lower);
    set_num(L, "upper", r->upper);
    set_num(L, "f", r->f);
    set_num(L, "df1", r->df1);
    set_num(L, "df2", r->df2);
    set_num(L, "p", r->p);
}

static int l_icc(lua_State *L)
{
    static const char *const keys[] = {"type", "case", "rater", "value", "conf", NULL};
    static const char *const types[] = {"1,1", "2,1", "3,1"};
    const char *tname;
    double *x, conf;
    size_t n = 0, k = 0;
    RadIcc r;
    lua_settop(L, 2); /* optional arguments stay below the scratch space */
    radl_check_keys(L, 2, "rad.stats.icc", keys);
    tname = radl_opt_string(L, 2, "type", NULL);
    conf = radl_opt_number(L, 2, "conf", 0.95);
    if (luaL_testudata(L, 1, RADL_TABLE))
        x = ratings_from_table(L, 2, &n, &k);
    else if (lua_type(L, 1) == LUA_TTABLE)
        x = ratings_from_rows(L, &n, &k);
    else
        return luaL_error(L, "rad.stats.icc: ratings must be a long Table or an array of rows, got %s",
                          luaL_typename(L, 1));
    if (tname) {
        int t = rad_icc_type(tname);
        if (t < 0 || rad_icc(x, n, k, (RadIccType)t, conf, &r) < 0)
            return radl_error(L);
        push_icc(L, &r);
        return 1;
    }
    lua_createtable(L, 0, 3);
    for (int t = 0; t < 3; t++) {
        if (rad_icc(x, n, k, (RadIccType)t, conf, &r) < 0)
            return radl_error(L);
        push_icc(L, &r);
        lua_setfield(L, -2, types[t]);
    }
    return 1;
}

/* ---- mutual information ------------------------------------------------------------------- */

/* Does the array at idx hold a string or boolean (then it is categorical)? */
static int has_labels(lua_State *L, int idx)
{
    size_t n = (size_t)lua_rawlen(L, idx);
    for (size_t i = 1; i <= n; i++) {
        int t = lua_rawgeti(L, idx, (lua_Integer)i);
        lua_pop(L, 1);
        if (t == LUA_TSTRING || t == LUA_TBOOLEAN)
            return 1;
    }
    return 0;
}

/* Values of a variable for mutual information: numbers as they are, or
 * category codes for labels (missing = NaN). */
static double *mi_values(lua_State *L, int idx, const char *what, size_t *n, int *cat)
{
    const char *fname = "rad.stats.mutual_info";
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: %s must be an array, got %s", fname, what, luaL_typename(L, idx));
    *cat = has_labels(L, idx);
    if (*cat) {
        int *codes, an;
        double *v;
        check_categories(L, idx, fname, what, n, &codes, &an);
        v = scratch(L, *n * sizeof *v);
        for (size_t i = 0; i < *n; i++)
            v[i] = codes[i] < 0 ? NAN : codes[i];
        return v;
    }
    return check_array(L, idx, fname, what, n);
}

static int l_mutual_info(lua_State *L)
{
    static const char *const keys[] = {"bins", NULL};
    size_t nx, ny;
    int xc, yc;
    lua_Integer bins;
    double *x, *y, mi;
    lua_settop(L, 3); /* optional arguments stay below the scratch space */
    radl_check_keys(L, 3, "rad.stats.mutual_info", keys);
    bins = radl_opt_integer(L, 3, "bins", 0);
    if (bins < 0 || bins == 1 || bins > 1000)
        luaL_error(L, "rad.stats.mutual_info: option 'bins' must be 2..1000 (or omitted for the default), got %d",
                   (int)bins);
    x = mi_values(L, 1, "x", &nx, &xc);
    y = mi_values(L, 2, "y", &ny, &yc);
    if (nx != ny)
        luaL_error(L, "rad.stats.mutual_info: x has %d values and y has %d; they must be equally long", (int)nx,
                   (int)ny);
    if (rad_mutual_info_cat(x, y, nx, (int)bins, xc, yc, &mi) < 0)
        return radl_error(L);
    lua_pushnumber(L, mi);
    return 1;
}

/* ---- registration ------------------------------------------------------------------------------ */

static int l_pnorm(lua_State *L)
{
    double x = luaL_checknumber(L, 1);
    lua_pushnumber(L, lua_toboolean(L, 2) ? gsl_cdf_ugaussian_Q(x) : gsl_cdf_ugaussian_P(x));
    return 1;
}

static int l_qnorm(lua_State *L)
{
    double p = luaL_checknumber(L, 1);
    if (!(p > 0 && p < 1))
        return radl_fail(L, "rad.stats.qnorm: p must be strictly between 0 and 1, got %g", p);
    lua_pushnumber(L, gsl_cdf_ugaussian_Pinv(p));
    return 1;
}

static int l_pchisq(lua_State *L)
{
    double x = luaL_checknumber(L, 1), df = luaL_checknumber(L, 2);
    if (!(df > 0))
        return radl_fail(L, "rad.stats.pchisq: df must be > 0, got %g", df);
    lua_pushnumber(L, x <= 0 ? (lua_toboolean(L, 3) ? 1.0 : 0.0)
                             : (lua_toboolean(L, 3) ? gsl_cdf_chisq_Q(x, df) : gsl_cdf_chisq_P(x, df)));
    return 1;
}

static const RadlReg stats_funcs[] = {
    {"pnorm", l_pnorm,
     "rad.stats.pnorm(x [, upper]) -> number: the standard normal distribution function P(Z <= x) (upper = true: "
     "P(Z > x), accurate in the far tail)"},
    {"qnorm", l_qnorm, "rad.stats.qnorm(p) -> x: the standard normal quantile, P(Z <= x) = p"},
    {"pchisq", l_pchisq,
     "rad.stats.pchisq(x, df [, upper]) -> number: the chi-square distribution function with df degrees of freedom "
     "(upper = true: P(X > x), the p-value of a chi-square statistic)"},
    {"ttest", l_ttest,
     "rad.stats.ttest(a, b) -> {t, df, p, mean1, mean2, n1, n2}: Welch two-sample t test, two-sided (R t.test)"},
    {"wilcox", l_wilcox,
     "rad.stats.wilcox(a, b) -> {w, p, exact, n1, n2}: Wilcoxon rank-sum / Mann-Whitney U test, two-sided (R wilcox.test)"},
    {"chisq", l_chisq,
     "rad.stats.chisq(x, y | counts [, {correct}]) -> {chisq, df, p, min_expected, yates}: Pearson chi-square test of "
     "independence, Yates-corrected for 2x2 (R chisq.test)"},
    {"fisher", l_fisher,
     "rad.stats.fisher(counts | x, y) -> {p, odds_ratio}: Fisher's exact test of a 2x2 table, conditional MLE odds ratio "
     "(R fisher.test)"},
    {"p_adjust", l_p_adjust,
     "rad.stats.p_adjust(p [, \"BH\"|\"bonferroni\"|\"holm\"]) -> array: adjusted p-values, default BH (R p.adjust)"},
    {"cor", l_cor,
     "rad.stats.cor(x, y [, \"pearson\"|\"spearman\"]) -> r: correlation over the complete pairs"},
    {"cor_matrix", l_cor_matrix,
     "rad.stats.cor_matrix(t [, {method, cols}]) -> Table: correlation matrix of numeric columns (pairwise complete), "
     "a 'feature' column then one column per feature"},
    {"icc", l_icc,
     "rad.stats.icc(ratings [, {type, case, rater, value, conf}]) -> {icc, lower, upper, f, df1, df2, p}: ICC(1,1), (2,1) or "
     "(3,1) with CI (Shrout & Fleiss); ratings a long Table or an array of rows; all three keyed by type when "
     "type is omitted"},
    {"mutual_info", l_mutual_info,
     "rad.stats.mutual_info(x, y [, {bins}]) -> number: mutual information in nats; numbers in equal-frequency bins, "
     "labels as categories"},
    {NULL, NULL, NULL}};

void radl_open_stats(lua_State *L)
{
    lua_newtable(L);
    radl_register(L, stats_funcs, "rad.stats.");
    lua_setfield(L, -2, "stats");
}
