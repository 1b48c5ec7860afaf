/* radlab: the Lua C module rad.so (luaopen_rad lives in rad.c).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stock lua5.4 finds this shared object through package.cpath and calls
 * luaopen_rad, which the convenience library libradlua provides; this file
 * only names the module build in the Makefile.
 */
#include "binding.h"

const char radl_module_ident[] = "radlab Lua module " RAD_VERSION;
