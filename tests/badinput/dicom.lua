-- radlab bad-input suite: DICOM image series (rad.read_dicom, rad.dicom.series,
-- rad.dicom.write_series).  Series are made with the writer or byte by byte,
-- then damaged in a temporary folder.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")
local dir = B.dir
rad.quiet(true)
local function mkdir(p) os.execute("mkdir -p '" .. p .. "'") return p end

-- one explicit-VR little-endian CT slice of 2 rows x 3 columns, byte by byte
local function el(g, e, vr, v)
  if vr == "OB" or vr == "OW" then return string.pack("<I2I2c2I2I4", g, e, vr, 0, #v) .. v end
  if #v % 2 == 1 then v = v .. (vr == "UI" and "\0" or " ") end
  return string.pack("<I2I2c2I2", g, e, vr, #v) .. v
end
local function us(v) return string.pack("<I2", v) end
local function slice(path, o)
  local ts = o.ts or "1.2.840.10008.1.2.1"
  local meta = el(2, 0x10, "UI", ts)
  local px = o.pixels or el(0x7fe0, 0x10, "OW", string.rep("\1\0", 6))
  local body = el(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.2") .. el(8, 0x18, "UI", "1.2.3.9." .. o.n)
    .. el(8, 0x60, "CS", "CT") .. el(0x20, 0x0e, "UI", o.series or "1.2.3.9")
    .. el(0x20, 0x32, "DS", o.ipp) .. el(0x20, 0x37, "DS", o.iop or "1\\0\\0\\0\\1\\0")
    .. el(0x28, 0x02, "US", us(1)) .. el(0x28, 0x04, "CS", "MONOCHROME2")
    .. el(0x28, 0x10, "US", us(2)) .. el(0x28, 0x11, "US", us(3)) .. el(0x28, 0x30, "DS", "1\\1")
    .. el(0x28, 0x100, "US", us(16)) .. el(0x28, 0x101, "US", us(16)) .. el(0x28, 0x102, "US", us(15))
    .. el(0x28, 0x103, "US", us(1)) .. px
  local f = assert(io.open(path, "wb"))
  f:write(string.rep("\0", 128), "DICM", string.pack("<I2I2c2I2I4", 2, 0, "UL", 4, #meta), meta, body)
  f:close()
end

local img = rad.image.new{size = {4, 3, 5}, spacing = {1, 1, 2}, value = 7}

B.call("read_dicom: a folder that does not exist", function() rad.read_dicom(dir .. "/none") end,
  "cannot open the DICOM folder '" .. dir .. "/none'")
B.call("read_dicom: a file, not a folder", function() rad.read_dicom(B.file("x.dcm", "abc")) end,
  "x.dcm' is not a folder")
B.call("rad.read: a .dcm file that is not DICOM", function() rad.read(B.file("junk.dcm", "not DICOM at all")) end,
  "junk.dcm': not a readable DICOM file")
local empty = mkdir(dir .. "/nodicom")
B.file("nodicom/readme.txt", "hello\n")
B.call("read_dicom: a folder with no DICOM", function() rad.read_dicom(empty) end, "no DICOM files in '" .. empty .. "'")
B.call("rad.dicom.series: a folder that does not exist", function() rad.dicom.series(dir .. "/none") end,
  "cannot open the DICOM folder")

-- two series, none chosen: the message lists both
local two = dir .. "/two"
rad.dicom.write_series(img, two .. "/a", {description = "first"})
rad.dicom.write_series(img, two .. "/b", {modality = "MR", description = "second"})
local list = rad.dicom.series(two)
local err = B.call("read_dicom: two series, none chosen", function() rad.read_dicom(two) end, "holds 2 image series; choose one")
B.T.ok(err:find(list[1].uid, 1, true) and err:find(list[2].uid, 1, true) and err:find("'second'", 1, true),
  "the message lists both series with their UIDs and descriptions")
B.call("rad.read: a folder with two series", function() rad.read(two) end, "holds 2 image series")
B.call("read_dicom: unknown series id", function() rad.read_dicom(two, {series = "9.9.9"}) end,
  "no series '9.9.9' in '" .. two .. "'")
B.call("read_dicom: series number out of range", function() rad.read_dicom(two, {series = 3}) end, "no series number 3")
B.call("read_dicom: series of a wrong type", function() rad.read_dicom(two, {series = true}) end,
  "option 'series' must be a series UID")
B.call("read_dicom: allow_uneven not a boolean", function() rad.read_dicom(two, {allow_uneven = 1}) end,
  "option 'allow_uneven' must be true or false")
B.call("read_dicom: unknown option", function() rad.read_dicom(two, {serie = 1}) end, "serie")
B.call("read_dicom: suv = true on a CT", function() rad.read_dicom(two .. "/a", {suv = true}) end,
  "suv = true is for PET series")

-- a missing slice: the message names the gap
local gap = dir .. "/gap"
rad.dicom.write_series(img, gap)
os.remove(gap .. "/IMG_00003.dcm")
B.call("read_dicom: a missing slice", function() rad.read_dicom(gap) end,
  "uneven slice spacing in series")
B.call("read_dicom: a missing slice, positions named", function() rad.read_dicom(gap) end,
  "a gap of 4 mm between the slices at 2 mm ('" .. gap .. "/IMG_00002.dcm') and 6 mm ('" .. gap .. "/IMG_00004.dcm')")

-- mixed orientations, gantry tilt, duplicate positions (byte-built slices of one series)
local mixed = mkdir(dir .. "/mixed")
slice(mixed .. "/1.dcm", {n = 1, ipp = "0\\0\\0"})
slice(mixed .. "/2.dcm", {n = 2, ipp = "0\\0\\1"})
slice(mixed .. "/3.dcm", {n = 3, ipp = "0\\0\\2", iop = "0\\1\\0\\1\\0\\0"})
B.call("read_dicom: mixed orientations", function() rad.read_dicom(mixed) end, "mixed orientations in series 1.2.3.9")
local tilt = mkdir(dir .. "/tilt")
for k = 0, 3 do slice(tilt .. "/" .. k .. ".dcm", {n = k, ipp = "0\\" .. (0.3 * k) .. "\\" .. k}) end
B.call("read_dicom: gantry tilt", function() rad.read_dicom(tilt) end, "gantry tilt or shear")
local dup = mkdir(dir .. "/dup")
slice(dup .. "/1.dcm", {n = 1, ipp = "0\\0\\0"})
slice(dup .. "/2.dcm", {n = 2, ipp = "0\\0\\5"})
slice(dup .. "/3.dcm", {n = 3, ipp = "0\\0\\5"})
B.call("read_dicom: two slices at one position", function() rad.read_dicom(dup) end,
  "two slices of series 1.2.3.9 at the same position 5 mm")
local noipp = mkdir(dir .. "/noipp")
slice(noipp .. "/1.dcm", {n = 1, ipp = "0\\0"})
B.call("read_dicom: ImagePositionPatient of two numbers", function() rad.read_dicom(noipp) end,
  "has no valid ImagePositionPatient (0020,0032)")

-- a truncated file: the header survives, the pixel data does not
local trunc = dir .. "/trunc"
rad.dicom.write_series(rad.image.new{size = {64, 64, 3}, value = 100}, trunc)
local f = assert(io.open(trunc .. "/IMG_00002.dcm", "rb")); local bytes = f:read("a"); f:close()
f = assert(io.open(trunc .. "/IMG_00002.dcm", "wb")); f:write(bytes:sub(1, #bytes - 3000)); f:close()
B.call("read_dicom: a truncated pixel data file", function() rad.read_dicom(trunc) end, "IMG_00002.dcm'")
-- a file cut inside its header: skipped with a warning; the others still read
local cut = dir .. "/cut"
rad.dicom.write_series(img, cut)
f = assert(io.open(cut .. "/IMG_00005.dcm", "rb")); bytes = f:read("a"); f:close()
f = assert(io.open(cut .. "/IMG_00005.dcm", "wb")); f:write(bytes:sub(1, 200)); f:close()
rad.warnings(true)
local ok = pcall(rad.read_dicom, cut)
B.T.like(table.concat(rad.warnings(), "\n"), "skipped '" .. cut .. "/IMG_00005.dcm'",
  "a file cut in its header is skipped with a warning naming it", true)
B.T.ok(ok, "the series without it is read (its last slice missing leaves even gaps)")

-- a compressed syntax without a codec (JPEG 2000): the message names the syntax
local j2k = mkdir(dir .. "/j2k")
local frag = string.rep("\0", 16)
slice(j2k .. "/1.dcm", {n = 1, ipp = "0\\0\\0", ts = "1.2.840.10008.1.2.4.90",
  pixels = string.pack("<I2I2c2I2I4", 0x7fe0, 0x10, "OB", 0, 0xffffffff)
    .. string.pack("<I2I2I4", 0xfffe, 0xe000, 0) .. string.pack("<I2I2I4", 0xfffe, 0xe000, #frag) .. frag
    .. string.pack("<I2I2I4", 0xfffe, 0xe0dd, 0)})
B.call("read_dicom: JPEG 2000 without a codec", function() rad.read_dicom(j2k) end, "JPEG 2000")

-- PET without dose tags
local pet = dir .. "/pet"
rad.dicom.write_series(img, pet, {modality = "PT"})
B.call("read_dicom: PET without dose tags", function() rad.read_dicom(pet) end,
  "lacks PatientWeight (0010,1030), RadionuclideTotalDose (0018,1074), RadionuclideHalfLife (0018,1075), RadiopharmaceuticalStartTime")
local pet2 = dir .. "/pet_units"
rad.dicom.write_series(img, pet2, {modality = "PT", units = "CNTS"})
B.call("read_dicom: PET in counts", function() rad.read_dicom(pet2) end, "Units (0054,1001) is 'CNTS'")

-- the writer
local big = rad.image.new{size = {2, 2, 2}, value = 1e6}
B.call("write_series: values that do not fit 16 bits", function() rad.dicom.write_series(big, dir .. "/w1") end,
  "do not fit 16-bit stored values with slope 1", {writes = {dir .. "/w1/IMG_00001.dcm"}})
local nan = rad.image.new{size = {2, 2, 2}}
nan:set(2, 1, 2, 0 / 0)
B.call("write_series: a NaN", function() rad.dicom.write_series(nan, dir .. "/w2") end,
  "voxel (2, 1, 2) (1-based) has the value", {writes = {dir .. "/w2/IMG_00001.dcm"}})
B.call("write_series: unknown transfer syntax", function()
  rad.dicom.write_series(img, dir .. "/w3", {transfer_syntax = "jpeg2000"}) end,
  "unknown transfer_syntax 'jpeg2000'", {writes = {dir .. "/w3/IMG_00001.dcm"}})
B.call("write_series: unknown modality", function() rad.dicom.write_series(img, dir .. "/w4", {modality = "US"}) end,
  "modality 'US' cannot be written", {writes = {dir .. "/w4/IMG_00001.dcm"}})
B.call("write_series: a folder holding DICOM files", function() rad.dicom.write_series(img, gap) end,
  "already holds DICOM files")
B.call("write_series: slope 0", function() rad.dicom.write_series(img, dir .. "/w5", {slope = 0}) end,
  "slope must not be 0", {writes = {dir .. "/w5/IMG_00001.dcm"}})
B.call("write_series: into a file", function() rad.dicom.write_series(img, B.file("plain.txt", "x")) end,
  "exists and is not a folder")
B.call("write_series: enhanced PET", function() rad.dicom.write_series(img, dir .. "/w7", {modality = "PT", enhanced = true}) end,
  "enhanced = true writes Enhanced CT or MR", {writes = {dir .. "/w7/ENH_00001.dcm"}})
-- an enhanced file whose frames lack their positions
local enh = dir .. "/enh"
rad.dicom.write_series(img, enh, {enhanced = true})
B.call("read_dicom: enhanced, truncated", function()
  local f = assert(io.open(enh .. "/ENH_00001.dcm", "rb")); local b = f:read("a"); f:close()
  f = assert(io.open(enh .. "/ENH_00001.dcm", "wb")); f:write(b:sub(1, #b - 20)); f:close()
  rad.read_dicom(enh)
end, "ENH_00001.dcm")
B.call("write_series: not an image", function() rad.dicom.write_series({}, dir .. "/w6") end, "Image expected")
B.done()
