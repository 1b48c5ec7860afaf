-- radlab: validation of survival models: calibration, decision curves, risk
-- groups, bootstrap optimism, nomograms.  SPDX-License-Identifier: GPL-3.0-or-later
--
--   local validate = require "rad.validate"
--   local cal = validate.calibration(t, {time = "time", event = "status", prob = "s5", at = 5, groups = 10})
--   local d = validate.dca(t, {time = "time", event = "status", risk = "r5", at = 5})
--   local cut = validate.risk_groups(train:col("score"), {method = "maxstat", t = train,
--                                    time = "time", event = "status"})
--   local g = validate.assign(test:col("score"), cut)       -- train cut-off, unchanged
--   local o = validate.bootstrap_optimism(t, {fit = fn, score = fn, time =, event =, B = 200, seed = 1})
--   local nomo = validate.nomogram(coxmodel, {at = 5, data = t})
--   validate.score_column(t, coxmodel, "radscore")
--   local cs = validate.calibration_slope(test, {time = "time", event = "status", model = coxmodel, at = 365})
--
-- Methods.
--  calibration: rows are sorted by predicted survival and cut into `groups`
--    risk groups of (almost) equal size by rank (row of rank r goes to group
--    ceil(r * groups / n), the quantile groups of rms::calibrate / Hmisc
--    cut2 with equal counts).  observed = Kaplan-Meier survival at `at` in
--    the group, with its confidence limits (rad.km, R survfit defaults);
--    predicted = mean predicted survival of the group.  The calibration slope
--    and intercept are from the weighted least-squares regression of
--    observed on predicted across the groups, weights = group sizes (a slope
--    of 1 and an intercept of 0 mean perfect calibration).  Groups whose KM
--    estimate at `at` is undefined are left out of the regression.
--  dca: survival decision-curve analysis of Vickers, Cronin, Elkin & Gonen,
--    BMC Med Inform Decis Mak 2008;8:53.  At threshold p_t, the patients with
--    risk >= p_t are treated (as R dcurves); with P(high) their fraction and
--    S_high the KM survival at `at` among them,
--      NB = (1 - S_high) P(high) - S_high P(high) p_t / (1 - p_t)
--    (0 when no one is above the threshold); treat all uses the KM of all
--    rows with P = 1; treat none is 0.
--  risk_groups: "median" cuts at the median training score; "maxstat" at the
--    training score value c (among distinct scores between the 10 % and 90 %
--    quantiles, R type 7) maximising the two-group log-rank chi-square of
--    score <= c versus score > c, i.e. the squared standardised log-rank
--    statistic (Lausen & Schumacher 1992; R maxstat::maxstat.test with
--    smethod = "LogRank", without the p-value correction).  assign puts
--    score > cutoff in "high", otherwise "low".
--  calibration_slope: Cox recalibration (van Houwelingen, Stat Med
--    2000;19:3401; Steyerberg, Clinical Prediction Models, 2nd ed., ch. 15):
--    slope = the coefficient of a Cox model (rad.cox, Efron ties) with the
--    linear predictor lp as its only covariate, with its SE, Wald 95 % limits
--    slope -+ 1.959964 SE and the Wald test of slope = 1 (stratified by the
--    model's strata, or option strata, when given),
--    z = (slope - 1) / SE, p_slope1 = 2 (1 - Phi(|z|)).  Calibration in the
--    large, two definitions, each reported only when its inputs are given:
--    * oe_ratio (needs at and predicted survival at `at`, option surv or a
--      model): O / E with O = 1 - KM(at) of the data and E = the mean
--      predicted risk 1 - S_i(at); 95 % limits exp(log(O/E) -+ 1.959964
--      se_KM / O) (Greenwood SE of the KM, E taken as fixed).
--    * intercept (needs the model): the offset-Poisson intercept, i.e. the
--      maximum-likelihood intercept a of glm(event ~ offset(log(E_i)),
--      family = poisson) with E_i = H0_s(T_i) exp(lp_i) the model's expected
--      cumulative hazard of row i at its own follow-up time T_i (Breslow
--      baseline of its stratum s); in closed form a = log(sum event /
--      sum E_i), SE 1 / sqrt(sum event).  0 means calibrated in the large.
--  bootstrap_optimism: Harrell's bootstrap optimism correction (Harrell, Lee
--    & Mark, Stat Med 1996;15:361): optimism = mean over B resamples of
--    C(model_b on resample b) - C(model_b on the original data), corrected =
--    apparent - optimism, C = Harrell's concordance (rad.concordance).  The
--    calibration slope likewise (rms::validate.cph "Slope"; the score must
--    then be the linear predictor): slope(score, data) = the Cox
--    recalibration slope above; apparent = slope of the full model on the
--    original data (1 for a Cox model fitted there), per resample
--    slope_boot = slope of model_b on resample b, slope_orig = slope of
--    model_b on the original data; optimism = mean(slope_boot - slope_orig)
--    over the resamples where both are defined; corrected = apparent -
--    optimism.  A replicate whose fit or scoring raises an error is
--    skipped (NA in c_boot/c_orig), counted in `failed` with the first
--    message in `first_error`, and warned about; more than max_failed
--    (default 0.2) of B failing is an error quoting the first message.
--  nomogram: for a Cox model with numeric terms, each term's points are
--    100 * (beta x - min beta x) / R, R = the widest range of beta x among the
--    terms; total points P map to the linear predictor
--      lp = R P / 100 + sum_j min(beta_j x_j) - sum_j beta_j mean_j
--    (centred as Cox:predict) and to survival exp(-H0(at) exp(lp)) with H0 the
--    model's Breslow baseline cumulative hazard at the means (basehaz field,
--    step function), exactly what Cox:predict{type = "survival"} gives for a
--    row with those values (rms::nomogram's construction).  A string
--    (factor) covariate is one axis with a point per level: level l
--    contributes beta_{col:l} (0 for the reference level, the first in sorted
--    order, as rad.cox codes it) and scores (beta_l - min_l beta_l) / scale;
--    its centring is sum_l beta_l mean_l as in Cox:predict.  A stratified
--    model has one baseline hazard per stratum, so one total points ->
--    survival scale per stratum (field strata).
-- Errors name the function and option, and say how to fix the input.

local rad = package.loaded.rad or require "rad"
local cohort = require "rad.cohort"

local validate = {}

local NA = rad.NA

local function isna(v)
  return v == nil or v == NA or (type(v) == "number" and v ~= v)
end

local function check_table(t, fname)
  if (type(t) ~= "userdata" and type(t) ~= "table") or type(t.nrow) ~= "function" then
    error(fname .. ": expected a Table as first argument, got " .. type(t), 3)
  end
end

local function check_opts(opts, fname, allowed)
  if type(opts) ~= "table" then error(fname .. ": options must be a table", 3) end
  local ok = {}
  for _, k in ipairs(allowed) do ok[k] = true end
  for k in pairs(opts) do
    if not ok[k] then
      error(string.format("%s: unknown option '%s' (allowed: %s)", fname, tostring(k),
        table.concat(allowed, ", ")), 3)
    end
  end
  return opts
end

local function has_col(t, name)
  for _, n in ipairs(t:names()) do if n == name then return true end end
  return false
end

-- numbers of option `key`: a numeric column name of t or an array of nrow numbers, no missing
local function row_numbers(t, v, key, fname)
  local vals
  if type(v) == "string" then
    if not has_col(t, v) then
      error(string.format("%s: option %s names column '%s', which the table does not have", fname, key, v), 3)
    end
    if t:type(v) ~= "number" then
      error(string.format("%s: option %s: column '%s' must be numeric", fname, key, v), 3)
    end
    vals = t:col(v)
  elseif type(v) == "table" then
    vals = v
    if #vals ~= t:nrow() then
      error(string.format("%s: option %s has %d values but the table has %d rows", fname, key, #vals, t:nrow()), 3)
    end
  else
    error(string.format("%s: option %s must be a column name or an array of numbers, got %s", fname, key,
      type(v)), 3)
  end
  local out = {}
  for i = 1, t:nrow() do
    local x = vals[i]
    if type(x) ~= "number" or x ~= x or x == math.huge or x == -math.huge then
      error(string.format("%s: %s is %s in row %d; drop such rows first (t:drop_na)", fname, key,
        isna(x) and "missing" or tostring(x), i), 3)
    end
    out[i] = x
  end
  return out
end

local function need_colname(t, v, key, fname)
  if type(v) ~= "string" then
    error(string.format("%s: option %s must name a column (a string), got %s", fname, key, type(v)), 3)
  end
  if not has_col(t, v) then
    error(string.format("%s: option %s names column '%s', which the table does not have", fname, key, v), 3)
  end
end

local function need_number(v, key, fname, lo, hi)
  if type(v) ~= "number" or v ~= v or (lo and v < lo) or (hi and v > hi) then
    error(string.format("%s: option %s must be a number%s, got %s", fname, key,
      lo and string.format(" in [%g, %g]", lo, hi or math.huge) or "", tostring(v)), 3)
  end
end

-- KM survival at `at` for the rows idx of t (a table {surv, lower, upper})
local function km_at(t, idx, time, event, at)
  local sub = idx and t:rows(idx) or t
  local km = rad.km(sub, {time = time, event = event})
  local p = km:at(at)
  return p
end

-- upper tail Q(z) = 1 - Phi(z) of the standard normal for z >= 0, via erfc(x),
-- x = z / sqrt 2: the positive series erf x = 2/sqrt(pi) e^{-x^2}
-- sum_n 2^n x^{2n+1} / (1 3 ... (2n+1)) below x = 2.5, the Laplace continued
-- fraction of erfc above (both to about 1e-15 relative; Abramowitz & Stegun
-- 7.1.6 and 7.1.14)
local function normal_upper(z)
  local x = z / math.sqrt(2)
  if x < 2.5 then
    local term, sum, k = x, x, 0
    while term > 1e-17 * sum do
      k = k + 1
      term = term * 2 * x * x / (2 * k + 1)
      sum = sum + term
    end
    return 0.5 * (1 - 2 / math.sqrt(math.pi) * math.exp(-x * x) * sum)
  end
  local f = x
  for k = 60, 1, -1 do f = x + (k / 2) / f end
  return 0.5 * math.exp(-x * x) / (math.sqrt(math.pi) * f)
end

local Z975 = 1.959963984540054

-- Cox recalibration slope of score on (time, event): coef, se (nil when the
-- fit fails or the score is constant)
local function cox_slope(time, event, score, strata)
  local first, spread = score[1], false
  for i = 2, #score do if score[i] ~= first then spread = true; break end end
  if not spread then return nil, nil, "the linear predictor is constant" end
  local tab = rad.table.new{{"time", time}, {"event", event}, {"lp", score}}
  if strata then tab:add("strata", strata) end
  local ok, fit = pcall(rad.cox, tab, {time = "time", event = "event", x = {"lp"},
                                       strata = strata and "strata" or nil})
  if not ok then return nil, nil, tostring(fit) end
  local b, se = fit.coef.lp, fit.se.lp
  if isna(b) or isna(se) then return nil, nil, "the Cox fit gave no finite slope" end
  return b, se
end

-- stratum number (index into model.strata_levels) of a stratum value
local function stratum_index(model, v)
  if isna(v) then return nil end
  local key = type(v) == "number" and string.format("%.17g", v) or tostring(v)
  for q, l in ipairs(model.strata_levels) do if l == key then return q, key end end
  return nil, key
end

-- baseline cumulative hazard of stratum s (1 when unstratified) at time `at`
-- (step function; 0 before the stratum's first time)
local function basehaz_at(model, at, s)
  local bh = model.basehaz
  s = s or 1
  local h = 0
  for q = 1, #bh.time do
    if (bh.stratum[q] or 1) == s and bh.time[q] <= at then h = bh.cumhaz[q] end
  end
  return h
end

local function num_or_nil(v)
  if isna(v) then return nil end
  return v
end

--- validate.calibration(t, {time =, event =, prob =, at =, groups = 10}) -> {groups = {{n, predicted, observed, lower, upper}, ...}, slope, intercept}: calibration of predicted survival at `at` against Kaplan-Meier by risk group
function validate.calibration(t, opts)
  local F = "validate.calibration"
  check_table(t, F)
  check_opts(opts, F, {"time", "event", "prob", "at", "groups"})
  need_colname(t, opts.time, "time", F)
  need_colname(t, opts.event, "event", F)
  need_number(opts.at, "at", F, 0)
  local prob = row_numbers(t, opts.prob, "prob", F)
  for i, p in ipairs(prob) do
    if p < 0 or p > 1 then
      error(string.format("%s: prob is %g in row %d; give predicted survival probabilities in [0, 1]", F, p, i), 2)
    end
  end
  local n = t:nrow()
  local G = opts.groups or 10
  if math.type(G) ~= "integer" and not (type(G) == "number" and G == math.floor(G)) or G < 2 then
    error(F .. ": option groups must be an integer >= 2, got " .. tostring(G), 2)
  end
  G = math.tointeger(G)
  if G > n then
    error(string.format("%s: %d groups need at least %d rows, the table has %d; lower groups", F, G, G, n), 2)
  end
  local order = {}
  for i = 1, n do order[i] = i end
  table.sort(order, function(a, b)
    if prob[a] ~= prob[b] then return prob[a] < prob[b] end
    return a < b
  end)
  local members = {}
  for g = 1, G do members[g] = {} end
  for r, i in ipairs(order) do
    local g = math.ceil(r * G / n)
    local m = members[g]
    m[#m + 1] = i
  end
  local groups = {}
  local sw, sx, sy, sxx, sxy = 0, 0, 0, 0, 0
  for g = 1, G do
    local idx = members[g]
    table.sort(idx)
    local s = 0
    for _, i in ipairs(idx) do s = s + prob[i] end
    local pred = s / #idx
    local p = km_at(t, idx, opts.time, opts.event, opts.at)
    local obs = num_or_nil(p.surv)
    groups[g] = {n = #idx, predicted = pred, observed = obs or NA,
                 lower = num_or_nil(p.lower) or NA, upper = num_or_nil(p.upper) or NA}
    if obs then
      local w = #idx
      sw, sx, sy = sw + w, sx + w * pred, sy + w * obs
      sxx, sxy = sxx + w * pred * pred, sxy + w * pred * obs
    end
  end
  local res = {groups = groups, at = opts.at}
  local sxxc = sw > 0 and (sxx - sx * sx / sw) or 0
  if sw > 0 and sxxc > 1e-12 * math.max(1, sxx) then
    res.slope = (sxy - sx * sy / sw) / sxxc
    res.intercept = (sy - res.slope * sx) / sw
  else
    -- all groups predict the same survival (or none has a KM estimate): no slope
    res.slope, res.intercept = NA, NA
  end
  return res
end

--- validate.calibration_slope(t, {time =, event =, lp = col or array, model =, at =, surv = col or array, strata = col}) -> {slope, se, lower, upper, z_slope1, p_slope1, oe_ratio, oe_lower, oe_upper, intercept, intercept_se, ...}: Cox recalibration slope (van Houwelingen 2000) and calibration in the large (O/E at `at`, offset-Poisson intercept)
function validate.calibration_slope(t, opts)
  local F = "validate.calibration_slope"
  check_table(t, F)
  check_opts(opts, F, {"time", "event", "lp", "model", "at", "surv", "strata"})
  need_colname(t, opts.time, "time", F)
  need_colname(t, opts.event, "event", F)
  local model = opts.model
  if model ~= nil and (type(model) ~= "table" or type(model.coef) ~= "table" or type(model.basehaz) ~= "table"
      or type(model.predict) ~= "function") then
    error(F .. ": option model must be a Cox model from rad.cox", 2)
  end
  if opts.lp == nil and model == nil then
    error(F .. ": give lp = the linear predictor (a column name or an array) or model = a Cox model", 2)
  end
  if opts.at ~= nil then need_number(opts.at, "at", F, 0) end
  if opts.surv ~= nil and opts.at == nil then
    error(F .. ": option surv (predicted survival) needs at = the time it refers to", 2)
  end
  local n = t:nrow()
  local time = row_numbers(t, opts.time, "time", F)
  local event = row_numbers(t, opts.event, "event", F)
  local nev = 0
  for i = 1, n do
    if event[i] ~= 0 and event[i] ~= 1 then
      error(string.format("%s: event is %g in row %d; code events as 0 (censored) or 1 (event)", F, event[i], i), 2)
    end
    if time[i] < 0 then
      error(string.format("%s: time is %g in row %d; survival times must be >= 0", F, time[i], i), 2)
    end
    nev = nev + event[i]
  end
  if nev == 0 then error(F .. ": the data have no events; a calibration slope needs events", 2) end
  local lp
  if opts.lp ~= nil then
    lp = row_numbers(t, opts.lp, "lp", F)
  else
    lp = row_numbers(t, model:predict(t, {type = "lp"}), "lp (model:predict)", F)
  end
  local scol = opts.strata or (model and model.strata)
  local sval
  if scol ~= nil then
    need_colname(t, scol, "strata (or the model's strata column)", F)
    sval = t:col(scol)
    for i = 1, n do
      if isna(sval[i]) then
        error(string.format("%s: stratum '%s' is missing in row %d; drop such rows first", F, scol, i), 2)
      end
    end
  end
  local b, se, why = cox_slope(time, event, lp, sval)
  if not b then error(string.format("%s: no calibration slope: %s", F, why), 2) end
  local z = (b - 1) / se
  local res = {slope = b, se = se, lower = b - Z975 * se, upper = b + Z975 * se, z_slope1 = z,
               p_slope1 = 2 * normal_upper(math.abs(z)), n = n, nevent = nev, at = opts.at}
  -- calibration in the large as observed / expected at `at`
  local surv
  if opts.surv ~= nil then
    surv = row_numbers(t, opts.surv, "surv", F)
  elseif model and opts.at then
    local ps = model:predict(t, {type = "survival", times = {opts.at}})
    surv = {}
    for i = 1, n do surv[i] = ps[i][1] end
    surv = row_numbers(t, surv, "surv (model:predict)", F)
  end
  if surv then
    local er = 0
    for i = 1, n do
      if surv[i] < 0 or surv[i] > 1 then
        error(string.format("%s: surv is %g in row %d; give predicted survival probabilities in [0, 1]", F,
          surv[i], i), 2)
      end
      er = er + (1 - surv[i])
    end
    er = er / n
    local km = km_at(t, nil, opts.time, opts.event, opts.at)
    if isna(km.surv) then
      error(string.format("%s: the Kaplan-Meier survival at %g is undefined; choose an earlier time `at`", F,
        opts.at), 2)
    end
    local o = 1 - km.surv
    res.observed, res.expected = o, er
    if er > 0 then
      res.oe_ratio = o / er
      local kse = num_or_nil(km.se)
      if o > 0 and kse then
        res.oe_lower = res.oe_ratio * math.exp(-Z975 * kse / o)
        res.oe_upper = res.oe_ratio * math.exp(Z975 * kse / o)
      end
    end
  end
  -- offset-Poisson intercept from the model's expected cumulative hazards
  if model then
    local strata
    if model.strata then
      if not has_col(t, model.strata) then
        error(string.format("%s: the model is stratified by '%s', which the table does not have", F, model.strata), 2)
      end
      strata = t:col(model.strata)
    end
    local mlp = model:predict(t, {type = "lp"})
    local e = 0
    for i = 1, n do
      local s = 1
      if strata then
        local q, key = stratum_index(model, strata[i])
        if not q then
          error(string.format("%s: stratum '%s' (row %d) was not in the data the model was fitted on", F,
            tostring(key), i), 2)
        end
        s = q
      end
      if isna(mlp[i]) then
        error(string.format("%s: the model's linear predictor is missing in row %d; drop rows with missing " ..
          "covariates first (t:drop_na)", F, i), 2)
      end
      e = e + basehaz_at(model, time[i], s) * math.exp(mlp[i])
    end
    res.observed_events, res.expected_events = nev, e
    if e > 0 then
      res.intercept = math.log(nev / e)
      res.intercept_se = 1 / math.sqrt(nev)
    end
  end
  return res
end

local function default_thresholds()
  local th = {}
  for k = 1, 99 do th[k] = k / 100 end
  return th
end

--- validate.dca(t, {time =, event =, risk =, at =, thresholds = {0.01, ..., 0.99}}) -> {threshold, net_benefit, treat_all, treat_none}: survival decision-curve analysis at time `at` (Vickers et al. 2008)
function validate.dca(t, opts)
  local F = "validate.dca"
  check_table(t, F)
  check_opts(opts, F, {"time", "event", "risk", "at", "thresholds"})
  need_colname(t, opts.time, "time", F)
  need_colname(t, opts.event, "event", F)
  need_number(opts.at, "at", F, 0)
  local risk = row_numbers(t, opts.risk, "risk", F)
  local th = opts.thresholds or default_thresholds()
  if type(th) ~= "table" or #th == 0 then
    error(F .. ": option thresholds must be a non-empty array of numbers in (0, 1)", 2)
  end
  for k, p in ipairs(th) do
    if type(p) ~= "number" or not (p > 0 and p < 1) then
      error(string.format("%s: thresholds[%d] is %s; thresholds must lie strictly between 0 and 1", F, k,
        tostring(p)), 2)
    end
  end
  local n = t:nrow()
  local s_all = km_at(t, nil, opts.time, opts.event, opts.at).surv
  if isna(s_all) then
    error(string.format("%s: the Kaplan-Meier survival at %g is undefined; choose an earlier time `at`", F,
      opts.at), 2)
  end
  local res = {threshold = {}, net_benefit = {}, treat_all = {}, treat_none = {}, at = opts.at}
  local cache = {}
  for k, p in ipairs(th) do
    local idx = {}
    for i = 1, n do if risk[i] >= p then idx[#idx + 1] = i end end
    local nb
    if #idx == 0 then
      nb = 0
    else
      local s = cache[#idx]
      if not s then
        s = km_at(t, idx, opts.time, opts.event, opts.at).surv
        cache[#idx] = s  -- the high-risk set only grows as p falls, so its size identifies it
      end
      if isna(s) then
        nb = NA
      else
        local ph = #idx / n
        nb = (1 - s) * ph - s * ph * p / (1 - p)
      end
    end
    res.threshold[k] = p
    res.net_benefit[k] = nb
    res.treat_all[k] = (1 - s_all) - s_all * p / (1 - p)
    res.treat_none[k] = 0
  end
  return res
end

-- R's quantile type 7 of a sorted array
local function quantile7(sorted, q)
  local n = #sorted
  local h = (n - 1) * q + 1
  local lo = math.floor(h)
  if lo >= n then return sorted[n] end
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo])
end

local function score_array(scores, fname, t)
  if type(scores) == "string" and t then
    return row_numbers(t, scores, "scores", fname)
  end
  if type(scores) ~= "table" or #scores == 0 then
    error(fname .. ": scores must be a non-empty array of numbers", 3)
  end
  local out = {}
  for i, x in ipairs(scores) do
    if type(x) ~= "number" or x ~= x then
      error(string.format("%s: score %d is %s; drop rows with missing scores first", fname, i,
        isna(x) and "missing" or tostring(x)), 3)
    end
    out[i] = x
  end
  return out
end

--- validate.risk_groups(train_scores, {method = "median"|"maxstat", t =, time =, event =}) -> cutoff: a risk-group cut-off fitted on training scores (maxstat: maximal log-rank statistic between the 10 % and 90 % quantiles)
function validate.risk_groups(scores, opts)
  local F = "validate.risk_groups"
  opts = opts or {}
  check_opts(opts, F, {"method", "t", "time", "event"})
  local method = opts.method or "median"
  local s = score_array(scores, F, opts.t)
  local sorted = {}
  for i, x in ipairs(s) do sorted[i] = x end
  table.sort(sorted)
  if method == "median" then
    return quantile7(sorted, 0.5)
  elseif method ~= "maxstat" then
    error(F .. ": method must be \"median\" or \"maxstat\", got " .. tostring(method), 2)
  end
  local t = opts.t
  if t == nil then error(F .. ": method \"maxstat\" needs t = the training Table with time and event", 2) end
  check_table(t, F)
  need_colname(t, opts.time, "time", F)
  need_colname(t, opts.event, "event", F)
  if #s ~= t:nrow() then
    error(string.format("%s: %d scores but the table t has %d rows; give one score per row", F, #s, t:nrow()), 2)
  end
  local lo, hi = quantile7(sorted, 0.1), quantile7(sorted, 0.9)
  local time, event = t:col(opts.time), t:col(opts.event)
  local best, bestc
  local prev
  for _, c in ipairs(sorted) do
    if c ~= prev and c >= lo and c <= hi and c < sorted[#sorted] then
      prev = c
      local g = {}
      for i = 1, #s do g[i] = s[i] > c and 1 or 0 end
      local tab = rad.table.new{{"time", time}, {"event", event}, {"g", g}}
      local lr = rad.logrank(tab, {time = "time", event = "event", group = "g"})
      if best == nil or lr.chisq > best then best, bestc = lr.chisq, c end
    end
  end
  if bestc == nil then
    error(F .. ": the training scores take a single value between their 10 % and 90 % quantiles; no cut-off " ..
      "separates two groups (use method = \"median\")", 2)
  end
  return bestc
end

--- validate.assign(scores, cutoff) -> {"high"|"low", ...}: risk group of each score (score > cutoff is "high"); apply the training cut-off unchanged to any data
function validate.assign(scores, cutoff)
  local F = "validate.assign"
  if type(cutoff) ~= "number" or cutoff ~= cutoff then
    error(F .. ": cutoff must be a number (from validate.risk_groups), got " .. tostring(cutoff), 2)
  end
  local s = score_array(scores, F)
  local out = {}
  for i, x in ipairs(s) do out[i] = x > cutoff and "high" or "low" end
  return out
end

local function check_scores(sc, n, fname, what)
  if type(sc) ~= "table" or #sc ~= n then
    error(string.format("%s: score(model, data) on the %s must return an array of %d numbers, got %s", fname,
      what, n, type(sc) == "table" and (#sc .. " values") or type(sc)), 4)
  end
  for i = 1, n do
    if type(sc[i]) ~= "number" or sc[i] ~= sc[i] then
      error(string.format("%s: score(model, data) on the %s gave %s in row %d; scores must be numbers", fname,
        what, tostring(sc[i]), i), 4)
    end
  end
  return sc
end

--- validate.bootstrap_optimism(t, {fit = fn(train) -> model, score = fn(model, data) -> array, time =, event =, B = 200, seed = 1, slope = true, max_failed = 0.2}) -> {apparent, optimism, corrected, B, failed, first_error, c_boot, c_orig, slope = {apparent, optimism, corrected, B, boot, orig}}: Harrell's bootstrap optimism-corrected concordance and calibration slope. A replicate whose fit or scoring fails is skipped, counted in failed (first_error: its message) and warned about; the run fails only when more than max_failed (a fraction, default 0.2) of the B replicates fail
function validate.bootstrap_optimism(t, opts)
  local F = "validate.bootstrap_optimism"
  check_table(t, F)
  check_opts(opts, F, {"fit", "score", "time", "event", "B", "seed", "slope", "max_failed"})
  if type(opts.fit) ~= "function" then error(F .. ": option fit must be a function(train) -> model", 2) end
  if type(opts.score) ~= "function" then
    error(F .. ": option score must be a function(model, data) -> array of risk scores", 2)
  end
  need_colname(t, opts.time, "time", F)
  need_colname(t, opts.event, "event", F)
  local B = opts.B or 200
  if type(B) ~= "number" or B ~= math.floor(B) or B < 1 then
    error(F .. ": option B must be a positive integer, got " .. tostring(B), 2)
  end
  local max_failed = opts.max_failed or 0.2
  if type(max_failed) ~= "number" or not (max_failed >= 0 and max_failed <= 1) then
    error(F .. ": option max_failed must be a fraction between 0 and 1, got " .. tostring(max_failed), 2)
  end
  local want_slope = opts.slope
  if want_slope == nil then want_slope = true end
  if type(want_slope) ~= "boolean" then
    error(F .. ": option slope must be true or false, got " .. tostring(want_slope), 2)
  end
  -- concordance and (optionally) Cox recalibration slope of model's scores on data
  local function C(data, model, what)
    local sc = check_scores(opts.score(model, data), data:nrow(), F, what)
    local c = rad.concordance(data, {time = opts.time, event = opts.event, score = sc}).harrell
    local sl
    if want_slope then
      sl = cox_slope(data:col(opts.time), data:col(opts.event), sc)
    end
    return c, sl or NA
  end
  local apparent, s_app = C(t, opts.fit(t), "original data")
  local boots = cohort.bootstrap(t, {n = math.tointeger(B), seed = opts.seed or 1})
  local sum, used = 0, 0
  local ssum, sused = 0, 0
  local cb, co, sb, so = {}, {}, {}, {}
  local failed, first_error = 0, nil
  -- the refits' own warnings (a rare level absent from a resample, ...) are
  -- recorded, not shown B times; one summary line follows the loop
  local nwarn0 = #rad.warnings()
  local was_quiet = rad.quiet(true)
  for b, r in ipairs(boots) do
    -- a replicate that fails (a fit that does not converge, a resample
    -- without events, ...) is skipped and counted, not fatal
    local ok, c_boot, s_boot, c_orig, s_orig = pcall(function()
      local train = r.train
      local m = opts.fit(train)
      local cb1, sb1 = C(train, m, "bootstrap sample")
      local co1, so1 = C(t, m, "original data")
      return cb1, sb1, co1, so1
    end)
    if not ok then
      failed = failed + 1
      first_error = first_error or ("replicate " .. b .. ": " .. tostring(c_boot))
      c_boot, s_boot, c_orig, s_orig = NA, NA, NA, NA
    end
    cb[b], co[b], sb[b], so[b] = c_boot, c_orig, s_boot, s_orig
    if not isna(c_boot) and not isna(c_orig) then
      sum, used = sum + (c_boot - c_orig), used + 1
    end
    if not isna(s_boot) and not isna(s_orig) then
      ssum, sused = ssum + (s_boot - s_orig), sused + 1
    end
  end
  rad.quiet(was_quiet)
  local said = rad.warnings()
  if #said > nwarn0 then
    warn(string.format("%s: the model fits of the bootstrap replicates warned %d time%s (rad.warnings() lists them); the first: %s",
      F, #said - nwarn0, #said - nwarn0 == 1 and "" or "s", said[nwarn0 + 1]))
  end
  if failed > max_failed * B then
    error(string.format("%s: %d of %d bootstrap replicates failed, more than max_failed = %g allows; the first: %s",
      F, failed, B, max_failed, first_error), 2)
  end
  if failed > 0 then
    warn(string.format("%s: %d of %d bootstrap replicates failed and were skipped; the first: %s", F, failed, B,
      first_error))
  end
  if used == 0 then error(F .. ": no bootstrap resample gave a defined concordance", 2) end
  local optimism = sum / used
  local res = {apparent = apparent, optimism = optimism, corrected = apparent - optimism, B = used,
               failed = failed, first_error = first_error, c_boot = cb, c_orig = co}
  if want_slope then
    local sopt = sused > 0 and ssum / sused or NA
    res.slope = {apparent = s_app, optimism = sopt, B = sused, boot = sb, orig = so,
                 corrected = (not isna(s_app) and not isna(sopt)) and s_app - sopt or NA}
  end
  return res
end

-- " (it was dropped from the fit as constant): refit without it" for a
-- term the model left out (its `aliased` field), else "".
local function dropped_note(model, term)
  local why = type(model.aliased) == "table" and model.aliased[term]
  if not why then return "" end
  return " (it was dropped from the fit as " .. why .. "); refit without it"
end

--- validate.nomogram(model, {at =, ranges = {term = {min, max}} or data = t, points = 11, totals = 21}) -> {terms = {{term, type, coef, min, max, values, points, levels, contrib}, ...}, total, lp, survival, max_total, scale, cumhaz, at, strata}: nomogram points (numeric and factor covariates) and the total points -> survival-at-`at` scale of a Cox model, one per stratum; for a logistic model (rad.logistic; no at) the total points -> probability scale (fields probability, outcome, intercept, link = "logit")
function validate.nomogram(model, opts)
  local F = "validate.nomogram"
  local logistic = type(model) == "table" and type(model.coef) == "table" and model.coef["(Intercept)"] ~= nil
    and model.basehaz == nil
  if type(model) ~= "table" or type(model.coef) ~= "table" or (type(model.basehaz) ~= "table" and not logistic) then
    error(F .. ": the first argument must be a Cox model from rad.cox or a logistic model from rad.logistic", 2)
  end
  check_opts(opts, F, {"at", "ranges", "data", "points", "totals"})
  if logistic then
    if opts.at ~= nil then error(F .. ": at is the time of a Cox model's prediction; a logistic model has none", 2) end
  else
    need_number(opts.at, "at", F, 0)
  end
  -- a logistic model's linear predictor is not centred: its terms add to the intercept
  local means = logistic and setmetatable({}, {__index = function() return 0 end}) or model.means
  local npt = opts.points or 11
  local ntot = opts.totals or 21
  if type(npt) ~= "number" or npt < 2 or type(ntot) ~= "number" or ntot < 2 then
    error(F .. ": options points and totals must be integers >= 2", 2)
  end
  local levels = model.levels or {}
  local vars = model.x or model.terms
  if logistic and not model.x then
    vars = {}
    for _, t in ipairs(model.terms) do if t ~= "(Intercept)" then vars[#vars + 1] = t end end
  end
  local need_range = false
  for _, v in ipairs(vars) do if not levels[v] then need_range = true end end
  if need_range and (opts.ranges == nil) == (opts.data == nil) then
    error(F .. ": give exactly one of ranges = {term = {min, max}} or data = Table", 2)
  end
  if opts.data ~= nil then check_table(opts.data, F) end
  local terms = {}
  local minsum, centre, widest = 0, 0, 0
  for _, v in ipairs(vars) do
    local tm
    if levels[v] then
      -- factor: one axis, a point per level; the reference level has no term
      local lv = {}
      for l in pairs(levels[v]) do lv[#lv + 1] = l end
      table.sort(lv)
      local contrib, bmin, bmax = {}, math.huge, -math.huge
      for _, l in ipairs(lv) do
        local term = v .. ":" .. l
        local bl = model.coef[term]
        if bl == nil then
          bl = 0
        elseif isna(bl) then
          error(string.format("%s: term '%s' has no finite coefficient%s", F, term, dropped_note(model, term)), 2)
        else
          centre = centre + bl * means[term]
        end
        contrib[l] = bl
        bmin, bmax = math.min(bmin, bl), math.max(bmax, bl)
      end
      tm = {term = v, type = "factor", levels = lv, contrib = contrib, values = lv, bmin = bmin,
            width = bmax - bmin}
    else
      local lo, hi, binary
      if opts.ranges then
        local r = opts.ranges[v]
        if type(r) ~= "table" or type(r[1]) ~= "number" or type(r[2]) ~= "number" or not (r[1] < r[2]) then
          error(string.format("%s: ranges.%s must be {min, max} with min < max", F, v), 2)
        end
        lo, hi = r[1], r[2]
      else
        local t = opts.data
        if not has_col(t, v) then
          error(string.format("%s: data has no column '%s' (a model term)", F, v), 2)
        end
        local only01 = true
        for _, x in ipairs(t:col(v)) do
          if type(x) == "number" and x == x then
            if lo == nil or x < lo then lo = x end
            if hi == nil or x > hi then hi = x end
            if x ~= 0 and x ~= 1 then only01 = false end
          end
        end
        binary = only01
        if lo == nil or not (lo < hi) then
          error(string.format("%s: column '%s' in data has no spread (min = max); give ranges instead", F, v), 2)
        end
      end
      local b = model.coef[v]
      if isna(b) then
        error(string.format("%s: term '%s' has no finite coefficient%s", F, v, dropped_note(model, v)), 2)
      end
      centre = centre + b * means[v]
      if binary then
        -- a 0/1 indicator in the data: drawn as its two values, like a factor
        -- (validate.points takes 0 or 1 for it)
        tm = {term = v, type = "factor", levels = {"0", "1"}, contrib = {["0"] = 0, ["1"] = b}, values = {"0", "1"},
              bmin = math.min(0, b), width = math.abs(b)}
      else
        tm = {term = v, type = "numeric", coef = b, min = lo, max = hi, bmin = math.min(b * lo, b * hi),
              width = math.abs(b) * (hi - lo)}
      end
    end
    minsum = minsum + tm.bmin
    if tm.width > widest then widest = tm.width end
    terms[#terms + 1] = tm
  end
  if #terms == 0 then error(F .. ": the model has no terms", 2) end
  if widest <= 0 then error(F .. ": every coefficient is 0; there is nothing to draw", 2) end
  local scale = widest / 100 -- linear predictor per point
  local maxtotal = 0
  for _, tm in ipairs(terms) do
    tm.points = {}
    if tm.type == "factor" then
      for k, l in ipairs(tm.levels) do tm.points[k] = (tm.contrib[l] - tm.bmin) / scale end
    else
      tm.values = {}
      for k = 0, npt - 1 do
        local x = tm.min + (tm.max - tm.min) * k / (npt - 1)
        tm.values[k + 1] = x
        tm.points[k + 1] = (tm.coef * x - tm.bmin) / scale
      end
    end
    maxtotal = maxtotal + tm.width / scale
    tm.offset = tm.bmin -- lp contribution at 0 points (used by validate.points)
    tm.bmin, tm.width = nil, nil
  end
  local res = {terms = terms, at = opts.at, scale = scale, total = {}, lp = {}, max_total = maxtotal}
  for k = 0, ntot - 1 do
    local P = maxtotal * k / (ntot - 1)
    res.total[k + 1] = P
    res.lp[k + 1] = scale * P + minsum - centre
  end
  if logistic then
    -- probability = expit(intercept + linear predictor), logit-linear in total points
    local b0 = model.coef["(Intercept)"]
    res.outcome, res.link, res.intercept, res.at = model.y, "logit", b0, nil
    res.probability = {}
    for k, lp in ipairs(res.lp) do
      res.lp[k] = lp + b0
      res.probability[k] = 1 / (1 + math.exp(-res.lp[k]))
    end
    return res
  end
  local function surv_scale(h0)
    local sv = {}
    for k, lp in ipairs(res.lp) do sv[k] = math.exp(-h0 * math.exp(lp)) end
    return sv
  end
  if model.strata then
    res.stratum_column = model.strata
    res.strata = {}
    for q, l in ipairs(model.strata_levels) do
      local h0 = basehaz_at(model, opts.at, q)
      res.strata[q] = {level = l, cumhaz = h0, survival = surv_scale(h0)}
    end
  else
    res.cumhaz = basehaz_at(model, opts.at, 1)
    res.survival = surv_scale(res.cumhaz)
  end
  return res
end

--- validate.points(nomo, row) -> total, lp, survival: total points of one row {term = number or "level", strata = level} on a nomogram from validate.nomogram (survival at `at` in the row's stratum; for a logistic model's nomogram the probability)
function validate.points(nomo, row)
  local F = "validate.points"
  if type(nomo) ~= "table" or type(nomo.terms) ~= "table" then
    error(F .. ": the first argument must be a nomogram from validate.nomogram", 2)
  end
  if type(row) ~= "table" then error(F .. ": the second argument must be a row table {term = value}", 2) end
  local total = 0
  for _, tm in ipairs(nomo.terms) do
    local x = row[tm.term]
    if tm.type == "factor" then
      if type(x) == "number" then x = string.format("%.17g", x) end
      local c = x ~= nil and tm.contrib[x]
      if not c then
        error(string.format("%s: row.%s must be one of the levels %s, got %s", F, tm.term,
          table.concat(tm.levels, ", "), tostring(x)), 2)
      end
      total = total + (c - tm.offset) / nomo.scale
    else
      if type(x) ~= "number" or x ~= x then
        error(string.format("%s: row.%s must be a number, got %s", F, tm.term, tostring(x)), 2)
      end
      total = total + (tm.coef * x - tm.offset) / nomo.scale
    end
  end
  local lp = nomo.lp[1] + nomo.scale * total
  if nomo.link == "logit" then return total, lp, 1 / (1 + math.exp(-lp)) end
  local h0 = nomo.cumhaz
  if nomo.strata then
    local v = row.strata
    if v == nil then v = row[nomo.stratum_column] end
    local key = type(v) == "number" and string.format("%.17g", v) or v
    for _, st in ipairs(nomo.strata) do if st.level == key then h0 = st.cumhaz end end
    if not h0 then
      local lv = {}
      for q, st in ipairs(nomo.strata) do lv[q] = st.level end
      error(string.format("%s: the model is stratified by '%s': give row.strata (or row.%s) as one of %s, got %s",
        F, nomo.stratum_column, nomo.stratum_column, table.concat(lv, ", "), tostring(v)), 2)
    end
  end
  return total, lp, math.exp(-h0 * math.exp(lp))
end

--- validate.score_column(t, model, name) -> t: add column `name` = the model's linear predictor (the radiomics score) to t in place
function validate.score_column(t, model, name)
  local F = "validate.score_column"
  check_table(t, F)
  if type(model) ~= "table" or type(model.predict) ~= "function" then
    error(F .. ": the second argument must be a fitted model with :predict (rad.cox, rad.coxnet)", 2)
  end
  if type(name) ~= "string" or name == "" then
    error(F .. ": the third argument must be the new column's name (a string)", 2)
  end
  if has_col(t, name) then
    error(string.format("%s: the table already has a column '%s'; choose another name or t:drop('%s')", F, name,
      name), 2)
  end
  local lp = model:predict(t, {type = "lp"})
  t:add(name, lp)
  return t
end

return (require("rad.doc").register(validate, "validate"))
