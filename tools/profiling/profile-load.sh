#!/usr/bin/env bash
# Profiles the service under the benchmark's own load: starts the benchmark on one scenario with a long
# saturation phase, attaches dotnet-trace (sampled thread stacks + GC events) and dotnet-counters to the service
# child while ours is saturated, then buckets the CPU samples (buckets.py). Tools from .config/dotnet-tools.json.
#   tools/profiling/profile-load.sh status-200 [out-folder]
set -euo pipefail
scenario=${1:?scenario: status-200, status-304, changes, history, file, transition}
out=${2:-benchmark-results/profile}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p "$out"
dotnet tool restore >/dev/null
log="$out/$scenario.bench.log"
dotnet run -c Release --no-build --project tests/ExtraditionCases.Benchmarks -- \
  --skip-scale --reps 1 --warmup 2 --saturation 30 --duration 1 --pause 0.2 --scenarios "$scenario" --out "$out/$scenario.md" >"$log" 2>&1 &
bench=$!
until grep -q "Baseline pid" "$log"; do sleep 0.5; kill -0 $bench 2>/dev/null || { cat "$log"; exit 1; }; done
pid=$(sed -n 's/.*Service (ours) pid \([0-9]*\).*/\1/p' "$log")
sleep 12 # the first scenario's warm-up (3 x 2 s) and the quiet wait, then ours is saturated for 30 s
dotnet dotnet-counters collect -p "$pid" --counters System.Runtime,Microsoft.AspNetCore.Hosting --format csv \
  -o "$out/$scenario.counters.csv" --duration 00:00:00:15 >/dev/null 2>&1 &
dotnet dotnet-trace collect -p "$pid" --profile dotnet-sampled-thread-time,gc-collect --duration 00:00:00:15 \
  --format Speedscope -o "$out/$scenario.nettrace" >/dev/null
wait $bench || true
python3 tools/profiling/buckets.py "$out/$scenario.speedscope.json" > "$out/$scenario.buckets.txt"
cat "$out/$scenario.buckets.txt"
