-- radlab: agreement with the IBSI 1 reference values.
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Runs the full pipeline (rad.extract) on the IBSI phantom with the settings
-- file of a configuration (tests/reference/ibsi1/<config>.lua) and compares
-- every reference value of ../shared/data/ibsi1/reference/<config>.csv:
-- digital phantom values after rounding to 3 significant figures (the CSV's
-- tolerance is 0), CT configurations within the CSV's tolerance (also after
-- rounding to the reference's significant figures, as IBSI's own test does).
-- One TAP line per reference value, then a per-family table of matches and
-- every miss with computed value, reference and tolerance.
--
--   radlab tests/reference/ibsi1.lua config_c      (by hand: prints the table)
--   dofile(".../ibsi1.lua")("config_a")           (from the per-config tests)
--   dofile(".../ibsi1.lua")("config_a", {mask = function(data, img) return m end, what = "RTSTRUCT mask"})
--                                                 (the same with another mask, e.g. rasterised from DICOM)
--   dofile(".../ibsi1.lua")("config_c", {image = function(data) return img end, mask = ..., what = ...})
--                                                 (and another image, e.g. the DICOM series)

local T = require "rad.test"

local top = os.getenv("top_srcdir") or "."

-- round x to the number of significant figures `sig`
local function round_sig(x, sig)
  if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x end
  local e = math.floor(math.log(math.abs(x), 10)) + 1
  local f = 10 ^ (sig - e)
  return math.floor(x * f + 0.5) / f
end

-- significant figures written in a reference value such as "0.0326", "2E-05", "-1000"
local function sig_figs(s)
  local mant = s:lower():match("^[-+]?([%d.]+)") or s
  local digits = mant:gsub("%.", ""):gsub("^0+", "")
  if digits == "" then return 1 end
  if not mant:find("%.") then digits = digits:gsub("0+$", "") end
  return math.max(#digits, 1)
end

local function family_of(tag)
  local p = tag:match("^(%a+)_")
  if p == "morph" and tag:match("^morph_mask_") then return "diag" end
  local known = {morph = 1, loc = 1, stat = 1, ih = 1, ivh = 1, cm = 1, rlm = 1, szm = 1, dzm = 1, ngt = 1, ngl = 1}
  return known[p] and p or "diag"
end

local function run(config, opts)
  opts = opts or {}
  local data, why = T.data()
  local csv = data and (data .. "/ibsi1/reference/" .. config .. ".csv")
  if not data then
    T.skip(1, why)
    return T.done()
  end
  local phantom = config == "dig_phantom" and "digital_phantom" or "ct_phantom"
  local settings = dofile(top .. "/tests/reference/ibsi1/" .. config .. ".lua")
  settings.diagnostics = true -- the reference's diagnostic rows are compared too
  local img = opts.image and opts.image(data) or rad.read(data .. "/ibsi1/" .. phantom .. "/image.nii.gz")
  local mask = opts.mask and opts.mask(data, img) or rad.read_mask(data .. "/ibsi1/" .. phantom .. "/mask.nii.gz")
  if opts.what then T.diag(string.format("IBSI 1 %s with the %s (%d voxels)", config, opts.what, mask:count())) end
  local t0 = os.clock()
  local fs = rad.extract(img, mask, settings)
  local elapsed = os.clock() - t0
  local got = fs:table()

  local order, stats, misses = {}, {}, {}
  local strict = config == "dig_phantom"
  for line in io.lines(csv) do
    local value, tol, tag = line:match("^([^;]*);([^;]*);([^;]+)$")
    if value and value ~= "" and value ~= "reference value" then
      local fam = family_of(tag)
      if not stats[fam] then stats[fam] = {0, 0}; order[#order + 1] = fam end
      local s = stats[fam]
      s[2] = s[2] + 1
      local ref, eps = tonumber(value), tonumber(tol) or 0
      -- radlab names the diagnostic rows diag_<IBSI tag>
      local x = got[fam == "diag" and "diag_" .. tag or tag]
      local ok
      if x == rad.NA then x = nil end -- undefined is a miss, like missing
      if x == nil then
        ok = false
      elseif strict then
        ok = round_sig(x, 3) == round_sig(ref, 3)
      else
        -- as IBSI's own test: the value rounded to the reference's significant
        -- figures (at least 3), then within the tolerance; the 1e-12 only
        -- absorbs the binary representation of the rounded decimal
        ok = math.abs(round_sig(x, math.max(sig_figs(value), 3)) - ref) <= eps + 1e-12 * math.abs(ref)
      end
      if ok then s[1] = s[1] + 1 else misses[#misses + 1] = {tag, x, ref, eps} end
      T.ok(ok, string.format("%s %s = %s (reference %s, tolerance %s)", config, tag,
        x == nil and "missing" or string.format("%.6g", x), value, tol))
    end
  end

  T.diag(string.format("IBSI 1 %s: extraction took %.3f s (%d features computed)", config, elapsed, fs:count()))
  T.diag(string.format("%-8s %8s %8s", "family", "matched", "total"))
  local tm, tt = 0, 0
  for _, fam in ipairs(order) do
    T.diag(string.format("%-8s %8d %8d", fam, stats[fam][1], stats[fam][2]))
    tm, tt = tm + stats[fam][1], tt + stats[fam][2]
  end
  T.diag(string.format("%-8s %8d %8d", "all", tm, tt))
  if #misses > 0 then
    T.diag("misses (tag, computed, reference, tolerance):")
    for _, m in ipairs(misses) do
      T.diag(string.format("  %-28s %-16s %-12s %s", m[1], m[2] == nil and "missing" or string.format("%.8g", m[2]),
        tostring(m[3]), tostring(m[4])))
    end
  end
  T.done()
end

if arg and arg[0] and arg[0]:match("ibsi1%.lua$") then
  run(arg[1] or "dig_phantom")
end
return run
