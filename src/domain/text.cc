#include "domain/text.h"

#include "domain/utf8.h"

namespace examphoto {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool IsInvisibleControl(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true;
  if (c == 0x061C || c == 0x200E || c == 0x200F) return true;  // ALM, LRM, RLM
  if (c >= 0x202A && c <= 0x202E) return true;                 // embeddings and overrides
  if (c >= 0x2066 && c <= 0x2069) return true;                 // isolates
  if (c >= 0x200B && c <= 0x200D) return true;                 // zero-width space and joiners
  return c == 0x2060 || c == 0xFEFF;                           // word joiner, BOM
}

}  // namespace

std::string_view Trim(std::string_view text) {
  for (;;) {
    if (!text.empty() && IsAsciiSpace(text.front())) {
      text.remove_prefix(1);
    } else if (text.substr(0, kIdeographicSpace.size()) == kIdeographicSpace) {
      text.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  for (;;) {
    if (!text.empty() && IsAsciiSpace(text.back())) {
      text.remove_suffix(1);
    } else if (text.size() >= kIdeographicSpace.size() &&
               text.substr(text.size() - kIdeographicSpace.size()) == kIdeographicSpace) {
      text.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return text;
}

bool HasInvisibleControls(std::string_view text) {
  if (!IsValidUtf8(text)) return true;
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceLength(static_cast<unsigned char>(text[i]));
    if (IsInvisibleControl(DecodeUtf8(text.substr(i, length)))) return true;
    i += length;
  }
  return false;
}

}  // namespace examphoto
