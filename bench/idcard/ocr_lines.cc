// Prints every text line PP-OCR reads in a photo (upright, in reading order) and the fields
// made of them: for looking at what the reader sees.
//   ocr_lines photo.jpg [more.jpg ...]
#include <cstdio>
#include <fstream>
#include <iterator>

#include "idcard/card_fields.h"
#include "idcard/card_text.h"
#include "idcard/ocr_models.h"
#include "imaging/image_decoder.h"

int main(int argc, char** argv) {
  using namespace examphoto;
  const OcrModelPaths paths = OcrModelPathsIn(DefaultOcrModelDir());
  InferenceEngine engine;
  auto detector = TextDetector::Load(engine, paths.detector);
  auto recognizer =
      TextRecognizer::Load(engine, {paths.recognizer, paths.keys, paths.orientation}, false);
  if (!detector.ok() || !recognizer.ok()) {
    std::fprintf(stderr, "load failed\n");
    return 1;
  }
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    auto decoded = imaging::DecodeImage(bytes);
    if (!decoded.ok()) continue;
    auto text = ReadCardText(decoded->bgr, *detector, *recognizer);
    if (!text.ok()) continue;
    std::printf("%s: %zu lines, direction (%.2f, %.2f), upside down %.2f\n", argv[i],
                text->lines.size(), text->reading_direction.x, text->reading_direction.y,
                text->upside_down_probability);
    for (const TextLine& line : text->lines) {
      std::printf("  %.2f (%.0f,%.0f) h %.0f: %s\n", line.score, line.Center().x, line.Center().y,
                  line.Height(), line.text.c_str());
    }
    const CardTextLayout card = LayOutCardText(text->lines, text->reading_direction);
    std::printf("  side %s, labels %d/%d, anchors %d, fit error %.2f mm\n",
                card.side ? std::string(ToString(*card.side)).c_str() : "none",
                card.portrait_labels, card.emblem_labels, card.anchors, card.fit_error_mm);
    for (const auto& [name, field] : card.fields) {
      std::printf("  %-10s %.2f %s%s\n", name.c_str(), field.confidence, field.text.c_str(),
                  field.doubts.empty() ? "" : (" [" + field.doubts.front() + "]").c_str());
    }
  }
  return 0;
}
