/* radlab: small vector kernels shared by the model fits and the table layer.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sums of products with four running sums (the additions of one sum wait on
 * each other, so a single accumulator leaves the FPU mostly idle; four let
 * the compiler overlap them) and y += a x.
 *
 * RAD_HOT marks the hot loops (these kernels, Cox's risk-set pass, coxnet's
 * coordinate steps): compiled twice, for AVX2 and for the baseline, and
 * picked at load time (GCC's target_clones, x86-64 with ifunc support).
 * Both versions do the same operations in the same order (no reassociation,
 * no fused multiply-add: the avx2 target does not enable FMA), so results do
 * not depend on the processor. */
#ifndef RAD_UTIL_VEC_H
#define RAD_UTIL_VEC_H

#include <stddef.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__)
#define RAD_HOT __attribute__((target_clones("avx2", "default"), optimize("O3")))
#else
#define RAD_HOT
#endif

/* sum_i a_i b_i */
double rad_vec_dot(const double *a, const double *b, size_t n);
/* sum_i a_i b_i c_i, each term (a_i b_i) c_i */
double rad_vec_dot3(const double *a, const double *b, const double *c, size_t n);
/* y_i += a x_i */
void rad_vec_axpy(double *restrict y, const double *restrict x, double a, size_t n);

#endif
