-- radlab benchmark: the penalised Cox path (issue 5).  Prints figures; asserts
-- nothing.  ./radlab tests/bench/coxnet.lua
--   lasso Cox path on 1,000 x 2,000; lasso Cox path with 10-fold CV on 300 x 5,000.
-- Synthetic data from the seeded generator rad.rng: standard normal features,
-- 1 % of them informative, exponential event times with exponential censoring.
-- SPDX-License-Identifier: GPL-3.0-or-later
local rng = require("rad.rng").new(2026)

-- wall time (the CV folds run on every core: CPU time would add the threads up) and CPU time
local function wall()
  local f = io.popen("date +%s.%N")
  local s = tonumber(f:read("l"))
  f:close()
  return s
end
local function clock(label, fn)
  local w0, t0 = wall(), os.clock()
  local r = fn()
  local w1, t1 = wall(), os.clock()
  print(string.format("%-52s %9.1f ms (CPU %.1f ms)", label, (w1 - w0) * 1000, (t1 - t0) * 1000))
  return r
end

local function normal()
  local u1, u2 = rng:random(), rng:random()
  return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
end

-- n rows: time, event, p features f0001..; returns the table and the x names
local function synthetic(n, p)
  local feats, eta, names = {}, {}, {}
  for i = 1, n do eta[i] = 0 end
  for j = 1, p do
    local v, b = {}, (j % 100 == 0) and 0.5 or 0
    for i = 1, n do
      v[i] = normal()
      eta[i] = eta[i] + b * v[i]
    end
    names[j] = string.format("f%04d", j)
    feats[j] = {names[j], v}
  end
  local time, event = {}, {}
  for i = 1, n do
    local t = -math.log(1 - rng:random()) / math.exp(eta[i])
    local c = -math.log(1 - rng:random()) * 2
    time[i], event[i] = math.min(t, c), t <= c and 1 or 0
  end
  local cols = {{"time", time}, {"event", event}}
  for j = 1, p do cols[#cols + 1] = feats[j] end
  return rad.table.new(cols), names
end

local t1, x1 = synthetic(1000, 2000)
local path = clock("lasso Cox path, 1,000 x 2,000", function()
  return rad.coxnet(t1, {time = "time", event = "event", x = x1})
end)
print(string.format("  %d lambdas, df at the end %d, dev_ratio %.3f, %d coordinate passes%s", #path.lambda,
  path.df[#path.df], path.dev_ratio[#path.dev_ratio], path.npasses, path.warning and ("; " .. path.warning) or ""))
-- R glmnet 4.1-6 on this table (written to CSV, run by hand): 100 lambdas, npasses 7987, jerr 0

local t2, x2 = synthetic(300, 5000)
local cv = clock("lasso Cox path + 10-fold CV, 300 x 5,000", function()
  return rad.coxnet_cv(t2, {time = "time", event = "event", x = x2, folds = 10, seed = 1})
end)
print(string.format("  %d lambdas, lambda_min %.4g (%d non-zero), lambda_1se %.4g (%d non-zero), full path %d passes",
  #cv.lambda, cv.lambda_min, cv.fit.df[cv.index_min], cv.lambda_1se, cv.fit.df[cv.index_1se], cv.fit.npasses))
-- R glmnet 4.1-6 on the full 300 x 5,000 table (by hand): 100 lambdas, npasses 13331, jerr 0
