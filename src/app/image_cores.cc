#include "app/image_cores.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "domain/messages.h"
#include "inference/inference_engine.h"

namespace examphoto {
namespace {

Error WarmingUp() {
  Error error = MakeError(ErrorKind::kUnavailable, "service.warming_up");
  error.retry_after_seconds = 5;
  return error;
}

}  // namespace

Result<ImageCoreOptions> ImageCoreOptions::FromConfig(const ConfigSection& root,
                                                      const std::filesystem::path& share_dir) {
  ImageCoreOptions o;
  o.face_models.face_model_dir = (share_dir / "models" / "face-api").string();
  o.portrait_models = imaging::ModelPaths::In((share_dir / "models" / "converted").string());
  std::string ocr_model_dir = (share_dir / "models" / "ocr").string();
  const ConfigSection photo = root.Section("photo");
  const ConfigSection models = root.Section("models");
  for (const Status& read :
       {photo.Read("profile", o.photo_profile), photo.Read("profiles_file", o.profiles_file),
        models.Read("preload", o.preload),
        models.Read("shape_predictor", o.face_models.shape_predictor_path),
        models.Read("face_model_dir", o.face_models.face_model_dir),
        models.Read("person_matte", o.portrait_models.person_matte),
        models.Read("face_mesh", o.portrait_models.face_mesh),
        models.Read("ocr_model_dir", ocr_model_dir),
        root.Section("verification").Read("threshold", o.comparer.threshold, 0.0, 2.0)}) {
    if (!read.ok()) return read.error();
  }
  o.id_cards.model_dir = ocr_model_dir;
  return o;
}

Result<imaging::PhotoProfile> FindPhotoProfile(const ImageCoreOptions& options) {
  std::optional<imaging::PhotoProfiles> loaded;
  if (!options.profiles_file.empty()) {
    auto file = imaging::PhotoProfiles::LoadFile(options.profiles_file);
    if (!file.ok()) {
      Error error = file.error();
      error.detail = "photo.profiles_file: " + error.detail;
      return error;
    }
    loaded = std::move(*file);
  }
  const imaging::PhotoProfiles& profiles = loaded ? *loaded : imaging::PhotoProfiles::Builtin();
  const imaging::PhotoProfile* profile =
      options.photo_profile.empty() ? &profiles.Default() : profiles.Find(options.photo_profile);
  if (!profile) {
    return MakeError(ErrorKind::kInvalidInput, "config.invalid_value",
                     "photo.profile: no profile named " + options.photo_profile);
  }
  return *profile;
}

ImageCores::ImageCores(ImageCoreOptions options) : options_(std::move(options)) {}

ImageCores::~ImageCores() { Stop(); }

void ImageCores::Stop() {
  stop_requested_ = true;
  // No load can start after this: call_once has either run (and the thread is joined
  // here) or will see stop_requested_ and start nothing.
  EnsureLoading();
  if (loader_.joinable()) loader_.join();
}

void ImageCores::LoadInBackground() { EnsureLoading(); }

void ImageCores::EnsureLoading() const {
  std::call_once(load_started_, [this] {
    if (stop_requested_) return;
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
  // Between models: a stop asked for during start-up ends the load without waiting for the
  // rest (each model takes up to a few seconds).
  auto stopped = [this] {
    if (!stop_requested_) return false;
    spdlog::info("models.load_stopped (the service is stopping)");
    return true;
  };
  try {
    auto profile = FindPhotoProfile(options_);
    if (!profile.ok()) return fail(profile.error().detail);
    profile_ = std::move(*profile);

    if (stopped()) return;
    const identity::FaceModelPaths& face_paths = options_.face_models;
    imaging::ModelPaths model_paths = options_.portrait_models;
    model_paths.shape_predictor = face_paths.shape_predictor_path;
    const InferenceEngine engine;  // the loaded models keep its environment alive
    auto checker = imaging::PortraitChecker::Load(model_paths, engine);
    if (!checker.ok()) return fail("portrait checker: " + checker.error().detail);
    checker_.emplace(std::move(*checker));
    if (stopped()) return;

    auto reader = IdCardReader::Load(engine, options_.id_cards);
    if (!reader.ok()) return fail("ID card reader: " + reader.error().detail);
    reader_.emplace(std::move(*reader));
    if (stopped()) return;

    auto comparer = identity::FaceComparer::Load(face_paths, options_.comparer);
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

Result<PortraitCheckOutcome> ImageCores::WarmingPortraits::Check(std::string_view bytes) const {
  if (!cores_.ready()) {
    cores_.EnsureLoading();
    return WarmingUp();
  }
  return cores_.portraits_->Check(bytes);
}

Result<CardSideReading> ImageCores::WarmingIdCards::Read(std::string_view bytes, CardSide expected,
                                                         const RegisteredHolder& holder) const {
  if (!cores_.ready()) {
    cores_.EnsureLoading();
    return WarmingUp();
  }
  return cores_.id_cards_->Read(bytes, expected, holder);
}

Result<VerificationOutcome> ImageCores::WarmingVerifier::Verify(
    const VerificationRequest& request) const {
  if (!cores_.ready()) {
    cores_.EnsureLoading();
    Error error = WarmingUp();
    error.detail = "models still loading";
    return error;  // transient: the job is retried
  }
  return cores_.verifier_->Verify(request);
}

}  // namespace examphoto
