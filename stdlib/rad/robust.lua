-- radlab: feature robustness by image perturbation and test-retest.  SPDX-License-Identifier: GPL-3.0-or-later
--
--   local robust = require "rad.robust"
--   local long = robust.perturbation(img, mask, settings, {n = 10, seed = 1})
--   local icc = robust.cohort("cohort.csv", settings, {n = 10, threads = 2})
--   local rt  = robust.retest("retest.csv", settings)       -- column repeat or session
--   local step = robust.filter{icc = icc, threshold = 0.75}  -- a select.pipeline step
--
-- The approach is MIRP's (Zwanenburg et al., Sci Rep 9:614, 2019): each
-- perturbation adds Gaussian noise at the image's own noise level
-- (Immerkaer's estimator, rad.image.noise_sd), rotates the image and mask
-- about the ROI centre by an angle drawn uniformly from `rotate` (degrees),
-- translates them in-plane by dx, dy drawn uniformly from [-translate,
-- translate] voxels, and changes the ROI by a volume fraction drawn
-- uniformly from `volume` (or erodes / dilates it by one voxel), all through
-- rad.perturb.  The draws come from one seeded generator (rad.rng,
-- xoshiro256**), so the same seed gives the same perturbations and the same
-- features.  Features are extracted from every perturbed copy, and the ICC
-- per feature between perturbations (raters) over the cases (subjects)
-- measures how well a feature tells cases apart despite the perturbations:
-- ICC(2,1) by default (absolute agreement; Shrout & Fleiss 1979, as
-- rad.stats.icc).  A feature whose repeats agree exactly within every case
-- (and differ between cases) gets icc = 1; one whose ratings contain a
-- missing value (undefined for some ROI), that is constant over every case
-- and repeat, or whose ICC is undefined (no residual variance) gets NA.  robust.filter keeps the features with ICC >= threshold (0.75,
-- "good reliability" of Koo & Li 2016).

local rng = require "rad.rng"
local cohortmod = require "rad.cohort"

local robust = {}

local NA = rad.NA
local function isna(v) return v == nil or v == NA or (type(v) == "number" and v ~= v) end

local function check_opts(opts, fname, allowed)
  if opts == nil then return {} end
  if type(opts) ~= "table" then error(fname .. ": options must be a table, got " .. type(opts), 3) end
  local ok = {}
  for _, k in ipairs(allowed) do ok[k] = true end
  for k in pairs(opts) do
    if not ok[k] then
      error(string.format("%s: unknown option '%s' (allowed: %s)", fname, tostring(k), table.concat(allowed, ", ")), 3)
    end
  end
  return opts
end

local function is_table(t) return (type(t) == "userdata" or type(t) == "table") and type(t.nrow) == "function" end

local function has_col(t, name)
  for _, n in ipairs(t:names()) do if n == name then return true end end
  return false
end

-- A {lo, hi} range option: a number x means {-x, x}; false or 0 means off.
local function range_opt(v, def, fname, key)
  if v == nil then v = def end
  if v == false then return nil end
  if type(v) == "number" then
    if v ~= v or v == math.huge or v == -math.huge then
      error(string.format("%s: option '%s' must be finite, got %s", fname, key, tostring(v)), 4)
    end
    v = {-math.abs(v), math.abs(v)}
  end
  if type(v) ~= "table" or type(v[1]) ~= "number" or type(v[2]) ~= "number" or #v ~= 2 or v[1] > v[2] then
    error(string.format("%s: option '%s' must be a number or a range {lo, hi} with lo <= hi, got %s", fname, key,
      type(v) == "table" and "a table of another shape" or type(v)), 4)
  end
  return v
end

local PERTURB_KEYS = {"n", "noise", "rotate", "translate", "volume", "connectivity", "seed"}

-- The n perturbations (options of rad.perturb) drawn from gen.
local function plan(o, gen, fname)
  local n = o.n or 10
  if math.type(n) ~= "integer" or n < 2 then
    error(string.format("%s: option 'n' (perturbations) must be an integer >= 2, got %s", fname, tostring(n)), 3)
  end
  local noise = o.noise
  if noise == nil then noise = true end
  if noise ~= false and noise ~= true and type(noise) ~= "number" then
    error(fname .. ": option 'noise' must be true (the image's own level), false or an SD, got " .. type(noise), 3)
  end
  local rot = range_opt(o.rotate, {-4, 4}, fname, "rotate")
  local tr = range_opt(o.translate, 0.5, fname, "translate")
  local vol, volword = o.volume, nil
  if vol == "erode" or vol == "dilate" then volword = vol; vol = nil
  else vol = range_opt(vol, {-0.1, 0.1}, fname, "volume") end
  if vol and vol[1] <= -1 then
    error(string.format("%s: option 'volume' must stay above -1 (a fraction of the ROI volume), got %g", fname, vol[1]), 3)
  end
  local function draw(r) return r[1] + (r[2] - r[1]) * gen:random() end
  local out = {}
  for i = 1, n do
    local p = {seed = gen:next(), connectivity = o.connectivity}
    if noise ~= false then p.noise = noise end
    if rot then p.rotate = draw(rot) end
    if tr then p.translate = {draw(tr), draw(tr), 0} end
    if volword then p.volume = volword elseif vol then p.volume = draw(vol) end
    out[i] = p
  end
  return out
end

-- Columns of the parameters table (one row per perturbation).
local function params_table(plans, ids)
  local cols = {perturbation = {}, rotate = {}, dx = {}, dy = {}, volume = {}, seed = {}}
  for i, p in ipairs(plans) do
    cols.perturbation[i] = p.index or i
    cols.rotate[i] = p.rotate or 0
    cols.dx[i] = p.translate and p.translate[1] or 0
    cols.dy[i] = p.translate and p.translate[2] or 0
    cols.volume[i] = type(p.volume) == "number" and p.volume or (p.volume and (p.volume == "erode" and -1 or 1) or 0)
    -- text: the 64-bit seed exactly (a number column would round it to a
    -- double); tonumber(seed) gives back the integer rad.perturb takes
    cols.seed[i] = string.format("%d", p.seed)
  end
  local spec = {}
  if ids then spec[1] = {"id", ids} end
  for _, c in ipairs({"perturbation", "rotate", "dx", "dy", "volume", "seed"}) do spec[#spec + 1] = {c, cols[c]} end
  return rad.table.new(spec)
end

--- robust.perturbation(img, mask, settings, {n = 10, noise = true, rotate = {-4, 4}, translate = 0.5, volume = {-0.1, 0.1} | "erode" | "dilate", connectivity = 6, seed = 1, format = "long"}) -> Table, params: the features of n perturbed copies (long: perturbation, feature, value; wide: one row per perturbation) and the drawn parameters (perturbation, rotate, dx, dy, volume (-1 erode, 1 dilate), seed: text, the exact 64-bit seed: rad.perturb(img, mask, {seed = tonumber(row.seed), noise = true, rotate = row.rotate, translate = {row.dx, row.dy, 0}, volume = row.volume}) redoes a perturbation)
function robust.perturbation(img, mask, settings, opts)
  local fname = "robust.perturbation"
  local allowed = {"format"}
  for _, k in ipairs(PERTURB_KEYS) do allowed[#allowed + 1] = k end
  opts = check_opts(opts, fname, allowed)
  local format = opts.format or "long"
  if format ~= "long" and format ~= "wide" then
    error(fname .. ": option 'format' must be \"long\" or \"wide\", got " .. tostring(format), 2)
  end
  local plans = plan(opts, rng.new(opts.seed or 1), fname)
  local names, rows = nil, {}
  for i, p in ipairs(plans) do
    local ok, img2, mask2 = pcall(rad.perturb, img, mask, p)
    if not ok then error(string.format("%s: perturbation %d: %s", fname, i, tostring(img2)), 2) end
    local res
    ok, res = pcall(rad.extract, img2, mask2, settings)
    img2:close(); mask2:close()
    if not ok then error(string.format("%s: perturbation %d: %s", fname, i, tostring(res)), 2) end
    names = names or res:names()
    rows[i] = res:values()
  end
  local long = {}
  if format == "wide" then
    local spec = {{"perturbation", {}}}
    for i = 1, #plans do spec[1][2][i] = i end
    for j, f in ipairs(names) do
      local col = {}
      for i = 1, #plans do col[i] = rows[i][j] end
      spec[#spec + 1] = {f, col}
    end
    return rad.table.new(spec), params_table(plans)
  end
  local pc, fc, vc = {}, {}, {}
  for i = 1, #plans do
    for j, f in ipairs(names) do
      pc[#pc + 1] = i; fc[#fc + 1] = f; vc[#vc + 1] = rows[i][j]
    end
  end
  long = rad.table.new{{"perturbation", pc}, {"feature", fc}, {"value", vc}}
  return long, params_table(plans)
end

local function key(v) return type(v) == "number" and string.format("%.17g", v) or tostring(v) end

--- robust.icc(long, {type = "2,1" | "3,1" | "1,1", id = "id", rep = "perturbation" | "repeat" | "session", feature = "feature", value = "value", conf = 0.95}) -> Table: per feature (first-seen order) the ICC between repetitions over the cases: feature, icc, lower, upper (1 when every case's repeats are equal; NA when a rating is missing, the feature is constant or the ICC is undefined)
function robust.icc(t, opts)
  local fname = "robust.icc"
  opts = check_opts(opts, fname, {"type", "id", "rep", "feature", "value", "conf"})
  if not is_table(t) then error(fname .. ": expected a long Table (id, rep, feature, value), got " .. type(t), 2) end
  local typ = opts.type or "2,1"
  if typ ~= "1,1" and typ ~= "2,1" and typ ~= "3,1" then
    error(fname .. ": option 'type' must be \"1,1\", \"2,1\" or \"3,1\", got " .. tostring(typ), 2)
  end
  local idc, fc, vc = opts.id or "id", opts.feature or "feature", opts.value or "value"
  local repc = opts.rep
  if not repc then
    for _, c in ipairs({"perturbation", "repeat", "session", "rep"}) do
      if has_col(t, c) then repc = c; break end
    end
    if not repc then
      error(fname .. ": no repetition column (perturbation, repeat, session or rep); name it with rep =", 2)
    end
  end
  for _, c in ipairs({idc, repc, fc, vc}) do
    if not has_col(t, c) then
      error(string.format("%s: the table has no column '%s' (columns: %s)", fname, c, table.concat(t:names(), ", ")), 2)
    end
  end
  if t:type(vc) ~= "number" then error(fname .. ": column '" .. vc .. "' must hold numbers", 2) end
  local ids, reps, feats = t:col(idc), t:col(repc), t:col(fc)
  local vals = t:col(vc)
  local id_order, id_ix, rep_order, rep_ix, f_order, f_ix = {}, {}, {}, {}, {}, {}
  local cells = {}
  for r = 1, #vals do
    local i, k, f = key(ids[r]), key(reps[r]), tostring(feats[r])
    if isna(ids[r]) or isna(reps[r]) or isna(feats[r]) then
      error(string.format("%s: row %d has a missing %s, %s or %s", fname, r, idc, repc, fc), 2)
    end
    if not id_ix[i] then id_order[#id_order + 1] = i; id_ix[i] = #id_order end
    if not rep_ix[k] then rep_order[#rep_order + 1] = k; rep_ix[k] = #rep_order end
    if not f_ix[f] then f_order[#f_order + 1] = f; f_ix[f] = #f_order; cells[f] = {} end
    local ck = id_ix[i] .. "\0" .. rep_ix[k]
    if cells[f][ck] ~= nil then
      error(string.format("%s: feature '%s' has two values for %s %s, %s %s (rows must be unique per id, rep and feature)",
        fname, f, idc, i, repc, k), 2)
    end
    cells[f][ck] = vals[r]
  end
  if #id_order < 2 or #rep_order < 2 then
    error(string.format("%s: the ICC needs at least 2 cases and 2 repetitions, the table has %d (column '%s') and %d " ..
      "(column '%s')", fname, #id_order, idc, #rep_order, repc), 2)
  end
  local fo, io_, lo, up = {}, {}, {}, {}
  for j, f in ipairs(f_order) do
    local m, missing, first, constant, repeats_equal = {}, false, nil, true, true
    for a = 1, #id_order do
      local row = {}
      for b = 1, #rep_order do
        local v = cells[f][a .. "\0" .. b]
        if v == nil then
          error(string.format("%s: feature '%s' has no value for %s %s, %s %s; every case needs every repetition",
            fname, f, idc, id_order[a], repc, rep_order[b]), 2)
        end
        if isna(v) then missing = true
        else
          if first == nil then first = v elseif v ~= first then constant = false end
          if b > 1 and v ~= row[1] then repeats_equal = false end
        end
        row[b] = v
      end
      m[a] = row
    end
    fo[j] = f
    if missing or constant then
      io_[j], lo[j], up[j] = NA, NA, NA
    elseif repeats_equal then
      -- no variance within cases, some between them: perfect reliability
      -- (the F statistic is infinite, so rad.stats.icc declines it)
      io_[j], lo[j], up[j] = 1, 1, 1
    else
      local ok, r = pcall(rad.stats.icc, m, {type = typ, conf = opts.conf})
      if ok then io_[j], lo[j], up[j] = r.icc, r.lower, r.upper
      else io_[j], lo[j], up[j] = NA, NA, NA end -- undefined, e.g. ratings that differ by constant shifts only
    end
  end
  return rad.table.new{{"feature", fo}, {"icc", io_}, {"lower", lo}, {"upper", up}}
end

local function tmpdir()
  local p = io.popen("mktemp -d " .. (os.getenv("TMPDIR") or "/tmp") .. "/radlab-robust.XXXXXX")
  local d = p and p:read("l")
  if p then p:close() end
  if not d or d == "" then error("robust: cannot create a temporary folder (mktemp -d failed)", 3) end
  return d
end

local function read_manifest(manifest, fname)
  if type(manifest) == "string" then return cohortmod.read(manifest) end
  if not is_table(manifest) then
    error(fname .. ": manifest must be a CSV path or a Table (id, image, mask[, label]), got " .. type(manifest), 3)
  end
  for _, c in ipairs({"id", "image", "mask"}) do
    if not has_col(manifest, c) then error(string.format("%s: the manifest has no column '%s'", fname, c), 3) end
  end
  return manifest
end

-- Run rad.extract_cohort on a manifest of {id, image, mask, label} rows and
-- return, per row, the array of feature values, plus the feature names.
local function extract_rows(rows, settings, threads)
  local cols = {{"id", {}}, {"image", {}}, {"mask", {}}, {"label", {}}}
  for i, r in ipairs(rows) do
    cols[1][2][i], cols[2][2][i], cols[3][2][i], cols[4][2][i] = r.id, r.image, r.mask, r.label or 0
  end
  local eopts = {progress = false}
  if threads then eopts.threads = threads end
  local ok, res = pcall(rad.extract_cohort, rad.table.new(cols), settings, eopts)
  if not ok then error(tostring(res), 0) end
  local names, start = res:names(), nil
  for j, n in ipairs(names) do if n == "error" then start = j + 1; break end end
  local feats = {}
  for j = start, #names do feats[#feats + 1] = names[j] end
  local status, errs = res:col("status"), res:col("error")
  for i, r in ipairs(rows) do
    if status[i] ~= "ok" then error(string.format("%s: %s", r.what, tostring(errs[i])), 0) end
  end
  local values = {}
  for _, f in ipairs(feats) do values[f] = res:col(f) end
  return feats, values
end

--- robust.cohort(manifest, settings, {n = 10, seed = 1, threads =, noise =, rotate =, translate =, volume =, connectivity =, type = "2,1"}) -> Table, long, params: per-feature ICC over the cohort's cases between n perturbations of each (feature, icc, lower, upper), the long features (id, perturbation, feature, value) and the drawn parameters; case by case, the perturbed copies go to a temporary folder and through rad.extract_cohort (threads), then are removed
function robust.cohort(manifest, settings, opts)
  local fname = "robust.cohort"
  local allowed = {"threads", "type"}
  for _, k in ipairs(PERTURB_KEYS) do allowed[#allowed + 1] = k end
  opts = check_opts(opts, fname, allowed)
  local m = read_manifest(manifest, fname)
  if m:nrow() < 2 then error(fname .. ": the ICC needs at least 2 cases, the manifest has " .. m:nrow(), 2) end
  local gen = rng.new(opts.seed or 1)
  local ids, images, masks = m:col("id"), m:col("image"), m:col("mask")
  local labels = has_col(m, "label") and m:col("label") or {}
  local feats, plans_all, pid = nil, {}, {}
  local ic, pc, fc, vc = {}, {}, {}, {}
  -- one case at a time: its n perturbed copies on disk at once, extracted in
  -- parallel, then removed (disk use bounded by one case)
  local dir = tmpdir()
  for c = 1, #ids do
    local id = tostring(ids[c])
    local label = labels[c]
    if isna(label) then label = 0 end
    local plans = plan(opts, gen, fname)
    local files, rows = {}, {}
    local ok, err = pcall(function()
      local ok1, img = pcall(rad.read, images[c])
      if not ok1 then error(string.format("case %s: %s", id, tostring(img)), 0) end
      local ok2, mask = pcall(rad.read_mask, masks[c], {label = label})
      if not ok2 then error(string.format("case %s: %s", id, tostring(mask)), 0) end
      for r, p in ipairs(plans) do
        local ok3, img2, mask2 = pcall(rad.perturb, img, mask, p)
        if not ok3 then error(string.format("case %s: perturbation %d: %s", id, r, tostring(img2)), 0) end
        local ip, mp = string.format("%s/p%d_img.nii", dir, r), string.format("%s/p%d_roi.nii", dir, r)
        files[#files + 1] = ip; files[#files + 1] = mp
        local ok4, werr = pcall(function() img2:write(ip); mask2:write(mp) end)
        img2:close(); mask2:close()
        if not ok4 then error(string.format("case %s: writing a temporary copy: %s", id, tostring(werr)), 0) end
        rows[r] = {id = id .. "#" .. r, image = ip, mask = mp, label = 1, what = string.format("case %s: perturbation %d", id, r)}
      end
      img:close(); mask:close()
    end)
    local cf, values
    if ok then ok, cf, values = pcall(extract_rows, rows, settings, opts.threads) end
    for _, f in ipairs(files) do os.remove(f) end
    if not ok then
      os.remove(dir)
      error(fname .. ": " .. tostring(err or cf), 2)
    end
    feats = feats or cf
    if #cf ~= #feats then
      os.remove(dir)
      error(string.format("%s: case %s gives %d features, the first case %d", fname, id, #cf, #feats), 2)
    end
    for r = 1, #rows do
      for _, f in ipairs(feats) do
        ic[#ic + 1] = id; pc[#pc + 1] = r; fc[#fc + 1] = f; vc[#vc + 1] = values[f][r]
      end
    end
    for r, p in ipairs(plans) do p.index = r; plans_all[#plans_all + 1] = p; pid[#pid + 1] = id end
  end
  os.remove(dir)
  local long = rad.table.new{{"id", ic}, {"perturbation", pc}, {"feature", fc}, {"value", vc}}
  return robust.icc(long, {type = opts.type, id = "id", rep = "perturbation"}), long, params_table(plans_all, pid)
end

--- robust.retest(manifest, settings, {rep = "repeat" | "session", threads =, type = "2,1"}) -> Table, long: per-feature ICC between the repeated scans of a test-retest manifest (two or more rows per id, told apart by the column repeat or session): feature, icc, lower, upper, and the long features (id, rep, feature, value)
function robust.retest(manifest, settings, opts)
  local fname = "robust.retest"
  opts = check_opts(opts, fname, {"rep", "threads", "type"})
  local m = read_manifest(manifest, fname)
  local repc = opts.rep
  if not repc then
    for _, c in ipairs({"repeat", "session"}) do if has_col(m, c) then repc = c; break end end
    if not repc then
      error(fname .. ": the manifest has no column 'repeat' or 'session' telling the repeated scans of an id apart " ..
        "(columns: " .. table.concat(m:names(), ", ") .. "); add one, or name it with rep =", 2)
    end
  elseif not has_col(m, repc) then
    error(string.format("%s: the manifest has no column '%s' (option rep)", fname, repc), 2)
  end
  local ids, reps, images, masks = m:col("id"), m:col(repc), m:col("image"), m:col("mask")
  local labels = has_col(m, "label") and m:col("label") or {}
  local rows, count = {}, {}
  for i = 1, #ids do
    if isna(reps[i]) then error(string.format("%s: row %d (id %s) has no %s", fname, i, tostring(ids[i]), repc), 2) end
    local id, rp = tostring(ids[i]), key(reps[i])
    count[id] = (count[id] or 0) + 1
    rows[i] = {id = id .. "#" .. rp, image = images[i], mask = masks[i], label = isna(labels[i]) and 0 or labels[i],
      case = id, rep = reps[i], what = string.format("id %s, %s %s", id, repc, rp)}
  end
  for id, n in pairs(count) do
    if n < 2 then
      error(string.format("%s: id %s has one scan; a test-retest manifest needs two or more rows per id " ..
        "(remove it or add its repeat)", fname, id), 2)
    end
  end
  local ok, feats, values = pcall(extract_rows, rows, settings, opts.threads)
  if not ok then error(fname .. ": " .. tostring(feats), 2) end
  local ic, pc, fc, vc = {}, {}, {}, {}
  for i, r in ipairs(rows) do
    for _, f in ipairs(feats) do
      ic[#ic + 1] = r.case; pc[#pc + 1] = r.rep; fc[#fc + 1] = f; vc[#vc + 1] = values[f][i]
    end
  end
  local long = rad.table.new{{"id", ic}, {repc, pc}, {"feature", fc}, {"value", vc}}
  return robust.icc(long, {type = opts.type, id = "id", rep = repc}), long
end

--- robust.filter{icc = Table, threshold = 0.75, type = "icc" | "lower"} -> step: keeps the features whose ICC (or its lower confidence bound) is >= threshold (:fit(train, cols) -> fitted with keep, dropped, report; fitted:apply(t) -> t without the dropped columns); a feature missing from the ICC table is an error, NA counts as below
function robust.filter(spec)
  local fname = "robust.filter"
  spec = check_opts(spec, fname, {"icc", "threshold", "type"})
  if not is_table(spec.icc) or not has_col(spec.icc, "feature") then
    error(fname .. ": icc = must be a Table with columns feature, icc, lower (robust.icc, robust.cohort)", 2)
  end
  local thr = spec.threshold or 0.75
  if type(thr) ~= "number" or thr ~= thr then error(fname .. ": threshold must be a number, got " .. type(thr), 2) end
  local typ = spec.type or "icc"
  if typ ~= "icc" and typ ~= "lower" then
    error(fname .. ": type must be \"icc\" or \"lower\", got " .. tostring(typ), 2)
  end
  if not has_col(spec.icc, typ) then error(fname .. ": the ICC table has no column '" .. typ .. "'", 2) end
  local value = {}
  local fcol, vcol = spec.icc:col("feature"), spec.icc:col(typ)
  for i, f in ipairs(fcol) do value[f] = vcol[i] end
  local function fit(self, train, cols)
    local ff = "robust.filter:fit"
    if not is_table(train) then error(ff .. ": expected a Table, got " .. type(train), 2) end
    local use = {}
    if cols then
      local absent = {}
      for _, c in ipairs(cols) do
        if value[c] == nil then absent[#absent + 1] = c else use[#use + 1] = c end
      end
      if #absent > 0 then
        error(string.format("%s: %d feature%s not in the ICC table: %s; compute their ICC with the same settings, " ..
          "or leave them out of the candidates", ff, #absent, #absent == 1 and " is" or "s are",
          table.concat(absent, ", ")), 2)
      end
    else
      for _, c in ipairs(train:names()) do
        if value[c] ~= nil and train:type(c) == "number" then use[#use + 1] = c end
      end
    end
    local keep, dropped, rf, rv, rk = {}, {}, {}, {}, {}
    for i, c in ipairs(use) do
      local v = value[c]
      local ok = not isna(v) and v >= thr
      if ok then keep[#keep + 1] = c else dropped[#dropped + 1] = c end
      rf[i], rv[i], rk[i] = c, isna(v) and NA or v, ok and 1 or 0
    end
    local fitted = {step = "robust_filter", keep = keep, dropped = dropped, threshold = thr,
      report = rad.table.new{{"feature", rf}, {typ, rv}, {"kept", rk}}}
    function fitted.apply(f, t)
      if not is_table(t) then error("robust.filter:apply: expected a Table, got " .. type(t), 2) end
      local drop = {}
      for _, c in ipairs(f.dropped) do drop[c] = true end
      local out = {}
      for _, c in ipairs(t:names()) do if not drop[c] then out[#out + 1] = c end end
      return t:select(out)
    end
    return fitted
  end
  return setmetatable({step = "robust_filter"}, {__index = {fit = fit}, __name = "rad.Step",
    __tostring = function() return "Step(robust_filter)" end})
end

return (require("rad.doc").register(robust, "robust")) -- not a tail call: register reads this file
