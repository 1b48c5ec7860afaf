-- radlab demo: the README's first command runs this.
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Makes a synthetic CT phantom with a tumour mask, writes both as NIfTI,
-- reads them back, prints what radlab sees, computes the tumour's IBSI
-- features and writes a PNG of the slice through the tumour; then draws the
-- figures a radiomics paper needs (the slice with its contour, the ROI
-- histogram with the discretisation bins, and on a synthetic neuroblastoma-like
-- cohort a Kaplan-Meier curve by MYCN status with the number at risk and a
-- forest plot of a Cox model) and composes them into one report page.
-- Usage: radlab examples/demo.lua [OUTDIR]

local demo = require "rad.demo"

local out = arg[1] or "demo-out"
os.execute("mkdir -p '" .. out .. "'")

local img, mask = demo.phantom{seed = 2026}
img:write(out .. "/phantom.nii.gz")
mask:write(out .. "/phantom_mask.nii.gz")

local ct = rad.read(out .. "/phantom.nii.gz")
local roi = rad.read_mask(out .. "/phantom_mask.nii.gz", {label = 1})
print(ct)
print(roi)

local st = ct:stats(roi)
print(string.format("tumour: %d voxels, %.1f mL, mean %.1f HU (sd %.1f), range %.0f .. %.0f HU",
  st.n, st.n * select(1, ct:spacing()) * select(2, ct:spacing()) * select(3, ct:spacing()) / 1000,
  st.mean, st.sd, st.min, st.max))

local n, sizes = roi:components()
print(string.format("connected components: %d (largest %d voxels)", n, sizes[1]))
local box = roi:bbox()
print(string.format("bounding box: i %d..%d, j %d..%d, k %d..%d",
  box.min[1], box.max[1], box.min[2], box.max[2], box.min[3], box.max[3]))

-- IBSI features of the tumour: CT settings as in IBSI configuration C
-- (2 mm isotropic, re-segmentation to [-1000, 400] HU, 25 HU bins)
local settings = {
  round = true,
  resample = {spacing = {2, 2, 2}, interpolator = "linear", mask_threshold = 0.5, round = true},
  resegment = {range = {-1000, 400}},
  discretise = {method = "fbs", width = 25},
  texture = {aggregation = {"3D"}},
}
local fs = rad.extract(ct, roi, settings)
fs:write_csv(out .. "/tumour_features.csv")
print(string.format("%d IBSI features -> %s/tumour_features.csv, for example:", fs:count(), out))
for _, tag in ipairs{"morph_volume", "morph_sphericity", "stat_mean", "ih_entropy",
                     "cm_joint_entr_3D_comb", "szm_zs_entr_3D", "ngt_coarseness_3D"} do
  if fs[tag] then print(string.format("  %-24s %12.5g", tag, fs[tag])) end
end

-- the slice through the middle of the tumour, in a soft-tissue window
local k = (box.min[3] + box.max[3]) // 2
ct:write_slice(out .. "/tumour_slice.png", {slice = k, level = 50, width = 250})
print("wrote " .. out .. "/tumour_slice.png (slice " .. k .. ", soft-tissue window L50 W250)")

-- figures: every PNG carries its provenance (radlab version, this script,
-- the settings digest) in text chunks; reproducible = true leaves out the
-- creation time, and a fixed source (not the output folder given on the
-- command line) so re-running gives the same bytes
local save = {reproducible = true, source = "radlab examples/demo.lua"}
local contour = rad.plot.slice(ct, {mask = roi, index = k, window = "soft", title = "Tumour, axial slice " .. k})
contour:save(out .. "/fig_slice.png", save)
local hist = rad.plot.histogram(ct, roi, settings)
hist:save(out .. "/fig_histogram.png", {reproducible = true, source = save.source, digest = fs:digest()})

local cohort = demo.cohort{n = 150, seed = 2026}
local km = rad.plot.km(cohort, {time = "efs", event = "efs_event", group = "mycn_amp",
                                title = "Event-free survival by MYCN amplification", xlabel = "Months"})
km:save(out .. "/fig_km.png", save)
local fit = rad.cox(cohort, {time = "efs", event = "efs_event", x = {"age", "stage", "mycn_amp", "rf01", "rf02"}})
print(string.format("Cox model on the synthetic cohort (n = %d): C = %.3f", cohort:nrow(), fit.concordance))
local forest = rad.plot.forest(fit, {title = "Cox model: clinical and radiomic terms"})
forest:save(out .. "/fig_forest.png", save)
rad.plot.page{title = "radlab demo report", subtitle = "synthetic phantom and cohort, seed 2026",
              figures = {contour, hist, km, forest}, columns = 2}:save(out .. "/report.png", save)
print("wrote " .. out .. "/fig_slice.png, fig_histogram.png, fig_km.png, fig_forest.png and report.png")
