-- radlab: RTSTRUCT masks against the IBSI's own conversions.  SPDX-License-Identifier: GPL-3.0-or-later
--
-- The IBSI converted its DICOM data to NIfTI (image and rasterised mask); the
-- RTSTRUCT rasterised by rad.read_rtstruct on the NIfTI image's grid (the same
-- grid as the DICOM series, or a crop of it) must give the IBSI's mask:
--   * CT phantom, ROI GTV-1: 125,256 voxels, asserted identical voxel for voxel;
--   * STS_001 and STS_002, CT, T1 MR and PET, ROI GTV_Mass_<modality>:
--     Dice >= 0.99 (measured: identical; asserted identical too, with the
--     count difference printed).
-- Every case prints the voxel counts, the Dice coefficient and the differing voxels.
local T = require "rad.test"
local data, why = T.data()
if not data then
  T.skip(11, why)
  T.done()
end

-- Dice, voxels in both, only in a, only in b, and the first differing voxels,
-- over the union of the two bounding boxes.
local function compare(a, b)
  local ba, bb = a:bbox(), b:bbox()
  local lo, hi = {}, {}
  for c = 1, 3 do lo[c] = math.min(ba.min[c], bb.min[c]); hi[c] = math.max(ba.max[c], bb.max[c]) end
  local both, na, nb, diffs = 0, 0, 0, {}
  for k = lo[3], hi[3] do
    for j = lo[2], hi[2] do
      for i = lo[1], hi[1] do
        local x, y = a:get(i, j, k) ~= 0, b:get(i, j, k) ~= 0
        if x and y then
          both = both + 1
        elseif x or y then
          if x then na = na + 1 else nb = nb + 1 end
          if #diffs < 10 then diffs[#diffs + 1] = string.format("(%d,%d,%d) %s", i, j, k, x and "RTSTRUCT only" or "NIfTI only") end
        end
      end
    end
  end
  return 2 * both / (2 * both + na + nb), both, na, nb, diffs
end

local function report(what, m, ref)
  local dice, both, na, nb, diffs = compare(m, ref)
  T.diag(string.format("%-22s RTSTRUCT %7d voxels, NIfTI %7d, difference %+d, Dice %.6f, differing %d (%d RTSTRUCT only, %d NIfTI only)",
    what, m:count(), ref:count(), m:count() - ref:count(), dice, na + nb, na, nb))
  for _, d in ipairs(diffs) do T.diag("    ", d) end
  return dice, na + nb
end

-- ---- the IBSI CT phantom ------------------------------------------------------------
local rs = data .. "/dicom/ct_phantom/mask/DCM_RS_00060.dcm"
local rois = rad.dicom.rois(rs)
T.ok(#rois == 1 and rois[1].name == "GTV-1" and rois[1].number == 1 and rois[1].contours == 26,
  string.format("CT phantom RTSTRUCT: one ROI, 1 'GTV-1' with 26 contours (got %d ROIs, first %s)", #rois,
    rois[1] and (rois[1].number .. " '" .. rois[1].name .. "' " .. rois[1].contours) or "none"))
local img = rad.read(data .. "/ibsi1/ct_phantom/image.nii.gz")
local ref = rad.read_mask(data .. "/ibsi1/ct_phantom/mask.nii.gz")
local m = rad.read_rtstruct(rs, img, {roi = "GTV-1", frame_of_reference = rois[1].frame_of_reference})
T.is(m:count(), 125256, "CT phantom GTV-1: 125,256 voxels, as the IBSI's mask")
local dice, ndiff = report("CT phantom GTV-1", m, ref)
T.is(ndiff, 0, "CT phantom GTV-1: identical to the IBSI's mask voxel for voxel (Dice 1)")
local by_number = rad.read_rtstruct(rs, img, {roi = 1})
T.is(select(2, report("  (ROI by number)", by_number, m)), 0, "the ROI chosen by number: the same mask")
T.is(select(2, report("  (ROI by default)", rad.read_rtstruct(rs, img), m)), 0, "no roi given, one ROI in the file: the same mask")

-- ---- soft-tissue sarcoma: CT, T1 MR, PET of two patients ---------------------------------
for _, p in ipairs {"STS_001", "STS_002"} do
  for _, mod in ipairs {"CT", "MR_T1", "PET"} do
    local im = rad.read(data .. "/sts/" .. p .. "/" .. mod .. "_image.nii.gz")
    local rf = rad.read_mask(data .. "/sts/" .. p .. "/" .. mod .. "_mask.nii.gz")
    local mm = rad.read_rtstruct(data .. "/sts/" .. p .. "/dicom/" .. mod .. "/mask/RS.dcm", im, {roi = "GTV_Mass_" .. mod})
    local d, nd = report(p .. " " .. mod, mm, rf)
    T.ok(d >= 0.99 and nd == 0, string.format("%s %s GTV_Mass_%s: Dice %.6f >= 0.99, %d voxels differ (measured: 0)", p, mod, mod, d, nd))
  end
end
T.done()
