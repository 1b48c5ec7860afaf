-- radlab bad-input suite: tables and CSV.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

B.call("csv: file that does not exist", function() rad.read_csv(B.dir .. "/none.csv") end, "No such file")

B.done()
