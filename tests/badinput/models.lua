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

B.done()
