// Scores an expected string against what the recogniser saw on a line: the best CTC
// alignment (Viterbi) of the expected characters over the line's output frames, next to the
// best unconstrained path (the greedy reading). The difference says how much less likely the
// expected string is than the free reading: about 0 when they agree, large when the line
// clearly shows something else. A character the recogniser cannot output at all (outside its
// 6,623-character list) fits only where the recogniser is unsure (UnknownCharacterScore).
// Pure functions over TextLine::frames.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "idcard/character_set.h"
#include "idcard/text_line.h"

namespace examphoto {

// A label for a character outside the recogniser's alphabet.
inline constexpr int kAnyCharacter = -1;

// The probability of `class_index` in one frame; classes not kept in the frame's top list
// get at most the smallest kept probability (never more than `rest`).
double FrameProbability(const FramePosteriors& frame, int class_index);

struct CtcAlignment {
  bool possible = false;                 // false: the labels need more frames than the range has
  double log_probability = 0;            // of the best alignment of the labels
  double best_path_log_probability = 0;  // of the best path over the same frames, any labels
  // For each label: its best frame and its log probability there.
  std::vector<int> frames;
  std::vector<double> character_log_probability;
  int unknown_characters = 0;  // kAnyCharacter labels

  // How much less likely the labels are than the free reading (natural log, ≥ 0).
  double Deficit() const { return best_path_log_probability - log_probability; }
};

// How a character outside the alphabet (kAnyCharacter) is scored on a frame.
enum class UnknownCharacterScore {
  // As the frame's best class, the blank included: whatever the recogniser saw there, or
  // nothing, it may be the unknown character (evidence about the other characters only).
  kAnyCharacter,
  // As the non-blank probability that no single known character claims: an unknown character
  // only fits where the recogniser is unsure what it sees, not over a confident 佩 (珮).
  kUnclaimed,
};

// Aligns `labels` (classes; kAnyCharacter allowed) over frames [first_frame, end_frame).
CtcAlignment AlignLabels(std::span<const FramePosteriors> frames, int first_frame, int end_frame,
                         std::span<const int> labels,
                         UnknownCharacterScore unknown = UnknownCharacterScore::kUnclaimed);

// The labels of `text` (spaces dropped; characters outside the alphabet become kAnyCharacter).
std::vector<int> LabelsOf(std::string_view text, const CharacterSet& characters);

}  // namespace examphoto
