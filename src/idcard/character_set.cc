#include "idcard/character_set.h"

#include <fstream>
#include <iterator>

#include "domain/messages.h"

namespace examphoto {

Result<CharacterSet> CharacterSet::Load(const std::filesystem::path& keys_file) {
  std::ifstream in(keys_file, std::ios::binary);
  if (!in) {
    return MakeError(ErrorKind::kInternal, "models.load_failed",
                     "no character list at " + keys_file.string());
  }
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  std::vector<std::string> keys;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string key = text.substr(start, end - start);
    if (!key.empty() && key.back() == '\r') key.pop_back();
    if (!key.empty()) keys.push_back(std::move(key));
    start = end + 1;
  }
  if (keys.empty()) {
    return MakeError(ErrorKind::kInternal, "models.load_failed",
                     "empty character list " + keys_file.string());
  }
  return FromKeys(std::move(keys));
}

CharacterSet CharacterSet::FromKeys(std::vector<std::string> keys) {
  CharacterSet set;
  set.symbols_.reserve(keys.size() + 2);
  set.symbols_.emplace_back();  // blank
  for (std::string& key : keys) set.symbols_.push_back(std::move(key));
  set.symbols_.emplace_back(" ");
  for (int i = 1; i < static_cast<int>(set.symbols_.size()); ++i) {
    set.classes_.emplace(set.symbols_[i], i);  // the first of duplicates wins
  }
  return set;
}

std::optional<int> CharacterSet::ClassOf(std::string_view character) const {
  auto it = classes_.find(std::string(character));
  if (it == classes_.end()) return std::nullopt;
  return it->second;
}

}  // namespace examphoto
