// Random tokens and keyed hashes (libsodium). Session tokens are 256 random bits shown to
// the client once and stored only as their SHA-256; SMS codes are stored as an HMAC keyed
// with the server secret, so a copy of the database does not reveal live codes.
#pragma once

#include <string>
#include <string_view>

namespace examphoto {

std::string NewSessionToken();                  // URL-safe base64, 43 characters
std::string HashToken(std::string_view token);  // hex SHA-256
std::string NewNumericCode(int digits);         // uniform, leading zeros kept
std::string KeyedHash(std::string_view key, std::string_view message);  // hex HMAC-SHA256
bool ConstantTimeEquals(std::string_view a, std::string_view b);
std::string NewSecretKey();  // 32 random bytes, hex
std::string Sha256Hex(std::string_view data);

}  // namespace examphoto
