/* radlab: rad.yaml, YAML documents as Lua values (the reader is src/io/yaml.c).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <lauxlib.h>
#include <lua.h>
#include <string.h>

#include "binding.h"
#include "io/yaml.h"
#include "util/error.h"

/* Push y; record in the table at index `lines` the line of every node by
 * its path ("setting", "setting.binWidth", "imageType.LoG.sigma[2]"; the
 * root is ""). */
static void push_tree(lua_State *L, const RadYaml *y, int lines, const char *path)
{
    luaL_checkstack(L, 8, "rad.yaml: nesting too deep");
    lua_pushinteger(L, y->line);
    lua_setfield(L, lines, path);
    switch (y->type) {
    case RAD_YAML_NULL:
        radl_push_na(L);
        return;
    case RAD_YAML_BOOL:
        lua_pushboolean(L, (int)y->i);
        return;
    case RAD_YAML_INT:
        lua_pushinteger(L, (lua_Integer)y->i);
        return;
    case RAD_YAML_FLOAT:
        lua_pushnumber(L, y->f);
        return;
    case RAD_YAML_STRING:
        lua_pushstring(L, y->text);
        return;
    case RAD_YAML_SEQ:
        lua_createtable(L, (int)y->n, 0);
        for (size_t i = 0; i < y->n; i++) {
            const char *p = lua_pushfstring(L, "%s[%d]", path, (int)i + 1);
            push_tree(L, y->items[i], lines, p);
            lua_rawseti(L, -3, (lua_Integer)i + 1);
            lua_pop(L, 1);
        }
        return;
    case RAD_YAML_MAP:
        lua_createtable(L, 0, (int)y->n);
        for (size_t i = 0; i < y->n; i++) {
            const char *p = *path ? lua_pushfstring(L, "%s.%s", path, y->keys[i]) : lua_pushstring(L, y->keys[i]);
            push_tree(L, y->items[i], lines, p);
            lua_pushinteger(L, y->key_line[i]); /* a mapping entry is where its key is */
            lua_setfield(L, lines, p);
            lua_setfield(L, -3, y->keys[i]);
            lua_pop(L, 1);
        }
        return;
    }
}

#define TREE_BOX "rad.yaml.tree"

static int box_gc(lua_State *L)
{
    RadYaml **box = luaL_checkudata(L, 1, TREE_BOX);
    rad_yaml_free(*box);
    *box = NULL;
    return 0;
}

/* The tree sits in a box collected with the stack, so a Lua error while the
 * tables are built (out of memory) does not leak it. */
static int push_doc(lua_State *L, RadYaml *y, const char *fname)
{
    RadYaml **box;
    int lines;
    if (!y)
        return radl_fail(L, "%s: %s", fname, rad_error_message());
    box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = y;
    if (luaL_newmetatable(L, TREE_BOX)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_newtable(L);
    lines = lua_gettop(L);
    push_tree(L, y, lines, "");
    rad_yaml_free(y);
    *box = NULL;
    lua_insert(L, lines); /* value, lines */
    return 2;
}

static int l_parse(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "the text");
    return push_doc(L, rad_yaml_parse(text, len, name), "rad.yaml.parse");
}

static int l_read(lua_State *L)
{
    return push_doc(L, rad_yaml_read(luaL_checkstring(L, 1)), "rad.yaml.read");
}

void radl_open_yaml(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"read", l_read,
         "rad.yaml.read(path) -> value, lines: the Lua value of a YAML file (libyaml; one document): mappings and "
         "sequences as tables, plain scalars typed as YAML 1.1 / PyYAML do (null, ~ and nothing -> rad.NA; "
         "true/false/yes/no/on/off -> booleans; 12, 0x1F -> integers; 1.5, 1.0e+3, .inf -> numbers; 1e-3 stays a "
         "string), quoted values strings, aliases expanded; lines maps each node's path (\"setting.binWidth\", "
         "\"imageType.LoG.sigma[2]\") to its line (a mapping entry: its key's).  An error names the file, line and column"},
        {"parse", l_parse,
         "rad.yaml.parse(text [, name]) -> value, lines: rad.yaml.read on a string (name is used in messages)"},
        {NULL, NULL, NULL}};
    lua_newtable(L);
    radl_register(L, funcs, "rad.yaml.");
    lua_setfield(L, -2, "yaml");
}
