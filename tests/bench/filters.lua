-- radlab benchmark: the IBSI 2 filters on the IBSI CT phantom at 1 mm
-- isotropic (about 200 x 197 x 180 voxels), the grid of IBSI 2 phase 2
-- configuration B.  Prints wall and CPU time per filter; asserts nothing.
-- A second table runs the 18 IBSI 2 phase-2 settings files
-- (tests/reference/ibsi2/config_1a.lua .. config_9b.lua) through rad.extract
-- on the CT phantom and its mask: each configuration's wall time and the sum.
--   ./radlab tests/bench/filters.lua [REPEATS] [THREADS]
-- The Lua API has no resampler, so the 1 mm grid is made here (the grid of
-- rad_resample_grid: n' = ceil(n s / 1), centres aligned; linear between
-- slices, nearest in-plane): the filter times depend on the grid, not on
-- the values.
-- SPDX-License-Identifier: GPL-3.0-or-later
local data = os.getenv("RADLAB_DATA") or "../shared/data"
local top = os.getenv("top_srcdir") or "."
local reps = tonumber(arg and arg[1]) or 3
local threads = tonumber(arg and arg[2]) or 0
local img_path = data .. "/ibsi1/ct_phantom/image.nii.gz"
if not io.open(img_path) then
  print("bench: " .. img_path .. " not found; set RADLAB_DATA")
  os.exit(0)
end

local function wall()
  local f = io.popen("date +%s.%N")
  local s = tonumber(f:read("l"))
  f:close()
  return s
end

local ct = rad.read(img_path)
local nx, ny, nz = ct:size()
local sx, sy, sz = ct:spacing()
local mx, my, mz = math.ceil(nx * sx), math.ceil(ny * sy), math.ceil(nz * sz)
local iso = rad.image.new{size = {mx, my, mz}, spacing = {1, 1, 1}}
-- index i' of the new grid sits at old index (i' - (m - 1)/2) / s + (n - 1)/2
local function old(i, m, s, n) return (i - (m - 1) / 2) / s + (n - 1) / 2 end
local w0 = wall()
local ix, iy = {}, {}
for i = 0, mx - 1 do ix[i + 1] = math.min(nx, math.max(1, math.floor(old(i, mx, sx, nx) + 0.5) + 1)) end
for j = 0, my - 1 do iy[j + 1] = math.min(ny, math.max(1, math.floor(old(j, my, sy, ny) + 0.5) + 1)) end
for k = 0, mz - 1 do
  local z = math.min(nz - 1, math.max(0, old(k, mz, sz, nz)))
  local z0 = math.floor(z)
  local z1, f = math.min(nz - 1, z0 + 1), z - z0
  for j = 1, my do
    local jj = iy[j]
    for i = 1, mx do
      local ii = ix[i]
      iso:set(i, j, k + 1, (1 - f) * ct:get(ii, jj, z0 + 1) + f * ct:get(ii, jj, z1 + 1))
    end
  end
end
print(string.format("CT phantom %dx%dx%d at %.3gx%.3gx%.3g mm -> %dx%dx%d at 1 mm (%.1f s in Lua); threads %s, best of %d",
  nx, ny, nz, sx, sy, sz, mx, my, mz, wall() - w0, threads == 0 and "all" or tostring(threads), reps))

local configs = {
  {"mean 5, 3D, mirror", {"mean", support = 5}},
  {"mean 5, 2D, mirror", {"mean", support = 5, dims = 2}},
  {"LoG sigma 1.5 mm, truncate 4, 3D, mirror", {"log", sigma = 1.5, truncate = 4}},
  {"LoG sigma 1.5 mm, truncate 4, 2D, mirror", {"log", sigma = 1.5, truncate = 4, dims = 2}},
  {"Laws L5E5E5, energy 7, rot.-inv. max, 3D", {"laws", kernel = "L5E5E5", energy = 7, rotation_invariant = true}},
  {"Laws L5E5, energy 7, rot.-inv. max, 2D", {"laws", kernel = "L5E5", energy = 7, rotation_invariant = true, dims = 2}},
  {"Gabor s5 g1.5 l2, 22.5 deg, modulus, 3D", {"gabor", sigma = 5, gamma = 1.5, lambda = 2, theta = 0,
    theta_step = 22.5, response = "modulus", pooling = "mean", dims = 3}},
  {"Gabor s5 g1.5 l2, 22.5 deg, modulus, 2D", {"gabor", sigma = 5, gamma = 1.5, lambda = 2, theta = 0,
    theta_step = 22.5, response = "modulus", pooling = "mean", dims = 2}},
  {"db3 LLH level 1, rot.-inv., 3D", {"wavelet", family = "db3", band = "LLH", level = 1, rotation_invariant = true}},
  {"db3 HHH level 2, rot.-inv., 3D", {"wavelet", family = "db3", band = "HHH", level = 2, rotation_invariant = true}},
  {"db3 LH level 1, rot.-inv., 2D", {"wavelet", family = "db3", band = "LH", level = 1, rotation_invariant = true,
    dims = 2}},
  {"Simoncelli level 1, 3D", {"simoncelli", level = 1, dims = 3}},
  {"Simoncelli level 2, 3D", {"simoncelli", level = 2, dims = 3}},
  {"Simoncelli level 1, 2D", {"simoncelli", level = 1, dims = 2}},
  {"LoG sigma 1.5 mm + Riesz (1,0,0), 3D", {"log", sigma = 1.5, truncate = 4, riesz = {1, 0, 0}}},
  {"LoG sigma 1.5 mm + Riesz (1,0), 2D", {"log", sigma = 1.5, truncate = 4, riesz = {1, 0}, dims = 2}},
  {"Simoncelli level 1 + Riesz (0,2,0), 3D", {"simoncelli", level = 1, riesz = {0, 2, 0}}},
}
for _, c in ipairs(configs) do
  c[2].threads = threads
  local bw, bc = math.huge, math.huge
  for _ = 1, reps do
    local a, t0 = wall(), os.clock()
    local r = rad.filter(iso, c[2])
    local b, t1 = wall(), os.clock()
    r:close()
    if b - a < bw then bw, bc = b - a, t1 - t0 end
  end
  print(string.format("%-44s %8.1f ms wall (CPU %.1f ms)", c[1], bw * 1000, bc * 1000))
end

-- the 18 phase-2 configurations through extraction (resampling, filter,
-- re-segmentation, statistics), best of REPEATS each
local mask = rad.read_mask(data .. "/ibsi1/ct_phantom/mask.nii.gz")
print(string.format("\nIBSI 2 phase 2 through rad.extract (tests/reference/ibsi2/config_*.lua), best of %d", reps))
local total, total_cpu = 0, 0
for k = 1, 9 do
  for _, ab in ipairs{"a", "b"} do
    local id = k .. ab
    local s = dofile(top .. "/tests/reference/ibsi2/config_" .. id .. ".lua")
    local bw, bc = math.huge, math.huge
    for _ = 1, reps do
      local a, c0 = wall(), os.clock()
      local fs = rad.extract(ct, mask, s)
      local b, c1 = wall(), os.clock()
      fs = nil
      if b - a < bw then bw, bc = b - a, c1 - c0 end
    end
    total, total_cpu = total + bw, total_cpu + bc
    local f = s.filters and s.filters[1]
    print(string.format("config %-4s %-32s %8.1f ms wall (CPU %.1f ms)", id,
      f and string.format("%s %dD", f[1], f.dims or 3) or "none", bw * 1000, bc * 1000))
  end
end
print(string.format("%-44s %8.1f ms wall (CPU %.1f ms)", "total (18 configurations)", total * 1000, total_cpu * 1000))
