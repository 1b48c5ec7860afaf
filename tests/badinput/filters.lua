-- radlab bad-input suite: rad.filter (IBSI 2 filters).  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

local img = rad.image.new{size = {16, 16, 8}, spacing = {1, 1, 2}, value = 1}
local flat = rad.image.new{size = {16, 16}, spacing = {1, 1}, value = 1}
local thin = rad.image.new{size = {16, 3, 8}, spacing = {1, 1, 1}, value = 1}

B.call("filter: no options", function() rad.filter(img) end, "bad argument #2")
B.call("filter: no filter name", function() rad.filter(img, {sigma = 1}) end,
  "rad.filter: the options table needs the filter's name first")
B.call("filter: unknown filter", function() rad.filter(img, {"median"}) end,
  "rad.filter: unknown filter 'median' (filters: mean, log, laws, gabor, wavelet, simoncelli, square, squareroot, "
  .. "logarithm, exponential, gradient, lbp2d, pywavelet, pylog, lbp3d)")
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
-- PyRadiomics' image types
B.call("square: an image of zeros", function() rad.filter(rad.image.new{size = {4, 4, 4}}, {"square"}) end,
  "square filter: the largest |intensity| is 0; the filter scales by it and needs a finite value > 0")
B.call("exponential: an image of zeros", function() rad.filter(rad.image.new{size = {4, 4, 4}}, {"exponential"}) end,
  "exponential filter: the largest |intensity| is 0")
B.call("square: an option it does not have", function() rad.filter(img, {"square", sigma = 1}) end,
  "unknown option 'sigma' for the square filter (its options: dims, boundary, threads)")
B.call("gradient: use_spacing not a boolean", function() rad.filter(img, {"gradient", use_spacing = 1}) end,
  "option 'use_spacing' must be true or false, got number")
B.call("lbp2d: dims 3", function() rad.filter(img, {"lbp2d", dims = 3}) end,
  "the lbp2d filter works on each axial slice: dims must be 2")
B.call("lbp2d: 0 points", function() rad.filter(img, {"lbp2d", points = 0}) end,
  "option 'points' of the lbp2d filter must be 1..32, got 0")
B.call("lbp2d: radius 0", function() rad.filter(img, {"lbp2d", radius = 0}) end,
  "option 'radius' of the lbp2d filter must be > 0 voxels, got 0")
B.call("lbp2d: unknown method", function() rad.filter(img, {"lbp2d", method = "var"}) end,
  "unknown lbp2d method 'var' (default, uniform or ror)")
B.call("pywavelet: a 2-letter band in 3D", function() rad.filter(img, {"pywavelet", band = "LH"}) end,
  "pywavelet filter: band 'LH' must have one L or H per filtered axis, x first (3 letters for dims = 3")
B.call("pywavelet: unknown family", function() rad.filter(img, {"pywavelet", family = "db99", band = "LLH"}) end,
  "db99")
B.call("pywavelet: no band", function() rad.filter(img, {"pywavelet"}) end, "the pywavelet filter needs band")
B.call("wavelet: no family", function() rad.filter(img, {"wavelet", band = "LLH"}) end,
  "rad.filter: the wavelet filter needs family, e.g. {\"wavelet\", family = \"db3\", band = \"LLH\"}")
B.call("wavelet: db21 (beyond PyWavelets' db20)", function() rad.filter(img, {"wavelet", family = "db21", band = "LLH"}) end,
  "rad.filter: unknown wavelet family 'db21' (families: haar, db1-db20, sym2-sym20, coif1-coif17)")
B.call("wavelet: sym1 (symlets start at 2)", function() rad.filter(img, {"wavelet", family = "sym1", band = "LLH"}) end,
  "unknown wavelet family 'sym1' (families: haar, db1-db20, sym2-sym20, coif1-coif17)")
B.call("wavelet: a name PyWavelets does not use", function()
  rad.filter(img, {"wavelet", family = "daubechies3", band = "LLH"}) end,
  "unknown wavelet family 'daubechies3' (families: haar, db1-db20, sym2-sym20, coif1-coif17)")
B.call("wavelet: family as a number", function() rad.filter(img, {"wavelet", family = 3, band = "LLH"}) end,
  "option 'family' must be a string, got number")
B.call("wavelet: unknown sub-band letter", function() rad.filter(img, {"wavelet", family = "db2", band = "LXH"}) end,
  "wavelet: sub-band \"LXH\" is not 3 letters L or H (one per axis x, y, z, e.g. \"LHL\")")
B.call("wavelet: level 0", function() rad.filter(img, {"wavelet", family = "db2", band = "LLH", level = 0}) end,
  "option 'level' of the wavelet filter must be 1..16, got 0")
B.call("wavelet: level beyond the image (z has 8 voxels)", function()
  rad.filter(img, {"wavelet", family = "coif5", band = "LLH", level = 4}) end,
  "wavelet: the image has 8 voxels along axis z, too few for level 4 (needs 16): lower the level to 3 or less")
B.call("wavelet: decimated level beyond the image (y has 3 voxels)", function()
  rad.filter(thin, {"wavelet", family = "sym8", band = "LLH", level = 2, decimated = true}) end,
  "wavelet: the image has 3 voxels along axis y, too few for level 2 (needs 4): lower the level to 1 or less")
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
B.call("pylog: no sigma", function() rad.filter(img, {"pylog"}) end,
  "rad.filter: the pylog filter needs sigma (mm), e.g. {\"pylog\", sigma = 2}")
B.call("pylog: sigma 0", function() rad.filter(img, {"pylog", sigma = 0}) end,
  "option 'sigma' of the pylog filter must be > 0 mm, got 0")
B.call("pylog: sigma too large for the image", function() rad.filter(img, {"pylog", sigma = 15}) end,
  "pylog filter: sigma 15 mm is too large for the image: axis z has 8 voxels of 2 mm, PyRadiomics needs at least "
  .. "ceil(sigma / spacing) + 1 = 9 (it skips such a sigma); use a smaller sigma")
B.call("pylog: fewer than 4 voxels along an axis", function() rad.filter(thin, {"pylog", sigma = 1}) end,
  "pylog filter: axis y has 3 voxels; ITK's recursive Gaussian needs at least 4 along each filtered axis")
B.call("pylog: a boundary", function() rad.filter(img, {"pylog", sigma = 1, boundary = "constant"}) end,
  "rad.filter: the pylog filter has no boundary option: it extends the edge voxel, as ITK does")
B.call("pylog: 3D on a single slice", function() rad.filter(flat, {"pylog", sigma = 1, dims = 3}) end,
  "pylog filter: a 3D filter needs a 3D image, this one has a single slice; use dims = 2")
B.call("lbp3d: dims 2", function() rad.filter(img, {"lbp3d", dims = 2}) end,
  "rad.filter: the lbp3d filter samples a sphere in the volume: dims must be 3")
B.call("lbp3d: on a single slice", function() rad.filter(flat, {"lbp3d"}) end,
  "lbp3d filter: the image has a single slice; the filter samples a sphere in the volume and needs a 3D image")
B.call("lbp3d: levels 0", function() rad.filter(img, {"lbp3d", levels = 0}) end,
  "option 'levels' of the lbp3d filter must be 1..10, got 0")
B.call("lbp3d: radius 0", function() rad.filter(img, {"lbp3d", radius = 0}) end,
  "option 'radius' of the lbp3d filter must be > 0 voxels, got 0")
B.call("lbp3d: subdivision 5", function() rad.filter(img, {"lbp3d", subdivision = 5}) end,
  "option 'subdivision' of the lbp3d filter must be 0..4, got 5")
B.call("lbp3d: output beyond levels", function() rad.filter(img, {"lbp3d", output = "m3"}) end,
  "option 'output' of the lbp3d filter must be \"m1\" .. \"m2\" (one per level) or \"k\" (kurtosis), got 'm3'")
B.call("lbp3d: unknown output", function() rad.filter(img, {"lbp3d", output = "kurtosis"}) end,
  "option 'output' of the lbp3d filter must be \"m1\" .. \"m2\" (one per level) or \"k\" (kurtosis), got 'kurtosis'")
B.call("lbp3d: a boundary", function() rad.filter(img, {"lbp3d", boundary = "mirror"}) end,
  "the lbp3d filter has no boundary option")
B.call("filter: closed image", function() local c = img:copy(); c:close(); rad.filter(c, {"mean"}) end,
  "closed")
B.done()
