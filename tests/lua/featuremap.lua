-- radlab: rad.feature_map, voxel-wise feature maps, checked voxel by voxel
-- against rad.extract of exactly that voxel's neighbourhood (the mask built
-- here, independently of the engine).  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

-- A map value is the feature of the neighbourhood with the whole ROI's grey
-- levels and Ng (featuremap.h).  rad.extract of the neighbourhood as a mask
-- gives the same grey levels when they do not depend on the region's range
-- (no discretisation, or fixed bin size from a fixed minimum) and the same
-- Ng when the neighbourhood holds the top level: the checked centres are
-- set to the top intensity for that reason.

local NX, NY, NZ = 12, 11, 9
local seed = 20261206
local function rnd(n) -- a fixed linear congruential sequence, 0..n-1
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed // 65536 % n
end

-- integer intensities 1..6; the ROI: most voxels of a block that touches
-- the image border at x = 1, y = NY and z = 1
local img = rad.image.new{size = {NX, NY, NZ}, spacing = {1, 1, 1.5}, value = 0}
local mask = rad.mask.new(img)
for k = 1, NZ do for j = 1, NY do for i = 1, NX do
  img:set(i, j, k, 1 + rnd(6))
  if i <= 10 and j >= 3 and k <= 7 and rnd(5) ~= 0 then mask:set(i, j, k, 1) end
end end end
local centres = {{1, 3, 1}, {5, 6, 4}, {10, 11, 7}, {2, 11, 1}, {7, 4, 6}, {1, 11, 7}}
for _, c in ipairs(centres) do
  img:set(c[1], c[2], c[3], 6)
  mask:set(c[1], c[2], c[3], 1)
end

local FAMILIES = {"stat", "ih", "cm", "rlm", "szm", "dzm", "ngt", "ngl"}

-- the neighbourhood of centre c as a mask, from the definitions
local function neighbourhood(im, roi, c, r, shape, masked, in_plane)
  local nx, ny, nz = im:size()
  local nb = rad.mask.new(im)
  local rz = in_plane and 0 or r
  local n = 0
  for dk = -rz, rz do for dj = -r, r do for di = -r, r do
    local i, j, k = c[1] + di, c[2] + dj, c[3] + dk
    if i >= 1 and i <= nx and j >= 1 and j <= ny and k >= 1 and k <= nz
       and (shape == "cube" or di * di + dj * dj + dk * dk <= r * r)
       and (not masked or roi:get(i, j, k) ~= 0) then
      nb:set(i, j, k, 1)
      n = n + 1
    end
  end end end
  return nb, n
end

local function f32(x) return (string.unpack("f", string.pack("f", x))) end

-- Compare every map at c with the feature set: the map holds float32, so a
-- value agrees when it is the double rounded to float (exact = true: the
-- same computation), or within one float step of it (the GLCM fast path,
-- whose sums run in another order; 1e-12 absolute for values that are 0 in
-- exact arithmetic and come out as rounding residue).
local function compare(maps, fs, c, exact)
  local n, bad = 0, {}
  for tag, im in pairs(maps) do
    local got, want = im:get(c[1], c[2], c[3]), fs[tag]
    n = n + 1
    if want == nil then
      bad[#bad + 1] = tag .. ": not in rad.extract"
    elseif want == rad.NA then
      if got == got then bad[#bad + 1] = string.format("%s: %.9g, rad.extract NA", tag, got) end
    elseif not (got == f32(want) or
                (not exact and math.abs(got - want) <= 2 ^ -23 * math.abs(want) + 1e-12)) then
      bad[#bad + 1] = string.format("%s: map %.9g, rad.extract %.17g", tag, got, want)
    end
  end
  return n, bad
end

local function check(name, im, roi, settings, opts, exact)
  local o = {features = opts.features or FAMILIES, radius = opts.radius, shape = opts.shape,
             masked = opts.masked, in_plane = opts.in_plane, method = opts.method, threads = 2}
  local maps = rad.feature_map(im, roi, settings, o)
  local es = {}
  for k, v in pairs(settings) do es[k] = v end
  es.families = opts.families or FAMILIES
  for _, c in ipairs(opts.centres or centres) do
    local nb, nvox = neighbourhood(im, roi, c, opts.radius, opts.shape or "cube", opts.masked ~= false, opts.in_plane)
    local fs = rad.extract(im, nb, es, {threads = 1})
    local n, bad = compare(maps, fs, c, exact)
    T.ok(#bad == 0 and n > 0, string.format("%s, centre (%d,%d,%d), %d voxels: %d maps = rad.extract of the neighbourhood%s",
      name, c[1], c[2], c[3], nvox, n, #bad > 0 and (": " .. table.concat(bad, "; ", 1, math.min(#bad, 4))) or ""))
  end
  return maps
end

rad.quiet(true) -- small neighbourhoods leave some features undefined (NA): no warnings
local none_all = {discretise = {method = "none"}, texture = {aggregation = {"2D", "2.5D", "3D"}}}
local none_3d = {discretise = {method = "none"}, texture = {aggregation = {"2.5D", "3D"}}}

-- every family and aggregation by the family functions (method direct)
check("cube r2 masked, all aggregations, direct", img, mask, none_all, {radius = 2, method = "direct"}, true)
check("sphere r2 masked, all aggregations, direct", img, mask, none_all,
  {radius = 2, shape = "sphere", method = "direct"}, true)
check("cube r1 unmasked, all aggregations, direct", img, mask, none_all,
  {radius = 1, masked = false, method = "direct"}, true)
check("sphere r2 unmasked, 2.5D/3D, direct", img, mask, none_3d,
  {radius = 2, shape = "sphere", masked = false, method = "direct"}, true)
check("in-plane cube r2 masked, all aggregations, direct", img, mask, none_all,
  {radius = 2, in_plane = true, method = "direct"}, true)

-- the GLCM fast path (2.5D and 3D aggregations) against rad.extract too
check("cube r2 masked, GLCM fast path", img, mask, none_3d, {radius = 2, features = {"cm"}, families = {"cm"}}, false)
check("sphere r2 unmasked, GLCM fast path", img, mask, none_3d,
  {radius = 2, shape = "sphere", masked = false, features = {"cm"}, families = {"cm"}}, false)
check("in-plane sphere r3 masked, GLCM fast path, distance 2", img, mask,
  {discretise = {method = "none"}, texture = {aggregation = {"2.5D", "3D"}, distance = 2}},
  {radius = 3, shape = "sphere", in_plane = true, features = {"cm"}, families = {"cm"}}, false)

-- fixed bin size from a fixed minimum: the levels do not depend on the region
local fbs = {discretise = {method = "fbs", width = 2, min = 0}, texture = {aggregation = {"3D"}}}
check("cube r2 masked, fixed bin size", img, mask, fbs, {radius = 2}, false)

-- fixed bin number: the ROI's bins, computed here from its range, make a grey
-- level image that rad.extract reads without discretisation
do
  local im2 = rad.image.new{size = {NX, NY, NZ}, spacing = {1, 1, 1.5}, value = 0}
  local lo, hi = math.huge, -math.huge
  for k = 1, NZ do for j = 1, NY do for i = 1, NX do
    local x = (img:get(i, j, k) * 37 + rnd(50)) / 7.3
    im2:set(i, j, k, x)
  end end end
  for _, c in ipairs(centres) do im2:set(c[1], c[2], c[3], 60) end
  for k = 1, NZ do for j = 1, NY do for i = 1, NX do
    if mask:get(i, j, k) ~= 0 then
      local x = im2:get(i, j, k)
      lo, hi = math.min(lo, x), math.max(hi, x)
    end
  end end end
  local NG = 8
  local grey = rad.image.new{size = {NX, NY, NZ}, spacing = {1, 1, 1.5}, value = 0}
  for k = 1, NZ do for j = 1, NY do for i = 1, NX do
    local q = math.floor(NG * (im2:get(i, j, k) - lo) / (hi - lo) + 1e-9)
    grey:set(i, j, k, math.max(1, math.min(NG, q + 1)))
  end end end
  local tex = {"ih", "cm", "rlm", "szm", "dzm", "ngt", "ngl"}
  local maps = rad.feature_map(im2, mask, {discretise = {method = "fbn", bins = NG}, texture = {aggregation = {"2.5D", "3D"}}},
    {features = tex, radius = 2})
  for _, c in ipairs(centres) do
    local nb = neighbourhood(grey, mask, c, 2, "cube", true)
    local fs = rad.extract(grey, nb, {discretise = {method = "none"}, texture = {aggregation = {"2.5D", "3D"}}, families = tex},
      {threads = 1})
    local n, bad = compare(maps, fs, c, false)
    T.ok(#bad == 0 and n > 0, string.format("fixed bin number (the ROI's %d bins), centre (%d,%d,%d): %d maps = rad.extract "
      .. "of the neighbourhood's grey levels%s", NG, c[1], c[2], c[3], n, #bad > 0 and (": " .. table.concat(bad, "; ", 1, math.min(#bad, 4))) or ""))
  end
end

-- NaN exactly outside the ROI
do
  local maps = rad.feature_map(img, mask, none_3d, {features = {"stat_mean", "cm_contrast_3D_avg"}, radius = 1})
  local keys = {}
  for k in pairs(maps) do keys[#keys + 1] = k end
  table.sort(keys)
  T.is(table.concat(keys, ","), "cm_contrast_3D_avg,stat_mean", "tags name the maps")
  local inside, wrong = 0, 0
  for k = 1, NZ do for j = 1, NY do for i = 1, NX do
    local v = maps.stat_mean:get(i, j, k)
    if mask:get(i, j, k) ~= 0 then
      inside = inside + 1
      if v ~= v then wrong = wrong + 1 end
    elseif v == v then
      wrong = wrong + 1
    end
  end end end
  T.is(inside, mask:count(), "every ROI voxel is a centre")
  T.is(wrong, 0, "the map is NaN outside the ROI and a number inside")
  local sx, sy, sz = maps.stat_mean:spacing()
  T.is(sz, 1.5, "maps are on the image's grid")
end

-- the thread count does not change a value
do
  local o = {features = {"stat", "cm", "szm", "ngt"}, radius = 2, shape = "sphere"}
  local function run(n)
    o.threads = n
    return rad.feature_map(img, mask, none_3d, o)
  end
  local a, b, c = run(1), run(2), run(3)
  local diff, n = 0, 0
  for tag, im in pairs(a) do
    for k = 1, NZ do for j = 1, NY do for i = 1, NX do
      local x, y, z = im:get(i, j, k), b[tag]:get(i, j, k), c[tag]:get(i, j, k)
      n = n + 1
      if not ((x == y or (x ~= x and y ~= y)) and (x == z or (x ~= x and z ~= z))) then diff = diff + 1 end
    end end end
  end
  T.ok(n > 0 and diff == 0, string.format("threads 1, 2 and 3 give the same %d values (%d differ)", n, diff))
end

-- the fast GLCM path and the family function agree on every voxel (maps are
-- float32: the same float, or one float step apart)
do
  local o = {features = {"cm"}, radius = 2}
  local a = rad.feature_map(img, mask, none_3d, o)
  o.method = "direct"
  local b = rad.feature_map(img, mask, none_3d, o)
  local diff, n = 0, 0
  for tag, im in pairs(a) do
    for k = 1, NZ do for j = 1, NY do for i = 1, NX do
      local x, y = im:get(i, j, k), b[tag]:get(i, j, k)
      n = n + 1
      if not (x == y or (x ~= x and y ~= y) or math.abs(x - y) <= 2 ^ -23 * math.abs(y) + 1e-12) then diff = diff + 1 end
    end end end
  end
  T.ok(n > 0 and diff == 0, string.format("GLCM fast path = family function at all %d map voxels (%d differ)", n, diff))
end

-- the IBSI CT phantom: a handful of voxels, on a ROI cut to boxes around them
local data, why = T.data()
local ct = data and data .. "/ibsi1/ct_phantom/"
local f = ct and io.open(ct .. "image.nii.gz", "rb")
if not f then
  T.skip(5, "IBSI CT phantom not available: " .. (why or ("no " .. tostring(ct) .. "image.nii.gz")))
else
  f:close()
  local cimg = rad.read(ct .. "image.nii.gz")
  local cmask = rad.read_mask(ct .. "mask.nii.gz")
  local nx, ny, nz = cimg:size()
  -- centres: ROI voxels at fixed places of its bounding box
  local bb = cmask:bbox()
  local picks = {}
  for _, fr in ipairs{{0.5, 0.5, 0.5}, {0.3, 0.6, 0.4}, {0.6, 0.4, 0.7}, {0.45, 0.55, 0.2}, {0.55, 0.35, 0.8}} do
    local c = {}
    for a = 1, 3 do c[a] = math.floor(bb.min[a] + fr[a] * (bb.max[a] - bb.min[a]) + 0.5) end
    -- the nearest ROI voxel along x
    for d = 0, nx do
      if c[1] + d <= nx and cmask:get(c[1] + d, c[2], c[3]) ~= 0 then c[1] = c[1] + d; break end
      if c[1] - d >= 1 and cmask:get(c[1] - d, c[2], c[3]) ~= 0 then c[1] = c[1] - d; break end
    end
    picks[#picks + 1] = c
  end
  -- the ROI near the centres (a map of the whole ROI is tests/bench/featuremap.lua):
  -- with r = 2, a box of 2 r around each centre holds every window of a
  -- centre in its middle, and the checked neighbourhoods are those of the full ROI
  local sub = rad.mask.new(cimg)
  for _, c in ipairs(picks) do
    cimg:set(c[1], c[2], c[3], 400) -- the re-segmentation top: grey level Ng in both
    for k = math.max(1, c[3] - 4), math.min(nz, c[3] + 4) do
      for j = math.max(1, c[2] - 4), math.min(ny, c[2] + 4) do
        for i = math.max(1, c[1] - 4), math.min(nx, c[1] + 4) do
          if cmask:get(i, j, k) ~= 0 then sub:set(i, j, k, 1) end
        end
      end
    end
  end
  -- cut the image to the boxes (maps are images of the whole grid)
  local sb = sub:bbox()
  local off = {}
  for a = 1, 3 do off[a] = math.max(1, sb.min[a] - 2) - 1 end
  cimg, sub = cimg:crop(sub, 2)
  for _, c in ipairs(picks) do for a = 1, 3 do c[a] = c[a] - off[a] end end
  local st = {round = true, resegment = {range = {-500, 400}}, discretise = {method = "fbs", width = 25, min = -500},
              texture = {aggregation = {"2.5D", "3D"}}}
  check("IBSI CT phantom, cube r2", cimg, sub, st, {radius = 2, centres = picks}, false)
end

T.done()
