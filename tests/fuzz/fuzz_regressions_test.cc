// What the fuzzers found, as behaviour the normal build checks (the inputs themselves are
// replayed from tests/fuzz/corpus/ as well).
#include <gtest/gtest.h>

#include <cstdint>
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

}  // namespace
}  // namespace examphoto::imaging
