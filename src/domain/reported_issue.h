// One reason an upload was not accepted (a blurred card, a dark photo): the catalogue code,
// and the text the person reads with what to do (filled in by the core that found it, which
// may put a measured value into it).
#pragma once

#include <string>

namespace examphoto {

struct ReportedIssue {
  std::string code;
  std::string message;
  std::string hint;
  bool operator==(const ReportedIssue&) const = default;
};

}  // namespace examphoto
