#!/usr/bin/env bash
# Installs every system package examphoto needs to build, run and test, from Debian's
# registry only. Safe to run again: apt skips what is already there.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang-format clang-tidy
  # server: HTTP (Beast/Asio/JSON from Boost 1.81), TLS for outgoing calls, storage, crypto, logs, CLI
  libboost1.81-dev libboost-json1.81-dev libssl-dev libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev libspdlog-dev libfmt-dev libcli11-dev
  # images and models: OpenCV, dlib (+ 68-landmark model), OpenBLAS behind libblas.so.3, codecs
  libopencv-dev opencv-data libdlib-dev libdlib-data libopenblas0-pthread
  libturbojpeg0-dev libjpeg62-turbo-dev libpng-dev libwebp-dev libheif-dev libexif-dev
  # specimen ID cards for the tests (tools/idcard_generator); the reader itself is PP-OCR from npm
  fonts-noto-cjk
  # converting MediaPipe's selfie segmentation and face mesh (TF.js graphs) to ONNX at install time
  python3-onnx python3-numpy
  # office exports
  libxlsxwriter-dev libqrencode-dev zlib1g-dev unzip
  # tests and benchmarks: PostgreSQL server, browser, load generator
  libgtest-dev libgmock-dev libbenchmark-dev postgresql wrk chromium python3 iproute2 procps bc nginx-light
  # loading every core while the server suites run (scripts/stress-suites.sh)
  stress-ng
  # fuzzing: clang with libFuzzer and the sanitizer runtimes (scripts/fuzz.sh)
  clang libclang-rt-14-dev
)

if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20 or newer is needed (for the web app build and the browser tests)." >&2
  exit 1
fi
