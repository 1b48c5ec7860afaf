/* radlab: the IBSI 2 Gabor filter (see gabor.h).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each slice of a plane is padded by the kernel's half-widths with the
 * boundary condition, transformed once (FFTW, complex 2D), and multiplied by
 * the transform of each orientation's kernel; one inverse transform per
 * orientation gives the convolution, whose centre part is the response.  The
 * transform length L >= n + 2 r along each axis, so the circular
 * convolution equals the linear one on the output voxels.  Slices run on the
 * thread pool; each writes its own voxels of the plane's result.
 *
 * The transforms are single precision (FFTW's fftwf_*, twice the SIMD width
 * of double): the slice transform's rounding is about 1e-7 of the slice's
 * largest values, far inside the IBSI 2 tolerance (1 % of the response
 * range), and the pooling sums in double. */
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image/filters/gabor.h"
#include "util/error.h"
#include "util/fft.h"
#include "util/pool.h"
#include "util/vec.h"

/* envelope extent in widths of the wider envelope axis */
#define GABOR_TRUNCATE 4.0

void rad_gabor_options_init(RadGaborOptions *o)
{
    memset(o, 0, sizeof *o);
    o->gamma = 1;
    o->response = RAD_GABOR_MODULUS;
    o->dims = 2;
    o->pooling = RAD_GABOR_POOL_MEAN;
    o->boundary = RAD_BOUNDARY_MIRROR;
}

int rad_gabor_response_parse(const char *name)
{
    static const struct {
        const char *name;
        int r;
    } names[] = {{"modulus", RAD_GABOR_MODULUS}, {"magnitude", RAD_GABOR_MODULUS}, {"abs", RAD_GABOR_MODULUS},
                 {"real", RAD_GABOR_REAL},       {"imaginary", RAD_GABOR_IMAGINARY}, {"imag", RAD_GABOR_IMAGINARY}};
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0)
            return names[i].r;
    return -1;
}

const char *rad_gabor_response_name(int response)
{
    switch (response) {
    case RAD_GABOR_MODULUS:
        return "modulus";
    case RAD_GABOR_REAL:
        return "real";
    case RAD_GABOR_IMAGINARY:
        return "imaginary";
    }
    return "?";
}

int rad_gabor_pooling_parse(const char *name)
{
    if (!name)
        return -1;
    if (strcasecmp(name, "mean") == 0 || strcasecmp(name, "average") == 0)
        return RAD_GABOR_POOL_MEAN;
    if (strcasecmp(name, "max") == 0)
        return RAD_GABOR_POOL_MAX;
    return -1;
}

/* Orientations: 1 when theta_step is 0, else 2 pi / theta_step (which must
 * be a whole number); 0 on a bad step. */
static size_t gabor_orientations(double step)
{
    double n;
    if (step == 0)
        return 1;
    if (!(step > 0) || !isfinite(step) || step > 2 * M_PI)
        return 0;
    n = nearbyint(2 * M_PI / step);
    if (n < 1 || n > 3600 || fabs(n * step - 2 * M_PI) > 1e-6)
        return 0;
    return (size_t)n;
}

int rad_gabor_check(const RadGaborOptions *o, double spacing)
{
    if (!o)
        return rad_error_set("gabor: no options");
    if (!(o->sigma > 0) || !isfinite(o->sigma))
        return rad_error_set("gabor: sigma must be a positive number of millimetres (got %g); e.g. sigma = 5",
                             o->sigma);
    if (spacing > 0 && o->sigma < 0.5 * spacing)
        return rad_error_set("gabor: sigma %g mm is below half a voxel (%g mm): the kernel would be a single voxel; "
                             "use sigma >= %g mm",
                             o->sigma, spacing, 0.5 * spacing);
    if (!(o->gamma > 0) || !isfinite(o->gamma))
        return rad_error_set("gabor: gamma (the aspect ratio of the envelope) must be positive (got %g); e.g. gamma = 1",
                             o->gamma);
    if (!(o->lambda > 0) || !isfinite(o->lambda))
        return rad_error_set("gabor: lambda (the wavelength) must be a positive number of millimetres (got %g); "
                             "e.g. lambda = 2",
                             o->lambda);
    if (!isfinite(o->theta))
        return rad_error_set("gabor: theta must be a finite angle in radians (got %g)", o->theta);
    if (gabor_orientations(o->theta_step) == 0)
        return rad_error_set("gabor: theta_step %g rad does not divide the circle: use 0 (one orientation) or "
                             "2 pi / n for a whole number n (e.g. pi/4 = 45 degrees, pi/8 = 22.5 degrees)",
                             o->theta_step);
    if (o->response < RAD_GABOR_MODULUS || o->response > RAD_GABOR_IMAGINARY)
        return rad_error_set("gabor: unknown response %d: use modulus, real or imaginary", o->response);
    if (o->dims != 2 && o->dims != 3)
        return rad_error_set("gabor: dims must be 2 (axial slices) or 3 (pooled over the three orthogonal planes), "
                             "got %d",
                             o->dims);
    if (o->pooling != RAD_GABOR_POOL_MEAN && o->pooling != RAD_GABOR_POOL_MAX)
        return rad_error_set("gabor: unknown pooling %d: use mean or max", o->pooling);
    if (o->boundary < RAD_BOUNDARY_CONSTANT || o->boundary > RAD_BOUNDARY_MIRROR)
        return rad_error_set("gabor: unknown boundary condition %d: use constant, nearest, periodic or mirror",
                             (int)o->boundary);
    return 0;
}

void rad_gabor_kernel(const RadGaborOptions *o, double theta, double sx, double sy, size_t rx, size_t ry, double *re,
                      double *im)
{
    double c = cos(theta), s = sin(theta), g2 = o->gamma * o->gamma, d = 2 * o->sigma * o->sigma;
    double w = 2 * M_PI / o->lambda;
    size_t mx = 2 * rx + 1, my = 2 * ry + 1;
    for (size_t j = 0; j < my; j++) {
        double y = ((double)j - (double)ry) * sy;
        for (size_t i = 0; i < mx; i++) {
            double x = ((double)i - (double)rx) * sx;
            double xr = x * c + y * s, yr = -x * s + y * c;
            double e = exp(-(xr * xr + g2 * yr * yr) / d);
            re[i + mx * j] = e * cos(w * xr);
            im[i + mx * j] = e * sin(w * xr);
        }
    }
}

/* the smallest length >= n whose factors are 2, 3, 5 and 7 */
static size_t fft_size(size_t n)
{
    for (size_t m = n > 1 ? n : 1;; m++) {
        size_t r = m;
        while (r % 2 == 0)
            r /= 2;
        while (r % 3 == 0)
            r /= 3;
        while (r % 5 == 0)
            r /= 5;
        while (r % 7 == 0)
            r /= 7;
        if (r == 1)
            return m;
    }
}

/* One plane orientation of the volume: in-plane index axes a (fastest in the
 * padded slice) and b, slices along c. */
typedef struct GaborPlane {
    const RadImage *img;
    const RadGaborOptions *o;
    int a, b, c;
    size_t n[3];           /* image size per index axis */
    size_t ra, rb;         /* kernel half-widths along a and b (voxels) */
    size_t la, lb;         /* transform lengths */
    size_t nori;           /* orientations */
    size_t ncomp;          /* orientations transformed: nori, or nori / 2 when paired */
    int paired;            /* orientation k + nori / 2 (theta + pi) is taken from k */
    fftwf_complex **kspec;  /* ncomp kernel transforms, la * lb each */
    fftwf_plan fwd, bwd;
    double *out;           /* the plane's pooled response, one per voxel */
} GaborPlane;

/* work = spec * K, n complex values */
RAD_HOT static void spectrum_product(float *restrict work, const float *restrict spec, const float *restrict K,
                                     size_t n)
{
    for (size_t t = 0; t < n; t++) {
        float xr = spec[2 * t], xi = spec[2 * t + 1], kr = K[2 * t], ki = K[2 * t + 1];
        work[2 * t] = xr * kr - xi * ki;
        work[2 * t + 1] = xr * ki + xi * kr;
    }
}

/* One output row of one orientation (n complex values of the inverse
 * transform, unscaled) pooled into acc; r: scratch for n values. */
RAD_HOT static void pool_row(double *restrict acc, const float *restrict row, size_t n, double scale, int response,
                              int pooling, int paired, double *restrict r)
{
    /* one simple loop per case, so that each is a vector loop */
    if (response == RAD_GABOR_MODULUS)
        for (size_t i = 0; i < n; i++) {
            double re = row[2 * i] * scale, im = row[2 * i + 1] * scale;
            r[i] = sqrt(re * re + im * im);
        }
    else
        for (size_t i = 0; i < n; i++)
            r[i] = row[2 * i + (response == RAD_GABOR_REAL ? 0 : 1)] * scale;
    /* theta + pi: the conjugate kernel, so the conjugate response (the
     * same modulus and real part, the opposite imaginary part) */
    if (pooling == RAD_GABOR_POOL_MAX) {
        for (size_t i = 0; i < n; i++)
            acc[i] = r[i] > acc[i] ? r[i] : acc[i];
        if (paired && response == RAD_GABOR_IMAGINARY)
            for (size_t i = 0; i < n; i++)
                acc[i] = -r[i] > acc[i] ? -r[i] : acc[i];
    } else if (!paired) {
        for (size_t i = 0; i < n; i++)
            acc[i] += r[i];
    } else if (response != RAD_GABOR_IMAGINARY) {
        for (size_t i = 0; i < n; i++)
            acc[i] += r[i] + r[i];
    } else {
        for (size_t i = 0; i < n; i++)
            acc[i] += r[i] + -r[i];
    }
}

/* A job: the slices s0 .. s0 + SLICE_BLOCK - 1 along c, gathered and
 * written back together (along x, the slices of one block are neighbours
 * in memory: one pass over the volume's cache lines instead of one per
 * slice), each transformed once and pooled over the orientations. */
#define SLICE_BLOCK 8

static int gabor_slices(size_t jb, void *ctx)
{
    const GaborPlane *p = ctx;
    size_t na = p->n[p->a], nb = p->n[p->b], la = p->la, lb = p->lb, ltot = la * lb, nab = na * nb;
    size_t pa = na + 2 * p->ra, pb = nb + 2 * p->rb;
    size_t lst = (ltot + 7) / 8 * 8; /* slice stride in spec: every slice 64-byte aligned, as FFTW's own arrays */
    size_t s0 = jb * SLICE_BLOCK, ns = p->n[p->c] - s0 < SLICE_BLOCK ? p->n[p->c] - s0 : SLICE_BLOCK;
    size_t st[3] = {1, p->n[0], p->n[0] * p->n[1]}, sa = st[p->a], sb = st[p->b], sc = st[p->c];
    double scale = 1.0 / (double)ltot;
    const float *data = p->img->data;
    fftwf_complex *spec = fftwf_malloc(ns * lst * sizeof *spec), *work = fftwf_malloc(ltot * sizeof *work);
    double *acc = malloc(ns * nab * sizeof *acc), *rowbuf = malloc(na * sizeof *rowbuf);
    ssize_t *ia = malloc(pa * sizeof *ia), *ib = malloc(pb * sizeof *ib);
    if (!spec || !work || !acc || !rowbuf || !ia || !ib) {
        fftwf_free(spec);
        fftwf_free(work);
        free(acc);
        free(rowbuf);
        free(ia);
        free(ib);
        return rad_error_set("gabor: out of memory for a %zux%zu slice transform", la, lb);
    }
    /* the padded slice: index u along a is image index u - ra under the boundary */
    for (size_t u = 0; u < pa; u++)
        ia[u] = rad_boundary_index((ssize_t)u - (ssize_t)p->ra, na, p->o->boundary);
    for (size_t v = 0; v < pb; v++)
        ib[v] = rad_boundary_index((ssize_t)v - (ssize_t)p->rb, nb, p->o->boundary);
    memset(spec, 0, ns * lst * sizeof *spec);
    for (size_t v = 0; v < pb; v++) {
        if (ib[v] < 0)
            continue;
        for (size_t u = 0; u < pa; u++) {
            if (ia[u] < 0)
                continue;
            const float *src = data + (size_t)ia[u] * sa + (size_t)ib[v] * sb + s0 * sc;
            for (size_t l = 0; l < ns; l++)
                spec[l * lst + u + la * v][0] = src[l * sc];
        }
    }
    for (size_t l = 0; l < ns; l++)
        fftwf_execute_dft(p->fwd, spec + l * lst, spec + l * lst);
    for (size_t t = 0; t < ns * nab; t++)
        acc[t] = p->o->pooling == RAD_GABOR_POOL_MAX ? -INFINITY : 0;
    for (size_t k = 0; k < p->ncomp; k++) {
        for (size_t l = 0; l < ns; l++) {
            spectrum_product(work[0], spec[l * lst], p->kspec[k][0], ltot);
            fftwf_execute_dft(p->bwd, work, work);
            for (size_t j = 0; j < nb; j++)
                pool_row(acc + l * nab + na * j, work[la * (j + p->rb) + p->ra], na, scale, p->o->response,
                         p->o->pooling, p->paired, rowbuf);
        }
    }
    for (size_t j = 0; j < nb; j++)
        for (size_t i = 0; i < na; i++) {
            double *dst = p->out + i * sa + j * sb + s0 * sc;
            for (size_t l = 0; l < ns; l++) {
                double v = acc[l * nab + i + na * j];
                dst[l * sc] = p->o->pooling == RAD_GABOR_POOL_MEAN ? v / (double)p->nori : v;
            }
        }
    fftwf_free(spec);
    fftwf_free(work);
    free(acc);
    free(rowbuf);
    free(ia);
    free(ib);
    return rad_interrupted() ? rad_error_set("interrupted") : 0;
}

static size_t half_width(const RadGaborOptions *o, double spacing)
{
    double wide = o->sigma > o->sigma / o->gamma ? o->sigma : o->sigma / o->gamma;
    return (size_t)ceil(GABOR_TRUNCATE * wide / spacing - 1e-9);
}

/* The pooled response of one plane orientation into p->out. */
static int gabor_plane(GaborPlane *p)
{
    const RadGaborOptions *o = p->o;
    const double *sp = p->img->geom.spacing;
    size_t mx = 2 * p->ra + 1, my = 2 * p->rb + 1, ltot;
    double *kre = NULL, *kim = NULL;
    fftwf_complex *buf = NULL;
    int rc = -1;
    p->la = fft_size(p->n[p->a] + 2 * p->ra);
    p->lb = fft_size(p->n[p->b] + 2 * p->rb);
    ltot = p->la * p->lb;
    if (p->la > 1u << 20 || p->lb > 1u << 20 || ltot > ((size_t)1 << 31))
        return rad_error_set("gabor: a %zux%zu slice transform is too large: sigma %g mm and gamma %g give a kernel of "
                             "%zux%zu voxels",
                             p->la, p->lb, o->sigma, o->gamma, mx, my);
    /* theta + pi gives the kernel's complex conjugate (x' and y' change sign:
     * the envelope is even, the carrier odd), so on a real image the
     * conjugate response: the same modulus and real part, the opposite
     * imaginary part.  With an even number of orientations over the circle
     * the second half is the first half turned by pi. */
    p->paired = p->nori % 2 == 0;
    p->ncomp = p->paired ? p->nori / 2 : p->nori;
    p->kspec = calloc(p->ncomp, sizeof *p->kspec);
    kre = malloc(mx * my * sizeof *kre);
    kim = malloc(mx * my * sizeof *kim);
    buf = fftwf_malloc(ltot * sizeof *buf);
    if (!p->kspec || !kre || !kim || !buf) {
        rad_error_set("gabor: out of memory for the kernels (%zux%zu)", p->la, p->lb);
        goto done;
    }
    rad_fft_plan_lock(); /* FFTW's planner is not thread-safe */
    p->fwd = fftwf_plan_dft_2d((int)p->lb, (int)p->la, buf, buf, FFTW_FORWARD, FFTW_ESTIMATE);
    p->bwd = fftwf_plan_dft_2d((int)p->lb, (int)p->la, buf, buf, FFTW_BACKWARD, FFTW_ESTIMATE);
    rad_fft_plan_unlock();
    if (!p->fwd || !p->bwd) {
        rad_error_set("gabor: FFTW could not plan a %zux%zu transform", p->la, p->lb);
        goto done;
    }
    for (size_t k = 0; k < p->ncomp; k++) {
        double theta = o->theta + (double)k * o->theta_step;
        p->kspec[k] = fftwf_malloc(ltot * sizeof(fftwf_complex));
        if (!p->kspec[k]) {
            rad_error_set("gabor: out of memory for the kernels (%zux%zu)", p->la, p->lb);
            goto done;
        }
        rad_gabor_kernel(o, theta, sp[p->a], sp[p->b], p->ra, p->rb, kre, kim);
        /* offset (u, v) at ((u mod la), (v mod lb)) */
        memset(p->kspec[k], 0, ltot * sizeof(fftwf_complex));
        for (size_t j = 0; j < my; j++) {
            size_t v = (j + p->lb - p->rb) % p->lb;
            for (size_t i = 0; i < mx; i++) {
                size_t u = (i + p->la - p->ra) % p->la;
                p->kspec[k][u + p->la * v][0] = (float)kre[i + mx * j];
                p->kspec[k][u + p->la * v][1] = (float)kim[i + mx * j];
            }
        }
        fftwf_execute_dft(p->fwd, p->kspec[k], p->kspec[k]);
    }
    if (rad_pool_run((p->n[p->c] + SLICE_BLOCK - 1) / SLICE_BLOCK, o->threads, gabor_slices, p, 1, NULL) != 0) {
        rad_error_set(rad_interrupted() ? "interrupted" : "gabor: out of memory filtering slices of %zux%zu voxels",
                      p->n[p->a], p->n[p->b]);
        goto done;
    }
    rc = 0;
done:
    if (p->kspec)
        for (size_t k = 0; k < p->ncomp; k++)
            fftwf_free(p->kspec[k]);
    free(p->kspec);
    p->kspec = NULL;
    rad_fft_plan_lock(); /* FFTW's planner is not thread-safe */
    if (p->fwd)
        fftwf_destroy_plan(p->fwd);
    if (p->bwd)
        fftwf_destroy_plan(p->bwd);
    rad_fft_plan_unlock();
    p->fwd = p->bwd = NULL;
    fftwf_free(buf);
    free(kre);
    free(kim);
    return rc;
}

RadImage *rad_filter_gabor(const RadImage *img, const RadGaborOptions *o)
{
    /* planes: (a, b, c) = in-plane axes and stacking axis */
    static const int planes[3][3] = {{0, 1, 2}, {0, 2, 1}, {1, 2, 0}};
    const double *sp;
    size_t nvox, np;
    double *total = NULL, *out = NULL;
    RadImage *res = NULL;
    if (!img || !img->data) {
        rad_error_set("gabor: no image");
        return NULL;
    }
    sp = img->geom.spacing;
    if (rad_gabor_check(o, sp[0] < sp[1] ? sp[0] : sp[1]) != 0)
        return NULL;
    if (o->dims == 3 && img->geom.dim[2] < 2) {
        rad_error_set("gabor: dims 3 needs a volume; this image has one slice: use dims = 2");
        return NULL;
    }
    nvox = rad_image_nvox(img);
    /* one non-finite voxel would spread through the whole slice's transform */
    for (size_t v = 0; v < nvox; v++)
        if (!isfinite(img->data[v])) {
            rad_error_set("gabor: the image has a non-finite value (%g) at voxel %zu; replace NaN and infinite values "
                          "before filtering",
                          (double)img->data[v], v);
            return NULL;
        }
    np = o->dims == 3 ? 3 : 1;
    out = rad_malloc(nvox * sizeof *out, "a Gabor response");
    total = np > 1 ? rad_malloc(nvox * sizeof *total, "a Gabor response") : NULL;
    if (!out || (np > 1 && !total)) {
        rad_error_set("gabor: out of memory for the response of %zu voxels", nvox);
        goto fail;
    }
    for (size_t q = 0; q < np; q++) {
        GaborPlane p;
        memset(&p, 0, sizeof p);
        p.img = img;
        p.o = o;
        p.a = planes[q][0];
        p.b = planes[q][1];
        p.c = planes[q][2];
        memcpy(p.n, img->geom.dim, sizeof p.n);
        p.ra = half_width(o, sp[p.a]);
        p.rb = half_width(o, sp[p.b]);
        p.nori = gabor_orientations(o->theta_step);
        p.out = out;
        if (gabor_plane(&p) != 0)
            goto fail;
        if (np == 1)
            break;
        for (size_t v = 0; v < nvox; v++) {
            if (q == 0)
                total[v] = out[v];
            else if (o->pooling == RAD_GABOR_POOL_MAX)
                total[v] = out[v] > total[v] ? out[v] : total[v];
            else
                total[v] += out[v];
        }
    }
    res = rad_image_alloc(&img->geom);
    if (!res)
        goto fail;
    for (size_t v = 0; v < nvox; v++) {
        double r = np == 1 ? out[v] : o->pooling == RAD_GABOR_POOL_MEAN ? total[v] / (double)np : total[v];
        res->data[v] = (float)r;
    }
fail:
    free(out);
    free(total);
    return res;
}
