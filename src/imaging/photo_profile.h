// Photo specifications ("profiles"): output size, DPI, background colour, where the head and
// eyes must sit, file-size range, and the threshold of every portrait check. They are data
// (config/profiles.json, compiled into the binary, or a file given by the operator), never
// constants in code. A PhotoProfiles value owns its profiles; look-ups return references.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace examphoto::imaging {

struct IntRange {
  int min = 0;
  int max = 0;
  bool Contains(double value) const { return value >= min && value <= max; }
};

// Thresholds of the checks (PortraitChecks); each profile may override any of them.
struct CheckThresholds {
  double min_face_width_fraction = 0.16;    // face width / photo width: below = too far
  double max_face_width_fraction = 0.62;    // above = too close
  double max_centre_offset_fraction = 0.2;  // face centre from photo centre / photo width
  double max_yaw_degrees = 22;  // face-mesh yaw; good faces of the tune part read up to 17
  double max_pitch_degrees = 15;
  double max_roll_degrees = 10;
  double min_eye_openness = 0.17;    // eye aspect ratio
  double max_mouth_openness = 0.22;  // inner-lip gap / mouth width
  // Laplacian variance of the face at a fixed size over its luma variance about a fitted
  // plane: detail for its contrast, so a dim, low-contrast or side-lit face is not
  // "blurred". Sharp faces 0.25–2.1, blurred ones 0–0.042 on the development set.
  double min_sharpness = 0.1;
  // 99th-percentile luma of the whole face (eyes' whites, reflections): below = too dark,
  // whatever the skin's tone or the scene around it.
  double min_face_peak = 95;
  double max_face_brightness = 215;         // mean luma of the skin: above = overexposed …
  double max_face_highlight = 220;          // … or its 90th percentile above this (a darker skin)
  double max_face_clipped_fraction = 0.12;  // share of face pixels at 250 or more
  // |left − right| / the brighter half of the face (SkinSideLightRatio). Good faces read
  // 0–0.102 and faces side-lit across one face width 0.239–0.411 on the tune part: their
  // geometric midpoint (0.156), rounded.
  double max_side_light_ratio = 0.16;
  double max_backlight_difference = 90;          // background luma − skin highlight luma …
  double min_backlight_clipped_fraction = 0.15;  // … with this share of the background burnt out
  double min_jpeg_quality_estimate = 35;         // of the upload's quantisation tables
  // The person matte's unsure band along the head, in face widths (MatteConfidence), and
  // the share of the face it must call person: past these the background cannot be
  // replaced cleanly.
  double max_matte_unsure_band = 0.12;
  double min_matte_face_covered = 0.6;
  double min_eye_height_fraction = 0.15;  // eye line / photo height: outside = not centred
  double max_eye_height_fraction = 0.68;
  // The person cut by the photo's edge inside the frame: above the chin, in face widths of
  // edge; below it, as a share of the frame's height.
  double max_head_cut_face_widths = 0.1;
  double max_body_cut_fraction = 0.1;
  double min_source_face_scale = 0.8;   // source face width / output face width, at least
  double max_screen_moire_score = 1.1;  // ScreenMoireScore; camera photos 0.3–0.8
  // When no face is found: a photo this dark (mean luma) or this blurred (Laplacian
  // variance at 320 px wide) is told so instead of "no face".
  double min_image_brightness = 35;
  double min_image_sharpness = 0.03;          // the same for the whole photo at 320 px wide
  double max_second_face_ratio = 0.25;        // a second face this large (vs the main one) counts
  std::vector<std::string> editing_software;  // lower-case substrings of EXIF Software
};

struct PhotoProfile {
  std::string name;
  std::string title;
  int width = 480;
  int height = 640;
  int dpi = 300;
  std::array<uint8_t, 3> background_rgb{100, 197, 255};
  IntRange head_top_px;        // crown (with hair) below the top edge
  IntRange eye_line_px;        // eye line below the top edge
  IntRange face_width_px;      // cheek to cheek
  int target_head_top_px = 0;  // where the composer puts them
  int target_eye_line_px = 0;
  int jpeg_min_quality = 60;
  IntRange file_kb;
  CheckThresholds checks;
};

class PhotoProfiles {
 public:
  static Result<PhotoProfiles> Parse(std::string_view json);
  static Result<PhotoProfiles> LoadFile(const std::string& path);
  // The profiles compiled into the binary from config/profiles.json.
  static const PhotoProfiles& Builtin();

  const PhotoProfile* Find(std::string_view name) const;
  const PhotoProfile& Default() const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, PhotoProfile, std::less<>> profiles_;
  std::string default_name_;
};

}  // namespace examphoto::imaging
