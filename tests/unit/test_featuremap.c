/* radlab: unit tests of the feature maps' GLCM fast path.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On random images and ROIs (a fixed generator), the GLCM maps of the
 * sliding-window path (method 0) against those of the family function run
 * on every neighbourhood (method 1), in double precision (keep_values):
 * every GLCM feature of the 2.5D and 3D aggregations at every ROI voxel
 * within a relative 1e-9.  Values that are 0 in exact arithmetic (cluster
 * shade or correlation of a symmetric matrix) come out of either path as
 * rounding residue of order 1e-16 times the terms summed, so 1e-12 is
 * allowed absolutely besides; NaN (undefined) must be NaN in both.  The
 * cases vary the shape, radius, masking, GLCM distance and discretisation,
 * and include a 2D image.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rad.h"
#include "tap.h"

static uint64_t rng = 88172645463325252ull;

static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

typedef struct Case {
    const char *name;
    int nx, ny, nz, levels, radius, distance, masked, in_plane;
    RadFmapShape shape;
    RadDisc disc;
} Case;

static void run(const Case *c)
{
    RadGeometry g;
    RadImage *img;
    RadMask *mask;
    RadSettings s;
    RadFmapOptions o;
    RadFeatureMaps *fast, *slow;
    const char *want[] = {"cm"};
    size_t nvox, compared = 0, bad = 0;
    double worst = 0;

    rad_geometry_init(&g, c->nz > 1 ? 3 : 2, (size_t)c->nx, (size_t)c->ny, (size_t)c->nz);
    img = rad_image_new(&g);
    mask = rad_mask_new(&g);
    if (!img || !mask) {
        tap_ok(0, "%s: allocate", c->name);
        return;
    }
    nvox = rad_geometry_nvox(&g);
    for (size_t v = 0; v < nvox; v++) {
        img->data[v] = c->disc == RAD_DISC_NONE ? (float)(1 + next((unsigned)c->levels))
                                                : (float)next(1000) / 7.0f - 40.0f;
        mask->data[v] = next(4) != 0;
    }
    mask->label = 1;
    rad_settings_default(&s);
    s.disc = c->disc;
    s.bins = c->levels;
    s.aggr = g.ndim == 2 ? RAD_AGGR_3D : RAD_AGGR_2_5D | RAD_AGGR_3D;
    s.distance = c->distance;
    rad_fmap_options_default(&o);
    o.radius = c->radius;
    o.shape = c->shape;
    o.masked = c->masked;
    o.in_plane = c->in_plane;
    o.threads = 2;
    o.keep_values = 1;
    o.method = 0;
    fast = rad_feature_maps(img, mask, &s, want, 1, &o);
    o.method = 1;
    slow = rad_feature_maps(img, mask, &s, want, 1, &o);
    if (!fast || !slow || fast->n != slow->n || fast->n == 0) {
        tap_ok(0, "%s: maps (%s)", c->name, rad_error_message());
        goto done;
    }
    for (size_t t = 0; t < fast->n; t++) {
        if (strcmp(fast->tags[t], slow->tags[t]) != 0) {
            bad++;
            continue;
        }
        for (size_t v = 0; v < nvox; v++) {
            double a = fast->values[t][v], b = slow->values[t][v];
            double tol = 1e-9 * fmax(fabs(a), fabs(b)) + 1e-12;
            if (isnan(a) || isnan(b)) {
                bad += isnan(a) != isnan(b);
                continue;
            }
            compared++;
            if (fabs(a - b) > tol) {
                if (bad < 5)
                    tap_diag("%s: %s at voxel %zu: fast %.17g, family function %.17g", c->name, fast->tags[t], v, a, b);
                bad++;
            }
            if (fabs(b) > 1e-6 && fabs(a - b) / fabs(b) > worst)
                worst = fabs(a - b) / fabs(b);
        }
    }
    tap_ok(bad == 0 && compared > 0, "%s: %zu GLCM maps, %zu values agree (largest relative difference %.1e)",
           c->name, fast->n, compared, worst);
done:
    rad_feature_maps_free(fast);
    rad_feature_maps_free(slow);
    rad_image_free(img);
    rad_mask_free(mask);
}

int main(void)
{
    static const Case cases[] = {
        {"cube r2, masked, 6 levels", 14, 12, 9, 6, 2, 1, 1, 0, RAD_FMAP_CUBE, RAD_DISC_NONE},
        {"sphere r3, masked, 12 levels", 13, 13, 10, 12, 3, 1, 1, 0, RAD_FMAP_SPHERE, RAD_DISC_NONE},
        {"cube r1, unmasked, 4 levels", 10, 9, 8, 4, 1, 1, 0, 0, RAD_FMAP_CUBE, RAD_DISC_NONE},
        {"sphere r2, unmasked, distance 2, 9 levels", 12, 11, 9, 9, 2, 2, 0, 0, RAD_FMAP_SPHERE, RAD_DISC_NONE},
        {"in-plane cube r2, masked, fixed bin number 16", 12, 12, 6, 16, 2, 1, 1, 1, RAD_FMAP_CUBE, RAD_DISC_FBN},
        {"2D image, sphere r3, masked, 8 levels", 30, 25, 1, 8, 3, 1, 1, 0, RAD_FMAP_SPHERE, RAD_DISC_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run(&cases[i]);
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}
