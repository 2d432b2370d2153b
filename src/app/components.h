// Wiring shared by the subcommands: the settings from flags, file and environment; the
// logger; the database (migrated to the newest schema) and the blob store it implies.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/config.h"
#include "app/layout.h"
#include "app/settings.h"
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

// The settings in force and where they came from.
struct LoadedSettings {
  Settings settings;
  Config config;        // the values given
  ConfigSchema schema;  // every key with its default
  InstallLayout layout;
};

// Defaults < file < environment < flags; `overrides` are a command's own flags as keys
// ({"listen", "..."}). Exits the process with status 2 and the catalogue's message on a bad
// configuration (a service must not start on half a configuration).
LoadedSettings LoadSettingsOrExit(
    const CommonFlags& flags, char** environment,
    const std::vector<std::pair<std::string, std::string>>& overrides = {});

void SetUpLogging(const AppOptions& app, bool to_stderr);

struct CoreComponents {
  Settings settings;
  SystemClock clock;
  std::unique_ptr<Database> database;
  std::unique_ptr<BlobStore> blobs;
  std::string secret_key;
};

// The store `options` name (a folder or the database's table), sealed unless
// blobs.encryption is off: with blobs.encryption_key, or else the data folder's blob.key
// (older keys from blobs.encryption_old_keys stay readable). Blobs in clear are refused
// unless `allow_plaintext` (only `examphoto blobs rotate-key`, which seals them).
std::unique_ptr<BlobStore> OpenBlobStore(const BlobStoreOptions& options, Database& database,
                                         const Clock& clock, bool allow_plaintext = false);
// Whether stored images are sealed (a key configured or in the data folder).
bool BlobEncryptionConfigured(const BlobStoreOptions& options);

// Opens the data folder (made private to the service's user), the database (migrated), the
// blob store (sealed by default: a key is generated into the data folder on first use, and
// blobs stored in clear before are sealed then) and the secret key (generated likewise).
std::unique_ptr<CoreComponents> OpenCore(const Settings& settings);

}  // namespace examphoto
