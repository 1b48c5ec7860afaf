-- radlab: IBSI 1 reference values, config_c (see ibsi1.lua).
-- SPDX-License-Identifier: GPL-3.0-or-later
dofile((os.getenv("top_srcdir") or ".") .. "/tests/reference/ibsi1.lua")("config_c")
