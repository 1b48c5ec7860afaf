-- %% [markdown]
-- # 6. Selection without leakage
--
-- A radiomics study starts with hundreds of features and few patients, so it
-- *selects* a handful before fitting a model. Where that selection happens
-- decides whether the validation is honest. If the features are chosen on
-- **all** patients and the model is then cross-validated, every held-out fold
-- has already been looked at: the selection has leaked the outcome into the
-- test data.
--
-- To see the size of the effect we use features that carry **no information
-- at all**: pure Gaussian noise. Any model built on them has a true
-- concordance (C-index) of 0.5. Whatever it shows above 0.5 is optimism.
-- %%
local select = require "rad.select"
local cohort = require "rad.cohort"
local rng = require "rad.rng"

-- the outcome: event-free survival of a synthetic neuroblastoma cohort
-- (clinical table only, no images)
local t = rad.demo.neuroblastoma{n = 120, seed = 6, images = false}
local events = 0
for _, e in ipairs(t:col("efs_event")) do events = events + e end
print(string.format("%d patients, %d events", t:nrow(), events))

-- %% [markdown]
-- ## 200 noise features
--
-- We add 200 columns `noise001` … `noise200` drawn from a standard normal
-- distribution with a fixed seed, unrelated to the outcome by construction.
-- %%
local P = 200
local function noise_table(seed)
  local g = rng.new(seed)
  local cols = {{"efs", t:col("efs")}, {"efs_event", t:col("efs_event")}}
  local names = {}
  for j = 1, P do
    local v = {}
    for i = 1, t:nrow() do   -- Box-Muller
      v[i] = math.sqrt(-2 * math.log(1 - g:random())) * math.cos(2 * math.pi * g:random())
    end
    names[j] = string.format("noise%03d", j)
    cols[#cols + 1] = {names[j], v}
  end
  return rad.table.new(cols), names
end
local data, features = noise_table(1)
print(data:nrow() .. " rows, " .. #features .. " noise features")

-- %% [markdown]
-- ## The three numbers
--
-- * **apparent**: select the 10 features with the smallest univariate Cox p,
--   fit a Cox model on them, and measure C on the same patients;
-- * **wrong CV**: select the 10 features on all patients *once*, then run
--   5-fold cross-validation of the Cox model on those 10;
-- * **right CV**: 5-fold cross-validation in which each fold selects its own
--   10 features from its training patients only.
-- %%
local K, TOP = 5, 10
local surv = {time = "efs", event = "efs_event"}

local function pick(train)   -- univariate Cox screening: the TOP smallest p
  return (select.univariate(train, features, {time = "efs", event = "efs_event", top = TOP}))
end
local function c_index(train, test, cols)
  local fit = rad.cox(train, {time = "efs", event = "efs_event", x = cols})
  local lp = fit:predict(test)
  return rad.concordance(test, {time = "efs", event = "efs_event", score = lp}).harrell
end

local function three(d, seed)
  local chosen = pick(d)
  local apparent = c_index(d, d, chosen)
  local wrong, right = 0, 0
  for _, f in ipairs(cohort.kfold(d, {k = K, strata = "efs_event", seed = seed})) do
    wrong = wrong + c_index(f.train, f.test, chosen) / K     -- chosen on all rows
    right = right + c_index(f.train, f.test, pick(f.train)) / K
  end
  return apparent, wrong, right
end

local a, w, r = three(data, 1)
print(string.format("apparent C  %.3f", a))
print(string.format("wrong CV C  %.3f   (selection outside the folds)", w))
print(string.format("right CV C  %.3f   (selection inside each fold)", r))

-- %% [markdown]
-- On noise the apparent C is far above 0.5, and the "cross-validated" C of the
-- wrong way is almost as high: cross-validation cannot undo a selection that
-- saw the test folds. The right way lands near 0.5, the truth.
--
-- One data set can be lucky, so we repeat the experiment on 10 fresh noise
-- tables (seeds 1–10).
-- %%
rad.quiet(true)   -- a noise Cox fit may warn; keep the output readable
local strategy, cval = {}, {}
local mean = {apparent = 0, wrong = 0, right = 0}
for seed = 1, 10 do
  local d = seed == 1 and data or (noise_table(seed))
  local x = table.pack(three(d, seed))
  for k, name in ipairs({"apparent", "wrong", "right"}) do
    strategy[#strategy + 1] = ({"1 apparent", "2 wrong CV", "3 right CV"})[k]
    cval[#cval + 1] = x[k]
    mean[name] = mean[name] + x[k] / 10
  end
end
rad.quiet(false)
print(string.format("mean over 10 noise tables: apparent %.3f, wrong CV %.3f, right CV %.3f",
  mean.apparent, mean.wrong, mean.right))
print(string.format("optimism of the wrong way: %+.3f", mean.wrong - mean.right))

-- %%
local res = rad.table.new{{"strategy", strategy}, {"C", cval}}
local fig = rad.plot.box(res, {y = "C", group = "strategy", kind = "strip"})
rad.plot.show(fig, "Harrell's C of a Cox model on 10 noise features, 10 noise tables: " ..
  "only selection inside the folds gives the true value, 0.5")

-- %% [markdown]
-- ## The rule
--
-- Everything that looks at the outcome — univariate screening, redundancy
-- filters ranked by outcome, the lasso and its λ — belongs **inside** the
-- resampling loop. `select.pipeline` makes this easy: it is fitted with
-- `:fit(train)` on each fold's training patients and applied unchanged to the
-- held-out patients, and `rad.study` with `split = {cv = 5}` refits the whole
-- selection in every fold.
--
-- ## Try this
--
-- 1. Change `TOP` to 2 and to 30. How does the optimism of the wrong way change?
-- 2. Change `P` to 1000. Does the wrong CV C rise or fall? Why?
-- 3. Replace the univariate screening by `select.lasso_cox{time = "efs", event = "efs_event"}`
--    inside a `select.pipeline` and repeat the right-way cross-validation.
-- 4. Add the real clinical variable `stage` as a feature (as a 0/1 column
--    `stage == "M"`). Does the right-way C move away from 0.5?
