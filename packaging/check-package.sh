#!/usr/bin/env bash
# Builds the Debian package from an already built tree into a temporary folder and checks it.
#   check-package.sh CPACK BUILD_DIR PACKAGE_NAME EXPECTED_PATH...
# Every EXPECTED_PATH (relative, e.g. usr/bin/hypercomp) must be in `dpkg-deb -c`; the control
# file must name the package and carry the shared-library dependencies dpkg-shlibdeps found.
set -uo pipefail

fail() { echo "check-package.sh: $*" >&2; exit 1; }

[ $# -ge 4 ] || fail "usage: check-package.sh CPACK BUILD_DIR PACKAGE_NAME EXPECTED_PATH..."
cpack=$1 build=$2 name=$3
shift 3
dpkg_deb=${DPKG_DEB:-dpkg-deb}
command -v "$dpkg_deb" >/dev/null 2>&1 || fail "dpkg-deb is not installed (Debian package dpkg)."
command -v dpkg-shlibdeps >/dev/null 2>&1 || fail "dpkg-shlibdeps is not installed (Debian package dpkg-dev)."
[ -f "$build/CPackConfig.cmake" ] || fail "$build/CPackConfig.cmake is missing; configure the build first."
for exe in hypercomp hypercomp-workbench; do
  [ -x "$build/bin/$exe" ] || fail "$build/bin/$exe is missing; build it before packaging."
done

tmp=$(mktemp -d) || fail "cannot create a temporary directory."
trap 'rm -rf "$tmp"' EXIT

# Plain cpack first runs the `preinstall` target, which with Makefiles rebuilds the whole tree (every
# test and benchmark). The test packages what is already built instead: naming a generator without a
# preinstall target makes cpack go straight to the install scripts, which do not depend on it.
if ! (cd "$build" && "$cpack" -G DEB -B "$tmp" --config CPackConfig.cmake -D CPACK_CMAKE_GENERATOR=Ninja \
        >"$tmp/cpack.log" 2>&1); then
  cat "$tmp/cpack.log" >&2
  fail "cpack -G DEB failed in $build."
fi
debs=("$tmp"/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "cpack made ${#debs[@]} .deb files in $tmp, expected one."
deb=${debs[0]}

"$dpkg_deb" -c "$deb" >"$tmp/contents" || fail "$(basename "$deb"): dpkg-deb cannot list it."
missing=0
for path in "$@"; do
  # Lines look like "-rw-r--r-- root/root  1234 2024-01-01 00:00 ./usr/bin/hypercomp".
  if ! awk '{print $NF}' "$tmp/contents" | grep -qxF "./$path"; then
    echo "check-package.sh: $(basename "$deb") does not contain $path." >&2
    missing=1
  fi
done
[ $missing -eq 0 ] || { cat "$tmp/contents" >&2; exit 1; }

package=$("$dpkg_deb" -f "$deb" Package)
[ "$package" = "$name" ] || fail "$(basename "$deb"): the package is called \"$package\", expected \"$name\"."
depends=$("$dpkg_deb" -f "$deb" Depends)
for lib in libqt6widgets6 libqt6core6 libstdc++6; do
  grep -q "$lib" <<<"$depends" || fail "$(basename "$deb"): Depends does not name $lib: \"$depends\"."
done

echo "$(basename "$deb"): $(wc -l <"$tmp/contents") entries, $(du -k "$deb" | cut -f1) KiB"
echo "Depends: $depends"
