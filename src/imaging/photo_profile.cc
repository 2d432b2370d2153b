#include "imaging/photo_profile.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "domain/messages.h"

namespace examphoto::photo_profiles {
const std::string_view* FindEmbedded(std::string_view name);
}

namespace examphoto::imaging {
namespace {

namespace json = boost::json;

double Number(const json::value& value) {
  if (value.is_double()) return value.get_double();
  if (value.is_int64()) return static_cast<double>(value.get_int64());
  if (value.is_uint64()) return static_cast<double>(value.get_uint64());
  throw std::invalid_argument("expected a number");
}

IntRange Range(const json::value& value) {
  const auto& array = value.as_array();
  if (array.size() != 2) throw std::invalid_argument("expected [min, max]");
  IntRange range{static_cast<int>(Number(array[0])), static_cast<int>(Number(array[1]))};
  if (range.min > range.max) throw std::invalid_argument("range min above max");
  return range;
}

// Reads the thresholds present in `object` over `checks`; unknown keys are errors so that a
// typo in a threshold's name cannot pass silently.
void ReadChecks(const json::object& object, CheckThresholds& checks) {
  const std::map<std::string_view, double*> numbers = {
      {"min_face_width_fraction", &checks.min_face_width_fraction},
      {"max_face_width_fraction", &checks.max_face_width_fraction},
      {"max_centre_offset_fraction", &checks.max_centre_offset_fraction},
      {"max_yaw_degrees", &checks.max_yaw_degrees},
      {"max_pitch_degrees", &checks.max_pitch_degrees},
      {"max_roll_degrees", &checks.max_roll_degrees},
      {"min_eye_openness", &checks.min_eye_openness},
      {"max_mouth_openness", &checks.max_mouth_openness},
      {"min_sharpness", &checks.min_sharpness},
      {"min_face_peak", &checks.min_face_peak},
      {"max_face_highlight", &checks.max_face_highlight},
      {"min_backlight_clipped_fraction", &checks.min_backlight_clipped_fraction},
      {"max_face_brightness", &checks.max_face_brightness},
      {"max_face_clipped_fraction", &checks.max_face_clipped_fraction},
      {"max_side_light_ratio", &checks.max_side_light_ratio},
      {"max_backlight_difference", &checks.max_backlight_difference},
      {"min_jpeg_quality_estimate", &checks.min_jpeg_quality_estimate},
      {"max_matte_unsure_band", &checks.max_matte_unsure_band},
      {"min_matte_face_covered", &checks.min_matte_face_covered},
      {"max_head_cut_face_widths", &checks.max_head_cut_face_widths},
      {"max_body_cut_fraction", &checks.max_body_cut_fraction},
      {"min_source_face_scale", &checks.min_source_face_scale},
      {"max_screen_moire_score", &checks.max_screen_moire_score},
      {"max_second_face_ratio", &checks.max_second_face_ratio},
      {"min_image_brightness", &checks.min_image_brightness},
      {"min_image_sharpness", &checks.min_image_sharpness},
  };
  for (const auto& [key, value] : object) {
    if (key == "eye_height_fraction") {
      const auto& pair = value.as_array();
      if (pair.size() != 2) throw std::invalid_argument("eye_height_fraction needs [min, max]");
      checks.min_eye_height_fraction = Number(pair[0]);
      checks.max_eye_height_fraction = Number(pair[1]);
      continue;
    }
    if (key == "editing_software") {
      checks.editing_software.clear();
      for (const auto& name : value.as_array()) {
        checks.editing_software.emplace_back(name.as_string());
      }
      continue;
    }
    auto it = numbers.find(std::string_view(key));
    if (it == numbers.end())
      throw std::invalid_argument("unknown check threshold " + std::string(key));
    *it->second = Number(value);
  }
}

PhotoProfile ReadProfile(std::string name, const json::object& object,
                         const CheckThresholds& defaults) {
  PhotoProfile profile;
  profile.name = std::move(name);
  profile.checks = defaults;
  profile.title = std::string(object.at("title").as_string());
  profile.width = static_cast<int>(Number(object.at("width")));
  profile.height = static_cast<int>(Number(object.at("height")));
  profile.dpi = static_cast<int>(Number(object.at("dpi")));
  const auto& rgb = object.at("background_rgb").as_array();
  if (rgb.size() != 3) throw std::invalid_argument("background_rgb needs 3 values");
  for (int i = 0; i < 3; ++i) profile.background_rgb[i] = static_cast<uint8_t>(Number(rgb[i]));
  profile.head_top_px = Range(object.at("head_top_px"));
  profile.eye_line_px = Range(object.at("eye_line_px"));
  profile.face_width_px = Range(object.at("face_width_px"));
  profile.target_head_top_px = static_cast<int>(Number(object.at("target_head_top_px")));
  profile.target_eye_line_px = static_cast<int>(Number(object.at("target_eye_line_px")));
  profile.jpeg_min_quality = static_cast<int>(Number(object.at("jpeg_min_quality")));
  profile.file_kb = Range(object.at("file_kb"));
  if (const auto* checks = object.if_contains("checks"))
    ReadChecks(checks->as_object(), profile.checks);
  if (profile.width < 32 || profile.height < 32 || profile.width > 4000 || profile.height > 4000) {
    throw std::invalid_argument("output size out of range");
  }
  if (!profile.head_top_px.Contains(profile.target_head_top_px) ||
      !profile.eye_line_px.Contains(profile.target_eye_line_px)) {
    throw std::invalid_argument("targets outside their ranges");
  }
  return profile;
}

}  // namespace

Result<PhotoProfiles> PhotoProfiles::Parse(std::string_view text) {
  try {
    const json::object root = json::parse(text).as_object();
    CheckThresholds defaults;
    if (const auto* checks = root.if_contains("check_defaults")) {
      ReadChecks(checks->as_object(), defaults);
    }
    PhotoProfiles profiles;
    for (const auto& [name, value] : root.at("profiles").as_object()) {
      try {
        profiles.profiles_.emplace(std::string(name),
                                   ReadProfile(std::string(name), value.as_object(), defaults));
      } catch (const std::exception& e) {
        throw std::invalid_argument("profile " + std::string(name) + ": " + e.what());
      }
    }
    profiles.default_name_ = std::string(root.at("default").as_string());
    if (profiles.Find(profiles.default_name_) == nullptr) {
      throw std::invalid_argument("default profile " + profiles.default_name_ + " not defined");
    }
    return profiles;
  } catch (const std::exception& e) {
    return MakeError(ErrorKind::kInternal, "photo.profile_invalid", e.what());
  }
}

Result<PhotoProfiles> PhotoProfiles::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(ErrorKind::kInternal, "photo.profile_invalid", "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str());
}

const PhotoProfiles& PhotoProfiles::Builtin() {
  static const PhotoProfiles builtin = [] {
    const std::string_view* text = photo_profiles::FindEmbedded("profiles.json");
    if (text == nullptr) throw std::logic_error("profiles.json not embedded");
    auto parsed = Parse(*text);
    // The embedded file is part of the build and covered by tests: failing here is a bug.
    if (!parsed.ok()) throw std::logic_error("embedded profiles.json: " + parsed.error().detail);
    return std::move(parsed).value();
  }();
  return builtin;
}

const PhotoProfile* PhotoProfiles::Find(std::string_view name) const {
  auto it = profiles_.find(name);
  return it == profiles_.end() ? nullptr : &it->second;
}

const PhotoProfile& PhotoProfiles::Default() const { return *Find(default_name_); }

std::vector<std::string> PhotoProfiles::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, profile] : profiles_) names.push_back(name);
  return names;
}

}  // namespace examphoto::imaging
