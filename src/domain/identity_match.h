// Compares the name and ID number read from the card with the registration record (seed
// guide FAQ 一): the fields that differ are shown to the candidate in red.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace examphoto {

// "name" and/or "id_number", in that order; empty when both agree. Names are compared
// after removing spaces (OCR and Excel both add them); ID numbers ignoring the case of X.
std::vector<std::string> DifferingIdentityFields(std::string_view card_name,
                                                 std::string_view card_id_number,
                                                 std::string_view registered_name,
                                                 std::string_view registered_id_number);

}  // namespace examphoto
