-- radlab: the notebook runner (radlab notebook, radlab-notebook(7)).
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- A notebook is a Lua script whose cells are separated by lines "-- %%";
-- "-- %% [markdown]" starts a markdown cell of "--" comment lines.  The
-- runner turns the whole file into one chunk, with each marker line
-- replaced by a call that says which cell begins (the file's line numbers
-- are kept), so locals and upvalues span cells exactly as when the file runs
-- as a plain script.  While it runs, print, io.write to standard output,
-- warn, radlab's warnings (rad.warnings), rad.plot.show and Figure:save are
-- captured into the current cell; the page is written into a temporary
-- folder beside the output folder and renamed into place at the end.

local M = {}
local rad = require "rad"

-- ---- cells --------------------------------------------------------------------

local KEYWORDS = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or repeat return then true
  until while]]):gmatch("%a+") do KEYWORDS[w] = true end

-- The level of a long bracket opening at s[i] ("[[", "[==["), or nil.
local function long_open(s, i)
  local eq = s:match("^%[(=*)%[", i)
  return eq and #eq
end

--- notebook.tokens(src) -> {{kind, text}, ...}: Lua source cut into tokens for highlighting: kind is "keyword", "string", "comment", "number", "name", "space" or "other"; the texts concatenate back to src (an unfinished string or comment runs to the end)
function M.tokens(src)
  local out, i, n = {}, 1, #src
  local function add(kind, j) out[#out + 1] = {kind, src:sub(i, j)}; i = j + 1 end
  while i <= n do
    local c = src:sub(i, i)
    if c:match("%s") then
      add("space", (src:find("[^%s]", i) or n + 1) - 1)
    elseif src:sub(i, i + 1) == "--" then
      local lvl = long_open(src, i + 2)
      if lvl then
        local _, e = src:find("]" .. ("="):rep(lvl) .. "]", i + 4 + lvl, true)
        add("comment", e or n)
      else
        add("comment", (src:find("\n", i, true) or n + 1) - 1)
      end
    elseif c == "[" and long_open(src, i) then
      local lvl = long_open(src, i)
      local _, e = src:find("]" .. ("="):rep(lvl) .. "]", i + 2 + lvl, true)
      add("string", e or n)
    elseif c == '"' or c == "'" then
      local j = i + 1
      while j <= n do
        local d = src:sub(j, j)
        if d == "\\" then j = j + 2
        elseif d == c or d == "\n" then break
        else j = j + 1 end
      end
      add("string", math.min(j, n))
    elseif c:match("%d") or (c == "." and src:sub(i + 1, i + 1):match("%d")) then
      local e = src:match("^0[xX][%x%.]*[pP][%+%-]?%d+()", i) or src:match("^0[xX][%x%.]*()", i)
        or src:match("^[%d%.]*[eE][%+%-]?%d+()", i) or src:match("^[%d%.]*()", i)
      add("number", e - 1)
    elseif c:match("[%a_]") then
      local e = src:match("^[%w_]*()", i)
      add(KEYWORDS[src:sub(i, e - 1)] and "keyword" or "name", e - 1)
    else
      add("other", i)
    end
  end
  return out
end

-- true when src holds anything but blanks and comments
local function has_code(src)
  for _, t in ipairs(M.tokens(src)) do
    if t[1] ~= "space" and t[1] ~= "comment" then return true end
  end
  return false
end

-- A marker line: "-- %%", "-- %% title" or "-- %% [markdown]"; returns
-- "code", "markdown" or nil.
local function marker(line)
  local rest = line:match("^%-%- ?%%%%(.*)$")
  if not rest or (rest ~= "" and not rest:match("^%s")) then return nil end
  return rest:match("^%s*%[markdown%]%s*$") and "markdown" or "code"
end

--- notebook.parse(text) -> cells, options: the cells of a notebook's text, in order: {kind = "code"|"markdown", text =, line = (the file's line of the cell's first line), last =}; text before the first marker is a code cell when it holds code; empty cells are left out; options.unsafe_html is true when a line "-- radlab-notebook: unsafe-html" comes before the first marker
function M.parse(text)
  local lines = {}
  for l in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\r?\n") do lines[#lines + 1] = l end
  if lines[1] and lines[1]:sub(1, 1) == "#" then lines[1] = "" end -- a #! line, skipped as Lua skips it
  local cells, options = {}, {unsafe_html = false}
  local cur = {kind = "code", first = 1, lead = true, body = {}}
  local function close(last)
    local body = table.concat(cur.body, "\n")
    local keep = body:match("%S") ~= nil
    if cur.lead then keep = has_code(body) end
    if keep then
      -- the cell starts at its first non-blank line
      local skip = 0
      for _, l in ipairs(cur.body) do
        if l:match("%S") then break end
        skip = skip + 1
      end
      local tail = #cur.body
      while tail > 0 and not cur.body[tail]:match("%S") do tail = tail - 1 end
      cells[#cells + 1] = {kind = cur.kind, text = table.concat(cur.body, "\n", skip + 1, tail),
        line = cur.first + skip, last = cur.first + tail - 1, marker = cur.marker}
    end
    cur = nil
    return last
  end
  for i, l in ipairs(lines) do
    local kind = marker(l)
    if kind then
      close(i - 1)
      cur = {kind = kind, first = i + 1, body = {}, marker = i}
    else
      if cur.lead then
        local opt = l:match("^%-%-%s*radlab%-notebook:%s*(.-)%s*$")
        if opt then
          for o in opt:gmatch("[^,%s]+") do
            if o == "unsafe-html" then options.unsafe_html = true
            else error(string.format("line %d: unknown notebook option '%s' (known: unsafe-html)", i, o), 0) end
          end
        end
      end
      if cur.kind == "markdown" then
        if l:match("^%-%-") then l = l:gsub("^%-%- ?", "", 1)
        elseif l:match("%S") then
          error(string.format("line %d: a markdown cell holds only '--' comment lines, but this line is code; "
            .. "start a code cell before it with a line '-- %%%%'", i), 0)
        end
      end
      cur.body[#cur.body + 1] = l
    end
  end
  close(#lines)
  for k, c in ipairs(cells) do c.index = k end
  return cells, options
end

-- ---- running --------------------------------------------------------------------

local HOOK = "__radlab_notebook"

-- The chunk the cells make: blank lines where the file has markdown and
-- markers, each code cell preceded (on its marker's line, or its first
-- line) by the call that starts it; a cell that is one expression is passed
-- to the call that shows its values.  Cells before `from` are left out.
local function chunk_source(cells, nlines, from)
  local out = {}
  for i = 1, nlines do out[i] = "" end
  for _, c in ipairs(cells) do
    if c.kind == "code" and c.index >= from then
      local k = 0
      for l in (c.text .. "\n"):gmatch("(.-)\n") do
        out[c.line + k] = l
        k = k + 1
      end
      local start = string.format("%s.cell(%d);", HOOK, c.index)
      -- one expression: exactly the call it becomes compiles
      local value = string.format("%s.value(%d, ", HOOK, c.index)
      c.expression = has_code(c.text) and load("local " .. HOOK .. " = ...;" .. value .. c.text .. "\n)", "=cell", "t") ~= nil
      if c.expression then
        start = start .. value
        out[c.last + 1] = ")" .. (out[c.last + 1] or "")
      end
      out[c.line] = start .. out[c.line]
    end
  end
  out[1] = "local " .. HOOK .. " = ...;" .. out[1]
  return table.concat(out, "\n")
end

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

--- notebook.base64(bytes) -> string: the standard base64 encoding (RFC 4648, with = padding)
function M.base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local v = a * 65536 + (b or 0) * 256 + (c or 0)
    local q = {}
    for k = 1, 4 do
      local idx = (v >> (6 * (4 - k))) & 63
      q[k] = b64chars:sub(idx + 1, idx + 1)
    end
    if not b then q[3], q[4] = "=", "=" elseif not c then q[4] = "=" end
    out[#out + 1] = table.concat(q)
  end
  return table.concat(out)
end

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function is_dir(p) return os.execute("test -d " .. shell_quote(p)) == true end

local function read_file(p)
  local f = assert(io.open(p, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- The innermost stack level running the notebook's own code: its line.
local function notebook_line(chunkname)
  for level = 2, 200 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.source == chunkname and info.currentline and info.currentline > 0 then return info.currentline end
  end
  return nil
end

--- notebook.run(path [, {check = false, keep_going = false, timeout = nil, embed = true, dir = nil}]) -> result: run a notebook's cells in order in this Lua state and capture each cell's printed output, value, warnings, figures and error; result = {cells =, failed = (number of failing cells), name =}; figures are PNG files in dir (a temporary folder when nil and not check)
function M.run(path, opts)
  opts = opts or {}
  local f, err = io.open(path, "rb")
  if not f then error(string.format("cannot read the notebook '%s': %s", path, err), 0) end
  local text = f:read("a")
  f:close()
  local okp, cells, options = pcall(M.parse, text)
  if not okp then error(path .. ": " .. cells, 0) end
  local nlines = select(2, text:gsub("\n", "")) + 1
  local chunkname = "@" .. path
  local pretty = require "rad.pretty"
  local result = {cells = cells, failed = 0, options = options, name = path:match("([^/]+)$")}

  -- the capture: events of the cell that runs
  local current
  local nwarn
  local function event(kind, t)
    if not current then return end
    local ev = current.events
    if kind == "output" and ev[#ev] and ev[#ev].kind == "output" then
      ev[#ev].text = ev[#ev].text .. t.text
    else
      t.kind = kind
      ev[#ev + 1] = t
    end
  end
  local function flush_warnings()
    local w = rad.warnings()
    if #w < nwarn then nwarn = 0 end -- the notebook cleared the list (rad.warnings(true))
    for i = nwarn + 1, #w do event("warning", {text = w[i]}) end
    nwarn = #w
  end
  local nfig = 0
  local function capture_figure(fig, caption)
    flush_warnings()
    if not current then return end
    local k = #current.figures + 1
    local name = string.format("cell-%02d-%d.png", current.index, k)
    local file
    if opts.dir then
      file = opts.dir .. "/" .. name
      M._save(fig, file, {dpi = 150, reproducible = true})
    else
      fig:pixels(150) -- --check: the figure is checked, nothing written
    end
    nfig = nfig + 1
    current.figures[k] = {file = file, name = name, caption = caption}
    event("figure", {figure = current.figures[k]})
  end

  -- the replaced globals, restored at the end
  local saved = {print = print, write = io.write, warn = warn}
  local plot = rad.plot
  local Figure = debug.getregistry()["rad.Figure"].__index
  saved.show, saved.save = plot.show, Figure.save
  M._save = saved.save
  if _G.arg == nil then _G.arg = {[0] = path} end -- as for a script: arg[0] names it
  local quiet = rad.quiet(true)
  nwarn = #rad.warnings()
  _G.print = function(...)
    local n, parts = select("#", ...), {}
    for i = 1, n do parts[i] = tostring((select(i, ...))) end
    flush_warnings()
    event("output", {text = table.concat(parts, "\t") .. "\n"})
  end
  io.write = function(...)
    if io.output() ~= io.stdout then return saved.write(...) end
    local parts = {}
    for i = 1, select("#", ...) do
      local v = select(i, ...)
      if type(v) ~= "string" and type(v) ~= "number" then
        error(string.format("bad argument #%d to 'write' (string expected, got %s)", i, type(v)), 2)
      end
      parts[i] = type(v) == "number" and (math.type(v) == "integer" and string.format("%d", v) or string.format("%.14g", v)) or v
    end
    flush_warnings()
    event("output", {text = table.concat(parts)})
    return io.stdout
  end
  _G.warn = function(msg, ...)
    local all = {msg, ...}
    for i, v in ipairs(all) do
      if type(v) ~= "string" then error(string.format("bad argument #%d to 'warn' (string expected, got %s)", i, type(v)), 2) end
    end
    if #all == 1 and msg:sub(1, 1) == "@" then return end -- control messages (@on, @off)
    flush_warnings()
    event("warning", {text = table.concat(all)})
  end
  plot.show = function(fig, caption)
    if caption ~= nil and type(caption) ~= "string" then
      error("rad.plot.show: the caption must be a string, got a " .. type(caption), 2)
    end
    capture_figure(fig, caption)
    return nil
  end
  Figure.save = function(fig, file, ...)
    local r = saved.save(fig, file, ...)
    capture_figure(fig, type(file) == "string" and file:match("([^/]+)$") or nil)
    return r
  end
  local restore = function()
    _G.print, io.write, _G.warn = saved.print, saved.write, saved.warn
    plot.show, Figure.save = saved.show, saved.save
    rad.quiet(quiet)
    debug.sethook()
  end

  -- the hook the chunk calls: a cell starts; a cell's values
  local started
  local hook = {}
  function hook.cell(k)
    if current then flush_warnings() end
    current = cells[k]
    current.events, current.figures, current.ran = {}, {}, true
    started = os.time()
  end
  function hook.value(k, ...)
    flush_warnings()
    if select("#", ...) > 0 then
      local parts = {}
      for i = 1, select("#", ...) do parts[i] = pretty.show((select(i, ...))) end
      event("value", {text = table.concat(parts, "\t")})
    end
  end
  if opts.timeout then
    debug.sethook(function()
      if started and os.time() - started > opts.timeout then
        started = nil
        error(string.format("stopped after more than %d s (--timeout %d); make the cell faster or raise the timeout",
          opts.timeout, opts.timeout), 2)
      end
    end, "", 1000)
  end

  local from = 1
  while true do
    local src = chunk_source(cells, nlines, from)
    local fn, cerr = load(src, chunkname, "t")
    if not fn then
      restore()
      -- the file's own message when the file itself does not compile;
      -- else a statement runs on across a marker
      local plain = text:gsub("^#[^\n]*", "")
      local _, ferr = load(plain, chunkname, "t")
      if ferr then
        cerr = ferr
      else
        cerr = cerr:gsub("near '" .. HOOK .. "'", "at the cell's end") .. " (a statement goes on past the cell's "
          .. "end; keep each statement within one cell)"
      end
      local line = tonumber(cerr:match(":(%d+):"))
      local where = ""
      for _, c in ipairs(cells) do
        if line and c.line <= line and line <= c.last + 1 then where = string.format("cell %d, ", c.index) end
      end
      error(string.format("%s: %sline %s: %s", path, where, line or "?", cerr:gsub("^[^\n]-:%d+: ", "")), 0)
    end
    current = nil
    local ok, e = xpcall(fn, function(m)
      local line = notebook_line(chunkname)
      local msg = type(m) == "string" and m or (getmetatable(m) and getmetatable(m).__tostring and tostring(m))
        or ("(error object is a " .. type(m) .. " value)")
      return {msg = msg, line = line}
    end, hook)
    if ok then break end
    flush_warnings()
    local c = current or cells[1]
    c.error = {text = e.msg:gsub("^" .. path:gsub("%p", "%%%0") .. ":%d+: ", ""), line = e.line or c.line}
    event("error", {text = c.error.text, line = c.error.line})
    result.failed = result.failed + 1
    result.first_error = result.first_error or c
    if not opts.keep_going then break end
    from = c.index + 1
    if from > #cells then break end
  end
  if current then flush_warnings() end
  current = nil
  restore()
  result.nfig = nfig
  return result
end

-- ---- the page ------------------------------------------------------------------------

local function esc(s)
  return (s:gsub("[&<>\"']", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;"}))
end

local CLASS = {keyword = "k", string = "s", comment = "c", number = "n"}

--- notebook.highlight(src) -> html: Lua source as HTML-escaped text, with keywords, strings, comments and numbers in <span class="k|s|c|n">
function M.highlight(src)
  local out = {}
  for _, t in ipairs(M.tokens(src)) do
    local cls = CLASS[t[1]]
    out[#out + 1] = cls and ('<span class="' .. cls .. '">' .. esc(t[2]) .. "</span>") or esc(t[2])
  end
  return table.concat(out)
end

local STYLE = [[
body{margin:0;background:#fafafa;color:#1d1d1f;font:16px/1.5 "DejaVu Sans",Helvetica,Arial,sans-serif}
main{max-width:860px;margin:0 auto;padding:1.5em 1em 3em;box-sizing:border-box;overflow-wrap:anywhere}
h1,h2,h3{line-height:1.25}
img{max-width:100%;height:auto}
pre{overflow-x:auto;white-space:pre;margin:.4em 0;padding:.6em .8em;border-radius:4px;font:13px/1.45 "DejaVu Sans Mono",Menlo,Consolas,monospace}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:90%}
.cell{margin:1.2em 0}
.label{color:#888;font-size:12px;font-family:"DejaVu Sans Mono",monospace}
pre.src{background:#f0f0f3;border-left:3px solid #6a7bd0}
pre.out{background:#fff;border:1px solid #e2e2e2}
pre.value{background:#fff;border:1px solid #e2e2e2;color:#204a87}
.warning{background:#fff8e1;border-left:3px solid #e0a800;padding:.4em .8em;margin:.4em 0;white-space:pre-wrap;font-size:14px}
.error{background:#fdecea;border-left:3px solid #c62828;padding:.4em .8em;margin:.4em 0;white-space:pre-wrap;font-size:14px}
figure{margin:.6em 0}
figcaption{color:#555;font-size:14px}
.k{color:#7b2d8e;font-weight:bold}.s{color:#2e7d32}.c{color:#8a8a8a;font-style:italic}.n{color:#b35900}
table{border-collapse:collapse;display:block;max-width:100%;overflow-x:auto}td,th{border:1px solid #ccc;padding:.2em .5em}
footer{color:#888;font-size:13px;border-top:1px solid #ddd;margin-top:2em;padding-top:.5em}
]]

local function figure_src(fig, embed, dir)
  if embed then return "data:image/png;base64," .. M.base64(read_file(dir .. "/" .. fig.name)) end
  return fig.name
end

-- A fence for text: longer than any run of backticks in it.
local function fence(text)
  local n = 3
  for run in text:gmatch("`+") do n = math.max(n, #run + 1) end
  return ("`"):rep(n)
end

local function render(result, dir, embed)
  local html, md = {}, {}
  local title = result.name
  html[#html + 1] = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    .. '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>' .. esc(title)
    .. "</title>\n<style>\n" .. STYLE .. "</style>\n</head>\n<body>\n<main>\n"
  md[#md + 1] = "<!-- " .. title:gsub("%-%-", "- -") .. ": made by radlab notebook -->\n"
  local ncode = 0
  for _, c in ipairs(result.cells) do
    if c.kind == "markdown" then
      html[#html + 1] = '<section class="cell markdown" id="cell-' .. c.index .. '">\n'
        .. rad.markdown.html(c.text, {unsafe = result.options.unsafe_html}) .. "</section>\n"
      md[#md + 1] = c.text .. "\n"
    else
      ncode = ncode + 1
      html[#html + 1] = '<section class="cell code" id="cell-' .. c.index .. '">\n<div class="label">cell '
        .. c.index .. ", line " .. c.line .. "</div>\n<pre class=\"src\"><code>" .. M.highlight(c.text)
        .. "</code></pre>\n"
      local f = fence(c.text)
      md[#md + 1] = f .. "lua\n" .. c.text .. "\n" .. f .. "\n"
      if not c.ran then
        html[#html + 1] = '<div class="warning">not run (an earlier cell failed)</div>\n'
        md[#md + 1] = "> not run (an earlier cell failed)\n"
      end
      for _, ev in ipairs(c.events or {}) do
        if ev.kind == "output" or ev.kind == "value" then
          html[#html + 1] = '<pre class="' .. (ev.kind == "output" and "out" or "value") .. '">' .. esc(ev.text) .. "</pre>\n"
          local t = ev.text:gsub("\n$", "")
          local ff = fence(t)
          md[#md + 1] = ff .. "text\n" .. t .. "\n" .. ff .. "\n"
        elseif ev.kind == "warning" then
          html[#html + 1] = '<div class="warning">warning: ' .. esc(ev.text) .. "</div>\n"
          md[#md + 1] = "> **warning:** " .. ev.text:gsub("\n", " ") .. "\n"
        elseif ev.kind == "error" then
          html[#html + 1] = '<div class="error">error (line ' .. ev.line .. "): " .. esc(ev.text) .. "</div>\n"
          md[#md + 1] = "> **error (line " .. ev.line .. "):** " .. ev.text:gsub("\n", " ") .. "\n"
        elseif ev.kind == "figure" then
          local fig = ev.figure
          local src = figure_src(fig, embed, dir)
          local alt = fig.caption or ("figure " .. fig.name)
          html[#html + 1] = '<figure><img src="' .. esc(src) .. '" alt="' .. esc(alt) .. '">'
            .. (fig.caption and ("<figcaption>" .. esc(fig.caption) .. "</figcaption>") or "") .. "</figure>\n"
          md[#md + 1] = "![" .. alt:gsub("[%[%]]", "\\%0") .. "](" .. src .. ")\n"
        end
      end
      html[#html + 1] = "</section>\n"
    end
    md[#md + 1] = "\n"
  end
  html[#html + 1] = string.format('<footer>%s: %d cells, %d of code, %d failed; made by radlab %s notebook</footer>\n',
    esc(title), #result.cells, ncode, result.failed, esc(rad.version))
  html[#html + 1] = "</main>\n</body>\n</html>\n"
  return table.concat(html), table.concat(md)
end

local function write_file(p, s)
  local f, err = io.open(p, "wb")
  if not f then error(string.format("cannot write %s: %s", p, err), 0) end
  local ok, werr = f:write(s)
  local okc, cerr = f:close()
  if not ok or not okc then error(string.format("cannot write %s: %s", p, werr or cerr), 0) end
end

--- notebook.render(path [, {dir = "<basename>-html", check = false, keep_going = false, timeout = nil, embed = true}]) -> result: run the notebook and write dir/index.html (self-contained; figures as data URIs, or beside it with embed = false) and dir/index.md, through a temporary folder renamed at the end (nothing is written when a cell fails, unless keep_going; nothing at all with check); result.failed counts failing cells
function M.render(path, opts)
  opts = opts or {}
  if opts.timeout ~= nil and (math.type(opts.timeout) ~= "integer" or opts.timeout < 1) then
    error("the timeout must be a whole number of seconds >= 1, got " .. tostring(opts.timeout), 0)
  end
  local embed = opts.embed ~= false
  if opts.check then
    return M.run(path, {keep_going = opts.keep_going, timeout = opts.timeout})
  end
  local dir = opts.dir or ((path:match("([^/]+)$") or path):gsub("%.lua$", "") .. "-html")
  dir = dir:gsub("/+$", "")
  if dir == "" then error("the output folder cannot be /", 0) end
  local parent, base = dir:match("^(.*)/([^/]+)$")
  if not parent then parent, base = ".", dir end
  if parent == "" then parent = "/" end
  if base == "." or base == ".." then error("give the output folder by name, not '" .. dir .. "'", 0) end
  -- the output folder may be replaced only when it is a page made before
  local exists = io.open(dir, "rb")
  if exists then
    exists:close()
    if not is_dir(dir) then
      error(string.format("the output folder '%s' is a file; give another -o DIR or remove the file", dir), 0)
    end
    local page = io.open(dir .. "/index.html", "rb")
    if page then page:close()
    else
      local p = io.popen("ls -A " .. shell_quote(dir) .. " 2>/dev/null")
      local listing = p:read("a")
      p:close()
      if listing ~= "" then
        error(string.format("the output folder '%s' exists and holds other files (no index.html from an earlier "
          .. "run); give another -o DIR or empty it", dir), 0)
      end
    end
  end
  local p = io.popen("mktemp -d " .. shell_quote(parent .. "/." .. base .. ".tmp-XXXXXX") .. " 2>/dev/null")
  local tmp = p:read("l")
  p:close()
  if not tmp or tmp == "" or not is_dir(tmp) then
    error(string.format("cannot create the output folder '%s': its parent folder '%s' does not exist, is not a "
      .. "folder or is not writable; give -o DIR in a writable folder", dir, parent), 0)
  end
  local function cleanup() os.execute("rm -rf -- " .. shell_quote(tmp)) end
  local okr, result = pcall(M.run, path, {keep_going = opts.keep_going, timeout = opts.timeout, dir = tmp})
  if not okr then cleanup(); error(result, 0) end
  if result.failed > 0 and not opts.keep_going then cleanup(); return result end
  local okw, werr = pcall(function()
    local html, md = render(result, tmp, embed)
    write_file(tmp .. "/index.html", html)
    write_file(tmp .. "/index.md", md)
    if embed then
      for _, c in ipairs(result.cells) do
        for _, fig in ipairs(c.figures or {}) do os.remove(tmp .. "/" .. fig.name) end
      end
    end
    os.execute("chmod 755 " .. shell_quote(tmp)) -- mktemp made it private; the page is for reading
    local old
    if is_dir(dir) then
      old = tmp .. ".old"
      local ok, e = os.rename(dir, old)
      if not ok then error(string.format("cannot replace the output folder '%s': %s", dir, e), 0) end
    end
    local ok, e = os.rename(tmp, dir)
    if not ok then
      if old then os.rename(old, dir) end
      error(string.format("cannot rename the page into '%s': %s", dir, e), 0)
    end
    if old then os.execute("rm -rf -- " .. shell_quote(old)) end
  end)
  if not okw then cleanup(); error(werr, 0) end
  result.dir = dir
  return result
end

return (require("rad.doc").register(M, "notebook", "M"))
