-- radlab bad-input suite: tables and CSV.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

B.call("csv: file that does not exist", function() rad.read_csv(B.dir .. "/none.csv") end, "No such file")

local p = B.file("ragged.csv", "id,age,stage\n1,50,L1\n2,61\n3,47,L2\n")
B.call("csv: ragged row", function() rad.read_csv(p) end, "ragged.csv: line 3 has 2 fields, the header has 3")

p = B.file("quote.csv", "id,name\n1,\"Smith, J\n2,Jones\n")
B.call("csv: unterminated quote", function() rad.read_csv(p) end,
  "quote.csv: line 2: a quoted field opened here is never closed (a \" is missing)")

p = B.file("afterquote.csv", "id,name\n1,\"Smith\"x\n")
B.call("csv: text after a closing quote", function() rad.read_csv(p) end,
  "afterquote.csv: line 2: unexpected text after a closing quote")

p = B.file("huge.csv", "id,volume\n1,12.5\n2,1e400\n")
B.call("csv: number too large for a double", function() rad.read_csv(p) end,
  "huge.csv: line 3, column 'volume': '1e400' is too large for a double")

p = B.file("binary.csv", "\137PNG\r\n\26\n\0\0\0\rIHDR\0\0\0\16")
B.call("csv: binary garbage", function() rad.read_csv(p) end,
  "binary.csv: line 3 holds a NUL byte: this is a binary file, not CSV text")

p = B.file("utf16.csv", "\255\254i\0d\0\n\0")
B.call("csv: UTF-16 file (its byte order mark)", function() rad.read_csv(p) end,
  "utf16.csv is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8 CSV")

p = B.file("empty.csv", "")
B.call("csv: empty file", function() rad.read_csv(p) end, "empty.csv is empty: a CSV file needs a header line")

p = B.file("bomonly.csv", "\239\187\191\n\n")
B.call("csv: only a UTF-8 byte order mark and blank lines", function() rad.read_csv(p) end, "bomonly.csv is empty")

p = B.file("header.csv", "time,event,age\n")
local h = rad.read_csv(p)
B.call("csv: header only, then a model", function() rad.cox(h, {time = "time", event = "event", x = {"age"}}) end,
  "rad.cox: the table has no rows (was the CSV file only a header?)")

p = B.file("dup.csv", "id,age,age\n1,2,3\n")
B.call("csv: duplicate column names", function() rad.read_csv(p) end,
  "dup.csv: the header names column 'age' twice (columns 2 and 3); names must be unique")

p = B.file("noname.csv", "id,,age\n1,2,3\n")
B.call("csv: a header cell without a name", function() rad.read_csv(p) end,
  "noname.csv: column 2 of the header has no name")

p = B.file("comma.csv", "id,age\n1,50\n2,61\n")
B.call("csv: decimal comma on a comma-separated file", function() rad.read_csv(p, {decimal = ","}) end,
  "comma.csv: decimal = \",\" needs fields separated by ';' or a tab, but the header line is separated by ','")
B.call("csv: decimal mark that is not . or ,", function() rad.read_csv(p, {decimal = ";"}) end,
  "read_csv: option 'decimal' must be \".\" or \",\", got \";\"")
B.call("csv: inf option of the wrong type", function() rad.read_csv(p, {inf = "yes"}) end,
  "read_csv: option 'inf' must be true (infinite cells are +-infinity) or false (they are missing), got string")
B.call("csv: misspelt option", function() rad.read_csv(p, {seperator = ";"}) end,
  "read_csv: unknown option 'seperator' (allowed: sep, types, na, decimal, inf)")

-- decimal commas read without decimal = ",": the column is text, and using it says why
p = B.file("dec.csv", "time;event;ldh\n1;1;2,5\n2;0;3,25\n3;1;1,5\n")
local d = rad.read_csv(p)
B.call("csv: decimal commas read as text, used as a number", function()
  rad.cox(d, {time = "ldh", event = "event", x = {"time"}}) end,
  "rad.cox: time: column 'ldh' was read as text: its cells are numbers with a decimal comma (row 1 holds '2,5'); read the file with {decimal = \",\"}")

p = B.file("odd.csv", "time,event,age\n1,1,50\n2,0,61\n3,1,unknown\n4,1,47\n")
local o = rad.read_csv(p)
B.call("csv: one odd cell makes a text column; used as time it names row and value", function()
  rad.cox(o, {time = "age", event = "event", x = {"time"}}) end,
  "rad.cox: time: column 'age' was read as text, not numbers, because row 3 holds 'unknown' (1 cell is not a number, 3 are)")

B.call("table.new: named keys instead of {name, values} pairs", function()
  rad.table.new{time = {1, 2}, event = {1, 0}} end,
  "rad.table.new: got a column keyed '")
B.call("table.new: named keys message shows the expected form", function()
  rad.table.new{time = {1, 2}} end,
  "give an array of {name, values} pairs (columns keep their order): rad.table.new{{\"time\", {...}}, {\"other\", {...}}}")

local t = rad.table.new{{"a", {1, 2}}}
local out = B.dir .. "/missing/dir/out.csv"
B.call("write_csv into a folder that does not exist", function() t:write_csv(out) end, "cannot", {writes = {out}})

-- JSON (rad.json): bad text names line and column; a failed write leaves nothing
local jbad = B.file("bad.json", '{"a": [1, 2,, 3]}')
B.call("json: a syntax error", function() rad.json.read(jbad) end,
  "rad.json.read: '" .. jbad .. "' is not valid JSON: ")
B.call("json: nested deeper than the parser allows", function()
  rad.json.decode(string.rep("[", 3000) .. string.rep("]", 3000)) end,
  "rad.json.decode: the text is not valid JSON: maximum parsing depth reached")
B.call("json: a value JSON cannot hold", function() rad.json.write(B.dir .. "/f.json", {f = print}) end,
  "rad.json.encode: a function (only nil, booleans, numbers, strings and tables) at f", {writes = {B.dir .. "/f.json"}})
B.call("json: a folder that does not exist", function() rad.json.write(B.dir .. "/no/x.json", {1}) end,
  "rad.json.write: cannot write '" .. B.dir .. "/no/x.json'", {writes = {B.dir .. "/no/x.json"}})
B.call("stats: qnorm outside (0, 1)", function() rad.stats.qnorm(1.5) end,
  "rad.stats.qnorm: p must be strictly between 0 and 1, got 1.5")
B.call("stats: pchisq with negative df", function() rad.stats.pchisq(2, -1) end,
  "rad.stats.pchisq: df must be > 0, got -1")

B.done()
