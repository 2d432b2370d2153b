// Prints every text line PP-OCR reads in a photo (upright, in reading order) and the fields
// made of them: for looking at what the reader sees.
//   ocr_lines photo.jpg [more.jpg ...]
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "idcard/card_fields.h"
#include "idcard/card_text.h"
#include "idcard/ocr_models.h"
#include "imaging/image_decoder.h"

int main(int argc, char** argv) {
  using namespace examphoto;
  const OcrModelPaths paths = OcrModelPathsIn(EXAMPHOTO_OCR_MODEL_DIR);
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
    imaging::DecodeOptions decode_options;
    if (const char* side = std::getenv("OCR_LINES_DECODE")) {
      decode_options.target_long_side = std::atoi(side);
    }
    auto decoded = imaging::DecodeImage(bytes, decode_options);
    if (!decoded.ok()) continue;
    if (std::string(argv[i]).ends_with(".line.png")) {
      // The whole image is one line: read it as it is.
      const float w = static_cast<float>(decoded->bgr.cols),
                  h = static_cast<float>(decoded->bgr.rows);
      auto line = recognizer->Recognize(decoded->bgr, {{{0, 0}, {w, 0}, {w, h}, {0, h}}});
      if (line.ok()) std::printf("%s: %.2f %s\n", argv[i], line->score, line->text.c_str());
      continue;
    }
    if (std::getenv("OCR_LINES_BOXES") != nullptr) {
      auto boxes = detector->Detect(decoded->bgr, std::atoi(std::getenv("OCR_LINES_BOXES")));
      if (boxes.ok()) {
        for (const DetectedText& box : *boxes) {
          const cv::Point2f c = (box.corners[0] + box.corners[2]) * 0.5f;
          std::printf("  box %.2f (%.0f,%.0f) %.0fx%.0f\n", box.score, c.x, c.y,
                      cv::norm(box.corners[1] - box.corners[0]),
                      cv::norm(box.corners[2] - box.corners[1]));
        }
      }
    }
    if (const char* sides = std::getenv("OCR_LINES_TIMES")) {
      // Thread CPU time of each stage: detection at each long side asked for, recognition of
      // every detected box at the input widths the recogniser uses.
      auto cpu = [] {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
      };
      for (const char* p = sides; *p;) {
        const int side = std::atoi(p);
        double start = cpu();
        auto boxes = detector->Detect(decoded->bgr, side);
        const double detect_ms = cpu() - start;
        start = cpu();
        double total_width = 0;
        for (const DetectedText& box : *boxes) {
          auto line = recognizer->Recognize(decoded->bgr, OrientBox(box.corners, {1, 0}));
          total_width += line->content_frames * 8;
        }
        std::printf("  detect %d: %.0f ms, %zu boxes; recognise %.0f ms (%.0f px of content)\n",
                    side, detect_ms, boxes->size(), cpu() - start, total_width);
        while (*p && *p != ',') ++p;
        if (*p == ',') ++p;
      }
    }
    auto text = ReadCardText(decoded->bgr, *detector, *recognizer);
    if (!text.ok()) continue;
    std::printf("%s: %zu lines, direction (%.2f, %.2f), upside down %.2f\n", argv[i],
                text->lines.size(), text->reading_direction.x, text->reading_direction.y,
                text->upside_down_probability);
    for (const TextLine& line : text->lines) {
      std::printf("  %.2f (%.0f,%.0f) h %.0f l %.0f: %s\n", line.score, line.Center().x,
                  line.Center().y, line.Height(), line.Length(), line.text.c_str());
      if (std::getenv("OCR_LINES_FRAMES") != nullptr &&
          line.text.find(std::getenv("OCR_LINES_FRAMES")) != std::string::npos) {
        for (size_t t = 0; t < line.frames.size(); ++t) {
          std::printf("    %2zu:", t);
          for (size_t k = 0; k < 3 && k < line.frames[t].top.size(); ++k) {
            const auto& [c, p] = line.frames[t].top[k];
            std::printf(" %s %.2f", c == 0 ? "_" : recognizer->characters().Symbol(c).c_str(), p);
          }
          std::printf("\n");
        }
      }
      if (const char* dir = std::getenv("OCR_LINES_CROPS")) {
        static int n = 0;
        cv::imwrite(std::string(dir) + "/line" + std::to_string(n++) + ".png",
                    CropLine(decoded->bgr, line.quad, TextRecognizer::kLineHeight));
      }
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
