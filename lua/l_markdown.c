/* radlab: rad.markdown, CommonMark to HTML (libcmark, the reference
 * implementation; the notebook runner's markdown cells).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <cmark.h>
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>

#include "binding.h"

#define HTML_BOX "rad.markdown.html"

/* libcmark's result is malloc'd: it sits in a box collected with the stack,
 * so an out-of-memory error while pushing the string does not leak it. */
static int box_gc(lua_State *L)
{
    char **box = luaL_checkudata(L, 1, HTML_BOX);
    free(*box);
    *box = NULL;
    return 0;
}

static int l_html(lua_State *L)
{
    static const char *const keys[] = {"unsafe", NULL};
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    int options = CMARK_OPT_VALIDATE_UTF8; /* invalid bytes become U+FFFD, never raw bytes in the page */
    char **box;
    radl_check_keys(L, 2, "rad.markdown.html", keys);
    if (lua_istable(L, 2)) {
        int t = lua_getfield(L, 2, "unsafe");
        if (t != LUA_TNIL && t != LUA_TBOOLEAN)
            return radl_fail(L, "rad.markdown.html: unsafe must be true or false, got a %s", luaL_typename(L, -1));
        if (lua_toboolean(L, -1))
            options |= CMARK_OPT_UNSAFE; /* raw HTML and javascript: links kept as written */
        lua_pop(L, 1);
    }
    box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    if (luaL_newmetatable(L, HTML_BOX)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    *box = cmark_markdown_to_html(text, len, options);
    if (!*box)
        return radl_fail(L, "rad.markdown.html: out of memory converting %zu bytes of markdown", len);
    lua_pushstring(L, *box);
    free(*box);
    *box = NULL;
    return 1;
}

void radl_open_markdown(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"html", l_html,
         "rad.markdown.html(text [, {unsafe = false}]) -> html: CommonMark text as HTML (libcmark, the CommonMark "
         "reference); raw HTML blocks and inline tags are left out (replaced by a comment) and javascript:, vbscript:, file: "
         "and data: links other than images emptied, unless unsafe = true; invalid UTF-8 becomes U+FFFD"},
        {NULL, NULL, NULL}};
    lua_newtable(L);
    radl_register(L, funcs, "rad.markdown.");
    lua_setfield(L, -2, "markdown");
}
