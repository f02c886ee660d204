/* The checker's insides, shared with preflight and prepare. */
#ifndef GP_PHOTO_CHECKER_PRIVATE_H
#define GP_PHOTO_CHECKER_PRIVATE_H

#include <turbojpeg.h>

#include "photo-analysis-private.h"
#include "photo-profile-private.h"

struct gp_photo_checker {
    const gp_photo_profile *profile;
    gp_photo_profile *own_profile; /* the default, when none was given */
    gp_face_detector *detector;
    tjhandle tj;
    unsigned char *rgb; /* the decoded photo, reused */
    size_t rgb_cap;
    gp_analysis_scratch scratch;
};

struct gp_photo_check {
    gp_photo_measurements m;
    gp_report *report;
    char *id_number; /* from the file name, NULL when it is none */
};

/* A check with no measurements and one finding: for a file a job refuses
 * to read (a link out of its folder). NULL when memory ran out. */
gp_photo_check *gp_photo_check_refused(const char *name, const char *code, const char *message);

/* The cascades' directory: $GRADPRINT_CASCADE_DIR, else where opencv-data
 * put them at build time. */
const char *gp_photo_cascade_dir(void);

/* A detector from the cascades in gp_photo_cascade_dir(). */
gp_status gp_photo_detector_new(gp_face_detector **out, gp_error **err);

/* The ID number a photo's file name stands for ("<ID>.jpg", lowercase x
 * made uppercase): a malloc'd copy, or NULL when the name is not a valid
 * ID number with .jpg or .jpeg. */
char *gp_photo_id_from_name(const char *path);

#endif
