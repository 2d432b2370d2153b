// UTF-8 text cut into characters (code points), for fields printed in Chinese: names,
// addresses, ethnic groups. Input from OCR or files may be malformed; a truncated sequence at
// the end becomes a shorter last piece, never a read past the end. The one place that knows
// the encoding: other code counts, splits and validates through these functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace examphoto {

// Bytes of the sequence that starts with `lead` (1–4).
inline size_t Utf8SequenceLength(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

std::vector<std::string> SplitUtf8(std::string_view text);

// Characters in `text` (its lead bytes; a malformed sequence counts as what its bytes begin).
size_t Utf8Length(std::string_view text);

// Whether `text` is well-formed UTF-8: no stray continuation bytes, no truncated or overlong
// sequences, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text);

// The code point of one sequence as cut by SplitUtf8 (U+FFFD when it is malformed).
char32_t DecodeUtf8(std::string_view sequence);

}  // namespace examphoto
