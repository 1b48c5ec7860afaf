-- radlab bad-input suite: rad.filter (IBSI 2 filters).  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

local img = rad.image.new{size = {16, 16, 8}, spacing = {1, 1, 2}, value = 1}
local flat = rad.image.new{size = {16, 16}, spacing = {1, 1}, value = 1}
local thin = rad.image.new{size = {16, 3, 8}, spacing = {1, 1, 1}, value = 1}

B.call("filter: no options", function() rad.filter(img) end, "bad argument #2")
B.call("filter: no filter name", function() rad.filter(img, {sigma = 1}) end,
  "rad.filter: the options table needs the filter's name first")
B.call("filter: unknown filter", function() rad.filter(img, {"median"}) end,
  "rad.filter: unknown filter 'median' (filters: mean, log, laws, gabor, wavelet, simoncelli)")
B.call("filter: option of another filter", function() rad.filter(img, {"mean", sigma = 2}) end,
  "rad.filter: unknown option 'sigma' for the mean filter (its options: support, dims, boundary, threads)")
B.call("filter: misspelt option", function() rad.filter(img, {"log", sigma = 2, truncation = 3}) end,
  "unknown option 'truncation' for the log filter (its options: sigma, truncate, riesz, dims, boundary, threads)")
B.call("filter: positional option", function() rad.filter(img, {"mean", 5}) end,
  "rad.filter: unknown option '[2]' for the mean filter (its options: support, dims, boundary, threads; only the filter's name goes first, unnamed)")
B.call("filter: unknown boundary", function() rad.filter(img, {"mean", boundary = "bounce"}) end,
  "rad.filter: unknown boundary 'bounce' (constant or zero, nearest or edge, periodic or wrap, mirror or reflect")
B.call("filter: dims 4", function() rad.filter(img, {"mean", dims = 4}) end,
  "option 'dims' must be 2 (each axial slice on its own) or 3 (the volume), got 4")
B.call("filter: 3D filter on a 2D image", function() rad.filter(flat, {"mean", support = 3, dims = 3}) end,
  "mean filter: a 3D filter needs a 3D image, this one has a single slice; use dims = 2")
B.call("mean: even support", function() rad.filter(img, {"mean", support = 4}) end,
  "option 'support' of the mean filter must be an odd number of voxels >= 1, got 4")
B.call("mean: fractional support", function() rad.filter(img, {"mean", support = 4.5}) end,
  "option 'support' must be an integer, got 4.5")
B.call("mean: image too small for the kernel", function() rad.filter(thin, {"mean", support = 7}) end,
  "mean filter: the image is too small for the kernel: axis y has 3 voxels, the kernel reaches 3 voxels either side")
B.call("log: no sigma", function() rad.filter(img, {"log"}) end,
  "rad.filter: the log filter needs sigma (mm), e.g. {\"log\", sigma = 1.5}")
B.call("log: sigma 0", function() rad.filter(img, {"log", sigma = 0}) end,
  "option 'sigma' of the log filter must be > 0 mm, got 0")
B.call("log: negative sigma", function() rad.filter(img, {"log", sigma = -1}) end, "must be > 0 mm, got -1")
B.call("log: sigma as text", function() rad.filter(img, {"log", sigma = "2mm"}) end,
  "option 'sigma' must be a number, got string")
B.call("log: sigma below half a voxel", function() rad.filter(img, {"log", sigma = 0.8}) end,
  "LoG filter: sigma 0.8 mm is 0.4 voxels along z (spacing 2 mm), below half a voxel")
B.call("log: truncate 0", function() rad.filter(img, {"log", sigma = 1, truncate = 0}) end,
  "option 'truncate' of the log filter (kernel radius in sigmas) must be > 0, got 0")
B.call("log: kernel larger than the image", function() rad.filter(img, {"log", sigma = 4, truncate = 4}) end,
  "LoG filter: the image is too small for the kernel: axis x has 16 voxels, the kernel reaches 16 voxels")
B.call("laws: no kernel", function() rad.filter(img, {"laws"}) end,
  "rad.filter: the laws filter needs kernel, e.g. {\"laws\", kernel = \"L5E5E5\"}")
B.call("laws: unknown 1-D kernel", function() rad.filter(img, {"laws", kernel = "L5X5E5"}) end,
  "Laws filter: kernel 'L5X5E5' is not a product of known 1-D kernels (L3 E3 S3 L5 E5 S5 W5 R5)")
B.call("laws: kernel of the wrong dimension", function() rad.filter(img, {"laws", kernel = "L5E5"}) end,
  "Laws filter: kernel 'L5E5' has 2 1-D kernels, a 3D filter needs 3 (one per axis, x first)")
B.call("laws: negative energy distance", function() rad.filter(img, {"laws", kernel = "L5E5E5", energy = -1}) end,
  "option 'energy' (the energy map distance delta, voxels; 0 = none) must be >= 0, got -1")
B.call("laws: unknown pooling", function()
  rad.filter(img, {"laws", kernel = "L5E5E5", rotation_invariant = true, pooling = "median"}) end,
  "rad.filter: unknown pooling 'median' (max, mean or min)")
B.call("laws: rotation_invariant not a boolean", function()
  rad.filter(img, {"laws", kernel = "L5E5E5", rotation_invariant = "yes"}) end,
  "option 'rotation_invariant' must be true or false, got string")
B.call("laws: energy window larger than the image", function()
  rad.filter(img, {"laws", kernel = "L5E5E5", energy = 8}) end,
  "Laws filter: the image is too small for the kernel: axis z has 8 voxels, the kernel reaches 8 voxels")
B.call("riesz: on a filter without it", function() rad.filter(img, {"mean", riesz = {1, 0, 0}}) end,
  "rad.filter: option 'riesz' is available for the log and simoncelli filters only, not mean")
B.call("riesz: not a table", function() rad.filter(img, {"log", sigma = 2, riesz = 1}) end,
  "rad.filter: option 'riesz' must be a table of 3 orders, x first, e.g. riesz = {1, 0, 0}; got number")
B.call("riesz: two orders in 3D", function() rad.filter(img, {"log", sigma = 2, riesz = {1, 0}}) end,
  "rad.filter: option 'riesz' needs 3 orders for a 3D filter (one per axis, x first, e.g. {1, 0, 0}), got 2")
B.call("riesz: three orders in 2D", function() rad.filter(img, {"log", sigma = 2, dims = 2, riesz = {1, 0, 0}}) end,
  "rad.filter: option 'riesz' needs 2 orders for a 2D filter (one per axis, x first, e.g. {1, 0}), got 3")
B.call("riesz: negative order", function() rad.filter(img, {"simoncelli", riesz = {0, -1, 0}}) end,
  "rad.filter: option 'riesz': entry 2 is -1; each entry is an order 0..4 along its axis")
B.call("riesz: fractional order", function() rad.filter(img, {"simoncelli", riesz = {0.5, 0, 0}}) end,
  "rad.filter: option 'riesz': entry 1 must be an integer order, got 0.5")
B.call("riesz: total order above 4", function() rad.filter(img, {"log", sigma = 2, riesz = {2, 2, 1}}) end,
  "rad.filter: option 'riesz': the total order (sum of the entries) must be at most 4, got 5")
B.call("filter: closed image", function() local c = img:copy(); c:close(); rad.filter(c, {"mean"}) end,
  "closed")
B.done()
