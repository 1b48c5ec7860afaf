-- radlab bad-input suite: rad.feature_map and radlab map.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

-- a 4x4x2 block of intensities 2..11 in a 6x6x4 image
local ct = rad.image.new{size = {6, 6, 4}, spacing = {1, 1, 2}}
local roi = rad.mask.new(ct)
for k = 2, 3 do for j = 2, 5 do for i = 2, 5 do ct:set(i, j, k, i + j + k); roi:set(i, j, k, 1) end end end
local out = B.dir .. "/map.nii.gz"
-- map and write: a case passes only if the map fails and no image appears
local function case(name, opts, text, settings, image, m)
  B.call(name, function()
    local maps = rad.feature_map(image or ct, m or roi, settings or {}, opts)
    for _, im in pairs(maps) do im:write(out) end
  end, text, {writes = {out}})
end

case("map: radius 0", {features = {"stat"}, radius = 0}, "radius must be 1..1000 voxels, got 0")
case("map: negative radius", {features = {"stat"}, radius = -2}, "radius must be 1..1000 voxels, got -2")
case("map: radius not a whole number", {features = {"stat"}, radius = 1.5}, "radius")
case("map: radius larger than the image", {features = {"stat"}, radius = 4},
  "radius 4 is not smaller than the image along z (4 voxels): a window of 9 voxels would hold the whole image; use a radius of at most 3")
case("map: unknown feature, close to a tag", {features = {"cm_contrst_3D_avg"}},
  "unknown feature 'cm_contrst_3D_avg' (did you mean cm_contrast_3D_avg")
case("map: unknown feature, close to a family", {features = {"glcm"}}, "unknown feature 'glcm' (did you mean cm")
case("map: unknown feature, nothing close", {features = {"wavelet_energy_of_everything"}},
  "give a family (stat, ih, cm, rlm, szm, dzm, ngt, ngl) or a tag of one")
case("map: aggregation not in the settings", {features = {"cm_contrast_2D_avg"}},
  "unknown feature 'cm_contrast_2D_avg' (did you mean cm_contrast_3D_avg")
case("map: a sphere in compatibility mode", {features = {"glcm"}, shape = "sphere"},
  "PyRadiomics' kernels are cubes (kernelRadius): shape = \"sphere\" has no equivalent", {compat = "pyradiomics"})
case("map: an IBSI tag in compatibility mode", {features = {"cm_contrast"}},
  "unknown PyRadiomics feature 'cm_contrast'", {compat = "pyradiomics"})
case("map: morphology is refused", {features = {"morph"}}, "the morph family (Morphology) describes a whole region")
case("map: a morphology tag is refused", {features = {"morph_volume"}}, "the morph family (Morphology) describes a whole region")
case("map: local intensity is refused", {features = {"loc_peak_loc"}}, "the loc family (Local intensity)")
case("map: intensity-volume histogram is refused", {features = {"ivh"}}, "the ivh family")
case("map: no features", {}, "features must be a family")
case("map: empty feature list", {features = {}}, "features is an empty array")
case("map: feature not a string", {features = {"stat", 3}}, "features[2] must be a string, got number")
case("map: unknown shape", {features = {"stat"}, shape = "ball"}, 'shape must be "cube" or "sphere", got "ball"')
case("map: unknown option", {features = {"stat"}, radious = 2}, "unknown option 'radious'")
case("map: masked not a boolean", {features = {"stat"}, masked = "no"}, "masked must be true or false, got string")
case("map: unknown method", {features = {"stat"}, method = "quick"}, 'method must be "fast" or "direct"')
case("map: no options table", nil, "give the options table")
case("map: interpolation is refused", {features = {"stat"}},
  "a map lives on the image's own grid, but the settings interpolate", {resample = {spacing = {2, 2, 2}}})
case("map: unmasked with outlier filtering", {features = {"stat"}, masked = false},
  "masked = false with outlier re-segmentation", {resegment = {outliers = 3}})
case("map: empty mask", {features = {"stat"}}, "the mask selects no voxels", nil, nil, rad.mask.new(ct))
local other = rad.mask.new{size = {6, 6, 4}, spacing = {1, 1, 1}}
other:set(3, 3, 2, 1)
case("map: mismatched geometry", {features = {"stat"}}, "image and mask geometries differ", nil, nil, other)
do
  local nan = ct:copy()
  nan:set(1, 1, 2, 0 / 0)
  case("map: unmasked window over a NaN", {features = {"stat"}, masked = false}, "near the ROI is not finite (NaN)", nil, nan)
end
case("map: unmasked window without discretisation over non-integer intensities", {features = {"ih"}, masked = false},
  "without discretisation the intensities are the grey levels", {discretise = {method = "none"}},
  (function() local c = ct:copy(); c:set(1, 1, 2, 0.5); return c end)())

-- radlab map: usage errors and output folders, nothing written
local img, msk = B.dir .. "/img.nii.gz", B.dir .. "/msk.nii.gz"
ct:write(img)
roi:write(msk)
local mapdir = B.dir .. "/maps"
os.execute("mkdir -p '" .. mapdir .. "'")
local written = {mapdir .. "/stat_mean.nii.gz", mapdir .. "/cm_contrast_3D_avg.nii.gz"}
B.cli("radlab map: no features", {"map", img, msk, "-o", mapdir}, {status = 2, stderr = "map: needs --features", writes = written})
B.cli("radlab map: no output folder", {"map", img, msk, "--features", "stat"}, {status = 2, stderr = "map: needs -o DIR", writes = written})
B.cli("radlab map: bad radius", {"map", img, msk, "--features", "stat", "--radius", "0", "-o", mapdir},
  {status = 2, stderr = "--radius must be a whole number of voxels >= 1, got 0", writes = written})
B.cli("radlab map: bad shape", {"map", img, msk, "--features", "stat", "--shape", "ball", "-o", mapdir},
  {status = 2, stderr = "--shape must be cube or sphere, got ball", writes = written})
B.cli("radlab map: unknown feature among known ones", {"map", img, msk, "--features", "stat_mean,cm_contrast_3D_avg,ngt_coarsenes",
  "-r", "1", "-o", mapdir}, {status = 1, stderr = "unknown feature 'ngt_coarsenes' (did you mean ngt_coarseness", writes = written})
B.cli("radlab map: folder that does not exist", {"map", img, msk, "--features", "stat_mean", "-r", "1", "-o", B.dir .. "/none/maps"},
  {status = 1, stderr = "cannot write into the folder '" .. B.dir .. "/none/maps' (it does not exist or is not writable)",
   writes = {B.dir .. "/none/maps/stat_mean.nii.gz"}})
os.execute("mkdir -p '" .. B.dir .. "/ro' && chmod a-w '" .. B.dir .. "/ro'")
local probe = io.open(B.dir .. "/ro/probe", "w") -- root writes anyway: then the case cannot be made
if probe then
  probe:close()
  os.remove(B.dir .. "/ro/probe")
  B.T.skip(4, "running as a user who can write into a read-only folder (root): no unwritable folder to test")
else
  B.cli("radlab map: folder that cannot be written", {"map", img, msk, "--features", "stat_mean", "-r", "1", "-o", B.dir .. "/ro"},
    {status = 1, stderr = "cannot write into the folder", writes = {B.dir .. "/ro/stat_mean.nii.gz"}})
end
os.execute("chmod u+w '" .. B.dir .. "/ro'")
B.cli("radlab map: a radius larger than the image", {"map", img, msk, "--features", "stat_mean", "-r", "5", "-o", mapdir},
  {status = 1, stderr = "radius 5 is not smaller than the image", writes = written})

B.done()
