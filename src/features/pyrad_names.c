/* radlab: PyRadiomics' feature names beside radlab's IBSI tags.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per feature compat = "pyradiomics" computes (pyrad.c), in the
 * order it adds them: PyRadiomics' class and name, the radlab tag of the
 * IBSI feature it corresponds to (PyRadiomics' default aggregation: GLCM and
 * GLRLM features per direction then averaged, the others from one 3D
 * matrix), or NULL when the IBSI defines none, and what differs beyond the
 * grey levels (PyRadiomics' bin edges are multiples of binWidth).  The test
 * tests/lua/pyradiomics_names.lua holds this table to pyrad.c's output and to
 * the registry's tags. */
#include <stddef.h>

#include "features/features.h"

#define SHIFT "voxelArrayShift is added to every intensity first"
#define MESH "on PyRadiomics' own marching-cubes mesh"
#define PCA "from the covariance divided by N (IBSI: N - 1)"

static const RadPyrFeatureDef defs[] = {
    /* shape.py */
    {"shape", "Elongation", "morph_pca_elongation", NULL},
    {"shape", "Flatness", "morph_pca_flatness", NULL},
    {"shape", "LeastAxisLength", "morph_pca_least_axis", PCA},
    {"shape", "MajorAxisLength", "morph_pca_maj_axis", PCA},
    {"shape", "Maximum2DDiameterColumn", NULL, "largest distance between mesh vertices in a coronal plane"},
    {"shape", "Maximum2DDiameterRow", NULL, "largest distance between mesh vertices in a sagittal plane"},
    {"shape", "Maximum2DDiameterSlice", NULL, "largest distance between mesh vertices in an axial plane"},
    {"shape", "Maximum3DDiameter", "morph_diam", MESH},
    {"shape", "MeshVolume", "morph_volume", MESH},
    {"shape", "MinorAxisLength", "morph_pca_min_axis", PCA},
    {"shape", "Sphericity", "morph_sphericity", MESH},
    {"shape", "SurfaceArea", "morph_area_mesh", MESH},
    {"shape", "SurfaceVolumeRatio", "morph_av", MESH},
    {"shape", "VoxelVolume", "morph_vol_approx", NULL},
    {"shape", "Compactness1", "morph_comp_1", MESH},
    {"shape", "Compactness2", "morph_comp_2", MESH},
    {"shape", "SphericalDisproportion", "morph_sph_dispr", MESH},
    /* firstorder.py */
    {"firstorder", "Energy", "stat_energy", SHIFT},
    {"firstorder", "TotalEnergy", NULL, "Energy times the voxel volume (mm^3)"},
    {"firstorder", "Entropy", "ih_entropy", "log2(p + 2.2e-16)"},
    {"firstorder", "Minimum", "stat_min", NULL},
    {"firstorder", "10Percentile", "stat_p10", "numpy's linear-interpolation percentile"},
    {"firstorder", "90Percentile", "stat_p90", "numpy's linear-interpolation percentile"},
    {"firstorder", "Maximum", "stat_max", NULL},
    {"firstorder", "Mean", "stat_mean", NULL},
    {"firstorder", "Median", "stat_median", NULL},
    {"firstorder", "InterquartileRange", "stat_iqr", "numpy's linear-interpolation percentiles"},
    {"firstorder", "Range", "stat_range", NULL},
    {"firstorder", "MeanAbsoluteDeviation", "stat_mad", NULL},
    {"firstorder", "RobustMeanAbsoluteDeviation", "stat_rmad", "numpy's linear-interpolation percentiles"},
    {"firstorder", "RootMeanSquared", "stat_rms", SHIFT},
    {"firstorder", "Skewness", "stat_skew", "0 for a flat region"},
    {"firstorder", "Kurtosis", "stat_kurt", "not excess: the IBSI value plus 3; 0 for a flat region"},
    {"firstorder", "Variance", "stat_var", NULL},
    {"firstorder", "Uniformity", "ih_uniformity", NULL},
    /* glcm.py */
    {"glcm", "Autocorrelation", "cm_auto_corr_3D_avg", NULL},
    {"glcm", "JointAverage", "cm_joint_avg_3D_avg", NULL},
    {"glcm", "ClusterProminence", "cm_clust_prom_3D_avg", NULL},
    {"glcm", "ClusterShade", "cm_clust_shade_3D_avg", NULL},
    {"glcm", "ClusterTendency", "cm_clust_tend_3D_avg", NULL},
    {"glcm", "Contrast", "cm_contrast_3D_avg", NULL},
    {"glcm", "Correlation", "cm_corr_3D_avg", "1 for a flat region"},
    {"glcm", "DifferenceAverage", "cm_diff_avg_3D_avg", NULL},
    {"glcm", "DifferenceEntropy", "cm_diff_entr_3D_avg", "log2(p + 2.2e-16)"},
    {"glcm", "DifferenceVariance", "cm_diff_var_3D_avg", NULL},
    {"glcm", "JointEnergy", "cm_energy_3D_avg", NULL},
    {"glcm", "JointEntropy", "cm_joint_entr_3D_avg", "log2(p + 2.2e-16)"},
    {"glcm", "Imc1", "cm_info_corr1_3D_avg", NULL},
    {"glcm", "Imc2", "cm_info_corr2_3D_avg", NULL},
    {"glcm", "Idm", "cm_inv_diff_mom_3D_avg", NULL},
    {"glcm", "MCC", NULL, "maximal correlation coefficient"},
    {"glcm", "Idmn", "cm_inv_diff_mom_norm_3D_avg", NULL},
    {"glcm", "Id", "cm_inv_diff_3D_avg", NULL},
    {"glcm", "Idn", "cm_inv_diff_norm_3D_avg", NULL},
    {"glcm", "InverseVariance", "cm_inv_var_3D_avg", NULL},
    {"glcm", "MaximumProbability", "cm_joint_max_3D_avg", NULL},
    {"glcm", "SumAverage", "cm_sum_avg_3D_avg", NULL},
    {"glcm", "SumEntropy", "cm_sum_entr_3D_avg", "log2(p + 2.2e-16)"},
    {"glcm", "SumSquares", "cm_joint_var_3D_avg", NULL},
    /* glrlm.py */
    {"glrlm", "ShortRunEmphasis", "rlm_sre_3D_avg", NULL},
    {"glrlm", "LongRunEmphasis", "rlm_lre_3D_avg", NULL},
    {"glrlm", "GrayLevelNonUniformity", "rlm_glnu_3D_avg", NULL},
    {"glrlm", "GrayLevelNonUniformityNormalized", "rlm_glnu_norm_3D_avg", NULL},
    {"glrlm", "RunLengthNonUniformity", "rlm_rlnu_3D_avg", NULL},
    {"glrlm", "RunLengthNonUniformityNormalized", "rlm_rlnu_norm_3D_avg", NULL},
    {"glrlm", "RunPercentage", "rlm_r_perc_3D_avg", NULL},
    {"glrlm", "GrayLevelVariance", "rlm_gl_var_3D_avg", NULL},
    {"glrlm", "RunVariance", "rlm_rl_var_3D_avg", NULL},
    {"glrlm", "RunEntropy", "rlm_rl_entr_3D_avg", "log2(p + 2.2e-16)"},
    {"glrlm", "LowGrayLevelRunEmphasis", "rlm_lgre_3D_avg", NULL},
    {"glrlm", "HighGrayLevelRunEmphasis", "rlm_hgre_3D_avg", NULL},
    {"glrlm", "ShortRunLowGrayLevelEmphasis", "rlm_srlge_3D_avg", NULL},
    {"glrlm", "ShortRunHighGrayLevelEmphasis", "rlm_srhge_3D_avg", NULL},
    {"glrlm", "LongRunLowGrayLevelEmphasis", "rlm_lrlge_3D_avg", NULL},
    {"glrlm", "LongRunHighGrayLevelEmphasis", "rlm_lrhge_3D_avg", NULL},
    /* glszm.py */
    {"glszm", "SmallAreaEmphasis", "szm_sze_3D", NULL},
    {"glszm", "LargeAreaEmphasis", "szm_lze_3D", NULL},
    {"glszm", "GrayLevelNonUniformity", "szm_glnu_3D", NULL},
    {"glszm", "GrayLevelNonUniformityNormalized", "szm_glnu_norm_3D", NULL},
    {"glszm", "SizeZoneNonUniformity", "szm_zsnu_3D", NULL},
    {"glszm", "SizeZoneNonUniformityNormalized", "szm_zsnu_norm_3D", NULL},
    {"glszm", "ZonePercentage", "szm_z_perc_3D", NULL},
    {"glszm", "GrayLevelVariance", "szm_gl_var_3D", NULL},
    {"glszm", "ZoneVariance", "szm_zs_var_3D", NULL},
    {"glszm", "ZoneEntropy", "szm_zs_entr_3D", "log2(p + 2.2e-16)"},
    {"glszm", "LowGrayLevelZoneEmphasis", "szm_lgze_3D", NULL},
    {"glszm", "HighGrayLevelZoneEmphasis", "szm_hgze_3D", NULL},
    {"glszm", "SmallAreaLowGrayLevelEmphasis", "szm_szlge_3D", NULL},
    {"glszm", "SmallAreaHighGrayLevelEmphasis", "szm_szhge_3D", NULL},
    {"glszm", "LargeAreaLowGrayLevelEmphasis", "szm_lzlge_3D", NULL},
    {"glszm", "LargeAreaHighGrayLevelEmphasis", "szm_lzhge_3D", NULL},
    /* gldm.py: the IBSI NGLDM with coarseness gldm_a and Chebyshev distance 1 */
    {"gldm", "SmallDependenceEmphasis", "ngl_lde_3D", NULL},
    {"gldm", "LargeDependenceEmphasis", "ngl_hde_3D", NULL},
    {"gldm", "GrayLevelNonUniformity", "ngl_glnu_3D", NULL},
    {"gldm", "DependenceNonUniformity", "ngl_dcnu_3D", NULL},
    {"gldm", "DependenceNonUniformityNormalized", "ngl_dcnu_norm_3D", NULL},
    {"gldm", "GrayLevelVariance", "ngl_gl_var_3D", NULL},
    {"gldm", "DependenceVariance", "ngl_dc_var_3D", NULL},
    {"gldm", "DependenceEntropy", "ngl_dc_entr_3D", "log2(p + 2.2e-16)"},
    {"gldm", "LowGrayLevelEmphasis", "ngl_lgce_3D", NULL},
    {"gldm", "HighGrayLevelEmphasis", "ngl_hgce_3D", NULL},
    {"gldm", "SmallDependenceLowGrayLevelEmphasis", "ngl_ldlge_3D", NULL},
    {"gldm", "SmallDependenceHighGrayLevelEmphasis", "ngl_ldhge_3D", NULL},
    {"gldm", "LargeDependenceLowGrayLevelEmphasis", "ngl_hdlge_3D", NULL},
    {"gldm", "LargeDependenceHighGrayLevelEmphasis", "ngl_hdhge_3D", NULL},
    /* ngtdm.py */
    {"ngtdm", "Coarseness", "ngt_coarseness_3D", "1e6 when the sum of differences is 0"},
    {"ngtdm", "Contrast", "ngt_contrast_3D", NULL},
    {"ngtdm", "Busyness", "ngt_busyness_3D", "0 when its denominator is 0"},
    {"ngtdm", "Complexity", "ngt_complexity_3D", NULL},
    {"ngtdm", "Strength", "ngt_strength_3D", NULL},
    {NULL, NULL, NULL, NULL}};

const RadPyrFeatureDef *rad_pyrad_features(void)
{
    return defs;
}
