#include "app/photo_command.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/layout.h"
#include "domain/messages.h"
#include "imaging/photo_profile.h"
#include "imaging/png_encoder.h"
#include "imaging/portrait_checker.h"
#include "inference/inference_engine.h"

namespace examphoto {
namespace {

using imaging::PhotoProfile;
using imaging::PhotoProfiles;
using imaging::PortraitChecker;
using imaging::PortraitReport;

struct PhotoArguments {
  std::string image;
  std::string directory;
  std::string profile_name;
  std::string profiles_file;
  std::string out;
  std::string out_directory;
  std::string report_csv;
  std::string debug_directory;
  // The models shipped with this binary (share/examphoto/models), unless given.
  imaging::ModelPaths shipped = imaging::ModelPaths::In(
      (InstallLayout::OfThisBinary().share_dir / "models" / "converted").string());
  std::string shape_predictor = shipped.shape_predictor;
  std::string person_matte = shipped.person_matte;
  std::string face_mesh = shipped.face_mesh;
  int jobs = 0;
};

void PrintError(const Error& error) {
  std::printf(
      "{\"pass\":false,\"unusable_input\":true,\"issues\":[{\"code\":\"%s\"}],\"detail\":\"%s\"}\n",
      error.code.c_str(), error.detail.c_str());
  std::fprintf(stderr, "%s %s (%s)\n", error.message.c_str(), error.hint.c_str(),
               error.detail.c_str());
}

// The profiles to use: the operator's file when given, else the built-in ones.
Result<const PhotoProfile*> ChooseProfile(const PhotoArguments& arguments, PhotoProfiles& storage) {
  const PhotoProfiles* profiles = &PhotoProfiles::Builtin();
  if (!arguments.profiles_file.empty()) {
    auto loaded = PhotoProfiles::LoadFile(arguments.profiles_file);
    if (!loaded.ok()) return loaded.error();
    storage = std::move(loaded).value();
    profiles = &storage;
  }
  if (arguments.profile_name.empty()) return &profiles->Default();
  const PhotoProfile* profile = profiles->Find(arguments.profile_name);
  if (profile == nullptr) {
    return MakeError(ErrorKind::kInvalidInput, "photo.profile_unknown", arguments.profile_name);
  }
  return profile;
}

Result<std::vector<uint8_t>> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorKind::kNotFound, "image.not_an_image", "cannot open " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

Result<PortraitChecker> LoadChecker(const PhotoArguments& arguments) {
  const InferenceEngine engine;
  return PortraitChecker::Load({.shape_predictor = arguments.shape_predictor,
                                .person_matte = arguments.person_matte,
                                .face_mesh = arguments.face_mesh},
                               engine);
}

// frame.png (the photo in the profile's frame before the background is replaced),
// matte.png (8-bit person matte in that frame) and finished.png (the ID photo's pixels).
bool WriteDebugImages(const std::string& directory, const imaging::PortraitDebugImages& debug) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return false;
  const std::filesystem::path dir(directory);
  for (const auto& [name, image] :
       {std::pair{"frame.png", &debug.frame}, std::pair{"matte.png", &debug.matte},
        std::pair{"finished.png", &debug.finished}}) {
    if (image->empty()) continue;
    if (!WriteFile((dir / name).string(), imaging::EncodePng(*image))) return false;
  }
  return true;
}

int ExitCodeFor(const PortraitReport& report) {
  if (report.unusable_input) return 2;
  return report.pass ? 0 : 1;
}

int RunCheck(const PhotoArguments& arguments) {
  PhotoProfiles storage;
  auto profile = ChooseProfile(arguments, storage);
  if (!profile.ok()) {
    PrintError(profile.error());
    return 2;
  }
  auto checker = LoadChecker(arguments);
  if (!checker.ok()) {
    PrintError(checker.error());
    return 2;
  }
  auto bytes = ReadFile(arguments.image);
  if (!bytes.ok()) {
    PrintError(bytes.error());
    return 2;
  }
  imaging::PortraitDebugImages debug;
  const PortraitReport report =
      checker->Check(*bytes, **profile, arguments.debug_directory.empty() ? nullptr : &debug);
  std::printf("%s\n", imaging::PortraitReportToJson(report).c_str());
  if (!arguments.out.empty() && !report.jpeg.empty() && !WriteFile(arguments.out, report.jpeg)) {
    std::fprintf(stderr, "cannot write %s\n", arguments.out.c_str());
    return 2;
  }
  if (!arguments.debug_directory.empty() && !WriteDebugImages(arguments.debug_directory, debug)) {
    std::fprintf(stderr, "cannot write into %s\n", arguments.debug_directory.c_str());
    return 2;
  }
  return ExitCodeFor(report);
}

std::string CsvField(std::string text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void DrawProgress(size_t done, size_t total) {
  constexpr int kWidth = 40;
  const int filled = total == 0 ? kWidth : static_cast<int>(kWidth * done / total);
  std::fprintf(stderr, "\r[%s%s] %zu/%zu", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, ' ').c_str(), done, total);
  if (done == total) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

int RunBatch(const PhotoArguments& arguments) {
  PhotoProfiles storage;
  auto profile = ChooseProfile(arguments, storage);
  if (!profile.ok()) {
    PrintError(profile.error());
    return 2;
  }
  std::error_code error;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(arguments.directory, error)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (error) {
    std::fprintf(stderr, "cannot read folder %s: %s\n", arguments.directory.c_str(),
                 error.message().c_str());
    return 2;
  }
  std::sort(files.begin(), files.end());
  auto checker = LoadChecker(arguments);
  if (!checker.ok()) {
    PrintError(checker.error());
    return 2;
  }
  if (!arguments.out_directory.empty())
    std::filesystem::create_directories(arguments.out_directory);

  struct Row {
    std::string line;
    bool pass = false;
    bool unusable = false;
  };
  std::vector<Row> rows(files.size());
  std::atomic<size_t> next{0}, done{0};
  std::mutex progress_mutex;
  const bool show_progress = isatty(STDERR_FILENO) != 0;
  const int jobs = arguments.jobs > 0
                       ? arguments.jobs
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto work = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      Row& row = rows[i];
      auto bytes = ReadFile(files[i].string());
      PortraitReport report;
      if (bytes.ok()) {
        report = checker->Check(*bytes, **profile);
      } else {
        report.unusable_input = true;
        report.issues.push_back({bytes.error().code, bytes.error().message, bytes.error().hint});
      }
      std::string codes;
      for (const auto& issue : report.issues) codes += (codes.empty() ? "" : ";") + issue.code;
      const auto& m = report.measurements;
      char numbers[256];
      std::snprintf(numbers, sizeof numbers, "%.1f,%.1f,%.1f,%.0f,%.0f,%.1f", m.pose.yaw,
                    m.pose.pitch, m.pose.roll, m.sharpness, m.face_brightness,
                    report.timings_ms["total"]);
      row.pass = report.pass;
      row.unusable = report.unusable_input;
      row.line = CsvField(files[i].filename().string()) + "," + (report.pass ? "pass" : "reject") +
                 "," + (report.unusable_input ? "1" : "0") + "," + CsvField(codes) + "," + numbers;
      if (!arguments.out_directory.empty() && !report.jpeg.empty()) {
        WriteFile(
            (std::filesystem::path(arguments.out_directory) / files[i].stem()).string() + ".jpg",
            report.jpeg);
      }
      const size_t finished = ++done;
      if (show_progress) {
        std::lock_guard lock(progress_mutex);
        DrawProgress(finished, files.size());
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(jobs));
  for (int i = 0; i < jobs; ++i) threads.emplace_back(work);
  for (auto& thread : threads) thread.join();

  std::ofstream csv(arguments.report_csv);
  if (!csv) {
    std::fprintf(stderr, "cannot write %s\n", arguments.report_csv.c_str());
    return 2;
  }
  csv << "file,result,unusable,codes,yaw,pitch,roll,sharpness,face_brightness,total_ms\n";
  size_t passed = 0, unusable = 0;
  for (const auto& row : rows) {
    csv << row.line << "\n";
    passed += row.pass;
    unusable += row.unusable;
  }
  std::printf(
      "{\"photos\":%zu,\"passed\":%zu,\"rejected\":%zu,\"unusable\":%zu,\"report\":\"%s\"}\n",
      rows.size(), passed, rows.size() - passed - unusable, unusable, arguments.report_csv.c_str());
  return 0;
}

}  // namespace

void AddPhotoCommands(CLI::App& app, int& exit_code) {
  auto arguments = std::make_shared<PhotoArguments>();
  CLI::App* photo = app.add_subcommand("photo", "Check portraits and make standard ID photos");
  photo->require_subcommand(1);

  CLI::App* check = photo->add_subcommand("check", "Check one photo; JSON report on stdout");
  check->add_option("image", arguments->image, "Photo file (JPEG, PNG, WebP, HEIC)")->required();
  check->add_option("--profile", arguments->profile_name, "Photo profile (default: bj-zikao)");
  check->add_option("--profiles", arguments->profiles_file,
                    "Profiles JSON instead of the built-in ones");
  check->add_option("--out", arguments->out, "Write the finished ID photo here (JPEG)");
  check->add_option("--debug-dir", arguments->debug_directory,
                    "Write frame.png, matte.png and finished.png into this folder");
  check->add_option("--shape-predictor", arguments->shape_predictor, "dlib 68-point model");
  check->add_option("--person-matte", arguments->person_matte, "Selfie segmentation (ONNX)");
  check->add_option("--face-mesh", arguments->face_mesh, "Face mesh (ONNX)");
  check->callback([arguments, &exit_code] { exit_code = RunCheck(*arguments); });

  CLI::App* batch = photo->add_subcommand("batch", "Audit a folder of photos into a CSV report");
  batch->add_option("directory", arguments->directory, "Folder of photos")->required();
  batch->add_option("--profile", arguments->profile_name, "Photo profile (default: bj-zikao)");
  batch->add_option("--profiles", arguments->profiles_file,
                    "Profiles JSON instead of the built-in ones");
  batch->add_option("--report", arguments->report_csv, "CSV report to write")->required();
  batch->add_option("--out-dir", arguments->out_directory,
                    "Write finished photos into this folder");
  batch->add_option("--jobs", arguments->jobs, "Parallel workers (default: all cores)");
  batch->add_option("--shape-predictor", arguments->shape_predictor, "dlib 68-point model");
  batch->add_option("--person-matte", arguments->person_matte, "Selfie segmentation (ONNX)");
  batch->add_option("--face-mesh", arguments->face_mesh, "Face mesh (ONNX)");
  batch->callback([arguments, &exit_code] { exit_code = RunBatch(*arguments); });
}

}  // namespace examphoto
