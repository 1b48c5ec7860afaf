-- radlab benchmark: IBSI feature extraction on the IBSI CT phantom,
-- configurations A (2D, native grid) and C (3D, resampled to 2 mm), whole
-- and per family, single thread.  Prints figures; asserts nothing.
--   ./radlab tests/bench/extract.lua [REPEATS]
-- SPDX-License-Identifier: GPL-3.0-or-later
local data = os.getenv("RADLAB_DATA") or "../shared/data"
local top = os.getenv("top_srcdir") or "."
local reps = tonumber(arg and arg[1]) or 3
local img_path = data .. "/ibsi1/ct_phantom/image.nii.gz"
local mask_path = data .. "/ibsi1/ct_phantom/mask.nii.gz"
if not io.open(img_path) then
  print("bench: " .. img_path .. " not found; set RADLAB_DATA")
  os.exit(0)
end

local function best(fn)
  local b, r = math.huge, nil
  for _ = 1, reps do
    local t0 = os.clock()
    r = fn()
    b = math.min(b, os.clock() - t0)
  end
  return b * 1000, r
end

local t_read = best(function() return rad.read(img_path), rad.read_mask(mask_path) end)
local img, mask = rad.read(img_path), rad.read_mask(mask_path)
print(string.format("read image + mask (.nii.gz)            %8.1f ms", t_read))

for _, config in ipairs{"config_a", "config_c"} do
  local settings = dofile(top .. "/tests/reference/ibsi1/" .. config .. ".lua")
  local t_all, fs = best(function() return rad.extract(img, mask, settings) end)
  print(string.format("%s: all families (%d features)    %8.1f ms", config, fs:count(), t_all))
  -- preprocessing alone: an empty family list (no diagnostics either)
  settings.families = {}
  local t_pre = best(function() return rad.extract(img, mask, settings) end)
  print(string.format("  %-36s %8.1f ms", "preprocessing", t_pre))
  for _, f in ipairs(rad.features.families()) do
    if f.prefix ~= "diag" then
      settings.families = {f.prefix}
      local t = best(function() return rad.extract(img, mask, settings) end)
      print(string.format("  %-36s %8.1f ms  (%.1f ms with preprocessing)", f.prefix,
        math.max(t - t_pre, 0), t))
    end
  end
end
