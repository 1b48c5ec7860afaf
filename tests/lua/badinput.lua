-- radlab: every kind of bad input gets a clear error, never a crash.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local dir = T.tmpdir()

local function write(path, bytes)
  local f = assert(io.open(path, "wb")); f:write(bytes); f:close()
end
local function slurp(path)
  local f = assert(io.open(path, "rb")); local s = f:read("a"); f:close(); return s
end

-- A NIfTI-1 header built byte by byte (layout of nifti1.h), so that the test
-- does not depend on the writer under test.
local function nifti1(dims, datatype, bitpix, data)
  local dim = {#dims, 1, 1, 1, 1, 1, 1, 1}
  for i, d in ipairs(dims) do dim[i + 1] = d end
  local hdr = string.pack("<i4c10c18i4i2c1c1" .. ("i2"):rep(8) .. "fffi2i2i2i2" .. ("f"):rep(8) ..
      "fffi2c1c1ffffi4i4c80c24i2i2ffffff" .. ("f"):rep(12) .. "c16c4",
    348, "", "", 0, 0, "r", "\0", dim[1], dim[2], dim[3], dim[4], dim[5], dim[6], dim[7], dim[8],
    0, 0, 0, 0, datatype, bitpix, 0,
    1, 1, 1, 1, 1, 1, 1, 1,                     -- pixdim
    352, 1, 0, 0, "\0", "\2", 0, 0, 0, 0, 0, 0, -- vox_offset, scl, slice, units, cal
    "", "", 0, 0, 0, 0, 0, 0, 0, 0,             -- descrip, aux, qform/sform codes, quatern, qoffset
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", "n+1\0")
  assert(#hdr == 348)
  return hdr .. "\0\0\0\0" .. data
end

-- a well-formed file first, to show the builder is right
write(dir .. "/good.nii", nifti1({2, 2, 2}, 4, 16, string.pack("<" .. ("i2"):rep(8), 1, 2, 3, 4, 5, 6, 7, 8)))
local good = rad.read(dir .. "/good.nii")
T.is(good:get(2, 2, 2), 8.0, "hand-built NIfTI header reads (control)")

T.errors(function() rad.read(dir .. "/none.nii.gz") end, "cannot open '" .. dir .. "/none.nii.gz': No such file", "missing file")

write(dir .. "/notes.nii", "patient 1: tumour in left lobe\nsecond line\n")
T.errors(function() rad.read(dir .. "/notes.nii") end, "is not a NIfTI file", "a text file named .nii")

write(dir .. "/short.nii", nifti1({4, 4, 4}, 4, 16, ("\1\0"):rep(40)))
T.errors(function() rad.read(dir .. "/short.nii") end, "is truncated: the header promises 128 bytes of voxel data (4x4x4 int16), the file holds 80",
  "header/data size mismatch")

write(dir .. "/rgb.nii", nifti1({2, 2, 2}, 128, 24, ("\0"):rep(24)))
T.errors(function() rad.read(dir .. "/rgb.nii") end, "unsupported NIfTI datatype RGB24 (code 128)", "unsupported datatype")

write(dir .. "/complex.nii", nifti1({2, 2, 2}, 32, 64, ("\0"):rep(64)))
T.errors(function() rad.read(dir .. "/complex.nii") end, "unsupported NIfTI datatype COMPLEX64", "complex datatype")

write(dir .. "/dwi.nii", nifti1({2, 2, 2, 6}, 2, 8, ("\0"):rep(48)))
T.errors(function() rad.read(dir .. "/dwi.nii") end, "is a 4D image (dimension 4 has 6 time points)", "4D image names the dimension")

-- truncated .nii.gz: write a real one and cut it
local big = rad.image.new{size = {32, 32, 8}}
for k = 1, 8 do for j = 1, 32 do for i = 1, 32 do big:set(i, j, k, math.sin(i * j * k)) end end end
big:write(dir .. "/full.nii.gz")
local bytes = slurp(dir .. "/full.nii.gz")
write(dir .. "/cut.nii.gz", bytes:sub(1, #bytes // 2))
T.errors(function() rad.read(dir .. "/cut.nii.gz") end, "is truncated", "truncated .nii.gz")
write(dir .. "/cuthead.nii.gz", bytes:sub(1, 40))
T.errors(function() rad.read(dir .. "/cuthead.nii.gz") end, "cuthead.nii.gz", "gzip cut inside the header")

-- truncated NRRD and PNG
big:write(dir .. "/full.nrrd")
bytes = slurp(dir .. "/full.nrrd")
write(dir .. "/cut.nrrd", bytes:sub(1, #bytes - 500))
T.errors(function() rad.read(dir .. "/cut.nrrd") end, "cut.nrrd", "truncated .nrrd names the file")
write(dir .. "/notes.nrrd", "hello\n")
T.errors(function() rad.read(dir .. "/notes.nrrd") end, "not", "text named .nrrd")
write(dir .. "/notes.png", "hello, not a picture\n")
T.errors(function() rad.read(dir .. "/notes.png") end, "is not a PNG file", "text named .png")

-- unknown format
write(dir .. "/scan.mha", "ObjectType = Image")
T.errors(function() rad.read(dir .. "/scan.mha") end, "unknown image format; radlab reads NIfTI (.nii, .nii.gz), NRRD (.nrrd, .nhdr), PNG (.png) and DICOM (.dcm, or a folder that holds a series)",
  "unknown extension lists the formats")

-- masks: empty, absent label, non-integer labels
local m = rad.mask.new{size = {4, 4, 4}}
m:write(dir .. "/empty.nii.gz")
T.errors(function() rad.read_mask(dir .. "/empty.nii.gz") end, "the mask is empty: every voxel is 0", "empty mask")
m:set(1, 1, 1, 2); m:write(dir .. "/two.nii.gz")
T.errors(function() rad.read_mask(dir .. "/two.nii.gz", {label = 1}) end, "no voxel has label 1 (labels present: 2 (1 voxels))",
  "absent label lists the labels present")
T.errors(function() rad.read_mask(dir .. "/two.nii.gz", {label = 300}) end, "label must be 0..255", "label out of range")
T.errors(function() rad.read_mask(dir .. "/two.nii.gz", {label = "1"}) end, "option 'label' must be an integer", "label wrong type")
write(dir .. "/prob.nii", nifti1({2, 2, 2}, 16, 32, string.pack("<" .. ("f"):rep(8), 0, 0.25, 1, 1, 0, 0, 0, 0)))
T.errors(function() rad.read_mask(dir .. "/prob.nii") end, "is not a label mask: voxel (2, 1, 1) (1-based) holds 0.25", "probability map as mask")

-- image/mask geometry mismatch
local img = rad.image.new{size = {4, 4, 4}, spacing = {1, 1, 1}}
local shifted = rad.mask.new{size = {4, 4, 4}, origin = {0, 0, 5}}
shifted:set(1, 1, 1, 1)
T.errors(function() img:stats(shifted) end, "image and mask geometries differ", "geometry mismatch")

-- nothing written on failure
T.errors(function() img:write(dir .. "/missing/dir/out.nii.gz") end, "cannot write", "write into a missing folder")
local listing = io.popen("ls -a '" .. dir .. "'"):read("a")
T.ok(not listing:find("rad%-tmp"), "no partial files left behind")

-- PyRadiomics parameter files (rad.settings.from_pyradiomics, radlab extract --params)
local function params(name, text)
  write(dir .. "/" .. name, text)
  return dir .. "/" .. name
end
local p = params("syntax.yaml", "setting:\n  binWidth: 25\n  label: [1\n")
T.errors(function() rad.settings.from_pyradiomics(p) end, p .. ":4:1: did not find expected ',' or ']'",
  "parameter file: a YAML syntax error names line and column")
p = params("typo.yaml", "setting:\n  binWidth: 25\n  binCuont: 16\n")
T.errors(function() rad.settings.from_pyradiomics(p) end,
  p .. ":3: 'binCuont' is not a PyRadiomics setting radlab knows (did you mean binCount?)",
  "parameter file: an unknown setting names its line and the likely key")
p = params("type.yaml", "setting:\n  label: 1\n  binWidth: wide\n")
T.errors(function() rad.settings.from_pyradiomics(p) end, p .. ":3: setting.binWidth must be a number, got string",
  "parameter file: a wrong type names its line")
p = params("itype.yaml", "imageType:\n  Original: {}\n  Sobel: {}\n")
T.errors(function() rad.settings.from_pyradiomics(p) end, p .. ":3: unknown image type 'Sobel' (Original, LoG",
  "parameter file: an image type radlab lacks")
p = params("list.yaml", "- setting\n- imageType\n")
T.errors(function() rad.settings.from_pyradiomics(p) end, "a parameter file is a mapping with the sections setting, "
  .. "imageType and featureClass, not a list", "parameter file: a list at the top")
p = params("binary.yaml", "\0\1\255\254 not yaml")
T.errors(function() rad.settings.from_pyradiomics(p) end, p .. ":1:1: control characters are not allowed",
  "parameter file: binary bytes")
T.errors(function() rad.settings.from_pyradiomics(dir .. "/absent.yaml") end,
  "cannot open '" .. dir .. "/absent.yaml': No such file", "parameter file: missing")
p = params("lacks.yaml", "setting:\n  correctMask: true\n")
T.errors(function() rad.settings.from_pyradiomics(p) end, p .. ":2: setting 'correctMask' is not reproduced by radlab",
  "parameter file: an option radlab lacks is named, not ignored")
p = params("fclass.yaml", "featureClass:\n  glcm: [Contrast, Contrsat]\n")
local pys = rad.settings.from_pyradiomics(p)
local pimg = rad.image.new{size = {6, 6, 6}}
for k = 1, 6 do for j = 1, 6 do for i = 1, 6 do pimg:set(i, j, k, (i * 3 + j * 5 + k) % 7) end end end
local pmask = rad.mask.new(pimg)
for k = 2, 5 do for j = 2, 5 do for i = 2, 5 do pmask:set(i, j, k, 1) end end end
T.errors(function() rad.extract(pimg, pmask, pys) end, "names glcm_Contrsat, which PyRadiomics compatibility mode does "
  .. "not compute (did you mean Contrast?)", "featureClass: a feature name that does not exist, with the close name")
-- a 2D PyRadiomics wavelet out of the axial plane (general or per image type force2Ddimension)
T.errors(function() rad.settings.check{compat = "pyradiomics", pyradiomics = {force2D = true, force2Ddimension = 1},
  filters = {{"pywavelet", band = "LH", dims = 2}}} end,
  "filters[1]: a 2D pywavelet filters the axial plane, but force2Ddimension = 1 asks PyRadiomics' wavelet to filter "
  .. "the coronal plane", "2D pywavelet with force2Ddimension 1")
T.errors(function() rad.settings.check{compat = "pyradiomics",
  filters = {{"pywavelet", band = "LH", dims = 2, pyradiomics = {force2D = true, force2Ddimension = 2}}}} end,
  "force2Ddimension = 2 asks PyRadiomics' wavelet to filter the sagittal plane", "2D pywavelet, its own force2Ddimension 2")
-- writing one: a folder that does not exist leaves nothing behind
T.errors(function() rad.settings.to_pyradiomics({compat = "pyradiomics"}, dir .. "/no/such/Params.yaml") end,
  "cannot write '" .. dir .. "/no/such/Params.yaml'", "to_pyradiomics: an unwritable path")
T.errors(function() rad.settings.to_pyradiomics({}) end, "settings need compat = \"pyradiomics\"",
  "to_pyradiomics: IBSI settings")

-- the Lua state is still fine after all of this
T.is(rad.read(dir .. "/good.nii"):get(1, 1, 1), 1.0, "still working after the errors")

T.done()
