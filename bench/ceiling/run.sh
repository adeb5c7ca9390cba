#!/usr/bin/env bash
# Times W1 (B = 64) and W2 (B = 16), alternating, on the machine it runs on: Flatland's `bench`,
# and gemm_ceiling.c's bare products with and without the combine, through OpenBLAS alone and,
# where libxsmm-dev is installed, through libxsmm as Flatland's rule sends them. Prints the
# median samples/s of each and Flatland's share of the best ceiling with the combine.
#
# Usage: bench/ceiling/run.sh [--runs N]     (needs a C compiler and libopenblas-dev)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
usage="usage: bench/ceiling/run.sh [--runs N]"
runs=5
while [ "$#" -gt 0 ]; do
    case "$1" in
        --runs) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "$usage (--runs takes a positive integer, got '${2:-}')" >&2; exit 2; }
                runs="$2"; shift 2 ;;
        *) echo "$usage (got: $1)" >&2; exit 2 ;;
    esac
done
command -v cc >/dev/null || { echo "bench/ceiling/run.sh needs a C compiler: apt-get install gcc" >&2; exit 2; }
work="$(mktemp -d /tmp/flatland-ceiling.XXXXXX)"
kernels="blas"
if [ -f /usr/include/libxsmm.h ]; then
    kernels="blas xsmm"
    cc -O3 -march=native -DWITH_XSMM -o "$work/gemm_ceiling" "$root/bench/ceiling/gemm_ceiling.c" \
        -lxsmm -lopenblas -lpthread -lrt -ldl -lm
else
    cc -O3 -march=native -o "$work/gemm_ceiling" "$root/bench/ceiling/gemm_ceiling.c" -lopenblas -lpthread
fi
(cd "$root" && swift build -c release --product flatland >&2)

for run in $(seq 1 "$runs"); do
    echo "run $run of $runs" >&2
    for pair in "W1 64" "W2 16"; do
        set -- $pair
        "$root/.build/release/flatland" bench --workload "$1" --json | python3 -c "import json,sys; print('$1 flatland', json.load(sys.stdin)['$1']['samples_per_s'])"
        for k in $kernels; do
            for combine in 1 0; do
                "$work/gemm_ceiling" 16 "$2" "$combine" "$k" |
                    python3 -c "import json,sys; print('$1 $k-combine-$combine', json.load(sys.stdin)['samples_per_s'])"
            done
        done
    done
done > "$work/results.txt"

python3 - "$work/results.txt" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
series = {}
for workload, name, value in rows:
    series.setdefault((workload, name), []).append(float(value))
kernels = [k for k in ("blas", "xsmm") if ("W1", f"{k}-combine-1") in series]
print("| workload | Flatland | " + " | ".join(f"{k} ceiling with combine | {k} ceiling, products only" for k in kernels)
      + " | Flatland / best ceiling with combine (median of runs) |")
print("|---|---:|" + "---:|---:|" * len(kernels) + "---:|")
for w in ("W1", "W2"):
    f = series[(w, "flatland")]
    cells = []
    for k in kernels:
        cells += [statistics.median(series[(w, f"{k}-combine-{c}")]) for c in (1, 0)]
    # Each run's best ceiling with the combine, paired with that run's Flatland figure.
    best = [max(series[(w, f"{k}-combine-1")][i] for k in kernels) for i in range(len(f))]
    share = statistics.median(a / b for a, b in zip(f, best))
    print(f"| {w} | {statistics.median(f):,.0f} | " + " | ".join(f"{v:,.0f}" for v in cells) + f" | {share:.2f} |")
PY
echo "raw results in $work/results.txt" >&2
