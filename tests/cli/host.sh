#!/bin/sh
# radlab: the radlab host program: options, scripts, arg, exit statuses.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run by `make check` with RADLAB set to the built program; by hand:
#   RADLAB=./radlab RADLAB_STDLIB=stdlib sh tests/cli/host.sh
RADLAB=${RADLAB:-./radlab}
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# check NAME CONDITION-EXIT-STATUS: report, and show the output on failure
check() {
  if [ "$2" -eq 0 ]; then ok "$1"; else
    notok "$1"
    echo "# status $st; stdout:"; printf '%s\n' "$out" | sed 's/^/#   /'
    echo "# stderr:"; sed 's/^/#   /' "$tmp/err"
  fi
}
has() { printf '%s\n' "$1" | grep -q -- "$2"; }    # output contains a pattern
hasf() { grep -q -- "$2" "$1"; }                   # file contains a pattern

tmp=$(mktemp -d "${TMPDIR:-/tmp}/radlab-host.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# run ARGS...: stdout in $out, stderr in $tmp/err, status in $st
run() { out=$("$RADLAB" "$@" 2>"$tmp/err" </dev/null); st=$?; }

if [ ! -x "$RADLAB" ]; then
  echo "1..0 # SKIP radlab program not found at $RADLAB"
  exit 0
fi

# --version: "radlab X.Y.Z (Lua 5.4.N)"
run --version
has "$out" '^radlab [0-9][0-9.]* (Lua 5\.4[0-9.]*)$'; check "--version prints 'radlab <version> (Lua 5.4...)'" $?
[ "$st" -eq 0 ]; check "--version exits 0" $?
want=$("$RADLAB" -e 'io.write(rad.version)' 2>/dev/null)
[ -n "$want" ] && has "$out" "^radlab $want "; check "--version shows rad.version ($want)" $?

# --help, -h
run --help
[ "$st" -eq 0 ] && has "$out" '-e' && has "$out" 'usage'; check "--help exits 0 and describes -e" $?
run -h
[ "$st" -eq 0 ] && has "$out" 'usage'; check "-h is --help" $?

# usage errors: status 2, the option named, a pointer to --help
run --frobnicate
[ "$st" -eq 2 ] && hasf "$tmp/err" "'--frobnicate'" && hasf "$tmp/err" 'radlab --help'
check "unknown option: status 2, names the option, suggests radlab --help" $?
[ -z "$out" ]; check "unknown option: nothing on stdout" $?
run -e
[ "$st" -eq 2 ] && hasf "$tmp/err" "'-e'" && hasf "$tmp/err" 'radlab --help'
check "-e without code: status 2" $?
run -e -i
[ "$st" -eq 2 ]; check "-e followed by an option: status 2" $?

# -e
run -e 'print(1+1)'
[ "$st" -eq 0 ] && [ "$out" = 2 ]; check "-e 'print(1+1)' prints 2" $?
run -e 'x = 20' -e 'print(x + 22)'
[ "$st" -eq 0 ] && [ "$out" = 42 ]; check "several -e run in order" $?
run '-eprint("glued")'
[ "$out" = glued ]; check "-eCODE without a space" $?
run -e 'print(type(rad), type(rad.version), type(help))'
[ "$out" = "table	string	function" ]; check "globals rad (with version) and help exist" $?
run -e 'error("bad thing")'
[ "$st" -eq 1 ] && hasf "$tmp/err" 'bad thing' && hasf "$tmp/err" 'stack traceback'
check "-e error: status 1, message and traceback" $?
run -e 'x ='
[ "$st" -eq 1 ] && hasf "$tmp/err" 'command line'; check "-e syntax error: status 1" $?
run -e 'print("first")' -e 'error("stop")' -e 'print("never")'
[ "$st" -eq 1 ] && [ "$out" = first ]; check "the first failing -e stops the rest" $?

# scripts and arg
cat >"$tmp/args.lua" <<'EOF'
print(arg[0], arg[1], arg[2], #arg)
print(...)
print(arg[-1] ~= nil)
EOF
run "$tmp/args.lua" one two
[ "$st" -eq 0 ] && [ "$(printf '%s\n' "$out" | sed -n 1p)" = "$tmp/args.lua	one	two	2" ]
check "script sees arg[0] = script, arg[1], arg[2]" $?
[ "$(printf '%s\n' "$out" | sed -n 2p)" = "one	two" ]; check "script gets its arguments as ..." $?
[ "$(printf '%s\n' "$out" | sed -n 3p)" = "true" ]; check "the interpreter is at a negative index of arg" $?
run -e 'x = 5' "$tmp/args.lua" -i
[ "$(printf '%s\n' "$out" | sed -n 1p)" = "$tmp/args.lua	-i	nil	1" ]
check "options after the script belong to the script" $?
run -- "$tmp/args.lua" a
[ "$st" -eq 0 ] && [ "$(printf '%s\n' "$out" | sed -n 1p)" = "$tmp/args.lua	a	nil	1" ]
check "-- ends the options" $?

cat >"$tmp/boom.lua" <<'EOF'
local function inner() error("boom in inner") end
inner()
EOF
run "$tmp/boom.lua"
[ "$st" -eq 1 ]; check "runtime error in a script: status 1" $?
hasf "$tmp/err" 'boom.lua:1: boom in inner' && hasf "$tmp/err" 'stack traceback' && hasf "$tmp/err" 'inner'
check "runtime error: stderr has the message and a stack traceback" $?

printf 'error({})\n' >"$tmp/obj.lua"
run "$tmp/obj.lua"
[ "$st" -eq 1 ] && hasf "$tmp/err" 'error object is a table value'
check "non-string error object is described" $?

printf 'local x = = 1\n' >"$tmp/syntax.lua"
run "$tmp/syntax.lua"
[ "$st" -eq 1 ] && hasf "$tmp/err" 'syntax.lua:1:'; check "syntax error in a script: status 1 with file and line" $?

run "$tmp/does-not-exist.lua"
[ "$st" -eq 1 ] && hasf "$tmp/err" 'cannot open'; check "missing script: status 1, cannot open" $?

printf 'os.exit(3)\n' >"$tmp/exit3.lua"
run "$tmp/exit3.lua"
[ "$st" -eq 3 ]; check "os.exit(3) gives status 3" $?

run -e 'rad.read("/nonexistent.nii")'
[ "$st" -eq 1 ] && hasf "$tmp/err" 'nonexistent.nii'; check "rad errors are Lua errors with a message" $?
run -e 'print(pcall(rad.read, "/nonexistent.nii"))'
[ "$st" -eq 0 ] && has "$out" '^false	'; check "rad errors can be caught with pcall" $?

# the script from standard input
out=$(printf 'print("from stdin", ...)\n' | "$RADLAB" - x y 2>"$tmp/err"); st=$?
[ "$st" -eq 0 ] && [ "$out" = "from stdin	x	y" ]; check "radlab - reads the script from stdin" $?
printf 'print(arg[0])\n' >"$tmp/plain.lua"
out=$("$RADLAB" - <"$tmp/plain.lua" 2>"$tmp/err"); st=$?
[ "$st" -eq 0 ] && [ "$out" = "-" ]; check "radlab - < file works, arg[0] is -" $?

# -i: the REPL after the code
out=$(printf 'x + 1\n' | "$RADLAB" -e 'x = 41' -i 2>"$tmp/err"); st=$?
[ "$st" -eq 0 ] && has "$out" 'rad> 42'; check "-i enters the REPL after -e" $?

# the stdlib is on package.path
run -e 'print(type(require("rad.pretty").show))'
[ "$out" = function ]; check "require 'rad.pretty' finds the stdlib" $?
if [ -n "$RADLAB_STDLIB" ]; then
  run -e 'print(package.path:sub(1, #os.getenv("RADLAB_STDLIB")) == os.getenv("RADLAB_STDLIB"))'
  [ "$out" = true ]; check "\$RADLAB_STDLIB comes first in package.path" $?
else
  n=$((n + 1)); echo "ok $n # SKIP RADLAB_STDLIB not set"
fi

# help() in a script
run -e 'help()'
[ "$st" -eq 0 ] && has "$out" 'Ctrl-D' && has "$out" 'help(rad.read)'; check "help() prints an introduction" $?
run -e 'help(rad.read)'
[ "$st" -eq 0 ] && has "$out" 'rad.read'; check "help(rad.read) prints its help line" $?
run -e 'help("no.such.thing")'
[ "$st" -eq 0 ] && has "$out" "no help for 'no.such.thing'"; check "help of an unknown name says so" $?

echo "1..$n"
[ "$failed" -eq 0 ]
