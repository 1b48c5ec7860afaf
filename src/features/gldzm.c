/* radlab: Grey level distance zone matrix (GLDZM) features (IBSI VMDZ).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What this computes (IBSI 1, docs/03_Image_features.rst, "Grey level
 * distance zone based features"): the zones are those of the GLSZM (9SAK):
 * voxels of the intensity mask linked at Chebyshev distance 1 that share one
 * discretised grey level (26-connected in 3D, 8-connected within a slice in
 * 2D).  Each zone's distance is the smallest distance-to-edge of its voxels,
 * where the distance map is computed on the MORPHOLOGICAL mask (section
 * "Morphological and intensity masks") with 6-connectivity in 3D and
 * 4-connectivity within the slice in 2D: a voxel's distance is the number of
 * 6/4-steps to the nearest voxel outside the mask, so voxels on the ROI edge
 * have distance 1 (never 0).  Voxels outside the image grid count as outside
 * the mask.  d_ij counts the zones of grey level i and distance j; N_s is the
 * number of zones and N_v the number of intensity-mask voxels.
 *
 * Aggregation (section "Aggregating features"):
 *   _2D   (8QNN) one matrix per slice (2D zones, 2D distance map), features
 *         averaged over the slices;
 *   _2_5D (62GR) the per-slice matrices summed into one (N_v summed too);
 *   _3D   (KOBO) one matrix from 3D zones and the 3D distance map (for a
 *         2D image, roi->is_2d, the in-plane map: it has no z edge).
 *
 * The distance map comes from two raster passes of the city-block distance
 * transform, which is exactly the iterated 6/4-connected erosion the IBSI
 * describes (k erosions by the cross remove what lies within L1 distance k
 * of the outside), in O(n).
 *
 * Conventions for degenerate input:
 *   - slices without intensity-mask voxels have no zones and are left out of
 *     the 2D average (the average is over the slices that have zones);
 *   - by contract the intensity mask lies inside the morphological mask; a
 *     voxel of the intensity mask outside it is counted as part of it, so
 *     that every distance is >= 1 and no feature divides by 0;
 *   - one grey level, one voxel or one zone are ordinary matrices (variances
 *     0, entropy 0, ...); an empty matrix (impossible when n_mask >= 1) would
 *     give 0 everywhere.
 */
#include <limits.h>
#include <stddef.h>

#include "features/features.h"
#include "features/texture.h"

static const RadFeatureDef defs[] = {
    {"dzm_sde", "0GBI", "Small distance emphasis", ""},
    {"dzm_lde", "MB4I", "Large distance emphasis", ""},
    {"dzm_lgze", "S1RA", "Low grey level zone emphasis", ""},
    {"dzm_hgze", "K26C", "High grey level zone emphasis", ""},
    {"dzm_sdlge", "RUVG", "Small distance low grey level emphasis", ""},
    {"dzm_sdhge", "DKNJ", "Small distance high grey level emphasis", ""},
    {"dzm_ldlge", "A7WM", "Large distance low grey level emphasis", ""},
    {"dzm_ldhge", "KLTH", "Large distance high grey level emphasis", ""},
    {"dzm_glnu", "VFT7", "Grey level non-uniformity", ""},
    {"dzm_glnu_norm", "7HP3", "Normalised grey level non-uniformity", ""},
    {"dzm_zdnu", "V294", "Zone distance non-uniformity", ""},
    {"dzm_zdnu_norm", "IATH", "Normalised zone distance non-uniformity", ""},
    {"dzm_z_perc", "VIWW", "Zone percentage", ""},
    {"dzm_gl_var", "QK93", "Grey level variance", ""},
    {"dzm_zd_var", "7WT1", "Zone distance variance", ""},
    {"dzm_zd_entr", "GBDU", "Zone distance entropy", ""},
    {NULL, NULL, NULL, NULL}};

#define NFEAT 16

/* ---- distances ------------------------------------------------------------------------ */

/* The padded grid (with the morphological mask), the zones (9SAK), their
 * list of (grey level, distance) items and its features, and the three
 * aggregations are shared with the GLSZM (texture.c:
 * rad_texture_zone_compute); this file adds the distance map. */

/* Distance to the ROI edge (VMDZ) for every voxel of the morphological mask:
 * the city-block (L1) distance to the nearest voxel outside it, over 6
 * neighbours, or over the 4 in-plane neighbours when in_plane.  Forward pass
 * from the lower neighbours, backward pass from the upper ones; outside
 * voxels (and the padding, i.e. beyond the image grid) hold 0, so the ROI
 * edge gets 1. */
static void distance_map(const RadTexGrid *g, int in_plane, int *d)
{
    const size_t sx = g->nx, sxy = g->nx * g->ny;
    for (size_t p = 0; p < g->n; p++)
        d[p] = g->morph[p] ? INT_MAX / 2 : 0;
    for (size_t z = 1; z + 1 < g->nz; z++)
        for (size_t y = 1; y + 1 < g->ny; y++) {
            size_t p = 1 + sx * y + sxy * z;
            for (size_t x = 1; x + 1 < g->nx; x++, p++) {
                int m;
                if (!d[p])
                    continue;
                m = d[p - 1] + 1;
                if (d[p - sx] + 1 < m)
                    m = d[p - sx] + 1;
                if (!in_plane && d[p - sxy] + 1 < m)
                    m = d[p - sxy] + 1;
                if (m < d[p])
                    d[p] = m;
            }
        }
    for (size_t z = g->nz - 2; z >= 1; z--)
        for (size_t y = g->ny - 2; y >= 1; y--) {
            size_t p = (g->nx - 2) + sx * y + sxy * z;
            for (size_t x = g->nx - 2; x >= 1; x--, p--) {
                int m;
                if (!d[p])
                    continue;
                m = d[p + 1] + 1;
                if (d[p + sx] + 1 < m)
                    m = d[p + sx] + 1;
                if (!in_plane && d[p + sxy] + 1 < m)
                    m = d[p + sxy] + 1;
                if (m < d[p])
                    d[p] = m;
            }
        }
}

/* ---- the family ---------------------------------------------------------------------- */

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    return rad_texture_zone_compute(roi, s, defs, NFEAT, "GLDZM", distance_map, fs);
}

const RadFamily rad_family_dzm = {"dzm", "Grey level distance zone matrix (GLDZM)", "VMDZ", RAD_FAM_DZM, RAD_AGGR_KIND_ZONE, defs, compute, 0, NULL};
