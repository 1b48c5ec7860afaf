/* radlab: Lua binding of the case-parallel extraction over a cohort.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   rad.extract_cohort(manifest, settings, {threads =, strict =}) -> Table
 *
 * The manifest is a Table (columns id, image, mask, optional label, roi,
 * modality) or the path of a CSV file holding one, whose relative paths are
 * then read relative to the file's folder.  The engine (src/cohort/) runs
 * the cases on a thread pool over plain C data; the Lua state is touched
 * only here, on the main thread, before and after.  The engine's results
 * live in a guard userdata created before the call, so an error anywhere
 * leaves nothing to leak.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "cohort/cohort.h"
#include "util/pool.h"

#define GUARD "rad.CohortGuard"
#define FNAME "rad.extract_cohort"

static int guard_gc(lua_State *L)
{
    RadCohortResult *r = luaL_checkudata(L, 1, GUARD);
    rad_cohort_result_free(r);
    return 0;
}

/* The manifest's column `name` as a string column, or an error naming what
 * was found. */
static const RadColumn *need_column(lua_State *L, const RadTable *t, const char *name, const char *what)
{
    long j = rad_table_find(t, name);
    if (j < 0) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (size_t k = 0; k < t->ncol; k++) {
            if (k)
                luaL_addstring(&b, ", ");
            luaL_addstring(&b, t->cols[k].name);
        }
        luaL_pushresult(&b);
        radl_fail(L, "%s: the manifest has no column '%s' (%s); its columns: %s", FNAME, name, what,
                  lua_tostring(L, -1));
    }
    return &t->cols[j];
}

/* The manifest from a CSV path: a Table box pushed on the stack.  The key
 * and path columns are read as text (an id "007" stays "007"). */
static RadTable *read_manifest(lua_State *L, const char *path)
{
    static const char *const text[] = {"id", "image", "mask", "roi", "modality"};
    const char *str_cols[6];
    size_t ns = 0;
    RadTable **box = radl_table_push(L);
    *box = rad_table_read_csv(path, NULL);
    if (!*box)
        return radl_fail(L, "%s: cannot read the manifest: %s", FNAME, rad_error_message()), NULL;
    for (size_t k = 0; k < 5; k++) {
        long j = rad_table_find(*box, text[k]);
        if (j >= 0 && (*box)->cols[j].type == RAD_COL_NUM)
            ns = 1;
    }
    if (ns) { /* read again with the present ones as text */
        RadCsvOptions opt;
        memset(&opt, 0, sizeof opt);
        ns = 0;
        for (size_t k = 0; k < 5; k++)
            if (rad_table_find(*box, text[k]) >= 0)
                str_cols[ns++] = text[k];
        str_cols[ns] = NULL;
        opt.str_cols = str_cols;
        rad_table_free(*box);
        *box = rad_table_read_csv(path, &opt);
        if (!*box)
            return radl_fail(L, "%s: cannot read the manifest: %s", FNAME, rad_error_message()), NULL;
    }
    return *box;
}

/* Path of row i of column c, relative paths resolved against dir (may be
 * ""); pushed on the stack and returned. */
static const char *row_path(lua_State *L, const RadColumn *c, size_t i, const char *dir)
{
    const char *p = c->type == RAD_COL_STR ? c->str[i] : NULL;
    if (!p || !*p)
        radl_fail(L, "%s: manifest row %zu has no %s path; give one in column '%s'", FNAME, i + 1, c->name, c->name);
    if (p[0] == '/' || !*dir)
        lua_pushstring(L, p);
    else
        lua_pushfstring(L, "%s%s", dir, p);
    return lua_tostring(L, -1);
}

static int l_extract_cohort(lua_State *L)
{
    static const char *const keys[] = {"threads", "strict", NULL};
    static const char *const keycols[] = {"id", "roi", "label", "modality"};
    const RadTable *m;
    const RadColumn *cid, *cimg, *cmask, *clab = NULL;
    const char *dir = "";
    const char *sel[4];
    RadSettings s;
    RadCohortCase *cases;
    RadCohortResult *res;
    RadTable **keybox, **outbox;
    lua_Integer threads;
    int strict = 0, paths;
    size_t n, nsel = 0;

    lua_settop(L, 3);
    radl_check_keys(L, 3, FNAME, keys);
    threads = radl_opt_integer(L, 3, "threads", rad_pool_cpus());
    if (threads < 1 || threads > 1024)
        return radl_fail(L, "%s: threads must be 1..1024, got %lld", FNAME, (long long)threads);
    if (lua_istable(L, 3)) {
        int t = lua_getfield(L, 3, "strict");
        if (t != LUA_TNIL && t != LUA_TBOOLEAN)
            return radl_fail(L, "%s: strict must be true or false, not a %s", FNAME, lua_typename(L, t));
        strict = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    radl_settings_from_table(L, 2, &s);
    if (lua_type(L, 1) == LUA_TSTRING) {
        const char *path = lua_tostring(L, 1), *slash = strrchr(path, '/');
        m = read_manifest(L, path);
        lua_pushlstring(L, path, slash ? (size_t)(slash - path) + 1 : 0);
        dir = lua_tostring(L, -1);
    } else if (lua_type(L, 1) == LUA_TUSERDATA) {
        m = radl_check_table(L, 1);
        lua_pushnil(L);
        lua_pushnil(L);
    } else
        return radl_fail(L, "%s: the manifest must be a Table (rad.read_csv) or the path of a CSV file, not a %s",
                         FNAME, luaL_typename(L, 1));
    cid = need_column(L, m, "id", "one name per case");
    cimg = need_column(L, m, "image", "the image file of each case");
    cmask = need_column(L, m, "mask", "the mask file of each case");
    if (rad_table_find(m, "label") >= 0) {
        clab = &m->cols[rad_table_find(m, "label")];
        if (clab->type != RAD_COL_NUM)
            return radl_fail(L, "%s: the manifest's label column must hold numbers 0..255 (0 or empty: every "
                                "non-zero voxel), but it holds text", FNAME);
    }
    n = m->nrow;
    cases = radl_scratch(L, (n ? n : 1) * sizeof *cases);
    lua_createtable(L, (int)(3 * n + 1), 0); /* anchors the path strings */
    paths = lua_gettop(L);
    for (size_t i = 0; i < n; i++) {
        if (cid->type == RAD_COL_STR) {
            if (!cid->str[i])
                return radl_fail(L, "%s: manifest row %zu has no id; give each case one in column 'id'", FNAME, i + 1);
            cases[i].id = cid->str[i];
        } else {
            if (isnan(cid->num[i]))
                return radl_fail(L, "%s: manifest row %zu has no id; give each case one in column 'id'", FNAME, i + 1);
            double v = cid->num[i];
            if (v == floor(v) && fabs(v) < 1e15)
                lua_pushinteger(L, (lua_Integer)v); /* id 7, not 7.0 */
            else
                lua_pushnumber(L, v);
            cases[i].id = lua_tostring(L, -1); /* converts in place */
            lua_rawseti(L, paths, (lua_Integer)(2 * n + i + 1));
            lua_pop(L, 1);
        }
        cases[i].image = row_path(L, cimg, i, dir);
        lua_rawseti(L, paths, (lua_Integer)(2 * i + 1));
        cases[i].mask = row_path(L, cmask, i, dir);
        lua_rawseti(L, paths, (lua_Integer)(2 * i + 2));
        cases[i].label = 0;
        if (clab && !isnan(clab->num[i])) {
            double v = clab->num[i];
            if (v < 0 || v > 255 || v != floor(v))
                return radl_fail(L, "%s: manifest row %zu (case '%s'): label must be an integer 0..255 (0: every "
                                    "non-zero voxel), got %g", FNAME, i + 1, cases[i].id, v);
            cases[i].label = (int)v;
        }
    }
    /* the key columns of the result, in the manifest's own types */
    for (size_t k = 0; k < 4; k++)
        if (rad_table_find(m, keycols[k]) >= 0)
            sel[nsel++] = keycols[k];
    keybox = radl_table_push(L);
    *keybox = rad_table_select(m, sel, nsel);
    if (!*keybox)
        return radl_error(L);

    res = lua_newuserdatauv(L, sizeof *res, 0);
    memset(res, 0, sizeof *res);
    luaL_setmetatable(L, GUARD);
    RadCohortOptions o = {(int)threads, strict, NULL, NULL, NULL};
    if (rad_cohort_extract(cases, n, &s, &o, res) != 0)
        return radl_fail(L, "%s: %s", FNAME, rad_error_message());
    outbox = radl_table_push(L);
    *outbox = rad_cohort_table(*keybox, res);
    if (!*outbox)
        return radl_error(L);
    return 1;
}

void radl_open_cohort(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"extract_cohort", l_extract_cohort,
         "rad.extract_cohort(manifest, settings, {threads = processors, strict = false}) -> Table: the features of "
         "every case of a manifest (a Table or a CSV path; columns id, image, mask, optional label, roi, modality; "
         "relative paths from the CSV's folder), cases in parallel; one row per case in manifest order: id (roi, "
         "label, modality), status (\"ok\"/\"failed\"), error, then the features (NA when failed or undefined); "
         "strict = true stops at the first failure"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.");
    radl_guard_class(L, GUARD, guard_gc);
}
