/* radlab: the extraction driver.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "util/error.h"

/* What makes the ROI degenerate, for the warning about undefined features:
 * "one voxel", "one slice", "constant intensity", "one grey level" (those
 * that apply, comma-separated), or a pointer to the manual when none does
 * (e.g. a mean intensity of 0 leaves the coefficient of variation undefined). */
static void degenerate_why(const RadRoi *roi, char *buf, size_t size)
{
    size_t nvox = rad_geometry_nvox(&roi->geom), at = 0;
    float lo = 0, hi = 0;
    int seen = 0;
    for (size_t v = 0; v < nvox; v++)
        if (roi->mask[v]) {
            if (!seen || roi->image[v] < lo)
                lo = roi->image[v];
            if (!seen || roi->image[v] > hi)
                hi = roi->image[v];
            seen = 1;
        }
    buf[0] = '\0';
    if (roi->n_mask == 1)
        at += (size_t)snprintf(buf + at, size - at, "%sone voxel", at ? ", " : "");
    else if (roi->box.lo[2] == roi->box.hi[2] && roi->geom.dim[2] > 1)
        at += (size_t)snprintf(buf + at, size - at, "%sone slice", at ? ", " : "");
    if (roi->n_mask > 1 && lo == hi)
        at += (size_t)snprintf(buf + at, size - at, "%sconstant intensity", at ? ", " : "");
    if (roi->ng == 1)
        at += (size_t)snprintf(buf + at, size - at, "%sone grey level", at ? ", " : "");
    if (at == 0)
        snprintf(buf, size, "see radlab-features(7), UNDEFINED FEATURES");
}

RadFeatureSet *rad_extract(const RadImage *img, const RadMask *mask, const RadSettings *s)
{
    RadFeatureSet *fs;
    RadRoi roi;
    const RadFamily *const *fam;
    size_t first;
    char why[96];

    if (rad_settings_check(s) != 0)
        return NULL;
    fs = rad_featureset_new();
    if (!fs)
        return NULL;
    rad_settings_digest(s, fs->digest);
    if (rad_roi_prepare(img, mask, s, &roi, (s->families & RAD_FAM_DIAG) ? fs : NULL) != 0) {
        rad_featureset_free(fs);
        return NULL;
    }
    /* 2.5D merges the matrices of several slices: a 2D image has one, so
     * its _2_5D rows would repeat _2D under a name that claims more */
    if (roi.is_2d && (s->aggr & RAD_AGGR_2_5D) &&
        (s->families & (RAD_FAM_CM | RAD_FAM_RLM | RAD_FAM_SZM | RAD_FAM_DZM | RAD_FAM_NGT | RAD_FAM_NGL))) {
        rad_error_set("texture aggregation 2.5D merges the slices of a 3D image, but the image is 2D (%zux%zu): "
                      "set settings.texture.aggregation = {\"2D\"}", roi.geom.dim[0], roi.geom.dim[1]);
        rad_roi_free(&roi);
        rad_featureset_free(fs);
        return NULL;
    }
    first = fs->n; /* the diagnostic rows are always defined */
    for (fam = rad_families(); *fam; fam++) {
        if (!(*fam)->compute || !(s->families & (*fam)->bit))
            continue;
        if (rad_interrupt_check() != 0 || (*fam)->compute(&roi, s, fs) != 0) {
            rad_error_prefix("%s features", (*fam)->prefix);
            rad_roi_free(&roi);
            rad_featureset_free(fs);
            return NULL;
        }
    }
    degenerate_why(&roi, why, sizeof why);
    rad_roi_free(&roi);
    if (rad_featureset_note_undefined(fs, first, why) != 0) {
        rad_featureset_free(fs);
        return NULL;
    }
    return fs;
}
