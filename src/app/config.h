// The service's configuration: embedded defaults, then an optional file of `key = value`
// lines (# comments), then EXAMPHOTO_* environment variables (key upper-cased, dots as
// underscores: database.url -> EXAMPHOTO_DATABASE_URL), then command-line flags. Every key
// is listed with its default and meaning in docs/configuration.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "domain/result.h"

namespace examphoto {

class Config {
 public:
  // The defaults; `data_dir`-relative values are resolved by Get.
  static Config Defaults();

  // Reads `path` over the current values. Errors: config.unreadable, config.syntax and
  // config.unknown_key (a typo must not be silently ignored).
  Status LoadFile(const std::string& path);
  // Applies EXAMPHOTO_* variables from `environment` ("NAME=value" entries).
  Status LoadEnvironment(char** environment);
  Status Set(const std::string& key, const std::string& value);

  std::string Get(const std::string& key) const;
  int64_t GetInt(const std::string& key) const;
  bool GetBool(const std::string& key) const;
  // Every key with its value, secrets masked; printed by `examphoto config show`.
  std::vector<std::pair<std::string, std::string>> Describe() const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace examphoto
