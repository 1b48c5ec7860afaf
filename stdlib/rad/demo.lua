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

return (require("rad.doc").register(M, "demo", "M")) -- not a tail call: register reads this file
