// The configuration: how a component reads its section (defaults, ranges, refusals), how the
// app gathers values from a file and the environment, and the settings every command uses.
#include "app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/settings.h"
#include "domain/config_section.h"

namespace examphoto {
namespace {

namespace fs = std::filesystem;

TEST(ConfigSection, KeepsDefaultsReadsValuesAndNotesEveryKey) {
  ConfigValues values{{"login.attempts_per_code", "7"}, {"login.quiet", "off"}};
  ConfigSchema schema;
  ConfigSection login = ConfigSection(values, schema).Section("login");
  int64_t attempts = 5, ttl = 300;
  bool quiet = true;
  std::string secret = "";
  ASSERT_TRUE(login.Read("attempts_per_code", attempts, 1, 100).ok());
  ASSERT_TRUE(login.Read("code_ttl_seconds", ttl, 30, 3600).ok());
  ASSERT_TRUE(login.Read("quiet", quiet).ok());
  ASSERT_TRUE(login.ReadSecret("key", secret).ok());
  EXPECT_EQ(attempts, 7);
  EXPECT_EQ(ttl, 300);
  EXPECT_FALSE(quiet);
  ASSERT_EQ(schema.keys().size(), 4u);
  EXPECT_EQ(schema.Find("login.code_ttl_seconds")->default_value, "300");
  EXPECT_EQ(schema.Find("login.attempts_per_code")->default_value, "5");
  EXPECT_TRUE(schema.Find("login.key")->secret);
}

TEST(ConfigSection, RefusesWhatDoesNotParseNamingTheKey) {
  ConfigValues values{{"http.io_threads", "two"},
                      {"http.port", "70000"},
                      {"http.gzip", "maybe"},
                      {"sms.gateway", "pigeon"},
                      {"verification.threshold", "0.6x"}};
  ConfigSchema schema;
  ConfigSection root(values, schema);
  int threads = 2, port = 8080;
  bool gzip = true;
  std::string gateway = "log";
  double threshold = 0.6;
  for (Status refused :
       {root.Section("http").Read("io_threads", threads, 1, 256),
        root.Section("http").Read("port", port, 0, 65535), root.Section("http").Read("gzip", gzip),
        root.Section("sms").ReadChoice("gateway", gateway, {"log", "http"}),
        root.Section("verification").Read("threshold", threshold, 0, 2)}) {
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "config.invalid_value");
    EXPECT_EQ(refused.error().kind, ErrorKind::kInvalidInput);
  }
  EXPECT_NE(root.Section("sms")
                .ReadChoice("gateway", gateway, {"log", "http"})
                .error()
                .message.find("sms.gateway"),
            std::string::npos);
  EXPECT_EQ(threads, 2);  // a refused value leaves the default
  EXPECT_EQ(gateway, "log");
}

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("config-test-" + std::to_string(::getpid()));
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }
  std::string Write(const std::string& text) {
    const fs::path path = folder_ / "examphoto.conf";
    std::ofstream(path) << text;
    return path.string();
  }
  fs::path folder_;
};

TEST_F(ConfigFileTest, ReadsKeyValueLinesAndTheEnvironmentWins) {
  Config config;
  ASSERT_TRUE(
      config.LoadFile(Write("# comment\n office.phone = \"010-1 转 2\"\nlog.level=debug\n")).ok());
  ConfigSchema schema;
  schema.Note("office.phone", "", false);
  schema.Note("log.level", "info", false);
  char env1[] = "EXAMPHOTO_LOG_LEVEL=warn";
  char env2[] = "EXAMPHOTO_TEST_ENGINE=postgres";  // not configuration
  char* environment[] = {env1, env2, nullptr};
  config.LoadEnvironment(environment, schema);
  EXPECT_EQ(config.values().at("office.phone"), "010-1 转 2");
  EXPECT_EQ(config.values().at("log.level"), "warn");
  EXPECT_EQ(config.values().count("test.engine"), 0u);
  EXPECT_TRUE(config.CheckKnown(schema).ok());
  EXPECT_EQ(Config::EnvironmentName("database.pool_size"), "EXAMPHOTO_DATABASE_POOL_SIZE");
}

TEST_F(ConfigFileTest, AnUnknownKeyIsRefusedWithItsLine) {
  Config config;
  ASSERT_TRUE(config.LoadFile(Write("office.phone = 1\nno.such.key = 3\n")).ok());
  ConfigSchema schema;
  schema.Note("office.phone", "", false);
  Status refused = config.CheckKnown(schema);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "config.unknown_key");
  EXPECT_NE(refused.error().message.find("no.such.key"), std::string::npos);
  EXPECT_NE(refused.error().message.find("第2行"), std::string::npos);
}

TEST_F(ConfigFileTest, ALineWithoutEqualsAndAMissingFileAreErrors) {
  Config config;
  EXPECT_EQ(config.LoadFile(Write("office.phone\n")).error().code, "config.syntax");
  EXPECT_EQ(config.LoadFile((folder_ / "none.conf").string()).error().code, "config.unreadable");
}

InstallLayout Layout() { return {"/usr/share/examphoto", "/etc/examphoto/examphoto.conf"}; }

TEST(Settings, AnEmptyConfigurationIsEveryComponentsDefaults) {
  const ConfigValues none;
  ConfigSchema schema;
  auto settings = Settings::FromConfig(ConfigSection(none, schema), Layout());
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->http.address, "127.0.0.1");
  EXPECT_EQ(settings->http.port, 8080);
  EXPECT_EQ(settings->database.url, "sqlite:data/examphoto.db");
  EXPECT_EQ(settings->blobs.dir, fs::path("data/blobs"));
  EXPECT_EQ(settings->web.root, fs::path("/usr/share/examphoto/web"));
  EXPECT_EQ(settings->image_cores.face_models.face_model_dir,
            "/usr/share/examphoto/models/face-api");
  EXPECT_EQ(settings->login.code_ttl_seconds, 300);
  EXPECT_EQ(settings->login.user_agreement_version, "2026-01");
  EXPECT_EQ(settings->public_settings.office_phone, "010-89193989 转 6");
  EXPECT_EQ(settings->sms.gateway, "log");
  EXPECT_EQ(schema.Find("login.code_ttl_seconds")->default_value, "300");
  EXPECT_TRUE(schema.Find("secret_key")->secret);
  EXPECT_TRUE(schema.Find("blobs.encryption_key")->secret);
  // The schema is what SettingsSchema gives, and it is complete whatever the values.
  EXPECT_EQ(SettingsSchema(Layout()).keys().size(), schema.keys().size());
}

TEST(Settings, DataDirectoryDecidesTheDataDefaultsAndListenIsParsed) {
  const ConfigValues values{{"data_dir", "/var/lib/examphoto/8081"}, {"listen", "[::1]:8081"}};
  ConfigSchema schema;
  auto settings = Settings::FromConfig(ConfigSection(values, schema), Layout());
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->database.url, "sqlite:/var/lib/examphoto/8081/examphoto.db");
  EXPECT_EQ(settings->image_cores.id_cards.model_dir, Layout().share_dir / "models" / "ocr");
  EXPECT_EQ(settings->http.address, "::1");
  EXPECT_EQ(settings->http.port, 8081);
}

TEST(Settings, RefusesAConfigurationThatCannotWork) {
  for (const ConfigValues& values : std::vector<ConfigValues>{
           {{"listen", "nonsense"}},
           {{"sms.gateway", "http"}},  // without sms.http.url
           {{"verification.provider", "http"}, {"verification.http.url", "https://p/v"}},
           {{"http.trusted_proxies", "127.0.0.1,localhost"}},
           {{"blobs.encryption_old_keys", "a:00"}},
           {{"database.url", "mysql://x"}}}) {
    ConfigSchema schema;
    auto settings = Settings::FromConfig(ConfigSection(values, schema), Layout());
    ASSERT_FALSE(settings.ok()) << values.begin()->first;
    EXPECT_EQ(settings.error().code, "config.invalid_value") << values.begin()->first;
  }
}

TEST(Settings, EveryKeyIsDocumented) {
  std::ifstream in(EXAMPHOTO_CONFIGURATION_DOC);
  std::stringstream doc;
  doc << in.rdbuf();
  const ConfigSchema schema = SettingsSchema(Layout());
  for (const auto& key : schema.keys()) {
    EXPECT_NE(doc.str().find("| `" + key.name + "` |"), std::string::npos)
        << key.name << " is missing from docs/configuration.md";
  }
}

}  // namespace
}  // namespace examphoto
