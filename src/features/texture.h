/* radlab: shared pieces of the texture families (IBSI LFYI, TP0I, 9SAK, VMDZ, IPET, REK0).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to the texture family files (glcm.c, glrlm.c, glszm.c, gldzm.c,
 * ngtdm.c, ngldm.c) and texture.c; not installed, not part of the public API.
 *
 * Directional matrices (GLCM, GLRLM):
 * - The IBSI direction vectors (03_Image_features.rst, GLCM LFYI): the 13
 *   unique directions of the 26-neighbourhood in 3D, of which the first four
 *   lie in the xy plane and are the 2D directions (1,0,0), (1,1,0), (0,1,0),
 *   (-1,1,0).  m and -m describe the same direction, so one of each pair is
 *   listed.
 * - Compact grey levels: the matrices are indexed by the grey levels present
 *   in the intensity mask only (0..nl-1), so that nl x nl (GLCM) or nl x Nr
 *   (GLRLM) stays small even when the discretisation allows up to 65535
 *   levels.  Features use the true grey level value of each index.
 * - Sparse matrices: a matrix is a list of cells (key, count) holding its
 *   non-zero elements only.  A counter builds such lists: with a dense
 *   scratch array when the key domain is small (the usual case: a few
 *   thousand elements), otherwise by sorting the added keys.  Merging
 *   matrices (IBSI: summing counts element by element) is adding the cells of
 *   each into a counter.
 * - The six aggregations of IBSI "Aggregating features" (2D, 2.5D and 3D,
 *   each averaged over the matrices or merged into one) are one driver,
 *   rad_texture_matrix_compute, called with the family's counting and
 *   feature functions.
 *
 * Zone and neighbourhood matrices (GLSZM, GLDZM, NGTDM, NGLDM):
 * - A padded grid: the ROI's bounding box copied with a margin of
 *   background, so that neighbour offsets never leave it.
 * - Zones (9SAK) labelled by flood fill, 26-connected in 3D and 8-connected
 *   within a slice in 2D, for the GLSZM and the GLDZM.
 * - Matrices kept as lists of items (grey level, column), each counting 1:
 *   one zone (GLSZM: size, GLDZM: distance) or one voxel (NGLDM:
 *   dependence).  The sixteen features the three families share (and the
 *   NGLDM energy) are computed from such a list, and the 2D aggregation
 *   (8QNN) averages the lists of the slices.
 *
 * Everything is per call (no global state): reentrant.  The small functions
 * below are static inline so that each family file gets its own copy without
 * unused-function warnings; the larger shared ones live in texture.c
 * (rad_texture_*).
 */
#ifndef RAD_FEATURES_TEXTURE_H
#define RAD_FEATURES_TEXTURE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "util/error.h"

#define RAD_TEX_NDIR_2D 4
#define RAD_TEX_NDIR_3D 13

/* (dx, dy, dz); the first RAD_TEX_NDIR_2D are the in-plane directions. */
static const int rad_tex_dirs[RAD_TEX_NDIR_3D][3] = {
    {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {-1, 1, 0},
    {0, 0, 1}, {1, 0, 1}, {-1, 0, 1}, {0, 1, 1}, {0, -1, 1},
    {1, 1, 1}, {-1, 1, 1}, {1, -1, 1}, {-1, -1, 1}};

/* ---- grey levels present in the intensity mask --------------------------------- */

typedef struct RadTexLevels {
    int nl;     /* number of grey levels present */
    int *index; /* ng + 1 entries: grey level -> compact index, -1 when absent */
    int *level; /* nl entries: compact index -> grey level (ascending) */
} RadTexLevels;

static inline void rad_tex_levels_free(RadTexLevels *L)
{
    free(L->index);
    free(L->level);
    L->index = L->level = NULL;
    L->nl = 0;
}

/* Voxel index of (x, y, z) on the ROI grid. */
static inline size_t rad_tex_vox(const RadRoi *roi, size_t x, size_t y, size_t z)
{
    return x + roi->geom.dim[0] * (y + roi->geom.dim[1] * z);
}

static inline int rad_tex_levels_init(const RadRoi *roi, RadTexLevels *L)
{
    const RadBox *b = &roi->box;
    int ng = roi->ng;
    memset(L, 0, sizeof *L);
    if (ng < 1 || ng > 65535)
        return rad_error_set("number of grey levels must be 1..65535, got %d", ng);
    L->index = rad_malloc((size_t)(ng + 1) * sizeof *L->index, "grey level index");
    if (!L->index)
        return -1;
    for (int g = 0; g <= ng; g++)
        L->index[g] = -1;
    for (size_t z = b->lo[2]; z <= b->hi[2]; z++)
        for (size_t y = b->lo[1]; y <= b->hi[1]; y++)
            for (size_t x = b->lo[0]; x <= b->hi[0]; x++) {
                int g = roi->grey[rad_tex_vox(roi, x, y, z)];
                if (g < 0 || g > ng) {
                    rad_tex_levels_free(L);
                    return rad_error_set("grey level %d outside 1..%d at voxel (%zu, %zu, %zu) (1-based)", g, ng,
                                         x + 1, y + 1, z + 1);
                }
                if (g > 0)
                    L->index[g] = 0;
            }
    for (int g = 1; g <= ng; g++)
        if (L->index[g] == 0)
            L->nl++;
    L->level = rad_malloc((size_t)(L->nl > 0 ? L->nl : 1) * sizeof *L->level, "grey levels");
    if (!L->level) {
        rad_tex_levels_free(L);
        return -1;
    }
    L->nl = 0;
    for (int g = 1; g <= ng; g++)
        if (L->index[g] == 0) {
            L->level[L->nl] = g;
            L->index[g] = L->nl++;
        }
    return 0;
}

/* ---- sparse matrices ------------------------------------------------------------- */

typedef struct RadTexCell {
    uint64_t key;
    double n;
} RadTexCell;

typedef struct RadTexCells {
    RadTexCell *c;
    size_t n, cap;
} RadTexCells;

static inline void rad_tex_cells_free(RadTexCells *m)
{
    free(m->c);
    m->c = NULL;
    m->n = m->cap = 0;
}

/* p grown to hold at least `need` elements of `size` bytes (capacity
 * doubling); NULL with a message when out of memory (p is then unchanged
 * and still owned by the caller). */
static inline void *rad_tex_grow(void *p, size_t *cap, size_t need, size_t size, const char *what)
{
    size_t ncap;
    void *q;
    if (need == 0)
        need = 1; /* so that a NULL result always means failure */
    if (p && need <= *cap)
        return p;
    ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    if (ncap > SIZE_MAX / size) {
        rad_error_set("%s: %zu elements is too many", what, need);
        return NULL;
    }
    q = realloc(p, ncap * size);
    if (!q) {
        rad_error_set("out of memory (%zu bytes for %s)", ncap * size, what);
        return NULL;
    }
    *cap = ncap;
    return q;
}

/* Above this key domain the counter sorts instead of using a dense array
 * (2^20 doubles = 8 MiB). */
#define RAD_TEX_DENSE_MAX ((uint64_t)1 << 20)

typedef struct RadTexCounter {
    uint64_t domain;
    double *dense;       /* domain entries, all zero between flushes; NULL: sort path */
    uint64_t *touched;   /* dense path: keys with a non-zero entry */
    size_t ntouched, captouched;
    RadTexCell *buf;     /* sort path: the added (key, weight) pairs */
    size_t nbuf, capbuf;
} RadTexCounter;

static inline void rad_tex_counter_free(RadTexCounter *c)
{
    free(c->dense);
    free(c->touched);
    free(c->buf);
    memset(c, 0, sizeof *c);
}

static inline int rad_tex_counter_init(RadTexCounter *c, uint64_t domain)
{
    memset(c, 0, sizeof *c);
    c->domain = domain;
    if (domain <= RAD_TEX_DENSE_MAX) {
        c->dense = rad_calloc((size_t)(domain ? domain : 1), sizeof *c->dense, "texture matrix");
        if (!c->dense)
            return -1;
    }
    return 0;
}

static inline int rad_tex_counter_add(RadTexCounter *c, uint64_t key, double w)
{
    if (c->dense) {
        if (c->dense[key] == 0) {
            if (c->ntouched == c->captouched) {
                uint64_t *t = rad_tex_grow(c->touched, &c->captouched, c->ntouched + 1, sizeof *t,
                                           "texture matrix cells");
                if (!t)
                    return -1;
                c->touched = t;
            }
            c->touched[c->ntouched++] = key;
        }
        c->dense[key] += w;
        return 0;
    }
    if (c->nbuf == c->capbuf) {
        RadTexCell *b = rad_tex_grow(c->buf, &c->capbuf, c->nbuf + 1, sizeof *b, "texture matrix cells");
        if (!b)
            return -1;
        c->buf = b;
    }
    c->buf[c->nbuf].key = key;
    c->buf[c->nbuf].n = w;
    c->nbuf++;
    return 0;
}

static inline int rad_tex_cell_cmp(const void *a, const void *b)
{
    uint64_t x = ((const RadTexCell *)a)->key, y = ((const RadTexCell *)b)->key;
    return (x > y) - (x < y);
}

/* Move the counted matrix into *out (replacing its contents) and reset the
 * counter.  Cells come in no particular order. */
static inline int rad_tex_counter_flush(RadTexCounter *c, RadTexCells *out)
{
    out->n = 0;
    if (c->dense) {
        RadTexCell *o = rad_tex_grow(out->c, &out->cap, c->ntouched, sizeof *o, "texture matrix");
        if (!o)
            return -1;
        out->c = o;
        for (size_t t = 0; t < c->ntouched; t++) {
            uint64_t k = c->touched[t];
            out->c[out->n].key = k;
            out->c[out->n].n = c->dense[k];
            out->n++;
            c->dense[k] = 0;
        }
        c->ntouched = 0;
        return 0;
    }
    if (c->nbuf > 1)
        qsort(c->buf, c->nbuf, sizeof *c->buf, rad_tex_cell_cmp);
    for (size_t t = 0; t < c->nbuf;) {
        size_t u = t;
        double n = 0;
        RadTexCell *o;
        while (u < c->nbuf && c->buf[u].key == c->buf[t].key)
            n += c->buf[u++].n;
        o = rad_tex_grow(out->c, &out->cap, out->n + 1, sizeof *o, "texture matrix");
        if (!o)
            return -1;
        out->c = o;
        out->c[out->n].key = c->buf[t].key;
        out->c[out->n].n = n;
        out->n++;
        t = u;
    }
    c->nbuf = 0;
    return 0;
}

/* Add every cell of m to the counter (merging matrices, IBSI: counts summed
 * element by element). */
static inline int rad_tex_counter_add_cells(RadTexCounter *c, const RadTexCells *m)
{
    for (size_t t = 0; t < m->n; t++)
        if (rad_tex_counter_add(c, m->c[t].key, m->c[t].n) != 0)
            return -1;
    return 0;
}

/* ---- aggregation ----------------------------------------------------------------- */

/* Running mean of the feature vectors of the matrices of one aggregation. */
typedef struct RadTexMean {
    double sum[32];
    int count[32]; /* per feature: the matrices in which it is defined */
} RadTexMean;

/* Add the features of one matrix; a NaN (a feature undefined for this
 * matrix, e.g. GLCM correlation of a one-level matrix) is left out of that
 * feature's mean only. */
static inline void rad_tex_mean_add(RadTexMean *m, const double *f, int nf)
{
    for (int i = 0; i < nf; i++)
        if (!isnan(f[i])) {
            m->sum[i] += f[i];
            m->count[i]++;
        }
}

/* The mean of feature i, NaN when no matrix defines it. */
static inline double rad_tex_mean_value(const RadTexMean *m, int i)
{
    return m->count[i] ? m->sum[i] / m->count[i] : NAN;
}

/* Append "<tag><suffix>" for every feature: the mean over the matrices in
 * which the feature is defined; NaN when there is none (e.g. no matrix has
 * counts: a single-voxel ROI has no co-occurring pair). */
static inline int rad_tex_mean_emit(const RadTexMean *m, const RadFeatureDef *defs, int nf, const char *suffix,
                                    RadFeatureSet *fs)
{
    for (int i = 0; i < nf; i++)
        if (rad_featureset_add2(fs, defs[i].tag, suffix, rad_tex_mean_value(m, i)) != 0)
            return -1;
    return 0;
}

/* A directional texture family (GLCM, GLRLM) for the aggregation driver. */
typedef struct RadTexMatrixFamily {
    int nf; /* features per matrix (at most 32) */
    /* Count the matrix of direction dir (rad_tex_dirs) within slices z0..z1
     * of the box into the counter. */
    int (*count)(const RadRoi *roi, const RadTexLevels *L, int dir, size_t z0, size_t z1, void *ctx,
                 RadTexCounter *cnt);
    /* The nf features of one matrix into f: 0 when the matrix has no counts
     * (f untouched), 1 otherwise. */
    int (*features)(const RadTexCells *m, void *ctx, double *f);
    void *ctx; /* the family's work data, passed to both */
    const RadFeatureDef *defs;
} RadTexMatrixFamily;

/* The six aggregations of IBSI "Aggregating features" for the RAD_AGGR_*
 * bits of s->aggr, appended to fs:
 *   _2D_avg    (BTW3) features of every 2D directional matrix of every slice, averaged;
 *   _2D_comb   (SUJT) per slice the 4 directional matrices merged, features averaged over slices;
 *   _2_5D_avg  (JJUI) per direction the matrices of all slices merged, features averaged over directions;
 *   _2_5D_comb (ZW7Z) one matrix merged over all slices and directions;
 *   _3D_avg    (ITBB) features of the 13 3D directional matrices, averaged;
 *   _3D_comb   (IAZD) one matrix merged over the 13 directions.
 * A matrix without counts does not contribute to an average (the family
 * files document it); for a 2D image (roi->is_2d) the 3D aggregations use
 * the 4 in-plane directions.  cnt must be initialised for the family's key
 * domain.  0 or -1. */
int rad_texture_matrix_compute(const RadRoi *roi, const RadSettings *s, const RadTexLevels *L, RadTexCounter *cnt,
                               const RadTexMatrixFamily *fam, RadFeatureSet *fs);

/* ---- padded grids and zones (GLSZM, GLDZM, NGTDM, NGLDM) ---------------------------- */

/* The ROI's bounding box copied into a grid padded by `pad` voxels of
 * background on every side, so that neighbour offsets up to pad never leave
 * it and the padding counts as outside the ROI. */
typedef struct RadTexGrid {
    size_t nx, ny, nz, n, pad; /* padded size */
    size_t nvox;               /* intensity-mask voxels */
    int gmax;                  /* highest grey level present (0 when none) */
    int *grey;                 /* grey level, 0 outside the intensity mask */
    uint8_t *morph;            /* morphological mask (with the intensity mask); NULL unless asked for */
} RadTexGrid;

/* Build the grid of roi (with the morphological mask when with_morph).
 * `family` ("GLSZM", ...) names the family in messages: the box outside the
 * image grid, or a grey level of the intensity mask outside 1..roi->ng, is
 * an error.  0 or -1 (g then holds nothing). */
int rad_texture_grid_build(const RadRoi *roi, size_t pad, int with_morph, const char *family, RadTexGrid *g);
void rad_texture_grid_free(RadTexGrid *g);

/* Offsets on grid g of the neighbours within Chebyshev distance delta,
 * centre excluded, in the slice only when in_plane; z outermost, then y,
 * then x, each from -delta to delta.  off holds (2 delta + 1)^3 - 1 entries
 * at most; returns their count. */
int rad_texture_offsets(const RadTexGrid *g, int delta, int in_plane, ptrdiff_t *off);

typedef struct RadTexZones {
    size_t n;       /* number of zones */
    int *grey;      /* grey level of each zone */
    long *size;     /* voxel count of each zone */
    long *dist;     /* with a distance map: the minimum over the zone's voxels; else NULL */
    size_t *zfirst; /* zfirst[z]: first zone of padded slice z; nz + 1 entries */
} RadTexZones;

/* Label the zones (9SAK) of grid g (padded by at least 1) by flood fill with
 * an explicit stack: 26-connected, or 8-connected within each slice when
 * in_plane.  With a distance map d (NULL: none) each zone gets the smallest
 * distance of its voxels.  Zones are found in raster order with z
 * outermost, so the zones of one slice are contiguous.  0 or -1. */
int rad_texture_zones_label(const RadTexGrid *g, int in_plane, const int *d, const char *family, RadTexZones *zs);
void rad_texture_zones_free(RadTexZones *zs);

/* Features of the list matrices (GLSZM, GLDZM, NGLDM), in the order of their
 * definition tables: 0 small/low emphasis (sum_j s_.j / j^2), 1 large/high
 * emphasis (sum_j s_.j j^2), 2 low grey level, 3 high grey level, 4 small-low,
 * 5 small-high, 6 large-low, 7 large-high, 8 grey level non-uniformity, 9
 * normalised, 10 column non-uniformity, 11 normalised, 12 percentage
 * (N_s / N_v), 13 grey level variance, 14 column variance, 15 entropy, 16
 * energy (NGLDM only), each sum divided by N_s as IBSI writes it. */
#define RAD_TEX_LIST_NFEAT 17

/* Features of the matrix whose entries are the n items (gi[k], jj[k]), each
 * counting 1; nv voxels.  An empty list gives 0 everywhere.  0 or -1. */
int rad_texture_list_features(const int *gi, const long *jj, size_t n, double nv, const char *family,
                              double f[RAD_TEX_LIST_NFEAT]);

/* The aggregations of a list whose items are grouped by padded slice
 * (zfirst[z]..zfirst[z+1]-1, nz slices):
 *   f2d (when not NULL): 2D (8QNN), the features of each slice's items
 *     averaged over the slices that have items, N_v of a slice being the sum
 *     of size[] over its items (size NULL: one voxel per item);
 *   fall: the features of all n items with nv voxels (2.5D, 62GR, when the
 *     items are those of the slices; 3D otherwise).
 * 0 or -1. */
int rad_texture_list_aggregate(const int *gi, const long *jj, const long *size, const size_t *zfirst, size_t nz,
                               size_t n, double nv, const char *family, double f2d[RAD_TEX_LIST_NFEAT],
                               double fall[RAD_TEX_LIST_NFEAT]);

/* Distance map of the GLDZM (distance to the ROI edge) on grid g, in-plane
 * or 3D; see gldzm.c. */
typedef void (*RadTexDistanceFn)(const RadTexGrid *g, int in_plane, int *d);

/* The GLSZM (distance NULL: zone sizes) or the GLDZM (zone distances from
 * the map that `distance` computes on the morphological grid) for the
 * aggregations of s->aggr: _2D (8QNN) one matrix per slice, features averaged
 * over the slices that have zones; _2_5D (62GR) the zones of all slices in
 * one matrix; _3D (KOBO) one matrix of the 3D zones (GLDZM: with the in-plane
 * distance map for a 2D image, roi->is_2d).  Appends the nf features of defs.
 * 0 or -1. */
int rad_texture_zone_compute(const RadRoi *roi, const RadSettings *s, const RadFeatureDef *defs, int nf,
                             const char *family, RadTexDistanceFn distance, RadFeatureSet *fs);

/* Append "<tag><suffix>" for the requested zone aggregations (s->aggr):
 * f2d for _2D, f25 for _2_5D, f3d for _3D. */
int rad_texture_zone_emit(const double *f2d, const double *f25, const double *f3d, const RadFeatureDef *defs, int nf,
                          unsigned aggr, RadFeatureSet *fs);

#endif
