-- IBSI 2 phase 2, configuration 7.A on the IBSI CT phantom (../shared/data/ibsi2/README.md):
-- A: 2D, each axial slice on its own, on the original grid (no interpolation).
-- Filter: separable wavelet db3, level 2, HH (2D) / HHH (3D), undecimated, rotation invariance by mean pooling.
-- Re-segmentation [-1000, 400] HU of the original intensities defines the ROI; the filter
-- (boundary mirror) runs on the whole image and the 18 intensity statistics of its response
-- are computed in that ROI (no discretisation).
return {
  families = {},
  resegment = {range = {-1000, 400}},
  filters = {{"wavelet", family = "db3", band = "HH", level = 2, decimated = false, rotation_invariant = true, dims = 2, boundary = "mirror"}},
  filter_families = {"stat"},
}
