/* A scan simulator for calibration from a scan (tests only): the blank and
 * the calibration page rendered with poppler, the page moved and scaled by a
 * known printer error and multiplied onto the blank as ink on paper, then
 * laid on a flatbed or photographed with a phone, and written as a JPEG. */
#ifndef GP_SCAN_SIM_H
#define GP_SCAN_SIM_H

#include <stdbool.h>

typedef struct scan_sim_printer {
    double offset_x_mm, offset_y_mm; /* where the printer puts the page's origin */
    double scale_x, scale_y;          /* about that origin */
    double angle_deg;                 /* feed skew: turned about the origin, + clockwise */
} scan_sim_printer;

/* Packed RGB. */
typedef struct scan_sim_image {
    unsigned char *rgb;
    int w, h;
} scan_sim_image;

/* The printed sheet, w_mm x h_mm at dpi: blank_pdf's first page (full page)
 * times page_pdf's first page (NULL: the blank unprinted) drawn through
 * printer. False on failure (message on stderr). */
bool scan_sim_sheet(const char *blank_pdf, const char *page_pdf, double w_mm, double h_mm, double dpi,
                    const scan_sim_printer *printer, scan_sim_image *out);

/* A flatbed at dpi (the sheet's own resolution): a bed_w x bed_h mm lid
 * (light grey) with the sheet's top-left corner at (x_mm, y_mm), turned by
 * angle_deg, noise of about noise levels, JPEG at quality. */
bool scan_sim_flatbed(const scan_sim_image *sheet, double dpi, double bed_w_mm, double bed_h_mm, double x_mm,
                      double y_mm, double angle_deg, int noise, int quality, const char *jpeg_path);

/* A phone photo out_w x out_h pixels: the sheet's corners (top-left,
 * top-right, bottom-right, bottom-left) at corners[8] (x, y pixels), on a
 * dark wooden desk, blurred by blur_px, lit unevenly, with noise, JPEG. */
bool scan_sim_phone(const scan_sim_image *sheet, int out_w, int out_h, const double corners[8], double blur_px,
                    int noise, int quality, const char *jpeg_path);

void scan_sim_image_free(scan_sim_image *img);

#endif
