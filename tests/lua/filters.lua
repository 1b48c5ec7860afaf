-- radlab: rad.filter on images whose responses are known by hand (no data
-- files needed; the IBSI 2 consensus maps are tests/reference/ibsi2_maps.lua).
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local function impulse(n, v, spacing)
  local img = rad.image.new{size = {n, n, n}, spacing = spacing or {1, 1, 1}}
  local c = n // 2 + 1
  img:set(c, c, c, v)
  return img, c
end

-- mean: a constant image stays constant under every boundary but zero
-- padding; with zero padding the corner sees 8^3 of the 15^3 window
local const = rad.image.new{size = {20, 20, 20}, value = 3}
for _, b in ipairs{"nearest", "periodic", "mirror"} do
  local s = rad.filter(const, {"mean", support = 15, boundary = b}):stats()
  T.ok(math.abs(s.min - 3) < 1e-5 and math.abs(s.max - 3) < 1e-5,
    string.format("mean 15, %s: a constant image stays 3 (got %.7g..%.7g)", b, s.min, s.max))
end
T.near(rad.filter(const, {"mean", support = 15, boundary = "constant"}):get(1, 1, 1), 3 * 8 ^ 3 / 15 ^ 3, 1e-5,
  "mean 15, constant boundary: the corner averages 8^3 image voxels of 15^3")
-- 2D: each slice on its own, so a slice of zeros next to an impulse stays zero
local imp, c = impulse(11, 9)
local m2 = rad.filter(imp, {"mean", support = 3, dims = 2, boundary = "constant"})
T.near(m2:get(c + 1, c - 1, c), 1, 1e-6, "mean 3x3 slice-wise: 9/9 beside the impulse in its slice")
T.is(m2:get(c, c, c + 1), 0, "mean slice-wise: the next slice stays 0")
T.near(rad.filter(imp, {"mean", support = 3, boundary = "constant"}):get(c, c, c + 1), 9 / 27, 1e-6,
  "mean 3x3x3: 9/27 in the next slice")

-- LoG at the centre of an impulse: the sampled kernel's centre is the
-- continuous one, -3/s^2 (1/(s sqrt(2 pi)))^3 (s in voxels: 3 mm at 1.5 mm = 2)
local li, lc = impulse(31, 1, {1.5, 1.5, 1.5})
local s = 2
local want = -3 / s ^ 2 * (1 / (s * math.sqrt(2 * math.pi))) ^ 3
T.near(rad.filter(li, {"log", sigma = 3, truncate = 4, boundary = "constant"}):get(lc, lc, lc), want, 1e-6 * math.abs(want) + 1e-9,
  string.format("LoG at an impulse: the kernel's centre %.6g", want))
want = -2 / s ^ 2 * (1 / (s * math.sqrt(2 * math.pi))) ^ 2
T.near(rad.filter(li, {"log", sigma = 3, dims = 2, boundary = "constant"}):get(lc, lc, lc), want, 1e-6 * math.abs(want),
  string.format("LoG 2D at an impulse: the 2D kernel's centre %.6g", want))
T.is(rad.filter(li, {"log", sigma = 3, dims = 2, boundary = "constant"}):get(lc, lc, lc + 1), 0,
  "LoG 2D: slices are independent")

-- Laws: the image is convolved, so the response to an impulse is the kernel
-- itself, E5 (-1 -2 0 2 1)/sqrt(10) increasing along +x
local wi, wc = impulse(9, 1)
local r = rad.filter(wi, {"laws", kernel = "E5L5L5", boundary = "constant"})
local L0, E1 = 6 / math.sqrt(70), 2 / math.sqrt(10)
T.near(r:get(wc + 1, wc, wc), E1 * L0 * L0, 1e-6, "Laws E5L5L5 at an impulse, one voxel along +x: E5[+1] L5[0]^2")
T.near(r:get(wc - 1, wc, wc), -E1 * L0 * L0, 1e-6, "... and along -x the negative")
local ry = rad.filter(wi, {"laws", kernel = "L5E5L5", boundary = "constant"})
T.near(ry:get(wc, wc + 1, wc), E1 * L0 * L0, 1e-6, "Laws L5E5L5: the second kernel runs along y")
-- rotation invariance (max over the 24 rotations): E5 along any axis, either sign
local ri = rad.filter(wi, {"laws", kernel = "E5L5L5", rotation_invariant = true, boundary = "constant"})
for _, p in ipairs{{wc - 1, wc, wc}, {wc, wc + 1, wc}, {wc, wc, wc - 1}} do
  T.near(ri:get(p[1], p[2], p[3]), E1 * L0 * L0, 1e-6, string.format("rotation-invariant E5L5L5 at (%d,%d,%d)", p[1], p[2], p[3]))
end
local mean = rad.filter(wi, {"laws", kernel = "E5L5L5", rotation_invariant = true, pooling = "mean", boundary = "constant"})
T.near(mean:get(wc + 1, wc, wc), 0, 1e-7, "mean pooling of an antisymmetric kernel cancels")
-- energy: mean |response| over (2 delta + 1)^3; at the impulse the window
-- holds the whole |kernel| (sum |E5| |L5| |L5| = (6/sqrt(10)) (16/sqrt(70))^2)
local en = rad.filter(wi, {"laws", kernel = "E5L5L5", energy = 2, boundary = "constant"})
T.near(en:get(wc, wc, wc), 6 / math.sqrt(10) * (16 / math.sqrt(70)) ^ 2 / 125, 1e-6, "Laws energy delta 2 at the impulse")

-- the thread count does not change a voxel
local big = rad.image.new{size = {23, 19, 17}}
for k = 1, 17 do for j = 1, 19 do for i = 1, 23 do big:set(i, j, k, (i * 7 + j * 13 + k * 29) % 31) end end end
for _, spec in ipairs{{"mean", support = 5}, {"log", sigma = 1.5}, {"laws", kernel = "L5E5E5", energy = 3, rotation_invariant = true}} do
  spec.threads = 1
  local a = rad.filter(big, spec)
  spec.threads = 2
  local b = rad.filter(big, spec)
  local same = true
  for k = 1, 17 do for j = 1, 19 do for i = 1, 23 do
    if a:get(i, j, k) ~= b:get(i, j, k) then same = false end
  end end end
  T.ok(same, spec[1] .. ": the same voxels on 1 and 2 threads")
end
-- a single-slice image is filtered in 2D by default
local flat = rad.image.new{size = {8, 8}, value = 2}
T.near(rad.filter(flat, {"mean", support = 3}):get(4, 4), 2, 1e-6, "a 2D image: mean filter in-plane by default")
T.done()
