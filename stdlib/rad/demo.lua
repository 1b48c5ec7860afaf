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

--- demo.phantom([{size = {nx, ny, nz}, spacing = {sx, sy, sz}, seed = n}]) -> Image, Mask
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

return M
