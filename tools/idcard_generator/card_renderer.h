// Draws specimen second-generation resident ID cards (both sides, marked 样本) at a fixed
// resolution from a SpecimenIdentity, using the Noto CJK fonts and the layout in
// idcard/card_layout.h. Owns its fonts and face photos; not thread-safe (FreeType state).
#pragma once

#include <memory>
#include <opencv2/core.hpp>
#include <random>
#include <string>
#include <vector>

#include "specimen_identity.h"

namespace cv::freetype {
class FreeType2;
}

namespace examphoto::testing {

struct RenderedCard {
  cv::Mat image;  // BGR, kPixelsPerMm per millimetre
  cv::Mat mask;   // 8-bit, 255 inside the card (rounded corners), 0 outside
  bool emblem_side = false;
};

class CardRenderer {
 public:
  static constexpr double kPixelsPerMm = 20.0;

  // `font_dir` holds NotoSansCJK-Regular.ttc and NotoSerifCJK-*.ttc; `face_photos` are
  // photos of real people, each cropped to the head and shoulders around its largest face.
  static std::unique_ptr<CardRenderer> Create(const std::string& font_dir,
                                              const std::vector<std::string>& face_photos,
                                              const std::string& face_cascade);

  RenderedCard RenderPortraitSide(const SpecimenIdentity& identity, std::mt19937& rng);
  RenderedCard RenderEmblemSide(const SpecimenIdentity& identity, std::mt19937& rng);

  ~CardRenderer();

 private:
  CardRenderer() = default;
  cv::Mat Background(std::mt19937& rng, bool emblem_side) const;
  void DrawText(cv::Mat& image, const std::string& text, double x_mm, double baseline_mm,
                double size_mm, const cv::Scalar& color, bool serif, double spacing_mm = 0);
  double TextWidthMm(const std::string& text, double size_mm, bool serif);
  void DrawSpecimenMark(cv::Mat& image, double x_mm, double y_mm);
  RenderedCard Finish(cv::Mat image) const;

  cv::Ptr<cv::freetype::FreeType2> sans_;
  cv::Ptr<cv::freetype::FreeType2> serif_;
  cv::Ptr<cv::freetype::FreeType2> bold_;
  std::vector<cv::Mat> portraits_;
};

// Splits UTF-8 text into characters (code points as strings).
std::vector<std::string> SplitCharacters(const std::string& text);

}  // namespace examphoto::testing
