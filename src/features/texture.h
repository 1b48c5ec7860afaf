/* radlab: shared pieces of the directional texture matrices (IBSI LFYI, TP0I).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to src/features/glcm.c and src/features/glrlm.c; not installed.
 *
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
 *
 * Everything is per call (no global state): reentrant.  The functions are
 * static inline so that each family file gets its own copy without
 * unused-function warnings.
 */
#ifndef RAD_FEATURES_TEXTURE_H
#define RAD_FEATURES_TEXTURE_H

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
                    return rad_error_set("grey level %d outside 1..%d at voxel (%zu, %zu, %zu)", g, ng, x, y, z);
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
    int count;
} RadTexMean;

static inline void rad_tex_mean_add(RadTexMean *m, const double *f, int nf)
{
    for (int i = 0; i < nf; i++)
        m->sum[i] += f[i];
    m->count++;
}

/* Append "<tag><suffix>" for every feature: the mean of the matrices that
 * had counts; an aggregation without any such matrix gives 0 for every
 * feature (every sum over an empty matrix is 0; documented in the family
 * files). */
static inline int rad_tex_mean_emit(const RadTexMean *m, const RadFeatureDef *defs, int nf, const char *suffix,
                                    RadFeatureSet *fs)
{
    for (int i = 0; i < nf; i++)
        if (rad_featureset_add2(fs, defs[i].tag, suffix, m->count ? m->sum[i] / m->count : 0.0) != 0)
            return -1;
    return 0;
}

#endif
