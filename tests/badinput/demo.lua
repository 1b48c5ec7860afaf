-- radlab bad-input suite: the generated neuroblastoma cohort (rad.demo.neuroblastoma,
-- radlab demo-cohort, rad.synth.abdomen).  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")
local dir = B.dir
local nb = rad.demo.neuroblastoma
local out = {dir .. "/manifest.csv", dir .. "/NB001_ct.nii.gz", dir .. "/NB001_seg.nii.gz"}
local none = dir .. "/no such folder"
local out_none = {none .. "/manifest.csv", none .. "/NB001_ct.nii.gz"}

B.call("neuroblastoma: n = 0", function() nb{n = 0, dir = dir} end,
  "rad.demo.neuroblastoma: n must be an integer from 1 to 100000 (patients), got 0", {writes = out})
B.call("neuroblastoma: n = 2.5", function() nb{n = 2.5, dir = dir} end, "n must be an integer from 1 to 100000 (patients), got 2.5",
  {writes = out})
B.call("neuroblastoma: seed not an integer", function() nb{n = 2, seed = "x", dir = dir} end,
  "seed must be an integer, got x", {writes = out})
B.call("neuroblastoma: centres = 5", function() nb{n = 2, centres = 5, dir = dir} end,
  "centres must be an integer from 1 to 4, got 5", {writes = out})
B.call("neuroblastoma: unknown option", function() nb{count = 3, dir = dir} end,
  "unknown option 'count' (options: n, seed, dir, centres, images, truth)", {writes = out})
B.call("neuroblastoma: options not a table", function() nb(5) end,
  "expected an options table {n =, seed =, dir =, centres =, images =}, got number")
B.call("neuroblastoma: no dir", function() nb{n = 2} end,
  "dir = \"folder\" is needed to write the images, masks and manifest.csv (or images = false for the clinical table only)")
B.call("neuroblastoma: dir does not exist", function() nb{n = 2, dir = none} end,
  "cannot write into the folder '" .. none .. "' (it does not exist or is not writable); create it first", {writes = out_none})
B.call("neuroblastoma: images not a boolean", function() nb{n = 2, dir = dir, images = "no"} end,
  "images must be true or false, got string", {writes = out})

B.call("synth: size too small", function() rad.synth.abdomen{size = {4, 96, 40}} end,
  "rad.synth.abdomen: size[1] = 4 must be an integer from 8 to 1024")
B.call("synth: spacing 0", function() rad.synth.abdomen{spacing = {0.8, 0, 2.5}} end,
  "spacing[2] = 0 is out of range; use a value in (0, 20] mm")
B.call("synth: unknown option", function() rad.synth.abdomen{radus = 10} end, "radus")
B.call("synth: lobulation out of range", function() rad.synth.abdomen{lobulation = 2} end,
  "lobulation = 2 is out of range; use a value in [0, 1]")
B.call("synth: tumour too large", function() rad.synth.abdomen{radius = 30} end,
  "tumour radius = 30 mm does not fit the field of view; use 2 to 22.1 mm or a larger size/spacing")

B.cli("demo-cohort: no -o", {"demo-cohort", "-n", "3"}, {status = 2,
  stderr = "demo-cohort: needs -o DIR, the folder to write the cohort into (try radlab demo-cohort --help)"})
B.cli("demo-cohort: -n not a number", {"demo-cohort", "-n", "abc", "-o", dir}, {status = 2,
  stderr = "demo-cohort: -n must be an integer, got 'abc'", writes = out})
B.cli("demo-cohort: -n 0", {"demo-cohort", "-n", "0", "-o", dir}, {status = 1,
  stderr = "radlab: demo-cohort: -n must be an integer from 1 to 100000 (patients), got 0", writes = out})
B.cli("demo-cohort: --centres 9", {"demo-cohort", "--centres", "9", "-o", dir}, {status = 1,
  stderr = "demo-cohort: --centres must be an integer from 1 to 4, got 9", writes = out})
B.cli("demo-cohort: folder missing", {"demo-cohort", "-n", "2", "-o", none}, {status = 1,
  stderr = "cannot write into the folder '" .. none .. "'", writes = out_none})
B.cli("demo-cohort: unknown option", {"demo-cohort", "--size", "3", "-o", dir}, {status = 2,
  stderr = "demo-cohort: unknown option '--size'", writes = out})
B.cli("demo-cohort: -o without value", {"demo-cohort", "-o"}, {status = 2, stderr = "option -o needs a value"})

B.done()
