-- radlab: rad.study end to end on a small generated cohort.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local dir = T.tmpdir()
rad.quiet(true)

local cdir = dir .. "/cohort"
os.execute("mkdir -p '" .. cdir .. "'")
rad.demo.neuroblastoma{n = 80, seed = 3, dir = cdir, centres = 2}
local manifest = cdir .. "/manifest.csv"

local function slurp(path)
  local f = io.open(path, "rb"); if not f then return nil end
  local s = f:read("a"); f:close(); return s
end

local function spec(report, extra)
  local s = {
    name = "test study",
    cohort = manifest,
    outcome = {time = "efs", event = "efs_event", unit = "months"},
    clinical = {"age", "ldh"},
    split = {test = 0.3, strata = "efs_event", seed = 2},
    features = {families = {"morph", "stat", "ih", "cm"}, discretise = {method = "fbs", width = 25}},
    robustness = {n = 2, cases = 5, threshold = 0.5},
    harmonise = {batch = "centre"},
    selection = {redundancy = 0.9, univariate = {top = 8}, lasso = {lambda = "min", folds = 3}},
    validation = {times = {24, 48}, at = 36, boot = 20},
    report = report,
    quiet = true,
    threads = 2,
  }
  for k, v in pairs(extra or {}) do s[k] = v end
  return s
end

local s = rad.study(spec(dir .. "/r1")):run()
local files = {"features.csv", "selected.csv", "metrics.csv", "cohort.csv", "manifest.json", "methods.md", "checklist.md",
  "summary.png", "summary.pdf", "report_2.png", "km_train.png", "km_test.png", "forest.png", "lasso.png"}
local missing = {}
for _, f in ipairs(files) do if not slurp(dir .. "/r1/" .. f) then missing[#missing + 1] = f end end
T.is(table.concat(missing, ", "), "", "the report folder has every file")
T.is(s.train:nrow() + s.test:nrow(), 80, "training and test sets hold every patient")
T.is(table.concat(s.models.order, ","), "clinical,radiomics,combined", "three models")

-- the metrics are the library's numbers, not recomputed differently
local lp = s.models.clinical:predict(s.test, {type = "lp"})
local c = rad.concordance(s.test, {time = "efs", event = "efs_event", score = lp})
local m = s:metric("clinical", "test", "harrell_c")
T.is(m.estimate, c.harrell, "Harrell's C of the clinical model on the test set = rad.concordance")
T.near(m.lower, c.harrell - 1.959963984540054 * c.harrell_se, 1e-12, "its lower 95 % bound")
local lp2 = s.models.combined:predict(s.test, {type = "lp"})
local d = rad.compare_c{time = s.test:col("efs"), event = s.test:col("efs_event"), a = lp, b = lp2}
T.is(s:metric("combined", "test", "delta_c").estimate, d.delta, "delta C = rad.compare_c (combined - clinical)")
T.is(s:metric("combined", "test", "delta_c").p, d.p, "and its p")
local lrt = rad.cox_lrt(s.models.clinical, s.models.combined)
T.is(s:metric("combined", "train", "lrt_vs_clinical").estimate, lrt.chisq, "LRT of the nested models = rad.cox_lrt")
-- the radiomics score: coefficients x features, by hand for the first test patient
local score = 0
for j, f in ipairs(s.selected.features) do score = score + s.selected.coef[j] * s.test:get(1, f) end
T.near(s.test:get(1, "rad_score"), score, 1e-12, "the radiomics score is the lasso linear predictor")
local sel = rad.read_csv(dir .. "/r1/selected.csv")
T.is(sel:nrow(), #s.selected.features, "selected.csv lists the selected features")
local mt = rad.read_csv(dir .. "/r1/metrics.csv")
T.is(table.concat(mt:names(), ","), "model,split,metric,estimate,lower,upper,p", "metrics.csv columns")
local man = rad.json.read(dir .. "/r1/manifest.json")
T.is(man.radlab, rad.version, "manifest: radlab version")
T.is(man.settings_digest, rad.settings.digest(spec().features), "manifest: settings digest")
T.is(#man.inputs.cases, 80, "manifest: a digest for every case's image and mask")
T.is(man.inputs.cases[1].image, rad.file_digest(s.cohort:get(1, "image")), "manifest: the image digest")
T.is(#man.metrics, mt:nrow(), "manifest: every metric")
local methods = slurp(dir .. "/r1/methods.md")
T.like(methods, "features were selected in turn by variance filter", "methods: the selection steps", true)
T.like(methods, string.format("(%d kept)", s.trace[#s.trace].kept), "methods: the numbers kept", true)

-- the same study again: the same bytes; a re-run is served by the cache
local s2 = rad.study(spec(dir .. "/r2")):run()
for _, f in ipairs{"metrics.csv", "selected.csv", "manifest.json", "methods.md", "features.csv", "summary.png", "forest.png"} do
  T.ok(slurp(dir .. "/r1/" .. f) == slurp(dir .. "/r2/" .. f), "two runs: identical " .. f)
end
local s3 = rad.study(spec(dir .. "/r1")):run()
T.is(s3.extraction.cached, 80, "a re-run takes every case from the cache")

-- a case whose extraction fails: left out, said in the manifest
local bad = cdir .. "/bad.csv"
local text = slurp(manifest)
local f = io.open(bad, "wb")
f:write((text:gsub("\n(NB002,[^,]*,)NB002_seg.nii.gz", "\n%1" .. cdir .. "/none_seg.nii.gz")))
f:close()
local s4 = rad.study(spec(dir .. "/r4", {cohort = bad, robustness = false, harmonise = false})):run()
T.is(#s4.excluded, 1, "a failed case is left out")
T.is(s4.excluded[1].id, "NB002", "... named")
T.like(rad.json.read(dir .. "/r4/manifest.json").extraction.excluded[1].reason, "none_seg.nii.gz", "... with its reason in the manifest", true)

-- bad study tables
T.errors(function() rad.study(spec(dir .. "/x", {reprot = 1})) end,
  "rad.study: unknown key 'reprot' (did you mean 'report'?)", "unknown key, with a suggestion")
T.errors(function() rad.study{name = "x", cohort = manifest, report = dir .. "/x", outcome = {time = "efs"}} end,
  "outcome needs time = and event =", "outcome without event")
local neg = cdir .. "/neg.csv"
f = io.open(neg, "wb")
f:write((text:gsub("\n(NB003,.-),([%d.]+),([01]),([%d.]+),([01])\n", function(pre, efs, ev, os_, oev)
  return "\n" .. pre .. ",-" .. efs .. "," .. ev .. "," .. os_ .. "," .. oev .. "\n" end, 1)))
f:close()
T.errors(function() rad.study(spec(dir .. "/x", {cohort = neg})):load() end,
  "outcome time 'efs' must be a number >= 0; row 3 (id NB003) has -", "negative time names the row")
T.errors(function()
  rad.study(spec(dir .. "/x", {split = {by = "centre", test = "Z"}})):split()
end, "value 'Z' does not occur in column 'centre'", "a split value that does not exist")
T.errors(function()
  rad.study(spec(dir .. "/x", {split = {by = "centre", test = "B"}, derive = function(t)
    local ev, c = {}, t:col("centre")
    for i, e in ipairs(t:col("efs_event")) do ev[i] = c[i] == "B" and 0 or e end
    t:drop("efs_event"); t:add("efs_event", ev)
    return t
  end})):split()
end, "the split leaves no event in the test set", "a test set without events")
T.errors(function()
  rad.study(spec(dir .. "/x", {robustness = false, harmonise = false,
    selection = {univariate = {alpha = 1e-300}}})):select()
end, "rad.study: selection: Pipeline:fit: step 3 (univariate)", "a selection step that keeps nothing is named")
-- ---- a binary outcome: logistic models, AUC, DeLong ---------------------------------------
local b = rad.study(spec(dir .. "/rb", {outcome = {binary = "mycn"}, clinical = {"age", "ldh"},
  split = {test = 0.3, seed = 2}, robustness = false,
  selection = {redundancy = 0.9, univariate = {top = 8}, lasso = {lambda = "min", folds = 3}}})):run()
T.is(b.models.clinical.y, "mycn", "binary: logistic models of the outcome column")
local lpb = b.models.combined:predict(b.test, {type = "link"})
local rb = rad.roc(b.test:col("mycn"), lpb)
T.is(b:metric("combined", "test", "auc").estimate, rb.auc, "binary: AUC = rad.roc")
local lpc = b.models.clinical:predict(b.test, {type = "link"})
local dt = rad.roc_test(rb, rad.roc(b.test:col("mycn"), lpc))
T.is(b:metric("combined", "test", "delta_auc").p, dt.p, "binary: the paired DeLong test = rad.roc_test")
-- on its own training data a maximum-likelihood logistic model is calibrated exactly:
-- recalibration slope 1 and intercept 0 (the score equations)
T.near(b:metric("combined", "train", "calibration_slope").estimate, 1, 1e-6, "binary: training calibration slope is 1")
T.near(b:metric("combined", "train", "calibration_intercept").estimate, 0, 1e-6, "binary: training calibration intercept is 0")
T.like(slurp(dir .. "/rb/methods.md"), "Three logistic regression models", "binary: the methods say logistic", true)
T.like(slurp(dir .. "/rb/checklist.md") or "", "| 58 |", "binary: the checklist is written with its 58 CLEAR items", true)
T.ok(slurp(dir .. "/rb/roc_test.png") and slurp(dir .. "/rb/dca.png") and slurp(dir .. "/rb/calibration.png"),
  "binary: ROC, decision curve and calibration figures")
-- the decision curve by hand: y = {1, 0, 1, 0}, risks {0.9, 0.6, 0.4, 0.1}; at pt = 0.5: TP 1, FP 1,
-- NB = 1/4 - 1/4 * 1 = 0; treat all = 0.5 - 0.5 * 1 = 0
local dc = require("rad.study")._decision_curve({1, 0, 1, 0}, {0.9, 0.6, 0.4, 0.1})
T.near(dc.net_benefit[50], 0, 1e-15, "decision curve at 0.5 by hand")
T.near(dc.net_benefit[30], 2 / 4 - 1 / 4 * (0.3 / 0.7), 1e-15, "decision curve at 0.3 by hand (TP 2, FP 1)")
T.near(dc.treat_all[20], 0.5 - 0.5 * 0.25, 1e-15, "treat all at 0.2")
T.errors(function() rad.study(spec(dir .. "/x", {outcome = {binary = "stage"}})):load() end,
  "outcome binary column 'stage' holds text: say which value is the positive class (outcome.positive)", "binary text column without positive")
T.errors(function() rad.study(spec(dir .. "/x", {outcome = {binary = "age"}})):load() end,
  "outcome binary column 'age' must hold 0 and 1", "binary column that is not 0/1")

-- stability selection: selected.csv carries each feature's selection frequency
local st = rad.study(spec(dir .. "/rs", {robustness = false, harmonise = false,
  selection = {redundancy = 0.9, univariate = {top = 8}, lasso = {lambda = "min", folds = 3},
    stability = {B = 10, threshold = 0.3, sample = "bootstrap"}}})):select()
local selt = rad.read_csv(dir .. "/rs/selected.csv")
T.is(table.concat(selt:names(), ","), "feature,coef,frequency", "stability: selected.csv has a frequency column")
local fr_ok = true
for _, v in ipairs(selt:col("frequency")) do if not (v >= 0.3 and v <= 1) then fr_ok = false end end
T.ok(fr_ok and selt:nrow() == #st.selected.features, "stability: every kept feature was selected in >= 30 % of the resamples")

-- two named feature sets: features prefixed by the set, both extracted (and cached), both in the methods
local ms = rad.study(spec(dir .. "/rm", {robustness = {n = 2, cases = 4, threshold = 0.5},
  features = {
    {name = "fbs", settings = {families = {"morph", "stat", "ih", "cm"}, discretise = {method = "fbs", width = 25}}},
    {name = "fbn", settings = {families = {"stat", "ih"}, discretise = {method = "fbn", bins = 16}}},
  }})):run()
local fnames = rad.read_csv(dir .. "/rm/features.csv"):names()
local has_fbs, has_fbn = false, false
for _, n in ipairs(fnames) do
  if n == "fbs_ih_entropy" then has_fbs = true end
  if n == "fbn_ih_entropy" then has_fbn = true end
end
T.ok(has_fbs and has_fbn, "feature sets: features.csv has fbs_ih_entropy and fbn_ih_entropy")
local single = rad.extract_cohort(manifest, {families = {"stat", "ih"}, discretise = {method = "fbn", bins = 16}})
T.is(ms.features:get(1, "fbn_ih_entropy"), single:get(1, "ih_entropy"), "feature sets: a prefixed value = the set's own extraction")
local icc_names = {}
for _, n in ipairs(ms.icc:col("feature")) do icc_names[n] = true end
T.ok(icc_names.fbs_stat_mean and icc_names.fbn_ih_entropy, "feature sets: robustness ICC per prefixed feature")
local mm = rad.json.read(dir .. "/rm/manifest.json")
T.is(#mm.feature_sets, 2, "feature sets: both in the manifest")
T.is(mm.feature_sets[2].settings_digest, rad.settings.digest{families = {"stat", "ih"}, discretise = {method = "fbn", bins = 16}},
  "feature sets: with their settings digests")
T.like(slurp(dir .. "/rm/methods.md"), "with 2 sets of settings whose features are named by the set", "feature sets: the methods name them", true)
T.errors(function() rad.study(spec(dir .. "/x", {features = {{name = "a b", settings = {}}}})):extract() end,
  "features[1].name must be a short name of letters and digits", "feature sets: a bad name")
T.errors(function() rad.study(spec(dir .. "/x", {features = {{name = "a", settings = {}}, {name = "a", settings = {}}}})):extract() end,
  "features: the name 'a' is used twice", "feature sets: a name used twice")


-- ---- repeated k-fold cross-validation -------------------------------------------------------
local cvspec = spec(dir .. "/rcv", {split = {cv = 3, repeats = 2, seed = 4}, robustness = false})
local cv = rad.study(cvspec):run()
T.is(#cv.folds, 6, "cv: 3 folds x 2 repeats")
rad.study(spec(dir .. "/rcv_again", {split = {cv = 3, repeats = 2, seed = 4}, robustness = false})):run()
for _, f in ipairs{"metrics.csv", "cv_folds.csv", "cv_selection.csv", "selected.csv", "manifest.json", "km_cv.png"} do
  T.ok(slurp(dir .. "/rcv/" .. f) == slurp(dir .. "/rcv_again/" .. f), "cv: two runs give identical " .. f)
end
T.is(cv.train:nrow(), 80, "cv: the final models are fitted on every patient")
local held = {}
for _, fd in ipairs(cv.folds) do
  if fd.rep == 1 then for _, r in ipairs(fd.test_rows) do held[r] = (held[r] or 0) + 1 end end
end
local once = 0
for r = 1, 80 do if held[r] == 1 then once = once + 1 end end
T.is(once, 80, "cv: in a repeat every patient is held out exactly once")
-- a fold's numbers = a study trained on the fold's training rows and tested on its held-out rows
local f1 = cv.folds[1]
local in1 = {}
for _, r in ipairs(f1.test_rows) do in1[r] = true end
local one = rad.study(spec(dir .. "/rcv1", {robustness = false, split = {by = "cvset", test = "held"},
  derive = function(t)
    local col = {}
    for i = 1, t:nrow() do col[i] = in1[i] and "held" or "fit" end
    t:add("cvset", col)
    return t
  end, validation = {times = {24, 48}, at = 36, boot = 0}})):validate()
local ft = rad.read_csv(dir .. "/rcv/cv_folds.csv")
T.is(table.concat(ft:names(), ","), "repeat,fold,model,metric,estimate,lower,upper,p", "cv: cv_folds.csv columns")
local function fold_value(model, metric)
  for i = 1, ft:nrow() do
    if ft:get(i, "repeat") == 1 and ft:get(i, "fold") == 1 and ft:get(i, "model") == model and ft:get(i, "metric") == metric then
      return ft:get(i, "estimate")
    end
  end
end
T.near(fold_value("clinical", "harrell_c"), one:metric("clinical", "test_held", "harrell_c").estimate, 1e-15,
  "cv: fold 1's clinical C = the same models fitted on its training rows")
T.near(fold_value("combined", "harrell_c"), one:metric("combined", "test_held", "harrell_c").estimate, 1e-15,
  "cv: fold 1's combined C (ComBat, selection and fit inside the fold) = the fold as a split")
T.near(fold_value("combined", "delta_c"), one:metric("combined", "test_held", "delta_c").estimate, 1e-15,
  "cv: fold 1's delta C likewise")
-- the cross-validated value is the mean over folds, with the 2.5 and 97.5 percentiles (type 7)
local vals = {}
for i = 1, ft:nrow() do
  if ft:get(i, "model") == "combined" and ft:get(i, "metric") == "harrell_c" then vals[#vals + 1] = ft:get(i, "estimate") end
end
T.is(#vals, 6, "cv: a C for every fold")
table.sort(vals)
local sum = 0
for _, x in ipairs(vals) do sum = sum + x end
local cvc = cv:metric("combined", "cv", "harrell_c")
T.near(cvc.estimate, sum / 6, 1e-15, "cv: the cv C is the mean of the fold values")
T.near(cvc.lower, vals[1] + 0.125 * (vals[2] - vals[1]), 1e-15, "cv: lower = 2.5th percentile (h = 1.125)")
T.near(cvc.upper, vals[5] + 0.875 * (vals[6] - vals[5]), 1e-15, "cv: upper = 97.5th percentile (h = 5.875)")
T.ok(rad.NA == cvc.p or cvc.p ~= cvc.p, "cv: no p-value for a fold mean")
local csel = rad.read_csv(dir .. "/rcv/cv_selection.csv")
local counts_ok = true
for i = 1, csel:nrow() do
  if math.abs(csel:get(i, "frequency") * 6 - csel:get(i, "folds")) > 1e-12 or csel:get(i, "folds") > 6 then counts_ok = false end
end
T.ok(counts_ok and csel:nrow() > 0, "cv: cv_selection.csv counts each feature's folds")
T.is(table.concat(rad.read_csv(dir .. "/rcv/selected.csv"):names(), ","), "feature,coef,cv_frequency",
  "cv: selected.csv has the final features' cross-validation frequency")
local cman = rad.json.read(dir .. "/rcv/manifest.json")
T.is(cman.split.folds, 3, "cv: manifest split folds")
T.is(cman.split.repeats, 2, "cv: manifest split repeats")
T.like(slurp(dir .. "/rcv/methods.md"), "Performance was estimated by 2 times repeated 3-fold cross-validation", "cv: methods", true)
T.like(slurp(dir .. "/rcv/checklist.md"), "internal validation by 2 times repeated 3-fold cross-validation", "cv: checklist", true)
T.ok(slurp(dir .. "/rcv/km_cv.png") and slurp(dir .. "/rcv/cv_folds.png") and slurp(dir .. "/rcv/report_3.png"),
  "cv: cross-validated Kaplan-Meier, fold spread and cross-validation page")
-- the null model of a fold whose selection kept nothing: the training Kaplan-Meier estimate
-- times 1 2 2 3 4, events 1 1 0 1 0: S(2.5) = 4/5 * 3/4 = 0.6; S(3) = 0.6 * 1/2 = 0.3
local nt = rad.table.new{{"efs", {1, 2, 2, 3, 4}}, {"efs_event", {1, 1, 0, 1, 0}}}
local nm = require("rad.study")._null_model({survival = true, spec = {outcome = {time = "efs", event = "efs_event"}}}, nt)
local sv = nm:predict(nt, {type = "survival", times = {2.5, 3, 0.5}})
T.near(sv[1][1], 0.6, 1e-15, "null fold model: KM at 2.5")
T.near(sv[1][2], 0.3, 1e-15, "null fold model: KM at 3")
T.is(sv[1][3], 1, "null fold model: KM before the first event")
T.is(nm:predict(nt, {type = "lp"})[4], 0, "null fold model: linear predictor 0")
-- folds whose lasso keeps nothing (this seed: all three): the score is 0, C exactly 1/2, and
-- the combined model is the clinical one (delta C exactly 0)
local ecv = rad.study(spec(dir .. "/recv", {split = {cv = 3, seed = 4}, seed = 4, robustness = false,
  selection = {redundancy = 0.9, univariate = {top = 8}, lasso = {lambda = "1se", folds = 3}},
  validation = {times = {24, 48}, at = 36, boot = 0}})):validate()
local enote = false
for _, n in ipairs(ecv.notes) do if n:find("the selection kept no feature in 3 of 3 folds", 1, true) then enote = true end end
T.ok(enote, "cv: the folds without a selected feature are counted in a note")
T.is(ecv:metric("radiomics", "cv", "harrell_c").estimate, 0.5, "cv: an empty fold selection has C 1/2")
T.is(ecv:metric("combined", "cv", "harrell_c").estimate, ecv:metric("clinical", "cv", "harrell_c").estimate,
  "cv: ... and its combined model is the clinical one")
T.is(ecv:metric("combined", "cv", "delta_c").estimate, 0, "cv: ... delta C 0")
local bcv = rad.study(spec(dir .. "/rbcv", {outcome = {binary = "mycn"}, robustness = false,
  split = {cv = 3, seed = 2}, validation = {boot = 0}})):run()
T.ok(bcv:metric("combined", "cv", "auc") ~= nil and bcv.rocs.cv.combined.auc > 0, "cv: binary outcome, cross-validated AUC")
T.errors(function() rad.study(spec(dir .. "/x", {split = {cv = 1}})) end,
  "split.cv must be the number of folds, an integer >= 2", "cv: one fold")
T.errors(function() rad.study(spec(dir .. "/x", {split = {cv = 5, by = "centre"}})) end,
  "give one or the other", "cv: cv and by together")
T.errors(function() rad.study(spec(dir .. "/x", {split = {cv = 79}})):split() end,
  "but only", "cv: more folds than events")

-- report.pdf: the text pages, then every figure page, numbered through
local function count_pages(bytes)
  local n = 0
  for tail in bytes:gmatch("/Type%s*/Page(%w?)") do if tail == "" then n = n + 1 end end
  return n
end
for _, st_ in ipairs{{s, "r1", 2}, {cv, "rcv", 3}, {b, "rb", 2}} do
  local pdf = slurp(dir .. "/" .. st_[2] .. "/report.pdf") or ""
  local pages = st_[1].report_pages
  T.is(count_pages(pdf), #pages, st_[2] .. ": report.pdf has a page per report page")
  T.is(#pages - #st_[1].page_order, #pages - st_[3], st_[2] .. ": " .. st_[3] .. " figure pages after the text pages")
  local ntext = #pages - st_[3]
  for k = 1, ntext do
    for _, dpi in ipairs{150, 300} do
      local pr = T.layout_problems(pages[k]:layout{dpi = dpi, text = true})
      T.is(#pr, 0, string.format("%s: report text page %d at %d dpi: no text overlapping or cut off%s", st_[2], k, dpi,
        #pr > 0 and " (" .. pr[1] .. ")" or ""))
    end
  end
end
T.like(slurp(dir .. "/r1/report.pdf") or "", "Keywords", "report.pdf carries its provenance", true)
T.ok(slurp(dir .. "/r1/report.pdf") == slurp(dir .. "/r2/report.pdf"), "two runs: identical report.pdf")

-- the report pages: no text overlaps other text, leaves the image or its cell, at 150 and 300 dpi
local two, three = {"summary", "report_2"}, {"summary", "report_2", "report_3"}
for _, st_ in ipairs{{s, "survival", two}, {b, "binary", two}, {cv, "cv", three}, {bcv, "binary cv", two}} do
  for _, name in ipairs(st_[3]) do
    for _, dpi in ipairs{150, 300} do
      local pr = T.layout_problems(st_[1].pages[name]:layout{dpi = dpi, text = true})
      T.is(#pr, 0, string.format("%s %s page at %d dpi: no text overlapping or cut off%s", st_[2], name, dpi,
        #pr > 0 and " (" .. pr[1] .. ")" or ""))
    end
  end
end

T.done()
