-- radlab tests: one line of PyRadiomics' baseline CSV files split into its
-- fields ("quoted, fields" keep their commas; quotes removed).
-- SPDX-License-Identifier: GPL-3.0-or-later
return function(s)
  local out, pos = {}, 1
  while pos <= #s + 1 do
    local q = s:match('^"([^"]*)"', pos)
    if q then
      out[#out + 1] = q
      pos = pos + #q + 3
    else
      local f = s:match("^([^,]*)", pos)
      out[#out + 1] = f
      pos = pos + #f + 1
    end
  end
  return out
end
