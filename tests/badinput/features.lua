-- radlab bad-input suite: feature extraction and settings.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

local img = rad.image.new{size = {4, 4, 4}}
local mask = rad.mask.new(img)
B.call("extract: empty mask", function() rad.extract(img, mask) end, "the mask selects no voxels")

-- a 4x4x2 block of intensities 2..11 (i + j + k) in a 6x6x4 image
local ct = rad.image.new{size = {6, 6, 4}, spacing = {1, 1, 2}}
local roi = rad.mask.new(ct)
for k = 2, 3 do for j = 2, 5 do for i = 2, 5 do ct:set(i, j, k, i + j + k); roi:set(i, j, k, 1) end end end
local out = B.dir .. "/features.csv"
-- extract and write: a case passes only if the extraction fails and no CSV appears
local function extract(settings, image, m)
  return function() rad.extract(image or ct, m or roi, settings):write_csv(out) end
end
local function case(name, settings, text) B.call(name, extract(settings), text, {writes = {out}}) end

-- unknown keys, at every level of the settings table
case("settings: unknown top-level key", {binz = 3},
  "settings: unknown option 'binz' (allowed: families, diagnostics, round, normalise, resample, resegment, discretise, ivh, texture, filters, filter_families, compat, pyradiomics)")
case("settings: unknown resample key", {resample = {spacing = {2, 2, 2}, interpolater = "linear"}},
  "settings.resample: unknown option 'interpolater' (allowed: spacing, in_plane, interpolator")
case("settings: unknown resegment key", {resegment = {rnage = {0, 10}}},
  "settings.resegment: unknown option 'rnage' (allowed: range, outliers)")
case("settings: unknown discretise key", {discretise = {method = "fbn", nbins = 8}},
  "settings.discretise: unknown option 'nbins' (allowed: method, bins, width, min)")
case("settings: unknown ivh key", {ivh = {width2 = 1}},
  "settings.ivh: unknown option 'width2' (allowed: method, bins, width, range)")
case("settings: unknown texture key", {texture = {dist = 2}},
  "settings.texture: unknown option 'dist' (allowed: aggregation, distance, ngldm_alpha)")

-- wrong types
case("settings: round is a string", {round = "yes"}, "settings.round must be true or false, got string")
case("settings: diagnostics is a number", {diagnostics = 1}, "settings.diagnostics must be true or false, got number")
case("settings: families is a string", {families = "stat"},
  'settings.families must be an array of family names, e.g. {"stat", "cm"}')
case("settings: resample is a number", {resample = 2}, "settings.resample must be a table, got number")
case("settings: spacing is a string", {resample = {spacing = "2"}}, "settings.resample.spacing must be an array of 3 numbers")
case("settings: fractional bin number", {discretise = {method = "fbn", bins = 2.5}},
  "settings.discretise.bins must be an integer, got 2.5")
case("settings: aggregation is a string", {texture = {aggregation = "3D"}},
  'settings.texture.aggregation must be an array such as {"2D", "2.5D"} or {"3D"}')

-- values out of range
case("settings: bin width 0", {discretise = {method = "fbs", width = 0}}, "settings: bin width must be > 0, got 0")
case("settings: negative bin width", {discretise = {method = "fbs", width = -25}}, "settings: bin width must be > 0, got -25")
case("settings: FBN with 0 bins", {discretise = {method = "fbn", bins = 0}}, "settings.discretise.bins must be 1..65535, got 0")
case("settings: negative resampling spacing", {resample = {spacing = {2, -1, 2}}},
  "settings: resampling spacing must be positive, axis y has -1")
case("settings: re-segmentation range reversed", {resegment = {range = {400, -500}}},
  "settings: re-segmentation range [400, -500] is empty (lower bound above upper)")
case("settings: negative outlier sigma", {resegment = {outliers = -3}}, "settings.resegment.outliers must be >= 0, got -3")
case("settings: unknown family", {families = {"glrlm"}},
  "settings.families: unknown family 'glrlm' (families: diag, morph, loc, stat, ih, ivh, cm, rlm, szm, dzm, ngt, ngl)")
case("settings: unknown interpolator", {resample = {spacing = {1, 1, 1}, interpolator = "sinc"}},
  'settings.resample.interpolator must be one of "nearest", "linear", "cubic", got sinc')
case("settings: texture distance 0", {texture = {distance = 0}}, "settings.texture.distance must be 1..16, got 0")

-- image and mask on different grids: the message names both and the fix
local coarse = rad.image.new{size = {3, 3, 2}, spacing = {2, 2, 4}, origin = {0.5, 0.5, 1}}
local other = rad.mask.new(coarse); other:set(2, 2, 1, 1)
B.call("extract: mask on another grid", extract(nil, ct, other),
  "image and mask geometries differ (tolerance 0.001 mm): image is 6x6x4 at 1x1x2 mm, origin (0, 0, 0); " ..
  "mask is 3x3x2 at 2x2x4 mm, origin (0.5, 0.5, 1); if the mask belongs to this image, put it on the image's grid with mask:resample_to(img) (nearest neighbour)",
  {writes = {out}})

-- the ROI emptied by re-segmentation: the range and the ROI's intensities
case("extract: empty after re-segmentation", {resegment = {range = {100, 200}}},
  "the ROI is empty after re-segmentation to [100, 200]: its 32 voxels have intensities from 6 to 13; " ..
  "widen the re-segmentation range")

-- a NaN voxel inside the ROI: where, and what to do
local holed = ct:copy(); holed:set(3, 3, 2, 0 / 0)
B.call("extract: NaN voxel in the ROI", extract(nil, holed, roi),
  "the image has 1 non-finite (NaN or infinite) voxel inside the ROI, the first at (3, 3, 2) (1-based, as img:get takes it): " ..
  "replace them in the image or remove them from the mask", {writes = {out}})

-- 2.5D aggregation asked of a 2D image
local flat = rad.image.new{size = {6, 6}, spacing = {1, 1}}
local flatroi = rad.mask.new(flat)
for j = 2, 4 do for i = 2, 4 do flat:set(i, j, i * j); flatroi:set(i, j, 1) end end
B.call("extract: 2.5D aggregation of a 2D image", extract({texture = {aggregation = {"2D", "2.5D"}}}, flat, flatroi),
  'texture aggregation 2.5D merges the slices of a 3D image, but the image is 2D (6x6): ' ..
  'set settings.texture.aggregation = {"2D"}', {writes = {out}})

-- intensity normalisation (settings.normalise): every message names the key
case("normalise: unknown method", {normalise = {method = "zscroe"}},
  'settings.normalise.method must be one of "zscore", "percentile", "reference", got zscroe')
case("normalise: method missing", {normalise = {scope = "image"}},
  'settings.normalise.method is required: "zscore", "percentile" or "reference"')
case("normalise: unknown key", {normalise = {method = "zscore", outliers = 3}},
  "settings.normalise: unknown option 'outliers' (allowed: method, scope, sd, scale, remove_outliers, percentiles, range, statistic, label, mask)")
case("normalise: key of another method", {normalise = {method = "zscore", percentiles = {1, 99}}},
  'settings.normalise.percentiles applies to method "percentile" only, not "zscore"')
case("normalise: unknown scope", {normalise = {method = "zscore", scope = "body"}},
  'settings.normalise.scope must be one of "roi", "image", got body')
case("normalise: percentile above 100", {normalise = {method = "percentile", percentiles = {1, 120}}},
  "settings: normalise.percentiles {lo, hi} must satisfy 0 <= lo < hi <= 100 (percent), got {1, 120}")
case("normalise: percentiles reversed", {normalise = {method = "percentile", percentiles = {99, 1}}},
  "settings: normalise.percentiles {lo, hi} must satisfy 0 <= lo < hi <= 100 (percent), got {99, 1}")
case("normalise: negative percentile", {normalise = {method = "percentile", percentiles = {-5, 95}}},
  "settings: normalise.percentiles {lo, hi} must satisfy 0 <= lo < hi <= 100 (percent), got {-5, 95}")
case("normalise: percentiles missing", {normalise = {method = "percentile"}},
  'settings.normalise.percentiles is required for method "percentile", e.g. {1, 99} (percent)')
case("normalise: target range reversed", {normalise = {method = "percentile", percentiles = {1, 99}, range = {1, 0}}},
  "settings: normalise.range {lo, hi} must be finite with lo < hi, got {1, 0}")
case("normalise: remove_outliers 0", {normalise = {method = "zscore", remove_outliers = 0}},
  "settings.normalise.remove_outliers must be a number k > 0 (z-scores are clipped to [-k, k]; leave it out for no clipping), got 0.0")
case("normalise: scale 0", {normalise = {method = "zscore", scale = 0}},
  "settings: normalise.scale must be a finite number > 0, got 0")
case("normalise: reference without a region", {normalise = {method = "reference"}},
  'settings.normalise: method "reference" needs the reference region: label = k (another label of the ROI\'s mask) and/or mask = "file"')
case("normalise: sd with statistic mean", {normalise = {method = "reference", label = 2, sd = "sample"}},
  'settings.normalise.sd applies to statistic "zscore" only, not "mean"')
case("normalise: mask is not a string", {normalise = {method = "reference", mask = 3}},
  "settings.normalise.mask must be the path of a mask file (a string), got number")
case("normalise: label 0", {normalise = {method = "reference", label = 0}}, "settings.normalise.label must be 1..255, got 0")
-- the ROI is label 1 of a mask whose label 2 covers two voxels of intensity 0
local lab = rad.mask.new(ct)
for k = 2, 3 do for j = 2, 5 do for i = 2, 5 do lab:set(i, j, k, 1) end end end
lab:set(1, 1, 1, 2); lab:set(2, 1, 1, 2)
local lab_path = B.dir .. "/labels.nii"
lab:write(lab_path)
local roi1 = rad.read_mask(lab_path, {label = 1})
local function ncase(name, norm, text, image, m)
  B.call(name, extract({normalise = norm}, image, m or roi1), text, {writes = {out}})
end
ncase("normalise: reference label absent from the mask", {method = "reference", label = 5},
  "normalisation: settings.normalise.label = 5: no voxel of the ROI's mask has label 5 (labels present: 1, 2); name a label the mask has")
ncase("normalise: reference label is the ROI's label", {method = "reference", label = 1},
  "normalisation: settings.normalise.label = 1 is the ROI's own label: the reference region must be another label of the mask")
ncase("normalise: reference label of a mask read without a label", {method = "reference", label = 2},
  "normalisation: the ROI is every non-zero voxel of the mask, which includes the reference label 2 (settings.normalise.label)", ct, roi)
ncase("normalise: reference mean 0", {method = "reference", label = 2},
  'normalisation (settings.normalise, statistic "mean"): the mean intensity of label 2 of the ROI\'s mask is 0, so x / mean is undefined')
ncase("normalise: reference sd 0", {method = "reference", label = 2, statistic = "zscore"},
  'normalisation (settings.normalise, method "reference"): the standard deviation of label 2 of the ROI\'s mask (2 voxels) is 0, ' ..
  'every intensity is 0, so z-scores are undefined: use statistic = "mean" or another reference region')
local empty_ref = rad.mask.new(ct)
local empty_path = B.dir .. "/empty_ref.nii"
empty_ref:write(empty_path)
ncase("normalise: reference mask file empty", {method = "reference", mask = empty_path},
  "normalisation: the reference region is empty: every voxel of the reference mask '" .. empty_path ..
  "' (settings.normalise.mask) is 0")
ncase("normalise: reference label absent from the mask file", {method = "reference", mask = lab_path, label = 4},
  "normalisation: settings.normalise.label = 4: no voxel of the reference mask '" .. lab_path ..
  "' has label 4 (labels present: 1, 2)")
ncase("normalise: reference mask file missing", {method = "reference", mask = B.dir .. "/no_such_mask.nii"},
  "normalisation (settings.normalise.mask = '" .. B.dir .. "/no_such_mask.nii'): ")
local coarse_ref = rad.mask.new(coarse); coarse_ref:set(1, 1, 1, 1)
local coarse_path = B.dir .. "/coarse_ref.nii"
coarse_ref:write(coarse_path)
ncase("normalise: reference mask file on another grid", {method = "reference", mask = coarse_path},
  "normalisation: the reference mask '" .. coarse_path .. "' (settings.normalise.mask) is not on the image's grid; " ..
  "resample it onto the image first: image and mask geometries differ")
-- a constant ROI: z-scores and percentile maps are undefined
local const = ct:copy()
for k = 2, 3 do for j = 2, 5 do for i = 2, 5 do const:set(i, j, k, 7) end end end
ncase("normalise: zscore of a constant ROI (sd = 0)", {method = "zscore"},
  'normalisation (settings.normalise, method "zscore"): the standard deviation of the ROI (32 voxels) is 0, every intensity ' ..
  'is 7, so z-scores are undefined: use scope = "image" or another method', const)
ncase("normalise: percentiles of a constant ROI", {method = "percentile", percentiles = {1, 99}},
  'normalisation (settings.normalise, method "percentile"): percentiles 1 and 99 of the ROI (32 voxels) are both 7, so the ' ..
  'map is undefined: widen normalise.percentiles or use scope = "image"', const)
local one = rad.mask.new(ct); one:set(1, 1, 1, 2); for i = 2, 5 do one:set(i, 3, 2, 1) end
local one_path = B.dir .. "/one.nii"
one:write(one_path)
ncase("normalise: sample sd of one reference voxel", {method = "reference", label = 2, statistic = "zscore", sd = "sample"},
  'normalisation (settings.normalise, sd = "sample"): label 2 of the ROI\'s mask has one voxel, and the sample standard ' ..
  'deviation needs two', ct, rad.read_mask(one_path, {label = 1}))

-- the command line: a settings file with a misspelt key, nothing written
local img_path, mask_path = B.dir .. "/ct.nii.gz", B.dir .. "/roi.nii.gz"
ct:write(img_path); roi:write(mask_path)
local sfile = B.file("typo.lua", "return {discretize = {method = 'fbn', bins = 8}}")
B.cli("radlab extract: misspelt settings key", {"extract", img_path, mask_path, "-s", sfile, "-o", out},
  {status = 1, stderr = "settings: unknown option 'discretize'", writes = {out}})

local nfile = B.file("norm.lua", "return {normalise = {method = 'percentile', percentiles = {5, 500}}}")
B.cli("radlab extract: normalisation percentile out of range", {"extract", img_path, mask_path, "-s", nfile, "-o", out},
  {status = 1, stderr = "normalise.percentiles {lo, hi} must satisfy 0 <= lo < hi <= 100 (percent), got {5, 500}", writes = {out}})

-- robustness: rad.perturb and rad.robust (perturbed copies written only when the call succeeds)
local robust = require "rad.robust"
local pout = B.dir .. "/perturbed.nii"
local function perturb(opts, image, m)
  return function() local i2 = rad.perturb(image or ct, m or roi, opts); i2:write(pout) end
end
B.call("perturb: unknown option", perturb({rotation = 3}), "rad.perturb: unknown option 'rotation'", {writes = {pout}})
B.call("perturb: rotate is a string", perturb({rotate = "4"}), "rad.perturb: option 'rotate' must be a number, got string",
  {writes = {pout}})
B.call("perturb: volume change emptying the mask", perturb({volume = -0.99}),
  "volume change -0.99 of an ROI of 32 voxels leaves 0 voxels, an empty ROI; use a change closer to 0", {writes = {pout}})
B.call("perturb: volume neither a fraction nor erode/dilate", perturb({volume = "shrink"}),
  'option \'volume\' must be a fraction (e.g. -0.1 or 0.1), "erode" or "dilate", got "shrink"', {writes = {pout}})
B.call("perturb: erosion of a 2-voxel-thick ROI", perturb({volume = "erode"}),
  "erosion by one voxel (connectivity 6) leaves the ROI empty: its 32 voxels are nowhere thicker than 2 voxels", {writes = {pout}})
local flatimg = rad.image.new{size = {6, 6, 4}, spacing = {1, 1, 2}, value = 50}
B.call("perturb: noise = true on a constant image", perturb({noise = true}, flatimg),
  "noise = true, but the image's estimated noise level is 0 (a constant image, or slices without noise); give the SD to add, e.g. noise = 10",
  {writes = {pout}})
B.call("perturb: negative noise SD", perturb({noise = -1}), "option 'noise' (an SD in image units) must be >= 0", {writes = {pout}})
B.call("perturb: connectivity 18", perturb({volume = "dilate", connectivity = 18}), "option 'connectivity' must be 6 or 26, got 18",
  {writes = {pout}})
B.call("noise_sd: image too thin", function() rad.image.noise_sd(rad.image.new{size = {2, 8, 3}}) end,
  "rad.image.noise_sd: noise estimate: the image is 2x8 in-plane; Immerkaer's estimator needs slices of at least 3x3 voxels")

-- robust.icc / robust.filter / robust.perturbation
local ficc = rad.table.new{{"feature", {"stat_mean"}}, {"icc", {0.9}}, {"lower", {0.8}}, {"upper", {0.95}}}
local ftrain = rad.table.new{{"stat_mean", {1, 2, 3}}, {"stat_var", {2, 5, 1}}, {"morph_volume", {9, 8, 7}}}
local fout = B.dir .. "/filtered.csv"
B.call("robust.filter: ICC table missing features", function()
    robust.filter{icc = ficc}:fit(ftrain, {"stat_mean", "stat_var", "morph_volume"}):apply(ftrain):write_csv(fout)
  end, "robust.filter:fit: 2 features are not in the ICC table: stat_var, morph_volume; compute their ICC with the same settings",
  {writes = {fout}})
B.call("robust.filter: unknown option", function() robust.filter{icc = ficc, treshold = 0.8} end,
  "robust.filter: unknown option 'treshold' (allowed: icc, threshold, type)")
local ragged = rad.table.new{{"id", {1, 1, 2}}, {"rep", {1, 2, 1}}, {"feature", {"f", "f", "f"}}, {"value", {1, 2, 3}}}
B.call("robust.icc: a case without every repetition", function() robust.icc(ragged):write_csv(fout) end,
  "robust.icc: feature 'f' has no value for id 2, rep 2; every case needs every repetition", {writes = {fout}})
B.call("robust.perturbation: n = 1", function() robust.perturbation(ct, roi, nil, {n = 1}):write_csv(fout) end,
  "robust.perturbation: option 'n' (perturbations) must be an integer >= 2, got 1", {writes = {fout}})
B.call("robust.perturbation: erosion emptying the ROI names the perturbation", function()
    robust.perturbation(ct, roi, nil, {n = 2, volume = "erode"}):write_csv(fout)
  end, "robust.perturbation: perturbation 1: rad.perturb: erosion by one voxel", {writes = {fout}})
-- a cohort whose second case is too thin to erode: that case is named
local thick = rad.mask.new(ct)
for k = 1, 3 do for j = 2, 5 do for i = 2, 5 do thick:set(i, j, k, 1) end end end
local thin = rad.mask.new(ct); thin:set(3, 3, 2, 1); thin:set(4, 3, 2, 1)
local thick_path, thin_path = B.dir .. "/thick.nii.gz", B.dir .. "/thin.nii.gz"
thick:write(thick_path); thin:write(thin_path)
local rob_manifest = rad.table.new{{"id", {"p1", "p2"}}, {"image", {img_path, img_path}}, {"mask", {thick_path, thin_path}}}
B.call("robust.cohort: erosion empties one case's ROI", function()
    robust.cohort(rob_manifest, {families = {"stat"}}, {n = 2, noise = false, rotate = false, translate = false,
      volume = "erode"}):write_csv(fout)
  end, "robust.cohort: case p2: perturbation 1: rad.perturb: erosion by one voxel (connectivity 6) leaves the ROI empty: its 2 voxels",
  {writes = {fout}})
local one_session = rad.table.new{{"id", {"p1", "p1", "p2"}}, {"session", {1, 2, 1}}, {"image", {img_path, img_path, img_path}},
  {"mask", {mask_path, mask_path, mask_path}}}
B.call("robust.retest: an id with one scan", function() robust.retest(one_session):write_csv(fout) end,
  "robust.retest: id p2 has one scan; a test-retest manifest needs two or more rows per id", {writes = {fout}})
local no_session = rad.table.new{{"id", {"p1", "p1"}}, {"image", {img_path, img_path}}, {"mask", {mask_path, mask_path}}}
B.call("robust.retest: no repeat column", function() robust.retest(no_session):write_csv(fout) end,
  "robust.retest: the manifest has no column 'repeat' or 'session' telling the repeated scans of an id apart", {writes = {fout}})

-- IBSI 2 filters inside extraction (settings.filters, settings.filter_families)
case("settings: unknown filter", {filters = {{"log", sigma = 1.5}, {"sobel"}}},
  "settings.filters[2]: unknown filter 'sobel' (filters: mean, log, laws, gabor, wavelet, simoncelli, square, squareroot, logarithm, exponential, "
  .. "gradient, lbp2d, pywavelet, pylog, lbp3d)")
case("settings: a filter that is not a table", {filters = {"log"}},
  "settings.filters[1] must be a filter table such as {\"log\", sigma = 1.5} (filters: mean, log, laws, gabor, wavelet, "
  .. "simoncelli, square, squareroot, logarithm, exponential, gradient, lbp2d, pywavelet, pylog, lbp3d), got string")
case("settings: filters not a list", {filters = {"log", sigma = 1.5}},
  "settings.filters must be a list (keys 1..n) of filter tables")
case("settings: filters not a table", {filters = "log"},
  "settings.filters must be a list of filter tables, e.g. {{\"log\", sigma = 1.5}, {\"mean\", support = 5}}, got string")
case("settings: a filter option of another filter", {filters = {{"log", sigma = 1.5, support = 5}}},
  "settings.filters[1]: unknown option 'support' for the log filter (its options: sigma, truncate, riesz, dims, boundary, threads)")
case("settings: a Riesz order on a Laws filter", {filters = {{"laws", kernel = "L5E5E5", riesz = {1, 0, 0}}}},
  "settings.filters[1]: option 'riesz' is available for the log and simoncelli filters only, not laws")
case("settings: a Riesz order of the wrong length", {filters = {{"log", sigma = 1.5, riesz = {1, 0}}}},
  "settings.filters[1]: option 'riesz' needs 3 orders for a 3D filter (one per axis, x first, e.g. {1, 0, 0}), got 2")
case("settings: a bad filter parameter", {filters = {{"mean", support = 4}}},
  "settings.filters[1]: option 'support' of the mean filter must be an odd number of voxels >= 1, got 4")
case("settings: the same filter twice", {filters = {{"log", sigma = 1.5}, {"log", sigma = 1.5, truncate = 4}}},
  "settings: filters[1] and filters[2] are the same filter (log_s1.5mm_3D): their features would have the same tags")
case("settings: texture on filter responses", {filters = {{"mean", support = 3}}, filter_families = {"stat", "cm"}},
  "settings.filter_families: only \"stat\" is allowed on filter response maps (IBSI 2 phase 2 computes intensity statistics; texture and histogram families of responses need a discretisation IBSI 2 does not standardise: radlab-features(7), FILTERS)")
case("settings: unknown family on filter responses", {filters = {{"mean", support = 3}}, filter_families = {"glcm"}},
  "settings.filter_families: unknown family 'glcm' (families: ")

-- the thread count of one case (rad.extract's options, radlab extract -j)
B.call("extract: threads 0", function() rad.extract(ct, roi, nil, {threads = 0}):write_csv(out) end,
  "rad.extract: threads must be 1..1024, got 0", {writes = {out}})
B.call("extract: threads 2000", function() rad.extract(ct, roi, {}, {threads = 2000}):write_csv(out) end,
  "rad.extract: threads must be 1..1024, got 2000", {writes = {out}})
B.call("extract: misspelt option", function() rad.extract(ct, roi, {}, {thread = 2}):write_csv(out) end,
  "rad.extract: unknown option 'thread' (allowed: threads)", {writes = {out}})
B.cli("radlab extract: -j 0", {"extract", img_path, mask_path, "-j", "0", "-o", out},
  {status = 2, stderr = "-j must be a number of threads 1..1024, got 0", writes = {out}})
B.cli("radlab extract: -j two", {"extract", img_path, mask_path, "-j", "two", "-o", out},
  {status = 2, stderr = "-j must be a number of threads 1..1024, got two", writes = {out}})

B.done()
