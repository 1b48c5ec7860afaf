-- radlab: PyRadiomics parameter files mutated at random (a fixed seed):
-- rad.settings.from_pyradiomics either reads a mutant into settings that
-- write back and read again to the same settings digest, or refuses it with
-- a message that names the file; never a Lua runtime error from inside the
-- reader (an "attempt to ..." or a stdlib position), never a crash.
-- The C YAML reader underneath has its own libFuzzer target (make fuzz,
-- target yaml); this covers the Lua layer above it.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local dir = T.tmpdir()

local seed_text = [[
# a parameter file with every section
setting:
  binWidth: 25
  label: 1
  voxelArrayShift: 1000
  normalize: true
  normalizeScale: 100
  resampledPixelSpacing: [2, 2, 2]
  interpolator: 'sitkBSpline'
  padDistance: 10
  force2D: false
  force2Ddimension: 0
  symmetricalGLCM: true
  weightingNorm: null
  distances: [1]
  gldm_a: 0
  minimumROIDimensions: 2
imageType:
  Original: {}
  LoG:
    sigma: [1.0, 3.0]
  Wavelet: {}
  Square: {}
  Gradient: {gradientUseSpacing: true}
  LBP2D: {lbp2DRadius: 1, lbp2DSamples: 8}
featureClass:
  shape:
  firstorder: [Mean, Median]
  glcm:
  glrlm:
  glszm:
  gldm:
  ngtdm:
]]

-- the seed itself reads, and round-trips
local function write(path, text)
  local f = assert(io.open(path, "wb")); f:write(text); f:close()
end
local path = dir .. "/Params.yaml"
write(path, seed_text)
local s0 = rad.settings.from_pyradiomics(path)
T.is(s0.compat, "pyradiomics", "the seed reads")
T.ok(#s0.filters >= 10, string.format("the seed's image types: %d filters", #s0.filters))

-- a small deterministic generator (64-bit LCG, high bits)
local state = 0x2545F4914F6CDD1D
local function rnd(n)
  state = state * 6364136223846793005 + 1442695040888963407
  return ((state >> 33) % n) + 1
end

local lines = {}
for l in seed_text:gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
local tokens = {"0", "-1", "1e-3", "1.0e-3", "2.5", "999999999999", "-0.0", ".nan", ".inf", "true", "no", "null", "~",
  "''", "'x'", "[]", "{}", "[1, 2", "[[1]]", "{a: 1}", "&a 1", "*a", "!!binary AA==", "|\n  text", "binWidth",
  "binCount: 16", "sigma: []", "LoG", "Wavelet: {level: 3}", "Wavelet: {start_level: 1}", "Original: null",
  "featureClass", "setting", "imageType", "\t", ":", "- ", "#", "\"\\u0000\"", "[1.0, 0]"}

local function mutate()
  local ls = {}
  for i, l in ipairs(lines) do ls[i] = l end
  for _ = 1, rnd(3) do
    local op, i = rnd(6), rnd(#ls)
    if op == 1 then table.remove(ls, i) -- drop a line
    elseif op == 2 then table.insert(ls, i, ls[rnd(#ls)]) -- repeat a line elsewhere
    elseif op == 3 then -- a value replaced
      local k = ls[i]:match("^(%s*[%w_]+:)")
      if k then ls[i] = k .. " " .. tokens[rnd(#tokens)] end
    elseif op == 4 then -- indentation changed
      ls[i] = (rnd(2) == 1 and "  " or "") .. ls[i]:gsub("^  ", "", 1)
    elseif op == 5 then -- a token inserted as a line
      table.insert(ls, i, string.rep("  ", rnd(3) - 1) .. tokens[rnd(#tokens)])
    else -- bytes cut from a line
      local l = ls[i]
      if #l > 1 then local a = rnd(#l); ls[i] = l:sub(1, a - 1) .. l:sub(a + rnd(4)) end
    end
  end
  return table.concat(ls, "\n") .. "\n"
end

local N = 1500
local read, refused, bad, roundtrip_bad = 0, 0, 0, 0
local first_bad
for n = 1, N do
  local text = mutate()
  write(path, text)
  local ok, s = pcall(rad.settings.from_pyradiomics, path)
  if ok then
    read = read + 1
    -- what was read writes back and reads again to the same settings
    local ok2, err = pcall(function()
      local back = dir .. "/back.yaml"
      rad.settings.to_pyradiomics(s, back)
      local again = rad.settings.from_pyradiomics(back)
      assert(rad.settings.digest(again) == rad.settings.digest(s), "digest differs after to/from_pyradiomics")
    end)
    if not ok2 then
      roundtrip_bad = roundtrip_bad + 1
      first_bad = first_bad or string.format("mutant %d round trip: %s\n%s", n, tostring(err), text)
    end
  else
    local msg = tostring(s)
    if msg:find(path, 1, true) == 1 and not msg:find("attempt to", 1, true) and not msg:find("stdlib/", 1, true)
       and not msg:find("%.lua:%d+:") then
      refused = refused + 1
    else
      bad = bad + 1
      first_bad = first_bad or string.format("mutant %d: %s\n%s", n, msg, text)
    end
  end
end
T.diag(string.format("%d mutants: %d read, %d refused with the file named", N, read, refused))
if first_bad then T.diag(first_bad) end
T.is(bad, 0, "every refusal names the file and comes from the reader's checks, not a Lua error")
T.is(roundtrip_bad, 0, "every mutant read writes back to the same settings")
T.ok(read >= 100 and refused >= 100, "the mutants exercise both outcomes")
T.done()
