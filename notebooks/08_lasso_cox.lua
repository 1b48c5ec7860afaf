-- %% [markdown]
-- # 8. Lasso-Cox and the radiomics score
--
-- With many correlated features and few events an ordinary Cox model
-- over-fits. The **lasso** adds a penalty `λ Σ|b_j|` to the partial
-- likelihood: as `λ` grows, coefficients shrink and one after another become
-- exactly zero. Cross-validation picks `λ`; the features with a non-zero
-- coefficient are the selection, and their weighted sum `Σ b_j x_j` is the
-- **radiomics score**. We then ask two questions a clinician cares about:
-- are its predicted risks right (calibration) and would using it help
-- (decision curves)?
--
-- The data are a synthetic cohort with a table of 30 radiomic features
-- `rf01` … `rf30`: by construction only `rf01`–`rf03` carry risk, `rf04` and
-- `rf05` are noisy copies of `rf01` and `rf02`, and `rf06`–`rf30` are pure noise.
-- %%
local cohort = require "rad.cohort"
local validate = require "rad.validate"

local t = rad.demo.cohort{n = 240, seed = 1, features = 30}
local features = {}
for _, name in ipairs(t:names()) do
  if name:match("^rf%d+$") then features[#features + 1] = name end
end
local train, test = cohort.split(t, {test = 0.35, strata = "efs_event", seed = 1})
local function events(d) local e = 0; for _, v in ipairs(d:col("efs_event")) do e = e + v end; return e end
print(string.format("%d features; training %d patients (%d events), test %d (%d events)",
  #features, train:nrow(), events(train), test:nrow(), events(test)))

-- %% [markdown]
-- ## The lasso path and its cross-validation
--
-- `rad.coxnet_cv` fits the whole path (100 values of `λ`, as glmnet) and
-- 10-fold cross-validates the partial-likelihood deviance. `lambda_min`
-- minimises it; `lambda_1se` is the largest `λ` within one standard error of
-- the minimum, a sparser model that is often preferred.
-- %%
local cv = rad.coxnet_cv(train, {time = "efs", event = "efs_event", x = features, folds = 10, seed = 1})
print(string.format("lambda_min = %.4f (%d features), lambda_1se = %.4f (%d features)",
  cv.lambda_min, cv.fit.df[cv.index_min], cv.lambda_1se, cv.fit.df[cv.index_1se]))
rad.plot.show(rad.plot.lasso(cv.fit, cv),
  "Lasso-Cox coefficient paths against log(λ), with the cross-validated deviance")

-- %% [markdown]
-- Here `lambda_1se` keeps no feature at all: with 30 candidates and these
-- events, a model one standard error from the best is the empty model. We use
-- `lambda_min`. Compare the selection with the truth: which of `rf01`–`rf03`
-- are in, and how many noise features came along?
-- %%
local K = cv.index_min
local coef = cv.fit:coef(K)
local chosen = {}
for name in pairs(coef) do chosen[#chosen + 1] = name end
table.sort(chosen)
print("selected at lambda_min:")
for _, name in ipairs(chosen) do print(string.format("  %-5s %+.3f", name, coef[name])) end

-- %% [markdown]
-- ## The score
--
-- The score of a patient is the lasso's linear predictor at `lambda_min`. It
-- is computed with the training coefficients for the test patients too — the
-- test set is never used to choose anything. A Cox model on the score alone
-- then turns it into predicted survival.
-- %%
train:add("radscore", cv.fit:predict(train, K))
test:add("radscore", cv.fit:predict(test, K))
local fit = rad.cox(train, {time = "efs", event = "efs_event", x = {"radscore"}})
print(string.format("HR per unit of score %.2f (95%% CI %.2f-%.2f)",
  fit.hr.radscore, fit.hr_lower.radscore, fit.hr_upper.radscore))
for _, set in ipairs({{"training", train}, {"test", test}}) do
  local name, d = set[1], set[2]
  local c = rad.concordance(d, {time = "efs", event = "efs_event", score = "radscore"})
  print(string.format("Harrell's C on the %-8s set: %.3f (SE %.3f)", name, c.harrell, c.harrell_se))
end

-- %% [markdown]
-- ## Calibration at 36 months
--
-- We group the test patients into quartiles of predicted 3-year event-free
-- survival and compare each group's mean prediction with its Kaplan–Meier
-- estimate. Points on the diagonal mean the predictions can be taken at
-- face value.
-- %%
local AT = 36
local function surv_at(model, d)
  local s = model:predict(d, {type = "survival", times = {AT}})
  local out = {}
  for i, v in ipairs(s) do out[i] = type(v) == "table" and v[1] or v end
  return out
end
test:add("s36", surv_at(fit, test))
local cal = validate.calibration(test, {time = "efs", event = "efs_event", prob = "s36", at = AT, groups = 4})
for g, r in ipairs(cal.groups) do
  print(string.format("quartile %d: predicted %.2f, observed %.2f (%.2f-%.2f), n = %d",
    g, r.predicted, r.observed, r.lower, r.upper, r.n))
end
print(string.format("calibration slope over the quartiles: %.2f", cal.slope))
rad.plot.show(rad.plot.calibration(cal), "Calibration of predicted 3-year EFS on the test set (quartiles)")

-- %% [markdown]
-- The slope is well below 1: the predictions are **too extreme** — predicted
-- 3-year EFS is too low for the patients the score calls high-risk (0.20
-- against 0.46 observed) and too high for the low-risk ones (0.78 against 0.71). That is what over-fitting looks like on new patients: `lambda_min`
-- let five noise features into the score, and the training C (0.69) is
-- above the test C (0.60).
-- %% [markdown]
-- ## Decision curves
--
-- A decision curve asks: if we treated every patient whose predicted 3-year
-- risk exceeds a threshold `p`, how many true events would we catch, net of
-- the unnecessary treatments weighted by `p / (1 - p)`? A useful model lies
-- above both "treat all" and "treat none". We compare the score with a
-- clinical model (stage M and MYCN amplification) and with both together.
-- %%
local function mf(d)   -- 0/1 clinical factors
  local m, a = {}, {}
  for i, s in ipairs(d:col("stage")) do m[i] = s == "M" and 1 or 0 end
  for i, v in ipairs(d:col("mycn_amp")) do a[i] = v == "yes" and 1 or 0 end
  d:add("stage_m", m); d:add("mycn", a)
end
mf(train); mf(test)
local clin = rad.cox(train, {time = "efs", event = "efs_event", x = {"stage_m", "mycn"}})
local comb = rad.cox(train, {time = "efs", event = "efs_event", x = {"stage_m", "mycn", "radscore"}})
local curves, labels, thresholds = {}, {}, {}
for k = 1, 35 do thresholds[k] = k / 50 end   -- 0.02 ... 0.70
for _, m in ipairs({{"clinical", clin}, {"radiomics score", fit}, {"clinical + score", comb}}) do
  local risk = {}
  for i, s in ipairs(surv_at(m[2], test)) do risk[i] = 1 - s end
  curves[#curves + 1] = validate.dca(test, {time = "efs", event = "efs_event", risk = risk, at = AT,
    thresholds = thresholds})
  labels[#labels + 1] = m[1]
  local c = rad.concordance(test, {time = "efs", event = "efs_event", score = risk}).harrell
  print(string.format("%-17s test C %.3f", m[1], c))
end
rad.plot.show(rad.plot.dca(curves, {labels = labels}), "Decision curves at 36 months on the test set")

-- %% [markdown]
-- The combined model has the highest test C (0.670 against 0.616 for the
-- clinical model) and the highest net benefit for thresholds between about
-- 0.15 and 0.5; the score alone stays close to "treat all" below 0.3. The clinical model's curve is jagged because two 0/1 factors give
-- only four distinct predicted risks.
-- %% [markdown]
-- ## Try this
--
-- 1. Use the 1se rule on a larger cohort (`n = 600`). How many features
--    does it select now, and which?
-- 2. Change the cross-validation `seed` to 2, 3 and 4. Is the selection stable?
-- 3. Set `alpha = 0.5` (elastic net) in `rad.coxnet_cv`. Do the correlated
--    copies `rf04` and `rf05` enter the model now?
-- 4. Use `groups = 10` in the calibration. Why do the intervals widen?
