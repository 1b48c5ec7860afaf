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

-- ---- the cache ----------------------------------------------------------------------------
local cache = dir .. "/cache"
local function bytes(t, name)
  t:write_csv(dir .. "/" .. name)
  return slurp(dir .. "/" .. name)
end
local tc, info = rad.extract_cohort(manifest, settings, {threads = 2, cache = cache, progress = false})
T.is(info.cached, 0, "cache: first run computes every case")
T.is(info.ok .. "/" .. info.failed .. "/" .. info.not_run .. "/" .. info.cases, "4/2/0/6", "info: ok/failed/not_run/cases")
T.is(info.cache, cache, "info.cache names the folder")
T.ok(bytes(tc, "c1.csv") == b1, "cache: first run writes the same bytes as without a cache")
T.ok(slurp(cache .. "/CACHEDIR.TAG") ~= nil, "cache: the folder is tagged (CACHEDIR.TAG)")
tc, info = rad.extract_cohort(manifest, settings, {threads = 1, cache = cache})
T.is(info.cached, 4, "cache: a re-run serves the 4 ok cases (failed ones are recomputed)")
T.ok(bytes(tc, "c2.csv") == b1, "cache: served results give the same bytes")
-- a changed image: only its case is recomputed
local img3_bytes = slurp(dir .. "/img3.nii.gz")
local img3 = rad.read(dir .. "/img3.nii.gz")
img3:set(3, 4, 2, img3:get(3, 4, 2) + 5)
img3:write(dir .. "/img3.nii.gz")
tc, info = rad.extract_cohort(manifest, settings, {threads = 2, cache = cache})
T.is(info.cached, 3, "cache: image 3 changed: 3 cases served, 1 recomputed")
local fresh = rad.extract(img3, rad.read_mask(dir .. "/seg3.nii.gz"), settings)
T.is(tc:col("stat_mean")[3], fresh.stat_mean, "cache: the changed case has the new image's value")
write(dir .. "/img3.nii.gz", img3_bytes) -- back as it was (its entry is still in the cache)
-- other settings: nothing served
tc, info = rad.extract_cohort(manifest, {discretise = {method = "fbs", width = 3}}, {cache = cache})
T.is(info.cached, 0, "cache: other settings share no entry")
-- a truncated entry: recomputed, with a warning
local h = io.popen("grep -rl 'settings " .. rad.settings.digest(settings) .. "' '" .. cache .. "/v1' | sort | head -n 1")
local entry = h:read("l"); h:close()
local text = slurp(entry)
write(entry, text:sub(1, #text // 2))
local before = #rad.warnings()
tc, info = rad.extract_cohort(manifest, settings, {cache = cache})
local w = rad.warnings()
T.is(info.corrupt, 1, "cache: a truncated entry is detected")
T.is(info.cached, 3, "cache: ... and not served")
T.like(#w > before and w[#w] or "", "1 cache entry in '" .. cache .. "' failed its checks", "cache: a warning says so", true)
T.is(slurp(entry), text, "cache: the entry is rewritten whole")
-- a folder that cannot be written: one warning, the run goes on
before = #rad.warnings()
tc, info = rad.extract_cohort(manifest, settings, {threads = 2, cache = dir .. "/t1.csv/sub"})
w = rad.warnings()
T.is(#w - before, 1, "cache: an unusable folder gives exactly one warning")
T.like(w[#w], "t1.csv/sub", "cache: ... naming the folder", true)
T.like(w[#w], "the run went on without the cache", "cache: ... and what happened", true)
T.is(info.cache, nil, "cache: info.cache is nil when none was used")
T.ok(bytes(tc, "c3.csv") == b1, "cache: the run without it gives the same bytes")
-- option checks
T.errors(function() rad.extract_cohort(manifest, settings, {cache = 5}) end,
  "rad.extract_cohort: cache must be the path of a folder (or false for none), not number", "cache = 5")
T.errors(function() rad.extract_cohort(manifest, settings, {cache = ""}) end,
  "cache must be the path of a folder (or false for none), not an empty string", "cache = \"\"")
T.errors(function() rad.extract_cohort(manifest, settings, {progress = "yes"}) end,
  "rad.extract_cohort: progress must be true or false, not a string", "progress = \"yes\"")
T.errors(function() rad.extract_cohort(manifest, settings, {partial = 1}) end,
  "rad.extract_cohort: partial must be true or false, not a number", "partial = 1")

-- ---- the CLI's cache: beside the output by default ------------------------------------------
local cdir = dir .. "/cli out"
os.execute("mkdir -p '" .. cdir .. "'")
status, err = run("--cohort '" .. manifest .. "' -s '" .. sfile .. "' -o '" .. cdir .. "/f.csv' -j 2")
T.is(status, 3, "cli cache: first run, exit status 3 (two cases fail)")
T.ok(slurp(cdir .. "/radlab-cache/CACHEDIR.TAG") ~= nil, "cli cache: radlab-cache beside the output")
status, err = run("--cohort '" .. manifest .. "' -s '" .. sfile .. "' -o '" .. cdir .. "/f.csv' -j 2")
T.like(err, "^radlab: 6 cases: 4 ok %(4 from the cache%), 2 failed", "cli cache: the re-run says what came from the cache")
T.ok(slurp(cdir .. "/f.csv") == b1, "cli cache: same bytes")
status, err = run("--cohort '" .. manifest .. "' -s '" .. sfile .. "' -o '" .. cdir .. "/g.csv' --no-cache -q")
T.like(err, "^radlab: 6 cases: 4 ok, 2 failed", "--no-cache: nothing from the cache")
status, err = run("--cohort '" .. manifest .. "' -s '" .. sfile .. "' -o '" .. cdir .. "/g.csv' --cache '" .. cdir .. "/radlab-cache' -q")
T.like(err, "^radlab: 6 cases: 4 ok %(4 from the cache%)", "--cache DIR: uses that folder")
status, err = run("--cohort '" .. manifest .. "' --cache x --no-cache")
T.is(status, 2, "--cache with --no-cache: usage error")
T.like(err, "--cache and --no-cache contradict each other", "--cache with --no-cache: says so", true)

-- ---- Ctrl-C: a valid partial table, the cache kept, the run resumable ----------------------
-- 4 images x 200 labels = 800 cases of a 16x16x8 volume, one thread: a few seconds;
-- SIGINT is sent once three cases are in the cache.
local big = dir .. "/many"
os.execute("mkdir -p '" .. big .. "'")
local mk = rad.mask.new{size = {16, 16, 8}}
for z = 1, 8 do for j = 1, 16 do for i = 1, 16 do
  mk:set(i, j, z, ((i - 1) + 16 * (j - 1) + 256 * (z - 1)) % 200 + 1)
end end end
mk:write(big .. "/seg.nii.gz")
local rows = {"id,image,mask,label"}
for k = 1, 4 do
  local im = rad.image.new{size = {16, 16, 8}}
  for z = 1, 8 do for j = 1, 16 do for i = 1, 16 do im:set(i, j, z, (i * j + k * z * 7) % 50) end end end
  im:write(big .. "/img" .. k .. ".nii.gz")
  for l = 1, 200 do rows[#rows + 1] = string.format("p%d_%d,img%d.nii.gz,seg.nii.gz,%d", k, l, k, l) end
end
write(big .. "/m.csv", table.concat(rows, "\n") .. "\n")
local icache = big .. "/cache"
local script = string.format([[
'%s' extract --cohort '%s/m.csv' -o '%s/part.csv' --cache '%s' -j 1 2>'%s/err.txt' &
pid=$!
n=0
while [ "$(find '%s/v1' -type f 2>/dev/null | wc -l)" -lt 3 ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n+1)); done
kill -INT $pid
wait $pid
echo $?
]], os.getenv("RADLAB"), big, big, icache, big, icache)
h = io.popen(script)
local code = tonumber(h:read("l")); h:close()
T.is(code, 130, "Ctrl-C: exit status 130")
local part = rad.read_csv(big .. "/part.csv", {types = {id = "string", status = "string", error = "string"}})
local counts = {}
for _, st in ipairs(part:col("status")) do counts[st] = (counts[st] or 0) + 1 end
T.is(part:nrow(), 800, "Ctrl-C: the partial table has every case")
T.ok((counts.ok or 0) >= 3 and (counts.interrupted or 0) >= 1 and (counts.ok or 0) + (counts.interrupted or 0) == 800,
  string.format("Ctrl-C: ok and interrupted rows only (%d ok, %d interrupted)", counts.ok or 0, counts.interrupted or 0))
local e = slurp(big .. "/err.txt") or ""
T.like(e, "radlab: interrupted: %d+ of 800 cases done", "Ctrl-C: says how far it got")
T.like(e, "run the same command again to resume from the cache", "Ctrl-C: says how to resume", true)
h = io.popen(string.format("'%s' extract --cohort '%s/m.csv' -o '%s/part.csv' --cache '%s' -j 2 -q 2>&1; echo $?",
  os.getenv("RADLAB"), big, big, icache))
local rerun = h:read("a"); h:close()
local served = tonumber(rerun:match("%((%d+) from the cache%)") or "0")
T.ok(served >= counts.ok and rerun:match("\n0\n$"),
  string.format("Ctrl-C: the re-run completes (exit 0) serving the %d finished cases from the cache (%d served)",
    counts.ok or 0, served))

-- ---- the progress bar: on a terminal only (a pseudo-terminal from script(1)) ---------------
if os.execute("command -v script >/dev/null 2>&1") then
  local function tty(extra)
    local cmd = string.format("'%s' extract --cohort '%s' -s '%s' -o '%s/tty.csv' --no-cache -j 2 %s",
      os.getenv("RADLAB"), manifest, sfile, dir, extra)
    local hh = io.popen("script -qec \"" .. cmd:gsub('"', '\\"') .. "\" /dev/null")
    local o = hh:read("a"); hh:close()
    return o
  end
  local o = tty("")
  T.like(o, "\r[", "progress: a bar is drawn on a terminal", true)
  T.like(o, "] 6/6", "progress: it reaches 6/6", true)
  T.like(o, "2 failed", "progress: failures so far shown", true)
  T.like(o, "\r\27[K" .. "radlab: 6 cases: 4 ok", "progress: the bar is erased before the summary", true)
  o = tty("-q")
  T.ok(not o:find("\r[", 1, true) and o:find("radlab: 6 cases: 4 ok", 1, true), "progress: -q leaves only the summary")
  status, err = run("--cohort '" .. manifest .. "' -s '" .. sfile .. "' -o '" .. dir .. "/notty.csv' --no-cache")
  T.ok(not err:find("\r", 1, true), "progress: nothing drawn when standard error is not a terminal")
else
  T.skip(6, "script(1) from util-linux is not installed; the progress bar is not tested")
end

T.done()
