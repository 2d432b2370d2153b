// The catalogue of user-facing texts. Every message a candidate or an office user can see
// lives in config/messages/*.json (embedded into the binary), keyed by a stable error code,
// so handlers never carry Chinese strings of their own.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.h"

namespace examphoto {

struct CatalogueEntry {
  std::string message;
  std::string hint;
};

// The entry for `code`. An unknown code is a programming error; it yields a generic
// message (and the code itself in the hint) rather than an empty text.
const CatalogueEntry& LookupMessage(std::string_view code);

// Whether the catalogue knows `code` (tests use it to prove every code has a text).
bool HasMessage(std::string_view code);

// Builds an Error whose message and hint come from the catalogue. `detail` goes to logs only.
Error MakeError(ErrorKind kind, std::string_view code, std::string detail = {});

// A label from the catalogue's "label.<group>.<key>" entries: state names, card field names,
// history events, audit actions… The server's exports use them and the office console reads
// the same entries from GET /api/v1/labels, so there is one wording. The key itself when the
// catalogue has no label for it (a value newer than the catalogue stays readable).
std::string Label(std::string_view group, std::string_view key);

// Every label as (group, key, text), in key order.
struct LabelEntry {
  std::string group;
  std::string key;
  std::string text;
};
std::vector<LabelEntry> AllLabels();

// Replaces each "{name}" in `text` with `value`; used for messages with a number in them.
std::string FormatMessage(std::string text, std::string_view name, std::string_view value);

// The catalogue's words for `code` (labels, headings, the lines of a CLI report: the
// "text.*" entries), with each {name} of `values` filled in.
std::string CatalogueText(
    std::string_view code,
    std::initializer_list<std::pair<std::string_view, std::string_view>> values = {});

}  // namespace examphoto
