#include "domain/messages.h"

#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/catalogue_embedded.h"

namespace examphoto {
namespace {

using Catalogue = std::map<std::string, CatalogueEntry, std::less<>>;

// Loads every config/messages/*.json file embedded at build time. Each file is an object
// {"code": {"message": "...", "hint": "..."}}; a code defined twice is a build mistake.
Catalogue LoadCatalogue() {
  Catalogue catalogue;
  for (std::string_view name : catalogue::ListEmbedded("")) {
    const std::string_view* text = catalogue::FindEmbedded(name);
    boost::json::value doc = boost::json::parse(*text);
    for (const auto& [code, entry] : doc.as_object()) {
      const auto& fields = entry.as_object();
      CatalogueEntry value;
      value.message = std::string(fields.at("message").as_string());
      if (const auto* hint = fields.if_contains("hint"))
        value.hint = std::string(hint->as_string());
      if (!catalogue.emplace(std::string(code), std::move(value)).second) {
        throw std::logic_error("message code defined twice: " + std::string(code));
      }
    }
  }
  return catalogue;
}

const Catalogue& TheCatalogue() {
  static const Catalogue catalogue = LoadCatalogue();
  return catalogue;
}

}  // namespace

bool HasMessage(std::string_view code) { return TheCatalogue().find(code) != TheCatalogue().end(); }

const CatalogueEntry& LookupMessage(std::string_view code) {
  const auto& catalogue = TheCatalogue();
  auto it = catalogue.find(code);
  if (it != catalogue.end()) return it->second;
  return catalogue.at("internal.unknown_code");
}

Error MakeError(ErrorKind kind, std::string_view code, std::string detail) {
  const CatalogueEntry& entry = LookupMessage(code);
  Error error;
  error.kind = kind;
  error.code = std::string(code);
  error.message = entry.message;
  error.hint = entry.hint;
  error.detail = std::move(detail);
  return error;
}

std::string Label(std::string_view group, std::string_view key) {
  const std::string code = "label." + std::string(group) + "." + std::string(key);
  auto it = TheCatalogue().find(code);
  return it == TheCatalogue().end() ? std::string(key) : it->second.message;
}

std::vector<LabelEntry> AllLabels() {
  constexpr std::string_view kPrefix = "label.";
  std::vector<LabelEntry> out;
  for (auto it = TheCatalogue().lower_bound(kPrefix);
       it != TheCatalogue().end() && it->first.rfind(kPrefix, 0) == 0; ++it) {
    const std::string_view rest = std::string_view(it->first).substr(kPrefix.size());
    const size_t dot = rest.find('.');
    if (dot == std::string_view::npos) {
      out.push_back({"", std::string(rest), it->second.message});
    } else {
      out.push_back({std::string(rest.substr(0, dot)), std::string(rest.substr(dot + 1)),
                     it->second.message});
    }
  }
  return out;
}

std::string FormatMessage(std::string text, std::string_view name, std::string_view value) {
  const std::string token = "{" + std::string(name) + "}";
  for (size_t pos = text.find(token); pos != std::string::npos;
       pos = text.find(token, pos + value.size())) {
    text.replace(pos, token.size(), value);
  }
  return text;
}

std::string CatalogueText(
    std::string_view code,
    std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string text = LookupMessage(code).message;
  for (const auto& [name, value] : values) text = FormatMessage(std::move(text), name, value);
  return text;
}

}  // namespace examphoto
