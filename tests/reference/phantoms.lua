-- radlab: the IBSI phantoms read as the IBSI documents describe them.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local data, why = T.data()
if not data then
  T.skip(13, why)
  T.done()
end

-- IBSI 1 digital phantom: 5x4x4 voxels of 2 mm, mask of 74 voxels
local dimg = rad.read(data .. "/ibsi1/digital_phantom/image.nii.gz")
local dmask = rad.read_mask(data .. "/ibsi1/digital_phantom/mask.nii.gz")
local nx, ny, nz = dimg:size()
T.ok(nx == 5 and ny == 4 and nz == 4, "digital phantom is 5x4x4")
local sx, sy, sz = dimg:spacing()
T.ok(sx == 2 and sy == 2 and sz == 2, "digital phantom voxels are 2 mm")
T.is(dmask:count(), 74, "digital phantom mask has 74 voxels")
local ds = dimg:stats(dmask)
-- IBSI reference: stat_mean 2.15, stat_min 1, stat_max 6 for the digital phantom
T.is(string.format("%.3g", ds.mean), "2.15", "digital phantom ROI mean is 2.15 (IBSI stat_mean)")
T.ok(ds.min == 1 and ds.max == 6, "digital phantom ROI range 1..6 (IBSI stat_min, stat_max)")

-- IBSI 1 CT phantom: 204x201x60 at 0.977x0.977x3.0 mm, 125256 mask voxels, ROI mean -46.88 HU
local ct = rad.read(data .. "/ibsi1/ct_phantom/image.nii.gz")
local roi = rad.read_mask(data .. "/ibsi1/ct_phantom/mask.nii.gz")
nx, ny, nz = ct:size()
T.ok(nx == 204 and ny == 201 and nz == 60, "CT phantom is 204x201x60")
sx, sy, sz = ct:spacing()
T.ok(math.abs(sx - 0.977) < 5e-4 and math.abs(sy - 0.977) < 5e-4 and math.abs(sz - 3.0) < 1e-6,
  string.format("CT phantom spacing 0.977x0.977x3.0 mm (got %.6g x %.6g x %.6g)", sx, sy, sz))
T.is(roi:count(), 125256, "CT phantom mask has 125256 voxels")
local st = ct:stats(roi)
T.is(st.n, 125256, "every ROI voxel has a finite value")
T.near(st.mean, -46.88, 0.005, "CT phantom ROI mean is -46.88 HU")
-- the GTV of the CT phantom is one lung lesion: a single component holding
-- all 125256 voxels, even with face (6-) connectivity only
local n, sizes = roi:components()
T.ok(n == 1 and sizes[1] == 125256, string.format("CT phantom ROI is one 26-component of 125256 voxels (got %d, largest %d)", n, sizes[1]))
n, sizes = roi:components{connectivity = 6}
T.ok(n == 1 and sizes[1] == 125256, string.format("... and one 6-component (got %d, largest %d)", n, sizes[1]))
local ci = ct:crop(roi)
T.is(ci:stats(select(2, ct:crop(roi))).n, 125256, "cropping to the ROI keeps every ROI voxel")

T.done()
