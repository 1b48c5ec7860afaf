-- IBSI 2 phase 2, configuration 5.A on the IBSI CT phantom (../shared/data/ibsi2/README.md):
-- A: 2D, each axial slice on its own, on the original grid (no interpolation).
-- Filter: Gabor sigma 5 mm, gamma 1.5, lambda 2 mm, theta 0 in 22.5 degree steps, modulus, mean pooling over orientations (3D: and over the three orthogonal planes).
-- Re-segmentation [-1000, 400] HU of the original intensities defines the ROI; the filter
-- (boundary mirror) runs on the whole image and the 18 intensity statistics of its response
-- are computed in that ROI (no discretisation).
return {
  families = {},
  resegment = {range = {-1000, 400}},
  filters = {{"gabor", sigma = 5, gamma = 1.5, lambda = 2, theta = 0, theta_step = 22.5, response = "modulus", pooling = "mean", dims = 2, boundary = "mirror"}},
  filter_families = {"stat"},
}
