// Cross-typeface accuracy of the glyph classifier (src/idcard/glyph_classifier.h): characters
// rendered in the generator's Noto Sans CJK SC at the card's size after rectification
// (3.1 mm at 12 px/mm), blurred, noised and JPEG-compressed like a capture, then classified
// against the WenQuanYi Zen Hei templates over all of GBK. Prints top-1 rates per group.
//   glyph_accuracy [--stride 10] [--seed 7]
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

#include "idcard/glyph_classifier.h"

namespace {

using namespace examphoto;

cv::Mat Render(cv::freetype::FreeType2& font, const std::string& character, int em,
               std::mt19937& rng) {
  cv::Mat image(em * 2, em * 2, CV_8UC3, cv::Scalar(236, 238, 240));
  font.putText(image, character, {em / 2, em / 2}, em, cv::Scalar(30, 30, 30), -1, cv::LINE_AA,
               false);
  cv::Mat gray;
  cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  const double sigma = std::uniform_real_distribution<double>(0.4, 1.2)(rng);
  cv::GaussianBlur(gray, gray, {0, 0}, sigma);
  cv::Mat noise(gray.size(), CV_16S);
  cv::randn(noise, 0, std::uniform_real_distribution<double>(2, 6)(rng));
  cv::Mat noisy;
  gray.convertTo(noisy, CV_16S);
  noisy += noise;
  noisy.convertTo(gray, CV_8U);
  std::vector<uint8_t> jpeg;
  cv::imencode(".jpg", gray, jpeg, {cv::IMWRITE_JPEG_QUALITY, 80});
  return cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE);
}

}  // namespace

int main(int argc, char** argv) {
  int stride = 10;
  unsigned seed = 7;
  int em = 37;
  bool verbose = false;
  CLI::App app{"glyph classifier accuracy across typefaces"};
  app.add_option("--stride", stride, "every n-th GB2312 character for the common group");
  app.add_option("--seed", seed);
  app.add_option("--em", em, "character size in pixels");
  app.add_flag("--verbose", verbose);
  CLI11_PARSE(app, argc, argv);

  auto classifier = GlyphClassifier::Load({.cache_dir = EXAMPHOTO_BENCH_CACHE_DIR});
  if (!classifier.ok()) {
    std::fprintf(stderr, "%s\n", classifier.error().detail.c_str());
    return 1;
  }
  const GlyphClassifier& glyphs = *classifier.value();
  std::printf("templates %zu, %.1f MB, load %.0f ms\n", glyphs.template_count(),
              glyphs.template_bytes() / 1e6, glyphs.load_milliseconds());

  auto font = cv::freetype::createFreeType2();
  font->loadFontData("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2);
  std::mt19937 rng(seed);
  const std::vector<std::string> gbk = GbkChineseCharacters();
  std::vector<std::pair<const char*, std::vector<std::string>>> groups = {
      {"rare name characters",
       {"珺", "彧", "翀", "昇", "璟", "堃", "犇", "淼", "喆", "玥", "琛", "琰", "晔",
        "旻", "祎", "婧", "骞", "芃", "蕤", "昶", "珏", "炜", "煜", "赟", "麓"}},
      {"GB2312 sample", {}},
  };
  for (size_t i = 0; i < 6763 && i < gbk.size(); i += stride) groups[1].second.push_back(gbk[i]);
  double classify_ms = 0;
  int classified = 0;
  for (const auto& [name, characters] : groups) {
    int right = 0;
    for (const std::string& character : characters) {
      const cv::Mat glyph = Render(*font, character, em, rng);
      const auto start = std::chrono::steady_clock::now();
      const GlyphScores scores = glyphs.Classify(glyph);
      classify_ms +=
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      ++classified;
      const auto best = scores.Best(2);
      const bool ok = !best.empty() && best[0].character == character;
      right += ok;
      if (verbose || (!ok && characters.size() < 100)) {
        std::printf("  %s -> %s %.3f (%s %.3f) truth %.3f\n", character.c_str(),
                    best.empty() ? "-" : best[0].character.c_str(),
                    best.empty() ? 0 : best[0].score,
                    best.size() < 2 ? "-" : best[1].character.c_str(),
                    best.size() < 2 ? 0 : best[1].score, scores.Of(character));
      }
    }
    std::printf("%s: top-1 %d/%zu\n", name, right, characters.size());
  }
  std::printf("classify %.2f ms per character\n", classify_ms / classified);
  return 0;
}
