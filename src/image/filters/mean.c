/* radlab: the mean filter (IBSI 2 reference manual, "Mean filter").
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The response is the mean over an M x M (x M) neighbourhood centred on each
 * voxel, M odd: the kernel 1/M^d is the product of d 1-D kernels 1/M, so the
 * filter runs as d separable passes (M multiplies per voxel and axis), the
 * image continued outside its edges by the boundary condition. */
#include <stdlib.h>

#include "image/filters/filter.h"
#include "util/error.h"

RadImage *rad_filter_mean(const RadImage *img, int support, int dims, RadBoundary b, int threads)
{
    double *k, *d;
    RadImage *out = NULL;
    if (support < 1 || support % 2 == 0) {
        rad_error_set("mean filter: support must be an odd number of voxels >= 1 (the kernel is centred), got %d",
                      support);
        return NULL;
    }
    if (rad_filter_check_image(img, dims, (size_t)(support / 2), "mean filter") != 0)
        return NULL;
    if (!(k = malloc((size_t)support * sizeof *k))) {
        rad_error_set("mean filter: out of memory");
        return NULL;
    }
    for (int i = 0; i < support; i++)
        k[i] = 1.0 / support;
    if ((d = rad_filter_to_double(img))) {
        int ok = 1;
        for (int a = 0; a < dims && ok; a++)
            ok = rad_filter_axis_d(d, img->geom.dim, a, k, (size_t)support, (size_t)(support / 2), b, threads) == 0;
        if (ok)
            out = rad_filter_from_double(img, d);
        free(d);
    }
    free(k);
    return out;
}
