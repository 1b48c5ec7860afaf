-- radlab: settings like PyRadiomics' defaults, for tests/bench/speed.sh.
-- SPDX-License-Identifier: GPL-3.0-or-later
-- PyRadiomics' 7 default feature classes on the native grid (no resampling,
-- no re-segmentation): firstorder (here stat + ih), shape (morph), GLCM (cm),
-- GLRLM (rlm), GLSZM (szm), GLDM (ngl with alpha 0) and NGTDM (ngt), with
-- its default fixed bin width 25, distance 1 and 3D texture matrices.
-- compat = "pyradiomics" (tests/reference/pyradiomics/default.lua) gives
-- PyRadiomics' own numbers and names; tests/bench/pyradiomics_compat.lua times both.
return {
  families = {"stat", "ih", "morph", "cm", "rlm", "szm", "ngl", "ngt"},
  discretise = {method = "fbs", width = 25},
  texture = {aggregation = {"3D"}, distance = 1, ngldm_alpha = 0},
}
