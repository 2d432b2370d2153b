#include "domain/config_section.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "domain/messages.h"

namespace examphoto {

void ConfigSchema::Note(std::string name, std::string default_value, bool secret) {
  if (Find(name)) return;  // read again (the same component asked twice)
  keys_.push_back({std::move(name), std::move(default_value), secret});
}

const ConfigSchema::Key* ConfigSchema::Find(std::string_view name) const {
  for (const Key& key : keys_) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

ConfigSection::ConfigSection(const ConfigValues& values, ConfigSchema& schema, std::string prefix)
    : values_(&values), schema_(&schema), prefix_(std::move(prefix)) {}

ConfigSection ConfigSection::Section(std::string_view name) const {
  return ConfigSection(*values_, *schema_, FullName(name));
}

std::string ConfigSection::FullName(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

Error ConfigSection::Invalid(std::string_view key, std::string_view expected) const {
  const std::string name = FullName(key);
  auto it = values_->find(name);
  const std::string given = it == values_->end() ? "" : it->second;
  Error error = MakeError(ErrorKind::kInvalidInput, "config.invalid_value", name + "=" + given);
  error.message = CatalogueText("config.invalid_value", {{"key", name}, {"value", given}});
  error.hint = FormatMessage(error.hint, "expected", expected);
  return error;
}

const std::string* ConfigSection::Find(std::string_view key, const std::string& default_text,
                                       bool secret) const {
  const std::string name = FullName(key);
  schema_->Note(name, default_text, secret);
  auto it = values_->find(name);
  return it == values_->end() ? nullptr : &it->second;
}

Status ConfigSection::Read(std::string_view key, std::string& value) const {
  if (const std::string* given = Find(key, value, false)) value = *given;
  return Ok();
}

Status ConfigSection::ReadSecret(std::string_view key, std::string& value) const {
  if (const std::string* given = Find(key, value, true)) value = *given;
  return Ok();
}

Status ConfigSection::ReadChoice(std::string_view key, std::string& value,
                                 std::initializer_list<std::string_view> choices) const {
  const std::string* given = Find(key, value, false);
  if (!given) return Ok();
  std::string expected;
  for (std::string_view choice : choices) {
    if (*given == choice) {
      value = *given;
      return Ok();
    }
    expected += (expected.empty() ? "" : ", ") + std::string(choice);
  }
  return Invalid(key, expected);
}

Status ConfigSection::Read(std::string_view key, bool& value) const {
  const std::string* given = Find(key, value ? "true" : "false", false);
  if (!given) return Ok();
  if (*given == "true" || *given == "1" || *given == "yes" || *given == "on") {
    value = true;
  } else if (*given == "false" || *given == "0" || *given == "no" || *given == "off" ||
             given->empty()) {
    value = false;
  } else {
    return Invalid(key, "true, false");
  }
  return Ok();
}

Status ConfigSection::Read(std::string_view key, int64_t& value, int64_t min, int64_t max) const {
  const std::string* given = Find(key, std::to_string(value), false);
  if (!given) return Ok();
  int64_t parsed = 0;
  const char* end = given->data() + given->size();
  auto [stop, error] = std::from_chars(given->data(), end, parsed);
  if (error != std::errc() || stop != end || parsed < min || parsed > max) {
    return Invalid(key, std::to_string(min) + " … " + std::to_string(max));
  }
  value = parsed;
  return Ok();
}

Status ConfigSection::Read(std::string_view key, int& value, int min, int max) const {
  int64_t wide = value;
  Status read = Read(key, wide, min, max);
  if (read.ok()) value = static_cast<int>(wide);
  return read;
}

Status ConfigSection::Read(std::string_view key, double& value, double min, double max) const {
  std::string default_text = std::to_string(value);
  // "0.600000" reads worse than "0.6" in `config show`.
  while (default_text.size() > 1 && default_text.back() == '0') default_text.pop_back();
  if (!default_text.empty() && default_text.back() == '.') default_text.pop_back();
  const std::string* given = Find(key, default_text, false);
  if (!given) return Ok();
  char* stop = nullptr;
  const double parsed = std::strtod(given->c_str(), &stop);
  if (given->empty() || stop != given->c_str() + given->size() || !std::isfinite(parsed) ||
      parsed < min || parsed > max) {
    return Invalid(key, std::to_string(min) + " … " + std::to_string(max));
  }
  value = parsed;
  return Ok();
}

}  // namespace examphoto
