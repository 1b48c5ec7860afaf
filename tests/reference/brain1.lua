-- radlab: PyRadiomics' brain1 test case reads with geometry and mask as
-- PyRadiomics' baseline diagnostics record them.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local data, why = T.data()
if not data then
  T.skip(8, why)
  T.done()
end

-- diagnostics rows of the baseline: the brain1 column, or where an older
-- PyRadiomics left it empty, the first variant that has the (same, original
-- image) value
local fields = dofile((os.getenv("top_srcdir") or ".") .. "/tests/reference/baseline_csv.lua")
local diag = {}
for line in io.lines(data .. "/pyradiomics/baseline/firstorder.csv") do
  local key, rest = line:match("^(diagnostics_[^,]+),(.*)$")
  if key then
    for _, f in ipairs(fields(rest)) do
      if f ~= "" then diag[key] = f; break end
    end
  end
end
local function tuple(s)
  local t = {}
  for x in s:gmatch("[-%d.e]+") do t[#t + 1] = tonumber(x) end
  return t
end

local img = rad.read(data .. "/pyradiomics/brain1_image.nrrd")
local mask = rad.read_mask(data .. "/pyradiomics/brain1_label.nrrd", {label = 1})
T.ok(pcall(img.stats, img, mask), "brain1 image and mask geometries agree")

local size = tuple(diag["diagnostics_Image-original_Size"])
local nx, ny, nz = img:size()
T.ok(nx == size[1] and ny == size[2] and nz == size[3], string.format("size %dx%dx%d as baseline", nx, ny, nz))
local sp = tuple(diag["diagnostics_Image-original_Spacing"])
local sx, sy, sz = img:spacing()
T.ok(math.abs(sx - sp[1]) < 1e-9 and math.abs(sy - sp[2]) < 1e-9 and math.abs(sz - sp[3]) < 1e-9,
  string.format("spacing %.10g x %.10g x %.10g as baseline", sx, sy, sz))

-- BoundingBox is SimpleITK's (x, y, z start, 0-based; x, y, z size)
local bb = tuple(diag["diagnostics_Mask-original_BoundingBox"])
local b = mask:bbox()
T.ok(b.min[1] - 1 == bb[1] and b.min[2] - 1 == bb[2] and b.min[3] - 1 == bb[3],
  string.format("bounding box start (%d, %d, %d) 0-based as baseline", b.min[1] - 1, b.min[2] - 1, b.min[3] - 1))
T.ok(b.size[1] == bb[4] and b.size[2] == bb[5] and b.size[3] == bb[6],
  string.format("bounding box size (%d, %d, %d) as baseline", b.size[1], b.size[2], b.size[3]))
T.is(mask:count(), tonumber(diag["diagnostics_Mask-original_VoxelNum"]), "voxel count as baseline")
T.is(mask:components(), tonumber(diag["diagnostics_Mask-original_VolumeNum"]), "number of connected components as baseline")
local st = img:stats()
T.near(st.mean, tonumber(diag["diagnostics_Image-original_Mean"]), 1e-6, "image mean as baseline")

T.done()
