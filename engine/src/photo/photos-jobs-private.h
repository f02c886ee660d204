/* What the three photos jobs (check, prepare, backup) share. */
#ifndef GP_PHOTOS_JOBS_PRIVATE_H
#define GP_PHOTOS_JOBS_PRIVATE_H

#include "gradprint.h"
#include "photo-capture-log-private.h"

/* One checked photo of `photos check`. */
typedef struct gp_checked_photo {
    char *file;
    gp_photo_check *check;
    const gp_record *record; /* its student, when a roster was given */
} gp_checked_photo;

struct gp_photos_check_result {
    gp_checked_photo *photos;
    size_t count;
    gp_report *report;    /* findings about the set */
    char **orphans;       /* files named after nobody in the roster */
    size_t norphans;
    size_t failed, missing;
    char *profile_name;
    const gp_photo_profile *profile; /* while the job runs */
};

/* The report files of `photos check --report DIR`: report.csv (every
 * photo's measurements and findings, UTF-8 with BOM), orphans.csv (with a
 * roster) and contact-sheet.pdf (the failing photos with the bands and
 * what was measured drawn over them). */
gp_status gp_photos_write_report(gp_context *ctx, const gp_photos_check_result *r, const gp_photo_profile *profile,
                                 const char *dir, gp_error **err);

/* Pool workers that each own a gp_photo_checker (job: a gp_photos_worker_job). */
typedef struct gp_photos_worker_job {
    gp_context *ctx;
    const gp_photo_profile *profile;
} gp_photos_worker_job;
gp_status gp_photos_checker_start(void *job, void **state, gp_error **err);
void gp_photos_checker_stop(void *job, void *state);

/* The error a cancelled job returns. */
gp_status gp_photos_cancelled(gp_error **err);

/* Loads the roster a photos job was given (NULL path: *out = NULL). */
gp_status gp_photos_load_roster(gp_context *ctx, const char *path, const gp_roster_options *opts, gp_roster **out,
                                gp_error **err);

#endif
