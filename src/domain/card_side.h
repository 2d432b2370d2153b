// The two sides of a second-generation resident ID card: 人像面 (photo, name, number) and
// 国徽面 (emblem, issuing authority, validity period).
#pragma once

#include <optional>
#include <string_view>

namespace examphoto {

enum class CardSide { kPortrait, kEmblem };

inline std::string_view ToString(CardSide side) {
  return side == CardSide::kPortrait ? "portrait" : "emblem";
}

// "portrait" / "emblem" (the names ToString gives); nullopt for anything else.
inline std::optional<CardSide> ParseCardSide(std::string_view text) {
  if (text == "portrait") return CardSide::kPortrait;
  if (text == "emblem") return CardSide::kEmblem;
  return std::nullopt;
}

}  // namespace examphoto
