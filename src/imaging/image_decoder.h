// Turns uploaded bytes into an upright 8-bit BGR image, whatever the file is called: the
// format is sniffed from the bytes (JPEG, PNG, WebP, HEIC/HEIF). Large JPEGs are decoded at
// a reduced scale in the DCT domain when the caller needs fewer pixels. Refuses what is not
// an image, truncated or corrupt files, decompression bombs and oversized files, each with
// a catalogue code (image.*). Pure function; the result owns its pixels.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <span>
#include <string>
#include <vector>

#include "domain/result.h"
#include "imaging/exif_reader.h"

namespace examphoto::imaging {

enum class ImageFormat { kUnknown, kJpeg, kPng, kWebp, kHeif };

const char* ImageFormatName(ImageFormat format);

// The format named by the first bytes of a file, kUnknown if none we read.
ImageFormat SniffImageFormat(std::span<const uint8_t> bytes);

struct DecodeOptions {
  size_t max_file_bytes = size_t{20} * 1024 * 1024;
  // Pixels of the stored image; more is refused before any pixel is decoded (a 50 MP limit
  // admits every phone camera's default mode and stops "decompression bombs").
  int64_t max_pixels = 50'000'000;
  // 0: full resolution. Otherwise the image is returned with its long side close to this
  // (never smaller unless the original is): JPEGs through DCT scaling (n/8), other formats
  // by area resampling after decoding.
  int target_long_side = 0;
};

struct DecodedImage {
  cv::Mat bgr;  // CV_8UC3, upright
  ImageFormat format = ImageFormat::kUnknown;
  cv::Size original_size;  // upright size at full resolution, before any scaling
  double scale = 1.0;      // bgr.cols / original_size.width
  size_t file_bytes = 0;
  ExifInfo exif;  // orientation here is the one that was applied
  // For JPEGs, the quality (1–100, IJG scale) the luminance quantisation table matches;
  // 0 when unknown. A heavily recompressed upload shows here.
  int jpeg_quality = 0;
  // The PNG "Software" text chunk lands in exif.software as well.
};

Result<DecodedImage> DecodeImage(std::span<const uint8_t> bytes, const DecodeOptions& options = {});

// Square patches of the image at full resolution, `size` pixels each, centred on `centres`
// (points of the upright image at full resolution); a patch that would leave the image is
// left out, the rest keep their order. A JPEG decodes only the rows the patches cover, cut to
// their columns, and skips the others (a fraction of a full decode): fine texture, such as a
// screen's pixel grid, that a reduced decode averages away. A patch keeps the file's stored
// orientation (turned or mirrored against the upright image): it is for texture, not display.
Result<std::vector<cv::Mat>> DecodePatches(std::span<const uint8_t> bytes,
                                           std::span<const cv::Point> centres, int size,
                                           const DecodeOptions& options = {});

}  // namespace examphoto::imaging
