-- radlab benchmark: rad.extract_cohort on 20 generated cases (a 48x48x24
-- noisy image with a spherical ROI each), at 1 and 2 threads: wall-clock
-- cases per second, and whether both tables are byte-identical.  Prints
-- figures; asserts nothing.
--   ./radlab tests/bench/cohort.lua [CASES] [SIZE]
-- SPDX-License-Identifier: GPL-3.0-or-later
local n = tonumber(arg and arg[1]) or 20
local size = tonumber(arg and arg[2]) or 48
local dir = io.popen("mktemp -d /tmp/radlab-bench.XXXXXX"):read("l")

-- wall-clock seconds (os.clock counts the CPU time of every thread)
local function now()
  local p = io.popen("date +%s.%N")
  local t = tonumber(p:read("l"))
  p:close()
  return t
end

local rows = {"id,image,mask"}
local seed = 12345
local function rnd() seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 end
for k = 1, n do
  local nz = size // 2
  local img = rad.image.new{size = {size, size, nz}, spacing = {0.8, 0.8, 2.5}}
  local m = rad.mask.new(img)
  local c, r = size / 2, size / 4 + k % 5
  for z = 1, nz do for j = 1, size do for i = 1, size do
    local d = math.sqrt((i - c) ^ 2 + (j - c) ^ 2 + ((z - nz / 2) * 3) ^ 2)
    img:set(i, j, z, (d < r and 40 or -80) + 60 * rnd())
    if d < r then m:set(i, j, z, 1) end
  end end end
  img:write(string.format("%s/img%02d.nii.gz", dir, k))
  m:write(string.format("%s/seg%02d.nii.gz", dir, k))
  rows[#rows + 1] = string.format("p%02d,img%02d.nii.gz,seg%02d.nii.gz", k, k, k)
end
local f = assert(io.open(dir .. "/cohort.csv", "w")); f:write(table.concat(rows, "\n"), "\n"); f:close()

local settings = {discretise = {method = "fbs", width = 25}}
local bytes = {}
-- a warm-up run (file cache, allocator), not reported
rad.extract_cohort(dir .. "/cohort.csv", settings, {threads = 2})
for _, threads in ipairs{1, 2, 1, 2} do
  local t0 = now()
  local t = rad.extract_cohort(dir .. "/cohort.csv", settings, {threads = threads})
  local dt = now() - t0
  local out = string.format("%s/t%d.csv", dir, threads)
  t:write_csv(out)
  local h = io.open(out, "rb"); bytes[threads] = h:read("a"); h:close()
  print(string.format("%2d cases of %dx%dx%d, %d thread%s: %6.2f s  %6.2f cases/s", n, size, size, size // 2,
    threads, threads == 1 and " " or "s", dt, n / dt))
end
print("tables byte-identical: " .. tostring(bytes[1] == bytes[2]))
os.execute("rm -rf '" .. dir .. "'")
