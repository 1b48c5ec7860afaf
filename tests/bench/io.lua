-- radlab benchmark: reading and basic mask operations on the IBSI CT phantom.
-- Prints figures; asserts nothing.  Run: ./radlab tests/bench/io.lua [REPEATS]
-- SPDX-License-Identifier: GPL-3.0-or-later
local data = os.getenv("RADLAB_DATA") or "../shared/data"
local reps = tonumber(arg and arg[1]) or 5
local img_path = data .. "/ibsi1/ct_phantom/image.nii.gz"
local mask_path = data .. "/ibsi1/ct_phantom/mask.nii.gz"
if not io.open(img_path) then
  print("bench: " .. img_path .. " not found; set RADLAB_DATA")
  os.exit(0)
end

local function time(label, fn)
  local best = math.huge
  local result
  for _ = 1, reps do
    local t0 = os.clock()
    result = fn()
    best = math.min(best, os.clock() - t0)
  end
  print(string.format("%-44s %9.2f ms (best of %d)", label, best * 1000, reps))
  return result
end

local tmp = os.tmpname()
os.remove(tmp)
os.execute("mkdir -p " .. tmp)
local img = time("read CT phantom 204x201x60 float32 .nii.gz", function() return rad.read(img_path) end)
local mask = time("read CT phantom mask .nii.gz", function() return rad.read_mask(mask_path) end)
time("ROI stats (125256 voxels)", function() return img:stats(mask) end)
time("bounding box", function() return mask:bbox() end)
time("connected components (26)", function() return mask:components() end)
time("crop to ROI", function() return img:crop(mask) end)
time("write .nii.gz (float32)", function() return img:write(tmp .. "/ct.nii.gz") end)
time("write .nii (float32)", function() return img:write(tmp .. "/ct.nii") end)
time("read .nii (float32)", function() return rad.read(tmp .. "/ct.nii") end)
time("write .nrrd (gzip)", function() return img:write(tmp .. "/ct.nrrd") end)
time("read .nrrd (gzip)", function() return rad.read(tmp .. "/ct.nrrd") end)
time("write_slice PNG", function() return img:write_slice(tmp .. "/s.png", {slice = 30, level = 40, width = 400}) end)
os.execute("rm -rf " .. tmp)
