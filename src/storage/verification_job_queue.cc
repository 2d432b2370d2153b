#include "storage/verification_job_queue.h"

namespace examphoto {

void VerificationJobQueue::Enqueue(int64_t candidate_id, int64_t photo_attempt_id, int64_t now) {
  c_.Execute(
      "INSERT INTO verification_jobs (candidate_id, photo_attempt_id, status, run_after, "
      "created_at, updated_at) VALUES ($1, $2, 'queued', $3, $3, $3)",
      {candidate_id, photo_attempt_id, now});
}

std::optional<ClaimedJob> VerificationJobQueue::ClaimDue(int64_t now, std::string_view worker,
                                                         int64_t lease_until) {
  static const std::string due =
      "SELECT id FROM verification_jobs WHERE (status = 'queued' AND run_after <= $1) OR "
      "(status = 'running' AND locked_until < $1) ORDER BY id LIMIT 1";
  // Several instances share the queue: each skips the rows another is claiming.
  static const std::string due_skip_locked = due + " FOR UPDATE SKIP LOCKED";
  auto rows = c_.Query(c_.dialect() == SqlDialect::kPostgres ? due_skip_locked : due, {now});
  if (rows.empty()) return std::nullopt;
  auto job = c_.Query(
      "UPDATE verification_jobs SET status = 'running', locked_by = $2, locked_until = $3, "
      "attempts = attempts + 1, updated_at = $1 WHERE id = $4 "
      "RETURNING id, candidate_id, photo_attempt_id, attempts, created_at",
      {now, worker, lease_until, rows[0].Int(0)});
  return ClaimedJob{job[0].Int(0), job[0].Int(1), job[0].Int(2), job[0].Int(3), job[0].Int(4)};
}

bool VerificationJobQueue::IsHeldBy(int64_t job_id, std::string_view worker) {
  auto rows = c_.Query("SELECT locked_by, status FROM verification_jobs WHERE id = $1", {job_id});
  return !rows.empty() && rows[0].TextOr(0, "") == worker && rows[0].Text(1) == "running";
}

void VerificationJobQueue::Retry(int64_t job_id, int64_t run_after, std::string_view detail,
                                 int64_t now) {
  c_.Execute(
      "UPDATE verification_jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, "
      "run_after = $2, detail = $3, updated_at = $4 WHERE id = $1",
      {job_id, run_after, detail, now});
}

void VerificationJobQueue::Finish(int64_t job_id, std::string_view outcome, double score,
                                  std::string_view detail, int64_t now) {
  c_.Execute(
      "UPDATE verification_jobs SET status = 'done', outcome = $2, score = $3, detail = $4, "
      "locked_by = NULL, locked_until = NULL, updated_at = $5 WHERE id = $1",
      {job_id, outcome, score, detail, now});
}

int64_t VerificationJobQueue::CancelQueued(int64_t candidate_id, std::string_view why,
                                           int64_t now) {
  return c_.Execute(
      "UPDATE verification_jobs SET status = 'done', outcome = 'cancelled', detail = $3, "
      "locked_by = NULL, locked_until = NULL, updated_at = $2 WHERE candidate_id = $1 AND "
      "status = 'queued'",
      {candidate_id, now, why});
}

std::vector<VerificationJob> VerificationJobQueue::ListForCandidate(int64_t candidate_id,
                                                                    int64_t limit) {
  std::vector<VerificationJob> out;
  for (const SqlRow& r : c_.Query(
           "SELECT id, candidate_id, photo_attempt_id, status, attempts, outcome, score, detail, "
           "created_at, updated_at FROM verification_jobs WHERE candidate_id = $1 "
           "ORDER BY id DESC LIMIT $2",
           {candidate_id, limit})) {
    VerificationJob job;
    job.id = r.Int(0);
    job.candidate_id = r.Int(1);
    job.photo_attempt_id = r.Int(2);
    job.status = r.Text(3);
    job.attempts = r.Int(4);
    if (!r.IsNull(5)) job.outcome = r.Text(5);
    if (!r.IsNull(6)) job.score = r.Real(6);
    job.detail = r.Text(7);
    job.created_at = r.Int(8);
    job.updated_at = r.Int(9);
    out.push_back(std::move(job));
  }
  return out;
}

}  // namespace examphoto
