/* radlab: the extraction driver.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>

#include "features/features.h"
#include "util/error.h"

RadFeatureSet *rad_extract(const RadImage *img, const RadMask *mask, const RadSettings *s)
{
    RadFeatureSet *fs;
    RadRoi roi;
    const RadFamily *const *fam;

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
    rad_roi_free(&roi);
    return fs;
}
