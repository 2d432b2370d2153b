#include "idcard/ocr_models.h"

#include <cstdlib>

namespace examphoto {

OcrModelPaths OcrModelPathsIn(const std::filesystem::path& model_dir) {
  return {model_dir / "ch_PP-OCRv4_det_infer.onnx", model_dir / "ch_PP-OCRv4_rec_infer.onnx",
          model_dir / "ch_ppocr_mobile_v2.0_cls_infer.onnx", model_dir / "ppocr_keys_v1.txt"};
}

std::filesystem::path DefaultOcrModelDir() {
  if (const char* dir = std::getenv("EXAMPHOTO_OCR_MODEL_DIR"); dir != nullptr && *dir) return dir;
  return EXAMPHOTO_DEFAULT_OCR_MODEL_DIR;
}

}  // namespace examphoto
