#include "app/components.h"

#include <spdlog/async.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

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

std::string LoadOrCreateSecret(const Config& config) {
  std::string configured = config.Get("secret_key");
  if (!configured.empty()) return configured;
  const std::filesystem::path path = std::filesystem::path(config.Get("data_dir")) / "secret.key";
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

std::unique_ptr<BlobStore> WrapWithEncryption(const Config& config,
                                              std::unique_ptr<BlobStore> blobs,
                                              bool allow_plaintext) {
  const std::string current = config.Get("blobs.encryption_key");
  const std::string older = config.Get("blobs.encryption_old_keys");
  if (current.empty()) {
    if (!older.empty())
      throw std::invalid_argument(
          "blobs.encryption_old_keys is set but blobs.encryption_key is not");
    return blobs;
  }
  auto key = ParseBlobKey(current);
  if (!key.ok()) throw std::invalid_argument("blobs.encryption_key: " + key.error().message);
  auto old_keys = ParseBlobKeyList(older);
  if (!old_keys.ok())
    throw std::invalid_argument("blobs.encryption_old_keys: " + old_keys.error().message);
  return std::make_unique<EncryptingBlobStore>(std::move(blobs), std::move(key.value()),
                                               std::move(old_keys.value()), allow_plaintext);
}

std::unique_ptr<CoreComponents> OpenCore(const Config& config) {
  auto core = std::make_unique<CoreComponents>();
  core->config = config;
  std::filesystem::create_directories(config.Get("data_dir"));
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
  core->blobs = WrapWithEncryption(config, std::move(core->blobs));
  core->secret_key = LoadOrCreateSecret(config);
  return core;
}

}  // namespace examphoto
