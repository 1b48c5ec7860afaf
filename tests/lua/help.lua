-- radlab: every public function has one-line help and a man page entry.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

-- walk rad and the method tables of Image and Mask; rad.plot loads on first
-- use (tests/lua/plot_lazy.lua), so load it now for the walk to see it
T.is(type(rad.plot), "table", "rad.plot loads")
local funcs = {}
local function collect(tbl, prefix)
  for k, v in pairs(tbl) do
    if type(v) == "function" then funcs[#funcs + 1] = {prefix .. k, v}
    elseif type(v) == "table" then collect(v, prefix .. k .. ".") end
  end
end
collect(rad, "rad.")
local img = rad.image.new{size = {1, 1, 1}}
collect(getmetatable(img).__index, "Image:")
collect(getmetatable(rad.mask.new(img)).__index, "Mask:")
local tmeta = getmetatable(rad.table.new{{"a", {1, 2}}})
if type(tmeta.__index) == "table" then collect(tmeta.__index, "Table:") end
collect(getmetatable(rad.plot.lines({y = {1, 2}})).__index, "Figure:")
-- the stdlib modules document their functions in their source
for _, m in ipairs(require("rad.doc").modules) do
  local mod = require("rad." .. m)
  for k, v in pairs(mod) do
    -- names starting with "_" are helpers shared between modules, not API
    if type(v) == "function" and k:sub(1, 1) ~= "_" then funcs[#funcs + 1] = {m .. "." .. k, v} end
  end
end
table.sort(funcs, function(a, b) return a[1] < b[1] end)
T.ok(#funcs >= 30, "found " .. #funcs .. " public functions")
-- the rad.plot functions the walk found are those the help registry names
local walked, named = {}, {}
for _, f in ipairs(funcs) do if f[1]:find("^rad%.plot%.") then walked[#walked + 1] = f[1] end end
for _, n in ipairs(rad.help_names()) do if n:find("^rad%.plot%.") then named[#named + 1] = n end end
table.sort(named)
T.ok(#walked >= 19, "found " .. #walked .. " rad.plot functions")
T.is(table.concat(walked, " "), table.concat(named, " "), "rad.plot's functions are those rad.help_names() lists")

local man = io.open((os.getenv("top_srcdir") or ".") .. "/man/radlab-lua.7"):read("a")
local missing_help, missing_man = {}, {}
for _, f in ipairs(funcs) do
  local h = rad.help(f[2])
  if type(h) ~= "string" or #h < 10 then missing_help[#missing_help + 1] = f[1] end
  if rad.help(f[1]) ~= h then missing_help[#missing_help + 1] = f[1] .. " (by name)" end
  -- the man page names each function in bold: \fBrad.read\fR or \fBImage:stats\fR
  local roff = f[1]:gsub("%.", "\\.")
  if not man:find("\\fB" .. f[1], 1, true) and not man:find(roff, 1, true) then
    missing_man[#missing_man + 1] = f[1]
  end
end
T.is(table.concat(missing_help, ", "), "", "every function has help text")
T.is(table.concat(missing_man, ", "), "", "every function is in man/radlab-lua.7")
-- and the reverse: every entry of the page is a function help() knows or a settings key
do
  local keys, stale, entries = {}, {}, 0
  for _, r in ipairs(rad.settings.keys()) do keys[r.path] = true end
  for entry in man:gmatch("\n%.TP\n\\fB([^\\]+)\\fR") do
    local name = entry:match("^[%w_.:]+")
    entries = entries + 1
    if not rad.help(name) and not keys[name] then stale[#stale + 1] = name end
  end
  T.ok(entries >= 300, entries .. " entries in man/radlab-lua.7")
  T.is(table.concat(stale, ", "), "", "every entry of man/radlab-lua.7 is a function or a settings key")
end
T.like(rad.help(rad.read), "^rad%.read%(path%)", "help text starts with the call")
T.like(rad.help("Image:stats"), "^Image:stats", "help by name")
T.is(rad.help(print), nil, "no help for non-radlab functions")

-- help(x) output, captured
local function helptext(x)
  local out, real = {}, io.stdout
  io.stdout = {write = function(self, ...) for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end return self end}
  local ok, err = pcall(help, x)
  io.stdout = real
  assert(ok, err)
  return table.concat(out)
end

-- help(rad.extract): every settings key, with the default the checker uses
local keys = rad.settings.keys()
local htext = rad.help(rad.extract)
T.is(#keys, 66, "66 settings rows (13 top-level keys or sections and 53 keys inside them)")
local unlisted = {}
for _, k in ipairs(keys) do
  local pat = "\n  " .. k.path .. " +" .. k.default:gsub("%p", "%%%0") .. " "
  if not htext:find(pat) then unlisted[#unlisted + 1] = k.path end
end
T.is(table.concat(unlisted, ", "), "", "help(rad.extract) lists every settings key with its default")
T.like(htext, "\n  discretise.bins +32 +number of bins", "discretise.bins defaults to 32 in the help")
T.is(rad.settings.defaults().discretise.bins, 32, "... and in the checker")
local function row(path) for _, k in ipairs(keys) do if k.path == path then return k end end end
T.is(row("texture.distance").range[2], 16, "texture.distance range 1..16 from the rows")
T.errors(function() rad.settings.check{texture = {distance = 17}} end, "settings.texture.distance must be 1..16, got 17", "... is what the checker enforces")
T.errors(function() rad.settings.check{resample = {spacing = {1, 1, 1}, mask_threshold = 2}} end,
  "settings.resample.mask_threshold must be 0..1, got 2", "number range from the rows")
T.errors(function() rad.settings.check{ivh = {colour = 1}} end, "settings.ivh: unknown option 'colour' (allowed: method, bins, width, range)",
  "a section's allowed keys come from the rows")
T.errors(function() rad.settings.check{resample = {spacing = {2, 2}}} end, "settings.resample.spacing needs 3 numbers",
  "two spacings without in_plane")
T.is(table.concat(row("resample.interpolator").choices, ","), "nearest,linear,cubic", "choices of an enumeration")
-- the list of a table shows one line per function, even for rad.extract
local radlist = helptext(rad)
T.like(radlist, "\n  rad.extract(img, mask [, settings [, {threads = processors}]]) -> FeatureSet: preprocess and compute the IBSI features of the mask's ROI (settings: radlab-lua(7) SETTINGS; diagnostics = true adds the diag_ rows) on up to threads threads (image and mask interpolation side by side, then the feature families; the values do not depend on threads); features undefined for the ROI are rad.NA, named in one warning\n", "help(rad): one line for rad.extract", true)
T.ok(not radlist:find("discretise.bins", 1, true), "help(rad) does not list the settings")

-- help(fs): the FeatureSet class text, then its methods
local img1 = rad.image.new{size = {3, 3, 3}}
local m1 = rad.mask.new(img1)
m1:set(2, 2, 2, 1)
local fs = rad.extract(img1, m1, {families = {"stat"}})
local fstext = helptext(fs)
T.like(fstext, "^FeatureSet: the named feature values of one case", "help(fs) describes a FeatureSet")
T.like(fstext, "\n  FeatureSet:write_csv(path) -> FeatureSet:", "help(fs) lists its methods", true)

-- help(rad.demo) and the other stdlib modules, reachable as fields of rad
T.is(rad.demo, require "rad.demo", "rad.demo is the stdlib module rad.demo")
T.is(rad.no_such_module, nil, "an unknown field of rad is still nil")
local demotext = helptext(rad.demo)
T.like(demotext, "^rad%.demo:\n  demo%.cohort%(", "help(rad.demo) lists demo.cohort")
T.like(demotext, "\n  demo.phantom([{size", "... and demo.phantom", true)
for _, m in ipairs{"pretty", "test", "doc"} do
  T.like(helptext(rad[m]), "^rad%." .. m .. ":\n  " .. m .. "%.", "help(rad." .. m .. ") lists its functions")
end

-- rad at the prompt: grouped, one group per line
local shown = require("rad.pretty").show(rad)
T.like(shown, "^rad: help%(rad%.NAME%)", "rad shows a heading")
T.like(shown, "\n  rad.stats     chisq cor cor_matrix fisher icc mutual_info p_adjust pchisq pnorm qnorm ttest wilcox\n", "rad.stats on one line", true)
T.like(shown, "\n  modules       checklist cohort demo describe doc notebook pretty pyradiomics rng robust select\n" ..
  "                shard study test validate\n", "the stdlib modules (loaded on first use), wrapped like the other groups", true)
T.like(shown, "\n  rad.version   \"" .. rad.version .. "\"", "values last", true)
local longest = 0
for line in shown:gmatch("[^\n]+") do longest = math.max(longest, #line) end
T.ok(longest <= 100, "no line of the listing is longer than 100 characters (longest " .. longest .. ")")

T.done()
