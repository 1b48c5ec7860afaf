-- IBSI 1 CT phantom, configuration C (IBSI 05 "Configuration C"; CONFIGS.md):
-- 3D, trilinear interpolation to 2 x 2 x 2 mm (grid centres aligned), mask
-- trilinear with threshold 0.5, intensities rounded, re-segmentation
-- [-1000, 400], fixed bin size 25 HU, IVH calibrated continuous with 2.5 HU bins.
return {
  round = true,
  resample = {spacing = {2, 2, 2}, interpolator = "linear",
              mask_interpolator = "linear", mask_threshold = 0.5, round = true},
  resegment = {range = {-1000, 400}},
  discretise = {method = "fbs", width = 25, min = -1000},
  ivh = {method = "fbs", width = 2.5, range = {-1000, 400}},
  texture = {aggregation = {"3D"}, distance = 1, ngldm_alpha = 0},
}
