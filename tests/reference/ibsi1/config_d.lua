-- IBSI 1 CT phantom, configuration D (IBSI 05 "Configuration D"; CONFIGS.md):
-- 3D, trilinear interpolation to 2 mm, intensities rounded, no range
-- re-segmentation but outlier filtering at mean +/- 3 sd, fixed bin number 32,
-- IVH calibrated discrete over the ROI range.
return {
  round = true,
  resample = {spacing = {2, 2, 2}, interpolator = "linear",
              mask_interpolator = "linear", mask_threshold = 0.5, round = true},
  resegment = {outliers = 3},
  discretise = {method = "fbn", bins = 32},
  ivh = {method = "discrete"},
  texture = {aggregation = {"3D"}, distance = 1, ngldm_alpha = 0},
}
