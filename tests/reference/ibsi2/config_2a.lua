-- IBSI 2 phase 2, configuration 2.A on the IBSI CT phantom (../shared/data/ibsi2/README.md):
-- A: 2D, each axial slice on its own, on the original grid (no interpolation).
-- Filter: mean filter, 5 voxels (2D: 5x5, 3D: 5x5x5).
-- Re-segmentation [-1000, 400] HU of the original intensities defines the ROI; the filter
-- (boundary mirror) runs on the whole image and the 18 intensity statistics of its response
-- are computed in that ROI (no discretisation).
return {
  families = {},
  resegment = {range = {-1000, 400}},
  filters = {{"mean", support = 5, dims = 2, boundary = "mirror"}},
  filter_families = {"stat"},
}
