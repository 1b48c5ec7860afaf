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
--   local surv = select.pipeline({
--     select.variance{}, select.univariate{test = "cox_wald", alpha = 0.05},
--     select.redundancy{threshold = 0.9, by = "cox_z"},
--     select.stability{step = select.lasso_cox{lambda = "1se"}, B = 100},
--   }, {time = "efs", event = "efs_event", id = "patient"}):fit(train)
--   for _, s in ipairs(surv.trace) do print(s.step, s.kept) end
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
-- Survival outcomes (time =, event = instead of y; time >= 0, event 0/1):
-- univariate  per feature a Cox fit (rad.cox, Efron ties) on the rows where
--             time, event and the feature are all present (the report's n
--             and note say how many were left out; info.missing per feature);
--             test = "cox_wald" (Wald p, default), "cox_score" (the score =
--             log-rank test, as coxph prints for one covariate) or "cindex"
--             (z = (C - 0.5) / SE, Harrell's C of the feature with
--             rad.concordance's infinitesimal-jackknife SE); p adjusted
--             across features (adjust = "BH"), kept when q < alpha (0.05) or
--             the `top` k smallest p.  The report: feature, n, hr, z, p, q,
--             c_index (of the feature itself, higher = higher risk), kept,
--             note.  A constant feature is dropped with a note, not an error.
-- redundancy  as above, relevance by = "cox_z" (|Wald z|, default) or
--             "cindex" (|C - 0.5|); ties go to the earlier candidate.  Each
--             kept feature and those dropped for it form a cluster (report
--             column `cluster`; info.clusters = {{kept =, members = {...}}}).
--
-- Selection steps for select.pipeline: select.<filter>{options} (variance,
-- near_zero, univariate, redundancy, mrmr), select.lasso_cox{...},
-- select.lasso_logistic{...} and select.stability{step = ...} return step
-- objects; step:fit(train [, cols [, {time =, event =} or {y =}]]) ->
-- fitted with .keep, .table, .method (a phrase for a methods section) and
-- :apply(t) (the outcome columns and the kept features).  A step that keeps
-- no feature stops with an error naming the step and why.
-- lasso_cox / lasso_logistic  rad.coxnet_cv / rad.glmnet_logistic_cv with
--             alpha (1 = lasso), folds, seed, standardize; kept: the non-zero
--             coefficients at lambda = "1se" (default) or "min";
--             fitted.coefficients (feature, coef), fitted.cv, fitted.lambda.
-- stability   the inner step on B (100) resamples drawn from rad.rng seeded
--             with `seed`: subsamples of a fraction `sample` (0.5, without
--             replacement, round(sample * n) rows of each stratum) or
--             "bootstrap" (n of each stratum with replacement), stratified by
--             the event indicator (survival) or the class (binary); kept when
--             selected in a fraction >= threshold (0.6) of them;
--             fitted.frequency (feature, frequency, kept).
--
-- The outcome y must have exactly two distinct non-missing values; the
-- larger number (or the later string in sorted order) is the positive class.
-- select.pipeline chains preprocessing steps (anything with :fit, such as
-- cohort.standardize()) and filters ({"name", options...}); :fit(train)
-- fits every step on the training table only, and :apply(t) transforms t
-- with the fitted parameters and keeps the selected columns plus y (or time
-- and event) and the id columns.  A survival pipeline gets time and event
-- once (select.pipeline({steps...}, {time =, event =, id =, cols =}) or the
-- same keys in the steps table) and hands them to every step.
-- fitted.trace = {{step = "variance", kept = 812, method = "..."}, ...}
-- counts the features left after each step, for the methods text.

local cohort = require "rad.cohort"
local rng = require "rad.rng"

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
  -- exclude may have holes ({opts.y, opts.time}): walk it by pairs
  for _, c in pairs(exclude or {}) do if c then ex[c] = true end end
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

-- ---- survival outcomes ---------------------------------------------------------

local function fmtnum(v) return string.format("%.6g", v) end

-- Checks a survival outcome (time >= 0, event 0/1, at least one event in the
-- rows where both are present) and returns the two columns.
local function surv_outcome(t, time, event, fname)
  if time == nil or event == nil then
    error(string.format("%s: a survival outcome needs both 'time' and 'event' (column names); got %s",
      fname, time == nil and "no 'time'" or "no 'event'"), 3)
  end
  need_col(t, time, fname)
  need_col(t, event, fname)
  for _, c in ipairs{time, event} do
    if t:type(c) ~= "number" then
      error(string.format("%s: %s column '%s' holds text; it must hold numbers", fname,
        c == time and "time" or "event", c), 3)
    end
  end
  local tc, ec = t:col(time), t:col(event)
  local events = 0
  for i, v in ipairs(tc) do
    if not isna(v) and v < 0 then
      error(string.format("%s: time '%s' is negative (%s) in row %d; follow-up times must be >= 0",
        fname, time, fmtnum(v), i), 3)
    end
  end
  for i, v in ipairs(ec) do
    if not isna(v) then
      if v ~= 0 and v ~= 1 then
        error(string.format("%s: event '%s' must be 0 (censored) or 1 (event), but row %d has %s; recode it",
          fname, event, i, fmtnum(v)), 3)
      end
      if v == 1 and not isna(tc[i]) then events = events + 1 end
    end
  end
  if events == 0 then
    error(string.format("%s: event '%s' has no events (every row is censored or missing); " ..
      "survival selection needs at least one event", fname, event), 3)
  end
  return tc, ec
end
select._surv_outcome = surv_outcome

-- Two-sided standard-normal p-value 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2):
-- the series erf x = 2/sqrt(pi) exp(-x^2) sum_k 2^k x^(2k+1) / (1 3 ... (2k+1))
-- below x = 0.5 (where erfc > 0.47, so 1 - erf loses nothing), Laplace's
-- continued fraction of erfc above, evaluated bottom-up from 1000 terms
-- (Abramowitz & Stegun 7.1.6 and 7.1.14); about 1e-15 relative throughout.
local function normal_p(z)
  local x = math.abs(z) / math.sqrt(2)
  if x < 0.5 then
    local term, sum, k = x, x, 0
    while term > 1e-17 * sum do
      k = k + 1
      term = term * 2 * x * x / (2 * k + 1)
      sum = sum + term
    end
    return 1 - 2 / math.sqrt(math.pi) * math.exp(-x * x) * sum
  end
  local f = x
  for k = 1000, 1, -1 do f = x + (k / 2) / f end
  return math.exp(-x * x) / (math.sqrt(math.pi) * f)
end
select._normal_p = normal_p

-- One feature against (time, event) on the rows where all three are present:
-- a univariate Cox fit (Wald z and p, score p, HR) and Harrell's C of the
-- feature itself (higher value = higher risk) with its standard error.
-- Returns a record; rec.note says why a statistic is missing.
local function cox_one(tc, ec, x)
  local tt, ee, xx = {}, {}, {}
  local first, spread, events = nil, false, 0
  for i, v in ipairs(x) do
    if not isna(v) and not isna(tc[i]) and not isna(ec[i]) then
      local k = #xx + 1
      tt[k], ee[k], xx[k] = tc[i], ec[i], v
      if ee[k] == 1 then events = events + 1 end
      if first == nil then first = v elseif v ~= first then spread = true end
    end
  end
  local rec = {n = #xx, missing = #x - #xx, note = ""}
  if rec.missing > 0 then
    rec.note = string.format("%d row%s with a missing value left out (complete cases)",
      rec.missing, rec.missing == 1 and "" or "s")
  end
  local function why(text) rec.note = rec.note == "" and text or (rec.note .. "; " .. text) end
  if #xx < 2 or not spread then
    why(string.format("constant in the %d complete rows: dropped", #xx))
    rec.constant = true
    return rec
  end
  if events == 0 then why("no events in the complete rows: dropped"); return rec end
  local sub = rad.table.new{{"time", tt}, {"event", ee}, {"x", xx}}
  local ok, fit = pcall(rad.cox, sub, {time = "time", event = "event", x = {"x"}})
  if not ok then why("no Cox fit: " .. tostring(fit):gsub("^.-:%d+: ", "")); return rec end
  if not isna(fit.z.x) then
    rec.hr, rec.z, rec.p_wald = fit.hr.x, fit.z.x, fit.p.x
    rec.p_score = fit.score.p
  else
    why("no Cox coefficient")
  end
  if fit.warning then why(fit.warning) end
  local okc, c = pcall(rad.concordance, sub, {time = "time", event = "event", score = "x"})
  if okc and c.harrell == c.harrell then rec.c, rec.c_se = c.harrell, c.harrell_se end
  return rec
end

--- select.variance(t, cols, {min = 0}) -> kept, report: drops columns whose variance is <= min; select.variance{min =} -> a pipeline step.
function select.variance(t, cols, opts)
  if select._is_opts(t, cols, opts) then return select._step("variance", t) end
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

--- select.near_zero(t, cols, {freq_ratio = 95/5, unique = 10}) -> kept, report: caret's nearZeroVar filter; select.near_zero{...} -> a pipeline step.
function select.near_zero(t, cols, opts)
  if select._is_opts(t, cols, opts) then return select._step("near_zero", t) end
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

-- Univariate Cox screening: per feature a Cox fit on its complete cases,
-- p from the Wald test, the score (log-rank) test or Harrell's C
-- (z = (C - 0.5) / SE), adjusted across features; kept when q < alpha or the
-- `top` smallest p.
local function surv_univariate(t, cols, opts, fname)
  if opts.y ~= nil then
    error(fname .. ": give either y (a binary outcome) or time and event (a survival outcome), not both", 3)
  end
  for _, k in ipairs{"p", "min_auc"} do
    if opts[k] ~= nil then
      error(string.format("%s: option '%s' is for a binary outcome; with time and event use alpha = " ..
        "(keep q < alpha) or top = k", fname, k), 3)
    end
  end
  local tc, ec = surv_outcome(t, opts.time, opts.event, fname)
  cols = candidates(t, cols, fname, {opts.time, opts.event})
  local test = opts.test or "cox_wald"
  if test ~= "cox_wald" and test ~= "cox_score" and test ~= "cindex" then
    error(fname .. ": option 'test' with a survival outcome must be \"cox_wald\", \"cox_score\" or " ..
      "\"cindex\", got " .. tostring(test), 3)
  end
  local adjust = opts.adjust or "BH"
  if type(adjust) ~= "string" then
    error(fname .. ": option 'adjust' must be \"BH\", \"bonferroni\", \"holm\" or \"none\", got " .. tostring(adjust), 3)
  end
  local alpha = opts.alpha or 0.05
  if type(alpha) ~= "number" or alpha <= 0 or alpha > 1 then
    error(fname .. ": option 'alpha' must be a number in (0, 1], got " .. tostring(alpha), 3)
  end
  if opts.top ~= nil and not (math.type(opts.top) == "integer" and opts.top >= 1) then
    error(fname .. ": option 'top' must be a positive integer, got " .. tostring(opts.top), 3)
  end
  local hr, z, pv, cidx, ncol, notes = {}, {}, {}, {}, {}, {}
  local valid_p, valid_i = {}, {}
  local missing = {}
  for i, c in ipairs(cols) do
    local r = cox_one(tc, ec, t:col(c))
    hr[i], z[i], cidx[i], ncol[i], notes[i] = num_or_na(r.hr), num_or_na(r.z), num_or_na(r.c), r.n, r.note
    if r.missing > 0 then missing[c] = r.missing end
    local p
    if test == "cox_wald" then p = r.p_wald
    elseif test == "cox_score" then p = r.p_score
    elseif r.c and r.c_se and r.c_se > 0 then p = normal_p((r.c - 0.5) / r.c_se)
    end
    if p and p == p then
      pv[i] = p
      valid_p[#valid_p + 1] = p
      valid_i[#valid_i + 1] = i
    else
      pv[i] = NA
      if r.note == "" then notes[i] = "no p-value" end
    end
  end
  local q = {}
  for i = 1, #cols do q[i] = NA end
  if #valid_p > 0 then
    local adj = valid_p
    if adjust ~= "none" then
      local ok, r = pcall(rad.stats.p_adjust, valid_p, adjust)
      if not ok then error(fname .. ": option 'adjust': " .. tostring(r):gsub("^.-:%d+: ", ""), 3) end
      adj = r
    end
    for k, i in ipairs(valid_i) do q[i] = adj[k] end
  end
  local keep, why = {}, nil
  if opts.top then
    local order = {}
    for _, i in ipairs(valid_i) do order[#order + 1] = i end
    table.sort(order, function(a, b) if pv[a] ~= pv[b] then return pv[a] < pv[b] end return a < b end)
    for r = 1, math.min(opts.top, #order) do keep[cols[order[r]]] = true end
    if #order == 0 then why = "no feature has a p-value (all constant, without events or failed fits; see the notes)" end
  else
    local best
    for _, i in ipairs(valid_i) do
      keep[cols[i]] = q[i] < alpha
      if not best or q[i] < q[best] then best = i end
    end
    if best then
      why = string.format("no feature has %s q < %s (smallest q = %s, feature '%s'); raise alpha or use top = k",
        adjust == "none" and "unadjusted" or adjust .. "-adjusted", fmtnum(alpha), fmtnum(q[best]), cols[best])
    else
      why = "no feature has a p-value (all constant, without events or failed fits; see the notes)"
    end
  end
  local kept = kept_list(cols, keep)
  local rep = report{{"feature", cols}, {"n", ncol}, {"hr", hr}, {"z", z}, {"p", pv}, {"q", q},
    {"c_index", cidx}, {"kept", flags(cols, keep)}, {"note", notes}}
  local nmiss = 0
  for _ in pairs(missing) do nmiss = nmiss + 1 end
  return kept, rep, {why = #kept == 0 and why or nil, missing = missing, n_missing = nmiss,
    method = string.format("univariate Cox screening (%s p, %s)", test == "cox_wald" and "Wald"
      or (test == "cox_score" and "score (log-rank)" or "Harrell's C"),
      opts.top and ("top " .. opts.top .. " by p")
      or ((adjust == "none" and "unadjusted" or adjust) .. " q < " .. fmtnum(alpha)))}
end

--- select.univariate(t, cols, {y =, test = "t"|"wilcox"|"auc", p = 0.05, adjust = "BH", top =, min_auc =} or {time =, event =, test = "cox_wald"|"cox_score"|"cindex", alpha = 0.05, adjust = "BH", top =}) -> kept, report, info: per-feature two-class tests or univariate Cox screening; select.univariate{options} -> a pipeline step.
function select.univariate(t, cols, opts)
  local fname = "select.univariate"
  if select._is_opts(t, cols, opts) then return select._step("univariate", t) end
  check_table(t, fname)
  opts = check_opts(opts, fname, {"y", "test", "p", "adjust", "top", "min_auc", "time", "event", "alpha"})
  if opts.time ~= nil or opts.event ~= nil then return surv_univariate(t, cols, opts, fname) end
  if opts.alpha ~= nil then
    error(fname .. ": option 'alpha' is for a survival outcome (time, event); with a binary y use p =", 2)
  end
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
  local kept = kept_list(cols, keep)
  local why
  if #kept == 0 then
    why = opts.min_auc and ("no feature has max(AUC, 1 - AUC) >= " .. fmtnum(opts.min_auc))
      or (#valid_p == 0 and "no feature has a p-value (see the notes)")
      or string.format("no feature has %s p <= %s; raise p or use top = k",
        adjust == "none" and "unadjusted" or adjust .. "-adjusted", fmtnum(pcut))
  end
  return kept, report(spec), {why = why, method = "univariate " ..
    (test == "t" and "Welch t test" or (test == "wilcox" and "Mann-Whitney U test" or "AUC")) ..
    (opts.top and (", top " .. opts.top) or (opts.min_auc and (", AUC >= " .. fmtnum(opts.min_auc))
      or (", " .. (adjust == "none" and "unadjusted" or adjust) .. " p <= " .. fmtnum(pcut))))}
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

--- select.redundancy(t, cols, {threshold = 0.9, method = "spearman", y = | time =, event =, by = "cox_z"|"cindex"}) -> kept, report, info: drops the less outcome-related feature of each highly correlated pair (info.clusters); select.redundancy{options} -> a pipeline step.
function select.redundancy(t, cols, opts)
  local fname = "select.redundancy"
  if select._is_opts(t, cols, opts) then return select._step("redundancy", t) end
  check_table(t, fname)
  opts = check_opts(opts, fname, {"threshold", "method", "y", "time", "event", "by"})
  local surv = opts.time ~= nil or opts.event ~= nil
  local tc, ec
  if surv then
    if opts.y ~= nil then
      error(fname .. ": give either y (a binary or numeric outcome) or time and event (a survival outcome), not both", 2)
    end
    tc, ec = surv_outcome(t, opts.time, opts.event, fname)
  end
  local by = opts.by
  if by ~= nil and not surv then
    error(fname .. ": option 'by' chooses the survival relevance; it needs time = and event =", 2)
  end
  by = by or "cox_z"
  if by ~= "cox_z" and by ~= "cindex" then
    error(fname .. ": option 'by' must be \"cox_z\" (|Wald z| of a univariate Cox fit) or " ..
      "\"cindex\" (|C - 0.5|), got " .. tostring(by), 2)
  end
  cols = candidates(t, cols, fname, {opts.y, opts.time, opts.event})
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
  if surv then
    for i = 1, #cols do
      local r = cox_one(tc, ec, data[i])
      local v
      if by == "cox_z" then v = r.z and math.abs(r.z) else v = r.c and math.abs(r.c - 0.5) end
      rel[i] = v or 0
    end
  elseif opts.y then
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
  local relcol, clustercol = {}, {}
  for i = 1, #cols do
    relcol[i] = (opts.y or surv) and rel[i] or NA
    clustercol[i] = because[i] ~= "" and because[i] or cols[i]
  end
  -- clusters: each kept feature with the features dropped because of it
  -- (in the order of the candidates), listed in the order they were kept
  local clusters, members = {}, {}
  for _, i in ipairs(kept_idx) do members[cols[i]] = {cols[i]} end
  for i = 1, #cols do
    if because[i] ~= "" then table.insert(members[because[i]], cols[i]) end
  end
  for _, i in ipairs(kept_idx) do
    local m = members[cols[i]]
    if #m > 1 then clusters[#clusters + 1] = {kept = cols[i], members = m} end
  end
  local relname = surv and (by == "cox_z" and "|Cox z|" or "|C - 0.5|")
    or (opts.y and "outcome relevance" or "column order")
  return kept_list(cols, keep),
    report{{"feature", cols}, {"relevance", relcol}, {"max_abs_cor", rmax},
      {"redundant_with", because}, {"kept", flags(cols, keep)}, {"cluster", clustercol}},
    {clusters = clusters, method = string.format("redundancy filter (%s |r| > %s, keeping the feature with the larger %s)",
      method == "spearman" and "Spearman" or "Pearson", fmtnum(thr), relname)}
end

local function mi(x, y, bins, fname, what)
  local a, b = complete_pair(x, y)
  if #a < 2 then return 0 end
  local ok, r = pcall(rad.stats.mutual_info, a, b, bins and {bins = bins} or nil)
  if not ok then error(fname .. ": " .. what .. ": " .. tostring(r), 3) end
  if r ~= r then error(fname .. ": " .. what .. ": mutual information is undefined", 3) end
  return r
end

--- select.mrmr(t, cols, {y =, k = 10, bins =}) -> kept, report: mutual-information mRMR (MID criterion), kept in selection order; select.mrmr{...} -> a pipeline step.
function select.mrmr(t, cols, opts)
  if select._is_opts(t, cols, opts) then return select._step("mrmr", t) end
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

-- ---- selection steps --------------------------------------------------------------
-- A step is an object made by select.<name>{options}; step:fit(train [, cols
-- [, outcome]]) fits it on the training table and returns a fitted step with
-- .keep (the kept features), .table (one row per candidate), .method (a
-- phrase for a methods section) and :apply(t).  `outcome` ({y =} or {time =,
-- event =}) is how select.pipeline hands its outcome to the steps; options
-- given to the step itself win.

local Step = {}
Step.__index = Step
Step.__name = "rad.SelectStep"

local step_defs = {}

-- "a, b, c" for at most `max` names, then "... (n in all)"
local function name_list(list, max)
  local out = {}
  for i = 1, math.min(#list, max) do out[i] = list[i] end
  return table.concat(out, ", ") .. (#list > max and (", ... (" .. #list .. " in all)") or "")
end

local FittedStep = {__name = "rad.FittedSelectStep"}
FittedStep.__tostring = function(f)
  return string.format("fitted select.%s: %s\nkept %d of %d features: %s", f.step, f.method,
    #f.keep, #f.candidates, name_list(f.keep, 10))
end

local function is_opts(t, cols, opts)
  return type(t) == "table" and t.nrow == nil and cols == nil and opts == nil
end
select._is_opts = is_opts

local function copy(tbl)
  local out = {}
  for k, v in pairs(tbl or {}) do out[k] = v end
  return out
end

function select._step(name, opts)
  local def = step_defs[name]
  local fname = "select." .. name
  opts = check_opts(copy(opts), fname, def.allowed)
  if def.check then def.check(opts, fname) end
  return setmetatable({step = name, select_step = true, opts = opts}, Step)
end

function Step.__tostring(s)
  local keys = {}
  for k in pairs(s.opts) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local v = s.opts[k]
    parts[#parts + 1] = k .. " = " .. (type(v) == "string" and string.format("%q", v) or tostring(v))
  end
  return "select." .. s.step .. "{" .. table.concat(parts, ", ") .. "}"
end

-- The outcome a step uses: its own options first, then the pipeline's.
local function step_outcome(def, opts, outcome)
  outcome = outcome or {}
  if opts.y == nil and opts.time == nil and opts.event == nil then
    if def.surv and outcome.time ~= nil then
      opts.time, opts.event = outcome.time, outcome.event
    elseif def.y and outcome.y ~= nil then
      opts.y = outcome.y
    end
  end
  if def.needs and opts.y == nil and opts.time == nil and opts.event == nil then
    local want = def.surv and def.y and "y = (a binary outcome) or time = and event = (a survival outcome)"
      or (def.surv and "time = and event =" or "y =")
    error(string.format("select.%s: needs the outcome: give %s to the step or to select.pipeline", def.name, want), 3)
  end
  return opts
end

--- step:fit(train [, cols [, outcome]]) -> fitted: fits a selection step on the training table (fitted.keep, fitted.table, fitted:apply(t)).
function Step:fit(train, cols, outcome, ctx)
  local def = step_defs[self.step]
  local fname = "select." .. self.step
  check_table(train, fname .. ":fit")
  local opts = step_outcome(def, copy(self.opts), outcome)
  if cols == nil then
    local ex, o = {}, outcome or {}
    local io = opts.step and getmetatable(opts.step) == Step and opts.step.opts or {}
    for _, src in ipairs{opts, o, io} do
      for _, k in ipairs{"y", "time", "event"} do if src[k] ~= nil then ex[#ex + 1] = src[k] end end
    end
    cols = candidates(train, nil, fname, ex)
  end
  if #cols == 0 then error(fname .. ": no candidate feature to select from", 2) end
  local ok, kept, rep, info = pcall(def.fit, train, cols, opts, outcome or {})
  if not ok then error(tostring(kept):gsub("^.-:%d+: ", ""), 2) end
  info = info or {}
  if #kept == 0 and not (ctx and ctx.allow_empty) then
    error(string.format("%s: kept no feature of the %d candidate%s: %s", fname, #cols, #cols == 1 and "" or "s",
      info.why or ("none passed " .. self.step)), 2)
  end
  local keys = {}
  for _, k in ipairs{"time", "event", "y"} do if opts[k] ~= nil then keys[#keys + 1] = opts[k] end end
  local fitted = {step = self.step, keep = kept, selected = kept, table = rep,
    method = info.method or self.step, candidates = cols, outcome_cols = keys}
  for k, v in pairs(info) do if fitted[k] == nil and k ~= "why" then fitted[k] = v end end
  setmetatable(fitted, FittedStep)
  function fitted.apply(f, t)
    check_table(t, fname .. ":apply")
    for _, c in ipairs(f.keep) do need_col(t, c, fname .. ":apply") end
    local present, use = {}, {}
    for _, n in ipairs(t:names()) do present[n] = true end
    local seen = {}
    for _, c in ipairs(f.outcome_cols) do
      if present[c] then use[#use + 1] = c; seen[c] = true end
    end
    for _, c in ipairs(f.keep) do if not seen[c] then use[#use + 1] = c end end
    return t:select(use)
  end
  return fitted
end

local function simple(fn, name, describe)
  return function(train, cols, opts)
    local kept, rep, info = fn(train, cols, opts)
    info = info or {}
    info.method = info.method or (describe and describe(opts, cols)) or name
    if #kept == 0 and not info.why then info.why = "no feature passed the " .. name .. " filter" end
    return kept, rep, info
  end
end

local function check_lambda_opts(opts, fname)
  local l = opts.lambda or "1se"
  if l ~= "1se" and l ~= "min" then
    error(fname .. ": option 'lambda' must be \"1se\" (lambda_1se) or \"min\" (lambda_min), got " .. tostring(l), 4)
  end
  if opts.alpha ~= nil and not (type(opts.alpha) == "number" and opts.alpha > 0 and opts.alpha <= 1) then
    error(fname .. ": option 'alpha' (elastic-net mixing) must be a number in (0, 1], got " .. tostring(opts.alpha), 4)
  end
  if opts.standardize ~= nil and type(opts.standardize) ~= "boolean" then
    error(fname .. ": option 'standardize' must be true or false, got " .. tostring(opts.standardize), 4)
  end
end

-- Penalised regression with CV (rad.coxnet_cv or rad.glmnet_logistic_cv):
-- the non-zero coefficients at lambda_1se or lambda_min.
local function lasso_fit(kind)
  local fname = "select.lasso_" .. kind
  return function(train, cols, opts)
    local cvopts = {x = cols, alpha = opts.alpha or 1, folds = opts.folds or 10, seed = opts.seed or 1}
    if opts.standardize ~= nil then cvopts.standardize = opts.standardize end
    local ok, cv
    if kind == "cox" then
      surv_outcome(train, opts.time, opts.event, fname)
      cvopts.time, cvopts.event = opts.time, opts.event
      ok, cv = pcall(rad.coxnet_cv, train, cvopts)
    else
      if opts.time ~= nil or opts.event ~= nil then
        error(fname .. ": lasso_logistic takes a binary y; for time and event use select.lasso_cox", 3)
      end
      binary_y(train, opts.y, fname)
      cvopts.y = opts.y
      ok, cv = pcall(rad.glmnet_logistic_cv, train, cvopts)
    end
    if not ok then error(fname .. ": " .. tostring(cv):gsub("^.-:%d+: ", ""), 3) end
    local rule = opts.lambda or "1se"
    local k = rule == "min" and cv.index_min or cv.index_1se
    local beta = cv.fit.beta[k] or {}
    local keep, coef, kc, kcoef = {}, {}, {}, {}
    for i, c in ipairs(cols) do
      local b = beta[c]
      coef[i] = (b == nil or isna(b)) and 0.0 or b
      keep[c] = coef[i] ~= 0
      if keep[c] then kc[#kc + 1] = c; kcoef[#kcoef + 1] = coef[i] end
    end
    local lam = cv.lambda[k]
    local alpha = opts.alpha or 1
    local info = {
      cv = cv, lambda = lam, lambda_rule = rule, lambda_index = k, dropped = cv.fit.dropped,
      coefficients = rad.table.new{{"feature", kc}, {"coef", kcoef}},
      method = string.format("%s %s regression with %d-fold cross-validation (seed %d), lambda_%s = %s",
        alpha == 1 and "lasso" or ("elastic-net (alpha = " .. fmtnum(alpha) .. ")"),
        kind == "cox" and "Cox" or "logistic", cv.folds or cvopts.folds, cvopts.seed, rule, fmtnum(lam)),
    }
    if #kc == 0 then
      info.why = string.format("no coefficient is non-zero at lambda_%s = %s (the penalty chosen by " ..
        "cross-validation removes every feature); try lambda = \"min\"%s, or fewer earlier filters",
        rule, fmtnum(lam), rule == "min" and " (already used: the data carry little signal)" or "")
    end
    return kc, rad.table.new{{"feature", cols}, {"coef", coef}, {"kept", flags(cols, keep)}}, info
  end
end

local function check_stability(opts, fname)
  local s = opts.step
  if getmetatable(s) ~= Step then
    error(fname .. ": option 'step' must be a selection step such as select.lasso_cox{...}, got " ..
      (s == nil and "nothing" or type(s)), 4)
  end
  local B = opts.B or 100
  if not (math.type(B) == "integer" and B >= 1) then
    error(fname .. ": option 'B' (number of resamples) must be a positive integer, got " .. tostring(B), 4)
  end
  local sm = opts.sample or 0.5
  if sm ~= "bootstrap" and not (type(sm) == "number" and sm > 0 and sm < 1) then
    error(fname .. ": option 'sample' must be a fraction in (0, 1) (subsampling without replacement) " ..
      "or \"bootstrap\", got " .. tostring(sm), 4)
  end
  local th = opts.threshold or 0.6
  if not (type(th) == "number" and th > 0 and th <= 1) then
    error(fname .. ": option 'threshold' (selection frequency) must be a number in (0, 1], got " .. tostring(th), 4)
  end
  if opts.seed ~= nil and not (type(opts.seed) == "number" and opts.seed == math.floor(opts.seed)) then
    error(fname .. ": option 'seed' must be an integer, got " .. tostring(opts.seed), 4)
  end
end

-- Stability selection: the inner step on B seeded resamples (stratified by
-- the event indicator or the binary outcome), selection frequencies.
local function stability_fit(train, cols, opts, outcome)
  local fname = "select.stability"
  local inner = opts.step
  local idef = step_defs[inner.step]
  local iopts = step_outcome(idef, copy(inner.opts), outcome)
  local strat
  if iopts.event ~= nil then
    surv_outcome(train, iopts.time, iopts.event, fname)
    strat = train:col(iopts.event)
  elseif iopts.y ~= nil then
    need_col(train, iopts.y, fname)
    strat = train:col(iopts.y)
  end
  local groups, order = {}, {}
  for i = 1, train:nrow() do
    local v = strat and strat[i]
    local key = (v == nil or isna(v)) and "\0NA" or tostring(v)
    if not groups[key] then groups[key] = {}; order[#order + 1] = key end
    table.insert(groups[key], i)
  end
  table.sort(order)
  local B, sm, th = opts.B or 100, opts.sample or 0.5, opts.threshold or 0.6
  local gen = rng.new(opts.seed or 1)
  local count = {}
  for _, c in ipairs(cols) do count[c] = 0 end
  local outer = {time = iopts.time, event = iopts.event, y = iopts.y}
  for b = 1, B do
    local idx = {}
    for _, key in ipairs(order) do
      local rows = groups[key]
      if sm == "bootstrap" then
        for _ = 1, #rows do idx[#idx + 1] = rows[gen:int(#rows)] end
      else
        local m = math.max(1, math.floor(sm * #rows + 0.5))
        local perm = gen:shuffle(copy(rows))
        for k = 1, m do idx[#idx + 1] = perm[k] end
      end
    end
    table.sort(idx)
    local ok, f = pcall(inner.fit, inner, train:rows(idx), cols, outer, {allow_empty = true})
    if not ok then
      error(string.format("%s: resample %d of %d: %s", fname, b, B, tostring(f):gsub("^.-:%d+: ", "")), 3)
    end
    for _, c in ipairs(f.keep) do count[c] = count[c] + 1 end
  end
  local freq, keep, kept = {}, {}, {}
  local best
  for i, c in ipairs(cols) do
    freq[i] = count[c] / B
    keep[c] = freq[i] >= th
    if keep[c] then kept[#kept + 1] = c end
    if not best or freq[i] > freq[best] then best = i end
  end
  local info = {
    frequency = rad.table.new{{"feature", cols}, {"frequency", freq}, {"kept", flags(cols, keep)}},
    B = B, sample = sm, threshold = th, seed = opts.seed or 1,
    method = string.format("stability selection: %s on %d %s%s, kept when selected in at least %s%% of them",
      idef.describe and idef.describe(inner) or inner.step, B,
      sm == "bootstrap" and "bootstrap resamples" or (fmtnum(100 * sm) .. "% subsamples without replacement"),
      strat and (" stratified by " .. (iopts.event or iopts.y)) or "", fmtnum(100 * th)),
  }
  if #kept == 0 then
    info.why = string.format("no feature was selected in at least %s%% of the %d resamples (highest: '%s', %s%%); " ..
      "lower threshold or check the inner step", fmtnum(100 * th), B, cols[best], fmtnum(100 * freq[best]))
  end
  return kept, info.frequency, info
end

step_defs.variance = {allowed = {"min", "y"}, fit = simple(select.variance, "variance", function(o)
  return "variance filter (sample variance > " .. fmtnum(o.min or 0) .. ")" end)}
step_defs.near_zero = {allowed = {"freq_ratio", "unique", "y"}, fit = simple(select.near_zero, "near-zero variance",
  function(o) return "near-zero-variance filter (caret nearZeroVar, freq_ratio " .. fmtnum(o.freq_ratio or 95 / 5) ..
    ", unique " .. fmtnum(o.unique or 10) .. "%)" end)}
step_defs.univariate = {allowed = {"y", "test", "p", "adjust", "top", "min_auc", "time", "event", "alpha"},
  y = true, surv = true, needs = true, fit = simple(select.univariate, "univariate")}
step_defs.redundancy = {allowed = {"threshold", "method", "y", "time", "event", "by"},
  y = true, surv = true, fit = simple(select.redundancy, "redundancy")}
step_defs.mrmr = {allowed = {"y", "k", "bins"}, y = true, needs = true, fit = simple(select.mrmr, "mRMR",
  function(o, cols) return "mRMR (MID criterion, k = " .. math.min(o.k or 10, #cols) .. ")" end)}
step_defs.lasso_cox = {allowed = {"time", "event", "alpha", "lambda", "folds", "seed", "standardize"},
  surv = true, needs = true, check = check_lambda_opts, fit = lasso_fit("cox"),
  describe = function(s) return "lasso Cox (lambda_" .. (s.opts.lambda or "1se") .. ")" end}
step_defs.lasso_logistic = {allowed = {"y", "alpha", "lambda", "folds", "seed", "standardize"},
  y = true, needs = true, check = check_lambda_opts, fit = lasso_fit("logistic"),
  describe = function(s) return "lasso logistic (lambda_" .. (s.opts.lambda or "1se") .. ")" end}
step_defs.stability = {allowed = {"step", "B", "sample", "threshold", "seed"}, check = check_stability,
  fit = stability_fit}
for name, def in pairs(step_defs) do def.name = name end

--- select.lasso_cox{time =, event =, alpha = 1, lambda = "1se"|"min", folds = 10, seed = 1, standardize = true} -> step: keeps the features with a non-zero penalised Cox coefficient at the CV-chosen lambda (fitted.coefficients, fitted.cv).
function select.lasso_cox(opts)
  if opts ~= nil and type(opts) ~= "table" then error("select.lasso_cox: expected an options table {...}", 2) end
  return select._step("lasso_cox", opts)
end

--- select.lasso_logistic{y =, alpha = 1, lambda = "1se"|"min", folds = 10, seed = 1, standardize = true} -> step: keeps the features with a non-zero penalised logistic coefficient at the CV-chosen lambda (fitted.coefficients, fitted.cv).
function select.lasso_logistic(opts)
  if opts ~= nil and type(opts) ~= "table" then error("select.lasso_logistic: expected an options table {...}", 2) end
  return select._step("lasso_logistic", opts)
end

--- select.stability{step = <step>, B = 100, sample = 0.5|"bootstrap", threshold = 0.6, seed = 1} -> step: stability selection, the inner step on B seeded stratified resamples; keeps features selected in >= threshold of them (fitted.frequency).
function select.stability(opts)
  if type(opts) ~= "table" then error("select.stability: expected an options table {step = ..., B = ...}", 2) end
  return select._step("stability", opts)
end

-- ---- pipelines ------------------------------------------------------------------

local Pipeline = {}
Pipeline.__index = Pipeline
Pipeline.__name = "rad.Pipeline"

local FittedPipeline = {__name = "rad.FittedPipeline"}
FittedPipeline.__tostring = function(f)
  local lines = {string.format("fitted selection pipeline: %d candidate features", f.candidates)}
  for i, s in ipairs(f.trace) do
    lines[#lines + 1] = string.format("  %d. %-14s %6d left  %s", i, s.step, s.kept,
      s.method ~= s.step and s.method or "")
  end
  lines[#lines + 1] = "selected: " .. name_list(f.selected, 10)
  return table.concat(lines, "\n")
end

--- select.pipeline({y = | time =, event =, id = {...}, cols = {...}, steps...} [, {y =, time =, event =, id =, cols =}]) -> pipeline: preprocessing and selection steps, fitted with :fit(train) (fitted.selected, fitted.trace, fitted:apply(t)).
function select.pipeline(spec, opts)
  if type(spec) ~= "table" then
    error("select.pipeline: expected a table {y = ..., step, step, ...}", 2)
  end
  local keys = {y = true, id = true, cols = true, time = true, event = true}
  local allowed = "y, time, event, id, cols"
  for k in pairs(spec) do
    if math.type(k) ~= "integer" and not keys[k] then
      error("select.pipeline: unknown option '" .. tostring(k) .. "' (allowed: " .. allowed .. ", and steps)", 2)
    end
  end
  local o = {}
  for k in pairs(keys) do o[k] = spec[k] end
  if opts ~= nil then
    if type(opts) ~= "table" then error("select.pipeline: the second argument must be an options table {time =, event =, ...}", 2) end
    for k, v in pairs(opts) do
      if not keys[k] then
        error("select.pipeline: unknown option '" .. tostring(k) .. "' (allowed: " .. allowed .. ")", 2)
      end
      if o[k] ~= nil then error("select.pipeline: option '" .. k .. "' given twice (in the steps table and the options)", 2) end
      o[k] = v
    end
  end
  if (o.time == nil) ~= (o.event == nil) then
    error("select.pipeline: a survival outcome needs both 'time' and 'event' (column names)", 2)
  end
  if o.y ~= nil and o.time ~= nil then
    error("select.pipeline: give either y (a binary outcome) or time and event (a survival outcome), not both", 2)
  end
  local steps = {}
  for i, s in ipairs(spec) do
    if getmetatable(s) == Step then
      steps[i] = {kind = "select", step = s, name = s.step}
    elseif type(s) == "table" and type(s.fit) == "function" then
      steps[i] = {kind = "prep", step = s, name = s.step or "step"}
    elseif type(s) == "table" and type(s[1]) == "string" and step_defs[s[1]] then
      local fo = {}
      for k, v in pairs(s) do if k ~= 1 then fo[k] = v end end
      local ok, st = pcall(select._step, s[1], fo)
      if not ok then error("select.pipeline: step " .. i .. ": " .. tostring(st):gsub("^.-:%d+: ", ""), 2) end
      steps[i] = {kind = "select", step = st, name = s[1]}
    else
      local names = {}
      for n in pairs(step_defs) do names[#names + 1] = n end
      table.sort(names)
      error(string.format("select.pipeline: step %d is neither a preprocessing step (with :fit), " ..
        "a selection step (select.lasso_cox{...}, ...) nor a filter {\"name\", options} with name one of %s",
        i, table.concat(names, ", ")), 2)
    end
  end
  local id = o.id or {}
  if type(id) == "string" then id = {id} end
  return setmetatable({steps = steps, y = o.y, time = o.time, event = o.event, id = id, cols = o.cols}, Pipeline)
end

local function with_keys(t, cols, keys, id)
  local out, seen = {}, {}
  local names = {}
  for _, n in ipairs(t:names()) do names[n] = true end
  local function add(c) if c and names[c] and not seen[c] then seen[c] = true; out[#out + 1] = c end end
  for _, c in ipairs(id) do add(c) end
  for _, c in ipairs(keys) do add(c) end
  for _, c in ipairs(cols) do add(c) end
  return out
end

--- Pipeline:fit(train) -> fitted: fits every step on the training table only (fitted.selected, fitted.report, fitted.trace, fitted:apply(t)).
function Pipeline:fit(train)
  local fname = "Pipeline:fit"
  check_table(train, fname)
  local y, id, time, event = self.y, self.id, self.time, self.event
  if time then
    local ok, err = pcall(surv_outcome, train, time, event, fname)
    if not ok then error(tostring(err):gsub("^.-:%d+: ", ""), 2) end
  end
  if y then need_col(train, y, fname) end
  for _, c in ipairs(id) do need_col(train, c, fname) end
  local keys = {}
  for _, c in ipairs{y or false, time or false, event or false} do if c then keys[#keys + 1] = c end end
  local exclude = {}
  for _, c in ipairs(keys) do exclude[#exclude + 1] = c end
  for _, c in ipairs(id) do exclude[#exclude + 1] = c end
  local cur = candidates(train, self.cols, fname, exclude)
  local initial = cur
  local outcome = {y = y, time = time, event = event}
  local dropped_at = {}
  local fitted_steps, selection, reports, trace = {}, {}, {}, {}
  local data = train
  for i, s in ipairs(self.steps) do
    local label = i .. ":" .. s.name
    if s.kind == "prep" then
      local f = s.step:fit(data, cur)
      fitted_steps[#fitted_steps + 1] = f
      data = f:apply(data)
      local present = {}
      for _, n in ipairs(data:names()) do present[n] = true end
      local still = {}
      for _, c in ipairs(cur) do
        if present[c] then still[#still + 1] = c else dropped_at[c] = dropped_at[c] or label end
      end
      cur = still
      trace[#trace + 1] = {step = s.name, kept = #cur, method = s.name}
    else
      if #cur == 0 then
        error("Pipeline:fit: no candidate feature is left before step " .. i .. " (" .. s.name .. ")", 2)
      end
      local ok, f = pcall(s.step.fit, s.step, data, cur, outcome)
      if not ok then
        error("Pipeline:fit: step " .. i .. " (" .. s.name .. "): " .. tostring(f):gsub("^.-:%d+: ", ""), 2)
      end
      selection[#selection + 1] = f
      reports[#reports + 1] = {step = s.name, report = f.table}
      local keep = {}
      for _, c in ipairs(f.keep) do keep[c] = true end
      for _, c in ipairs(cur) do
        if not keep[c] then dropped_at[c] = dropped_at[c] or label end
      end
      cur = f.keep
      trace[#trace + 1] = {step = s.name, kept = #cur, method = f.method}
    end
  end
  local stepcol, keptcol = {}, {}
  for j, c in ipairs(initial) do
    stepcol[j] = dropped_at[c] or ""
    keptcol[j] = dropped_at[c] and 0 or 1
  end
  local fitted = {
    selected = cur, keep = cur, steps = fitted_steps, selection = selection, reports = reports,
    trace = trace, candidates = #initial, y = y, time = time, event = event, id = id, keys = keys,
    report = rad.table.new{{"feature", initial}, {"dropped_at", stepcol}, {"kept", keptcol}},
  }
  setmetatable(fitted, FittedPipeline)
  --- fitted:apply(t) -> Table: the fitted preprocessing applied to t, restricted to id, the outcome and the selected columns.
  function fitted.apply(f, t)
    check_table(t, "Pipeline:apply")
    for _, c in ipairs(f.selected) do need_col(t, c, "Pipeline:apply") end
    local d = t
    for _, st in ipairs(f.steps) do d = st:apply(d) end
    return d:select(with_keys(d, f.selected, f.keys, f.id))
  end
  return fitted
end

return (require("rad.doc").register(select, "select")) -- not a tail call: register reads this file
