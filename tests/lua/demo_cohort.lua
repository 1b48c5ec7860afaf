-- radlab: tests of the synthetic neuroblastoma cohort (rad.synth.abdomen,
-- rad.demo.neuroblastoma).  SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/demo_cohort.lua
local T = require "rad.test"
local demo = require "rad.demo"
local rng = require "rad.rng"

-- ---- the painted volume: exact values without noise or blur ------------------------
-- 128x112x36 at 0.8x0.8x2.5 mm, centred on 0: voxel i (1-based) is at
-- x = -50.8 + 0.8 (i - 1).  Body semi-axes a = 0.45*102.4 = 46.08 mm,
-- b = 0.36*89.6 = 32.256 mm.  Tumour centre (side +1): (0.28a, 0.12b, 0) =
-- (12.90, 3.87, 0); voxel (81, 61, 18) is at (13.2, 3.6, -1.25), 0.4 mm away:
-- plain enhancing tumour, 60 HU.  The spine's cancellous bone (300 HU)
-- is centred at (0, 0.55b = 17.74): voxel (64, 79, 5) is at (0.4, 18.0).
-- Voxel (64, 56, 5) at (0.4, -0.4) is the abdomen's soft tissue, 35 HU;
-- the corner is air.
do
  local img, m = rad.synth.abdomen{size = {128, 112, 36}, radius = 8, noise = 0, blur = 0, heterogeneity = 0,
    necrosis = 0, calcification = 0, seed = 5}
  T.is(img:get(81, 61, 18), 60, "synth: tumour centre is 60 HU")
  T.is(m:get(81, 61, 18), 1, "synth: tumour centre is in the mask")
  T.is(img:get(64, 79, 5), 300, "synth: cancellous bone of the spine is 300 HU")
  T.is(m:get(64, 79, 5), 0, "synth: the spine is not in the mask")
  T.is(img:get(64, 56, 5), 35, "synth: abdominal soft tissue is 35 HU")
  T.is(img:get(1, 1, 1), -1000, "synth: the corner is air")
  local n = m:components()
  T.is(n, 1, "synth: the tumour is one component")
  -- radius 8 mm, lobulation 0.5: the volume lies between the lobes' extremes
  -- (0.875 R)^3 and (1.625 R)^3 times 1.15 (z elongation), in voxels of 1.6 mm^3
  local v = m:count() * 0.8 * 0.8 * 2.5
  local lo, hi = 4 / 3 * math.pi * (0.875 * 8) ^ 3 * 1.15, 4 / 3 * math.pi * (1.625 * 8) ^ 3 * 1.15
  T.ok(v > lo and v < hi, string.format("synth: tumour volume %.0f mm^3 within the lobes' bounds [%.0f, %.0f]", v, lo, hi))
  local a, b = rad.synth.abdomen{seed = 9, radius = 15}
  local c, d = rad.synth.abdomen{seed = 9, radius = 15}
  local same = true
  for k = 1, 40, 3 do for j = 1, 96, 5 do for i = 1, 96, 5 do
    if a:get(i, j, k) ~= c:get(i, j, k) or b:get(i, j, k) ~= d:get(i, j, k) then same = false end
  end end end
  T.ok(same, "synth: the same seed paints the same volume")
  T.errors(function() rad.synth.abdomen{radius = 40} end,
    "tumour radius = 40 mm does not fit the field of view; use 2 to 22.1 mm", "synth: a tumour too large is refused")
  T.errors(function() rad.synth.abdomen{necrosis = 0.9} end, "necrosis = 0.9 is out of range; use a value in [0, 0.8]",
    "synth: necrosis out of range")
end

-- ---- the clinical table: exact values for seed 11 ---------------------------------------
-- Patient 1's first draws, redone here from rad.rng: the centre (A with
-- probability 0.45 / (0.45 + 0.35)), then the age, exp(log 20 + 0.9 z) months
-- completed, z by Box-Muller; then sex (male when u < 0.55).
do
  local t = demo.neuroblastoma{n = 6, seed = 11, images = false}
  local g = rng.new(11)
  local centre = g:random() * 0.8 < 0.45 and "A" or "B"
  local u1, u2 = g:random(), g:random()
  local z = math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
  local age = math.floor(math.exp(math.log(20) + 0.9 * z))
  local sex = g:random() < 0.55 and "M" or "F"
  T.is(t:get(1, "centre"), centre, "nb: patient 1's centre, from the generator's first draw")
  T.is(t:get(1, "age"), age, "nb: patient 1's age, from the generator's next two draws")
  T.is(t:get(1, "sex"), sex, "nb: patient 1's sex")
  -- the generator's values for seed 11, pinned
  T.is(table.concat(t:col("age"), " "), "20 35 7 80 11 10", "nb: ages (months) for seed 11")
  T.is(table.concat(t:col("stage"), " "), "L1 M M M M L2", "nb: INRG stages for seed 11")
  T.is(table.concat(t:col("centre"), " "), "A A B B A A", "nb: centres for seed 11")
  T.is(table.concat(t:col("efs_event"), " "), "0 0 1 0 0 0", "nb: EFS events for seed 11")
  T.is(t:get(3, "efs"), 45.6, "nb: patient 3's EFS (months) for seed 11")
  T.is(t:ncol(), 19, "nb: the manifest's 19 columns")
  -- the risk group follows its rule on every row
  local big = demo.neuroblastoma{n = 300, seed = 3, images = false}
  local ok = true
  for i = 1, big:nrow() do
    local mycn, st, age = big:get(i, "mycn"), big:get(i, "stage"), big:get(i, "age")
    local want = (mycn == 1 or (st == "M" and age >= 18)) and "high" or nil
    if want and big:get(i, "risk") ~= want then ok = false end
    if not want and big:get(i, "risk") == "high" then ok = false end
    if big:get(i, "os") < big:get(i, "efs") then ok = false end
    if st == "MS" and age >= 18 then ok = false end
  end
  T.ok(ok, "nb: risk group high exactly when MYCN-amplified or stage M at >= 18 months; OS >= EFS; MS only under 18 months")
end

-- ---- images on disk: deterministic, masks one component inside the body --------------------
do
  local base = T.tmpdir()
  local d1, d2 = base .. "/nb1", base .. "/nb2"
  os.execute("mkdir -p '" .. d1 .. "' '" .. d2 .. "'")
  local m1 = demo.neuroblastoma{n = 6, seed = 4, dir = d1}
  demo.neuroblastoma{n = 6, seed = 4, dir = d2}
  local function slurp(p)
    local f = assert(io.open(p, "rb"))
    local s = f:read("a")
    f:close()
    return s
  end
  local files = {"manifest.csv"}
  for i = 1, 6 do
    files[#files + 1] = m1:get(i, "image")
    files[#files + 1] = m1:get(i, "mask")
  end
  local same = 0
  for _, f in ipairs(files) do if slurp(d1 .. "/" .. f) == slurp(d2 .. "/" .. f) then same = same + 1 end end
  T.is(same, 13, "nb: two runs with seed 4 write 13 byte-identical files")
  local back = rad.read_csv(d1 .. "/manifest.csv")
  T.is(back:get(2, "image"), "NB002_ct.nii.gz", "nb: manifest image path is relative to dir")
  local good = 0
  for i = 1, 6 do
    local img = rad.read(d1 .. "/" .. back:get(i, "image"))
    local m = rad.read_mask(d1 .. "/" .. back:get(i, "mask"))
    local n = m:components()
    local bb = m:bbox()
    local size = {img:size()}
    local inside = n == 1 and m:count() > 0
    for a = 1, 3 do
      if bb.min[a] <= 1 or bb.max[a] >= size[a] then inside = false end
    end
    -- every tumour voxel is tissue, not air or fat (the body's inside)
    for k = bb.min[3], bb.max[3] do for j = bb.min[2], bb.max[2] do for i2 = bb.min[1], bb.max[1] do
      if m:get(i2, j, k) == 1 and img:get(i2, j, k) < -300 then inside = false end
    end end end
    if inside then good = good + 1 end
  end
  T.is(good, 6, "nb: all 6 masks are one non-empty component inside the body")
  -- the command line writes the same patients: its first 2 of seed 4 are the Lua run's first 2
  local d3 = base .. "/nb cli"
  os.execute("mkdir -p '" .. d3 .. "'")
  local p = io.popen("'" .. (os.getenv("RADLAB") or "./radlab") .. "' demo-cohort -n 2 --seed 4 -o '" .. d3 .. "' 2>&1")
  local said = p:read("a")
  p:close()
  T.is(said, "radlab: wrote 2 patients to " .. d3 .. "/manifest.csv\n", "demo-cohort: its one line of output")
  T.ok(slurp(d3 .. "/NB002_ct.nii.gz") == slurp(d1 .. "/NB002_ct.nii.gz"), "demo-cohort: NB002's CT equals the Lua run's")
  local cli = rad.read_csv(d3 .. "/manifest.csv")
  T.is(cli:nrow(), 2, "demo-cohort: 2 rows in the manifest")
  T.is(cli:get(2, "efs"), back:get(2, "efs"), "demo-cohort: NB002's EFS equals the Lua run's")
end

-- ---- the truth model: a Cox fit recovers the hazard ratios ------------------------------
-- 400 patients, seed 1, clinical table only; EFS on every truth-model covariate
-- (the seven clinical factors, the four latent tumour scores and the
-- unobserved frailty): each true HR (man radlab-demo) lies in its 95 % CI.
do
  local NB = demo.NB
  local t = demo.neuroblastoma{n = 400, seed = 1, images = false, truth = true}
  local age, st, hi, ldh, fer = t:col("age"), t:col("stage"), t:col("histology"), t:col("ldh"), t:col("ferritin")
  local c = {age18 = {}, stage_m = {}, unfavourable = {}, ldh_high = {}, ferritin_high = {}}
  for i = 1, #age do
    c.age18[i] = age[i] >= 18 and 1 or 0
    c.stage_m[i] = st[i] == "M" and 1 or 0
    c.unfavourable[i] = hi[i] == "unfavourable" and 1 or 0
    c.ldh_high[i] = ldh[i] >= NB.ldh_cut and 1 or 0
    c.ferritin_high[i] = fer[i] >= NB.ferritin_cut and 1 or 0
  end
  local cols = {{"efs", t:col("efs")}, {"efs_event", t:col("efs_event")}, {"age18", c.age18}, {"stage_m", c.stage_m},
    {"mycn", t:col("mycn")}, {"del11q", t:col("del11q")}, {"unfavourable", c.unfavourable}, {"ldh_high", c.ldh_high},
    {"ferritin_high", c.ferritin_high}, {"heterogeneity", t:col("latent_heterogeneity")},
    {"necrosis", t:col("latent_necrosis")}, {"calcification", t:col("latent_calcification")},
    {"volume", t:col("latent_volume")}, {"frailty", t:col("latent_frailty")}}
  local d = rad.table.new(cols)
  local x = {}
  for k = 3, #cols do x[#x + 1] = cols[k][1] end
  local fit = rad.cox(d, {time = "efs", event = "efs_event", x = x})
  for _, k in ipairs(x) do
    local true_hr = k == "frailty" and math.exp(NB.frailty_sd) or NB.hr[k == "ferritin_high" and "ferritin_high" or k]
    T.ok(fit.hr_lower[k] <= true_hr and true_hr <= fit.hr_upper[k],
      string.format("nb cox: HR %s = %.2f [%.2f, %.2f] covers the true %.2f", k, fit.hr[k], fit.hr_lower[k], fit.hr_upper[k], true_hr))
  end
end

T.done()
