// libFuzzer target: imaging::DecodeImage on arbitrary bytes (JPEG, PNG, WebP, HEIC, and
// whatever else arrives as an "image" upload). The first byte picks the decode options so
// that both the full-resolution and the reduced-scale (DCT scaling / resampling) paths run.
// The pixel limit is lowered so that one input cannot take seconds; the code paths are the
// same as with the production limit.
#include <cstddef>
#include <cstdint>
#include <span>

#include "imaging/image_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  examphoto::imaging::DecodeOptions options;
  options.max_pixels = 4'000'000;
  options.max_file_bytes = 4 * 1024 * 1024;
  static constexpr int kTargets[] = {0, 200, 640, 1600};
  options.target_long_side = kTargets[data[0] & 3];
  std::span<const uint8_t> bytes(data + 1, size - 1);
  auto decoded = examphoto::imaging::DecodeImage(bytes, options);
  if (decoded.ok()) {
    const auto& image = decoded.value();
    // Whatever the decoder says it returns must hold.
    if (image.bgr.empty() || image.bgr.type() != CV_8UC3 || image.exif.orientation < 1 ||
        image.exif.orientation > 8) {
      __builtin_trap();
    }
  }
  return 0;
}
