-- radlab: IBSI 1 configuration C (2 mm isotropic interpolation) computed from the
-- CT phantom as the IBSI publishes it in DICOM: the image read from its CT series
-- (dicom/ct_phantom/image) and the GTV-1 mask rasterised from its RTSTRUCT; every
-- reference value within the IBSI tolerance (see ibsi1.lua).
-- SPDX-License-Identifier: GPL-3.0-or-later
dofile((os.getenv("top_srcdir") or ".") .. "/tests/reference/ibsi1.lua")("config_c", {
  what = "DICOM series dicom/ct_phantom/image and the GTV-1 contour of its RTSTRUCT",
  image = function(data) return rad.read(data .. "/dicom/ct_phantom/image") end,
  mask = function(data, img)
    return rad.read_rtstruct(data .. "/dicom/ct_phantom/mask/DCM_RS_00060.dcm", img, {roi = "GTV-1"})
  end})
