// What the fuzzers found, as behaviour the normal build checks (the inputs themselves are
// replayed from tests/fuzz/corpus/ as well).
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <vector>

#include "imaging/image_decoder.h"

namespace examphoto::imaging {
namespace {

// A PNG whose IHDR claims 3857049061 × 3857049061 pixels: the product overflowed a signed
// 64-bit multiplication, slipped under the pixel limit and reached the PNG decoder.
TEST(FuzzRegressions, RefusesAPngWhosePixelCountOverflows) {
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0,    0,    0,    13,
                              'I',  'H', 'D', 'R', 0xe5, 0xe5, 0xe5, 0xe5, 0xe5, 0xe5, 0xe5, 0xe5,
                              8,    2,   0,   0,   0,    0,    0,    0,    0,    0,    0,    0,
                              0,    'I', 'E', 'N', 'D',  0xae, 0x42, 0x60, 0x82};
  auto decoded = DecodeImage(png);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "image.too_many_pixels");
}

// A 746-byte HEIC whose container says 48x16384 while its coded stream is 14441x27759: libheif
// allocated 1.2 GB (and the colour conversion as much again) before any check saw the size.
TEST(FuzzRegressions, RefusesAHeicWhoseStreamIsLargerThanItsContainerSays) {
  std::ifstream in(EXAMPHOTO_FUZZ_CORPUS "/image_decoder/oom-heic-stream-larger-than-container",
                   std::ios::binary);
  std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(file.size(), 1u);
  // The fuzzer's first byte is its options byte; the image follows.
  std::vector<uint8_t> heic(file.begin() + 1, file.end());
  ASSERT_EQ(SniffImageFormat(heic), ImageFormat::kHeif);
  auto decoded = DecodeImage(heic);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "image.too_many_pixels");
}

}  // namespace
}  // namespace examphoto::imaging
