-- radlab: rad.extract, settings validation, FeatureSet, the registry, and
-- degenerate regions of interest.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

-- a small CT-like volume: a 6x6x4 block of ramp values inside 10x10x6 air
local img = rad.image.new{size = {10, 10, 6}, spacing = {1, 1, 2}, value = -1000}
local mask = rad.mask.new(img)
for k = 2, 5 do for j = 3, 8 do for i = 3, 8 do
  img:set(i, j, k, (i * 7 + j * 3 + k * 11) % 40 - 20)
  mask:set(i, j, k, 1)
end end end

-- settings validation
T.errors(function() rad.extract(img, mask, {discretise = {method = "fbs", width = 0}}) end,
  "bin width must be > 0, got 0", "bin width 0 is an error")
T.errors(function() rad.extract(img, mask, {discretise = {method = "fbs", width = -5}}) end,
  "bin width must be > 0", "negative bin width is an error")
T.errors(function() rad.extract(img, mask, {discretise = {method = "fbn", bins = 70000}}) end,
  "settings.discretise.bins must be 1..65535, got 70000", "more than 65535 bins is an error")
T.errors(function() rad.extract(img, mask, {discretise = {method = "fbq"}}) end,
  'settings.discretise.method must be one of "none", "fbn", "fbs", got fbq', "unknown method lists the choices")
T.errors(function() rad.extract(img, mask, {resample = {spacing = {2, 2, 2}, interpolater = "linear"}}) end,
  "settings.resample: unknown option 'interpolater'", "typo in a nested key")
T.errors(function() rad.extract(img, mask, {discretize = {}}) end, "settings: unknown option 'discretize'",
  "typo in a top-level key")
T.errors(function() rad.extract(img, mask, {families = {"glcm"}}) end, "unknown family 'glcm'", "unknown family")
T.errors(function() rad.extract(img, mask, {texture = {aggregation = {"4D"}}}) end,
  'must be "2D", "2.5D" or "3D"', "unknown aggregation")
T.errors(function() rad.extract(img, mask, {resegment = {range = {400, -500}}}) end,
  "re-segmentation range [400, -500] is empty", "inverted range")
T.errors(function() rad.extract(img, mask, {resample = {}}) end, "settings.resample.spacing is required", "resample needs spacing")
local d = rad.settings.defaults()
T.is(d.discretise.method, "fbn", "defaults: fbn")
T.is(d.discretise.bins, 32, "defaults: 32 bins")
local c = rad.settings.check{discretise = {method = "fbs", width = 10}}
T.is(c.discretise.width, 10, "check completes and returns the settings")
T.is(c.texture.distance, 1, "check fills defaults")
T.is(#d.families, 11, "defaults: the 11 IBSI families")
T.is(table.concat(rad.settings.check{families = {"stat", "cm"}}.families, ","), "stat,cm", "check echoes families")
T.is(rad.settings.digest(rad.settings.check{families = {"ih", "stat"}}), rad.settings.digest{families = {"ih", "stat"}},
  "the echo reads back to the same settings (families included)")
T.ok(rad.settings.digest(rad.settings.check{families = {"stat"}}) ~= rad.settings.digest{},
  "an echo that dropped families would read back as all families")

-- extraction and the FeatureSet
local fs = rad.extract(img, mask, {families = {"stat"}})
T.is(fs.stat_min, -20.0, "fs.stat_min")
T.is(fs["stat_max"], 19.0, "fs['stat_max']")
T.is(fs.no_such_feature, nil, "unknown tag is nil")
local names, values = fs:names(), fs:values()
T.is(#names, #values, "names and values align")
T.is(#fs, fs:count(), "# is the count")
T.is(fs:count(), 18, "stat family gives its 18 features, no diagnostic rows unless asked")
T.is(fs:warning(), nil, "no undefined feature, no warning")
local fsd = rad.extract(img, mask, {families = {"stat"}, diagnostics = true})
local ndiag, allprefixed = 0, true
for i, tag in ipairs(fsd:names()) do
  if i <= 60 then allprefixed = allprefixed and tag:sub(1, 5) == "diag_" end
  if tag:sub(1, 5) == "diag_" then ndiag = ndiag + 1 end
end
T.is(fsd:count(), 78, "diagnostics = true: 60 diagnostic rows + 18 features")
T.ok(allprefixed and ndiag == 60, "the 60 diagnostic rows come first, every tag starting with diag_")
T.is(fsd.diag_int_mask_vox_count_init_roi, 144.0, "diag_int_mask_vox_count_init_roi = 6 x 6 x 4 voxels")
T.is(rad.settings.check{diagnostics = true}.diagnostics, true, "check() keeps diagnostics = true")
T.is(rad.settings.defaults().diagnostics, false, "diagnostics are off by default")
T.errors(function() rad.extract(img, mask, {diagnostics = 1}) end, "settings.diagnostics must be true or false, got number",
  "diagnostics must be a boolean")
T.like(fs:digest(), "^%x+$", "digest is hex")
T.is(#fs:digest(), 64, "digest is SHA-256")
local fs2 = rad.extract(img, mask, {families = {"stat"}})
T.is(fs2:digest(), fs:digest(), "same settings, same digest")
T.ok(rad.extract(img, mask, {families = {"stat"}, round = true}):digest() ~= fs:digest(), "different settings, different digest")
T.like(tostring(fs), "^FeatureSet of %d+ features", "tostring header")
T.like(tostring(fs), "stat_mean", "tostring lists tags")
local tbl = fs:table()
T.is(tbl.stat_min, -20.0, "table()")

local dir = T.tmpdir()
fs:write_csv(dir .. "/f.csv")
local f = io.open(dir .. "/f.csv")
T.is(f:read("l"), "feature,value", "CSV header")
local rows = 0
for line in f:lines() do
  local tag, v = line:match("^([%w_]+),(.+)$")
  if tag and (tonumber(v) == tbl[tag] or (v == "NA" and tbl[tag] == rad.NA)) then rows = rows + 1 end
end
f:close()
T.is(rows, fs:count(), "every CSV row round-trips exactly")

-- the registry
local fams = rad.features.families()
T.is(#fams, 12, "12 families listed (diagnostics + 11 IBSI families)")
T.is(fams[1].prefix, "diag", "the diagnostic rows are listed first")
local info = rad.features.info("cm_joint_max_3D_comb")
T.ok(info and info.tag == "cm_joint_max" and info.family == "cm", "info() resolves an aggregated tag")
T.is(info and info.ibsi_id, "GYBY", "joint maximum is GYBY")
T.is(rad.features.info("stat_mean").ibsi_id, "Q4LE", "mean is Q4LE")
T.is(rad.features.info("bogus_tag"), nil, "unknown tag gives nil")
T.is(rad.features.info("cm_contrast").ibsi_id, rad.features.info("cm_contrast_3D_avg").ibsi_id,
  "a texture tag without its aggregation suffix: the same feature")
T.is(rad.features.info("szm_sze_3D").tag, "szm_sze", "with the suffix: the tag without it")
T.is(rad.features.info("cm_contrast_4D"), nil, "an aggregation that does not exist gives nil")
T.errors(function() rad.features.list("xyz") end, "unknown family 'xyz'", "list() of an unknown family")
-- morph 27, loc 2, stat 18, ih 23, ivh 6, cm 25, rlm 16, szm 16, dzm 16,
-- ngt 5, ngl 17 = 171 IBSI features, and 60 diagnostic rows (5 stages)
T.is(#rad.features.list(), 231, "the registry lists 171 base features and 60 diagnostic rows")
T.is(#rad.features.list("diag"), 60, "60 diagnostic rows")
T.is(#rad.features.list("cm"), 25, "25 GLCM features")
T.is(rad.extract(img, mask):count(), 212, "default extraction: 171 features, cm and rlm in _3D_avg and _3D_comb: 212")

-- degenerate regions of interest: features IBSI leaves undefined are NaN
-- (rad.NA here, NA in CSV), named in one warning; everything else finite
local function undefined(set)
  local out = {}
  for i, v in ipairs(set:values()) do
    if v == rad.NA then out[#out + 1] = set:names()[i]
    elseif v ~= v or v == math.huge or v == -math.huge then out[#out + 1] = "NOT-FINITE:" .. set:names()[i] end
  end
  return table.concat(out, ",")
end
local function aggr(tags, suffixes)
  local out = {}
  for _, s in ipairs(suffixes) do for _, t in ipairs(tags) do out[#out + 1] = t .. s end end
  return out
end
local cm_all = {}
for _, d in ipairs(rad.features.list("cm")) do cm_all[#cm_all + 1] = d.tag end

-- one voxel: the PCA ratios (0/0), the flat AEE, Moran and Geary (no pair),
-- the IVH volume fractions (gamma 0/0), every GLCM feature (no co-occurring
-- pair) and every NGTDM feature (no valid neighbourhood): 6 + 3 + 50 + 5
local one = rad.mask.new(img); one:set(5, 5, 3, 1)
local fs1 = rad.extract(img, one)
local want1 = {"morph_pca_elongation", "morph_pca_flatness", "morph_vol_dens_aee", "morph_area_dens_aee",
  "morph_moran_i", "morph_geary_c", "ivh_v10", "ivh_v90", "ivh_diff_v10_v90"}
for _, t in ipairs(aggr(cm_all, {"_3D_avg", "_3D_comb"})) do want1[#want1 + 1] = t end
for _, t in ipairs(aggr({"ngt_coarseness", "ngt_contrast", "ngt_busyness", "ngt_complexity", "ngt_strength"}, {"_3D"})) do
  want1[#want1 + 1] = t
end
T.is(fs1:count(), 212, "single-voxel ROI: every feature has a row")
T.is(undefined(fs1), table.concat(want1, ","), "single-voxel ROI: exactly the 64 undefined features are NA")
T.is(fs1:warning(), "64 features undefined for this ROI (one voxel): " .. table.concat(want1, ", "),
  "single-voxel ROI: one warning naming them")
T.is(fs1.stat_var, 0.0, "single voxel: variance 0 (defined)")
T.is(fs1.stat_skew, 0.0, "single voxel: skewness 0 (IBSI KE2A: 0 when the variance is 0)")

-- constant intensity: Moran's I and Geary's C (0/0), the IVH volume
-- fractions, GLCM correlation and information correlation 1 (one level),
-- NGTDM coarseness (sum p s = 0; IBSI's 10^6 would be a fake value)
local flat = rad.image.new{size = {10, 10, 6}, spacing = {1, 1, 2}, value = 7}
local fsc = rad.extract(flat, mask)
local wantc = "morph_moran_i,morph_geary_c,ivh_v10,ivh_v90,ivh_diff_v10_v90,cm_corr_3D_avg,cm_info_corr1_3D_avg," ..
  "cm_corr_3D_comb,cm_info_corr1_3D_comb,ngt_coarseness_3D"
T.is(undefined(fsc), wantc, "constant ROI: exactly the 10 undefined features are NA")
T.like(fsc:warning(), "^10 features undefined for this ROI %(constant intensity%): morph_moran_i, ", "constant ROI: warning")
T.is(fsc.ngt_contrast_3D, 0.0, "constant ROI: NGTDM contrast 0 (IBSI 65HE, one level)")
T.is(fsc.ngt_strength_3D, 0.0, "constant ROI: NGTDM strength 0 (IBSI 1X9X)")
fsc:write_csv(dir .. "/const.csv")
local csv = io.open(dir .. "/const.csv"):read("a")
T.like(csv, "\nngt_coarseness_3D,NA\n", "CSV: an undefined feature is NA")
T.like(csv, "\nngt_contrast_3D,0\n", "CSV: a defined 0 stays 0")
local back = rad.read_csv(dir .. "/const.csv")
T.is(back:nrow(), 212, "the CSV reads back with 212 rows")
T.like(tostring(fsc), "ngt_coarseness_3D%s+NA", "tostring prints NA")

local edge = rad.mask.new(img)
for j = 1, 10 do for i = 1, 10 do edge:set(i, j, 1, 1) end end
local fse = rad.extract(img, edge, {families = {"stat", "morph"}})
T.is(fse.morph_vol_approx, 200.0, "ROI touching the image border: 100 voxels of 2 mm^3")
-- one slice, constant intensity (-1000 air): the flat AEE has no volume,
-- Moran and Geary are 0/0, the coefficient of variation is defined
T.is(undefined(fse), "morph_vol_dens_aee,morph_moran_i,morph_geary_c", "one flat slice: exactly 3 undefined")
T.like(fse:warning(), "%(one slice, constant intensity%)", "the warning says why")

T.errors(function() rad.extract(img, mask, {resegment = {range = {500, 600}}}) end,
  "empty after re-segmentation", "ROI emptied by re-segmentation")

-- radlab extract: the undefined features are NA and one warning line names them
img:write(dir .. "/img.nii.gz"); one:write(dir .. "/one.nii.gz")
local radlab = os.getenv("RADLAB") or "./radlab"
local okx = os.execute(string.format("'%s' extract '%s' '%s' -o '%s' 2>'%s'", radlab, dir .. "/img.nii.gz",
  dir .. "/one.nii.gz", dir .. "/one.csv", dir .. "/one.err"))
local err = io.open(dir .. "/one.err"):read("a")
T.ok(okx, "radlab extract of a single-voxel ROI succeeds")
T.is(err, "radlab: warning: " .. fs1:warning() .. "\n", "radlab extract: exactly one warning line on stderr")
local na = 0
for line in io.lines(dir .. "/one.csv") do if line:match(",NA$") then na = na + 1 end end
T.is(na, 64, "radlab extract: the 64 undefined features are NA in the CSV")

-- a mask drawn on another grid, brought onto the image grid: its voxel
-- (2, 2, 1) of 2 x 2 x 4 mm from (0.5, 0.5, 1) covers image voxels 3..4 in
-- x and y and 1..2 in z (1 x 1 x 2 mm from 0)
local coarse = rad.image.new{size = {3, 3, 2}, spacing = {2, 2, 4}, origin = {0.5, 0.5, 1}}
local drawn = rad.mask.new(coarse); drawn:set(2, 2, 1, 1)
T.errors(function() rad.extract(img, drawn) end, "put it on the image's grid with mask:resample_to(img)",
  "a mask on another grid: the error names the fix")
local moved = drawn:resample_to(img)
local bb = moved:bbox()
T.is(moved:count(), 8, "Mask:resample_to: 2 x 2 x 2 image voxels")
T.is(table.concat(bb.min, ",") .. ";" .. table.concat(bb.max, ","), "3,3,1;4,4,2", "Mask:resample_to: voxels 3..4, 3..4, 1..2")
T.is(rad.extract(img, moved, {families = {"stat"}}):count(), 18, "the resampled mask extracts")

local nanimg = img:copy(); nanimg:set(4, 4, 3, 0 / 0)
T.errors(function() rad.extract(nanimg, mask) end,
  "the image has 1 non-finite (NaN or infinite) voxel inside the ROI, the first at (4, 4, 3) (1-based, as img:get takes it)",
  "NaN voxel in the ROI: an error naming the voxel")

T.done()
