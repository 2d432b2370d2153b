#include "service/verification_worker.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>

#include "domain/collection_state.h"
#include "service/secrets.h"
#include "storage/candidate_repository.h"
#include "storage/collection_repository.h"
#include "storage/id_card_upload_repository.h"
#include "storage/photo_attempt_repository.h"
#include "storage/verification_job_queue.h"

namespace examphoto {
namespace {

std::string HostName() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

Result<VerificationWorkerOptions> VerificationWorkerOptions::FromConfig(
    const ConfigSection& section) {
  VerificationWorkerOptions options;
  for (const Status& read :
       {section.Read("workers", options.threads, 0, 1024),
        section.Read("lease_seconds", options.lease_seconds, 1, kConfigMaxSeconds),
        section.Read("max_attempts", options.max_attempts, 1, 1'000'000),
        section.Read("first_backoff_seconds", options.first_backoff_seconds, 0, 300)}) {
    if (!read.ok()) return read.error();
  }
  return options;
}

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
  auto claimed = InWriteTransaction(database_, [&](Connection& c) {
    return VerificationJobQueue(c).ClaimDue(now, worker_id_, now + options_.lease_seconds * 1000);
  });
  if (!claimed) return false;

  VerificationRequest request;
  // Job ids start again in a new database (a new season); the creation time keeps the
  // request id unique at the platform anyway.
  request.request_id =
      "job-" + std::to_string(claimed->id) + "-" + std::to_string(claimed->created_at);
  Result<VerificationOutcome> outcome = VerificationOutcome{};
  {
    PooledConnection c = database_.Acquire();
    auto candidate = CandidateRepository(*c).FindById(claimed->candidate_id);
    auto photo = PhotoAttemptRepository(*c).Find(claimed->photo_attempt_id);
    auto portrait = IdCardUploadRepository(*c).LatestAcceptedPortraitKey(claimed->candidate_id);
    if (candidate && photo && photo->photo_key) {
      request.name = candidate->name;
      request.id_number = candidate->id_number;
      request.photo_jpeg = blobs_.Get(*photo->photo_key).value_or("");
      if (portrait) request.card_portrait_jpeg = blobs_.Get(*portrait).value_or("");
    }
  }
  if (request.photo_jpeg.empty()) {
    outcome = VerificationOutcome{VerificationOutcome::Status::kFailed, 0,
                                  "the accepted photo is missing"};
  } else {
    outcome = verifier_.Verify(request);
  }

  const int64_t done_at = clock_.NowMillis();
  const bool transient = !outcome.ok();
  const std::string detail = transient ? outcome.error().detail : outcome->detail;
  const double score = transient ? 0 : outcome->score;
  const bool give_up = transient && claimed->attempts >= options_.max_attempts;
  const bool recorded = InWriteTransaction(database_, [&](Connection& c) {
    VerificationJobQueue jobs(c);
    // Only the worker that still holds the lease may record; a slower twin gives way.
    if (!jobs.IsHeldBy(claimed->id, worker_id_)) return false;
    if (transient && !give_up) {
      const int64_t backoff = std::min<int64_t>(
          300, options_.first_backoff_seconds << std::min<int64_t>(claimed->attempts - 1, 20));
      jobs.Retry(claimed->id, done_at + backoff * 1000, detail, done_at);
      return true;
    }
    const bool passed = !transient && outcome->status == VerificationOutcome::Status::kPassed;
    const auto status = passed    ? VerificationResult::Status::kPassed
                        : give_up ? VerificationResult::Status::kError
                                  : VerificationResult::Status::kFailed;
    jobs.Finish(claimed->id, ToString(status), score, detail, done_at);
    CollectionRepository collections(c);
    auto record = collections.LockForUpdate(claimed->candidate_id);
    if (!record || record->state != CollectionState::kVerifying ||
        record->photo_attempt_id != claimed->photo_attempt_id) {
      // The office reset the collection meanwhile: the outcome is kept on the job only.
      return true;
    }
    const auto event =
        passed ? CollectionEvent::kVerificationPassed : CollectionEvent::kVerificationFailed;
    const CollectionState from = record->state;
    record->state = *ApplyEvent(from, event);
    record->verification =
        VerificationResult{status,
                           passed ? "verification.passed"
                                  : (give_up ? "verification.unavailable" : "verification.failed"),
                           false};
    collections.Save(*record, done_at);
    EventNote note;
    note.job_id = claimed->id;
    note.score = score;
    collections.AppendEvent({0, claimed->candidate_id, done_at, "verifier",
                             std::string(ToString(event)), std::string(ToString(from)),
                             std::string(ToString(record->state)), note});
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
               : outcome->status == VerificationOutcome::Status::kPassed ? "passed"
                                                                         : "failed",
               score);
  return true;
}

}  // namespace examphoto
