-- radlab: Kaplan-Meier, log-rank and concordance against R (survival 3.5-3)
-- on lung.csv.  SPDX-License-Identifier: GPL-3.0-or-later
--
-- The reference values come from ../shared/data/survival/reference_values.csv
-- (R 4.2.2): survfit(Surv(time, status) ~ 1) summarised at 90, 180, 365 and
-- 730 days and its median; survdiff(Surv(time, status) ~ sex);
-- concordance(Surv(time, status) ~ risk, reverse = TRUE) with timewt "n"
-- (Harrell) and "n/G2" (Uno) for risk = 0.02 age - 0.5 sex.  Every compared
-- pair is printed with its relative difference; the tolerance is relative
-- 1e-6.
local T = require "rad.test"
local data, why = T.data()
if not data then
  T.skip(61, "no reference data: " .. tostring(why))
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
local function cmp(got, name, tol)
  tol = tol or TOL
  local want = ref[name]
  if want == nil then
    T.ok(false, name .. " (no reference value)")
    return
  end
  if type(got) ~= "number" then
    T.ok(false, name .. ": got " .. tostring(got))
    return
  end
  local rel = math.abs(got - want) / math.max(math.abs(want), 1e-300)
  T.diag(string.format("%-24s radlab %.12g  R %.12g  rel.diff %.2e", name, got, want, rel))
  worst = math.max(worst, rel)
  count = count + 1
  T.ok(rel <= tol, string.format("%s within %g", name, tol))
end

local t = rad.read_csv(data .. "/survival/lung.csv")

-- Kaplan-Meier
local km = rad.km(t, {time = "time", event = "status"})
T.is(getmetatable(km).__name, "rad.KM", "rad.km returns a rad.KM")
T.is(km.n, 228, "228 patients")
T.is(km.events, 165, "165 deaths")
for _, d in ipairs{90, 180, 365, 730} do
  local a = km:at(d)
  cmp(a.surv, "lung.km.surv.t" .. d)
  cmp(a.se, "lung.km.se.t" .. d)
  cmp(a.lower, "lung.km.lower.t" .. d)
  cmp(a.upper, "lung.km.upper.t" .. d)
end
cmp(km.median, "lung.km.median")
T.is(km.median_lower, 285, "median 95% CI lower 285 (R print.survfit)")
T.is(km.median_upper, 363, "median 95% CI upper 363 (R print.survfit)")
local many = km:at({90, 365})
T.near(many.surv[2], km:at(365).surv, 0, ":at with an array")
T.is(km:at(365).n_risk, 65, "65 at risk at 365 days")
T.like(tostring(km), "Kaplan%-Meier", "KM prints a summary")

local kg = rad.km(t, {time = "time", event = "status", group = "sex"})
T.is(#kg.curves, 2, "two curves by sex")
T.is(kg.curves[1].n + kg.curves[2].n, 228, "curves partition the patients")

-- log-rank
local lr = rad.logrank(t, {time = "time", event = "status", group = "sex"})
cmp(lr.chisq, "lung.logrank.sex.chisq")
cmp(lr.p, "lung.logrank.sex.p")
T.is(lr.df, 1, "1 df for 2 groups")
T.near(lr.observed[1] + lr.observed[2], lr.expected[1] + lr.expected[2], 1e-9, "sum O = sum E")
local tr = rad.logrank(t, {time = "time", event = "status", group = "sex", trend = true})
T.near(tr.chisq, lr.chisq, 1e-9, "trend test over 2 groups = the log-rank test")

-- concordance of the risk score 0.02 age - 0.5 sex
local age, sex = t:col("age"), t:col("sex")
local risk = {}
for i = 1, #age do risk[i] = 0.02 * age[i] - 0.5 * sex[i] end
local c = rad.concordance(t, {time = "time", event = "status", score = risk})
cmp(c.harrell, "lung.harrell_c.risk")
cmp(c.uno, "lung.uno_c.risk")
-- the standard error of Harrell's C against Hmisc::rcorr.cens on lung_cc
-- (../shared/data/study/README.md): models coxph(age + sex) and
-- coxph(age + sex + ph.ecog); rcorr.cens reports C and the S.D. of
-- Dxy = 2 C - 1, so the SE of C is half of lung.c<k>.sd_dxy
do
  for line in io.lines(data .. "/study/reference_values.csv") do
    local k, v = line:match('^"([^"]+)","([^"]+)"$')
    if k and k:match("^lung%.c%d") then ref[k] = tonumber(v) end
  end
  local cc = rad.read_csv(data .. "/study/lung_cc.csv")
  for k, x in ipairs{{"age", "sex"}, {"age", "sex", "ph.ecog"}} do
    local m = rad.cox(cc, {time = "time", event = "status", x = x})
    local ck = rad.concordance(cc, {time = "time", event = "status", score = m:predict(cc)})
    cmp(ck.harrell, "lung.c" .. k)
    cmp(2 * ck.harrell_se, "lung.c" .. k .. ".sd_dxy")
  end
end

-- time-dependent AUC and Brier score (no R reference values: properties)
local neg = {}
for i = 1, #risk do neg[i] = -risk[i] end
local ta = rad.td_auc(t, {time = "time", event = "status", score = risk, times = {180, 365, 730}})
local tb = rad.td_auc(t, {time = "time", event = "status", score = neg, times = {180, 365, 730}})
T.is(#ta.auc, 3, "td_auc at three times")
T.near(ta.auc[2] + tb.auc[2], 1, 1e-12, "AUC(365) of score and -score sum to 1")
T.ok(ta.auc[2] > 0.5 and ta.auc[2] < 1, "AUC(365) of the risk score above 0.5")
local s365 = km:at(365).surv
local p = {}
for i = 1, t:nrow() do p[i] = s365 end
local b1 = rad.brier(t, {time = "time", event = "status", prob = p, at = 365})
T.ok(b1.brier > 0.2 and b1.brier < 0.3, "Brier(365) of the KM prediction near S(1 - S) = 0.24")
local half = {}
for i = 1, t:nrow() do half[i] = 0.5 end
T.ok(rad.brier(t, {time = "time", event = "status", prob = half, at = 365}).brier > b1.brier,
  "the KM prediction beats a constant 0.5")

-- integrated Brier score (Graf 1999, IPCW) of a Cox(age, sex, ph.ecog) fit on the complete cases:
-- no R reference values; the step-rule integral must equal the sum of the single-time scores exactly
local tc = t:drop_na({"age", "sex", "ph.ecog"})
local cf = rad.cox(tc, {time = "time", event = "status", x = {"age", "sex", "ph.ecog"}})
local bc = rad.brier(tc, {time = "time", event = "status", model = cf, at = 365})
T.diag(string.format("Brier(365) of Cox(age, sex, ph.ecog): %.6f", bc.brier))
T.ok(bc.brier > 0 and bc.brier < 0.25, "Brier(365) of the Cox model within (0, 0.25)")
local grid = {100, 200, 300, 400, 500, 600, 700}
local ib = rad.brier(tc, {time = "time", event = "status", model = cf, times = grid})
T.is(#ib.brier, #grid, "one Brier score per time")
T.is(ib.tmax, 700, "tmax is the last time")
local sv = cf:predict(tc, {type = "survival", times = grid})
local sum, prev, same = 0, 0, true
for j, tj in ipairs(grid) do
  local pj = {}
  for i = 1, #sv do pj[i] = sv[i][j] end
  local bj = rad.brier(tc, {time = "time", event = "status", prob = pj, at = tj}).brier
  same = same and bj == ib.brier[j]
  sum = sum + (tj - prev) * bj
  prev = tj
end
T.ok(same, "each brier[j] equals the single-time Brier score at times[j]")
T.near(ib.ibs, sum / 700, 1e-15, "IBS = sum (t_j - t_j-1) BS(t_j) / 700, t_0 = 0")
T.diag(string.format("IBS over 100..700 of Cox(age, sex, ph.ecog): %.6f", ib.ibs))
T.ok(ib.ibs > 0 and ib.ibs < 0.25, "IBS within (0, 0.25)")
local ib2 = rad.brier(tc, {time = "time", event = "status", prob = sv, times = grid})
T.is(ib2.ibs, ib.ibs, "prob as n rows of k values gives the same as model =")
T.errors(function() rad.brier(tc, {time = "time", event = "status", model = cf, times = {200, 100}}) end,
  "strictly increasing", "times must increase")
T.errors(function() rad.brier(tc, {time = "time", event = "status", model = cf, times = grid, at = 365}) end,
  "not both", "at and times together are an error")
T.errors(function() rad.brier(tc, {time = "time", event = "status", prob = {{0.5}}, times = grid}) end,
  "rows", "prob with the wrong number of rows")
T.errors(function() rad.brier(tc, {time = "time", event = "status", times = grid}) end, "model",
  "neither prob nor model")
T.errors(function() rad.brier(t, {time = "time", event = "status", model = cf, times = grid}) end, "drop",
  "rows without a prediction (missing ph.ecog) are an error suggesting to drop them")

-- bad input
T.errors(function() rad.km(t, {time = "tme", event = "status"}) end, "time", "unknown time column named")
T.errors(function() rad.km(t, {time = "time", event = "age"}) end, "1 (event) and 0", "event must be 0/1")
T.errors(function() rad.logrank(t, {time = "time", event = "status", group = "ph.ecog"}) end, "drop_na",
  "missing group value: error suggests drop_na")
T.errors(function() rad.concordance(t, {time = "time", event = "status", score = {1, 2}}) end, "rows",
  "score array of the wrong length")

T.errors(function() rad.td_auc(t, {time = "time", event = "status", score = risk, times = {1}}) end, "no cases",
  "td_auc before the first event")
T.errors(function() rad.brier(t, {time = "time", event = "status", prob = risk, at = 365}) end, "probability",
  "brier rejects values outside [0, 1]")

T.diag(string.format("%d values compared with R; largest relative difference %.2e", count, worst))
T.done()
