/* radlab: image views.  SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RAD_CHART_IMAGE_H
#define RAD_CHART_IMAGE_H

#include "plot/plot.h"

#endif
