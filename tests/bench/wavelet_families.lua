-- radlab benchmark: the separable wavelet sub-band LLH (3D, mirror) of the
-- IBSI CT phantom on its own grid for filters from 2 taps (haar) to 102
-- (coif17): the cost grows with the length of the composite kernel.
-- Prints wall and CPU time per configuration, best of REPEATS; asserts nothing.
--   ./radlab tests/bench/wavelet_families.lua [REPEATS] [THREADS]
-- SPDX-License-Identifier: GPL-3.0-or-later
local data = os.getenv("RADLAB_DATA") or "../shared/data"
local reps = tonumber(arg and arg[1]) or 3
local threads = tonumber(arg and arg[2]) or 0
local img_path = data .. "/ibsi1/ct_phantom/image.nii.gz"
if not io.open(img_path) then
  print("bench: " .. img_path .. " not found; set RADLAB_DATA")
  os.exit(0)
end

local function wall()
  local f = io.popen("date +%s.%N")
  local s = tonumber(f:read("l"))
  f:close()
  return s
end

local ct = rad.read(img_path)
local nx, ny, nz = ct:size()
print(string.format("CT phantom %dx%dx%d; threads %s, best of %d", nx, ny, nz,
  threads == 0 and "all" or tostring(threads), reps))
print(string.format("%-8s %5s  %-28s %10s %10s", "family", "taps", "transform", "wall ms", "CPU ms"))
local taps = {haar = 2, db2 = 4, db4 = 8, sym8 = 16, db20 = 40, coif5 = 30, coif17 = 102}
for _, fam in ipairs{"haar", "db2", "db4", "sym8", "coif5", "db20", "coif17"} do
  for _, c in ipairs{{"undecimated level 1", {level = 1}}, {"undecimated level 2", {level = 2}},
                     {"decimated level 1", {level = 1, decimated = true}}} do
    local spec = {"wavelet", family = fam, band = "LLH", level = c[2].level, decimated = c[2].decimated,
                  threads = threads}
    local bw, bc = math.huge, math.huge
    for _ = 1, reps do
      local a, t0 = wall(), os.clock()
      local r = rad.filter(ct, spec)
      local b, t1 = wall(), os.clock()
      r:close()
      if b - a < bw then bw, bc = b - a, t1 - t0 end
    end
    print(string.format("%-8s %5d  %-28s %10.1f %10.1f", fam, taps[fam], c[1], bw * 1000, bc * 1000))
  end
end
