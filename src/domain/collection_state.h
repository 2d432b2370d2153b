// The candidate's collection as a state machine (seed guide sections 三 to 七). The server
// owns this state: the app asks for it to decide which screen to show, and every request
// that moves the collection goes through `ApplyEvent`, which refuses what the guide does
// not allow. Pure: no clock, no storage.
#pragma once

#include <optional>
#include <string_view>

#include "domain/result.h"

namespace examphoto {

enum class CollectionState {
  kIdCardPending,         // logged in; both sides of the ID card still to upload (三)
  kIdCardUploaded,        // both sides read; waiting for 确认无误 or 重新录入 (四)
  kIdentityMismatch,      // name or number differ from the roster; office must correct (FAQ 一)
  kIdentityConfirmed,     // ready for the portrait (五)
  kPhotoRejected,         // the last portrait failed the check; 重新拍照 (五.3.2)
  kPhotoAccepted,         // the last portrait passed; 提交照片 or 重新拍照 (五.3.3)
  kAwaitingConsent,       // 提交照片 pressed; 同意并提交 sends it to verification (六.1)
  kVerifying,             // the identity check runs; the app polls (六.2)
  kVerified,              // 提交成功; locked unless the office resets it (七.1)
  kVerificationFailed,    // 身份核验不通过; 重新拍照 (七.2)
};

enum class CollectionEvent {
  kIdCardCompleted,       // both sides uploaded and read
  kIdCardIncomplete,      // a side was replaced and the pair is not complete
  kReenterIdCard,         // 重新录入
  kIdentityMatched,       // 确认无误 and the card agrees with the roster
  kIdentityMismatched,    // 确认无误 but the card disagrees with the roster
  kPhotoPassed,           // a portrait was uploaded and passed the check
  kPhotoFailed,           // a portrait was uploaded and failed the check
  kRetakePhoto,           // 重新拍照
  kSubmitPhoto,           // 提交照片
  kConsentAndSubmit,      // 同意并提交
  kVerificationPassed,
  kVerificationFailed,
};

std::string_view ToString(CollectionState state);
std::optional<CollectionState> ParseCollectionState(std::string_view text);
std::string_view ToString(CollectionEvent event);

// The state after `event`, or a kConflict error "collection.invalid_transition" (with the
// catalogue's text) when the guide does not allow that step now.
Result<CollectionState> ApplyEvent(CollectionState state, CollectionEvent event);

// Whether a portrait may be uploaded in `state` (the upload itself then yields
// kPhotoPassed or kPhotoFailed).
bool CanUploadPhoto(CollectionState state);
// Whether an ID card side may be uploaded in `state`.
bool CanUploadIdCard(CollectionState state);

// States the office may reset a collection to.
bool IsResetTarget(CollectionState state);

}  // namespace examphoto
