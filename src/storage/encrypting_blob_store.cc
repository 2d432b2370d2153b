#include "storage/encrypting_blob_store.h"

#include <sodium.h>

#include <cctype>
#include <stdexcept>

#include "domain/messages.h"
#include "domain/text.h"

namespace examphoto {
namespace {

// Layout of a sealed blob:
//   "EPB1" | key id length (1 byte) | key id | nonce (24 bytes) | ciphertext + tag (16 bytes)
// The associated data is everything before the nonce plus the blob's key, so a sealed blob
// copied under another key, or relabelled with another key id, fails authentication.
constexpr std::string_view kMagic = "EPB1";
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;

bool ValidKeyId(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  }
  return true;
}

Error KeyError(const std::string& detail) {
  Error error = MakeError(ErrorKind::kInvalidInput, "reliability.blob_key_invalid", detail);
  error.message += detail;
  return error;
}

[[noreturn]] void ThrowUnreadable(std::string_view key, const char* why) {
  throw DatabaseError(DatabaseError::Kind::kOther, "blob " + std::string(key) + " " + why);
}

}  // namespace

Result<BlobKey> ParseBlobKey(std::string_view text) {
  text = Trim(text);
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return KeyError("blob key must be ID:HEX64");
  BlobKey key;
  key.id = std::string(text.substr(0, colon));
  if (!ValidKeyId(key.id)) return KeyError("blob key id must be 1-32 of A-Z a-z 0-9 - _");
  const std::string_view hex = text.substr(colon + 1);
  key.bytes.resize(kKeyBytes);
  size_t length = 0;
  if (hex.size() != 2 * kKeyBytes ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(key.bytes.data()), kKeyBytes, hex.data(),
                     hex.size(), nullptr, &length, nullptr) != 0 ||
      length != kKeyBytes) {
    return KeyError("blob key " + key.id + " must be 64 hexadecimal digits");
  }
  return key;
}

Result<std::vector<BlobKey>> ParseBlobKeyList(std::string_view text) {
  std::vector<BlobKey> keys;
  while (!Trim(text).empty()) {
    const size_t comma = text.find(',');
    auto key = ParseBlobKey(text.substr(0, comma));
    if (!key.ok()) return key.error();
    keys.push_back(std::move(key.value()));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return keys;
}

std::string NewBlobKeyText(std::string_view id) {
  unsigned char key[kKeyBytes];
  crypto_aead_xchacha20poly1305_ietf_keygen(key);
  char hex[2 * kKeyBytes + 1];
  sodium_bin2hex(hex, sizeof hex, key, sizeof key);
  sodium_memzero(key, sizeof key);
  return std::string(id) + ":" + hex;
}

EncryptingBlobStore::EncryptingBlobStore(std::unique_ptr<BlobStore> inner, BlobKey current,
                                         std::vector<BlobKey> older, bool allow_plaintext)
    : inner_(std::move(inner)), current_(std::move(current)), allow_plaintext_(allow_plaintext) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  if (!ValidKeyId(current_.id) || current_.bytes.size() != kKeyBytes) {
    throw std::invalid_argument("invalid current blob key");
  }
  keys_[current_.id] = current_.bytes;
  for (auto& key : older) {
    if (!ValidKeyId(key.id) || key.bytes.size() != kKeyBytes) {
      throw std::invalid_argument("invalid older blob key");
    }
    if (keys_.count(key.id) && keys_[key.id] != key.bytes) {
      throw std::invalid_argument("blob key id " + key.id + " is listed twice with different keys");
    }
    keys_.emplace(key.id, std::move(key.bytes));
  }
}

bool EncryptingBlobStore::IsSealed(std::string_view stored) {
  if (stored.size() < kMagic.size() + 1 || stored.substr(0, kMagic.size()) != kMagic) return false;
  const size_t id_length = static_cast<unsigned char>(stored[kMagic.size()]);
  return stored.size() >= kMagic.size() + 1 + id_length + kNonceBytes + kTagBytes;
}

std::string EncryptingBlobStore::SealedKeyId(std::string_view stored) {
  if (!IsSealed(stored)) return {};
  const size_t id_length = static_cast<unsigned char>(stored[kMagic.size()]);
  return std::string(stored.substr(kMagic.size() + 1, id_length));
}

std::string EncryptingBlobStore::Seal(std::string_view key, std::string_view plain) const {
  std::string out;
  const size_t header = kMagic.size() + 1 + current_.id.size();
  out.reserve(header + kNonceBytes + plain.size() + kTagBytes);
  out.append(kMagic);
  out.push_back(static_cast<char>(current_.id.size()));
  out.append(current_.id);
  std::string associated = out;
  associated.append(key);
  unsigned char nonce[kNonceBytes];
  randombytes_buf(nonce, sizeof nonce);
  out.append(reinterpret_cast<const char*>(nonce), sizeof nonce);
  const size_t at = out.size();
  out.resize(at + plain.size() + kTagBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data() + at), &written,
      reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      reinterpret_cast<const unsigned char*>(associated.data()), associated.size(), nullptr, nonce,
      reinterpret_cast<const unsigned char*>(current_.bytes.data()));
  out.resize(at + written);
  return out;
}

std::optional<std::string> EncryptingBlobStore::Open(std::string_view key,
                                                     std::string_view stored) const {
  if (stored.substr(0, std::min(stored.size(), kMagic.size())) != kMagic) {
    if (allow_plaintext_) return std::string(stored);
    ThrowUnreadable(key, "is not encrypted");
  }
  if (!IsSealed(stored)) ThrowUnreadable(key, "is truncated");
  const size_t id_length = static_cast<unsigned char>(stored[kMagic.size()]);
  const size_t header = kMagic.size() + 1 + id_length;
  const std::string_view id = stored.substr(kMagic.size() + 1, id_length);
  auto found = keys_.find(id);
  if (found == keys_.end()) ThrowUnreadable(key, "is sealed with a key that is not configured");
  std::string associated(stored.substr(0, header));
  associated.append(key);
  const auto* nonce = reinterpret_cast<const unsigned char*>(stored.data() + header);
  const std::string_view sealed = stored.substr(header + kNonceBytes);
  std::string plain(sealed.size() - kTagBytes, '\0');
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &length, nullptr,
          reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
          reinterpret_cast<const unsigned char*>(associated.data()), associated.size(), nonce,
          reinterpret_cast<const unsigned char*>(found->second.data())) != 0) {
    ThrowUnreadable(key, "failed authentication (tampered with or under another key)");
  }
  plain.resize(length);
  return plain;
}

void EncryptingBlobStore::Put(std::string_view key, std::string_view bytes) {
  inner_->Put(key, Seal(key, bytes));
}

std::optional<std::string> EncryptingBlobStore::Get(std::string_view key) {
  auto stored = inner_->Get(key);
  if (!stored) return std::nullopt;
  return Open(key, *stored);
}

void EncryptingBlobStore::Remove(std::string_view key) { inner_->Remove(key); }

std::vector<std::string> EncryptingBlobStore::ListKeys() { return inner_->ListKeys(); }

RotationReport EncryptingBlobStore::Rotate() {
  RotationReport report;
  for (const std::string& key : inner_->ListKeys()) {
    ++report.examined;
    auto stored = inner_->Get(key);
    if (!stored) continue;  // removed meanwhile
    if (IsSealed(*stored) && SealedKeyId(*stored) == current_.id) continue;
    try {
      auto plain = Open(key, *stored);
      inner_->Put(key, Seal(key, *plain));
      ++report.resealed;
    } catch (const DatabaseError&) {
      ++report.unreadable;
    }
  }
  return report;
}

}  // namespace examphoto
