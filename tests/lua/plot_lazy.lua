-- radlab: rad.plot loads cairo and its libraries on first use only
-- (issue 13: start-up).  The libraries mapped into this process are read
-- from /proc/self/maps.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local function mapped(name)
  local f = io.open("/proc/self/maps")
  if not f then return nil end
  local maps = f:read("a")
  f:close()
  return maps:find(name, 1, true) ~= nil
end
if mapped("librad") == nil then
  T.skip(1, "no /proc/self/maps on this system")
  T.done()
  return
end

local drawing = {"libcairo", "libfontconfig", "libfreetype", "libpixman", "librad-plot", "rad_plot.so"}
local function loaded_drawing()
  local found = {}
  for _, lib in ipairs(drawing) do
    if mapped(lib) then found[#found + 1] = lib end
  end
  return table.concat(found, " ")
end

T.ok(mapped("librad.so"), "librad is mapped (the check can see libraries)")
T.is(rawget(rad, "plot"), nil, "rad.plot is not loaded at start-up")
T.is(loaded_drawing(), "", "no plotting library at start-up")

-- the REPL's listing names rad.plot among the modules loaded on first use
local listing = require("rad.pretty").show(rad)
T.like(listing, "modules[^\n]*plot", "the rad listing names plot as a module")

-- an extraction draws nothing and loads nothing for drawing
local img = rad.image.new{size = {4, 4, 2}, value = 1}
img:set(2, 2, 1, 5)
local mask = rad.mask.new(img)
for k = 1, 2 do for j = 1, 4 do for i = 1, 4 do mask:set(i, j, k, 1) end end end
local fs = rad.extract(img, mask, {families = {"stat"}})
T.is(fs.stat_max, 5, "an extraction runs (stat_max 5)")
T.is(loaded_drawing(), "", "no plotting library after an extraction")
T.is(rawget(rad, "plot"), nil, "rad.plot still not loaded")

-- the first use loads it, once, and keeps it in rad.plot
local plot = rad.plot
T.is(type(plot), "table", "rad.plot is a table on first use")
T.is(rawget(rad, "plot"), plot, "rad.plot is then a plain field")
T.is(package.loaded.rad_plot, plot, "the module is package.loaded.rad_plot")
T.is(rad.plot, plot, "the same table next time")
T.is(loaded_drawing(), table.concat(drawing, " "), "cairo, fontconfig, freetype, pixman, librad-plot, rad_plot.so loaded")
local w, h = plot.lines({y = {1, 4, 9}}, {width = 100, height = 60}):size()
T.is(w, 100, "a figure is drawn: width 100 mm")
T.is(h, 60, "height 60 mm")
T.like(rad.help(plot.km), "^rad%.plot%.km%(", "help of rad.plot.km")
T.done()
