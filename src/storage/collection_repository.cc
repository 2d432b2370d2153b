#include "storage/collection_repository.h"

namespace examphoto {
namespace {

constexpr const char* kSelect =
    "SELECT candidate_id, state, version, portrait_side, emblem_side, mismatch, "
    "photo_attempt_id, verification, updated_at FROM collections WHERE candidate_id = $1";

std::optional<CollectionRecord> ReadRecord(const SqlRows& rows) {
  if (rows.empty()) return std::nullopt;
  const SqlRow& r = rows.front();
  CollectionRecord record;
  record.candidate_id = r.Int(0);
  auto state = ParseCollectionState(r.Text(1));
  if (!state) throw DatabaseError(DatabaseError::Kind::kOther, "unknown state " + r.Text(1));
  record.state = *state;
  record.version = r.Int(2);
  record.portrait_side = r.TextOr(3, "");
  record.emblem_side = r.TextOr(4, "");
  record.mismatch = r.TextOr(5, "");
  record.photo_attempt_id = r.OptionalInt(6);
  record.verification = r.TextOr(7, "");
  record.updated_at = r.Int(8);
  return record;
}

SqlParam TextOrNull(const std::string& s) {
  if (s.empty()) return nullptr;
  return std::string_view(s);
}

}  // namespace

CollectionRecord CollectionRepository::GetOrCreate(int64_t candidate_id, int64_t now) {
  auto c = database_.Acquire();
  if (auto record = ReadRecord(c->Query(kSelect, {candidate_id}))) return *record;
  c->Execute(
      "INSERT INTO collections (candidate_id, state, version, updated_at) VALUES ($1, $2, 0, $3) "
      "ON CONFLICT (candidate_id) DO NOTHING",
      {candidate_id, ToString(CollectionState::kIdCardPending), now});
  return *ReadRecord(c->Query(kSelect, {candidate_id}));
}

std::optional<CollectionRecord> CollectionRepository::LockForUpdate(Connection& c,
                                                                    SqlDialect dialect,
                                                                    int64_t candidate_id) {
  // SQLite's BEGIN IMMEDIATE already holds the database's write lock.
  static const std::string kForUpdate = std::string(kSelect) + " FOR UPDATE";
  return ReadRecord(c.Query(dialect == SqlDialect::kPostgres ? kForUpdate : kSelect, {candidate_id}));
}

void CollectionRepository::Save(Connection& c, const CollectionRecord& r, int64_t now) {
  SqlParam attempt = r.photo_attempt_id ? SqlParam(*r.photo_attempt_id) : SqlParam(nullptr);
  c.Execute(
      "UPDATE collections SET state = $2, version = version + 1, portrait_side = $3, "
      "emblem_side = $4, mismatch = $5, photo_attempt_id = $6, verification = $7, "
      "updated_at = $8 WHERE candidate_id = $1",
      {r.candidate_id, ToString(r.state), TextOrNull(r.portrait_side), TextOrNull(r.emblem_side),
       TextOrNull(r.mismatch), attempt, TextOrNull(r.verification), now});
}

void CollectionRepository::AppendEvent(Connection& c, int64_t candidate_id,
                                       std::string_view actor, std::string_view event,
                                       CollectionState from, CollectionState to,
                                       std::string_view detail, int64_t now) {
  c.Execute(
      "INSERT INTO collection_events (candidate_id, happened_at, actor, event, from_state, "
      "to_state, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {candidate_id, now, actor, event, ToString(from), ToString(to), detail});
}

}  // namespace examphoto
