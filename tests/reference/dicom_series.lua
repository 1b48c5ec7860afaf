-- radlab: DICOM image series against the IBSI's own NIfTI conversions of the
-- same images (RADLAB_DATA/dicom/ct_phantom and sts/, see their READMEs).
-- SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"
local data, why = T.data()
local CASES = {"STS_001", "STS_002"}
local MODS = {"CT", "MR_T1", "PET"}
if not data then
  T.skip(10 + #CASES * #MODS * 3, why)
  T.done()
end
rad.quiet(true)

local function geom_diff(a, b)
  local d = 0
  local ao, bo = {a:origin()}, {b:origin()}
  local as, bs = {a:spacing()}, {b:spacing()}
  local ad, bd = a:direction(), b:direction()
  for i = 1, 3 do d = math.max(d, math.abs(ao[i] - bo[i]), math.abs(as[i] - bs[i])) end
  for i = 1, 9 do d = math.max(d, math.abs(ad[i] - bd[i])) end
  return d
end

-- IBSI CT phantom: the 60-slice series and image.nii.gz, voxel for voxel
local dir = data .. "/dicom/ct_phantom/image"
local img, info = rad.read_dicom(dir)
local ref = rad.read(data .. "/ibsi1/ct_phantom/image.nii.gz")
local nx, ny, nz = img:size()
local rx, ry, rz = ref:size()
T.ok(nx == rx and ny == ry and nz == rz, string.format("CT phantom: DICOM %dx%dx%d, NIfTI %dx%dx%d", nx, ny, nz, rx, ry, rz))
T.is(info.files, 60, "CT phantom: 60 files read")
T.is(info.modality, "CT", "CT phantom: modality CT")
local gd = geom_diff(img, ref)
T.ok(gd < 1e-4, string.format("CT phantom: origin, spacing and direction within 1e-4 mm (largest difference %.3g)", gd))
local differ, n = 0, 0
for k = 1, nz do
  for j = 1, ny do
    for i = 1, nx do
      n = n + 1
      if img:get(i, j, k) ~= ref:get(i, j, k) then differ = differ + 1 end
    end
  end
end
T.ok(differ == 0, string.format("CT phantom: every voxel's HU equal (%d of %d differ)", differ, n))
local again = rad.read(dir)
T.ok(again:get(100, 100, 30) == img:get(100, 100, 30) and geom_diff(again, img) == 0, "rad.read(folder) reads the same series")
local list = rad.dicom.series(data .. "/dicom/ct_phantom")
T.is(#list, 2, "ct_phantom holds two series (CT and RTSTRUCT)")
T.ok(list[1].modality == "CT" and list[1].files == 60 and list[1].size[3] == 60,
  string.format("the CT series is listed first with 60 files (got %s, %d)", list[1].modality, list[1].files))
T.ok(list[2].modality == "RTSTRUCT" and list[2].size[3] == 0, "the RTSTRUCT is listed without pixels")

-- the command line: radlab extract on the series' folder gives the features
-- of the NIfTI twin.  The voxel values are identical (above); the spacings
-- differ by about 1e-11 mm (the NIfTI's float32 pixdim against the DICOM's
-- decimal strings), which moves the morphological features in the 13th digit,
-- so each feature must agree to 1e-9 relative (and the counts print how many
-- are equal to the last digit).
local function extract(image)
  local settings = os.tmpname()
  local f = assert(io.open(settings, "w"))
  f:write('return {families = {"morph", "stat", "cm"}, discretise = {method = "fbn", bins = 32}}\n')
  f:close()
  local h = io.popen("'" .. (os.getenv("RADLAB") or "./radlab") .. "' extract '" .. image .. "' '" .. data ..
    "/ibsi1/ct_phantom/mask.nii.gz' -s '" .. settings .. "' 2>&1")
  local out = h:read("a")
  h:close()
  os.remove(settings)
  return out
end
local from_dicom, from_nifti = extract(dir), extract(data .. "/ibsi1/ct_phantom/image.nii.gz")
local function rows(csv)
  local t, names = {}, {}
  for name, v in csv:gmatch("([%w_]+),([^\n]+)") do
    if name ~= "feature" then t[name] = tonumber(v); names[#names + 1] = name end
  end
  return t, names
end
local a, names = rows(from_dicom)
local b = rows(from_nifti)
local same, close, maxrel = 0, 0, 0
for _, name in ipairs(names) do
  local x, y = a[name], b[name]
  if x and y then
    if x == y then same = same + 1 end
    local rel = math.abs(x - y) / math.max(math.abs(y), 1e-300)
    if x == y or rel <= 1e-9 then close = close + 1 end
    if x ~= y and rel > maxrel then maxrel = rel end
  end
end
T.ok(#names > 50 and close == #names,
  string.format("radlab extract FOLDER MASK: %d features, %d within 1e-9 of the NIfTI image's (%d identical, largest relative difference %.3g)",
    #names, close, same, maxrel))

-- STS cases: the NIfTI twins are crops; every NIfTI voxel centre must fall on
-- a DICOM voxel centre, and CT (HU) and PET (SUV, Units GML) values agree there.
for _, case in ipairs(CASES) do
  for _, mod in ipairs(MODS) do
    local name = case .. " " .. mod
    local d, dinfo = rad.read_dicom(data .. "/sts/" .. case .. "/dicom/" .. mod .. "/image")
    local r = rad.read(data .. "/sts/" .. case .. "/" .. mod .. "_image.nii.gz")
    local sd, sr = {d:spacing()}, {r:spacing()}
    local dd, dr = d:direction(), r:direction()
    local diff = 0
    for i = 1, 3 do diff = math.max(diff, math.abs(sd[i] - sr[i])) end
    for i = 1, 9 do diff = math.max(diff, math.abs(dd[i] - dr[i])) end
    T.ok(diff < 1e-4, string.format("%s: spacing and direction equal (largest difference %.3g)", name, diff))
    local qx, qy, qz = r:size()
    local off, outside = 0, 0
    local cmp, neq, maxrel = 0, 0, 0
    local sx, sy, sxx, syy, sxy = 0, 0, 0, 0, 0
    local dx, dy, dz = d:size()
    for k = 1, qz do
      for j = 1, qy do
        for i = 1, qx do
          local x, y, z = r:to_point(i, j, k)
          local a, b, c = d:to_index(x, y, z)
          local ia, ib, ic = math.floor(a + 0.5), math.floor(b + 0.5), math.floor(c + 0.5)
          off = math.max(off, math.abs(a - ia), math.abs(b - ib), math.abs(c - ic))
          if ia < 1 or ib < 1 or ic < 1 or ia > dx or ib > dy or ic > dz then
            outside = outside + 1
          else
            local u, v = d:get(ia, ib, ic), r:get(i, j, k)
            cmp = cmp + 1
            if mod ~= "MR_T1" then
              local rel = math.abs(u - v) / math.max(1, math.abs(v))
              if rel > maxrel then maxrel = rel end
              if rel > 1e-6 then neq = neq + 1 end
            end
            sx, sy, sxx, syy, sxy = sx + u, sy + v, sxx + u * u, syy + v * v, sxy + u * v
          end
        end
      end
    end
    T.ok(off < 1e-3 and outside == 0, string.format("%s: all %d NIfTI voxel centres on DICOM voxel centres (largest offset %.3g voxel, %d outside)",
      name, qx * qy * qz, off, outside))
    if mod == "MR_T1" then
      local cov = sxy / cmp - sx / cmp * sy / cmp
      local corr = cov / math.sqrt((sxx / cmp - (sx / cmp) ^ 2) * (syy / cmp - (sy / cmp) ^ 2))
      T.ok(corr > 0.9, string.format("%s: stored MR and the bias-corrected, normalised NIfTI correlate (r = %.4f over %d voxels)", name, corr, cmp))
    else
      T.ok(neq == 0, string.format("%s: values equal at the same world positions (%d of %d differ by more than 1e-6 relative; largest %.3g)%s",
        name, neq, cmp, maxrel, mod == "PET" and (" [Units " .. tostring(dinfo.units) .. ", SUV factor " .. tostring(dinfo.suv_factor) .. "]") or ""))
    end
  end
end
T.done()
