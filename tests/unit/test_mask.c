/* radlab: unit tests of masks, bounding boxes and components.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>

#include "rad.h"
#include "tap.h"

static RadMask *mask_from(int ndim, size_t nx, size_t ny, size_t nz, const char *pattern)
{
    RadGeometry g;
    RadMask *m;
    rad_geometry_init(&g, ndim, nx, ny, nz);
    m = rad_mask_new(&g);
    for (size_t v = 0; pattern[v]; v++)
        m->data[v] = (uint8_t)(pattern[v] == '.' ? 0 : pattern[v] - '0');
    return m;
}

static void test_2d(void)
{
    /* 6x5, x fastest; labels 1 and 2 */
    const char *pat =
        "11.2.."
        "11..2."
        "......"
        "...11."
        "1....1";
    RadMask *m = mask_from(2, 6, 5, 1, pat), *s, *big;
    RadBox b;
    size_t counts[256], *sizes = NULL;
    uint32_t lab[30];
    int two = 2;
    long n;

    tap_ok(rad_mask_count(m) == 10, "label 0 selects all 10 non-zero voxels");
    m->label = 1;
    tap_ok(rad_mask_count(m) == 8, "label 1 has 8 voxels");
    rad_mask_histogram(m, counts);
    tap_ok(counts[0] == 20 && counts[1] == 8 && counts[2] == 2, "histogram 20/8/2");
    tap_ok(rad_mask_bbox(m, &b) == 0 && b.lo[0] == 0 && b.hi[0] == 5 && b.lo[1] == 0 && b.hi[1] == 4,
           "label 1 bbox spans the whole plane");
    s = rad_mask_select(m, &two, 1);
    tap_ok(s && rad_mask_count(s) == 2 && s->label == 1, "select(2) -> binary mask of 2 voxels");
    tap_ok(s && rad_mask_bbox(s, &b) == 0 && b.lo[0] == 3 && b.hi[0] == 4 && b.lo[1] == 0 && b.hi[1] == 1,
           "label 2 bbox x 3..4, y 0..1");
    n = rad_mask_components(s, 8, NULL, NULL);
    tap_ok(n == 1, "diagonal pair is one 8-component (got %ld)", n);
    n = rad_mask_components(s, 4, NULL, NULL);
    tap_ok(n == 2, "diagonal pair is two 4-components (got %ld)", n);
    rad_mask_free(s);

    /* label 1: block of 4 at top-left, run of 2 with a diagonal neighbour, a lone voxel */
    n = rad_mask_components(m, 4, lab, &sizes);
    tap_ok(n == 4, "label 1 has 4 components with 4-connectivity (got %ld)", n);
    tap_ok(sizes && sizes[0] == 4 && sizes[1] == 2 && sizes[2] == 1 && sizes[3] == 1, "sizes 4,2,1,1 largest first");
    tap_ok(lab[0] == 1 && lab[3 * 6 + 3] == 2 && lab[4 * 6 + 0] == 3 && lab[4 * 6 + 5] == 4,
           "components numbered by size, ties by first voxel");
    free(sizes);
    n = rad_mask_components(m, 8, NULL, &sizes);
    tap_ok(n == 3 && sizes[0] == 4 && sizes[1] == 3 && sizes[2] == 1, "8-connectivity joins the corner: 4,3,1");
    free(sizes);
    big = rad_mask_largest(m, 4);
    tap_ok(big && rad_mask_count(big) == 4 && big->data[0] == 1 && big->data[7] == 1, "largest is the 2x2 block");
    rad_mask_free(big);
    tap_ok(rad_mask_components(m, 6, NULL, NULL) < 0, "connectivity 6 rejected in 2D");
    tap_contains(rad_error_message(), "4 or 8", "message suggests 4 or 8");
    m->label = 3;
    tap_ok(rad_mask_bbox(m, &b) != 0, "absent label: bbox fails");
    tap_contains(rad_error_message(), "no voxel has label 3", "empty-mask message names the label");
    tap_ok(rad_mask_largest(m, 8) == NULL, "largest of an empty selection fails");
    rad_mask_free(m);
}

static void test_3d(void)
{
    RadGeometry g;
    RadMask *m, *c;
    RadBox b, box;
    size_t *sizes = NULL;
    long n6, n18, n26;
    rad_geometry_init(&g, 3, 4, 4, 4);
    m = rad_mask_new(&g);
    /* three voxels touching by a face, an edge and a corner */
    m->data[0] = 1;                        /* (0,0,0) */
    m->data[1] = 1;                        /* (1,0,0): face of (0,0,0) */
    m->data[2 + 4 * 1] = 1;                /* (2,1,0): edge of (1,0,0) */
    m->data[3 + 4 * (2 + 4 * 1)] = 1;      /* (3,2,1): corner of (2,1,0) */
    m->data[0 + 4 * (3 + 4 * 3)] = 1;      /* (0,3,3): isolated */
    n6 = rad_mask_components(m, 6, NULL, NULL);
    n18 = rad_mask_components(m, 18, NULL, NULL);
    n26 = rad_mask_components(m, 26, NULL, &sizes);
    tap_ok(n6 == 4 && n18 == 3 && n26 == 2, "6/18/26-connectivity: 4/3/2 components (got %ld/%ld/%ld)", n6, n18, n26);
    tap_ok(sizes && sizes[0] == 4 && sizes[1] == 1, "26-connected sizes 4, 1");
    free(sizes);
    tap_ok(rad_mask_bbox(m, &b) == 0 && b.lo[0] == 0 && b.hi[0] == 3 && b.hi[1] == 3 && b.hi[2] == 3, "3D bbox");
    box = (RadBox){{1, 0, 0}, {3, 2, 1}};
    c = rad_mask_crop(m, &box);
    tap_ok(c && c->geom.dim[0] == 3 && rad_mask_count(c) == 3, "crop keeps the 3 voxels inside");
    rad_mask_free(c);
    tap_ok(rad_mask_components(m, 8, NULL, NULL) < 0, "connectivity 8 rejected in 3D");
    rad_mask_free(m);
}

static void test_geometry_mismatch(void)
{
    RadGeometry g;
    RadImage *img;
    RadMask *m;
    rad_geometry_init(&g, 3, 10, 10, 5);
    img = rad_image_new(&g);
    g.spacing[2] = 2.5;
    m = rad_mask_new(&g);
    tap_ok(rad_check_same_geometry(img, m, RAD_GEOMETRY_TOL) != 0, "different spacing detected");
    tap_contains(rad_error_message(), "image is 10x10x5 at 1x1x1 mm", "message names the image geometry");
    tap_contains(rad_error_message(), "mask is 10x10x5 at 1x1x2.5 mm", "message names the mask geometry");
    tap_contains(rad_error_message(), "put it on the image's grid with mask:resample_to(img)", "message says how to fix it");
    rad_image_free(img);
    rad_mask_free(m);
}

int main(void)
{
    test_2d();
    test_3d();
    test_geometry_mismatch();
    return tap_done();
}
