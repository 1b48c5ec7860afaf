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

-- extraction and the FeatureSet
local fs = rad.extract(img, mask, {families = {"stat"}})
T.is(fs.stat_min, -20.0, "fs.stat_min")
T.is(fs["stat_max"], 19.0, "fs['stat_max']")
T.is(fs.no_such_feature, nil, "unknown tag is nil")
local names, values = fs:names(), fs:values()
T.is(#names, #values, "names and values align")
T.is(#fs, fs:count(), "# is the count")
T.ok(fs:count() >= 18, "stat family gives its 18 features (and diagnostics)")
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
  if tag and tonumber(v) == tbl[tag] then rows = rows + 1 end
end
f:close()
T.is(rows, fs:count(), "every CSV row round-trips exactly")

-- the registry
local fams = rad.features.families()
T.ok(#fams >= 12, "12 families listed (diagnostics + 11 IBSI families)")
local info = rad.features.info("cm_joint_max_3D_comb")
T.ok(info and info.tag == "cm_joint_max" and info.family == "cm", "info() resolves an aggregated tag")
T.is(info and info.ibsi_id, "GYBY", "joint maximum is GYBY")
T.is(rad.features.info("stat_mean").ibsi_id, "Q4LE", "mean is Q4LE")
T.is(rad.features.info("bogus_tag"), nil, "unknown tag gives nil")
T.errors(function() rad.features.list("xyz") end, "unknown family 'xyz'", "list() of an unknown family")
local total = #rad.features.list()
T.ok(total >= 160, "the registry lists " .. total .. " base features")

-- degenerate regions of interest: a value or a clear error, never NaN
local function finite_all(set)
  for i, v in ipairs(set:values()) do
    if v ~= v or v == math.huge or v == -math.huge then return false, set:names()[i] end
  end
  return true
end
local one = rad.mask.new(img); one:set(5, 5, 3, 1)
local ok, res = pcall(rad.extract, img, one)
T.ok(ok, "single-voxel ROI extracts" .. (ok and "" or (": " .. tostring(res))))
if ok then local good, bad = finite_all(res); T.ok(good, "single-voxel ROI: every value finite" .. (bad and (" (" .. bad .. ")") or "")) else T.skip(1, "no result") end

local flat = rad.image.new{size = {10, 10, 6}, spacing = {1, 1, 2}, value = 7}
ok, res = pcall(rad.extract, flat, mask)
T.ok(ok, "constant-intensity ROI extracts" .. (ok and "" or (": " .. tostring(res))))
if ok then local good, bad = finite_all(res); T.ok(good, "constant ROI: every value finite" .. (bad and (" (" .. bad .. ")") or "")) else T.skip(1, "no result") end

local edge = rad.mask.new(img)
for j = 1, 10 do for i = 1, 10 do edge:set(i, j, 1, 1) end end
ok, res = pcall(rad.extract, img, edge)
T.ok(ok, "ROI touching the image border extracts" .. (ok and "" or (": " .. tostring(res))))

T.errors(function() rad.extract(img, mask, {resegment = {range = {500, 600}}}) end,
  "empty after re-segmentation", "ROI emptied by re-segmentation")

local nanimg = img:copy(); nanimg:set(4, 4, 3, 0 / 0)
ok, res = pcall(rad.extract, nanimg, mask)
if ok then local good, bad = finite_all(res); T.ok(good, "NaN voxel in the ROI: values stay finite" .. (bad and (" (" .. bad .. ")") or ""))
else T.like(res, "NaN", "NaN voxel in the ROI: the error says NaN") end

T.done()
