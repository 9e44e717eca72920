#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and runs each one for
# SECONDS (default 60) from its seed corpus in tests/fuzz/corpus/<target>/. Fails when any target
# crashes, leaks, times out or runs out of memory; the input that did it is left in
# build-fuzz/artifacts/<target>/ (copy it into the corpus and add a regression test).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# New inputs the fuzzer finds go to build-fuzz/corpus/<target>/, never into the committed seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CCACHE_BASEDIR="$root" # share ccache objects across clones (CI builds a fresh one)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_safetensors fuzz_archive fuzz_config fuzz_torchpickle fuzz_statedict)
build=${HC_FUZZ_BUILD_DIR:-build-fuzz}

start=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHC_FUZZ=ON \
  -DHC_BUILD_TESTS=OFF -DHC_BUILD_BENCH=OFF ${HC_CMAKE_ARGS:-}
cmake --build "$build" -j"${HC_JOBS:-$(nproc)}" --target "${targets[@]}"
echo "fuzz.sh: build took $(( $(date +%s) - start )) s"

# Leaks are checked (our parsers must not leak on any input; LibTorch's own are suppressed by
# name in scripts/sanitizers/lsan.supp); UBSan findings abort.
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1${HC_ASAN_OPTIONS:+:$HC_ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/scripts/sanitizers/ubsan.supp"
export LSAN_OPTIONS="suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0"
failed=()
for t in "${targets[@]}"; do
  seeds="$root/tests/fuzz/corpus/${t#fuzz_}"
  work="$root/$build/corpus/$t"
  artifacts="$root/$build/artifacts/$t/"
  mkdir -p "$work" "$artifacts"
  echo "fuzz.sh: running $t for $seconds s"
  # -rss_limit_mb: LibTorch alone takes a few hundred MB; -max_len: seeds are under 20 KB.
  if ! "$build/fuzz/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -max_len=32768 \
       -print_final_stats=1 -artifact_prefix="$artifacts" "$work" "$seeds" > "$root/$build/$t.log" 2>&1; then
    tail -n 60 "$root/$build/$t.log"
    failed+=("$t")
  else
    grep -E '^(stat::number_of_executed_units|stat::new_units_added)' "$root/$build/$t.log" | sed "s/^/  $t: /" || true
  fi
done
echo "fuzz.sh: total $(( $(date +%s) - start )) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: FAILED: ${failed[*]} (inputs in $build/artifacts/)"
  exit 1
fi
echo "fuzz.sh: no crashes"
