-- radlab: DICOM series written by rad.dicom.write_series and read back, for
-- every transfer syntax, and as enhanced multi-frame; pixel encodings built byte by byte; SUV; choosing a
-- series; uneven slices; files that are not DICOM.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local tmp = T.tmpdir()
rad.quiet(true)

local function geom_diff(a, b)
  local d = 0
  local ao, bo = {a:origin()}, {b:origin()}
  local as, bs = {a:spacing()}, {b:spacing()}
  local ad, bd = a:direction(), b:direction()
  for i = 1, 3 do d = math.max(d, math.abs(ao[i] - bo[i]), math.abs(as[i] - bs[i])) end
  for i = 1, 9 do d = math.max(d, math.abs(ad[i] - bd[i])) end
  return d
end
local function count_diff(a, b)
  local nx, ny, nz = a:size()
  local n = 0
  for k = 1, nz do for j = 1, ny do for i = 1, nx do
    if a:get(i, j, k) ~= b:get(i, j, k) then n = n + 1 end
  end end end
  return n
end

-- an oblique, right-handed geometry (rotation about z by 30 degrees, then x by 10)
local c, s = math.cos(math.rad(30)), math.sin(math.rad(30))
local c2, s2 = math.cos(math.rad(10)), math.sin(math.rad(10))
local Rz = {c, -s, 0, s, c, 0, 0, 0, 1}
local Rx = {1, 0, 0, 0, c2, -s2, 0, s2, c2}
local R = {}
for i = 0, 2 do for j = 0, 2 do
  local v = 0
  for k = 0, 2 do v = v + Rx[i * 3 + k + 1] * Rz[k * 3 + j + 1] end
  R[i * 3 + j + 1] = v
end end
local img = rad.image.new{size = {23, 17, 9}, spacing = {0.7, 0.9, 2.5}, origin = {-12.25, 30.5, -7.125}, direction = R}
local nx, ny, nz = img:size()
for k = 1, nz do for j = 1, ny do for i = 1, nx do
  img:set(i, j, k, ((i * 37 + j * 101 + k * 1009) % 4001) - 1024)
end end end

for _, ts in ipairs{"explicit", "implicit", "big", "rle", "jpeg-ls", "jpeg-lossless"} do
  local dir = tmp .. "/rt_" .. ts
  rad.dicom.write_series(img, dir, {transfer_syntax = ts})
  local back = rad.read_dicom(dir)
  local bx, by, bz = back:size()
  local gd = geom_diff(img, back)
  T.ok(bx == nx and by == ny and bz == nz and gd < 1e-6,
    string.format("round trip %s: geometry equal (largest difference %.3g mm)", ts, gd))
  T.is(count_diff(img, back), 0, "round trip " .. ts .. ": every value equal (signed 16-bit)")
end

-- enhanced multi-frame CT and MR: one file, geometry and rescale in the
-- functional groups, frames stored in descending slice order
for _, ts in ipairs{"explicit", "jpeg-ls"} do
  for _, mod in ipairs{"CT", "MR"} do
    local dir = tmp .. "/enh_" .. mod .. "_" .. ts
    rad.dicom.write_series(img, dir, {enhanced = true, modality = mod, transfer_syntax = ts, slope = 0.5, intercept = -1024})
    local back, info = rad.read_dicom(dir)
    local gd = geom_diff(img, back)
    T.ok(info.files == 1 and info.size[3] == nz and gd < 1e-6,
      string.format("enhanced %s %s: one file of %d frames, geometry equal (largest difference %.3g mm)", mod, ts, info.size[3], gd))
    T.is(count_diff(img, back), 0, "enhanced " .. mod .. " " .. ts .. ": every value equal (per-frame rescale)")
  end
end

-- unsigned values, a slope and an intercept (MR), one slice
local mr = rad.image.new{size = {8, 6, 1}, spacing = {1, 1, 4}}
for j = 1, 6 do for i = 1, 8 do mr:set(i, j, 1, 40000 + i * 100 + j) end end
rad.dicom.write_series(mr, tmp .. "/mr", {modality = "MR", transfer_syntax = "rle"})
local mb, minfo = rad.read_dicom(tmp .. "/mr")
T.is(minfo.modality, "MR", "MR series read")
T.is(count_diff(mr, mb), 0, "unsigned 16-bit values above 32767 round-trip exactly (RLE)")
local scaled = rad.image.new{size = {4, 4, 3}, spacing = {1, 1, 1}}
for k = 1, 3 do for j = 1, 4 do for i = 1, 4 do scaled:set(i, j, k, -1000 + 0.5 * (i + 4 * j + 16 * k)) end end end
rad.dicom.write_series(scaled, tmp .. "/scaled", {slope = 0.5, intercept = -1000, transfer_syntax = "jpeg-ls"})
T.is(count_diff(scaled, rad.read_dicom(tmp .. "/scaled")), 0, "slope 0.5, intercept -1000: values restored exactly (JPEG-LS)")

-- pixel encodings the writer does not make, built byte by byte (explicit VR
-- little endian): 8-bit unsigned, and 12 bits stored signed at HighBit 11
local function el(g, e, vr, v)
  if vr == "OB" or vr == "OW" or vr == "SQ" or vr == "UN" then
    return string.pack("<I2I2c2I2I4", g, e, vr, 0, #v) .. v
  end
  if #v % 2 == 1 then v = v .. (vr == "UI" and "\0" or " ") end
  return string.pack("<I2I2c2I2", g, e, vr, #v) .. v
end
local function us(v) return string.pack("<I2", v) end
local function dcm(path, bits, stored, high, repr, pixels, slope, intercept, z)
  local meta = el(2, 0x10, "UI", "1.2.840.10008.1.2.1")
  local body = el(8, 0x16, "UI", "1.2.840.10008.5.1.4.1.1.2") .. el(8, 0x18, "UI", "1.2.3.4.5." .. z)
    .. el(8, 0x60, "CS", "CT") .. el(0x20, 0x0e, "UI", "1.2.3.4." .. bits)
    .. el(0x20, 0x32, "DS", "0\\0\\" .. z) .. el(0x20, 0x37, "DS", "1\\0\\0\\0\\1\\0")
    .. el(0x28, 0x02, "US", us(1)) .. el(0x28, 0x04, "CS", "MONOCHROME2")
    .. el(0x28, 0x10, "US", us(2)) .. el(0x28, 0x11, "US", us(3))
    .. el(0x28, 0x30, "DS", "0.5\\0.25")
    .. el(0x28, 0x100, "US", us(bits)) .. el(0x28, 0x101, "US", us(stored)) .. el(0x28, 0x102, "US", us(high))
    .. el(0x28, 0x103, "US", us(repr)) .. el(0x28, 0x1052, "DS", intercept) .. el(0x28, 0x1053, "DS", slope)
    .. el(0x7fe0, 0x10, bits == 8 and "OB" or "OW", pixels)
  local f = assert(io.open(path, "wb"))
  f:write(string.rep("\0", 128), "DICM", string.pack("<I2I2c2I2I4", 2, 0, "UL", 4, #meta), meta, body)
  f:close()
end
os.execute("mkdir -p " .. tmp .. "/u8 " .. tmp .. "/s12")
dcm(tmp .. "/u8/a.dcm", 8, 8, 7, 0, string.char(0, 1, 127, 128, 200, 255) .. "\0\0", "2", "-10", 0)
dcm(tmp .. "/u8/b.dcm", 8, 8, 7, 0, string.char(5, 6, 7, 8, 9, 10) .. "\0\0", "2", "-10", 1.5)
local u8 = rad.read_dicom(tmp .. "/u8")
local ux, uy, uz = u8:size()
local sx, sy, sz = u8:spacing()
T.ok(ux == 3 and uy == 2 and uz == 2 and sx == 0.25 and sy == 0.5 and sz == 1.5,
  string.format("8-bit: 3 columns x 2 rows x 2 slices at 0.25 x 0.5 x 1.5 mm (PixelSpacing is row\\column) (got %dx%dx%d at %g x %g x %g)", ux, uy, uz, sx, sy, sz))
T.ok(u8:get(1, 1, 1) == -10 and u8:get(3, 1, 1) == 244 and u8:get(3, 2, 1) == 500 and u8:get(1, 2, 2) == 6,
  "8-bit unsigned: 2 * stored - 10, rows fill y")
-- 12 bits stored signed: 0x0FFF = -1, 0x0800 = -2048, 0x07FF = 2047; bits above HighBit are ignored
local w = string.pack("<I2I2I2I2I2I2", 0xF001, 0x0FFF, 0x0800, 0x07FF, 0x0005, 0xA000)
dcm(tmp .. "/s12/a.dcm", 16, 12, 11, 1, w, "1", "0", 0)
local s12 = rad.read_dicom(tmp .. "/s12")
T.ok(s12:get(1, 1, 1) == 1 and s12:get(2, 1, 1) == -1 and s12:get(3, 1, 1) == -2048 and s12:get(1, 2, 1) == 2047
  and s12:get(2, 2, 1) == 5 and s12:get(3, 2, 1) == 0,
  string.format("12 bits stored, signed: 1 -1 -2048 2047 5 0 (got %g %g %g %g %g %g)", s12:get(1, 1, 1), s12:get(2, 1, 1),
    s12:get(3, 1, 1), s12:get(1, 2, 1), s12:get(2, 2, 1), s12:get(3, 2, 1)))

-- PET: SUV body weight, QIBA.  70 kg, 370 MBq F-18 (half-life 6586.2 s)
-- injected at 10:00:00, scan at 11:00:00: SUV = value * 70000 / (370e6 * 2^(-3600/6586.2))
local pet = rad.image.new{size = {3, 3, 2}, spacing = {4, 4, 4}}
for k = 1, 2 do for j = 1, 3 do for i = 1, 3 do pet:set(i, j, k, 1000 * (i + 3 * j + 9 * k)) end end end
local pt = {modality = "PT", weight = 70, dose = 370e6, half_life = 6586.2, injection_time = "100000", series_time = "110000"}
rad.dicom.write_series(pet, tmp .. "/pet", pt)
local suv, pinfo = rad.read_dicom(tmp .. "/pet")
local want = 70000 / (370e6 * 2 ^ (-3600 / 6586.2))
T.near(pinfo.suv_factor, want, want * 1e-12, string.format("PET START: SUV factor %.8g g/Bq", want))
T.near(suv:get(2, 3, 2), 1000 * (2 + 9 + 18) * want, 1e-5 * 29000 * want, "PET START: voxel value in SUV")
local bq = rad.read_dicom(tmp .. "/pet", {suv = false})
T.is(bq:get(2, 3, 2), 29000, "suv = false: the activity as stored (Bq/ml)")
pt.decay_correction = "ADMIN"
rad.dicom.write_series(pet, tmp .. "/pet_admin", pt)
local _, ainfo = rad.read_dicom(tmp .. "/pet_admin")
T.near(ainfo.suv_factor, 70000 / 370e6, 1e-18, "PET ADMIN: SUV factor weight / injected dose")
rad.dicom.write_series(pet, tmp .. "/pet_gml", {modality = "PT", units = "GML"})
local gml, ginfo = rad.read_dicom(tmp .. "/pet_gml")
T.ok(ginfo.suv_factor == 1 and gml:get(1, 1, 1) == pet:get(1, 1, 1), "PET Units GML: already SUV, not converted again")

-- several series in one folder, chosen by number, UID prefix or UID
os.execute("mkdir -p " .. tmp .. "/two && cp -r " .. tmp .. "/rt_explicit " .. tmp .. "/mr " .. tmp .. "/two/")
local list = rad.dicom.series(tmp .. "/two")
T.ok(#list == 2 and list[1].modality == "CT" and list[2].modality == "MR" and list[1].files == nz,
  "rad.dicom.series lists the CT and the MR series")
T.ok(list[1].size[1] == nx and list[1].size[2] == ny and list[1].size[3] == nz, "... with the CT's size")
local by_num = rad.read_dicom(tmp .. "/two", {series = 2})
T.ok(by_num:get(1, 1, 1) == mr:get(1, 1, 1), "series = 2 reads the MR")
local by_uid = rad.read_dicom(tmp .. "/two", {series = list[1].uid})
T.is(count_diff(by_uid, img), 0, "series = UID reads the CT")
-- a file that is not DICOM is skipped with a warning naming it
local f = assert(io.open(tmp .. "/mr/notes.txt", "w")); f:write("not DICOM\n"); f:close()
rad.warnings(true)
local _ = rad.read_dicom(tmp .. "/mr")
local said = table.concat(rad.warnings(), "\n")
T.like(said, "notes.txt", "a file that is not DICOM is skipped with a warning naming it", true)

-- a missing slice, read with allow_uneven: linear resampling onto the smallest gap
local lin = rad.image.new{size = {2, 2, 5}, spacing = {1, 1, 2}}
for k = 1, 5 do for j = 1, 2 do for i = 1, 2 do lin:set(i, j, k, 10 * k + i) end end end
rad.dicom.write_series(lin, tmp .. "/gap")
os.remove(tmp .. "/gap/IMG_00003.dcm")
local ug = rad.read_dicom(tmp .. "/gap", {allow_uneven = true})
local gx, gy, gz = ug:size()
local _, _, gs = ug:spacing()
T.ok(gz == 5 and gs == 2, string.format("allow_uneven: 4 slices with a 4 mm gap become 5 at 2 mm (got %d at %g)", gz, gs))
T.is(ug:get(1, 1, 3), 31, "allow_uneven: the missing slice is interpolated linearly")
T.like(table.concat(rad.warnings(), "\n"), "resampled linearly", "allow_uneven says so in a warning", true)
T.done()
