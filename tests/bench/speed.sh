#!/bin/sh
# radlab benchmark: the rows of the speed issue (issue 13) that need no other
# tool, as one table: row, what, median seconds of N runs, max RSS (MiB).
# Prints figures; asserts nothing; not part of `make check` (make bench-speed).
#
#   tests/bench/speed.sh            run from the top build folder
#   RUNS=7 MODEL_RUNS=3 RADLAB=./radlab RADLAB_DATA=../shared/data tests/bench/speed.sh
#   (MODEL_RUNS=0: extraction rows only)
#
# Extraction rows time the whole process (radlab extract IMAGE MASK -s ...):
# wall time from date +%s%N around GNU time, which gives the maximum
# resident set.  The model
# rows run tests/bench/survival.lua and tests/bench/coxnet.lua (seeded
# synthetic data) and take the time those scripts print for the fit (their
# clock: see the scripts), the RSS of the whole script.  Rows whose data or
# tools are absent are skipped, saying why.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
here=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-7}
MODEL_RUNS=${MODEL_RUNS:-3}
RADLAB=${RADLAB:-./radlab}
data=${RADLAB_DATA:-../shared/data}
settings_py=$here/pyradiomics_like.lua
settings_compat=$here/../reference/pyradiomics/default.lua
settings_c=$here/../reference/ibsi1/config_c.lua
ct=$data/ibsi1/ct_phantom
py=$data/pyradiomics
tmp=$(mktemp -d "${TMPDIR:-/tmp}/radlab-speed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$RADLAB" ]; then
  echo "speed.sh: $RADLAB not found or not executable; build first or set RADLAB=path/to/radlab" >&2
  exit 1
fi
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
  echo "speed.sh: needs GNU time as /usr/bin/time (Debian: apt-get install time)" >&2
  exit 1
fi

# median of the numbers on standard input (one a line)
median() { sort -n | awk '{v[NR] = $1} END {if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
maxof() { sort -n | tail -1; }

rows=$tmp/rows
notes=$tmp/notes
: >"$rows"
: >"$notes"
row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$rows"; }
skip() { row "$1" "$2" "skipped" "-"; echo "$1: skipped: $3" >>"$notes"; }

# whole process, RUNS times: row, what, command...
timed() {
  name=$1 what=$2
  shift 2
  : >"$tmp/t"
  : >"$tmp/m"
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    t0=$(date +%s%N)
    if ! /usr/bin/time -o "$tmp/one" -f '%M' "$@" >/dev/null 2>"$tmp/err"; then
      row "$name" "$what" "failed" "-"
      echo "$name: failed: $(tail -1 "$tmp/err")" >>"$notes"
      return
    fi
    t1=$(date +%s%N)
    echo "$t0 $t1" | awk '{printf "%.3f\n", ($2 - $1) / 1e9}' >>"$tmp/t"
    tail -1 "$tmp/one" | awk '{print $1 / 1024}' >>"$tmp/m"
    i=$((i + 1))
  done
  row "$name" "$what" "$(median <"$tmp/t")" "$(maxof <"$tmp/m" | awk '{printf "%.0f", $1}')"
}

extract_row() { # row, what, image, mask, settings [label]
  if [ -f "$3" ] && [ -f "$4" ]; then
    if [ $# -ge 6 ]; then
      timed "$1" "$2" "$RADLAB" extract "$3" "$4" -s "$5" --label "$6" -o "$tmp/out.csv"
    else
      timed "$1" "$2" "$RADLAB" extract "$3" "$4" -s "$5" -o "$tmp/out.csv"
    fi
  else
    skip "$1" "$2" "$3 or $4 not found (set RADLAB_DATA)"
  fi
}

timed "start-up" "radlab -e '' (the process doing nothing)" "$RADLAB" -e ''
# the PyRadiomics comparison: compat = "pyradiomics" with PyRadiomics'
# defaults (its definitions and names), and IBSI settings close to them
extract_row "ct-compat" "CT phantom, compat = pyradiomics (PyRadiomics defaults)" \
  "$ct/image.nii.gz" "$ct/mask.nii.gz" "$settings_compat"
extract_row "ct-pyradiomics" "CT phantom, IBSI PyRadiomics-like (7 classes, native grid)" \
  "$ct/image.nii.gz" "$ct/mask.nii.gz" "$settings_py"
extract_row "brain1-compat" "brain1 (PyRadiomics test case), compat = pyradiomics" \
  "$py/brain1_image.nrrd" "$py/brain1_label.nrrd" "$settings_compat" 1
extract_row "brain1" "brain1 (PyRadiomics test case), IBSI PyRadiomics-like" \
  "$py/brain1_image.nrrd" "$py/brain1_label.nrrd" "$settings_py" 1
extract_row "brain2-compat" "brain2 (PyRadiomics test case), compat = pyradiomics" \
  "$py/brain2_image.nrrd" "$py/brain2_label.nrrd" "$settings_compat" 1
extract_row "brain2" "brain2 (PyRadiomics test case), IBSI PyRadiomics-like" \
  "$py/brain2_image.nrrd" "$py/brain2_label.nrrd" "$settings_py" 1
extract_row "ct-config-c" "CT phantom, IBSI configuration C (2 mm resampling)" \
  "$ct/image.nii.gz" "$ct/mask.nii.gz" "$settings_c"
if [ -f "$ct/image.nii.gz" ] && [ -f "$ct/mask.nii.gz" ] && command -v gzip >/dev/null 2>&1; then
  timed "gzip-floor" "gzip -dc of the CT image and mask to /dev/null" \
    sh -c 'gzip -dc "$1" "$2" >/dev/null' sh "$ct/image.nii.gz" "$ct/mask.nii.gz"
else
  skip "gzip-floor" "gzip -dc of the CT image and mask" "CT phantom or gzip not found"
fi

# model rows: run a bench script MODEL_RUNS times; take the ms its line
# starting with `label` prints first (survival.lua: CPU time of the fit,
# single-threaded; coxnet.lua: wall time, the CV folds being parallel)
model_rows() { # script, then pairs of (row, what, label)
  script=$1
  shift
  if [ "$MODEL_RUNS" -le 0 ]; then
    while [ $# -ge 3 ]; do skip "$1" "$2" "MODEL_RUNS=0"; shift 3; done
    return
  fi
  : >"$tmp/m"
  : >"$tmp/outs"
  i=0
  while [ "$i" -lt "$MODEL_RUNS" ]; do
    if ! /usr/bin/time -o "$tmp/one" -f '%e %M' "$RADLAB" "$script" >"$tmp/out.$i" 2>"$tmp/err"; then
      while [ $# -ge 3 ]; do row "$1" "$2" "failed" "-"; shift 3; done
      echo "$script: failed: $(tail -1 "$tmp/err")" >>"$notes"
      return
    fi
    tail -1 "$tmp/one" | awk '{print $2 / 1024}' >>"$tmp/m"
    echo "$tmp/out.$i" >>"$tmp/outs"
    i=$((i + 1))
  done
  rss=$(maxof <"$tmp/m" | awk '{printf "%.0f", $1}')
  while [ $# -ge 3 ]; do
    # the first "<number> ms" after the label: wall time (coxnet.lua also prints the CPU time after it)
    t=$(cat $(cat "$tmp/outs") | awk -v l="$3" 'index($0, l) == 1 {
      r = substr($0, length(l) + 1); if (match(r, /[0-9.]+ ms/)) print substr(r, RSTART, RLENGTH - 3) / 1000}' | median)
    row "$1" "$2" "$t" "$rss"
    shift 3
  done
  # anything the script says about coordinate passes (penalised Cox)
  grep -i "passes" "$tmp/out.0" | sed "s|^|$(basename "$script"): |" >>"$notes"
}

model_rows "$here/survival.lua" \
  "cox-efron" "Cox, Efron ties, 100,000 x 10 (fit only)" "rad.cox 100,000 x 10, ties = efron"
model_rows "$here/coxnet.lua" \
  "coxnet-path" "lasso-Cox path, 1,000 x 2,000, 100 lambdas (fit only)" "lasso Cox path, 1,000 x 2,000" \
  "coxnet-cv" "lasso-Cox 10-fold CV, 300 x 5,000 (fit only)" "lasso Cox path + 10-fold CV, 300 x 5,000"

echo "radlab speed benchmark: $RADLAB, $RUNS runs per process row, $MODEL_RUNS per model row; $(nproc 2>/dev/null || echo '?') processors, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
awk -F '\t' 'BEGIN {printf "%-15s %-58s %10s %8s\n", "row", "what", "median s", "max MiB"}
  {printf "%-15s %-58s %10s %8s\n", $1, $2, $3, $4}' "$rows"
if [ -s "$notes" ]; then
  echo
  cat "$notes"
fi
