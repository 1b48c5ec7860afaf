-- radlab bad-input suite: image, NIfTI, NRRD and PNG readers.  SPDX-License-Identifier: GPL-3.0-or-later
local B = dofile(os.getenv("top_srcdir") .. "/tests/badinput/common.lua")

B.call("image: file that does not exist", function() rad.read(B.dir .. "/none.nii.gz") end, "No such file")

B.done()
