// The network definition lives only in this file: dlib's DNN templates take long to compile
// and much memory, so nothing else includes them.
#include "identity/face_embedder.h"

#include <dlib/dnn.h>
#include <dlib/image_transforms.h>
#include <dlib/opencv.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <type_traits>
#include <utility>
#include <vector>

#include "domain/messages.h"

namespace examphoto::identity {
namespace {

// The architecture of dlib's dnn_face_recognition_ex.cpp (dlib_face_recognition_resnet_model_v1),
// spelled as dlib spells it: a 29-layer ResNet on 150×150 RGB chips, 128 outputs.
template <template <int, template <typename> class, int, typename> class Block, int N,
          template <typename> class Norm, typename Subnet>
using Residual = dlib::add_prev1<Block<N, Norm, 1, dlib::tag1<Subnet>>>;

template <template <int, template <typename> class, int, typename> class Block, int N,
          template <typename> class Norm, typename Subnet>
using ResidualDown = dlib::add_prev2<
    dlib::avg_pool<2, 2, 2, 2, dlib::skip1<dlib::tag2<Block<N, Norm, 2, dlib::tag1<Subnet>>>>>>;

template <int N, template <typename> class Norm, int Stride, typename Subnet>
using ConvBlock =
    Norm<dlib::con<N, 3, 3, 1, 1, dlib::relu<Norm<dlib::con<N, 3, 3, Stride, Stride, Subnet>>>>>;

template <int N, typename Subnet>
using Ares = dlib::relu<Residual<ConvBlock, N, dlib::affine, Subnet>>;
template <int N, typename Subnet>
using AresDown = dlib::relu<ResidualDown<ConvBlock, N, dlib::affine, Subnet>>;

template <typename Subnet>
using Level0 = AresDown<256, Subnet>;
template <typename Subnet>
using Level1 = Ares<256, Ares<256, AresDown<256, Subnet>>>;
template <typename Subnet>
using Level2 = Ares<128, Ares<128, AresDown<128, Subnet>>>;
template <typename Subnet>
using Level3 = Ares<64, Ares<64, Ares<64, AresDown<64, Subnet>>>>;
template <typename Subnet>
using Level4 = Ares<32, Ares<32, Ares<32, Subnet>>>;

using Network = dlib::loss_metric<dlib::fc_no_bias<
    128, dlib::avg_pool_everything<Level0<Level1<Level2<Level3<Level4<dlib::max_pool<
             3, 3, 2, 2,
             dlib::relu<dlib::affine<dlib::con<
                 32, 7, 7, 2, 2, dlib::input_rgb_image_sized<FaceEmbedder::kChipSize>>>>>>>>>>>>>;

// The face-api blocks in the order the input meets them; each holds two conv+scale pairs
// except the stem, which has one.
constexpr const char* kBlockNames[] = {
    "conv32_1",     "conv32_2",  "conv32_3",     "conv64_down",     "conv64_1",
    "conv64_2",     "conv64_3",  "conv128_down", "conv128_1",       "conv128_2",
    "conv256_down", "conv256_1", "conv256_2",    "conv256_down_out"};

struct WeightTensor {
  std::vector<long> shape;
  std::vector<float> values;
};
using WeightMap = std::map<std::string, WeightTensor>;

Error ModelInvalid(std::string detail) {
  return MakeError(ErrorKind::kInternal, "face.model_invalid", std::move(detail));
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorKind::kInternal, "face.model_missing", path.string());
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Reads a TF.js weights manifest and the binary files it names. The binary is the tensors'
// bytes back to back in manifest order; a tensor with a "quantization" entry is stored as
// uint8 codes q and stands for q × scale + min (one scale and min per tensor).
Result<WeightMap> ReadWeights(const std::filesystem::path& model_dir) {
  auto manifest_text = ReadFile(model_dir / "face_recognition_model-weights_manifest.json");
  if (!manifest_text.ok()) return manifest_text.error();
  boost::system::error_code parse_error;
  boost::json::value manifest = boost::json::parse(*manifest_text, parse_error);
  if (parse_error || !manifest.is_array()) {
    return ModelInvalid("manifest is not a JSON array");
  }
  WeightMap weights;
  try {
    for (const auto& group : manifest.as_array()) {
      std::string bytes;
      for (const auto& path : group.at("paths").as_array()) {
        auto part = ReadFile(model_dir / std::string(path.as_string()));
        if (!part.ok()) return part.error();
        bytes += *part;
      }
      size_t offset = 0;
      for (const auto& entry : group.at("weights").as_array()) {
        WeightTensor tensor;
        size_t count = 1;
        for (const auto& dimension : entry.at("shape").as_array()) {
          tensor.shape.push_back(static_cast<long>(dimension.to_number<int64_t>()));
          count *= static_cast<size_t>(tensor.shape.back());
        }
        if (std::string(entry.at("dtype").as_string()) != "float32") {
          return ModelInvalid("unexpected dtype for " + std::string(entry.at("name").as_string()));
        }
        tensor.values.resize(count);
        const auto* quantization = entry.as_object().if_contains("quantization");
        if (quantization != nullptr) {
          if (std::string(quantization->at("dtype").as_string()) != "uint8") {
            return ModelInvalid("unexpected quantization dtype");
          }
          const double scale = quantization->at("scale").to_number<double>();
          const double minimum = quantization->at("min").to_number<double>();
          if (offset + count > bytes.size()) return ModelInvalid("weights file too short");
          for (size_t i = 0; i < count; ++i) {
            const auto code = static_cast<uint8_t>(bytes[offset + i]);
            tensor.values[i] = static_cast<float>(code * scale + minimum);
          }
          offset += count;
        } else {
          if (offset + count * sizeof(float) > bytes.size()) {
            return ModelInvalid("weights file too short");
          }
          std::memcpy(tensor.values.data(), bytes.data() + offset, count * sizeof(float));
          offset += count * sizeof(float);
        }
        weights.emplace(std::string(entry.at("name").as_string()), std::move(tensor));
      }
      if (offset != bytes.size()) return ModelInvalid("weights file has trailing bytes");
    }
  } catch (const std::exception& e) {
    return ModelInvalid(std::string("manifest: ") + e.what());
  }
  return weights;
}

const WeightTensor* Find(const WeightMap& weights, const std::string& name,
                         const std::vector<long>& shape) {
  auto it = weights.find(name);
  if (it == weights.end() || it->second.shape != shape) return nullptr;
  return &it->second;
}

template <typename T>
struct IsConvolution : std::false_type {};
template <long F, long R, long C, int SY, int SX, int PY, int PX>
struct IsConvolution<dlib::con_<F, R, C, SY, SX, PY, PX>> : std::true_type {};

template <typename T>
struct IsFullyConnected : std::false_type {};
template <unsigned long N, dlib::fc_bias_mode Mode>
struct IsFullyConnected<dlib::fc_<N, Mode>> : std::true_type {};

// A layer with weights, seen from the input side.
struct WeightedLayer {
  enum class Kind { kConvolution, kAffine, kFullyConnected } kind;
  dlib::tensor* params = nullptr;
  dlib::affine_* affine = nullptr;
  long filters = 0, rows = 0, columns = 0;
};

std::vector<WeightedLayer> WeightedLayersFromInput(Network& network) {
  std::vector<WeightedLayer> layers;
  dlib::visit_computational_layers(network, [&](auto& details) {
    using Details = std::decay_t<decltype(details)>;
    if constexpr (IsConvolution<Details>::value) {
      layers.push_back({WeightedLayer::Kind::kConvolution, &details.get_layer_params(), nullptr,
                        details.num_filters(), details.nr(), details.nc()});
    } else if constexpr (std::is_same_v<Details, dlib::affine_>) {
      layers.push_back({WeightedLayer::Kind::kAffine, nullptr, &details});
    } else if constexpr (IsFullyConnected<Details>::value) {
      layers.push_back({WeightedLayer::Kind::kFullyConnected, &details.get_layer_params()});
    }
  });
  // dlib numbers layers from the output (layer 0 is next to the loss).
  std::reverse(layers.begin(), layers.end());
  return layers;
}

// TF.js convolution kernels are HWIO ([row][column][input][output]); dlib's filters are
// OIHW ([output][input][row][column]) followed by one bias per output.
Status LoadConvolution(const WeightedLayer& layer, const WeightMap& weights,
                       const std::string& prefix) {
  const long input_channels = (static_cast<long>(layer.params->size()) - layer.filters) /
                              (layer.filters * layer.rows * layer.columns);
  const auto* kernel = Find(weights, prefix + "/filters",
                            {layer.rows, layer.columns, input_channels, layer.filters});
  const auto* bias = Find(weights, prefix + "/bias", {layer.filters});
  if (kernel == nullptr || bias == nullptr) return ModelInvalid("missing or misshapen " + prefix);
  float* out = layer.params->host();
  for (long o = 0; o < layer.filters; ++o) {
    for (long i = 0; i < input_channels; ++i) {
      for (long y = 0; y < layer.rows; ++y) {
        for (long x = 0; x < layer.columns; ++x) {
          out[((o * input_channels + i) * layer.rows + y) * layer.columns + x] =
              kernel->values[((y * layer.columns + x) * input_channels + i) * layer.filters + o];
        }
      }
    }
  }
  std::copy(bias->values.begin(), bias->values.end(),
            out + layer.filters * input_channels * layer.rows * layer.columns);
  return Ok();
}

// face-api's "scale" is dlib's affine_ in CONV mode: one gamma and beta per channel.
Status LoadAffine(const WeightedLayer& layer, const WeightMap& weights, const std::string& prefix) {
  auto gamma = layer.affine->get_gamma();
  auto beta = layer.affine->get_beta();
  const long channels = static_cast<long>(gamma.size());
  const auto* scale = Find(weights, prefix + "/weights", {channels});
  const auto* shift = Find(weights, prefix + "/biases", {channels});
  if (scale == nullptr || shift == nullptr || static_cast<long>(beta.size()) != channels) {
    return ModelInvalid("missing or misshapen " + prefix);
  }
  std::copy(scale->values.begin(), scale->values.end(), gamma.host());
  std::copy(shift->values.begin(), shift->values.end(), beta.host());
  return Ok();
}

// Both TF.js (matMul(x, fc)) and dlib's fc_ multiply a row of inputs by an
// [inputs][outputs] matrix, so the layout is the same.
Status LoadFullyConnected(const WeightedLayer& layer, const WeightMap& weights) {
  const auto* matrix = Find(weights, "fc", {256, 128});
  if (matrix == nullptr || layer.params->size() != matrix->values.size()) {
    return ModelInvalid("missing or misshapen fc");
  }
  std::copy(matrix->values.begin(), matrix->values.end(), layer.params->host());
  return Ok();
}

Status LoadNetwork(Network& network, const WeightMap& weights) {
  // dlib's affine_ starts in per-element (FC) mode; these weights are per channel, and the
  // mode fixes the parameter shapes, so it must be set before the layers are set up.
  dlib::visit_computational_layers(network, [](auto& details) {
    if constexpr (std::is_same_v<std::decay_t<decltype(details)>, dlib::affine_>) {
      details = dlib::affine_(dlib::CONV_MODE);
    }
  });
  // One pass on a blank chip makes every layer allocate its parameters.
  dlib::matrix<dlib::rgb_pixel> blank(FaceEmbedder::kChipSize, FaceEmbedder::kChipSize);
  blank = dlib::rgb_pixel(0, 0, 0);
  (void)network(blank);

  std::vector<std::string> prefixes = {"conv32_down/conv", "conv32_down/scale"};
  for (const char* block : kBlockNames) {
    for (const char* half : {"/conv1", "/conv2"}) {
      prefixes.push_back(std::string(block) + half + "/conv");
      prefixes.push_back(std::string(block) + half + "/scale");
    }
  }
  const auto layers = WeightedLayersFromInput(network);
  if (layers.size() != prefixes.size() + 1) return ModelInvalid("layer count mismatch");
  for (size_t i = 0; i < prefixes.size(); ++i) {
    const bool wants_convolution = i % 2 == 0;
    const auto& layer = layers[i];
    Status loaded = Ok();
    if (wants_convolution && layer.kind == WeightedLayer::Kind::kConvolution) {
      loaded = LoadConvolution(layer, weights, prefixes[i]);
    } else if (!wants_convolution && layer.kind == WeightedLayer::Kind::kAffine) {
      loaded = LoadAffine(layer, weights, prefixes[i]);
    } else {
      return ModelInvalid("layer order mismatch at " + prefixes[i]);
    }
    if (!loaded.ok()) return loaded;
  }
  if (layers.back().kind != WeightedLayer::Kind::kFullyConnected) {
    return ModelInvalid("last layer is not fully connected");
  }
  return LoadFullyConnected(layers.back(), weights);
}

dlib::matrix<dlib::rgb_pixel> ToDlibChip(const cv::Mat& chip_bgr) {
  dlib::matrix<dlib::rgb_pixel> chip(chip_bgr.rows, chip_bgr.cols);
  for (int y = 0; y < chip_bgr.rows; ++y) {
    const auto* row = chip_bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < chip_bgr.cols; ++x) {
      chip(y, x) = dlib::rgb_pixel(row[x][2], row[x][1], row[x][0]);
    }
  }
  return chip;
}

cv::Mat AsBgr(const cv::Mat& image) {
  if (image.type() == CV_8UC3) return image;
  cv::Mat bgr;
  if (image.type() == CV_8UC1) {
    cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
  } else if (image.type() == CV_8UC4) {
    cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
  } else {
    image.convertTo(bgr, CV_8U);
    return AsBgr(bgr);
  }
  return bgr;
}

}  // namespace

struct FaceEmbedder::State {
  // Never run after loading; copied (under the mutex) whenever every pooled network is busy.
  Network prototype;
  std::mutex mutex;
  std::vector<std::unique_ptr<Network>> idle;

  std::unique_ptr<Network> Borrow() {
    std::lock_guard lock(mutex);
    if (idle.empty()) return std::make_unique<Network>(prototype);
    auto network = std::move(idle.back());
    idle.pop_back();
    return network;
  }
  void Return(std::unique_ptr<Network> network) {
    std::lock_guard lock(mutex);
    idle.push_back(std::move(network));
  }
};

FaceEmbedder::FaceEmbedder(std::unique_ptr<State> state) : state_(std::move(state)) {}
FaceEmbedder::FaceEmbedder(FaceEmbedder&&) noexcept = default;
FaceEmbedder& FaceEmbedder::operator=(FaceEmbedder&&) noexcept = default;
FaceEmbedder::~FaceEmbedder() = default;

Result<FaceEmbedder> FaceEmbedder::Load(const std::string& model_dir) {
  auto weights = ReadWeights(model_dir);
  if (!weights.ok()) return weights.error();
  auto state = std::make_unique<State>();
  Status loaded = LoadNetwork(state->prototype, *weights);
  if (!loaded.ok()) return loaded.error();
  state->idle.push_back(std::make_unique<Network>(state->prototype));
  return FaceEmbedder(std::move(state));
}

cv::Mat FaceEmbedder::AlignFace(const cv::Mat& image, const imaging::FaceLandmarks& face) {
  const cv::Mat bgr = AsBgr(image);
  std::vector<dlib::point> points;
  points.reserve(face.points.size());
  for (const auto& point : face.points) {
    points.emplace_back(std::lround(point.x), std::lround(point.y));
  }
  const dlib::rectangle box(std::lround(face.box.x), std::lround(face.box.y),
                            std::lround(face.box.x + face.box.width) - 1,
                            std::lround(face.box.y + face.box.height) - 1);
  const dlib::full_object_detection shape(box, points);
  dlib::matrix<dlib::rgb_pixel> chip;
  dlib::extract_image_chip(dlib::cv_image<dlib::bgr_pixel>(bgr),
                           dlib::get_face_chip_details(shape, kChipSize, 0.25), chip);
  cv::Mat chip_bgr(kChipSize, kChipSize, CV_8UC3);
  for (int y = 0; y < kChipSize; ++y) {
    auto* row = chip_bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < kChipSize; ++x) {
      row[x] = cv::Vec3b(chip(y, x).blue, chip(y, x).green, chip(y, x).red);
    }
  }
  return chip_bgr;
}

FaceDescriptor FaceEmbedder::EmbedChip(const cv::Mat& chip_bgr) const {
  const dlib::matrix<dlib::rgb_pixel> chip = ToDlibChip(AsBgr(chip_bgr));
  auto network = state_->Borrow();
  const dlib::matrix<float, 0, 1> output = (*network)(chip);
  state_->Return(std::move(network));
  FaceDescriptor descriptor{};
  for (long i = 0; i < output.size() && i < static_cast<long>(descriptor.size()); ++i) {
    descriptor[static_cast<size_t>(i)] = output(i);
  }
  return descriptor;
}

FaceDescriptor FaceEmbedder::Embed(const cv::Mat& bgr, const imaging::FaceLandmarks& face) const {
  return EmbedChip(AlignFace(bgr, face));
}

double FaceDistance(const FaceDescriptor& first, const FaceDescriptor& second) {
  double sum = 0;
  for (size_t i = 0; i < first.size(); ++i) {
    const double difference = static_cast<double>(first[i]) - second[i];
    sum += difference * difference;
  }
  return std::sqrt(sum);
}

}  // namespace examphoto::identity
