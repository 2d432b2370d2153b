// The administrative division codes of GB/T 2260 (config/regions/gbt2260.tsv, compiled in):
// what the first six digits of an ID number name, and which province / city / county names
// an address may start with. Immutable; Builtin() is shared by every thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace examphoto {

struct AddressRegion {
  std::string code;       // six digits of the deepest division named
  int level = 0;          // 1 province, 2 city, 3 county
  int characters = 0;     // characters of the address the names cover
  std::string canonical;  // those names as the table writes them
  int substitutions = 0;  // characters that differed from the table (at most one per name)
};

class RegionTable {
 public:
  static const RegionTable& Builtin();
  // Lines "code<TAB>name"; '#' starts a comment.
  static Result<RegionTable> Parse(std::string_view tsv);

  std::optional<std::string> Name(std::string_view code) const;
  bool KnowsProvince(std::string_view id_number) const;  // its first two digits
  // The longest run of division names the address starts with (province, then a city of it,
  // then a county of that city; municipalities print no city). A name read with one
  // character wrong still counts when it has three characters or more.
  std::optional<AddressRegion> MatchAddress(std::string_view address) const;
  // How far the address agrees with an ID number's region code: 0 not at all, 1 province,
  // 2 city, 3 county. People keep their number when they move, so disagreement is no error.
  int Agreement(std::string_view address, std::string_view id_number) const;

  size_t size() const { return names_.size(); }

 private:
  std::map<std::string, std::string> names_;  // code -> name
};

}  // namespace examphoto
