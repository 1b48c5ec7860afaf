/* radlab: preprocessing (PLACEHOLDER being written: no interpolation, no re-segmentation).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {{NULL, NULL, NULL, NULL}};
const RadFamily rad_family_diag = {"diag", "Diagnostics", "", RAD_FAM_DIAG, RAD_AGGR_KIND_DIAG, defs, NULL};

int rad_roi_prepare(const RadImage *img, const RadMask *mask, const RadSettings *s, RadRoi *roi, RadFeatureSet *diag)
{
    size_t n = rad_image_nvox(img);
    double lo = INFINITY, hi = -INFINITY;
    (void)diag;
    memset(roi, 0, sizeof *roi);
    if (rad_check_same_geometry(img, mask, RAD_GEOMETRY_TOL) != 0)
        return -1;
    if (s->resample)
        return rad_error_set("interpolation is not available yet");
    roi->geom = img->geom;
    roi->image = rad_malloc(n * sizeof(float), "ROI image");
    roi->morph = rad_calloc(n, 1, "ROI mask");
    roi->mask = rad_calloc(n, 1, "ROI mask");
    roi->grey = rad_calloc(n, sizeof(int), "grey levels");
    if (!roi->image || !roi->morph || !roi->mask || !roi->grey) {
        rad_roi_free(roi);
        return -1;
    }
    for (size_t v = 0; v < n; v++) {
        float x = img->data[v];
        roi->image[v] = s->round_input ? nearbyintf(x) : x;
        roi->morph[v] = (uint8_t)rad_mask_in(mask, v);
        roi->mask[v] = roi->morph[v] && (!s->reseg_range || (x >= s->reseg_lo && x <= s->reseg_hi));
        roi->n_morph += roi->morph[v];
        roi->n_mask += roi->mask[v];
        if (roi->mask[v]) {
            if (roi->image[v] < lo) lo = roi->image[v];
            if (roi->image[v] > hi) hi = roi->image[v];
        }
    }
    if (!roi->n_mask) {
        rad_roi_free(roi);
        return rad_error_set("the ROI is empty");
    }
    for (size_t v = 0; v < n; v++) {
        if (!roi->mask[v])
            continue;
        if (s->disc == RAD_DISC_NONE)
            roi->grey[v] = (int)roi->image[v];
        else if (s->disc == RAD_DISC_FBS) {
            double mn = s->has_disc_min ? s->disc_min : isfinite(s->reseg_lo) && s->reseg_range ? s->reseg_lo : lo;
            roi->grey[v] = (int)floor((roi->image[v] - mn) / s->bin_width) + 1;
        } else
            roi->grey[v] = roi->image[v] >= hi ? s->bins : (int)floor(s->bins * (roi->image[v] - lo) / (hi - lo)) + 1;
        if (roi->grey[v] > roi->ng)
            roi->ng = roi->grey[v];
    }
    roi->is_2d = img->geom.ndim == 2;
    {
        RadMask tmp = {roi->geom, roi->morph, 1};
        rad_mask_bbox(&tmp, &roi->box);
    }
    return 0;
}

void rad_roi_free(RadRoi *roi)
{
    free(roi->image);
    free(roi->morph);
    free(roi->mask);
    free(roi->grey);
    memset(roi, 0, sizeof *roi);
}
