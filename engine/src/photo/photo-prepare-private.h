/* Preparing one photo: a camera original or a student's own photo in, a
 * conforming photo out, or a refusal with its reasons. */
#ifndef GP_PHOTO_PREPARE_PRIVATE_H
#define GP_PHOTO_PREPARE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "photo-analysis-private.h"
#include "photo-check-private.h"
#include "photo-profile-private.h"

/* Originals may be much larger than photos: a 45-megapixel camera's JPEG
 * at its best quality is about 30 MB. */
#define GP_ORIGINAL_MAX_FILE_BYTES (64u * 1024u * 1024u)
#define GP_ORIGINAL_MAX_SIDE 12000
#define GP_ORIGINAL_MAX_PIXELS (60u * 1000u * 1000u)

/* Packed 8-bit RGB owned by its holder. */
typedef struct gp_rgb_buffer {
    unsigned char *pixels;
    int width, height;
    size_t cap;
} gp_rgb_buffer;

void gp_rgb_buffer_free(gp_rgb_buffer *b);
bool gp_rgb_buffer_reserve(gp_rgb_buffer *b, int width, int height);
gp_rgb_image gp_rgb_buffer_image(const gp_rgb_buffer *b);

/* A refusal: an error finding of code about source. Returns false, for
 * `return gp_refuse(...)`. */
bool gp_refuse(gp_report *findings, const char *source, gp_photo_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An original, opened: what its header says, upright dimensions. */
typedef struct gp_original {
    const char *name;
    const unsigned char *data; /* not owned */
    size_t size;
    bool is_png;
    gp_jpeg_markers markers;
    int stored_width, stored_height;
    int orientation;            /* 1, 3, 6 or 8: how to turn the stored pixels upright */
    int width, height;          /* upright */
    gp_rgb_buffer png;          /* a PNG's pixels, upright */
} gp_original;

/* Reads the header (and for PNG the pixels). Refusals become error
 * findings in why (file = name): not a picture, CMYK, greyscale, mirrored
 * by its orientation tag, beyond the size limits. */
bool gp_original_open(gp_original *o, const char *name, const unsigned char *data, size_t size, gp_report *why);
void gp_original_close(gp_original *o);

/* The whole original, upright, at scale/8 of its size (1..8; PNG: any
 * scale decodes at 8/8). */
bool gp_original_decode(gp_original *o, int scale, gp_rgb_buffer *out, gp_error **err);

/* The upright rectangle (x, y, w, h in full-size pixels) at scale/8,
 * decoding only the rows it needs. *ox, *oy receive where the returned
 * pixels start, in full-size pixels (block alignment may widen it). */
bool gp_original_decode_region(gp_original *o, int scale, int x, int y, int w, int h, gp_rgb_buffer *out,
                               double *ox, double *oy, gp_error **err);

/* Resamples the rectangle (sx, sy, sw, sh) of src into out_w x out_h
 * (Catmull-Rom, widened by the reduction when shrinking, so nothing
 * aliases and nothing is softened more than it must be). */
bool gp_rgb_resample(const gp_rgb_image *src, double sx, double sy, double sw, double sh, gp_rgb_buffer *out,
                     int out_w, int out_h);

/* Where the crop goes, from what was measured in the upright original. */
typedef struct gp_crop_plan {
    double scale;      /* output pixels per original pixel */
    double x, y;       /* the crop's top-left corner in the original */
    double head_top, eyes, face_width, centre; /* where they land in the output */
} gp_crop_plan;

typedef enum gp_plan_problem {
    GP_PLAN_OK = 0,
    GP_PLAN_TOP,       /* too little room above the head */
    GP_PLAN_BOTTOM,    /* the original ends too soon below */
    GP_PLAN_SIDES,     /* the face too near a side edge */
    GP_PLAN_SMALL,     /* the face is smaller than the output needs: it would be enlarged */
    GP_PLAN_PROPORTIONS /* head top, eyes and face width cannot all fit their bands */
} gp_plan_problem;

typedef struct gp_face_facts {
    double head_top, eye_line, centre_x, face_width;
    int width, height; /* of the original */
} gp_face_facts;

/* Chooses scale and position so that head top, eye line and face width
 * land in the profile's bands, as near their middles as the original
 * allows, with the face centred. */
gp_plan_problem gp_plan_crop(const gp_photo_profile *p, const gp_face_facts *f, gp_crop_plan *plan);

/* A baseline JFIF (4:2:0, density from the profile, no other markers) of
 * packed RGB, at the highest quality from the profile's minimum up that
 * fits the file-size window, searched from guess. *quality receives it.
 * NULL with *why set: 1 = too large even at the minimum quality (*size is
 * that size), 2 = too small even at the highest that fits, 0 = out of
 * memory. */
unsigned char *gp_encode_fitting(const gp_photo_profile *p, const gp_rgb_image *img, int guess, int *quality,
                                 size_t *size, int *why);

/* One worker's preparing: its checker (profile, face detector) and the
 * buffers it reuses from photo to photo. */
typedef struct gp_preparer {
    gp_photo_checker *checker;
    gp_rgb_buffer preview, region, out;
    int last_quality; /* where the next quality search starts */
} gp_preparer;

void gp_preparer_clear(gp_preparer *pp);

typedef struct gp_prepared_photo {
    unsigned char *jpeg; /* the photo to write (malloc'd) */
    size_t size;
    int quality;
    gp_crop_plan plan;
    int crop_x, crop_y, crop_w, crop_h; /* in the upright original */
    gp_photo_check *check;             /* the written photo's own check */
} gp_prepared_photo;

void gp_prepared_photo_clear(gp_prepared_photo *out);

/* Makes a conforming photo out of the picture in data (source names it in
 * findings; out_name is the photo's name-to-be, <ID>.jpg, for its check).
 * false: refused, with the reasons as error findings in findings; true:
 * out holds the photo, and findings any warnings. GP_E_NOMEM and the like
 * go to err with false. */
bool gp_prepare_photo(gp_preparer *pp, const char *source, const char *out_name, const unsigned char *data,
                      size_t size, gp_report *findings, gp_prepared_photo *out, gp_error **err);

#endif
