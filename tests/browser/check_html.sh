#!/bin/sh
# check_html.sh PAGE.html [WIDTH]: look at a rendered HTML page (a notebook's
# index.html from `radlab notebook`, or any page) in headless Chromium, in a
# window WIDTH px wide (default 1024), and check that
#   (a) every <img> loaded (complete and naturalWidth > 0; a failure is named
#       by its src, a data URI shortened to its start and length),
#   (b) nothing overflows horizontally: the document is no wider than the
#       window, and no element's right edge (or the content running out of
#       it) passes the window; the outermost such elements are named.  What
#       scrolls inside its own box (overflow-x: auto) is not an overflow.
# and (c) save a screenshot of the whole page next to it, PAGE.png, for a
# human to look at.
#
# Output, one item a line: "verdict {JSON}" (the machine-readable result),
# one "FAIL ..." line per problem, "screenshot PATH", and a last line
# "PASS PAGE ..." or "FAIL PAGE: N problems".
# Exit status: 0 all passed, 1 problems found, 2 usage or browser error,
# 77 (automake's SKIP) when no Chromium is installed.
#
# The browser is $CHROMIUM if set, else the first of chromium,
# chromium-browser, google-chrome, google-chrome-stable on PATH.  Each
# browser run is capped by `timeout` ($CHECK_HTML_TIMEOUT s, default 60).
# `make check-html` runs this on every notebooks/html/*/index.html;
# tests/browser/check.sh tests it on the fixtures beside it.
# SPDX-License-Identifier: GPL-3.0-or-later

me=check_html
usage() { echo "usage: check_html.sh PAGE.html [WIDTH]" >&2; exit 2; }
die() { echo "$me: $*" >&2; exit 2; }

[ $# -ge 1 ] && [ $# -le 2 ] || usage
page=$1
width=${2:-1024}
case $width in '' | *[!0-9]*) die "WIDTH must be a whole number of pixels, not '$width'" ;; esac
[ "$width" -ge 200 ] && [ "$width" -le 8000 ] || die "WIDTH $width is outside 200..8000 px"
[ -f "$page" ] || die "no such page: $page"
[ -r "$page" ] || die "cannot read $page"

# the browser
browser=
if [ -n "${CHROMIUM:-}" ]; then
  command -v "$CHROMIUM" >/dev/null 2>&1 && browser=$CHROMIUM
else
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
  done
fi
if [ -z "$browser" ]; then
  {
    echo "################################################################"
    echo "## SKIP $me: no browser to render $page:"
    if [ -n "${CHROMIUM:-}" ]; then echo "##   CHROMIUM=$CHROMIUM is not a program"
    else echo "##   none of chromium, chromium-browser, google-chrome on PATH"; fi
    echo "## Install one (Debian: apt-get install --no-install-recommends"
    echo "## chromium) or set CHROMIUM=/path/to/chrome to check HTML pages."
    echo "################################################################"
  } >&2
  exit 77
fi
command -v timeout >/dev/null 2>&1 || die "timeout (coreutils) not found; it keeps a hung browser from hanging the check"
limit=${CHECK_HTML_TIMEOUT:-60}
case $limit in '' | *[!0-9]*) die "CHECK_HTML_TIMEOUT must be a whole number of seconds, not '$limit'" ;; esac

dir=$(cd "$(dirname "$page")" && pwd) || die "cannot enter the directory of $page"
base=$(basename "$page")
shot="$dir/${base%.*}.png"
[ -w "$dir" ] || die "$dir is not writable (the check copies the page there and saves the screenshot there)"

# The copy with the probe sits beside the page so relative image paths
# resolve as they do for the page itself.
profile=$(mktemp -d "${TMPDIR:-/tmp}/check_html.XXXXXX") || die "cannot make a temporary browser profile"
trap 'rm -rf "$profile"' EXIT
probe=$(mktemp "$dir/.check_html.XXXXXX") || die "cannot write a temporary copy in $dir"
trap 'rm -rf "$probe" "$probe.html" "$profile"' EXIT
trap 'exit 130' INT TERM
probe_html="$probe.html"

# file:// URL of a path: percent-encode what would end or bend the path
file_url() {
  printf 'file://%s' "$1" | sed -e 's/%/%25/g' -e 's/ /%20/g' -e 's/#/%23/g' -e 's/?/%3F/g'
}

# The probe: after `load` (and after any image still loading settles), it
# measures and writes the verdict, base64 of UTF-8 "JSON\nproblem\n...", into
# <pre id="radlab-verdict">; --dump-dom prints the DOM after the virtual-time
# budget.  Appended at the end of the file, the parser puts it at the end of
# <body>, after every <img>, so it can make lazy images load now.
{
  cat "$page"
  cat <<'PROBE'
<script>
(function () {
  "use strict";
  var done = false;
  for (const im of document.images) if (im.loading === "lazy") im.loading = "eager";
  function src(im) {
    var s = im.getAttribute("src");
    if (s === null) return "(no src)";
    s = s.replace(/\s+/g, "");
    if (/^data:/i.test(s)) return s.slice(0, 40) + "...(" + s.length + " chars)";
    return s.length > 200 ? s.slice(0, 200) + "..." : s;
  }
  function describe(el) {
    var d = el.tagName.toLowerCase();
    if (el.id) d += "#" + el.id;
    else if (typeof el.className === "string" && el.className.trim())
      d += "." + el.className.trim().split(/\s+/).join(".");
    var p = el.parentElement, path = [];
    for (var i = 0; p && p !== document.body && p !== document.documentElement && i < 2; i++, p = p.parentElement)
      path.unshift(p.tagName.toLowerCase() + (p.id ? "#" + p.id : ""));
    return (path.length ? path.join(" > ") + " > " : "") + d;
  }
  function verdict(why) {
    if (done) return;
    done = true;
    var vw = document.documentElement.clientWidth, sw = document.documentElement.scrollWidth;
    var r = {width: window.innerWidth, viewport: vw, scrollWidth: sw,
             scrollHeight: document.documentElement.scrollHeight,
             images: {total: 0, loaded: 0, failed: []}, overflow: [], ok: true};
    var problems = [];
    if (why) problems.push(why);
    for (const im of document.images) {
      r.images.total++;
      if (im.complete && im.naturalWidth > 0) r.images.loaded++;
      else { r.images.failed.push(src(im)); problems.push("image not loaded: " + src(im)); }
    }
    if (sw > vw) problems.push("document " + sw + " px wide in a " + vw + " px window");
    // the outermost elements that pass the right edge; what scrolls or clips
    // its own content (overflow-x other than visible) keeps it inside
    var found = [], limit = vw + 1;
    (function walk(el) {
      for (var c = el.firstElementChild; c; c = c.nextElementSibling) {
        if (/^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT)$/.test(c.tagName) || c.id === "radlab-verdict") continue;
        var b = c.getBoundingClientRect(), cs = getComputedStyle(c);
        if (cs.display === "none") continue;
        var right = b.right + window.scrollX;
        var clips = cs.overflowX !== "visible";
        if (!clips && c.scrollWidth > c.clientWidth && c.clientWidth > 0)
          right = Math.max(right, b.left + window.scrollX + c.scrollWidth);
        if (right > limit && b.width > 0) { found.push({element: describe(c), right: Math.round(right)}); continue; }
        if (!clips) walk(c);
      }
    })(document.body || document.documentElement);
    r.overflowCount = found.length;
    r.overflow = found.slice(0, 5);
    for (const o of r.overflow) problems.push("overflow: " + o.element + " reaches " + o.right + " px (window " + vw + " px)");
    if (found.length > 5) problems.push("overflow: and " + (found.length - 5) + " more elements");
    r.ok = problems.length === 0;
    if (why) r.error = why;
    var text = JSON.stringify(r) + "\n" + problems.join("\n");
    var bytes = new TextEncoder().encode(text), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    var pre = document.createElement("pre");
    pre.id = "radlab-verdict";
    pre.textContent = btoa(bin);
    (document.body || document.documentElement).appendChild(pre);
  }
  function settle() {
    var waits = [];
    for (const im of document.images)
      if (!im.complete) waits.push(new Promise(function (ok) {
        im.addEventListener("load", ok); im.addEventListener("error", ok); }));
    Promise.all(waits).then(function () { verdict(); });
  }
  if (document.readyState === "complete") settle();
  else window.addEventListener("load", settle);
  setTimeout(function () { verdict("load event did not fire within 4 s"); }, 4000);
})();
</script>
PROBE
} > "$probe_html" || die "cannot write $probe_html"

run_browser() { # run_browser OUT ERR ARGS...: chromium under timeout
  out=$1 err=$2; shift 2
  timeout -k 5 "$limit" "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --no-first-run --no-default-browser-check --disable-extensions --mute-audio \
    --user-data-dir="$profile" --allow-file-access-from-files "$@" >"$out" 2>"$err"
}

t0=$(date +%s)
run_browser "$profile/dom" "$profile/err" --window-size="$width,800" --virtual-time-budget=5000 \
  --dump-dom "$(file_url "$probe_html")"
st=$?
if [ $st -eq 124 ] || [ $st -eq 137 ]; then
  echo "$me: $browser did not finish within $limit s on $page" >&2; exit 2
fi
coded=$(grep -o 'id="radlab-verdict">[A-Za-z0-9+/=]*' "$profile/dom" | sed 's/.*>//' | head -n 1)
if [ -z "$coded" ]; then
  echo "$me: $browser (exit $st) gave no verdict for $page (the check runs an inline script after" \
    "the page: does a Content-Security-Policy forbid it?); the browser's last messages:" >&2
  grep -v -e "dbus/" -e "unexpected operator" "$profile/err" | tail -n 15 >&2
  exit 2
fi
printf '%s' "$coded" | base64 -d > "$profile/verdict" 2>/dev/null || die "cannot decode the verdict"
json=$(sed -n 1p "$profile/verdict")
echo "verdict $json"
nprob=0
{ sed -n '2,$p' "$profile/verdict"; echo; } > "$profile/problems"
while IFS= read -r p; do
  [ -n "$p" ] || continue
  echo "FAIL $p"; nprob=$((nprob + 1))
done < "$profile/problems"

# the screenshot: the whole page (up to 16000 px tall), the page as it is
height=$(printf '%s\n' "$json" | sed -n 's/.*"scrollHeight":\([0-9]*\).*/\1/p')
[ -n "$height" ] && [ "$height" -ge 100 ] || height=800
[ "$height" -le 16000 ] || height=16000
rm -f "$shot"
run_browser "$profile/shot.out" "$profile/shot.err" --window-size="$width,$height" \
  --virtual-time-budget=5000 --screenshot="$shot" "$(file_url "$dir/$base")"
if [ -s "$shot" ]; then echo "screenshot $shot"
else echo "$me: warning: no screenshot saved: $(grep -v -e "dbus/" -e "unexpected operator" "$profile/shot.err" | tail -n 1)" >&2; fi
t1=$(date +%s)

if [ $nprob -eq 0 ]; then
  echo "PASS $page at $width px: $(printf '%s\n' "$json" | sed -n 's/.*"loaded":\([0-9]*\).*/\1/p') images loaded, no horizontal overflow ($((t1 - t0)) s)"
  exit 0
fi
[ $nprob -eq 1 ] && s= || s=s
echo "FAIL $page at $width px: $nprob problem$s ($((t1 - t0)) s)"
exit 1
