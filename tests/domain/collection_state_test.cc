#include "domain/collection_state.h"

#include <gtest/gtest.h>

#include <vector>

namespace examphoto {
namespace {

using S = CollectionState;
using E = CollectionEvent;

S ApplyAll(S state, const std::vector<E>& events) {
  for (E e : events) {
    auto next = ApplyEvent(state, e);
    EXPECT_TRUE(next.ok()) << ToString(e) << " from " << ToString(state);
    if (!next.ok()) return state;
    state = *next;
  }
  return state;
}

TEST(CollectionState, FollowsTheGuideFromLoginToSubmitted) {
  EXPECT_EQ(
      ApplyAll(S::kIdCardPending, {E::kIdCardCompleted, E::kIdentityMatched, E::kPhotoPassed,
                                   E::kSubmitPhoto, E::kConsentAndSubmit, E::kVerificationPassed}),
      S::kVerified);
}

TEST(CollectionState, RejectedPhotoCanBeRetakenUntilItPasses) {
  EXPECT_EQ(ApplyAll(S::kIdentityConfirmed,
                     {E::kPhotoFailed, E::kPhotoFailed, E::kRetakePhoto, E::kPhotoPassed}),
            S::kPhotoAccepted);
}

TEST(CollectionState, FailedVerificationLeadsBackToTheCamera) {
  EXPECT_EQ(ApplyAll(S::kVerifying, {E::kVerificationFailed, E::kRetakePhoto, E::kPhotoPassed,
                                     E::kSubmitPhoto, E::kConsentAndSubmit}),
            S::kVerifying);
}

TEST(CollectionState, MismatchBlocksThePhotoUntilTheRecordMatches) {
  S state = ApplyAll(S::kIdCardUploaded, {E::kIdentityMismatched});
  EXPECT_EQ(state, S::kIdentityMismatch);
  EXPECT_FALSE(CanUploadPhoto(state));
  EXPECT_EQ(ApplyAll(state, {E::kIdentityMatched}), S::kIdentityConfirmed);
}

TEST(CollectionState, ReenterGoesBackToTheIdCardUpload) {
  EXPECT_EQ(ApplyAll(S::kIdCardUploaded, {E::kReenterIdCard}), S::kIdCardPending);
  EXPECT_EQ(ApplyAll(S::kIdentityMismatch, {E::kReenterIdCard}), S::kIdCardPending);
}

TEST(CollectionState, VerifiedCollectionIsLocked) {
  for (E e : {E::kIdCardCompleted, E::kPhotoPassed, E::kRetakePhoto, E::kSubmitPhoto,
              E::kReenterIdCard}) {
    auto result = ApplyEvent(S::kVerified, e);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, "collection.locked");
    EXPECT_EQ(result.error().kind, ErrorKind::kConflict);
  }
}

TEST(CollectionState, RefusesStepsOutOfOrder) {
  EXPECT_FALSE(ApplyEvent(S::kIdCardPending, E::kPhotoPassed).ok());
  EXPECT_FALSE(ApplyEvent(S::kIdCardPending, E::kIdentityMatched).ok());
  EXPECT_FALSE(ApplyEvent(S::kIdentityConfirmed, E::kSubmitPhoto).ok());
  EXPECT_FALSE(ApplyEvent(S::kPhotoRejected, E::kSubmitPhoto).ok());
  EXPECT_FALSE(ApplyEvent(S::kPhotoAccepted, E::kConsentAndSubmit).ok());
  EXPECT_EQ(ApplyEvent(S::kVerifying, E::kRetakePhoto).error().code, "collection.verifying");
}

const std::vector<S> kAllStates = {S::kIdCardPending,     S::kIdCardUploaded, S::kIdentityMismatch,
                                   S::kIdentityConfirmed, S::kPhotoRejected,  S::kPhotoAccepted,
                                   S::kAwaitingConsent,   S::kVerifying,      S::kVerified,
                                   S::kVerificationFailed};
// The states from which the candidate has confirmed the identity: the photo step exists.
bool HasPhotoStep(S state) {
  return state != S::kIdCardPending && state != S::kIdCardUploaded && state != S::kIdentityMismatch;
}

TEST(CollectionState, TheOfficeResetsToTheIdCardFromAnyState) {
  for (S from : kAllStates) {
    auto next = ApplyEvent(from, E::kOfficeResetToIdCard);
    ASSERT_TRUE(next.ok()) << ToString(from);
    EXPECT_EQ(*next, S::kIdCardPending);
  }
}

TEST(CollectionState, TheOfficeResetsToThePhotoStepOnlyAfterTheIdentityWasConfirmed) {
  for (S from : kAllStates) {
    auto next = ApplyEvent(from, E::kOfficeResetToPhoto);
    if (HasPhotoStep(from)) {
      ASSERT_TRUE(next.ok()) << ToString(from);
      EXPECT_EQ(*next, S::kIdentityConfirmed);
    } else {
      ASSERT_FALSE(next.ok()) << ToString(from);
      EXPECT_EQ(next.error().code, "office.reset_needs_identity");
      EXPECT_EQ(next.error().kind, ErrorKind::kConflict);
    }
  }
}

TEST(CollectionState, TheOfficeDecidesAPhotoOnlyWhereThereIsAPhotoStep) {
  for (E event : {E::kOfficeAcceptPhoto, E::kOfficeRejectPhoto}) {
    const S target = event == E::kOfficeAcceptPhoto ? S::kVerified : S::kVerificationFailed;
    for (S from : kAllStates) {
      auto next = ApplyEvent(from, event);
      if (HasPhotoStep(from)) {
        ASSERT_TRUE(next.ok()) << ToString(event) << " from " << ToString(from);
        EXPECT_EQ(*next, target);
      } else {
        ASSERT_FALSE(next.ok()) << ToString(event) << " from " << ToString(from);
        EXPECT_EQ(next.error().code, "office.photo_decision_state");
      }
    }
  }
}

TEST(CollectionState, OnlyTheIdCardAndThePhotoStepAreResetTargets) {
  EXPECT_EQ(OfficeResetEvent(S::kIdCardPending), E::kOfficeResetToIdCard);
  EXPECT_EQ(OfficeResetEvent(S::kIdentityConfirmed), E::kOfficeResetToPhoto);
  for (S target : kAllStates) {
    if (target != S::kIdCardPending && target != S::kIdentityConfirmed) {
      EXPECT_FALSE(OfficeResetEvent(target)) << ToString(target);
    }
  }
}

TEST(CollectionState, NamesRoundTrip) {
  for (S s : {S::kIdCardPending, S::kIdCardUploaded, S::kIdentityMismatch, S::kIdentityConfirmed,
              S::kPhotoRejected, S::kPhotoAccepted, S::kAwaitingConsent, S::kVerifying,
              S::kVerified, S::kVerificationFailed}) {
    EXPECT_EQ(ParseCollectionState(ToString(s)), s);
  }
  EXPECT_FALSE(ParseCollectionState("bogus"));
}

}  // namespace
}  // namespace examphoto
