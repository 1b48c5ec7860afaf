-- radlab: reporting checklists pre-filled from a study run.  SPDX-License-Identifier: GPL-3.0-or-later
--
--   local checklist = require "rad.checklist"
--   local s = rad.study{...}:run()
--   checklist.clear(s)                  -- Table: item, section, text, answer, status
--   checklist.rqs(s)                    -- Table: item, component, min, max, awarded, reason
--   checklist.write(s)                  -- <report>/checklist.md (or a path given)
--
-- Two checklists a journal asks for, filled in with what the run itself
-- knows and nothing more:
--
-- CLEAR, the CheckList for EvaluAtion of Radiomics research (Kocak et al.,
-- Insights into Imaging 14:75, 2023; https://clearchecklist.github.io): 58
-- items.  An item the run answers (settings, numbers of features, selection
-- steps, validation design, statistics with CIs) is "pre-filled" with the
-- study's own values; an item about the manuscript, the patients, the images
-- or the segmentation is "to be completed by the authors"; an item that does
-- not apply to the study's outcome is "not applicable".
--
-- RQS, the Radiomics Quality Score (Lambin et al., Nat Rev Clin Oncol
-- 14:749-762, 2017): 16 components, total -8 to 36 points.  Points are given
-- only for what the run proves (feature reduction, a multivariable model with
-- clinical variables, risk groups at a cut-off, discrimination and
-- calibration statistics, the validation design, open-source code, decision
-- curve analysis); every other component is NA with the reason, for the
-- authors to score.  The item texts here are short paraphrases; the
-- published checklists are the reference.

local checklist = {}

local NA = rad.NA
local function isna(v) return v == nil or v == NA or (type(v) == "number" and v ~= v) end

local AUTHORS = "to be completed by the authors"
local PREFILLED = "pre-filled"
local NOT_APPLICABLE = "not applicable"

-- ---- the item lists ---------------------------------------------------------------------------

-- CLEAR v1.0: number, section, short paraphrase of the item.
local CLEAR = {
  {1, "Title", "Title says the study is radiomic and names its method"},
  {2, "Abstract", "Structured abstract with the key information"},
  {3, "Keywords", "Keywords suited to a radiomics study"},
  {4, "Introduction", "Scientific or clinical background"},
  {5, "Introduction", "Why a radiomic approach is used"},
  {6, "Introduction", "Objectives of the study"},
  {7, "Method: study design", "Guidelines or checklists followed (e.g. CLEAR)"},
  {8, "Method: study design", "Ethics: approval, consent, data protection"},
  {9, "Method: study design", "How the sample size was determined"},
  {10, "Method: study design", "Nature of the study (retrospective, prospective)"},
  {11, "Method: study design", "Eligibility criteria"},
  {12, "Method: study design", "Flowchart of the technical pipeline"},
  {13, "Method: data", "Source of the data (private, public)"},
  {14, "Method: data", "Overlap with data of earlier publications"},
  {15, "Method: data", "How the data were split"},
  {16, "Method: data", "Imaging protocol (acquisition and reconstruction)"},
  {17, "Method: data", "Definition of the non-radiomic predictors"},
  {18, "Method: data", "Definition of the reference standard (outcome)"},
  {19, "Method: segmentation", "Segmentation strategy"},
  {20, "Method: segmentation", "Who segmented, and their experience"},
  {21, "Method: pre-processing", "Image pre-processing details"},
  {22, "Method: pre-processing", "Resampling method and parameters"},
  {23, "Method: pre-processing", "Discretisation method and parameters"},
  {24, "Method: pre-processing", "Image types (original, filtered, transformed)"},
  {25, "Method: feature extraction", "Feature extraction method (software, version, standard)"},
  {26, "Method: feature extraction", "Feature classes"},
  {27, "Method: feature extraction", "Number of features"},
  {28, "Method: feature extraction", "Statement that unlisted parameters were left at their defaults"},
  {29, "Method: data preparation", "Handling of missing data"},
  {30, "Method: data preparation", "Class imbalance"},
  {31, "Method: data preparation", "Reliability of features under segmentation variation"},
  {32, "Method: data preparation", "Feature scaling (normalisation, standardisation, harmonisation)"},
  {33, "Method: data preparation", "Dimension reduction"},
  {34, "Method: modelling", "Algorithms used"},
  {35, "Method: modelling", "Training and tuning"},
  {36, "Method: modelling", "Handling of confounders"},
  {37, "Method: modelling", "Strategy for choosing the model"},
  {38, "Method: evaluation", "Testing technique (internal, external)"},
  {39, "Method: evaluation", "Performance metrics and why they were chosen"},
  {40, "Method: evaluation", "Uncertainty of the estimates (e.g. confidence intervals)"},
  {41, "Method: evaluation", "Statistical comparison of performance"},
  {42, "Method: evaluation", "Comparison with non-radiomic and combined models"},
  {43, "Method: evaluation", "Methods for interpretability and explainability"},
  {44, "Results", "Baseline demographic and clinical characteristics"},
  {45, "Results", "Flowchart of the eligibility criteria"},
  {46, "Results", "Feature statistics (reproducibility, selection)"},
  {47, "Results", "Performance of the models"},
  {48, "Results", "Comparison with non-radiomic and combined models"},
  {49, "Discussion", "Summary of the main findings"},
  {50, "Discussion", "Earlier work and how this study differs"},
  {51, "Discussion", "Practical implications"},
  {52, "Discussion", "Strengths and limitations (bias, generalisability)"},
  {53, "Open science: data", "Images and segmentations shared (not essential)"},
  {54, "Open science: data", "Radiomic feature data shared"},
  {55, "Open science: code", "Pre-processing scripts or settings shared"},
  {56, "Open science: code", "Modelling source code shared"},
  {57, "Open science: model", "Final model files shared"},
  {58, "Open science: model", "Ready-to-use system shared (not essential)"},
}

-- RQS 1.0: number, component, minimum, maximum points, how the points are given.
local RQS = {
  {1, "Image protocol quality", 0, 2, "+1 protocols well documented, +1 a public protocol used"},
  {2, "Multiple segmentations", 0, 1, "+1 features tested on segmentations by several readers or algorithms"},
  {3, "Phantom study on all scanners", 0, 1, "+1 inter-scanner and vendor effects measured on a phantom"},
  {4, "Imaging at multiple time points", 0, 1, "+1 test-retest imaging at more than one time point"},
  {5, "Feature reduction or adjustment for multiple testing", -3, 3, "-3 if neither, +3 if either"},
  {6, "Multivariable analysis with non-radiomic features", 0, 1, "+1 model combining radiomic and non-radiomic variables"},
  {7, "Detect and discuss biological correlates", 0, 1, "+1 phenotypic or biological correlates shown"},
  {8, "Cut-off analyses", 0, 1, "+1 risk groups at the median, a published cut-off, or a reported continuous risk"},
  {9, "Discrimination statistics", 0, 2, "+1 statistic with significance, +1 with a resampling method"},
  {10, "Calibration statistics", 0, 2, "+1 statistic with significance, +1 with a resampling method"},
  {11, "Prospective study registered in a trial database", 0, 7, "+7 prospective validation in a registered trial"},
  {12, "Validation", -5, 5, "-5 none, +2 same institute, +3 another institute, +4 two institutes or a published signature, +5 three or more"},
  {13, "Comparison to 'gold standard'", 0, 2, "+2 agreement with or superiority to the current gold standard"},
  {14, "Potential clinical utility", 0, 2, "+2 clinical application discussed (e.g. decision curve analysis)"},
  {15, "Cost-effectiveness analysis", 0, 1, "+1 cost-effectiveness analysis"},
  {16, "Open science and data", 0, 4, "+1 each: scans, segmentations, code, representative features and ROIs open"},
}

-- ---- reading the run ----------------------------------------------------------------------------

-- shared with the methods text of rad.study
local study_mod = require "rad.study"
local FAMILY, ALL_FAMILIES, fmt, pfmt = study_mod._family_names, study_mod._all_families, study_mod._fmt, study_mod._pfmt

local function check_study(s, fname)
  local mt = getmetatable(s)
  if type(s) ~= "table" or type(mt) ~= "table" or mt.__name ~= "rad.Study" then
    local what = type(s) == "table" and "a plain table" or type(s)
    error(string.format("%s: argument 1 must be a Study (s = rad.study{...}), got %s", fname, what), 3)
  end
  if not s.metrics or not s.selected or not s.models then
    error(string.format("%s: the study '%s' has not been run (no models or metrics yet); call s:run() first",
      fname, tostring(s.spec and s.spec.name)), 3)
  end
  return s
end

local function events(s, t)
  local o = s.spec.outcome
  local col, pos = o.event or o.binary, o.positive or 1
  local n = 0
  for _, v in ipairs(t:col(col)) do if v == pos then n = n + 1 end end
  return n
end

-- Everything both lists need, read once from the study.
local function facts(s)
  local f = {s = s, spec = s.spec, o = s.spec.outcome, survival = s.spec.outcome.binary == nil}
  f.st = rad.settings.check(s.settings or {})
  f.external = s.spec.split and s.spec.split.by ~= nil
  f.split = s.split_name
  -- cross-validation: every patient trains the final models, each is held out once per repeat
  f.cv = s.folds ~= nil
  f.ntrain, f.ntest = s.train:nrow(), f.cv and 0 or s.test:nrow()
  f.etrain, f.etest = events(s, s.train), f.cv and 0 or events(s, s.test)
  f.clinical = s.spec.clinical or {}
  f.has = {}
  local mt = s.metrics
  for i = 1, mt:nrow() do f.has[mt:get(i, "metric")] = true end
  f.metric = function(model, split, name) return s:metric(model, split, name) end
  f.steps = {}
  for _, tr in ipairs(s.trace or {}) do
    if tr.step ~= "robustness" then f.steps[#f.steps + 1] = string.format("%s (%d kept)", tr.method or tr.step, tr.kept) end
  end
  f.robust_trace = nil
  for _, tr in ipairs(s.trace or {}) do if tr.step == "robustness" then f.robust_trace = tr end end
  f.figure = {}
  for _, name in ipairs(s.figures or {}) do f.figure[name] = true end
  return f
end

-- "clinical 0.657 (95 % CI 0.461-0.853)" for the metric of every model on a split.
local function per_model(f, split, name)
  local out = {}
  for _, m in ipairs(f.s.models.order) do
    local r = f.metric(m, split, name)
    if r then
      out[#out + 1] = string.format("%s %s (%s %s to %s)", m, fmt(r.estimate), split == "cv" and "fold range" or "95 % CI",
        fmt(r.lower), fmt(r.upper))
    end
  end
  return table.concat(out, ", ")
end

local function metric_names(f)
  local seen, out = {}, {}
  local mt = f.s.metrics
  for i = 1, mt:nrow() do
    local m = mt:get(i, "metric")
    if not seen[m] then seen[m] = true; out[#out + 1] = m end
  end
  return out
end

-- ---- CLEAR answers ------------------------------------------------------------------------------

-- Each function returns answer, status (default pre-filled); items without one are for the authors.
local ANSWER = {}

ANSWER[9] = function(f)
  return string.format("%d patients analysed (%d events); how the size was decided is for the authors",
    f.ntrain + f.ntest, f.etrain + f.etest), AUTHORS
end
ANSWER[11] = function(f)
  local e = f.s.extraction
  return string.format("%d cases in the manifest, %d analysed%s; the clinical criteria are for the authors", e.cases, e.ok,
    #f.s.excluded > 0 and string.format(", %d left out because feature extraction failed", #f.s.excluded) or ""), AUTHORS
end
ANSWER[15] = function(f)
  if f.cv then
    return string.format("%s over %d patients (%d events); the final models were fitted on all of them", f.s.split_text,
      f.ntrain, f.etrain)
  end
  return string.format("%s: %d training patients (%d events), %d test patients (%d events)", f.s.split_text,
    f.ntrain, f.etrain, f.ntest, f.etest)
end
ANSWER[17] = function(f)
  if #f.clinical == 0 then return "no non-radiomic predictors were used", NOT_APPLICABLE end
  return string.format("clinical covariates %s (their clinical definitions: to be added by the authors)",
    table.concat(f.clinical, ", "))
end
ANSWER[18] = function(f)
  if f.survival then
    return string.format("time to event '%s' (%s), event indicator '%s' (1 = event); %d events in %d patients",
      f.o.time, f.o.unit or "unit not given", f.o.event, f.etrain + f.etest, f.ntrain + f.ntest)
  end
  return string.format("binary outcome '%s' (positive = %s); %d positive in %d patients", f.o.binary,
    tostring(f.o.positive or 1), f.etrain + f.etest, f.ntrain + f.ntest)
end
ANSWER[21] = function(f)
  local st, p = f.st, {}
  if st.resegment and st.resegment.range then
    p[#p + 1] = string.format("ROI re-segmented to the intensity range [%g, %g]", st.resegment.range[1], st.resegment.range[2])
  end
  if st.resegment and st.resegment.outliers then
    p[#p + 1] = string.format("outliers beyond %g SD removed from the ROI", st.resegment.outliers)
  end
  if st.round then p[#p + 1] = "intensities rounded to integers" end
  p[#p + 1] = study_mod._normalisation_text(st)
  if #p == 0 then p[1] = "no re-segmentation or intensity rounding" end
  return table.concat(p, "; ") .. " (radlab settings digest " .. (f.s.settings_digest or ""):sub(1, 12) .. ")"
end
ANSWER[22] = function(f)
  local r = f.st.resample
  if not r then return "no resampling: features computed at the native voxel spacing" end
  return string.format("resampled to %s mm voxels (%s), %s interpolation of the image, %s of the mask (threshold %g)",
    table.concat(r.spacing, " x "), r.in_plane and "in-plane" or "3D", r.interpolator, r.mask_interpolator, r.mask_threshold)
end
ANSWER[23] = function(f)
  local d = f.st.discretise or {}
  if d.method == "fbs" then
    return string.format("fixed bin size of %g%s", d.width, d.min and string.format(" from %g", d.min) or "")
  end
  return string.format("fixed bin number, %d bins", d.bins or 32)
end
ANSWER[24] = function(f)
  local flt = f.s.settings and (f.s.settings.filters or f.s.settings.filter)
  if flt then return "filtered images as in the settings (see manifest.json)" end
  return "original images only (no filters)"
end
ANSWER[25] = function(f)
  return string.format("hand-crafted features computed with radlab %s, which implements the IBSI feature " ..
    "definitions and is tested against the IBSI reference values; settings digest %s", rad.version,
    (f.s.settings_digest or ""):sub(1, 12))
end
ANSWER[26] = function(f)
  local fams = {}
  for _, k in ipairs(f.s.settings and f.s.settings.families or ALL_FAMILIES) do fams[#fams + 1] = FAMILY[k] or k end
  return table.concat(fams, ", ")
end
ANSWER[27] = function(f)
  return string.format("%d features per tumour%s", f.s.n_features,
    f.s.n_undefined > 0 and string.format(" (%d undefined for some tumours left out)", f.s.n_undefined) or "")
end
ANSWER[28] = function()
  return "every setting not given in the study was left at radlab's default; the complete settings are in manifest.json"
end
ANSWER[29] = function(f)
  return string.format("%d features undefined for some tumours were left out; %d cases without features were excluded; " ..
    "models used complete cases", f.s.n_undefined, #f.s.excluded)
end
ANSWER[30] = function(f)
  if f.cv then
    return string.format("%s: %d of %d patients; cross-validation folds stratified by %s", f.survival and "events" or
      "positive cases", f.etrain, f.ntrain, f.s.cv.strata), f.survival and NOT_APPLICABLE or nil
  end
  if f.survival then
    return string.format("survival outcome (no classes); events: %d of %d training, %d of %d test patients",
      f.etrain, f.ntrain, f.etest, f.ntest), NOT_APPLICABLE
  end
  return string.format("positive cases: %d of %d training, %d of %d test patients; no resampling for imbalance",
    f.etrain, f.ntrain, f.etest, f.ntest)
end
ANSWER[31] = function(f)
  local r = f.spec.robustness
  if not r then return "no robustness analysis was run", AUTHORS end
  local tr = f.robust_trace
  return string.format("ICC(2,1) of each feature over %d image perturbations (noise, rotation, translation, " ..
    "ROI volume change) of training cases; features with ICC below %g left out%s", r.n or 2, r.threshold or 0.75,
    tr and string.format(" (%d of %d kept)", tr.kept, tr.from) or "")
end
ANSWER[32] = function(f)
  local h = f.spec.harmonise
  local p = {}
  if h then
    p[1] = string.format("ComBat harmonisation by '%s' (%s), fitted on the training set and applied to the test set",
      h.batch, h.parametric == false and "non-parametric" or "parametric")
  end
  p[#p + 1] = "the penalised model standardised the features internally (coefficients reported in original units)"
  return table.concat(p, "; ")
end
ANSWER[33] = function(f)
  return string.format("%s: %s; %d features in the final score", f.cv and "on all patients for the final models, and " ..
    "repeated inside each cross-validation training fold" or "on the training set only", table.concat(f.steps, ", then "),
    #f.s.selected.features)
end
ANSWER[34] = function(f)
  local kind = f.survival and "Cox proportional-hazards models (Efron ties)" or "logistic regression models"
  return string.format("%s: %s; radiomics score from lasso-penalised %s regression", kind,
    table.concat(f.s.models.order, ", "), f.survival and "Cox" or "logistic")
end
ANSWER[35] = function(f)
  local l = f.s.lasso or {}
  local folds = f.spec.selection and f.spec.selection.lasso and f.spec.selection.lasso.folds or 10
  return string.format("lasso penalty chosen by %d-fold cross-validation on the " .. (f.cv and "patients it was fitted on" or
    "training set") .. " (lambda_%s = %s, seed %d)",
    folds, l.rule or "1se", isna(l.lambda) and "NA" or string.format("%.6g", l.lambda), f.s.seed)
end
ANSWER[37] = function(f)
  return string.format("no choice among models: all %d pre-specified models (%s) are reported",
    #f.s.models.order, table.concat(f.s.models.order, ", "))
end
ANSWER[38] = function(f)
  if f.external then return f.s.split_text end
  if f.cv then return "internal validation by " .. f.s.split_text .. ", every step from harmonisation to model fitting " ..
    "repeated inside each training fold; no held-out test set" end
  return "internal validation on a held-out test set: " .. f.s.split_text
end
ANSWER[39] = function(f)
  return "computed: " .. table.concat(metric_names(f), ", ") .. "; the rationale is for the authors"
end
ANSWER[40] = function(f)
  local boot = f.spec.validation and f.spec.validation.boot
  if boot == nil then boot = 200 end
  return string.format("95 %% confidence intervals for every C and time-dependent AUC; %s",
    f.has.harrell_c_corrected and string.format("bootstrap optimism correction of C (%d resamples) on the training set", boot)
      or "no bootstrap optimism correction")
end
ANSWER[41] = function(f)
  if not f.has.delta_c then return "no model was compared", AUTHORS end
  local p = {"difference in C from the clinical model by the paired U-statistic method (as Hmisc rcorrp.cens)"}
  if f.has.lrt_vs_clinical then p[2] = "likelihood-ratio test of the clinical vs combined model" end
  return table.concat(p, "; ")
end
ANSWER[42] = function(f)
  if not f.s.models.clinical then return "no non-radiomic model", AUTHORS end
  return "clinical model, radiomics score alone and combined model compared on the same patients"
end
ANSWER[45] = function(f)
  local e = f.s.extraction
  if f.cv then
    return string.format("numbers for the flowchart: %d in the manifest, %d excluded (extraction failed), %d analysed by %s",
      e.cases, #f.s.excluded, f.ntrain, f.s.split_text), AUTHORS
  end
  return string.format("numbers for the flowchart: %d in the manifest, %d excluded (extraction failed), %d training, %d test",
    e.cases, #f.s.excluded, f.ntrain, f.ntest), AUTHORS
end
ANSWER[46] = function(f)
  local p = {}
  if f.robust_trace then p[1] = string.format("robustness: %d of %d features kept", f.robust_trace.kept, f.robust_trace.from) end
  p[#p + 1] = string.format("selection: %d features -> %s", f.s.n_features, table.concat(f.steps, " -> "))
  p[#p + 1] = "final features: " .. table.concat(f.s.selected.features, ", ")
  return table.concat(p, "; ")
end
ANSWER[47] = function(f)
  return string.format("Harrell's C, training: %s; %s: %s", per_model(f, "train", "harrell_c"), f.split,
    per_model(f, f.split, "harrell_c"))
end
ANSWER[48] = function(f)
  local out = {}
  for _, m in ipairs(f.s.models.order) do
    local d = f.metric(m, f.split, "delta_c")
    if d then
      out[#out + 1] = f.cv and string.format("%s vs clinical, cross-validated: delta C %+.3f (fold range %s to %s; " ..
        "no p-value: the folds share patients)", m, d.estimate, fmt(d.lower), fmt(d.upper)) or
        string.format("%s vs clinical on %s: delta C %+.3f (95 %% CI %s to %s), p %s", m, f.split,
        d.estimate, fmt(d.lower), fmt(d.upper), pfmt(d.p))
    end
  end
  if #out == 0 then return "no comparison was run", AUTHORS end
  return table.concat(out, "; ")
end
ANSWER[54] = function()
  return "features.csv in the report folder holds the features of every case; sharing it is for the authors", AUTHORS
end
ANSWER[55] = function(f)
  return string.format("radlab is open source (GPL-3.0-or-later); the complete settings (digest %s) are in manifest.json " ..
    "and the study script reproduces the run: share the script with the paper", (f.s.settings_digest or ""):sub(1, 12))
end
ANSWER[56] = function()
  return "the models are fitted by radlab (open source, GPL-3.0-or-later) from the study script: share the script"
end
ANSWER[57] = function()
  return "manifest.json and selected.csv hold the selected features and coefficients; sharing them is for the authors", AUTHORS
end

--- checklist.clear(study) -> Table: the 58 CLEAR items (item, section, text, answer, status: "pre-filled", "to be completed by the authors" or "not applicable"), answered from the run of study (after s:run())
function checklist.clear(s)
  check_study(s, "checklist.clear")
  local f = facts(s)
  local c = {item = {}, section = {}, text = {}, answer = {}, status = {}}
  for i, it in ipairs(CLEAR) do
    local answer, status = "", AUTHORS
    if ANSWER[it[1]] then
      answer, status = ANSWER[it[1]](f)
      status = status or PREFILLED
    end
    c.item[i], c.section[i], c.text[i], c.answer[i], c.status[i] = it[1], it[2], it[3], answer, status
  end
  return rad.table.new{{"item", c.item}, {"section", c.section}, {"text", c.text}, {"answer", c.answer},
    {"status", c.status}}
end

-- ---- RQS points ---------------------------------------------------------------------------------

local POINTS = {}

POINTS[2] = function(f)
  if f.spec.robustness then
    return nil, "the run perturbed the ROI (volume changes) but did not use segmentations by several readers or algorithms"
  end
end
POINTS[4] = function() return nil, "the run has one image per patient; test-retest imaging is for the authors" end
POINTS[5] = function(f)
  return 3, string.format("feature reduction on the training set: %d features -> %d (%s)", f.s.n_features,
    #f.s.selected.features, table.concat(f.steps, ", then "))
end
POINTS[6] = function(f)
  if f.s.models.combined and #f.clinical > 0 then
    return 1, "combined model of the radiomics score with " .. table.concat(f.clinical, ", ")
  end
  return nil, "no model combined the radiomics score with non-radiomic variables"
end
POINTS[8] = function(f)
  if f.has.logrank_risk_groups then
    return 1, "risk groups at the training median of each score, applied unchanged to the test set (log-rank test)"
  end
  return nil, "no risk groups were formed"
end
POINTS[9] = function(f)
  if not (f.has.harrell_c or f.has.auc) then return nil, "no discrimination statistic was computed" end
  if f.has.harrell_c_corrected then
    return 2, "C with 95 % CI on every set, and the bootstrap optimism-corrected C on the training set (resampling)"
  end
  return 1, "C with 95 % CI on every set; no resampling"
end
POINTS[10] = function(f)
  if f.has.calibration_slope and f.cv then
    return 2, "calibration slope with 95 % CI on the final models, and its mean over the cross-validation folds (resampling)"
  end
  if f.has.calibration_slope then
    return 1, "calibration slope with 95 % CI and p (metrics.csv); the run did not resample calibration"
  end
  return nil, "no calibration statistic was computed"
end
POINTS[12] = function(f)
  if f.external then
    return 3, "validation on a dataset from another institute (" .. f.s.split_text ..
      "; check that the test centre is a distinct institute)"
  end
  return 2, "validation on held-out patients from the same dataset: " .. f.s.split_text
end
POINTS[13] = function(f)
  if f.has.delta_c then
    return nil, "the run compares with the clinical model (delta C with p); whether it is the gold standard is for the authors"
  end
end
POINTS[14] = function(f)
  if f.figure["dca.png"] then
    return 2, "decision curve analysis (dca.png); describe the clinical application in the paper"
  end
  return nil, "no decision curve analysis was run"
end
POINTS[16] = function()
  return 1, "code: radlab is open source (GPL-3.0-or-later) and the study script reproduces the run (publish it); " ..
    "open scans, segmentations and features: to be completed by the authors"
end

--- checklist.rqs(study) -> Table: the 16 Radiomics Quality Score components (item, component, min, max, awarded, reason); points are awarded only for what the run proves, the rest are NA for the authors
function checklist.rqs(s)
  check_study(s, "checklist.rqs")
  local f = facts(s)
  local r = {item = {}, component = {}, min = {}, max = {}, awarded = {}, reason = {}}
  for i, it in ipairs(RQS) do
    local pts, why
    if POINTS[it[1]] then pts, why = POINTS[it[1]](f) end
    r.item[i], r.component[i], r.min[i], r.max[i] = it[1], it[2], it[3], it[4]
    r.awarded[i] = pts or NA
    r.reason[i] = why or ("not known to the run (" .. it[5] .. "): " .. AUTHORS)
  end
  return rad.table.new{{"item", r.item}, {"component", r.component}, {"min", r.min}, {"max", r.max},
    {"awarded", r.awarded}, {"reason", r.reason}}
end

-- ---- checklist.md -------------------------------------------------------------------------------

local function cell(v)
  if isna(v) then return "NA" end
  if math.type(v) == "float" and v == math.floor(v) then v = math.tointeger(v) end
  return (tostring(v):gsub("[\r\n]+", " "):gsub("|", "\\|"))
end

local function md_table(t, cols, heads)
  local lines = {"| " .. table.concat(heads, " | ") .. " |", "|" .. string.rep(" --- |", #heads)}
  for i = 1, t:nrow() do
    local row = {}
    for j, c in ipairs(cols) do row[j] = cell(t:get(i, c)) end
    lines[#lines + 1] = "| " .. table.concat(row, " | ") .. " |"
  end
  return table.concat(lines, "\n")
end

--- checklist.text(study) -> string: checklist.md's text: the CLEAR items and the RQS components as markdown tables
function checklist.text(s)
  check_study(s, "checklist.text")
  local c, q = checklist.clear(s), checklist.rqs(s)
  local n, sum, known = {}, 0, 0
  for i = 1, c:nrow() do local st = c:get(i, "status"); n[st] = (n[st] or 0) + 1 end
  for i = 1, q:nrow() do
    local a = q:get(i, "awarded")
    if not isna(a) then sum, known = sum + a, known + 1 end
  end
  local out = {
    string.format("# Reporting checklists: %s (pre-filled by radlab %s)", s.spec.name, rad.version), "",
    "Answers marked \"pre-filled\" come from the study run (settings, counts, statistics); check them against " ..
    "the manuscript.  Everything marked \"" .. AUTHORS .. "\" needs the authors.", "",
    "## CLEAR checklist", "",
    "CheckList for EvaluAtion of Radiomics research (Kocak et al., Insights Imaging 2023;14:75; " ..
    "https://clearchecklist.github.io); item texts abridged.  " ..
    string.format("%d of %d items pre-filled, %d not applicable, %d for the authors.", n[PREFILLED] or 0, c:nrow(),
      n[NOT_APPLICABLE] or 0, n[AUTHORS] or 0), "",
    md_table(c, {"item", "section", "text", "answer", "status"}, {"No.", "Section", "Item", "Answer", "Status"}), "",
    "## Radiomics Quality Score", "",
    "RQS (Lambin et al., Nat Rev Clin Oncol 2017;14:749-762); 16 components, total -8 to 36.  " ..
    string.format("Points the run proves: %d from %d of 16 components; the other components (NA) are for the authors.",
      sum, known), "",
    md_table(q, {"item", "component", "min", "max", "awarded", "reason"}, {"No.", "Component", "Min", "Max", "Awarded", "Reason"}),
    "",
  }
  return table.concat(out, "\n")
end

--- checklist.write(study [, path]) -> path: write checklist.md (default <report>/checklist.md) atomically: a temporary file renamed into place, nothing left behind on failure
function checklist.write(s, path)
  check_study(s, "checklist.write")
  if path ~= nil and type(path) ~= "string" then
    error("checklist.write: argument 2 must be the path of the file to write, got " .. type(path), 2)
  end
  path = path or (s.dir .. "/checklist.md")
  local text = checklist.text(s)
  local tmp = path .. ".tmp"
  local fh, err = io.open(tmp, "wb")
  if not fh then
    if err:sub(1, #tmp + 2) == tmp .. ": " then err = err:sub(#tmp + 3) end
    error(string.format("checklist.write: cannot write '%s' (%s); choose a path in a folder that exists and is writable",
      path, err), 2)
  end
  local ok, werr = fh:write(text)
  local closed, cerr = fh:close()
  if not ok or not closed then
    os.remove(tmp)
    error(string.format("checklist.write: writing '%s' failed (%s)", path, tostring(werr or cerr)), 2)
  end
  local renamed, rerr = os.rename(tmp, path)
  if not renamed then
    os.remove(tmp)
    error(string.format("checklist.write: cannot write '%s' (%s); give the path of a file in a writable folder",
      path, tostring(rerr)), 2)
  end
  return path
end

return (require("rad.doc").register(checklist, "checklist")) -- not a tail call: register reads this file
