// Configuration as the components read it. Each component's options struct has, beside it,
//   static Result<XOptions> FromConfig(const ConfigSection& section);
// which starts from the struct's own member initialisers (the one place where each default
// is written) and reads its keys through the section: a key that is absent keeps the
// default, a value that does not parse is a config.invalid_value error naming the key.
// Every key read is noted in a ConfigSchema with its default, so the app can tell unknown
// keys from known ones, map EXAMPHOTO_* environment variables to keys and print the whole
// configuration. Pure: the app loads files and the environment (app/config.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace examphoto {

using ConfigValues = std::map<std::string, std::string, std::less<>>;

// Upper bounds for keys that have no natural one: counts, and durations (ten years), so that
// a value times 1000 still fits in 64 bits.
constexpr int64_t kConfigMaxCount = 1'000'000'000;
constexpr int64_t kConfigMaxSeconds = 10LL * 365 * 86'400;

// Every key the components read, with its default as text, in the order they were read.
class ConfigSchema {
 public:
  struct Key {
    std::string name;
    std::string default_value;
    bool secret = false;  // shown as "(set)" by `examphoto config show`
  };
  void Note(std::string name, std::string default_value, bool secret);
  const Key* Find(std::string_view name) const;
  const std::vector<Key>& keys() const { return keys_; }

 private:
  std::vector<Key> keys_;
};

class ConfigSection {
 public:
  // A view of `values` (full keys: "login.code_ttl_seconds") under `prefix` ("login").
  ConfigSection(const ConfigValues& values, ConfigSchema& schema, std::string prefix = "");

  ConfigSection Section(std::string_view name) const;

  // Each Read keeps `value` (the default) when the key is absent.
  Status Read(std::string_view key, std::string& value) const;
  // A secret (a key, a password): never printed.
  Status ReadSecret(std::string_view key, std::string& value) const;
  // One of `choices`.
  Status ReadChoice(std::string_view key, std::string& value,
                    std::initializer_list<std::string_view> choices) const;
  // true/false, 1/0, yes/no, on/off.
  Status Read(std::string_view key, bool& value) const;
  Status Read(std::string_view key, int64_t& value, int64_t min, int64_t max) const;
  Status Read(std::string_view key, int& value, int min, int max) const;
  Status Read(std::string_view key, double& value, double min, double max) const;
  // A whole number of the duration's unit (the key's name says which: _seconds, _ms).
  template <typename Rep, typename Period>
  Status Read(std::string_view key, std::chrono::duration<Rep, Period>& value, int64_t min,
              int64_t max) const {
    int64_t count = value.count();
    Status read = Read(key, count, min, max);
    if (read.ok()) value = std::chrono::duration<Rep, Period>(count);
    return read;
  }

  // The full name of `key` in this section ("login" + "code_ttl_seconds").
  std::string FullName(std::string_view key) const;
  // The error for a value of `key` that is not acceptable, saying what is expected.
  Error Invalid(std::string_view key, std::string_view expected) const;

 private:
  // The value of `key` if given; notes the key with its default either way.
  const std::string* Find(std::string_view key, const std::string& default_text, bool secret) const;

  const ConfigValues* values_;
  ConfigSchema* schema_;
  std::string prefix_;
};

}  // namespace examphoto
