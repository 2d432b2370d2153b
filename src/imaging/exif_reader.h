// A minimal reader for the few EXIF tags the portrait core needs: orientation (to show the
// photo upright), the software that last wrote the file (the "edited" check), the camera
// and the capture time. Reads a TIFF-structured EXIF block; never throws on bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace examphoto::imaging {

struct ExifInfo {
  int orientation = 1;  // 1–8 as in the TIFF/EXIF standard; 1 = upright
  std::string software;
  std::string make;
  std::string model;
  std::string date_time;  // "YYYY:MM:DD HH:MM:SS", DateTimeOriginal if present
};

// `tiff` starts at the TIFF header ("II*\0" or "MM\0*"). Unreadable blocks give nullopt.
std::optional<ExifInfo> ParseExifTiff(std::span<const uint8_t> tiff);

// Finds the APP1 "Exif" segment in a JPEG file and parses it.
std::optional<ExifInfo> ReadJpegExif(std::span<const uint8_t> jpeg);

}  // namespace examphoto::imaging
