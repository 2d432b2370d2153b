// Texts compiled into the binary: the two agreements and the OpenAPI description.
#pragma once

#include <string_view>
#include <vector>

namespace examphoto::documents {
const std::string_view* FindEmbedded(std::string_view name);
std::vector<std::string_view> ListEmbedded(std::string_view prefix);
}  // namespace examphoto::documents
