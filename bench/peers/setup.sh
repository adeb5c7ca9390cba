#!/usr/bin/env bash
# Creates bench/peers/.venv with CPU PyTorch and NumPy from PyPI, only if they are missing.
# Usage: bench/peers/setup.sh        (prints the venv's python path on success)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv" >&2
    "$python" -m venv "$venv"
fi

if ! "$venv/bin/python" -c 'import torch, numpy' 2>/dev/null; then
    echo "installing torch and numpy from PyPI into $venv (large download)" >&2
    "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
    "$venv/bin/python" -m pip install torch numpy >&2
fi

"$venv/bin/python" -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)' >&2
echo "$venv/bin/python"
