/* radlab: rad.plot slice, montage, histogram, feature map.  SPDX-License-Identifier: GPL-3.0-or-later */
#include "binding.h"

/* PLACEHOLDER */
void radl_open_plot_image(lua_State *L)
{
    (void)L;
}
