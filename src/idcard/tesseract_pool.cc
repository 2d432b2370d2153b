#include "idcard/tesseract_pool.h"

#include <tesseract/baseapi.h>

#include <vector>

#include "domain/messages.h"

namespace examphoto {

TesseractPool::Lease::Lease(TesseractPool* pool, OcrLanguage language,
                            std::unique_ptr<tesseract::TessBaseAPI> api)
    : pool_(pool), language_(language), api_(std::move(api)) {}

TesseractPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), language_(other.language_), api_(std::move(other.api_)) {}

TesseractPool::Lease::~Lease() {
  if (api_) pool_->Return(language_, std::move(api_));
}

TesseractPool::TesseractPool(std::string tessdata_dir) : tessdata_dir_(std::move(tessdata_dir)) {}

Result<std::unique_ptr<TesseractPool>> TesseractPool::Create(std::string tessdata_dir) {
  std::unique_ptr<TesseractPool> pool(new TesseractPool(std::move(tessdata_dir)));
  for (OcrLanguage language : {OcrLanguage::kChinese, OcrLanguage::kEnglish}) {
    auto api = pool->Load(language);
    if (!api) {
      return MakeError(ErrorKind::kUnavailable, "idcard.ocr_unavailable",
                       "cannot load Tesseract data from " + pool->tessdata_dir_);
    }
    pool->idle_[static_cast<int>(language)].push_back(std::move(api));
  }
  return pool;
}

TesseractPool::~TesseractPool() {
  for (auto& engines : idle_) {
    for (auto& api : engines) api->End();
  }
}

std::unique_ptr<tesseract::TessBaseAPI> TesseractPool::Load(OcrLanguage language) const {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  const char* name = language == OcrLanguage::kChinese ? "chi_sim" : "eng";
  // Fields are names, numbers and addresses: a dictionary of common words only pulls rare
  // name characters towards frequent ones. These are init-time parameters.
  std::vector<std::string> names = {"load_system_dawg", "load_freq_dawg", "debug_file"};
  std::vector<std::string> values = {"0", "0", "/dev/null"};
  if (api->Init(tessdata_dir_.c_str(), name, tesseract::OEM_LSTM_ONLY, nullptr, 0, &names, &values,
                false) != 0) {
    return nullptr;
  }
  return api;
}

std::optional<TesseractPool::Lease> TesseractPool::Acquire(OcrLanguage language) {
  {
    std::lock_guard lock(mutex_);
    auto& engines = idle_[static_cast<int>(language)];
    if (!engines.empty()) {
      auto api = std::move(engines.back());
      engines.pop_back();
      return Lease(this, language, std::move(api));
    }
  }
  auto api = Load(language);
  if (!api) return std::nullopt;
  return Lease(this, language, std::move(api));
}

void TesseractPool::Return(OcrLanguage language, std::unique_ptr<tesseract::TessBaseAPI> api) {
  api->Clear();
  std::lock_guard lock(mutex_);
  idle_[static_cast<int>(language)].push_back(std::move(api));
}

}  // namespace examphoto
