-- radlab: study scripts: one table from cohort to validated, reported model.
-- SPDX-License-Identifier: GPL-3.0-or-later
--
--   local s = rad.study{
--     name = "neuroblastoma",
--     cohort = "nb/manifest.csv",                 -- id, image, mask, clinical columns
--     outcome = {time = "efs", event = "efs_event", unit = "months"},
--     clinical = {"age18", "stage", "mycn"}, ref = {stage = "L1"},
--     split = {by = "centre", test = "B"},        -- or {test = 0.3, strata = "efs_event", seed = 1}
--     features = "settings.lua",                  -- or a settings table
--     robustness = {n = 2, threshold = 0.75},     -- or false
--     harmonise = {batch = "centre"},             -- or false
--     selection = {redundancy = 0.9, univariate = {alpha = 0.05}, lasso = {lambda = "1se", folds = 10}},
--     validation = {times = {36, 60}, at = 36, boot = 200},
--     report = "results",
--   }
--   s:run()          -- or step by step: s:extract(), s:split(), s:robustness(), s:harmonise(),
--                    -- s:select(), s:fit(), s:validate(), s:report()
--
-- Every step stores its result in the study (s.features, s.train, s.test,
-- s.selected, s.models, s.metrics, ...) and runs the steps it needs first,
-- so s:validate() alone extracts, splits, selects and fits.  Extraction goes
-- through the cohort cache in <report>/cache: changing the models or the
-- selection never re-extracts.  Everything random is seeded (seed, default
-- 1), so a study gives the same tables, manifest and (reproducible) figures
-- on every run.  The outcome is survival (time, event: Cox models, Harrell's
-- and Uno's C, time-dependent AUC, calibration at `at`, decision curve,
-- Kaplan-Meier by risk group) or binary (outcome = {binary = "col"}:
-- logistic models, AUC with DeLong CI and the paired DeLong test).
-- man radlab-study(7) documents every key.

local cohort_mod = require "rad.cohort"
local validate = require "rad.validate"

local study = {}
local Study = {}
Study.__index = Study
Study.__name = "rad.Study"

local NA = rad.NA
local function isna(v) return v == nil or v == NA or (type(v) == "number" and v ~= v) end

-- ---- the study table: keys, defaults, checks ------------------------------------------------

local KEYS = {
  name = "string: the study's name (figure titles, summary, manifest)",
  cohort = "path of the manifest CSV (id, image, mask, clinical columns) or a Table",
  clinical_table = "optional path or Table of clinical data joined to the manifest by id",
  derive = "optional function(t) -> t adding derived clinical columns (e.g. age >= 18 months) after loading",
  id = "the id column (default \"id\")",
  outcome = "{time =, event =, unit =} for survival, or {binary = col, positive = value}",
  clinical = "list of clinical covariates of the clinical and combined models",
  ref = "{column = reference level} for text covariates",
  split = "{by = col, test = value or {values}} (external validation), {test = fraction, strata = col, seed =} (random split) or {cv = k, repeats = 1, strata = col, seed =} (repeated k-fold cross-validation)",
  features = "extraction settings: a settings table or the path of a settings file",
  robustness = "false, or {n = perturbations per case, cases = how many training cases, threshold = 0.75, type = \"icc\"}",
  harmonise = "false, or {batch = col, covariates = {cols}, parametric = true}",
  selection = "{variance = true, redundancy = 0.9, univariate = {alpha = 0.05, adjust = \"BH\"}, lasso = {lambda = \"1se\", folds = 10}, stability = false}",
  validation = "{times = {t1, t2}, at = t, boot = 200, groups = 4}",
  report = "the output folder (created)",
  cache = "the feature cache folder (default <report>/cache; studies of one cohort can share one)",
  threads = "extraction threads (default: one per processor)",
  seed = "the seed of every random step (default 1)",
  quiet = "true: no progress lines",
}

local function suggest(key)
  local best, bd
  for k in pairs(KEYS) do
    -- edit distance, small strings
    local a, b = key:lower(), k
    local d = {}
    for i = 0, #a do d[i] = {[0] = i} end
    for j = 0, #b do d[0][j] = j end
    for i = 1, #a do for j = 1, #b do
      d[i][j] = math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a:sub(i, i) == b:sub(j, j) and 0 or 1))
    end end
    if not bd or d[#a][#b] < bd then best, bd = k, d[#a][#b] end
  end
  return bd and bd <= 3 and best or nil
end

local function sorted_keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks, function(x, y) return tostring(x) < tostring(y) end)
  return ks
end

local function fail(fmt, ...) error("rad.study: " .. string.format(fmt, ...), 0) end

local function check_spec(spec)
  if type(spec) ~= "table" then fail("expected the study table, got %s", type(spec)) end
  local unknown = {}
  for _, k in ipairs(sorted_keys(spec)) do
    if not KEYS[k] then
      local s = type(k) == "string" and suggest(k)
      unknown[#unknown + 1] = "'" .. tostring(k) .. "'" .. (s and " (did you mean '" .. s .. "'?)" or "")
    end
  end
  if #unknown > 0 then
    fail("unknown key%s %s; the keys: %s", #unknown == 1 and "" or "s", table.concat(unknown, ", "),
      table.concat(sorted_keys(KEYS), ", "))
  end
  if type(spec.name) ~= "string" or spec.name == "" then fail("name must be a non-empty string") end
  if spec.cohort == nil then fail("cohort is required: the path of a manifest CSV or a Table") end
  local o = spec.outcome
  if type(o) ~= "table" then fail("outcome must be {time =, event =} or {binary =}") end
  if o.binary == nil and (type(o.time) ~= "string" or type(o.event) ~= "string") then
    fail("outcome needs time = and event = (column names), or binary = a column name")
  end
  if o.binary ~= nil and (o.time ~= nil or o.event ~= nil) then
    fail("outcome is either survival (time, event) or binary, not both")
  end
  if spec.clinical ~= nil and type(spec.clinical) ~= "table" then fail("clinical must be a list of column names") end
  if type(spec.report) ~= "string" or spec.report == "" then fail("report must be the path of an output folder") end
  local sp = spec.split
  if sp ~= nil then
    if type(sp) ~= "table" then fail("split must be a table: {by =, test =}, {test =, strata =, seed =} or {cv =, repeats =}") end
    local known = {by = true, test = true, strata = true, seed = true, cv = true, repeats = true}
    for _, k in ipairs(sorted_keys(sp)) do
      if not known[k] then
        fail("split has an unknown key '%s'; the keys: by, cv, repeats, seed, strata, test", tostring(k))
      end
    end
    if sp.cv ~= nil then
      if math.type(sp.cv) ~= "integer" or sp.cv < 2 then
        fail("split.cv must be the number of folds, an integer >= 2 (e.g. 5), got %s", tostring(sp.cv))
      end
      if sp.repeats ~= nil and (math.type(sp.repeats) ~= "integer" or sp.repeats < 1) then
        fail("split.repeats must be an integer >= 1, got %s", tostring(sp.repeats))
      end
      if sp.by ~= nil or sp.test ~= nil then
        fail("split: cv = k is cross-validation; by = and test = make a single split; give one or the other")
      end
    elseif sp.repeats ~= nil then
      fail("split.repeats goes with cv = k (repeated k-fold cross-validation)")
    end
  end
  return spec
end

-- ---- small helpers -------------------------------------------------------------------------

local function say(s, fmt, ...)
  if not s.spec.quiet then io.stderr:write("study: ", string.format(fmt, ...), "\n") end
end

local function now()
  local h = io.popen("date +%s.%N")
  local v = h and tonumber(h:read("l")) or os.time()
  if h then h:close() end
  return v
end

-- time a step into s.timing
local function timed(s, name, fn)
  local t0 = now()
  local r = fn()
  s.timing[#s.timing + 1] = {step = name, seconds = now() - t0}
  return r
end

local function has(t, name)
  for _, n in ipairs(t:names()) do if n == name then return true end end
  return false
end

local function mkdir(path)
  os.execute("mkdir -p '" .. path:gsub("'", "'\\''") .. "'")
end

local function write_text(path, text)
  local tmp = path .. ".tmp"
  local f = assert(io.open(tmp, "wb"))
  f:write(text)
  f:close()
  assert(os.rename(tmp, path))
end

local function fmt(x, d)
  if isna(x) then return "NA" end
  return string.format("%." .. (d or 3) .. "f", x)
end

local function pfmt(p)
  if isna(p) then return "NA" end
  if p < 0.001 then return "< 0.001" end
  return string.format("%.3f", p)
end

-- The feature families by tag, as the methods text names them (also rad.checklist).
local FAMILY_NAMES = {morph = "morphology", loc = "local intensity", stat = "intensity statistics",
  ih = "intensity histogram", ivh = "intensity-volume histogram", cm = "grey-level co-occurrence (GLCM)",
  rlm = "grey-level run length (GLRLM)", szm = "grey-level size zone (GLSZM)", dzm = "grey-level distance zone (GLDZM)",
  ngt = "neighbourhood grey tone difference (NGTDM)", ngl = "neighbouring grey level dependence (NGLDM)"}
local ALL_FAMILIES = {"morph", "loc", "stat", "ih", "ivh", "cm", "rlm", "szm", "dzm", "ngt", "ngl"}
-- The intensity normalisation of checked settings st as a phrase for a
-- methods section ("intensities were normalised ..."), or nil when off.
local function normalisation_text(st)
  local n = st.normalise
  if not n then return nil end
  if n.method == "zscore" then
    return string.format("intensities were normalised to z-scores over the %s (%s standard deviation%s%s) before interpolation",
      n.scope == "image" and "whole image" or "ROI", n.sd, n.scale ~= 1 and string.format(", scaled by %g", n.scale) or "",
      n.remove_outliers and string.format(", clipped at +/- %g SD", n.remove_outliers) or "")
  elseif n.method == "percentile" then
    return string.format("intensities were mapped linearly so that the %gth and %gth percentiles of the %s became %g and %g, before interpolation",
      n.percentiles[1], n.percentiles[2], n.scope == "image" and "whole image" or "ROI", n.range[1], n.range[2])
  end
  local region = n.mask and (n.label and string.format("label %d of the mask %s", n.label, n.mask) or "the mask " .. n.mask)
    or string.format("label %d of the segmentation", n.label)
  return string.format("intensities were normalised to a reference region (%s) by %s, before interpolation", region,
    n.statistic == "zscore" and string.format("its mean and %s standard deviation (z-score)", n.sd) or "dividing by its mean")
end

study._fmt, study._pfmt, study._family_names, study._all_families = fmt, pfmt, FAMILY_NAMES, ALL_FAMILIES
study._normalisation_text = normalisation_text

-- Feature tags of a features table: the numeric columns after "error".
local function feature_cols(t)
  local names, out, after = t:names(), {}, false
  for _, n in ipairs(names) do
    if after and t:type(n) == "number" then out[#out + 1] = n end
    if n == "error" then after = true end
  end
  return out
end

-- ---- construction --------------------------------------------------------------------------

--- rad.study{name =, cohort =, outcome =, clinical =, split =, features =, robustness =, harmonise =, selection =, validation =, report =, ...} -> Study: a study script's plan; s:run() runs every step, s:extract(), s:split(), s:robustness(), s:harmonise(), s:select(), s:fit(), s:validate(), s:report() one at a time (each runs what it needs first); man radlab-study(7)
function study.new(spec)
  check_spec(spec)
  local s = setmetatable({spec = spec, timing = {}, excluded = {}, notes = {}}, Study)
  s.seed = spec.seed or 1
  s.survival = spec.outcome.binary == nil
  s.dir = spec.report:gsub("/+$", "")
  return s
end

setmetatable(study, {__call = function(_, spec) return study.new(spec) end})

-- ---- steps ---------------------------------------------------------------------------------

-- The settings table (from a file or given), checked.
local function load_settings(f, what)
  if type(f) == "string" then
    local chunk, err = loadfile(f, "t")
    if not chunk then fail("%s: cannot load the settings file '%s': %s", what, f, err) end
    local ok, res = pcall(chunk)
    if not ok or type(res) ~= "table" then fail("%s: the settings file '%s' must return a table", what, f) end
    return res, f
  end
  if type(f) ~= "table" then fail("%s must be a settings table or the path of a settings file", what) end
  return f
end

-- The feature sets: one unnamed set (a settings table or file), or a list
-- {{name =, settings = table or path}, ...} whose features are prefixed
-- "<name>_" so that one study can compare or combine several settings.
local function settings_of(s)
  local f = s.spec.features
  if f == nil then return {{settings = {}}} end
  if type(f) == "table" and type(f[1]) == "table" then
    local sets, seen = {}, {}
    for k, e in ipairs(f) do
      if type(e.name) ~= "string" or not e.name:match("^[%a][%w]*$") then
        fail("features[%d].name must be a short name of letters and digits (it prefixes the feature tags), got %s",
          k, tostring(e.name))
      end
      if seen[e.name] then fail("features: the name '%s' is used twice", e.name) end
      seen[e.name] = true
      local st, file = load_settings(e.settings, "features[" .. k .. "].settings")
      sets[k] = {name = e.name, settings = st, file = file}
    end
    return sets
  end
  local st, file = load_settings(f, "features")
  return {{settings = st, file = file}}
end

--- Study:load() -> Study: read and check the manifest and the clinical data (outcome columns: no negative times, events 0/1)
function Study:load()
  if self.cohort then return self end
  return timed(self, "load", function()
    local spec = self.spec
    local m
    if type(spec.cohort) == "string" then
      self.manifest_path = spec.cohort
      local ok, res = pcall(cohort_mod.read, spec.cohort, {files = false})
      if not ok then fail("%s", tostring(res):gsub("^cohort%.read: ", "cohort: ")) end
      m = res
    else
      m = spec.cohort
    end
    local idc = spec.id or "id"
    if spec.clinical_table then
      local c = spec.clinical_table
      if type(c) == "string" then c = rad.read_csv(c, {types = {[idc] = "string"}}) end
      -- patients without a clinical row leave the study, named (an inner join)
      local have = {}
      for _, id in ipairs(c:col(idc)) do have[tostring(id)] = true end
      for _, id in ipairs(m:col(idc)) do
        if not have[tostring(id)] then
          self.excluded[#self.excluded + 1] = {id = tostring(id), reason = "no row in the clinical table"}
        end
      end
      m = m:join(c, idc)
      if m:nrow() == 0 then fail("no patient of the cohort has a row in the clinical table (joined by '%s')", idc) end
    end
    if spec.derive then
      if type(spec.derive) ~= "function" then fail("derive must be a function(t) -> t") end
      m = spec.derive(m)
    end
    -- the outcome, checked
    local o = spec.outcome
    local need = self.survival and {o.time, o.event} or {o.binary}
    for _, c in ipairs(spec.clinical or {}) do need[#need + 1] = c end
    for _, c in ipairs(need) do
      if not has(m, c) then fail("the cohort has no column '%s' (columns: %s)", c, table.concat(m:names(), ", ")) end
    end
    if not self.survival then
      -- the binary outcome as a 0/1 column: numbers 0/1, or text with positive =
      local y, vals, out = o.binary, m:col(o.binary), {}
      if m:type(y) == "string" then
        if o.positive == nil then
          fail("outcome binary column '%s' holds text: say which value is the positive class (outcome.positive)", y)
        end
        local seen = false
        for i, v in ipairs(vals) do
          if isna(v) then out[i] = NA else out[i] = v == o.positive and 1 or 0; seen = seen or v == o.positive end
        end
        if not seen then fail("outcome.positive = '%s' does not occur in column '%s'", tostring(o.positive), y) end
        self.ycol = y .. "_positive"
        m = m:copy()
        m:add(self.ycol, out)
      else
        local pos = o.positive == nil and 1 or o.positive
        for i, v in ipairs(vals) do
          if not isna(v) and v ~= 0 and v ~= 1 and v ~= pos then
            fail("outcome binary column '%s' must hold 0 and 1 (or give outcome.positive); row %d (id %s) has %s", y, i,
              tostring(m:get(i, idc)), tostring(v))
          end
        end
        if pos ~= 1 then
          for i, v in ipairs(vals) do out[i] = isna(v) and NA or (v == pos and 1 or 0) end
          self.ycol = y .. "_positive"
          m = m:copy()
          m:add(self.ycol, out)
        else
          self.ycol = y
        end
      end
      local missing = 0
      for _, v in ipairs(m:col(self.ycol)) do if isna(v) then missing = missing + 1 end end
      if missing > 0 then fail("outcome '%s' is missing for %d patients: drop them from the cohort first", y, missing) end
    end
    if self.survival then
      local time, ev = m:col(o.time), m:col(o.event)
      for i = 1, m:nrow() do
        if not isna(time[i]) and (type(time[i]) ~= "number" or time[i] < 0) then
          fail("outcome time '%s' must be a number >= 0; row %d (id %s) has %s", o.time, i, tostring(m:get(i, idc)), tostring(time[i]))
        end
        if not isna(ev[i]) and ev[i] ~= 0 and ev[i] ~= 1 then
          fail("outcome event '%s' must be 0 (censored) or 1 (event); row %d (id %s) has %s", o.event, i, tostring(m:get(i, idc)), tostring(ev[i]))
        end
      end
    end
    self.cohort = m
    self.id = idc
    return self
  end) or self
end

--- Study:extract() -> Study: IBSI features of every case (cached in <report>/cache); failed cases are left out of the study and listed in s.excluded, the report and the manifest
function Study:extract()
  if self.features then return self end
  self:load()
  return timed(self, "extract", function()
    mkdir(self.dir)
    local sets = settings_of(self)
    self.feature_sets = sets
    -- the first set is "the" settings of single-set studies (methods, checklist)
    self.settings, self.settings_file = sets[1].settings, sets[1].file
    self.settings_digest = rad.settings.digest(self.settings)
    local tables, info = {}, {cases = self.cohort:nrow(), ok = 0, failed = 0, cached = 0}
    local failed_at = {}
    for k, set in ipairs(sets) do
      set.digest = rad.settings.digest(set.settings)
      local t, inf = rad.extract_cohort(self.cohort, set.settings, {threads = self.spec.threads,
        cache = self.spec.cache or self.dir .. "/cache", progress = not self.spec.quiet})
      tables[k] = t
      info.cached = info.cached + inf.cached
      local status, err, ids = t:col("status"), t:col("error"), t:col("id")
      for i = 1, t:nrow() do
        if status[i] ~= "ok" and not failed_at[i] then
          failed_at[i] = true
          local why = isna(err[i]) and status[i] or err[i]
          self.excluded[#self.excluded + 1] = {id = ids[i], reason = set.name and (set.name .. ": " .. why) or why}
        end
      end
    end
    -- keep the cases that every set extracted
    local keep = {}
    for i = 1, self.cohort:nrow() do if not failed_at[i] then keep[#keep + 1] = i end end
    info.ok, info.failed = #keep, self.cohort:nrow() - #keep
    self.extraction = info
    if #keep == 0 then
      fail("extraction failed for every case (first: %s: %s)", tostring(self.excluded[1].id), tostring(self.excluded[1].reason))
    end
    -- one table: the first set's key and status columns, then every set's
    -- features (prefixed with the set's name when there are names)
    local feats = tables[1]:rows(keep)
    local all = {}
    for k, set in ipairs(sets) do
      local fk = k == 1 and feats or tables[k]:rows(keep)
      for _, f in ipairs(feature_cols(fk)) do
        local col = fk:col(f)
        local name = set.name and (set.name .. "_" .. f) or f
        if set.name then
          if k == 1 then feats:drop(f) end
          feats:add(name, col)
        end
        all[#all + 1] = name
      end
    end
    -- a feature undefined for some ROI (NA) cannot enter the models: left out, counted
    local defined = {}
    for _, f in ipairs(all) do
      local ok = true
      for _, v in ipairs(feats:col(f)) do if isna(v) then ok = false; break end end
      if ok then defined[#defined + 1] = f end
    end
    self.n_features, self.n_undefined = #all, #all - #defined
    self.feature_names = defined
    -- features beside the clinical columns, rows in manifest order
    local data = self.cohort:rows(keep)
    for _, f in ipairs(self.feature_names) do data:add(f, feats:col(f)) end
    self.data = data
    self.features = feats
    feats:write_csv(self.dir .. "/features.csv")
    say(self, "extracted %d of %d cases%s (%d from the cache)%s", info.ok, info.cases,
      #sets > 1 and string.format(" with %d feature sets", #sets) or "", info.cached,
      #self.excluded > 0 and string.format("; %d left out: %s", #self.excluded, self.excluded[1].id .. ": " .. self.excluded[1].reason) or "")
    return self
  end) or self
end

--- Study:split() -> Study: the training and test sets (s.train, s.test, s.split_name) as the split key says; with split = {cv = k, repeats = r}, s.train is every patient (the final models) and s.folds the k x r cross-validation folds
function Study:split()
  if self.train then return self end
  self:extract()
  local sp = self.spec.split or {test = 0.3}
  local o = self.spec.outcome
  local ycol = self.survival and o.event or self.ycol
  local function events(t)
    local n = 0
    for _, v in ipairs(t:col(ycol)) do if v == 1 then n = n + 1 end end
    return n
  end
  local what = self.survival and "event" or "positive case"
  if sp.cv then
    local k, reps = sp.cv, sp.repeats or 1
    local strata = sp.strata or ycol
    local n, ne = self.data:nrow(), events(self.data)
    if k > ne then
      fail("split.cv = %d folds but only %d patients with an %s: every held-out fold needs one; use cv = %d or fewer", k, ne,
        what, math.max(2, ne // 2))
    end
    local ok, folds = pcall(cohort_mod.kfold, self.data, {k = k, repeats = reps, strata = strata, seed = sp.seed or self.seed})
    if not ok then fail("split: %s", tostring(folds)) end
    for _, f in ipairs(folds) do
      local ntr, nte = 0, 0
      local y = self.data:col(ycol)
      for _, r in ipairs(f.rows) do if y[r] == 1 then ntr = ntr + 1 end end
      for _, r in ipairs(f.test_rows) do if y[r] == 1 then nte = nte + 1 end end
      if nte == 0 then
        fail("split: fold %d of repeat %d holds out %d patients without an %s; stratify by '%s' (split.strata) or use fewer folds",
          f.fold, f.rep, #f.test_rows, what, ycol)
      end
      if ntr < 5 then fail("split: fold %d of repeat %d leaves only %d training %ss: too few to fit a model", f.fold, f.rep, ntr, what) end
    end
    self.train, self.folds, self.cv = self.data, folds, {k = k, repeats = reps, strata = strata, seed = sp.seed or self.seed}
    self.split_name = "cv"
    self.split_text = string.format("%s%d-fold cross-validation stratified by %s (seed %d)",
      reps > 1 and string.format("%d times repeated ", reps) or "", k, strata, sp.seed or self.seed)
    say(self, "split: %d patients (%d %ss), %s: %d folds, each held out once per repeat", n, ne, what, self.split_text, #folds)
    return self
  end
  if sp.by then
    self.train, self.test = cohort_mod.split_by(self.data, sp.by, {test = sp.test})
    local v = type(sp.test) == "table" and table.concat(sp.test, "+") or tostring(sp.test)
    self.split_name = "test_" .. v
    self.split_text = string.format("%s for external validation (training on the other values of %s)",
      sp.by .. " " .. v, sp.by)
  else
    local strata = sp.strata or ycol
    self.train, self.test = cohort_mod.split(self.data, {test = sp.test or 0.3, strata = strata, seed = sp.seed or self.seed})
    self.split_name = "test"
    self.split_text = string.format("random split stratified by %s (test fraction %g, seed %d)", strata,
      sp.test or 0.3, sp.seed or self.seed)
  end
  -- a test set without events cannot validate anything
  local ne_train, ne_test = events(self.train), events(self.test)
  if ne_test == 0 then fail("the split leaves no %s in the test set (%d patients): choose another split", what, self.test:nrow()) end
  if ne_train < 5 then fail("the split leaves only %d %ss in the training set: too few to fit a model", ne_train, what) end
  say(self, "split: %d training (%d events), %d test (%d events); %s", self.train:nrow(), ne_train, self.test:nrow(), ne_test, self.split_text)
  return self
end

-- ---- robustness, harmonisation, selection ----------------------------------------------------

--- Study:robustness() -> Study: features whose ICC over image perturbations of training cases is below the threshold are left out (s.icc: the ICC table); nothing when robustness = false
function Study:robustness()
  if self.robust_done then return self end
  self:split()
  local r = self.spec.robustness
  self.robust_done = true
  self.candidates = self.feature_names
  if not r then return self end
  return timed(self, "robustness", function()
    local robust = require "rad.robust"
    local ncase = math.min(r.cases or 20, self.train:nrow())
    local rows = {}
    for i = 1, ncase do rows[i] = i end
    local sub = self.train:rows(rows)
    local keys = {"id", "image", "mask"}
    if has(sub, "label") then keys[#keys + 1] = "label" end
    -- one ICC table over every feature set (tags prefixed as in the features)
    local cols = {feature = {}, icc = {}, lower = {}, upper = {}}
    for _, set in ipairs(self.feature_sets) do
      local t = robust.cohort(sub:select(keys), set.settings, {n = r.n or 2, seed = self.seed, threads = self.spec.threads})
      for i = 1, t:nrow() do
        local k = #cols.feature + 1
        local f = t:get(i, "feature")
        cols.feature[k] = set.name and (set.name .. "_" .. f) or f
        for _, c in ipairs{"icc", "lower", "upper"} do cols[c][k] = t:get(i, c) end
      end
    end
    local icc = rad.table.new{{"feature", cols.feature}, {"icc", cols.icc}, {"lower", cols.lower}, {"upper", cols.upper}}
    self.icc = icc
    local step = robust.filter{icc = icc, threshold = r.threshold or 0.75, type = r.type}
    local fitted = step:fit(self.train, self.candidates)
    self.candidates = fitted.keep
    self.trace = self.trace or {}
    self.trace[#self.trace + 1] = {step = "robustness", kept = #fitted.keep, from = #self.feature_names}
    say(self, "robustness: %d of %d features with ICC >= %g over %d perturbations of %d training cases",
      #fitted.keep, #self.feature_names, r.threshold or 0.75, r.n or 2, ncase)
    return self
  end) or self
end

--- Study:harmonise() -> Study: ComBat by batch on the candidate features (features and batch only, never the outcome), applied to training and test sets; nothing when harmonise = false
function Study:harmonise()
  if self.harmonised then return self end
  self:robustness()
  self.harmonised = true
  self.robust_candidates = self.candidates -- where each cross-validation fold starts
  local h = self.spec.harmonise
  if not h then return self end
  return timed(self, "harmonise", function()
    -- fitted on the training set and applied to the test set, unless the
    -- test set is a batch of its own (external validation by centre): that
    -- batch can only be harmonised with its own estimates, so ComBat is then
    -- fitted on all patients (it never sees the outcome)
    local sp = self.spec.split or {}
    self.combat_on_all = sp.by == h.batch
    local all = self.combat_on_all and self.data or self.train
    -- a feature constant within a batch has no batch scale: it cannot be
    -- harmonised and leaves the study (counted in the trace)
    local batch = all:col(h.batch)
    local usable = {}
    for _, f in ipairs(self.candidates) do
      local col, first, varies = all:col(f), {}, {}
      for i, b in ipairs(batch) do
        if first[b] == nil then first[b] = col[i] elseif col[i] ~= first[b] then varies[b] = true end
      end
      local ok = true
      for b in pairs(first) do if not varies[b] then ok = false end end
      if ok then usable[#usable + 1] = f end
    end
    if #usable < #self.candidates then
      self.notes[#self.notes + 1] = string.format("%d features constant within a %s were left out before ComBat",
        #self.candidates - #usable, h.batch)
      self.trace = self.trace or {}
      self.trace[#self.trace + 1] = {step = "harmonisable", kept = #usable, from = #self.candidates - #usable,
        method = "features varying within every " .. h.batch}
      self.candidates = usable
    end
    local fit = rad.combat(all, {features = self.candidates, batch = h.batch, covariates = h.covariates,
      parametric = h.parametric ~= false})
    self.combat = fit
    self.train, self.test = fit:apply(self.train), self.test and fit:apply(self.test)
    say(self, "harmonised %d features by %s (ComBat, %s priors)", #self.candidates, h.batch,
      h.parametric == false and "non-parametric" or "parametric")
    return self
  end) or self
end

-- Selection with a survival outcome, on the training set only.
--- Study:select() -> Study: the selection pipeline on the training set (variance, survival-aware redundancy, univariate Cox with BH, lasso-Cox with CV; optional stability selection); s.selected = {features, coef}, s.trace = features kept after each step
function Study:select()
  if self.selected then return self end
  self:harmonise()
  return timed(self, "select", function()
    local sel = self.spec.selection or {}
    local o = self.spec.outcome
    local select = require "rad.select"
    local steps = {cols = self.candidates}
    if self.survival then steps.time, steps.event = o.time, o.event else steps.y = self.ycol end
    if sel.variance ~= false then steps[#steps + 1] = select.variance{min = 0} end
    if sel.redundancy ~= false then
      steps[#steps + 1] = select.redundancy{threshold = sel.redundancy or 0.9, method = "spearman",
        by = self.survival and "cox_z" or nil}
    end
    if sel.univariate ~= false then
      local u = type(sel.univariate) == "table" and sel.univariate or {}
      if self.survival then
        steps[#steps + 1] = select.univariate{test = "cox_wald", alpha = not u.top and (u.alpha or 0.05) or nil,
          adjust = u.adjust or "BH", top = u.top}
      else
        steps[#steps + 1] = select.univariate{test = u.test or "wilcox", p = not u.top and (u.alpha or 0.05) or nil,
          adjust = u.adjust or "BH", top = u.top}
      end
    end
    local l = sel.lasso or {}
    local function lasso_step()
      local o_ = {alpha = l.alpha or 1, lambda = l.lambda or "1se", folds = l.folds or 10, seed = self.seed}
      return self.survival and select.lasso_cox(o_) or select.lasso_logistic(o_)
    end
    if sel.stability then
      local st = type(sel.stability) == "table" and sel.stability or {}
      steps[#steps + 1] = select.stability{step = lasso_step(), B = st.B or 50, threshold = st.threshold or 0.6,
        sample = st.sample, seed = self.seed}
    end
    steps[#steps + 1] = lasso_step()
    local ok, fitted = pcall(function() return select.pipeline(steps):fit(self.train) end)
    if not ok then fail("selection: %s", tostring(fitted):gsub("^.-:%d+: ", "")) end
    self.pipeline = fitted
    self.trace = self.trace or {}
    for _, tr in ipairs(fitted.trace) do
      self.trace[#self.trace + 1] = {step = tr.step, kept = tr.kept, method = tr.method}
    end
    local last = fitted.selection[#fitted.selection]
    local coefs = last.coefficients
    local kept, coef = {}, {}
    for i = 1, coefs:nrow() do kept[i], coef[i] = coefs:get(i, "feature"), coefs:get(i, "coef") end
    self.lasso = {cv = last.cv, lambda = last.lambda, rule = l.lambda or "1se"}
    self.selected = {features = kept, coef = coef}
    local t = rad.table.new{{"feature", kept}, {"coef", coef}}
    -- with stability selection, each kept feature's selection frequency
    for _, f in ipairs(fitted.selection) do
      if f.frequency then
        local freq = {}
        for i = 1, f.frequency:nrow() do freq[f.frequency:get(i, "feature")] = f.frequency:get(i, "frequency") end
        local col = {}
        for i, name in ipairs(kept) do col[i] = freq[name] or NA end
        t:add("frequency", col)
        self.selected.frequency = col
      end
    end
    if self.fold then return self end -- a cross-validation fold writes nothing
    self.selected_table = t
    t:write_csv(self.dir .. "/selected.csv")
    local parts = {tostring(#self.feature_names) .. " features"}
    for _, tr in ipairs(self.trace) do parts[#parts + 1] = tr.step .. " " .. tr.kept end
    say(self, "selection: %s", table.concat(parts, " -> "))
    return self
  end) or self
end

-- ---- models ---------------------------------------------------------------------------------

-- The radiomics score of every row: the lasso linear predictor, the sum of
-- coefficient x feature over the selected features (original units).
local function add_score(s, t)
  local sc = {}
  local cols = {}
  for j, f in ipairs(s.selected.features) do cols[j] = t:col(f) end
  for i = 1, t:nrow() do
    local v = 0
    for j, c in ipairs(cols) do v = v + s.selected.coef[j] * c[i] end
    sc[i] = v
  end
  local u = t:copy()
  u:add("rad_score", sc)
  return u
end

-- The radiomics model of a cross-validation fold whose selection kept no
-- feature: the score is 0 for every patient (an intercept-only model), so
-- its C and AUC are 1/2; its predicted survival is the training set's
-- Kaplan-Meier estimate, its probability the training prevalence.
local function null_model(s, train)
  local m = {x = {}, null = true}
  local n = train:nrow()
  if s.survival then
    local o = s.spec.outcome
    local time, ev = train:col(o.time), train:col(o.event)
    local idx = {}
    for i = 1, n do idx[i] = i end
    table.sort(idx, function(a, b) return time[a] < time[b] end)
    m.km = function(at)
      local surv, atrisk, k = 1, n, 1
      while k <= n and time[idx[k]] <= at do
        local t0, d, c = time[idx[k]], 0, 0
        while k <= n and time[idx[k]] == t0 do
          if ev[idx[k]] == 1 then d = d + 1 else c = c + 1 end
          k = k + 1
        end
        if d > 0 then surv = surv * (1 - d / atrisk) end
        atrisk = atrisk - d - c
      end
      return surv
    end
  else
    local y, pos = train:col(s.ycol), 0
    for i = 1, n do pos = pos + y[i] end
    m.p = pos / n
  end
  function m:predict(t, opts)
    local out, nr = {}, t:nrow()
    for i = 1, nr do
      if opts.type == "survival" then
        local row = {}
        for j, at in ipairs(opts.times) do row[j] = self.km(at) end
        out[i] = row
      elseif opts.type == "response" then out[i] = self.p
      elseif opts.type == "link" then out[i] = math.log(self.p / (1 - self.p))
      else out[i] = 0 end
    end
    return out
  end
  return m
end

--- Study:fit() -> Study: the clinical model, the radiomics score (lasso linear predictor) as a model, and the combined model (clinical + score), all on the training set (s.models): Cox models for survival, logistic models for a binary outcome
function Study:fit()
  if self.models then return self end
  self:select()
  return timed(self, "fit", function()
    local o = self.spec.outcome
    self.train, self.test = add_score(self, self.train), self.test and add_score(self, self.test)
    local clin = self.spec.clinical or {}
    local opts = function(x)
      local ref
      for _, c in ipairs(x) do
        if self.spec.ref and self.spec.ref[c] ~= nil then ref = ref or {}; ref[c] = self.spec.ref[c] end
      end
      if self.survival then return {time = o.time, event = o.event, x = x, ref = ref} end
      return {y = self.ycol, x = x, ref = ref}
    end
    self.model_opts = opts
    local fitter = self.survival and rad.cox or rad.logistic
    self.fitter = fitter
    local m = {}
    m.order = {}
    if #clin > 0 then m.clinical = fitter(self.train, opts(clin)); m.order[#m.order + 1] = "clinical" end
    -- (a cross-validation fold whose selection kept no feature: a null
    -- radiomics model, and the combined model is the clinical one)
    local empty = #self.selected.features == 0
    m.radiomics = empty and null_model(self, self.train) or fitter(self.train, opts{"rad_score"})
    m.order[#m.order + 1] = "radiomics"
    if #clin > 0 and empty then
      m.combined = m.clinical; m.order[#m.order + 1] = "combined"
    elseif #clin > 0 then
      local x = {}
      for _, c in ipairs(clin) do x[#x + 1] = c end
      x[#x + 1] = "rad_score"
      m.combined = fitter(self.train, opts(x)); m.order[#m.order + 1] = "combined"
    end
    m.x = {}
    for _, name in ipairs(m.order) do m.x[name] = m[name].x end
    self.models = m
    return self
  end) or self
end

-- ---- validation -----------------------------------------------------------------------------

local Z = 1.959963984540054 -- the 97.5 % normal quantile

-- Rows of the long metrics table and the function that adds one.
local function metric_rows()
  local rows = {model = {}, split = {}, metric = {}, estimate = {}, lower = {}, upper = {}, p = {}}
  local function put(model, split, metric, est, lo, hi, p)
    local k = #rows.model + 1
    rows.model[k], rows.split[k], rows.metric[k] = model, split, metric
    rows.estimate[k], rows.lower[k], rows.upper[k], rows.p[k] = est, lo or NA, hi or NA, p or NA
  end
  return rows, put
end

local function metrics_table(rows, first)
  local cols = {}
  for _, c in ipairs(first or {}) do cols[#cols + 1] = c end
  for _, c in ipairs{"model", "split", "metric", "estimate", "lower", "upper", "p"} do cols[#cols + 1] = {c, rows[c]} end
  return rad.table.new(cols)
end

-- Each model's predicted survival at `at` for the rows of t.
local function surv_at(fit, t, at)
  local sv = fit:predict(t, {type = "survival", times = {at}})
  local out = {}
  for i = 1, #sv do out[i] = sv[i][1] end
  return out
end

-- Risk-group cut-off of each model: the median of its linear predictor on the training rows.
local function cutoffs_of(m, train)
  local cut = {}
  for _, name in ipairs(m.order) do
    cut[name] = validate.risk_groups(m[name]:predict(train, {type = "lp"}), {method = "median"})
  end
  return cut
end

-- fn() under pcall; a failure is a note (what, on which split, why), not the end of the study.
local function try(s, what, split, fn)
  local ok, err = pcall(fn)
  if not ok then s.notes[#s.notes + 1] = string.format("%s on %s: %s", what, split, tostring(err):gsub("^.-:%d+: ", "")) end
end

-- The survival metrics of the models m on the rows of t (named split) through put;
-- returns each model's linear predictor.  The risk groups use the cut-offs of the
-- training set.  A fold (of cross-validation) skips the log-rank test: its groups are
-- tested once, pooled over the folds.
local function survival_metrics(s, m, cutoffs, split, t, put, fold)
  local o = s.spec.outcome
  local v = s.spec.validation or {}
  local times = v.times or {}
  local at = v.at or times[1]
  local scores = {}
  for _, name in ipairs(m.order) do
    local lp = m[name]:predict(t, {type = "lp"})
    scores[name] = lp
    try(s, "C of " .. name, split, function()
      local c = rad.concordance(t, {time = o.time, event = o.event, score = lp})
      put(name, split, "harrell_c", c.harrell, c.harrell - Z * c.harrell_se, c.harrell + Z * c.harrell_se)
      put(name, split, "uno_c", c.uno, c.uno - Z * c.uno_se, c.uno + Z * c.uno_se)
    end)
    if #times > 0 then
      try(s, "time-dependent AUC of " .. name, split, function()
        local a = rad.td_auc(t, {time = o.time, event = o.event, score = lp, times = times})
        for j, tt in ipairs(times) do
          local se = a.se and a.se[j]
          put(name, split, string.format("td_auc_%g", tt), a.auc[j], se and a.auc[j] - Z * se or NA,
            se and a.auc[j] + Z * se or NA)
        end
      end)
    end
    if at then
      try(s, "calibration slope of " .. name, split, function()
        local cs = validate.calibration_slope(t, {time = o.time, event = o.event, lp = lp, at = at})
        put(name, split, "calibration_slope", cs.slope, cs.lower, cs.upper, cs.p_slope1)
      end)
    end
    if not fold then
      local tg = t:select{o.time, o.event}
      tg:add("risk_group", validate.assign(lp, cutoffs[name]))
      try(s, "log-rank test of the risk groups of " .. name, split, function()
        local lr = rad.logrank(tg, {time = o.time, event = o.event, group = "risk_group"})
        put(name, split, "logrank_risk_groups", lr.chisq, NA, NA, lr.p)
      end)
    end
  end
  -- each model against the clinical one, on the same patients
  if m.clinical then
    for _, name in ipairs(m.order) do
      if name ~= "clinical" then
        try(s, "delta C of " .. name, split, function()
          local d = rad.compare_c{time = t:col(o.time), event = t:col(o.event), a = scores.clinical, b = scores[name]}
          put(name, split, "delta_c", d.delta, d.lower, d.upper, d.p)
        end)
      end
    end
  end
  return scores
end

local function expit(x) return 1 / (1 + math.exp(-x)) end

-- Calibration in the large: the intercept a of logit P(y) = a + lp (slope
-- fixed at 1), by Newton's method; its SE from the information.
local function calibration_intercept(y, lp)
  local a = 0
  for _ = 1, 50 do
    local g, h = 0, 0
    for i = 1, #y do
      local p = expit(a + lp[i])
      g, h = g + (y[i] - p), h + p * (1 - p)
    end
    local step = g / h
    a = a + step
    if math.abs(step) < 1e-12 then return a, 1 / math.sqrt(h) end
  end
  return a, NA
end

-- The binary-outcome metrics of the models m on the rows of t (named split) through
-- put; returns each model's linear predictor, ROC and predicted probability.
local function binary_metrics(s, m, split, t, put)
  local y = t:col(s.ycol)
  local scores, rocs, probs = {}, {}, {}
  for _, name in ipairs(m.order) do
    local lp = m[name]:predict(t, {type = "link"})
    local prob = m[name]:predict(t, {type = "response"})
    scores[name], probs[name] = lp, prob
    try(s, "AUC of " .. name, split, function()
      local r = rad.roc(y, lp)
      rocs[name] = r
      put(name, split, "auc", r.auc, r.auc - Z * r.se, r.auc + Z * r.se)
    end)
    -- calibration: slope of logit P(y) on the linear predictor, intercept with the slope fixed at 1
    try(s, "calibration slope of " .. name, split, function()
      local cal = rad.logistic(rad.table.new{{"y", y}, {"lp", lp}}, {y = "y", x = {"lp"}})
      local b, se = cal.coef.lp, cal.se.lp
      put(name, split, "calibration_slope", b, b - Z * se, b + Z * se, 2 * rad.stats.pnorm(math.abs((b - 1) / se), true))
    end)
    local a, ase = calibration_intercept(y, lp)
    if not isna(ase) then
      put(name, split, "calibration_intercept", a, a - Z * ase, a + Z * ase, 2 * rad.stats.pnorm(math.abs(a / ase), true))
    end
    local brier = 0
    for i = 1, #y do brier = brier + (y[i] - prob[i]) ^ 2 end
    put(name, split, "brier", brier / #y)
  end
  if m.clinical and rocs.clinical then
    for _, name in ipairs(m.order) do
      if name ~= "clinical" and rocs[name] then
        try(s, "delta AUC of " .. name, split, function()
          local d = rad.roc_test(rocs[name], rocs.clinical)
          put(name, split, "delta_auc", d.diff, d.diff - Z * d.se, d.diff + Z * d.se, d.p)
        end)
      end
    end
  end
  return scores, rocs, probs
end

-- Bootstrap optimism of the training C or AUC (Harrell): refit on each resample;
-- the optimism is the resample's apparent value minus that fit's value on the
-- training set.
local function optimism(s, put)
  local v = s.spec.validation or {}
  local B = v.boot == nil and 200 or v.boot
  if not (B and B > 0) then return end
  local m = s.models
  if s.survival then
    local o = s.spec.outcome
    for _, name in ipairs(m.order) do
      local x = m[name].x
      local ok, bo = pcall(validate.bootstrap_optimism, s.train, {time = o.time, event = o.event, B = B,
        seed = s.seed, slope = false,
        fit = function(d) return rad.cox(d, s.model_opts(x)) end,
        score = function(fit, d) return fit:predict(d, {type = "lp"}) end})
      if ok then put(name, "train", "harrell_c_corrected", bo.corrected, NA, NA, NA)
      else s.notes[#s.notes + 1] = "bootstrap optimism of " .. name .. ": " .. tostring(bo) end
    end
    return
  end
  local rng = require("rad.rng").new(s.seed)
  local n = s.train:nrow()
  local yo = s.train:col(s.ycol)
  for _, name in ipairs(m.order) do
    local x = m[name].x
    local sum, used = 0, 0
    for _ = 1, B do
      local idx = {}
      for i = 1, n do idx[i] = rng:int(n) end
      local bt = s.train:rows(idx)
      local ok, f = pcall(rad.logistic, bt, s.model_opts(x))
      if ok then
        local okb, rb = pcall(rad.roc, bt:col(s.ycol), f:predict(bt, {type = "link"}))
        local oko, ro = pcall(rad.roc, yo, f:predict(s.train, {type = "link"}))
        if okb and oko then sum, used = sum + (rb.auc - ro.auc), used + 1 end
      end
    end
    local r = s.rocs.train[name]
    if used > 0 and r then put(name, "train", "auc_corrected", r.auc - sum / used) end
    if used < B then
      s.notes[#s.notes + 1] = string.format("bootstrap optimism of %s: %d of %d resamples could not be fitted", name, B - used, B)
    end
  end
end

-- A study of one cross-validation fold: the parent's data, settings and robust
-- features; the fold's training and held-out patients.  It writes nothing.
local function fold_study(s, f)
  local c = setmetatable({spec = setmetatable({quiet = true}, {__index = s.spec}), timing = {}, notes = {},
    excluded = {}, seed = s.seed, survival = s.survival, ycol = s.ycol, id = s.id, dir = s.dir, fold = true,
    cohort = s.cohort, data = s.data, features = s.features, feature_names = s.feature_names,
    feature_sets = s.feature_sets, robust_done = true, candidates = s.robust_candidates,
    train = f.train, test = f.test, split_name = "fold"}, Study)
  return c
end

-- Type-7 quantile of sorted values.
local function quantile(sorted, p)
  local h = (#sorted - 1) * p + 1
  local lo = math.floor(h)
  if lo >= #sorted then return sorted[#sorted] end
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo])
end

-- Repeated k-fold cross-validation: in each fold, harmonisation, selection and
-- the models are fitted again on the fold's training patients alone and
-- measured on its held-out patients.  The fold values go to cv_folds.csv;
-- metrics.csv gets, on split "cv", their mean with the 2.5 and 97.5
-- percentiles of the fold values (their spread, not a confidence interval).
-- The held-out predictions of the first repeat (each patient predicted by
-- the models fitted without them) give the figures and the log-rank test of
-- the cross-validated risk groups.
local function cross_validate(s, put)
  local o = s.spec.outcome
  local v = s.spec.validation or {}
  local at = v.at or (v.times or {})[1]
  local fr = {rep = {}, fold = {}}
  local rows, fput0 = metric_rows()
  local freq, nfold = {}, #s.folds
  local oof = {group = {}, surv = {}, prob = {}}
  for _, name in ipairs(s.models.order) do oof.group[name], oof.surv[name], oof.prob[name] = {}, {}, {} end
  local first_note, empty = {}, 0
  for _, f in ipairs(s.folds) do
    local c = fold_study(s, f)
    local ok, err = pcall(function()
      c:harmonise()
      local oks, e = pcall(c.select, c)
      if not oks then
        if not tostring(e):find("kept no feature", 1, true) then error(e, 0) end
        c.selected, empty = {features = {}, coef = {}}, empty + 1
      end
      c:fit()
    end)
    if not ok then
      fail("cross-validation, repeat %d fold %d (%d training patients): %s", f.rep, f.fold, #f.rows,
        (tostring(err):gsub("^rad%.study: ", "")))
    end
    for _, name in ipairs(c.selected.features) do freq[name] = (freq[name] or 0) + 1 end
    local function fput(...)
      fr.rep[#fr.rep + 1], fr.fold[#fr.fold + 1] = f.rep, f.fold
      fput0(...)
    end
    if s.survival then
      local cut = cutoffs_of(c.models, c.train)
      local sc = survival_metrics(c, c.models, cut, "fold", c.test, fput, true)
      if f.rep == 1 then
        for _, name in ipairs(c.models.order) do
          local g = validate.assign(sc[name], cut[name])
          local sv = at and surv_at(c.models[name], c.test, at)
          for i, r in ipairs(f.test_rows) do
            oof.group[name][r] = g[i]
            if sv then oof.surv[name][r] = sv[i] end
          end
        end
      end
    else
      local _, _, probs = binary_metrics(c, c.models, "fold", c.test, fput)
      if f.rep == 1 then
        for name, p in pairs(probs) do
          for i, r in ipairs(f.test_rows) do oof.prob[name][r] = p[i] end
        end
      end
    end
    for _, note in ipairs(c.notes) do
      local what = note:match("^(.-) on fold: ")
      if what and not first_note[what] then first_note[what] = note end
    end
  end
  -- the folds' values, and their mean and spread per model and metric
  local ft = metrics_table(rows, {{"repeat", fr.rep}, {"fold", fr.fold}})
  ft:drop("split")
  s.cv_folds = ft
  local groups, keys = {}, {}
  for k = 1, #rows.model do
    local key = rows.model[k] .. "\0" .. rows.metric[k]
    if not groups[key] then groups[key] = {model = rows.model[k], metric = rows.metric[k], vals = {}}; keys[#keys + 1] = key end
    local e = rows.estimate[k]
    if not isna(e) and e > -math.huge and e < math.huge then table.insert(groups[key].vals, e) end
  end
  for _, key in ipairs(keys) do
    local g = groups[key]
    table.sort(g.vals)
    if #g.vals > 0 then
      local sum = 0
      for _, x in ipairs(g.vals) do sum = sum + x end
      put(g.model, "cv", g.metric, sum / #g.vals, quantile(g.vals, 0.025), quantile(g.vals, 0.975), NA)
    end
    if #g.vals < nfold then
      s.notes[#s.notes + 1] = string.format("cross-validation: %s of %s estimated in %d of %d folds", g.metric, g.model,
        #g.vals, nfold)
    end
  end
  if empty > 0 then
    s.notes[#s.notes + 1] = string.format("cross-validation: the selection kept no feature in %d of %d folds; there " ..
      "the radiomics score is 0 for every patient (C and AUC 1/2) and the combined model is the clinical one", empty, nfold)
  end
  for what, note in pairs(first_note) do
    s.notes[#s.notes + 1] = "cross-validation, " .. what .. " (first failure): " .. note:gsub("^.- on fold: ", "")
  end
  table.sort(s.notes)
  -- the cross-validated risk groups (first repeat), pooled over the folds
  if s.survival then
    for _, name in ipairs(s.models.order) do
      local tg = s.data:select{o.time, o.event}
      tg:add("risk_group", oof.group[name])
      try(s, "log-rank test of the cross-validated risk groups of " .. name, "cv", function()
        local lr = rad.logrank(tg, {time = o.time, event = o.event, group = "risk_group"})
        put(name, "cv", "logrank_risk_groups", lr.chisq, NA, NA, lr.p)
      end)
    end
  else
    local y = s.data:col(s.ycol)
    s.rocs.cv, s.probs.cv = {}, oof.prob
    for _, name in ipairs(s.models.order) do s.rocs.cv[name] = rad.roc(y, oof.prob[name]) end
  end
  s.oof = oof
  -- how often each feature was selected over the folds
  local names = {}
  for name in pairs(freq) do names[#names + 1] = name end
  table.sort(names, function(a, b) if freq[a] ~= freq[b] then return freq[a] > freq[b] end return a < b end)
  local count, share = {}, {}
  for i, name in ipairs(names) do count[i], share[i] = freq[name], freq[name] / nfold end
  s.cv_selection = rad.table.new{{"feature", names}, {"folds", count}, {"frequency", share}}
  local col = {}
  for i, name in ipairs(s.selected.features) do col[i] = (freq[name] or 0) / nfold end
  s.selected.cv_frequency = col
  s.selected_table:add("cv_frequency", col)
end

--- Study:validate() -> Study: for every model on the training set and the test set (or, with split.cv, in every cross-validation fold): Harrell's and Uno's C with 95 % CI, time-dependent AUC at the validation times, calibration slope at `at`, the difference in C from the clinical model (paired U-statistic method) and the risk groups' log-rank test (training cut-off); on the training set also the bootstrap optimism-corrected C and the likelihood-ratio test of clinical vs combined; binary outcomes: AUC (DeLong), delta AUC, calibration slope and intercept, Brier score; s.metrics (long Table: model, split, metric, estimate, lower, upper, p)
function Study:validate()
  if self.metrics then return self end
  self:fit()
  return timed(self, "validate", function()
    local m = self.models
    local rows, put = metric_rows()
    self.scores = {}
    if self.survival then
      self.cutoffs = cutoffs_of(m, self.train)
      self.scores.train = survival_metrics(self, m, self.cutoffs, "train", self.train, put)
      if self.test then
        self.scores[self.split_name] = survival_metrics(self, m, self.cutoffs, self.split_name, self.test, put)
      end
      -- training only: nested models
      if m.clinical and m.combined then
        local lrt = rad.cox_lrt(m.clinical, m.combined)
        put("combined", "train", "lrt_vs_clinical", lrt.chisq, NA, NA, lrt.p)
      end
    else
      self.rocs, self.probs = {}, {}
      for _, sp in ipairs{{"train", self.train}, {self.split_name, self.test}} do
        if sp[2] then self.scores[sp[1]], self.rocs[sp[1]], self.probs[sp[1]] = binary_metrics(self, m, sp[1], sp[2], put) end
      end
    end
    optimism(self, put)
    if self.folds then
      cross_validate(self, put)
      self.cv_folds:write_csv(self.dir .. "/cv_folds.csv")
      self.cv_selection:write_csv(self.dir .. "/cv_selection.csv")
      self.selected_table:write_csv(self.dir .. "/selected.csv")
    end
    self.metrics = metrics_table(rows)
    self.metrics:write_csv(self.dir .. "/metrics.csv")
    return self
  end) or self
end

--- Study:metric(model, split, metric) -> {estimate, lower, upper, p} or nil: one row of s.metrics, e.g. s:metric("combined", "test", "delta_c")
function Study:metric(model, split, metric)
  local t = self.metrics
  if not t then return nil end
  local mo, sp, me = t:col("model"), t:col("split"), t:col("metric")
  for i = 1, #mo do
    if mo[i] == model and sp[i] == split and me[i] == metric then
      return {estimate = t:get(i, "estimate"), lower = t:get(i, "lower"), upper = t:get(i, "upper"), p = t:get(i, "p")}
    end
  end
end

-- ---- binary outcomes: curves --------------------------------------------------------------

-- Net benefit of treating when the predicted risk >= threshold (Vickers &
-- Elkin 2006): TP/n - FP/n * pt / (1 - pt); treat all and treat none.
local function decision_curve(y, prob)
  local n, prev = #y, 0
  for i = 1, n do prev = prev + y[i] end
  prev = prev / n
  local th, nb, all, none = {}, {}, {}, {}
  for k = 1, 99 do
    local pt = k / 100
    local tp, fp = 0, 0
    for i = 1, n do
      if prob[i] >= pt then if y[i] == 1 then tp = tp + 1 else fp = fp + 1 end end
    end
    local w = pt / (1 - pt)
    th[k], nb[k], all[k], none[k] = pt, tp / n - fp / n * w, prev - (1 - prev) * w, 0
  end
  return {threshold = th, net_benefit = nb, treat_all = all, treat_none = none}
end

-- Calibration curve: patients in `groups` groups of predicted risk (equal
-- counts), mean predicted against observed proportion with a Wilson 95 % CI.
local function calibration_groups(y, prob, groups)
  local idx = {}
  for i = 1, #y do idx[i] = i end
  table.sort(idx, function(a, b) if prob[a] ~= prob[b] then return prob[a] < prob[b] end return a < b end)
  local pred, obs, lo, hi = {}, {}, {}, {}
  local n = #idx
  for g = 1, groups do
    local from, to = math.floor((g - 1) * n / groups) + 1, math.floor(g * n / groups)
    if to >= from then
      local sp, sy, m = 0, 0, to - from + 1
      for k = from, to do sp = sp + prob[idx[k]]; sy = sy + y[idx[k]] end
      local ph = sy / m
      local z2 = 1.959963984540054 ^ 2
      local centre = (ph + z2 / (2 * m)) / (1 + z2 / m)
      local half = 1.959963984540054 * math.sqrt(ph * (1 - ph) / m + z2 / (4 * m * m)) / (1 + z2 / m)
      pred[#pred + 1], obs[#obs + 1], lo[#lo + 1], hi[#hi + 1] = sp / m, ph, centre - half, centre + half
    end
  end
  return {predicted = pred, observed = obs, lower = lo, upper = hi}
end
study._decision_curve, study._calibration_intercept, study._calibration_groups = decision_curve, calibration_intercept, calibration_groups
study._null_model = null_model

-- ---- the report -----------------------------------------------------------------------------

local function save(s, fig, name)
  local path = s.dir .. "/" .. name
  fig:save(path .. ".png", {dpi = 150, reproducible = true, source = "rad.study " .. s.spec.name})
  fig:save(path .. ".pdf", {reproducible = true, source = "rad.study " .. s.spec.name})
  s.figures[#s.figures + 1] = name .. ".png"
  return fig
end


-- A report page of the figures named in list (those that were drawn), two
-- columns on a portrait page tall enough for a forest plot's every row.
local function draw_page(s, figs, list, title, name, height)
  local f = {}
  for _, k in ipairs(list) do if figs[k] then f[#f + 1] = figs[k] end end
  if #f == 0 then return end
  s.pages = s.pages or {}
  s.page_order = s.page_order or {}
  s.pages[name] = save(s, rad.plot.page{figures = f, columns = 2, title = title, width = 180, height = height or 250}, name)
  s.page_order[#s.page_order + 1] = name
  s.page_specs = s.page_specs or {}
  s.page_specs[name] = {figures = f, title = title, height = height or 250}
end

-- The patients of the validation split: the test set, or with
-- cross-validation every patient, each predicted by the models of the fold
-- that held them out (first repeat).
local function validation_rows(s)
  return s.folds and s.data or s.test
end

-- The spread of a metric over the cross-validation folds, one step curve
-- (the fraction of folds at or below each value) per model.
local function fold_figure(s, metric, label)
  local series = {}
  for _, name in ipairs(s.models.order) do
    local vals = {}
    local ft = s.cv_folds
    local mo, me, est = ft:col("model"), ft:col("metric"), ft:col("estimate")
    for i = 1, #mo do
      if mo[i] == name and me[i] == metric and not isna(est[i]) then vals[#vals + 1] = est[i] end
    end
    table.sort(vals)
    if #vals > 0 then
      local x, y = {vals[1]}, {0}
      for i, v in ipairs(vals) do x[#x + 1], y[#y + 1] = v, i / #vals end
      series[#series + 1] = {x = x, y = y, kind = "step", label = name}
    end
  end
  if #series == 0 then return nil end
  return rad.plot.lines(series, {xlabel = label .. " in the held-out fold", ylabel = "Fraction of folds",
    ylim = {0, 1}, legend = "bottomright",
    title = string.format("%s over %d folds (%s)", label, #s.folds, s.cv.repeats > 1 and
      string.format("%d x %d-fold", s.cv.repeats, s.cv.k) or string.format("%d-fold", s.cv.k))})
end

-- The figures of a binary-outcome study.
local function draw_binary_figures(s)
  local v = s.spec.validation or {}
  local m = s.models
  local main = m.combined and "combined" or "radiomics"
  local figs = {}
  local vname = s.split_name
  for _, sp in ipairs{"train", vname} do
    local list, labels = {}, {}
    for _, name in ipairs(m.order) do
      if s.rocs[sp][name] then list[#list + 1] = s.rocs[sp][name]; labels[#labels + 1] = name end
    end
    local what = sp == "cv" and "cross-validated (held-out predictions)" or sp
    if #list > 0 then
      figs["roc_" .. sp] = save(s, rad.plot.roc(list, {labels = labels}):title("ROC, " .. what), "roc_" .. sp)
    end
  end
  local y = validation_rows(s):col(s.ycol)
  local cal = calibration_groups(y, s.probs[vname][main], v.groups or 5)
  if not s.folds then
    local slope = s:metric(main, vname, "calibration_slope")
    local icpt = s:metric(main, vname, "calibration_intercept")
    cal.slope, cal.intercept = slope and slope.estimate, icpt and icpt.estimate
  end
  figs.calibration = save(s, rad.plot.calibration(cal, {xlabel = "Predicted probability of " .. s.spec.outcome.binary,
    ylabel = "Observed proportion"}):title("Calibration, " .. main .. " model, " .. vname), "calibration")
  local curves, labels = {}, {}
  for _, name in ipairs(m.order) do
    curves[#curves + 1] = decision_curve(y, s.probs[vname][name])
    labels[#labels + 1] = name
  end
  figs.dca = save(s, rad.plot.dca(curves, {labels = labels}):title("Decision curves, " .. vname), "dca")
  figs.forest = save(s, rad.plot.forest(m[main]):title("Odds ratios, " .. main .. " model (training set)"), "forest")
  figs.lasso = save(s, rad.plot.lasso(s.lasso.cv.fit, s.lasso.cv):title("Lasso-logistic path and CV"), "lasso")
  local okn, nomo = pcall(rad.plot.nomogram, m[main], {data = s.train})
  if okn then figs.nomogram = save(s, nomo, "nomogram")
  else s.notes[#s.notes + 1] = "nomogram: " .. tostring(nomo) end
  if s.folds then
    local ff = fold_figure(s, "auc", "AUC")
    if ff then figs.cv_folds = save(s, ff, "cv_folds") end
  end
  return figs
end

local function draw_figures(s)
  local vname = s.split_name
  if not s.survival then
    local figs = draw_binary_figures(s)
    draw_page(s, figs, {"roc_" .. vname, "calibration", "forest", "dca"}, s.spec.name .. ": summary", "summary")
    draw_page(s, figs, {"roc_train", "lasso", "nomogram", "cv_folds"}, s.spec.name .. ": models", "report_2")
    return
  end
  local o = s.spec.outcome
  local v = s.spec.validation or {}
  local times = v.times or {}
  local at = v.at or times[1]
  local m = s.models
  local main = m.combined and "combined" or "radiomics"
  local fit = m[main]
  local vt = validation_rows(s)
  -- the validation patients' risk group and predicted survival at `at` for each model:
  -- from the final models on a test set, from the held-out predictions with cross-validation
  local group, surv = {}, {}
  for _, name in ipairs(m.order) do
    if s.folds then
      group[name], surv[name] = s.oof.group[name], at and s.oof.surv[name]
    else
      group[name] = validate.assign(m[name]:predict(vt, {type = "lp"}), s.cutoffs[name])
      surv[name] = at and surv_at(m[name], vt, at)
    end
  end
  local figs = {}
  -- Kaplan-Meier by risk group, training cut-off applied to both sets
  local function km(name, t, g, what)
    local tk = t:select{o.time, o.event}
    tk:add("risk", g)
    figs["km_" .. name] = save(s, rad.plot.km(tk, {time = o.time, event = o.event, group = "risk",
      risk_table = true, pvalue = true}):title(string.format("%s risk groups, %s (n = %d)", main, what, tk:nrow())),
      "km_" .. name)
  end
  km("train", s.train, validate.assign(fit:predict(s.train, {type = "lp"}), s.cutoffs[main]), "train")
  km(vname, vt, group[main], s.folds and "cross-validated" or vname)
  -- with cross-validation the held-out linear predictors of different folds are not on
  -- one scale: the ROC ranks the predicted risk at `at` instead
  local score
  if not s.folds then score = s.scores[vname][main]
  elseif at then
    score = {}
    for i, x in ipairs(surv[main]) do score[i] = 1 - x end
  end
  if #times > 0 and score then
    figs.td_roc = save(s, rad.plot.td_roc(vt, {time = o.time, event = o.event, score = score,
      at = times, unit = o.unit or "months", boot = 0}):title("Time-dependent ROC, " .. main .. " model, " .. vname),
      "td_roc")
  end
  if at then
    local ok, cal = pcall(validate.calibration, vt:select{o.time, o.event},
      {time = o.time, event = o.event, prob = surv[main], at = at, groups = v.groups or 4})
    if ok then
      figs.calibration = save(s, rad.plot.calibration(cal):title(string.format("Calibration at %g %s, %s", at,
        o.unit or "", vname)), "calibration")
    else s.notes[#s.notes + 1] = "calibration plot: " .. tostring(cal) end
    local curves, labels = {}, {}
    for _, name in ipairs(m.order) do
      local risk = {}
      for i, x in ipairs(surv[name]) do risk[i] = 1 - x end
      local okd, d = pcall(validate.dca, vt:select{o.time, o.event}, {time = o.time, event = o.event, risk = risk, at = at})
      if okd then curves[#curves + 1] = d; labels[#labels + 1] = name end
    end
    if #curves > 0 then
      figs.dca = save(s, rad.plot.dca(curves, {labels = labels}):title(string.format("Decision curves at %g %s, %s",
        at, o.unit or "", vname)), "dca")
    end
    local okn, nomo = pcall(rad.plot.nomogram, fit, {at = at, data = s.train})
    if okn then figs.nomogram = save(s, nomo, "nomogram")
    else s.notes[#s.notes + 1] = "nomogram: " .. tostring(nomo) end
  end
  figs.forest = save(s, rad.plot.forest(fit):title("Hazard ratios, " .. main .. " model (training set)"), "forest")
  figs.lasso = save(s, rad.plot.lasso(s.lasso.cv.fit, s.lasso.cv):title(string.format("Lasso-Cox path and %d-fold CV",
    ((s.spec.selection or {}).lasso or {}).folds or 10)), "lasso")
  if s.folds then
    local ff = fold_figure(s, "harrell_c", "Harrell's C")
    if ff then figs.cv_folds = save(s, ff, "cv_folds") end
  end
  -- an example case: the first training patient's tumour
  local okc, ex = pcall(function()
    local r = s.train:row(1)
    local img, mask = rad.read(r.image), rad.read_mask(r.mask)
    return rad.plot.montage(img, mask, {count = 6, columns = 3, window = {40, 400}})
  end)
  if okc then figs.slices = save(s, ex:title("Example: " .. tostring(s.train:get(1, s.id))), "example_slices") end
  -- pages: a one-page summary and a second page
  draw_page(s, figs, {"km_" .. vname, "td_roc", "calibration", "forest"}, s.spec.name .. ": summary", "summary")
  draw_page(s, figs, {"km_train", "dca", "lasso", "nomogram"}, s.spec.name .. ": models", "report_2")
  if figs.cv_folds then draw_page(s, figs, {"cv_folds", "slices"}, s.spec.name .. ": cross-validation", "report_3", 125) end
end

-- The report document: pages of text (design, every metric, the selected
-- features, the cohort table, the methods paragraph, notes, time per step)
-- followed by the figure pages, as one PDF (report.pdf).
local function report_document(s)
  local o = s.spec.outcome
  local blocks = {}
  local function add(b) blocks[#blocks + 1] = b end
  local function cell(x, d)
    if isna(x) then return "" end
    if type(x) == "number" then return fmt(x, d) end
    return tostring(x)
  end
  add{text = string.format("radlab %s; settings digest %s; seed %d. %d patients analysed%s; %s. Outcome: %s.",
    rad.version, s.settings_digest:sub(1, 12), s.seed, s.data:nrow(),
    #s.excluded > 0 and string.format(" (%d left out: extraction failed)", #s.excluded) or "", s.split_text,
    s.survival and string.format("%s (time, %s) with event %s", o.time, o.unit or "unit not given", o.event) or
      string.format("%s (binary)", o.binary))}
  -- the headline: discrimination of each model on each set
  local cm, dm = s.survival and "harrell_c" or "auc", s.survival and "delta_c" or "delta_auc"
  local rows = {}
  for _, sp in ipairs{"train", s.split_name} do
    for _, name in ipairs(s.models.order) do
      local c, d = s:metric(name, sp, cm) or {}, s:metric(name, sp, dm)
      rows[#rows + 1] = {name, sp, cell(c.estimate), c.estimate and (cell(c.lower) .. " to " .. cell(c.upper)) or "",
        d and string.format("%+.3f", d.estimate) or "", d and (cell(d.lower) .. " to " .. cell(d.upper)) or "",
        d and not isna(d.p) and pfmt(d.p) or ""}
    end
  end
  add{heading = "Discrimination"}
  add{table = {header = {"model", "set", s.survival and "Harrell's C" or "AUC", "95 % CI",
    s.survival and "delta C vs clinical" or "delta AUC vs clinical", "95 % CI", "p"}, rows = rows,
    align = {"l", "l", "r", "r", "r", "r", "r"}}}
  if s.folds then
    add{text = string.format("On %s: the mean over the %d folds; the intervals are the 2.5th to 97.5th percentiles " ..
      "of the fold values (their spread, not confidence intervals), and there is no p-value.", s.split_name, #s.folds)}
  end
  -- every metric
  local mt = s.metrics
  rows = {}
  for i = 1, mt:nrow() do
    rows[i] = {mt:get(i, "model"), mt:get(i, "split"), mt:get(i, "metric"), cell(mt:get(i, "estimate")),
      cell(mt:get(i, "lower")), cell(mt:get(i, "upper")), isna(mt:get(i, "p")) and "" or pfmt(mt:get(i, "p"))}
  end
  add{heading = "All metrics (metrics.csv)"}
  add{table = {header = {"model", "set", "metric", "estimate", "lower", "upper", "p"}, rows = rows,
    align = {"l", "l", "l", "r", "r", "r", "r"}}}
  -- the selected features
  local sel = s.selected
  local header = {"feature", s.survival and "lasso-Cox coefficient" or "lasso-logistic coefficient"}
  if sel.frequency then header[#header + 1] = "stability frequency" end
  if sel.cv_frequency then header[#header + 1] = "share of cv folds" end
  rows = {}
  for i, f in ipairs(sel.features) do
    local r = {f, string.format("%.4g", sel.coef[i])}
    if sel.frequency then r[#r + 1] = cell(sel.frequency[i], 2) end
    if sel.cv_frequency then r[#r + 1] = cell(sel.cv_frequency[i], 2) end
    rows[i] = r
  end
  add{heading = string.format("Selected features (%d)", #sel.features)}
  local parts = {tostring(s.n_features) .. " features"}
  for _, tr in ipairs(s.trace) do parts[#parts + 1] = tr.step .. " " .. tr.kept end
  add{text = "Kept at each step: " .. table.concat(parts, " -> ") .. "."}
  if #rows > 0 then
    local align = {"l"}
    for k = 2, #header do align[k] = "r" end
    add{table = {header = header, rows = rows, align = align}}
  end
  -- the cohort table
  local ct = s.cohort_table
  if ct then
    add{heading = s.folds and string.format("Cohort by %s", s.cohort_by) or "Cohort by set"}
    local names = ct:names()
    rows = {}
    for i = 1, ct:nrow() do
      local r = {}
      for j, n in ipairs(names) do
        local v = ct:get(i, n)
        r[j] = n == "p" and (isna(v) and "" or pfmt(v)) or cell(v)
      end
      rows[i] = r
    end
    local align = {}
    for j, n in ipairs(names) do align[j] = (n == "variable" or n == "level" or n == "statistic" or n == "test") and "l" or "r" end
    add{table = {header = names, rows = rows, align = align}}
  end
  add{heading = "Methods (methods.md)"}
  add{text = s:methods()}
  if #s.notes > 0 then
    add{heading = "Notes"}
    for _, n in ipairs(s.notes) do add{text = n} end
  end
  -- (no times here: two runs give the same bytes; s:summary() prints them)
  add{heading = "Files"}
  add{text = "In the report folder: features.csv, selected.csv, " ..
    "metrics.csv, cohort.csv" .. (s.folds and ", cv_folds.csv, cv_selection.csv" or "") ..
    ", manifest.json, methods.md, checklist.md and the figures (PNG and PDF)."}
  -- numbered through: the text pages' count first, then every page "page k of n"
  local nfig = #(s.page_order or {})
  local ntext = #rad.plot.text_pages{title = s.spec.name, blocks = blocks, width = 180, height = 250}
  local total = ntext + nfig
  local pages = rad.plot.text_pages{title = s.spec.name, blocks = blocks, width = 180, height = 250, page_total = total}
  for k, name in ipairs(s.page_order or {}) do
    local ps = s.page_specs[name]
    pages[#pages + 1] = rad.plot.page{figures = ps.figures, columns = 2, title = ps.title, width = 180, height = ps.height,
      subtitle = string.format("page %d of %d", ntext + k, total)}
  end
  s.report_pages = pages
  local path = s.dir .. "/report.pdf"
  rad.plot.save_pdf(path, pages, {title = s.spec.name .. ": report", source = "rad.study " .. s.spec.name,
    digest = s.settings_digest, reproducible = true})
  s.figures[#s.figures + 1] = "report.pdf"
  return path
end

--- Study:report() -> Study: the report folder: features.csv, selected.csv, metrics.csv, cohort.csv (patients by split), figures (PNG and PDF), summary and report_2 pages, report.pdf (text pages with the design, every metric, the selected features, the cohort table, methods and notes, then the figure pages), manifest.json, methods.md, checklist.md (CLEAR and RQS items pre-filled)
function Study:report()
  self:validate()
  return timed(self, "report", function()
    self.figures = {}
    local o = self.spec.outcome
    -- patients by split; with cross-validation (no split), by harmonisation
    -- batch when there is one, else by outcome
    local both = self.data:copy()
    local vars = self.survival and {o.time, o.event} or {self.ycol}
    local by = "set"
    if self.folds then
      local h = self.spec.harmonise
      if h and h.batch then by = h.batch
      else
        by = self.survival and o.event or self.ycol
        table.remove(vars, self.survival and 2 or 1)
      end
    else
      local in_test = {}
      for _, id in ipairs(self.test:col(self.id)) do in_test[id] = true end
      local sp = {}
      for i, id in ipairs(both:col(self.id)) do sp[i] = in_test[id] and self.split_name or "train" end
      both:add("set", sp)
    end
    for _, c in ipairs(self.spec.clinical or {}) do vars[#vars + 1] = c end
    self.cohort_by = by
    local okd, tab = pcall(require("rad.describe").by_group, both, {by = by, vars = vars})
    if okd then tab:write_csv(self.dir .. "/cohort.csv"); self.cohort_table = tab
    else self.notes[#self.notes + 1] = "cohort table: " .. tostring(tab) end
    draw_figures(self)
    report_document(self)
    self:write_manifest()
    self:write_methods()
    -- CLEAR and RQS items the run can answer (rad.checklist)
    require("rad.checklist").write(self, self.dir .. "/checklist.md")
    return self
  end) or self
end

-- ---- manifest and methods -------------------------------------------------------------------

local function model_entry(fit)
  local e = {terms = {}, n = fit.n, events = fit.nevent}
  for _, term in ipairs(fit.terms) do
    -- hazard ratios of a Cox model, odds ratios of a logistic one (not of its intercept)
    local ratio = fit.hr and fit.hr[term] or (fit["or"] and term ~= "(Intercept)" and fit["or"][term]) or nil
    e.terms[#e.terms + 1] = {term = term, coef = fit.coef[term], se = fit.se[term],
      [fit.hr and "hr" or "or"] = ratio, p = fit.p[term]}
  end
  return e
end

--- Study:write_manifest() -> path: manifest.json: radlab version, settings and digest, seeds, input digests, excluded cases, split, selection trace, selected features with coefficients, models, metrics (no times or dates: two runs give the same bytes)
function Study:write_manifest()
  local man = {radlab = rad.version, study = self.spec.name, seed = self.seed}
  man.settings = self.settings
  man.settings_digest = self.settings_digest
  if self.settings_file then man.settings_file = self.settings_file end
  if #self.feature_sets > 1 or self.feature_sets[1].name then
    local fs = {}
    for k, set in ipairs(self.feature_sets) do
      fs[k] = {name = set.name, settings = set.settings, settings_digest = set.digest, settings_file = set.file}
    end
    man.feature_sets = fs
  end
  local inputs = {}
  if self.manifest_path then inputs.manifest = {path = self.manifest_path, sha256 = rad.file_digest(self.manifest_path)} end
  local files = {}
  for i = 1, self.cohort:nrow() do
    local r = self.cohort:row(i)
    local function digest(path)
      local ok, d = pcall(rad.file_digest, path)
      return ok and d or NA -- a file that cannot be read (its case failed): null
    end
    files[#files + 1] = {id = tostring(r[self.id]), image = digest(r.image), mask = digest(r.mask)}
  end
  inputs.cases = files
  man.inputs = inputs
  man.extraction = {cases = self.extraction.cases, ok = self.extraction.ok, failed = self.extraction.failed,
    features = self.n_features, undefined_features_left_out = self.n_undefined,
    excluded = #self.excluded > 0 and self.excluded or setmetatable({}, rad.json.array)}
  if self.folds then
    man.split = {text = self.split_text, name = self.split_name, patients = self.data:nrow(), folds = self.cv.k,
      repeats = self.cv.repeats, strata = self.cv.strata, seed = self.cv.seed}
  else
    man.split = {text = self.split_text, train = self.train:nrow(), test = self.test:nrow(), name = self.split_name}
  end
  man.selection = {trace = self.trace, features = self.selected.features, coef = self.selected.coef,
    cv_frequency = self.selected.cv_frequency,
    lambda = self.lasso.lambda, rule = self.lasso.rule}
  man.models = {}
  for _, name in ipairs(self.models.order) do man.models[name] = model_entry(self.models[name]) end
  local mt = {}
  local cols = self.metrics:names()
  for i = 1, self.metrics:nrow() do
    local r = {}
    for _, c in ipairs(cols) do r[c] = self.metrics:get(i, c) end
    mt[i] = r
  end
  man.metrics = mt
  man.notes = #self.notes > 0 and self.notes or setmetatable({}, rad.json.array)
  man.figures = self.figures
  local path = self.dir .. "/manifest.json"
  rad.json.write(path, man)
  return path
end


--- Study:methods() -> string: the methods section written from what ran (software, preprocessing, features, robustness, harmonisation, selection with the numbers kept, models, validation design)
function Study:methods()
  self:validate()
  local o = self.spec.outcome
  local p = {}
  local function add(fmt_, ...) p[#p + 1] = string.format(fmt_, ...) end
  -- one sentence of preprocessing per feature set
  local function preprocessing(settings)
    local st = rad.settings.check(settings)
    local pre = {}
    pre[#pre + 1] = normalisation_text(st)
    if st.resample and st.resample.spacing then
      pre[#pre + 1] = string.format("images were resampled to %s mm voxels (%s interpolation)",
        table.concat(st.resample.spacing, " x "), st.resample.interpolator or "linear")
    end
    if st.resegment and st.resegment.range then
      pre[#pre + 1] = string.format("the ROI was re-segmented to [%g, %g]", st.resegment.range[1], st.resegment.range[2])
    end
    local d = st.discretise or {}
    if d.method == "fbs" then pre[#pre + 1] = string.format("intensities were discretised with a fixed bin size of %g", d.width)
    else pre[#pre + 1] = string.format("intensities were discretised into %d fixed bins", d.bins or 32) end
    local fams = {}
    for _, f in ipairs(st.families or ALL_FAMILIES) do fams[#fams + 1] = FAMILY_NAMES[f] or f end
    return table.concat(pre, "; "), table.concat(fams, ", ")
  end
  local sets = self.feature_sets
  if #sets == 1 and not sets[1].name then
    add("Radiomic features were extracted with radlab %s (settings digest %s), which implements the feature " ..
      "definitions of the Image Biomarker Standardisation Initiative (IBSI).", rad.version, self.settings_digest:sub(1, 12))
    local pre, fams = preprocessing(self.settings)
    add("Before extraction, %s.", pre)
    add("%d features were computed per tumour (%s)%s.", self.n_features, fams,
      self.n_undefined > 0 and string.format("; %d undefined for some tumours were left out", self.n_undefined) or "")
  else
    add("Radiomic features were extracted with radlab %s, which implements the feature definitions of the Image " ..
      "Biomarker Standardisation Initiative (IBSI), with %d sets of settings whose features are named by the set:",
      rad.version, #sets)
    for _, set in ipairs(sets) do
      local pre, fams = preprocessing(set.settings)
      add("set %s (settings digest %s): %s; families %s.", set.name, set.digest:sub(1, 12), pre, fams)
    end
    add("%d features were computed per tumour in all%s.", self.n_features,
      self.n_undefined > 0 and string.format("; %d undefined for some tumours were left out", self.n_undefined) or "")
  end
  add("Of %d patients, %d were analysed%s.", self.extraction.cases, self.extraction.ok,
    #self.excluded > 0 and string.format(" (%d left out because extraction failed)", #self.excluded) or "")
  if self.folds then
    add("Performance was estimated by %s: in each of the %d folds every step below from harmonisation to model " ..
      "fitting was repeated on the training part alone and the models were measured on the held-out part; " ..
      "cross-validated metrics are the mean over the folds with the 2.5th to 97.5th percentiles of the fold values. " ..
      "The final models were fitted on all %d patients.", self.split_text, #self.folds, self.train:nrow())
  else
    add("The cohort was split (%s): %d patients for training and %d for testing.", self.split_text,
      self.train:nrow(), self.test:nrow())
  end
  if self.spec.robustness then
    local r = self.spec.robustness
    add("Feature robustness was assessed by image perturbation (additive noise at the image's own noise level, " ..
      "small rotations and translations, and changes of the ROI volume) of training cases; features with an " ..
      "ICC(2,1) below %g were excluded (%d of %d kept).", r.threshold or 0.75, #self.candidates, #self.feature_names)
  end
  if self.spec.harmonise then
    local dropped = 0
    for _, tr in ipairs(self.trace) do if tr.step == "harmonisable" then dropped = tr.from or dropped end end
    add("Features were harmonised across %s with ComBat (%s empirical Bayes; Johnson et al. 2007) " ..
      "%s%s.", self.spec.harmonise.batch, self.spec.harmonise.parametric == false and "non-parametric" or "parametric",
      self.combat_on_all and string.format("fitted on the features and %s of all patients (the test set is a %s of " ..
        "its own, which only its own estimates can harmonise; ComBat never sees the outcome)", self.spec.harmonise.batch,
        self.spec.harmonise.batch) or (self.folds and "fitted on each training fold and applied unchanged to its " ..
        "held-out fold" or "fitted on the training set and applied unchanged to the test set"), dropped > 0 and string.format("; %d features constant within a %s, which ComBat cannot scale, were left out",
        dropped, self.spec.harmonise.batch) or "")
  end
  local steps = {}
  for _, tr in ipairs(self.trace) do
    if tr.step ~= "robustness" and tr.step ~= "harmonisable" then steps[#steps + 1] = string.format("%s (%d kept)", tr.method or tr.step, tr.kept) end
  end
  add("%s, features were selected in turn by %s. The radiomics score is the %s " ..
    "linear predictor at lambda_%s (%d feature%s).", self.folds and "On all patients for the final models, and " ..
    "within each training fold for cross-validation" or "On the training set only", table.concat(steps, ", then "),
    self.survival and "lasso-Cox" or "lasso-logistic", self.lasso.rule, #self.selected.features,
    #self.selected.features == 1 and "" or "s")
  local clin = self.spec.clinical or {}
  local v = self.spec.validation or {}
  if not self.survival then
    if #clin > 0 then
      add("Three logistic regression models (maximum likelihood) of %s were fitted on the training set: clinical " ..
        "(%s), radiomics (the score alone) and combined (clinical variables and the score).", o.binary,
        table.concat(clin, ", "))
    end
    add("Discrimination was measured by the area under the ROC curve with DeLong 95 %% confidence intervals and " ..
      "each model was compared with the clinical model by the paired DeLong test; calibration by the calibration " ..
      "slope and intercept (calibration in the large), the Brier score and a calibration curve; clinical utility by " ..
      "decision curves; on the training set the optimism-corrected AUC was estimated with %d bootstrap resamples " ..
      "(Harrell).  All random steps used seed %d.", v.boot == nil and 200 or v.boot, self.seed)
    return table.concat(p, " ")
  end
  if #clin > 0 then
    add("Three Cox proportional-hazards models (Efron ties) were fitted on the training set: clinical (%s), " ..
      "radiomics (the score alone) and combined (clinical variables and the score).", table.concat(clin, ", "))
  end
  add("Discrimination was measured by Harrell's and Uno's C with 95 %% confidence intervals, the paired " ..
    "difference in C from the clinical model by the U-statistic method (as Hmisc's rcorrp.cens)%s; " ..
    "calibration by the calibration slope%s; on the training set the optimism-corrected C was estimated with " ..
    "%d bootstrap resamples (Harrell).  Risk groups were formed at the training median of each score and " ..
    "compared with the log-rank test%s.  All random steps used seed %d.",
    (v.times and #v.times > 0) and (", and time-dependent AUC (IPCW, cumulative/dynamic) at " .. table.concat(v.times, " and ") .. " " .. (o.unit or "")) or "",
    v.at and string.format(" and calibration plots at %g %s", v.at, o.unit or "") or "",
    v.boot == nil and 200 or v.boot, self.folds and " (with cross-validation, each held-out patient at the median of " ..
      "the training part of its fold; the pooled cross-validated groups of the first repeat)" or "", self.seed)
  return table.concat(p, " ")
end

function Study:write_methods()
  write_text(self.dir .. "/methods.md", "# Methods (generated by radlab " .. rad.version .. ")\n\n" ..
    self:methods() .. "\n")
end

-- ---- run and print -------------------------------------------------------------------------

--- Study:run() -> Study: every step in order, then the report; prints the C-index with 95 % CI of each model on both sets and the difference from the clinical model
function Study:run()
  self:report()
  if not self.spec.quiet then print(self:summary()) end
  return self
end

--- Study:summary() -> string: C-index (95 % CI) per model and set, delta C vs clinical with p, and the time per step
function Study:summary()
  local lines = {self.folds and string.format("%s: %d patients, %s (final models on all patients)", self.spec.name,
    self.data:nrow(), self.split_text) or string.format("%s: %d patients (%d training, %d %s)", self.spec.name,
    self.data:nrow(), self.train:nrow(), self.test:nrow(), self.split_name)}
  local cm, dm = "harrell_c", "delta_c"
  if self.survival then
    lines[#lines + 1] = string.format("%-10s %-12s %-22s %-22s", "model", "set", "Harrell C (95% CI)", "delta C vs clinical (p)")
  else
    cm, dm = "auc", "delta_auc"
    lines[#lines + 1] = string.format("%-10s %-12s %-22s %-22s", "model", "set", "AUC (95% CI)", "delta AUC vs clinical (p)")
  end
  for _, sp in ipairs{"train", self.split_name} do
    for _, name in ipairs(self.models.order) do
      local c = self:metric(name, sp, cm) or {}
      local d = self:metric(name, sp, dm)
      lines[#lines + 1] = string.format("%-10s %-12s %s (%s-%s)        %s", name, sp, fmt(c.estimate), fmt(c.lower),
        fmt(c.upper), d and string.format("%+.3f (%s-%s), p %s", d.estimate, fmt(d.lower), fmt(d.upper), pfmt(d.p)) or "")
    end
  end
  if self.folds then
    lines[#lines + 1] = string.format("cv: mean over the %d folds (2.5th-97.5th percentile of the fold values, not a CI)", #self.folds)
  end
  local tm = {}
  for _, t in ipairs(self.timing) do tm[#tm + 1] = string.format("%s %.1f s", t.step, t.seconds) end
  lines[#lines + 1] = "time: " .. table.concat(tm, ", ")
  lines[#lines + 1] = "report: " .. self.dir
  return table.concat(lines, "\n")
end

Study.__tostring = function(s) return "Study(" .. s.spec.name .. ")" end

require("rad.doc").register(Study, "Study", "Study")
return (require("rad.doc").register(study, "study")) -- not a tail call: register reads this file
