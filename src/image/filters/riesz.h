/* radlab: the Riesz transform of a filter response (IBSI 2 reference manual,
 * arXiv:2006.05470, "Riesz transform").  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Riesz transform of order l = (l1, ..., ld), |l| = l1 + ... + ld, is
 * defined in the Fourier domain by the multiplier
 *     R^l(w) = sqrt(|l|! / (l1! ... ld!)) (-j)^|l| w1^l1 ... wd^ld / ||w||^|l|
 * (0 at w = 0): an all-pass, scale-invariant directional derivative of order
 * |l|.  First-order components form a gradient, second-order ones a Hessian;
 * sum_i R^(e_i) R^(e_i) is minus the identity on zero-mean functions.  The
 * manual applies it on top of another filter (consensus maps 9.a, 9.b.1:
 * Laplacian of Gaussian; 10.b.1: Simoncelli wavelet).
 *
 * Orders are given x first (image index order, x fastest); d = 3 for a 3D
 * filter, d = 2 for a slice-wise one (the third entry is then 0).  The
 * discrete multiplier is sampled at the DFT frequencies 2 pi k / n (radians
 * per voxel, k in -n/2 .. n/2 - 1), so the transform treats the data it
 * sees as periodic: rad_filter_riesz_apply pads the image with the filter's
 * boundary condition first (see riesz.c for how far, and why).
 */
#ifndef RAD_IMAGE_FILTERS_RIESZ_H
#define RAD_IMAGE_FILTERS_RIESZ_H

#include "image/filters/filter.h"

/* The highest total order |l| accepted (higher orders are legal
 * mathematically but no IBSI configuration uses them and they amplify
 * nothing the lower ones do not show). */
#define RAD_RIESZ_MAX_ORDER 4

/* 1 when the spec asks for a Riesz transform (some order entry non-zero). */
int rad_riesz_wanted(const RadFilterSpec *spec);

/* Check an order for a filter of `dims` dimensions: entries >= 0, the third
 * 0 in 2D, total order 1..RAD_RIESZ_MAX_ORDER; -1 with a message naming
 * the option otherwise. */
int rad_riesz_check(const int order[3], int dims);

/* The Riesz transform of order `order` of img itself, periodic (in place on
 * a new image): a new float image on img's grid or NULL with a message.
 * dims 2 transforms each axial slice on its own (slices in parallel on up
 * to `threads` threads; 0 = one per processor). */
RadImage *rad_filter_riesz(const RadImage *img, const int order[3], int dims, int threads);

/* The response of spec's filter (log or simoncelli) followed by the Riesz
 * transform of order spec->riesz (rad_filter_apply calls this when
 * rad_riesz_wanted). */
RadImage *rad_filter_riesz_apply(const RadImage *img, const RadFilterSpec *spec);

#endif
