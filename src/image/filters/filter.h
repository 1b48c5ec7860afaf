/* radlab: image filters (IBSI 2), the parts every filter family shares.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file per family in src/image/filters/ (mean.c, log.c, laws.c, gabor.c,
 * wavelet.c, simoncelli.c, ...); each returns a new float image on the input's
 * grid (the response map) or NULL with a message (rad_error_set).
 *
 * Boundary conditions (IBSI 2 reference manual, "Boundary conditions"): how a
 * filter sees the image outside its n voxels along an axis.  Index i (0-based,
 * may be outside 0..n-1) maps to
 *   constant  (zero padding)   outside: the value 0
 *   nearest   (edge)           clamp(i, 0, n - 1)
 *   periodic  (wrap)           i mod n
 *   mirror    (reflect)        the image reflected about its edges, the edge
 *                              voxel repeated: ... 2 1 0 | 0 1 2 ... n-1 | n-1 n-2 ...
 *                              (period 2n; numpy's "symmetric", scipy.ndimage's
 *                              "reflect", the IBSI's "mirror")
 *
 * Dimensionality: "3D" filters the volume; "2D" filters each axial slice (the
 * first two index axes, z untouched) on its own.
 */
#ifndef RAD_IMAGE_FILTERS_FILTER_H
#define RAD_IMAGE_FILTERS_FILTER_H

#include <stddef.h>
#include <sys/types.h>

#include "image/image.h"

typedef enum RadBoundary {
    RAD_BOUNDARY_CONSTANT = 0,
    RAD_BOUNDARY_NEAREST,
    RAD_BOUNDARY_PERIODIC,
    RAD_BOUNDARY_MIRROR
} RadBoundary;

/* "constant" (also "zero"), "nearest" (also "edge"), "periodic" (also
 * "wrap"), "mirror" (also "reflect", "symmetric"); -1 when unknown. */
int rad_boundary_parse(const char *name);
/* The canonical name of a boundary condition. */
const char *rad_boundary_name(RadBoundary b);

/* Index i of an axis of n voxels under boundary b: an index in 0..n-1, or
 * -1 when the value there is the constant 0 (RAD_BOUNDARY_CONSTANT). */
ssize_t rad_boundary_index(ssize_t i, size_t n, RadBoundary b);

/* Correlate every line of `data` (dims nx, ny, nz, x fastest) along `axis`
 * (0, 1 or 2) with the 1-D kernel k of length m, centred at index c
 * (out[i] = sum_t k[t] in[i + t - c]), in place, under boundary b.  For a
 * convolution pass the reversed kernel (symmetric kernels are the same).
 * Lines run on the thread pool (threads 0: one per processor); the result
 * does not depend on the thread count.  -1 with a message when out of
 * memory. */
int rad_filter_axis(float *data, const size_t dim[3], int axis, const double *k, size_t m, size_t c, RadBoundary b,
                    int threads);

/* The same in double precision (for filters that sum several responses). */
int rad_filter_axis_d(double *data, const size_t dim[3], int axis, const double *k, size_t m, size_t c, RadBoundary b,
                      int threads);

/* ---- the filter families and their dispatch ------------------------------
 *
 * A filter is described by a plain RadFilterSpec: the kind, what every
 * family shares (dimensionality, boundary, threads) and one parameter block
 * per family.  rad_filter_spec_init fills the defaults; rad_filter_apply
 * checks the spec and dispatches on the kind. */

typedef enum RadFilterKind {
    RAD_FILTER_MEAN = 1, /* mean.c */
    RAD_FILTER_LOG,      /* log.c: Laplacian of Gaussian */
    RAD_FILTER_LAWS,     /* laws.c */
    RAD_FILTER_GABOR,    /* gabor.c */
    RAD_FILTER_WAVELET,  /* wavelet.c: separable wavelets */
    RAD_FILTER_SIMONCELLI, /* simoncelli.c: the non-separable Simoncelli wavelet */
    /* pyrad.c: PyRadiomics' image types */
    RAD_FILTER_SQUARE,
    RAD_FILTER_SQUAREROOT,
    RAD_FILTER_LOGARITHM,
    RAD_FILTER_EXPONENTIAL,
    RAD_FILTER_GRADIENT,
    RAD_FILTER_LBP2D,
    RAD_FILTER_PYWAVELET,
    RAD_FILTER_PYLOG, /* pylog.c: ITK's recursive-Gaussian LoG */
    RAD_FILTER_LBP3D  /* lbp3d.c: PyRadiomics' 3D local binary patterns */
} RadFilterKind;

/* How responses to rotated kernels are pooled (rotation invariance). */
typedef enum RadFilterPooling { RAD_FILTER_POOL_MAX = 0, RAD_FILTER_POOL_MEAN, RAD_FILTER_POOL_MIN } RadFilterPooling;

/* "max", "mean" (also "average"), "min"; -1 when unknown. */
int rad_filter_pooling_parse(const char *name);

#define RAD_LAWS_KERNEL_MAX 32

typedef struct RadFilterSpec {
    RadFilterKind kind;
    int dims;             /* 3: the volume; 2: each axial slice on its own */
    RadBoundary boundary; /* default mirror */
    int threads;          /* 0: one per processor */
    struct {
        int support; /* M voxels, odd (default 15) */
    } mean;
    struct {
        double sigma;    /* mm (default 1) */
        double truncate; /* kernel radius in sigmas (default 4) */
    } log;
    struct {
        char kernel[RAD_LAWS_KERNEL_MAX]; /* e.g. "E5L5S5": one 1-D kernel per axis, x first */
        int energy;                       /* energy map distance delta (voxels); 0: no energy map */
        int rotation_invariant;
        RadFilterPooling pooling;
    } laws;
    struct {
        double sigma, gamma, lambda; /* mm, ratio, mm */
        double theta, theta_step;    /* radians; theta_step 0: one orientation */
        int response;                /* RadGaborResponse (gabor.h) */
        int pooling;                 /* RadGaborPooling (gabor.h) */
    } gabor;
    struct {
        char family[16];        /* haar, db1-db20, sym2-sym20, coif1-coif17 (wavelet_coef.h) */
        char band[4];           /* sub-band, one letter per filtered axis, x first: "LLH" (3D), "LH" (2D) */
        int level;              /* >= 1 (default 1) */
        int decimated;          /* 0: undecimated (stationary) */
        int rotation_invariant; /* mean over the right-angle rotations */
    } wavelet;
    struct {
        int level; /* >= 1 (default 1) */
    } simoncelli;
    struct {
        int use_spacing; /* default 1: derivatives per mm */
    } gradient;
    struct {
        int points;    /* samples on the circle (default 8) */
        double radius; /* voxels (default 1) */
        int method;    /* RadLbpMethod (pyrad.h), default uniform */
    } lbp2d;
    struct {
        char family[16]; /* default "coif1" (PyRadiomics' default) */
        char band[4];    /* one L/H per filtered axis, x first */
        int level;       /* PyRadiomics' level, >= 1: its name's index (wavelet2-) */
        int start_level; /* PyRadiomics' start_level (default 0): decompositions done
                          * before the first named level; depth = start_level + level */
    } pywavelet;
    struct {
        double sigma; /* mm (no default: PyRadiomics needs one) */
    } pylog;
    struct {
        int levels;      /* degrees of the spherical harmonics, 1..10 (default 2) */
        double radius;   /* voxels (default 1) */
        int subdivision; /* of the icosahedron, 0..4 (default 1) */
        int output;      /* 0: kurtosis ("k"); j >= 1: "m<j>", degree j - 1 (default 1) */
    } lbp3d;
    int riesz[3]; /* Riesz transform order on top of the response, x first (riesz.h); all 0: none.
                   * log and simoncelli only. */
} RadFilterSpec;

/* Defaults of a kind: 3D, mirror boundary, the family's defaults above. */
void rad_filter_spec_init(RadFilterSpec *spec, RadFilterKind kind);

/* The response map of `img` under `spec`: a new float image on the input's
 * geometry, or NULL with a message naming the setting that is wrong. */
RadImage *rad_filter_apply(const RadImage *img, const RadFilterSpec *spec);

/* The families (each checks its parameters; rad_filter_apply calls them). */
RadImage *rad_filter_mean(const RadImage *img, int support, int dims, RadBoundary b, int threads);
RadImage *rad_filter_log(const RadImage *img, double sigma, double truncate, int dims, RadBoundary b, int threads);
RadImage *rad_filter_laws(const RadImage *img, const char *kernel, int energy, int rotation_invariant,
                          RadFilterPooling pooling, int dims, RadBoundary b, int threads);

/* Shared by the families: check dims (2 or 3; a 3D filter needs a 3D
 * image) and that a kernel reaching `radius` voxels either
 * side fits each filtered axis; `what` names the filter in the message. */
int rad_filter_check_image(const RadImage *img, int dims, size_t radius, const char *what);

/* The voxels of img as doubles (NULL with a message when out of memory), and
 * a new float image on like's geometry from n doubles. */
double *rad_filter_to_double(const RadImage *img);
RadImage *rad_filter_from_double(const RadImage *like, const double *d);

#endif
