#!/usr/bin/env bash
# Profiles the service under the benchmark's own load: starts the benchmark on one scenario with a long
# saturation phase, attaches dotnet-trace (sampled thread stacks + GC events) and dotnet-counters to the service
# child while ours is saturated, then buckets the CPU samples (buckets.py). Tools from .config/dotnet-tools.json.
#   tools/profiling/profile-load.sh status-200 [out-folder]
# PROFILE_SYSTEM=baseline profiles the bare Dapper baseline instead (its saturation phase follows ours), so the two
# profiles can be compared component by component; its files are named <scenario>.baseline.*.
# PROFILE_ARGS adds benchmark options, e.g. PROFILE_ARGS="--publisher --checkpoint-interval 5" (a history with audit paths).
set -euo pipefail
scenario=${1:?scenario: status-200, status-304, changes, history, file, transition}
out=${2:-benchmark-results/profile}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p "$out"
dotnet tool restore >/dev/null
system=${PROFILE_SYSTEM:-ours}
case "$system" in ours) tag=$scenario ;; baseline) tag=$scenario.baseline ;; *) echo "PROFILE_SYSTEM is ours or baseline" >&2; exit 2 ;; esac
log="$out/$tag.bench.log"
dotnet run -c Release --no-build --project tests/ExtraditionCases.Benchmarks -- \
  --skip-scale --reps 1 --warmup 2 --saturation 30 --duration 1 --pause 0.2 --scenarios "$scenario" ${PROFILE_ARGS:-} --out "$out/$tag.md" >"$log" 2>&1 &
bench=$!
until grep -q "Baseline pid" "$log"; do sleep 0.5; kill -0 $bench 2>/dev/null || { cat "$log"; exit 1; }; done
if [ "$system" = ours ]; then
  pid=$(sed -n 's/.*Service (ours) pid \([0-9]*\).*/\1/p' "$log")
  sleep 12 # the first scenario's warm-up (3 x 2 s) and the quiet wait, then ours is saturated for 30 s
else
  pid=$(sed -n 's/.*Baseline pid \([0-9]*\).*/\1/p' "$log")
  # Ours' saturation line is printed when its phase ends (repeats included); the baseline's warm-up and quiet wait follow.
  until grep -q "saturation ours" "$log"; do sleep 0.5; kill -0 $bench 2>/dev/null || { cat "$log"; exit 1; }; done
  sleep 12
fi
dotnet dotnet-counters collect -p "$pid" --counters System.Runtime,Microsoft.AspNetCore.Hosting --format csv \
  -o "$out/$tag.counters.csv" --duration 00:00:00:15 >/dev/null 2>&1 &
dotnet dotnet-trace collect -p "$pid" --profile dotnet-sampled-thread-time,gc-collect --duration 00:00:00:15 \
  --format Speedscope -o "$out/$tag.nettrace" >/dev/null
wait $bench || true
python3 tools/profiling/buckets.py "$out/$tag.speedscope.json" > "$out/$tag.buckets.txt"
cat "$out/$tag.buckets.txt"
