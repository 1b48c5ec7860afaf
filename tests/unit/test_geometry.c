/* radlab: unit tests of geometry, images and crops.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "rad.h"
#include "tap.h"

static void test_transforms(void)
{
    RadGeometry g;
    double idx[3] = {2, 3, 4}, p[3], back[3];
    /* axes permuted and flipped: i -> -y, j -> +x, k -> +z */
    const double dir[9] = {0, 1, 0, -1, 0, 0, 0, 0, 1};
    rad_geometry_init(&g, 3, 10, 20, 30);
    g.spacing[0] = 0.5;
    g.spacing[1] = 2;
    g.spacing[2] = 3;
    g.origin[0] = 10;
    g.origin[1] = -5;
    g.origin[2] = 100;
    memcpy(g.direction, dir, sizeof dir);
    tap_ok(rad_geometry_check(&g) == 0, "permuted direction is valid");
    rad_geometry_index_to_point(&g, idx, p);
    /* x = 10 + 1*2*3 = 16; y = -5 - 0.5*2 = -6; z = 100 + 3*4 = 112 */
    tap_ok(p[0] == 16 && p[1] == -6 && p[2] == 112, "index (2,3,4) -> (16, -6, 112) mm (got %g %g %g)", p[0], p[1], p[2]);
    tap_ok(rad_geometry_point_to_index(&g, p, back) == 0, "point_to_index succeeds");
    tap_near(back[0], 2, 1e-12, "round trip i");
    tap_near(back[1], 3, 1e-12, "round trip j");
    tap_near(back[2], 4, 1e-12, "round trip k");
    tap_ok(rad_geometry_nvox(&g) == 6000, "10x20x30 has 6000 voxels");
}

static void test_checks(void)
{
    RadGeometry g;
    rad_geometry_init(&g, 3, 4, 4, 4);
    g.spacing[1] = 0;
    tap_ok(rad_geometry_check(&g) != 0, "zero spacing rejected");
    tap_contains(rad_error_message(), "spacing must be positive", "message names spacing");
    rad_geometry_init(&g, 3, 4, 4, 4);
    g.direction[0] = 0; /* first axis vanishes */
    tap_ok(rad_geometry_check(&g) != 0, "singular direction rejected");
    tap_contains(rad_error_message(), "singular", "message says singular");
    rad_geometry_init(&g, 3, 0, 4, 4);
    tap_ok(rad_geometry_check(&g) != 0, "empty axis rejected");
    rad_geometry_init(&g, 3, 100000, 100000, 1000);
    tap_ok(rad_geometry_check(&g) != 0, "10^13 voxels rejected");
    tap_contains(rad_error_message(), "2^31", "message gives the limit");
    rad_geometry_init(&g, 2, 7, 5, 99);
    tap_ok(g.dim[2] == 1 && rad_geometry_check(&g) == 0, "2D geometry has nz = 1");
}

static void test_same(void)
{
    RadGeometry a, b;
    rad_geometry_init(&a, 3, 50, 50, 10);
    a.spacing[0] = a.spacing[1] = 0.8;
    b = a;
    tap_ok(rad_geometry_same(&a, &b, 1e-3), "identical geometries agree");
    b.origin[2] += 5e-4;
    tap_ok(rad_geometry_same(&a, &b, 1e-3), "0.5 um origin shift within 1 um tolerance");
    b.origin[2] += 1;
    tap_ok(!rad_geometry_same(&a, &b, 1e-3), "1 mm origin shift differs");
    b = a;
    b.spacing[0] = 0.8001; /* 0.1 um per voxel, 5 um across 50 voxels */
    tap_ok(!rad_geometry_same(&a, &b, 1e-3), "spacing drift over the grid differs");
    b = a;
    b.dim[2] = 11;
    tap_ok(!rad_geometry_same(&a, &b, 1e-3), "different size differs");
}

static void test_image(void)
{
    RadGeometry g;
    RadImage *img, *crop;
    RadBox box = {{1, 2, 0}, {3, 3, 1}};
    RadStats st;
    float v;
    rad_geometry_init(&g, 3, 5, 4, 3);
    img = rad_image_new(&g);
    tap_ok(img != NULL, "5x4x3 image created");
    for (size_t i = 0; i < 60; i++)
        img->data[i] = (float)i;
    tap_ok(rad_image_get(img, 2, 1, 1, &v) == 0 && v == 2 + 5 * (1 + 4 * 1), "x fastest: (2,1,1) = 27");
    tap_ok(rad_image_set(img, 4, 3, 2, -7) == 0 && img->data[59] == -7, "set last voxel");
    tap_ok(rad_image_get(img, 5, 0, 0, &v) != 0, "out-of-range get fails");
    tap_contains(rad_error_message(), "outside the image", "out-of-range message");
    crop = rad_image_crop(img, &box);
    tap_ok(crop && crop->geom.dim[0] == 3 && crop->geom.dim[1] == 2 && crop->geom.dim[2] == 2, "crop is 3x2x2");
    tap_ok(crop && crop->data[0] == 1 + 5 * 2 && crop->data[11] == 3 + 5 * (3 + 4 * 1), "crop copies the box");
    tap_ok(crop && crop->geom.origin[0] == 1 && crop->geom.origin[1] == 2 && crop->geom.origin[2] == 0,
           "crop origin moves to the box corner");
    rad_image_free(crop);
    box.hi[0] = 5;
    tap_ok(rad_image_crop(img, &box) == NULL, "box past the edge rejected");
    tap_contains(rad_error_message(), "does not fit", "box message");
    img->data[59] = 59;
    tap_ok(rad_image_stats(img, NULL, &st) == 0 && st.n == 60 && st.min == 0 && st.max == 59, "stats n/min/max");
    tap_near(st.mean, 29.5, 1e-12, "stats mean 0..59");
    tap_near(st.sd, sqrt((60.0 * 60 - 1) / 12), 1e-12, "stats population sd of 0..59");
    img->data[0] = NAN;
    tap_ok(rad_image_stats(img, NULL, &st) == 0 && st.n == 59 && st.min == 1, "NaN voxels skipped");
    rad_image_free(img);
}

int main(void)
{
    test_transforms();
    test_checks();
    test_same();
    test_image();
    return tap_done();
}
