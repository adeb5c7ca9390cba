#!/usr/bin/env bash
# Installs what Flatland needs on a Debian machine, only what `dpkg -s` reports missing,
# non-interactively (CI runs as root with no terminal). The Swift 6 toolchain itself is
# expected on PATH (or at /opt/swift/usr/bin).
#
# --browser also installs Debian's chromium (and a font for it), which the report's browser
# test runs headless; without it that test is skipped, except under CI=true, where it fails.
set -euo pipefail

packages=(libopenblas-dev zlib1g-dev libopenmpi-dev openmpi-bin dataset-fashion-mnist python3)
# Installed where Debian packages them for this architecture, skipped elsewhere: libxsmm-dev's
# JIT kernels multiply the small per-agent products (without it OpenBLAS multiplies them all).
optional=(libxsmm-dev)
for arg in "$@"; do
  case "$arg" in
    --browser) packages+=(chromium fonts-dejavu-core) ;;
    *)
      echo "setup: unknown option '$arg': expected --browser or nothing" >&2
      exit 2
      ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# The optional packages not installed that the package lists (as they stand) offer.
offered() {
  for p in "${optional[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || ! apt-cache show "$p" >/dev/null 2>&1 || echo "$p"
  done
}
extra=($(offered))
if [ ${#missing[@]} -gt 0 ] || [ ${#extra[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  extra=($(offered))
  echo "setup: installing ${missing[*]} ${extra[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" "${extra[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "setup: swift is at /opt/swift/usr/bin; add it to PATH" >&2
  else
    echo "setup: no Swift toolchain found: install Swift 6.1 or newer and put 'swift' on PATH" >&2
  fi
  exit 1
fi
