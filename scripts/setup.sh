#!/usr/bin/env bash
# Installs what Flatland needs on a Debian machine, only what `dpkg -s` reports missing,
# non-interactively (CI runs as root with no terminal). The Swift 6 toolchain itself is
# expected on PATH (or at /opt/swift/usr/bin).
#
# --browser also installs Debian's chromium (and a font for it), which the report's browser
# test runs headless; without it that test is skipped, except under CI=true, where it fails.
set -euo pipefail

packages=(libopenblas-dev zlib1g-dev libopenmpi-dev openmpi-bin dataset-fashion-mnist python3)
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
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "setup: swift is at /opt/swift/usr/bin; add it to PATH" >&2
  else
    echo "setup: no Swift toolchain found: install Swift 6.1 or newer and put 'swift' on PATH" >&2
  fi
  exit 1
fi
