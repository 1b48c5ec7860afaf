-- radlab: tests of the notebook runner (rad.notebook, radlab notebook) and
-- rad.plot.show.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local NB = require "rad.notebook"

local dir = T.tmpdir()
local RADLAB = os.getenv("RADLAB") or "./radlab"
local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
local function slurp(p)
  local f = io.open(p, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end
local function exists(p) return os.execute("test -e " .. q(p)) == true end

-- radlab ARGS in the scratch folder -> exit status, stdout, stderr
local function run(args, env)
  local cmd = string.format("cd %s && %s %s %s >%s 2>%s", q(dir), env or "", q(RADLAB), args, q(dir .. "/.out"), q(dir .. "/.err"))
  local _, _, status = os.execute(cmd)
  return status, slurp(dir .. "/.out"), slurp(dir .. "/.err")
end

-- ---- cells ----------------------------------------------------------------------------
local cells = NB.parse([[
-- A leading comment block alone is not a cell.

-- %% [markdown]
-- # Title
--
--Tight text.
-- %%
x = 1
print("-- %% is no marker here")
-- %% a titled cell

s = [[
-- %% a marker, even inside a long string
]] .. "]]\n" .. [[
-- %%

-- %%
]])
T.is(#cells, 4, "parse: four cells (the comment block and the empty cell are left out)")
T.is(cells[1].kind, "markdown", "parse: a markdown cell")
T.is(cells[1].text, "# Title\n\nTight text.", "parse: '-- ' and '--' stripped from markdown lines")
T.is(cells[1].line, 4, "parse: the markdown cell starts on line 4")
T.is(cells[2].kind, "code", "parse: a code cell")
T.is(cells[2].text, 'x = 1\nprint("-- %% is no marker here")', "parse: '-- %%' inside a line is not a marker")
T.is(cells[2].line, 8, "parse: the code cell starts on line 8")
T.is(cells[3].text, "s = [[", "parse: a titled marker starts a cell; blank lines before the code are skipped")
T.is(cells[3].line, 12, "parse: the file's line of the cell's first line")
T.is(cells[4].text, "]]", "parse: a line starting with '-- %%' is a marker even inside a long string")

local lead = NB.parse("-- intro\nlocal a = 1\n-- %%\nprint(a)\n")
T.is(#lead, 2, "parse: text before the first marker with code is a cell")
T.is(lead[1].text, "-- intro\nlocal a = 1", "parse: the leading cell keeps its comment")
local _, o1 = NB.parse("-- radlab-notebook: unsafe-html\n-- %%\nx = 1\n")
T.is(o1.unsafe_html, true, "parse: the unsafe-html opt-in")
local _, o2 = NB.parse("-- %%\n-- radlab-notebook: unsafe-html\n")
T.is(o2.unsafe_html, false, "parse: the opt-in counts only before the first marker")
T.errors(function() NB.parse("-- radlab-notebook: fancy\n") end, "line 1: unknown notebook option 'fancy'", "parse: unknown option")
T.errors(function() NB.parse("-- %% [markdown]\n-- text\nx = 1\n") end,
  "line 3: a markdown cell holds only '--' comment lines", "parse: code in a markdown cell")

-- ---- highlighting and escaping -----------------------------------------------------------
T.is(NB.highlight("local s = 'a<b' -- c&d\nx = 0x1F + 2.5e3"),
  '<span class="k">local</span> s = <span class="s">&#39;a&lt;b&#39;</span> <span class="c">-- c&amp;d</span>\n'
  .. 'x = <span class="n">0x1F</span> + <span class="n">2.5e3</span>', "highlight: keyword, string, comment, numbers")
T.is(NB.highlight("--[==[ a\n]] ]==] [[x]]"), '<span class="c">--[==[ a\n]] ]==]</span> <span class="s">[[x]]</span>',
  "highlight: long comment and long string")
local src = "f(\"a\\\"b\") --[[ c ]] y=.5 and nil"
local back = {}
for _, t in ipairs(NB.tokens(src)) do back[#back + 1] = t[2] end
T.is(table.concat(back), src, "tokens: the texts concatenate back to the source")
T.is(NB.base64("Man"), "TWFu", "base64 of 3 bytes")
T.is(NB.base64("Ma"), "TWE=", "base64 with one pad")
T.is(NB.base64("M"), "TQ==", "base64 with two pads")

-- ---- a notebook, rendered --------------------------------------------------------------------
local csv = T.file("inf.csv", "a\n1\ninf\n")
T.file("nb.lua", [[
-- Workshop: the runner's fixture.
-- %% [markdown]
-- # Squares
--
-- Some <b>raw</b> html.

-- %%
local y = 6 * 7
print("y is", y)
io.write("written ", 3, " ", 0.5, "\n")

-- %%
y + 1, "two"

-- %%
print("<script>alert('x')</script>")

-- %%

-- %%
warn("careful ", "now")
local t = rad.read_csv("]] .. csv .. [[")
local fig = rad.plot.lines{x = {1, 2, 3}, y = {1, 4, 9}}
rad.plot.show(fig, "squares <1>")
fig:save("saved.png")
print("done")
]])
local st, out, err = run("notebook nb.lua -o page")
T.is(st, 0, "render: exit status 0")
T.like(err, "wrote page/index.html and index.md (5 cells, 4 of code, 2 figures)", "render: the summary line", true)
T.is(out, "", "render: the notebook's output goes into the page, not to standard output")
local html = slurp(dir .. "/page/index.html") or ""
local md = slurp(dir .. "/page/index.md") or ""
T.like(html, "^<!DOCTYPE html>", "render: index.html written")
T.like(html, "<h1>Squares</h1>", "render: markdown as HTML", true)
T.like(html, "Some <!-- raw HTML omitted -->raw<!-- raw HTML omitted --> html.", "render: raw HTML in markdown omitted", true)
T.like(html, '<pre class="out">y is\t42\nwritten 3 0.5\n</pre>', "render: print and io.write captured, across a local", true)
T.like(html, '<pre class="value">43\t&quot;two&quot;</pre>', "render: the values of an expression cell, pretty-printed", true)
T.like(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "render: printed <script> stays text", true)
T.ok(not html:find("<script>", 1, true), "render: no <script> element in the page")
T.like(html, '<div class="warning">warning: careful now</div>', "render: warn() captured", true)
T.like(html, '<div class="warning">warning: rad.read_csv: ' .. csv, "render: radlab's warning captured", true)
T.like(html, "<figcaption>squares &lt;1&gt;</figcaption>", "render: the caption, escaped", true)
T.like(html, "<figcaption>saved.png</figcaption>", "render: a figure saved with Figure:save is shown", true)
T.ok(exists(dir .. "/saved.png"), "render: Figure:save still writes the notebook's file")
T.like(html, 'class="label">cell 3, line 13<', "render: cells are numbered with their line", true)
T.like(html, "max-width:100%", "render: images never overflow", true)
local b64 = html:match('<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
T.ok(b64 ~= nil, "render: the figure is embedded as a data URI")
local function unbase64(s)
  local map, bits, nb, outb = {}, 0, 0, {}
  local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  for i = 1, 64 do map[chars:sub(i, i)] = i - 1 end
  for c in s:gmatch("[^=]") do
    bits, nb = (bits << 6) | map[c], nb + 6
    if nb >= 8 then nb = nb - 8; outb[#outb + 1] = string.char((bits >> nb) & 255) end
  end
  return table.concat(outb)
end
T.is(unbase64(b64 or ""):sub(1, 8), "\137PNG\r\n\26\n", "render: the data URI decodes to a PNG")
T.ok(not exists(dir .. "/page/cell-05-1.png"), "render: embedded figures leave no files beside the page")
T.like(md, "```lua\nprint(\"<script>alert('x')</script>\")\n```", "render: index.md holds the code", true)
T.like(md, "# Squares", "render: index.md holds the markdown", true)
T.like(md, "![squares <1>](data:image/png;base64,", "render: index.md holds the figure", true)
local leftover = io.popen("ls -A " .. q(dir) .. " | grep -c tmp-"):read("l")
T.is(leftover, "0", "render: no temporary folder left")

-- deterministic: a second run gives the same bytes
st = run("notebook nb.lua -o page2")
T.is(st, 0, "render again: exit status 0")
T.ok(slurp(dir .. "/page2/index.html") == html, "render: two runs give byte-identical HTML")
T.ok(slurp(dir .. "/page2/index.md") == md, "render: two runs give byte-identical markdown")
-- an earlier page is replaced
st = run("notebook nb.lua -o page")
T.is(st, 0, "render: an earlier page is replaced")

-- --no-embed: the figures beside the page
st = run("notebook nb.lua -o files --no-embed")
T.is(st, 0, "--no-embed: exit status 0")
local f1 = slurp(dir .. "/files/cell-05-1.png") or ""
T.is(f1:sub(1, 8), "\137PNG\r\n\26\n", "--no-embed: the figure is a PNG file")
T.is((slurp(dir .. "/files/cell-05-2.png") or ""):sub(1, 4), "\137PNG", "--no-embed: the saved figure too")
T.like(slurp(dir .. "/files/index.html") or "", '<img src="cell-05-1.png" alt="squares &lt;1&gt;">', "--no-embed: the page links the file", true)

-- the default folder: <name>-html in the current folder
st = run("notebook nb.lua")
T.is(st, 0, "default folder: exit status 0")
T.ok(exists(dir .. "/nb-html/index.html"), "default folder: nb-html/index.html")

-- unsafe HTML opt-in
T.file("unsafe.lua", "-- radlab-notebook: unsafe-html\n-- %% [markdown]\n-- Some <b>raw</b> html.\n")
st = run("notebook unsafe.lua -o unsafe")
T.is(st, 0, "unsafe-html: exit status 0")
T.like(slurp(dir .. "/unsafe/index.html") or "", "<p>Some <b>raw</b> html.</p>", "unsafe-html: raw HTML kept", true)

-- ---- failures -------------------------------------------------------------------------------
T.file("err.lua", "-- %%\na = 1\n-- %%\nlocal t = {}\n-- %%\nprint('before')\nerror('boom')\n-- %%\nprint('after')\n")
st, out, err = run("notebook err.lua -o errpage")
T.is(st, 1, "error: exit status 1")
T.like(err, "radlab: notebook err.lua: cell 3 (line 7) failed: boom", "error: names cell 3 and line 7", true)
T.ok(not exists(dir .. "/errpage"), "error: nothing written")
st, out, err = run("notebook err.lua -o errpage --keep-going")
T.is(st, 1, "--keep-going: exit status 1")
local eh = slurp(dir .. "/errpage/index.html") or ""
T.like(eh, '<div class="error">error (line 7): boom</div>', "--keep-going: the error in the page", true)
T.like(eh, '<pre class="out">after\n</pre>', "--keep-going: the next cell ran", true)
T.like(err, "wrote errpage/index.html with 1 failing cell", "--keep-going: says the page has a failing cell", true)
st = run("notebook err.lua --check")
T.is(st, 1, "--check: a failing notebook fails")
T.ok(not exists(dir .. "/err-html"), "--check: nothing written")

T.file("loop.lua", "-- %%\nprint('start')\n-- %%\nlocal n = 0\nwhile true do n = n + 1 end\n")
st, out, err = run("notebook loop.lua --check --timeout 1")
T.is(st, 1, "--timeout: exit status 1")
T.like(err, "cell 2 (line 5) failed: stopped after more than 1 s (--timeout 1)", "--timeout: the cell is stopped", true)

T.file("ok.lua", "-- %%\nprint(1)\n")
st, out, err = run("notebook ok.lua --check")
T.is(st, 0, "--check: a passing notebook passes")
T.like(err, "notebook ok.lua passed (1 cell, 1 of code, 0 figures)", "--check: says it passed", true)
T.ok(not exists(dir .. "/ok-html"), "--check: nothing written for a passing notebook")

T.file("a-file", "x")
st, out, err = run("notebook ok.lua -o a-file/out")
T.is(st, 1, "unwritable folder: exit status 1")
T.like(err, "cannot create the output folder 'a-file/out': its parent folder 'a-file' does not exist, is not a folder",
  "unwritable folder: a clear message", true)
st, out, err = run("notebook ok.lua -o a-file")
T.is(st, 1, "output folder is a file: exit status 1")
T.like(err, "the output folder 'a-file' is a file", "output folder is a file: a clear message", true)
os.execute("mkdir " .. q(dir .. "/mine") .. " && touch " .. q(dir .. "/mine/notes.txt"))
st, out, err = run("notebook ok.lua -o mine")
T.is(st, 1, "a folder of other files is not replaced")
T.like(err, "exists and holds other files", "a folder of other files: a clear message", true)
T.ok(exists(dir .. "/mine/notes.txt"), "a folder of other files: left alone")

T.file("syntax.lua", "-- %%\nx = 1\n-- %%\nx = = 2\n")
st, out, err = run("notebook syntax.lua --check")
T.is(st, 1, "syntax error: exit status 1")
T.like(err, "syntax.lua: cell 2, line 4:", "syntax error: names the cell and line", true)
T.file("split.lua", "-- %%\nlocal t = {a = 1}\nt\n-- %%\nprint(t)\n")
st, out, err = run("notebook split.lua --check")
T.is(st, 1, "a cell that is no statement: exit status 1")
T.like(err, "split.lua: cell 2, line 5: syntax error near 'print'", "a cell that is no statement: Lua's own message, no runner name", true)
st, out, err = run("notebook missing.lua --check")
T.is(st, 1, "missing notebook: exit status 1")
T.like(err, "cannot read the notebook 'missing.lua'", "missing notebook: a clear message", true)
st, out, err = run("notebook ok.lua --timeout 0")
T.is(st, 2, "bad --timeout: usage error")
T.like(err, "--timeout must be a whole number of seconds 1..86400, got 0", "bad --timeout: says what is allowed", true)
st, out, err = run("notebook ok.lua --bogus")
T.is(st, 2, "unknown option: usage error")

-- ---- in this process: rad.notebook.render, and what it replaced is put back -------------------
T.file("inproc.lua", "-- %% [markdown]\n-- *Hi*\n-- %%\nlocal z = 2\nprint(z)\nwarn('w')\n-- %%\n"
  .. "rad.plot.show(rad.plot.lines{x = {1, 2}, y = {2, 1}}, 'c')\n-- %%\nz * 3\n")
local print0, write0, warn0, show0 = print, io.write, warn, rad.plot.show
local res = NB.render(dir .. "/inproc.lua", {dir = dir .. "/inproc-html"})
T.is(res.failed, 0, "in process: no failing cell")
T.is(res.nfig, 1, "in process: one figure")
T.is(#res.cells, 4, "in process: four cells")
local ih = slurp(dir .. "/inproc-html/index.html") or ""
T.like(ih, "<p><em>Hi</em></p>", "in process: the markdown", true)
T.like(ih, '<pre class="out">2\n</pre>\n<div class="warning">warning: w</div>', "in process: output, then the warning", true)
T.like(ih, '<pre class="value">6</pre>', "in process: a local of an earlier cell", true)
T.ok(print == print0 and io.write == write0 and warn == warn0 and rad.plot.show == show0,
  "in process: print, io.write, warn and rad.plot.show are put back")
T.is(rad.quiet(), false, "in process: rad.quiet is put back")
local chk = NB.render(dir .. "/err.lua", {check = true, keep_going = true})
T.is(chk.failed, 1, "in process: --check --keep-going counts the failing cell")
T.is(chk.cells[3].error.line, 7, "in process: the failing cell's line")
T.errors(function() NB.render(dir .. "/ok.lua", {timeout = 0.5}) end, "whole number of seconds", "in process: a bad timeout")

-- ---- rad.plot.show outside a notebook --------------------------------------------------------
os.execute("mkdir " .. q(dir .. "/tmpfig"))
st, out = run("-e 'rad.plot.show(rad.plot.lines{x = {1, 2}, y = {3, 4}})'", "TMPDIR=" .. q(dir .. "/tmpfig"))
T.is(st, 0, "rad.plot.show: exit status 0")
local path = (out or ""):match("^figure: (%S+)\n$")
T.like(path or "", "^" .. dir:gsub("%p", "%%%0") .. "/tmpfig/radlab%-figure%-%w%w%w%w%w%w/figure%.png$",
  "rad.plot.show: prints figure: PATH in a fresh temporary folder")
T.is((slurp(path or "") or ""):sub(1, 8), "\137PNG\r\n\26\n", "rad.plot.show: the file is a PNG")
T.errors(function() rad.plot.show(rad.plot.lines{x = {1, 2}, y = {3, 4}}, 5) end, "the caption must be a string",
  "rad.plot.show: a bad caption")
T.errors(function() rad.plot.show("fig") end, "Figure", "rad.plot.show: not a Figure")
T.like(rad.help(rad.plot.show) or "", "^rad%.plot%.show%(fig", "rad.plot.show: help text")
T.done()
