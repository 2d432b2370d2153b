// Runs learned models (ONNX) for the image cores: the portrait matte, the ID card's text
// detector and recogniser. One engine per process holds ONNX Runtime's environment; each
// model is loaded once into an InferenceModel that any number of threads may run at the same
// time. A run computes on the calling thread only (one intra-op thread, no spinning), so a
// request uses one core and the server's worker pool decides how many run at once.
// This folder is the only code that includes ONNX Runtime.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "domain/result.h"

namespace examphoto {

// A float tensor in row-major order.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> values;

  int64_t Dim(size_t i) const { return shape.at(i); }
};

// An input that the caller keeps alive for the length of Run (no copy is made).
struct TensorInput {
  std::vector<int64_t> shape;
  std::span<const float> values;
};

class InferenceModel {
 public:
  virtual ~InferenceModel() = default;
  // Runs the model on `inputs`, in the order of input_names(); returns every output in the
  // order of output_names(). Thread-safe. A shape the model refuses is an error, not a crash.
  virtual Result<std::vector<Tensor>> Run(std::span<const TensorInput> inputs) const = 0;
  virtual const std::vector<std::string>& input_names() const = 0;
  virtual const std::vector<std::string>& output_names() const = 0;
  // The declared shape of input `i`; -1 where a dimension is dynamic.
  virtual std::vector<int64_t> input_shape(size_t i) const = 0;
};

class InferenceEngine {
 public:
  InferenceEngine();
  ~InferenceEngine();
  InferenceEngine(const InferenceEngine&) = delete;
  InferenceEngine& operator=(const InferenceEngine&) = delete;

  // Loads an .onnx file (graph optimisations on). The model keeps the engine's environment
  // alive, so it may outlive the engine object. A missing or corrupt file is an error whose
  // detail names the file.
  Result<std::unique_ptr<InferenceModel>> Load(const std::filesystem::path& model_file) const;

  // The ONNX Runtime version linked in ("1.29.0"), for logs and /readyz.
  static std::string RuntimeVersion();

  struct Environment;  // ONNX Runtime's environment, shared by the engine and its models

 private:
  std::shared_ptr<Environment> environment_;
};

}  // namespace examphoto
