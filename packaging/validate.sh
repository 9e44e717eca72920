#!/usr/bin/env bash
# Validates the desktop entry and the AppStream metainfo the package installs.
#   validate.sh VERSION DESKTOP METAINFO ICONDIR
#   validate.sh --expect-failure desktop|metainfo|version VERSION DESKTOP METAINFO ICONDIR
# The second form breaks a copy of one input on purpose and succeeds only if validation then fails,
# so that a validator which accepts anything cannot pass unnoticed.
set -uo pipefail

desktop_validate=${DESKTOP_FILE_VALIDATE:-desktop-file-validate}
appstreamcli=${APPSTREAMCLI:-appstreamcli}

fail() { echo "validate.sh: $*" >&2; exit 1; }

validate() {
  local version=$1 desktop=$2 metainfo=$3 icondir=$4 out status=0

  command -v "$desktop_validate" >/dev/null 2>&1 ||
    fail "desktop-file-validate is not installed (Debian package desktop-file-utils)."
  command -v "$appstreamcli" >/dev/null 2>&1 ||
    fail "appstreamcli is not installed (Debian package appstream)."

  # desktop-file-validate exits 0 on warnings; treat them as failures too.
  out=$("$desktop_validate" "$desktop" 2>&1) || status=1
  if [ $status -ne 0 ] || grep -Eq '(error|warning):' <<<"$out"; then
    echo "$out" >&2
    echo "validate.sh: $desktop: desktop-file-validate reports problems." >&2
    return 1
  fi

  if ! out=$("$appstreamcli" validate --no-net --strict "$metainfo" 2>&1); then
    echo "$out" >&2
    echo "validate.sh: $metainfo: appstreamcli validate reports problems." >&2
    return 1
  fi

  # The newest release must be the version being built, or software centres show a stale one.
  local newest
  newest=$(grep -o '<release [^>]*version="[^"]*"' "$metainfo" | head -n1 | sed 's/.*version="\([^"]*\)".*/\1/')
  if [ "$newest" != "$version" ]; then
    echo "validate.sh: $metainfo: the newest release is \"$newest\" but the project version is \"$version\"." >&2
    return 1
  fi

  local id launchable icon
  id=$(basename "$desktop" .desktop)
  launchable=$(sed -n 's/.*<launchable type="desktop-id">\(.*\)<\/launchable>.*/\1/p' "$metainfo")
  if [ "$launchable" != "$id.desktop" ]; then
    echo "validate.sh: $metainfo: the launchable \"$launchable\" is not the desktop file \"$id.desktop\"." >&2
    return 1
  fi
  icon=$(sed -n 's/^Icon=//p' "$desktop")
  if [ "$icon" != "$id" ]; then
    echo "validate.sh: $desktop: Icon=$icon should be the application id $id." >&2
    return 1
  fi
  [ -s "$icondir/$icon.svg" ] || { echo "validate.sh: $icondir/$icon.svg is missing." >&2; return 1; }
  local size png dims
  for size in 16 32 48 64 128 256; do
    png="$icondir/hicolor/${size}x${size}/apps/$icon.png"
    [ -s "$png" ] || { echo "validate.sh: $png is missing." >&2; return 1; }
    # Width and height are the big-endian 32-bit words at bytes 16 and 20 of a PNG.
    dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
    if [ "$dims" != "${size}x${size}" ]; then
      echo "validate.sh: $png is $dims pixels, not ${size}x${size}." >&2
      return 1
    fi
  done
  return 0
}

if [ "${1:-}" = "--expect-failure" ]; then
  [ $# -eq 6 ] || fail "usage: validate.sh --expect-failure desktop|metainfo|version VERSION DESKTOP METAINFO ICONDIR"
  kind=$2 version=$3 desktop=$4 metainfo=$5 icondir=$6
  tmp=$(mktemp -d) || fail "cannot create a temporary directory."
  trap 'rm -rf "$tmp"' EXIT
  cp "$desktop" "$tmp/" && cp "$metainfo" "$tmp/" || fail "cannot copy the inputs to $tmp."
  desktop=$tmp/$(basename "$desktop")
  metainfo=$tmp/$(basename "$metainfo")
  case $kind in
    desktop) sed -i 's/^Type=Application$/Type=Program/' "$desktop" ;;
    metainfo) sed -i '/<summary>/d' "$metainfo" ;;
    version) version=99.99.99 ;;
    *) fail "unknown kind of breakage \"$kind\"." ;;
  esac
  if validate "$version" "$desktop" "$metainfo" "$icondir" 2>"$tmp/log"; then
    fail "validation accepted a deliberately broken $kind."
  fi
  echo "validation rejected the broken $kind as expected:"
  cat "$tmp/log"
  exit 0
fi

[ $# -eq 4 ] || fail "usage: validate.sh VERSION DESKTOP METAINFO ICONDIR"
validate "$@" || exit 1
echo "$(basename "$2") and $(basename "$3") are valid; icons complete."
