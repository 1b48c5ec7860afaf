-- radlab: tests of rad.shard (shard specs and the size-balanced assignment)
-- and rad.file_digest.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local shard = require "rad.shard"

-- ---- specs ---------------------------------------------------------------------
local k, n = shard.parse("2/5")
T.is(k, 2, "2/5: K = 2"); T.is(n, 5, "2/5: N = 5")
k, n = shard.parse("1/1")
T.is(k * 10 + n, 11, "1/1 is a valid one-shard split")
local bad = {
  {"3/2", "shard '3/2': K must be 1..2"},
  {"0/0", "shard '0/0': N, the number of shards, must be at least 1"},
  {"1/0", "shard '1/0': N, the number of shards, must be at least 1"},
  {"0/3", "shard '0/3': K must be 1..3"},
  {"a/b", "shard 'a/b' is not K/N"},
  {"2", "shard '2' is not K/N"},
  {"-1/3", "shard '-1/3' is not K/N"},
  {"1.5/3", "shard '1.5/3' is not K/N"},
}
for _, c in ipairs(bad) do
  local spec, msg = c[1], c[2]
  local kk, why = shard.parse(spec)
  T.is(kk, nil, spec .. " refused")
  T.like(why, msg, spec .. ": message", true)
end

-- ---- assignment ---------------------------------------------------------------------
-- sizes 5 9 2 7 3 3 on 2 shards, worked by hand: largest first 9 (case 2) -> 1,
-- 7 (case 4) -> 2, 5 (case 1) -> 2 (7 < 9), 3 (case 5) -> 1 (9 < 12),
-- 3 (case 6) -> 1 (12 = 12, both 2 cases: lowest number), 2 (case 3) -> 2 (14 < 15)
local where, total = shard.assign({5, 9, 2, 7, 3, 3}, 2)
T.is(table.concat(where, " "), "2 1 2 2 1 1", "hand-worked assignment of 6 cases to 2 shards")
T.is(total[1] .. " " .. total[2], "15 14", "shard totals 15 and 14 bytes")
-- equal sizes: round robin in manifest order
T.is(table.concat(shard.assign({4, 4, 4, 4, 4}, 3), " "), "1 2 3 1 2", "equal sizes deal in turn")
-- empty files (size 0): counting cases keeps every shard non-empty
T.is(table.concat(shard.assign({10, 0, 0}, 3), " "), "1 2 3", "zero-size cases go to empty shards first")
T.is(table.concat(shard.assign({0, 0, 0, 0}, 2), " "), "1 2 1 2", "all sizes zero")
T.is(table.concat(shard.assign({1, 2, 3}, 1), " "), "1 1 1", "one shard holds every case")
T.errors(function() shard.assign({1, -2}, 2) end, "shard.assign: size 2 must be a number of bytes >= 0, got -2", "negative size")
T.errors(function() shard.assign({1}, 0) end, "shard.assign: n must be a whole number of shards >= 1", "zero shards")

-- ---- quoting for the Slurm scripts ------------------------------------------------------
T.is(shard._shell_quote("o'ut $(x) `y`"), [['o'\''ut $(x) `y`']], "single quotes, ' as '\\''")

-- ---- rad.file_digest: FIPS 180-2 test vectors --------------------------------------------
local dir = T.tmpdir()
local function file(name, bytes)
  local f = assert(io.open(dir .. "/" .. name, "wb")); f:write(bytes); f:close()
  return dir .. "/" .. name
end
T.is(rad.file_digest(file("abc", "abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256('abc')")
T.is(rad.file_digest(file("empty", "")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA-256 of an empty file")
T.is(rad.file_digest(file("million", string.rep("a", 1000000))),
  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "SHA-256 of a million 'a' (several read blocks)")
T.errors(function() rad.file_digest(dir .. "/none") end, "rad.file_digest: cannot open '" .. dir .. "/none'", "missing file")
T.errors(function() rad.file_digest(dir) end, "is a directory", "a folder")
T.done()
