/* radlab: Lua binding of the case-parallel extraction over a cohort.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   rad.extract_cohort(manifest, settings, {threads =, strict =, cache =,
 *                      progress =, partial =}) -> Table, info
 *
 * The manifest is a Table (columns id, image, mask, optional label, roi,
 * modality) or the path of a CSV file holding one, whose relative paths are
 * then read relative to the file's folder.  The engine (src/cohort/) runs
 * the cases on a thread pool over plain C data; the Lua state is touched
 * only here, on the main thread, before and after.  The engine's results
 * live in a guard userdata created before the call, so an error anywhere
 * leaves nothing to leak.
 *
 * Ctrl-C: when no SIGINT handler is installed, or with partial = true, one
 * is installed for the run (otherwise the host's, which sets the same flag
 * and raises "interrupted" at the next Lua event): the first Ctrl-C sets the
 * engine's interrupt flag, so workers stop within a case and the finished
 * cases stay in the cache; a second one ends the process at once.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binding.h"
#include "cohort/cohort.h"
#include "util/pool.h"

#define GUARD "rad.CohortGuard"
#define FNAME "rad.extract_cohort"

/* ---- the progress bar (stderr, only on a terminal) ---- */

typedef struct Bar {
    double last;  /* seconds at the last redraw */
    int drawn;    /* something is on the line */
} Bar;

static void bar_draw(const RadCohortProgress *p, void *ctx)
{
    Bar *b = ctx;
    char line[160], bar[26];
    double rate;
    size_t fill, k;
    int n;
    if (p->done < p->total && b->drawn && p->seconds - b->last < 0.25)
        return; /* at most four redraws a second */
    b->last = p->seconds;
    fill = p->total ? p->done * 24 / p->total : 24;
    for (k = 0; k < 24; k++)
        bar[k] = k < fill ? '#' : '.';
    bar[24] = '\0';
    rate = p->seconds > 0 ? (double)p->done / p->seconds : 0;
    n = snprintf(line, sizeof line, "[%s] %zu/%zu", bar, p->done, p->total);
    if (rate > 0 && n > 0) {
        double eta = (double)(p->total - p->done) / rate;
        n += snprintf(line + n, sizeof line - (size_t)n, "  %.1f cases/s  ETA %d:%02d", rate, (int)(eta / 60),
                      (int)eta % 60);
    }
    if (p->failed && n > 0)
        n += snprintf(line + n, sizeof line - (size_t)n, "  %zu failed", p->failed);
    if (p->cached && n > 0)
        snprintf(line + n, sizeof line - (size_t)n, "  %zu cached", p->cached);
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    b->drawn = 1;
}

/* ---- Ctrl-C during a run ---- */

static void on_sigint(int sig)
{
    static const char msg[] = "\nradlab: stopping after the running cases (Ctrl-C again to quit at once)\n";
    if (rad_interrupted()) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    rad_interrupt_set();
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing to do */
    }
}

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
    static const char *const keys[] = {"threads", "strict", "cache", "progress", "partial", NULL};
    static const char *const keycols[] = {"id", "roi", "label", "modality"};
    const RadTable *m;
    const RadColumn *cid, *cimg, *cmask, *clab = NULL, *croi = NULL;
    const char *dir = "";
    const char *sel[4];
    RadSettings s;
    RadCohortCase *cases;
    RadCohortResult *res;
    RadTable **keybox, **outbox;
    lua_Integer threads;
    int strict = 0, paths, progress = 1, partial = 0, own_sigint = 0;
    const char *cache = NULL;
    struct sigaction sa, old_sa;
    Bar bar = {0, 0};
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
        static const char *const flags[] = {"progress", "partial"};
        for (int k = 0; k < 2; k++) {
            t = lua_getfield(L, 3, flags[k]);
            if (t != LUA_TNIL && t != LUA_TBOOLEAN)
                return radl_fail(L, "%s: %s must be true or false, not a %s", FNAME, flags[k], lua_typename(L, t));
            if (t != LUA_TNIL)
                *(k ? &partial : &progress) = lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
        t = lua_getfield(L, 3, "cache");
        if (t == LUA_TSTRING && lua_rawlen(L, -1) > 0)
            cache = lua_tostring(L, -1); /* anchored by the options table */
        else if (t != LUA_TNIL && !(t == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
            return radl_fail(L, "%s: cache must be the path of a folder (or false for none), not %s", FNAME,
                             t == LUA_TSTRING ? "an empty string" : lua_typename(L, t));
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
    if (rad_table_find(m, "roi") >= 0)
        croi = &m->cols[rad_table_find(m, "roi")];
    n = m->nrow;
    cases = radl_scratch(L, (n ? n : 1) * sizeof *cases);
    lua_createtable(L, (int)(4 * n + 1), 0); /* anchors the path strings */
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
        cases[i].roi = NULL;
        if (croi && croi->type == RAD_COL_STR && croi->str[i] && croi->str[i][0])
            cases[i].roi = croi->str[i];
        else if (croi && croi->type == RAD_COL_NUM && !isnan(croi->num[i])) { /* a segment number */
            double v = croi->num[i];
            if (v == floor(v) && fabs(v) < 1e15)
                lua_pushinteger(L, (lua_Integer)v);
            else
                lua_pushnumber(L, v);
            cases[i].roi = lua_tostring(L, -1);
            lua_rawseti(L, paths, (lua_Integer)(3 * n + i + 1));
        }
        cases[i].label = 0;
        if (clab && !isnan(clab->num[i])) {
            double v = clab->num[i];
            if (v < 0 || v > 255 || v != floor(v))
                return radl_fail(L, "%s: manifest row %zu (case '%s'): label must be an integer 0..255 (0: every "
                                    "non-zero voxel), got %g", FNAME, i + 1, cases[i].id, v);
            cases[i].label = (int)v;
        }
    }
    /* (id, roi, label, modality) must name one case: the table would
     * otherwise hold two rows nobody can tell apart */
    {
        const RadColumn *kc[3] = {NULL, NULL, NULL};
        static const char *const kn[3] = {"roi", "modality", NULL};
        int seen, list, ndup = 0;
        for (int k = 0; kn[k]; k++)
            if (rad_table_find(m, kn[k]) >= 0)
                kc[k] = &m->cols[rad_table_find(m, kn[k])];
        lua_newtable(L);
        seen = lua_gettop(L);
        lua_newtable(L);
        list = lua_gettop(L);
        for (size_t i = 0; i < n; i++) {
            lua_pushfstring(L, "%s%c%d", cases[i].id, 0, cases[i].label);
            for (int k = 0; kc[k]; k++) {
                if (kc[k]->type == RAD_COL_STR)
                    lua_pushfstring(L, "%c%s", 0, kc[k]->str[i] ? kc[k]->str[i] : "\1NA");
                else
                    lua_pushfstring(L, "%c%f", 0, kc[k]->num[i]);
            }
            lua_concat(L, 1 + (kc[0] != NULL) + (kc[1] != NULL));
            lua_pushvalue(L, -1);
            if (lua_rawget(L, seen) != LUA_TNIL) {
                if (++ndup <= 5) {
                    lua_pushfstring(L, "rows %d and %d (id '%s')", (int)lua_tointeger(L, -1), (int)(i + 1),
                                    cases[i].id);
                    lua_rawseti(L, list, ndup);
                }
                lua_pop(L, 2);
            } else {
                lua_pop(L, 1);
                lua_pushinteger(L, (lua_Integer)(i + 1));
                lua_rawset(L, seen);
            }
        }
        if (ndup) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (int k = 1; k <= ndup && k <= 5; k++) {
                if (k > 1)
                    luaL_addstring(&b, "; ");
                lua_rawgeti(L, list, k);
                luaL_addvalue(&b);
            }
            luaL_pushresult(&b);
        } else
            lua_pushliteral(L, "");
        if (ndup)
            return radl_fail(L, "%s: %d duplicated case%s: %s%s; (id, roi, label, modality) must name one case", FNAME,
                             ndup, ndup == 1 ? "" : "s", lua_tostring(L, -1), ndup > 5 ? "; ..." : "");
        lua_pop(L, 3);
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
    RadCohortOptions o = {(int)threads, strict, cache, NULL, NULL};
    if (progress && isatty(STDERR_FILENO)) {
        o.progress = bar_draw;
        o.progress_ctx = &bar;
    }
    /* Ctrl-C: ours for the run when nobody handles it, or when the caller
     * takes the partial result (the host's handler would turn it into an
     * error as soon as we return) */
    if (sigaction(SIGINT, NULL, &old_sa) == 0 && (partial || old_sa.sa_handler == SIG_DFL)) {
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;
        sa.sa_flags = SA_RESTART; /* a read in progress finishes; workers stop between cases */
        sigemptyset(&sa.sa_mask);
        own_sigint = sigaction(SIGINT, &sa, NULL) == 0;
        rad_interrupt_clear();
    }
    int rc = rad_cohort_extract(cases, n, &s, &o, res);
    if (own_sigint)
        sigaction(SIGINT, &old_sa, NULL);
    if (bar.drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    if (res->cache_warning)
        radl_warn(L, "%s: %s; the run went on without the cache", FNAME, res->cache_warning);
    if (res->ncorrupt)
        radl_warn(L, "%s: %zu cache entr%s in '%s' failed its checks (truncated or edited) and %s recomputed", FNAME,
                  res->ncorrupt, res->ncorrupt == 1 ? "y" : "ies", cache, res->ncorrupt == 1 ? "was" : "were");
    if (rc != 0 && !(res->interrupted && partial)) {
        if (res->interrupted) {
            if (own_sigint)
                rad_interrupt_clear();
            if (cache && !res->cache_warning)
                return radl_fail(L, "%s: interrupted after %zu of %zu cases; the finished ones are in the cache "
                                    "'%s': run again to resume", FNAME, res->nok + res->nfailed, n, cache);
            return radl_fail(L, "%s: interrupted after %zu of %zu cases", FNAME, res->nok + res->nfailed, n);
        }
        return radl_fail(L, "%s: %s", FNAME, rad_error_message());
    }
    if (own_sigint)
        rad_interrupt_clear();
    outbox = radl_table_push(L);
    *outbox = rad_cohort_table(*keybox, res);
    if (!*outbox)
        return radl_error(L);
    lua_createtable(L, 0, 8);
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -2, "cases");
    lua_pushinteger(L, (lua_Integer)res->nok);
    lua_setfield(L, -2, "ok");
    lua_pushinteger(L, (lua_Integer)res->nfailed);
    lua_setfield(L, -2, "failed");
    lua_pushinteger(L, (lua_Integer)(n - res->nok - res->nfailed));
    lua_setfield(L, -2, "not_run");
    lua_pushinteger(L, (lua_Integer)res->ncached);
    lua_setfield(L, -2, "cached");
    lua_pushinteger(L, (lua_Integer)res->ncorrupt);
    lua_setfield(L, -2, "corrupt");
    lua_pushboolean(L, res->interrupted);
    lua_setfield(L, -2, "interrupted");
    if (cache && !res->cache_warning) {
        lua_pushstring(L, cache);
        lua_setfield(L, -2, "cache");
    }
    return 2;
    return 1;
}

void radl_open_cohort(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"extract_cohort", l_extract_cohort,
         "rad.extract_cohort(manifest, settings, {threads = processors, strict = false, cache = nil, progress = true, "
         "partial = false}) -> Table, info: the features of every case of a manifest (a Table or a CSV path; columns "
         "id, image, mask, optional label, roi, modality; relative paths from the CSV's folder), cases in parallel; "
         "one row per case in manifest order: id (roi, label, modality), status (\"ok\"/\"failed\"), error, then "
         "the features (NA when failed or undefined); the same for any thread count.  strict = true stops at the "
         "first failure.  cache = a folder: each case's result is kept under the SHA-256 of its image and mask "
         "files, label, settings and radlab version, and a re-run serves unchanged cases from it (invalid entries "
         "are recomputed; a folder that cannot be written gives a warning and the run goes on without it).  "
         "progress: a one-line bar on standard error when it is a terminal.  Ctrl-C stops the run within a case "
         "(an error; with partial = true the rows so far, the others with status \"interrupted\").  info: cases, "
         "ok, failed, not_run, cached, corrupt (cache entries recomputed), interrupted, cache"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.");
    radl_guard_class(L, GUARD, guard_gc);
}
