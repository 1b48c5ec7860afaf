-- radlab: pretty printer.  SPDX-License-Identifier: GPL-3.0-or-later
--
-- pretty.show(v [, opts]) renders any value on one line, the way the REPL
-- prints results:
--
--   numbers   integers as integers, floats with %.14g ("2.0" stays a float)
--   strings   quoted, with control characters escaped as Lua would read them
--   tables    { 1, 2, key = value }: the array part in order, then the other
--             keys sorted by tostring; nesting shown to opts.depth levels
--             ("{...}" below), at most opts.items entries ("... (N more)"),
--             a table inside itself as "<cycle>"
--   functions "function: rad.read" when rad.help knows them, else where a Lua
--             function was defined, else "function: builtin"
--   objects   a __tostring metamethod prints them (tables and userdata);
--             other userdata show their metatable's __name as "<rad.Image>"
--
-- Tables are walked with raw access only: showing a value never runs its
-- __index, __pairs or __len.

local M = {}

M.depth = 3  -- default nesting depth
M.items = 50 -- default entries shown per table

local format, concat, sort = string.format, table.concat, table.sort
local mtype, huge = math.type, math.huge
local getmetatable = debug and debug.getmetatable or getmetatable
local getinfo = debug and debug.getinfo
local next, rawget, rawequal, pcall = next, rawget, rawequal, pcall
local tostring, type, select = tostring, type, select

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local
            nil not or repeat return then true until while]]):gmatch("%a+") do
  keywords[w] = true
end

local function number(n)
  if mtype(n) == "integer" then return format("%d", n) end
  if n ~= n then return "nan" end
  if n == huge then return "inf" end
  if n == -huge then return "-inf" end
  local s = format("%.14g", n)
  if s:match("^-?%d+$") then s = s .. ".0" end -- keep a float visibly a float
  return s
end

local escapes = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\a"] = "\\a", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t", ["\v"] = "\\v",
}

-- A decimal escape takes three digits when a digit follows, so that
-- "\1" .. "2" does not read back as "\12".
local function quote(s)
  return '"' .. s:gsub('([%c"\\])(%d?)', function(c, digit)
    local e = escapes[c]
    if not e then e = format(digit ~= "" and "\\%03d" or "\\%d", c:byte()) end
    return e .. digit
  end) .. '"'
end

-- The name rad.help gives a function: the part of its help line before the
-- argument list.
local function helpname(f)
  local rad = package.loaded.rad
  local help = type(rad) == "table" and rawget(rad, "help")
  if type(help) ~= "function" then return nil end
  local ok, h = pcall(help, f)
  if ok and type(h) == "string" then return h:match("^([%w_.:]+)") end
end

local function func(f)
  local name = helpname(f)
  if name then return "function: " .. name end
  local info = getinfo and getinfo(f, "S")
  if info and info.what ~= "C" then
    return format("function: %s:%d", info.short_src, info.linedefined)
  end
  return "function: builtin"
end

-- A value whose metatable has __tostring prints through it; a failing
-- __tostring must not break the printing of everything around it.
local function byname(v, mt)
  if type(mt) ~= "table" then return nil end
  if rawget(mt, "__tostring") ~= nil then
    local ok, s = pcall(tostring, v)
    if ok and type(s) == "string" then return s end
    return "<" .. type(v) .. ": __tostring failed>"
  end
  if type(v) == "userdata" then
    local name = rawget(mt, "__name")
    if type(name) == "string" then return "<" .. name .. ">" end
  end
  return nil
end

local render

local function keystring(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") and not keywords[k] then
    return k
  end
  return nil
end

-- Sort other keys by tostring, with the type name to break ties between,
-- say, 1.5 and "1.5"; the strings are made once, before sorting.
local function sortkeys(keys)
  local text = {}
  for i = 1, #keys do
    local k = keys[i]
    local ok, s = pcall(tostring, k)
    text[k] = (ok and type(s) == "string" and s or "") .. "\0" .. type(k)
  end
  sort(keys, function(a, b) return text[a] < text[b] end)
end

local function tbl(t, opts, level, seen)
  if next(t) == nil then return "{}" end
  if seen[t] then return "<cycle>" end
  if level > opts.depth then return "{...}" end
  seen[t] = true
  local n = 0
  while rawget(t, n + 1) ~= nil do n = n + 1 end
  local keys = {}
  for k in next, t do
    if not (mtype(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  sortkeys(keys)
  local parts, max = {}, opts.items
  for i = 1, n < max and n or max do
    parts[#parts + 1] = render(rawget(t, i), opts, level + 1, seen)
  end
  for i = 1, #keys do
    if #parts >= max then break end
    local k = keys[i]
    local name = keystring(k) or "[" .. render(k, opts, level + 1, seen) .. "]"
    parts[#parts + 1] = name .. " = " .. render(rawget(t, k), opts, level + 1, seen)
  end
  local total = n + #keys
  if total > #parts then parts[#parts + 1] = format("... (%d more)", total - #parts) end
  seen[t] = nil -- a table met again elsewhere (not inside itself) prints in full
  return "{ " .. concat(parts, ", ") .. " }"
end

render = function(v, opts, level, seen)
  local t = type(v)
  if t == "number" then return number(v) end
  if t == "string" then return quote(v) end
  if t == "function" then return func(v) end
  if t == "table" or t == "userdata" then
    local s = byname(v, getmetatable(v))
    if s then return s end
    if t == "table" then return tbl(v, opts, level, seen) end
  end
  return tostring(v) -- nil, booleans, threads, plain userdata
end

-- Names joined with spaces, wrapped before `width` columns; continuation
-- lines start with `indent`.
local function wrap(names, indent, width)
  local lines, line = {}, ""
  for _, n in ipairs(names) do
    if #line > 0 and #indent + #line + 1 + #n > width then
      lines[#lines + 1] = line
      line = n
    else
      line = #line > 0 and line .. " " .. n or n
    end
  end
  lines[#lines + 1] = line
  return concat(lines, "\n" .. indent)
end

-- The rad module at the prompt: its names grouped (functions, then each
-- sub-table, then values), one group per line, instead of one long table.
local function module_listing(t, name, opts)
  local funcs, subs, vals = {}, {}, {}
  for k, v in next, t do
    if type(k) == "string" then
      if type(v) == "function" then funcs[#funcs + 1] = k
      elseif type(v) == "table" and getmetatable(v) == nil then subs[#subs + 1] = k
      else vals[#vals + 1] = k end
    end
  end
  sort(funcs); sort(subs); sort(vals)
  local width, pad = 100, 16
  local out = {name .. ": help(" .. name .. ".NAME) explains one; help() explains help"}
  out[1 + #out] = format("  %-" .. pad - 2 .. "s%s", "functions", wrap(funcs, (" "):rep(pad), width))
  -- the stdlib modules (rad.doc.modules) not loaded yet: rad.demo etc. load on first use,
  -- as does rad.plot (the metatable's __modules names them all)
  local okd, doc = pcall(require, "rad.doc")
  local mods, seen = {}, {}
  local function add(m)
    if type(m) == "string" and not seen[m] and rawget(t, m) == nil then seen[m] = true mods[#mods + 1] = m end
  end
  if okd and type(doc) == "table" and type(doc.modules) == "table" then
    for _, m in ipairs(doc.modules) do add(m) end
  end
  local mt = getmetatable(t)
  local lazy = type(mt) == "table" and rawget(mt, "__modules")
  if type(lazy) == "table" then
    for m in next, lazy do add(m) end
  end
  sort(mods)
  if #mods > 0 then
    out[#out + 1] = format("  %-" .. pad - 2 .. "s%s", "modules", wrap(mods, (" "):rep(pad), width))
  end
  for _, k in ipairs(subs) do
    local inner = {}
    for kk, vv in next, rawget(t, k) do
      if type(kk) == "string" then inner[#inner + 1] = kk .. (type(vv) == "table" and ".*" or "") end
    end
    sort(inner)
    out[#out + 1] = format("  %-" .. pad - 2 .. "s%s", name .. "." .. k, wrap(inner, (" "):rep(pad), width))
  end
  for _, k in ipairs(vals) do
    out[#out + 1] = format("  %-" .. pad - 2 .. "s%s", name .. "." .. k, render(rawget(t, k), opts, 2, {}))
  end
  return concat(out, "\n")
end

--- pretty.show(v [, {depth = 3, items = 50}]) -> string: v on one line, as the REPL prints it (the rad module: its names grouped)
function M.show(v, opts)
  local o = {
    depth = opts and opts.depth or M.depth,
    items = opts and opts.items or M.items,
  }
  if type(v) == "table" and rawequal(v, package.loaded.rad) then return module_listing(v, "rad", o) end
  return render(v, o, 1, {})
end

--- pretty.print(...): print every argument with pretty.show, separated by tabs
function M.print(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = M.show((select(i, ...))) end
  io.stdout:write(concat(parts, "\t"), "\n")
end

-- help texts, when the rad module is there (this module also works without it)
if package.loaded.rad or pcall(require, "rad") then return (require("rad.doc").register(M, "pretty", "M")) end
return M
