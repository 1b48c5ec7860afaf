/* radlab: the interactive loop and the protected call it shares with the host.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The host (radlab.c) and the REPL run user code the same way: in protected
 * mode, with Ctrl-C turned into the Lua error "interrupted" and into the
 * engine's interrupt flag, so that long C loops stop too.
 */
#ifndef RAD_LUA_REPL_H
#define RAD_LUA_REPL_H

#include <lua.h>

/* Call the function below `narg` arguments on the stack with `nres` results
 * (LUA_MULTRET allowed), catching errors and Ctrl-C.  On error the message
 * (a string) is left on the stack; with `traceback` set it carries a stack
 * traceback.  Returns the lua_pcall status. */
int radl_docall(lua_State *L, int narg, int nres, int traceback);

/* Print the error message at the top of the stack to stderr, prefixed by
 * `progname` when not NULL, and pop it.  Returns `status`. */
int radl_report(lua_State *L, int status, const char *progname);

/* Run the read-eval-print loop on stdin until end of input.  Uses GNU
 * readline (completion, history) when stdin is a terminal.  Returns the exit
 * status for the host: 0. */
int radl_repl(lua_State *L);

#endif
