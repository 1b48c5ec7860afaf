-- IBSI 1 CT phantom, configuration E (IBSI 05 "Configuration E"; CONFIGS.md):
-- 3D, tricubic spline interpolation of the image to 2 mm (mask trilinear,
-- threshold 0.5), intensities rounded, re-segmentation [-1000, 400] combined
-- with outlier filtering at mean +/- 3 sd, fixed bin number 32, IVH in
-- arbitrary units with 1000 bins.
return {
  round = true,
  resample = {spacing = {2, 2, 2}, interpolator = "cubic",
              mask_interpolator = "linear", mask_threshold = 0.5, round = true},
  resegment = {range = {-1000, 400}, outliers = 3},
  discretise = {method = "fbn", bins = 32},
  ivh = {method = "fbn", bins = 1000},
  texture = {aggregation = {"3D"}, distance = 1, ngldm_alpha = 0},
}
