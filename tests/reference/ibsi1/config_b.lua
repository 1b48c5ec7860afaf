-- IBSI 1 CT phantom, configuration B (IBSI 05 "Configuration B"; CONFIGS.md):
-- 2D, in-plane bilinear interpolation to 2 x 2 mm (z kept), mask bilinear with
-- partial-volume threshold 0.5, intensities rounded, re-segmentation [-500, 400],
-- fixed bin number 32, IVH calibrated discrete.
return {
  round = true,
  resample = {spacing = {2, 2}, in_plane = true, interpolator = "linear",
              mask_interpolator = "linear", mask_threshold = 0.5, round = true},
  resegment = {range = {-500, 400}},
  discretise = {method = "fbn", bins = 32},
  ivh = {method = "discrete"},
  texture = {aggregation = {"2D", "2.5D"}, distance = 1, ngldm_alpha = 0},
}
