-- radlab bad-input suite: feature selection with survival and binary outcomes
-- (rad.select steps and pipelines).  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")
local select = require "rad.select"
local rng = require "rad.rng"

-- 40 patients, 5 features of pure noise (independent of the outcome), plus
-- columns with broken outcomes
local g = rng.new(99)
local spec = {{"efs", {}}, {"efs_event", {}}, {"neg", {}}, {"ev2", {}}, {"none", {}}, {"ttext", {}}, {"y", {}}}
local cols = {}
for j = 1, 5 do cols[j] = "n" .. j; spec[#spec + 1] = {cols[j], {}} end
for i = 1, 40 do
  spec[1][2][i] = 1 + 10 * g:random()
  spec[2][2][i] = g:random() < 0.7 and 1 or 0
  spec[3][2][i] = i == 3 and -2 or spec[1][2][i]
  spec[4][2][i] = i == 6 and 2 or spec[2][2][i]
  spec[5][2][i] = 0
  spec[6][2][i] = tostring(i)
  spec[7][2][i] = i % 2
  for j = 1, 5 do spec[7 + j][2][i] = g:random() end
end
local t = rad.table.new(spec)
local surv = {time = "efs", event = "efs_event"}

-- outcomes
B.call("univariate: negative time names the row and value", function()
  select.univariate(t, cols, {time = "neg", event = "efs_event"}) end,
  "select.univariate: time 'neg' is negative (-2) in row 3; follow-up times must be >= 0")
B.call("pipeline: negative time", function()
  select.pipeline({select.lasso_cox{}}, {time = "neg", event = "efs_event"}):fit(t) end,
  "Pipeline:fit: time 'neg' is negative (-2) in row 3")
B.call("univariate: event coded 2", function()
  select.univariate(t, cols, {time = "efs", event = "ev2"}) end,
  "select.univariate: event 'ev2' must be 0 (censored) or 1 (event), but row 6 has 2; recode it")
B.call("lasso_cox step: event coded 2", function()
  select.lasso_cox{}:fit(t, cols, {time = "efs", event = "ev2"}) end,
  "select.lasso_cox: event 'ev2' must be 0 (censored) or 1 (event), but row 6 has 2")
B.call("redundancy: no events", function()
  select.redundancy(t, cols, {time = "efs", event = "none"}) end,
  "select.redundancy: event 'none' has no events (every row is censored or missing)")
B.call("univariate: time read as text", function()
  select.univariate(t, cols, {time = "ttext", event = "efs_event"}) end,
  "select.univariate: time column 'ttext' holds text; it must hold numbers")
B.call("univariate: time without event", function()
  select.univariate(t, cols, {time = "efs"}) end,
  "select.univariate: a survival outcome needs both 'time' and 'event' (column names); got no 'event'")

-- missing columns are named
B.call("pipeline: missing time column", function()
  select.pipeline({select.univariate{}}, {time = "os", event = "efs_event"}):fit(t) end,
  "Pipeline:fit: no column 'os' in the table")
B.call("pipeline: missing event column (close name suggested)", function()
  select.pipeline({select.univariate{}}, {time = "efs", event = "efs_evnt"}):fit(t) end,
  "Pipeline:fit: no column 'efs_evnt' in the table (did you mean 'efs', 'efs_event'")
B.call("lasso_cox step: missing time column in the step's own options", function()
  select.lasso_cox{time = "efss", event = "efs_event"}:fit(t, cols) end,
  "select.lasso_cox: no column 'efss' in the table (did you mean 'efs'")
B.call("pipeline: time without event", function()
  select.pipeline({select.univariate{}}, {time = "efs"}) end,
  "select.pipeline: a survival outcome needs both 'time' and 'event'")

-- steps that keep nothing stop, naming the step and why
B.call("lasso_cox keeps no feature at lambda_1se", function()
  select.lasso_cox{}:fit(t, cols, surv) end,
  "select.lasso_cox: kept no feature of the 5 candidates: no coefficient is non-zero at lambda_1se = ")
local err = B.call("pipeline: lasso_cox step keeps nothing (suggests lambda = \"min\")", function()
  select.pipeline({select.variance{}, select.lasso_cox{}}, {time = "efs", event = "efs_event", cols = cols}):fit(t) end,
  "Pipeline:fit: step 2 (lasso_cox): select.lasso_cox: kept no feature of the 5 candidates")
B.T.like(err, "try lambda = \"min\", or fewer earlier filters", "lasso message suggests the fixes", true)
B.call("pipeline: univariate Cox keeps nothing", function()
  select.pipeline({select.univariate{alpha = 0.01}}, {time = "efs", event = "efs_event", cols = cols}):fit(t) end,
  "Pipeline:fit: step 1 (univariate): select.univariate: kept no feature of the 5 candidates: " ..
  "no feature has BH-adjusted q < 0.01 (smallest q = ")
B.call("stability keeps nothing", function()
  select.stability{step = select.univariate{top = 1}, B = 10, threshold = 1}:fit(t, cols, surv) end,
  "select.stability: kept no feature of the 5 candidates: no feature was selected in at least 100% of the 10 resamples")
B.call("binary univariate step keeps nothing", function()
  select.univariate{y = "y", p = 0.001}:fit(t, cols) end,
  "select.univariate: kept no feature of the 5 candidates: no feature has BH-adjusted p <= 0.001")

-- options
B.call("lasso_cox: misspelt option", function() select.lasso_cox{lamda = "min"} end,
  "select.lasso_cox: unknown option 'lamda' (allowed: time, event, alpha, lambda, folds, seed, standardize)")
B.call("univariate step: misspelt option", function() select.univariate{time = "efs", event = "efs_event", alhpa = 0.1} end,
  "select.univariate: unknown option 'alhpa' (allowed: ")
B.call("univariate: unknown option in the function form", function()
  select.univariate(t, cols, {time = "efs", event = "efs_event", fdr = 0.1}) end,
  "select.univariate: unknown option 'fdr'")
B.call("pipeline: misspelt option", function() select.pipeline({select.univariate{}}, {tim = "efs"}) end,
  "select.pipeline: unknown option 'tim' (allowed: y, time, event, id, cols)")
B.call("pipeline: old-style filter with a misspelt option", function()
  select.pipeline{time = "efs", event = "efs_event", {"redundancy", treshold = 0.8}} end,
  "select.pipeline: step 1: select.redundancy: unknown option 'treshold'")
B.call("lasso_cox: lambda that is not 1se or min", function() select.lasso_cox{lambda = 0.1} end,
  "select.lasso_cox: option 'lambda' must be \"1se\" (lambda_1se) or \"min\" (lambda_min), got 0.1")
B.call("stability without an inner step", function() select.stability{B = 10} end,
  "select.stability: option 'step' must be a selection step such as select.lasso_cox{...}, got nothing")
B.call("stability: sample fraction out of range", function()
  select.stability{step = select.lasso_cox{}, sample = 1.5} end,
  "select.stability: option 'sample' must be a fraction in (0, 1) (subsampling without replacement) or \"bootstrap\", got 1.5")
B.call("stability: B not an integer", function() select.stability{step = select.lasso_cox{}, B = 0} end,
  "select.stability: option 'B' (number of resamples) must be a positive integer, got 0")
B.call("univariate: binary option p with a survival outcome", function()
  select.univariate(t, cols, {time = "efs", event = "efs_event", p = 0.05}) end,
  "select.univariate: option 'p' is for a binary outcome; with time and event use alpha = ")
B.call("univariate: unknown survival test", function()
  select.univariate(t, cols, {time = "efs", event = "efs_event", test = "logrank"}) end,
  "select.univariate: option 'test' with a survival outcome must be \"cox_wald\", \"cox_score\" or \"cindex\", got logrank")
B.call("redundancy: by without a survival outcome", function()
  select.redundancy(t, cols, {y = "y", by = "cindex"}) end,
  "select.redundancy: option 'by' chooses the survival relevance; it needs time = and event =")
B.call("step without an outcome", function() select.univariate{}:fit(t, cols) end,
  "select.univariate: needs the outcome: give y = (a binary outcome) or time = and event = (a survival outcome)")
B.call("pipeline with both y and time/event", function()
  select.pipeline({select.univariate{}}, {y = "y", time = "efs", event = "efs_event"}) end,
  "select.pipeline: give either y (a binary outcome) or time and event (a survival outcome), not both")
B.call("lasso_logistic with a survival outcome", function()
  select.lasso_logistic{}:fit(t, cols, surv) end,
  "select.lasso_logistic: needs the outcome: give y =")
B.call("lasso_logistic with a non-binary y", function()
  select.lasso_logistic{y = "efs"}:fit(t, cols) end,
  "select.lasso_logistic: outcome 'efs' must have exactly two classes, it has 40")
B.call("pipeline: a step name that does not exist lists the known ones", function()
  select.pipeline({{"lasso", alpha = 1}}, {time = "efs", event = "efs_event"}) end,
  "select.pipeline: step 1 is neither a preprocessing step (with :fit), a selection step (select.lasso_cox{...}, ...) " ..
  "nor a filter {\"name\", options} with name one of lasso_cox, lasso_logistic, mrmr, near_zero, redundancy, stability, univariate, variance")
B.call("univariate: unknown p adjustment", function()
  select.univariate(t, cols, {time = "efs", event = "efs_event", adjust = "sidak"}) end,
  "select.univariate: option 'adjust': unknown p-value adjustment 'sidak'; use \"BH\", \"bonferroni\" or \"holm\"")

-- checklist.write (rad.checklist): a study that is not a run Study, a path that cannot be written
local checklist = require "rad.checklist"
local ck = B.dir .. "/ck.md"
B.call("checklist.write: a plain table instead of a Study", function() checklist.write({}, ck) end,
  "checklist.write: argument 1 must be a Study (s = rad.study{...}), got a plain table", {writes = {ck, ck .. ".tmp"}})
B.call("checklist.write: no study at all", function() checklist.write(nil, ck) end,
  "checklist.write: argument 1 must be a Study (s = rad.study{...}), got nil", {writes = {ck, ck .. ".tmp"}})
B.call("checklist.rqs: a number", function() checklist.rqs(3) end,
  "checklist.rqs: argument 1 must be a Study (s = rad.study{...}), got number")
local ckdir = B.dir .. "/ckstudy"
os.execute("mkdir -p '" .. ckdir .. "/cohort'")
rad.quiet(true)
rad.demo.neuroblastoma{n = 60, seed = 3, dir = ckdir .. "/cohort", centres = 1}
local ckspec = {name = "tiny", cohort = ckdir .. "/cohort/manifest.csv", outcome = {time = "efs", event = "efs_event"},
  clinical = {"age"}, split = {test = 0.3, seed = 2}, features = {families = {"stat"}}, robustness = false,
  harmonise = false, selection = {univariate = {top = 5}, lasso = {lambda = "min", folds = 3}},
  validation = {boot = 0}, report = ckdir .. "/r", quiet = true, threads = 2}
local unrun = rad.study(ckspec)
B.call("checklist.write: a Study that has not been run", function() checklist.write(unrun) end,
  "checklist.write: the study 'tiny' has not been run (no models or metrics yet); call s:run() first",
  {writes = {ckdir .. "/r/checklist.md", ckdir .. "/r/checklist.md.tmp"}})
local ran = rad.study(ckspec):run()
os.remove(ckdir .. "/r/checklist.md") -- the run's own report; the calls below must not write one
local nodir = B.dir .. "/no/such/folder/checklist.md"
B.call("checklist.write: a folder that does not exist", function() checklist.write(ran, nodir) end,
  "checklist.write: cannot write '" .. nodir .. "' (No such file or directory); choose a path in a folder that exists and is writable",
  {writes = {nodir, nodir .. ".tmp"}})
B.call("checklist.write: a folder instead of a file", function() checklist.write(ran, ckdir .. "/r") end,
  "checklist.write: cannot write '" .. ckdir .. "/r' (Is a directory); give the path of a file in a writable folder",
  {writes = {ckdir .. "/r.tmp", ckdir .. "/r/checklist.md"}})
B.call("checklist.write: a path that is not a string", function() checklist.write(ran, 42) end,
  "checklist.write: argument 2 must be the path of the file to write, got number", {writes = {ckdir .. "/r/checklist.md"}})

B.done()
