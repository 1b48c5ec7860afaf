-- radlab: text layout of every chart kind.  SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/plot_layout.lua (RADLAB_DATA names the reference data).
--
-- Figure:layout() reports every piece of drawn text as its own box
-- (text = true: titles, axis labels, each tick label, legend entries, table
-- cells, notes, labels on the data).  One checker is applied to every chart
-- kind at 150 and 300 dpi, on ordinary and on awkward data (long labels,
-- many groups, many forest rows, factor terms, extreme hazard ratios,
-- predicted probabilities of 0 and 1): no text box overlaps another by more
-- than 0.5 px, none leaves the image, and on a report page none leaves the
-- cell it is drawn in (the cell clips it).
local T = require "rad.test"
local validate = require "rad.validate"

-- the checker: rad.test's layout_problems (no text box overlaps another by
-- more than 0.5 px, none leaves the image or its page cell)
local problems = T.layout_problems

-- The checker itself fails on overlapping, escaping and clipped text.
do
  local fig = {kind = "figure", axes = 0, x0 = 0, y0 = 0, x1 = 100, y1 = 50}
  local a = {kind = "xtick", axes = 1, text = true, x0 = 10, y0 = 10, x1 = 20, y1 = 16}
  local b = {kind = "xtick", axes = 1, text = true, x0 = 19, y0 = 10, x1 = 30, y1 = 16}
  T.is(#problems({fig, a, b}), 1, "checker: two tick labels 1 px into each other overlap")
  b.x0 = 19.6
  T.is(#problems({fig, a, b}), 0, "checker: 0.4 px is within the slack")
  local c = {kind = "title", axes = 0, text = true, x0 = 90, y0 = 0, x1 = 101, y1 = 8}
  T.like(problems({fig, c})[1] or "", "leaves the image", "checker: text past the right edge")
  local cell = {kind = "cell", axes = 0, cell = 1, x0 = 0, y0 = 0, x1 = 50, y1 = 50}
  local d = {kind = "xlabel", axes = 1, text = true, cell = 1, x0 = 40, y0 = 40, x1 = 55, y1 = 48}
  T.like(problems({fig, cell, d})[1] or "", "clipped by page cell 1", "checker: text cut off by its page cell")
  local g = {kind = "xticks", axes = 1, x0 = 0, y0 = 0, x1 = 100, y1 = 50}
  T.is(#problems({fig, g, a}), 0, "checker: group boxes are not text")
end

local nchecked = 0
-- Apply the checker at 150 and 300 dpi.
local function check(fig, name)
  nchecked = nchecked + 1
  for _, dpi in ipairs{150, 300} do
    local lay = fig:layout{dpi = dpi}
    local ntext, nxt = 0, 0
    for _, b in ipairs(lay) do
      if b.text then ntext = ntext + 1 end
      if b.kind == "xtick" or b.kind == "ytick" then nxt = nxt + 1 end
    end
    local p = problems(lay)
    for k = 1, math.min(#p, 6) do T.diag(string.format("  %s at %d dpi: %s", name, dpi, p[k])) end
    T.ok(#p == 0, string.format("%s at %d dpi: %d text boxes (%d tick labels), none overlapping or cut off",
                                name, dpi, ntext, nxt))
  end
  return fig
end

-- ---- plain numbers and images (no reference data needed) ------------------------------------------

check(rad.plot.lines({x = {1, 2, 3, 4}, y = {1, 4, 9, 16}, label = "squares"}), "lines")
check(rad.plot.lines({{x = {1e-3, 1, 1e3}, y = {1, 2, 3}, label = "a series with a rather long descriptive label"},
                      {x = {1e-3, 1, 1e3}, y = {3, 2, 1}, label = "another long label, placed next to it"}},
                     {xlog = true, title = "A long title that has to fit the figure width somehow", width = 80,
                      height = 60}), "lines: log axis, long labels, narrow")

local NX, NY, NZ = 40, 30, 10
local img = rad.image.new{size = {NX, NY, NZ}, spacing = {1, 1, 3}, value = -160}
local mask = rad.mask.new(img)
for k = 1, NZ do for j = 1, NY do for i = 21, NX do img:set(i, j, k, 240) end end end
for k = 4, 6 do for j = 11, 20 do for i = 11, 20 do img:set(i, j, k, 40 + i); mask:set(i, j, k, 1) end end end
check(rad.plot.slice(img, {mask = mask, window = "soft"}), "slice")
check(rad.plot.montage(img, mask, {window = "soft"}), "montage")
check(rad.plot.montage(img, mask, {count = 9, crop = false, overlay = "fill"}), "montage: 9 uncropped")
local map = img:copy()
for k = 1, NZ do for j = 1, NY do for i = 1, NX do map:set(i, j, k, i * 1000) end end end
check(rad.plot.map(img, map, {mask = mask, window = "soft", label = "a long colour bar label (units)"}), "feature map")
check(rad.plot.histogram(img, mask, {resegment = {range = {-1000, 3000}}}), "histogram: narrow data, wide range")

local D, why = T.data()
if not D then
  T.skip(1, why)
  T.done()
  return
end

-- ---- survival charts -----------------------------------------------------------------------------
local lung = rad.read_csv(D .. "/survival/lung.csv")
do
  local sx, ec = {}, {}
  for i, v in ipairs(lung:col("sex")) do sx[i] = v == 1 and "male" or "female" end
  for i, v in ipairs(lung:col("ph.ecog")) do ec[i] = v == rad.NA and rad.NA or ("ECOG " .. math.floor(v)) end
  lung:add("sexf", sx)
  lung:add("ecog", ec)
end
check(rad.plot.km(lung, {time = "time", event = "status", group = "sex"}), "km")
check(rad.plot.km(lung, {time = "time", event = "status", group = "ecog", title = "Overall survival by ECOG"}),
      "km: 4 groups")
check(rad.plot.km(lung, {time = "time", event = "status", group = "sexf", width = 90, height = 70}), "km: small")

do -- 8 groups with long names, a risk table every 100 days
  local inst = {}
  for i, v in ipairs(lung:col("inst")) do
    inst[i] = v == rad.NA and rad.NA or ("institution with a long name " .. (math.floor(v) % 8))
  end
  lung:add("inst8", inst)
  local times = {}
  for k = 0, 10 do times[#times + 1] = 100 * k end
  check(rad.plot.km(lung, {time = "time", event = "status", group = "inst8", times = times}), "km: 8 long groups")
  check(rad.plot.km(lung, {time = "time", event = "status", group = "inst8", times = times, width = 100}),
        "km: 8 long groups, 100 mm wide")
end
local lc = lung:drop_na({"age", "sex", "ph.ecog"})
local cox = rad.cox(lc, {time = "time", event = "status", x = {"age", "sex", "ph.ecog"}})
local lp = cox:predict(lc)
local d1 = rad.read_csv(D .. "/survival/lung_1y.csv"):drop_na({"age", "sex", "ph.ecog", "dead1y"})
local lm = rad.logistic(d1, {y = "dead1y", x = {"age", "sex", "ph.ecog"}})
local roc1 = rad.roc(d1:col("dead1y"), lm:predict(d1, {type = "response"}))
local roc2 = rad.roc(d1:col("dead1y"), d1:col("age"))
check(rad.plot.roc({roc1, roc2}, {labels = {"Logistic (age, sex, ECOG performance status)", "Age alone"}}), "roc")
check(rad.plot.td_roc(lc, {time = "time", event = "status", score = lp, at = {180, 365, 730}}), "td_roc")

local sv = cox:predict(lc, {type = "survival", times = {365}})
local s365, r365 = {}, {}
for i, v in ipairs(sv) do
  s365[i] = type(v) == "table" and v[1] or v
  r365[i] = 1 - s365[i]
end
lc:add("s365", s365)
lc:add("r365", r365)
check(rad.plot.calibration(validate.calibration(lc, {time = "time", event = "status", prob = "s365", at = 365,
                                                      groups = 5})), "calibration")
check(rad.plot.calibration({predicted = {0, 0.3, 0.6, 1}, observed = {0, 0.35, 0.5, 1}, lower = {0, 0.2, 0.4, 0.9},
                            upper = {0.1, 0.5, 0.6, 1}}), "calibration: predicted 0 and 1")
local dca = validate.dca(lc, {time = "time", event = "status", risk = "r365", at = 365})
check(rad.plot.dca(dca, {labels = {"Cox (age, sex, ECOG)"}}), "dca")

-- ---- model charts --------------------------------------------------------------------------------
local wide = rad.read_csv(D .. "/survival/wide.csv")
local feats = {}
for i = 1, 80 do feats[i] = string.format("f%02d", i) end

check(rad.plot.forest(rad.cox(lung, {time = "time", event = "status", x = {"age", "sexf", "ecog", "wt.loss"}})),
      "forest: factor terms")
do
  local labels, est, lo, hi, p = {}, {}, {}, {}, {}
  for i = 1, 12 do
    labels[i] = i == 3 and "a very long covariate name: tumour volume (log mL)" or ("term " .. i)
    est[i] = 10 ^ ((i - 6) / 2)
    lo[i], hi[i], p[i] = est[i] / 3, est[i] * 3, 10 ^ -i
  end
  check(rad.plot.forest({labels = labels, estimate = est, lower = lo, upper = hi, p = p}), "forest: 12 rows, extreme HRs")
  check(rad.plot.forest({labels = labels, estimate = est, lower = lo, upper = hi, p = p}, {width = 100}),
        "forest: 12 rows, narrow")
end

local path = rad.coxnet(wide, {time = "time", event = "event", x = feats})
local cv = rad.coxnet_cv(wide, {time = "time", event = "event", x = feats, folds = 5, seed = 3})
check(rad.plot.lasso(path, cv), "lasso path + CV")
check(rad.plot.lasso(path), "lasso path")
check(rad.plot.lasso(cv), "CV curve")
local c30 = {}
for i = 1, 30 do c30[i] = feats[i] end
check(rad.plot.heatmap(wide, {columns = c30}), "heatmap: 30 features")
check(rad.plot.heatmap(wide, {columns = feats}), "heatmap: 80 features")

local mn = rad.cox(lung, {time = "time", event = "status", x = {"age", "sexf", "ecog"}})
local nomo = check(rad.plot.nomogram(validate.nomogram(mn, {at = 365, data = lung}), {at_label = "1 year"}), "nomogram")
local early = {}
for i, t in ipairs(lung:col("time")) do early[i] = t < 365 and 1 or 0 end
local lb = lung:copy()
lb:add("early_death", early)
local lg = rad.logistic(lb, {y = "early_death", x = {"age", "ecog"}})
check(rad.plot.nomogram(lg, {data = lb}), "nomogram of a logistic model")

for _, kind in ipairs{"box", "violin", "strip"} do
  check(rad.plot.box(lung, {y = "age", group = "sexf", kind = kind}), kind)
  check(rad.plot.box(lung, {y = "age", group = "ecog", kind = kind, ylabel = "Age at diagnosis (years)"}),
        kind .. ": 4 groups")
  local g, y = {}, {}
  for i = 1, 40 do
    g[i] = i == 40 and "a lonely patient" or ("institution number " .. (i % 9))
    y[i] = (i * 37) % 23
  end
  check(rad.plot.box(rad.table.new{{"y", y}, {"g", g}}, {y = "y", group = "g", kind = kind}),
        kind .. ": 10 long groups, one of one")
end
check(rad.plot.waterfall(lung, {score = "age", outcome = "status"}), "waterfall")
check(rad.plot.waterfall(lung, {score = "age", outcome = "status", labels = {"alive at the end of follow-up",
                                                                              "died during follow-up"}, width = 70}),
      "waterfall: long outcome labels, 70 mm")
do
  local long = {}
  for i = 1, 20 do long[i] = feats[i] end
  local names = {}
  for i = 1, 20 do names[i] = "wavelet_LLH_glszm_SmallAreaLowGrayLevelEmphasis_" .. i end
  local m = {}
  for i = 1, 20 do m[i] = {} for j = 1, 20 do m[i][j] = i == j and 1 or ((i * j) % 7 - 3) / 4 end end
  check(rad.plot.heatmap(m, {names = names, order = "none"}), "heatmap: 20 long names")
end
check(rad.plot.dca({dca, dca}, {labels = {"Cox model with age, sex and ECOG", "The same model again, for width"},
                                width = 80}), "dca: two long labels, 80 mm")

-- ---- report page ---------------------------------------------------------------------------------
local km = rad.plot.km(lung, {time = "time", event = "status", group = "sex"})
check(rad.plot.page{figures = {km, nomo, rad.plot.forest(mn), rad.plot.lasso(path, cv)}, title = "Report"},
      "page: km, nomogram, forest, lasso")

check(rad.plot.page{figures = {rad.plot.heatmap(wide, {columns = c30}),
                               rad.plot.box(lung, {y = "age", group = "ecog", kind = "violin"}),
                               rad.plot.td_roc(lc, {time = "time", event = "status", score = lp, at = {180, 365},
                                                    unit = "days"}),
                               rad.plot.dca(dca, {labels = {"Cox (age, sex, ECOG)"}}),
                               rad.plot.waterfall(lung, {score = "age", outcome = "status"}),
                               rad.plot.histogram(img, mask, {resegment = {range = {-1000, 3000}}})},
                   columns = 3, title = "Six panels in three columns", subtitle = "every cell re-laid out"},
      "page: 6 figures in 3 columns")
T.diag(nchecked .. " figures checked")
T.done()
