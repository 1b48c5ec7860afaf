/* radlab: small vector kernels (see vec.h).  SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/vec.h"

RAD_HOT double rad_vec_dot3(const double *a, const double *b, const double *c, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i] * c[i];
        s1 += a[i + 1] * b[i + 1] * c[i + 1];
        s2 += a[i + 2] * b[i + 2] * c[i + 2];
        s3 += a[i + 3] * b[i + 3] * c[i + 3];
    }
    for (; i < n; i++)
        s0 += a[i] * b[i] * c[i];
    return (s0 + s1) + (s2 + s3);
}

RAD_HOT double rad_vec_dot(const double *a, const double *b, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

/* y_i += a x_i; restrict and the unrolling let the compiler vectorise it.
 * (r - d x equals r + (-d) x exactly, so subtracting callers pass -d.) */
RAD_HOT void rad_vec_axpy(double *restrict y, const double *restrict x, double a, size_t n)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        y[i] += a * x[i];
        y[i + 1] += a * x[i + 1];
        y[i + 2] += a * x[i + 2];
        y[i + 3] += a * x[i + 3];
    }
    for (; i < n; i++)
        y[i] += a * x[i];
}
