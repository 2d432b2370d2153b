// The durable queue of identity verifications (`verification_jobs`, its one owner). A job is
// queued by 同意并提交 in the transaction that moves the candidate to verifying, claimed by a
// worker under a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on SQLite),
// retried with a later run_after after a transient failure, finished with an outcome, or
// cancelled when the office overtakes it. A lease that runs out makes the job due again, so
// a worker that died loses nothing. Works on the connection or transaction it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"

namespace examphoto {

struct VerificationJob {
  int64_t id = 0;
  int64_t candidate_id = 0;
  int64_t photo_attempt_id = 0;
  std::string status;  // queued, running, done
  int64_t attempts = 0;
  std::optional<std::string> outcome;  // passed, failed, error, cancelled
  std::optional<double> score;
  std::string detail;  // for the office and logs
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// A job a worker holds the lease of.
struct ClaimedJob {
  int64_t id = 0;
  int64_t candidate_id = 0;
  int64_t photo_attempt_id = 0;
  int64_t attempts = 0;  // including this one
  int64_t created_at = 0;
};

class VerificationJobQueue {
 public:
  explicit VerificationJobQueue(Connection& connection) : c_(connection) {}

  void Enqueue(int64_t candidate_id, int64_t photo_attempt_id, int64_t now);
  // Within a write transaction: the oldest due job (queued and past its backoff, or running
  // under a lease that ran out), leased to `worker` until `lease_until`.
  std::optional<ClaimedJob> ClaimDue(int64_t now, std::string_view worker, int64_t lease_until);
  // Whether `worker` still holds the running job's lease (a slower twin gives way).
  bool IsHeldBy(int64_t job_id, std::string_view worker);
  // A transient failure: queued again, due at `run_after`.
  void Retry(int64_t job_id, int64_t run_after, std::string_view detail, int64_t now);
  void Finish(int64_t job_id, std::string_view outcome, double score, std::string_view detail,
              int64_t now);
  // Queued jobs of the candidate no longer apply (the office reset or decided by hand); a
  // running one finishes but records on the job only. Returns how many were cancelled.
  int64_t CancelQueued(int64_t candidate_id, std::string_view why, int64_t now);
  // Newest first.
  std::vector<VerificationJob> ListForCandidate(int64_t candidate_id, int64_t limit);

 private:
  Connection& c_;
};

}  // namespace examphoto
