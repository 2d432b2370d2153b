#include "domain/collection_data.h"

#include <array>
#include <utility>

namespace examphoto {
namespace {

using Status = VerificationResult::Status;
constexpr std::array<std::pair<Status, std::string_view>, 4> kStatusNames = {{
    {Status::kPending, "pending"},
    {Status::kPassed, "passed"},
    {Status::kFailed, "failed"},
    {Status::kError, "error"},
}};

}  // namespace

const std::string& CardSideRecord::Field(const std::string& name) const {
  static const std::string kNone;
  auto it = fields.find(name);
  return it == fields.end() ? kNone : it->second;
}

std::string_view ToString(VerificationResult::Status status) {
  for (const auto& [s, name] : kStatusNames) {
    if (s == status) return name;
  }
  return "pending";
}

std::optional<VerificationResult::Status> ParseVerificationStatus(std::string_view text) {
  for (const auto& [s, name] : kStatusNames) {
    if (name == text) return s;
  }
  return std::nullopt;
}

}  // namespace examphoto
