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

-- Riesz transform (IBSI 2; multiplier sqrt(|l|!/prod l_i!) (-j)^|l| prod w_i^l_i / |w|^|l|).
-- On the Simoncelli response (periodic, no DC) two consequences of the
-- definition hold exactly, with the expected values made by other code:
-- (1) first order along x turns a sine along x into minus the cosine, i.e.
--     the Simoncelli response shifted by a quarter period towards +x, and
--     the orders along y and z see nothing of it;
-- (2) the three second-order components (2,0,0) + (0,2,0) + (0,0,2) sum to
--     minus the identity (w_x^2 + w_y^2 + w_z^2 = |w|^2, times (-j)^2).
local n, per = 32, 4 -- period 4 voxels: pi/2 per voxel, the middle of level 1's band
local wave = rad.image.new{size = {n, n, 4}}
for k = 1, 4 do for j = 1, n do for i = 1, n do
  wave:set(i, j, k, 100 * math.sin(2 * math.pi * (i - 1) / per))
end end end
local base = rad.filter(wave, {"simoncelli", level = 1, dims = 2})
local rx = rad.filter(wave, {"simoncelli", level = 1, dims = 2, riesz = {1, 0}})
local ry = rad.filter(wave, {"simoncelli", level = 1, dims = 2, riesz = {0, 1}})
local worst_x, worst_y, amp = 0, 0, 0
for k = 1, 4 do for j = 1, n do for i = 1, n do
  -- -cos(w x) = sin(w (x - per/4)): the base response a quarter period back
  local want = base:get((i - 1 - per // 4) % n + 1, j, k)
  worst_x = math.max(worst_x, math.abs(rx:get(i, j, k) - want))
  worst_y = math.max(worst_y, math.abs(ry:get(i, j, k)))
  amp = math.max(amp, math.abs(want))
end end end
T.ok(amp > 10 and worst_x < 1e-4 * amp, string.format(
  "Riesz (1,0) of a sine along x is minus its cosine: worst |diff| %.3g against amplitude %.4g", worst_x, amp))
T.ok(worst_y < 1e-4 * amp, string.format("Riesz (0,1) of a sine along x is 0 (worst %.3g)", worst_y))

local bumpy = rad.image.new{size = {16, 12, 10}}
for k = 1, 10 do for j = 1, 12 do for i = 1, 16 do
  bumpy:set(i, j, k, (i * 7 + j * 13 + k * 29) % 31 + ((i - 8) ^ 2 + (j - 6) ^ 2 < 9 and 50 or 0))
end end end
local s0 = rad.filter(bumpy, {"simoncelli", level = 1})
local r2 = {}
for a = 1, 3 do
  local o = {0, 0, 0}
  o[a] = 2
  r2[a] = rad.filter(bumpy, {"simoncelli", level = 1, riesz = o})
end
local worst2, amp2, part = 0, 0, 0
for k = 1, 10 do for j = 1, 12 do for i = 1, 16 do
  local sum = r2[1]:get(i, j, k) + r2[2]:get(i, j, k) + r2[3]:get(i, j, k)
  worst2 = math.max(worst2, math.abs(sum + s0:get(i, j, k)))
  amp2 = math.max(amp2, math.abs(s0:get(i, j, k)))
  part = math.max(part, math.abs(r2[1]:get(i, j, k) + s0:get(i, j, k) / 3))
end end end
T.ok(amp2 > 1 and worst2 < 1e-4 * amp2, string.format(
  "Riesz (2,0,0) + (0,2,0) + (0,0,2) = minus the identity: worst |sum + response| %.3g, response up to %.4g",
  worst2, amp2))
T.ok(part > 0.01 * amp2, "... and each component on its own is not a third of it")

-- on the LoG of an impulse (zero padding): (1,0,0) is odd along x and zero
-- on the plane x = centre; a sign flip of the image flips the response
local rl = rad.filter(li, {"log", sigma = 3, boundary = "constant", riesz = {1, 0, 0}})
T.near(rl:get(lc + 2, lc, lc), -rl:get(lc - 2, lc, lc), 1e-7, "Riesz (1,0,0) of the LoG of an impulse is odd along x")
T.ok(math.abs(rl:get(lc + 2, lc, lc)) > 1e-4, string.format("... and not zero off the centre plane (%.4g)",
  rl:get(lc + 2, lc, lc)))
T.near(rl:get(lc, lc + 3, lc + 1), 0, 1e-7, "... zero on the plane through the impulse normal to x")

-- inside extraction: the Riesz order is part of the tag, and the statistic
-- is that of the rad.filter response over the ROI (here every voxel)
local roi = rad.mask.new(bumpy)
for k = 1, 10 do for j = 1, 12 do for i = 1, 16 do roi:set(i, j, k, 1) end end end
local fs = rad.extract(bumpy, roi, {families = {}, filters = {{"log", sigma = 1.5, boundary = "constant",
  riesz = {1, 0, 0}}, {"simoncelli", dims = 2, riesz = {0, 2}}}})
for _, c in ipairs{{"log_s1.5mm_riesz100_bconstant_3D_stat_max", {"log", sigma = 1.5, boundary = "constant", riesz = {1, 0, 0}}},
                   {"simoncelli_L1_riesz02_2D_stat_max", {"simoncelli", dims = 2, riesz = {0, 2}}}} do
  T.near(fs[c[1]] or 0 / 0, rad.filter(bumpy, c[2]):stats().max, 1e-6, c[1] .. ": the response's maximum")
end

-- the thread count does not change a voxel
local big = rad.image.new{size = {23, 19, 17}}
for k = 1, 17 do for j = 1, 19 do for i = 1, 23 do big:set(i, j, k, (i * 7 + j * 13 + k * 29) % 31) end end end
for _, spec in ipairs{{"mean", support = 5}, {"log", sigma = 1.5}, {"laws", kernel = "L5E5E5", energy = 3, rotation_invariant = true},
    {"log", sigma = 1.5, riesz = {0, 1, 1}}, {"simoncelli", level = 1, dims = 2, riesz = {2, 0}}} do
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
