/* radlab: the read-eval-print loop.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The loop follows the shape of Lua's own stand-alone interpreter: a line is
 * first compiled as `return <line>` so that an expression prints its value;
 * otherwise it is compiled as a statement, and a syntax error that stops at
 * <eof> means the statement is not finished, so another line is read.
 *
 * On a terminal the lines come from GNU readline through its callback
 * interface.  We own the select loop, so Ctrl-C at the prompt only sets a
 * flag that the loop sees when select returns, and the line can be thrown
 * away cleanly -- no longjmp out of readline.  Piped input is read with
 * getline and nothing but the prompts is written, so tests can drive it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "util/error.h"
#include "repl.h"

#define PROMPT "rad> "
#define PROMPT2 "...> "
#define CHUNKNAME "=stdin"
#define HISTORY_MAX 1000

/* How many levels of __index tables completion follows (a guard against
 * cycles such as mt.__index = mt). */
#define COMPLETE_CHAIN 8


/* ---- running user code: errors and Ctrl-C ----------------------------------- */

/* The state a Ctrl-C stops.  Set before user code runs; read by the
 * signal handler. */
static lua_State *interrupt_L;

/* Hook armed by the signal handler: fires at the next Lua event, disarms
 * itself and turns the interrupt into an ordinary error. */
static void interrupt_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted");
}

/* SIGINT while user code runs.  lua_sethook may be called from a signal
 * handler; nothing else of the Lua API may.  The engine's flag stops long C
 * loops, which poll it.  The handler is installed with SA_RESETHAND, so a
 * second Ctrl-C before the first is served ends a C call that never polls. */
static void on_sigint_run(int sig)
{
    (void)sig;
    rad_interrupt_set();
    lua_sethook(interrupt_L, interrupt_hook,
                LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
}

static void set_sigint(void (*handler)(int), int flags, struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old);
}

/* Message handler: make the error object a string and, when asked (upvalue
 * 1), add a stack traceback while the stack is still there to walk. */
static int msghandler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);
        else
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    if (lua_toboolean(L, lua_upvalueindex(1)))
        luaL_traceback(L, L, msg, 1);
    else
        lua_pushstring(L, msg);
    return 1;
}

int radl_docall(lua_State *L, int narg, int nres, int traceback)
{
    struct sigaction old;
    int base = lua_gettop(L) - narg; /* the function's slot */
    int status;

    lua_pushboolean(L, traceback);
    lua_pushcclosure(L, msghandler, 1);
    lua_insert(L, base);
    interrupt_L = L;
    rad_interrupt_clear(); /* a Ctrl-C of an earlier command is spent */
    set_sigint(on_sigint_run, SA_RESETHAND | SA_RESTART, &old);
    status = lua_pcall(L, narg, nres, base);
    sigaction(SIGINT, &old, NULL);
    /* A Ctrl-C that came after the last Lua event must not hit the next
     * command; a hook the user set himself stays. */
    if (lua_gethook(L) == interrupt_hook)
        lua_sethook(L, NULL, 0, 0);
    lua_remove(L, base);
    return status;
}

int radl_report(lua_State *L, int status, const char *progname)
{
    if (status != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        if (msg == NULL)
            msg = "(error object is not a string)";
        fflush(stdout); /* keep the order of output and error */
        if (progname)
            fprintf(stderr, "%s: ", progname);
        fprintf(stderr, "%s\n", msg);
        fflush(stderr);
        lua_pop(L, 1);
    }
    return status;
}


/* ---- reading lines --------------------------------------------------------- */

enum { LINE_OK, LINE_EOF, LINE_INTR };

static int use_readline;   /* stdin is a terminal */
static int seen_eof;       /* end of input: finish after this command */

static volatile sig_atomic_t got_sigint;
static char *cb_line;    /* the line readline handed us (NULL at EOF) */
static int cb_done;

static void on_sigint_read(int sig)
{
    (void)sig;
    got_sigint = 1;
}

/* Readline's callback for a complete line.  Removing the handler here keeps
 * readline from printing the next prompt before the line has run. */
static void line_done(char *line)
{
    cb_line = line;
    cb_done = 1;
    rl_callback_handler_remove();
}

/* One line from the terminal.  SIGINT is blocked except inside pselect, so a
 * Ctrl-C cannot slip in between testing the flag and going to sleep. */
static int read_tty(const char *prompt, char **line)
{
    struct sigaction old;
    sigset_t block, orig;
    int fd = fileno(rl_instream);
    int status = LINE_OK;

    cb_line = NULL;
    cb_done = 0;
    got_sigint = 0;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &orig);
    set_sigint(on_sigint_read, 0, &old); /* no SA_RESTART: pselect must return */
    rl_callback_handler_install(prompt, line_done);
    while (!cb_done && !got_sigint) {
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(fd, &fds);
        if (pselect(fd + 1, &fds, NULL, NULL, NULL, &orig) < 0) {
            if (errno == EINTR)
                continue; /* the loop test looks at the flag */
            break;        /* the terminal is gone: treat as end of input */
        }
        sigprocmask(SIG_SETMASK, &orig, NULL);
        rl_callback_read_char();
        sigprocmask(SIG_BLOCK, &block, NULL);
    }
    if (!cb_done) {
        if (got_sigint) {
            /* Throw the half-typed line away and start afresh on a new line. */
            rl_free_line_state();
            rl_callback_sigcleanup();
            status = LINE_INTR;
        } else {
            status = LINE_EOF;
        }
        rl_callback_handler_remove();
        if (status == LINE_INTR) {
            fputs("\n", rl_outstream);
            fflush(rl_outstream);
        }
    } else if (cb_line == NULL) {
        status = LINE_EOF;
    }
    sigaction(SIGINT, &old, NULL);
    sigprocmask(SIG_SETMASK, &orig, NULL);
    *line = cb_line;
    return status;
}

/* One line from a pipe or file: the prompt, then the line without its
 * newline.  Deterministic, so tests can compare the output. */
static int read_pipe(const char *prompt, char **line)
{
    size_t cap = 0;
    ssize_t n;

    fputs(prompt, stdout);
    fflush(stdout);
    *line = NULL;
    n = getline(line, &cap, stdin);
    if (n < 0) {
        free(*line);
        *line = NULL;
        return LINE_EOF;
    }
    if (n > 0 && (*line)[n - 1] == '\n')
        (*line)[--n] = '\0';
    if (n > 0 && (*line)[n - 1] == '\r')
        (*line)[--n] = '\0';
    return LINE_OK;
}


/* ---- history ------------------------------------------------------------------ */

static char *history_file; /* NULL: no history file */
static int history_added;  /* entries added in this session */

/* $RADLAB_HISTORY (empty: no history), else ~/.radlab_history, else none. */
static char *history_path(void)
{
    const char *env = getenv("RADLAB_HISTORY");
    const char *home;
    char *path;

    if (env != NULL)
        return env[0] ? strdup(env) : NULL;
    home = getenv("HOME");
    if (home == NULL || home[0] == '\0')
        return NULL;
    path = malloc(strlen(home) + sizeof "/.radlab_history");
    if (path)
        sprintf(path, "%s/.radlab_history", home);
    return path;
}

static void history_start(void)
{
    using_history();
    stifle_history(HISTORY_MAX);
    history_file = history_path();
    if (history_file)
        read_history(history_file); /* a missing file is a first session */
}

/* Keep a line, but not a blank one nor a repeat of the one before. */
static void history_keep(const char *line)
{
    HIST_ENTRY *last;

    if (line[strspn(line, " \t")] == '\0')
        return;
    last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, line) == 0)
        return;
    add_history(line);
    history_added++;
}

/* Append this session's lines, so that two sessions open at once both keep
 * theirs, then cut the file to the cap. */
static void history_finish(void)
{
    struct stat st;

    if (history_file && history_added > 0) {
        int n = history_added < history_length ? history_added : history_length;
        if (stat(history_file, &st) == 0)
            append_history(n, history_file);
        else
            write_history(history_file);
        history_truncate_file(history_file, HISTORY_MAX);
    }
    clear_history();
    free(history_file);
    history_file = NULL;
}


/* ---- completion ------------------------------------------------------------------ */

static lua_State *complete_L;

static const char *const keywords[] = {
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function",
    "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then",
    "true", "until", "while", NULL
};

static int is_keyword(const char *s, size_t len)
{
    int i;
    for (i = 0; keywords[i]; i++)
        if (strlen(keywords[i]) == len && memcmp(keywords[i], s, len) == 0)
            return 1;
    return 0;
}

static int is_name(const char *s, size_t len)
{
    size_t i;
    if (len == 0 || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (i = 1; i < len; i++) {
        char c = s[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return 0;
    }
    return !is_keyword(s, len);
}

/* Replace the value at the top by the table its field lookups would end in
 * next: its metatable's __index when that is a table, else nil.  Raw access
 * only: completing must never run a metamethod. */
static void next_index(lua_State *L)
{
    if (lua_getmetatable(L, -1)) {
        lua_pushliteral(L, "__index");
        lua_rawget(L, -2);
        lua_remove(L, -2); /* the metatable */
        if (!lua_istable(L, -1)) {
            lua_pop(L, 1);
            lua_pushnil(L);
        }
    } else {
        lua_pushnil(L);
    }
    lua_remove(L, -2);
}

/* The raw __modules table of the value at the top's metatable (the rad
 * module's stdlib modules that load on first use: name -> "rad.name"), or
 * nil; pushed. */
static void lazy_modules(lua_State *L)
{
    if (lua_getmetatable(L, -1)) {
        lua_pushliteral(L, "__modules");
        lua_rawget(L, -2);
        lua_remove(L, -2);
        if (lua_istable(L, -1))
            return;
        lua_pop(L, 1);
    }
    lua_pushnil(L);
}

/* Look `key` up in the value at the top and replace it with the result,
 * following raw tables and __index tables only; a lazily loaded module is
 * found in package.loaded once something has loaded it. */
static void raw_field(lua_State *L, const char *key, size_t len)
{
    int depth;
    lazy_modules(L);
    if (lua_istable(L, -1)) {
        lua_pushlstring(L, key, len);
        lua_rawget(L, -2);
        if (lua_type(L, -1) == LUA_TSTRING) {
            luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
            lua_pushvalue(L, -2);
            lua_rawget(L, -2);
            if (lua_istable(L, -1)) {
                lua_replace(L, -5); /* over the value */
                lua_pop(L, 3);
                return;
            }
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    for (depth = 0; depth < COMPLETE_CHAIN && !lua_isnil(L, -1); depth++) {
        if (lua_istable(L, -1)) {
            lua_pushlstring(L, key, len);
            lua_rawget(L, -2);
            if (!lua_isnil(L, -1)) {
                lua_remove(L, -2);
                return;
            }
            lua_pop(L, 1);
        }
        next_index(L);
    }
    lua_pop(L, 1);
    lua_pushnil(L);
}

/* Add to the result table (index `res`) every name of the value at the top
 * -- its own fields and those of its __index tables -- that starts with
 * `part`, as prefix..name plus "(" for a function.  `methods`: functions
 * only (after a colon).  Pops the value. */
static void add_fields(lua_State *L, int res, const char *prefix, const char *part, int methods)
{
    size_t plen = strlen(part);
    int depth;
    if (!methods) { /* the stdlib modules that load on first use (rad.demo, ...) */
        lazy_modules(L);
        if (lua_istable(L, -1)) {
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                size_t klen;
                const char *k;
                lua_pop(L, 1);
                if (lua_type(L, -1) != LUA_TSTRING)
                    continue;
                k = lua_tolstring(L, -1, &klen);
                if (klen < plen || memcmp(k, part, plen) != 0 || !is_name(k, klen))
                    continue;
                lua_pushfstring(L, "%s%s", prefix, k);
                lua_pushboolean(L, 1);
                lua_rawset(L, res);
            }
        }
        lua_pop(L, 1);
    }
    for (depth = 0; depth < COMPLETE_CHAIN && !lua_isnil(L, -1); depth++) {
        if (lua_istable(L, -1)) {
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                size_t klen;
                const char *k;
                int isfunc = lua_isfunction(L, -1);
                lua_pop(L, 1); /* the value; the key stays for lua_next */
                if (lua_type(L, -1) != LUA_TSTRING)
                    continue;
                k = lua_tolstring(L, -1, &klen);
                if (klen < plen || memcmp(k, part, plen) != 0 || !is_name(k, klen))
                    continue;
                if (methods && !isfunc)
                    continue;
                lua_pushfstring(L, "%s%s%s", prefix, k, isfunc ? "(" : "");
                lua_pushboolean(L, 1);
                lua_rawset(L, res); /* a set: a name met twice is one match */
            }
        }
        next_index(L);
    }
    lua_pop(L, 1);
}

/* Protected part of completion.  Argument: the word (light userdata).
 * Returns a sequence of the matches. */
static int collect_matches(lua_State *L)
{
    const char *text = lua_touserdata(L, 1);
    const char *sep = strpbrk(text, ".:"), *last = NULL, *p;
    int set, list, n = 0;

    lua_newtable(L);
    set = lua_gettop(L);
    for (p = sep; p; p = strpbrk(p + 1, ".:"))
        last = p;
    if (last == NULL) { /* a bare name: keywords and globals */
        size_t tlen = strlen(text);
        int i;
        for (i = 0; keywords[i]; i++)
            if (strncmp(keywords[i], text, tlen) == 0) {
                lua_pushboolean(L, 1);
                lua_setfield(L, set, keywords[i]);
            }
        lua_pushglobaltable(L);
        add_fields(L, set, "", text, 0);
    } else {
        /* Walk a.b.c from the globals; only the last separator may be ':'. */
        const char *start = text;
        lua_pushglobaltable(L);
        for (p = sep; p && p <= last; p = strpbrk(p + 1, ".:")) {
            if ((*p == ':' && p != last) || !is_name(start, (size_t)(p - start))) {
                lua_pop(L, 1);
                lua_pushnil(L);
                break;
            }
            raw_field(L, start, (size_t)(p - start));
            start = p + 1;
        }
        lua_pushlstring(L, text, (size_t)(last - text + 1));
        lua_insert(L, -2);
        add_fields(L, set, lua_tostring(L, -2), last + 1, *last == ':');
        lua_pop(L, 1); /* the prefix */
    }
    lua_newtable(L);
    list = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, set)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, list, ++n);
    }
    return 1;
}

static size_t match_next;

/* Readline's generator: hand out the collected matches one by one (the
 * list sits at the top of the Lua stack while readline asks). */
static char *match_generator(const char *text, int state)
{
    lua_State *L = complete_L;
    const char *s;
    (void)text;
    if (state == 0)
        match_next = 0;
    if (match_next >= lua_rawlen(L, -1))
        return NULL;
    lua_rawgeti(L, -1, (lua_Integer)++match_next);
    s = lua_tostring(L, -1);
    lua_pop(L, 1);
    return s ? strdup(s) : NULL;
}

static char **complete(const char *text, int start, int end)
{
    lua_State *L = complete_L;
    int top = lua_gettop(L);
    char **matches = NULL;
    (void)start;
    (void)end;

    rl_attempted_completion_over = 1; /* no file names in place of Lua names */
    rl_completion_append_character = '\0';
    lua_pushcfunction(L, collect_matches);
    lua_pushlightuserdata(L, (void *)text);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_rawlen(L, -1) > 0)
        matches = rl_completion_matches(text, match_generator);
    lua_settop(L, top);
    return matches;
}

static void readline_start(lua_State *L)
{
    complete_L = L;
    rl_readline_name = "radlab";
    rl_instream = stdin;
    rl_outstream = stdout;
    rl_catch_signals = 0; /* SIGINT is ours, see read_tty */
    /* Lua's operators and brackets end a word; '.' and ':' do not, so that
     * `rad.image.ne` and `img:st` are completed as one word. */
    rl_completer_word_break_characters = " \t\n\"'`@$><=;|&{}()[],+-*/%^~#";
    rl_attempted_completion_function = complete;
    history_start();
}


/* ---- the loop ------------------------------------------------------------------- */

/* Registry key of the pretty printer module (absent: print with tostring). */
static const char pretty_key = 'p';

static void load_pretty(lua_State *L, int warn)
{
    int status;
    lua_getglobal(L, "require");
    lua_pushliteral(L, "rad.pretty");
    status = lua_pcall(L, 1, 1, 0);
    if (status == LUA_OK && lua_istable(L, -1)) {
        lua_rawsetp(L, LUA_REGISTRYINDEX, &pretty_key);
        return;
    }
    if (warn)
        fprintf(stderr, "radlab: values print with tostring: %s\n",
                status == LUA_OK ? "rad.pretty is not a table" : lua_tostring(L, -1));
    lua_pop(L, 1);
}

/* Protected: print every argument, pretty when possible, tab-separated. */
static int print_values(lua_State *L)
{
    int n = lua_gettop(L), i;
    luaL_Buffer b;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &pretty_key);
    if (lua_istable(L, -1))
        lua_getfield(L, -1, "show");
    else
        lua_pushnil(L);
    lua_remove(L, -2);
    luaL_buffinit(L, &b);
    for (i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '\t');
        if (lua_isfunction(L, n + 1)) {
            lua_pushvalue(L, n + 1);
            lua_pushvalue(L, i);
            lua_call(L, 1, 1);
            if (lua_type(L, -1) != LUA_TSTRING) { /* a broken show() still shows something */
                lua_pop(L, 1);
                luaL_tolstring(L, i, NULL);
            }
        } else {
            luaL_tolstring(L, i, NULL);
        }
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    fputs(lua_tostring(L, -1), stdout);
    fflush(stdout);
    return 0;
}

static int push_line(lua_State *L, int first)
{
    char *line = NULL;
    const char *prompt = first ? PROMPT : PROMPT2;
    int status = use_readline ? read_tty(prompt, &line) : read_pipe(prompt, &line);
    if (status == LINE_OK) {
        if (use_readline)
            history_keep(line);
        lua_pushstring(L, line);
    }
    free(line);
    if (status == LINE_EOF) { /* leave the terminal on a fresh line */
        seen_eof = 1;
        fputs("\n", stdout);
        fflush(stdout);
    }
    return status;
}

/* A syntax error that ends at <eof> asks for more lines. */
static int incomplete(lua_State *L, int status)
{
    static const char mark[] = "<eof>";
    size_t len;
    const char *msg;
    if (status != LUA_ERRSYNTAX)
        return 0;
    msg = lua_tolstring(L, -1, &len);
    return len >= sizeof mark - 1 && strcmp(msg + len - (sizeof mark - 1), mark) == 0;
}

/* Compile the line at the top as `return <line>;`.  On success the chunk
 * replaces the line; on failure the line is left alone. */
static int compile_return(lua_State *L)
{
    const char *code = lua_pushfstring(L, "return %s;", lua_tostring(L, -1));
    int status = luaL_loadbuffer(L, code, strlen(code), CHUNKNAME);
    if (status == LUA_OK) {
        lua_replace(L, -3); /* the chunk takes the line's place */
        lua_pop(L, 1);
    } else {
        lua_pop(L, 2); /* the message and the modified line */
    }
    return status;
}

enum { CHUNK_EOF = -1, CHUNK_INTR = -2 };

/* Read one command.  Leaves the compiled chunk (LUA_OK) or a syntax error
 * message on the stack; nothing at end of input or after Ctrl-C. */
static int read_chunk(lua_State *L)
{
    int status = push_line(L, 1);
    if (status == LINE_EOF)
        return CHUNK_EOF;
    if (status == LINE_INTR)
        return CHUNK_INTR;
    if (compile_return(L) == LUA_OK)
        return LUA_OK;
    for (;;) {
        size_t len;
        const char *code = lua_tolstring(L, -1, &len);
        status = luaL_loadbuffer(L, code, len, CHUNKNAME);
        if (!incomplete(L, status))
            break;
        lua_pop(L, 1); /* the <eof> message */
        status = push_line(L, 0);
        if (status == LINE_EOF) { /* report the unfinished statement */
            code = lua_tolstring(L, -1, &len);
            status = luaL_loadbuffer(L, code, len, CHUNKNAME);
            break;
        }
        if (status == LINE_INTR) {
            lua_pop(L, 1);
            return CHUNK_INTR;
        }
        lua_pushliteral(L, "\n");
        lua_insert(L, -2);
        lua_concat(L, 3);
    }
    lua_remove(L, -2); /* the source */
    return status;
}

static void banner(lua_State *L)
{
    const char *version = NULL;
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, "rad") == LUA_TTABLE) {
        lua_pushliteral(L, "version");
        lua_rawget(L, -2);
        version = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    printf("radlab %s (Lua 5.4) \xe2\x80\x94 help() for help, Ctrl-D to quit\n",
           version ? version : "?");
    fflush(stdout);
    lua_pop(L, 2);
}

int radl_repl(lua_State *L)
{
    const char *tb = getenv("RADLAB_TRACEBACK");
    int traceback = tb != NULL && tb[0] != '\0';
    int top = lua_gettop(L);
    struct sigaction session;

    use_readline = isatty(STDIN_FILENO);
    seen_eof = 0;
    if (use_readline) {
        banner(L);
        readline_start(L);
        /* A Ctrl-C between reading a line and running it must not end the
         * session; docall and read_tty put their own handlers on top. */
        set_sigint(on_sigint_read, 0, &session);
    }
    load_pretty(L, use_readline);
    for (;;) {
        int status = read_chunk(L);
        if (status == CHUNK_EOF)
            break;
        if (status == CHUNK_INTR)
            continue;
        if (status == LUA_OK) {
            int base = lua_gettop(L);
            status = radl_docall(L, 0, LUA_MULTRET, traceback);
            if (status == LUA_OK && lua_gettop(L) >= base) {
                int n = lua_gettop(L) - base + 1;
                lua_pushcfunction(L, print_values);
                lua_insert(L, -n - 1);
                status = radl_docall(L, n, 0, traceback);
            }
        }
        radl_report(L, status, NULL);
        lua_settop(L, top);
        if (seen_eof)
            break;
    }
    if (use_readline) {
        history_finish();
        sigaction(SIGINT, &session, NULL);
    }
    lua_settop(L, top);
    return 0;
}
