/* What the photo module's own files share: why a photo was refused (so
 * preflight can give each reason its own finding code) and the small parsers
 * that look at a JPEG's bytes before libjpeg-turbo does. */
#ifndef GP_PHOTO_CHECK_PRIVATE_H
#define GP_PHOTO_CHECK_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "photo-private.h"

typedef enum gp_photo_problem {
    GP_PHOTO_FINE = 0,
    GP_PHOTO_UNREADABLE, /* the file could not be read at all */
    GP_PHOTO_NOT_JPEG,
    GP_PHOTO_TOO_LARGE, /* file size or claimed dimensions beyond the limits */
    GP_PHOTO_CORRUPT,
    GP_PHOTO_CMYK,
    GP_PHOTO_ORIENTATION,
} gp_photo_problem;

/* gp_photo_load, also saying which kind of problem refused the photo. */
gp_status gp_photo_load_checked(const char *path, gp_photo **out, gp_photo_problem *problem, gp_error **err);

/* What an Exif block's IFD0 says (the parts gradprint reads). */
typedef struct gp_exif {
    int orientation;        /* Orientation (1..8), 0 when absent or unreadable */
    double x_resolution;    /* XResolution, 0 when absent */
    double y_resolution;
    int resolution_unit;    /* ResolutionUnit: 2 inch, 3 centimetre; 0 when absent */
    bool has_gps;           /* a GPS IFD pointer */
} gp_exif;

/* Density units of a JFIF APP0 segment. */
enum { GP_JFIF_ASPECT = 0, GP_JFIF_DPI = 1, GP_JFIF_DPCM = 2 };

/* What the markers before the first scan say. */
typedef struct gp_jpeg_markers {
    int width, height;  /* from the first SOF marker; 0 when none was found */
    int components;     /* from the same SOF */
    int precision;      /* bits per sample of the same SOF */
    int sof;            /* its marker: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, ... */
    int orientation;    /* EXIF IFD0 Orientation (1..8), 0 when absent or unreadable */
    bool has_jfif;
    int jfif_units;     /* GP_JFIF_* */
    int jfif_x_density, jfif_y_density;
    bool has_exif;
    gp_exif exif;
    bool has_adobe;
    int adobe_transform;
    int icc_chunks;     /* APP2 ICC_PROFILE segments seen */
    int com_segments;
    int app_segments;   /* APP0..APP15 of any kind */
    /* Quantisation tables 0 (luminance) and 1 (chrominance) in zigzag
     * order as stored; 0 in [0] when the table was not defined. */
    unsigned short qtable[2][64];
    bool has_qtable[2];
    int component_qtable[4]; /* the table each of the first four components uses */
    int h_sampling[4], v_sampling[4];
} gp_jpeg_markers;

/* Walks the marker segments from SOI to the first SOS with bounds checks on
 * every length; stops quietly at the first malformed segment (libjpeg-turbo
 * then reports the damage). */
void gp_jpeg_scan_markers(const unsigned char *data, size_t size, gp_jpeg_markers *out);

/* The IFD0 fields above of a TIFF structure (the body of an Exif APP1
 * segment after "Exif\0\0"), either byte order. Anything pointing outside
 * the size bytes reads as absent. */
void gp_exif_read(const unsigned char *tiff, size_t size, gp_exif *out);
/* Just the Orientation tag; 0 when absent or unreadable. */
int gp_exif_orientation(const unsigned char *tiff, size_t size);

/* The embedded ICC profile, reassembled from its APP2 chunks in sequence
 * order (malloc'd; *size its length). NULL when there is none, or when the
 * chunks do not make one whole profile (a number missing, repeated or out
 * of range). */
unsigned char *gp_jpeg_icc_profile(const unsigned char *data, size_t size, size_t *profile_size);

/* The IJG quality factor (1..100) whose scaled standard tables come closest
 * to the file's luminance and chrominance tables; 0 when there are none. For
 * files from libjpeg this is the quality they were written with. */
int gp_jpeg_estimate_quality(const gp_jpeg_markers *m);

/* Dots per inch the file declares, from JFIF (preferred) or EXIF; false
 * when it declares none (JFIF aspect ratio only, no EXIF resolution). */
bool gp_jpeg_density(const gp_jpeg_markers *m, double *x_dpi, double *y_dpi);

/* "PNG", "GIF", "HEIC", ... for well-known non-JPEG magic numbers; NULL when unknown. */
const char *gp_photo_sniff_format(const unsigned char *data, size_t size);

#endif
