/* Face and eye detection: OpenCV's Haar cascades behind a C interface
 * (photo-detect.cpp is the photo module's only C++). A detector holds its
 * cascades and the scratch buffers OpenCV keeps between calls, so it belongs
 * to one thread; every checker makes its own. */
#ifndef GP_PHOTO_DETECT_PRIVATE_H
#define GP_PHOTO_DETECT_PRIVATE_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gp_face_detector gp_face_detector;

typedef struct gp_pixel_box {
    int x, y, w, h;
} gp_pixel_box;

/* 8-bit grey pixels, row by row. */
typedef struct gp_gray_image {
    const unsigned char *pixels;
    int width, height, stride;
} gp_gray_image;

typedef enum gp_cascade { GP_CASCADE_FACE, GP_CASCADE_EYE } gp_cascade;

/* Loads the frontal-face and eye cascades (OpenCV XML files). NULL when
 * either cannot be loaded; *failed (when not NULL) then names the file. */
gp_face_detector *gp_face_detector_new(const char *face_cascade, const char *eye_cascade, const char **failed);
void gp_face_detector_free(gp_face_detector *detector);

/* Runs one cascade over region of img and stores up to max boxes whose side
 * is between min_side and max_side pixels, largest first, in image
 * coordinates. scale_step is the pyramid's step (1.1 = 10 %), neighbours
 * the number of overlapping hits a box needs. Returns how many boxes were
 * found (which may exceed max), or -1 when OpenCV failed. */
int gp_face_detector_find(gp_face_detector *detector, gp_cascade cascade, const gp_gray_image *img, gp_pixel_box region,
                          int min_side, int max_side, double scale_step, int neighbours, gp_pixel_box *out, int max);

#ifdef __cplusplus
}
#endif

#endif
