#!/usr/bin/env bash
# Documentation gate: builds the DocC catalog of FlatlandAnalysis (its articles and the doc
# comments of its public symbols) with swift-docc-plugin, and fails on any DocC warning: a
# broken symbol or article link, an undocumented parameter beside documented ones. The archive
# is written to .build/plugins/Swift-DocC/outputs/FlatlandAnalysis.doccarchive.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package --disable-sandbox generate-documentation --target FlatlandAnalysis --warnings-as-errors "$@"
