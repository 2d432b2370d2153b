// A fresh, migrated database for one test, on the engine the test run asks for:
// EXAMPHOTO_TEST_ENGINE=sqlite (a temporary file) or postgres (a new database created
// through EXAMPHOTO_TEST_PG_ADMIN_URL, which scripts/test.sh sets after starting a
// throwaway cluster). The same suites thus run on both engines.
#pragma once

#include <memory>
#include <string>

#include "domain/clock.h"
#include "storage/database.h"

namespace examphoto::testing {

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  Database& database() { return *database_; }
  SqlDialect dialect() const { return database_->dialect(); }
  const std::string& url() const { return url_; }
  static std::string EngineName();

 private:
  std::string url_;
  std::string folder_;
  std::string pg_admin_url_;
  std::string pg_database_;
  std::unique_ptr<Database> database_;
};

// A clock the test moves by hand.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now = 1'790'000'000'000) : now_(now) {}
  int64_t NowMillis() const override { return now_; }
  void Advance(int64_t millis) { now_ += millis; }
  void AdvanceSeconds(int64_t seconds) { now_ += seconds * 1000; }

 private:
  int64_t now_;
};

}  // namespace examphoto::testing
