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

T.done()
