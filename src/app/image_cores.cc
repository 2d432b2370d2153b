#include "app/image_cores.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "domain/messages.h"

namespace examphoto {
namespace {

Error WarmingUp() {
  Error error = MakeError(ErrorKind::kUnavailable, "service.warming_up");
  error.retry_after_seconds = 5;
  return error;
}

}  // namespace

ImageCores::ImageCores(const Config& config) : config_(config) {}

ImageCores::~ImageCores() {
  if (loader_.joinable()) loader_.join();
}

void ImageCores::LoadInBackground() { EnsureLoading(); }

void ImageCores::EnsureLoading() const {
  std::call_once(load_started_, [this] {
    loader_ = std::thread([this] { const_cast<ImageCores*>(this)->Load(); });
  });
}

void ImageCores::LoadNow() { Load(); }

std::string ImageCores::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

void ImageCores::Load() {
  const auto started = std::chrono::steady_clock::now();
  auto fail = [this](const std::string& what) {
    spdlog::critical("models.load_failed error=\"{}\"", what);
    std::lock_guard lock(mutex_);
    failure_ = what;
  };
  try {
    const std::string profiles_file = config_.Get("photo.profiles_file");
    if (!profiles_file.empty()) {
      auto loaded = imaging::PhotoProfiles::LoadFile(profiles_file);
      if (!loaded.ok()) return fail("photo.profiles_file: " + loaded.error().detail);
      profiles_ = std::move(*loaded);
    } else {
      profiles_ = imaging::PhotoProfiles::Builtin();
    }
    const std::string profile_name = config_.Get("photo.profile");
    profile_ = profile_name.empty() ? &profiles_->Default() : profiles_->Find(profile_name);
    if (!profile_) return fail("photo.profile: no profile named " + profile_name);

    identity::FaceModelPaths face_paths = identity::DefaultFaceModelPaths();
    if (!config_.Get("models.face_model_dir").empty()) {
      face_paths.face_model_dir = config_.Get("models.face_model_dir");
    }
    if (!config_.Get("models.shape_predictor").empty()) {
      face_paths.shape_predictor_path = config_.Get("models.shape_predictor");
    }
    imaging::ModelPaths model_paths;
    model_paths.shape_predictor = face_paths.shape_predictor_path;
    auto checker = imaging::PortraitChecker::Load(model_paths);
    if (!checker.ok()) return fail("portrait checker: " + checker.error().detail);
    checker_.emplace(std::move(*checker));

    IdCardReaderOptions reader_options;
    reader_options.model_dir = config_.Get("models.ocr_model_dir");
    auto reader = IdCardReader::Load(engine_, reader_options);
    if (!reader.ok()) return fail("ID card reader: " + reader.error().detail);
    reader_.emplace(std::move(*reader));

    identity::FaceComparerOptions comparer_options;
    comparer_options.threshold = std::stod(config_.Get("verification.threshold"));
    auto comparer = identity::FaceComparer::Load(face_paths, comparer_options);
    if (!comparer.ok()) return fail("face comparer: " + comparer.error().detail);
    comparer_.emplace(std::move(*comparer));

    portraits_ = std::make_unique<PortraitCheckerAdapter>(*checker_, *profile_);
    id_cards_ = std::make_unique<IdCardReaderAdapter>(*reader_);
    verifier_ = std::make_unique<LocalFaceVerifier>(*comparer_);
    ready_ = true;
    spdlog::info("models.loaded profile={} ms={}", profile_->name,
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count());
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

PortraitCheckOutcome ImageCores::WarmingPortraits::Check(std::string_view bytes) const {
  if (!cores_.ready()) {
    cores_.EnsureLoading();
    PortraitCheckOutcome outcome;
    outcome.error = WarmingUp();
    return outcome;
  }
  return cores_.portraits_->Check(bytes);
}

CardSideReading ImageCores::WarmingIdCards::Read(std::string_view bytes, CardSide expected,
                                                 const RegisteredHolder& holder) const {
  if (!cores_.ready()) {
    cores_.EnsureLoading();
    CardSideReading reading;
    reading.error = WarmingUp();
    return reading;
  }
  return cores_.id_cards_->Read(bytes, expected, holder);
}

VerificationOutcome ImageCores::WarmingVerifier::Verify(const VerificationRequest& request) const {
  if (!cores_.ready()) {
    cores_.EnsureLoading();
    VerificationOutcome outcome;
    outcome.detail = "models still loading";
    return outcome;  // transient: the job is retried
  }
  return cores_.verifier_->Verify(request);
}

}  // namespace examphoto
