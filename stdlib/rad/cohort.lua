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

return (require("rad.doc").register(cohort, "cohort")) -- not a tail call: register reads this file
