-- radlab: the Cox model against R's survival::coxph on lung.csv.
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The reference values come from ../shared/data/survival/reference_values.csv
-- (R 4.2.2, survival 3.5-3): coxph(Surv(time, status) ~ age + sex + ph.ecog)
-- on the complete cases (n = 227), ties = "efron" and "breslow": coef, se,
-- loglik0, loglik, n, concordance, Wald and score tests; the same model
-- stratified by institution and with case weights ph.karno / 100; cox.zph.  Every compared pair
-- is printed with its relative difference; the tolerance is relative 1e-6.
local T = require "rad.test"
local data, why = T.data()
if not data then
  T.skip(78, "no reference data (" .. tostring(why) .. "): the Cox model is NOT compared with R")
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
  if type(got) ~= "number" then
    T.ok(false, name .. ": radlab gave " .. tostring(got))
    return
  end
  local rel = math.abs(got - want) / math.max(math.abs(want), 1e-300)
  T.diag(string.format("%-34s radlab %.12g  R %.12g  rel.diff %.2e", name, got, want, rel))
  count = count + 1
  worst = math.max(worst, rel)
  T.ok(rel <= TOL, name .. " within 1e-6")
end

local lung = rad.read_csv(data .. "/survival/lung.csv")
local t = lung:drop_na({"age", "sex", "ph.ecog"})
local x = {"age", "sex", "ph.ecog"}
local used = {}
for _, ties in ipairs({"efron", "breslow"}) do
  local fit = rad.cox(t, {time = "time", event = "status", x = x, ties = ties})
  local pre = "lung.cox." .. ties .. "."
  T.is(getmetatable(fit).__name, "rad.Cox", ties .. ": rad.cox returns a rad.Cox")
  for _, term in ipairs(fit.terms) do
    cmp(fit.coef[term], pre .. "coef." .. term)
    cmp(fit.se[term], pre .. "se." .. term)
  end
  cmp(fit.loglik0, pre .. "loglik0")
  cmp(fit.loglik, pre .. "loglik")
  cmp(fit.n, pre .. "n")
  cmp(fit.concordance, pre .. "concordance")
  cmp(fit.wald.chisq, pre .. "wald")
  cmp(fit.score.chisq, pre .. "score")
  T.near(fit.lr.chisq, 2 * (fit.loglik - fit.loglik0), 1e-9, ties .. ": LR = 2 (l - l0)")
  T.is(fit.wald.df, 3, ties .. ": 3 df")
  T.is(fit.dropped, 0, ties .. ": nothing dropped from the complete cases")
  T.near(fit.hr.sex, math.exp(fit.coef.sex), 1e-12, ties .. ": HR = exp(coef)")
  used[ties] = fit
end
-- stratified by institution: coxph(Surv(time, status) ~ age + sex + strata(inst))
-- on the complete cases of time, status, age, sex, inst (survival/README.md)
do
  local ti = lung:drop_na({"time", "status", "age", "sex", "inst"})
  local fit = rad.cox(ti, {time = "time", event = "status", x = {"age", "sex"}, strata = "inst", ties = "efron"})
  local pre = "lung.cox.strata_inst."
  cmp(fit.n, pre .. "n")
  for _, term in ipairs{"age", "sex"} do
    cmp(fit.coef[term], pre .. "coef." .. term)
    cmp(fit.se[term], pre .. "se." .. term)
  end
  cmp(fit.loglik, pre .. "loglik")
end
-- case weights: coxph(Surv(time, status) ~ age + sex, weights = ph.karno / 100)
-- on the complete cases of time, status, age, sex, ph.karno.  For non-integer
-- weights survival 3.x reports the robust (sandwich) se, and so does radlab
-- (robust = true by default for such weights; survival/README.md says
-- "model-based", but its values are R's vcov(fit), the robust variance)
do
  local tw = lung:drop_na({"time", "status", "age", "sex", "ph.karno"})
  local w = {}
  for i, k in ipairs(tw:col("ph.karno")) do w[i] = k / 100 end
  tw:add("w", w)
  local fit = rad.cox(tw, {time = "time", event = "status", x = {"age", "sex"}, weights = "w", ties = "efron"})
  local pre = "lung.cox.weights_karno."
  cmp(fit.n, pre .. "n")
  for _, term in ipairs{"age", "sex"} do
    cmp(fit.coef[term], pre .. "coef." .. term)
    cmp(fit.se[term], pre .. "se." .. term)
  end
  cmp(fit.loglik, pre .. "loglik")
end
-- robust (sandwich) variance with tied times and with strata + weights: values
-- from survival 3.4 on the complete cases of time, status, age, sex, ph.karno,
-- inst (226 rows), printed with sprintf("%.15g", ...):
--   coxph(Surv(time, status) ~ age + sex, robust = TRUE, ties = "efron" / "breslow")
--   coxph(Surv(time, status) ~ age + sex + strata(inst), weights = ph.karno / 100)
-- sqrt(diag(vcov(fit))) and fit$wald.test (the robust Wald test).
do
  local d = lung:drop_na({"time", "status", "age", "sex", "ph.karno", "inst"})
  local w = {}
  for i, k in ipairs(d:col("ph.karno")) do w[i] = k / 100 end
  d:add("w", w)
  local cases = {
    {"robust efron", {robust = true, ties = "efron"}, 0.00954136427337349, 0.160753198489559, 13.1329420644645},
    {"robust breslow", {robust = true, ties = "breslow"}, 0.00952269092437737, 0.1605142836334, 13.1386425366268},
    {"weights + strata (robust by default)", {weights = "w", strata = "inst"}, 0.00914166916264504, 0.172099811357062, 15.7315922047594},
  }
  local function rel(a, b) return math.abs(a - b) / math.abs(b) end
  for _, c in ipairs(cases) do
    local o = c[2]
    o.time, o.event, o.x = "time", "status", {"age", "sex"}
    local f = rad.cox(d, o)
    T.is(f.n, 226, c[1] .. ": 226 complete cases")
    T.ok(f.robust, c[1] .. ": fit.robust")
    T.ok(rel(f.se.age, c[3]) < 1e-9, string.format("%s: se(age) %.15g, R %.15g", c[1], f.se.age, c[3]))
    T.ok(rel(f.se.sex, c[4]) < 1e-9, string.format("%s: se(sex) %.15g, R %.15g", c[1], f.se.sex, c[4]))
    T.ok(rel(f.wald.chisq, c[5]) < 1e-9, string.format("%s: robust Wald %.15g, R %.15g", c[1], f.wald.chisq, c[5]))
    T.ok(f.naive_se.age > 0 and f.naive_se.age ~= f.se.age, c[1] .. ": naive_se kept beside the robust se")
  end
  local f0 = rad.cox(d, {time = "time", event = "status", x = {"age", "sex"}, weights = "w", robust = false})
  T.is(f0.robust, false, "robust = false: model-based se for non-integer weights")
  T.is(f0.naive_se, nil, "robust = false: no naive_se field")
end
-- every lung.cox.* reference value was compared
local nref = 0
for k in pairs(ref) do
  if k:match("^lung%.cox%.") then nref = nref + 1 end
end
T.is(count, nref, "every lung.cox.* reference value compared")
T.diag(string.format("%d values compared with R, largest relative difference %.2e", count, worst))

-- the fit on the whole table drops the incomplete rows itself
local all = rad.cox(lung, {time = "time", event = "status", x = x})
T.is(all.n, 227, "rad.cox drops rows with missing values")
T.is(all.dropped, lung:nrow() - 227, "and reports how many")
T.near(all.coef.age, used.efron.coef.age, 1e-12, "same estimate as on the complete cases")

-- predictions: lp centred at the fitting means, risk = exp(lp), survival in (0, 1]
local f = used.efron
local lp = f:predict(t)
local risk = f:predict(t, {type = "risk"})
local s = 0
for i = 1, #lp do s = s + lp[i] end
T.near(s / #lp, 0, 1e-9, "lp is centred: mean over the fitting data is 0")
T.near(risk[1], math.exp(lp[1]), 1e-12, "risk = exp(lp)")
local sv = f:predict(t, {type = "survival", times = {0, 365, 100000}})
T.is(sv[1][1], 1, "survival 1 at time 0")
T.ok(sv[1][2] > 0 and sv[1][2] < 1, "survival at a year within (0, 1)")
T.ok(sv[1][3] <= sv[1][2], "survival does not increase")
T.like(tostring(f), "ph%.ecog", "printed coefficient table names the terms")

-- proportional-hazards test: R's cox.zph(coxph(Surv(time, status) ~ age + sex + wt.loss, lung))
-- (survival 3.x, km transform) at full precision: lung.zph.<term>.chisq and lung.zph.GLOBAL.chisq
local zf = rad.cox(lung, {time = "time", event = "status", x = {"age", "sex", "wt.loss"}})
local z = zf:zph()
for _, term in ipairs(zf.terms) do
  cmp(z.chisq[term], "lung.zph." .. term .. ".chisq")
end
cmp(z.global.chisq, "lung.zph.GLOBAL.chisq")
T.is(z.global.df, 3, "cox.zph global test on 3 df")
-- cox.zph's plot data: one row per event, time ascending, x = 1 - KM(t-), y = scaled Schoenfeld residuals
T.is(#z.time, zf.nevent, "one zph row per event")
local asc, xok = true, true
for e = 1, #z.time do
  if e > 1 and (z.time[e] < z.time[e - 1] or z.x[e] < z.x[e - 1]) then asc = false end
  if not (z.x[e] >= 0 and z.x[e] < 1) then xok = false end
end
T.ok(asc, "zph time and x ascending")
T.ok(xok and z.x[1] == 0, "x = 1 - KM(t-) in [0, 1), 0 at the first event")
for _, term in ipairs(zf.terms) do
  local s = 0
  for e = 1, #z.time do s = s + z.y[term][e] end
  T.near(s / #z.time, zf.coef[term], 1e-6 * math.abs(zf.coef[term]),
    "mean scaled residual of " .. term .. " = coef (the residuals sum to the score, 0)")
end

-- strata, weights and string covariates
local st = rad.cox(t, {time = "time", event = "status", x = {"age", "ph.ecog"}, strata = "sex"})
T.is(#st.terms, 2, "stratified fit: sex is a stratum, not a term")
T.ok(st.coef.sex == nil, "no coefficient for the stratum")
T.is(#st.strata_levels, 2, "two strata levels")
local ss = st:predict(t, {type = "survival", times = {365}})
T.ok(ss[1][1] > 0 and ss[1][1] < 1, "stratified survival prediction within (0, 1)")
-- (the stratified and weighted estimates are compared with R above)
local wfit = rad.cox(t, {time = "time", event = "status", x = {"age", "sex", "ph.ecog"}, weights = "ph.karno"})
T.is(wfit.n + wfit.dropped, t:nrow(), "weighted fit: the rows with a missing weight are dropped and counted")
local sexes = {}
for i, v in ipairs(t:col("sex")) do sexes[i] = v == 1 and "male" or "female" end
local ts = rad.table.new({{"time", t:col("time")}, {"status", t:col("status")}, {"age", t:col("age")},
  {"sexs", sexes}})
local sf = rad.cox(ts, {time = "time", event = "status", x = {"age", "sexs"}})
local nf = rad.cox(t, {time = "time", event = "status", x = {"age", "sex"}})
T.near(sf.coef["sexs:male"], -nf.coef.sex, 1e-8, "string covariate: indicator of the non-reference level")
local lps, lpn = sf:predict(ts), nf:predict(t)
T.near(lps[5], lpn[5], 1e-8, "string and numeric codings give the same centred lp")

-- bad input
T.errors(function() rad.cox(t, {time = "time", event = "status", x = {"agee"}}) end, "age",
  "a misspelt covariate is named with a suggestion")
T.errors(function() rad.cox(t, {time = "time", event = "ph.ecog", x = {"age"}}) end, "0 (censored)",
  "an event coded other than 0/1 is an error")
T.errors(function() rad.cox(t, {time = "time", event = "status", x = {"age"}, ties = "exact"}) end, "ties",
  "unknown ties method is an error")
T.errors(function() rad.cox(t, {time = "time", event = "status", x = {"age"}, tie = "efron"}) end, "tie",
  "an unknown option is an error")
T.done()
