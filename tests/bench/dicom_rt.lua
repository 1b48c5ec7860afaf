-- radlab benchmark: RTSTRUCT rasterising and SEG reading.
-- Prints figures; asserts nothing.  Run: ./radlab tests/bench/dicom_rt.lua [REPEATS]
-- SPDX-License-Identifier: GPL-3.0-or-later
local data = os.getenv("RADLAB_DATA") or "../shared/data"
local reps = tonumber(arg and arg[1]) or 20
local top = os.getenv("top_srcdir") or "."
local img_path = data .. "/ibsi1/ct_phantom/image.nii.gz"
local rs = data .. "/dicom/ct_phantom/mask/DCM_RS_00060.dcm"
if not io.open(img_path) then
  print("bench: " .. img_path .. " not found; set RADLAB_DATA")
  os.exit(0)
end

local function time(label, fn)
  local best, total = math.huge, 0
  local result
  for _ = 1, reps do
    local t0 = os.clock()
    result = fn()
    local dt = os.clock() - t0
    best = math.min(best, dt)
    total = total + dt
  end
  print(string.format("%-58s %8.2f ms best, %8.2f ms mean (%d runs)", label, best * 1000, total / reps * 1000, reps))
  return result
end

local img = rad.read(img_path)
rad.dicom.rois(rs) -- loads librad-dicom (DCMTK) once, outside the timings
time("rad.dicom.rois: parse the CT phantom RTSTRUCT (26 contours)", function() return rad.dicom.rois(rs) end)
local m = time("rad.read_rtstruct: parse + rasterise GTV-1 on 204x201x60", function()
  return rad.read_rtstruct(rs, img, {roi = "GTV-1"})
end)
print(string.format("  GTV-1: %d voxels (the IBSI's mask: 125256); rasterising alone = the difference of the two lines", m:count()))
local seg = top .. "/tests/dicom/seg_binary.dcm"
local small = rad.image.new{size = {12, 10, 6}, spacing = {0.8, 0.9, 2.5}, origin = {-5, 3, 10}}
time("rad.read_dicom_seg: small binary SEG, same grid", function() return rad.read_dicom_seg(seg, small, {segment = 1}) end)
