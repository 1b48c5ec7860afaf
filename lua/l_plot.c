/* radlab: the Figure object, rad.plot.page and the chart options.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Figure is a box around a RadFigure (plot.h).  Every chart function of
 * rad.plot returns one; fig:save(path) renders it to PNG.  The charts
 * themselves are bound in l_plot_surv.c, l_plot_model.c and l_plot_image.c;
 * this file holds what they share: the Figure box, the options every chart
 * takes, and the provenance written to the PNG (the command or script that
 * made it, read from the global `arg` the radlab host sets); also
 * rad.plot.save_pdf (Figures as the pages of one PDF) and rad.plot.text_pages
 * (report pages of headings, paragraphs and tables, chart_text.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binding.h"

/* ---- the Figure box ------------------------------------------------------------- */

/* ---- provenance ------------------------------------------------------------------- */

/* Push "radlab script.lua a b" from the global arg, or a REPL/host note. */
static void push_source(lua_State *L)
{
    luaL_Buffer b;
    /* arg goes on the stack before the buffer: a buffer operation needs the
     * stack as the previous one left it */
    int has_arg = lua_getglobal(L, "arg") == LUA_TTABLE;
    int ai = lua_gettop(L);
    luaL_buffinit(L, &b);
    if (has_arg) {
        int first = 1;
        /* arg[-k] .. arg[-1] are the interpreter and its options */
        lua_Integer lo = 0;
        while (lua_rawgeti(L, ai, lo - 1) == LUA_TSTRING) {
            lua_pop(L, 1);
            lo--;
        }
        lua_pop(L, 1);
        for (lua_Integer i = lo;; i++) {
            if (lua_rawgeti(L, ai, i) != LUA_TSTRING) {
                lua_pop(L, 1);
                if (i >= 0)
                    break;
                continue;
            }
            if (!first) {
                lua_pushliteral(L, " ");
                lua_insert(L, -2);
                lua_concat(L, 2);
            }
            luaL_addvalue(&b);
            first = 0;
        }
        if (first)
            luaL_addstring(&b, "radlab (interactive)");
    } else {
        luaL_addstring(&b, "lua (interactive or embedded)");
    }
    luaL_pushresult(&b);
    lua_remove(L, ai);
}

/* ---- methods -------------------------------------------------------------------------- */

static double opt_dpi(lua_State *L, int idx, const char *fname)
{
    double dpi = lua_istable(L, idx) ? radl_opt_number(L, idx, "dpi", 150) : 150;
    if (!(dpi >= 30 && dpi <= 1200))
        radl_fail(L, "%s: dpi must be 30 to 1200 (300 for journals), got %g", fname, dpi);
    return dpi;
}

static int m_save(lua_State *L)
{
    static const char *const keys[] = {"dpi", "source", "digest", "title", "reproducible", "width", "height",
                                       "pixels", NULL};
    RadFigure *f = radl_check_figure(L, 1);
    const char *path = luaL_checkstring(L, 2);
    RadPngMeta meta;
    memset(&meta, 0, sizeof meta);
    radl_check_keys(L, 3, "Figure:save", keys);
    double dpi = opt_dpi(L, 3, "Figure:save");
    if (lua_istable(L, 3)) {
        meta.source = radl_opt_string(L, 3, "source", NULL);
        meta.digest = radl_opt_string(L, 3, "digest", NULL);
        meta.title = radl_opt_string(L, 3, "title", NULL);
        lua_getfield(L, 3, "reproducible");
        meta.reproducible = lua_toboolean(L, -1);
        lua_pop(L, 1);
        /* NaN: not given; a size that is given must be a real one */
        double w = radl_opt_number(L, 3, "width", NAN), h = radl_opt_number(L, 3, "height", NAN);
        for (int k = 0; k < 2; k++) {
            lua_getfield(L, 3, k ? "height" : "width");
            int given = !lua_isnil(L, -1);
            lua_pop(L, 1);
            double v = k ? h : w;
            if (given && !(v >= 10 && v <= 2000))
                return radl_fail(L, "Figure:save: %s = %g mm: give a size of 10 to 2000 mm (or leave it out to keep "
                                    "the figure's %.0f x %.0f mm)", k ? "height" : "width", v, rad_figure_width(f),
                                 rad_figure_height(f));
        }
        if (isnan(w))
            w = 0;
        if (isnan(h))
            h = 0;
        if (lua_getfield(L, 3, "pixels") != LUA_TNIL) {
            /* a size in pixels at this dpi: the figure's mm follow from it */
            lua_Integer pw = 0, ph = 0;
            if (lua_istable(L, -1) && lua_rawlen(L, -1) == 2) {
                lua_rawgeti(L, -1, 1);
                lua_rawgeti(L, -2, 2);
                pw = lua_isinteger(L, -2) ? lua_tointeger(L, -2) : 0;
                ph = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
                lua_pop(L, 2);
            }
            if (pw < 1 || ph < 1 || w > 0 || h > 0)
                return radl_fail(L, "Figure:save: pixels must be {width, height} in whole pixels (and not combined "
                                    "with width/height in mm)");
            w = (double)pw / dpi * 25.4;
            h = (double)ph / dpi * 25.4;
        }
        lua_pop(L, 1);
        if (w > 0 || h > 0) {
            /* another size for this file only: save a resized copy, held in
             * a box so an error cannot leak it */
            RadFigure **tmp = radl_figure_push(L);
            if (!(*tmp = rad_figure_copy(f)) ||
                rad_figure_set_size(*tmp, w > 0 ? w : rad_figure_width(f), h > 0 ? h : rad_figure_height(f)) != 0)
                return radl_fail(L, "Figure:save: %s", rad_error_message());
            f = *tmp;
        }
    }
    if (!meta.source) {
        push_source(L);
        meta.source = lua_tostring(L, -1);
    }
    if (rad_figure_save(f, path, dpi, &meta) != 0)
        return radl_fail(L, "Figure:save: %s", rad_error_message());
    lua_settop(L, 1);
    return 1;
}

static int m_layout(lua_State *L)
{
    RadFigure *f = radl_check_figure(L, 1);
    double dpi = opt_dpi(L, 2, "Figure:layout");
    RadLayoutBox *b;
    size_t n;
    if (rad_figure_layout(f, dpi, &b, &n) != 0)
        return radl_fail(L, "Figure:layout: %s", rad_error_message());
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 6);
        lua_pushstring(L, b[i].kind);
        lua_setfield(L, -2, "kind");
        lua_pushinteger(L, b[i].axes + 1);
        lua_setfield(L, -2, "axes");
        lua_pushboolean(L, b[i].text);
        lua_setfield(L, -2, "text");
        if (b[i].cell >= 0) {
            lua_pushinteger(L, b[i].cell + 1);
            lua_setfield(L, -2, "cell");
        }
        lua_pushnumber(L, b[i].x0);
        lua_setfield(L, -2, "x0");
        lua_pushnumber(L, b[i].y0);
        lua_setfield(L, -2, "y0");
        lua_pushnumber(L, b[i].x1);
        lua_setfield(L, -2, "x1");
        lua_pushnumber(L, b[i].y1);
        lua_setfield(L, -2, "y1");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    free(b);
    return 1;
}

static int m_size(lua_State *L)
{
    RadFigure *f = radl_check_figure(L, 1);
    lua_pushnumber(L, rad_figure_width(f));
    lua_pushnumber(L, rad_figure_height(f));
    return 2;
}

static int m_pixels(lua_State *L)
{
    RadFigure *f = radl_check_figure(L, 1);
    double dpi = lua_isnoneornil(L, 2) ? 150 : luaL_checknumber(L, 2);
    if (!(dpi >= 30 && dpi <= 1200))
        return radl_fail(L, "Figure:pixels: dpi must be 30 to 1200, got %g", dpi);
    int w, h;
    rad_figure_pixels(f, dpi, &w, &h);
    lua_pushinteger(L, w);
    lua_pushinteger(L, h);
    return 2;
}

static int m_notes(lua_State *L)
{
    RadFigure *f = radl_check_figure(L, 1);
    size_t n = rad_figure_nnotes(f);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, rad_figure_note(f, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int m_title(lua_State *L)
{
    RadFigure *f = radl_check_figure(L, 1);
    if (lua_gettop(L) >= 2) {
        const char *t = lua_isnil(L, 2) ? NULL : luaL_checkstring(L, 2);
        if (rad_figure_set_title(f, t, 0) != 0)
            return radl_error(L);
        lua_settop(L, 1);
        return 1;
    }
    const char *t = rad_figure_title(f);
    if (t)
        lua_pushstring(L, t);
    else
        lua_pushnil(L);
    return 1;
}

static int m_close(lua_State *L)
{
    RadFigure **box = luaL_checkudata(L, 1, RADL_FIGURE);
    rad_figure_free(*box);
    *box = NULL;
    return 0;
}

static int m_tostring(lua_State *L)
{
    RadFigure **box = luaL_checkudata(L, 1, RADL_FIGURE);
    if (!*box) {
        lua_pushliteral(L, "Figure (closed)");
        return 1;
    }
    RadFigure *f = *box;
    luaL_Buffer b;
    char buf[256];
    int w, h;
    luaL_buffinit(L, &b);
    rad_figure_pixels(f, 150, &w, &h);
    snprintf(buf, sizeof buf, "Figure %.0f x %.0f mm (%d x %d px at 150 dpi)", rad_figure_width(f),
             rad_figure_height(f), w, h);
    luaL_addstring(&b, buf);
    if (rad_figure_description(f)) {
        luaL_addstring(&b, ": ");
        luaL_addstring(&b, rad_figure_description(f));
    }
    if (rad_figure_title(f)) {
        luaL_addstring(&b, "\n  title: ");
        luaL_addstring(&b, rad_figure_title(f));
    }
    for (size_t i = 0; i < rad_figure_nnotes(f); i++) {
        luaL_addstring(&b, "\n  note: ");
        luaL_addstring(&b, rad_figure_note(f, i));
    }
    luaL_addstring(&b, "\n  save with fig:save(\"name.png\" [, {dpi = 300}]) or as \"name.pdf\" / \"name.svg\"");
    luaL_pushresult(&b);
    return 1;
}

/* ---- rad.plot.page ---------------------------------------------------------------------- */

static int l_page(lua_State *L)
{
    static const char *const keys[] = {"title", "subtitle", "figures", "columns", "width", "height", "heights", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    radl_check_keys(L, 1, "rad.plot.page", keys);
    if (lua_getfield(L, 1, "figures") != LUA_TTABLE)
        return radl_fail(L, "rad.plot.page: give figures = {fig1, fig2, ...} (Figures from rad.plot.*)");
    int fi = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, fi);
    if (n < 1)
        return radl_fail(L, "rad.plot.page: figures is empty; give at least one Figure");
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, fi, i);
        if (!luaL_testudata(L, -1, RADL_FIGURE))
            return radl_fail(L, "rad.plot.page: figures[%lld] is a %s, not a Figure", (long long)i,
                             luaL_typename(L, -1));
        radl_check_figure(L, -1);
        lua_pop(L, 1);
    }
    lua_Integer cols = radl_opt_integer(L, 1, "columns", n < 2 ? 1 : 2);
    if (cols < 1 || cols > 8)
        return radl_fail(L, "rad.plot.page: columns must be 1 to 8, got %lld", (long long)cols);
    if (cols > n)
        cols = n;
    lua_Integer rows = (n + cols - 1) / cols;
    double width = radl_opt_number(L, 1, "width", 180);
    /* default height: each cell keeps the first figure's aspect ratio */
    RadFigure *f1 = (lua_rawgeti(L, fi, 1), radl_check_figure(L, -1));
    lua_pop(L, 1);
    double cellw = width / (double)cols;
    double aspect = rad_figure_height(f1) / rad_figure_width(f1);
    const char *title = radl_opt_string(L, 1, "title", NULL);
    const char *subtitle = radl_opt_string(L, 1, "subtitle", NULL);
    double head = (title ? 10 : 0) + (subtitle ? 6 : 0);
    double height = radl_opt_number(L, 1, "height", head + (double)rows * cellw * aspect);
    RadFigure **box = radl_figure_push(L);
    RadFigure *page = rad_figure_new(width, height);
    if (!page)
        return radl_fail(L, "rad.plot.page: %s", rad_error_message());
    *box = page;
    if ((title && rad_figure_set_title(page, title, 14) != 0) ||
        (subtitle && rad_figure_set_subtitle(page, subtitle) != 0))
        return radl_error(L);
    for (lua_Integer i = 0; i < n; i++) {
        lua_rawgeti(L, fi, i + 1);
        RadFigure *f = radl_check_figure(L, -1);
        lua_pop(L, 1);
        double r = (double)(i / cols), c = (double)(i % cols);
        if (rad_figure_add_figure(page, f, c / (double)cols, r / (double)rows, (c + 1) / (double)cols,
                                  (r + 1) / (double)rows) != 0)
            return radl_error(L);
        for (size_t k = 0; k < rad_figure_nnotes(f); k++)
            rad_figure_add_note(page, "%s", rad_figure_note(f, k));
    }
    char desc[128];
    snprintf(desc, sizeof desc, "report page, %lld figures in %lld x %lld", (long long)n, (long long)rows,
             (long long)cols);
    rad_figure_set_description(page, desc);
    return 1;
}


/* ---- rad.plot.show ------------------------------------------------------------------ */

/* Outside a notebook: the figure as a 150-dpi PNG in a fresh temporary
 * folder (never overwriting anything), announced on standard output
 * through the global print, so that a script or the REPL shows where it
 * went.  The notebook runner (stdlib/rad/notebook.lua) replaces
 * rad.plot.show while a notebook runs and puts the figure in the page. */
static int l_show(lua_State *L)
{
    const char *tmp = getenv("TMPDIR"), *path;
    char dir[4096];
    radl_check_figure(L, 1);
    if (!lua_isnoneornil(L, 2) && lua_type(L, 2) != LUA_TSTRING)
        return radl_fail(L, "rad.plot.show: the caption must be a string, got a %s", luaL_typename(L, 2));
    if (!tmp || !*tmp)
        tmp = "/tmp";
    if (snprintf(dir, sizeof dir, "%s/radlab-figure-XXXXXX", tmp) >= (int)sizeof dir)
        return radl_fail(L, "rad.plot.show: the temporary folder name is too long (TMPDIR = %s); set TMPDIR to a "
                         "shorter path", tmp);
    if (!mkdtemp(dir))
        return radl_fail(L, "rad.plot.show: cannot create a temporary folder in %s: %s; set TMPDIR to a writable "
                         "folder", tmp, strerror(errno));
    path = lua_pushfstring(L, "%s/figure.png", dir);
    lua_getfield(L, 1, "save");
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -3);
    lua_createtable(L, 0, 1);
    lua_pushinteger(L, 150);
    lua_setfield(L, -2, "dpi");
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
        remove(path);
        rmdir(dir); /* nothing left behind */
        return lua_error(L);
    }
    lua_getglobal(L, "print");
    lua_pushfstring(L, "figure: %s", path);
    lua_call(L, 1, 0);
    return 1; /* the path */
}

/* ---- rad.plot.save_pdf and rad.plot.text_pages ------------------------------------------- */

static int l_save_pdf(lua_State *L)
{
    static const char *const keys[] = {"title", "source", "digest", "reproducible", NULL};
    const char *path = luaL_checkstring(L, 1);
    if (!lua_istable(L, 2))
        return radl_fail(L, "rad.plot.save_pdf: the second argument is a %s; give a list of Figures {fig1, fig2, "
                            "...} (one page each)",
                         luaL_testudata(L, 2, RADL_FIGURE) ? "single Figure" : luaL_typename(L, 2));
    radl_check_keys(L, 3, "rad.plot.save_pdf", keys);
    size_t n = lua_rawlen(L, 2);
    if (n == 0)
        return radl_fail(L, "rad.plot.save_pdf: the list of figures is empty; give at least one Figure (one page "
                            "each)");
    const RadFigure **figs = radl_scratch(L, n * sizeof *figs);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, 2, (lua_Integer)i + 1);
        if (!luaL_testudata(L, -1, RADL_FIGURE))
            return radl_fail(L, "rad.plot.save_pdf: figures[%zu] is a %s, not a Figure; give Figures from rad.plot.* "
                                "(rad.plot.text_pages returns a list of them)", i + 1, luaL_typename(L, -1));
        figs[i] = radl_check_figure(L, -1);
        lua_pop(L, 1);
    }
    RadPngMeta meta;
    memset(&meta, 0, sizeof meta);
    if (lua_istable(L, 3)) {
        meta.title = radl_opt_string(L, 3, "title", NULL);
        meta.source = radl_opt_string(L, 3, "source", NULL);
        meta.digest = radl_opt_string(L, 3, "digest", NULL);
        lua_getfield(L, 3, "reproducible");
        meta.reproducible = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    if (!meta.source) {
        push_source(L);
        meta.source = lua_tostring(L, -1);
    }
    if (rad_figures_save_pdf(figs, n, path, &meta) != 0)
        return radl_fail(L, "rad.plot.save_pdf: %s", rad_error_message());
    lua_pushvalue(L, 1);
    return 1;
}

/* Keep the value on top alive (strings, scratch memory) in the anchor table
 * at `anchor`; pops it. */
static void keep(lua_State *L, int anchor)
{
    lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
}

/* The string or number at the top as a string kept alive by the anchor;
 * pops it.  Anything else raises an error naming where it is. */
static const char *cell_string(lua_State *L, int anchor, const char *where, size_t k)
{
    int t = lua_type(L, -1);
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
        radl_fail(L, "rad.plot.text_pages: %s[%zu] is a %s; give strings or numbers", where, k, luaL_typename(L, -1));
    const char *s = luaL_tolstring(L, -1, NULL);
    lua_remove(L, -2);
    lua_pushvalue(L, -1);
    keep(L, anchor);
    lua_pop(L, 1);
    return s;
}

/* The table block {header =, rows =, align =} at the top of the stack into b
 * (block index bi, 1-based, for messages). */
static void table_block(lua_State *L, int anchor, size_t bi, RadTextBlock *b)
{
    static const char *const keys[] = {"header", "rows", "align", NULL};
    char where[96];
    int ti = lua_gettop(L);
    if (!lua_istable(L, ti))
        radl_fail(L, "rad.plot.text_pages: blocks[%zu].table is a %s; give {header = {...}, rows = {{...}, ...}, "
                     "align = {\"l\", \"r\", ...}}", bi, luaL_typename(L, ti));
    snprintf(where, sizeof where, "rad.plot.text_pages: blocks[%zu].table", bi);
    radl_check_keys(L, ti, where, keys);
    b->kind = RAD_BLOCK_TABLE;
    size_t nh = 0;
    if (lua_getfield(L, ti, "header") != LUA_TNIL) {
        if (!lua_istable(L, -1))
            radl_fail(L, "rad.plot.text_pages: blocks[%zu].table.header is a %s; give a list of column headings",
                      bi, luaL_typename(L, -1));
        nh = lua_rawlen(L, -1);
        const char **h = radl_scratch(L, (nh + 1) * sizeof *h);
        keep(L, anchor);
        snprintf(where, sizeof where, "blocks[%zu].table.header", bi);
        for (size_t j = 0; j < nh; j++) {
            lua_rawgeti(L, -1, (lua_Integer)j + 1);
            h[j] = cell_string(L, anchor, where, j + 1);
        }
        b->header = h;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, ti, "rows") != LUA_TTABLE)
        radl_fail(L, "rad.plot.text_pages: blocks[%zu].table has no rows; give rows = {{cell, ...}, ...}", bi);
    int ri = lua_gettop(L);
    size_t nr = lua_rawlen(L, ri), nc = nh;
    if (nc == 0 && nr > 0) {
        lua_rawgeti(L, ri, 1);
        nc = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
        lua_pop(L, 1);
    }
    if (nc == 0)
        radl_fail(L, "rad.plot.text_pages: blocks[%zu].table has no columns; give header = {...} and rows = "
                     "{{cell, ...}, ...}", bi);
    const char **cells = radl_scratch(L, (nr * nc + 1) * sizeof *cells);
    keep(L, anchor);
    for (size_t r = 0; r < nr; r++) {
        lua_rawgeti(L, ri, (lua_Integer)r + 1);
        if (!lua_istable(L, -1))
            radl_fail(L, "rad.plot.text_pages: blocks[%zu].table.rows[%zu] is a %s; give each row as a list of "
                         "cells {a, b, ...}", bi, r + 1, luaL_typename(L, -1));
        size_t len = lua_rawlen(L, -1);
        if (len != nc)
            radl_fail(L, "rad.plot.text_pages: blocks[%zu].table.rows[%zu] has %zu cells, the table has %zu columns "
                         "(%s): give each row one cell per column (\"\" for an empty one)", bi, r + 1, len, nc,
                      nh ? "its header" : "its first row");
        snprintf(where, sizeof where, "blocks[%zu].table.rows[%zu]", bi, r + 1);
        for (size_t j = 0; j < nc; j++) {
            lua_rawgeti(L, -1, (lua_Integer)j + 1);
            cells[r * nc + j] = cell_string(L, anchor, where, j + 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    b->cells = cells;
    b->nrow = nr;
    b->ncol = nc;
    if (lua_getfield(L, ti, "align") != LUA_TNIL) {
        if (!lua_istable(L, -1) || lua_rawlen(L, -1) != nc)
            radl_fail(L, "rad.plot.text_pages: blocks[%zu].table.align must be a list of %zu letters (\"l\", \"r\" "
                         "or \"c\"), one per column", bi, nc);
        char *al = radl_scratch(L, nc + 1);
        keep(L, anchor);
        for (size_t j = 0; j < nc; j++) {
            lua_rawgeti(L, -1, (lua_Integer)j + 1);
            const char *a = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
            if (strcmp(a, "l") != 0 && strcmp(a, "r") != 0 && strcmp(a, "c") != 0)
                radl_fail(L, "rad.plot.text_pages: blocks[%zu].table.align[%zu] is %s%s%s; give \"l\" (left), "
                             "\"r\" (right, for numbers) or \"c\" (centre)", bi, j + 1,
                          lua_type(L, -1) == LUA_TSTRING ? "\"" : "a ", lua_type(L, -1) == LUA_TSTRING ? a :
                          luaL_typename(L, -1), lua_type(L, -1) == LUA_TSTRING ? "\"" : "");
            al[j] = a[0];
            lua_pop(L, 1);
        }
        al[nc] = 0;
        b->align = al;
    }
    lua_pop(L, 1);
}

static int l_text_pages(lua_State *L)
{
    static const char *const keys[] = {"title", "blocks", "width", "height", "font_size", "page_total", NULL};
    static const char *const bkeys[] = {"heading", "text", "table", NULL};
    if (!lua_istable(L, 1))
        return radl_fail(L, "rad.plot.text_pages: give a table {title =, blocks = {{heading = ...}, {text = ...}, "
                            "{table = ...}}, width = 180, height = 250, font_size = 9}");
    radl_check_keys(L, 1, "rad.plot.text_pages", keys);
    RadTextPageOptions o;
    memset(&o, 0, sizeof o);
    o.title = radl_opt_string(L, 1, "title", NULL);
    o.width = radl_opt_number(L, 1, "width", 180);
    o.height = radl_opt_number(L, 1, "height", 250);
    o.font_size = radl_opt_number(L, 1, "font_size", 9);
    double total = radl_opt_number(L, 1, "page_total", 0);
    if (!(total >= 0 && total <= 100000 && total == (double)(size_t)total))
        return radl_fail(L, "rad.plot.text_pages: page_total = %g: give the whole document's page count (a whole "
                         "number), or leave it out", total);
    o.page_total = (size_t)total;
    if (!(o.width >= 60 && o.width <= 2000) || !(o.height >= 60 && o.height <= 2000))
        return radl_fail(L, "rad.plot.text_pages: width = %g, height = %g mm: give 60 to 2000 mm each (the page has "
                            "15 mm margins)", o.width, o.height);
    if (!(o.font_size >= 5 && o.font_size <= 24))
        return radl_fail(L, "rad.plot.text_pages: font_size = %g pt: give 5 to 24 (9 is the default)", o.font_size);
    int bt = lua_getfield(L, 1, "blocks");
    if (bt != LUA_TTABLE && bt != LUA_TNIL)
        return radl_fail(L, "rad.plot.text_pages: blocks is a %s; give a list {{heading = ...}, {text = ...}, "
                            "{table = ...}}", luaL_typename(L, -1));
    if (bt == LUA_TNIL && !o.title)
        return radl_fail(L, "rad.plot.text_pages: nothing to set; give blocks = {{heading = ...}, {text = ...}, "
                            "{table = ...}} (and a title)");
    int bi = lua_gettop(L);
    size_t n = bt == LUA_TTABLE ? lua_rawlen(L, bi) : 0;
    lua_newtable(L);
    int anchor = lua_gettop(L);
    RadTextBlock *blocks = radl_scratch(L, (n + 1) * sizeof *blocks);
    keep(L, anchor);
    memset(blocks, 0, (n + 1) * sizeof *blocks);
    for (size_t i = 0; i < n; i++) {
        char fname[64];
        lua_rawgeti(L, bi, (lua_Integer)i + 1);
        if (!lua_istable(L, -1))
            return radl_fail(L, "rad.plot.text_pages: blocks[%zu] is a %s; give {heading = \"...\"}, {text = \"...\"} "
                                "or {table = {header =, rows =, align =}}", i + 1, luaL_typename(L, -1));
        int ei = lua_gettop(L);
        /* exactly one of the three kinds */
        int kinds = 0;
        for (int k = 0; bkeys[k]; k++) {
            kinds += lua_getfield(L, ei, bkeys[k]) != LUA_TNIL;
            lua_pop(L, 1);
        }
        lua_pushnil(L);
        while (lua_next(L, ei)) {
            lua_pop(L, 1);
            int known = 0;
            for (int k = 0; bkeys[k] && lua_type(L, -1) == LUA_TSTRING; k++)
                known |= strcmp(lua_tostring(L, -1), bkeys[k]) == 0;
            if (!known) {
                const char *kname = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1);
                return radl_fail(L, "rad.plot.text_pages: blocks[%zu] has an unknown kind '%s'; a block is "
                                    "{heading = \"...\"}, {text = \"...\"} or {table = {header =, rows =, align =}}",
                                 i + 1, kname);
            }
        }
        if (kinds != 1)
            return radl_fail(L, "rad.plot.text_pages: blocks[%zu] %s; a block is one of {heading = \"...\"}, "
                                "{text = \"...\"} or {table = {...}}", i + 1,
                             kinds ? "has more than one of heading, text and table" : "is empty");
        snprintf(fname, sizeof fname, "blocks[%zu]", i + 1);
        if (lua_getfield(L, ei, "table") != LUA_TNIL) {
            table_block(L, anchor, i + 1, &blocks[i]);
        } else {
            lua_pop(L, 1);
            int heading = lua_getfield(L, ei, "heading") != LUA_TNIL;
            if (!heading) {
                lua_pop(L, 1);
                lua_getfield(L, ei, "text");
            }
            if (lua_type(L, -1) != LUA_TSTRING)
                return radl_fail(L, "rad.plot.text_pages: %s.%s is a %s; give a string", fname,
                                 heading ? "heading" : "text", luaL_typename(L, -1));
            blocks[i].kind = heading ? RAD_BLOCK_HEADING : RAD_BLOCK_TEXT;
            blocks[i].text = lua_tostring(L, -1);
            lua_pushvalue(L, -1);
            keep(L, anchor);
        }
        lua_settop(L, ei - 1);
    }
    size_t np = 0;
    RadFigure **pages = rad_text_pages(blocks, n, &o, &np);
    if (!pages)
        return radl_fail(L, "rad.plot.text_pages: %s", rad_error_message());
    lua_createtable(L, (int)np, 0);
    for (size_t k = 0; k < np; k++) {
        RadFigure **box = radl_figure_push(L);
        *box = pages[k];
        pages[k] = NULL;
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    free(pages);
    return 1;
}

/* ---- rad.plot.lines: plain numbers ---------------------------------------------------- */

static RadStyle series_style(lua_State *L, int idx, size_t k, const char *fname)
{
    RadStyle st = rad_style_line(k, 1.2);
    const char *col = radl_opt_string(L, idx, "color", NULL);
    if (col && rad_color_parse(col, &st.color) != 0)
        radl_fail(L, "%s: series %zu: %s", fname, k + 1, rad_error_message());
    st.line_width = radl_opt_number(L, idx, "width", 1.2);
    const char *dash = radl_opt_string(L, idx, "dash", "solid");
    static const char *const dashes[] = {"solid", "dashed", "dotted", "dotdash", NULL};
    int d = -1;
    for (int i = 0; dashes[i]; i++)
        if (strcmp(dash, dashes[i]) == 0)
            d = i;
    if (d < 0)
        radl_fail(L, "%s: series %zu: dash '%s': use solid, dashed, dotted or dotdash", fname, k + 1, dash);
    st.dash = (RadDash)d;
    const char *mk = radl_opt_string(L, idx, "marker", NULL);
    static const char *const markers[] = {"none", "circle", "square", "triangle", "diamond", "plus", "cross", NULL};
    if (mk) {
        int m = -1;
        for (int i = 0; markers[i]; i++)
            if (strcmp(mk, markers[i]) == 0)
                m = i;
        if (m < 0)
            radl_fail(L, "%s: series %zu: marker '%s': use none, circle, square, triangle, diamond, plus or cross",
                      fname, k + 1, mk);
        st.marker = (RadMarker)m;
        st.fill = st.color;
    }
    return st;
}

static void opt_limits(lua_State *L, int idx, const char *key, const char *fname, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (lua_getfield(L, idx, key) != LUA_TNIL) {
        if (!lua_istable(L, -1) || lua_rawlen(L, -1) != 2)
            radl_fail(L, "%s: option %s must be {lo, hi}", fname, key);
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        *lo = lua_isnumber(L, -2) ? lua_tonumber(L, -2) : NAN;
        *hi = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : NAN;
        lua_pop(L, 2);
        if (!(*lo < *hi))
            radl_fail(L, "%s: option %s = {%g, %g}: give lo < hi", fname, key, *lo, *hi);
    }
    lua_pop(L, 1);
}

static int l_lines(lua_State *L)
{
    static const char *const keys[] = {RADL_CHART_KEYS, "xlog", "ylog", "xlim", "ylim", NULL};
    static const char *const skeys[] = {"x", "y", "label", "kind", "color", "width", "dash", "marker", NULL};
    const char *F = "rad.plot.lines";
    luaL_checktype(L, 1, LUA_TTABLE);
    radl_check_keys(L, 2, F, keys);
    lua_settop(L, 2);
    /* one series {x =, y =} or a list of them */
    lua_getfield(L, 1, "y");
    int single = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (single) {
        lua_createtable(L, 1, 0);
        lua_pushvalue(L, 1);
        lua_rawseti(L, -2, 1);
        lua_replace(L, 1);
    }
    size_t ns = (size_t)lua_rawlen(L, 1);
    if (ns == 0)
        return radl_fail(L, "%s: give a series {x = {...}, y = {...}} or a list of them", F);
    RadChartOptions o;
    radl_chart_options(L, 2, F, &o);
    RadFigure **box = radl_figure_push(L);
    RadAxes *ax;
    RadFigure *fig = rad_chart_begin(&o, 120, 85, "x", "y", &ax);
    if (!fig)
        return radl_error(L);
    *box = fig;
    if (lua_istable(L, 2)) {
        double lo, hi;
        lua_getfield(L, 2, "xlog");
        if (lua_toboolean(L, -1))
            rad_axes_set_xscale(ax, RAD_SCALE_LOG);
        lua_getfield(L, 2, "ylog");
        if (lua_toboolean(L, -1))
            rad_axes_set_yscale(ax, RAD_SCALE_LOG);
        lua_pop(L, 2);
        opt_limits(L, 2, "xlim", F, &lo, &hi);
        rad_axes_set_xlim(ax, lo, hi);
        opt_limits(L, 2, "ylim", F, &lo, &hi);
        rad_axes_set_ylim(ax, lo, hi);
    }
    size_t total = 0, dropped = 0;
    for (size_t k = 0; k < ns; k++) {
        int top = lua_gettop(L);
        if (lua_rawgeti(L, 1, (lua_Integer)k + 1) != LUA_TTABLE)
            return radl_fail(L, "%s: series %zu is a %s, not a table {x =, y =}", F, k + 1, luaL_typename(L, -1));
        int si = lua_gettop(L);
        radl_check_keys(L, si, F, skeys);
        size_t nx = 0, ny;
        lua_getfield(L, si, "y");
        double *y = radl_numbers_scratch(L, lua_gettop(L), F, "y", &ny);
        double *x;
        if (lua_getfield(L, si, "x") == LUA_TNIL) {
            x = radl_scratch(L, ny * sizeof *x);
            for (size_t i = 0; i < ny; i++)
                x[i] = (double)(i + 1);
            nx = ny;
        } else
            x = radl_numbers_scratch(L, lua_gettop(L), F, "x", &nx);
        if (nx != ny)
            return radl_fail(L, "%s: series %zu has %zu x and %zu y values; give as many of each", F, k + 1, nx, ny);
        size_t bad = 0;
        for (size_t i = 0; i < ny; i++)
            if (!isfinite(x[i]) || !isfinite(y[i]))
                bad++;
        if (bad == ny)
            return radl_fail(L, "%s: series %zu has no point with a finite x and y (%zu values, all missing or "
                                "non-finite): nothing to draw; drop it or check the data", F, k + 1, ny);
        dropped += bad;
        total += ny;
        RadStyle st = series_style(L, si, k, F);
        const char *kind = radl_opt_string(L, si, "kind", "line");
        int rc;
        if (strcmp(kind, "line") == 0)
            rc = rad_axes_line(ax, x, y, ny, &st);
        else if (strcmp(kind, "step") == 0)
            rc = rad_axes_step(ax, x, y, ny, &st);
        else if (strcmp(kind, "points") == 0) {
            if (st.marker == RAD_MARKER_NONE) {
                st.marker = RAD_MARKER_CIRCLE;
                st.fill = st.color;
            }
            rc = rad_axes_points(ax, x, y, ny, &st);
        } else
            return radl_fail(L, "%s: series %zu: kind '%s': use line, step or points", F, k + 1, kind);
        const char *label = radl_opt_string(L, si, "label", NULL);
        if (rc != 0 || (label && rad_axes_add_legend(ax, label, &st,
                                                     strcmp(kind, "points") == 0 ? RAD_LEGEND_KEY_MARKER
                                                                                 : RAD_LEGEND_KEY_LINE) != 0))
            return radl_error(L);
        lua_settop(L, top);
    }
    if (dropped)
        rad_figure_add_note(fig, "%zu of %zu points with a missing or non-finite value not drawn", dropped, total);
    char desc[96];
    snprintf(desc, sizeof desc, "lines, %zu series, %zu points", ns, total);
    rad_figure_set_description(fig, desc);
    return 1;
}

void radl_open_plot(lua_State *L)
{
    static const RadlReg methods[] = {
        {"save", m_save,
         "Figure:save(path [, {dpi = 150, width =, height = (mm, 10 to 2000) or pixels = {w, h}, source =, digest =, "
         "title =, reproducible = false}]) -> Figure: write the file (atomically) in the format its extension names: "
         ".png (RGB at dpi with provenance text chunks: Title, Software, Source, Description, settings digest, "
         "Creation Time unless reproducible), .pdf or .svg (vector, the same provenance in the document "
         "information / metadata); a size given here applies to this file only"},
        {"layout", m_layout,
         "Figure:layout([{dpi = 150}]) -> {{kind, axes, text, cell, x0, y0, x1, y1}, ...}: the boxes (pixels) as "
         "rendered: plot areas, group boxes (xticks, legend, table, colorbar) and every piece of text on its own "
         "(text = true: titles, axis labels, each tick label, legend entries, table cells, notes, labels; cell: "
         "the page cell it is drawn in)"},
        {"size", m_size, "Figure:size() -> width, height: size in mm"},
        {"pixels", m_pixels, "Figure:pixels([dpi = 150]) -> width, height: size in pixels at dpi"},
        {"notes", m_notes, "Figure:notes() -> {strings}: what was dropped or adjusted while drawing (e.g. rows with NA)"},
        {"title", m_title, "Figure:title([text]) -> text or Figure: get or set (nil removes) the title"},
        {"close", m_close, "Figure:close(): free it now (also done by the garbage collector)"},
        {NULL, NULL, NULL}};
    static const RadlReg funcs[] = {
        {"page", l_page,
         "rad.plot.page{figures = {fig, ...}, columns = 2, title =, subtitle =, width = 180, height =} -> Figure: "
         "a report page composing figures in a grid (each re-laid out in its cell)"},
        {"lines", l_lines,
         "rad.plot.lines({x =, y =, label =, kind = \"line\"|\"step\"|\"points\", color =, width =, dash = \"solid\"|\"dashed\"|\"dotted\"|\"dotdash\", marker = \"none\"|\"circle\"|\"square\"|\"triangle\"|\"diamond\"|\"plus\"|\"cross\"} "
         "or a list of such series [, {xlog =, ylog =, xlim = {lo, hi}, ylim =, title =, xlabel =, ylabel =, legend =, "
         "grid =, width =, height =}]) -> Figure: lines, steps or points of plain numbers"},
        {"show", l_show,
         "rad.plot.show(fig [, caption]) -> path: display a figure: in radlab notebook, in the page (with the "
         "caption under it; returns nil); elsewhere (a script, the REPL) saved as a 150-dpi PNG into a fresh temporary folder "
         "and announced as \"figure: PATH\" on standard output"},
        {"save_pdf", l_save_pdf,
         "rad.plot.save_pdf(path, {fig1, fig2, ...} [, {title =, source =, digest =, reproducible = false}]) -> path: "
         "one PDF document (written atomically), a page per Figure in its own size, with the provenance in the "
         "document information (no CreationDate when reproducible)"},
        {"text_pages", l_text_pages,
         "rad.plot.text_pages{title =, blocks = {{heading = s}, {text = s}, {table = {header = {...}, rows = {{...}, "
         "...}, align = {\"l\", \"r\", ...}}}, ...}, width = 180, height = 250, font_size = 9, page_total =} -> {Figure, ...}: "
         "report pages of text (paragraphs wrapped, tables with rules, columns as wide as their cells, shrunk down "
         "to 6 pt to fit), flowing over as many pages as needed, numbered \"page k of n\" (n = page_total when "
         "figure pages follow them in one document); save with "
         "rad.plot.save_pdf"},
        {NULL, NULL, NULL}};
    radl_new_class(L, RADL_FIGURE, methods, "Figure:", m_close, m_tostring);
    lua_pop(L, 1);
    lua_newtable(L);
    radl_register(L, funcs, "rad.plot.");
    lua_setfield(L, -2, "plot");
}
