// Registration records (the roster). Reads are single indexed look-ups; the import writes a
// whole file in one transaction through `Upsert` on the connection it is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/candidate.h"
#include "storage/database.h"

namespace examphoto {

class CandidateRepository {
 public:
  explicit CandidateRepository(Database& database) : database_(database) {}

  std::optional<Candidate> FindById(int64_t id);
  std::optional<Candidate> FindByPhone(std::string_view phone);
  int64_t Count();

  // Within a caller's transaction:
  static std::optional<Candidate> FindByRegistrationNo(Connection& c, std::string_view no);
  static std::optional<Candidate> FindByIdNumber(Connection& c, std::string_view id_number);
  static std::optional<Candidate> FindByPhone(Connection& c, std::string_view phone);
  static std::optional<Candidate> FindById(Connection& c, int64_t id);
  // Inserts a new record; returns its id.
  static int64_t Insert(Connection& c, const Candidate& candidate, int64_t now);
  // Updates the record with candidate.id.
  static void Update(Connection& c, const Candidate& candidate, int64_t now);

 private:
  Database& database_;
};

}  // namespace examphoto
