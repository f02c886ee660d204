/* A photo profile: the numbers of one image standard (学信网 by default)
 * that photos are checked against and prepared toward, and how serious each
 * kind of finding is. Read-only once loaded, so checkers on several threads
 * may share one. */
#ifndef GP_PHOTO_PROFILE_PRIVATE_H
#define GP_PHOTO_PROFILE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"

/* The finding codes of `gradprint photos check`, in the order findings are
 * listed for a photo. */
typedef enum gp_photo_code {
    GP_PC_NAME,
    GP_PC_NOT_IN_ROSTER,
    GP_PC_FORMAT,
    GP_PC_SIZE,
    GP_PC_COLOUR,
    GP_PC_DENSITY,
    GP_PC_QUALITY,
    GP_PC_FILE_SIZE,
    GP_PC_ORIENTATION,
    GP_PC_BACKGROUND,
    GP_PC_BLACK_EDGE,
    GP_PC_FACE,
    GP_PC_HEAD_TOP,
    GP_PC_EYES,
    GP_PC_FACE_WIDTH,
    GP_PC_TILT,
    GP_PC_CENTRE,
    GP_PC_SHARPNESS,
    GP_PC_COUNT
} gp_photo_code;

/* "size", "head-top", ...; NULL out of range. */
const char *gp_photo_code_name(gp_photo_code code);
bool gp_photo_code_from_name(const char *name, gp_photo_code *out);

/* A closed range of whole numbers. */
typedef struct gp_band {
    int min, max;
} gp_band;

/* What a finding of a code becomes: an error, a warning, or nothing. */
typedef enum gp_rule { GP_RULE_OFF = 0, GP_RULE_WARNING = 1, GP_RULE_ERROR = 2 } gp_rule;

struct gp_photo_profile {
    char *name;
    int width, height;          /* pixels */
    double dpi;
    int min_quality;            /* IJG quality factor */
    gp_band file_kb;            /* KB of 1024 bytes */
    int background[3];          /* sRGB */
    double background_tolerance; /* CIE76 delta E from background */
    gp_band head_top;           /* px from the top edge to the top of the head */
    int head_top_margin;        /* a head top above this (but in the band) is a warning */
    gp_band eyes;               /* px from the top edge to the eye line */
    gp_band face_width;         /* px, cheek to cheek */
    double max_tilt;            /* degrees of the pupil line */
    int centre_tolerance;       /* px the face centre may be off the image centre */
    double min_sharpness;       /* variance of the face's Laplacian */
    gp_rule rule[GP_PC_COUNT];
};

/* A profile from a file's bytes; path names it in messages. */
gp_status gp_photo_profile_parse(const char *path, const char *text, size_t size, gp_photo_profile **out,
                                 gp_error **err);

/* The severity a finding of code takes under profile (GP_RULE_OFF: none). */
gp_rule gp_photo_profile_rule(const gp_photo_profile *profile, gp_photo_code code);

#endif
