// A small SQL interface with two engines behind it: SQLite (embedded, the default) and
// PostgreSQL (server option, shared by several instances). Repositories (the only code that
// writes SQL) write portable SQL once, with $1..$n placeholders; each engine adapts it. A
// Database owns a pool of connections and is thread-safe; a Connection is used by one thread
// at a time, and a repository works on the connection (or transaction) it is given.
//
// Failures of the engine itself (unreachable server, disk full, constraint violated) are
// thrown as DatabaseError: they are not expected outcomes of a request. The services turn
// them into an Error once, at their boundary (service/database_failure.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "domain/config_section.h"
#include "domain/result.h"

namespace examphoto {

enum class SqlDialect { kSqlite, kPostgres };

// Binary data bound to a BLOB / BYTEA parameter.
struct SqlBytes {
  std::string_view data;
};

using SqlParam = std::variant<std::nullptr_t, int64_t, double, std::string_view, SqlBytes>;

class DatabaseError : public std::runtime_error {
 public:
  // kStorageFull: the disk (or quota) under the database or the blobs is full; like
  // kUnavailable the request may be retried later, but operators must free space.
  enum class Kind { kUnavailable, kStorageFull, kUniqueViolation, kSerialization, kOther };
  DatabaseError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One result row; every cell is kept as bytes (text for numbers and strings, raw bytes for
// blobs), null cells as nullopt.
class SqlRow {
 public:
  explicit SqlRow(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  size_t size() const { return cells_.size(); }
  bool IsNull(size_t i) const { return !cells_.at(i).has_value(); }
  const std::string& Text(size_t i) const;  // throws DatabaseError on null
  std::string TextOr(size_t i, const std::string& fallback) const;
  int64_t Int(size_t i) const;
  std::optional<int64_t> OptionalInt(size_t i) const;
  double Real(size_t i) const;

 private:
  std::vector<std::optional<std::string>> cells_;
};

using SqlRows = std::vector<SqlRow>;

class Connection {
 public:
  virtual ~Connection() = default;
  virtual SqlDialect dialect() const = 0;
  // Runs one statement; rows for statements that return some (SELECT, RETURNING).
  virtual SqlRows Query(std::string_view sql, const std::vector<SqlParam>& params = {}) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual int64_t Execute(std::string_view sql, const std::vector<SqlParam>& params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual void ExecuteScript(std::string_view sql) = 0;
  // Begins a transaction that will write: SQLite takes the write lock at once (BEGIN
  // IMMEDIATE) so two writers never deadlock upgrading a read lock.
  virtual void BeginWrite() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;
  virtual bool IsBroken() const = 0;
};

class Database;

// A connection borrowed from the pool; goes back when destroyed.
class PooledConnection {
 public:
  PooledConnection(Database* owner, std::unique_ptr<Connection> connection)
      : owner_(owner), connection_(std::move(connection)) {}
  PooledConnection(PooledConnection&&) noexcept = default;
  PooledConnection& operator=(PooledConnection&&) noexcept = default;
  ~PooledConnection();
  Connection* operator->() { return connection_.get(); }
  Connection& operator*() { return *connection_; }

 private:
  Database* owner_;
  std::unique_ptr<Connection> connection_;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual SqlDialect dialect() const = 0;
  // Waits up to the pool timeout for a free connection; throws kUnavailable after it.
  virtual PooledConnection Acquire() = 0;
  // Describes the target without secrets, for logs ("sqlite:data/examphoto.db").
  virtual std::string Describe() const = 0;

 protected:
  friend class PooledConnection;
  virtual void Release(std::unique_ptr<Connection> connection) = 0;
};

struct DatabaseOptions {
  // "sqlite:PATH" or "postgresql://user:pass@host:port/db" (any libpq connection URI).
  // FromConfig's default is "sqlite:<data_dir>/examphoto.db".
  std::string url;
  int pool_size = 8;
  std::chrono::milliseconds acquire_timeout{5000};
  // How often expired login rows are deleted (ExpiredRowsSweeper); zero: never.
  std::chrono::seconds cleanup_interval{3600};
  // Section "database": url, pool_size, cleanup_interval_seconds.
  static Result<DatabaseOptions> FromConfig(const ConfigSection& section,
                                            const std::filesystem::path& data_dir);
};

// Opens the engine named by the URL. Throws DatabaseError when it cannot be reached.
std::unique_ptr<Database> OpenDatabase(const DatabaseOptions& options);

// Asks the engine a trivial question; throws DatabaseError when it does not answer.
void Ping(Database& database);

template <typename T>
struct IsResult : std::false_type {};
template <typename T>
struct IsResult<Result<T>> : std::true_type {};

// Runs `body(connection)` inside a write transaction; commits when it returns, rolls back
// when it throws or when it returns a Result (or Status) that is an error, so a step that
// refuses half-way leaves nothing behind. Retries a few times when the engine reports a
// serialization conflict.
template <typename Body>
auto InWriteTransaction(Database& database, Body&& body) {
  for (int attempt = 0;; ++attempt) {
    PooledConnection connection = database.Acquire();
    connection->BeginWrite();
    try {
      using Returned = decltype(body(*connection));
      if constexpr (std::is_void_v<Returned>) {
        body(*connection);
        connection->Commit();
        return;
      } else {
        auto result = body(*connection);
        if constexpr (IsResult<Returned>::value) {
          if (!result.ok()) {
            connection->Rollback();
            return result;
          }
        }
        connection->Commit();
        return result;
      }
    } catch (const DatabaseError& error) {
      if (!connection->IsBroken()) connection->Rollback();
      if (error.kind() != DatabaseError::Kind::kSerialization || attempt >= 4) throw;
    } catch (...) {
      if (!connection->IsBroken()) connection->Rollback();
      throw;
    }
  }
}

}  // namespace examphoto
