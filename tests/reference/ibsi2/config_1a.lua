-- IBSI 2 phase 2, configuration 1.A on the IBSI CT phantom (../shared/data/ibsi2/README.md):
-- A: 2D, each axial slice on its own, on the original grid (no interpolation).
-- Filter: none: statistics of the re-segmented image itself.
-- Re-segmentation [-1000, 400] HU of the original intensities defines the ROI; the filter
-- (boundary mirror) runs on the whole image and the 18 intensity statistics of its response
-- are computed in that ROI (no discretisation).
return {
  families = {"stat"},
  resegment = {range = {-1000, 400}},
}
