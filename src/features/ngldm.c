/* radlab: Neighbouring grey level dependence matrix (NGLDM) features (IBSI REK0).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What this computes (IBSI 1, docs/03_Image_features.rst, "Neighbouring grey
 * level dependence based features"): for every voxel k of the intensity mask
 * its dependence
 *     j_k = 1 + #{ neighbours m within Chebyshev distance delta (s->distance),
 *                  inside the intensity mask, with |X_d(k) - X_d(m)| <= alpha }
 * (alpha = s->ngldm_alpha; in 2D the neighbourhood stays within the slice).
 * The "1 +" is IBSI's convention that counts start at 1 (a voxel with no
 * dependent neighbour is in column 1), equivalent to counting the centre.
 * s_ij counts the voxels of grey level i and dependence j; every voxel has a
 * neighbourhood, so N_s = N_v and the dependence count percentage is 1.
 *
 * Aggregation (section "Aggregating features"):
 *   _2D   (8QNN) one NGLDM per slice, features averaged over the slices;
 *   _2_5D (62GR) the per-slice matrices summed into one (N_v, N_s summed);
 *   _3D   (KOBO) one NGLDM from 3D neighbourhoods.
 *
 * As for the zone matrices, features are computed from the list of
 * (grey level, dependence) items without a dense matrix (texture.c,
 * rad_texture_list_features; the 17th, the energy, is computed there too).
 *
 * Conventions for degenerate input:
 *   - slices without intensity-mask voxels are left out of the 2D average;
 *   - a single voxel, or one grey level, are ordinary matrices (dependence 1,
 *     variances 0, entropy 0, ...); every denominator (N_s, i, j) is >= 1.
 */
#include <stddef.h>
#include <stdlib.h>

#include "features/features.h"
#include "features/texture.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {
    {"ngl_lde", "SODN", "Low dependence emphasis", ""},
    {"ngl_hde", "IMOQ", "High dependence emphasis", ""},
    {"ngl_lgce", "TL9H", "Low grey level count emphasis", ""},
    {"ngl_hgce", "OAE7", "High grey level count emphasis", ""},
    {"ngl_ldlge", "EQ3F", "Low dependence low grey level emphasis", ""},
    {"ngl_ldhge", "JA6D", "Low dependence high grey level emphasis", ""},
    {"ngl_hdlge", "NBZI", "High dependence low grey level emphasis", ""},
    {"ngl_hdhge", "9QMG", "High dependence high grey level emphasis", ""},
    {"ngl_glnu", "FP8K", "Grey level non-uniformity", ""},
    {"ngl_glnu_norm", "5SPA", "Normalised grey level non-uniformity", ""},
    {"ngl_dcnu", "Z87G", "Dependence count non-uniformity", ""},
    {"ngl_dcnu_norm", "OKJI", "Normalised dependence count non-uniformity", ""},
    {"ngl_dc_perc", "6XV8", "Dependence count percentage", ""},
    {"ngl_gl_var", "1PFV", "Grey level variance", ""},
    {"ngl_dc_var", "DNX2", "Dependence count variance", ""},
    {"ngl_dc_entr", "FCBV", "Dependence count entropy", ""},
    {"ngl_dc_energy", "CAS9", "Dependence count energy", ""},
    {NULL, NULL, NULL, NULL}};

#define NFEAT 17

/* ---- dependences ---------------------------------------------------------------------- */

/* The padded grid, the features of the list of (grey level, dependence)
 * items and the 2D average over slices are shared with the zone families
 * (texture.c). */

/* Dependence of every intensity-mask voxel of the grid (padded by delta),
 * in raster order with z outermost (so each slice's items are contiguous:
 * zfirst[z] is the first item of padded slice z, nz + 1 entries).
 * Neighbours within Chebyshev distance delta, in the slice only when
 * in_plane. */
static int dependences(const RadTexGrid *g, int delta, int alpha, int in_plane, int *gi, long *jj, size_t *zfirst)
{
    ptrdiff_t *off;
    int noff;
    size_t m = 0;

    off = rad_malloc((size_t)(2 * delta + 1) * (2 * delta + 1) * (2 * delta + 1) * sizeof *off, "NGLDM offsets");
    if (!off)
        return -1;
    noff = rad_texture_offsets(g, delta, in_plane, off);
    for (size_t z = 0; z < g->nz; z++) {
        zfirst[z] = m;
        if (z < g->pad || z + g->pad >= g->nz)
            continue;
        for (size_t y = g->pad; y + g->pad < g->ny; y++) {
            size_t p = g->pad + g->nx * (y + g->ny * z);
            if (rad_interrupt_check() != 0) {
                free(off);
                return -1;
            }
            for (size_t x = g->pad; x + g->pad < g->nx; x++, p++) {
                int gl = g->grey[p];
                long j = 1; /* REK0: dependence counts start at 1 */
                if (!gl)
                    continue;
                for (int k = 0; k < noff; k++) {
                    int q = g->grey[(size_t)((ptrdiff_t)p + off[k])];
                    if (q && abs(q - gl) <= alpha)
                        j++;
                }
                gi[m] = gl;
                jj[m] = j;
                m++;
            }
        }
    }
    zfirst[g->nz] = m;
    free(off);
    return 0;
}

/* ---- the family ---------------------------------------------------------------------- */

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    int delta = s->distance >= 1 ? s->distance : 1, alpha = s->ngldm_alpha >= 0 ? s->ngldm_alpha : 0;
    double f2d[RAD_TEX_LIST_NFEAT] = {0}, f25[RAD_TEX_LIST_NFEAT] = {0}, f3d[RAD_TEX_LIST_NFEAT] = {0};
    int *gi = NULL;
    long *jj = NULL;
    size_t *zfirst = NULL;
    RadTexGrid g;
    int rc = -1;

    if (rad_texture_grid_build(roi, (size_t)delta, 0, "NGLDM", &g) != 0)
        return -1;
    gi = rad_malloc((g.nvox ? g.nvox : 1) * sizeof *gi, "NGLDM");
    jj = rad_malloc((g.nvox ? g.nvox : 1) * sizeof *jj, "NGLDM");
    zfirst = rad_calloc(g.nz + 1, sizeof *zfirst, "NGLDM");
    if (!gi || !jj || !zfirst)
        goto done;

    if (s->aggr & (RAD_AGGR_2D | RAD_AGGR_2_5D)) {
        if (dependences(&g, delta, alpha, 1, gi, jj, zfirst) != 0)
            goto done;
        /* 8QNN: average over the slices that have voxels (N_v of a slice =
         * its item count); 62GR: all slices' items form the merged matrix */
        if (rad_texture_list_aggregate(gi, jj, NULL, zfirst, g.nz, g.nvox, (double)g.nvox, "NGLDM", f2d, f25) != 0)
            goto done;
    }
    if (s->aggr & RAD_AGGR_3D) {
        if (dependences(&g, delta, alpha, 0, gi, jj, zfirst) != 0)
            goto done;
        if (rad_texture_list_features(gi, jj, g.nvox, (double)g.nvox, "NGLDM", f3d) != 0)
            goto done;
    }
    if (rad_texture_zone_emit(f2d, f25, f3d, defs, NFEAT, s->aggr, fs) != 0)
        goto done;
    rc = 0;
done:
    free(gi);
    free(jj);
    free(zfirst);
    rad_texture_grid_free(&g);
    return rc;
}

const RadFamily rad_family_ngl = {"ngl", "Neighbouring grey level dependence matrix (NGLDM)", "REK0", RAD_FAM_NGL, RAD_AGGR_KIND_ZONE, defs, compute, 0, NULL};
