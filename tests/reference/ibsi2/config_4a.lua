-- IBSI 2 phase 2, configuration 4.A on the IBSI CT phantom (../shared/data/ibsi2/README.md):
-- A: 2D, each axial slice on its own, on the original grid (no interpolation).
-- Filter: Laws L5E5 (2D) / L5E5E5 (3D), energy map delta 7, rotation invariance by max pooling.
-- Re-segmentation [-1000, 400] HU of the original intensities defines the ROI; the filter
-- (boundary mirror) runs on the whole image and the 18 intensity statistics of its response
-- are computed in that ROI (no discretisation).
return {
  families = {},
  resegment = {range = {-1000, 400}},
  filters = {{"laws", kernel = "L5E5", energy = 7, rotation_invariant = true, pooling = "max", dims = 2, boundary = "mirror"}},
  filter_families = {"stat"},
}
