/* radlab: unit tests of what the image filters share: boundary conditions
 * and the separable 1-D correlation.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include "image/filters/filter.h"
#include "util/error.h"
#include "tap.h"

static void test_boundary(void)
{
    /* n = 4: indices -5..8 under each condition, worked out by hand */
    static const ssize_t want[4][14] = {
        /* i:        -5  -4  -3  -2  -1  0  1  2  3  4  5  6  7  8 */
        /* constant */ {-1, -1, -1, -1, -1, 0, 1, 2, 3, -1, -1, -1, -1, -1},
        /* nearest  */ {0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3, 3},
        /* periodic */ {3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0},
        /* mirror   */ {3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0},
    };
    for (int b = 0; b < 4; b++) {
        int ok = 1;
        for (int i = -5; i <= 8; i++)
            ok &= rad_boundary_index(i, 4, (RadBoundary)b) == want[b][i + 5];
        tap_ok(ok, "boundary %s: indices -5..8 of 4 voxels", rad_boundary_name((RadBoundary)b));
    }
    tap_ok(rad_boundary_parse("reflect") == RAD_BOUNDARY_MIRROR && rad_boundary_parse("wrap") == RAD_BOUNDARY_PERIODIC &&
               rad_boundary_parse("zero") == RAD_BOUNDARY_CONSTANT && rad_boundary_parse("edge") == RAD_BOUNDARY_NEAREST,
           "boundary names and their synonyms");
    tap_ok(rad_boundary_parse("circular") == -1 && rad_boundary_parse(NULL) == -1, "an unknown name is -1");
    tap_ok(rad_boundary_index(-9, 1, RAD_BOUNDARY_MIRROR) == 0 && rad_boundary_index(7, 1, RAD_BOUNDARY_PERIODIC) == 0,
           "one voxel: every index maps to it");
}

static void test_axis(void)
{
    /* a 4 x 3 x 2 volume, v = x + 10 y + 100 z; the kernel (1, 2, 3) centred
     * at 1: out[i] = in[i-1] + 2 in[i] + 3 in[i+1] */
    size_t dim[3] = {4, 3, 2};
    float v[24], w[24];
    double k[3] = {1, 2, 3};
    for (size_t z = 0; z < 2; z++)
        for (size_t y = 0; y < 3; y++)
            for (size_t x = 0; x < 4; x++)
                v[x + 4 * (y + 3 * z)] = (float)(x + 10 * y + 100 * z);
    memcpy(w, v, sizeof v);
    tap_ok(rad_filter_axis(w, dim, 0, k, 3, 1, RAD_BOUNDARY_CONSTANT, 2) == 0, "x axis, constant: runs");
    /* line y = 1, z = 1 holds 110 111 112 113 */
    tap_ok(w[4 * (1 + 3 * 1) + 0] == 0 + 2 * 110 + 3 * 111 && w[4 * (1 + 3 * 1) + 3] == 112 + 2 * 113 + 0,
           "x axis, constant: the ends see zeros (got %g, %g)", w[16], w[19]);
    memcpy(w, v, sizeof v);
    rad_filter_axis(w, dim, 0, k, 3, 1, RAD_BOUNDARY_MIRROR, 1);
    tap_ok(w[16] == 110 + 2 * 110 + 3 * 111 && w[19] == 112 + 2 * 113 + 3 * 113, "x axis, mirror: the edge voxel repeated");
    memcpy(w, v, sizeof v);
    rad_filter_axis(w, dim, 0, k, 3, 1, RAD_BOUNDARY_PERIODIC, 1);
    tap_ok(w[16] == 113 + 2 * 110 + 3 * 111 && w[19] == 112 + 2 * 113 + 3 * 110, "x axis, periodic: wraps around");
    memcpy(w, v, sizeof v);
    rad_filter_axis(w, dim, 1, k, 3, 1, RAD_BOUNDARY_NEAREST, 3);
    /* column x = 2, z = 0: 2 12 22 */
    tap_ok(w[2] == 2 + 2 * 2 + 3 * 12 && w[2 + 4 * 1] == 2 + 2 * 12 + 3 * 22 && w[2 + 4 * 2] == 12 + 2 * 22 + 3 * 22,
           "y axis, nearest");
    memcpy(w, v, sizeof v);
    rad_filter_axis(w, dim, 2, k, 3, 1, RAD_BOUNDARY_CONSTANT, 2);
    /* x = 1, y = 2: 21 121 */
    tap_ok(w[1 + 4 * 2] == 2 * 21 + 3 * 121 && w[1 + 4 * (2 + 3)] == 21 + 2 * 121, "z axis, constant");
    double d[24];
    for (int i = 0; i < 24; i++)
        d[i] = v[i];
    rad_filter_axis_d(d, dim, 0, k, 3, 1, RAD_BOUNDARY_MIRROR, 1);
    memcpy(w, v, sizeof v);
    rad_filter_axis(w, dim, 0, k, 3, 1, RAD_BOUNDARY_MIRROR, 2);
    int same = 1;
    for (int i = 0; i < 24; i++)
        same &= (float)d[i] == w[i];
    tap_ok(same, "double and float versions agree");
    tap_ok(rad_filter_axis(w, dim, 3, k, 3, 1, RAD_BOUNDARY_MIRROR, 1) < 0, "axis 3 is an error");
    tap_ok(rad_filter_axis(w, dim, 0, k, 3, 3, RAD_BOUNDARY_MIRROR, 1) < 0, "a centre outside the kernel is an error");
}

int main(void)
{
    test_boundary();
    test_axis();
    return tap_done();
}
