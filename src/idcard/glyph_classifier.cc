#include "idcard/glyph_classifier.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <iconv.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <opencv2/imgproc.hpp>

#include "domain/messages.h"
#include "domain/utf8.h"

namespace examphoto {
namespace {

// Features: the character scaled into a 56-pixel box in a 64-pixel square, its gradient split
// into 8 directions, each direction pooled over an 8 × 8 grid. Directions of stroke edges are
// what two typefaces share; stroke width and serifs are what they do not.
constexpr int kSquare = 64;
constexpr int kBox = 56;
constexpr int kGrid = 8;
constexpr int kDirections = 8;
constexpr int kFeatureSize = kGrid * kGrid * kDirections;
constexpr int kRenderPixels = 64;

// Bump when the features, the rendering or the file layout change: old files are then
// ignored (their name no longer matches).
constexpr int kCacheVersion = 1;
constexpr char kCacheMagic[8] = {'E', 'X', 'G', 'L', 'Y', 'P', 'H', '1'};

// The cache file for these fonts: their paths, sizes and modification times and the feature
// layout, hashed into the name. "" if a font cannot be examined (Load reports it).
std::string CacheFileName(const GlyphClassifierOptions& options) {
  std::string key = std::to_string(kCacheVersion) + "/" + std::to_string(kFeatureSize) + "/" +
                    std::to_string(kRenderPixels) + "/" + std::to_string(kSquare) + "/" +
                    std::to_string(kBox);
  for (const std::string& path : options.font_paths) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error) return "";
    const auto time = std::filesystem::last_write_time(path, error);
    if (error) return "";
    key += "|" + path + ":" + std::to_string(size) + ":" +
           std::to_string(time.time_since_epoch().count());
  }
  char name[64];
  std::snprintf(name, sizeof name, "glyph-templates-%016zx.bin", std::hash<std::string>{}(key));
  return name;
}

double ThreadCpuMilliseconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

char32_t FirstCodePoint(std::string_view text) {
  if (text.empty()) return 0;
  const unsigned char lead = text[0];
  const size_t length = Utf8SequenceLength(lead);
  if (length > text.size()) return 0;
  char32_t point = length == 1 ? lead : lead & (0xFF >> (length + 1));
  for (size_t k = 1; k < length; ++k) point = (point << 6) | (text[k] & 0x3F);
  return point;
}

// Ink of a grey image as 0..1 (1 = darkest print), with the paper at 0, and the mask of
// pixels that are ink (Otsu). Empty if there is no contrast.
bool InkOf(const cv::Mat& gray, cv::Mat* ink, cv::Mat* mask) {
  double low = 0, high = 0;
  cv::minMaxLoc(gray, &low, &high);
  if (high - low < 24) return false;
  const double threshold =
      cv::threshold(gray, *mask, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  const double paper = cv::mean(gray, ~*mask)[0];
  const double print = std::min(threshold, cv::mean(gray, *mask)[0]);
  gray.convertTo(*ink, CV_32F, -1.0 / std::max(1.0, paper - print),
                 paper / std::max(1.0, paper - print));
  cv::max(*ink, 0.0, *ink);
  cv::min(*ink, 1.0, *ink);
  return true;
}

// The box around the ink that matters: specks (JPEG, guilloche remnants) and the edges of
// neighbours must not stretch the box, but the dots of 冫 or 氵 must stay in it.
cv::Rect InkBox(const cv::Mat& mask) {
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
  int largest = 0;
  for (int i = 1; i < count; ++i) largest = std::max(largest, stats.at<int>(i, cv::CC_STAT_AREA));
  cv::Rect box;
  for (int i = 1; i < count; ++i) {
    const int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (area * 150 < largest || area < 6) continue;
    // A small piece cut off at the edge belongs to a neighbour (the line above or below).
    const int left = stats.at<int>(i, cv::CC_STAT_LEFT), top = stats.at<int>(i, cv::CC_STAT_TOP);
    const bool at_edge = left == 0 || top == 0 ||
                         left + stats.at<int>(i, cv::CC_STAT_WIDTH) == mask.cols ||
                         top + stats.at<int>(i, cv::CC_STAT_HEIGHT) == mask.rows;
    if (at_edge && area * 10 < largest) continue;
    const cv::Rect part(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                        stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    box = box.area() == 0 ? part : (box | part);
  }
  return box;
}

// `ink` (0..1, CV_32F) inside `box`, scaled (proportions kept) into the middle of a kSquare
// square.
cv::Mat SquareInk(const cv::Mat& ink, const cv::Rect& box) {
  const double scale = static_cast<double>(kBox) / std::max(box.width, box.height);
  const int width = std::max(1, static_cast<int>(std::lround(box.width * scale)));
  const int height = std::max(1, static_cast<int>(std::lround(box.height * scale)));
  cv::Mat scaled;
  cv::resize(ink(box), scaled, {width, height}, 0, 0,
             scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  cv::Mat square = cv::Mat::zeros(kSquare, kSquare, CV_32F);
  scaled.copyTo(square(cv::Rect((kSquare - width) / 2, (kSquare - height) / 2, width, height)));
  return square;
}

cv::Mat NormalizedInk(const cv::Mat& gray) {
  cv::Mat ink, mask;
  if (gray.empty() || !InkOf(gray, &ink, &mask)) return {};
  const cv::Rect box = InkBox(mask);
  if (box.area() == 0) return {};
  return SquareInk(ink, box);
}

// A row of kFeatureSize, L2-normalised (not yet centred), from a square of ink.
cv::Mat SquareFeatures(cv::Mat square) {
  cv::GaussianBlur(square, square, {0, 0}, 1.0);
  cv::Mat gx, gy;
  cv::Sobel(square, gx, CV_32F, 1, 0, 3);
  cv::Sobel(square, gy, CV_32F, 0, 1, 3);
  // Each direction pooled over overlapping Gaussian cells (a stroke a pixel or two off in the
  // other typeface still counts): pooled = P · plane · Pᵀ with P the 8 × 64 cell weights.
  static const std::array<std::array<float, kSquare>, kGrid> pooling = [] {
    std::array<std::array<float, kSquare>, kGrid> weights{};
    const double cell = static_cast<double>(kSquare) / kGrid, sigma = cell * 0.62;
    for (int g = 0; g < kGrid; ++g) {
      const double centre = (g + 0.5) * cell;
      double total = 0;
      for (int x = 0; x < kSquare; ++x) {
        const double d = x + 0.5 - centre;
        total += weights[g][x] = static_cast<float>(std::exp(-d * d / (2 * sigma * sigma)));
      }
      for (float& w : weights[g]) w = static_cast<float>(w / total);
    }
    return weights;
  }();
  // The cells a column contributes to with a weight that matters (within 3 sigma).
  static const std::array<std::pair<int, int>, kSquare> reach = [] {
    std::array<std::pair<int, int>, kSquare> cells{};
    for (int x = 0; x < kSquare; ++x) {
      cells[x] = {kGrid, -1};
      for (int g = 0; g < kGrid; ++g) {
        if (pooling[g][x] < pooling[g][static_cast<int>((g + 0.5) * kSquare / kGrid)] * 0.011f)
          continue;
        cells[x].first = std::min(cells[x].first, g);
        cells[x].second = std::max(cells[x].second, g);
      }
    }
    return cells;
  }();
  // The gradient split between the two nearest of 8 directions (45° apart) as a sum of the
  // two direction vectors; no trigonometry. rows[y][d][j]: the row pass of the pooling.
  static thread_local std::array<std::array<std::array<float, kGrid>, kDirections>, kSquare> rows;
  constexpr float kRoot2 = 1.41421356f;
  for (int y = 0; y < kSquare; ++y) {
    for (auto& direction : rows[y]) direction.fill(0);
    const float* dx = gx.ptr<float>(y);
    const float* dy = gy.ptr<float>(y);
    for (int x = 0; x < kSquare; ++x) {
      float u, v;
      int base;
      if (dx[x] >= 0 && dy[x] >= 0) {
        base = 0, u = dx[x], v = dy[x];
      } else if (dx[x] < 0 && dy[x] >= 0) {
        base = 2, u = dy[x], v = -dx[x];
      } else if (dx[x] < 0) {
        base = 4, u = -dx[x], v = -dy[x];
      } else {
        base = 6, u = -dy[x], v = dx[x];
      }
      if (u + v < 1e-3f) continue;  // the blank paper, most of the square
      int first, second;
      float a, b;
      if (u >= v) {
        first = base, a = u - v, second = base + 1, b = kRoot2 * v;
      } else {
        first = base + 1, a = kRoot2 * u, second = (base + 2) % kDirections, b = v - u;
      }
      for (int j = reach[x].first; j <= reach[x].second; ++j) {
        const float w = pooling[j][x];
        rows[y][first][j] += a * w;
        rows[y][second][j] += b * w;
      }
    }
  }
  cv::Mat features(1, kFeatureSize, CV_32F);
  float* out = features.ptr<float>(0);
  for (int d = 0; d < kDirections; ++d) {
    for (int i = 0; i < kGrid; ++i) {
      for (int j = 0; j < kGrid; ++j) {
        float sum = 0;
        for (int y = 0; y < kSquare; ++y) sum += pooling[i][y] * rows[y][d][j];
        out[(d * kGrid + i) * kGrid + j] = sum;
      }
    }
  }
  cv::sqrt(features, features);  // variance-stabilising: many weak edges vs few strong ones
  const double norm = cv::norm(features);
  if (norm <= 0) return {};
  return features / norm;
}

// The same from a grey character image; empty if there is no character.
cv::Mat Features(const cv::Mat& gray) {
  cv::Mat square = NormalizedInk(gray);
  if (square.empty()) return {};
  return SquareFeatures(std::move(square));
}

cv::Mat Centered(const cv::Mat& features, const cv::Mat& mean) {
  cv::Mat centered = features - mean;
  const double norm = cv::norm(centered);
  return norm > 0 ? centered / norm : centered;
}

}  // namespace

std::vector<std::string> GbkChineseCharacters() {
  std::vector<std::string> characters;
  iconv_t converter = iconv_open("UTF-8", "GBK");
  if (converter == reinterpret_cast<iconv_t>(-1)) return characters;
  const auto add = [&](int lead, int trail) {
    char in[2] = {static_cast<char>(lead), static_cast<char>(trail)};
    char out[8] = {};
    char* in_pointer = in;
    char* out_pointer = out;
    size_t in_left = 2, out_left = sizeof out;
    iconv(converter, nullptr, nullptr, nullptr, nullptr);
    if (iconv(converter, &in_pointer, &in_left, &out_pointer, &out_left) == static_cast<size_t>(-1))
      return;
    const std::string text(out, sizeof out - out_left);
    const char32_t point = FirstCodePoint(text);
    if (point >= 0x4E00 && point <= 0x9FA5) characters.push_back(text);
  };
  // GB2312's 6763 first (the common characters win ties), then the rest of GBK.
  for (int lead = 0xB0; lead <= 0xF7; ++lead) {
    for (int trail = 0xA1; trail <= 0xFE; ++trail) add(lead, trail);
  }
  for (int lead = 0x81; lead <= 0xFE; ++lead) {
    for (int trail = 0x40; trail <= 0xFE; ++trail) {
      if (trail == 0x7F || (lead >= 0xB0 && lead <= 0xF7 && trail >= 0xA1)) continue;
      add(lead, trail);
    }
  }
  iconv_close(converter);
  return characters;
}

bool GlyphClassifier::ReadCache(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  char magic[sizeof kCacheMagic];
  uint32_t count = 0, features = 0;
  in.read(magic, sizeof magic);
  in.read(reinterpret_cast<char*>(&count), sizeof count);
  in.read(reinterpret_cast<char*>(&features), sizeof features);
  if (!in || !std::equal(magic, magic + sizeof magic, kCacheMagic) || features != kFeatureSize ||
      count == 0 || count > 100000) {
    return false;
  }
  std::vector<std::string> characters(count);
  for (auto& character : characters) {
    uint8_t length = 0;
    in.read(reinterpret_cast<char*>(&length), 1);
    if (!in || length == 0 || length > 4) return false;
    character.resize(length);
    in.read(character.data(), length);
  }
  cv::Mat mean(1, kFeatureSize, CV_32F);
  cv::Mat templates(static_cast<int>(count), kFeatureSize, CV_32F);
  in.read(reinterpret_cast<char*>(mean.data), static_cast<std::streamsize>(mean.total() * 4));
  in.read(reinterpret_cast<char*>(templates.data),
          static_cast<std::streamsize>(templates.total() * 4));
  // Exactly the expected length: a file cut short by a crash is not half-used.
  if (!in || in.peek() != std::char_traits<char>::eof()) return false;
  characters_ = std::move(characters);
  index_.clear();
  for (size_t i = 0; i < characters_.size(); ++i)
    index_.emplace(characters_[i], static_cast<int>(i));
  mean_ = mean;
  templates_ = templates;
  return true;
}

void GlyphClassifier::WriteCache(const std::string& path) const {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  if (error) return;  // no cache is only slower
  // Several processes may build at once (parallel tests): each writes its own file and
  // renames it over the name, so readers see a whole file or none.
  const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    const uint32_t count = static_cast<uint32_t>(characters_.size());
    const uint32_t features = kFeatureSize;
    out.write(kCacheMagic, sizeof kCacheMagic);
    out.write(reinterpret_cast<const char*>(&count), sizeof count);
    out.write(reinterpret_cast<const char*>(&features), sizeof features);
    for (const auto& character : characters_) {
      const uint8_t length = static_cast<uint8_t>(character.size());
      out.write(reinterpret_cast<const char*>(&length), 1);
      out.write(character.data(), length);
    }
    out.write(reinterpret_cast<const char*>(mean_.data),
              static_cast<std::streamsize>(mean_.total() * 4));
    out.write(reinterpret_cast<const char*>(templates_.data),
              static_cast<std::streamsize>(templates_.total() * 4));
    if (!out) {
      out.close();
      std::filesystem::remove(temporary, error);
      return;
    }
  }
  std::filesystem::rename(temporary, path, error);
  if (error) std::filesystem::remove(temporary, error);
}

Result<std::unique_ptr<GlyphClassifier>> GlyphClassifier::Load(
    const GlyphClassifierOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = ThreadCpuMilliseconds();
  const std::string cache_name = options.cache_dir.empty() ? "" : CacheFileName(options);
  const std::string cache_path = cache_name.empty() ? "" : options.cache_dir + "/" + cache_name;
  if (!cache_path.empty()) {
    std::unique_ptr<GlyphClassifier> cached(new GlyphClassifier());
    if (cached->ReadCache(cache_path)) {
      cached->loaded_from_cache_ = true;
      cached->load_cpu_milliseconds_ = ThreadCpuMilliseconds() - cpu_start;
      cached->load_milliseconds_ =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      return cached;
    }
  }
  FT_Library library = nullptr;
  if (FT_Init_FreeType(&library) != 0) {
    return MakeError(ErrorKind::kUnavailable, "idcard.ocr_unavailable", "cannot start FreeType");
  }
  std::vector<FT_Face> faces;
  for (const std::string& path : options.font_paths) {
    FT_Face face = nullptr;
    if (FT_New_Face(library, path.c_str(), 0, &face) != 0) {
      for (FT_Face open : faces) FT_Done_Face(open);
      FT_Done_FreeType(library);
      return MakeError(ErrorKind::kUnavailable, "idcard.ocr_unavailable",
                       "cannot load the glyph template font " + path);
    }
    FT_Set_Pixel_Sizes(face, 0, kRenderPixels);
    faces.push_back(face);
  }
  std::unique_ptr<GlyphClassifier> classifier(new GlyphClassifier());
  const std::vector<std::string> candidates = GbkChineseCharacters();
  std::vector<cv::Mat> rows;
  rows.reserve(candidates.size());
  for (const std::string& character : candidates) {
    cv::Mat sum;
    for (FT_Face face : faces) {
      const FT_UInt glyph = FT_Get_Char_Index(face, FirstCodePoint(character));
      if (glyph == 0 || FT_Load_Glyph(face, glyph, FT_LOAD_RENDER | FT_LOAD_NO_BITMAP) != 0)
        continue;
      const FT_Bitmap& bitmap = face->glyph->bitmap;
      if (bitmap.rows == 0 || bitmap.width == 0 || bitmap.pixel_mode != FT_PIXEL_MODE_GRAY)
        continue;
      const cv::Mat coverage(static_cast<int>(bitmap.rows), static_cast<int>(bitmap.width), CV_8U,
                             bitmap.buffer, static_cast<size_t>(bitmap.pitch));
      // FreeType's bitmap is exactly the ink: no thresholding needed.
      cv::Mat ink;
      coverage.convertTo(ink, CV_32F, 1.0 / 255);
      const cv::Mat features = SquareFeatures(SquareInk(ink, cv::Rect(0, 0, ink.cols, ink.rows)));
      if (features.empty()) continue;
      if (sum.empty()) {
        sum = features.clone();
      } else {
        sum += features;
      }
    }
    if (sum.empty()) continue;
    classifier->index_.emplace(character, static_cast<int>(classifier->characters_.size()));
    classifier->characters_.push_back(character);
    rows.push_back(sum / cv::norm(sum));
  }
  for (FT_Face face : faces) FT_Done_Face(face);
  FT_Done_FreeType(library);
  if (rows.empty()) {
    return MakeError(ErrorKind::kUnavailable, "idcard.ocr_unavailable",
                     "the glyph template fonts have no Chinese characters");
  }
  cv::vconcat(rows, classifier->templates_);
  cv::reduce(classifier->templates_, classifier->mean_, 0, cv::REDUCE_AVG, CV_32F);
  for (int i = 0; i < classifier->templates_.rows; ++i) {
    cv::Mat row = classifier->templates_.row(i);
    Centered(row, classifier->mean_).copyTo(row);
  }
  if (!cache_path.empty()) classifier->WriteCache(cache_path);
  classifier->load_cpu_milliseconds_ = ThreadCpuMilliseconds() - cpu_start;
  classifier->load_milliseconds_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return classifier;
}

GlyphScores GlyphClassifier::Classify(const cv::Mat& glyph) const {
  const cv::Mat features = Features(glyph);
  if (features.empty()) return {};
  cv::Mat scores;
  cv::gemm(Centered(features, mean_), templates_, 1.0, cv::noArray(), 0.0, scores, cv::GEMM_2_T);
  return GlyphScores(scores, &characters_, &index_);
}

std::vector<GlyphScores> GlyphClassifier::ClassifyAll(const std::vector<cv::Mat>& glyphs) const {
  std::vector<GlyphScores> all(glyphs.size());
  std::vector<cv::Mat> rows;
  std::vector<size_t> which;
  for (size_t i = 0; i < glyphs.size(); ++i) {
    const cv::Mat features = Features(glyphs[i]);
    if (features.empty()) continue;
    rows.push_back(Centered(features, mean_));
    which.push_back(i);
  }
  if (rows.empty()) return all;
  cv::Mat queries, scores;
  cv::vconcat(rows, queries);
  cv::gemm(queries, templates_, 1.0, cv::noArray(), 0.0, scores, cv::GEMM_2_T);
  for (size_t k = 0; k < which.size(); ++k) {
    all[which[k]] = GlyphScores(scores.row(static_cast<int>(k)).clone(), &characters_, &index_);
  }
  return all;
}

std::vector<GlyphMatch> GlyphScores::Best(int count) const {
  std::vector<GlyphMatch> best;
  if (scores_.empty()) return best;
  const float* values = scores_.ptr<float>(0);
  std::vector<int> order(scores_.cols);
  std::iota(order.begin(), order.end(), 0);
  count = std::min<int>(count, scores_.cols);
  // Ties go to the earlier template (GB2312 before the rest of GBK): deterministic.
  std::partial_sort(order.begin(), order.begin() + count, order.end(), [&](int a, int b) {
    return values[a] != values[b] ? values[a] > values[b] : a < b;
  });
  for (int i = 0; i < count; ++i) best.push_back({(*characters_)[order[i]], values[order[i]]});
  return best;
}

double GlyphScores::Of(std::string_view character) const {
  if (scores_.empty()) return -1;
  const auto found = index_->find(std::string(character));
  return found == index_->end() ? -1 : scores_.at<float>(0, found->second);
}

cv::Mat GlyphClassifier::TemplateFeatures(std::string_view character) const {
  const auto found = index_.find(std::string(character));
  return found == index_.end() ? cv::Mat() : templates_.row(found->second);
}

std::vector<cv::Rect> SplitLineIntoCharacters(const cv::Mat& line, int count) {
  std::vector<cv::Rect> boxes;
  if (line.empty() || count <= 0) return boxes;
  cv::Mat ink, mask;
  if (!InkOf(line, &ink, &mask)) return boxes;
  const cv::Rect extent = InkBox(mask);
  if (extent.area() == 0) return boxes;
  cv::Mat columns;
  cv::reduce(mask(extent), columns, 0, cv::REDUCE_SUM, CV_32S);
  // Each character advances one em; its ink leaves a small side bearing on either side.
  const double pitch = extent.width / (count - 0.1);
  std::vector<int> cuts = {0};
  for (int k = 1; k < count; ++k) {
    const int nominal = static_cast<int>(std::lround(k * pitch - 0.05 * pitch));
    const int reach = std::max(1, static_cast<int>(pitch * 0.2));
    int best = std::clamp(nominal, 1, extent.width - 1);
    long best_ink = columns.at<int>(best) * 4L;
    for (int x = std::max(1, nominal - reach); x <= std::min(extent.width - 1, nominal + reach);
         ++x) {
      // The emptiest column, and among equally empty ones the closest to the nominal cut.
      const long cost = columns.at<int>(x) * 4L + std::abs(x - nominal) * 255L / reach;
      if (cost < best_ink) best_ink = cost, best = x;
    }
    cuts.push_back(std::max(best, cuts.back() + 1));
  }
  cuts.push_back(extent.width);
  for (int k = 0; k < count; ++k) {
    const int left = extent.x + cuts[k], right = extent.x + std::min(cuts[k + 1], extent.width);
    if (right <= left) return {};
    boxes.emplace_back(left, 0, right - left, line.rows);
  }
  return boxes;
}

LineMatch GlyphClassifier::ClassifyLine(const cv::Mat& line,
                                        std::span<const std::string_view> candidates) const {
  LineMatch match;
  cv::Mat ink, mask;
  if (line.empty() || !InkOf(line, &ink, &mask)) return match;
  const cv::Rect extent = InkBox(mask);
  if (extent.area() == 0) return match;
  const double aspect = static_cast<double>(extent.width) / extent.height;
  std::unordered_map<int, std::vector<cv::Mat>> cells_by_count;  // features per cut of the line
  double best = -2, second = -2;
  for (std::string_view candidate : candidates) {
    const std::vector<std::string> characters = SplitUtf8(candidate);
    const int n = static_cast<int>(characters.size());
    // n characters of about 0.9 em ink each, one em apart.
    const double expected = (n - 0.1) / 0.9;
    if (std::abs(std::log(aspect / expected)) > 0.25) continue;
    auto cells = cells_by_count.find(n);
    if (cells == cells_by_count.end()) {
      std::vector<cv::Mat> features;
      for (const cv::Rect& box : SplitLineIntoCharacters(line, n)) {
        const cv::Mat cell = Features(line(box));
        features.push_back(cell.empty() ? cell : Centered(cell, mean_));
      }
      cells = cells_by_count.emplace(n, std::move(features)).first;
    }
    if (static_cast<int>(cells->second.size()) != n) continue;
    double total = 0;
    for (int i = 0; i < n; ++i) {
      const cv::Mat reference = TemplateFeatures(characters[i]);
      if (reference.empty() || cells->second[i].empty()) {
        total -= 1;
        continue;
      }
      total += cells->second[i].dot(reference);
    }
    const double score = total / n;
    if (score > best) {
      second = best, match.runner_up = match.text, match.runner_up_score = match.score;
      best = score, match.text = std::string(candidate), match.score = score;
    } else if (score > second) {
      second = score, match.runner_up = std::string(candidate), match.runner_up_score = score;
    }
  }
  return match;
}

}  // namespace examphoto
