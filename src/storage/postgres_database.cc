#include "storage/postgres_database.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace examphoto {
namespace {

constexpr Oid kByteaOid = 17;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresConnection : public Connection {
 public:
  explicit PostgresConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw DatabaseError(DatabaseError::Kind::kUnavailable, "postgresql: " + message);
    }
    PostgresConnection::ExecuteScript("SET client_min_messages TO warning");
  }
  ~PostgresConnection() override {
    if (conn_) PQfinish(conn_);
  }

  SqlRows Query(std::string_view sql, const std::vector<SqlParam>& params) override {
    ResultPtr result = Run(sql, params);
    SqlRows rows;
    const int row_count = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    rows.reserve(row_count);
    for (int r = 0; r < row_count; ++r) {
      std::vector<std::optional<std::string>> cells;
      cells.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result.get(), r, c)) {
          cells.emplace_back(std::nullopt);
        } else if (PQftype(result.get(), c) == kByteaOid) {
          size_t length = 0;
          unsigned char* bytes = PQunescapeBytea(
              reinterpret_cast<const unsigned char*>(PQgetvalue(result.get(), r, c)), &length);
          cells.emplace_back(std::string(reinterpret_cast<char*>(bytes), length));
          PQfreemem(bytes);
        } else {
          cells.emplace_back(
              std::string(PQgetvalue(result.get(), r, c), PQgetlength(result.get(), r, c)));
        }
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  int64_t Execute(std::string_view sql, const std::vector<SqlParam>& params) override {
    ResultPtr result = Run(sql, params);
    const char* affected = PQcmdTuples(result.get());
    return (affected && *affected) ? std::stoll(affected) : 0;
  }

  void ExecuteScript(std::string_view sql) override {
    EnsureConnected();
    ResultPtr result(PQexec(conn_, std::string(sql).c_str()));
    Check(result.get());
  }

  void BeginWrite() override { ExecuteScript("BEGIN"); }
  void Commit() override { ExecuteScript("COMMIT"); }
  void Rollback() override {
    if (conn_ && PQtransactionStatus(conn_) != PQTRANS_IDLE) ExecuteScript("ROLLBACK");
  }
  bool IsBroken() const override { return conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK; }
  SqlDialect dialect() const override { return SqlDialect::kPostgres; }

 private:
  void EnsureConnected() {
    if (PQstatus(conn_) == CONNECTION_OK) return;
    prepared_.clear();
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      throw DatabaseError(DatabaseError::Kind::kUnavailable,
                          std::string("postgresql: ") + PQerrorMessage(conn_));
    }
  }

  ResultPtr Run(std::string_view sql, const std::vector<SqlParam>& params) {
    EnsureConnected();
    auto it = prepared_.find(std::string(sql));
    if (it == prepared_.end()) {
      std::string name = "s" + std::to_string(prepared_.size());
      ResultPtr prepared(PQprepare(conn_, name.c_str(), std::string(sql).c_str(), 0, nullptr));
      Check(prepared.get());
      it = prepared_.emplace(std::string(sql), std::move(name)).first;
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size());
    std::vector<int> formats(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              values[i] = nullptr;
            } else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, double>) {
              texts[i] = std::to_string(value);
              values[i] = texts[i].c_str();
            } else if constexpr (std::is_same_v<T, std::string_view>) {
              texts[i] = std::string(value);
              values[i] = texts[i].c_str();
            } else {
              values[i] = value.data.data();
              lengths[i] = static_cast<int>(value.data.size());
              formats[i] = 1;
            }
          },
          params[i]);
    }
    ResultPtr result(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                    values.data(), lengths.data(), formats.data(), 0));
    Check(result.get());
    return result;
  }

  void Check(PGresult* result) {
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state ? state : "";
    std::string message = "postgresql: ";
    message += result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
    DatabaseError::Kind kind = DatabaseError::Kind::kOther;
    if (sqlstate == "23505") {
      kind = DatabaseError::Kind::kUniqueViolation;
    } else if (sqlstate == "40001" || sqlstate == "40P01") {
      kind = DatabaseError::Kind::kSerialization;
    } else if (sqlstate == "53100") {  // disk_full
      kind = DatabaseError::Kind::kStorageFull;
    } else if (PQstatus(conn_) != CONNECTION_OK || sqlstate.rfind("08", 0) == 0 ||
               sqlstate.rfind("57P", 0) == 0 || sqlstate == "53300") {
      kind = DatabaseError::Kind::kUnavailable;
    }
    throw DatabaseError(kind, message);
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;
};

}  // namespace

PostgresDatabase::PostgresDatabase(std::string url, const DatabaseOptions& options)
    : url_(std::move(url)),
      pool_([this] { return std::make_unique<PostgresConnection>(url_); }, options.pool_size,
            options.acquire_timeout) {
  pool_.Give(pool_.Take());
}

PooledConnection PostgresDatabase::Acquire() { return PooledConnection(this, pool_.Take()); }

void PostgresDatabase::Release(std::unique_ptr<Connection> connection) {
  pool_.Give(std::move(connection));
}

std::string PostgresDatabase::Describe() const {
  // Hide the password: postgresql://user:secret@host/db -> postgresql://user:***@host/db
  std::string shown = url_;
  const size_t scheme = shown.find("://");
  const size_t at = shown.find('@');
  if (scheme != std::string::npos && at != std::string::npos) {
    const size_t colon = shown.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) shown.replace(colon + 1, at - colon - 1, "***");
  }
  return shown;
}

}  // namespace examphoto
