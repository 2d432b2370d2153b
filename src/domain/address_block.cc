#include "domain/address_block.h"

#include <arpa/inet.h>

#include <array>
#include <cstdio>
#include <cstring>

namespace examphoto {

std::string AddressBlock(std::string_view address) {
  std::string text(address);
  std::array<unsigned char, 16> bytes{};
  if (::inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) return text;  // IPv4 or other
  static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(bytes.data(), kMappedPrefix, sizeof kMappedPrefix) == 0) {
    char v4[INET_ADDRSTRLEN];
    ::inet_ntop(AF_INET, bytes.data() + 12, v4, sizeof v4);
    return v4;
  }
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  char v6[INET6_ADDRSTRLEN];
  ::inet_ntop(AF_INET6, bytes.data(), v6, sizeof v6);
  return std::string(v6) + "/64";
}

}  // namespace examphoto
