"""Prints Flatland/PyTorch ratios per workload from benchmark JSON files, against their targets.

Usage: python3 bench/ratios.py FLATLAND_JSON TORCH_JSON [FLATLAND_JSON TORCH_JSON ...]

Each pair is one back-to-back run; every file holds one object per workload name. Rates (W1-W4)
are compared as Flatland / PyTorch; W5 is a time, so its ratio is PyTorch seconds / Flatland
seconds: above 1 means Flatland is faster everywhere. On a shared machine the rates drift
between runs by more than the margins, so each run's ratio is paired, and the verdict uses the
median ratio over the runs. Exits 1 when a median is below its target.
"""

import statistics

import json
import sys

# Workload -> (metric, higher is better, target ratio; BENCHMARKS.md lists them).
METRICS = {
    "W1": ("samples_per_s", True, 2.0),
    "W2": ("samples_per_s", True, 3.0),
    "W3": ("samples_per_s", True, 2.5),
    "W4": ("hvps_per_s", True, 1.2),
    "W5": ("seconds", False, 1.6),
}
SGEMM_SHARE_TARGET = 0.6


def number(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as error:
        sys.exit(f"ratios.py: cannot read benchmark JSON {path}: {error}")


def main():
    paths = sys.argv[1:]
    if not paths or len(paths) % 2:
        sys.exit(f"usage: python3 bench/ratios.py FLATLAND_JSON TORCH_JSON [...] (got {len(paths)} arguments)")
    runs = [(load(paths[i]), load(paths[i + 1])) for i in range(0, len(paths), 2)]

    print(f"{'workload':<9}{'metric':<15}{'flatland':>12}{'pytorch':>12}{'median':>8}{'target':>8}  "
          f"{'ok':<4}ratio per run (pytorch variant)")
    failures = 0
    for name, (metric, higher_is_better, target) in METRICS.items():
        pairs = [(f[name], t[name]) for f, t in runs if name in f and name in t]
        if not pairs:
            continue
        ratios = [(ours[metric] / theirs[metric]) if higher_is_better else (theirs[metric] / ours[metric])
                  for ours, theirs in pairs]
        ratio = statistics.median(ratios)
        ok = ratio >= target
        failures += not ok
        ours = statistics.median(p[0][metric] for p in pairs)
        theirs = statistics.median(p[1][metric] for p in pairs)
        per_run = " / ".join(f"{r:.2f}x ({p[1].get('variant', '')})" for r, p in zip(ratios, pairs))
        print(f"{name:<9}{metric:<15}{number(ours):>12}{number(theirs):>12}{ratio:>7.2f}x"
              f"{target:>7.1f}x  {'yes' if ok else 'NO':<4}{per_run}")

    w1 = [f["W1"] for f, _ in runs if "W1" in f]
    if w1:
        share = statistics.median(r["gflops"] / r["sgemm_gflops"] for r in w1)
        ok = share >= SGEMM_SHARE_TARGET
        failures += not ok
        each = " / ".join(f"{r['gflops']:.0f} of {r['sgemm_gflops']:.0f}" for r in w1)
        print(f"W1 reaches a median {share:.0%} of the sgemm GFLOPS measured in the same run ({each}; "
              f"target {SGEMM_SHARE_TARGET:.0%}): {'yes' if ok else 'NO'}")
    print("W5's ratio is PyTorch seconds / Flatland seconds; the others are Flatland rate / PyTorch rate;")
    print(f"flatland and pytorch columns are medians over {len(runs)} run(s).")
    print(f"{failures} figure(s) below target" if failures else "all figures reached")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
