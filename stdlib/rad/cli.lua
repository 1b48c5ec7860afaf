-- radlab: the command-line subcommands (radlab extract, radlab features).
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- main(cmd, ...) returns the exit status: 0 success, 1 failure (message on
-- stderr), 2 usage error.

local M = {}

local function fail(status, fmt, ...)
  io.stderr:write("radlab: ", string.format(fmt, ...), "\n")
  return status
end

local EXTRACT_USAGE = [[
usage: radlab extract IMAGE MASK [-s SETTINGS.lua] [--label N] [-o OUT.csv]
Compute the IBSI features of the region of interest MASK (label N, default:
every non-zero voxel) in IMAGE and write feature,value rows (full double
precision) to OUT.csv or standard output.  SETTINGS.lua is a Lua chunk that
returns the settings table (see rad.settings.defaults() and radlab-lua(7)).
Features undefined for this ROI (a single voxel, a single grey level, ...;
see radlab-features(7)) are written as NA, and one warning line on standard
error names them.]]

local function extract(args)
  local pos, settings_path, label, out = {}, nil, nil, nil
  local i = 1
  while i <= #args do
    local a = args[i]
    local function value()
      i = i + 1
      if not args[i] then error({usage = "option " .. a .. " needs a value"}) end
      return args[i]
    end
    if a == "-s" or a == "--settings" then settings_path = value()
    elseif a == "--label" then
      local v = value()
      label = math.tointeger(tonumber(v))
      if not label or label < 0 or label > 255 then error({usage = "--label must be an integer 0..255, got " .. v}) end
    elseif a == "-o" or a == "--output" then out = value()
    elseif a == "-h" or a == "--help" then print(EXTRACT_USAGE); return 0
    elseif a:sub(1, 1) == "-" and #a > 1 then error({usage = "unknown option '" .. a .. "'"})
    else pos[#pos + 1] = a end
    i = i + 1
  end
  if #pos ~= 2 then error({usage = "needs IMAGE and MASK (got " .. #pos .. " file names)"}) end
  local settings
  if settings_path then
    local chunk, err = loadfile(settings_path, "t")
    if not chunk then return fail(1, "cannot read settings: %s", err) end
    local ok, res = pcall(chunk)
    if not ok then return fail(1, "settings file '%s' failed: %s", settings_path, res) end
    if type(res) ~= "table" then
      return fail(1, "settings file '%s' must return a table (e.g. return {discretise = {method = \"fbn\", bins = 32}})", settings_path)
    end
    settings = res
  end
  local img = rad.read(pos[1])
  local mask = rad.read_mask(pos[2], label and {label = label} or nil)
  local fs = rad.extract(img, mask, settings)
  if out then
    fs:write_csv(out)
  else
    local names, values = fs:names(), fs:values()
    io.write("feature,value\n")
    for k = 1, #names do
      local v = values[k]
      io.write(names[k], ",", v == rad.NA and "NA" or string.format("%.17g", v), "\n")
    end
  end
  -- features undefined for this ROI (NA in the CSV): one line on stderr
  if fs:warning() then io.stderr:write("radlab: warning: ", fs:warning(), "\n") end
  return 0
end

local function features(args)
  local fam = args[1]
  local list = rad.features.list(fam)
  for _, d in ipairs(list) do
    local aggr = #d.aggregations == 1 and d.aggregations[1] == "" and "" or
      " [" .. table.concat(d.aggregations, " "):gsub("_", ""):gsub("(%d)5D", "%1.5D") .. "]"
    io.write(string.format("%-26s %-5s %s%s\n", d.tag, d.ibsi_id, d.name, aggr))
  end
  return 0
end

function M.main(cmd, ...)
  local args = {...}
  local ok, res = pcall(cmd == "extract" and extract or features, args)
  if ok then return res end
  if type(res) == "table" and res.usage then
    return fail(2, "%s: %s (try radlab %s --help)", cmd, res.usage, cmd)
  end
  return fail(1, "%s", tostring(res))
end

return M
