#!/usr/bin/env bash
# Runs Flatland's benchmarks and the PyTorch peer alternately on the machine it runs on, and
# prints Flatland/PyTorch ratios per workload next to their targets (BENCHMARKS.md).
#
# Usage: bench/compare.sh [--workload W1|W2|W3|W4|W5] [--runs N]
# Each of the N runs (default 3) times Flatland and then PyTorch back to back; the verdict uses
# the median of the paired ratios, since a shared machine drifts by more than the margins.
# Writes the raw JSON to $OUT (default: a fresh directory under /tmp) and prints the table of
# bench/ratios.py; exits 1 when a figure is below its target.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage="usage: bench/compare.sh [--workload W1|W2|W3|W4|W5] [--runs N]"
workload_args=()
runs=3
while [ "$#" -gt 0 ]; do
    case "$1" in
        --workload) [ "$#" -ge 2 ] || { echo "$usage (--workload needs a value)" >&2; exit 2; }
                    workload_args=(--workload "$2"); shift 2 ;;
        --runs) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "$usage (--runs takes a positive integer, got '${2:-}')" >&2; exit 2; }
                runs="$2"; shift 2 ;;
        *) echo "$usage (got: $1)" >&2; exit 2 ;;
    esac
done
out="${OUT:-$(mktemp -d /tmp/flatland-compare.XXXXXX)}"
mkdir -p "$out"

python="$("$root/bench/peers/setup.sh")"
(cd "$root" && swift build -c release --product flatland >&2)

pairs=()
for run in $(seq 1 "$runs"); do
    echo "run $run of $runs: flatland bench ${workload_args[*]:-}" >&2
    "$root/.build/release/flatland" bench "${workload_args[@]}" --json > "$out/flatland-$run.json"
    echo "run $run of $runs: the PyTorch peer ${workload_args[*]:-}" >&2
    "$python" "$root/bench/peers/torch_peer.py" "${workload_args[@]}" --json > "$out/torch-$run.json"
    pairs+=("$out/flatland-$run.json" "$out/torch-$run.json")
done
echo "raw results in $out" >&2

python3 "$root/bench/ratios.py" "${pairs[@]}"
