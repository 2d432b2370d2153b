// Small text rules shared by every layer: trimming what people and spreadsheets put around
// a value, and telling text a person typed from text carrying invisible control characters.
// Pure functions on UTF-8; see utf8.h for counting and validating characters.
#pragma once

#include <string>
#include <string_view>

namespace examphoto {

// Without leading and trailing white space: ASCII spaces, tabs and line breaks, and the
// full-width space U+3000 that Excel and Chinese input methods leave around names.
std::string_view Trim(std::string_view text);

// Whether `text` holds a character that has no place in a name, an exam session or any
// other single-line field a person reads: C0 and C1 control characters (NUL, tab, line
// breaks, DEL included), the bidirectional overrides, embeddings and isolates that make a
// string display in another order than it is stored (U+202A–U+202E, U+2066–U+2069, U+200E,
// U+200F, U+061C), zero-width characters (U+200B–U+200D, U+2060, U+FEFF), or bytes that
// are not UTF-8.
bool HasInvisibleControls(std::string_view text);

}  // namespace examphoto
