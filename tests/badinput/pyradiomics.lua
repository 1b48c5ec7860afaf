-- radlab bad-input suite: compat = "pyradiomics" and settings.pyradiomics.
-- SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

-- a 4x4x2 block of intensities 2..11 in a 6x6x4 image
local ct = rad.image.new{size = {6, 6, 4}, spacing = {1, 1, 2}}
local roi = rad.mask.new(ct)
for k = 2, 3 do for j = 2, 5 do for i = 2, 5 do ct:set(i, j, k, i + j + k); roi:set(i, j, k, 1) end end end
local out = B.dir .. "/features.csv"
local function case(name, settings, text, m)
  B.call(name, function() rad.extract(ct, m or roi, settings):write_csv(out) end, text, {writes = {out}})
end
local function pyr(t) return {compat = "pyradiomics", pyradiomics = t} end

-- the mode itself
case("compat: unknown value", {compat = "pyrad"},
  'settings.compat must be one of "ibsi", "pyradiomics", got pyrad')
case("compat: a number", {compat = 1}, 'settings.compat must be one of "ibsi", "pyradiomics", got number')
-- PyRadiomics' options in IBSI mode, IBSI options in PyRadiomics mode
case("pyradiomics options without compat", {pyradiomics = {binWidth = 25}},
  'settings.pyradiomics (PyRadiomics\' options) needs compat = "pyradiomics"')
case("pyradiomics options with compat ibsi", {compat = "ibsi", pyradiomics = {binWidth = 25}},
  'needs compat = "pyradiomics"')
case("IBSI discretise in compat mode", {compat = "pyradiomics", discretise = {method = "fbs", width = 25}},
  'settings.discretise is an IBSI setting; with compat = "pyradiomics" use settings.pyradiomics: binWidth or binCount')
case("IBSI resegment in compat mode", {compat = "pyradiomics", resegment = {range = {0, 10}}},
  "settings.resegment is an IBSI setting; with compat = \"pyradiomics\" use settings.pyradiomics: resegmentRange")
case("an IBSI filter in compat mode", {compat = "pyradiomics", filters = {{"log", sigma = 1}}},
  "log_s1mm_3D is an IBSI filter; compat = \"pyradiomics\" takes PyRadiomics' image types: pylog (LoG), pywavelet")
case("IBSI-only family in compat mode", {compat = "pyradiomics", families = {"dzm"}},
  "loc, ivh and dzm have no PyRadiomics counterpart")
-- the options
case("unknown PyRadiomics option", pyr{binwidth = 25},
  "settings.pyradiomics: unknown option 'binwidth' (allowed: binWidth, binCount, voxelArrayShift")
case("binWidth 0", pyr{binWidth = 0}, "settings.pyradiomics.binWidth must be > 0, got 0")
case("binWidth and binCount", pyr{binWidth = 25, binCount = 16}, "give binWidth or binCount, not both")
case("binCount 0", pyr{binCount = 0}, "settings.pyradiomics.binCount must be 1..65535, got 0")
case("force2Ddimension 3", pyr{force2D = true, force2Ddimension = 3},
  "settings.pyradiomics.force2Ddimension must be 0..2, got 3")
case("resegmentMode relative", pyr{resegmentRange = {0.2, 0.8}, resegmentMode = "relative"},
  'resegmentMode "relative" (a fraction of the ROI maximum) is not supported')
case("resegmentMode sigma, asymmetric", pyr{resegmentRange = {-2, 3}, resegmentMode = "sigma"},
  'resegmentRange with resegmentMode "sigma" must be {-k, k} with k > 0')
case("resegmentMode unknown", pyr{resegmentRange = {0}, resegmentMode = "percent"},
  'settings.pyradiomics.resegmentMode must be one of "absolute", "relative", "sigma", got percent')
case("resegmentRange empty", pyr{resegmentRange = {10, 0}}, "settings.pyradiomics.resegmentRange {10, 0} is empty")
case("resampledPixelSpacing with a 0", pyr{resampledPixelSpacing = {2, 2, 0}},
  "a 0 (keep that axis' spacing) is not supported")
case("interpolator unknown", pyr{resampledPixelSpacing = {2, 2, 2}, interpolator = "sitkLanczosWindowedSinc"},
  'settings.pyradiomics.interpolator must be one of "sitkNearestNeighbor", "sitkLinear", "sitkBSpline"')
case("weightingNorm unknown", pyr{weightingNorm = "chebyshev"},
  'settings.pyradiomics.weightingNorm must be one of "no_weighting", "manhattan", "euclidean", "infinity"')
case("distances: two", pyr{distances = {1, 2}}, "settings.pyradiomics.distances must have 1 numbers, it has 2")
case("distances: fractional", pyr{distances = {1.5}}, "settings.pyradiomics.distances must be {d} with an integer d")
case("label other than the mask's", pyr{label = 2}, "radlab takes the label when reading the mask")
case("normalizeScale without normalize", pyr{normalizeScale = 100},
  "normalizeScale and removeOutliers apply with normalize = true only")
case("normalizeScale 0", pyr{normalize = true, normalizeScale = 0}, "settings.pyradiomics.normalizeScale must be > 0")
case("gldm_a too large", pyr{gldm_a = 30}, "settings.pyradiomics.gldm_a must be 0..26, got 30")
case("voxelArrayShift a string", pyr{voxelArrayShift = "2000"},
  "settings.pyradiomics.voxelArrayShift must be a number, got string")
-- the ROI checks PyRadiomics makes
local flat = rad.mask.new(ct)
for j = 2, 5 do for i = 2, 5 do flat:set(i, j, 2, 1) end end
case("minimumROIDimensions 3 on a one-slice ROI", pyr{minimumROIDimensions = 3},
  "the ROI spans 2 dimensions (bounding box 4x4x1 voxels), below pyradiomics.minimumROIDimensions = 3", flat)
case("minimumROISize", pyr{minimumROISize = 100}, "the ROI has 32 voxels, below pyradiomics.minimumROISize = 100")

B.done()
