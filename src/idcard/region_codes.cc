#include "idcard/region_codes.h"

#include "domain/messages.h"
#include "domain/utf8.h"
#include "idcard/idcard_data_embedded.h"

namespace examphoto {
namespace {

// Characters of `name` matched at the start of `address` (from `offset`), allowing one
// substitution in names of three characters or more; -1 when it does not match.
int MatchName(const std::vector<std::string>& address, size_t offset, std::string_view name,
              int* substitutions) {
  const std::vector<std::string> want = SplitUtf8(name);
  if (offset + want.size() > address.size()) return -1;
  int differing = 0;
  for (size_t i = 0; i < want.size(); ++i) differing += address[offset + i] != want[i];
  if (differing > (want.size() >= 3 ? 1 : 0)) return -1;
  *substitutions = differing;
  return static_cast<int>(want.size());
}

bool Printed(std::string_view name) {
  // Placeholders for the county level under a municipality or a province.
  return name != "市辖区" && name != "县" && name != "省直辖县级行政区划" &&
         name != "自治区直辖县级行政区划";
}

}  // namespace

const RegionTable& RegionTable::Builtin() {
  static const RegionTable table = [] {
    const std::string_view* text = idcard_data::FindEmbedded("gbt2260.tsv");
    auto parsed = Parse(text ? *text : std::string_view());
    return parsed.ok() ? std::move(parsed.value()) : RegionTable();
  }();
  return table;
}

Result<RegionTable> RegionTable::Parse(std::string_view tsv) {
  RegionTable table;
  size_t start = 0;
  while (start < tsv.size()) {
    size_t end = tsv.find('\n', start);
    if (end == std::string_view::npos) end = tsv.size();
    std::string_view line = tsv.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    const size_t tab = line.find('\t');
    if (tab != 6) {
      return MakeError(ErrorKind::kInternal, "internal.error",
                       "region table line: " + std::string(line));
    }
    table.names_.emplace(std::string(line.substr(0, 6)), std::string(line.substr(7)));
  }
  return table;
}

std::optional<std::string> RegionTable::Name(std::string_view code) const {
  auto it = names_.find(std::string(code));
  if (it == names_.end()) return std::nullopt;
  return it->second;
}

bool RegionTable::KnowsProvince(std::string_view id_number) const {
  return id_number.size() >= 2 && names_.count(std::string(id_number.substr(0, 2)) + "0000");
}

std::optional<AddressRegion> RegionTable::MatchAddress(std::string_view address) const {
  const std::vector<std::string> characters = SplitUtf8(address);
  std::optional<AddressRegion> best;
  for (const auto& [code, name] : names_) {
    if (code.substr(2) != "0000") continue;
    int substitutions = 0;
    const int province = MatchName(characters, 0, name, &substitutions);
    if (province < 0) continue;
    AddressRegion found{code, 1, province, name, substitutions};
    // Cities of the province, then counties of the city (or of the province directly when
    // the city level is not printed, as in 北京市朝阳区).
    const std::string prefix2 = code.substr(0, 2);
    for (auto it = names_.lower_bound(prefix2);
         it != names_.end() && it->first.compare(0, 2, prefix2) == 0; ++it) {
      const std::string& sub_code = it->first;
      if (sub_code == code || !Printed(it->second)) continue;
      const bool is_city = sub_code.substr(4) == "00";
      int s1 = 0;
      const int city = MatchName(characters, province, it->second, &s1);
      if (city < 0) continue;
      if (is_city) {
        AddressRegion with_city{sub_code, 2, province + city, name + it->second,
                                substitutions + s1};
        const std::string prefix4 = sub_code.substr(0, 4);
        for (auto county = names_.lower_bound(prefix4);
             county != names_.end() && county->first.compare(0, 4, prefix4) == 0; ++county) {
          if (county->first == sub_code || !Printed(county->second)) continue;
          int s2 = 0;
          const int length = MatchName(characters, province + city, county->second, &s2);
          if (length < 0) continue;
          AddressRegion full{county->first, 3, province + city + length,
                             with_city.canonical + county->second, with_city.substitutions + s2};
          if (full.characters > with_city.characters ||
              (full.characters == with_city.characters &&
               full.substitutions < with_city.substitutions)) {
            with_city = full;
          }
        }
        if (with_city.characters > found.characters ||
            (with_city.characters == found.characters &&
             with_city.substitutions < found.substitutions)) {
          found = with_city;
        }
      } else {
        // A county named right after the province (municipalities, and counties the
        // province administers directly).
        AddressRegion county{sub_code, 3, province + city, name + it->second, substitutions + s1};
        if (county.characters > found.characters ||
            (county.characters == found.characters && county.substitutions < found.substitutions)) {
          found = county;
        }
      }
    }
    if (!best || found.characters > best->characters ||
        (found.characters == best->characters && found.substitutions < best->substitutions)) {
      best = found;
    }
  }
  return best;
}

int RegionTable::Agreement(std::string_view address, std::string_view id_number) const {
  const auto region = MatchAddress(address);
  if (!region || id_number.size() < 6) return 0;
  int level = 0;
  if (region->code.compare(0, 2, id_number.substr(0, 2)) == 0) level = 1;
  if (level == 1 && region->level >= 2 && region->code.compare(0, 4, id_number.substr(0, 4)) == 0)
    level = 2;
  if (level >= 1 && region->level == 3 && region->code == id_number.substr(0, 6)) level = 3;
  return level;
}

}  // namespace examphoto
