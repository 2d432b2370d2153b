// What the collection flow needs from the image cores, as small interfaces the service owns.
// The app wires them to the real ID card reader, portrait checker and face comparison
// (src/idcard, src/imaging, src/identity); tests may wire other implementations. Each port
// answers a Result: an error is bytes that are no usable image (415, 413, 400 with the
// image.* code), or a core that cannot answer now (503).
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "domain/card_side.h"
#include "domain/reported_issue.h"
#include "domain/result.h"

namespace examphoto {

// The roster's name and number the card is checked against.
struct RegisteredHolder {
  std::string name;
  std::string id_number;
};

struct CardSideReading {
  std::string side;  // what the reader saw: "portrait", "emblem" or "" (no card)
  std::map<std::string, std::string> fields;  // name, sex, ethnicity, ..., valid_to
  std::map<std::string, double> confidence;
  // "name" / "id_number" -> "match", "mismatch" or "unsure" against the RegisteredHolder.
  std::map<std::string, std::string> registration;
  // Field -> its place on card_jpeg: {x, y, width, height} as fractions of the image.
  std::map<std::string, std::array<double, 4>> field_boxes;
  std::vector<ReportedIssue> issues;  // any issue means the side is not accepted; a field
                                      // that is not sure always comes with one
  std::string card_jpeg;              // the straightened card, when found
  std::string portrait_jpeg;          // the face printed on the portrait side, when found
};

class IdCardReaderPort {
 public:
  virtual ~IdCardReaderPort() = default;
  // `holder`: the roster's name and number, which the reader checks the card against.
  virtual Result<CardSideReading> Read(std::string_view bytes, CardSide expected,
                                       const RegisteredHolder& holder) const = 0;
};

struct PortraitCheckOutcome {
  bool pass = false;
  std::vector<ReportedIssue> issues;
  std::string finished_jpeg;  // the standard ID photo, when one could be made
  std::string report_json;    // the full report (face geometry, timings) for the office
};

class PortraitCheckerPort {
 public:
  virtual ~PortraitCheckerPort() = default;
  virtual Result<PortraitCheckOutcome> Check(std::string_view bytes) const = 0;
};

struct VerificationRequest {
  std::string name;
  std::string id_number;
  std::string photo_jpeg;          // the accepted standard photo
  std::string card_portrait_jpeg;  // the face from the candidate's own ID card (may be empty)
  // The same for every attempt of one job, and unique across jobs: a platform that already
  // answered it (the first attempt's worker died, or its answer was lost) answers again
  // without checking twice.
  std::string request_id;
};

struct VerificationOutcome {
  enum class Status { kPassed, kFailed } status = Status::kFailed;
  double score = 0;
  std::string detail;  // for the office and logs; never shown raw to the candidate
};

// An identity check (the local face comparison, or the platform over HTTP). An error is
// transient (the platform is down, late or answered nonsense; the models still load): the
// job is tried again later. Its `detail` goes to the job for the office.
class IdentityVerifierPort {
 public:
  virtual ~IdentityVerifierPort() = default;
  virtual Result<VerificationOutcome> Verify(const VerificationRequest& request) const = 0;
};

}  // namespace examphoto
