-- radlab: logistic regression, ROC/DeLong and the penalised logistic path
-- against R (glm, pROC 1.18.0) on lung_1y.csv.  SPDX-License-Identifier: GPL-3.0-or-later
--
-- The reference values come from ../shared/data/survival/reference_values.csv
-- (R 4.2.2): glm(dead1y ~ age + sex + ph.ecog + wt.loss, binomial), pROC's
-- roc / ci.auc(method = "delong") / roc.test(method = "delong").  Every
-- compared pair is printed with its relative difference; the tolerance is
-- relative 1e-6.  There is no glmnet logistic reference value, so the
-- penalised path is checked by its defining properties.
local T = require "rad.test"
local data, why = T.data()
if not data then
  T.skip(48, why)
  T.done()
  return
end

local ref = {}
for line in io.lines(data .. "/survival/reference_values.csv") do
  local k, v = line:match('^"([^"]+)","([^"]+)"$')
  if k then ref[k] = tonumber(v) end
end

local TOL = 1e-6
local worst, count = 0, 0
local function cmp(got, name)
  local want = ref[name]
  if want == nil then
    T.ok(false, name .. " (no reference value)")
    return
  end
  local rel = math.abs(got - want) / math.max(math.abs(want), 1e-300)
  T.diag(string.format("%-32s radlab %.12g  R %.12g  rel.diff %.2e", name, got, want, rel))
  worst, count = math.max(worst, rel), count + 1
  T.ok(rel <= TOL, name .. " within 1e-6")
end

local t = rad.read_csv(data .. "/survival/lung_1y.csv")
local x = {"age", "sex", "ph.ecog", "wt.loss"}
local lg = rad.logistic(t, {y = "dead1y", x = x})
T.is(getmetatable(lg).__name, "rad.Logistic", "rad.logistic returns a rad.Logistic")
for _, term in ipairs(lg.terms) do
  cmp(lg.coef[term], "lung1y.logit.coef." .. term)
  cmp(lg.se[term], "lung1y.logit.se." .. term)
end
T.is(#lg.terms, 5, "five terms including (Intercept)")
T.is(lg.n, 172, "172 complete rows")
T.is(lg.dropped, 0, "nothing dropped")
T.near(lg.aic, lg.deviance + 10, 1e-9, "AIC = deviance + 2 * 5")
T.near(lg["or"].sex, math.exp(lg.coef.sex), 1e-12, "odds ratio = exp(coef)")
T.like(tostring(lg), "ph%.ecog", "printed coefficient table names the terms")

local lp = lg:predict(t)
local pr = lg:predict(t, {type = "response"})
T.near(pr[1], 1 / (1 + math.exp(-lp[1])), 1e-12, "response = inverse logit of the link")

local y = t:col("dead1y")
local r1 = rad.roc(y, lp)
local r2 = rad.roc(y, t:col("ph.ecog"))
cmp(r1.auc, "lung1y.auc")
cmp(r1.ci[1], "lung1y.auc.ci_lo")
cmp(r1.ci[2], "lung1y.auc.ci_hi")
cmp(r2.auc, "lung1y.auc.ecog")
local d = rad.roc_test(r1, r2)
cmp(d.z, "lung1y.delong.z")
cmp(d.p, "lung1y.delong.p")
T.diag(string.format("%d values compared with R, largest relative difference %.2e", count, worst))

local yd = r1:youden()
T.ok(yd.j > 0 and yd.j <= 1, "Youden J in (0, 1]")
local at = r1:at(yd.cutoff)
T.near(at.sensitivity + at.specificity - 1, yd.j, 1e-12, "at(youden cut-off) gives the same J")
T.is(r1.points.thresholds[1], math.huge, "the curve starts at +Inf (0, 0)")
T.is(r1.points.tpr[#r1.points.tpr], 1.0, "and ends at (1, 1)")

-- penalised path: properties
local p = rad.glmnet_logistic(t, {y = "dead1y", x = x})
T.is(p.df[1], 0, "all coefficients 0 at lambda_max")
T.is(p.df[2], 1, "exactly one non-zero at the next lambda")
local p2 = rad.glmnet_logistic(t, {y = "dead1y", x = x, lambda = {p.lambda[1] * 1.001}})
T.is(p2.df[1], 0, "all zero just above lambda_max")
local tiny = rad.glmnet_logistic(t, {y = "dead1y", x = x, lambda = {1e-9}, thresh = 1e-12})
local c, maxd = tiny:coef(1), 0
for _, term in ipairs(lg.terms) do maxd = math.max(maxd, math.abs((c[term] or 0) - lg.coef[term])) end
T.diag(string.format("lambda = 1e-9 vs IRLS: max |diff| %.2e", maxd))
T.ok(maxd < 1e-4, "tiny lambda approaches the unpenalised fit within 1e-4")
local cv1 = rad.glmnet_logistic_cv(t, {y = "dead1y", x = x, folds = 5, seed = 11})
local cv2 = rad.glmnet_logistic_cv(t, {y = "dead1y", x = x, folds = 5, seed = 11})
local same = #cv1.cvm == #cv2.cvm
for k = 1, #cv1.cvm do same = same and cv1.cvm[k] == cv2.cvm[k] and cv1.cvsd[k] == cv2.cvsd[k] end
T.ok(same, "CV is reproducible with the same seed")
T.ok(cv1.lambda_1se >= cv1.lambda_min, "lambda_1se >= lambda_min")
T.is(cv1.lambda[cv1.index_min], cv1.lambda_min, "index_min points at lambda_min")
T.ok(#cv1.fit:predict(t, cv1.index_1se) == t:nrow(), "predict at lambda_1se gives one value per row")

-- bad input
T.errors(function() rad.logistic(t, {y = "dead1y", x = {"agee"}}) end, "did you mean 'age'", "unknown column names a close match")
T.errors(function() rad.logistic(t, {y = "age", x = {"sex"}}) end, "must be 0 or 1", "outcome not binary")
T.errors(function() rad.logistic(t, {y = "dead1y", x = {"sex"}, z = 1}) end, "z", "unknown option")
T.errors(function() rad.glmnet_logistic(t, {y = "dead1y", x = x, alpha = 3}) end, "alpha", "alpha out of range")
T.errors(function() rad.roc({1, 0}, {0.5}) end, "pair up", "roc lengths differ")
T.errors(function() rad.roc_test(r1, rad.roc({1, 0, 1, 0}, {1, 2, 3, 4})) end, "same cases", "roc_test on other cases")

-- missing values, string predictors, separation
local lung = rad.read_csv(data .. "/survival/lung.csv")
local grp = {}
for i = 1, lung:nrow() do grp[i] = ({"a", "b", "c"})[i % 3 + 1] end
lung:add("grp", grp)
local m = rad.logistic(lung, {y = "status", x = {"age", "wt.loss", "grp"}})
T.is(m.dropped, 14, "rows with a missing wt.loss are dropped and counted")
T.ok(m.coef["grp:b"] ~= nil and m.coef["grp:c"] ~= nil and m.coef["grp:a"] == nil,
  "a string column becomes indicators, reference level 'a'")
local pm, nna = m:predict(lung), 0
for i = 1, #pm do if pm[i] == rad.NA then nna = nna + 1 end end
T.is(#pm, lung:nrow(), "one prediction per row")
T.is(nna, 14, "rad.NA where an input is missing")
local other = rad.table.new{{"age", {60}}, {"wt.loss", {0}}, {"grp", {"z"}}}
T.errors(function() m:predict(other) end, "level 'z' of column 'grp'", "unseen level")
local sep = rad.table.new{{"x", {1, 2, 3, 4, 5, 6}}, {"y", {0, 0, 0, 1, 1, 1}}}
T.errors(function() rad.logistic(sep, {y = "y", x = {"x"}}) end, "separated by 'x'", "separation named")

T.done()
