#!/bin/sh
# radlab: tests of tests/browser/check_html.sh on the hand-written pages in
# tests/browser/fixtures (a good page, broken images, an overflowing page).
# Skips, loudly, when no Chromium is installed.
# SPDX-License-Identifier: GPL-3.0-or-later
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
here=${top_srcdir:-.}/tests/browser
checker="$here/check_html.sh"

# the checker writes a screenshot beside the page: work on a copy
d=$(mktemp -d /tmp/radlab-browser.XXXXXX)
trap 'rm -rf "$d"' EXIT
cp "$here/fixtures/good.html" "$here/fixtures/broken.html" "$here/fixtures/overflow.html" \
   "$here/fixtures/figure.png" "$d/"

# png_size FILE: "WIDTH HEIGHT" from the IHDR chunk
png_size() {
  od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%d %d\n", (($1*256+$2)*256+$3)*256+$4, (($5*256+$6)*256+$7)*256+$8 }'
}

run() { # run NAME PAGE [WIDTH]: output in $d/NAME.out, status in $st
  name=$1; shift
  t0=$(date +%s)
  sh "$checker" "$@" >"$d/$name.out" 2>"$d/$name.err"; st=$?
  echo "# $name: exit $st in $(($(date +%s) - t0)) s"
  sed 's/^/#   /' "$d/$name.out" "$d/$name.err"
}

# the good page: both images load (a data URI and figure.png beside the
# page), the wide <pre> scrolls inside its box, so nothing overflows
run good "$d/good.html"
# no browser: the checker's own boxed message, and a skip (exit 77)
if [ $st -eq 77 ]; then
  cat "$d/good.err" >&2
  echo "1..0 # SKIP no chromium / chromium-browser / google-chrome installed: HTML pages not checked"
  exit 0
fi
check "good page passes (exit 0)" '[ $st -eq 0 ]'
check "good page: 2 of 2 images loaded" 'grep -q "^verdict .*\"images\":{\"total\":2,\"loaded\":2,\"failed\":\[\]}" "$d/good.out"'
check "good page: no overflow at 1024 px" 'grep -q "^verdict {\"width\":1024,\"viewport\":1024,\"scrollWidth\":1024,.*\"overflow\":\[\],\"ok\":true" "$d/good.out"'
check "good page: no FAIL line" '! grep -q "^FAIL" "$d/good.out"'
check "good page: PASS line" 'grep -q "^PASS $d/good.html at 1024 px: 2 images loaded, no horizontal overflow" "$d/good.out"'
check "good page: screenshot good.png, 1024 px wide" '[ -s "$d/good.png" ] && [ "$(png_size "$d/good.png" | cut -d" " -f1)" = 1024 ] && grep -q "^screenshot $d/good.png$" "$d/good.out"'
check "good page: the probe copy is removed" '[ -z "$(find "$d" -name ".check_html.*")" ]'

# two broken images among one that loads, each named by its src
run broken "$d/broken.html"
check "broken images fail (exit 1)" '[ $st -eq 1 ]'
check "broken: 1 of 3 loaded" 'grep -q "\"images\":{\"total\":3,\"loaded\":1," "$d/broken.out"'
check "broken: the missing file is named" 'grep -qx "FAIL image not loaded: figures/missing.png" "$d/broken.out"'
check "broken: the bad data URI is named, shortened" 'grep -qx "FAIL image not loaded: data:image/png;base64,iVBORw0KGgoAAAANSU\.\.\.(94 chars)" "$d/broken.out"'
check "broken: the good image is not named" '! grep -q "figure.png" "$d/broken.out"'
check "broken: no overflow reported" '! grep -q "overflow:" "$d/broken.out" && grep -q "\"overflow\":\[\]" "$d/broken.out"'
check "broken: summary counts 2 problems" 'grep -q "^FAIL $d/broken.html at 1024 px: 2 problems" "$d/broken.out"'

# a 1500 px table widens the page; the long <pre> line runs out of its box
run overflow "$d/overflow.html"
check "overflowing page fails (exit 1)" '[ $st -eq 1 ]'
check "overflow: document width named" 'grep -qx "FAIL document 1508 px wide in a 1024 px window" "$d/overflow.out"'
check "overflow: the table is named" 'grep -qx "FAIL overflow: table#features reaches 1508 px (window 1024 px)" "$d/overflow.out"'
check "overflow: the pre is named" 'grep -q "^FAIL overflow: pre.output reaches 1[01][0-9][0-9] px (window 1024 px)$" "$d/overflow.out"'
check "overflow: only the outermost two are named (not the cells, not the paragraph)" '[ "$(grep -c "^FAIL overflow: " "$d/overflow.out")" = 2 ] && grep -q "\"overflowCount\":2}" "$d/overflow.out"'
check "overflow: screenshot saved" '[ -s "$d/overflow.png" ]'

# the same page in a window wide enough for it passes
run wide "$d/overflow.html" 1600
check "overflowing page passes at 1600 px" '[ $st -eq 0 ] && grep -q "^verdict {\"width\":1600,\"viewport\":1600,\"scrollWidth\":1600," "$d/wide.out"'
check "1600 px screenshot is 1600 px wide" '[ "$(png_size "$d/overflow.png" | cut -d" " -f1)" = 1600 ]'

# usage and missing browser
sh "$checker" >/dev/null 2>"$d/usage.err"; st=$?
check "no argument: usage, exit 2" '[ $st -eq 2 ] && grep -q "^usage: check_html.sh PAGE.html \[WIDTH\]" "$d/usage.err"'
sh "$checker" "$d/nothere.html" >/dev/null 2>"$d/missing.err"; st=$?
check "missing page: named, exit 2" '[ $st -eq 2 ] && grep -qx "check_html: no such page: $d/nothere.html" "$d/missing.err"'
sh "$checker" "$d/good.html" wide >/dev/null 2>"$d/width.err"; st=$?
check "bad width: exit 2" '[ $st -eq 2 ] && grep -q "WIDTH must be a whole number of pixels, not .wide." "$d/width.err"'
# a page whose script never returns: the browser is cut off, not waited for
printf '<!DOCTYPE html><html><body><p>busy</p><script>for (;;) {}</script></body></html>\n' > "$d/hang.html"
t0=$(date +%s)
CHECK_HTML_TIMEOUT=3 sh "$checker" "$d/hang.html" >/dev/null 2>"$d/hang.err"; st=$?
secs=$(($(date +%s) - t0))
check "a hung page: cut off after 3 s, exit 2, named, probe removed (took $secs s)" '[ $st -eq 2 ] && [ $secs -lt 20 ] && grep -q "did not finish within 3 s on $d/hang.html" "$d/hang.err" && [ -z "$(find "$d" -name ".check_html.*")" ]'
CHROMIUM=/nonexistent/chromium sh "$checker" "$d/good.html" >"$d/nob.out" 2>"$d/nob.err"; st=$?
check "no browser: exit 77 (skip), loud" '[ $st -eq 77 ] && grep -q "## SKIP check_html: no browser" "$d/nob.err" && grep -q "CHROMIUM=/nonexistent/chromium is not a program" "$d/nob.err" && [ ! -s "$d/nob.out" ]'

echo "1..$n"
