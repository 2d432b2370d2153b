// What the candidate app is told about this deployment (GET /api/v1/app-config): the office
// phone of the guide's FAQ, the agreements' versions, the photo profile. The apps show what
// the server says and keep no copy of their own. Only the office phone is read here; the
// app fills in the agreements (LoginSettings) and the photo profile (config/profiles.json).
#pragma once

#include <string>

#include "domain/config_section.h"

namespace examphoto {

struct PublicSettings {
  std::string office_phone = "010-89193989 转 6";  // the guide's FAQ number
  std::string user_agreement_version;
  std::string privacy_agreement_version;
  std::string photo_profile;
  int photo_width = 0;
  int photo_height = 0;
  std::string photo_background;  // "#RRGGBB"
  // Section "office": phone.
  static Result<PublicSettings> FromConfig(const ConfigSection& section);
};

}  // namespace examphoto
