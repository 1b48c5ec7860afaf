#!/bin/sh
# radlab: the REPL, driven through a pipe and, when python3 is there, a terminal.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run by `make check` with RADLAB set to the built program; by hand:
#   RADLAB=./radlab RADLAB_STDLIB=stdlib sh tests/cli/repl.sh
RADLAB=${RADLAB:-./radlab}
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() {
  if [ "$2" -eq 0 ]; then ok "$1"; else
    notok "$1"
    echo "# status $st${res:+; driver: $res}; output:"; printf '%s\n' "$out" | sed 's/^/#   /'
  fi
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
res=

tmp=$(mktemp -d "${TMPDIR:-/tmp}/radlab-repl.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$RADLAB" ]; then
  echo "1..0 # SKIP radlab program not found at $RADLAB"
  exit 0
fi

# repl INPUT: feed INPUT to the REPL; $out is stdout+stderr with the prompts
# taken off the start of each line, $st the exit status.
repl() {
  printf '%s\n' "$1" | RADLAB_HISTORY= "$RADLAB" >"$tmp/piped" 2>&1
  st=$?
  out=$(sed -e ':a' -e 's/^rad> //' -e 'ta' -e 's/^\.\.\.> //' -e 'ta' "$tmp/piped")
}
line() { printf '%s\n' "$out" | grep -c -x -F -- "$1"; }   # lines equal to $1
has() { printf '%s\n' "$out" | grep -q -F -- "$1"; }

# ---- piped ------------------------------------------------------------------------

repl '1+1'
[ "$(line 2)" -eq 1 ]; check "an expression prints its value (1+1 -> 2)" $?
[ "$st" -eq 0 ]; check "end of input exits with status 0" $?

repl 'x = 6
x * 7'
[ "$(line 42)" -eq 1 ] && [ "$(printf '%s\n' "$out" | grep -c .)" -eq 1 ]
check "a statement prints nothing; globals persist between lines" $?

repl 'function sq(v)
  return v * v
end
sq(12)'
[ "$(line 144)" -eq 1 ]; check "a function defined over 3 lines, then called" $?
printf 'function f()\n  return 1\nend\n' | RADLAB_HISTORY= "$RADLAB" >"$tmp/out" 2>&1
grep -q '^rad> \.\.\.> \.\.\.> rad> ' "$tmp/out"; st=$?; out=$(cat "$tmp/out")
check "continuation lines get the prompt '...> '" $st

repl 'error("boom")
print("after boom")'
has 'boom' && [ "$(line 'after boom')" -eq 1 ] && [ "$st" -eq 0 ]
check "error('boom') is reported and the REPL goes on" $?
has 'stack traceback'; [ $? -ne 0 ]; check "no traceback by default" $?

out=$(printf 'error("deep")\n' | RADLAB_HISTORY= RADLAB_TRACEBACK=1 "$RADLAB" 2>&1); st=$?
printf '%s\n' "$out" | grep -q 'stack traceback'; check "RADLAB_TRACEBACK=1 adds a traceback" $?

repl 'rad.read("/nonexistent.nii")
1+2'
has 'nonexistent.nii' && [ "$(line 3)" -eq 1 ] && [ "$st" -eq 0 ]
check "rad.read of a missing file errors, then 1+2 prints 3" $?

repl 'x = = 1
print("still here")'
has "unexpected symbol" && [ "$(line 'still here')" -eq 1 ]
check "a syntax error is reported and the REPL goes on" $?

repl 'for i = 1, 3 do'
has "<eof>" && [ "$st" -eq 0 ]; check "an unfinished statement at end of input is reported; status 0" $?

repl 'help(rad.read)'
[ -n "$(printf '%s\n' "$out" | grep -v '^$')" ] && has 'rad.read'
check "help(rad.read) prints something" $?
repl 'help()'
has 'Ctrl-D' && has 'TAB'; check "help() prints the introduction" $?

repl '"text\n", 1.5, 3, 2^53, true, nil'
[ "$(line '"text\n"	1.5	3	9.007199254741e+15	true	nil')" -eq 1 ]
check "several results, tab-separated, through the pretty printer" $?
repl '{1, 2, name = "x", sub = {true}}'
[ "$(line '{ 1, 2, name = "x", sub = { true } }')" -eq 1 ]; check "tables print as { 1, 2, key = value }" $?
repl 'setmetatable({}, {__tostring = function() return "I am an object" end})'
[ "$(line 'I am an object')" -eq 1 ]; check "an object prints through __tostring" $?
repl 'setmetatable({}, {__tostring = function() error("bad tostring") end})
print("ok after")'
[ "$(line 'ok after')" -eq 1 ]; check "a failing __tostring does not stop the REPL" $?

repl 'print'
[ "$(line 'function: builtin')" -eq 1 ]; check "a builtin function prints as function: builtin" $?

# The prompts alone are the decoration: a deterministic transcript.
out=$(printf '1\n' | RADLAB_HISTORY= "$RADLAB" 2>&1); st=$?
[ "$out" = "rad> 1
rad> " ]; check "piped transcript is exactly the prompts and the results" $?

# ---- on a terminal (python3's pty module) ---------------------------------------------

PY=$(command -v python3 2>/dev/null)
if [ -z "$PY" ]; then
  for i in 1 2 3 4 5 6 7 8; do skip "python3 not found"; done
  echo "1..$n"
  [ "$failed" -eq 0 ]
  exit $?
fi

# The driver sends keys and waits for the echo it expects, so the test
# is paced by radlab rather than by sleeps.  Each step is SEND and EXPECT
# (a Python regular expression on everything written since SEND); SEND is
# written with Python string escapes (\t, \r, \x03).  It writes the whole
# transcript to OUT and prints "exit N" or "timeout: ..." on stdout.
# After a command, wait for the next prompt before typing: a key that
# arrives while a command runs meets the terminal in cooked mode, where a
# Ctrl-D is the terminal's end-of-file, not a key for readline.
cat >"$tmp/drive.py" <<'EOF'
import os, pty, re, select, signal, sys, time
prog, out_path, steps = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(prog, [prog])
buf = b""
def text(since):
    # what a reader would see: no bells, escape sequences or carriage returns
    t = buf[since:].decode("utf-8", "replace")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[\x07\r]", "", t)
def read_until(pattern, since, timeout=20.0):
    global buf
    end = time.time() + timeout
    while True:
        if pattern is not None and re.search(pattern, text(since)):
            return True
        left = end - time.time()
        if left <= 0:
            return False
        r, _, _ = select.select([fd], [], [], min(left, 0.1))
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return pattern is None
            if not data:
                return pattern is None
            buf += data
result = "ok"
if not read_until(r"rad> ", 0):
    result = "timeout: no first prompt"
else:
    for i in range(0, len(steps), 2):
        send = steps[i].encode().decode("unicode_escape").encode("latin-1")
        since = len(buf)
        if send.startswith(b"@pause"):
            time.sleep(float(send[6:] or 1))
            continue
        os.write(fd, send)
        if not read_until(steps[i + 1], since):
            result = "timeout: waiting for %r after sending %r" % (steps[i + 1], steps[i])
            break
os.write(fd, b"\x04")
read_until(None, len(buf), 20.0)
code = None
for _ in range(200):
    p, status = os.waitpid(pid, os.WNOHANG)
    if p:
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
        break
    time.sleep(0.1)
if code is None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if result == "ok":
        result = "radlab did not exit after Ctrl-D"
with open(out_path, "wb") as f:
    f.write(buf)
print(result if result != "ok" else "exit %d" % code)
EOF
# drive NAME STEPS...: run the driver with a private history file; sets
# $res (driver verdict), $out (transcript without carriage returns)
drive() {
  res=$(RADLAB_HISTORY="$tmp/history" TERM=dumb "$PY" "$tmp/drive.py" "$RADLAB" "$tmp/tty.out" "$@" 2>&1)
  st=0
  out=$(tr -d '\r\007' <"$tmp/tty.out" 2>/dev/null)
}
rm -f "$tmp/history"

drive 'rad.rea\t' 'rad\.read' '\x15' '.' 'x = 1\r' 'rad> '
[ "$res" = "exit 0" ] && has 'rad.read'; check "TAB completes rad.rea to rad.read" $?
printf '%s\n' "$out" | grep -q '^radlab .* help() for help, Ctrl-D to quit'; check "a terminal gets the banner" $?

drive 'rad.image.ne\t' 'rad\.image\.new\(' '\x15' '.' 'local_x = 1\r' 'rad> ' 'loc\t' 'local' '\x15' '.'
[ "$res" = "exit 0" ]; check "TAB completes fields of sub-tables (rad.image.ne) and keywords" $?
drive 'img = setmetatable({}, {__index = {stats = print}})\r' 'rad> ' 'img:st\t' 'img:stats\(' '\x15' '.' \
      'trap = setmetatable({}, {__index = function() os.exit(9) end})\r' 'rad> ' 'trap.x\t' '.' '\x15' '.'
[ "$res" = "exit 0" ]; check "method completion works and never calls __index functions" $?

drive 'rad.dem\t' 'rad\.demo' '\x15' '.' 'd = rad.demo\r' 'rad> ' 'rad.demo.ph\t' 'rad\.demo\.phantom\(' '\x15' '.'
[ "$res" = "exit 0" ] && has 'rad.demo.phantom('
check "TAB completes the stdlib modules that load on first use (rad.dem, then rad.demo.ph once loaded)" $?

drive 'while true do end\r' 'while true do end\n' '@pause1' '' '\x03' 'interrupted\nrad> ' 'print(42)\r' '42\nrad> '
[ "$res" = "exit 0" ] && has 'interrupted' && printf '%s\n' "$out" | grep -q '^42$'
check "Ctrl-C stops a running loop; the REPL goes on (print(42) -> 42)" $?

drive 'print("half' 'half' '\x03' 'rad> ' 'print(5)\r' '5\nrad> '
[ "$res" = "exit 0" ] && ! has 'unfinished string'; check "Ctrl-C at the prompt discards the line" $?

drive 'for i = 1, 2 do\r' '\.\.\.> ' '\x03' 'rad> ' 'print(6)\r' '6\nrad> '
[ "$res" = "exit 0" ] && ! has "'end' expected"; check "Ctrl-C at '...> ' drops the unfinished statement" $?

[ -f "$tmp/history" ] && grep -q -x 'print(42)' "$tmp/history" && ! grep -q '^$' "$tmp/history"
st=$?; out=$(cat "$tmp/history" 2>/dev/null); check "lines are saved to \$RADLAB_HISTORY" $st

echo "1..$n"
[ "$failed" -eq 0 ]
