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

-- PyRadiomics' wavelet: its _swt3 procedure run with PyWavelets 1.1.1 (pywt.swtn, level 1 per level) on
-- a 9 x 6 x 5 image (odd x and z: padded by one wrapped voxel, then cropped); voxels (x, y, z) =
-- (0,0,0) (4,3,2) (8,5,4) (1,2,3)
local pimg = rad.image.new{size = {9, 6, 5}, spacing = {1, 1, 1}}
for k = 0, 4 do for j = 0, 5 do for i = 0, 8 do pimg:set(i + 1, j + 1, k + 1, val(i, j, k)) end end end
local pywt = {
  {"coif1", "LLH", 1, {28.1786518, -3.035973015, 12.37719027, -13.11592787}},
  {"coif1", "HLL", 1, {-3.042241212, -84.23577859, 32.6589027, -34.1540201}},
  {"coif1", "HHH", 1, {-25.34097837, 7.660254138, 29.63875646, -21.60092577}},
  {"coif1", "LLL", 1, {-74.01022052, 1.403542976, 19.61592504, 13.38990518}},
  {"db2", "LHL", 2, {-3.545702065, 11.58765798, -0.3318767652, 6.590510501}},
  {"db2", "LLL", 2, {-117.6481348, -13.16860852, 44.42086406, -71.73560809}},
  {"haar", "LH", 1, {-40.625, 9.625, 0.625, 10.375}},
  {"haar", "HH", 1, {-50.375, 0.125, 50.625, 0.125}},
  -- start_level (the 5th entry): _swt3 first replaces the image by start_level approximations; the same
  -- procedure with PyWavelets 1.1.1, printed with %.10g
  {"coif1", "LLH", 1, {45.78743434, -2.615081298, 31.93390202, -4.973351631}, 1},
  {"coif1", "LLL", 1, {-123.1866229, 8.395462877, 13.05732161, 8.506387303}, 1},
  {"db2", "HLH", 2, {-2.488614356, 13.82172852, -34.50636715, -7.348909899}, 1},
  {"haar", "HHL", 1, {-13.56761136, 0.08838834765, -26.87005769, -26.95844603}, 2},
}
for _, c in ipairs(pywt) do
  local r = rad.filter(pimg, {"pywavelet", family = c[1], band = c[2], level = c[3], dims = #c[2],
    start_level = c[5]})
  local worst = 0
  for q, p in ipairs{{0, 0, 0}, {4, 3, 2}, {8, 5, 4}, {1, 2, 3}} do
    worst = math.max(worst, math.abs(r:get(p[1] + 1, p[2] + 1, p[3] + 1) - c[4][q]) / math.max(1, math.abs(c[4][q])))
  end
  T.ok(worst < 1e-6, string.format("pywavelet %s %s level %d start_level %d: as PyRadiomics with PyWavelets (worst "
    .. "relative %.2g)", c[1], c[2], c[3], c[5] or 0, worst))
end

-- PyRadiomics' LoG: ITK 5.2.1 (Debian libinsighttoolkit5-dev 5.2.1-5+deb12u1)
-- itk::LaplacianRecursiveGaussianImageFilter<itk::Image<float, 3>, itk::Image<float, 3>> with
-- SetNormalizeAcrossScale(true), SetSigma(sigma), on an 11 x 9 x 7 image of spacing 0.7 x 0.9 x 2 mm holding
-- val(i, j, k) plus 100 at (5, 4, 3); 2D: the same filter on Image<float, 2> slices z = 3 and z = 0 (spacing
-- 0.7 x 0.9), sigma 1.5.  Voxels (x, y, z) as listed, printed with %.9g.
local limg = rad.image.new{size = {11, 9, 7}, spacing = {0.7, 0.9, 2.0}}
for k = 0, 6 do for j = 0, 8 do for i = 0, 10 do
  limg:set(i + 1, j + 1, k + 1, val(i, j, k) + ((i == 5 and j == 4 and k == 3) and 100 or 0))
end end end
local lpts = {{0, 0, 0}, {5, 4, 3}, {10, 8, 6}, {1, 7, 2}, {10, 0, 6}, {3, 4, 0}, {5, 4, 2}, {7, 2, 5}}
local itk = {
  {1.0, {10.7510023, -23.2808895, 1.23900461, -1.60277033, 3.06133628, -0.300893068, 1.3146565, 8.10130692}},
  {2.5, {4.35333252, -2.94954681, -6.63325787, -4.67702293, 5.1415472, -3.78722334, -2.04345083, -0.213568568}},
}
for _, c in ipairs(itk) do
  local r = rad.filter(limg, {"pylog", sigma = c[1]})
  local worst = 0
  for q, p in ipairs(lpts) do
    worst = math.max(worst, math.abs(r:get(p[1] + 1, p[2] + 1, p[3] + 1) - c[2][q]) / math.abs(c[2][q]))
  end
  T.ok(worst < 1e-5, string.format("pylog sigma %g 3D: 8 voxels (corners, edges, the impulse) as ITK (worst relative %.2g)",
    c[1], worst))
end
local lpts2 = {{0, 0}, {5, 4}, {10, 8}, {1, 7}, {10, 0}, {3, 4}}
local itk2 = {
  {3, {2.20328641, -8.67954445, -0.578706086, 4.02915335, 3.80027056, -4.80115318}},
  {0, {5.74066114, -1.85387969, -12.8734951, -0.447770536, -4.19133139, -1.98992598}},
}
local r2 = rad.filter(limg, {"pylog", sigma = 1.5, dims = 2})
for _, c in ipairs(itk2) do
  local worst = 0
  for q, p in ipairs(lpts2) do
    worst = math.max(worst, math.abs(r2:get(p[1] + 1, p[2] + 1, c[1] + 1) - c[2][q]) / math.abs(c[2][q]))
  end
  T.ok(worst < 1e-5, string.format("pylog sigma 1.5 dims 2, slice z = %d: 6 voxels as ITK on the 2D slice (worst relative %.2g)",
    c[1], worst))
end

-- PyRadiomics' 3D LBP: its own getLBP3DImage (radiomics/imageoperations.py at PyRadiomics commit
-- 8ed579383b44806651c463d5e691f3b2b57522ab), run by Debian's python3 with numpy 1.24.2, scipy 1.10.1, trimesh
-- from its repository (commit a513c0e2cfa6dfbd3121a6dfd8ceb002b9ef55d8) and a stand-in SimpleITK module over
-- numpy arrays, with a mask of ones, on a 7 x 6 x 5 float32 image of val(i, j, k).  Voxels (x, y, z) as listed
-- (%.9g), then the sum over all 210 voxels.
local bimg = rad.image.new{size = {7, 6, 5}, spacing = {1, 1, 1}}
for k = 0, 4 do for j = 0, 5 do for i = 0, 6 do bimg:set(i + 1, j + 1, k + 1, val(i, j, k)) end end end
local bpts = {{0, 0, 0}, {3, 2, 2}, {6, 5, 4}, {1, 4, 3}, {5, 1, 1}, {2, 3, 0}}
local pyrad3d = {
  -- lbp3DLevels, lbp3DIcosphereRadius, lbp3DIcosphereSubdivision: 2, 1, 1 (the defaults)
  {"m1", 2, 1, 1, {21.6602803, 18.0502335, 21.1445593, 15.4716288, 4.12576767, 16.5030707}, 2322.8072},
  {"m2", 2, 1, 1, {18.4018062, 15.5164054, 18.5690807, 13.0556227, 5.49044469, 14.8417425}, 2103.28169},
  {"k", 2, 1, 1, {5.54317474, -0.584767103, 4.41974831, -0.87150836, -0.678221464, 0.20081234}, 172.166047},
  -- 3, 1.5, 2
  {"m1", 3, 1.5, 2, {163.069793, 156.992658, 163.069793, 145.851243, 2.02571171, 129.64555}, 17718.9003},
  {"m2", 3, 1.5, 2, {140.183167, 133.027206, 140.295561, 127.472962, 3.79900062, 119.527919}, 15848.2213},
  {"m3", 3, 1.5, 2, {125.024305, 120.360421, 125.024305, 106.65965, 4.56097893, 107.535011}, 14540.4488},
  {"k", 3, 1.5, 2, {12.3780966, -0.739621878, 8.76382446, 1.56933403, 1.2981286, 1.17795944}, 518.073705},
}
for _, c in ipairs(pyrad3d) do
  local r = rad.filter(bimg, {"lbp3d", output = c[1], levels = c[2], radius = c[3], subdivision = c[4]})
  local worst, sum = 0, 0
  for q, p in ipairs(bpts) do
    worst = math.max(worst, math.abs(r:get(p[1] + 1, p[2] + 1, p[3] + 1) - c[5][q]) / math.abs(c[5][q]))
  end
  for k = 1, 5 do for j = 1, 6 do for i = 1, 7 do sum = sum + r:get(i, j, k) end end end
  -- scipy computes the kurtosis in float32: 1e-6 relative; the m images to float precision
  T.ok(worst < (c[1] == "k" and 2e-6 or 2e-7) and math.abs(sum - c[6]) < 1e-6 * math.abs(c[6]),
    string.format("lbp3d %s levels %d radius %g subdivision %d: 6 voxels and the sum of all as PyRadiomics "
      .. "(worst relative %.2g, sum %.9g)", c[1], c[2], c[3], c[4], worst, sum))
end
T.ok(math.abs(rad.filter(bimg, {"lbp3d"}):get(4, 3, 3) - 18.0502335) < 1e-5,
  "lbp3d defaults (levels 2, radius 1, subdivision 1, output m1): PyRadiomics' lbp-3D-m1 at (3, 2, 2)")

-- results do not depend on the thread count
for _, f in ipairs{{"pylog", sigma = 2.5}, {"lbp3d", output = "k"}, {"lbp3d", output = "m2"}} do
  f.threads = 1
  local r1 = rad.filter(limg, f)
  f.threads = 3
  local r3 = rad.filter(limg, f)
  local same = true
  for k = 1, 7 do for j = 1, 9 do for i = 1, 11 do
    local x, y = r1:get(i, j, k), r3:get(i, j, k)
    same = same and (x == y or (x ~= x and y ~= y))
  end end end
  T.ok(same, string.format("%s %s: the same voxels on 1 and 3 threads", f[1], f.output or f.sigma))
end

-- inside extraction: tag prefixes, statistics of the response in the ROI
local mask = rad.mask.new(img)
for k = 1, nz do for j = 2, ny - 1 do for i = 2, nx - 1 do mask:set(i, j, k, 1) end end end
local fs = rad.extract(img, mask, {families = {}, filters = {{"square"}, {"lbp2d"}, {"gradient", use_spacing = false},
  {"pylog", sigma = 1, dims = 2}, {"lbp3d", output = "k"}},
  filter_families = {"stat"}})
for _, c in ipairs{{"square_3D", {"square"}}, {"lbp2d_P8_R1_uniform_2D", {"lbp2d"}},
                   {"gradient_vox_3D", {"gradient", use_spacing = false}}, {"pylog_s1mm_2D", {"pylog", sigma = 1, dims = 2}},
                   {"lbp3d_R1_S1_k_3D", {"lbp3d", output = "k"}}} do
  local r, sum, n = rad.filter(img, c[2]), 0, 0
  for k = 1, nz do for j = 2, ny - 1 do for i = 2, nx - 1 do sum, n = sum + r:get(i, j, k), n + 1 end end end
  local got = fs[c[1] .. "_stat_mean"]
  T.ok(got and math.abs(got - sum / n) < 1e-9 * math.max(1, math.abs(sum / n)),
    string.format("%s_stat_mean = the mean of the response over the %d ROI voxels (%s)", c[1], n, tostring(got)))
end
T.is(rad.settings.check{filters = {{"lbp2d", radius = 2}}}.filters[1].method, "uniform", "the settings echo fills lbp2d's defaults")
local echo = rad.settings.check{filters = {{"lbp3d", levels = 3, output = "m3"}}}.filters[1]
T.is(string.format("%s %d %g %d %s", echo[1], echo.levels, echo.radius, echo.subdivision, echo.output), "lbp3d 3 1 1 m3",
  "the settings echo of lbp3d: levels, radius, subdivision, output")
T.done()
