/* radlab: Grey level distance zone matrix (GLDZM) features (IBSI VMDZ).  SPDX-License-Identifier: GPL-3.0-or-later
 * PLACEHOLDER while the family is being written: computes nothing yet. */
#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {{NULL, NULL, NULL, NULL}};

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    (void)roi; (void)s; (void)fs;
    return 0;
}

const RadFamily rad_family_dzm = {"dzm", "Grey level distance zone matrix (GLDZM)", "VMDZ", RAD_FAM_DZM, RAD_AGGR_KIND_ZONE, defs, compute};
