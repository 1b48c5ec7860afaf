-- radlab bad-input suite: command lines and masks.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

B.cli("radlab: script that does not exist", {B.dir .. "/none.lua"}, {status = 1, stderr = "none.lua"})

B.done()
