#include "card_renderer.h"

#include <cmath>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "domain/utf8.h"
#include "idcard/card_layout.h"

namespace examphoto::testing {
namespace {

namespace layout = examphoto::card_layout;
constexpr double kPpm = CardRenderer::kPixelsPerMm;

const cv::Scalar kLabelColor(170, 105, 35);  // the blue of the printed labels (BGR)
const cv::Scalar kValueColor(35, 35, 38);
const cv::Scalar kEmblemRed(38, 32, 196);
const cv::Scalar kEmblemGold(60, 200, 245);

int Px(double mm) { return static_cast<int>(std::lround(mm * kPpm)); }

double Uniform(std::mt19937& rng, double low, double high) {
  return std::uniform_real_distribution<double>(low, high)(rng);
}

// Head-and-shoulders crop around the largest face, at the 26:32 aspect of the card photo.
cv::Mat CropPortrait(const cv::Mat& photo, cv::CascadeClassifier& cascade) {
  cv::Mat gray;
  const double scale = 640.0 / std::max(photo.cols, photo.rows);
  cv::resize(photo, gray, {}, scale, scale, cv::INTER_AREA);
  cv::cvtColor(gray, gray, cv::COLOR_BGR2GRAY);
  std::vector<cv::Rect> faces;
  cascade.detectMultiScale(gray, faces, 1.1, 5, 0, {40, 40});
  cv::Rect face(photo.cols / 3, photo.rows / 4, photo.cols / 3, photo.rows / 3);
  if (!faces.empty()) {
    cv::Rect best = *std::max_element(faces.begin(), faces.end(),
                                      [](auto& a, auto& b) { return a.area() < b.area(); });
    face = cv::Rect(best.x / scale, best.y / scale, best.width / scale, best.height / scale);
  }
  double width = face.width * 2.1;
  double height = width * layout::kPhoto.height / layout::kPhoto.width;
  double x = face.x + face.width / 2.0 - width / 2;
  double y = face.y - face.height * 0.6;
  const double fit = std::min({1.0, photo.cols / width, photo.rows / height});
  width *= fit;
  height *= fit;
  x = std::clamp(x, 0.0, photo.cols - width);
  y = std::clamp(y, 0.0, photo.rows - height);
  return photo(cv::Rect(x, y, width, height)).clone();
}

void DrawStar(cv::Mat& image, cv::Point2d center, double radius, double rotation,
              const cv::Scalar& color) {
  std::vector<cv::Point> points;
  for (int i = 0; i < 10; ++i) {
    const double r = i % 2 == 0 ? radius : radius * 0.38;
    const double angle = rotation - CV_PI / 2 + i * CV_PI / 5;
    points.emplace_back(center.x + r * std::cos(angle), center.y + r * std::sin(angle));
  }
  cv::fillPoly(image, std::vector<std::vector<cv::Point>>{points}, color, cv::LINE_AA);
}

// A stylised national emblem: red disc, five gold stars, a gate and a ring of grain.
void DrawEmblem(cv::Mat& image) {
  const cv::Point2d center((layout::kEmblem.x + layout::kEmblem.width / 2) * kPpm,
                           (layout::kEmblem.y + layout::kEmblem.height / 2) * kPpm);
  const double radius = layout::kEmblem.width / 2 * kPpm;
  cv::circle(image, center, radius, kEmblemGold, -1, cv::LINE_AA);
  cv::circle(image, center, radius * 0.8, kEmblemRed, -1, cv::LINE_AA);
  for (int i = 0; i < 18; ++i) {
    const double angle = CV_PI * (0.15 + 0.7 * i / 17.0);
    for (int side : {-1, 1}) {
      cv::Point2d p(center.x + side * radius * 0.9 * std::cos(angle),
                    center.y + radius * 0.9 * std::sin(angle) - radius * 0.1);
      cv::ellipse(image, p, cv::Size(radius * 0.09, radius * 0.05), angle * 180 / CV_PI * side, 0,
                  360, kEmblemRed, -1, cv::LINE_AA);
    }
  }
  DrawStar(image, {center.x - radius * 0.3, center.y - radius * 0.42}, radius * 0.2, 0,
           kEmblemGold);
  for (int i = 0; i < 4; ++i) {
    const double angle = -CV_PI / 2 + (i - 1.5) * 0.35 + 0.6;
    DrawStar(image,
             {center.x - radius * 0.3 + radius * 0.42 * std::cos(angle),
              center.y - radius * 0.42 + radius * 0.42 * std::sin(angle)},
             radius * 0.08, angle, kEmblemGold);
  }
  const cv::Point2d gate(center.x, center.y + radius * 0.2);
  cv::rectangle(image, cv::Point2d(gate.x - radius * 0.45, gate.y - radius * 0.05),
                cv::Point2d(gate.x + radius * 0.45, gate.y + radius * 0.3), kEmblemGold, -1,
                cv::LINE_AA);
  std::vector<cv::Point> roof = {cv::Point(gate.x - radius * 0.55, gate.y - radius * 0.05),
                                 cv::Point(gate.x + radius * 0.55, gate.y - radius * 0.05),
                                 cv::Point(gate.x + radius * 0.35, gate.y - radius * 0.22),
                                 cv::Point(gate.x - radius * 0.35, gate.y - radius * 0.22)};
  cv::fillConvexPoly(image, roof, kEmblemGold, cv::LINE_AA);
  for (int i = -2; i <= 2; ++i) {
    cv::rectangle(image,
                  cv::Point2d(gate.x + i * radius * 0.17 - radius * 0.04, gate.y + radius * 0.1),
                  cv::Point2d(gate.x + i * radius * 0.17 + radius * 0.04, gate.y + radius * 0.3),
                  kEmblemRed, -1);
  }
}

}  // namespace

std::vector<std::string> SplitCharacters(const std::string& text) { return SplitUtf8(text); }

std::unique_ptr<CardRenderer> CardRenderer::Create(const std::string& font_dir,
                                                   const std::vector<std::string>& face_photos,
                                                   const std::string& face_cascade) {
  std::unique_ptr<CardRenderer> renderer(new CardRenderer());
  constexpr int kSimplifiedChineseFace = 2;  // face index of the SC fonts in Noto's collections
  renderer->sans_ = cv::freetype::createFreeType2();
  renderer->sans_->loadFontData(font_dir + "/NotoSansCJK-Regular.ttc", kSimplifiedChineseFace);
  renderer->serif_ = cv::freetype::createFreeType2();
  renderer->serif_->loadFontData(font_dir + "/NotoSerifCJK-Regular.ttc", kSimplifiedChineseFace);
  renderer->bold_ = cv::freetype::createFreeType2();
  renderer->bold_->loadFontData(font_dir + "/NotoSansCJK-Bold.ttc", kSimplifiedChineseFace);
  cv::CascadeClassifier cascade(face_cascade);
  for (const std::string& path : face_photos) {
    cv::Mat photo = cv::imread(path, cv::IMREAD_COLOR);
    if (photo.empty()) continue;
    renderer->portraits_.push_back(CropPortrait(photo, cascade));
  }
  return renderer;
}

CardRenderer::~CardRenderer() = default;

cv::Mat CardRenderer::Background(std::mt19937& rng, bool emblem_side) const {
  const cv::Size size(Px(layout::kWidthMm), Px(layout::kHeightMm));
  cv::Mat image(size, CV_8UC3);
  const cv::Vec3d left(Uniform(rng, 228, 242), Uniform(rng, 234, 244), Uniform(rng, 236, 246));
  const cv::Vec3d right(Uniform(rng, 236, 250), Uniform(rng, 236, 246), Uniform(rng, 226, 240));
  for (int x = 0; x < size.width; ++x) {
    const double t = static_cast<double>(x) / size.width;
    const cv::Vec3d c = left * (1 - t) + right * t;
    image.col(x).setTo(cv::Scalar(c[0], c[1], c[2]));
  }
  // Guilloche: families of faint sine curves, like the card's security print.
  const cv::Scalar line_colors[] = {{236, 214, 200}, {214, 220, 240}, {222, 232, 214}};
  for (int family = 0; family < 3; ++family) {
    const double period = Uniform(rng, 8, 20) * kPpm;
    const double amplitude = Uniform(rng, 1.0, 3.0) * kPpm;
    const double phase = Uniform(rng, 0, 2 * CV_PI);
    for (int y0 = -Px(4); y0 < size.height + Px(4); y0 += Px(1.6)) {
      std::vector<cv::Point> curve;
      for (int x = 0; x <= size.width; x += 8) {
        curve.emplace_back(x,
                           y0 + amplitude * std::sin(2 * CV_PI * x / period + phase + y0 * 0.002));
      }
      cv::polylines(image, curve, false, line_colors[family], 1, cv::LINE_AA);
    }
  }
  if (emblem_side) {
    // A faint Great Wall along the lower half.
    std::vector<cv::Point> wall;
    for (double x = 0; x <= layout::kWidthMm; x += 2.5) {
      const double y = 33 + 4 * std::sin(x / 11.0) + ((static_cast<int>(x / 2.5) % 2) ? 0.0 : -0.8);
      wall.emplace_back(Px(x), Px(y));
    }
    cv::polylines(image, wall, false, cv::Scalar(196, 208, 222), Px(0.5), cv::LINE_AA);
  } else {
    const cv::Point center(Px(40), Px(27));
    for (int r = Px(4); r < Px(22); r += Px(1.2)) {
      cv::circle(image, center, r, cv::Scalar(226, 226, 238), 1, cv::LINE_AA);
    }
  }
  return image;
}

void CardRenderer::DrawText(cv::Mat& image, const std::string& text, double x_mm,
                            double baseline_mm, double size_mm, const cv::Scalar& color, bool serif,
                            double spacing_mm) {
  cv::freetype::FreeType2& font = serif ? *serif_ : *sans_;
  // OpenCV's FreeType puts `org` one font height above the baseline.
  if (spacing_mm == 0) {
    font.putText(image, text, {Px(x_mm), Px(baseline_mm - size_mm)}, Px(size_mm), color, -1,
                 cv::LINE_AA, false);
    return;
  }
  double x = x_mm;
  for (const std::string& character : SplitCharacters(text)) {
    font.putText(image, character, {Px(x), Px(baseline_mm - size_mm)}, Px(size_mm), color, -1,
                 cv::LINE_AA, false);
    x += TextWidthMm(character, size_mm, serif) + spacing_mm;
  }
}

double CardRenderer::TextWidthMm(const std::string& text, double size_mm, bool serif) {
  cv::freetype::FreeType2& font = serif ? *serif_ : *sans_;
  int baseline = 0;
  const cv::Size size = font.getTextSize(text, Px(size_mm), -1, &baseline);
  // getTextSize measures ink; an ideograph's advance is one em, digits about half of one.
  double width = 0;
  for (const std::string& character : SplitCharacters(text)) {
    width += character.size() == 1 ? size_mm * (character == " " ? 0.3 : 0.56) : size_mm;
  }
  return std::max(width, size.width / kPpm);
}

void CardRenderer::DrawSpecimenMark(cv::Mat& image, double x_mm, double y_mm) {
  cv::Mat overlay = image.clone();
  bold_->putText(overlay, "样本", {Px(x_mm), Px(y_mm - 5.0)}, Px(5.0), cv::Scalar(60, 60, 210), -1,
                 cv::LINE_AA, false);
  cv::addWeighted(overlay, 0.55, image, 0.45, 0, image);
}

RenderedCard CardRenderer::Finish(cv::Mat image) const {
  RenderedCard card;
  card.mask = cv::Mat::zeros(image.size(), CV_8UC1);
  const int r = Px(layout::kCornerRadiusMm);
  const int w = image.cols, h = image.rows;
  cv::rectangle(card.mask, cv::Rect(r, 0, w - 2 * r, h), 255, -1);
  cv::rectangle(card.mask, cv::Rect(0, r, w, h - 2 * r), 255, -1);
  for (cv::Point c : {cv::Point(r, r), cv::Point(w - r - 1, r), cv::Point(r, h - r - 1),
                      cv::Point(w - r - 1, h - r - 1)}) {
    cv::circle(card.mask, c, r, 255, -1, cv::LINE_AA);
  }
  card.image = std::move(image);
  return card;
}

RenderedCard CardRenderer::RenderPortraitSide(const SpecimenIdentity& identity, std::mt19937& rng) {
  cv::Mat image = Background(rng, false);
  const double label = layout::kLabelSizeMm;
  const double value = layout::kValueSizeMm;
  DrawText(image, "姓名", layout::kLabelXMm, layout::kNameBaselineMm, label, kLabelColor, false,
           1.2);
  DrawText(image, identity.name, layout::kValueXMm, layout::kNameBaselineMm, value, kValueColor,
           false);
  DrawText(image, "性别", layout::kLabelXMm, layout::kSexBaselineMm, label, kLabelColor, false,
           1.2);
  DrawText(image, identity.sex == Sex::kMale ? "男" : "女", layout::kValueXMm,
           layout::kSexBaselineMm, value, kValueColor, false);
  DrawText(image, "民族", layout::kEthnicityLabelXMm, layout::kSexBaselineMm, label, kLabelColor,
           false, 1.2);
  DrawText(image, identity.ethnicity, layout::kEthnicityValueXMm, layout::kSexBaselineMm, value,
           kValueColor, false);
  DrawText(image, "出生", layout::kLabelXMm, layout::kBirthBaselineMm, label, kLabelColor, false,
           1.2);
  double x = layout::kValueXMm;
  const auto part = [&](const std::string& number, const char* unit) {
    DrawText(image, number, x, layout::kBirthBaselineMm, value, kValueColor, false);
    x += TextWidthMm(number, value, false) + 0.9;
    DrawText(image, unit, x, layout::kBirthBaselineMm, label, kLabelColor, false);
    x += label + 0.9;
  };
  part(std::to_string(identity.birth_date.year), "年");
  part(std::to_string(identity.birth_date.month), "月");
  part(std::to_string(identity.birth_date.day), "日");

  DrawText(image, "住址", layout::kLabelXMm, layout::kAddressBaselineMm, label, kLabelColor, false,
           1.2);
  std::string line;
  double baseline = layout::kAddressBaselineMm;
  for (const std::string& character : SplitCharacters(identity.address)) {
    if (TextWidthMm(line + character, value, false) > layout::kAddressMaxWidthMm) {
      DrawText(image, line, layout::kValueXMm, baseline, value, kValueColor, false);
      baseline += layout::kAddressLineStepMm;
      line.clear();
    }
    line += character;
  }
  DrawText(image, line, layout::kValueXMm, baseline, value, kValueColor, false);

  DrawText(image, "公民身份号码", layout::kLabelXMm, layout::kNumberLabelBaselineMm, label,
           kLabelColor, false, 0.3);
  DrawText(image, identity.id_number, layout::kNumberValueXMm, layout::kNumberLabelBaselineMm,
           layout::kNumberSizeMm, kValueColor, false, 0.45);

  if (!portraits_.empty()) {
    const cv::Mat& source =
        portraits_[std::uniform_int_distribution<size_t>(0, portraits_.size() - 1)(rng)];
    const cv::Rect area(Px(layout::kPhoto.x), Px(layout::kPhoto.y), Px(layout::kPhoto.width),
                        Px(layout::kPhoto.height));
    cv::Mat portrait;
    cv::resize(source, portrait, area.size(), 0, 0, cv::INTER_AREA);
    // Printed photos are paler than the original; blend with the card so edges look printed.
    cv::addWeighted(portrait, 0.88, image(area), 0.12, 6, image(area));
  }
  DrawSpecimenMark(image, 61.0, 43.0);
  return Finish(std::move(image));
}

RenderedCard CardRenderer::RenderEmblemSide(const SpecimenIdentity& identity, std::mt19937& rng) {
  cv::Mat image = Background(rng, true);
  DrawEmblem(image);
  const auto spread = [&](const std::string& text, double baseline, double size) {
    const auto characters = SplitCharacters(text);
    const double step =
        (layout::kTitleRightMm - layout::kTitleXMm - size) / (characters.size() - 1);
    for (size_t i = 0; i < characters.size(); ++i) {
      bold_->putText(image, characters[i], {Px(layout::kTitleXMm + i * step), Px(baseline - size)},
                     Px(size), kValueColor, -1, cv::LINE_AA, false);
    }
  };
  spread("中华人民共和国", layout::kTitleBaselineMm, layout::kTitleSizeMm);
  spread("居民身份证", layout::kCardNameBaselineMm, layout::kCardNameSizeMm);
  DrawText(image, "签发机关", layout::kEmblemLabelXMm, layout::kAuthorityBaselineMm,
           layout::kLabelSizeMm, kValueColor, false, 0.3);
  DrawText(image, identity.authority, layout::kEmblemValueXMm, layout::kAuthorityBaselineMm,
           layout::kValueSizeMm, kValueColor, false);
  DrawText(image, "有效期限", layout::kEmblemLabelXMm, layout::kValidityBaselineMm,
           layout::kLabelSizeMm, kValueColor, false, 0.3);
  DrawText(image, ValidityText(identity), layout::kEmblemValueXMm, layout::kValidityBaselineMm,
           layout::kValueSizeMm, kValueColor, false);
  DrawSpecimenMark(image, 62.0, 33.5);
  RenderedCard card = Finish(std::move(image));
  card.emblem_side = true;
  return card;
}

}  // namespace examphoto::testing
