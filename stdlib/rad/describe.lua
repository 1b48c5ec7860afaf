-- radlab: descriptive tables by group ("Table 1" of a paper), with tests.
-- SPDX-License-Identifier: GPL-3.0-or-later
--
--   local describe = require "rad.describe"
--   local tab = describe.by_group(t, {by = "group", vars = {"age", "sex", "f01"}})
--   tab:write_csv("table1.csv")
--
-- One row per numeric variable and statistic, and for a categorical
-- variable (a string column, or a numeric one listed in `categorical`) one
-- header row carrying the test and one row per level:
--
--   variable  level  statistic     <group 1>          <group 2>   ...  test            p
--   N                n             40                 35
--   age              mean (SD)     61.20 (8.10)       ...              Welch t         0.031
--   age              median [IQR]  60.00 [55.00, 67.00] ...            Mann-Whitney U  0.042
--   sex              n (%)                                             chi-square      0.40
--   sex       F      n (%)         12 (30.0%)         ...
--
-- Numbers: mean and SD (n - 1), median and quartiles with R's default
-- quantile definition (type 7: linear interpolation of order statistics,
-- Hyndman & Fan, Am Stat 50(4), 1996).  Tests, for two groups only: Welch's
-- t test (rad.stats.ttest, R t.test) on the mean row and the Mann-Whitney U
-- test (rad.stats.wilcox, R wilcox.test) on the median row; `test = "t"` or
-- `"wilcox"` keeps just one of them.  Categorical variables: Pearson's
-- chi-square test of the level x group table (rad.stats.chisq, R
-- chisq.test, Yates-corrected for 2x2), or Fisher's exact test
-- (rad.stats.fisher, R fisher.test) when the table is 2x2 and an expected
-- count is below 5.  With more than two groups numeric variables get no test
-- ("-") and categorical ones the chi-square test.  Percentages are of the
-- non-missing values in each group; rows with a missing group are left out;
-- a test that cannot be computed (e.g. a group with fewer than two values)
-- shows "-" and a missing p instead of a NaN.

local cohort = require "rad.cohort"

local describe = {}

local NA = rad and rad.NA
local isna = cohort._isna
local level_less = cohort._level_less

local function quantile7(sorted, p)
  local n = #sorted
  local h = (n - 1) * p + 1
  local lo = math.floor(h)
  if lo >= n then return sorted[n] end
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo])
end
describe._quantile = quantile7

local function fmt(x, digits)
  if x == nil or x ~= x then return "NA" end
  return string.format("%." .. digits .. "f", x)
end

local function levels_of(col)
  local seen, out = {}, {}
  for _, v in ipairs(col) do
    if not isna(v) and not seen[v] then seen[v] = true; out[#out + 1] = v end
  end
  table.sort(out, level_less)
  return out
end

local function name_of(v)
  if math.type(v) == "float" and v == math.floor(v) then return string.format("%d", v) end
  return tostring(v)
end

local function clean_err(e)
  return (tostring(e):gsub("^.-:%d+: ", ""))
end

--- describe.by_group(t, {by = "group", vars = {...}, categorical = {...}, test = "t"|"wilcox"|"both", digits = 2}) -> Table: descriptives per group with the fitting test and p-value.
function describe.by_group(t, opts)
  local fname = "describe.by_group"
  if (type(t) ~= "userdata" and type(t) ~= "table") or type(t.nrow) ~= "function" then
    error(fname .. ": expected a Table as first argument", 2)
  end
  opts = cohort._check_opts(opts, fname, {"by", "vars", "categorical", "test", "digits"})
  local by = opts.by
  if by == nil then error(fname .. ": option 'by' (the grouping column) is required", 2) end
  cohort._need_col(t, by, fname)
  local which = opts.test or "both"
  if which ~= "t" and which ~= "wilcox" and which ~= "both" then
    error(fname .. ": option 'test' must be \"t\", \"wilcox\" or \"both\", got " .. tostring(which), 2)
  end
  local digits = opts.digits or 2
  if math.type(digits) ~= "integer" or digits < 0 or digits > 10 then
    error(fname .. ": option 'digits' must be an integer in 0..10", 2)
  end
  local vars = opts.vars
  if vars == nil then
    vars = {}
    for _, c in ipairs(t:names()) do if c ~= by then vars[#vars + 1] = c end end
  end
  local as_cat = {}
  for _, c in ipairs(opts.categorical or {}) do as_cat[c] = true end
  for _, c in ipairs(vars) do
    cohort._need_col(t, c, fname)
    if c == by then error(fname .. ": variable '" .. c .. "' is the grouping column", 2) end
  end

  local gcol = t:col(by)
  local groups = levels_of(gcol)
  if #groups < 2 then
    error(string.format("%s: grouping column '%s' has %d group(s); at least 2 are needed", fname, by, #groups), 2)
  end
  local gindex = {}
  for k, g in ipairs(groups) do gindex[g] = k end
  local two = #groups == 2

  -- output columns
  local o = {variable = {}, level = {}, statistic = {}, test = {}, p = {}, g = {}}
  for k = 1, #groups do o.g[k] = {} end
  local function row(var, level, stat, cells, test, p)
    local r = #o.variable + 1
    o.variable[r], o.level[r], o.statistic[r] = var, level, stat
    for k = 1, #groups do o.g[k][r] = cells and cells[k] or "" end
    o.test[r] = test or ""
    o.p[r] = (p == nil or p ~= p) and NA or p
  end

  local sizes = {}
  for k = 1, #groups do sizes[k] = 0 end
  for _, g in ipairs(gcol) do if not isna(g) then sizes[gindex[g]] = sizes[gindex[g]] + 1 end end
  local ncells = {}
  for k = 1, #groups do ncells[k] = tostring(sizes[k]) end
  row("N", "", "n", ncells, "", nil)

  for _, var in ipairs(vars) do
    local col = t:col(var)
    if t:type(var) == "number" and not as_cat[var] then
      local vals = {}
      for k = 1, #groups do vals[k] = {} end
      for i, v in ipairs(col) do
        local g = gcol[i]
        if not isna(g) and not isna(v) then local a = vals[gindex[g]]; a[#a + 1] = v end
      end
      local msd, miqr = {}, {}
      for k = 1, #groups do
        local a = vals[k]
        if #a == 0 then
          msd[k], miqr[k] = "-", "-"
        else
          local m, s = cohort._mean_sd(a)
          local sorted = {}
          for i, v in ipairs(a) do sorted[i] = v end
          table.sort(sorted)
          msd[k] = fmt(m, digits) .. " (" .. (#a > 1 and fmt(s, digits) or "-") .. ")"
          miqr[k] = string.format("%s [%s, %s]", fmt(quantile7(sorted, 0.5), digits),
            fmt(quantile7(sorted, 0.25), digits), fmt(quantile7(sorted, 0.75), digits))
        end
      end
      local ttest, tp, wtest, wp = "-", nil, "-", nil
      if two then
        if which ~= "wilcox" then
          local ok, r = pcall(rad.stats.ttest, vals[1], vals[2])
          if ok and r.p == r.p then ttest, tp = "Welch t", r.p end
        end
        if which ~= "t" then
          local ok, r = pcall(rad.stats.wilcox, vals[1], vals[2])
          if ok and r.p == r.p then wtest, wp = "Mann-Whitney U", r.p end
        end
      end
      row(var, "", "mean (SD)", msd, ttest, tp)
      row(var, "", "median [IQR]", miqr, wtest, wp)
    else
      local levels = levels_of(col)
      if #levels == 0 then
        error(string.format("%s: column '%s' has no non-missing value", fname, var), 2)
      end
      local lindex = {}
      for k, l in ipairs(levels) do lindex[l] = k end
      local counts, gtot = {}, {}
      for li = 1, #levels do counts[li] = {} for k = 1, #groups do counts[li][k] = 0 end end
      for k = 1, #groups do gtot[k] = 0 end
      for i, v in ipairs(col) do
        local g = gcol[i]
        if not isna(g) and not isna(v) then
          local li, k = lindex[v], gindex[g]
          counts[li][k] = counts[li][k] + 1
          gtot[k] = gtot[k] + 1
        end
      end
      local test, p = "-", nil
      -- only levels and groups with observations enter the test
      local rows_used, cols_used = {}, {}
      for li = 1, #levels do
        local s = 0
        for k = 1, #groups do s = s + counts[li][k] end
        if s > 0 then rows_used[#rows_used + 1] = li end
      end
      for k = 1, #groups do if gtot[k] > 0 then cols_used[#cols_used + 1] = k end end
      if #rows_used >= 2 and #cols_used >= 2 then
        local m, total, rs, cs = {}, 0, {}, {}
        for a, li in ipairs(rows_used) do
          m[a] = {}
          for b, k in ipairs(cols_used) do
            m[a][b] = counts[li][k]
            total = total + counts[li][k]
            rs[a] = (rs[a] or 0) + counts[li][k]
            cs[b] = (cs[b] or 0) + counts[li][k]
          end
        end
        local minexp = math.huge
        for a = 1, #rows_used do for b = 1, #cols_used do
          minexp = math.min(minexp, rs[a] * cs[b] / total)
        end end
        if #rows_used == 2 and #cols_used == 2 and minexp < 5 then
          local ok, r = pcall(rad.stats.fisher, m)
          if ok and r.p == r.p then test, p = "Fisher exact", r.p end
        else
          local ok, r = pcall(rad.stats.chisq, m, {correct = true})
          if ok and r.p == r.p then test, p = "chi-square", r.p end
        end
      end
      row(var, "", "n (%)", nil, test, p)
      for li, l in ipairs(levels) do
        local cells = {}
        for k = 1, #groups do
          cells[k] = gtot[k] > 0 and string.format("%d (%.1f%%)", counts[li][k], 100 * counts[li][k] / gtot[k]) or "0 (-)"
        end
        row(var, name_of(l), "n (%)", cells, "", nil)
      end
    end
  end

  local spec = {{"variable", o.variable}, {"level", o.level}, {"statistic", o.statistic}}
  local used = {variable = true, level = true, statistic = true, test = true, p = true}
  for k, g in ipairs(groups) do
    local name = name_of(g)
    if used[name] then name = by .. "=" .. name end
    used[name] = true
    spec[#spec + 1] = {name, o.g[k]}
  end
  spec[#spec + 1] = {"test", o.test}
  spec[#spec + 1] = {"p", o.p}
  return rad.table.new(spec)
end

return (require("rad.doc").register(describe, "describe")) -- not a tail call: register reads this file
