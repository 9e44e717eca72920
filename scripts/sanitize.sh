#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/ and runs the
# whole CTest suite under them. Extra arguments go to ctest (e.g. -R 'codec_|io_' for a subset).
# HC_ASAN_SUBSET=core builds and runs only the tests that do not need Qt Widgets (everything but
# widgets_* and packaging_*), which saves most of the build time when CI is short of it.
# Any sanitizer report fails the run: UBSan halts on the first error, ASan always does.
# Third-party findings (LibTorch, Qt) are suppressed by name in scripts/sanitizers/, never by
# switching a sanitizer off.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CCACHE_BASEDIR="$root" # share ccache objects across clones (CI builds a fresh one)
build=${HC_ASAN_BUILD_DIR:-build-asan}

start=$(date +%s)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHC_SANITIZE=ON -DHC_BUILD_BENCH=OFF \
      ${HC_CMAKE_ARGS:-}
ctest_filter=()
if [ "${HC_ASAN_SUBSET:-all}" = core ]; then
  mapfile -t targets < <(cmake --build "$build" --target help | sed -n 's/^\.\.\. \([a-z]*_tst_[a-z0-9_]*\).*/\1/p' \
                         | grep -v -e '^widgets_' -e '_autogen$')
  targets+=(hypercomp hc_make_demo_model) # run by cli_tst_hypercompcli and torch_tst_demomodel
  cmake --build "$build" -j"${HC_JOBS:-$(nproc)}" --target "${targets[@]}"
  ctest_filter=(-E '^(widgets|packaging)_')
else
  cmake --build "$build" -j"${HC_JOBS:-$(nproc)}"
fi
built=$(date +%s)
echo "sanitize.sh: build took $((built - start)) s"

# Leaks are not checked by default: every widget test leaks the QChart that QChartView(parent)
# makes and setChart() then disowns (LayerBarsChart, SweepChart, WeightCloudView). Everything else
# passes with HC_ASAN_OPTIONS=detect_leaks=1 (LibTorch's own leak is suppressed in lsan.supp).
export ASAN_OPTIONS="detect_leaks=0:strict_string_checks=1:check_initialization_order=1${HC_ASAN_OPTIONS:+:$HC_ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/scripts/sanitizers/ubsan.supp"
export QT_QPA_PLATFORM=offscreen
status=0
ctest --test-dir "$build" --output-on-failure -j"${HC_TEST_JOBS:-2}" "${ctest_filter[@]}" "$@" || status=$?
echo "sanitize.sh: tests took $(( $(date +%s) - built )) s (status $status)"
exit $status
