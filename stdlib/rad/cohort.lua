-- radlab: cohort handling: splits, resampling and preprocessing fitted on
-- training data.  SPDX-License-Identifier: GPL-3.0-or-later
--
--   local cohort = require "rad.cohort"
--   local train, test = cohort.split(t, {test = 0.3, strata = "event", seed = 1})
--   local train, test = cohort.split_by(t, "centre", {test = {"B"}})
--   for _, f in ipairs(cohort.kfold(t, {k = 10, strata = "event", seed = 1})) do
--     -- f.train, f.test, f.fold, f.rep
--   end
--   local boots = cohort.bootstrap(t, {n = 200, seed = 1})  -- {train = resample, test = out-of-bag}
--   local z = cohort.standardize{"age", "f01"}:fit(train)   -- z.mean, z.sd
--   local m = cohort.read("cohort.csv")   -- checked manifest: id, image, mask, ...
--   local s = cohort.scan("data", {image = "*_ct.nii.gz", mask = "*_seg.nii.gz"})
--   cohort.write_manifest(s, "data/cohort.csv")          -- paths relative to data/
--   local test_z = z:apply(test)                            -- train's mean and SD
--
-- Splits.  Stratified splitting shuffles the rows of each stratum (the levels
-- of the `strata` column, in sorted order) with one seeded generator
-- (rad.rng, xoshiro256**) and puts round(test * n_stratum) of them in the test
-- set, so class proportions are kept as closely as whole rows allow (as
-- caret::createDataPartition does).  k-fold assigns the shuffled rows of each
-- stratum to folds 1..k in turn, carrying on across strata, so fold sizes
-- differ by at most one and each fold keeps the class proportions; repeated
-- k-fold draws a fresh permutation per repeat.  Bootstrap resamples draw nrow
-- rows with replacement (Efron & Tibshirani, An Introduction to the
-- Bootstrap, 1993); the out-of-bag rows form the test set.  Rows keep their
-- original order within every returned table.  The same seed gives the same
-- split on every platform; the default seed is 1.  The folds and resamples
-- carry their 1-based row lists (`rows`, `test_rows`) and build their
-- `train` and `test` Tables each time those fields are read, so that 200
-- resamples of a wide table do not sit in memory at once: read them once
-- into locals.
--
-- Preprocessing steps are objects with :fit(train) -> fitted, and the fitted
-- object's :apply(t) -> new Table uses only what was learnt from train, so
-- test data never influence the parameters (no information leak).
--   cohort.standardize(cols)  z = (x - mean_train) / sd_train (sd with n - 1,
--                             as R's scale()); missing values stay missing.
--   cohort.impute{...}        method = "median" (numbers; strings take the
--                             mode) or "mode"; na = "impute" (default),
--                             "omit" (drop rows with a missing value) or
--                             "error" (refuse data with missing values).
--   cohort.drop_constant()    drops columns with fewer than two distinct
--                             non-missing values in train.
-- Column lists default to every numeric column (standardize) or every column
-- (impute, drop_constant); inside select.pipeline they default to the
-- pipeline's candidate features (step:fit(train, cols) passes them).  Errors name the column and say how to fix it.

local rng = require "rad.rng"

local cohort = {}

local NA = rad and rad.NA

local function isna(v)
  return v == nil or v == NA or (type(v) == "number" and v ~= v)
end
cohort._isna = isna

local function check_table(t, fname)
  if type(t) ~= "userdata" and type(t) ~= "table" or type(t.nrow) ~= "function" then
    error(fname .. ": expected a Table as first argument, got " .. type(t), 3)
  end
end

local function check_opts(opts, fname, allowed)
  if opts == nil then return {} end
  if type(opts) ~= "table" then error(fname .. ": options must be a table", 3) end
  local ok = {}
  for _, k in ipairs(allowed) do ok[k] = true end
  for k in pairs(opts) do
    if not ok[k] then
      error(string.format("%s: unknown option '%s' (allowed: %s)", fname, tostring(k),
        table.concat(allowed, ", ")), 3)
    end
  end
  return opts
end
cohort._check_opts = check_opts

local function has_col(t, name)
  for _, n in ipairs(t:names()) do if n == name then return true end end
  return false
end

-- Error naming a missing column and the closest existing names.
local function need_col(t, name, fname)
  if type(name) ~= "string" then
    error(fname .. ": column names must be strings, got " .. tostring(name), 3)
  end
  if has_col(t, name) then return end
  local best = {}
  for _, n in ipairs(t:names()) do
    local a, b = n:lower(), name:lower()
    local d = (a:find(b, 1, true) or b:find(a, 1, true)) and 0 or math.abs(#a - #b) + 1
    local same = 0
    for i = 1, math.min(#a, #b) do if a:sub(i, i) == b:sub(i, i) then same = same + 1 end end
    best[#best + 1] = {n, d * 10 - same}
  end
  table.sort(best, function(x, y) return x[2] < y[2] end)
  local hint = {}
  for i = 1, math.min(3, #best) do hint[i] = "'" .. best[i][1] .. "'" end
  error(string.format("%s: no column '%s' in the table%s", fname, name,
    #hint > 0 and " (did you mean " .. table.concat(hint, ", ") .. "?)" or ""), 3)
end
cohort._need_col = need_col

local function make_rng(opts)
  local seed = opts.seed
  if seed == nil then seed = 1 end
  return rng.new(seed)
end

-- Sort key order for mixed level values: numbers before strings.
local function level_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta == "number" end
  return a < b
end
cohort._level_less = level_less

-- Row indices grouped by the levels of column `strata` (or one group).
local function strata_groups(t, strata, fname)
  local n = t:nrow()
  if strata == nil then
    local all = {}
    for i = 1, n do all[i] = i end
    return {all}
  end
  need_col(t, strata, fname)
  local col = t:col(strata)
  local by, levels = {}, {}
  for i = 1, n do
    local v = col[i]
    if isna(v) then
      error(string.format("%s: strata column '%s' has a missing value in row %d; " ..
        "drop or impute it first (t:drop_na{'%s'})", fname, strata, i, strata), 3)
    end
    if not by[v] then by[v] = {}; levels[#levels + 1] = v end
    local g = by[v]
    g[#g + 1] = i
  end
  table.sort(levels, level_less)
  local groups = {}
  for k, v in ipairs(levels) do groups[k] = by[v] end
  return groups
end

-- A resample {rows =, test_rows =, ...} whose train / test Tables are built
-- from the row lists when read (not kept: 200 bootstrap copies of a wide
-- table would not fit in memory; read each once into a local).
local Lazy = {__index = function(r, k)
  if k == "train" then return r.table:rows(r.rows) end
  if k == "test" then return r.table:rows(r.test_rows) end
end, __name = "rad.Resample"}

local function lazy(t, rows, test_rows, extra)
  local r = extra or {}
  r.table, r.rows, r.test_rows = t, rows, test_rows
  return setmetatable(r, Lazy)
end

local function rows_sorted(t, idx)
  table.sort(idx)
  return t:rows(idx)
end

--- cohort.split(t, {test = 0.3, strata = "col", seed = 1}) -> train, test: a stratified random split.
function cohort.split(t, opts)
  check_table(t, "cohort.split")
  opts = check_opts(opts, "cohort.split", {"test", "strata", "seed"})
  local frac = opts.test or 0.3
  if type(frac) ~= "number" or not (frac > 0 and frac < 1) then
    error("cohort.split: option 'test' must be a fraction between 0 and 1, got " .. tostring(frac), 2)
  end
  local gen = make_rng(opts)
  local train, test = {}, {}
  for _, g in ipairs(strata_groups(t, opts.strata, "cohort.split")) do
    gen:shuffle(g)
    local ntest = math.floor(frac * #g + 0.5)
    for i, r in ipairs(g) do
      if i <= ntest then test[#test + 1] = r else train[#train + 1] = r end
    end
  end
  if #train == 0 or #test == 0 then
    error(string.format("cohort.split: a %d-row table gives an empty %s set with test = %g",
      t:nrow(), #train == 0 and "training" or "test", frac), 2)
  end
  return rows_sorted(t, train), rows_sorted(t, test)
end

--- cohort.split_by(t, "col", {test = {values...}}) -> train, test: rows whose value is listed go to test (external validation).
function cohort.split_by(t, col, opts)
  check_table(t, "cohort.split_by")
  opts = check_opts(opts, "cohort.split_by", {"test"})
  need_col(t, col, "cohort.split_by")
  local values = opts.test
  if type(values) ~= "table" then values = {values} end
  if values[1] == nil then
    error("cohort.split_by: option 'test' must list the values of '" .. col ..
      "' that form the test set, e.g. {test = {\"B\"}}", 2)
  end
  local want, seen = {}, {}
  for _, v in ipairs(values) do want[v] = true end
  local c = t:col(col)
  local train, test = {}, {}
  for i = 1, t:nrow() do
    local v = c[i]
    if isna(v) then
      error(string.format("cohort.split_by: column '%s' has a missing value in row %d; " ..
        "drop those rows first (t:drop_na{'%s'})", col, i, col), 2)
    end
    if want[v] then test[#test + 1] = i; seen[v] = true else train[#train + 1] = i end
  end
  for _, v in ipairs(values) do
    if not seen[v] then
      error(string.format("cohort.split_by: value %s does not occur in column '%s'",
        type(v) == "string" and "'" .. v .. "'" or tostring(v), col), 2)
    end
  end
  if #train == 0 then
    error("cohort.split_by: every row of '" .. col .. "' is in the test set; nothing left to train on", 2)
  end
  return t:rows(train), t:rows(test)
end

--- cohort.kfold(t, {k = 10, strata = "col", seed = 1, repeats = 1}) -> array of {train =, test =, fold =, rep =, rows =, test_rows =}.
function cohort.kfold(t, opts)
  check_table(t, "cohort.kfold")
  opts = check_opts(opts, "cohort.kfold", {"k", "strata", "seed", "repeats"})
  local k, reps = opts.k or 10, opts.repeats or 1
  local n = t:nrow()
  if math.type(k) ~= "integer" and not (type(k) == "number" and k == math.floor(k)) or k < 2 or k > n then
    error(string.format("cohort.kfold: option 'k' must be an integer in 2..%d (the number of rows), got %s",
      n, tostring(k)), 2)
  end
  if not (type(reps) == "number" and reps == math.floor(reps) and reps >= 1) then
    error("cohort.kfold: option 'repeats' must be a positive integer, got " .. tostring(reps), 2)
  end
  k, reps = math.tointeger(k), math.tointeger(reps)
  local gen = make_rng(opts)
  local groups = strata_groups(t, opts.strata, "cohort.kfold")
  local out = {}
  for rep = 1, reps do
    local fold_of = {}
    local next_fold = 0
    for _, g in ipairs(groups) do
      local perm = {}
      for i, r in ipairs(g) do perm[i] = r end
      gen:shuffle(perm)
      for _, r in ipairs(perm) do
        fold_of[r] = next_fold + 1
        next_fold = (next_fold + 1) % k
      end
    end
    for f = 1, k do
      local tr, te = {}, {}
      for i = 1, n do
        if fold_of[i] == f then te[#te + 1] = i else tr[#tr + 1] = i end
      end
      out[#out + 1] = lazy(t, tr, te, {fold = f, rep = rep})
    end
  end
  return out
end

--- cohort.bootstrap(t, {n = 200, seed = 1}) -> array of {train = resample, test = out-of-bag rows, rows =, test_rows =}.
function cohort.bootstrap(t, opts)
  check_table(t, "cohort.bootstrap")
  opts = check_opts(opts, "cohort.bootstrap", {"n", "seed"})
  local b = opts.n or 200
  if not (type(b) == "number" and b == math.floor(b) and b >= 1) then
    error("cohort.bootstrap: option 'n' must be a positive integer, got " .. tostring(b), 2)
  end
  local n = t:nrow()
  if n < 2 then error("cohort.bootstrap: the table needs at least 2 rows, has " .. n, 2) end
  local gen = make_rng(opts)
  local out = {}
  for r = 1, math.tointeger(b) do
    local idx, drawn = {}, {}
    for i = 1, n do
      local j = gen:int(n)
      idx[i] = j
      drawn[j] = true
    end
    table.sort(idx)
    local oob = {}
    for i = 1, n do if not drawn[i] then oob[#oob + 1] = i end end
    out[r] = lazy(t, idx, oob)
  end
  return out
end

-- ---- preprocessing steps ------------------------------------------------------

-- The columns a step works on: given list (checked) or a default.
local function step_cols(t, cols, fname, numeric_only)
  if cols ~= nil then
    for _, c in ipairs(cols) do
      need_col(t, c, fname)
      if numeric_only and t:type(c) ~= "number" then
        error(string.format("%s: column '%s' holds strings; list only numeric columns", fname, c), 3)
      end
    end
    return cols
  end
  local out = {}
  for _, c in ipairs(t:names()) do
    if not numeric_only or t:type(c) == "number" then out[#out + 1] = c end
  end
  return out
end

-- Copy of t with columns replaced by new values (column order kept).
local function replace_cols(t, newcols)
  local names = t:names()
  local u = t:copy()
  for name, vals in pairs(newcols) do
    u:drop(name)
    u:add(name, vals)
  end
  return u:select(names)
end
cohort._replace_cols = replace_cols

local function mean_sd(col)
  local s, n = 0, 0
  for _, v in ipairs(col) do if not isna(v) then s = s + v; n = n + 1 end end
  if n == 0 then return nil, nil, 0 end
  local m = s / n
  local ss = 0
  for _, v in ipairs(col) do if not isna(v) then ss = ss + (v - m) ^ 2 end end
  return m, n > 1 and math.sqrt(ss / (n - 1)) or 0, n
end
cohort._mean_sd = mean_sd

local function check_fitted_cols(t, cols, fname)
  for _, c in ipairs(cols) do
    if not has_col(t, c) then
      error(string.format("%s: column '%s' (present when the step was fitted) is missing from this table", fname, c), 3)
    end
  end
end

local function step(name, fit)
  return setmetatable({step = name}, {__index = {fit = fit}, __name = "rad.Step",
    __tostring = function() return "Step(" .. name .. ")" end})
end

--- cohort.standardize([cols]) -> step: z-scores with train's mean and SD (:fit(train) -> fitted, fitted:apply(t) -> Table).
function cohort.standardize(cols)
  if cols ~= nil and type(cols) ~= "table" then
    error("cohort.standardize: expected a list of column names", 2)
  end
  if cols and cols.cols then cols = cols.cols end
  return step("standardize", function(self, train, defcols)
    local fname = "standardize:fit"
    check_table(train, fname)
    local use = step_cols(train, cols or defcols, fname, true)
    local mean, sd = {}, {}
    for _, c in ipairs(use) do
      local m, s, n = mean_sd(train:col(c))
      if n == 0 then
        error(string.format("%s: column '%s' has no non-missing value in the training data", fname, c), 2)
      end
      if not (s > 0) then
        error(string.format("%s: column '%s' is constant in the training data (sd = 0); " ..
          "remove it first with cohort.drop_constant()", fname, c), 2)
      end
      mean[c], sd[c] = m, s
    end
    local fitted = {step = "standardize", cols = use, mean = mean, sd = sd}
    function fitted.apply(f, t)
      check_table(t, "standardize:apply")
      check_fitted_cols(t, use, "standardize:apply")
      local new = {}
      for _, c in ipairs(use) do
        if t:type(c) ~= "number" then
          error("standardize:apply: column '" .. c .. "' holds strings in this table", 2)
        end
        local col, m, s = t:col(c), f.mean[c], f.sd[c]
        local z = {}
        for i, v in ipairs(col) do z[i] = isna(v) and NA or (v - m) / s end
        new[c] = z
      end
      return replace_cols(t, new)
    end
    return fitted
  end)
end

local function median_of(vals)
  table.sort(vals)
  local n = #vals
  if n % 2 == 1 then return vals[(n + 1) // 2] end
  return (vals[n // 2] + vals[n // 2 + 1]) / 2
end

local function mode_of(vals)
  local count, best, bestn = {}, nil, 0
  for _, v in ipairs(vals) do count[v] = (count[v] or 0) + 1 end
  local levels = {}
  for v in pairs(count) do levels[#levels + 1] = v end
  table.sort(levels, level_less)  -- ties: the first level in sorted order
  for _, v in ipairs(levels) do
    if count[v] > bestn then best, bestn = v, count[v] end
  end
  return best
end

--- cohort.impute{cols =, method = "median"|"mode", na = "impute"|"omit"|"error"} -> step: fills missing values with train's median (numbers) or mode (strings).
function cohort.impute(opts)
  opts = check_opts(opts, "cohort.impute", {"cols", "method", "na"})
  local method, na = opts.method or "median", opts.na or "impute"
  if method ~= "median" and method ~= "mode" then
    error("cohort.impute: option 'method' must be \"median\" or \"mode\", got " .. tostring(method), 2)
  end
  if na ~= "impute" and na ~= "omit" and na ~= "error" then
    error("cohort.impute: option 'na' must be \"impute\", \"omit\" or \"error\", got " .. tostring(na), 2)
  end
  local cols = opts.cols
  return step("impute", function(self, train, defcols)
    local fname = "impute:fit"
    check_table(train, fname)
    local use = step_cols(train, cols or defcols, fname, false)
    local value = {}
    if na == "impute" then
      for _, c in ipairs(use) do
        local vals = {}
        for _, v in ipairs(train:col(c)) do if not isna(v) then vals[#vals + 1] = v end end
        if #vals == 0 then
          error(string.format("%s: column '%s' is entirely missing in the training data; " ..
            "nothing to impute from (drop the column)", fname, c), 2)
        end
        if method == "median" and train:type(c) == "number" then
          value[c] = median_of(vals)
        else
          value[c] = mode_of(vals)
        end
      end
    end
    local fitted = {step = "impute", cols = use, value = value, method = method, na = na}
    function fitted.apply(f, t)
      local an = "impute:apply"
      check_table(t, an)
      check_fitted_cols(t, use, an)
      if na == "omit" then return t:drop_na(use) end
      if na == "error" then
        for _, c in ipairs(use) do
          for i, v in ipairs(t:col(c)) do
            if isna(v) then
              error(string.format("%s: column '%s' has a missing value in row %d " ..
                "(use na = \"omit\" or \"impute\")", an, c, i), 2)
            end
          end
        end
        return t:copy()
      end
      local new = {}
      for _, c in ipairs(use) do
        local col, fill, changed = t:col(c), f.value[c], false
        if type(fill) ~= t:type(c) then
          error(string.format("%s: column '%s' is of type %s here but %s in the training data",
            an, c, t:type(c), type(fill)), 2)
        end
        for i, v in ipairs(col) do
          if isna(v) then col[i] = fill; changed = true end
        end
        if changed then new[c] = col end
      end
      return replace_cols(t, new)
    end
    return fitted
  end)
end

--- cohort.drop_constant([cols]) -> step: drops columns with fewer than two distinct non-missing training values.
function cohort.drop_constant(cols)
  if cols ~= nil and type(cols) ~= "table" then
    error("cohort.drop_constant: expected a list of column names or nothing", 2)
  end
  if cols and cols.cols then cols = cols.cols end
  return step("drop_constant", function(self, train, defcols)
    local fname = "drop_constant:fit"
    check_table(train, fname)
    local use = step_cols(train, cols or defcols, fname, false)
    local dropped, is_dropped = {}, {}
    for _, c in ipairs(use) do
      local first, distinct = nil, 0
      for _, v in ipairs(train:col(c)) do
        if not isna(v) then
          if distinct == 0 then first, distinct = v, 1
          elseif v ~= first then distinct = 2; break end
        end
      end
      if distinct < 2 then dropped[#dropped + 1] = c; is_dropped[c] = true end
    end
    local fitted = {step = "drop_constant", cols = use, dropped = dropped}
    function fitted.apply(f, t)
      check_table(t, "drop_constant:apply")
      local keep = {}
      for _, c in ipairs(t:names()) do
        if not is_dropped[c] then keep[#keep + 1] = c end
      end
      return t:select(keep)
    end
    return fitted
  end)
end

--- cohort.combat{batch = "col", covariates = {cols}, features = {cols}, parametric = true, mean_only = false} -> step: ComBat harmonisation by batch (rad.combat) fitted on train's features (default: the candidate numeric columns but batch and covariates), applied unchanged to other tables (:fit(train, cols) -> fitted, fitted:apply(t) -> Table; fitted.fit is the Combat).
function cohort.combat(opts)
  local F = "cohort.combat"
  opts = check_opts(opts, F, {"batch", "covariates", "features", "parametric", "mean_only"})
  if type(opts.batch) ~= "string" then
    error(F .. ": option 'batch' must name the batch column (a string), got " .. type(opts.batch), 2)
  end
  local covs = opts.covariates
  if type(covs) == "string" then covs = {covs} end
  if covs ~= nil and type(covs) ~= "table" then
    error(F .. ": option 'covariates' must be a list of column names, got " .. type(covs), 2)
  end
  covs = covs or {}
  local skip = {[opts.batch] = true}
  for _, c in ipairs(covs) do skip[c] = true end
  return step("combat", function(self, train, defcols)
    local fname = "combat:fit"
    check_table(train, fname)
    local use = opts.features
    if use == nil then
      use = {}
      for _, c in ipairs(step_cols(train, defcols, fname, false)) do
        if not skip[c] and train:type(c) == "number" then use[#use + 1] = c end
      end
    end
    local ok, fit = pcall(rad.combat, train, {batch = opts.batch, covariates = covs, features = use,
      parametric = opts.parametric, mean_only = opts.mean_only})
    if not ok then error(fname .. ": " .. tostring(fit):gsub("^rad%.combat: ", ""), 2) end
    local fitted = {step = "combat", cols = use, fit = fit}
    function fitted.apply(f, t)
      check_table(t, "combat:apply")
      local ok2, out = pcall(f.fit.apply, f.fit, t)
      if not ok2 then error("combat:apply: " .. tostring(out):gsub("^Combat:apply: ", ""), 2) end
      return out
    end
    return fitted
  end)
end

-- ---- manifests ---------------------------------------------------------------
-- A manifest is a CSV file with one row per case: id, image, mask, optional
-- label (positive integer) or roi (name), optional modality, and any further
-- columns, carried along.  The image may be a folder holding one DICOM
-- series; a mask that is not a NIfTI, NRRD or PNG file is a DICOM RTSTRUCT
-- (roi: the contour's name) or SEG (roi: the segment's label or number).  The key of a case is (id, label or roi, modality);
-- several rows may share an id.  Paths are relative to the manifest's folder
-- (absolute paths are kept); cohort.read returns them usable from the current
-- directory, and cohort.write_manifest writes them relative to the new
-- manifest's folder again.  No shell ever sees a path read from a manifest,
-- so spaces, quotes, $, backticks and non-ASCII letters are plain characters.
-- cohort.scan's globs: * matches any text within a file or folder name, ?
-- one character; a glob is matched against the end of each file's path
-- relative to dir, at a folder boundary ("*_ct.nii.gz" against the file
-- name, "*/ct.nii.gz" against folder and name).  A file matching both globs
-- is a mask (so image = "*.nii.gz", mask = "*_seg.nii.gz" works); files and
-- folders whose name starts with "." (.DS_Store, ._x) are skipped.  The
-- default id is the text of the wildcards, joined by "_" when there are
-- several; the listing comes from find(1), with dir passed as one quoted
-- argument.

local REQUIRED = {"id", "image", "mask"}
local KEYS = {"id", "label", "roi", "modality"}
local TEXT_COLS = {id = true, image = true, mask = true, roi = true, modality = true}

-- The column names of a CSV file's header line (RFC 4180 quoting), or {}.
local function csv_header(path)
  local f = io.open(path, "rb")
  if not f then return {} end
  local line = f:read("l") or ""
  f:close()
  line = line:gsub("^\239\187\191", ""):gsub("\r$", "")
  local names, i = {}, 1
  while true do
    local name, c
    if line:sub(i, i) == '"' then
      local buf, j = {}, i + 1
      while true do
        local q = line:find('"', j, true)
        if not q then buf[#buf + 1] = line:sub(j); j = #line + 1; break end
        buf[#buf + 1] = line:sub(j, q - 1)
        if line:sub(q + 1, q + 1) == '"' then buf[#buf + 1] = '"'; j = q + 2 else j = q + 1; break end
      end
      name, c = table.concat(buf), line:find(",", j, true)
    else
      c = line:find(",", i, true)
      name = line:sub(i, (c or #line + 1) - 1)
    end
    names[#names + 1] = name
    if not c then return names end
    i = c + 1
  end
end

-- The folder part of a path ("" for a bare file name, "/" for the root).
local function dirname(p)
  local d = p:match("^(.*)/[^/]*$")
  if d == nil then return "" end
  if d == "" then return "/" end
  return d
end

-- rel read from a manifest in folder dir, as a path usable from here.
local function resolve(dir, rel)
  if rel:sub(1, 1) == "/" then return rel end
  while rel:sub(1, 2) == "./" do rel = rel:sub(3) end
  if dir == "" or dir == "." then return rel end
  if dir:sub(-1) == "/" then return dir .. rel end
  return dir .. "/" .. rel
end

-- A cell as text: ids such as 17 read as numbers print as "17".
local function as_text(v)
  if math.type(v) == "float" and v == math.floor(v) and math.abs(v) < 2^53 then
    return string.format("%d", math.tointeger(v))
  end
  return tostring(v)
end

local function row_list(rows)
  if #rows == 1 then return "row " .. rows[1] end
  return "rows " .. table.concat(rows, ", ", 1, #rows - 1) .. " and " .. rows[#rows]
end

-- A mask file that is not an image format radlab reads by name is taken
-- as DICOM (an RTSTRUCT or SEG file, named anything): its roi selects voxels.
local IMAGE_EXT = {".nii", ".nii.gz", ".nrrd", ".nhdr", ".png"}
local function dicom_mask(path)
  local low = tostring(path):lower()
  for _, e in ipairs(IMAGE_EXT) do
    if low:sub(-#e) == e then return false end
  end
  return true
end

-- Is path a folder (a DICOM series)?
local function is_folder(path)
  local f = io.open(path, "rb")
  if not f then return false end
  local ok, err = f:read(0)
  f:close()
  return ok == nil and err ~= nil and tostring(err):find("directory", 1, true) ~= nil
end

-- Why the folder dir is not one DICOM series, or nil when it is.
local function series_problem(dir)
  local ok, list = pcall(rad.dicom.series, dir)
  if not ok then
    return "is a folder without a readable DICOM series (" .. tostring(list):gsub("^.-: ", "", 1) .. ")"
  end
  if #list == 0 then
    return "is a folder without a readable DICOM series (no DICOM image file in it; an image is a file or a folder " ..
      "holding one DICOM series)"
  end
  if #list ~= 1 then
    local uids = {}
    for _, s in ipairs(list) do uids[#uids + 1] = string.format("%s %s (%d files)", s.modality or "?", s.uid, s.files or 0) end
    return string.format("is a folder holding %d DICOM series (%s); give each series its own folder", #list,
      table.concat(uids, ", "))
  end
  return nil
end

-- Why path is not a readable regular file, or nil when it is one.
local function file_problem(path)
  local f, err, code = io.open(path, "rb")
  if not f then
    if code == 2 then return "does not exist" end
    return "cannot be opened (" .. tostring(err):gsub("^.*: ", "") .. ")"
  end
  local ok, rerr = f:read(0)  -- nil, message on a folder; nil alone on an empty file
  f:close()
  if ok == nil and rerr then
    if tostring(rerr):find("directory", 1, true) then return "is a folder, not a file" end
    return "cannot be read (" .. tostring(rerr):gsub("^.*: ", "") .. ")"
  end
  return nil
end
cohort._file_problem = file_problem

--- cohort.read(path, {files = true}) -> Table: read and check a cohort manifest (CSV: id, image, mask, optional label (0..255; 0 or empty: every non-zero voxel), roi, modality, further columns carried along; image may be a DICOM series folder, mask a DICOM RTSTRUCT or SEG file whose contour or segment the roi column names) and report every problem at once; image and mask come back as paths usable from the current directory, rows in manifest order; files = false skips the check that the files exist (extraction records a missing file as a failed case)
function cohort.read(path, opts)
  local F = "cohort.read"
  if type(path) ~= "string" then
    error(F .. ": expected the manifest's path (a string), got " .. type(path), 2)
  end
  opts = check_opts(opts, F, {"files"})
  local check_files = opts.files ~= false
  local types = {}
  for _, n in ipairs(csv_header(path)) do
    if TEXT_COLS[n] then types[n] = "string" end
  end
  local ok, t = pcall(rad.read_csv, path, {types = types})
  if not ok then error(F .. ": " .. tostring(t), 2) end
  local names, have = t:names(), {}
  for _, n in ipairs(names) do have[n] = true end
  local missing = {}
  for _, c in ipairs(REQUIRED) do
    if not have[c] then missing[#missing + 1] = "'" .. c .. "'" end
  end
  if #missing > 0 then
    error(string.format("%s: %s has no column %s (columns found: %s); a manifest needs the columns " ..
      "id, image and mask (optional: label or roi, modality; others are carried along)",
      F, path, table.concat(missing, ", "), table.concat(names, ", ")), 2)
  end
  local n = t:nrow()
  if n == 0 then
    error(F .. ": " .. path .. " has a header but no rows: add one row per case (id, image, mask)", 2)
  end

  local problems, dir = {}, dirname(path)
  local cols = {}
  for _, c in ipairs(KEYS) do if have[c] then cols[c] = t:col(c) end end
  cols.image, cols.mask = t:col("image"), t:col("mask")
  -- empty required cells
  for _, c in ipairs(REQUIRED) do
    local rows = {}
    for i = 1, n do if isna(cols[c][i]) or cols[c][i] == "" then rows[#rows + 1] = i end end
    if #rows > 0 then
      problems[#problems + 1] = string.format("column '%s' is empty in %s; every case needs an %s",
        c, row_list(rows), c == "id" and "id" or c .. " path")
    end
  end
  -- labels: integers 0..255 (0 or empty: every non-zero voxel), as extraction takes them
  if have.label then
    local bad = {}
    for i, v in ipairs(cols.label) do
      local x = type(v) == "number" and v or nil
      if not isna(v) and not (x and x >= 0 and x == math.floor(x) and x <= 255) then
        bad[#bad + 1] = string.format("row %d has '%s'", i, as_text(v))
      end
    end
    if #bad > 0 then
      problems[#problems + 1] = "column 'label' must hold integers 0..255 (the mask label of the ROI; 0 or empty: " ..
        "every non-zero voxel): " .. table.concat(bad, ", ") .. " (name ROIs in a 'roi' column instead)"
    end
  end
  -- duplicate keys
  local keynames = {}
  for _, c in ipairs(KEYS) do if have[c] then keynames[#keynames + 1] = c end end
  local first, order = {}, {}
  for i = 1, n do
    local parts, shown = {}, {}
    for _, c in ipairs(keynames) do
      local v = cols[c][i]
      parts[#parts + 1] = isna(v) and "\1NA" or as_text(v)
      shown[#shown + 1] = c .. " = " .. (isna(v) and "NA" or as_text(v))
    end
    local k = table.concat(parts, "\0")
    if first[k] then first[k].rows[#first[k].rows + 1] = i
    else first[k] = {rows = {i}, shown = table.concat(shown, ", ")}; order[#order + 1] = k end
  end
  local dups = {}
  for _, k in ipairs(order) do
    local d = first[k]
    if #d.rows > 1 then dups[#dups + 1] = "(" .. d.shown .. ") in " .. row_list(d.rows) end
  end
  if #dups > 0 then
    problems[#problems + 1] = string.format("%d duplicated key%s (%s must identify one case): %s",
      #dups, #dups == 1 and "" or "s", table.concat(keynames, ", "), table.concat(dups, "; "))
  end
  -- files, all of them
  local resolved, absent = {image = {}, mask = {}}, {}
  for i = 1, n do
    for _, c in ipairs{"image", "mask"} do
      local v = cols[c][i]
      if not isna(v) and v ~= "" then
        local p = resolve(dir, as_text(v))
        resolved[c][i] = p
        -- an image may be a folder holding one DICOM series
        local why
        if check_files and c == "image" and is_folder(p) then
          why = series_problem(p)
        elseif check_files then
          why = file_problem(p)
        end
        if why then absent[#absent + 1] = string.format("row %d %s '%s' %s", i, c, p, why) end
      else
        resolved[c][i] = NA
      end
    end
  end
  -- several rows of one patient that select the same voxels (a roi column
  -- names ROIs, but only a label or another mask selects them)
  do
    local seen, same, order2 = {}, {}, {}
    for i = 1, n do
      local lab = have.label and cols.label[i] or 0
      if isna(lab) then lab = 0 end
      local k = table.concat({as_text(cols.id[i]), tostring(resolved.image[i]), tostring(resolved.mask[i]),
        as_text(lab)}, "\0")
      -- in an RTSTRUCT or SEG file the roi names the contour: it selects voxels
      if have.roi and not isna(cols.roi[i]) and not isna(resolved.mask[i]) and dicom_mask(resolved.mask[i]) then
        k = k .. "\0" .. as_text(cols.roi[i])
      end
      if seen[k] then
        if not same[k] then same[k] = {seen[k]}; order2[#order2 + 1] = k end
        table.insert(same[k], i)
      else
        seen[k] = i
      end
    end
    for _, k in ipairs(order2) do
      local rows, rois, distinct = same[k], {}, {}
      for _, i in ipairs(rows) do
        rois[#rois + 1] = have.roi and not isna(cols.roi[i]) and "'" .. as_text(cols.roi[i]) .. "'" or "(none)"
        distinct[rois[#rois] .. "\0" .. (have.modality and as_text(cols.modality[i]) or "")] = true
      end
      if next(distinct, next(distinct)) then -- else: duplicated keys, reported above
        problems[#problems + 1] = string.format("%s of id '%s' (roi %s) select the same voxels: the same image, mask " ..
          "and label %s; a roi name does not select voxels: give each ROI its own label (column 'label') or its own mask",
          row_list(rows), as_text(cols.id[rows[1]]), table.concat(rois, ", "),
          as_text(have.label and not isna(cols.label[rows[1]]) and cols.label[rows[1]] or 0))
      end
    end
  end
  if #absent > 0 then
    problems[#problems + 1] = string.format("%d file%s not found or not readable (paths relative to the " ..
      "manifest's folder '%s'): %s", #absent, #absent == 1 and "" or "s", dir == "" and "." or dir,
      table.concat(absent, "; "))
  end
  if #problems > 0 then
    error(string.format("%s: %s is not a valid manifest (rows count data lines from 1):\n  %s",
      F, path, table.concat(problems, "\n  ")), 2)
  end
  local new = {image = resolved.image, mask = resolved.mask}
  if t:type("id") ~= "string" then
    local ids = {}
    for i, v in ipairs(cols.id) do ids[i] = as_text(v) end
    new.id = ids
  end
  return replace_cols(t, new)
end

-- A glob (* any text within a folder name, ? one character) as an anchored
-- Lua pattern capturing each wildcard.
local function glob_pattern(g)
  local out = {"^"}
  for i = 1, #g do
    local c = g:sub(i, i)
    if c == "*" then out[#out + 1] = "([^/]*)"
    elseif c == "?" then out[#out + 1] = "([^/])"
    elseif c:match("%p") then out[#out + 1] = "%" .. c
    else out[#out + 1] = c end
  end
  out[#out + 1] = "$"
  return table.concat(out)
end

-- The wildcard texts of the first (longest) tail of rel, at a folder
-- boundary, that matches the glob pattern pat; nil when none does.
local function glob_match(pat, rel)
  local from = 1
  while true do
    local caps = table.pack(rel:sub(from):match(pat))
    if caps[1] ~= nil then return caps end
    local s = rel:find("/", from, true)
    if not s then return nil end
    from = s + 1
  end
end

local function quote_list(list)
  local q = {}
  for i, v in ipairs(list) do q[i] = "'" .. v .. "'" end
  return table.concat(q, ", ")
end

--- cohort.scan(dir, {image = "*_ct.nii.gz", mask = "*_seg.nii.gz", id = pattern, strict = false}) -> Table: a manifest (id, image, mask; sorted by id) from a folder tree, each image paired with the mask of the same id (default id: the text the image glob's wildcards match; id = a Lua pattern with one capture on the path relative to dir); unpaired files are named in a warning (an error with strict = true)
function cohort.scan(dir, opts)
  local F = "cohort.scan"
  if type(dir) ~= "string" or dir == "" then
    error(F .. ": expected a folder (a string) as first argument, got " .. (dir == "" and "\"\"" or type(dir)), 2)
  end
  opts = check_opts(opts, F, {"image", "mask", "id", "strict"})
  for _, k in ipairs{"image", "mask"} do
    if type(opts[k]) ~= "string" or opts[k] == "" then
      error(string.format("%s: option '%s' must be a file name pattern such as \"%s\" (* matches any text)",
        F, k, k == "image" and "*_ct.nii.gz" or "*_seg.nii.gz"), 2)
    end
  end
  if opts.image == opts.mask then
    error(F .. ": options 'image' and 'mask' are the same pattern '" .. opts.image .. "'; masks need their own, such as \"*_seg.nii.gz\"", 2)
  end
  local idpat = opts.id
  if idpat ~= nil then
    if type(idpat) ~= "string" then error(F .. ": option 'id' must be a Lua pattern (a string), got " .. type(idpat), 2) end
    local okp, perr = pcall(string.find, "", idpat)
    if not okp then
      error(F .. ": option 'id' is not a valid Lua pattern: " .. tostring(perr):gsub("^.-:%d+: ", ""), 2)
    end
  else
    for _, k in ipairs{"image", "mask"} do
      if not opts[k]:find("[*?]") then
        error(string.format("%s: the %s pattern '%s' has no wildcard (* or ?) to take the id from; " ..
          "add one, or give id = a Lua pattern with one capture such as \"^([^/]+)/\"", F, k, opts[k]), 2)
      end
    end
  end
  local why = file_problem(dir)
  if why ~= "is a folder, not a file" then
    error(string.format("%s: '%s' %s; give the folder that holds the images and masks", F, dir,
      why or "is a file, not a folder"), 2)
  end
  local root = dir:gsub("(.)/+$", "%1")
  local h = io.popen("find -L '" .. root:gsub("'", "'\\''") .. "' -type f -print0 2>/dev/null")
  local listing = h:read("a")
  h:close()
  local ipat, mpat = glob_pattern(opts.image), glob_pattern(opts.mask)
  local images, masks, nomatch, seen = {}, {}, {}, 0
  local prefix = root == "/" and 1 or #root + 2
  for full in listing:gmatch("([^%z]+)%z") do
    local rel = full:sub(prefix)
    -- hidden files and folders (.DS_Store, ._x resource forks) are not cases
    if not (rel:find("^%.") or rel:find("/%.")) then
      seen = seen + 1
      local mcaps, icaps = glob_match(mpat, rel), nil
      if not mcaps then icaps = glob_match(ipat, rel) end  -- a file matching both is a mask
      if mcaps or icaps then
        local id
        if idpat then id = rel:match(idpat)
        else id = table.concat(mcaps or icaps, "_", 1, (mcaps or icaps).n) end
        if id == nil or id == "" then nomatch[#nomatch + 1] = rel
        else
          local into = mcaps and masks or images
          into[id] = into[id] or {}
          table.insert(into[id], rel)
        end
      end
    end
  end
  if #nomatch > 0 then
    table.sort(nomatch)
    error(string.format("%s: the id pattern '%s' finds no id in %s; change id = so that its capture matches every image and mask path (relative to '%s')",
      F, tostring(idpat), quote_list(nomatch), dir), 2)
  end
  local twice = {}
  for _, set in ipairs{{images, "image"}, {masks, "mask"}} do
    for id, files in pairs(set[1]) do
      if #files > 1 then
        table.sort(files)
        twice[#twice + 1] = string.format("id '%s' has %d %ss: %s", id, #files, set[2], quote_list(files))
      end
    end
  end
  if #twice > 0 then
    table.sort(twice)
    error(F .. ": " .. table.concat(twice, "; ") .. "; make the id unique (option id = a Lua pattern capturing more of the path)", 2)
  end
  local ids, lone_img, lone_mask = {}, {}, {}
  for id, files in pairs(images) do
    if masks[id] then ids[#ids + 1] = id else lone_img[#lone_img + 1] = files[1] end
  end
  for id, files in pairs(masks) do
    if not images[id] then lone_mask[#lone_mask + 1] = files[1] end
  end
  table.sort(ids); table.sort(lone_img); table.sort(lone_mask)
  local msg = {}
  if #lone_img > 0 then
    msg[#msg + 1] = string.format("%d image%s found no mask: %s", #lone_img, #lone_img == 1 and "" or "s", quote_list(lone_img))
  end
  if #lone_mask > 0 then
    msg[#msg + 1] = string.format("%d mask%s found no image: %s", #lone_mask, #lone_mask == 1 and "" or "s", quote_list(lone_mask))
  end
  if #ids == 0 then
    error(string.format("%s: no image in '%s' found its mask (%d files looked at; image = '%s', mask = '%s')%s",
      F, dir, seen, opts.image, opts.mask, #msg > 0 and "; " .. table.concat(msg, "; ") or ""), 2)
  end
  if #msg > 0 then
    local text = F .. ": " .. table.concat(msg, "; ") .. " (under '" .. dir .. "')"
    if opts.strict then error(text .. "; strict = true makes this an error", 2) end
    warn(text .. "; left out of the manifest")
  end
  local cid, cimg, cmask = {}, {}, {}
  for i, id in ipairs(ids) do
    cid[i], cimg[i], cmask[i] = id, resolve(root, images[id][1]), resolve(root, masks[id][1])
  end
  return rad.table.new{{"id", cid}, {"image", cimg}, {"mask", cmask}}
end

-- The current directory (the shell's pwd runs in this process's folder).
local function cwd()
  local h = io.popen("pwd")
  local d = h and h:read("l")
  if h then h:close() end
  if not d or d:sub(1, 1) ~= "/" then error("cohort.write_manifest: cannot find the current directory", 3) end
  return d
end

-- Path components of an absolute path, with . and .. resolved.
local function components(abs)
  local out = {}
  for part in abs:gmatch("[^/]+") do
    if part == ".." then out[#out] = nil
    elseif part ~= "." then out[#out + 1] = part end
  end
  return out
end

--- cohort.write_manifest(t, path) -> t: write a manifest Table (cohort.read, cohort.scan) as CSV, atomically, with image and mask relative to path's folder (a path sharing no folder with it but / stays absolute)
function cohort.write_manifest(t, path)
  local F = "cohort.write_manifest"
  check_table(t, F)
  if type(path) ~= "string" or path == "" then
    error(F .. ": expected the manifest's path (a string) as second argument, got " .. type(path), 2)
  end
  for _, c in ipairs(REQUIRED) do need_col(t, c, F) end
  local here
  local function absolute(p)
    if p:sub(1, 1) == "/" then return p end
    here = here or cwd()
    return here .. "/" .. p
  end
  local base = components(absolute(dirname(path) == "" and "." or dirname(path)))
  local new = {}
  for _, c in ipairs{"image", "mask"} do
    local out = {}
    for i, v in ipairs(t:col(c)) do
      if isna(v) or v == "" then
        error(string.format("%s: column '%s' is empty in row %d; every case needs an %s path", F, c, i, c), 2)
      end
      v = as_text(v)
      local parts = components(absolute(v))
      local k = 0
      while k < #base and k < #parts and base[k + 1] == parts[k + 1] do k = k + 1 end
      if k > 0 then  -- sharing no folder but the root: kept absolute
        local rel = {}
        for _ = k + 1, #base do rel[#rel + 1] = ".." end
        for j = k + 1, #parts do rel[#rel + 1] = parts[j] end
        out[i] = table.concat(rel, "/")
      else
        out[i] = "/" .. table.concat(parts, "/")
      end
    end
    new[c] = out
  end
  local u = replace_cols(t, new)
  local ok, err = pcall(u.write_csv, u, path)
  if not ok then error(F .. ": " .. tostring(err):gsub("^.-:%d+: ", ""), 2) end
  return t
end

return (require("rad.doc").register(cohort, "cohort")) -- not a tail call: register reads this file
