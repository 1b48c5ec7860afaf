-- radlab: a small TAP producer for Lua tests.  SPDX-License-Identifier: GPL-3.0-or-later
--
--   local T = require "rad.test"
--   T.is(1 + 1, 2, "addition")
--   T.done()                       -- prints the plan; exits 1 if anything failed
--
-- Every check prints one TAP line; a failing one prints what it got and what
-- it wanted as diagnostics.  The plan comes last, so tests need not count.

local T = {}
local n, failed = 0, 0

local function line(ok, name)
  n = n + 1
  if not ok then failed = failed + 1 end
  name = tostring(name or ""):gsub("\n", " ")
  io.write(ok and "ok " or "not ok ", n, " - ", name, "\n")
  io.flush()
  return ok
end

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  if math.type(v) == "float" then return string.format("%.17g", v) end
  return tostring(v)
end

--- Print a diagnostic line.
function T.diag(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  io.write("# ", table.concat(parts, " "):gsub("\n", "\n# "), "\n")
end

--- cond is true.
function T.ok(cond, name)
  return line(cond and true or false, name)
end

--- got == want (raw equality).
function T.is(got, want, name)
  local ok = line(got == want, name)
  if not ok then T.diag("got ", show(got), ", want ", show(want)) end
  return ok
end

--- |got - want| <= tol.
function T.near(got, want, tol, name)
  local ok = type(got) == "number" and type(want) == "number" and math.abs(got - want) <= tol
  line(ok, name)
  if not ok then T.diag("got ", show(got), ", want ", show(want), " (tolerance ", tol, ")") end
  return ok
end

--- A known failure, compared and reported but not counted: TAP "# TODO why"
--- (automake: XFAIL while it fails, XPASS, a failure, once it passes).
function T.todo(cond, name, why)
  n = n + 1
  name = tostring(name or ""):gsub("\n", " ")
  io.write(cond and "ok " or "not ok ", n, " - ", name, " # TODO ", tostring(why):gsub("\n", " "), "\n")
  io.flush()
  return cond
end

--- str matches the Lua pattern (plain = true: a plain substring).
function T.like(str, pattern, name, plain)
  local ok = type(str) == "string" and str:find(pattern, 1, plain) ~= nil
  line(ok, name)
  if not ok then T.diag("got ", show(str), ", want a match for ", show(pattern)) end
  return ok
end

--- fn() raises an error whose message contains `text` (a plain substring).
-- Returns the message.
function T.errors(fn, text, name)
  local ok, err = pcall(fn)
  err = tostring(err)
  local good = not ok and err:find(text, 1, true) ~= nil
  line(good, name)
  if not good then
    if ok then T.diag("no error raised; want one containing ", show(text))
    else T.diag("error ", show(err), ", want one containing ", show(text)) end
  end
  return err
end

--- Record k skipped checks, loudly.
function T.skip(k, why)
  for _ = 1, k do
    n = n + 1
    io.write("ok ", n, " # SKIP ", why, "\n")
  end
end

--- The reference data folder (../shared/data) or nil with a reason.
function T.data()
  local dir = os.getenv("RADLAB_DATA") or "../shared/data"
  local f = io.open(dir .. "/README.md", "r")
  if not f then return nil, "reference data not found at " .. dir .. " (set RADLAB_DATA)" end
  f:close()
  return dir
end

--- A fresh scratch directory (removed by T.done).
local scratch
function T.tmpdir()
  if not scratch then
    local p = io.popen("mktemp -d /tmp/radlab-test.XXXXXX")
    scratch = p:read("l")
    p:close()
  end
  return scratch
end

--- Finish: print the plan and the summary, exit non-zero if a check failed.
function T.done()
  if scratch then os.execute("rm -rf '" .. scratch .. "'") end
  io.write("1..", n, "\n")
  if failed > 0 then io.write("# ", failed, " of ", n, " failed\n") end
  io.flush()
  os.exit(failed == 0 and 0 or 1)
end

return T
