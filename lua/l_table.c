/* radlab: Table userdata, rad.read_csv, rad.table.new and rad.NA.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Table box holds a RadTable pointer (NULL while empty or after close).
 * Rows and indices are 1-based on the Lua side.  Missing values appear as
 * the sentinel rad.NA (a unique table that prints as NA), never as holes, so
 * that # of a column is its length.  Scratch arrays handed to the engine are
 * Lua userdata, so that an error raised half-way leaks nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"


/* ---- rad.NA -------------------------------------------------------------------- */

static int na_tostring(lua_State *L)
{
    lua_pushliteral(L, "NA");
    return 1;
}

static int na_newindex(lua_State *L)
{
    return luaL_error(L, "rad.NA is a constant and cannot be changed");
}

static void create_na(lua_State *L)
{
    lua_newtable(L);
    lua_newtable(L);
    lua_pushcfunction(L, na_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, na_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "rad.NA");
    lua_setfield(L, -2, "__name");
    lua_pushliteral(L, "rad.NA");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, RADL_NA_KEY);
}

/* ---- boxes -------------------------------------------------------------------- */

/* Push a new box holding t, or raise the engine's error when t is NULL. */
static void push_result(lua_State *L, RadTable *t)
{
    RadTable **box;
    if (!t)
        radl_error(L);
    box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = t;
    luaL_setmetatable(L, RADL_TABLE);
}

/* Scratch memory owned by the Lua stack (left there; popped by the caller's return). */
static void *scratch(lua_State *L, size_t size)
{
    return lua_newuserdatauv(L, size ? size : 1, 0);
}

static const RadColumn *check_column(lua_State *L, const RadTable *t, int idx)
{
    const RadColumn *c = rad_table_get(t, luaL_checkstring(L, idx));
    if (!c)
        radl_error(L);
    return c;
}

static void push_cell(lua_State *L, const RadColumn *c, size_t i)
{
    if (c->type == RAD_COL_NUM) {
        double v = c->num[i];
        if (rad_na_num(v))
            radl_push_na(L);
        else if (v == floor(v) && fabs(v) <= 9007199254740992.0 && !(v == 0 && signbit(v)))
            lua_pushinteger(L, (lua_Integer)v); /* whole numbers print as 61, not 61.0 */
        else
            lua_pushnumber(L, v);
    } else if (c->str[i])
        lua_pushstring(L, c->str[i]);
    else
        radl_push_na(L);
}

static void push_row(lua_State *L, const RadTable *t, size_t i)
{
    lua_createtable(L, 0, (int)t->ncol);
    for (size_t j = 0; j < t->ncol; j++) {
        push_cell(L, &t->cols[j], i);
        lua_setfield(L, -2, t->cols[j].name);
    }
}

/* 1-based row argument -> 0-based, checked. */
static size_t check_row(lua_State *L, int idx, const RadTable *t)
{
    lua_Integer r = luaL_checkinteger(L, idx);
    if (r < 1 || (size_t)r > t->nrow)
        luaL_error(L, "row %d is out of range (the table has %d rows)", (int)r, (int)t->nrow);
    return (size_t)(r - 1);
}

/* Column names from an array at idx, or from the varargs idx..top.  The
 * strings stay valid while the arguments are on the stack. */
static const char **check_names(lua_State *L, int idx, size_t *n, const char *what)
{
    const char **names;
    int top = lua_gettop(L);
    if (lua_istable(L, idx)) {
        size_t len = (size_t)lua_rawlen(L, idx);
        names = scratch(L, len * sizeof *names);
        for (size_t k = 0; k < len; k++) {
            if (lua_rawgeti(L, idx, (lua_Integer)k + 1) != LUA_TSTRING)
                luaL_error(L, "%s: element %d of the names is %s, a column name is needed", what, (int)k + 1,
                           luaL_typename(L, -1));
            names[k] = lua_tostring(L, -1);
            lua_pop(L, 1); /* the array keeps the string alive */
        }
        *n = len;
    } else {
        size_t len = top >= idx ? (size_t)(top - idx + 1) : 0;
        names = scratch(L, len * sizeof *names);
        for (size_t k = 0; k < len; k++) {
            if (lua_type(L, idx + (int)k) != LUA_TSTRING)
                luaL_error(L, "%s: argument %d is %s, a column name is needed", what, (int)k + 1,
                           luaL_typename(L, idx + (int)k));
            names[k] = lua_tostring(L, idx + (int)k);
        }
        *n = len;
    }
    return names;
}

/* Add the Lua array at idx as column `name` to t (in place); `fname` and the
 * name label errors.  Strings make a string column; numbers a numeric one. */
static void add_values(lua_State *L, RadTable *t, const char *name, int idx, const char *fname)
{
    size_t len, nstr = 0, nnum = 0;
    int rc;
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx))
        luaL_error(L, "%s: the values of column '%s' must be an array, got %s", fname, name, luaL_typename(L, idx));
    len = (size_t)lua_rawlen(L, idx);
    if (t->ncol == 0)
        t->nrow = len; /* the first column sets the length */
    if (len != t->nrow)
        luaL_error(L, "%s: column '%s' has %d values, the table has %d rows", fname, name, (int)len, (int)t->nrow);
    for (size_t i = 1; i <= len; i++) {
        int ty = lua_rawgeti(L, idx, (lua_Integer)i);
        if (ty == LUA_TSTRING)
            nstr++;
        else if (ty == LUA_TNUMBER)
            nnum++;
        else if (ty != LUA_TNIL && !radl_is_na(L, -1))
            luaL_error(L, "%s: column '%s', value %d is %s (numbers, strings or rad.NA only)", fname, name, (int)i,
                       luaL_typename(L, -1));
        lua_pop(L, 1);
    }
    if (nstr && nnum)
        luaL_error(L, "%s: column '%s' mixes numbers and strings (convert them to one type)", fname, name);
    if (nstr) {
        const char **v = scratch(L, len * sizeof *v);
        for (size_t i = 1; i <= len; i++) {
            v[i - 1] = lua_rawgeti(L, idx, (lua_Integer)i) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            lua_pop(L, 1);
        }
        rc = rad_table_add_str(t, name, v);
    } else {
        double *v = scratch(L, len * sizeof *v);
        for (size_t i = 1; i <= len; i++) {
            v[i - 1] = lua_rawgeti(L, idx, (lua_Integer)i) == LUA_TNUMBER ? lua_tonumber(L, -1) : NAN;
            lua_pop(L, 1);
        }
        rc = rad_table_add_num(t, name, v);
    }
    lua_pop(L, 1);
    if (rc < 0)
        radl_error(L);
}

/* ---- constructors --------------------------------------------------------------- */

static char check_sep(lua_State *L, const char *s, const char *fname)
{
    if (!s)
        return 0;
    if (strcmp(s, ",") == 0 || strcmp(s, ";") == 0 || strcmp(s, "\t") == 0)
        return s[0];
    if (strcmp(s, "tab") == 0)
        return '\t';
    luaL_error(L, "%s: option 'sep' must be \",\", \";\" or \"\\t\", got \"%s\"", fname, s);
    return 0;
}

static int l_read_csv(lua_State *L)
{
    static const char *const keys[] = {"sep", "types", "na", "decimal", "inf", NULL};
    const char *path = luaL_checkstring(L, 1);
    RadCsvOptions opt;
    RadCsvReport rep;
    RadTable **box;
    memset(&opt, 0, sizeof opt);
    opt.report = &rep;
    radl_check_keys(L, 2, "read_csv", keys);
    opt.sep = check_sep(L, radl_opt_string(L, 2, "sep", NULL), "read_csv");
    {
        const char *d = radl_opt_string(L, 2, "decimal", ".");
        if (strcmp(d, ".") != 0 && strcmp(d, ",") != 0)
            return radl_fail(L, "read_csv: option 'decimal' must be \".\" or \",\", got \"%s\"", d);
        opt.decimal = d[0];
        if (!lua_isnoneornil(L, 2)) {
            int ty = lua_getfield(L, 2, "inf");
            if (ty != LUA_TNIL && ty != LUA_TBOOLEAN)
                return radl_fail(L, "read_csv: option 'inf' must be true (infinite cells are +-infinity) or false "
                                 "(they are missing), got %s", luaL_typename(L, -1));
            opt.inf = lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
    }
    if (!lua_isnoneornil(L, 2)) {
        int ty = lua_getfield(L, 2, "types"); /* stays on the stack: keeps the names alive */
        if (ty == LUA_TTABLE) {
            size_t ns = 0, nn = 0, cnt = 0;
            const char **sc, **nc;
            int ti = lua_gettop(L);
            lua_pushnil(L);
            while (lua_next(L, ti)) {
                cnt++;
                lua_pop(L, 1);
            }
            sc = scratch(L, (cnt + 1) * sizeof *sc);
            nc = scratch(L, (cnt + 1) * sizeof *nc);
            lua_pushnil(L);
            while (lua_next(L, ti)) {
                const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
                if (lua_type(L, -2) != LUA_TSTRING)
                    luaL_error(L, "read_csv: option 'types' must map column names to \"string\" or \"number\"");
                if (strcmp(v, "string") == 0)
                    sc[ns++] = lua_tostring(L, -2);
                else if (strcmp(v, "number") == 0)
                    nc[nn++] = lua_tostring(L, -2);
                else
                    luaL_error(L, "read_csv: types.%s must be \"string\" or \"number\"", lua_tostring(L, -2));
                lua_pop(L, 1);
            }
            sc[ns] = nc[nn] = NULL;
            opt.str_cols = sc;
            opt.num_cols = nc;
        } else if (ty != LUA_TNIL)
            luaL_error(L, "read_csv: option 'types' must be a table such as {id = \"string\"}");
        ty = lua_getfield(L, 2, "na");
        if (ty == LUA_TSTRING) {
            const char **na = scratch(L, 2 * sizeof *na);
            na[0] = lua_tostring(L, -2);
            na[1] = NULL;
            opt.na = na;
        } else if (ty == LUA_TTABLE) {
            int ni = lua_gettop(L);
            size_t len = (size_t)lua_rawlen(L, ni);
            const char **na = scratch(L, (len + 1) * sizeof *na);
            for (size_t k = 0; k < len; k++) {
                if (lua_rawgeti(L, ni, (lua_Integer)k + 1) != LUA_TSTRING)
                    luaL_error(L, "read_csv: na[%d] must be a string", (int)k + 1);
                na[k] = lua_tostring(L, -1);
                lua_pop(L, 1);
            }
            na[len] = NULL;
            opt.na = na;
        } else if (ty != LUA_TNIL)
            luaL_error(L, "read_csv: option 'na' must be a string or an array of strings such as {\"-\", \"?\"}");
    }
    box = radl_table_push(L);
    *box = rad_table_read_csv(path, &opt);
    if (!*box)
        return radl_error(L);
    if (rep.warning[0])
        radl_warn(L, "rad.read_csv: %s: %s", path, rep.warning);
    return 1;
}

/* rad.quiet([on]) -> previous: while on, warnings are recorded
 * (rad.warnings) but not shown; a resampling loop reports one summary. */
static int l_quiet(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, RADL_QUIET_KEY);
    int prev = lua_toboolean(L, -1);
    if (!lua_isnoneornil(L, 1)) {
        luaL_checktype(L, 1, LUA_TBOOLEAN);
        lua_pushboolean(L, lua_toboolean(L, 1));
        lua_setfield(L, LUA_REGISTRYINDEX, RADL_QUIET_KEY);
    }
    lua_pushboolean(L, prev);
    return 1;
}

static int l_warnings(lua_State *L)
{
    int clear = lua_toboolean(L, 1);
    if (lua_getfield(L, LUA_REGISTRYINDEX, RADL_WARNINGS_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
    }
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, -2, k);
        lua_rawseti(L, -2, k);
    }
    if (clear) {
        lua_newtable(L);
        lua_setfield(L, LUA_REGISTRYINDEX, RADL_WARNINGS_KEY);
    }
    return 1;
}

static int l_table_new(lua_State *L)
{
    RadTable **box;
    size_t ncol, nrow = 0;
    luaL_checktype(L, 1, LUA_TTABLE);
    ncol = (size_t)lua_rawlen(L, 1);
    /* a key that is not 1..ncol: {time = {...}} instead of {{"time", {...}}} */
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > (lua_Integer)ncol) {
            const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1);
            return radl_fail(L, "rad.table.new: got a column keyed '%s'; give an array of {name, values} pairs "
                             "(columns keep their order): rad.table.new{{\"%s\", {...}}, {\"other\", {...}}}", k,
                             lua_type(L, -1) == LUA_TSTRING ? k : "name");
        }
    }
    if (ncol) {
        if (lua_rawgeti(L, 1, 1) != LUA_TTABLE)
            luaL_error(L, "rad.table.new: element 1 must be a pair {name, values}");
        if (lua_rawgeti(L, -1, 2) != LUA_TTABLE)
            luaL_error(L, "rad.table.new: element 1 must be a pair {name, values} with an array of values");
        nrow = (size_t)lua_rawlen(L, -1);
        lua_pop(L, 2);
    }
    box = radl_table_push(L);
    if (!(*box = rad_table_new(nrow)))
        return radl_error(L);
    for (size_t k = 1; k <= ncol; k++) {
        const char *name;
        size_t len;
        if (lua_rawgeti(L, 1, (lua_Integer)k) != LUA_TTABLE)
            luaL_error(L, "rad.table.new: element %d must be a pair {name, values}", (int)k);
        if (lua_rawgeti(L, -1, 1) != LUA_TSTRING)
            luaL_error(L, "rad.table.new: element %d must start with a column name", (int)k);
        name = lua_tostring(L, -1);
        if (lua_rawgeti(L, -2, 2) != LUA_TTABLE)
            luaL_error(L, "rad.table.new: column '%s' needs an array of values", name);
        len = (size_t)lua_rawlen(L, -1);
        if (len != nrow) {
            lua_rawgeti(L, 1, 1);
            lua_rawgeti(L, -1, 1);
            luaL_error(L, "rad.table.new: column '%s' has %d values, column '%s' has %d (all columns need the same "
                       "length; use rad.NA for missing values)", name, (int)len, lua_tostring(L, -1), (int)nrow);
        }
        add_values(L, *box, name, -1, "rad.table.new");
        lua_pop(L, 3);
    }
    return 1;
}

/* ---- methods ------------------------------------------------------------------ */

static int m_nrow(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)radl_check_table(L, 1)->nrow);
    return 1;
}

static int m_ncol(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)radl_check_table(L, 1)->ncol);
    return 1;
}

static int m_names(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    lua_createtable(L, (int)t->ncol, 0);
    for (size_t j = 0; j < t->ncol; j++) {
        lua_pushstring(L, t->cols[j].name);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    return 1;
}

static int m_col(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    const RadColumn *c = check_column(L, t, 2);
    lua_createtable(L, (int)t->nrow, 0);
    for (size_t i = 0; i < t->nrow; i++) {
        push_cell(L, c, i);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int m_type(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    lua_pushstring(L, check_column(L, t, 2)->type == RAD_COL_NUM ? "number" : "string");
    return 1;
}

static int m_get(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    size_t i = check_row(L, 2, t);
    push_cell(L, check_column(L, t, 3), i);
    return 1;
}

static int m_row(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    push_row(L, t, check_row(L, 2, t));
    return 1;
}

static int m_select(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    size_t n;
    const char **names = check_names(L, 2, &n, "select");
    push_result(L, rad_table_select(t, names, n));
    return 1;
}

static int m_rows(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    size_t n, *idx;
    luaL_checktype(L, 2, LUA_TTABLE);
    n = (size_t)lua_rawlen(L, 2);
    idx = scratch(L, n * sizeof *idx);
    for (size_t k = 0; k < n; k++) {
        int isint = 0;
        lua_Integer r;
        lua_rawgeti(L, 2, (lua_Integer)k + 1);
        r = lua_tointegerx(L, -1, &isint);
        if (!isint)
            luaL_error(L, "rows: index %d is %s, a whole row number is needed", (int)k + 1, luaL_typename(L, -1));
        if (r < 1 || (size_t)r > t->nrow)
            luaL_error(L, "rows: index %d is row %d, out of range (the table has %d rows)", (int)k + 1, (int)r,
                       (int)t->nrow);
        idx[k] = (size_t)(r - 1);
        lua_pop(L, 1);
    }
    push_result(L, rad_table_rows(t, idx, n));
    return 1;
}

/* ---- read-only row views for filter ----------------------------------------------
 * A Row is a userdata holding a 0-based row number, with user values 1 = the
 * Table box and 2 = a {name = column index} map shared by all rows of one
 * filter call; r.name reads the cell without building a Lua table per row. */
#define RADL_ROW "rad.Row"

static const RadColumn *row_column(lua_State *L, size_t *i)
{
    RadTable *t;
    lua_Integer j;
    *i = *(size_t *)luaL_checkudata(L, 1, RADL_ROW);
    lua_getiuservalue(L, 1, 1);
    t = radl_check_table(L, -1);
    lua_getiuservalue(L, 1, 2);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TNUMBER) {
        lua_pop(L, 3);
        return NULL;
    }
    j = lua_tointeger(L, -1);
    lua_pop(L, 3);
    if (j < 0 || (size_t)j >= t->ncol || *i >= t->nrow || strcmp(t->cols[j].name, lua_tostring(L, 2)) != 0)
        return NULL; /* also when fn dropped columns of the table meanwhile */
    return &t->cols[j];
}

static int row_index(lua_State *L)
{
    size_t i;
    const RadColumn *c = row_column(L, &i);
    if (!c)
        return luaL_error(L, "filter: the row has no column '%s'", lua_tostring(L, 2) ? lua_tostring(L, 2) : "?");
    push_cell(L, c, i);
    return 1;
}

static int row_newindex(lua_State *L)
{
    return luaL_error(L, "filter: the row is read-only (use t:row(i) for a table you can change)");
}

static int row_next(lua_State *L)
{
    size_t i = *(size_t *)luaL_checkudata(L, 1, RADL_ROW);
    RadTable *t;
    lua_Integer j = 0;
    lua_getiuservalue(L, 1, 1);
    t = radl_check_table(L, -1);
    if (!lua_isnil(L, 2)) {
        lua_getiuservalue(L, 1, 2);
        lua_pushvalue(L, 2);
        lua_rawget(L, -2);
        j = lua_tointeger(L, -1) + 1;
    }
    if ((size_t)j >= t->ncol || i >= t->nrow)
        return 0;
    lua_pushstring(L, t->cols[j].name);
    push_cell(L, &t->cols[j], i);
    return 2;
}

static int row_pairs(lua_State *L)
{
    luaL_checkudata(L, 1, RADL_ROW);
    lua_pushcfunction(L, row_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static int row_tostring(lua_State *L)
{
    lua_pushfstring(L, "Row %d", (int)(*(size_t *)luaL_checkudata(L, 1, RADL_ROW) + 1));
    return 1;
}

static int m_filter(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    size_t n = 0, *idx;
    int map;
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    idx = scratch(L, t->nrow * sizeof *idx);
    lua_createtable(L, 0, (int)t->ncol);
    for (size_t j = 0; j < t->ncol; j++) {
        lua_pushinteger(L, (lua_Integer)j);
        lua_setfield(L, -2, t->cols[j].name);
    }
    map = lua_gettop(L);
    for (size_t i = 0; i < t->nrow; i++) {
        size_t *row;
        lua_pushvalue(L, 2);
        row = lua_newuserdatauv(L, sizeof *row, 2);
        *row = i;
        luaL_setmetatable(L, RADL_ROW);
        lua_pushvalue(L, 1);
        lua_setiuservalue(L, -2, 1);
        lua_pushvalue(L, map);
        lua_setiuservalue(L, -2, 2);
        lua_call(L, 1, 1);
        if (lua_toboolean(L, -1))
            idx[n++] = i;
        lua_pop(L, 1);
        t = radl_check_table(L, 1); /* fn may have closed it */
        if (t->nrow < i + 1)
            luaL_error(L, "filter: the table changed while filtering");
    }
    push_result(L, rad_table_rows(t, idx, n));
    return 1;
}

static int m_drop_na(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    size_t n;
    const char **names = check_names(L, 2, &n, "drop_na");
    push_result(L, rad_table_drop_na(t, names, n));
    return 1;
}

static int m_add(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    const char *name = luaL_checkstring(L, 2);
    luaL_checkany(L, 3);
    add_values(L, t, name, 3, "add");
    lua_settop(L, 1);
    return 1;
}

static int m_drop(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    if (rad_table_drop(t, luaL_checkstring(L, 2)) < 0)
        return radl_error(L);
    lua_settop(L, 1);
    return 1;
}

static int m_join(lua_State *L)
{
    RadTable *a = radl_check_table(L, 1), *b = radl_check_table(L, 2);
    push_result(L, rad_table_join(a, b, luaL_checkstring(L, 3)));
    return 1;
}

static int cmp_size_num(const void *x, const void *y, const RadColumn *c)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    if (c->type == RAD_COL_NUM)
        return (c->num[i] > c->num[j]) - (c->num[i] < c->num[j]);
    return strcmp(c->str[i], c->str[j]);
}

static const RadColumn *sort_col; /* qsort has no context argument; main thread only */
static int cmp_rows(const void *x, const void *y)
{
    int r = cmp_size_num(x, y, sort_col);
    if (r)
        return r;
    return (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
}

static int m_split(lua_State *L)
{
    static const char *const keys[] = {"by", NULL};
    RadTable *t = radl_check_table(L, 1);
    const RadColumn *c;
    const char *by;
    size_t n = 0, *idx, nlev = 0;
    luaL_checktype(L, 2, LUA_TTABLE);
    radl_check_keys(L, 2, "split", keys);
    by = radl_opt_string(L, 2, "by", NULL);
    if (!by)
        luaL_error(L, "split: option 'by' (the column to split on) is required");
    if (!(c = rad_table_get(t, by)))
        return radl_error(L);
    idx = scratch(L, t->nrow * sizeof *idx);
    for (size_t i = 0; i < t->nrow; i++)
        if (c->type == RAD_COL_NUM ? !rad_na_num(c->num[i]) : c->str[i] != NULL)
            idx[n++] = i;
    sort_col = c;
    qsort(idx, n, sizeof *idx, cmp_rows);
    lua_newtable(L);    /* result */
    lua_newtable(L);    /* levels */
    for (size_t s = 0; s < n;) {
        size_t e = s + 1;
        while (e < n && cmp_size_num(&idx[s], &idx[e], c) == 0)
            e++;
        push_cell(L, c, idx[s]);
        if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "levels") == 0)
            luaL_error(L, "split: column '%s' has the value 'levels', which would clash with the field 'levels'", by);
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, (lua_Integer)++nlev);
        push_result(L, rad_table_rows(t, idx + s, e - s));
        lua_rawset(L, -4);
        s = e;
    }
    lua_setfield(L, -2, "levels");
    return 1;
}

static int m_head(lua_State *L)
{
    RadTable *t = radl_check_table(L, 1);
    lua_Integer k = luaL_optinteger(L, 2, 6);
    size_t n, *idx;
    if (k < 0)
        luaL_error(L, "head: n must be 0 or more, got %d", (int)k);
    n = (size_t)k < t->nrow ? (size_t)k : t->nrow;
    idx = scratch(L, n * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    push_result(L, rad_table_rows(t, idx, n));
    return 1;
}

static int m_describe(lua_State *L)
{
    push_result(L, rad_table_describe(radl_check_table(L, 1)));
    return 1;
}

static int m_write_csv(lua_State *L)
{
    static const char *const keys[] = {"sep", NULL};
    RadTable *t = radl_check_table(L, 1);
    const char *path = luaL_checkstring(L, 2);
    char sep;
    radl_check_keys(L, 3, "write_csv", keys);
    sep = check_sep(L, radl_opt_string(L, 3, "sep", NULL), "write_csv");
    if (rad_table_write_csv(t, path, sep) < 0)
        return radl_error(L);
    lua_settop(L, 1);
    return 1;
}

static int m_copy(lua_State *L)
{
    push_result(L, rad_table_copy(radl_check_table(L, 1)));
    return 1;
}

static int m_close(lua_State *L)
{
    RadTable **box = luaL_checkudata(L, 1, RADL_TABLE);
    rad_table_free(*box);
    *box = NULL;
    return 0;
}

static int m_len(lua_State *L)
{
    return m_nrow(L);
}

/* Text of one cell for printing (numbers with %.6g). */
/* Characters of UTF-8 text (bytes that do not continue a sequence), so
 * that columns of names such as "Müller" line up. */
static size_t u8len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Text longer than 16 characters: its first 13 and "...", cut between
 * characters, never inside one. */
static void u8cut(char *buf, size_t size)
{
    if (u8len(buf) <= 16)
        return;
    size_t k = 0, chars = 0;
    while (buf[k] && chars < 13) {
        k++;
        while (((unsigned char)buf[k] & 0xC0) == 0x80)
            k++;
        chars++;
    }
    if (k + 4 <= size)
        strcpy(buf + k, "...");
}

static void cell_text(const RadColumn *c, size_t i, char *buf, size_t size)
{
    if (c->type == RAD_COL_NUM) {
        if (rad_na_num(c->num[i]))
            snprintf(buf, size, "NA");
        else
            snprintf(buf, size, "%.6g", c->num[i]);
    } else
        snprintf(buf, size, "%s", c->str[i] ? c->str[i] : "NA");
    u8cut(buf, size);
}

/* A cell padded to w characters: numbers right-aligned, text left-aligned
 * (as R prints), after two spaces unless it is the first column. */
static void add_cell(luaL_Buffer *b, const char *cell, size_t w, int right, int first)
{
    size_t n = u8len(cell);
    if (!first)
        luaL_addstring(b, "  ");
    for (size_t k = n; right && k < w; k++)
        luaL_addchar(b, ' ');
    luaL_addstring(b, cell);
    for (size_t k = n; !right && k < w; k++)
        luaL_addchar(b, ' ');
}

static int m_tostring(lua_State *L)
{
    RadTable **box = luaL_checkudata(L, 1, RADL_TABLE);
    RadTable *t = *box;
    size_t nshow, ncshow = 0, width = 0, *w;
    luaL_Buffer b;
    char cell[128], line[64];
    if (!t) {
        lua_pushliteral(L, "Table (closed)");
        return 1;
    }
    nshow = t->nrow < 10 ? t->nrow : 10;
    w = scratch(L, t->ncol * sizeof *w);
    for (size_t j = 0; j < t->ncol; j++) {
        size_t cw = u8len(t->cols[j].name);
        if (cw > 16)
            cw = 16;
        for (size_t i = 0; i < nshow; i++) {
            cell_text(&t->cols[j], i, cell, sizeof cell);
            if (u8len(cell) > cw)
                cw = u8len(cell);
        }
        if (ncshow && width + cw + 2 > 100)
            break;
        w[j] = cw;
        width += cw + 2;
        ncshow++;
    }
    luaL_buffinit(L, &b);
    snprintf(line, sizeof line, "Table: %zu rows x %zu columns\n", t->nrow, t->ncol);
    luaL_addstring(&b, line);
    for (size_t j = 0; j < ncshow; j++) {
        snprintf(cell, sizeof cell, "%s", t->cols[j].name);
        u8cut(cell, sizeof cell);
        add_cell(&b, cell, w[j], t->cols[j].type == RAD_COL_NUM, j == 0);
    }
    for (size_t i = 0; i < nshow; i++) {
        luaL_addchar(&b, '\n');
        for (size_t j = 0; j < ncshow; j++) {
            cell_text(&t->cols[j], i, cell, sizeof cell);
            add_cell(&b, cell, w[j], t->cols[j].type == RAD_COL_NUM, j == 0);
        }
    }
    if (t->nrow > nshow || t->ncol > ncshow) {
        luaL_addstring(&b, "\n...");
        if (t->nrow > nshow) {
            snprintf(line, sizeof line, " %zu more row%s", t->nrow - nshow, t->nrow - nshow == 1 ? "" : "s");
            luaL_addstring(&b, line);
        }
        if (t->ncol > ncshow) {
            snprintf(line, sizeof line, "%s %zu more column%s", t->nrow > nshow ? "," : "", t->ncol - ncshow,
                     t->ncol - ncshow == 1 ? "" : "s");
            luaL_addstring(&b, line);
        }
    }
    luaL_pushresult(&b);
    return 1;
}

void radl_open_table(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"read_csv", l_read_csv, "rad.read_csv(path [, {sep =, types = {col = \"string\"|\"number\"}, na = {...}, decimal = \".\"|\",\", inf = false}]) -> Table: read a CSV file (RFC 4180). Missing: empty cells, NA, NaN, nan and the na spellings. inf, -Inf, Infinity cells are read as missing with a warning, or as +-infinity with inf = true. decimal = \",\" reads 1,5 as 1.5 (fields then separated by ';' or tab). A number beyond the double range is an error naming line and column"},
        {"quiet", l_quiet, "rad.quiet([on]) -> previous: with true, radlab's warnings are recorded (rad.warnings) but not shown, e.g. inside a resampling loop; returns the previous setting so it can be restored"},
        {"warnings", l_warnings, "rad.warnings([clear]) -> {messages}: the warnings radlab issued (dropped model terms, infinite CSV cells, numeric-looking factors), oldest first (the first 1000 since the last clear); clear = true empties the list"},
        {NULL, NULL, NULL}};
    static const RadlReg table_funcs[] = {
        {"new", l_table_new, "rad.table.new{{name, values}, ...} -> Table: a table from columns in order (rad.NA for missing values)"},
        {NULL, NULL, NULL}};
    static const RadlReg methods[] = {
        {"nrow", m_nrow, "Table:nrow() -> integer: the number of rows"},
        {"ncol", m_ncol, "Table:ncol() -> integer: the number of columns"},
        {"names", m_names, "Table:names() -> {names}: the column names in order"},
        {"col", m_col, "Table:col(name) -> array: the values of a column (rad.NA for missing)"},
        {"type", m_type, "Table:type(name) -> \"number\"|\"string\": the type of a column"},
        {"get", m_get, "Table:get(row, name) -> value: one cell (1-based row; rad.NA when missing)"},
        {"row", m_row, "Table:row(i) -> {name = value}: one row as a Lua table"},
        {"select", m_select, "Table:select(names or name, ...) -> Table: these columns in this order"},
        {"rows", m_rows, "Table:rows({i, ...}) -> Table: these rows in this order (1-based; repeats allowed)"},
        {"filter", m_filter, "Table:filter(fn) -> Table: the rows for which fn(row) is true (row: a read-only view, row.name reads a cell)"},
        {"drop_na", m_drop_na, "Table:drop_na([names]) -> Table: the rows without missing values (in these columns)"},
        {"add", m_add, "Table:add(name, values) -> Table: append a column in place (an array of nrow values)"},
        {"drop", m_drop, "Table:drop(name) -> Table: remove a column in place"},
        {"join", m_join, "Table:join(other, key) -> Table: inner join on a key column unique in other"},
        {"split", m_split, "Table:split{by = name} -> {[value] = Table, levels = {values}}: one table per value"},
        {"head", m_head, "Table:head([n]) -> Table: the first n rows (default 6)"},
        {"describe", m_describe, "Table:describe() -> Table: one row per column: n, missing, mean, sd, min, median, max or levels, top"},
        {"write_csv", m_write_csv, "Table:write_csv(path [, {sep =}]) -> Table: write a CSV file atomically (round-trip exact numbers)"},
        {"copy", m_copy, "Table:copy() -> Table: an independent copy"},
        {"close", m_close, "Table:close(): free the table now (also done by the garbage collector)"},
        {NULL, NULL, NULL}};

    luaL_newmetatable(L, RADL_ROW);
    lua_pushcfunction(L, row_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, row_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, row_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushcfunction(L, row_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    create_na(L);
    radl_push_na(L);
    lua_setfield(L, -2, "NA");
    radl_register(L, funcs, "rad.");
    lua_newtable(L);
    radl_register(L, table_funcs, "rad.table.");
    lua_setfield(L, -2, "table");
    radl_new_class(L, RADL_TABLE, methods, "Table:", m_close, m_tostring);
    lua_pushcfunction(L, m_len);
    lua_setfield(L, -2, "__len");
    lua_pop(L, 1);
}
