-- radlab: every public function has one-line help and a man page entry.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

-- walk rad and the method tables of Image and Mask
local funcs = {}
local function collect(tbl, prefix)
  for k, v in pairs(tbl) do
    if type(v) == "function" then funcs[#funcs + 1] = {prefix .. k, v}
    elseif type(v) == "table" then collect(v, prefix .. k .. ".") end
  end
end
collect(rad, "rad.")
local img = rad.image.new{size = {1, 1, 1}}
collect(getmetatable(img).__index, "Image:")
collect(getmetatable(rad.mask.new(img)).__index, "Mask:")
local tmeta = getmetatable(rad.table.new{{"a", {1, 2}}})
if type(tmeta.__index) == "table" then collect(tmeta.__index, "Table:") end
collect(getmetatable(rad.plot.lines({y = {1, 2}})).__index, "Figure:")
-- the stdlib modules document their functions in their source
for _, m in ipairs(require("rad.doc").modules) do
  local mod = require("rad." .. m)
  for k, v in pairs(mod) do
    -- names starting with "_" are helpers shared between modules, not API
    if type(v) == "function" and k:sub(1, 1) ~= "_" then funcs[#funcs + 1] = {m .. "." .. k, v} end
  end
end
table.sort(funcs, function(a, b) return a[1] < b[1] end)
T.ok(#funcs >= 30, "found " .. #funcs .. " public functions")

local man = io.open((os.getenv("top_srcdir") or ".") .. "/man/radlab-lua.7"):read("a")
local missing_help, missing_man = {}, {}
for _, f in ipairs(funcs) do
  local h = rad.help(f[2])
  if type(h) ~= "string" or #h < 10 then missing_help[#missing_help + 1] = f[1] end
  if rad.help(f[1]) ~= h then missing_help[#missing_help + 1] = f[1] .. " (by name)" end
  -- the man page names each function in bold: \fBrad.read\fR or \fBImage:stats\fR
  local roff = f[1]:gsub("%.", "\\.")
  if not man:find("\\fB" .. f[1], 1, true) and not man:find(roff, 1, true) then
    missing_man[#missing_man + 1] = f[1]
  end
end
T.is(table.concat(missing_help, ", "), "", "every function has help text")
T.is(table.concat(missing_man, ", "), "", "every function is in man/radlab-lua.7")
T.like(rad.help(rad.read), "^rad%.read%(path%)", "help text starts with the call")
T.like(rad.help("Image:stats"), "^Image:stats", "help by name")
T.is(rad.help(print), nil, "no help for non-radlab functions")

T.done()
