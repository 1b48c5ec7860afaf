-- radlab: every workshop notebook (notebooks/[0-9][0-9]_*.lua) runs cleanly
-- under radlab notebook --check.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local top = os.getenv("top_srcdir") or "."
local RADLAB = os.getenv("RADLAB") or "./radlab"
local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local names = {}
local p = io.popen("ls " .. q(top .. "/notebooks") .. " 2>/dev/null")
for name in p:lines() do
  if name:match("^%d%d_.+%.lua$") then names[#names + 1] = name end
end
p:close()
table.sort(names)
if #names == 0 then
  T.skip(1, "NO WORKSHOP NOTEBOOKS YET: notebooks/[0-9][0-9]_*.lua matched nothing, so none was checked")
end
local err = T.tmpdir() .. "/err"
for _, name in ipairs(names) do
  -- in the scratch folder: a notebook may write files where it runs
  local cmd = string.format("cd %s && %s notebook %s --check --timeout 300 2>%s", q(T.tmpdir()), q(RADLAB),
    q(top .. "/notebooks/" .. name), q(err))
  local _, _, status = os.execute(cmd)
  local f = io.open(err, "rb")
  local msg = f and f:read("a") or ""
  if f then f:close() end
  if not T.is(status, 0, "radlab notebook --check " .. name) then T.diag(msg) end
end
T.done()
