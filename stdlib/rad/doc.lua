-- radlab: help texts for the Lua stdlib modules.  SPDX-License-Identifier: GPL-3.0-or-later
--
-- A module documents each public function with a "--- name(args) -> result:
-- what" comment on the line just above `function module.name(` (or a method
-- `function Class:name(`, registered as "Class:name"), and ends
-- with `require("rad.doc").register(module, "module")`.  The comment becomes
-- the function's help(), and man/gen-lua-ref.lua puts it in radlab-lua(7): one
-- text, written once, next to the code.

local M = {}

--- doc.register(mod, modname [, localname]) -> mod: register the "--- " comments of the calling module's source as help texts (localname: the module's table in its source, default modname)
function M.register(mod, modname, localname)
  local rad = package.loaded.rad or require "rad"
  local src = debug.getinfo(2, "S").source
  if src:sub(1, 1) ~= "@" then return mod end
  local f = io.open(src:sub(2), "r")
  if not f then return mod end
  local pending
  for line in f:lines() do
    local text = line:match("^%-%-%- (.+)$")
    if text then
      pending = text
    else
      local sep, name = line:match("^function " .. (localname or modname) .. "([%.:])([%w_]+)%s*%(")
      if name and pending and type(mod[name]) == "function" then
        rad.document(mod[name], modname .. sep .. name, pending)
      end
      pending = nil
    end
  end
  f:close()
  return mod
end

-- the modules whose functions the manual lists (man/gen-lua-ref.lua)
M.modules = {"cohort", "select", "describe", "rng", "validate", "demo", "pretty", "test", "doc", "shard", "robust", "study", "checklist", "pyradiomics", "notebook"}

return (M.register(M, "doc", "M"))

