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

Config LoadConfigOrExit(const CommonFlags& flags, char** environment) {
  Config config = Config::Defaults();
  auto fail = [](const Error& error) {
    std::cerr << "examphoto: " << error.message << "\n  " << error.hint << "\n";
    std::exit(2);
  };
  if (!flags.config_file.empty()) {
    if (Status s = config.LoadFile(flags.config_file); !s.ok()) fail(s.error());
  }
  if (Status s = config.LoadEnvironment(environment); !s.ok()) fail(s.error());
  if (!flags.data_dir.empty()) (void)config.Set("data_dir", flags.data_dir);
  if (!flags.database_url.empty()) (void)config.Set("database.url", flags.database_url);
  return config;
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

void SetUpLogging(const Config& config, bool to_stderr) {
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
  logger->set_level(spdlog::level::from_str(config.Get("log.level")));
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

std::string LoadOrCreateSecret(const Config& config) {
  std::string configured = config.Get("secret_key");
  if (!configured.empty()) return configured;
  const std::filesystem::path path = std::filesystem::path(config.Get("data_dir")) / "secret.key";
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
// off, the data folder's blob.key, made on first use like secret.key. Several instances on
// one database store must share a key, so there it has to be configured.
BlobKeys ResolveBlobKeys(const Config& config, bool create) {
  BlobKeys keys;
  const std::string configured = config.Get("blobs.encryption_key");
  const std::string older = config.Get("blobs.encryption_old_keys");
  auto old_keys = ParseBlobKeyList(older);
  if (!old_keys.ok())
    throw std::invalid_argument("blobs.encryption_old_keys: " + old_keys.error().message);
  keys.older = std::move(old_keys.value());
  const std::string mode = config.Get("blobs.encryption");
  if (mode != "on" && mode != "off")
    throw std::invalid_argument("blobs.encryption must be on or off, got " + mode);
  if (!configured.empty()) {
    auto key = ParseBlobKey(configured);
    if (!key.ok()) throw std::invalid_argument("blobs.encryption_key: " + key.error().message);
    keys.current = std::move(key.value());
    return keys;
  }
  if (mode == "off") {
    if (!older.empty())
      throw std::invalid_argument(
          "blobs.encryption_old_keys is set but blobs.encryption_key is not");
    return keys;
  }
  if (config.Get("blobs.store") == "database") {
    throw std::invalid_argument(
        "blobs.store = database is shared by several instances, which must seal the images "
        "with the same key: set blobs.encryption_key on every instance (make one with "
        "`examphoto blobs new-key --id 2026a`), or blobs.encryption = off");
  }
  const std::filesystem::path path = std::filesystem::path(config.Get("data_dir")) / "blob.key";
  std::string text = ReadKeyFile(path);
  if (text.empty() && create) {
    text = NewBlobKeyText("local");
    WriteKeyFile(path, text);
    keys.generated = true;
    spdlog::info(
        "blobs.key_generated path={} (back it up with the database: without it the "
        "stored images cannot be read)",
        path.string());
  }
  if (text.empty()) return keys;
  auto key = ParseBlobKey(text);
  if (!key.ok()) throw std::invalid_argument(path.string() + ": " + key.error().message);
  keys.current = std::move(key.value());
  return keys;
}

}  // namespace

std::unique_ptr<BlobStore> WrapWithEncryption(const Config& config,
                                              std::unique_ptr<BlobStore> blobs,
                                              bool allow_plaintext) {
  BlobKeys keys = ResolveBlobKeys(config, /*create=*/false);
  if (!keys.current) return blobs;
  return std::make_unique<EncryptingBlobStore>(std::move(blobs), std::move(*keys.current),
                                               std::move(keys.older), allow_plaintext);
}

bool BlobEncryptionConfigured(const Config& config) {
  return ResolveBlobKeys(config, /*create=*/false).current.has_value();
}

std::unique_ptr<CoreComponents> OpenCore(const Config& config) {
  auto core = std::make_unique<CoreComponents>();
  core->config = config;
  // The data folder holds every candidate's record and images: the service's user only.
  const std::filesystem::path data_dir = config.Get("data_dir");
  if (!std::filesystem::exists(data_dir)) {
    std::filesystem::create_directories(data_dir);
    std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all);
  } else if ((std::filesystem::status(data_dir).permissions() &
              (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) !=
             std::filesystem::perms::none) {
    spdlog::warn("data_dir.permissions path={} (others can open it: chmod 700 it)",
                 data_dir.string());
  }
  DatabaseOptions options;
  options.url = config.Get("database.url");
  options.pool_size = static_cast<int>(config.GetInt("database.pool_size"));
  core->database = OpenDatabase(options);
  MigrationReport migrations = MigrateToLatest(*core->database);
  for (const auto& name : migrations.applied) spdlog::info("database.migrated file={}", name);
  if (config.Get("blobs.store") == "database") {
    core->blobs = std::make_unique<DatabaseBlobStore>(
        *core->database, [clock = &core->clock] { return clock->NowMillis(); });
  } else if (config.Get("blobs.store") == "file") {
    core->blobs = std::make_unique<FileBlobStore>(config.Get("blobs.dir"));
  } else {
    throw std::invalid_argument("blobs.store must be file or database");
  }
  BlobKeys keys = ResolveBlobKeys(config, /*create=*/true);
  if (!keys.current) {
    spdlog::warn(
        "blobs.encryption_off (ID card images and portraits are stored in clear: set "
        "blobs.encryption = on, or blobs.encryption_key)");
  } else {
    if (keys.generated) {
      // A store from before encryption was on by default: seal what it holds, once, now
      // (reading blobs in clear is allowed for this pass only).
      EncryptingBlobStore sealing(std::move(core->blobs), *keys.current, keys.older,
                                  /*allow_plaintext=*/true);
      const RotationReport report = sealing.Rotate();
      if (report.resealed > 0)
        spdlog::info("blobs.sealed count={} (stored in clear before)", report.resealed);
      core->blobs = std::move(sealing).TakeInner();
    }
    core->blobs = std::make_unique<EncryptingBlobStore>(
        std::move(core->blobs), std::move(*keys.current), std::move(keys.older));
  }
  core->secret_key = LoadOrCreateSecret(config);
  return core;
}

}  // namespace examphoto
