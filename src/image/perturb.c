/* radlab: image and mask perturbations (noise, rigid, ROI).  SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What and why: see src/image/perturb.h.  Notes on the choices made here.
 *
 * Noise level.  Immerkaer (1996) per slice, median over slices.  For pure
 * Gaussian noise of SD s the response of N is N(0, 36 s^2) (the squared
 * weights of N sum to 36) and E|X| = 6 s sqrt(2 / pi), hence the factor
 * sqrt(pi / 2) / 6.  The median over slices keeps a few slices with strong
 * edges (the top of an organ, a couch) from pulling the estimate up.
 *
 * Reproducible random numbers.  The polar method needs a logarithm and a
 * square root; sqrt is exact-rounded by IEEE 754 but libm's log is not
 * specified to the last bit, so det_log below uses frexp (exact) and the
 * series 2 atanh(y) of ln(m) for m in [sqrt(1/2), sqrt(2)), evaluated with
 * + - * / only.  Contraction of a * b + c into a fused multiply-add would
 * change results between machines, so it is switched off for this file.
 *
 * Rigid transform.  The resampler (resample.c) is separable along the index
 * axes and cannot rotate, so the rotation has its own trilinear sampler; it
 * keeps the resampler's conventions (nearest boundary value outside the
 * image, masks as a 0/1 field thresholded at 0.5) and maps positions with
 * the geometry's index <-> world functions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image/perturb.h"
#include "util/error.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

/* ---- noise level ------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int rad_image_noise_estimate(const RadImage *img, const RadMask *mask, double *sd)
{
    const size_t nx = img->geom.dim[0], ny = img->geom.dim[1], nz = img->geom.dim[2];
    const float *d = img->data;
    double *per;
    size_t ns = 0;
    if (mask && rad_check_same_geometry(img, mask, RAD_GEOMETRY_TOL) != 0)
        return -1;
    if (nx < 3 || ny < 3)
        return rad_error_set("noise estimate: the image is %zux%zu in-plane; Immerkaer's estimator needs slices of at "
                             "least 3x3 voxels", nx, ny);
    per = rad_malloc(nz * sizeof *per, "noise estimate");
    if (!per)
        return -1;
    for (size_t k = 0; k < nz; k++) {
        double sum = 0;
        size_t n = 0;
        for (size_t j = 1; j + 1 < ny; j++)
            for (size_t i = 1; i + 1 < nx; i++) {
                size_t v = i + nx * (j + ny * k);
                double c;
                if (mask && !rad_mask_in(mask, v))
                    continue;
                c = 4.0 * d[v] - 2.0 * ((double)d[v - 1] + d[v + 1] + d[v - nx] + d[v + nx]) +
                    ((double)d[v - nx - 1] + d[v - nx + 1] + d[v + nx - 1] + d[v + nx + 1]);
                if (!isfinite(c))
                    continue;
                sum += fabs(c);
                n++;
            }
        if (n)
            per[ns++] = sqrt(M_PI / 2) / 6.0 * sum / (double)n;
    }
    if (ns == 0) {
        free(per);
        return rad_error_set("noise estimate: no slice has a finite 3x3 neighbourhood%s; the estimator needs in-plane "
                             "neighbours of ROI voxels that are not on the image border",
                             mask ? " centred on an ROI voxel" : "");
    }
    qsort(per, ns, sizeof *per, cmp_double);
    *sd = ns % 2 ? per[ns / 2] : 0.5 * (per[ns / 2 - 1] + per[ns / 2]);
    free(per);
    return 0;
}

/* ---- reproducible Gaussian noise ----------------------------------------------- */

typedef struct Rng {
    uint64_t s[4];
} Rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256** */
static uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* uniform in [-1, 1) from the top 53 bits */
static double rng_sym(Rng *r) { return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0) * 2.0 - 1.0; }

/* ln(x) for finite x > 0 with + - * / and frexp only (see the top of the file) */
static double det_log(double x)
{
    int e;
    double m = frexp(x, &e), y, y2, s = 0;
    if (m < M_SQRT1_2) {
        m *= 2;
        e--;
    }
    y = (m - 1) / (m + 1); /* |y| <= 0.1716, y^2 <= 0.0295: 12 terms reach 1e-19 */
    y2 = y * y;
    for (int k = 23; k >= 1; k -= 2)
        s = s * y2 + 1.0 / k;
    return 2 * y * s + (double)e * 0.6931471805599453094172321;
}

RadImage *rad_image_add_noise(const RadImage *img, double sd, uint64_t seed)
{
    RadImage *out;
    Rng r;
    uint64_t x = seed;
    size_t n = rad_image_nvox(img);
    if (!(sd >= 0) || !isfinite(sd)) {
        rad_error_set("noise SD must be >= 0 and finite, got %g", sd);
        return NULL;
    }
    if (!(out = rad_image_copy(img)))
        return NULL;
    for (int i = 0; i < 4; i++)
        r.s[i] = splitmix64(&x);
    for (size_t v = 0; v < n;) {
        double u, w, s, f;
        do {
            u = rng_sym(&r);
            w = rng_sym(&r);
            s = u * u + w * w;
        } while (s >= 1 || s == 0);
        f = sqrt(-2 * det_log(s) / s);
        out->data[v] = (float)((double)img->data[v] + sd * (u * f));
        v++;
        if (v < n) {
            out->data[v] = (float)((double)img->data[v] + sd * (w * f));
            v++;
        }
    }
    return out;
}

/* ---- rigid transform ------------------------------------------------------------ */

static int inv3(const double a[9], double b[9])
{
    double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) +
                 a[2] * (a[3] * a[7] - a[4] * a[6]);
    if (!(fabs(det) > 0))
        return -1;
    b[0] = (a[4] * a[8] - a[5] * a[7]) / det;
    b[1] = (a[2] * a[7] - a[1] * a[8]) / det;
    b[2] = (a[1] * a[5] - a[2] * a[4]) / det;
    b[3] = (a[5] * a[6] - a[3] * a[8]) / det;
    b[4] = (a[0] * a[8] - a[2] * a[6]) / det;
    b[5] = (a[2] * a[3] - a[0] * a[5]) / det;
    b[6] = (a[3] * a[7] - a[4] * a[6]) / det;
    b[7] = (a[1] * a[6] - a[0] * a[7]) / det;
    b[8] = (a[0] * a[4] - a[1] * a[3]) / det;
    return 0;
}

static void mat3_mul(const double a[9], const double b[9], double c[9])
{
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 3; k++)
            c[3 * r + k] = a[3 * r] * b[k] + a[3 * r + 1] * b[3 + k] + a[3 * r + 2] * b[6 + k];
}

static double snap(double x)
{
    double r = nearbyint(x);
    return fabs(x - r) < 1e-6 ? r : x;
}

/* Image value at continuous index x (clamped to the grid: nearest boundary
 * value outside).  Terms of weight 0 are skipped, so a grid point returns
 * its voxel exactly. */
static double sample_image(const RadImage *img, const double x[3])
{
    const size_t *dim = img->geom.dim;
    size_t lo[3], hi[3];
    double t[3], sum = 0;
    for (int c = 0; c < 3; c++) {
        double v = x[c], f;
        if (v < 0)
            v = 0;
        if (v > (double)dim[c] - 1)
            v = (double)dim[c] - 1;
        f = floor(v);
        lo[c] = (size_t)f;
        t[c] = v - f;
        hi[c] = lo[c] + 1 < dim[c] ? lo[c] + 1 : lo[c];
    }
    for (int q = 0; q < 8; q++) {
        double w = 1;
        size_t ijk[3];
        for (int c = 0; c < 3; c++) {
            int up = (q >> c) & 1;
            w *= up ? t[c] : 1 - t[c];
            ijk[c] = up ? hi[c] : lo[c];
        }
        if (w != 0)
            sum += w * img->data[ijk[0] + dim[0] * (ijk[1] + dim[1] * ijk[2])];
    }
    return sum;
}

/* The ROI as a 0/1 field, zero outside the grid, trilinear at x. */
static double sample_mask(const RadMask *m, const double x[3])
{
    const size_t *dim = m->geom.dim;
    long lo[3];
    double t[3], sum = 0;
    for (int c = 0; c < 3; c++) {
        double f = floor(x[c]);
        if (x[c] <= -1 || x[c] >= (double)dim[c])
            return 0;
        lo[c] = (long)f;
        t[c] = x[c] - f;
    }
    for (int q = 0; q < 8; q++) {
        double w = 1;
        long ijk[3];
        int inside = 1;
        for (int c = 0; c < 3; c++) {
            int up = (q >> c) & 1;
            w *= up ? t[c] : 1 - t[c];
            ijk[c] = lo[c] + up;
            if (ijk[c] < 0 || ijk[c] >= (long)dim[c])
                inside = 0;
        }
        if (w != 0 && inside && rad_mask_in(m, (size_t)ijk[0] + dim[0] * ((size_t)ijk[1] + dim[1] * (size_t)ijk[2])))
            sum += w;
    }
    return sum;
}

int rad_perturb_rigid(const RadImage *img, const RadMask *m, double degrees, const double shift[3], RadImage **img_out,
                      RadMask **mask_out)
{
    const RadGeometry *g = &img->geom;
    const size_t nx = g->dim[0], ny = g->dim[1], nz = g->dim[2];
    double a[9], ai[9], rt[9], tmp[9], mat[9], idx_c[3] = {0, 0, 0}, b[3];
    double th = degrees * M_PI / 180.0, cs, sn;
    size_t count = 0;
    RadImage *oi;
    RadMask *om;
    *img_out = NULL;
    *mask_out = NULL;
    if (!isfinite(degrees))
        return rad_error_set("rotation angle must be a finite number of degrees, got %g", degrees);
    for (int c = 0; c < 3; c++)
        if (!isfinite(shift[c]))
            return rad_error_set("translation must be finite, axis %c has %g", "xyz"[c], shift[c]);
    if (rad_check_same_geometry(img, m, RAD_GEOMETRY_TOL) != 0)
        return -1;
    /* ROI centre as a mean index (exact for symmetric ROIs), then world */
    for (size_t k = 0, v = 0; k < nz; k++)
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++, v++)
                if (rad_mask_in(m, v)) {
                    idx_c[0] += (double)i;
                    idx_c[1] += (double)j;
                    idx_c[2] += (double)k;
                    count++;
                }
    if (!count)
        return rad_error_set("the mask selects no voxels; a rotation is made about the ROI centre");
    for (int c = 0; c < 3; c++)
        idx_c[c] /= (double)count;
    /* A = D diag(spacing): index -> world offset */
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++)
            a[3 * r + c] = g->direction[3 * r + c] * g->spacing[c];
    if (inv3(a, ai) != 0)
        return rad_error_set("the image's direction matrix is singular");
    /* output index i samples the input at  M i + b  with
     *   M = A^-1 R^T A,  b = (I - M) i_c - s   (i_c: ROI centre index, s: shift)
     * i.e. rotation about the centre in world space, translation in voxels */
    cs = cos(th);
    sn = sin(th);
    {
        double r_t[9] = {cs, sn, 0, -sn, cs, 0, 0, 0, 1}; /* R^T, R rotating +x towards +y */
        memcpy(rt, r_t, sizeof rt);
    }
    mat3_mul(rt, a, tmp);
    mat3_mul(ai, tmp, mat);
    for (int r = 0; r < 3; r++)
        b[r] = idx_c[r] - (mat[3 * r] * idx_c[0] + mat[3 * r + 1] * idx_c[1] + mat[3 * r + 2] * idx_c[2]) - shift[r];
    if (!(oi = rad_image_new(g)))
        return -1;
    if (!(om = rad_mask_new(g))) {
        rad_image_free(oi);
        return -1;
    }
    om->label = 1;
    for (size_t k = 0, v = 0; k < nz; k++) {
        if (rad_interrupt_check() != 0) {
            rad_image_free(oi);
            rad_mask_free(om);
            return -1;
        }
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++, v++) {
                double p[3] = {(double)i, (double)j, (double)k}, x[3];
                for (int r = 0; r < 3; r++)
                    x[r] = snap(mat[3 * r] * p[0] + mat[3 * r + 1] * p[1] + mat[3 * r + 2] * p[2] + b[r]);
                if (nz == 1)
                    x[2] = 0;
                oi->data[v] = (float)sample_image(img, x);
                om->data[v] = sample_mask(m, x) >= 0.5;
            }
    }
    *img_out = oi;
    *mask_out = om;
    return 0;
}

/* ---- erosion, dilation, volume change ----------------------------------------- */

/* Neighbour offsets for connectivity 6 or 26; in-plane only when flat. */
static int neighbours(int conn, int flat, int off[26][3])
{
    int n = 0;
    for (int dz = -1; dz <= 1; dz++)
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int l1 = abs(dx) + abs(dy) + abs(dz);
                if (l1 == 0 || (flat && dz != 0) || (conn == 6 && l1 != 1))
                    continue;
                off[n][0] = dx;
                off[n][1] = dy;
                off[n][2] = dz;
                n++;
            }
    return n;
}

/* Linear index of (i,j,k) + off, or -1 when outside the grid. */
static long step(const size_t dim[3], size_t v, const int off[3])
{
    long i = (long)(v % dim[0]), j = (long)(v / dim[0] % dim[1]), k = (long)(v / dim[0] / dim[1]);
    i += off[0];
    j += off[1];
    k += off[2];
    if (i < 0 || j < 0 || k < 0 || i >= (long)dim[0] || j >= (long)dim[1] || k >= (long)dim[2])
        return -1;
    return i + (long)dim[0] * (j + (long)dim[1] * k);
}

/* The selected label as a binary mask (label 1). */
static RadMask *binary_copy(const RadMask *m, size_t *count)
{
    RadMask *b = rad_mask_new(&m->geom);
    size_t n = rad_mask_nvox(m), c = 0;
    if (!b)
        return NULL;
    b->label = 1;
    for (size_t v = 0; v < n; v++)
        c += b->data[v] = (uint8_t)rad_mask_in(m, v);
    *count = c;
    return b;
}

static int check_conn(int conn)
{
    if (conn != 6 && conn != 26)
        return rad_error_set("connectivity must be 6 or 26 (in-plane 4 or 8 for one slice), got %d", conn);
    return 0;
}

static RadMask *morph(const RadMask *m, int conn, int erode)
{
    int off[26][3], nn;
    size_t n = rad_mask_nvox(m), count, left = 0;
    RadMask *b, *out;
    if (check_conn(conn) != 0 || !(b = binary_copy(m, &count)))
        return NULL;
    if (!(out = rad_mask_copy(b))) {
        rad_mask_free(b);
        return NULL;
    }
    nn = neighbours(conn, m->geom.dim[2] == 1, off);
    for (size_t v = 0; v < n; v++) {
        if (b->data[v] == erode) {
            for (int q = 0; q < nn; q++) {
                long w = step(m->geom.dim, v, off[q]);
                if (erode ? (w < 0 || !b->data[w]) : (w >= 0 && b->data[w])) {
                    out->data[v] = !erode;
                    break;
                }
            }
        }
        left += out->data[v];
    }
    rad_mask_free(b);
    if (erode && left == 0) {
        rad_mask_free(out);
        rad_error_set("erosion by one voxel (connectivity %d) leaves the ROI empty: its %zu voxels are nowhere thicker "
                      "than 2 voxels; use a volume fraction (e.g. volume = -0.1) or skip erosion for this ROI",
                      conn, count);
        return NULL;
    }
    return out;
}

RadMask *rad_mask_erode(const RadMask *m, int connectivity) { return morph(m, connectivity, 1); }
RadMask *rad_mask_dilate(const RadMask *m, int connectivity) { return morph(m, connectivity, 0); }

typedef struct Ranked {
    size_t v;
    int score;
} Ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const Ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->v < y->v ? -1 : x->v > y->v;
}

RadMask *rad_mask_change_volume(const RadMask *m, double fraction)
{
    int off6[26][3], off26[26][3], n6, n26, flat = m->geom.dim[2] == 1;
    size_t n = rad_mask_nvox(m), count, target;
    double want;
    Ranked *layer;
    RadMask *b;
    if (!isfinite(fraction) || fraction <= -1)
        return rad_error_set("volume change must be a fraction above -1 (e.g. -0.1 or 0.1), got %g", fraction), NULL;
    if (!(b = binary_copy(m, &count)))
        return NULL;
    if (count == 0) {
        rad_mask_free(b);
        return rad_error_set("the mask selects no voxels; there is no volume to change"), NULL;
    }
    want = nearbyint((double)count * (1 + fraction));
    if (want < 1) {
        rad_mask_free(b);
        return rad_error_set("volume change %g of an ROI of %zu voxels leaves %g voxels, an empty ROI; use a change "
                             "closer to 0", fraction, count, want), NULL;
    }
    if (want > (double)n) {
        rad_mask_free(b);
        return rad_error_set("volume change %g of an ROI of %zu voxels asks for %g voxels, more than the image's %zu",
                             fraction, count, want, n), NULL;
    }
    target = (size_t)want;
    n6 = neighbours(6, flat, off6);
    n26 = neighbours(26, flat, off26);
    if (!(layer = rad_malloc(n * sizeof *layer, "volume change"))) {
        rad_mask_free(b);
        return NULL;
    }
    while (count != target) {
        int grow = count < target;
        size_t nl = 0, take;
        for (size_t v = 0; v < n; v++) {
            if (b->data[v] == grow)
                continue; /* grow: background voxels; shrink: ROI voxels */
            for (int q = 0; q < n6; q++) {
                long w = step(m->geom.dim, v, off6[q]);
                int border = grow ? (w >= 0 && b->data[w]) : (w < 0 || !b->data[w]);
                if (border) {
                    int score = 0;
                    for (int r = 0; r < n26; r++) {
                        long u = step(m->geom.dim, v, off26[r]);
                        score += grow ? (u >= 0 && b->data[u]) : (u < 0 || !b->data[u]);
                    }
                    layer[nl].v = v;
                    layer[nl].score = score;
                    nl++;
                    break;
                }
            }
        }
        if (nl == 0) { /* shrinking always finds a boundary; growing may not */
            free(layer);
            rad_mask_free(b);
            return rad_error_set("volume change %g: the ROI fills the image and cannot grow", fraction), NULL;
        }
        take = grow ? target - count : count - target;
        if (take < nl)
            qsort(layer, nl, sizeof *layer, cmp_ranked);
        else
            take = nl;
        for (size_t q = 0; q < take; q++)
            b->data[layer[q].v] = (uint8_t)grow;
        count = grow ? count + take : count - take;
    }
    free(layer);
    return b;
}
