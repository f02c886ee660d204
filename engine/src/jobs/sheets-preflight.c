/* Preflight for photo sheets: everything that can be wrong with a student's
 * data or photo is found before the first sheet is written, and each
 * finding names the roster line or the photo file. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "photo/photo-private.h"
#include "record-check-private.h"
#include "fields-private.h"
#include "sheets-private.h"

static const gp_key required_keys[] = {GP_KEY_STUDENT_NO, GP_KEY_NAME,  GP_KEY_ID_NUMBER,
                                       GP_KEY_COLLEGE,    GP_KEY_MAJOR, GP_KEY_CLASS};

/* One record: its photo, and its sheet laid out once, so a name too long
 * for the label or a character no font has stops the run before anything
 * is written. */
static void check_record(void *job_, gp_record_checker *checker, size_t i, gp_report *report)
{
    gp_sheets_job *job = job_;
    const gp_record *r = gp_roster_record(job->roster, i);
    const char *id = gp_record_key(r, GP_KEY_ID_NUMBER);
    const char *student_no = gp_record_key(r, GP_KEY_STUDENT_NO);
    if (id != NULL && !gp_record_id_damaged(r))
        gp_photo_preflight(&checker->photo, job->opts->photos_dir, id, student_no, report);
    gp_job_fields fields = {r, job->school};
    gp_layout_clear(&checker->layout);
    gp_layout_build(job->tpl, gp_job_field, &fields, checker->text, &checker->layout, report,
                    gp_roster_path(job->roster), gp_record_line(r), student_no);
}

gp_status gp_sheets_preflight(gp_sheets_job *job, gp_error **err)
{
    size_t n = gp_roster_size(job->roster);
    bool *has_error = calloc(n ? n : 1, sizeof *has_error);
    job->valid = malloc((n ? n : 1) * sizeof *job->valid);
    if (has_error == NULL || job->valid == NULL) {
        free(has_error);
        return gp_error_nomem(err);
    }
    gp_roster_preflight_options ro = {required_keys, sizeof required_keys / sizeof *required_keys, NULL,
                                      job->opts->photos_dir};
    job->roster_errors = gp_roster_preflight(job->roster, &ro, job->report, has_error);
    gp_status st = GP_OK;
    /* A roster that fails as a whole (a column missing) would make every
     * record and every photo fail the same way: say it once. */
    if (job->roster_errors == 0) {
        gp_record_check rc = {job->ctx, n, job->workers, check_record, job, job->opts->progress,
                              job->opts->progress_user};
        st = gp_check_records(&rc, job->report, has_error, err);
    }
    for (size_t i = 0; i < n; i++)
        job->valid[i] = !has_error[i];
    free(has_error);
    if (st == GP_OK && job->roster_errors == 0)
        st = gp_photo_report_orphans(job->roster, job->opts->photos_dir, job->report, err);
    /* A check that ran out of memory has not passed anyone. */
    if (st == GP_OK && gp_report_lost(job->report))
        st = gp_error_nomem(err);
    return st;
}
