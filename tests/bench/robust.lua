-- radlab benchmark: feature robustness by perturbation on the generated demo
-- cohort (radlab demo-cohort -n N), IBSI configuration C settings
-- (tests/reference/ibsi1/config_c.lua).  Prints seconds per perturbation
-- round (every case perturbed once and extracted: robust.cohort's time / n),
-- the time of the perturbations alone (rad.perturb per case, no
-- extraction), the noise estimate per case, and how many features keep
-- ICC(2,1) >= 0.75.  Asserts nothing.
--   ./radlab tests/bench/robust.lua [N [n [threads]]]   (default 10 cases, 5 perturbations, 2 threads)
-- SPDX-License-Identifier: GPL-3.0-or-later
local N = tonumber(arg and arg[1]) or 10
local n = math.tointeger(tonumber(arg and arg[2]) or 5)
local threads = math.tointeger(tonumber(arg and arg[3]) or 2)
local radlab = os.getenv("RADLAB") or "./radlab"
local here = (arg and arg[0] or ""):match("^(.*)/bench/[^/]*$") or "tests"
local settings = dofile(here .. "/reference/ibsi1/config_c.lua")
local robust = require "rad.robust"
local cohort = require "rad.cohort"

local p = io.popen("mktemp -d /tmp/radlab-bench.XXXXXX")
local dir = p:read("l")
p:close()
local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
local function now()
  local h = io.popen("date +%s.%N"); local t = tonumber(h:read("l")); h:close(); return t
end

assert(os.execute(q(radlab) .. " demo-cohort -n " .. N .. " --seed 1 -o " .. q(dir) .. " >/dev/null 2>&1"))
local man = cohort.read(dir .. "/manifest.csv")

-- the perturbations alone: read, estimate the noise, perturb once per case
local t0, voxels, roi = now(), 0, 0
local sds = {}
for i = 1, man:nrow() do
  local r = man:row(i)
  local img = rad.read(r.image)
  local mask = rad.read_mask(r.mask, {label = (r.label ~= rad.NA and r.label) or 0})
  -- the demo's scanners add noise of SD 12, 22, 16, 10 HU (centres A-D, times
  -- a per-patient factor exp(0.1 z)) after blurring: the estimate should be near
  local nominal = ({A = 12, B = 22, C = 16, D = 10})[r.centre] or 0
  sds[#sds + 1] = string.format("%s %.1f/%d", r.centre, rad.image.noise_sd(img), nominal)
  local i2, m2 = rad.perturb(img, mask, {noise = true, rotate = 3, translate = {0.3, -0.2, 0}, volume = 0.1, seed = i})
  local nx, ny, nz = img:size()
  voxels, roi = voxels + nx * ny * (nz or 1), roi + mask:count()
  i2:close(); m2:close(); img:close(); mask:close()
end
local tp = now() - t0
print(string.format("%d cases (%.1f Mvoxels, %d ROI voxels in all): read + noise estimate + one perturbation each: " ..
  "%.2f s (%.3f s per case)", N, voxels / 1e6, roi, tp, tp / N))
print("noise SD per case (centre, Immerkaer estimate / centre's nominal SD): " .. table.concat(sds, "  "))

-- whole rounds: robust.cohort perturbs every case n times and extracts all
t0 = now()
local icc = robust.cohort(man, settings, {n = n, seed = 1, threads = threads})
local tr = now() - t0
local kept, defined = 0, 0
for i = 1, icc:nrow() do
  local v = icc:get(i, "icc")
  if v ~= rad.NA then defined = defined + 1; if v >= 0.75 then kept = kept + 1 end end
end
print(string.format("robust.cohort: %d cases x %d perturbations, config C, %d threads: %.2f s, %.2f s per perturbation " ..
  "round (%.3f s per case and perturbation)", N, n, threads, tr, tr / n, tr / (n * N)))
print(string.format("features: %d, ICC(2,1) defined for %d, >= 0.75 for %d", icc:nrow(), defined, kept))
os.execute("rm -rf " .. q(dir))
