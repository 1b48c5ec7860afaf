-- radlab benchmark: survival models (issue 5).  Prints figures; asserts nothing.
--   ./radlab tests/bench/survival.lua
--   Cox model (Efron and Breslow ties) on 100,000 rows x 10 covariates of
--   synthetic data: exponential event times with hazard exp(x'beta), uniform
--   censoring, times rounded to whole days so that ties occur.
-- SPDX-License-Identifier: GPL-3.0-or-later
local rng = require("rad.rng").new(2026)

local function clock(label, fn)
  local t0 = os.clock()
  local r = fn()
  print(string.format("%-52s %9.1f ms", label, (os.clock() - t0) * 1000))
  return r
end

local function normal()
  local u1, u2 = rng:random(), rng:random()
  return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
end

-- n rows, p standard-normal covariates, true log-hazard ratios 0.1 * j (alternating sign)
local function synthetic(n, p)
  local x, beta = {}, {}
  for j = 1, p do
    x[j] = {}
    beta[j] = (j % 2 == 0 and -0.1 or 0.1) * j / 2
  end
  local time, event = {}, {}
  for i = 1, n do
    local eta = 0
    for j = 1, p do
      local v = normal()
      x[j][i] = v
      eta = eta + beta[j] * v
    end
    local t = -math.log(1 - rng:random()) / (0.001 * math.exp(eta))
    local c = rng:random() * 2000
    time[i] = math.floor(math.min(t, c)) + 1
    event[i] = t <= c and 1 or 0
  end
  local cols = {{"time", time}, {"event", event}}
  local names = {}
  for j = 1, p do
    names[j] = string.format("x%02d", j)
    cols[#cols + 1] = {names[j], x[j]}
  end
  return rad.table.new(cols), names, beta
end

local gen = clock("generate 100,000 x 10 survival table (Lua)", function() return {synthetic(100000, 10)} end)
local t, names, beta = gen[1], gen[2], gen[3]
for _, ties in ipairs({"efron", "breslow"}) do
  local fit = clock("rad.cox 100,000 x 10, ties = " .. ties, function()
    return rad.cox(t, {time = "time", event = "event", x = names, ties = ties})
  end)
  local maxerr = 0
  for j, nm in ipairs(names) do maxerr = math.max(maxerr, math.abs(fit.coef[nm] - beta[j])) end
  print(string.format("  %d events, %d iterations, C = %.4f, max |coef - true| = %.3f", fit.nevent,
    fit.iterations, fit.concordance, maxerr))
end
