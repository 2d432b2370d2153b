#include "app/face_command.h"

#include <boost/json.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "app/layout.h"
#include "identity/face_comparer.h"

namespace examphoto {
namespace {

struct FaceCompareArguments {
  std::string first;
  std::string second;
  double threshold = identity::FaceComparerOptions{}.threshold;
  bool first_is_card = false;
  bool second_is_card = false;
  // The models installed beside the binary (app/layout.h).
  identity::FaceModelPaths models{
      (InstallLayout::OfThisBinary().share_dir / "models" / "face-api").string()};
};

void PrintError(const Error& error) {
  boost::json::object body{{"code", error.code}, {"message", error.message}, {"hint", error.hint}};
  if (!error.detail.empty()) body["detail"] = error.detail;
  std::printf("%s\n", boost::json::serialize(boost::json::object{{"error", body}}).c_str());
  std::fprintf(stderr, "%s %s\n", error.message.c_str(), error.hint.c_str());
}

int RunFaceCompare(const FaceCompareArguments& arguments) {
  identity::FaceComparerOptions options;
  options.threshold = arguments.threshold;
  auto comparer = identity::FaceComparer::Load(arguments.models, options);
  if (!comparer.ok()) {
    PrintError(comparer.error());
    return 2;
  }
  const auto source = [](bool is_card) {
    return is_card ? identity::FaceSource::kCardPortrait : identity::FaceSource::kPhoto;
  };
  auto comparison = comparer->CompareFiles(arguments.first, source(arguments.first_is_card),
                                           arguments.second, source(arguments.second_is_card));
  if (!comparison.ok()) {
    PrintError(comparison.error());
    return 2;
  }
  std::printf("{\"distance\": %.4f, \"same_person\": %s, \"threshold\": %g}\n",
              comparison->distance, comparison->same_person ? "true" : "false",
              comparison->threshold);
  return comparison->same_person ? 0 : 1;
}

}  // namespace

void AddFaceCommands(CLI::App& app, int& exit_code) {
  auto* face = app.add_subcommand("face", "Face descriptors and 1:1 comparison");
  face->require_subcommand(1);
  auto arguments = std::make_shared<FaceCompareArguments>();
  auto* compare = face->add_subcommand(
      "compare",
      "Compare the largest faces of two images. Prints {\"distance\", \"same_person\", "
      "\"threshold\"}; exit 0 same person, 1 different, 2 no face or unreadable image");
  compare->add_option("first", arguments->first, "first image")->required();
  compare->add_option("second", arguments->second, "second image")->required();
  compare
      ->add_option("--threshold", arguments->threshold,
                   "distance below which the faces are the same person")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 2.0));
  compare->add_flag("--first-card", arguments->first_is_card,
                    "the first image is a printed ID-card portrait (or the card)");
  compare->add_flag("--second-card", arguments->second_is_card,
                    "the second image is a printed ID-card portrait (or the card)");
  compare
      ->add_option("--face-model-dir", arguments->models.face_model_dir,
                   "folder with face_recognition_model.bin")
      ->capture_default_str();
  compare
      ->add_option("--shape-predictor", arguments->models.shape_predictor_path,
                   "dlib 68-point landmark model")
      ->capture_default_str();
  compare->callback([arguments, &exit_code] { exit_code = RunFaceCompare(*arguments); });
}

}  // namespace examphoto
