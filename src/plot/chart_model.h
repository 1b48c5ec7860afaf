/* radlab: model and cohort charts.  SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RAD_CHART_MODEL_H
#define RAD_CHART_MODEL_H

#include "plot/plot.h"

#endif
