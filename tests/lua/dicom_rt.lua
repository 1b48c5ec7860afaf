-- radlab: rad.dicom.rois, rad.read_rtstruct, rad.dicom.segments, rad.read_dicom_seg on the
-- small generated fixtures of tests/dicom (README.md there).  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local dir = (os.getenv("top_srcdir") or ".") .. "/tests/dicom"
local rs, segb, segf = dir .. "/rtstruct_small.dcm", dir .. "/seg_binary.dcm", dir .. "/seg_fractional.dcm"
local FOR = "1.2.826.0.1.3680043.2.1125.9.7"
local img = rad.image.new{size = {12, 10, 6}, spacing = {0.8, 0.9, 2.5}, origin = {-5, 3, 10}}
rad.quiet(true)

-- ---- RTSTRUCT ----------------------------------------------------------------------
local rois = rad.dicom.rois(rs)
T.is(#rois, 4, "four ROIs")
local want = {{1, "Box", 4}, {2, "Empty", 0}, {3, "Marker", 1}, {4, "Off grid", 1}}
for i, w in ipairs(want) do
  local r = rois[i] or {}
  T.ok(r.number == w[1] and r.name == w[2] and r.contours == w[3] and r.frame_of_reference == FOR,
    string.format("ROI %d: number %d, name '%s', %d contours, the frame of reference", i, w[1], w[2], w[3]))
end

local before = #rad.warnings()
local m = rad.read_rtstruct(rs, img, {roi = "Box", frame_of_reference = FOR})
T.is(m:count(), 24, "Box: two 4 x 3 squares = 24 voxels")
T.is(m:label(), 1, "label 1")
local b = m:bbox()
T.ok(b.min[1] == 3 and b.max[1] == 6 and b.min[2] == 3 and b.max[2] == 5 and b.min[3] == 2 and b.max[3] == 3,
  "the squares at i 3..6, j 3..5 on slices 2 and 3 (1-based)")
local w = rad.warnings()
T.ok(#w == before + 1 and w[#w]:find("1 OPEN_PLANAR, 1 POINT and 0 other contours ignored", 1, true),
  "a warning counts the ignored OPEN_PLANAR and POINT contours")
T.is(rad.read_rtstruct(rs, img, {roi = 1}):count(), 24, "the same ROI by number")
-- a mask as the reference grid works as an image does
T.is(rad.read_rtstruct(rs, m, {roi = "Box"}):count(), 24, "a Mask gives the grid too")
-- a grid shifted by whole voxels in-plane: the same voxels, moved
local shifted = rad.image.new{size = {12, 10, 6}, spacing = {0.8, 0.9, 2.5}, origin = {-5.8, 3.9, 7.5}}
local ms = rad.read_rtstruct(rs, shifted, {roi = "Box"})
T.ok(ms:count() == 24 and ms:bbox().min[1] == 4 and ms:bbox().min[2] == 2 and ms:bbox().min[3] == 3,
  "on a grid shifted by (-1, +1, -1) voxels: the same 24 voxels at shifted indices")

-- the fuzz seed: a 10 x 9 square with a triangular hole of 8 voxel centres (even-odd)
local ring = rad.read_rtstruct((os.getenv("top_srcdir") or ".") .. "/tests/fuzz/corpus/dicom_rt/rtstruct_ring.dcm", img)
T.is(ring:count(), 90 - 8, "a square of 90 voxels with a triangular hole of 8: 82 (implicit VR file, the only ROI)")
T.is(ring:get(6, 5, 3), 0, "a centre inside the hole is out")

-- ---- SEG ---------------------------------------------------------------------------
local segs = rad.dicom.segments(segb)
T.ok(#segs == 2 and segs[1].number == 1 and segs[1].label == "Tumour" and segs[2].label == "Node"
  and segs[2].description == "segment Node", "segments: 1 Tumour, 2 Node, with descriptions")
T.is(rad.read_dicom_seg(segb, img, {segment = "Tumour", frame_of_reference = FOR}):count(), 107, "Tumour: 107 voxels")
T.is(rad.read_dicom_seg(segb, img, {segment = 2}):count(), 24, "segment 2 (Node): 24 voxels")
T.is(rad.read_dicom_seg(segf, img):count(), 80, "fractional, the only segment: 80 voxels at >= 100 of 200")
before = #rad.warnings()
local fine = rad.image.new{size = {24, 20, 12}, spacing = {0.4, 0.45, 1.25}, origin = {-5.2, 2.775, 9.375}}
T.is(rad.read_dicom_seg(segb, fine, {segment = "Tumour"}):count(), 8 * 107, "onto a grid of half the spacing: 8 x 107 voxels")
w = rad.warnings()
T.ok(#w == before + 1 and w[#w]:find("resampled onto the image's grid by nearest neighbour", 1, true),
  "and a warning says it was resampled")
T.done()
