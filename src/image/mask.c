/* radlab: label masks, bounding boxes and connected components.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "util/error.h"

/* from image.c */
int rad_box_check(const RadGeometry *g, const RadBox *b);
void rad_box_copy(const RadGeometry *g, const RadBox *b, const void *src, void *dst, size_t elem);

RadMask *rad_mask_new(const RadGeometry *g)
{
    RadMask *m;
    if (rad_geometry_check(g) != 0)
        return NULL;
    m = rad_malloc(sizeof *m, "a mask");
    if (!m)
        return NULL;
    m->geom = *g;
    m->label = 0;
    m->data = rad_calloc(rad_geometry_nvox(g), 1, "mask voxels");
    if (!m->data) {
        free(m);
        return NULL;
    }
    return m;
}

RadMask *rad_mask_copy(const RadMask *src)
{
    RadMask *m = rad_mask_new(&src->geom);
    if (m) {
        memcpy(m->data, src->data, rad_mask_nvox(src));
        m->label = src->label;
    }
    return m;
}

void rad_mask_free(RadMask *m)
{
    if (m) {
        free(m->data);
        free(m);
    }
}

size_t rad_mask_count(const RadMask *m)
{
    size_t n = rad_mask_nvox(m), c = 0;
    for (size_t v = 0; v < n; v++)
        c += (size_t)rad_mask_in(m, v);
    return c;
}

void rad_mask_histogram(const RadMask *m, size_t counts[256])
{
    size_t n = rad_mask_nvox(m);
    memset(counts, 0, 256 * sizeof counts[0]);
    for (size_t v = 0; v < n; v++)
        counts[m->data[v]]++;
}

RadMask *rad_mask_select(const RadMask *m, const int *labels, int nlab)
{
    uint8_t want[256] = {0};
    size_t n = rad_mask_nvox(m);
    RadMask *out;
    for (int i = 0; i < nlab; i++) {
        if (labels[i] < 1 || labels[i] > 255) {
            rad_error_set("mask label %d is out of range (labels are 1..255)", labels[i]);
            return NULL;
        }
        want[labels[i]] = 1;
    }
    out = rad_mask_new(&m->geom);
    if (!out)
        return NULL;
    for (size_t v = 0; v < n; v++)
        out->data[v] = want[m->data[v]];
    out->label = 1;
    return out;
}

int rad_mask_bbox(const RadMask *m, RadBox *b)
{
    const RadGeometry *g = &m->geom;
    size_t v = 0, found = 0;
    for (int c = 0; c < 3; c++) {
        b->lo[c] = g->dim[c];
        b->hi[c] = 0;
    }
    for (size_t k = 0; k < g->dim[2]; k++)
        for (size_t j = 0; j < g->dim[1]; j++)
            for (size_t i = 0; i < g->dim[0]; i++, v++) {
                if (!rad_mask_in(m, v))
                    continue;
                found = 1;
                if (i < b->lo[0]) b->lo[0] = i;
                if (i > b->hi[0]) b->hi[0] = i;
                if (j < b->lo[1]) b->lo[1] = j;
                if (j > b->hi[1]) b->hi[1] = j;
                if (k < b->lo[2]) b->lo[2] = k;
                if (k > b->hi[2]) b->hi[2] = k;
            }
    if (!found) {
        if (m->label)
            return rad_error_set("the mask is empty: no voxel has label %d", m->label);
        return rad_error_set("the mask is empty: every voxel is 0");
    }
    return 0;
}

RadMask *rad_mask_crop(const RadMask *m, const RadBox *b)
{
    RadGeometry g;
    RadMask *out;
    if (rad_box_check(&m->geom, b) != 0)
        return NULL;
    rad_geometry_crop(&m->geom, b, &g);
    out = rad_mask_new(&g);
    if (out) {
        rad_box_copy(&m->geom, b, m->data, out->data, 1);
        out->label = m->label;
    }
    return out;
}

/* Neighbour offsets of a connectivity: a neighbour differs by at most 1 on
 * each axis, with 1 (faces), 2 (edges) or 3 (corners) axes changing. */
static int neighbours(int ndim, int conn, int off[26][3])
{
    int n = 0, maxchange;
    switch (conn) {
    case 6: case 4: maxchange = 1; break;
    case 18: maxchange = 2; break;
    case 26: case 8: maxchange = 3; break;
    default: return rad_error_set("connectivity must be 6, 18 or 26 (3D) or 4 or 8 (2D), not %d", conn);
    }
    if ((ndim == 2) != (conn == 4 || conn == 8))
        return rad_error_set("connectivity %d does not apply to a %dD mask (use %s)", conn, ndim,
                             ndim == 2 ? "4 or 8" : "6, 18 or 26");
    for (int dz = -1; dz <= 1; dz++)
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int ch = (dx != 0) + (dy != 0) + (dz != 0);
                if (ch == 0 || ch > maxchange || (ndim == 2 && dz != 0))
                    continue;
                off[n][0] = dx;
                off[n][1] = dy;
                off[n][2] = dz;
                n++;
            }
    return n;
}

typedef struct CompInfo {
    size_t size, first;
    uint32_t id;
} CompInfo;

static int comp_cmp(const void *pa, const void *pb)
{
    const CompInfo *a = pa, *b = pb;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return a->first < b->first ? -1 : a->first > b->first;
}

long rad_mask_components(const RadMask *m, int connectivity, uint32_t *labels, size_t **sizes)
{
    const RadGeometry *g = &m->geom;
    size_t n = rad_mask_nvox(m), nx = g->dim[0], ny = g->dim[1], nz = g->dim[2];
    int off[26][3], noff = neighbours(g->ndim, connectivity, off);
    uint32_t *lab = NULL, *rank = NULL;
    size_t *stack = NULL;
    CompInfo *info = NULL;
    size_t ncomp = 0, cap = 0;
    long result = -1;

    if (noff < 0)
        return -1;
    lab = rad_calloc(n, sizeof *lab, "component labels");
    stack = rad_malloc(n * sizeof *stack, "component search");
    if (!lab || !stack)
        goto done;
    /* Flood fill with an explicit stack: no recursion depth limit. */
    for (size_t seed = 0; seed < n; seed++) {
        size_t top = 0, count = 0;
        if (!rad_mask_in(m, seed) || lab[seed])
            continue;
        if ((seed & 0xffff) == 0 && rad_interrupt_check() != 0)
            goto done;
        if (ncomp == cap) {
            size_t ncap = cap ? 2 * cap : 64;
            CompInfo *ni = realloc(info, ncap * sizeof *ni);
            if (!ni) {
                rad_error_set("out of memory labelling components");
                goto done;
            }
            info = ni;
            cap = ncap;
        }
        ncomp++;
        lab[seed] = (uint32_t)ncomp;
        stack[top++] = seed;
        while (top) {
            size_t v = stack[--top];
            size_t i = v % nx, j = (v / nx) % ny, k = v / (nx * ny);
            count++;
            for (int o = 0; o < noff; o++) {
                long ii = (long)i + off[o][0], jj = (long)j + off[o][1], kk = (long)k + off[o][2];
                size_t w;
                if (ii < 0 || jj < 0 || kk < 0 || ii >= (long)nx || jj >= (long)ny || kk >= (long)nz)
                    continue;
                w = (size_t)ii + nx * ((size_t)jj + ny * (size_t)kk);
                if (lab[w] || !rad_mask_in(m, w))
                    continue;
                lab[w] = (uint32_t)ncomp;
                stack[top++] = w;
            }
        }
        info[ncomp - 1].size = count;
        info[ncomp - 1].first = seed;
        info[ncomp - 1].id = (uint32_t)ncomp;
    }
    if (ncomp)
        qsort(info, ncomp, sizeof *info, comp_cmp);
    if (labels) {
        /* renumber: largest component first */
        rank = rad_malloc((ncomp + 1) * sizeof *rank, "component ranks");
        if (!rank)
            goto done;
        rank[0] = 0;
        for (size_t c = 0; c < ncomp; c++)
            rank[info[c].id] = (uint32_t)(c + 1);
        for (size_t v = 0; v < n; v++)
            labels[v] = rank[lab[v]];
    }
    if (sizes) {
        *sizes = rad_malloc((ncomp ? ncomp : 1) * sizeof **sizes, "component sizes");
        if (!*sizes)
            goto done;
        for (size_t c = 0; c < ncomp; c++)
            (*sizes)[c] = info[c].size;
    }
    result = (long)ncomp;
done:
    free(lab);
    free(stack);
    free(info);
    free(rank);
    return result;
}

RadMask *rad_mask_largest(const RadMask *m, int connectivity)
{
    size_t n = rad_mask_nvox(m);
    uint32_t *lab = rad_malloc(n * sizeof *lab, "component labels");
    RadMask *out = NULL;
    long nc;
    if (!lab)
        return NULL;
    nc = rad_mask_components(m, connectivity, lab, NULL);
    if (nc == 0)
        rad_mask_bbox(m, &(RadBox){{0}, {0}}); /* records the "empty mask" message */
    if (nc > 0 && (out = rad_mask_new(&m->geom)) != NULL) {
        for (size_t v = 0; v < n; v++)
            out->data[v] = lab[v] == 1;
        out->label = 1;
    }
    free(lab);
    return out;
}
