#include "imaging/image_decoder.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <opencv2/imgproc.hpp>

#include "test_photos.h"

namespace examphoto::imaging {
namespace {

using testing::EncodeHeif;
using testing::EncodeJpeg;
using testing::EncodePng;
using testing::EncodeWebp;
using testing::SampleBytes;
using testing::SampleImage;
using testing::WithExif;

// A small asymmetric test card: the top-left quadrant is red, so orientation is visible.
cv::Mat Card() {
  cv::Mat card(300, 400, CV_8UC3, cv::Scalar(200, 200, 200));
  card(cv::Rect(0, 0, 200, 150)).setTo(cv::Scalar(0, 0, 255));
  return card;
}

cv::Vec3b TopLeft(const cv::Mat& image) { return image.at<cv::Vec3b>(10, 10); }

TEST(ImageDecoderTest, DecodesARealPhoneJpeg) {
  auto decoded = DecodeImage(SampleBytes(1));
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(decoded->format, ImageFormat::kJpeg);
  EXPECT_EQ(decoded->bgr.size(), SampleImage(1).size());
  EXPECT_EQ(decoded->original_size, decoded->bgr.size());
  EXPECT_DOUBLE_EQ(decoded->scale, 1.0);
}

TEST(ImageDecoderTest, DecodesLargeJpegAtReducedScaleWhenAsked) {
  auto decoded = DecodeImage(SampleBytes(2), {.target_long_side = 600});
  ASSERT_TRUE(decoded.ok());
  const int long_side = std::max(decoded->bgr.cols, decoded->bgr.rows);
  EXPECT_GE(long_side, 600);
  EXPECT_LT(long_side, 1200);
  EXPECT_EQ(decoded->original_size, SampleImage(2).size());
  EXPECT_NEAR(decoded->scale, static_cast<double>(decoded->bgr.cols) / 1920, 1e-9);
}

TEST(ImageDecoderTest, SniffsTheFormatFromBytesNotTheName) {
  const cv::Mat card = Card();
  struct Case {
    std::vector<uint8_t> bytes;
    ImageFormat format;
  };
  for (auto& [bytes, format] : std::vector<Case>{{EncodePng(card), ImageFormat::kPng},
                                                 {EncodeWebp(card), ImageFormat::kWebp},
                                                 {EncodeHeif(card), ImageFormat::kHeif},
                                                 {EncodeJpeg(card), ImageFormat::kJpeg}}) {
    auto decoded = DecodeImage(bytes);
    ASSERT_TRUE(decoded.ok()) << ImageFormatName(format) << ": " << decoded.error().detail;
    EXPECT_EQ(decoded->format, format);
    EXPECT_EQ(decoded->bgr.size(), card.size()) << ImageFormatName(format);
    const cv::Vec3b pixel = TopLeft(decoded->bgr);
    EXPECT_GT(pixel[2], 180) << ImageFormatName(format);
    EXPECT_LT(pixel[0], 70) << ImageFormatName(format);
  }
}

TEST(ImageDecoderTest, DecodesAHeicPortraitFromARealPhoto) {
  cv::Mat photo = SampleImage(3)(cv::Rect(400, 200, 600, 800)).clone();
  auto decoded = DecodeImage(EncodeHeif(photo));
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(decoded->bgr.size(), photo.size());
  cv::Mat difference;
  cv::absdiff(decoded->bgr, photo, difference);
  EXPECT_LT(cv::mean(difference)[0], 12);
}

TEST(ImageDecoderTest, AppliesExifOrientation) {
  auto decoded = DecodeImage(WithExif(EncodeJpeg(Card()), 6, ""));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->exif.orientation, 6);
  // Orientation 6: the stored image must be turned 90° clockwise, so its red top-left
  // corner ends up at the top right.
  EXPECT_EQ(decoded->bgr.size(), cv::Size(300, 400));
  EXPECT_EQ(decoded->original_size, cv::Size(300, 400));
  EXPECT_GT(decoded->bgr.at<cv::Vec3b>(10, 290)[2], 180);
  EXPECT_LT(decoded->bgr.at<cv::Vec3b>(10, 10)[2], 220);
  EXPECT_LT(decoded->bgr.at<cv::Vec3b>(10, 290)[0], 70);
}

// A picture with detail everywhere (noise over gradients) and a red top-left quadrant.
cv::Mat Textured() {
  cv::Mat image(480, 640, CV_8UC3);
  cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
  cv::GaussianBlur(image, image, {0, 0}, 1.2);
  image(cv::Rect(0, 0, 320, 240)) += cv::Scalar(0, 0, 80);
  return image;
}

TEST(ImageDecoderTest, DecodesPatchesAtFullResolutionInAnyOrientation) {
  const std::vector<uint8_t> stored = EncodeJpeg(Textured(), 95);
  for (int orientation : {1, 3, 6, 8}) {
    const std::vector<uint8_t> bytes = WithExif(stored, orientation, "");
    auto full = DecodeImage(bytes);
    ASSERT_TRUE(full.ok());
    // Centres in the upright image; the last one would leave it and is left out.
    const std::vector<cv::Point> centres = {{100, 100}, {full->bgr.cols - 90, 200}, {200, 5}};
    auto patches = DecodePatches(bytes, centres, 64);
    ASSERT_TRUE(patches.ok()) << patches.error().detail;
    ASSERT_EQ(patches->size(), 2u) << "orientation " << orientation;
    for (size_t i = 0; i < patches->size(); ++i) {
      // The same pixels as the full decode's upright patch, in the stored orientation:
      // turned back upright they agree (the two decoders' IDCTs differ by a level or two).
      cv::Mat upright = (*patches)[i];
      if (orientation == 3) cv::rotate(upright, upright, cv::ROTATE_180);
      if (orientation == 6) cv::rotate(upright, upright, cv::ROTATE_90_CLOCKWISE);
      if (orientation == 8) cv::rotate(upright, upright, cv::ROTATE_90_COUNTERCLOCKWISE);
      const cv::Mat expected =
          full->bgr(cv::Rect(centres[i] - cv::Point(32, 32), cv::Size(64, 64)));
      EXPECT_LT(cv::norm(upright, expected, cv::NORM_INF), 12) << "orientation " << orientation;
      EXPECT_LT(cv::norm(upright, expected, cv::NORM_L1) / (64.0 * 64 * 3), 1.5);
    }
  }
}

TEST(ImageDecoderTest, DecodesPatchesOfOtherFormatsAndRefusesBrokenFiles) {
  const cv::Mat image = Textured();
  auto patches = DecodePatches(EncodePng(image), std::vector<cv::Point>{{320, 240}}, 64);
  ASSERT_TRUE(patches.ok());
  ASSERT_EQ(patches->size(), 1u);
  EXPECT_EQ(cv::norm((*patches)[0], image(cv::Rect(288, 208, 64, 64)), cv::NORM_INF), 0);
  std::vector<uint8_t> truncated = EncodeJpeg(image, 95);
  truncated.resize(truncated.size() / 3);
  auto broken = DecodePatches(truncated, std::vector<cv::Point>{{320, 400}}, 64);
  // Either refused or answered with grey rows: never a crash or a read past the buffer.
  if (!broken.ok()) {
    EXPECT_TRUE(broken.error().code.starts_with("image."));
  }
  EXPECT_FALSE(
      DecodePatches(std::vector<uint8_t>{'n', 'o'}, std::vector<cv::Point>{{1, 1}}, 64).ok());
}

TEST(ImageDecoderTest, KeepsTheEditingSoftwareNamedInExif) {
  auto decoded = DecodeImage(WithExif(EncodeJpeg(Card()), 1, "Adobe Photoshop 25.0 (Windows)"));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->exif.software, "Adobe Photoshop 25.0 (Windows)");
}

TEST(ImageDecoderTest, RefusesTextAsNotAnImage) {
  const std::string text = "<html><body>not a photo</body></html>";
  auto decoded = DecodeImage(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "image.not_an_image");
  EXPECT_FALSE(DecodeImage({}).ok());
}

TEST(ImageDecoderTest, RefusesGifAsUnsupportedFormat) {
  const std::string gif = "GIF89a\x01\x00\x01\x00";
  auto decoded = DecodeImage(std::span(reinterpret_cast<const uint8_t*>(gif.data()), gif.size()));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "image.unsupported_format");
}

TEST(ImageDecoderTest, RefusesTruncatedFilesOfEveryFormat) {
  const cv::Mat photo = SampleImage(1)(cv::Rect(300, 200, 600, 800)).clone();
  for (auto bytes : {SampleBytes(1), EncodePng(photo), EncodeWebp(photo), EncodeHeif(photo)}) {
    bytes.resize(bytes.size() * 6 / 10);
    auto decoded = DecodeImage(bytes);
    ASSERT_FALSE(decoded.ok()) << ImageFormatName(SniffImageFormat(bytes));
    EXPECT_EQ(decoded.error().code, "image.truncated") << ImageFormatName(SniffImageFormat(bytes));
  }
}

TEST(ImageDecoderTest, RefusesADecompressionBombBeforeDecoding) {
  // A real PNG whose header announces 40000×40000 pixels (1.6 GP): refused from the header.
  std::vector<uint8_t> png = EncodePng(Card());
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) png[at + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
  };
  put32(16, 40000);
  put32(20, 40000);
  put32(29, static_cast<uint32_t>(crc32(0, png.data() + 12, 17)));
  auto decoded = DecodeImage(png);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "image.too_many_pixels");

  auto jpeg = DecodeImage(SampleBytes(1), {.max_pixels = 1'000'000});
  ASSERT_FALSE(jpeg.ok());
  EXPECT_EQ(jpeg.error().code, "image.too_many_pixels");
}

// Security finding F13: a 1,000,000 x 1 PNG reached OpenCV and failed an assertion (500).
TEST(ImageDecoderTest, RefusesImagesOfImpossibleShapeFromTheHeader) {
  const cv::Mat line(1, 1'000'000, CV_8UC3, cv::Scalar(90, 90, 90));
  const cv::Mat column(20'000, 20, CV_8UC3, cv::Scalar(90, 90, 90));
  const cv::Mat tiny(8, 8, CV_8UC3, cv::Scalar(90, 90, 90));
  for (const auto& bytes : {EncodePng(line), EncodePng(column), EncodeJpeg(tiny), EncodeWebp(tiny),
                            EncodeJpeg(cv::Mat(16, 200, CV_8UC3, cv::Scalar(1, 2, 3)))}) {
    auto decoded = DecodeImage(bytes);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, "image.bad_dimensions") << decoded.error().detail;
    EXPECT_EQ(decoded.error().kind, ErrorKind::kInvalidInput);
  }
  // Every ordinary shape still decodes: portrait, landscape, a 16:9 screen shot of a card.
  for (const cv::Size size : {cv::Size(300, 400), cv::Size(400, 300), cv::Size(640, 360)}) {
    EXPECT_TRUE(DecodeImage(EncodePng(cv::Mat(size, CV_8UC3, cv::Scalar(9, 9, 9)))).ok());
  }
}

TEST(ImageDecoderTest, RefusesFilesOverTheSizeLimit) {
  auto decoded = DecodeImage(SampleBytes(1), {.max_file_bytes = 100 * 1024});
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, "image.file_too_large");
}

}  // namespace
}  // namespace examphoto::imaging
