-- radlab: rad.features.pyradiomics (pyrad_names.c), PyRadiomics' names beside
-- radlab's IBSI tags, held to what compat = "pyradiomics" computes and to the
-- IBSI features it names.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

local defs = rad.features.pyradiomics()

-- an integer image whose every grey level 1..8 occurs in the ROI: with
-- bin width 1 PyRadiomics' bins (edges at multiples of the width) and the
-- IBSI's fixed bin size from the ROI's minimum give the same grey levels,
-- so features the table says differ in nothing else must agree exactly
local nx, ny, nz = 11, 10, 7
local img = rad.image.new{size = {nx, ny, nz}, spacing = {1, 1, 1}}
for k = 1, nz do for j = 1, ny do for i = 1, nx do
  img:set(i, j, k, 3 + (i * 5 + j * 3 + k * 7 + (i * j * k) % 4) % 8)
end end end
local mask = rad.mask.new(img)
for k = 2, nz - 1 do for j = 2, ny - 1 do for i = 2, nx - 1 do
  if (i - 6) ^ 2 + (j - 5.5) ^ 2 + (k - 4) ^ 2 <= 16 then mask:set(i, j, k, 1) end
end end end

local py = rad.extract(img, mask, {compat = "pyradiomics",
  pyradiomics = {binWidth = 1, voxelArrayShift = 0, gldm_a = 0, distances = {1}}})
local ibsi = rad.extract(img, mask, {discretise = {method = "fbs", width = 1},
  texture = {aggregation = {"3D"}, distance = 1, ngldm_alpha = 0}})

-- the table and the extraction: the same names in the same order
local names = py:names()
py, ibsi = py:table(), ibsi:table()
T.is(#defs, #names, string.format("%d rows in the table, %d features computed", #defs, #names))
local same_order = #defs == #names
for i, d in ipairs(defs) do
  if names[i] ~= d.tag then
    same_order = false
    T.ok(false, string.format("row %d: table %s, extraction %s", i, d.tag, tostring(names[i])))
    break
  end
end
T.ok(same_order, "rad.features.pyradiomics lists what compat mode computes, in its order")

-- every IBSI tag named exists; a row without a note agrees with it exactly
local agree, compared, missing = 0, 0, 0
for _, d in ipairs(defs) do
  T.is(d.tag, "original_" .. d.class .. "_" .. d.name, d.tag .. ": tag = original_<class>_<name>")
  if d.ibsi_tag then
    local info = rad.features.info(d.ibsi_tag)
    if not info then missing = missing + 1; T.ok(false, d.tag .. ": no radlab feature " .. d.ibsi_tag) end
    if not d.note then
      local a, b = py[d.tag], ibsi[d.ibsi_tag]
      compared = compared + 1
      if math.abs(a - b) <= 1e-9 * math.max(1, math.abs(b)) then agree = agree + 1
      else T.ok(false, string.format("%s = %.12g but %s = %.12g", d.tag, a, d.ibsi_tag, b)) end
    end
  end
end
T.is(missing, 0, "every ibsi_tag is a radlab feature")
T.ok(compared >= 70, string.format("%d features without a noted difference compared", compared))
T.is(agree, compared, string.format("%d of %d agree with their IBSI feature to 1e-9", agree, compared))

-- notes name the known differences
local byname = {}
for _, d in ipairs(defs) do byname[d.tag] = d end
T.like(byname.original_firstorder_Kurtosis.note, "plus 3", "Kurtosis: the IBSI value plus 3")
T.is(byname.original_glcm_MCC.ibsi_tag, nil, "MCC: no IBSI feature")
T.near(py.original_firstorder_Kurtosis, ibsi.stat_kurt + 3, 1e-12, "Kurtosis = stat_kurt + 3 here")

-- the PCA axes: covariance over N instead of N - 1
local nroi = 0
for k = 1, nz do for j = 1, ny do for i = 1, nx do nroi = nroi + (mask:get(i, j, k) ~= 0 and 1 or 0) end end end
for _, ax in ipairs{{"MajorAxisLength", "morph_pca_maj_axis"}, {"MinorAxisLength", "morph_pca_min_axis"},
                    {"LeastAxisLength", "morph_pca_least_axis"}} do
  T.near(py["original_shape_" .. ax[1]], ibsi[ax[2]] * math.sqrt((nroi - 1) / nroi), 1e-9 * ibsi[ax[2]],
    ax[1] .. " = " .. ax[2] .. " * sqrt((N - 1) / N), N = " .. nroi)
end

-- one class; an unknown class
T.is(#rad.features.pyradiomics("ngtdm"), 5, "ngtdm: 5 features")
T.errors(function() rad.features.pyradiomics("glcmm") end, "unknown class 'glcmm'", "unknown class")

-- the command line
local function run(args)
  local p = io.popen("'" .. os.getenv("RADLAB") .. "' features " .. args .. " 2>&1")
  local out = p:read("a")
  local _, _, status = p:close()
  return status, out
end
local st, out = run("--pyradiomics gldm")
T.is(st, 0, "radlab features --pyradiomics gldm: exit 0")
T.like(out, "original_gldm_SmallDependenceEmphasis%s+ngl_lde_3D\n", "the GLDM row names its IBSI feature")
local _, nl = out:gsub("\n", "")
T.is(nl, 14, "14 GLDM rows")
st, out = run("--pyradiomics glcmm")
T.is(st, 1, "unknown class: exit 1")
T.like(out, "unknown class 'glcmm' (classes: firstorder, shape", "unknown class: named, with the classes", true)

T.done()
