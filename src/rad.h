/* radlab: the public umbrella header of librad.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An embedding C program includes this one header and links -lrad
 * (pkg-config radlab); one that draws (the plot/ functions) also links
 * -lrad-plot, which brings cairo (pkg-config radlab-plot).  Every
 * function follows the same error rule: on failure it returns -1 or NULL and
 * rad_error_message() says what went wrong and how to fix it.
 */
#ifndef RAD_H
#define RAD_H

#include "util/version.h"
#include "util/error.h"
#include "util/file.h"
#include "image/image.h"
#include "image/perturb.h"
#include "io/io.h"
#include "features/features.h"
#include "features/featuremap.h"
#include "cohort/cache.h"
#include "cohort/cohort.h"
#include "util/pool.h"
#include "table/table.h"
#include "stats/stats.h"
#include "stats/models.h"
#include "stats/cox.h"
#include "stats/surv.h"
#include "stats/coxnet.h"
#include "stats/combat.h"
#include "plot/plot.h"
#include "plot/charts.h"

#endif
