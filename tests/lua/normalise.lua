-- radlab: intensity normalisation in the extraction settings (settings.normalise):
-- z-score, percentile map and reference region, with values worked out by hand
-- on a small synthetic image, and its place in the pipeline (before
-- interpolation and re-segmentation).  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

-- Normalised intensities are stored as float32 (relative precision 6e-8), the
-- statistics are then summed in double: 1e-6 on values of order 1 is the
-- float32 rounding of the image, not a tolerance for a different formula.
local TOL = 1e-6
local dir = T.tmpdir()

-- A 4 x 2 x 1 image:       row y = 1:  1  2  3  4   (mask label 1: the ROI)
--                          row y = 2: 10 20 30 40   (label 2 under 10 and 20, 0 under 30 and 40)
local img = rad.image.new{size = {4, 2, 1}}
local labels = rad.mask.new(img)
for i, v in ipairs{1, 2, 3, 4} do img:set(i, 1, 1, v); labels:set(i, 1, 1, 1) end
for i, v in ipairs{10, 20, 30, 40} do img:set(i, 2, 1, v) end
labels:set(1, 2, 1, 2)
labels:set(2, 2, 1, 2)
local mask_path = dir .. "/labels.nii"
labels:write(mask_path)
local roi = rad.read_mask(mask_path, {label = 1})

local function ext(norm, extra)
  local s = {families = {"stat"}, diagnostics = true, normalise = norm}
  for k, v in pairs(extra or {}) do s[k] = v end
  return rad.extract(img, roi, s)
end

-- without normalisation: the stored intensities
local raw = ext(nil)
T.is(raw.stat_mean, 2.5, "no normalisation: ROI mean 2.5 as stored")
T.is(raw.stat_var, 1.25, "no normalisation: ROI variance 1.25 (IBSI: population)")

-- z-score over the ROI {1, 2, 3, 4}: mean 2.5, population variance 5/4
local z = ext{method = "zscore"}
T.near(z.stat_mean, 0, TOL, "zscore roi: mean 0")
T.near(z.stat_var, 1, TOL, "zscore roi: population variance 1")
T.near(z.stat_max, 1.5 / math.sqrt(1.25), TOL, "zscore roi: max (4 - 2.5) / sqrt(1.25)")
T.near(z.stat_min, -1.5 / math.sqrt(1.25), TOL, "zscore roi: min (1 - 2.5) / sqrt(1.25)")
-- the whole image is transformed: its mean (13.75) goes to (13.75 - 2.5) / sqrt(1.25)
T.near(z.diag_mean_int_init_img, 11.25 / math.sqrt(1.25), TOL, "zscore roi: every voxel of the image is transformed")
T.near(z.diag_max_int_init_img, 37.5 / math.sqrt(1.25), TOL, "zscore roi: image max (40 - 2.5) / sqrt(1.25)")
T.is(img:get(4, 2, 1), 40.0, "the input image is not modified")

-- sample SD: variance 5/3
local zs = ext{method = "zscore", sd = "sample"}
T.near(zs.stat_var, 1.25 / (5 / 3), TOL, "zscore sd = sample: variance 1.25 / (5/3) = 0.75")
T.near(zs.stat_max, 1.5 / math.sqrt(5 / 3), TOL, "zscore sd = sample: max 1.5 / sqrt(5/3)")

-- scope image: mean of the 8 voxels 110 / 8 = 13.75; squared deviations sum to 1517.5, variance 189.6875
local zi = ext{method = "zscore", scope = "image"}
T.near(zi.stat_mean, (2.5 - 13.75) / math.sqrt(189.6875), TOL, "zscore image: ROI mean (2.5 - 13.75) / sd_image")
T.near(zi.stat_var, 1.25 / 189.6875, TOL, "zscore image: ROI variance 1.25 / 189.6875")
T.near(zi.diag_mean_int_init_img, 0, TOL, "zscore image: image mean 0")

-- scale and outlier clipping: z = -1.342, -0.447, 0.447, 1.342 -> clipped at +/-1 -> times 2
local zc = ext{method = "zscore", scale = 2, remove_outliers = 1}
T.near(zc.stat_max, 2, TOL, "zscore clip 1 scale 2: max 2 (clipped at +1 sd, then scaled)")
T.near(zc.stat_min, -2, TOL, "zscore clip 1 scale 2: min -2")
T.near(zc.stat_var, (4 + 0.8 + 0.8 + 4) / 4, TOL, "zscore clip 1 scale 2: variance (4 + 4 (0.2) + 4) / 4 = 2.4")
local zsc = ext{method = "zscore", scale = 100}
T.near(zsc.stat_var, 10000, 1e-2, "zscore scale 100: variance 100^2")

-- percentiles (type 7) of the ROI {1, 2, 3, 4}: 25% -> h = 0.75 -> 1.75; 75% -> 3.25
local p = ext{method = "percentile", percentiles = {25, 75}}
T.near(p.stat_min, -0.5, TOL, "percentile roi 25/75: 1 -> (1 - 1.75) / 1.5 = -0.5 (no clipping)")
T.near(p.stat_max, 1.5, TOL, "percentile roi 25/75: 4 -> 1.5")
T.near(p.stat_mean, 0.5, TOL, "percentile roi 25/75: mean (2.5 - 1.75) / 1.5 = 0.5")
local pr = ext{method = "percentile", percentiles = {25, 75}, range = {0, 100}}
T.near(pr.stat_max, 150, 1e-4, "percentile range {0, 100}: 4 -> 150")
-- image scope: sorted 1 2 3 4 10 20 30 40; 10% -> h = 0.7 -> 1.7; 90% -> h = 6.3 -> 30 + 0.3 * 10 = 33
local pi = ext{method = "percentile", percentiles = {10, 90}, scope = "image"}
T.near(pi.stat_max, (4 - 1.7) / 31.3, TOL, "percentile image 10/90: 4 -> (4 - 1.7) / 31.3")
T.near(pi.stat_min, (1 - 1.7) / 31.3, TOL, "percentile image 10/90: 1 -> (1 - 1.7) / 31.3")
local pm = ext{method = "percentile", percentiles = {0, 100}, scope = "image"}
T.near(pm.diag_min_int_init_img, 0, TOL, "percentile image 0/100: image min -> 0")
T.near(pm.diag_max_int_init_img, 1, TOL, "percentile image 0/100: image max -> 1")

-- reference region by label: label 2 holds 10 and 20 (mean 15, population sd 5)
local rm = ext{method = "reference", label = 2}
T.near(rm.stat_mean, 2.5 / 15, TOL, "reference label 2, mean: ROI mean 2.5 / 15")
T.near(rm.stat_max, 4 / 15, TOL, "reference label 2, mean: 4 / 15")
local rz = ext{method = "reference", label = 2, statistic = "zscore"}
T.near(rz.stat_mean, (2.5 - 15) / 5, TOL, "reference label 2, zscore: (2.5 - 15) / 5")
T.near(rz.stat_var, 1.25 / 25, TOL, "reference label 2, zscore: variance 1.25 / 25")
local rzs = ext{method = "reference", label = 2, statistic = "zscore", sd = "sample"}
T.near(rzs.stat_mean, (2.5 - 15) / math.sqrt(50), TOL, "reference zscore sd = sample: sd sqrt(50)")

-- reference region from a second mask file: label 3 under 30 and 40, label 1 under 10
local ref = rad.mask.new(img)
ref:set(3, 2, 1, 3)
ref:set(4, 2, 1, 3)
ref:set(1, 2, 1, 1)
local ref_path = dir .. "/reference.nii"
ref:write(ref_path)
local fm = ext{method = "reference", mask = ref_path}
T.near(fm.stat_mean, 2.5 / (80 / 3), TOL, "reference file, every non-zero voxel {10, 30, 40}: 2.5 / (80/3)")
local fl = ext{method = "reference", mask = ref_path, label = 3}
T.near(fl.stat_max, 4 / 35, TOL, "reference file label 3 {30, 40}: 4 / 35")
local flz = ext{method = "reference", mask = ref_path, label = 3, statistic = "zscore"}
T.near(flz.stat_mean, (2.5 - 35) / 5, TOL, "reference file label 3, zscore: (2.5 - 35) / 5")

-- the echo (rad.settings.check) and the digest
local c = rad.settings.check{normalise = {method = "percentile", percentiles = {1, 99}}}
T.is(c.normalise.method, "percentile", "check echoes the method")
T.is(c.normalise.scope, "roi", "check fills the default scope")
T.is(c.normalise.range[2], 1, "check fills the default range {0, 1}")
local cr = rad.settings.check{normalise = {method = "reference", mask = ref_path, label = 3}}
T.is(cr.normalise.mask, ref_path, "check echoes the reference mask")
T.is(cr.normalise.statistic, "mean", "check fills statistic = mean")
T.is(rad.settings.check{}.normalise, nil, "no normalisation: no normalise section in the echo")
local d0 = rad.settings.digest{}
T.ok(d0 ~= rad.settings.digest{normalise = {method = "zscore"}}, "digest changes with normalisation")
T.ok(rad.settings.digest{normalise = {method = "zscore"}} ~= rad.settings.digest{normalise = {method = "zscore", scope = "image"}},
  "digest changes with the scope")
T.is(z:digest(), rad.settings.digest{families = {"stat"}, diagnostics = true, normalise = {method = "zscore"}},
  "the feature set carries the digest with normalisation")
local dfile = rad.settings.digest{normalise = {method = "reference", mask = ref_path}}
ref:set(2, 2, 1, 1)
ref:write(ref_path)
T.ok(dfile ~= rad.settings.digest{normalise = {method = "reference", mask = ref_path}},
  "digest changes when the reference mask file's contents change")

-- the methods text of a study (and the CLEAR checklist item 21) names the normalisation
local study = require "rad.study"
T.is(study._normalisation_text(rad.settings.check{normalise = {method = "zscore", scope = "image", sd = "sample"}}),
  "intensities were normalised to z-scores over the whole image (sample standard deviation) before interpolation",
  "methods text: zscore over the image")
T.is(study._normalisation_text(rad.settings.check{normalise = {method = "reference", label = 2, statistic = "zscore"}}),
  "intensities were normalised to a reference region (label 2 of the segmentation) by its mean and population " ..
  "standard deviation (z-score), before interpolation", "methods text: reference region")
T.is(study._normalisation_text(rad.settings.check{}), nil, "methods text: nothing without normalisation")

-- order: normalisation, then re-segmentation: the range is in normalised units.
-- z-scores of the ROI are +/-1.342 and +/-0.447: [-1, 1] keeps the middle two
local rs = ext({method = "zscore"}, {resegment = {range = {-1, 1}}})
T.is(rs.diag_int_mask_vox_count_reseg_roi, 2.0, "re-segmentation after normalisation: range {-1, 1} keeps 2 voxels")
T.near(rs.stat_max, 0.5 / math.sqrt(1.25), TOL, "re-segmentation after normalisation: max (3 - 2.5) / sqrt(1.25)")

-- order: normalisation, then interpolation.  Intensities i^2 along x, an
-- ROI over x = 2..5: initial ROI values 4, 9, 16, 25 (each 16 times): mean 13.5,
-- population variance (90.25 + 20.25 + 6.25 + 132.25) / 4 = 62.25.  Linear
-- interpolation commutes with a linear map, so normalising first gives
-- (interpolated value - 13.5) / sqrt(62.25); normalising after interpolation
-- would use the interpolated ROI's own mean and give a mean of exactly 0.
local big = rad.image.new{size = {7, 6, 2}}
local bm = rad.mask.new(big)
for k = 1, 2 do for j = 1, 6 do for i = 1, 7 do
  big:set(i, j, k, i * i)
  if i >= 2 and i <= 5 and j >= 2 and j <= 5 then bm:set(i, j, k, 1) end
end end end
local rsm = {spacing = {1.5, 1.5, 1}}
local base = rad.extract(big, bm, {families = {"stat"}, resample = rsm})
local normed = rad.extract(big, bm, {families = {"stat"}, resample = rsm, normalise = {method = "zscore"}})
T.ok(math.abs(base.stat_mean - 13.5) > 0.1,
  string.format("interpolation moves the ROI mean (%.4f, initial 13.5): the next checks tell the orders apart", base.stat_mean))
T.near(normed.stat_mean, (base.stat_mean - 13.5) / math.sqrt(62.25), TOL,
  "normalisation before interpolation: mean (interpolated mean - 13.5) / sqrt(62.25)")
T.near(normed.stat_var, base.stat_var / 62.25, TOL, "normalisation before interpolation: variance / 62.25")

T.done()
