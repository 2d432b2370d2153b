// The recogniser's alphabet: PaddleOCR's ppocr_keys_v1.txt (6,623 characters, one a line, no
// final newline). Class 0 of the recogniser is the CTC blank, classes 1..N the keys in file
// order, class N+1 a space. Immutable once loaded; shared by every thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/result.h"

namespace examphoto {

class CharacterSet {
 public:
  static constexpr int kBlank = 0;

  static Result<CharacterSet> Load(const std::filesystem::path& keys_file);
  // From the keys themselves (tests): `keys` in class order, without blank and space.
  static CharacterSet FromKeys(std::vector<std::string> keys);

  // Classes the recogniser outputs: blank + keys + space.
  int class_count() const { return static_cast<int>(symbols_.size()); }
  // The text of a class ("" for the blank).
  const std::string& Symbol(int class_index) const { return symbols_.at(class_index); }
  // The class of one character, nullopt when the recogniser cannot output it.
  std::optional<int> ClassOf(std::string_view character) const;

 private:
  std::vector<std::string> symbols_;
  std::unordered_map<std::string, int> classes_;
};

}  // namespace examphoto
