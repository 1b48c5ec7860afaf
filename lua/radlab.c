/* radlab: the radlab program: runs study scripts and the REPL.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   radlab                      the REPL
 *   radlab script.lua args...   run a script; `arg` as in Lua's interpreter
 *   radlab -e CODE [-i]         run code, then stop (or enter the REPL)
 *
 * Everything after the option scan runs inside one protected call, so that
 * even an error while setting up the state ends in a message, not an abort.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "binding.h"
#include "repl.h"

#ifndef RADLAB_STDLIBDIR
#define RADLAB_STDLIBDIR "/usr/local/share/lua/5.4"
#endif

#ifndef RADLAB_CMODDIR
#define RADLAB_CMODDIR "/usr/local/lib/lua/5.4"
#endif

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static const char *progname = "radlab";

static void print_usage(void)
{
    printf("usage: %s [options] [script [args...]]\n"
           "Run a radlab script, or the interactive REPL when there is none.\n"
           "Options:\n"
           "  -e CODE     run the Lua code CODE (may be given more than once)\n"
           "  -i          enter the REPL after the -e code and the script\n"
           "  -           read the script from standard input\n"
           "  --          stop handling options; the next argument is the script\n"
           "  -h, --help  show this help and exit\n"
           "  --version   show the versions of radlab and Lua and exit\n"
           "Commands:\n"
           "  extract IMAGE MASK [-s SETTINGS.lua] [--label N] [--resample-mask] [-o OUT.csv] [-j N]\n"
           "              compute the IBSI features of a region of interest (on N threads)\n"
           "              (radlab extract --help; settings keys: radlab -e 'help(rad.extract)')\n"
           "  extract --cohort MANIFEST.csv [-s SETTINGS.lua] [-o OUT.csv] [-j N] [--strict]\n"
           "              the features of every case of a manifest, on N threads\n"
           "  map IMAGE MASK --features TAG[,TAG...] -o DIR [-s SETTINGS.lua] [--radius R]\n"
           "              voxel-wise feature maps DIR/<tag>.nii.gz (radlab map --help)\n"
           "  features [FAMILY]\n"
           "              list the features radlab computes (tag, IBSI id, name)\n"
           "  demo-cohort [-n N] [--seed S] [--centres C] -o DIR\n"
           "              generate a synthetic neuroblastoma cohort (CT, masks,\n"
           "              manifest.csv) into DIR (man radlab-demo)\n"
           "  extract --cohort MANIFEST.csv ... --shard K/N -o SHARD.csv\n"
           "              shard K of N of a cohort extraction (radlab extract --help)\n"
           "  merge SHARD.csv... -o OUT.csv\n"
           "              join the shards into the cohort's feature table\n"
           "  slurm --cohort MANIFEST.csv [-s SETTINGS.lua] -n N -o OUTDIR [--submit]\n"
           "              write (and submit) a Slurm job array over N shards and its merge job\n"
           "  notebook FILE.lua [-o DIR] [--check] [--keep-going] [--timeout S] [--no-embed]\n"
           "              run a workshop notebook into DIR/index.html (radlab notebook --help)\n"
           "In the REPL, help() explains how to get help.  See radlab(1).\n",
           progname);
}

/* Usage errors end with status 2 and point at --help. */
static int usage_error(const char *what, const char *option)
{
    fprintf(stderr, "%s: %s '%s' (try %s --help)\n", progname, what, option, progname);
    fflush(stderr);
    return 2;
}


/* ---- options ---------------------------------------------------------------- */

typedef struct Options {
    int script;      /* argv index of the script; 0 when none */
    int has_e;       /* some -e CODE */
    int interactive; /* -i */
    int version;     /* --version */
    int help;        /* -h, --help */
} Options;

/* Scan the options without running anything, so that a mistake anywhere on
 * the command line stops radlab before any code has run.  Returns 0, or 2
 * after reporting a usage error. */
static int scan_options(int argc, char **argv, Options *o)
{
    int i;
    memset(o, 0, sizeof *o);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) { /* the script; the rest are its */
            o->script = i;
            return 0;
        }
        if (strcmp(a, "--") == 0) {
            if (i + 1 < argc)
                o->script = i + 1;
            return 0;
        }
        if (strcmp(a, "-i") == 0)
            o->interactive = 1;
        else if (strcmp(a, "--version") == 0)
            o->version = 1;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            o->help = 1;
        else if (strncmp(a, "-e", 2) == 0) {
            o->has_e = 1;
            /* "-eCODE" or "-e CODE"; an option in CODE's place is a
             * forgotten argument (Lua code never starts with '-'...
             * except a comment, which would do nothing anyway). */
            if (a[2] == '\0' && (++i >= argc || argv[i][0] == '-'))
                return usage_error("missing code after", "-e");
        } else
            return usage_error("unknown option", a);
    }
    return 0;
}


/* ---- setting up the state ------------------------------------------------------- */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add_template(luaL_Buffer *b, const char *dir)
{
    luaL_addstring(b, dir);
    luaL_addstring(b, "/?.lua;");
}

static void add_ctemplate(luaL_Buffer *b, const char *dir)
{
    luaL_addstring(b, dir);
    luaL_addstring(b, "/?.so;");
}

/* Put the stdlib in front of package.path: $RADLAB_STDLIB, then a stdlib
 * beside the program or one level up (a build tree), then the installed
 * one.  The first found wins, so a build tree never runs installed code.
 * Likewise package.cpath, for the C module rad_plot.so that rad.plot loads
 * on first use: the build tree's lua/.libs, then the installed one. */
static void set_path(lua_State *L)
{
    char exe[PATH_MAX], dir[PATH_MAX + 16];
    const char *env = getenv("RADLAB_STDLIB");
    ssize_t n;
    luaL_Buffer b;

    lua_getglobal(L, "package");
    luaL_buffinit(L, &b);
    if (env && env[0])
        add_template(&b, env);
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        else
            n = 0;
    }
    if (n > 0) {
        snprintf(dir, sizeof dir, "%s/stdlib", exe);
        if (is_dir(dir))
            add_template(&b, dir);
        snprintf(dir, sizeof dir, "%s/../stdlib", exe);
        if (is_dir(dir))
            add_template(&b, dir);
    }
    add_template(&b, RADLAB_STDLIBDIR);
    lua_getfield(L, -2, "path");
    luaL_addvalue(&b);
    luaL_pushresult(&b);
    lua_setfield(L, -2, "path");

    luaL_buffinit(L, &b);
    if (n > 0) {
        snprintf(dir, sizeof dir, "%s/lua/.libs", exe);
        if (is_dir(dir))
            add_ctemplate(&b, dir);
    }
    add_ctemplate(&b, RADLAB_CMODDIR);
    lua_getfield(L, -2, "cpath");
    luaL_addvalue(&b);
    luaL_pushresult(&b);
    lua_setfield(L, -2, "cpath");
    lua_pop(L, 1);
}

/* help(x), written in Lua: it sorts, matches names and prints, which is
 * what Lua is good at.  Called with package.loaded, the registry (where
 * the classes' metatables live) and the globals. */
static const char help_source[] =
    "local loaded, registry, globals = ...\n"
    "local getmt, sort, concat = debug.getmetatable, table.sort, table.concat\n"
    "local function say(s) io.stdout:write(s, '\\n') end\n"
    "local intro = [[\n"
    "radlab: radiomics on Lua 5.4.  The engine is the table `rad`.\n"
    "  help(rad.read)      one line about a function: arguments, result, purpose\n"
    "  help('rad.read')    the same by name; 'Image:stats' names a method\n"
    "  help(rad)           the documented functions of a table or module\n"
    "  help(img)           the methods of an object, e.g. an Image or a FeatureSet\n"
    "  help(rad.extract)   rad.extract and every settings key with its default\n"
    "  help(rad.demo)      a stdlib module: rad.demo, rad.cohort, rad.select,\n"
    "                      rad.describe, rad.validate, rad.rng, rad.pretty, rad.test\n"
    "  rad                 (at the prompt) every name of the rad module, grouped\n"
    "  rad. + TAB          complete names (TAB twice lists all choices)\n"
    "  Ctrl-C              stop a running command, or drop the current line\n"
    "  Ctrl-D              quit\n"
    "Manual pages: radlab(1), radlab-lua(7).]]\n"
    "\n"
    "-- rad.help(x), or nil when it is missing, fails or knows nothing\n"
    "local function doc(x)\n"
    "  local rad = loaded.rad\n"
    "  local h = type(rad) == 'table' and rawget(rad, 'help')\n"
    "  if type(h) ~= 'function' then return nil end\n"
    "  local ok, s = pcall(h, x)\n"
    "  if ok and type(s) == 'string' then return s end\n"
    "end\n"
    "\n"
    "-- the method table of an object: its metatable's __index, if a table\n"
    "local function methods(x)\n"
    "  local mt = getmt(x)\n"
    "  local idx = type(mt) == 'table' and rawget(mt, '__index')\n"
    "  if type(idx) == 'table' then return idx end\n"
    "  -- a class whose __index is a function keeps its methods in mt.methods\n"
    "  idx = type(mt) == 'table' and rawget(mt, 'methods')\n"
    "  if type(idx) == 'table' then return idx end\n"
    "end\n"
    "\n"
    "-- a printable name: a module, a field of rad, or a class (Image)\n"
    "local function nameof(v)\n"
    "  for k, m in next, loaded do\n"
    "    if rawequal(m, v) and type(k) == 'string' then return k end\n"
    "  end\n"
    "  local rad = loaded.rad\n"
    "  if type(rad) == 'table' then\n"
    "    for k, m in next, rad do\n"
    "      if rawequal(m, v) and type(k) == 'string' then return 'rad.' .. k end\n"
    "    end\n"
    "  end\n"
    "  for k, mt in next, registry do\n"
    "    if type(k) == 'string' and type(mt) == 'table' and\n"
    "       (rawequal(rawget(mt, '__index'), v) or rawequal(rawget(mt, 'methods'), v)) then\n"
    "      return (k:gsub('^rad%.', ''))\n"
    "    end\n"
    "  end\n"
    "end\n"
    "\n"
    "-- the value a name such as 'rad.image.new' or 'Image:stats' stands for,\n"
    "-- found with raw access only; a class name finds its method table\n"
    "local function resolve(name)\n"
    "  local first, rest = name:match('^([%a_][%w_]*)(.*)$')\n"
    "  if not first or rest:gsub('[.:][%a_][%w_]*', '') ~= '' then return nil end\n"
    "  local v = rawget(globals, first)\n"
    "  if v == nil then\n"
    "    local mt = rawget(registry, 'rad.' .. first)\n"
    "    if type(mt) == 'table' then\n"
    "      local idx = rawget(mt, '__index')\n"
    "      v = type(idx) == 'table' and idx or mt\n"
    "    end\n"
    "  end\n"
    "  for key in rest:gmatch('[.:]([%a_][%w_]*)') do\n"
    "    if v == nil then return nil end\n"
    "    local found = type(v) == 'table' and rawget(v, key) or nil\n"
    "    if found == nil then\n"
    "      local m = methods(v)\n"
    "      found = m and rawget(m, key)\n"
    "    end\n"
    "    v = found\n"
    "  end\n"
    "  return v\n"
    "end\n"
    "\n"
    "-- the documented functions of a table, sorted, and its documented sub-tables\n"
    "local function list(t, name)\n"
    "  local keys, lines, subs = {}, {}, {}\n"
    "  for k in next, t do\n"
    "    if type(k) == 'string' then keys[#keys + 1] = k end\n"
    "  end\n"
    "  sort(keys)\n"
    "  for _, k in ipairs(keys) do\n"
    "    local v = rawget(t, k)\n"
    "    -- by full name first: one C function may serve two classes\n"
    "    local s = type(v) == 'function' and\n"
    "      (name and (doc(name .. '.' .. k) or doc(name .. ':' .. k)) or doc(v))\n"
    "    if s then\n"
    "      -- the first line only: a long text (help(rad.extract)) is for help(f)\n"
    "      lines[#lines + 1] = '  ' .. s:match('[^\\n]*')\n"
    "    elseif type(v) == 'table' and not rawequal(v, t) then\n"
    "      for _, f in next, v do\n"
    "        if type(f) == 'function' and doc(f) then\n"
    "          subs[#subs + 1] = 'help(' .. (name and name .. '.' or '') .. k .. ')'\n"
    "          break\n"
    "        end\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "  if #lines == 0 and #subs == 0 then\n"
    "    say('no documented functions in ' .. (name or 'this table'))\n"
    "    return\n"
    "  end\n"
    "  if name then say(name .. ':') end\n"
    "  for _, s in ipairs(lines) do say(s) end\n"
    "  if #subs > 0 then say('more: ' .. concat(subs, ', ')) end\n"
    "end\n"
    "\n"
    "return function(x)\n"
    "  if x == nil then say(intro) return end\n"
    "  local s = doc(x)\n"
    "  if s then say(s) return end\n"
    "  -- an object of a documented class (help registered under its\n"
    "  -- metatable's __name): the class text, then its methods if any\n"
    "  local mt = type(x) ~= 'string' and getmt(x)\n"
    "  local cname = type(mt) == 'table' and rawget(mt, '__name')\n"
    "  local ctext = type(cname) == 'string' and doc(cname)\n"
    "  if ctext then\n"
    "    say(ctext)\n"
    "    if type(x) == 'table' then return end\n"
    "  end\n"
    "  local name\n"
    "  if type(x) == 'string' then\n"
    "    name, x = x, resolve(x)\n"
    "    if x == nil then say(\"no help for '\" .. name .. \"'\") return end\n"
    "    s = doc(x)\n"
    "    if s then say(s) return end\n"
    "  end\n"
    "  if type(x) == 'function' then\n"
    "    say('no help for ' .. (name or 'this function'))\n"
    "    return\n"
    "  end\n"
    "  local t = type(x) == 'table' and x or methods(x)\n"
    "  if t == nil then\n"
    "    say('no help for ' .. (name or 'a ' .. type(x) .. ' value'))\n"
    "    return\n"
    "  end\n"
    "  list(t, name or nameof(x) or nameof(t))\n"
    "end\n";

/* rad.demo, rad.cohort, ...: the stdlib modules the manual lists
 * (rad.doc.modules), loaded on first use, so that help(rad.demo) and
 * rad.demo.phantom() work at the prompt without a require. */
static const char lazy_source[] =
    "local rad = ...\n"
    "-- rad's metatable (rad.c) loads the modules __modules names (plot)\n"
    "local mt = getmetatable(rad)\n"
    "local names = type(mt) == 'table' and rawget(mt, '__modules')\n"
    "if type(names) ~= 'table' then return end\n"
    "local ok, doc = pcall(require, 'rad.doc')\n"
    "if ok and type(doc) == 'table' then\n"
    "  for _, m in ipairs(doc.modules) do names[m] = 'rad.' .. m end\n"
    "end\n";

static void define_lazy_modules(lua_State *L)
{
    if (luaL_loadbuffer(L, lazy_source, sizeof lazy_source - 1, "=rad") != LUA_OK)
        lua_error(L);
    lua_getglobal(L, "rad");
    lua_call(L, 1, 0);
}

static void define_help(lua_State *L)
{
    if (luaL_loadbuffer(L, help_source, sizeof help_source - 1, "=help") != LUA_OK)
        lua_error(L);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushvalue(L, LUA_REGISTRYINDEX);
    lua_pushglobaltable(L);
    lua_call(L, 3, 1);
    lua_setglobal(L, "help");
}

/* rad.version, from the loaded module (the module is the authority). */
static const char *rad_version(lua_State *L)
{
    const char *v;
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, "rad");
    lua_getfield(L, -1, "version");
    v = lua_tostring(L, -1);
    lua_pop(L, 3); /* the string stays alive: rad.version still holds it */
    return v ? v : "?";
}

/* The global `arg`: the script at index 0, its arguments from 1, the
 * interpreter and options at negative indices.  Without a script, arg[0] is
 * the program and the options follow it. */
static void create_arg_table(lua_State *L, int argc, char **argv, int script)
{
    int i;
    lua_createtable(L, argc - script - 1 > 0 ? argc - script - 1 : 0, script + 1);
    for (i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - script);
    }
    lua_setglobal(L, "arg");
}


/* ---- running code ------------------------------------------------------------------ */

static int run_chunk(lua_State *L, int status)
{
    if (status == LUA_OK)
        status = radl_docall(L, 0, 0, 1);
    return radl_report(L, status, progname);
}

/* Every -e CODE before the script, in order; stop at the first failure. */
static int run_codes(lua_State *L, char **argv, int upto)
{
    int i;
    for (i = 1; i < upto; i++) {
        const char *code;
        if (strncmp(argv[i], "-e", 2) != 0)
            continue;
        code = argv[i][2] ? argv[i] + 2 : argv[++i];
        if (run_chunk(L, luaL_loadbuffer(L, code, strlen(code), "=(command line)")) != LUA_OK)
            return 1;
    }
    return 0;
}

/* The script, with its arguments also passed as `...`.  "-" is standard
 * input, unless it came after "--" (then it is a file named "-"). */
static int run_script(lua_State *L, int argc, char **argv, int script)
{
    const char *fname = argv[script];
    int status, i;

    if (strcmp(fname, "-") == 0 && strcmp(argv[script - 1], "--") != 0)
        fname = NULL;
    status = luaL_loadfile(L, fname);
    if (status == LUA_OK) {
        luaL_checkstack(L, argc - script, "too many arguments to the script");
        for (i = script + 1; i < argc; i++)
            lua_pushstring(L, argv[i]);
        status = radl_docall(L, argc - script - 1, 0, 1);
    }
    return radl_report(L, status, progname) == LUA_OK ? 0 : 1;
}

/* Subcommands (radlab extract ..., radlab features ...) are written in Lua
 * (stdlib/rad/cli.lua); their function returns the exit status.  A script
 * that happens to be called "extract" runs as ./extract. */
static int is_subcommand(const char *a)
{
    return strcmp(a, "extract") == 0 || strcmp(a, "features") == 0 || strcmp(a, "demo-cohort") == 0 ||
           strcmp(a, "merge") == 0 || strcmp(a, "slurm") == 0 || strcmp(a, "map") == 0 || strcmp(a, "notebook") == 0;
}

static int run_subcommand(lua_State *L, int argc, char **argv)
{
    int status, i;
    lua_getglobal(L, "require");
    lua_pushstring(L, "rad.cli");
    status = radl_docall(L, 1, 1, 0);
    if (status == LUA_OK) {
        lua_getfield(L, -1, "main");
        lua_remove(L, -2);
        luaL_checkstack(L, argc, "too many arguments");
        for (i = 1; i < argc; i++)
            lua_pushstring(L, argv[i]);
        status = radl_docall(L, argc - 1, 1, 0);
    }
    if (status != LUA_OK) {
        radl_report(L, status, progname);
        return 1;
    }
    status = (int)luaL_optinteger(L, -1, 0);
    lua_pop(L, 1);
    return status;
}

/* A first argument that is neither a command nor a file: a mistyped command
 * (radlab extarct ...) more likely than a missing script, when it has no
 * '/' or '.' the way script names do. */
static int is_unknown_command(const char *a)
{
    struct stat st;
    return strchr(a, '/') == NULL && strchr(a, '.') == NULL && strcmp(a, "-") != 0 && stat(a, &st) != 0;
}

/* The whole program, in protected mode.  Returns the exit status. */
static int pmain(lua_State *L)
{
    int argc = (int)lua_tointeger(L, 1);
    char **argv = lua_touserdata(L, 2);
    Options o;
    int status;

    if (argc >= 2 && is_subcommand(argv[1])) {
        luaL_checkversion(L);
        luaL_openlibs(L);
        luaL_requiref(L, "rad", luaopen_rad, 1);
        lua_pop(L, 1);
        set_path(L);
        if (strcmp(argv[1], "notebook") == 0) { /* a notebook runs as a script would: help(), rad.demo, ... */
            define_help(L);
            define_lazy_modules(L);
        }
        lua_pushinteger(L, run_subcommand(L, argc, argv));
        return 1;
    }
    if ((status = scan_options(argc, argv, &o)) != 0) {
        lua_pushinteger(L, status);
        return 1;
    }
    if (o.script && o.script == 1 && is_unknown_command(argv[1])) {
        fprintf(stderr, "%s: unknown command '%s' (commands: extract, map, features, demo-cohort, merge, slurm, notebook; a script is a file such as "
                        "study.lua) (try %s --help)\n", progname, argv[1], progname);
        lua_pushinteger(L, 2);
        return 1;
    }
    if (o.help) {
        print_usage();
        lua_pushinteger(L, 0);
        return 1;
    }
    luaL_checkversion(L);
    luaL_openlibs(L);
    luaL_requiref(L, "rad", luaopen_rad, 1);
    lua_pop(L, 1);
    set_path(L);
    define_help(L);
    define_lazy_modules(L);
    if (o.version) {
        printf("%s %s (%s)\n", progname, rad_version(L), LUA_RELEASE);
        lua_pushinteger(L, 0);
        return 1;
    }
    create_arg_table(L, argc, argv, o.script);
    status = run_codes(L, argv, o.script ? o.script : argc);
    if (status == 0 && o.script)
        status = run_script(L, argc, argv, o.script);
    if (status == 0 && (o.interactive || (!o.script && !o.has_e)))
        status = radl_repl(L);
    lua_pushinteger(L, status);
    return 1;
}

int main(int argc, char **argv)
{
    lua_State *L = luaL_newstate();
    int status, result = 1;

    if (L == NULL) {
        fprintf(stderr, "%s: cannot create the Lua state: not enough memory\n", progname);
        return 1;
    }
    /* warnings on (stock lua needs -W): rad.extract names the features
     * undefined for a ROI, rad.cox dropped terms or a monotone likelihood,
     * rad.read_csv odd cells; warn("@off") mutes them */
    lua_warning(L, "@on", 0);
    lua_pushcfunction(L, pmain);
    lua_pushinteger(L, argc);
    lua_pushlightuserdata(L, argv);
    status = lua_pcall(L, 2, 1, 0);
    if (status == LUA_OK)
        result = (int)lua_tointeger(L, -1);
    else
        radl_report(L, status, progname);
    lua_close(L);
    return result;
}
