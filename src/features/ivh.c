/* radlab: Intensity-volume histogram features (IBSI P88C).  SPDX-License-Identifier: GPL-3.0-or-later
 * PLACEHOLDER while the family is being written: computes nothing yet. */
#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {{NULL, NULL, NULL, NULL}};

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    (void)roi; (void)s; (void)fs;
    return 0;
}

const RadFamily rad_family_ivh = {"ivh", "Intensity-volume histogram", "P88C", RAD_FAM_IVH, RAD_AGGR_KIND_NONE, defs, compute};
