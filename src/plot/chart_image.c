/* radlab: image views.  SPDX-License-Identifier: GPL-3.0-or-later */
#include "rad.h"

/* PLACEHOLDER: charts land here */
extern int rad_chart_image_placeholder;
