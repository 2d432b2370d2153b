// What the candidate app is told about this deployment (GET /api/v1/app-config): the office
// phone of the guide's FAQ, the agreements' versions and titles, the photo profile.
#pragma once

#include <string>

namespace examphoto {

struct PublicSettings {
  std::string office_phone = "010-89193989 转 6";
  std::string user_agreement_version = "2026-01";
  std::string privacy_agreement_version = "2026-01";
  std::string photo_profile = "bj-zikao";
  int photo_width = 480;
  int photo_height = 640;
  std::string photo_background = "#64C5FF";
};

}  // namespace examphoto
