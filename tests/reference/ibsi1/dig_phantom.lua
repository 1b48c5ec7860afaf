-- IBSI 1 digital phantom (CONFIGS.md, "Digital phantom" column; IBSI 05 "Digital phantom").
-- No interpolation, no re-segmentation, no discretisation (grey level = intensity,
-- levels 1..6); texture at distance 1 with every 2D, 2.5D and 3D aggregation.
return {
  discretise = {method = "none"},
  ivh = {method = "discrete"},
  texture = {aggregation = {"2D", "2.5D", "3D"}, distance = 1, ngldm_alpha = 0},
}
