-- radlab: rad.extract_cohort and radlab extract --cohort.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local dir = T.tmpdir()

-- ---- a small cohort: four good cases, one mask on another grid, one missing image ----
-- case k: an 8x8x4 image with values (i * k + 3 * j + 7 * z) % 23 + 10 * k and a
-- block ROI of label 1 (plus 6 voxels of label 2 in cases 2 and 4: selected in case 2, both
-- labels in case 4)
rad.quiet(true)
local ids = {"c1", "c2", "c3", "c4", "c5", "c6"}
for k = 1, 4 do
  local img = rad.image.new{size = {8, 8, 4}, spacing = {1, 1, 2}}
  local m = rad.mask.new(img)
  for z = 1, 4 do for j = 1, 8 do for i = 1, 8 do
    img:set(i, j, z, (i * k + 3 * j + 7 * z) % 23 + 10 * k)
    if i >= 2 and i <= 6 and j >= 3 and j <= 7 and z >= 2 then m:set(i, j, z, 1) end
  end end end
  if k == 2 or k == 4 then for i = 1, 3 do m:set(i, 1, 1, 2); m:set(i, 2, 1, 2) end end
  img:write(dir .. "/img" .. k .. ".nii.gz")
  m:write(dir .. "/seg" .. k .. ".nii.gz")
end
local other = rad.mask.new{size = {8, 8, 4}, spacing = {2, 2, 2}}
other:set(2, 2, 2, 1); other:set(3, 3, 3, 1)
other:write(dir .. "/seg5.nii.gz")

local function write(path, text)
  local f = assert(io.open(path, "wb")); f:write(text); f:close()
end
local function slurp(path)
  local f = io.open(path, "rb"); if not f then return nil end
  local s = f:read("a"); f:close(); return s
end
local manifest = dir .. "/cohort.csv"
write(manifest, table.concat({
  "id,image,mask,label,centre",
  "c1,img1.nii.gz,seg1.nii.gz,,A",
  "c2,img2.nii.gz,seg2.nii.gz,2,A",
  "c3,img3.nii.gz,seg3.nii.gz,1,B",
  "c4," .. dir .. "/img4.nii.gz,seg4.nii.gz,0,B",
  "c5,img1.nii.gz,seg5.nii.gz,,A",
  "c6,nothere.nii.gz,seg1.nii.gz,,B",
}, "\n") .. "\n")
local settings = {discretise = {method = "fbs", width = 2}}
local labels = {0, 2, 1, 0}

local t1 = rad.extract_cohort(manifest, settings, {threads = 1})
local t2 = rad.extract_cohort(manifest, settings, {threads = 2})
t1:write_csv(dir .. "/t1.csv"); t2:write_csv(dir .. "/t2.csv")
local b1, b2 = slurp(dir .. "/t1.csv"), slurp(dir .. "/t2.csv")
T.ok(b1 and #b1 > 1000 and b1 == b2, "threads = 1 and threads = 2 write the same bytes")

-- rows and key columns
T.is(t1:nrow(), 6, "one row per case")
local names = t1:names()
T.is(table.concat({names[1], names[2], names[3], names[4]}, ","), "id,label,status,error",
  "key columns (id, label), then status and error; centre is not carried")
T.is(table.concat(t1:col("id"), ","), "c1,c2,c3,c4,c5,c6", "rows in manifest order")
T.is(table.concat(t1:col("status"), ","), "ok,ok,ok,ok,failed,failed", "status per case")

-- every feature value equals rad.extract on the same case, in the same order
local same, nfeat, first_bad = true, 0, nil
for k = 1, 4 do
  local img = rad.read(dir .. "/img" .. k .. ".nii.gz")
  local mask = rad.read_mask(dir .. "/seg" .. k .. ".nii.gz", {label = labels[k]})
  local fs = rad.extract(img, mask, settings)
  local fnames, fvalues = fs:names(), fs:values()
  nfeat = #fnames
  T.is(t1:get(k, "error"), rad.NA, "case " .. k .. ": error is NA")
  for f = 1, #fnames do
    if names[4 + f] ~= fnames[f] or t1:get(k, fnames[f]) ~= fvalues[f] then
      same = false
      first_bad = first_bad or (k .. " " .. fnames[f])
    end
  end
end
T.ok(same, "every feature equals rad.extract exactly, columns in the registry's order" ..
  (first_bad and (" (first difference: " .. first_bad .. ")") or ""))
T.is(#names, 4 + nfeat, "one column per feature")
-- voxel-counting volume by hand: 6 voxels of label 2, a 5x5x3 block of label 1; 2 mm^3 voxels
T.is(t1:get(2, "morph_vol_approx"), 12, "case 2, label 2: 6 voxels, 12 mm^3")
T.is(t1:get(3, "morph_vol_approx"), 150, "case 3, label 1: 75 voxels, 150 mm^3")
T.is(t1:get(4, "morph_vol_approx"), 162, "case 4, label 0 (every non-zero voxel): 81 voxels, 162 mm^3")

-- failed rows: the engine's message, NA features
local ok5, err5 = pcall(rad.extract, rad.read(dir .. "/img1.nii.gz"), rad.read_mask(dir .. "/seg5.nii.gz"), settings)
T.ok(not ok5, "control: rad.extract fails on case 5")
T.like(t1:get(5, "error"), "image and mask geometries differ", "mask on another grid: the geometry message", true)
T.ok(tostring(err5):find(t1:get(5, "error"), 1, true) ~= nil, "the same message rad.extract raises")
T.like(t1:get(6, "error"), "cannot open '" .. dir .. "/nothere.nii.gz'", "missing file: named, relative to the manifest", true)
T.is(t1:get(5, "stat_mean"), rad.NA, "failed case: features NA")

-- a Table manifest: the same result
local mt = rad.read_csv(manifest, {types = {id = "string", image = "string", mask = "string"}})
local paths = {}
for i, p in ipairs(mt:col("image")) do paths[i] = p:sub(1, 1) == "/" and p or dir .. "/" .. p end
local masks = {}
for i, p in ipairs(mt:col("mask")) do masks[i] = dir .. "/" .. p end
mt:drop("image"); mt:drop("mask"); mt:add("image", paths); mt:add("mask", masks)
local t3 = rad.extract_cohort(mt, settings, {threads = 2})
t3:write_csv(dir .. "/t3.csv")
T.ok(slurp(dir .. "/t3.csv") == b1, "a Table manifest with absolute paths gives the same bytes")

-- strict: the first failure, named
T.errors(function() rad.extract_cohort(manifest, settings, {threads = 2, strict = true}) end,
  "rad.extract_cohort: case 'c5' (row 5): image and mask geometries differ", "strict: stops naming the first failed case")

-- ---- radlab extract --cohort ------------------------------------------------------------
local function run(args)
  local errf = dir .. "/stderr.txt"
  local cmd = "'" .. os.getenv("RADLAB") .. "' extract " .. args .. " 2>'" .. errf .. "'"
  local p = io.popen(cmd)
  local stdout = p:read("a")
  local _, _, status = p:close()
  return status, slurp(errf) or "", stdout
end
local sfile = dir .. "/settings.lua"
write(sfile, "return {discretise = {method = \"fbs\", width = 2}}\n")
local out = dir .. "/cli.csv"
local status, err = run("--cohort '" .. manifest .. "' -s '" .. sfile .. "' -o '" .. out .. "' -j 2")
T.is(status, 3, "some cases failed: exit status 3")
T.like(err, "^radlab: 6 cases: 4 ok, 2 failed %(c5: image and mask geometries differ", "summary line")
T.like(err, "; c6: cannot open '" .. dir .. "/nothere.nii.gz'", "summary names every failed case", true)
T.ok(slurp(out) == b1, "the CLI writes the same bytes as rad.extract_cohort")
local good = dir .. "/good.csv"
write(good, "id,image,mask\nc1,img1.nii.gz,seg1.nii.gz\nc3,img3.nii.gz,seg3.nii.gz\n")
local stdout
status, err, stdout = run("--cohort '" .. good .. "' -s '" .. sfile .. "' -j 1")
T.is(status, 0, "every case ok: exit status 0")
T.is(err, "radlab: 2 cases: 2 ok, 0 failed\n", "summary when all ok")
T.like(stdout, "^id,status,error,", "without -o the table goes to standard output")
status, err = run("--cohort '" .. manifest .. "' -s '" .. sfile .. "' -o '" .. dir .. "/strict.csv' --strict")
T.is(status, 1, "--strict: exit status 1")
T.like(err, "case 'c5' (row 5): image and mask geometries differ", "--strict: names the case", true)
T.is(slurp(dir .. "/strict.csv"), nil, "--strict: nothing written")

T.done()
