#include "idcard/ocr_models.h"

namespace examphoto {

OcrModelPaths OcrModelPathsIn(const std::filesystem::path& model_dir) {
  return {model_dir / "ch_PP-OCRv4_det_infer.onnx", model_dir / "ch_PP-OCRv4_rec_infer.onnx",
          model_dir / "ch_ppocr_mobile_v2.0_cls_infer.onnx", model_dir / "ppocr_keys_v1.txt"};
}

}  // namespace examphoto
