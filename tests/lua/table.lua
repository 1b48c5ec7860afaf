-- radlab: the Table from Lua: rad.read_csv, rad.table.new, rad.NA and the methods.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local tmp = os.tmpname()
local function write(text)
  local f = assert(io.open(tmp, "wb"))
  f:write(text)
  f:close()
  return tmp
end

-- rad.NA
T.is(tostring(rad.NA), "NA", "rad.NA prints as NA")
T.errors(function() rad.NA.x = 1 end, "constant", "rad.NA cannot be changed")

-- construction
local t = rad.table.new{
  {"id", {1, 2, 3, 4, 5}},
  {"age", {61, 57, rad.NA, 70, 45}},
  {"sex", {"m", "f", "m", rad.NA, "f"}},
}
T.is(t:nrow(), 5, "nrow")
T.is(#t, 5, "__len is nrow")
T.is(t:ncol(), 3, "ncol")
T.is(table.concat(t:names(), ","), "id,age,sex", "names keep the given order")
T.is(t:type("age"), "number", "type number")
T.is(t:type("sex"), "string", "type string")
local age = t:col("age")
T.is(#age, 5, "# of a column with a missing value is its length")
T.is(age[3], rad.NA, "missing number is rad.NA")
T.is(t:col("sex")[4], rad.NA, "missing string is rad.NA")
T.is(t:get(2, "sex"), "f", "get")
T.is(t:row(4).age, 70, "row")
T.is(t:row(4).sex, rad.NA, "row with NA")
T.like(tostring(t), "Table: 5 rows x 3 columns", "tostring header", true)
T.like(tostring(t), "NA", "tostring shows NA", true)

T.errors(function() rad.table.new{{"a", {1, 2}}, {"b", {1}}} end, "column 'b' has 1 values, column 'a' has 2",
  "columns of different length")
T.errors(function() rad.table.new{{"a", {1, "x"}}} end, "column 'a' mixes numbers and strings", "mixed types")
T.errors(function() rad.table.new{{"a", {1, true}}} end, "column 'a', value 2 is boolean", "booleans refused")
T.errors(function() rad.table.new{{"a", {1}}, {"a", {2}}} end, "already has a column 'a'", "duplicate names")
T.errors(function() t:col("Age") end, "no column 'Age' in the table (did you mean 'age'?)", "close match")
T.errors(function() t:get(6, "age") end, "row 6 is out of range (the table has 5 rows)", "get out of range")
T.errors(function() t:row(0) end, "row 0 is out of range", "row 0")

-- select, rows, filter, drop_na, head, copy
local s = t:select{"sex", "id"}
T.is(table.concat(s:names(), ","), "sex,id", "select with an array")
T.is(t:select("age", "id"):ncol(), 2, "select with varargs")
T.errors(function() t:select{"id", "wt"} end, "no column 'wt'", "select an absent column")
local r = t:rows{5, 1, 1}
T.is(r:nrow(), 3, "rows with repeats")
T.is(r:get(1, "id"), 5, "rows in the given order")
T.errors(function() t:rows{1, 9} end, "rows: index 2 is row 9, out of range", "rows out of range")
T.errors(function() t:rows{1.5} end, "rows: index 1 is number", "rows must be whole numbers")
local f = t:filter(function(row) return row.sex == "f" end)
T.is(f:nrow(), 2, "filter")
T.is(f:get(2, "id"), 5, "filter keeps order")
T.is(t:filter(function(row) return row.age ~= rad.NA and row.age > 60 end):nrow(), 2, "filter with NA check")
T.errors(function() t:filter(function(row) error("boom") end) end, "boom", "errors in fn propagate")
T.errors(function() t:filter(function(row) return row.Sex == "f" end) end, "the row has no column 'Sex'",
  "filter: unknown column")
T.errors(function() t:filter(function(row) row.sex = "x" end) end, "read-only", "filter: rows are read-only")
local seen = {}
t:filter(function(row) for k, v in pairs(row) do seen[#seen + 1] = k .. "=" .. tostring(v) end end)
T.is(table.concat(seen, " ", 1, 3), "id=1 age=61 sex=m", "filter: pairs over a row in column order")
T.is(seen[10], "id=4", "filter: pairs visits every row")
T.is(seen[16], nil, "filter: pairs stops at the last column")
T.is(#seen, 15, "filter: 5 rows x 3 columns")
T.is(t:drop_na():nrow(), 3, "drop_na over all columns")
T.is(t:drop_na{"sex"}:nrow(), 4, "drop_na over one column")
T.is(t:drop_na("age"):nrow(), 4, "drop_na with varargs")
T.is(t:head(2):nrow(), 2, "head(2)")
T.is(t:head():nrow(), 5, "head of a short table")
local c = t:copy()
c:drop("sex")
T.is(c:ncol(), 2, "drop on the copy")
T.is(t:ncol(), 3, "original unchanged")
T.errors(function() c:drop("sex") end, "no column 'sex'", "drop of an absent column")

-- add
T.is(c:add("w", {1, 2, 3, 4, rad.NA}), c, "add returns the table")
T.is(c:col("w")[5], rad.NA, "added column with NA")
T.is(c:add("g", {"a", "b", "a", "b", "a"}):type("g"), "string", "added string column")
T.errors(function() c:add("z", {1, 2}) end, "column 'z' has 2 values, the table has 5 rows", "add with wrong length")
T.errors(function() c:add("w", {1, 2, 3, 4, 5}) end, "already has a column 'w'", "add with a used name")

local e = rad.table.new{}
T.is(e:nrow() .. "x" .. e:ncol(), "0x0", "empty table")
T.is(e:add("a", {1, 2}):nrow(), 2, "the first added column sets the length")

-- join
local clin = rad.table.new{{"id", {4, 2, 9, 1}}, {"stage", {"I", "II", "III", "IV"}}}
local j = t:join(clin, "id")
T.is(j:nrow(), 3, "inner join")
T.is(table.concat(j:names(), ","), "id,age,sex,stage", "join appends columns")
T.is(j:get(3, "stage"), "I", "join matches keys")
T.errors(function() t:join(clin, "sex") end, "join: second table: no column 'sex'", "join on an absent key")
T.errors(function() t:join(t, "id") end, "both tables have a column 'age'", "join name clash")

-- split
local parts = t:split{by = "sex"}
T.is(table.concat(parts.levels, ","), "f,m", "split levels sorted, missing left out")
T.is(parts.f:nrow(), 2, "split part f")
T.is(parts.m:get(2, "id"), 3, "split part m")
T.errors(function() t:split{} end, "option 'by'", "split needs by")
T.errors(function() t:split{by = "sex", x = 1} end, "unknown option 'x'", "split rejects unknown options")

-- describe
local d = t:describe()
T.is(d:nrow(), 3, "describe: one row per column")
T.is(d:get(2, "name"), "age", "describe names")
T.near(d:get(2, "mean"), 58.25, 1e-12, "describe mean")
T.is(d:get(2, "missing"), 1, "describe missing")
T.is(d:get(3, "levels"), 2, "describe levels")

-- CSV
local csv = write('id,name,x\r\n1,"Smith, J",0.1\r\n2,"say ""hi""",NA\r\n3,"two\nlines",1e-300\r\n')
local u = rad.read_csv(csv)
T.is(u:nrow(), 3, "read_csv rows")
T.is(u:get(1, "name"), "Smith, J", "quoted separator")
T.is(u:get(2, "name"), 'say "hi"', "escaped quote")
T.is(u:get(3, "name"), "two\nlines", "embedded newline")
T.is(u:get(2, "x"), rad.NA, "NA cell")
T.is(u:get(3, "x"), 1e-300, "1e-300 exact")
u:add("neg", {-0.0, 1 / 3, 2 ^ 53 + 2})
local out = tmp .. ".out.csv"
T.is(u:write_csv(out), u, "write_csv returns the table")
local v = rad.read_csv(out)
T.is(v:get(1, "x"), 0.1, "0.1 round trip")
T.is(1 / v:get(1, "neg"), -math.huge, "-0 round trip")
T.is(v:get(2, "neg"), 1 / 3, "1/3 round trip")
T.is(v:get(3, "neg"), 2 ^ 53 + 2, "2^53+2 round trip")
T.is(v:get(3, "name"), "two\nlines", "string round trip")
u:write_csv(out, {sep = ";"})
T.is(rad.read_csv(out):get(1, "name"), "Smith, J", "';' file detected")
os.remove(out)

csv = write("id;v;w\n001;-;1\n002;2;x\n")
local w = rad.read_csv(csv, {types = {id = "string"}, na = {"-"}})
T.is(w:get(1, "id"), "001", "types = string keeps leading zeros")
T.is(w:get(1, "v"), rad.NA, "na option")
T.is(w:type("v"), "number", "na option leaves a numeric column")
T.is(w:type("w"), "string", "inferred string column")
T.errors(function() rad.read_csv(csv, {types = {w = "number"}}) end, "line 3, column 'w': 'x' is not a number",
  "forced number")
T.errors(function() rad.read_csv(csv, {types = {w = "date"}}) end, "types.w must be \"string\" or \"number\"",
  "bad type name")
T.errors(function() rad.read_csv(csv, {sep = "|"}) end, "option 'sep'", "bad separator")
T.errors(function() rad.read_csv(csv, {quote = "'"}) end, "unknown option 'quote'", "unknown option")
T.errors(function() rad.read_csv(write("a,b\n1,2\n1\n")) end, "line 3 has 1 field, the header has 2", "ragged")
T.errors(function() rad.read_csv(write("a,b\n1,\"2\n")) end, "line 2: a quoted field opened here is never closed",
  "unterminated quote")
T.errors(function() rad.read_csv(write("")) end, "is empty", "empty file")
T.errors(function() rad.read_csv(write("a,a\n1,2\n")) end, "names column 'a' twice", "duplicate header")
T.errors(function() rad.read_csv("/nonexistent.csv") end, "/nonexistent.csv", "missing file")
os.remove(tmp)

-- reference data (the lung data set of R's survival package)
local dir, why = T.data()
if dir then
  local lung = rad.read_csv(dir .. "/survival/lung.csv")
  T.is(lung:nrow(), 228, "lung: 228 rows")
  T.is(lung:ncol(), 10, "lung: 10 columns")
  T.is(lung:drop_na():nrow(), 167, "lung: 167 complete cases (R: nrow(na.omit(lung)))")
  T.is(lung:drop_na{"age", "sex", "ph.ecog"}:nrow(), 227, "lung: 227 complete for age, sex, ph.ecog")
  T.is(lung:get(1, "wt.loss"), rad.NA, "lung: empty cell is NA")
else
  T.skip(5, why)
end

-- close
local k = rad.table.new{{"a", {1}}}
k:close()
T.errors(function() k:nrow() end, "closed Table", "a closed table refuses use")
T.is(tostring(k), "Table (closed)", "a closed table prints")
do
  local z <close> = rad.table.new{{"a", {1}}}
  T.is(z:nrow(), 1, "to-be-closed variable")
end
T.like(rad.help(rad.read_csv), "^rad%.read_csv%(path", "help text")
T.like(rad.help("Table:join"), "^Table:join", "method help by name")

-- ---- missing and infinite cells, decimal commas (issue 10) ----
do
  local p = write("id;ldh;ratio;score\n1;1,5;NaN;inf\n2;2,25;nan;-Inf\n3;;NA;2,5\n4;10;7;1e3\n")
  rad.warnings(true)
  local d = rad.read_csv(p, {decimal = ","})
  local w = rad.warnings(true)
  T.is(d:type("ldh"), "number", "decimal comma: ldh is numeric")
  T.is(d:get(1, "ldh"), 1.5, "decimal comma: 1,5 is 1.5")
  T.is(d:get(2, "ldh"), 2.25, "decimal comma: 2,25 is 2.25")
  T.is(d:get(3, "ldh"), rad.NA, "an empty cell is missing")
  T.is(d:type("ratio"), "number", "NaN, nan and NA leave the column numeric")
  T.is(d:get(4, "ratio"), 7, "ratio: the one number")
  T.is(d:get(1, "ratio"), rad.NA, "NaN is missing")
  T.is(d:get(2, "score"), rad.NA, "-Inf is missing by default")
  T.is(d:get(4, "score"), 1000, "1e3 reads with decimal commas too")
  T.is(#w, 1, "one warning for the infinite cells")
  T.like(w[1] or "", "column 'score': 2 infinite values (first 'inf' on line 2) read as missing (read with {inf = true} to keep them)",
    "the warning names column, count, first value and line", true)
  local e = rad.read_csv(p, {decimal = ",", inf = true})
  T.is(e:get(1, "score"), math.huge, "inf = true: inf is +infinity")
  T.is(e:get(2, "score"), -math.huge, "inf = true: -Inf is -infinity")
  T.is(#rad.warnings(true), 0, "inf = true: no warning")
  local f = rad.read_csv(p)
  T.is(f:type("ldh"), "string", "without decimal = \",\" the comma column is text")
  T.is(f:get(1, "ldh"), "1,5", "and keeps its text")
end

-- printing UTF-8 text: widths in characters, long cells cut between characters
do
  local u = rad.table.new{{"name", {"Müller-Lüdenscheidt-Überstraße", "é", "ééééééééééééééééééé"}}, {"n", {1, 22, 333}}}
  T.is(tostring(u), "Table: 3 rows x 2 columns\n" ..
    "name                n\n" ..
    "Müller-Lüdens...    1\n" ..
    "é                  22\n" ..
    "ééééééééééééé...  333", "UTF-8 cells line up and are cut between characters")
end

T.done()
