#include "domain/safe_path.h"

namespace examphoto {

bool IsSafeRelativePath(std::string_view path) {
  if (path.empty() || path.size() > 1024) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    // Empty segments are a leading '/', "//" or a trailing '/'.
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (const char c : segment) {
      const auto byte = static_cast<unsigned char>(c);
      // Control characters (NUL, newline, DEL), Windows separators and drive letters, and
      // percent signs: an encoded form is never decoded into a path here, so it is refused.
      if (byte < 0x20 || byte == 0x7f || c == '\\' || c == '%' || c == ':') return false;
    }
    start = end + 1;
  }
  return true;
}

}  // namespace examphoto
