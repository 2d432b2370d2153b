#include "inference/inference_engine.h"

#include <onnxruntime_cxx_api.h>

#include <fstream>
#include <mutex>
#include <utility>

#include "domain/messages.h"

namespace examphoto {

struct InferenceEngine::Environment {
  Ort::Env env{ORT_LOGGING_LEVEL_ERROR, "examphoto"};

  Environment() {
    // One CPU arena for every model (sessions opt in with session.use_env_allocators), grown
    // by what is asked rather than in doubling chunks: the peak is the largest run's need,
    // not the sum of each model's rounded-up peaks.
    const Ort::ArenaCfg arena(0, /*kSameAsRequested*/ 1, -1, -1);
    env.CreateAndRegisterAllocator(Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault),
                                   arena);
  }
};

namespace {

Error ModelError(const std::string& detail) {
  return MakeError(ErrorKind::kInternal, "models.load_failed", detail);
}

class OrtModel final : public InferenceModel {
 public:
  OrtModel(std::shared_ptr<InferenceEngine::Environment> environment, Ort::Session session)
      : environment_(std::move(environment)), session_(std::move(session)) {
    Ort::AllocatorWithDefaultOptions allocator;
    for (size_t i = 0; i < session_.GetInputCount(); ++i) {
      input_names_.emplace_back(session_.GetInputNameAllocated(i, allocator).get());
      // The TypeInfo must outlive the shape info read from it.
      const Ort::TypeInfo type = session_.GetInputTypeInfo(i);
      input_shapes_.push_back(type.GetTensorTypeAndShapeInfo().GetShape());
    }
    for (size_t i = 0; i < session_.GetOutputCount(); ++i) {
      output_names_.emplace_back(session_.GetOutputNameAllocated(i, allocator).get());
    }
    for (const auto& name : input_names_) input_name_pointers_.push_back(name.c_str());
    for (const auto& name : output_names_) output_name_pointers_.push_back(name.c_str());
  }

  Result<std::vector<Tensor>> Run(std::span<const TensorInput> inputs) const override {
    if (inputs.size() != input_names_.size()) {
      return MakeError(ErrorKind::kInternal, "internal.error",
                       "model takes " + std::to_string(input_names_.size()) + " inputs, got " +
                           std::to_string(inputs.size()));
    }
    try {
      const Ort::MemoryInfo memory =
          Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
      std::vector<Ort::Value> values;
      values.reserve(inputs.size());
      for (const TensorInput& input : inputs) {
        // ORT does not write to inputs; its API takes a non-const pointer all the same.
        values.push_back(Ort::Value::CreateTensor<float>(
            memory, const_cast<float*>(input.values.data()), input.values.size(),
            input.shape.data(), input.shape.size()));
      }
      std::vector<Ort::Value> outputs =
          session_.Run(Ort::RunOptions{nullptr}, input_name_pointers_.data(), values.data(),
                       values.size(), output_name_pointers_.data(), output_name_pointers_.size());
      std::vector<Tensor> tensors;
      tensors.reserve(outputs.size());
      for (Ort::Value& output : outputs) {
        const auto info = output.GetTensorTypeAndShapeInfo();
        Tensor tensor;
        tensor.shape = info.GetShape();
        const float* data = output.GetTensorData<float>();
        tensor.values.assign(data, data + info.GetElementCount());
        tensors.push_back(std::move(tensor));
      }
      return tensors;
    } catch (const Ort::Exception& e) {
      return MakeError(ErrorKind::kInternal, "internal.error",
                       std::string("inference failed: ") + e.what());
    }
  }

  const std::vector<std::string>& input_names() const override { return input_names_; }
  const std::vector<std::string>& output_names() const override { return output_names_; }
  std::vector<int64_t> input_shape(size_t i) const override { return input_shapes_.at(i); }

 private:
  std::shared_ptr<InferenceEngine::Environment> environment_;  // outlives session_
  mutable Ort::Session session_;                               // Run is thread-safe in ONNX Runtime
  std::vector<std::string> input_names_, output_names_;
  std::vector<std::vector<int64_t>> input_shapes_;
  std::vector<const char*> input_name_pointers_, output_name_pointers_;
};

}  // namespace

InferenceEngine::InferenceEngine() : environment_(std::make_shared<Environment>()) {}
InferenceEngine::~InferenceEngine() = default;

Result<std::unique_ptr<InferenceModel>> InferenceEngine::Load(
    const std::filesystem::path& model_file) const {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(model_file, ec)) {
    return ModelError("no model file at " + model_file.string());
  }
  try {
    Ort::SessionOptions options;
    options.SetIntraOpNumThreads(1);
    options.SetInterOpNumThreads(1);
    options.SetExecutionMode(ExecutionMode::ORT_SEQUENTIAL);
    options.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
    options.AddConfigEntry("session.intra_op.allow_spinning", "0");
    options.AddConfigEntry("session.inter_op.allow_spinning", "0");
    options.AddConfigEntry("session.use_env_allocators", "1");
    options.DisableMemPattern();
    Ort::Session session(environment_->env, model_file.c_str(), options);
    return std::unique_ptr<InferenceModel>(
        std::make_unique<OrtModel>(environment_, std::move(session)));
  } catch (const Ort::Exception& e) {
    return ModelError(model_file.string() + ": " + e.what());
  }
}

std::string InferenceEngine::RuntimeVersion() { return Ort::GetVersionString(); }

}  // namespace examphoto
