#!/bin/sh
# radlab: the REPL survives every kind of bad input file (driven by piping).
# SPDX-License-Identifier: GPL-3.0-or-later
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
d=$(mktemp -d /tmp/radlab-replbad.XXXXXX)
trap 'rm -rf "$d"' EXIT

# make the files: a good volume, then damaged copies of it
"$RADLAB" -e "
  local img = rad.image.new{size = {16, 16, 8}}
  for k = 1, 8 do for j = 1, 16 do for i = 1, 16 do img:set(i, j, k, math.cos(i * j + k)) end end end
  img:write('$d/good.nii.gz'); img:write('$d/good.nii')
  rad.mask.new(img):write('$d/empty.nii.gz')
  local shifted = rad.mask.new{size = {16, 16, 8}, origin = {0, 0, 4}}
  shifted:set(1, 1, 1, 1); shifted:write('$d/shifted.nii.gz')" || notok "could not make the test files"
size=$(wc -c < "$d/good.nii.gz")
head -c $((size / 2)) "$d/good.nii.gz" > "$d/cut.nii.gz"
head -c 2000 "$d/good.nii" > "$d/short.nii"
echo "this is a text file" > "$d/text.nii"
# a 4D header: dim[0] = 4 (bytes 40-41), dim[4] = 3 (bytes 48-49), little endian
cp "$d/good.nii" "$d/fourd.nii"
printf '\004\000' | dd of="$d/fourd.nii" bs=1 seek=40 conv=notrunc 2>/dev/null
printf '\003\000' | dd of="$d/fourd.nii" bs=1 seek=48 conv=notrunc 2>/dev/null
# an unsupported datatype: RGB24 = 128 (bytes 70-71), bitpix 24 (bytes 72-73)
cp "$d/good.nii" "$d/rgb.nii"
printf '\200\000\030\000' | dd of="$d/rgb.nii" bs=1 seek=70 conv=notrunc 2>/dev/null

out=$("$RADLAB" 2>&1 <<EOF
rad.read("$d/missing.nii.gz")
rad.read("$d/cut.nii.gz")
rad.read("$d/short.nii")
rad.read("$d/rgb.nii")
rad.read("$d/fourd.nii")
rad.read("$d/text.nii")
rad.read_mask("$d/empty.nii.gz")
rad.read("$d/good.nii.gz"):stats(rad.read_mask("$d/shifted.nii.gz"))
print("alive " .. rad.read("$d/good.nii.gz"):size())
EOF
)
status=$?
check() {
  case "$out" in *"$1"*) ok "$2" ;; *) notok "$2"; echo "# wanted: $1"; echo "$out" | sed 's/^/# /' ;; esac
}
check "No such file or directory" "missing file"
check "cut.nii.gz' is truncated" "truncated .nii.gz"
check "short.nii' is truncated: the header promises 8192 bytes" "header/data size mismatch"
check "unsupported NIfTI datatype RGB24" "unsupported datatype"
check "is a 4D image (dimension 4 has 3 time points)" "4D image"
check "text.nii' is not a NIfTI file" "text file named .nii"
check "the mask is empty" "empty mask"
check "image and mask geometries differ" "geometry mismatch"
check "alive 16" "the REPL is alive after all of them"
if [ $status -eq 0 ]; then ok "the REPL exits 0 at end of input"; else notok "REPL exit status $status"; fi
case "$out" in *"AddressSanitizer"*|*"runtime error"*|*"Segmentation"*) notok "no sanitizer report or crash" ;; *) ok "no sanitizer report or crash" ;; esac
echo "1..$n"
