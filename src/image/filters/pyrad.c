/* radlab: PyRadiomics' image types as filters: square, square root,
 * logarithm, exponential, gradient magnitude and 2D local binary patterns.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The definitions are PyRadiomics' (radiomics/imageoperations.py, version
 * 3): with m = max |x| over the image given,
 *   square       f = (x / sqrt m)^2
 *   squareroot   f = sign(x) sqrt(m |x|)
 *   logarithm    g = sign(x) log(|x| + 1),  f = g m / max |g|
 *   exponential  f = exp(x log(m) / m)
 * so square, square root and logarithm keep the intensity range [-m, m]
 * (PyRadiomics applies them to the image cropped to the mask's bounding box
 * grown by padDistance; compatibility mode does the same).  Gradient is
 * ITK's GradientMagnitudeImageFilter: central differences (x[i+1] -
 * x[i-1]) / 2, divided by the spacing unless use_spacing is false, the
 * edge voxel repeated outside the image, magnitude over the image's axes.
 * LBP 2D is scikit-image's local_binary_pattern applied to each axial slice
 * (rows y, columns x): P points at radius R, point p at (row, column)
 * offset (-R sin(2 pi p / P), R cos(2 pi p / P)) rounded to 5 decimals,
 * sampled bilinearly with 0 outside the slice; bit p is set when the sample
 * is >= the centre.  default: sum of bit p 2^p; uniform: the number of set
 * bits when the bits change at most twice along p = 0..P-1 (no wrap-around,
 * as scikit-image counts), else P + 1; ror: the smallest value of the
 * default code over the P circular rotations of the bits.  (scikit-image's
 * var and nri_uniform methods are not offered.)
 * The PyRadiomics wavelet is its _swt3: an axis of odd size grows by one
 * voxel (a copy of its first, numpy's "wrap" padding), then PyWavelets'
 * swtn of level 1 along the filtered axes -- periodic, the decomposition
 * filters dec_lo / dec_hi aligned as out[i] = sum_k f[k] in[(i - k + m/2)
 * mod n] -- and the result cropped back.  Level L repeats the level-1
 * transform on the previous level's approximation (no dilated filters: this
 * is PyRadiomics' level, not the IBSI's a trous level). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image/filters/filter.h"
#include "image/filters/pyrad.h"
#include "image/filters/wavelet.h"
#include "image/filters/wavelet_coef.h"
#include "util/error.h"
#include "util/pool.h"

int rad_lbp_method_parse(const char *name)
{
    static const char *const names[] = {"default", "uniform", "ror"};
    if (!name)
        return -1;
    for (int i = 0; i < 3; i++)
        if (strcasecmp(name, names[i]) == 0)
            return i;
    return -1;
}

const char *rad_lbp_method_name(int m)
{
    static const char *const names[] = {"default", "uniform", "ror"};
    return m >= 0 && m < 3 ? names[m] : "?";
}

static double max_abs(const RadImage *img)
{
    size_t n = rad_image_nvox(img);
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double a = fabs((double)img->data[i]);
        if (a > m)
            m = a;
    }
    return m;
}

RadImage *rad_filter_pointwise(const RadImage *img, RadFilterKind kind)
{
    static const char *const what[] = {"square", "squareroot", "logarithm", "exponential"};
    const char *name = what[kind == RAD_FILTER_SQUARE ? 0 : kind == RAD_FILTER_SQUAREROOT ? 1
                            : kind == RAD_FILTER_LOGARITHM ? 2 : 3];
    RadImage *out;
    size_t n;
    double m, g = 0;
    if (!img || !img->data) {
        rad_error_set("%s: no image", name);
        return NULL;
    }
    n = rad_image_nvox(img);
    m = max_abs(img);
    if (!(m > 0) || !isfinite(m)) {
        rad_error_set("%s filter: the largest |intensity| is %g; the filter scales by it and needs a finite value > 0 "
                      "(an image of zeros has no %s image)",
                      name, m, name);
        return NULL;
    }
    if (!(out = rad_image_alloc(&img->geom)))
        return NULL;
    switch (kind) {
    case RAD_FILTER_SQUARE:
        for (size_t i = 0; i < n; i++) {
            double x = img->data[i] / sqrt(m);
            out->data[i] = (float)(x * x);
        }
        break;
    case RAD_FILTER_SQUAREROOT:
        for (size_t i = 0; i < n; i++) {
            double x = img->data[i];
            out->data[i] = (float)(x > 0 ? sqrt(x * m) : x < 0 ? -sqrt(-x * m) : 0);
        }
        break;
    case RAD_FILTER_LOGARITHM:
        for (size_t i = 0; i < n; i++) {
            double x = img->data[i];
            double y = x > 0 ? log(x + 1) : x < 0 ? -log(1 - x) : 0;
            if (fabs(y) > g)
                g = fabs(y);
        }
        for (size_t i = 0; i < n; i++) {
            double x = img->data[i];
            double y = x > 0 ? log(x + 1) : x < 0 ? -log(1 - x) : 0;
            out->data[i] = (float)(y * (m / g));
        }
        break;
    default: {
        double c = log(m) / m;
        for (size_t i = 0; i < n; i++)
            out->data[i] = (float)exp(c * img->data[i]);
        break;
    }
    }
    return out;
}

/* ---- gradient magnitude -------------------------------------------------------- */

typedef struct GradJob {
    const RadImage *img;
    RadImage *out;
    int naxes;
    double scale[3]; /* 1 / (2 spacing) or 1/2 */
} GradJob;

static int grad_slice(size_t k, void *arg)
{
    const GradJob *j = arg;
    const size_t nx = j->img->geom.dim[0], ny = j->img->geom.dim[1];
    const size_t nz = j->img->geom.ndim > 2 ? j->img->geom.dim[2] : 1;
    const float *d = j->img->data;
    for (size_t y = 0; y < ny; y++)
        for (size_t x = 0; x < nx; x++) {
            size_t i = (k * ny + y) * nx + x;
            double s = 0, g;
            /* neighbours with the edge voxel repeated outside */
            g = (d[i + (x + 1 < nx)] - d[i - (x > 0)]) * j->scale[0];
            s += g * g;
            g = (d[i + (y + 1 < ny) * nx] - d[i - (y > 0) * nx]) * j->scale[1];
            s += g * g;
            if (j->naxes == 3) {
                g = (d[i + (k + 1 < nz) * nx * ny] - d[i - (k > 0) * nx * ny]) * j->scale[2];
                s += g * g;
            }
            j->out->data[i] = (float)sqrt(s);
        }
    return 0;
}

RadImage *rad_filter_gradient(const RadImage *img, int use_spacing, int dims, int threads)
{
    GradJob j;
    size_t nz;
    if (rad_filter_check_image(img, dims, 0, "gradient filter") != 0)
        return NULL;
    memset(&j, 0, sizeof j);
    j.img = img;
    j.naxes = dims;
    for (int a = 0; a < 3; a++)
        j.scale[a] = 0.5 / (use_spacing && a < img->geom.ndim ? img->geom.spacing[a] : 1.0);
    if (!(j.out = rad_image_alloc(&img->geom)))
        return NULL;
    nz = img->geom.ndim > 2 ? img->geom.dim[2] : 1;
    if (rad_pool_run(nz, threads, grad_slice, &j, 0, NULL) != 0) {
        rad_error_set("gradient filter: interrupted");
        rad_image_free(j.out);
        return NULL;
    }
    return j.out;
}

/* ---- local binary patterns, 2D ------------------------------------------------- */

typedef struct LbpJob {
    const RadImage *img;
    RadImage *out;
    int points, method;
    double *dr, *dc; /* offsets of the points (rows, columns) */
} LbpJob;

/* the slice value at (r, c), 0 outside */
static double at(const float *s, long nr, long nc, long r, long c)
{
    return r < 0 || c < 0 || r >= nr || c >= nc ? 0.0 : (double)s[r * nc + c];
}

static int lbp_slice(size_t k, void *arg)
{
    const LbpJob *j = arg;
    const long nc = (long)j->img->geom.dim[0], nr = (long)j->img->geom.dim[1];
    const float *s = j->img->data + (size_t)k * (size_t)(nr * nc);
    float *o = j->out->data + (size_t)k * (size_t)(nr * nc);
    const int P = j->points;
    int bit[64];
    for (long r = 0; r < nr; r++)
        for (long c = 0; c < nc; c++) {
            double centre = s[r * nc + c], v = 0;
            for (int p = 0; p < P; p++) {
                double rr = r + j->dr[p], cc = c + j->dc[p];
                long r0 = (long)floor(rr), c0 = (long)floor(cc), r1 = (long)ceil(rr), c1 = (long)ceil(cc);
                double fr = rr - r0, fc = cc - c0;
                double top = (1 - fc) * at(s, nr, nc, r0, c0) + fc * at(s, nr, nc, r0, c1);
                double bottom = (1 - fc) * at(s, nr, nc, r1, c0) + fc * at(s, nr, nc, r1, c1);
                bit[p] = (1 - fr) * top + fr * bottom - centre >= 0;
            }
            switch (j->method) {
            case RAD_LBP_DEFAULT:
                for (int p = 0; p < P; p++)
                    v += bit[p] ? ldexp(1.0, p) : 0;
                break;
            case RAD_LBP_UNIFORM: {
                int changes = 0, ones = 0;
                for (int p = 0; p + 1 < P; p++)
                    changes += bit[p] != bit[p + 1];
                for (int p = 0; p < P; p++)
                    ones += bit[p];
                v = changes <= 2 ? ones : P + 1;
                break;
            }
            default: { /* ror */
                double best = INFINITY;
                for (int rot = 0; rot < P; rot++) {
                    double code = 0;
                    for (int p = 0; p < P; p++)
                        code += bit[(p + rot) % P] ? ldexp(1.0, p) : 0;
                    if (code < best)
                        best = code;
                }
                v = best;
                break;
            }
            }
            o[r * nc + c] = (float)v;
        }
    return 0;
}

RadImage *rad_filter_lbp2d(const RadImage *img, int points, double radius, int method, int threads)
{
    LbpJob j;
    double dr[64], dc[64];
    size_t nz;
    if (points < 1 || points > 32) {
        rad_error_set("lbp2d filter: points must be 1..32 (the samples on the circle), got %d", points);
        return NULL;
    }
    if (!(radius > 0) || !isfinite(radius)) {
        rad_error_set("lbp2d filter: radius must be > 0 voxels, got %g", radius);
        return NULL;
    }
    if (method < RAD_LBP_DEFAULT || method > RAD_LBP_ROR) {
        rad_error_set("lbp2d filter: unknown method %d (default, uniform or ror)", method);
        return NULL;
    }
    if (rad_filter_check_image(img, 2, 0, "lbp2d filter") != 0)
        return NULL;
    for (int p = 0; p < points; p++) {
        /* scikit-image rounds the offsets to 5 decimals */
        dr[p] = rint(-radius * sin(2 * M_PI * p / points) * 1e5) / 1e5;
        dc[p] = rint(radius * cos(2 * M_PI * p / points) * 1e5) / 1e5;
    }
    memset(&j, 0, sizeof j);
    j.img = img, j.points = points, j.method = method, j.dr = dr, j.dc = dc;
    if (!(j.out = rad_image_alloc(&img->geom)))
        return NULL;
    nz = img->geom.ndim > 2 ? img->geom.dim[2] : 1;
    if (rad_pool_run(nz, threads, lbp_slice, &j, 0, NULL) != 0) {
        rad_error_set("lbp2d filter: interrupted");
        rad_image_free(j.out);
        return NULL;
    }
    return j.out;
}

/* ---- PyRadiomics' wavelet (PyWavelets' swtn) ------------------------------------- */

/* Periodic correlation of every line along `axis` of d (dims n) with the m
 * taps f aligned as PyWavelets' swt: out[i] = sum_k f[k] in[(i - k + m/2) mod n]. */
static int swt_axis(double *d, const size_t n[3], int axis, const double *f, int m)
{
    const size_t len = n[axis];
    const size_t stride = axis == 0 ? 1 : axis == 1 ? n[0] : n[0] * n[1];
    const size_t lines = n[0] * n[1] * n[2] / len;
    double *in = malloc(len * sizeof *in);
    if (!in)
        return rad_error_set("pywavelet filter: out of memory");
    for (size_t l = 0; l < lines; l++) {
        /* the first voxel of line l: lines run over the other two axes */
        size_t base;
        if (axis == 0)
            base = l * n[0];
        else if (axis == 1)
            base = (l / n[0]) * n[0] * n[1] + l % n[0];
        else
            base = l;
        for (size_t i = 0; i < len; i++)
            in[i] = d[base + i * stride];
        for (size_t i = 0; i < len; i++) {
            double s = 0;
            for (int k = 0; k < m; k++) {
                long j = ((long)i - k + m / 2) % (long)len;
                s += f[k] * in[j < 0 ? j + (long)len : j];
            }
            d[base + i * stride] = s;
        }
    }
    free(in);
    return 0;
}

RadImage *rad_filter_pywavelet(const RadImage *img, const char *family, const char *band, int level, int dims)
{
    double lo[RAD_WAVELET_MAXLEN], hi[RAD_WAVELET_MAXLEN];
    size_t n[3], pn[3], total = 1;
    double *d;
    RadImage *out;
    int m;
    if ((m = rad_wavelet_filter(family, lo)) < 0)
        return NULL;
    if ((int)strlen(band) != dims || strspn(band, "LH") != strlen(band)) {
        rad_error_set("pywavelet filter: band '%s' must have one L or H per filtered axis, x first (%d letters for "
                      "dims = %d, e.g. \"%s\")",
                      band, dims, dims, dims == 3 ? "LLH" : "LH");
        return NULL;
    }
    if (level < 1 || level > 16) {
        rad_error_set("pywavelet filter: level must be 1..16, got %d", level);
        return NULL;
    }
    if (rad_filter_check_image(img, dims, 0, "pywavelet filter") != 0)
        return NULL;
    /* PyWavelets' dec_hi from dec_lo (the reversed scaling filter h):
     * dec_hi[k] = (-1)^(k+1) h[k] = (-1)^(k+1) dec_lo[m-1-k] */
    for (int k = 0; k < m; k++)
        hi[k] = (k % 2 ? 1 : -1) * lo[m - 1 - k];
    for (int a = 0; a < 3; a++) {
        n[a] = a < img->geom.ndim ? img->geom.dim[a] : 1;
        pn[a] = n[a] + (n[a] % 2); /* odd sizes grow by one wrapped voxel */
        total *= pn[a];
    }
    if (!(d = malloc(total * sizeof *d))) {
        rad_error_set("pywavelet filter: out of memory (%zu MB)", (total * sizeof *d) >> 20);
        return NULL;
    }
    for (size_t z = 0; z < pn[2]; z++)
        for (size_t y = 0; y < pn[1]; y++)
            for (size_t x = 0; x < pn[0]; x++)
                d[(z * pn[1] + y) * pn[0] + x] =
                    img->data[((z % n[2]) * n[1] + y % n[1]) * n[0] + x % n[0]];
    /* levels 1 .. level - 1 keep the approximation (low-pass on every
     * filtered axis); the last level takes the band */
    for (int l = 1; l <= level; l++)
        for (int a = 0; a < dims; a++)
            if (swt_axis(d, pn, a, l < level || band[a] == 'L' ? lo : hi, m) != 0) {
                free(d);
                return NULL;
            }
    if (!(out = rad_image_alloc(&img->geom))) {
        free(d);
        return NULL;
    }
    for (size_t z = 0; z < n[2]; z++)
        for (size_t y = 0; y < n[1]; y++)
            for (size_t x = 0; x < n[0]; x++)
                out->data[(z * n[1] + y) * n[0] + x] = (float)d[(z * pn[1] + y) * pn[0] + x];
    free(d);
    return out;
}
