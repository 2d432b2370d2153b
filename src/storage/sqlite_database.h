// SQLite engine: the embedded default. WAL mode so readers never wait for the writer; a
// busy timeout so concurrent writers queue instead of failing; prepared statements cached
// per connection.
#pragma once

#include <string>

#include "storage/connection_pool.h"
#include "storage/database.h"

namespace examphoto {

class SqliteDatabase : public Database {
 public:
  SqliteDatabase(std::string path, const DatabaseOptions& options);
  SqlDialect dialect() const override { return SqlDialect::kSqlite; }
  PooledConnection Acquire() override;
  std::string Describe() const override { return "sqlite:" + path_; }

 protected:
  void Release(std::unique_ptr<Connection> connection) override;

 private:
  std::string path_;
  ConnectionPool pool_;
};

}  // namespace examphoto
