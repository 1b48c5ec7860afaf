-- radlab bad-input suite: model calls (Cox, logistic, validation).  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")
local NA = rad.NA

local t = rad.table.new{{"time", {1, 2, 3, 4}}, {"event", {1, 0, 1, 1}}, {"x", {1, 2, 3, 4}}}
B.call("cox: time column that does not exist", function() rad.cox(t, {time = "efs", event = "event", x = {"x"}}) end, "no column 'efs' in the table")

local d = rad.table.new{
  {"time", {5, 8, 2, 9, 4, 7, 3, 6}}, {"event", {1, 0, 1, 1, 0, 1, 1, 0}}, {"y", {1, 0, 1, 1, 0, 1, 0, 0}},
  {"age", {50, 61, 47, 70, 55, 66, 58, 62}}, {"const", {1, 1, 1, 1, 1, 1, 1, 1}},
  {"empty", {NA, NA, NA, NA, NA, NA, NA, NA}}, {"stage", {"L1", "L2", "L2", "L1", "L1", "L2", "L1", "L2"}},
  {"ttext", {"5", "8", "2", "9", "4", "7", "3", "six"}}, {"neg", {5, 8, -2, 9, 4, 7, 3, 6}},
  {"none", {0, 0, 0, 0, 0, 0, 0, 0}}, {"ev2", {1, 0, 2, 1, 0, 1, 1, 0}}}

B.call("cox: covariate column that does not exist (close name suggested)", function()
  rad.cox(d, {time = "time", event = "event", x = {"agee"}}) end, "rad.cox: x: no column 'agee' in the table (did you mean 'age'?)")
B.call("cox: non-numeric time names the odd row and value", function()
  rad.cox(d, {time = "ttext", event = "event", x = {"age"}}) end,
  "rad.cox: time: column 'ttext' was read as text, not numbers, because row 8 holds 'six' (1 cell is not a number, 7 are)")
B.call("cox: negative time", function() rad.cox(d, {time = "neg", event = "event", x = {"age"}}) end,
  "rad.cox: time 'neg' is negative (-2) in row 3")
B.call("cox: no events", function() rad.cox(d, {time = "time", event = "none", x = {"age"}}) end,
  "rad.cox: no events (every row is censored); the model needs at least one event")
B.call("cox: event coded 2", function() rad.cox(d, {time = "time", event = "ev2", x = {"age"}}) end,
  "rad.cox: event 'ev2' must be 0 (censored) or 1 (event), but row 3 has 2; recode it")
B.call("cox: all-missing covariate", function() rad.cox(d, {time = "time", event = "event", x = {"empty"}}) end,
  "rad.cox: no complete rows (every row has a missing value in time, event, x)")
B.call("cox: constant covariate with strict = true", function()
  rad.cox(d, {time = "time", event = "event", x = {"age", "const"}, strict = true}) end,
  "rad.cox: term 'const' is constant in the 8 complete rows (no variation), so it has no coefficient; leave it out of x")
B.call("cox: only constant covariates", function() rad.cox(d, {time = "time", event = "event", x = {"const"}}) end,
  "rad.cox: no term can be estimated: every term in x is constant or aliased")
B.call("cox: strict that is not a boolean", function()
  rad.cox(d, {time = "time", event = "event", x = {"age"}, strict = "yes"}) end,
  "rad.cox: option strict must be true or false, got string")
B.call("cox: misspelt option key", function() rad.cox(d, {time = "time", event = "event", covariates = {"age"}}) end,
  "rad.cox: unknown option 'covariates' (allowed: time, event, x, ties, strata, weights, strict, ref, robust)")
B.call("cox: reference level not in the data", function()
  rad.cox(d, {time = "time", event = "event", x = {"age", "stage"}, ref = {stage = "L4"}}) end,
  "rad.cox: design: reference level 'L4' of column 'stage' is not in the data (its levels: 'L1', 'L2'); name one of these in ref")
B.call("cox: reference level for a column not in x", function()
  rad.cox(d, {time = "time", event = "event", x = {"age"}, ref = {stage = "L1"}}) end,
  "rad.cox: ref names column 'stage', which is not in x")
B.call("cox: reference level for a numeric column", function()
  rad.cox(d, {time = "time", event = "event", x = {"age"}, ref = {age = "50"}}) end,
  "a reference level ('50') is given for column 'age', but it is numeric")
B.call("cox: ref that is not a table", function()
  rad.cox(d, {time = "time", event = "event", x = {"stage"}, ref = "L1"}) end,
  "rad.cox: option ref must be a table {column = \"reference level\"}, got string")
B.call("cox: too few rows", function() rad.cox(d:rows{1}, {time = "time", event = "event", x = {"age"}}) end,
  "rad.cox: only 1 complete row for 1 term; a Cox model needs more rows than terms")
B.call("cox: table without rows", function() rad.cox(d:rows{}, {time = "time", event = "event", x = {"age"}}) end,
  "rad.cox: the table has no rows")

local fit = rad.cox(d, {time = "time", event = "event", x = {"age", "stage"}})
local new = rad.table.new{{"age", {50, 60}}, {"stage", {"L1", "L3"}}}
B.call("cox predict: a level not seen when fitting", function() fit:predict(new) end,
  "Cox:predict: level 'L3' of column 'stage' (row 2) was not in the data the model was fitted on")
B.call("cox predict: a covariate missing from the new table", function() fit:predict(rad.table.new{{"age", {50}}}) end,
  "Cox:predict: no column 'stage' in the table")

B.call("logistic: outcome not 0/1", function() rad.logistic(d, {y = "time", x = {"age"}}) end,
  "rad.logistic: the outcome 'time' must be 0 or 1, but row 1 has 5; recode it to 0/1")
B.call("logistic: constant predictor with strict = true", function()
  rad.logistic(d, {y = "y", x = {"age", "const"}, strict = true}) end, "rad.logistic: term 'const' is constant")
B.call("logistic: too few rows", function() rad.logistic(d:rows{1, 2}, {y = "y", x = {"age"}}) end,
  "rad.logistic: only 2 complete rows for 2 coefficients (the intercept and 1 term); the model needs more rows than coefficients")
B.call("logistic: misspelt option key", function() rad.logistic(d, {y = "y", x = {"age"}, stricter = true}) end,
  "rad.logistic: unknown option 'stricter' (allowed: y, x, strict, ref)")
local lfit = rad.logistic(d, {y = "y", x = {"age", "stage"}})
B.call("logistic predict: a level not seen when fitting", function() lfit:predict(new) end,
  "Logistic:predict: level 'L3' of column 'stage' (row 2) was not in the data the model was fitted on")

local validate = require "rad.validate"
local kfit = rad.cox(d, {time = "time", event = "event", x = {"age", "const"}})
B.call("nomogram of a fit with a dropped term", function()
  validate.nomogram(kfit, {at = 5, ranges = {age = {40, 70}, const = {0, 2}}}) end,
  "validate.nomogram: term 'const' has no finite coefficient (it was dropped from the fit as constant); refit without it")
B.call("bootstrap_optimism: every replicate fails", function()
  validate.bootstrap_optimism(d, {fit = function(s) if s ~= d then error("fit failed", 0) end return fit end,
    score = function(m, s) return m:predict(s) end, time = "time", event = "event", B = 4}) end,
  "validate.bootstrap_optimism: 4 of 4 bootstrap replicates failed, more than max_failed = 0.2 allows; the first: replicate 1: fit failed")

-- ComBat harmonisation (rad.combat, Combat:apply)
local cb = rad.table.new{
  {"id", {"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"}},
  {"site", {"A", "A", "A", "B", "B", "B", "C", "C", "C"}},
  {"f1", {1.2, 2.3, 1.9, 3.1, 2.2, 4.0, 0.5, 1.1, 0.9}},
  {"f2", {5.1, 4.2, 6.3, 7.7, 6.1, 8.4, 3.3, 2.9, 4.1}},
  {"f3", {0.3, 0.8, 0.5, 1.9, 1.2, 1.5, 0.2, 0.6, 0.4}},
  {"flat", {1, 2, 3, 5, 5, 5, 1, 2, 4}},
  {"gap", {1, 2, 3, 4, NA, 6, 7, 8, 9}},
  {"in_a", {1, 1, 1, 0, 0, 0, 0, 0, 0}},
  {"sex", {"F", "M", "F", "M", "F", "M", "F", "M", "F"}},
  {"note", {"a", "b", "c", "d", "e", "f", "g", "h", "i"}},
  {"site_gap", {"A", "A", "A", "B", NA, "B", "C", "C", "C"}}}
local F3 = {"f1", "f2", "f3"}
B.call("combat: a batch with one sample", function()
  rad.combat(cb:rows{1, 2, 3, 4, 5, 7}, {batch = "site", features = F3}) end,
  "rad.combat: batch 'C' has only one sample (row 6); ComBat needs at least 2 samples per batch to estimate the batch's scale: merge it with a similar batch or drop its row")
B.call("combat: a feature constant within a batch", function()
  rad.combat(cb, {batch = "site", features = {"f1", "flat"}}) end,
  "rad.combat: feature 'flat' is constant within batch 'B' (every one of its 3 samples is 5), so its batch scale is 0; leave the feature out of features")
B.call("combat: a missing value in a feature names row and column", function()
  rad.combat(cb, {batch = "site", features = {"f1", "gap"}}) end,
  "rad.combat: feature 'gap' is missing in row 5; ComBat needs complete data: impute it (cohort.impute) or drop the row (t:drop_na)")
B.call("combat: a missing batch cell names the row", function()
  rad.combat(cb, {batch = "site_gap", features = F3}) end,
  "rad.combat: the batch column 'site_gap' is missing in row 5; every sample needs its batch")
B.call("combat: a covariate confounded with batch", function()
  rad.combat(cb, {batch = "site", features = F3, covariates = {"sex", "in_a"}}) end,
  "rad.combat: covariate 'in_a' is confounded with batch 'site': it is a linear combination of the batch indicators and the covariates before it, so the design is singular")
B.call("combat: an infinite feature value names row and column", function()
  rad.combat(rad.table.new{{"site", {"A", "A", "B", "B"}}, {"f1", {1, 2, 3, 5}}, {"f2", {1, math.huge, 3, 4}}},
    {batch = "site"}) end,
  "rad.combat: feature 'f2' is infinite in row 2; ComBat needs finite values")
B.call("combat: a text column as feature", function()
  rad.combat(cb, {batch = "site", features = {"f1", "note"}}) end,
  "rad.combat: feature 'note' holds text, not numbers; ComBat adjusts numeric features: leave it out of features")
B.call("combat: a feature that does not exist", function()
  rad.combat(cb, {batch = "site", features = {"f1", "f22"}}) end, "rad.combat: feature: no column 'f22' in the table (did you mean")
B.call("combat: a single feature", function() rad.combat(cb, {batch = "site", features = {"f1"}}) end,
  "rad.combat: 1 feature given; ComBat needs at least 2 features, because its priors pool the batch effects over features")
B.call("combat: a single batch", function() rad.combat(cb:rows{1, 2, 3}, {batch = "site", features = F3}) end,
  "rad.combat: the batch column 'site' has a single batch ('A'); there is nothing to harmonise")
B.call("combat: unknown option", function() rad.combat(cb, {batch = "site", features = F3, par_prior = false}) end,
  "rad.combat: unknown option 'par_prior' (allowed: batch, features, covariates, parametric, mean_only)")
B.call("combat: no batch option", function() rad.combat(cb, {features = F3}) end,
  "rad.combat: option batch must name the batch column (a string), got nil")
B.call("combat: parametric not a boolean", function() rad.combat(cb, {batch = "site", features = F3, parametric = "no"}) end,
  "rad.combat: option parametric must be true or false, got string")
local cfit = rad.combat(cb, {batch = "site", features = F3, covariates = {"sex"}})
local other = rad.table.new{{"site", {"A", "D", "B"}}, {"sex", {"F", "M", "F"}}, {"f1", {1, 2, 3}}, {"f2", {4, 5, 6}},
  {"f3", {1, 1, 2}}}
B.call("combat apply: a batch not seen at fit time", function() cfit:apply(other) end,
  "Combat:apply: batch 'D' (row 2, column 'site') was not seen when the harmonisation was fitted (known batches: 'A', 'B' and 'C'); fit ComBat on data that include this batch")
B.call("combat apply: a feature column missing", function() cfit:apply(cb:select{"site", "sex", "f1", "f2"}) end,
  "Combat:apply: feature 'f3' of the harmonisation is not in this table: no column 'f3' in the table")
B.call("combat apply: a covariate level not seen at fit time", function()
  cfit:apply(rad.table.new{{"site", {"A"}}, {"sex", {"X"}}, {"f1", {1}}, {"f2", {4}}, {"f3", {1}}}) end,
  "Combat:apply: covariate 'sex' has the level 'X' in row 1, not seen when the harmonisation was fitted (its levels: 'F' and 'M')")
-- comparing models: rad.compare_c, rad.td_auc (SEs, score2), rad.cox_lrt
local ct, ce = {1, 2, 3, 4, 5}, {1, 1, 0, 1, 0}
local s5 = {1, 2, 3, 4, 5}
B.call("compare_c: scores of different lengths", function()
  rad.compare_c{time = ct, event = ce, a = s5, b = {1, 2, 3, 4}} end,
  "rad.compare_c: b has 4 values but time has 5; give one value per patient in each")
B.call("compare_c: a missing score names the row and the fix", function()
  rad.compare_c{time = ct, event = ce, a = s5, b = {1, 2, NA, 4, 5}} end,
  "rad.compare_c: 1 of 5 patients has a missing value in time, event, a or b (the first: b in row 3); both predictions "
  .. "must be compared on the same patients, so drop those rows first (t:drop_na{...})")
B.call("compare_c: several missing values are counted", function()
  rad.compare_c{time = {1, NA, 3, 4, 5}, event = ce, a = s5, b = {1, 2, NA, 4, 5}} end,
  "2 of 5 patients have a missing value in time, event, a or b (the first: time in row 2)")
B.call("compare_c: no comparable pairs (no events)", function()
  rad.compare_c{time = ct, event = {0, 0, 0, 0, 0}, a = s5, b = s5} end,
  "no comparable pairs (a pair needs an event and a subject known to live longer; there are 0 events in 5 subjects)")
B.call("compare_c: no comparable pairs (all events at one time)", function()
  rad.compare_c{time = {1, 1, 1}, event = {1, 1, 1}, a = {1, 2, 3}, b = {3, 2, 1}} end,
  "no comparable pairs")
B.call("compare_c: unknown option", function() rad.compare_c{time = ct, event = ce, a = s5, score = s5} end,
  "rad.compare_c: unknown option 'score' (allowed: data, time, event, a, b, conf)")
B.call("compare_c: a column name without data", function()
  rad.compare_c{time = "time", event = ce, a = s5, b = s5} end,
  "rad.compare_c: time = 'time' names a column, but no table was given; pass data = t or an array of numbers")
B.call("compare_c: a misspelt score column", function()
  rad.compare_c{data = d, time = "time", event = "event", a = "age", b = "agge"} end,
  "rad.compare_c: b: no column 'agge' in the table (did you mean 'age'?)")
B.call("compare_c: b missing", function() rad.compare_c{time = ct, event = ce, a = s5} end,
  "rad.compare_c: option b is required")
B.call("compare_c: conf given in percent", function()
  rad.compare_c{time = ct, event = ce, a = s5, b = s5, conf = 95} end,
  "rad.compare_c: option conf (confidence level) must be between 0 and 1, e.g. 0.95; got 95")
B.call("compare_c: event coded 2", function()
  rad.compare_c{time = ct, event = {1, 2, 0, 1, 0}, a = s5, b = s5} end,
  "the event of subject 2 is 2; code events as 1 (event) and 0 (censored)")
B.call("compare_c: a text value in a score", function()
  rad.compare_c{time = ct, event = ce, a = {1, 2, "x", 4, 5}, b = s5} end,
  "rad.compare_c: a[3] is string; give numbers (rad.NA for missing)")

local tt = rad.table.new{{"time", ct}, {"status", ce}, {"s", s5}, {"s2", {1, NA, 3, 4, 5}}}
B.call("td_auc: no events before the time point", function()
  rad.td_auc(tt, {time = "time", event = "status", score = "s", times = {0.5}}) end,
  "rad.td_auc: time-dependent AUC at t = 0.5: no events at or before t (no cases); choose a later time")
B.call("td_auc: a time point at the end of follow-up", function()
  rad.td_auc(tt, {time = "time", event = "status", score = "s", times = {4, 5}}) end,
  "rad.td_auc: time-dependent AUC at t = 5: nobody is followed beyond t (no controls); choose an earlier time")
B.call("td_auc: a negative time point", function()
  rad.td_auc(tt, {time = "time", event = "status", score = "s", times = {-1}}) end,
  "rad.td_auc: times[1] is -1; time points must be finite numbers >= 0 within the follow-up")
B.call("td_auc: score2 of the wrong length", function()
  rad.td_auc(tt, {time = "time", event = "status", score = "s", score2 = {1, 2}, times = {3}}) end,
  "rad.td_auc: the score2 array has 2 values but the table has 5 rows")
B.call("td_auc: score2 missing in a row", function()
  rad.td_auc(tt, {time = "time", event = "status", score = "s", score2 = "s2", times = {3}}) end,
  "rad.td_auc: score2 is missing in row 2; drop such rows first")
B.call("td_auc: unknown option", function()
  rad.td_auc(tt, {time = "time", event = "status", score = "s", score_2 = "s2", times = {3}}) end,
  "rad.td_auc: unknown option 'score_2' (allowed: time, event, score, times, score2, conf)")
B.call("td_auc: no time points", function()
  rad.td_auc(tt, {time = "time", event = "status", score = "s", times = {}}) end,
  "rad.td_auc: option times is empty; give at least one time point")

local ld = rad.table.new{{"time", {5, 8, 2, 9, 4, 7, 3, 6}}, {"event", {1, 0, 1, 1, 0, 1, 1, 0}},
  {"age", {50, 61, 47, 70, 55, 66, 58, 62}}, {"x", {1, 0, 1, 1, 0, 1, NA, 0}}, {"z", {3, 1, 2, 5, 4, 1, 2, 2}}}
local ld2 = rad.table.new{{"time", {5, 8, 2, 9, 4, 7, 3, 16}}, {"event", {1, 0, 1, 1, 0, 1, 1, 0}},
  {"age", {50, 61, 47, 70, 55, 66, 58, 62}}, {"z", {3, 1, 2, 5, 4, 1, 2, 2}}}
rad.quiet(true)
local l_age = rad.cox(ld, {time = "time", event = "event", x = {"age"}})
local l_agex = rad.cox(ld, {time = "time", event = "event", x = {"age", "x"}})
local l_agez = rad.cox(ld, {time = "time", event = "event", x = {"age", "z"}})
local l_z = rad.cox(ld, {time = "time", event = "event", x = {"z"}})
local l2_agez = rad.cox(ld2, {time = "time", event = "event", x = {"age", "z"}})
rad.quiet(false)
B.call("cox_lrt: the big model dropped rows with a missing covariate", function() rad.cox_lrt(l_age, l_agex) end,
  "rad.cox_lrt: the fits are on different data: the small model used 8 rows with 5 events, the big one 7 rows "
  .. "with 4 events (rows with a missing covariate are dropped); fit both on the same rows")
B.call("cox_lrt: same size, different times", function() rad.cox_lrt(l_age, l2_agez) end,
  "rad.cox_lrt: the fits are on different data: the same number of rows and events but different times or events")
B.call("cox_lrt: models given the wrong way round", function() rad.cox_lrt(l_agez, l_age) end,
  "rad.cox_lrt: the models are not nested: term 'z' of the small model (argument 1) is not in the big model "
  .. "(argument 2); the test compares a model with one that adds terms to it (give the smaller model first)")
B.call("cox_lrt: models that are not nested", function() rad.cox_lrt(l_age, l_z) end,
  "rad.cox_lrt: the models are not nested: term 'age' of the small model (argument 1) is not in the big model")
B.call("cox_lrt: a model against itself", function() rad.cox_lrt(l_age, l_age) end,
  "rad.cox_lrt: the big model estimates 1 coefficient(s) and the small one 1; the big model must add at least one "
  .. "estimated term")
B.call("cox_lrt: not a fit", function() rad.cox_lrt(l_age, {loglik = -3}) end,
  "rad.cox_lrt: argument 2 (big model) must be a Cox fit from rad.cox, got table")

B.call("nri: a time point beyond the follow-up", function()
  rad.nri{time = ct, event = ce, a = s5, b = {2, 1, 3, 5, 4}, at = 30} end,
  "rad.nri: NRI at t = 30: t is beyond the last follow-up time (5), where the Kaplan-Meier estimate is not defined; "
  .. "choose a time within the follow-up")
B.call("nri: no event before the time point", function()
  rad.nri{time = ct, event = ce, a = s5, b = {2, 1, 3, 5, 4}, at = 0.5} end,
  "rad.nri: NRI at t = 0.5: no events at or before t (the Kaplan-Meier risk is 0); choose a later time")
B.call("nri: no time point", function() rad.nri{time = ct, event = ce, a = s5, b = s5} end,
  "rad.nri: option at (the time point of the reclassification) must be a number, got nil")
B.call("nri: cut points out of order", function()
  rad.nri{time = ct, event = ce, a = s5, b = s5, at = 3, cuts = {0.5, 0.2}} end,
  "the risk cut points must be finite and strictly increasing (cut point 2 is 0.2)")
B.call("nri: a missing prediction", function()
  rad.nri{time = ct, event = ce, a = s5, b = {1, NA, 3, 4, 5}, at = 3} end,
  "rad.nri: 1 of 5 patients has a missing value in time, event, a or b (the first: b in row 2)")
B.call("nri: one bootstrap resample", function() rad.nri{time = ct, event = ce, a = s5, b = s5, at = 3, boot = 1} end,
  "rad.nri: option boot (bootstrap resamples) must be 0 (none) or 2 to 100000, e.g. 1000; got 1")
B.call("nri: unknown option", function() rad.nri{time = ct, event = ce, a = s5, b = s5, t = 3} end,
  "rad.nri: unknown option 't' (allowed: data, time, event, a, b, at, cuts, boot, seed, conf)")

-- study tables (rad.study): refused before any file is written
local sdir = B.dir .. "/study_report"
B.call("study: an unknown key names the closest one", function()
  rad.study{name = "x", cohort = "m.csv", outcome = {time = "t", event = "e"}, report = sdir, selectoin = {}} end,
  "rad.study: unknown key 'selectoin' (did you mean 'selection'?)", {writes = {sdir}})
B.call("study: survival and binary at once", function()
  rad.study{name = "x", cohort = "m.csv", outcome = {time = "t", event = "e", binary = "y"}, report = sdir} end,
  "rad.study: outcome is either survival (time, event) or binary, not both", {writes = {sdir}})
B.call("study: no report folder", function()
  rad.study{name = "x", cohort = "m.csv", outcome = {time = "t", event = "e"}} end,
  "rad.study: report must be the path of an output folder", {writes = {sdir}})
B.call("study: a manifest that does not exist", function()
  rad.study{name = "x", cohort = B.dir .. "/none.csv", outcome = {time = "t", event = "e"}, report = sdir}:load() end,
  "rad.study: cohort: cannot open '" .. B.dir .. "/none.csv'", {writes = {sdir}})

B.call("study: one cross-validation fold", function()
  rad.study{name = "x", cohort = "m.csv", outcome = {time = "t", event = "e"}, report = sdir, split = {cv = 1}} end,
  "rad.study: split.cv must be the number of folds, an integer >= 2 (e.g. 5), got 1", {writes = {sdir}})
B.call("study: cross-validation and a test set at once", function()
  rad.study{name = "x", cohort = "m.csv", outcome = {time = "t", event = "e"}, report = sdir,
    split = {cv = 5, test = 0.3}} end,
  "rad.study: split: cv = k is cross-validation; by = and test = make a single split; give one or the other", {writes = {sdir}})
B.call("study: a misspelt split key", function()
  rad.study{name = "x", cohort = "m.csv", outcome = {time = "t", event = "e"}, report = sdir,
    split = {cv = 5, repeat_ = 3}} end,
  "rad.study: split has an unknown key 'repeat_'; the keys: by, cv, repeats, seed, strata, test", {writes = {sdir}})
B.call("study: repeats without cv", function()
  rad.study{name = "x", cohort = "m.csv", outcome = {time = "t", event = "e"}, report = sdir,
    split = {test = 0.3, repeats = 3}} end,
  "rad.study: split.repeats goes with cv = k", {writes = {sdir}})

B.call("coxnet_cv: threads out of range", function()
  rad.coxnet_cv(d, {time = "time", event = "event", x = {"age"}, folds = 3, threads = -1}) end,
  "rad.coxnet_cv: threads must be 0 (every processor) .. 1024, got -1")
B.call("coxnet_cv: threads not an integer", function()
  rad.coxnet_cv(d, {time = "time", event = "event", x = {"age"}, folds = 3, threads = 1.5}) end,
  "option 'threads' must be an integer")
B.done()
