#include "domain/identity_match.h"

#include <cctype>

namespace examphoto {
namespace {

std::string WithoutSpaces(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) continue;
    if (text.substr(i, 3) == "\xE3\x80\x80") {  // ideographic space
      i += 2;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string UpperId(std::string_view text) {
  std::string out = WithoutSpaces(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::vector<std::string> DifferingIdentityFields(std::string_view card_name,
                                                 std::string_view card_id_number,
                                                 std::string_view registered_name,
                                                 std::string_view registered_id_number) {
  std::vector<std::string> fields;
  if (WithoutSpaces(card_name) != WithoutSpaces(registered_name)) fields.emplace_back("name");
  if (UpperId(card_id_number) != UpperId(registered_id_number)) fields.emplace_back("id_number");
  return fields;
}

}  // namespace examphoto
