#!/usr/bin/env bash
# Runs Flatland's benchmarks and the PyTorch peer on this machine, one after the other, and
# prints Flatland/PyTorch ratios per workload next to the figures issue 8 asks for.
#
# Usage: bench/compare.sh [--workload W1|W2|W3|W4|W5]
# Writes the raw JSON to $OUT (default: a fresh directory under /tmp) and prints the table of
# bench/ratios.py; exits 1 when a figure is below its target.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workload_args=()
if [ "$#" -gt 0 ]; then
    if [ "$1" != "--workload" ] || [ "$#" -ne 2 ]; then
        echo "usage: bench/compare.sh [--workload W1|W2|W3|W4|W5] (got: $*)" >&2
        exit 2
    fi
    workload_args=(--workload "$2")
fi
out="${OUT:-$(mktemp -d /tmp/flatland-compare.XXXXXX)}"
mkdir -p "$out"

python="$("$root/bench/peers/setup.sh")"
(cd "$root" && swift build -c release --product flatland >&2)

echo "running flatland bench ${workload_args[*]:-}" >&2
"$root/.build/release/flatland" bench "${workload_args[@]}" --json > "$out/flatland.json"
echo "running the PyTorch peer ${workload_args[*]:-}" >&2
"$python" "$root/bench/peers/torch_peer.py" "${workload_args[@]}" --json > "$out/torch.json"
echo "raw results in $out" >&2

python3 "$root/bench/ratios.py" "$out/flatland.json" "$out/torch.json"
