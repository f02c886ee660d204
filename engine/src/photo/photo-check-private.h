/* What the photo module's own files share: why a photo was refused (so
 * preflight can give each reason its own finding code) and the small parsers
 * that look at a JPEG's bytes before libjpeg-turbo does. */
#ifndef GP_PHOTO_CHECK_PRIVATE_H
#define GP_PHOTO_CHECK_PRIVATE_H

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

/* What the markers before the first scan say. */
typedef struct gp_jpeg_markers {
    int width, height;  /* from the first SOF marker; 0 when none was found */
    int components;     /* from the same SOF */
    int orientation;    /* EXIF IFD0 Orientation (1..8), 0 when absent or unreadable */
} gp_jpeg_markers;

/* Walks the marker segments from SOI to the first SOS with bounds checks on
 * every length; stops quietly at the first malformed segment (libjpeg-turbo
 * then reports the damage). */
void gp_jpeg_scan_markers(const unsigned char *data, size_t size, gp_jpeg_markers *out);

/* The Orientation tag (0x0112) of a TIFF structure's IFD0 (the body of an
 * Exif APP1 segment after "Exif\0\0"), either byte order; 0 when absent or
 * when anything points outside the size bytes. */
int gp_exif_orientation(const unsigned char *tiff, size_t size);

/* "PNG", "GIF", "HEIC", ... for well-known non-JPEG magic numbers; NULL when unknown. */
const char *gp_photo_sniff_format(const unsigned char *data, size_t size);

#endif
