#include "storage/sqlite_database.h"

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <unordered_map>

namespace examphoto {
namespace {

// Rewrites PostgreSQL-style $N placeholders to SQLite's ?N (same numbering).
std::string AdaptPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  bool in_string = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'') in_string = !in_string;
    if (!in_string && c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out.push_back('?');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class SqliteConnection : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw DatabaseError(DatabaseError::Kind::kUnavailable,
                          "cannot open SQLite database " + path + ": " + message);
    }
    sqlite3_busy_timeout(db_, 10000);
    SqliteConnection::ExecuteScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY;");
  }

  ~SqliteConnection() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }

  SqlRows Query(std::string_view sql, const std::vector<SqlParam>& params) override {
    sqlite3_stmt* statement = Prepare(sql, params);
    SqlRows rows;
    const int columns = sqlite3_column_count(statement);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      std::vector<std::optional<std::string>> cells;
      cells.reserve(columns);
      for (int i = 0; i < columns; ++i) {
        switch (sqlite3_column_type(statement, i)) {
          case SQLITE_NULL:
            cells.emplace_back(std::nullopt);
            break;
          case SQLITE_BLOB: {
            const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, i));
            cells.emplace_back(std::string(data ? data : "", sqlite3_column_bytes(statement, i)));
            break;
          }
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
            cells.emplace_back(std::string(text, sqlite3_column_bytes(statement, i)));
          }
        }
      }
      rows.emplace_back(std::move(cells));
    }
    Finish(statement, rc);
    return rows;
  }

  int64_t Execute(std::string_view sql, const std::vector<SqlParam>& params) override {
    sqlite3_stmt* statement = Prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    }
    Finish(statement, rc);
    return sqlite3_changes64(db_);
  }

  void ExecuteScript(std::string_view sql) override {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message ? message : "unknown error";
      sqlite3_free(message);
      Throw(rc, text);
    }
  }

  void BeginWrite() override { ExecuteScript("BEGIN IMMEDIATE"); }
  void Commit() override { ExecuteScript("COMMIT"); }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) ExecuteScript("ROLLBACK");
  }
  bool IsBroken() const override { return db_ == nullptr; }
  SqlDialect dialect() const override { return SqlDialect::kSqlite; }

 private:
  sqlite3_stmt* Prepare(std::string_view sql, const std::vector<SqlParam>& params) {
    auto it = statements_.find(std::string(sql));
    sqlite3_stmt* statement = nullptr;
    if (it == statements_.end()) {
      const std::string adapted = AdaptPlaceholders(sql);
      const int rc = sqlite3_prepare_v3(db_, adapted.c_str(), static_cast<int>(adapted.size()),
                                        SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
      if (rc != SQLITE_OK) Throw(rc, std::string(sqlite3_errmsg(db_)) + " in: " + adapted);
      statements_.emplace(std::string(sql), statement);
    } else {
      statement = it->second;
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      std::visit(
          [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              rc = sqlite3_bind_null(statement, index);
            } else if constexpr (std::is_same_v<T, int64_t>) {
              rc = sqlite3_bind_int64(statement, index, value);
            } else if constexpr (std::is_same_v<T, double>) {
              rc = sqlite3_bind_double(statement, index, value);
            } else if constexpr (std::is_same_v<T, std::string_view>) {
              rc = sqlite3_bind_text64(statement, index, value.data(), value.size(),
                                       SQLITE_TRANSIENT, SQLITE_UTF8);
            } else {
              rc = sqlite3_bind_blob64(statement, index, value.data.data(), value.data.size(),
                                       SQLITE_TRANSIENT);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) Throw(rc, sqlite3_errmsg(db_));
    }
    return statement;
  }

  void Finish(sqlite3_stmt* statement, int rc) {
    if (rc != SQLITE_DONE) {
      std::string message = sqlite3_errmsg(db_);
      sqlite3_reset(statement);
      Throw(rc, message);
    }
    sqlite3_reset(statement);
  }

  [[noreturn]] void Throw(int rc, const std::string& message) {
    const int primary = rc & 0xff;
    DatabaseError::Kind kind = DatabaseError::Kind::kOther;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      kind = DatabaseError::Kind::kUniqueViolation;
    } else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      kind = DatabaseError::Kind::kSerialization;
    } else if (primary == SQLITE_FULL) {
      kind = DatabaseError::Kind::kStorageFull;
    } else if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN ||
               primary == SQLITE_READONLY) {
      kind = DatabaseError::Kind::kUnavailable;
    } else if (primary == SQLITE_CONSTRAINT) {
      const int extended = sqlite3_extended_errcode(db_);
      if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        kind = DatabaseError::Kind::kUniqueViolation;
      }
    }
    throw DatabaseError(kind, "sqlite: " + message);
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

SqliteDatabase::SqliteDatabase(std::string path, const DatabaseOptions& options)
    : path_(std::move(path)),
      pool_([this] { return std::make_unique<SqliteConnection>(path_); }, options.pool_size,
            options.acquire_timeout) {
  const auto parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  // Open one connection now so that a bad path fails at start-up, not at the first request.
  pool_.Give(pool_.Take());
}

PooledConnection SqliteDatabase::Acquire() { return PooledConnection(this, pool_.Take()); }

void SqliteDatabase::Release(std::unique_ptr<Connection> connection) {
  pool_.Give(std::move(connection));
}

}  // namespace examphoto
