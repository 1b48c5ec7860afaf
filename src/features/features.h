/* radlab: the IBSI 1 feature engine: settings, preprocessed ROI, feature sets,
 * the registry and the family interface.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pipeline (IBSI 1 chapter 2, docs/02_Image_processing.rst):
 *   image + mask
 *     -> optional rounding of input intensities           (preprocess.c)
 *     -> optional intensity normalisation (z-score, percentiles, reference
 *        region) of the whole image on its own grid: image post-acquisition
 *        processing (PCDE), before interpolation        (preprocess.c)
 *     -> interpolation to new spacing, grid centres aligned,
 *        mask interpolated and thresholded at a partial-volume fraction,
 *        intensities optionally rounded                     (src/image/resample.c)
 *     -> morphological mask = interpolated mask;
 *        intensity mask = morphological mask re-segmented by range and/or
 *        mean +/- k sigma                                    (preprocess.c)
 *     -> discretisation (fixed bin number / fixed bin size) (preprocess.c)
 *     -> RadRoi, read by every feature family                (one file per family)
 *
 * Every function is reentrant: no global mutable state, so cases can be
 * processed on threads.  Failures record a message (util/error.h) and return -1.
 */
#ifndef RAD_FEATURES_FEATURES_H
#define RAD_FEATURES_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"
#include "image/filters/filter.h"

/* ---- settings --------------------------------------------------------------- */

typedef enum RadDisc {
    RAD_DISC_NONE = 0,  /* grey level = intensity (must be integers >= 1) */
    RAD_DISC_FBN,       /* fixed bin number (IBSI K15C) */
    RAD_DISC_FBS        /* fixed bin size (IBSI Q3RU) */
} RadDisc;

typedef enum RadIvhMode {
    RAD_IVH_DISCRETE = 0, /* intensities used as they are, w = 1 ("calibrated discrete") */
    RAD_IVH_FBS,          /* calibrated continuous: bins of ivh_width from ivh_min, bin centres */
    RAD_IVH_FBN           /* arbitrary units: ivh_bins bins */
} RadIvhMode;

/* Intensity normalisation (image post-acquisition processing, IBSI PCDE):
 * applied to the whole image on its own grid, after rounding of the input
 * and before interpolation; statistics are over the finite voxels of the
 * region named by the scope. */
typedef enum RadNorm {
    RAD_NORM_NONE = 0,    /* off (the default) */
    RAD_NORM_ZSCORE,      /* scale * (x - mean) / sd, optionally clipped at +/- k sd before scaling */
    RAD_NORM_PERCENTILE,  /* linear map: percentile p_lo -> to_lo, p_hi -> to_hi */
    RAD_NORM_REFERENCE    /* against a reference region: x / mean_ref or (x - mean_ref) / sd_ref */
} RadNorm;

typedef enum RadNormScope {
    RAD_NORM_SCOPE_ROI = 0, /* the ROI on the original grid (the mask's selected label) */
    RAD_NORM_SCOPE_IMAGE    /* every voxel of the image (PyRadiomics' normalize) */
} RadNormScope;

typedef enum RadNormSd {
    RAD_NORM_SD_POPULATION = 0, /* divide by N */
    RAD_NORM_SD_SAMPLE          /* divide by N - 1 */
} RadNormSd;

typedef enum RadNormStat {
    RAD_NORM_STAT_MEAN = 0, /* x / mean_ref */
    RAD_NORM_STAT_ZSCORE    /* (x - mean_ref) / sd_ref */
} RadNormStat;

#define RAD_NORM_PATH_MAX 1024

/* texture aggregations requested (IBSI "Aggregating features") */
#define RAD_AGGR_2D 1u    /* cm/rlm: _2D_avg, _2D_comb; szm/dzm/ngt/ngl: _2D */
#define RAD_AGGR_2_5D 2u  /* cm/rlm: _2_5D_avg, _2_5D_comb; others: _2_5D */
#define RAD_AGGR_3D 4u    /* cm/rlm: _3D_avg, _3D_comb; others: _3D */

/* families (bit i = family i of the registry) */
#define RAD_FAM_MORPH (1u << 0)
#define RAD_FAM_LOC   (1u << 1)
#define RAD_FAM_STAT  (1u << 2)
#define RAD_FAM_IH    (1u << 3)
#define RAD_FAM_IVH   (1u << 4)
#define RAD_FAM_CM    (1u << 5)
#define RAD_FAM_RLM   (1u << 6)
#define RAD_FAM_SZM   (1u << 7)
#define RAD_FAM_DZM   (1u << 8)
#define RAD_FAM_NGT   (1u << 9)
#define RAD_FAM_NGL   (1u << 10)
#define RAD_FAM_DIAG  (1u << 11) /* the IBSI diagnostic rows (diag_img_dim_x_init_img, ...) */
#define RAD_FAM_ALL   0xfffu    /* every family and the diagnostic rows */
#define RAD_FAM_FEATURES 0x7ffu /* the 11 IBSI families (the default): no diagnostic rows */
/* The families computed on filter response maps.  IBSI 2 (phase 2) defines
 * the intensity statistics of a response inside the ROI: a response has no
 * natural grey levels, and IBSI 2 leaves the discretisation of filtered
 * images for texture open (it recommends a fixed bin number over the
 * response range, untested in its phases), so texture, histogram, IVH,
 * morphology and local intensity families are refused on responses. */
#define RAD_FAM_ON_RESPONSE RAD_FAM_STAT
#define RAD_MAX_FILTERS 32

/* Conventions: IBSI (the default) or PyRadiomics' (radlab-features(7),
 * PYRADIOMICS COMPATIBILITY): its discretisation, its feature definitions
 * and its feature names (original_glcm_Contrast), computed by pyrad.c. */
typedef enum RadCompat {
    RAD_COMPAT_IBSI = 0,
    RAD_COMPAT_PYRADIOMICS
} RadCompat;

/* PyRadiomics' weightingNorm: how the per-angle GLCM/GLRLM matrices are
 * combined (NONE: features per angle, then averaged; the others sum the
 * matrices, weighted, into one). */
typedef enum RadPyrWeight {
    RAD_PYR_WEIGHT_NONE = 0,
    RAD_PYR_WEIGHT_NO_WEIGHTING,
    RAD_PYR_WEIGHT_MANHATTAN,
    RAD_PYR_WEIGHT_EUCLIDEAN,
    RAD_PYR_WEIGHT_INFINITY
} RadPyrWeight;

/* The PyRadiomics options radlab has no IBSI setting for (the others map
 * onto RadSettings: normalize -> norm, resegmentRange -> reseg_*,
 * resampledPixelSpacing -> resample, gldm_a -> ngldm_alpha, distances ->
 * distance). */
typedef struct RadPyrSettings {
    int bin_count;              /* binCount (FBN over numpy histogram edges); 0: binWidth */
    double bin_width;           /* binWidth (edges anchored at 0), default 25 */
    double shift;               /* voxelArrayShift (Energy, TotalEnergy, RootMeanSquared) */
    int force2d;                /* force2D: texture matrices in-plane only */
    int force2d_dim;            /* force2Ddimension: 0 = z (axial), 1 = y, 2 = x */
    RadPyrWeight weighting;     /* weightingNorm */
    int symmetric;              /* symmetricalGLCM (default 1) */
    int min_dims;               /* minimumROIDimensions (1..3, default 2) */
    int min_size;               /* minimumROISize (0 = none) */
    int pad;                    /* padDistance (resampling crop margin, voxels; default 5) */
    int pre_crop;               /* preCrop (refused with image types: see settings.c) */
    int original;               /* imageType Original (default 1); 0: only the filters' image types and shape */
    /* featureClass lists: the classes restricted to listed features
     * (";glcm;firstorder;") and those features (";glcm_Contrast;...;");
     * "" when no class has a list */
    char select_classes[96];
    char select[4096];
} RadPyrSettings;

/* compat = "pyradiomics": the settings one image type changes for itself
 * (the custom settings of its imageType mapping in a parameter file).  Only
 * what PyRadiomics reads per image type, in the filter and its feature
 * classes; loading, resampling, normalisation, re-segmentation and the mask
 * checks happen once with the general settings.  `set` has a RAD_PYR_OV_*
 * bit per field given; the others keep the general value. */
enum {
    RAD_PYR_OV_BIN_WIDTH = 1 << 0,  /* binWidth */
    RAD_PYR_OV_BIN_COUNT = 1 << 1,  /* binCount */
    RAD_PYR_OV_SHIFT = 1 << 2,      /* voxelArrayShift */
    RAD_PYR_OV_FORCE2D = 1 << 3,    /* force2D */
    RAD_PYR_OV_FORCE2D_DIM = 1 << 4,/* force2Ddimension */
    RAD_PYR_OV_WEIGHTING = 1 << 5,  /* weightingNorm */
    RAD_PYR_OV_SYMMETRIC = 1 << 6,  /* symmetricalGLCM */
    RAD_PYR_OV_DISTANCE = 1 << 7,   /* distances */
    RAD_PYR_OV_GLDM_A = 1 << 8      /* gldm_a */
};
typedef struct RadPyrOverride {
    unsigned set;
    int bin_count;
    double bin_width;
    double shift;
    int force2d, force2d_dim;
    RadPyrWeight weighting;
    int symmetric;
    int distance;
    int gldm_a;
} RadPyrOverride;

typedef struct RadSettings {
    unsigned families;          /* RAD_FAM_* bits to compute (default RAD_FAM_FEATURES;
                                 * RAD_FAM_DIAG adds the diagnostic rows) */
    int round_input;            /* round input intensities to integers (CT: yes) */

    /* intensity normalisation (see RadNorm); off when norm = RAD_NORM_NONE */
    RadNorm norm;
    RadNormScope norm_scope;    /* zscore, percentile */
    RadNormSd norm_sd;          /* zscore and reference zscore: SD divisor */
    double norm_scale;          /* zscore: multiplier s (default 1) */
    double norm_outliers;       /* zscore: clip z to [-k, k] before scaling (0 = off) */
    double norm_p_lo, norm_p_hi;/* percentile: percentiles in [0, 100], p_lo < p_hi */
    double norm_to_lo, norm_to_hi; /* percentile: target values (default 0, 1) */
    RadNormStat norm_ref_stat;  /* reference: mean ratio or z-score */
    int norm_ref_label;         /* reference: label (1..255); 0 = every non-zero voxel
                                 * of norm_ref_mask */
    char norm_ref_mask[RAD_NORM_PATH_MAX]; /* reference: mask file; "" = the extraction's own mask */

    /* interpolation (IBSI 2.4); off when resample = 0 */
    int resample;
    int resample_2d;            /* in-plane only: z keeps its spacing and grid */
    double spacing[3];          /* new spacing, mm (spacing[2] ignored when resample_2d) */
    RadInterp interp;           /* image interpolator */
    RadInterp mask_interp;      /* mask interpolator */
    double mask_threshold;      /* partial-volume fraction delta (default 0.5) */
    int round_intensities;      /* round intensities after interpolation */

    /* re-segmentation (IBSI 2.5): range [lo, hi] (+/-INFINITY = open) and
     * outlier filtering at mean +/- outlier_sigma * sd (0 = off) */
    int reseg_range;
    double reseg_lo, reseg_hi;
    double outlier_sigma;

    /* discretisation for IH and texture (IBSI 2.7) */
    RadDisc disc;
    int bins;                   /* FBN */
    double bin_width;           /* FBS */
    int has_disc_min;           /* FBS: minimum given; else reseg_lo if finite, else ROI min */
    double disc_min;

    /* discretisation for IVH (IBSI 4.5) */
    RadIvhMode ivh;
    double ivh_width;           /* RAD_IVH_FBS */
    int ivh_bins;               /* RAD_IVH_FBN */
    int has_ivh_range;          /* [ivh_min, ivh_max]; else re-segmentation range, else ROI range */
    double ivh_min, ivh_max;

    /* texture */
    unsigned aggr;              /* RAD_AGGR_* */
    int distance;               /* GLCM, NGTDM, NGLDM neighbourhood (Chebyshev), default 1 */
    int ngldm_alpha;            /* NGLDM coarseness, default 0 */

    /* IBSI 2 filters: each response map of the (interpolated) image is
     * sampled in the ROI prepared from the original intensities, and the
     * families in filter_families (a subset of RAD_FAM_ON_RESPONSE,
     * default RAD_FAM_STAT) are computed on it, tags prefixed with
     * rad_filter_prefix.  n_filters 0: none (the digest does not change). */
    int n_filters;
    RadFilterSpec filters[RAD_MAX_FILTERS];
    unsigned filter_families;
    /* compat = "pyradiomics": filter_pyr[i] is what filters[i]'s image type
     * changes of settings.pyradiomics (set 0: nothing) */
    RadPyrOverride filter_pyr[RAD_MAX_FILTERS];

    RadCompat compat;           /* IBSI (default) or PyRadiomics conventions and names */
    RadPyrSettings pyr;         /* used when compat = RAD_COMPAT_PYRADIOMICS */
} RadSettings;

/* Defaults: the 11 IBSI families (no diagnostic rows), no interpolation, no re-segmentation, FBN 32,
 * IVH discrete, 3D aggregations, distance 1, alpha 0, delta 0.5. */
void rad_settings_default(RadSettings *s);
/* Check consistency (bin width > 0, bins 1..65535, spacing > 0, ...); 0 or -1. */
int rad_settings_check(const RadSettings *s);
/* SHA-256 hex digest (64 chars + NUL) of the settings, for provenance. */
void rad_settings_digest(const RadSettings *s, char out[65]);

/* The tag prefix of a filter's features, unique for its parameters (all but
 * threads): "log_s1.5mm_3D", "wav_db3_LLH_L1_inv_3D", "mean_5_2D",
 * "laws_L5E5E5_e7_inv_3D", "gabor_s5_g1.5_l2_t0_22.5_3D",
 * "simoncelli_L1_3D"; non-default options add parts (radlab-features(7),
 * FILTERS).  Writes at most size bytes; 0, or -1 when it does not fit. */
int rad_filter_prefix(const RadFilterSpec *spec, char *out, size_t size);

/* compat = "pyradiomics": PyRadiomics' name of the image type a filter makes
 * (log-sigma-1-0-mm-3D, wavelet-LLH, wavelet2-HLH, square, squareroot,
 * logarithm, exponential, gradient, lbp-2D, lbp-3D-m1, lbp-3D-k); -1 with a
 * message for a filter that is not one of PyRadiomics' image types. */
int rad_pyrad_image_type(const RadFilterSpec *spec, char *out, size_t size);

/* compat = "pyradiomics": the settings filters[i]'s image type is measured
 * with: s with filter_pyr[i] applied, shape off (it describes the mask: the
 * original image's only) and no filters. */
void rad_pyrad_type_settings(const RadSettings *s, int i, RadSettings *out);

/* ---- feature sets --------------------------------------------------------------- */

typedef struct RadFeatureSet {
    size_t n, cap;
    char **tags;     /* owned */
    double *values;  /* NaN: undefined for this ROI (see rad_featureset_note_undefined) */
    char digest[65]; /* settings digest */
    char *warning;   /* owned; NULL, or one line naming the undefined features */
} RadFeatureSet;

RadFeatureSet *rad_featureset_new(void);
void rad_featureset_free(RadFeatureSet *fs);
/* Append tag = value (tag copied).  0 or -1 (out of memory). */
int rad_featureset_add(RadFeatureSet *fs, const char *tag, double value);
/* Append "<base><suffix>" = value, e.g. ("cm_joint_max", "_3D_comb"). */
int rad_featureset_add2(RadFeatureSet *fs, const char *base, const char *suffix, double value);
/* Index of tag or -1. */
long rad_featureset_find(const RadFeatureSet *fs, const char *tag);
/* When any value from index `first` on is NaN (a feature IBSI leaves
 * undefined for this ROI), set fs->warning to one line
 *   "N features undefined for this ROI (<why>): tag, tag, ..."
 * (why: e.g. "one voxel, one grey level").  0, or -1 when out of memory. */
int rad_featureset_note_undefined(RadFeatureSet *fs, size_t first, const char *why);

/* ---- the preprocessed region of interest ------------------------------------------ */

typedef struct RadRoi {
    RadGeometry geom;      /* grid after interpolation; arrays below are on it */
    float *image;          /* intensities of the whole grid (after rounding) */
    uint8_t *morph;        /* morphological mask, 0/1 */
    uint8_t *mask;         /* intensity mask, 0/1 (morph after re-segmentation) */
    size_t n_morph, n_mask;/* voxel counts (n_mask >= 1 is guaranteed) */
    RadBox box;            /* bounding box of morph (contains mask) */
    int *grey;             /* discretised grey level 1..ng inside mask, 0 outside */
    int ng;                /* number of grey levels (the matrix size of textures) */
    double disc_min;       /* FBS: the bin origin actually used; FBN: ROI min */
    double disc_width;     /* FBS: bin width; FBN: (max-min)/ng */
    int is_2d;             /* ROI treated slice by slice (2D image) */
    int image_borrowed;    /* image is the input image's data (no interpolation, no
                            * rounding needed): not freed by rad_roi_free; the input
                            * image must outlive the RadRoi */
    int morph_borrowed;    /* morph is the input mask's data (no interpolation, labels
                            * 0/1 only): the same */
    int mask_is_morph;     /* mask == morph (no re-segmentation): freed once */
} RadRoi;

/* Run the pipeline: img and mask must share a geometry; the mask's selected
 * label is the ROI.  Appends the diagnostic rows to `diag` when not NULL:
 * "diag_" followed by the IBSI diagnostic tag of CONFIGS.md
 * (diag_img_dim_x_init_img, diag_int_mask_vox_count_reseg_roi, ...).  Fails with a clear message when the
 * ROI is empty after any step. */
int rad_roi_prepare(const RadImage *img, const RadMask *mask, const RadSettings *s,
                    RadRoi *roi, RadFeatureSet *diag);
/* The same, interpolating image and mask side by side on up to `threads`
 * threads (<= 0: one per processor; rad_roi_prepare uses 0). */
int rad_roi_prepare_threads(const RadImage *img, const RadMask *mask, const RadSettings *s,
                            RadRoi *roi, RadFeatureSet *diag, int threads);
void rad_roi_free(RadRoi *roi);

/* ---- the registry ------------------------------------------------------------------- */

typedef enum RadAggrKind {
    RAD_AGGR_KIND_NONE = 0, /* morph, loc, stat, ih, ivh: one value, no suffix */
    RAD_AGGR_KIND_MATRIX,   /* cm, rlm: _2D_avg _2D_comb _2_5D_avg _2_5D_comb _3D_avg _3D_comb */
    RAD_AGGR_KIND_ZONE,     /* szm, dzm, ngt, ngl: _2D _2_5D _3D */
    RAD_AGGR_KIND_DIAG      /* diagnostics */
} RadAggrKind;

typedef struct RadFeatureDef {
    const char *tag;        /* base tag without aggregation suffix, e.g. "cm_joint_max" */
    const char *ibsi_id;    /* permanent identifier, e.g. "GYBY" ("" if none printed) */
    const char *name;       /* IBSI feature name, e.g. "Joint maximum" */
    const char *unit;       /* "mm^3", "HU", "" (dimensionless or intensity-dependent) */
} RadFeatureDef;

/* A family computes all of its features for the aggregations in s->aggr and
 * appends "<tag><suffix>" for each to fs. */
typedef int (*RadFamilyFn)(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs);
/* Part `part` (0..nparts-1) of a family that splits into independent parts:
 * compute = the parts in order, whose rows follow one another. */
typedef int (*RadFamilyPartFn)(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs, int part);

typedef struct RadFamily {
    const char *prefix;     /* "cm" */
    const char *name;       /* "Grey level co-occurrence matrix (GLCM)" */
    const char *ibsi_id;    /* "LFYI" */
    unsigned bit;           /* RAD_FAM_CM */
    RadAggrKind aggr_kind;
    const RadFeatureDef *defs; /* terminated by {NULL} */
    RadFamilyFn compute;
    int nparts;             /* > 1: compute splits into nparts parts (the extraction runs
                             * them as separate jobs); 0: one part */
    RadFamilyPartFn part;   /* the parts (NULL when nparts <= 1) */
} RadFamily;

/* Each family file defines its table and compute function. */
extern const RadFamily rad_family_morph, rad_family_loc, rad_family_stat, rad_family_ih,
    rad_family_ivh, rad_family_cm, rad_family_rlm, rad_family_szm, rad_family_dzm,
    rad_family_ngt, rad_family_ngl;
/* The diagnostic rows, listed like a family; computed by rad_roi_prepare
 * (compute is NULL). */
extern const RadFamily rad_family_diag;

/* Moran's I (N365) and Geary's C (NPT7) of the ROI's intensity mask (part
 * of the morphology family): method 0 picks the direct pair sum or the FFT
 * by estimated cost, 1 forces the direct sum, 2 the FFT (tests compare
 * them).  NaN when undefined (fewer than 2 voxels, constant intensity).
 * 0 or -1. */
int rad_morph_moran_geary(const RadRoi *roi, int method, double *moran, double *geary);

/* All families in registry order (NULL-terminated). */
const RadFamily *const *rad_families(void);

/* Suffixes of an aggregation kind for the RAD_AGGR_* bits in aggr:
 * writes up to 6 suffix strings, returns their count. */
int rad_aggr_suffixes(RadAggrKind kind, unsigned aggr, const char *out[6]);

/* The families PyRadiomics has (shape, firstorder = stat + ih, glcm,
 * glrlm, glszm, gldm = ngl, ngtdm): the only ones in compat mode. */
#define RAD_FAM_PYRADIOMICS (RAD_FAM_MORPH | RAD_FAM_STAT | RAD_FAM_IH | RAD_FAM_CM | RAD_FAM_RLM | \
                             RAD_FAM_SZM | RAD_FAM_NGL | RAD_FAM_NGT)

/* PyRadiomics-compatible features of a prepared ROI (s->compat =
 * RAD_COMPAT_PYRADIOMICS), named original_<class>_<Feature>, appended to
 * fs for the families in s->families.  0 or -1. */
int rad_pyrad_compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs);
/* The same on up to `threads` threads (<= 0: one per processor;
 * rad_pyrad_compute uses 0): the classes run as jobs of the thread pool,
 * their features appended in class order, so the result does not depend on
 * the thread count. */
int rad_pyrad_compute_threads(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs, int threads);
/* After the original image's features (from index first of fs): each
 * feature a featureClass list names must have been computed; -1 with a
 * message naming the first that was not (a typo, or a class not enabled). */
int rad_pyrad_select_check(const RadFeatureSet *fs, size_t first, const RadSettings *s);
/* PyRadiomics' features beside radlab's (pyrad_names.c): class and name as
 * PyRadiomics spells them, the radlab tag of the corresponding IBSI feature
 * at PyRadiomics' default aggregation (NULL: the IBSI defines none) and what
 * differs (NULL: nothing beyond the discretisation). */
typedef struct RadPyrFeatureDef {
    const char *cls, *name, *ibsi_tag, *note;
} RadPyrFeatureDef;
/* Every feature compat mode computes, in its output order; ends with a row of NULLs. */
const RadPyrFeatureDef *rad_pyrad_features(void);
/* PyRadiomics' resampling grid (resampleImage): the ROI's bounding box in
 * m0 (0/1 on g0) widened by pad voxels of the new grid, clipped to the
 * image, first voxel centre half a new voxel in from the old voxel's
 * corner; an axis the ROI spans one voxel of keeps its spacing.  0 or -1. */
int rad_pyrad_resample_grid(const RadGeometry *g0, const uint8_t *m0, const double spacing[3], int pad,
                            RadGeometry *out);

/* ---- extraction ------------------------------------------------------------------------ */

/* Preprocess, run every requested family, return the feature set (diagnostic
 * rows first when RAD_FAM_DIAG is set, then families in registry order).
 * Features that IBSI leaves undefined for the ROI (a single voxel, a single
 * grey level, ...: radlab-features(7), "UNDEFINED FEATURES") are NaN, and
 * fs->warning names them. */
RadFeatureSet *rad_extract(const RadImage *img, const RadMask *mask, const RadSettings *s);
/* The same on up to `threads` threads (<= 0: one per processor; rad_extract
 * uses 0): the image and mask interpolations run side by side, then the
 * families run as jobs of the thread pool (util/pool.h; inside a job of
 * another run, e.g. a case of a cohort, only on the processors left spare).
 * The result does not depend on the thread count. */
RadFeatureSet *rad_extract_threads(const RadImage *img, const RadMask *mask, const RadSettings *s, int threads);
/* The features of the filter responses of s->filters on the prepared roi,
 * appended to fs (rad_extract_threads calls it after the families). */
int rad_extract_filtered(const RadRoi *roi, const RadSettings *s, int threads, RadFeatureSet *fs);
/* The same in compat = "pyradiomics": each filter's response measured as
 * PyRadiomics measures an image type (its enabled classes but shape, with
 * the same settings), features named <image type>_<class>_<Feature>. */
int rad_extract_filtered_pyrad(const RadRoi *roi, const RadSettings *s, int threads, RadFeatureSet *fs);

#endif
