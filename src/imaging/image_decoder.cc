#include "imaging/image_decoder.h"

#include <png.h>
#include <turbojpeg.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "domain/messages.h"

// libheif's headers are C and live under the multiarch include folder.
#include <libheif/heif.h>
// libjpeg's scanline API (libjpeg-turbo): rows can be skipped and columns cropped, which the
// TurboJPEG API of Debian 12 cannot do. Its header needs size_t and FILE first.
#include <jpeglib.h>

namespace examphoto::imaging {
namespace {

bool StartsWith(std::span<const uint8_t> bytes, size_t at, const char* text) {
  const size_t length = std::strlen(text);
  return bytes.size() >= at + length && std::memcmp(bytes.data() + at, text, length) == 0;
}

Error Refuse(ErrorKind kind, std::string_view code, std::string detail) {
  return MakeError(kind, code, std::move(detail));
}

// The sizes a header declares, checked before any pixel is decoded: not more pixels than
// allowed (decompression bombs), and a shape a photo can have. A 1,000,000 x 1 PNG once
// reached OpenCV's resize and failed an assertion there (security finding F13).
constexpr int64_t kMinSide = 16;
constexpr int64_t kMaxAspect = 8;  // a portrait is 3:4, a card photo 4:3 or 16:9
Status CheckDimensions(int64_t width, int64_t height, const DecodeOptions& options) {
  const std::string size = std::to_string(width) + "x" + std::to_string(height);
  // Sizes come from headers as unsigned 32-bit values: divide rather than multiply, as the
  // product of two of them overflows a signed 64-bit number (the fuzzer found it once).
  if (width > 0 && height > 0 && width > options.max_pixels / height) {
    return Refuse(ErrorKind::kTooLarge, "image.too_many_pixels", size);
  }
  if (std::min(width, height) < kMinSide ||
      std::max(width, height) > kMaxAspect * std::min(width, height)) {
    return Refuse(ErrorKind::kInvalidInput, "image.bad_dimensions", size);
  }
  return Ok();
}

cv::Mat ApplyOrientation(cv::Mat image, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2:
      cv::flip(image, out, 1);
      return out;
    case 3:
      cv::rotate(image, out, cv::ROTATE_180);
      return out;
    case 4:
      cv::flip(image, out, 0);
      return out;
    case 5:
      cv::transpose(image, out);
      return out;
    case 6:
      cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    case 7:
      cv::transpose(image, out);
      cv::flip(out, out, -1);
      return out;
    case 8:
      cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    default:
      return image;
  }
}

// Transparent pixels become white, as on a printed photo, instead of whatever colour the
// encoder left under them.
cv::Mat FlattenToBgr(const cv::Mat& image) {
  cv::Mat eight_bit = image;
  if (image.depth() == CV_16U) image.convertTo(eight_bit, CV_8U, 1.0 / 257.0);
  cv::Mat bgr;
  switch (eight_bit.channels()) {
    case 1:
      cv::cvtColor(eight_bit, bgr, cv::COLOR_GRAY2BGR);
      return bgr;
    case 3:
      return eight_bit;
    case 4: {
      bgr.create(eight_bit.size(), CV_8UC3);
      for (int y = 0; y < eight_bit.rows; ++y) {
        const auto* in = eight_bit.ptr<cv::Vec4b>(y);
        auto* out = bgr.ptr<cv::Vec3b>(y);
        for (int x = 0; x < eight_bit.cols; ++x) {
          const int alpha = in[x][3];
          for (int c = 0; c < 3; ++c) out[x][c] = (in[x][c] * alpha + 255 * (255 - alpha)) / 255;
        }
      }
      return bgr;
    }
    default:
      return {};
  }
}

// The IJG quality a luminance quantisation table was made with: libjpeg scales the
// standard table (ITU-T T.81 Annex K) by 5000/q (q < 50) or 200 − 2q percent.
int EstimateJpegQuality(std::span<const uint8_t> jpeg) {
  static constexpr int kStandardLuminance[64] = {
      16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55,
      14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62,
      18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92,
      49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
  int standard_sum = 0;
  for (int value : kStandardLuminance) standard_sum += value;
  size_t at = 2;
  while (at + 4 <= jpeg.size() && jpeg[at] == 0xFF) {
    const uint8_t marker = jpeg[at + 1];
    if (marker == 0xDA || marker == 0xD9) break;
    const size_t length = size_t{jpeg[at + 2]} << 8 | jpeg[at + 3];
    if (length < 2 || at + 2 + length > jpeg.size()) break;
    if (marker == 0xDB) {
      // One segment may hold several tables: precision/id byte, then 64 values.
      size_t table = at + 4;
      while (table < at + 2 + length) {
        const int precision = jpeg[table] >> 4, id = jpeg[table] & 0x0F;
        const size_t size = precision ? 128 : 64;
        if (table + 1 + size > at + 2 + length) break;
        if (id == 0) {
          int sum = 0;
          for (size_t i = 0; i < 64; ++i) {
            sum += precision ? (jpeg[table + 1 + 2 * i] << 8 | jpeg[table + 2 + 2 * i])
                             : jpeg[table + 1 + i];
          }
          const double scale = 100.0 * sum / standard_sum;
          const double quality = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
          return std::clamp(static_cast<int>(std::lround(quality)), 1, 100);
        }
        table += 1 + size;
      }
    }
    at += 2 + length;
  }
  return 0;
}

Result<DecodedImage> DecodeJpeg(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  std::unique_ptr<void, int (*)(tjhandle)> handle(tjInitDecompress(), tjDestroy);
  if (!handle) return Refuse(ErrorKind::kInternal, "internal.error", "tjInitDecompress failed");
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(handle.get(), bytes.data(), bytes.size(), &width, &height, &subsampling,
                          &colorspace) != 0) {
    const std::string message = tjGetErrorStr2(handle.get());
    const bool truncated = message.find("Premature end") != std::string::npos ||
                           message.find("too short") != std::string::npos;
    return Refuse(ErrorKind::kInvalidInput, truncated ? "image.truncated" : "image.corrupt",
                  "jpeg header: " + message);
  }
  if (auto refused = CheckDimensions(width, height, options); !refused.ok()) {
    return refused.error();
  }
  auto exif = ReadJpegExif(bytes).value_or(ExifInfo{});

  // The smallest n/8 scale whose long side still reaches the target: entropy decoding is
  // paid in full, but the inverse DCT, colour conversion and memory shrink with the scale.
  tjscalingfactor chosen{1, 1};
  if (options.target_long_side > 0) {
    int count = 0;
    const tjscalingfactor* factors = tjGetScalingFactors(&count);
    int best_long_side = std::max(width, height);
    for (int i = 0; i < count; ++i) {
      const auto& f = factors[i];
      if (f.num > f.denom) continue;
      const int long_side = std::max(TJSCALED(width, f), TJSCALED(height, f));
      if (long_side >= options.target_long_side && long_side < best_long_side) {
        best_long_side = long_side;
        chosen = f;
      }
    }
  }
  const int scaled_width = TJSCALED(width, chosen);
  const int scaled_height = TJSCALED(height, chosen);
  cv::Mat bgr(scaled_height, scaled_width, CV_8UC3);
  if (tjDecompress2(handle.get(), bytes.data(), bytes.size(), bgr.data, scaled_width,
                    static_cast<int>(bgr.step), scaled_height, TJPF_BGR, TJFLAG_FASTDCT) != 0) {
    const std::string message = tjGetErrorStr2(handle.get());
    const bool truncated = message.find("Premature end") != std::string::npos;
    if (truncated) return Refuse(ErrorKind::kInvalidInput, "image.truncated", message);
    // Other warnings ("extraneous bytes before marker") are common in phone files and leave
    // a complete image.
    if (tjGetErrorCode(handle.get()) == TJERR_FATAL) {
      return Refuse(ErrorKind::kInvalidInput, "image.corrupt", message);
    }
  }

  DecodedImage decoded;
  decoded.format = ImageFormat::kJpeg;
  decoded.exif = exif;
  decoded.jpeg_quality = EstimateJpegQuality(bytes);
  decoded.bgr = ApplyOrientation(std::move(bgr), exif.orientation);
  const bool swaps = exif.orientation >= 5;
  decoded.original_size = swaps ? cv::Size(height, width) : cv::Size(width, height);
  return decoded;
}

uint32_t BigEndian32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}

Result<DecodedImage> DecodePng(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  // Signature (8) + IHDR length and type (8) + width and height.
  if (bytes.size() < 33 || !StartsWith(bytes, 12, "IHDR")) {
    return Refuse(ErrorKind::kInvalidInput, "image.truncated", "png too short for IHDR");
  }
  const uint32_t width = BigEndian32(&bytes[16]);
  const uint32_t height = BigEndian32(&bytes[20]);
  // Unsigned 64-bit: two 32-bit sizes overflow a signed product (found by the fuzzer).
  if (auto refused = CheckDimensions(width, height, options); !refused.ok()) {
    return refused.error();
  }
  // Walk the chunk headers for metadata and for the end marker, without touching pixels.
  ExifInfo exif;
  bool complete = false;
  for (size_t at = 8; at + 12 <= bytes.size();) {
    const uint32_t length = BigEndian32(&bytes[at]);
    const std::string type(reinterpret_cast<const char*>(&bytes[at + 4]), 4);
    if (length > bytes.size() - at - 12) break;
    const auto data = bytes.subspan(at + 8, length);
    if (type == "IEND") {
      complete = true;
      break;
    }
    if (type == "tEXt" && length > 9 && std::memcmp(data.data(), "Software\0", 9) == 0) {
      exif.software.assign(reinterpret_cast<const char*>(data.data() + 9), length - 9);
    } else if (type == "eXIf") {
      if (auto parsed = ParseExifTiff(data)) {
        if (exif.software.empty()) exif.software = parsed->software;
        const std::string software = exif.software;
        exif = *parsed;
        exif.software = software;
      }
    }
    at += 12 + length;
  }
  if (!complete) return Refuse(ErrorKind::kInvalidInput, "image.truncated", "png without IEND");

  // libpng's simplified API: any bit depth, palette or grey expands to 8-bit BGRA.
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size())) {
    return Refuse(ErrorKind::kInvalidInput, "image.corrupt", std::string("png: ") + png.message);
  }
  png.format = PNG_FORMAT_BGRA;
  cv::Mat raw(static_cast<int>(png.height), static_cast<int>(png.width), CV_8UC4);
  if (!png_image_finish_read(&png, nullptr, raw.data, static_cast<png_int_32>(raw.step), nullptr)) {
    std::string message = png.message;
    png_image_free(&png);
    return Refuse(ErrorKind::kInvalidInput, "image.corrupt", "png: " + message);
  }
  DecodedImage decoded;
  decoded.format = ImageFormat::kPng;
  decoded.exif = exif;
  decoded.bgr = ApplyOrientation(FlattenToBgr(raw), exif.orientation);
  decoded.original_size = decoded.bgr.size();
  return decoded;
}

std::optional<ExifInfo> ParseExifWithOptionalPrefix(std::span<const uint8_t> data) {
  if (StartsWith(data, 0, "Exif") && data.size() > 6) return ParseExifTiff(data.subspan(6));
  return ParseExifTiff(data);
}

Result<DecodedImage> DecodeWebp(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  WebPBitstreamFeatures features;
  const VP8StatusCode status = WebPGetFeatures(bytes.data(), bytes.size(), &features);
  if (status == VP8_STATUS_NOT_ENOUGH_DATA) {
    return Refuse(ErrorKind::kInvalidInput, "image.truncated", "webp header incomplete");
  }
  if (status != VP8_STATUS_OK) {
    return Refuse(ErrorKind::kInvalidInput, "image.corrupt", "webp features failed");
  }
  if (features.has_animation) {
    return Refuse(ErrorKind::kUnsupported, "image.unsupported_format", "animated webp");
  }
  if (auto refused = CheckDimensions(features.width, features.height, options); !refused.ok()) {
    return refused.error();
  }
  ExifInfo exif;
  WebPData webp_data{bytes.data(), bytes.size()};
  if (WebPDemuxer* demux = WebPDemux(&webp_data)) {
    WebPChunkIterator chunk;
    if (WebPDemuxGetChunk(demux, "EXIF", 1, &chunk)) {
      exif = ParseExifWithOptionalPrefix({chunk.chunk.bytes, chunk.chunk.size}).value_or(exif);
      WebPDemuxReleaseChunkIterator(&chunk);
    }
    WebPDemuxDelete(demux);
  }

  WebPDecoderConfig config;
  WebPInitDecoderConfig(&config);
  int out_width = features.width, out_height = features.height;
  const int long_side = std::max(out_width, out_height);
  if (options.target_long_side > 0 && long_side > options.target_long_side) {
    const double scale = static_cast<double>(options.target_long_side) / long_side;
    out_width = std::max(1, static_cast<int>(std::lround(out_width * scale)));
    out_height = std::max(1, static_cast<int>(std::lround(out_height * scale)));
    config.options.use_scaling = 1;
    config.options.scaled_width = out_width;
    config.options.scaled_height = out_height;
  }
  cv::Mat bgra(out_height, out_width, CV_8UC4);
  config.output.colorspace = MODE_BGRA;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = bgra.data;
  config.output.u.RGBA.stride = static_cast<int>(bgra.step);
  config.output.u.RGBA.size = bgra.total() * bgra.elemSize();
  const VP8StatusCode decoded_status = WebPDecode(bytes.data(), bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);
  if (decoded_status == VP8_STATUS_NOT_ENOUGH_DATA) {
    return Refuse(ErrorKind::kInvalidInput, "image.truncated", "webp data incomplete");
  }
  if (decoded_status != VP8_STATUS_OK) {
    return Refuse(ErrorKind::kInvalidInput, "image.corrupt",
                  "webp decode status " + std::to_string(decoded_status));
  }
  DecodedImage decoded;
  decoded.format = ImageFormat::kWebp;
  decoded.exif = exif;
  decoded.bgr = ApplyOrientation(FlattenToBgr(bgra), exif.orientation);
  const bool swaps = exif.orientation >= 5;
  decoded.original_size =
      swaps ? cv::Size(features.height, features.width) : cv::Size(features.width, features.height);
  return decoded;
}

Result<DecodedImage> DecodeHeif(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  std::unique_ptr<heif_context, void (*)(heif_context*)> context(heif_context_alloc(),
                                                                 heif_context_free);
  // The container's size (checked below) need not be the coded stream's: a 746-byte file
  // saying 48x16384 decoded to 14441x27759 pixels (1.2 GB, found by the fuzzer). libheif
  // refuses streams with a side over this limit before allocating; 1.5x the side of a
  // square of max_pixels keeps every real phone photo (8064x6048 at the default limit).
  const int side_limit = static_cast<int>(std::clamp<double>(
      std::ceil(std::sqrt(static_cast<double>(options.max_pixels)) * 1.5), 4096, 16384));
  heif_context_set_maximum_image_size_limit(context.get(), side_limit);
  heif_error error = heif_context_read_from_memory_without_copy(context.get(), bytes.data(),
                                                                bytes.size(), nullptr);
  if (error.code != heif_error_Ok) {
    const bool truncated = error.subcode == heif_suberror_End_of_data;
    if (error.code == heif_error_Memory_allocation_error) {
      return Refuse(ErrorKind::kTooLarge, "image.too_many_pixels",
                    std::string("heif: ") + error.message);
    }
    return Refuse(ErrorKind::kInvalidInput, truncated ? "image.truncated" : "image.corrupt",
                  std::string("heif: ") + error.message);
  }
  heif_image_handle* raw_handle = nullptr;
  error = heif_context_get_primary_image_handle(context.get(), &raw_handle);
  if (error.code != heif_error_Ok) {
    return Refuse(ErrorKind::kInvalidInput, "image.corrupt", std::string("heif: ") + error.message);
  }
  std::unique_ptr<heif_image_handle, void (*)(const heif_image_handle*)> handle(
      raw_handle, heif_image_handle_release);
  // These are the dimensions after the container's rotation and mirroring.
  const int width = heif_image_handle_get_width(handle.get());
  const int height = heif_image_handle_get_height(handle.get());
  if (auto refused = CheckDimensions(width, height, options); !refused.ok()) {
    return refused.error();
  }
  ExifInfo exif;
  heif_item_id exif_id;
  if (heif_image_handle_get_list_of_metadata_block_IDs(handle.get(), "Exif", &exif_id, 1) == 1) {
    std::vector<uint8_t> block(heif_image_handle_get_metadata_size(handle.get(), exif_id));
    if (block.size() > 4 &&
        heif_image_handle_get_metadata(handle.get(), exif_id, block.data()).code == heif_error_Ok) {
      // The block opens with a 4-byte offset to the TIFF header.
      const size_t offset = 4 + size_t{BigEndian32(block.data())};
      if (offset < block.size()) {
        exif = ParseExifTiff(std::span(block).subspan(offset)).value_or(exif);
      }
    }
  }
  // HEIF carries orientation in the container (irot/imir), which libheif has applied; the
  // EXIF copy must not be applied a second time.
  exif.orientation = 1;

  heif_image* raw_image = nullptr;
  error = heif_decode_image(handle.get(), &raw_image, heif_colorspace_RGB,
                            heif_chroma_interleaved_RGB, nullptr);
  if (error.code != heif_error_Ok) {
    const bool truncated = error.subcode == heif_suberror_End_of_data;
    if (error.code == heif_error_Memory_allocation_error) {
      return Refuse(ErrorKind::kTooLarge, "image.too_many_pixels",
                    std::string("heif decode: ") + error.message);
    }
    return Refuse(ErrorKind::kInvalidInput, truncated ? "image.truncated" : "image.corrupt",
                  std::string("heif decode: ") + error.message);
  }
  std::unique_ptr<heif_image, void (*)(const heif_image*)> image(raw_image, heif_image_release);
  int stride = 0;
  const uint8_t* plane =
      heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  if (plane == nullptr) return Refuse(ErrorKind::kInvalidInput, "image.corrupt", "heif no plane");
  const int image_width = heif_image_get_width(image.get(), heif_channel_interleaved);
  const int image_height = heif_image_get_height(image.get(), heif_channel_interleaved);
  if (auto refused = CheckDimensions(image_width, image_height, options); !refused.ok()) {
    return refused.error();
  }
  cv::Mat rgb(image_height, image_width, CV_8UC3, const_cast<uint8_t*>(plane),
              static_cast<size_t>(stride));
  DecodedImage decoded;
  decoded.format = ImageFormat::kHeif;
  decoded.exif = exif;
  cv::cvtColor(rgb, decoded.bgr, cv::COLOR_RGB2BGR);
  decoded.original_size = decoded.bgr.size();
  return decoded;
}

}  // namespace

const char* ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "jpeg";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kWebp:
      return "webp";
    case ImageFormat::kHeif:
      return "heif";
    default:
      return "unknown";
  }
}

ImageFormat SniffImageFormat(std::span<const uint8_t> bytes) {
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
    return ImageFormat::kJpeg;
  }
  if (StartsWith(bytes, 0, "\x89PNG\r\n\x1a\n")) return ImageFormat::kPng;
  if (StartsWith(bytes, 0, "RIFF") && StartsWith(bytes, 8, "WEBP")) return ImageFormat::kWebp;
  if (StartsWith(bytes, 4, "ftyp")) {
    // Major brands of HEIF stills (Apple writes heic, others mif1) and AVIF.
    for (const char* brand :
         {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif"}) {
      if (StartsWith(bytes, 8, brand)) return ImageFormat::kHeif;
    }
  }
  return ImageFormat::kUnknown;
}

Result<DecodedImage> DecodeImage(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  if (bytes.size() > options.max_file_bytes) {
    return Refuse(ErrorKind::kTooLarge, "image.file_too_large", std::to_string(bytes.size()));
  }
  const ImageFormat format = SniffImageFormat(bytes);
  Result<DecodedImage> decoded = Refuse(ErrorKind::kInternal, "internal.error", "");
  switch (format) {
    case ImageFormat::kJpeg:
      decoded = DecodeJpeg(bytes, options);
      break;
    case ImageFormat::kPng:
      decoded = DecodePng(bytes, options);
      break;
    case ImageFormat::kWebp:
      decoded = DecodeWebp(bytes, options);
      break;
    case ImageFormat::kHeif:
      decoded = DecodeHeif(bytes, options);
      break;
    default: {
      // Formats we recognise but do not accept get a more helpful answer than "not an image".
      const bool known = StartsWith(bytes, 0, "GIF8") || StartsWith(bytes, 0, "BM") ||
                         StartsWith(bytes, 0, "II*") || StartsWith(bytes, 0, "MM\0*");
      return Refuse(ErrorKind::kUnsupported,
                    known ? "image.unsupported_format" : "image.not_an_image",
                    "first bytes do not name a supported image format");
    }
  }
  if (!decoded.ok()) return decoded;
  DecodedImage& image = decoded.value();
  image.file_bytes = bytes.size();
  if (image.bgr.empty()) return Refuse(ErrorKind::kInvalidInput, "image.corrupt", "no pixels");
  const int long_side = std::max(image.bgr.cols, image.bgr.rows);
  if (options.target_long_side > 0 && long_side > options.target_long_side * 1.25 &&
      format != ImageFormat::kJpeg) {
    const double scale = static_cast<double>(options.target_long_side) / long_side;
    cv::resize(image.bgr, image.bgr, cv::Size(), scale, scale, cv::INTER_AREA);
  }
  image.scale = static_cast<double>(image.bgr.cols) / image.original_size.width;
  return decoded;
}

namespace {

// The stored-image point of an upright point (EXIF orientation; `stored` is the stored size).
cv::Point StoredPoint(cv::Point upright, int orientation, cv::Size stored) {
  const int w = stored.width, h = stored.height, x = upright.x, y = upright.y;
  switch (orientation) {
    case 2:
      return {w - 1 - x, y};
    case 3:
      return {w - 1 - x, h - 1 - y};
    case 4:
      return {x, h - 1 - y};
    case 5:
      return {y, x};
    case 6:
      return {y, h - 1 - x};
    case 7:
      return {w - 1 - y, h - 1 - x};
    case 8:
      return {w - 1 - y, x};
    default:
      return upright;
  }
}

struct JpegErrorExit {
  jpeg_error_mgr manager{};
  std::jmp_buf jump{};
  char message[JMSG_LENGTH_MAX] = {};
};

void ExitToCaller(j_common_ptr info) {
  auto* error = reinterpret_cast<JpegErrorExit*>(info->err);
  (*info->err->format_message)(info, error->message);
  std::longjmp(error->jump, 1);  // NOLINT(cert-err52-cpp): libjpeg's documented error path
}

void IgnoreWarning(j_common_ptr /*info*/, int /*level*/) {}

// Reads rows of `areas` (stored-image rectangles, inside the image) from a JPEG, skipping
// the rows between them and decoding only the columns they span. Returns false with a
// message on a libjpeg error. No C++ object with a destructor lives in this frame across
// setjmp/longjmp: the buffers belong to the caller.
bool ReadJpegAreas(std::span<const uint8_t> bytes, const std::vector<cv::Rect>& areas,
                   std::vector<cv::Mat>& out, unsigned char* row_buffer, int row_capacity,
                   char* message) {
  jpeg_decompress_struct info{};
  JpegErrorExit error;
  info.err = jpeg_std_error(&error.manager);
  error.manager.error_exit = ExitToCaller;
  error.manager.emit_message = IgnoreWarning;
  if (setjmp(error.jump) != 0) {  // NOLINT(cert-err52-cpp)
    std::memcpy(message, error.message, sizeof(error.message));
    jpeg_destroy_decompress(&info);
    return false;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  info.out_color_space = JCS_EXT_BGR;
  info.dct_method = JDCT_IFAST;
  jpeg_start_decompress(&info);
  int left = INT_MAX, right = 0;
  for (const cv::Rect& area : areas) {
    left = std::min(left, area.x);
    right = std::max(right, area.x + area.width);
  }
  JDIMENSION crop_x = static_cast<JDIMENSION>(left);
  JDIMENSION crop_width = static_cast<JDIMENSION>(right - left);
  jpeg_crop_scanline(&info, &crop_x, &crop_width);  // widened to whole blocks
  if (static_cast<int>(crop_width) > row_capacity) {
    std::snprintf(message, JMSG_LENGTH_MAX, "crop wider than the row buffer");
    jpeg_destroy_decompress(&info);
    return false;
  }
  // Each row read once and copied into every area that covers it.
  int bottom = 0;
  for (const cv::Rect& area : areas) bottom = std::max(bottom, area.y + area.height);
  JSAMPROW row = row_buffer;
  while (static_cast<int>(info.output_scanline) < bottom) {
    const int y = static_cast<int>(info.output_scanline);
    int next = INT_MAX;  // the next row any area needs, from y on
    for (const cv::Rect& area : areas) {
      if (area.y + area.height > y) next = std::min(next, std::max(area.y, y));
    }
    if (next > y) {
      jpeg_skip_scanlines(&info, static_cast<JDIMENSION>(next - y));
      continue;
    }
    jpeg_read_scanlines(&info, &row, 1);
    for (size_t i = 0; i < areas.size(); ++i) {
      const cv::Rect& area = areas[i];
      if (y < area.y || y >= area.y + area.height) continue;
      const std::ptrdiff_t from = std::ptrdiff_t{3} * (area.x - static_cast<int>(crop_x));
      std::memcpy(out[i].ptr(y - area.y), row_buffer + from, static_cast<size_t>(area.width) * 3);
    }
  }
  jpeg_abort_decompress(&info);
  jpeg_destroy_decompress(&info);
  return true;
}

}  // namespace

Result<std::vector<cv::Mat>> DecodePatches(std::span<const uint8_t> bytes,
                                           std::span<const cv::Point> centres, int size,
                                           const DecodeOptions& options) {
  std::vector<cv::Mat> patches;
  if (SniffImageFormat(bytes) != ImageFormat::kJpeg) {
    auto decoded = DecodeImage(bytes, DecodeOptions{options.max_file_bytes, options.max_pixels, 0});
    if (!decoded.ok()) return decoded.error();
    const cv::Rect image(0, 0, decoded->bgr.cols, decoded->bgr.rows);
    for (const cv::Point& c : centres) {
      const cv::Rect area(c.x - size / 2, c.y - size / 2, size, size);
      if ((area & image) == area) patches.push_back(decoded->bgr(area).clone());
    }
    return patches;
  }
  if (bytes.size() > options.max_file_bytes) {
    return Refuse(ErrorKind::kTooLarge, "image.file_too_large", std::to_string(bytes.size()));
  }
  std::unique_ptr<void, int (*)(tjhandle)> handle(tjInitDecompress(), tjDestroy);
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (!handle || tjDecompressHeader3(handle.get(), bytes.data(), bytes.size(), &width, &height,
                                     &subsampling, &colorspace) != 0) {
    return Refuse(ErrorKind::kInvalidInput, "image.corrupt", "jpeg header");
  }
  if (auto refused = CheckDimensions(width, height, options); !refused.ok()) {
    return refused.error();
  }
  const int orientation = ReadJpegExif(bytes).value_or(ExifInfo{}).orientation;
  const cv::Size stored(width, height);
  const cv::Size upright = orientation >= 5 ? cv::Size(height, width) : stored;
  std::vector<cv::Rect> areas;
  for (const cv::Point& c : centres) {
    const cv::Rect upright_area(c.x - size / 2, c.y - size / 2, size, size);
    if ((upright_area & cv::Rect({}, upright)) != upright_area) continue;
    // The corners' stored places span the same pixels (a centre would be a pixel off).
    const cv::Point a = StoredPoint(upright_area.tl(), orientation, stored);
    const cv::Point b = StoredPoint(upright_area.br() - cv::Point(1, 1), orientation, stored);
    const cv::Rect area(cv::Point(std::min(a.x, b.x), std::min(a.y, b.y)),
                        cv::Point(std::max(a.x, b.x) + 1, std::max(a.y, b.y) + 1));
    if ((area & cv::Rect({}, stored)) == area) areas.push_back(area);
  }
  if (areas.empty()) return patches;
  for (size_t i = 0; i < areas.size(); ++i) patches.emplace_back(size, size, CV_8UC3);
  std::vector<unsigned char> row(static_cast<size_t>(width + 16) * 3);
  char message[JMSG_LENGTH_MAX] = {};
  if (!ReadJpegAreas(bytes, areas, patches, row.data(), width + 16, message)) {
    const bool truncated = std::strstr(message, "Premature end") != nullptr;
    return Refuse(ErrorKind::kInvalidInput, truncated ? "image.truncated" : "image.corrupt",
                  message);
  }
  return patches;
}

}  // namespace examphoto::imaging
