-- radlab benchmark: DICOM series reading and writing.  Prints figures;
-- asserts nothing.  Run: RADLAB_DATA=... ./radlab tests/bench/dicom.lua [REPEATS]
-- Wall time is taken around a loop of REPEATS runs (date +%s%N, about a
-- millisecond of overhead per loop); CPU time (os.clock) adds up every thread.
-- SPDX-License-Identifier: GPL-3.0-or-later
local data = os.getenv("RADLAB_DATA") or "../shared/data"
local reps = tonumber(arg and arg[1]) or 10
local series = data .. "/dicom/ct_phantom/image"
local nifti = data .. "/ibsi1/ct_phantom/image.nii.gz"
rad.quiet(true)

local function wall()
  local p = io.popen("date +%s%N")
  local t = tonumber(p:read("l"))
  p:close()
  return t / 1e9
end
local function time(label, n, fn)
  local result
  collectgarbage()
  local w0, c0 = wall(), os.clock()
  for _ = 1, n do
    result = fn()
    if type(result) == "userdata" and n > 1 then result:close() end
  end
  local w, c = (wall() - w0) / n, (os.clock() - c0) / n
  print(string.format("%-52s %9.2f ms wall %9.2f ms CPU (mean of %d)", label, w * 1000, c * 1000, n))
  return result
end

if io.open(series .. "/DCM_IMG_00000.dcm") then
  time("first DICOM read (loads librad-dicom and DCMTK)", 1, function() return rad.read_dicom(series) end)
  time("read CT phantom series, 60 slices 204x201", reps, function() return rad.read_dicom(series) end)
  time("read the same image as .nii.gz", reps, function() return rad.read(nifti) end)
  time("list the series of ct_phantom/ (61 files)", reps, function() return rad.dicom.series(data .. "/dicom/ct_phantom") end)
else
  print("bench: " .. series .. " not found; set RADLAB_DATA (the synthetic series below still run)")
end

local tmp = os.tmpname()
os.remove(tmp)
local img = rad.image.new{size = {256, 256, 500}, spacing = {0.8, 0.8, 1}}
for k = 1, 500, 7 do for j = 1, 256, 5 do for i = 1, 256, 3 do img:set(i, j, k, (i * j + k) % 3000 - 1000) end end end
for _, ts in ipairs{"explicit", "rle", "jpeg-ls"} do
  local dir = tmp .. "/" .. ts
  time("write 500 slices 256x256 (" .. ts .. ")", 1, function() rad.dicom.write_series(img, dir, {transfer_syntax = ts}) end)
  time("read them back (" .. ts .. ")", 3, function() return rad.read_dicom(dir) end)
end
os.execute("rm -rf '" .. tmp .. "'")
