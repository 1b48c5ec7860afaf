/* radlab: the feature registry: every family and feature, described once.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CLI listing, rad.features.list(), help texts and radlab-features(7) are
 * all generated from these tables (each family file holds its own).
 */
#include <stddef.h>

#include "features/features.h"

const RadFamily *const *rad_families(void)
{
    static const RadFamily *const all[] = {
        &rad_family_diag, &rad_family_morph, &rad_family_loc, &rad_family_stat, &rad_family_ih,
        &rad_family_ivh, &rad_family_cm, &rad_family_rlm, &rad_family_szm, &rad_family_dzm,
        &rad_family_ngt, &rad_family_ngl, NULL};
    return all;
}

int rad_aggr_suffixes(RadAggrKind kind, unsigned aggr, const char *out[6])
{
    int n = 0;
    if (kind == RAD_AGGR_KIND_MATRIX) {
        if (aggr & RAD_AGGR_2D) {
            out[n++] = "_2D_avg";
            out[n++] = "_2D_comb";
        }
        if (aggr & RAD_AGGR_2_5D) {
            out[n++] = "_2_5D_avg";
            out[n++] = "_2_5D_comb";
        }
        if (aggr & RAD_AGGR_3D) {
            out[n++] = "_3D_avg";
            out[n++] = "_3D_comb";
        }
    } else if (kind == RAD_AGGR_KIND_ZONE) {
        if (aggr & RAD_AGGR_2D)
            out[n++] = "_2D";
        if (aggr & RAD_AGGR_2_5D)
            out[n++] = "_2_5D";
        if (aggr & RAD_AGGR_3D)
            out[n++] = "_3D";
    } else {
        out[n++] = "";
    }
    return n;
}
