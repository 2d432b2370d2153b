// Writes the small seed inputs of corpus/image_decoder and corpus/exif_reader from a real
// sample photo: one tiny file per format (JPEG plain and with an EXIF block, PNG, WebP, HEIC),
// each prefixed by the byte the image_decoder fuzzer reads as its options. Run once by hand:
//   g++ -std=c++20 -O1 tests/fuzz/make_seeds.cc -o /tmp/make_seeds $(pkg-config --cflags --libs \
//       opencv4 libheif) && /tmp/make_seeds
//       deps/models/node_modules/@vladmandic/face-api/demo/sample1.jpg tests/fuzz/corpus
#include <libheif/heif.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace {

void Write(const std::filesystem::path& path, const std::vector<uint8_t>& bytes, int option_byte) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  if (option_byte >= 0) out.put(static_cast<char>(option_byte));
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> Encode(const cv::Mat& image, const std::string& ext,
                            std::vector<int> params = {}) {
  std::vector<uint8_t> bytes;
  cv::imencode(ext, image, bytes, params);
  return bytes;
}

// A little-endian TIFF block with Orientation = 6 and Software = "Snapseed".
std::vector<uint8_t> ExifTiff() {
  std::vector<uint8_t> t = {'I', 'I', 42, 0, 8, 0, 0, 0};
  auto u16 = [&](uint16_t v) {
    t.push_back(v & 0xff);
    t.push_back(v >> 8);
  };
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) t.push_back((v >> (8 * i)) & 0xff);
  };
  u16(2);
  u16(0x0112);
  u16(3);
  u32(1);
  u16(6);
  u16(0);
  u16(0x0131);
  u16(2);
  u32(9);
  u32(8 + 2 + 2 * 12 + 4);
  u32(0);
  for (char c : std::string("Snapseed")) t.push_back(static_cast<uint8_t>(c));
  t.push_back(0);
  return t;
}

std::vector<uint8_t> WithExif(const std::vector<uint8_t>& jpeg) {
  std::vector<uint8_t> tiff = ExifTiff();
  std::vector<uint8_t> app1 = {0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
  app1.insert(app1.end(), tiff.begin(), tiff.end());
  const size_t length = app1.size() - 2;
  app1[2] = static_cast<uint8_t>(length >> 8);
  app1[3] = static_cast<uint8_t>(length & 0xff);
  std::vector<uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
  out.insert(out.end(), app1.begin(), app1.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

std::vector<uint8_t> EncodeHeif(const cv::Mat& bgr) {
  heif_context* context = heif_context_alloc();
  heif_encoder* encoder = nullptr;
  heif_context_get_encoder_for_format(context, heif_compression_HEVC, &encoder);
  std::vector<uint8_t> bytes;
  if (!encoder) return bytes;
  heif_encoder_set_lossy_quality(encoder, 30);
  heif_image* image = nullptr;
  heif_image_create(bgr.cols, bgr.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &image);
  heif_image_add_plane(image, heif_channel_interleaved, bgr.cols, bgr.rows, 8);
  int stride = 0;
  uint8_t* plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
  for (int y = 0; y < bgr.rows; ++y) {
    for (int x = 0; x < bgr.cols; ++x) {
      const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
      plane[y * stride + 3 * x] = p[2];
      plane[y * stride + 3 * x + 1] = p[1];
      plane[y * stride + 3 * x + 2] = p[0];
    }
  }
  heif_context_encode_image(context, image, encoder, nullptr, nullptr);
  heif_writer writer{1, [](heif_context*, const void* data, size_t size, void* user) {
                       auto* out = static_cast<std::vector<uint8_t>*>(user);
                       out->insert(out->end(), static_cast<const uint8_t*>(data),
                                   static_cast<const uint8_t*>(data) + size);
                       return heif_error{heif_error_Ok, heif_suberror_Unspecified, ""};
                     }};
  heif_context_write(context, &writer, &bytes);
  heif_image_release(image);
  heif_encoder_release(encoder);
  heif_context_free(context);
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const cv::Mat photo = cv::imread(argv[1]);
  cv::Mat small;
  cv::resize(photo, small, cv::Size(48, 64), 0, 0, cv::INTER_AREA);
  const std::filesystem::path root(argv[2]);
  const auto jpeg = Encode(small, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 60});
  Write(root / "image_decoder/seed-jpeg", jpeg, 0);
  Write(root / "image_decoder/seed-jpeg-scaled", jpeg, 1);
  Write(root / "image_decoder/seed-jpeg-exif", WithExif(jpeg), 2);
  Write(root / "image_decoder/seed-png", Encode(small, ".png"), 0);
  cv::Mat gray;
  cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
  Write(root / "image_decoder/seed-png-gray", Encode(gray, ".png"), 3);
  Write(root / "image_decoder/seed-webp", Encode(small, ".webp", {cv::IMWRITE_WEBP_QUALITY, 40}),
        0);
  const auto heif = EncodeHeif(small);
  if (!heif.empty()) Write(root / "image_decoder/seed-heic", heif, 0);
  Write(root / "exif_reader/seed-tiff", ExifTiff(), -1);
  Write(root / "exif_reader/seed-jpeg-exif",
        WithExif(Encode(cv::Mat(8, 8, CV_8UC3, cv::Scalar(90, 120, 200)), ".jpg")), -1);
  return 0;
}
