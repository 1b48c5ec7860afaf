-- radlab bad-input suite: figures.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

B.call("km: table argument missing", function() rad.plot.km(nil, {time = "t", event = "e"}) end, "km")

B.done()
