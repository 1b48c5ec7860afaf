-- radlab: multi-page PDF reports and text pages.  SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/lua/report_pdf.lua
--
-- rad.plot.save_pdf writes one page per Figure, each its own size; the
-- test reads the PDF's bytes (no pdfinfo needed): the page objects in the
-- order of the page tree, their MediaBox in points, the document
-- information.  rad.plot.text_pages sets headings, paragraphs and tables on
-- numbered pages; every line and cell is a text box of the layout, checked
-- with rad.test's layout_problems at 150 and 300 dpi.
local T = require "rad.test"
local dir = T.tmpdir()

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- The pages of a PDF in the order of its page tree: {{w, h} in pt, ...}.
local function pdf_pages(bytes)
  local objs = {}
  for num, body in bytes:gmatch("(%d+) 0 obj(.-)endobj") do objs[tonumber(num)] = body end
  local pages
  for _, body in pairs(objs) do
    if body:find("/Type /Pages", 1, true) then pages = body end
  end
  local out = {}
  for num in assert(pages, "no page tree"):match("/Kids%s*%[(.-)%]"):gmatch("(%d+) 0 R") do
    local body = objs[tonumber(num)]
    local x0, y0, x1, y1 = body:match("/MediaBox%s*%[%s*(%S+)%s+(%S+)%s+(%S+)%s+(%S+)%s*%]")
    out[#out + 1] = {tonumber(x1) - tonumber(x0), tonumber(y1) - tonumber(y0), page = body:find("/Type /Page", 1, true)}
  end
  return out
end

-- Points as cairo writes them: mm * 72 / 25.4 with six decimals.
local function pt(mm) return tonumber(string.format("%.6f", mm * 72 / 25.4)) end

-- how many "/Type /Page" objects (not "/Pages") the bytes hold
local function count_pages(bytes)
  local n = 0
  for tail in bytes:gmatch("/Type%s*/Page(%w?)") do
    if tail == "" then n = n + 1 end
  end
  return n
end

-- ---- save_pdf ------------------------------------------------------------------------------

local f1 = rad.plot.lines({x = {1, 2, 3}, y = {1, 4, 9}}, {title = "First", width = 120, height = 90})
local f2 = rad.plot.lines({x = {1, 2, 3}, y = {3, 2, 1}}, {width = 180, height = 250})
local f3 = rad.plot.lines({x = {0, 1}, y = {0, 1}}, {width = 60.5, height = 40})
local path = dir .. "/report.pdf"
T.is(rad.plot.save_pdf(path, {f1, f2, f3}, {title = "Report", source = "report_pdf.lua", reproducible = true}), path,
     "save_pdf returns the path")
local bytes = slurp(path)
T.is(bytes:sub(1, 5), "%PDF-", "a PDF")
T.is(count_pages(bytes), 3, "three /Type /Page objects")
local pages = pdf_pages(bytes)
T.is(#pages, 3, "three pages in the page tree")
local want = {{120, 90}, {180, 250}, {60.5, 40}}
for i, w in ipairs(want) do
  T.is(pages[i][1], pt(w[1]), string.format("page %d width %g mm = %.6f pt", i, w[1], pt(w[1])))
  T.is(pages[i][2], pt(w[2]), string.format("page %d height %g mm = %.6f pt", i, w[2], pt(w[2])))
end
T.is(pages[1][1], 340.15748, "120 mm is 340.15748 pt (by hand: 120 / 25.4 * 72)")
T.like(bytes, "/Title (Report)", "document title", true)
T.like(bytes, "/Creator (radlab ", "creator", true)
T.like(bytes, "/Keywords (source: report_pdf.lua)", "keywords carry the source", true)
T.ok(not bytes:find("/CreationDate", 1, true), "reproducible: no CreationDate")

-- two reproducible saves are the same bytes
local path2 = dir .. "/report2.pdf"
rad.plot.save_pdf(path2, {f1, f2, f3}, {title = "Report", source = "report_pdf.lua", reproducible = true})
T.ok(slurp(path2) == bytes, "two reproducible saves are byte-identical")

-- the title defaults to the first figure title; without reproducible a date
-- is written (unless SOURCE_DATE_EPOCH fixes one)
local path3 = dir .. "/plain.PDF"
rad.plot.save_pdf(path3, {f2, f1})
local b3 = slurp(path3)
T.like(b3, "/Title (First)", "title from the first figure that has one", true)
T.like(b3, "/CreationDate (", "a creation date when not reproducible", true)
T.is(count_pages(b3), 2, "two pages (upper-case .PDF accepted)")

-- the single-figure save shares the code: one page of the figure's size
local path4 = dir .. "/one.pdf"
f3:save(path4, {reproducible = true, source = "one"})
local p4 = pdf_pages(slurp(path4))
T.is(#p4, 1, "Figure:save PDF: one page")
T.is(p4[1][1], pt(60.5), "Figure:save PDF: its width")
local path5 = dir .. "/one_list.pdf"
rad.plot.save_pdf(path5, {f3}, {reproducible = true, source = "one"})
T.ok(slurp(path5) == slurp(path4), "save_pdf of one Figure = Figure:save of it, byte for byte")

-- ---- text_pages ----------------------------------------------------------------------------

local dpi = 150
local function px(mm) return mm / 25.4 * dpi end

local function texts(fig, d)
  local out = {}
  for _, b in ipairs(fig:layout{dpi = d or dpi}) do
    if b.text then out[#out + 1] = b end
  end
  return out
end

local function clean(figs, what)
  for _, d in ipairs{150, 300} do
    for i, f in ipairs(figs) do
      local pr = T.layout_problems(f:layout{dpi = d})
      T.is(#pr, 0, string.format("%s: page %d at %d dpi: no text problems", what, i, d))
      if #pr > 0 then T.diag(pr[1]) end
    end
  end
end

-- every text box between the 15 mm margins; the footer centred
local function margins(figs, what, w)
  local bad = 0
  for _, f in ipairs(figs) do
    for _, b in ipairs(texts(f)) do
      if b.x0 < px(15) - 1e-6 or b.x1 > px(w - 15) + 1e-6 then bad = bad + 1 end
    end
  end
  T.is(bad, 0, what .. ": every piece of text inside the 15 mm margins")
end

-- a long paragraph
local para = ("Radiomic features were extracted from the contrast-enhanced CT of each patient following the IBSI " ..
  "reference manual, after resampling to 1 mm isotropic voxels and discretisation to a fixed bin width of 25 HU. "):rep(30)
local doc = rad.plot.text_pages{title = "Supplementary methods", blocks = {{heading = "Image processing"}, {text = para}}}
T.ok(#doc >= 2, "a 30-sentence paragraph flows onto a second page (" .. #doc .. " pages)")
clean(doc, "long paragraph")
margins(doc, "long paragraph", 180)
T.is(select(1, doc[1]:size()), 180, "default width 180 mm")
T.is(select(2, doc[1]:size()), 250, "default height 250 mm")
-- paragraph lines: left at the margin, evenly spaced
local lines = {}
for _, b in ipairs(texts(doc[1])) do
  if b.y0 > px(30) and b.y1 < px(250 - 15) then lines[#lines + 1] = b end
end
local left, even = 0, 0
for i, b in ipairs(lines) do
  if math.abs(b.x0 - px(15)) < 1e-9 then left = left + 1 end
  if i > 2 and math.abs((b.y0 - lines[i - 1].y0) - (lines[2].y0 - lines[1].y0)) < 1e-6 then even = even + 1 end
end
T.ok(#lines > 20, "page 1 holds more than 20 lines (" .. #lines .. ")")
T.is(left, #lines, "each line starts at the left margin (15 mm = " .. px(15) .. " px)")
T.is(even, #lines - 2, "lines are evenly spaced")
-- the footers
for k, f in ipairs(doc) do
  local foot
  for _, b in ipairs(texts(f)) do
    if b.y0 > px(250 - 15) then foot = b end
  end
  T.ok(foot and math.abs((foot.x0 + foot.x1) / 2 - px(90)) < 1e-6, "page " .. k .. ": footer centred")
  T.ok(foot and math.abs(foot.y1 - px(250 - 8)) < 1e-6, "page " .. k .. ": footer 8 mm from the bottom")
end
T.like(tostring(doc[1]), "text, page 1 of " .. #doc .. ": Supplementary methods", "description names the page", true)
-- pages that open a longer document (figure pages follow): numbered "of" the whole count
local opening = rad.plot.text_pages{title = "Report", blocks = {{text = "One paragraph."}}, page_total = 12}
T.is(#opening, 1, "page_total: one text page")
T.like(tostring(opening[1]), "text, page 1 of 12: Report", "page_total: page 1 of 12", true)
local own = rad.plot.text_pages{title = "Report", blocks = {{text = "One paragraph."}}}
local function footer_width(f)
  local w
  for _, b in ipairs(texts(f)) do if b.y0 > px(250 - 15) then w = b.x1 - b.x0 end end
  return w
end
T.ok(footer_width(opening[1]) > footer_width(own[1]), "page_total: the footer says more (\"of 12\" is wider than \"of 1\")")

-- a word longer than a line is broken, not left sticking out
local word = ("radiomics"):rep(40)
local w = rad.plot.text_pages{blocks = {{text = word}}, width = 100, height = 100}
local wl = texts(w[1])
T.ok(#wl >= 4, "a 360-letter word on a 70 mm line is broken over several lines (" .. #wl - 1 .. ")")
margins(w, "long word", 100)
clean(w, "long word")

-- a 40-row table spanning pages: rows never split, the header repeated
local rows = {}
for i = 1, 40 do rows[i] = {"feature_" .. i, string.format("%.3f", i * 0.137), string.format("%.2f", 1 / i), i * 7} end
local tab = rad.plot.text_pages{blocks = {{table = {header = {"Feature", "HR", "p", "n"}, rows = rows,
                                                    align = {"l", "r", "r", "r"}}}}, height = 160}
T.is(#tab, 2, "40 rows at 9 pt on 160 mm pages: 2 pages")
clean(tab, "40-row table")
margins(tab, "40-row table", 180)
local cells = 0
for _, f in ipairs(tab) do cells = cells + #texts(f) end
T.is(cells, 40 * 4 + 2 * 4 + 2, "160 cells, the 4 headings on each page, 2 footers")
-- each row's four cells share a top edge; numbers right-aligned on one edge
local function rows_of(fig)
  local by = {}
  for _, b in ipairs(texts(fig)) do
    local key = string.format("%.6f", b.y0)
    by[key] = by[key] or {}
    table.insert(by[key], b)
  end
  return by
end
local full, right = 0, {}
for _, r in pairs(rows_of(tab[1])) do
  if #r == 4 then
    full = full + 1
    table.sort(r, function(a, b) return a.x0 < b.x0 end)
    right[string.format("%.6f", r[2].x1)] = true
  end
end
T.ok(full >= 20, "page 1: rows of 4 cells on one line (" .. full .. ")")
local nright = 0
for _ in pairs(right) do nright = nright + 1 end
T.is(nright, 1, "the HR column is right-aligned: one right edge")

-- a table with long cells shrinks to fit, down to 6 pt
local long = {}
for i = 1, 6 do
  long[i] = {"a rather long description of feature number " .. i, "wavelet-LHL_glszm_SizeZoneNonUniformityNormalized",
             string.format("%.4f", i / 7)}
end
local lt = rad.plot.text_pages{blocks = {{heading = "Selected features"}, {table = {header = {"What", "Name", "Value"},
                                                                                       rows = long}}}}
T.is(#lt, 1, "long cells: one page")
clean(lt, "table with long cells")
margins(lt, "table with long cells", 180)
T.like(lt[1]:notes()[1] or "", "table in block 2 set at", "long cells: a note says the table was set smaller", true)

-- too wide even at 6 pt: an error naming the table
local wide = {}
for j = 1, 12 do wide[j] = ("column heading %d of a very wide table"):format(j) end
T.errors(function() rad.plot.text_pages{blocks = {{text = "x"}, {table = {header = wide, rows = {wide}}}}} end,
         "table in block 2 (12 columns, first heading \"column heading 1 of a very wide table\") is", "a table too wide even at 6 pt")

-- a heading is never left at the foot of a page without its table: for
-- every amount of text before it, the heading's page also holds the table's
-- header and first row (2 headings + 2 cells under it)
local orphans = 0
for k = 1, 20 do
  local blocks = {}
  for i = 1, k do blocks[i] = {text = "line " .. i} end
  blocks[#blocks + 1] = {heading = "Results"}
  blocks[#blocks + 1] = {table = {header = {"a", "b"}, rows = {{"1", "2"}, {"3", "4"}}}}
  local figs = rad.plot.text_pages{blocks = blocks, width = 100, height = 100}
  for _, f in ipairs(figs) do
    local bx = texts(f)
    local head
    for _, b in ipairs(bx) do
      if b.y1 - b.y0 > 24 and b.y1 - b.y0 < 28 then head = b end -- 10.8 pt bold: 26.2 px at 150 dpi
    end
    if head then
      local under = 0
      for _, b in ipairs(bx) do
        if b.y0 >= head.y1 and b.y1 < px(100 - 15) then under = under + 1 end
      end
      if under < 4 then orphans = orphans + 1 end
    end
  end
end
T.is(orphans, 0, "no heading left alone at the foot of a page (20 layouts)")

-- a report: text pages and a chart page in one PDF
local report = rad.plot.text_pages{title = "Report", blocks = {{heading = "Methods"}, {text = para}}}
local all = {}
for _, f in ipairs(report) do all[#all + 1] = f end
all[#all + 1] = f1
local rp = dir .. "/full.pdf"
rad.plot.save_pdf(rp, all, {reproducible = true})
local rpages = pdf_pages(slurp(rp))
T.is(#rpages, #report + 1, "text pages + a chart page: one page each")
T.is(rpages[#rpages][1], pt(120), "the chart page keeps its own width")
T.is(rpages[1][2], pt(250), "the text pages are 250 mm high")

T.done()
