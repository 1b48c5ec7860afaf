/* radlab: extraction settings: defaults, checks, digest.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>


#include "features/features.h"
#include "image/filters/riesz.h"
#include "util/error.h"
#include "util/hash.h"

void rad_settings_default(RadSettings *s)
{
    memset(s, 0, sizeof *s);
    s->families = RAD_FAM_FEATURES;
    s->interp = RAD_INTERP_LINEAR;
    s->mask_interp = RAD_INTERP_LINEAR;
    s->mask_threshold = 0.5;
    s->norm_scale = 1;
    s->norm_to_lo = 0;
    s->norm_to_hi = 1;
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
    s->n_filters = 0;
    s->filter_families = RAD_FAM_STAT;
    s->compat = RAD_COMPAT_IBSI;
    s->pyr.bin_width = 25;
    s->pyr.symmetric = 1;
    s->pyr.min_dims = 2;
    s->pyr.pad = 5;
    s->pyr.original = 1;
}

/* The normalisation fields; messages name the settings key (normalise.*). */
static int rad_settings_check_norm(const RadSettings *s)
{
    switch (s->norm) {
    case RAD_NORM_NONE:
        return 0;
    case RAD_NORM_ZSCORE:
        if (!(s->norm_scale > 0 && isfinite(s->norm_scale)))
            return rad_error_set("normalise.scale must be a finite number > 0, got %g", s->norm_scale);
        if (!(s->norm_outliers >= 0 && isfinite(s->norm_outliers)))
            return rad_error_set("normalise.remove_outliers must be a finite number > 0 (k: clip at mean +/- k sd), "
                                 "got %g", s->norm_outliers);
        break;
    case RAD_NORM_PERCENTILE:
        if (!(s->norm_p_lo >= 0 && s->norm_p_lo < s->norm_p_hi && s->norm_p_hi <= 100))
            return rad_error_set("normalise.percentiles {lo, hi} must satisfy 0 <= lo < hi <= 100 (percent), got "
                                 "{%g, %g}", s->norm_p_lo, s->norm_p_hi);
        if (!(isfinite(s->norm_to_lo) && isfinite(s->norm_to_hi) && s->norm_to_lo < s->norm_to_hi))
            return rad_error_set("normalise.range {lo, hi} must be finite with lo < hi, got {%g, %g}", s->norm_to_lo,
                                 s->norm_to_hi);
        break;
    case RAD_NORM_REFERENCE:
        if (s->norm_ref_label < 0 || s->norm_ref_label > 255)
            return rad_error_set("normalise.label must be 1..255, got %d", s->norm_ref_label);
        if (!s->norm_ref_mask[0] && s->norm_ref_label == 0)
            return rad_error_set("normalise method \"reference\" needs the reference region: label = k (a second "
                                 "label of the ROI's mask) and/or mask = \"file\" (a mask file on the image's grid)");
        if (!memchr(s->norm_ref_mask, '\0', sizeof s->norm_ref_mask))
            return rad_error_set("normalise.mask: the path is longer than %d bytes", RAD_NORM_PATH_MAX - 1);
        if (s->norm_ref_stat != RAD_NORM_STAT_MEAN && s->norm_ref_stat != RAD_NORM_STAT_ZSCORE)
            return rad_error_set("normalise.statistic: unknown value %d (mean or zscore)", (int)s->norm_ref_stat);
        break;
    default:
        return rad_error_set("unknown normalisation method %d (zscore, percentile or reference)", (int)s->norm);
    }
    if (s->norm_scope != RAD_NORM_SCOPE_ROI && s->norm_scope != RAD_NORM_SCOPE_IMAGE)
        return rad_error_set("normalise.scope: unknown value %d (roi or image)", (int)s->norm_scope);
    if (s->norm_sd != RAD_NORM_SD_POPULATION && s->norm_sd != RAD_NORM_SD_SAMPLE)
        return rad_error_set("normalise.sd: unknown value %d (population or sample)", (int)s->norm_sd);
    return 0;
}

/* One image type's settings (filters[i].pyradiomics) against the general
 * ones p; messages name the key, the caller prefixes the filter. */
static int rad_pyrad_override_check(const RadPyrOverride *o, const RadPyrSettings *p)
{
    if (o->set & ~(unsigned)(RAD_PYR_OV_GLDM_A * 2 - 1))
        return rad_error_set("unknown override bits 0x%x", o->set);
    if ((o->set & RAD_PYR_OV_BIN_WIDTH) && (o->set & RAD_PYR_OV_BIN_COUNT))
        return rad_error_set("give binWidth or binCount, not both (binCount wins in PyRadiomics; say which is meant)");
    if ((o->set & RAD_PYR_OV_BIN_WIDTH) && p->bin_count > 0)
        return rad_error_set("binWidth has no effect: the general pyradiomics.binCount = %d wins in PyRadiomics; "
                             "give this image type binCount, or use binWidth in the general settings",
                             p->bin_count);
    if ((o->set & RAD_PYR_OV_BIN_WIDTH) && !(o->bin_width > 0 && isfinite(o->bin_width)))
        return rad_error_set("binWidth must be > 0, got %g", o->bin_width);
    if ((o->set & RAD_PYR_OV_BIN_COUNT) && (o->bin_count < 1 || o->bin_count > 65535))
        return rad_error_set("binCount must be 1..65535, got %d", o->bin_count);
    if ((o->set & RAD_PYR_OV_SHIFT) && !isfinite(o->shift))
        return rad_error_set("voxelArrayShift must be finite, got %g", o->shift);
    if ((o->set & RAD_PYR_OV_FORCE2D_DIM) && (o->force2d_dim < 0 || o->force2d_dim > 2))
        return rad_error_set("force2Ddimension must be 0, 1 or 2, got %d", o->force2d_dim);
    if ((o->set & RAD_PYR_OV_WEIGHTING) && (o->weighting < RAD_PYR_WEIGHT_NONE || o->weighting > RAD_PYR_WEIGHT_INFINITY))
        return rad_error_set("weightingNorm: unknown value %d", (int)o->weighting);
    if ((o->set & RAD_PYR_OV_DISTANCE) && (o->distance < 1 || o->distance > 16))
        return rad_error_set("distances must be {d} with d in 1..16, got {%d}", o->distance);
    if ((o->set & RAD_PYR_OV_GLDM_A) && (o->gldm_a < 0 || o->gldm_a > 26))
        return rad_error_set("gldm_a must be 0..26, got %d", o->gldm_a);
    return 0;
}

void rad_pyrad_type_settings(const RadSettings *s, int i, RadSettings *out)
{
    const RadPyrOverride *o = &s->filter_pyr[i];
    *out = *s;
    out->families &= ~(unsigned)RAD_FAM_MORPH; /* shape describes the mask: the original image's only */
    out->n_filters = 0;
    out->pyr.original = 1;
    if (o->set & RAD_PYR_OV_BIN_WIDTH)
        out->pyr.bin_width = o->bin_width;
    if (o->set & RAD_PYR_OV_BIN_COUNT)
        out->pyr.bin_count = o->bin_count;
    if (o->set & RAD_PYR_OV_SHIFT)
        out->pyr.shift = o->shift;
    if (o->set & RAD_PYR_OV_FORCE2D)
        out->pyr.force2d = o->force2d;
    if (o->set & RAD_PYR_OV_FORCE2D_DIM)
        out->pyr.force2d_dim = o->force2d_dim;
    if (o->set & RAD_PYR_OV_WEIGHTING)
        out->pyr.weighting = o->weighting;
    if (o->set & RAD_PYR_OV_SYMMETRIC)
        out->pyr.symmetric = o->symmetric;
    if (o->set & RAD_PYR_OV_DISTANCE)
        out->distance = o->distance;
    if (o->set & RAD_PYR_OV_GLDM_A)
        out->ngldm_alpha = o->gldm_a;
}

int rad_settings_check(const RadSettings *s)
{
    if (s->families & ~RAD_FAM_ALL)
        return rad_error_set("unknown feature family bits 0x%x (see rad_families())", s->families & ~RAD_FAM_ALL);
    if (rad_settings_check_norm(s) != 0)
        return -1;
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
    if (s->n_filters < 0 || s->n_filters > RAD_MAX_FILTERS)
        return rad_error_set("filters: at most %d filters, got %d", RAD_MAX_FILTERS, s->n_filters);
    if (s->filter_families & ~(unsigned)RAD_FAM_ON_RESPONSE)
        return rad_error_set("filter_families: only stat (intensity statistics, IBSI 2) is computed on filter "
                             "response maps; texture and histogram families of responses need a discretisation "
                             "IBSI 2 does not standardise (radlab-features(7), FILTERS)");
    if (s->n_filters > 0 && !s->filter_families)
        return rad_error_set("filter_families is empty: name at least one family, e.g. {\"stat\"}");
    if (s->compat != RAD_COMPAT_IBSI && s->compat != RAD_COMPAT_PYRADIOMICS)
        return rad_error_set("compat: unknown value %d (ibsi or pyradiomics)", (int)s->compat);
    if (s->compat == RAD_COMPAT_PYRADIOMICS) {
        const RadPyrSettings *p = &s->pyr;
        if (s->families & ~(unsigned)(RAD_FAM_PYRADIOMICS | RAD_FAM_DIAG))
            return rad_error_set("compat \"pyradiomics\" computes PyRadiomics' classes only: families morph (shape), "
                                 "stat and ih (firstorder), cm (glcm), rlm (glrlm), szm (glszm), ngl (gldm), ngt "
                                 "(ngtdm); loc, ivh and dzm have no PyRadiomics counterpart");
        for (int i = 0; i < s->n_filters; i++) {
            char name[64];
            if (rad_pyrad_image_type(&s->filters[i], name, sizeof name) != 0)
                return rad_error_prefix("filters[%d]", i + 1);
            for (int k = 0; k < i; k++) {
                char other[64];
                if (rad_pyrad_image_type(&s->filters[k], other, sizeof other) == 0 && strcmp(name, other) == 0)
                    return rad_error_set("filters[%d] and filters[%d] are both PyRadiomics' image type %s; give each "
                                         "image type once",
                                         k + 1, i + 1, name);
            }
        }
        if (s->n_filters > 0 && p->pre_crop)
            return rad_error_set("pyradiomics.preCrop with image types (settings.filters): PyRadiomics then filters "
                                 "the image cropped to the mask's bounding box plus padDistance, radlab filters the "
                                 "whole image; remove preCrop (it changes no feature of the original image)");
        if (p->bin_count < 0 || p->bin_count > 65535)
            return rad_error_set("pyradiomics.binCount must be 1..65535, got %d", p->bin_count);
        if (!(p->bin_width > 0 && isfinite(p->bin_width)))
            return rad_error_set("pyradiomics.binWidth must be > 0, got %g", p->bin_width);
        if (!isfinite(p->shift))
            return rad_error_set("pyradiomics.voxelArrayShift must be finite, got %g", p->shift);
        if (p->force2d_dim < 0 || p->force2d_dim > 2)
            return rad_error_set("pyradiomics.force2Ddimension must be 0, 1 or 2, got %d", p->force2d_dim);
        if (p->weighting < RAD_PYR_WEIGHT_NONE || p->weighting > RAD_PYR_WEIGHT_INFINITY)
            return rad_error_set("pyradiomics.weightingNorm: unknown value %d", (int)p->weighting);
        if (p->min_dims < 1 || p->min_dims > 3)
            return rad_error_set("pyradiomics.minimumROIDimensions must be 1, 2 or 3, got %d", p->min_dims);
        if (p->min_size < 0)
            return rad_error_set("pyradiomics.minimumROISize must be >= 0, got %d", p->min_size);
        if (p->pad < 0)
            return rad_error_set("pyradiomics.padDistance must be >= 0, got %d", p->pad);
        if (!p->original && s->n_filters == 0)
            return rad_error_set("pyradiomics.original = false measures no image but the shape: give the image types "
                                 "in settings.filters (PyRadiomics measures Original when imageType is empty)");
        for (int i = 0; i < s->n_filters; i++) {
            const RadPyrOverride *o = &s->filter_pyr[i];
            int f2d = (o->set & RAD_PYR_OV_FORCE2D) ? o->force2d : p->force2d;
            int f2dim = (o->set & RAD_PYR_OV_FORCE2D_DIM) ? o->force2d_dim : p->force2d_dim;
            if (rad_pyrad_override_check(o, p) != 0)
                return rad_error_prefix("filters[%d].pyradiomics", i + 1);
            /* PyRadiomics' 2D wavelet filters the force2D plane; radlab's the axial one */
            if (s->filters[i].kind == RAD_FILTER_PYWAVELET && s->filters[i].dims == 2 && f2d && f2dim != 0)
                return rad_error_set("filters[%d]: a 2D pywavelet filters the axial plane, but force2Ddimension = %d "
                                     "asks PyRadiomics' wavelet to filter the %s plane: radlab cannot reproduce "
                                     "that; use force2Ddimension 0 or a 3D wavelet",
                                     i + 1, f2dim, f2dim == 1 ? "coronal" : "sagittal");
        }
    } else {
        for (int i = 0; i < s->n_filters; i++)
            if (s->filter_pyr[i].set)
                return rad_error_set("filters[%d].pyradiomics (PyRadiomics' per image type settings) needs compat = "
                                     "\"pyradiomics\"", i + 1);
    }
    for (int i = 0; i < s->n_filters; i++) {
        char a[128], b[128];
        if (s->filters[i].dims != 2 && s->filters[i].dims != 3)
            return rad_error_set("filters[%d].dims must be 2 or 3, got %d", i + 1, s->filters[i].dims);
        if (rad_riesz_wanted(&s->filters[i])) {
            if (s->filters[i].kind != RAD_FILTER_LOG && s->filters[i].kind != RAD_FILTER_SIMONCELLI)
                return rad_error_set("filters[%d]: option 'riesz' is available for the log and simoncelli filters "
                                     "only", i + 1);
            if (rad_riesz_check(s->filters[i].riesz, s->filters[i].dims) != 0)
                return rad_error_prefix("filters[%d]", i + 1);
        }
        if (rad_filter_prefix(&s->filters[i], a, sizeof a) != 0)
            return rad_error_prefix("filters[%d]", i + 1);
        for (int j = 0; j < i; j++)
            if (rad_filter_prefix(&s->filters[j], b, sizeof b) == 0 && strcmp(a, b) == 0)
                return rad_error_set("filters[%d] and filters[%d] are the same filter (%s): their features would "
                                     "have the same tags", j + 1, i + 1, a);
    }
    return 0;
}

/* The digest hashes a canonical text rendering of every field (not the
 * struct's bytes, whose padding is unspecified), so equal settings give equal
 * digests on every platform. */
void rad_settings_digest(const RadSettings *s, char out[65])
{
    char text[1024 + 512 + RAD_NORM_PATH_MAX + RAD_MAX_FILTERS * (130 + 120) + 4096 + 96];
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
    /* Normalisation is appended only when on, so that the digests of
     * settings without it stay what they were (existing caches stay valid).
     * A reference mask file enters with its path and its contents' SHA-256,
     * so an edited reference mask invalidates cached features too. */
    if (s->norm != RAD_NORM_NONE && n > 0 && (size_t)n < sizeof text) {
        char fsha[65] = "none";
        if (s->norm == RAD_NORM_REFERENCE && s->norm_ref_mask[0] && memchr(s->norm_ref_mask, '\0', sizeof s->norm_ref_mask) &&
            rad_sha256_file(s->norm_ref_mask, fsha) != 0)
            snprintf(fsha, sizeof fsha, "unreadable");
        n += snprintf(text + n, sizeof text - (size_t)n,
                      ";norm=%d;nscope=%d;nsd=%d;nscale=%.17g;nout=%.17g;np=%.17g,%.17g;nto=%.17g,%.17g;nstat=%d;"
                      "nlabel=%d;nmask=%.*s;nmasksha=%s",
                      (int)s->norm, (int)s->norm_scope, (int)s->norm_sd, s->norm_scale, s->norm_outliers, s->norm_p_lo,
                      s->norm_p_hi, s->norm_to_lo, s->norm_to_hi, (int)s->norm_ref_stat, s->norm_ref_label,
                      RAD_NORM_PATH_MAX - 1, s->norm_ref_mask, fsha);
        if ((size_t)n >= sizeof text)
            n = (int)sizeof text - 1;
    }
    /* Filters too are appended only when present: their tag prefixes
     * carry every parameter but the thread count. */
    if (s->n_filters > 0 && n > 0 && (size_t)n < sizeof text) {
        n += snprintf(text + n, sizeof text - (size_t)n, ";ffam=%u;filters=", s->filter_families);
        for (int i = 0; i < s->n_filters && i < RAD_MAX_FILTERS && (size_t)n < sizeof text; i++) {
            char p[128];
            if (rad_filter_prefix(&s->filters[i], p, sizeof p) != 0)
                snprintf(p, sizeof p, "bad");
            n += snprintf(text + n, sizeof text - (size_t)n, "%s%s", i ? "," : "", p);
        }
        if ((size_t)n >= sizeof text)
            n = (int)sizeof text - 1;
    }
    /* The PyRadiomics conventions too (absent in IBSI mode: digests stay). */
    if (s->compat != RAD_COMPAT_IBSI && n > 0 && (size_t)n < sizeof text) {
        const RadPyrSettings *p = &s->pyr;
        n += snprintf(text + n, sizeof text - (size_t)n,
                      ";compat=%d;pbc=%d;pbw=%.17g;pshift=%.17g;p2d=%d,%d;pw=%d;psym=%d;pmd=%d;pms=%d;ppad=%d",
                      (int)s->compat, p->bin_count, p->bin_width, p->shift, p->force2d, p->force2d_dim,
                      (int)p->weighting, p->symmetric, p->min_dims, p->min_size, p->pad);
        if (p->select_classes[0] && (size_t)n < sizeof text)
            n += snprintf(text + n, sizeof text - (size_t)n, ";pfc=%s|%s", p->select_classes, p->select);
        /* appended only when not the default: digests stay */
        if (!p->original && (size_t)n < sizeof text)
            n += snprintf(text + n, sizeof text - (size_t)n, ";porig=0");
        for (int i = 0; i < s->n_filters && i < RAD_MAX_FILTERS && (size_t)n < sizeof text; i++) {
            const RadPyrOverride *o = &s->filter_pyr[i];
            unsigned b = o->set;
            if (b) /* the fields given, 0 for the others */
                n += snprintf(text + n, sizeof text - (size_t)n, ";pov%d=%u,%d,%.17g,%.17g,%d,%d,%d,%d,%d,%d", i + 1, b,
                              b & RAD_PYR_OV_BIN_COUNT ? o->bin_count : 0,
                              b & RAD_PYR_OV_BIN_WIDTH ? o->bin_width : 0, b & RAD_PYR_OV_SHIFT ? o->shift : 0,
                              b & RAD_PYR_OV_FORCE2D ? o->force2d != 0 : 0,
                              b & RAD_PYR_OV_FORCE2D_DIM ? o->force2d_dim : 0,
                              b & RAD_PYR_OV_WEIGHTING ? (int)o->weighting : 0,
                              b & RAD_PYR_OV_SYMMETRIC ? o->symmetric != 0 : 0,
                              b & RAD_PYR_OV_DISTANCE ? o->distance : 0, b & RAD_PYR_OV_GLDM_A ? o->gldm_a : 0);
        }
        if ((size_t)n >= sizeof text)
            n = (int)sizeof text - 1;
    }
    rad_sha256_hex(text, (size_t)(n < 0 ? 0 : n), out);
}
