-- radlab: tests of rad.validate (calibration, decision curves, risk groups,
-- bootstrap optimism, nomogram, score column).  SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/validate.lua
-- The expected values are worked by hand from the definitions in
-- stdlib/rad/validate.lua (Kaplan-Meier products, the Vickers et al. 2008
-- net benefit, two-point least squares) or are exact properties.
local T = require "rad.test"
local rng = require "rad.rng"
local validate = require "rad.validate"
local NA = rad.NA

-- simulated survival data: hazard exp(0.8 x1 - 0.5 x2), uniform censoring
local function simulate(n, seed)
  local g = rng.new(seed)
  local function normal()
    local u1, u2 = g:random(), g:random()
    return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
  end
  local x1, x2, x3, time, event = {}, {}, {}, {}, {}
  for i = 1, n do
    x1[i], x2[i], x3[i] = normal(), normal(), normal()
    local tt = -math.log(1 - g:random()) / math.exp(0.8 * x1[i] - 0.5 * x2[i])
    local c = 3 * g:random()
    time[i] = math.min(tt, c)
    event[i] = tt <= c and 1 or 0
  end
  return rad.table.new{{"time", time}, {"event", event}, {"x1", x1}, {"x2", x2}, {"x3", x3}}
end

-- ---- calibration -------------------------------------------------------------
do
  -- group 1 (lowest predictions 0.5, 0.6, 0.7): times 1, 2+, 3 -> KM(2.5) = 2/3
  -- group 2 (0.9, 0.95, 1.0): times 4, 5, 6 -> KM(2.5) = 1
  local t = rad.table.new{{"time", {1, 4, 2, 5, 3, 6}}, {"event", {1, 1, 0, 1, 1, 1}},
                          {"p", {0.5, 0.9, 0.6, 0.95, 0.7, 1.0}}}
  local cal = validate.calibration(t, {time = "time", event = "event", prob = "p", at = 2.5, groups = 2})
  T.is(#cal.groups, 2, "calibration: two groups")
  T.is(cal.groups[1].n, 3, "calibration: group 1 size")
  T.near(cal.groups[1].predicted, 0.6, 1e-12, "calibration: group 1 mean prediction")
  T.near(cal.groups[1].observed, 2 / 3, 1e-12, "calibration: group 1 KM survival at 2.5")
  T.near(cal.groups[2].predicted, 0.95, 1e-12, "calibration: group 2 mean prediction")
  T.near(cal.groups[2].observed, 1, 1e-12, "calibration: group 2 KM survival at 2.5")
  -- R survfit's log limits: Greenwood sum d / (n (n - d)) = 1 / (3 * 2) at t = 1,
  -- S exp(-/+ 1.959964 sqrt(1/6)); the upper limit 1.48 is capped at 1
  T.near(cal.groups[1].lower, 2 / 3 * math.exp(-1.959963984540054 * math.sqrt(1 / 6)), 1e-12,
    "calibration: KM lower limit 2/3 exp(-1.96 sqrt(1/6)) = 0.2995")
  T.is(cal.groups[1].upper, 1, "calibration: KM upper limit capped at 1")
  T.near(cal.slope, (1 / 3) / 0.35, 1e-10, "calibration: slope through the two groups")
  T.near(cal.intercept, 2 / 3 - (1 / 3) / 0.35 * 0.6, 1e-10, "calibration: intercept")
  -- the same predictions as an array give the same answer
  local cal2 = validate.calibration(t, {time = "time", event = "event", prob = t:col("p"), at = 2.5, groups = 2})
  T.near(cal2.slope, cal.slope, 1e-15, "calibration: prob as array")
  -- weights: unequal groups (7 rows, 2 groups -> sizes 3 and 4) still fit exactly through 2 points
  local t7 = rad.table.new{{"time", {1, 2, 3, 4, 5, 6, 7}}, {"event", {1, 1, 1, 1, 1, 1, 1}},
                           {"p", {0.1, 0.2, 0.3, 0.7, 0.8, 0.9, 1.0}}}
  local c7 = validate.calibration(t7, {time = "time", event = "event", prob = "p", at = 3.5, groups = 2})
  T.is(c7.groups[1].n, 3, "calibration: rank groups, first has ceil cut 3")
  T.near(c7.groups[1].observed, 0, 1e-12, "calibration: all of group 1 died by 3.5")
  T.near(c7.groups[2].observed, 1, 1e-12, "calibration: none of group 2 died by 3.5")
  T.near(c7.slope, 1 / (0.85 - 0.2), 1e-10, "calibration: slope with unequal groups")
  T.errors(function() validate.calibration(t, {time = "time", event = "event", prob = "p", at = 2.5, groups = 7}) end,
    "groups need at least", "calibration: too many groups")
  T.errors(function() validate.calibration(t, {time = "time", event = "event", prob = "nope", at = 2.5}) end,
    "'nope'", "calibration: missing column named")
  T.errors(function() validate.calibration(t, {time = "time", event = "event", prob = {1, 2}, at = 2.5}) end,
    "has 2 values but the table has 6 rows", "calibration: wrong array length")
  T.errors(function() validate.calibration(t, {time = "time", event = "event", prob = "time", at = 2.5,
    groups = 2}) end, "in [0, 1]", "calibration: probabilities out of range")
  T.errors(function() validate.calibration(t, {time = "time", event = "event", prob = "p", at = 2.5, bins = 2}) end,
    "unknown option 'bins'", "calibration: unknown option")
end

-- ---- decision curves ---------------------------------------------------------
do
  -- times 1, 2, 3+, 4+: KM(2.5) of all = 3/4 * 2/3 = 1/2
  local t = rad.table.new{{"time", {1, 2, 3, 4}}, {"event", {1, 1, 0, 0}}, {"r", {0.8, 0.6, 0.4, 0.2}}}
  local d = validate.dca(t, {time = "time", event = "event", risk = "r", at = 2.5, thresholds = {0.3, 0.5, 0.9}})
  T.is(#d.net_benefit, 3, "dca: one value per threshold")
  -- p = 0.3: rows 1-3 treated, KM(2.5) among them = 2/3 * 1/2 = 1/3, P = 3/4
  T.near(d.net_benefit[1], (2 / 3) * 0.75 - (1 / 3) * 0.75 * 0.3 / 0.7, 1e-12, "dca: net benefit at 0.3")
  -- p = 0.5: rows 1-2 treated, both dead by 2.5: NB = P = 1/2
  T.near(d.net_benefit[2], 0.5, 1e-12, "dca: net benefit at 0.5")
  T.is(d.net_benefit[3], 0, "dca: nobody above 0.9 -> 0")
  T.near(d.treat_all[1], 0.5 - 0.5 * 0.3 / 0.7, 1e-12, "dca: treat all at 0.3")
  T.near(d.treat_all[2], 0, 1e-12, "dca: treat all at 0.5")
  T.is(d.treat_none[2], 0, "dca: treat none")
  local dd = validate.dca(t, {time = "time", event = "event", risk = "r", at = 2.5})
  T.is(#dd.threshold, 99, "dca: default thresholds 0.01..0.99")
  T.near(dd.threshold[50], 0.5, 1e-15, "dca: default threshold 50 is 0.5")
  -- property: the lowest threshold treats everyone, so model = treat all
  local d0 = validate.dca(t, {time = "time", event = "event", risk = "r", at = 2.5, thresholds = {0.1}})
  T.near(d0.net_benefit[1], d0.treat_all[1], 1e-12, "dca: everyone above threshold = treat all")
  T.errors(function() validate.dca(t, {time = "time", event = "event", risk = "r", at = 2.5, thresholds = {1}}) end,
    "strictly between 0 and 1", "dca: threshold 1 refused")
  T.errors(function() validate.dca(t, {time = "time", event = "event", risk = "r"}) end,
    "option at must be a number", "dca: at required")
end

-- ---- risk groups -------------------------------------------------------------
do
  T.is(validate.risk_groups({4, 1, 3, 2}, {method = "median"}), 2.5, "risk_groups: median of 4 scores")
  T.is(validate.risk_groups({5, 1, 3}), 3, "risk_groups: median is the default")
  local a = validate.assign({1, 3, 2.5, 10}, 2.5)
  T.is(table.concat(a, ","), "low,high,low,high", "assign: > cutoff is high, ties low")
  -- maxstat: scores 1..10; scores > 4 all die (times 1..6, in no order of the score)
  -- before the lower ones (times 21..24); the chi-squares of cuts 2..9 are
  -- 2.91, 2.92, 8.39, 5.44, 2.45, 1.40, 0.23, 0.22, so the cut is 4
  local n = 10
  local s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
  local time = {22, 24, 21, 23, 3, 1, 4, 2, 6, 5}
  local event = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
  local t = rad.table.new{{"time", time}, {"event", event}, {"s", s}}
  local cut = validate.risk_groups(s, {method = "maxstat", t = t, time = "time", event = "event"})
  -- brute force over every candidate in [q10, q90] = [1.9, 9.1]
  local best, bestc = -1, nil
  for c = 2, 9 do
    local g = {}
    for i = 1, n do g[i] = s[i] > c and 1 or 0 end
    local lr = rad.logrank(rad.table.new{{"time", time}, {"event", event}, {"g", g}},
      {time = "time", event = "event", group = "g"})
    if lr.chisq > best then best, bestc = lr.chisq, c end
  end
  T.is(cut, bestc, "risk_groups maxstat: the cut-off maximising the log-rank chi-square")
  T.is(cut, 4, "risk_groups maxstat: finds the true split at 4")
  local sc = validate.risk_groups("s", {method = "maxstat", t = t, time = "time", event = "event"})
  T.is(sc, cut, "risk_groups: scores as a column name of t")
  T.errors(function() validate.risk_groups(s, {method = "maxstat"}) end, "needs t =", "maxstat needs data")
  T.errors(function() validate.risk_groups(s, {method = "mean"}) end, "\"median\" or \"maxstat\"", "bad method")
  T.errors(function() validate.assign({1, NA}, 0) end, "score 2 is missing", "assign: missing score")
  T.errors(function() validate.assign({1}, "x") end, "cutoff must be a number", "assign: bad cutoff")
end

-- ---- warnings of the refits: recorded, one summary line -----------------------
do
  -- x2 is 1 in one row only: the resamples without that row make it constant,
  -- and each of those refits warns; the run shows one summary line instead
  local dir = T.tmpdir()
  local script = dir .. "/quiet.lua"
  local f = assert(io.open(script, "w"))
  f:write([[
local validate = require "rad.validate"
local tm, ev, x, x2 = {}, {}, {}, {}
for i = 1, 60 do
  tm[i] = (i * 37) % 53 + 1; ev[i] = (i % 3 == 0) and 0 or 1; x[i] = ((i * 17) % 23) / 23
  x2[i] = i == 7 and 1 or 0
end
local t = rad.table.new{{"time", tm}, {"event", ev}, {"x", x}, {"x2", x2}}
local o = validate.bootstrap_optimism(t, {fit = function(d) return rad.cox(d, {time = "time", event = "event",
  x = {"x", "x2"}}) end, score = function(m, d) return m:predict(d, {type = "lp"}) end, time = "time",
  event = "event", B = 20, seed = 3})
print(o.failed, o.B, #rad.warnings(), rad.quiet())
]])
  f:close()
  local h = io.popen(string.format("'%s' '%s' 2>&1", os.getenv("RADLAB") or "./radlab", script))
  local out = h:read("a")
  h:close()
  local _, nconst = out:gsub("rad%.cox: term 'x2' is constant", "")
  T.is(nconst, 1, "bootstrap_optimism: the refits' warnings are not shown one by one (only quoted once in the summary)")
  T.like(out, "validate.bootstrap_optimism: the model fits of the bootstrap replicates warned 4 times " ..
    "(rad.warnings() lists them); the first: rad.cox: term 'x2' is constant", "... one summary line with the count", true)
  T.like(out, "\n0\t20\t4\tfalse\n", "no replicate failed, 4 warnings recorded, rad.quiet restored to false", true)
  T.is(rad.quiet(true), false, "rad.quiet: off by default; returns the previous setting")
  T.is(rad.quiet(false), true, "rad.quiet(false) returns true after quiet(true)")
end

-- ---- bootstrap optimism ------------------------------------------------------
do
  local t = simulate(120, 11)
  local fit = function(d) return rad.cox(d, {time = "time", event = "event", x = {"x1", "x2", "x3"}}) end
  local score = function(m, d) return m:predict(d, {type = "lp"}) end
  local o = validate.bootstrap_optimism(t, {fit = fit, score = score, time = "time", event = "event", B = 25,
    seed = 3})
  local app = rad.concordance(t, {time = "time", event = "event", score = score(fit(t), t)}).harrell
  T.near(o.apparent, app, 1e-12, "bootstrap_optimism: apparent = Harrell's C of the full fit")
  local sum = 0
  for b = 1, #o.c_boot do sum = sum + o.c_boot[b] - o.c_orig[b] end
  T.near(o.optimism, sum / 25, 1e-12, "bootstrap_optimism: optimism = mean(C_boot - C_orig)")
  T.near(o.corrected, o.apparent - o.optimism, 1e-15, "bootstrap_optimism: corrected = apparent - optimism")
  -- the seeded run (simulate(120, 11), seed 3, B = 25) is deterministic: its
  -- values to full precision (a change of the resampling changes them)
  T.near(o.apparent, 0.72293116782675948, 1e-12, "bootstrap_optimism: apparent C of the simulated data 0.72293")
  T.near(o.optimism, 0.0059719183273369003, 1e-12, "bootstrap_optimism: optimism of the seeded run 0.0059719")
  local o2 = validate.bootstrap_optimism(t, {fit = fit, score = score, time = "time", event = "event", B = 25,
    seed = 3})
  T.is(o2.optimism, o.optimism, "bootstrap_optimism: same seed, same result")
  -- a model that ignores the data has no optimism: the score is a fixed covariate
  local o3 = validate.bootstrap_optimism(t, {fit = function() return {} end,
    score = function(_, d) return d:col("x1") end, time = "time", event = "event", B = 5})
  T.is(o3.B, 5, "bootstrap_optimism: B resamples used")
  local fixed = true
  for b = 1, 5 do if o3.c_orig[b] ~= o3.apparent then fixed = false end end
  T.ok(fixed, "bootstrap_optimism: a data-independent score has C_orig = apparent in every resample")
  T.errors(function() validate.bootstrap_optimism(t, {fit = fit, score = function() return {1} end,
    time = "time", event = "event", B = 2}) end, "must return an array of 120 numbers", "bad score function")
  T.errors(function() validate.bootstrap_optimism(t, {fit = fit, time = "time", event = "event"}) end,
    "option score must be a function", "score required")
  -- failing replicates: calls 2 and 5 of fit (replicates 1 and 4) fail; the
  -- others are exactly the replicates of the run with seed 3 above
  local calls = 0
  local flaky = function(d)
    calls = calls + 1
    if calls == 2 or calls == 5 then error("no convergence in call " .. calls, 0) end
    return fit(d)
  end
  local o4 = validate.bootstrap_optimism(t, {fit = flaky, score = score, time = "time", event = "event", B = 25,
    seed = 3})
  T.is(o4.failed, 2, "bootstrap_optimism: two failed replicates counted")
  T.is(o4.first_error, "replicate 1: no convergence in call 2", "bootstrap_optimism: the first failure's message")
  T.is(o4.B, 23, "bootstrap_optimism: 23 replicates used")
  T.is(o4.c_boot[1], NA, "bootstrap_optimism: a failed replicate is NA")
  local sum4 = 0
  for b = 1, 25 do if b ~= 1 and b ~= 4 then sum4 = sum4 + o.c_boot[b] - o.c_orig[b] end end
  T.near(o4.optimism, sum4 / 23, 1e-12, "bootstrap_optimism: optimism over the replicates that worked")
  calls = 0
  T.errors(function() validate.bootstrap_optimism(t, {fit = flaky, score = score, time = "time", event = "event",
    B = 10, seed = 3, max_failed = 0.1}) end,
    "validate.bootstrap_optimism: 2 of 10 bootstrap replicates failed, more than max_failed = 0.1 allows; the first: replicate 1: no convergence in call 2",
    "bootstrap_optimism: too many failures is an error")
  T.errors(function() validate.bootstrap_optimism(t, {fit = fit, score = score, time = "time", event = "event",
    max_failed = 2}) end, "option max_failed must be a fraction between 0 and 1, got 2", "bootstrap_optimism: bad max_failed")
end

-- ---- nomogram of a logistic model: the probability read from the points is the model's -----
do
  local t = simulate(150, 7)
  local yb = {}
  for i, e in ipairs(t:col("event")) do yb[i] = e end
  local u = t:copy()
  u:add("yb", yb)
  local lg = rad.logistic(u, {y = "yb", x = {"x1", "x2"}})
  local nomo = validate.nomogram(lg, {data = u})
  T.is(nomo.link, "logit", "logistic nomogram: the logit link")
  T.is(nomo.outcome, "yb", "logistic nomogram: names the outcome")
  local pr = lg:predict(u, {type = "response"})
  local worst = 0
  for i = 1, 20 do
    local r = u:row(i)
    local _, lp, p = validate.points(nomo, {x1 = r.x1, x2 = r.x2})
    worst = math.max(worst, math.abs(p - pr[i]))
  end
  T.ok(worst < 1e-12, string.format("logistic nomogram: the probability of 20 rows = predict(type = response) (worst %.2g)", worst))
  T.near(nomo.probability[1], 1 / (1 + math.exp(-nomo.lp[1])), 1e-15, "logistic nomogram: probability = expit(lp) on the scale")
  T.errors(function() validate.nomogram(lg, {data = u, at = 3}) end, "at is the time of a Cox model's prediction; a logistic model has none",
    "logistic nomogram: at refused")
end

-- ---- nomogram: a 0/1 indicator is drawn as its two values, and read back exactly ----
do
  local t = simulate(150, 11)
  local ind = {}
  for i, x in ipairs(t:col("x1")) do ind[i] = x > 0 and 1 or 0 end
  local u = t:copy()
  u:add("ind", ind)
  local m = rad.cox(u, {time = "time", event = "event", x = {"ind", "x2"}})
  local nomo = validate.nomogram(m, {at = 1, data = u})
  T.is(nomo.terms[1].type .. ":" .. table.concat(nomo.terms[1].levels, ","), "factor:0,1", "nomogram: a 0/1 column has the two values 0 and 1")
  local lp = m:predict(u, {type = "lp"})
  local worst = 0
  for i = 1, 10 do
    local r = u:row(i)
    local _, l = validate.points(nomo, {ind = r.ind, x2 = r.x2})
    worst = math.max(worst, math.abs(l - lp[i]))
  end
  T.ok(worst < 1e-12, string.format("nomogram: the linear predictor read from a 0/1 term's points = predict (worst %.2g)", worst))
end

-- ---- nomogram ------------------------------------------------------------------
do
  local t = simulate(150, 5)
  local m = rad.cox(t, {time = "time", event = "event", x = {"x1", "x2"}})
  local nomo = validate.nomogram(m, {at = 1, data = t})
  T.is(#nomo.terms, 2, "nomogram: one scale per term")
  local widest, other = nomo.terms[1], nomo.terms[2]
  local w1 = math.abs(m.coef.x1) * (widest.max - widest.min)
  local w2 = math.abs(m.coef.x2) * (other.max - other.min)
  if w2 > w1 then widest, other = other, widest end
  local pmax = math.max(widest.points[1], widest.points[#widest.points])
  local pmin = math.min(widest.points[1], widest.points[#widest.points])
  T.near(pmax, 100, 1e-9, "nomogram: the widest term spans 100 points")
  T.near(pmin, 0, 1e-9, "nomogram: ... from 0")
  T.ok(math.max(other.points[1], other.points[#other.points]) < 100, "nomogram: the other term spans fewer")
  -- a point on the grid agrees with Cox:predict on a constructed row
  local rows = {{x1 = 0.3, x2 = -0.7}, {x1 = -1.2, x2 = 1.1}, {x1 = 1.5, x2 = 0}}
  local ok_lp, ok_s = true, true
  for _, r in ipairs(rows) do
    local total, lp, s = validate.points(nomo, r)
    local one = rad.table.new{{"x1", {r.x1}}, {"x2", {r.x2}}}
    local plp = m:predict(one, {type = "lp"})[1]
    local ps = m:predict(one, {type = "survival", times = {1}})[1][1]
    if math.abs(lp - plp) > 1e-10 then ok_lp = false; T.diag("lp", lp, plp) end
    if math.abs(s - ps) > 1e-10 then ok_s = false; T.diag("surv", s, ps) end
    T.ok(total >= 0 and total <= nomo.max_total, "nomogram: total points within the scale")
  end
  T.ok(ok_lp, "nomogram: total points -> linear predictor as Cox:predict")
  T.ok(ok_s, "nomogram: total points -> survival at 1 as Cox:predict{type = \"survival\"}")
  T.is(#nomo.total, 21, "nomogram: 21 total-point grid values")
  T.near(nomo.total[#nomo.total], nomo.max_total, 1e-12, "nomogram: grid ends at the maximal total")
  local dec = true
  for k = 2, #nomo.survival do if nomo.survival[k] > nomo.survival[k - 1] then dec = false end end
  T.ok(dec, "nomogram: survival falls as points rise")
  -- ranges give the same scales as the data's extremes
  local r = validate.nomogram(m, {at = 1, ranges = {x1 = {nomo.terms[1].min, nomo.terms[1].max},
    x2 = {nomo.terms[2].min, nomo.terms[2].max}}})
  T.near(r.survival[7], nomo.survival[7], 1e-14, "nomogram: ranges = data extremes")
  T.errors(function() validate.nomogram(m, {at = 1}) end, "exactly one of ranges", "nomogram: ranges or data")
  T.errors(function() validate.nomogram(m, {at = 1, ranges = {x1 = {0, 1}}}) end, "ranges.x2",
    "nomogram: missing range named")
  T.errors(function() validate.nomogram({}, {at = 1}) end, "Cox model", "nomogram: not a model")
end

-- ---- calibration slope ---------------------------------------------------------
-- independent reference for the Wald p-value: 2 (1 - Phi(|z|)) by Simpson's rule
local function two_sided_p(z)
  z = math.abs(z)
  local m = 4000
  local h = z / m
  local s = 1 + math.exp(-z * z / 2)
  for k = 1, m - 1 do s = s + (k % 2 == 1 and 4 or 2) * math.exp(-(k * h) ^ 2 / 2) end
  return 1 - 2 * (s * h / 3) / math.sqrt(2 * math.pi)
end

do
  local t = simulate(200, 7)
  local m = rad.cox(t, {time = "time", event = "event", x = {"x1", "x2"}})
  local cs = validate.calibration_slope(t, {time = "time", event = "event", model = m, at = 1})
  T.near(cs.slope, 1, 1e-6, "calibration_slope: the fitted lp in its own data has slope 1")
  T.near(cs.intercept, 0, 1e-9, "calibration_slope: offset-Poisson intercept 0 in the fitting data (Breslow)")
  T.near(cs.expected_events, cs.nevent, 1e-8 * cs.nevent, "calibration_slope: expected events = observed events")
  T.near(cs.intercept_se, 1 / math.sqrt(cs.nevent), 1e-15, "calibration_slope: intercept SE 1/sqrt(events)")
  T.near(cs.lower, cs.slope - 1.959963984540054 * cs.se, 1e-12, "calibration_slope: Wald lower limit")
  T.near(cs.upper, cs.slope + 1.959963984540054 * cs.se, 1e-12, "calibration_slope: Wald upper limit")
  -- O/E at 1 by hand: O = 1 - KM(1), E = mean predicted risk at 1
  local ps = m:predict(t, {type = "survival", times = {1}})
  local e = 0
  for i = 1, #ps do e = e + (1 - ps[i][1]) end
  e = e / #ps
  local km = rad.km(t, {time = "time", event = "event"}):at(1)
  T.near(cs.oe_ratio, (1 - km.surv) / e, 1e-12, "calibration_slope: oe_ratio = (1 - KM(at)) / mean risk")
  T.ok(cs.oe_lower < cs.oe_ratio and cs.oe_upper > cs.oe_ratio, "calibration_slope: O/E limits around it")
  -- an lp twice too large (overfit-like) has slope 1/2; the Wald test of slope = 1
  local lp = m:predict(t, {type = "lp"})
  local lp2 = {}
  for i, v in ipairs(lp) do lp2[i] = 2 * v end
  local c2 = validate.calibration_slope(t, {time = "time", event = "event", lp = lp2})
  T.near(c2.slope, 0.5, 1e-6, "calibration_slope: lp doubled -> slope 1/2")
  T.near(c2.se, cs.se / 2, 1e-6, "calibration_slope: ... and SE halved")
  T.near(c2.z_slope1, (c2.slope - 1) / c2.se, 1e-12, "calibration_slope: z of slope = 1")
  T.near(c2.p_slope1, two_sided_p(c2.z_slope1), 1e-10, "calibration_slope: p_slope1 = 2 (1 - Phi(|z|))")
  T.near(c2.z_slope1, -8.7490950729251171, 1e-9, "calibration_slope: slope 1/2 is detected, z = -8.749")
  T.near(cs.p_slope1, two_sided_p(cs.z_slope1), 1e-10, "calibration_slope: p_slope1 near slope 1")
  T.ok(c2.intercept == nil and c2.oe_ratio == nil, "calibration_slope: no model, no at -> no calibration in the large")
  -- lp as a column name; predicted survival all 0.5 -> E = 1/2
  t:add("lp", lp)
  local half = {}
  for i = 1, t:nrow() do half[i] = 0.5 end
  local c3 = validate.calibration_slope(t, {time = "time", event = "event", lp = "lp", at = 1, surv = half})
  T.near(c3.slope, cs.slope, 1e-12, "calibration_slope: lp as a column")
  T.near(c3.oe_ratio, (1 - km.surv) / 0.5, 1e-12, "calibration_slope: O/E with given survival")
  T.errors(function() validate.calibration_slope(t, {time = "time", event = "event"}) end,
    "give lp =", "calibration_slope: lp or model needed")
  T.errors(function() validate.calibration_slope(t, {time = "time", event = "event", lp = "lp", surv = half}) end,
    "needs at =", "calibration_slope: surv needs at")
  local const = {}
  for i = 1, t:nrow() do const[i] = 1 end
  T.errors(function() validate.calibration_slope(t, {time = "time", event = "event", lp = const}) end,
    "constant", "calibration_slope: constant lp")
  T.errors(function() validate.calibration_slope(t, {time = "x1", event = "event", lp = "lp"}) end,
    "survival times must be >= 0", "calibration_slope: negative time named")
  T.errors(function() validate.calibration_slope(t, {time = "time", event = "x2", lp = "lp"}) end,
    "code events as 0", "calibration_slope: bad event coding")
  T.errors(function() validate.calibration_slope(t, {time = "time", event = "event", model = 3}) end,
    "Cox model from rad.cox", "calibration_slope: bad model")
  -- stratified: per-stratum Breslow baselines, still intercept 0 in the fitting data
  local site = {}
  for i = 1, t:nrow() do site[i] = i % 3 == 0 and "north" or "south" end
  t:add("site", site)
  local ms = rad.cox(t, {time = "time", event = "event", x = {"x1", "x2"}, strata = "site"})
  local css = validate.calibration_slope(t, {time = "time", event = "event", model = ms})
  T.near(css.intercept, 0, 1e-9, "calibration_slope: stratified model, intercept 0 in the fitting data")
  T.near(css.slope, 1, 1e-6, "calibration_slope: stratified model, slope 1")
end

-- ---- bootstrap optimism of the calibration slope (overfit model) ---------------
do
  local g = rng.new(21)
  local function normal()
    local u1, u2 = g:random(), g:random()
    return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
  end
  local n, cols, xs = 60, {}, {}
  for j = 1, 16 do xs[j] = "z" .. j; cols[j] = {} end
  local time, event = {}, {}
  for i = 1, n do
    for j = 1, 16 do cols[j][i] = normal() end
    local tt = -math.log(1 - g:random()) / math.exp(0.7 * cols[1][i])
    local c = 2.5 * g:random()
    time[i], event[i] = math.min(tt, c), tt <= c and 1 or 0
  end
  local spec = {{"time", time}, {"event", event}}
  for j = 1, 16 do spec[#spec + 1] = {xs[j], cols[j]} end
  local t = rad.table.new(spec)
  local fit = function(d) return rad.cox(d, {time = "time", event = "event", x = xs}) end
  local score = function(m, d) return m:predict(d, {type = "lp"}) end
  local o = validate.bootstrap_optimism(t, {fit = fit, score = score, time = "time", event = "event", B = 20,
    seed = 4})
  T.near(o.slope.apparent, 1, 1e-6, "bootstrap slope: apparent slope of the full fit is 1")
  local sum, k = 0, 0
  for b = 1, 20 do
    if o.slope.boot[b] ~= NA and o.slope.orig[b] ~= NA then
      sum, k = sum + o.slope.boot[b] - o.slope.orig[b], k + 1
    end
  end
  T.is(o.slope.B, k, "bootstrap slope: B = the resamples with both slopes")
  T.near(o.slope.optimism, sum / k, 1e-12, "bootstrap slope: optimism = mean(slope_boot - slope_orig)")
  T.is(o.slope.corrected, o.slope.apparent - o.slope.optimism, "bootstrap slope: corrected = apparent - optimism")
  -- the seeded run (rng 21, seed 4, B = 20) to full precision: an overfit
  -- model (16 covariates, 60 rows) shrinks to 0.3585, its C from 0.7854 to 0.6740
  T.near(o.slope.corrected, 0.35853062801783953, 1e-9, "bootstrap slope: corrected slope of the overfit model 0.35853")
  T.is(o.slope.B, 20, "bootstrap slope: every resample gave both slopes")
  T.near(o.apparent, 0.78535170413343003, 1e-12, "bootstrap slope: apparent C 0.78535")
  T.near(o.corrected, 0.67399474352783972, 1e-12, "bootstrap slope: corrected C 0.67399")
  local o2 = validate.bootstrap_optimism(t, {fit = fit, score = score, time = "time", event = "event", B = 20,
    seed = 4})
  T.is(o2.slope.corrected, o.slope.corrected, "bootstrap slope: same seed, same corrected slope")
  local o3 = validate.bootstrap_optimism(t, {fit = fit, score = score, time = "time", event = "event", B = 2,
    slope = false})
  T.ok(o3.slope == nil and o3.corrected, "bootstrap slope: slope = false leaves it out")
  T.errors(function() validate.bootstrap_optimism(t, {fit = fit, score = score, time = "time", event = "event",
    slope = 1}) end, "option slope must be true or false", "bootstrap slope: bad option")
end

-- ---- nomogram with a factor and with strata ----------------------------------------
do
  local t = simulate(160, 13)
  local grade, site = {}, {}
  local gl = {"low", "mid", "high"}
  local ev, tm = t:col("event"), t:col("time")
  for i = 1, t:nrow() do
    grade[i] = gl[(i * 7) % 3 + 1]
    site[i] = (i % 4 == 0) and "B" or "A"
  end
  t:add("grade", grade)
  t:add("site", site)
  local m = rad.cox(t, {time = "time", event = "event", x = {"x1", "grade"}})
  local nomo = validate.nomogram(m, {at = 1, data = t})
  T.is(#nomo.terms, 2, "nomogram factor: one axis per covariate")
  local fg = nomo.terms[2]
  T.is(fg.type, "factor", "nomogram factor: grade is a factor axis")
  T.is(table.concat(fg.levels, ","), "high,low,mid", "nomogram factor: levels in sorted order")
  -- reference level "high" contributes 0; points = (beta_l - min beta) / scale
  local b = {high = 0, low = m.coef["grade:low"], mid = m.coef["grade:mid"]}
  local bmin = math.min(0, b.low, b.mid)
  local okp = true
  for k, l in ipairs(fg.levels) do
    if math.abs(fg.points[k] - (b[l] - bmin) / nomo.scale) > 1e-9 then okp = false end
  end
  T.ok(okp, "nomogram factor: points of each level")
  T.is(fg.contrib.high, 0, "nomogram factor: reference level has lp contribution 0")
  local rows = {{x1 = 0.3, grade = "low"}, {x1 = -1.2, grade = "mid"}, {x1 = 1.5, grade = "high"}}
  local ok_lp, ok_s = true, true
  for _, r in ipairs(rows) do
    local _, lp, s = validate.points(nomo, r)
    local one = rad.table.new{{"x1", {r.x1}}, {"grade", {r.grade}}}
    local plp = m:predict(one, {type = "lp"})[1]
    local ps = m:predict(one, {type = "survival", times = {1}})[1][1]
    if math.abs(lp - plp) > 1e-10 then ok_lp = false; T.diag("lp", lp, plp) end
    if math.abs(s - ps) > 1e-10 then ok_s = false; T.diag("surv", s, ps) end
  end
  T.ok(ok_lp, "nomogram factor: points -> lp as Cox:predict")
  T.ok(ok_s, "nomogram factor: points -> survival at 1 as Cox:predict")
  T.errors(function() validate.points(nomo, {x1 = 0, grade = "top"}) end, "row.grade must be one of the levels",
    "nomogram factor: unknown level")
  -- stratified by site
  local ms = rad.cox(t, {time = "time", event = "event", x = {"x1", "grade"}, strata = "site"})
  local ns = validate.nomogram(ms, {at = 1, data = t})
  T.is(#ns.strata, 2, "nomogram strata: one survival scale per stratum")
  T.is(ns.strata[1].level .. ns.strata[2].level, "AB", "nomogram strata: levels")
  T.ok(ns.survival == nil and #ns.strata[2].survival == #ns.total, "nomogram strata: scales on the total grid")
  local srows = {{x1 = 0.3, grade = "low", site = "A"}, {x1 = -1.2, grade = "mid", strata = "B"},
                 {x1 = 1.5, grade = "high", site = "B"}, {x1 = 0, grade = "high", strata = "A"}}
  local oks = true
  for _, r in ipairs(srows) do
    local _, _, s = validate.points(ns, r)
    local one = rad.table.new{{"x1", {r.x1}}, {"grade", {r.grade}}, {"site", {r.site or r.strata}}}
    local ps = ms:predict(one, {type = "survival", times = {1}})[1][1]
    if math.abs(s - ps) > 1e-10 then oks = false; T.diag("strata surv", s, ps) end
  end
  T.ok(oks, "nomogram strata: survival at 1 per stratum as Cox:predict")
  T.errors(function() validate.points(ns, {x1 = 0, grade = "low"}) end, "give row.strata",
    "nomogram strata: stratum required")
end

-- ---- score column --------------------------------------------------------------
do
  local t = simulate(100, 9)
  local m = rad.cox(t, {time = "time", event = "event", x = {"x1", "x2", "x3"}})
  local back = validate.score_column(t, m, "radscore")
  T.ok(back == t, "score_column: returns the same table")
  local lp, col = m:predict(t, {type = "lp"}), t:col("radscore")
  local same = true
  for i = 1, t:nrow() do if math.abs(lp[i] - col[i]) > 1e-15 then same = false end end
  T.ok(same, "score_column: the column is the linear predictor")
  local m2 = rad.cox(t, {time = "time", event = "event", x = {"radscore"}})
  T.near(m2.coef.radscore, 1, 1e-6, "score_column: a Cox model on the score alone has coefficient 1")
  T.errors(function() validate.score_column(t, m, "radscore") end, "already has a column 'radscore'",
    "score_column: existing name refused")
  T.errors(function() validate.score_column(t, 5, "s") end, "fitted model", "score_column: not a model")
end

-- ---- the lung data (R survival::lung, status 1 = death), when the reference data are present ----
do
  local dir, why = T.data()
  if not dir then
    T.skip(7, why)
  else
    local lung = rad.read_csv(dir .. "/survival/lung.csv"):drop_na{"time", "status", "age", "sex"}
    local m = rad.cox(lung, {time = "time", event = "status", x = {"age", "sex"}})
    local nomo = validate.nomogram(m, {at = 365, data = lung})
    local _, _, s = validate.points(nomo, {age = 60, sex = 2})
    local ps = m:predict(rad.table.new{{"age", {60}}, {"sex", {2}}}, {type = "survival", times = {365}})[1][1]
    T.near(s, ps, 1e-10, "lung: nomogram survival at 365 days = Cox:predict")
    local surv = m:predict(lung, {type = "survival", times = {365}})
    local prob, risk = {}, {}
    for i, v in ipairs(surv) do prob[i], risk[i] = v[1], 1 - v[1] end
    local cal = validate.calibration(lung, {time = "time", event = "status", prob = prob, at = 365, groups = 5})
    -- by the definition (weighted least squares of the group KM survival on
    -- the mean predicted survival, weights = group sizes), recomputed here
    local sw, sx, sy, sxx, sxy = 0, 0, 0, 0, 0
    for _, g in ipairs(cal.groups) do
      if g.observed ~= NA then
        sw, sx, sy = sw + g.n, sx + g.n * g.predicted, sy + g.n * g.observed
        sxx, sxy = sxx + g.n * g.predicted ^ 2, sxy + g.n * g.predicted * g.observed
      end
    end
    T.near(cal.slope, (sw * sxy - sx * sy) / (sw * sxx - sx * sx), 1e-12, "lung: calibration slope by its definition")
    T.near(cal.slope, 0.94450572301243707, 1e-9, "lung: calibration slope 0.9445")
    local minr = math.huge
    for _, r in ipairs(risk) do minr = math.min(minr, r) end
    local d = validate.dca(lung, {time = "time", event = "status", risk = risk, at = 365,
      thresholds = {minr * 0.999, 0.4, 0.6}})
    local s365 = rad.km(lung, {time = "time", event = "status"}):at(365).surv
    T.near(d.treat_all[1], (1 - s365) - s365 * minr * 0.999 / (1 - minr * 0.999), 1e-12,
      "lung: treat all from the KM survival at 365 days")
    T.near(d.net_benefit[1], d.treat_all[1], 1e-12, "lung: below every risk the model treats all")
    -- net benefit from its definition: the rows with risk >= p_t, their KM at 365
    for k, p in ipairs{0.4, 0.6} do
      local idx = {}
      for i, r in ipairs(risk) do if r >= p then idx[#idx + 1] = i end end
      local sh = rad.km(lung:rows(idx), {time = "time", event = "status"}):at(365).surv
      local ph = #idx / lung:nrow()
      T.near(d.net_benefit[k + 1], (1 - sh) * ph - sh * ph * p / (1 - p), 1e-12,
        string.format("lung: net benefit at %.1f from the KM of the %d rows at risk >= %.1f", p, #idx, p))
    end
  end
end

-- ---- help --------------------------------------------------------------------
do
  for _, name in ipairs{"calibration", "dca", "risk_groups", "assign", "bootstrap_optimism", "nomogram", "points",
      "score_column", "calibration_slope"} do
    local h = rad.help and rad.help(validate[name])
    T.ok(type(h) == "string" and h:find("validate." .. name, 1, true), "help text for validate." .. name)
  end
end

T.done()
