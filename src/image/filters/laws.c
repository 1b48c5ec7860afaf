/* radlab: Laws kernels (IBSI 2 reference manual, "Laws kernels").
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The 1-D kernels, normalised as the manual lists them:
 *   L3 = [1 2 1]/sqrt(6)   E3 = [-1 0 1]/sqrt(2)    S3 = [-1 2 -1]/sqrt(6)
 *   L5 = [1 4 6 4 1]/sqrt(70)   E5 = [-1 -2 0 2 1]/sqrt(10)
 *   S5 = [-1 0 2 0 -1]/sqrt(6)  W5 = [-1 2 0 -2 1]/sqrt(10)
 *   R5 = [1 -4 6 -4 1]/sqrt(70)
 * A filter is a product of one 1-D kernel per axis, named in axis order x,
 * y(, z): "E5L5S5" is E5 along x, L5 along y, S5 along z; the image is
 * convolved with it (the kernel reversed, then correlated).
 *
 * Rotation invariance: the image is filtered with the kernel turned by every
 * right-angle rotation (24 in 3D, 4 in 2D in-plane), the responses pooled
 * voxel-wise (max, mean or min).  A rotation R is a signed permutation (R e_a
 * = s_a e_pi(a), det R = +1); the turned kernel K(R^T p) puts the 1-D kernel
 * of axis a on axis pi(a), reversed when s_a = -1.  Every Laws kernel is
 * symmetric or antisymmetric, so a reversed kernel is the kernel itself or
 * its negative: the distinct responses (one per placement of the 1-D
 * kernels, at most 6) are computed once and pooled with their signs.
 *
 * Energy map (delta > 0): the mean of |response| over the (2 delta + 1)^d
 * neighbourhood of each voxel, under the same boundary condition, computed
 * from the pooled response when rotation invariance is asked for. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image/filters/filter.h"
#include "util/error.h"

typedef struct LawsKernel {
    const char *name;
    int m;
    double v[5];
    double norm;
} LawsKernel;

static const LawsKernel laws_kernels[] = {
    {"L3", 3, {1, 2, 1}, 6},          {"E3", 3, {-1, 0, 1}, 2},         {"S3", 3, {-1, 2, -1}, 6},
    {"L5", 5, {1, 4, 6, 4, 1}, 70},   {"E5", 5, {-1, -2, 0, 2, 1}, 10}, {"S5", 5, {-1, 0, 2, 0, -1}, 6},
    {"W5", 5, {-1, 2, 0, -2, 1}, 10}, {"R5", 5, {1, -4, 6, -4, 1}, 70}};
#define NLAWS (int)(sizeof laws_kernels / sizeof laws_kernels[0])

/* the kernel names of `s` (e.g. "E5L5S5", any case) -> indices; count or -1 */
static int parse_kernel(const char *s, int idx[3])
{
    int n = 0;
    while (*s) {
        int found = -1;
        for (int k = 0; k < NLAWS; k++)
            if (toupper((unsigned char)s[0]) == laws_kernels[k].name[0] && s[1] == laws_kernels[k].name[1])
                found = k;
        if (found < 0 || n == 3)
            return -1;
        idx[n++] = found;
        s += 2;
    }
    return n;
}

/* +1 symmetric, -1 antisymmetric */
static int parity(const LawsKernel *k)
{
    for (int t = 0; t < k->m; t++)
        if (k->v[t] != k->v[k->m - 1 - t])
            return -1;
    return 1;
}

/* One placement: the Laws kernel index on each output axis. */
typedef struct Placement {
    int k[3];
} Placement;

/* All right-angle rotations of a d-D kernel (1-D kernels kid[0..d-1]) as
 * placements and signs; returns the count. */
static int rotations(int d, const int kid[3], Placement *pl, int *sign)
{
    static const int perms3[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    static const int psign3[6] = {1, -1, -1, 1, 1, -1};
    static const int perms2[2][3] = {{0, 1, 2}, {1, 0, 2}};
    static const int psign2[2] = {1, -1};
    int np = d == 3 ? 6 : 2, n = 0;
    for (int p = 0; p < np; p++) {
        const int *pi = d == 3 ? perms3[p] : perms2[p];
        int ps = d == 3 ? psign3[p] : psign2[p];
        for (int sbits = 0; sbits < (1 << d); sbits++) {
            int det = ps, sg = 1;
            Placement q = {{0, 0, 0}};
            for (int a = 0; a < d; a++) {
                int s = (sbits >> a) & 1 ? -1 : 1;
                det *= s;
                q.k[pi[a]] = kid[a];
                if (s < 0)
                    sg *= parity(&laws_kernels[kid[a]]);
            }
            if (det != 1)
                continue;
            pl[n] = q;
            sign[n] = sg;
            n++;
        }
    }
    return n;
}

/* Convolve `work` with the placement's kernels along the first d axes. */
static int convolve(double *work, const size_t dim[3], int d, const Placement *q, RadBoundary b, int threads)
{
    for (int a = 0; a < d; a++) {
        const LawsKernel *k = &laws_kernels[q->k[a]];
        double rev[5];
        for (int t = 0; t < k->m; t++)
            rev[t] = k->v[k->m - 1 - t] / sqrt(k->norm);
        if (rad_filter_axis_d(work, dim, a, rev, (size_t)k->m, (size_t)(k->m / 2), b, threads) != 0)
            return -1;
    }
    return 0;
}

RadImage *rad_filter_laws(const RadImage *img, const char *kernel, int energy, int rotation_invariant,
                          RadFilterPooling pooling, int dims, RadBoundary b, int threads)
{
    int kid[3], nk, nrot = 1, sign[24], done[24];
    Placement pl[24];
    size_t radius = 0, n;
    double *in = NULL, *work = NULL, *pool = NULL;
    RadImage *out = NULL;

    if (!kernel || (nk = parse_kernel(kernel, kid)) < 0) {
        rad_error_set("Laws filter: kernel '%s' is not a product of known 1-D kernels (L3 E3 S3 L5 E5 S5 W5 R5), "
                      "e.g. \"L5E5E5\" (3D) or \"L5S5\" (2D)",
                      kernel ? kernel : "(none)");
        return NULL;
    }
    if (dims != 2 && dims != 3) {
        rad_error_set("Laws filter: dims must be 2 (each axial slice) or 3 (the volume), got %d", dims);
        return NULL;
    }
    if (nk != dims) {
        rad_error_set("Laws filter: kernel '%s' has %d 1-D kernel%s, a %dD filter needs %d (one per axis, x first), "
                      "e.g. %s",
                      kernel, nk, nk == 1 ? "" : "s", dims, dims, dims == 3 ? "\"L5E5E5\"" : "\"L5E5\"");
        return NULL;
    }
    if (energy < 0) {
        rad_error_set("Laws filter: energy (the distance delta of the energy map, voxels) must be >= 0 (0: no energy "
                      "map), got %d",
                      energy);
        return NULL;
    }
    if ((int)pooling < (int)RAD_FILTER_POOL_MAX || (int)pooling > (int)RAD_FILTER_POOL_MIN) {
        rad_error_set("Laws filter: unknown pooling %d (max, mean or min)", (int)pooling);
        return NULL;
    }
    for (int a = 0; a < dims; a++)
        if ((size_t)(laws_kernels[kid[a]].m / 2) > radius)
            radius = (size_t)(laws_kernels[kid[a]].m / 2);
    if ((size_t)energy > radius)
        radius = (size_t)energy;
    if (rad_filter_check_image(img, dims, radius, "Laws filter") != 0)
        return NULL;

    if (rotation_invariant)
        nrot = rotations(dims, kid, pl, sign);
    else {
        pl[0].k[0] = kid[0];
        pl[0].k[1] = kid[1];
        pl[0].k[2] = dims == 3 ? kid[2] : 0;
        sign[0] = 1;
    }
    n = rad_image_nvox(img);
    if (!(in = rad_filter_to_double(img)))
        goto fail;
    work = rad_malloc(n * sizeof *work, "a Laws response");
    pool = rad_malloc(n * sizeof *pool, "a Laws response");
    if (!work || !pool) {
        rad_error_set("Laws filter: out of memory (%zu MB of working buffers)", (2 * n * sizeof(double)) >> 20);
        goto fail;
    }
    memset(done, 0, sizeof done);
    for (int r = 0; r < nrot; r++) {
        int sg[24], ns = 0, first;
        if (done[r])
            continue;
        memcpy(work, in, n * sizeof *work);
        if (convolve(work, img->geom.dim, dims, &pl[r], b, threads) != 0)
            goto fail;
        /* every rotation with this placement, with its sign, pooled in
         * rotation order in one pass over the voxels */
        first = r == 0;
        for (int q = r; q < nrot; q++)
            if (!done[q] && memcmp(&pl[q], &pl[r], sizeof pl[r]) == 0) {
                done[q] = 1;
                sg[ns++] = sign[q];
            }
        for (size_t i = 0; i < n; i++) {
            double p = first ? 0 : pool[i];
            for (int t = 0; t < ns; t++) {
                double v = sg[t] * work[i];
                if (first && t == 0)
                    p = v;
                else if (pooling == RAD_FILTER_POOL_MAX)
                    p = v > p ? v : p;
                else if (pooling == RAD_FILTER_POOL_MIN)
                    p = v < p ? v : p;
                else
                    p += v;
            }
            pool[i] = p;
        }
    }
    if (pooling == RAD_FILTER_POOL_MEAN && nrot > 1)
        for (size_t i = 0; i < n; i++)
            pool[i] /= nrot;
    if (energy > 0) {
        size_t m = 2 * (size_t)energy + 1;
        double *k = malloc(m * sizeof *k);
        if (!k) {
            rad_error_set("Laws filter: out of memory");
            goto fail;
        }
        for (size_t t = 0; t < m; t++)
            k[t] = 1.0 / (double)m;
        for (size_t i = 0; i < n; i++)
            pool[i] = fabs(pool[i]);
        for (int a = 0; a < dims; a++)
            if (rad_filter_axis_d(pool, img->geom.dim, a, k, m, (size_t)energy, b, threads) != 0) {
                free(k);
                goto fail;
            }
        free(k);
    }
    out = rad_filter_from_double(img, pool);
fail:
    free(in);
    free(work);
    free(pool);
    return out;
}
