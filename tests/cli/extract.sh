#!/bin/sh
# radlab: the extract and features subcommands.  SPDX-License-Identifier: GPL-3.0-or-later
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
d=$(mktemp -d /tmp/radlab-extract.XXXXXX)
trap 'rm -rf "$d"' EXIT
"$RADLAB" -e "
  local img = rad.image.new{size = {8, 8, 4}}
  local m = rad.mask.new(img)
  for k = 1, 4 do for j = 1, 8 do for i = 1, 8 do
    img:set(i, j, k, (i * j + k) % 9)
    if i > 2 and i < 7 and j > 2 and j < 7 then m:set(i, j, k, 2) end
  end end end
  img:write('$d/img.nii.gz'); m:write('$d/mask.nii.gz')" || notok "make the test files"
cat > "$d/s.lua" <<'LUA'
return {families = {"stat", "ih"}, discretise = {method = "fbn", bins = 8}}
LUA

"$RADLAB" extract "$d/img.nii.gz" "$d/mask.nii.gz" -s "$d/s.lua" --label 2 -o "$d/out.csv"
if [ $? -eq 0 ] && [ -s "$d/out.csv" ]; then ok "extract writes OUT.csv"; else notok "extract writes OUT.csv"; fi
[ "$(head -1 "$d/out.csv")" = "feature,value" ] && ok "CSV header" || notok "CSV header"
grep -q '^stat_mean,' "$d/out.csv" && ok "stat_mean row" || notok "stat_mean row"
grep -q '^ih_entropy,' "$d/out.csv" && ok "ih_entropy row" || notok "ih_entropy row"
grep -q '^cm_' "$d/out.csv" && notok "families setting respected" || ok "families setting respected (no cm_ rows)"
# same as the Lua API, digit for digit
want=$("$RADLAB" -e "
  local fs = rad.extract(rad.read('$d/img.nii.gz'), rad.read_mask('$d/mask.nii.gz', {label = 2}), dofile('$d/s.lua'))
  print(string.format('%.17g', fs.stat_mean))")
got=$(grep '^stat_mean,' "$d/out.csv" | cut -d, -f2)
[ "$want" = "$got" ] && ok "CSV value is the full-precision value ($got)" || notok "stat_mean $got vs $want"
"$RADLAB" extract "$d/img.nii.gz" "$d/mask.nii.gz" -s "$d/s.lua" | grep -q '^stat_max,' && ok "stdout output" || notok "stdout output"

"$RADLAB" extract "$d/img.nii.gz" 2>"$d/err"; s=$?
[ $s -eq 2 ] && grep -q "needs IMAGE and MASK" "$d/err" && ok "missing MASK: usage error 2" || notok "missing MASK ($s)"
"$RADLAB" extract "$d/img.nii.gz" "$d/mask.nii.gz" --bogus 2>"$d/err"; s=$?
[ $s -eq 2 ] && grep -q "unknown option '--bogus'" "$d/err" && ok "unknown option: 2" || notok "unknown option ($s)"
"$RADLAB" extract "$d/img.nii.gz" "$d/mask.nii.gz" --label 7 2>"$d/err"; s=$?
[ $s -eq 1 ] && grep -q "no voxel has label 7" "$d/err" && ok "absent label: 1 with message" || notok "absent label ($s)"
echo 'return {discretise = {method = "fbs", width = -1}}' > "$d/bad.lua"
"$RADLAB" extract "$d/img.nii.gz" "$d/mask.nii.gz" -s "$d/bad.lua" -o "$d/bad.csv" 2>"$d/err"; s=$?
[ $s -eq 1 ] && grep -q "bin width must be > 0" "$d/err" && ok "bad settings: 1 with message" || notok "bad settings ($s)"
[ ! -e "$d/bad.csv" ] && ok "no output file on failure" || notok "no output file on failure"
echo 'return 42' > "$d/notable.lua"
"$RADLAB" extract "$d/img.nii.gz" "$d/mask.nii.gz" -s "$d/notable.lua" 2>"$d/err"; s=$?
[ $s -eq 1 ] && grep -q "must return a table" "$d/err" && ok "settings file must return a table" || notok "settings returning 42 ($s)"

"$RADLAB" features > "$d/list"; s=$?
[ $s -eq 0 ] && grep -q '^cm_joint_max *GYBY *Joint maximum' "$d/list" && ok "features lists cm_joint_max GYBY" || notok "features list"
grep -q '^on filter response maps (settings.filters; .*): stat (man radlab-features, FILTERS)$' "$d/list" && ok "features names the families allowed on filter responses: stat" || notok "features: the filter response line"
"$RADLAB" features stat | grep -q '^stat_mean *Q4LE' && ok "features stat" || notok "features stat"
echo "1..$n"
