/* The files a photos job works on: named files, and the pictures directly
 * inside named folders, sorted by name; each marked when it is a symbolic
 * link that leads out of its folder. */
#ifndef GP_PHOTO_LISTING_PRIVATE_H
#define GP_PHOTO_LISTING_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"

typedef struct gp_listed_file {
    char *path;
    const char *name;  /* the base name, inside path */
    char *outside;     /* where a link out of the folder leads, or NULL */
} gp_listed_file;

typedef struct gp_listing {
    gp_listed_file *files;
    size_t count;
    size_t skipped;    /* files in the folders that are not pictures */
} gp_listing;

/* Pictures are .jpg and .jpeg, and with all_pictures also .png, .heic,
 * .webp and the like (so a check can say what they are), case aside.
 * Hidden files are left out. A path that does not exist is GP_E_USAGE. */
gp_status gp_listing_make(const char *const *paths, size_t npaths, bool all_pictures, gp_listing *out,
                          gp_error **err);
void gp_listing_free(gp_listing *listing);

/* Whether a file name ends in one of the picture extensions above. */
bool gp_is_jpeg_name(const char *name);
bool gp_is_picture_name(const char *name);

#endif
