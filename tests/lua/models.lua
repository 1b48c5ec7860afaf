-- radlab: tests of the model objects (rad.cox, rad.logistic): printing,
-- aliased and constant terms, reference levels, help(fit).
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local rng = require "rad.rng"

-- n rows, p covariates x1..xp (normal), a survival time, an event and a 0/1 outcome
local function simulate(n, p, seed)
  local g = rng.new(seed)
  local function normal()
    local u1, u2 = g:random(), g:random()
    return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
  end
  local cols, xs = {}, {}
  for j = 1, p do xs[j] = {} end
  local time, event, y = {}, {}, {}
  for i = 1, n do
    local lp = 0
    for j = 1, p do xs[j][i] = normal(); lp = lp + xs[j][i] * (j % 3 - 1) * 0.3 end
    local tt = -math.log(1 - g:random()) / math.exp(lp)
    local c = 2 * g:random()
    time[i] = math.min(tt, c)
    event[i] = tt <= c and 1 or 0
    y[i] = g:random() < 1 / (1 + math.exp(-lp)) and 1 or 0
  end
  cols[1], cols[2], cols[3] = {"time", time}, {"event", event}, {"y", y}
  local names = {}
  for j = 1, p do cols[#cols + 1] = {"x" .. j, xs[j]}; names[j] = "x" .. j end
  return rad.table.new(cols), names, event, y
end

local function count(v, what)
  local k = 0
  for _, e in ipairs(v) do if e == what then k = k + 1 end end
  return k
end

-- ---- printing fits with many terms (issue 10: the printed text read freed memory) ----
for _, p in ipairs({9, 12}) do
  local t, names, event, y = simulate(200, p, 7 + p)
  local fit = rad.cox(t, {time = "time", event = "event", x = names})
  local s = tostring(fit)
  local lines = {}
  for l in (s .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = l end
  T.is(lines[1], ("Cox proportional hazards (n = 200, events = %d, 0 rows with missing values dropped, ties = efron)")
    :format(count(event, 1)), "cox print, " .. p .. " terms: header line")
  T.is(lines[2], "term                         coef         HR         SE        z          p               HR 95% CI",
    "cox print, " .. p .. " terms: column heads")
  T.is(#lines, 2 + p + 4, "cox print, " .. p .. " terms: one line per term plus the summary")
  local x9 = ("%-20s %12.5g %10.4g %10.4g %8.3f %10.3g  [%9.4g, %9.4g]"):format("x9", fit.coef.x9, fit.hr.x9,
    fit.se.x9, fit.z.x9, fit.p.x9, fit.hr_lower.x9, fit.hr_upper.x9)
  T.is(lines[2 + 9], x9, "cox print, " .. p .. " terms: row of x9")
  T.like(lines[2 + p], "^x" .. p .. " ", "cox print, " .. p .. " terms: last term row names x" .. p)

  local lg = rad.logistic(t, {y = "y", x = names})
  s = tostring(lg)
  lines = {}
  for l in (s .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = l end
  T.is(lines[1], "Logistic regression of y (n = 200, 0 rows with missing values dropped)",
    "logistic print, " .. p .. " terms: header line")
  T.is(#lines, 2 + (p + 1) + 1, "logistic print, " .. p .. " terms: intercept, one line per term, the summary")
  x9 = ("%-20s %12.5g %10.4g %8.3f %10.3g %10.4g  [%9.4g, %9.4g]"):format("x9", lg.coef.x9, lg.se.x9, lg.z.x9,
    lg.p.x9, lg["or"].x9, lg.or_lower.x9, lg.or_upper.x9)
  T.is(lines[3 + 9], x9, "logistic print, " .. p .. " terms: row of x9")
  T.is(count(y, 1) > 0, true, "logistic print: data has events (control)")
end

-- ---- aliased and constant terms (as R's coxph: NA, the rest equal to a fit without them) ----
-- Data with tied times, a missing value and a factor; c = 2a - b is aliased,
-- k is constant.  Dropping them must give exactly the fit without them: the
-- same columns go to the same engine in the same order.
local function aliased_data()
  local g = rng.new(3)
  local n = 60
  local time, event, a, b, c, k, st, y = {}, {}, {}, {}, {}, {}, {}, {}
  for i = 1, n do
    a[i] = g:random(); b[i] = g:random() * 2; c[i] = 2 * a[i] - b[i]; k[i] = 5
    time[i] = math.floor(g:random() * 10) + 1          -- 10 distinct times: many ties
    event[i] = g:random() < 0.7 and 1 or 0
    y[i] = g:random() < 0.4 + 0.3 * a[i] and 1 or 0
    st[i] = ({"L1", "L2", "L3"})[i % 3 + 1]
  end
  a[4] = rad.NA
  return rad.table.new{{"time", time}, {"event", event}, {"y", y}, {"a", a}, {"b", b}, {"c", c}, {"k", k},
                       {"stage", st}}
end
do
  local t = aliased_data()
  rad.warnings(true)
  local full = rad.cox(t, {time = "time", event = "event", x = {"a", "b", "c", "k", "stage"}})
  local w = rad.warnings(true)
  local base = rad.cox(t, {time = "time", event = "event", x = {"a", "b", "stage"}})
  T.is(#w, 2, "cox aliased: two warnings")
  T.like(w[1] or "", "rad.cox: term 'c' is a linear combination of the terms before it (aliased); dropped from the fit and reported as NA", "cox aliased: warning names c", true)
  T.like(w[2] or "", "rad.cox: term 'k' is constant (no variation in the complete rows)", "cox constant: warning names k", true)
  T.is(full.coef.c, rad.NA, "cox aliased: coef of c is NA")
  T.is(full.se.k, rad.NA, "cox constant: se of k is NA")
  T.is(full.aliased.c, "aliased", "cox: aliased.c")
  T.is(full.aliased.k, "constant", "cox: aliased.k")
  T.is(table.concat(full.terms, ","), "a,b,c,k,stage:L2,stage:L3", "cox aliased: terms keep their order")
  for _, term in ipairs(base.terms) do
    T.near(full.coef[term], base.coef[term], 1e-10, "cox aliased: coef." .. term .. " equals the fit without c and k")
    T.near(full.se[term], base.se[term], 1e-10, "cox aliased: se." .. term .. " equals the fit without c and k")
  end
  T.near(full.loglik, base.loglik, 1e-10, "cox aliased: loglik equals the fit without c and k")
  T.is(full.wald.df, 4, "cox aliased: tests on 4 df")
  T.is(full.n, 59, "cox aliased: the row with a missing a is dropped")
  local pf, pb = full:predict(t), base:predict(t)
  T.near(pf[1], pb[1], 1e-10, "cox aliased: predict ignores the dropped terms (row 1)")
  T.near(pf[60], pb[60], 1e-10, "cox aliased: predict ignores the dropped terms (row 60)")
  T.is(pf[4], rad.NA, "cox predict: a missing input gives NA")
  local lines = {}
  for l in (tostring(full) .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = l end
  T.is(lines[5], "c                              NA         NA         NA       NA         NA  (aliased: not estimated)",
    "cox print: the aliased row")
  T.errors(function() rad.cox(t, {time = "time", event = "event", x = {"a", "b", "c"}, strict = true}) end,
    "rad.cox: term 'c' is a linear combination of the terms before it (aliased)", "cox strict: aliased term is an error")
  T.errors(function() rad.cox(t, {time = "time", event = "event", x = {"k", "a"}, strict = true}) end,
    "rad.cox: term 'k' is constant in the 59 complete rows", "cox strict: constant term is an error")

  -- logistic: the same
  rad.warnings(true)
  local lf = rad.logistic(t, {y = "y", x = {"a", "b", "c", "k", "stage"}})
  w = rad.warnings(true)
  local lb = rad.logistic(t, {y = "y", x = {"a", "b", "stage"}})
  T.is(#w, 2, "logistic aliased: two warnings")
  T.like(w[1] or "", "rad.logistic: term 'c' is a linear combination", "logistic aliased: warning names c", true)
  T.is(lf.coef.c, rad.NA, "logistic aliased: coef of c is NA")
  T.is(lf.coef.k, rad.NA, "logistic constant: coef of k is NA")
  for _, term in ipairs(lb.terms) do
    T.near(lf.coef[term], lb.coef[term], 1e-10, "logistic aliased: coef." .. term .. " equals the fit without c and k")
    T.near(lf.se[term], lb.se[term], 1e-10, "logistic aliased: se." .. term .. " equals the fit without c and k")
  end
  T.near(lf.deviance, lb.deviance, 1e-10, "logistic aliased: deviance equals the fit without c and k")
  T.near(lf:predict(t)[2], lb:predict(t)[2], 1e-10, "logistic aliased: predict ignores the dropped terms")
  T.errors(function() rad.logistic(t, {y = "y", x = {"a", "k"}, strict = true}) end,
    "rad.logistic: term 'k' is constant", "logistic strict: constant term is an error")

  -- reference levels: the same model in another parametrisation
  -- (default reference L1: b2 = L2 - L1, b3 = L3 - L1; with ref L2: L1 - L2 = -b2, L3 - L2 = b3 - b2)
  local r2 = rad.cox(t, {time = "time", event = "event", x = {"a", "b", "stage"}, ref = {stage = "L2"}})
  T.is(table.concat(r2.terms, ","), "a,b,stage:L1,stage:L3", "cox ref: the reference level gets no term")
  T.near(r2.loglik, base.loglik, 1e-9, "cox ref: the same likelihood")
  T.near(r2.coef["stage:L1"], -base.coef["stage:L2"], 1e-7, "cox ref: L1 - L2 = -(L2 - L1)")
  T.near(r2.coef["stage:L3"], base.coef["stage:L3"] - base.coef["stage:L2"], 1e-7, "cox ref: L3 - L2")
  T.near(r2:predict(t)[7], base:predict(t)[7], 1e-7, "cox ref: the same predictions")
  local lr2 = rad.logistic(t, {y = "y", x = {"a", "stage"}, ref = {stage = "L3"}})
  T.is(table.concat(lr2.terms, ","), "(Intercept),a,stage:L1,stage:L2", "logistic ref: L3 is the reference")
  T.errors(function() rad.cox(t, {time = "time", event = "event", x = {"a", "stage"}, ref = {stage = "L9"}}) end,
    "reference level 'L9' of column 'stage' is not in the data (its levels: 'L1', 'L2', 'L3')", "cox ref: unknown level")

  -- predict on a level not seen when fitting
  local t2 = rad.table.new{{"time", {1, 2}}, {"event", {1, 0}}, {"y", {0, 1}}, {"a", {0.5, 0.2}}, {"b", {1, 1}},
                           {"stage", {"L1", "L4"}}}
  T.errors(function() base:predict(t2) end, "level 'L4' of column 'stage' (row 2) was not in the data the model was fitted on",
    "cox predict: unseen level names column and level")
  T.errors(function() lb:predict(t2) end, "level 'L4' of column 'stage' (row 2) was not in the data", "logistic predict: unseen level")
end

-- ---- a numeric-looking text column becomes a factor only with a warning ----
do
  local t = rad.table.new{{"time", {1, 2, 3, 4, 5, 6}}, {"event", {1, 0, 1, 1, 0, 1}},
                          {"age", {"50", "61", "n/a", "47", "70", "66"}}}
  rad.warnings(true)
  pcall(rad.cox, t, {time = "time", event = "event", x = {"age"}})
  local w = rad.warnings(true)
  T.like(w[1] or "", "rad.cox: column 'age' is used as a factor (one term per level) because row 3 holds 'n/a' (5 of its cells are numbers, 1 is not)",
    "cox: numeric-looking factor warning names column, row and value", true)
  local c = rad.table.new{{"time", {1, 2, 3, 4, 5, 6}}, {"event", {1, 0, 1, 1, 0, 1}},
                          {"ldh", {"2,5", "3,25", "10", "4,5", "2,5", "3,25"}}, {"y", {1, 0, 0, 1, 1, 0}}}
  pcall(rad.logistic, c, {y = "y", x = {"ldh"}})
  w = rad.warnings(true)
  T.like(w[1] or "", "rad.logistic: column 'ldh' is used as a factor (one term per level), but its cells look like numbers with a decimal comma (row 1 holds '2,5'); read the file with {decimal = \",\"}",
    "logistic: decimal-comma factor warning", true)
end

-- ---- strata: a term constant within every stratum is absorbed by the baseline ----
do
  local t = aliased_data()
  local z = {}
  for i, s in ipairs(t:col("stage")) do z[i] = s == "L1" and 1 or 2 end
  t:add("z", z)
  rad.warnings(true)
  local full = rad.cox(t, {time = "time", event = "event", x = {"a", "z", "b"}, strata = "stage"})
  local w = rad.warnings(true)
  local base = rad.cox(t, {time = "time", event = "event", x = {"a", "b"}, strata = "stage"})
  T.like(w[1] or "", "rad.cox: term 'z' is constant within every stratum", "cox strata: warning names z", true)
  T.is(full.aliased.z, "constant", "cox strata: z reported as constant")
  T.near(full.coef.b, base.coef.b, 1e-10, "cox strata: coef.b equals the fit without z")
  T.near(full.se.a, base.se.a, 1e-10, "cox strata: se.a equals the fit without z")
  T.errors(function() rad.cox(t, {time = "time", event = "event", x = {"a", "z"}, strata = "stage", strict = true}) end,
    "rad.cox: term 'z' is constant within every stratum in the 59 complete rows", "cox strata strict: an error")
end

-- ---- ref in the penalised models ----
do
  local t = aliased_data()
  local cn = rad.coxnet(t, {time = "time", event = "event", x = {"a", "b", "stage"}, ref = {stage = "L3"}})
  T.is(table.concat(cn.terms, ","), "a,b,stage:L1,stage:L2", "coxnet ref: L3 is the reference")
  local gl = rad.glmnet_logistic(t, {y = "y", x = {"a", "stage"}, ref = {stage = "L2"}})
  T.is(table.concat(gl.terms, ","), "(Intercept),a,stage:L1,stage:L3", "glmnet_logistic ref: L2 is the reference")
  T.errors(function() rad.coxnet(t, {time = "time", event = "event", x = {"a", "stage"}, ref = {stage = "L0"}}) end,
    "rad.coxnet: design: reference level 'L0' of column 'stage' is not in the data", "coxnet ref: unknown level")
end

-- ---- help(fit): every field of every model object is documented ----
do
  local t, names = simulate(80, 3, 5)
  local st = {}
  for i = 1, 80 do st[i] = ({"a", "b"})[i % 2 + 1] end
  t:add("grp", st)
  local objs = {
    rad.cox(t, {time = "time", event = "event", x = {"x1", "x2", "grp"}}),
    rad.cox(t, {time = "time", event = "event", x = {"x1", "x2"}, strata = "grp"}),
    rad.logistic(t, {y = "y", x = names}),
    rad.glmnet_logistic(t, {y = "y", x = names}),
    rad.coxnet(t, {time = "time", event = "event", x = names}),
    rad.roc(t:col("y"), t:col("x1")),
    rad.km(t, {time = "time", event = "event", group = "grp"}),
  }
  for _, o in ipairs(objs) do
    local cname = getmetatable(o).__name
    local text = rad.help(cname)
    T.ok(type(text) == "string", cname .. ": class help registered")
    local undocumented = {}
    for k in pairs(o) do
      if k:sub(1, 1) ~= "_" and not (text or ""):find("%f[%w_]" .. k .. "%f[^%w_]") then
        undocumented[#undocumented + 1] = k
      end
    end
    table.sort(undocumented)
    T.is(table.concat(undocumented, ", "), "", cname .. ": every field is in help(" .. cname .. ")")
  end
end

-- coxnet regression (issue 13): a well-conditioned lasso path that glmnet
-- completes but the old fixed cap of 100 outer (Newton) steps per lambda cut
-- short (it stopped at lambda 94 of 100 here).  Seeded synthetic data: 100
-- rows x 200 standard-normal features, every 20th with log-hazard ratio 0.5,
-- exponential event and censoring times.  Expected values from R 4.2.2
-- glmnet 4.1-6, glmnet(x, Surv(time, event), family = "cox") with its
-- defaults on this table written to CSV, run by hand (jerr 0, 100 lambdas,
-- npasses 10436); the test does not need R.
do
  local rng = require("rad.rng").new(1)
  local function normal()
    local u1, u2 = rng:random(), rng:random()
    return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
  end
  local n, p, cols, names, eta = 100, 200, {}, {}, {}
  for i = 1, n do eta[i] = 0 end
  for j = 1, p do
    local v, b = {}, (j % 20 == 0) and 0.5 or 0
    for i = 1, n do v[i] = normal(); eta[i] = eta[i] + b * v[i] end
    names[j] = string.format("f%03d", j)
    cols[#cols + 1] = {names[j], v}
  end
  local time, event = {}, {}
  for i = 1, n do
    local tt = -math.log(1 - rng:random()) / math.exp(eta[i])
    local c = -math.log(1 - rng:random()) * 2
    time[i], event[i] = math.min(tt, c), tt <= c and 1 or 0
  end
  table.insert(cols, 1, {"event", event})
  table.insert(cols, 1, {"time", time})
  local wide = rad.table.new(cols)
  local path = rad.coxnet(wide, {time = "time", event = "event", x = names})
  T.is(#path.lambda, 100, "coxnet: the 100 x 200 path completes all 100 lambdas, as glmnet")
  T.is(path.warning, nil, "coxnet: no convergence warning on the 100 x 200 path")
  T.is(path.df[100], 87, "coxnet: 87 non-zero coefficients at the last lambda, as glmnet")
  local rel = function(a, b) return math.abs(a - b) / math.abs(b) end
  T.ok(rel(path.lambda[100], 0.003248825935) < 1e-6, "coxnet: last lambda as glmnet (0.003248825935)")
  T.ok(rel(path.dev_ratio[100], 0.86262709) < 1e-6, "coxnet: deviance ratio at lambda 100 as glmnet (0.86262709)")
  T.ok(rel(path.dev_ratio[95], 0.8376864711) < 1e-6, "coxnet: deviance ratio at lambda 95 as glmnet (0.8376864711)")
  local c = path:coef(100)
  T.ok(rel(c.f140, 5.644709761) < 1e-6, "coxnet: f140 at lambda 100 as glmnet (5.644709761)")
  T.ok(rel(c.f075, 5.232405794) < 1e-6, "coxnet: f075 at lambda 100 as glmnet (5.232405794)")
  T.ok(rel(c.f040, 5.07357826) < 1e-6, "coxnet: f040 at lambda 100 as glmnet (5.07357826)")
  T.ok(math.abs(path.npasses - 10436) <= 104, "coxnet: coordinate passes within 1 % of glmnet's npasses (10436)")
  -- CV folds on 1 and on 2 threads: the same numbers
  local o = {time = "time", event = "event", x = names, folds = 5, seed = 3, nlambda = 20}
  o.threads = 1
  local cv1 = rad.coxnet_cv(wide, o)
  o.threads = 2
  local cv2 = rad.coxnet_cv(wide, o)
  local same = #cv1.cvm == 20 and #cv2.cvm == 20
  for k = 1, #cv1.cvm do same = same and cv1.cvm[k] == cv2.cvm[k] and cv1.cvsd[k] == cv2.cvsd[k] end
  T.ok(same, "coxnet_cv: identical results on 1 and 2 threads")
end

-- ---- the proportional-hazards test is computed on first use (issue 13) ----
do
  local t, names = simulate(150, 3, 41)
  local fit = rad.cox(t, {time = "time", event = "event", x = names})
  T.is(rawget(fit, "ph_test"), nil, "cox: no ph_test computed with the fit")
  T.is(fit[1], nil, "cox: a numeric key reads nil (no method, no error)")
  T.is(fit.nothing, nil, "cox: an unknown field reads nil")
  collectgarbage()
  collectgarbage() -- the fitting data stay while the fit lives
  local z = fit:zph()
  T.is(type(z), "table", "cox:zph() after two collections")
  T.is(rawget(fit, "ph_test"), z, "cox: the test is kept as the field ph_test")
  T.ok(rawequal(fit.ph_test, z) and rawequal(fit:zph(), z), "cox: later calls return the same table")
  T.is(#z.time, fit.nevent, "cox:zph: one row per event")
  -- the same fit asked through the field first gives the same numbers
  local fit2 = rad.cox(t, {time = "time", event = "event", x = names})
  local z2 = fit2.ph_test
  local same = z2.global.chisq == z.global.chisq and z2.global.df == 3
  for _, nm in ipairs(names) do same = same and z2.chisq[nm] == z.chisq[nm] and z2.p[nm] == z.p[nm] end
  T.ok(same, "cox: fit.ph_test and fit:zph() agree to the last bit")
  -- a table that only looks like a fit: a clear error
  local copy = {}
  for k, v in pairs(fit2) do if k ~= "ph_test" then copy[k] = v end end
  setmetatable(copy, getmetatable(fit2))
  local ok, err = pcall(copy.zph, copy)
  T.ok(not ok and tostring(err):find("not a Cox model fitted by rad.cox", 1, true),
    "cox:zph on a copy without the fitting data says so")
  T.is(copy.ph_test, nil, "cox: the copy's ph_test reads nil")
  -- many fits never asked for the test: their data go with them
  for _ = 1, 20 do rad.cox(t, {time = "time", event = "event", x = names}) end
  collectgarbage()
  local n = 0
  for _ in pairs(debug.getregistry()["rad.cox.zph_pending"]) do n = n + 1 end
  T.is(n, 0, "cox: collected fits leave no pending data behind")
end

T.done()
