// Validation and masking of the personal data that the roster holds: mobile numbers and the
// masks used whenever phone or ID numbers are written to a log or shown to staff who may
// not see them in full.
#pragma once

#include <string>
#include <string_view>

namespace examphoto {

// A mainland China mobile number: 11 digits starting with 1 and a second digit 3–9. Accepts
// an optional "+86" or "86" prefix and spaces or dashes, which `NormalizePhone` removes.
bool IsValidMobilePhone(std::string_view normalized);
std::string NormalizePhone(std::string_view text);

// "13812341234" -> "138****1234". Anything that is not 11 characters is masked whole.
std::string MaskPhone(std::string_view phone);

// "11010119900307123X" -> "110101********123X" (region kept, birth date and sequence hidden).
std::string MaskIdNumber(std::string_view id_number);

// "张三丰" -> "张**": first character kept (UTF-8 aware).
std::string MaskName(std::string_view name);

}  // namespace examphoto
