-- radlab benchmark: brain1 extraction in compat = "pyradiomics" mode (each
-- of the 8 baseline settings files) against the closest IBSI settings
-- (pyradiomics_like.lua), and the CT phantom in both.  Prints, per row, the
-- wall time per extraction (the mean of N, on every processor: the classes
-- and image types run on the thread pool) and the best CPU time of N
-- (os.clock: all threads added up); asserts nothing.
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

-- wall clock in seconds (date: os.time has whole seconds only); read once
-- before and once after the N runs, so its start-up cost is spread over N
local function wall()
  local p = io.popen("date +%s.%N")
  local s = tonumber(p:read("l"))
  p:close()
  return s
end

local function measure(img, mask, settings)
  local cpu, n = math.huge, 0
  local w0 = wall()
  for _ = 1, reps do
    local t0 = os.clock()
    local fs = rad.extract(img, mask, settings)
    local dt = os.clock() - t0
    if dt < cpu then cpu = dt end
    n = #fs:names()
  end
  return (wall() - w0) / reps, cpu, n
end

local function row(label, img, mask, settings)
  local w, c, n = measure(img, mask, settings)
  print(string.format("  %-38s %8.4f s wall %8.4f s CPU  %4d features", label, w, c, n))
end

local img = rad.read(data .. "/pyradiomics/brain1_image.nrrd")
local mask = rad.read_mask(data .. "/pyradiomics/brain1_label.nrrd", {label = 1})
local like = dofile(top .. "/tests/bench/pyradiomics_like.lua")
print(string.format("brain1 (%d voxels in the ROI), %d runs each:", mask:count(), reps))
row("IBSI, PyRadiomics-like", img, mask, like)
for _, v in ipairs{"default", "FBN", "2d", "resegmentation", "normalization", "flatRegion", "combined", "resampling"} do
  row("compat pyradiomics, " .. v, img, mask, dofile(top .. "/tests/reference/pyradiomics/" .. v .. ".lua"))
end

local ct = data .. "/ibsi1/ct_phantom/"
f = io.open(ct .. "image.nii.gz", "rb")
if f then
  f:close()
  img = rad.read(ct .. "image.nii.gz")
  mask = rad.read_mask(ct .. "mask.nii.gz")
  print(string.format("CT phantom (%d voxels in the ROI):", mask:count()))
  row("IBSI, PyRadiomics-like", img, mask, like)
  row("compat pyradiomics, default", img, mask, dofile(top .. "/tests/reference/pyradiomics/default.lua"))
end
