#include "test_photos.h"

#include <libheif/heif.h>
#include <webp/encode.h>

#include <fstream>
#include <iterator>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "imaging/face_detector.h"
#include "imaging/id_photo_composer.h"

namespace examphoto::imaging::testing {

const PortraitChecker& SharedChecker() {
  static const PortraitChecker checker = [] {
    const InferenceEngine engine;
    auto loaded = PortraitChecker::Load(
        [] {
          auto paths = examphoto::imaging::ModelPaths::In(EXAMPHOTO_CONVERTED_MODEL_DIR);
          paths.shape_predictor = EXAMPHOTO_SHAPE_PREDICTOR;
          return paths;
        }(),
        engine);
    if (!loaded.ok()) throw std::runtime_error(loaded.error().detail);
    return std::move(loaded).value();
  }();
  return checker;
}

std::string SamplePath(int n) {
  return std::string(EXAMPHOTO_SAMPLE_DIR) + "/sample" + std::to_string(n) + ".jpg";
}

std::vector<uint8_t> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing " + path + " (run scripts/install-models.sh)");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<uint8_t> SampleBytes(int n) { return ReadFileBytes(SamplePath(n)); }

cv::Mat SampleImage(int n) {
  cv::Mat image = cv::imread(SamplePath(n));
  if (image.empty()) throw std::runtime_error("missing " + SamplePath(n));
  return image;
}

std::vector<uint8_t> EncodeJpeg(const cv::Mat& bgr, int quality) {
  std::vector<uint8_t> out;
  cv::imencode(".jpg", bgr, out, {cv::IMWRITE_JPEG_QUALITY, quality});
  return out;
}

std::vector<uint8_t> EncodePng(const cv::Mat& image) {
  std::vector<uint8_t> out;
  cv::imencode(".png", image, out);
  return out;
}

std::vector<uint8_t> EncodeWebp(const cv::Mat& bgr, float quality) {
  uint8_t* output = nullptr;
  const size_t size =
      WebPEncodeBGR(bgr.data, bgr.cols, bgr.rows, static_cast<int>(bgr.step), quality, &output);
  std::vector<uint8_t> bytes(output, output + size);
  WebPFree(output);
  return bytes;
}

std::vector<uint8_t> EncodeHeif(const cv::Mat& bgr, int quality) {
  heif_context* context = heif_context_alloc();
  heif_encoder* encoder = nullptr;
  heif_context_get_encoder_for_format(context, heif_compression_HEVC, &encoder);
  if (encoder == nullptr) throw std::runtime_error("libheif has no HEVC encoder");
  heif_encoder_set_lossy_quality(encoder, quality);
  heif_image* image = nullptr;
  heif_image_create(bgr.cols, bgr.rows, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &image);
  heif_image_add_plane(image, heif_channel_interleaved, bgr.cols, bgr.rows, 8);
  int stride = 0;
  uint8_t* plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
  for (int y = 0; y < bgr.rows; ++y) {
    const auto* in = bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      plane[y * stride + 3 * x + 0] = in[x][2];
      plane[y * stride + 3 * x + 1] = in[x][1];
      plane[y * stride + 3 * x + 2] = in[x][0];
    }
  }
  heif_context_encode_image(context, image, encoder, nullptr, nullptr);
  std::vector<uint8_t> bytes;
  heif_writer writer{1, [](heif_context*, const void* data, size_t size, void* userdata) {
                       auto* out = static_cast<std::vector<uint8_t>*>(userdata);
                       const auto* p = static_cast<const uint8_t*>(data);
                       out->insert(out->end(), p, p + size);
                       return heif_error{heif_error_Ok, heif_suberror_Unspecified, ""};
                     }};
  heif_context_write(context, &writer, &bytes);
  heif_image_release(image);
  heif_encoder_release(encoder);
  heif_context_free(context);
  return bytes;
}

std::vector<uint8_t> WithExif(std::vector<uint8_t> jpeg, int orientation,
                              const std::string& software) {
  // Little-endian TIFF: header, IFD0 with Orientation (SHORT) and Software (ASCII).
  std::vector<uint8_t> tiff = {'I', 'I', 42, 0, 8, 0, 0, 0};
  auto u16 = [&](int v) {
    tiff.push_back(v & 0xFF);
    tiff.push_back((v >> 8) & 0xFF);
  };
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) tiff.push_back((v >> (8 * i)) & 0xFF);
  };
  const int entries = software.empty() ? 1 : 2;
  u16(entries);
  u16(0x0112);
  u16(3);
  u32(1);
  u16(orientation);
  u16(0);
  const uint32_t text_offset = 8 + 2 + 12 * entries + 4;
  if (!software.empty()) {
    u16(0x0131);
    u16(2);
    u32(static_cast<uint32_t>(software.size() + 1));
    u32(text_offset);
  }
  u32(0);
  tiff.insert(tiff.end(), software.begin(), software.end());
  if (!software.empty()) tiff.push_back(0);

  std::vector<uint8_t> segment = {0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
  segment.insert(segment.end(), tiff.begin(), tiff.end());
  const size_t length = segment.size() - 2;
  segment[2] = static_cast<uint8_t>(length >> 8);
  segment[3] = static_cast<uint8_t>(length & 0xFF);
  jpeg.insert(jpeg.begin() + 2, segment.begin(), segment.end());
  return jpeg;
}

cv::Mat PortraitCrop(int sample, cv::Point centre, int crop_width) {
  cv::Mat image = SampleImage(sample);
  const int height = crop_width * 4 / 3;
  cv::Rect crop(centre.x - crop_width / 2, centre.y - height * 2 / 5, crop_width, height);
  crop &= cv::Rect(0, 0, image.cols, image.rows);
  return image(crop).clone();
}

cv::Mat PlainWallPortrait(int sample, cv::Point centre, int crop_width) {
  return PlainWallPortrait(SharedChecker(), sample, centre, crop_width);
}

cv::Mat PlainWallPortrait(const PortraitChecker& checker, int sample, cv::Point centre,
                          int crop_width) {
  cv::Mat crop = PortraitCrop(sample, centre, crop_width);
  auto faces = checker.detector().Detect(crop);
  if (faces.empty()) throw std::runtime_error("no face in the sample crop");
  PhotoProfile studio = PhotoProfiles::Builtin().Default();
  studio.width = 720;
  studio.height = 960;
  studio.background_rgb = {static_cast<uint8_t>(kWallBgr[2]), static_cast<uint8_t>(kWallBgr[1]),
                           static_cast<uint8_t>(kWallBgr[0])};
  studio.head_top_px = {60, 180};
  studio.eye_line_px = {300, 450};
  studio.face_width_px = {220, 330};
  studio.target_head_top_px = 130;
  studio.target_eye_line_px = 390;
  auto composed = ComposeIdPhoto(crop, faces.front(), studio, checker.matter());
  if (!composed.ok()) throw std::runtime_error(composed.error().detail);
  return composed->photo;
}

cv::Mat Darken(const cv::Mat& photo, double factor) {
  cv::Mat out;
  photo.convertTo(out, -1, factor, 0);
  return out;
}

cv::Mat Overexpose(const cv::Mat& photo) {
  cv::Mat out;
  photo.convertTo(out, -1, 1.9, 60);
  return out;
}

cv::Mat Blur(const cv::Mat& photo, double sigma) {
  cv::Mat out;
  cv::GaussianBlur(photo, out, cv::Size(), sigma);
  return out;
}

cv::Mat Rotate(const cv::Mat& photo, double degrees_clockwise) {
  cv::Mat out;
  const cv::Mat map = cv::getRotationMatrix2D(cv::Point2f(photo.cols / 2.0f, photo.rows / 2.0f),
                                              -degrees_clockwise, 1.0);
  cv::warpAffine(photo, out, map, photo.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

cv::Mat ShiftSideways(const cv::Mat& photo, double fraction_of_width) {
  // The wall continues: the canvas is wider and the person sits off its centre.
  const int extra = static_cast<int>(photo.cols * fraction_of_width * 2);
  cv::Mat canvas(photo.rows, photo.cols + extra, photo.type(), kWallBgr);
  photo.copyTo(canvas(cv::Rect(0, 0, photo.cols, photo.rows)));
  return canvas;
}

cv::Mat ShrinkOnWall(const cv::Mat& photo, double scale) {
  cv::Mat small;
  cv::resize(photo, small, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::Mat canvas(photo.size(), photo.type(), kWallBgr);
  small.copyTo(canvas(
      cv::Rect((photo.cols - small.cols) / 2, photo.rows - small.rows, small.cols, small.rows)));
  return canvas;
}

cv::Mat CropAroundCentre(const cv::Mat& photo, double fraction) {
  const int width = static_cast<int>(photo.cols * fraction);
  const int height = static_cast<int>(photo.rows * fraction);
  // Centred on the face (a little above the photo's middle).
  const int top =
      std::clamp(static_cast<int>(photo.rows * 0.4) - height / 2, 0, photo.rows - height);
  return photo(cv::Rect((photo.cols - width) / 2, top, width, height)).clone();
}

cv::Mat PasteSecondFace(const cv::Mat& photo, const cv::Rect& face, double scale) {
  // Someone else's head beside the candidate's: the wall is widened to the right and a
  // smaller copy of the face (with some hair) is put there, clear of the candidate.
  cv::Rect grown(face.x - face.width / 5, face.y - face.height / 4, face.width * 7 / 5,
                 face.height * 3 / 2);
  grown &= cv::Rect(0, 0, photo.cols, photo.rows);
  cv::Mat second;
  cv::resize(photo(grown), second, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::Mat canvas(photo.rows, photo.cols + second.cols / 2, photo.type(), kWallBgr);
  photo.copyTo(canvas(cv::Rect(0, 0, photo.cols, photo.rows)));
  second.copyTo(canvas(cv::Rect(canvas.cols - second.cols - 4, 4, second.cols, second.rows)));
  return canvas;
}

cv::Mat BusyBackground(const cv::Mat& photo) {
  // Shelves and posters: coloured blocks with hard edges wherever the plain wall shows.
  cv::Mat texture(photo.size(), photo.type());
  cv::RNG rng(7);
  texture.setTo(cv::Scalar(90, 120, 150));
  for (int i = 0; i < 400; ++i) {
    const cv::Point corner(rng.uniform(0, photo.cols), rng.uniform(0, photo.rows));
    const cv::Size size(rng.uniform(10, 90), rng.uniform(10, 90));
    cv::rectangle(texture, cv::Rect(corner, size),
                  cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)),
                  cv::FILLED);
  }
  cv::Mat difference;
  cv::absdiff(photo, kWallBgr, difference);
  cv::Mat wall;
  cv::cvtColor(difference, wall, cv::COLOR_BGR2GRAY);
  wall = wall < 6;
  cv::Mat out = photo.clone();
  texture.copyTo(out, wall);
  return out;
}

cv::Mat SideLight(const cv::Mat& photo, const FaceLandmarks& face, double darkest,
                  bool from_right) {
  // The light falls off linearly across the face, one face width centred on the nose
  // bridge (where a real side light's shadow edge runs), from full on the lit cheek to
  // `darkest` on the other, and stays so beyond: the same light on every face wherever it
  // sits in the photo and however it is turned.
  cv::Mat out = photo.clone();
  const double width = std::max(1.0f, face.box.width);
  const double start = face.points[27].x - width / 2;
  for (int y = 0; y < out.rows; ++y) {
    auto* row = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < out.cols; ++x) {
      const double across = std::clamp((x - start) / width, 0.0, 1.0);
      const double gain = darkest + (1 - darkest) * (from_right ? across : 1 - across);
      for (int c = 0; c < 3; ++c) row[x][c] = cv::saturate_cast<uint8_t>(row[x][c] * gain);
    }
  }
  return out;
}

cv::Mat ShowOnScreen(const cv::Mat& photo) {
  // A phone camera photographing a monitor: each image pixel becomes a 3×3 cell of red,
  // green and blue sub-pixel stripes with a dark gap, seen slightly rotated and resampled
  // by the camera, whose exposure then brings the whole back to normal brightness.
  cv::Mat screen(photo.rows * 3, photo.cols * 3, CV_32FC3);
  for (int y = 0; y < screen.rows; ++y) {
    const auto* source = photo.ptr<cv::Vec3b>(y / 3);
    auto* row = screen.ptr<cv::Vec3f>(y);
    for (int x = 0; x < screen.cols; ++x) {
      cv::Vec3f lit(0, 0, 0);
      if (y % 3 != 2) {
        const int channel = 2 - x % 3;  // R, G, B stripes in BGR order
        lit[channel] = source[x / 3][channel];
      }
      row[x] = lit;
    }
  }
  cv::Mat turned;
  const cv::Mat map =
      cv::getRotationMatrix2D(cv::Point2f(screen.cols / 2.0f, screen.rows / 2.0f), -2.0, 1.0);
  cv::warpAffine(screen, turned, map, screen.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  cv::Mat resampled;
  cv::resize(turned, resampled, cv::Size(photo.cols * 5 / 4, photo.rows * 5 / 4), 0, 0,
             cv::INTER_LINEAR);
  cv::Mat out;
  resampled.convertTo(out, CV_8UC3, 4.5);  // 1/3 of the channels lit on 2/3 of the rows
  return out;
}

}  // namespace examphoto::imaging::testing
