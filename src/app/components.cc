#include "app/components.h"

#include <fcntl.h>
#include <spdlog/async.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <system_error>

#include "domain/log_text.h"
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

namespace {

// "%*": the message with its control characters escaped, so that no value inside it can end
// the line and forge the next one (security finding F4; values are quoted by LogValue).
class EscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& out) override {
    const std::string escaped =
        EscapeControlCharacters(std::string_view(message.payload.data(), message.payload.size()));
    out.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessage>();
  }
};

}  // namespace

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
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<EscapedMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e%z level=%l %*");
  logger->set_formatter(std::move(formatter));
  logger->set_level(spdlog::level::from_str(app.log_level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

namespace {

// Writes a key file readable by the owner only from its first byte (never chmod after the
// fact: in between, anyone could read it), then moves it into place.
void WriteKeyFile(const std::filesystem::path& path, const std::string& text) {
  const std::string temporary = path.string() + ".tmp";
  ::unlink(temporary.c_str());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "create " + temporary);
  const std::string line = text + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const bool synced = written && ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw std::system_error(errno, std::generic_category(), "write " + temporary);
  std::filesystem::rename(temporary, path);
}

// The first line of a key file, or "" when there is none.
std::string ReadKeyFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  if (in) std::getline(in, line);
  return line;
}

std::string LoadOrCreateSecret(const AppOptions& app) {
  if (!app.secret_key.empty()) return app.secret_key;
  const std::filesystem::path path = app.data_dir / "secret.key";
  std::string key = ReadKeyFile(path);
  if (key.size() >= 32) return key;
  key = NewSecretKey();
  WriteKeyFile(path, key);
  spdlog::info("secret.generated path={}", path.string());
  return key;
}

struct BlobKeys {
  std::optional<BlobKey> current;  // none: encryption is off
  std::vector<BlobKey> older;
  bool generated = false;  // the key file was made just now
};

// The keys that seal the stored images (security finding F8: without a configured key they
// were plain JPEG files): blobs.encryption_key when set; else, unless blobs.encryption is
// off, the data folder's blob.key, made on first use like secret.key. (The options were
// checked by BlobStoreOptions::FromConfig: the keys parse, and a database store, shared by
// several instances, has its key configured.)
BlobKeys ResolveBlobKeys(const BlobStoreOptions& options, bool create) {
  BlobKeys keys;
  keys.older = ParseBlobKeyList(options.encryption_old_keys).value();
  if (!options.encryption_key.empty()) {
    keys.current = ParseBlobKey(options.encryption_key).value();
    return keys;
  }
  if (options.encryption == "off") return keys;
  std::string text = ReadKeyFile(options.key_file);
  if (text.empty() && create) {
    text = NewBlobKeyText("local");
    WriteKeyFile(options.key_file, text);
    keys.generated = true;
    spdlog::info(
        "blobs.key_generated path={} (back it up with the database: without it the "
        "stored images cannot be read)",
        options.key_file.string());
  }
  if (text.empty()) return keys;
  auto key = ParseBlobKey(text);
  if (!key.ok()) {
    throw std::invalid_argument(options.key_file.string() + ": " + key.error().message);
  }
  keys.current = std::move(key.value());
  return keys;
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
  BlobKeys keys = ResolveBlobKeys(options, /*create=*/false);
  if (!keys.current) return blobs;
  return std::make_unique<EncryptingBlobStore>(std::move(blobs), std::move(*keys.current),
                                               std::move(keys.older), allow_plaintext);
}

bool BlobEncryptionConfigured(const BlobStoreOptions& options) {
  return ResolveBlobKeys(options, /*create=*/false).current.has_value();
}

std::unique_ptr<CoreComponents> OpenCore(const Settings& settings) {
  auto core = std::make_unique<CoreComponents>();
  core->settings = settings;
  // The data folder holds every candidate's record and images: the service's user only.
  const std::filesystem::path& data_dir = settings.app.data_dir;
  if (!std::filesystem::exists(data_dir)) {
    std::filesystem::create_directories(data_dir);
    std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all);
  } else if ((std::filesystem::status(data_dir).permissions() &
              (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) !=
             std::filesystem::perms::none) {
    spdlog::warn("data_dir.permissions path={} (others can open it: chmod 700 it)",
                 data_dir.string());
  }
  core->database = OpenDatabase(settings.database);
  MigrationReport migrations = MigrateToLatest(*core->database);
  for (const auto& name : migrations.applied) spdlog::info("database.migrated file={}", name);
  BlobKeys keys = ResolveBlobKeys(settings.blobs, /*create=*/true);
  if (!keys.current) {
    spdlog::warn(
        "blobs.encryption_off (ID card images and portraits are stored in clear: set "
        "blobs.encryption = on, or blobs.encryption_key)");
  } else if (keys.generated) {
    // A store from before encryption was on by default: seal what it holds, once, now
    // (reading blobs in clear is allowed for this pass only).
    auto sealing = OpenBlobStore(settings.blobs, *core->database, core->clock,
                                 /*allow_plaintext=*/true);
    const RotationReport report = static_cast<EncryptingBlobStore&>(*sealing).Rotate();
    if (report.resealed > 0)
      spdlog::info("blobs.sealed count={} (stored in clear before)", report.resealed);
  }
  core->blobs = OpenBlobStore(settings.blobs, *core->database, core->clock);
  core->secret_key = LoadOrCreateSecret(settings.app);
  return core;
}

}  // namespace examphoto
