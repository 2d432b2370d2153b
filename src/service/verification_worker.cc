#include "service/verification_worker.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>

#include "domain/collection_state.h"
#include "domain/messages.h"
#include "service/secrets.h"
#include "storage/candidate_repository.h"
#include "storage/collection_repository.h"

namespace examphoto {
namespace {

struct ClaimedJob {
  int64_t id = 0;
  int64_t candidate_id = 0;
  int64_t photo_attempt_id = 0;
  int64_t attempts = 0;
  int64_t created_at = 0;
};

std::string HostName() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

VerificationWorker::VerificationWorker(Database& database, BlobStore& blobs, const Clock& clock,
                                       const IdentityVerifierPort& verifier,
                                       VerificationWorkerOptions options)
    : database_(database),
      blobs_(blobs),
      clock_(clock),
      verifier_(verifier),
      options_(options),
      worker_id_(HostName() + ":" + std::to_string(::getpid()) + ":" +
                 NewSecretKey().substr(0, 8)) {}

VerificationWorker::~VerificationWorker() { Stop(); }

void VerificationWorker::Start() {
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { Loop(); });
}

void VerificationWorker::Stop() {
  stopping_ = true;
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void VerificationWorker::Notify() { wake_.notify_one(); }

void VerificationWorker::Loop() {
  while (!stopping_) {
    bool ran = false;
    try {
      ran = RunOnce();
    } catch (const std::exception& e) {
      spdlog::error("verification.worker_error error=\"{}\"", e.what());
    }
    if (!ran) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_.load(); });
    }
  }
}

bool VerificationWorker::RunOnce() {
  const int64_t now = clock_.NowMillis();
  const bool postgres = database_.dialect() == SqlDialect::kPostgres;
  // Due: queued and past its backoff, or running under a lease that has run out.
  const std::string due =
      "SELECT id FROM verification_jobs WHERE (status = 'queued' AND run_after <= $1) OR "
      "(status = 'running' AND locked_until < $1) ORDER BY id LIMIT 1";
  auto claimed = InWriteTransaction(database_, [&](Connection& c) -> std::optional<ClaimedJob> {
    auto rows = c.Query(postgres ? due + " FOR UPDATE SKIP LOCKED" : due, {now});
    if (rows.empty()) return std::nullopt;
    auto job = c.Query(
        "UPDATE verification_jobs SET status = 'running', locked_by = $2, locked_until = $3, "
        "attempts = attempts + 1, updated_at = $1 WHERE id = $4 "
        "RETURNING id, candidate_id, photo_attempt_id, attempts, created_at",
        {now, worker_id_, now + options_.lease_seconds * 1000, rows[0].Int(0)});
    return ClaimedJob{job[0].Int(0), job[0].Int(1), job[0].Int(2), job[0].Int(3), job[0].Int(4)};
  });
  if (!claimed) return false;

  VerificationRequest request;
  // Job ids start again in a new database (a new season); the creation time keeps the
  // request id unique at the platform anyway.
  request.request_id =
      "job-" + std::to_string(claimed->id) + "-" + std::to_string(claimed->created_at);
  VerificationOutcome outcome;
  {
    auto c = database_.Acquire();
    auto candidate = CandidateRepository::FindById(*c, claimed->candidate_id);
    auto photo =
        c->Query("SELECT photo_key FROM photo_attempts WHERE id = $1", {claimed->photo_attempt_id});
    auto portrait = c->Query(
        "SELECT portrait_key FROM id_card_uploads WHERE candidate_id = $1 AND side = 'portrait' "
        "AND accepted = 1 AND portrait_key IS NOT NULL ORDER BY id DESC LIMIT 1",
        {claimed->candidate_id});
    if (candidate && !photo.empty() && !photo[0].IsNull(0)) {
      request.name = candidate->name;
      request.id_number = candidate->id_number;
      request.photo_jpeg = blobs_.Get(photo[0].Text(0)).value_or("");
      if (!portrait.empty())
        request.card_portrait_jpeg = blobs_.Get(portrait[0].Text(0)).value_or("");
    }
  }
  if (request.photo_jpeg.empty()) {
    outcome.status = VerificationOutcome::Status::kFailed;
    outcome.detail = "the accepted photo is missing";
  } else {
    outcome = verifier_.Verify(request);
  }

  const int64_t done_at = clock_.NowMillis();
  const bool transient = outcome.status == VerificationOutcome::Status::kTransientError;
  const bool give_up = transient && claimed->attempts >= options_.max_attempts;
  const bool recorded = InWriteTransaction(database_, [&](Connection& c) {
    // Only the worker that still holds the lease may record; a slower twin gives way.
    auto mine =
        c.Query("SELECT locked_by, status FROM verification_jobs WHERE id = $1", {claimed->id});
    if (mine.empty() || mine[0].TextOr(0, "") != worker_id_ || mine[0].Text(1) != "running") {
      return false;
    }
    if (transient && !give_up) {
      const int64_t backoff = std::min<int64_t>(
          300, options_.first_backoff_seconds << std::min<int64_t>(claimed->attempts - 1, 20));
      c.Execute(
          "UPDATE verification_jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, "
          "run_after = $2, detail = $3, updated_at = $4 WHERE id = $1",
          {claimed->id, done_at + backoff * 1000, outcome.detail, done_at});
      return true;
    }
    const bool passed = outcome.status == VerificationOutcome::Status::kPassed;
    const char* result = passed ? "passed" : (give_up ? "error" : "failed");
    c.Execute(
        "UPDATE verification_jobs SET status = 'done', outcome = $2, score = $3, detail = $4, "
        "locked_by = NULL, locked_until = NULL, updated_at = $5 WHERE id = $1",
        {claimed->id, std::string_view(result), outcome.score, outcome.detail, done_at});
    auto record =
        CollectionRepository::LockForUpdate(c, database_.dialect(), claimed->candidate_id);
    if (!record || record->state != CollectionState::kVerifying ||
        record->photo_attempt_id != claimed->photo_attempt_id) {
      // The office reset the collection meanwhile: the outcome is kept on the job only.
      return true;
    }
    const auto event =
        passed ? CollectionEvent::kVerificationPassed : CollectionEvent::kVerificationFailed;
    const CollectionState from = record->state;
    record->state = *ApplyEvent(from, event);
    const char* code = passed ? "verification.passed"
                              : (give_up ? "verification.unavailable" : "verification.failed");
    const CatalogueEntry& text = LookupMessage(code);
    record->verification = boost::json::serialize(boost::json::object{
        {"status", result}, {"code", code}, {"message", text.message}, {"hint", text.hint}});
    CollectionRepository::Save(c, *record, done_at);
    CollectionRepository::AppendEvent(
        c, claimed->candidate_id, "verifier", ToString(event), from, record->state,
        boost::json::serialize(boost::json::object{{"job", claimed->id}, {"score", outcome.score}}),
        done_at);
    return true;
  });
  if (!recorded) {
    // Paused past the lease (a stalled machine, SIGSTOP): another worker has the job now and
    // records its own result. Logged apart, so that counting "status=" lines counts each job
    // once.
    spdlog::warn("verification.job id={} attempt={} status=gave_way (lease lost to another worker)",
                 claimed->id, claimed->attempts);
    return true;
  }
  spdlog::info("verification.job id={} attempt={} status={} score={:.3f}", claimed->id,
               claimed->attempts,
               transient ? (give_up ? "gave_up" : "retry")
               : outcome.status == VerificationOutcome::Status::kPassed ? "passed"
                                                                        : "failed",
               outcome.score);
  return true;
}

}  // namespace examphoto
