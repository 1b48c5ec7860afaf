-- radlab: compat = "pyradiomics": settings echo, digest and feature names.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local s = {compat = "pyradiomics", pyradiomics = {binCount = 16, voxelArrayShift = 1000, force2D = true,
  normalize = true, normalizeScale = 100, resegmentRange = {-3, 3}, resegmentMode = "sigma",
  weightingNorm = "no_weighting", gldm_a = 1}}
local e = rad.settings.check(s)
T.is(e.compat, "pyradiomics", "echo: compat")
T.is(e.pyradiomics.binCount, 16, "echo: binCount")
T.is(e.pyradiomics.binWidth, nil, "echo: no binWidth with binCount")
T.is(e.pyradiomics.voxelArrayShift, 1000, "echo: voxelArrayShift")
T.is(e.pyradiomics.force2D, true, "echo: force2D")
T.is(e.pyradiomics.normalize, true, "echo: normalize")
T.is(e.pyradiomics.normalizeScale, 100, "echo: normalizeScale")
T.is(e.pyradiomics.resegmentMode, "sigma", "echo: resegmentMode")
T.ok(e.pyradiomics.resegmentRange[1] == -3 and e.pyradiomics.resegmentRange[2] == 3, "echo: resegmentRange")
T.is(e.pyradiomics.weightingNorm, "no_weighting", "echo: weightingNorm")
T.is(e.pyradiomics.gldm_a, 1, "echo: gldm_a")
T.is(e.discretise, nil, "echo: no IBSI sections in compat mode")
-- the echo reads back as the same settings
T.is(rad.settings.digest(e), rad.settings.digest(s), "echo reads back to the same digest")
local e2 = rad.settings.check({compat = "pyradiomics", pyradiomics = {resegmentRange = {0}}})
T.ok(#e2.pyradiomics.resegmentRange == 1 and e2.pyradiomics.resegmentRange[1] == 0,
  "echo: a one-sided resegmentRange stays one-sided")
T.is(rad.settings.digest(e2), rad.settings.digest({compat = "pyradiomics", pyradiomics = {resegmentRange = {0}}}),
  "one-sided range: echo reads back to the same digest")

-- the digest tells the modes and the options apart; IBSI mode is unchanged
T.is(rad.settings.check({}).compat, "ibsi", "default compat is ibsi")
T.is(rad.settings.digest({compat = "ibsi"}), rad.settings.digest({}), "compat = \"ibsi\" is the default's digest")
T.ok(rad.settings.digest({compat = "pyradiomics"}) ~= rad.settings.digest({}), "compat changes the digest")
T.ok(rad.settings.digest({compat = "pyradiomics", pyradiomics = {voxelArrayShift = 1}}) ~=
  rad.settings.digest({compat = "pyradiomics"}), "voxelArrayShift changes the digest")

-- names: PyRadiomics' classes and feature names (the lists of its documentation)
local img = rad.image.new{size = {6, 6, 4}, spacing = {1, 1, 2}}
local roi = rad.mask.new(img)
for k = 2, 3 do for j = 2, 5 do for i = 2, 5 do img:set(i, j, k, 10 * ((i + j + k) % 4)); roi:set(i, j, k, 1) end end end
local fs = rad.extract(img, roi, {compat = "pyradiomics"})
local count = {}
for _, n in ipairs(fs:names()) do
  local cls = n:match("^original_(%a+)_%w+$")
  T.ok(cls ~= nil, "name " .. n .. " is original_<class>_<Feature>")
  if cls then count[cls] = (count[cls] or 0) + 1 end
end
-- shape 14 + the 3 PyRadiomics lists as deprecated (Compactness1/2, SphericalDisproportion)
local want = {shape = 17, firstorder = 18, glcm = 24, glrlm = 16, glszm = 16, gldm = 14, ngtdm = 5}
for cls, n in pairs(want) do T.is(count[cls], n, cls .. ": " .. n .. " features") end
for _, n in ipairs{"original_firstorder_Mean", "original_glcm_Contrast", "original_shape_MeshVolume",
                   "original_glrlm_RunPercentage", "original_glszm_ZonePercentage",
                   "original_gldm_DependenceEntropy", "original_ngtdm_Busyness"} do
  T.ok(fs[n] ~= nil, n .. " present")
end
-- first order on a known ROI: intensities 0, 10, 20, 30 in equal numbers (8 each of 32)
T.near(fs["original_firstorder_Mean"], 15, 1e-12, "Mean of 0, 10, 20, 30 equally often is 15")
T.near(fs["original_firstorder_Variance"], 125, 1e-9, "Variance (population) is 125")
T.near(fs["original_firstorder_Kurtosis"], 1.64, 1e-9, "Kurtosis (not excess) of four equal spikes is 1.64")
T.near(fs["original_firstorder_Median"], 15, 1e-12, "Median (numpy, interpolated) is 15")
-- IBSI mode keeps its tags
local ibsi = rad.extract(img, roi, {families = {"stat"}})
T.ok(ibsi["stat_mean"] ~= nil and ibsi["original_firstorder_Mean"] == nil, "IBSI mode keeps IBSI tags")
T.near(ibsi["stat_kurt"] or 0 / 0, 1.64 - 3, 1e-9, "IBSI kurtosis is the excess one (PyRadiomics' minus 3)")
T.done()
