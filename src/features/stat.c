/* radlab: Intensity-based statistics features (IBSI UHIW).  SPDX-License-Identifier: GPL-3.0-or-later
 * PLACEHOLDER while the family is being written: computes nothing yet. */
#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {{NULL, NULL, NULL, NULL}};

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    (void)roi; (void)s; (void)fs;
    return 0;
}

const RadFamily rad_family_stat = {"stat", "Intensity-based statistics", "UHIW", RAD_FAM_STAT, RAD_AGGR_KIND_NONE, defs, compute};
