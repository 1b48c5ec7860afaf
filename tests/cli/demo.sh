#!/bin/sh
# radlab: the README's main job (examples/demo.lua) runs and writes its files.
# SPDX-License-Identifier: GPL-3.0-or-later
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
out=$(mktemp -d /tmp/radlab-demo.XXXXXX)
trap 'rm -rf "$out"' EXIT
if log=$("$RADLAB" "$top_srcdir/examples/demo.lua" "$out" 2>&1); then ok "demo runs"; else notok "demo runs: $log"; fi
echo "$log" | sed 's/^/# /'
for f in phantom.nii.gz phantom_mask.nii.gz tumour_slice.png tumour_features.csv \
         fig_slice.png fig_histogram.png fig_km.png fig_forest.png report.png; do
  if [ -s "$out/$f" ]; then ok "demo wrote $f"; else notok "demo wrote $f"; fi
done
case "$log" in *"morph_volume"*) ok "the demo prints features" ;; *) notok "the demo prints features" ;; esac
case "$log" in *"connected components: 1 "*) ok "the tumour is one component" ;; *) notok "one component" ;; esac
# the PNG is a real 96x96 8-bit grey picture
sig=$(od -An -tx1 -N8 "$out/tumour_slice.png" | tr -d ' \n')
if [ "$sig" = 89504e470d0a1a0a ]; then ok "PNG signature"; else notok "PNG signature ($sig)"; fi
dims=$("$RADLAB" -e "local p = rad.read('$out/tumour_slice.png'); print(p:size())")
case "$dims" in "96	96	1") ok "PNG is 96x96" ;; *) notok "PNG size ($dims)" ;; esac
# same seed, same bytes
"$RADLAB" "$top_srcdir/examples/demo.lua" "$out/again" >/dev/null 2>&1
if cmp -s "$out/tumour_slice.png" "$out/again/tumour_slice.png" && cmp -s "$out/phantom.nii.gz" "$out/again/phantom.nii.gz" \
   && cmp -s "$out/tumour_features.csv" "$out/again/tumour_features.csv" \
   && cmp -s "$out/report.png" "$out/again/report.png"; then
  ok "re-running gives byte-identical files"
else
  notok "re-running gives byte-identical files"
fi
echo "1..$n"
