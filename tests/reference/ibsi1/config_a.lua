-- IBSI 1 CT phantom, configuration A (IBSI 05 "Configuration A"; CONFIGS.md):
-- 2D, no interpolation, intensities rounded, re-segmentation [-500, 400] HU,
-- fixed bin size 25 HU from -500, IVH calibrated discrete over [-500, 400].
return {
  round = true,
  resegment = {range = {-500, 400}},
  discretise = {method = "fbs", width = 25, min = -500},
  ivh = {method = "discrete"},
  texture = {aggregation = {"2D", "2.5D"}, distance = 1, ngldm_alpha = 0},
}
