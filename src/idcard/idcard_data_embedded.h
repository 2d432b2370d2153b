// Data files the ID card reader carries compiled in (config/regions/, cmake/EmbedFiles.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace examphoto::idcard_data {
const std::string_view* FindEmbedded(std::string_view name);
std::vector<std::string_view> ListEmbedded(std::string_view prefix);
}  // namespace examphoto::idcard_data
