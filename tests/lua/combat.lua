-- radlab: ComBat harmonisation (rad.combat, Combat:apply, cohort.combat).
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Against sva::ComBat (sva 3.46.0) on ../shared/data/study/combat_given.csv
-- (see its README): parametric with grp protected, non-parametric with grp,
-- parametric without covariate; every adjusted value is compared at 1e-4
-- relative (sva iterates to a relative change of 1e-4) and the worst
-- relative difference of each variant is printed.  Then exact properties:
-- apply() on the training table reproduces the adjusted table bit for bit,
-- apply() on a subset gives those rows' values, the unshrunk estimates
-- worked from their definitions, and mean_only's shift.
local T = require "rad.test"
local cohort = require "rad.cohort"
local select = require "rad.select"

local data, why = T.data()
if not data then
  T.skip(56, "no reference data (" .. tostring(why) .. "): ComBat is NOT compared with sva::ComBat")
  T.done()
  return
end
local D = data .. "/study/"
local F = {"f1", "f2", "f3", "f4", "f5", "f6"}
local t = rad.read_csv(D .. "combat_given.csv")
local n = t:nrow()

-- every adjusted value against R's, one check per feature; the worst printed
local function compare(label, adj, file)
  local ref = rad.read_csv(D .. file)
  T.is(ref:nrow(), n, label .. ": R's table has one row per sample")
  local ids, rids = adj:col("id"), ref:col("id")
  local same = true
  for i = 1, n do same = same and ids[i] == rids[i] end
  T.ok(same, label .. ": rows in the same order as R's")
  local worst, where = 0, ""
  for _, f in ipairs(F) do
    local a, r, fw = adj:col(f), ref:col(f), 0
    for i = 1, n do
      local d = math.abs(a[i] - r[i]) / math.abs(r[i])
      if not (d <= fw) then fw = d end
      if d > worst then worst, where = d, string.format("%s row %d: %.15g vs R %.15g", f, i, a[i], r[i]) end
    end
    T.ok(fw <= 1e-4, string.format("%s: %s agrees with sva at 1e-4 relative (worst %.3g)", label, f, fw))
  end
  T.diag(string.format("%s: worst relative difference to sva::ComBat %.3g (%s)", label, worst, where))
end

local fit_p, adj_p = rad.combat(t, {batch = "batch", covariates = {"grp"}})
compare("parametric, grp protected", adj_p, "combat_given_parametric_grp.csv")
local fit_np, adj_np = rad.combat(t, {batch = "batch", covariates = {"grp"}, parametric = false})
compare("non-parametric, grp protected", adj_np, "combat_given_nonparametric_grp.csv")
local fit_nc, adj_nc = rad.combat(t, {batch = "batch", features = F})
compare("parametric, no covariate", adj_nc, "combat_given_parametric_nocov.csv")

-- the fit's fields
T.is(table.concat(fit_p.batches, ","), "A,B,C", "batches, sorted")
T.is(table.concat(fit_p.features, ","), "f1,f2,f3,f4,f5,f6", "default features: the numeric columns but batch and covariates")
T.is(fit_p.n.A + 100 * fit_p.n.B + 10000 * fit_p.n.C, 25 + 2000 + 150000, "batch sizes 25, 20, 15")
T.is(type(fit_p.gamma.B.f3), "number", "gamma[batch][feature]")
T.ok(fit_p.priors.A.iterations > 0, "the parametric estimates were iterated")
T.like(tostring(fit_p), "ComBat harmonisation (parametric) of 6 features by 'batch', 3 batches: A (n = 25), B (n = 20), C (n = 15); covariates protected: grp", "prints what it is", true)

-- gamma_hat and delta_hat from their definitions (no covariate): with batch
-- indicators only, B.hat is the batch means, the size-weighted grand mean is
-- the overall mean, var_pooled the within-batch sum of squares over n
do
  local batch = t:col("batch")
  local worst = 0
  for _, f in ipairs(F) do
    local y, sum, bs, bn = t:col(f), 0, {}, {}
    for i = 1, n do
      sum = sum + y[i]
      bs[batch[i]] = (bs[batch[i]] or 0) + y[i]
      bn[batch[i]] = (bn[batch[i]] or 0) + 1
    end
    local mean, ss = sum / n, 0
    for i = 1, n do ss = ss + (y[i] - bs[batch[i]] / bn[batch[i]]) ^ 2 end
    local sd = math.sqrt(ss / n)
    worst = math.max(worst, math.abs(fit_nc.grand_mean[f] - mean) / math.abs(mean),
      math.abs(fit_nc.var_pooled[f] - ss / n) / (ss / n))
    for b, s in pairs(bs) do
      local g = (s / bn[b] - mean) / sd
      local v = 0
      for i = 1, n do if batch[i] == b then v = v + ((y[i] - mean) / sd - g) ^ 2 end end
      v = v / (bn[b] - 1)
      worst = math.max(worst, math.abs(fit_nc.gamma_hat[b][f] - g) / math.abs(g),
        math.abs(fit_nc.delta_hat[b][f] - v) / v)
    end
  end
  T.ok(worst < 1e-12, string.format("grand mean, pooled variance, gamma_hat, delta_hat as defined (worst %.2g)", worst))
  -- the priors by the method of moments (Johnson 2007, sva's aprior/bprior)
  local g, d = {}, {}
  for j, f in ipairs(F) do g[j], d[j] = fit_nc.gamma_hat.C[f], fit_nc.delta_hat.C[f] end
  local function mv(v)
    local s = 0
    for _, x in ipairs(v) do s = s + x end
    local m, q = s / #v, 0
    for _, x in ipairs(v) do q = q + (x - m) ^ 2 end
    return m, q / (#v - 1)
  end
  local gm, gv = mv(g)
  local dm, dv = mv(d)
  local pr = fit_nc.priors.C
  T.near(pr.gamma_bar, gm, 1e-14, "gamma_bar: mean of gamma_hat over features")
  T.near(pr.t2, gv, 1e-14, "t2: variance of gamma_hat over features")
  T.near(pr.a, (2 * dv + dm ^ 2) / dv, 1e-10 * pr.a, "a prior = (2 s2 + m^2) / s2")
  T.near(pr.b, (dm * dv + dm ^ 3) / dv, 1e-10 * pr.b, "b prior = (m s2 + m^3) / s2")
end

-- apply() on the training table reproduces the adjusted table exactly
local function same_table(a, b, rows)
  for _, f in ipairs(F) do
    local x, y = a:col(f), b:col(f)
    for k, i in ipairs(rows) do
      if x[k] ~= y[i] then return false, string.format("%s row %d: %.17g vs %.17g", f, i, x[k], y[i]) end
    end
  end
  return true
end
local all = {}
for i = 1, n do all[i] = i end
for _, v in ipairs{{"parametric", fit_p, adj_p}, {"non-parametric", fit_np, adj_np}, {"no covariate", fit_nc, adj_nc}} do
  local ok, diff = same_table(v[2]:apply(t), v[3], all)
  T.ok(ok, v[1] .. ": apply() on the training table gives the adjusted table bit for bit")
  if diff then T.diag(diff) end
end
-- apply() on a subset of rows (one batch missing, rows reordered) gives those rows' values
local sub = {60, 3, 31, 17, 44, 26, 2}
local ok, diff = same_table(fit_p:apply(t:rows(sub)), adj_p, sub)
T.ok(ok, "apply() on 7 rows in another order gives those rows' adjusted values exactly")
if diff then T.diag(diff) end
local only_c = {}
for i = 1, n do if t:col("batch")[i] == "C" then only_c[#only_c + 1] = i end end
ok, diff = same_table(fit_np:apply(t:rows(only_c)), adj_np, only_c)
T.ok(ok, "apply() on batch C alone gives its rows' values (non-parametric)")
-- other columns pass through unchanged
local ap = fit_p:apply(t)
T.is(table.concat(ap:names(), ","), table.concat(t:names(), ","), "apply() keeps every column, in order")
T.is(ap:col("grp")[9], t:col("grp")[9], "the covariate is not adjusted")

-- mean_only: delta* = 1, so adjusted = y - gamma*[b] * sqrt(var_pooled): the
-- per-batch variance of every feature is unchanged and the shift is the
-- shrunken gamma, gamma* = (t2 gamma_hat + gamma_bar) / (t2 + 1) (sva's postmean with n = d = 1)
do
  local fm, am = rad.combat(t, {batch = "batch", covariates = {"grp"}, mean_only = true})
  local batch = t:col("batch")
  local wshift, wvar, wg, onedelta = 0, 0, 0, true
  for _, f in ipairs(F) do
    local y, a, sd = t:col(f), am:col(f), math.sqrt(fm.var_pooled[f])
    for _, b in ipairs{"A", "B", "C"} do
      onedelta = onedelta and fm.delta[b][f] == 1
      local pr = fm.priors[b]
      local gs = (pr.t2 * fm.gamma_hat[b][f] + pr.gamma_bar) / (pr.t2 + 1)
      wg = math.max(wg, math.abs(fm.gamma[b][f] - gs))
      local ys, as = {}, {}
      for i = 1, n do
        if batch[i] == b then
          ys[#ys + 1], as[#as + 1] = y[i], a[i]
          wshift = math.max(wshift, math.abs((y[i] - a[i]) - fm.gamma[b][f] * sd))
        end
      end
      local function var(v)
        local s, q = 0, 0
        for _, x in ipairs(v) do s = s + x end
        for _, x in ipairs(v) do q = q + (x - s / #v) ^ 2 end
        return q / (#v - 1)
      end
      wvar = math.max(wvar, math.abs(var(as) - var(ys)) / var(ys))
    end
  end
  T.ok(onedelta, "mean_only: delta = 1 for every batch and feature")
  T.ok(wg < 1e-15, string.format("mean_only: gamma* = (t2 gamma_hat + gamma_bar) / (t2 + 1) (worst %.2g)", wg))
  T.ok(wshift < 1e-12, string.format("mean_only: adjusted = y - gamma* sqrt(var_pooled) (worst %.2g)", wshift))
  T.ok(wvar < 1e-12, string.format("mean_only: per-batch variances unchanged (worst relative %.2g)", wvar))
  T.ok(fm.priors.A.a == nil, "mean_only: no inverse-gamma prior")
end

-- a text covariate enters as a treatment indicator: grp as "g0"/"g1" gives
-- the same design, hence bit-identical results, as the 0/1 column; a
-- numeric batch column gives the same as its text labels
do
  local grp, bnum = t:col("grp"), {}
  local gtext = {}
  for i = 1, n do
    gtext[i] = grp[i] == 1 and "g1" or "g0"
    bnum[i] = ({A = 10, B = 2, C = 3})[t:col("batch")[i]]
  end
  local u = t:copy()
  u:add("gtext", gtext)
  u:add("bnum", bnum)
  local _, a1 = rad.combat(u, {batch = "batch", covariates = {"gtext"}, features = F})
  local ok1, d1 = same_table(a1, adj_p, all)
  T.ok(ok1, "a text covariate (g0/g1) gives exactly the result of the 0/1 column")
  if d1 then T.diag(d1) end
  local fb, a2 = rad.combat(u, {batch = "bnum", covariates = {"grp"}, features = F})
  T.is(table.concat(fb.batches, ","), "2,3,10", "numeric batches in numeric order")
  local same2 = true
  for _, f in ipairs(F) do
    local x, y = a2:col(f), adj_p:col(f)
    for i = 1, n do same2 = same2 and math.abs(x[i] - y[i]) <= 1e-12 * math.abs(y[i]) end
  end
  T.ok(same2, "a numeric batch column gives the result of its text labels (to rounding: batch order differs)")
end

-- non-parametric with two features: int.eprior weighs the other features'
-- estimates, so with a single other feature gamma* and delta* are exactly
-- that feature's gamma_hat and delta_hat
do
  local f2 = rad.combat(t, {batch = "batch", features = {"f2", "f5"}, parametric = false})
  local ok2 = true
  for _, b in ipairs{"A", "B", "C"} do
    ok2 = ok2 and f2.gamma[b].f2 == f2.gamma_hat[b].f5 and f2.gamma[b].f5 == f2.gamma_hat[b].f2
      and f2.delta[b].f2 == f2.delta_hat[b].f5 and f2.delta[b].f5 == f2.delta_hat[b].f2
  end
  T.ok(ok2, "non-parametric, 2 features: each feature gets the other's gamma_hat and delta_hat")
end

-- the pipeline step: fitted on train only, applied unchanged to test
do
  local train_rows, test_rows = {}, {}
  for i = 1, n do
    if i % 4 == 0 then test_rows[#test_rows + 1] = i else train_rows[#train_rows + 1] = i end
  end
  local train, test = t:rows(train_rows), t:rows(test_rows)
  local step = cohort.combat{batch = "batch", covariates = {"grp"}}
  local fitted = step:fit(train, {"grp", "f1", "f2", "f3", "f4", "f5", "f6"})
  T.is(table.concat(fitted.cols, ","), "f1,f2,f3,f4,f5,f6", "cohort.combat: the candidate columns but the covariate")
  local direct = rad.combat(train, {batch = "batch", covariates = {"grp"}})
  local ok2, d2 = same_table(fitted:apply(test), direct:apply(test), (function()
    local r = {}
    for i = 1, #test_rows do r[i] = i end
    return r
  end)())
  T.ok(ok2, "cohort.combat: fitted:apply(test) equals rad.combat fitted on train, applied to test")
  if d2 then T.diag(d2) end
  local p = select.pipeline{id = {"id"}, cohort.combat{batch = "batch", covariates = "grp"}}
  local pf = p:fit(train)
  local pt = pf:apply(test)
  T.is(pt:col("f5")[3], direct:apply(test):col("f5")[3], "cohort.combat inside select.pipeline: the test set adjusted by the training fit")
  T.errors(function() step:fit(t:rows{1, 26, 27, 46, 47}) end, "combat:fit: batch 'A' has only one sample", "cohort.combat: fit errors name the step")
  T.errors(function() fitted:apply(t:select{"id", "batch", "grp", "f1", "f2"}) end,
    "combat:apply: feature 'f3' of the harmonisation is not in this table", "cohort.combat: apply errors name the step")
end

T.done()
