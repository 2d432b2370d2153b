// Writes a ZIP archive front to back into a sink, one entry at a time, so that an export of
// 100,000 photos never holds the archive in memory or on disk. Entries are "stored" (JPEG
// does not compress further); ZIP64 records are added when the archive passes 65,535 entries
// or 4 GiB. Only the central directory (about 60 bytes per entry) is kept until Finish().
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace examphoto {

class ZipStreamWriter {
 public:
  // `sink` receives the archive's bytes in order and answers false when nobody reads them
  // any more: the writer then stops (Add and Finish do nothing). `modified_at` (epoch ms)
  // stamps entries.
  ZipStreamWriter(std::function<bool(std::string_view)> sink, int64_t modified_at);

  void Add(std::string_view name, std::string_view bytes);
  // Writes the central directory; no entry may be added afterwards.
  void Finish();

  uint64_t bytes_written() const { return offset_; }
  uint64_t entries() const { return entries_; }
  bool stopped() const { return stopped_; }

 private:
  void Emit(std::string_view bytes);

  std::function<bool(std::string_view)> sink_;
  uint16_t dos_time_ = 0;
  uint16_t dos_date_ = 0;
  uint64_t offset_ = 0;
  uint64_t entries_ = 0;
  std::string central_directory_;
  bool finished_ = false;
  bool stopped_ = false;
};

}  // namespace examphoto
