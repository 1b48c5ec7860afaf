#!/bin/bash
# radlab: the generated Slurm job array on a real single-node Slurm
# (make check-slurm).  SPDX-License-Identifier: GPL-3.0-or-later
#
# Needs root: installs slurm-wlm and munge with apt-get when absent, writes a
# slurm.conf in a temporary folder, starts munged, slurmctld and slurmd
# itself, runs `radlab slurm --submit` for a 6-case demo cohort in paths with
# spaces, waits for both jobs, compares features.csv byte for byte with a
# single-process extraction and stops the daemons it started, by pid.
# Exit status: 0 pass, 1 fail, 77 skipped (the reason on stderr).
set -u
RADLAB=${RADLAB:-$(pwd)/radlab}
case $RADLAB in /*) ;; *) RADLAB=$(pwd)/$RADLAB ;; esac
TIMEOUT=${SLURM_CHECK_TIMEOUT:-120}
start=$(date +%s)
say() { echo "check-slurm: $*"; }
skip() { echo "check-slurm: SKIP: $*" >&2; exit 77; }
die() { echo "check-slurm: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root (it installs slurm-wlm and munge and runs slurmctld and slurmd as root); run: sudo make check-slurm"
[ -x "$RADLAB" ] || die "radlab not found at $RADLAB (build first, or set RADLAB)"
# slurmd initialises its cgroup plugin at start even with proctrack/linuxproc
# and task/none: a chroot or container without /sys/fs/cgroup cannot run it
grep -q ' /sys/fs/cgroup ' /proc/mounts 2>/dev/null ||
  skip "no cgroup filesystem mounted at /sys/fs/cgroup (slurmd needs one; a chroot or container without it cannot run a Slurm node)"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null ||
   ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1; }; } ||
    skip "apt-get could not install slurm-wlm and munge (offline?)"
fi
for p in slurmctld slurmd sbatch squeue sinfo munged; do
  command -v $p >/dev/null || skip "$p not found after installing slurm-wlm and munge"
done

tmp=$(mktemp -d /tmp/radlab-slurm.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  local st=$?
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null; done
  for p in "${pids[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null
  done
  rm -rf "$tmp"
  exit $st
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# munge: a key if there is none, and our own munged on its own socket
key=/etc/munge/munge.key
if [ ! -s "$key" ]; then
  say "creating the munge key $key"
  mkdir -p /etc/munge
  if command -v mungekey >/dev/null; then mungekey -c -k "$key" >/dev/null 2>&1 || dd if=/dev/urandom of="$key" bs=1024 count=1 2>/dev/null
  else dd if=/dev/urandom of="$key" bs=1024 count=1 2>/dev/null; fi
  chown munge:munge "$key" 2>/dev/null
  chmod 0400 "$key"
fi
mkdir -m 700 "$tmp/munge"
chown munge:munge "$tmp/munge" 2>/dev/null
munged -F --force --key-file="$key" --socket="$tmp/munge/munge.socket" --pid-file="$tmp/munge/munged.pid" \
  --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munge.seed" >"$tmp/munge/out" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do [ -S "$tmp/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$tmp/munge/munge.socket" ] || { cat "$tmp/munge/out" "$tmp/munge/munged.log" 2>/dev/null; die "munged did not start"; }

host=$(hostname -s)
cpus=$(nproc)
# 90 % of the memory, in MiB (from /proc/meminfo: procps' free may be absent)
mem=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
[ -n "$mem" ] && [ "$mem" -gt 0 ] || die "cannot read the memory size from /proc/meminfo"
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/log"
cat > "$tmp/slurm.conf" <<EOF
ClusterName=radlabcheck
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld -D -c -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 &
slurmd_pid=$!
pids+=($slurmd_pid)

logs() {
  for f in "$tmp"/log/* "$tmp"/munge/munged.log; do echo "---- $f"; tail -n 30 "$f"; done >&2
  [ -d "${out:-/nonexistent}/logs" ] && for f in "$out"/logs/*; do echo "---- $f"; cat "$f"; done >&2
}
# wait (30 s by the clock, each sinfo bounded) for the node; a slurmd that
# died on start is reported at once with its log
state=
deadline=$(($(date +%s) + 30))
while [ "$(date +%s)" -lt "$deadline" ]; do
  kill -0 "$slurmd_pid" 2>/dev/null || { logs; die "slurmd exited on start (its log is above)"; }
  state=$(timeout 5 sinfo -h -N -o %t 2>/dev/null | head -1)
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || { logs; die "the node did not become idle within 30 s (sinfo: '${state:-no answer}')"; }
say "single-node Slurm up after $(($(date +%s) - start)) s ($cpus CPUs, ${mem} MB)"

# the cohort and the reference table
w="$tmp/work dir é"
mkdir -p "$w/co hort"
"$RADLAB" demo-cohort -n 6 --seed 5 -o "$w/co hort" >/dev/null || die "demo-cohort failed"
cat > "$w/my settings.lua" <<'LUA'
return {families = {"stat", "morph", "cm"}, discretise = {method = "fbn", bins = 16}}
LUA
"$RADLAB" extract --cohort "$w/co hort/manifest.csv" -s "$w/my settings.lua" -o "$w/single.csv" -j 1 2>/dev/null ||
  die "the single-process extraction failed"

out="$w/slurm out"
sub=$(cd "$w" && "$RADLAB" slurm --cohort "co hort/manifest.csv" -s "my settings.lua" -n 3 -o "slurm out" --cpus 1 \
  --time 10 --submit 2>&1) || { echo "$sub" >&2; logs; die "radlab slurm --submit failed"; }
echo "$sub"
ids=$(echo "$sub" | sed -n 's/.*extraction job \([0-9]*\) and merge job \([0-9]*\).*/\1,\2/p')
[ -n "$ids" ] || die "no job ids in the output of radlab slurm --submit"
t0=$(date +%s)
while [ -n "$(squeue -h -j "$ids" 2>/dev/null)" ]; do
  if [ $(($(date +%s) - t0)) -gt "$TIMEOUT" ]; then
    squeue -j "$ids" >&2; scontrol show job "${ids%%,*}" >&2; logs
    die "jobs $ids did not finish within $TIMEOUT s"
  fi
  sleep 1
done
say "jobs $ids finished in $(($(date +%s) - t0)) s"
scontrol -o show job "${ids#*,}" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sed 's/^/check-slurm: merge job /'
[ -s "$out/features.csv" ] || { logs; die "no $out/features.csv after the jobs"; }
cmp "$out/features.csv" "$w/single.csv" || { logs; die "features.csv differs from the single-process table"; }
cat "$out/logs/merge.log"
say "PASS: features.csv of 3 array tasks + merge is byte-identical to the single-process table ($(($(date +%s) - start)) s in all)"
exit 0
