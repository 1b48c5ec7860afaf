-- radlab: Table benchmark (prints timings; not a pass/fail test).
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- A 1,000 x 5,000 numeric CSV with an id column (~40 MB) is generated in /tmp,
-- read, joined with a 1,000 x 5 clinical table on id, filtered and narrowed
-- to 100 columns.  Usage: radlab tests/bench/table.lua [nrow [ncol]]

local nrow = tonumber(arg and arg[1]) or 1000
local ncol = tonumber(arg and arg[2]) or 5000

local function ms(t0) return (os.clock() - t0) * 1000 end
local path = os.tmpname() .. ".csv"

-- generate
local t0 = os.clock()
local f = assert(io.open(path, "w"))
local head = {"id"}
for j = 1, ncol do head[#head + 1] = string.format("f%04d", j) end
f:write(table.concat(head, ","), "\n")
local seed = 12345
local row = {}
for i = 1, nrow do
  row[1] = i
  for j = 1, ncol do
    seed = (seed * 1103515245 + 12345) % 2147483648
    row[j + 1] = string.format("%.6f", seed / 2147483648 * 200 - 100)
  end
  f:write(table.concat(row, ",", 1, ncol + 1), "\n")
end
f:close()
local size = io.open(path):seek("end")
print(string.format("generate %d x %d CSV (%.1f MB): %.0f ms", nrow, ncol + 1, size / 1e6, ms(t0)))

-- read
t0 = os.clock()
local t = rad.read_csv(path)
print(string.format("read_csv: %.0f ms (%d rows x %d columns)", ms(t0), t:nrow(), t:ncol()))

-- clinical table and join
local ids, age, sex, stage, event = {}, {}, {}, {}, {}
for i = 1, nrow do
  ids[i] = nrow + 1 - i
  age[i] = 1 + (i * 7) % 15
  sex[i] = i % 2 == 0 and "f" or "m"
  stage[i] = ({"1", "2", "3", "4"})[i % 4 + 1]
  event[i] = i % 3 == 0 and 1 or 0
end
local clin = rad.table.new{{"id", ids}, {"age", age}, {"sex", sex}, {"stage", stage}, {"event", event}}
t0 = os.clock()
local j = t:join(clin, "id")
print(string.format("join on id with a %d x 5 table: %.0f ms (%d x %d)", nrow, ms(t0), j:nrow(), j:ncol()))

-- filter
t0 = os.clock()
local fl = j:filter(function(r) return r.age > 5 and r.sex == "f" end)
print(string.format("filter (row views over %d columns): %.0f ms (%d rows kept)", j:ncol(), ms(t0), fl:nrow()))

-- select
local names = {"id", "age", "sex", "stage", "event"}
for k = 1, 95 do names[#names + 1] = string.format("f%04d", k * (ncol // 100)) end
t0 = os.clock()
local s = fl:select(names)
print(string.format("select 100 columns: %.0f ms (%d x %d)", ms(t0), s:nrow(), s:ncol()))

-- write
t0 = os.clock()
t:write_csv(path)
print(string.format("write_csv %d x %d: %.0f ms", t:nrow(), t:ncol(), ms(t0)))
os.remove(path)
