-- radlab: compat = "pyradiomics" on the thread pool: the feature classes
-- and the image types run as jobs, their features merged in a fixed order,
-- so threads = 1, 2 and the default give the same names in the same order
-- and bit-identical values.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

-- a textured volume and an irregular ROI (a ball with a notch)
local nx, ny, nz = 22, 20, 12
local img = rad.image.new{size = {nx, ny, nz}, spacing = {0.7, 0.8, 1.5}}
for k = 1, nz do for j = 1, ny do for i = 1, nx do
  img:set(i, j, k, 100 + ((i * 37 + j * 91 + k * 13) % 61) + 7 * ((i * j + k) % 5) + 2 * i)
end end end
local mask = rad.mask.new(img)
for k = 1, nz do for j = 1, ny do for i = 1, nx do
  local d = ((i - 11) / 9) ^ 2 + ((j - 10) / 8) ^ 2 + ((k - 6.5) / 5) ^ 2
  if d <= 1 and not (i > 14 and j > 12) then mask:set(i, j, k, 1) end
end end end

-- same names in the same order, values equal bit for bit (NaN = NaN)
local function same(a, b)
  local na, nb = a:names(), b:names()
  if #na ~= #nb then return false, string.format("%d and %d features", #na, #nb) end
  for i, n in ipairs(na) do
    if nb[i] ~= n then return false, string.format("feature %d is %s and %s", i, n, nb[i]) end
    local x, y = a[n], b[n]
    if not (x == y or (x ~= x and y ~= y)) then
      return false, string.format("%s = %.17g and %.17g", n, x, y)
    end
  end
  return true, string.format("%d features", #na)
end

local filters = {{"pylog", sigma = 1.5}, {"pywavelet", band = "HLH"}, {"square"}, {"gradient"}, {"lbp2d"},
  {"exponential"}}
local variants = {
  {"default classes with 6 image types", {binWidth = 10, voxelArrayShift = 300}, filters},
  {"binCount, force2D", {binCount = 16, force2D = true, force2Ddimension = 0}, nil},
  {"weightingNorm, distances {2}", {binWidth = 10, weightingNorm = "euclidean", distances = {2}}, nil},
  {"symmetricalGLCM off, gldm_a 2", {binWidth = 10, symmetricalGLCM = false, gldm_a = 2}, {{"square"}}},
}
for _, v in ipairs(variants) do
  local s = {compat = "pyradiomics", pyradiomics = v[2], filters = v[3]}
  local one = rad.extract(img, mask, s, {threads = 1})
  local two = rad.extract(img, mask, s, {threads = 2})
  local all = rad.extract(img, mask, s)
  local ok, why = same(one, two)
  T.ok(ok, v[1] .. ": threads 1 and 2 agree (" .. why .. ")")
  ok, why = same(one, all)
  T.ok(ok, v[1] .. ": threads 1 and the default agree (" .. why .. ")")
end
-- the count of the first variant: 110 original features (shape's 17 among
-- them) and 93 per image type
T.is(#rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = variants[1][2], filters = filters},
  {threads = 2}):names(), 110 + #filters * 93, "110 original features and 93 per image type")

-- a distance past 2 (its offsets no longer fit a fixed table): shape and
-- first order do not depend on it; with gldm_a (26, its largest) above
-- every difference of bins, a voxel's dependence is 1 + its neighbours in the ROI at Chebyshev
-- distance exactly 3, so LargeDependenceEmphasis, the mean of its square,
-- is counted here voxel by voxel
local d1 = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = {binWidth = 10}}, {threads = 2})
local d3 = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = {binWidth = 10, distances = {3}, gldm_a = 26}},
  {threads = 2})
T.is(d3["original_shape_MeshVolume"], d1["original_shape_MeshVolume"], "distances {3}: shape as with {1}")
T.is(d3["original_firstorder_Entropy"], d1["original_firstorder_Entropy"], "distances {3}: first order as with {1}")
local function inroi(i, j, k)
  return i >= 1 and j >= 1 and k >= 1 and i <= nx and j <= ny and k <= nz and mask:get(i, j, k) == 1
end
local sum, n = 0, 0
for k = 1, nz do for j = 1, ny do for i = 1, nx do
  if inroi(i, j, k) then
    local dep = 1
    for c = -3, 3 do for b = -3, 3 do for a = -3, 3 do
      if math.max(math.abs(a), math.abs(b), math.abs(c)) == 3 and inroi(i + a, j + b, k + c) then dep = dep + 1 end
    end end end
    sum, n = sum + dep * dep, n + 1
  end
end end end
T.ok(d3["original_firstorder_Range"] / 10 + 1 < 26, "the ROI spans fewer than 26 bins of width 10")
T.near(d3["original_gldm_LargeDependenceEmphasis"], sum / n, 1e-12 * sum / n,
  "distances {3}, gldm_a 26: LargeDependenceEmphasis = the mean squared count of ROI voxels at distance 3, plus one")

-- the first failure in filter order is the one reported, whatever the threads
for _, t in ipairs{1, 2} do
  T.errors(function()
    rad.extract(img, mask, {compat = "pyradiomics", filters = {{"square"}, {"log", sigma = 1}, {"mean", support = 3}}},
      {threads = t})
  end, "filters[2]: log_s1mm_3D is an IBSI filter", "the first IBSI filter is named, threads " .. t)
end
T.done()
