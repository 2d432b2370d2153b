// Runs identity verification jobs (seed guide 六): threads that claim due jobs from the
// verification_jobs table, call the verifier, and record the outcome together with the
// candidate's new state in one transaction. Claims are leases: a job whose worker died
// (a crash, kill -9) is claimed again once its lease runs out, so a restart loses no job;
// the outcome is written only while the collection still waits for that very photo, so a
// job run twice never changes an outcome already recorded. On PostgreSQL, several server
// instances share the queue through SELECT ... FOR UPDATE SKIP LOCKED.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "domain/clock.h"
#include "domain/config_section.h"
#include "service/collection_ports.h"
#include "storage/blob_store.h"
#include "storage/database.h"

namespace examphoto {

struct VerificationWorkerOptions {
  int threads = 1;
  std::chrono::milliseconds poll_interval{500};
  int64_t lease_seconds = 60;         // longer than any verification takes
  int max_attempts = 8;               // transient failures before giving up
  int64_t first_backoff_seconds = 2;  // doubled after each failure, at most 5 minutes
  // Section "verification": workers, lease_seconds, max_attempts, first_backoff_seconds.
  static Result<VerificationWorkerOptions> FromConfig(const ConfigSection& section);
};

class VerificationWorker {
 public:
  VerificationWorker(Database& database, BlobStore& blobs, const Clock& clock,
                     const IdentityVerifierPort& verifier, VerificationWorkerOptions options);
  ~VerificationWorker();

  void Start();
  void Stop();  // waits for the job in hand to finish
  // Claims and runs at most one due job; true if it ran one. For tests and Start's loop.
  bool RunOnce();
  // Wakes the workers (a job was just queued).
  void Notify();

 private:
  void Loop();

  Database& database_;
  BlobStore& blobs_;
  const Clock& clock_;
  const IdentityVerifierPort& verifier_;
  const VerificationWorkerOptions options_;
  const std::string worker_id_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::thread> threads_;
};

}  // namespace examphoto
