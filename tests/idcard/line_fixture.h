// Text lines made by hand for the model-free tests: characters laid out on a card (in card
// millimetres, card_layout.h), mapped into a "photo" by a rotation, a scale and a shift, with
// recogniser frames that show each character with a chosen probability.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "domain/utf8.h"
#include "idcard/character_set.h"
#include "idcard/text_line.h"

namespace examphoto::testing {

struct Placement {
  double degrees = 0;         // the card's rotation in the photo
  double pixels_per_mm = 20;  // its scale
  cv::Point2f origin{300, 200};

  cv::Point2f operator()(double x_mm, double y_mm) const {
    const double a = degrees * CV_PI / 180;
    const double x = x_mm * pixels_per_mm, y = y_mm * pixels_per_mm;
    return {static_cast<float>(origin.x + x * std::cos(a) - y * std::sin(a)),
            static_cast<float>(origin.y + x * std::sin(a) + y * std::cos(a))};
  }
};

// A line of `text` starting at x_mm with characters `step_mm` apart, `size_mm` high, on
// `baseline_mm`. Frames: a blank, then two frames for each character and a blank after it,
// as the recogniser gives for printed text. Characters the alphabet lacks are shown as
// class 1 (some other character).
inline TextLine MakeLine(const std::string& text, double x_mm, double baseline_mm, double size_mm,
                         double step_mm, const Placement& placement, const CharacterSet& alphabet,
                         float probability = 0.99f) {
  TextLine line;
  const std::vector<std::string> characters = SplitUtf8(text);
  const int n = static_cast<int>(characters.size());
  const int frames = 3 * n + 1;
  line.content_frames = frames;
  for (int t = 0; t < frames; ++t) {
    FramePosteriors f;
    if (t % 3 == 0) {
      f.top.emplace_back(CharacterSet::kBlank, 0.999f);
      f.rest = 0.001f;
    } else {
      const auto c = alphabet.ClassOf(characters[t / 3]);
      f.top.emplace_back(c ? *c : 1, probability);
      f.top.emplace_back(CharacterSet::kBlank, 1 - probability);
      f.rest = 1e-5f;
    }
    line.frames.push_back(f);
  }
  for (int i = 0; i < n; ++i) {
    line.characters.push_back({characters[i], probability, 3 * i + 1, 3 * i + 2});
    line.text += characters[i];
  }
  line.score = probability;
  // Frame t covers (t + 0.5) / frames of the line; character i is read at frame 3i + 2
  // (TextLine::CharacterCenter) and drawn at x_mm + i * step + size / 2.
  const double per_frame = step_mm / 3;
  const double start = x_mm + size_mm / 2 - 2 * per_frame, end = start + per_frame * frames;
  const double top = baseline_mm - size_mm * 1.1, bottom = baseline_mm + size_mm * 0.3;
  line.quad = {placement(start, top), placement(end, top), placement(end, bottom),
               placement(start, bottom)};
  return line;
}

// The alphabet the fixtures use: every character of `texts`.
inline CharacterSet AlphabetOf(const std::vector<std::string>& texts) {
  std::vector<std::string> keys;
  for (const std::string& text : texts) {
    for (const std::string& c : SplitUtf8(text)) {
      if (std::find(keys.begin(), keys.end(), c) == keys.end()) keys.push_back(c);
    }
  }
  return CharacterSet::FromKeys(keys);
}

}  // namespace examphoto::testing
