// What a candidate's collection holds besides its state (collection_state.h): the readings
// of the accepted ID card sides, the differences found against the roster, the outcome of
// the identity verification, and the report of a photo check. Plain values: storage keeps
// them (and alone knows how), the HTTP layer shows them.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/card_side.h"
#include "domain/collection_state.h"
#include "domain/reported_issue.h"

namespace examphoto {

// The reading of one ID card side: fields by name (name, sex, ethnicity, birth_date,
// address, id_number on the portrait side; authority, valid_from, valid_to on the emblem
// side), the reader's confidence in each, and what kept the side from being accepted.
struct CardSideRecord {
  bool accepted = false;
  std::map<std::string, std::string> fields;
  std::map<std::string, double> confidence;
  std::vector<ReportedIssue> issues;
  // "name" / "id_number" -> "match", "mismatch" or "unsure": the reader's verdicts against
  // the roster entry below (empty when the reader gave none).
  std::map<std::string, std::string> registration;
  std::string checked_name;  // the roster's name and number the verdicts were reached against
  std::string checked_id_number;
  // Field -> its place on the straightened card image: {x, y, width, height} as fractions.
  std::map<std::string, std::array<double, 4>> boxes;

  // The field's value, "" when the reader found none.
  const std::string& Field(const std::string& name) const;
  bool operator==(const CardSideRecord&) const = default;
};

// 确认无误 found the card disagreeing with the roster (seed guide FAQ 一).
struct IdentityMismatch {
  std::vector<std::string> fields;  // "name" and/or "id_number"
  std::string card_name;
  std::string card_id_number;
  std::string registered_name;
  std::string registered_id_number;
  bool operator==(const IdentityMismatch&) const = default;
};

// The outcome shown on the result screen (seed guide 七). The words come from the catalogue
// entry `code` when they are shown, never from the time the outcome was written.
struct VerificationResult {
  enum class Status { kPending, kPassed, kFailed, kError };
  Status status = Status::kPending;
  std::string code;        // catalogue code; "" while pending
  bool by_office = false;  // decided by hand in the office console
  bool operator==(const VerificationResult&) const = default;
};

std::string_view ToString(VerificationResult::Status status);
std::optional<VerificationResult::Status> ParseVerificationStatus(std::string_view text);

// The check of one uploaded portrait: whether it passed, why not, and the measurements the
// portrait core reported for the office (an opaque document of the imaging core).
struct PhotoReport {
  bool pass = false;
  std::vector<ReportedIssue> issues;
  std::string details_json;  // "" when the core gave none
};

// What one entry of the collection's history says beyond its event and states. Every part
// is optional; together they cover the candidate's steps, the verifier's outcome and the
// office's actions.
struct EventNote {
  std::optional<CardSide> side;              // an ID card side was uploaded
  std::optional<IdentityMismatch> mismatch;  // 确认无误 found differences
  std::vector<std::string> fields;           // fields the office corrected (names, not values)
  std::optional<CollectionState> reset_to;   // the step the office reset to
  std::optional<int64_t> attempt_id;         // the photo attempt the office decided on
  std::string decision;                      // "accept" or "reject"
  std::optional<int64_t> job_id;             // the verification job that decided
  std::optional<double> score;               // its comparison score
  std::string reason;                        // the office's reason
};

}  // namespace examphoto
