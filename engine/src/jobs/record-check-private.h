/* Checking every record of a job in parallel before anything is written.
 * Each worker owns a text engine and a layout (to measure fits and find
 * missing glyphs); each record gets its own findings, merged afterwards in
 * record order so reports read top to bottom like the roster. */
#ifndef GP_RECORD_CHECK_PRIVATE_H
#define GP_RECORD_CHECK_PRIVATE_H

#include "layout/layout-private.h"
#include "photo/photo-private.h"
#include "text/text-private.h"

typedef struct gp_record_checker {
    gp_text_engine *text;
    gp_layout layout;
    gp_photo_standard photo; /* the 学信网 checker, made on the worker's first photo */
} gp_record_checker;

/* Checks item i (an index meaning whatever the caller's items are),
 * adding findings to report. Called on worker threads. */
typedef void (*gp_record_check_fn)(void *user, gp_record_checker *checker, size_t i, gp_report *report);

typedef struct gp_record_check {
    gp_context *ctx;
    size_t count;
    int workers;
    gp_record_check_fn check;
    void *user;
    gp_progress_fn progress;
    void *progress_user;
} gp_record_check;

/* Runs the check for every item; appends all findings to into and sets
 * has_error[i] for items with an error finding. */
gp_status gp_check_records(const gp_record_check *rc, gp_report *into, bool *has_error, gp_error **err);

#endif
