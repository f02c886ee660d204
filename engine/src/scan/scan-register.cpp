// The scan module's one C++ file: OpenCV's SIFT features and robust
// homography estimation (features2d, calib3d) wrapped behind the C interface
// in scan-register-private.h. No exception and nothing C++ crosses it.
#include "scan-register-private.h"

#include <cmath>
#include <new>
#include <vector>

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgproc.hpp>

namespace {

// SIFT rather than ORB: its descriptors tell a blank's features from the
// calibration page's grid and labels printed over them, and its keypoints
// are placed to a fraction of a pixel, which the fine pass needs. Enough of
// them that a blank's decoration yields a hundred matches or more.
constexpr int kFeatures = 6000;
// The coarse pass reduces the scan so its longer side is this many times
// the reduced reference's: the sheet then covers between about half and all
// of the reference's size, which SIFT's scale space covers.
constexpr double kCoarseSide = 1.4;
constexpr double kCoarseRefSide = 1000;
constexpr double kCoarseRatio = 0.85;     // Lowe's ratio test
constexpr double kCoarseThresholdPx = 4.0; // RANSAC, reference pixels
constexpr double kFineRadiusPx = 6.0;     // the fine pass matches only this close
constexpr double kFineMaxDistance = 250; // SIFT descriptor distance
constexpr double kFineThresholdPx = 1.5;
constexpr int kMinFeatures = 80;

cv::Mat view_mat(const gp_scan_view *v)
{
    return cv::Mat(v->height, v->width, CV_8UC3, const_cast<unsigned char *>(v->pixels),
                   static_cast<size_t>(v->stride));
}

cv::Mat gray_of(const gp_scan_view *v)
{
    cv::Mat g;
    cv::cvtColor(view_mat(v), g, cv::COLOR_RGB2GRAY);
    return g;
}

struct features {
    std::vector<cv::KeyPoint> points;
    cv::Mat descriptors;
};

features detect(const cv::Mat &gray)
{
    features f;
    cv::Ptr<cv::SIFT> sift = cv::SIFT::create(kFeatures);
    sift->detectAndCompute(gray, cv::noArray(), f.points, f.descriptors);
    return f;
}

// The area scale of h's linear part at the frame's centre: how many frame
// pixels one source pixel becomes, along a side.
double side_scale(const cv::Matx33d &h)
{
    return std::sqrt(std::fabs(h(0, 0) * h(1, 1) - h(0, 1) * h(1, 0)));
}

// A placement that keeps the sheet a convex, upright (not mirrored)
// quadrilateral whose opposite sides differ by less than 3:1 in the scan.
bool plausible(const cv::Matx33d &scan_to_ref, cv::Size ref)
{
    cv::Matx33d inv = scan_to_ref.inv();
    std::vector<cv::Point2d> corners = {{0, 0}, {double(ref.width), 0}, {double(ref.width), double(ref.height)},
                                        {0, double(ref.height)}};
    std::vector<cv::Point2d> q;
    cv::perspectiveTransform(corners, q, inv);
    for (int i = 0; i < 4; i++) {
        cv::Point2d a = q[(i + 1) % 4] - q[i], b = q[(i + 2) % 4] - q[(i + 1) % 4];
        if (a.x * b.y - a.y * b.x <= 0 || !std::isfinite(q[i].x) || !std::isfinite(q[i].y))
            return false;
    }
    for (int i = 0; i < 2; i++) {
        double s0 = cv::norm(q[i + 1] - q[i]), s1 = cv::norm(q[(i + 3) % 4] - q[(i + 2) % 4]);
        if (s0 <= 0 || s1 <= 0 || s0 / s1 > 3 || s1 / s0 > 3)
            return false;
    }
    return true;
}

struct fit_result {
    cv::Matx33d h;
    int matches = 0, inliers = 0;
    double error = 0;
};

bool estimate(const std::vector<cv::Point2f> &from, const std::vector<cv::Point2f> &to, double threshold,
              fit_result *out)
{
    out->matches = static_cast<int>(from.size());
    if (from.size() < 8)
        return false;
    std::vector<unsigned char> mask;
    cv::Mat h = cv::findHomography(from, to, cv::RANSAC, threshold, mask, 20000, 0.9995);
    if (h.empty())
        return false;
    out->h = cv::Matx33d(h);
    double sum = 0;
    int n = 0;
    for (size_t i = 0; i < from.size(); i++) {
        if (!mask[i])
            continue;
        cv::Vec3d p = out->h * cv::Vec3d(from[i].x, from[i].y, 1.0);
        double dx = p[0] / p[2] - to[i].x, dy = p[1] / p[2] - to[i].y;
        sum += dx * dx + dy * dy;
        n++;
    }
    out->inliers = n;
    out->error = n > 0 ? std::sqrt(sum / n) : 0;
    return true;
}

// The coarse pass: descriptors matched anywhere, kept when each is the
// other's nearest (many alike features, such as the calibration page's grid
// crossings, would otherwise all pair with one reference feature, and a
// homography crushing the sheet to a point fits them all) and clearly
// nearer than the next (Lowe's ratio test).
bool coarse(const features &ref, const features &scan, fit_result *out)
{
    cv::BFMatcher matcher(cv::NORM_L2);
    std::vector<std::vector<cv::DMatch>> knn;
    std::vector<cv::DMatch> back;
    matcher.knnMatch(scan.descriptors, ref.descriptors, knn, 2);
    matcher.match(ref.descriptors, scan.descriptors, back);
    std::vector<cv::Point2f> from, to;
    for (const auto &m : knn) {
        if (m.size() == 2 && m[0].distance < kCoarseRatio * m[1].distance && back[size_t(m[0].trainIdx)].trainIdx == m[0].queryIdx) {
            from.push_back(scan.points[size_t(m[0].queryIdx)].pt);
            to.push_back(ref.points[size_t(m[0].trainIdx)].pt);
        }
    }
    return estimate(from, to, kCoarseThresholdPx, out);
}

// The fine pass: the scan already lies over the reference, so each warped
// keypoint is matched only with reference keypoints a few pixels away, which
// keeps the blank's repeated patterns (guilloche borders) from confusing it.
bool fine(const features &ref, const features &warped, fit_result *out)
{
    const double cell = kFineRadiusPx;
    int cols = 1, rows = 1;
    for (const auto &k : ref.points) {
        cols = std::max(cols, int(k.pt.x / cell) + 1);
        rows = std::max(rows, int(k.pt.y / cell) + 1);
    }
    std::vector<std::vector<int>> grid(size_t(cols) * size_t(rows));
    for (size_t i = 0; i < ref.points.size(); i++)
        grid[size_t(int(ref.points[i].pt.y / cell)) * cols + size_t(int(ref.points[i].pt.x / cell))].push_back(int(i));
    std::vector<cv::Point2f> from, to;
    for (size_t i = 0; i < warped.points.size(); i++) {
        const cv::Point2f p = warped.points[i].pt;
        int cx = int(p.x / cell), cy = int(p.y / cell);
        int best = -1;
        double best_d = kFineMaxDistance;
        for (int y = cy - 1; y <= cy + 1; y++) {
            for (int x = cx - 1; x <= cx + 1; x++) {
                if (x < 0 || y < 0 || x >= cols || y >= rows)
                    continue;
                for (int j : grid[size_t(y) * cols + size_t(x)]) {
                    if (cv::norm(ref.points[size_t(j)].pt - p) > kFineRadiusPx)
                        continue;
                    double d = cv::norm(warped.descriptors.row(int(i)), ref.descriptors.row(j), cv::NORM_L2);
                    if (d < best_d) {
                        best_d = d;
                        best = j;
                    }
                }
            }
        }
        if (best >= 0) {
            from.push_back(p);
            to.push_back(ref.points[size_t(best)].pt);
        }
    }
    return estimate(from, to, kFineThresholdPx, out);
}

// The scan reduced (area averaging) so that h maps it to the frame at about
// one pixel per pixel; *h_reduced maps the reduced scan.
cv::Mat reduced_for(const cv::Mat &scan, const cv::Matx33d &h, cv::Matx33d *h_reduced)
{
    double s = side_scale(h);
    if (!(s < 0.8)) {
        *h_reduced = h;
        return scan;
    }
    cv::Mat small;
    cv::resize(scan, small, cv::Size(), s, s, cv::INTER_AREA);
    double sx = double(small.cols) / scan.cols, sy = double(small.rows) / scan.rows;
    *h_reduced = h * cv::Matx33d(1 / sx, 0, 0, 0, 1 / sy, 0, 0, 0, 1);
    return small;
}

double correlation(const cv::Mat &a, const cv::Mat &b)
{
    cv::Mat fa, fb, r;
    cv::GaussianBlur(a, fa, cv::Size(0, 0), 2.0);
    cv::GaussianBlur(b, fb, cv::Size(0, 0), 2.0);
    cv::matchTemplate(fa, fb, r, cv::TM_CCOEFF_NORMED);
    return r.at<float>(0, 0);
}

gp_scan_outcome run(const gp_scan_view *reference, const gp_scan_view *scan, int min_inliers,
                    gp_scan_registration *out)
{
    cv::Mat ref = gray_of(reference), full = gray_of(scan);
    // The coarse pass looks at the sheet as a whole: the reference reduced
    // to kCoarseRefSide, where a blank's fine repeated patterns blur and its
    // large shapes (title, frames, seal) decide.
    double fr_scale = std::min(1.0, kCoarseRefSide / std::max(ref.cols, ref.rows));
    cv::Mat ref_small;
    if (fr_scale < 1.0)
        cv::resize(ref, ref_small, cv::Size(), fr_scale, fr_scale, cv::INTER_AREA);
    else
        ref_small = ref;
    double f = std::min(1.0, kCoarseSide * std::max(ref_small.cols, ref_small.rows) / std::max(full.cols, full.rows));
    cv::Mat small;
    if (f < 1.0)
        cv::resize(full, small, cv::Size(), f, f, cv::INTER_AREA);
    else
        small = full;
    features frs = detect(ref_small), fs = detect(small);
    out->reference_features = int(frs.points.size());
    out->scan_features = int(fs.points.size());
    if (frs.points.size() < size_t(kMinFeatures) || fs.points.size() < size_t(kMinFeatures))
        return GP_SCAN_FEW_FEATURES;
    fit_result c;
    if (!coarse(frs, fs, &c) || c.inliers < min_inliers) {
        out->matches = c.matches;
        out->inliers = c.inliers;
        return GP_SCAN_FEW_INLIERS;
    }
    c.h = cv::Matx33d(1 / fr_scale, 0, 0, 0, 1 / fr_scale, 0, 0, 0, 1) * c.h;
    double sx = double(small.cols) / full.cols, sy = double(small.rows) / full.rows;
    cv::Matx33d h1 = c.h * cv::Matx33d(sx, 0, 0, 0, sy, 0, 0, 0, 1);
    if (!plausible(h1, ref.size()))
        return GP_SCAN_DEGENERATE;

    cv::Matx33d h1r;
    cv::Mat src = reduced_for(full, h1, &h1r);
    cv::Mat warped;
    cv::warpPerspective(src, warped, cv::Mat(h1r), ref.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
    features fr = detect(ref), fw = detect(warped);
    fit_result fi;
    if (!fine(fr, fw, &fi) || fi.inliers < min_inliers) {
        out->matches = fi.matches;
        out->inliers = fi.inliers;
        return GP_SCAN_FEW_INLIERS;
    }
    cv::Matx33d h = fi.h * h1;
    if (!plausible(h, ref.size()))
        return GP_SCAN_DEGENERATE;
    h = h * (1.0 / h(2, 2));
    for (int i = 0; i < 9; i++)
        out->h[i] = h.val[i];
    out->matches = fi.matches;
    out->inliers = fi.inliers;
    out->inlier_error_px = fi.error;
    cv::Mat registered;
    cv::warpPerspective(src, registered, cv::Mat(fi.h * h1r), ref.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                        255);
    out->similarity = correlation(registered, ref);
    return GP_SCAN_REGISTERED;
}

} // namespace

extern "C" gp_scan_outcome gp_scan_register(const gp_scan_view *reference, const gp_scan_view *scan,
                                            int min_inliers, gp_scan_registration *out)
{
    *out = gp_scan_registration{};
    try {
        return run(reference, scan, min_inliers, out);
    } catch (const std::bad_alloc &) {
        return GP_SCAN_NO_MEMORY;
    } catch (const cv::Exception &e) {
        return e.code == cv::Error::StsNoMem ? GP_SCAN_NO_MEMORY : GP_SCAN_FAILED;
    } catch (...) {
        return GP_SCAN_FAILED;
    }
}

extern "C" int gp_scan_warp(const gp_scan_view *scan, const double h[9], unsigned char *out, int out_width,
                            int out_height, int out_stride)
{
    try {
        cv::Matx33d hm(h);
        cv::Matx33d hr;
        cv::Mat src = reduced_for(view_mat(scan), hm, &hr);
        cv::Mat dst(out_height, out_width, CV_8UC3, out, static_cast<size_t>(out_stride));
        cv::warpPerspective(src, dst, cv::Mat(hr), dst.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                            cv::Scalar(0, 0, 0));
        return dst.data == out ? 1 : -1;
    } catch (const std::bad_alloc &) {
        return 0;
    } catch (const cv::Exception &e) {
        return e.code == cv::Error::StsNoMem ? 0 : -1;
    } catch (...) {
        return -1;
    }
}
