-- radlab benchmark: GLCM feature maps (every GLCM feature, 3D aggregations)
-- of the IBSI 1 CT phantom's ROI with radius 2; prints the ROI voxel count,
-- the wall and CPU time and the cost per voxel, best of N runs; method
-- "direct" runs the GLCM family function on every neighbourhood instead;
-- method "pyradiomics" maps PyRadiomics' glcm class in compatibility mode
-- (its 24 features, binWidth 25, resegmentRange [-500, 400], kernelRadius 2).
-- Run: RADLAB_DATA=/work/shared/data ./radlab tests/bench/featuremap.lua [runs] [threads] [fast|direct|pyradiomics]
-- SPDX-License-Identifier: GPL-3.0-or-later
local dir = os.getenv("RADLAB_DATA") or "../shared/data"
local runs = tonumber(arg and arg[1]) or 3
local threads = tonumber(arg and arg[2]) or 0
local method = arg and arg[3] or "fast"
local path = dir .. "/ibsi1/ct_phantom/"
local f = io.open(path .. "image.nii.gz", "rb")
if not f then
  print("SKIP: the IBSI CT phantom is not at " .. path .. " (set RADLAB_DATA)")
  return
end
f:close()
local img = rad.read(path .. "image.nii.gz")
local mask = rad.read_mask(path .. "mask.nii.gz")
local n = mask:count()
local settings = {discretise = {method = "fbs", width = 25, min = -500}, resegment = {range = {-500, 400}},
                  round = true}
local features, probe = {"cm"}, "cm_joint_avg_3D_avg"
local opts = {features = features, radius = 2, threads = threads, method = method}
if method == "pyradiomics" then
  settings = {compat = "pyradiomics", pyradiomics = {binWidth = 25, resegmentRange = {-500, 400}}}
  features, probe = {"glcm"}, "original_glcm_Contrast"
  opts = {features = features, radius = 2, threads = threads, fill = 0 / 0}
end
local function now()
  local p = io.popen("date +%s.%N")
  local t = tonumber(p:read("l"))
  p:close()
  return t
end
local nx, ny, nz = img:size()
print(string.format("IBSI CT phantom: %dx%dx%d voxels, ROI %d voxels; GLCM maps, radius 2, cube, %s, threads %s",
  nx, ny, nz, n, method, threads == 0 and "all" or tostring(threads)))
local best, bestcpu, centres = math.huge, math.huge, n
for r = 1, runs do
  local t0, c0 = now(), os.clock()
  local maps = rad.feature_map(img, mask, settings, opts)
  local dt, cpu = now() - t0, os.clock() - c0
  local nm = 0
  for _ in pairs(maps) do nm = nm + 1 end
  if r == 1 then -- the centres: the finite voxels of a map that is defined everywhere in the ROI
    centres = maps[probe]:stats().n
    print(string.format("centres (the ROI after re-segmentation to [-500, 400]): %d", centres))
  end
  maps = nil
  collectgarbage()
  print(string.format("run %d: %d maps in %.2f s wall, %.2f s CPU (all threads)", r, nm, dt, cpu))
  if dt < best then best = dt end
  if cpu < bestcpu then bestcpu = cpu end
end
print(string.format("best of %d: %.2f s wall (%.1f us per centre), %.2f s CPU (%.1f us per centre)",
  runs, best, best / centres * 1e6, bestcpu, bestcpu / centres * 1e6))
print("(wall time counts the other processes on the machine: compare the CPU time with `uptime`'s load)")
