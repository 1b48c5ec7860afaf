/* radlab: synthetic abdominal CT volumes for demo cohorts.  SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RAD_IMAGE_SYNTH_H
#define RAD_IMAGE_SYNTH_H

#include <stdint.h>

#include "image/image.h"

/* What one synthetic patient looks like.  The statistical truth model (which
 * patient gets which tumour) lives in stdlib/rad/demo.lua; this is only the
 * voxel painting.  Lengths in mm, intensities in HU. */
typedef struct RadSynthParams {
    size_t dim[3];        /* voxels: nx, ny, nz */
    double spacing[3];    /* mm */
    double radius;        /* tumour equivalent radius, mm (> 0) */
    double lobulation;    /* 0..1: depth of the lobes */
    double heterogeneity; /* 0..1: amplitude of the enhancement texture (x 40 HU) */
    double necrosis;      /* 0..0.8: relative radius of the necrotic core */
    double calcification; /* 0..1: number of calcified foci (x 14) */
    double side;          /* -1: patient's right, +1: patient's left */
    double noise;         /* sd of the CT noise, HU (>= 0) */
    double blur;          /* sd of the in-plane point spread function, mm (>= 0) */
} RadSynthParams;

/* Paint a patient: an image (HU, rounded to integers) and the tumour mask
 * (label 1, a single component inside the body).  Deterministic for
 * (p, seed).  Returns 0, or -1 with the error set (bad parameter, memory). */
int rad_synth_abdomen(const RadSynthParams *p, uint64_t seed, RadImage **img, RadMask **mask);

#endif
