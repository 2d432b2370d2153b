#include "domain/utf8.h"

namespace examphoto {

std::vector<std::string> SplitUtf8(std::string_view text) {
  std::vector<std::string> characters;
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceLength(static_cast<unsigned char>(text[i]));
    characters.emplace_back(text.substr(i, length));
    i += length;
  }
  return characters;
}

size_t Utf8Length(std::string_view text) {
  size_t count = 0;
  for (const unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    if (c < 0x80) {
      extra = 0;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      extra = 1;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      extra = 3;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    // The second byte rules out overlong forms, UTF-16 surrogates and values past U+10FFFF.
    const auto second = extra ? static_cast<unsigned char>(text[i + 1]) : 0;
    if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) ||
        (c == 0xF0 && second < 0x90) || (c == 0xF4 && second > 0x8F)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

char32_t DecodeUtf8(std::string_view sequence) {
  constexpr char32_t kReplacement = 0xFFFD;
  if (sequence.empty()) return kReplacement;
  const auto lead = static_cast<unsigned char>(sequence[0]);
  const size_t length = Utf8SequenceLength(lead);
  if (sequence.size() != length) return kReplacement;
  if (length == 1) return lead;
  char32_t value = lead & (0xFF >> (length + 1));
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(sequence[i]);
    if ((next & 0xC0) != 0x80) return kReplacement;
    value = (value << 6) | (next & 0x3F);
  }
  return value;
}

}  // namespace examphoto
