-- radlab: tests of rad.select (feature filters, pipelines) and rad.describe.
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/select.lua
local T = require "rad.test"
local select = require "rad.select"
local cohort = require "rad.cohort"
local describe = require "rad.describe"
local NA = rad.NA

local function names(list) return table.concat(list, ",") end
local function rowof(tab, col, val)
  local c = tab:col(col)
  for i = 1, #c do if c[i] == val then return tab:row(i) end end
end

-- 20 patients, 10 per class.  sep separates the classes perfectly (AUC 1),
-- near is sep with rows 10 and 11 swapped (AUC 0.99, Spearman rho with sep
-- 1 - 6 * 2 / (20 * 399)), noise has the same values in both classes
-- (AUC 0.5), const is constant.
local id, y, sep, near, noise, const, mid = {}, {}, {}, {}, {}, {}, {}
for i = 1, 20 do
  id[i] = i
  y[i] = i <= 10 and 0 or 1
  sep[i] = i * 1.0
  near[i] = i * 1.0
  noise[i] = ((i - 1) % 10) + 1.0
  const[i] = 3.0
end
near[10], near[11] = 11.0, 10.0
-- mid: moderately informative and unrelated to sep's order within a class
local midv = {5, 1, 8, 3, 9, 2, 7, 4, 10, 6, 12, 6.5, 14, 3.5, 15, 11, 13, 8.5, 16, 9.5}
for i = 1, 20 do mid[i] = midv[i] * 1.0 end
local t = rad.table.new{{"id", id}, {"y", y}, {"near", near}, {"sep", sep},
  {"noise", noise}, {"const", const}, {"mid", mid}}

-- ---- variance ------------------------------------------------------------------
do
  local kept, rep = select.variance(t, nil, {y = "y"})
  T.is(names(kept), "id,near,sep,noise,mid", "variance: only the constant column goes")
  T.near(rowof(rep, "feature", "sep").variance, 35, 1e-12, "variance of 1..20 = 35")
  T.is(rowof(rep, "feature", "const").kept, 0, "const marked dropped")
  local kept2 = select.variance(t, {"sep", "noise"}, {min = 10})
  T.is(names(kept2), "sep", "variance > 10 keeps sep (35), drops noise (9.17)")
  T.errors(function() select.variance(t, {"sepp"}) end, "no column 'sepp'", "unknown column named")
  T.errors(function() select.variance(t, nil, {min = -1}) end, "option 'min'", "negative min")
end

-- ---- near-zero variance (caret::nearZeroVar) ----------------------------------------
do
  local rare, many, mostly, constant = {}, {}, {}, {}
  for i = 1, 25 do
    rare[i] = i == 25 and 1 or 0        -- 24:1, 8 % unique -> near zero
    many[i] = i * 1.0                   -- all distinct
    mostly[i] = i <= 20 and 0 or 1      -- 20:5 = 4 -> kept
    constant[i] = 7
  end
  local nz = rad.table.new{{"rare", rare}, {"many", many}, {"mostly", mostly}, {"constant", constant}}
  local kept, rep = select.near_zero(nz)
  T.is(names(kept), "many,mostly", "near_zero drops rare and constant")
  local r = rowof(rep, "feature", "rare")
  T.is(r.freq_ratio, 24.0, "freq ratio 24 / 1")
  T.near(r.percent_unique, 8, 1e-12, "percent unique 2 / 25")
  T.is(rowof(rep, "feature", "constant").zero_var, 1, "constant is zero-variance")
  T.is(rowof(rep, "feature", "mostly").freq_ratio, 4.0, "freq ratio 20 / 5")
  -- the cut is strict, as in caret: a ratio of exactly 24 is kept with freq_ratio = 24
  T.is(names((select.near_zero(nz, {"rare"}, {freq_ratio = 24}))), "rare", "ratio equal to the cut is kept")
end

-- ---- univariate filters ---------------------------------------------------------------
do
  local kept, rep = select.univariate(t, {"sep", "noise", "mid"}, {y = "y", test = "wilcox", p = 0.05})
  T.is(names(kept), "sep,mid", "wilcox filter keeps the separating features")
  local r = rowof(rep, "feature", "sep")
  T.is(r.auc, 1.0, "AUC of the separating feature is 1")
  -- exact Mann-Whitney: W = 0, p = 2 / choose(20, 10)
  T.near(r.p, 2 / 184756, 1e-15, "exact Wilcoxon p = 2 / choose(20, 10)")
  T.near(rowof(rep, "feature", "noise").auc, 0.5, 1e-15, "AUC of noise is 0.5")
  T.is(rowof(rep, "feature", "noise").kept, 0, "noise dropped")
  local ps = {}
  for _, f in ipairs{"sep", "noise", "mid"} do ps[#ps + 1] = rowof(rep, "feature", f).p end
  local bh = rad.stats.p_adjust(ps, "BH")
  T.near(r.p_adj, bh[1], 1e-15, "BH-adjusted p in the report")
  local keptt, rept = select.univariate(t, {"sep", "noise", "const"}, {y = "y", test = "t", adjust = "bonferroni"})
  T.is(names(keptt), "sep", "t filter keeps sep")
  -- Welch t of 11..20 vs 1..10: t = 10 / sqrt(2 * 55 / 6 / 10)
  T.near(math.abs(rowof(rept, "feature", "sep").t), 10 / math.sqrt(2 * 55 / 6 / 10), 1e-12, "Welch t statistic")
  local rc = rowof(rept, "feature", "const")
  T.is(rc.kept, 0, "constant feature dropped, not crashed")
  T.ok(rc.p == NA and #rc.note > 0, "constant feature: no p-value, a note instead")
  local kepta = select.univariate(t, {"noise", "near", "sep"}, {y = "y", test = "auc", top = 2})
  T.is(names(kepta), "near,sep", "top = 2 keeps the two strongest")
  local keptm = select.univariate(t, {"noise", "near", "sep"}, {y = "y", test = "auc", min_auc = 0.995})
  T.is(names(keptm), "sep", "min_auc = 0.995 keeps AUC 1, drops AUC 0.99")
  T.errors(function() select.univariate(t, {"sep"}, {y = "noise"}) end,
    "outcome 'noise' must have exactly two classes, it has 10", "non-binary outcome")
  T.errors(function() select.univariate(t, {"sep"}, {}) end, "option 'y'", "outcome required")
  T.errors(function() select.univariate(t, {"sep"}, {y = "y", test = "anova"}) end, "option 'test'", "bad test")
  local ts = rad.table.new{{"y", {"no", "yes", "no", "yes"}}, {"x", {1, 5, 2, 6}}}
  local _, reps = select.univariate(ts, nil, {y = "y", adjust = "none"})
  T.is(rowof(reps, "feature", "x").auc, 1.0, "string outcome: the later level is positive")
end

-- ---- redundancy ---------------------------------------------------------------------------
do
  -- near comes first, but sep is more related to the outcome (AUC 1 vs 0.99)
  local kept, rep = select.redundancy(t, {"near", "sep", "noise"}, {threshold = 0.9, y = "y"})
  T.is(names(kept), "sep,noise", "redundancy keeps the feature with the better AUC")
  local rn = rowof(rep, "feature", "near")
  T.is(rn.redundant_with, "sep", "near is redundant with sep")
  T.near(rn.max_abs_cor, 1 - 6 * 2 / (20 * 399), 1e-12, "Spearman rho of the pair")
  T.near(rn.relevance, 0.49, 1e-12, "relevance |AUC - 0.5| of near")
  local twin = rad.table.new{{"y", y}, {"a", sep}, {"b", sep}}
  T.is(names((select.redundancy(twin, {"b", "a"}, {y = "y"}))), "b",
    "identical columns: one kept (the first, on a tie)")
  T.is(names((select.redundancy(t, {"near", "sep"}, {threshold = 0.999}))), "near,sep",
    "below the threshold both stay")
  T.is(names((select.redundancy(t, {"near", "sep"}, {method = "pearson"}))), "near",
    "without an outcome the first of the pair stays")
  T.errors(function() select.redundancy(t, {"sep"}, {threshold = 2}) end, "option 'threshold'", "bad threshold")
end

-- ---- mRMR ------------------------------------------------------------------------------------
do
  local kept, rep = select.mrmr(t, {"noise", "mid", "near", "sep"}, {y = "y", k = 2, bins = 4})
  T.is(kept[1], "sep", "mRMR picks the informative feature first")
  T.is(#kept, 2, "k = 2 features")
  -- MID scores with 4 bins: mid 0.2747 - 0.4530, near 0.4429 - 1.1361, noise 0 - 0.6931
  T.is(kept[2], "mid", "then the informative one that is not a copy of sep")
  T.is(rowof(rep, "feature", "sep").rank, 1, "rank recorded")
  T.near(rowof(rep, "feature", "sep").relevance, math.log(2), 1e-12, "I(sep; y) = log 2 nats")
  T.is(rowof(rep, "feature", "noise").rank, NA, "unselected features have no rank")
  T.errors(function() select.mrmr(t, {"sep"}, {y = "y", k = 0}) end, "option 'k'", "bad k")
end

-- ---- pipeline: fitted on train only -------------------------------------------------------
do
  local train = t
  -- a test set from another distribution: every feature shifted by +100
  local tid, ty, tsep, tnear, tnoise, tconst, tmid = {}, {}, {}, {}, {}, {}, {}
  for i = 1, 6 do
    tid[i] = 100 + i; ty[i] = i % 2
    tsep[i] = 100.0 + i; tnear[i] = 100.0 + i; tnoise[i] = 100.0 + i; tconst[i] = 50.0 + i; tmid[i] = 100.0 + i
  end
  local test = rad.table.new{{"id", tid}, {"y", ty}, {"near", tnear}, {"sep", tsep},
    {"noise", tnoise}, {"const", tconst}, {"mid", tmid}}
  local pipe = select.pipeline{
    y = "y", id = {"id"}, cols = {"near", "sep", "noise", "const"},
    cohort.drop_constant(), cohort.standardize(),
    {"variance", min = 0.5}, {"univariate", test = "wilcox", p = 0.01},
    {"redundancy", threshold = 0.9},
  }
  local fitted = pipe:fit(train)
  T.is(names(fitted.selected), "sep", "pipeline selects sep")
  local out = fitted:apply(test)
  T.is(names(out:names()), "id,y,sep", "applied table: id, y and the selected columns")
  T.near(out:col("sep")[1], (101 - 10.5) / math.sqrt(35), 1e-12, "test standardised with train's mean and sd")
  T.near(fitted.steps[2].mean.sep, 10.5, 1e-12, "the fitted mean is train's")
  T.is(out:col("y")[2], 0.0, "outcome carried through unchanged")
  T.is(rowof(fitted.report, "feature", "const").dropped_at, "1:drop_constant", "report says where const went")
  T.is(rowof(fitted.report, "feature", "near").dropped_at, "5:redundancy", "near dropped as redundant")
  T.is(rowof(fitted.report, "feature", "noise").dropped_at, "4:univariate", "noise dropped by the test")
  T.is(rowof(fitted.report, "feature", "sep").kept, 1, "sep kept")
  local again = fitted:apply(test)
  T.is(again:col("sep")[3], out:col("sep")[3], "applying twice gives the same values")
  T.is(test:col("sep")[1], 101.0, "apply leaves the test table alone")
  T.errors(function() select.pipeline{y = "y", {"lasso"}} end, "step 1 is neither", "unknown step")
  T.errors(function() select.pipeline{y = "y", {"mrmr", k = 1}}:fit(rad.table.new{{"y", {0, 1}}}) end,
    "no candidate feature", "nothing to select")
  T.errors(function() fitted:apply(rad.table.new{{"y", {0}}}) end, "no column 'sep'", "apply without the selected column")
end

-- ---- describe.by_group -------------------------------------------------------------------------
do
  local g = {"a", "a", "a", "a", "b", "b", "b", "b", "b"}
  local x = {1, 2, 3, 4, 3, 4, 5, 6, 7}
  local s = {"F", "M", "F", "F", "M", "M", "M", "F", "M"}
  local d = describe.by_group(rad.table.new{{"g", g}, {"x", x}, {"s", s}}, {by = "g", vars = {"x", "s"}})
  T.is(names(d:names()), "variable,level,statistic,a,b,test,p", "descriptive table columns")
  T.is(d:nrow(), 6, "N row, 2 rows for x, 3 rows for s")
  local r = d:row(2)
  T.is(r.a, "2.50 (1.29)", "mean (SD) of group a")
  T.is(r.b, "5.00 (1.58)", "mean (SD) of group b")
  T.is(r.test, "Welch t", "Welch t test for a number")
  -- R: t.test(c(1,2,3,4), c(3,4,5,6,7))$p.value
  T.near(r.p, 0.03493878235996, 1e-9, "Welch p")
  r = d:row(3)
  T.is(r.a, "2.50 [1.75, 3.25]", "median [IQR] with R's type-7 quartiles")
  T.is(r.test, "Mann-Whitney U", "Mann-Whitney for a number")
  r = d:row(4)
  T.is(r.test, "Fisher exact", "2x2 with expected counts < 5: Fisher")
  -- fisher.test(matrix(c(3, 1, 1, 4), 2))$p.value = 0.2063492
  T.near(r.p, 0.20634920634921, 1e-9, "Fisher p")
  T.is(d:row(5).a, "3 (75.0%)", "count (%) of F in a")
  T.is(d:row(6).b, "4 (80.0%)", "count (%) of M in b")
  -- a larger 2x2 table goes to chi-square (Yates), as R's chisq.test
  local gg, ss = {}, {}
  for i = 1, 75 do
    gg[i] = i <= 30 and "A" or "B"
    if i <= 30 then ss[i] = i <= 10 and "x" or "y" else ss[i] = i <= 60 and "x" or "y" end
  end
  local d2 = describe.by_group(rad.table.new{{"grp", gg}, {"s", ss}}, {by = "grp", test = "t"})
  T.is(d2:row(2).test, "chi-square", "expected counts >= 5: chi-square")
  -- chisq.test(matrix(c(10, 30, 20, 15), 2))$p.value
  T.near(d2:row(2).p, 0.0093630476375339, 1e-9, "chi-square p (Yates)")
  local d3 = describe.by_group(rad.table.new{{"g", {1, 1, 2, 2, 3, 3}}, {"x", {1, 2, 3, 4, 5, 6}}}, {by = "g"})
  T.is(d3:row(2).test, "-", "three groups: no test for a number")
  T.is(names(d3:names()), "variable,level,statistic,1,2,3,test,p", "numeric group names")
  local d4 = describe.by_group(rad.table.new{{"g", {"a", "a", "b", "b", NA}}, {"stage", {1, 2, 2, 2, 1}}},
    {by = "g", categorical = {"stage"}})
  T.is(d4:row(1).a, "2", "a row with a missing group is left out of N")
  T.is(d4:row(3).level, "1", "numeric column listed as categorical: its levels")
  T.is(d4:row(4).b, "2 (100.0%)", "count (%) of stage 2 in b")
  T.errors(function() describe.by_group(t, {by = "grp"}) end, "no column 'grp'", "unknown by column")
  T.errors(function() describe.by_group(t, {vars = {"x"}}) end, "option 'by'", "by required")
end

T.done()
