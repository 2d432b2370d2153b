#include "imaging/portrait_checker.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <opencv2/imgproc.hpp>

#include "domain/messages.h"
#include "imaging/id_photo_composer.h"

namespace examphoto::imaging {
namespace {

// Wall-clock and CPU time of each stage. On a busy server the wall clock includes waiting
// for a core; the CPU time is what the stage itself costs.
class StageTimer {
 public:
  explicit StageTimer(PortraitReport& report) : report_(report) {}
  void Lap(const std::string& stage) {
    const auto now = std::chrono::steady_clock::now();
    const double cpu = ThreadCpuMs();
    report_.timings_ms[stage] = std::chrono::duration<double, std::milli>(now - last_).count();
    report_.cpu_timings_ms[stage] = cpu - last_cpu_;
    last_ = now;
    last_cpu_ = cpu;
  }
  void Total() {
    report_.timings_ms["total"] =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
            .count();
    report_.cpu_timings_ms["total"] = ThreadCpuMs() - start_cpu_;
  }

 private:
  static double ThreadCpuMs() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
  }
  PortraitReport& report_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
  double start_cpu_ = ThreadCpuMs();
  double last_cpu_ = start_cpu_;
};

PhotoIssue IssueFor(std::string_view code, const PortraitMeasurements& m,
                    const PhotoProfile& profile) {
  const CatalogueEntry& entry = LookupMessage(code);
  PhotoIssue issue{std::string(code), entry.message, entry.hint};
  if (code == "photo.resolution_too_low") {
    // The face's real width in the upload against what the profile needs.
    const int needed = static_cast<int>(
        std::ceil(profile.checks.min_source_face_scale * profile.face_width_px.min));
    for (std::string* text : {&issue.message, &issue.hint}) {
      *text = FormatMessage(*text, "face_px", std::to_string(cvRound(m.source_face_px)));
      *text = FormatMessage(*text, "needed_px", std::to_string(needed));
    }
  }
  return issue;
}

// OpenCV builds its colour-conversion tables and thread pool on first use (≈ 0.2 s):
// paying that at load keeps it out of the first candidate's request.
void WarmUp(const FaceDetector& detector) {
  cv::Mat bgr(64, 64, CV_8UC3, cv::Scalar(120, 140, 160));
  cv::Mat lab;
  cv::cvtColor(bgr, lab, cv::COLOR_BGR2Lab);
  cv::Mat bgr_float;
  bgr.convertTo(bgr_float, CV_32FC3, 1.0 / 255);
  cv::cvtColor(bgr_float, lab, cv::COLOR_BGR2Lab);
  (void)detector.Detect(bgr);
}

}  // namespace

Result<PortraitChecker> PortraitChecker::Load(const ModelPaths& models,
                                              const InferenceEngine& engine,
                                              PortraitCheckerOptions options) {
  auto detector = FaceDetector::Load(models.shape_predictor, options.detector);
  if (!detector.ok()) return detector.error();
  auto mesh = FaceMesh::Load(engine, models.face_mesh, options.mesh);
  if (!mesh.ok()) {
    Error error = mesh.error();
    error.code = "photo.model_missing";
    return error;
  }
  auto matter = PersonMatter::Load(engine, models.person_matte);
  if (!matter.ok()) {
    Error error = matter.error();
    error.code = "photo.model_missing";
    return error;
  }
  WarmUp(*detector);
  return PortraitChecker(std::move(detector).value(), std::move(mesh).value(),
                         std::move(matter).value(), options);
}

PortraitReport PortraitChecker::Check(std::span<const uint8_t> bytes, const PhotoProfile& profile,
                                      PortraitDebugImages* debug) const {
  PortraitReport report;
  StageTimer timer(report);

  auto decoded = DecodeImage(bytes, options_.decode);
  timer.Lap("decode");
  if (!decoded.ok()) {
    report.unusable_input = true;
    report.error = decoded.error();
    report.issues.push_back({decoded.error().code, decoded.error().message, decoded.error().hint});
    timer.Total();
    return report;
  }
  const DecodedImage& image = decoded.value();
  report.format = ImageFormatName(image.format);
  report.original_width = image.original_size.width;
  report.original_height = image.original_size.height;

  const std::vector<FaceLandmarks> faces = detector_.Detect(image.bgr);
  timer.Lap("detect");
  PortraitMeasurements& m = report.measurements;
  m.face_count = static_cast<int>(faces.size());
  m.editing_software_named = NamesEditingSoftware(image.exif, profile.checks);
  m.jpeg_quality = image.jpeg_quality;
  if (faces.empty()) {
    MeasureWholeImage(image.bgr, m);
    for (const auto& code : JudgePortrait(m, profile)) {
      report.issues.push_back(IssueFor(code, m, profile));
    }
    timer.Total();
    return report;
  }
  report.face_found = true;
  const FaceLandmarks& main =
      *std::max_element(faces.begin(), faces.end(),
                        [](const auto& a, const auto& b) { return a.box.area() < b.box.area(); });
  m.significant_face_count =
      CountSignificantFaces(faces, main, profile.checks.max_second_face_ratio);
  auto mesh = mesh_.Fit(image.bgr, main);
  if (!mesh.ok()) {
    // The mesh model failed: a fault of ours, not of the photo.
    report.error = mesh.error();
    report.issues.push_back(IssueFor("photo.model_missing", m, profile));
    timer.Total();
    return report;
  }
  const MeshMeasurements mesh_measurements = MeasureMesh(*mesh, mesh_.options().pitch_offset);
  timer.Lap("mesh");
  MeasureUploadedFace(image.bgr, image.scale, main, &mesh_measurements, m);
  timer.Lap("measure");

  auto composition = ComposeIdPhoto(image.bgr, main, profile, matter_, options_.composer);
  timer.Lap("compose");
  if (!composition.ok()) {
    // The matte model failed: a fault of ours, not of the photo.
    report.error = composition.error();
    report.issues.push_back(IssueFor("photo.model_missing", m, profile));
    timer.Total();
    return report;
  }
  const ComposedPhoto& composed = *composition;
  MeasureComposedFrame(composed, profile, m);
  for (const auto& code : JudgePortrait(m, profile)) {
    report.issues.push_back(IssueFor(code, m, profile));
  }
  report.pass = report.issues.empty();
  timer.Lap("judge");
  if (debug != nullptr) {
    debug->frame = composed.framed.clone();
    composed.alpha.convertTo(debug->matte, CV_8U, 255);
    debug->finished = composed.photo.clone();
    cv::Mat scale = (cv::Mat_<double>(3, 3) << image.scale, 0, 0, 0, image.scale, 0, 0, 0, 1);
    debug->original_to_frame = composed.source_to_frame * scale;
  }

  EncodedPhoto encoded = EncodeIdPhoto(composed.photo, profile);
  report.jpeg = std::move(encoded.jpeg);
  report.jpeg_quality = encoded.quality;
  report.jpeg_within_size_range = encoded.within_size_range;
  timer.Lap("encode");
  timer.Total();
  return report;
}

std::string PortraitReportToJson(const PortraitReport& report) {
  namespace json = boost::json;
  json::object root;
  root["pass"] = report.pass;
  root["unusable_input"] = report.unusable_input;
  json::array issues;
  for (const auto& issue : report.issues) {
    issues.push_back(
        json::object{{"code", issue.code}, {"message", issue.message}, {"hint", issue.hint}});
  }
  root["issues"] = std::move(issues);
  if (report.error) root["error_detail"] = report.error->detail;
  if (!report.unusable_input) {
    root["image"] = json::object{{"format", report.format},
                                 {"width", report.original_width},
                                 {"height", report.original_height}};
  }
  const PortraitMeasurements& m = report.measurements;
  if (report.face_found) {
    root["face"] = json::object{
        {"count", m.face_count},
        {"yaw_degrees", m.pose.yaw},
        {"pitch_degrees", m.pose.pitch},
        {"roll_degrees", m.pose.roll},
        {"eye_openness", m.eye_openness},
        {"mouth_openness", m.mouth_openness},
        {"mesh_presence", m.mesh_presence},
        {"width_fraction", m.face_width_fraction},
        {"centre_offset_fraction", m.centre_offset_fraction},
        {"finished_head_top_px", m.head_top_px},
        {"finished_eye_line_px", m.eye_line_px},
        {"finished_face_width_px", m.face_width_px},
    };
    root["measurements"] = json::object{
        {"sharpness", m.sharpness},
        {"face_brightness", m.face_brightness},
        {"face_highlight", m.face_highlight},
        {"face_peak", m.face_peak},
        {"frame_highlight", m.frame_highlight},
        {"background_clipped_fraction", m.background_clipped},
        {"face_clipped_fraction", m.face_clipped_fraction},
        {"side_light_ratio", m.side_light_ratio},
        {"backlight_difference", m.backlight_difference},
        {"background_deviation", m.background_deviation},
        {"matte_unsure_band_face_widths", m.matte_unsure_band},
        {"matte_face_covered_fraction", m.matte_face_covered},
        {"source_face_px", m.source_face_px},
        {"source_face_scale", m.source_face_scale},
        {"screen_moire_score", m.screen_moire_score},
        {"missing_fraction", m.missing_fraction},
        {"head_cut_face_widths", m.head_cut_face_widths},
        {"body_cut_fraction", m.body_cut_fraction},
        {"editing_software_named", m.editing_software_named},
        {"jpeg_quality_estimate", m.jpeg_quality},
    };
  }
  if (!report.jpeg.empty()) {
    root["output"] = json::object{{"bytes", report.jpeg.size()},
                                  {"jpeg_quality", report.jpeg_quality},
                                  {"within_size_range", report.jpeg_within_size_range}};
  }
  json::object timings;
  for (const auto& [stage, ms] : report.timings_ms) timings[stage] = std::round(ms * 100) / 100;
  root["timings_ms"] = std::move(timings);
  return json::serialize(root);
}

}  // namespace examphoto::imaging
