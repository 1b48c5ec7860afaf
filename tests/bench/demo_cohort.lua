-- radlab benchmark: generating the synthetic neuroblastoma cohort (not a test).
-- SPDX-License-Identifier: GPL-3.0-or-later
-- Run as: radlab tests/bench/demo_cohort.lua [N]
-- Prints the wall and CPU time to write N (default 150) patients' CT volumes,
-- masks and manifest, then properties of the truth model: 5-year EFS,
-- Harrell's C of the clinical Cox model with and without the latent tumour
-- scores (apparent, 400 patients), and the AUC of the latent image scores for MYCN.
local N = tonumber(arg and arg[1]) or 150
local demo = require "rad.demo"
local p = io.popen("mktemp -d /tmp/radlab-bench.XXXXXX")
local dir = p:read("l")
p:close()

local function wall()
  local f = io.popen("date +%s.%N")
  local s = tonumber(f:read("l"))
  f:close()
  return s
end
local w0, c0 = wall(), os.clock()
demo.neuroblastoma{n = N, seed = 1, dir = dir}
local w1, c1 = wall(), os.clock()
local f = io.popen("du -sk '" .. dir .. "'")
local kb = tonumber(f:read("l"):match("^(%d+)"))
f:close()
print(string.format("generate %d patients (images, masks, manifest)   %6.2f s wall, %6.2f s CPU, %.1f patients/s, %.0f MB",
  N, w1 - w0, c1 - c0, N / (w1 - w0), kb / 1024))
os.execute("rm -rf '" .. dir .. "'")

local NB = demo.NB
local big = demo.neuroblastoma{n = 20000, seed = 7, images = false, truth = true}
local s, lp = 0, big:col("true_lp")
for i = 1, #lp do s = s + math.exp(-NB.baseline * 60 ^ NB.weibull_shape * math.exp(lp[i])) end
print(string.format("5-year EFS (truth model, 20000 patients)             %6.3f", s / #lp))

for seed = 1, 3 do
  local t = demo.neuroblastoma{n = 400, seed = seed, images = false, truth = true}
  local age, st, hi, ldh, fer = t:col("age"), t:col("stage"), t:col("histology"), t:col("ldh"), t:col("ferritin")
  local c = {{}, {}, {}, {}, {}}
  for i = 1, #age do
    c[1][i] = age[i] >= 18 and 1 or 0
    c[2][i] = st[i] == "M" and 1 or 0
    c[3][i] = hi[i] == "unfavourable" and 1 or 0
    c[4][i] = ldh[i] >= NB.ldh_cut and 1 or 0
    c[5][i] = fer[i] >= NB.ferritin_cut and 1 or 0
  end
  local d = rad.table.new{{"efs", t:col("efs")}, {"efs_event", t:col("efs_event")}, {"age18", c[1]}, {"stage_m", c[2]},
    {"mycn", t:col("mycn")}, {"del11q", t:col("del11q")}, {"unfav", c[3]}, {"ldh_high", c[4]}, {"fer_high", c[5]},
    {"het", t:col("latent_heterogeneity")}, {"nec", t:col("latent_necrosis")}, {"calc", t:col("latent_calcification")},
    {"vol", t:col("latent_volume")}}
  local clin = {"age18", "stage_m", "mycn", "del11q", "unfav", "ldh_high", "fer_high"}
  local both = {table.unpack(clin)}
  for _, k in ipairs{"het", "nec", "calc", "vol"} do both[#both + 1] = k end
  local f1 = rad.cox(d, {time = "efs", event = "efs_event", x = clin})
  local f2 = rad.cox(d, {time = "efs", event = "efs_event", x = both})
  local c1c = rad.concordance(d, {time = "efs", event = "efs_event", score = f1:predict(d)}).harrell
  local c2c = rad.concordance(d, {time = "efs", event = "efs_event", score = f2:predict(d)}).harrell
  local lg = rad.logistic(d, {y = "mycn", x = {"het", "nec", "calc", "vol"}})
  local auc = rad.roc(d:col("mycn"), lg:predict(d)).auc
  print(string.format("seed %d, 400 patients: C clinical %.3f, clinical + latent tumour %.3f; MYCN AUC of the latent scores %.3f",
    seed, c1c, c2c, auc))
end
