-- radlab bad-input suite: model calls (Cox, logistic, validation).  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

local t = rad.table.new{{"time", {1, 2, 3, 4}}, {"event", {1, 0, 1, 1}}, {"x", {1, 2, 3, 4}}}
B.call("cox: time column that does not exist", function() rad.cox(t, {time = "efs", event = "event", x = {"x"}}) end, "no column 'efs' in the table")

B.done()
