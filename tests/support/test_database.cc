#include "support/test_database.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "storage/migrator.h"

namespace examphoto::testing {
namespace {

void RunAdmin(const std::string& admin_url, const std::string& sql) {
  PGconn* conn = PQconnectdb(admin_url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot reach the test PostgreSQL: " + message);
  }
  PGresult* result = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string message = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(sql + ": " + message);
}

std::string RandomSuffix() {
  return std::to_string(::getpid()) + "_" + std::to_string(randombytes_random() % 1000000);
}

}  // namespace

std::string TestDatabase::EngineName() {
  const char* engine = std::getenv("EXAMPHOTO_TEST_ENGINE");
  return engine ? engine : "sqlite";
}

TestDatabase::TestDatabase() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium init failed");
  DatabaseOptions options;
  options.pool_size = 4;
  if (EngineName() == "postgres") {
    const char* admin = std::getenv("EXAMPHOTO_TEST_PG_ADMIN_URL");
    if (!admin || !*admin) {
      throw std::runtime_error(
          "EXAMPHOTO_TEST_ENGINE=postgres needs EXAMPHOTO_TEST_PG_ADMIN_URL; run scripts/test.sh, "
          "which starts a throwaway PostgreSQL and sets it");
    }
    pg_admin_url_ = admin;
    pg_database_ = "examphoto_test_" + RandomSuffix();
    RunAdmin(pg_admin_url_, "CREATE DATABASE " + pg_database_);
    const size_t slash = pg_admin_url_.rfind('/');
    url_ = pg_admin_url_.substr(0, slash + 1) + pg_database_;
  } else {
    folder_ =
        (std::filesystem::temp_directory_path() / ("examphoto-test-" + RandomSuffix())).string();
    std::filesystem::create_directories(folder_);
    url_ = "sqlite:" + folder_ + "/test.db";
  }
  options.url = url_;
  database_ = OpenDatabase(options);
  MigrateToLatest(*database_);
}

TestDatabase::~TestDatabase() {
  database_.reset();
  if (!pg_database_.empty()) {
    try {
      RunAdmin(pg_admin_url_, "DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)");
    } catch (const std::exception&) {
    }
  }
  if (!folder_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
}

}  // namespace examphoto::testing
