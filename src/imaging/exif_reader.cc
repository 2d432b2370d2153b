#include "imaging/exif_reader.h"

#include <cstring>

namespace examphoto::imaging {
namespace {

constexpr uint16_t kTagOrientation = 0x0112;
constexpr uint16_t kTagMake = 0x010F;
constexpr uint16_t kTagModel = 0x0110;
constexpr uint16_t kTagSoftware = 0x0131;
constexpr uint16_t kTagDateTime = 0x0132;
constexpr uint16_t kTagExifIfd = 0x8769;
constexpr uint16_t kTagDateTimeOriginal = 0x9003;
constexpr uint16_t kTypeAscii = 2;
constexpr uint16_t kTypeShort = 3;
constexpr uint16_t kTypeLong = 4;

class TiffCursor {
 public:
  TiffCursor(std::span<const uint8_t> data, bool little_endian)
      : data_(data), little_endian_(little_endian) {}

  bool Has(size_t offset, size_t length) const {
    return offset <= data_.size() && length <= data_.size() - offset;
  }
  uint16_t U16(size_t offset) const {
    const uint8_t* p = data_.data() + offset;
    return little_endian_ ? static_cast<uint16_t>(p[0] | p[1] << 8)
                          : static_cast<uint16_t>(p[0] << 8 | p[1]);
  }
  uint32_t U32(size_t offset) const {
    const uint8_t* p = data_.data() + offset;
    return little_endian_ ? (uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 |
                             uint32_t{p[3]} << 24)
                          : (uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 |
                             uint32_t{p[3]});
  }
  // An ASCII value: stored in the entry itself when 4 bytes or fewer, else at an offset.
  std::string Ascii(size_t entry) const {
    const uint32_t count = U32(entry + 4);
    size_t at = count <= 4 ? entry + 8 : U32(entry + 8);
    if (count == 0 || !Has(at, count)) return {};
    std::string text(reinterpret_cast<const char*>(data_.data() + at), count);
    while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.pop_back();
    return text;
  }

 private:
  std::span<const uint8_t> data_;
  bool little_endian_;
};

// Reads one IFD's entries into `info`; returns the offset of the EXIF sub-IFD if listed.
uint32_t ReadIfd(const TiffCursor& tiff, uint32_t offset, ExifInfo& info) {
  if (!tiff.Has(offset, 2)) return 0;
  const uint16_t count = tiff.U16(offset);
  uint32_t exif_ifd = 0;
  for (uint16_t i = 0; i < count; ++i) {
    const size_t entry = offset + 2 + size_t{i} * 12;
    if (!tiff.Has(entry, 12)) break;
    const uint16_t tag = tiff.U16(entry);
    const uint16_t type = tiff.U16(entry + 2);
    switch (tag) {
      case kTagOrientation:
        if (type == kTypeShort) {
          const int value = tiff.U16(entry + 8);
          if (value >= 1 && value <= 8) info.orientation = value;
        }
        break;
      case kTagSoftware:
        if (type == kTypeAscii) info.software = tiff.Ascii(entry);
        break;
      case kTagMake:
        if (type == kTypeAscii) info.make = tiff.Ascii(entry);
        break;
      case kTagModel:
        if (type == kTypeAscii) info.model = tiff.Ascii(entry);
        break;
      case kTagDateTime:
        if (type == kTypeAscii && info.date_time.empty()) info.date_time = tiff.Ascii(entry);
        break;
      case kTagDateTimeOriginal:
        if (type == kTypeAscii) info.date_time = tiff.Ascii(entry);
        break;
      case kTagExifIfd:
        if (type == kTypeLong) exif_ifd = tiff.U32(entry + 8);
        break;
      default:
        break;
    }
  }
  return exif_ifd;
}

}  // namespace

std::optional<ExifInfo> ParseExifTiff(std::span<const uint8_t> data) {
  if (data.size() < 8) return std::nullopt;
  bool little_endian;
  if (data[0] == 'I' && data[1] == 'I') {
    little_endian = true;
  } else if (data[0] == 'M' && data[1] == 'M') {
    little_endian = false;
  } else {
    return std::nullopt;
  }
  TiffCursor tiff(data, little_endian);
  if (tiff.U16(2) != 42) return std::nullopt;
  ExifInfo info;
  const uint32_t exif_ifd = ReadIfd(tiff, tiff.U32(4), info);
  if (exif_ifd != 0) {
    const int orientation = info.orientation;
    ReadIfd(tiff, exif_ifd, info);
    info.orientation = orientation;  // only IFD0's orientation counts
  }
  return info;
}

std::optional<ExifInfo> ReadJpegExif(std::span<const uint8_t> jpeg) {
  if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) return std::nullopt;
  size_t at = 2;
  while (at + 4 <= jpeg.size()) {
    if (jpeg[at] != 0xFF) return std::nullopt;
    const uint8_t marker = jpeg[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    // Metadata segments all come before the first scan.
    if (marker == 0xDA || marker == 0xD9) return std::nullopt;
    const size_t length = size_t{jpeg[at + 2]} << 8 | jpeg[at + 3];
    if (length < 2 || at + 2 + length > jpeg.size()) return std::nullopt;
    if (marker == 0xE1 && length >= 8 && std::memcmp(&jpeg[at + 4], "Exif\0\0", 6) == 0) {
      return ParseExifTiff(jpeg.subspan(at + 10, length - 8));
    }
    at += 2 + length;
  }
  return std::nullopt;
}

}  // namespace examphoto::imaging
