#include "idcard/id_card_reading.h"

namespace examphoto {

const std::string& FieldValue(const IdCardFields& fields, std::string_view name) {
  static const std::string kEmpty;
  if (name == "name") return fields.name;
  if (name == "sex") return fields.sex;
  if (name == "ethnicity") return fields.ethnicity;
  if (name == "birth_date") return fields.birth_date;
  if (name == "address") return fields.address;
  if (name == "id_number") return fields.id_number;
  if (name == "authority") return fields.authority;
  if (name == "valid_from") return fields.valid_from;
  if (name == "valid_to") return fields.valid_to;
  return kEmpty;
}

bool IdCardReading::HasIssue(std::string_view code) const {
  for (const IdCardIssue& issue : issues) {
    if (issue.code == code) return true;
  }
  return false;
}

}  // namespace examphoto
