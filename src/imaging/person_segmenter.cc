#include "imaging/person_segmenter.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace examphoto::imaging {
namespace {

// A seed label of our own beside GrabCut's four: inside the head outline.
constexpr uint8_t kLikelyHead = 4;

// He, Sun & Tang's guided filter with a grey guide: the coarse mask takes on the edges of
// the photo itself, which is what keeps strands of hair instead of a cut-out outline. The
// linear coefficients are fitted at half resolution and applied at full resolution (He &
// Sun's "fast guided filter"), four times cheaper and indistinguishable here.
cv::Mat GuidedFilter(const cv::Mat& guide, const cv::Mat& source, int radius, double epsilon) {
  cv::Mat small_guide, small_source;
  cv::resize(guide, small_guide, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  cv::resize(source, small_source, small_guide.size(), 0, 0, cv::INTER_AREA);
  const int small_radius = std::max(1, radius / 2);
  const cv::Size window(2 * small_radius + 1, 2 * small_radius + 1);
  auto box = [&](const cv::Mat& m) {
    cv::Mat out;
    cv::boxFilter(m, out, CV_32F, window, cv::Point(-1, -1), true, cv::BORDER_REFLECT);
    return out;
  };
  cv::Mat mean_guide = box(small_guide);
  cv::Mat mean_source = box(small_source);
  cv::Mat variance = box(small_guide.mul(small_guide)) - mean_guide.mul(mean_guide);
  cv::Mat covariance = box(small_guide.mul(small_source)) - mean_guide.mul(mean_source);
  cv::Mat a = covariance / (variance + epsilon);
  cv::Mat b = mean_source - a.mul(mean_guide);
  cv::Mat mean_a, mean_b;
  cv::resize(box(a), mean_a, guide.size(), 0, 0, cv::INTER_LINEAR);
  cv::resize(box(b), mean_b, guide.size(), 0, 0, cv::INTER_LINEAR);
  return mean_a.mul(guide) + mean_b;
}

// Keeps the region connected to `seed` and fills its holes (a dark pupil, a logo on a
// shirt that looked like the wall).
cv::Mat KeepConnectedAndFill(const cv::Mat& foreground, cv::Point seed) {
  cv::Mat labels;
  const int count = cv::connectedComponents(foreground, labels, 8, CV_32S);
  if (count <= 1) return foreground;
  seed.x = std::clamp(seed.x, 0, labels.cols - 1);
  seed.y = std::clamp(seed.y, 0, labels.rows - 1);
  int keep = labels.at<int>(seed);
  if (keep == 0) {
    // The seed landed on a background pixel: keep the largest region instead.
    std::vector<int> areas(count, 0);
    for (int y = 0; y < labels.rows; ++y) {
      const int* row = labels.ptr<int>(y);
      for (int x = 0; x < labels.cols; ++x) ++areas[row[x]];
    }
    keep = static_cast<int>(std::max_element(areas.begin() + 1, areas.end()) - areas.begin());
  }
  cv::Mat kept = labels == keep;
  // Holes: background pixels that the border cannot reach.
  cv::Mat reachable = cv::Mat::zeros(kept.rows + 2, kept.cols + 2, CV_8U);
  kept.copyTo(reachable(cv::Rect(1, 1, kept.cols, kept.rows)));
  cv::floodFill(reachable, cv::Point(0, 0), cv::Scalar(128));
  cv::Mat filled = reachable(cv::Rect(1, 1, kept.cols, kept.rows)) != 128;
  return filled;
}

struct ColourCluster {
  cv::Vec3f mean;
  cv::Vec3f inverse_variance;
};

// A few colour clusters (k-means in Lab) of the pixels where `where` is set.
std::vector<ColourCluster> LearnColours(const cv::Mat& lab, const cv::Mat& where, int clusters) {
  std::vector<cv::Vec3f> samples;
  const int total = cv::countNonZero(where);
  const int step = std::max(1, total / 3000);
  int seen = 0;
  for (int y = 0; y < lab.rows; ++y) {
    const uint8_t* w = where.ptr<uint8_t>(y);
    const cv::Vec3f* p = lab.ptr<cv::Vec3f>(y);
    for (int x = 0; x < lab.cols; ++x) {
      if (w[x] && seen++ % step == 0) samples.push_back(p[x]);
    }
  }
  std::vector<ColourCluster> result;
  if (samples.size() < static_cast<size_t>(clusters) * 4) return result;
  cv::Mat data(static_cast<int>(samples.size()), 3, CV_32F, samples.data());
  cv::Mat assignment, centres;
  cv::setRNGSeed(12345);  // the same photo always gives the same mask
  cv::kmeans(data, clusters, assignment,
             cv::TermCriteria(cv::TermCriteria::COUNT + cv::TermCriteria::EPS, 8, 0.5), 1,
             cv::KMEANS_PP_CENTERS, centres);
  for (int k = 0; k < clusters; ++k) {
    cv::Vec3f mean(centres.ptr<float>(k));
    cv::Vec3f variance(0, 0, 0);
    int count = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
      if (assignment.at<int>(static_cast<int>(i)) != k) continue;
      const cv::Vec3f d = samples[i] - mean;
      variance += d.mul(d);
      ++count;
    }
    if (count < 3) continue;
    ColourCluster cluster;
    cluster.mean = mean;
    for (int c = 0; c < 3; ++c) {
      // A floor on the spread: a perfectly flat wall must not make every other colour
      // infinitely unlikely (JPEG noise, light fall-off).
      cluster.inverse_variance[c] = 1.0f / std::max(variance[c] / count, 16.0f);
    }
    result.push_back(cluster);
  }
  return result;
}

float NearestDistance(const std::vector<ColourCluster>& clusters, const cv::Vec3f& colour) {
  float best = 1e9f;
  for (const auto& cluster : clusters) {
    const cv::Vec3f d = colour - cluster.mean;
    best = std::min(best, d.dot(d.mul(cluster.inverse_variance)));
  }
  return best;
}

// Person or wall for each pixel, from the wall's colour model (learnt on the strips that
// are surely wall), the person's (face, neck, chest) and the layout prior of the seeds. A cheap
// stand-in for GrabCut's graph cut, whose run time on a busy background is unbounded; the guided
// filter afterwards supplies the smoothness.
cv::Mat ClassifyByColour(const cv::Mat& small, const cv::Mat& labels) {
  cv::Mat lab;
  small.convertTo(lab, CV_32FC3, 1.0 / 255);
  cv::cvtColor(lab, lab, cv::COLOR_BGR2Lab);
  const cv::Mat wall_seed = labels == cv::GC_BGD;
  const cv::Mat person_seed = labels == cv::GC_FGD;
  const auto wall = LearnColours(
      lab, cv::countNonZero(wall_seed) > 50 ? wall_seed : cv::Mat(labels == cv::GC_PR_BGD), 3);
  const auto person = LearnColours(lab, person_seed, 4);
  cv::Mat result(labels.size(), CV_8U);
  for (int y = 0; y < labels.rows; ++y) {
    const uint8_t* label = labels.ptr<uint8_t>(y);
    const cv::Vec3f* colour = lab.ptr<cv::Vec3f>(y);
    uint8_t* out = result.ptr<uint8_t>(y);
    for (int x = 0; x < labels.cols; ++x) {
      float prior;  // log-odds of "person" from the layout alone
      switch (label[x]) {
        case cv::GC_FGD:
          prior = 6;
          break;
        case cv::GC_BGD:
          prior = -6;
          break;
        case kLikelyHead:
          prior = 3.5f;
          break;
        case cv::GC_PR_FGD:
          prior = 1.0f;
          break;
        default:
          prior = -1.0f;
          break;
      }
      float evidence = 0;
      if (!wall.empty() && !person.empty()) {
        // Half the difference of squared Mahalanobis distances: a log-likelihood ratio of
        // the two colour models. Both distances are capped, so a colour neither model has
        // seen (hair: in no seed) is neutral and the layout prior decides.
        evidence = 0.5f * (std::min(NearestDistance(wall, colour[x]), 30.0f) -
                           std::min(NearestDistance(person, colour[x]), 30.0f));
      }
      out[x] = prior + evidence > 0 ? 255 : 0;
    }
  }
  // A majority vote over 5×5 removes speckle where the two models are close.
  cv::medianBlur(result, result, 5);
  return result;
}

}  // namespace

PersonMask SegmentPersonCoarse(const cv::Mat& image, const FaceLandmarks& landmarks,
                               const FaceGeometry& face, const SegmenterOptions& options) {
  PersonMask result;
  const double scale = std::min(1.0, static_cast<double>(options.work_width) / image.cols);
  cv::Mat small;
  cv::resize(image, small, cv::Size(), scale, scale, cv::INTER_AREA);
  const auto s = [](cv::Point2f p) { return cv::Point(cvRound(p.x), cvRound(p.y)); };
  const float fw = static_cast<float>(face.face_width * scale);
  const cv::Point2f eye = face.eye_centre * static_cast<float>(scale);
  const cv::Point2f chin = face.chin * static_cast<float>(scale);
  const cv::Point2f top = face.head_top * static_cast<float>(scale);
  const int width = small.cols, height = small.rows;

  cv::Mat labels(small.size(), CV_8U, cv::Scalar(cv::GC_PR_BGD));
  // Probably person: the head (an ellipse from above the estimated crown to the chin) and
  // the shoulders, a trapezoid widening downwards from just below the chin.
  const cv::Point2f head_centre(eye.x, (top.y + chin.y) / 2);
  const cv::Size head_axes(cvRound(0.78 * fw), cvRound((chin.y - top.y) / 2 + 0.22 * fw));
  cv::ellipse(labels, head_centre, head_axes, 0, 0, 360, cv::Scalar(cv::GC_PR_FGD), cv::FILLED);
  // Inside the head proper (crown to chin, cheek to cheek) hair is far likelier than wall:
  // dark hair against a dark, busy background must not be cut away.
  const cv::Size inner_axes(cvRound(0.62 * fw), cvRound((chin.y - top.y) / 2));
  cv::ellipse(labels, head_centre, inner_axes, 0, 0, 360, cv::Scalar(kLikelyHead), cv::FILLED);
  const float shoulder_y = chin.y + 0.25f * fw;
  std::vector<cv::Point> shoulders = {
      {cvRound(eye.x - 0.55f * fw), cvRound(chin.y)},
      {cvRound(eye.x + 0.55f * fw), cvRound(chin.y)},
      {cvRound(eye.x + 1.7f * fw), cvRound(shoulder_y + 0.6f * fw)},
      {cvRound(eye.x + 1.9f * fw), height},
      {cvRound(eye.x - 1.9f * fw), height},
      {cvRound(eye.x - 1.7f * fw), cvRound(shoulder_y + 0.6f * fw)}};
  cv::fillConvexPoly(labels, shoulders, cv::Scalar(cv::GC_PR_FGD));

  // Surely wall: the band above the crown and the strips beside the head down to the chin.
  // In a portrait framed like an ID photo the face is about 40 % of the width, so these
  // strips are narrow but always there; hair rarely reaches a face width from the midline.
  cv::Mat sure_background(small.size(), CV_8U, cv::Scalar(0));
  const int top_band = std::min(height, std::max(cvRound(top.y - 0.25f * fw), height / 30));
  if (top_band > 0) sure_background(cv::Rect(0, 0, width, top_band)) = 255;
  const int side_bottom = std::clamp(cvRound(chin.y), 0, height);
  const int left_edge = std::clamp(cvRound(eye.x - 0.95f * fw), 0, width);
  const int right_edge = std::clamp(cvRound(eye.x + 0.95f * fw), 0, width);
  if (side_bottom > 0) {
    if (left_edge > 0) sure_background(cv::Rect(0, 0, left_edge, side_bottom)) = 255;
    if (right_edge < width) {
      sure_background(cv::Rect(right_edge, 0, width - right_edge, side_bottom)) = 255;
    }
  }
  labels.setTo(cv::Scalar(cv::GC_BGD), sure_background);

  // Surely person: the inner face (landmark hull pulled a little towards its centre, so
  // that no wall at the cheeks is taken for skin), the neck and the middle of the chest.
  std::vector<cv::Point> hull;
  const cv::Point2f face_centre = (eye + chin) * 0.5f;
  for (int i = 0; i <= 26; ++i) {
    const cv::Point2f p = landmarks.points[i] * static_cast<float>(scale);
    hull.push_back(s(face_centre + (p - face_centre) * 0.85f));
  }
  std::vector<cv::Point> convex;
  cv::convexHull(hull, convex);
  cv::fillConvexPoly(labels, convex, cv::Scalar(cv::GC_FGD));
  cv::rectangle(labels, cv::Point(cvRound(eye.x - 0.2f * fw), cvRound(chin.y)),
                cv::Point(cvRound(eye.x + 0.2f * fw), cvRound(chin.y + 0.3f * fw)),
                cv::Scalar(cv::GC_FGD), cv::FILLED);
  cv::rectangle(labels, cv::Point(cvRound(eye.x - 0.45f * fw), cvRound(chin.y + 0.7f * fw)),
                cv::Point(cvRound(eye.x + 0.45f * fw), height), cv::Scalar(cv::GC_FGD), cv::FILLED);

  const int wall_pixels = cv::countNonZero((labels == cv::GC_BGD) | (labels == cv::GC_PR_BGD));
  result.ok = wall_pixels > width * height / 20;
  result.sure_background = sure_background;
  if (!result.ok) {
    // No wall to learn from: fall back to the seeds alone, which still outline a head and
    // shoulders; the background checks will reject the photo anyway.
    cv::Mat seeds = (labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD) | (labels == kLikelyHead);
    seeds.convertTo(result.alpha, CV_32F, 1.0 / 255);
    return result;
  }
  const cv::Mat person = KeepConnectedAndFill(ClassifyByColour(small, labels), s(face_centre));
  person.convertTo(result.alpha, CV_32F, 1.0 / 255);
  return result;
}

cv::Mat RefinePersonMask(const cv::Mat& image, const cv::Mat& coarse_alpha,
                         const SegmenterOptions& options) {
  cv::Mat coarse;
  cv::resize(coarse_alpha, coarse, image.size(), 0, 0, cv::INTER_LINEAR);
  cv::Mat grey;
  cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  grey.convertTo(grey, CV_32F, 1.0 / 255);
  const int radius = std::max(2, cvRound(options.guided_radius * image.cols / 480.0));
  cv::Mat alpha = GuidedFilter(grey, coarse, radius, options.guided_epsilon);
  // Steepen the soft edge a little: the filter spreads it over 2r pixels, hair needs about r.
  alpha = (alpha - 0.5) * 1.6 + 0.5;
  cv::min(cv::max(alpha, 0.0), 1.0, alpha);
  return alpha;
}

PersonMask SegmentPerson(const cv::Mat& image, const FaceLandmarks& landmarks,
                         const FaceGeometry& face, const SegmenterOptions& options) {
  PersonMask mask = SegmentPersonCoarse(image, landmarks, face, options);
  mask.alpha = RefinePersonMask(image, mask.alpha, options);
  cv::resize(mask.sure_background, mask.sure_background, image.size(), 0, 0, cv::INTER_NEAREST);
  return mask;
}

}  // namespace examphoto::imaging
