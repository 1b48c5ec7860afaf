#!/bin/sh
# radlab: extract --shard K/N, merge and the generated Slurm scripts (run
# with bash, without Slurm).  SPDX-License-Identifier: GPL-3.0-or-later
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
d=$(mktemp -d /tmp/radlab-shard.XXXXXX)
trap 'rm -rf "$d"' EXIT

mkdir "$d/c"
"$RADLAB" demo-cohort -n 7 --seed 3 -o "$d/c" >/dev/null || notok "demo cohort"
cat > "$d/s.lua" <<'LUA'
return {families = {"stat", "morph", "cm"}, discretise = {method = "fbn", bins = 16}}
LUA
m="$d/c/manifest.csv"
"$RADLAB" extract --cohort "$m" -s "$d/s.lua" -o "$d/single.csv" -j 2 2>/dev/null
check "single-process table" '[ $? -eq 0 ] && [ -s "$d/single.csv" ]'

# three shards, each on one thread
for k in 1 2 3; do
  "$RADLAB" extract --cohort "$m" -s "$d/s.lua" --shard "$k/3" -j 1 --no-cache -o "$d/shard_$k.csv" 2>"$d/err"
  check "shard $k/3 extracted" '[ $? -eq 0 ] && [ -s "$d/shard_$k.csv" ]'
done
check "provenance line" 'head -1 "$d/shard_2.csv" | grep -q "^#radlab-shard format=1 shard=2/3 cases=7 manifest=[0-9a-f]\{64\} settings=[0-9a-f]\{64\} version="'
check "row column first" 'sed -n 2p "$d/shard_1.csv" | grep -q "^row,id,label,status,error,"'
# the balance: total bytes (image + mask) per shard
total=0; max=0; min=
for k in 1 2 3; do
  rows=$(tail -n +3 "$d/shard_$k.csv" | cut -d, -f1 | tr '\n' ' ')
  bytes=0
  for r in $rows; do
    id=$(printf 'NB%03d' "$r")
    b=$(( $(stat -c %s "$d/c/${id}_ct.nii.gz") + $(stat -c %s "$d/c/${id}_seg.nii.gz") ))
    bytes=$((bytes + b))
  done
  echo "# shard $k/3: manifest rows $rows: $bytes bytes"
  total=$((total + bytes)); [ "$bytes" -gt "$max" ] && max=$bytes; [ -z "$min" ] || [ "$bytes" -lt "$min" ] && min=$bytes
done
# one case is at most ~0.85 MB; greedy largest-first keeps shards within one case
check "shards balanced: max - min = $((max - min)) bytes, below the largest case" '[ $((max - min)) -lt 850000 ]'
check "every manifest row in exactly one shard" '[ "$(tail -q -n +3 "$d"/shard_*.csv | cut -d, -f1 | sort -n | tr "\n" " ")" = "1 2 3 4 5 6 7 " ]'

"$RADLAB" merge "$d/shard_3.csv" "$d/shard_1.csv" "$d/shard_2.csv" -o "$d/all.csv" 2>"$d/err"
check "merge exit 0" '[ $? -eq 0 ]'
check "merge summary" 'grep -q "^radlab: 7 cases: 7 ok, 0 failed$" "$d/err"'
check "merged table byte-identical to the single-process table" 'cmp -s "$d/all.csv" "$d/single.csv"'

# failed cases: an 8th case with a missing mask; 8 shards, one holding only
# the failed case (so without feature columns)
cp "$m" "$d/c/m8.csv"
# the manifest's further columns stay empty for the extra row
extra=$(head -1 "$m" | awk -F, '{ s = ""; for (i = 5; i <= NF; i++) s = s ","; print s }')
echo "NB999,NB001_ct.nii.gz,nothing_seg.nii.gz,1$extra" >> "$d/c/m8.csv"
"$RADLAB" extract --cohort "$d/c/m8.csv" -s "$d/s.lua" -o "$d/single8.csv" 2>/dev/null
check "single-process run with a failed case: exit 3" '[ $? -eq 3 ]'
for k in 1 2 3 4 5 6 7 8; do
  "$RADLAB" extract --cohort "$d/c/m8.csv" -s "$d/s.lua" --shard "$k/8" -o "$d/s8_$k.csv" 2>/dev/null
  echo $? >> "$d/status8"
done
check "shards of 8: one exit 3, seven exit 0" '[ "$(sort "$d/status8" | tr "\n" " ")" = "0 0 0 0 0 0 0 3 " ]'
"$RADLAB" merge "$d"/s8_*.csv -o "$d/all8.csv" 2>"$d/err"
check "merge with a failed case: exit 3" '[ $? -eq 3 ]'
check "merge names the failed case" 'grep -q "^radlab: 8 cases: 7 ok, 1 failed (NB999: " "$d/err"'
check "merged table with a failed case byte-identical" 'cmp -s "$d/all8.csv" "$d/single8.csv"'

# bad shard specs
for spec in 3/2 0/0 1/0 a/b 2; do
  "$RADLAB" extract --cohort "$m" --shard "$spec" -o "$d/bad.csv" 2>"$d/err"
  check "--shard $spec: usage error 2" '[ $? -eq 2 ] && grep -q "^radlab: extract: --shard .$spec" "$d/err" && [ ! -e "$d/bad.csv" ]'
done
"$RADLAB" extract --cohort "$m" --shard 1/8 -o "$d/bad.csv" 2>"$d/err"
check "--shard 1/8 for 7 cases: error 1" '[ $? -eq 1 ] && grep -q "8 shards for the 7 cases of" "$d/err" && [ ! -e "$d/bad.csv" ]'

# merge bad inputs
"$RADLAB" merge "$d/shard_1.csv" "$d/shard_3.csv" -o "$d/bad.csv" 2>"$d/err"
check "missing shard named" '[ $? -eq 1 ] && grep -q "shard 2 of 3 is missing" "$d/err" && grep -q "manifest rows are in no shard given: rows 1, 6, 7" "$d/err" && [ ! -e "$d/bad.csv" ]'
cp "$d/shard_2.csv" "$d/copy_2.csv"
"$RADLAB" merge "$d/shard_1.csv" "$d/shard_2.csv" "$d/copy_2.csv" "$d/shard_3.csv" -o "$d/bad.csv" 2>"$d/err"
check "duplicated shard named with both files" '[ $? -eq 1 ] && grep -q "shard 2/3 is given 2 times: .*shard_2.csv., .*copy_2.csv." "$d/err" && grep -q "row 6 in .*shard_2.csv. and .*copy_2.csv." "$d/err" && [ ! -e "$d/bad.csv" ]'
echo 'return {families = {"stat", "morph", "cm"}, discretise = {method = "fbn", bins = 32}}' > "$d/s32.lua"
"$RADLAB" extract --cohort "$m" -s "$d/s32.lua" --shard 2/3 -o "$d/other_2.csv" 2>/dev/null
"$RADLAB" merge "$d/shard_1.csv" "$d/other_2.csv" "$d/shard_3.csv" -o "$d/bad.csv" 2>"$d/err"
check "shards under different settings: both files and digests" '[ $? -eq 1 ] && grep -q "shards made under different settings: .*shard_1.csv. has settings digest [0-9a-f]\{64\}, .*other_2.csv. has settings digest [0-9a-f]\{64\}" "$d/err" && [ ! -e "$d/bad.csv" ]'
head -4 "$m" > "$d/c/m3.csv"
"$RADLAB" extract --cohort "$d/c/m3.csv" -s "$d/s.lua" --shard 2/3 -o "$d/m3_2.csv" 2>/dev/null
"$RADLAB" merge "$d/shard_1.csv" "$d/m3_2.csv" "$d/shard_3.csv" -o "$d/bad.csv" 2>"$d/err"
check "shard of another manifest" '[ $? -eq 1 ] && grep -q "shards cut from different manifests" "$d/err" && [ ! -e "$d/bad.csv" ]'
sed '3s/,ok,/,interrupted,/' "$d/shard_2.csv" > "$d/int_2.csv"
"$RADLAB" merge "$d/shard_1.csv" "$d/int_2.csv" "$d/shard_3.csv" -o "$d/bad.csv" 2>"$d/err"
check "unfinished rows refused" '[ $? -eq 1 ] && grep -q "has status .interrupted.: its shard 2/3 did not finish" "$d/err" && [ ! -e "$d/bad.csv" ]'
"$RADLAB" merge "$d/single.csv" -o "$d/bad.csv" 2>"$d/err"
check "not a shard file" '[ $? -eq 1 ] && grep -q "is not a radlab shard file" "$d/err" && [ ! -e "$d/bad.csv" ]'
"$RADLAB" merge "$d/shard_1.csv" 2>"$d/err"
check "merge without -o: usage 2" '[ $? -eq 2 ] && grep -q "needs -o OUT.csv" "$d/err"'

# the Slurm scripts, run with bash, under hostile names
h="$d/o'ut \$(touch INJECTED) \`touch INJ2\` é"
mkdir -p "$h/co hort \$(touch INJECTED)"
cp "$d/c/"NB00*.nii.gz "$h/co hort \$(touch INJECTED)/"
cp "$m" "$h/co hort \$(touch INJECTED)/man'ifest \`touch INJ2\`.csv"
cp "$d/s.lua" "$h/sett'ings \$(touch INJECTED) é.lua"
(cd "$h" && "$RADLAB" slurm --cohort "co hort \$(touch INJECTED)/man'ifest \`touch INJ2\`.csv" \
  -s "sett'ings \$(touch INJECTED) é.lua" -n 3 -o "ou't \$(touch INJECTED) \`touch INJ2\` dir" --cpus 1 >"$d/out" 2>"$d/err")
check "slurm writes the scripts" '[ $? -eq 0 ] && [ -s "$h/ou'"'"'t \$(touch INJECTED) \`touch INJ2\` dir/extract.sbatch" ]'
check "slurm prints the submit commands" 'grep -q "^  jobid=\$(sbatch --parsable " "$d/out"'
o="$h/ou't \$(touch INJECTED) \`touch INJ2\` dir"
check "job array 1-3" 'grep -q "^#SBATCH --array=1-3$" "$o/extract.sbatch" && grep -q "^#SBATCH --cpus-per-task=1$" "$o/extract.sbatch"'
check "no user path in #SBATCH lines" '! cat "$o/extract.sbatch" "$o/merge.sbatch" | grep "^#SBATCH" | grep -q "/tmp"'
check "threads from SLURM_CPUS_PER_TASK" 'grep -q -- "-j \"\${SLURM_CPUS_PER_TASK:-1}\"" "$o/extract.sbatch"'
for k in 1 2 3; do
  (cd / && SLURM_ARRAY_TASK_ID=$k SLURM_CPUS_PER_TASK=1 bash "$o/extract.sbatch")
  check "array task $k exits 0" '[ $? -eq 0 ] && [ -s "$o/shards/shard_$k.csv" ]'
done
# (shards are dealt by file size: the expected counts follow the sizes of the
# .nii.gz files demo-cohort writes, which changed with libdeflate's compressor)
check "task log" 'grep -q "^radlab: 2 cases: 2 ok, 0 failed" "$o/logs/extract_1.log"'
(cd / && bash "$o/merge.sbatch")
check "merge job exits 0" '[ $? -eq 0 ]'
check "merge log" 'grep -q "^radlab: 7 cases: 7 ok, 0 failed" "$o/logs/merge.log"'
check "features.csv byte-identical to the single-process table" 'cmp -s "$o/features.csv" "$d/single.csv"'
check "no command ran from a path (no INJECTED, no INJ2 anywhere)" '[ -z "$(find "$d" / -xdev \( -name INJECTED -o -name INJ2 \) 2>/dev/null | head -1)" ]'
# a failed case does not fail the array task
(cd "$h" && "$RADLAB" slurm --cohort "$d/c/m8.csv" -s "$d/s.lua" -n 8 -o "$d/slurm8" >/dev/null 2>&1)
for k in 1 2 3 4 5 6 7 8; do SLURM_ARRAY_TASK_ID=$k bash "$d/slurm8/extract.sbatch" || echo "task $k: $?" >> "$d/fails8"; done
check "array tasks with a failed case exit 0 (status 3 logged)" '[ ! -e "$d/fails8" ] && grep -q "some cases failed (exit status 3)" "$d"/slurm8/logs/extract_*.log'
bash "$d/slurm8/merge.sbatch"
check "merge job with a failed case: exit 0, failure in its log, same table" '[ $? -eq 0 ] && grep -q "1 failed (NB999: " "$d/slurm8/logs/merge.log" && cmp -s "$d/slurm8/features.csv" "$d/single8.csv"'
env -u SLURM_ARRAY_TASK_ID bash "$d/slurm8/extract.sbatch" 2>"$d/err"
check "extract.sbatch outside an array: a clear error" '[ $? -ne 0 ] && grep -q "not a Slurm array task" "$d/err"'
echo "1..$n"
