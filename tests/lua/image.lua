-- radlab: tests of Image through the rad API.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

T.is(type(rad.version), "string", "rad.version is a string")
T.like(rad.version, "^%d+%.%d+%.%d+", "rad.version looks like x.y.z")

local img = rad.image.new{size = {4, 3, 2}, spacing = {0.5, 0.75, 2}, origin = {10, 20, 30}}
local nx, ny, nz = img:size()
T.ok(nx == 4 and ny == 3 and nz == 2, "size 4x3x2")
local sx, sy, sz = img:spacing()
T.ok(sx == 0.5 and sy == 0.75 and sz == 2, "spacing 0.5x0.75x2")
local ox, oy, oz = img:origin()
T.ok(ox == 10 and oy == 20 and oz == 30, "origin (10, 20, 30)")
local d = img:direction()
T.ok(#d == 9 and d[1] == 1 and d[5] == 1 and d[9] == 1 and d[2] == 0, "identity direction, 9 numbers")
T.is(img:ndim(), 3, "3D")

-- 1-based indices; x fastest
for k = 1, 2 do for j = 1, 3 do for i = 1, 4 do
  img:set(i, j, k, i + 10 * j + 100 * k)
end end end
T.is(img:get(1, 1, 1), 111.0, "get(1,1,1)")
T.is(img:get(4, 3, 2), 234.0, "get(4,3,2)")
T.errors(function() img:get(5, 1, 1) end, "index i = 5 is outside 1..4", "index past the end")
T.errors(function() img:get(0, 1, 1) end, "index i = 0 is outside 1..4", "index 0 (Lua is 1-based)")

local x, y, z = img:to_point(2, 3, 2)
T.ok(x == 10.5 and y == 21.5 and z == 32, "to_point(2,3,2) = (10.5, 21.5, 32)")
local i, j, k = img:to_index(10.5, 21.5, 32)
T.ok(math.abs(i - 2) < 1e-12 and math.abs(j - 3) < 1e-12 and math.abs(k - 2) < 1e-12, "to_index inverts to_point")

local st = img:stats()
T.is(st.n, 24, "stats n")
T.is(st.min, 111.0, "stats min")
T.is(st.max, 234.0, "stats max")
T.near(st.mean, (2.5 + 10 * 2 + 100 * 1.5), 1e-9, "stats mean")

-- stats and crop in a mask
local m = rad.mask.new(img)
m:set(2, 2, 1, 1); m:set(3, 3, 2, 1)
local ms = img:stats(m)
T.is(ms.n, 2, "masked stats n")
T.near(ms.mean, (122 + 233) / 2, 1e-9, "masked mean")
T.near(ms.sd, (233 - 122) / 2, 1e-9, "masked population sd")
local ci, cm = img:crop(m)
local cx, cy, cz = ci:size()
T.ok(cx == 2 and cy == 2 and cz == 2, "crop to bbox 2x2x2")
T.is(ci:get(1, 1, 1), 122.0, "cropped (1,1,1) is old (2,2,1)")
T.is(cm:count(), 2, "cropped mask keeps its voxels")
local px = img:crop(m, 1):size()
T.is(px, 4, "pad 1 grows the crop to the image edge")
local ox2 = ci:origin()
T.is(ox2, 10.5, "crop origin moves")

-- 2D
local flat = rad.image.new{size = {3, 2}, value = 7}
T.is(flat:ndim(), 2, "2D image")
T.is(select(3, flat:size()), 1, "2D nz = 1")
T.is(flat:get(3, 2), 7.0, "2D get(i, j) and fill value")
flat:set(1, 1, -1)
T.is(flat:get(1, 1), -1.0, "2D set(i, j, v)")

-- tostring
T.like(tostring(img), "^Image 4x3x2 at 0.5x0.75x2 mm", "tostring shows size and spacing")
T.like(tostring(img), "values 111 .. 234", "tostring shows value range")

-- copy and close
local c = img:copy()
c:set(1, 1, 1, 0)
T.is(img:get(1, 1, 1), 111.0, "copy is independent")
c:close()
T.errors(function() c:get(1, 1, 1) end, "closed Image", "closed image errors")
T.is(tostring(c), "Image (closed)", "closed image prints")
do
  local tmp <close> = rad.image.new{size = {2, 2, 2}}
  T.is(tmp:size(), 2, "to-be-closed variable works")
end

-- option validation
T.errors(function() rad.image.new{size = {2, 2}, spacng = {1, 1}} end, "unknown option 'spacng'", "typo in option")
T.errors(function() rad.image.new{} end, "option 'size' is required", "size required")
T.errors(function() rad.image.new{size = {2, 0, 2}} end, "must be a positive integer", "zero size")
T.errors(function() rad.image.new{size = {2, 2}, spacing = {1, -1}} end, "spacing must be positive", "negative spacing")
T.errors(function() rad.image.new{size = {2, 2}, spacing = "1"} end, "must be an array", "spacing wrong type")

T.done()
