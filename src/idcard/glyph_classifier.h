// A second opinion on single Chinese characters for the field reader: each character image is
// compared with templates of every Chinese character of GBK (about 21 000) rendered once at
// load time in a typeface unrelated to the card's, by directional stroke features and cosine
// similarity (one matrix product). Used where Tesseract is unsure or cannot produce a
// character at all (rare name characters missing from chi_sim), and for the 民族 field as a
// closed list of 56 names. Immutable after Load, so Classify is thread-safe.
#pragma once

#include <memory>
#include <opencv2/core.hpp>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/result.h"

namespace examphoto {

struct GlyphClassifierOptions {
  // WenQuanYi Zen Hei and Micro Hei (Debian fonts-wqy-zenhei, fonts-wqy-microhei): two
  // 黑体-like faces of different design, deliberately not the Noto CJK faces the test-card
  // generator prints with. A character's template is the mean of its features in each face,
  // so no one typeface's quirks decide. Face index 0 of each collection.
  std::vector<std::string> font_paths = {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                                         "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"};
  // Rendering the ~21 000 templates costs seconds of CPU (far more under the sanitizers), in
  // every process that reads cards. They are kept in this folder, keyed by the fonts (path,
  // size, time) and the feature layout, and read back in milliseconds; "" keeps nothing.
  // The caller says where (the service: models.cache_dir, by default <data_dir>/cache).
  std::string cache_dir;
};

struct GlyphMatch {
  std::string character;  // UTF-8
  double score = 0;       // cosine similarity of the features, -1..1
};

// Similarities of one character image to every template.
class GlyphScores {
 public:
  GlyphScores() = default;
  GlyphScores(cv::Mat scores, const std::vector<std::string>* characters,
              const std::unordered_map<std::string, int>* index)
      : scores_(std::move(scores)), characters_(characters), index_(index) {}
  bool empty() const { return scores_.empty(); }
  // The `count` best characters, best first.
  std::vector<GlyphMatch> Best(int count) const;
  // The similarity to one character; -1 if it has no template (not in GBK).
  double Of(std::string_view character) const;

 private:
  cv::Mat scores_;  // 1 × N, CV_32F
  const std::vector<std::string>* characters_ = nullptr;
  const std::unordered_map<std::string, int>* index_ = nullptr;
};

struct LineMatch {
  std::string text;       // the best candidate, empty if none fitted the line's shape
  double score = 0;       // its mean per-character similarity
  std::string runner_up;  // the second best
  double runner_up_score = 0;
};

class GlyphClassifier {
 public:
  static Result<std::unique_ptr<GlyphClassifier>> Load(const GlyphClassifierOptions& options = {});

  // `glyph`: 8-bit grey, dark ink on a light ground, roughly one character (margins and
  // specks are tolerated; a neighbour's edge is not).
  GlyphScores Classify(const cv::Mat& glyph) const;
  // Several at once: one pass over the templates (they are 40 MB; reading them is the cost).
  std::vector<GlyphScores> ClassifyAll(const std::vector<cv::Mat>& glyphs) const;

  // `line`: one line of characters printed at a fixed pitch of one em (a name, an ethnic
  // group). Scores each candidate by cutting the line into as many cells as it has
  // characters; candidates whose length does not fit the line's proportions are skipped.
  LineMatch ClassifyLine(const cv::Mat& line, std::span<const std::string_view> candidates) const;

  size_t template_count() const { return characters_.size(); }
  size_t template_bytes() const { return templates_.total() * templates_.elemSize(); }
  double load_milliseconds() const { return load_milliseconds_; }
  double load_cpu_milliseconds() const { return load_cpu_milliseconds_; }  // this thread's
  bool loaded_from_cache() const { return loaded_from_cache_; }

 private:
  GlyphClassifier() = default;
  cv::Mat TemplateFeatures(std::string_view character) const;  // a row, or empty
  bool ReadCache(const std::string& path);
  void WriteCache(const std::string& path) const;

  std::vector<std::string> characters_;
  std::unordered_map<std::string, int> index_;
  cv::Mat templates_;  // N × kFeatureSize, CV_32F, rows L2-normalised
  cv::Mat mean_;       // 1 × kFeatureSize: subtracted so that cosine is not dominated by it
  double load_milliseconds_ = 0;
  double load_cpu_milliseconds_ = 0;
  bool loaded_from_cache_ = false;
};

// Cuts a line of `count` fixed-pitch characters into character boxes: the ink's extent is
// divided evenly, and each cut moved to the emptiest column near it.
std::vector<cv::Rect> SplitLineIntoCharacters(const cv::Mat& line, int count);

// The GBK code points of Chinese characters (U+4E00..U+9FA5 reachable from GBK), as UTF-8.
std::vector<std::string> GbkChineseCharacters();

}  // namespace examphoto
