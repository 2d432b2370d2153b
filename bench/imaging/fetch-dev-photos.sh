#!/usr/bin/env bash
# Fetches the public-domain portraits of the development set that Debian's data packages ship
# (tests/imaging/dev_set/README.md) into bench/reference-cache/photos/ (git-ignored), without
# installing the packages: `apt-get download` + `dpkg -x`.
#   python3-skimage           skimage/data/astronaut.png (NASA, public domain)
#   python-matplotlib-data    mpl-data/sample_data/grace_hopper.jpg (US Navy, public domain)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/reference-cache/photos"
[ -f "$out/astronaut.png" ] && [ -f "$out/grace_hopper.jpg" ] && { echo "$out"; exit 0; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"  # apt's download user must be able to write there
(cd "$work" && apt-get download -q python3-skimage python-matplotlib-data >/dev/null)
for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/x"; done
cp "$work/x/usr/lib/python3/dist-packages/skimage/data/astronaut.png" "$out/"
cp "$work/x/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg" "$out/"
echo "$out"
