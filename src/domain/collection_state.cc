#include "domain/collection_state.h"

#include <array>
#include <utility>

#include "domain/messages.h"

namespace examphoto {
namespace {

using S = CollectionState;
using E = CollectionEvent;

constexpr std::array<std::pair<S, std::string_view>, 10> kStateNames = {{
    {S::kIdCardPending, "id_card_pending"},
    {S::kIdCardUploaded, "id_card_uploaded"},
    {S::kIdentityMismatch, "identity_mismatch"},
    {S::kIdentityConfirmed, "identity_confirmed"},
    {S::kPhotoRejected, "photo_rejected"},
    {S::kPhotoAccepted, "photo_accepted"},
    {S::kAwaitingConsent, "awaiting_consent"},
    {S::kVerifying, "verifying"},
    {S::kVerified, "verified"},
    {S::kVerificationFailed, "verification_failed"},
}};

// The name stored in collection_events. Both office resets are "office_reset" (the event's
// detail says to which step), as the office console's history has always shown them.
constexpr std::array<std::pair<E, std::string_view>, 16> kEventNames = {{
    {E::kIdCardCompleted, "id_card_completed"},
    {E::kIdCardIncomplete, "id_card_incomplete"},
    {E::kReenterIdCard, "reenter_id_card"},
    {E::kIdentityMatched, "identity_matched"},
    {E::kIdentityMismatched, "identity_mismatched"},
    {E::kPhotoPassed, "photo_passed"},
    {E::kPhotoFailed, "photo_failed"},
    {E::kRetakePhoto, "retake_photo"},
    {E::kSubmitPhoto, "submit_photo"},
    {E::kConsentAndSubmit, "consent_and_submit"},
    {E::kVerificationPassed, "verification_passed"},
    {E::kVerificationFailed, "verification_failed"},
    {E::kOfficeResetToIdCard, "office_reset"},
    {E::kOfficeResetToPhoto, "office_reset"},
    {E::kOfficeAcceptPhoto, "office_accept_photo"},
    {E::kOfficeRejectPhoto, "office_reject_photo"},
}};

struct Transition {
  S from;
  E event;
  S to;
};

// The whole machine. Anything not listed is refused.
constexpr Transition kTransitions[] = {
    // 三: upload both sides; a side may be replaced until the identity is confirmed.
    {S::kIdCardPending, E::kIdCardCompleted, S::kIdCardUploaded},
    {S::kIdCardPending, E::kIdCardIncomplete, S::kIdCardPending},
    {S::kIdCardUploaded, E::kIdCardCompleted, S::kIdCardUploaded},
    {S::kIdCardUploaded, E::kIdCardIncomplete, S::kIdCardPending},
    {S::kIdentityMismatch, E::kIdCardCompleted, S::kIdCardUploaded},
    {S::kIdentityMismatch, E::kIdCardIncomplete, S::kIdCardPending},
    // 四: 确认无误 / 重新录入. A mismatched candidate may try again once the office has
    // corrected the record, or re-enter the card.
    {S::kIdCardUploaded, E::kIdentityMatched, S::kIdentityConfirmed},
    {S::kIdCardUploaded, E::kIdentityMismatched, S::kIdentityMismatch},
    {S::kIdentityMismatch, E::kIdentityMatched, S::kIdentityConfirmed},
    {S::kIdentityMismatch, E::kIdentityMismatched, S::kIdentityMismatch},
    {S::kIdCardUploaded, E::kReenterIdCard, S::kIdCardPending},
    {S::kIdentityMismatch, E::kReenterIdCard, S::kIdCardPending},
    // 五: portrait upload and check, as often as needed.
    {S::kIdentityConfirmed, E::kPhotoPassed, S::kPhotoAccepted},
    {S::kIdentityConfirmed, E::kPhotoFailed, S::kPhotoRejected},
    {S::kPhotoRejected, E::kPhotoPassed, S::kPhotoAccepted},
    {S::kPhotoRejected, E::kPhotoFailed, S::kPhotoRejected},
    {S::kPhotoAccepted, E::kPhotoPassed, S::kPhotoAccepted},
    {S::kPhotoAccepted, E::kPhotoFailed, S::kPhotoRejected},
    {S::kVerificationFailed, E::kPhotoPassed, S::kPhotoAccepted},
    {S::kVerificationFailed, E::kPhotoFailed, S::kPhotoRejected},
    {S::kPhotoRejected, E::kRetakePhoto, S::kIdentityConfirmed},
    {S::kPhotoAccepted, E::kRetakePhoto, S::kIdentityConfirmed},
    {S::kAwaitingConsent, E::kRetakePhoto, S::kIdentityConfirmed},
    {S::kVerificationFailed, E::kRetakePhoto, S::kIdentityConfirmed},
    {S::kPhotoAccepted, E::kSubmitPhoto, S::kAwaitingConsent},
    // 六: consent sends the photo to verification; 七: the outcome.
    {S::kAwaitingConsent, E::kConsentAndSubmit, S::kVerifying},
    {S::kVerifying, E::kVerificationPassed, S::kVerified},
    {S::kVerifying, E::kVerificationFailed, S::kVerificationFailed},
    // The office: back to the ID card from anywhere (a new card, a wrong record) ...
    {S::kIdCardPending, E::kOfficeResetToIdCard, S::kIdCardPending},
    {S::kIdCardUploaded, E::kOfficeResetToIdCard, S::kIdCardPending},
    {S::kIdentityMismatch, E::kOfficeResetToIdCard, S::kIdCardPending},
    {S::kIdentityConfirmed, E::kOfficeResetToIdCard, S::kIdCardPending},
    {S::kPhotoRejected, E::kOfficeResetToIdCard, S::kIdCardPending},
    {S::kPhotoAccepted, E::kOfficeResetToIdCard, S::kIdCardPending},
    {S::kAwaitingConsent, E::kOfficeResetToIdCard, S::kIdCardPending},
    {S::kVerifying, E::kOfficeResetToIdCard, S::kIdCardPending},
    {S::kVerified, E::kOfficeResetToIdCard, S::kIdCardPending},
    {S::kVerificationFailed, E::kOfficeResetToIdCard, S::kIdCardPending},
    // ... back to the photo step, and decisions on a photo, once the identity is confirmed
    // (a verification in progress is overtaken: the worker then records on the job only).
    {S::kIdentityConfirmed, E::kOfficeResetToPhoto, S::kIdentityConfirmed},
    {S::kPhotoRejected, E::kOfficeResetToPhoto, S::kIdentityConfirmed},
    {S::kPhotoAccepted, E::kOfficeResetToPhoto, S::kIdentityConfirmed},
    {S::kAwaitingConsent, E::kOfficeResetToPhoto, S::kIdentityConfirmed},
    {S::kVerifying, E::kOfficeResetToPhoto, S::kIdentityConfirmed},
    {S::kVerified, E::kOfficeResetToPhoto, S::kIdentityConfirmed},
    {S::kVerificationFailed, E::kOfficeResetToPhoto, S::kIdentityConfirmed},
    {S::kIdentityConfirmed, E::kOfficeAcceptPhoto, S::kVerified},
    {S::kPhotoRejected, E::kOfficeAcceptPhoto, S::kVerified},
    {S::kPhotoAccepted, E::kOfficeAcceptPhoto, S::kVerified},
    {S::kAwaitingConsent, E::kOfficeAcceptPhoto, S::kVerified},
    {S::kVerifying, E::kOfficeAcceptPhoto, S::kVerified},
    {S::kVerified, E::kOfficeAcceptPhoto, S::kVerified},
    {S::kVerificationFailed, E::kOfficeAcceptPhoto, S::kVerified},
    {S::kIdentityConfirmed, E::kOfficeRejectPhoto, S::kVerificationFailed},
    {S::kPhotoRejected, E::kOfficeRejectPhoto, S::kVerificationFailed},
    {S::kPhotoAccepted, E::kOfficeRejectPhoto, S::kVerificationFailed},
    {S::kAwaitingConsent, E::kOfficeRejectPhoto, S::kVerificationFailed},
    {S::kVerifying, E::kOfficeRejectPhoto, S::kVerificationFailed},
    {S::kVerified, E::kOfficeRejectPhoto, S::kVerificationFailed},
    {S::kVerificationFailed, E::kOfficeRejectPhoto, S::kVerificationFailed},
};

// What the office is told when the table refuses one of its events.
std::string_view OfficeRefusal(E event) {
  switch (event) {
    case E::kOfficeResetToPhoto:
      return "office.reset_needs_identity";
    case E::kOfficeAcceptPhoto:
    case E::kOfficeRejectPhoto:
      return "office.photo_decision_state";
    default:
      return {};
  }
}

}  // namespace

std::string_view ToString(CollectionState state) {
  for (const auto& [s, name] : kStateNames) {
    if (s == state) return name;
  }
  return "unknown";
}

std::optional<CollectionState> ParseCollectionState(std::string_view text) {
  for (const auto& [s, name] : kStateNames) {
    if (name == text) return s;
  }
  return std::nullopt;
}

std::string_view ToString(CollectionEvent event) {
  for (const auto& [e, name] : kEventNames) {
    if (e == event) return name;
  }
  return "unknown";
}

Result<CollectionState> ApplyEvent(CollectionState state, CollectionEvent event) {
  for (const auto& t : kTransitions) {
    if (t.from == state && t.event == event) return t.to;
  }
  std::string_view code = OfficeRefusal(event);
  if (code.empty()) {
    code = state == S::kVerified    ? "collection.locked"
           : state == S::kVerifying ? "collection.verifying"
                                    : "collection.invalid_transition";
  }
  return MakeError(
      ErrorKind::kConflict, code,
      std::string(ToString(event)) + " not allowed in " + std::string(ToString(state)));
}

bool CanUploadPhoto(CollectionState state) { return ApplyEvent(state, E::kPhotoPassed).ok(); }

bool CanUploadIdCard(CollectionState state) { return ApplyEvent(state, E::kIdCardCompleted).ok(); }

std::optional<CollectionEvent> OfficeResetEvent(CollectionState target) {
  if (target == S::kIdCardPending) return E::kOfficeResetToIdCard;
  if (target == S::kIdentityConfirmed) return E::kOfficeResetToPhoto;
  return std::nullopt;
}

}  // namespace examphoto
