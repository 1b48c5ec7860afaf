-- radlab: rad.yaml, YAML documents (libyaml) with YAML 1.1 scalar typing as
-- PyYAML's safe loader (which PyRadiomics uses) resolves it.  The expected
-- values follow the YAML 1.1 type repository (yaml.org/type: null, bool,
-- int, float), not this reader.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local v, lines = rad.yaml.parse([[
# PyRadiomics exampleCT.yaml, shortened
imageType:
  Original: {}
  LoG:
    sigma: [1.0, 2.0, 3.0]
featureClass:
  shape:
  firstorder: []
setting:
  binWidth: 25
  interpolator: 'sitkBSpline'
  resampledPixelSpacing: [2, 2, 2]
]], "exampleCT.yaml")
T.is(math.type(v.setting.binWidth), "integer", "25 is an integer")
T.is(v.setting.binWidth, 25, "binWidth 25")
T.is(v.setting.interpolator, "sitkBSpline", "a quoted value is a string")
T.is(#v.setting.resampledPixelSpacing, 3, "a flow sequence of 3")
T.is(math.type(v.imageType.LoG.sigma[2]), "float", "2.0 is a float")
T.ok(next(v.imageType.Original) == nil, "{} is an empty table")
T.is(v.featureClass.shape, rad.NA, "an empty value is null (rad.NA), so the key stays")
T.is(#v.featureClass.firstorder, 0, "[] is an empty table")
T.is(lines["setting.binWidth"], 10, "lines: setting.binWidth on line 10")
T.is(lines["imageType.LoG.sigma[3]"], 5, "lines: a sequence item by its index")
T.is(lines["featureClass.shape"], 7, "lines: a null value has its line too")

-- plain scalars, one per YAML 1.1 rule
local cases = {
  {"~", rad.NA}, {"null", rad.NA}, {"Null", rad.NA}, {"NULL", rad.NA},
  {"true", true}, {"True", true}, {"yes", true}, {"YES", true}, {"on", true}, {"On", true},
  {"false", false}, {"no", false}, {"No", false}, {"off", false}, {"OFF", false},
  {"0", 0}, {"-17", -17}, {"+5", 5}, {"1_000", 1000}, {"0x1F", 31}, {"0o17", 15}, {"017", 15}, {"0b101", 5},
  {"1.5", 1.5}, {"-2.", -2.0}, {".5", 0.5}, {"1.0e+3", 1000.0}, {"6.02e-23", 6.02e-23}, {"6.02E-23", 6.02e-23},
  {"1.0e-3", 0.001}, {"1e-3", "1e-3"}, {"1e3", "1e3"}, {"1.0e3", "1.0e3"},
  {".inf", math.huge}, {"-.Inf", -math.huge}, {"+.INF", math.huge},
  {"09", "09"}, {"0x", "0x"}, {"1.2.3", "1.2.3"}, {"y", "y"}, {"n", "n"}, {"None", "None"}, {"sitkBSpline", "sitkBSpline"},
  {"'true'", "true"}, {'"12"', "12"}, {"!!str 12", "12"}, {"!!float 1", 1.0}, {"!!int 0x10", 16}, {"!!bool Yes", true},
  {"!!null ~", rad.NA},
}
-- (a YAML 1.1 float needs a point in the mantissa and a sign in the
-- exponent: 6.02e-23 is one, 1e-3 and 1.0e3 are strings)
for _, c in ipairs(cases) do
  local got = rad.yaml.parse("k: " .. c[1] .. "\n").k
  local same = got == c[2] or (type(got) == "number" and type(c[2]) == "number" and math.abs(got - c[2]) <= 1e-15 * math.abs(c[2]))
  T.ok(same and math.type(got) == math.type(c[2]), string.format("%-12s -> %s (%s)", c[1], tostring(got), math.type(got) or type(got)))
end
local nan = rad.yaml.parse("k: .nan\n").k
T.ok(nan ~= nan, ".nan is NaN")
T.is(math.type(rad.yaml.parse("k: 3\n").k), "integer", "3 stays an integer in Lua")

-- block scalars, anchors and aliases, documents
local b = rad.yaml.parse("t: |\n  two\n  lines\nf: >\n  folded\n  text\n")
T.is(b.t, "two\nlines\n", "literal block scalar")
T.is(b.f, "folded text\n", "folded block scalar")
local a = rad.yaml.parse("base: &b {x: 1, y: [2, 3]}\ncopy: *b\n")
T.is(a.copy.y[2], 3, "an alias is a copy of the anchored node")
T.ok(a.copy ~= a.base, "... a separate table")
T.is(rad.yaml.parse("---\nk: 1\n...\n").k, 1, "one document with markers")
T.is(rad.yaml.parse(""), rad.NA, "an empty document is null")
T.is(rad.yaml.parse("# only a comment\n"), rad.NA, "a comment only is null")
T.is(rad.yaml.parse("- 1\n- two\n")[2], "two", "a top-level sequence")

-- reading a file
local dir = T.tmpdir()
local f = assert(io.open(dir .. "/p.yaml", "w"))
f:write("setting:\n  binWidth: 5\n")
f:close()
local r, rl = rad.yaml.read(dir .. "/p.yaml")
T.is(r.setting.binWidth, 5, "rad.yaml.read")
T.is(rl["setting.binWidth"], 2, "rad.yaml.read: lines")
T.done()
