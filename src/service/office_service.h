// The exam office's use cases over the roster and the collections: search with keyset
// paging, the progress dashboard, a candidate's whole file (audited as a view of ID data),
// and the actions the guide sends candidates to the office for — correct the registration
// record, reset the collection to a step, accept or reject a photo by hand. Every action
// needs a reason and writes its audit row and collection event in the change's transaction.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "domain/clock.h"
#include "domain/result.h"
#include "service/audit_log.h"
#include "storage/blob_store.h"
#include "storage/database.h"

namespace examphoto {

struct CandidateSearch {
  std::string query;           // free text; `field` says how it is matched
  std::string field = "auto";  // auto, name (prefix), registration_no (prefix), phone, id_number
  std::string state;           // "" any, a CollectionState name, or "not_started"
  std::string after;           // opaque cursor from the previous page, "" for the first
  int limit = 50;              // 1..200
};

struct RecordCorrection {
  std::optional<std::string> name;
  std::optional<std::string> id_number;
  std::optional<std::string> phone;
};

class OfficeService {
 public:
  OfficeService(Database& database, BlobStore& blobs, const Clock& clock)
      : database_(database), blobs_(blobs), clock_(clock) {}

  // {"items": [...], "next": cursor or null}. Errors: office.invalid_state, office.invalid_cursor.
  Result<boost::json::object> Search(const CandidateSearch& search);
  // Counts per state, today's activity, `days` days of history, rejection reasons ranked.
  boost::json::object Dashboard(int days);
  // The candidate's record, ID card uploads with the fields read, photo attempts with their
  // reports, verification jobs, history and office actions. Audited as "view_candidate".
  Result<boost::json::object> Detail(const StaffActor& actor, int64_t candidate_id);
  // An image of the candidate's file: kind is id_card_image, id_card_card, id_card_portrait
  // (ref = upload id), photo or photo_upload (ref = attempt id). Audited for ID card images.
  Result<std::string> Image(const StaffActor& actor, int64_t candidate_id, std::string_view kind,
                            int64_t ref);

  Result<boost::json::object> CorrectRecord(const StaffActor& actor, int64_t candidate_id,
                                            const RecordCorrection& correction,
                                            std::string_view reason);
  // `target` is id_card_pending or identity_confirmed (OfficeResetEvent); the domain's table
  // decides from which states.
  Result<boost::json::object> ResetCollection(const StaffActor& actor, int64_t candidate_id,
                                              std::string_view target, std::string_view reason);
  // decision "accept": the attempt's photo becomes the candidate's verified photo.
  // decision "reject": the candidate is told the office refused it and may retake.
  Result<boost::json::object> DecidePhoto(const StaffActor& actor, int64_t candidate_id,
                                          int64_t attempt_id, std::string_view decision,
                                          std::string_view reason);

  std::vector<AuditEntry> SearchAudit(const AuditQuery& query);
  // Audit rows for actions that are not a change of the collection (exports, poster).
  void Record(const StaffActor& actor, std::string_view action, std::string_view detail);

 private:
  Database& database_;
  BlobStore& blobs_;
  const Clock& clock_;
};

// A reason is required: 2..200 characters after trimming. Error office.reason_required.
Result<std::string> CheckReason(std::string_view reason);

}  // namespace examphoto
