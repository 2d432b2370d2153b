#include "test_photos.h"

#include <libheif/heif.h>
#include <webp/encode.h>

#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>

namespace examphoto::imaging::testing {

std::string SamplePath(int n) {
  return std::string(EXAMPHOTO_SAMPLE_DIR) + "/sample" + std::to_string(n) + ".jpg";
}

std::vector<uint8_t> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing " + path + " (run scripts/install-models.sh)");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<uint8_t> SampleBytes(int n) { return ReadFileBytes(SamplePath(n)); }

cv::Mat SampleImage(int n) {
  cv::Mat image = cv::imread(SamplePath(n));
  if (image.empty()) throw std::runtime_error("missing " + SamplePath(n));
  return image;
}

std::vector<uint8_t> EncodeJpeg(const cv::Mat& bgr, int quality) {
  std::vector<uint8_t> out;
  cv::imencode(".jpg", bgr, out, {cv::IMWRITE_JPEG_QUALITY, quality});
  return out;
}

std::vector<uint8_t> EncodePng(const cv::Mat& image) {
  std::vector<uint8_t> out;
  cv::imencode(".png", image, out);
  return out;
}

std::vector<uint8_t> EncodeWebp(const cv::Mat& bgr, float quality) {
  uint8_t* output = nullptr;
  const size_t size =
      WebPEncodeBGR(bgr.data, bgr.cols, bgr.rows, static_cast<int>(bgr.step), quality, &output);
  std::vector<uint8_t> bytes(output, output + size);
  WebPFree(output);
  return bytes;
}

std::vector<uint8_t> EncodeHeif(const cv::Mat& bgr, int quality) {
  heif_context* context = heif_context_alloc();
  heif_encoder* encoder = nullptr;
  heif_context_get_encoder_for_format(context, heif_compression_HEVC, &encoder);
  if (encoder == nullptr) throw std::runtime_error("libheif has no HEVC encoder");
  heif_encoder_set_lossy_quality(encoder, quality);
  heif_image* image = nullptr;
  heif_image_create(bgr.cols, bgr.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &image);
  heif_image_add_plane(image, heif_channel_interleaved, bgr.cols, bgr.rows, 8);
  int stride = 0;
  uint8_t* plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
  for (int y = 0; y < bgr.rows; ++y) {
    const auto* in = bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      plane[y * stride + 3 * x + 0] = in[x][2];
      plane[y * stride + 3 * x + 1] = in[x][1];
      plane[y * stride + 3 * x + 2] = in[x][0];
    }
  }
  heif_context_encode_image(context, image, encoder, nullptr, nullptr);
  std::vector<uint8_t> bytes;
  heif_writer writer{1, [](heif_context*, const void* data, size_t size, void* userdata) {
                       auto* out = static_cast<std::vector<uint8_t>*>(userdata);
                       const auto* p = static_cast<const uint8_t*>(data);
                       out->insert(out->end(), p, p + size);
                       return heif_error{heif_error_Ok, heif_suberror_Unspecified, ""};
                     }};
  heif_context_write(context, &writer, &bytes);
  heif_image_release(image);
  heif_encoder_release(encoder);
  heif_context_free(context);
  return bytes;
}

std::vector<uint8_t> WithExif(std::vector<uint8_t> jpeg, int orientation,
                              const std::string& software) {
  // Little-endian TIFF: header, IFD0 with Orientation (SHORT) and Software (ASCII).
  std::vector<uint8_t> tiff = {'I', 'I', 42, 0, 8, 0, 0, 0};
  auto u16 = [&](int v) {
    tiff.push_back(v & 0xFF);
    tiff.push_back((v >> 8) & 0xFF);
  };
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) tiff.push_back((v >> (8 * i)) & 0xFF);
  };
  const int entries = software.empty() ? 1 : 2;
  u16(entries);
  u16(0x0112);
  u16(3);
  u32(1);
  u16(orientation);
  u16(0);
  const uint32_t text_offset = 8 + 2 + 12 * entries + 4;
  if (!software.empty()) {
    u16(0x0131);
    u16(2);
    u32(static_cast<uint32_t>(software.size() + 1));
    u32(text_offset);
  }
  u32(0);
  tiff.insert(tiff.end(), software.begin(), software.end());
  if (!software.empty()) tiff.push_back(0);

  std::vector<uint8_t> segment = {0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
  segment.insert(segment.end(), tiff.begin(), tiff.end());
  const size_t length = segment.size() - 2;
  segment[2] = static_cast<uint8_t>(length >> 8);
  segment[3] = static_cast<uint8_t>(length & 0xFF);
  jpeg.insert(jpeg.begin() + 2, segment.begin(), segment.end());
  return jpeg;
}

}  // namespace examphoto::imaging::testing
