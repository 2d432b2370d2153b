#include "app/config.h"

#include <cctype>
#include <fstream>

#include "domain/messages.h"
#include "domain/text.h"

namespace examphoto {
namespace {

Error ConfigError(const char* code, const std::string& what) {
  Error error = MakeError(ErrorKind::kInvalidInput, code, what);
  error.message += " " + what;
  return error;
}

}  // namespace

std::string Config::EnvironmentName(const std::string& key) {
  std::string name = "EXAMPHOTO_";
  for (char c : key) {
    name.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return name;
}

void Config::Set(const std::string& key, const std::string& value) {
  values_[key] = value;
  origins_.erase(key);
}

Status Config::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return ConfigError("config.unreadable", path);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string_view text = Trim(line);
    if (text.empty() || text[0] == '#') continue;
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos) {
      return ConfigError("config.syntax", path + ":" + std::to_string(number));
    }
    std::string value(Trim(text.substr(eq + 1)));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    const std::string key(Trim(text.substr(0, eq)));
    values_[key] = value;
    origins_[key] =
        CatalogueText("text.config.at_line", {{"file", path}, {"line", std::to_string(number)}});
  }
  return Ok();
}

void Config::LoadEnvironment(char** environment, const ConfigSchema& schema) {
  std::map<std::string, std::string, std::less<>> by_env_name;
  for (const auto& key : schema.keys()) by_env_name[EnvironmentName(key.name)] = key.name;
  for (char** entry = environment; entry && *entry; ++entry) {
    const std::string_view text = *entry;
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos || text.rfind("EXAMPHOTO_", 0) != 0) continue;
    auto it = by_env_name.find(text.substr(0, eq));
    if (it != by_env_name.end()) Set(it->second, std::string(text.substr(eq + 1)));
  }
}

Status Config::CheckKnown(const ConfigSchema& schema) const {
  for (const auto& [key, value] : values_) {
    if (schema.Find(key)) continue;
    Error error = ConfigError("config.unknown_key", key);
    if (auto origin = origins_.find(key); origin != origins_.end()) error.message += origin->second;
    return error;
  }
  return Ok();
}

std::vector<std::pair<std::string, std::string>> Config::Describe(
    const ConfigSchema& schema) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& key : schema.keys()) {
    auto given = values_.find(key.name);
    const std::string& value = given == values_.end() ? key.default_value : given->second;
    out.emplace_back(key.name, key.secret && !value.empty() ? "(set)" : value);
  }
  return out;
}

}  // namespace examphoto
