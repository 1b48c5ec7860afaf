/* radlab: rad.plot forest, lasso, nomogram, box, waterfall, heatmap.  SPDX-License-Identifier: GPL-3.0-or-later */
#include "binding.h"

/* PLACEHOLDER */
void radl_open_plot_model(lua_State *L)
{
    (void)L;
}
