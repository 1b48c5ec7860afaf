-- radlab: tests of the model and cohort charts (rad.plot.forest, lasso, heatmap,
-- nomogram, box, waterfall).  SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/plot_model.lua
-- Structural checks on the written PNGs: size, not blank, every layout box
-- inside the image, data drawn where its coordinates say (pixels computed
-- from the "plot" box of Figure:layout() and the axis limits the chart
-- sets), nothing clipped at the image edge, legends clear of tick labels;
-- plus the edge cases (single term, constant column, one group, NaN).
local T = require "rad.test"
local validate = require "rad.validate"

local tmp = T.tmpdir()
local DPI = 150

-- ---- helpers -----------------------------------------------------------------------------

local function boxes(layout, kind)
  local r = {}
  for _, b in ipairs(layout) do
    if b.kind == kind then r[#r + 1] = b end
  end
  return r
end

local function overlap(a, b)
  return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1
end

-- grey value at pixel (x, y) in layout coordinates (0-based, top-left)
local function px(img, x, y)
  return img:get(math.floor(x) + 1, math.floor(y) + 1)
end

-- the darkest grey value in a (2r+1)^2 neighbourhood
local function darkest(img, x, y, r)
  r = r or 1
  local nx, ny = img:size()
  local m = 255
  for dx = -r, r do
    for dy = -r, r do
      local i, j = math.floor(x) + 1 + dx, math.floor(y) + 1 + dy
      if i >= 1 and i <= nx and j >= 1 and j <= ny then m = math.min(m, img:get(i, j)) end
    end
  end
  return m
end

-- pixels darker than `lim` in [x0, x1) x [y0, y1)
local function count_dark(img, x0, y0, x1, y1, lim)
  local n = 0
  for j = math.floor(y0), math.ceil(y1) - 1 do
    for i = math.floor(x0), math.ceil(x1) - 1 do
      if px(img, i, j) < lim then n = n + 1 end
    end
  end
  return n
end

-- Save at DPI, read back, check the common structure; returns img, layout, w, h.
local function check(fig, name)
  local path = tmp .. "/" .. name .. ".png"
  fig:save(path, {dpi = DPI})
  local img = rad.read(path)
  local w, h = img:size()
  local ew, eh = fig:pixels(DPI)
  T.ok(w == ew and h == eh, name .. ": PNG is " .. w .. " x " .. h .. " as Figure:pixels says")
  local layout = fig:layout({dpi = DPI})
  local inside = true
  for _, b in ipairs(layout) do
    if b.x0 < -0.5 or b.y0 < -0.5 or b.x1 > w + 0.5 or b.y1 > h + 0.5 then
      inside = false
      T.diag(name .. ": box " .. b.kind .. " outside the image")
    end
  end
  T.ok(inside, name .. ": every layout box inside the image")
  T.ok(count_dark(img, 0, 0, w, h, 128) > 200, name .. ": not blank")
  -- nothing drawn in the outermost 2 pixels (clipped text would touch the edge)
  local edge = count_dark(img, 0, 0, 2, h, 200) + count_dark(img, w - 2, 0, w, h, 200) +
               count_dark(img, 0, h - 2, w, h, 200)
  T.is(edge, 0, name .. ": nothing touches the left, right or bottom edge")
  return img, layout, w, h
end

local function plot_box(layout, k)
  return boxes(layout, "plot")[k or 1]
end

-- data y -> pixel row for an axes with limits [lo, hi] (reverse: lo at the top)
local function ypix(pb, lo, hi, v, reverse)
  local f = (v - lo) / (hi - lo)
  if reverse then return pb.y0 + f * (pb.y1 - pb.y0) end
  return pb.y1 - f * (pb.y1 - pb.y0)
end

local function xpix(pb, lo, hi, v)
  return pb.x0 + (v - lo) / (hi - lo) * (pb.x1 - pb.x0)
end

local function median(v)
  local s = {}
  for _, x in ipairs(v) do if x == x and x ~= rad.NA then s[#s + 1] = x end end
  table.sort(s)
  local n = #s
  if n % 2 == 1 then return s[(n + 1) / 2] end
  return (s[n / 2] + s[n / 2 + 1]) / 2
end

local D, why = T.data()
if not D then
  T.skip(1, why)
  T.done()
  return
end

local lung = rad.read_csv(D .. "/survival/lung.csv")
do
  local sx, ec = {}, {}
  for i, v in ipairs(lung:col("sex")) do sx[i] = v == 1 and "male" or "female" end
  for i, v in ipairs(lung:col("ph.ecog")) do ec[i] = v == rad.NA and rad.NA or ("ECOG " .. math.floor(v)) end
  lung:add("sexf", sx)
  lung:add("ecog", ec)
end
local wide = rad.read_csv(D .. "/survival/wide.csv")
local feats = {}
for i = 1, 80 do feats[i] = string.format("f%02d", i) end

-- ---- forest ------------------------------------------------------------------------------

do
  local m = rad.cox(lung, {time = "time", event = "status", x = {"age", "sex", "ph.ecog", "wt.loss"}})
  local f = rad.plot.forest(m)
  T.like(tostring(f), "forest plot, 4 terms, hazard ratios", "forest: description", true)
  local img, lay, w = check(f, "forest")
  local pb = plot_box(lay)
  local sb = boxes(lay, "sidetable")[1]
  T.ok(sb and sb.x0 >= pb.x1 and sb.x1 <= w, "forest: the estimate and p columns sit right of the plot area")
  -- rows at y = 1..4 on [-0.8, 4.6], reversed; header at 0
  local n = 4
  for i = 1, n do
    local y = ypix(pb, -0.8, n + 0.6, i, true)
    -- the CI segment / square in the plot area, the text in the columns right of it
    T.ok(count_dark(img, pb.x0 + 2, y - 1, pb.x1 - 2, y + 2, 100) >= 3, "forest: row " .. i .. " has its estimate drawn")
    T.ok(sb and count_dark(img, sb.x0, y - 5, sb.x1, y + 5, 100) >= 20,
         "forest: row " .. i .. " has its HR (95 % CI) text")
  end
  local yh = ypix(pb, -0.8, n + 0.6, 0, true)
  T.ok(sb and count_dark(img, sb.x0, yh - 5, sb.x1, yh + 5, 100) >= 20, "forest: header row drawn")
  -- y tick labels (term names) left of the plot, not over it
  for _, b in ipairs(boxes(lay, "yticks")) do T.ok(b.x1 <= pb.x0 + 0.5, "forest: term names left of the plot") end
  -- factor terms: the reference level of each factor is a row of its own at HR 1
  local mf = rad.cox(lung, {time = "time", event = "status", x = {"age", "sexf", "ecog"}})
  local ff = rad.plot.forest(mf)
  T.like(tostring(ff), "forest plot, 5 terms and 2 reference levels, hazard ratios", "forest: reference rows counted",
         true)
  local _, lf = check(ff, "forest_factors")
  T.is(#boxes(lf, "ytick"), 7, "forest: age, sexf (reference), male, ecog (reference), ECOG 1..3: 7 rows")
  T.is(#boxes(lf, "sidecell"), 2 + 7 + 5, "forest: headings, 7 HR cells, 5 p cells (none for the references)")
  -- single term
  local m1 = rad.cox(lung, {time = "time", event = "status", x = {"age"}})
  local f1 = rad.plot.forest(m1)
  T.like(tostring(f1), "forest plot, 1 term,", "forest: single term", true)
  check(f1, "forest1")
  -- logistic: odds ratios, no intercept row
  local lg = rad.logistic(lung, {y = "status", x = {"age", "sex"}})
  local fl = rad.plot.forest(lg)
  T.like(tostring(fl), "forest plot, 2 terms, odds ratios", "forest: logistic -> odds ratios, intercept left out", true)
  check(fl, "forest_or")
  -- a plain table with a missing estimate
  local fp = rad.plot.forest({labels = {"a", "b", "c"}, estimate = {1.5, 0 / 0, 0.8}, lower = {1.1, 0 / 0, 0.5},
                              upper = {2.0, 0 / 0, 1.3}, p = {0.01, 0 / 0, 0.4}}, {measure = "HR"})
  T.like(table.concat(fp:notes(), "\n"), "1 term without a finite estimate", "forest: NaN row noted", true)
  check(fp, "forest_plain")
  T.errors(function() rad.plot.forest({labels = {}, estimate = {}, lower = {}, upper = {}}) end, "no terms",
           "forest: empty input")
  T.errors(function() rad.plot.forest(m, {colour = "red"}) end, "colour", "forest: unknown option named")
  T.errors(function() rad.plot.forest({labels = {"a"}, estimate = {1}, lower = {1, 2}, upper = {1}}) end,
           "same length", "forest: length mismatch")
end

-- ---- lasso -------------------------------------------------------------------------------

do
  local path = rad.coxnet(wide, {time = "time", event = "event", x = feats})
  local cv = rad.coxnet_cv(wide, {time = "time", event = "event", x = feats, folds = 5, seed = 3})
  local f = rad.plot.lasso(path, cv)
  local img, lay = check(f, "lasso")
  T.like(tostring(f), "lasso path, 80 features", "lasso: description", true)
  local p1, p2 = plot_box(lay, 1), plot_box(lay, 2)
  T.ok(p1 and p2 and p2.y0 > p1.y1, "lasso: CV panel below the path panel")
  -- the labels of the 5 largest coefficients sit right of the plot area (not in a strip of it),
  -- and the CV panel keeps the same plot width, so the two log(lambda) axes line up
  local sc = boxes(lay, "sidecell")
  T.is(#sc, 5, "lasso: 5 coefficient labels")
  local right = true
  for _, b in ipairs(sc) do right = right and b.x0 >= p1.x1 end
  T.ok(right, "lasso: labels right of the path panel's plot area")
  T.ok(math.abs(p1.x0 - p2.x0) < 0.5 and math.abs(p1.x1 - p2.x1) < 0.5,
       string.format("lasso: panels aligned (x %.1f..%.1f and %.1f..%.1f)", p1.x0, p1.x1, p2.x0, p2.x1))
  -- coloured paths: many non-white pixels in the path panel, CV points in the lower one
  T.ok(count_dark(img, p1.x0, p1.y0, p1.x1, p1.y1, 200) > 2000, "lasso: paths drawn")
  T.ok(count_dark(img, p2.x0, p2.y0, p2.x1, p2.y1, 200) > 500, "lasso: CV curve drawn")
  -- the CV result alone (its fit is the path) gives the same figure
  local f2 = rad.plot.lasso(cv, {title = "Lasso"})
  T.is(#boxes(f2:layout(), "plot"), 2, "lasso: CV result alone draws both panels")
  local f3 = rad.plot.lasso(path)
  T.is(#boxes(f3:layout(), "plot"), 1, "lasso: path alone, one panel")
  check(f3, "lasso_path")
  T.errors(function() rad.plot.lasso({}) end, "lambda", "lasso: not a path")
  T.errors(function() rad.plot.lasso(path, {bogus = 1}) end, "bogus", "lasso: unknown option")
end

-- ---- heatmap -----------------------------------------------------------------------------

do
  local c30 = {}
  for i = 1, 30 do c30[i] = feats[i] end
  local f = rad.plot.heatmap(wide, {columns = c30})
  local img, lay = check(f, "heatmap")
  T.like(tostring(f), "correlation heatmap, 30 variables, Spearman", "heatmap: description", true)
  local pb = plot_box(lay)
  T.ok(math.abs((pb.x1 - pb.x0) - (pb.y1 - pb.y0)) < 2, "heatmap: square cells")
  local cell = (pb.x1 - pb.x0) / 30
  -- the diagonal is r = 1: dark red; check three diagonal cells
  for _, k in ipairs{1, 15, 30} do
    local v = darkest(img, pb.x0 + (k - 0.5) * cell, pb.y0 + (k - 0.5) * cell, 0)
    T.ok(v < 110, "heatmap: diagonal cell " .. k .. " is dark red (grey " .. v .. ")")
  end
  T.is(#boxes(lay, "colorbar"), 1, "heatmap: colour bar")
  for _, b in ipairs(boxes(lay, "colorbar")) do T.ok(b.x0 >= pb.x1, "heatmap: colour bar right of the map") end
  -- constant column: noted, drawn grey
  local n = wide:nrow()
  local x1, cst, x3 = wide:col("f01"), {}, wide:col("f03")
  for i = 1, n do cst[i] = 2 end
  local m = {}
  for i = 1, n do m[i] = {x1[i], cst[i], x3[i]} end
  local fc = rad.plot.heatmap(m, {names = {"f01", "const", "f03"}, method = "pearson", order = "none"})
  T.like(table.concat(fc:notes(), "\n"), "1 column constant", "heatmap: constant column noted", true)
  local imc, layc = check(fc, "heatmap_const")
  local pc = plot_box(layc)
  local cc = (pc.x1 - pc.x0) / 3
  local g = px(imc, pc.x0 + 0.15 * cc, pc.y0 + 1.15 * cc) -- off the "NA" written in the cell
  T.ok(g > 180 and g < 220, "heatmap: undefined correlation drawn light grey (" .. g .. ")")
  -- 80 variables: labels thinned with a note
  local f80 = rad.plot.heatmap(wide, {columns = feats})
  T.like(table.concat(f80:notes(), "\n"), "name shown", "heatmap: 80 names thinned with a note", true)
  check(f80, "heatmap80")
  T.errors(function() rad.plot.heatmap(wide, {method = "kendall"}) end, "method", "heatmap: bad method")
  T.errors(function() rad.plot.heatmap({}) end, "empty", "heatmap: empty matrix")
  T.errors(function() rad.plot.heatmap(wide, {columns = {"nope"}}) end, "nope", "heatmap: unknown column")
end

-- ---- nomogram ----------------------------------------------------------------------------

do
  local m = rad.cox(lung, {time = "time", event = "status", x = {"age", "sexf", "ecog"}})
  local nomo = validate.nomogram(m, {at = 365, data = lung})
  local f = rad.plot.nomogram(nomo, {at_label = "1 year"})
  T.like(tostring(f), "nomogram, 3 terms, survival at 1 year", "nomogram: description", true)
  local img, lay = check(f, "nomogram")
  local pb = plot_box(lay)
  -- rows 1..6 on [0.45, 6.55] reversed: the Points line (row 1) and the
  -- Total points line (row 5) are long horizontal dark runs
  for _, r in ipairs{1, 5} do
    local y = ypix(pb, 0.45, 6.55, r, true)
    local best = 0
    for dy = -2, 2 do best = math.max(best, count_dark(img, pb.x0, y + dy, pb.x1, y + dy + 1, 128)) end
    T.ok(best > (pb.x1 - pb.x0) * 0.5, "nomogram: scale line of row " .. r .. " drawn (" .. best .. " px)")
  end
  -- straight from the Cox fit: the same nomogram
  local fm = rad.plot.nomogram(m, {at = 365, data = lung, at_label = "1 year"})
  T.is(tostring(fm), tostring(f), "nomogram: a Cox fit gives the same figure as validate.nomogram's result")
  T.errors(function() rad.plot.nomogram(m) end, "with a Cox model give {at", "nomogram: Cox fit without at")
  -- one-term model
  local m1 = rad.cox(lung, {time = "time", event = "status", x = {"age"}})
  local f1 = rad.plot.nomogram(validate.nomogram(m1, {at = 365, data = lung}))
  T.like(tostring(f1), "nomogram, 1 term, survival at 365", "nomogram: single term", true)
  check(f1, "nomogram1")
  -- at 30 days survival only runs from about 0.97 to 0.94 over the points: the scale is drawn on
  -- that narrow range (it had one label before), on the row of the last row name
  local f30 = rad.plot.nomogram(validate.nomogram(m1, {at = 30, data = lung}), {at_label = "30 days"})
  local l30 = f30:layout()
  local rows = boxes(l30, "ytick")
  T.is(#rows, 4, "nomogram: 4 row names (Points, age, Total points, Survival) as measured labels")
  local last = rows[1]
  for _, b in ipairs(rows) do if b.y0 > last.y0 then last = b end end
  local nlab = 0
  for _, b in ipairs(boxes(l30, "text")) do
    if b.y1 > last.y0 - (last.y1 - last.y0) and b.y0 < last.y1 then nlab = nlab + 1 end
  end
  T.ok(nlab >= 3, "nomogram: survival at 30 days has " .. nlab .. " scale labels (at least 3)")
  T.errors(function() rad.plot.nomogram({}) end, "validate.nomogram", "nomogram: wrong input")
end

-- ---- box / violin / strip ----------------------------------------------------------------

do
  local ages = lung:col("age")
  local lo, hi = math.huge, -math.huge
  local fem = {}
  for i, v in ipairs(ages) do
    lo, hi = math.min(lo, v), math.max(hi, v)
    if lung:get(i, "sexf") == "female" then fem[#fem + 1] = v end
  end
  local span = hi - lo
  for _, kind in ipairs{"box", "violin", "strip"} do
    local f = rad.plot.box(lung, {y = "age", group = "sexf", kind = kind, ylabel = "Age (years)"})
    T.like(tostring(f), kind .. " plot, 2 groups, n = 228, Mann-Whitney p = 0.057", kind .. ": description", true)
    local img, lay = check(f, kind)
    if kind == "box" then
      -- the median line of group 1 (female) at x = 1 on [0.4, 2.6]
      local pb = plot_box(lay)
      local y = ypix(pb, lo - span * 0.06, hi + span * 0.06, median(fem), false) -- the p value is above the plot area
      local x = xpix(pb, 0.4, 2.6, 1)
      T.ok(darkest(img, x, y, 1) < 60, "box: median line of group 1 where the data puts it")
    end
  end
  -- Kruskal-Wallis: Hollander & Wolfe's example in R's kruskal.test: p = 0.68
  local hw = rad.table.new{{"y", {2.9, 3.0, 2.5, 2.6, 3.2, 3.8, 2.7, 4.0, 2.4, 2.8, 3.4, 3.7, 2.2, 2.0}},
                           {"g", {"a", "a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c", "c"}}}
  local fk = rad.plot.box(hw, {y = "y", group = "g"})
  T.like(tostring(fk), "Kruskal-Wallis p = 0.68", "box: Kruskal-Wallis p as R", true)
  check(fk, "box_kw")
  -- one group, missing values noted
  -- a group of one is a point (about 5 pt tall), not a violin; the other group's violin keeps its
  -- tails inside the plot area (the axis covers them)
  do
    local one = rad.table.new{{"y", {1, 2, 3, 4, 5, 10}}, {"g", {"a", "a", "a", "a", "a", "b"}}}
    for _, kind in ipairs{"box", "violin", "strip"} do
      local img1, lay1 = check(rad.plot.box(one, {y = "y", group = "g", kind = kind}), kind .. "_one")
      local pb = plot_box(lay1)
      local x = xpix(pb, 0.4, 2.6, 2)
      local rows = 0
      for j = math.floor(pb.y0), math.ceil(pb.y1) - 1 do
        if px(img1, x, j) < 160 then rows = rows + 1 end
      end
      -- a 5 pt marker with its outline is 12 px at 150 dpi, plus a pixel of anti-aliasing each side
      T.ok(rows > 0 and rows <= 14, kind .. ": the group of one is a point (" .. rows .. " dark rows at its x)")
      if kind == "violin" then
        local x1 = xpix(pb, 0.4, 2.6, 1)
        -- (the x axis line, 0.8 pt, reaches 2 px above the plot area's bottom)
        T.ok(count_dark(img1, x1 - 3, pb.y0, x1 + 3, pb.y0 + 2, 250) == 0 and
             count_dark(img1, x1 - 3, pb.y1 - 5, x1 + 3, pb.y1 - 3, 250) == 0,
             "violin: nothing drawn at the top and bottom edges of the plot area (the tails are not cut)")
      end
    end
  end
  local f1 = rad.plot.box(lung, {y = "wt.loss", kind = "violin"})
  T.like(tostring(f1), "violin plot, 1 group", "box: one group", true)
  T.like(table.concat(f1:notes(), "\n"), "14 rows with a missing value", "box: NA rows noted", true)
  check(f1, "violin1")
  T.errors(function() rad.plot.box(lung, {y = "age", kind = "bar"}) end, "kind", "box: bad kind")
  T.errors(function() rad.plot.box(lung, {y = "agee"}) end, "age", "box: misspelt column suggested")
  T.errors(function() rad.plot.box(lung, {group = "sex"}) end, "option y", "box: y required")
end

-- ---- waterfall ---------------------------------------------------------------------------

do
  local f = rad.plot.waterfall(lung, {score = "age", outcome = "status"})
  T.like(tostring(f), "waterfall, n = 228, 165 Event, 63 No event", "waterfall: description", true)
  local img, lay = check(f, "waterfall")
  local pb = plot_box(lay)
  local ages = lung:col("age")
  local md = median(ages)
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(ages) do lo, hi = math.min(lo, v - md), math.max(hi, v - md) end
  local ylo, yhi = math.min(0, lo), math.max(0, hi)
  local r = yhi - ylo
  -- the first (largest) bar at x = 1 reaches half its height; the last is below 0
  local x = xpix(pb, 0, 229, 1)
  local y = ypix(pb, ylo - r * 0.04, yhi + r * 0.04, hi / 2, false)
  T.ok(darkest(img, x, y, 0) < 170, "waterfall: first bar drawn at its height")
  local xl = xpix(pb, 0, 229, 228)
  local yl = ypix(pb, ylo - r * 0.04, yhi + r * 0.04, lo / 2, false)
  T.ok(darkest(img, xl, yl, 0) < 170, "waterfall: last bar drawn below zero")
  local lg = boxes(lay, "legend")
  T.is(#lg, 1, "waterfall: one legend")
  local clear = true
  for _, b in ipairs(lg) do
    for _, k in ipairs{"xticks", "yticks", "ylabel", "xlabel"} do
      for _, t in ipairs(boxes(lay, k)) do if overlap(b, t) then clear = false end end
    end
  end
  T.ok(clear, "waterfall: legend clear of tick and axis labels")
  -- arrays, a NaN score
  local s = {0.3, -0.2, 0 / 0, 1.1, 0.5}
  local fw = rad.plot.waterfall(s, {outcome = {1, 0, 1, 1, 0}, centre = 0.25, labels = {"alive", "dead"}})
  T.like(table.concat(fw:notes(), "\n"), "1 patient with a missing score", "waterfall: NaN noted", true)
  T.like(tostring(fw), "n = 4, 2 dead, 2 alive, centred at the cut-off 0.25", "waterfall: arrays", true)
  check(fw, "waterfall_arr")
  T.errors(function() rad.plot.waterfall({}, {}) end, "no scores", "waterfall: empty")
  T.errors(function() rad.plot.waterfall({1, 2, 3}, {outcome = {0, 1, 2}}) end, "two values",
           "waterfall: three outcome values")
end

T.done()
