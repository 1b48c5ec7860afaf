/* radlab: the IBSI 2 Gabor filter.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * IBSI 2 reference manual (arXiv:2006.05470), "Gabor filters" (Q88H): the
 * 2D kernel, in millimetres,
 *     g(x, y) = exp(-(x'^2 + gamma^2 y'^2) / (2 sigma^2)) exp(i 2 pi x' / lambda)
 *     x' =  x cos(theta) + y sin(theta),   y' = -x sin(theta) + y cos(theta)
 * (no normalisation: g(0, 0) = 1, so an impulse of height h answers h at its
 * centre).  (x, y) are the offsets in mm along the plane's first and second
 * index axes, so theta turns x' from the first index axis towards the second
 * (in the axial plane from i towards j; the consensus map 4.a.1, theta =
 * pi/3, tells this from -pi/3).  The kernel is convolved with every slice of a plane, the boundary condition
 * applied by padding the slice.  The response is the modulus |I * g|, or its
 * real or imaginary part.  Rotation invariance: orientations theta + k
 * theta_step, k = 0..n-1 with n theta_step = 2 pi, pooled (mean or max) over
 * orientations.  "2D": the axial planes (index axes 0 and 1) only.  "3D":
 * the same 2D filter in the three orthogonal planes (axes 0-1, 0-2, 1-2),
 * pooled over the planes the same way.
 *
 * Support: the kernel is sampled out to 4 times the larger of its two
 * envelope widths (sigma and sigma / gamma) in each in-plane direction,
 * beyond which it is below exp(-8) of its peak.
 */
#ifndef RAD_IMAGE_FILTERS_GABOR_H
#define RAD_IMAGE_FILTERS_GABOR_H

#include <stddef.h>

#include "image/filters/filter.h"
#include "image/image.h"

typedef enum RadGaborResponse {
    RAD_GABOR_MODULUS = 0,
    RAD_GABOR_REAL,
    RAD_GABOR_IMAGINARY
} RadGaborResponse;

typedef enum RadGaborPooling {
    RAD_GABOR_POOL_MEAN = 0,
    RAD_GABOR_POOL_MAX
} RadGaborPooling;

typedef struct RadGaborOptions {
    double sigma, gamma, lambda; /* sigma, lambda in mm; gamma: aspect ratio */
    double theta, theta_step;    /* radians; theta_step 0: theta only */
    int response;                /* RadGaborResponse */
    int dims;                    /* 2: axial slices; 3: also the other two orthogonal planes, pooled */
    int pooling;                 /* RadGaborPooling, over orientations and planes */
    RadBoundary boundary;
    int threads;                 /* 0: one per processor */
} RadGaborOptions;

/* Defaults: sigma, lambda 0 (must be set), gamma 1, theta 0, one
 * orientation, modulus, 2D, mean pooling, mirror boundary, all processors. */
void rad_gabor_options_init(RadGaborOptions *o);

/* "modulus" (also "magnitude", "abs"), "real", "imaginary" (also "imag");
 * -1 when unknown. */
int rad_gabor_response_parse(const char *name);
const char *rad_gabor_response_name(int response);
/* "mean" (also "average"), "max"; -1 when unknown. */
int rad_gabor_pooling_parse(const char *name);

/* Check the options (with the in-plane spacing `spacing` of the image, mm,
 * or 0 to skip the check against the voxel size): 0, or -1 with a message
 * naming the setting and what would fix it. */
int rad_gabor_check(const RadGaborOptions *o, double spacing);

/* The sampled kernel for one orientation `theta` on a grid of spacing
 * (sx, sy) mm: (2 rx + 1) x (2 ry + 1) values, x fastest, offset (u, v)
 * from the centre at index (u + rx) + (2 rx + 1)(v + ry).  re and im each
 * hold (2 rx + 1)(2 ry + 1) doubles. */
void rad_gabor_kernel(const RadGaborOptions *o, double theta, double sx, double sy, size_t rx, size_t ry, double *re,
                      double *im);

/* The response map of `img` (a new float image on its grid), or NULL with a
 * message (bad options, a NaN or infinite voxel, out of memory, interrupt).
 * 2D images (nz = 1) take dims 2 only.  Slices run on the thread pool; the
 * result does not depend on the thread count. */
RadImage *rad_filter_gabor(const RadImage *img, const RadGaborOptions *o);

#endif
