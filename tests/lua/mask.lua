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
local err = T.errors(function() img:crop(m) end, "resample the mask", "mismatch suggests resampling")
T.like(err, "image is 5x5x3 at 1x1x2.5 mm", "mismatch names the image geometry")
T.like(err, "mask is 5x5x3 at 1x1x2 mm", "mismatch names the mask geometry")

-- an empty mask
local empty = rad.mask.new{size = {3, 3, 3}}
T.errors(function() empty:bbox() end, "the mask is empty", "bbox of an empty mask")
T.errors(function() empty:largest() end, "the mask is empty", "largest of an empty mask")

T.done()
