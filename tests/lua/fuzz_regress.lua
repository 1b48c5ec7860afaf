-- radlab: replay of the fuzzing corpus and of every fuzzing finding.  SPDX-License-Identifier: GPL-3.0-or-later
--
-- Every file in tests/fuzz/regress/ (a crash, hang or resource blow-up that
-- `make fuzz` found or that was crafted by hand, now fixed) and in
-- tests/fuzz/corpus/<target>/ (the seeds) goes through the normal reader:
-- rad.read (a .dcm file: the single-file DICOM reader), rad.read_rtstruct or rad.read_dicom_seg for the dicom_rt
-- target (on its fixtures' grid), or rad.read_mask for files of the nifti_mask target (regress
-- names start with the target: "nifti_mask-...nii"), or rad.read_csv.  Each
-- must either read or fail with a message that names the file; a crash
-- kills this test, and CI keeps the findings fixed without clang.
local T = require "rad.test"
local top = os.getenv("top_srcdir") or "."

local function files(dir)
  local out = {}
  local h = io.popen("ls '" .. dir .. "' 2>/dev/null")
  for f in h:lines() do out[#out + 1] = f end
  h:close()
  return out
end

-- the fixtures' grid (tests/dicom/README.md), on which the dicom_rt target
-- rasterises: the first ROI of an RTSTRUCT, else the first segment of a SEG
local rt_grid = rad.mask.new{size = {12, 10, 6}, spacing = {0.8, 0.9, 2.5}, origin = {-5, 3, 10}}
local function read_rt(path)
  local ok, rois = pcall(rad.dicom.rois, path)
  if ok then
    return rad.read_rtstruct(path, rt_grid, {roi = rois[1] and rois[1].number or 1})
  end
  local segs = rad.dicom.segments(path)
  return rad.read_dicom_seg(path, rt_grid, {segment = segs[1] and segs[1].number or 1})
end

local function reader(target, name)
  if name:match("^d%.raw") then return nil end -- data files of the nhdr seeds
  if target == "dicom_rt" then return read_rt, "read_rtstruct/read_dicom_seg" end
  if target == "csv" or name:match("%.csv$") then return rad.read_csv, "read_csv" end
  if target == "nifti_mask" then return rad.read_mask, "read_mask" end
  if target == "yaml" or name:match("%.ya?ml$") then return rad.yaml.read, "yaml.read" end
  if name:match("%.nii$") or name:match("%.nii%.gz$") or name:match("%.nrrd$") or name:match("%.nhdr$")
     or name:match("%.png$") or name:match("%.dcm$") then
    return rad.read, "read"
  end
  return nil
end

local function replay(path, target, name)
  local fn, fname = reader(target, name)
  if not fn then return 0 end
  local t0 = os.clock()
  local ok, res = pcall(fn, path)
  local secs = os.clock() - t0
  if ok then
    T.ok(res ~= nil, fname .. " " .. path .. ": reads")
  else
    -- the YAML reader names the file as path:line:column, the others 'path'
    local named = fname == "yaml.read" and path .. ":" or "'" .. path .. "'"
    T.like(tostring(res), named, fname .. " " .. path .. ": fails with a message naming the file", true)
    T.diag("  ", res)
  end
  -- time is reported, not asserted (speed belongs in tests/bench/)
  T.diag(string.format("  %s %s: %.3f s of CPU", fname, path, secs))
  if res and ok and res.close then res:close() end
  return 1
end

local n = 0
for _, f in ipairs(files(top .. "/tests/fuzz/regress")) do
  n = n + replay(top .. "/tests/fuzz/regress/" .. f, f:match("^([%w_]+)%-"), f)
end
T.ok(n >= 8, "at least 8 regression files replayed (" .. n .. ")")
local seeds = 0
for _, target in ipairs{"nifti", "nifti_gz", "nifti_mask", "nrrd", "nhdr", "png", "csv", "yaml", "dicom", "dicom_rt"} do
  local dir = top .. "/tests/fuzz/corpus/" .. target
  for _, f in ipairs(files(dir)) do seeds = seeds + replay(dir .. "/" .. f, target, f) end
end
T.ok(seeds >= 20, "at least 20 seed files replayed (" .. seeds .. ")")
T.done()
