// Text that goes into the service's `key=value` log lines. A value that came from outside
// (a username, a file name, a request path, an error text) must not be able to start a new
// line or pose as another key (security finding F4): LogValue quotes what needs quoting, and
// the logger escapes every control character in every line (EscapeControlCharacters), so
// one log record is always one line.
#pragma once

#include <string>
#include <string_view>

namespace examphoto {

// The value as it should follow "key=": unchanged when it is a plain token (letters,
// digits, and . _ - / : @ + , and any non-ASCII text), else in double quotes with '"' and
// '\' escaped and control characters written as \n, \r, \t or \xNN. Empty becomes "".
std::string LogValue(std::string_view value);

// Control characters (C0 and DEL) written as \n, \r, \t or \xNN; everything else unchanged.
std::string EscapeControlCharacters(std::string_view text);

}  // namespace examphoto
