-- %% [markdown]
-- # 2. First-order features and discretisation
--
-- First-order features describe the distribution of intensities in the ROI and
-- ignore where the voxels are. IBSI defines two families:
--
-- - **intensity statistics** (`stat_*`, IBSI family *Intensity-based statistics*,
--   UHIW) computed on the intensities themselves, e.g. mean (Q4LE), variance
--   (ECT3), skewness (KE2A);
-- - **intensity histogram** features (`ih_*`, ZVCW) computed on *discretised* grey
--   levels 1, 2, ..., e.g. mean discretised intensity (X6K6), entropy (TLU2),
--   uniformity (BJ5W).
--
-- Discretisation (IBSI 2.7) groups intensities into bins. Its two methods:
--
-- - **FBS**, fixed bin size w: bin = floor((x - x_min) / w) + 1, with x_min a fixed
--   lower edge (here -200 HU). The bins keep a physical meaning (25 HU each).
-- - **FBN**, fixed bin number N: bin = floor(N (x - min) / (max - min)) + 1 over the
--   ROI's own range (the maximum goes into bin N). Every ROI gets N bins.

-- %%
local img, mask = rad.synth.abdomen{seed = 1}   -- a synthetic abdominal CT, tumour = label 1
print(img); print(mask)
local st = img:stats(mask)
print(string.format("ROI: %d voxels, %.0f .. %.0f HU, mean %.2f HU", st.n, st.min, st.max, st.mean))

-- %% [markdown]
-- ## Discretising by hand
--
-- We discretise the ROI with FBS (w = 25 HU, x_min = -200 HU) in plain Lua and
-- average the bin numbers: that is `ih_mean`. Then radlab does the same.

-- %%
local values = {}
local nx, ny, nz = img:size()
for k = 1, nz do for j = 1, ny do for i = 1, nx do
  if mask:get(i, j, k) == 1 then values[#values + 1] = img:get(i, j, k) end
end end end
local sum = 0
for _, x in ipairs(values) do sum = sum + (math.floor((x - (-200)) / 25) + 1) end
local by_hand = sum / #values
local fbs25 = {round = true, families = {"stat", "ih"}, discretise = {method = "fbs", width = 25, min = -200}}
local fs = rad.extract(img, mask, fbs25)
print(string.format("ih_mean by hand %.10f, radlab %.10f, difference %.1e", by_hand, fs.ih_mean, by_hand - fs.ih_mean))
print(string.format("an intensity of %.0f HU (the ROI mean) falls in bin %d", st.mean, math.floor((st.mean + 200) / 25) + 1))

-- %%
rad.plot.show(rad.plot.histogram(img, mask, fbs25), "ROI histogram with the FBS bin edges (25 HU from -200 HU)")

-- %% [markdown]
-- ## Bin width moves `ih_*`, not `stat_*`
--
-- We extract the same ROI with four bin widths and four bin numbers. The
-- `stat_*` columns are computed before discretisation and never change; the
-- histogram features follow the grey-level scale: halving the bin width roughly
-- doubles `ih_mean`, quadruples `ih_var` and adds about log2(2) = 1 bit to the
-- entropy (`ih_entropy`, in bits).

-- %%
local rows = {}
local function run(label, disc)
  local f = rad.extract(img, mask, {round = true, families = {"stat", "ih"}, discretise = disc})
  rows[#rows + 1] = {label, f.stat_mean, f.stat_var, f.ih_max, f.ih_mean, f.ih_var, f.ih_entropy, f.ih_uniformity}
end
for _, w in ipairs{5, 10, 25, 50} do run("FBS w=" .. w, {method = "fbs", width = w, min = -200}) end
for _, n in ipairs{8, 16, 32, 64} do run("FBN N=" .. n, {method = "fbn", bins = n}) end
print(string.format("%-10s %9s %9s %7s %8s %8s %8s %8s", "method", "stat_mean", "stat_var",
  "ih_max", "ih_mean", "ih_var", "ih_entr", "ih_unif"))
for _, r in ipairs(rows) do
  print(string.format("%-10s %9.2f %9.2f %7d %8.3f %8.3f %8.3f %8.4f", table.unpack(r)))
end

-- %% [markdown]
-- With FBN the number of bins is fixed but their width is (max - min) / N of
-- *this* ROI: a single bright calcification stretches the range (here up to
-- 589 HU, a range of 619 HU) and squeezes the soft tissue into few bins: with
-- FBN N = 8 each bin is 77 HU wide and most of the tumour falls in bins 1 and 2
-- (`ih_mean` 1.68, `ih_entropy` 1.00 bit).

-- %%
rad.plot.show(rad.plot.histogram(img, mask, {round = true, discretise = {method = "fbn", bins = 8}}),
  "The same ROI with FBN, 8 bins over the ROI's range")

-- %% [markdown]
-- ## A scanner offset: FBS keeps HU, FBN forgets them
--
-- Add 40 HU to every voxel (a calibration offset). `stat_mean` moves by 40,
-- `stat_var` does not. With FBS from a fixed x_min the discretised mean moves by
-- 40 / 25 = 1.6 bins; FBN re-scales to the ROI's range, so its `ih_*` do not move.

-- %%
local shifted = img:copy()
for k = 1, nz do for j = 1, ny do for i = 1, nx do shifted:set(i, j, k, img:get(i, j, k) + 40) end end end
for _, disc in ipairs{{method = "fbs", width = 25, min = -200}, {method = "fbn", bins = 32}} do
  local s = {round = true, families = {"stat", "ih"}, discretise = disc}
  local a, b = rad.extract(img, mask, s), rad.extract(shifted, mask, s)
  print(string.format("%s: stat_mean %+.2f, stat_var %+.2f, ih_mean %+.3f, ih_entropy %+.3f", disc.method,
    b.stat_mean - a.stat_mean, b.stat_var - a.stat_var, b.ih_mean - a.ih_mean, b.ih_entropy - a.ih_entropy))
end

-- %% [markdown]
-- ## Try this
--
-- 1. Add `resegment = {range = {-200, 400}}` to the settings: which `stat_*` values change, and why
--    does the FBN table change so much more than the FBS one?
-- 2. Find the bin width at which `ih_entropy` drops below 1 bit.
-- 3. Multiply every voxel by 1.1 instead of adding 40 HU: which method's `ih_*` features stay put now?
-- 4. Compare `ih_median` and `stat_median` for FBS w = 25: convert the bin back to HU (lower edge
--    -200 + 25 (bin - 1)) and check it brackets `stat_median`.
-- 5. Change `seed = 1` in `rad.synth.abdomen`: is the FBN N = 8 result stable across tumours?
