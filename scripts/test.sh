#!/usr/bin/env bash
# Quick start, part two: install what is missing, build, and run the whole test suite (offscreen).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure -j"${HC_TEST_JOBS:-2}" "$@"
