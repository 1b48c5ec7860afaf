-- radlab: IBSI 1 reference values, config_a (see ibsi1.lua).
-- SPDX-License-Identifier: GPL-3.0-or-later
dofile((os.getenv("top_srcdir") or ".") .. "/tests/reference/ibsi1.lua")("config_a")
