-- radlab: PyRadiomics' image types with their own settings (imageType: {LoG:
-- {sigma: [...], binWidth: 5}}: settings.filters[i].pyradiomics), Wavelet
-- start_level, and imageType without Original (pyradiomics.original = false).
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local dir = T.tmpdir()
local file = T.file

-- the features of one image type (prefix .. "_"), as a name -> value table
local function of_type(fs, prefix)
  local t, n = {}, 0
  for _, name in ipairs(fs:names()) do
    if name:sub(1, #prefix + 1) == prefix .. "_" then t[name] = fs[name]; n = n + 1 end
  end
  return t, n
end
-- the largest relative difference of two such tables (math.huge when their names differ)
local function worst(a, b)
  local w = 0
  for k, v in pairs(a) do
    if b[k] == nil then return math.huge end
    if v ~= b[k] and not (v ~= v and b[k] ~= b[k]) then
      w = math.max(w, math.abs(v - b[k]) / math.max(1e-300, math.abs(b[k])))
    end
  end
  for k in pairs(b) do if a[k] == nil then return math.huge end end
  return w
end

-- 1. on brain1: LoG with its own binWidth 5 gives what a general binWidth 5 gives for LoG alone; the original
-- image keeps the general binWidth; without Original only shape is left of it
local data, why = T.data()
if not data then
  T.skip(8, why)
else
  local img = rad.read(data .. "/pyradiomics/brain1_image.nrrd")
  local mask = rad.read_mask(data .. "/pyradiomics/brain1_label.nrrd", {label = 1})
  local base = {voxelArrayShift = 2000, minimumROIDimensions = 1}
  local function py(t)
    local p = {}
    for k, v in pairs(base) do p[k] = v end
    for k, v in pairs(t) do p[k] = v end
    return p
  end
  local own = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = py{binWidth = 25},
    filters = {{"pylog", sigma = 1, pyradiomics = {binWidth = 5}}}})
  local alone = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = py{binWidth = 5, original = false},
    filters = {{"pylog", sigma = 1}}})
  local orig = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = py{binWidth = 25}})
  local a, na = of_type(own, "log-sigma-1-0-mm-3D")
  local b = of_type(alone, "log-sigma-1-0-mm-3D")
  T.ok(na > 80 and worst(a, b) == 0, string.format("brain1 LoG sigma 1: its own binWidth 5 gives the %d features a "
    .. "general binWidth 5 gives (worst relative difference %.3g)", na, worst(a, b)))
  -- the bin width matters for LoG (else the check above could not fail)
  local general = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = py{binWidth = 25, original = false},
    filters = {{"pylog", sigma = 1}}})
  local g = of_type(general, "log-sigma-1-0-mm-3D")
  T.ok(g["log-sigma-1-0-mm-3D_glcm_Contrast"] ~= a["log-sigma-1-0-mm-3D_glcm_Contrast"],
    string.format("brain1 LoG glcm Contrast: binWidth 25 %.6g, its own binWidth 5 %.6g",
      g["log-sigma-1-0-mm-3D_glcm_Contrast"], a["log-sigma-1-0-mm-3D_glcm_Contrast"]))
  T.is(worst(of_type(own, "original"), of_type(orig, "original")), 0,
    "brain1: the original image keeps the general binWidth 25")
  -- without Original: shape (from the mask, as PyRadiomics computes it whatever the image types) and the types
  local shape, other = 0, 0
  for _, name in ipairs(alone:names()) do
    if name:match("^original_shape_") then shape = shape + 1
    elseif name:match("^original_") then other = other + 1 end
  end
  T.is(other, 0, "original = false: no original_firstorder/texture features")
  T.ok(shape > 10 and alone["original_shape_VoxelVolume"] == orig["original_shape_VoxelVolume"],
    string.format("original = false: the %d shape features stay (VoxelVolume %g)", shape,
      alone["original_shape_VoxelVolume"] or -1))
  T.is(alone:count(), shape + select(2, of_type(alone, "log-sigma-1-0-mm-3D")),
    "original = false: shape and the LoG image type, nothing else")
  -- the same from a parameter file whose imageType lists no Original
  local s = rad.settings.from_pyradiomics(file("brain.yaml", [[
setting:
  binWidth: 25
  voxelArrayShift: 2000
  minimumROIDimensions: 1
imageType:
  LoG: {sigma: [1.0], binWidth: 5}
]]))
  T.is(s.pyradiomics.original, false, "imageType without Original: pyradiomics.original = false")
  local fromfile = rad.extract(img, mask, s)
  T.is(worst(of_type(fromfile, "log-sigma-1-0-mm-3D"), a), 0,
    "the parameter file's LoG {binWidth: 5} gives the same LoG features")
end

-- a small image for the rest
local img, mask, nx, ny, nz = T.volume()

-- 2. every overridable setting changes the image type's features as the general setting does
local cases = {
  {binCount = 7}, {voxelArrayShift = 300}, {force2D = true}, {force2D = true, force2Ddimension = 1},
  {weightingNorm = "euclidean"}, {symmetricalGLCM = false}, {distances = {2}}, {gldm_a = 3},
}
for _, ov in ipairs(cases) do
  local p = {binWidth = 5}
  local keys = {}
  for k, v in pairs(ov) do p[k] = v; keys[#keys + 1] = k end
  if ov.binCount then p.binWidth = nil end -- the general binCount: no binWidth beside it
  table.sort(keys)
  local one = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = {binWidth = 5},
    filters = {{"square", pyradiomics = ov}}})
  local ref = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = p, filters = {{"square"}}})
  local plain = rad.extract(img, mask, {compat = "pyradiomics", pyradiomics = {binWidth = 5}, filters = {{"square"}}})
  local sq, ref_sq, plain_sq = of_type(one, "square"), of_type(ref, "square"), of_type(plain, "square")
  T.ok(worst(sq, ref_sq) == 0 and worst(sq, plain_sq) > 0 and worst(of_type(one, "original"), of_type(plain,
    "original")) == 0, string.format("square {%s}: as the general setting for that type (differs from the default "
    .. "by %.3g), the original unchanged", table.concat(keys, ", "), worst(sq, plain_sq)))
end

-- 3. echo, digest and the parameter file round trip
local s = {compat = "pyradiomics", pyradiomics = {binWidth = 25},
  filters = {{"pylog", sigma = 1, pyradiomics = {binWidth = 5}}, {"pylog", sigma = 2, pyradiomics = {binWidth = 5}},
    {"square", pyradiomics = {distances = {2}, weightingNorm = "manhattan", binCount = 16}}}}
local c = rad.settings.check(s)
T.is(c.filters[1].pyradiomics.binWidth, 5, "echo: filters[1].pyradiomics.binWidth")
T.is(c.filters[3].pyradiomics.distances[1], 2, "echo: filters[3].pyradiomics.distances")
T.is(c.filters[3].pyradiomics.weightingNorm, "manhattan", "echo: filters[3].pyradiomics.weightingNorm")
T.is(c.pyradiomics.original, true, "echo: pyradiomics.original (default true)")
T.is(rad.settings.digest(c), rad.settings.digest(s), "the echo has the digest of the settings")
local s0 = {compat = "pyradiomics", pyradiomics = {binWidth = 25}, filters = {{"pylog", sigma = 1}, {"pylog", sigma = 2},
  {"square"}}}
T.ok(rad.settings.digest(s) ~= rad.settings.digest(s0), "an image type's own settings change the digest")
T.is(rad.settings.digest{compat = "pyradiomics", filters = {{"square", pyradiomics = {}}}},
  rad.settings.digest{compat = "pyradiomics", filters = {{"square"}}}, "an empty pyradiomics table changes nothing")
local text = rad.settings.to_pyradiomics(s)
T.like(text, "  LoG: {sigma: [1.0, 2.0], binWidth: 5.0}\n", "to_pyradiomics: LoG with its binWidth", true)
T.like(text, "  Square: {binCount: 16, distances: [2], weightingNorm: 'manhattan'}\n",
  "to_pyradiomics: Square with its settings", true)
T.is(rad.settings.digest(rad.settings.from_pyradiomics(file("rt.yaml", text))), rad.settings.digest(s),
  "to_pyradiomics then from_pyradiomics: the same settings digest")
T.errors(function()
  rad.settings.to_pyradiomics{compat = "pyradiomics", filters = {{"pylog", sigma = 1, pyradiomics = {binWidth = 5}},
    {"pylog", sigma = 2}}}
end, "filters[1] and filters[2] are both image type LoG with different pyradiomics settings ({binWidth: 5.0} and {})",
  "to_pyradiomics: one image type, two sets of settings")
local off = {compat = "pyradiomics", pyradiomics = {original = false}, filters = {{"square"}}}
local offtext = rad.settings.to_pyradiomics(off)
T.ok(not offtext:find("Original") and not offtext:find("original:"),
  "to_pyradiomics: original = false writes no Original and no 'original' setting")
T.is(rad.settings.digest(rad.settings.from_pyradiomics(file("off.yaml", offtext))), rad.settings.digest(off),
  "original = false round-trips")
T.ok(rad.settings.digest(off) ~= rad.settings.digest{compat = "pyradiomics", filters = {{"square"}}},
  "original = false changes the digest")
local fc = rad.extract(img, mask, {compat = "pyradiomics", filters = {{"square"}},
  pyradiomics = {original = false, featureClass = {glcm = {"Contrast"}, shape = {"VoxelVolume"}}}})
T.is(table.concat(fc:names(), ","), "original_shape_VoxelVolume,square_glcm_Contrast",
  "original = false with featureClass lists: the listed shape and the image type's listed features")
T.errors(function()
  rad.extract(img, mask, {compat = "pyradiomics", filters = {{"square"}},
    pyradiomics = {original = false, featureClass = {glcm = {"Contrst"}}}})
end, "pyradiomics.featureClass names glcm_Contrst", "original = false: a misspelt feature is still an error")

-- 4. Wavelet start_level: levels start_level + 1 ... named from wavelet- as PyRadiomics names them
local w = rad.settings.from_pyradiomics(file("wsl.yaml",
  "imageType:\n  Original: {}\n  Wavelet: {start_level: 1, level: 2, wavelet: haar}\n"))
T.is(#w.filters, 15, "Wavelet start_level 1, level 2: 7 details per level and the last approximation")
T.is(w.filters[1].start_level, 1, "the filters carry start_level")
local wfs = rad.extract(img, mask, w)
T.ok(wfs["wavelet-LLH_firstorder_Mean"] and wfs["wavelet2-HHH_firstorder_Mean"] and wfs["wavelet2-LLL_firstorder_Mean"]
  and not wfs["wavelet3-LLL_firstorder_Mean"], "start_level 1: names wavelet-, wavelet2- (the index from start_level)")
-- wavelet-LLH at start_level 1 is the LLH of the second decomposition: level 2 at start_level 0, by another name
local a = rad.extract(img, mask, {compat = "pyradiomics", filters = {{"pywavelet", family = "haar", band = "LLH",
  start_level = 1}}})
local b = rad.extract(img, mask, {compat = "pyradiomics", filters = {{"pywavelet", family = "haar", band = "LLH",
  level = 2}}})
local wa, wb = of_type(a, "wavelet-LLH"), {}
for k, v in pairs(of_type(b, "wavelet2-LLH")) do wb[k:gsub("^wavelet2%-", "wavelet-")] = v end
T.is(worst(wa, wb), 0, "start_level 1 level 1 = level 2 of start_level 0 (wavelet-LLH = wavelet2-LLH)")
T.like(rad.settings.to_pyradiomics(w), "  Wavelet: {wavelet: 'haar', level: 2, start_level: 1}\n",
  "to_pyradiomics writes start_level", true)
T.is(rad.settings.digest(rad.settings.from_pyradiomics(file("wsl2.yaml", rad.settings.to_pyradiomics(w)))),
  rad.settings.digest(w), "start_level round-trips")
T.ok(rad.settings.digest{compat = "pyradiomics", filters = {{"pywavelet", band = "LLH", start_level = 1}}} ~=
  rad.settings.digest{compat = "pyradiomics", filters = {{"pywavelet", band = "LLH"}}}, "start_level changes the digest")

-- 5. bad input
local function bad(settings, want, name)
  T.errors(function() rad.settings.check(settings) end, want, name)
end
local function pyf(ov) return {compat = "pyradiomics", filters = {{"square", pyradiomics = ov}}} end
bad(pyf{normalize = true}, "settings.filters[1].pyradiomics.normalize: PyRadiomics applies normalize once, with the "
  .. "general settings, before any image type", "a general-only setting per image type")
bad(pyf{resampledPixelSpacing = {1, 1, 1}}, "pyradiomics.resampledPixelSpacing: PyRadiomics applies "
  .. "resampledPixelSpacing once", "resampling per image type")
bad(pyf{label = 2}, "settings.filters[1].pyradiomics.label: radlab selects the label when it reads the mask",
  "label per image type")
bad(pyf{binwidth = 5}, "settings.filters[1].pyradiomics: unknown setting 'binwidth' (did you mean binWidth?)",
  "a misspelt setting, with a suggestion")
bad(pyf{binWidth = "5"}, "settings.filters[1].pyradiomics.binWidth must be a finite number, got string", "binWidth type")
bad(pyf{binCount = 2.5}, "settings.filters[1].pyradiomics.binCount must be an integer 1..65535, got 2.5",
  "binCount type")
bad(pyf{force2D = 1}, "settings.filters[1].pyradiomics.force2D must be true or false, got number", "force2D type")
bad(pyf{weightingNorm = "l2"}, "weightingNorm must be one of no_weighting, manhattan, euclidean, infinity, got l2",
  "weightingNorm value")
bad(pyf{distances = 2}, "settings.filters[1].pyradiomics.distances must be {d}", "distances type")
bad(pyf{binWidth = 5, binCount = 8}, "filters[1].pyradiomics: give binWidth or binCount, not both", "both bin settings")
bad({compat = "pyradiomics", pyradiomics = {binCount = 16}, filters = {{"square", pyradiomics = {binWidth = 5}}}},
  "filters[1].pyradiomics: binWidth has no effect: the general pyradiomics.binCount = 16 wins in PyRadiomics",
  "binWidth under a general binCount")
bad({filters = {{"log", sigma = 1, pyradiomics = {binWidth = 5}}}},
  "settings.filters[1].pyradiomics (an image type's own PyRadiomics settings) needs compat = \"pyradiomics\"",
  "pyradiomics per filter in IBSI mode")
bad(pyf(5), "settings.filters[1].pyradiomics must be a table of PyRadiomics settings", "not a table")
bad({compat = "pyradiomics", pyradiomics = {original = false}}, "pyradiomics.original = false measures no image but "
  .. "the shape", "original = false without image types")
bad({compat = "pyradiomics", filters = {{"pywavelet", band = "LLH", level = 4, start_level = 13}}},
  "option 'start_level' of the pywavelet filter must be 0..12", "start_level + level above 16")
bad({compat = "pyradiomics", filters = {{"pywavelet", band = "LLH", start_level = 1}, {"pywavelet", band = "LLH"}}},
  "filters[1] and filters[2] are both PyRadiomics' image type wavelet-LLH", "one name, two start levels")
local function refused(name, text, want)
  T.errors(function() rad.settings.from_pyradiomics(file(name, text)) end, want, name)
end
refused("norm.yaml", "imageType:\n  LoG:\n    sigma: [1.0]\n    normalize: true\n",
  "norm.yaml:4: 'normalize' of image type LoG has no effect in PyRadiomics")
refused("typo.yaml", "imageType:\n  LoG:\n    sigma: [1.0]\n    binwidth: 5\n",
  "typo.yaml:4: unknown option 'binwidth' of image type LoG (did you mean binWidth?)")
refused("type.yaml", "imageType:\n  Square: {binCount: 2.5}\n", "type.yaml:2: binCount of image type Square must be "
  .. "an integer, got number")
refused("null.yaml", "imageType:\n  Square:\n    binWidth:\n", "null.yaml:3: binWidth: null in an image type's settings")
refused("origown.yaml", "imageType:\n  Original: {binWidth: 5}\n", "origown.yaml:2: settings of image type Original "
  .. "are not reproduced")
refused("w2d.yaml", "imageType:\n  Wavelet: {force2D: true, force2Ddimension: 1}\n", "w2d.yaml:2: Wavelet with "
  .. "force2D and force2Ddimension 1 is not reproduced")
local w2 = rad.settings.from_pyradiomics(file("w2ok.yaml", "imageType:\n  Original: {}\n  Wavelet: {force2D: true}\n"))
T.is(#w2.filters .. " " .. w2.filters[1].band .. " " .. tostring(w2.filters[1].pyradiomics.force2D), "4 HH true",
  "Wavelet {force2D: true}: its own force2D gives the 2D bands (3 details and LL)")
refused("lbl.yaml", "imageType:\n  Square: {label: 2}\n", "lbl.yaml:2: label of image type Square")
T.done()
