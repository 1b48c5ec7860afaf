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

-- How much longer than usual a timing budget may take: make check-valgrind
-- runs the tests some 20-50 times slower (RADLAB_TIME_FACTOR=50).
T.time_factor = tonumber(os.getenv("RADLAB_TIME_FACTOR")) or 1

--- test.diag(...): print a TAP diagnostic line ("# ...")
function T.diag(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  io.write("# ", table.concat(parts, " "):gsub("\n", "\n# "), "\n")
end

--- test.ok(cond, name) -> boolean: a check that passes when cond is true
function T.ok(cond, name)
  return line(cond and true or false, name)
end

--- test.is(got, want, name) -> boolean: passes when got == want (raw equality)
function T.is(got, want, name)
  local ok = line(got == want, name)
  if not ok then T.diag("got ", show(got), ", want ", show(want)) end
  return ok
end

--- test.near(got, want, tol, name) -> boolean: passes when |got - want| <= tol
function T.near(got, want, tol, name)
  local ok = type(got) == "number" and type(want) == "number" and math.abs(got - want) <= tol
  line(ok, name)
  if not ok then T.diag("got ", show(got), ", want ", show(want), " (tolerance ", tol, ")") end
  return ok
end

--- test.like(str, pattern, name [, plain]) -> boolean: passes when str matches the Lua pattern (plain = true: a plain substring)
function T.like(str, pattern, name, plain)
  local ok = type(str) == "string" and str:find(pattern, 1, plain) ~= nil
  line(ok, name)
  if not ok then T.diag("got ", show(str), ", want a match for ", show(pattern)) end
  return ok
end

-- Returns the message.
--- test.errors(fn, text, name) -> message: passes when fn() raises an error containing text (a plain substring)
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

--- test.layout_problems(layout [, slack = 0.5]) -> {strings}: the text problems of a Figure:layout{...} result: text boxes overlapping each other by more than slack pixels, leaving the image, or clipped by their page cell (empty when clean)
function T.layout_problems(lay, slack)
  slack = slack or 0.5
  local out, texts, fig, cells = {}, {}, nil, {}
  for _, b in ipairs(lay) do
    if b.kind == "figure" then fig = b end
    if b.kind == "cell" then cells[b.cell] = b end
    if b.text then texts[#texts + 1] = b end
  end
  local function name(b)
    return string.format("%s#%d (%.1f %.1f %.1f %.1f)", b.kind, b.axes, b.x0, b.y0, b.x1, b.y1)
  end
  for i, a in ipairs(texts) do
    if fig and (a.x0 < fig.x0 - slack or a.y0 < fig.y0 - slack or a.x1 > fig.x1 + slack or a.y1 > fig.y1 + slack) then
      out[#out + 1] = name(a) .. " leaves the image"
    end
    local c = a.cell and cells[a.cell]
    if c and (a.x0 < c.x0 - slack or a.y0 < c.y0 - slack or a.x1 > c.x1 + slack or a.y1 > c.y1 + slack) then
      out[#out + 1] = name(a) .. " is clipped by page cell " .. a.cell
    end
    for j = i + 1, #texts do
      local b = texts[j]
      if math.min(a.x1, b.x1) - math.max(a.x0, b.x0) > slack and math.min(a.y1, b.y1) - math.max(a.y0, b.y0) > slack then
        out[#out + 1] = name(a) .. " overlaps " .. name(b)
      end
    end
  end
  return out
end

--- test.skip(k, why): record k skipped checks, loudly
function T.skip(k, why)
  for _ = 1, k do
    n = n + 1
    io.write("ok ", n, " # SKIP ", why, "\n")
  end
end

--- test.data() -> dir or nil, reason: the reference data folder ($RADLAB_DATA, else ../shared/data)
function T.data()
  local dir = os.getenv("RADLAB_DATA") or "../shared/data"
  local f = io.open(dir .. "/README.md", "r")
  if not f then return nil, "reference data not found at " .. dir .. " (set RADLAB_DATA)" end
  f:close()
  return dir
end

local scratch
--- test.tmpdir() -> path: a fresh scratch directory (removed by test.done)
function T.tmpdir()
  if not scratch then
    local p = io.popen("mktemp -d /tmp/radlab-test.XXXXXX")
    scratch = p:read("l")
    p:close()
  end
  return scratch
end

--- test.file(name, text) -> path: write text to the file name in the scratch directory (test.tmpdir)
function T.file(name, text)
  local path = T.tmpdir() .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

--- test.volume() -> img, mask, nx, ny, nz: a small 14 x 12 x 8 test image (0.8 x 0.8 x 2 mm) of varied integer intensities 40..152 and a box mask inside it
function T.volume()
  local nx, ny, nz = 14, 12, 8
  local img = rad.image.new{size = {nx, ny, nz}, spacing = {0.8, 0.8, 2.0}}
  for k = 1, nz do for j = 1, ny do for i = 1, nx do
    img:set(i, j, k, 40 + ((i * 37 + j * 91 + k * 13) % 101) + 3 * ((i * j) % 5))
  end end end
  local mask = rad.mask.new(img)
  for k = 2, nz - 1 do for j = 3, ny - 2 do for i = 3, nx - 3 do mask:set(i, j, k, 1) end end end
  return img, mask, nx, ny, nz
end

--- test.done(): print the plan and the summary; exit non-zero if a check failed
function T.done()
  if scratch then os.execute("rm -rf '" .. scratch .. "'") end
  io.write("1..", n, "\n")
  if failed > 0 then io.write("# ", failed, " of ", n, " failed\n") end
  io.flush()
  os.exit(failed == 0 and 0 or 1)
end

-- help texts, when the rad module is there
if package.loaded.rad or pcall(require, "rad") then return (require("rad.doc").register(T, "test", "T")) end
return T
