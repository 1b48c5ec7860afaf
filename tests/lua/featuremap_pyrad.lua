-- radlab: rad.feature_map in PyRadiomics compatibility mode (its voxel-based
-- extraction), against PyRadiomics' own values.  SPDX-License-Identifier: GPL-3.0-or-later
local T = require "rad.test"

-- The volume: 12 x 12 x 8 voxels of intensities -20 .. 79.75 in quarter
-- steps, an irregular ROI (a slanted block with holes), spacing 0.8 x 0.8
-- x 1.5 mm.  tests/tools/pyradiomics_voxel/run_voxel.py makes the same
-- volume and runs PyRadiomics' feature classes on it (voxelBased = True,
-- after the extractor's crop to the ROI's box grown by kernelRadius).
local NX, NY, NZ = 12, 12, 8
local seed = 20261207
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed // 65536 % n
end
local img = rad.image.new{size = {NX, NY, NZ}, spacing = {0.8, 0.8, 1.5}, value = 0}
local mask = rad.mask.new(img)
for k = 0, NZ - 1 do for j = 0, NY - 1 do for i = 0, NX - 1 do
  img:set(i + 1, j + 1, k + 1, rnd(400) / 4 - 20)
  if i >= 2 and i <= 9 and j >= 1 + k // 3 and j <= 10 and k >= 1 and k <= 6 and rnd(4) ~= 0 then
    mask:set(i + 1, j + 1, k + 1, 1)
  end
end end end
local CLASSES = {"firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm"}

-- Expected values: PyRadiomics (git HEAD of AIM-Harvard/pyradiomics, its C
-- extension _cmatrices compiled by hand, SimpleITK replaced by the small
-- stub next to run_voxel.py) run by hand as
--   python3 run_voxel.py 1 1 w25 out.txt      (kernelRadius 1, maskedKernel, binWidth 25)
--   python3 run_voxel.py 2 0 c16 out.txt      (kernelRadius 2, maskedKernel false, binCount 16)
-- {feature, x, y, z (1-based), value}; maps are float32: relative 1e-6.
-- In the first run some kernels lack a GLCM direction that others have:
-- PyRadiomics gives them a NaN JointAverage and stores no MCC at all (its
-- initValue 0 everywhere).  By hand, radlab and PyRadiomics agreed on all
-- 31341 centre values of each of 10 runs (radius 1 and 2, masked and not,
-- binWidth 25 and 10, binCount 16 and 8, force2D), worst relative 6e-8.
local RUN1 = {
  {"firstorder_Mean", 5, 6, 4, 19.619565217391305},
  {"firstorder_Entropy", 5, 6, 4, 1.9621441567855653},
  {"firstorder_90Percentile", 5, 6, 4, 56.300000000000004},
  {"glcm_Contrast", 5, 6, 4, 2.6308021038790268},
  {"glcm_Idmn", 5, 6, 4, 0.91294526657627817},
  {"glcm_JointAverage", 5, 6, 4, 2.3922513384051842},
  {"glcm_MCC", 5, 6, 4, 0},
  {"glrlm_LongRunEmphasis", 5, 6, 4, 1.2983314930683354},
  {"glrlm_RunPercentage", 5, 6, 4, 0.91973244147157185},
  {"glszm_ZoneEntropy", 5, 6, 4, 2.807354922057602},
  {"glszm_SmallAreaEmphasis", 5, 6, 4, 0.24876984126984128},
  {"gldm_DependenceNonUniformity", 5, 6, 4, 6.3043478260869561},
  {"gldm_LargeDependenceHighGrayLevelEmphasis", 5, 6, 4, 61.130434782608695},
  {"ngtdm_Coarseness", 5, 6, 4, 0.162993834427654},
  {"ngtdm_Busyness", 5, 6, 4, 2.5198148577612876},
  {"ngtdm_Strength", 5, 6, 4, 0.82102865662240987},
  {"firstorder_Mean", 3, 8, 2, 27.607142857142858},
  {"firstorder_Entropy", 3, 8, 2, 1.8423709931771075},
  {"firstorder_90Percentile", 3, 8, 2, 56.400000000000006},
  {"glcm_Contrast", 3, 8, 2, 2},
  {"glcm_Idmn", 3, 8, 2, 0.93111249804961771},
  {"glcm_JointAverage", 3, 8, 2, 0/0},
  {"glcm_MCC", 3, 8, 2, 0},
  {"glrlm_LongRunEmphasis", 3, 8, 2, 1.125},
  {"glrlm_RunPercentage", 3, 8, 2, 0.9642857142857143},
  {"glszm_ZoneEntropy", 3, 8, 2, 1.9999999999999987},
  {"glszm_SmallAreaEmphasis", 3, 8, 2, 0.59027777777777779},
  {"gldm_DependenceNonUniformity", 3, 8, 2, 3},
  {"gldm_LargeDependenceHighGrayLevelEmphasis", 3, 8, 2, 22.428571428571427},
  {"ngtdm_Coarseness", 3, 8, 2, 0.68627450980392157},
  {"ngtdm_Busyness", 3, 8, 2, 0.29999999999999999},
  {"ngtdm_Strength", 3, 8, 2, 2.7018633540372656},
  {"firstorder_Mean", 9, 9, 2, 46},
  {"firstorder_Entropy", 9, 9, 2, 2.0048861640918414},
  {"firstorder_90Percentile", 9, 9, 2, 71},
  {"glcm_Contrast", 9, 9, 2, 2.7722222222222221},
  {"glcm_Idmn", 9, 9, 2, 0.91243748734101482},
  {"glcm_JointAverage", 9, 9, 2, 0/0},
  {"glcm_MCC", 9, 9, 2, 0},
  {"glrlm_LongRunEmphasis", 9, 9, 2, 1.2296296296296296},
  {"glrlm_RunPercentage", 9, 9, 2, 0.93939393939393934},
  {"glszm_ZoneEntropy", 9, 9, 2, 2.3219280948873608},
  {"glszm_SmallAreaEmphasis", 9, 9, 2, 0.625},
  {"gldm_DependenceNonUniformity", 9, 9, 2, 3},
  {"gldm_LargeDependenceHighGrayLevelEmphasis", 9, 9, 2, 89.090909090909093},
  {"ngtdm_Coarseness", 9, 9, 2, 0.40928419560595325},
  {"ngtdm_Busyness", 9, 9, 2, 0.16797619047619047},
  {"ngtdm_Strength", 9, 9, 2, 2.8800940438871483},
}
local RUN2 = {
  {"firstorder_Uniformity", 4, 5, 3, 0.064575999999999995},
  {"firstorder_Skewness", 4, 5, 3, -0.038500443833168987},
  {"glcm_Imc1", 4, 5, 3, -0.29274529553739848},
  {"glcm_ClusterShade", 4, 5, 3, -7.7923273368388699},
  {"glcm_MCC", 4, 5, 3, 0.5509069807509771},
  {"glrlm_RunVariance", 4, 5, 3, 0.035842671059629988},
  {"glszm_LargeAreaHighGrayLevelEmphasis", 4, 5, 3, 370.53246753246754},
  {"gldm_SmallDependenceEmphasis", 4, 5, 3, 0.50111111111111106},
  {"ngtdm_Complexity", 4, 5, 3, 430.70779483504725},
  {"ngtdm_Contrast", 4, 5, 3, 0.81818511782529491},
  {"firstorder_Uniformity", 8, 10, 6, 0.069311999999999999},
  {"firstorder_Skewness", 8, 10, 6, 0.080839834054283313},
  {"glcm_Imc1", 8, 10, 6, -0.2848077579272138},
  {"glcm_ClusterShade", 8, 10, 6, 25.146039933669151},
  {"glcm_MCC", 8, 10, 6, 0.54124864344243606},
  {"glrlm_RunVariance", 8, 10, 6, 0.03567632353511891},
  {"glszm_LargeAreaHighGrayLevelEmphasis", 8, 10, 6, 292.02564102564105},
  {"gldm_SmallDependenceEmphasis", 8, 10, 6, 0.53638888888888892},
  {"ngtdm_Complexity", 8, 10, 6, 366.98226179270074},
  {"ngtdm_Contrast", 8, 10, 6, 0.62124106053005823},
}

local function check(name, settings, opts, want)
  local maps = rad.feature_map(img, mask, settings, opts)
  for _, w in ipairs(want) do
    local got = maps["original_" .. w[1]]:get(w[2], w[3], w[4])
    local label = string.format("%s: %s at (%d, %d, %d)", name, w[1], w[2], w[3], w[4])
    if w[5] ~= w[5] then
      T.ok(got ~= got, label .. " is NaN")
    else
      T.near(got, w[5], 1e-6 * math.max(math.abs(w[5]), 1e-3), label)
    end
  end
  return maps
end

local s1 = {compat = "pyradiomics", pyradiomics = {binWidth = 25}}
local m1 = check("r1 masked binWidth 25", s1, {features = CLASSES, radius = 1}, RUN1)
check("r2 unmasked binCount 16", {compat = "pyradiomics", pyradiomics = {binCount = 16}},
  {features = CLASSES, radius = 2, masked = false}, RUN2)

-- names: every map of the six classes, PyRadiomics' names
do
  local n, firstorder = 0, 0
  for tag in pairs(m1) do
    n = n + 1
    if tag:find("^original_firstorder_") then firstorder = firstorder + 1 end
  end
  T.is(n, 93, "six classes: 93 maps (18 + 24 + 16 + 16 + 14 + 5)")
  T.is(firstorder, 18, "firstorder: 18 maps")
end

-- fill: PyRadiomics' initValue (0) outside the centres, or the option
do
  local a = rad.feature_map(img, mask, s1, {features = {"glcm_Contrast", "firstorder"}, radius = 1})
  local b = rad.feature_map(img, mask, s1, {features = {"original_glcm_Contrast", "glcm_MCC"}, radius = 1, fill = -1})
  local keys = {}
  for k in pairs(b) do keys[#keys + 1] = k end
  table.sort(keys)
  T.is(table.concat(keys, ","), "original_glcm_Contrast,original_glcm_MCC", "a feature by its name, with or without original_")
  T.is(mask:get(1, 1, 1), 0, "(1, 1, 1) is not a centre")
  T.is(a.original_glcm_Contrast:get(1, 1, 1), 0, "default fill: 0 (initValue)")
  T.is(b.original_glcm_Contrast:get(1, 1, 1), -1, "fill = -1")
  T.is(b.original_glcm_MCC:get(5, 6, 4), -1, "the MCC PyRadiomics does not store holds the fill at a centre")
  local c = rad.feature_map(img, mask, s1, {features = {"glcm_Contrast"}, radius = 1, fill = 0 / 0})
  local v = c.original_glcm_Contrast:get(1, 1, 1)
  T.ok(v ~= v, "fill = 0/0: NaN")
  T.near(c.original_glcm_Contrast:get(5, 6, 4), 2.6308021038790268, 1e-6 * 2.63, "fill leaves the centres")
end

-- a kernel is a region: rad.extract (compatibility mode) of a centre's
-- masked kernel as a mask gives the same values where binning coincides
-- (binWidth 25 on these intensities gives bins -1 .. 3 (x / 25, floored):
-- a kernel holding an intensity below 0 and one of 75 or more has the
-- ROI's bins and Ng).  JointAverage and MCC carry the batch quirks above.
do
  local checked, worst = 0, 0
  for k = 2, NZ - 1 do for j = 2, NY - 1 do for i = 2, NX - 1 do
    if checked < 3 and mask:get(i, j, k) ~= 0 then
      local nb, lo, hi = rad.mask.new(img), math.huge, -math.huge
      for dz = -1, 1 do for dy = -1, 1 do for dx = -1, 1 do
        if mask:get(i + dx, j + dy, k + dz) ~= 0 then
          nb:set(i + dx, j + dy, k + dz, 1)
          local x = img:get(i + dx, j + dy, k + dz)
          lo, hi = math.min(lo, x), math.max(hi, x)
        end
      end end end
      if lo < 0 and hi >= 75 then
        local fs = rad.extract(img, nb, s1)
        local bad = 0
        for tag, im in pairs(m1) do
          if not tag:find("JointAverage") and not tag:find("MCC") then
            local x, y = im:get(i, j, k), fs[tag]
            if y == nil then
              bad = bad + 1
            elseif not (x ~= x and y ~= y) then
              local rel = math.abs(x - y) / math.max(math.abs(y), 1e-12)
              if rel > 1e-6 and math.abs(x - y) > 1e-9 then bad = bad + 1 end
              if math.abs(x - y) > 1e-9 then worst = math.max(worst, rel) end
            end
          end
        end
        T.is(bad, 0, string.format("centre (%d, %d, %d): 91 maps = rad.extract of its kernel", i, j, k))
        checked = checked + 1
      end
    end
  end end end
  T.is(checked, 3, "three kernels checked against rad.extract")
  T.diag(string.format("kernel vs rad.extract: worst relative difference %.2g (float32 maps)", worst))
end

-- force2D: in-plane kernels (the z neighbours do not count)
do
  local s2 = {compat = "pyradiomics", pyradiomics = {binWidth = 25, force2D = true}}
  local a = rad.feature_map(img, mask, s2, {features = {"firstorder_Mean"}, radius = 1})
  local sum, n = 0, 0
  for dy = -1, 1 do for dx = -1, 1 do
    if mask:get(5 + dx, 6 + dy, 4) ~= 0 then sum, n = sum + img:get(5 + dx, 6 + dy, 4), n + 1 end
  end end
  T.near(a.original_firstorder_Mean:get(5, 6, 4), sum / n, 1e-5, "force2D: the mean of the in-plane kernel")
end

-- bad input
T.errors(function() rad.feature_map(img, mask, s1, {features = {"glcm"}, shape = "sphere"}) end,
  "PyRadiomics' kernels are cubes (kernelRadius): shape = \"sphere\" has no equivalent", "sphere: refused")
T.errors(function() rad.feature_map(img, mask, s1, {features = {"glcm"}, in_plane = true}) end,
  "in_plane has no PyRadiomics equivalent of its own: set settings.pyradiomics.force2D = true", "in_plane: refused")
T.errors(function() rad.feature_map(img, mask, s1, {features = {"glcm"}, radius = 0}) end,
  "radius must be 1..1000 voxels, got 0", "radius 0")
T.errors(function() rad.feature_map(img, mask, s1, {features = {"glcm_Contrst"}}) end,
  "unknown PyRadiomics feature 'glcm_Contrst' (did you mean glcm_Contrast", "a misspelt feature: a suggestion")
T.errors(function() rad.feature_map(img, mask, s1, {features = {"glcmm"}}) end,
  "unknown PyRadiomics feature 'glcmm' (did you mean glcm", "a misspelt class: a suggestion")
T.errors(function() rad.feature_map(img, mask, s1, {features = {"shape"}}) end,
  "PyRadiomics' shape class describes a whole region and has no voxel-based extraction", "shape: refused")
T.errors(function() rad.feature_map(img, mask, s1, {features = {"glcm"}, fill = "zero"}) end,
  "fill must be a number (0/0 for NaN), got string", "fill not a number")
T.errors(function()
  rad.feature_map(img, mask, {compat = "pyradiomics", pyradiomics = {force2D = true, force2Ddimension = 1}},
    {features = {"glcm"}})
end, "pyradiomics.force2Ddimension = 1: maps take in-plane kernels along z only", "force2Ddimension 1: refused")
T.errors(function()
  rad.feature_map(img, mask, {compat = "pyradiomics", pyradiomics = {resampledPixelSpacing = {1, 1, 1}}},
    {features = {"glcm"}})
end, "the settings interpolate (pyradiomics.resampledPixelSpacing): remove it and map on the native grid",
  "interpolation: refused")

-- parameter files: voxelSetting as rad.feature_map options
local dir = T.tmpdir()
local file = T.file
do
  local p = file("v.yaml", "setting:\n  binWidth: 25\nvoxelSetting:\n  kernelRadius: 2\n  maskedKernel: false\n"
    .. "  initValue: -7.5\n  voxelBatch: 500\n")
  local s, o = rad.settings.from_pyradiomics(p), rad.settings.voxel_from_pyradiomics(p)
  T.is(select("#", rad.settings.from_pyradiomics(p)), 1, "from_pyradiomics returns the settings alone")
  T.is(s.pyradiomics.binWidth, 25, "voxelSetting: the settings as before")
  T.is(o.radius, 2, "kernelRadius -> radius")
  T.is(o.masked, false, "maskedKernel -> masked")
  T.is(o.fill, -7.5, "initValue -> fill")
  local d = rad.settings.voxel_from_pyradiomics(file("d.yaml", "setting:\n  binCount: 16\n"))
  T.ok(d.radius == 1 and d.masked == true and d.fill == 0, "no voxelSetting: PyRadiomics' defaults (1, true, 0)")
  local refused = {
    {"r0.yaml", "voxelSetting:\n  kernelRadius: 0\n", "r0.yaml:2: kernelRadius must be a whole number of voxels 1..1000, got 0"},
    {"rf.yaml", "voxelSetting:\n  kernelRadius: 1.5\n", "rf.yaml:2: kernelRadius must be a whole number"},
    {"mk.yaml", "voxelSetting:\n  maskedKernel: maybe\n", "mk.yaml:2: maskedKernel must be true or false, got maybe"},
    {"iv.yaml", "voxelSetting:\n  initValue: zero\n", "iv.yaml:2: initValue must be a number (.nan for NaN), got zero"},
    {"vb.yaml", "voxelSetting:\n  voxelBatch: 0\n", "vb.yaml:2: voxelBatch must be -1 or a positive whole number, got 0"},
    {"ty.yaml", "voxelSetting:\n  kernelRadious: 2\n",
     "ty.yaml:2: 'kernelRadious' is not a voxel setting (kernelRadius, maskedKernel, initValue, voxelBatch) (did you mean kernelRadius?)"},
    {"bw.yaml", "voxelSetting:\n  binWidth: 10\n", "bw.yaml:2: 'binWidth' is not a voxel setting (kernelRadius, maskedKernel, "
     .. "initValue, voxelBatch); other options belong under setting"},
    {"ls.yaml", "voxelSetting: [1, 2]\n", "ls.yaml:1: voxelSetting must be a mapping"},
  }
  for _, c in ipairs(refused) do
    T.errors(function() rad.settings.from_pyradiomics(file(c[1], c[2])) end, c[3], "voxelSetting refused: " .. c[1])
  end
end

-- radlab map --params: the file's voxelSetting; --radius on the command line wins
do
  local R = os.getenv("RADLAB") or "./radlab"
  local ip, mp, p = dir .. "/img.nii.gz", dir .. "/mask.nii.gz",
    file("m.yaml", "setting:\n  binCount: 16\nvoxelSetting:\n  kernelRadius: 2\n  maskedKernel: false\n  initValue: -1\n")
  img:write(ip)
  mask:write(mp)
  os.execute("mkdir -p '" .. dir .. "/maps'")
  local h = io.popen(string.format("'%s' map '%s' '%s' --params '%s' --features glcm_MCC,ngtdm_Contrast -o '%s/maps' 2>&1; "
    .. "echo status=$?", R, ip, mp, p, dir))
  local out = h:read("a")
  h:close()
  T.like(out, "status=0", "radlab map --params: runs")
  local mcc = rad.read(dir .. "/maps/original_glcm_MCC.nii.gz")
  local con = rad.read(dir .. "/maps/original_ngtdm_Contrast.nii.gz")
  T.near(mcc:get(4, 5, 3), 0.5509069807509771, 1e-6, "radlab map --params: PyRadiomics' MCC (radius 2, unmasked, binCount 16)")
  T.near(con:get(8, 10, 6), 0.62124106053005823, 1e-6, "radlab map --params: PyRadiomics' ngtdm Contrast")
  T.is(con:get(1, 1, 1), -1, "radlab map --params: initValue outside the ROI")
  h = io.popen(string.format("'%s' map '%s' '%s' --params '%s' --features glcm_Contrast -r 1 -o '%s/maps' 2>&1; "
    .. "echo status=$?", R, ip, mp, file("m1.yaml", "setting:\n  binWidth: 25\n"), dir))
  out = h:read("a")
  h:close()
  T.like(out, "status=0", "radlab map --params -r 1: runs")
  local c1 = rad.read(dir .. "/maps/original_glcm_Contrast.nii.gz")
  T.near(c1:get(5, 6, 4), 2.6308021038790268, 1e-6 * 2.63, "radlab map --params -r 1: PyRadiomics' value (masked, binWidth 25)")
  h = io.popen(string.format("'%s' map '%s' '%s' --params '%s' --features glcm_Contrst -o '%s/maps' 2>&1; echo status=$?",
    R, ip, mp, p, dir))
  out = h:read("a")
  h:close()
  T.like(out, "unknown PyRadiomics feature 'glcm_Contrst' (did you mean glcm_Contrast", "radlab map --params: a misspelt name",
    true)
  -- the file's image types are mapped too
  os.execute("mkdir -p '" .. dir .. "/tmaps'")
  h = io.popen(string.format("'%s' map '%s' '%s' --params '%s' --features glcm_Contrast,square_firstorder_Mean -o "
    .. "'%s/tmaps' 2>&1; echo status=$?", R, ip, mp,
    file("t.yaml", "setting:\n  binWidth: 25\nimageType:\n  Original: {}\n  Square: {}\nvoxelSetting:\n  kernelRadius: 1\n"), dir))
  out = h:read("a")
  h:close()
  T.like(out, "wrote 3 maps", "radlab map --params with image types: original_glcm_Contrast, square_glcm_Contrast, "
    .. "square_firstorder_Mean")
  local sq = rad.read(dir .. "/tmaps/square_glcm_Contrast.nii.gz")
  local ref = rad.feature_map(rad.filter(img, {"square"}), mask, {compat = "pyradiomics", pyradiomics = {binWidth = 25}},
    {features = {"glcm_Contrast"}, radius = 1}).original_glcm_Contrast
  T.near(sq:get(5, 6, 4), ref:get(5, 6, 4), 0, "radlab map --params: square_glcm_Contrast is the square response's map")
end

-- image types (settings.filters of PyRadiomics' kinds): PyRadiomics maps the
-- original image and each type's response, each with its own settings; a
-- type's maps are those of its response (the filter on the whole image)
-- mapped as an original image, named <image type>_<class>_<Feature>
do
  local types = {{"square"}, {"pylog", sigma = 1.0, pyradiomics = {binWidth = 5}}}
  local st = {compat = "pyradiomics", pyradiomics = {binWidth = 10}, filters = types}
  local want = {"glcm_Contrast", "firstorder_Mean", "gldm"}
  local maps = rad.feature_map(img, mask, st, {features = want, radius = 1})
  local n = 0
  for _ in pairs(maps) do n = n + 1 end
  T.is(n, 3 * (2 + 14), "image types: 16 maps of each of original, square and log-sigma-1-0-mm-3D")
  local function same(a, b)
    local worst = 0
    for k = 1, NZ do for j = 1, NY do for i = 1, NX do
      local x, y = a:get(i, j, k), b:get(i, j, k)
      if x ~= y and not (x ~= x and y ~= y) then worst = math.max(worst, math.abs(x - y)) end
    end end end
    return worst
  end
  local orig = rad.feature_map(img, mask, {compat = "pyradiomics", pyradiomics = {binWidth = 10}},
    {features = want, radius = 1})
  for _, t in ipairs{{"square", {"square"}, 10}, {"log-sigma-1-0-mm-3D", {"pylog", sigma = 1.0}, 5}} do
    local resp = rad.filter(img, t[2])
    local ref = rad.feature_map(resp, mask, {compat = "pyradiomics", pyradiomics = {binWidth = t[3]}},
      {features = want, radius = 1})
    local bad = 0
    for tag, m in pairs(ref) do
      local mine = maps[t[1] .. tag:sub(#"original" + 1)]
      if not mine or same(mine, m) ~= 0 then bad = bad + 1 end
    end
    T.is(bad, 0, t[1] .. ": its 16 maps are those of its response mapped with binWidth " .. t[3])
  end
  local bad = 0
  for tag, m in pairs(orig) do if not maps[tag] or same(maps[tag], m) ~= 0 then bad = bad + 1 end end
  T.is(bad, 0, "image types: the original image's maps unchanged")
  -- a name with a type's prefix asks for that type only
  local one = rad.feature_map(img, mask, st, {features = {"log-sigma-1-0-mm-3D_glcm_Contrast",
    "original_firstorder_Mean"}, radius = 1})
  local tags = {}
  for tag in pairs(one) do tags[#tags + 1] = tag end
  table.sort(tags)
  T.is(table.concat(tags, " "), "log-sigma-1-0-mm-3D_glcm_Contrast original_firstorder_Mean",
    "typed names: only the types they name")
  -- pyradiomics.original = false: the image types only
  local no = rad.feature_map(img, mask, {compat = "pyradiomics", pyradiomics = {binWidth = 10, original = false},
    filters = {{"square"}}}, {features = {"glcm_Contrast"}, radius = 1})
  tags = {}
  for tag in pairs(no) do tags[#tags + 1] = tag end
  T.is(table.concat(tags, " "), "square_glcm_Contrast", "original = false: the image types' maps only")
  T.errors(function() rad.feature_map(img, mask, st, {features = {"wavelet-LLH_glcm"}, radius = 1}) end,
    "'wavelet-LLH_glcm' names image type 'wavelet-LLH', which the settings do not measure",
    "a type the settings do not measure")
  T.errors(function() rad.feature_map(img, mask, st, {features = {"glcm_Contrasst"}, radius = 1}) end,
    "glcm_Contrasst", "an unknown feature with image types")
  T.errors(function() rad.feature_map(img, mask, {compat = "pyradiomics", filters = {{"log", sigma = 1}}},
    {features = {"glcm"}, radius = 1}) end, "is an IBSI filter", "an IBSI filter in compat maps")
end

T.done()
