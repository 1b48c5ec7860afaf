/* radlab: float32 images.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "util/error.h"

static RadImage *image_new(const RadGeometry *g, int zero)
{
    RadImage *img;
    size_t n;
    if (rad_geometry_check(g) != 0)
        return NULL;
    img = rad_malloc(sizeof *img, "an image");
    if (!img)
        return NULL;
    img->geom = *g;
    n = rad_geometry_nvox(g);
    if (zero)
        img->data = rad_calloc(n, sizeof(float), "image voxels");
    else if (n > (size_t)-1 / sizeof(float))
        img->data = NULL, rad_error_set("out of memory (%zu voxels overflow)", n);
    else
        img->data = rad_malloc(n * sizeof(float), "image voxels");
    if (!img->data) {
        free(img);
        return NULL;
    }
    return img;
}

RadImage *rad_image_new(const RadGeometry *g) { return image_new(g, 1); }

RadImage *rad_image_alloc(const RadGeometry *g) { return image_new(g, 0); }

RadImage *rad_image_copy(const RadImage *src)
{
    RadImage *img = rad_image_alloc(&src->geom);
    if (img)
        memcpy(img->data, src->data, rad_image_nvox(src) * sizeof(float));
    return img;
}

void rad_image_free(RadImage *img)
{
    if (img) {
        free(img->data);
        free(img);
    }
}

static int check_index(const RadGeometry *g, size_t i, size_t j, size_t k)
{
    if (i >= g->dim[0] || j >= g->dim[1] || k >= g->dim[2])
        return rad_error_set("voxel (%zu, %zu, %zu) (1-based) is outside the image of size %zux%zux%zu",
                             i + 1, j + 1, k + 1, g->dim[0], g->dim[1], g->dim[2]);
    return 0;
}

int rad_image_get(const RadImage *img, size_t i, size_t j, size_t k, float *v)
{
    const RadGeometry *g = &img->geom;
    if (check_index(g, i, j, k) != 0)
        return -1;
    *v = img->data[i + g->dim[0] * (j + g->dim[1] * k)];
    return 0;
}

int rad_image_set(RadImage *img, size_t i, size_t j, size_t k, float v)
{
    const RadGeometry *g = &img->geom;
    if (check_index(g, i, j, k) != 0)
        return -1;
    img->data[i + g->dim[0] * (j + g->dim[1] * k)] = v;
    return 0;
}

/* Shared by image and mask crops: copy box `b` of an element array. */
int rad_box_check(const RadGeometry *g, const RadBox *b);
int rad_box_check(const RadGeometry *g, const RadBox *b)
{
    for (int c = 0; c < 3; c++)
        if (b->lo[c] > b->hi[c] || b->hi[c] >= g->dim[c])
            return rad_error_set("crop box [%zu..%zu] x [%zu..%zu] x [%zu..%zu] does not fit in %zux%zux%zu",
                                 b->lo[0], b->hi[0], b->lo[1], b->hi[1], b->lo[2], b->hi[2],
                                 g->dim[0], g->dim[1], g->dim[2]);
    return 0;
}

void rad_box_copy(const RadGeometry *g, const RadBox *b, const void *src, void *dst, size_t elem);
void rad_box_copy(const RadGeometry *g, const RadBox *b, const void *src, void *dst, size_t elem)
{
    size_t nx = b->hi[0] - b->lo[0] + 1;
    const char *s = src;
    char *d = dst;
    for (size_t k = b->lo[2]; k <= b->hi[2]; k++)
        for (size_t j = b->lo[1]; j <= b->hi[1]; j++) {
            memcpy(d, s + (b->lo[0] + g->dim[0] * (j + g->dim[1] * k)) * elem, nx * elem);
            d += nx * elem;
        }
}

RadImage *rad_image_crop(const RadImage *img, const RadBox *b)
{
    RadGeometry g;
    RadImage *out;
    if (rad_box_check(&img->geom, b) != 0)
        return NULL;
    rad_geometry_crop(&img->geom, b, &g);
    out = rad_image_new(&g);
    if (out)
        rad_box_copy(&img->geom, b, img->data, out->data, sizeof(float));
    return out;
}

int rad_image_stats(const RadImage *img, const RadMask *mask, RadStats *st)
{
    size_t n = rad_image_nvox(img), cnt = 0;
    double mean = 0, m2 = 0, lo = INFINITY, hi = -INFINITY;
    if (mask && rad_check_same_geometry(img, mask, RAD_GEOMETRY_TOL) != 0)
        return -1;
    for (size_t v = 0; v < n; v++) {
        double x = img->data[v], d;
        if (mask && !rad_mask_in(mask, v))
            continue;
        if (!isfinite(x))
            continue;
        /* Welford: stable for large CT volumes with big offsets. */
        cnt++;
        d = x - mean;
        mean += d / (double)cnt;
        m2 += d * (x - mean);
        if (x < lo)
            lo = x;
        if (x > hi)
            hi = x;
    }
    st->n = cnt;
    if (cnt == 0) {
        st->min = st->max = st->mean = st->sd = NAN;
        return mask ? rad_error_set("the mask selects no voxels with finite values (check the label)") : 0;
    }
    st->min = lo;
    st->max = hi;
    st->mean = mean;
    st->sd = sqrt(m2 / (double)cnt);
    return 0;
}

int rad_check_same_geometry(const RadImage *img, const RadMask *m, double tol)
{
    char a[256], b[256];
    if (rad_geometry_same(&img->geom, &m->geom, tol))
        return 0;
    rad_geometry_describe(&img->geom, a, sizeof a);
    rad_geometry_describe(&m->geom, b, sizeof b);
    return rad_error_set("image and mask geometries differ (tolerance %g mm): image is %s; mask is %s; "
                         "if the mask belongs to this image, put it on the image's grid with mask:resample_to(img) "
                         "(nearest neighbour)", tol, a, b);
}
