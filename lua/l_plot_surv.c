/* radlab: rad.plot km, roc, calibration, dca.  SPDX-License-Identifier: GPL-3.0-or-later */
#include "binding.h"

/* PLACEHOLDER */
void radl_open_plot_surv(lua_State *L)
{
    (void)L;
}
