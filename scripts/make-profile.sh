#!/usr/bin/env bash
# Recomputes src/kaartenoptafel/profiles/kot-fogra39-300.icc from Fogra's FOGRA39L characterization data
# (zlib licence, Debian package icc-profiles-free) with ArgyllCMS (Debian package argyll). Needs both installed.
# The profile's header holds its creation date, so a rerun differs in those bytes only.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
(cd "$work" && colprof -qm -nc -kp 0 .4 1 1 1 -l300 -L95 -A "kaartenoptafel" -M "FOGRA39L coated, 300% total ink" \
  -D "Kaarten op Tafel coated FOGRA39 300% (from FOGRA39L data)" \
  -C "Made with ArgyllCMS colprof from the FOGRA39L characterization data; zlib licence (see profiles/LICENSE.txt of kaartenoptafel)" \
  -O kot-fogra39-300.icc FOGRA39L >/dev/null)
cp "$work/kot-fogra39-300.icc" src/kaartenoptafel/profiles/
