-- radlab: compat = "pyradiomics" with image types (settings.filters): each
-- response measured as PyRadiomics measures an image type, named
-- <image type>_<class>_<Feature>.  SPDX-License-Identifier: GPL-3.0-or-later
--
-- The filters themselves are checked against ITK, PyWavelets, scikit-image
-- and PyRadiomics' own functions in tests/lua/filters_pyrad.lua, the feature
-- classes against PyRadiomics' baseline in tests/reference/pyradiomics.lua;
-- here: the names PyRadiomics gives, that an image type's features are those
-- of its response measured as an original image, and the settings echo.
local T = require "rad.test"

local img, mask, nx, ny, nz = T.volume()

local types = {
  {{"pylog", sigma = 1}, "log-sigma-1-0-mm-3D"},
  {{"pylog", sigma = 2.5}, "log-sigma-2-5-mm-3D"},
  {{"pywavelet", band = "LLH"}, "wavelet-LLH"},
  {{"pywavelet", band = "HHL", level = 2}, "wavelet2-HHL"},
  {{"square"}, "square"}, {{"squareroot"}, "squareroot"}, {{"logarithm"}, "logarithm"},
  {{"exponential"}, "exponential"}, {{"gradient"}, "gradient"}, {{"lbp2d"}, "lbp-2D"},
  {{"lbp3d", output = "m2"}, "lbp-3D-m2"},
}
local base = {binWidth = 5, voxelArrayShift = 100}
local filters = {}
for i, t in ipairs(types) do filters[i] = t[1] end
local fs = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = base, filters = filters})
local orig = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = base})

-- every image type has the original's classes but shape, under its PyRadiomics name
local nonshape = 0
for _, n in ipairs(orig:names()) do if not n:match("^original_shape_") then nonshape = nonshape + 1 end end
T.is(fs:count(), orig:count() + #types * nonshape, string.format("%d features: the original's %d and %d per image type",
  fs:count(), orig:count(), nonshape))
for _, t in ipairs(types) do
  local got, shape = 0, 0
  for _, n in ipairs(fs:names()) do
    if n:sub(1, #t[2] + 1) == t[2] .. "_" then
      got = got + 1
      if n:match("_shape_") then shape = shape + 1 end
    end
  end
  T.ok(got == nonshape and shape == 0, string.format("image type %s: %d features, no shape", t[2], got))
end

-- an image type's features = the compat extraction of its response as an original image
for _, t in ipairs{types[1], types[4], types[5], types[10]} do
  local resp = rad.filter(img, t[1])
  local one = rad.extract(resp, mask, {compat = "pyradiomics", pyradiomics = base, families = {"stat", "ih", "cm", "rlm", "szm", "ngl", "ngt"}})
  local worst, n = 0, 0
  for _, name in ipairs(one:names()) do
    local a, b = fs[t[2] .. name:sub(9)], one[name]
    n = n + 1
    if not a then worst = math.huge
    elseif a ~= b then worst = math.max(worst, math.abs(a - b) / math.max(1e-300, math.abs(b))) end
  end
  T.ok(worst == 0, string.format("%s: its %d features equal the response's measured as an original image (worst %.3g)",
    t[2], n, worst))
end
T.is(fs["square_firstorder_Energy"] ~= nil, true, "voxelArrayShift applies to image types too (firstorder Energy present)")

-- the settings echo reads back to the same settings
local s = {compat = "pyradiomics", pyradiomics = base, filters = filters}
local c = rad.settings.check(s)
T.is(#c.filters, #types, "the echo keeps the image types")
T.is(c.filter_families, nil, "no filter_families in compat mode")
T.is(rad.settings.digest(c), rad.settings.digest(s), "the echo has the digest of the settings")
T.ok(rad.settings.digest(s) ~= rad.settings.digest{compat = "pyradiomics", pyradiomics = base},
  "image types change the digest")

-- what compat mode refuses
T.errors(function() rad.extract(img, mask, {compat = "pyradiomics", filters = {{"log", sigma = 1}}}) end,
  "filters[1]: log_s1mm_3D is an IBSI filter; compat = \"pyradiomics\" takes PyRadiomics' image types", "an IBSI filter")
T.errors(function() rad.extract(img, mask, {compat = "pyradiomics", filters = {{"square"}, {"square", threads = 1}}}) end,
  "filters[1] and filters[2] are both PyRadiomics' image type square", "an image type twice")
T.errors(function()
  rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = {preCrop = true}, filters = {{"square"}}}) end,
  "pyradiomics.preCrop with image types", "preCrop with image types")
T.errors(function() rad.extract(img, mask, {compat = "pyradiomics", filter_families = {"stat"}, filters = {{"square"}}}) end,
  "settings.filter_families is an IBSI setting", "filter_families in compat mode")
T.done()
