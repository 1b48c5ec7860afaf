-- %% [markdown]
-- # 7. Survival basics
--
-- Radiomics outcomes are usually *times to an event*: event-free survival
-- (EFS), overall survival. Some patients are followed without the event until
-- the end of the study; they are **censored**, and we know only that their
-- event time is later than their follow-up. This notebook walks through the
-- four tools of every survival analysis on a synthetic neuroblastoma cohort
-- (clinical table only, no images): Kaplan–Meier curves, the log-rank test,
-- the Cox model and its proportional-hazards check.
-- %%
local t = rad.demo.neuroblastoma{n = 150, seed = 7, images = false}
-- 0/1 versions of two risk factors as the risk classification uses them
local age18, stage_m = {}, {}
for i, a in ipairs(t:col("age")) do age18[i] = a >= 18 and 1 or 0 end
for i, s in ipairs(t:col("stage")) do stage_m[i] = s == "M" and 1 or 0 end
t:add("age18", age18); t:add("stage_m", stage_m)

local events = 0
for _, e in ipairs(t:col("efs_event")) do events = events + e end
print(string.format("%d patients, %d EFS events, %d censored", t:nrow(), events, t:nrow() - events))

-- %% [markdown]
-- ## Kaplan–Meier curves by stage
--
-- The Kaplan–Meier estimator multiplies, at every event time, the fraction of
-- patients still at risk who do not have the event. Censored patients leave
-- the risk set without an event. `rad.km` computes the curves (as R's
-- `survfit`), `rad.plot.km` draws them with the numbers at risk.
-- %%
local km = rad.km(t, {time = "efs", event = "efs_event", group = "stage"})
local at36 = km:at(36)
for _, level in ipairs({"L1", "L2", "M", "MS"}) do
  local c = at36[level]
  print(string.format("stage %-2s  3-year EFS %.2f (95%% CI %.2f-%.2f), %d at risk at 36 months",
    level, c.surv, c.lower, c.upper, c.n_risk))
end
rad.plot.show(rad.plot.km(t, {time = "efs", event = "efs_event", group = "stage", xlim = {0, 96},
  xlabel = "months"}),
  "Event-free survival by INRG stage, with the number at risk")

-- %% [markdown]
-- ## The log-rank test
--
-- The log-rank test compares the observed number of events in each group with
-- the number expected if all groups shared one survival curve. With `k` groups
-- it has `k - 1` degrees of freedom.
-- %%
local lr = rad.logrank(t, {time = "efs", event = "efs_event", group = "stage"})
print(string.format("stage (4 groups): chi-square %.1f on %d df, p = %.2g", lr.chisq, lr.df, lr.p))
for i, g in ipairs(lr.groups) do
  print(string.format("  %-2s observed %3d, expected %5.1f", g, lr.observed[i], lr.expected[i]))
end
local lr2 = rad.logrank(t, {time = "efs", event = "efs_event", group = "mycn"})
print(string.format("MYCN amplified vs not: chi-square %.1f, p = %.2g", lr2.chisq, lr2.p))

-- %% [markdown]
-- Stage M has about twice the events expected under one common curve (33
-- against 16.0), the other stages fewer; MYCN amplification separates the
-- curves even more strongly.

-- %% [markdown]
-- ## The Cox model
--
-- The log-rank test compares groups one factor at a time. The Cox
-- proportional-hazards model adjusts the factors for each other: the hazard of
-- a patient is a baseline hazard times `exp(b1 x1 + b2 x2 + ...)`, and
-- `exp(b)` is the **hazard ratio** of a factor, the others held fixed.
-- %%
local fit = rad.cox(t, {time = "efs", event = "efs_event",
  x = {"age18", "stage_m", "mycn", "del11q", "histology"}, ref = {histology = "favourable"}})
print(fit)
for _, term in ipairs(fit.terms) do
  print(string.format("%-24s HR %.2f (95%% CI %.2f-%.2f)", term, fit.hr[term], fit.hr_lower[term], fit.hr_upper[term]))
end
print(string.format("Harrell's C of the model: %.3f", fit.concordance))
rad.plot.show(rad.plot.forest(fit), "Hazard ratios of the Cox model with 95 % confidence intervals")

-- %% [markdown]
-- ## Are the hazards proportional?
--
-- The model assumes each hazard ratio is constant over time. The scaled
-- Schoenfeld residuals of a term estimate its coefficient at each event
-- time; if they drift with time, the hazard ratio is not constant.
-- `fit:zph()` tests for a trend (as R's `cox.zph`, time transformed by
-- Kaplan–Meier): a small p is evidence against proportional hazards.
-- %%
local zph = fit:zph()
for _, term in ipairs(fit.terms) do
  print(string.format("%-24s chi-square %5.2f, p = %.3f", term, zph.chisq[term], zph.p[term]))
end
print(string.format("global: chi-square %.2f on %d df, p = %.3f", zph.global.chisq, zph.global.df, zph.global.p))

-- %% [markdown]
-- No term comes near significance (global p = 0.86): nothing contradicts
-- proportional hazards here. The residuals of a 0/1 factor fall in two bands
-- (carriers and non-carriers); what matters is whether the bands drift with time.

-- %%
local xmax = 0
for _, v in ipairs(zph.x) do xmax = math.max(xmax, v) end
local fig = rad.plot.lines({
  {x = zph.x, y = zph.y.stage_m, kind = "points", label = "scaled Schoenfeld residual"},
  {x = {0, xmax}, y = {fit.coef.stage_m, fit.coef.stage_m}, label = "Cox coefficient (constant)", dash = "dashed"},
}, {xlabel = "1 - KM(t)  (event time, transformed)", ylabel = "beta(t) for stage M",
    title = string.format("stage M: PH test p = %.2f", zph.p.stage_m)})
rad.plot.show(fig, "Scaled Schoenfeld residuals of stage M against transformed time: no trend means a constant hazard ratio")

-- %% [markdown]
-- ## Try this
--
-- 1. Draw the Kaplan–Meier curves by `risk` (low / intermediate / high). Are
--    the three groups separated? What does the log-rank test say?
-- 2. Add `ldh` to the Cox model as it is, then as `log(ldh)`. Which fits
--    better (compare `fit.loglik`, or use `rad.cox_lrt` with a model without it)?
-- 3. Refit with `n = 60` patients. How wide do the hazard-ratio intervals get?
-- 4. Plot the Schoenfeld residuals of `mycn`. Does its p agree with the picture?
