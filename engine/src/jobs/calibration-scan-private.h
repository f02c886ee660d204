/* Calibration from a scan: the targets the calibration page prints for a
 * scan to find (calibration-targets.c), finding them in the registered
 * scan (calibration-marks.c), the offset and scale that fit them
 * (calibration-fit.c), the profile and proof written from the result
 * (calibration-scan-out.c) and the job (calibration-scan.c). */
#ifndef GP_CALIBRATION_SCAN_PRIVATE_H
#define GP_CALIBRATION_SCAN_PRIVATE_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"
#include "template/template-private.h"

/* A target is a saturated magenta ring: a colour and a shape a blank's
 * printing does not use, whose centre a centroid finds to a fraction of a
 * pixel; the crosshair of an anchor stays visible inside it. */
#define GP_TARGET_OUTER_MM 2.4
#define GP_TARGET_INNER_MM 1.4
/* Grid targets stay this far inside the page, clear of a blank's border. */
#define GP_TARGET_INSET_MM 22.0
#define GP_TARGET_SPACING_MM 40.0
/* Targets closer than this are one: a scan tells them apart up to half of it. */
#define GP_TARGET_MIN_GAP_MM 10.0
#define GP_TARGET_MAX 128

typedef struct gp_calibration_target {
    double x_mm, y_mm;          /* in the template, as the page means them */
    const gp_element *element;  /* the element whose anchor it marks, or NULL for the grid */
} gp_calibration_target;

/* Where the calibration page of tpl puts its targets: a grid over the page
 * and each element's anchor (the crosshairs), fewer where two would touch.
 * Returns how many (at most max). */
size_t gp_calibration_targets(const gp_template *tpl, gp_calibration_target *out, size_t max);
/* Draws one target centred on (x_mm, y_mm) of cr's user space (mm). */
void gp_calibration_target_draw(cairo_t *cr, double x_mm, double y_mm);

/* Packed 8-bit RGB owned by its holder. */
typedef struct gp_scan_image {
    unsigned char *pixels;
    int width, height, stride;
} gp_scan_image;

/* One target looked for in a scan registered into the blank's frame at
 * px_per_mm: its centre in mm when found. */
typedef struct gp_mark_found {
    bool found;
    double x_mm, y_mm;
} gp_mark_found;

/* False when memory ran out. */
bool gp_calibration_find_marks(const gp_scan_image *img, double px_per_mm, const gp_calibration_target *targets,
                               size_t n, gp_mark_found *out);

/* The printer's error fitted to where marks landed (m) against where the
 * page put them (t): m = a + b * t per axis, which is the form of a
 * profile, and a full affine fit for the rotation it cannot correct. */
typedef struct gp_calibration_fit {
    double a_x, b_x, a_y, b_y;
    double rotation_deg;         /* of the affine fit: + turns clockwise on the page */
    double rms_before_mm, max_before_mm; /* |m - t| */
    double rms_after_mm, max_after_mm;   /* what the axis fit leaves: where marks land with the profile */
    double rms_affine_mm;        /* what the affine fit leaves: the scan's own noise */
} gp_calibration_fit;

/* n >= 3 points, not all on one line in either axis. Fills res_x/res_y
 * (n each, may be NULL) with the axis fit's residuals. False when the
 * points do not determine a fit. */
bool gp_calibration_fit_marks(const double *tx, const double *ty, const double *mx, const double *my, size_t n,
                              gp_calibration_fit *fit, double *res_x, double *res_y);
/* The profile that cancels fit for a page printed with printed: what
 * moves a mark the printer puts at a + b * (o + s * t) back onto t. */
void gp_calibration_correct(const gp_calibration *printed, const gp_calibration_fit *fit, gp_calibration *out);

/* The profile as text: a comment saying when (now, UTC) and from which
 * scan, then the numbers, written without the C library's locale. */
char *gp_calibration_profile_text(const gp_calibration *cal, const char *scan_path, const char *template_path,
                                  size_t found, size_t expected, double rms_after_mm);

/* The proof: img (the scan registered into the blank's frame at
 * px_per_mm) with a green cross where each mark belongs, a blue circle
 * where it was found and its error ten times enlarged in red (a red X when
 * it was not found), as a PNG written atomically, mode 0600. */
gp_status gp_calibration_scan_proof(const char *path, const gp_scan_image *img, double px_per_mm,
                                    const gp_calibration_target *targets, const gp_mark_found *found, size_t n,
                                    gp_error **err);

#endif
