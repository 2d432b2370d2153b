// A registration record (报名信息) as the office's roster holds it. The phone number is
// the candidate's login; name and ID number are what the ID card must match.
#pragma once

#include <cstdint>
#include <string>

namespace examphoto {

struct Candidate {
  int64_t id = 0;
  std::string registration_no;
  std::string name;
  std::string id_number;
  std::string phone;
  std::string exam_session;
};

}  // namespace examphoto
