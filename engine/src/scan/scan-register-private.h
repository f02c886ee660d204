/* Registering a scan or photograph of a sheet against a picture of what is
 * printed on it: SIFT features, RANSAC homography and warping through
 * OpenCV (features2d, calib3d, imgproc), behind a C interface. A
 * well-kept library beats writing feature matching and robust estimation
 * again; scan-register.cpp is the only C++ in this module. */
#ifndef GP_SCAN_REGISTER_PRIVATE_H
#define GP_SCAN_REGISTER_PRIVATE_H

#ifdef __cplusplus
extern "C" {
#endif

/* Packed 8-bit RGB, row by row; OpenCV only reads it. */
typedef struct gp_scan_view {
    const unsigned char *pixels;
    int width, height, stride;
} gp_scan_view;

typedef enum gp_scan_outcome {
    GP_SCAN_REGISTERED = 0,
    GP_SCAN_FEW_FEATURES, /* the scan has too little detail (blurred, blank, tiny) */
    GP_SCAN_FEW_INLIERS,  /* features do not agree on one placement: another sheet */
    GP_SCAN_DEGENERATE,   /* the placement found folds, mirrors or crushes the sheet */
    GP_SCAN_NO_MEMORY,
    GP_SCAN_FAILED        /* OpenCV refused for another reason */
} gp_scan_outcome;

typedef struct gp_scan_registration {
    double h[9];              /* row-major: scan pixel (x, y, 1) to reference pixel */
    int reference_features;   /* keypoints in the reference */
    int scan_features;        /* keypoints in the scan */
    int matches;              /* descriptor matches tried by RANSAC (last pass) */
    int inliers;              /* matches that agree with h (last pass) */
    double inlier_error_px;   /* their RMS distance from h, reference pixels */
    double similarity;        /* correlation of the registered scan with the reference, -1..1 */
} gp_scan_registration;

/* Finds where reference lies in scan: a coarse pass on both reduced to
 * about 1000 pixels, then a fine pass on the scan warped into the
 * reference's frame, matching only features near each other. At least
 * min_inliers must agree in both passes. */
gp_scan_outcome gp_scan_register(const gp_scan_view *reference, const gp_scan_view *scan, int min_inliers,
                                 gp_scan_registration *out);

/* Warps scan into an out_width x out_height frame through h (scan to
 * frame), reducing it with area averaging first when the frame is much
 * smaller, so nothing aliases. Pixels from outside the scan are black.
 * out must hold out_stride * out_height bytes. Returns 1 when done, 0 when
 * memory ran out, -1 when OpenCV refused (a placement it cannot warp). */
int gp_scan_warp(const gp_scan_view *scan, const double h[9], unsigned char *out, int out_width, int out_height,
                 int out_stride);

#ifdef __cplusplus
}
#endif

#endif
