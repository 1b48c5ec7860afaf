-- radlab: tests of the pretty printer rad.pretty.  SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/pretty.lua
local T = require "rad.test"
local P = require "rad.pretty"
local show = P.show

-- numbers: integers as integers, floats with %.14g and visibly floats
T.is(show(42), "42", "integer")
T.is(show(-7), "-7", "negative integer")
T.is(show(math.maxinteger), "9223372036854775807", "largest integer")
T.is(show(1.5), "1.5", "float")
T.is(show(2.0), "2.0", "integral float keeps .0")
T.is(show(1 / 3), "0.33333333333333", "float with 14 significant digits")
T.is(show(1e100), "1e+100", "large float")
T.is(show(-2.5e-7), "-2.5e-07", "small float")
T.is(show(math.huge), "inf", "infinity")
T.is(show(-math.huge), "-inf", "minus infinity")
T.is(show(0 / 0), "nan", "not a number")

-- strings: quoted and escaped so that the text reads back as the same string
T.is(show("abc"), '"abc"', "plain string")
T.is(show(""), '""', "empty string")
T.is(show('say "hi"\n'), '"say \\"hi\\"\\n"', "quotes and newline escaped")
T.is(show("a\\b\tc\r"), '"a\\\\b\\tc\\r"', "backslash, tab, carriage return")
T.is(show("\0" .. "1"), '"\\0001"', "control character before a digit takes 3 digits")
T.is(show("\1x"), '"\\1x"', "control character elsewhere is short")
T.is(show("héllo"), '"héllo"', "UTF-8 text is left alone")
for _, s in ipairs { "x\0y", "\1\0012\127", 'q"\\\n\t' } do
  T.is(load("return " .. show(s))(), s, "reads back: " .. show(s))
end

-- other simple values
T.is(show(nil), "nil", "nil")
T.is(show(true), "true", "true")
T.is(show(false), "false", "false")
T.is(show(print), "function: builtin", "a C function without help")
local function here() end
T.like(show(here), "^function: .*pretty%.lua:%d+$", "a Lua function shows where it was defined")
if type(rad) == "table" and type(rad.read) == "function" and rad.help and rad.help(rad.read) then
  T.is(show(rad.read), "function: rad.read", "a documented function shows its help name")
else
  T.skip(1, "rad.read has no help text in this build")
end

-- tables
T.is(show({}), "{}", "empty table")
T.is(show({ 1, 2, 3 }), "{ 1, 2, 3 }", "array")
T.is(show({ b = 2, a = 1 }), "{ a = 1, b = 2 }", "keys sorted")
T.is(show({ 10, 20, y = "s", x = true }), '{ 10, 20, x = true, y = "s" }',
  "array part first, then sorted keys")
T.is(show({ [1] = "a", [3] = "c" }), '{ "a", [3] = "c" }', "a hole ends the array part")
T.is(show({ ["two words"] = 1, ["end"] = 2, [1.5] = 3, [true] = 4 }),
  '{ [1.5] = 3, ["end"] = 2, [true] = 4, ["two words"] = 1 }',
  "keys that are not names are bracketed, sorted by tostring")
T.is(show({ 1, { 2, { 3 } }, k = { a = {} } }), "{ 1, { 2, { 3 } }, k = { a = {} } }", "nested tables")

-- depth: three levels by default, then {...}
local deep = { 1, { 2, { 3, { 4, { 5 } } } } }
T.is(show(deep), "{ 1, { 2, { 3, {...} } } }", "default depth 3")
T.is(show(deep, { depth = 1 }), "{ 1, {...} }", "depth 1")
T.is(show(deep, { depth = 10 }), "{ 1, { 2, { 3, { 4, { 5 } } } } }", "depth 10 shows all")
T.is(show({ {} }, { depth = 1 }), "{ {} }", "an empty table is shown even below the depth")

-- item limit: 50 entries by default, then "... (N more)"
local many = {}
for i = 1, 60 do many[i] = i end
local s = show(many)
T.like(s, "^{ 1, 2, 3, ", "long array starts in order")
T.like(s, ", 50, %.%.%. %(10 more%) }$", "long array: 50 items, then ... (10 more)")
T.is(show({ 1, 2, 3, a = 1, b = 2 }, { items = 4 }), "{ 1, 2, 3, a = 1, ... (1 more) }",
  "the limit counts array items and keys together")
local keys = {}
for i = 1, 55 do keys["k" .. i] = i end
T.like(show(keys), "%.%.%. %(5 more%) }$", "many keys: ... (5 more)")

-- cycles
local c = { name = "c" }
c.self = c
T.is(show(c), '{ name = "c", self = <cycle> }', "a table inside itself")
local a, b = {}, {}
a.b, b.a = b, a
T.is(show(a), "{ b = { a = <cycle> } }", "a cycle through two tables")
local shared = { 1 }
T.is(show({ shared, shared }), "{ { 1 }, { 1 } }", "a table met twice is not a cycle")

-- objects
local obj = setmetatable({ secret = 1 }, { __tostring = function() return "Point(1, 2)" end })
T.is(show(obj), "Point(1, 2)", "a table with __tostring prints through it")
T.is(show({ p = obj }), "{ p = Point(1, 2) }", "... also inside a table")
local bad = setmetatable({}, { __tostring = function() error("no") end })
T.is(show(bad), "<table: __tostring failed>", "a failing __tostring is contained")
local calls = 0
local proxy = setmetatable({ 1 }, {
  __index = function() calls = calls + 1 end,
  __pairs = function() calls = calls + 1 end,
  __len = function() calls = calls + 1 return 99 end,
})
T.is(show(proxy), "{ 1 }", "a proxy table prints its raw contents")
T.is(calls, 0, "showing never runs __index, __pairs or __len")
local ud = io.stdout
T.like(show(ud), "^file %(0x", "userdata with __tostring (a file)")
if type(rad) == "table" and type(rad.image) == "table" and type(rad.image.new) == "function" then
  local ok, img = pcall(rad.image.new, { size = { 2, 2, 2 } })
  if ok then
    T.is(show(img), tostring(img), "an Image prints as its __tostring")
  else
    T.skip(1, "rad.image.new failed: " .. tostring(img))
  end
else
  T.skip(1, "rad.image.new not available")
end

-- defaults can be changed
local old = P.depth
P.depth = 1
T.is(show(deep), "{ 1, {...} }", "P.depth changes the default")
P.depth = old

-- pretty.print writes show() of each argument, tab-separated
local tmp = os.tmpname()
local f = assert(io.open(tmp, "w"))
local saved = io.stdout
io.stdout = f
local ok, err = pcall(P.print, 1, "x", { 2 })
io.stdout = saved
f:close()
local fh = assert(io.open(tmp))
local printed = fh:read("a")
fh:close()
os.remove(tmp)
T.ok(ok, "pretty.print runs" .. (ok and "" or ": " .. tostring(err)))
T.is(printed, '1\t"x"\t{ 2 }\n', "pretty.print output")

T.done()
