-- radlab benchmark: survival and diagnostic charts (issue 6).  Prints figures;
-- asserts nothing.  RADLAB_DATA=/path/to/data ./radlab tests/bench/plot.lua
--   Kaplan-Meier by sex on R's lung data (2 groups, CI bands, censor ticks,
--   log-rank p, number-at-risk table): build + render to PNG at 150 dpi,
--   and build + render at 300 dpi; ROC of a logistic model on lung_1y
--   (2 curves) at 150 dpi.  Each is the median of `reps` runs (CPU time).
-- SPDX-License-Identifier: GPL-3.0-or-later
local data = os.getenv("RADLAB_DATA") or "../shared/data"
local reps = 20
local tmpbase = os.tmpname()
local out = tmpbase .. ".png"

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
  print(string.format("%-72s %8.1f ms", label, ms))
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

-- model charts: forest of a Cox fit, lasso path + CV on wide.csv, heatmap
local cox = rad.cox(lung, {time = "time", event = "status", x = {"age", "sex", "ph.ecog", "wt.loss"}})
report("forest (Cox, 4 terms): build + render PNG, 150 dpi", median_ms(function()
  rad.plot.forest(cox):save(out)
end))
local wide = rad.read_csv(data .. "/survival/wide.csv")
local feats = {}
for j = 1, 80 do feats[j] = string.format("f%02d", j) end
local cv = rad.coxnet_cv(wide, {time = "time", event = "event", x = feats, folds = 10, seed = 1})
report("lasso path + CV curve (80 features, 2 panels): build + render, 150 dpi", median_ms(function()
  rad.plot.lasso(cv.fit, cv):save(out)
end))
report("correlation heatmap, 80 features, clustered: build + render, 150 dpi", median_ms(function()
  rad.plot.heatmap(wide, {columns = feats}):save(out)
end))

-- image views on the IBSI CT phantom (204 x 201 x 60) and a 60-slice montage
local ok, img = pcall(rad.read, data .. "/ibsi1/ct_phantom/image.nii.gz")
if ok then
  local mask = rad.read_mask(data .. "/ibsi1/ct_phantom/mask.nii.gz")
  reps = 5
  report("CT slice with mask contour: build + render PNG, 150 dpi", median_ms(function()
    rad.plot.slice(img, {mask = mask, window = "soft"}):save(out)
  end))
  -- every slice of the image (60), the ROI drawn where it is
  local all = rad.mask.new(img)
  local nx, ny, nz = img:size()
  for k = 1, nz do all:set(nx // 2, ny // 2, k, 1) end
  report("montage of 60 slices (204 x 201, uncropped): build + render PNG, 150 dpi", median_ms(function()
    rad.plot.montage(img, all, {count = 60, crop = false, window = "soft"}):save(out)
  end))
  report("ROI histogram with FBS bin edges: build + render PNG, 150 dpi", median_ms(function()
    rad.plot.histogram(img, mask, {discretise = {method = "fbs", width = 25}, resegment = {range = {-1000, 400}}}):save(out)
  end))
else
  print("CT phantom not found under " .. data .. "/ibsi1: image views not measured")
end
-- what the correctness suite used to time (tests/lua/plot_image.lua, plot_model.lua)
do
  reps = 5
  local big = rad.image.new{size = {96, 96, 60}, spacing = {0.8, 0.8, 2}, value = 20}
  local bigm = rad.mask.new(big)
  for k = 1, 60 do for j = 30, 60 do for i = 30, 60 do
    if (i - 45) ^ 2 + (j - 45) ^ 2 < 200 then bigm:set(i, j, k, 1) end
  end end end
  report("montage of 60 slices (96 x 96, uncropped): build + render PNG, 150 dpi", median_ms(function()
    rad.plot.montage(big, bigm, {crop = false}):save(out)
  end))
  local c30 = {}
  for j = 1, 30 do c30[j] = feats[j] end
  report("correlation heatmap, 30 features: build + render PNG, 150 dpi", median_ms(function()
    rad.plot.heatmap(wide, {columns = c30}):save(out)
  end))
  local kmfig = rad.plot.km(lung, kmopts)
  for _, ext in ipairs{".pdf", ".svg"} do
    report("KM (2 groups, risk table): write " .. ext .. " (vector)", median_ms(function()
      kmfig:save(out .. ext)
    end))
    os.remove(out .. ext)
  end
  local page = rad.plot.page{figures = {kmfig, rad.plot.forest(cox), rad.plot.lasso(cv.fit, cv),
                                        rad.plot.heatmap(wide, {columns = c30})}, title = "Report"}
  report("report page of 4 figures: layout boxes at 300 dpi", median_ms(function()
    page:layout{dpi = 300}
  end))
end
os.remove(out)
os.remove(tmpbase)
