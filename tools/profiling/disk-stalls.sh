#!/usr/bin/env bash
# Runs the benchmark's stall watch while the disk stalls on purpose: every few seconds a large write with an fsync
# (dd, 400 MB by default) makes every other fsync on the file system wait for it, as a slow or shared disk does now
# and then on its own. Both systems take the same stalls, so their episodes compare like with like; this is how the
# tenth round found the thread pool held in fsync (docs/benchmarks.md). The junk file sits next to the benchmark's
# database (same file system), and is removed at the end.
#   tools/profiling/disk-stalls.sh OUT.log [benchmark options...]
#   e.g. tools/profiling/disk-stalls.sh /tmp/ds.log --stalls 3000 --reps 2 --duration 20 --scenarios status-200
# STALL_EVERY (seconds between stalls, default 3) and STALL_MB (default 400) tune it.
set -euo pipefail
log=${1:?the log file to write}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
junk=${TMPDIR:-/tmp}/extradition-bench/disk-stall.junk
mkdir -p "$(dirname "$junk")"
dotnet run -c Release --no-build --project tests/ExtraditionCases.Benchmarks -- \
  --skip-scale --warmup 3 --saturation 5 --pause 0.5 "$@" >"$log" 2>&1 &
bench=$!
until grep -q "Baseline pid" "$log"; do sleep 0.3; kill -0 $bench 2>/dev/null || { cat "$log"; exit 1; }; done
(
  while kill -0 $bench 2>/dev/null; do
    dd if=/dev/zero of="$junk" bs=1M count="${STALL_MB:-400}" conv=fsync 2>/dev/null
    rm -f "$junk"
    echo "disk stall ended $(date +%H:%M:%S.%N)" >>"$log.stalls"
    sleep "${STALL_EVERY:-3}"
  done
) &
stalls=$!
wait $bench || true
kill $stalls 2>/dev/null || true
rm -f "$junk"
grep -v '^\s*$' "$log" | sed -n '/^== /,/^# Bench/p' | grep -v '^    [0-9]'
