#!/usr/bin/env bash
# Native profile of both systems under the benchmark's load: `perf record -g` of ours during its saturation phase,
# then of the baseline during its own, with JIT-compiled frames named (perf map, no W^X double mapping), then
# each sample charged to the innermost request-pipeline layer on its stack (native-layers.py), in µs of CPU per
# request from each process's own CPU per request. Sees what the thread-time profiles cannot: the GC threads,
# the kernel's share, SQLite's native time. Needs perf (root, or perf_event_paranoid <= 1).
#   tools/profiling/native-profile.sh status-304 [out-folder]
set -euo pipefail
scenario=${1:?scenario: status-200, status-304, changes, history, file, transition}
out=${2:-benchmark-results/native-profile}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mkdir -p "$out"
log="$out/$scenario.bench.log"
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet run -c Release --no-build --project tests/ExtraditionCases.Benchmarks -- \
  --skip-scale --reps 1 --warmup 2 --saturation 30 --duration 1 --pause 0.2 --scenarios "$scenario" --out "$out/$scenario.md" >"$log" 2>&1 &
bench=$!
until grep -q "Baseline pid" "$log"; do sleep 0.5; kill -0 $bench 2>/dev/null || { cat "$log"; exit 1; }; done
ours=$(sed -n 's/.*Service (ours) pid \([0-9]*\).*/\1/p' "$log")
base=$(sed -n 's/.*Baseline pid \([0-9]*\).*/\1/p' "$log")
sleep 14 # the first scenario's warm-up and the quiet wait: ours is then saturated
perf record -F 499 -g -p "$ours" -o "$out/$scenario.ours.data" -- sleep 10 >/dev/null 2>&1
until grep -q "saturation ours" "$log"; do sleep 0.5; done
sleep 14
perf record -F 499 -g -p "$base" -o "$out/$scenario.baseline.data" -- sleep 10 >/dev/null 2>&1
wait $bench || true
cpu() { sed -n "s/.*saturation $1 .*its CPU \([0-9.]*\) µs\/req.*/\1/p" "$log" | head -1; }
for system in ours baseline; do perf script -i "$out/$scenario.$system.data" -F comm,tid,ip,sym,dso > "$out/$scenario.$system.stacks" 2>/dev/null; done
python3 tools/profiling/native-layers.py "$out/$scenario.ours.stacks" "$(cpu ours)" "$out/$scenario.baseline.stacks" "$(cpu baseline)" | tee "$out/$scenario.layers.md"
