#include "service/zip_stream_writer.h"

#include <zlib.h>

#include <ctime>
#include <stdexcept>

#include "domain/china_time.h"

namespace examphoto {
namespace {

void Put16(std::string& out, uint64_t value) {
  out.push_back(static_cast<char>(value & 0xff));
  out.push_back(static_cast<char>((value >> 8) & 0xff));
}
void Put32(std::string& out, uint64_t value) {
  Put16(out, value & 0xffff);
  Put16(out, (value >> 16) & 0xffff);
}
void Put64(std::string& out, uint64_t value) {
  Put32(out, value & 0xffffffffULL);
  Put32(out, value >> 32);
}

constexpr uint16_t kUtf8NamesFlag = 1 << 11;
constexpr uint64_t k32BitLimit = 0xffffffffULL;

}  // namespace

ZipStreamWriter::ZipStreamWriter(std::function<bool(std::string_view)> sink, int64_t modified_at)
    : sink_(std::move(sink)) {
  // Archive times are local wall-clock times without a zone; the office reads China time.
  const std::tm tm = ChinaCalendarTime(modified_at);
  dos_time_ = static_cast<uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  dos_date_ = static_cast<uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

void ZipStreamWriter::Emit(std::string_view bytes) {
  if (stopped_) return;
  stopped_ = !sink_(bytes);
  offset_ += bytes.size();
}

void ZipStreamWriter::Add(std::string_view name, std::string_view bytes) {
  if (finished_) throw std::logic_error("ZipStreamWriter::Add after Finish");
  if (stopped_) return;
  if (bytes.size() >= k32BitLimit) throw std::length_error("zip entry larger than 4 GiB");
  const uint32_t crc = static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0),
                                                   reinterpret_cast<const Bytef*>(bytes.data()),
                                                   static_cast<uInt>(bytes.size())));
  const uint64_t local_offset = offset_;

  // The whole entry is in hand, so the local header carries the real CRC and sizes and no
  // data descriptor is needed: every unzip tool reads it, streaming ones included.
  std::string header;
  Put32(header, 0x04034b50);
  Put16(header, 20);  // version needed: 2.0
  Put16(header, kUtf8NamesFlag);
  Put16(header, 0);  // stored
  Put16(header, dos_time_);
  Put16(header, dos_date_);
  Put32(header, crc);
  Put32(header, bytes.size());
  Put32(header, bytes.size());
  Put16(header, name.size());
  Put16(header, 0);
  header.append(name);
  Emit(header);
  Emit(bytes);

  const bool far = local_offset >= k32BitLimit;
  std::string& cd = central_directory_;
  Put32(cd, 0x02014b50);
  Put16(cd, (3 << 8) | 45);  // made by: Unix, spec 4.5 (ZIP64)
  Put16(cd, far ? 45 : 20);
  Put16(cd, kUtf8NamesFlag);
  Put16(cd, 0);
  Put16(cd, dos_time_);
  Put16(cd, dos_date_);
  Put32(cd, crc);
  Put32(cd, bytes.size());
  Put32(cd, bytes.size());
  Put16(cd, name.size());
  Put16(cd, far ? 12 : 0);    // extra field length
  Put16(cd, 0);               // comment
  Put16(cd, 0);               // disk
  Put16(cd, 0);               // internal attributes
  Put32(cd, 0100644u << 16);  // external attributes: a regular file, rw-r--r--
  Put32(cd, far ? k32BitLimit : local_offset);
  cd.append(name);
  if (far) {
    Put16(cd, 0x0001);  // ZIP64 extended information
    Put16(cd, 8);
    Put64(cd, local_offset);
  }
  ++entries_;
}

void ZipStreamWriter::Finish() {
  if (finished_ || stopped_) return;
  finished_ = true;
  const uint64_t directory_offset = offset_;
  const uint64_t directory_size = central_directory_.size();
  Emit(central_directory_);
  central_directory_.clear();
  central_directory_.shrink_to_fit();

  const bool zip64 =
      entries_ >= 0xffff || directory_offset >= k32BitLimit || directory_size >= k32BitLimit;
  std::string tail;
  if (zip64) {
    const uint64_t record_offset = offset_;
    Put32(tail, 0x06064b50);  // ZIP64 end of central directory record
    Put64(tail, 44);
    Put16(tail, (3 << 8) | 45);
    Put16(tail, 45);
    Put32(tail, 0);
    Put32(tail, 0);
    Put64(tail, entries_);
    Put64(tail, entries_);
    Put64(tail, directory_size);
    Put64(tail, directory_offset);
    Put32(tail, 0x07064b50);  // ZIP64 end of central directory locator
    Put32(tail, 0);
    Put64(tail, record_offset);
    Put32(tail, 1);
  }
  Put32(tail, 0x06054b50);
  Put16(tail, 0);
  Put16(tail, 0);
  Put16(tail, zip64 ? 0xffff : entries_);
  Put16(tail, zip64 ? 0xffff : entries_);
  Put32(tail, zip64 ? k32BitLimit : directory_size);
  Put32(tail, zip64 ? k32BitLimit : directory_offset);
  Put16(tail, 0);
  Emit(tail);
}

}  // namespace examphoto
