// Access to src/storage/migrations/*.sql compiled into the binary.
#pragma once

#include <string_view>
#include <vector>

namespace examphoto::migrations {
const std::string_view* FindEmbedded(std::string_view name);
std::vector<std::string_view> ListEmbedded(std::string_view prefix);
}  // namespace examphoto::migrations
