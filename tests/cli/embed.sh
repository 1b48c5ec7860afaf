#!/bin/sh
# radlab: embedding librad in C.  A staged install (make install DESTDIR=...)
# must give a C program everything it needs: the headers rad.h includes,
# librad and radlab.pc; examples/embed.c is built with pkg-config against the
# staged tree and run.  SPDX-License-Identifier: GPL-3.0-or-later
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
bail() { echo "Bail out! $1"; exit 1; }
builddir=$(cd "$(dirname "$RADLAB")" && pwd)
d=$(mktemp -d /tmp/radlab-embed.XXXXXX)
trap 'rm -rf "$d"' EXIT

# a private install; the test's own MAKEFLAGS (jobserver) belong to the outer make
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s -C "$builddir" install DESTDIR="$d/stage" >"$d/install.log" 2>&1 ||
  { cat "$d/install.log"; bail "make install DESTDIR failed"; }
ok "make install DESTDIR=... succeeds"
pc=$(find "$d/stage" -name radlab.pc | head -1)
[ -n "$pc" ] && ok "radlab.pc is installed (${pc#$d/stage})" || bail "no radlab.pc in the staged install"
PKG_CONFIG_PATH=$(dirname "$pc"); export PKG_CONFIG_PATH
PKG_CONFIG_SYSROOT_DIR="$d/stage"; export PKG_CONFIG_SYSROOT_DIR
[ "$(pkg-config --modversion radlab)" = "$("$RADLAB" -e 'io.write(rad.version)')" ] &&
  ok "pkg-config --modversion radlab is rad.version" || notok "pkg-config --modversion radlab"
cflags=$(pkg-config --cflags radlab) && libs=$(pkg-config --libs radlab) || bail "pkg-config radlab failed"
libdir=$(pkg-config --variable=libdir radlab)

# every header rad.h includes is installed: a translation unit of rad.h alone compiles
printf '#include <rad.h>\nint main(void) { return RAD_VERSION[0] == 0; }\n' > "$d/hdr.c"
cc -std=c11 -Wall -Wextra -Werror $cflags -c "$d/hdr.c" -o "$d/hdr.o" 2>"$d/cc.log" &&
  ok "rad.h and every header it includes compile from the install (-Wall -Wextra)" || { cat "$d/cc.log"; notok "rad.h compiles from the install"; }

san=
[ "$RADLAB_SANITIZERS" = yes ] && san="-fsanitize=address,undefined"
cc -std=c11 -Wall -Wextra -Werror $san "$top_srcdir/examples/embed.c" $cflags $libs -o "$d/embed" 2>"$d/cc.log" &&
  ok "examples/embed.c builds with \$(pkg-config --cflags --libs radlab)" || { cat "$d/cc.log"; bail "embed.c does not build"; }

# a 4x4x2 image whose ROI (label 3) holds the values 1..8 and one voxel of
# label 5 holding 100: the ROI's mean is 4.5, minimum 1, maximum 8
"$RADLAB" -e "
  local img = rad.image.new{size = {4, 4, 2}}
  local m = rad.mask.new(img)
  local v = 0
  for k = 1, 2 do for j = 2, 3 do for i = 2, 3 do
    v = v + 1; img:set(i, j, k, v); m:set(i, j, k, 3)
  end end end
  img:set(4, 4, 2, 100); m:set(4, 4, 2, 5)
  img:write('$d/img.nii.gz'); m:write('$d/mask.nii.gz')" || bail "cannot write the test files"
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ASAN_OPTIONS=detect_leaks=0 \
  "$d/embed" "$d/img.nii.gz" "$d/mask.nii.gz" 3 >"$d/out" 2>"$d/err"; s=$?
[ $s -eq 0 ] && ok "embed runs against the installed librad" || { cat "$d/err"; notok "embed runs ($s)"; }
[ "$(cat "$d/out")" = "stat_mean,4.5
stat_min,1
stat_max,8" ] && ok "embed prints stat_mean 4.5, stat_min 1, stat_max 8" || { cat "$d/out"; notok "embed's three features"; }
# the binary really uses the staged library, not the build tree's
LD_LIBRARY_PATH="$libdir" ldd "$d/embed" | grep -q "$d/stage" && ok "embed is linked to the staged librad" || notok "embed is linked to the staged librad"

# a program that only extracts does not link cairo: the figures are librad-plot's
LD_LIBRARY_PATH="$libdir" ldd "$d/embed" | grep -qE "cairo|librad-plot" && notok "embed links no cairo" || ok "embed links no cairo (librad without librad-plot)"

# a program that draws: examples/embed_plot.c with radlab-plot.pc (librad-plot, cairo)
pcflags=$(pkg-config --cflags radlab-plot) && plibs=$(pkg-config --libs radlab-plot) || bail "pkg-config radlab-plot failed"
case " $plibs " in *" -lrad-plot "*"-lrad "*) ok "pkg-config --libs radlab-plot lists -lrad-plot and -lrad" ;;
  *) notok "pkg-config --libs radlab-plot (got: $plibs)" ;; esac
cc -std=c11 -Wall -Wextra -Werror $san "$top_srcdir/examples/embed_plot.c" $pcflags $plibs -o "$d/embed_plot" 2>"$d/cc.log" &&
  ok "examples/embed_plot.c builds with \$(pkg-config --cflags --libs radlab-plot)" || { cat "$d/cc.log"; bail "embed_plot.c does not build"; }
LD_LIBRARY_PATH="$libdir" ASAN_OPTIONS=detect_leaks=0 "$d/embed_plot" "$d/km.png" 2>"$d/err"; s=$?
[ $s -eq 0 ] && [ "$(od -An -c -N4 "$d/km.png" | tr -d ' ')" = "211PNG" ] && ok "embed_plot writes a PNG" || { cat "$d/err"; notok "embed_plot writes a PNG ($s)"; }
LD_LIBRARY_PATH="$libdir" ldd "$d/embed_plot" | grep -q "$d/stage.*librad-plot" && ok "embed_plot is linked to the staged librad-plot" || notok "embed_plot is linked to the staged librad-plot"
LD_LIBRARY_PATH="$libdir" ASAN_OPTIONS=detect_leaks=0 "$d/embed_plot" "$d/km.jpg" >/dev/null 2>"$d/err"; s=$?
[ $s -eq 1 ] && grep -q "must end in .png, .pdf or .svg" "$d/err" && [ ! -e "$d/km.jpg" ] && ok "embed_plot: a bad extension is status 1 and a message, no file" || { cat "$d/err"; notok "bad extension ($s)"; }

# errors come back as messages, not crashes
LD_LIBRARY_PATH="$libdir" ASAN_OPTIONS=detect_leaks=0 "$d/embed" "$d/none.nii.gz" "$d/mask.nii.gz" >/dev/null 2>"$d/err"; s=$?
[ $s -eq 1 ] && grep -q "none.nii.gz" "$d/err" && ok "a missing image: status 1 and a message naming it" || { cat "$d/err"; notok "missing image ($s)"; }
LD_LIBRARY_PATH="$libdir" ASAN_OPTIONS=detect_leaks=0 "$d/embed" "$d/img.nii.gz" "$d/mask.nii.gz" 9 >/dev/null 2>"$d/err"; s=$?
[ $s -eq 1 ] && grep -q "embed: " "$d/err" && ok "an absent label: status 1 and a message" || { cat "$d/err"; notok "absent label ($s)"; }
echo "1..$n"
