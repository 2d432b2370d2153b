// Wiring shared by the subcommands: configuration from flags, file and environment; the
// logger; the database (migrated to the newest schema) and the blob store it implies.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "app/config.h"
#include "domain/clock.h"
#include "storage/blob_store.h"
#include "storage/database.h"

namespace examphoto {

// Flags every subcommand that touches data accepts.
struct CommonFlags {
  std::string config_file;
  std::string data_dir;
  std::string database_url;
  void AddTo(CLI::App& command);
};

// Defaults < file < environment < flags. Exits the process with a message on a bad config
// (a service must not start on half a configuration).
Config LoadConfigOrExit(const CommonFlags& flags, char** environment);

void SetUpLogging(const Config& config, bool to_stderr);

struct CoreComponents {
  Config config;
  SystemClock clock;
  std::unique_ptr<Database> database;
  std::unique_ptr<BlobStore> blobs;
  std::string secret_key;
};

// The blob store sealed with blobs.encryption_key, or else the data folder's blob.key (older
// keys from blobs.encryption_old_keys stay readable); `blobs` unchanged when encryption is
// off. Blobs in clear are refused unless `allow_plaintext` (only `examphoto blobs
// rotate-key`, which seals them).
std::unique_ptr<BlobStore> WrapWithEncryption(const Config& config,
                                              std::unique_ptr<BlobStore> blobs,
                                              bool allow_plaintext = false);
// Whether stored images are sealed (a key configured or in the data folder).
bool BlobEncryptionConfigured(const Config& config);

// Opens the data folder (made private to the service's user), the database (migrated), the
// blob store (sealed by default: a key is generated into the data folder on first use, and
// blobs stored in clear before are sealed then) and the secret key (generated likewise).
std::unique_ptr<CoreComponents> OpenCore(const Config& config);

}  // namespace examphoto
