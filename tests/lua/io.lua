-- radlab: reading and writing images and masks from Lua.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local dir = T.tmpdir()

local img = rad.image.new{size = {6, 5, 4}, spacing = {0.7, 0.8, 2.5}, origin = {-12, 7.5, 30}}
for k = 1, 4 do for j = 1, 5 do for i = 1, 6 do
  img:set(i, j, k, (i * 7 + j * 13 + k * 29) % 50 - 20.25)
end end end
local mask = rad.mask.new(img)
mask:set(2, 2, 2, 1); mask:set(3, 2, 2, 1); mask:set(5, 5, 4, 3)

local function same_image(a, b)
  local nx, ny, nz = a:size()
  for k = 1, nz do for j = 1, ny do for i = 1, nx do
    if a:get(i, j, k) ~= b:get(i, j, k) then return false end
  end end end
  return true
end

for _, ext in ipairs{".nii", ".nii.gz", ".nrrd", ".nhdr"} do
  local path = dir .. "/img" .. ext
  img:write(path)
  local back = rad.read(path)
  T.ok(same_image(img, back), "image round trip through " .. ext .. " is exact")
  local ox, oy, oz = back:origin()
  T.ok(math.abs(ox + 12) < 1e-4 and math.abs(oy - 7.5) < 1e-4 and math.abs(oz - 30) < 1e-4, ext .. " keeps the origin")
  local sx, _, sz = back:spacing()
  T.ok(math.abs(sx - 0.7) < 1e-6 and math.abs(sz - 2.5) < 1e-6, ext .. " keeps the spacing")
  local mpath = dir .. "/mask" .. ext
  mask:write(mpath)
  local mb = rad.read_mask(mpath)
  T.is(mb:count(), 3, ext .. " mask keeps its voxels")
  local l3 = rad.read_mask(mpath, {label = 3})
  T.is(l3:count(), 1, ext .. " read_mask {label = 3}")
  T.is(l3:label(), 3, ext .. " the selected label is remembered")
end

-- PNG: a 2D image written with its full range, read back as 8-bit grey
local flat = rad.image.new{size = {4, 2}}
for i = 1, 4 do flat:set(i, 1, (i - 1) * 10); flat:set(i, 2, 30) end
flat:write(dir .. "/flat.png")
local p = rad.read(dir .. "/flat.png")
T.is(p:ndim(), 2, "PNG reads as 2D")
T.ok(p:get(1, 1) == 0 and p:get(4, 1) == 255 and p:get(4, 2) == 255, "PNG uses the full 0..255 range")
T.is(p:get(2, 1), 85.0, "PNG value 10 of 0..30 -> 85")
T.errors(function() img:write(dir .. "/vol.png") end, "one 2D slice", "3D image to PNG needs a slice")

img:write_slice(dir .. "/slice.png", {slice = 2, level = 0, width = 40})
local s = rad.read(dir .. "/slice.png")
local sx, sy = s:size()
T.ok(sx == 6 and sy == 5, "write_slice writes nx x ny pixels")
-- voxel value v maps to round((v + 20) / 40 * 255) clamped
local v = img:get(3, 4, 2)
local want = math.max(0, math.min(255, math.floor((v + 20) * 255 / 40 + 0.5)))
T.is(s:get(3, 4), want + 0.0, "write_slice applies the window (voxel 3,4)")
T.errors(function() img:write_slice(dir .. "/x.png", {slice = 9}) end, "slice 9 is outside 1..4", "slice out of range")
T.errors(function() img:write_slice(dir .. "/x.png", {sl = 1}) end, "unknown option 'sl'", "write_slice option typo")

T.errors(function() img:write(dir .. "/img.tiff") end, "unknown image format", "unknown extension on write")
T.errors(function() rad.read(dir .. "/img.nii", {labl = 1}) end, "unknown option 'labl'", "rad.read rejects options")

-- NIfTI headers parsed by radlab itself (src/io/nifti.c): hand-made files
-- of tests/fuzz/corpus, values worked out from their bytes.
do
  local c = (os.getenv("top_srcdir") or ".") .. "/tests/fuzz/corpus/nifti/"
  -- NIfTI-1 big-endian int16, qform code 1: quaternion (0, 0, 1) is 180
  -- degrees about z, qoffset (4, 5, 6) RAS = (-4, -5, 6) LPS; pixdim 0.5 0.75 2
  local a = rad.read(c .. "n1_be_i16_qform.nii")
  local ox, oy, oz = a:origin()
  local sx, sy, sz = a:spacing()
  T.ok(ox == -4 and oy == -5 and oz == 6, "big-endian NIfTI-1 qform: origin (-4, -5, 6) LPS")
  T.ok(sx == 0.5 and sy == 0.75 and sz == 2, "big-endian NIfTI-1 qform: spacing 0.5 x 0.75 x 2")
  local dir9, ident = a:direction(), {1, 0, 0, 0, 1, 0, 0, 0, 1}
  local same = #dir9 == 9
  for i = 1, 9 do same = same and dir9[i] == ident[i] end
  T.ok(same, "RAS (-x, -y, z) is the LPS identity direction")
  T.ok(a:get(1, 1, 1) == -6 and a:get(3, 2, 2) == 5, "big-endian int16 voxels -6 .. 5 in x-fastest order")
  -- NIfTI-2 little-endian float64, sform rows (2,0,0,-1) (0,3,0,-2) (0,0,4,-3),
  -- scl_slope 2, scl_inter -1 over stored 0, 0.5, .., 3.5
  local b = rad.read(c .. "n2_f64_sform.nii")
  ox, oy, oz = b:origin()
  sx, sy, sz = b:spacing()
  T.ok(ox == 1 and oy == 2 and oz == -3 and sx == 2 and sy == 3 and sz == 4, "NIfTI-2 sform: origin (1, 2, -3), spacing 2 x 3 x 4")
  T.ok(b:get(1, 1, 1) == -1 and b:get(2, 2, 2) == 6, "NIfTI-2 float64 with scl_slope 2, scl_inter -1")
  -- NIfTI-2 big-endian uint16, 2D 4 x 2, stored 0..7
  local d = rad.read(c .. "n2_be_u16.nii")
  local nx, ny, nz = d:size()
  T.ok(nx == 4 and ny == 2 and nz == 1 and d:get(4, 2) == 13, "big-endian NIfTI-2 2D uint16: 4 x 2, last voxel 2 * 7 - 1")
end

-- ---- gzip files as other tools write them (libdeflate reads them member by member) ----
local function slurp(path)
  local f = assert(io.open(path, "rb")); local b = f:read("a"); f:close(); return b
end
local function spit(path, bytes)
  local f = assert(io.open(path, "wb")); f:write(bytes); f:close()
end
-- gzip each piece on its own and concatenate: a multi-member gzip file
local function members(path, bytes, cuts)
  local out, from = {}, 1
  cuts[#cuts + 1] = #bytes
  for i, to in ipairs(cuts) do
    local piece = dir .. "/piece" .. i
    spit(piece, bytes:sub(from, to))
    assert(os.execute("gzip -nf '" .. piece .. "'"))
    out[#out + 1] = slurp(piece .. ".gz")
    os.remove(piece .. ".gz")
    from = to + 1
  end
  spit(path, table.concat(out))
end
do
  img:write(dir .. "/plain.nii")
  local bytes = slurp(dir .. "/plain.nii")
  T.is(#bytes, 352 + 6 * 5 * 4 * 4, "the uncompressed NIfTI-1 file: 352-byte header, 120 float32 voxels")
  members(dir .. "/two.nii.gz", bytes, {500})
  T.ok(same_image(img, rad.read(dir .. "/two.nii.gz")), "a .nii.gz of two gzip members (cut in the voxels) reads exactly")
  members(dir .. "/three.nii.gz", bytes, {100, 352})
  T.ok(same_image(img, rad.read(dir .. "/three.nii.gz")), "a .nii.gz of three gzip members (cut in the header) reads exactly")
  -- bytes after the voxels (an extension-free file padded by some writer) are ignored, as before
  members(dir .. "/padded.nii.gz", bytes .. ("\0"):rep(1000), {})
  T.ok(same_image(img, rad.read(dir .. "/padded.nii.gz")), "a .nii.gz with 1000 bytes after the voxels reads exactly")
  -- a detached NRRD whose data file is two gzip members
  img:write(dir .. "/det.nhdr")
  local raw = io.popen("gzip -dc '" .. dir .. "/det.raw.gz'"):read("a")
  T.is(#raw, 6 * 5 * 4 * 4, "the detached NRRD data decompress to 120 float32 values")
  members(dir .. "/det.raw.gz", raw, {7})
  T.ok(same_image(img, rad.read(dir .. "/det.nhdr")), "a .nhdr whose .raw.gz has two gzip members reads exactly")
  -- image and mask read at the same time
  mask:write(dir .. "/case_mask.nii.gz")
  local ci, cm = rad.read_case(dir .. "/two.nii.gz", dir .. "/case_mask.nii.gz", {label = 1})
  T.ok(same_image(img, ci), "rad.read_case: the image as rad.read reads it")
  T.is(cm:count(), 2, "rad.read_case: label 1 selected, 2 voxels")
  T.is(cm:get(5, 5, 4), 3, "rad.read_case: the mask keeps its other labels")
  local _, cm0 = rad.read_case(dir .. "/two.nii.gz", dir .. "/case_mask.nii.gz")
  T.is(cm0:count(), 3, "rad.read_case without a label: every non-zero voxel (3)")
end

-- no temporary files are left behind
local listing = io.popen("ls -a '" .. dir .. "'"):read("a")
T.ok(not listing:find("rad%-tmp"), "no temporary files left in the output folder")

T.done()
