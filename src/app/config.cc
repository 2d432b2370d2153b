#include "app/config.h"

#include <cctype>
#include <fstream>
#include <stdexcept>

#include "domain/messages.h"

namespace examphoto {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

std::string EnvName(const std::string& key) {
  std::string name = "EXAMPHOTO_";
  for (char c : key) name.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(c)));
  return name;
}

Error ConfigError(const char* code, const std::string& what) {
  Error error = MakeError(ErrorKind::kInvalidInput, code, what);
  error.message += " " + what;
  return error;
}

}  // namespace

Config Config::Defaults() {
  Config config;
  config.values_ = {
      {"listen", "127.0.0.1:8080"},
      {"data_dir", "data"},
      {"dev_mode", "false"},
      {"demo_roster", "false"},
      {"secret_key", ""},
      {"log.level", "info"},
      {"database.url", ""},
      {"database.pool_size", "8"},
      {"blobs.store", "file"},
      {"blobs.dir", ""},
      {"blobs.encryption_key", ""},
      {"blobs.encryption_old_keys", ""},
      {"web.root", "web/dist"},
      {"web.office_root", "web/office/dist"},
      {"http.io_threads", "2"},
      {"http.worker_threads", "2"},
      {"http.max_queued_heavy", "64"},
      {"http.max_connections", "10000"},
      {"http.header_timeout_seconds", "30"},
      {"http.body_timeout_seconds", "120"},
      {"http.write_timeout_seconds", "60"},
      {"http.shutdown_grace_seconds", "30"},
      {"http.trust_forwarded_for", "false"},
      {"http.trusted_proxies", "127.0.0.1,::1"},
      {"http.access_log", "true"},
      {"office.phone", "010-89193989 转 6"},
      {"agreements.user_version", "2026-01"},
      {"agreements.privacy_version", "2026-01"},
      {"sms.gateway", "log"},
      {"sms.http.url", ""},
      {"sms.http.api_key", ""},
      {"sms.http.body_template", R"({"phone":"{phone}","code":"{code}","text":"{text}"})"},
      {"sms.http.timeout_ms", "5000"},
      {"login.code_ttl_seconds", "300"},
      {"login.resend_interval_seconds", "60"},
      {"login.codes_per_phone_per_day", "10"},
      {"login.attempts_per_code", "5"},
      {"login.codes_per_ip_per_hour", "30"},
      {"login.logins_per_ip_per_minute", "30"},
      {"login.session_ttl_seconds", "86400"},
      {"staff.session_ttl_seconds", "28800"},
      {"http.max_upload_bytes", "15728640"},
      {"photo.profile", "bj-zikao"},
      {"photo.profiles_file", ""},
      {"models.preload", "true"},
      {"models.shape_predictor", ""},
      {"models.face_model_dir", ""},
      {"models.ocr_model_dir", ""},
      {"verification.provider", "local"},
      {"verification.threshold", "0.6"},
      {"verification.http.url", ""},
      {"verification.http.secret", ""},
      {"verification.http.timeout_ms", "20000"},
      {"verification.workers", "1"},
      {"verification.lease_seconds", "60"},
      {"verification.max_attempts", "8"},
      {"verification.first_backoff_seconds", "2"},
  };
  return config;
}

Status Config::Set(const std::string& key, const std::string& value) {
  if (!values_.count(key)) return ConfigError("config.unknown_key", key);
  values_[key] = value;
  return Ok();
}

Status Config::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return ConfigError("config.unreadable", path);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) {
      return ConfigError("config.syntax", path + ":" + std::to_string(number));
    }
    std::string value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    Status status = Set(Trim(line.substr(0, eq)), value);
    if (!status.ok()) {
      Error error = status.error();
      error.message += "（" + path + " 第" + std::to_string(number) + "行）";
      return error;
    }
  }
  return Ok();
}

Status Config::LoadEnvironment(char** environment) {
  std::map<std::string, std::string> by_env_name;
  for (const auto& [key, value] : values_) by_env_name[EnvName(key)] = key;
  for (char** entry = environment; entry && *entry; ++entry) {
    std::string text = *entry;
    const size_t eq = text.find('=');
    if (eq == std::string::npos || text.rfind("EXAMPHOTO_", 0) != 0) continue;
    auto it = by_env_name.find(text.substr(0, eq));
    // Other EXAMPHOTO_ variables (used by tests and scripts) are not configuration.
    if (it != by_env_name.end()) values_[it->second] = text.substr(eq + 1);
  }
  return Ok();
}

std::string Config::Get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::logic_error("unknown configuration key " + key);
  const std::string& data_dir = values_.at("data_dir");
  if (key == "database.url" && it->second.empty()) return "sqlite:" + data_dir + "/examphoto.db";
  if (key == "blobs.dir" && it->second.empty()) return data_dir + "/blobs";
  return it->second;
}

int64_t Config::GetInt(const std::string& key) const {
  const std::string value = Get(key);
  try {
    size_t used = 0;
    const int64_t number = std::stoll(value, &used);
    if (used == value.size()) return number;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument("configuration " + key + " must be a whole number, got \"" + value +
                              "\"");
}

bool Config::GetBool(const std::string& key) const {
  const std::string value = Get(key);
  if (value == "true" || value == "1" || value == "yes" || value == "on") return true;
  if (value == "false" || value == "0" || value == "no" || value == "off" || value.empty())
    return false;
  throw std::invalid_argument("configuration " + key + " must be true or false, got \"" + value +
                              "\"");
}

std::vector<std::pair<std::string, std::string>> Config::Describe() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : values_) {
    const bool secret = key == "secret_key" || key == "sms.http.api_key" ||
                        key == "verification.http.secret" || key == "blobs.encryption_key" ||
                        key == "blobs.encryption_old_keys";
    std::string shown = secret && !value.empty() ? "(set)" : Get(key);
    if (key == "database.url") {
      const size_t at = shown.find('@');
      const size_t colon = shown.find(':', shown.find("://") + 3);
      if (at != std::string::npos && colon < at) shown.replace(colon + 1, at - colon - 1, "***");
    }
    out.emplace_back(key, shown);
  }
  return out;
}

}  // namespace examphoto
