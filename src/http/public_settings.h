// What the candidate app is told about this deployment (GET /api/v1/app-config): the office
// phone of the guide's FAQ, the agreements' versions, the photo profile, and the thresholds
// of the checks that the camera's live framing guidance applies to the picture before it is
// taken (the same numbers as the server's portrait checks). The apps show what the server
// says and keep no copy of their own. Only the office phone is read here; the app fills in
// the agreements (LoginSettings) and the photo profile with its thresholds
// (config/profiles.json).
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
  // The profile's CheckThresholds that can be judged on a live video frame; names and units
  // as in imaging/photo_profile.h. Filled from the configured profile at start.
  struct Framing {
    double min_face_width_fraction = 0.16;
    double max_face_width_fraction = 0.62;
    double max_centre_offset_fraction = 0.2;
    double min_eye_height_fraction = 0.15;
    double max_eye_height_fraction = 0.68;
    double max_yaw_degrees = 22;
    double max_pitch_degrees = 15;
    double max_roll_degrees = 10;
    // The 99th percentile of the face's luma (the eyes' whites, reflections): below, too dark.
    // The same rule as the portrait check's min_face_peak, so darker skin is not "too dark".
    double min_face_peak = 95;
    double max_face_brightness = 215;
    double max_side_light_ratio = 0.2;
  } framing;
  // Section "office": phone.
  static Result<PublicSettings> FromConfig(const ConfigSection& section);
};

}  // namespace examphoto
