-- radlab bad-input suite: RTSTRUCT and SEG masks.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")
local T = B.T
local dir = os.getenv("top_srcdir") .. "/tests/dicom"
local rs, segb = dir .. "/rtstruct_small.dcm", dir .. "/seg_binary.dcm"
local img = rad.image.new{size = {12, 10, 6}, spacing = {0.8, 0.9, 2.5}, origin = {-5, 3, 10}}
rad.quiet(true)

local function read(p) local f = assert(io.open(p, "rb")); local s = f:read("a"); f:close(); return s end

-- ---- RTSTRUCT (the generated fixture) ---------------------------------------------------
B.call("RTSTRUCT: unknown ROI name (lists the ROIs)", function() rad.read_rtstruct(rs, img, {roi = "GTV"}) end,
  "no ROI named 'GTV'; its ROIs are: 1 'Box' (4 contours), 2 'Empty' (0 contours), 3 'Marker' (1 contour), 4 'Off grid' (1 contour)")
B.call("RTSTRUCT: a name in the wrong case", function() rad.read_rtstruct(rs, img, {roi = "box"}) end, "did you mean 'Box'?")
B.call("RTSTRUCT: unknown ROI number", function() rad.read_rtstruct(rs, img, {roi = 12}) end, "no ROI number 12; its ROIs are")
B.call("RTSTRUCT: roi neither a name nor a number", function() rad.read_rtstruct(rs, img, {roi = true}) end,
  "roi must be the ROI's name (a string) or number (an integer), got a boolean")
B.call("RTSTRUCT: several ROIs and none chosen", function() rad.read_rtstruct(rs, img) end,
  "has 4 ROIs (1 'Box', 2 'Empty', 3 'Marker', 4 'Off grid'); choose one with {roi = name or number}")
B.call("RTSTRUCT: an empty ROI", function() rad.read_rtstruct(rs, img, {roi = "Empty"}) end,
  "ROI 'Empty' (number 2) is empty: the RTSTRUCT has no contours for it")
B.call("RTSTRUCT: an ROI of POINT contours only", function() rad.read_rtstruct(rs, img, {roi = "Marker"}) end,
  "ROI 'Marker' has no CLOSED_PLANAR contour (OPEN_PLANAR 0, POINT 1, other 0)")
B.call("RTSTRUCT: a contour between two slices", function() rad.read_rtstruct(rs, img, {roi = "Off grid"}) end,
  "ROI 'Off grid' (number 4) of '" .. rs .. "': contour 1 at z = 13.750 mm is not on a slice of the image: it lies between the slices at z = 12.500 and 15.000 mm")
B.call("RTSTRUCT: another frame of reference", function()
  rad.read_rtstruct(rs, img, {roi = "Box", frame_of_reference = "1.2.3.4"}) end,
  "ROI 'Box' is drawn in the frame of reference 1.2.826.0.1.3680043.2.1125.9.7, but the image is in 1.2.3.4")
local far = rad.image.new{size = {12, 10, 6}, spacing = {0.8, 0.9, 2.5}, origin = {-5, 3, 100}}
B.call("RTSTRUCT: an image that does not cover the contours", function() rad.read_rtstruct(rs, far, {roi = "Box"}) end,
  "contour 1 at z = 12.500 mm lies outside the image, whose slices go from z = 100.000 to 112.500 mm")
local away = rad.image.new{size = {12, 10, 6}, spacing = {0.8, 0.9, 2.5}, origin = {100, 3, 10}}
B.call("RTSTRUCT: contours beside the image in-plane (no voxel inside)", function() rad.read_rtstruct(rs, away, {roi = "Box"}) end,
  "ROI 'Box' encloses no voxel centre of the image (2 closed contours)")
B.call("RTSTRUCT: a SEG given as RTSTRUCT", function() rad.read_rtstruct(segb, img, {roi = 1}) end,
  "seg_binary.dcm' is not an RTSTRUCT (RT Structure Set): its Modality is SEG")
B.call("RTSTRUCT: rois() of a SEG", function() rad.dicom.rois(segb) end, "is not an RTSTRUCT")
local text = B.file("notes.dcm", "not a DICOM file at all\n")
B.call("RTSTRUCT: a text file", function() rad.read_rtstruct(text, img, {roi = 1}) end, "notes.dcm' is not a readable DICOM file")
B.call("RTSTRUCT: a missing file", function() rad.dicom.rois(B.dir .. "/none.dcm") end, "none.dcm' is not a readable DICOM file")
local bytes = read(rs)
for _, cut in ipairs {0.3, 0.6, 0.9} do
  local p = B.file(string.format("cut%d.dcm", cut * 10), bytes:sub(1, math.floor(#bytes * cut)))
  B.call(string.format("RTSTRUCT: truncated at %d%%", cut * 100), function() rad.read_rtstruct(p, img, {roi = "Box"}) end,
    string.format("cut%d.dcm' is not a readable DICOM file (truncated or not DICOM)", cut * 10))
end
B.call("RTSTRUCT: not an image or mask as the grid", function() rad.read_rtstruct(rs, {}, {roi = "Box"}) end, "Image or Mask")
B.call("RTSTRUCT: unknown option", function() rad.read_rtstruct(rs, img, {ROI = "Box"}) end, "unknown option 'ROI'")

-- ---- RTSTRUCT (the IBSI CT phantom) ---------------------------------------------------------
local data, why = T.data()
if data then
  local ct = data .. "/dicom/ct_phantom/mask/DCM_RS_00060.dcm"
  local ph = rad.read(data .. "/ibsi1/ct_phantom/image.nii.gz")
  B.call("CT phantom: unknown ROI (lists the names)", function() rad.read_rtstruct(ct, ph, {roi = "GTV1"}) end,
    "no ROI named 'GTV1'; its ROIs are: 1 'GTV-1' (26 contours)")
  B.call("CT phantom: the FoR of another scan", function()
    rad.read_rtstruct(ct, ph, {roi = "GTV-1", frame_of_reference = "1.2.840.99.1"}) end,
    "ROI 'GTV-1' is drawn in the frame of reference 1.3.6.1.4.1.9590.100.1.2.43753750011518494101799896492065629048, but the image is in 1.2.840.99.1")
  local o = {ph:origin()}
  local half = rad.image.new{size = {ph:size()}, spacing = {ph:spacing()}, origin = {o[1], o[2], o[3] + 1.5}}
  B.call("CT phantom: an image half a slice off the contours", function() rad.read_rtstruct(ct, half, {roi = "GTV-1"}) end,
    "is not on a slice of the image")
  B.call("CT phantom: a CT slice given as RTSTRUCT", function()
    rad.read_rtstruct(data .. "/dicom/ct_phantom/image/DCM_IMG_00000.dcm", ph, {roi = "GTV-1"}) end,
    "DCM_IMG_00000.dcm' is not an RTSTRUCT (RT Structure Set): its Modality is CT")
  local big = read(ct)
  local p = B.file("ct_cut.dcm", big:sub(1, #big // 2))
  B.call("CT phantom: the RTSTRUCT cut in half", function() rad.read_rtstruct(p, ph, {roi = "GTV-1"}) end,
    "ct_cut.dcm' is not a readable DICOM file (truncated or not DICOM)")
else
  T.skip(5, why)
end

-- ---- SEG ----------------------------------------------------------------------------------
B.call("SEG: unknown segment label (lists the segments)", function() rad.read_dicom_seg(segb, img, {segment = "Liver"}) end,
  "no segment labelled 'Liver'; its segments are: 1 'Tumour', 2 'Node'")
B.call("SEG: unknown segment number", function() rad.read_dicom_seg(segb, img, {segment = 5}) end, "no segment number 5")
B.call("SEG: several segments and none chosen", function() rad.read_dicom_seg(segb, img) end,
  "has 2 segments (1 'Tumour', 2 'Node'); choose one with {segment = label or number}")
B.call("SEG: another frame of reference", function()
  rad.read_dicom_seg(segb, img, {segment = 1, frame_of_reference = "1.2.3.4"}) end,
  "the segmentation is in the frame of reference 1.2.826.0.1.3680043.2.1125.9.7, but the image is in 1.2.3.4")
B.call("SEG: an RTSTRUCT given as SEG", function() rad.read_dicom_seg(rs, img, {segment = 1}) end,
  "rtstruct_small.dcm' is not a DICOM Segmentation (SEG): its Modality is RTSTRUCT")
B.call("SEG: segments() of a text file", function() rad.dicom.segments(text) end, "is not a readable DICOM file")
B.call("SEG: an image beside the segment", function() rad.read_dicom_seg(segb, away, {segment = 1}) end,
  "segment 1 'Tumour' has no voxel on the image's grid")
local sb = read(segb)
local p = B.file("seg_cut.dcm", sb:sub(1, #sb - 100))
B.call("SEG: truncated pixel data", function() rad.read_dicom_seg(p, img, {segment = 1}) end, "seg_cut.dcm'")
B.call("SEG: segment neither a label nor a number", function() rad.read_dicom_seg(segb, img, {segment = {}}) end,
  "segment must be the segment's name (a string) or number (an integer), got a table")
B.done()
