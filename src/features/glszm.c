/* radlab: Grey level size zone matrix (GLSZM) features (IBSI 9SAK).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What this computes (IBSI 1, docs/03_Image_features.rst, "Grey level size
 * zone based features"): a zone is a group of linked voxels of the intensity
 * mask that share one discretised grey level; linkage is Chebyshev distance 1,
 * i.e. 26-connected in 3D and 8-connected within a slice in 2D (section
 * "Distances").  s_ij counts the zones of grey level i and size j; N_s is the
 * number of zones and N_v the number of voxels of the intensity mask.
 *
 * Aggregation (section "Aggregating features"):
 *   _2D   (8QNN) one matrix per slice, features averaged over the slices;
 *   _2_5D (62GR) the per-slice matrices summed into one (N_v summed too);
 *   _3D   (KOBO) one matrix from 3D zones.
 *
 * The matrix is never stored densely: zone sizes can reach N_v, so the
 * features are computed from the list of zones (grey level, size), which is
 * all a sum over the present matrix entries needs (texture.c,
 * rad_texture_list_features).
 *
 * Conventions for degenerate input:
 *   - slices without intensity-mask voxels have no zones and are left out of
 *     the 2D average (the average is over the slices that have zones);
 *   - one grey level, one voxel or one zone are ordinary matrices (variances
 *     0, entropy 0, ...); every denominator (N_s, N_v, i, j) is >= 1 then;
 *   - an empty matrix (impossible when n_mask >= 1) would give 0 everywhere.
 */
#include "features/features.h"
#include "features/texture.h"

static const RadFeatureDef defs[] = {
    /* the rst prints no identifier under "Small zone emphasis" (TAGS.md) */
    {"szm_sze", "", "Small zone emphasis", ""},
    {"szm_lze", "48P8", "Large zone emphasis", ""},
    {"szm_lgze", "XMSY", "Low grey level zone emphasis", ""},
    {"szm_hgze", "5GN9", "High grey level zone emphasis", ""},
    {"szm_szlge", "5RAI", "Small zone low grey level emphasis", ""},
    {"szm_szhge", "HW1V", "Small zone high grey level emphasis", ""},
    {"szm_lzlge", "YH51", "Large zone low grey level emphasis", ""},
    {"szm_lzhge", "J17V", "Large zone high grey level emphasis", ""},
    {"szm_glnu", "JNSA", "Grey level non-uniformity", ""},
    {"szm_glnu_norm", "Y1RO", "Normalised grey level non-uniformity", ""},
    {"szm_zsnu", "4JP3", "Zone size non-uniformity", ""},
    {"szm_zsnu_norm", "VB3A", "Normalised zone size non-uniformity", ""},
    {"szm_z_perc", "P30P", "Zone percentage", ""},
    {"szm_gl_var", "BYLV", "Grey level variance", ""},
    {"szm_zs_var", "3NSA", "Zone size variance", ""},
    {"szm_zs_entr", "GU8N", "Zone size entropy", ""},
    {NULL, NULL, NULL, NULL}};

#define NFEAT 16

/* Zones (9SAK) of the padded ROI box, their list of (grey level, size)
 * items and its features, and the three aggregations are shared with the
 * GLDZM (texture.c: rad_texture_zone_compute). */
static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    return rad_texture_zone_compute(roi, s, defs, NFEAT, "GLSZM", NULL, fs);
}

const RadFamily rad_family_szm = {"szm", "Grey level size zone matrix (GLSZM)", "9SAK", RAD_FAM_SZM, RAD_AGGR_KIND_ZONE, defs, compute, 0, NULL};
