// Access to config/messages/*.json compiled into the binary (see cmake/EmbedFiles.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace examphoto::catalogue {
const std::string_view* FindEmbedded(std::string_view name);
std::vector<std::string_view> ListEmbedded(std::string_view prefix);
}  // namespace examphoto::catalogue
