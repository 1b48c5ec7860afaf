-- radlab: tests of rad.rng and rad.cohort (splits, resampling, preprocessing).
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/cohort.lua
local T = require "rad.test"
local rng = require "rad.rng"
local cohort = require "rad.cohort"
local NA = rad.NA

-- ---- rng ---------------------------------------------------------------------
-- xoshiro256** seeded by splitmix64; the first outputs for seed 1234567 were
-- checked against the authors' C reference implementation.
do
  local g = rng.new(1234567)
  T.is(string.format("%016x", g:next()), "30a3a1c363600467", "xoshiro256** first output")
  T.is(string.format("%016x", g:next()), "19405f0f579929ca", "xoshiro256** second output")
  local a, b = rng.new(7), rng.new(7)
  local same = true
  for _ = 1, 100 do if a:random() ~= b:random() then same = false end end
  T.ok(same, "same seed, same stream")
  local c = rng.new(8)
  T.ok(rng.new(7):random() ~= c:random(), "different seed, different stream")
  local inrange, counts = true, {0, 0, 0, 0, 0, 0}
  local h = rng.new(99)
  for _ = 1, 6000 do
    local x = h:random()
    if not (x >= 0 and x < 1) then inrange = false end
    local k = h:int(6)
    counts[k] = (counts[k] or 0) + 1
  end
  T.ok(inrange, "random() in [0, 1)")
  local okc = #counts == 6
  for k = 1, 6 do if counts[k] < 850 or counts[k] > 1150 then okc = false end end
  T.ok(okc, "int(6) covers 1..6 evenly: " .. table.concat(counts, " "))
  local arr = {}
  for i = 1, 50 do arr[i] = i end
  h:shuffle(arr)
  local seen, moved = {}, 0
  for i, v in ipairs(arr) do seen[v] = true; if v ~= i then moved = moved + 1 end end
  local perm = #arr == 50
  for i = 1, 50 do if not seen[i] then perm = false end end
  T.ok(perm and moved > 30, "shuffle is a permutation")
  T.errors(function() rng.new(1.5) end, "seed must be an integer", "non-integer seed")
  T.errors(function() h:int(0) end, "n must be an integer", "int(0)")
end

-- ---- a known cohort: 20 patients, 14 class 0 and 6 class 1, 2 centres ------------
local id, y, centre, x, grp = {}, {}, {}, {}, {}
for i = 1, 20 do
  id[i] = i
  y[i] = i <= 14 and 0 or 1
  centre[i] = i % 4 == 0 and "B" or "A"    -- rows 4, 8, 12, 16, 20 are centre B
  x[i] = i * 1.0
  grp[i] = i % 2 == 0 and "even" or "odd"
end
local t = rad.table.new{{"id", id}, {"y", y}, {"centre", centre}, {"x", x}, {"grp", grp}}

local function count(tab, col, val)
  local n = 0
  for _, v in ipairs(tab:col(col)) do if v == val then n = n + 1 end end
  return n
end
local function ids(tab)
  local out = {}
  for i, v in ipairs(tab:col("id")) do out[i] = string.format("%d", v) end
  return table.concat(out, ",")
end

do
  local train, test = cohort.split(t, {test = 0.3, strata = "y", seed = 11})
  T.is(test:nrow(), 6, "stratified split: 6 test rows")
  T.is(train:nrow(), 14, "stratified split: 14 training rows")
  T.is(count(test, "y", 0), 4, "test: round(0.3 * 14) = 4 of class 0")
  T.is(count(test, "y", 1), 2, "test: round(0.3 * 6) = 2 of class 1")
  T.is(count(train, "y", 1), 4, "train: 4 of class 1")
  local all = {}
  for _, v in ipairs(train:col("id")) do all[v] = (all[v] or 0) + 1 end
  for _, v in ipairs(test:col("id")) do all[v] = (all[v] or 0) + 1 end
  local once = true
  for i = 1, 20 do if all[i] ~= 1 then once = false end end
  T.ok(once, "split: every row in exactly one set")
  local train2, test2 = cohort.split(t, {test = 0.3, strata = "y", seed = 11})
  T.is(ids(test2), ids(test), "same seed, same split")
  T.is(ids(train2), ids(train), "same seed, same training set")
  local _, test3 = cohort.split(t, {test = 0.3, strata = "y", seed = 12})
  T.ok(ids(test3) ~= ids(test), "different seed, different split")
  local _, test4 = cohort.split(t, {test = 0.25, seed = 3})
  T.is(test4:nrow(), 5, "unstratified split: round(0.25 * 20) = 5")
  local ordered = true
  local c = test:col("id")
  for i = 2, #c do if c[i] < c[i - 1] then ordered = false end end
  T.ok(ordered, "rows keep their original order")
  T.errors(function() cohort.split(t, {test = 1.5}) end, "option 'test' must be a fraction", "bad test fraction")
  T.errors(function() cohort.split(t, {strata = "yy"}) end, "no column 'yy'", "unknown strata column")
  T.errors(function() cohort.split(t, {tset = 0.3}) end, "unknown option 'tset'", "unknown option")
  local tna = rad.table.new{{"y", {0, 1, NA, 1}}}
  T.errors(function() cohort.split(tna, {strata = "y"}) end, "missing value in row 3", "missing strata value")
end

do
  local train, test = cohort.split_by(t, "centre", {test = {"B"}})
  T.is(ids(test), "4,8,12,16,20", "split_by: centre B is the test set")
  T.is(train:nrow(), 15, "split_by: 15 training rows")
  T.is(count(train, "centre", "B"), 0, "split_by: no centre B in training")
  T.errors(function() cohort.split_by(t, "centre", {test = {"C"}}) end,
    "value 'C' does not occur in column 'centre'", "split_by: unknown value")
  T.errors(function() cohort.split_by(t, "centre", {test = {"A", "B"}}) end,
    "nothing left to train on", "split_by: everything in test")
end

do
  local folds = cohort.kfold(t, {k = 5, strata = "y", seed = 5})
  T.is(#folds, 5, "5 folds")
  local times, sizes_ok, strat_ok, disjoint = {}, true, true, true
  for _, f in ipairs(folds) do
    if f.test:nrow() ~= 4 or f.train:nrow() ~= 16 then sizes_ok = false end
    local c1 = count(f.test, "y", 1)
    if c1 < 1 or c1 > 2 then strat_ok = false end
    local intest = {}
    for _, v in ipairs(f.test:col("id")) do times[v] = (times[v] or 0) + 1; intest[v] = true end
    for _, v in ipairs(f.train:col("id")) do if intest[v] then disjoint = false end end
  end
  local once = true
  for i = 1, 20 do if times[i] ~= 1 then once = false end end
  T.ok(once, "k-fold: every row is in exactly one test fold")
  T.ok(sizes_ok, "k-fold: 4 test and 16 training rows per fold")
  T.ok(strat_ok, "k-fold: each test fold holds 1 or 2 of the 6 class-1 rows")
  T.ok(disjoint, "k-fold: train and test disjoint")
  local rep = cohort.kfold(t, {k = 4, repeats = 3, seed = 5})
  T.is(#rep, 12, "repeated k-fold: 3 x 4 folds")
  T.is(rep[12].rep, 3, "repeat number recorded")
  T.ok(ids(rep[1].test) ~= ids(rep[5].test), "repeats use fresh permutations")
  local again = cohort.kfold(t, {k = 5, strata = "y", seed = 5})
  T.is(ids(again[3].test), ids(folds[3].test), "k-fold reproducible with a seed")
  T.errors(function() cohort.kfold(t, {k = 1}) end, "option 'k' must be an integer in 2..20", "k = 1")
  T.errors(function() cohort.kfold(t, {k = 21}) end, "option 'k' must be an integer in 2..20", "k > n")
end

do
  local boots = cohort.bootstrap(t, {n = 50, seed = 3})
  T.is(#boots, 50, "50 bootstrap resamples")
  local sizes, disjoint, covers = true, true, true
  local mean_oob = 0
  for _, b in ipairs(boots) do
    if b.train:nrow() ~= 20 then sizes = false end
    local drawn = {}
    for _, v in ipairs(b.train:col("id")) do drawn[v] = true end
    local n_in = 0
    for _ in pairs(drawn) do n_in = n_in + 1 end
    for _, v in ipairs(b.test:col("id")) do if drawn[v] then disjoint = false end end
    if n_in + b.test:nrow() ~= 20 then covers = false end
    mean_oob = mean_oob + b.test:nrow() / 50
  end
  T.ok(sizes, "bootstrap resamples have nrow rows")
  T.ok(disjoint, "out-of-bag rows are not in the resample")
  T.ok(covers, "resample and out-of-bag rows cover the table")
  -- expected out-of-bag fraction (1 - 1/20)^20 = 0.358 -> 7.2 rows
  T.near(mean_oob, 20 * (1 - 1 / 20) ^ 20, 1.2, "mean out-of-bag size near n (1 - 1/n)^n")
  T.is(ids(cohort.bootstrap(t, {n = 2, seed = 3})[2].train), ids(boots[2].train), "bootstrap reproducible")
  T.is(#boots[1].rows, 20, "row list of the resample")
  T.is(#boots[1].test_rows, boots[1].test:nrow(), "row list of the out-of-bag rows")
end

-- ---- preprocessing fitted on train, applied to test ------------------------------
do
  local train = rad.table.new{{"a", {1, 2, 3, 4, 5}}, {"b", {10, 10, 20, 20, NA}}, {"s", {"u", "v", "v", NA, "w"}}}
  local test = rad.table.new{{"a", {6, 0}}, {"b", {NA, 40}}, {"s", {NA, "u"}}}
  local z = cohort.standardize{"a", "b"}:fit(train)
  T.near(z.mean.a, 3, 1e-15, "train mean of a")
  T.near(z.sd.a, math.sqrt(2.5), 1e-15, "train sd of a (n - 1)")
  T.near(z.mean.b, 15, 1e-15, "train mean of b over non-missing values")
  T.near(z.sd.b, math.sqrt(100 / 3), 1e-13, "train sd of b")
  local tz = z:apply(train)
  local m, s = cohort._mean_sd(tz:col("a"))
  T.near(m, 0, 1e-15, "standardized train: mean 0")
  T.near(s, 1, 1e-15, "standardized train: sd 1")
  T.is(tz:col("b")[5], NA, "missing stays missing")
  T.is(table.concat(tz:names(), ","), "a,b,s", "column order kept")
  local sz = z:apply(test)
  T.near(sz:col("a")[1], (6 - 3) / math.sqrt(2.5), 1e-14, "test uses train's mean and sd (a = 6)")
  T.near(sz:col("a")[2], -3 / math.sqrt(2.5), 1e-14, "test uses train's mean and sd (a = 0)")
  T.near(sz:col("b")[2], (40 - 15) / math.sqrt(100 / 3), 1e-13, "test uses train's parameters for b")
  T.is(test:col("a")[1], 6, "apply does not modify its input")
  T.errors(function() cohort.standardize{"s"}:fit(train) end, "column 's' holds strings", "standardize a string column")
  local const = rad.table.new{{"k", {2, 2, 2}}}
  T.errors(function() cohort.standardize():fit(const) end, "column 'k' is constant", "standardize a constant column")
  T.errors(function() z:apply(rad.table.new{{"a", {1}}}) end, "column 'b'", "apply to a table without b")

  local imp = cohort.impute{}:fit(train)
  T.is(imp.value.b, 15.0, "median of b = (10 + 20) / 2")
  T.is(imp.value.s, "v", "strings take the mode")
  local ti = imp:apply(test)
  T.is(ti:col("b")[1], 15.0, "test gap filled with train's median")
  T.is(ti:col("b")[2], 40, "observed test value untouched")
  T.is(ti:col("s")[1], "v", "test string gap filled with train's mode")
  local imp2 = cohort.impute{cols = {"a"}}:fit(rad.table.new{{"a", {1, 9, 2, NA}}})
  T.is(imp2.value.a, 2, "median of an odd count")
  local mode = cohort.impute{method = "mode", cols = {"b"}}:fit(train)
  T.is(mode.value.b, 10, "mode (ties: first in sorted order)")
  local omit = cohort.impute{na = "omit"}:fit(train)
  T.is(omit:apply(train):nrow(), 3, "na = omit drops rows with a missing value")
  local strict = cohort.impute{na = "error"}:fit(train)
  T.errors(function() strict:apply(test) end, "column 'b' has a missing value in row 1", "na = error names column and row")
  T.errors(function() cohort.impute{method = "mean"} end, "option 'method' must be", "bad method")
  T.errors(function() cohort.impute{}:fit(rad.table.new{{"a", {1, 2}}, {"e", {NA, NA}}}) end,
    "column 'e' is entirely missing", "all-missing column")

  local dc = cohort.drop_constant():fit(rad.table.new{{"a", {1, 2, 3}}, {"c", {5, 5, NA}}, {"s", {"x", "x", "x"}}})
  T.is(table.concat(dc.dropped, ","), "c,s", "constant columns found in train")
  local td = dc:apply(rad.table.new{{"a", {1}}, {"c", {7}}, {"s", {"y"}}})
  T.is(table.concat(td:names(), ","), "a", "dropped from other data even where it varies")
end

-- ---- manifests: cohort.read, cohort.scan, cohort.write_manifest ---------------
local function sh(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
local function mkdir(p) assert(os.execute("mkdir -p " .. sh(p))) end
local function touch(p) local f = assert(io.open(p, "wb")); f:close() end
local function put(p, text) local f = assert(io.open(p, "wb")); f:write(text); f:close() end
local function slurp(p) local f = assert(io.open(p, "rb")); local s = f:read("a"); f:close(); return s end
local function cells(tab, col)
  local out = {}
  for i, v in ipairs(tab:col(col)) do out[i] = tostring(v) end
  return table.concat(out, "|")
end

local M = T.tmpdir() .. "/manifest"
mkdir(M .. "/imgs")
rad.image.new{size = {2, 2, 2}, value = 7}:write(M .. "/imgs/p1.nii.gz")
for _, f in ipairs{"p1_seg.nii.gz", "p2.nii.gz", "p2_seg.nii.gz", "abs.nii.gz"} do touch(M .. "/imgs/" .. f) end
do
  put(M .. "/m.csv", "id,image,mask,label,modality,age,centre\n" ..
    "p1,imgs/p1.nii.gz,./imgs/p1_seg.nii.gz,1,CT,4.5,A\n" ..
    "p1,imgs/p1.nii.gz,imgs/p1_seg.nii.gz,2,CT,4.5,A\n" ..
    "007,imgs/p2.nii.gz,imgs/p2_seg.nii.gz,1,CT,,B\n" ..
    "p3," .. M .. "/imgs/abs.nii.gz,imgs/p2_seg.nii.gz,1,PET,12,B\n")
  local t = cohort.read(M .. "/m.csv")
  T.is(table.concat(t:names(), ","), "id,image,mask,label,modality,age,centre", "read: columns in manifest order, others carried")
  T.is(cells(t, "id"), "p1|p1|007|p3", "read: rows in manifest order, id '007' kept as text")
  T.is(t:type("id"), "string", "read: id is a string column")
  T.is(cells(t, "image"), M .. "/imgs/p1.nii.gz|" .. M .. "/imgs/p1.nii.gz|" .. M .. "/imgs/p2.nii.gz|" .. M .. "/imgs/abs.nii.gz",
    "read: image paths resolved from the manifest's folder, the absolute one kept")
  T.is(t:get(1, "mask"), M .. "/imgs/p1_seg.nii.gz", "read: a leading ./ is dropped")
  T.is(cells(t, "label"), "1|2|1|1", "read: labels")
  T.is(t:get(3, "age"), NA, "read: an empty carried cell is missing")
  T.is(t:get(4, "age"), 12, "read: carried numbers stay numbers")
  T.is(rad.read(t:get(1, "image")):stats().mean, 7.0, "read: the resolved path opens the image")

  -- the same manifest named relative to the current directory
  local here = io.popen("pwd"):read("l")
  local _, depth = here:gsub("/[^/]+", "")
  local rel = ("../"):rep(depth) .. M:sub(2)
  local tr = cohort.read(rel .. "/m.csv")
  T.is(tr:get(3, "image"), rel .. "/imgs/p2.nii.gz", "read: a relative manifest gives paths relative to here")
  T.is(tr:get(4, "image"), M .. "/imgs/abs.nii.gz", "read: ... and keeps absolute ones")

  -- written back: relative to the new manifest's folder
  mkdir(M .. "/out")
  T.is(cohort.write_manifest(t, M .. "/out/m2.csv"), t, "write_manifest returns its table")
  T.is(slurp(M .. "/out/m2.csv"), "id,image,mask,label,modality,age,centre\n" ..
    "p1,../imgs/p1.nii.gz,../imgs/p1_seg.nii.gz,1,CT,4.5,A\n" ..
    "p1,../imgs/p1.nii.gz,../imgs/p1_seg.nii.gz,2,CT,4.5,A\n" ..
    "007,../imgs/p2.nii.gz,../imgs/p2_seg.nii.gz,1,CT,,B\n" ..
    "p3,../imgs/abs.nii.gz,../imgs/p2_seg.nii.gz,1,PET,12,B\n",
    "write_manifest: paths relative to out/")
  cohort.write_manifest(tr, M .. "/m3.csv")
  T.like(slurp(M .. "/m3.csv"), "\np3,imgs/abs.nii.gz,imgs/p2_seg.nii.gz,", "write_manifest: an absolute path inside the folder becomes relative", true)
  T.like(slurp(M .. "/m3.csv"), "\n007,imgs/p2.nii.gz,imgs/p2_seg.nii.gz,", "write_manifest: a path relative to here becomes relative to the manifest", true)
  -- ".." is kept as written, not folded lexically (a symlinked folder would make that wrong)
  T.is(cohort.read(M .. "/out/m2.csv"):get(1, "image"), M .. "/out/../imgs/p1.nii.gz", "read(write_manifest(t)) finds t's files again")
end

-- paths with spaces, quotes, $, backticks and non-ASCII letters
do
  local odd = "we ird $HOME `id` 'q' \"dq\" Zürich"
  mkdir(M .. "/" .. odd)
  touch(M .. "/" .. odd .. "/ct $(x).nii.gz")
  touch(M .. "/" .. odd .. "/seg;rm.nii.gz")
  local q = function(s) return '"' .. s:gsub('"', '""') .. '"' end
  put(M .. "/odd.csv", "id,image,mask\n" .. q("pé 1") .. "," .. q(odd .. "/ct $(x).nii.gz") .. "," .. q(odd .. "/seg;rm.nii.gz") .. "\n")
  local t = cohort.read(M .. "/odd.csv")
  T.is(t:get(1, "image"), M .. "/" .. odd .. "/ct $(x).nii.gz", "read: a path with spaces, quotes, $, backticks and ü")
  T.is(t:get(1, "id"), "pé 1", "read: a non-ASCII id")
  local s = cohort.scan(M .. "/" .. odd, {image = "ct*.nii.gz", mask = "seg*.nii.gz", id = "^()"})
  T.is(s:get(1, "mask"), M .. "/" .. odd .. "/seg;rm.nii.gz", "scan: a folder with odd characters")
end

-- validation: every problem found before any work, all rows named
do
  put(M .. "/nocol.csv", "id,img,seg,age\np1,a,b,3\n")
  T.errors(function() cohort.read(M .. "/nocol.csv") end,
    "nocol.csv has no column 'image', 'mask' (columns found: id, img, seg, age); a manifest needs the columns id, image and mask",
    "read: missing columns named, found ones listed")
  put(M .. "/bad.csv", "id,image,mask,roi\n" ..
    "p1,imgs/p1.nii.gz,imgs/p1_seg.nii.gz,tumour\n" ..
    "p2,imgs/gone.nii.gz,imgs/p2_seg.nii.gz,tumour\n" ..
    "p1,imgs/p1.nii.gz,imgs/p1_seg.nii.gz,tumour\n" ..
    "p2,imgs/p2.nii.gz,imgs/lost.nii.gz,tumour\n" ..
    "p2,imgs,imgs/p2_seg.nii.gz,tumour\n")
  local err = T.errors(function() cohort.read(M .. "/bad.csv") end, "bad.csv is not a valid manifest (rows count data lines from 1):\n" ..
    "  2 duplicated keys (id, roi must identify one case): (id = p1, roi = tumour) in rows 1 and 3; " ..
    "(id = p2, roi = tumour) in rows 2, 4 and 5\n", "read: every duplicated key with its rows")
  T.like(err, "\n  3 files not found or not readable (paths relative to the manifest's folder '" .. M .. "'): " ..
    "row 2 image '" .. M .. "/imgs/gone.nii.gz' does not exist; row 4 mask '" .. M .. "/imgs/lost.nii.gz' does not exist; " ..
    "row 5 image '" .. M .. "/imgs' is a folder without a readable DICOM series", "read: every missing file at once, with its row", true)
  put(M .. "/label.csv", "id,image,mask,label\np1,imgs/p2.nii.gz,imgs/p2_seg.nii.gz,0\np2,imgs/p2.nii.gz,imgs/p2_seg.nii.gz,1.5\n" ..
    "p3,imgs/p2.nii.gz,imgs/p2_seg.nii.gz,\np4,imgs/p2.nii.gz,imgs/p2_seg.nii.gz,3\np5,imgs/p2.nii.gz,imgs/p2_seg.nii.gz,256\n")
  T.errors(function() cohort.read(M .. "/label.csv") end,
    "column 'label' must hold integers 0..255 (the mask label of the ROI; 0 or empty: every non-zero voxel): " ..
    "row 2 has '1.5', row 5 has '256'", "read: labels that are not integers 0..255 (0 and empty allowed)")
  put(M .. "/empty.csv", "id,image,mask\n")
  T.errors(function() cohort.read(M .. "/empty.csv") end, "empty.csv has a header but no rows", "read: a manifest without rows")
end

-- scan: a folder tree
do
  local S = M .. "/scan"
  mkdir(S .. "/A"); mkdir(S .. "/B"); mkdir(S .. "/.trash")
  for _, f in ipairs{"A/p001_ct.nii.gz", "A/p001_seg.nii.gz", "B/p002_ct.nii.gz", "p002_seg.nii.gz",
                     "p003_ct.nii.gz", "B/p004_seg.nii.gz", ".trash/p009_ct.nii.gz", "A/._p001_ct.nii.gz", "notes.txt"} do
    touch(S .. "/" .. f)
  end
  local real, said = warn, {}
  warn = function(m) said[#said + 1] = m end
  local t = cohort.scan(S, {image = "*_ct.nii.gz", mask = "*_seg.nii.gz"})
  warn = real
  T.is(cells(t, "id"), "p001|p002", "scan: the paired cases, by id")
  T.is(cells(t, "image"), S .. "/A/p001_ct.nii.gz|" .. S .. "/B/p002_ct.nii.gz", "scan: images found recursively")
  T.is(cells(t, "mask"), S .. "/A/p001_seg.nii.gz|" .. S .. "/p002_seg.nii.gz", "scan: each image's mask, wherever it is")
  T.is(said[1], "cohort.scan: 1 image found no mask: 'p003_ct.nii.gz'; 1 mask found no image: 'B/p004_seg.nii.gz' (under '" ..
    S .. "'); left out of the manifest", "scan: one warning names the unpaired files (hidden ones ignored)")
  T.errors(function() cohort.scan(S, {image = "*_ct.nii.gz", mask = "*_seg.nii.gz", strict = true}) end,
    "cohort.scan: 1 image found no mask: 'p003_ct.nii.gz'; 1 mask found no image: 'B/p004_seg.nii.gz' (under '" ..
    S .. "'); strict = true makes this an error", "scan: strict = true")

  local L = M .. "/layout"
  for _, p in ipairs{"p10", "p11"} do
    mkdir(L .. "/" .. p)
    touch(L .. "/" .. p .. "/ct.nii.gz"); touch(L .. "/" .. p .. "/seg.nii.gz")
  end
  local a = cohort.scan(L .. "/", {image = "*/ct.nii.gz", mask = "*/seg.nii.gz"})
  T.is(cells(a, "id") .. " " .. cells(a, "image"), "p10|p11 " .. L .. "/p10/ct.nii.gz|" .. L .. "/p11/ct.nii.gz",
    "scan: a folder-per-patient layout, id from the folder wildcard")
  local b = cohort.scan(L, {image = "ct.nii.gz", mask = "seg.nii.gz", id = "^(p%d+)/"})
  T.is(cells(b, "id") .. " " .. cells(b, "mask"), "p10|p11 " .. L .. "/p10/seg.nii.gz|" .. L .. "/p11/seg.nii.gz",
    "scan: id = a Lua pattern on the relative path")
  cohort.write_manifest(b, L .. "/m.csv")
  T.is(slurp(L .. "/m.csv"), "id,image,mask\np10,p10/ct.nii.gz,p10/seg.nii.gz\np11,p11/ct.nii.gz,p11/seg.nii.gz\n",
    "scan then write_manifest: paths relative to the folder")
  T.is(cells(cohort.read(L .. "/m.csv"), "image"), cells(b, "image"), "... which cohort.read reads back")
end

T.done()
