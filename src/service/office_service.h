// The exam office's use cases over the roster and the collections: search with keyset
// paging, the progress dashboard, a candidate's whole file (audited as a view of ID data),
// and the actions the guide sends candidates to the office for — correct the registration
// record, reset the collection to a step, accept or reject a photo by hand. The actions are
// events of the domain's table (collection_state.h); the service decides whether the staff
// member may, the domain what follows. Every action needs a reason and writes its audit row
// and collection event in the change's transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/clock.h"
#include "domain/result.h"
#include "service/audit_log.h"
#include "storage/blob_store.h"
#include "storage/candidate_repository.h"
#include "storage/collection_repository.h"
#include "storage/database.h"
#include "storage/id_card_upload_repository.h"
#include "storage/photo_attempt_repository.h"
#include "storage/verification_job_queue.h"

namespace examphoto {

struct CandidateSearch {
  std::string query;           // free text; `field` says how it is matched
  std::string field = "auto";  // auto, name (prefix), registration_no (prefix), phone, id_number
  std::string state;           // "" any, a CollectionState name, or "not_started"
  std::string after;           // opaque cursor from the previous page, "" for the first
  int limit = 50;              // 1..200
};

struct CandidateSearchPage {
  std::vector<CandidateProgress> items;
  std::string next;   // the cursor of the next page, "" on the last
  std::string field;  // how the query was matched ("" without a query)
};

struct ProgressDashboard {
  struct Day {
    std::string date;  // China calendar date, YYYY-MM-DD
    int64_t photos = 0;
    int64_t photos_passed = 0;
    int64_t verified = 0;
    int64_t mismatches = 0;
  };
  struct Reason {
    std::string code;  // catalogue code of a photo issue
    int64_t count = 0;
  };
  int64_t total = 0;                      // candidates on the roster
  std::map<std::string, int64_t> states;  // per state name, and "not_started"
  std::vector<Day> days;                  // oldest first; the last is today
  int64_t failed_attempts = 0;            // in those days
  std::vector<Reason> rejection_reasons;  // most frequent first
  int64_t generated_at = 0;
};

// A candidate's whole file as the office reads it.
struct CandidateFile {
  Candidate candidate;
  std::optional<CollectionRecord> collection;  // nullopt: not started
  std::vector<IdCardUploadRecord> id_card_uploads;
  std::vector<PhotoAttemptRecord> photo_attempts;
  std::vector<VerificationJob> verification_jobs;
  std::vector<CollectionEventRecord> history;
  int64_t view_id = 0;  // the audit entry of this opening; the image URLs carry it (?view=)
};

struct RecordCorrection {
  std::optional<std::string> name;
  std::optional<std::string> id_number;
  std::optional<std::string> phone;
};

struct CorrectedRecord {
  Candidate candidate;
  std::optional<CollectionState> state;  // nullopt: not started
};

// Where an office action took the collection.
struct OfficeStep {
  CollectionState state = CollectionState::kIdCardPending;
  CollectionState from = CollectionState::kIdCardPending;
};

class OfficeService {
 public:
  OfficeService(Database& database, BlobStore& blobs, const Clock& clock)
      : database_(database), blobs_(blobs), clock_(clock) {}

  // Errors: office.invalid_state, office.invalid_cursor, office.search_field. Audited as
  // "search_candidates" with the query.
  Result<CandidateSearchPage> Search(const StaffActor& actor, const CandidateSearch& search);
  // Counts per state, today's activity, `days` days of history, rejection reasons ranked.
  Result<ProgressDashboard> Dashboard(int days);
  // The candidate's record, ID card uploads with the fields read, photo attempts with their
  // reports, verification jobs, history. Audited once as "view_candidate"; `view_id` is that
  // entry, and the image URLs carry it.
  Result<CandidateFile> Detail(const StaffActor& actor, int64_t candidate_id);
  // An image of the candidate's file: kind is id_card_image, id_card_card, id_card_portrait
  // (ref = upload id), photo or photo_upload (ref = attempt id). Covered by the file's entry
  // when `view_id` names this actor's recent opening of this candidate's file; otherwise
  // audited on its own as "view_id_card_image" or "view_photo".
  Result<std::string> Image(const StaffActor& actor, int64_t candidate_id, std::string_view kind,
                            int64_t ref, std::optional<int64_t> view_id);

  Result<CorrectedRecord> CorrectRecord(const StaffActor& actor, int64_t candidate_id,
                                        const RecordCorrection& correction,
                                        std::string_view reason);
  // `target` is id_card_pending or identity_confirmed (OfficeResetEvent); the domain's table
  // decides from which states.
  Result<OfficeStep> ResetCollection(const StaffActor& actor, int64_t candidate_id,
                                     std::string_view target, std::string_view reason);
  // decision "accept": the attempt's photo becomes the candidate's verified photo.
  // decision "reject": the candidate is told the office refused it and may retake.
  Result<OfficeStep> DecidePhoto(const StaffActor& actor, int64_t candidate_id, int64_t attempt_id,
                                 std::string_view decision, std::string_view reason);

  Result<std::vector<AuditEntry>> SearchAudit(const AuditQuery& query);
  // Audit rows for actions that are not a change of the collection (exports, poster).
  Status Record(const StaffActor& actor, std::string_view action, std::string_view detail);

 private:
  Database& database_;
  BlobStore& blobs_;
  const Clock& clock_;
};

// A reason is required: 2..200 characters after trimming. Error office.reason_required.
Result<std::string> CheckReason(std::string_view reason);

}  // namespace examphoto
