-- radlab: a cohort extraction cut into shards, the shards merged again, and
-- the Slurm job array that runs them.  SPDX-License-Identifier: GPL-3.0-or-later
--
--   radlab extract --cohort m.csv -s s.lua --shard 2/3 -o shard_2.csv
--   radlab merge shard_*.csv -o features.csv
--   radlab slurm --cohort m.csv -s s.lua -n 20 -o out --cpus 4 [--submit]
--
-- Assignment.  Shard K of N holds the cases that shard.assign puts on K: the
-- cases sorted by size (bytes of the image file plus the mask file; a file
-- that cannot be opened counts 0), largest first, ties in manifest order,
-- each put on the shard with the smallest total so far (ties: the shard with
-- fewer cases, then the lowest number), the "longest processing time first"
-- rule of R. L. Graham, "Bounds on multiprocessing timing anomalies", SIAM J.
-- Appl. Math. 17 (1969).  Counting cases before numbers means no shard is
-- empty when N is at most the number of cases, even with empty files.  The
-- same files give the same shards on every machine.
--
-- Shard file.  A first line records where the shard comes from:
--   #radlab-shard format=1 shard=K/N cases=C manifest=<SHA-256 of the
--   manifest's bytes> settings=<settings digest> version=<radlab version>
-- then the CSV that extract --cohort writes for the shard's cases, with a
-- leading column `row`: each case's manifest row (data lines counted from 1).
--
-- Merge.  All shards must agree on format, manifest, settings, version, case
-- count and N; every shard number 1..N and every manifest row must appear
-- exactly once; a status other than ok or failed (a run that did not finish)
-- is refused.  The merged table is the shards' rows in manifest order without
-- the row column, the feature columns in order of first appearance over the
-- ok rows (as extract --cohort orders them), cells copied as written (every
-- cell's text depends on its value only), so the result is byte-identical to
-- a single extract --cohort run over the manifest.

local M = {}

local FORMAT = "1"

local function fail(F, fmt, ...) error(F .. ": " .. string.format(fmt, ...), 0) end

-- ' -> '\'' inside single quotes: the shell takes the text as it is.
local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end
M._shell_quote = shell_quote

local function dirname(p)
  local d = p:match("^(.*)/[^/]*$")
  if d == nil then return "." end
  if d == "" then return "/" end
  return d
end

local function basename(p) return p:match("([^/]*)$") end

-- Size of a file in bytes (0 when it cannot be opened).
local function file_size(p)
  local f = io.open(p, "rb")
  if not f then return 0 end
  local n = f:seek("end") or 0
  f:close()
  return n
end

local function read_all(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("a")
  f:close()
  return s
end

-- Write bytes to path atomically: a temporary file beside it, renamed over it.
local function write_atomic(path, parts, F)
  local tmp = string.format("%s/.rad-tmp-%d-%s", dirname(path), math.random(0, 2^30), basename(path))
  local f, err = io.open(tmp, "wb")
  if not f then
    fail(F, "cannot write '%s': %s (check that the folder exists and is writable)", path, tostring(err):gsub("^.-: ", ""))
  end
  local ok, werr = true, nil
  for _, p in ipairs(parts) do
    ok, werr = f:write(p)
    if not ok then break end
  end
  local cok, cerr = f:close()
  if not ok or not cok then
    os.remove(tmp)
    fail(F, "cannot write '%s': %s", path, tostring(werr or cerr))
  end
  local rok, rerr = os.rename(tmp, path)
  if not rok then
    os.remove(tmp)
    fail(F, "cannot write '%s': %s", path, tostring(rerr):gsub("^.-: ", ""))
  end
end

local function list_rows(rows, max)
  max = max or 20
  local shown = {}
  for i = 1, math.min(#rows, max) do shown[i] = tostring(rows[i]) end
  local s = table.concat(shown, ", ")
  if #rows > max then s = s .. string.format(" and %d more", #rows - max) end
  return s
end

--- shard.parse(spec) -> k, n | nil, message: read a shard spec "K/N" (shard K of N: whole numbers, 1 <= K <= N)
function M.parse(spec)
  local ks, ns = tostring(spec):match("^%s*(%d+)%s*/%s*(%d+)%s*$")
  if not ks then
    return nil, string.format("shard '%s' is not K/N: give the shard number K and the number of shards N as " ..
      "whole numbers, e.g. 2/5 for the second of five shards", tostring(spec))
  end
  local k, n = math.tointeger(tonumber(ks)), math.tointeger(tonumber(ns))
  if not k or not n then return nil, string.format("shard '%s': K and N are too large", spec) end
  if n < 1 then
    return nil, string.format("shard '%s': N, the number of shards, must be at least 1 (e.g. 1/4 .. 4/4)", spec)
  end
  if k < 1 or k > n then
    return nil, string.format("shard '%s': K must be 1..%d, the shards of a %d-way split are 1/%d .. %d/%d",
      spec, n, n, n, n, n)
  end
  return k, n
end

--- shard.assign(sizes, n) -> {shard of each case}: deal cases of these sizes (bytes) to n shards, largest first, each to the shard with the smallest total so far (ties: fewer cases, then lowest number)
function M.assign(sizes, n)
  local F = "shard.assign"
  if type(sizes) ~= "table" then fail(F, "expected an array of case sizes, got %s", type(sizes)) end
  n = math.tointeger(n)
  if not n or n < 1 then fail(F, "n must be a whole number of shards >= 1") end
  local order = {}
  for i = 1, #sizes do
    if type(sizes[i]) ~= "number" or sizes[i] < 0 then
      fail(F, "size %d must be a number of bytes >= 0, got %s", i, tostring(sizes[i]))
    end
    order[i] = i
  end
  table.sort(order, function(a, b)
    if sizes[a] ~= sizes[b] then return sizes[a] > sizes[b] end
    return a < b
  end)
  local total, count, out = {}, {}, {}
  for s = 1, n do total[s], count[s] = 0, 0 end
  for _, i in ipairs(order) do
    local best = 1
    for s = 2, n do
      if total[s] < total[best] or (total[s] == total[best] and count[s] < count[best]) then best = s end
    end
    out[i] = best
    total[best] = total[best] + sizes[i]
    count[best] = count[best] + 1
  end
  return out, total
end

-- The manifest as extract --cohort reads it: checked whole (cohort.read),
-- a file that does not exist left to the run (a failed case).
local function read_manifest(path, F)
  local ok, m = pcall(require("rad.cohort").read, path, {files = false})
  if not ok then fail(F, "%s", tostring(m):gsub("^cohort%.read: ", "")) end
  return m
end

local function provenance_line(k, n, cases, manifest_digest, settings_digest)
  return string.format("#radlab-shard format=%s shard=%d/%d cases=%d manifest=%s settings=%s version=%s\n",
    FORMAT, k, n, cases, manifest_digest, settings_digest, (tostring(rad.version):gsub("%s", "_")))
end

local Plan = {}
Plan.__index = Plan

--- shard.plan(manifest_path, "K/N", settings [, manifest_table]) -> plan: the cases of shard K of N (plan.manifest: a manifest Table for rad.extract_cohort, plan.rows: their manifest rows, plan.k, plan.n, plan.cases); manifest_table: the manifest as cohort.read returned it (default: read from the path); plan:write(result, path) writes the shard file
function M.plan(path, spec, settings, m)
  local F = "shard.plan"
  if type(path) ~= "string" then fail(F, "expected the manifest's path (a string), got %s", type(path)) end
  local k, n = M.parse(spec)
  if not k then fail(F, "%s", n) end
  m = m or read_manifest(path, F)
  local cases = m:nrow()
  if n > cases then
    fail(F, "shard '%s': %d shards for the %d case%s of %s; N can be at most the number of cases (%d)", spec, n,
      cases, cases == 1 and "" or "s", path, cases)
  end
  local img, msk, sizes = m:col("image"), m:col("mask"), {}
  for i = 1, cases do sizes[i] = file_size(img[i]) + file_size(msk[i]) end
  local where = M.assign(sizes, n)
  local rows, bytes = {}, 0
  for i = 1, cases do
    if where[i] == k then rows[#rows + 1] = i; bytes = bytes + sizes[i] end
  end
  local sub = m:rows(rows)
  local okd, mdig = pcall(rad.file_digest, path)
  if not okd then fail(F, "%s", tostring(mdig):gsub("^rad%.file_digest: ", "")) end
  return setmetatable({k = k, n = n, cases = cases, rows = rows, bytes = bytes, manifest = sub,
    header = provenance_line(k, n, cases, mdig, rad.settings.digest(settings))}, Plan)
end

--- plan:write(result, path) -> plan: write the shard file: the provenance line, then the result Table of rad.extract_cohort with a leading column row (manifest rows), atomically
function Plan:write(t, path)
  local F = "shard write"
  if t:nrow() ~= #self.rows then
    fail(F, "the result has %d rows but shard %d/%d has %d cases", t:nrow(), self.k, self.n, #self.rows)
  end
  local cols = {{"row", self.rows}}
  for _, name in ipairs(t:names()) do cols[#cols + 1] = {name, t:col(name)} end
  local full = rad.table.new(cols)
  local tmp = string.format("%s/.rad-tmp-%d-csv-%s", dirname(path), math.random(0, 2^30), basename(path))
  local ok, err = pcall(full.write_csv, full, tmp)
  if not ok then
    os.remove(tmp)
    fail(F, "cannot write '%s': %s", path, tostring(err):gsub("^.-write_csv: ", ""))
  end
  local body = read_all(tmp)
  os.remove(tmp)
  write_atomic(path, {self.header, body}, F)
  return self
end

-- An object whose write_csv(path) writes the shard file of result t (for
-- code that writes either a Table or a shard).
function Plan:writer(t)
  return {write_csv = function(_, path) return self:write(t, path) end}
end

-- ---- reading shard files -------------------------------------------------------

-- The records of CSV text from position pos: arrays of fields as written
-- (quotes kept), so that cells can be copied byte for byte.
local function records(s, pos, path)
  local recs, rec, n, i = {}, {}, #s, pos
  local line = 2
  while i <= n do
    local j
    if s:byte(i) == 34 then
      j = i + 1
      while true do
        local q = s:find('"', j, true)
        if not q then fail("merge", "%s: line %d: a quoted field is never closed; the file is damaged (extract the shard again)", path, line) end
        if s:byte(q + 1) == 34 then j = q + 2 else j = q + 1; break end
      end
    else
      j = s:find("[,\n]", i) or n + 1
    end
    local field = s:sub(i, j - 1)
    rec[#rec + 1] = field
    local d = s:byte(j)
    if d == 44 then
      i = j + 1
      if i > n then rec[#rec + 1] = "" end
    elseif d == 10 or d == nil then
      for _ in field:gmatch("\n") do line = line + 1 end
      recs[#recs + 1] = {fields = rec, line = line}
      rec, i, line = {}, j + 1, line + 1
    else
      fail("merge", "%s: line %d: unexpected text after a closing quote; the file is damaged (extract the shard again)", path, line)
    end
  end
  if #rec > 0 then recs[#recs + 1] = {fields = rec, line = line} end
  return recs
end

local function unquote(f)
  if f:byte(1) == 34 then return (f:sub(2, -2):gsub('""', '"')) end
  return f
end

local function read_shard(path)
  local F = "merge"
  local s, err = read_all(path)
  if not s then fail(F, "cannot read the shard file '%s': %s", path, tostring(err):gsub("^.-: ", "")) end
  local first = s:match("^([^\n]*)\n")
  if not first or not first:find("^#radlab%-shard ") then
    fail(F, "'%s' is not a radlab shard file: its first line should start with #radlab-shard " ..
      "(write shards with radlab extract --cohort MANIFEST --shard K/N -o FILE)", path)
  end
  local h = {path = path}
  for key, val in first:gmatch("(%w+)=(%S+)") do h[key] = val end
  if h.format ~= FORMAT then
    fail(F, "'%s' has shard format %s; this radlab (%s) reads format %s: extract the shards again with this radlab",
      path, tostring(h.format), rad.version, FORMAT)
  end
  local k, n = tostring(h.shard):match("^(%d+)/(%d+)$")
  h.k, h.n, h.cases = math.tointeger(tonumber(k)), math.tointeger(tonumber(n)), math.tointeger(tonumber(h.cases))
  if not h.k or not h.n or not h.cases or not h.manifest or not h.settings or not h.version then
    fail(F, "'%s': the #radlab-shard line is incomplete (needs shard=K/N, cases, manifest, settings and version); " ..
      "the file is damaged (extract the shard again)", path)
  end
  local recs = records(s, #first + 2, path)
  if #recs == 0 or recs[1].fields[1] ~= "row" then
    fail(F, "'%s': the line after #radlab-shard must be the CSV header, starting with the column row", path)
  end
  local raw = recs[1].fields
  local names = {}
  for j, f in ipairs(raw) do names[j] = unquote(f) end
  local at = {}
  for j, nm in ipairs(names) do at[nm] = at[nm] or j end
  if not at.status or not at.error or at.error ~= at.status + 1 then
    fail(F, "'%s': the header has no status and error columns; it was not written by radlab extract --cohort --shard", path)
  end
  h.raw, h.names, h.at, h.rows = raw, names, at, {}
  for r = 2, #recs do
    local rec = recs[r]
    if #rec.fields ~= #raw then
      fail(F, "'%s': line %d has %d fields, the header has %d; the file is damaged (extract the shard again)",
        path, rec.line, #rec.fields, #raw)
    end
    local row = math.tointeger(tonumber(rec.fields[1]))
    if not row or row < 1 or row > h.cases then
      fail(F, "'%s': line %d: row '%s' is not a manifest row 1..%d", path, rec.line, rec.fields[1], h.cases)
    end
    h.rows[#h.rows + 1] = {row = row, fields = rec.fields, line = rec.line}
  end
  return h
end

--- shard.merge({shard paths}, out_path) -> {cases =, failed =, failures = {"id: error", ...}}: check that the shards belong together and cover every manifest row once, then write the merged table in manifest order (as one extract --cohort run writes it), atomically
function M.merge(paths, out)
  local F = "merge"
  if type(paths) ~= "table" or #paths == 0 then fail(F, "expected a list of shard files") end
  if type(out) ~= "string" or out == "" then fail(F, "expected the output path") end
  local shards = {}
  for i, p in ipairs(paths) do shards[i] = read_shard(p) end
  local a = shards[1]
  -- provenance: everything must match the first shard
  local checks = {
    {"version", "made by different radlab versions", "radlab", "extract every shard with the same radlab"},
    {"manifest", "cut from different manifests", "manifest SHA-256", "merge the shards of one manifest (a manifest changed after some shards were made needs all of them extracted again)"},
    {"settings", "made under different settings", "settings digest", "extract every shard with the same -s settings file, or merge the shards of each setting separately"},
  }
  for _, c in ipairs(checks) do
    for i = 2, #shards do
      local b = shards[i]
      if b[c[1]] ~= a[c[1]] then
        fail(F, "shards %s: '%s' has %s %s, '%s' has %s %s; %s", c[2], a.path, c[3], a[c[1]], b.path, c[3], b[c[1]], c[4])
      end
    end
  end
  for i = 2, #shards do
    local b = shards[i]
    if b.n ~= a.n or b.cases ~= a.cases then
      fail(F, "shards of different splits: '%s' is shard %d/%d of %d cases, '%s' is shard %d/%d of %d cases; " ..
        "merge the N shards of one split", a.path, a.k, a.n, a.cases, b.path, b.k, b.n, b.cases)
    end
  end
  local n, cases = a.n, a.cases
  -- every shard number once
  local problems, byk = {}, {}
  for _, s in ipairs(shards) do
    byk[s.k] = byk[s.k] or {}
    table.insert(byk[s.k], "'" .. s.path .. "'")
  end
  local absent = {}
  for k = 1, n do
    if not byk[k] then absent[#absent + 1] = k
    elseif #byk[k] > 1 then
      problems[#problems + 1] = string.format("shard %d/%d is given %d times: %s (give each shard once)", k, n,
        #byk[k], table.concat(byk[k], ", "))
    end
  end
  if #absent > 0 then
    problems[#problems + 1] = string.format("shard%s %s of %d %s missing (give every shard_K.csv of the run, K = 1..%d)",
      #absent == 1 and "" or "s", list_rows(absent), n, #absent == 1 and "is" or "are", n)
  end
  -- every manifest row once
  local where, dup, dupseen = {}, {}, {}
  for _, s in ipairs(shards) do
    for _, r in ipairs(s.rows) do
      if where[r.row] then
        if not dupseen[r.row] then
          dupseen[r.row] = {"'" .. where[r.row].shard.path .. "'"}
          dup[#dup + 1] = r.row
        end
        table.insert(dupseen[r.row], "'" .. s.path .. "'")
      else
        where[r.row] = {shard = s, rec = r}
      end
    end
  end
  if #dup > 0 then
    table.sort(dup)
    local parts = {}
    for i = 1, math.min(#dup, 10) do
      parts[#parts + 1] = string.format("row %d in %s", dup[i], table.concat(dupseen[dup[i]], " and "))
    end
    if #dup > 10 then parts[#parts + 1] = string.format("and %d more", #dup - 10) end
    problems[#problems + 1] = string.format("%d manifest row%s in more than one shard: %s", #dup,
      #dup == 1 and " is" or "s are", table.concat(parts, "; "))
  end
  local missing = {}
  for r = 1, cases do if not where[r] then missing[#missing + 1] = r end end
  if #missing > 0 then
    problems[#problems + 1] = string.format("%d of the %d manifest rows %s in no shard given: row%s %s", #missing,
      cases, #missing == 1 and "is" or "are", #missing == 1 and "" or "s", list_rows(missing))
  end
  if #problems > 0 then
    fail(F, "the shards do not make up the cohort (%d shards of %d cases):\n  %s", n, cases,
      table.concat(problems, "\n  "))
  end
  -- key columns must agree; a shard whose cases all failed has no feature columns
  local function keys_of(s)
    local ks = {}
    for j = 2, s.at.error do ks[#ks + 1] = s.raw[j] end
    return table.concat(ks, ",")
  end
  for i = 2, #shards do
    if keys_of(shards[i]) ~= keys_of(a) then
      fail(F, "'%s' and '%s' have different key columns (%s; %s); they were not made from one manifest", a.path,
        shards[i].path, keys_of(a), keys_of(shards[i]))
    end
  end
  -- the merged columns: keys, status, error, then features by first appearance over ok rows
  local head, seen = {}, {}
  for j = 2, a.at.error do head[#head + 1] = a.names[j]; seen[a.names[j]] = true end
  local raw_of = {}
  for j = 2, #a.raw do raw_of[a.names[j]] = a.raw[j] end
  local failed, failures = 0, {}
  local sj, ej, ij = a.at.status, a.at.error, a.at.id
  for r = 1, cases do
    local w = where[r]
    local st = unquote(w.rec.fields[sj])
    if st == "ok" then
      for j = w.shard.at.error + 1, #w.shard.names do
        local nm = w.shard.names[j]
        if not seen[nm] then seen[nm] = true; head[#head + 1] = nm; raw_of[nm] = w.shard.raw[j] end
      end
    elseif st == "failed" then
      failed = failed + 1
      failures[#failures + 1] = string.format("%s: %s", ij and unquote(w.rec.fields[ij]) or ("row " .. r),
        unquote(w.rec.fields[ej]))
    else
      fail(F, "'%s' line %d: manifest row %d has status '%s': its shard %d/%d did not finish; extract that shard " ..
        "again before merging", w.shard.path, w.rec.line, r, st, w.shard.k, n)
    end
  end
  local out_parts, hl = {}, {}
  for j, nm in ipairs(head) do hl[j] = raw_of[nm] end
  out_parts[1] = table.concat(hl, ",") .. "\n"
  -- the column positions of each shard in the merged order
  local map = {}
  for _, s in ipairs(shards) do
    local m = {}
    for j, nm in ipairs(head) do m[j] = s.at[nm] or false end
    map[s] = m
  end
  for r = 1, cases do
    local w = where[r]
    local m, f, line = map[w.shard], w.rec.fields, {}
    for j = 1, #head do line[j] = m[j] and f[m[j]] or "" end
    out_parts[#out_parts + 1] = table.concat(line, ",") .. "\n"
  end
  write_atomic(out, out_parts, F)
  return {cases = cases, failed = failed, failures = failures}
end

-- ---- Slurm ---------------------------------------------------------------------

local function cwd()
  local h = io.popen("pwd")
  local d = h and h:read("l")
  if h then h:close() end
  if not d or d:sub(1, 1) ~= "/" then fail("slurm", "cannot find the current directory") end
  return d
end

local function absolute(p, here)
  if p:sub(1, 1) == "/" then return p end
  while p:sub(1, 2) == "./" do p = p:sub(3) end
  return here .. "/" .. p
end

-- The running program (/proc/self is this process when opened from Lua).
local function executable()
  local f = io.open("/proc/self/stat", "r")
  local pid = f and math.tointeger(tonumber((f:read("l") or ""):match("^(%d+)")))
  if f then f:close() end
  if pid then
    local h = io.popen("readlink -f /proc/" .. pid .. "/exe 2>/dev/null")
    local exe = h and h:read("l")
    if h then h:close() end
    if exe and exe:sub(1, 1) == "/" then return exe end
  end
  fail("slurm", "cannot find the path of the running radlab (/proc/self/exe); give it with exe =")
end

local SAFE = {
  partition = {"^[%w_.,%-]+$", "a partition name (letters, digits, _ . , -)"},
  time = {"^[%d:%-]+$", "a time limit such as 30, 2:00:00 or 1-00:00:00"},
  mem = {"^%d+[KMGTkmgt]?$", "a memory size such as 4G or 2000M"},
}

--- shard.slurm{manifest =, settings = path or nil, n =, outdir =, cpus = 1, partition =, time =, mem =, exe = this radlab} -> {extract =, merge =, shards =, logs =, features =}: write outdir/extract.sbatch (a job array, one task per shard, cpus threads each, logs in outdir/logs) and outdir/merge.sbatch (merges outdir/shards into outdir/features.csv); every value is single-quoted in the scripts
function M.slurm(o)
  local F = "slurm"
  if type(o) ~= "table" then fail(F, "expected an options table") end
  for _, key in ipairs{"manifest", "outdir"} do
    if type(o[key]) ~= "string" or o[key] == "" then fail(F, "option %s must be a path", key) end
  end
  local cpus = math.tointeger(o.cpus or 1)
  if not cpus or cpus < 1 or cpus > 1024 then fail(F, "cpus must be a whole number 1..1024, got %s", tostring(o.cpus)) end
  for key, rule in pairs(SAFE) do
    local v = o[key]
    if v ~= nil and (type(v) ~= "string" or not v:match(rule[1])) then
      fail(F, "%s '%s' is not %s", key, tostring(v), rule[2])
    end
  end
  local here = cwd()
  local manifest = absolute(o.manifest, here)
  local m = read_manifest(manifest, F)
  local n = math.tointeger(o.n)
  if not n or n < 1 then fail(F, "n, the number of shards, must be a whole number >= 1, got %s", tostring(o.n)) end
  if n > m:nrow() then
    fail(F, "%d shards for the %d case%s of %s; -n can be at most the number of cases (%d)", n, m:nrow(),
      m:nrow() == 1 and "" or "s", o.manifest, m:nrow())
  end
  local settings = o.settings and absolute(o.settings, here)
  local exe = o.exe or executable()
  local outdir = absolute(o.outdir, here):gsub("/+$", "")
  if outdir == "" then outdir = "/" end
  local okm = os.execute("mkdir -p -- " .. shell_quote(outdir .. "/shards") .. " " .. shell_quote(outdir .. "/logs"))
  if not okm then fail(F, "cannot create the folders '%s/shards' and '%s/logs'", outdir, outdir) end

  local function sbatch_lines(name, array)
    local l = {"#!/bin/bash", "# radlab " .. rad.version .. ": generated by radlab slurm; submit with sbatch " ..
      "(or run with bash, setting SLURM_ARRAY_TASK_ID for the extraction)",
      "#SBATCH --job-name=" .. name}
    if array then l[#l + 1] = "#SBATCH --array=1-" .. n end
    l[#l + 1] = "#SBATCH --cpus-per-task=" .. (array and cpus or 1)
    -- logs are redirected below: paths in #SBATCH lines are not shell-quoted
    l[#l + 1] = "#SBATCH --output=/dev/null"
    l[#l + 1] = "#SBATCH --error=/dev/null"
    if o.partition then l[#l + 1] = "#SBATCH --partition=" .. o.partition end
    if o.time then l[#l + 1] = "#SBATCH --time=" .. o.time end
    if o.mem then l[#l + 1] = "#SBATCH --mem=" .. o.mem end
    l[#l + 1] = "set -u"
    l[#l + 1] = "radlab=" .. shell_quote(exe)
    l[#l + 1] = "outdir=" .. shell_quote(outdir)
    local stdlib = os.getenv("RADLAB_STDLIB")
    if stdlib and stdlib ~= "" then l[#l + 1] = "export RADLAB_STDLIB=" .. shell_quote(stdlib) end
    return l
  end

  local ex = sbatch_lines("radlab-extract", true)
  ex[#ex + 1] = "manifest=" .. shell_quote(manifest)
  if settings then ex[#ex + 1] = "settings=" .. shell_quote(settings) end
  ex[#ex + 1] = 'k="${SLURM_ARRAY_TASK_ID:?not a Slurm array task: submit with sbatch, or set SLURM_ARRAY_TASK_ID=1..' .. n .. '}"'
  ex[#ex + 1] = 'exec >>"$outdir/logs/extract_$k.log" 2>&1'
  ex[#ex + 1] = 'echo "radlab: shard $k/' .. n .. ' on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ)"'
  ex[#ex + 1] = '"$radlab" extract --cohort "$manifest"' .. (settings and ' -s "$settings"' or '') ..
    ' --shard "$k/' .. n .. '" -j "${SLURM_CPUS_PER_TASK:-1}" -o "$outdir/shards/shard_$k.csv"'
  ex[#ex + 1] = "status=$?"
  ex[#ex + 1] = "# 3: some cases failed; they are recorded in the shard and the merge lists them"
  ex[#ex + 1] = 'if [ "$status" -eq 3 ]; then echo "radlab: shard $k: some cases failed (exit status 3), recorded in the shard"; status=0; fi'
  ex[#ex + 1] = 'exit "$status"'

  local mg = sbatch_lines("radlab-merge", false)
  mg[#mg + 1] = 'exec >>"$outdir/logs/merge.log" 2>&1'
  mg[#mg + 1] = 'echo "radlab: merge of ' .. n .. ' shards on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ)"'
  mg[#mg + 1] = 'shards=()'
  mg[#mg + 1] = 'for k in $(seq 1 ' .. n .. '); do shards+=("$outdir/shards/shard_$k.csv"); done'
  mg[#mg + 1] = '"$radlab" merge "${shards[@]}" -o "$outdir/features.csv"'
  mg[#mg + 1] = "status=$?"
  mg[#mg + 1] = 'if [ "$status" -eq 3 ]; then echo "radlab: some cases failed (exit status 3); features.csv lists them"; status=0; fi'
  mg[#mg + 1] = 'exit "$status"'

  local res = {extract = outdir .. "/extract.sbatch", merge = outdir .. "/merge.sbatch", shards = outdir .. "/shards",
    logs = outdir .. "/logs", features = outdir .. "/features.csv", n = n}
  write_atomic(res.extract, {table.concat(ex, "\n"), "\n"}, F)
  write_atomic(res.merge, {table.concat(mg, "\n"), "\n"}, F)
  return res
end

--- shard.submit(scripts) -> extract_job, merge_job: submit the scripts of shard.slurm with sbatch --parsable, the merge depending on the whole array (afterok)
function M.submit(s)
  local F = "slurm --submit"
  local function run(cmd)
    local h = io.popen(cmd .. " 2>&1")
    local outp = h:read("a")
    local ok, _, code = h:close()
    local id = outp:match("^(%d+)[;\n]")
    if not ok or not id then
      fail(F, "%s failed (exit status %s): %s", cmd, tostring(code), (outp:gsub("\n$", "")))
    end
    return id
  end
  local a = run("sbatch --parsable " .. shell_quote(s.extract))
  local b = run("sbatch --parsable --dependency=afterok:" .. a .. " " .. shell_quote(s.merge))
  return a, b
end

return (require("rad.doc").register(M, "shard", "M")) -- not a tail call: register reads this file
