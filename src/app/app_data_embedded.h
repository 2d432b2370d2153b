// Data files the binary carries for its own commands (the demo roster).
#pragma once

#include <string_view>
#include <vector>

namespace examphoto::app_data {
const std::string_view* FindEmbedded(std::string_view name);
std::vector<std::string_view> ListEmbedded(std::string_view prefix);
}  // namespace examphoto::app_data
