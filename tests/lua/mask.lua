-- radlab: tests of Mask through the rad API.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local m = rad.mask.new{size = {5, 5, 3}, spacing = {1, 1, 2}}
T.is(m:count(), 0, "new mask is empty")
-- two blobs: a 2x2x1 block with label 1 and a single voxel with label 2, and a
-- diagonal neighbour of the block with label 1
m:set(1, 1, 1, 1); m:set(2, 1, 1, 1); m:set(1, 2, 1, 1); m:set(2, 2, 1, 1)
m:set(3, 3, 2, 1)
m:set(5, 5, 3, 2)
T.is(m:count(), 6, "label 0 selects every non-zero voxel")
T.is(m:label(), 0, "default label 0")
local labels = m:labels()
T.ok(labels[1] == 5 and labels[2] == 1, "labels() counts per label")
T.is(m:get(5, 5, 3), 2, "get")

local b = m:bbox()
T.ok(b.min[1] == 1 and b.min[2] == 1 and b.min[3] == 1, "bbox min 1-based")
T.ok(b.max[1] == 5 and b.max[2] == 5 and b.max[3] == 3, "bbox max")
T.ok(b.size[1] == 5 and b.size[3] == 3, "bbox size")

local n, sizes, lab = m:components()
T.is(n, 2, "26-connectivity: two components")
T.ok(sizes[1] == 5 and sizes[2] == 1, "sizes largest first")
T.is(lab:get(3, 3, 2), 1, "diagonal voxel joins the block")
T.is(lab:get(5, 5, 3), 2, "lone voxel is component 2")
local n6 = m:components{connectivity = 6}
T.is(n6, 3, "6-connectivity: three components")
T.errors(function() m:components{connectivity = 5} end, "connectivity must be 6, 18 or 26", "bad connectivity")
T.errors(function() m:components{conectivity = 6} end, "unknown option 'conectivity'", "typo in option")

local big = m:largest()
T.is(big:count(), 5, "largest has 5 voxels")
local two = m:select(2)
T.is(two:count(), 1, "select(2)")
T.is(two:label(), 1, "select gives a binary mask with label 1")
T.is(m:select(1, 2):count(), 6, "select(1, 2)")
T.errors(function() m:select(300) end, "out of range", "select bad label")

T.like(tostring(m), "^Mask 5x5x3 at 1x1x2 mm", "tostring geometry")
T.like(tostring(m), "1 %(5 voxels%), 2 %(1 voxels%)", "tostring label counts")

-- geometry mismatch between image and mask
local img = rad.image.new{size = {5, 5, 3}, spacing = {1, 1, 2.5}}
T.errors(function() img:stats(m) end, "image and mask geometries differ", "mismatch detected")
local err = T.errors(function() img:crop(m) end, "put it on the image's grid with mask:resample_to(img)", "mismatch suggests mask:resample_to(img)")
T.like(err, "image is 5x5x3 at 1x1x2.5 mm", "mismatch names the image geometry")
T.like(err, "mask is 5x5x3 at 1x1x2 mm", "mismatch names the mask geometry")

-- an empty mask
local empty = rad.mask.new{size = {3, 3, 3}}
T.errors(function() empty:bbox() end, "the mask is empty", "bbox of an empty mask")
T.errors(function() empty:largest() end, "the mask is empty", "largest of an empty mask")

-- resample_to: a 0.5 x 0.5 x 1 mm mask onto a 1 x 1 x 2 mm image.  Coarse
-- voxel (i, j, k) (1-based) has its centre at world (i-1, j-1, 2(k-1)); in
-- the fine mask (origin -0.25, -0.25, -0.5) that is 0-based index
-- (2i-1.5, 2j-1.5, 2k-1.5), whose nearest centre (ties upward) is 0-based
-- (2i-1, 2j-1, 2k-1), i.e. 1-based (2i, 2j, 2k).
do
  local img = rad.image.new{size = {4, 4, 2}, spacing = {1, 1, 2}}
  local fine = rad.mask.new{size = {8, 8, 4}, spacing = {0.5, 0.5, 1}, origin = {-0.25, -0.25, -0.5}}
  fine:set(4, 4, 4, 7)   -- coarse (2, 2, 2)
  fine:set(2, 6, 2, 4)   -- coarse (1, 3, 1)
  fine:set(4, 4, 2, 2)   -- coarse (2, 2, 1)
  fine:set(3, 3, 3, 9)   -- odd indices lie between coarse centres: never picked
  local r = fine:resample_to(img)
  T.is(table.concat({r:size()}, "x"), "4x4x2", "resample_to: the image's size")
  T.is(table.concat({r:spacing()}, "x"), "1.0x1.0x2.0", "resample_to: the image's spacing")
  T.is(r:get(2, 2, 2), 7, "resample_to: fine (4,4,4) lands on coarse (2,2,2)")
  T.is(r:get(1, 3, 1), 4, "resample_to: fine (2,6,2) lands on coarse (1,3,1)")
  T.is(r:get(2, 2, 1), 2, "resample_to: fine (4,4,2) lands on coarse (2,2,1)")
  local labs = r:labels()
  T.is(labs[9], nil, "resample_to: a voxel between coarse centres is not picked")
  T.is(r:count(), 3, "resample_to: three labelled voxels")
  T.ok(pcall(rad.extract, img, r:select(7), {families = {"stat"}}), "resample_to: the result extracts with the image")
  -- a mask covering only part of the image: 0 outside it
  local part = rad.mask.new{size = {2, 2, 1}, spacing = {1, 1, 2}, origin = {2, 2, 2}}
  part:set(1, 1, 1, 5); part:set(2, 2, 1, 6)
  local p = part:resample_to(img)
  T.is(p:get(3, 3, 2), 5, "resample_to: shifted grid, label kept")
  T.is(p:get(4, 4, 2), 6, "resample_to: shifted grid, second label")
  T.is(p:count(), 2, "resample_to: 0 outside the mask")
  T.errors(function() fine:resample_to({}) end, "Mask:resample_to: give the Image (or Mask) whose grid to use, got table",
    "resample_to without an image")
end

T.done()
