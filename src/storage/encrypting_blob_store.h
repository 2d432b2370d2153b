// Encryption at rest for every image the service keeps (ID card captures, uploads, finished
// photos): a BlobStore decorator that seals each blob with libsodium's XChaCha20-Poly1305
// before it reaches the inner store (files or the database) and opens it on the way back.
// Keys come from the configuration or the environment, never from the database. Each blob
// names the key that sealed it, so keys rotate: new writes use the current key, blobs sealed
// with an older key stay readable while that key is listed, and Rotate() re-seals them.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"
#include "storage/blob_store.h"

namespace examphoto {

// A named 256-bit key. The id is written in clear into every blob it seals.
struct BlobKey {
  std::string id;     // 1–32 of [A-Za-z0-9_-]
  std::string bytes;  // 32 bytes
};

// Parses "ID:HEX64" (one key) or a comma-separated list of them.
Result<BlobKey> ParseBlobKey(std::string_view text);
Result<std::vector<BlobKey>> ParseBlobKeyList(std::string_view text);
// A new random key as "ID:HEX64", for `examphoto blobs new-key`.
std::string NewBlobKeyText(std::string_view id);

struct RotationReport {
  size_t examined = 0;
  size_t resealed = 0;    // sealed with an older key or stored in clear before
  size_t unreadable = 0;  // sealed with a key not configured, or tampered with
};

class EncryptingBlobStore : public BlobStore {
 public:
  // `current` seals every write; `older` only open. `allow_plaintext` lets blobs written
  // before encryption was switched on be read: for the rotation command only (it seals
  // them), since a store that accepts clear blobs accepts a forged one too.
  EncryptingBlobStore(std::unique_ptr<BlobStore> inner, BlobKey current, std::vector<BlobKey> older,
                      bool allow_plaintext = false);

  void Put(std::string_view key, std::string_view bytes) override;
  // nullopt when absent. Throws DatabaseError when the blob fails authentication (tampered,
  // moved to another key, or sealed with a key that is not configured).
  std::optional<std::string> Get(std::string_view key) override;
  void Remove(std::string_view key) override;
  std::vector<std::string> ListKeys() override;

  // Re-seals with the current key every blob not yet sealed with it.
  RotationReport Rotate();

  // Whether `stored` (bytes as the inner store holds them) is sealed, and with which key.
  static bool IsSealed(std::string_view stored);
  static std::string SealedKeyId(std::string_view stored);

  BlobStore& inner() { return *inner_; }
  // Gives the inner store back; this object is not to be used afterwards.
  std::unique_ptr<BlobStore> TakeInner() && { return std::move(inner_); }

 private:
  std::string Seal(std::string_view key, std::string_view plain) const;
  std::optional<std::string> Open(std::string_view key, std::string_view stored) const;

  std::unique_ptr<BlobStore> inner_;
  BlobKey current_;
  std::map<std::string, std::string, std::less<>> keys_;  // id → bytes, current included
  bool allow_plaintext_;
};

}  // namespace examphoto
