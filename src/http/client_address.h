// Which address a request comes from, for rate limits and logs. Behind nginx the TCP peer is
// the proxy; the client is then read from X-Forwarded-For, but only when the peer is one of
// the configured trusted proxies, and from the right: each proxy appends the address it saw,
// so entries left of the last untrusted one may have been written by the client itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace examphoto {

// `peer`: the TCP peer's address. `forwarded_for`: the X-Forwarded-For value ("" when absent).
// `trusted_proxies`: addresses whose X-Forwarded-For is believed (empty: nobody's).
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

// "127.0.0.1, ::1" → canonical addresses. A list with an entry that is not an IP address (a
// host name or a network, which would silently trust nobody) names it in `not_an_address`.
struct AddressList {
  std::vector<std::string> addresses;
  std::string not_an_address;  // the first entry that is no IP address; "" when all are
};
AddressList ParseAddressList(std::string_view text);

}  // namespace examphoto
