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
        gp_photo_preflight(job->opts->photos_dir, id, student_no, report);
    gp_job_fields fields = {r, job->school};
    gp_layout_clear(&checker->layout);
    gp_layout_build(job->tpl, gp_job_field, &fields, checker->text, &checker->layout, report,
                    gp_roster_path(job->roster), gp_record_line(r), student_no);
}

static bool has_jpeg_extension(const char *name, size_t *stem_len)
{
    const char *dot = strrchr(name, '.');
    if (dot == NULL || dot == name)
        return false;
    *stem_len = (size_t)(dot - name);
    return strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0;
}

static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Photos in the folder that no roster row asks for: usually a student
 * missing from the roster, or a photo named with a mistyped ID number. */
static gp_status find_orphan_photos(gp_sheets_job *job, gp_error **err)
{
    size_t n = gp_roster_size(job->roster), nids = 0;
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    if (ids == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0; i < n; i++) {
        const char *id = gp_record_key(gp_roster_record(job->roster, i), GP_KEY_ID_NUMBER);
        if (id != NULL)
            ids[nids++] = id;
    }
    qsort(ids, nids, sizeof *ids, compare_strings);
    DIR *dir = opendir(job->opts->photos_dir);
    if (dir == NULL) {
        free(ids);
        return gp_error_set(err, GP_E_IO, job->opts->photos_dir, 0, "%s", _("cannot list the photo directory"));
    }
    struct dirent *e;
    char stem[256];
    while ((e = readdir(dir)) != NULL) {
        size_t len;
        if (!has_jpeg_extension(e->d_name, &len) || len >= sizeof stem)
            continue;
        for (size_t k = 0; k < len; k++)
            stem[k] = (char)toupper((unsigned char)e->d_name[k]);
        stem[len] = '\0';
        const char *key = stem;
        if (bsearch(&key, ids, nids, sizeof *ids, compare_strings) != NULL)
            continue;
        char *path = gp_path_join(job->opts->photos_dir, e->d_name);
        gp_report_add(job->report, GP_WARNING, "photo-orphan", path, 0, NULL,
                      _("no student in the roster has the ID number this photo is named after; add the student to "
                        "the roster or check the file name"));
        free(path);
    }
    closedir(dir);
    free(ids);
    return GP_OK;
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
        st = find_orphan_photos(job, err);
    return st;
}
