-- radlab: feature selection filters and leak-free selection pipelines.
-- SPDX-License-Identifier: GPL-3.0-or-later
--
--   local select = require "rad.select"
--   local kept, report = select.variance(t, cols, {min = 0})
--   local kept, report = select.near_zero(t, cols, {freq_ratio = 95/5, unique = 10})
--   local kept, report = select.univariate(t, cols, {y = "event", test = "auc", p = 0.05, adjust = "BH"})
--   local kept, report = select.redundancy(t, cols, {threshold = 0.9, method = "spearman", y = "event"})
--   local kept, report = select.mrmr(t, cols, {y = "event", k = 10})
--   local fitted = select.pipeline{
--     y = "event", id = {"patient"},
--     cohort.standardize(), {"near_zero"}, {"univariate", test = "wilcox", p = 0.1},
--     {"redundancy", threshold = 0.9}, {"mrmr", k = 10},
--   }:fit(train)
--   local test_sel = fitted:apply(test)  -- fitted.selected, fitted.report
--
-- Each filter takes a Table, the candidate columns (nil = every numeric
-- column except `y`) and options, and returns the kept column names (in the
-- order given, or in selection order for mRMR) and a report Table with one
-- row per candidate and a `kept` column (1 kept, 0 dropped).
--
-- variance    sample variance (n - 1) of the non-missing values; kept when
--             > min (default 0, i.e. only constant columns go).
-- near_zero   caret::nearZeroVar (Kuhn, caret package): freq_ratio = count
--             of the most frequent value / count of the second; percent
--             unique = 100 * distinct values / rows; a column is dropped when
--             freq_ratio > freq_ratio cut and percent unique <= unique cut,
--             or when it has a single distinct value.
-- univariate  per feature, compare the two outcome classes: Welch t test
--             (rad.stats.ttest), Mann-Whitney U (rad.stats.wilcox) or the
--             AUC (its p-value is the Mann-Whitney one, the AUC being U /
--             (n1 n0)); p-values adjusted across features (rad.stats.p_adjust,
--             "BH" by default; "none" to skip) and features kept when the
--             adjusted p <= p (default 0.05); `top = k` keeps the k smallest
--             instead; `min_auc` keeps features with max(AUC, 1 - AUC) >=
--             min_auc.
-- redundancy  pairwise correlation (rad.stats.cor_matrix, "spearman" by
--             default, pairwise complete rows); features are visited in decreasing
--             relevance to the outcome (|AUC - 0.5| for a binary y, |r| with
--             a numeric one; without y, in the order given) and kept unless
--             |r| > threshold with a feature already kept, so of each pair
--             above the threshold the one more related to the outcome stays.
-- mrmr        minimum-redundancy maximum-relevance (Peng, Long & Ding, IEEE
--             TPAMI 27(8), 2005), MID criterion: first the feature with the
--             largest I(f; y), then repeatedly the one maximising
--             I(f; y) - mean over selected s of I(f; s).  Mutual information
--             is rad.stats.mutual_info's estimator: each numeric variable
--             cut into equal-frequency bins (by default floor(sqrt(n / 5))
--             clamped to 2..10; or `bins =`; a variable with at most that
--             many distinct values is taken as categories), the outcome taken as two categories, and the
--             plug-in (maximum-likelihood) estimate from the joint
--             histogram, in nats; rows with a missing value in either
--             variable are left out pairwise.
--
-- The outcome y must have exactly two distinct non-missing values; the
-- larger number (or the later string in sorted order) is the positive class.
-- select.pipeline chains preprocessing steps (anything with :fit, such as
-- cohort.standardize()) and filters ({"name", options...}); :fit(train)
-- fits every step on the training table only, and :apply(t) transforms t
-- with the fitted parameters and keeps the selected columns plus y and the
-- id columns.

local cohort = require "rad.cohort"

local select = {}

local NA = rad and rad.NA
local isna = cohort._isna
local check_opts = cohort._check_opts
local need_col = cohort._need_col
local level_less = cohort._level_less

local function check_table(t, fname)
  if (type(t) ~= "userdata" and type(t) ~= "table") or type(t.nrow) ~= "function" then
    error(fname .. ": expected a Table as first argument, got " .. type(t), 3)
  end
end

-- Candidate columns: given (checked, numeric) or all numeric but y / ids.
local function candidates(t, cols, fname, exclude)
  local ex = {}
  for _, c in ipairs(exclude or {}) do if c then ex[c] = true end end
  if cols == nil then
    cols = {}
    for _, c in ipairs(t:names()) do
      if not ex[c] and t:type(c) == "number" then cols[#cols + 1] = c end
    end
    return cols
  end
  if type(cols) ~= "table" then error(fname .. ": columns must be a list of names", 3) end
  for _, c in ipairs(cols) do
    need_col(t, c, fname)
    if t:type(c) ~= "number" then
      error(string.format("%s: column '%s' holds strings; feature filters need numeric columns", fname, c), 3)
    end
  end
  return cols
end

-- The outcome as 0/1 numbers (NA kept), with its levels {negative, positive}.
local function binary_y(t, y, fname)
  if y == nil then error(fname .. ": option 'y' (the outcome column) is required", 3) end
  need_col(t, y, fname)
  local col = t:col(y)
  local levels, seen = {}, {}
  for _, v in ipairs(col) do
    if not isna(v) and not seen[v] then seen[v] = true; levels[#levels + 1] = v end
  end
  table.sort(levels, level_less)
  if #levels ~= 2 then
    local show = {}
    for i = 1, math.min(#levels, 5) do show[i] = tostring(levels[i]) end
    error(string.format("%s: outcome '%s' must have exactly two classes, it has %d (%s%s)",
      fname, y, #levels, table.concat(show, ", "), #levels > 5 and ", ..." or ""), 3)
  end
  local out = {}
  for i, v in ipairs(col) do
    if isna(v) then out[i] = NA else out[i] = (v == levels[2]) and 1 or 0 end
  end
  return out, levels
end
select._binary_y = binary_y

-- Values of x split by class (rows with either missing left out).
local function by_class(x, yb)
  local a, b = {}, {}
  for i, v in ipairs(x) do
    local c = yb[i]
    if not isna(v) and not isna(c) then
      if c == 1 then b[#b + 1] = v else a[#a + 1] = v end
    end
  end
  return a, b  -- a: negative class, b: positive class
end

-- AUC = P(positive > negative) + 0.5 P(tie), by mid-ranks (Mann-Whitney).
local function auc_of(neg, pos)
  local n0, n1 = #neg, #pos
  if n0 == 0 or n1 == 0 then return nil end
  local all = {}
  for _, v in ipairs(neg) do all[#all + 1] = {v, 0} end
  for _, v in ipairs(pos) do all[#all + 1] = {v, 1} end
  table.sort(all, function(p, q) return p[1] < q[1] end)
  local rsum, i, n = 0, 1, #all
  while i <= n do
    local j = i
    while j < n and all[j + 1][1] == all[i][1] do j = j + 1 end
    local r = (i + j) / 2
    for m = i, j do if all[m][2] == 1 then rsum = rsum + r end end
    i = j + 1
  end
  return (rsum - n1 * (n1 + 1) / 2) / (n1 * n0)
end
select._auc = auc_of

local function variance(col)
  local _, sd, n = cohort._mean_sd(col)
  if n < 2 then return nil, n end
  return sd * sd, n
end

local function report(cols_in_order)
  local spec = {}
  for _, c in ipairs(cols_in_order) do spec[#spec + 1] = {c[1], c[2]} end
  return rad.table.new(spec)
end

local function kept_list(cols, keep)
  local out = {}
  for _, c in ipairs(cols) do if keep[c] then out[#out + 1] = c end end
  return out
end

local function flags(cols, keep)
  local f = {}
  for i, c in ipairs(cols) do f[i] = keep[c] and 1 or 0 end
  return f
end

local function num_or_na(v) return v == nil and NA or v end

--- select.variance(t, cols, {min = 0}) -> kept, report: drops columns whose variance is <= min.
function select.variance(t, cols, opts)
  check_table(t, "select.variance")
  opts = check_opts(opts, "select.variance", {"min", "y"})
  cols = candidates(t, cols, "select.variance", {opts.y})
  local min = opts.min or 0
  if type(min) ~= "number" or min < 0 then
    error("select.variance: option 'min' must be a number >= 0, got " .. tostring(min), 2)
  end
  local keep, vars = {}, {}
  for i, c in ipairs(cols) do
    local v = variance(t:col(c))
    vars[i] = num_or_na(v)
    keep[c] = v ~= nil and v > min
  end
  return kept_list(cols, keep),
    report{{"feature", cols}, {"variance", vars}, {"kept", flags(cols, keep)}}
end

--- select.near_zero(t, cols, {freq_ratio = 95/5, unique = 10}) -> kept, report: caret's nearZeroVar filter.
function select.near_zero(t, cols, opts)
  check_table(t, "select.near_zero")
  opts = check_opts(opts, "select.near_zero", {"freq_ratio", "unique", "y"})
  cols = candidates(t, cols, "select.near_zero", {opts.y})
  local fcut, ucut = opts.freq_ratio or 95 / 5, opts.unique or 10
  if type(fcut) ~= "number" or fcut < 1 then
    error("select.near_zero: option 'freq_ratio' must be a number >= 1, got " .. tostring(fcut), 2)
  end
  if type(ucut) ~= "number" or ucut < 0 or ucut > 100 then
    error("select.near_zero: option 'unique' must be a percentage in 0..100, got " .. tostring(ucut), 2)
  end
  local n = t:nrow()
  local keep, fr, pu, zv = {}, {}, {}, {}
  for i, c in ipairs(cols) do
    local count, distinct = {}, 0
    for _, v in ipairs(t:col(c)) do
      if not isna(v) then
        if not count[v] then distinct = distinct + 1; count[v] = 0 end
        count[v] = count[v] + 1
      end
    end
    local first, second = 0, 0
    for _, k in pairs(count) do
      if k > first then first, second = k, first elseif k > second then second = k end
    end
    local ratio = distinct <= 1 and 0 or first / second
    local pct = n > 0 and 100 * distinct / n or 0
    local zero = distinct <= 1
    fr[i], pu[i], zv[i] = ratio, pct, zero and 1 or 0
    keep[c] = not (zero or (ratio > fcut and pct <= ucut))
  end
  return kept_list(cols, keep),
    report{{"feature", cols}, {"freq_ratio", fr}, {"percent_unique", pu},
      {"zero_var", zv}, {"kept", flags(cols, keep)}}
end

--- select.univariate(t, cols, {y =, test = "t"|"wilcox"|"auc", p = 0.05, adjust = "BH", top =, min_auc =}) -> kept, report: per-feature two-class tests.
function select.univariate(t, cols, opts)
  local fname = "select.univariate"
  check_table(t, fname)
  opts = check_opts(opts, fname, {"y", "test", "p", "adjust", "top", "min_auc"})
  local yb = binary_y(t, opts.y, fname)
  cols = candidates(t, cols, fname, {opts.y})
  local test = opts.test or "wilcox"
  if test ~= "t" and test ~= "wilcox" and test ~= "auc" then
    error(fname .. ": option 'test' must be \"t\", \"wilcox\" or \"auc\", got " .. tostring(test), 2)
  end
  local adjust = opts.adjust or "BH"
  local pcut = opts.p or 0.05
  if type(pcut) ~= "number" or pcut <= 0 or pcut > 1 then
    error(fname .. ": option 'p' must be a number in (0, 1], got " .. tostring(pcut), 2)
  end
  if opts.top ~= nil and not (math.type(opts.top) == "integer" and opts.top >= 1) then
    error(fname .. ": option 'top' must be a positive integer, got " .. tostring(opts.top), 2)
  end
  if opts.min_auc ~= nil and not (type(opts.min_auc) == "number" and opts.min_auc >= 0.5 and opts.min_auc <= 1) then
    error(fname .. ": option 'min_auc' must be a number in [0.5, 1], got " .. tostring(opts.min_auc), 2)
  end
  local stat, pv, aucs, notes = {}, {}, {}, {}
  local valid_p, valid_i = {}, {}
  for i, c in ipairs(cols) do
    local a, b = by_class(t:col(c), yb)
    aucs[i] = num_or_na(auc_of(a, b))
    notes[i] = ""
    local ok, r
    if #a < 2 or #b < 2 then
      ok, r = false, "fewer than 2 values in a class"
    elseif test == "t" then
      ok, r = pcall(rad.stats.ttest, a, b)
    else
      ok, r = pcall(rad.stats.wilcox, a, b)
    end
    if ok and type(r) == "table" and type(r.p) == "number" and r.p == r.p then
      stat[i] = test == "t" and r.t or (test == "wilcox" and r.w or aucs[i])
      pv[i] = r.p
      valid_p[#valid_p + 1] = r.p
      valid_i[#valid_i + 1] = i
    else
      stat[i], pv[i] = NA, NA
      notes[i] = "no test: " .. tostring(ok and "undefined p-value" or r):gsub("^.-:%d+: ", "")
    end
  end
  local padj = {}
  for i = 1, #cols do padj[i] = NA end
  if #valid_p > 0 then
    local adj = valid_p
    if adjust ~= "none" then
      local ok, r = pcall(rad.stats.p_adjust, valid_p, adjust)
      if not ok then error(fname .. ": option 'adjust': " .. tostring(r), 2) end
      adj = r
    end
    for k, i in ipairs(valid_i) do padj[i] = adj[k] end
  end
  local keep = {}
  if opts.top then
    local order = {}
    for _, i in ipairs(valid_i) do order[#order + 1] = i end
    table.sort(order, function(x, y) if padj[x] ~= padj[y] then return padj[x] < padj[y] end return x < y end)
    for r = 1, math.min(opts.top, #order) do keep[cols[order[r]]] = true end
  elseif opts.min_auc then
    for i, c in ipairs(cols) do
      local a = aucs[i]
      keep[c] = a ~= NA and math.max(a, 1 - a) >= opts.min_auc
    end
  else
    for _, i in ipairs(valid_i) do keep[cols[i]] = padj[i] <= pcut end
  end
  local statname = test == "t" and "t" or (test == "wilcox" and "w" or "auc_stat")
  local spec = {{"feature", cols}, {"auc", aucs}}
  if test ~= "auc" then spec[#spec + 1] = {statname, stat} end
  spec[#spec + 1] = {"p", pv}
  spec[#spec + 1] = {"p_adj", padj}
  spec[#spec + 1] = {"kept", flags(cols, keep)}
  spec[#spec + 1] = {"note", notes}
  return kept_list(cols, keep), report(spec)
end

-- Pairwise-complete copies of two arrays.
local function complete_pair(x, y)
  local a, b = {}, {}
  for i, v in ipairs(x) do
    local w = y[i]
    if not isna(v) and not isna(w) then a[#a + 1] = v; b[#b + 1] = w end
  end
  return a, b
end

-- Correlation of two arrays over the complete pairs (nil when undefined).
local function cor(x, y, method, fname, what)
  local a, b = complete_pair(x, y)
  if #a < 3 then return nil end
  local ok, r = pcall(rad.stats.cor, a, b, method)
  if not ok then error(fname .. ": " .. what .. ": " .. tostring(r), 3) end
  if r ~= r then return nil end  -- a constant column: no correlation
  return r
end

--- select.redundancy(t, cols, {threshold = 0.9, method = "spearman", y =}) -> kept, report: drops the less outcome-related feature of each highly correlated pair.
function select.redundancy(t, cols, opts)
  local fname = "select.redundancy"
  check_table(t, fname)
  opts = check_opts(opts, fname, {"threshold", "method", "y"})
  cols = candidates(t, cols, fname, {opts.y})
  local thr, method = opts.threshold or 0.9, opts.method or "spearman"
  if type(thr) ~= "number" or thr <= 0 or thr > 1 then
    error(fname .. ": option 'threshold' must be a number in (0, 1], got " .. tostring(thr), 2)
  end
  if method ~= "spearman" and method ~= "pearson" then
    error(fname .. ": option 'method' must be \"spearman\" or \"pearson\", got " .. tostring(method), 2)
  end
  local rel = {}
  local data = {}
  for i, c in ipairs(cols) do data[i] = t:col(c) end
  if opts.y then
    need_col(t, opts.y, fname)
    local binary = true
    local ycol
    do
      local ok, yb = pcall(binary_y, t, opts.y, fname)
      if ok then ycol = yb else binary = false; ycol = t:col(opts.y) end
    end
    if not binary and t:type(opts.y) ~= "number" then
      error(fname .. ": outcome '" .. opts.y .. "' must be binary or numeric", 2)
    end
    for i = 1, #cols do
      local r
      if binary then
        local a, b = by_class(data[i], ycol)
        local auc = auc_of(a, b)
        r = auc and math.abs(auc - 0.5) or nil
      else
        r = cor(data[i], ycol, method, fname, "outcome '" .. opts.y .. "'")
        r = r and math.abs(r)
      end
      rel[i] = r or 0
    end
  else
    for i = 1, #cols do rel[i] = 0 end
  end
  local order = {}
  for i = 1, #cols do order[i] = i end
  table.sort(order, function(a, b) if rel[a] ~= rel[b] then return rel[a] > rel[b] end return a < b end)
  -- the correlation matrix in one engine call (pairwise complete rows);
  -- a column of it is read into Lua only once its feature is kept
  local ok, M = pcall(rad.stats.cor_matrix, t, {method = method, cols = cols})
  if not ok then error(fname .. ": " .. tostring(M), 2) end
  local mrow = {}
  for i, f in ipairs(M:col("feature")) do mrow[f] = i end
  local mcol = {}
  local kept_idx, keep, because, rmax = {}, {}, {}, {}
  for _, i in ipairs(order) do
    local worst, with = 0, nil
    local ri = mrow[cols[i]]
    for _, j in ipairs(kept_idx) do
      local cj = mcol[j]
      if not cj then cj = M:col(cols[j]); mcol[j] = cj end
      local r = cj[ri]
      if isna(r) then r = nil end  -- a constant column: no correlation
      if r and math.abs(r) > worst then worst, with = math.abs(r), j end
      if worst > thr then break end
    end
    rmax[i] = worst
    if worst > thr then
      because[i] = cols[with]
    else
      kept_idx[#kept_idx + 1] = i
      keep[cols[i]] = true
      because[i] = ""
    end
  end
  local relcol = {}
  for i = 1, #cols do relcol[i] = opts.y and rel[i] or NA end
  return kept_list(cols, keep),
    report{{"feature", cols}, {"relevance", relcol}, {"max_abs_cor", rmax},
      {"redundant_with", because}, {"kept", flags(cols, keep)}}
end

local function mi(x, y, bins, fname, what)
  local a, b = complete_pair(x, y)
  if #a < 2 then return 0 end
  local ok, r = pcall(rad.stats.mutual_info, a, b, bins and {bins = bins} or nil)
  if not ok then error(fname .. ": " .. what .. ": " .. tostring(r), 3) end
  if r ~= r then error(fname .. ": " .. what .. ": mutual information is undefined", 3) end
  return r
end

--- select.mrmr(t, cols, {y =, k = 10, bins =}) -> kept, report: mutual-information mRMR (MID criterion), kept in selection order.
function select.mrmr(t, cols, opts)
  local fname = "select.mrmr"
  check_table(t, fname)
  opts = check_opts(opts, fname, {"y", "k", "bins"})
  local yb = binary_y(t, opts.y, fname)
  local ylab = {}
  for i, v in ipairs(yb) do ylab[i] = isna(v) and NA or (v == 1 and "pos" or "neg") end
  cols = candidates(t, cols, fname, {opts.y})
  local k = opts.k or math.min(10, #cols)
  if not (type(k) == "number" and k == math.floor(k) and k >= 1) then
    error(fname .. ": option 'k' must be a positive integer, got " .. tostring(k), 2)
  end
  k = math.min(k, #cols)
  local data, relevance = {}, {}
  for i, c in ipairs(cols) do
    data[i] = t:col(c)
    relevance[i] = mi(data[i], ylab, opts.bins, fname, "column '" .. c .. "'")
  end
  local chosen, is_chosen, redsum = {}, {}, {}
  local rank, score = {}, {}
  for i = 1, #cols do redsum[i] = 0; rank[i] = NA; score[i] = NA end
  for step = 1, k do
    local best, bestscore = nil, -math.huge
    for i = 1, #cols do
      if not is_chosen[i] then
        local s = relevance[i] - (step > 1 and redsum[i] / (step - 1) or 0)
        if s > bestscore then best, bestscore = i, s end
      end
    end
    chosen[step], is_chosen[best] = best, true
    rank[best], score[best] = step, bestscore
    if step < k then
      for i = 1, #cols do
        if not is_chosen[i] then
          redsum[i] = redsum[i] + mi(data[i], data[best], opts.bins, fname,
            "columns '" .. cols[i] .. "' and '" .. cols[best] .. "'")
        end
      end
    end
  end
  local kept, keep = {}, {}
  for s, i in ipairs(chosen) do kept[s] = cols[i]; keep[cols[i]] = true end
  return kept, report{{"feature", cols}, {"relevance", relevance}, {"rank", rank},
    {"score", score}, {"kept", flags(cols, keep)}}
end

-- ---- pipelines ------------------------------------------------------------------

local filters = {
  variance = select.variance, near_zero = select.near_zero, univariate = select.univariate,
  redundancy = select.redundancy, mrmr = select.mrmr,
}
local needs_y = {univariate = true, mrmr = true, redundancy = true}

local Pipeline = {}
Pipeline.__index = Pipeline
Pipeline.__name = "rad.Pipeline"

--- select.pipeline{y =, id = {...}, cols = {...}, steps...} -> pipeline: preprocessing steps and filters, fitted with :fit(train).
function select.pipeline(spec)
  if type(spec) ~= "table" then
    error("select.pipeline: expected a table {y = ..., step, step, ...}", 2)
  end
  for k in pairs(spec) do
    if math.type(k) ~= "integer" and k ~= "y" and k ~= "id" and k ~= "cols" then
      error("select.pipeline: unknown option '" .. tostring(k) .. "' (allowed: y, id, cols, and steps)", 2)
    end
  end
  local steps = {}
  for i, s in ipairs(spec) do
    if type(s) == "table" and type(s.fit) == "function" then
      steps[i] = {kind = "prep", step = s, name = s.step or "step"}
    elseif type(s) == "table" and type(s[1]) == "string" and filters[s[1]] then
      local opts = {}
      for k, v in pairs(s) do if k ~= 1 then opts[k] = v end end
      steps[i] = {kind = "filter", name = s[1], opts = opts}
    else
      local names = {}
      for n in pairs(filters) do names[#names + 1] = n end
      table.sort(names)
      error(string.format("select.pipeline: step %d is neither a preprocessing step (with :fit) " ..
        "nor a filter {\"name\", options} with name one of %s", i, table.concat(names, ", ")), 2)
    end
  end
  local id = spec.id or {}
  if type(id) == "string" then id = {id} end
  return setmetatable({steps = steps, y = spec.y, id = id, cols = spec.cols}, Pipeline)
end

local function with_keys(t, cols, y, id)
  local out, seen = {}, {}
  local names = {}
  for _, n in ipairs(t:names()) do names[n] = true end
  local function add(c) if c and names[c] and not seen[c] then seen[c] = true; out[#out + 1] = c end end
  for _, c in ipairs(id) do add(c) end
  add(y)
  for _, c in ipairs(cols) do add(c) end
  return out
end

--- Pipeline:fit(train) -> fitted: fits every step on the training table only (fitted.selected, fitted.report, fitted:apply(t)).
function Pipeline:fit(train)
  check_table(train, "Pipeline:fit")
  local y, id = self.y, self.id
  if y then need_col(train, y, "Pipeline:fit") end
  for _, c in ipairs(id) do need_col(train, c, "Pipeline:fit") end
  local exclude = {y}
  for _, c in ipairs(id) do exclude[#exclude + 1] = c end
  local cur = candidates(train, self.cols, "Pipeline:fit", exclude)
  local initial = cur
  local dropped_at = {}
  local fitted_steps, reports = {}, {}
  local data = train
  for i, s in ipairs(self.steps) do
    if s.kind == "prep" then
      local f = s.step:fit(data, cur)
      fitted_steps[#fitted_steps + 1] = f
      data = f:apply(data)
      local present = {}
      for _, n in ipairs(data:names()) do present[n] = true end
      local still = {}
      for _, c in ipairs(cur) do
        if present[c] then still[#still + 1] = c else dropped_at[c] = dropped_at[c] or (i .. ":" .. s.name) end
      end
      cur = still
    else
      local opts = {}
      for k, v in pairs(s.opts) do opts[k] = v end
      if opts.y == nil then opts.y = y end
      if needs_y[s.name] and s.name ~= "redundancy" and not opts.y then
        error("Pipeline:fit: step " .. i .. " (" .. s.name .. ") needs the outcome: give y = in select.pipeline{...}", 2)
      end
      if #cur == 0 then
        error("Pipeline:fit: no candidate feature is left before step " .. i .. " (" .. s.name .. ")", 2)
      end
      local kept, rep = filters[s.name](data, cur, opts)
      reports[#reports + 1] = {step = s.name, report = rep}
      local keep = {}
      for _, c in ipairs(kept) do keep[c] = true end
      for _, c in ipairs(cur) do
        if not keep[c] then dropped_at[c] = dropped_at[c] or (i .. ":" .. s.name) end
      end
      cur = kept
    end
  end
  local stepcol, keptcol = {}, {}
  for j, c in ipairs(initial) do
    stepcol[j] = dropped_at[c] or ""
    keptcol[j] = dropped_at[c] and 0 or 1
  end
  local fitted = {
    selected = cur, steps = fitted_steps, reports = reports, y = y, id = id,
    report = rad.table.new{{"feature", initial}, {"dropped_at", stepcol}, {"kept", keptcol}},
  }
  --- fitted:apply(t) -> Table: the fitted preprocessing applied to t, restricted to id, y and the selected columns.
  function fitted.apply(f, t)
    check_table(t, "Pipeline:apply")
    for _, c in ipairs(f.selected) do need_col(t, c, "Pipeline:apply") end
    local d = t
    for _, st in ipairs(f.steps) do d = st:apply(d) end
    return d:select(with_keys(d, f.selected, f.y, f.id))
  end
  return fitted
end

return (require("rad.doc").register(select, "select")) -- not a tail call: register reads this file
