-- radlab: PyRadiomics parameter files (Params.yaml) as radlab settings and back.
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- A parameter file has three sections: setting (PyRadiomics' options, kept
-- under their names in settings.pyradiomics), imageType (Original and the
-- filtered image types, which become settings.filters of PyRadiomics' kinds)
-- and featureClass (settings.pyradiomics.featureClass).  Anything radlab
-- cannot reproduce is an error naming the file, its line and the key; nothing
-- is silently dropped.
local pyradiomics = {}

-- options of image types, read from `setting` or from the image type's own mapping
local TYPE_OPTIONS = {
  sigma = true, start_level = true, level = true, wavelet = true, gradientUseSpacing = true,
  lbp2DRadius = true, lbp2DSamples = true, lbp2DMethod = true,
  lbp3DLevels = true, lbp3DIcosphereRadius = true, lbp3DIcosphereSubdivision = true,
}
-- settings an image type's own mapping may change (PyRadiomics reads them per image type, in the filter and
-- the feature classes): they become that type's filters' pyradiomics table
local TYPE_SETTINGS = {
  binWidth = "number", binCount = "integer", voxelArrayShift = "number", force2D = "boolean",
  force2Ddimension = "integer", weightingNorm = "string", symmetricalGLCM = "boolean", distances = "table",
  gldm_a = "integer",
}
-- PyRadiomics options radlab does not reproduce
local LACKS = {
  geometryTolerance = "radlab checks geometry exactly", correctMask = "radlab does not resample a mask onto the image",
  label_channel = "radlab reads single-channel masks", resegmentShape = "radlab re-segments before shape only",
}

local function known_settings()
  local keys = {}
  for _, row in ipairs(rad.settings.keys()) do
    local k = row.path:match("^pyradiomics%.(.+)$")
    if k then keys[k] = true end
  end
  keys.featureClass = nil -- its own section in a parameter file
  keys.original = nil -- imageType Original in a parameter file
  return keys
end

-- edit distance of a and b: insertions, deletions, substitutions and
-- transpositions of neighbours (binWidht -> binWidth is one edit)
local function distance(a, b)
  local d = {}
  for i = 0, #a do d[i] = {[0] = i} end
  for j = 0, #b do d[0][j] = j end
  for i = 1, #a do
    for j = 1, #b do
      local ai, bj = a:sub(i, i), b:sub(j, j)
      local v = math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ai == bj and 0 or 1))
      if i > 1 and j > 1 and ai == b:sub(j - 1, j - 1) and a:sub(i - 1, i - 1) == bj then
        v = math.min(v, d[i - 2][j - 2] + 1)
      end
      d[i][j] = v
    end
  end
  return d[#a][#b]
end

-- the known key a typo most likely meant (case aside, or one edit away)
local function close_to(name, keys)
  local best, bd = nil, 2
  for k in pairs(keys) do
    if k:lower() == name:lower() then return k end
    local d = distance(k, name)
    if d < bd or (d == bd and best and k < best) then best, bd = k, d end
  end
  return bd <= 1 and best or nil
end

local function is_na(v) return v == rad.NA end

--- pyradiomics.read(path) -> settings, map_options: the radlab settings (compat = "pyradiomics") a PyRadiomics parameter file describes, and its voxelSetting as rad.feature_map options {radius, masked, fill}; rad.settings.from_pyradiomics returns the first, rad.settings.voxel_from_pyradiomics the second
function pyradiomics.read(path)
  local rok, doc, lines = pcall(rad.yaml.read, path)
  if not rok then error((tostring(doc):gsub("^rad%.yaml%.read: ", "")), 0) end
  local function fail(where, fmt, ...)
    local line = lines[where]
    error(string.format("%s%s: " .. fmt, path, line and ":" .. tostring(line) or "", ...), 0)
  end
  if is_na(doc) then doc = {} end
  if type(doc) ~= "table" or doc[1] ~= nil then
    fail("", "a parameter file is a mapping with the sections setting, imageType and featureClass, not %s",
      type(doc) == "table" and "a list" or "a single " .. type(doc))
  end
  for k in pairs(doc) do
    if k ~= "setting" and k ~= "imageType" and k ~= "featureClass" and k ~= "voxelSetting" then
      fail(k, "unknown section '%s' (setting, imageType, featureClass, voxelSetting)", tostring(k))
    end
  end
  local keys = known_settings()
  local py, type_defaults = {}, {}
  local setting = doc.setting
  if setting ~= nil and not is_na(setting) then
    if type(setting) ~= "table" then fail("setting", "setting must be a mapping of PyRadiomics' options") end
    for k, v in pairs(setting) do
      local where = "setting." .. tostring(k)
      if LACKS[k] then fail(where, "setting '%s' is not reproduced by radlab (%s); remove it", k, LACKS[k]) end
      if TYPE_OPTIONS[k] then
        type_defaults[k] = v
      elseif keys[k] then
        if not is_na(v) then py[k] = v end -- null: PyRadiomics' default
      else
        local near = close_to(k, keys)
        fail(where, "'%s' is not a PyRadiomics setting radlab knows%s", tostring(k),
          near and (" (did you mean " .. near .. "?)") or "")
      end
      if type(v) == "string" and v:match("^[-+]?[%d.]+[eE][-+]?%d+$") then
        fail(where, "'%s' is a string in YAML 1.1 (PyYAML reads it so): write the number with a point and a signed "
          .. "exponent, e.g. 1.0e-3, or as a decimal", v)
      end
    end
  end

  local filters = {}
  local function opt(itype, t, k)
    if type(t) == "table" and t[k] ~= nil then return t[k] end
    return type_defaults[k]
  end
  local itypes = doc.imageType
  if itypes == nil or is_na(itypes) then itypes = {Original = {}} end
  if type(itypes) ~= "table" then fail("imageType", "imageType must be a mapping of image types") end
  -- an empty imageType is Original alone (PyRadiomics); without Original only the listed types (and shape)
  if next(itypes) ~= nil and itypes.Original == nil then py.original = false end
  local order = {}
  for k in pairs(itypes) do order[#order + 1] = k end
  table.sort(order)
  local force2d = py.force2D == true
  for _, it in ipairs(order) do
    local t, where = itypes[it], "imageType." .. it
    if is_na(t) then t = {} end
    if type(t) ~= "table" then fail(where, "imageType %s must be a mapping of its options ({} for none)", it) end
    -- the type's own settings (ov) besides its filter's options
    local ov = {}
    for k, v in pairs(t) do
      local kw = where .. "." .. tostring(k)
      if TYPE_SETTINGS[k] then
        if is_na(v) then
          fail(kw, "%s: null in an image type's settings; give a value, or leave the key out for the general one", k)
        end
        local want = TYPE_SETTINGS[k]
        local got = (want == "integer" and math.type(v) == "integer") and "integer" or type(v)
        if got ~= want then
          fail(kw, "%s of image type %s must be %s, got %s", k, it, want == "integer" and "an integer"
            or want == "table" and "a list such as [1]" or want == "boolean" and "true or false" or "a " .. want,
            type(v) == "string" and ("'" .. v .. "'") or type(v))
        end
        ov[k] = v
      elseif k == "label" then
        fail(kw, "label of image type %s: radlab selects the label when it reads the mask, once for every image "
          .. "type; give label in setting (or radlab extract --label) and remove it here", it)
      elseif LACKS[k] then
        fail(kw, "setting '%s' is not reproduced by radlab (%s); remove it", k, LACKS[k])
      elseif keys[k] then
        fail(kw, "'%s' of image type %s has no effect in PyRadiomics: loading, resampling, normalisation, "
          .. "re-segmentation and the mask checks happen once with the general settings; move it to setting", k, it)
      elseif not TYPE_OPTIONS[k] then
        local all = {}
        for n in pairs(TYPE_OPTIONS) do all[n] = true end
        for n in pairs(TYPE_SETTINGS) do all[n] = true end
        local near = close_to(tostring(k), all)
        fail(kw, "unknown option '%s' of image type %s%s (its filter's options: sigma, start_level, level, wavelet, "
          .. "gradientUseSpacing, lbp2D..., lbp3D...; its own settings: binWidth, binCount, voxelArrayShift, force2D, "
          .. "force2Ddimension, weightingNorm, symmetricalGLCM, distances, gldm_a)", tostring(k), it,
          near and (" (did you mean " .. near .. "?)") or "")
      end
    end
    local first = #filters + 1
    if it == "Original" then
      -- measured always
    elseif it == "LoG" then
      local sig = opt(it, t, "sigma")
      if sig == nil or is_na(sig) or type(sig) ~= "table" or #sig == 0 then
        fail(where, "LoG needs sigma, a list of mm values (setting.sigma or imageType.LoG.sigma)")
      end
      for _, s in ipairs(sig) do filters[#filters + 1] = {"pylog", sigma = s} end
    elseif it == "Wavelet" then
      local start = opt(it, t, "start_level") or 0
      local levels = opt(it, t, "level") or 1
      local family = opt(it, t, "wavelet") or "coif1"
      -- the type's own force2D decides its axes, as the general one does
      local f2d = force2d
      if ov.force2D ~= nil then f2d = ov.force2D == true end
      local f2dim = ov.force2Ddimension or py.force2Ddimension or 0
      if f2d and f2dim ~= 0 then
        fail(where, "Wavelet with force2D and force2Ddimension %s is not reproduced: radlab's 2D wavelet filters the "
          .. "axial plane (force2Ddimension 0)", tostring(f2dim))
      end
      local bands = f2d and {"HH", "HL", "LH"} or {"HHH", "HHL", "HLH", "HLL", "LHH", "LHL", "LLH"}
      -- PyRadiomics names levels from start_level + 1 as wavelet-, wavelet2-, ...
      for lev = 1, levels do
        for _, b in ipairs(bands) do
          filters[#filters + 1] = {"pywavelet", family = family, band = b, level = lev, start_level = start, dims = #b}
        end
      end
      local approx = f2d and "LL" or "LLL"
      filters[#filters + 1] = {"pywavelet", family = family, band = approx, level = levels, start_level = start,
        dims = #approx}
    elseif it == "Square" or it == "SquareRoot" or it == "Logarithm" or it == "Exponential" then
      filters[#filters + 1] = {it:lower()}
    elseif it == "Gradient" then
      local us = opt(it, t, "gradientUseSpacing")
      filters[#filters + 1] = {"gradient", use_spacing = us == nil and true or us}
    elseif it == "LBP2D" then
      local m = opt(it, t, "lbp2DMethod") or "uniform"
      if m == "var" then fail(where, "lbp2DMethod 'var' is not reproduced (default, uniform or ror)") end
      filters[#filters + 1] = {"lbp2d", radius = opt(it, t, "lbp2DRadius") or 1, points = opt(it, t, "lbp2DSamples") or 8,
        method = m}
    elseif it == "LBP3D" then
      local lv = opt(it, t, "lbp3DLevels") or 2
      for k = 1, lv do
        filters[#filters + 1] = {"lbp3d", levels = lv, radius = opt(it, t, "lbp3DIcosphereRadius") or 1,
          subdivision = opt(it, t, "lbp3DIcosphereSubdivision") or 1, output = "m" .. k}
      end
      filters[#filters + 1] = {"lbp3d", levels = lv, radius = opt(it, t, "lbp3DIcosphereRadius") or 1,
        subdivision = opt(it, t, "lbp3DIcosphereSubdivision") or 1, output = "k"}
    else
      fail(where, "unknown image type '%s' (Original, LoG, Wavelet, Square, SquareRoot, Logarithm, Exponential, "
        .. "Gradient, LBP2D, LBP3D)", it)
    end
    if next(ov) ~= nil then
      if it == "Original" then
        fail(where, "settings of image type Original are not reproduced: radlab's general settings are the "
          .. "original image's; move them to setting and give each other image type its own value where it differs")
      end
      for i = first, #filters do
        local c = {}
        for k, v in pairs(ov) do c[k] = v end
        filters[i].pyradiomics = c
      end
    end
  end

  local fc = doc.featureClass
  if fc ~= nil and not is_na(fc) then
    if type(fc) ~= "table" then fail("featureClass", "featureClass must be a mapping of classes") end
    local out = {}
    for cls, v in pairs(fc) do
      if is_na(v) or (type(v) == "table" and #v == 0) then out[cls] = rad.NA
      elseif type(v) == "table" then out[cls] = v
      else fail("featureClass." .. tostring(cls), "featureClass.%s must be empty or a list of feature names",
        tostring(cls)) end
    end
    py.featureClass = out
  end

  -- voxelSetting: the options of rad.feature_map, PyRadiomics' defaults
  -- (kernelRadius 1, maskedKernel true, initValue 0) where the file is silent
  local voxel = {radius = 1, masked = true, fill = 0}
  local vs = doc.voxelSetting
  if vs ~= nil and not is_na(vs) then
    if type(vs) ~= "table" or #vs > 0 then fail("voxelSetting", "voxelSetting must be a mapping (kernelRadius, maskedKernel, "
      .. "initValue, voxelBatch)") end
    for k, v in pairs(vs) do
      local where = "voxelSetting." .. tostring(k)
      if is_na(v) then -- null: PyRadiomics' default
      elseif k == "kernelRadius" then
        if math.type(v) ~= "integer" or v < 1 or v > 1000 then
          fail(where, "kernelRadius must be a whole number of voxels 1..1000, got %s", tostring(v))
        end
        voxel.radius = v
      elseif k == "maskedKernel" then
        if type(v) ~= "boolean" then fail(where, "maskedKernel must be true or false, got %s", tostring(v)) end
        voxel.masked = v
      elseif k == "initValue" then
        if type(v) ~= "number" then fail(where, "initValue must be a number (.nan for NaN), got %s", tostring(v)) end
        voxel.fill = v
      elseif k == "voxelBatch" then -- a memory knob of PyRadiomics: radlab maps every centre at once
        if math.type(v) ~= "integer" or v == 0 or v < -1 then
          fail(where, "voxelBatch must be -1 or a positive whole number, got %s", tostring(v))
        end
      else
        local near = type(k) == "string" and close_to(k, {kernelRadius = true, maskedKernel = true, initValue = true, voxelBatch = true})
        fail(where, "'%s' is not a voxel setting (kernelRadius, maskedKernel, initValue, voxelBatch)%s",
          tostring(k), near and (" (did you mean " .. near .. "?)") or "; other options belong under setting")
      end
    end
  end

  local settings = {compat = "pyradiomics", pyradiomics = py}
  if #filters > 0 then settings.filters = filters end
  -- the checker's errors, with the file named
  local ok, err = pcall(rad.settings.check, settings)
  if not ok then
    err = tostring(err):gsub("^settings[.:]%s*", "")
    local key = err:match("^pyradiomics%.([%w_]+)")
    if key then err = "setting." .. err:sub(#"pyradiomics." + 1) end -- the file's own section name
    local line = key and (lines["setting." .. key] or lines["featureClass"])
    error(string.format("%s%s: %s", path, line and ":" .. tostring(line) or "", err), 0)
  end
  return settings, voxel
end

-- YAML text of a value (flow style for lists and small maps)
local function yaml_scalar(v)
  if v == rad.NA or v == nil then return "" end
  if type(v) == "boolean" then return tostring(v) end
  if math.type(v) == "integer" then return tostring(v) end
  if type(v) == "number" then
    local s = string.format("%.17g", v)
    for prec = 1, 17 do
      local t = string.format("%." .. prec .. "g", v)
      if tonumber(t) == v then s = t; break end
    end
    if not s:find("[.eEn]") then s = s .. ".0" end
    if s:find("e") and not s:find("%.") then s = s:gsub("e", ".0e") end
    if s:find("e%d") then s = s:gsub("e(%d)", "e+%1") end
    return s
  end
  return "'" .. tostring(v):gsub("'", "''") .. "'"
end

--- pyradiomics.write(settings [, path]) -> text: a PyRadiomics parameter file of compat settings (written to path atomically); rad.settings.to_pyradiomics calls it
function pyradiomics.write(settings, path)
  local s = rad.settings.check(settings)
  if s.compat ~= "pyradiomics" then
    error("rad.settings.to_pyradiomics: settings need compat = \"pyradiomics\" (IBSI settings have no PyRadiomics "
      .. "parameter file)", 2)
  end
  local out = {"# radlab " .. rad.version .. ": PyRadiomics parameter file", "setting:"}
  local keys = {}
  for k in pairs(s.pyradiomics) do if k ~= "featureClass" and k ~= "original" then keys[#keys + 1] = k end end
  table.sort(keys)
  -- PyRadiomics' schema types these as integers: write whole numbers without a point
  local INT = {voxelArrayShift = true, padDistance = true, label = true, distances = true, gldm_a = true,
    force2Ddimension = true, minimumROIDimensions = true, minimumROISize = true, binCount = true}
  local function scalar(k, x)
    if INT[k] and type(x) == "number" and x == math.floor(x) then return string.format("%d", math.tointeger(x)) end
    return yaml_scalar(x)
  end
  for _, k in ipairs(keys) do
    local v = s.pyradiomics[k]
    if type(v) == "table" then
      local items = {}
      for i, x in ipairs(v) do items[i] = scalar(k, x) end
      out[#out + 1] = string.format("  %s: [%s]", k, table.concat(items, ", "))
    else
      out[#out + 1] = string.format("  %s: %s", k, scalar(k, v))
    end
  end
  -- image types; an image type's own settings (its filters' pyradiomics tables, one per type)
  out[#out + 1] = "imageType:"
  if s.pyradiomics.original ~= false then out[#out + 1] = "  Original: {}" end
  local TYPE = {pylog = "LoG", pywavelet = "Wavelet", square = "Square", squareroot = "SquareRoot",
    logarithm = "Logarithm", exponential = "Exponential", gradient = "Gradient", lbp2d = "LBP2D", lbp3d = "LBP3D"}
  local own, first = {}, {}
  for i, f in ipairs(s.filters or {}) do
    local ty = TYPE[f[1]]
    if ty then
      local o = f.pyradiomics or {}
      local ks, items = {}, {}
      for k in pairs(o) do ks[#ks + 1] = k end
      table.sort(ks)
      for _, k in ipairs(ks) do
        local v = o[k]
        if type(v) == "table" then
          local xs = {}
          for j, x in ipairs(v) do xs[j] = scalar(k, x) end
          v = "[" .. table.concat(xs, ", ") .. "]"
        else
          v = scalar(k, v)
        end
        items[#items + 1] = k .. ": " .. v
      end
      local text = table.concat(items, ", ")
      if own[ty] == nil then
        own[ty], first[ty] = text, i
      elseif own[ty] ~= text then
        error(string.format("rad.settings.to_pyradiomics: filters[%d] and filters[%d] are both image type %s with "
          .. "different pyradiomics settings ({%s} and {%s}); a parameter file has one imageType entry, with one set "
          .. "of settings, per image type: give them the same", first[ty], i, ty, own[ty], text), 2)
      end
    end
  end
  -- "{a: 1}" -> "{a: 1, <own settings>}"
  local function entry(ty, body)
    local o = own[ty]
    if o and o ~= "" then body = body == "" and o or body .. ", " .. o end
    return "  " .. ty .. ": {" .. body .. "}"
  end
  local sig, wav, simple, lbp2, lbp3, grad = {}, nil, {}, nil, nil, nil
  for _, f in ipairs(s.filters or {}) do
    local kind = f[1]
    if kind == "pylog" then sig[#sig + 1] = yaml_scalar(f.sigma)
    elseif kind == "pywavelet" then
      wav = wav or {family = f.family, level = 0, start = f.start_level or 0}
      wav.level = math.max(wav.level, f.level)
      if (f.start_level or 0) ~= wav.start then
        error("rad.settings.to_pyradiomics: the pywavelet filters have different start_level values; a parameter "
          .. "file has one Wavelet entry: give them one start_level", 2)
      end
    elseif kind == "square" or kind == "squareroot" or kind == "logarithm" or kind == "exponential" then
      simple[kind] = true
    elseif kind == "gradient" then grad = f
    elseif kind == "lbp2d" then lbp2 = f
    elseif kind == "lbp3d" then lbp3 = f
    else
      error("rad.settings.to_pyradiomics: filter " .. tostring(kind) .. " is not a PyRadiomics image type", 2)
    end
  end
  if #sig > 0 then out[#out + 1] = entry("LoG", "sigma: [" .. table.concat(sig, ", ") .. "]") end
  if wav then
    out[#out + 1] = entry("Wavelet", string.format("wavelet: '%s', level: %d", wav.family, wav.level)
      .. (wav.start > 0 and string.format(", start_level: %d", wav.start) or ""))
  end
  for _, k in ipairs{"square", "squareroot", "logarithm", "exponential"} do
    if simple[k] then out[#out + 1] = entry(TYPE[k], "") end
  end
  if grad then out[#out + 1] = entry("Gradient", "gradientUseSpacing: " .. tostring(grad.use_spacing)) end
  if lbp2 then
    out[#out + 1] = entry("LBP2D", string.format("lbp2DRadius: %s, lbp2DSamples: %d, lbp2DMethod: '%s'",
      yaml_scalar(lbp2.radius), lbp2.points, lbp2.method))
  end
  if lbp3 then
    out[#out + 1] = entry("LBP3D", string.format("lbp3DLevels: %d, lbp3DIcosphereRadius: %s, "
      .. "lbp3DIcosphereSubdivision: %d", lbp3.levels, yaml_scalar(lbp3.radius), lbp3.subdivision))
  end
  -- classes
  out[#out + 1] = "featureClass:"
  local fc = s.pyradiomics.featureClass
  local classes = {}
  if fc then
    for cls, v in pairs(fc) do classes[#classes + 1] = {cls, v} end
  else
    local fam = {}
    for _, f in ipairs(s.families or {}) do fam[f] = true end
    for _, c in ipairs{{"shape", "morph"}, {"firstorder", "stat"}, {"glcm", "cm"}, {"glrlm", "rlm"},
                       {"glszm", "szm"}, {"gldm", "ngl"}, {"ngtdm", "ngt"}} do
      if fam[c[2]] or (c[1] == "firstorder" and fam.ih) then classes[#classes + 1] = {c[1], rad.NA} end
    end
  end
  table.sort(classes, function(a, b) return a[1] < b[1] end)
  for _, c in ipairs(classes) do
    if type(c[2]) == "table" and #c[2] > 0 then
      local items = {}
      for i, x in ipairs(c[2]) do items[i] = yaml_scalar(x) end
      out[#out + 1] = string.format("  %s: [%s]", c[1], table.concat(items, ", "))
    else
      out[#out + 1] = "  " .. c[1] .. ":"
    end
  end
  local text = table.concat(out, "\n") .. "\n"
  if path then
    local tmp = path .. ".tmp-radlab"
    local f, err = io.open(tmp, "w")
    if not f then error("rad.settings.to_pyradiomics: cannot write '" .. path .. "': " .. tostring(err), 2) end
    f:write(text)
    f:close()
    local ok, rerr = os.rename(tmp, path)
    if not ok then
      os.remove(tmp)
      error("rad.settings.to_pyradiomics: cannot write '" .. path .. "': " .. tostring(rerr), 2)
    end
  end
  return text
end

return (require("rad.doc").register(pyradiomics, "pyradiomics")) -- not a tail call: register reads this file
