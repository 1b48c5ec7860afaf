/* radlab: the chart functions.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each chart is a C function that takes plain C data (arrays, engine
 * results such as RadKm or RadCoxFit) and a RadChartOptions, and returns a
 * new RadFigure (plot.h) or NULL with rad_error_message().
 */
#ifndef RAD_CHARTS_H
#define RAD_CHARTS_H

#include "plot/plot.h"
#include "plot/chart_surv.h"
#include "plot/chart_model.h"
#include "plot/chart_image.h"
#include "plot/chart_text.h"

#endif
