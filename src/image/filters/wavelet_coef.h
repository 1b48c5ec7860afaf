/* radlab: the orthogonal wavelet filters of the separable wavelets (the
 * families of PyWavelets' names haar, dbN, symN, coifN; see wavelet_coef.c
 * for where the numbers come from).  SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RAD_IMAGE_FILTERS_WAVELET_COEF_H
#define RAD_IMAGE_FILTERS_WAVELET_COEF_H

#include <stddef.h>

/* The families, as an error message lists them. */
#define RAD_WAVELET_FAMILIES "haar, db1-db20, sym2-sym20, coif1-coif17"

/* The longest filter (coif17). */
#define RAD_WAVELET_MAXLEN 102

typedef struct RadWaveletCoef {
    const char *name; /* "db4", lower case */
    int m;            /* taps: 2N for dbN and symN, 6N for coifN */
    int moments;      /* vanishing moments of the wavelet: N, coifN 2N */
    const double *h;  /* scaling filter (PyWavelets' rec_lo); the
                       * decomposition low-pass filter is h reversed */
} RadWaveletCoef;

/* The filter of a family name (case-insensitive), or NULL. */
const RadWaveletCoef *rad_wavelet_coef(const char *name);

/* The i-th filter of the table (haar first), or NULL past the end: for
 * listing and testing every family member. */
const RadWaveletCoef *rad_wavelet_coef_at(size_t i);

#endif
