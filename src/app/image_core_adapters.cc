#include "app/image_core_adapters.h"

#include "domain/messages.h"
#include "imaging/jpeg_encoder.h"

namespace examphoto {
namespace {

std::span<const uint8_t> AsBytes(std::string_view bytes) {
  return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
}

}  // namespace

Error UnusableImageError(const std::string& code, const std::string& message,
                         const std::string& hint) {
  ErrorKind kind = ErrorKind::kInvalidInput;
  if (code == "image.file_too_large" || code == "image.too_many_pixels")
    kind = ErrorKind::kTooLarge;
  if (code == "image.not_an_image" || code == "image.unsupported_format")
    kind = ErrorKind::kUnsupported;
  Error error = MakeError(kind, code);
  if (!message.empty()) error.message = message;
  if (!hint.empty()) error.hint = hint;
  return error;
}

PortraitCheckOutcome PortraitCheckerAdapter::Check(std::string_view bytes) const {
  imaging::PortraitReport report = checker_.Check(AsBytes(bytes), profile_);
  PortraitCheckOutcome outcome;
  if (report.unusable_input) {
    const Error error =
        report.error.value_or(MakeError(ErrorKind::kInvalidInput, "image.not_an_image"));
    outcome.error = UnusableImageError(error.code, error.message, error.hint);
    return outcome;
  }
  outcome.usable = true;
  outcome.pass = report.pass;
  for (const auto& issue : report.issues)
    outcome.issues.push_back({issue.code, issue.message, issue.hint});
  outcome.finished_jpeg = report.jpeg;
  outcome.report_json = imaging::PortraitReportToJson(report);
  return outcome;
}

CardSideReading IdCardReaderAdapter::Read(std::string_view bytes, CardSide expected,
                                          const RegisteredHolder& holder) const {
  IdCardReading reading =
      reader_.Read(AsBytes(bytes), expected, RegisteredIdentity{holder.name, holder.id_number});
  CardSideReading out;
  if (reading.unusable_input && !reading.issues.empty() &&
      reading.issues.front().code.rfind("image.", 0) == 0) {
    const auto& issue = reading.issues.front();
    out.error = UnusableImageError(issue.code, issue.message, issue.hint);
    return out;
  }
  out.usable = true;
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
