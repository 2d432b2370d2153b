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

std::optional<CollectionView> CollectionRepository::LoadView(int64_t candidate_id) {
  auto c = database_.Acquire();
  auto rows = c->Query(
      "SELECT c.id, c.registration_no, c.name, c.id_number, c.phone, c.exam_session, "
      "col.candidate_id, col.state, col.version, col.portrait_side, col.emblem_side, "
      "col.mismatch, col.photo_attempt_id, col.verification, col.updated_at, "
      "pa.id, pa.passed, pa.report, pa.photo_key "
      "FROM candidates c LEFT JOIN collections col ON col.candidate_id = c.id "
      "LEFT JOIN photo_attempts pa ON pa.id = col.photo_attempt_id AND pa.candidate_id = c.id "
      "WHERE c.id = $1",
      {candidate_id});
  if (rows.empty()) return std::nullopt;
  const SqlRow& r = rows.front();
  CollectionView view;
  view.candidate = {r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
  if (!r.IsNull(6)) {
    std::vector<std::optional<std::string>> cells;
    for (size_t i = 6; i <= 14; ++i) {
      cells.push_back(r.IsNull(i) ? std::nullopt : std::optional<std::string>(r.Text(i)));
    }
    SqlRows record_rows;
    record_rows.emplace_back(std::move(cells));
    view.record = ReadRecord(record_rows);
  }
  if (!r.IsNull(15)) {
    view.attempt = StoredPhotoAttempt{r.Int(15), r.Int(16) != 0, r.Text(17), !r.IsNull(18)};
  }
  return view;
}

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
  return ReadRecord(
      c.Query(dialect == SqlDialect::kPostgres ? kForUpdate : kSelect, {candidate_id}));
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

void CollectionRepository::AppendEvent(Connection& c, int64_t candidate_id, std::string_view actor,
                                       std::string_view event, CollectionState from,
                                       CollectionState to, std::string_view detail, int64_t now) {
  c.Execute(
      "INSERT INTO collection_events (candidate_id, happened_at, actor, event, from_state, "
      "to_state, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {candidate_id, now, actor, event, ToString(from), ToString(to), detail});
}

}  // namespace examphoto
