// How the typed parts of a collection are kept in their TEXT columns: JSON documents that
// only the repositories read and write (collections, collection_events, id_card_uploads,
// photo_attempts). Readers are lenient: a document of an older version, or one a test
// wrote by hand, yields what it holds and defaults for the rest, never an exception.
// Internal to storage.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/collection_data.h"

namespace examphoto::record_json {

std::string WriteCardSide(const CardSideRecord& side);
CardSideRecord ReadCardSide(std::string_view text);

std::string WriteMismatch(const IdentityMismatch& mismatch);
IdentityMismatch ReadMismatch(std::string_view text);

// Only the status, the catalogue code and who decided: the words are looked up when shown.
std::string WriteVerification(const VerificationResult& result);
VerificationResult ReadVerification(std::string_view text);

std::string WritePhotoReport(const PhotoReport& report);
PhotoReport ReadPhotoReport(std::string_view text);

std::string WriteEventNote(const EventNote& note);
EventNote ReadEventNote(std::string_view text);

}  // namespace examphoto::record_json
