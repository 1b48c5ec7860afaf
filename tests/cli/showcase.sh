#!/bin/sh
# radlab: the README's main job (notebooks/neuroblastoma.lua) runs from a
# clean folder, writes the report and prints the comparison of the models.
# SPDX-License-Identifier: GPL-3.0-or-later
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
out=$(mktemp -d /tmp/radlab-showcase.XXXXXX)
trap 'rm -rf "$out"' EXIT
if log=$("$RADLAB" "$top_srcdir/notebooks/neuroblastoma.lua" "$out/nb" 2>&1); then ok "the showcase runs"; else notok "the showcase runs: $log"; fi
echo "$log" | sed 's/^/# /'
for f in cohort/manifest.csv report/features.csv report/selected.csv report/metrics.csv report/cohort.csv \
         report/manifest.json report/methods.md report/summary.png report/summary.pdf report/report_2.png \
         report/km_train.png report/km_test_B.png report/td_roc.png report/calibration.png report/dca.png \
         report/forest.png report/lasso.png report/nomogram.png report/example_slices.png; do
  if [ -s "$out/nb/$f" ]; then ok "wrote $f"; else notok "wrote $f"; fi
done
# the printed comparison: every model on both centres, delta C with p on centre B
for m in clinical radiomics combined; do
  if echo "$log" | grep -Eq "^$m +train +0\.[0-9]{3} \("; then ok "prints $m on the training centre"; else notok "prints $m on the training centre"; fi
done
case "$log" in *"combined   test_B "*"p "*) ok "prints combined vs clinical on centre B with p" ;; *) notok "prints delta C on centre B" ;; esac
case "$log" in *"time: load "*"report "*) ok "prints the time per step" ;; *) notok "prints the time per step" ;; esac
rows=$(grep -c '^combined,test_B,' "$out/nb/report/metrics.csv")
if [ "$rows" -ge 7 ]; then ok "metrics.csv: $rows metrics of the combined model on centre B"; else notok "metrics.csv: combined on centre B ($rows rows)"; fi
# a second run: every case from the cache, the same numbers
log2=$("$RADLAB" "$top_srcdir/notebooks/neuroblastoma.lua" "$out/nb" 2>&1)
case "$log2" in *"(150 from the cache)"*) ok "a re-run takes every case from the cache" ;; *) notok "re-run from the cache" ;; esac
cp "$out/nb/report/metrics.csv" "$out/m1.csv"
if cmp -s "$out/m1.csv" "$out/nb/report/metrics.csv" && "$RADLAB" "$top_srcdir/notebooks/neuroblastoma.lua" "$out/nb" >/dev/null 2>&1 \
   && cmp -s "$out/m1.csv" "$out/nb/report/metrics.csv"; then ok "re-runs give byte-identical metrics"; else notok "byte-identical metrics"; fi
# the binary showcase on the same cohort: MYCN from CT, features from the shared cache
if log3=$("$RADLAB" "$top_srcdir/notebooks/neuroblastoma_mycn.lua" "$out/nb" 2>&1); then ok "the MYCN showcase runs"; else notok "the MYCN showcase runs: $log3"; fi
echo "$log3" | sed 's/^/# /'
case "$log3" in *"(150 from the cache)"*) ok "MYCN: features from the shared cache" ;; *) notok "MYCN: shared cache" ;; esac
if echo "$log3" | grep -Eq "^combined +test +0\.[0-9]{3} \(.*p "; then ok "MYCN: prints the combined model's AUC and the DeLong p"; else notok "MYCN: AUC line"; fi
for f in metrics.csv roc_test.png calibration.png dca.png summary.png manifest.json methods.md; do
  if [ -s "$out/nb/report_mycn/$f" ]; then ok "MYCN wrote $f"; else notok "MYCN wrote $f"; fi
done
echo "1..$n"
