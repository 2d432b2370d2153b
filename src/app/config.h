// The configuration's values as given, later sources winning: a file of `key = value` lines
// (# comments; --config, else /etc/examphoto/examphoto.conf when it exists), then EXAMPHOTO_*
// environment variables (the key upper-cased, dots as underscores: database.url ->
// EXAMPHOTO_DATABASE_URL), then command-line flags. The keys and their defaults belong to
// the components (app/settings.h); this only gathers strings and refuses unknown keys.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "domain/config_section.h"
#include "domain/result.h"

namespace examphoto {

class Config {
 public:
  // Reads `path` over the current values. Errors: config.unreadable, config.syntax.
  Status LoadFile(const std::string& path);
  // Applies the EXAMPHOTO_* variable of every key `schema` knows; other EXAMPHOTO_* variables
  // (tests', scripts') are not configuration.
  void LoadEnvironment(char** environment, const ConfigSchema& schema);
  void Set(const std::string& key, const std::string& value);

  const ConfigValues& values() const { return values_; }
  // config.unknown_key naming the first key given that `schema` does not know (and the file
  // line it came from): a typo must not be silently ignored.
  Status CheckKnown(const ConfigSchema& schema) const;
  // Every key of `schema` with the value in force, secrets shown as "(set)".
  std::vector<std::pair<std::string, std::string>> Describe(const ConfigSchema& schema) const;

  // The variable that sets `key`.
  static std::string EnvironmentName(const std::string& key);

 private:
  ConfigValues values_;
  std::map<std::string, std::string> origins_;  // key -> "file:line" for file values
};

}  // namespace examphoto
