#!/usr/bin/env bash
# Style gate: `swift format lint --strict` with the repository's .swift-format, and no Swift
# line longer than 120 columns (swift format does not break string literals).
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict --recursive --parallel Package.swift Sources Tests
python3 - <<'PY'
import subprocess, sys
long = [
    f"{path}:{number}: {len(line)} columns (at most 120)"
    for path in subprocess.check_output(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.swift"], text=True).split()
    for number, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1)
    if len(line) > 120
]
print("\n".join(long), file=sys.stderr) if long else None
sys.exit(1 if long else 0)
PY
