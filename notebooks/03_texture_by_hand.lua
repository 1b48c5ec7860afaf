-- %% [markdown]
-- # 3. Texture matrices by hand
--
-- Texture features are computed from matrices that count how grey levels are
-- arranged. Here we build three of them by hand on an image small enough to
-- read, a 4 x 4 x 1 slice with 3 grey levels, compute a few features from them
-- in plain Lua, and check that `rad.extract` gives the same numbers.
--
-- - **GLCM** (grey level co-occurrence matrix, IBSI LFYI): how often level i sits
--   next to level j along a direction;
-- - **GLRLM** (grey level run length matrix, TP0I): how many runs of level i of
--   length j there are along a direction;
-- - **GLSZM** (grey level size zone matrix, 9SAK): how many connected zones of
--   level i have j voxels (no direction).

-- %%
local V = {{1, 2, 2, 3},   -- row j = 1 (i = 1..4 runs along x)
           {1, 2, 3, 3},
           {1, 1, 2, 3},
           {3, 3, 2, 1}}
local NG, NX, NY = 3, 4, 4
local img = rad.image.new{size = {NX, NY, 1}, spacing = {1, 1, 1}}
local mask = rad.mask.new(img)
for j = 1, NY do for i = 1, NX do img:set(i, j, 1, V[j][i]); mask:set(i, j, 1, 1) end end
for j = 1, NY do print(table.concat(V[j], " ")) end
rad.plot.show(rad.plot.map(img, img, {mask = mask, range = {1, 3}, label = "grey level"}),
  "The 4 x 4 test image as printed above: grey level 1 purple, 2 green, 3 yellow")

-- %% [markdown]
-- The four in-plane directions of IBSI are (1,0), (1,1), (0,1) and (-1,1)
-- (distance 1, 8-connected). The grey levels are used as they are
-- (`discretise = {method = "none"}`), and the slice is one 2D ROI.

-- %%
local DIRS = {{1, 0}, {1, 1}, {0, 1}, {-1, 1}}
local function at(i, j) return V[j] and V[j][i] end   -- nil outside the image
local function matrix(n, m) local M = {} for a = 1, n do M[a] = {} for b = 1, m do M[a][b] = 0 end end return M end
local function show(name, M)
  print(name); for _, row in ipairs(M) do print("  " .. table.concat(row, "  ")) end
end

-- %% [markdown]
-- ## GLCM
--
-- For a direction (dx, dy), every pair of neighbours (x, y) and (x + dx, y + dy) adds
-- one count at M[i][j] and one at M[j][i] (IBSI counts both ways: a symmetric
-- matrix). Divided by its sum it becomes the joint probability p(i, j). Then
-- contrast (ACUI) = sum (i - j)^2 p(i, j) and joint energy (8ZQL) = sum p(i, j)^2.

-- %%
local function glcm(d)
  local M = matrix(NG, NG)
  for j = 1, NY do for i = 1, NX do
    local a, b = at(i, j), at(i + d[1], j + d[2])
    if b then M[a][b] = M[a][b] + 1; M[b][a] = M[b][a] + 1 end
  end end
  return M
end
local function cm_features(M)
  local total, contrast, energy = 0, 0, 0
  for a = 1, NG do for b = 1, NG do total = total + M[a][b] end end
  for a = 1, NG do for b = 1, NG do
    local p = M[a][b] / total
    contrast, energy = contrast + (a - b) ^ 2 * p, energy + p * p
  end end
  return contrast, energy
end
show("GLCM along (1,0), counts:", glcm(DIRS[1]))
print(string.format("direction (1,0): contrast %.4f, joint energy %.4f", cm_features(glcm(DIRS[1]))))

-- %% [markdown]
-- radlab reports two 2D aggregations (IBSI 3.1): `_2D_avg` computes the feature
-- on each direction's matrix and averages; `_2D_comb` first sums the four
-- matrices into one and computes the feature once.

-- %%
local c_avg, e_avg, merged = 0, 0, matrix(NG, NG)
for _, d in ipairs(DIRS) do
  local M = glcm(d)
  local c, e = cm_features(M)
  c_avg, e_avg = c_avg + c / #DIRS, e_avg + e / #DIRS
  for a = 1, NG do for b = 1, NG do merged[a][b] = merged[a][b] + M[a][b] end end
end
local c_comb, e_comb = cm_features(merged)

-- %% [markdown]
-- ## GLRLM
--
-- A run is a maximal line of equal grey levels along a direction. A voxel starts
-- a run when the voxel before it (at -d) is outside the image or of another level;
-- we walk from there. Short run emphasis (22OV) = (1 / N_s) sum r(i, j) / j^2,
-- with N_s runs; run percentage (9ZK5) = N_s / N_v, with N_v voxels.

-- %%
local function glrlm(d)
  local R = matrix(NG, math.max(NX, NY))
  for j = 1, NY do for i = 1, NX do
    local g = at(i, j)
    if at(i - d[1], j - d[2]) ~= g then
      local len = 0
      while at(i + len * d[1], j + len * d[2]) == g do len = len + 1 end
      R[g][len] = R[g][len] + 1
    end
  end end
  return R
end
local function sum_emph(R, f)    -- returns sum r(i,j) f(j) / N_s and N_s
  local ns, s = 0, 0
  for g = 1, #R do for len = 1, #R[g] do ns, s = ns + R[g][len], s + R[g][len] * f(len) end end
  return s / ns, ns
end
show("GLRLM along (1,0), rows = grey level, columns = run length 1..4:", glrlm(DIRS[1]))
local sre_avg, rperc_avg, rmerged = 0, 0, matrix(NG, 4)
for _, d in ipairs(DIRS) do
  local R = glrlm(d)
  local sre, ns = sum_emph(R, function(len) return 1 / len ^ 2 end)
  sre_avg, rperc_avg = sre_avg + sre / #DIRS, rperc_avg + ns / (NX * NY) / #DIRS
  for g = 1, NG do for len = 1, 4 do rmerged[g][len] = rmerged[g][len] + R[g][len] end end
end
local sre_comb = sum_emph(rmerged, function(len) return 1 / len ^ 2 end)

-- %% [markdown]
-- ## GLSZM
--
-- A zone is a set of connected voxels of one grey level (8-connected in 2D, as
-- 26-connected in 3D). We label zones with a flood fill. Small zone emphasis =
-- (1 / N_s) sum s(i, j) / j^2, large zone emphasis (48P8) = (1 / N_s) sum s(i, j) j^2,
-- zone percentage (P30P) = N_s / N_v.

-- %%
local S, seen = matrix(NG, NX * NY), {}
for j = 1, NY do for i = 1, NX do
  if not seen[j * 10 + i] then
    local g, size, stack = at(i, j), 0, {{i, j}}
    seen[j * 10 + i] = true
    while #stack > 0 do
      local p = table.remove(stack); size = size + 1
      for dy = -1, 1 do for dx = -1, 1 do
        local x, y = p[1] + dx, p[2] + dy
        if at(x, y) == g and not seen[y * 10 + x] then seen[y * 10 + x] = true; stack[#stack + 1] = {x, y} end
      end end
    end
    S[g][size] = S[g][size] + 1
  end
end end
local sze, nzones = sum_emph(S, function(s) return 1 / s ^ 2 end)
local lze = sum_emph(S, function(s) return s ^ 2 end)
for g = 1, NG do
  local z = {}
  for s = 1, NX * NY do for _ = 1, S[g][s] do z[#z + 1] = s end end
  print(string.format("grey level %d: zones of size %s", g, table.concat(z, ", ")))
end

-- %% [markdown]
-- ## The same through `rad.extract`

-- %%
local fs = rad.extract(img, mask, {families = {"cm", "rlm", "szm"}, discretise = {method = "none"},
  texture = {aggregation = {"2D"}}})
local checks = {
  {"cm_contrast_2D_avg", c_avg}, {"cm_contrast_2D_comb", c_comb},
  {"cm_energy_2D_avg", e_avg}, {"cm_energy_2D_comb", e_comb},
  {"rlm_sre_2D_avg", sre_avg}, {"rlm_sre_2D_comb", sre_comb}, {"rlm_r_perc_2D_avg", rperc_avg},
  {"szm_sze_2D", sze}, {"szm_lze_2D", lze}, {"szm_z_perc_2D", nzones / (NX * NY)},
}
print(string.format("%-22s %12s %12s %10s", "feature", "by hand", "rad.extract", "difference"))
for _, c in ipairs(checks) do
  local tag, mine = c[1], c[2]
  print(string.format("%-22s %12.8f %12.8f %10.1e", tag, mine, fs[tag], mine - fs[tag]))
  assert(math.abs(mine - fs[tag]) < 1e-9, tag .. " disagrees")
end
print("all " .. #checks .. " agree")

-- %% [markdown]
-- ## Try this
--
-- 1. Change one voxel of `V` (e.g. the 1 in the bottom-right corner to a 3): predict which zone
--    sizes change, then re-run and check `szm_lze_2D`.
-- 2. Compute inverse difference (IB1Z), sum of p(i, j) / (1 + |i - j|), by hand from the merged
--    GLCM and compare with `fs.cm_inv_diff_2D_comb`.
-- 3. Add long run emphasis (W4KF), sum r(i, j) j^2 / N_s, to the GLRLM part and check it
--    against `fs.rlm_lre_2D_avg`.
-- 4. Ask for `aggregation = {"3D"}` too: why do the GLCM values stay the same on a single slice while
--    `rlm_sre_3D_avg` does not? (Hint: what is a run along z in a one-slice image?)
-- 5. Make the image 4 x 4 x 2 by copying the slice: which 3D zone counts change?
