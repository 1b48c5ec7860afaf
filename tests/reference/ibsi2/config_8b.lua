-- IBSI 2 phase 2, configuration 8.B on the IBSI CT phantom (../shared/data/ibsi2/README.md):
-- B: 3D after interpolation to 1 x 1 x 1 mm: cubic B-spline for the image, the mask
-- trilinear with partial-volume threshold 0.5; intensities rounded to integers after the
-- interpolation (CT: as IBSI 1; without it 5.B, the Gabor filter near the Nyquist frequency,
-- misses the consensus mean, median, minimum and 10th percentile by 1-8 %).
-- Filter: Simoncelli non-separable wavelet, level 1.
-- Re-segmentation [-1000, 400] HU of the original intensities defines the ROI; the filter
-- (boundary mirror) runs on the whole image and the 18 intensity statistics of its response
-- are computed in that ROI (no discretisation).
return {
  families = {},
  resample = {spacing = {1, 1, 1}, interpolator = "cubic", mask_interpolator = "linear",
              mask_threshold = 0.5, round = true},
  resegment = {range = {-1000, 400}},
  filters = {{"simoncelli", level = 1, dims = 3, boundary = "mirror"}},
  filter_families = {"stat"},
}
