-- radlab: a cohort whose case is DICOM (issue 14): a manifest row naming the
-- CT phantom's DICOM series folder as image and its RTSTRUCT plus the ROI name
-- GTV-1 as mask gives the same IBSI configuration A features as the IBSI's
-- NIfTI pair of the same patient; so do rad.read_case {roi =} and
-- radlab extract --roi.  The IBSI made that NIfTI pair from these DICOM files
-- (../shared/data/dicom/README.md), so the values must agree up to the float
-- rounding of the geometry read from text tags.
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local top = os.getenv("top_srcdir") or "."

local data, why = T.data()
if not data then
  T.skip(11, why)
  return T.done()
end
local dcm = data .. "/dicom/ct_phantom"
local nii = data .. "/ibsi1/ct_phantom"
local settings = dofile(top .. "/tests/reference/ibsi1/config_a.lua")
local dir = T.tmpdir()

-- the largest relative difference between two feature rows (by name), and where
local function compare(names, a, b)
  local worst, at, n = 0, nil, 0
  for k, nm in ipairs(names) do
    local x, y = a[k], b[k]
    if x ~= rad.NA and y ~= rad.NA then
      n = n + 1
      local d = math.abs(x - y) / math.max(math.abs(x), math.abs(y), 1e-300)
      if x == y then d = 0 end
      if d > worst then worst, at = d, nm end
    elseif (x == rad.NA) ~= (y == rad.NA) then
      return math.huge, nm, n
    end
  end
  return worst, at, n
end

-- the manifest: the same patient twice, as NIfTI and as DICOM
local m = io.open(dir .. "/cohort.csv", "w")
m:write("id,image,mask,roi\n")
m:write(string.format("nifti,%s/image.nii.gz,%s/mask.nii.gz,\n", nii, nii))
m:write(string.format("dicom,%s/image,%s/mask/DCM_RS_00060.dcm,GTV-1\n", dcm, dcm))
m:close()
local cohort = require("rad.cohort")
local man = cohort.read(dir .. "/cohort.csv")
T.is(man:nrow(), 2, "manifest with a DICOM folder image and an RTSTRUCT mask reads")
local t = rad.extract_cohort(man, settings, {threads = 2, progress = false, cache = dir .. "/cache"})
local status = t:col("status")
T.ok(status[1] == "ok" and status[2] == "ok", "both cases extracted (" .. tostring(status[2]) .. ": " ..
  tostring(t:col("error")[2]) .. ")")
local names, rows = {}, {{}, {}}
for _, nm in ipairs(t:names()) do
  if nm:match("^%a+_") and t:type(nm) == "number" then
    names[#names + 1] = nm
    local c = t:col(nm)
    rows[1][#names], rows[2][#names] = c[1], c[2]
  end
end
local worst, at, n = compare(names, rows[1], rows[2])
T.diag(string.format("DICOM case vs NIfTI case: %d features, largest relative difference %.3g (%s)", n, worst,
  tostring(at)))
T.ok(n > 150 and worst < 1e-6, "extract_cohort: every feature of the DICOM case equals the NIfTI case's (relative 1e-6)")
-- the cache: a second run serves the DICOM case (the folder and the ROI name are its key)
local t2, info = rad.extract_cohort(man, settings, {threads = 2, progress = false, cache = dir .. "/cache"})
T.is(info.cached, 2, "a re-run serves both cases from the cache, the DICOM folder's digest unchanged")

-- one case from Lua: rad.read_case with roi
local img, mask = rad.read_case(dcm .. "/image", dcm .. "/mask/DCM_RS_00060.dcm", {roi = "GTV-1"})
T.is(mask:count(), 125256, "rad.read_case {roi = 'GTV-1'}: the IBSI mask's 125,256 voxels")
local ok, err = pcall(rad.read_case, dcm .. "/image", dcm .. "/mask/DCM_RS_00060.dcm", {roi = "GTV-9"})
T.ok(not ok and tostring(err):find("GTV-1", 1, true), "an unknown ROI name: the message lists the ROIs")
-- another patient's contours on this series: the frames of reference differ, and the message says so
local sts_rs = io.popen("ls " .. data .. "/sts/STS_001/dicom/CT/mask/*.dcm 2>/dev/null"):read("l")
if sts_rs then
  ok, err = pcall(rad.read_case, dcm .. "/image", sts_rs, {roi = "GTV_Mass_CT"})
  T.ok(not ok and tostring(err):find("frame of reference", 1, true) and tostring(err):find("another scan", 1, true),
    "STS_001's RTSTRUCT on the CT phantom series: refused, the frames of reference named")
  T.diag(tostring(err))
else
  T.ok(false, "STS_001's CT RTSTRUCT not found under " .. data .. "/sts/STS_001/dicom/CT/mask")
end
local _, dinfo = rad.read_dicom(dcm .. "/image")
T.ok(type(dinfo.frame_of_reference) == "string" and #dinfo.frame_of_reference > 10,
  "rad.read_dicom's info gives the series' frame of reference")

-- the command line
local radlab = os.getenv("RADLAB") or (top .. "/radlab")
local function run(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("a")
  local okc = p:close()
  return okc, out
end
local okc, out = run(string.format("%q extract %q %q --roi GTV-1 -s %q -o %q", radlab, dcm .. "/image",
  dcm .. "/mask/DCM_RS_00060.dcm", top .. "/tests/reference/ibsi1/config_a.lua", dir .. "/cli.csv"))
T.ok(okc, "radlab extract DICOMFOLDER RTSTRUCT --roi GTV-1 runs: " .. out:sub(1, 200))
local fs = okc and rad.read_csv(dir .. "/cli.csv")
if fs then
  local val = {}
  local fn, fv = fs:col("feature"), fs:col("value")
  for k = 1, fs:nrow() do val[fn[k]] = fv[k] end
  local b = {}
  for k, nm in ipairs(names) do b[k] = val[nm] == nil and rad.NA or val[nm] end
  local w2, at2 = compare(names, rows[1], b)
  T.ok(w2 < 1e-6, string.format("radlab extract --roi equals the NIfTI case (largest relative difference %.3g, %s)",
    w2, tostring(at2)))
else
  T.ok(false, "radlab extract --roi wrote no CSV")
end
okc, out = run(string.format("%q extract %q %q --roi GTV-1 --label 1", radlab, dcm .. "/image",
  dcm .. "/mask/DCM_RS_00060.dcm"))
T.ok(not okc and out:find("give one", 1, true), "--roi with --label is a usage error")
T.done()
