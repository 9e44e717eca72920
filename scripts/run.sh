#!/usr/bin/env bash
# Quick start, part one: install what is missing, build, and start the workbench.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/bin/hypercomp-workbench "$@"
