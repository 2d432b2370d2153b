#include "app/settings.h"

namespace examphoto {

Result<AppOptions> AppOptions::FromConfig(const ConfigSection& root) {
  AppOptions o;
  std::string data_dir = o.data_dir.string();
  for (const Status& read :
       {root.Read("data_dir", data_dir), root.Read("dev_mode", o.dev_mode),
        root.Read("demo_roster", o.demo_roster), root.ReadSecret("secret_key", o.secret_key),
        root.Section("log").ReadChoice(
            "level", o.log_level, {"trace", "debug", "info", "warn", "error", "critical", "off"}),
        root.Section("verification")
            .ReadChoice("provider", o.verification_provider, {"local", "http"})}) {
    if (!read.ok()) return read.error();
  }
  if (data_dir.empty()) return root.Invalid("data_dir", "a folder");
  o.data_dir = data_dir;
  return o;
}

Result<Settings> Settings::FromConfig(const ConfigSection& root, const InstallLayout& layout) {
  Settings s;
  // Takes a component's parsed options, or keeps its error to return.
  std::optional<Error> failed;
  auto take = [&failed](auto&& parsed, auto& into) {
    if (failed) return;
    if (parsed.ok()) {
      into = std::move(*parsed);
    } else {
      failed = parsed.error();
    }
  };
  take(AppOptions::FromConfig(root), s.app);
  if (failed) return *failed;
  const std::filesystem::path& data_dir = s.app.data_dir;
  take(DatabaseOptions::FromConfig(root.Section("database"), data_dir), s.database);
  take(BlobStoreOptions::FromConfig(root.Section("blobs"), data_dir), s.blobs);
  take(LoginSettings::FromConfig(root), s.login);
  take(StaffOptions::FromConfig(root.Section("staff")), s.staff);
  take(SmsGatewayOptions::FromConfig(root.Section("sms")), s.sms);
  take(PublicSettings::FromConfig(root.Section("office")), s.public_settings);
  take(HttpServerOptions::FromConfig(root), s.http);
  take(CollectionApiOptions::FromConfig(root.Section("http")), s.collection_api);
  take(UploadLimits::FromConfig(root.Section("upload")), s.uploads);
  take(WebOptions::FromConfig(root.Section("web"), layout.share_dir), s.web);
  take(ImageCoreOptions::FromConfig(root, layout.share_dir), s.image_cores);
  take(VerificationWorkerOptions::FromConfig(root.Section("verification")), s.verification_workers);
  take(HttpIdentityVerifierOptions::FromConfig(root.Section("verification").Section("http"),
                                               s.app.verification_provider == "http"),
       s.identity_platform);
  if (failed) return *failed;
  return s;
}

ConfigSchema SettingsSchema(const InstallLayout& layout) {
  const ConfigValues none;
  ConfigSchema schema;
  (void)Settings::FromConfig(ConfigSection(none, schema), layout);
  return schema;
}

}  // namespace examphoto
