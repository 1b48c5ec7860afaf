-- radlab benchmark: statistics at radiomics scale (issue 4).  Prints figures;
-- asserts nothing.  ./radlab tests/bench/stats.lua
--   CSV read of a 1,000 x 5,000 table; Spearman matrix of 1,000 features over
--   300 rows; penalised logistic path with 10-fold CV on 300 x 2,000.
-- SPDX-License-Identifier: GPL-3.0-or-later
local rng = require("rad.rng").new(2026)

local function clock(label, fn)
  local t0 = os.clock()
  local r = fn()
  print(string.format("%-52s %9.1f ms", label, (os.clock() - t0) * 1000))
  return r
end

-- a table of n rows: id, binary outcome y, p features (2 % of them informative)
local function synthetic(n, p)
  local cols = {}
  local y = {}
  for i = 1, n do y[i] = rng:random() < 0.4 and 1 or 0 end
  local id = {}
  for i = 1, n do id[i] = i end
  cols[1] = {"id", id}
  cols[2] = {"y", y}
  for j = 1, p do
    local v, shift = {}, (j % 50 == 0) and 0.8 or 0
    for i = 1, n do
      -- Box-Muller on the seeded generator
      local u1, u2 = rng:random(), rng:random()
      v[i] = math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2) + shift * y[i]
    end
    cols[#cols + 1] = {string.format("f%04d", j), v}
  end
  return rad.table.new(cols)
end

local tmp = os.tmpname()
local big = clock("generate 1,000 x 5,000 table (Lua)", function() return synthetic(1000, 5000) end)
clock("write_csv 1,000 x 5,002", function() return big:write_csv(tmp) end)
local back = clock("read_csv 1,000 x 5,002", function() return rad.read_csv(tmp) end)
os.remove(tmp)
assert(back:ncol() == 5002)

local t300 = synthetic(300, 2000)
local feats = {}
for j = 1, 1000 do feats[j] = string.format("f%04d", j) end
clock("Spearman matrix, 1,000 features x 300 rows", function()
  return rad.stats.cor_matrix(t300, {method = "spearman", cols = feats})
end)
local x = {}
for j = 1, 2000 do x[j] = string.format("f%04d", j) end
local cv = clock("lasso logistic path + 10-fold CV, 300 x 2,000", function()
  return rad.glmnet_logistic_cv(t300, {y = "y", x = x, alpha = 1, folds = 10, seed = 1})
end)
print(string.format("  %d lambdas, lambda_min %.4g (%d non-zero), lambda_1se %.4g", #cv.lambda, cv.lambda_min,
  cv.fit.df[cv.index_min], cv.lambda_1se))
