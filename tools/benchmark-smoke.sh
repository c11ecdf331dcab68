#!/usr/bin/env bash
# Runs every command of the benchmark program once with tiny sizes, to show that each still runs to its end. It
# measures nothing worth reading. CI does not run it (its time would push the suite past its budget); run it after
# changing the service's settings, the seeder or the benchmark program. Two commands once broke unseen (seventeenth round).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release tests/ExtraditionCases.Benchmarks >/dev/null
bench() { echo "== $*"; timeout 600 dotnet run -c Release --no-build --project tests/ExtraditionCases.Benchmarks -- "$@" >"$work/last.log" 2>&1 || { tail -30 "$work/last.log"; echo "FAILED: $*"; exit 1; }; }
bench micro --iterations 20
bench documents --mib 1
bench seed --db "$work/small.db" --cases 200 --events 2000
bench search-sql --db "$work/small.db" --samples 10
bench lists-sql --db "$work/small.db" --samples 5
bench webhooks --transitions 20 --rate 20 --out "$work/webhooks.md"
bench --reps 1 --warmup 1 --saturation 1 --duration 1 --pause 0.2 --skip-scale --out "$work/load.md"
bench --reps 1 --warmup 1 --saturation 1 --duration 1 --pause 0.2 --skip-scale --scenarios status-304 --publisher --checkpoint-interval 1 --out "$work/publisher.md"
bench --stalls half --reps 1 --warmup 1 --saturation 1 --duration 1 --scenarios status-304 --skip-scale --out "$work/stalls.md"
bench --skip-load --scale-small 100 --scale-large 300 --samples 5 --out "$work/scale.md"
echo "Every command ran to its end."
