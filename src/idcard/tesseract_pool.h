// Loaded Tesseract engines, shared by the threads of one process. Loading an engine takes
// about half a second (mostly the LSTM model), so engines are created once, lent out for
// one recognition at a time and returned; a new one is made only when all are busy.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/result.h"

namespace tesseract {
class TessBaseAPI;
}

namespace examphoto {

enum class OcrLanguage { kChinese, kEnglish };  // chi_sim, eng

class TesseractPool {
 public:
  // Loads one engine per language to prove the data is there.
  static Result<std::unique_ptr<TesseractPool>> Create(std::string tessdata_dir);
  ~TesseractPool();

  // An engine on loan; goes back to the pool when destroyed.
  class Lease {
   public:
    Lease(TesseractPool* pool, OcrLanguage language, std::unique_ptr<tesseract::TessBaseAPI> api);
    Lease(Lease&&) noexcept;
    ~Lease();
    tesseract::TessBaseAPI& api() { return *api_; }

   private:
    TesseractPool* pool_;
    OcrLanguage language_;
    std::unique_ptr<tesseract::TessBaseAPI> api_;
  };

  // Null only if a new engine could not be loaded (the pool was created successfully, so
  // that means memory ran out).
  std::optional<Lease> Acquire(OcrLanguage language);

 private:
  explicit TesseractPool(std::string tessdata_dir);
  std::unique_ptr<tesseract::TessBaseAPI> Load(OcrLanguage language) const;
  void Return(OcrLanguage language, std::unique_ptr<tesseract::TessBaseAPI> api);

  std::string tessdata_dir_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<tesseract::TessBaseAPI>> idle_[2];
};

}  // namespace examphoto
