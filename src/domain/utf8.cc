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

}  // namespace examphoto
