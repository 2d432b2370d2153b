// Adapters from the image cores (src/imaging, src/idcard) to the interfaces the collection
// service owns (service/collection_ports.h): they translate reports into the service's
// plain values and encode images for storage.
#pragma once

#include "idcard/id_card_reader.h"
#include "imaging/portrait_checker.h"
#include "service/collection_ports.h"

namespace examphoto {

class PortraitCheckerAdapter : public PortraitCheckerPort {
 public:
  PortraitCheckerAdapter(const imaging::PortraitChecker& checker,
                         const imaging::PhotoProfile& profile)
      : checker_(checker), profile_(profile) {}
  Result<PortraitCheckOutcome> Check(std::string_view bytes) const override;

 private:
  const imaging::PortraitChecker& checker_;
  const imaging::PhotoProfile& profile_;
};

class IdCardReaderAdapter : public IdCardReaderPort {
 public:
  explicit IdCardReaderAdapter(const IdCardReader& reader) : reader_(reader) {}
  Result<CardSideReading> Read(std::string_view bytes, CardSide expected,
                               const RegisteredHolder& holder) const override;

 private:
  const IdCardReader& reader_;
};

}  // namespace examphoto
