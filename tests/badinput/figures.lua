-- radlab bad-input suite: figures.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

B.call("km: table argument missing", function() rad.plot.km(nil, {time = "t", event = "e"}) end, "km")

local t = rad.table.new{{"t", {5, 8, 12, 20}}, {"e", {1, 0, 1, 1}}, {"g", {"a", "a", "b", "b"}}}
local fig = rad.plot.lines({x = {1, 2, 3}, y = {1, 4, 9}})
local out = B.dir .. "/fig.png"

-- Figure:save: sizes, formats, places
B.call("save: width 0 mm", function() fig:save(out, {width = 0}) end, "width = 0 mm: give a size of 10 to 2000 mm",
       {writes = {out}})
B.call("save: negative height", function() fig:save(out, {height = -40}) end, "height = -40 mm", {writes = {out}})
B.call("save: zero pixels", function() fig:save(out, {pixels = {0, 300}}) end,
       "pixels must be {width, height} in whole pixels", {writes = {out}})
B.call("save: dpi below 30", function() fig:save(out, {dpi = 10}) end, "dpi must be 30 to 1200", {writes = {out}})
B.call("save: unknown extension", function() fig:save(B.dir .. "/fig.jpg") end,
       "the file name must end in .png, .pdf or .svg", {writes = {B.dir .. "/fig.jpg"}})
B.call("save: no extension", function() fig:save(B.dir .. "/figure") end, "it has no extension",
       {writes = {B.dir .. "/figure"}})
B.call("save: unwritable directory (PNG)", function() fig:save(B.dir .. "/no/such/dir/fig.png") end,
       "check that the folder exists", {writes = {B.dir .. "/no/such/dir/fig.png"}})
B.call("save: unwritable directory (PDF)", function() fig:save(B.dir .. "/no/such/dir/fig.pdf") end,
       "check that the folder exists", {writes = {B.dir .. "/no/such/dir/fig.pdf"}})
B.call("save: too many pixels", function() fig:save(B.dir .. "/big.png", {width = 2000, dpi = 1200}) end,
       "lower the dpi or the size", {writes = {B.dir .. "/big.png"}})
B.call("save: dpi out of range for a PDF", function() fig:save(B.dir .. "/f.pdf", {dpi = 5000}) end,
       "dpi must be 30 to 1200", {writes = {B.dir .. "/f.pdf"}})

-- chart input
B.call("km: missing column", function() rad.plot.km(t, {time = "time", event = "e"}) end,
       "rad.plot.km: time: no column 'time' in the table")
B.call("km: empty table", function() rad.plot.km(t:rows{}, {time = "t", event = "e"}) end, "the table has no rows")
B.call("box: misspelt group column", function() rad.plot.box(t, {y = "t", group = "gg"}) end,
       "no column 'gg' (did you mean 'g'?)")
B.call("lines: NaN-only series", function() rad.plot.lines({{x = {1, 2}, y = {1, 2}}, {x = {1, 2}, y = {0 / 0, 0 / 0}}}) end,
       "series 2 has no point with a finite x and y")
B.call("lines: no series", function() rad.plot.lines({}) end, "give a series {x = {...}, y = {...}}")
B.call("chart option width of the wrong type", function() rad.plot.km(t, {time = "t", event = "e", width = "wide"}) end,
       "rad.plot.km: option width must be a number (mm), got string")
B.call("chart option title of the wrong type", function() rad.plot.lines({y = {1, 2}}, {title = 42}) end,
       "rad.plot.lines: option title must be a string, got number")
B.call("chart width 0 mm", function() rad.plot.lines({y = {1, 2}}, {width = 0}) end,
       "option width = 0: give a size in mm, 10 to 2000")
B.call("chart option grid not a boolean", function() rad.plot.lines({y = {1, 2}}, {grid = "yes"}) end,
       "option grid must be true or false")
B.call("forest: every estimate missing", function()
  rad.plot.forest({labels = {"a", "b"}, estimate = {0 / 0, 0 / 0}, lower = {0 / 0, 0 / 0}, upper = {0 / 0, 0 / 0}})
end, "no term has a finite positive estimate")
B.call("page: a number among the figures", function() rad.plot.page{figures = {fig, 1}} end,
       "figures[2] is a number, not a Figure")

-- multi-page PDF and text pages
local pdf = B.dir .. "/report.pdf"
B.call("save_pdf: empty list", function() rad.plot.save_pdf(pdf, {}) end,
       "rad.plot.save_pdf: the list of figures is empty; give at least one Figure", {writes = {pdf}})
B.call("save_pdf: a string among the figures", function() rad.plot.save_pdf(pdf, {fig, "km.png"}) end,
       "rad.plot.save_pdf: figures[2] is a string, not a Figure", {writes = {pdf}})
B.call("save_pdf: figures not a list", function() rad.plot.save_pdf(pdf, fig) end,
       "the second argument is a single Figure; give a list of Figures {fig1, fig2, ...}", {writes = {pdf}})
B.call("save_pdf: .png extension", function() rad.plot.save_pdf(B.dir .. "/report.png", {fig}) end,
       "a multi-page document is a PDF; end the file name in .pdf", {writes = {B.dir .. "/report.png"}})
B.call("save_pdf: no extension", function() rad.plot.save_pdf(B.dir .. "/report", {fig}) end,
       "(it has no extension)", {writes = {B.dir .. "/report"}})
B.call("save_pdf: unwritable directory", function() rad.plot.save_pdf(B.dir .. "/no/such/dir/r.pdf", {fig, fig}) end,
       "check that the folder exists", {writes = {B.dir .. "/no/such/dir/r.pdf"}})
B.call("save_pdf: unknown option", function() rad.plot.save_pdf(pdf, {fig}, {dpi = 300}) end,
       "rad.plot.save_pdf: unknown option 'dpi' (allowed: title, source, digest, reproducible)", {writes = {pdf}})
B.call("text_pages: a page_total that is not a whole number", function()
  rad.plot.text_pages{blocks = {{text = "a"}}, page_total = 2.5} end,
       "rad.plot.text_pages: page_total = 2.5: give the whole document's page count (a whole number), or leave it out")
B.call("text_pages: unknown block kind", function() rad.plot.text_pages{blocks = {{text = "a"}, {image = "x.png"}}} end,
       "rad.plot.text_pages: blocks[2] has an unknown kind 'image'; a block is {heading = \"...\"}, {text = \"...\"} or {table")
B.call("text_pages: two kinds in one block", function() rad.plot.text_pages{blocks = {{heading = "a", text = "b"}}} end,
       "blocks[1] has more than one of heading, text and table")
B.call("text_pages: paragraph not a string", function() rad.plot.text_pages{blocks = {{text = {"a"}}}} end,
       "blocks[1].text is a table; give a string")
B.call("text_pages: table row of the wrong length", function()
  rad.plot.text_pages{blocks = {{table = {header = {"a", "b", "c"}, rows = {{1, 2, 3}, {4, 5}}}}}}
end, "blocks[1].table.rows[2] has 2 cells, the table has 3 columns (its header): give each row one cell per column")
B.call("text_pages: a boolean cell", function()
  rad.plot.text_pages{blocks = {{table = {rows = {{"x", true}}}}}}
end, "blocks[1].table.rows[1][2] is a boolean; give strings or numbers")
B.call("text_pages: bad alignment letter", function()
  rad.plot.text_pages{blocks = {{table = {rows = {{"x", 1}}, align = {"l", "x"}}}}}
end, "blocks[1].table.align[2] is \"x\"; give \"l\" (left), \"r\" (right, for numbers) or \"c\" (centre)")
B.call("text_pages: table too wide even at 6 pt", function()
  local h = {}
  for j = 1, 12 do h[j] = "a long column heading number " .. j end
  rad.plot.text_pages{blocks = {{table = {header = h, rows = {h}}}}, width = 100}
end, "table in block 1 (12 columns, first heading \"a long column heading number 1\") is 511 mm wide even at 6 pt, the page has 70 mm between its margins: shorten the widest column")
B.call("text_pages: page too small", function() rad.plot.text_pages{blocks = {{text = "a"}}, width = 40} end,
       "width = 40, height = 250 mm: give 60 to 2000 mm each")
B.call("text_pages: misspelt option", function() rad.plot.text_pages{blocks = {{text = "a"}}, fontsize = 9} end,
       "rad.plot.text_pages: unknown option 'fontsize' (allowed: title, blocks, width, height, font_size, page_total)")

-- rad.plot is the module rad_plot.so, loaded on first use: when it cannot be
-- found the error says which module, where it belongs and how to fix it, and
-- no figure is written
local lost = B.dir .. "/lost.png"
B.cli("rad.plot: plotting module not found", {"-e", "package.cpath = '/nonexistent/?.so'; " ..
        "rad.plot.lines({y = {1, 2}}):save('" .. lost .. "')"},
      {status = 1, stderr = "rad.plot: cannot load the plotting module rad_plot.so (it is installed beside rad.so; " ..
        "reinstall radlab or add its folder to package.cpath): module 'rad_plot' not found", writes = {lost}})

B.done()
