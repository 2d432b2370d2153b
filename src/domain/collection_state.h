// The candidate's collection as a state machine (seed guide sections 三 to 七). The server
// owns this state: the app asks for it to decide which screen to show, and every request
// that moves the collection goes through `ApplyEvent`, which refuses what the guide does
// not allow. The exam office's actions (reset to a step, accept or reject a photo by hand)
// are events of the same table, so no layer above sets a state of its own. Pure: no clock,
// no storage.
#pragma once

#include <optional>
#include <string_view>

#include "domain/result.h"

namespace examphoto {

enum class CollectionState {
  kIdCardPending,       // logged in; both sides of the ID card still to upload (三)
  kIdCardUploaded,      // both sides read; waiting for 确认无误 or 重新录入 (四)
  kIdentityMismatch,    // name or number differ from the roster; office must correct (FAQ 一)
  kIdentityConfirmed,   // ready for the portrait (五)
  kPhotoRejected,       // the last portrait failed the check; 重新拍照 (五.3.2)
  kPhotoAccepted,       // the last portrait passed; 提交照片 or 重新拍照 (五.3.3)
  kAwaitingConsent,     // 提交照片 pressed; 同意并提交 sends it to verification (六.1)
  kVerifying,           // the identity check runs; the app polls (六.2)
  kVerified,            // 提交成功; locked unless the office resets it (七.1)
  kVerificationFailed,  // 身份核验不通过; 重新拍照 (七.2)
};

enum class CollectionEvent {
  kIdCardCompleted,     // both sides uploaded and read
  kIdCardIncomplete,    // a side was replaced and the pair is not complete
  kReenterIdCard,       // 重新录入
  kIdentityMatched,     // 确认无误 and the card agrees with the roster
  kIdentityMismatched,  // 确认无误 but the card disagrees with the roster
  kPhotoPassed,         // a portrait was uploaded and passed the check
  kPhotoFailed,         // a portrait was uploaded and failed the check
  kRetakePhoto,         // 重新拍照
  kSubmitPhoto,         // 提交照片
  kConsentAndSubmit,    // 同意并提交
  kVerificationPassed,
  kVerificationFailed,
  // The exam office (FAQ 一 and the console's actions); each needs a reason, kept by the service.
  kOfficeResetToIdCard,  // back to the ID card upload, readings cleared; allowed from any state
  kOfficeResetToPhoto,   // back to the photo step; only once the identity was confirmed
  kOfficeAcceptPhoto,    // a photo accepted by hand is final (verified, locked)
  kOfficeRejectPhoto,    // a photo refused by hand: the candidate retakes
};

std::string_view ToString(CollectionState state);
std::optional<CollectionState> ParseCollectionState(std::string_view text);
std::string_view ToString(CollectionEvent event);

// The state after `event`, or a kConflict error when the table does not allow that step now:
// "collection.locked" (verified), "collection.verifying", "collection.invalid_transition",
// and for the office's events "office.reset_needs_identity" / "office.photo_decision_state".
Result<CollectionState> ApplyEvent(CollectionState state, CollectionEvent event);

// Whether a portrait may be uploaded in `state` (the upload itself then yields
// kPhotoPassed or kPhotoFailed).
bool CanUploadPhoto(CollectionState state);
// Whether an ID card side may be uploaded in `state`.
bool CanUploadIdCard(CollectionState state);

// The office event that resets a collection to `target`; nullopt when the office may not
// reset to that state (only the ID card step and the photo step are reset targets).
std::optional<CollectionEvent> OfficeResetEvent(CollectionState target);

}  // namespace examphoto
