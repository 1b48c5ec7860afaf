/* radlab: JSON in and out through jansson.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   rad.json.encode(value [, {indent = 2}]) -> string
 *   rad.json.decode(text) -> value
 *   rad.json.write(path, value [, {indent = 2}]) -> path   (atomic)
 *   rad.json.read(path) -> value
 *
 * Lua -> JSON: nil and rad.NA are null, NaN and infinities null too (JSON
 * has no such numbers); integers stay integers, other numbers are written
 * with 17 significant digits so that they read back bit for bit; a table
 * whose keys are exactly 1..n is an array, any other table an object whose
 * keys must be strings; an empty table is an empty object unless it is
 * rad.json.array (then []).  Object keys are sorted, so equal values give
 * equal bytes.  JSON -> Lua: null is rad.NA, arrays are sequences.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "binding.h"
#include "util/file.h"

#define ARRAY_KEY "rad.json.array"
#define MAX_DEPTH 200

static json_t *to_json(lua_State *L, int idx, int depth, const char *path);

/* Fail with the path of the value that cannot be encoded; frees nothing
 * (the caller's partial tree is anchored in a guard). */
static json_t *fail_at(lua_State *L, const char *path, const char *what)
{
    radl_fail(L, "rad.json.encode: %s at %s", what, *path ? path : "the top level");
    return NULL;
}

/* Is s[0..n) valid UTF-8 (jansson refuses anything else)? */
static int valid_utf8(const char *s, size_t n)
{
    json_t *t = json_stringn(s, n);
    if (!t)
        return 0;
    json_decref(t);
    return 1;
}

/* Is the table at idx a sequence 1..n (n >= 1)?  Returns n or 0. */
static lua_Integer sequence_length(lua_State *L, int idx)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1)) {
            lua_pop(L, 1);
            return 0;
        }
        lua_Integer k = lua_tointeger(L, -1);
        if (k < 1 || k > n) {
            lua_pop(L, 1);
            return 0;
        }
        count++;
    }
    return count == n ? n : 0;
}

/* The tree being built, released by the guard's __gc if an error unwinds. */
typedef struct Guard {
    json_t *root;
} Guard;

static int guard_gc(lua_State *L)
{
    Guard *g = lua_touserdata(L, 1);
    if (g->root)
        json_decref(g->root);
    g->root = NULL;
    return 0;
}

static json_t *table_to_json(lua_State *L, int idx, int depth, const char *path)
{
    lua_Integer n;
    json_t *out;
    int is_array;

    if (depth > MAX_DEPTH)
        return fail_at(L, path, "tables nested more than 200 deep (a table that contains itself?)");
    luaL_checkstack(L, 8, "JSON nested too deep");
    n = sequence_length(L, idx);
    is_array = n > 0;
    if (n == 0 && lua_getmetatable(L, idx)) {
        luaL_getmetatable(L, ARRAY_KEY);
        is_array = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    /* anchor the container in a guard before filling it */
    Guard *g = lua_newuserdatauv(L, sizeof *g, 0);
    g->root = NULL;
    lua_newtable(L);
    lua_pushcfunction(L, guard_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    out = g->root = is_array ? json_array() : json_object();
    if (!out)
        return fail_at(L, path, "out of memory");
    if (is_array) {
        for (lua_Integer i = 1; i <= n; i++) {
            char sub[256];
            json_t *v;
            snprintf(sub, sizeof sub, "%s[%lld]", path, (long long)i);
            lua_rawgeti(L, idx, i);
            v = to_json(L, lua_gettop(L), depth + 1, sub);
            lua_pop(L, 1);
            if (!v || json_array_append_new(out, v) != 0)
                return fail_at(L, sub, "out of memory");
        }
    } else {
        lua_pushnil(L);
        while (lua_next(L, idx) != 0) {
            char sub[256];
            json_t *v;
            const char *key;
            if (lua_type(L, -2) != LUA_TSTRING) {
                const char *type = luaL_typename(L, -2);
                const char *shown = luaL_tolstring(L, -2, NULL);
                snprintf(sub, sizeof sub, "a %s key (%s)", type, shown);
                return fail_at(L, path, sub);
            }
            key = lua_tostring(L, -2);
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key);
            if (!valid_utf8(key, lua_rawlen(L, -2)))
                return fail_at(L, sub, "a key that is not valid UTF-8");
            v = to_json(L, lua_gettop(L), depth + 1, sub);
            lua_pop(L, 1);
            if (!v || json_object_set_new(out, key, v) != 0)
                return fail_at(L, sub, "out of memory");
        }
    }
    g->root = NULL; /* handed to the caller */
    lua_pop(L, 1);
    return out;
}

static json_t *to_json(lua_State *L, int idx, int depth, const char *path)
{
    if (radl_is_na(L, idx))
        return json_null();
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return json_null();
    case LUA_TBOOLEAN:
        return json_boolean(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            return json_integer((json_int_t)lua_tointeger(L, idx));
        {
            double x = lua_tonumber(L, idx);
            return isfinite(x) ? json_real(x) : json_null();
        }
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        json_t *v = json_stringn(s, len);
        if (!v)
            return fail_at(L, path, "a string that is not valid UTF-8");
        return v;
    }
    case LUA_TTABLE:
        return table_to_json(L, idx, depth, path);
    default: {
            char what[64];
            snprintf(what, sizeof what, "a %s (only nil, booleans, numbers, strings and tables)",
                     luaL_typename(L, idx));
        return fail_at(L, path, what);
    }
    }
}

/* Encode the value at idx with options at opt; leaves the text on the stack. */
static const char *encode(lua_State *L, int idx, int opt)
{
    static const char *const keys[] = {"indent", NULL};
    lua_Integer indent;
    Guard *g;
    char *text;

    radl_check_keys(L, opt, "rad.json.encode", keys);
    indent = radl_opt_integer(L, opt, "indent", 2);
    if (indent < 0 || indent > 31)
        radl_fail(L, "rad.json.encode: indent must be 0..31 spaces, got %lld", (long long)indent);
    g = lua_newuserdatauv(L, sizeof *g, 0);
    g->root = NULL;
    lua_newtable(L);
    lua_pushcfunction(L, guard_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    g->root = to_json(L, idx, 0, "");
    text = json_dumps(g->root, JSON_SORT_KEYS | JSON_REAL_PRECISION(17) | JSON_ENCODE_ANY |
                                   (indent ? JSON_INDENT((size_t)indent) : JSON_COMPACT));
    json_decref(g->root);
    g->root = NULL;
    if (!text)
        radl_fail(L, "rad.json.encode: out of memory");
    lua_pushstring(L, text);
    free(text);
    return lua_tostring(L, -1);
}

static int l_encode(lua_State *L)
{
    lua_settop(L, 2);
    encode(L, 1, 2);
    return 1;
}

static void push_value(lua_State *L, const json_t *v)
{
    luaL_checkstack(L, 4, "JSON nested too deep");
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *item;
        lua_createtable(L, 0, (int)json_object_size(v));
        json_object_foreach((json_t *)v, key, item) {
            push_value(L, item);
            lua_setfield(L, -2, key);
        }
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *item;
        lua_createtable(L, (int)json_array_size(v), 0);
        json_array_foreach(v, i, item) {
            push_value(L, item);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    }
    case JSON_STRING:
        lua_pushlstring(L, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        lua_pushinteger(L, (lua_Integer)json_integer_value(v));
        break;
    case JSON_REAL:
        lua_pushnumber(L, json_real_value(v));
        break;
    case JSON_TRUE:
        lua_pushboolean(L, 1);
        break;
    case JSON_FALSE:
        lua_pushboolean(L, 0);
        break;
    default:
        radl_push_na(L);
    }
}

/* Decode and push; `source` names the text in messages. */
static int decode(lua_State *L, const char *text, size_t len, const char *fname, const char *source)
{
    json_error_t err;
    Guard *g = lua_newuserdatauv(L, sizeof *g, 0);
    g->root = NULL;
    lua_newtable(L);
    lua_pushcfunction(L, guard_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    g->root = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
    if (!g->root)
        return radl_fail(L, "%s: %s is not valid JSON: %s (line %d, column %d)", fname, source, err.text, err.line,
                         err.column);
    push_value(L, g->root);
    json_decref(g->root);
    g->root = NULL;
    return 1;
}

static int l_decode(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    return decode(L, s, len, "rad.json.decode", "the text");
}

static int l_read(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    size_t len;
    char *text = rad_file_slurp(path, &len);
    if (!text)
        return radl_fail(L, "rad.json.read: %s", rad_error_message());
    const char *source = lua_pushfstring(L, "'%s'", path);
    lua_pushlstring(L, text, len);
    free(text);
    return decode(L, lua_tostring(L, -1), len, "rad.json.read", source);
}

static int l_write(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const char *text;
    RadAtomicFile af;
    lua_settop(L, 3);
    text = encode(L, 2, 3);
    if (rad_atomic_open(&af, path) != 0)
        return radl_fail(L, "rad.json.write: %s", rad_error_message());
    fputs(text, af.fp);
    fputc('\n', af.fp);
    if (rad_atomic_commit(&af) != 0)
        return radl_fail(L, "rad.json.write: %s", rad_error_message());
    lua_pushvalue(L, 1);
    return 1;
}

void radl_open_json(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"encode", l_encode,
         "rad.json.encode(value [, {indent = 2}]) -> string: JSON text of a Lua value (jansson): nil, rad.NA, NaN "
         "and infinities are null, a table with keys 1..n an array, other tables objects with string keys (sorted, "
         "so equal values give equal bytes; an empty table is {} unless it is rad.json.array), numbers with 17 "
         "significant digits; indent = 0: one line"},
        {"decode", l_decode,
         "rad.json.decode(text) -> value: the Lua value of JSON text (objects and arrays as tables, null as rad.NA); "
         "an error names the line and column of a syntax error"},
        {"read", l_read, "rad.json.read(path) -> value: decode a JSON file"},
        {"write", l_write,
         "rad.json.write(path, value [, {indent = 2}]) -> path: encode to a file, atomically (no partial file on "
         "error)"},
        {NULL, NULL, NULL}};
    lua_newtable(L);
    radl_register(L, funcs, "rad.json.");
    /* rad.json.array: the metatable that marks an empty table as [] */
    luaL_newmetatable(L, ARRAY_KEY);
    lua_pushliteral(L, "rad.json.array");
    lua_setfield(L, -2, "__name");
    lua_setfield(L, -2, "array");
    lua_setfield(L, -2, "json");
}
