-- radlab benchmark: survival and diagnostic charts (issue 6).  Prints figures;
-- asserts nothing.  RADLAB_DATA=/path/to/data ./radlab tests/bench/plot.lua
--   Kaplan-Meier by sex on R's lung data (2 groups, CI bands, censor ticks,
--   log-rank p, number-at-risk table): build + render to PNG at 150 dpi,
--   and build + render at 300 dpi; ROC of a logistic model on lung_1y
--   (2 curves) at 150 dpi.  Each is the median of `reps` runs (CPU time).
-- SPDX-License-Identifier: GPL-3.0-or-later
local data = os.getenv("RADLAB_DATA") or "../shared/data"
local reps = 20
local out = os.tmpname()

local function median_ms(fn)
  local ts = {}
  for k = 1, reps do
    local t0 = os.clock()
    fn()
    ts[k] = (os.clock() - t0) * 1000
  end
  table.sort(ts)
  return ts[(reps + 1) // 2]
end

local function report(label, ms)
  print(string.format("%-66s %8.1f ms", label, ms))
end

local lung = rad.read_csv(data .. "/survival/lung.csv")
local kmopts = {time = "time", event = "status", group = "sex"}
report("KM (2 groups, risk table): build + render PNG, 150 dpi", median_ms(function()
  rad.plot.km(lung, kmopts):save(out)
end))
report("KM (2 groups, risk table): build + render PNG, 300 dpi", median_ms(function()
  rad.plot.km(lung, kmopts):save(out, {dpi = 300})
end))
local fig = rad.plot.km(lung, kmopts)
report("KM (2 groups, risk table): layout only (render, no PNG), 150 dpi", median_ms(function()
  fig:layout()
end))

local d = rad.read_csv(data .. "/survival/lung_1y.csv"):drop_na({"age", "sex", "ph.ecog", "dead1y"})
local m = rad.logistic(d, {y = "dead1y", x = {"age", "sex", "ph.ecog"}})
local y = d:col("dead1y")
local r1 = rad.roc(y, m:predict(d, {type = "response"}))
local r2 = rad.roc(y, d:col("age"))
report("ROC (2 curves): build + render PNG, 150 dpi", median_ms(function()
  rad.plot.roc({r1, r2}, {labels = {"Logistic", "Age"}}):save(out)
end))
os.remove(out)
