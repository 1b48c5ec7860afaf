-- radlab: tests of rad.perturb, rad.image.noise_sd and rad.robust.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local robust = require "rad.robust"
local rng = require "rad.rng"

-- every voxel of two images (or masks) equal?
local function same(a, b)
  local nx, ny, nz = a:size()
  for k = 1, nz or 1 do for j = 1, ny do for i = 1, nx do
    if a:get(i, j, k) ~= b:get(i, j, k) then return false, string.format("(%d, %d, %d)", i, j, k) end
  end end end
  return true
end

local function slurp(p) local f = assert(io.open(p, "rb")); local s = f:read("a"); f:close(); return s end

-- ---- noise level --------------------------------------------------------------------------
-- A smooth image (f(x) + g(y) + h(z), which Immerkaer's operator annihilates)
-- plus Gaussian noise of SD 10.  The estimator is unbiased for pure noise;
-- per slice it averages |N * noise| over 62 x 62 = 3844 positions, and
-- Var|X| / (E|X|)^2 = pi/2 - 1 gives a relative SE of 0.756 / sqrt(3844) =
-- 1.2 % if the positions were independent; neighbouring responses share
-- voxels, which about doubles it (2.4 %, 0.24 SD units per slice).  The
-- median of 9 slices is then within about 0.1 of 10; we allow 0.5, five
-- such errors, and print the estimate.
local smooth = rad.image.new{size = {64, 64, 9}}
for k = 1, 9 do for j = 1, 64 do for i = 1, 64 do
  smooth:set(i, j, k, 100 + 0.05 * i * i + 3 * j + 10 * k)
end end end
local roi = rad.mask.new(smooth)
for k = 3, 7 do for j = 20, 40 do for i = 20, 40 do roi:set(i, j, k, 1) end end end
T.ok(rad.image.noise_sd(smooth) < 1e-5, "a smooth f(x) + g(y) image has noise SD 0 (float32 rounding only)")
local noisy = rad.perturb(smooth, roi, {noise = 10, seed = 7})
local est = rad.image.noise_sd(noisy)
T.diag("noise SD estimate (Immerkaer, median of 9 slices) for true SD 10: ", est)
T.near(est, 10, 0.5, "noise SD 10 recovered within 0.5")

-- the added noise itself: recomputed here with rad.rng (the same xoshiro256**
-- seeded by splitmix64) and the polar method; float32 storage: 1e-6 relative
local zero = rad.image.new{size = {4, 3, 2}}
local zroi = rad.mask.new(zero); zroi:set(2, 2, 1, 1)
local z1 = rad.perturb(zero, zroi, {noise = 1, seed = 42})
local gen, want = rng.new(42), {}
while #want < 24 do
  local u, w, s
  repeat
    u, w = gen:random() * 2 - 1, gen:random() * 2 - 1
    s = u * u + w * w
  until s < 1 and s ~= 0
  local f = math.sqrt(-2 * math.log(s) / s)
  want[#want + 1] = u * f; want[#want + 1] = w * f
end
local worst = 0
for v = 0, 23 do
  local i, j, k = v % 4 + 1, (v // 4) % 3 + 1, v // 12 + 1
  worst = math.max(worst, math.abs(z1:get(i, j, k) - want[v + 1]) / math.max(1, math.abs(want[v + 1])))
end
T.ok(worst < 1e-6, "the noise is xoshiro256** + polar method, voxel by voxel in index order (max rel. diff " .. worst .. ")")

-- same seed: identical bytes; another seed: different
local dir = T.tmpdir()
local a1 = rad.perturb(noisy, roi, {noise = true, seed = 3})
local a2 = rad.perturb(noisy, roi, {noise = true, seed = 3})
local b1 = rad.perturb(noisy, roi, {noise = true, seed = 4})
a1:write(dir .. "/a1.nii"); a2:write(dir .. "/a2.nii"); b1:write(dir .. "/b1.nii")
T.ok(slurp(dir .. "/a1.nii") == slurp(dir .. "/a2.nii"), "same seed: the same image bytes")
T.ok(slurp(dir .. "/a1.nii") ~= slurp(dir .. "/b1.nii"), "another seed: different bytes")

-- ---- rigid transform ------------------------------------------------------------------------
local id_img, id_mask = rad.perturb(noisy, roi, {rotate = 0, translate = {0, 0, 0}})
T.ok(same(id_img, noisy), "rotate 0, translate 0: the image unchanged (exactly)")
T.ok(same(id_mask, roi), "rotate 0, translate 0: the mask unchanged")

-- quarter turn of a 5x5 image v(i, j) = 10 i + j about the ROI centre (3, 3):
-- rotating +x towards +y, the output at (i, j) comes from (j, 6 - i), so the
-- voxel right of the centre (4, 3) = 43 lands above it at (3, 4).  The ROI
-- (a plus and the diagonal pair (2,2), (4,4), centre (3,3)) turns the same
-- way: (4, 4) -> (2, 4) and (2, 2) -> (4, 2).
local sq = rad.image.new{size = {5, 5}}
local sqm = rad.mask.new(sq)
for j = 1, 5 do for i = 1, 5 do sq:set(i, j, 10 * i + j) end end
for _, p in ipairs({{3, 3}, {2, 3}, {4, 3}, {3, 2}, {3, 4}, {2, 2}, {4, 4}}) do sqm:set(p[1], p[2], 1) end
local r90, r90m = rad.perturb(sq, sqm, {rotate = 90})
T.is(r90:get(3, 4), 43, "90 degrees: (4, 3) moves to (3, 4)")
local ok_img, ok_mask = true, true
for j = 1, 5 do for i = 1, 5 do
  if r90:get(i, j) ~= 10 * j + (6 - i) then ok_img = false end
  if r90m:get(i, j) ~= sqm:get(j, 6 - i) then ok_mask = false end
end end
T.ok(ok_img, "90 degrees: every voxel (i, j) holds v(j, 6 - i)")
T.ok(ok_mask, "90 degrees: the mask turns with it")
T.ok(r90m:get(2, 4) == 1 and r90m:get(4, 2) == 1 and r90m:get(4, 4) == 0 and r90m:get(2, 2) == 0,
  "90 degrees: the diagonal pair moves to the other diagonal")
T.is(r90m:count(), 7, "90 degrees: the ROI keeps its 7 voxels")

-- translation: one voxel in x moves everything right (the first column
-- repeats the border value); half a voxel averages neighbours: at (3, 3) the
-- value of (2.5, 3) = (23 + 33) / 2 = 28; the mask at half a voxel is the
-- mean of two neighbours, kept when >= 0.5
local t1, t1m = rad.perturb(sq, sqm, {translate = {1, 0, 0}})
T.is(t1:get(4, 3), 33, "translate 1 voxel in x: (3, 3) moves to (4, 3)")
T.is(t1:get(1, 3), 13, "translate 1 voxel: the border value fills the first column")
T.ok(t1m:get(5, 3) == 1 and t1m:get(2, 3) == 0 and t1m:get(5, 4) == 1 and t1m:get(3, 2) == 1 and t1m:count() == 7,
  "translate 1 voxel: the mask moves with it")
local th = rad.perturb(sq, sqm, {translate = {0.5, 0, 0}})
T.is(th:get(3, 3), 28, "translate 0.5 voxel: linear interpolation (23 + 33) / 2")

-- ---- erosion, dilation, volume change ---------------------------------------------------------
local box = rad.image.new{size = {9, 9, 9}}
local function cube(lo, hi)
  local m = rad.mask.new(box)
  for k = lo, hi do for j = lo, hi do for i = lo, hi do m:set(i, j, k, 1) end end end
  return m
end
local c5, c3 = cube(3, 7), cube(4, 6)
-- erosion keeps a voxel when its whole neighbourhood is in the ROI: for a
-- cube that is the 3x3x3 interior with either connectivity
local _, e26 = rad.perturb(box, c5, {volume = "erode", connectivity = 26})
local _, e6 = rad.perturb(box, c5, {volume = "erode", connectivity = 6})
T.is(e26:count(), 27, "erosion of a 5x5x5 cube (26-connectivity): 3x3x3 = 27 voxels")
T.is(e6:count(), 27, "erosion of a 5x5x5 cube (6-connectivity): 27 voxels")
T.ok(same(e26, c3), "erosion leaves exactly the interior cube")
-- dilation of a 3x3x3 cube: 26 -> the 5x5x5 cube (125); 6 -> 27 + 6 faces of 9 = 81
local _, d26 = rad.perturb(box, c3, {volume = "dilate", connectivity = 26})
local _, d6 = rad.perturb(box, c3, {volume = "dilate"})
T.is(d26:count(), 125, "dilation of a 3x3x3 cube (26): 125 voxels")
T.is(d6:count(), 81, "dilation of a 3x3x3 cube (6, the default): 27 + 6 x 9 = 81 voxels")
T.is(d6:get(5, 5, 3), 1, "6-dilation adds the face neighbour")
T.is(d6:get(3, 3, 5), 0, "6-dilation adds no edge neighbour")

-- volume -0.2 of the 5x5x5 cube: 100 voxels.  The outer layer (98 voxels)
-- is more than the 25 to remove, so the most exposed go first: the 8
-- corners (19 background voxels among 26 neighbours), then 17 of the 36
-- edge voxels (15 each); the face centres (9) and the interior stay.
local _, v80 = rad.perturb(box, c5, {volume = -0.2})
T.is(v80:count(), 100, "volume -0.2 of 125 voxels: 100 voxels")
T.ok(v80:get(3, 3, 3) == 0 and v80:get(7, 7, 7) == 0 and v80:get(3, 7, 3) == 0, "volume -0.2: corners removed first")
T.ok(v80:get(5, 5, 3) == 1 and v80:get(4, 5, 3) == 1 and same(cube(4, 6), (function()
  local m = rad.mask.new(box)
  for k = 4, 6 do for j = 4, 6 do for i = 4, 6 do m:set(i, j, k, v80:get(i, j, k)) end end end
  return m end)()), "volume -0.2: face voxels and the interior kept")
-- volume +1 of the 3x3x3 cube: 54 voxels; of the 54 face neighbours the 6
-- face centres (9 ROI neighbours) go in first, then 21 of the 24 edge-type
-- ones (6 each), none of the 24 corner-type ones (4)
local _, v2 = rad.perturb(box, c3, {volume = 1})
T.is(v2:count(), 54, "volume +1 of 27 voxels: 54 voxels")
T.ok(v2:get(5, 5, 3) == 1 and v2:get(5, 5, 7) == 1 and v2:get(3, 5, 5) == 1 and v2:get(7, 5, 5) == 1,
  "volume +1: face centres added first")
T.is(v2:get(4, 4, 3), 0, "volume +1: corner-type neighbours not added")
local _, same_v = rad.perturb(box, c5, {volume = 0})
T.ok(same(same_v, c5), "volume 0: the ROI unchanged")

-- ---- ICC ---------------------------------------------------------------------------------------
-- Shrout & Fleiss (1979), 6 targets rated by 4 judges: ICC(1,1) 0.17,
-- ICC(2,1) 0.29, ICC(3,1) 0.71 (published to two decimals)
local sf = {{9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}}
local ids, reps, feats, vals = {}, {}, {}, {}
for i, row in ipairs(sf) do
  for j, v in ipairs(row) do
    ids[#ids + 1] = "p" .. i; reps[#reps + 1] = j; feats[#feats + 1] = "f_sf"; vals[#vals + 1] = v
    -- a second feature: the same ratings reversed per case (a different ICC)
    ids[#ids + 1] = "p" .. i; reps[#reps + 1] = j; feats[#feats + 1] = "f_rev"; vals[#vals + 1] = row[5 - j] * i
  end
end
local long = rad.table.new{{"id", ids}, {"rep", reps}, {"feature", feats}, {"value", vals}}
for _, typ in ipairs({"1,1", "2,1", "3,1"}) do
  local r = robust.icc(long, {type = typ})
  local ref = rad.stats.icc(sf, {type = typ})
  T.is(r:get(1, "feature"), "f_sf", "robust.icc: features in first-seen order")
  T.ok(r:get(1, "icc") == ref.icc and r:get(1, "lower") == ref.lower and r:get(1, "upper") == ref.upper,
    "robust.icc " .. typ .. " equals rad.stats.icc on the same ratings")
  local rev = {}
  for i, row in ipairs(sf) do rev[i] = {row[4] * i, row[3] * i, row[2] * i, row[1] * i} end
  T.is(r:get(2, "icc"), rad.stats.icc(rev, {type = typ}).icc, "robust.icc " .. typ .. ": second feature")
end
T.near(robust.icc(long, {type = "1,1"}):get(1, "icc"), 0.17, 0.005, "Shrout & Fleiss ICC(1,1) = 0.17")
T.near(robust.icc(long, {type = "2,1"}):get(1, "icc"), 0.29, 0.005, "Shrout & Fleiss ICC(2,1) = 0.29")
T.near(robust.icc(long, {type = "3,1"}):get(1, "icc"), 0.71, 0.005, "Shrout & Fleiss ICC(3,1) = 0.71")

-- identical repeats: ICC 1; a feature constant everywhere: NA
local ii, rr, ff, vv = {}, {}, {}, {}
for i = 1, 4 do for r = 1, 3 do
  ii[#ii + 1] = i; rr[#rr + 1] = r; ff[#ff + 1] = "stable"; vv[#vv + 1] = i * i
  ii[#ii + 1] = i; rr[#rr + 1] = r; ff[#ff + 1] = "flat"; vv[#vv + 1] = 5
end end
local same_icc = robust.icc(rad.table.new{{"id", ii}, {"session", rr}, {"feature", ff}, {"value", vv}})
T.is(same_icc:get(1, "icc"), 1, "identical repeats: ICC(2,1) = 1")
T.is(same_icc:get(2, "icc"), rad.NA, "a constant feature: ICC NA")

-- ICC(2,1) of {{1, 9}, {4, 4}}: MSR = 1, MSC = MSE = 16, ICC = -15/17, and the
-- Satterthwaite df of its interval 1 / (7.5^2 + 8.5^2) = 0.0077821, where
-- GSL's F quantile would abort the process: an error instead
T.errors(function() rad.stats.icc({{1, 9}, {4, 4}}, {type = "2,1"}) end,
  "ICC(2,1): the Satterthwaite degrees of freedom of the confidence interval are 0.0077821, below 1 (2 cases x 2 raters)",
  "rad.stats.icc: df below 1 is an error, not an abort")

-- ---- robust.filter ---------------------------------------------------------------------------
local icct = rad.table.new{{"feature", {"a", "b", "c", "d"}}, {"icc", {0.9, 0.75, 0.7499, rad.NA}},
  {"lower", {0.8, 0.6, 0.5, rad.NA}}, {"upper", {0.95, 0.9, 0.9, rad.NA}}}
local train = rad.table.new{{"id", {1, 2, 3}}, {"a", {1, 2, 3}}, {"b", {3, 1, 2}}, {"c", {0, 1, 0}},
  {"d", {5, 5, 6}}, {"y", {0, 1, 1}}}
local fit = robust.filter{icc = icct, threshold = 0.75}:fit(train, {"a", "b", "c", "d"})
T.is(table.concat(fit.keep, ","), "a,b", "robust.filter keeps ICC >= 0.75 (0.9, 0.75), not 0.7499 or NA")
T.is(table.concat(fit:apply(train):names(), ","), "id,a,b,y", "fitted:apply drops only the unstable features")
local fitl = robust.filter{icc = icct, threshold = 0.75, type = "lower"}:fit(train)
T.is(table.concat(fitl.keep, ","), "a", "type = lower: only the lower bound 0.8 passes; default columns: those in the ICC table")
local sel = require "rad.select"
local pipe = sel.pipeline{y = "y", id = "id", cols = {"a", "b", "c", "d"},
  robust.filter{icc = icct, threshold = 0.75}}:fit(train)
T.is(table.concat(pipe.selected, ","), "a,b", "robust.filter as a select.pipeline step")

-- ---- perturbation driver ----------------------------------------------------------------------
local settings = {families = {"stat", "morph"}}
local pl, params = robust.perturbation(noisy, roi, settings, {n = 3, seed = 5})
local nfeat = rad.extract(noisy, roi, settings):count()
T.is(pl:nrow(), 3 * nfeat, "robust.perturbation: n x features rows (long)")
T.is(table.concat(pl:names(), ","), "perturbation,feature,value", "long columns")
local pl2 = robust.perturbation(noisy, roi, settings, {n = 3, seed = 5})
local eq = true
for i, v in ipairs(pl:col("value")) do if pl2:col("value")[i] ~= v then eq = false end end
T.ok(eq, "robust.perturbation: the same seed gives the same features")
local inrange = true
for i = 1, 3 do
  local p = params:row(i)
  if math.abs(p.rotate) > 4 or math.abs(p.dx) > 0.5 or math.abs(p.dy) > 0.5 or math.abs(p.volume) > 0.1 then
    inrange = false
  end
end
T.ok(inrange, "drawn parameters within rotate {-4, 4}, translate 0.5, volume {-0.1, 0.1}")
-- a perturbation redone from its row of the parameters table: the same features
do
  local row = params:row(2)
  T.is(math.type(tonumber(row.seed)), "integer", "the seed column gives back an integer")
  local pimg, pmask = rad.perturb(noisy, roi, {seed = tonumber(row.seed), noise = true, rotate = row.rotate,
    translate = {row.dx, row.dy, 0}, volume = row.volume})
  local redo = rad.extract(pimg, pmask, settings):table()
  local same, n = 0, 0
  for i, p in ipairs(pl:col("perturbation")) do
    if p == 2 then
      n = n + 1
      local f, v = pl:col("feature")[i], pl:col("value")[i]
      if redo[f] == v or (v ~= v and redo[f] ~= redo[f]) then same = same + 1 end
    end
  end
  T.is(same, n, string.format("perturbation 2 redone from its parameters row: %d of %d features equal", same, n))
end
local wide = robust.perturbation(noisy, roi, settings, {n = 2, seed = 5, format = "wide"})
T.is(wide:nrow(), 2, "wide: one row per perturbation")
T.is(wide:ncol(), nfeat + 1, "wide: perturbation + one column per feature")

-- ---- cohort and test-retest -------------------------------------------------------------------
-- three cases of different sizes and intensities; with every perturbation
-- switched off the repeats are identical, so each non-constant feature has ICC 1
local mids, mimg, mmask = {}, {}, {}
for c = 1, 3 do
  local im = rad.image.new{size = {12, 12, 6}}
  local mk = rad.mask.new(im)
  for k = 1, 6 do for j = 1, 12 do for i = 1, 12 do
    im:set(i, j, k, (i * 7 + j * 3 * c + k * 11) % 17 + 10 * c)
    if i >= 4 and i <= 6 + c and j >= 4 and j <= 8 and k >= 2 and k <= 5 then mk:set(i, j, k, 1) end
  end end end
  mids[c], mimg[c], mmask[c] = "case" .. c, dir .. "/img" .. c .. ".nii.gz", dir .. "/roi" .. c .. ".nii.gz"
  im:write(mimg[c]); mk:write(mmask[c])
end
local manifest = rad.table.new{{"id", mids}, {"image", mimg}, {"mask", mmask}}
local off = {n = 2, noise = false, rotate = false, translate = false, volume = false, threads = 2}
local ci, clong = robust.cohort(manifest, {families = {"stat"}}, off)
local all1, nfin = true, 0
for i = 1, ci:nrow() do
  local v = ci:get(i, "icc")
  if v ~= rad.NA then nfin = nfin + 1; if math.abs(v - 1) > 1e-12 then all1 = false end end
end
T.ok(all1 and nfin > 10, "robust.cohort without perturbation: every defined ICC is 1 (" .. nfin .. " features)")
T.is(clong:nrow(), 3 * 2 * ci:nrow(), "robust.cohort: long features, cases x perturbations x features")
local ci2 = robust.cohort(manifest, {families = {"stat"}}, {n = 3, seed = 2, threads = 2})
local mean_icc = ci2:get(1, "icc")
T.ok(mean_icc ~= rad.NA and mean_icc > 0.9,
  "robust.cohort with perturbations: stat_mean stays reliable between cases 10 units apart (" .. tostring(mean_icc) .. ")")

local rids, rses, rimg, rmask = {}, {}, {}, {}
for c = 1, 3 do for s = 1, 2 do
  rids[#rids + 1] = mids[c]; rses[#rses + 1] = s; rimg[#rimg + 1] = mimg[c]; rmask[#rmask + 1] = mmask[c]
end end
local rt = robust.retest(rad.table.new{{"id", rids}, {"session", rses}, {"image", rimg}, {"mask", rmask}},
  {families = {"stat"}})
T.is(rt:get(1, "feature"), "stat_mean", "robust.retest: one row per feature")
T.near(rt:get(1, "icc"), 1, 1e-12, "robust.retest: the same scan twice gives ICC 1")

T.done()
