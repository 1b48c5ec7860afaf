-- radlab: tests of the Figure object, rad.plot.lines and rad.plot.page.  SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/plot.lua
-- The written PNGs are read back twice: as an image (rad.read gives grey
-- levels) for pixel checks at positions computed from Figure:layout(), and
-- byte by byte for the chunks (IHDR, pHYs, tEXt provenance).
local T = require "rad.test"
local dir = T.tmpdir()

-- PNG chunks of a file: {IHDR = {w, h, depth, ctype}, pHYs = ppm, text = {key = value}}
local function png_chunks(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  assert(s:sub(1, 8) == "\137PNG\r\n\26\n", "not a PNG")
  local pos, info = 9, {text = {}}
  while pos <= #s do
    local len, kind = string.unpack(">I4c4", s, pos)
    local data = s:sub(pos + 8, pos + 7 + len)
    if kind == "IHDR" then
      local w, h, depth, ctype = string.unpack(">I4I4BB", data)
      info.IHDR = {w = w, h = h, depth = depth, ctype = ctype}
    elseif kind == "pHYs" then
      info.pHYs = string.unpack(">I4", data)
    elseif kind == "tEXt" then
      local k, v = data:match("^([^%z]+)%z(.*)$")
      info.text[k] = v
    end
    pos = pos + 12 + len
    if kind == "IEND" then break end
  end
  return info
end

local function box(fig, kind, axes, dpi)
  for _, b in ipairs(fig:layout{dpi = dpi or 150}) do
    if b.kind == kind and (axes == nil or b.axes == axes) then return b end
  end
end

-- ---- a line figure: layout, pixels, chunks ----------------------------------
local x, y = {}, {}
for i = 0, 50 do x[#x + 1] = i / 50; y[#y + 1] = (i / 50) ^ 2 end
local fig = rad.plot.lines({{x = x, y = y, label = "y = x^2"},
                            {x = {0, 1}, y = {0, 1}, label = "identity", dash = "dashed", color = "grey"}},
                           {title = "Two series", xlabel = "x", ylabel = "y", xlim = {0, 1}, ylim = {0, 1},
                            width = 100, height = 80})
T.like(tostring(fig), "Figure 100 x 80 mm", "tostring gives the size")
T.like(tostring(fig), "lines, 2 series, 53 points", "tostring gives the description", true)
local w, h = fig:size()
T.is(w, 100, "width in mm"); T.is(h, 80, "height in mm")
local pw, ph = fig:pixels(300)
T.is(pw, 1181, "100 mm at 300 dpi = 1181 px"); T.is(ph, 945, "80 mm at 300 dpi = 945 px")

local path = dir .. "/lines.png"
T.is(fig:save(path, {dpi = 150, source = "tests/lua/plot.lua", digest = "cafe"}), fig, "save returns the figure")
local info = png_chunks(path)
T.is(info.IHDR.w, 591, "PNG width 591 px at 150 dpi"); T.is(info.IHDR.h, 472, "PNG height 472 px")
T.is(info.IHDR.depth, 8, "8 bits per sample"); T.is(info.IHDR.ctype, 2, "RGB colour type")
T.is(info.pHYs, 5906, "pHYs = 150 dpi in pixels per metre")
T.is(info.text.Title, "Two series", "Title chunk")
T.like(info.text.Software or "", "^radlab %d", "Software chunk names radlab and its version")
T.is(info.text.Source, "tests/lua/plot.lua", "Source chunk")
T.is(info.text["radlab settings digest"], "cafe", "settings digest chunk")
T.like(info.text.Description or "", "lines, 2 series", "Description chunk", true)
T.like(info.text["Creation Time"] or "", "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%dZ$", "Creation Time chunk")

fig:save(path, {reproducible = true})
info = png_chunks(path)
T.ok(info.text["Creation Time"] == nil or os.getenv("SOURCE_DATE_EPOCH"), "reproducible: no Creation Time")
T.like(info.text.Source or "", "plot.lua", "default Source is the running script", true)
local f1 = io.open(path, "rb"):read("a")
fig:save(path, {reproducible = true})
T.ok(io.open(path, "rb"):read("a") == f1, "reproducible saves are byte-identical")

-- pixels: the parabola passes (0.5, 0.25), the identity (0.5, 0.5); (0.5, 0.9) is empty
local img = rad.read(dir .. "/lines.png")
local nx, ny = img:size()
T.is(nx, 591, "read back: width"); T.is(ny, 472, "read back: height")
local plot = box(fig, "plot", 1)
T.ok(plot ~= nil, "layout has the plot area")
local function at(dx, dy) -- data -> 1-based pixel index
  local px = plot.x0 + dx * (plot.x1 - plot.x0)
  local py = plot.y1 - dy * (plot.y1 - plot.y0)
  return math.floor(px) + 1, math.floor(py) + 1
end
local function darkest(i, j, r) -- the darkest pixel within r (default 1) of (i, j)
  local v = 255
  r = r or 1
  for di = -r, r do for dj = -r, r do v = math.min(v, img:get(i + di, j + dj)) end end
  return v
end
T.ok(darkest(at(0.5, 0.25)) < 160, "parabola drawn at (0.5, 0.25)")
do -- a 9x9 window spans more than one dash period along the diagonal
  local i, j = at(0.5, 0.5)
  T.ok(darkest(i, j, 4) < 200, "dashed identity drawn near (0.5, 0.5)")
end
T.ok(darkest(at(0.25, 0.9)) > 250, "empty area stays white")
for _, b in ipairs(fig:layout()) do
  if b.x0 < 0 or b.y0 < 0 or b.x1 > nx + 1e-9 or b.y1 > ny + 1e-9 then
    T.ok(false, "box " .. b.kind .. " inside the image")
  end
end
local leg, yt, xt = box(fig, "legend", 1), box(fig, "yticks", 1), box(fig, "xticks", 1)
T.ok(leg and leg.x0 >= plot.x0 and leg.y1 <= plot.y1, "legend inside the plot area")
T.ok(leg and leg.x0 > yt.x1 and leg.y1 < xt.y0, "legend clear of the tick labels")
-- the parabola keeps the top-left corner empty: the legend goes there
T.ok(leg and leg.x1 < (plot.x0 + plot.x1) / 2 and leg.y1 < (plot.y0 + plot.y1) / 2,
     "legend in the empty top-left corner")

T.ok(fig:save(dir .. "/px.png", {pixels = {800, 600}, dpi = 100}), "save at a size in pixels")
info = png_chunks(dir .. "/px.png")
T.is(info.IHDR.w, 800, "pixels = {800, 600}: width 800"); T.is(info.IHDR.h, 600, "height 600")
T.is(select(1, fig:size()), 100, "a size given to save applies to that file only")
T.errors(function() fig:save(dir .. "/x.png", {pixels = {800}}) end, "pixels must be {width, height}", "bad pixels")

-- ---- options and notes ------------------------------------------------------------
local logfig = rad.plot.lines({x = {1, 10, 100, 1000}, y = {1, rad.NA, 3, 4}, kind = "points"},
                              {xlog = true, legend = "none"})
T.like(table.concat(logfig:notes(), "\n"), "1 of 4 points", "a missing value is noted", true)
T.ok(box(logfig, "legend") == nil, "legend = none draws none")
T.ok(logfig:save(dir .. "/log.png"), "log-scale points save")
local one = rad.plot.lines({y = {5}})
T.ok(one:save(dir .. "/one.png"), "a single point renders")

-- ---- page ------------------------------------------------------------------------
local page = rad.plot.page{title = "Report", figures = {fig, logfig, one}, columns = 2}
local pw2 = page:size()
T.is(pw2, 180, "page default width 180 mm")
local p1, p2, p3 = box(page, "plot", 1), box(page, "plot", 2), box(page, "plot", 3)
T.ok(p1 and p2 and p3 and p1.x1 < p2.x0 and p3.y0 > p1.y1, "page: 2 columns, third figure on the second row")
T.ok(page:save(dir .. "/page.png"), "page saves")
T.like(tostring(page), "3 figures in 2 x 2", "page describes its grid", true)

-- ---- bad input -------------------------------------------------------------------
T.errors(function() fig:save(dir .. "/x.png", {dpi = 5}) end, "dpi must be 30 to 1200", "bad dpi")
T.errors(function() fig:save(dir .. "/x.png", {dpii = 300}) end, "dpii", "unknown save option named")
T.errors(function() fig:save(dir .. "/no/such/dir/x.png") end, "no/such/dir", "unwritable path named")
T.ok(io.open(dir .. "/x.png", "rb") == nil, "no partial file left behind")
T.errors(function() rad.plot.lines({x = {1, 2}, y = {1}}) end, "2 x and 1 y", "length mismatch")
T.errors(function() rad.plot.lines({y = {1, "a"}}) end, "y[2] is a string", "non-number named")
T.errors(function() rad.plot.lines({y = {1}}, {legend = "middle"}) end, "legend position 'middle'", "bad legend")
T.errors(function() rad.plot.lines({y = {1}, kind = "bars"}) end, "kind 'bars'", "bad kind")
T.errors(function() rad.plot.lines({y = {1}}, 5) end, "rad.plot.lines: the options must be a table, got number",
         "options that are not a table named")
T.errors(function() rad.plot.forest({labels = {}, estimate = {}, lower = {}, upper = {}}) end,
         "rad.plot.forest: no terms", "an engine message names the chart once")
T.errors(function() rad.plot.lines({y = {1}}, {width = 3}) end, "10 to 2000", "too narrow")
T.errors(function() rad.plot.lines({y = {1}, color = "#12"}) end, "#rrggbb", "bad colour")
T.errors(function() rad.plot.page{figures = {fig, 3}} end, "figures[2] is a number", "page with a non-figure")
fig:close()
T.errors(function() fig:save(dir .. "/x.png") end, "closed Figure", "closed figure")

-- a log axis over about two decades: decades plus 2s and 5s, in axis order,
-- so that none is thinned out at a width where all fit (0.5 1 2 5 10 20)
do
  local f = rad.plot.lines({x = {0.3, 3, 30}, y = {1, 2, 3}}, {xlog = true, width = 160})
  local xs = {}
  for _, b in ipairs(f:layout({dpi = 150})) do
    if b.kind == "xtick" and b.text then xs[#xs + 1] = b.x0 end
  end
  local ordered = true
  for i = 2, #xs do ordered = ordered and xs[i] > xs[i - 1] end
  T.is(#xs, 6, "log axis 0.3..30: six tick labels (0.5, 1, 2, 5, 10, 20)")
  T.ok(ordered, "log axis: tick labels left to right")
end

T.done()
