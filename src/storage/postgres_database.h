// PostgreSQL engine (libpq), for deployments with several server instances. Statements are
// prepared once per connection; a connection that lost its server is reset on next use.
#pragma once

#include <string>

#include "storage/connection_pool.h"
#include "storage/database.h"

namespace examphoto {

class PostgresDatabase : public Database {
 public:
  PostgresDatabase(std::string url, const DatabaseOptions& options);
  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  PooledConnection Acquire() override;
  std::string Describe() const override;

 protected:
  void Release(std::unique_ptr<Connection> connection) override;

 private:
  std::string url_;
  ConnectionPool pool_;
};

}  // namespace examphoto
