-- radlab: IBSI 1 configuration A with the CT phantom's mask rasterised from its
-- DICOM RTSTRUCT (ROI GTV-1) instead of the IBSI's NIfTI mask: every reference
-- value within the IBSI tolerance (see ibsi1.lua).
-- SPDX-License-Identifier: GPL-3.0-or-later
dofile((os.getenv("top_srcdir") or ".") .. "/tests/reference/ibsi1.lua")("config_a", {
  what = "GTV-1 mask rasterised from dicom/ct_phantom/mask/DCM_RS_00060.dcm",
  mask = function(data, img)
    return rad.read_rtstruct(data .. "/dicom/ct_phantom/mask/DCM_RS_00060.dcm", img, {roi = "GTV-1"})
  end})
