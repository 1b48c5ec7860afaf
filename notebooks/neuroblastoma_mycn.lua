-- radlab showcase, binary outcome: does CT radiomics predict MYCN
-- amplification beyond age and stage?
--
--   radlab notebooks/neuroblastoma_mycn.lua [DIR]        (default DIR: nb-study)
--
-- Uses (or generates) the same synthetic cohort as notebooks/neuroblastoma.lua
-- in DIR/cohort; extracts IBSI features (shared cache), selects on a
-- stratified 70 % training split (redundancy, Wilcoxon with BH,
-- lasso-logistic with CV), fits clinical (age >= 18 months, stage M),
-- radiomics-score and combined logistic models and validates them on the
-- other 30 %: AUC with DeLong CI, the paired DeLong test, calibration, decision
-- curves; report in DIR/report_mycn.  SPDX-License-Identifier: GPL-3.0-or-later
local dir = arg and arg[1] or "nb-study"
local cohort_dir = dir .. "/cohort"
local manifest = cohort_dir .. "/manifest.csv"

if not io.open(manifest) then
  os.execute("mkdir -p '" .. cohort_dir:gsub("'", "'\\''") .. "'")
  io.stderr:write("study: generating 150 patients into ", cohort_dir, "\n")
  rad.demo.neuroblastoma{n = 150, seed = 1, dir = cohort_dir, centres = 2}
end

local s = rad.study{
  name = "Neuroblastoma MYCN",
  cohort = manifest,
  derive = function(t)
    local age18, stage_m = {}, {}
    for i, a in ipairs(t:col("age")) do age18[i] = a >= 18 and 1 or 0 end
    for i, v in ipairs(t:col("stage")) do stage_m[i] = v == "M" and 1 or 0 end
    t:add("age18", age18); t:add("stage_m", stage_m)
    return t
  end,
  outcome = {binary = "mycn"},
  clinical = {"age18", "stage_m"},
  split = {test = 0.3, seed = 1},
  features = {
    resample = {spacing = {2, 2, 2}, interpolator = "linear", mask_interpolator = "linear", mask_threshold = 0.5},
    resegment = {range = {-200, 400}},
    discretise = {method = "fbs", width = 25},
  },
  harmonise = {batch = "centre"},
  selection = {redundancy = 0.9, univariate = {alpha = 0.05}, lasso = {lambda = "1se", folds = 10}},
  validation = {boot = 200},
  report = dir .. "/report_mycn",
  cache = dir .. "/cache",
}
s:run()
