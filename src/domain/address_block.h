// The unit a per-address limit counts. An IPv4 address is one subscriber; an IPv6 subscriber
// is given a whole /64 (and often more) and can pick a new address in it for every request,
// so IPv6 is counted per /64. Rate limits key on this, never on the raw address
// (security finding F2: IPv6 got a bucket per /128).
#pragma once

#include <string>
#include <string_view>

namespace examphoto {

// "203.0.113.9" → "203.0.113.9"; "2001:db8:1:2:a:b:c:d" → "2001:db8:1:2::/64";
// "::ffff:198.51.100.7" → "198.51.100.7". Text that is not an address is returned as it is.
std::string AddressBlock(std::string_view address);

}  // namespace examphoto
