-- radlab: tests of survival-aware (and binary) selection steps in rad.select:
-- univariate Cox screening, redundancy by survival relevance, lasso-Cox and
-- lasso-logistic steps, stability selection, pipelines with time/event.
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/select_surv.lua
local T = require "rad.test"
local select = require "rad.select"
local rng = require "rad.rng"
local NA = rad.NA

local function names(list) return table.concat(list, ",") end
local function rowof(tab, col, val)
  local c = tab:col(col)
  for i = 1, #c do if c[i] == val then return tab:row(i) end end
end

-- Simulated cohort.  The truth: hazard h(t | x) = 0.1 exp(1.5 x1), so x1 is
-- the one prognostic feature (log-HR 1.5) and x2..x<p> are noise; features are
-- uniform on (-sqrt 3, sqrt 3) (variance 1); censoring is independent,
-- exponential with rate 0.05.  Binary y: 1 when x1 + noise > 0.
local function simulate(n, p, seed)
  local g = rng.new(seed)
  local cols, X = {}, {}
  for j = 1, p do X[j] = {}; cols[j] = "x" .. j end
  local time, event, y = {}, {}, {}
  local s3 = math.sqrt(3)
  for i = 1, n do
    for j = 1, p do X[j][i] = (2 * g:random() - 1) * s3 end
    local tt = -math.log(1 - g:random()) / (0.1 * math.exp(1.5 * X[1][i]))
    local cc = -math.log(1 - g:random()) / 0.05
    time[i] = math.min(tt, cc)
    event[i] = tt <= cc and 1 or 0
    y[i] = X[1][i] + (2 * g:random() - 1) > 0 and 1 or 0
  end
  local spec = {{"id", (function() local a = {} for i = 1, n do a[i] = "p" .. i end return a end)()},
    {"efs", time}, {"efs_event", event}, {"y", y}}
  for j = 1, p do spec[#spec + 1] = {cols[j], X[j]} end
  return rad.table.new(spec), cols
end

local sim, simcols = simulate(150, 8, 2024)
-- a missing value in x2 and a constant column
do
  local x2 = sim:col("x2"); x2[5] = NA; x2[77] = NA
  local k = {}
  for i = 1, sim:nrow() do k[i] = 4.0 end
  sim = rad.table.new{{"id", sim:col("id")}, {"efs", sim:col("efs")}, {"efs_event", sim:col("efs_event")},
    {"y", sim:col("y")}, {"x1", sim:col("x1")}, {"x2", x2}, {"x3", sim:col("x3")}, {"x4", sim:col("x4")},
    {"x5", sim:col("x5")}, {"x6", sim:col("x6")}, {"x7", sim:col("x7")}, {"x8", sim:col("x8")}, {"konst", k}}
end
local feats = {"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "konst"}

-- the complete cases of one feature, as rad.cox sees them
local function cc_table(t, c)
  local tt, ee, xx = {}, {}, {}
  local tc, ec, xc = t:col("efs"), t:col("efs_event"), t:col(c)
  for i = 1, #xc do
    if xc[i] ~= NA then tt[#tt + 1] = tc[i]; ee[#ee + 1] = ec[i]; xx[#xx + 1] = xc[i] end
  end
  return rad.table.new{{"efs", tt}, {"efs_event", ee}, {c, xx}}
end

-- ---- univariate Cox screening -------------------------------------------------------
do
  local kept, rep, info = select.univariate(sim, feats, {time = "efs", event = "efs_event"})
  T.is(names(rep:names()), "feature,n,hr,z,p,q,c_index,kept,note", "report columns")
  local ps, qs = {}, {}
  for _, c in ipairs(feats) do
    if c ~= "konst" then
      local fit = rad.cox(cc_table(sim, c), {time = "efs", event = "efs_event", x = {c}})
      local r = rowof(rep, "feature", c)
      T.is(r.p, fit.p[c], c .. ": Wald p equals rad.cox on that feature alone")
      T.is(r.z, fit.z[c], c .. ": z equals rad.cox's")
      T.is(r.hr, fit.hr[c], c .. ": HR equals rad.cox's")
      local conc = rad.concordance(cc_table(sim, c), {time = "efs", event = "efs_event", score = c})
      T.is(r.c_index, conc.harrell, c .. ": C-index is Harrell's C of the feature")
      ps[#ps + 1] = r.p; qs[#qs + 1] = r.q
    end
  end
  local bh = rad.stats.p_adjust(ps, "BH")
  for k = 1, #ps do T.is(qs[k], bh[k], "q " .. k .. " equals rad.stats.p_adjust(p, \"BH\")") end
  T.is(names(kept), "x1", "only the true feature x1 has q < 0.05")
  local r2 = rowof(rep, "feature", "x2")
  T.is(r2.n, 148, "x2: 148 complete cases")
  T.like(r2.note, "2 rows with a missing value left out (complete cases)", "x2: the note says so", true)
  T.is(info.missing.x2, 2, "info.missing counts the missing rows of x2")
  T.is(info.missing.x1, nil, "x1 has none")
  local rk = rowof(rep, "feature", "konst")
  T.is(rk.kept, 0, "constant feature dropped")
  T.ok(rk.p == NA and rk.q == NA and rk.hr == NA, "constant feature: no statistics")
  T.like(rk.note, "constant in the 150 complete rows: dropped", "constant feature: reason given", true)

  -- the score (log-rank) test as coxph reports it for one covariate
  local _, reps = select.univariate(sim, {"x1", "x3"}, {time = "efs", event = "efs_event", test = "cox_score"})
  local fit3 = rad.cox(sim, {time = "efs", event = "efs_event", x = {"x3"}})
  T.is(rowof(reps, "feature", "x3").p, fit3.score.p, "cox_score: p is rad.cox's score test p")
  T.ok(rowof(reps, "feature", "x3").p ~= rowof(rep, "feature", "x3").p, "score p differs from Wald p")

  -- top = k: the k smallest p (p of x1 < x6 < ...), in column order
  local order = {}
  for _, c in ipairs(feats) do if c ~= "konst" then order[#order + 1] = {c, rowof(rep, "feature", c).p} end end
  table.sort(order, function(a, b) return a[2] < b[2] end)
  local want = {order[1][1], order[2][1], order[3][1]}
  table.sort(want, function(a, b) return tonumber(a:sub(2)) < tonumber(b:sub(2)) end)
  local keptt = select.univariate(sim, feats, {time = "efs", event = "efs_event", top = 3})
  T.is(names(keptt), names(want), "top = 3 keeps the three smallest p (" .. names(want) .. ")")
  -- alpha: q < alpha is strict
  local q1 = rowof(rep, "feature", "x1").q
  T.is(#(select.univariate(sim, feats, {time = "efs", event = "efs_event", alpha = q1})), 0,
    "q equal to alpha is not kept (q < alpha)")

  -- cindex: p from z = (C - 0.5) / SE(C); the normal tail against erfc
  -- reference values: erfc(z / sqrt 2) from C's erfc (Python math.erfc); 2e-15 relative
  T.near(select._normal_p(1.959963984540054), 0.05000000000000004, 1e-16, "two-sided p at z = 1.96 is 0.05")
  T.near(select._normal_p(-3), 0.0026997960632601913, 6e-18, "two-sided p at z = 3 (erfc(3 / sqrt 2))")
  T.near(select._normal_p(5), 5.733031437583892e-07, 1.2e-21, "two-sided p at z = 5")
  T.near(select._normal_p(0.5), 0.6170750774519738, 1.3e-15, "two-sided p at z = 0.5 (the series)")
  local _, repc = select.univariate(sim, {"x1", "x2"}, {time = "efs", event = "efs_event", test = "cindex"})
  local conc = rad.concordance(sim, {time = "efs", event = "efs_event", score = "x1"})
  T.is(rowof(repc, "feature", "x1").p, select._normal_p((conc.harrell - 0.5) / conc.harrell_se),
    "cindex p of x1 from its C and SE")

  -- as a step: fitted on one table, applied to another
  local step = select.univariate{time = "efs", event = "efs_event", test = "cox_wald", alpha = 0.05}
  local f = step:fit(sim, feats)
  T.is(names(f.keep), "x1", "step keeps x1")
  T.is(rowof(f.table, "feature", "x1").p, rowof(rep, "feature", "x1").p, "step table is the report")
  T.is(names(f:apply(sim):names()), "efs,efs_event,x1", "step apply: outcome and kept features")
  T.is(f.method, "univariate Cox screening (Wald p, BH q < 0.05)", "method text")
end

-- ---- redundancy by survival relevance ---------------------------------------------
do
  -- 10 patients, times 1..10, all events: a higher score should mean an
  -- earlier event.  c is 11 - time with ranks 1, 2 swapped (C = 44/45), a with
  -- ranks 3, 4 also swapped (43/45), b with 5, 6 too (42/45): pairwise Spearman
  -- rho 1 - 6 * 2 / 990 (a-c, a-b) and 1 - 6 * 4 / 990 (b-c), one cluster of
  -- three; d is noise (C = 18/45, |rho| <= 0.25 with each).
  local time, ev = {}, {}
  for i = 1, 10 do time[i] = i * 1.0; ev[i] = 1 end
  local a = {9, 10, 7, 8, 6, 5, 4, 3, 2, 1}
  local c = {9, 10, 8, 7, 6, 5, 4, 3, 2, 1}
  local b = {9, 10, 7, 8, 5, 6, 4, 3, 2, 1}
  local d = {3, 7, 1, 9, 5, 2, 10, 4, 8, 6}
  local h = rad.table.new{{"time", time}, {"event", ev}, {"a", a}, {"c", c}, {"b", b}, {"d", d}}
  local kept, rep, info = select.redundancy(h, {"a", "c", "b", "d"},
    {time = "time", event = "event", by = "cindex", threshold = 0.9})
  T.is(names(kept), "c,d", "the cluster {a, c, b} keeps c, the member with the largest |C - 0.5|")
  T.near(rowof(rep, "feature", "c").relevance, 44 / 45 - 0.5, 1e-15, "relevance of c: |44/45 - 0.5|")
  T.near(rowof(rep, "feature", "a").relevance, 43 / 45 - 0.5, 1e-15, "relevance of a: |43/45 - 0.5|")
  T.near(rowof(rep, "feature", "d").relevance, 0.1, 1e-15, "relevance of d: |18/45 - 0.5|")
  T.is(rowof(rep, "feature", "a").redundant_with, "c", "a dropped for c")
  T.is(rowof(rep, "feature", "b").cluster, "c", "b in c's cluster")
  T.near(rowof(rep, "feature", "b").max_abs_cor, 1 - 24 / 990, 1e-12, "Spearman rho of b and c")
  T.is(#info.clusters, 1, "one cluster")
  T.is(info.clusters[1].kept, "c", "cluster kept c")
  T.is(names(info.clusters[1].members), "c,a,b", "cluster members: the kept one, then the dropped in order")
  -- ties go to the lower column index
  local h2 = rad.table.new{{"time", time}, {"event", ev}, {"e1", a}, {"e2", a}}
  T.is(names((select.redundancy(h2, {"e2", "e1"}, {time = "time", event = "event", by = "cindex"}))), "e2",
    "identical columns: the first candidate is kept")
  T.is(names((select.redundancy(h2, {"e1", "e2"}, {time = "time", event = "event", by = "cox_z"}))), "e1",
    "identical columns by Cox z: the first candidate is kept")
  -- by = "cox_z" (default): |Wald z| of the univariate Cox fit
  local _, repz = select.redundancy(sim, {"x1", "x3", "x4"}, {time = "efs", event = "efs_event"})
  local fit = rad.cox(sim, {time = "efs", event = "efs_event", x = {"x3"}})
  T.is(rowof(repz, "feature", "x3").relevance, math.abs(fit.z.x3), "cox_z relevance is |z| of rad.cox")
  -- as a step
  local f = select.redundancy{threshold = 0.9, method = "pearson", by = "cindex"}:fit(h, nil, {time = "time", event = "event"})
  T.is(names(f.keep), "c,d", "step with the outcome from the caller keeps c and d")
  T.is(f.clusters[1].kept, "c", "fitted step lists the cluster")
end

-- ---- lasso-Cox and lasso-logistic steps --------------------------------------------
do
  local xs = {"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"}
  local complete = sim:drop_na()
  for _, rule in ipairs{"1se", "min"} do
    local cv = rad.coxnet_cv(complete, {time = "efs", event = "efs_event", x = xs, alpha = 1, folds = 5, seed = 7})
    local k = rule == "min" and cv.index_min or cv.index_1se
    local want, wcoef = {}, {}
    for _, c in ipairs(xs) do
      if cv.fit.beta[k][c] and cv.fit.beta[k][c] ~= 0 then want[#want + 1] = c; wcoef[#wcoef + 1] = cv.fit.beta[k][c] end
    end
    local f = select.lasso_cox{lambda = rule, folds = 5, seed = 7}:fit(complete, xs, {time = "efs", event = "efs_event"})
    T.is(names(f.keep), names(want), "lasso_cox lambda_" .. rule .. ": keeps exactly the non-zero coefs (" .. names(want) .. ")")
    T.is(f.lambda, cv.lambda[k], "lambda_" .. rule .. " as rad.coxnet_cv's")
    T.is(f.coefficients:nrow(), #want, "coefficients table: one row per kept feature")
    for i = 1, #want do T.is(f.coefficients:col("coef")[i], wcoef[i], "coefficient of " .. want[i]) end
    T.is(f.cv.lambda_min, cv.lambda_min, "the CV result is exposed")
    T.is(rowof(f.table, "feature", "x8").kept, (cv.fit.beta[k].x8 or 0) ~= 0 and 1 or 0, "table flags x8")
  end
  -- logistic
  local cvl = rad.glmnet_logistic_cv(complete, {y = "y", x = xs, folds = 5, seed = 3})
  local want = {}
  for _, c in ipairs(xs) do
    local b = cvl.fit.beta[cvl.index_min][c]
    if b and b ~= 0 then want[#want + 1] = c end
  end
  local fl = select.lasso_logistic{y = "y", lambda = "min", folds = 5, seed = 3}:fit(complete, xs)
  T.is(names(fl.keep), names(want), "lasso_logistic keeps the non-zero coefs of rad.glmnet_logistic_cv (" .. names(want) .. ")")
  T.ok(fl.keep[1] == "x1", "x1 (which drives y) is among them")
end

-- ---- stability selection -------------------------------------------------------------
do
  local xs = {"x1", "x3", "x4", "x5", "x6", "x7", "x8"}
  local step = select.stability{step = select.lasso_cox{folds = 5}, B = 40, sample = 0.5, threshold = 0.6, seed = 11}
  local out = {time = "efs", event = "efs_event"}
  local f1 = step:fit(sim, xs, out)
  local f2 = step:fit(sim, xs, out)
  local fr1, fr2 = f1.frequency:col("frequency"), f2.frequency:col("frequency")
  T.is(table.concat(fr1, " "), table.concat(fr2, " "), "frequencies identical for the same seed")
  local inrange, multiples = true, true
  for _, v in ipairs(fr1) do
    if v < 0 or v > 1 then inrange = false end
    if math.abs(v * 40 - math.floor(v * 40 + 0.5)) > 1e-12 then multiples = false end
  end
  T.ok(inrange, "frequencies between 0 and 1")
  T.ok(multiples, "frequencies are counts out of B = 40")
  T.ok(rowof(f1.frequency, "feature", "x1").frequency >= 0.9,
    "the true feature x1 (log-HR 1.5) is selected in >= 90% of the subsamples (got " ..
    rowof(f1.frequency, "feature", "x1").frequency .. ")")
  T.is(f1.keep[1], "x1", "x1 kept")
  local kept = {}
  for i, c in ipairs(xs) do if fr1[i] >= 0.6 then kept[#kept + 1] = c end end
  T.is(names(f1.keep), names(kept), "kept = frequency >= threshold")
  local fb = select.stability{step = select.univariate{top = 1}, B = 20, sample = "bootstrap", seed = 2}:fit(sim, xs, out)
  local fb2 = select.stability{step = select.univariate{top = 1}, B = 20, sample = "bootstrap", seed = 2}:fit(sim, xs, out)
  T.is(table.concat(fb.frequency:col("frequency"), " "), table.concat(fb2.frequency:col("frequency"), " "),
    "bootstrap: deterministic for a seed")
  local sum = 0
  for _, v in ipairs(fb.frequency:col("frequency")) do sum = sum + v end
  T.near(sum, 1, 1e-12, "top = 1 inside: the frequencies sum to 1")
  -- the resamples are stratified by event status: an inner step that records
  -- what it is given sees round(0.5 * 98) events and round(0.5 * 52)
  -- censored rows in every subsample, and 98 / 52 in every bootstrap sample
  local nev = 0
  for _, v in ipairs(sim:col("efs_event")) do nev = nev + v end
  T.is(nev, 98, "the simulated cohort has 98 events in 150")
  local function recorder(sample)
    local inner = select.univariate{top = 1}
    local seen = {}
    local real = getmetatable(inner).__index.fit
    inner.fit = function(self, sub, c, o, ctx)
      local e = 0
      for _, v in ipairs(sub:col("efs_event")) do e = e + v end
      seen[#seen + 1] = e .. "/" .. (sub:nrow() - e)
      return real(self, sub, c, o, ctx)
    end
    select.stability{step = inner, B = 5, sample = sample, seed = 3}:fit(sim, xs, out)
    return table.concat(seen, " ")
  end
  T.is(recorder(0.5), "49/26 49/26 49/26 49/26 49/26", "subsamples: half of the events and half of the censored")
  T.is(recorder("bootstrap"), "98/52 98/52 98/52 98/52 98/52", "bootstrap: as many events and censored as the data")
  -- binary outcome: stratified by y
  local fl = select.stability{step = select.lasso_logistic{folds = 5}, B = 10, seed = 5}:fit(sim:drop_na(), xs, {y = "y"})
  T.like(fl.method, "stratified by y", "binary: stratified by y", true)
  T.is(fl.keep[1], "x1", "binary: x1 kept")
end

-- ---- pipelines with a survival outcome --------------------------------------------
do
  local train = sim:rows((function() local a = {} for i = 1, 100 do a[i] = i end return a end)())
  local test = sim:rows((function() local a = {} for i = 101, 150 do a[#a + 1] = i end return a end)())
  local pipe = select.pipeline({
    select.variance{},
    select.univariate{test = "cox_wald", alpha = 0.5},
    select.redundancy{threshold = 0.8},
    select.lasso_cox{lambda = "min", folds = 5},
  }, {time = "efs", event = "efs_event", id = "id", cols = feats})
  local fitted = pipe:fit(train)
  T.is(fitted.candidates, 9, "9 candidate features")
  T.is(#fitted.trace, 4, "one trace entry per step")
  T.is(fitted.trace[1].step, "variance", "trace names the step")
  T.is(fitted.trace[1].kept, 8, "variance drops konst: 8 left")
  local u = fitted.selection[2]
  T.is(fitted.trace[2].kept, #u.keep, "trace count after univariate = its kept features")
  T.is(fitted.trace[4].kept, #fitted.selected, "last trace count = selected")
  T.like(fitted.trace[4].method, "lasso Cox regression with 5-fold cross-validation", "methods phrase", true)
  T.ok(#fitted.selected >= 1 and fitted.selected[1] == "x1", "x1 selected")
  T.like(tostring(fitted), "fitted selection pipeline: 9 candidate features\n  1. variance            8 left  " ..
    "variance filter (sample variance > 0)\n", "the fitted pipeline prints its trace", true)
  T.like(tostring(fitted.selection[4]), "kept " .. #fitted.selected .. " of " .. fitted.trace[3].kept .. " features: x1",
    "a fitted step prints what it kept", true)
  T.is(names(fitted.selection[4].candidates):find("x2", 1, true) ~= nil, true, "x2 reaches the lasso step")
  T.is(fitted.selection[4].dropped, 2, "lasso step: the 2 training rows with x2 missing left out (rad.coxnet_cv)")
  local out = fitted:apply(test)
  local wantnames = {"id", "efs", "efs_event"}
  for _, c in ipairs(fitted.selected) do wantnames[#wantnames + 1] = c end
  T.is(names(out:names()), names(wantnames), "test table: id, time, event and the selected columns")
  T.is(out:nrow(), 50, "all test rows")
  T.is(out:col("x1")[1], test:col("x1")[1], "values unchanged")
  T.is(names(fitted:apply(train):names()), names(wantnames), "the same columns on the training table")
  -- the y-form of the spec still works, with the new steps
  local pb = select.pipeline{y = "y", cols = {"x1", "x3", "x4"}, select.univariate{test = "auc", p = 0.05},
    {"redundancy", threshold = 0.9}}:fit(train)
  T.is(pb.selected[1], "x1", "binary pipeline with a step object")
  T.is(pb.trace[2].step, "redundancy", "old-style filter steps are traced too")
  -- the string form of the new steps
  local p3 = select.pipeline({{"lasso_cox", lambda = "min", folds = 5}}, {time = "efs", event = "efs_event", cols = {"x1", "x3"}}):fit(train)
  T.is(p3.trace[1].step, "lasso_cox", "{\"lasso_cox\", ...} is a step too")
  -- the spec table form with time/event inside
  local p2 = select.pipeline{time = "efs", event = "efs_event", cols = {"x1", "x3"}, {"univariate", top = 1}}:fit(train)
  T.is(names(p2.selected), "x1", "time/event in the spec table; old-style univariate uses them")
end

T.done()
