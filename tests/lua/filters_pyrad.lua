-- radlab: PyRadiomics' image types as filters (src/image/filters/pyrad.c):
-- square, squareroot, logarithm, exponential by PyRadiomics' formulas
-- (radiomics/imageoperations.py), gradient magnitude as ITK's filter
-- defines it, and 2D local binary patterns checked against scikit-image.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local nx, ny, nz = 9, 7, 2
local img = rad.image.new{size = {nx, ny, nz}, spacing = {0.5, 0.8, 2.0}}
local function val(i, j, k) return ((i * 37 + j * 91 + k * 13) % 101) - 50 + 0.25 * ((i * j) % 3) end
local m = 0
for k = 0, nz - 1 do
  for j = 0, ny - 1 do
    for i = 0, nx - 1 do
      local v = val(i, j, k)
      img:set(i + 1, j + 1, k + 1, v)
      m = math.max(m, math.abs(v))
    end
  end
end

-- the pointwise image types: f(x) with m = max |x| (PyRadiomics 3)
local function sign(x) return x > 0 and 1 or x < 0 and -1 or 0 end
local glog = 0
for k = 0, nz - 1 do for j = 0, ny - 1 do for i = 0, nx - 1 do
  glog = math.max(glog, math.log(math.abs(val(i, j, k)) + 1))
end end end
local defs = {
  square = function(x) return (x / math.sqrt(m)) ^ 2 end,
  squareroot = function(x) return sign(x) * math.sqrt(math.abs(x) * m) end,
  logarithm = function(x) return sign(x) * math.log(math.abs(x) + 1) * m / glog end,
  exponential = function(x) return math.exp(x * math.log(m) / m) end,
}
for name, f in pairs(defs) do
  local r = rad.filter(img, {name})
  local worst = 0
  for k = 0, nz - 1 do for j = 0, ny - 1 do for i = 0, nx - 1 do
    local want = f(val(i, j, k))
    worst = math.max(worst, math.abs(r:get(i + 1, j + 1, k + 1) - want) / math.max(1, math.abs(want)))
  end end end
  T.ok(worst < 1e-6, string.format("%s: every voxel as PyRadiomics' formula (worst relative difference %.2g)", name, worst))
end
T.is(rad.filter(img, {"square"}):stats().max, m, "square keeps the range: max (m / sqrt m)^2 = m")

-- gradient magnitude: central differences / (2 spacing), the edge voxel repeated
local function at(i, j, k)
  i = math.max(0, math.min(nx - 1, i)); j = math.max(0, math.min(ny - 1, j)); k = math.max(0, math.min(nz - 1, k))
  return val(i, j, k)
end
local sp = {0.5, 0.8, 2.0}
for _, c in ipairs{{dims = 3, spacing = true}, {dims = 2, spacing = true}, {dims = 3, spacing = false}} do
  local r = rad.filter(img, {"gradient", dims = c.dims, use_spacing = c.spacing})
  local worst = 0
  for k = 0, nz - 1 do for j = 0, ny - 1 do for i = 0, nx - 1 do
    local h = c.spacing and sp or {1, 1, 1}
    local gx = (at(i + 1, j, k) - at(i - 1, j, k)) / (2 * h[1])
    local gy = (at(i, j + 1, k) - at(i, j - 1, k)) / (2 * h[2])
    local gz = c.dims == 3 and (at(i, j, k + 1) - at(i, j, k - 1)) / (2 * h[3]) or 0
    worst = math.max(worst, math.abs(r:get(i + 1, j + 1, k + 1) - math.sqrt(gx * gx + gy * gy + gz * gz)))
  end end end
  T.ok(worst < 1e-4, string.format("gradient dims %d use_spacing %s: central differences (worst %.2g)", c.dims,
    tostring(c.spacing), worst))
end

-- LBP 2D: scikit-image 0.19.3 skimage.feature.local_binary_pattern(slice, P, R, method) on the
-- same slices (rows y, columns x), voxels (x, y) = (0,0) (4,3) (8,6) (2,5) (7,1) of slice 0, then slice 1
local skimage = {
  {8, 1, "default", {255, 191, 255, 191, 135, 191, 191, 199, 167, 133}},
  {8, 1, "uniform", {8, 7, 8, 7, 4, 7, 7, 5, 9, 9}},
  {8, 1, "ror", {255, 127, 255, 127, 15, 127, 127, 31, 61, 11}},
  {12, 2.5, "default", {4095, 4093, 4095, 4093, 3583, 4095, 3580, 4079, 2044, 1248}},
  {12, 2.5, "uniform", {12, 11, 12, 11, 11, 12, 13, 11, 9, 13}},
  {12, 2.5, "ror", {4095, 2047, 4095, 2047, 2047, 4095, 895, 2047, 511, 39}},
}
for _, c in ipairs(skimage) do
  local r = rad.filter(img, {"lbp2d", points = c[1], radius = c[2], method = c[3]})
  local got, n = {}, 0
  for k = 0, nz - 1 do
    for _, ij in ipairs{{0, 0}, {4, 3}, {8, 6}, {2, 5}, {7, 1}} do
      n = n + 1
      got[n] = string.format("%g", r:get(ij[1] + 1, ij[2] + 1, k + 1))
    end
  end
  T.is(table.concat(got, " "), table.concat(c[4], " "),
    string.format("lbp2d P %d R %g %s: as scikit-image", c[1], c[2], c[3]))
end
T.is(rad.filter(img, {"lbp2d"}):get(5, 4, 1), 7.0, "lbp2d defaults: P 8, R 1, uniform")

-- inside extraction: tag prefixes, statistics of the response in the ROI
local mask = rad.mask.new(img)
for k = 1, nz do for j = 2, ny - 1 do for i = 2, nx - 1 do mask:set(i, j, k, 1) end end end
local fs = rad.extract(img, mask, {families = {}, filters = {{"square"}, {"lbp2d"}, {"gradient", use_spacing = false}},
  filter_families = {"stat"}})
for _, c in ipairs{{"square_3D", {"square"}}, {"lbp2d_P8_R1_uniform_2D", {"lbp2d"}},
                   {"gradient_vox_3D", {"gradient", use_spacing = false}}} do
  local r, sum, n = rad.filter(img, c[2]), 0, 0
  for k = 1, nz do for j = 2, ny - 1 do for i = 2, nx - 1 do sum, n = sum + r:get(i, j, k), n + 1 end end end
  local got = fs[c[1] .. "_stat_mean"]
  T.ok(got and math.abs(got - sum / n) < 1e-9 * math.max(1, math.abs(sum / n)),
    string.format("%s_stat_mean = the mean of the response over the %d ROI voxels (%s)", c[1], n, tostring(got)))
end
T.is(rad.settings.check{filters = {{"lbp2d", radius = 2}}}.filters[1].method, "uniform", "the settings echo fills lbp2d's defaults")
T.done()
