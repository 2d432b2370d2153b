#include "storage/collection_repository.h"

#include "domain/china_time.h"
#include "storage/record_json.h"

namespace examphoto {
namespace {

constexpr std::string_view kColumns =
    "candidate_id, state, version, portrait_side, emblem_side, mismatch, photo_attempt_id, "
    "verification, updated_at";

// The collection's columns starting at `first` (in kColumns order).
CollectionRecord ReadRecord(const SqlRow& r, size_t first = 0) {
  CollectionRecord record;
  record.candidate_id = r.Int(first);
  auto state = ParseCollectionState(r.Text(first + 1));
  if (!state) {
    throw DatabaseError(DatabaseError::Kind::kOther, "unknown state " + r.Text(first + 1));
  }
  record.state = *state;
  record.version = r.Int(first + 2);
  if (!r.IsNull(first + 3)) record.portrait_side = record_json::ReadCardSide(r.Text(first + 3));
  if (!r.IsNull(first + 4)) record.emblem_side = record_json::ReadCardSide(r.Text(first + 4));
  if (!r.IsNull(first + 5)) record.mismatch = record_json::ReadMismatch(r.Text(first + 5));
  record.photo_attempt_id = r.OptionalInt(first + 6);
  if (!r.IsNull(first + 7)) {
    record.verification = record_json::ReadVerification(r.Text(first + 7));
  }
  record.updated_at = r.Int(first + 8);
  return record;
}

std::optional<CollectionRecord> First(const SqlRows& rows) {
  if (rows.empty()) return std::nullopt;
  return ReadRecord(rows.front());
}

const std::string& SelectByCandidate() {
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM collections WHERE candidate_id = $1";
  return sql;
}

}  // namespace

std::optional<CollectionView> CollectionRepository::LoadView(int64_t candidate_id) {
  static const std::string sql =
      "SELECT c.id, c.registration_no, c.name, c.id_number, c.phone, c.exam_session, "
      "col.candidate_id, col.state, col.version, col.portrait_side, col.emblem_side, "
      "col.mismatch, col.photo_attempt_id, col.verification, col.updated_at, " +
      std::string(PhotoAttemptRepository::Columns("pa.")) +
      " FROM candidates c LEFT JOIN collections col ON col.candidate_id = c.id "
      "LEFT JOIN photo_attempts pa ON pa.id = col.photo_attempt_id AND pa.candidate_id = c.id "
      "WHERE c.id = $1";
  auto rows = c_.Query(sql, {candidate_id});
  if (rows.empty()) return std::nullopt;
  const SqlRow& r = rows.front();
  CollectionView view;
  view.candidate = {r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
  if (!r.IsNull(6)) view.record = ReadRecord(r, 6);
  if (!r.IsNull(15)) view.attempt = PhotoAttemptRepository::ReadAttempt(r, 15);
  return view;
}

std::optional<CollectionRecord> CollectionRepository::Find(int64_t candidate_id) {
  return First(c_.Query(SelectByCandidate(), {candidate_id}));
}

CollectionRecord CollectionRepository::GetOrCreate(int64_t candidate_id, int64_t now) {
  if (auto record = Find(candidate_id)) return *record;
  c_.Execute(
      "INSERT INTO collections (candidate_id, state, version, updated_at) VALUES ($1, $2, 0, $3) "
      "ON CONFLICT (candidate_id) DO NOTHING",
      {candidate_id, ToString(CollectionState::kIdCardPending), now});
  return *Find(candidate_id);
}

std::optional<CollectionRecord> CollectionRepository::LockForUpdate(int64_t candidate_id) {
  // SQLite's BEGIN IMMEDIATE already holds the database's write lock.
  static const std::string for_update = SelectByCandidate() + " FOR UPDATE";
  return First(c_.Query(c_.dialect() == SqlDialect::kPostgres ? for_update : SelectByCandidate(),
                        {candidate_id}));
}

void CollectionRepository::Save(const CollectionRecord& r, int64_t now) {
  auto optional_text = [](const auto& value, auto write) -> std::optional<std::string> {
    if (!value) return std::nullopt;
    return write(*value);
  };
  const auto portrait = optional_text(r.portrait_side, record_json::WriteCardSide);
  const auto emblem = optional_text(r.emblem_side, record_json::WriteCardSide);
  const auto mismatch = optional_text(r.mismatch, record_json::WriteMismatch);
  const auto verification = optional_text(r.verification, record_json::WriteVerification);
  auto param = [](const std::optional<std::string>& text) {
    return text ? SqlParam(std::string_view(*text)) : SqlParam(nullptr);
  };
  c_.Execute(
      "UPDATE collections SET state = $2, version = version + 1, portrait_side = $3, "
      "emblem_side = $4, mismatch = $5, photo_attempt_id = $6, verification = $7, "
      "updated_at = $8 WHERE candidate_id = $1",
      {r.candidate_id, ToString(r.state), param(portrait), param(emblem), param(mismatch),
       r.photo_attempt_id ? SqlParam(*r.photo_attempt_id) : SqlParam(nullptr), param(verification),
       now});
}

void CollectionRepository::AppendEvent(const CollectionEventRecord& e) {
  c_.Execute(
      "INSERT INTO collection_events (candidate_id, happened_at, actor, event, from_state, "
      "to_state, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {e.candidate_id, e.happened_at, e.actor, e.event, e.from_state, e.to_state,
       record_json::WriteEventNote(e.note)});
}

std::vector<CollectionEventRecord> CollectionRepository::History(int64_t candidate_id,
                                                                 int64_t limit) {
  std::vector<CollectionEventRecord> out;
  for (const SqlRow& r :
       c_.Query("SELECT id, candidate_id, happened_at, actor, event, from_state, to_state, detail "
                "FROM collection_events WHERE candidate_id = $1 ORDER BY happened_at DESC, id DESC "
                "LIMIT $2",
                {candidate_id, limit})) {
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                   record_json::ReadEventNote(r.Text(7))});
  }
  return out;
}

std::map<CollectionState, int64_t> CollectionRepository::CountByState() {
  std::map<CollectionState, int64_t> out;
  for (const SqlRow& r : c_.Query("SELECT state, COUNT(*) FROM collections GROUP BY state")) {
    if (auto state = ParseCollectionState(r.Text(0))) out[*state] += r.Int(1);
  }
  return out;
}

std::vector<DailyArrivals> CollectionRepository::CountArrivalsPerDay(
    const std::vector<CollectionState>& states, int64_t since) {
  // Day numbers in China time, the same integer division in both engines (ChinaDayNumber).
  static const std::string day = "(happened_at + " + std::to_string(kChinaUtcOffsetMillis) +
                                 ") / " + std::to_string(kDayMillis);
  std::vector<DailyArrivals> out;
  for (CollectionState state : states) {
    static const std::string sql =
        std::string("SELECT ")
            .append(day)
            .append(
                ", COUNT(*) FROM collection_events WHERE to_state = $1 AND happened_at >= $2 "
                "GROUP BY ")
            .append(day);
    for (const SqlRow& r : c_.Query(sql, {ToString(state), since})) {
      out.push_back({r.Int(0), state, r.Int(1)});
    }
  }
  return out;
}

std::vector<VerifiedPhoto> CollectionRepository::VerifiedPhotosAfter(int64_t after_candidate_id,
                                                                     std::string_view exam_session,
                                                                     int64_t limit) {
  std::vector<VerifiedPhoto> out;
  for (const SqlRow& r :
       c_.Query("SELECT k.candidate_id, c.registration_no, c.id_number, p.photo_key "
                "FROM collections k JOIN candidates c ON c.id = k.candidate_id "
                "JOIN photo_attempts p ON p.id = k.photo_attempt_id "
                "WHERE k.state = 'verified' AND k.candidate_id > $1 AND p.photo_key IS NOT NULL "
                "AND ($2 = '' OR c.exam_session = $2) ORDER BY k.candidate_id LIMIT $3",
                {after_candidate_id, exam_session, limit})) {
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3)});
  }
  return out;
}

}  // namespace examphoto
