"""Prints Flatland/PyTorch ratios per workload from the two benchmark JSON files (issue 8).

Usage: python3 bench/ratios.py FLATLAND_JSON TORCH_JSON

Both files hold one object per workload name. Rates (W1-W4) are compared as Flatland / PyTorch;
W5 is a time, so its ratio is PyTorch seconds / Flatland seconds: above 1 means Flatland is
faster everywhere. Exits 1 when a figure is below the issue's target.
"""

import json
import sys

# Workload -> (metric, higher is better, target ratio from issue 8).
METRICS = {
    "W1": ("samples_per_s", True, 2.0),
    "W2": ("samples_per_s", True, 4.0),
    "W3": ("samples_per_s", True, 2.0),
    "W4": ("hvps_per_s", True, 1.0),
    "W5": ("seconds", False, 3.0),
}
SGEMM_SHARE_TARGET = 0.6


def number(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: python3 bench/ratios.py FLATLAND_JSON TORCH_JSON (got {len(sys.argv) - 1} arguments)")
    with open(sys.argv[1]) as f:
        flatland = json.load(f)
    with open(sys.argv[2]) as f:
        torch = json.load(f)

    print(f"{'workload':<9}{'metric':<15}{'flatland':>12}{'pytorch':>12}{'ratio':>8}{'target':>8}  "
          f"{'ok':<4}pytorch variant")
    failures = 0
    for name, (metric, higher_is_better, target) in METRICS.items():
        if name not in flatland or name not in torch:
            continue
        ours, theirs = flatland[name][metric], torch[name][metric]
        ratio = ours / theirs if higher_is_better else theirs / ours
        ok = ratio >= target
        failures += not ok
        print(f"{name:<9}{metric:<15}{number(ours):>12}{number(theirs):>12}{ratio:>7.2f}x"
              f"{target:>7.1f}x  {'yes' if ok else 'NO':<4}{torch[name].get('variant', '')}")

    if "W1" in flatland:
        w1 = flatland["W1"]
        share = w1["gflops"] / w1["sgemm_gflops"]
        ok = share >= SGEMM_SHARE_TARGET
        failures += not ok
        print(f"W1 reaches {w1['gflops']:.1f} GFLOPS = {share:.0%} of the {w1['sgemm_gflops']:.1f} "
              f"sgemm GFLOPS measured in the same run (target {SGEMM_SHARE_TARGET:.0%}): "
              f"{'yes' if ok else 'NO'}")
    print("W5's ratio is PyTorch seconds / Flatland seconds; the others are Flatland rate / PyTorch rate.")
    print(f"{failures} figure(s) below target" if failures else "all figures reached")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
