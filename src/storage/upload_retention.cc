#include "storage/upload_retention.h"

#include <string>
#include <vector>

namespace examphoto {

int64_t PruneOldUploads(Database& database, BlobStore& blobs, int64_t candidate_id, UploadSlot slot,
                        int64_t keep) {
  const bool photo = slot == UploadSlot::kPhoto;
  const std::string table = photo ? "photo_attempts" : "id_card_uploads";
  const std::string column = photo ? "upload_key" : "image_key";
  const std::string side_filter = photo ? "" : " AND side = $3";
  const char* side = slot == UploadSlot::kIdCardPortrait ? "portrait" : "emblem";
  std::vector<SqlParam> params{candidate_id, keep};
  if (!photo) params.emplace_back(side);
  std::vector<std::pair<int64_t, std::string>> old;
  {
    auto c = database.Acquire();
    // Every row beyond the newest `keep` of this slot whose bytes are still there.
    const auto rows = c->Query("SELECT id, " + column + " FROM " + table +
                                   " WHERE candidate_id = $1" + side_filter + " AND " + column +
                                   " NOT LIKE 'purged/%' AND id NOT IN (SELECT id FROM " + table +
                                   " WHERE candidate_id = $1" + side_filter +
                                   " ORDER BY created_at DESC, id DESC LIMIT $2)",
                               params);
    for (const auto& row : rows) old.emplace_back(row.Int(0), row.Text(1));
  }
  for (const auto& [id, key] : old) {
    {
      auto c = database.Acquire();
      c->Execute(std::string("UPDATE ").append(table).append(" SET ").append(column).append(
                     " = $2 WHERE id = $1"),
                 {id, "purged/" + key});
    }
    blobs.Remove(key);
  }
  return static_cast<int64_t>(old.size());
}

}  // namespace examphoto
