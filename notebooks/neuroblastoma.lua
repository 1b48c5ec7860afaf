-- radlab showcase: do CT radiomics features add to the clinical parameters in
-- predicting event-free survival of children with neuroblastoma?
--
--   radlab notebooks/neuroblastoma.lua [DIR]        (default DIR: nb-study)
--
-- Generates the synthetic two-centre cohort (radlab-demo(7)) into DIR/cohort
-- when it is not there, then runs the study: IBSI features (cached),
-- robustness to image perturbation, ComBat by centre, variance / redundancy /
-- univariate Cox / lasso-Cox selection on centre A, the clinical,
-- radiomics-score and combined Cox models, validation on centre B, and the
-- report in DIR/report (metrics.csv, figures, summary.png, manifest.json,
-- methods.md).  SPDX-License-Identifier: GPL-3.0-or-later
local dir = arg and arg[1] or "nb-study"
local cohort_dir = dir .. "/cohort"
local manifest = cohort_dir .. "/manifest.csv"

if not io.open(manifest) then
  os.execute("mkdir -p '" .. cohort_dir:gsub("'", "'\\''") .. "'")
  io.stderr:write("study: generating 150 patients into ", cohort_dir, "\n")
  rad.demo.neuroblastoma{n = 150, seed = 1, dir = cohort_dir, centres = 2}
end

local s = rad.study{
  name = "Neuroblastoma EFS",
  cohort = manifest,
  -- the clinical factors as the risk classification uses them
  derive = function(t)
    local age18, stage_m, ldh_high, ferritin_high = {}, {}, {}, {}
    for i, a in ipairs(t:col("age")) do age18[i] = a >= 18 and 1 or 0 end
    for i, v in ipairs(t:col("stage")) do stage_m[i] = v == "M" and 1 or 0 end
    for i, v in ipairs(t:col("ldh")) do ldh_high[i] = v >= 1500 and 1 or 0 end
    for i, v in ipairs(t:col("ferritin")) do ferritin_high[i] = v >= 92 and 1 or 0 end
    t:add("age18", age18); t:add("stage_m", stage_m); t:add("ldh_high", ldh_high); t:add("ferritin_high", ferritin_high)
    return t
  end,
  outcome = {time = "efs", event = "efs_event", unit = "months"},
  clinical = {"age18", "stage_m", "mycn", "del11q", "histology", "ldh_high", "ferritin_high"},
  ref = {histology = "favourable"},
  split = {by = "centre", test = "B"},
  features = {
    resample = {spacing = {2, 2, 2}, interpolator = "linear", mask_interpolator = "linear", mask_threshold = 0.5},
    resegment = {range = {-200, 400}},
    discretise = {method = "fbs", width = 25},
  },
  robustness = {n = 2, cases = 12, threshold = 0.75},
  harmonise = {batch = "centre"},
  selection = {redundancy = 0.9, univariate = {alpha = 0.1}, lasso = {lambda = "min", folds = 10}},
  validation = {times = {36, 60}, at = 36, boot = 200},
  report = dir .. "/report",
  cache = dir .. "/cache",
}
s:run()
