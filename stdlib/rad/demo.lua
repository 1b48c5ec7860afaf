-- radlab: synthetic demo data for teaching and for the README's first command.
-- SPDX-License-Identifier: GPL-3.0-or-later
--
--   local demo = require "rad.demo"
--   local img, mask = demo.phantom{seed = 1}
--
-- A CT-like phantom: an elliptical body of soft tissue (40 HU) in air
-- (-1000 HU), a spine-like bone cylinder (700 HU), and a lobulated "tumour"
-- (about 95 HU, heterogeneous, with a necrotic core of 10 HU) that is the
-- mask's label 1, plus Gaussian noise (sd 12 HU).  Deterministic for a seed.

local rad = require "rad"

local M = {}

local function gauss(rng)
  -- Box-Muller on the seeded generator
  local u1, u2 = rng(), rng()
  if u1 < 1e-300 then u1 = 1e-300 end
  return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
end

--- demo.phantom([{size = {nx, ny, nz}, spacing = {sx, sy, sz}, seed = n}]) -> Image, Mask: a CT-like phantom (body, bone, a heterogeneous tumour as label 1), the same for the same seed
function M.phantom(opts)
  opts = opts or {}
  local size = opts.size or {96, 96, 24}
  local sp = opts.spacing or {1.0, 1.0, 3.0}
  local nx, ny, nz = size[1], size[2], size[3]
  local seed = opts.seed or 1
  -- an independent generator, so the phantom does not disturb math.random
  local state = seed * 2654435761 % 4294967296
  local function rng()
    state = (state * 1103515245 + 12345) % 2147483648
    return (state + 0.5) / 2147483648
  end
  local img = rad.image.new{size = {nx, ny, nz}, spacing = sp, origin = {-nx * sp[1] / 2, -ny * sp[2] / 2, 0}}
  local mask = rad.mask.new(img)
  local cx, cy, cz = nx / 2, ny / 2, nz / 2
  local tx, ty = cx - nx * 0.12, cy - ny * 0.08     -- tumour centre
  local tr = math.min(nx, ny) * 0.14                -- tumour radius (voxels)
  for k = 1, nz do
    local dzmm = (k - cz) * sp[3]
    for j = 1, ny do
      for i = 1, nx do
        local v = -1000
        local ex, ey = (i - cx) / (nx * 0.42), (j - cy) / (ny * 0.32)
        if ex * ex + ey * ey <= 1 then
          v = 40
          local bx, by = i - cx, j - (cy + ny * 0.2)
          if bx * bx + by * by <= (nx * 0.06) ^ 2 then v = 700 end
          -- lobulated tumour: radius modulated by angle, shrinking with |z|
          local dx, dy = (i - tx) * sp[1], (j - ty) * sp[2]
          local ang = math.atan(dy, dx)
          local r = tr * sp[1] * (1 + 0.15 * math.cos(3 * ang) + 0.08 * math.sin(5 * ang))
          local rz = r * r - dzmm * dzmm * 0.8
          local d2 = dx * dx + dy * dy
          if rz > 0 and d2 <= rz then
            mask:set(i, j, k, 1)
            v = d2 <= rz * 0.2 and 10 or 95 + 15 * math.cos(dx / 3) * math.sin(dy / 4)
          end
        end
        img:set(i, j, k, v + 12 * gauss(rng))
      end
    end
  end
  return img, mask
end

--- demo.cohort([{n = 150, seed = 1, features = 12}]) -> Table: a synthetic neuroblastoma-like cohort: id, age (months), stage (INRG L1/L2/M/MS), mycn_amp (MYCN amplification "yes"/"no"), ldh (U/L), ferritin (ng/mL), radiomic features rf01..rfNN (rf01-rf03 carry risk, the rest are noise or correlated copies), efs (months) and efs_event (0/1)
function M.cohort(opts)
  opts = opts or {}
  local n, seed, nf = opts.n or 150, opts.seed or 1, opts.features or 12
  if math.type(n) ~= "integer" or n < 10 then error("demo.cohort: n must be an integer >= 10", 2) end
  if math.type(nf) ~= "integer" or nf < 3 or nf > 99 then error("demo.cohort: features must be 3 to 99", 2) end
  local g = require("rad.rng").new(seed)
  local function normal()
    local u1, u2 = g:random(), g:random()
    return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
  end
  local id, age, stage, mycn, ldh, ferritin, efs, ev = {}, {}, {}, {}, {}, {}, {}, {}
  local rf = {}
  for j = 1, nf do rf[j] = {} end
  local stages = {"L1", "L2", "M", "MS"}
  for i = 1, n do
    id[i] = string.format("NB%03d", i)
    age[i] = math.floor(math.exp(math.log(20) + 0.8 * normal()) * 10 + 0.5) / 10   -- months, median ~20
    local u = g:random()
    local st = u < 0.25 and 1 or u < 0.5 and 2 or u < 0.9 and 3 or 4
    stage[i] = stages[st]
    local amp = g:random() < (st == 3 and 0.35 or 0.1)
    mycn[i] = amp and "yes" or "no"
    ldh[i] = math.floor(math.exp(math.log(600) + (amp and 0.5 or 0) + 0.5 * normal()) + 0.5)
    ferritin[i] = math.floor(math.exp(math.log(80) + (st == 3 and 0.6 or 0) + 0.6 * normal()) + 0.5)
    -- radiomic features: three carry risk (heterogeneity, size, texture), the rest noise
    local z1, z2, z3 = normal(), normal(), normal()
    local lp = 1.0 * (amp and 1 or 0) + 0.8 * (st == 3 and 1 or 0) + 0.5 * (age[i] > 18 and 1 or 0)
               + 0.3 * math.log(ldh[i] / 600) + 0.55 * z1 + 0.35 * z2 + 0.25 * z3
    for j = 1, nf do
      local v
      if j == 1 then v = z1 elseif j == 2 then v = z2 elseif j == 3 then v = z3
      elseif j <= 5 then v = 0.8 * (j == 4 and z1 or z2) + 0.6 * normal()   -- correlated copies
      else v = normal() end
      rf[j][i] = math.floor(v * 1e4 + 0.5) / 1e4
    end
    local t = -math.log(1 - g:random()) / (0.005 * math.exp(lp))           -- months
    local c = 24 + 72 * g:random()                                        -- follow-up 2 to 8 years
    efs[i] = math.floor(math.min(t, c) * 10 + 0.5) / 10
    if efs[i] <= 0 then efs[i] = 0.1 end
    ev[i] = t <= c and 1 or 0
  end
  local cols = {{"id", id}, {"age", age}, {"stage", stage}, {"mycn_amp", mycn}, {"ldh", ldh}, {"ferritin", ferritin}}
  for j = 1, nf do cols[#cols + 1] = {string.format("rf%02d", j), rf[j]} end
  cols[#cols + 1] = {"efs", efs}
  cols[#cols + 1] = {"efs_event", ev}
  return rad.table.new(cols)
end

-- ---- a synthetic neuroblastoma cohort: clinical truth model + CT images ------------
-- The truth model, its parameters and the file layout are documented in
-- man/radlab-demo.7; M.NB is that table, so a study can read the true values.
M.NB = {
  hr = {age18 = 2.5, stage_m = 3.5, mycn = 3.0, del11q = 1.8, unfavourable = 2.0, ldh_high = 1.7,
        ferritin_high = 2.3,
        -- latent tumour properties, per standard deviation of their latent score
        heterogeneity = 1.35, necrosis = 1.25, calcification = 0.8, volume = 1.3},
  frailty_sd = 2.5,   -- sd of an unobserved patient frailty (treatment response, biology not measured) in the linear predictor
  weibull_shape = 0.8, baseline = 0.00038,     -- EFS cumulative hazard baseline * t^shape * exp(lp), t in months
  ldh_cut = 1500, ferritin_cut = 92, nse_cut = 100,
  -- centre scanners: CT noise sd (HU), in-plane blur sd (mm, kernel), slice thickness (mm)
  centres = {
    {name = "A", noise = 12, blur = 0.5, slice = 2.5, weight = 0.45},
    {name = "B", noise = 22, blur = 0.9, slice = 3.0, weight = 0.35},
    {name = "C", noise = 16, blur = 0.35, slice = 2.0, weight = 0.20},
    {name = "D", noise = 10, blur = 1.1, slice = 4.0, weight = 0.20},
  },
  size = {128, 112}, spacing = 0.8, extent = 90,   -- in-plane voxels, in-plane mm, z extent mm
}

local function nb_check(opts)
  if opts ~= nil and type(opts) ~= "table" then
    error("rad.demo.neuroblastoma: expected an options table {n =, seed =, dir =, centres =, images =}, got " .. type(opts), 3)
  end
  opts = opts or {}
  local known = {n = true, seed = true, dir = true, centres = true, images = true, truth = true}
  for k in pairs(opts) do
    if not known[k] then
      error(string.format("rad.demo.neuroblastoma: unknown option '%s' (options: n, seed, dir, centres, images, truth)", tostring(k)), 3)
    end
  end
  local n, seed, centres = opts.n or 150, opts.seed or 1, opts.centres or 2
  if math.type(n) ~= "integer" or n < 1 or n > 100000 then
    error("rad.demo.neuroblastoma: n must be an integer from 1 to 100000 (patients), got " .. tostring(n), 3)
  end
  if math.type(seed) ~= "integer" then
    error("rad.demo.neuroblastoma: seed must be an integer, got " .. tostring(seed), 3)
  end
  if math.type(centres) ~= "integer" or centres < 1 or centres > #M.NB.centres then
    error(string.format("rad.demo.neuroblastoma: centres must be an integer from 1 to %d, got %s", #M.NB.centres, tostring(centres)), 3)
  end
  local images = opts.images
  if images == nil then images = true end
  if type(images) ~= "boolean" then error("rad.demo.neuroblastoma: images must be true or false, got " .. type(images), 3) end
  local dir = opts.dir
  if images then
    if type(dir) ~= "string" or dir == "" then
      error("rad.demo.neuroblastoma: dir = \"folder\" is needed to write the images, masks and manifest.csv (or images = false for the clinical table only)", 3)
    end
    local probe = dir .. "/.radlab-demo-probe"
    local f = io.open(probe, "w")
    if not f then
      error(string.format("rad.demo.neuroblastoma: cannot write into the folder '%s' (it does not exist or is not writable); create it first, e.g. mkdir -p '%s'", dir, dir), 3)
    end
    f:close(); os.remove(probe)
  end
  return n, seed, centres, images, dir, opts.truth and true or false
end

local function logistic(x) return 1 / (1 + math.exp(-x)) end

--- demo.neuroblastoma{n = 150, seed = 1, dir = "folder", centres = 2, images = true, truth = false} -> Table: a synthetic neuroblastoma cohort from a documented proportional-hazards truth model (man radlab-demo): per patient a CT volume ID_ct.nii.gz with its tumour mask ID_seg.nii.gz in dir, and dir/manifest.csv (id, image, mask, label, centre, age, sex, stage, mycn, del11q, histology, ldh, ferritin, nse, risk, efs, efs_event, os, os_event); returns the manifest as a Table; images = false: clinical table only (no dir); truth = true adds the latent tumour scores and the true linear predictor to the returned Table
function M.neuroblastoma(opts)
  local n, seed, ncentres, images, dir, truth = nb_check(opts)
  local NB, hr = M.NB, M.NB.hr
  local g = require("rad.rng").new(seed)
  local function normal()
    local u1, u2 = g:random(), g:random()
    return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
  end
  local function r1(x) return math.floor(x * 10 + 0.5) / 10 end
  local wsum = 0
  for c = 1, ncentres do wsum = wsum + NB.centres[c].weight end
  local col = {}
  local names = {"id", "image", "mask", "label", "centre", "age", "sex", "stage", "mycn", "del11q", "histology",
                 "ldh", "ferritin", "nse", "risk", "efs", "efs_event", "os", "os_event"}
  local tnames = {"tumour_volume", "latent_heterogeneity", "latent_necrosis", "latent_calcification", "latent_volume", "latent_frailty", "true_lp"}
  for _, k in ipairs(names) do col[k] = {} end
  for _, k in ipairs(tnames) do col[k] = {} end
  local width = #tostring(n) < 3 and 3 or #tostring(n)
  for i = 1, n do
    local id = string.format("NB%0" .. width .. "d", i)
    -- centre
    local u, centre = g:random() * wsum, ncentres
    for c = 1, ncentres do
      u = u - NB.centres[c].weight
      if u < 0 then centre = c break end
    end
    local sc = NB.centres[centre]
    -- clinical variables
    local age = math.floor(math.min(180, math.exp(math.log(20) + 0.9 * normal())))   -- completed months
    local old = age >= 18
    local male = g:random() < 0.55
    u = g:random()
    local stage
    if old then stage = u < 0.2 and "L1" or u < 0.45 and "L2" or "M"
    else stage = u < 0.3 and "L1" or u < 0.6 and "L2" or u < 0.85 and "M" or "MS" end
    local mycn = g:random() < ({L1 = 0.03, L2 = 0.10, M = 0.35, MS = 0.08})[stage]
    local del11q = g:random() < (mycn and 0.05 or old and 0.35 or 0.15)
    local unfav = g:random() < math.min(0.95, 0.15 + (old and 0.35 or 0) + (mycn and 0.35 or 0))
    local sm = stage == "M" and 1 or 0
    local ldh = math.floor(math.exp(math.log(600) + 0.6 * sm + 0.5 * (mycn and 1 or 0) + 0.7 * normal()) + 0.5)
    local ferritin = math.floor(math.exp(math.log(60) + 0.5 * sm + 0.3 * (mycn and 1 or 0) + 0.8 * normal()) + 0.5)
    local nse = math.floor(math.exp(math.log(50) + 0.8 * sm + 0.3 * (mycn and 1 or 0) + 0.8 * normal()) + 0.5)
    local risk
    if mycn or (stage == "M" and old) then risk = "high"
    elseif stage == "L1" or (stage == "MS" and not del11q) or (stage == "L2" and not old and not del11q and not unfav) then risk = "low"
    else risk = "intermediate" end
    -- latent tumour properties (MYCN-amplified tumours: larger, more necrotic, more heterogeneous, fewer calcifications)
    local a = mycn and 1 or 0
    local zh, zn, zc, zv = normal() + 0.7 * a, normal() + 0.8 * a, normal() - 0.8 * a, normal() + 0.7 * a + 0.3 * sm
    local zf = normal()                      -- unobserved frailty
    local radius = math.max(6, math.min(24, math.exp(math.log(12) + 0.25 * zv)))
    -- outcome: proportional hazards on a Weibull baseline
    local lp = math.log(hr.age18) * (old and 1 or 0) + math.log(hr.stage_m) * sm + math.log(hr.mycn) * a
      + math.log(hr.del11q) * (del11q and 1 or 0) + math.log(hr.unfavourable) * (unfav and 1 or 0)
      + math.log(hr.ldh_high) * (ldh >= NB.ldh_cut and 1 or 0) + math.log(hr.ferritin_high) * (ferritin >= NB.ferritin_cut and 1 or 0)
      + math.log(hr.heterogeneity) * zh + math.log(hr.necrosis) * zn + math.log(hr.calcification) * zc + math.log(hr.volume) * zv
      + NB.frailty_sd * zf
    local t = (-math.log(1 - g:random()) / (NB.baseline * math.exp(lp))) ^ (1 / NB.weibull_shape)
    local dies = g:random() < (risk == "high" and 0.75 or 0.45)
    local tdeath = dies and t + (-math.log(1 - g:random())) * 14 or math.huge
    local cens = 24 + 96 * g:random()        -- accrual over 8 years, analysis 2 years after the last patient
    local efs, efs_event = r1(math.max(0.1, math.min(t, cens))), t <= cens and 1 or 0
    local os_, os_event = r1(math.max(0.1, math.min(tdeath, cens))), tdeath <= cens and 1 or 0
    if os_ < efs then os_ = efs end
    -- the image
    local p = {
      radius = radius, lobulation = 0.2 + 0.8 * g:random(), side = g:random() < 0.5 and -1 or 1,
      heterogeneity = logistic(1.2 * (zh - 0.3)), necrosis = 0.6 * logistic(1.3 * (zn - 0.5)),
      calcification = logistic(1.3 * (zc + 0.5)),
      noise = sc.noise * math.exp(0.1 * normal()), blur = sc.blur, seed = g:next(),
      size = {NB.size[1], NB.size[2], math.floor(NB.extent / sc.slice + 0.5)},
      spacing = {NB.spacing, NB.spacing, sc.slice},
    }
    local img_name, mask_name = id .. "_ct.nii.gz", id .. "_seg.nii.gz"
    local vol = 4 / 3 * math.pi * radius ^ 3 / 1000
    if images then
      local img, mask = rad.synth.abdomen(p)
      vol = mask:count() * NB.spacing * NB.spacing * sc.slice / 1000
      img:write(dir .. "/" .. img_name)
      mask:write(dir .. "/" .. mask_name)
      img:close(); mask:close()
    end
    local row = {id = id, image = img_name, mask = mask_name, label = 1, centre = sc.name, age = age,
      sex = male and "M" or "F", stage = stage, mycn = a, del11q = del11q and 1 or 0,
      histology = unfav and "unfavourable" or "favourable", ldh = ldh, ferritin = ferritin, nse = nse, risk = risk,
      efs = efs, efs_event = efs_event, os = os_, os_event = os_event,
      tumour_volume = math.floor(vol * 100 + 0.5) / 100, latent_heterogeneity = zh, latent_necrosis = zn,
      latent_calcification = zc, latent_volume = zv, latent_frailty = zf, true_lp = lp}
    for k, v in pairs(row) do col[k][i] = v end
  end
  local cols = {}
  for _, k in ipairs(names) do cols[#cols + 1] = {k, col[k]} end
  local manifest = rad.table.new(cols)
  if images then manifest:write_csv(dir .. "/manifest.csv") end
  if truth then
    for _, k in ipairs(tnames) do cols[#cols + 1] = {k, col[k]} end
    return rad.table.new(cols)
  end
  return manifest
end

return (require("rad.doc").register(M, "demo", "M")) -- not a tail call: register reads this file
