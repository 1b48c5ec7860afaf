#!/bin/sh
# radlab: every workshop notebook (notebooks/NN_*.lua) rendered by
# `radlab notebook` and its page opened in headless Chromium at 1024 px
# (tests/browser/check_html.sh): it renders, every image loads, nothing
# overflows the window.  Skips, loudly, when no Chromium is installed.
# SPDX-License-Identifier: GPL-3.0-or-later
n=0
top=${top_srcdir:-.}
radlab=${RADLAB:-./radlab}
checker="$top/tests/browser/check_html.sh"

d=$(mktemp -d /tmp/radlab-nbhtml.XXXXXX)
trap 'rm -rf "$d"' EXIT
pages=0
for nb in "$top"/notebooks/[0-9][0-9]_*.lua; do
  [ -f "$nb" ] || continue
  name=$(basename "$nb" .lua)
  # each notebook runs in a folder of its own (it may write files)
  mkdir -p "$d/run-$name"
  if (cd "$d/run-$name" && "$radlab" notebook "$nb" -o "$d/$name" >"$d/$name.log" 2>&1); then
    n=$((n + 1)); echo "ok $n - $name renders"
  else
    n=$((n + 1)); echo "not ok $n - $name renders"; sed 's/^/# /' "$d/$name.log"; continue
  fi
  "$checker" "$d/$name/index.html" 1024 >"$d/$name.check" 2>&1
  st=$?
  if [ $st = 77 ]; then
    cat "$d/$name.check" >&2
    echo "1..0 # SKIP no chromium / chromium-browser / google-chrome installed: notebook pages not opened in a browser"
    exit 0
  fi
  n=$((n + 1))
  if [ $st = 0 ]; then
    echo "ok $n - $name: $(tail -n 1 "$d/$name.check")"
  else
    echo "not ok $n - $name in a browser at 1024 px"; sed 's/^/# /' "$d/$name.check"
  fi
  pages=$((pages + 1))
done
if [ $pages = 0 ]; then
  echo "1..0 # SKIP no notebooks/NN_*.lua found under $top"
  exit 0
fi
echo "1..$n"
