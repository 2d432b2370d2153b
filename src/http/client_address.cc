#include "http/client_address.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <stdexcept>

#include "domain/text.h"

namespace examphoto {
namespace {

// The canonical text of an address ("::ffff:127.0.0.1" is 127.0.0.1), or "" if it is none.
std::string Canonical(std::string_view text) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(Trim(text)), ec);
  if (ec) return "";
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
        .to_string();
  }
  return address.to_string();
}

}  // namespace

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  std::string peer_address = Canonical(peer).empty() ? std::string(peer) : Canonical(peer);
  auto trusted = [&trusted_proxies](const std::string& address) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) !=
           trusted_proxies.end();
  };
  if (forwarded_for.empty() || !trusted(peer_address)) return peer_address;
  std::string client = peer_address;
  // Right to left: the nearest hop first. Stop at the first address no trusted proxy wrote.
  while (!forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    const std::string_view entry =
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for =
        comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    const std::string address = Canonical(entry);
    if (address.empty()) break;  // garbage: keep the last address a trusted proxy vouched for
    client = address;
    if (!trusted(address)) break;
  }
  return client;
}

AddressList ParseAddressList(std::string_view text) {
  AddressList list;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view entry = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (entry.empty()) continue;
    std::string address = Canonical(entry);
    if (address.empty()) {
      list.not_an_address = std::string(entry);
      return list;
    }
    list.addresses.push_back(std::move(address));
  }
  return list;
}

}  // namespace examphoto
