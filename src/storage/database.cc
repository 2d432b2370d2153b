#include "storage/database.h"

#include <charconv>

#include "storage/postgres_database.h"
#include "storage/sqlite_database.h"

namespace examphoto {

const std::string& SqlRow::Text(size_t i) const {
  const auto& cell = cells_.at(i);
  if (!cell) throw DatabaseError(DatabaseError::Kind::kOther, "unexpected NULL in column");
  return *cell;
}

std::string SqlRow::TextOr(size_t i, const std::string& fallback) const {
  const auto& cell = cells_.at(i);
  return cell ? *cell : fallback;
}

int64_t SqlRow::Int(size_t i) const {
  const std::string& text = Text(i);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc())
    throw DatabaseError(DatabaseError::Kind::kOther, "not an integer: " + text);
  return value;
}

std::optional<int64_t> SqlRow::OptionalInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

double SqlRow::Real(size_t i) const { return std::stod(Text(i)); }

void Ping(Database& database) { database.Acquire()->Query("SELECT 1"); }

PooledConnection::~PooledConnection() {
  if (owner_ && connection_) owner_->Release(std::move(connection_));
}

Result<DatabaseOptions> DatabaseOptions::FromConfig(const ConfigSection& section,
                                                    const std::filesystem::path& data_dir) {
  DatabaseOptions options;
  options.url = "sqlite:" + (data_dir / "examphoto.db").string();
  for (const Status& read :
       {section.ReadSecret("url", options.url),
        section.Read("pool_size", options.pool_size, 1, 100'000),
        section.Read("cleanup_interval_seconds", options.cleanup_interval, 0, kConfigMaxSeconds)}) {
    if (!read.ok()) return read.error();
  }
  if (options.url.rfind("sqlite:", 0) != 0 && options.url.rfind("postgres://", 0) != 0 &&
      options.url.rfind("postgresql://", 0) != 0) {
    return section.Invalid("url", "sqlite:PATH or postgresql://user:password@host:port/db");
  }
  return options;
}

std::unique_ptr<Database> OpenDatabase(const DatabaseOptions& options) {
  if (options.url.rfind("sqlite:", 0) == 0) {
    return std::make_unique<SqliteDatabase>(options.url.substr(7), options);
  }
  if (options.url.rfind("postgres://", 0) == 0 || options.url.rfind("postgresql://", 0) == 0) {
    return std::make_unique<PostgresDatabase>(options.url, options);
  }
  throw DatabaseError(DatabaseError::Kind::kOther,
                      "database.url must start with sqlite: or postgresql://, got: " + options.url);
}

}  // namespace examphoto
