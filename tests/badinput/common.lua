-- radlab: shared checks of the bad-input suite.  SPDX-License-Identifier: GPL-3.0-or-later
--
--   local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")
--   B.call("cox with a missing column", function() rad.cox(t, {...}) end,
--          "no column 'efs'", {writes = {dir .. "/x.csv"}})
--   B.cli("extract without a mask", {"extract", img}, {status = 1,
--          stderr = "needs a mask", writes = {out}})
--   B.done()
--
-- A case passes when the call fails (Lua error / non-zero exit status) with a
-- message containing the expected text, and none of the paths in `writes`
-- exists afterwards (nothing half-written is left behind).  Every case prints
-- the message it got, so the suite doubles as a catalogue of the messages.
local T = require "rad.test"
local B = {T = T, dir = T.tmpdir()}

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

-- No file of `writes`, and no stray temporary beside it, exists.
local function nothing_written(name, writes)
  for _, p in ipairs(writes or {}) do
    local dir, base = p:match("^(.*)/([^/]*)$")
    local stray
    if dir then
      local h = io.popen("ls -a '" .. dir .. "' 2>/dev/null")
      for f in h:lines() do
        if f ~= base and f:sub(1, #base) == base then stray = f end
      end
      h:close()
    end
    T.ok(not exists(p) and not stray, name .. ": nothing written at " .. p .. (stray and (" (found " .. stray .. ")") or ""))
  end
end

--- fn() raises an error containing `text`; nothing in opts.writes exists.
function B.call(name, fn, text, opts)
  local err = T.errors(fn, text, name)
  T.diag("  ", err)
  nothing_written(name, opts and opts.writes)
  return err
end

local function quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

--- The radlab command with `args` exits with opts.status (default 1),
--- its standard error contains opts.stderr, and nothing in opts.writes exists.
--- opts.stdin: text fed to standard input.  Returns stderr.
function B.cli(name, args, opts)
  opts = opts or {}
  local cmd = {quote(os.getenv("RADLAB") or "./radlab")}
  for _, a in ipairs(args) do cmd[#cmd + 1] = quote(a) end
  local errf = B.dir .. "/stderr.txt"
  local inf = "/dev/null"
  if opts.stdin then
    inf = B.dir .. "/stdin.txt"
    local f = assert(io.open(inf, "wb")); f:write(opts.stdin); f:close()
  end
  local _, _, code = os.execute(table.concat(cmd, " ") .. " <" .. inf .. " >/dev/null 2>" .. quote(errf))
  local f = io.open(errf, "rb"); local err = f and f:read("a") or ""; if f then f:close() end
  T.is(code, opts.status or 1, name .. ": exit status")
  if opts.stderr then T.like(err, opts.stderr, name .. ": message", true) end
  T.ok(not err:find("AddressSanitizer", 1, true) and not err:find("runtime error", 1, true), name .. ": no sanitizer report")
  T.diag("  ", (err:gsub("\n$", "")))
  nothing_written(name, opts.writes)
  return err
end

--- Write bytes to dir/name; returns the path.
function B.file(name, bytes)
  local p = B.dir .. "/" .. name
  local f = assert(io.open(p, "wb")); f:write(bytes); f:close()
  return p
end

function B.done() T.done() end

return B
