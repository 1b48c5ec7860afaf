-- radlab bad-input suite: feature extraction and settings.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

local img = rad.image.new{size = {4, 4, 4}}
local mask = rad.mask.new(img)
B.call("extract: empty mask", function() rad.extract(img, mask) end, "the mask selects no voxels")

B.done()
