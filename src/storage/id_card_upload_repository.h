// Every ID card side a candidate uploaded (`id_card_uploads`, its one owner): the reading,
// whether it was accepted, and the blobs of the capture, the straightened card and the
// portrait printed on it. Works on the connection or transaction it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/card_side.h"
#include "domain/collection_data.h"
#include "storage/database.h"

namespace examphoto {

struct IdCardUploadRecord {
  int64_t id = 0;
  int64_t candidate_id = 0;
  CardSide side = CardSide::kPortrait;
  int64_t created_at = 0;
  CardSideRecord reading;  // reading.accepted: the side was taken into the collection
  std::string image_key;
  std::optional<std::string> card_key;
  std::optional<std::string> portrait_key;
};

// The three images kept of one upload.
enum class IdCardImage { kCapture, kCard, kPortrait };

class IdCardUploadRepository {
 public:
  explicit IdCardUploadRepository(Connection& connection) : c_(connection) {}

  // Stores the upload (its id is ignored); returns the new id.
  int64_t Insert(const IdCardUploadRecord& upload);
  // Newest first.
  std::vector<IdCardUploadRecord> ListForCandidate(int64_t candidate_id, int64_t limit);
  // The blob key of one image of the candidate's own upload; nullopt when there is none.
  std::optional<std::string> ImageKey(int64_t candidate_id, int64_t upload_id, IdCardImage image);
  // The face printed on the candidate's latest accepted portrait side, for the local
  // face comparison.
  std::optional<std::string> LatestAcceptedPortraitKey(int64_t candidate_id);
  // The straightened card of the candidate's latest accepted upload of `side`.
  std::optional<std::string> LatestAcceptedCardKey(int64_t candidate_id, CardSide side);

 private:
  Connection& c_;
};

}  // namespace examphoto
