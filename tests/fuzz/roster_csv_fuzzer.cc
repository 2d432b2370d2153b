// libFuzzer target: the roster file reader (encoding detection, GBK conversion, CSV quoting,
// header mapping), which takes whatever file the office uploads.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "service/roster_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto table = examphoto::ReadRosterTable(bytes);
  if (table.ok() && table->candidates.size() != table->lines.size()) __builtin_trap();
  (void)examphoto::ParseCsv(bytes);
  return 0;
}
