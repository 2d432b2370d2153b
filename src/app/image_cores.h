// The image cores the service needs (portrait checker, ID card reader, face comparer),
// loaded on a background thread after the server starts listening, so the service answers
// health checks at once and /readyz says "not ready" until the models are in memory. Until
// then, requests that need a model get 503 "service.warming_up" with Retry-After.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/image_core_adapters.h"
#include "domain/config_section.h"
#include "identity/face_comparer.h"
#include "service/collection_ports.h"
#include "verification/local_face_verifier.h"

namespace examphoto {

// Which models and profile the cores load (sections "photo": profile, profiles_file;
// "models": preload, shape_predictor, face_model_dir, person_matte, face_mesh, ocr_model_dir;
// and
// "verification": threshold). The models are found beside the binary by default.
struct ImageCoreOptions {
  std::string photo_profile = "bj-zikao";  // config/profiles.json
  std::string profiles_file;               // "" : the profiles built into the binary
  bool preload = true;                     // false: load on the first request that needs a model
  identity::FaceModelPaths face_models;
  imaging::ModelPaths portrait_models;  // <share>/models/converted/*.onnx
  IdCardReaderOptions id_cards;
  identity::FaceComparerOptions comparer;
  static Result<ImageCoreOptions> FromConfig(const ConfigSection& root,
                                             const std::filesystem::path& share_dir);
};

// The profile `options` name (from photo.profiles_file, or the built-in ones); config.invalid_
// value when there is none of that name.
Result<imaging::PhotoProfile> FindPhotoProfile(const ImageCoreOptions& options);

class ImageCores {
 public:
  explicit ImageCores(ImageCoreOptions options);
  ~ImageCores();  // calls Stop()

  void LoadInBackground();
  // Starts the background load if it has not started (models.preload = false defers the
  // load to the first request that needs a model).
  void EnsureLoading() const;
  void LoadNow();  // for commands that need the models at once
  bool ready() const { return ready_.load(); }
  // The load failure, if any ("" while loading or when loaded).
  std::string failure() const;
  // Asks a background load to stop after the model it is loading, and waits for it. After
  // this the loader thread is gone, so nothing it uses (the logger, the config) is needed
  // any more; a later request that needs a model gets 503 "service.warming_up".
  void Stop();

  // Ports that forward to the loaded cores, or answer 503 while they load.
  const PortraitCheckerPort& portraits() const { return portraits_port_; }
  const IdCardReaderPort& id_cards() const { return id_cards_port_; }
  const IdentityVerifierPort& local_verifier() const { return verifier_port_; }

 private:
  class WarmingPortraits : public PortraitCheckerPort {
   public:
    explicit WarmingPortraits(const ImageCores& cores) : cores_(cores) {}
    Result<PortraitCheckOutcome> Check(std::string_view bytes) const override;

   private:
    const ImageCores& cores_;
  };
  class WarmingIdCards : public IdCardReaderPort {
   public:
    explicit WarmingIdCards(const ImageCores& cores) : cores_(cores) {}
    Result<CardSideReading> Read(std::string_view bytes, CardSide expected,
                                 const RegisteredHolder& holder) const override;

   private:
    const ImageCores& cores_;
  };
  class WarmingVerifier : public IdentityVerifierPort {
   public:
    explicit WarmingVerifier(const ImageCores& cores) : cores_(cores) {}
    Result<VerificationOutcome> Verify(const VerificationRequest& request) const override;

   private:
    const ImageCores& cores_;
  };

  void Load();

  const ImageCoreOptions options_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> stop_requested_{false};
  mutable std::mutex mutex_;
  std::string failure_;
  mutable std::once_flag load_started_;
  mutable std::thread loader_;
  std::optional<imaging::PortraitChecker> checker_;
  std::optional<imaging::PhotoProfile> profile_;
  std::optional<IdCardReader> reader_;
  std::optional<identity::FaceComparer> comparer_;
  std::unique_ptr<PortraitCheckerAdapter> portraits_;
  std::unique_ptr<IdCardReaderAdapter> id_cards_;
  std::unique_ptr<LocalFaceVerifier> verifier_;
  WarmingPortraits portraits_port_{*this};
  WarmingIdCards id_cards_port_{*this};
  WarmingVerifier verifier_port_{*this};
};

}  // namespace examphoto
