-- radlab: tests of the image views rad.plot.slice / montage / map / histogram.
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Structural checks on the written PNGs (read back as grey with rad.read:
-- RGB becomes BT.601 luma) at pixels computed from Figure:layout(): window
-- presets give the expected grey for a known HU, the contour lies on the
-- mask's voxel edges, radiological orientation follows the direction
-- matrix, voxels keep their physical aspect, a montage has one panel per
-- slice, every layout box is inside the image; edge cases and errors.
local T = require "rad.test"
local dir = T.tmpdir()

local function boxes(fig, kind)
  local out = {}
  for _, b in ipairs(fig:layout()) do
    if b.kind == kind then out[#out + 1] = b end
  end
  return out
end

-- save, read back, and check every layout box lies inside the image
local function render(fig, name)
  local path = dir .. "/" .. name .. ".png"
  fig:save(path)
  local png = rad.read(path)
  local w, h = fig:pixels()
  local pw, ph = png:size()
  T.ok(pw == w and ph == h, name .. ": PNG is " .. w .. " x " .. h)
  local inside = true
  for _, b in ipairs(fig:layout()) do
    if b.x0 < -0.5 or b.y0 < -0.5 or b.x1 > w + 0.5 or b.y1 > h + 0.5 then
      inside = false
      T.diag(name, ": box ", b.kind, " outside: ", b.x0, " ", b.y0, " ", b.x1, " ", b.y1)
    end
  end
  T.ok(inside, name .. ": every layout box inside the image")
  return png
end

-- grey at pixel (x, y) (0-based pixel coordinates)
local function at(png, x, y)
  return png:get(math.floor(x) + 1, math.floor(y) + 1)
end

-- pixel position of the point (mm) in the image rectangle W x H mm of a plot box
local function pos(b, W, H, xmm, ymm)
  return b.x0 + xmm / W * (b.x1 - b.x0), b.y0 + ymm / H * (b.y1 - b.y0)
end

-- ---- a synthetic CT: 40 x 30 x 10 voxels of 1 x 1 x 3 mm ---------------------------
-- columns i <= 20 hold -160 HU, the others 240 HU, except a 40 HU block
-- (i, j, k) in 11..20 x 11..20 x 4..6 which is also the mask.
local NX, NY, NZ = 40, 30, 10
local img = rad.image.new{size = {NX, NY, NZ}, spacing = {1, 1, 3}, value = -160}
local mask = rad.mask.new(img)
for k = 1, NZ do for j = 1, NY do for i = 21, NX do img:set(i, j, k, 240) end end end
for k = 4, 6 do for j = 11, 20 do for i = 11, 20 do
  img:set(i, j, k, 40); mask:set(i, j, k, 1)
end end end

-- default slice: through the mask's centre (k = 5), title "axial slice 5/10"
local fig = rad.plot.slice(img, {mask = mask, window = "soft"})
T.is(fig:title(), "axial slice 5/10", "slice: default index through the ROI centre")
T.like(tostring(fig), "window L40/W400", "slice: description names the window", true)
T.like(tostring(fig), "ROI 100 voxels in slice", "slice: description counts the ROI voxels in the slice", true)
local png = render(fig, "soft")
local plot = boxes(fig, "plot")
T.is(#plot, 1, "slice: one plot area")
local b = plot[1]
-- physical aspect: 40 x 30 mm
T.near((b.x1 - b.x0) / (b.y1 - b.y0), 40 / 30, 0.02, "slice: plot area has the image's 4:3 physical aspect")

-- soft window L40/W400: -160 -> black, 240 -> white, 40 -> mid grey
T.near(at(png, pos(b, 40, 30, 5.5, 5.5)), 0, 1, "soft window: -160 HU is black")
T.near(at(png, pos(b, 40, 30, 30.5, 5.5)), 255, 1, "soft window: 240 HU is white")
T.near(at(png, pos(b, 40, 30, 15.5, 15.5)), 127.5, 1.5, "soft window: 40 HU (the level) is mid grey")

-- other presets at 40 HU: lung L-600/W1500 -> 0.927, bone L400/W1800 -> 0.3, brain L40/W80 -> 0.5
local expect = {lung = 255 * (40 + 1350) / 1500, bone = 255 * 540 / 1800, brain = 127.5}
for name, g in pairs(expect) do
  local f = rad.plot.slice(img, {mask = mask, window = name, overlay = "none"})
  local p = render(f, "win_" .. name)
  local bb = boxes(f, "plot")[1]
  T.near(at(p, pos(bb, 40, 30, 15.5, 15.5)), g, 1.5, name .. " window: 40 HU gives grey " .. string.format("%.1f", g))
end
-- an explicit {level, width}: 40 HU at the bottom of [40, 140] is black
local f = rad.plot.slice(img, {window = {90, 100}})
local p = render(f, "win_explicit")
local bb = boxes(f, "plot")[1]
T.near(at(p, pos(bb, 40, 30, 15.5, 15.5)), 0, 1, "window {90, 100}: 40 HU is black")

-- contour: white on the black -160 HU background, on the ROI's edges (x = 10 mm), not inside
f = rad.plot.slice(img, {mask = mask, window = "soft", color = "white"})
p = render(f, "contour")
bb = boxes(f, "plot")[1]
T.ok(at(p, pos(bb, 40, 30, 10, 15.5)) > 200, "contour: the left ROI edge (x = 10 mm) is drawn")
T.ok(at(p, pos(bb, 40, 30, 15.5, 10)) > 100, "contour: the top ROI edge (y = 10 mm) is drawn")
T.near(at(p, pos(bb, 40, 30, 8, 15.5)), 0, 1, "contour: 2 mm outside the ROI the background stays black")
T.near(at(p, pos(bb, 40, 30, 13, 15.5)), 127.5, 1.5, "contour: inside the ROI the image shows through")

-- fill: colour blended with alpha 0.5 over 40 HU (127.5): white fill gives 191
f = rad.plot.slice(img, {mask = mask, window = "soft", overlay = "fill", color = "white", alpha = 0.5})
p = render(f, "fill")
bb = boxes(f, "plot")[1]
T.near(at(p, pos(bb, 40, 30, 15.5, 15.5)), 191, 2, "fill: white at alpha 0.5 over mid grey gives 191")
T.near(at(p, pos(bb, 40, 30, 5.5, 15.5)), 0, 1, "fill: outside the ROI unchanged")

-- radiological orientation: negating the x direction (i grows to patient right)
-- puts voxel column 1 on the image right; the -160 HU half moves to the right
local flipped = rad.image.new{size = {NX, NY, NZ}, spacing = {1, 1, 3}, direction = {-1, 0, 0, 0, 1, 0, 0, 0, 1},
                              value = -160}
for k = 1, NZ do for j = 1, NY do for i = 21, NX do flipped:set(i, j, k, 240) end end end
f = rad.plot.slice(flipped, {window = "soft"})
p = render(f, "flipped")
bb = boxes(f, "plot")[1]
T.near(at(p, pos(bb, 40, 30, 5.5, 5.5)), 255, 1, "orientation: with x pointing to patient right, i = 40 is on the left")
T.near(at(p, pos(bb, 40, 30, 35.5, 5.5)), 0, 1, "orientation: and i = 1 on the right (patient left on image right)")

-- coronal: superior up, so slice k = 10 is the top row; the ROI rows k 4..6 at 12..21 mm from the bottom
f = rad.plot.slice(img, {mask = mask, axis = "coronal", window = "soft", color = "white"})
T.is(f:title(), "coronal slice 16/30", "coronal: through the ROI centre (j = 16 of 30)")
p = render(f, "coronal")
bb = boxes(f, "plot")[1]
T.near((bb.x1 - bb.x0) / (bb.y1 - bb.y0), 40 / 30, 0.02, "coronal: 40 x 30 mm (3 mm slices not squashed)")
T.ok(at(p, pos(bb, 40, 30, 15.5, 30 - 18)) > 200, "coronal: the ROI's top edge (k = 6, superior) 18 mm above the bottom")
T.near(at(p, pos(bb, 40, 30, 15.5, 30 - 20)), 0, 1, "coronal: above the ROI no contour")
f = rad.plot.slice(img, {mask = mask, axis = "sagittal", index = 15})
T.is(f:title(), "sagittal slice 15/40", "sagittal: index is 1-based")
render(f, "sagittal")

-- scale bar: a white bar in the bottom-right corner of the image
T.ok(at(png, pos(b, 40, 30, 39, 29)) < 255, "scale bar box drawn in the bottom-right corner")

-- anisotropic pixels: 20 x 40 voxels of 2 x 1 mm is a square 40 x 40 mm
local aniso = rad.image.new{size = {20, 40, 1}, spacing = {2, 1, 1}, value = 5}
f = rad.plot.slice(aniso)
bb = boxes(f, "plot")[1]
T.near((bb.x1 - bb.x0) / (bb.y1 - bb.y0), 1, 0.02, "2 x 1 mm pixels: the 40 x 40 mm image is square")

-- 2D image
local flat = rad.image.new{size = {32, 24}, value = 100}
flat:set(1, 1, 300)
f = rad.plot.slice(flat)
T.is(f:title(), "axial slice 1/1", "2D image: one slice")
render(f, "flat2d")
T.errors(function() rad.plot.slice(flat, {axis = "coronal"}) end, "2D image has a single plane", "2D image: coronal refused")

-- non-finite voxels are left blank and counted
local nanimg = img:copy()
for i = 1, 5 do nanimg:set(i, 1, 5, 0 / 0) end
f = rad.plot.slice(nanimg, {mask = mask})
T.like(f:notes()[1] or "", "5 non-finite voxels", "NaN voxels counted in a note", true)
render(f, "nan")

-- a mask slice without ROI voxels gets a note; a constant image still draws
f = rad.plot.slice(img, {mask = mask, index = 1})
T.like(table.concat(f:notes(), ";"), "no voxels in slice 1", "slice without ROI: note", true)
f = rad.plot.slice(rad.image.new{size = {8, 8, 2}, value = 7})
render(f, "constant")

-- errors
local other = rad.mask.new{size = {NX, NY, NZ}, spacing = {1, 1, 2}}
T.errors(function() rad.plot.slice(img, {mask = other}) end, "image and mask geometries differ",
         "mismatched geometry: the geometry check's message")
T.errors(function() rad.plot.slice(img, {mask = other}) end, "rad.plot.slice", "error names the function")
T.errors(function() rad.plot.slice(img, {window = "liver"}) end, "option window", "unknown preset named")
T.errors(function() rad.plot.slice(img, {window = {40, -1}}) end, "width > 0", "negative window width")
T.errors(function() rad.plot.slice(img, {axis = "oblique"}) end, "axial", "bad axis")
T.errors(function() rad.plot.slice(img, {index = 11}) end, "outside 1..10", "index past the last slice")
T.errors(function() rad.plot.slice(img, {overlay = "glow"}) end, "overlay must be", "bad overlay")
T.errors(function() rad.plot.slice(img, {alpha = 2}) end, "option alpha", "alpha out of range")
T.errors(function() rad.plot.slice(img, {colour = "red"}) end, "colour", "unknown option named")
T.errors(function() rad.plot.slice(mask) end, "must be an Image", "a Mask is not an Image")

-- ---- montage ------------------------------------------------------------------------------
f = rad.plot.montage(img, mask, {window = "soft"})
T.is(#boxes(f, "plot"), 3, "montage: one panel per ROI slice (3)")
T.is(f:title(), "axial slices 4-6 of 10", "montage: title names the slices")
p = render(f, "montage")
-- panel 1 (slice 4), cropped to ROI + 10 mm: 30 x 30 mm from (0, 0): ROI at 10..20 mm
bb = boxes(f, "plot")[1]
T.near((bb.x1 - bb.x0) / (bb.y1 - bb.y0), 1, 0.03, "montage: cropped panel is square (ROI 10 mm + 10 mm margins)")
T.near(at(p, pos(bb, 30, 30, 15.5, 15.5)), 127.5, 1.5, "montage: ROI centre at the panel centre, soft window")
local brightest = 0
for y = bb.y0, bb.y0 + (bb.y1 - bb.y0) * 0.2 do
  for x = bb.x0, bb.x0 + (bb.x1 - bb.x0) * 0.2 do brightest = math.max(brightest, at(p, x, y)) end
end
T.ok(brightest > 200, "montage: slice number in the top-left corner (white text on the black background)")
f = rad.plot.montage(img, mask, {count = 2, columns = 1})
T.is(#boxes(f, "plot"), 2, "montage: count = 2 gives 2 panels")
local pa, pb = boxes(f, "plot")[1], boxes(f, "plot")[2]
T.ok(pb.y0 > pa.y1 and math.abs(pa.x0 - pb.x0) < 1, "montage: columns = 1 stacks the panels")
f = rad.plot.montage(img, mask, {count = 9, crop = false, overlay = "fill"})
T.is(#boxes(f, "plot"), 3, "montage: count beyond the ROI's slices shows them all")
T.like(table.concat(f:notes(), ";"), "9 slices asked for", "montage: with a note", true)
render(f, "montage_full")
T.errors(function() rad.plot.montage(img, rad.mask.new(img)) end, "mask is empty", "montage: empty mask")
T.errors(function() rad.plot.montage(img, mask, {count = 61}) end, "option count", "montage: count over 60")
T.errors(function() rad.plot.montage(img) end, "must be a Mask", "montage: mask required")

-- 60 slices (their time: tests/bench/plot.lua)
local big = rad.image.new{size = {96, 96, 60}, spacing = {0.8, 0.8, 2}, value = 20}
local bigm = rad.mask.new(big)
for k = 1, 60 do for j = 30, 60 do for i = 30, 60 do
  if (i - 45) ^ 2 + (j - 45) ^ 2 < 200 then bigm:set(i, j, k, 1) end
end end end
f = rad.plot.montage(big, bigm, {crop = false})
f:save(dir .. "/montage60.png")
T.is(#boxes(f, "plot"), 60, "montage: 60 panels")

-- ---- feature map ----------------------------------------------------------------------------
local map = img:copy()
for k = 1, NZ do for j = 1, NY do for i = 1, NX do map:set(i, j, k, i) end end end
f = rad.plot.map(img, map, {mask = mask, window = "soft", alpha = 1, label = "column"})
T.is(#boxes(f, "colorbar"), 1, "map: a colour bar")
p = render(f, "map")
bb = boxes(f, "plot")[1]
-- inside the ROI the colour range is the map's ROI range [11, 20]: i = 11 dark purple, i = 20 yellow
T.ok(at(p, pos(bb, 40, 30, 10.5, 15.5)) < 60, "map: low end of viridis (dark) at the ROI's lowest value")
T.ok(at(p, pos(bb, 40, 30, 19.5, 15.5)) > 180, "map: high end of viridis (yellow) at the ROI's highest value")
T.near(at(p, pos(bb, 40, 30, 25.5, 15.5)), 255, 1, "map: transparent outside the mask (grey image shows)")
local cb = boxes(f, "colorbar")[1]
T.ok(cb.x0 >= bb.x1, "map: colour bar right of the image")
f = rad.plot.map(img, map, {range = {0, 40}})
render(f, "map_nomask")
T.errors(function() rad.plot.map(img, rad.image.new{size = {4, 4, 4}}) end, "not on the image's grid",
         "map: grid mismatch")
T.errors(function() rad.plot.map(img, map, {range = {3, 1}}) end, "lo < hi", "map: bad range")

-- ---- histogram ------------------------------------------------------------------------------------
-- the ROI's 300 voxels are all 40 HU: the x range follows the data, not the
-- re-segmentation range, whose limits are marked (and in the legend) only when in view
do
  local hw = rad.plot.histogram(img, mask, {resegment = {range = {-1000, 3000}}})
  T.is(#boxes(hw, "legendtext"), 2, "histogram: range limits out of view: legend has voxels and bin edges only")
  local hv = rad.plot.histogram(img, mask, {resegment = {range = {40, 3000}}})
  T.is(#boxes(hv, "legendtext"), 3, "histogram: lower limit 40 in view: marked and in the legend")
  T.like(tostring(hv), "300 voxels in [40, 40]", "histogram: the ROI's 300 voxels at 40", true)
end
local D = T.data()
if D then
  local ct = rad.read(D .. "/ibsi1/ct_phantom/image.nii.gz")
  local ctm = rad.read_mask(D .. "/ibsi1/ct_phantom/mask.nii.gz")
  local s = {resegment = {range = {-500, 400}}, discretise = {method = "fbs", width = 25, min = -500}}
  f = rad.plot.histogram(ct, ctm, s, {legend = "none"})
  T.like(tostring(f), "fixed bin size 25 HU from -500: 36 bins", "histogram: FBS 25 HU from -500 gives 36 bins", true)
  T.like(tostring(f), "114596 voxels", "histogram: re-segmented ROI (IBSI configuration C count)", true)
  p = render(f, "hist_ct")
  bb = boxes(f, "plot")[1]
  -- the 37 bin edges (-500 .. 400 every 25 HU; the re-segmentation lines lie on the end ones)
  -- cross the top row of the plot area as separate thin lines
  local runs, inrun = 0, false
  local y = bb.y0 + 2
  for x = math.ceil(bb.x0) + 3, math.floor(bb.x1) - 3 do
    local dark = at(p, x, y) < 235
    if dark and not inrun then runs = runs + 1 end
    inrun = dark
  end
  T.is(runs, 37, "histogram: 37 bin edges drawn across the plot")
  f = rad.plot.histogram(ct, ctm)
  T.like(tostring(f), "fixed bin number 32", "histogram: default settings FBN 32", true)
  render(f, "hist_ct_fbn")
  -- the legend sits clear of the tick labels and of the bars' tallest part (the peak near 40 HU)
  local lg, clear = boxes(f, "legend"), true
  T.is(#lg, 1, "histogram: one legend")
  for _, kind in ipairs{"xticks", "yticks", "xlabel", "ylabel", "title"} do
    for _, q in ipairs(boxes(f, kind)) do
      if lg[1] and lg[1].x0 < q.x1 and q.x0 < lg[1].x1 and lg[1].y0 < q.y1 and q.y0 < lg[1].y1 then
        clear = false
        T.diag("legend overlaps ", kind)
      end
    end
  end
  T.ok(clear, "histogram: legend overlaps no tick or axis label")
  -- a CT slice with contour (its time: tests/bench/plot.lua)
  f = rad.plot.slice(ct, {mask = ctm, window = "lung"})
  f:save(dir .. "/ct_slice.png")
  -- MR (no air below -900): no HU in the label unless a unit is given
  local mr = rad.read(D .. "/pyradiomics/brain1_image.nrrd")
  local mrm = rad.read_mask(D .. "/pyradiomics/brain1_label.nrrd")
  f = rad.plot.histogram(mr, mrm, {discretise = {method = "fbs", width = 25}})
  local xl = boxes(f, "xlabel")
  T.is(#xl, 1, "histogram: an x label")
  render(f, "hist_mr")
  f = rad.plot.slice(mr, {mask = mrm})
  render(f, "mr_slice")
  f = rad.plot.montage(mr, mrm, {count = 4})
  T.is(#boxes(f, "plot"), 4, "montage of brain1: 4 panels")
  render(f, "mr_montage")
  -- the digital phantom (5 x 4 x 4, integer grey levels 1..6)
  local dp = rad.read(D .. "/ibsi1/digital_phantom/image.nii.gz")
  local dpm = rad.read_mask(D .. "/ibsi1/digital_phantom/mask.nii.gz")
  f = rad.plot.histogram(dp, dpm, {discretise = {method = "none"}}, {unit = "a.u."})
  T.like(tostring(f), "no discretisation: 6 grey levels", "digital phantom: 6 grey levels", true)
  render(f, "hist_dp")
  f = rad.plot.slice(dp, {mask = dpm, overlay = "fill"})
  render(f, "dp_slice")
else
  T.skip(24, "reference data not found")
end

-- synthetic histogram: every voxel the same value (a single bar), FBN
f = rad.plot.histogram(img, mask, {discretise = {method = "fbn", bins = 8}})
T.like(tostring(f), "300 voxels in [40, 40]", "histogram: constant ROI, 300 voxels", true)
render(f, "hist_const")
T.errors(function() rad.plot.histogram(img, mask, {discretise = {method = "fbn", bins = 8}}, {bins = 3}) end,
         "bins", "histogram: unknown chart option named")
T.errors(function() rad.plot.histogram(img, mask, 5) end, "settings table", "histogram: settings must be a table")

T.done()
