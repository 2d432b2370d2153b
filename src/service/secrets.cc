#include "service/secrets.h"

#include <sodium.h>

#include <stdexcept>

namespace examphoto {
namespace {

struct SodiumInit {
  SodiumInit() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  }
};

void EnsureSodium() { static SodiumInit init; }

std::string Hex(const unsigned char* data, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

}  // namespace

std::string NewSessionToken() {
  EnsureSodium();
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(sizeof random, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), random, sizeof random, variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string Sha256Hex(std::string_view data) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return Hex(digest, sizeof digest);
}

std::string HashToken(std::string_view token) { return Sha256Hex(token); }

std::string NewNumericCode(int digits) {
  EnsureSodium();
  std::string code;
  for (int i = 0; i < digits; ++i) code.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  return code;
}

std::string KeyedHash(std::string_view key, std::string_view message) {
  EnsureSodium();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return Hex(mac, sizeof mac);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  EnsureSodium();
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string NewSecretKey() {
  EnsureSodium();
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  return Hex(random, sizeof random);
}

}  // namespace examphoto
