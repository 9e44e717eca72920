#!/usr/bin/env bash
# Installs the Debian packages HyperComp needs (only those missing), then configures and builds
# into build/. Safe to run again: a second run installs nothing and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make ccache qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-tools-dev
          qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libeigen3-dev libnanoflann-dev libtorch-dev
          libzstd-dev xvfb x11-apps imagemagick fonts-dejavu-core fonts-noto-cjk appstream desktop-file-utils
          python3-torch clang libclang-rt-14-dev ninja-build dpkg-dev librsvg2-bin file)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ccache keys on absolute paths unless told the project root: with it, a fresh clone (as CI makes)
# reuses the objects of an earlier build of the same sources.
export CCACHE_BASEDIR="$PWD"
build_type=${HC_BUILD_TYPE:-Release}
cmake -S . -B build -DCMAKE_BUILD_TYPE="$build_type" ${HC_CMAKE_ARGS:-}
cmake --build build -j"${HC_JOBS:-$(nproc)}"
