#include "idcard/card_fields.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>
#include <string_view>

#include "domain/id_number.h"
#include "domain/utf8.h"
#include "idcard/card_layout.h"

namespace examphoto {
namespace {

namespace layout = card_layout;

// A label word and where card_layout.h prints it: character i is centred at
// x_mm + i * step_mm + size_mm / 2, about 0.38 em above the baseline.
struct LabelSpec {  // NOLINT(clang-analyzer-optin.performance.Padding): a small table
  std::string_view key;
  std::string_view text;
  CardSide side;
  double x_mm, baseline_mm, size_mm, step_mm;
  int max_substitutions;
};

constexpr double kTitleStep7 =
    (layout::kTitleRightMm - layout::kTitleXMm - layout::kTitleSizeMm) / 6;
constexpr double kTitleStep5 =
    (layout::kTitleRightMm - layout::kTitleXMm - layout::kCardNameSizeMm) / 4;
constexpr double kLabelStep = layout::kLabelSizeMm + 1.2;
constexpr double kWideLabelStep = layout::kLabelSizeMm + 0.3;
// How far a line may leave its row per unit of its length (a card at an angle seen in
// perspective: up to about 6° between a line and the row of its label).
constexpr double kRowDrift = 0.1;

constexpr LabelSpec kLabels[] = {
    {"name", "姓名", CardSide::kPortrait, layout::kLabelXMm, layout::kNameBaselineMm,
     layout::kLabelSizeMm, kLabelStep, 1},
    {"sex", "性别", CardSide::kPortrait, layout::kLabelXMm, layout::kSexBaselineMm,
     layout::kLabelSizeMm, kLabelStep, 1},
    {"ethnicity", "民族", CardSide::kPortrait, layout::kEthnicityLabelXMm, layout::kSexBaselineMm,
     layout::kLabelSizeMm, kLabelStep, 1},
    {"birth_date", "出生", CardSide::kPortrait, layout::kLabelXMm, layout::kBirthBaselineMm,
     layout::kLabelSizeMm, kLabelStep, 1},
    {"address", "住址", CardSide::kPortrait, layout::kLabelXMm, layout::kAddressBaselineMm,
     layout::kLabelSizeMm, kLabelStep, 1},
    {"id_number", "公民身份号码", CardSide::kPortrait, layout::kLabelXMm,
     layout::kNumberLabelBaselineMm, layout::kLabelSizeMm, kWideLabelStep, 2},
    {"authority", "签发机关", CardSide::kEmblem, layout::kEmblemLabelXMm,
     layout::kAuthorityBaselineMm, layout::kLabelSizeMm, kWideLabelStep, 1},
    {"validity", "有效期限", CardSide::kEmblem, layout::kEmblemLabelXMm,
     layout::kValidityBaselineMm, layout::kLabelSizeMm, kWideLabelStep, 1},
    {"title", "中华人民共和国", CardSide::kEmblem, layout::kTitleXMm, layout::kTitleBaselineMm,
     layout::kTitleSizeMm, kTitleStep7, 2},
    {"card_name", "居民身份证", CardSide::kEmblem, layout::kTitleXMm, layout::kCardNameBaselineMm,
     layout::kCardNameSizeMm, kTitleStep5, 1},
};

cv::Point2d LabelCharacterMm(const LabelSpec& label, int i) {
  return {label.x_mm + i * label.step_mm + label.size_mm / 2,
          label.baseline_mm - 0.38 * label.size_mm};
}

// A character of a line placed in the reading frame: u along the text, v down the card.
struct Placed {
  int line = 0;
  int index = 0;  // in the line's characters
  double u = 0, v = 0;
  cv::Point2f photo;
};

struct FoundLabel {
  const LabelSpec* spec = nullptr;
  int line = -1;
  int first_char = 0;  // of the label in the line
  int last_char = 0;
  int substitutions = 0;
  double u_end = 0, v = 0;  // end of the label's last character; its row
};

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

bool IsDigitOrX(const std::string& c) {
  return c.size() == 1 && ((c[0] >= '0' && c[0] <= '9') || c[0] == 'X' || c[0] == 'x');
}
bool IsDigit(const std::string& c) { return c.size() == 1 && c[0] >= '0' && c[0] <= '9'; }

}  // namespace

bool IsIdeograph(std::string_view c) {
  if (c.size() != 3) return false;
  const auto a = static_cast<unsigned char>(c[0]), b = static_cast<unsigned char>(c[1]),
             d = static_cast<unsigned char>(c[2]);
  const unsigned code = ((a & 0x0Fu) << 12) | ((b & 0x3Fu) << 6) | (d & 0x3Fu);
  return code >= 0x3400 && code <= 0x9FFF;
}

bool IsRadicalFragment(std::string_view character) {
  static constexpr std::string_view kFragments[] = {
      "亻", "氵", "扌", "犭", "纟", "讠", "钅", "阝", "刂", "卩", "冫", "彳", "忄", "艹", "宀",
      "礻", "衤", "饣", "丬", "攵", "夂", "廴", "辶", "丨", "丶", "丿", "乚", "亅", "彡", "灬",
      "爫", "糹", "釒", "訁", "巛", "匚", "冖", "勹", "亠", "疒", "癶", "罒", "虍", "耂", "覀"};
  return std::find(std::begin(kFragments), std::end(kFragments), character) != std::end(kFragments);
}

cv::Point2f CardToPhoto(const cv::Matx33d& h, cv::Point2f p) {
  const cv::Vec3d q = h * cv::Vec3d(p.x, p.y, 1.0);
  return {static_cast<float>(q[0] / q[2]), static_cast<float>(q[1] / q[2])};
}

CardTextLayout LayOutCardText(const std::vector<TextLine>& lines, cv::Point2f direction) {
  CardTextLayout result;
  if (lines.empty()) return result;
  const cv::Point2f down(-direction.y, direction.x);
  std::vector<std::vector<std::string>> texts;
  std::vector<std::vector<Placed>> placed(lines.size());
  std::vector<double> heights;
  for (size_t l = 0; l < lines.size(); ++l) {
    const TextLine& line = lines[l];
    heights.push_back(line.Height());
    std::vector<std::string> characters;
    for (size_t i = 0; i < line.characters.size(); ++i) {
      characters.push_back(line.characters[i].text);
      const cv::Point2f p = line.CharacterCenter(line.characters[i]);
      placed[l].push_back(
          {static_cast<int>(l), static_cast<int>(i), p.dot(direction), p.dot(down), p});
    }
    texts.push_back(std::move(characters));
  }
  result.text_height_px = Median(heights);

  // Label words: the best occurrence of each (fewest substitutions, then most likely).
  std::map<std::string_view, FoundLabel> labels;
  // Positions of the characters that are not gaps, per line: labels are matched on them.
  std::vector<std::vector<int>> solid(lines.size());
  for (size_t l = 0; l < lines.size(); ++l) {
    for (int i = 0; i < static_cast<int>(texts[l].size()); ++i) {
      if (texts[l][i] != " ") solid[l].push_back(i);
    }
  }
  for (const LabelSpec& spec : kLabels) {
    const std::vector<std::string> want = SplitUtf8(spec.text);
    const int k = static_cast<int>(want.size());
    FoundLabel best;
    int best_last = 0;
    double best_probability = -1;
    for (size_t l = 0; l < lines.size(); ++l) {
      const auto& have = texts[l];
      const auto& at = solid[l];
      for (int start = 0; start + k <= static_cast<int>(at.size()); ++start) {
        int substitutions = 0;
        double probability = 0;
        for (int i = 0; i < k; ++i) {
          substitutions += have[at[start + i]] != want[i];
          probability += lines[l].characters[at[start + i]].probability;
        }
        // A two-character label read with one character wrong counts only at the start
        // of a line, where labels are.
        const int allowed = k == 2 && start > 0 ? 0 : spec.max_substitutions;
        if (substitutions > allowed) continue;
        if (best.line < 0 || substitutions < best.substitutions ||
            (substitutions == best.substitutions && probability > best_probability)) {
          best.spec = &spec;
          best.line = static_cast<int>(l);
          best.first_char = at[start];
          best_last = at[start + k - 1];
          best.substitutions = substitutions;
          best_probability = probability;
        }
      }
    }
    if (best.line < 0) continue;
    const Placed& last = placed[best.line][best_last];
    const Placed& first = placed[best.line][best.first_char];
    const double character_px =
        k > 1 ? (last.u - first.u) / (k - 1) : lines[best.line].Height() * 0.6;
    best.last_char = best_last;
    best.u_end =
        last.u + 0.5 * std::abs(character_px) * spec.size_mm / std::max(spec.size_mm, spec.step_mm);
    best.v = (first.v + last.v) / 2;
    labels[spec.key] = best;
    (spec.side == CardSide::kPortrait ? result.portrait_labels : result.emblem_labels)++;
  }
  if (result.portrait_labels == 0 && result.emblem_labels == 0) return result;
  // The side with more labels; on a tie, the one with more read exactly (居民身份证 read as
  // 居民 and 民身份证 beside 签发机关: 民身 passes for 民族 with one character wrong).
  int portrait_exact = 0, emblem_exact = 0;
  for (const auto& [key, found] : labels) {
    if (found.substitutions == 0) {
      ++(found.spec->side == CardSide::kPortrait ? portrait_exact : emblem_exact);
    }
  }
  const CardSide side =
      result.portrait_labels > result.emblem_labels ||
              (result.portrait_labels == result.emblem_labels && portrait_exact >= emblem_exact)
          ? CardSide::kPortrait
          : CardSide::kEmblem;
  result.side = side;

  // Fit card millimetres to the reading frame (one scale, a shift): from every label
  // character read exactly.
  std::vector<cv::Point2d> mm, uv;
  std::vector<cv::Point2f> photo_points, mm_points;
  for (const auto& [key, found] : labels) {
    if (found.spec->side != side) continue;
    const std::vector<std::string> want = SplitUtf8(found.spec->text);
    int i = -1;
    for (int index = found.first_char; index <= found.last_char; ++index) {
      if (texts[found.line][index] == " ") continue;
      ++i;
      if (texts[found.line][index] != want[i]) continue;
      const Placed& p = placed[found.line][index];
      const cv::Point2d m = LabelCharacterMm(*found.spec, i);
      mm.push_back(m);
      uv.emplace_back(p.u, p.v);
      mm_points.emplace_back(static_cast<float>(m.x), static_cast<float>(m.y));
      photo_points.push_back(p.photo);
    }
  }
  result.anchors = static_cast<int>(mm.size());
  double scale = 0, shift_u = 0, shift_v = 0;
  bool fitted = false;
  if (mm.size() >= 2) {
    cv::Point2d mean_mm, mean_uv;
    for (size_t i = 0; i < mm.size(); ++i) {
      mean_mm += mm[i];
      mean_uv += uv[i];
    }
    mean_mm *= 1.0 / mm.size();
    mean_uv *= 1.0 / mm.size();
    double numerator = 0, denominator = 0;
    for (size_t i = 0; i < mm.size(); ++i) {
      const cv::Point2d a = mm[i] - mean_mm, b = uv[i] - mean_uv;
      numerator += a.x * b.x + a.y * b.y;
      denominator += a.x * a.x + a.y * a.y;
    }
    if (denominator > 4.0 && numerator > 0) {  // anchors spread over more than ~2 mm
      scale = numerator / denominator;
      shift_u = mean_uv.x - scale * mean_mm.x;
      shift_v = mean_uv.y - scale * mean_mm.y;
      fitted = true;
      double error = 0;
      for (size_t i = 0; i < mm.size(); ++i) {
        error +=
            std::hypot(scale * mm[i].x + shift_u - uv[i].x, scale * mm[i].y + shift_v - uv[i].y) /
            scale;
      }
      result.fit_error_mm = error / mm.size();
    }
  }
  if (fitted) {
    // Perspective from the anchors when they span both directions; else the similarity.
    bool spread = false;
    if (mm_points.size() >= 6) {
      const cv::Rect2f box = cv::boundingRect(mm_points);
      spread = box.width > 20 && box.height > 15;
    }
    cv::Mat homography;
    if (spread) homography = cv::findHomography(mm_points, photo_points, cv::LMEDS);
    if (!homography.empty() && !PlausibleCardPerspective(cv::Matx33d(homography))) {
      homography.release();
    }
    if (!homography.empty()) {
      result.card_to_photo = cv::Matx33d(homography);
    } else {
      // photo = u * direction + v * down, with u = scale x + shift_u, v = scale y + shift_v.
      result.card_to_photo = cv::Matx33d(
          scale * direction.x, scale * down.x, shift_u * direction.x + shift_v * down.x,
          scale * direction.y, scale * down.y, shift_u * direction.y + shift_v * down.y, 0, 0, 1);
    }
  }

  // Rows and value regions, from the labels where read, else from the fit.
  const double row_tolerance = fitted ? scale * 2.4 : result.text_height_px * 0.45;
  auto row_of = [&](std::string_view key) -> std::optional<double> {
    if (auto it = labels.find(key); it != labels.end()) return it->second.v;
    for (const LabelSpec& spec : kLabels) {
      if (spec.key == key && fitted) return scale * LabelCharacterMm(spec, 0).y + shift_v;
    }
    return std::nullopt;
  };
  auto value_start = [&](std::string_view key) -> std::optional<double> {
    if (auto it = labels.find(key); it != labels.end()) return it->second.u_end;
    for (const LabelSpec& spec : kLabels) {
      if (spec.key != key || !fitted) continue;
      const int k = static_cast<int>(SplitUtf8(spec.text).size());
      return scale * (spec.x_mm + (k - 1) * spec.step_mm + spec.size_mm) + shift_u;
    }
    return std::nullopt;
  };
  // Right edge of the values: the printed photo on the portrait side, the card elsewhere.
  const double right_edge =
      fitted ? scale * (side == CardSide::kPortrait ? layout::kPhoto.x - 1.5 : layout::kWidthMm) +
                   shift_u
             : 1e18;
  // Characters of label words are never values.
  std::vector<std::vector<bool>> is_label(lines.size());
  for (size_t l = 0; l < lines.size(); ++l) is_label[l].assign(lines[l].characters.size(), false);
  for (const auto& [key, found] : labels) {
    for (int i = found.first_char; i <= found.last_char; ++i) is_label[found.line][i] = true;
  }

  // The characters between u_low and u_high on the rows from v_low to v_high. A line with a
  // character there brings the rest of its characters too, up to `slack` beyond those rows
  // and a further kRowDrift per unit of length away from its characters on them: in
  // perspective a long line (the number, the validity) drifts off its label's row.
  auto collect = [&](double v_low, double v_high, double u_low, double u_high, double slack) {
    std::vector<const Placed*> chosen;
    for (const auto& line : placed) {
      double on_first = 1e18, on_last = -1e18;  // along the line, its characters on the rows
      for (const Placed& p : line) {
        if (!is_label[p.line][p.index] && p.v >= v_low && p.v <= v_high && p.u >= u_low &&
            p.u <= u_high) {
          on_first = std::min(on_first, p.u);
          on_last = std::max(on_last, p.u);
        }
      }
      if (on_first > on_last) continue;
      for (const Placed& p : line) {
        if (is_label[p.line][p.index]) continue;
        if (lines[p.line].characters[p.index].text == " ") continue;  // gaps, not characters
        const double away = std::max({0.0, on_first - p.u, p.u - on_last});
        const double drift = slack + kRowDrift * away;
        if (p.v < v_low - drift || p.v > v_high + drift || p.u < u_low || p.u > u_high) continue;
        chosen.push_back(&p);
      }
    }
    // Overlapping boxes read the same character twice: keep the likelier reading.
    const double same_place = result.text_height_px * 0.35;
    std::vector<const Placed*> kept;
    for (const Placed* p : chosen) {
      bool duplicate = false;
      for (const Placed*& q : kept) {
        if (q->line == p->line || cv::norm(q->photo - p->photo) > same_place) continue;
        duplicate = true;
        if (lines[p->line].characters[p->index].probability >
            lines[q->line].characters[q->index].probability) {
          q = p;
        }
        break;
      }
      if (!duplicate) kept.push_back(p);
    }
    return kept;
  };
  auto make_field = [&](std::vector<const Placed*> chosen, double row_pitch) {
    // Rows top to bottom, then along the text.
    std::sort(chosen.begin(), chosen.end(),
              [](const Placed* a, const Placed* b) { return a->v < b->v; });
    std::vector<std::vector<const Placed*>> rows;
    for (const Placed* p : chosen) {
      if (rows.empty() || p->v - rows.back().back()->v > row_pitch * 0.5) rows.emplace_back();
      rows.back().push_back(p);
    }
    FieldReading field;
    for (auto& row : rows) {
      std::sort(row.begin(), row.end(),
                [](const Placed* a, const Placed* b) { return a->u < b->u; });
      for (const Placed* p : row) {
        const TextLine& line = lines[p->line];
        const RecognizedCharacter& c = line.characters[p->index];
        field.text += c.text;
        field.character_probabilities.push_back(c.probability);
        FieldSource* source = field.sources.empty() ? nullptr : &field.sources.back();
        if (source && source->line == p->line && source->end_char == p->index) {
          source->end_char = p->index + 1;
        } else {
          field.sources.push_back({p->line, p->index, p->index + 1, 0, 0});
        }
      }
    }
    for (FieldSource& source : field.sources) {
      const TextLine& line = lines[source.line];
      source.first_frame =
          source.first_char > 0 ? line.characters[source.first_char - 1].last_frame + 1 : 0;
      source.end_frame = source.end_char < static_cast<int>(line.characters.size())
                             ? line.characters[source.end_char].first_frame
                             : static_cast<int>(line.frames.size());
    }
    field.confidence = 1.0;
    for (float p : field.character_probabilities)
      field.confidence = std::min<double>(field.confidence, p);
    if (field.text.empty()) field.confidence = 0;
    return field;
  };
  const double pitch = fitted ? scale * 6.2 : result.text_height_px;
  auto row_field = [&](std::string_view key, std::optional<double> u_limit = std::nullopt) {
    const auto v = row_of(key);
    const auto u = value_start(key);
    if (!v || !u) return FieldReading{};
    return make_field(collect(*v - row_tolerance, *v + row_tolerance, *u,
                              std::min(right_edge, u_limit.value_or(1e18)), row_tolerance),
                      pitch);
  };

  auto& fields = result.fields;
  if (side == CardSide::kPortrait) {
    std::optional<double> ethnicity_label;
    if (auto it = labels.find("ethnicity"); it != labels.end()) {
      const FoundLabel& found = it->second;
      ethnicity_label = placed[found.line][found.first_char].u - result.text_height_px * 0.3;
    } else if (fitted) {
      ethnicity_label = scale * (layout::kEthnicityLabelXMm - 0.5) + shift_u;
    }
    fields["name"] = row_field("name");
    // Names are printed from the value column at one character per em: a read character
    // that starts well after that column, or a wide gap between two, means a character the
    // recogniser left out (a surname missed, a rare character dropped).
    if (FieldReading& name = fields["name"]; fitted && !name.sources.empty()) {
      const double em = scale * layout::kValueSizeMm;
      double expected = scale * (layout::kValueXMm + layout::kValueSizeMm / 2) + shift_u;
      for (const FieldSource& source : name.sources) {
        for (int i = source.first_char; i < source.end_char; ++i) {
          const double u = placed[source.line][i].u;
          if (u - expected > 0.75 * em) name.doubts.emplace_back("gap");
          expected = u + em;
        }
      }
    }
    fields["sex"] = row_field("sex", ethnicity_label);
    fields["ethnicity"] = row_field("ethnicity");
    // A value the recogniser left blank on its label's line (a rare group such as 傈僳): the
    // frames after the label, for the list of the 56 to be aligned against.
    if (auto it = labels.find("ethnicity");
        it != labels.end() && fields["ethnicity"].sources.empty()) {
      const FoundLabel& found = it->second;
      const TextLine& line = lines[found.line];
      const int next = found.last_char + 1;
      const int first_frame = line.characters[found.last_char].last_frame + 1;
      const int end_frame = next < static_cast<int>(line.characters.size())
                                ? line.characters[next].first_frame
                                : line.content_frames;
      if (end_frame - first_frame >= 4) {
        fields["ethnicity"].sources.push_back({found.line, next, next, first_frame, end_frame});
      }
    }
    fields["birth_date"] = row_field("birth_date");
    // The number runs under the photo, to the card's edge.
    if (const auto v = row_of("id_number"); v) {
      const auto u = value_start("id_number");
      fields["id_number"] = make_field(
          collect(*v - row_tolerance, *v + row_tolerance, u.value_or(-1e18), 1e18, row_tolerance),
          pitch);
    }
    // The address: its label's row down to the row above the number, without the number's
    // own line (in steep perspective its start rises into the address's rows).
    const auto address_v = row_of("address");
    const auto address_u = value_start("address");
    const auto number_v = row_of("id_number");
    if (address_v && address_u) {
      const double bottom = number_v
                                ? *number_v - row_tolerance
                                : *address_v + (fitted ? scale * layout::kAddressLineStepMm * 3.5
                                                       : result.text_height_px * 4);
      std::vector<const Placed*> chosen =
          collect(*address_v - row_tolerance, bottom, *address_u - result.text_height_px * 0.2,
                  right_edge, 0);
      const std::vector<FieldSource>& number_sources = fields["id_number"].sources;
      std::erase_if(chosen, [&](const Placed* p) {
        return std::any_of(number_sources.begin(), number_sources.end(),
                           [&](const FieldSource& source) { return source.line == p->line; });
      });
      fields["address"] =
          make_field(chosen, fitted ? scale * layout::kAddressLineStepMm : result.text_height_px);
    }
  } else {
    fields["authority"] = row_field("authority");
    FieldReading validity = row_field("validity");
    fields["valid_from"] = validity;
    fields["valid_to"] = validity;
  }

  // A value starts right after its label: a first character the recogniser doubts (under
  // 0.5) there is a remnant of the label or of the background, not part of the value. It may
  // also be the value's own first character read poorly (黄 of 黄雨): the value without it is
  // no surer than the chance that it was a remnant.
  for (auto& [key, field] : fields) {
    double remnant = 1.0;
    // The number is printed far from its label: a doubtful first digit is the number's own.
    while (key != "id_number" && field.character_probabilities.size() > 1 &&
           field.character_probabilities.front() < 0.5 && !field.sources.empty()) {
      remnant = std::min(remnant, 1.0 - field.character_probabilities.front());
      FieldSource& first = field.sources.front();
      if (field.remnant_first_frame < 0) field.remnant_first_frame = first.first_frame;
      const std::string dropped = lines[first.line].characters[first.first_char].text;
      field.text.erase(0, dropped.size());
      field.character_probabilities.erase(field.character_probabilities.begin());
      first.first_frame = lines[first.line].characters[first.first_char].last_frame + 1;
      if (++first.first_char == first.end_char) {
        field.sources.erase(field.sources.begin());
        field.remnant_first_frame = -1;  // the remnant was that source's own line
      }
    }
    if (key == "sex") {
      // One of 男 / 女 among noise: the character itself.
      std::string found;
      float probability = 0;
      int count = 0;
      const std::vector<std::string> characters = SplitUtf8(field.text);
      for (size_t i = 0; i < characters.size() && i < field.character_probabilities.size(); ++i) {
        if (characters[i] == "男" || characters[i] == "女") {
          found = characters[i];
          probability = field.character_probabilities[i];
          ++count;
        }
      }
      if (count == 1) {
        field.text = found;
        field.character_probabilities = {probability};
      }
    }
    field.confidence = field.text.empty() ? 0.0 : remnant;
    for (float p : field.character_probabilities)
      field.confidence = std::min<double>(field.confidence, p);
  }

  // Normalise each field's text and judge its form.
  auto doubt = [](FieldReading& field, const char* why) {
    field.doubts.emplace_back(why);
    field.confidence = 0;
  };
  for (auto& [key, field] : fields) {
    std::vector<std::string> characters = SplitUtf8(field.text);
    if (key == "name" || key == "address" || key == "authority" || key == "ethnicity") {
      for (const std::string& c : characters) {
        if (IsRadicalFragment(c)) {
          doubt(field, "fragment");
          break;
        }
      }
    }
    if (characters.empty()) doubt(field, "missing");
    // Names have two characters or more: one alone lost the rest (谢 of 谢一一, whose
    // single strokes the detector can miss).
    if (key == "name" && characters.size() == 1) doubt(field, "short");
  }
  if (side == CardSide::kPortrait) {
    if (auto& field = fields["id_number"]; !field.text.empty()) {
      std::string number;
      for (const std::string& c : SplitUtf8(field.text)) {
        if (IsDigitOrX(c)) number += c == "x" ? "X" : c;
      }
      field.text = number;
      if (number.size() != 18) doubt(field, "format");
    }
    if (auto& field = fields["sex"];
        !field.text.empty() && field.text != "男" && field.text != "女") {
      doubt(field, "format");
    }
    if (auto& field = fields["birth_date"]; !field.text.empty()) {
      // Digits in three groups: year 年 month 月 day 日.
      std::vector<std::string> groups(1);
      for (const std::string& c : SplitUtf8(field.text)) {
        if (IsDigit(c)) {
          groups.back() += c;
        } else if (!groups.back().empty()) {
          groups.emplace_back();
        }
      }
      if (groups.back().empty()) groups.pop_back();
      char iso[16] = "";
      if (groups.size() == 3 && groups[0].size() == 4 && groups[1].size() <= 2 &&
          groups[2].size() <= 2 && !groups[1].empty() && !groups[2].empty()) {
        const int y = std::stoi(groups[0]), m = std::stoi(groups[1]), d = std::stoi(groups[2]);
        if (IsValidCalendarDate(y, m, d)) std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
      }
      field.text = iso;
      if (field.text.empty()) doubt(field, "format");
    }
  } else if (fields.count("valid_from")) {
    // "2015.03.01-2035.03.01" or "2015.03.01-长期".
    FieldReading& from = fields["valid_from"];
    FieldReading& to = fields["valid_to"];
    const std::string text = from.text;
    std::string digits;
    for (const std::string& c : SplitUtf8(text)) {
      if (IsDigit(c)) digits += c;
    }
    const bool long_term = text.find("长期") != std::string::npos;
    auto iso = [](std::string_view d) {
      const int y = std::stoi(std::string(d.substr(0, 4))),
                m = std::stoi(std::string(d.substr(4, 2))),
                day = std::stoi(std::string(d.substr(6, 2)));
      if (!IsValidCalendarDate(y, m, day)) return std::string();
      char out[16];
      std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, day);
      return std::string(out);
    };
    from.text.clear();
    to.text.clear();
    if (digits.size() >= 8) from.text = iso(std::string_view(digits).substr(0, 8));
    if (long_term && digits.size() == 8) {
      to.text = "长期";
    } else if (!long_term && digits.size() == 16) {
      to.text = iso(std::string_view(digits).substr(8, 8));
    }
    if (from.text.empty()) doubt(from, "format");
    if (to.text.empty()) doubt(to, "format");
  }
  for (auto& [key, field] : fields) {
    if (key == "name" || key == "address" || key == "authority") {
      // Printed values are ideographs (and digits in addresses); other symbols are noise
      // from the background.
      const std::vector<std::string> characters = SplitUtf8(field.text);
      const bool aligned = characters.size() == field.character_probabilities.size();
      std::vector<std::string> kept;
      std::vector<float> probabilities;
      for (size_t i = 0; i < characters.size(); ++i) {
        const std::string& c = characters[i];
        if (IsIdeograph(c) || (key == "address" && (IsDigit(c) || c == "-")) || c == "·") {
          kept.push_back(c);
          if (aligned) probabilities.push_back(field.character_probabilities[i]);
        }
      }
      // No address starts with 址: it is the label's (住址 read as one line with the value,
      // its 住 lost or read as the label).
      size_t label = 0;
      if (key == "address" && kept.size() > 2) {
        if (kept[0] == "住" && kept[1] == "址") label = 2;
        if (kept[0] == "址") label = 1;
      }
      field.text.clear();
      for (size_t i = label; i < kept.size(); ++i) field.text += kept[i];
      if (aligned) {
        field.character_probabilities.assign(probabilities.begin() + static_cast<long>(label),
                                             probabilities.end());
      }
    }
  }
  return result;
}

bool PlausibleCardPerspective(const cv::Matx33d& card_to_photo) {
  const double w = layout::kWidthMm, h = layout::kHeightMm;
  std::array<cv::Point2d, 4> c;
  const std::array<cv::Point2d, 4> mm = {cv::Point2d(0, 0), cv::Point2d(w, 0), cv::Point2d(w, h),
                                         cv::Point2d(0, h)};
  for (int i = 0; i < 4; ++i) {
    const cv::Vec3d p = card_to_photo * cv::Vec3d(mm[i].x, mm[i].y, 1);
    if (p[2] <= 0) return false;  // a corner behind the camera
    c[i] = {p[0] / p[2], p[1] / p[2]};
  }
  const auto ratio = [](double a, double b) {
    return std::max(a, b) / std::max(1e-9, std::min(a, b));
  };
  constexpr double kLargestSideRatio = 1.8;
  return ratio(cv::norm(c[0] - c[3]), cv::norm(c[1] - c[2])) <= kLargestSideRatio &&
         ratio(cv::norm(c[0] - c[1]), cv::norm(c[3] - c[2])) <= kLargestSideRatio;
}

}  // namespace examphoto
