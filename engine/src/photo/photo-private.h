/* Student photos: ID-named JPEG files, checked before anything is rendered,
 * decoded with libjpeg-turbo, cropped (sides only, never mirrored or rotated)
 * and scaled to a slot's exact pixel size. */
#ifndef GP_PHOTO_PRIVATE_H
#define GP_PHOTO_PRIVATE_H

#include <cairo.h>

#include "gradprint.h"

/* Refused before any pixel buffer is allocated. */
#define GP_PHOTO_MAX_FILE_BYTES (16u * 1024u * 1024u)
#define GP_PHOTO_MAX_SIDE 8000
#define GP_PHOTO_MAX_PIXELS (24u * 1000u * 1000u)

/* What the photo standard asks for; outside these, preflight warns. */
#define GP_PHOTO_EXPECTED_WIDTH 480
#define GP_PHOTO_EXPECTED_HEIGHT 640
#define GP_PHOTO_MIN_BYTES (20u * 1024u)
#define GP_PHOTO_MAX_BYTES (40u * 1024u)

typedef struct gp_photo {
    char *path;
    unsigned char *jpeg; /* the file's bytes, unchanged (PDF embeds them as they are) */
    size_t size;
    int width, height;
} gp_photo;

/* DIR/<id>.jpg, .jpeg, .JPG or .JPEG, whichever exists (malloc'd); NULL if none. */
char *gp_photo_find(const char *dir, const char *id_number);
/* The same, and *nomem tells a photo that is not there from one that could
 * not be looked for (memory ran out). */
char *gp_photo_find_checked(const char *dir, const char *id_number, bool *nomem);

/* Reads the file and its JPEG header. Refuses (GP_E_INVALID, message naming
 * the file and what to do) files that are not JPEG, too large, or whose
 * header claims dimensions beyond the limits above. Does not decode pixels. */
gp_status gp_photo_load(const char *path, gp_photo **out, gp_error **err);
/* The same checks on bytes already in memory (copied); name stands for the
 * file in messages. */
gp_status gp_photo_from_memory(const char *name, const unsigned char *data, size_t size, gp_photo **out,
                               gp_error **err);
void gp_photo_free(gp_photo *photo);

/* Decodes into a new CAIRO_FORMAT_RGB24 surface. scale_denom 1 decodes full
 * size, 8 decodes at 1/8 (for previews and PDF stand-ins). A truncated or
 * corrupt stream is GP_E_INVALID, even where libjpeg would only warn. */
gp_status gp_photo_decode(const gp_photo *photo, int scale_denom, cairo_surface_t **out, gp_error **err);

/* The 学信网 checker as a job's workers use it: made on a worker's first
 * photo and kept for the rest (one per worker thread; zero-initialised is
 * empty). When it cannot be made, the first photo gets a warning saying
 * why and the rest are checked without it. */
typedef struct gp_photo_standard {
    gp_photo_checker *checker;
    bool failed;
} gp_photo_standard;

void gp_photo_standard_clear(gp_photo_standard *standard);

/* Everything preflight needs to know about one student's photo: loads and
 * fully decodes it and adds findings (errors: missing (saying so when
 * <ID>.png or another picture format is there instead), outside the photo
 * folder through a symbolic link, not a JPEG, corrupt or truncated, absurd
 * dimensions, not 3:4; warnings: file size outside 20–40 KB, not 480x640,
 * and with standard (may be NULL) every finding of the 学信网 check as
 * "photo-<code>") tagged with student_no and the photo's path. Returns
 * true when the photo is usable. */
bool gp_photo_preflight(gp_photo_standard *standard, const char *photos_dir, const char *id_number,
                        const char *student_no, gp_report *report);

/* Whether path, in dir, is a symbolic link (or sits below one) that
 * resolves outside dir. *target (when not NULL and the answer is yes)
 * receives where it leads (malloc'd). */
bool gp_photo_leaves_dir(const char *dir, const char *path, char **target);

/* DIR/<id>.png, .heic, ... : a picture under the ID number in a format
 * that is not JPEG (malloc'd), or NULL. */
char *gp_photo_find_other_format(const char *dir, const char *id_number);

/* One finding ("photo-orphan", a warning) for all photos in photos_dir
 * named after an ID number no roster record has: their count and where
 * the list is to be had, never the ID numbers themselves, since they are
 * of people the roster does not know. Adds nothing when there are none. */
gp_status gp_photo_report_orphans(const gp_roster *roster, const char *photos_dir, gp_report *report,
                                  gp_error **err);

/* The part of a w x h photo that fills a slot of slot_w x slot_h (any unit):
 * a photo wider than the slot loses equal parts of both sides and keeps its
 * full height (the head-top margin survives); a photo taller than the slot
 * keeps its top and loses the bottom. Never scales x and y differently. */
typedef struct gp_crop { double x, y, w, h; } gp_crop;
gp_crop gp_photo_crop(int w, int h, double slot_w, double slot_h);

/* A new RGB24 surface of exactly slot_w_px x slot_h_px holding the cropped
 * photo, resampled with a proper low-pass filter (no aliasing). */
cairo_surface_t *gp_photo_scale_to_slot(cairo_surface_t *decoded, int slot_w_px, int slot_h_px);
/* The same into an existing RGB24 surface, the slot's size being the
 * surface's: for callers scaling a photo per record into the same sizes.
 * False when either is not a usable image surface or memory ran out. */
bool gp_photo_scale_into(cairo_surface_t *decoded, cairo_surface_t *out);

#endif
