// The photo module's one C++ file: OpenCV's API is C++ only, so its cascade
// classifier is wrapped here and nothing C++ leaks past this file. No
// exception crosses the C interface.
#include "photo-detect-private.h"

#include <algorithm>
#include <new>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>

struct gp_face_detector {
    cv::CascadeClassifier face, eye;
    std::vector<cv::Rect> found; // reused between calls
};

extern "C" gp_face_detector *gp_face_detector_new(const char *face_cascade, const char *eye_cascade,
                                                  const char **failed)
{
    gp_face_detector *d = new (std::nothrow) gp_face_detector;
    if (d == nullptr) {
        if (failed != nullptr)
            *failed = nullptr;
        return nullptr;
    }
    try {
        if (!d->face.load(face_cascade)) {
            if (failed != nullptr)
                *failed = face_cascade;
            delete d;
            return nullptr;
        }
        if (!d->eye.load(eye_cascade)) {
            if (failed != nullptr)
                *failed = eye_cascade;
            delete d;
            return nullptr;
        }
    } catch (...) {
        if (failed != nullptr)
            *failed = face_cascade;
        delete d;
        return nullptr;
    }
    return d;
}

extern "C" void gp_face_detector_free(gp_face_detector *detector) { delete detector; }

extern "C" int gp_face_detector_find(gp_face_detector *detector, gp_cascade cascade, const gp_gray_image *img,
                                     gp_pixel_box region, int min_side, int max_side, double scale_step, int neighbours,
                                     gp_pixel_box *out, int max)
{
    cv::Rect roi = cv::Rect(region.x, region.y, region.w, region.h) & cv::Rect(0, 0, img->width, img->height);
    if (roi.width < min_side || roi.height < min_side || min_side < 1)
        return 0;
    try {
        // A view of the caller's pixels: OpenCV only reads them.
        const cv::Mat whole(img->height, img->width, CV_8UC1, const_cast<unsigned char *>(img->pixels),
                            static_cast<size_t>(img->stride));
        cv::CascadeClassifier &classifier = cascade == GP_CASCADE_FACE ? detector->face : detector->eye;
        detector->found.clear();
        classifier.detectMultiScale(whole(roi), detector->found, scale_step, neighbours, 0,
                                    cv::Size(min_side, min_side), cv::Size(max_side, max_side));
        std::vector<cv::Rect> &found = detector->found;
        std::stable_sort(found.begin(), found.end(),
                         [](const cv::Rect &a, const cv::Rect &b) { return a.area() > b.area(); });
        int n = static_cast<int>(found.size());
        for (int i = 0; i < n && i < max; i++)
            out[i] = gp_pixel_box{found[i].x + roi.x, found[i].y + roi.y, found[i].width, found[i].height};
        return n;
    } catch (...) {
        return -1;
    }
}
