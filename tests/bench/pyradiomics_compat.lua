-- radlab benchmark: brain1 extraction in compat = "pyradiomics" mode (each
-- of the 8 baseline settings files) against the closest IBSI settings
-- (pyradiomics_like.lua).  Prints best-of-N CPU times (os.clock); asserts nothing.
-- Run: RADLAB_DATA=/work/shared/data ./radlab tests/bench/pyradiomics_compat.lua [N]
-- SPDX-License-Identifier: GPL-3.0-or-later
local top = os.getenv("top_srcdir") or "."
local data = os.getenv("RADLAB_DATA") or "../shared/data"
local reps = tonumber(arg and arg[1]) or 5
local f = io.open(data .. "/pyradiomics/brain1_image.nrrd", "rb")
if not f then
  print("pyradiomics_compat: brain1 not found under " .. data .. " (set RADLAB_DATA); nothing measured")
  return
end
f:close()
local img = rad.read(data .. "/pyradiomics/brain1_image.nrrd")
local mask = rad.read_mask(data .. "/pyradiomics/brain1_label.nrrd", {label = 1})
local function best(settings)
  local t, n = math.huge, 0
  for _ = 1, reps do
    local t0 = os.clock()
    local fs = rad.extract(img, mask, settings)
    local dt = os.clock() - t0
    if dt < t then t = dt end
    n = #fs:names()
  end
  return t, n
end
print(string.format("brain1 (%d voxels in the ROI), best of %d:", mask:count(), reps))
local t, n = best(dofile(top .. "/tests/bench/pyradiomics_like.lua"))
print(string.format("  %-36s %8.3f s  %4d features", "IBSI, PyRadiomics-like", t, n))
for _, v in ipairs{"default", "FBN", "2d", "resegmentation", "normalization", "flatRegion", "combined", "resampling"} do
  t, n = best(dofile(top .. "/tests/reference/pyradiomics/" .. v .. ".lua"))
  print(string.format("  %-36s %8.3f s  %4d features", "compat pyradiomics, " .. v, t, n))
end
