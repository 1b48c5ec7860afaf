-- radlab: the command-line subcommands (radlab extract, radlab extract
-- --cohort, radlab map, radlab features, radlab notebook).
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- main(cmd, ...) returns the exit status: 0 success, 1 failure (message on
-- stderr), 2 usage error, 3 some cases of a cohort failed.  A message names the user's files and options,
-- never this file or the engine's internals: errors raised inside the
-- engine carry the position of their Lua caller (this file), which is
-- removed before printing.

local M = {}

-- the full path of this file, as it appears at the start of error positions
local SELF = debug.getinfo(1, "S").source:gsub("^@", "")

-- A message as the user should see it: no "<this file>:123: " (or any other
-- stdlib or C position) in front, no traceback lines.
local function clean(msg)
  msg = tostring(msg)
  local plain = SELF:gsub("%p", "%%%0")
  msg = msg:gsub("^" .. plain .. ":%d+: ", "")
  msg = msg:gsub("^[^\n]-/rad/[%w_]+%.lua:%d+: ", "")
  msg = msg:gsub("^%[C%]: ", "")
  return (msg:gsub("\nstack traceback:.*$", ""))
end
M._clean = clean

local function fail(status, fmt, ...)
  io.stderr:write("radlab: ", clean(string.format(fmt, ...)), "\n")
  return status
end

local function usage(text) error({usage = text}, 0) end

-- The arguments of a command, one at a time: `for a in argv.next do`, and
-- argv.value() for the value after the option just read (a usage error
-- when it is missing).
local function arguments(args)
  local i, argv = 0, {}
  function argv.next()
    i = i + 1
    return args[i]
  end
  function argv.value()
    i = i + 1
    if not args[i] then usage("option " .. args[i - 1] .. " needs a value") end
    return args[i]
  end
  -- the value as an integer lo..hi; `what` names it in the usage error
  function argv.integer(flag, what, lo, hi)
    local v = argv.value()
    local n = math.tointeger(tonumber(v))
    if not n or n < lo or n > hi then usage(string.format("%s must be %s %d..%d, got %s", flag, what, lo, hi, v)) end
    return n
  end
  return argv
end

local EXTRACT_USAGE = [[
usage: radlab extract IMAGE MASK [-s SETTINGS.lua | --params Params.yaml] [--label N | --roi NAME] [--resample-mask]
                      [-o OUT.csv] [-j N]
       radlab extract --cohort MANIFEST.csv [-s SETTINGS.lua] [-o OUT.csv] [-j N] [--strict]
                      [--cache DIR | --no-cache] [-q] [--shard K/N]
Compute the IBSI features of the region of interest MASK (label N, default:
every non-zero voxel) in IMAGE and write feature,value rows (full double
precision) to OUT.csv or standard output.  SETTINGS.lua is a Lua chunk that
returns the settings table, e.g. return {discretise = {method = "fbs", width = 25}}
(every key with its default: radlab -e 'help(rad.extract)').
--params Params.yaml reads a PyRadiomics parameter file instead (setting,
imageType, featureClass; rad.settings.from_pyradiomics): PyRadiomics'
conventions and names (compat = "pyradiomics"); what radlab cannot reproduce
is an error naming the file's line.
IMAGE may be a folder holding one DICOM series; MASK may be a DICOM
RTSTRUCT or SEG file, rasterised on the image's grid: --roi NAME names its
contour (ROI name or number) or segment (label or number).
--resample-mask puts a mask made on another grid onto the image's grid
(nearest neighbour) before extracting.  One case runs on N threads (-j,
default: one per processor): image and mask interpolation side by side,
then the feature families; the values do not depend on N.
--cohort extracts every case of MANIFEST.csv (columns id, image, mask,
optional label, roi, modality; paths relative to the manifest; an image may
be a DICOM series folder, a mask an RTSTRUCT or SEG whose roi names the
contour or segment) on N threads
(-j, default: one per processor) and writes one row per case: the key
columns, status (ok/failed), error, then the features.  A failed case is
recorded and the run goes on; a summary line goes to standard error and the
exit status is 3 when some cases failed.  --strict stops at the first
failure (exit status 1).  Each case's result is cached in DIR (default:
radlab-cache beside OUT.csv; none for standard output unless --cache):
a re-run recomputes only cases whose image, mask, label, settings or radlab
version changed.  A progress bar is drawn on standard error when it is a
terminal (-q: none).  Ctrl-C stops within a case and still writes the
table (status 'interrupted' for cases not run; exit status 130); running the
same command again resumes from the cache.
--shard K/N extracts only shard K of N (cases dealt to shards by image plus
mask size, largest first, each to the lightest shard) into a shard file:
a #radlab-shard provenance line, then the table with a leading column row
(the manifest row); radlab merge joins the N shard files.]]

local FEATURES_USAGE = [[
usage: radlab features [FAMILY]
       radlab features --pyradiomics [CLASS]
List the features radlab computes: tag, IBSI identifier, name and the
aggregations of texture features; FAMILY (e.g. stat, cm) lists one family.
The last line names the families allowed on filter response maps.
--pyradiomics lists the features of compat = "pyradiomics" instead: its
name (original_<class>_<Feature>), the radlab tag of the IBSI feature it
corresponds to at PyRadiomics' default aggregation ("-": the IBSI defines
none) and what differs beyond the grey levels (its bin edges are multiples
of binWidth); CLASS (e.g. glcm) lists one class.]]

local NOTEBOOK_USAGE = [[
usage: radlab notebook FILE.lua [-o DIR] [--check] [--keep-going] [--timeout SECONDS] [--no-embed]
Run a workshop notebook (a Lua script whose cells are separated by lines
"-- %%"; "-- %% [markdown]" starts a markdown cell of "--" comment lines)
cell by cell in one Lua state and write DIR/index.html (self-contained:
figures embedded as PNG data URIs) and DIR/index.md.  Each code cell shows
its printed output, its value when it is one expression, warnings, the
figures given to rad.plot.show or saved with Figure:save, and its error.
DIR defaults to <name>-html in the current folder for FILE <name>.lua; it is
written through a temporary folder beside it and renamed at the end (an
existing DIR is replaced only when it holds an earlier page).
A failing cell stops the run (its cell number and line on standard error,
exit status 1, nothing written) unless --keep-going, which runs the rest
and writes the page with the errors in it (exit status 1).
--check runs every cell and writes nothing: the exit status says pass/fail.
--timeout SECONDS stops a cell running longer (whole seconds of wall time,
checked while Lua code runs: one long engine call is stopped only when it
returns).  --no-embed writes the figures as PNG files beside index.html.
See radlab-notebook(7).]]

-- The settings table of a settings file, checked (nil for no file: the
-- defaults); or nil and a message that names the file.  A parameter file
-- also gives its voxelSetting as rad.feature_map options (third value).
local function read_settings(path)
  if not path then return nil end -- no -s: the defaults
  if path:match("%.[yY][aA]?[mM][lL]$") then -- a PyRadiomics parameter file (--params)
    local ok, res, voxel = pcall(require("rad.pyradiomics").read, path)
    if not ok then return nil, clean(res) end
    return res, nil, voxel
  end
  local chunk, err = loadfile(path, "t")
  if not chunk then
    local f = io.open(path, "r")
    if not f then return nil, string.format("cannot read the settings file '%s': no such file (or not readable)", path) end
    f:close()
    return nil, string.format("settings file '%s' is not valid Lua: %s", path, err)
  end
  local ok, res = pcall(chunk)
  if not ok then return nil, string.format("settings file '%s' failed: %s", path, clean(res)) end
  if type(res) ~= "table" then
    return nil, string.format("settings file '%s' must return a table, not a %s (e.g. return {discretise = {method = \"fbn\", bins = 32}})",
      path, type(res))
  end
  local okc, cerr = pcall(rad.settings.check, res)
  if not okc then return nil, string.format("settings file '%s': %s (every key: radlab -e 'help(rad.extract)')", path, clean(cerr)) end
  return res
end

-- "p012: message" of each failed row (the first five, then how many more).
local function failures(t)
  local ids, status, errs, list = t:col("id"), t:col("status"), t:col("error"), {}
  local nfail = 0
  for i = 1, #status do
    if status[i] == "failed" then
      nfail = nfail + 1
      if nfail <= 5 then list[#list + 1] = string.format("%s: %s", tostring(ids[i]), errs[i]) end
    end
  end
  if nfail > 5 then list[#list + 1] = string.format("and %d more", nfail - 5) end
  return nfail, table.concat(list, "; ")
end

-- The folder part of a path ("" for none), with its slash.
local function folder_of(path)
  return path:match("^(.*/)") or ""
end

-- Write table t to path (nil: standard output, through a temporary file).
local function write_table(t, out)
  if out then return t:write_csv(out) end
  local tmp = os.tmpname()
  local ok, err = pcall(t.write_csv, t, tmp)
  if ok then
    local f = io.open(tmp, "rb")
    io.write(f:read("a"))
    f:close()
  end
  os.remove(tmp)
  if not ok then error(err, 0) end
end

local function extract_cohort(args)
  local manifest, settings_path, out, threads, strict, cache, nocache, quiet, shard
  local argv = arguments(args)
  for a in argv.next do
    if a == "--cohort" then manifest = argv.value()
    elseif a == "-s" or a == "--settings" or a == "--params" then
      if settings_path then usage("give one settings file: -s SETTINGS.lua or --params Params.yaml") end
      settings_path = argv.value()
    elseif a == "-o" or a == "--output" then out = argv.value()
    elseif a == "-j" or a == "--threads" then
      threads = argv.integer("-j", "a number of threads", 1, 1024)
    elseif a == "--strict" then strict = true
    elseif a == "--cache" then
      cache = argv.value()
      if cache == "" then usage("--cache needs a folder name") end
    elseif a == "--no-cache" then nocache = true
    elseif a == "-q" or a == "--quiet" then quiet = true
    elseif a == "--shard" then
      shard = argv.value()
      local k, why = require("rad.shard").parse(shard)
      if not k then usage("--shard " .. why:gsub("^shard ", "")) end
    elseif a == "-h" or a == "--help" then print(EXTRACT_USAGE); return 0
    elseif a == "--label" or a == "--resample-mask" or a == "--roi" then usage(a .. " is for one case; give the label or roi of each case in the manifest's label or roi column")
    elseif a:sub(1, 1) == "-" and #a > 1 then usage("unknown option '" .. a .. "'")
    else usage("--cohort takes the cases from the manifest; extra argument '" .. a .. "'") end
  end
  if cache and nocache then usage("--cache and --no-cache contradict each other; give one") end
  if not cache and not nocache and out then cache = folder_of(out) .. "radlab-cache" end
  local settings, err = read_settings(settings_path)
  if err then return fail(1, "%s", err) end
  -- the manifest checked whole before any work (a file that does not exist
  -- is left to the run: that case fails, the others go on)
  local okr, m = pcall(require("rad.cohort").read, manifest, {files = false})
  if not okr then error((clean(m):gsub("^cohort%.read: ", "extract --cohort: ")), 0) end
  local plan
  if shard then -- only this shard's cases, written with their manifest rows
    local okp, p = pcall(require("rad.shard").plan, manifest, shard, settings, m)
    if not okp then error((clean(p):gsub("^shard%.plan: shard ", "extract --shard "):gsub("^shard%.plan: ", "extract --cohort: ")), 0) end
    plan, m = p, p.manifest
  end
  local okx, t, info = pcall(rad.extract_cohort, m, settings,
    {threads = threads, strict = strict, cache = cache or false, progress = not quiet, partial = true})
  if not okx then error((clean(t):gsub("^rad%.extract_cohort: ", "extract --cohort: ")), 0) end
  write_table(plan and plan:writer(t) or t, out)
  local n = t:nrow()
  local nfail, list = failures(t)
  if info.interrupted then
    io.stderr:write(string.format("radlab: interrupted: %d of %d cases done (%d ok, %d failed), %d not run; " ..
      "the table%s has them all, status 'interrupted' for those not run%s\n", info.ok + info.failed, n, info.ok,
      info.failed, info.not_run, out and " in " .. out or "",
      info.cache and "; run the same command again to resume from the cache '" .. info.cache .. "'" or ""))
    return 130
  end
  io.stderr:write(string.format("radlab: %d case%s: %d ok%s, %d failed%s\n", n, n == 1 and "" or "s", n - nfail,
    info.cached > 0 and string.format(" (%d from the cache)", info.cached) or "", nfail,
    nfail > 0 and " (" .. list .. ")" or ""))
  return nfail > 0 and 3 or 0
end

local function extract(args)
  for _, a in ipairs(args) do
    if a == "--cohort" then return extract_cohort(args) end
  end
  local pos, settings_path, label, out, resample, threads, roi = {}, nil, nil, nil, false, nil, nil
  local argv = arguments(args)
  for a in argv.next do
    if a == "-s" or a == "--settings" or a == "--params" then
      if settings_path then usage("give one settings file: -s SETTINGS.lua or --params Params.yaml") end
      settings_path = argv.value()
    elseif a == "-j" or a == "--threads" then
      threads = argv.integer("-j", "a number of threads", 1, 1024)
    elseif a == "--label" then
      label = argv.integer("--label", "an integer", 0, 255)
    elseif a == "--roi" then
      roi = argv.value()
      if roi == "" then usage("--roi needs the name (or number) of a contour or segment") end
    elseif a == "-o" or a == "--output" then out = argv.value()
    elseif a == "--resample-mask" then resample = true
    elseif a == "-h" or a == "--help" then print(EXTRACT_USAGE); return 0
    elseif a:sub(1, 1) == "-" and #a > 1 then usage("unknown option '" .. a .. "'")
    else pos[#pos + 1] = a end
  end
  if #pos < 2 then usage("needs IMAGE and MASK (got " .. (#pos == 0 and "neither" or "only " .. pos[1]) .. ")") end
  if #pos > 2 then usage("takes IMAGE and MASK only; extra argument '" .. pos[3] .. "'") end
  local settings, err = read_settings(settings_path)
  if err then return fail(1, "%s", err) end
  -- image and mask are read at the same time (two threads)
  if label and roi then usage("--label selects a label of a mask image, --roi a contour of an RTSTRUCT or SEG; give one") end
  local img, mask = rad.read_case(pos[1], pos[2], (label or roi) and {label = label, roi = roi} or nil)
  if resample then mask = mask:resample_to(img) end
  -- the undefined-feature warning is printed below as the command's own line
  warn("@off")
  local ok, fs = pcall(rad.extract, img, mask, settings, threads and {threads = threads} or nil)
  warn("@on")
  if not ok then
    local msg = clean(fs)
    if msg:find("geometries differ", 1, true) then
      -- the command line's own fix, instead of the Lua one
      msg = msg:gsub("put it on the image's grid with mask:resample_to%(img%)", "add --resample-mask to put it on the image's grid")
    end
    error(msg, 0)
  end
  if out then
    fs:write_csv(out)
  else
    local names, values = fs:names(), fs:values()
    io.write("feature,value\n")
    for k = 1, #names do
      local v = values[k]
      io.write(names[k], ",", v == rad.NA and "NA" or string.format("%.17g", v), "\n")
    end
  end
  -- features undefined for this ROI (NA in the CSV): one line on stderr
  if fs:warning() then io.stderr:write("radlab: warning: ", fs:warning(), "\n") end
  return 0
end

-- radlab features --pyradiomics [CLASS]
local function features_pyradiomics(cls)
  local ok, defs = pcall(rad.features.pyradiomics, cls)
  if not ok then return fail(1, "features: %s", tostring(defs):gsub("^rad%.features%.pyradiomics: ", "")) end
  for _, d in ipairs(defs) do
    io.write((string.format("%-50s %-28s %s", d.tag, d.ibsi_tag or "-", d.note or ""):gsub("%s+$", "")), "\n")
  end
  return 0
end

local function features(args)
  local fam, py
  for _, a in ipairs(args) do
    if a == "-h" or a == "--help" then print(FEATURES_USAGE); return 0
    elseif a == "--pyradiomics" then py = true
    elseif a:sub(1, 1) == "-" and #a > 1 then usage("unknown option '" .. a .. "'")
    elseif fam then usage("takes at most one FAMILY; extra argument '" .. a .. "'")
    else fam = a end
  end
  if py then return features_pyradiomics(fam) end
  if fam then
    local names = {}
    for _, f in ipairs(rad.features.families()) do
      if f.prefix == fam then names = nil break end
      names[#names + 1] = f.prefix
    end
    if names then return fail(1, "features: unknown family '%s' (families: %s)", fam, table.concat(names, ", ")) end
  end
  for _, d in ipairs(rad.features.list(fam)) do
    local aggr = #d.aggregations == 1 and d.aggregations[1] == "" and "" or
      " [" .. table.concat(d.aggregations, " "):gsub("_", ""):gsub("(%d)5D", "%1.5D") .. "]"
    io.write(string.format("%-26s %-5s %s%s\n", d.tag, d.ibsi_id, d.name, aggr))
  end
  if not fam then
    local on = {}
    for _, f in ipairs(rad.features.families()) do
      if f.on_response then on[#on + 1] = f.prefix end
    end
    io.write("on filter response maps (settings.filters; tags prefixed, e.g. log_s1.5mm_3D_stat_mean): " ..
      table.concat(on, ", ") .. " (man radlab-features, FILTERS)\n")
  end
  return 0
end

local DEMO_COHORT_USAGE = [[
usage: radlab demo-cohort [-n N] [--seed S] [--centres C] -o DIR
Generate a synthetic neuroblastoma cohort of N patients (default 150) from
seed S (default 1) over C centres (1 to 4, default 2) into the existing
folder DIR: per patient ID_ct.nii.gz and ID_seg.nii.gz, and DIR/manifest.csv
(id, image, mask, label, centre, then the clinical variables and outcomes).
The truth model and its parameters: man radlab-demo.]]

local function demo_cohort(args)
  local opts = {}
  local argv = arguments(args)
  for a in argv.next do
    local function int()
      local v = argv.value()
      local n = math.tointeger(tonumber(v))
      if not n then usage(a .. " must be an integer, got '" .. v .. "'") end
      return n
    end
    if a == "-n" then opts.n = int()
    elseif a == "--seed" then opts.seed = int()
    elseif a == "--centres" then opts.centres = int()
    elseif a == "-o" or a == "--output" then opts.dir = argv.value()
    elseif a == "-h" or a == "--help" then print(DEMO_COHORT_USAGE); return 0
    elseif a:sub(1, 1) == "-" and #a > 1 then usage("unknown option '" .. a .. "'")
    else usage("takes no arguments besides options; extra argument '" .. a .. "'") end
  end
  if not opts.dir then usage("needs -o DIR, the folder to write the cohort into") end
  local ok, t = pcall(require("rad.demo").neuroblastoma, opts)
  if not ok then
    -- say the options as the command line spells them
    local msg = clean(t):gsub("^rad%.demo%.neuroblastoma: n must", "demo-cohort: -n must")
      :gsub("^rad%.demo%.neuroblastoma: centres must", "demo-cohort: --centres must")
      :gsub("^rad%.demo%.neuroblastoma: ", "demo-cohort: ")
    error(msg, 0)
  end
  io.write(string.format("radlab: wrote %d patients to %s/manifest.csv\n", t:nrow(), opts.dir))
  return 0
end

local MERGE_USAGE = [[
usage: radlab merge SHARD.csv... -o OUT.csv
Join the shard files of radlab extract --cohort --shard K/N into the table
one extract --cohort run over the whole manifest writes (byte for byte).
The shards must come from the same manifest (SHA-256), settings and radlab
version; each of the N shards and each manifest row must appear once.  The
exit status is 3 when some cases failed (listed on standard error).]]

local function merge(args)
  local files, out = {}, nil
  local argv = arguments(args)
  for a in argv.next do
    if a == "-o" or a == "--output" then out = argv.value()
    elseif a == "-h" or a == "--help" then print(MERGE_USAGE); return 0
    elseif a:sub(1, 1) == "-" and #a > 1 then usage("unknown option '" .. a .. "'")
    else files[#files + 1] = a end
  end
  if #files == 0 then usage("needs the shard files to merge (e.g. shards/shard_*.csv)") end
  if not out then usage("needs -o OUT.csv, the merged table") end
  local r = require("rad.shard").merge(files, out)
  local list = {}
  for i = 1, math.min(5, #r.failures) do list[i] = r.failures[i] end
  if #r.failures > 5 then list[#list + 1] = string.format("and %d more", #r.failures - 5) end
  io.stderr:write(string.format("radlab: %d case%s: %d ok, %d failed%s\n", r.cases, r.cases == 1 and "" or "s",
    r.cases - r.failed, r.failed, r.failed > 0 and " (" .. table.concat(list, "; ") .. ")" or ""))
  return r.failed > 0 and 3 or 0
end

local SLURM_USAGE = [[
usage: radlab slurm --cohort MANIFEST.csv [-s SETTINGS.lua] -n N -o OUTDIR
                    [--cpus C] [--partition P] [--time T] [--mem M] [--submit]
Write OUTDIR/extract.sbatch, a Slurm job array of N tasks: task K runs
radlab extract --cohort MANIFEST.csv --shard K/N on C threads
(--cpus-per-task, default 1) into OUTDIR/shards/shard_K.csv, logging to
OUTDIR/logs/extract_K.log; and OUTDIR/merge.sbatch, which merges the shards
into OUTDIR/features.csv (log: OUTDIR/logs/merge.log).  The scripts use
absolute paths and this radlab program; every value is single-quoted.  A
task whose cases partly failed still succeeds (the merge lists the failures).
--submit submits both with sbatch (the merge after the whole array,
afterok) and prints the job ids; otherwise the commands are printed.]]

local function slurm(args)
  local o, submit, settings_path = {}, false, nil
  local argv = arguments(args)
  for a in argv.next do
    if a == "--cohort" then o.manifest = argv.value()
    elseif a == "-s" or a == "--settings" then settings_path = argv.value()
    elseif a == "-o" or a == "--output" then o.outdir = argv.value()
    elseif a == "-n" or a == "--cpus" then
      local v = argv.value()
      local n = math.tointeger(tonumber(v))
      if not n or n < 1 or (a == "--cpus" and n > 1024) then
        usage(a .. (a == "-n" and " must be a whole number of shards >= 1" or " must be a whole number of threads 1..1024") ..
          ", got '" .. v .. "'")
      end
      if a == "-n" then o.n = n else o.cpus = n end
    elseif a == "--partition" or a == "--time" or a == "--mem" then o[a:sub(3)] = argv.value()
    elseif a == "--submit" then submit = true
    elseif a == "-h" or a == "--help" then print(SLURM_USAGE); return 0
    elseif a:sub(1, 1) == "-" and #a > 1 then usage("unknown option '" .. a .. "'")
    else usage("takes no arguments besides options; extra argument '" .. a .. "'") end
  end
  if not o.manifest then usage("needs --cohort MANIFEST.csv") end
  if not o.n then usage("needs -n N, the number of shards (array tasks)") end
  if not o.outdir then usage("needs -o OUTDIR, the folder for the scripts, shards and logs") end
  local _, err = read_settings(settings_path)
  if err then return fail(1, "%s", err) end
  o.settings = settings_path
  local sh = require("rad.shard")
  local s = sh.slurm(o)
  io.write(string.format("radlab: wrote %s (%d array tasks) and %s\n", s.extract, s.n, s.merge))
  if submit then
    local a, b = sh.submit(s)
    io.write(string.format("radlab: submitted extraction job %s and merge job %s; the table will be %s\n", a, b, s.features))
  else
    io.write("submit with:\n  jobid=$(sbatch --parsable " .. sh._shell_quote(s.extract) .. ")\n" ..
      "  sbatch --dependency=afterok:$jobid " .. sh._shell_quote(s.merge) .. "\n")
  end
  return 0
end

local MAP_USAGE = [[
usage: radlab map IMAGE MASK --features TAG[,TAG...] -o DIR [-s SETTINGS.lua | --params Params.yaml] [--radius R]
                  [--shape cube|sphere] [--in-plane] [--unmasked] [--label N] [--resample-mask] [-j N]
Voxel-wise feature maps: at every voxel of the region of interest MASK
(label N, default: every non-zero voxel) the features of the voxels around
it, written as DIR/<tag>.nii.gz (float32 on IMAGE's grid, NaN outside the
ROI).  TAG is a family (stat, ih, cm, rlm, szm, dzm, ngt, ngl: all of its
features for the settings' aggregations) or a feature tag such as
cm_contrast_3D_avg (radlab features lists them).  The window is a cube
(|dx|, |dy|, |dz| <= R, default R = 2) or a sphere (dx^2 + dy^2 + dz^2 <= R^2,
in voxels), in the slice only with --in-plane.  The grey levels are those of
the whole ROI with SETTINGS.lua (as radlab extract uses them; interpolation
and filters are refused); only the ROI's voxels of a window count, every
voxel of it with --unmasked.  DIR must exist; the maps are written under
temporary names and renamed once all are written, so a failure leaves no
map behind.  -j N: threads (default: every processor).
--params Params.yaml: PyRadiomics' voxel-based extraction (compatibility
mode): TAG is a class (glcm) or feature (glcm_Contrast), the maps are named
original_glcm_Contrast, each of the file's image types is mapped too
(log-sigma-1-0-mm-3D_glcm_Contrast; a TAG with a type's name, e.g.
wavelet-LLH_glcm, maps that type only), and the file's voxelSetting gives the kernel radius,
--unmasked (maskedKernel: false) and the value outside the ROI (initValue;
PyRadiomics' defaults: radius 1, masked, 0); --radius and --unmasked on the
command line win.
See man radlab-lua (rad.feature_map) for the exact definitions.]]

local function map(args)
  local pos, settings_path, label, dir, resample, threads = {}, nil, nil, nil, false, 0
  local want, radius, shape, masked, in_plane, radius_given = nil, 2, "cube", true, false, false
  local argv = arguments(args)
  for a in argv.next do
    if a == "-s" or a == "--settings" or a == "--params" then
      if settings_path then usage("give one settings file: -s SETTINGS.lua or --params Params.yaml") end
      settings_path = argv.value()
    elseif a == "-j" or a == "--threads" then
      threads = argv.integer("-j", "a number of threads", 1, 1024)
    elseif a == "--label" then
      label = argv.integer("--label", "an integer", 0, 255)
    elseif a == "--features" or a == "-f" then
      want = {}
      for t in argv.value():gmatch("[^,%s]+") do want[#want + 1] = t end
      if #want == 0 then usage("--features needs families or tags, e.g. --features cm,stat_mean") end
    elseif a == "--radius" or a == "-r" then
      local v = argv.value()
      radius = math.tointeger(tonumber(v))
      if not radius or radius < 1 then usage("--radius must be a whole number of voxels >= 1, got " .. v) end
      radius_given = true
    elseif a == "--shape" then
      shape = argv.value()
      if shape ~= "cube" and shape ~= "sphere" then usage("--shape must be cube or sphere, got " .. shape) end
    elseif a == "--unmasked" then masked = false
    elseif a == "--in-plane" then in_plane = true
    elseif a == "-o" or a == "--output" then dir = argv.value()
    elseif a == "--resample-mask" then resample = true
    elseif a == "-h" or a == "--help" then print(MAP_USAGE); return 0
    elseif a:sub(1, 1) == "-" and #a > 1 then usage("unknown option '" .. a .. "'")
    else pos[#pos + 1] = a end
  end
  if #pos < 2 then usage("needs IMAGE and MASK (got " .. (#pos == 0 and "neither" or "only " .. pos[1]) .. ")") end
  if #pos > 2 then usage("takes IMAGE and MASK only; extra argument '" .. pos[3] .. "'") end
  if not want then usage("needs --features (families or tags, e.g. --features cm or --features stat_mean,cm_contrast_3D_avg)") end
  if not dir or dir == "" then usage("needs -o DIR, the folder the maps are written to") end
  dir = dir:gsub("/+$", "")
  if dir == "" then dir = "/" end
  -- the folder first: a long computation should not end in a folder it cannot write
  local probe = dir .. "/.radlab-map-probe"
  local pf = io.open(probe, "w")
  if not pf then
    return fail(1, "map: cannot write into the folder '%s' (it does not exist or is not writable); create it first, "
      .. "e.g. mkdir -p '%s'", dir, dir)
  end
  pf:close()
  os.remove(probe)
  local settings, err, voxel = read_settings(settings_path)
  if err then return fail(1, "%s", err) end
  local fill
  if voxel then -- the parameter file's voxelSetting, where the command line is silent
    if not radius_given then radius = voxel.radius end
    if masked then masked = voxel.masked end
    fill = voxel.fill
  end
  local img, mask = rad.read_case(pos[1], pos[2], label and {label = label} or nil)
  if resample then mask = mask:resample_to(img) end
  local ok, maps = pcall(rad.feature_map, img, mask, settings,
    {features = want, radius = radius, shape = shape, masked = masked, in_plane = in_plane, threads = threads,
     fill = fill})
  if not ok then
    local msg = clean(maps)
    if msg:find("geometries differ", 1, true) then
      msg = msg:gsub("put it on the image's grid with mask:resample_to%(img%)", "add --resample-mask to put it on the image's grid")
    end
    error(msg, 0)
  end
  -- every map under a temporary name, then the renames: no partial output
  local tags, tmps = {}, {}
  for tag in pairs(maps) do tags[#tags + 1] = tag end
  table.sort(tags)
  for i, tag in ipairs(tags) do
    local tmp = string.format("%s/.radlab-map-tmp-%s.nii.gz", dir, tag)
    local okw, werr = pcall(maps[tag].write, maps[tag], tmp)
    if not okw then
      for k = 1, i - 1 do os.remove(tmps[k]) end
      os.remove(tmp)
      error(string.format("map: writing %s/%s.nii.gz: %s", dir, tag, clean(werr)), 0)
    end
    tmps[i] = tmp
  end
  for i, tag in ipairs(tags) do
    local okr, rerr = os.rename(tmps[i], dir .. "/" .. tag .. ".nii.gz")
    if not okr then
      for k = i, #tags do os.remove(tmps[k]) end
      error(string.format("map: renaming the map of %s into %s: %s", tag, dir, tostring(rerr)), 0)
    end
  end
  io.stderr:write(string.format("radlab: wrote %d map%s to %s (%s)\n", #tags, #tags == 1 and "" or "s", dir,
    #tags <= 3 and table.concat(tags, ", ") or (tags[1] .. ", ..., " .. tags[#tags])))
  return 0
end

-- radlab notebook FILE.lua [-o DIR] [--check] [--keep-going] [--timeout S] [--no-embed]
local function notebook(args)
  local file, opts = nil, {}
  local argv = arguments(args)
  for a in argv.next do
    if a == "-o" or a == "--output" then opts.dir = argv.value()
    elseif a == "--check" then opts.check = true
    elseif a == "--keep-going" then opts.keep_going = true
    elseif a == "--timeout" then opts.timeout = argv.integer("--timeout", "a whole number of seconds", 1, 86400)
    elseif a == "--no-embed" then opts.embed = false
    elseif a == "-h" or a == "--help" then print(NOTEBOOK_USAGE); return 0
    elseif a:sub(1, 1) == "-" and #a > 1 then usage("unknown option '" .. a .. "'")
    elseif file then usage("takes one notebook; extra argument '" .. a .. "'")
    else file = a end
  end
  if not file then usage("needs the notebook FILE.lua") end
  if opts.check and opts.dir then usage("--check writes nothing; leave out -o") end
  if opts.dir == "" then usage("-o needs a folder name") end
  local nb = require "rad.notebook"
  local res = nb.render(file, opts)
  local ncode = 0
  for _, c in ipairs(res.cells) do if c.kind == "code" then ncode = ncode + 1 end end
  for _, c in ipairs(res.cells) do
    if c.error then
      io.stderr:write(string.format("radlab: notebook %s: cell %d (line %d) failed: %s\n", file, c.index, c.error.line,
        c.error.text))
    end
  end
  if res.failed > 0 then
    if res.dir then io.stderr:write(string.format("radlab: wrote %s/index.html with %d failing cell%s\n", res.dir,
      res.failed, res.failed == 1 and "" or "s")) end
    return 1
  end
  if res.dir then
    io.stderr:write(string.format("radlab: wrote %s/index.html and index.md (%d cell%s, %d of code, %d figure%s)\n",
      res.dir, #res.cells, #res.cells == 1 and "" or "s", ncode, res.nfig, res.nfig == 1 and "" or "s"))
  else
    io.stderr:write(string.format("radlab: notebook %s passed (%d cell%s, %d of code, %d figure%s)\n", file, #res.cells,
      #res.cells == 1 and "" or "s", ncode, res.nfig, res.nfig == 1 and "" or "s"))
  end
  return 0
end

local COMMANDS = {extract = extract, map = map, ["demo-cohort"] = demo_cohort, merge = merge, slurm = slurm, notebook = notebook}

function M.main(cmd, ...)
  local args = {...}
  local ok, res = pcall(COMMANDS[cmd] or features, args)
  if ok then return res end
  if type(res) == "table" and res.usage then
    return fail(2, "%s: %s (try radlab %s --help)", cmd, res.usage, cmd)
  end
  -- the engine's fixes are said in Lua; say them as options here
  local msg = clean(res):gsub("choose one with {label = n}", "choose one with --label N")
  return fail(1, "%s", msg)
end

return M
