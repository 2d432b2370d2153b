// The 56 ethnic groups as printed in the 民族 field of a resident ID card (without the
// trailing 族). The OCR treats the field as a closed list and snaps its reading to one of them.
#pragma once

#include <span>
#include <string_view>

namespace examphoto {

std::span<const std::string_view> EthnicGroupNames();

bool IsEthnicGroupName(std::string_view name);

// The character the recogniser reads in place of one of the groups' characters that its
// alphabet lacks, or an empty view: 仫 (仫佬) is read as its right part, 么. Without it the
// missing character would fit wherever the recogniser is unsure, and a 仡佬 card, whose 仡
// the recogniser reads as 亿 or drops, snapped to 仫佬.
std::string_view EthnicGroupCharacterStandIn(std::string_view character);

}  // namespace examphoto
