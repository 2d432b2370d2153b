// Brings a database to the newest schema. Migrations are the numbered files in
// src/storage/migrations/, compiled into the binary and applied in order, each in its own
// transaction, and recorded in schema_migrations. Several instances may start at once: on
// PostgreSQL an advisory lock serialises them, on SQLite the write lock does.
#pragma once

#include <string>
#include <vector>

#include "storage/database.h"

namespace examphoto {

struct MigrationReport {
  std::vector<std::string> applied;  // file names applied by this call
  int schema_version = 0;            // newest version present afterwards
};

MigrationReport MigrateToLatest(Database& database);

// The migration text in the engine's dialect ({{id}}, {{blob}} replaced, the other engine's
// "-- {{sqlite}}" / "-- {{postgres}}" ... "-- {{end}}" sections dropped); for tests.
std::string RenderMigration(std::string_view text, SqlDialect dialect);

}  // namespace examphoto
