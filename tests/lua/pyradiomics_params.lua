-- radlab: PyRadiomics parameter files (rad.settings.from_pyradiomics,
-- to_pyradiomics, radlab extract --params).  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local dir = T.tmpdir()
local file = T.file

local img, mask, nx, ny, nz = T.volume()

-- a parameter file reads as the settings written by hand
local p = file("p.yaml", [[
imageType:
  Original: {}
  LoG: {sigma: [1.0, 2.5]}
  Square: {}
  LBP2D: {lbp2DRadius: 2}
featureClass:
  firstorder:
  glcm: [Contrast, Idm, JointAverage]
  ngtdm: []
setting:
  binWidth: 5
  voxelArrayShift: 100
  label: 1
  resampledPixelSpacing:   # null: no resampling
]])
local s = rad.settings.from_pyradiomics(p)
local by_hand = {compat = "pyradiomics",
  pyradiomics = {binWidth = 5, voxelArrayShift = 100, label = 1,
    featureClass = {firstorder = rad.NA, glcm = {"Contrast", "Idm", "JointAverage"}, ngtdm = rad.NA}},
  filters = {{"lbp2d", radius = 2, points = 8, method = "uniform"}, {"pylog", sigma = 1}, {"pylog", sigma = 2.5},
    {"square"}}}
T.is(rad.settings.digest(s), rad.settings.digest(by_hand), "Params.yaml reads as the same settings written by hand")
local fs = rad.extract(img, mask, s)
local glcm, shape = {}, 0
for _, n in ipairs(fs:names()) do
  local c = n:match("^original_glcm_(.+)$")
  if c then glcm[#glcm + 1] = c end
  if n:match("_shape_") then shape = shape + 1 end
end
table.sort(glcm)
T.is(table.concat(glcm, ","), "Contrast,Idm,JointAverage", "featureClass glcm list: only those three GLCM features")
T.is(shape, 0, "shape not listed in featureClass: not computed")
T.ok(fs["log-sigma-2-5-mm-3D_glcm_Idm"] and fs["lbp-2D_ngtdm_Coarseness"] and fs["square_firstorder_Mean"],
  "image types LoG (log-sigma-2-5-mm-3D), LBP2D (lbp-2D), Square under PyRadiomics' names")
T.is(fs["original_glcm_SumAverage"], nil, "a GLCM feature the list leaves out is not computed")

-- to_pyradiomics writes a file that reads back to the same settings
local text = rad.settings.to_pyradiomics(s, dir .. "/back.yaml")
T.like(text, "LoG: {sigma: [1.0, 2.5]}", "to_pyradiomics: the LoG sigmas", true)
T.like(text, "voxelArrayShift: 100\n", "to_pyradiomics: an integer option as an integer (PyRadiomics' schema)", true)
T.is(rad.settings.digest(rad.settings.from_pyradiomics(dir .. "/back.yaml")), rad.settings.digest(s),
  "to_pyradiomics then from_pyradiomics: the same settings")
local w = rad.settings.from_pyradiomics(file("w.yaml", "imageType: {Original: {}, Wavelet: {level: 2}}\n"))
T.is(#w.filters, 15, "Wavelet level 2: 7 details per level and the last approximation")
T.is(rad.settings.digest(rad.settings.from_pyradiomics(file("w2.yaml", rad.settings.to_pyradiomics(w)))),
  rad.settings.digest(w), "a wavelet parameter file round-trips")

-- what the reader refuses, with the line
local function refused(name, text, want)
  T.errors(function() rad.settings.from_pyradiomics(file(name, text)) end, want, name)
end
refused("typo.yaml", "setting:\n  label: 1\n  binwidth: 25\n", "typo.yaml:3: 'binwidth' is not a PyRadiomics setting radlab knows (did you mean binWidth?)")
refused("lacks.yaml", "setting:\n  correctMask: true\n", "lacks.yaml:2: setting 'correctMask' is not reproduced by radlab")
refused("exp.yaml", "setting:\n  binWidth: 1e-3\n", "exp.yaml:2: '1e-3' is a string in YAML 1.1")
refused("type.yaml", "imageType:\n  Original: {}\n  Sobel: {}\n", "type.yaml:3: unknown image type 'Sobel'")
-- an image type's own settings, start_level and imageType without Original: tests/lua/pyradiomics_types.lua
refused("custom.yaml", "imageType:\n  Original: {}\n  LoG:\n    sigma: [1.0]\n    resegmentRange: [0, 100]\n",
  "custom.yaml:5: 'resegmentRange' of image type LoG has no effect in PyRadiomics")
refused("nosigma.yaml", "imageType:\n  Original: {}\n  LoG: {}\n", "nosigma.yaml:3: LoG needs sigma")
refused("voxel.yaml", "voxelSetting:\n  kernelRadius: 0\n", "voxel.yaml:2: kernelRadius must be a whole number of voxels 1..1000, got 0")
T.errors(function()
  rad.extract(img, mask, (rad.settings.from_pyradiomics(file("c2.yaml", "featureClass:\n  glcm: [Contrst]\n"))))
end, "pyradiomics.featureClass names glcm_Contrst", "a feature name that does not exist is an error at extraction")
refused("shape2d.yaml", "featureClass:\n  shape2D:\n", "radlab has no shape2D")
refused("syntax.yaml", "setting:\n  binWidth: [25\n", "syntax.yaml:")
refused("rel.yaml", "setting:\n  resegmentRange: [-3, 3]\n  resegmentMode: relative\n", "rel.yaml:3: setting.resegmentMode \"relative\"")

-- the command line
local R = os.getenv("RADLAB") or "./radlab"
local ip, mp = dir .. "/img.nii.gz", dir .. "/mask.nii.gz"
img:write(ip)
mask:write(mp)
local h = io.popen(string.format("'%s' extract '%s' '%s' --params '%s' 2>&1", R, ip, mp, p))
local out = h:read("a")
h:close()
T.like(out, "\noriginal_glcm_Idm,", "radlab extract --params: PyRadiomics names")
T.like(out, "\nlog%-sigma%-1%-0%-mm%-3D_firstorder_Mean,", "radlab extract --params: image types")
h = io.popen(string.format("'%s' extract '%s' '%s' --params '%s' -s '%s' 2>&1; echo status=$?", R, ip, mp, p, p))
out = h:read("a")
h:close()
T.like(out, "give one settings file: %-s SETTINGS.lua or %-%-params Params.yaml", "-s and --params together")
T.done()
