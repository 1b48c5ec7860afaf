-- %% [markdown]
-- # 5. Feature robustness
--
-- A feature is only useful if it measures the tumour rather than the accidents
-- of one scan: noise, the patient lying a little differently, a contour drawn a
-- voxel wider. Without repeat scans we can *simulate* those accidents
-- (Zwanenburg et al. 2019, the MIRP approach): perturb each image and mask a
-- few times, extract the features of every copy, and ask how much of a
-- feature's variance lies *between patients* rather than between copies of the
-- same patient. That fraction is the **intraclass correlation**, here ICC(2,1)
-- (Shrout & Fleiss: two-way random effects, absolute agreement, one rating).
-- A common reading (Koo & Li 2016): below 0.5 poor, 0.5-0.75 moderate,
-- 0.75-0.9 good, above 0.9 excellent.

-- %%
local robust = require "rad.robust"
local dir = os.tmpname(); os.remove(dir); os.execute("mkdir -p '" .. dir .. "'")
local cohort = rad.demo.neuroblastoma{n = 8, seed = 3, dir = dir}   -- 8 synthetic patients
print(cohort:select("id", "centre", "stage", "mycn"))

-- %% [markdown]
-- ## One perturbation
--
-- `rad.perturb` adds Gaussian noise at the image's own noise level (estimated
-- with Immerkaer's method, `rad.image.noise_sd`), rotates about the z axis
-- through the ROI centre, translates by a fraction of a voxel and grows or
-- shrinks the ROI by a volume fraction. It is seeded: the same seed gives the
-- same copy.

-- %%
local img = rad.read(dir .. "/" .. cohort:get(1, "image"))
local mask = rad.read_mask(dir .. "/" .. cohort:get(1, "mask"), {label = 1})
print(string.format("estimated noise SD: %.1f HU", rad.image.noise_sd(img)))
local img2, mask2 = rad.perturb(img, mask, {noise = true, rotate = 4, translate = {0.4, 0, 0}, volume = -0.1, seed = 1})
print("ROI voxels:", mask:count(), "->", mask2:count())
local k = (mask:bbox().min[3] + mask:bbox().max[3]) // 2
local a = rad.plot.slice(img, {mask = mask, index = k, window = "soft"}); a:title("original")
local b = rad.plot.slice(img2, {mask = mask2, index = k, window = "soft"}); b:title("perturbed")
rad.plot.show(rad.plot.page{figures = {a, b}, columns = 2},
  "Case " .. cohort:get(1, "id") .. ": noise, 4 degree rotation, 0.4 voxel shift, ROI shrunk by 10 %")

-- %% [markdown]
-- ## ICC over the cohort
--
-- `robust.cohort` draws `n` perturbations per case (rotation in [-4, 4] degrees,
-- translation up to half a voxel, volume change in [-10 %, +10 %], noise),
-- extracts every copy with the settings and returns the ICC per feature with
-- its 95 % confidence interval. Eight cases x five copies keep this fast; a
-- real study would use more of both.

-- %%
local settings = {round = true, families = {"morph", "stat", "ih", "cm", "rlm", "szm"},
  resegment = {range = {-200, 400}}, discretise = {method = "fbs", width = 25}}
local icc = robust.cohort(dir .. "/manifest.csv", settings, {n = 5, seed = 1, threads = 2})
print(icc:nrow() .. " features")

-- %%
local feats, vals, lows = icc:col("feature"), icc:col("icc"), icc:col("lower")
local fam = {}
local order = {}
for i, f in ipairs(feats) do
  local p = f:match("^(%a+)_")
  fam[p] = fam[p] or {n = 0, good = 0, sure = 0, sum = 0}
  local s = fam[p]
  s.n = s.n + 1
  if vals[i] ~= rad.NA then
    s.sum = s.sum + vals[i]
    if vals[i] >= 0.75 then s.good = s.good + 1 end
    if lows[i] ~= rad.NA and lows[i] >= 0.75 then s.sure = s.sure + 1 end
    order[#order + 1] = i
  end
end
print(string.format("%-6s %5s %10s %10s %12s", "family", "n", "mean ICC", "ICC>=0.75", "lower>=0.75"))
local total, kept = 0, 0
for _, p in ipairs{"morph", "stat", "ih", "cm", "rlm", "szm"} do
  local s = fam[p]
  print(string.format("%-6s %5d %10.3f %10d %12d", p, s.n, s.sum / s.n, s.good, s.sure))
  total, kept = total + s.n, kept + s.good
end
print(string.format("%d of %d features reach ICC >= 0.75", kept, total))

-- %%
table.sort(order, function(x, y) return vals[x] < vals[y] end)
print("least robust:")
for r = 1, 5 do local i = order[r]; print(string.format("  %-28s %.3f [%.3f, %.3f]", feats[i], vals[i], lows[i], icc:col("upper")[i])) end
print("most robust:")
for r = #order - 4, #order do local i = order[r]; print(string.format("  %-28s %.3f [%.3f, %.3f]", feats[i], vals[i], lows[i], icc:col("upper")[i])) end

-- %% [markdown]
-- In this run 147 of the 166 features reach 0.75, and 130 when the lower
-- confidence bound must reach it. The least robust are the extremes
-- (`ih_max`, `ih_range`, `stat_min`, `ih_min`, `stat_range`): each rests on one or
-- two voxels, which noise and a slightly different contour change. GLCM
-- features come out best here (48 of 50), size-zone features worst (10 of 16).
-- An ICC of exactly 1 (`ih_p90`) means the value never changed within any case:
-- the 90th percentile stayed in the same 25 HU bin for every copy.
--
-- Every feature's ICC, sorted, by family, with the 0.75 threshold:

-- %%
local series, colours = {}, {}
for rank, i in ipairs(order) do
  local p = feats[i]:match("^(%a+)_")
  if not colours[p] then
    colours[p] = {x = {}, y = {}, label = p, kind = "points"}
    series[#series + 1] = colours[p]
  end
  local s = colours[p]
  s.x[#s.x + 1] = rank; s.y[#s.y + 1] = vals[i]
end
series[#series + 1] = {x = {1, #order}, y = {0.75, 0.75}, label = "ICC = 0.75", kind = "line", dash = "dashed"}
rad.plot.show(rad.plot.lines(series, {xlabel = "feature (sorted by ICC)", ylabel = "ICC(2,1)",
  ylim = {math.min(0, vals[order[1]]), 1}, title = "Feature robustness to perturbation"}),
  "ICC(2,1) of each feature over 8 cases x 5 perturbations")

-- %% [markdown]
-- ## Keeping the robust features
--
-- In a study, `robust.filter` is a selection step: fitted on a feature table it
-- drops the features below the threshold (here on the ICC itself; `type = "lower"`
-- uses the lower confidence bound, a stricter rule).

-- %%
local features = rad.extract_cohort(dir .. "/manifest.csv", settings, {threads = 2, progress = false})
local cols = {}
for _, f in ipairs(feats) do cols[#cols + 1] = f end   -- the features the ICC table rates
for _, typ in ipairs{"icc", "lower"} do
  local fitted = robust.filter{icc = icc, threshold = 0.75, type = typ}:fit(features, cols)
  print(string.format("type = %-5s keeps %d of %d features", typ, #fitted.keep, #cols))
end
os.execute("rm -rf '" .. dir .. "'")

-- %% [markdown]
-- ## Try this
--
-- 1. Re-run with `{n = 5, seed = 2}`: which families change their counts? With only five copies
--    of eight cases the ICC itself is uncertain; look at the confidence intervals.
-- 2. Perturb only the contour (`noise = false, rotate = 0, translate = 0`) and then only the noise:
--    which families suffer from which?
-- 3. Change the bin width to 10 HU: are `ih_*` and `cm_*` more or less robust?
-- 4. Generate 8 patients with another cohort seed: do the same features fail?
-- 5. Why can a feature with tiny perturbation variance still have a low ICC? (Hint: what if all
--    patients have nearly the same value?)
