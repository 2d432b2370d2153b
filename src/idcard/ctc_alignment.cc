#include "idcard/ctc_alignment.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "domain/utf8.h"

namespace examphoto {
namespace {

constexpr double kNegativeInfinity = -std::numeric_limits<double>::infinity();
constexpr double kFloor = 1e-9;  // keeps a log finite for a class the model rules out

double Log(double p) { return std::log(std::max(p, kFloor)); }

double BestNonBlank(const FramePosteriors& frame) {
  for (const auto& [index, probability] : frame.top) {
    if (index != CharacterSet::kBlank) return probability;
  }
  return frame.rest;
}

double EmissionOf(const FramePosteriors& frame, int label, UnknownCharacterScore unknown) {
  if (label != kAnyCharacter) return FrameProbability(frame, label);
  const double best = BestNonBlank(frame);
  // The recogniser may also leave a character it does not know blank.
  if (unknown == UnknownCharacterScore::kAnyCharacter) {
    return std::max(best, FrameProbability(frame, CharacterSet::kBlank));
  }
  return std::max(0.0, 1.0 - FrameProbability(frame, CharacterSet::kBlank) - best);
}

}  // namespace

double FrameProbability(const FramePosteriors& frame, int class_index) {
  float smallest = 1.0f;
  for (const auto& [index, probability] : frame.top) {
    if (index == class_index) return probability;
    smallest = std::min(smallest, probability);
  }
  return std::min(smallest, frame.rest);
}

std::vector<int> LabelsOf(std::string_view text, const CharacterSet& characters) {
  std::vector<int> labels;
  for (const std::string& character : SplitUtf8(text)) {
    if (character == " " || character == "\xE3\x80\x80") continue;
    const auto index = characters.ClassOf(character);
    labels.push_back(index ? *index : kAnyCharacter);
  }
  return labels;
}

CtcAlignment AlignLabels(std::span<const FramePosteriors> frames, int first_frame, int end_frame,
                         std::span<const int> labels, UnknownCharacterScore unknown) {
  auto Emission = [unknown](const FramePosteriors& frame, int label) {
    return EmissionOf(frame, label, unknown);
  };
  CtcAlignment result;
  first_frame = std::max(0, first_frame);
  end_frame = std::min<int>(end_frame, static_cast<int>(frames.size()));
  const int count = end_frame - first_frame;
  for (int label : labels) result.unknown_characters += label == kAnyCharacter;
  if (count <= 0) return result;
  for (int t = first_frame; t < end_frame; ++t) {
    const FramePosteriors& frame = frames[t];
    double best = frame.rest;
    for (const auto& entry : frame.top) best = std::max<double>(best, entry.second);
    result.best_path_log_probability += Log(best);
  }
  // Viterbi over the extended sequence blank, l1, blank, l2, ..., blank.
  const int states = 2 * static_cast<int>(labels.size()) + 1;
  auto label_of = [&](int s) { return s % 2 == 0 ? CharacterSet::kBlank : labels[s / 2]; };
  std::vector<double> score(states, kNegativeInfinity), next(states);
  std::vector<std::vector<int>> from(count, std::vector<int>(states, -1));
  score[0] = Log(Emission(frames[first_frame], label_of(0)));
  if (states > 1) score[1] = Log(Emission(frames[first_frame], label_of(1)));
  for (int t = 1; t < count; ++t) {
    const FramePosteriors& frame = frames[first_frame + t];
    for (int s = 0; s < states; ++s) {
      double best = score[s];
      int origin = s;
      if (s >= 1 && score[s - 1] > best) {
        best = score[s - 1];
        origin = s - 1;
      }
      // Skipping a blank is allowed between two different labels (or any label next to an
      // unknown one: it may stand for a different character).
      if (s >= 2 && s % 2 == 1 &&
          (label_of(s) != label_of(s - 2) || label_of(s) == kAnyCharacter) && score[s - 2] > best) {
        best = score[s - 2];
        origin = s - 2;
      }
      next[s] = best == kNegativeInfinity ? best : best + Log(Emission(frame, label_of(s)));
      from[t][s] = origin;
    }
    score.swap(next);
  }
  int state = states - 1;
  if (states > 1 && score[states - 2] > score[state]) state = states - 2;
  if (score[state] == kNegativeInfinity) return result;
  result.possible = true;
  result.log_probability = score[state];
  result.frames.assign(labels.size(), -1);
  result.character_log_probability.assign(labels.size(), kNegativeInfinity);
  for (int t = count - 1; t >= 0; --t) {
    if (state % 2 == 1) {
      const int k = state / 2;
      const double here = Log(Emission(frames[first_frame + t], labels[k]));
      if (here >= result.character_log_probability[k]) {
        result.character_log_probability[k] = here;
        result.frames[k] = first_frame + t;
      }
    }
    if (t > 0) state = from[t][state];
  }
  return result;
}

}  // namespace examphoto
