#!/bin/sh
# radlab: stock lua5.4 can `require "rad"` from the built C module.
# SPDX-License-Identifier: GPL-3.0-or-later
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
if [ -z "$RADLAB_LUA" ] || [ "$RADLAB_LUA" = no ] || ! command -v "$RADLAB_LUA" >/dev/null 2>&1; then
  echo "ok 1 # SKIP stock lua5.4 interpreter not found (install lua5.4)"
  echo "1..1"
  exit 0
fi
# A sanitizer build's rad.so needs the ASan runtime loaded first into the
# (uninstrumented) stock interpreter.
if [ "$RADLAB_SANITIZERS" = yes ]; then
  LD_PRELOAD="$(${CC:-cc} -print-file-name=libasan.so) $(${CC:-cc} -print-file-name=libubsan.so)"
  ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
  export LD_PRELOAD ASAN_OPTIONS
fi
out=$(LUA_CPATH="$RADLAB_CMOD/?.so" "$RADLAB_LUA" -e '
  local rad = require "rad"
  local img = rad.image.new{size = {3, 3, 3}, value = 2}
  print(rad.version, img:stats().mean, rad.help(rad.read) ~= nil)' 2>&1)
case "$out" in
  *"2.0	true"*) ok "lua5.4 loads rad.so, builds an image, finds help" ;;
  *) notok "lua5.4 loads rad.so (got: $out)" ;;
esac
out=$(LUA_CPATH="$RADLAB_CMOD/?.so" "$RADLAB_LUA" -e 'local rad = require "rad"; rad.read("/nonexistent.nii")' 2>&1)
case "$out" in
  *"cannot open '/nonexistent.nii'"*) ok "errors reach stock Lua as Lua errors" ;;
  *) notok "error from rad.read (got: $out)" ;;
esac
# rad.plot is the module rad_plot.so beside rad.so, loaded on first use:
# before it, no cairo in the process; after it, a figure
out=$(LUA_CPATH="$RADLAB_CMOD/?.so" "$RADLAB_LUA" -e '
  local rad = require "rad"
  local function cairo() return io.open("/proc/self/maps"):read("a"):find("libcairo", 1, true) ~= nil end
  local before, raw = cairo(), rawget(rad, "plot")
  local w = rad.plot.lines({y = {1, 2}}, {width = 90, height = 50}):size()
  print(before, raw, cairo(), w, rawget(rad, "plot") == package.loaded.rad_plot)' 2>&1)
case "$out" in
  "false	nil	true	90.0	true") ok "lua5.4: rad.plot loads rad_plot.so (and cairo) on first use only" ;;
  *) notok "lua5.4: rad.plot on first use (got: $out)" ;;
esac
out=$(LUA_CPATH="$RADLAB_CMOD/?.so" "$RADLAB_LUA" -e 'require "rad_plot"' 2>&1)
case "$out" in
  *"rad_plot: load the rad module first"*) ok "rad_plot alone: an error saying to load rad first" ;;
  *) notok "rad_plot without rad (got: $out)" ;;
esac
echo "1..$n"
