-- radlab: tests of rad.plot.km, roc, td_roc, calibration and dca.  SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/plot_surv.lua (RADLAB_DATA names the reference data).
-- Structural checks: every chart is rendered on realistic input (R's lung
-- data) and on edge cases; the PNG is read back with rad.read (grey levels)
-- and pixels are checked at positions computed from Figure:layout(); every
-- layout box must lie inside the image and the legend must not cover tick
-- labels.  Numbers shown on the charts are compared with the statistics
-- functions that compute them (rad.logrank, rad.td_auc, rad.roc).
local T = require "rad.test"
local validate = require "rad.validate"
local dir = T.tmpdir()

local function box(fig, kind, axes)
  for _, b in ipairs(fig:layout()) do
    if b.kind == kind and (axes == nil or b.axes == axes) then return b end
  end
end

local function overlap(a, b)
  return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1
end

-- Save, read back and run the checks every chart must pass; returns the
-- image and a function mapping fractions of the plot area to pixels.
local function render(fig, name)
  local path = dir .. "/" .. name .. ".png"
  T.ok(fig:save(path), name .. ": saved")
  local img = rad.read(path)
  local nx, ny = img:size()
  local pw, ph = fig:pixels()
  T.ok(nx == pw and ny == ph, name .. ": PNG is " .. nx .. " x " .. ny .. ", the figure says " .. pw .. " x " .. ph)
  local inside = true
  for _, b in ipairs(fig:layout()) do
    if b.x0 < 0 or b.y0 < 0 or b.x1 > nx + 1e-9 or b.y1 > ny + 1e-9 then
      inside = false
      T.diag(string.format("%s: box %s (%g %g %g %g) outside %d x %d", name, b.kind, b.x0, b.y0, b.x1, b.y1, nx, ny))
    end
  end
  T.ok(inside, name .. ": every layout box inside the image")
  local leg, xt, yt = box(fig, "legend", 1), box(fig, "xticks", 1), box(fig, "yticks", 1)
  if leg then
    T.ok(not overlap(leg, xt) and not overlap(leg, yt), name .. ": legend clear of the tick labels")
  end
  local plot = box(fig, "plot", 1)
  local function at(fx, fy) -- fractions of the plot area (0,0 bottom-left) -> 1-based pixel
    return math.floor(plot.x0 + fx * (plot.x1 - plot.x0)) + 1, math.floor(plot.y1 - fy * (plot.y1 - plot.y0)) + 1
  end
  local function darkest(i, j, r)
    local v = 255
    r = r or 1
    for di = -r, r do for dj = -r, r do
      local ii, jj = i + di, j + dj
      if ii >= 1 and jj >= 1 and ii <= nx and jj <= ny then v = math.min(v, img:get(ii, jj)) end
    end end
    return v
  end
  -- not blank: some pixel in the middle row of the plot is dark
  local dark = 0
  for i = 1, nx, 2 do if img:get(i, math.floor((plot.y0 + plot.y1) / 2)) < 128 then dark = dark + 1 end end
  T.ok(dark > 0, name .. ": not blank")
  return {img = img, plot = plot, at = at, darkest = darkest, nx = nx, ny = ny}
end

local data, why = T.data()
if not data then
  T.skip(1, why)
  T.done()
end

local lung = rad.read_csv(data .. "/survival/lung.csv")

-- ---- Kaplan-Meier by sex with the number at risk -----------------------------------
local km = rad.plot.km(lung, {time = "time", event = "status", group = "sex"})
local lr = rad.logrank(lung, {time = "time", event = "status", group = "sex"})
local desc = tostring(km)
T.like(desc, "Kaplan-Meier, 2 groups, n = 228, 165 events", "KM: description", true)
T.ok(lr.p > 0.001 and lr.p < 0.01, "log-rank p of sex is between 0.001 and 0.01")
T.like(desc, string.format("Log-rank p = %.3f", lr.p), "KM: the p on the plot is rad.logrank's", true)
local r = render(km, "km_sex")
T.is(r.nx, 709, "KM: 120 mm at 150 dpi is 709 px wide")
-- both curves start at S = 1 at time 0: the top-left corner of the plot area
-- (the y axis has 2 % headroom above S = 1: the data top is at 1 / 1.02 of the plot height)
do
  local i, j = r.at(0, 1 / 1.02)
  T.ok(r.darkest(i + 3, j, 1) < 150, "KM: curves start at the top-left (S = 1 at time 0)")
  T.ok(r.darkest(i + 3, j - 6, 1) > 245, "KM: nothing above S = 1")
end
-- the x axis runs from 0 to just past the last time (1022 days): 1022 * 1.02
local xhi = 1022 * 1.02
local fit = rad.km(lung, {time = "time", event = "status", group = "sex"})
for g = 1, 2 do
  local s = fit:at(500)[g].surv
  local i, j = r.at(500 / xhi, s / 1.02)
  T.ok(r.darkest(i, j, 2) < 170, "KM: curve " .. g .. " drawn at (500, " .. string.format("%.3f", s) .. ")")
end
local tab, xl, xt = box(km, "table", 1), box(km, "xlabel", 1), box(km, "xticks", 1)
T.ok(tab ~= nil, "KM: the number-at-risk table is laid out")
T.ok(tab and tab.y0 >= xt.y1 and tab.y0 >= xl.y0, "KM: the table sits under the time axis and its label")
local leg = box(km, "legend", 1)
T.ok(leg and leg.x0 >= r.plot.x0 and leg.y1 <= r.plot.y1, "KM: legend inside the plot area")
do -- an empty part of the plot (late times, high survival) stays white unless the legend is there
  local i, j = r.at(0.75, 0.6)
  T.ok(leg and not (i >= leg.x0 and i <= leg.x1 and j >= leg.y0 and j <= leg.y1), "KM: test point outside the legend")
  T.ok(r.darkest(i, j, 1) > 245, "KM: no data drawn at t = 0.75 x range, S = 0.6")
end
T.ok(#km:notes() == 0, "KM: complete data, no notes")

-- the fitted KM object gives the same figure (same n, events and p)
local kmo = rad.plot.km(fit)
T.is(tostring(kmo):match("Kaplan%-Meier[^\n]*"), desc:match("Kaplan%-Meier[^\n]*"), "KM object: same chart as the table")
render(kmo, "km_object")
local one = rad.plot.km(rad.km(lung, {time = "time", event = "status"}))
T.like(tostring(one), "1 group, n = 228", "KM object without group: one curve", true)
T.ok(not tostring(one):find("Log-rank", 1, true), "one group: no log-rank p")
render(one, "km_one")

-- four ECOG groups: one row with a missing ECOG is dropped with a note
local ecog = rad.plot.km(lung, {time = "time", event = "status", group = "ph.ecog", conf = false, times = {0, 250, 500, 750}})
T.like(tostring(ecog), "4 groups, n = 227", "KM by ECOG: 4 groups, 227 with a group", true)
T.like(table.concat(ecog:notes(), "\n"), "1 subject with a missing group dropped", "KM by ECOG: note", true)
render(ecog, "km_ecog")
local year = rad.plot.km(lung, {time = "time", event = "status", group = "sex", xlim = {0, 365},
                                times = {0, 90, 180, 270, 365, 500}})
T.like(table.concat(year:notes(), "\n"), "1 number-at-risk time outside the time axis", "KM: times past xlim noted", true)
do
  local ry = render(year, "km_year")
  -- at 300 days (inside xlim) curve 1 is drawn at its KM value
  local s = fit:at(300)[1].surv
  local i, j = ry.at(300 / 365, s / 1.02)
  T.ok(ry.darkest(i, j, 2) < 170, "KM with xlim: curve drawn at (300, S(300))")
end

-- ---- Kaplan-Meier edge cases -----------------------------------------------------------
local function tab(cols) return rad.table.new(cols) end
local NA = rad.NA
local none = rad.plot.km(tab{{"t", {5, 10, 20, 30}}, {"e", {0, 0, 0, 0}}, {"g", {1, 1, 2, 2}}},
                         {time = "t", event = "e", group = "g"})
T.like(tostring(none), "0 events", "no events: drawn", true)
T.like(table.concat(none:notes(), "\n"), "no events", "no events: noted", true)
do -- flat at 1: the top edge is drawn half way along
  local rn = render(none, "km_noevents")
  local i, j = rn.at(0.5, 1 / 1.02)
  T.ok(rn.darkest(i, j, 2) < 170, "no events: curve flat at S = 1")
end
local nan = rad.plot.km(tab{{"t", {5, NA, 20, 30, 40}}, {"e", {1, 1, NA, 0, 1}}}, {time = "t", event = "e"})
T.like(table.concat(nan:notes(), "\n"), "2 subjects with a missing time or event dropped", "NaN rows dropped with a note", true)
T.like(tostring(nan), "n = 3, 2 events", "NaN rows: 3 kept", true)
render(nan, "km_nan")
local single = rad.plot.km(tab{{"t", {7}}, {"e", {1}}}, {time = "t", event = "e"})
T.like(tostring(single), "n = 1, 1 event", "a single subject", true)
render(single, "km_single")
local zero = rad.plot.km(tab{{"t", {0, 0}}, {"e", {0, 1}}}, {time = "t", event = "e"})
T.like(tostring(zero), "n = 2", "all times 0: drawn", true)
render(zero, "km_zero")
local g1 = rad.plot.km(tab{{"t", {3, 4, 5}}, {"e", {1, 0, 1}}, {"g", {"a", "a", "a"}}},
                       {time = "t", event = "e", group = "g", risk_table = false, censor = false})
T.like(tostring(g1), "1 group", "one level of the group column: one curve", true)
T.ok(box(g1, "table", 1) == nil, "risk_table = false: no table")
T.errors(function() rad.plot.km(tab{{"t", {NA}}, {"e", {1}}}, {time = "t", event = "e"}) end,
         "no subject has both", "all rows missing: clear error")
T.errors(function() rad.plot.km(lung:rows{}, {time = "time", event = "status"}) end, "no rows", "empty table: error")
T.errors(function() rad.plot.km(tab{{"t", {1, 2}}, {"e", {1, 2}}}, {time = "t", event = "e"}) end,
         "code events 1", "event coded 1/2: error says how to code")
T.errors(function() rad.plot.km(lung, {time = "time", event = "status", colour = "red"}) end, "colour",
         "unknown option named")
T.errors(function() rad.plot.km(lung, {time = "time", event = "status", xlim = {10, 5}}) end, "xlim",
         "bad xlim named")
T.errors(function() rad.plot.km(lung, {time = "time", event = "status", times = {100, 50}}) end, "times",
         "decreasing times rejected")
T.errors(function() rad.plot.km(42) end, "rad.plot.km", "a number is not a KM input")

-- ---- ROC of a logistic model on lung_1y -----------------------------------------------------
local d1 = rad.read_csv(data .. "/survival/lung_1y.csv"):drop_na({"age", "sex", "ph.ecog", "dead1y"})
local lm = rad.logistic(d1, {y = "dead1y", x = {"age", "sex", "ph.ecog"}})
local y = d1:col("dead1y")
local roc1 = rad.roc(y, lm:predict(d1, {type = "response"}))
local roc2 = rad.roc(y, d1:col("age"))
local rf = rad.plot.roc({roc1, roc2}, {labels = {"Logistic (age, sex, ECOG)", "Age alone"}})
T.like(tostring(rf), string.format("AUC %.3f, AUC %.3f", roc1.auc, roc2.auc), "ROC: AUCs in the description", true)
local rr = render(rf, "roc")
T.ok(math.abs((rr.plot.x1 - rr.plot.x0) - (rr.plot.y1 - rr.plot.y0)) <= 1.5, "ROC: square plot area")
do
  local k = math.floor(#roc1.points.fpr / 2)
  local i, j = rr.at(roc1.points.fpr[k], roc1.points.tpr[k])
  T.ok(rr.darkest(i, j, 2) < 170, "ROC: curve drawn through its middle point")
  i, j = rr.at(0.5, 0.5)
  T.ok(rr.darkest(i, j, 4) < 230, "ROC: chance diagonal drawn")
  i, j = rr.at(0.9, 0.3)
  T.ok(rr.darkest(i, j, 1) > 245, "ROC: lower right stays empty")
end
local rone = rad.plot.roc(roc1, {title = "Death within a year"})
local ro = render(rone, "roc_one")
local rleg = box(rone, "legend", 1)
T.ok(rleg and rleg.x0 >= ro.plot.x0 and rleg.y1 <= ro.plot.y1, "ROC: one short legend inside the plot")
local tiny = rad.roc({0, 1}, {0.2, 0.8})
render(rad.plot.roc(tiny), "roc_tiny")
T.errors(function() rad.plot.roc({}) end, "empty", "no ROC: error")
T.errors(function() rad.plot.roc({roc1, roc2}, {labels = {"a"}}) end, "labels", "labels count checked")

-- ---- time-dependent ROC of a Cox linear predictor --------------------------------------------
local lc = lung:drop_na({"age", "sex", "ph.ecog"})
local cox = rad.cox(lc, {time = "time", event = "status", x = {"age", "sex", "ph.ecog"}})
local lp = cox:predict(lc)
local ta = rad.td_auc(lc, {time = "time", event = "status", score = lp, times = {180, 365}})
local tf = rad.plot.td_roc(lc, {time = "time", event = "status", score = lp, at = {180, 365}})
local tdesc = tostring(tf)
for k, t in ipairs({180, 365}) do
  local area = tonumber(tdesc:match("AUC%(" .. t .. "%) ([%d.]+)"))
  T.near(area, ta.auc[k], 1e-4, "td ROC: area under the drawn curve at " .. t .. " = rad.td_auc")
end
render(tf, "td_roc")
do -- the legend: t with its unit, AUC(t) with a bootstrap CI (reproducible with the seed)
  local opts = {time = "time", event = "status", score = lp, at = 365, unit = "days"}
  local d1 = tostring(rad.plot.td_roc(lc, opts))
  local area, lo, hi = d1:match("AUC%(365 days%) ([%d.]+) %(95%% CI ([%d.]+) to ([%d.]+)%)")
  area, lo, hi = tonumber(area), tonumber(lo), tonumber(hi)
  T.near(area, ta.auc[2], 1e-4, "td ROC: AUC(365 days) in the description with its unit")
  T.ok(lo and hi and lo < area and area < hi and hi - lo < 0.3, string.format("td ROC: 95%% CI %s to %s around %s", lo, hi, area))
  T.is(tostring(rad.plot.td_roc(lc, opts)), d1, "td ROC: the same seed gives the same CI")
  opts.seed = 7
  T.ok(tostring(rad.plot.td_roc(lc, opts)) ~= d1, "td ROC: another seed, another bootstrap")
  opts.boot = 0
  T.ok(not tostring(rad.plot.td_roc(lc, opts)):find("CI", 1, true), "td ROC: boot = 0, no CI")
  T.like(table.concat(tf:notes(), "\n"), "without a unit", "td ROC: no unit given is noted", true)
  T.errors(function() rad.plot.td_roc(lc, {time = "time", event = "status", score = lp, at = 365, boot = 5}) end,
           "give 0 (no CI) or 50 to 100000", "td ROC: too few resamples")
end
T.errors(function() rad.plot.td_roc(lc, {time = "time", event = "status", score = lp, at = 5000}) end,
         "no controls", "td ROC: a time after follow-up is an error")
T.errors(function() rad.plot.td_roc(lc, {time = "time", event = "status", score = "nope", at = 365}) end,
         "score", "td ROC: unknown score column")

-- ---- calibration and decision curve from validate ---------------------------------------------
local sv = cox:predict(lc, {type = "survival", times = {365}})
local s365, r365 = {}, {}
for i, v in ipairs(sv) do
  s365[i] = type(v) == "table" and v[1] or v
  r365[i] = 1 - s365[i]
end
lc:add("s365", s365)
lc:add("r365", r365)
local cal = validate.calibration(lc, {time = "time", event = "status", prob = "s365", at = 365, groups = 5})
local cf = rad.plot.calibration(cal)
T.like(tostring(cf), string.format("slope %.3f, intercept %.3f", cal.slope, cal.intercept), "calibration: slope", true)
local cr = render(cf, "calibration")
do
  local g = cal.groups[3]
  -- the axes run from -0.04 to 1.04 (room for markers at 0 and 1)
  local i, j = cr.at((g.predicted + 0.04) / 1.08, (g.observed + 0.04) / 1.08)
  T.ok(cr.darkest(i, j, 2) < 170, "calibration: group 3 drawn at (predicted, observed)")
  i, j = cr.at(0.5, 0.5)
  T.ok(cr.darkest(i, j, 4) < 230, "calibration: ideal diagonal drawn")
end
local plain = rad.plot.calibration({predicted = {0.2, 0.5, NA, 0.8}, observed = {0.25, 0.45, 0.5, 0.7}},
                                   {line = false})
T.like(table.concat(plain:notes(), "\n"), "1 group without", "calibration: NaN group dropped with a note", true)
render(plain, "calibration_plain")
render(rad.plot.calibration({predicted = {0.4}, observed = {0.5}, lower = {0.3}, upper = {0.7}}), "calibration_one")
do -- groups predicted at 0 and 1: whole markers (5 pt wide) inside the axes
  local ends = rad.plot.calibration({predicted = {0, 1}, observed = {0, 1}}, {line = false})
  local re = render(ends, "calibration_ends")
  local r = 2.5 * 150 / 72 -- marker radius in pixels at 150 dpi
  for _, v in ipairs{0, 1} do
    local i, j = re.at((v + 0.04) / 1.08, (v + 0.04) / 1.08)
    T.ok(re.darkest(i, j, 1) < 128, "calibration: marker at (" .. v .. ", " .. v .. ") drawn")
    T.ok(i - 1 - re.plot.x0 >= r and re.plot.x1 - (i - 1) >= r and j - 1 - re.plot.y0 >= r and re.plot.y1 - (j - 1) >= r,
         "calibration: marker at (" .. v .. ", " .. v .. ") lies inside the plot area")
  end
end
T.errors(function() rad.plot.calibration({predicted = {1.2}, observed = {0.5}}) end, "probabilities",
         "calibration: out-of-range value")
T.errors(function() rad.plot.calibration({predicted = {}, observed = {}}) end, "no groups", "calibration: empty")

local dca = validate.dca(lc, {time = "time", event = "status", risk = "r365", at = 365})
local df = rad.plot.dca(dca, {labels = {"Cox (age, sex, ECOG)"}})
T.like(tostring(df), "Decision curve, 1 model", "dca: description", true)
local dr = render(df, "dca")
do -- treat none: the black line at net benefit 0, at a tenth of the y range above the bottom
  local i, j = dr.at(0.5, 0.1 / 1.18)
  T.ok(dr.darkest(i, j, 2) < 80, "dca: treat-none line at 0")
end
local dca2 = validate.dca(lc, {time = "time", event = "status", risk = "r365", at = 180})
local d2 = rad.plot.dca({dca, dca2}, {labels = {"at 365", "at 180"}, width = 120})
T.like(table.concat(d2:notes(), "\n"), "different treat-all", "dca: differing treat-all references noted", true)
T.is(#rad.plot.dca({dca, dca}, {labels = {"a", "b"}}):notes(), 0, "dca: same reference, no note")
render(d2, "dca_two")
T.errors(function() rad.plot.dca({threshold = {0.1}, net_benefit = {NA}}) end, "no finite", "dca: nothing to draw")
T.errors(function() rad.plot.dca({threshold = {1.5}, net_benefit = {0.1}}) end, "threshold", "dca: bad threshold")

T.done()
