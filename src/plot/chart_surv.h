/* radlab: survival and diagnostic charts.  SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RAD_CHART_SURV_H
#define RAD_CHART_SURV_H

#include "plot/plot.h"

#endif
