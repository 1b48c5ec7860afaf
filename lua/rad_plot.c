/* radlab: the Lua C module rad_plot.so, which is rad.plot.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plots live in a module of their own so that a run that draws nothing
 * never loads cairo, fontconfig and freetype (half of radlab's start-up):
 * the rad module's __index (rad.c) requires "rad_plot" on the first use of
 * rad.plot and keeps the table in rad.plot.  This file holds luaopen_rad_plot
 * and the helpers the chart bindings (l_plot*.c) share: Figure boxes and the
 * options every chart takes.  The module carries its own copy of binding.c,
 * so it needs nothing from the program that loads it but Lua.
 */
#include <string.h>

#include "binding.h"

/* ---- Figure boxes ------------------------------------------------------------------ */

RadFigure **radl_figure_push(lua_State *L)
{
    return (RadFigure **)radl_box_push(L, RADL_FIGURE);
}

RadFigure *radl_check_figure(lua_State *L, int idx)
{
    return radl_box_check(L, idx, RADL_FIGURE);
}

int radl_figure_return(lua_State *L, RadFigure **box, RadFigure *fig, const char *fname)
{
    if (!fig) {
        const char *msg = rad_error_message(), *dot = strrchr(fname, '.');
        const char *shortname = dot ? dot + 1 : fname;
        size_t k = strlen(shortname);
        if (strncmp(msg, shortname, k) == 0 && msg[k] == ':')
            msg += k + (msg[k + 1] == ' ' ? 2 : 1);
        return radl_fail(L, "%s: %s", fname, msg);
    }
    *box = fig;
    return 1;
}


/* ---- chart options --------------------------------------------------------------- */

void radl_chart_options(lua_State *L, int idx, const char *fname, RadChartOptions *o)
{
    rad_chart_options_default(o);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    /* the chart's name in every message; a size that is given is checked
     * (0 or less is an error, not "the default") */
    static const char *const nums[] = {"width", "height", NULL}, *const strs[] = {"title", "subtitle", "xlabel",
                                                                                  "ylabel", "legend", NULL};
    for (int k = 0; nums[k]; k++) {
        int t = lua_getfield(L, idx, nums[k]);
        if (t != LUA_TNIL && t != LUA_TNUMBER)
            radl_fail(L, "%s: option %s must be a number (mm), got %s", fname, nums[k], luaL_typename(L, -1));
        if (t == LUA_TNUMBER && !(lua_tonumber(L, -1) >= 10 && lua_tonumber(L, -1) <= 2000))
            radl_fail(L, "%s: option %s = %g: give a size in mm, 10 to 2000", fname, nums[k], lua_tonumber(L, -1));
        lua_pop(L, 1);
    }
    for (int k = 0; strs[k]; k++) {
        if (lua_getfield(L, idx, strs[k]) != LUA_TNIL && lua_type(L, -1) != LUA_TSTRING)
            radl_fail(L, "%s: option %s must be a string, got %s", fname, strs[k], luaL_typename(L, -1));
        lua_pop(L, 1);
    }
    o->width = radl_opt_number(L, idx, "width", 0);
    o->height = radl_opt_number(L, idx, "height", 0);
    o->title = radl_opt_string(L, idx, "title", NULL);
    o->subtitle = radl_opt_string(L, idx, "subtitle", NULL);
    o->xlabel = radl_opt_string(L, idx, "xlabel", NULL);
    o->ylabel = radl_opt_string(L, idx, "ylabel", NULL);
    const char *lg = radl_opt_string(L, idx, "legend", NULL);
    if (lg && rad_legend_parse(lg, &o->legend) != 0)
        radl_fail(L, "%s: %s", fname, rad_error_message());
    lua_getfield(L, idx, "grid");
    if (!lua_isnil(L, -1)) {
        if (!lua_isboolean(L, -1))
            radl_fail(L, "%s: option grid must be true or false, got %s", fname, luaL_typename(L, -1));
        o->grid = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
}

/* ---- the module ---------------------------------------------------------------------- */

int luaopen_rad_plot(lua_State *L)
{
    const char *v;
    /* rad first: the module fills rad.plot, shares rad's registry entries
     * (help, rad.NA, the classes) and must come from the same build */
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, "rad") != LUA_TTABLE)
        return luaL_error(L, "rad_plot: load the rad module first (require \"rad\"); rad.plot loads this module "
                             "when first used");
    lua_getfield(L, -1, "version");
    v = lua_tostring(L, -1);
    if (!v || strcmp(v, RAD_VERSION) != 0)
        return luaL_error(L, "rad_plot: this plotting module is radlab %s but the rad module is %s; install both "
                             "from the same build (rad_plot.so goes beside rad.so)", RAD_VERSION, v ? v : "unknown");
    lua_pop(L, 3);
    /* the openers take the table to fill on top: a holder for rad.plot */
    lua_newtable(L);
    radl_open_plot(L);
    lua_getfield(L, -1, "plot");
    radl_open_plot_surv(L);
    radl_open_plot_model(L);
    radl_open_plot_image(L);
    return 1;
}
