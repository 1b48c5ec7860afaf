-- radlab: IBSI 2 phase 2, the 18 intensity statistics of filter responses on
-- the IBSI CT phantom, through the extraction settings (settings.filters).
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The 18 settings files tests/reference/ibsi2/config_1a.lua .. config_9b.lua
-- (A = 2D on the original grid, B = 3D after interpolation to 1 mm) are the
-- configurations of ../shared/data/ibsi2/README.md.  Checked here: each gives
-- the 18 stat features under its filter's prefix, tags unique across all
-- configurations, the unfiltered configurations equal a plain extraction, and
-- for the mean and LoG 2D configurations (2.A, 3.A) the statistics recomputed
-- independently from rad.filter of the whole image sampled in the ROI
-- (mask voxels whose ORIGINAL intensity is in [-1000, 400]): the pipeline
-- order the engine documents.  The 18 x 18 table of values is printed for a
-- comparison with the IBSI consensus values, done outside the project.
local T = require "rad.test"
local top = os.getenv("top_srcdir") or "."

local stats = {"mean", "var", "skew", "kurt", "median", "min", "p10", "p90", "max", "iqr", "range", "mad", "rmad",
  "medad", "cov", "qcod", "energy", "rms"}
local prefixes = {
  ["1a"] = "", ["1b"] = "",
  ["2a"] = "mean_5_2D_", ["2b"] = "mean_5_3D_",
  ["3a"] = "log_s1.5mm_2D_", ["3b"] = "log_s1.5mm_3D_",
  ["4a"] = "laws_L5E5_e7_inv_2D_", ["4b"] = "laws_L5E5E5_e7_inv_3D_",
  ["5a"] = "gabor_s5_g1.5_l2_t0_22.5_2D_", ["5b"] = "gabor_s5_g1.5_l2_t0_22.5_3D_",
  ["6a"] = "wav_db3_LH_L1_inv_2D_", ["6b"] = "wav_db3_LLH_L1_inv_3D_",
  ["7a"] = "wav_db3_HH_L2_inv_2D_", ["7b"] = "wav_db3_HHH_L2_inv_3D_",
  ["8a"] = "simoncelli_L1_2D_", ["8b"] = "simoncelli_L1_3D_",
  ["9a"] = "simoncelli_L2_2D_", ["9b"] = "simoncelli_L2_3D_",
}
local ids = {}
for k = 1, 9 do ids[#ids + 1] = k .. "a"; ids[#ids + 1] = k .. "b" end

local data, why = T.data()
if not data then
  T.skip(#ids + 8, why)
  T.done()
end

local img = rad.read(data .. "/ibsi1/ct_phantom/image.nii.gz")
local mask = rad.read_mask(data .. "/ibsi1/ct_phantom/mask.nii.gz")

local fss, seen, dup = {}, {}, nil
for _, id in ipairs(ids) do
  local s = dofile(top .. "/tests/reference/ibsi2/config_" .. id .. ".lua")
  local t0 = os.clock()
  local fs = rad.extract(img, mask, s)
  local dt = os.clock() - t0
  fss[id] = fs
  local names, missing = fs:names(), {}
  for _, st in ipairs(stats) do
    local tag = prefixes[id] .. "stat_" .. st
    if type(fs[tag]) ~= "number" then missing[#missing + 1] = tag end
  end
  for _, tag in ipairs(names) do
    if seen[tag] and not dup and prefixes[id] ~= "" then dup = tag .. " (" .. seen[tag] .. " and " .. id .. ")" end
    seen[tag] = seen[tag] or id
  end
  T.ok(#names == 18 and #missing == 0,
    string.format("config %s: %d features, the 18 stat features %s (%.1f s)", id, #names,
      #missing == 0 and ("under prefix '" .. prefixes[id] .. "'") or ("missing: " .. table.concat(missing, ", ")), dt))
end
T.ok(dup == nil, "the 16 filtered configurations have 288 distinct tags" .. (dup and (": repeated " .. dup) or ""))

-- the unfiltered configurations are a plain extraction's statistics
for _, id in ipairs{"1a", "1b"} do
  local s = dofile(top .. "/tests/reference/ibsi2/config_" .. id .. ".lua")
  s.filters, s.filter_families, s.families = nil, nil, nil
  local plain = rad.extract(img, mask, s)
  local worst = 0
  for _, st in ipairs(stats) do
    worst = math.max(worst, math.abs(plain["stat_" .. st] - fss[id]["stat_" .. st]))
  end
  T.ok(worst == 0, string.format("config %s equals a plain extraction's stat features (max |diff| %g)", id, worst))
end

-- 2.A and 3.A recomputed: filter the whole image, sample the response in the
-- mask voxels whose original intensity is in [-1000, 400]
local function independent(spec)
  local resp = rad.filter(img, spec)
  local bb = mask:bbox()
  local v = {}
  for k = bb.min[3], bb.max[3] do
    for j = bb.min[2], bb.max[2] do
      for i = bb.min[1], bb.max[1] do
        local x = img:get(i, j, k)
        if mask:get(i, j, k) ~= 0 and x >= -1000 and x <= 400 then v[#v + 1] = resp:get(i, j, k) end
      end
    end
  end
  local sum, sum2, lo, hi = 0, 0, math.huge, -math.huge
  for _, x in ipairs(v) do
    sum = sum + x
    lo, hi = math.min(lo, x), math.max(hi, x)
  end
  local mean = sum / #v
  for _, x in ipairs(v) do sum2 = sum2 + (x - mean) ^ 2 end
  return {mean = mean, var = sum2 / #v, min = lo, max = hi, n = #v}
end
for _, c in ipairs{{"2a", {"mean", support = 5, dims = 2, boundary = "mirror"}},
                   {"3a", {"log", sigma = 1.5, truncate = 4, dims = 2, boundary = "mirror"}}} do
  local id, want = c[1], independent(c[2])
  local fs, p, worst = fss[id], prefixes[id], 0
  for _, st in ipairs{"mean", "var", "min", "max"} do
    local got = fs[p .. "stat_" .. st]
    worst = math.max(worst, math.abs(got - want[st]) / math.max(1, math.abs(want[st])))
  end
  T.ok(worst < 1e-6, string.format("config %s recomputed from rad.filter in %d ROI voxels: mean %.6g (engine %.6g), " ..
    "var %.6g, min %.6g, max %.6g; max relative diff %.2g", id, want.n, want.mean, fs[p .. "stat_mean"], want.var,
    want.min, want.max, worst))
end

-- the settings digest: unchanged without filters, changed by them, and the
-- settings echo (rad.settings.check) reads back to the same digest
local function cfg(id) return dofile(top .. "/tests/reference/ibsi2/config_" .. id .. ".lua") end
local s4, bare, empty = cfg("4b"), cfg("4b"), cfg("4b")
bare.filters, bare.filter_families = nil, nil
empty.filters = {}
local d4 = rad.settings.digest(s4)
T.ok(rad.settings.digest(bare) == rad.settings.digest(empty) and rad.settings.digest(bare) ~= d4 and
  fss["4b"]:digest() == d4,
  "settings digest: no filters = an empty filter list, filters change it")
-- the echo of rad.settings.check carries the filters (not families: the
-- default families here) back to the same digest
local s4all = cfg("4b")
s4all.families = nil
T.ok(rad.settings.digest(rad.settings.check(s4all)) == rad.settings.digest(s4all),
  "rad.settings.check echoes the filters: the echo has the same digest")

-- the table for the comparison with the IBSI consensus values
local head = {string.format("%-8s", "stat")}
for _, id in ipairs(ids) do head[#head + 1] = string.format("%12s", id:upper()) end
T.diag(table.concat(head, " "))
for _, st in ipairs(stats) do
  local row = {string.format("%-8s", st)}
  for _, id in ipairs(ids) do row[#row + 1] = string.format("%12.5g", fss[id][prefixes[id] .. "stat_" .. st]) end
  T.diag(table.concat(row, " "))
end
T.done()
