#include "domain/log_text.h"

#include <cstdio>

namespace examphoto {
namespace {

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

void AppendEscaped(std::string& out, unsigned char c) {
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default: {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
}

bool IsPlain(unsigned char c) {
  if (c >= 0x80) return true;  // UTF-8 text (names, addresses) is kept readable
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '.':
    case '_':
    case '-':
    case '/':
    case ':':
    case '@':
    case '+':
    case ',':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string LogValue(std::string_view value) {
  bool plain = !value.empty();
  for (const char c : value) plain = plain && IsPlain(static_cast<unsigned char>(c));
  if (plain) return std::string(value);
  std::string out = "\"";
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (IsControl(c)) {
      AppendEscaped(out, c);
    } else {
      out += ch;
    }
  }
  out += '"';
  return out;
}

std::string EscapeControlCharacters(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsControl(c)) {
      AppendEscaped(out, c);
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace examphoto
