#include "app/image_core_adapters.h"

#include "domain/messages.h"
#include "imaging/jpeg_encoder.h"

namespace examphoto {
namespace {

std::span<const uint8_t> AsBytes(std::string_view bytes) {
  return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
}

}  // namespace

Result<PortraitCheckOutcome> PortraitCheckerAdapter::Check(std::string_view bytes) const {
  imaging::PortraitReport report = checker_.Check(AsBytes(bytes), profile_);
  // The decoder's refusal carries its kind: 413 for sizes, 415 for what is no image, 400 else.
  if (report.unusable_input) {
    return report.error.value_or(MakeError(ErrorKind::kInvalidInput, "image.not_an_image"));
  }
  PortraitCheckOutcome outcome;
  outcome.pass = report.pass;
  for (const auto& issue : report.issues)
    outcome.issues.push_back({issue.code, issue.message, issue.hint});
  outcome.finished_jpeg = report.jpeg;
  outcome.report_json = imaging::PortraitReportToJson(report);
  return outcome;
}

Result<CardSideReading> IdCardReaderAdapter::Read(std::string_view bytes, CardSide expected,
                                                  const RegisteredHolder& holder) const {
  IdCardReading reading =
      reader_.Read(AsBytes(bytes), expected, RegisteredIdentity{holder.name, holder.id_number});
  if (reading.decode_error) return *reading.decode_error;
  CardSideReading out;
  out.side = reading.side ? std::string(ToString(*reading.side)) : "";
  for (const char* name : kIdCardFieldNames) {
    const std::string& value = FieldValue(reading.fields, name);
    if (!value.empty()) out.fields[name] = value;
  }
  out.confidence = reading.confidence;
  for (const auto& [field, comparison] : reading.registration) {
    out.registration[field] = comparison.agreement;
  }
  for (const auto& [field, box] : reading.field_boxes) {
    out.field_boxes[field] = {box.x, box.y, box.width, box.height};
  }
  for (const auto& issue : reading.issues)
    out.issues.push_back({issue.code, issue.message, issue.hint});
  out.card_jpeg.assign(reading.canonical_card_jpeg.begin(), reading.canonical_card_jpeg.end());
  if (!reading.portrait.empty()) {
    out.portrait_jpeg = imaging::EncodeJpeg(reading.portrait, 95);
  }
  return out;
}

}  // namespace examphoto
