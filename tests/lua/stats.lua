-- radlab: tests of rad.stats (tests, correlation, ICC, mutual information).  SPDX-License-Identifier: GPL-3.0-or-later
--
-- Expected values: R help-page examples with well-known outputs (sleep data,
-- tea tasting), Shrout & Fleiss (1979) Table 2 as printed by psych::ICC, and
-- small cases worked by hand.
local T = require "rad.test"
local S = rad.stats
local NA = rad.NA

local sleep1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
local sleep2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}

-- Welch t
local t = S.ttest(sleep1, sleep2)
T.near(t.t, -1.8608, 5e-5, "ttest: sleep t = -1.8608 (R t.test)")
T.near(t.df, 17.776, 5e-4, "ttest: df = 17.776")
T.near(t.p, 0.07939, 5e-6, "ttest: p = 0.07939")
T.near(t.mean1, 0.75, 1e-12, "ttest: mean1")
T.near(t.mean2, 2.33, 1e-12, "ttest: mean2")
local tm = S.ttest({1, NA, 2, 3}, sleep2)
T.is(tm.n1, 3, "ttest: rad.NA is dropped")
T.errors(function() S.ttest({1}, sleep2) end, "at least 2 non-missing", "ttest: one value")
T.errors(function() S.ttest({1, "a"}, sleep2) end, "element 2 of a is a string", "ttest: string element")
T.errors(function() S.ttest(5, sleep2) end, "a must be an array", "ttest: not an array")

-- Wilcoxon
local w = S.wilcox({0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46}, {1.15, 0.88, 0.90, 0.74, 1.21})
T.is(w.w, 35.0, "wilcox: W = 35 (R wilcox.test example)")
T.is(w.exact, true, "wilcox: exact without ties")
T.near(w.p, 0.2544, 1e-4, "wilcox: two-sided p = 2 x 0.1272")
w = S.wilcox(sleep1, sleep2)
T.is(w.w, 25.5, "wilcox: sleep W = 25.5")
T.is(w.exact, false, "wilcox: ties -> normal approximation")
T.near(w.p, 0.06933, 5e-6, "wilcox: sleep p = 0.06933")
T.errors(function() S.wilcox({1, 1}, {1, 1}) end, "tied", "wilcox: all tied")

-- chi-square
local c = S.chisq{{762, 327, 468}, {484, 239, 477}}
T.near(c.chisq, 30.070149095754672, 1e-9, "chisq: X-squared = 30.07 (R chisq.test example)")
T.is(c.df, 2.0, "chisq: df = 2")
T.near(c.p, 2.953589183211757e-07, 1e-15, "chisq: p = 2.954e-07")
T.ok(c.min_expected > 246 and c.min_expected < 247, "chisq: min_expected")
-- the same 2x2 table {{12, 5}, {3, 10}} from two category arrays
local x, y = {}, {}
local function add(a, b, k) for _ = 1, k do x[#x + 1] = a; y[#y + 1] = b end end
add("a", "u", 12); add("a", "v", 5); add("b", "u", 3); add("b", "v", 10)
x[#x + 1] = NA; y[#y + 1] = "u"
c = S.chisq(x, y)
T.near(c.chisq, 4.886877828054299, 1e-10, "chisq: Yates 2x2 from categories (by hand)")
T.is(c.yates, true, "chisq: yates flag")
local c0 = S.chisq(x, y, {correct = false})
T.ok(c0.chisq > c.chisq and c0.yates == false, "chisq: correct = false")
T.errors(function() S.chisq{{1, 2}, {3}} end, "row 2 of the count matrix has 1 counts", "chisq: ragged matrix")
T.errors(function() S.chisq{{1, -2}, {3, 4}} end, "row 1, column 2", "chisq: negative count")
T.errors(function() S.chisq({"a", "a"}, {"u", "v"}) end, "at least 2 rows", "chisq: one category")
T.errors(function() S.chisq({"a"}, {"u", "v"}) end, "equally long", "chisq: lengths differ")
T.errors(function() S.chisq(x, y, {corect = true}) end, "corect", "chisq: unknown option")

-- Fisher
local f = S.fisher{{3, 1}, {1, 3}}
T.near(f.p, 0.4857142857, 1e-9, "fisher: tea tasting p = 0.4857 (R fisher.test)")
T.near(f.odds_ratio, 6.408309, 1e-4, "fisher: conditional MLE odds ratio 6.408309")
local f2 = S.fisher({1, 1, 1, 0, 0, 0, 0, 1}, {1, 1, 1, 0, 0, 0, 1, 0})
T.near(f2.p, 0.4857142857, 1e-9, "fisher: from two binary arrays")
T.ok(S.fisher{{5, 0}, {2, 3}}.odds_ratio == math.huge, "fisher: zero cell odds ratio inf")
T.errors(function() S.fisher{{1, 2, 3}, {4, 5, 6}} end, "needs a 2x2 table", "fisher: 2x3")
T.errors(function() S.fisher{{1.5, 2}, {3, 4}} end, "non-negative integers", "fisher: fractional count")

-- p-value adjustment
local q = S.p_adjust({0.01, 0.02, 0.03, 0.04, 0.05}, "BH")
local allsame = true
for i = 1, 5 do allsame = allsame and math.abs(q[i] - 0.05) < 1e-15 end
T.ok(allsame and #q == 5, "p_adjust: BH of 0.01..0.05 is all 0.05 (R)")
q = S.p_adjust({0.01, 0.02, 0.03, 0.04, 0.05}, "holm")
T.near(q[2], 0.08, 1e-15, "p_adjust: holm")
T.near(q[5], 0.09, 1e-15, "p_adjust: holm is monotone")
q = S.p_adjust({0.04, NA, 0.01}, "bonferroni")
T.ok(q[1] == 0.08 and q[2] == NA and q[3] == 0.02, "p_adjust: NA stays NA, not counted")
T.errors(function() S.p_adjust({0.1}, "BY") end, "unknown p-value adjustment 'BY'", "p_adjust: bad method")
T.errors(function() S.p_adjust({1.5}) end, "p-value 1 is 1.5", "p_adjust: p above 1")

-- correlation
T.near(S.cor({1, 2, 2, 3}, {1, 3, 2, 4}, "spearman"), 4.5 / math.sqrt(22.5), 1e-15, "cor: Spearman with ties")
T.near(S.cor({1, 2, 2, 3}, {1, 3, 2, 4}), 3 / math.sqrt(10), 1e-15, "cor: Pearson default")
T.near(S.cor({1, 2, NA, 3, 4}, {2, 4, 100, 6, 8}), 1, 1e-15, "cor: pairwise complete")
T.errors(function() S.cor({1, 2}, {1, 2}, "kendall") end, "\"spearman\"", "cor: bad method")
T.errors(function() S.cor({1, 2, 3}, {1, 1, 1}) end, "y is constant", "cor: constant")
T.errors(function() S.cor({1, 2, 3}, {1, 2}) end, "equally long", "cor: lengths")

-- ICC: Shrout & Fleiss (1979) Table 2
local rows = {{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}}
local all = S.icc(rows)
T.near(all["1,1"].icc, 0.17, 0.005, "icc: ICC(1,1) = .17")
T.near(all["2,1"].icc, 0.29, 0.005, "icc: ICC(2,1) = .29")
T.near(all["3,1"].icc, 0.71, 0.005, "icc: ICC(3,1) = .71")
T.near(all["2,1"].lower, 0.019, 0.001, "icc: ICC(2,1) lower 0.019 (psych::ICC)")
T.near(all["3,1"].upper, 0.95, 0.005, "icc: ICC(3,1) upper 0.95")
local i3 = S.icc(rows, {type = "3,1"})
T.near(i3.f, 11.03, 0.01, "icc: F = 11")
T.ok(i3.df1 == 5 and i3.df2 == 15, "icc: df 5, 15")
T.near(i3.p, 0.00013, 5e-6, "icc: p")
T.errors(function() S.icc(rows, {type = "2,2"}) end, "unknown ICC type '2,2'", "icc: bad type")
T.errors(function() S.icc(rows, {tpye = "2,1"}) end, "tpye", "icc: unknown option")
T.errors(function() S.icc({{1, 2}, {3}}) end, "row 2 has 1 ratings", "icc: ragged rows")
T.errors(function() S.icc({{1, 2}, {3, NA}}) end, "case 2 by rater 2", "icc: missing rating")
T.errors(function() S.icc(42) end, "long Table or an array of rows", "icc: wrong type")

-- ICC from a long Table, when the Table is available
if rad.table and rad.table.new then
  local cs, rs, vs = {}, {}, {}
  for i, r in ipairs(rows) do
    for j, v in ipairs(r) do cs[#cs + 1] = "c" .. i; rs[#rs + 1] = j; vs[#vs + 1] = v end
  end
  local ok, long = pcall(rad.table.new, {{"id", cs}, {"reader", rs}, {"score", vs}})
  if ok then
    local l2 = S.icc(long, {case = "id", rater = "reader", value = "score", type = "2,1"})
    T.near(l2.icc, all["2,1"].icc, 1e-12, "icc: long Table gives the same ICC(2,1)")
    T.errors(function() S.icc(long, {case = "idd", rater = "reader", value = "score"}) end, "idd",
      "icc: unknown case column")
    local short = rad.table.new{{"id", {table.unpack(cs, 1, #cs - 1)}}, {"reader", {table.unpack(rs, 1, #rs - 1)}},
      {"score", {table.unpack(vs, 1, #vs - 1)}}}
    T.errors(function() S.icc(short, {case = "id", rater = "reader", value = "score"}) end,
      "case c6 has no rating by rater 4", "icc: incomplete long table")
    -- correlation matrix as a Table
    local cm = S.cor_matrix(rad.table.new{{"a", {1, 2, 2, 3}}, {"b", {1, 3, 2, 4}}, {"s", {"x", "y", "z", "w"}}},
      {method = "spearman"})
    T.is(cm:ncol(), 3, "cor_matrix: feature column + 2 numeric columns")
    T.is(cm:col("feature")[2], "b", "cor_matrix: feature names")
    T.near(cm:col("b")[1], 4.5 / math.sqrt(22.5), 1e-15, "cor_matrix: [a, b] Spearman")
    T.errors(function() S.cor_matrix(cm, {method = "kendal"}) end, "unknown correlation method", "cor_matrix: bad method")
    T.errors(function() S.cor_matrix(long, {cols = {"id"}}) end, "id", "cor_matrix: string column")
  else
    T.skip(8, "rad.table.new failed: " .. tostring(long))
  end
else
  T.skip(8, "rad.table.new not available yet")
end
T.errors(function() S.cor_matrix({}) end, "Table", "cor_matrix: not a Table")

-- mutual information
T.near(S.mutual_info({0, 0, 1, 1}, {0, 0, 1, 1}), math.log(2), 1e-15, "mutual_info: binary with itself = log 2")
T.near(S.mutual_info({"a", "a", "b", "b"}, {1, 2, 1, 2}), 0, 1e-15, "mutual_info: independent labels = 0")
local mx, my = {}, {}
for i = 1, 100 do mx[i] = i * 0.37; my[i] = math.exp(mx[i] / 10) end
T.near(S.mutual_info(mx, my, {bins = 4}), math.log(4), 1e-12, "mutual_info: monotone, 4 equal-frequency bins")
T.errors(function() S.mutual_info(mx, my, {bins = 1}) end, "'bins' must be 2..1000", "mutual_info: bins = 1")
T.errors(function() S.mutual_info(mx, {1, 2}) end, "equally long", "mutual_info: lengths")

-- help texts
for _, name in ipairs{"ttest", "wilcox", "chisq", "fisher", "p_adjust", "cor", "cor_matrix", "icc", "mutual_info"} do
  T.like(rad.help(S[name]), "^rad%.stats%." .. name .. "%(", "rad.stats." .. name .. " has help starting with its call")
end

-- distribution functions (R: pnorm(1.96) = 0.9750021048517795, qnorm(0.975) = 1.959963984540054,
-- pchisq(3.841458820694124, 1, lower.tail = FALSE) = 0.05, pnorm(-10) = 7.619853024160527e-24)
T.near(rad.stats.pnorm(1.96), 0.9750021048517795, 1e-15, "pnorm(1.96)")
T.near(rad.stats.pnorm(10, true) / 7.619853024160527e-24, 1, 1e-12, "pnorm upper tail at 10, relative")
T.near(rad.stats.qnorm(0.975), 1.959963984540054, 1e-14, "qnorm(0.975)")
T.near(rad.stats.pchisq(3.841458820694124, 1, true), 0.05, 1e-14, "pchisq upper tail: the 5 % point of chi-square(1)")
T.near(rad.stats.pchisq(2, 2), 1 - math.exp(-1), 1e-15, "pchisq(2, 2) = 1 - exp(-1)")
T.errors(function() rad.stats.qnorm(0) end, "rad.stats.qnorm: p must be strictly between 0 and 1, got 0", "qnorm(0)")
T.errors(function() rad.stats.pchisq(1, 0) end, "rad.stats.pchisq: df must be > 0, got 0", "pchisq with df 0")

T.done()
