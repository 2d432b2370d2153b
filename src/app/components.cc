#include "app/components.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "service/secrets.h"
#include "storage/encrypting_blob_store.h"
#include "storage/migrator.h"

extern char** environ;

namespace examphoto {

void CommonFlags::AddTo(CLI::App& command) {
  command.add_option("--config", config_file, "Configuration file (key = value lines)");
  command.add_option("--data-dir", data_dir, "Folder for the SQLite database, blobs and keys");
  command.add_option("--database", database_url,
                     "sqlite:PATH or postgresql://user:pass@host/db (overrides database.url)");
}

LoadedSettings LoadSettingsOrExit(
    const CommonFlags& flags, char** environment,
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  LoadedSettings loaded;
  loaded.layout = InstallLayout::OfThisBinary();
  auto fail = [](const Error& error) {
    std::cerr << "examphoto: " << error.message << "\n  " << error.hint << "\n";
    std::exit(2);
  };
  // The keys and their defaults, from the components themselves.
  const ConfigSchema known = SettingsSchema(loaded.layout);
  std::error_code ignored;
  if (!flags.config_file.empty()) {
    if (Status s = loaded.config.LoadFile(flags.config_file); !s.ok()) fail(s.error());
  } else if (std::filesystem::exists(loaded.layout.config_file, ignored)) {
    if (Status s = loaded.config.LoadFile(loaded.layout.config_file.string()); !s.ok()) {
      fail(s.error());
    }
  }
  loaded.config.LoadEnvironment(environment, known);
  if (!flags.data_dir.empty()) loaded.config.Set("data_dir", flags.data_dir);
  if (!flags.database_url.empty()) loaded.config.Set("database.url", flags.database_url);
  for (const auto& [key, value] : overrides) loaded.config.Set(key, value);
  if (Status s = loaded.config.CheckKnown(known); !s.ok()) fail(s.error());
  auto settings =
      Settings::FromConfig(ConfigSection(loaded.config.values(), loaded.schema), loaded.layout);
  if (!settings.ok()) fail(settings.error());
  loaded.settings = std::move(*settings);
  return loaded;
}

void SetUpLogging(const AppOptions& app, bool to_stderr) {
  spdlog::init_thread_pool(8192, 1);
  std::shared_ptr<spdlog::sinks::sink> sink;
  if (to_stderr) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else {
    sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  }
  // Asynchronous so that a slow terminal or pipe never stalls a request; when the queue is
  // full the oldest lines are dropped rather than blocking the I/O threads.
  auto logger = std::make_shared<spdlog::async_logger>(
      "examphoto", sink, spdlog::thread_pool(), spdlog::async_overflow_policy::overrun_oldest);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z level=%l %v");
  logger->set_level(spdlog::level::from_str(app.log_level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

namespace {

std::string LoadOrCreateSecret(const AppOptions& app) {
  if (!app.secret_key.empty()) return app.secret_key;
  const std::filesystem::path path = app.data_dir / "secret.key";
  std::ifstream in(path);
  std::string key;
  if (in && std::getline(in, key) && key.size() >= 32) return key;
  std::filesystem::create_directories(path.parent_path());
  key = NewSecretKey();
  const std::string temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << key << "\n";
  }
  ::chmod(temporary.c_str(), 0600);
  std::filesystem::rename(temporary, path);
  spdlog::info("secret.generated path={}", path.string());
  return key;
}

}  // namespace

std::unique_ptr<BlobStore> OpenBlobStore(const BlobStoreOptions& options, Database& database,
                                         const Clock& clock, bool allow_plaintext) {
  std::unique_ptr<BlobStore> blobs;
  if (options.store == "database") {
    blobs = std::make_unique<DatabaseBlobStore>(database, [&clock] { return clock.NowMillis(); });
  } else {
    blobs = std::make_unique<FileBlobStore>(options.dir);
  }
  if (options.encryption_key.empty()) return blobs;
  // Both parse: BlobStoreOptions::FromConfig checked them.
  return std::make_unique<EncryptingBlobStore>(
      std::move(blobs), ParseBlobKey(options.encryption_key).value(),
      ParseBlobKeyList(options.encryption_old_keys).value(), allow_plaintext);
}

std::unique_ptr<CoreComponents> OpenCore(const Settings& settings) {
  auto core = std::make_unique<CoreComponents>();
  core->settings = settings;
  std::filesystem::create_directories(settings.app.data_dir);
  core->database = OpenDatabase(settings.database);
  MigrationReport migrations = MigrateToLatest(*core->database);
  for (const auto& name : migrations.applied) spdlog::info("database.migrated file={}", name);
  core->blobs = OpenBlobStore(settings.blobs, *core->database, core->clock);
  core->secret_key = LoadOrCreateSecret(settings.app);
  return core;
}

}  // namespace examphoto
