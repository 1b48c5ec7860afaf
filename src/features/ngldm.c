/* radlab: Neighbouring grey level dependence matrix (NGLDM) features (IBSI REK0).  SPDX-License-Identifier: GPL-3.0-or-later
 * PLACEHOLDER while the family is being written: computes nothing yet. */
#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {{NULL, NULL, NULL, NULL}};

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    (void)roi; (void)s; (void)fs;
    return 0;
}

const RadFamily rad_family_ngl = {"ngl", "Neighbouring grey level dependence matrix (NGLDM)", "REK0", RAD_FAM_NGL, RAD_AGGR_KIND_ZONE, defs, compute};
