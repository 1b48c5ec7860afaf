/* radlab: separable wavelet filters (IBSI 2 reference manual, "Separable
 * wavelets").  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sub-band such as "LHL" names the 1-D filter along each index axis in the
 * order x, y, z (L: the decomposition low-pass filter, H: the decomposition
 * high-pass filter); "LH" in 2D (x, y; each axial slice on its own).  The
 * letter order was checked against consensus map 5.a.1 (db2 LHL on the
 * impulse: the high-pass profile runs along the second index axis).
 *
 * Undecimated (stationary, "a trous") transform, level l: the image is
 * low-pass filtered along every axis l - 1 times, the filters of level j
 * dilated by 2^(j-1) (zeros inserted between taps), then filtered with the
 * sub-band's filters dilated by 2^(l-1).  The filters are applied as
 * convolutions with the decomposition filters (PyWavelets' dec_lo / dec_hi),
 * an m-tap filter dilated by D aligned as
 *     out[i] = sum_j k[j] in[i + D m/2 - D j]
 * (this is the alignment of the consensus maps: 5.a.1 shows the four db2
 * taps at offsets -2..+1 around the impulse).  The boundary condition is
 * applied once, to the input image (the cascade runs on the padded image):
 * per axis the whole cascade is one composite 1-D kernel (consensus map
 * 7.a.1, Haar level 2 with the mirror boundary, agrees to 1e-7 of its
 * range this way).
 *
 * Decimated transform, level l: the same filters without dilation, each
 * filtering followed by keeping every second voxel (out[i] = filtered[2 i])
 * along the filtered axes; the boundary condition applies at each level.
 * The response has ceil(n / 2^l) voxels along each filtered axis, spacing
 * times 2^l, and its first voxel at the centre of the input's first 2^l.
 *
 * Rotation invariance (mean pooling): the response averaged over the image
 * rotated by the 24 right-angle rotations of 3D (4 in-plane rotations in 2D),
 * each response rotated back (consensus maps 5.a.2, 6.a.2, 7.a.1, 7.a.2).
 * A rotation flips the image along some axes (index i -> n - 1 - i) and
 * permutes them.
 */
#ifndef RAD_IMAGE_FILTERS_WAVELET_H
#define RAD_IMAGE_FILTERS_WAVELET_H

#include <stddef.h>

#include "image/filters/filter.h"
#include "image/image.h"

typedef struct RadWaveletOptions {
    char family[16];        /* "haar", "db1".."db20", "sym2".."sym20", "coif1".."coif17" */
    char band[4];           /* "LHL" (3D, letters for x, y, z) or "LH" (2D) */
    int level;              /* >= 1 */
    int decimated;          /* 0: undecimated (stationary) */
    int rotation_invariant; /* mean pooling over the right-angle rotations */
    int dims;               /* 2 (slice by slice) or 3 */
    RadBoundary boundary;
    int threads;            /* 0: one per processor */
} RadWaveletOptions;

/* The decomposition low-pass filter (PyWavelets' dec_lo) of a family:
 * its length, or -1 with a message naming the known families.  k may be
 * NULL; otherwise it has room for RAD_WAVELET_MAXLEN (wavelet_coef.h) taps. */
int rad_wavelet_filter(const char *family, double *k);

/* The response map of the wavelet sub-band (see above), a new float image,
 * or NULL with a message. */
RadImage *rad_filter_wavelet(const RadImage *img, const RadWaveletOptions *o);

#endif
