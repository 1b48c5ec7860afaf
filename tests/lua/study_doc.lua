-- radlab: man/radlab-study.7 documents every key of the study table, every
-- metric the study can write and every Study method, as the code has them.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local top = os.getenv("top_srcdir") or "."

local function slurp(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. path)
  local s = f:read("a")
  f:close()
  return s
end

local src = slurp(top .. "/stdlib/rad/study.lua")
local man = slurp(top .. "/man/radlab-study.7")

-- the keys of the study table: the `local KEYS = {` block, one `key = "..."` a line
local block = src:match("\nlocal KEYS = {\n(.-)\n}\n")
T.ok(block ~= nil, "study.lua has a `local KEYS = {` block")
local keys = {}
for line in (block or ""):gmatch("[^\n]+") do
  local k = line:match("^%s*([%a_][%w_]*)%s*=")
  if k then keys[#keys + 1] = k end
end
-- the parse itself: keys the study has always had, at the block's ends
local found = {}
for _, k in ipairs(keys) do found[k] = true end
T.ok(#keys >= 18 and found.name and found.cohort and found.report and found.quiet,
  "parsed " .. #keys .. " keys of KEYS: " .. table.concat(keys, ", "))

-- the metric names: put(model, split, "name", ...) and put(..., string.format("prefix%g", t), ...)
local metrics, prefixes = {}, {}
for name in src:gmatch("put%([^,()]+,%s*[^,()]+,%s*\"([%w_]+)\"") do metrics[#metrics + 1] = name end
for prefix in src:gmatch("put%([^,()]+,%s*[^,()]+,%s*string%.format%(\"([%w_]+)%%") do
  prefixes[#prefixes + 1] = prefix
end
local mset = {}
for _, m in ipairs(metrics) do mset[m] = true end
T.ok(mset.harrell_c and mset.delta_c and mset.harrell_c_corrected and #prefixes >= 1,
  "parsed " .. #metrics .. " metric names and " .. #prefixes .. " formatted ones: " ..
  table.concat(metrics, ", ") .. ", " .. table.concat(prefixes, "<t>, ") .. "<t>")

-- the documented methods: `--- Study:name(` comments
local methods = {}
for name in src:gmatch("\n%-%-%- Study:([%w_]+)%(") do methods[#methods + 1] = name end
T.ok(#methods >= 12, "parsed " .. #methods .. " documented Study methods: " .. table.concat(methods, ", "))

-- a section of a man page: from `.SH TITLE` to the next `.SH`
local function section(text, title)
  local s = text:find("\n.SH " .. title .. "\n", 1, true)
  if not s then return nil end
  local e = text:find("\n.SH ", s + 1, true)
  return text:sub(s, e or #text) .. "\n"
end

-- what a man text lacks: keys not as `.B key` entries in THE STUDY TABLE,
-- metrics not in OUTPUT (`.B name`, `.BI prefix t`), methods not as `.B s:name(` in STEPS
local function missing(text)
  local out = {}
  local tab, output, steps = section(text, "THE STUDY TABLE") or "", section(text, "OUTPUT") or "",
    section(text, "STEPS") or ""
  for _, k in ipairs(keys) do
    if not tab:find("\n.TP\n.B " .. k .. "\n", 1, true) then out[#out + 1] = "key " .. k end
  end
  for _, m in ipairs(metrics) do
    if not output:find("\n.B " .. m .. "\n", 1, true) then out[#out + 1] = "metric " .. m end
  end
  for _, p in ipairs(prefixes) do
    if not output:find("\n.BI " .. p .. " ", 1, true) then out[#out + 1] = "metric " .. p .. "<t>" end
  end
  for _, m in ipairs(methods) do
    if not steps:find("\n.B s:" .. m .. "(", 1, true) then out[#out + 1] = "method s:" .. m end
  end
  return out
end

local gaps = missing(man)
T.is(#gaps, 0, "radlab-study(7) documents every key, metric and method" ..
  (#gaps > 0 and " (missing: " .. table.concat(gaps, ", ") .. ")" or ""))

-- the check finds what is missing: take entries out of the page and ask again
local cut = man:gsub("\n.TP\n.B seed\n", "\n.TP\n.B seeds\n", 1)
cut = cut:gsub("\n.B delta_c\n", "\n.B delta\n", 1)
cut = cut:gsub("\n.BI td_auc_ t\n", "\n.B td_auc\n", 1)
cut = cut:gsub("\n.B s:fit%(%)\n", "\n.B s:fitted()\n", 1)
T.is(table.concat(missing(cut), ", "), "key seed, metric delta_c, metric td_auc_<t>, method s:fit",
  "a page lacking seed, delta_c, td_auc_<t> and s:fit is caught")

-- the sections the manual promises
for _, sh in ipairs{"NAME", "SYNOPSIS", "DESCRIPTION", "THE STUDY TABLE", "STEPS", "OUTPUT", "MANIFEST",
  "REPRODUCING A RUN", "FROM THE SHOWCASE TO YOUR OWN COHORT", "EXAMPLES", "SEE ALSO"} do
  T.ok(section(man, sh) ~= nil, "section " .. sh)
end
-- metrics.csv's columns, in order, as the code writes them
T.like(section(man, "OUTPUT") or "", ".BR model ,\n.BR split ,\n.BR metric ,\n.BR estimate ,\n.BR lower ,\n.B upper\nand\n.BR p .",
  "OUTPUT names metrics.csv's columns model, split, metric, estimate, lower, upper, p", true)
T.like(src, '{"model", "split", "metric", "estimate", "lower", "upper", "p"}',
  "the code writes those columns in that order")

-- the page is shipped, and renders without a groff warning
T.like(slurp(top .. "/Makefile.am"), "man/radlab-study.7", "Makefile.am installs and ships the page", true)
local h = io.popen("command -v groff 2>/dev/null")
local groff = h and h:read("l")
if h then h:close() end
if groff then
  local p = io.popen("groff -man -ww -Tutf8 '" .. top .. "/man/radlab-study.7' 2>&1 >/dev/null")
  local warnings = p:read("a")
  p:close()
  T.is(warnings, "", "groff -man -ww renders the page without warnings")
else
  T.skip(1, "groff is not installed")
end

T.done()
