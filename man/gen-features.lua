-- radlab: writes radlab-features(7) from the feature registry (run at build
-- time: radlab man/gen-features.lua > man/radlab-features.7).
-- SPDX-License-Identifier: GPL-3.0-or-later

local function esc(s) return (tostring(s):gsub("\\", "\\e"):gsub("^%.", "\\&.")) end

io.write([[
.\" radlab-features.7: generated from radlab's feature registry by man/gen-features.lua.
.TH RADLAB-FEATURES 7 "" "radlab ]] .. rad.version .. [[" "radlab manual"
.SH NAME
radlab-features \- the IBSI features radlab computes
.SH DESCRIPTION
radlab computes the features of the Image Biomarker Standardisation Initiative
(IBSI 1, https://theibsi.github.io).  A feature's tag is
\fIfamily_feature\fR[\fI_aggregation\fR], exactly as in the IBSI reference
tables, e.g. \fBstat_mean\fR, \fBcm_joint_max_3D_comb\fR, \fBszm_sze_2_5D\fR.
Texture families add one suffix per requested aggregation
(settings.texture.aggregation): GLCM and GLRLM _2D_avg, _2D_comb, _2_5D_avg,
_2_5D_comb, _3D_avg, _3D_comb; GLSZM, GLDZM, NGTDM and NGLDM _2D, _2_5D, _3D.
The four-character code after each tag is its IBSI permanent identifier.
.PP
\fBradlab features\fR [\fIfamily\fR] and \fBrad.features.list\fR([\fIfamily\fR])
print the same list; \fBrad.features.info\fR(\fItag\fR) explains one tag.
]])

for _, fam in ipairs(rad.features.families()) do
  local defs = rad.features.list(fam.prefix)
  if #defs > 0 then
    io.write(".SH ", esc(fam.name:upper()), fam.ibsi_id ~= "" and (" (" .. fam.ibsi_id .. ")") or "", "\n")
    if fam.prefix == "diag" then
      io.write("Diagnostic rows of the image-processing steps (IBSI 05 \"Diagnostic features\"): ",
        "sizes, voxel counts and intensities of the image and masks as read (init), after ",
        "interpolation (interp) and after re-segmentation (reseg).\n")
    else
      io.write("Prefix \\fB", fam.prefix, "_\\fR.\n")
    end
    for _, d in ipairs(defs) do
      io.write(".TP\n\\fB", esc(d.tag), "\\fR", d.ibsi_id ~= "" and ("  " .. d.ibsi_id) or "", "\n")
      io.write(esc(d.name), d.unit ~= "" and (" (" .. esc(d.unit) .. ")") or "", "\n")
    end
  end
end
io.write([[
.SH SEE ALSO
\fBradlab\fR(1), \fBradlab-lua\fR(7)
]])
