/* radlab: the Laplacian of Gaussian filter (IBSI 2 reference manual,
 * "Laplacian of Gaussian").  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The manual's kernel in d dimensions (d = 3, or 2 slice-wise) is the
 * Laplacian of the normalised Gaussian, not scale-normalised and not forced
 * to a zero sum:
 *   LoG(x) = -1/sigma^2 (1/(sigma sqrt(2 pi)))^d (d - |x|^2/sigma^2) exp(-|x|^2/(2 sigma^2))
 * with x and sigma in voxels (sigma in mm divided by the spacing of each
 * axis).  The Gaussian is a product of 1-D Gaussians g, so the Laplacian is
 * the separable sum  g'' g g + g g'' g + g g g''  with
 *   g(x) = exp(-x^2/(2 s^2)) / (s sqrt(2 pi)),  g''(x) = g(x) (x^2/s^4 - 1/s^2).
 * The kernel is truncated at `truncate` sigmas: along an axis of voxel sigma
 * s it reaches r = floor(truncate s + 0.5) voxels either side (M = 2 r + 1,
 * the manual's support).  Consensus map 2.a (impulse, sigma 3 mm at 2 mm)
 * has the continuous kernel's value at 0 as its minimum: -6.3965 = -255 *
 * 3 / 1.5^2 / (1.5 sqrt(2 pi))^3. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image/filters/filter.h"
#include "util/error.h"

/* one pass of the kernel k of radius r along axis a */
static int filt(double *d, const size_t dim[3], int a, const double *k, size_t r, RadBoundary b, int threads)
{
    return rad_filter_axis_d(d, dim, a, k, 2 * r + 1, r, b, threads);
}

RadImage *rad_filter_log(const RadImage *img, double sigma, double truncate, int dims, RadBoundary b, int threads)
{
    static const char axis_name[3] = {'x', 'y', 'z'};
    double *g[3] = {NULL, NULL, NULL}, *g2[3] = {NULL, NULL, NULL};
    size_t r[3] = {0, 0, 0}, rmax = 0;
    double *in = NULL, *work = NULL, *sum = NULL;
    RadImage *out = NULL;
    size_t n;

    if (!(sigma > 0) || !isfinite(sigma)) {
        rad_error_set("LoG filter: sigma must be a positive number of mm, got %g", sigma);
        return NULL;
    }
    if (!(truncate > 0) || !isfinite(truncate) || truncate > 100) {
        rad_error_set("LoG filter: truncate (the kernel radius in sigmas) must be in (0, 100], got %g", truncate);
        return NULL;
    }
    if (!img || !img->data) {
        rad_error_set("LoG filter: no image");
        return NULL;
    }
    if (dims != 2 && dims != 3) {
        rad_error_set("LoG filter: dims must be 2 (each axial slice) or 3 (the volume), got %d", dims);
        return NULL;
    }
    for (int a = 0; a < dims; a++) {
        double s = sigma / img->geom.spacing[a];
        if (s < 0.5) {
            rad_error_set("LoG filter: sigma %g mm is %.3g voxels along %c (spacing %g mm), below half a voxel: the "
                          "kernel would not be sampled; use sigma >= %g mm",
                          sigma, s, axis_name[a], img->geom.spacing[a], 0.5 * img->geom.spacing[a]);
            return NULL;
        }
        r[a] = (size_t)floor(truncate * s + 0.5);
        if (r[a] > rmax)
            rmax = r[a];
    }
    if (rad_filter_check_image(img, dims, rmax, "LoG filter") != 0)
        return NULL;

    for (int a = 0; a < dims; a++) {
        double s = sigma / img->geom.spacing[a], m = (double)(2 * r[a] + 1);
        g[a] = malloc((size_t)m * sizeof(double));
        g2[a] = malloc((size_t)m * sizeof(double));
        if (!g[a] || !g2[a]) {
            rad_error_set("LoG filter: out of memory");
            goto done;
        }
        for (size_t t = 0; t < 2 * r[a] + 1; t++) {
            double x = (double)t - (double)r[a];
            g[a][t] = exp(-x * x / (2 * s * s)) / (s * sqrt(2 * M_PI));
            g2[a][t] = g[a][t] * (x * x / (s * s * s * s) - 1 / (s * s));
        }
    }
    n = rad_image_nvox(img);
    if (!(in = rad_filter_to_double(img)))
        goto done;
    work = rad_malloc((n ? n : 1) * sizeof *work, "a LoG term");
    sum = rad_malloc((n ? n : 1) * sizeof *sum, "a LoG response");
    if (!work || !sum) {
        rad_error_set("LoG filter: out of memory (%zu MB of working buffers)", (2 * n * sizeof(double)) >> 20);
        goto done;
    }
    /* One term per axis: the second derivative along it, the Gaussian along
     * the others.  The passes along different axes commute (each axis is
     * continued by the boundary condition on its own), so the terms share
     * passes: in 3D  gx (g2y gz + gy g2z) + g2x gy gz,  7 passes instead of
     * 9 (in 2D  gx g2y + g2x gy,  4). */
    if (dims == 3) {
        double *z2 = work;
        memcpy(z2, in, n * sizeof *z2);
        /* in <- gz in, z2 <- g2z in */
        if (filt(in, img->geom.dim, 2, g[2], r[2], b, threads) != 0 ||
            filt(z2, img->geom.dim, 2, g2[2], r[2], b, threads) != 0)
            goto done;
        /* sum <- g2y (gz in) + gy (g2z in) */
        memcpy(sum, in, n * sizeof *sum);
        if (filt(sum, img->geom.dim, 1, g2[1], r[1], b, threads) != 0 ||
            filt(z2, img->geom.dim, 1, g[1], r[1], b, threads) != 0)
            goto done;
        for (size_t i = 0; i < n; i++)
            sum[i] += z2[i];
        /* in <- gy gz in */
        if (filt(in, img->geom.dim, 1, g[1], r[1], b, threads) != 0)
            goto done;
    } else {
        memcpy(sum, in, n * sizeof *sum);
        if (filt(sum, img->geom.dim, 1, g2[1], r[1], b, threads) != 0 ||
            filt(in, img->geom.dim, 1, g[1], r[1], b, threads) != 0)
            goto done;
    }
    /* sum <- gx sum + g2x in */
    if (filt(sum, img->geom.dim, 0, g[0], r[0], b, threads) != 0 ||
        filt(in, img->geom.dim, 0, g2[0], r[0], b, threads) != 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        sum[i] += in[i];
    out = rad_filter_from_double(img, sum);
done:
    for (int a = 0; a < 3; a++) {
        free(g[a]);
        free(g2[a]);
    }
    free(in);
    free(work);
    free(sum);
    return out;
}
