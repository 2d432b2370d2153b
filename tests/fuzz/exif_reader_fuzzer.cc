// libFuzzer target: the EXIF reader, both on a bare TIFF block and on a JPEG's APP1 segment.
#include <cstddef>
#include <cstdint>
#include <span>

#include "imaging/exif_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  if (auto info = examphoto::imaging::ParseExifTiff(bytes)) {
    if (info->orientation < 0) __builtin_trap();
  }
  (void)examphoto::imaging::ReadJpegExif(bytes);
  return 0;
}
