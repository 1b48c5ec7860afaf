-- radlab: the penalised Cox path against R glmnet 4.1-6 (family = "cox") on
-- wide.csv.  SPDX-License-Identifier: GPL-3.0-or-later
--
-- Reference values: ../shared/data/survival/reference_values.csv (R 4.2.2),
-- glmnet(x, Surv(time, event), family = "cox", alpha = 1 and 0.5,
-- standardize = FALSE, thresh = 1e-14).  Checked: lambda_max, the lambdas at
-- path positions 5, 15, 30 (lasso) and 20 (alpha = 0.5), exactly the same set
-- of non-zero coefficients there with values within relative 1e-4, and
-- glmnet's early stop of the lasso path at 71 values.  Every compared pair is
-- printed with its relative difference.
local T = require "rad.test"
local data, why = T.data()
if not data then
  T.skip(89, why)
  T.done()
  return
end

local ref = {}
for line in io.lines(data .. "/survival/reference_values.csv") do
  local k, v = line:match('^"([^"]+)","([^"]+)"$')
  if k then ref[k] = tonumber(v) end
end

local TOL = 1e-4
local worst, count = 0, 0
local function cmp(got, name)
  local want = ref[name]
  if want == nil then
    T.ok(false, name .. " (no reference value)")
    return
  end
  if got == nil then
    T.ok(false, name .. ": radlab has no value (coefficient is zero)")
    return
  end
  local rel = math.abs(got - want) / math.max(math.abs(want), 1e-300)
  T.diag(string.format("%-28s radlab %.12g  R %.12g  rel.diff %.2e", name, got, want, rel))
  worst, count = math.max(worst, rel), count + 1
  T.ok(rel <= TOL, name .. " within 1e-4")
end

local w = rad.read_csv(data .. "/survival/wide.csv")
local x = {}
for j = 1, 80 do x[j] = string.format("f%02d", j) end

-- the set of non-zero names in the reference at `prefix` (e.g. "wide.lasso.k5.coef.")
local function ref_names(prefix)
  local s = {}
  for k in pairs(ref) do
    if k:sub(1, #prefix) == prefix then s[#s + 1] = k:sub(#prefix + 1) end
  end
  table.sort(s)
  return s
end

local function check_position(path, k, prefix, label)
  local c = path:coef(k)
  local got = {}
  for name in pairs(c) do got[#got + 1] = name end
  table.sort(got)
  local want = ref_names(prefix)
  T.is(table.concat(got, " "), table.concat(want, " "), label .. ": the same non-zero coefficients as glmnet")
  for _, name in ipairs(want) do cmp(c[name], prefix .. name) end
end

local lasso = rad.coxnet(w, {time = "time", event = "event", x = x, alpha = 1, standardize = false,
                             thresh = 1e-14})
T.is(getmetatable(lasso).__name, "rad.Coxnet", "rad.coxnet returns a rad.Coxnet")
T.is(#lasso.lambda, 71, "glmnet's early stop: the lasso path has 71 values")
cmp(lasso.lambda[1], "wide.lasso.lambda_max")
T.is(lasso.df[1], 0, "no coefficient at lambda_max")
for _, k in ipairs{5, 15, 30} do
  cmp(lasso.lambda[k], "wide.lasso.lambda." .. k)
  check_position(lasso, k, "wide.lasso.k" .. k .. ".coef.", "lasso position " .. k)
end

local enet = rad.coxnet(w, {time = "time", event = "event", x = x, alpha = 0.5, standardize = false,
                            thresh = 1e-14})
cmp(enet.lambda[20], "wide.enet05.lambda.20")
check_position(enet, 20, "wide.enet05.k20.coef.", "alpha = 0.5 position 20")
T.diag(string.format("%d values compared with R, largest relative difference %.2e", count, worst))

-- properties of the path and the object
local dr_ok = true
for k = 2, #lasso.dev_ratio do dr_ok = dr_ok and lasso.dev_ratio[k] >= lasso.dev_ratio[k - 1] - 1e-10 end
T.ok(dr_ok, "the deviance ratio grows along the path")
local lp = lasso:predict(w, 15)
local c15, want = lasso:coef(15), 0
for name, v in pairs(c15) do want = want + v * w:col(name)[3] end
T.near(lp[3], want, 1e-12, "predict = x b at position 15")
T.is(#lp, w:nrow(), "one prediction per row")
T.like(tostring(lasso), "71 lambdas", "printed path gives its length")

-- cross-validation
local cv1 = rad.coxnet_cv(w, {time = "time", event = "event", x = x, folds = 5, seed = 7, nlambda = 30})
local cv2 = rad.coxnet_cv(w, {time = "time", event = "event", x = x, folds = 5, seed = 7, nlambda = 30})
local same = #cv1.cvm == #cv2.cvm
for k = 1, #cv1.cvm do same = same and cv1.cvm[k] == cv2.cvm[k] and cv1.cvsd[k] == cv2.cvsd[k] end
T.ok(same, "CV is reproducible with the same seed")
T.ok(cv1.lambda_1se >= cv1.lambda_min, "lambda_1se >= lambda_min")
T.is(cv1.lambda[cv1.index_min], cv1.lambda_min, "index_min points at lambda_min")
T.ok(cv1.cvm[cv1.index_1se] <= cv1.cvm[cv1.index_min] + cv1.cvsd[cv1.index_min], "lambda_1se within one SE")
T.is(getmetatable(cv1.fit).__name, "rad.Coxnet", "cv.fit is the full-data path")

-- bad input
T.errors(function() rad.coxnet(w, {time = "tme", event = "event", x = x}) end, "time", "unknown time column")
T.errors(function() rad.coxnet(w, {time = "time", event = "event", x = {"f1"}}) end, "f01", "unknown predictor suggests a name")
T.errors(function() rad.coxnet(w, {time = "time", event = "f01", x = {"f02"}}) end, "must be 0", "event not 0/1")
T.errors(function() rad.coxnet(w, {time = "time", event = "event", x = x, alpha = 2}) end, "alpha", "alpha out of range")
T.errors(function() rad.coxnet(w, {time = "time", event = "event", x = x, folds = 3}) end, "folds", "unknown option")
T.errors(function() lasso:coef(500) end, "outside the path", "coef index out of range")
T.errors(function() rad.coxnet_cv(w, {time = "time", event = "event", x = x, folds = 1}) end, "folds", "too few folds")


-- missing values and string predictors (lung.csv)
local lung = rad.read_csv(data .. "/survival/lung.csv")
local grp = {}
for i = 1, lung:nrow() do grp[i] = ({"a", "b", "c"})[i % 3 + 1] end
lung:add("grp", grp)
local lc = rad.coxnet(lung, {time = "time", event = "status", x = {"age", "sex", "wt.loss", "grp"}})
T.is(lc.dropped, 14, "rows with a missing wt.loss are dropped and counted")
T.is(table.concat(lc.terms, " "), "age sex wt.loss grp:b grp:c", "a string column becomes indicators")
local k = #lc.lambda
local pl, nna = lc:predict(lung, k), 0
for i = 1, #pl do if pl[i] == rad.NA then nna = nna + 1 end end
T.is(#pl, lung:nrow(), "one prediction per row")
T.is(nna, 14, "rad.NA where an input is missing")
local ck, row = lc:coef(k), 1
while pl[row] == rad.NA do row = row + 1 end
local want = (ck.age or 0) * lung:col("age")[row] + (ck.sex or 0) * lung:col("sex")[row]
  + (ck["wt.loss"] or 0) * lung:col("wt.loss")[row] + (ck["grp:" .. grp[row]] or 0)
T.near(pl[row], want, 1e-12, "predict with a string predictor = x b")
local other = rad.table.new{{"age", {60}}, {"sex", {1}}, {"wt.loss", {0}}, {"grp", {"z"}}}
T.errors(function() lc:predict(other, k) end, "level 'z' of column 'grp'", "unseen level")
T.errors(function() rad.coxnet(lung, {time = "time", event = "status", x = {"age"}, lambda = {-1}}) end,
  "lambda", "negative lambda")

T.done()
