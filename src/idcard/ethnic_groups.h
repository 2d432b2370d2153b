// The 56 ethnic groups as printed in the 民族 field of a resident ID card (without the
// trailing 族). The OCR treats the field as a closed list and snaps its reading to one of them.
#pragma once

#include <span>
#include <string_view>

namespace examphoto {

std::span<const std::string_view> EthnicGroupNames();

bool IsEthnicGroupName(std::string_view name);

}  // namespace examphoto
