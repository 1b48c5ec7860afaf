/* radlab: extraction settings: defaults, checks, digest.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>


#include "features/features.h"
#include "util/error.h"
#include "util/hash.h"

void rad_settings_default(RadSettings *s)
{
    memset(s, 0, sizeof *s);
    s->families = RAD_FAM_FEATURES;
    s->interp = RAD_INTERP_LINEAR;
    s->mask_interp = RAD_INTERP_LINEAR;
    s->mask_threshold = 0.5;
    s->reseg_lo = -INFINITY;
    s->reseg_hi = INFINITY;
    s->disc = RAD_DISC_FBN;
    s->bins = 32;
    s->bin_width = 25;
    s->ivh = RAD_IVH_DISCRETE;
    s->ivh_width = 1;
    s->ivh_bins = 1000;
    s->aggr = RAD_AGGR_3D;
    s->distance = 1;
    s->ngldm_alpha = 0;
}

int rad_settings_check(const RadSettings *s)
{
    if (s->families & ~RAD_FAM_ALL)
        return rad_error_set("unknown feature family bits 0x%x (see rad_families())", s->families & ~RAD_FAM_ALL);
    if (s->resample)
        for (int c = 0; c < (s->resample_2d ? 2 : 3); c++)
            if (!(s->spacing[c] > 0) || !isfinite(s->spacing[c]))
                return rad_error_set("resampling spacing must be positive, axis %c has %g", "xyz"[c], s->spacing[c]);
    if (!(s->mask_threshold > 0 && s->mask_threshold <= 1))
        return rad_error_set("mask partial-volume threshold must be in (0, 1], got %g", s->mask_threshold);
    if (s->reseg_range && !(s->reseg_lo <= s->reseg_hi))
        return rad_error_set("re-segmentation range [%g, %g] is empty (lower bound above upper)", s->reseg_lo, s->reseg_hi);
    if (s->outlier_sigma < 0 || !isfinite(s->outlier_sigma))
        return rad_error_set("outlier filter sigma must be >= 0, got %g", s->outlier_sigma);
    if (s->disc == RAD_DISC_FBN && (s->bins < 1 || s->bins > 65535))
        return rad_error_set("bin number must be 1..65535, got %d", s->bins);
    if (s->disc == RAD_DISC_FBS && !(s->bin_width > 0 && isfinite(s->bin_width)))
        return rad_error_set("bin width must be > 0, got %g", s->bin_width);
    if (s->ivh == RAD_IVH_FBS && !(s->ivh_width > 0 && isfinite(s->ivh_width)))
        return rad_error_set("IVH bin width must be > 0, got %g", s->ivh_width);
    if (s->ivh == RAD_IVH_FBN && (s->ivh_bins < 1 || s->ivh_bins > 65535))
        return rad_error_set("IVH bin number must be 1..65535, got %d", s->ivh_bins);
    if (s->has_ivh_range && !(s->ivh_min < s->ivh_max))
        return rad_error_set("IVH range [%g, %g] is empty", s->ivh_min, s->ivh_max);
    if ((s->aggr & ~(RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D)) || !s->aggr)
        return rad_error_set("texture aggregation must name 2D, 2.5D and/or 3D");
    if (s->distance < 1 || s->distance > 16)
        return rad_error_set("texture distance must be 1..16, got %d", s->distance);
    if (s->ngldm_alpha < 0 || s->ngldm_alpha > 26)
        return rad_error_set("NGLDM coarseness must be 0..26, got %d", s->ngldm_alpha);
    return 0;
}

/* The digest hashes a canonical text rendering of every field (not the
 * struct's bytes, whose padding is unspecified), so equal settings give equal
 * digests on every platform. */
void rad_settings_digest(const RadSettings *s, char out[65])
{
    char text[1024];
    int n = snprintf(text, sizeof text,
        "radlab-settings-1;fam=%u;round_input=%d;resample=%d;r2d=%d;sp=%.17g,%.17g,%.17g;"
        "interp=%d;minterp=%d;delta=%.17g;round=%d;reseg=%d;lo=%.17g;hi=%.17g;sigma=%.17g;"
        "disc=%d;bins=%d;w=%.17g;hasmin=%d;min=%.17g;ivh=%d;ivhw=%.17g;ivhn=%d;ivhr=%d;ivhlo=%.17g;"
        "ivhhi=%.17g;aggr=%u;dist=%d;alpha=%d",
        s->families, s->round_input, s->resample, s->resample_2d, s->spacing[0], s->spacing[1],
        s->spacing[2], (int)s->interp, (int)s->mask_interp, s->mask_threshold, s->round_intensities,
        s->reseg_range, s->reseg_lo, s->reseg_hi, s->outlier_sigma, (int)s->disc, s->bins,
        s->bin_width, s->has_disc_min, s->disc_min, (int)s->ivh, s->ivh_width, s->ivh_bins,
        s->has_ivh_range, s->ivh_min, s->ivh_max, s->aggr, s->distance, s->ngldm_alpha);
    rad_sha256_hex(text, (size_t)(n < 0 ? 0 : n), out);
}
