-- radlab bad-input suite: image, NIfTI, NRRD and PNG readers.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")
local dir = B.dir

-- Readers write nothing: every file in the test folder at the end must be
-- one this script made (B.file, gzip, mkdir), checked after the last case.
local made = {["stderr.txt"] = true, ["stdin.txt"] = true, ["folder.nii.gz"] = true, ["folder.csv"] = true}
local file = B.file
B.file = function(name, bytes) made[name] = true; return file(name, bytes) end

B.call("image: file that does not exist", function() rad.read(B.dir .. "/none.nii.gz") end, "No such file")

-- ---- crafted NIfTI files (field offsets of nifti1.h and nifti2.h) -------------------
-- NIfTI-1: 348-byte header, 4-byte extension flag, data at vox_offset 352.
local function nifti1(o)
  o = o or {}
  local e = o.big and ">" or "<"
  local dim = o.dim or {3, 2, 2, 2, 1, 1, 1, 1}
  local pix = o.pixdim or {1, 1, 1, 1, 0, 0, 0, 0}
  local h = string.pack(e .. "i4", 348) .. ("\0"):rep(36)
    .. string.pack(e .. "i2i2i2i2i2i2i2i2", table.unpack(dim))
    .. ("\0"):rep(14)
    .. string.pack(e .. "i2i2", o.datatype or 16, o.bitpix or 32) .. ("\0"):rep(2)
    .. string.pack(e .. "ffffffff", table.unpack(pix))
    .. string.pack(e .. "fff", o.vox_offset or 352, 1, 0)
  h = h .. ("\0"):rep(252 - #h) .. string.pack(e .. "i2i2", o.qform or 0, 0)
  h = h .. ("\0"):rep(344 - #h) .. (o.magic or "n+1\0")
  assert(#h == 348)
  return h .. "\0\0\0\0" .. (o.data or ("\0"):rep(32))
end
-- NIfTI-2: 540-byte header, data at vox_offset 544.
local function nifti2(o)
  o = o or {}
  local e = o.big and ">" or "<"
  local dim = o.dim or {3, 2, 2, 2, 1, 1, 1, 1}
  local h = string.pack(e .. "i4", 540) .. "n+2\0\r\n\26\n"
    .. string.pack(e .. "i2i2", o.datatype or 16, o.bitpix or 32)
    .. string.pack(e .. "i8i8i8i8i8i8i8i8", table.unpack(dim))
    .. ("\0"):rep(24) .. string.pack(e .. "dddddddd", 1, 1, 1, 1, 0, 0, 0, 0)
    .. string.pack(e .. "i8", o.vox_offset or 544)
  h = h .. ("\0"):rep(540 - #h)
  if o.header_only then return h end
  return h .. "\0\0\0\0" .. (o.data or ("\0"):rep(32))
end
local function gz(name, bytes)
  local p = B.file(name, bytes)
  assert(os.execute("gzip -f '" .. p .. "'"))
  made[name .. ".gz"] = true
  return p .. ".gz"
end

-- the crash of issue 10: nifticlib's NIfTI-2 conversion segfaulted on dim[0] = 2^40
local n2crash = nifti2{dim = {1 << 40, 2, 2, 2, 1, 1, 1, 1}, header_only = true}
B.call("NIfTI-2: 540-byte header with dim[0] = 2^40 (was a segfault)",
  function() rad.read(B.file("crash.nii", n2crash)) end, "dim[0] = 1099511627776; the NIfTI number of dimensions must be 1 to 7")
B.call("NIfTI-2 mask: dim[0] = 2^40 (was a stack overflow)",
  function() rad.read_mask(B.file("crashmask.nii", n2crash)) end, "crashmask.nii': dim[0] = 1099511627776")
B.call("NIfTI-2 big-endian .nii.gz: dim[0] = 2^40",
  function() rad.read(gz("crashbe.nii", nifti2{dim = {1 << 40, 2, 2, 2, 1, 1, 1, 1}, big = true})) end, "dim[0] = 1099511627776")
B.call("NIfTI-1: dim[0] = 9", function() rad.read(B.file("dim0.nii", nifti1{dim = {9, 2, 2, 2, 1, 1, 1, 1}})) end,
  "dim[0] = 9; the NIfTI number of dimensions must be 1 to 7")
B.call("NIfTI-1 big-endian: dim[3] = -4", function() rad.read(B.file("neg.nii", nifti1{dim = {3, 2, 2, -4, 1, 1, 1, 1}, big = true})) end,
  "neg.nii': dim[3] = -4; a NIfTI dimension must be at least 1")
B.call("NIfTI-2: 2^20 x 2^20 x 2^20 voxels", function() rad.read(B.file("huge.nii", nifti2{dim = {3, 1 << 20, 1 << 20, 1 << 20, 1, 1, 1, 1}})) end,
  "dim[1..3] = 1048576 x 1048576 x 1048576 is more than 2^31 voxels")
B.call("NIfTI-1: 1000 x 1000 x 1000 float32 in a 384-byte file",
  function() rad.read(B.file("short.nii", nifti1{dim = {3, 1000, 1000, 1000, 1, 1, 1, 1}})) end,
  "short.nii' is truncated: the header promises 4000000000 bytes of voxel data (1000x1000x1000 float32), the file holds 32 (after vox_offset = 352)")
B.call("NIfTI-1 .nii.gz: 1000 x 1000 x 1000 float32 in a tiny gzip file",
  function() rad.read(gz("shortgz.nii", nifti1{dim = {3, 1000, 1000, 1000, 1, 1, 1, 1}})) end,
  "is truncated: the header promises 4000000000 bytes of voxel data")
B.call("NIfTI-1: pixdim[2] = NaN", function() rad.read(B.file("nan.nii", nifti1{pixdim = {1, 1, 0 / 0, 1, 0, 0, 0, 0}})) end,
  "pixdim[2] = NaN; a NIfTI voxel size must be a finite number")
B.call("NIfTI-2: datatype 12345", function() rad.read(B.file("dt.nii", nifti2{datatype = 12345})) end,
  "datatype = 12345 is not a NIfTI datatype code")
B.call("NIfTI-1: complex datatype", function() rad.read(B.file("cplx.nii", nifti1{datatype = 32, bitpix = 64})) end,
  "cplx.nii': unsupported NIfTI datatype COMPLEX64 (code 32)")
B.call("NIfTI-2: bitpix 8 for float32", function() rad.read(B.file("bitpix.nii", nifti2{bitpix = 8})) end,
  "bitpix = 8 does not match datatype float32 (32 bits)")
B.call("NIfTI-2: vox_offset negative", function() rad.read(B.file("voxneg.nii", nifti2{vox_offset = -100000})) end,
  "vox_offset = -100000; the voxel data must start after the 540-byte NIfTI-2 header")
B.call("NIfTI-1: vox_offset inside the header", function() rad.read(B.file("voxin.nii", nifti1{vox_offset = 100})) end,
  "vox_offset = 100; the voxel data must start after the 348-byte NIfTI-1 header")
B.call("NIfTI-1: vox_offset past the end", function() rad.read(B.file("voxend.nii", nifti1{vox_offset = 1e6})) end,
  "vox_offset = 1000000 is past the end of the file (384 bytes)")
B.call("NIfTI-2: vox_offset 2^60", function() rad.read(B.file("voxbig.nii", nifti2{vox_offset = 1 << 60})) end,
  "vox_offset = 1152921504606846976 is past the end of the file")
B.call("NIfTI-1: 4D image", function() rad.read(B.file("4d.nii", nifti1{dim = {4, 2, 2, 1, 3, 1, 1, 1}, data = ("\0"):rep(48)})) end,
  "is a 4D image (dimension 4 has 3 time points)")
B.call("NIfTI-1: wrong magic", function() rad.read(B.file("magic.nii", nifti1{magic = "xyz\0"})) end,
  "magic.nii' is not a NIfTI-1 file (bad magic string")
B.call("NIfTI-1: cut inside the header", function() rad.read(B.file("cut.nii", nifti1():sub(1, 200))) end,
  "cut.nii' is truncated: the NIfTI-1 header needs 348 bytes, the file holds 200")
B.call("NIfTI-2: voxel data cut short", function() rad.read(B.file("cutdata.nii", nifti2():sub(1, 560))) end,
  "cutdata.nii' is truncated: the header promises 32 bytes of voxel data (2x2x2 float32), the file holds 16 (after vox_offset = 544)")
do
  local p = gz("corrupt.nii", nifti1{data = ("\1\2\3\4"):rep(200)})
  local f = assert(io.open(p, "rb")); local bytes = f:read("a"); f:close()
  -- a gzip header, then a deflate block of the reserved type 3 ("invalid block type")
  B.call("NIfTI-1 .nii.gz: corrupt gzip data",
    function() rad.read(B.file("corrupt2.nii.gz", "\31\139\8\0\0\0\0\0\0\3\7" .. ("\0"):rep(30))) end,
    "corrupt2.nii.gz' is not a NIfTI file (it cannot be decompressed: corrupt gzip data)")
  B.call("NIfTI-1 .nii.gz: gzip stream cut short", function() rad.read(B.file("cutgz.nii.gz", bytes:sub(1, 60))) end,
    "cutgz.nii.gz' is truncated: the header promises 32 bytes of voxel data (2x2x2 float32), the file holds 3")
end
do
  -- a stream whose CRC-32 does not match its data (256 KiB of voxels, so that the
  -- header is read before the damage shows): libdeflate refuses it, zlib names it
  local vox = nifti1{dim = {3, 64, 64, 16, 1, 1, 1, 1}, data = ("\5\6\7\8"):rep(64 * 64 * 16)}
  local p = gz("crc.nii", vox)
  local f = assert(io.open(p, "rb")); local bytes = f:read("a"); f:close()
  local n = #bytes
  local bad = bytes:sub(1, n - 8) .. string.char(bytes:byte(n - 7) ~ 0xff) .. bytes:sub(n - 6)
  B.call("NIfTI-1 .nii.gz: CRC-32 of the gzip member wrong",
    function() rad.read(B.file("crc2.nii.gz", bad)) end, "incorrect data check); the file is damaged")
  -- two members (header, voxels), the second cut short
  local h = gz("mhead.nii", vox:sub(1, 352))
  f = assert(io.open(h, "rb")); local hb = f:read("a"); f:close()
  local d = gz("mdata.nii", vox:sub(353))
  f = assert(io.open(d, "rb")); local db = f:read("a"); f:close()
  B.call("NIfTI-1 .nii.gz: second gzip member cut short",
    function() rad.read(B.file("cut2.nii.gz", hb .. db:sub(1, #db - 20))) end,
    "cut2.nii.gz' is truncated: the header promises 262144 bytes of voxel data (64x64x16 float32), the file holds")
end
B.call("NIfTI mask: int16 label 300",
  function() rad.read_mask(B.file("i16.nii", nifti1{datatype = 4, bitpix = 16, data = string.pack("<i2i2i2i2i2i2i2i2", 0, 1, 2, 0, 0, 300, 0, 0)})) end,
  "i16.nii' is not a label mask: voxel (2, 1, 2) (1-based) holds 300 (labels must be integers 0..255)")
B.call("NIfTI mask: int32 label -1",
  function() rad.read_mask(B.file("i32.nii", nifti1{datatype = 8, bitpix = 32, data = string.pack("<i4i4i4i4i4i4i4i4", 0, 0, 0, 0, 0, 0, 0, -1)})) end,
  "i32.nii' is not a label mask: voxel (2, 2, 2) (1-based) holds -1 (labels must be integers 0..255)")
B.call("NIfTI mask: uint64 label 2^63",
  function() rad.read_mask(B.file("u64.nii", nifti1{datatype = 1280, bitpix = 64, data = string.pack("<I8I8I8I8I8I8I8I8", 1, 0, 0, 0, 0, 0, 0, 1 << 63)})) end,
  "u64.nii' is not a label mask: voxel (2, 2, 2) (1-based) holds 9.22337e+18 (labels must be integers 0..255)")
-- rad.read_case: image and mask read at the same time, errors as rad.read and rad.read_mask
do
  local good = B.file("case_img.nii", nifti1{data = string.pack("<ffffffff", 1, 2, 3, 4, 5, 6, 7, 8)})
  local gmask = B.file("case_mask.nii", nifti1{datatype = 2, bitpix = 8, data = "\1\0\0\0\0\0\0\0"})
  B.call("rad.read_case: image missing", function() rad.read_case(dir .. "/nocase.nii.gz", gmask) end,
    "nocase.nii.gz': No such file")
  B.call("rad.read_case: image and mask missing: the image is named",
    function() rad.read_case(dir .. "/noimg.nii", dir .. "/nomask.nii") end, "noimg.nii': No such file")
  B.call("rad.read_case: mask not a label mask", function()
    rad.read_case(good, B.file("case_prob.nii", nifti1{data = string.pack("<ffffffff", 0, 0.25, 1, 1, 0, 0, 0, 0)}))
  end, "case_prob.nii' is not a label mask: voxel (2, 1, 1) (1-based) holds 0.25")
  B.call("rad.read_case: label absent", function() rad.read_case(good, gmask, {label = 7}) end,
    "case_mask.nii': the mask is empty: no voxel has label 7 (labels present: 1 (1 voxels)); choose one with {label = n}")
  B.call("rad.read_case: label out of range", function() rad.read_case(good, gmask, {label = 300}) end,
    "rad.read_case: label must be 0..255 (0 = every non-zero voxel), got 300")
  B.call("rad.read_case: unknown option", function() rad.read_case(good, gmask, {lable = 1}) end, "lable")
  B.cli("radlab extract: mask file missing",
    {"extract", good, dir .. "/nomask2.nii.gz", "-o", dir .. "/case_out.csv"},
    {status = 1, stderr = "nomask2.nii.gz': No such file", writes = {dir .. "/case_out.csv"}})
end
B.call("NIfTI mask: non-integer labels",
  function() rad.read_mask(B.file("prob.nii", nifti1{data = string.pack("<ffffffff", 0, 0.5, 1, 1, 0, 0, 0, 0)})) end,
  "prob.nii' is not a label mask: voxel (2, 1, 1) (1-based) holds 0.5 (labels must be integers 0..255)")

-- ---- directories ----------------------------------------------------------------------
os.execute("mkdir -p '" .. dir .. "/folder.nii.gz' '" .. dir .. "/folder.csv'")
B.call("image: a directory", function() rad.read(dir .. "/folder.nii.gz") end,
  "folder.nii.gz' (searched with its sub-folders); give a folder that holds a DICOM series, or an image file (.nii, .nii.gz, .nrrd, .nhdr, .png)")
B.call("mask: a directory", function() rad.read_mask(dir) end, "' is a directory; give an image file")
B.call("CSV: a directory", function() rad.read_csv(dir .. "/folder.csv") end, "folder.csv' is a directory; give a CSV file")

-- ---- PNG -------------------------------------------------------------------------------
local function crc32(s)
  local c = 0xffffffff
  for i = 1, #s do
    c = c ~ s:byte(i)
    for _ = 1, 8 do c = (c & 1 == 1) and (0xedb88320 ~ (c >> 1)) or (c >> 1) end
  end
  return c ~ 0xffffffff
end
local function chunk(name, data, len)
  return string.pack(">I4", len or #data) .. name .. data .. string.pack(">I4", crc32(name .. data))
end
-- zlib stream of one stored block holding two zero bytes (a 1x1 grey row)
local idat = "\120\1\1\2\0\253\255\0\0\0\2\0\1"
local function png(w, h, extra)
  return "\137PNG\r\n\26\n" .. chunk("IHDR", string.pack(">I4I4BBBBB", w, h, 8, 0, 0, 0, 0)) .. (extra or "")
    .. chunk("IDAT", idat) .. chunk("IEND", "")
end
B.T.ok(pcall(rad.read, B.file("ok.png", png(1, 1))), "PNG: the crafted 1x1 PNG itself reads")
B.call("PNG: 1e6 x 1e6 pixels", function() rad.read(B.file("bomb.png", png(1000000, 1000000))) end,
  "bomb.png': 1000000 x 1000000 is more than 2^31 pixels")
B.call("PNG: 30000 x 30000 pixels in 70 bytes", function() rad.read(B.file("bomb2.png", png(30000, 30000))) end,
  "the header declares 30000 x 30000 pixels (900000000 bytes), more than the file's 70 bytes can hold")
-- refused from the chunk headers, before libpng allocates the declared
-- length (libpng 1.6.39 took 23 s and 2.1 GB on this 88-byte file)
B.call("PNG: text chunk declaring 2 GiB", function()
  rad.read(B.file("text.png", png(1, 1, chunk("tEXt", "Comment\0x", 0x7ffffff0))))
end, "text.png': chunk 'tEXt' at byte 33 declares 2147483632 bytes of data, past the end of the file")
B.call("PNG: truncated", function() rad.read(B.file("cut.png", png(1, 1):sub(1, 40))) end, "cut.png': truncated or corrupt PNG")
B.call("PNG: wrong signature", function() rad.read(B.file("sig.png", "GIF89a" .. ("\0"):rep(40))) end,
  "sig.png' is not a PNG file (bad signature)")

-- ---- NRRD ------------------------------------------------------------------------------
B.call("NRRD: dimension 9", function()
  rad.read(B.file("dim.nrrd", "NRRD0004\ntype: uchar\ndimension: 9\nsizes: 1 1 1 1 1 1 1 1 1\nencoding: raw\n\n\0"))
end, "dimension 9 with sizes 1 1 1 1 1 1 1 1 1 is not supported: radlab reads 2D and 3D images")
B.call("NRRD: dimension not a number", function()
  rad.read(B.file("dimx.nrrd", "NRRD0004\ntype: uchar\ndimension: x\nsizes: 1\nencoding: raw\n\n\0"))
end, "bad 'dimension: x' (expected a whole number from 1 to")
B.call("NRRD: sizes over 2^31 voxels", function()
  rad.read(B.file("big.nrrd", "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2000 2000 2000\nencoding: raw\n\n\0"))
end, "'sizes: 2000 2000 2000' is more than 2^31 voxels")
B.call("NRRD: raw data cut short", function()
  rad.read(B.file("cut.nrrd", "NRRD0004\ntype: short\ndimension: 2\nsizes: 4 4\nendian: little\nencoding: raw\n\n" .. ("\0"):rep(10)))
end, "cut.nrrd': truncated: expected 32 bytes of data, found 10")
B.call("NRRD: detached data file missing", function()
  rad.read(B.file("nodata.nhdr", "NRRD0004\ntype: uchar\ndimension: 2\nsizes: 2 2\nencoding: raw\ndata file: missing.raw\n"))
end, "cannot open the data file named by 'data file: missing.raw'")
B.call("NRRD: detached data file is a directory", function()
  rad.read(B.file("dirdata.nhdr", "NRRD0004\ntype: uchar\ndimension: 2\nsizes: 2 2\nencoding: raw\ndata file: folder.csv\n"))
end, "folder.csv' is a directory; give the file holding the data")
B.call("NRRD: detached data file is a device", function()
  rad.read(B.file("zero.nhdr", "NRRD0004\ntype: uchar\ndimension: 2\nsizes: 2 2\nencoding: ascii\ndata file: /dev/zero\n"))
end, "'data file: /dev/zero' is not a regular file")
B.call("NRRD: corrupt gzip data", function()
  rad.read(B.file("gz.nrrd", "NRRD0004\ntype: uchar\ndimension: 2\nsizes: 2 2\nencoding: gzip\n\n\31\139\8\0garbage-garbage"))
end, "corrupt gzip data")

-- ---- YAML (rad.yaml: parameter files) --------------------------------------------------
B.call("yaml: missing file", function() rad.yaml.read(dir .. "/none.yaml") end, "cannot open")
B.call("yaml: a folder", function() rad.yaml.read(dir) end, "is a directory; give a YAML file")
B.call("yaml: syntax error names line and column",
  function() rad.yaml.read(B.file("bad.yaml", "setting:\n  binWidth: [1, 2\n  label: 1\n")) end,
  "bad.yaml:3:")
B.call("yaml: a tab for indentation", function() rad.yaml.read(B.file("tab.yaml", "setting:\n\tbinWidth: 25\n")) end,
  "tab.yaml:2:1: found character that cannot start any token")
B.call("yaml: truncated in a quoted value", function() rad.yaml.read(B.file("cut.yaml", "a: 'unterminated")) end,
  "cut.yaml:1:")
B.call("yaml: a key twice", function() rad.yaml.parse("binWidth: 5\nbinWidth: 25\n", "p.yaml") end,
  "p.yaml:2:1: the key 'binWidth' is given twice in one mapping (first at line 1)")
B.call("yaml: two documents", function() rad.yaml.parse("a: 1\n---\nb: 2\n", "p.yaml") end,
  "more than one YAML document")
B.call("yaml: an alias without anchor", function() rad.yaml.parse("a: *x\n", "p.yaml") end,
  "the alias *x names no anchor (&x) defined before it")
B.call("yaml: a mapping as a key", function() rad.yaml.parse("? {a: 1}\n: 2\n", "p.yaml") end,
  "a mapping key must be a plain value")
B.call("yaml: nesting 100 deep", function() rad.yaml.parse(("["):rep(100) .. ("]"):rep(100), "p.yaml") end,
  "nesting deeper than 64 levels")
do
  local bomb, prev = {"l0: &l0 [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]"}, "l0"
  for i = 1, 6 do
    bomb[#bomb + 1] = string.format("l%d: &l%d [%s]", i, i, ("*" .. prev .. ", "):rep(9) .. "*" .. prev)
    prev = "l" .. i
  end
  B.call("yaml: an alias bomb (10^7 nodes)", function() rad.yaml.parse(table.concat(bomb, "\n") .. "\n", "p.yaml") end,
    "more than 100000 nodes with aliases expanded")
end
B.call("yaml: a tag the value does not fit", function() rad.yaml.parse("a: !!int 2.5\n", "p.yaml") end,
  "the value '2.5' does not fit its tag !!int")
B.call("yaml: an integer beyond 64 bits", function() rad.yaml.parse("a: 99999999999999999999\n", "p.yaml") end,
  "integer out of range: 99999999999999999999")
B.call("yaml: a NUL byte", function() rad.yaml.parse("a: \0\n", "p.yaml") end, "p.yaml:1:")

-- ---- the command line ------------------------------------------------------------------
B.cli("radlab extract: crafted NIfTI-2 image (was exit 139)",
  {"extract", B.file("cli.nii", n2crash), B.file("climask.nii", n2crash), "-o", dir .. "/out.csv"},
  {status = 1, stderr = "cli.nii': dim[0] = 1099511627776", writes = {dir .. "/out.csv"}})

do
  local stray = {}
  local h = io.popen("ls -A '" .. dir .. "'")
  for f in h:lines() do if not made[f] then stray[#stray + 1] = f end end
  h:close()
  B.T.is(table.concat(stray, " "), "", "the readers wrote no file into the test folder")
end

B.done()
