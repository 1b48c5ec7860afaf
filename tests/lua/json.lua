-- radlab: rad.json (jansson).  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local dir = T.tmpdir()

-- encoding: sorted keys, arrays, null, integers vs reals, UTF-8
local v = {b = 1, a = {1, 2.5, rad.NA, 0 / 0, 1 / 0}, e = setmetatable({}, rad.json.array), o = {}, s = "é\"\n"}
T.is(rad.json.encode(v, {indent = 0}), '{"a":[1,2.5,null,null,null],"b":1,"e":[],"o":{},"s":"é\\"\\n"}',
  "compact: sorted keys, NA/NaN/inf as null, [] and {}, escapes, UTF-8 kept")
T.is(rad.json.encode({x = {1, 2}}), '{\n  "x": [\n    1,\n    2\n  ]\n}', "default indent 2")
T.is(rad.json.encode(0.1, {indent = 0}), "0.10000000000000001", "17 significant digits")
T.is(rad.json.encode(3, {indent = 0}), "3", "integers stay integers")
T.is(rad.json.encode(3.0, {indent = 0}), "3.0", "a float 3.0 stays a real")
T.is(rad.json.encode(true), "true", "scalars at the top level")
-- round trip, bit for bit
local x = {pi = math.pi, tiny = 5e-324, big = 1.7976931348623157e308, neg = -0.30000000000000004, list = {"a", "b"}}
local back = rad.json.decode(rad.json.encode(x))
T.ok(back.pi == math.pi and back.tiny == 5e-324 and back.big == x.big and back.neg == x.neg, "numbers read back bit for bit")
T.is(table.concat(back.list, ","), "a,b", "arrays read back as sequences")
T.ok(rad.json.decode("null") == rad.NA, "null decodes to rad.NA")
T.is(math.type(rad.json.decode("7")), "integer", "an integer stays an integer")
-- files
local p = dir .. "/m.json"
T.is(rad.json.write(p, {k = {1, 2, 3}}), p, "write returns the path")
local f = io.open(p, "rb"); local text = f:read("a"); f:close()
T.is(text, '{\n  "k": [\n    1,\n    2,\n    3\n  ]\n}\n', "file: the text and a final newline")
T.is(rad.json.read(p).k[3], 3, "read")
-- deterministic: equal tables, equal bytes, whatever the insertion order
local a, b = {}, {}
for i = 1, 50 do a["k" .. i] = i end
for i = 50, 1, -1 do b["k" .. i] = i end
T.is(rad.json.encode(a), rad.json.encode(b), "equal tables give equal bytes")

-- errors
T.errors(function() rad.json.encode({[2.5] = 1}) end, "rad.json.encode: a number key (2.5) at the top level", "non-string key")
T.errors(function() rad.json.encode({f = print}) end, "a function (only nil, booleans, numbers, strings and tables) at f", "a function")
T.errors(function() rad.json.encode({s = "\255"}) end, "a string that is not valid UTF-8 at s", "invalid UTF-8")
local loop = {}; loop.self = loop
T.errors(function() rad.json.encode(loop) end, "tables nested more than 200 deep (a table that contains itself?)", "a cycle")
T.errors(function() rad.json.decode('{"a": 1,}') end, "rad.json.decode: the text is not valid JSON: string or '}' expected near '}' (line 1, column 9)", "syntax error with line and column")
T.errors(function() rad.json.decode('{"a": 1, "a": 2}') end, "duplicate object key", "duplicate keys refused")
T.errors(function() rad.json.read(dir .. "/none.json") end, "rad.json.read: cannot open '" .. dir .. "/none.json'", "missing file")
T.errors(function() rad.json.write(dir .. "/no/such/x.json", {}) end, "cannot write '" .. dir .. "/no/such/x.json'", "unwritable")
T.errors(function() rad.json.encode({}, {indnt = 2}) end, "rad.json.encode: unknown option 'indnt'", "unknown option")
T.done()
