-- radlab bad-input suite: cohort manifests.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")
local cohort = rad.cohort

local D = B.dir
local function touch(name) return B.file(name, "") end
local function mkdir(p) assert(os.execute("mkdir -p '" .. p .. "'")) end
touch("ct1.nii.gz"); touch("seg1.nii.gz"); touch("ct2.nii.gz"); touch("seg2.nii.gz")

B.call("manifest: file that does not exist", function() cohort.read(D .. "/none.csv") end,
  "cohort.read: cannot open '" .. D .. "/none.csv': No such file")

local p = B.file("empty.csv", "")
B.call("manifest: empty file", function() cohort.read(p) end, "cohort.read: " .. p .. " is empty: a CSV file needs a header line")

p = B.file("header.csv", "id,image,mask\n")
B.call("manifest: header only", function() cohort.read(p) end,
  "header.csv has a header but no rows: add one row per case (id, image, mask)")

p = B.file("nomask.csv", "id,image,seg\np1,ct1.nii.gz,seg1.nii.gz\n")
B.call("manifest: missing column", function() cohort.read(p) end,
  "nomask.csv has no column 'mask' (columns found: id, image, seg); a manifest needs the columns id, image and mask")

p = B.file("ragged.csv", "id,image,mask\np1,ct1.nii.gz\n")
B.call("manifest: ragged CSV", function() cohort.read(p) end, "cohort.read: " .. p .. ": line 2 has 2 fields, the header has 3")

p = B.file("dup.csv", "id,image,mask,modality\np1,ct1.nii.gz,seg1.nii.gz,CT\np2,ct2.nii.gz,seg2.nii.gz,CT\np1,ct1.nii.gz,seg1.nii.gz,CT\n")
B.call("manifest: duplicate key", function() cohort.read(p) end,
  "1 duplicated key (id, modality must identify one case): (id = p1, modality = CT) in rows 1 and 3")

p = B.file("gone.csv", "id,image,mask\np1,ct1.nii.gz,seg9.nii.gz\np2,ct8.nii.gz,seg2.nii.gz\np3,ct7.nii.gz,seg7.nii.gz\n")
B.call("manifest: files that do not exist, all of them", function() cohort.read(p) end,
  "4 files not found or not readable (paths relative to the manifest's folder '" .. D .. "'): row 1 mask '" .. D ..
  "/seg9.nii.gz' does not exist; row 2 image '" .. D .. "/ct8.nii.gz' does not exist; row 3 image '" .. D ..
  "/ct7.nii.gz' does not exist; row 3 mask '" .. D .. "/seg7.nii.gz' does not exist")

p = B.file("label.csv", "id,image,mask,label\np1,ct1.nii.gz,seg1.nii.gz,liver\np2,ct2.nii.gz,seg2.nii.gz,-1\n")
B.call("manifest: label that is not a positive integer", function() cohort.read(p) end,
  "column 'label' must hold integers 0..255 (the mask label of the ROI; 0 or empty: every non-zero voxel): row 1 has 'liver', row 2 has '-1' (name ROIs in a 'roi' column instead)")

p = B.file("noid.csv", "id,image,mask\np1,ct1.nii.gz,seg1.nii.gz\n,ct2.nii.gz,seg2.nii.gz\n")
B.call("manifest: empty id cell", function() cohort.read(p) end, "column 'id' is empty in row 2; every case needs an id")

B.call("manifest: path not a string", function() cohort.read({}) end,
  "cohort.read: expected the manifest's path (a string), got table")

local opts = {image = "*_ct.nii.gz", mask = "*_seg.nii.gz"}
B.call("scan: folder that does not exist", function() cohort.scan(D .. "/nowhere", opts) end,
  "cohort.scan: '" .. D .. "/nowhere' does not exist; give the folder that holds the images and masks")
B.call("scan: a file, not a folder", function() cohort.scan(D .. "/ct1.nii.gz", opts) end,
  "cohort.scan: '" .. D .. "/ct1.nii.gz' is a file, not a folder")
B.call("scan: no image pattern", function() cohort.scan(D, {mask = "*_seg.nii.gz"}) end,
  "cohort.scan: option 'image' must be a file name pattern such as \"*_ct.nii.gz\"")
B.call("scan: unknown option", function() cohort.scan(D, {image = "*_ct.nii.gz", mask = "*_seg.nii.gz", label = 1}) end,
  "cohort.scan: unknown option 'label' (allowed: image, mask, id, strict)")
B.call("scan: same pattern for images and masks", function() cohort.scan(D, {image = "*.nii.gz", mask = "*.nii.gz"}) end,
  "cohort.scan: options 'image' and 'mask' are the same pattern '*.nii.gz'")
B.call("scan: no wildcard and no id pattern", function() cohort.scan(D, {image = "ct.nii.gz", mask = "*_seg.nii.gz"}) end,
  "cohort.scan: the image pattern 'ct.nii.gz' has no wildcard (* or ?) to take the id from")
B.call("scan: malformed id pattern", function() cohort.scan(D, {image = "*_ct.nii.gz", mask = "*_seg.nii.gz", id = "(%"}) end,
  "cohort.scan: option 'id' is not a valid Lua pattern: malformed pattern (ends with '%')")

local S = D .. "/scan"
mkdir(S .. "/a"); mkdir(S .. "/b")
for _, f in ipairs{"a/p1_ct.nii.gz", "a/p1_seg.nii.gz", "b/p1_ct.nii.gz", "p2_ct.nii.gz"} do touch("scan/" .. f) end
B.call("scan: two images with one id", function() cohort.scan(S, opts) end,
  "cohort.scan: id 'p1' has 2 images: 'a/p1_ct.nii.gz', 'b/p1_ct.nii.gz'; make the id unique")
B.call("scan: id pattern that finds no id", function() cohort.scan(S, {image = "*_ct.nii.gz", mask = "*_seg.nii.gz", id = "^(%d+)"}) end,
  "cohort.scan: the id pattern '^(%d+)' finds no id in 'a/p1_ct.nii.gz', 'a/p1_seg.nii.gz', 'b/p1_ct.nii.gz', 'p2_ct.nii.gz'")
local S2 = D .. "/scan2"
mkdir(S2 .. "/a")
for _, f in ipairs{"a/p1_ct.nii.gz", "a/p1_seg.nii.gz", "p2_ct.nii.gz"} do touch("scan2/" .. f) end
B.call("scan: strict with an image without mask", function()
  cohort.scan(S2, {image = "*_ct.nii.gz", mask = "*_seg.nii.gz", strict = true}) end,
  "cohort.scan: 1 image found no mask: 'p2_ct.nii.gz' (under '" .. S2 .. "'); strict = true makes this an error")
B.call("scan: nothing pairs", function() cohort.scan(S2, {image = "*_ct.nii.gz", mask = "*_mask.nii.gz"}) end,
  "cohort.scan: no image in '" .. S2 .. "' found its mask (3 files looked at; image = '*_ct.nii.gz', mask = '*_mask.nii.gz'); " ..
  "2 images found no mask: 'a/p1_ct.nii.gz', 'p2_ct.nii.gz'")

p = B.file("rois.csv", "id,image,mask,roi\np1,ct1.nii.gz,seg1.nii.gz,GTV\np1,ct1.nii.gz,seg1.nii.gz,node\n")
B.call("manifest: two ROIs of one patient that select the same voxels", function() cohort.read(p) end,
  "rows 1 and 2 of id 'p1' (roi 'GTV', 'node') select the same voxels: the same image, mask and label 0; " ..
  "a roi name does not select voxels: give each ROI its own label (column 'label') or its own mask")

-- extraction options: the cache, the progress bar, partial results
local good = B.file("good.csv", "id,image,mask\np1,ct1.nii.gz,seg1.nii.gz\n")
B.call("extract_cohort: cache not a folder name", function() rad.extract_cohort(good, nil, {cache = {}}) end,
  "rad.extract_cohort: cache must be the path of a folder (or false for none), not table")
B.call("extract_cohort: cache = true", function() rad.extract_cohort(good, nil, {cache = true}) end,
  "rad.extract_cohort: cache must be the path of a folder (or false for none), not boolean")
B.call("extract_cohort: progress not a boolean", function() rad.extract_cohort(good, nil, {progress = 1}) end,
  "rad.extract_cohort: progress must be true or false, not a number")
B.call("extract_cohort: unknown option", function() rad.extract_cohort(good, nil, {chache = "x"}) end,
  "rad.extract_cohort: unknown option 'chache'")
B.cli("extract --cohort: --cache without a folder", {"extract", "--cohort", good, "--cache"},
  {status = 2, stderr = "option --cache needs a value"})
B.cli("extract --cohort: --cache ''", {"extract", "--cohort", good, "--cache", ""},
  {status = 2, stderr = "--cache needs a folder name"})
B.cli("extract --cohort: --cache and --no-cache", {"extract", "--cohort", good, "--cache", D .. "/cachedir", "--no-cache"},
  {status = 2, stderr = "--cache and --no-cache contradict each other; give one", writes = {D .. "/cachedir"}})

local t = rad.table.new{{"id", {"p1"}}, {"image", {D .. "/ct1.nii.gz"}}}
B.call("write_manifest: a table without a mask column", function() cohort.write_manifest(t, D .. "/w1.csv") end,
  "cohort.write_manifest: no column 'mask' in the table", {writes = {D .. "/w1.csv"}})
t = rad.table.new{{"id", {"p1", "p2"}}, {"image", {D .. "/ct1.nii.gz", rad.NA}}, {"mask", {"seg1.nii.gz", "seg2.nii.gz"}}}
B.call("write_manifest: an empty image cell", function() cohort.write_manifest(t, D .. "/w2.csv") end,
  "cohort.write_manifest: column 'image' is empty in row 2; every case needs an image path", {writes = {D .. "/w2.csv"}})
t = rad.table.new{{"id", {"p1"}}, {"image", {D .. "/ct1.nii.gz"}}, {"mask", {D .. "/seg1.nii.gz"}}}
B.call("write_manifest: a folder that does not exist", function() cohort.write_manifest(t, D .. "/no/dir/w3.csv") end,
  "cohort.write_manifest: cannot write '" .. D .. "/no/dir/w3.csv' (check that the folder exists and is writable)",
  {writes = {D .. "/no/dir/w3.csv"}})

B.done()
