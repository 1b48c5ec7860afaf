-- radlab bad-input suite: command lines and masks.  SPDX-License-Identifier: GPL-3.0-or-later
--
-- Every command-line case also checks that the message shows the user's
-- files and options only: no stdlib path with a line number, no "[C]:",
-- no engine function name (rad_...), no traceback.
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")
local T, dir = B.T, B.dir

local function clean_message(name, err)
  local bad = err:match("rad/[%w_]+%.lua:%d+") or err:match("%[C%]") or err:match("rad_[%a_]+%(?")
    or err:match("stack traceback")
  T.ok(not bad, name .. ": no internal path or C name in the message" .. (bad and (" (found " .. bad .. ")") or ""))
end

local function cli(name, args, opts)
  local err = B.cli(name, args, opts)
  clean_message(name, err)
  return err
end

B.cli("radlab: script that does not exist", {B.dir .. "/none.lua"}, {status = 1, stderr = "none.lua"})

-- ---- the test files ---------------------------------------------------------------
-- a 6x6x3 image; the mask's label 1 covers three voxels; a mask on a 2 mm grid;
-- an all-zero mask; a 4D label file (hand-built NIfTI-1, 2x2x2x3 uint8)
local img, mask, other, empty = dir .. "/img.nii.gz", dir .. "/mask.nii.gz", dir .. "/other.nii.gz", dir .. "/empty.nii.gz"
do
  local im = rad.image.new{size = {6, 6, 3}}
  local m = rad.mask.new(im)
  for i = 2, 4 do m:set(i, 3, 2, 1); im:set(i, 3, 2, 10 * i) end
  im:write(img); m:write(mask)
  local m2 = rad.mask.new{size = {6, 6, 3}, spacing = {2, 2, 2}}
  m2:set(1, 1, 1, 1); m2:set(2, 2, 2, 1)
  m2:write(other)
  rad.mask.new(im):write(empty)
end
-- a NIfTI-1 header built field by field (nifti1.h), independent of the writer
local function nifti_header(dims, datatype, bitpix)
  local parts = {string.pack("<i4", 348), ("\0"):rep(28), string.pack("<i4i2", 0, 0), "r\0"}
  local dim = {#dims, 1, 1, 1, 1, 1, 1, 1}
  for i, d in ipairs(dims) do dim[i + 1] = d end
  parts[#parts + 1] = string.pack("<" .. ("i2"):rep(8), table.unpack(dim))
  parts[#parts + 1] = string.pack("<fffi2i2i2i2", 0, 0, 0, 0, datatype, bitpix, 0) -- intent, datatype, bitpix, slice_start
  parts[#parts + 1] = string.pack("<" .. ("f"):rep(8), 1, 1, 1, 1, 1, 1, 1, 1) -- pixdim
  parts[#parts + 1] = string.pack("<fffi2c1c1ffffi4i4", 352, 1, 0, 0, "\0", "\2", 0, 0, 0, 0, 0, 0)
  parts[#parts + 1] = ("\0"):rep(104)                                     -- descrip, aux_file
  parts[#parts + 1] = string.pack("<i2i2", 0, 0)                          -- qform, sform codes
  parts[#parts + 1] = ("\0"):rep(4 * 6 + 4 * 12 + 16)                     -- quatern, srow, intent_name
  parts[#parts + 1] = "n+1\0"
  local h = table.concat(parts)
  assert(#h == 348, "NIfTI-1 header is " .. #h .. " bytes")
  return h .. "\0\0\0\0"
end
local mask4d = B.file("labels4d.nii", nifti_header({2, 2, 2, 3}, 2, 8) .. ("\1"):rep(24))
local mask3d = B.file("labels3d.nii", nifti_header({2, 2, 2}, 2, 8) .. "\0\1\0\2\0\0\0\0")
T.is(rad.read_mask(mask3d):labels()[2], 1, "hand-built 3D label file reads (control for the 4D one)")

local function settings_file(name, text) return B.file(name, text) end
local notlua = settings_file("syntax.lua", "return {discretise = \n")
local boom = settings_file("boom.lua", "local x = nil\nreturn x.field\n")
local number = settings_file("number.lua", "return 42\n")
local typo = settings_file("typo.lua", "return {discretize = {method = \"fbs\", width = 25}}\n")
local far = settings_file("far.lua", "return {texture = {distance = 40}}\n")
local nowidth = settings_file("nowidth.lua", "return {discretise = {method = \"fbs\"}}\n")
local n = 0
local function out() n = n + 1; return dir .. "/out" .. n .. ".csv" end

-- ---- radlab extract: arguments --------------------------------------------------------------
local o
cli("extract: no arguments", {"extract"}, {status = 2, stderr = "extract: needs IMAGE and MASK (got neither) (try radlab extract --help)"})
o = out(); cli("extract: image only", {"extract", img, "-o", o}, {status = 2, stderr = "needs IMAGE and MASK (got only " .. img .. ")", writes = {o}})
o = out(); cli("extract: a third file name", {"extract", img, mask, "extra.nii", "-o", o},
  {status = 2, stderr = "takes IMAGE and MASK only; extra argument 'extra.nii'", writes = {o}})
o = out(); cli("extract: unknown option", {"extract", img, mask, "--bins", "32", "-o", o},
  {status = 2, stderr = "extract: unknown option '--bins' (try radlab extract --help)", writes = {o}})
cli("extract: -s without a file", {"extract", img, mask, "-s"}, {status = 2, stderr = "option -s needs a value"})
cli("extract: -o without a file", {"extract", img, mask, "-o"}, {status = 2, stderr = "option -o needs a value"})
o = out(); cli("extract: --label not a number", {"extract", img, mask, "--label", "one", "-o", o},
  {status = 2, stderr = "--label must be an integer 0..255, got one", writes = {o}})
o = out(); cli("extract: --label out of range", {"extract", img, mask, "--label", "300", "-o", o},
  {status = 2, stderr = "--label must be an integer 0..255, got 300", writes = {o}})

-- ---- radlab extract: settings files ------------------------------------------------------------
o = out(); cli("extract: settings file missing", {"extract", img, mask, "-s", dir .. "/nosettings.lua", "-o", o},
  {stderr = "cannot read the settings file '" .. dir .. "/nosettings.lua': no such file", writes = {o}})
o = out(); cli("extract: settings file with a syntax error", {"extract", img, mask, "-s", notlua, "-o", o},
  {stderr = "settings file '" .. notlua .. "' is not valid Lua: " .. notlua .. ":2:", writes = {o}})
o = out(); cli("extract: settings file with a Lua error", {"extract", img, mask, "-s", boom, "-o", o},
  {stderr = "settings file '" .. boom .. "' failed: " .. boom .. ":2: attempt to index a nil value (local 'x')", writes = {o}})
o = out(); cli("extract: settings file returns a number", {"extract", img, mask, "-s", number, "-o", o},
  {stderr = "must return a table, not a number", writes = {o}})
o = out(); cli("extract: settings file with a misspelt key", {"extract", img, mask, "-s", typo, "-o", o},
  {stderr = "settings file '" .. typo .. "': settings: unknown option 'discretize' (allowed: families, diagnostics, round, normalise, resample, resegment, discretise, ivh, texture, filters, filter_families, compat, pyradiomics)", writes = {o}})
o = out(); cli("extract: settings value out of range", {"extract", img, mask, "-s", far, "-o", o},
  {stderr = "settings.texture.distance must be 1..16, got 40", writes = {o}})
o = out(); cli("extract: settings missing a required key", {"extract", img, mask, "-s", nowidth, "-o", o},
  {stderr = "settings.discretise.width is required for method \"fbs\"", writes = {o}})

-- ---- radlab extract: files ---------------------------------------------------------------------------
o = out(); cli("extract: image and mask on different grids", {"extract", img, other, "-o", o},
  {stderr = "image and mask geometries differ", writes = {o}})
o = out(); cli("extract: the grid mismatch says the command-line fix", {"extract", img, other, "-o", o},
  {stderr = "add --resample-mask to put it on the image's grid", writes = {o}})
o = out(); cli("extract: missing image", {"extract", dir .. "/noimage.nii.gz", mask, "-o", o},
  {stderr = "cannot open '" .. dir .. "/noimage.nii.gz': No such file", writes = {o}})
o = out(); cli("extract: settings file given as the mask", {"extract", img, far, "-o", o},
  {stderr = "unknown image format; radlab reads NIfTI", writes = {o}})
o = out(); cli("extract: label not present", {"extract", img, mask, "--label", "7", "-o", o},
  {stderr = "no voxel has label 7 (labels present: 1 (3 voxels)); choose one with --label N", writes = {o}})
o = out(); cli("extract: empty mask", {"extract", img, empty, "-o", o}, {stderr = "the mask is empty: every voxel is 0", writes = {o}})
o = out(); cli("extract: 4D mask", {"extract", img, mask4d, "-o", o}, {stderr = "is a 4D image", writes = {o}})
o = dir .. "/nodir/out.csv"
cli("extract: output into a missing folder", {"extract", img, mask, "-o", o},
  {stderr = "cannot write '" .. o .. "' (check that the folder exists and is writable)", writes = {o}})
o = img .. "/out.csv"
cli("extract: output below a file (unwritable)", {"extract", img, mask, "-o", o},
  {stderr = "cannot write '" .. o .. "'", writes = {o}})

-- the fix the mismatch message names works
o = out()
local okx = os.execute(string.format("'%s' extract '%s' '%s' --resample-mask -o '%s' 2>/dev/null", os.getenv("RADLAB"), img, other, o))
local f = io.open(o, "r")
T.ok(okx and f and f:read("l") == "feature,value", "extract --resample-mask puts the mask on the image's grid and extracts")
if f then f:close() end

-- ---- radlab features -----------------------------------------------------------------------------------
cli("features: unknown family", {"features", "glcm"}, {stderr = "features: unknown family 'glcm' (families: diag, morph, loc, stat, ih, ivh, cm, rlm, szm, dzm, ngt, ngl)"})
cli("features: two families", {"features", "cm", "rlm"}, {status = 2, stderr = "takes at most one FAMILY; extra argument 'rlm'"})
cli("features: unknown option", {"features", "--all"}, {status = 2, stderr = "features: unknown option '--all' (try radlab features --help)"})

-- ---- radlab itself ------------------------------------------------------------------------------------------
cli("radlab: unknown command", {"extarct", img, mask}, {status = 2, stderr = "unknown command 'extarct' (commands: extract, map, features, demo-cohort, merge, slurm, notebook;"})
cli("radlab: a command that does not exist (notebok)", {"notebok", "intro"}, {status = 2, stderr = "unknown command 'notebok'"})
cli("radlab notebook: a notebook that does not exist", {"notebook", "intro"}, {status = 1, stderr = "cannot read the notebook 'intro'"})
cli("radlab notebook: no notebook", {"notebook"}, {status = 2, stderr = "notebook: needs the notebook FILE.lua (try radlab notebook --help)"})
cli("radlab: unknown option", {"--verbose"}, {status = 2, stderr = "unknown option '--verbose' (try radlab --help)"})
cli("radlab -e: missing code", {"-e"}, {status = 2, stderr = "missing code after '-e'"})
B.cli("radlab -e: an error in the code", {"-e", "error('boom')"}, {status = 1, stderr = "(command line):1: boom"})
cli("radlab -e: a syntax error", {"-e", "x ="}, {status = 1, stderr = "(command line):1: unexpected symbol near <eof>"})
o = dir .. "/e.csv"
B.cli("radlab -e: an engine error names no C function", {"-e", "rad.read('" .. dir .. "/none.nii'):write('" .. o .. "')"},
  {status = 1, stderr = "cannot open '" .. dir .. "/none.nii'", writes = {o}})

-- ---- masks from Lua ---------------------------------------------------------------------------------------------
B.call("read_mask: label not present", function() rad.read_mask(mask, {label = 7}) end,
  "no voxel has label 7 (labels present: 1 (3 voxels)); choose one with {label = n}")
B.call("read_mask: empty mask", function() rad.read_mask(empty) end, "the mask is empty: every voxel is 0")
B.call("read_mask: 4D label file", function() rad.read_mask(mask4d) end, "is a 4D image")
B.call("select: a label that is not present", function() rad.read_mask(mask):select(5) end,
  "Mask:select: no voxel has label 5 (labels present: 1 (3 voxels))")
B.call("extract: geometry mismatch names the Lua fix", function() rad.extract(rad.read(img), rad.read_mask(other)) end,
  "if the mask belongs to this image, put it on the image's grid with mask:resample_to(img)")
B.call("stats: geometry mismatch names both geometries", function() rad.read(img):stats(rad.read_mask(other)) end,
  "image is 6x6x3 at 1x1x1 mm, origin (0, 0, 0); mask is 6x6x3 at 2x2x2 mm")
o = dir .. "/resampled.nii.gz"
B.call("resample_to: not an image", function() rad.read_mask(other):resample_to("img.nii.gz"):write(o) end,
  "Mask:resample_to: give the Image (or Mask) whose grid to use, got string", {writes = {o}})
B.call("get: index 0 (indices are 1-based)", function() rad.read_mask(mask):get(0, 1, 1) end, "index i = 0 is outside 1..6")

-- ---- radlab extract --cohort ---------------------------------------------------------------------------
local nomask = B.file("nomask.csv", "id,image\nc1,img.nii.gz\n")
local cohort = B.file("cohort.csv", "id,image,mask\nc1,img.nii.gz,mask.nii.gz\n")
local badlabel = B.file("badlabel.csv", "id,image,mask,label\nc1,img.nii.gz,mask.nii.gz,1.5\n")
local noid = B.file("noid.csv", "id,image,mask\n,img.nii.gz,mask.nii.gz\n")
o = out(); cli("extract --cohort: -j 0", {"extract", "--cohort", cohort, "-j", "0", "-o", o},
  {status = 2, stderr = "-j must be a number of threads 1..1024, got 0 (try radlab extract --help)", writes = {o}})
o = out(); cli("extract --cohort: -j not a number", {"extract", "--cohort", cohort, "-j", "two", "-o", o},
  {status = 2, stderr = "-j must be a number of threads 1..1024, got two", writes = {o}})
cli("extract --cohort: without a file", {"extract", "--cohort"}, {status = 2, stderr = "option --cohort needs a value"})
o = out(); cli("extract --cohort: with --label", {"extract", "--cohort", cohort, "--label", "1", "-o", o},
  {status = 2, stderr = "--label is for one case; give the label or roi of each case in the manifest's label or roi column", writes = {o}})
o = out(); cli("extract --cohort: missing manifest", {"extract", "--cohort", dir .. "/nomanifest.csv", "-o", o},
  {stderr = "extract --cohort: cannot open '" .. dir .. "/nomanifest.csv': No such file or directory", writes = {o}})
o = out(); cli("extract --cohort: manifest without a mask column", {"extract", "--cohort", nomask, "-o", o},
  {stderr = "extract --cohort: " .. nomask .. " has no column 'mask' (columns found: id, image); a manifest needs the columns id, image and mask", writes = {o}})
o = out(); cli("extract --cohort: a label that is not an integer", {"extract", "--cohort", badlabel, "-o", o},
  {stderr = "extract --cohort: " .. badlabel .. " is not a valid manifest (rows count data lines from 1):\n  column 'label' must hold integers 0..255 (the mask label of the ROI; 0 or empty: every non-zero voxel): row 1 has '1.5'", writes = {o}})
o = out(); cli("extract --cohort: a row without id", {"extract", "--cohort", noid, "-o", o},
  {stderr = "column 'id' is empty in row 1; every case needs an id", writes = {o}})
B.call("extract_cohort: a label that is not an integer", function() rad.extract_cohort(badlabel) end,
  "rad.extract_cohort: manifest row 1 (case 'c1'): label must be an integer 0..255 (0: every non-zero voxel), got 1.5")
B.call("extract_cohort: a row without id", function() rad.extract_cohort(noid) end,
  "rad.extract_cohort: manifest row 1 has no id; give each case one in column 'id'")
local dupman = B.file("dup.csv", "id,image,mask,roi\nc1,img.nii.gz,mask.nii.gz,GTV\nc2,img.nii.gz,mask.nii.gz,GTV\nc1,x.nii.gz,y.nii.gz,GTV\n")
B.call("extract_cohort: duplicated (id, roi)", function() rad.extract_cohort(dupman) end,
  "rad.extract_cohort: 1 duplicated case: rows 1 and 3 (id 'c1'); (id, roi, label, modality) must name one case")
B.call("extract_cohort: not a manifest", function() rad.extract_cohort(42) end,
  "rad.extract_cohort: the manifest must be a Table (rad.read_csv) or the path of a CSV file, not a number")
B.call("extract_cohort: threads 0", function() rad.extract_cohort(cohort, nil, {threads = 0}) end,
  "rad.extract_cohort: threads must be 1..1024, got 0")
B.call("extract_cohort: strict not a boolean", function() rad.extract_cohort(cohort, nil, {strict = "yes"}) end,
  "rad.extract_cohort: strict must be true or false, not a string")
B.call("extract_cohort: unknown option", function() rad.extract_cohort(cohort, nil, {thread = 2}) end, "thread")
B.call("extract_cohort: bad settings before any case", function() rad.extract_cohort(cohort, {discretise = {bins = 0}}) end,
  "discretise.bins")

B.done()
