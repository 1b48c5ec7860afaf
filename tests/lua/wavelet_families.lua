-- radlab: every orthogonal wavelet family through rad.filter (haar, db1-db20,
-- sym2-sym20, coif1-coif17, PyWavelets' names).  The expected values follow
-- from the normalisation alone: the low-pass filter sums to sqrt 2, the
-- high-pass one to 0, and the transform is orthogonal (decimated) or a
-- tight frame (undecimated), so with a periodic boundary the sub-band
-- energies add up to the image's (decimated) or 2^dims times it
-- (undecimated: |L(w)|^2 + |H(w)|^2 = 2 along each axis).  Since the
-- decimated transform is orthogonal, its transpose reconstructs the image
-- exactly; the energy identity is that perfect reconstruction as far as
-- rad.filter (analysis only) can show it.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local names = {"haar"}
for n = 1, 20 do names[#names + 1] = "db" .. n end
for n = 2, 20 do names[#names + 1] = "sym" .. n end
for n = 1, 17 do names[#names + 1] = "coif" .. n end
T.is(#names, 57, "57 family members")

local bands3 = {"LLL", "LLH", "LHL", "LHH", "HLL", "HLH", "HHL", "HHH"}

-- a constant 3: LLL multiplies it by sqrt(2) per axis and level, any sub-band
-- with an H removes it (whatever the boundary that keeps a constant)
local const = rad.image.new{size = {16, 12, 8}, value = 3}
local function range(img)
  local s = img:stats()
  return s.min, s.max
end
for _, f in ipairs(names) do
  local lo, hi = range(rad.filter(const, {"wavelet", family = f, band = "LLL", level = 1}))
  local want = 3 * 2 ^ 1.5
  T.ok(math.abs(lo - want) < 1e-5 * want and math.abs(hi - want) < 1e-5 * want,
    string.format("%s undecimated LLL level 1 of a constant 3: 3 sqrt(2)^3 = %.7g (got %.7g..%.7g)", f, want, lo, hi))
  lo, hi = range(rad.filter(const, {"wavelet", family = f, band = "LLL", level = 2, decimated = true}))
  T.ok(math.abs(lo - 24) < 1e-5 * 24 and math.abs(hi - 24) < 1e-5 * 24,
    string.format("%s decimated LLL level 2 of a constant 3: 3 sqrt(2)^6 = 24 (got %.7g..%.7g)", f, lo, hi))
  lo, hi = range(rad.filter(const, {"wavelet", family = f, band = "LHL", level = 1}))
  T.ok(math.abs(lo) < 1e-5 and math.abs(hi) < 1e-5,
    string.format("%s undecimated LHL of a constant: 0 (got %.3g..%.3g)", f, lo, hi))
end

-- a fixed pseudo-random image (even sides: the decimated periodic transform
-- is orthogonal on an even grid, however long the filter)
local nx, ny, nz = 12, 10, 8
local img = rad.image.new{size = {nx, ny, nz}}
local seed = 12345
for z = 1, nz do
  for y = 1, ny do
    for x = 1, nx do
      seed = (seed * 1103515245 + 12345) % 2147483648
      img:set(x, y, z, (seed >> 8) % 1000 / 10 - 50)
    end
  end
end
local function energy(im)
  local sx, sy, sz = im:size()
  local e = 0
  for z = 1, sz do
    for y = 1, sy do
      for x = 1, sx do
        e = e + im:get(x, y, z) ^ 2
      end
    end
  end
  return e
end
local e0 = energy(img)
for _, f in ipairs(names) do
  local su, sd = 0, 0
  for _, b in ipairs(bands3) do
    su = su + energy(rad.filter(img, {"wavelet", family = f, band = b, boundary = "periodic"}))
    sd = sd + energy(rad.filter(img, {"wavelet", family = f, band = b, boundary = "periodic", decimated = true}))
  end
  T.ok(math.abs(sd / e0 - 1) < 1e-5,
    string.format("%s decimated level 1, periodic: the 8 sub-bands keep the energy (ratio %.8f)", f, sd / e0))
  T.ok(math.abs(su / (8 * e0) - 1) < 1e-5,
    string.format("%s undecimated level 1, periodic: the 8 sub-bands hold 8 x the energy (ratio %.8f)", f,
      su / (8 * e0)))
end

-- names are PyWavelets', any case; the same filter either way
local a = rad.filter(img, {"wavelet", family = "sym8", band = "LLH", level = 1})
local b = rad.filter(img, {"wavelet", family = "SYM8", band = "LLH", level = 1})
local same = true
for x = 1, nx do
  same = same and a:get(x, 3, 4) == b:get(x, 3, 4)
end
T.ok(same, "SYM8 is sym8")
local sx, sy, sz = a:size()
T.ok(sx == nx and sy == ny and sz == nz, "the undecimated sym8 response keeps the grid")
-- sym8 is not db8 (a different choice of zeros, the same |H|)
local d = rad.filter(img, {"wavelet", family = "db8", band = "LLH", level = 1})
local differ = false
for x = 1, nx do
  differ = differ or math.abs(a:get(x, 3, 4) - d:get(x, 3, 4)) > 1e-3
end
T.ok(differ, "sym8 and db8 give different responses")

T.done()
