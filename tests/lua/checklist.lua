-- radlab: rad.checklist (CLEAR and RQS pre-filled from a study run) on a small generated cohort.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local checklist = require "rad.checklist"
local dir = T.tmpdir()
rad.quiet(true)

local cdir = dir .. "/cohort"
os.execute("mkdir -p '" .. cdir .. "'")
rad.demo.neuroblastoma{n = 80, seed = 3, dir = cdir, centres = 2}

local function slurp(path)
  local f = io.open(path, "rb"); if not f then return nil end
  local s = f:read("a"); f:close(); return s
end

-- the setup of tests/lua/study.lua: random split, robustness, ComBat, the full selection
local s = rad.study{
  name = "checklist study",
  cohort = cdir .. "/manifest.csv",
  outcome = {time = "efs", event = "efs_event", unit = "months"},
  clinical = {"age", "ldh"},
  split = {test = 0.3, strata = "efs_event", seed = 2},
  features = {families = {"morph", "stat", "ih", "cm"}, discretise = {method = "fbs", width = 25}},
  robustness = {n = 2, cases = 5, threshold = 0.5},
  harmonise = {batch = "centre"},
  selection = {redundancy = 0.9, univariate = {top = 8}, lasso = {lambda = "min", folds = 3}},
  validation = {times = {24, 48}, at = 36, boot = 20},
  report = dir .. "/r",
  quiet = true,
  threads = 2,
}:run()

local AUTH = "to be completed by the authors"
local function events(t)
  local n = 0
  for _, v in ipairs(t:col("efs_event")) do n = n + v end
  return n
end

-- ---- CLEAR ----
local c = checklist.clear(s)
T.is(c:nrow(), 58, "CLEAR has 58 items")
local nums = {}
for i = 1, c:nrow() do nums[i] = c:get(i, "item") end
local want = {}
for i = 1, 58 do want[i] = i end
T.is(table.concat(nums, ","), table.concat(want, ","), "numbered 1..58 in order")
T.is(table.concat(c:names(), ","), "item,section,text,answer,status", "CLEAR columns")
T.is(c:get(1, "section"), "Title", "item 1 is in the title section")
T.is(c:get(36, "section"), "Method: modelling", "item 36 (confounders) is in the modelling section")
T.is(c:get(53, "section"), "Open science: data", "item 53 opens the open-science section")
T.is(c:get(58, "section"), "Open science: model", "item 58 closes it")

-- items the run cannot know are for the authors, with no answer
for _, i in ipairs{1, 2, 8, 16, 19, 20, 36, 49, 52} do
  T.is(c:get(i, "status"), AUTH, "item " .. i .. " (" .. c:get(i, "text") .. ") is for the authors")
end
T.is(c:get(19, "answer"), "", "the segmentation strategy has no pre-filled answer")
T.is(c:get(30, "status"), "not applicable", "class imbalance does not apply to a survival outcome")

-- pre-filled answers carry the study's own numbers
local digest = s.settings_digest:sub(1, 12)
T.is(c:get(25, "status"), "pre-filled", "feature extraction is pre-filled")
T.like(c:get(25, "answer"), "with radlab " .. rad.version .. ", which implements the IBSI feature definitions", "... with the radlab version and IBSI", true)
T.like(c:get(25, "answer"), "settings digest " .. digest, "... and the settings digest", true)
T.is(c:get(22, "answer"), "no resampling: features computed at the native voxel spacing", "no resampling in the settings")
T.is(c:get(23, "answer"), "fixed bin size of 25", "discretisation: the bin width of the settings")
T.is(c:get(24, "answer"), "original images only (no filters)", "image types")
T.is(c:get(26, "answer"), "morphology, intensity statistics, intensity histogram, grey-level co-occurrence (GLCM)",
  "feature classes: the four families of the settings")
T.is(c:get(27, "answer"), string.format("%d features per tumour", s.n_features), "number of features = s.n_features")
T.is(s.n_undefined, 0, "(no feature was undefined in this cohort)")
T.is(c:get(15, "answer"), string.format("random split stratified by efs_event (test fraction 0.3, seed 2): %d training " ..
  "patients (%d events), %d test patients (%d events)", s.train:nrow(), events(s.train), s.test:nrow(),
  events(s.test)), "data split: the split and its numbers")
T.is(c:get(38, "answer"), "internal validation on a held-out test set: " .. s.split_text, "testing: internal hold-out")
local lasso = s.trace[#s.trace]
T.is(lasso.step, "lasso_cox", "the last selection step is the lasso")
T.is(lasso.kept, #s.selected.features, "(it keeps the selected features)")
local a33 = c:get(33, "answer")
T.like(a33, string.format("(%d kept); %d features in the final score", #s.selected.features, #s.selected.features),
  "dimension reduction: the lasso step's count = #s.selected.features", true)
T.like(a33, string.format("redundancy filter (Spearman |r| > 0.9, keeping the feature with the larger |Cox z|) (%d kept)",
  s.trace[3].kept), "... and the redundancy step's count", true)
local r = s.trace[1]
T.is(r.step, "robustness", "the first step is robustness")
T.like(c:get(31, "answer"), string.format("features with ICC below 0.5 left out (%d of %d kept)", r.kept, r.from),
  "segmentation reliability: the robustness threshold and counts", true)
T.like(c:get(32, "answer"), "ComBat harmonisation by 'centre' (parametric), fitted on the training set", "harmonisation", true)
local comb = s:metric("combined", "test", "harrell_c")
T.like(c:get(47, "answer"), string.format("combined %.3f (95 %% CI %.3f to %.3f)", comb.estimate, comb.lower, comb.upper),
  "model performance: the combined model's test C with its CI", true)
local d = s:metric("combined", "test", "delta_c")
T.like(c:get(48, "answer"), string.format("combined vs clinical on test: delta C %+.3f", d.estimate),
  "comparison: delta C of the combined model", true)
T.like(c:get(35, "answer"), string.format("lambda_min = %.6g, seed 1", s.lasso.lambda), "tuning: the lasso lambda", true)

-- ---- RQS ----
local q = checklist.rqs(s)
T.is(q:nrow(), 16, "RQS has 16 components")
T.is(table.concat(q:names(), ","), "item,component,min,max,awarded,reason", "RQS columns")
local maxsum, minsum, got, known = 0, 0, 0, 0
for i = 1, 16 do
  T.is(q:get(i, "item"), i, "RQS component " .. i .. " in order")
  maxsum, minsum = maxsum + q:get(i, "max"), minsum + q:get(i, "min")
  local aw = q:get(i, "awarded")
  if aw ~= rad.NA then got, known = got + aw, known + 1 end
end
T.is(maxsum, 36, "RQS maximum total 36")
T.is(minsum, -8, "RQS minimum total -8")
local function aw(i) return q:get(i, "awarded") end
T.is(aw(5), 3, "feature reduction +3")
T.is(aw(6), 1, "multivariable with clinical variables +1")
T.is(aw(8), 1, "cut-off analysis (median risk groups) +1")
T.is(aw(9), 2, "discrimination with resampling (bootstrap optimism) +2")
T.is(aw(10), 1, "calibration slope with CI +1 (no resampled calibration)")
T.is(aw(12), 2, "validation on the same institute's held-out patients +2")
T.is(aw(14), 2, "decision curve analysis +2")
T.is(aw(16), 1, "open-source code +1")
for _, i in ipairs{1, 2, 3, 4, 7, 11, 13, 15} do T.is(aw(i), rad.NA, "RQS component " .. i .. " is NA: the run cannot prove it") end
T.like(q:get(11, "reason"), "to be completed by the authors", "... with the reason", true)
T.is(got, 13, "the points the run proves: 3 + 1 + 1 + 2 + 1 + 2 + 2 + 1")
T.is(known, 8, "from 8 components")

-- ---- checklist.md ----
local path = checklist.write(s)
T.is(path, s.dir .. "/checklist.md", "written to the report folder by default")
local md = slurp(path)
T.like(md, "^# Reporting checklists: checklist study %(pre%-filled by radlab " .. rad.version:gsub("%p", "%%%0") .. "%)\n",
  "checklist.md: the heading names the study and radlab's version")
T.like(md, "\n| 33 | Method: data preparation | Dimension reduction | on the training set only: ", "a CLEAR row", true)
T.like(md, "Spearman \\|r\\| > 0.9", "a | inside a cell is escaped", true)
T.like(md, "\n| 12 | Validation | -5 | 5 | 2 | validation on held-out patients", "an RQS row", true)
T.like(md, "Points the run proves: 13 from 8 of 16 components", "the RQS subtotal", true)
T.like(md, string.format("%d of 58 items pre-filled", select(2, md:gsub("| pre%-filled |", ""))), "the pre-filled count agrees with the rows", true)
T.ok(slurp(path .. ".tmp") == nil, "no temporary file left behind")
local other = checklist.write(s, dir .. "/other.md")
T.is(other, dir .. "/other.md", "an explicit path")
T.ok(slurp(other) == md, "two calls write identical bytes")
T.is(checklist.text(s), md, "checklist.text is the file's content")

-- the same cohort validated externally by centre, without robustness or ComBat (features from the cache)
local e = rad.study{
  name = "external", cohort = cdir .. "/manifest.csv",
  outcome = {time = "efs", event = "efs_event", unit = "months"}, clinical = {"age", "ldh"},
  split = {by = "centre", test = "B"},
  features = {families = {"morph", "stat", "ih", "cm"}, discretise = {method = "fbs", width = 25}},
  robustness = false, harmonise = false,
  selection = {redundancy = 0.9, univariate = {top = 8}, lasso = {lambda = "min", folds = 3}},
  validation = {times = {24, 48}, at = 36, boot = 0},
  report = dir .. "/r", quiet = true, threads = 2,
}:run()
T.is(e.extraction.cached, 80, "(the second study takes its features from the cache)")
local ce, qe = checklist.clear(e), checklist.rqs(e)
T.is(ce:get(38, "answer"), "centre B for external validation (training on the other values of centre)", "testing: external by centre")
T.is(qe:get(12, "awarded"), 3, "RQS validation on another institute's data +3")
T.is(qe:get(9, "awarded"), 1, "RQS discrimination without resampling (boot = 0) +1")
T.is(ce:get(31, "status"), AUTH, "no robustness analysis: segmentation reliability is for the authors")
T.is(ce:get(31, "answer"), "no robustness analysis was run", "... and says why")
T.is(ce:get(32, "answer"), "the penalised model standardised the features internally (coefficients reported in original units)",
  "no harmonisation: only the lasso's standardisation")
T.like(ce:get(40, "answer"), "; no bootstrap optimism correction", "uncertainty: no bootstrap", true)
T.done()
