/* radlab: Grey level run length matrix (GLRLM) features (IBSI TP0I).  SPDX-License-Identifier: GPL-3.0-or-later
 * PLACEHOLDER while the family is being written: computes nothing yet. */
#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {{NULL, NULL, NULL, NULL}};

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    (void)roi; (void)s; (void)fs;
    return 0;
}

const RadFamily rad_family_rlm = {"rlm", "Grey level run length matrix (GLRLM)", "TP0I", RAD_FAM_RLM, RAD_AGGR_KIND_MATRIX, defs, compute};
