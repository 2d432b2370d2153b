#include "storage/id_card_upload_repository.h"

#include "storage/record_json.h"

namespace examphoto {
namespace {

SqlParam OptionalText(const std::optional<std::string>& text) {
  return text ? SqlParam(std::string_view(*text)) : SqlParam(nullptr);
}

}  // namespace

int64_t IdCardUploadRepository::Insert(const IdCardUploadRecord& u) {
  return c_
      .Query(
          "INSERT INTO id_card_uploads (candidate_id, side, created_at, accepted, reading, "
          "image_key, card_key, portrait_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
          "RETURNING id",
          {u.candidate_id, ToString(u.side), u.created_at, int64_t{u.reading.accepted},
           record_json::WriteCardSide(u.reading), u.image_key, OptionalText(u.card_key),
           OptionalText(u.portrait_key)})
      .front()
      .Int(0);
}

std::vector<IdCardUploadRecord> IdCardUploadRepository::ListForCandidate(int64_t candidate_id,
                                                                         int64_t limit) {
  std::vector<IdCardUploadRecord> out;
  for (const SqlRow& r :
       c_.Query("SELECT id, candidate_id, side, created_at, accepted, reading, image_key, "
                "card_key, portrait_key FROM id_card_uploads WHERE candidate_id = $1 "
                "ORDER BY created_at DESC, id DESC LIMIT $2",
                {candidate_id, limit})) {
    IdCardUploadRecord upload;
    upload.id = r.Int(0);
    upload.candidate_id = r.Int(1);
    upload.side = ParseCardSide(r.Text(2)).value_or(CardSide::kPortrait);
    upload.created_at = r.Int(3);
    upload.reading = record_json::ReadCardSide(r.Text(5));
    upload.reading.accepted = r.Int(4) != 0;
    upload.image_key = r.Text(6);
    if (!r.IsNull(7)) upload.card_key = r.Text(7);
    if (!r.IsNull(8)) upload.portrait_key = r.Text(8);
    out.push_back(std::move(upload));
  }
  return out;
}

std::optional<std::string> IdCardUploadRepository::ImageKey(int64_t candidate_id, int64_t upload_id,
                                                            IdCardImage image) {
  // The candidate id is part of the look-up: an upload id of another candidate finds nothing.
  static const std::string kCapture =
      "SELECT image_key FROM id_card_uploads WHERE id = $1 AND candidate_id = $2";
  static const std::string kCard =
      "SELECT card_key FROM id_card_uploads WHERE id = $1 AND candidate_id = $2";
  static const std::string kPortrait =
      "SELECT portrait_key FROM id_card_uploads WHERE id = $1 AND candidate_id = $2";
  const std::string& sql = image == IdCardImage::kCapture ? kCapture
                           : image == IdCardImage::kCard  ? kCard
                                                          : kPortrait;
  auto rows = c_.Query(sql, {upload_id, candidate_id});
  if (rows.empty() || rows.front().IsNull(0)) return std::nullopt;
  return rows.front().Text(0);
}

std::optional<std::string> IdCardUploadRepository::LatestAcceptedPortraitKey(int64_t candidate_id) {
  auto rows = c_.Query(
      "SELECT portrait_key FROM id_card_uploads WHERE candidate_id = $1 AND side = 'portrait' "
      "AND accepted = 1 AND portrait_key IS NOT NULL ORDER BY id DESC LIMIT 1",
      {candidate_id});
  if (rows.empty()) return std::nullopt;
  return rows.front().Text(0);
}

std::optional<std::string> IdCardUploadRepository::LatestAcceptedCardKey(int64_t candidate_id,
                                                                         CardSide side) {
  auto rows = c_.Query(
      "SELECT card_key FROM id_card_uploads WHERE candidate_id = $1 AND side = $2 "
      "AND accepted = 1 AND card_key IS NOT NULL ORDER BY id DESC LIMIT 1",
      {candidate_id, std::string(ToString(side))});
  if (rows.empty()) return std::nullopt;
  return rows.front().Text(0);
}

}  // namespace examphoto
