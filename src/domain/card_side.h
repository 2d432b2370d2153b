// The two sides of a second-generation resident ID card: 人像面 (photo, name, number) and
// 国徽面 (emblem, issuing authority, validity period).
#pragma once

#include <string_view>

namespace examphoto {

enum class CardSide { kPortrait, kEmblem };

inline std::string_view ToString(CardSide side) {
  return side == CardSide::kPortrait ? "portrait" : "emblem";
}

}  // namespace examphoto
