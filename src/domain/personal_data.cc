#include "domain/personal_data.h"

#include <algorithm>
#include <cctype>

#include "domain/utf8.h"

namespace examphoto {

std::string NormalizePhone(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '+') {
      return std::string(text);  // leave it alone: validation will say it is wrong
    }
  }
  if (digits.size() == 13 && digits.compare(0, 2, "86") == 0) digits.erase(0, 2);
  return digits;
}

bool IsValidMobilePhone(std::string_view phone) {
  if (phone.size() != 11 || phone[0] != '1' || phone[1] < '3' || phone[1] > '9') return false;
  for (char c : phone) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() != 11) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(7));
}

std::string MaskIdNumber(std::string_view id_number) {
  if (id_number.size() != 18) return std::string(id_number.size(), '*');
  return std::string(id_number.substr(0, 6)) + "********" + std::string(id_number.substr(14));
}

std::string MaskName(std::string_view name) {
  if (name.empty()) return {};
  const size_t first =
      std::min(Utf8SequenceLength(static_cast<unsigned char>(name[0])), name.size());
  return std::string(name.substr(0, first)) + "**";
}

}  // namespace examphoto
