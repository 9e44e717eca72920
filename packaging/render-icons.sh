#!/usr/bin/env bash
# Renders the hand-drawn SVG icon into the PNG sizes the hicolor theme wants. The PNGs are committed,
# so a build never needs librsvg; run this again only after editing the SVG.
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
name=io.github.hypercomp.Workbench
for size in 16 32 48 64 128 256; do
  mkdir -p "hicolor/${size}x${size}/apps"
  out="hicolor/${size}x${size}/apps/${name}.png"
  if command -v rsvg-convert >/dev/null; then
    rsvg-convert -w "$size" -h "$size" "${name}.svg" -o "$out"
  else
    convert -background none -density 384 "${name}.svg" -resize "${size}x${size}" "PNG32:$out"
  fi
done
