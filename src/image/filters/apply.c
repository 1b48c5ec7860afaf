/* radlab: the filter spec and its dispatch (see filter.h).  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image/filters/filter.h"
#include "image/filters/gabor.h"
#include "image/filters/pyrad.h"
#include "image/filters/riesz.h"
#include "image/filters/simoncelli.h"
#include "image/filters/wavelet.h"
#include "util/error.h"

int rad_filter_pooling_parse(const char *name)
{
    if (!name)
        return -1;
    if (strcasecmp(name, "max") == 0)
        return RAD_FILTER_POOL_MAX;
    if (strcasecmp(name, "mean") == 0 || strcasecmp(name, "average") == 0)
        return RAD_FILTER_POOL_MEAN;
    if (strcasecmp(name, "min") == 0)
        return RAD_FILTER_POOL_MIN;
    return -1;
}

void rad_filter_spec_init(RadFilterSpec *spec, RadFilterKind kind)
{
    memset(spec, 0, sizeof *spec);
    spec->kind = kind;
    spec->dims = 3;
    spec->boundary = RAD_BOUNDARY_MIRROR;
    spec->threads = 0;
    spec->mean.support = 15;
    spec->log.sigma = 1.0;
    spec->log.truncate = 4.0;
    spec->laws.kernel[0] = '\0';
    spec->laws.energy = 0;
    spec->laws.rotation_invariant = 0;
    spec->laws.pooling = RAD_FILTER_POOL_MAX;
    {
        RadGaborOptions g;
        rad_gabor_options_init(&g);
        spec->gabor.sigma = g.sigma;
        spec->gabor.gamma = g.gamma;
        spec->gabor.lambda = g.lambda;
        spec->gabor.theta = g.theta;
        spec->gabor.theta_step = g.theta_step;
        spec->gabor.response = g.response;
        spec->gabor.pooling = g.pooling;
    }
    spec->wavelet.level = 1;
    spec->simoncelli.level = 1;
    spec->gradient.use_spacing = 1;
    spec->lbp2d.points = 8;
    spec->lbp2d.radius = 1;
    spec->lbp2d.method = RAD_LBP_UNIFORM;
    strcpy(spec->pywavelet.family, "coif1");
    spec->pywavelet.level = 1;
    spec->pylog.sigma = 1.0;
    spec->lbp3d.levels = 2;
    spec->lbp3d.radius = 1;
    spec->lbp3d.subdivision = 1;
    spec->lbp3d.output = 1;
}

int rad_filter_check_image(const RadImage *img, int dims, size_t radius, const char *what)
{
    static const char axis[3] = {'x', 'y', 'z'};
    if (!img || !img->data)
        return rad_error_set("%s: no image", what);
    if (dims != 2 && dims != 3)
        return rad_error_set("%s: dims must be 2 (each axial slice) or 3 (the volume), got %d", what, dims);
    if (dims == 3 && (img->geom.ndim < 3 || img->geom.dim[2] < 2))
        return rad_error_set("%s: a 3D filter needs a 3D image, this one has a single slice; use dims = 2", what);
    for (int a = 0; a < dims; a++)
        if (radius >= img->geom.dim[a])
            return rad_error_set("%s: the image is too small for the kernel: axis %c has %zu voxels, the kernel "
                                 "reaches %zu voxels either side; use a smaller kernel or a larger image",
                                 what, axis[a], img->geom.dim[a], radius);
    return 0;
}

RadImage *rad_filter_apply(const RadImage *img, const RadFilterSpec *spec)
{
    if (!spec) {
        rad_error_set("filter: no filter specification");
        return NULL;
    }
    if ((int)spec->boundary < (int)RAD_BOUNDARY_CONSTANT || (int)spec->boundary > (int)RAD_BOUNDARY_MIRROR) {
        rad_error_set("filter: unknown boundary condition %d (constant, nearest, periodic or mirror)",
                      (int)spec->boundary);
        return NULL;
    }
    if (rad_riesz_wanted(spec)) {
        if (spec->kind != RAD_FILTER_LOG && spec->kind != RAD_FILTER_SIMONCELLI) {
            rad_error_set("option 'riesz' is available for the log and simoncelli filters only");
            return NULL;
        }
        return rad_filter_riesz_apply(img, spec);
    }
    switch (spec->kind) {
    case RAD_FILTER_MEAN:
        return rad_filter_mean(img, spec->mean.support, spec->dims, spec->boundary, spec->threads);
    case RAD_FILTER_LOG:
        return rad_filter_log(img, spec->log.sigma, spec->log.truncate, spec->dims, spec->boundary, spec->threads);
    case RAD_FILTER_LAWS:
        return rad_filter_laws(img, spec->laws.kernel, spec->laws.energy, spec->laws.rotation_invariant,
                               spec->laws.pooling, spec->dims, spec->boundary, spec->threads);
    case RAD_FILTER_GABOR: {
        RadGaborOptions g;
        rad_gabor_options_init(&g);
        g.sigma = spec->gabor.sigma;
        g.gamma = spec->gabor.gamma;
        g.lambda = spec->gabor.lambda;
        g.theta = spec->gabor.theta;
        g.theta_step = spec->gabor.theta_step;
        g.response = spec->gabor.response;
        g.pooling = spec->gabor.pooling;
        g.dims = spec->dims;
        g.boundary = spec->boundary;
        g.threads = spec->threads;
        return rad_filter_gabor(img, &g);
    }
    case RAD_FILTER_WAVELET: {
        RadWaveletOptions w;
        memset(&w, 0, sizeof w);
        memcpy(w.family, spec->wavelet.family, sizeof w.family);
        memcpy(w.band, spec->wavelet.band, sizeof w.band);
        w.level = spec->wavelet.level;
        w.decimated = spec->wavelet.decimated;
        w.rotation_invariant = spec->wavelet.rotation_invariant;
        w.dims = spec->dims;
        w.boundary = spec->boundary;
        w.threads = spec->threads;
        return rad_filter_wavelet(img, &w);
    }
    case RAD_FILTER_SIMONCELLI:
        return rad_filter_simoncelli(img, spec->simoncelli.level, spec->dims, spec->threads);
    case RAD_FILTER_SQUARE:
    case RAD_FILTER_SQUAREROOT:
    case RAD_FILTER_LOGARITHM:
    case RAD_FILTER_EXPONENTIAL:
        return rad_filter_pointwise(img, spec->kind);
    case RAD_FILTER_GRADIENT:
        return rad_filter_gradient(img, spec->gradient.use_spacing, spec->dims, spec->threads);
    case RAD_FILTER_LBP2D:
        return rad_filter_lbp2d(img, spec->lbp2d.points, spec->lbp2d.radius, spec->lbp2d.method, spec->threads);
    case RAD_FILTER_PYWAVELET:
        if (spec->pywavelet.start_level < 0 || spec->pywavelet.level < 1 ||
            spec->pywavelet.start_level + spec->pywavelet.level > 16) {
            rad_error_set("pywavelet filter: start_level %d and level %d: start_level must be >= 0, level >= 1 and "
                          "start_level + level at most 16", spec->pywavelet.start_level, spec->pywavelet.level);
            return NULL;
        }
        /* start_level approximations first, then the named levels: one depth */
        return rad_filter_pywavelet(img, spec->pywavelet.family, spec->pywavelet.band,
                                    spec->pywavelet.start_level + spec->pywavelet.level, spec->dims);
    case RAD_FILTER_PYLOG:
        return rad_filter_pylog(img, spec->pylog.sigma, spec->dims, spec->threads);
    case RAD_FILTER_LBP3D:
        return rad_filter_lbp3d(img, spec->lbp3d.levels, spec->lbp3d.radius, spec->lbp3d.subdivision,
                                spec->lbp3d.output, spec->threads);
    }
    rad_error_set("filter: unknown filter kind %d (mean, log, laws, gabor, wavelet, simoncelli, square, squareroot, "
                  "logarithm, exponential, gradient, lbp2d, pywavelet, pylog or lbp3d)",
                  (int)spec->kind);
    return NULL;
}

double *rad_filter_to_double(const RadImage *img)
{
    size_t n = rad_image_nvox(img);
    double *d = rad_malloc((n ? n : 1) * sizeof *d, "a filter's working copy");
    if (!d) {
        rad_error_set("filter: out of memory (%zu MB for a working copy)", (n * sizeof *d) >> 20);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        d[i] = img->data[i];
    return d;
}

RadImage *rad_filter_from_double(const RadImage *like, const double *d)
{
    RadImage *out = rad_image_alloc(&like->geom);
    if (!out)
        return NULL;
    size_t n = rad_image_nvox(out);
    for (size_t i = 0; i < n; i++)
        out->data[i] = (float)d[i];
    return out;
}
