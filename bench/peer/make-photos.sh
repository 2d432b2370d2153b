#!/bin/sh
# Builds make_photos against build-imaging (needs photo_bench built there) and writes
# photo_12mp.jpg and photo_1mp.jpg, the inputs of bench/imaging/photo_bench, into $1.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-imaging"
out=${1:-/tmp/peer-photos}
mkdir -p "$out"
cmake --build "$build" --target photo_bench >/dev/null
c++ -O3 -DNDEBUG -std=c++20 \
  -DEXAMPHOTO_SAMPLE_DIR="\"$root/deps/models/node_modules/@vladmandic/face-api/demo\"" \
  -DEXAMPHOTO_SHAPE_PREDICTOR='"/usr/share/dlib/shape_predictor_68_face_landmarks.dat"' \
  -DEXAMPHOTO_CONVERTED_MODEL_DIR="\"$root/deps/models/converted\"" \
  -I"$root/tests/imaging" -I"$root/src" -isystem /usr/include/opencv4 \
  "$root/bench/peer/make_photos.cc" "$root/tests/imaging/test_photos.cc" \
  "$build/src/imaging/libexamphoto_imaging.a" "$build/src/imaging/libexamphoto_photo_profiles.a" \
  "$build/src/domain/libexamphoto_domain.a" "$build/src/domain/libexamphoto_catalogue.a" \
  -lopencv_imgcodecs -lopencv_calib3d -lopencv_features2d -lopencv_imgproc -lopencv_flann \
  -lopencv_core -ldlib -lwebpdemux -lwebp -lheif -lboost_json -lboost_container -lturbojpeg \
  -ljpeg -lpng -lz -lblas -llapack -lsqlite3 -lpthread \
  -o "$out/make_photos"
"$out/make_photos" "$out"
