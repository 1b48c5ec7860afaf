-- radlab: a small seeded pseudo-random generator.  SPDX-License-Identifier: GPL-3.0-or-later
--
--   local rng = require "rad.rng"
--   local gen = rng.new(42)
--   gen:random()        -- a float in [0, 1) with 53 random bits
--   gen:int(6)          -- an integer in 1..6, without modulo bias
--   gen:shuffle(array)  -- Fisher-Yates, in place; returns the array
--
-- The generator is xoshiro256** (Blackman & Vigna, "Scrambled linear
-- pseudorandom number generators", ACM TOMS 47(4), 2021), its 256-bit state
-- filled from the seed by splitmix64 (Steele, Lea & Flood, "Fast splittable
-- pseudorandom number generators", OOPSLA 2014), as its authors recommend.
-- It runs on Lua 5.4's 64-bit integers, whose arithmetic wraps around and
-- whose >> is a logical shift, so a seed gives the same numbers on every
-- platform.  The global math.random is never used: a study draws all its
-- random numbers from one generator seeded once, so its splits can be
-- reproduced exactly.

local rng = {}

local Gen = {}
Gen.__index = Gen

local function rotl(x, k)
  return (x << k) | (x >> (64 - k))
end

-- splitmix64 step: returns the new state and the output.
local function splitmix(s)
  s = s + 0x9E3779B97F4A7C15
  local z = s
  z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
  z = (z ~ (z >> 27)) * 0x94D049BB133111EB
  return s, z ~ (z >> 31)
end

--- rng.new(seed) -> gen: a generator seeded with an integer (default 1).
function rng.new(seed)
  seed = seed or 1
  if math.type(seed) ~= "integer" then
    if type(seed) == "number" and seed == math.floor(seed) and math.abs(seed) < 2^63 then
      seed = math.tointeger(seed)
    else
      error("rng.new: seed must be an integer, got " .. tostring(seed), 2)
    end
  end
  local g = setmetatable({}, Gen)
  local s = seed
  for i = 1, 4 do s, g[i] = splitmix(s) end
  return g
end

--- gen:next() -> a 64-bit integer (all bits random).
function Gen:next()
  local s0, s1, s2, s3 = self[1], self[2], self[3], self[4]
  local result = rotl(s1 * 5, 7) * 9
  local t = s1 << 17
  s2 = s2 ~ s0
  s3 = s3 ~ s1
  s1 = s1 ~ s2
  s0 = s0 ~ s3
  s2 = s2 ~ t
  s3 = rotl(s3, 45)
  self[1], self[2], self[3], self[4] = s0, s1, s2, s3
  return result
end

--- gen:random() -> a float in [0, 1) (53 random bits).
function Gen:random()
  return (self:next() >> 11) * 0x1p-53
end

--- gen:int(n) -> an integer uniformly in 1..n (rejection sampling, no bias).
function Gen:int(n)
  if math.type(n) ~= "integer" then
    if type(n) == "number" and n == math.floor(n) then n = math.tointeger(n) end
  end
  if math.type(n) ~= "integer" or n < 1 or n > (1 << 53) then
    error("gen:int: n must be an integer in 1..2^53, got " .. tostring(n), 2)
  end
  local span = 1 << 53
  local limit = span - span % n
  while true do
    local r = self:next() >> 11
    if r < limit then return r % n + 1 end
  end
end

--- gen:shuffle(array) -> array, permuted in place (Fisher-Yates).
function Gen:shuffle(a)
  if type(a) ~= "table" then error("gen:shuffle: expected an array", 2) end
  for i = #a, 2, -1 do
    local j = self:int(i)
    a[i], a[j] = a[j], a[i]
  end
  return a
end

Gen.__name = "rad.Rng"
function Gen.__tostring(g)
  return string.format("Rng(%016x %016x %016x %016x)", g[1], g[2], g[3], g[4])
end

return (require("rad.doc").register(rng, "rng")) -- not a tail call: register reads this file
