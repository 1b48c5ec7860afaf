-- radlab benchmark: extraction over the generated neuroblastoma cohort with
-- IBSI configuration C settings (tests/reference/ibsi1/config_c.lua), as a
-- user runs it: whole `radlab extract --cohort` processes.  Prints wall time
-- at 1 and 2 threads (cases per second, speed-up, byte-identical tables), a
-- first run filling the cache and a fully cached re-run, and peak memory for
-- a third of the cohort and the whole cohort.  Asserts nothing.
--   ./radlab tests/bench/cohort.lua [N]        (N patients, default 150)
-- SPDX-License-Identifier: GPL-3.0-or-later
local N = tonumber(arg and arg[1]) or 150
local radlab = os.getenv("RADLAB") or "./radlab"
local here = (arg and arg[0] or ""):match("^(.*)/bench/[^/]*$") or "tests"
local settings = here .. "/reference/ibsi1/config_c.lua"
local p = io.popen("mktemp -d /tmp/radlab-bench.XXXXXX")
local dir = p:read("l")
p:close()

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Run a command under /usr/bin/time: wall seconds, peak resident MiB.
local function timed(cmd)
  local tf = dir .. "/time.txt"
  local ok = os.execute("/usr/bin/time -f '%e %M' -o " .. q(tf) .. " " .. cmd .. " >/dev/null 2>&1")
  local f = io.open(tf)
  local line = f and f:read("l") or ""
  if f then f:close() end
  local wall, kb = line:match("^([%d.]+) (%d+)")
  return tonumber(wall), tonumber(kb) and tonumber(kb) / 1024, ok
end
local function slurp(path)
  local f = io.open(path, "rb"); if not f then return nil end
  local s = f:read("a"); f:close(); return s
end
local function median(a) table.sort(a); return a[(#a + 1) // 2] end

local w = timed(q(radlab) .. " demo-cohort -n " .. N .. " --seed 1 -o " .. q(dir))
print(string.format("generate %d patients: %.2f s", N, w))
local man = dir .. "/manifest.csv"
local function extract(out, extra)
  return timed(q(radlab) .. " extract --cohort " .. q(man) .. " -s " .. q(settings) .. " -o " .. q(out) .. " -q " .. extra)
end

extract(dir .. "/warm.csv", "-j 2 --no-cache") -- file cache, not reported
local t = {[1] = {}, [2] = {}}
for _, j in ipairs{1, 2, 1, 2, 1, 2} do
  t[j][#t[j] + 1] = extract(dir .. "/j" .. j .. ".csv", "-j " .. j .. " --no-cache")
end
local t1, t2 = median(t[1]), median(t[2])
print(string.format("%d cases, config C, 1 thread : %6.2f s  %6.1f cases/s  (median of 3)", N, t1, N / t1))
print(string.format("%d cases, config C, 2 threads: %6.2f s  %6.1f cases/s  speed-up %.2fx", N, t2, N / t2, t1 / t2))
print("tables at 1 and 2 threads byte-identical: " .. tostring(slurp(dir .. "/j1.csv") == slurp(dir .. "/j2.csv")))

local cache = dir .. "/cache"
local c1 = extract(dir .. "/c.csv", "-j 2 --cache " .. q(cache))
local c2 = {}
for i = 1, 3 do c2[i] = extract(dir .. "/c.csv", "-j 2 --cache " .. q(cache)) end
print(string.format("cache: first run %.2f s (filling it), fully cached re-run %.3f s (median of 3), same bytes: %s",
  c1, median(c2), tostring(slurp(dir .. "/c.csv") == slurp(dir .. "/j1.csv"))))

-- peak memory against cohort size: the first third of the manifest, then all of it
local lines = {}
for l in io.lines(man) do lines[#lines + 1] = l end
local third = math.max(1, (#lines - 1) // 3)
local f = assert(io.open(dir .. "/third.csv", "w"))
f:write(table.concat(lines, "\n", 1, third + 1), "\n")
f:close()
local _, m3 = timed(q(radlab) .. " extract --cohort " .. q(dir .. "/third.csv") .. " -s " .. q(settings) ..
  " -o " .. q(dir .. "/t3.csv") .. " -q -j 2 --no-cache")
local _, mall = extract(dir .. "/all.csv", "-j 2 --no-cache")
print(string.format("peak memory, 2 threads: %d cases %.0f MiB, %d cases %.0f MiB", third, m3, N, mall))
os.execute("rm -rf " .. q(dir))
